"""The JSON document's two shapes are pinned: compact by default (what decided, a few KB),
full on request (every rule and criterion, every field of schema 1)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from aidrules.engine.results import AidResult, Outcome, RuleTrace, Truth
from aidrules.model import read_application
from aidrules.render.document import SCHEMA, deciding

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "applications"

COMPACT = {"schema", "detail", "application_id", "jurisdiction", "on", "rulebook",
           "policy_version", "results", "risk_level", "referrals"}
COMPACT_RESULT = {"aid", "status", "amount", "amount_max", "period", "missing", "members",
                  "deciding"}
FULL = COMPACT | {"risk_reason", "risk_reason_en"}
FULL_RESULT = {"aid", "name", "name_en", "status", "amount", "amount_max", "summary",
               "summary_en", "missing", "members", "rules", "period", "deciding"}
TRACE = {"rule", "title", "title_en", "basis", "result", "fired", "criteria", "member",
         "overrides", "special"}
CRITERION = {"text", "title", "title_en", "result", "left", "right", "margin", "facts",
             "parameters", "missing", "member", "reason", "reason_en"}


def assessed(assessor, name: str):
    return assessor.assess(read_application(EXAMPLES / name))


def test_the_compact_document_is_the_default_and_its_shape_is_pinned(assessor):
    document = assessed(assessor, "01-tieli-urban-below-standard.yaml").to_json()
    assert (document["schema"], document["detail"]) == (SCHEMA, "compact")
    assert SCHEMA == "aidrules.assessment/2"
    assert set(document) == COMPACT
    assert all(set(r) == COMPACT_RESULT for r in document["results"])
    results = {r["aid"]: r for r in document["results"]}
    assert results["dibao"] == {
        "aid": "dibao", "status": "eligible", "amount": "30.00", "amount_max": None,
        "period": "month", "missing": [], "members": [],
        "deciding": [{"rule": "dibao.household", "member": None}]}
    assert results["tekun"]["deciding"] == [{"rule": "tekun.household", "member": None,
                                             "criteria": [{"criterion": "all_in_tekun_category"}]}]
    assert results["housing_aid"]["deciding"][0]["criteria"] == [
        {"criterion": "housing_units == 0", "left": "1", "right": "0"}]
    assert document["referrals"][0] == {"brand": "medical", "rule": "referral.medical",
                                        "departments": ["医疗保障局", "卫生健康局"]}
    json.dumps(document)  # plain JSON: no Decimal, Fraction, date or enum left


def test_an_undetermined_result_names_the_criteria_that_could_not_be_judged(assessor):
    document = assessed(assessor, "07-tieli-income-not-reported.yaml").to_json()
    dibao = next(r for r in document["results"] if r["aid"] == "dibao")
    assert dibao["status"] == "undetermined" and dibao["missing"]
    unknown = [c["criterion"] for d in dibao["deciding"] for c in d["criteria"]]
    assert "per_capita_income < dibao_standard" in unknown


def test_the_full_document_has_every_field_of_schema_1_and_the_overrides(assessor):
    document = assessed(assessor, "01-tieli-urban-below-standard.yaml").to_json(detail="full")
    assert (document["schema"], document["detail"]) == (SCHEMA, "full")
    assert set(document) == FULL
    assert all(set(r) == FULL_RESULT for r in document["results"])
    compact = assessed(assessor, "01-tieli-urban-below-standard.yaml").to_json()
    assert [r["deciding"] for r in document["results"]] == \
        [r["deciding"] for r in compact["results"]]
    traces = [t for r in document["results"] for t in r["rules"]]
    assert all(set(t) == TRACE for t in traces)
    assert all(set(c) == CRITERION for t in traces for c in t["criteria"])
    grace = next(t for t in traces if t["rule"] == "dibao.grace_period")
    assert (grace["overrides"], grace["special"]) == (["dibao.household", "dibao.tiers"], True)
    household = next(t for t in traces if t["rule"] == "dibao.household")
    assert (household["overrides"], household["special"]) == ([], False)
    assert {t["result"] for t in traces} <= {"true", "false", "unknown"}


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_compact_is_a_few_kilobytes_and_agrees_with_full(assessor, name):
    assessment = assessed(assessor, name)
    compact, full = assessment.to_json(), assessment.to_json(detail="full")
    assert len(json.dumps(compact, ensure_ascii=False).encode()) < 10_000
    kept = ("aid", "status", "amount", "amount_max", "period", "missing", "members")
    assert [{k: r[k] for k in kept} for r in compact["results"]] == \
        [{k: r[k] for k in kept} for r in full["results"]]


def test_an_unknown_detail_is_refused(assessor):
    with pytest.raises(ValueError, match="compact, full"):
        assessed(assessor, "01-tieli-urban-below-standard.yaml").to_json(detail="short")


def test_statuses_and_values_are_enums_that_read_as_their_values(assessor):
    result = assessed(assessor, "01-tieli-urban-below-standard.yaml").result("dibao")
    assert result.status is Outcome.ELIGIBLE and result.status == "eligible"
    assert result.rules[0].result is Truth.TRUE
    assert f"{result.status}" == "eligible"


def _trace(rule: str, result: str, overrides: tuple[str, ...] = ()) -> RuleTrace:
    return RuleTrace(rule, "", "", "", result, result == "true", (), None, overrides)


def test_a_granting_rule_another_one_overrides_is_not_what_decided():
    result = AidResult("dibao", "", "", "eligible", Decimal("1.00"), None, "", "", rules=(
        _trace("dibao.household", "true"),
        _trace("dibao.grace_period", "true", ("dibao.household",)),
        _trace("dibao.tiers", "false")))
    assert deciding(result) == [{"rule": "dibao.grace_period", "member": None}]


def test_without_traces_what_decided_comes_from_what_the_engine_names(assessor):
    application = read_application(EXAMPLES / "01-tieli-urban-below-standard.yaml")
    bare = assessor.assess(application, reasons=False).to_json()
    reasoned = assessor.assess(application).to_json()
    assert [r["status"] for r in bare["results"]] == [r["status"] for r in reasoned["results"]]
    named = getattr(assessor.assess(application, reasons=False).result("dibao"),
                    "deciding", None)
    decided = bare["results"][0]["deciding"]
    if named is None:  # an engine that names nothing: nothing is made up
        assert decided == []
    else:
        assert decided and all(isinstance(d["rule"], str) for d in decided)
