"""The same screening on Spark: the compiled DuckDB query transpiled to Spark SQL.

One compiler, two targets. :func:`compile_screening` writes DuckDB SQL; sqlglot parses it
and writes Spark SQL, with three changes that keep it exact:

- ``HUGEINT`` (128-bit integers) becomes ``DECIMAL(38, 0)``: Spark has no 128-bit integer,
  and a decimal of scale 0 is an integer whose arithmetic raises on overflow (ANSI mode,
  which the session runs in) rather than rounding or wrapping;
- ``a // b`` (DuckDB's integer division, truncating) becomes ``(a - a % b) / b`` over
  decimals of scale 0: Spark's own ``div`` returns a 64-bit integer and wraps a larger
  quotient silently, and its ``/`` on integers is a float. ``%`` truncates in both (the
  remainder has the dividend's sign), and the quotient of a multiple is exact;
- DuckDB's ``error(message)`` becomes Spark's ``raise_error(message)``.

SQL's ``AND``, ``OR``, ``NOT``, ``CASE`` and aggregates over NULL are the same Kleene logic
in both. The session's tables are registered from the same Arrow tables as on DuckDB.
See docs/screening.md and docs/scale.md."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark

from aidrules.columnar.compiler import TABLES, Screening
from aidrules.columnar.screen import Screener
from aidrules.rulebook.book import RuleBook

INTEGER = "DECIMAL(38, 0)"


class _ExactSpark(Spark):
    class Generator(Spark.Generator):  # type: ignore[valid-type,misc]  # sqlglot's alias
        TYPE_MAPPING = {**Spark.Generator.TYPE_MAPPING, exp.DataType.Type.INT128: INTEGER}


def _integer(node: exp.Expression) -> exp.Expression:
    return exp.Cast(this=exp.Paren(this=node.copy()), to=exp.DataType.build(INTEGER))


def _exact(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.IntDiv):  # truncating, as DuckDB's //, in exact decimals
        top, bottom = _integer(node.this), _integer(node.expression)
        rest = exp.Mod(this=top.copy(), expression=bottom.copy())
        whole = exp.Sub(this=top, expression=exp.Paren(this=rest))
        return _integer(exp.Div(this=exp.Paren(this=whole), expression=bottom))
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "error":
        return exp.Anonymous(this="raise_error", expressions=node.expressions)
    return node


@functools.lru_cache(maxsize=32)
def spark_steps(duckdb_sql: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The compiled DuckDB query as Spark SQL, exact (see the module's docstring): each
    common table expression (name, query), then the final query.

    The steps run one by one, each cut from its lineage: Spark inlines a common table
    expression wherever it is read, and each step reads two earlier ones (a household
    step and a member step), so the plan of the query as one would double with every
    step."""
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb").transform(_exact)
    ctes = (tree.args.pop("with_", None) or tree.args.pop("with")).expressions  # by version
    steps = tuple((cte.alias, cte.this.sql(dialect=_ExactSpark)) for cte in ctes)
    return steps, tree.sql(dialect=_ExactSpark)


def session(master: str = "local[2]", partitions: int = 4, compiled: bool = True,
            memory: str = "2g") -> Any:
    """A local Spark session for screening: ANSI arithmetic (overflow raises), no web UI,
    a few shuffle partitions (the default 200 is for clusters). ``compiled=False`` turns
    off Spark's code generation, which costs more than it saves on a few thousand rows."""
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.master(master).appName("aidrules-screen")
               .config("spark.sql.ansi.enabled", "true")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.memory", memory)
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(partitions)))
    if not compiled:
        builder = builder.config("spark.sql.codegen.wholeStage", "false") \
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkScreener(Screener):
    """A :class:`Screener` whose queries run on a Spark session (default: local[2])."""

    def __init__(self, book: RuleBook, spark: Any = None) -> None:
        super().__init__(book)
        self.spark = spark

    def connect(self) -> Any:
        if self.spark is None:
            self.spark = session()
        return self.spark

    def run(self, connection: Any, tables: dict[str, Any], screening: Screening) -> Any:
        """The screening of ``tables`` (one Spark DataFrame per entity) as a Spark DataFrame:
        the steps run one by one, each kept (checkpointed) on the executors, then the
        result's query (lazy)."""
        for entity, name in TABLES.items():
            tables[entity].createOrReplaceTempView(name)
        steps, result = spark_steps(screening.sql)
        for name, sql in steps:
            connection.sql(sql).localCheckpoint(eager=True).createOrReplaceTempView(name)
        return connection.sql(result)

    def arrow(self, connection: Any, tables: dict[str, pa.Table],
              screening: Screening) -> pa.Table:
        """The screening of Arrow tables, as an Arrow table. The tables reach Spark as
        Parquet files (a table made from driver memory travels inside every task)."""
        with tempfile.TemporaryDirectory(prefix="aidrules-spark-") as folder:
            frames = {}
            for entity, table in tables.items():
                path = str(Path(folder) / f"{entity}.parquet")
                pq.write_table(table, path)
                frames[entity] = connection.read.schema(_schema(table.schema)).parquet(path)
            return self.run(connection, frames, screening).toArrow()


def _schema(schema: pa.Schema) -> str:
    """The Spark schema of an entity table, so that an empty file reads the same."""
    kinds = {pa.int64(): "BIGINT", pa.bool_(): "BOOLEAN", pa.string(): "STRING"}
    return ", ".join(f"`{f.name}` {kinds[f.type]}" for f in schema)
