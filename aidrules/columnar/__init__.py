"""Population screening: the rule book compiled to SQL over tables of households.

The only package importing duckdb. See docs/screening.md."""

from aidrules.columnar.compiler import Screening, compile_screening
from aidrules.columnar.expressions import NotCompiled
from aidrules.columnar.register import STATUSES, read_register, screen_register, summary
from aidrules.columnar.screen import Screener
from aidrules.columnar.tables import MONEY_UNITS, tables_from_applications

__all__ = ["MONEY_UNITS", "STATUSES", "NotCompiled", "Screener", "Screening",
           "compile_screening", "read_register", "screen_register", "summary",
           "tables_from_applications"]
