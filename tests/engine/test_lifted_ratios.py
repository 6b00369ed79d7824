"""A lifted value that is not money (a ratio from a table, 1/10 or 1/6) reaches the engine
exactly: as a whole numerator over a denominator fixed by the policy values in force,
folded into the cross-multiplication. Money stays whole engine units. The engine and the
library's evaluator agree (``Assessor.assess`` raises if they do not), at the knife edge
too: a product exactly at the threshold is not below it, one fen less is."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.engine import Assessor
from aidrules.model import application_from_dict
from aidrules.rulebook import load_rulebook
from aidrules.testing import make_id_number

SEMANTICS = Path(__file__).resolve().parents[1] / "columnar" / "semantics"
ON = date(2025, 3, 1)
CRITERION = "lookup(t.by_area, area) * count(members where age >= 60) < 700"
PRODUCT = ("lookup(t.by_area, area) * lookup(t.by_adl, count(members where age >= 60)) "
           "< {threshold}")


def _table(path: Path, unit: str, keys: str, values: str) -> None:
    path.write_text(f"""description: a table for the tests
description_en: a table for the tests
unit: {unit}
keys: {keys}
values:
  2020-01-01:
    value: {values}
    assumed: a test value
""", encoding="utf-8")


def book_with(root: Path, threshold: str, by_area: dict[str, str], by_adl: dict[int, str]):
    """The columnar semantics book, its tables criterion a money × ratio product."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(SEMANTICS, root)
    rules = root / "rules" / "constructs.yaml"
    text = rules.read_text(encoding="utf-8")
    assert CRITERION in text
    rules.write_text(text.replace(CRITERION, PRODUCT.format(threshold=threshold)),
                     encoding="utf-8")
    tables = root / "policies" / "national" / "t"
    _table(tables / "by_area.yaml", "yuan/month", "[urban, rural]",
           "{" + ", ".join(f"{k}: {v}" for k, v in by_area.items()) + "}")
    _table(tables / "by_adl.yaml", "ratio", str(sorted(by_adl)),
           "{" + ", ".join(f"{k}: {v}" for k, v in sorted(by_adl.items())) + "}")
    return load_rulebook(root / "rules", root / "policies")


def application(number: int, area: str, elders: int, others: int = 1) -> object:
    people = []
    for index in range(elders + others):
        born = date(1950, 1, 1 + index) if index < elders else date(1990, 1, 1 + index)
        people.append({"id_number": make_id_number("230781", born, number * 10 + index),
                       "name": f"成员{index}", "relation": "head" if index == 0 else "other",
                       "work_ability": "full", "employment": "employed", "incomes": []})
    return application_from_dict({
        "application_id": f"RATIO-{number:04d}", "applied_on": ON.isoformat(),
        "jurisdiction": "national", "area": area,
        "household": {"members": people, "expenditures": [],
                      "assets": {"financial_assets": "0", "housing_units": 1}}})


def status(assessor: Assessor, app) -> str:
    return assessor.assess(app, jurisdiction="national").result("tables").status


def test_the_reproduction_a_money_lookup_times_a_ratio_lookup_is_assessed(tmp_path):
    """The unchanged tables (333.33 and 250 yuan, ratios 1/10, 1/6, 1/4), below 60."""
    book = book_with(tmp_path / "book", "60", {"urban": "333.33", "rural": "250"},
                     {0: "1/10", 2: "1/6", 5: "1/4"})
    assessor = Assessor(book)
    for number, (area, elders, expected) in enumerate([
            ("urban", 0, "eligible"),     # 33.333 < 60
            ("urban", 2, "eligible"),     # 55.555 < 60
            ("urban", 5, "ineligible"),   # 83.3325
            ("rural", 5, "ineligible"),   # 62.5
            ("rural", 2, "eligible")]):   # 41.666…
        assert status(assessor, application(number, area, elders)) == expected


@pytest.mark.parametrize("area, elders, expected", [
    ("urban", 2, "ineligible"),  # 360.00 × 1/6 = 60 exactly: not below 60
    ("rural", 2, "eligible"),    # 359.94 × 1/6 = 59.99: one fen below
    ("urban", 0, "eligible"),    # 360.00 × 1/10 = 36
    ("urban", 5, "ineligible"),  # 360.00 × 1/4 = 90
])
def test_the_knife_edge_of_a_ratio_product(tmp_path, area, elders, expected):
    book = book_with(tmp_path / "book", "60", {"urban": "360.00", "rural": "359.94"},
                     {0: "1/10", 2: "1/6", 5: "1/4"})
    assert status(Assessor(book), application(1, area, elders)) == expected


_RATIOS = st.builds(Fraction, st.integers(0, 97), st.integers(1, 97))
_FEN = st.integers(0, 2_000_000)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(urban=_FEN, rural=_FEN, ratios=st.lists(_RATIOS, min_size=3, max_size=3),
       threshold=_FEN, elders=st.integers(0, 6), shift=st.sampled_from([None, -1, 0, 1]))
def test_engine_and_evaluator_agree_on_random_ratio_and_money_tables(
        tmp_path_factory, urban, rural, ratios, threshold, elders, shift):
    """Bounded: 40 examples, each a book loaded and two households assessed (< 20 s)."""
    by_adl = dict(zip((0, 2, 5), ratios, strict=True))
    ratio = by_adl[max(k for k in by_adl if k <= elders)]
    if shift is not None:  # the urban product on the threshold, or one fen either side
        threshold = max(0, int(Fraction(urban, 100) * ratio * 100) + shift)
    book = book_with(tmp_path_factory.mktemp("book"), _yuan(threshold),
                     {"urban": _yuan(urban), "rural": _yuan(rural)},
                     {k: f"{v.numerator}/{v.denominator}" for k, v in by_adl.items()})
    assessor = Assessor(book)
    for number, (area, fen) in enumerate((("urban", urban), ("rural", rural))):
        below = Fraction(fen, 100) * ratio < Fraction(threshold, 100)
        got = status(assessor, application(number, area, elders))  # raises on disagreement
        assert got == ("eligible" if below else "ineligible")


def test_a_condition_on_a_value_whose_denominator_varies_is_refused_at_load(tmp_path):
    """No fixed denominator can carry sum(members, income / age) exactly: refused by
    'aidrules check' at file:line:col, never at assessment."""
    from aidrules.rulebook import check_rulebook

    root = tmp_path / "book"
    shutil.copytree(SEMANTICS, root)
    (root / "rules" / "extra.yaml").write_text("""facts:
  - id: shares_total
    title: t
    title_en: t
    formula: sum(members, if age > 0 then first_income / age else 0)
rules:
  - id: extra.rule
    aid: sums
    title: t
    basis: {document: 测试}
    when: [shares_total < 100]
""", encoding="utf-8")
    book, problems = check_rulebook(root / "rules", root / "policies")
    assert [(Path(p.file).name, p.line, p.col) for p in problems] == [("extra.yaml", 5, 14)]
    assert "'sum(members, if age > 0 then first_income / age else 0)'" in str(problems[0])
    assert "its denominator varies from case to case" in str(problems[0])
