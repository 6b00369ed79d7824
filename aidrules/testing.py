"""Hypothesis strategies for aidrules applications, public so a county can property-test
its own rules (install the ``testing`` extra: ``pip install 'aidrules[testing]'``).

Model strategies build *valid* objects: identity numbers with the right check
character, members with a real birth date, applications whose household has exactly
one head and no identity number twice. For example::

    from hypothesis import given
    from aidrules.testing import applications

    @given(applications())
    def test_every_application_gets_a_status_for_every_aid(application): ...
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError("aidrules.testing needs Hypothesis: pip install 'aidrules[testing]'") \
        from exc

from aidrules.model import (
    Absence,
    Application,
    Area,
    Assets,
    Disability,
    DisabilityKind,
    Emergency,
    EmergencyKind,
    Employment,
    Expenditure,
    ExpenditureKind,
    Household,
    Income,
    IncomeKind,
    Member,
    ObligorInability,
    Period,
    Relation,
    SelfCare,
    StudentLevel,
    Supporter,
    SupportForm,
    Vehicle,
    VehicleKind,
    VehiclePurpose,
    WorkAbility,
    make_id_number,
)
from aidrules.model.application import APPLICATION_HORIZON

__all__ = ["REGIONS", "TIELI", "amounts", "applications", "assets", "id_numbers", "incomes",
           "jurisdictions", "members", "self_cares", "texts"]

REGIONS = ("230781", "230702", "110105", "340524", "440524")  # 230781 is Tieli
TIELI = "heilongjiang/yichun/tieli"


def id_numbers(births: st.SearchStrategy[date] | None = None) -> st.SearchStrategy[str]:
    """Valid 18-character identity numbers."""
    births = st.dates(date(1900, 1, 1), date(2025, 12, 31)) if births is None else births
    return st.builds(make_id_number, st.sampled_from(REGIONS), births, st.integers(0, 999))


def amounts(max_value: int = 100_000) -> st.SearchStrategy[Decimal]:
    """Non-negative amounts in whole fen."""
    return st.decimals(min_value=0, max_value=max_value, places=2,
                       allow_nan=False, allow_infinity=False)


def texts() -> st.SearchStrategy[str]:
    """Non-empty free text, names in Chinese and otherwise."""
    chinese = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2,
                      max_size=4)
    anything = st.text(st.characters(codec="utf-8", exclude_categories=(
        "Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=12).filter(str.strip)
    return chinese | anything


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


def incomes() -> st.SearchStrategy[Income]:
    return st.builds(Income, kind=st.sampled_from(IncomeKind), amount=amounts(),
                     period=st.sampled_from(Period), note=_optional(texts()))


def self_cares() -> st.SearchStrategy[SelfCare]:
    flags = {name: st.booleans() for name in
             ("eating", "dressing", "transferring", "toileting", "walking_indoors", "bathing")}
    return st.builds(SelfCare, **flags)


def members(relation: st.SearchStrategy[Relation] | None = None,
            counted: bool = False) -> st.SearchStrategy[Member]:
    """Valid members with any relation (an application's strategy fixes the head, and counts
    it as living in the household: a household needs one such member)."""
    return st.builds(
        Member,
        id_number=id_numbers(),
        name=texts(),
        relation=st.sampled_from(Relation) if relation is None else relation,
        work_ability=_optional(st.sampled_from(WorkAbility)),
        disability=_optional(st.builds(Disability, kind=st.sampled_from(DisabilityKind),
                                       grade=st.integers(1, 4))),
        is_seriously_ill=st.booleans(),
        illness=_optional(texts()),
        student_level=_optional(st.sampled_from(StudentLevel)),
        employment=_optional(st.sampled_from(Employment)),
        self_care=_optional(self_cares()),
        incomes=_optional(st.lists(incomes(), max_size=3).map(tuple)),
        is_co_residing=st.just(True) if counted else st.booleans(),
        absence=st.none() if counted else _optional(st.sampled_from(Absence)),
        refused_job_offers=st.integers(0, 5),
    )


def assets() -> st.SearchStrategy[Assets]:
    vehicles = st.builds(Vehicle, kind=st.sampled_from(VehicleKind), value=_optional(amounts()),
                         purpose=st.sampled_from(VehiclePurpose))
    return st.builds(Assets, financial_assets=amounts(1_000_000),
                     vehicles=st.lists(vehicles, max_size=2).map(tuple),
                     housing_units=st.integers(0, 3), business_registrations=st.integers(0, 2))


def _households() -> st.SearchStrategy[Household]:
    others = st.sampled_from([r for r in Relation if r is not Relation.head])
    people = st.tuples(members(st.just(Relation.head), counted=True),
                       st.lists(members(others), max_size=3))
    unique = people.map(lambda p: (p[0], *p[1])).filter(
        lambda ms: len({m.id_number for m in ms}) == len(ms))
    expenditures = st.builds(Expenditure, kind=st.sampled_from(ExpenditureKind), amount=amounts())
    supporters = st.builds(Supporter, name=texts(), relation=st.sampled_from(Relation),
                           is_able=st.booleans(), inability_reason=_optional(texts()),
                           inability=_optional(st.sampled_from(ObligorInability)),
                           id_number=_optional(id_numbers(st.dates(date(1930, 1, 1),
                                                                   date(1990, 12, 31)))),
                           disability=_optional(st.builds(Disability,
                                                          kind=st.sampled_from(DisabilityKind),
                                                          grade=st.integers(1, 4))),
                           yearly_income=_optional(amounts()),
                           assets_within_low_income_rules=_optional(st.booleans()))
    emergencies = st.builds(Emergency, kind=st.sampled_from(EmergencyKind),
                            occurred_on=st.dates(date(2020, 1, 1), date(2025, 12, 31)),
                            loss_amount=amounts(), description=_optional(texts()))
    return st.builds(
        Household,
        members=unique.flatmap(lambda ms: st.permutations(ms)).map(tuple),
        assets=_optional(assets()),
        expenditures=_optional(st.lists(expenditures, max_size=3).map(tuple)),
        supporters=st.lists(supporters, max_size=2).map(tuple),
        emergencies=st.lists(emergencies, max_size=2).map(tuple),
        incomes=st.lists(incomes(), max_size=2).map(tuple),  # the household's, no member's
        support_form=st.sampled_from(SupportForm),
        has_contracted_land=st.booleans(),
        shares_collective_income=st.booleans(),
        relocated_to_town=st.booleans(),
    )


def jurisdictions() -> st.SearchStrategy[str]:
    segment = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
    return st.just(TIELI) | st.lists(segment, min_size=1, max_size=4).map("/".join)


def applications(on: date | None = None) -> st.SearchStrategy[Application]:
    """Valid applications: one head, distinct identity numbers, members in any order, and
    nobody born after the application date (``on``, when given; else drawn)."""
    def dated(household: Household) -> st.SearchStrategy[Application]:
        latest_birth = max(m.birth_date for m in household.members)
        return st.builds(
            Application,
            application_id=texts(),
            applied_on=st.just(on) if on else st.dates(
                max(date(2020, 1, 1), latest_birth),
                min(date(2030, 12, 31), date.today() + APPLICATION_HORIZON)),
            jurisdiction=jurisdictions(),
            area=st.sampled_from(Area),
            household=st.just(household),
        )
    households = _households()
    if on is not None:
        households = households.filter(lambda h: all(m.birth_date <= on for m in h.members))
    return households.flatmap(dated)

