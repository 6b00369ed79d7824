"""The shipped sample county and its March 2025 feeds give the pinned counts."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

from aidrules.monitoring import (
    Event,
    FeedImport,
    Monitor,
    load_mapping,
    load_warning_rules,
    read_register,
)

SAMPLE = Path("examples/feeds")
MANIFEST = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
PINNED = {  # feed: (imported, rejected)
    "education": (8, 0), "human_resources": (13, 1), "health_serious_illness": (8, 0),
    "medical_insurance": (33, 2), "disability": (6, 0), "civil_registration": (3, 0),
    "registrations": (4, 0)}


def import_all():
    events, counts = [], {}
    for name, feed in MANIFEST["feeds"].items():
        reading = FeedImport(load_mapping(f"feeds/{name}.yaml"), SAMPLE / "feeds/2025-03" /
                             feed["file"])
        events += [item for item in reading if isinstance(item, Event)]
        counts[name] = (reading.report.imported, reading.report.rejected)
    return events, counts


def test_each_sample_feed_imports_its_good_rows_and_rejects_its_broken_ones():
    _, counts = import_all()
    assert counts == PINNED
    assert counts == {n: (f["good"], f["broken"]) for n, f in MANIFEST["feeds"].items()}


def test_screening_the_sample_month_gives_the_pinned_matches_discoveries_and_warnings():
    events, _ = import_all()
    monitor = Monitor(read_register(SAMPLE / "register"), load_warning_rules("warnings"))
    result = monitor.screen(events, date(2025, 3, 31))
    assert (result.matched, len(result.discovered), len(result.mismatches)) == (61, 14, 1)
    assert Counter(w.rule_id for w in result.warnings) == {
        "review_coming_due": 14, "serious_illness_unassisted": 8,
        "large_medical_bill_unassisted": 4, "severe_disability_unassisted": 2,
        "earner_died": 1, "student_in_no_category": 1}
    assert Counter(w.colour for w in result.warnings) == {"blue": 15, "yellow": 14, "red": 1}
    again = monitor.screen(events, date(2025, 3, 31))
    assert (again.matched, again.duplicates, again.warnings) == (0, len(events), [])
