"""Rendering notices: the only module importing jinja2. Templates see a plain view of
the assessment (never engine internals): outcomes, reasons, bases and missing fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from aidrules.engine.results import AidResult, Assessment, CriterionResult, money_text
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
                    language: str = "zh", templates: Path | None = None) -> str:
    """The applicant's notice of the outcome for every aid type, with the reasons."""
    return _render(f"decision.{_language(language)}.j2", templates,
                   **_decision_view(assessment, application, language))


def public_notice(entries: Iterable[tuple[Assessment, Application]], *, title: str,
                  start: str, end: str, templates: Path | None = None) -> str:
    """The public notice (公示) of households found eligible: names and numbers masked."""
    rows = []
    for assessment, application in entries:
        head = _head(application)
        for result in assessment.results:
            if result.status == "eligible" and result.aid in ("dibao", "tekun"):
                rows.append({"name": mask_name(head.name), "id": mask_id_number(head.id_number),
                             "size": len(application.household.members), "aid": result.name,
                             "amount": result.amount})
    return _render("public_notice.zh.j2", templates, title=title, start=start, end=end,
                   rows=rows)


# ---- the view --------------------------------------------------------------------------

def _decision_view(assessment: Assessment, application: Application, language: str) -> dict:
    head = _head(application)
    results = [_result_view(r, language) for r in assessment.results]
    return {
        "application_id": assessment.application_id, "on": assessment.on.isoformat(),
        "jurisdiction": assessment.jurisdiction, "rulebook": assessment.rulebook,
        "applicant": mask_name(head.name), "id_number": mask_id_number(head.id_number),
        "household_size": len(application.household.members),
        "eligible": [r for r in results if r["status"] == "eligible"],
        "ineligible": [r for r in results if r["status"] == "ineligible"],
        "undetermined": [r for r in results if r["status"] == "undetermined"],
        "referrals": assessment.referrals, "risk_level": assessment.risk_level,
    }


def _result_view(result: AidResult, language: str) -> dict[str, Any]:
    english = language == "en"
    winning = [t for t in result.rules if t.result == "true"]
    failing = [c for t in result.rules for c in t.criteria if c.result == "false"]
    return {
        "aid": result.aid, "name": result.name_en if english else result.name,
        "status": result.status, "amount": result.amount, "amount_max": result.amount_max,
        "period": result.period,
        "members": [m + 1 for m in result.members],  # enrolled alone (单人保), counted from 1
        "basis": [t.basis for t in winning] or sorted({t.basis for t in result.rules}),
        "reasons": [_criterion_line(c, english) for c in
                    ([c for t in winning for c in t.criteria] if winning else failing[:3])],
        "missing": [_missing_line(p, english) for p in result.missing],
        "summary": result.summary_en if english else result.summary,
    }


def _criterion_line(c: CriterionResult, english: bool) -> str:
    title = (c.title_en if english else c.title) or c.text
    if isinstance(c.left, Fraction) and isinstance(c.right, Fraction):
        compared = f"{money_text(c.left)} vs {money_text(c.right)}" if english else \
            f"{money_text(c.left)} 对比 {money_text(c.right)}"
        title = f"{title} ({compared})" if english else f"{title}（{compared}）"
    held = {"true": ("holds", "成立"), "false": ("does not hold", "不成立"),
            "unknown": ("cannot be decided", "无法判断")}[c.result]
    return f"{title}: {held[0]}" if english else f"{title}：{held[1]}"


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
                                 undefined=jinja2.StrictUndefined, autoescape=False,
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.globals.clear()
    return environment
