"""The only module that imports durable_rules.

One host per process, without the background threads of the stock host; one ruleset
per compiled rule book; one short-lived session (sid) per assessment, deleted
afterwards, so no fact of one application can reach another and the engine's
1,024-live-session limit is never approached.

Thread-safety: an :class:`Engine` may be shared by threads. Sessions run one at a
time under a lock: the C extension never releases the GIL, so a lock costs no
parallelism; for throughput, use processes."""

from __future__ import annotations

import contextlib
import copy
import itertools
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


class Session(_Session):
    """One assessment's working memory: ``fired`` lists (rule id, member) in firing order."""

    def __init__(self, engine: Engine, ruleset: str, sid: str) -> None:
        super().__init__(engine, ruleset, sid)
        self.fired: list[tuple[str, int | None]] = []


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
        self._lock = threading.RLock()
        self._ids = itertools.count()
        self._session: Session | MatchSession | None = None

    def register(self, compiled: Compiled) -> None:
        with self._lock:
            if compiled.name in self._registered:
                return
            ruleset = copy.deepcopy(compiled.ruleset)  # set_rulesets strips 'run' from its input
            for name, rule in ruleset[compiled.name].items():
                rule["run"] = self._action(compiled, name)
            self._host.set_rulesets(ruleset)
            self._registered.add(compiled.name)

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

    def _action(self, compiled: Compiled, durable_rule: str):
        if durable_rule == SESSION_RULE:
            return _nothing
        rule_id = compiled.actions[durable_rule]
        conclusion = compiled.conclusions[rule_id]

        def action(c):  # exactly one parameter: two would make durable_rules treat it as async
            matched = c._m or {}
            member = matched.get("m", {}).get("index") if "m" in matched else None
            self._session.fired.append((rule_id, member))
            kind, value, scope = conclusion
            if kind == "aid" and value in compiled.positive_aids:
                # another alternative of the same rule may have fired: then it is known
                with contextlib.suppress(durable_engine.MessageObservedException):
                    c.assert_fact({"kind": "status", "aid": value, "scope": scope,
                                   "status": "eligible", "rule": rule_id,
                                   "member": -1 if member is None else member})
        return action

    def session(self, compiled: Compiled):
        """A short-lived session of an assessment's ruleset, deleted afterwards."""
        self.register(compiled)
        return self._running(Session(self, compiled.name, f"a{next(self._ids)}"))

    @contextmanager
    def _running(self, session: _Session) -> Iterator[_Session]:
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
