"""Every example application reads without a problem, so the examples cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidrules.model import Application, application_from_dict, application_to_dict, read_application

EXAMPLES = Path(__file__).parents[2] / "examples" / "applications"
FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_there_are_examples_for_every_scenario() -> None:
    assert len(FILES) >= 14


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_an_example_reads_and_round_trips(path: Path) -> None:
    application = read_application(path)
    assert isinstance(application, Application)
    assert application_from_dict(application_to_dict(application)) == application


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_an_example_opens_with_a_bilingual_comment(path: Path) -> None:
    """The first lines say, in Chinese and English, what the example shows."""
    comment = [line for line in path.read_text("utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(comment)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "intended outcome" in text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_an_example_is_a_tieli_application_of_2025(path: Path) -> None:
    application = read_application(path)
    assert application.jurisdiction == "heilongjiang/yichun/tieli"
    assert application.applied_on.year == 2025
    assert all(m.id_number.startswith("230781") for m in application.household.members)
