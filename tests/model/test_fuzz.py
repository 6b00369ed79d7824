"""Hostile applications never crash reading or assessing: values replaced by hostile ones
(huge and negative numbers, NaN, NUL and right-to-left marks, dates in year 9999, lists
repeated past any household), fields removed or invented. Each is refused with every bad
field by its $.path, or read and assessed with no error but the library's own; none hangs."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aidrules.fuzzing import hostile_application, try_application
from aidrules.model import read_application
from aidrules.model.reading import application_to_dict

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples/applications").glob("*.yaml"))
VALID = [application_to_dict(read_application(p)) for p in EXAMPLES]
FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(rng=st.randoms(use_true_random=False), pick=st.integers(0, len(VALID) - 1))
def test_a_hostile_application_is_refused_by_path_or_assessed(assessor, rng, pick):
    data = hostile_application(VALID[pick], rng)
    started = time.process_time()
    outcome = try_application(data, assessor.assess)
    assert outcome in ("ok", "refused")
    assert time.process_time() - started < 10, "an application took over 10 s"
