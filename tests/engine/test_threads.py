"""docs/engine.md promises that an Assessor (and the engine under it) may be shared
between threads: concurrent assessments give exactly what the same assessments give
one after another, and no fact of one application reaches another."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aidrules.engine import Assessor
from aidrules.model import read_application

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples/applications").glob("*.yaml"))


def test_threads_sharing_one_assessor_get_the_sequential_results(book):
    applications = [read_application(p) for p in EXAMPLES] * 6
    random.Random(3).shuffle(applications)
    expected = [Assessor(book).assess(a).to_json(detail="full") for a in applications]
    shared = Assessor(book)  # fresh: its caches fill while the threads race
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda a: shared.assess(a).to_json(detail="full"), applications))
    assert got == expected


def test_threads_with_their_own_assessors_share_the_engine_safely(book):
    applications = [read_application(p) for p in EXAMPLES]
    expected = {a.application_id: Assessor(book).assess(a).to_json(detail="full")
                for a in applications}

    def assess_all(seed: int) -> list[bool]:
        assessor, order = Assessor(book), applications[:]
        random.Random(seed).shuffle(order)
        return [assessor.assess(a).to_json(detail="full") == expected[a.application_id]
                for a in order]

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(all(agreed) for agreed in pool.map(assess_all, range(8)))
