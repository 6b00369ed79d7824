"""The main job, end to end, on a synthetic county: one month of the closed loop.

A seeded county (docs/synthetic-county.md) in an SQLite ledger: the low-income households
under monitoring with their facts, the shipped example applications filed as cases; then a
month of department feeds imported and screened (aidrules.month), each warning verified
by the grid worker with simulated findings (the synthetic truth: the bill, the job lost,
the car bought change the household's facts), re-assessed, the procedure run for
households newly eligible (two investigators, a different approver), enrolled, referrals
pushed under the five brands, and simulated department feedback. The summary is read
back from the database.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from aidrules.columnar import Screener
from aidrules.engine import Assessor
from aidrules.ledger import Ledger
from aidrules.ledger import monitoring as store
from aidrules.ledger.files import recreate_marked
from aidrules.model import Application, application_from_dict, read_applications
from aidrules.monitoring import load_mapping, load_warning_rules, read_register, synthetic
from aidrules.month import FeedFile, MonthResult, monitor, run_month
from aidrules.rulebook import load_rulebook

ACCEPTOR, INVESTIGATORS, APPROVER = "受理员赵敏", ("调查员钱进", "调查员孙丽"), "审批人李强"
BASIC = {"dibao": "dibao", "tekun": "tekun", "dibao_marginal": "dibao_marginal",
         "rigid_expenditure": "rigid_expenditure"}  # register status → the aid it holds
BASIC_AIDS = frozenset(BASIC.values())
DEMO_LEDGER = 0x41494444  # "AIDD": the SQLite application_id that marks a demo's ledger
EXAMPLE_PREFIX = "EX-"  # households of the shipped example applications: not the county's
FEEDBACK_RATE = 0.8  # share of departments that report back within the month (simulated)
ACTIONS = {"medical": "资助参保，医疗救助一站式结算", "education": "落实助学金和学费减免",
           "employment": "推荐就业岗位，开展技能培训", "elderly": "上门探访，提供助老服务",
           "hardship": "走访慰问，开展帮扶"}


@attrs.frozen
class Places:
    """Where the shipped data are (a checkout's top level by default)."""
    rules: Path = Path("rules")
    policies: Path = Path("policies")
    feeds: Path = Path("feeds")
    warnings: Path = Path("warnings")
    examples: Path = Path("examples/applications")


@attrs.define
class Demo:
    month: date
    households: int  # in the county
    people: int
    cases: list[int] = attrs.Factory(list)  # cases filed (examples and newly eligible)
    examples: int = 0  # of which the shipped example applications
    verified: int = 0
    figures: dict[str, Any] = attrs.Factory(dict)  # the county's month, examples left out
    example_figures: dict[str, Any] = attrs.Factory(dict)  # the shipped examples alone
    run: MonthResult | None = None


def run_demo(db: Path, households: int = 2000, seed: int = 1, month: date = date(2025, 3, 1),
             places: Places = Places()) -> Demo:
    """Run one month for a county of ``households`` in a new SQLite ledger at ``db``.

    A file already at ``db`` is replaced only if it is a demo's ledger (a finished or an
    interrupted run); anything else is refused with a LedgerError and left as it is."""
    recreate_marked(db, DEMO_LEDGER, "a demo ledger")
    today = _last_day(month)
    assessor = Assessor(load_rulebook(places.rules, places.policies))
    ledger = Ledger.open(db, assessor=assessor)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            manifest = synthetic.generate(tmp, households, seed, month)
            facts = synthetic.Facts(Path(tmp) / "register")
            demo = Demo(month, households, manifest["people"])
            screener = Screener(assessor.book)  # compiled once for the month
            _monitor_low_income(ledger, facts, month, screener)
            demo.cases += [_file_example(ledger, a) for a in _examples(places.examples)]
            demo.examples = len(demo.cases)
            feeds = [FeedFile(load_mapping(p), _feed_file(Path(tmp), month, p.stem))
                     for p in sorted(places.feeds.glob("*.yaml"))]
            demo.run = run_month(ledger, read_register(Path(tmp) / "register"),
                                 load_warning_rules(places.warnings, assessor.book.policies,
                                                    synthetic.JURISDICTION), feeds, today,
                                 lambda h: _facts(facts, h, today), engine=assessor.engine,
                                 screener=screener)
            _verify_and_decide(ledger, facts, demo, today)
        _feedback(ledger, random.Random(seed), today + timedelta(days=20))
        demo.figures = store.figures(ledger, excluding=EXAMPLE_PREFIX)
        demo.example_figures = store.figures(ledger, only=EXAMPLE_PREFIX)
        return demo
    finally:
        ledger.close()


def _last_day(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _facts(facts: synthetic.Facts, household_id: str, on: date) -> Application:
    return application_from_dict(facts.application(household_id, on))


def _monitor_low_income(ledger: Ledger, facts: synthetic.Facts, on: date,
                        screener: Screener) -> None:
    """The low-income population (assisted households) is under monitoring from the start;
    other households enter the ledger when a warning concerns them."""
    monitor(ledger, ((h, row["grid"], _facts(facts, h, on))
                     for h, row in facts.households.items() if row["status"] != "none"), on,
            screener)


def _examples(directory: Path) -> list[Application]:
    files = sorted(p for p in directory.glob("*") if p.suffix in (".yaml", ".yml", ".json"))
    return [a for f in files for a in read_applications(f)]


def _file_example(ledger: Ledger, application: Application) -> int:
    household = f"{EXAMPLE_PREFIX}{application.application_id}"
    case = ledger.file_application(application, household, ACCEPTOR, "EX-00",
                                   application.applied_on)
    _procedure(ledger, case, application.applied_on, None)
    return case


def _feed_file(root: Path, month: date, source: str) -> Path:
    folder = root / "feeds" / month.strftime("%Y-%m")
    return next(folder.glob(f"{source}.*"))


# ---- verification, re-assessment and the procedure --------------------------------------

def _verify_and_decide(ledger: Ledger, facts: synthetic.Facts, demo: Demo, today: date) -> None:
    """Each grid worker verifies on site; the facts found are re-assessed; a household now
    eligible for an aid it does not hold goes through the procedure."""
    found_on = today + timedelta(days=3)
    latest: dict[str, tuple[dict, int]] = {}
    assert demo.run is not None, "the month has run"
    for stored in demo.run.warnings:
        w = stored.warning
        if stored.task_id is None:
            continue
        doc = latest[w.household_id][0] if w.household_id in latest else \
            facts.application(w.household_id, today)
        doc, findings = _found(doc, w.event_key, w.id_number, found_on)
        assessment = ledger.record_findings(stored.task_id, f"{w.grid}网格员", findings,
                                            found_on, application_from_dict(doc))
        latest[w.household_id] = (doc, assessment)
        demo.verified += 1
    for household_id, (doc, assessment) in sorted(latest.items()):
        held = BASIC.get(facts.households[household_id]["status"])
        aids = _new_aids(ledger.assessment(assessment), held)
        if aids:
            application = application_from_dict({**doc, "applied_on": found_on.isoformat()})
            case = ledger.file_application(application, household_id, ACCEPTOR,
                                           on=found_on + timedelta(days=1))
            _procedure(ledger, case, found_on + timedelta(days=1), aids)
            demo.cases.append(case)


def _new_aids(assessment: dict, held: str | None) -> list[str]:
    eligible = [r["aid"] for r in assessment["results"] if r["status"] == "eligible"]
    if held is not None:  # already in a basic-living category: add only the other aids
        return [a for a in eligible if a not in BASIC_AIDS]
    return eligible


def _procedure(ledger: Ledger, case: int, accepted: date, aids: list[str] | None) -> None:
    """Investigate (two staff), notice, decide (another officer), enrol or notify refusal."""
    ledger.investigate(case, INVESTIGATORS, "入户调查：家庭情况与申报一致",
                       accepted + timedelta(days=1))
    until = ledger.publish_notice(case, accepted + timedelta(days=2))
    decided = until + timedelta(days=1)
    eligible = [r["aid"] for r in ledger.latest_assessment(case)["results"]
                if r["status"] == "eligible"]
    if not eligible:
        ledger.decide(case, False, APPROVER, decided, reasons="经调查核实，不符合各项救助条件")
        ledger.notify_refusal(case, decided + timedelta(days=1))
        return
    ledger.decide(case, True, APPROVER, decided, aids=aids,
                  referrals_due=decided + timedelta(days=30))
    ledger.enrol(case, decided)


def _feedback(ledger: Ledger, rng: random.Random, on: date) -> None:
    """Departments report what they did (simulated: most do within the month), never
    before the referral reached them (an example case may be dated later in the year)."""
    for referral, brand, departments in store.pending_referrals(ledger):
        day = max(on, ledger.referral(referral)["pushed_on"])
        for department in departments:
            if rng.random() < FEEDBACK_RATE:
                ledger.record_feedback(referral, department, day, ACTIONS.get(brand, "已处理"))


# ---- what a verification finds ---------------------------------------------------------

def _found(doc: dict, event_key: tuple[str, ...], id_number: str, on: date
           ) -> tuple[dict, str]:
    """The facts as the grid worker finds them, given what the department reported."""
    doc = {**doc, "applied_on": on.isoformat(),
           "household": {**doc["household"], "members": [dict(m) for m in
                                                         doc["household"]["members"]]}}
    house, kind = doc["household"], event_key[3] if event_key[0] != "clock" else event_key[2]
    amount = event_key[4] if event_key[0] != "clock" else ""
    member = next((m for m in house["members"] if m["id_number"] == id_number), None)
    change: Callable[..., str] = _FINDINGS.get(kind, lambda *_: "核实：家庭情况无变化")
    return doc, change(house, member, amount)


def _bill(house: dict, member: dict | None, amount: str) -> str:
    house["expenditures"] = [*house.get("expenditures", []),
                             {"kind": "medical", "amount": amount}]
    return f"核实：个人自付医疗费用{amount}元"


def _illness(house: dict, member: dict | None, amount: str) -> str:
    if member is not None:
        member.update(is_seriously_ill=True, illness=member.get("illness") or "重大疾病",
                      work_ability="none")
        member["incomes"], member["employment"] = [], "not_working"
    return "核实：家庭成员患重大疾病，已不能劳动"


def _unemployed(house: dict, member: dict | None, amount: str) -> str:
    if member is not None:
        member["incomes"], member["employment"] = [], "registered_unemployed"
    return "核实：家庭成员失业，工资收入中断"


def _death(house: dict, member: dict | None, amount: str) -> str:
    members = house["members"]
    if member is None or len(members) == 1:
        return "核实：户内唯一成员死亡，待注销"
    members.remove(member)
    if member["relation"] == "head":
        members[0]["relation"] = "head"
    return "核实：家庭成员死亡，已从家庭成员中移除"


def _vehicle(house: dict, member: dict | None, amount: str) -> str:
    assets = house["assets"] = dict(house["assets"])
    car = {"kind": "car", "value": amount} if amount else {"kind": "car"}
    assets["vehicles"] = [*assets.get("vehicles", []), car]
    return f"核实：新登记机动车一辆，价值{amount}元"


def _business(house: dict, member: dict | None, amount: str) -> str:
    assets = house["assets"] = dict(house["assets"])
    assets["business_registrations"] = assets.get("business_registrations", 0) + 1
    return "核实：新办理营业执照"


def _property(house: dict, member: dict | None, amount: str) -> str:
    assets = house["assets"] = dict(house["assets"])
    assets["housing_units"] = assets.get("housing_units", 0) + 1
    return f"核实：新登记不动产，价值{amount}元"


_FINDINGS = {"medical_bill": _bill, "serious_illness": _illness,
             "unemployment_registered": _unemployed, "death": _death,
             "vehicle_registered": _vehicle, "business_registered": _business,
             "property_registered": _property}


# ---- the monthly summary ---------------------------------------------------------------

BRANDS = {"medical": "助医", "education": "助学", "employment": "助业", "elderly": "助老",
          "hardship": "助困"}
COLOURS = {"red": "红", "yellow": "黄", "blue": "蓝"}


def summary(demo: Demo) -> list[str]:
    """The month in the shape of the model county's own figures, read from the ledger."""
    f, run = demo.figures, demo.run
    assert run is not None, "the month has run"
    rows = sum(i.report.imported for i in run.imports)
    rejects = sum(i.report.rejected for i in run.imports)
    return [
        f"aidrules demo: synthetic Tieli county, {demo.households:,} households "
        f"({demo.people:,} people), feeds of {demo.month:%Y-%m}",
        f"部门数据 feeds imported        {rows:,} rows from {len(run.imports)} departments, "
        f"{rejects:,} rejects kept with their reasons",
        f"监测对象 people under monitoring {f['people_monitored']:,} in "
        f"{f['households_monitored']:,} households",
        f"预警信息 warnings sent          {f['warnings']:,} ({_colours(f['warnings_by_colour'])}); "
        f"verification tasks {f['tasks']:,}, done {f['tasks_done']:,}",
        f"主动发现 people discovered      {f['discovered']:,}",
        "新纳入   newly enrolled (households by aid type): "
        + (", ".join(f"{aid} {n}" for aid, n in f["enrolled_by_aid"].items()) or "none"),
        f"临时救助 temporary-aid cases    {f['temporary_assistance_cases']:,}",
        "信息推送 referrals by brand     "
        + (", ".join(f"{BRANDS.get(b, b)} {n}" for b, n in f["referrals_by_brand"].items())
           or "none"),
        f"跟踪反馈 feedback received      {f['feedback']:,} reports; "
        f"{f['referrals_answered']:,} of {sum(f['referrals_by_brand'].values()):,} "
        "referrals fully answered",
        f"风险等级 households by risk     {_colours(f['households_by_risk'])}",
        f"办理案件 cases filed            {f['cases']:,} (households newly eligible after "
        "verification)",
        _examples_line(demo),
    ]


def _examples_line(demo: Demo) -> str:
    """The shipped examples, filed so the procedure is shown on them too, but not part of
    the county's month: their own line, never in the figures above."""
    e = demo.example_figures
    return (f"示例申请 shipped examples        {demo.examples} example applications filed as "
            f"cases, not counted above: enrolled (households by aid type): "
            + (", ".join(f"{aid} {n}" for aid, n in e["enrolled_by_aid"].items()) or "none"))


def _colours(counts: dict[str, int]) -> str:
    return ", ".join(f"{COLOURS.get(c, c)} {c} {counts.get(c, 0):,}" for c in COLOURS)

