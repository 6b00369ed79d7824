"""Assessing one application across every aid type: durable_rules decides, the library explains.

The order of work: the facts the engine reads (exact), the engine session (firings and
their forward chaining), then, conclusion by conclusion in dependency order, the status
read from what fired (and, for a rule with an unknown input, from its probes: see
docs/engine.md), the amounts of the rules that won, and, only when asked for, the
library's own evaluation of every criterion, which explains each status (``reasons``) or
checks it (``verify``)."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial
from typing import Any, cast

import attrs

from aidrules import model
from aidrules.engine.compiler import MONEY_UNITS, Compiled, RuleInputs, compile_book
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
from aidrules.language.evaluator import (
    UNKNOWN,
    Closure,
    Env,
    as_fraction,
    closure,
    compare,
    evaluate,
    kleene,
)
from aidrules.policy import PolicySnapshot
from aidrules.render.words import amount_pending as _amount_pending
from aidrules.render.words import summary as _summary
from aidrules.rulebook.analysis import evaluation_order, excluded_by, names_read, node_of
from aidrules.rulebook.book import Rule, RuleBook
from aidrules.rulebook.facts import Facts, base_facts, missing_among, missing_paths

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
        self._deciding: dict[str, frozenset[str]] = {}
        self._amount_names: dict[tuple, frozenset[str]] = {}
        self._order = evaluation_order(book.rules, book.exclusive)
        self.rules_by_node = {node: [r for r in book.rules if node_of(r) == node]
                              for node in self._order}
        self.explaining = _explaining(book)
        # each derived fact's formula as a closure, in the book's dependency order
        self.formulas = [((f.scope, f.id), f.scope, f.id, closure(f.formula))
                         for f in book.facts]
        self._formulas_among: dict[frozenset[str] | None, list] = {None: self.formulas}
        self._lifted: dict[str, dict[str, list[tuple[str, Closure]]]] = {}

    def snapshot(self, jurisdiction: str, on: date) -> PolicySnapshot:
        key = (jurisdiction, on)
        found = self._snapshots.get(key)
        if found is None:
            if len(self._snapshots) >= _SNAPSHOTS_KEPT:
                self._snapshots.clear()
            policies: Any = self.book.policies
            found = self._snapshots[key] = policies.at(jurisdiction, on)
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
               jurisdiction: str | None = None, reasons: bool = True,
               verify: bool = False) -> Assessment:
        """Assess ``application``: durable_rules decides every status; with ``reasons`` the
        library's own evaluator explains each rule (from the same facts); with ``verify``
        the evaluator also decides every rule and must agree (EngineError otherwise)."""
        on = on or application.applied_on
        jurisdiction = jurisdiction or application.jurisdiction
        snapshot = self.snapshot(jurisdiction, on)
        compiled = self.compiled(snapshot)
        parameters = self.parameters(snapshot)
        facts = base_facts(application)
        run = _Run(self, compiled, parameters, facts, reasons, verify)
        # the derived facts the engine reads; the others when an amount or reasons need them
        run.derive(None if reasons or verify else self.deciding_names(compiled))
        with self.engine.session(compiled) as session:
            run.start(session)
            for node in self._order:
                run.settle(node, session)
            run.fired = session.fired
        return run.assessment(application, jurisdiction, on)

    def lifted(self, compiled: Compiled) -> dict[str, list[tuple[str, Closure]]]:
        """The values the compiler lifted out of the rules, per entity, as closures."""
        found = self._lifted.get(compiled.name)
        if found is None:
            found = self._lifted[compiled.name] = {
                entity: [(item.name, closure(item.expr)) for item in compiled.lifted
                         if item.entity == entity] for entity in ("household", "member")}
        return found

    def formulas_among(self, names: frozenset[str] | None) -> list:
        """The formulas of the derived facts among ``names`` (None: all), in order."""
        found = self._formulas_among.get(names)
        if found is None:
            if len(self._formulas_among) >= _SNAPSHOTS_KEPT:
                self._formulas_among = {None: self.formulas}
            found = self._formulas_among[names] = [
                f for f in self.formulas if names is None or f[2] in names]
        return found

    def deciding_names(self, compiled: Compiled) -> frozenset[str]:
        """The names the engine's facts are made from: the fields sent, the names the
        lifted values read, and every derived fact these read in turn."""
        found = self._deciding.get(compiled.name)
        if found is None:
            names = {n for fields in compiled.fields.values() for n in fields}
            names |= {n for item in compiled.lifted for n in names_read(item.expr)}
            found = self._deciding[compiled.name] = frozenset(self.book.depends_on(names))
        return found

    def amount_names(self, rules: tuple[str, ...], field: str) -> frozenset[str]:
        """What the ``field`` amounts of ``rules`` read, through the derived facts."""
        key = (rules, field)
        found = self._amount_names.get(key)
        if found is None:
            exprs = [getattr(self.book.rule(r), field) for r in rules]
            found = frozenset(self.book.depends_on(
                n for expr in exprs if expr is not None for n in names_read(expr)))
            if len(self._amount_names) >= _SNAPSHOTS_KEPT:
                self._amount_names.clear()
            self._amount_names[key] = found
        return found

    def explain(self, assessment: Assessment, aid: str) -> str:
        from aidrules.render.text import explain
        return explain(assessment, aid)


_HOUSEHOLD = (None,)  # the one subject of a household rule
_SNAPSHOTS_KEPT = 4096  # (jurisdiction, date) pairs; a county assesses over a few dates


class _Parameters:
    """The parameter values of one snapshot, converted once, and how each was used."""

    def __init__(self, snapshot: PolicySnapshot) -> None:
        self.snapshot = snapshot
        self._values = _Values(snapshot)
        self._values.update((name, as_fraction(used.value)) for name, used in snapshot.items())
        # what the evaluator's closures call: a dict lookup in C, no Python frame per name
        self.lookup = self._values.__getitem__
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


class _Values(dict):
    """Parameter values by name; a name not in force asks the snapshot, which says why."""

    def __init__(self, snapshot: PolicySnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def __missing__(self, name: str) -> Any:
        return self.snapshot[name].value


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
    depends: tuple[str, ...]  # every name it depends on, sorted (for missing_among)
    test: Closure  # the criterion, or (a comparison) its two sides
    left: Closure | None
    right: Closure | None
    compare: Any  # the comparison's operator, (left, right) → bool


def _explaining(book: RuleBook) -> dict[int, _Explaining]:
    found = {}
    for rule in book.rules:
        for c in rule.criteria:
            test = c.test
            comparison = test if isinstance(test, ast.Compare) and \
                test.op in ast.COMPARISONS else None
            # by identity: criteria are values, and two rules may share an equal one
            depends = tuple(sorted(book.depends_on(c.reads)))
            found[id(c)] = _Explaining(
                tuple(sorted(n for n in c.reads if "." not in n)),
                tuple(n for n in depends if "." in n), comparison, depends, closure(test),
                None if comparison is None else closure(comparison.left),
                None if comparison is None else closure(comparison.right),
                None if comparison is None else partial(compare, comparison.op))
    return found


class _Run:
    """The state of one assessment while its conclusions are settled in order."""

    def __init__(self, assessor: Assessor, compiled: Compiled, parameters: _Parameters,
                 facts: Facts, reasons: bool, verify: bool = False) -> None:
        self.assessor = assessor
        self.book, self.compiled, self.snapshot = assessor.book, compiled, parameters.snapshot
        self.explaining = assessor.explaining
        self.rules_by_node = assessor.rules_by_node
        self.facts, self.reasons, self.parameters = facts, reasons, parameters
        self.lookup = parameters.lookup
        self.node_status: dict[tuple, Any] = {}  # (kind, value, scope) → True/False/UNKNOWN
        self.aid_nodes: dict[str, list[tuple]] = {}  # aid id → its settled nodes
        self.winners: dict[tuple, list[tuple[Rule, int | None]]] = {}
        self.missing: dict[tuple, set[str]] = {}
        self.undecided: dict[tuple, list[str]] = {}  # rule ids left open, per node
        self.encoded: dict[int | None, dict[str, Any]] = {}  # None: the household
        self.unknown_fields: dict[int | None, frozenset[str]] = {}
        self.fired: list[tuple[str, int | None]] = []
        self.checking = verify
        self.statuses: dict[tuple[str, str | None], Any] = {}  # (aid, scope) → status, cached
        self.asserted: set[tuple[tuple, bool]] = set()  # (node, status) told to the engine
        self.derived: set[tuple[str, str]] = set()  # (scope, id) of the facts computed
        self.explained: dict[tuple[str, int | None, bool], tuple] = {}  # explain_rule, once

    def derive(self, names: frozenset[str] | None) -> None:
        """Compute the derived facts among ``names`` (None: all) not computed yet, in the
        book's dependency order (aidrules.rulebook.facts.derive, on demand)."""
        parameters, derived = self.lookup, self.derived
        for key, scope, name, formula in self.assessor.formulas_among(names):
            if key in derived:
                continue
            derived.add(key)
            envs = self.facts.members if scope == "member" else (self.facts.household,)
            for env in envs:
                cast(dict, env.fields)[name] = formula(env, parameters, None)

    # -- the engine ---------------------------------------------------------------
    def start(self, session: Session) -> None:
        lifted = self.assessor.lifted(self.compiled)
        for entity, envs in (("household", [self.facts.household]),
                             ("member", self.facts.members)):
            for env in envs:
                for name, value in lifted[entity]:
                    _set(env, name, value(env, self.lookup, None))
        self.encoded[None] = household = self.encode("household", self.facts.household)
        self.unknown_fields[None] = _unknown_fields(household, self.compiled.fields["household"])
        session.assert_fact(household)
        if self.compiled.fields["member"]:
            for index, member in enumerate(self.facts.members):
                self.encoded[index] = fact = dict(self.encode("member", member), index=index)
                self.unknown_fields[index] = _unknown_fields(fact, self.compiled.fields["member"])
                session.assert_fact(fact)

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

    # -- settling each conclusion: from what fired ---------------------------------
    def settle(self, node: tuple, session: Session) -> None:
        """The status of ``node`` from the engine: a rule (for a member) holds when it fired;
        one that did not fire is false where every input it reads is known, and otherwise
        is settled by its probes (compiler.RuleInputs): false when the engine shows one
        criterion not to hold, undecided when none is shown not to hold. The node is
        eligible when one of its rules holds, ineligible when all are false."""
        kind, value, scope = node
        fired = session.fired_set
        results: list[Any] = []
        rules = [(rule, self.subjects(rule)) for rule in self.rules_by_node[node]]
        winners = [(rule, member) for rule, subjects in rules
                   for member in subjects if (rule.id, member) in fired]
        missing: set[str] = set()
        undecided: list[str] = []
        for rule, subjects in rules if not winners or self.checking else ():
            # one rule that fired decides the node: the others matter only to verify
            inputs = self.compiled.inputs[rule.id]
            for member in subjects:
                held: Any
                if (rule.id, member) in fired:
                    held = True
                elif not self.is_open(inputs, member):
                    held = False
                else:
                    held, unknown = self.probe(rule, inputs, member, session)
                    if held is UNKNOWN and self.reasons:  # the explanation tells which
                        unknown = self.undecided_criteria(rule, member, unknown)
                    if held is UNKNOWN:  # what would decide it
                        undecided.append(rule.id)
                        missing.update(p for c in unknown for p in missing_among(
                            self.explaining[id(c)].depends, self.facts))
                        missing.update(self.inherited_missing(rule, unknown))
                results.append(held)
                if self.checking:
                    self.check(rule, member, held, (rule.id, member) in fired)
        status = True if winners else kleene("or", results) if results else False
        self.node_status[node] = status
        if kind == "aid":
            self.aid_nodes.setdefault(value, []).append(node)
            self.statuses.pop((value, None), None)
            self.statuses.pop((value, scope), None)
        self.missing[node] = missing
        self.winners[node] = [(r, m) for r, m in winners
                              if not any(r.id in w.overrides for w, _ in winners)]
        self.undecided[node] = list(dict.fromkeys(undecided))
        if kind == "aid" and status is False and (value, scope) in self.compiled.negative_nodes:
            self.assert_status(session, node, status)

    def assert_status(self, session: Session, node: tuple, status: bool) -> None:
        """Tell the engine a settled status, once: ineligibility, which rules reading
        ``not eligible(...)`` match, and for probes also eligibility an action did not
        assert (an aid type that no deciding rule reads)."""
        if (node, status) not in self.asserted:
            self.asserted.add((node, status))
            session.assert_fact({"kind": "status", "aid": node[1], "scope": node[2],
                                 "status": "eligible" if status else "ineligible"})

    def is_open(self, inputs: RuleInputs, member: int | None) -> bool:
        """Whether the rule reads an unknown input (for ``member``): a field not reported,
        or the status of an aid type that is undetermined."""
        if not self.unknown_fields[None].isdisjoint(inputs.household):
            return True
        if member is not None and not self.unknown_fields[member].isdisjoint(inputs.member):
            return True
        if not inputs.statuses:
            return False
        return any(self.status_of(aid, scope) is UNKNOWN for aid, scope in inputs.statuses)

    def probe(self, rule: Rule, inputs: RuleInputs, member: int | None, session: Session):
        """Ask the rule's probes whether a criterion fails, then, if none does, which hold.
        Returns False (one fails) or UNKNOWN, and the criteria left undecided."""
        values = dict(inputs.constants)
        if False in values.values():
            return False, []  # a criterion false under the policy values in force
        for aid, scope in inputs.statuses:
            for node in self.aid_nodes.get(aid, ()):
                status = self.node_status[node]
                if (scope is None or node[2] == scope) and status is not UNKNOWN and not (
                        status and aid in self.compiled.positive_aids):
                    self.assert_status(session, node, status)
        fact: dict[str, Any] = {"kind": "open", "rule": rule.id, "ask": "fails", "zero": 0}
        if member is not None:
            fact["member"] = member
        for entity, name, _ in inputs.fields:
            source = self.encoded[None if entity == "household" else member]
            prefix = "h_" if entity == "household" else "m_"
            for key in (name, f"{name}__known"):
                if key in source:
                    fact[prefix + key] = source[key]
        session.assert_fact(fact)
        if (rule.id, member) in session.probed:
            return False, []
        if self.reasons and not self.checking:  # which hold: the explanation says
            return UNKNOWN, []
        session.assert_fact(dict(fact, ask="holds"))
        values.update(session.probed.get((rule.id, member), {}))
        return UNKNOWN, [c for i, c in enumerate(rule.criteria) if i not in values]

    def undecided_criteria(self, rule: Rule, member: int | None, probed) -> list:
        """With reasons, the criteria the explanation leaves unknown (the engine was asked
        only whether one fails); with ``verify`` too, they must be the ones the probes
        left undecided."""
        unknown = self.explain_rule(rule, member, False)[2]
        if self.checking and [id(c) for c in unknown] != [id(c) for c in probed]:
            raise EngineError(f"the engine and the evaluator disagree on which criteria of "
                              f"rule '{rule.id}' (member {member}) are undecided: engine "
                              f"{[c.text for c in probed]}, evaluator "
                              f"{[c.text for c in unknown]}")
        return unknown

    def check(self, rule: Rule, member: int | None, held: Any, fired: bool) -> None:
        """``verify=True``: the library's own evaluator must find the same value."""
        trace, evaluated, _ = self.explain_rule(rule, member, fired)
        if evaluated is not held and not (evaluated is UNKNOWN and held is UNKNOWN):
            raise EngineError(f"the engine and the evaluator disagree on rule '{rule.id}' "
                              f"(member {member}): engine {_three(held)}, evaluator "
                              f"{_three(evaluated)}")

    def inherited_missing(self, rule: Rule, unknown) -> set[str]:
        """What is missing for the undecided aid types ``rule`` waits on, through
        ``eligible(...)`` and exclusive-group precedence; those were settled first, with
        what they wait on in turn, so this is transitive."""
        waits: list[tuple[str, str | None]] = [(aid, None) for c in unknown for aid in c.aids]
        waits += [(higher, "household") for higher in excluded_by(rule, self.book.exclusive)]
        found: set[str] = set()
        for aid, scope in waits:
            if self.status_of(aid, scope) is UNKNOWN:
                found.update(p for n in self.aid_nodes.get(aid, ())
                             if scope is None or n[2] == scope for p in self.missing[n])
        return found

    def subjects(self, rule: Rule) -> Any:
        return _HOUSEHOLD if rule.scope == "household" else range(len(self.facts.members))

    def status_of(self, aid: str, scope: str | None = None) -> Any:
        found = self.statuses.get((aid, scope), _ABSENT)
        if found is _ABSENT:
            nodes = [n for n in self.aid_nodes.get(aid, ()) if scope is None or n[2] == scope]
            found = kleene("or", [self.node_status[n] for n in nodes]) if nodes else False
            self.statuses[aid, scope] = found
        return found

    # -- explaining: the library's own evaluator, only when asked ---------------------
    def explain_rule(self, rule: Rule, member: int | None, fired: bool):
        """The rule's trace: every criterion evaluated by the library's own exact evaluator,
        with the statuses the engine settled. Run for reasons and for ``verify``, never to
        decide: tests/engine/test_decider.py disables it and every case still passes.
        Worked out once per rule, member and firing (statuses read are settled before)."""
        key = (rule.id, member, fired)
        found = self.explained.get(key)
        if found is None:
            found = self.explained[key] = self._explain_rule(rule, member, fired)
        return found

    def _explain_rule(self, rule: Rule, member: int | None, fired: bool):
        env = self.facts.household if member is None else self.facts.members[member]
        criteria, values, unknown = [], [], []
        for criterion in rule.criteria:
            explained = self.explain_criterion(criterion, env, member)
            criteria.append(explained)
            value = _VALUES[explained.result]
            values.append(value)
            if value is UNKNOWN:
                unknown.append(criterion)
        for higher in excluded_by(rule, self.book.exclusive):
            status = self.status_of(higher, "household")
            value = UNKNOWN if status is UNKNOWN else not status
            values.append(value)
            criteria.append(self.precedence(rule, higher, _three(value), member))
        held = kleene("and", values)
        trace = RuleTrace(rule.id, rule.title, rule.title_en, str(rule.basis), _three(held),
                          fired, tuple(criteria), member, rule.overrides, rule.special)
        return trace, held, unknown

    def precedence(self, rule: Rule, higher: str, value: str, member) -> CriterionResult:
        """The criterion an exclusive group adds: the household does not hold ``higher``."""
        aid = self.book.aids[higher]
        group = next(g for g in self.book.exclusive if higher in g.higher_than(rule.aid or ""))
        reason, reason_en = ((text or "").replace("{aid}", name) or None for text, name in
                             ((group.reason, aid.name), (group.reason_en, aid.name_en)))
        return CriterionResult(f"not eligible({higher})", f"未被认定为{aid.name}",
                               f"not found eligible for {aid.name_en}", value, member=member,
                               reason=reason, reason_en=reason_en)

    def explain_criterion(self, criterion, env: Env, member) -> CriterionResult:
        """The criterion's value with what it compared, read and depended on."""
        how = self.explaining[id(criterion)]
        left = right = margin = None
        if how.left is None or how.right is None:
            value = how.test(env, self.lookup, self.status_of)
        else:  # each side once: the same value as evaluating the comparison
            left = how.left(env, self.lookup, self.status_of)
            right = how.right(env, self.lookup, self.status_of)
            if left is UNKNOWN or right is UNKNOWN:
                value = UNKNOWN
                left, right = _shown(left), _shown(right)
            else:
                value = how.compare(left, right)
                if type(left) is Fraction and type(right) is Fraction:
                    margin = left - right
        facts = {}
        for name in how.facts:
            scope: Env | None = env
            while scope is not None:  # Env.find, without a call per name
                if name in scope.fields:
                    fact = scope.fields[name]
                    if not isinstance(fact, (list, tuple)):
                        facts[name] = None if fact is UNKNOWN else fact
                    break
                scope = scope.parent
        if value is UNKNOWN:
            result, gaps = "unknown", tuple(missing_among(how.depends, self.facts))
        else:
            result, gaps = ("true" if value else "false"), ()
        return CriterionResult(criterion.text, criterion.title, criterion.title_en, result,
                               left, right, margin, facts,
                               self.parameters.uses(how.parameters), gaps, member,
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
        traces = self.traces(nodes) if self.reasons else ()
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
                         summary_en, missing, members, traces, info.period,
                         self.deciding(nodes, label, winners))

    def deciding(self, nodes, label: str, winners) -> tuple[str, ...]:
        """The rules that settled the status: those that fired and won (eligible), every
        rule of the aid type (ineligible: each was found false), or those left undecided."""
        if label == "eligible":
            ids = [rule.id for rule, _ in winners]
        elif label == "undetermined":
            ids = [rule_id for n in nodes for rule_id in self.undecided[n]]
        else:
            ids = [rule.id for n in nodes for rule in self.rules_by_node[n]]
        return tuple(dict.fromkeys(ids))

    def traces(self, nodes) -> tuple[RuleTrace, ...]:
        fired = set(self.fired)
        return tuple(self.explain_rule(rule, member, (rule.id, member) in fired)[0]
                     for n in nodes for rule in self.rules_by_node[n]
                     for member in self.subjects(rule))

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
        self.derive(self.assessor.amount_names(tuple(r.id for r, _ in winners), field))
        total = Fraction(0)
        for expr, member in exprs:
            env = self.facts.household if member is None else self.facts.members[member]
            value = evaluate(expr, env, self.lookup, self.status_of)
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


def _set(env: Env, name: str, value: Any) -> None:
    """A computed fact into the entity's own fields (a dict, typed as a Mapping)."""
    cast(dict, env.fields)[name] = value


def _unknown_fields(fact: dict[str, Any], fields: dict[str, str]) -> frozenset[str]:
    """The fields of an encoded fact that carry no value: a bool or text left out, a
    number sent with ``__known: false``."""
    return frozenset(name for name, kind in fields.items()
                     if (name not in fact if kind in ("bool", "text")
                         else not fact[f"{name}__known"]))


def _engine_integer(name: str, scale: int, value: Fraction) -> int:
    """``value`` × ``scale``: whole by construction (the compiler bounds every lifted
    value's denominator by ``scale``); an error here is a bug in the compiler."""
    whole, rest = divmod(value.numerator * scale, value.denominator)
    if rest:
        raise EngineError(f"the value of '{name}' ({value}) is not a whole number of "
                          f"1/{scale}")
    return whole


def _to_fen(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_VALUES = {"true": True, "false": False, "unknown": UNKNOWN}


def _three(value: Any) -> str:
    return "unknown" if value is UNKNOWN else ("true" if value else "false")


def _shown(value: Any) -> Any:
    return None if value is UNKNOWN else value
