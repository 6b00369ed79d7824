"""The aidrules pytest plugin: case files run as tests with plain ``pytest``.

Every ``*.yaml`` below a directory named ``cases`` (under the rootdir) is collected, when
a rule book is configured or ``rules/book.yaml`` exists under the rootdir; each
case is one item, named ``file::title``. The rule files of that book under the rootdir
are collected too: each inline example is an item ``file::rule id::title``, and a book
that does not load is one collection error, at its ``book.yaml``. A failing case prints
the file, the case and the difference with its reasons, never a Python traceback. The
rule book is read from ``aidrules_rules`` / ``aidrules_policies`` (ini, relative to the
rootdir) or ``--aidrules-rules`` / ``--aidrules-policies`` (relative to where pytest
runs); default ``rules`` and ``policies``. See docs/cases.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aidrules.cases.case import Case
from aidrules.cases.reading import read_cases, read_examples
from aidrules.cases.replay import Books, in_cases_dir, rules_in
from aidrules.engine import Assessor
from aidrules.errors import AidrulesError, RuleBookError
from aidrules.rulebook import Rule

_BOOKS = pytest.StashKey[Books]()


class CaseFileError(AidrulesError):
    """A case file, or the rule book it is checked against, did not load."""


class CaseFailed(AssertionError):
    """A case came out other than expected; the message is the readable difference."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aidrules", "aidrules case files")
    group.addoption("--aidrules-rules", dest="aidrules_rules", metavar="DIR",
                    help="the rules directory the cases run against (default: ini "
                         "aidrules_rules, else 'rules' under the rootdir)")
    group.addoption("--aidrules-policies", dest="aidrules_policies", metavar="DIR",
                    help="the policies directory (default: ini aidrules_policies, else "
                         "'policies' under the rootdir)")
    parser.addini("aidrules_rules", "rules directory for case files, relative to the rootdir "
                  "(default: rules)", default="")
    parser.addini("aidrules_policies", "policies directory for case files, relative to the "
                  "rootdir (default: policies)", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_BOOKS] = Books()


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    config = parent.config
    if file_path.suffix not in (".yaml", ".yml") or not _enabled(config):
        return None
    if in_cases_dir(file_path, config.rootpath):
        return CaseFile.from_parent(parent, path=file_path)
    rules = _directory(config, "aidrules_rules").resolve()
    if file_path.suffix == ".yaml" and file_path.resolve().is_relative_to(rules):
        return RuleFile.from_parent(parent, path=file_path)
    return None


def _enabled(config: pytest.Config) -> bool:
    """Collect case files where a rule book is configured, or where the default one exists:
    another project's YAML under a ``cases/`` directory is left alone."""
    configured = any(config.getoption(n) or config.getini(n) for n in _DEFAULTS)
    return configured or (_directory(config, "aidrules_rules") / "book.yaml").is_file()


_DEFAULTS = {"aidrules_rules": "rules", "aidrules_policies": "policies"}


def _directory(config: pytest.Config, name: str) -> Path:
    given = config.getoption(name)
    if given:
        return config.invocation_params.dir / given
    return config.rootpath / (config.getini(name) or _DEFAULTS[name])


def _assessor(config: pytest.Config) -> Assessor:
    """The configured book's assessor, loaded once; CaseFileError if the book does not load."""
    rules, policies = _directory(config, "aidrules_rules"), _directory(config,
                                                                       "aidrules_policies")
    try:
        return config.stash[_BOOKS].assessor(rules, policies)
    except RuleBookError as exc:
        raise CaseFileError(f"the rule book ({rules}, {policies}) did not load:\n"
                            + "\n".join(f"  {p}" for p in exc.problems)) from None


def _roots(config: pytest.Config) -> tuple[Path, Path]:
    """Where a case's application file may be: under the rootdir or the rule book's project."""
    return config.rootpath, _directory(config, "aidrules_rules").resolve().parent


def _label(node: pytest.Collector | pytest.Item) -> str:
    """The file as messages name it: relative to the rootdir where it lies below it."""
    root = node.config.rootpath
    return node.path.relative_to(root).as_posix() if node.path.is_relative_to(root) \
        else str(node.path)


class _ReportsFileErrors(pytest.Collector):
    """A collector whose CaseFileError prints as its message alone."""

    def repr_failure(  # type: ignore[override]
            self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:  # as Collector's
        if isinstance(excinfo.value, CaseFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


def _items(parent: pytest.Collector, cases: list[Case], problems: list, what: str):
    if problems:
        raise CaseFileError(f"{len(problems)} problem(s) in {what}:\n"
                            + "\n".join(f"  {p}" for p in problems))
    for case in cases:
        yield CaseItem.from_parent(parent, name=case.title, case=case)


class CaseFile(_ReportsFileErrors, pytest.File):
    """A file of cases."""

    def collect(self):
        cases, problems = read_cases(self.path, _assessor(self.config).book, _label(self),
                                     _roots(self.config))
        yield from _items(self, cases, problems, "the case file")


class RuleFile(_ReportsFileErrors, pytest.File):
    """A rule file of the configured book: one collector per rule with inline examples.
    ``book.yaml`` reports a book that does not load; the other files are then empty."""

    def collect(self):
        try:
            book = _assessor(self.config).book
        except CaseFileError:
            if self.path.resolve() == (_directory(self.config, "aidrules_rules")
                                       / "book.yaml").resolve():
                raise
            return
        for rule in rules_in(book, self.path):
            yield RuleExamples.from_parent(self, name=rule.id, rule=rule)


class RuleExamples(_ReportsFileErrors, pytest.Collector):
    """The inline examples of one rule."""

    def __init__(self, *, rule: Rule, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rule = rule

    def collect(self):
        cases, problems = read_examples(self.rule, _assessor(self.config).book, _label(self),
                                        _roots(self.config))
        yield from _items(self, cases, problems, f"the examples of rule '{self.rule.id}'")


class CaseItem(pytest.Item):
    """One case: it passes when every expectation written in it holds."""

    def __init__(self, *, case: Case, **kwargs) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        outcome = self.config.stash[_BOOKS].run(_assessor(self.config), self.case)
        if not outcome.agreed:
            raise CaseFailed(outcome.report())

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.case.line - 1, f"case: {self.case.heading}"
