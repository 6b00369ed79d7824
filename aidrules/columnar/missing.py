"""Which unreported facts would decide each aid type, as the per-case path lists them
(``AidResult.missing``, aidrules/engine/assess.py).

Per case, a rule left undecided for a subject adds, for each of its criteria left
unknown, every unreported path of every base fact the criterion depends on (through the
derived facts; for the whole household, not only that subject), and what is missing for
the undetermined aid types it waits on through ``eligible(...)`` or an exclusive group.
An eligible aid type whose amount waits on unreported facts lists what the winning rules'
amounts depend on. Here each of these is a boolean column per base fact; the paths of a
base fact are a list column of the household, and the result is their sorted union."""

from __future__ import annotations

from collections.abc import Iterable

from aidrules.columnar.expressions import Value, text
from aidrules.columnar.plan import Plan
from aidrules.rulebook.analysis import excluded_by, names_read
from aidrules.rulebook.book import Rule, RuleBook

# base fact → (table, SQL true where it was not reported, the JSON path below the item):
# the unreported parts aidrules.rulebook.facts.base_facts records, as the tables hold them
UNREPORTED: dict[str, tuple[str, str, str]] = {
    "financial_assets": ("household", "h.financial_assets IS NULL", "assets"),
    "housing_units": ("household", "h.housing_units IS NULL", "assets"),
    "business_registrations": ("household", "h.business_registrations IS NULL", "assets"),
    "vehicles": ("household", "NOT h.vehicles__known", "assets"),
    "dibao_paid_amount": ("household", "h.dibao_paid_amount IS NULL", "dibao_monthly_amount"),
    "dibao_tier": ("household", "h.dibao_tier IS NULL", "dibao_tier"),
    "expenditures": ("household", "NOT h.expenditures__known", "expenditures"),
    "work_ability": ("member", "m.work_ability IS NULL", "work_ability"),
    "employment": ("member", "m.employment IS NULL", "employment"),
    "adl_failed": ("member", "m.adl_failed IS NULL", "self_care"),
    "incomes": ("member", "NOT m.incomes__known", "incomes"),
    "obligor_age": ("supporter", "s.obligor_age IS NULL", "id_number"),
    "obligor_yearly_income": ("supporter", "s.obligor_yearly_income IS NULL", "yearly_income"),
    "obligor_assets_within_rules": ("supporter", "s.obligor_assets_within_rules IS NULL",
                                    "assets_within_low_income_rules"),
}
_LISTS = {"member": ("m", "members", "member_key"),
          "supporter": ("s", "supporters", "supporter_key")}
NO_PATHS = "CAST([] AS VARCHAR[])"


def unreported(book: RuleBook, names: Iterable[str]) -> frozenset[str]:
    """The base facts among what ``names`` depend on that can go unreported."""
    return frozenset(n for n in book.depends_on(names) if n in UNREPORTED)


def criterion_columns(plan: Plan, book: RuleBook, rule: Rule, values: list[Value]) -> None:
    """In the rule's own step: whether each criterion that could leave something missing
    is unknown, for each subject."""
    for index, (criterion, value) in enumerate(zip(rule.criteria, values, strict=False)):
        if criterion.aids or unreported(book, criterion.reads):
            plan.add_sql(f"unknown:{rule.id}:{index}", f"(({text(value)}) IS NULL)")


class Missing:
    """The missing paths of each aid type, built after every conclusion is settled."""

    def __init__(self, plan: Plan, book: RuleBook, rules: dict[tuple, list[Rule]]) -> None:
        self.plan, self.book = plan, book
        self.aid_nodes: dict[str, list[tuple]] = {}
        for node in rules:
            if node[0] == "aid":
                self.aid_nodes.setdefault(node[1], []).append(node)
        self.rules = rules
        self.names: dict[tuple, frozenset[str]] = {}  # node → base facts it may miss

    def build(self) -> None:
        self.paths()
        self.gaps()
        for level in self.levels():
            self.plan.begin("household")
            for node in level:
                self.need(node)
            self.plan.end()

    # -- the paths of each base fact, per household --------------------------------------
    def paths(self) -> None:
        plan = self.plan
        for table, (alias, _, key) in _LISTS.items():  # each item's place in its list
            plan.begin(table)
            plan.add_sql("list-index", f"(row_number() OVER (PARTITION BY {alias}.household_key "
                                  f"ORDER BY {alias}.{key}) - 1)")
            plan.end()
        plan.begin("household")
        for name, (table, unknown, field) in UNREPORTED.items():
            if table == "household":
                plan.add_sql(f"paths:{name}", f"(CASE WHEN {unknown} THEN "
                                              f"['$.household.{field}'] ELSE {NO_PATHS} END)")
                continue
            alias, collection, _ = _LISTS[table]
            path = (f"'$.household.{collection}[' || CAST({alias}.\"list-index\" AS VARCHAR) || "
                    f"'].{field}'")
            parts = plan.group(table, "household",
                               {"p": f"list({path}) FILTER (WHERE {unknown})"}, {alias})
            plan.add_sql(f"paths:{name}", f"coalesce({parts['p']}, {NO_PATHS})")
        plan.end()

    # -- per rule: for which base facts and aid types it is undecided ---------------------
    def gaps(self) -> None:
        """``gap:rule:name``: the rule is undecided for a subject for which a criterion
        depending on ``name`` is unknown; ``waits:rule:index``: the same for a criterion
        reading ``eligible(...)``."""
        self.plan.begin("household")
        for rule in self.aid_rules():
            for name in sorted(unreported(self.book, (n for c in rule.criteria
                                                      for n in c.reads))):
                which = [i for i, c in enumerate(rule.criteria)
                         if name in unreported(self.book, c.reads)]
                self.any_subject(f"gap:{rule.id}:{name}", rule, which)
            for index, criterion in enumerate(rule.criteria):
                if criterion.aids:
                    self.any_subject(f"waits:{rule.id}:{index}", rule, [index])
        self.plan.end()

    def any_subject(self, column: str, rule: Rule, which: list[int]) -> None:
        alias = "h" if rule.scope == "household" else "m"
        unknown = " OR ".join(f'{alias}."unknown:{rule.id}:{i}"' for i in which)
        condition = f'{alias}."rule:{rule.id}" IS NULL AND ({unknown})'
        if alias == "h":
            self.plan.add_sql(column, f"({condition})")
        else:
            parts = self.plan.group("member", "household", {"t": f"bool_or({condition})"},
                                    {"m"})
            self.plan.add_sql(column, f"coalesce({parts['t']}, FALSE)")

    def aid_rules(self) -> list[Rule]:
        return [r for nodes in self.aid_nodes.values() for n in nodes for r in self.rules[n]]

    # -- per conclusion: what it misses, its own and what it waits on ----------------------
    def waits(self, node: tuple) -> list[tuple[str, str, list[tuple]]]:
        """(condition, why, the nodes whose missing facts it inherits then)."""
        found = []
        scope = self.plan.scope("household", "missing facts")
        for rule in self.rules[node]:
            for index, criterion in enumerate(rule.criteria):
                for aid in sorted(criterion.aids):
                    status = self.plan.status(aid, scope)
                    found.append((f'h."waits:{rule.id}:{index}" AND ({status}) IS NULL',
                                  aid, self.aid_nodes.get(aid, [])))
            for higher in excluded_by(rule, self.book.exclusive):
                status = self.plan.status(higher, scope, "household")
                found.append((f'h."open-any:{rule.id}" AND ({status}) IS NULL', higher,
                              [n for n in self.aid_nodes.get(higher, []) if n[2] == "household"]))
        return found

    def levels(self) -> list[list[tuple]]:
        """The aid conclusions in steps, each after the conclusions it inherits from."""
        level: dict[tuple, int] = {}
        for node in (n for nodes in self.aid_nodes.values() for n in nodes):
            self.level(node, level)
        return [[n for n in level if level[n] == i]
                for i in range(max(level.values(), default=-1) + 1)]

    def level(self, node: tuple, level: dict[tuple, int]) -> int:
        if node not in level:
            level[node] = 1 + max((self.level(n, level) for _, _, nodes in self.waits(node)
                                   for n in nodes), default=-1)
            own = {n for r in self.rules[node] for c in r.criteria
                   for n in unreported(self.book, c.reads)}
            self.names[node] = frozenset(own).union(*(self.names[n] for _, _, nodes in
                                                      self.waits(node) for n in nodes))
        return level[node]

    def need(self, node: tuple) -> None:
        """``need:node:name``: the conclusion misses ``name``'s unreported paths."""
        waits = self.waits(node)
        for name in sorted(self.names[node]):
            parts = [f'h."gap:{r.id}:{name}"' for r in self.rules[node]
                     if f"gap:{r.id}:{name}" in self.plan.fields["household"]]
            parts += [f"({condition} AND ({self.needs(nodes, name)}))"
                      for condition, _, nodes in waits if self.needs(nodes, name) != "FALSE"]
            self.plan.add_sql(_need(node, name), "(" + (" OR ".join(parts) or "FALSE") + ")")

    def needs(self, nodes: list[tuple], name: str) -> str:
        columns = [f'h."{_need(n, name)}"' for n in nodes if name in self.names[n]]
        return " OR ".join(columns) or "FALSE"

    # -- the result column ------------------------------------------------------------
    def column(self, aid: str, status: str, pending: str, winning: list[tuple[str, Rule]]
               ) -> str:
        """The sorted paths: undetermined, what its conclusions miss; eligible with an
        amount pending, what the winning rules' amounts depend on; otherwise none."""
        nodes = self.aid_nodes.get(aid, [])
        open_ = {name: self.needs(nodes, name) for name in UNREPORTED}
        priced: dict[str, list[str]] = {}
        for condition, rule in winning:
            exprs = [e for e in (rule.amount, rule.amount_max) if e is not None]
            for name in unreported(self.book, (n for e in exprs for n in names_read(e))):
                priced.setdefault(name, []).append(condition)
        undetermined = _paths({n: c for n, c in open_.items() if c != "FALSE"})
        eligible = _paths({n: " OR ".join(c) for n, c in priced.items()})
        return (f"(CASE WHEN ({status}) IS NULL THEN {undetermined} WHEN ({status}) AND "
                f"({pending}) THEN {eligible} ELSE {NO_PATHS} END)")


def _need(node: tuple, name: str) -> str:
    return f"need:{':'.join(node)}:{name}"


def _paths(conditions: dict[str, str]) -> str:
    """The sorted union of the paths of the base facts whose condition holds."""
    if not conditions:
        return NO_PATHS
    lists = ", ".join(f'CASE WHEN {condition} THEN h."paths:{name}" ELSE {NO_PATHS} END'
                      for name, condition in sorted(conditions.items()))
    return f"list_sort(list_distinct(flatten([{lists}])))"


__all__ = ["Missing", "criterion_columns", "UNREPORTED"]
