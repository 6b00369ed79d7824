"""The synthetic county: seeded, valid, and its feeds import to the counts it wrote."""

import csv
from datetime import date

from aidrules.model.identity import validate_id_number
from aidrules.monitoring import Event, FeedImport, load_mapping, read_register
from aidrules.monitoring.synthetic import generate


def test_the_same_seed_writes_the_same_csv_files(tmp_path):
    a = generate(tmp_path / "a", 150, 9, date(2025, 3, 1))
    b = generate(tmp_path / "b", 150, 9, date(2025, 3, 1))
    assert a == b
    for path in sorted((tmp_path / "a").rglob("*.csv")):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")
                                     ).read_bytes()


def test_every_person_has_a_valid_unique_tieli_identity_number(tmp_path):
    manifest = generate(tmp_path, 300, 3, date(2025, 3, 1))
    with (tmp_path / "register/people.csv").open(encoding="utf-8") as f:
        ids = [row["id_number"] for row in csv.DictReader(f)]
    assert len(ids) == len(set(ids)) == manifest["people"]
    assert all(validate_id_number(i) == i and i.startswith("230781") for i in ids)
    register = read_register(tmp_path / "register")
    assert len(register.households) == 300


def test_every_generated_row_is_imported_or_rejected_as_the_generator_intended(tmp_path):
    manifest = generate(tmp_path, 2000, 5, date(2025, 3, 1), broken_rate=0.1)
    for name, feed in manifest["feeds"].items():
        reading = FeedImport(load_mapping(f"feeds/{name}.yaml"),
                             tmp_path / "feeds/2025-03" / feed["file"])
        items = list(reading)
        assert sum(isinstance(i, Event) for i in items) == feed["good"], name
        assert reading.report.rejected == feed["broken"], name
