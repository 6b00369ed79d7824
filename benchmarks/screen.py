"""Population screening on DuckDB: CPU seconds, rates and peak memory.

    python benchmarks/screen.py          # (a) 1,000,000 households; (b) 20,000, and 10 copies
    python benchmarks/screen.py --small 0 --full 100000 --copies 10     # (b) at 1,000,000
    python benchmarks/screen.py --small 0 --full 20000 --copies 10 --spark   # (b) on Spark too

(a) The small dibao screening of issue 14 (benchmarks/small-screening/, a rule book of
its own) compiled by aidrules, against the same computation written by hand in DuckDB SQL
and, where Polars is installed, in Polars, on the same generated tables, each exact (money
in integers, per-capita tests cross-multiplied), one thread each; every path's statuses
and amounts are checked equal. (b) The full shipped rule book over a generated county
(`aidrules county generate`), on one DuckDB thread: building the tables from the register
(Python) and the screening (SQL) timed apart; the SQL also on ``--copies`` copies of the
tables at once (Python builds tables at about 3,000 households a second, so a million is
screened as copies of fewer). With ``--spark``, (b) also on Spark ``local[2]`` (the
'spark' extra), its result checked equal to DuckDB's: wall seconds, and the CPU seconds
of the Spark JVM (read from /proc) and of this process. (c) Peak resident memory after
each part (of this process: the JVM's is apart). Times are CPU seconds of this process
(all threads), so rates are per core."""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import pyarrow as pa

from aidrules.columnar import MONEY_UNITS, Screener, read_register, tables_from_applications
from aidrules.columnar.compiler import TABLES
from aidrules.columnar.tables import arrow_schema, ident, keys
from aidrules.monitoring.synthetic import generate
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "benchmarks" / "small-screening"
ON = date(2025, 3, 31)
STANDARD = {"urban": 720, "rural": 500}  # yuan, as in the small book's policies


def small_tables(count: int, seed: int = 14) -> dict[str, pa.Table]:
    """Households with 1–6 members, incomes to the fen (some exactly at a line), assets,
    and a vehicle in one household in twenty."""
    rng = random.Random(seed)
    households = {"household_key": [], "area": [], "financial_assets": [],
                  "members__known": [], "vehicles__known": [], "application_id": []}
    members = {"household_key": [], "member_key": [], "incomes__known": []}
    incomes = {"household_key": [], "member_key": [], "income_key": [], "monthly_amount": []}
    vehicles = {"household_key": [], "vehicle_key": []}
    for h in range(count):
        area = "urban" if rng.random() < 0.55 else "rural"
        size = rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5, 6))
        at_line = rng.random() < 0.05
        total = STANDARD[area] * 100 * size * rng.choice((1, 3 / 2)) if at_line else None
        _household(households, h, area, rng.randrange(0, 40_000_00) * 12)
        cents = _split(rng, int(total) if total else rng.randrange(0, 2000_00) * size, size)
        for fen in cents:
            m = len(members["member_key"])  # keys are unique in their table
            members["household_key"].append(h)
            members["member_key"].append(m)
            members["incomes__known"].append(True)
            for column, value in (("household_key", h), ("member_key", m), ("income_key", m),
                                  ("monthly_amount", fen * MONEY_UNITS // 100)):
                incomes[column].append(value)
        if rng.random() < 0.05:
            vehicles["household_key"].append(h)
            vehicles["vehicle_key"].append(h)
    return _arrow({"household": households, "member": members, "income": incomes,
                   "vehicle": vehicles})


def _household(households, h, area, assets_units) -> None:
    for column, value in (("household_key", h), ("area", area), ("financial_assets",
                          assets_units), ("members__known", True), ("vehicles__known", True),
                          ("application_id", f"H{h}")):
        households[column].append(value)


def _split(rng: random.Random, total_fen: int, parts: int) -> list[int]:
    cuts = sorted(rng.randrange(0, total_fen + 1) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total_fen], strict=True)]


def _arrow(columns: dict[str, dict[str, list]]) -> dict[str, pa.Table]:
    found = {entity: pa.Table.from_pylist([], schema=arrow_schema(entity)) for entity in TABLES}
    for entity, data in columns.items():
        found[entity] = pa.table(data)
    return found


HAND_SQL = """
WITH income AS (SELECT household_key, sum(monthly_amount) AS income FROM incomes GROUP BY 1),
     size AS (SELECT household_key, count(*) AS n FROM members GROUP BY 1),
     cars AS (SELECT household_key, count(*) AS cars FROM vehicles GROUP BY 1),
     h AS (SELECT h.household_key,
                  CAST(CASE WHEN area = 'urban' THEN 720 ELSE 500 END AS HUGEINT) * 1200 AS line,
                  coalesce(income, 0) AS income, n, h.financial_assets AS assets,
                  coalesce(cars, 0) AS cars
           FROM households h LEFT JOIN income USING (household_key)
           LEFT JOIN size USING (household_key) LEFT JOIN cars USING (household_key))
SELECT household_key,
       CASE WHEN n > 0 AND income < line * n AND assets <= 24 * line * n AND cars = 0
            THEN 'eligible' WHEN n > 0 THEN 'ineligible' END AS dibao,
       CASE WHEN n > 0 AND income < line * n AND assets <= 24 * line * n AND cars = 0
            THEN CAST((line * n - income) // 12 AS BIGINT) END AS amount_fen,
       CASE WHEN n > 0 AND NOT (income < line * n AND assets <= 24 * line * n AND cars = 0)
                 AND 2 * income < 3 * line * n AND assets <= 24 * line * n AND cars = 0
            THEN 'eligible' WHEN n > 0 THEN 'ineligible' END AS dibao_marginal
FROM h ORDER BY household_key
"""


def polars_screening(tables: dict[str, pa.Table]):
    import polars as pl
    income = pl.from_arrow(tables["income"]).group_by("household_key").agg(
        pl.col("monthly_amount").sum().alias("income"))
    size = pl.from_arrow(tables["member"]).group_by("household_key").agg(pl.len().alias("n"))
    cars = pl.from_arrow(tables["vehicle"]).group_by("household_key").agg(
        pl.len().alias("cars"))
    h = (pl.from_arrow(tables["household"]).join(income, on="household_key", how="left")
         .join(size, on="household_key", how="left").join(cars, on="household_key", how="left")
         .with_columns(pl.when(pl.col("area") == "urban").then(720 * 1200).otherwise(500 * 1200)
                       .cast(pl.Int64).alias("line"), pl.col("income").fill_null(0),
                       pl.col("cars").fill_null(0).cast(pl.Int64), pl.col("n").cast(pl.Int64)))
    assets_ok = (pl.col("financial_assets") <= 24 * pl.col("line") * pl.col("n")) & \
        (pl.col("cars") == 0)
    dibao = (pl.col("income") < pl.col("line") * pl.col("n")) & assets_ok
    marginal = ~dibao & (2 * pl.col("income") < 3 * pl.col("line") * pl.col("n")) & assets_ok
    return h.select(
        "household_key",
        pl.when(dibao).then(pl.lit("eligible")).otherwise(pl.lit("ineligible")).alias("dibao"),
        pl.when(dibao).then((pl.col("line") * pl.col("n") - pl.col("income")) // 12)
        .alias("amount_fen"),
        pl.when(marginal).then(pl.lit("eligible")).otherwise(pl.lit("ineligible"))
        .alias("dibao_marginal")).sort("household_key")


def cpu(call):
    start = time.process_time()
    result = call()
    return result, time.process_time() - start


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_small(count: int) -> None:
    tables = small_tables(count)
    book = load_rulebook(SMALL / "rules", SMALL / "policies")
    screener = Screener(book, threads=1)
    connection = screener.connect()
    screening = screener.compiled("national", ON)
    for entity, name in TABLES.items():
        connection.register(name, tables[entity])
    compiled, compiled_s = cpu(lambda: connection.sql(screening.sql).to_arrow_table())
    hand, hand_s = cpu(lambda: connection.sql(HAND_SQL).to_arrow_table())
    _same(compiled, hand)
    print(f"(a) small screening, {count:,} households, one thread, CPU seconds:")
    print(f"    compiled by aidrules  {compiled_s:7.2f} s  {count / compiled_s:12,.0f} /s")
    print(f"    hand-written DuckDB   {hand_s:7.2f} s  {count / hand_s:12,.0f} /s   "
          f"compiled/hand = {hand_s / compiled_s:.2f} of its rate")
    try:
        import polars  # noqa: F401
    except ImportError:
        print("    Polars                not installed")
    else:
        import os
        os.environ.setdefault("POLARS_MAX_THREADS", "1")
        frame, polars_s = cpu(lambda: polars_screening(tables))
        _same(compiled, frame.to_arrow())
        print(f"    Polars                {polars_s:7.2f} s  {count / polars_s:12,.0f} /s   "
              f"compiled/Polars = {polars_s / compiled_s:.2f} of its rate")
    print(f"    statuses and amounts identical on all paths; peak RSS {peak_mib():,.0f} MiB")


def _same(compiled: pa.Table, other: pa.Table) -> None:
    for ours, theirs in (("dibao", "dibao"), ("dibao.amount_fen", "amount_fen"),
                         ("dibao_marginal", "dibao_marginal")):
        assert compiled.column(ours).to_pylist() == other.column(theirs).to_pylist(), ours


def run_full(count: int, copies: int, spark: bool = False) -> None:
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    screener = Screener(book, threads=1)
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), count, seed=1, month=ON.replace(day=1))
        tables, tables_s = cpu(lambda: tables_from_applications(read_register(folder, ON)))
    print(f"(b) full shipped rule book, {count:,} generated households, one DuckDB thread:")
    print(f"    tables from register  {tables_s:7.2f} s  {count / tables_s:12,.0f} /s (Python)")
    screening, compile_s = cpu(lambda: screener.compiled("heilongjiang/yichun/tieli", ON))
    print(f"    compiling the book    {compile_s:7.3f} s")
    first = None
    for times in sorted({1, copies}):
        tiled = _tiled(tables, times)
        connection = screener.connect()
        result, screen_s = cpu(lambda t=tiled, c=connection: screener.run(c, t, screening)
                               .to_arrow_table())
        eligible = result.column("dibao").to_pylist().count("eligible")
        first = first or result
        assert all(result.slice(n * count, count).equals(first) for n in range(times))
        print(f"    screening {count * times:>9,} (SQL) {screen_s:7.2f} s  "
              f"{count * times / screen_s:12,.0f} /s   ({eligible:,} dibao)")
        if spark:
            run_spark(book, tiled, screening, result)
        del tiled, result, connection
    print(f"(c) peak RSS {peak_mib():,.0f} MiB")


def run_spark(book, tables: dict[str, pa.Table], screening, expected: pa.Table) -> None:
    """The same plan on Spark local[2]: wall seconds and CPU seconds (JVM + Python)."""
    from aidrules.columnar.spark import SparkScreener, session
    spark = session("local[2]", partitions=4)
    jvm = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    screener = SparkScreener(book, spark)
    screener.arrow(spark, {e: t.slice(0, 10) for e, t in tables.items()}, screening)  # warm up
    jvm_before, python_before, wall = _jvm_cpu(jvm), time.process_time(), time.perf_counter()
    result = screener.arrow(spark, tables, screening)
    wall = time.perf_counter() - wall
    jvm_s, python_s = _jvm_cpu(jvm) - jvm_before, time.process_time() - python_before
    assert result.to_pylist() == expected.to_pylist()
    count = result.num_rows
    print(f"    Spark local[2] {count:>9,}  {wall:7.2f} s wall, CPU {jvm_s:.1f} s JVM + "
          f"{python_s:.1f} s Python = {count / (jvm_s + python_s):,.0f} /s per core; "
          "identical to DuckDB")


def _jvm_cpu(pid: int) -> float:
    import os
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tiled(tables: dict[str, pa.Table], times: int) -> dict[str, pa.Table]:
    """``times`` copies of the tables, each copy's keys moved past the last copy's."""
    if times == 1:
        return tables
    import pyarrow.compute as pc
    rows = {ident(table): tables[table].num_rows for table in tables}  # key → its table's rows
    found = {}
    for entity, table in tables.items():
        copies = []
        for n in range(times):
            copy = table
            for key in keys(entity):
                copy = copy.set_column(copy.schema.get_field_index(key), key,
                                       pc.add(copy.column(key), n * rows[key]))
            copies.append(copy)
        found[entity] = pa.concat_tables(copies)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000_000, help="households for (a)")
    parser.add_argument("--full", type=int, default=20_000, help="households for (b)")
    parser.add_argument("--copies", type=int, default=10,
                        help="(b) also screens this many copies of the households at once")
    parser.add_argument("--spark", action="store_true",
                        help="(b) also on Spark local[2] (needs the 'spark' extra)")
    args = parser.parse_args()
    if args.small:
        run_small(args.small)
    if args.full:
        run_full(args.full, args.copies, args.spark)


if __name__ == "__main__":
    main()
