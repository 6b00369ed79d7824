"""The full reasoning for one aid type, as text for officers (Chinese, then English)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from aidrules.render.words import money_text, outcome, period, truth

if TYPE_CHECKING:
    from aidrules.engine.results import Assessment, CriterionResult


def explain(assessment: Assessment, aid: str) -> str:
    result = assessment.result(aid)
    lines = [f"{result.name} ({result.aid}): {outcome(result.status)}",
             f"  {result.summary}", f"  {result.summary_en}"]
    if result.amount is not None:
        extra = f" – {result.amount_max}" if result.amount_max is not None else ""
        lines.append(f"  金额 amount: {result.amount}{extra} {period(result.period)}")
    for path in result.missing:
        lines.append(f"  缺少 missing: {path}")
    for trace in result.rules:
        who = "" if trace.member is None else f" [成员 member {trace.member}]"
        lines += ["", f"规则 rule {trace.rule}{who}: {truth(trace.result)}"
                  f"{' (已触发 fired)' if trace.fired else ''}",
                  f"  {trace.title}", f"  {trace.title_en}", f"  依据 basis: {trace.basis}"]
        lines += [line for criterion in trace.criteria for line in _criterion(criterion)]
    return "\n".join(lines)


def _criterion(c: CriterionResult) -> list[str]:
    lines = [f"  - {truth(c.result)}: {c.title or c.text}"]
    if c.title_en:
        lines.append(f"      {c.title_en}")
    lines.append(f"      {c.text}")
    if isinstance(c.left, Fraction) and isinstance(c.right, Fraction):
        lines.append(f"      {money_text(c.left)} 对比 vs {money_text(c.right)}, "
                     f"差额 margin {money_text(c.margin)}")
    for p in c.parameters:
        origin = p.source or f"暂定 assumed: {p.assumed}"
        lines.append(f"      参数 {p.name} = {_value(p.value)} {p.unit}（{p.jurisdiction}，"
                     f"自 from {p.effective_from}）{origin}")
    for path in c.missing:
        lines.append(f"      缺少 missing: {path}")
    return lines


def _value(value: Any) -> str:
    if isinstance(value, Fraction):
        return money_text(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)
