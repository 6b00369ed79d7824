"""Assessments per second on one core, with and without reasons, and on bare durable_rules.

    python benchmarks/assess.py                      # throughput over 3,000 applications
    python benchmarks/assess.py --profile            # and what remains, profiled
    python benchmarks/assess.py --memory 1000000     # RSS every 10 % of a million assessments
    python benchmarks/assess.py --rounds 5           # the best of 5 rounds (a loaded machine)
    PYTHONPATH=../other python benchmarks/assess.py  # the same, on another checkout's library

The applications are the shipped examples with every income and financial asset
redrawn from a seeded generator (to the fen), so every aid type and status is reached.
"Decisions" are assessments without reasons: what durable_rules decides, with the facts
it needs and the amounts. "Bare" replays, for each application, the exact facts the
library asserted (household, members, statuses, open facts) into a fresh session of the
same compiled ruleset with the same recording actions, and nothing else: the cost of
durable_rules alone. The ratio of decisions to bare is the weight of the library's own
layer (facts, settling, amounts, results). Targets (issue 18) are printed met or not."""

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


ROUNDS = 1


def rate(label: str, count: int, run) -> float:
    """Per second of this process's CPU time: the rate on one core, whatever else runs;
    with ``--rounds``, of the round that took least (other jobs inflate CPU time too)."""
    best = None
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if best is None or cpu < best[1]:
            best = (wall, cpu)
    assert best is not None
    wall, cpu = best
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


TARGETS = {"decisions": 3000, "reasons": 2000, "ratio": 0.8}  # issue 18


def throughput(count: int, profile: bool = False) -> None:
    import aidrules
    print(f"library: {Path(aidrules.__file__).parent}, best of {ROUNDS} round(s)")
    book = load_rulebook(ROOT / "rules", ROOT / "policies")
    assessor = Assessor(book)
    applications = generated_applications(count)
    for app in applications[:50]:  # warm: compile every policy version used
        assessor.assess(app)
    # Bare replay needs one compiled ruleset: keep the applications of the first's version.
    first = book.policies.at(applications[0].jurisdiction, applications[0].applied_on).version
    same = [a for a in applications
            if book.policies.at(a.jurisdiction, a.applied_on).version == first]
    decisions = rate("decisions (reasons=False)", count,
                     lambda: [assessor.assess(a, reasons=False) for a in applications])
    reasons = rate("with full reasons", count,
                   lambda: [assessor.assess(a) for a in applications])
    facts = recorded_facts(assessor, same)
    library_same = rate("decisions, same version", len(same),
                        lambda: [assessor.assess(a, reasons=False) for a in same])
    bare_rate = rate("bare durable_rules, same facts", len(same),
                     lambda: bare(assessor, same, facts))
    ratio = library_same / bare_rate
    print(f"decisions / bare durable_rules on the same ruleset and facts: {ratio:.2f}")
    for label, found, target in (("decisions per second", decisions, TARGETS["decisions"]),
                                 ("with reasons per second", reasons, TARGETS["reasons"]),
                                 ("decisions / bare", ratio, TARGETS["ratio"])):
        verdict = "met" if found >= target else "NOT met"
        print(f"target {label} >= {target}: {found:.2f} ({verdict})")
    if profile:
        profiled(assessor, applications)


def profiled(assessor: Assessor, applications: list) -> None:
    """What remains: the top of a cProfile of decisions without reasons."""
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    profiler.enable()
    for app in applications:
        assessor.assess(app, reasons=False)
    profiler.disable()
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(20)


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
    parser.add_argument("--profile", action="store_true",
                        help="also print the top of a cProfile of decisions without reasons")
    parser.add_argument("--memory", type=int, metavar="N",
                        help="run N sequential assessments and print the peak RSS as it goes")
    parser.add_argument("--rounds", type=int, default=1,
                        help="time each rate N times and keep the fastest round")
    args = parser.parse_args()
    global ROUNDS
    ROUNDS = max(args.rounds, 1)
    if args.memory:
        memory(args.memory)
    else:
        throughput(args.count, args.profile)


if __name__ == "__main__":
    main()
