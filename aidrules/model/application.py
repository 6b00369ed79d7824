"""The application as the rules see it: a household, its members, their money and needs.

Every class is frozen and checks its fields when built, so an ``Application`` in hand
is a valid one. ``None`` always means *not reported* (unknown), never zero: a member
whose ``incomes`` is None leaves the application undecided, while ``()`` means the
member has no income. Money is ``Decimal`` in whole fen, never float.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from aidrules.errors import AidrulesError
from aidrules.model import _checks as c
from aidrules.model.identity import (
    Sex,
    birth_date_of,
    mask_id_number,
    sex_of,
    validate_id_number,
)


class Area(enum.StrEnum):
    urban = "urban"
    rural = "rural"


class Relation(enum.StrEnum):
    """A member's relation to the head of the household."""

    head = "head"
    spouse = "spouse"
    child = "child"
    parent = "parent"
    parent_in_law = "parent_in_law"
    grandparent = "grandparent"
    grandchild = "grandchild"
    sibling = "sibling"
    other = "other"


class WorkAbility(enum.StrEnum):
    full = "full"
    partial = "partial"
    none = "none"


class DisabilityKind(enum.StrEnum):
    physical = "physical"
    visual = "visual"
    hearing = "hearing"
    speech = "speech"
    intellectual = "intellectual"
    mental = "mental"
    multiple = "multiple"


class StudentLevel(enum.StrEnum):
    preschool = "preschool"
    primary = "primary"
    junior_secondary = "junior_secondary"
    senior_secondary = "senior_secondary"
    secondary_vocational = "secondary_vocational"
    higher_vocational = "higher_vocational"
    undergraduate = "undergraduate"
    postgraduate = "postgraduate"


class Employment(enum.StrEnum):
    employed = "employed"
    self_employed = "self_employed"
    farming = "farming"
    registered_unemployed = "registered_unemployed"
    unemployed = "unemployed"
    retired = "retired"
    not_working = "not_working"


class Absence(enum.StrEnum):
    """Why a member is left out of the household count."""

    religious_apart = "religious_apart"
    imprisoned = "imprisoned"
    drug_rehabilitation = "drug_rehabilitation"
    missing = "missing"


class IncomeKind(enum.StrEnum):
    wage = "wage"
    business = "business"
    property = "property"
    transfer = "transfer"
    support_received = "support_received"
    pension = "pension"
    basic_pension = "basic_pension"
    unemployment_insurance = "unemployment_insurance"
    youfu = "youfu"
    family_planning_reward = "family_planning_reward"
    scholarship = "scholarship"
    bravery_award = "bravery_award"
    social_assistance = "social_assistance"
    old_age_allowance = "old_age_allowance"  # 高龄津贴
    social_insurance_benefit = "social_insurance_benefit"  # 基本医疗保险等社会保险待遇
    disability_living_subsidy = "disability_living_subsidy"  # 困难残疾人生活补贴
    disability_care_subsidy = "disability_care_subsidy"  # 重度残疾人护理补贴
    orphan_allowance = "orphan_allowance"  # 孤儿、事实无人抚养儿童基本生活费
    other = "other"


class SupportForm(enum.StrEnum):
    """How an extreme-poverty person is supported: in an institution or at home."""

    centralised = "centralised"  # 集中供养
    dispersed = "dispersed"  # 分散供养


class ObligorInability(enum.StrEnum):
    """Why a legal supporter counts as unable to support (特困人员认定办法 art. 8)."""

    is_tekun = "is_tekun"  # 本人为特困人员
    dibao_elderly = "dibao_elderly"  # 60周岁以上的低保对象
    # 70周岁以上，收入低于上年人均可支配收入，财产符合规定
    elderly_low_income = "elderly_low_income"
    disabled_low_income = "disabled_low_income"  # 重度残疾或三级智力、精神残疾，收入财产同上
    incapacitated = "incapacitated"  # 无民事行为能力、被宣告失踪或在监狱服刑，财产符合规定
    provincial = "provincial"  # 省级民政部门规定的其他情形


class Period(enum.StrEnum):
    monthly = "monthly"
    yearly = "yearly"


class VehicleKind(enum.StrEnum):
    car = "car"
    truck = "truck"
    motorcycle = "motorcycle"
    disabled_mobility = "disabled_mobility"
    farm_machinery = "farm_machinery"
    commercial = "commercial"


class VehiclePurpose(enum.StrEnum):
    """What a vehicle is used for, as the household declares and the check confirms."""

    private = "private"  # 一般自用
    livelihood = "livelihood"  # 维持家庭生产生活（农用、营生）所必需
    disability_mobility = "disability_mobility"  # 残疾人代步或专用


class ExpenditureKind(enum.StrEnum):
    medical = "medical"
    education = "education"
    rehabilitation = "rehabilitation"
    living = "living"
    other = "other"


class EmergencyKind(enum.StrEnum):
    accident = "accident"
    fire = "fire"
    natural_disaster = "natural_disaster"
    sudden_illness = "sudden_illness"
    death_of_earner = "death_of_earner"
    other = "other"


def _choice(kind: type[enum.StrEnum], **kwargs: Any) -> Any:
    return c.field(c.one_of(kind), converter=c.to_member(kind), **kwargs)


def _optional_choice(kind: type[enum.StrEnum], **kwargs: Any) -> Any:
    return c.field(c.optional(c.one_of(kind)), converter=c.to_member(kind), **kwargs)


def _money(**kwargs: Any) -> Any:
    return c.field(c.amount, converter=c.to_amount, **kwargs)


def _list_of(kind: type, most: int, **kwargs: Any) -> Any:
    return c.field(c.items(kind, most), converter=c.to_tuple, **kwargs)


def _optional_list_of(kind: type, most: int, **kwargs: Any) -> Any:
    return c.field(c.optional(c.items(kind, most)), converter=c.to_tuple, **kwargs)


# The most entries of each kind an application may list, and the largest counts: far beyond
# any real household, and small enough that sums stay exact in the engine's integers.
MOST_MEMBERS = 50
MOST_INCOMES = 24  # per member: one a month for two years
MOST_EXPENDITURES = 1000
MOST_OTHER_ENTRIES = 100  # vehicles, supporters, emergencies
MOST_UNITS = 100  # housing units, business registrations, refused job offers
OLDEST_AGE = 130
# How far ahead of today an application may be dated (a typo such as 9999-12-31 is refused).
APPLICATION_HORIZON = timedelta(days=366)


def _id_number_rule(value: object) -> str | None:
    try:
        validate_id_number(value)  # type: ignore[arg-type]
    except ValueError as exc:
        return str(exc)
    return None


def _normalised_id(value: object) -> object:
    return value[:17] + value[17:].upper() if isinstance(value, str) else value


def _masked(value: str) -> str:
    return repr(mask_id_number(value))


def _masked_or_none(value: str | None) -> str:
    return "None" if value is None else _masked(value)


_JURISDICTION = re.compile(r"[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*")


def _jurisdiction_rule(value: object) -> str | None:
    if isinstance(value, str) and _JURISDICTION.fullmatch(value):
        return None
    return ("must be a path of lower-case names joined by '/', like heilongjiang/yichun/tieli, "
            f"got {c.shown(value)}")


@attrs.frozen(kw_only=True)
class Disability:
    kind: DisabilityKind = _choice(DisabilityKind)
    grade: int = c.field(c.whole_number(1, 4))  # 1 is the most severe

    @property
    def is_severe(self) -> bool:
        """Grades 1 and 2 are severe disability (重度残疾)."""
        return self.grade <= 2


@attrs.frozen(kw_only=True)
class SelfCare:
    """Six activities of daily living; True means the person does it without help."""

    eating: bool = c.field(c.flag)
    dressing: bool = c.field(c.flag)
    transferring: bool = c.field(c.flag)  # getting in and out of bed
    toileting: bool = c.field(c.flag)
    walking_indoors: bool = c.field(c.flag)
    bathing: bool = c.field(c.flag)

    @property
    def failed_count(self) -> int:
        """How many of the six activities the person cannot do alone."""
        return sum(not value for value in attrs.astuple(self))


@attrs.frozen(kw_only=True)
class Income:
    kind: IncomeKind = _choice(IncomeKind)
    amount: Decimal = _money()
    period: Period = _choice(Period)
    note: str | None = c.field(c.optional(c.text), default=None)

    @property
    def monthly_amount(self) -> Fraction:
        """The amount per month, exact (a yearly amount over twelve)."""
        per_period = Fraction(self.amount)
        return per_period if self.period is Period.monthly else per_period / 12


@attrs.frozen(kw_only=True)
class Member:
    # Shown masked in repr, so a logged Member does not leak the whole number.
    id_number: str = c.field(_id_number_rule, converter=_normalised_id, repr=_masked)
    name: str = c.field(c.name)
    relation: Relation = _choice(Relation)
    work_ability: WorkAbility | None = _optional_choice(WorkAbility)  # None: unknown
    disability: Disability | None = c.field(c.optional(c.instance(Disability)))  # None: none
    is_seriously_ill: bool = c.field(c.flag, default=False)
    illness: str | None = c.field(c.optional(c.text), default=None)
    student_level: StudentLevel | None = _optional_choice(StudentLevel, default=None)
    employment: Employment | None = _optional_choice(Employment, default=None)  # None: unknown
    self_care: SelfCare | None = c.field(c.optional(c.instance(SelfCare)), default=None)
    incomes: tuple[Income, ...] | None = _optional_list_of(Income, MOST_INCOMES)  # None: unknown
    is_co_residing: bool = c.field(c.flag, default=True)
    absence: Absence | None = _optional_choice(Absence, default=None)
    refused_job_offers: int = c.field(c.whole_number(0, MOST_UNITS), default=0)
    # Necessary costs of working (transport, ...) per month, deducted from income (就业成本).
    employment_cost: Decimal = _money(default=Decimal(0))
    is_tekun_recipient: bool = c.field(c.flag, default=False)  # already supported as 特困
    chose_orphan_protection: bool = c.field(c.flag, default=False)  # 孤儿/事实无人抚养儿童保障

    @property
    def birth_date(self) -> date:
        return birth_date_of(self.id_number)

    @property
    def sex(self) -> Sex:
        return sex_of(self.id_number)

    def age_on(self, d: date) -> int:
        """Whole years on ``d``; one born on 29 February turns a year older on 1 March."""
        born = self.birth_date
        return d.year - born.year - ((d.month, d.day) < (born.month, born.day))


@attrs.frozen(kw_only=True)
class Vehicle:
    kind: VehicleKind = _choice(VehicleKind)
    value: Decimal | None = c.field(c.optional(c.amount), converter=c.to_amount, default=None)
    # Exemptions for assets needed for the family's living (民发〔2021〕57号第十四条).
    purpose: VehiclePurpose = _choice(VehiclePurpose, default=VehiclePurpose.private)


@attrs.frozen(kw_only=True)
class Assets:
    financial_assets: Decimal = _money()  # deposits, securities, funds, insurance, online
    vehicles: tuple[Vehicle, ...] = _list_of(Vehicle, MOST_OTHER_ENTRIES, default=())
    housing_units: int = c.field(c.whole_number(0, MOST_UNITS), default=0)
    business_registrations: int = c.field(c.whole_number(0, MOST_UNITS), default=0)


@attrs.frozen(kw_only=True)
class Expenditure:
    kind: ExpenditureKind = _choice(ExpenditureKind)
    amount: Decimal = _money()  # out of pocket over the last 12 months


@attrs.frozen(kw_only=True)
class Supporter:
    """A legal supporter (赡养、抚养、扶养义务人) living outside the household."""

    name: str = c.field(c.name)
    relation: Relation = _choice(Relation)
    is_able: bool = c.field(c.flag)
    inability_reason: str | None = c.field(c.optional(c.text), default=None)
    inability: ObligorInability | None = _optional_choice(ObligorInability, default=None)
    # What the art. 8 cases test: the supporter's age (from the number), disability, own
    # income over the last year, and whether the supporter's assets are within the local
    # low-income-family asset rules (found when the supporter's own household is checked).
    id_number: str | None = c.field(c.optional(_id_number_rule), converter=_normalised_id,
                                    default=None, repr=_masked_or_none)
    disability: Disability | None = c.field(c.optional(c.instance(Disability)), default=None)
    yearly_income: Decimal | None = c.field(c.optional(c.amount), converter=c.to_amount,
                                            default=None)  # None: not reported
    assets_within_low_income_rules: bool | None = c.field(c.optional(c.flag), default=None)

    def age_on(self, d: date) -> int | None:
        """Whole years on ``d``, or None when no identity number was given."""
        if self.id_number is None:
            return None
        born = birth_date_of(self.id_number)
        return d.year - born.year - ((d.month, d.day) < (born.month, born.day))


@attrs.frozen(kw_only=True)
class Emergency:
    kind: EmergencyKind = _choice(EmergencyKind)
    occurred_on: date = c.field(c.day)
    loss_amount: Decimal = _money(default=Decimal(0))
    description: str | None = c.field(c.optional(c.text), default=None)


def member_problems(members: tuple[Member, ...]) -> Iterator[tuple[str, str]]:
    """What is wrong with a household's members as a whole: one head, no number twice."""
    if not members:
        yield "", "must list at least one member"
        return
    if not any(member.is_co_residing and member.absence is None for member in members):
        yield "", ("must count at least one member as living in the household (every member "
                   "is away or not co-residing)")
    heads = sum(member.relation is Relation.head for member in members)
    if heads != 1:
        yield "", f"exactly one member must be the head (relation: head), found {heads}"
    first_index: dict[str, int] = {}
    for index, member in enumerate(members):
        first = first_index.setdefault(member.id_number, index)
        if first != index:
            yield f"[{index}].id_number", f"duplicates members[{first}]"


@attrs.frozen(kw_only=True)
class Household:
    members: tuple[Member, ...] = c.field(c.items(Member, MOST_MEMBERS), member_problems,
                                          converter=c.to_tuple)
    assets: Assets | None = c.field(c.optional(c.instance(Assets)))  # None: not reported
    expenditures: tuple[Expenditure, ...] | None = _optional_list_of(  # None: unknown
        Expenditure, MOST_EXPENDITURES)
    supporters: tuple[Supporter, ...] = _list_of(Supporter, MOST_OTHER_ENTRIES, default=())
    emergencies: tuple[Emergency, ...] = _list_of(Emergency, MOST_OTHER_ENTRIES, default=())
    # Income of the household as a whole, attached to no member (a family-planning reward,
    # a rent on jointly owned property): counted with the members' incomes, by the same kinds.
    incomes: tuple[Income, ...] = _list_of(Income, MOST_INCOMES, default=())
    support_form: SupportForm = _choice(SupportForm, default=SupportForm.dispersed)
    # Urban or rural tekun treatment (特困人员认定办法第十九条): contracted land or a share in
    # rural collective income gives rural treatment; poverty-alleviation relocation to a town,
    # urban treatment.
    has_contracted_land: bool = c.field(c.flag, default=False)
    shares_collective_income: bool = c.field(c.flag, default=False)
    relocated_to_town: bool = c.field(c.flag, default=False)
    # Current dibao recipients whose income rose above the standard through a job (渐退期).
    is_dibao_recipient: bool = c.field(c.flag, default=False)
    dibao_monthly_amount: Decimal | None = c.field(c.optional(c.amount), converter=c.to_amount,
                                                   default=None)  # the amount now paid
    work_income_rose_on: date | None = c.field(c.optional(c.day), default=None)
    # The tier (分档) the county assigned, 1 the highest; used only where payment is by tiers.
    dibao_tier: int | None = c.field(c.optional(c.whole_number(1, 4)), default=None)


class InconsistentApplication(AidrulesError, ValueError):
    """Fields that are each fine but do not fit together; ``problems`` as (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


@attrs.frozen(kw_only=True)
class Application:
    application_id: str = c.field(c.text)
    applied_on: date = c.field(c.day)
    jurisdiction: str = c.field(_jurisdiction_rule)  # like heilongjiang/yichun/tieli
    area: Area = _choice(Area)
    household: Household = c.field(c.instance(Household))

    def __attrs_post_init__(self) -> None:
        found = list(dating_problems(self))
        if found:
            raise InconsistentApplication(found)


def dating_problems(application: Application) -> Iterator[tuple[str, str]]:
    """The application is not dated far ahead of today, nobody in the household is born
    after it was made, and nobody is older than anyone lives."""
    on, latest = application.applied_on, date.today() + APPLICATION_HORIZON
    if on > latest:
        yield ".applied_on", (f"must be a date no later than {latest} (a year ahead of today), "
                              f"got {on}")
        return
    for index, member in enumerate(application.household.members):
        if member.birth_date > on:
            yield (f".household.members[{index}].id_number",
                   f"gives a birth date of {member.birth_date}, after the application date {on}")
        elif member.age_on(on) > OLDEST_AGE:
            yield (f".household.members[{index}].id_number",
                   f"gives a birth date of {member.birth_date}: {member.age_on(on)} years old on "
                   f"{on}, older than {OLDEST_AGE}")
    for index, supporter in enumerate(application.household.supporters):
        if supporter.id_number is not None and birth_date_of(supporter.id_number) > on:
            yield (f".household.supporters[{index}].id_number",
                   f"gives a birth date of {birth_date_of(supporter.id_number)}, after the "
                   f"application date {on}")


# Field types as real classes (not strings), for the reader and for anyone building a schema.
for _class in (Disability, SelfCare, Income, Member, Vehicle, Assets, Expenditure, Supporter,
               Emergency, Household, Application):
    attrs.resolve_types(_class)
del _class
