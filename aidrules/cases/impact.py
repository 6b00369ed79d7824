"""Impact of a rule change: the same households assessed under a base and a current rule book.

Per aid type: how many households gain it, lose it, or keep it with a changed amount;
the monthly cost difference (exact); and each household that changes, with the
criteria whose result flipped.

The households are :class:`Subject` values, so any source can feed them: case files
(:func:`subjects_from_cases`) and the households enrolled in the case ledger
(:func:`subjects_from_ledger`: re-assess everyone enrolled under a proposed policy);
:func:`measure` takes any iterable of subjects.

Amounts of aid types paid once (``period: once`` in ``book.yaml``: temporary assistance)
are one-off payments, not monthly; their differences are totalled apart."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from aidrules.cases.case import Case
from aidrules.cases.replay import Books, criterion_line
from aidrules.engine import AidResult, Assessor
from aidrules.errors import AidrulesError
from aidrules.model import Application
from aidrules.policy import Overlay

ZERO = Decimal("0.00")


class BaseError(AidrulesError, ValueError):
    """The base rule book (a directory or a git revision) could not be found or extracted."""


@attrs.frozen
class Subject:
    """One household to assess under both rule books."""

    label: str
    application: Application
    on: date | None = None  # default: the application's date
    jurisdiction: str | None = None
    overlays: tuple[Overlay, ...] = ()  # a case's own policies, laid over both sides


@attrs.frozen
class Change:
    """One aid type of one household decided differently under the current rule book."""

    subject: str
    aid: str
    kind: str  # gained | lost | amount | status (between ineligible and undetermined)
    base_status: str
    status: str
    base_amount: Decimal | None
    amount: Decimal | None
    flipped: tuple[str, ...]  # the criteria whose result changed, base → current

    def __str__(self) -> str:
        def side(status, amount):
            return status + (f" {amount}" if amount is not None else "")
        return (f"{self.subject}: {self.aid} {self.kind}: "
                f"{side(self.base_status, self.base_amount)} → {side(self.status, self.amount)}")


@attrs.define
class Impact:
    """The changes over every household, with counts and costs per aid type."""

    one_off: frozenset[str]  # aid types paid once (period: once), not monthly
    households: int = 0
    changes: list[Change] = attrs.Factory(list)
    errors: list[str] = attrs.Factory(list)
    cost: dict[str, Decimal] = attrs.Factory(dict)  # aid → current − base, per month or once

    def counts(self) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        for change in self.changes:
            row = found.setdefault(change.aid, {"gained": 0, "lost": 0, "amount": 0,
                                                "status": 0})
            row[change.kind] += 1
        return dict(sorted(found.items()))

    @property
    def monthly_cost(self) -> Decimal:
        return sum((v for k, v in self.cost.items() if k not in self.one_off), ZERO)

    @property
    def one_off_cost(self) -> Decimal:
        return sum((v for k, v in self.cost.items() if k in self.one_off), ZERO)

    def households_changed(self) -> int:
        return len({c.subject for c in self.changes})


def subjects_from_cases(cases: Iterable[Case], on: date | None = None) -> list[Subject]:
    """The households of ``cases``, each at its own date, or all at ``on``."""
    return [Subject(f"{c.where} {c.heading}", c.application, on or c.on, c.jurisdiction,
                    c.overlays) for c in cases]


def subjects_from_ledger(url_or_path: str | Path, on: date) -> list[Subject]:
    """Every household enrolled in the case ledger on ``on``, with its latest application
    on file by then, to be assessed as of ``on``. The ledger is only read."""
    from aidrules.ledger import Ledger, LedgerError  # the database libraries, only when asked
    text = str(url_or_path)
    if "://" not in text and not Path(text).is_file():
        raise LedgerError(f"--ledger {text}: no such file")
    ledger = Ledger.open(text, upgrade=False)
    try:
        enrolled = ledger.enrolled_applications(on)
    finally:
        ledger.close()
    return [Subject(f"household {e.household_id}", e.application, on, e.jurisdiction)
            for e in enrolled]


def measure(base: Assessor, current: Assessor, subjects: Iterable[Subject],
            books: Books | None = None) -> Impact:
    """Assess every subject under ``base`` and ``current`` and collect what changed; a
    subject with its own overlays (a case's) has them laid over both sides (``books``, which
    loaded both, loads each side with them)."""
    impact = Impact(one_off=_one_off(base) | _one_off(current))
    for subject in subjects:
        impact.households += 1
        try:
            was, now = (books.laid_over(side, subject.overlays) if books else side
                        for side in (base, current))
            before = was.assess(subject.application, subject.on, subject.jurisdiction)
            after = now.assess(subject.application, subject.on, subject.jurisdiction)
        except AidrulesError as exc:
            impact.errors.append(f"{subject.label}: {exc}")
            continue
        for aid in current.book.aids:
            if aid in base.book.aids:
                _compare(impact, subject.label, before.result(aid), after.result(aid))
    return impact


def _one_off(assessor: Assessor) -> frozenset[str]:
    return frozenset(a.id for a in assessor.book.aids.values() if a.period == "once")


def _compare(impact: Impact, label: str, before: AidResult, after: AidResult) -> None:
    paid_before = before.amount if before.status == "eligible" else None
    paid_after = after.amount if after.status == "eligible" else None
    difference = (paid_after or ZERO) - (paid_before or ZERO)
    if difference:
        impact.cost[after.aid] = impact.cost.get(after.aid, ZERO) + difference
    kind = _kind(before, after)
    if kind:
        impact.changes.append(Change(label, after.aid, kind, before.status, after.status,
                                     paid_before, paid_after, flipped(before, after)))


def _kind(before: AidResult, after: AidResult) -> str | None:
    if before.status != "eligible" and after.status == "eligible":
        return "gained"
    if before.status == "eligible" and after.status != "eligible":
        return "lost"
    if before.status != after.status:
        return "status"
    if before.status == "eligible" and (before.amount, before.amount_max) != \
            (after.amount, after.amount_max):
        return "amount"
    return None


def flipped(before: AidResult, after: AidResult) -> tuple[str, ...]:
    """The parameters whose value differs, then the criteria (by rule and member) whose
    result is not the same in both."""
    lines = [f"parameter {name}: {old} → {new}"
             for name, (old, new) in _parameters_changed(before, after).items()]
    old = {(t.rule, t.member, c.text): c for t in before.rules for c in t.criteria}
    for trace in after.rules:
        for criterion in trace.criteria:
            was = old.get((trace.rule, trace.member, criterion.text))
            if was is not None and was.result != criterion.result:
                who = "" if trace.member is None else f" (member {trace.member})"
                lines.append(f"{trace.rule}{who}: {criterion_line(was)}  →  "
                             f"{criterion_line(criterion)}")
    return tuple(lines)


def _parameters_changed(before: AidResult, after: AidResult) -> dict[str, tuple]:
    def values(result: AidResult) -> dict[str, object]:
        return {p.name: p.value for t in result.rules for c in t.criteria for p in c.parameters}
    old, new = values(before), values(after)
    return {name: (old[name], new[name]) for name in sorted(old.keys() & new.keys())
            if old[name] != new[name]}


# ---- the base rule book ----------------------------------------------------------------

def base_directories(base: str, rules: Path, policies: Path, scratch: Path,
                     where: Path | None = None) -> tuple[Path, Path]:
    """The base rules and policies: ``base``/rules and ``base``/policies when ``base`` is a
    directory; else the same paths as ``rules`` and ``policies`` at git revision ``base``,
    extracted (never run) into ``scratch``, from the git repository at ``where`` (default:
    the working directory)."""
    given = Path(base)
    if given.is_dir():
        found = given / "rules", given / "policies"
        missing = [str(p) for p in found if not p.is_dir()]
        if missing:
            raise BaseError(f"--base {base}: no {' or '.join(missing)} directory")
        return found
    return _from_git(base, rules, policies, scratch, where or Path.cwd())


def _from_git(revision: str, rules: Path, policies: Path, scratch: Path,
              where: Path) -> tuple[Path, Path]:
    top = Path(_git(["rev-parse", "--show-toplevel"], where,
                    f"--base {revision}: not a directory, and {where} is not in a git "
                    "repository").decode().strip()).resolve()
    _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top,
         f"--base {revision}: neither a directory nor a git revision")
    inside = []
    for path in (rules, policies):
        try:
            inside.append(path.resolve().relative_to(top).as_posix())
        except ValueError:
            raise BaseError(f"{path} is not inside the git repository at {top}") from None
    archive = _git(["archive", "--format=tar", revision, "--", *inside], top,
                   f"--base {revision}: {' or '.join(inside)} not found at that revision")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / inside[0], scratch / inside[1]


def _git(args: list[str], where: Path, failure: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=where, capture_output=True, check=False)
    except OSError as exc:
        raise BaseError(f"git could not run: {exc}") from None
    if done.returncode != 0:
        raise BaseError(failure or done.stderr.decode(errors="replace").strip())
    return done.stdout


def scratch_directory() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="aidrules-base-")
