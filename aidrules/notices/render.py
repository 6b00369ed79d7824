"""Rendering notices: the only module importing jinja2. Templates see a plain view of
the assessment (never engine internals): outcomes, reasons, bases and missing fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from aidrules.engine.results import AidResult, Assessment, CriterionResult
from aidrules.errors import NoticeError
from aidrules.model import Application
from aidrules.model.identity import mask_id_number, mask_name

LANGUAGES = ("zh", "en")

# What a missing application field is called in a notice, by the last part of its path.
FIELD_LABELS = {
    "incomes": ("收入情况", "incomes"),
    "employment": ("就业状况", "employment status"),
    "work_ability": ("劳动能力", "capacity to work"),
    "disability": ("残疾情况", "disability"),
    "self_care": ("生活自理能力评估", "self-care assessment"),
    "assets": ("家庭财产", "household assets"),
    "financial_assets": ("金融资产", "financial assets"),
    "expenditures": ("刚性支出", "rigid expenditure"),
    "supporters": ("赡养、抚养、扶养义务人情况", "legal supporters"),
}


def decision_notice(assessment: Assessment, application: Application, *,
                    language: str = "zh", templates: Path | None = None,
                    issuer: dict[str, Any] | None = None, format: str = "text") -> str:
    """The applicant's notice of the outcome for every aid type, with the reasons.

    ``issuer`` is what :func:`issuer_of` reads from the jurisdiction's parameters (the
    issuing authority, its address, the reconsideration body, the court, the time limits
    and the legal basis); ``format`` is ``text`` or ``html``."""
    view = _decision_view(assessment, application, language)
    view["issuer"], view["lang"] = _issuer_view(issuer or {}, language), language
    _schedule(view["eligible"], issuer or {}, assessment.on, view["able_to_work"])
    return _render(_name("decision", _language(language), format), templates, **view)


def public_notice(entries: Iterable[tuple[Assessment, Application]], *, title: str,
                  start: str, end: str, templates: Path | None = None,
                  issuer: dict[str, Any] | None = None, format: str = "text") -> str:
    """The public notice (公示) of households found eligible: names and numbers masked."""
    rows = []
    for assessment, application in entries:
        head = _head(application)
        for result in assessment.results:
            if result.status == "eligible" and result.aid in ("dibao", "tekun"):
                rows.append({"name": head.name, "id_number": head.id_number,
                             "size": len(application.household.members), "aid": result.name,
                             "amount": result.amount, "period": result.period or "month"})
    return public_list(rows, title=title, start=start, end=end, templates=templates,
                       issuer=issuer, format=format)


def public_list(rows: Iterable[dict[str, Any]], *, title: str, start: str, end: str,
                templates: Path | None = None, issuer: dict[str, Any] | None = None,
                format: str = "text") -> str:
    """The public notice of rows (name, id_number, size, aid, amount, period), as a ledger
    gives them: names and identity numbers are masked here."""
    shown = [{**row, "name": mask_name(row["name"]), "id": mask_id_number(row["id_number"]),
              "id_number": None} for row in rows]
    return _render(_name("public_notice", "zh", format), templates, title=title, start=start,
                   end=end, rows=shown, issuer=_issuer_view(issuer or {}, "zh"), lang="zh")


# What a notice reads from the jurisdiction's parameters (policies/national/notice/).
ISSUER_PARAMETERS = ("authority", "address", "reconsideration", "court", "legal_basis")
ISSUER_NUMBERS = ("reconsideration_days", "lawsuit_months", "first_payment_months")


def issuer_of(policies, jurisdiction: str, on) -> dict[str, Any]:
    """The notice's parameters in force for ``jurisdiction`` on ``on``; absent ones left out."""
    found: dict[str, Any] = {}
    for name in ISSUER_PARAMETERS + tuple(f"{n}_en" for n in ISSUER_PARAMETERS) + \
            ISSUER_NUMBERS:
        try:
            found[name] = policies.value(f"notice.{name}", jurisdiction, on).value
        except LookupError:
            continue
    for kind in ("stable", "unstable"):
        try:
            found[f"review_{kind}"] = policies.value(
                f"review.interval_months.{kind}", jurisdiction, on).value
        except LookupError:
            continue
    return found


def _issuer_view(issuer: dict[str, Any], language: str) -> dict[str, Any]:
    english = language == "en"
    view = {name: issuer.get(f"{name}_en" if english else name) or "——"
            for name in ISSUER_PARAMETERS}
    view.update({name: issuer.get(name, "——") for name in ISSUER_NUMBERS})
    return view


def _schedule(eligible: list[dict], issuer: dict[str, Any], on, able_to_work: bool) -> None:
    """The first month paid and the next review, for aid paid monthly or yearly."""
    first = issuer.get("first_payment_months")  # unset: no month printed
    for result in eligible:
        paid = result["period"] in ("month", "year") and result["amount"] is not None
        review = issuer.get("review_unstable" if able_to_work and result["aid"] != "tekun"
                            else "review_stable")
        result["start"] = _month(on, int(first)) if paid and first is not None else None
        result["review"] = _month(on, int(review)) if paid and review is not None else None


def _month(on, months: int) -> str:
    index = on.year * 12 + on.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def _name(kind: str, language: str, format: str) -> str:
    if format not in ("text", "html"):
        raise NoticeError(f"format={format!r} is not offered; expected 'text' or 'html'")
    return f"{kind}.{language}.j2" if format == "text" else f"{kind}.{language}.html.j2"


# ---- the view --------------------------------------------------------------------------

def _decision_view(assessment: Assessment, application: Application, language: str) -> dict:
    head = _head(application)
    results = [_result_view(r, language) for r in assessment.results]
    return {
        "application_id": assessment.application_id, "on": assessment.on.isoformat(),
        "jurisdiction": assessment.jurisdiction,
        "applicant": mask_name(head.name), "id_number": mask_id_number(head.id_number),
        "household_size": len(application.household.members),
        "able_to_work": any(m.work_ability in ("full", "partial")
                            for m in application.household.members),
        "eligible": [r for r in results if r["status"] == "eligible"],
        "ineligible": [r for r in results if r["status"] == "ineligible"],
        "undetermined": [r for r in results if r["status"] == "undetermined"],
        "referrals": assessment.referrals, "risk_level": assessment.risk_level,
    }


def _result_view(result: AidResult, language: str) -> dict[str, Any]:
    english = language == "en"
    winning = [t for t in result.rules if t.result == "true"]
    return {
        "aid": result.aid, "name": result.name_en if english else result.name,
        "status": result.status, "amount": result.amount, "amount_max": result.amount_max,
        "period": result.period,
        "members": [m + 1 for m in result.members],  # enrolled alone (单人保), counted from 1
        "basis": [t.basis for t in winning] or sorted({t.basis for t in result.rules}),
        "reasons": ([_met_line(c, english) for t in winning for c in t.criteria
                     if not _is_switch(c)] if winning else _refusal_lines(result, english)),
        "missing": [_missing_line(p, english) for p in result.missing],
        "summary": result.summary_en if english else result.summary,
    }


def _refusal_lines(result: AidResult, english: bool) -> list[str]:
    """The criteria that decided a refusal, in plain words, each once.

    A rule that failed on a policy switch alone (a payment method the county does not
    use) was never the household's path, and neither are special paths while a household
    rule has reasons to give: a member enrolled alone, or a rule the rule file marks
    ``special: true`` (a grace period), as the trace carries it."""
    failed = [t for t in result.rules if t.result == "false"]
    paths = [t for t in failed if not any(_is_switch(c) for c in t.criteria
                                          if c.result == "false")] or failed
    main = [t for t in paths if t.member is None and not t.special]
    lines: list[str] = []
    for trace in main or paths:
        for c in trace.criteria:
            line = _failed_line(c, english) if c.result == "false" else None
            if line and line not in lines:
                lines.append(line)
    return lines


def _is_switch(c: CriterionResult) -> bool:
    """A condition on the policy alone: it reads no fact of the household."""
    return not c.facts and bool(c.parameters)


def _failed_line(c: CriterionResult, english: bool) -> str:
    reason = c.reason_en if english else c.reason
    compared = isinstance(c.left, Fraction) and isinstance(c.right, Fraction)
    if reason and (compared or not re.search(r"\{(value|limit|compare)\}", reason)):
        return _fill(reason, c, english)
    title = (c.title_en if english else c.title) or c.text
    return f"not met: {title}" if english else f"不符合：{title}"


def _met_line(c: CriterionResult, english: bool) -> str:
    title = (c.title_en if english else c.title) or c.text
    if c.parameters and isinstance(c.left, Fraction) and isinstance(c.right, Fraction) \
            and (c.left or c.right):  # nothing to show in 0 against 0
        left, right = _number(c.left, c.right), _number(c.right, c.left)
        return f"{title} ({left} vs {right})" if english else f"{title}（{left} 对比 {right}）"
    return title


COMPARE = {"zh": ("低于", "等于", "高于"), "en": ("below", "equal to", "above")}


def _fill(reason: str, c: CriterionResult, english: bool) -> str:
    """The rule file's words with the values compared, in yuan to the fen."""
    left, right = c.left, c.right
    places = {"value": "", "limit": "", "compare": ""}
    if isinstance(left, Fraction) and isinstance(right, Fraction):
        words = COMPARE["en" if english else "zh"]
        places = {"value": _number(left, right), "limit": _number(right, left),
                  "compare": words[(left > right) - (left < right) + 1]}
    return re.sub(r"\{(value|limit|compare)\}", lambda m: places[m[1]], reason)


def _number(value: Fraction, other: Fraction) -> str:
    """A whole number as it is; otherwise to the fen, or finer where the fen would make
    two different values look equal (709.996 against 710)."""
    if value.denominator == 1:
        return str(value.numerator)
    for places in (2, 4):
        shown = Decimal(value.numerator) / Decimal(value.denominator)
        shown = shown.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if Fraction(shown) != other or value == other:
            return format(shown, "f")
    return format(shown, "f")


def _missing_line(path: str, english: bool) -> str:
    field = re.findall(r"[a-z_]+", path)[-1]
    label = FIELD_LABELS.get(field, (field, field))[1 if english else 0]
    member = re.search(r"members\[(\d+)\]", path)
    if member is None:
        return label
    number = int(member[1]) + 1
    return f"member {number}: {label}" if english else f"第{number}位家庭成员的{label}"


def _head(application: Application):
    members = application.household.members
    return next((m for m in members if m.relation == "head"), members[0])


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise NoticeError(f"language={language!r} is not offered; expected one of {LANGUAGES}")
    return language


# ---- jinja2 ---------------------------------------------------------------------------

def _render(name: str, templates: Path | None, **view: Any) -> str:
    environment = _environment(templates)
    try:
        return environment.get_template(name).render(**view)
    except jinja2.TemplateSyntaxError as exc:
        raise NoticeError(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.sandbox.SecurityError as exc:  # reaching past the view: refused
        where = _template_line(exc) or f"{name}: "
        raise NoticeError(f"{where}not allowed in a notice template: {_one_line(exc)}") from None
    except jinja2.TemplateError as exc:  # an unknown name in the view, a missing template
        where = _template_line(exc) or f"{name}: "
        raise NoticeError(f"{where}{_one_line(exc)}") from None
    except (ArithmeticError, TypeError, ValueError, LookupError) as exc:  # e.g. 1/0, x[9]
        where = _template_line(exc) or f"{name}: "
        raise NoticeError(f"{where}{type(exc).__name__}: {_one_line(exc)}") from None


def _one_line(exc: Exception) -> str:
    text = str(getattr(exc, "message", None) or exc)
    return " ".join(text.split())[:300]


def _template_line(exc: Exception) -> str:
    """``file:line: `` of the template frame the error came from, when there is one."""
    tb = exc.__traceback__
    found = ""
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            found = f"{code.co_filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return found


class _NoticeSandbox(ImmutableSandboxedEnvironment):
    """jinja2's sandbox (no attribute starting with ``_``, no unsafe callables, no changing
    the view's lists), with no globals (``cycler``, ``lipsum``, ``range``...): a template
    sees only its view. ``*`` and ``**`` are bounded so a template cannot exhaust memory."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _is_big_power(left, right):
            raise jinja2.sandbox.SecurityError(f"{left!r} ** {right!r} is too large")
        if operator == "*" and _is_big_repeat(left, right):
            raise jinja2.sandbox.SecurityError("a repeated text or list is too long")
        return super().call_binop(context, operator, left, right)


MAX_REPEAT = 100_000  # characters or items a template may build with `*`


def _is_big_power(base: Any, exponent: Any) -> bool:
    return isinstance(exponent, (int, float)) and abs(exponent) > 64 and abs(base) > 1


def _is_big_repeat(left: Any, right: Any) -> bool:
    if isinstance(left, int) and not isinstance(left, bool):
        left, right = right, left
    return (isinstance(left, (str, list, tuple)) and isinstance(right, int)
            and len(left) * right > MAX_REPEAT)


def _environment(templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("aidrules.notices", "templates")]
    if templates is not None and not Path(templates).is_dir():  # else the shipped wording
        raise NoticeError(f"templates={str(templates)!r}: no such directory")  # goes out
    if templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(templates))  # a county's own wording first
    environment = _NoticeSandbox(loader=jinja2.ChoiceLoader(loaders),
                                 undefined=jinja2.StrictUndefined,
                                 autoescape=jinja2.select_autoescape(["html.j2"], []),
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.globals.clear()
    return environment


# ---- the monthly report ---------------------------------------------------------------

RISK_WORDS = {"red": "红（高）", "yellow": "黄（中）", "blue": "蓝（低）"}
WARNING_WORDS = {"red": "红色预警", "yellow": "黄色预警", "blue": "蓝色预警"}
BAR_WIDTH = 360  # pixels of the longest bar


def month_report(figures: dict[str, Any], labels: dict[str, str], *, title: str,
                 templates: Path | None = None, issuer: dict[str, Any] | None = None) -> str:
    """The month's report as HTML, with a bar chart (inline SVG) for each breakdown.

    ``labels`` names the ids the figures are keyed by (aid types, brands, departments)."""
    charts = [(key, caption, _bars(figures[key], words)) for key, caption, words in (
        ("warnings_by_department", "预警信息（按来源部门）", labels),
        ("warnings_by_colour", "预警信息（按预警颜色）", WARNING_WORDS),
        ("enrolled_by_aid", "新纳入救助（按救助类别，户）", labels),
        ("referrals_by_brand", "信息推送（按帮扶品牌）", labels),
        ("feedback_by_brand", "跟踪反馈（按帮扶品牌）", labels),
        ("households_by_risk", "低收入家庭（按困难等级，户）", RISK_WORDS))]
    return _render("month_report.zh.html.j2", templates, title=title, f=figures,
                   charts=[{"key": k, "caption": c, "bars": b} for k, c, b in charts],
                   issuer=_issuer_view(issuer or {}, "zh"), lang="zh")


def month_report_rows(figures: dict[str, Any], labels: dict[str, str]) -> list[list[str]]:
    """The same figures as rows (section, item, name, count) for a spreadsheet."""
    rows = [["section", "item", "name", "count"]]
    for key, value in figures.items():
        if isinstance(value, dict):
            words = {**labels, **(RISK_WORDS if key == "households_by_risk" else {}),
                     **(WARNING_WORDS if key == "warnings_by_colour" else {})}
            rows += [[key, item, words.get(item) or item, str(n)] for item, n in value.items()]
        elif isinstance(value, int):
            rows.append([key, "", "", str(value)])
    return rows


def _bars(counts: dict[str, int], words: dict[str, str]) -> list[dict[str, Any]]:
    order = list(RISK_WORDS)  # red, yellow, blue first, in that order; the rest as given
    counts = dict(sorted(counts.items(), key=lambda kv: order.index(kv[0])
                         if kv[0] in order else len(order)))
    top = max(counts.values(), default=0) or 1
    return [{"label": words.get(k, k), "value": n, "width": round(BAR_WIDTH * n / top),
             "y": 8 + 26 * i} for i, (k, n) in enumerate(counts.items())]


# ---- referral forms and task sheets ------------------------------------------------------

def referral_form(referrals: list[dict[str, Any]], *, brand: str, month: str,
                  templates: Path | None = None, issuer: dict[str, Any] | None = None) -> str:
    """The referral form (信息推送单) of one brand for one month: one row per household,
    names and identity numbers masked."""
    rows = [{**r, "head": _masked_head(r["head"])} for r in referrals]
    return _render("referral_form.zh.html.j2", templates, brand=brand, month=month, rows=rows,
                   issuer=_issuer_view(issuer or {}, "zh"), lang="zh")


def task_sheet(tasks: list[dict[str, Any]], *, grid: str, on: str,
               templates: Path | None = None, issuer: dict[str, Any] | None = None) -> str:
    """The grid worker's verification task sheet (核查任务单), with room for findings."""
    rows = [{**task, "head": _masked_head(task["head"]),
             "colour": WARNING_WORDS.get(task["risk_level"] or "", "")} for task in tasks]
    return _render("task_sheet.zh.html.j2", templates, grid=grid, on=on, rows=rows,
                   issuer=_issuer_view(issuer or {}, "zh"), lang="zh")


def _masked_head(head: tuple[str, str, int] | None) -> dict[str, Any]:
    if head is None:
        return {"name": "——", "id": "——", "size": "——"}
    name, id_number, size = head
    return {"name": mask_name(name), "id": mask_id_number(id_number), "size": size}
