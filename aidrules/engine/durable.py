"""The only module that imports durable_rules.

A compiled rule book is driven through durable_rules' C extension directly (create the
ruleset, assert a fact, take each match and complete it), without the Python ``Host``,
whose per-action machinery (a JSON round trip of the state, closures, promises) costs
about twice the matching itself. One ruleset per compiled rule book; one short-lived
session (sid) per assessment, deleted afterwards, so no fact of one application can
reach another and the engine's 1,024-live-session limit is never approached. Plain
JSON rulesets (``register_rules``) still run on one quiet host.

Thread-safety: an :class:`Engine` may be shared by threads. Sessions run one at a
time under a lock: the C extension never releases the GIL, so a lock costs no
parallelism; for throughput, use processes."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aidrules.engine.compiler import SESSION_RULE, Compiled
from aidrules.errors import EngineError, InstallationError

# durable-rules 2.0.28 calls PyEval_CallObject, which Python 3.13 removed: built without
# the define below it installs, then fails here with an undefined symbol.
BUILD_FLAG = "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject"

try:
    import durable_rules_engine as _c
    from durable import engine as durable_engine
except ImportError as exc:
    if "PyEval_CallObject" not in str(exc):
        raise
    raise InstallationError(
        "durable-rules was built without a define this Python needs (undefined symbol "
        "PyEval_CallObject). Rebuild it: pip uninstall -y durable-rules, then "
        f"{BUILD_FLAG} pip install --no-cache-dir --no-binary durable-rules durable-rules"
        "==2.0.28 (see the README, \"Quick start\")") from None


class _QuietHost(durable_engine.Host):
    """A host that starts no dispatcher or timer threads: calls return when rules have run."""

    def _run(self) -> None:
        pass


class _Session:
    """A short-lived session (sid) of one registered ruleset."""

    def __init__(self, engine: Engine, ruleset: str, sid: str) -> None:
        self._engine, self.ruleset, self.sid = engine, ruleset, sid

    def assert_fact(self, fact: dict[str, Any]) -> None:
        try:
            state = self._engine._host.assert_fact(self.ruleset, dict(fact, sid=self.sid))
        except durable_engine.MessageNotHandledException:
            return  # no rule reads this fact
        except MemoryError as exc:
            raise EngineError("durable_rules ran out of sessions; restart the process") from exc
        if state and "exception" in state:
            raise EngineError(f"a rule action failed: {state['exception'][:500]}")


class Session:
    """One assessment's working memory: ``fired`` lists (rule id, member) in firing order;
    ``probed`` holds, per (rule id, member) whose ``open`` fact was asserted, the criteria
    the engine found to hold (True) or not to hold (False), by index."""

    def __init__(self, ruleset: _Ruleset, sid: str) -> None:
        self._ruleset, self.ruleset, self.sid = ruleset, ruleset.name, sid
        self.fired: list[tuple[str, int | None]] = []
        self.fired_set: set[tuple[str, int | None]] = set()
        self.probed: dict[tuple[str, int | None], dict[int, bool]] = {}

    def assert_fact(self, fact: dict[str, Any]) -> None:
        """Assert ``fact`` and run every action it leads to, derived facts included."""
        handle = self._ruleset.handle
        try:
            code, offset = _c.assert_fact(handle, _json(dict(fact, sid=self.sid)))
        except MemoryError as exc:
            raise EngineError("durable_rules ran out of sessions; restart the process") from exc
        if code != 0:
            return  # 1: no rule reads it; 2: already known
        started = _c.start_action_for_state(handle, offset)
        match = started[1] if started else None
        for _ in range(_MAX_FIRINGS):
            if not match:
                return
            name = match[2:match.index('"', 2)]  # {"<rule name>":{<alias>:<fact>, ...}}
            try:
                self._ruleset.actions[name](self, name, match)
            except BaseException:
                _c.abandon_action(handle, offset)
                raise
            match = _c.complete_and_start_action(handle, offset)
        _c.abandon_action(handle, offset)
        raise EngineError(f"more than {_MAX_FIRINGS} firings for one fact")

    def derive(self, fact: dict[str, Any]) -> None:
        """Assert a fact from inside an action: its own actions run after this one."""
        code, _ = _c.assert_fact(self._ruleset.handle, _json(dict(fact, sid=self.sid)))
        del code  # 2: the same fact is already known (another alternative fired)


_MAX_FIRINGS = 100_000
# one encoder, made once: json.dumps(..., ensure_ascii=False) builds a new one per call
_json = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


class _Ruleset:
    """A compiled rule book registered with the C extension, and its actions by rule name."""

    def __init__(self, compiled: Compiled) -> None:
        self.name = compiled.name
        self.actions = {name: _action(compiled, name) for name in compiled.ruleset[self.name]}
        self.handle = _c.create_ruleset(self.name, json.dumps(compiled.ruleset[self.name],
                                                              ensure_ascii=False))


def _action(compiled: Compiled, durable_rule: str):
    """The action of one durable rule: it records what fired. It reads the match (JSON
    text, decoded only for a rule about a member) to learn which member."""
    if durable_rule == SESSION_RULE:
        return _nothing_done
    if durable_rule in compiled.probes:
        rule_id, index, holds = compiled.probes[durable_rule]
        about_member = compiled.conclusions[rule_id][2] == "member"

        def probe(session: Session, name: str, match: str) -> None:
            member = json.loads(match)[name]["o"]["member"] if about_member else None
            session.probed.setdefault((rule_id, member), {})[index] = holds
        return probe
    rule_id = compiled.actions[durable_rule]
    kind, value, scope = compiled.conclusions[rule_id]
    asserts = kind == "aid" and value in compiled.positive_aids

    def fired(session: Session, name: str, match: str) -> None:
        member = json.loads(match)[name]["m"]["index"] if scope == "member" else None
        session.fired.append((rule_id, member))
        session.fired_set.add((rule_id, member))
        if asserts:  # rules reading eligible(...) match it
            session.derive({"kind": "status", "aid": value, "scope": scope,
                            "status": "eligible", "rule": rule_id,
                            "member": -1 if member is None else member})
    return fired


def _nothing_done(session: Session, name: str, match: str) -> None:
    return None


class MatchSession(_Session):
    """A session of a plain JSON ruleset whose rules only record what they matched.

    ``matches`` lists ``(rule name, {alias: fact})`` in firing order. Used by rulesets
    built outside the rule-book compiler (the monitoring warnings); such a ruleset must
    carry its own ``SESSION_RULE`` that fires on the first fact (see docs/engine.md)."""

    def __init__(self, engine: Engine, ruleset: str, sid: str) -> None:
        super().__init__(engine, ruleset, sid)
        self.matches: list[tuple[str, dict[str, dict[str, Any]]]] = []


class Engine:
    def __init__(self) -> None:
        self._host = _QuietHost()
        self._registered: set[str] = set()
        self._rulesets: dict[str, _Ruleset] = {}
        self._lock = threading.RLock()
        self._ids = itertools.count()
        self._session: MatchSession | None = None

    def register(self, compiled: Compiled) -> _Ruleset:
        with self._lock:
            found = self._rulesets.get(compiled.name)
            if found is None:
                found = self._rulesets[compiled.name] = _Ruleset(compiled)
            return found

    def register_rules(self, name: str, rules: dict[str, dict[str, Any]]) -> None:
        """Register a plain JSON ruleset whose actions record their matches."""
        with self._lock:
            if name in self._registered:
                return
            ruleset = copy.deepcopy(rules)
            for rule_name, rule in ruleset.items():
                rule["run"] = _nothing if rule_name == SESSION_RULE else self._recorder(rule_name)
            self._host.set_rulesets({name: ruleset})
            self._registered.add(name)

    def _recorder(self, rule_name: str):
        def action(c):  # exactly one parameter: see _action
            matched = {alias: dict(fact) for alias, fact in (c._m or {}).items()}
            self._session.matches.append((rule_name, matched))
        return action

    def match_session(self, name: str):
        """A short-lived session of the registered ruleset ``name``, deleted afterwards."""
        return self._running(MatchSession(self, name, f"w{next(self._ids)}"))

    @contextmanager
    def session(self, compiled: Compiled) -> Iterator[Session]:
        """A short-lived session of an assessment's ruleset, deleted afterwards."""
        ruleset = self.register(compiled)
        with self._lock:  # one session at a time, as for the host's
            session = Session(ruleset, f"a{next(self._ids)}")
            try:
                yield session
            finally:
                # raises when no state was created (nothing matched): nothing to delete
                with contextlib.suppress(Exception):
                    _c.delete_state(ruleset.handle, session.sid)

    @contextmanager
    def _running(self, session: MatchSession) -> Iterator[MatchSession]:
        with self._lock:  # one session at a time: the actions report to self._session
            self._session = session
            try:
                yield session
            finally:
                self._session = None
                # raises when no state was created (nothing matched): nothing to delete
                with contextlib.suppress(Exception):
                    self._host.delete_state(session.ruleset, session.sid)


def _nothing(c) -> None:
    return None
