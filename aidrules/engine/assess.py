"""Assessing one application across every aid type: durable_rules decides, the library explains.

The order of work: the facts (exact), the engine session (firings and their forward
chaining), then, conclusion by conclusion in dependency order, the library's own
evaluation of every criterion, which must agree with what fired, and which also says
why a rule did not fire and what is missing when nothing can be decided."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import attrs

from aidrules import model
from aidrules.engine.compiler import MONEY_UNITS, Compiled, compile_book
from aidrules.engine.durable import Engine, Session
from aidrules.engine.results import (
    AidResult,
    Assessment,
    CriterionResult,
    ParameterUse,
    Referral,
    RuleTrace,
)
from aidrules.errors import EngineError
from aidrules.language import ast
from aidrules.language.evaluator import UNKNOWN, Env, as_fraction, compare, evaluate, kleene
from aidrules.policy import PolicySnapshot
from aidrules.render.words import amount_pending as _amount_pending
from aidrules.render.words import summary as _summary
from aidrules.rulebook.analysis import evaluation_order, excluded_by, names_read, node_of
from aidrules.rulebook.book import Rule, RuleBook
from aidrules.rulebook.facts import Facts, facts_for, missing_paths

_SHARED_ENGINE: Engine | None = None


def shared_engine() -> Engine:
    global _SHARED_ENGINE
    if _SHARED_ENGINE is None:
        _SHARED_ENGINE = Engine()
    return _SHARED_ENGINE


class Assessor:
    """A loaded rule book, ready to assess applications. Compiled rulesets are cached per
    rule-book content, jurisdiction and policy version."""

    def __init__(self, book: RuleBook, engine: Engine | None = None) -> None:
        self.book = book
        self.engine = engine or shared_engine()
        self._compiled: dict[str, Compiled] = {}
        self._snapshots: dict[tuple[str, date], PolicySnapshot] = {}
        self._parameters: dict[str, _Parameters] = {}
        self._order = evaluation_order(book.rules, book.exclusive)
        self.rules_by_node = {node: [r for r in book.rules if node_of(r) == node]
                              for node in self._order}
        self.explaining = _explaining(book)

    def snapshot(self, jurisdiction: str, on: date) -> PolicySnapshot:
        key = (jurisdiction, on)
        found = self._snapshots.get(key)
        if found is None:
            if len(self._snapshots) >= _SNAPSHOTS_KEPT:
                self._snapshots.clear()
            found = self._snapshots[key] = self.book.policies.at(jurisdiction, on)
        return found

    def parameters(self, snapshot: PolicySnapshot) -> _Parameters:
        found = self._parameters.get(snapshot.version)
        if found is None:
            found = self._parameters[snapshot.version] = _Parameters(snapshot)
        return found

    def compiled(self, snapshot: PolicySnapshot) -> Compiled:
        key = f"{self.book.digest}_{snapshot.version}"
        found = self._compiled.get(key)
        if found is None:
            name = "aid_" + re.sub(r"[^A-Za-z0-9_]", "_", key)
            found = compile_book(self.book, self.parameters(snapshot), name)
            self._compiled[key] = found
        return found

    def assess(self, application: model.Application, on: date | None = None,
               jurisdiction: str | None = None, reasons: bool = True) -> Assessment:
        on = on or application.applied_on
        jurisdiction = jurisdiction or application.jurisdiction
        snapshot = self.snapshot(jurisdiction, on)
        compiled = self.compiled(snapshot)
        parameters = self.parameters(snapshot)
        facts = facts_for(application, self.book, parameters)
        run = _Run(self, compiled, parameters, facts, reasons)
        with self.engine.session(compiled) as session:
            run.start(session)
            for node in self._order:
                run.settle(node, session)
        return run.assessment(application, jurisdiction, on)

    def explain(self, assessment: Assessment, aid: str) -> str:
        from aidrules.engine.explain import explain
        return explain(assessment, aid)


_SNAPSHOTS_KEPT = 4096  # (jurisdiction, date) pairs; a county assesses over a few dates


class _Parameters:
    """The parameter values of one snapshot, converted once, and how each was used."""

    def __init__(self, snapshot: PolicySnapshot) -> None:
        self.snapshot = snapshot
        self._values = {name: as_fraction(used.value) for name, used in snapshot.items()}
        self._uses: dict[tuple[str, ...], tuple[ParameterUse, ...]] = {}

    def __call__(self, name: str) -> Any:
        found = self._values.get(name, _ABSENT)
        return self.snapshot[name].value if found is _ABSENT else found  # absent: raises why

    def uses(self, names: tuple[str, ...]) -> tuple[ParameterUse, ...]:
        """How each of ``names`` that is in force was used (cached per list of names)."""
        found = self._uses.get(names)
        if found is None:
            found = self._uses[names] = tuple(_parameter_use(self.snapshot[n]) for n in names
                                              if n in self.snapshot)
        return found


_ABSENT = object()


def _parameter_use(used) -> ParameterUse:
    source = None if used.source is None else " ".join(
        x for x in (used.source.document, used.source.article) if x)
    return ParameterUse(used.name, used.value, used.unit, used.effective_from, used.jurisdiction,
                        source, used.assumed)


@attrs.frozen
class _Explaining:
    """What explaining one criterion needs, worked out once per rule book."""

    facts: tuple[str, ...]  # the facts it reads directly, sorted
    parameters: tuple[str, ...]  # every parameter it depends on, through derived facts
    comparison: ast.Compare | None  # a comparison of numbers: its two sides are shown


def _explaining(book: RuleBook) -> dict[int, _Explaining]:
    found = {}
    for rule in book.rules:
        for c in rule.criteria:
            test = c.test
            comparison = test if isinstance(test, ast.Compare) and \
                test.op in ast.COMPARISONS else None
            # by identity: criteria are values, and two rules may share an equal one
            found[id(c)] = _Explaining(
                tuple(sorted(n for n in c.reads if "." not in n)),
                tuple(sorted(n for n in book.depends_on(c.reads) if "." in n)), comparison)
    return found


class _Run:
    """The state of one assessment while its conclusions are settled in order."""

    def __init__(self, assessor: Assessor, compiled: Compiled, parameters: _Parameters,
                 facts: Facts, reasons: bool) -> None:
        self.book, self.compiled, self.snapshot = assessor.book, compiled, parameters.snapshot
        self.explaining = assessor.explaining
        self.rules_by_node = assessor.rules_by_node
        self.facts, self.reasons, self.parameters = facts, reasons, parameters
        self.node_status: dict[tuple, Any] = {}  # (kind, value, scope) → True/False/UNKNOWN
        self.aid_nodes: dict[str, list[tuple]] = {}  # aid id → its settled nodes
        self.traces: dict[tuple, list[RuleTrace]] = {}
        self.winners: dict[tuple, list[tuple[Rule, int | None]]] = {}
        self.missing: dict[tuple, set[str]] = {}

    # -- the engine ---------------------------------------------------------------
    def start(self, session: Session) -> None:
        for entity, envs in (("household", [self.facts.household]),
                             ("member", self.facts.members)):
            lifted = [item for item in self.compiled.lifted if item.entity == entity]
            for env in envs:
                for item in lifted:
                    env.fields[item.name] = evaluate(item.expr, env, self.parameters)
        session.assert_fact(self.encode("household", self.facts.household))
        if self.compiled.fields["member"]:
            for index, member in enumerate(self.facts.members):
                session.assert_fact(dict(self.encode("member", member), index=index))

    def encode(self, entity: str, env: Env) -> dict[str, Any]:
        fact: dict[str, Any] = {"kind": entity, "zero": 0}
        scales = self.compiled.scales.get(entity, {})
        for name, kind in self.compiled.fields[entity].items():
            value = env.fields.get(name, UNKNOWN)
            if kind in ("bool", "text"):
                if value is not UNKNOWN:
                    fact[name] = value
                continue
            fact[f"{name}__known"] = value is not UNKNOWN
            scale = scales.get(name) or (MONEY_UNITS if kind == "money" else 1)
            fact[name] = 0 if value is UNKNOWN else _engine_integer(name, scale, value)
        return fact

    # -- settling each conclusion -------------------------------------------------
    def settle(self, node: tuple, session: Session) -> None:
        kind, value, scope = node
        fired = set(session.fired)
        results, traces, winners, missing = [], [], [], set()
        for rule in self.rules_by_node[node]:
            for member in self.subjects(rule):
                trace, held, unknown = self.evaluate_rule(rule, member, (rule.id, member) in fired)
                if (held is True) != ((rule.id, member) in fired):
                    raise EngineError(f"the engine and the evaluator disagree on rule "
                                      f"'{rule.id}' (member {member}): evaluator {held}")
                results.append(held)
                traces.append(trace)
                if held is UNKNOWN:  # what would decide it
                    missing.update(p for c in unknown
                                   for p in missing_paths(c.reads, self.book, self.facts))
                    missing.update(self.inherited_missing(rule, unknown))
                if held is True:
                    winners.append((rule, member))
        status = kleene("or", results) if results else False
        self.node_status[node] = status
        if kind == "aid":
            self.aid_nodes.setdefault(value, []).append(node)
        self.traces[node], self.missing[node] = traces, missing
        self.winners[node] = [(r, m) for r, m in winners
                              if not any(r.id in w.overrides for w, _ in winners)]
        if kind == "aid" and status is False and (value, scope) in self.compiled.negative_nodes:
            session.assert_fact({"kind": "status", "aid": value, "scope": scope,
                                 "status": "ineligible"})

    def inherited_missing(self, rule: Rule, unknown) -> set[str]:
        """What is missing for the undecided aid types ``rule`` waits on, through
        ``eligible(...)`` and exclusive-group precedence; those were settled first, with
        what they wait on in turn, so this is transitive."""
        waits = [(aid, None) for c in unknown for aid in c.aids]
        waits += [(higher, "household") for higher in excluded_by(rule, self.book.exclusive)]
        found = set()
        for aid, scope in waits:
            if self.status_of(aid, scope) is UNKNOWN:
                found.update(p for n in self.aid_nodes.get(aid, ())
                             if scope is None or n[2] == scope for p in self.missing[n])
        return found

    def subjects(self, rule: Rule) -> list[int | None]:
        if rule.scope == "household":
            return [None]
        return list(range(len(self.facts.members)))

    def status_of(self, aid: str, scope: str | None = None) -> Any:
        nodes = [n for n in self.aid_nodes.get(aid, ()) if scope is None or n[2] == scope]
        return kleene("or", [self.node_status[n] for n in nodes]) if nodes else False

    def evaluate_rule(self, rule: Rule, member: int | None, fired: bool):
        env = self.facts.household if member is None else self.facts.members[member]
        criteria, values, unknown = [], [], []
        for criterion in rule.criteria:
            if self.reasons:
                explained = self.explain_criterion(criterion, env, member)
                criteria.append(explained)
                value = _VALUES[explained.result]
            else:
                value = evaluate(criterion.test, env, self.parameters, self.status_of)
            values.append(value)
            if value is UNKNOWN:
                unknown.append(criterion)
            elif value is False and not self.reasons:
                break  # decided: without reasons, the other criteria need not be evaluated
        for higher in excluded_by(rule, self.book.exclusive):
            status = self.status_of(higher, "household")
            value = UNKNOWN if status is UNKNOWN else not status
            values.append(value)
            if self.reasons:
                criteria.append(self.precedence(rule, higher, _three(value), member))
        held = kleene("and", values)
        trace = RuleTrace(rule.id, rule.title, rule.title_en, str(rule.basis), _three(held),
                          fired, tuple(criteria), member, rule.overrides, rule.special)
        return trace, held, unknown

    def precedence(self, rule: Rule, higher: str, value: str, member) -> CriterionResult:
        """The criterion an exclusive group adds: the household does not hold ``higher``."""
        aid = self.book.aids[higher]
        group = next(g for g in self.book.exclusive if higher in g.higher_than(rule.aid))
        reason, reason_en = ((text or "").replace("{aid}", name) or None for text, name in
                             ((group.reason, aid.name), (group.reason_en, aid.name_en)))
        return CriterionResult(f"not eligible({higher})", f"未被认定为{aid.name}",
                               f"not found eligible for {aid.name_en}", value, member=member,
                               reason=reason, reason_en=reason_en)

    def explain_criterion(self, criterion, env: Env, member) -> CriterionResult:
        """The criterion's value with what it compared, read and depended on."""
        how = self.explaining[id(criterion)]
        left = right = margin = None
        if how.comparison is None:
            value = evaluate(criterion.test, env, self.parameters, self.status_of)
        else:  # each side once: the same value as evaluating the comparison
            left = evaluate(how.comparison.left, env, self.parameters, self.status_of)
            right = evaluate(how.comparison.right, env, self.parameters, self.status_of)
            value = UNKNOWN if left is UNKNOWN or right is UNKNOWN else \
                compare(how.comparison.op, left, right)
            if isinstance(left, Fraction) and isinstance(right, Fraction):
                margin = left - right
        facts = {}
        for name in how.facts:
            found, fact = env.find(name)
            if found and not isinstance(fact, (list, tuple)):
                facts[name] = None if fact is UNKNOWN else fact
        gaps = missing_paths(criterion.reads, self.book, self.facts) if value is UNKNOWN else []
        return CriterionResult(criterion.text, criterion.title, criterion.title_en,
                               _three(value), _shown(left), _shown(right), margin, facts,
                               self.parameters.uses(how.parameters), tuple(gaps), member,
                               criterion.reason, criterion.reason_en)

    # -- the result -----------------------------------------------------------------
    def assessment(self, application, jurisdiction: str, on: date) -> Assessment:
        results = tuple(self.aid_result(aid) for aid in self.book.aids)
        risk_level, risk_rule = self.risk()
        referrals = tuple(self.referral(rule) for node in self.winners if node[0] == "referral"
                          for rule, _ in self.winners[node])
        return Assessment(application.application_id, jurisdiction, on,
                          {"name": self.book.name, "version": self.book.version,
                           "digest": self.book.digest}, self.snapshot.version, results,
                          risk_level, risk_rule.title if risk_rule else None,
                          risk_rule.title_en if risk_rule else None, referrals)

    def aid_result(self, aid: str) -> AidResult:
        nodes = self.aid_nodes.get(aid, [])
        status = self.status_of(aid)
        winners = [w for n in nodes for w in self.winners[n]]
        traces = tuple(t for n in nodes for t in self.traces[n])
        missing = tuple(sorted({p for n in nodes for p in self.missing[n]}))
        amount = amount_max = None
        label = {True: "eligible", False: "ineligible"}.get(status, "undetermined")
        info = self.book.aids[aid]
        summary, summary_en = _summary(label, traces, winners, missing)
        if status is True:
            amount, amount_max = self.amount(winners, "amount"), self.amount(winners, "amount_max")
            # eligible, but an amount waits on unreported facts: eligible stays decided, and
            # what the amount needs is listed as missing (docs/assessment-json.md)
            missing = self.amount_missing(winners) if UNKNOWN in (amount, amount_max) else ()
            if UNKNOWN in (amount, amount_max):
                summary, summary_en = _amount_pending(summary, summary_en, missing)
            amount, amount_max = _shown(amount), _shown(amount_max)
        elif label != "undetermined":
            missing = ()
        members = tuple(m for _, m in winners if m is not None)
        return AidResult(aid, info.name, info.name_en, label, amount, amount_max, summary,
                         summary_en, missing, members, traces if self.reasons else (),
                         info.period)

    def amount_missing(self, winners) -> tuple[str, ...]:
        names = {n for rule, _ in winners for expr in (rule.amount, rule.amount_max)
                 if expr is not None for n in names_read(expr)}
        return tuple(sorted(missing_paths(names, self.book, self.facts)))

    def amount(self, winners, field: str) -> Any:
        """The amount in whole fen, None when no rule gives one, UNKNOWN when it waits on
        unreported facts."""
        exprs = [(getattr(rule, field), member) for rule, member in winners
                 if getattr(rule, field) is not None]
        if not exprs:
            return None
        total = Fraction(0)
        for expr, member in exprs:
            env = self.facts.household if member is None else self.facts.members[member]
            value = evaluate(expr, env, self.parameters, self.status_of)
            if value is UNKNOWN:
                return UNKNOWN
            total += value
        return _to_fen(total)

    def risk(self) -> tuple[str | None, Rule | None]:
        for level in self.book.risk_levels:
            for node, winners in self.winners.items():
                if node[0] == "risk" and node[1] == level and winners:
                    return level, winners[0][0]
        return None, None

    def referral(self, rule: Rule) -> Referral:
        brand = self.book.brands[rule.conclusion.value]
        return Referral(brand.id, brand.name, brand.departments, rule.reason or rule.title,
                        rule.reason_en or rule.title_en, rule.id)


def _engine_integer(name: str, scale: int, value: Fraction) -> int:
    """``value`` × ``scale``: whole by construction (the compiler bounds every lifted
    value's denominator by ``scale``); an error here is a bug in the compiler."""
    scaled = value * scale
    if scaled.denominator != 1:
        raise EngineError(f"the value of '{name}' ({value}) is not a whole number of "
                          f"1/{scale}")
    return int(scaled)


def _to_fen(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_VALUES = {"true": True, "false": False, "unknown": UNKNOWN}


def _three(value: Any) -> str:
    return "unknown" if value is UNKNOWN else ("true" if value else "false")


def _shown(value: Any) -> Any:
    return None if value is UNKNOWN else value
