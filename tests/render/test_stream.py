"""``aidrules assess`` over many applications streams JSON Lines: a bad record in the
middle gives an error line in its place, the good ones still come out, the exit code
says some failed; nothing is accumulated on the way."""

from __future__ import annotations

import io
import json
import sys
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidrules.cli import app
from aidrules.cli.batch import assess_files
from aidrules.model import application_to_dict, read_application

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "applications").glob("*.yaml"))
BAD = ROOT / "tests" / "model" / "bad" / "amount-below-fen.yaml"


def _line(path: Path, **changes) -> str:
    data = {**application_to_dict(read_application(path)), **changes}
    return json.dumps(data, ensure_ascii=False, default=str)


@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_a_bad_line_in_the_middle_gives_an_error_line_and_the_rest_come_out(run, tmp_path):
    bad = json.loads(_line(EXAMPLES[1]))
    bad["household"]["members"][0]["incomes"] = [
        {"kind": "wage", "amount": "12.345", "period": "monthly"}]
    county = tmp_path / "county.jsonl"
    county.write_text("\n".join([_line(EXAMPLES[0]), json.dumps(bad, ensure_ascii=False),
                                 "{not json", "", _line(EXAMPLES[2])]) + "\n",
                      encoding="utf-8")
    result = run("assess", county, "--json")
    assert result.exit_code == 1
    lines = _lines(result.stdout)
    assert [line.get("application_id") or line["error"]["record"] for line in lines] == [
        "TL-2025-0001", "line 2", "line 3", "TL-2025-0003"]
    wrong = lines[1]["error"]
    assert wrong["source"] == str(county)
    assert wrong["problems"][0]["path"] == "$.household.members[0].incomes[0].amount"
    assert lines[2]["error"]["problems"][0]["path"] == "$"
    assert all(line["detail"] == "compact" for line in (lines[0], lines[3]))
    assert f"{county} (line 2): $.household.members[0].incomes[0].amount" in result.stderr


def test_all_good_lines_exit_0_and_full_detail_is_on_request(run, tmp_path):
    county = tmp_path / "county.jsonl"
    county.write_text("\n".join(_line(p) for p in EXAMPLES[:3]) + "\n", encoding="utf-8")
    result = run("assess", county, "--json", "--detail", "full")
    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert len(lines) == 3 and all(line["detail"] == "full" and line["results"][0]["rules"]
                                   for line in lines)
    assert result.stderr == ""  # no progress line: stderr is not a terminal


def test_a_multi_document_yaml_with_a_bad_document_carries_on(run, tmp_path):
    documents = [EXAMPLES[0].read_text(encoding="utf-8"), BAD.read_text(encoding="utf-8"),
                 EXAMPLES[3].read_text(encoding="utf-8")]
    county = tmp_path / "county.yaml"
    county.write_text("\n---\n".join(documents), encoding="utf-8")
    result = run("assess", county, "--json")
    assert result.exit_code == 1
    lines = _lines(result.stdout)
    assert [line.get("application_id") or line["error"]["record"] for line in lines] == [
        "TL-2025-0001", "document 2", "TL-2025-0004"]


def test_a_directory_streams_its_files_in_order_and_reports_an_unreadable_one(run, tmp_path):
    for path in EXAMPLES[:2]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "01b-broken.yaml").write_text("household: [\n", encoding="utf-8")
    result = run("assess", tmp_path, "--json")
    assert result.exit_code == 1
    lines = _lines(result.stdout)
    assert [line.get("application_id") or Path(line["error"]["source"]).name
            for line in lines] == ["TL-2025-0001", "01b-broken.yaml", "TL-2025-0002"]
    assert lines[1]["error"]["problems"][0]["message"].startswith("not valid YAML")


def test_several_files_without_json_print_tables_and_errors_on_stderr(run):
    result = run("assess", EXAMPLES[0], BAD, EXAMPLES[1])
    assert result.exit_code == 1
    assert "TL-2025-0001" in result.stdout and "TL-2025-0002" in result.stdout
    assert not result.stdout.lstrip().startswith("{")
    assert "$.household.members[0].incomes[0].amount" in result.stderr


def test_one_application_is_one_indented_document(run):
    result = run("assess", EXAMPLES[0], "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["application_id"] == "TL-2025-0001"


def test_no_application_at_all_is_an_error(run, tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    result = run("assess", tmp_path, "--json")
    assert result.exit_code == 1 and "no application in" in result.stderr


def test_a_bad_detail_is_a_usage_error(run):
    assert run("assess", EXAMPLES[0], "--json", "--detail", "all").exit_code == 2


class _Sink(io.TextIOBase):
    """A stdout that counts lines and keeps none."""

    lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def _stream(assessor, tmp_path: Path, count: int, monkeypatch) -> tuple[int, int]:
    """Stream ``count`` applications; each is assessed only after the one before it was
    written. Returns the lines written and the peak of memory traced while streaming."""
    county = tmp_path / f"county-{count}.jsonl"
    template = [json.loads(_line(p)) for p in EXAMPLES]
    with county.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({**template[n % len(template)], "application_id": f"N-{n}"},
                                 ensure_ascii=False) + "\n")
    sink = _Sink()
    monkeypatch.setattr(sys, "stdout", sink)
    calls = []

    def assess(application):
        assert sink.lines == len(calls)  # everything before it is out already
        calls.append(application.application_id)
        return assessor.assess(application)

    tracemalloc.start()
    try:
        tally = assess_files([county], assess, as_json=True, detail="compact", language="en")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (tally.assessed, tally.failed) == (count, 0) and sink.lines == count
    return sink.lines, peak


def test_memory_does_not_grow_with_the_number_of_applications(assessor, tmp_path,
                                                             monkeypatch):
    _stream(assessor, tmp_path, 10, monkeypatch)  # warm the caches (compiled rules, policy)
    _, few = _stream(assessor, tmp_path, 20, monkeypatch)
    _, many = _stream(assessor, tmp_path, 100, monkeypatch)
    assert many < few * 1.5 + 1_000_000, (few, many)


def test_a_record_the_engine_refuses_is_an_error_line_too(run, tmp_path):
    county = tmp_path / "county.jsonl"
    county.write_text("\n".join([_line(EXAMPLES[0], jurisdiction="heilongjiang/nowhere"),
                                 _line(EXAMPLES[1])]) + "\n", encoding="utf-8")
    result = run("assess", county, "--json")
    assert result.exit_code == 1
    error, good = _lines(result.stdout)
    assert error["error"]["record"] == "line 1"
    assert "unknown jurisdiction 'heilongjiang/nowhere'" in error["error"]["problems"][0]["message"]
    assert good["application_id"] == "TL-2025-0002"


def test_a_json_list_with_a_bad_item_names_it_by_its_index(run, tmp_path):
    items = [json.loads(_line(p)) for p in EXAMPLES[:3]]
    items[1]["household"] = "nobody"
    county = tmp_path / "county.json"
    county.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    result = run("assess", county, "--json")
    assert result.exit_code == 1
    lines = _lines(result.stdout)
    assert [line.get("application_id") or line["error"]["record"] for line in lines] == [
        "TL-2025-0001", "$[1]", "TL-2025-0003"]
    assert lines[1]["error"]["problems"][0]["path"] == "$.household"
