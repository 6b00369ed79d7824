"""aidrules: rules-as-code for Chinese social assistance.

The names an integrator needs (docs/api.md)::

    import aidrules

    book = aidrules.load_book()                 # the shipped book, or the county's own
    assessor = aidrules.Assessor(book)
    application = aidrules.read_application("household.yaml")   # or application_from_dict
    assessment = assessor.assess(application)
    print(assessor.explain(assessment, "dibao"))

Names are imported on first use, so ``import aidrules`` stays cheap and loads neither
the rules engine nor the database libraries until they are asked for.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("aidrules")
except PackageNotFoundError:  # pragma: no cover - imported from a source tree, not installed
    __version__ = "0+unknown"

_WHERE = {
    "AidResult": "aidrules.engine",
    "AidrulesError": "aidrules.errors",
    "Application": "aidrules.model",
    "ApplicationError": "aidrules.errors",
    "Assessment": "aidrules.engine",
    "Assessor": "aidrules.engine",
    "FieldProblem": "aidrules.errors",
    "Ledger": "aidrules.ledger",
    "Problem": "aidrules.errors",
    "RuleBook": "aidrules.rulebook",
    "RuleBookError": "aidrules.errors",
    "Screener": "aidrules.columnar",
    "application_from_dict": "aidrules.model",
    "decision_notice": "aidrules.notices",
    "load_book": "aidrules.shipped",
    "load_rulebook": "aidrules.rulebook",
    "read_application": "aidrules.model",
    "read_applications": "aidrules.model",
}

__all__ = [
    "AidResult",
    "AidrulesError",
    "Application",
    "ApplicationError",
    "Assessment",
    "Assessor",
    "FieldProblem",
    "Ledger",
    "Problem",
    "RuleBook",
    "RuleBookError",
    "Screener",
    "__version__",
    "application_from_dict",
    "decision_notice",
    "load_book",
    "load_rulebook",
    "read_application",
    "read_applications",
]

if TYPE_CHECKING:
    from aidrules.columnar import Screener
    from aidrules.engine import AidResult, Assessment, Assessor
    from aidrules.errors import (
        AidrulesError,
        ApplicationError,
        FieldProblem,
        Problem,
        RuleBookError,
    )
    from aidrules.ledger import Ledger
    from aidrules.model import (
        Application,
        application_from_dict,
        read_application,
        read_applications,
    )
    from aidrules.notices import decision_notice
    from aidrules.rulebook import RuleBook, load_rulebook
    from aidrules.shipped import load_book


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'aidrules' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)


def __dir__() -> list[str]:
    return __all__
