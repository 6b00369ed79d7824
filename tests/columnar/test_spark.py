"""The same compiled screening on Spark (local[2]) gives, household for household, what
DuckDB and the per-case path give: the shipped example applications, the knife-edge
households and a generated county, screened together in one Spark run (a run costs
seconds of fixed overhead per step, so the test keeps to one)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from aidrules.columnar import Screener
from aidrules.model import application_from_dict, read_application
from aidrules.monitoring.synthetic import Facts, generate
from tests.columnar.both import ROOT_APPLICATIONS, differences, per_case
from tests.columnar.test_knife_edge import FEN, edge

pytest.importorskip("pyspark", reason="Spark screening needs the 'spark' extra (pyspark)")
pytestmark = [pytest.mark.spark, pytest.mark.slow]

TIELI, ON = "heilongjiang/yichun/tieli", date(2025, 3, 1)


@pytest.fixture(scope="session")
def spark_screener(book):
    from aidrules.columnar.spark import SparkScreener, session
    spark = session("local[2]", partitions=2, compiled=False)
    yield SparkScreener(book, spark)
    spark.stop()


def test_spark_duckdb_and_per_case_agree(book, assessor, spark_screener, tmp_path):
    applications = [read_application(p) for p in ROOT_APPLICATIONS]
    for seed, (multiplier, below) in enumerate([(1, 0), (1, FEN), (Fraction(3, 2), 0),
                                                 (Fraction(3, 2), FEN)]):
        applications += edge(book, 40, Fraction(multiplier), below, seed)
    generate(tmp_path, 2000, 5, ON)
    facts = Facts(tmp_path / "register")
    applications += [application_from_dict(facts.application(h, ON)) for h in facts.households]
    assert len(applications) > 2000

    on_spark = spark_screener.screen(applications, ON, TIELI).to_pylist()
    on_duckdb = Screener(book).screen(applications, ON, TIELI).to_pylist()
    assert on_spark == on_duckdb
    statuses = {row["dibao"] for row in on_spark}
    assert statuses == {"eligible", "ineligible", "undetermined"}
    expected = [per_case(assessor, a, ON, TIELI) for a in applications]
    assert differences(expected, on_spark) == []


def test_spark_sql_is_exact(book):
    """No float and no 64-bit integer division reach Spark: 128-bit integers become
    decimals of scale 0, DuckDB's // an exact division of a multiple."""
    from aidrules.columnar.spark import spark_steps
    screening = Screener(book).compiled(TIELI, ON)
    steps, result = spark_steps(screening.sql)
    sql = " ".join(s for _, s in steps) + result
    assert " DIV " not in sql.upper() and "INT128" not in sql and "DOUBLE" not in sql.upper()
    assert "DECIMAL(38, 0)" in sql and "//" in screening.sql


def test_integer_division_and_three_values_are_duckdbs(spark_screener):
    """DuckDB's // (truncating) on 128-bit integers, and NULL's Kleene logic, on Spark:
    negative numbers, quotients past 64 bits, and unknowns give the same values."""
    import duckdb

    from aidrules.columnar.spark import spark_steps
    pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (-6, 3), (0, 5), (2**70 + 3, 7),
             (-(2**70) - 3, 7), (10**30, 3)]
    values = ", ".join(f"(CAST({a} AS HUGEINT), CAST({b} AS HUGEINT))" for a, b in pairs)
    sql = (f"WITH t AS (SELECT * FROM (VALUES {values}) v(a, b)) "
           "SELECT CAST(a // b AS VARCHAR) AS q, CAST(a % b AS VARCHAR) AS r, "
           "(CASE WHEN a > 0 THEN NULL ELSE a < 0 END) AND (b > 0) AS k, "
           "NOT (CASE WHEN a > 0 THEN NULL ELSE FALSE END) OR b < 0 AS o FROM t")
    expected = duckdb.sql(sql).fetchall()
    steps, result = spark_steps(sql)
    spark = spark_screener.connect()
    for name, step in steps:
        spark.sql(step).createOrReplaceTempView(name)
    found = [tuple(row) for row in spark.sql(result).collect()]
    assert [(str(int(q)), str(int(r)), k, o) for q, r, k, o in found] == \
        [(q, r, k, o) for q, r, k, o in expected]
    assert expected[1][0] == "-3" and expected[6][0] == str((2**70 + 3) // 7)
