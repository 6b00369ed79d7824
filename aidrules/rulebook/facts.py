"""An application's facts as the rule language sees them: base facts, then derived ones.

Money becomes exact :class:`~fractions.Fraction` yuan; a part of the application that
was not reported becomes UNKNOWN, and its path is remembered so that an undetermined
result can say which facts would decide it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import attrs

from aidrules import model
from aidrules.language.evaluator import UNKNOWN, Env, evaluate
from aidrules.rulebook.book import RuleBook


@attrs.define
class Facts:
    """The household's environment, its members' environments, and what was unknown."""

    household: Env
    members: list[Env]
    unknown: dict[str, list[str]]  # base field → JSON paths that were not reported

    def member_field(self, index: int, name: str) -> Any:
        return self.members[index].fields.get(name, UNKNOWN)


def base_facts(application: model.Application) -> Facts:
    unknown: dict[str, list[str]] = defaultdict(list)
    household = application.household
    fields: dict[str, Any] = {"area": application.area.value}
    fields.update(_assets(household.assets, unknown))
    fields["expenditures"] = _expenditures(household.expenditures, unknown)
    fields["supporters"] = [_supporter(s, i, application.applied_on, unknown)
                            for i, s in enumerate(household.supporters)]
    fields.update(_current_support(household, application.applied_on, unknown))
    fields["emergencies"] = [_emergency(e, application.applied_on) for e in household.emergencies]
    fields["household_incomes"] = _incomes(household.incomes)
    env = Env(fields)
    members = [_member(m, i, application.applied_on, env, unknown)
               for i, m in enumerate(household.members)]
    fields["members"] = members
    for item in (*fields["supporters"], *fields["emergencies"], *fields["household_incomes"]):
        item.parent = env
    return Facts(env, members, dict(unknown))


def _assets(assets: model.Assets | None, unknown) -> dict[str, Any]:
    if assets is None:
        for name in ("financial_assets", "housing_units", "business_registrations", "vehicles"):
            unknown[name].append("$.household.assets")
        return dict.fromkeys(
            ("financial_assets", "housing_units", "business_registrations", "vehicles"), UNKNOWN)
    return {
        "financial_assets": Fraction(assets.financial_assets),
        "housing_units": _whole(assets.housing_units),
        "business_registrations": _whole(assets.business_registrations),
        "vehicles": [Env({"kind": v.kind.value,
                          "value": UNKNOWN if v.value is None else Fraction(v.value),
                          "purpose": v.purpose.value})
                     for v in assets.vehicles],
    }


def _current_support(household: model.Household, on, unknown) -> dict[str, Any]:
    """The household's support form, and where it stands if it already receives dibao."""
    rose_on = household.work_income_rose_on
    paid = household.dibao_monthly_amount
    if paid is None:
        unknown["dibao_paid_amount"].append("$.household.dibao_monthly_amount")
    if household.dibao_tier is None:
        unknown["dibao_tier"].append("$.household.dibao_tier")
    return {
        "support_form": household.support_form.value,
        "has_contracted_land": household.has_contracted_land,
        "shares_collective_income": household.shares_collective_income,
        "relocated_to_town": household.relocated_to_town,
        "is_dibao_recipient": household.is_dibao_recipient,
        "dibao_paid_amount": UNKNOWN if paid is None else Fraction(paid),
        "income_rose_from_work": rose_on is not None,
        "grace_months_used": _whole(_whole_months(rose_on, on) if rose_on else 0),
        "dibao_tier": UNKNOWN if household.dibao_tier is None else _whole(household.dibao_tier),
    }


def _supporter(s: model.Supporter, index: int, on, unknown) -> Env:
    """A legal supporter: the art. 8 case recorded, and what its conditions test."""
    path = f"$.household.supporters[{index}]"
    age = s.age_on(on)
    for value, name, field in ((age, "obligor_age", "id_number"),
                               (s.yearly_income, "obligor_yearly_income", "yearly_income"),
                               (s.assets_within_low_income_rules, "obligor_assets_within_rules",
                                "assets_within_low_income_rules")):
        if value is None:
            unknown[name].append(f"{path}.{field}")
    disability = s.disability
    return Env({
        "relation": s.relation.value, "is_able": s.is_able,
        "inability": s.inability.value if s.inability else "none",
        "obligor_age": UNKNOWN if age is None else _whole(age),
        "obligor_has_disability": disability is not None,
        "obligor_disability_kind": disability.kind.value if disability else "none",
        "obligor_disability_grade": _whole(disability.grade if disability else 0),
        "obligor_yearly_income": UNKNOWN if s.yearly_income is None else Fraction(s.yearly_income),
        "obligor_assets_within_rules": (UNKNOWN if s.assets_within_low_income_rules is None
                                        else s.assets_within_low_income_rules),
    })


def _whole(n: int) -> Fraction:
    """A whole number as a Fraction; the small ones (ages, counts, grades) made once."""
    return _WHOLES[n] if type(n) is int and 0 <= n < len(_WHOLES) else Fraction(n)


_WHOLES = tuple(Fraction(n) for n in range(400))


def _whole_months(start, end) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 if ``end`` is not later)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def _expenditures(expenditures, unknown):
    if expenditures is None:
        unknown["expenditures"].append("$.household.expenditures")
        return UNKNOWN
    return [Env({"kind": e.kind.value, "amount": Fraction(e.amount)}) for e in expenditures]


def _emergency(e: model.Emergency, applied_on) -> Env:
    return Env({"kind": e.kind.value, "loss_amount": Fraction(e.loss_amount),
                "days_before_application": _whole((applied_on - e.occurred_on).days)})


def _member(m: model.Member, index: int, on, household: Env, unknown) -> Env:
    path = f"$.household.members[{index}]"

    def known(value, name: str, convert: Callable = lambda v: v, field: str | None = None):
        if value is None:
            unknown[name].append(f"{path}.{field or name}")
            return UNKNOWN
        return convert(value)

    disability = m.disability
    fields = {
        "age": _whole(m.age_on(on)),
        "sex": m.sex.value,
        "relation": m.relation.value,
        "work_ability": known(m.work_ability, "work_ability", lambda v: v.value),
        "has_disability": disability is not None,
        "disability_kind": disability.kind.value if disability else "none",
        "disability_grade": _whole(disability.grade if disability else 0),
        "is_seriously_ill": m.is_seriously_ill,
        "student_level": m.student_level.value if m.student_level else "none",
        "is_student": m.student_level is not None,
        "employment": known(m.employment, "employment", lambda v: v.value),
        "adl_failed": known(m.self_care, "adl_failed", lambda v: _whole(v.failed_count),
                             "self_care"),
        "is_co_residing": m.is_co_residing,
        "absence": m.absence.value if m.absence else "none",
        "refused_job_offers": _whole(m.refused_job_offers),
        "employment_cost": Fraction(m.employment_cost),
        "is_tekun_recipient": m.is_tekun_recipient,
        "chose_orphan_protection": m.chose_orphan_protection,
        "incomes": known(m.incomes, "incomes", _incomes),
    }
    member = Env(fields, household)
    if isinstance(fields["incomes"], list):
        for income in fields["incomes"]:
            income.parent = member
    return member


def _incomes(incomes) -> list[Env]:
    return [Env({"kind": i.kind.value, "monthly_amount": i.monthly_amount}) for i in incomes]


def derive(facts: Facts, book: RuleBook, parameters: Callable[[str], Any]) -> Facts:
    """Compute every derived fact of the rule book, in dependency order, into ``facts``."""
    for fact in book.facts:
        targets = facts.members if fact.scope == "member" else [facts.household]
        for env in targets:
            env.fields[fact.id] = evaluate(fact.formula, env, parameters)
    return facts


def facts_for(application: model.Application, book: RuleBook,
              parameters: Callable[[str], Any]) -> Facts:
    return derive(base_facts(application), book, parameters)


def missing_paths(names, book: RuleBook, facts: Facts) -> list[str]:
    """The unreported parts of the application that ``names`` depend on, transitively."""
    return missing_among(sorted(book.depends_on(names)), facts)


def missing_among(depended: Iterable[str], facts: Facts) -> list[str]:
    """``missing_paths`` with the names depended on worked out beforehand, in order."""
    paths: list[str] = []
    unknown = facts.unknown
    for name in depended:
        if name in unknown:
            paths.extend(p for p in unknown[name] if p not in paths)
    return paths
