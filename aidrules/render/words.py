"""The words of an outcome, in Chinese and English: the one place they are written.

A leaf: it imports nothing of the library, so the engine may use it for the one
sentence a result still carries (``AidResult.summary``) without depending on the
rest of the rendering room. Tables are keyed by the values of
:class:`aidrules.engine.results.Outcome` and :class:`~aidrules.engine.results.Truth`
(str enums, so a member looks up as its value)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

# An aid type's outcome (Outcome): (Chinese, English).
OUTCOME = {"eligible": ("符合", "eligible"), "ineligible": ("不符合", "ineligible"),
           "undetermined": ("待定", "undetermined")}

# A criterion's or a rule's value (Truth): (mark, Chinese, English).
TRUTH = {"true": ("✓", "成立", "holds"), "false": ("✗", "不成立", "fails"),
         "unknown": ("?", "无法判断", "unknown")}

# A rule's criteria in the rule-book pages (aidrules document).
ALL_MUST_HOLD = f"条件（须全部{TRUTH['true'][1]}）/ Criteria (all must hold):"

# What an amount is paid per (AidResult.period), in both languages.
PERIOD = {"month": "元/月 yuan a month", "year": "元/年 yuan a year",
          "once": "元（一次性）yuan once", None: "元 yuan"}


def outcome(status: str) -> str:
    """``符合 eligible``: the outcome in both languages."""
    zh, en = OUTCOME[status]
    return f"{zh} {en}"


def truth(value: str) -> str:
    """``✓ 成立 holds``: a criterion's value with its mark, in both languages."""
    return " ".join(TRUTH[value])


def period(value: str | None) -> str:
    return PERIOD[value]


def money_text(value: Fraction) -> str:
    """An exact number as text: 1420, 712.5, or 1/6 when no decimal is exact."""
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return f"{value.numerator}/{value.denominator}"


# ---- the one-line summary of a result (AidResult.summary, summary_en) ---------------------

def summary(label: str, traces: Any, winners: Any, missing: Any) -> tuple[str, str]:
    """The summary for an outcome: the rule that granted it (``winners``: (rule, member)
    pairs, the rule with ``title``, ``title_en``, ``basis``), the first criterion that
    failed in ``traces``, or what is missing."""
    if label == "eligible":
        rule = winners[0][0]
        return f"符合：{rule.title}（{rule.basis}）", f"Eligible: {rule.title_en} ({rule.basis})"
    if label == "undetermined":
        gaps = "、".join(missing) or "有关信息"
        return f"暂无法认定：缺少 {gaps}", f"Cannot decide yet: missing {', '.join(missing)}"
    failed = [c for t in traces for c in t.criteria if c.result == "false"]
    if not failed:
        return "不符合条件", "Not eligible"
    first = failed[0]
    compared = isinstance(first.left, Fraction) and isinstance(first.right, Fraction)
    left, right = (money_text(first.left), money_text(first.right)) if compared else ("", "")
    return (f"不符合：{first.title or first.text}{TRUTH['false'][1]}"
            + (f"（{left} 对比 {right}）" if compared else ""),
            f"Not eligible: '{first.title_en or first.text}' does not hold"
            + (f" ({left} vs {right})" if compared else ""))


def amount_pending(summary: str, summary_en: str, missing: Any) -> tuple[str, str]:
    """The summary of an eligible result whose amount waits on unreported facts."""
    gaps = "、".join(missing) or "有关信息"
    return (f"{summary}；金额暂无法计算：缺少 {gaps}",
            f"{summary_en}; the amount cannot be computed yet: missing "
            f"{', '.join(missing) or 'some information'}")
