"""The composition root: the one place where the application is wired together.

The command line (:mod:`aidrules.cli`) and the HTTP service (:mod:`aidrules.service`)
build what they run from here, so both find the same book the same way:

- the rule book: the folders given, else ``AIDRULES_RULES`` / ``AIDRULES_POLICIES``,
  ``aidrules.toml``, ``./rules`` and ``./policies``, else the copy shipped in the package
  (:mod:`aidrules.shipped`), with the overlays given or configured laid over it;
- its :class:`~aidrules.engine.Assessor` (the compiled rulesets);
- the ledger over that book and assessor.

The engine and the database libraries are imported only when something asks for them,
so a command that needs neither starts fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aidrules.policy import Overlay
from aidrules.rulebook import RuleBook
from aidrules.shipped import load_book, located, located_overlays

if TYPE_CHECKING:
    from aidrules.cases.replay import Books
    from aidrules.engine import Assessor
    from aidrules.ledger import Ledger

Folder = Path | str | None


def book_folders(rules: Folder = None, policies: Folder = None) -> tuple[Path, Path]:
    """Where the rules and the policies are (the folders given, or as found)."""
    return located("rules", rules), located("policies", policies)


def overlays(given: Iterable[Overlay] | None = None) -> list[Overlay]:
    """The overlays given (even none), else the configured ones."""
    return located_overlays(given)


def book(rules: Folder = None, policies: Folder = None,
         laid_over: Iterable[Overlay] | None = None) -> RuleBook:
    """The rule book; raises RuleBookError listing every problem."""
    return load_book(rules, policies, laid_over)


def assessor(rules: Folder = None, policies: Folder = None,
             laid_over: Iterable[Overlay] | None = None) -> Assessor:
    """The assessor of the rule book (compiled once; share it)."""
    from aidrules.engine import Assessor
    return Assessor(book(rules, policies, laid_over))


def books() -> Books:
    """A cache of assessors keyed by the folders they load from, for the commands that
    compare books or lay a case's own overlays over one (replay, impact)."""
    from aidrules.cases.replay import Books
    return Books()


def ledger(db: str | Path, *, with_book: RuleBook | None = None,
           sharing: Assessor | None = None, create: bool = False) -> Ledger:
    """The ledger at ``db`` (an SQLite file or a database URL), over ``with_book`` (or the
    book of ``sharing``, whose compiled rulesets it then reuses). With ``create=False`` a
    missing SQLite file is refused rather than started."""
    from aidrules.ledger import Ledger
    if with_book is None and sharing is not None:
        with_book = sharing.book
    return Ledger.open(db, book=with_book, assessor=sharing, create=create)
