"""Population screening: the rule book compiled to SQL over tables of households.

The only package importing duckdb, pyarrow, pyspark and sqlglot (Spark: spark.py).
See docs/screening.md."""

from aidrules.columnar.compiler import Screening, compile_screening
from aidrules.columnar.expressions import NotCompiled
from aidrules.columnar.register import (
    ENGINES,
    STATUSES,
    origin_of,
    read_register,
    screen_register,
    screened_application,
    screener_for,
    summary,
)
from aidrules.columnar.screen import Screener
from aidrules.columnar.tables import MONEY_UNITS, tables_from_applications

__all__ = ["ENGINES", "MONEY_UNITS", "STATUSES", "NotCompiled", "Screener", "Screening",
           "compile_screening", "origin_of", "read_register", "screen_register",
           "screened_application", "screener_for", "summary",
           "tables_from_applications"]
