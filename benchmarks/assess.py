"""Assessments per second on one core, with and without reasons, and on bare durable_rules.

    python benchmarks/assess.py                      # throughput over 3,000 applications
    python benchmarks/assess.py --memory 1000000     # RSS every 10 % of a million assessments

The applications are the shipped examples with every income and financial asset
redrawn from a seeded generator (to the fen), so every aid type and status is reached.
"Bare" replays, for each application, the exact facts the library asserted into a fresh
session of the same compiled ruleset, with nothing else around it: the cost of
durable_rules alone. The ratio to it is the cost of the library's own layer (facts,
exact evaluation, reasons, amounts)."""

from __future__ import annotations

import argparse
import random
import resource
import time
from decimal import Decimal
from pathlib import Path

import attrs

from aidrules.engine import Assessor
from aidrules.engine import durable as durable_module
from aidrules.model import read_application
from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent


def generated_applications(count: int, seed: int = 20261129) -> list:
    rng = random.Random(seed)
    files = sorted((ROOT / "examples/applications").glob("*.yaml"))
    examples = [read_application(p) for p in files]
    return [_redrawn(rng.choice(examples), rng, n) for n in range(count)]


def _redrawn(app, rng: random.Random, n: int):
    def money(high: int) -> Decimal:
        return Decimal(rng.randrange(0, high * 100)) / 100

    members = tuple(
        attrs.evolve(m, incomes=None if m.incomes is None else tuple(
            attrs.evolve(i, amount=money(3000)) for i in m.incomes))
        for m in app.household.members)
    assets = app.household.assets
    if assets is not None:
        assets = attrs.evolve(assets, financial_assets=money(60000))
    household = attrs.evolve(app.household, members=members, assets=assets)
    return attrs.evolve(app, application_id=f"BENCH-{n:07d}", household=household)


def rate(label: str, count: int, run) -> float:
    """Per second of this process's CPU time: the rate on one core, whatever else runs."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    per_second = count / cpu
    print(f"{label:<34} {count:>7} in {cpu:6.2f} s CPU ({wall:6.2f} s wall) = "
          f"{per_second:6.0f} /s per core")
    return per_second


def recorded_facts(assessor: Assessor, applications: list) -> list[list[dict]]:
    """The facts each assessment asserted into its engine session, in order."""
    recorded: list[list[dict]] = []
    original = durable_module.Session.assert_fact

    def recording(session, fact):
        recorded[-1].append(dict(fact))
        original(session, fact)

    durable_module.Session.assert_fact = recording
    try:
        for app in applications:
            recorded.append([])
            assessor.assess(app, reasons=False)
    finally:
        durable_module.Session.assert_fact = original
    return recorded


def bare(assessor: Assessor, applications: list, facts: list[list[dict]]) -> None:
    compiled = assessor.compiled(assessor.book.policies.at(applications[0].jurisdiction,
                                                           applications[0].applied_on))
    engine = assessor.engine
    for app, asserted in zip(applications, facts, strict=True):
        assert app.jurisdiction == applications[0].jurisdiction
        with engine.session(compiled) as session:
            for fact in asserted:
                session.assert_fact(fact)


def throughput(count: int) -> None:
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    assessor = Assessor(book)
    applications = generated_applications(count)
    for app in applications[:50]:  # warm: compile every policy version used
        assessor.assess(app)
    # Bare replay needs one compiled ruleset: keep the applications of the first's version.
    first = book.policies.at(applications[0].jurisdiction, applications[0].applied_on).version
    same = [a for a in applications
            if book.policies.at(a.jurisdiction, a.applied_on).version == first]
    with_reasons = rate("library, with reasons", count,
                        lambda: [assessor.assess(a) for a in applications])
    rate("library, without reasons", count,
         lambda: [assessor.assess(a, reasons=False) for a in applications])
    facts = recorded_facts(assessor, same)
    library_same = rate("library, reasons, same version", len(same),
                        lambda: [assessor.assess(a) for a in same])
    bare_rate = rate("bare durable_rules, same facts", len(same),
                     lambda: bare(assessor, same, facts))
    print(f"library with reasons / bare durable_rules: {library_same / bare_rate:.2f} "
          f"(bare is {bare_rate / library_same:.1f}x faster); all versions: {with_reasons:.0f}/s")


def memory(count: int) -> None:
    assessor = Assessor(load_rulebook(ROOT / "rules", ROOT / "policies"))
    applications = generated_applications(1000)
    step = max(count // 10, 1)
    start = time.perf_counter()
    for n in range(count):
        assessor.assess(applications[n % len(applications)])
        if (n + 1) % step == 0 or n == 0:
            print(f"{n + 1:>9} assessments  {time.perf_counter() - start:8.1f} s  "
                  f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.1f} MiB",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--memory", type=int, metavar="N",
                        help="run N sequential assessments and print the peak RSS as it goes")
    args = parser.parse_args()
    if args.memory:
        memory(args.memory)
    else:
        throughput(args.count)


if __name__ == "__main__":
    main()
