"""Cases: historical decisions replayed as tests, and rule changes measured before they ship.

Read case files (:func:`read_cases`), replay them (:func:`run_case`), tally agreement
(:class:`Tally`), and compare two rule books (:mod:`aidrules.cases.impact`). The format
is described in docs/cases.md."""

from aidrules.cases.case import UNCHECKED, AidExpectation, Case
from aidrules.cases.reading import read_cases
from aidrules.cases.replay import Books, Difference, Outcome, Tally, discover, reasons, run_case

__all__ = ["UNCHECKED", "AidExpectation", "Books", "Case", "Difference", "Outcome", "Tally",
           "discover", "read_cases", "reasons", "run_case"]
