"""A seeded synthetic county (Tieli, region code 230781) and its monthly department feeds.

No real personal data: names are drawn from common characters, identity numbers are
valid but invented. The same seed and size give byte-identical files. Everything
streams, so a million households need little memory. The distributions are documented
in docs/synthetic-county.md; change them there and here together.

Deliberately broken rows (bad identity numbers, unparseable dates, bad amounts, empty
names, extra cells) replace good rows at ``broken_rate``; ``manifest.json`` records,
per feed, how many good and broken rows were written, so tests can check the importer."""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs

from aidrules.model.identity import make_id_number

T = TypeVar("T")

REGION = "230781"  # Tieli
JURISDICTION = "heilongjiang/yichun/tieli"  # its policy layer (policies/)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志刚淑珍凤兰"
SIZES = ((1, 25), (2, 30), (3, 25), (4, 12), (5, 6), (6, 2))  # members: weight (%)
STATUSES = (("dibao", 60), ("tekun", 10), ("dibao_marginal", 40), ("rigid_expenditure", 10),
            ("none", 880))  # per mille
TOWNSHIPS = 12
HOUSEHOLDS_PER_GRID = 300
ILLNESSES = ("恶性肿瘤", "尿毒症", "重症精神病", "白血病", "心脏病")
MISSPELT_RATE = 0.01  # good rows of known people whose name differs from the register's
DISABILITIES = ("肢体", "视力", "听力", "智力", "精神")


@attrs.frozen
class Member:
    id_number: str
    name: str
    birth: date
    is_earner: bool
    monthly_income: Decimal  # yuan
    illness: str = ""
    disability_grade: int = 0  # 0: none; 1 (most severe) to 4


@attrs.frozen
class Household:
    household_id: str
    township: int
    grid: str
    is_rural: bool
    status: str
    assets_amount: Decimal
    members: tuple[Member, ...]
    review_on: date | None
    grace_ends_on: date | None


class Identities:
    """Unique valid identity numbers: a counter per birth date and sex."""

    def __init__(self) -> None:
        self.used: dict[tuple[date, int], int] = {}

    def new(self, birth: date, male: bool) -> str:
        while True:
            parity = 1 if male else 0
            count = self.used.get((birth, parity), 0)
            if count < 500:
                self.used[(birth, parity)] = count + 1
                return make_id_number(REGION, birth, count * 2 + parity)
            birth += timedelta(days=1)


def _weighted(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def households(n: int, seed: int, today: date, ids: Identities) -> Iterator[Household]:
    rng = random.Random(seed)
    for i in range(1, n + 1):
        yield _household(rng, i, today, ids)


def _household(rng: random.Random, i: int, today: date, ids: Identities) -> Household:
    status = _weighted(rng, STATUSES)
    size = _weighted(rng, SIZES)
    head_age = rng.randint(22, 88)
    members = [_member(rng, today, head_age, True, ids)]
    for _ in range(size - 1):
        members.append(_member(rng, today, _relative_age(rng, head_age), False, ids))
    township = rng.randrange(TOWNSHIPS) + 1
    assisted = status != "none"
    review_on = today + timedelta(days=rng.randint(-10, 365)) if assisted else None
    grace = (today + timedelta(days=rng.randint(0, 180))
             if status == "dibao" and rng.random() < 0.05 else None)
    assets = Decimal(rng.randint(0, 20_000 if assisted else 300_000))
    return Household(f"H{i:07d}", township, f"G{township:02d}-{(i // HOUSEHOLDS_PER_GRID):04d}",
                     rng.random() < 0.45, status, assets, tuple(members), review_on, grace)


def _relative_age(rng: random.Random, head_age: int) -> int:
    kind = rng.random()
    if kind < 0.45:
        return max(18, head_age + rng.randint(-6, 6))  # spouse
    if kind < 0.85:
        return max(0, head_age - rng.randint(20, 35))  # child
    return min(100, head_age + rng.randint(20, 30))  # parent


def _born(rng: random.Random, on: date, age: int) -> date:
    """A birth date in the year ``age`` years before ``on``, never after ``on``."""
    birth = date(on.year - age, 1, 1) + timedelta(days=rng.randrange(365))
    return birth if birth <= on else birth - timedelta(days=365)


def _member(rng: random.Random, today: date, age: int, earner: bool, ids: Identities) -> Member:
    birth = _born(rng, today, age)
    working = 18 <= age < 60
    income = Decimal(rng.randint(800, 4000) if working and rng.random() < 0.7 else 0)
    illness = rng.choice(ILLNESSES) if rng.random() < 0.02 else ""
    grade = rng.randint(1, 4) if rng.random() < 0.04 else 0
    return Member(ids.new(birth, rng.random() < 0.5), _name(rng), birth, earner and working,
                  income, illness, grade)


# ---- the register ---------------------------------------------------------------------

HOUSEHOLD_HEADER = ("household_id", "township", "grid", "is_rural", "status", "members",
                    "assets_amount", "review_on", "grace_ends_on")
PEOPLE_HEADER = ("id_number", "name", "household_id", "is_earner", "birth", "monthly_income",
                 "illness", "disability_grade")


def _register_rows(h: Household) -> tuple[list, list[list]]:
    row = [h.household_id, h.township, h.grid, int(h.is_rural), h.status, len(h.members),
           h.assets_amount, h.review_on or "", h.grace_ends_on or ""]
    people = [[m.id_number, m.name, h.household_id, int(m.is_earner), m.birth,
               m.monthly_income, m.illness, m.disability_grade] for m in h.members]
    return row, people


# ---- the feeds ------------------------------------------------------------------------

@attrs.frozen
class FeedSpec:
    source: str  # also the file's stem and the mapping's name in feeds/
    header: tuple[str, ...]
    encoding: str  # for CSV; "xlsx" writes an Excel file
    date_format: str


SPECS = {
    "education": FeedSpec("education", ("学生身份证号", "学生姓名", "认定日期", "学校", "学段"),
                          "gb18030", "%Y年%m月%d日"),
    "human_resources": FeedSpec("human_resources", ("公民身份号码", "姓名", "失业登记日期",
                                                    "登记机构"), "utf-8", "%Y%m%d"),
    "health_serious_illness": FeedSpec("health_serious_illness", ("身份证号", "患者姓名",
                                       "确诊日期", "病种"), "utf-8-sig", "%Y-%m-%d"),
    "medical_insurance": FeedSpec("medical_insurance", ("身份证号码", "姓名", "结算日期",
                                  "个人自付金额", "医疗机构"), "xlsx", "%Y-%m-%d"),
    "disability": FeedSpec("disability", ("身份证号", "姓名", "发证日期", "残疾类别", "残疾等级"),
                           "utf-8", "%Y/%m/%d"),
    "civil_registration": FeedSpec("civil_registration", ("身份证号", "姓名", "死亡日期"),
                                   "gb18030", "%Y/%m/%d"),
    "registrations": FeedSpec("registrations", ("身份证号", "姓名", "登记日期", "金额",
                                                "登记类型"), "utf-8", "%Y-%m-%d"),
}
BROKEN_KINDS = ("bad identity number", "unknown date format", "missing name", "bad amount",
                "extra cells")


class _FeedWriter:
    def __init__(self, directory: Path, spec: FeedSpec) -> None:
        self.spec = spec
        self.good = self.broken = 0
        if spec.encoding == "xlsx":
            import openpyxl

            self.path = directory / f"{spec.source}.xlsx"
            self.book = openpyxl.Workbook(write_only=True)
            self.sheet = self.book.create_sheet("Sheet1")
            self.sheet.append(list(spec.header))
        else:
            self.path = directory / f"{spec.source}.csv"
            self.file = self.path.open("w", encoding=spec.encoding, newline="")
            self.csv = csv.writer(self.file)
            self.csv.writerow(spec.header)

    def write(self, cells: list, broken: bool) -> None:
        if broken:
            self.broken += 1
        else:
            self.good += 1
        if self.spec.encoding == "xlsx":
            self.sheet.append(cells)
        else:
            self.csv.writerow(cells)

    def close(self) -> None:
        if self.spec.encoding == "xlsx":
            self.book.save(self.path)
        else:
            self.file.close()


class _Month:
    """Draws one month's department rows for each household, some broken on purpose."""

    def __init__(self, rng: random.Random, month: date, writers: dict[str, _FeedWriter],
                 ids: Identities, broken_rate: float, outsider_rate: float) -> None:
        self.rng, self.month, self.writers, self.ids = rng, month, writers, ids
        self.broken_rate, self.outsider_rate = broken_rate, outsider_rate
        self.days = (month.replace(month=month.month % 12 + 1, year=month.year + month.month
                                   // 12) - month).days

    def household(self, h: Household) -> None:
        rng = self.rng
        for m in h.members:
            self.member(h, m)
        for kind, chance in (("机动车", 0.005), ("营业执照", 0.002), ("不动产", 0.003)):
            if rng.random() < chance:
                amount = Decimal(rng.randint(20_000, 400_000))
                self.emit("registrations", h.members[0], [amount, kind])
        if rng.random() < self.outsider_rate:
            self.outsider()

    def member(self, h: Household, m: Member) -> None:
        rng, age = self.rng, self.month.year - m.birth.year
        if rng.random() < 0.02:
            fen = int(math.exp(rng.gauss(8.5, 1.2)) * 100)
            self.emit("medical_insurance", m, [Decimal(fen) / 100, "铁力市人民医院"])
        if m.illness and rng.random() < 0.05:
            self.emit("health_serious_illness", m, [m.illness])
        if 6 <= age <= 22 and rng.random() < (0.3 if h.status != "none" else 0.03):
            self.emit("education", m, ["铁力市第一中学", "高中" if age >= 15 else "义务教育"])
        if 18 <= age < 60 and rng.random() < 0.01:
            self.emit("human_resources", m, ["铁力市就业服务局"])
        if m.disability_grade and rng.random() < 0.05:
            self.emit("disability", m, [rng.choice(DISABILITIES), m.disability_grade])
        if rng.random() < (0.004 if age >= 60 else 0.0002):
            self.emit("civil_registration", m, [])

    def outsider(self) -> None:
        """A person the register does not know: becomes a discovered candidate."""
        age = self.rng.randint(18, 80)
        birth = _born(self.rng, self.month, age)
        person = Member(self.ids.new(birth, self.rng.random() < 0.5), _name(self.rng), birth,
                        False, Decimal(0))
        source = self.rng.choice(("medical_insurance", "health_serious_illness",
                                  "human_resources"))
        extras: dict[str, list[Any]] = {
            "medical_insurance": [Decimal(self.rng.randint(5_000, 60_000)), "铁力市人民医院"],
            "health_serious_illness": [self.rng.choice(ILLNESSES)],
            "human_resources": ["铁力市就业服务局"]}
        self.emit(source, person, extras[source], known=False)

    def emit(self, source: str, m: Member, extra: list, known: bool = True) -> None:
        writer = self.writers[source]
        on = self.month + timedelta(days=self.rng.randrange(self.days))
        date_text = on.strftime(writer.spec.date_format)
        name = m.name
        if known and self.rng.random() < MISSPELT_RATE:
            name = m.name[0] + self.rng.choice(GIVEN)  # a clerk's typo: cross-check warns
        cells = [m.id_number, name, date_text, *extra]
        broken = self.rng.random() < self.broken_rate
        if broken:
            cells = self.break_row(cells, source)
        if writer.spec.encoding != "xlsx":
            cells = [str(c) for c in cells]  # Excel keeps numbers as numbers, as clerks type them
        writer.write(cells, broken)

    def break_row(self, cells: list, source: str) -> list:
        kinds = list(BROKEN_KINDS)
        if source not in ("medical_insurance", "registrations"):
            kinds.remove("bad amount")
        kind = self.rng.choice(kinds)
        cells = list(cells)
        if kind == "bad identity number":
            last = cells[0][-1]
            cells[0] = cells[0][:-1] + ("0" if last != "0" else "1")
        elif kind == "unknown date format":
            cells[2] = self.month.strftime("%m.%d.%Y")
        elif kind == "missing name":
            cells[1] = ""
        elif kind == "bad amount":
            cells[3] = "约" + str(cells[3])
        else:
            cells.append("备注")
        return cells


def generate(out: Path | str, households_count: int, seed: int, month: date,
             broken_rate: float = 0.02, outsider_rate: float = 0.01) -> dict:
    """Write ``out/register/{households,people}.csv`` and ``out/feeds/YYYY-MM/*``."""
    out = Path(out)
    register, feeds = out / "register", out / "feeds" / month.strftime("%Y-%m")
    register.mkdir(parents=True, exist_ok=True)
    feeds.mkdir(parents=True, exist_ok=True)
    ids = Identities()
    writers = {name: _FeedWriter(feeds, spec) for name, spec in SPECS.items()}
    drawing = _Month(random.Random(seed * 7919 + 1), month, writers, ids, broken_rate,
                     outsider_rate)
    people_count = 0
    with (register / "households.csv").open("w", encoding="utf-8", newline="") as hf, \
            (register / "people.csv").open("w", encoding="utf-8", newline="") as pf:
        hw, pw = csv.writer(hf), csv.writer(pf)
        hw.writerow(HOUSEHOLD_HEADER)
        pw.writerow(PEOPLE_HEADER)
        for household in households(households_count, seed, month, ids):
            row, people = _register_rows(household)
            hw.writerow(row)
            pw.writerows(people)
            people_count += len(people)
            drawing.household(household)
    for writer in writers.values():
        writer.close()
    manifest = {"seed": seed, "households": households_count, "people": people_count,
                "month": month.strftime("%Y-%m"), "broken_rate": broken_rate,
                "feeds": {name: {"file": w.path.name, "good": w.good, "broken": w.broken}
                          for name, w in writers.items()}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return manifest


# ---- the county's facts as applications ------------------------------------------------

class Facts:
    """The synthetic register read back as the facts a county knows of each household,
    in the application's shape (for the ledger). Relations are inferred from ages, the
    register does not record them; work ability from age, illness and disability."""

    def __init__(self, register: Path | str) -> None:
        register = Path(register)
        with (register / "households.csv").open(encoding="utf-8", newline="") as f:
            self.households = {row["household_id"]: row for row in csv.DictReader(f)}
        self.people: dict[str, list[dict[str, str]]] = {}
        with (register / "people.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                self.people.setdefault(row["household_id"], []).append(row)

    def application(self, household_id: str, on: date) -> dict:
        """The household's facts as an application document (model.application_from_dict)."""
        row, people = self.households[household_id], self.people[household_id]
        head_birth = date.fromisoformat(people[0]["birth"])
        members = [_member_doc(p, on, i == 0, head_birth) for i, p in enumerate(people)]
        rural = row["is_rural"] == "1"
        return {"application_id": f"M-{household_id}", "applied_on": on.isoformat(),
                "jurisdiction": JURISDICTION,
                "area": "rural" if rural else "urban",
                "household": {"members": members,
                              "assets": {"financial_assets": f"{row['assets_amount']}.00",
                                         "housing_units": 1},
                              "expenditures": [],
                              "incomes": _household_incomes(rural, members, head_birth, on),
                              "is_dibao_recipient": row["status"] == "dibao"}}


def _household_incomes(rural: bool, members: list[dict], head_birth: date, on: date
                       ) -> list[dict]:
    """Income of the household as a whole: a rural head aged 60 or more with at most two
    children is given a family-planning reward (农村部分计划生育家庭奖励扶助金), paid to the
    household; the yearly figure is made up for the synthetic county."""
    head_age = on.year - head_birth.year - ((on.month, on.day) < (head_birth.month, head_birth.day))
    children = sum(m["relation"] == "child" for m in members)
    if not rural or head_age < 60 or children > 2:
        return []
    return [{"kind": "family_planning_reward", "amount": "960.00", "period": "yearly"}]


def _member_doc(p: dict[str, str], on: date, is_head: bool, head_birth: date) -> dict:
    birth = date.fromisoformat(p["birth"])
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    grade = int(p["disability_grade"])
    able = 18 <= age < 60 and not p["illness"] and grade not in (1, 2)
    income = Decimal(p["monthly_income"])
    doc: dict = {"id_number": p["id_number"], "name": p["name"],
                 "relation": "head" if is_head else _relation(birth, head_birth),
                 "work_ability": "full" if able else "none",
                 "employment": "employed" if income else "not_working",
                 "incomes": [{"kind": "wage", "amount": f"{income}.00", "period": "monthly"}]
                 if income else []}
    if p["illness"]:
        doc.update(is_seriously_ill=True, illness=p["illness"])
    if grade:
        doc["disability"] = {"kind": "physical", "grade": grade}
    if 6 <= age <= 22 and not income:
        doc["student_level"] = _student_level(age)
    return doc


def _relation(birth: date, head_birth: date) -> str:
    years = (birth - head_birth).days / 365.25
    return "child" if years >= 15 else "parent" if years <= -15 else "spouse"


def _student_level(age: int) -> str:
    return ("primary" if age < 12 else "junior_secondary" if age < 15 else
            "senior_secondary" if age < 18 else "undergraduate")
