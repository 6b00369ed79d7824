"""The law the case model reads from the policies: `aidrules check --strict` knows every
parameter it reads (so none is called unused), and each has its legal basis or says why
it is assumed."""

from __future__ import annotations

from datetime import date

from aidrules.casework.appeals import ChallengeLaw
from aidrules.casework.calendar import calendar_of
from aidrules.ledger.payments import RECOVERY_INSTALMENTS
from aidrules.rulebook.lint import CASEWORK_PARAMETERS, NOTICE_PARAMETERS

TIELI = "heilongjiang/yichun/tieli"


def test_check_strict_knows_every_parameter_the_case_model_reads(book):
    class Reading:
        names: set[str] = set()

        def value(self, name, jurisdiction, on):
            self.names.add(name)
            return book.policies.value(name, jurisdiction, on)

    reading = Reading()
    calendar_of(reading, TIELI, [2025])
    ChallengeLaw.of(reading, TIELI, date(2025, 3, 1))
    read = reading.names | {RECOVERY_INSTALMENTS}
    assert read - NOTICE_PARAMETERS == CASEWORK_PARAMETERS


def test_each_has_its_legal_basis_or_says_why_assumed(book):
    for name in CASEWORK_PARAMETERS:
        for value in book.policies.history(name):
            assert value.source is not None or value.assumed, (name, value.effective_from)
