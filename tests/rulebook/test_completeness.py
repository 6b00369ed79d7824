"""The shipped rule book is traceable: every rule names its legal basis, every parameter value
its source or why it was assumed, and every aid type has cases."""

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from aidrules.rulebook import load_rulebook

ROOT = Path(__file__).parents[2]
LOCAL_DESIGN = "本地设计"  # Tieli's own labels (risk levels, brands): no national article exists
BOOK = load_rulebook(ROOT / "rules", ROOT / "policies")


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_every_rule_names_its_document_and_article(rule):
    assert rule.basis.document.strip(), f"{rule.at}: rule {rule.id} has no document"
    if LOCAL_DESIGN not in rule.basis.document:
        assert rule.basis.article and rule.basis.article.strip(), \
            f"{rule.at}: rule {rule.id} names no article of {rule.basis.document}"


def test_every_exclusive_group_names_its_basis():
    for group in BOOK.exclusive:
        assert group.basis.document and group.basis.article, group.id


#: Declared with no value shipped: only a jurisdiction that pays dibao by tiers gives them.
PAID_BY_TIERS_ONLY = "dibao.tier_ratio."


@pytest.mark.parametrize("name", sorted(BOOK.policies.parameters()))
def test_every_parameter_value_has_a_source_or_an_assumed_reason(name):
    parameter = BOOK.policies.parameters()[name]
    assert parameter.description.strip() and parameter.description_en.strip(), name
    values = BOOK.policies.history(name)
    assert values or name.startswith(PAID_BY_TIERS_ONLY), f"{name} has no value"
    for value in values:
        where = f"{value.file}:{value.line}"
        assert (value.source is None) != (value.assumed is None), \
            f"{where}: {name} needs exactly one of source and assumed"
        if value.source is not None:
            assert value.source.document.strip(), f"{where}: the source names no document"
        else:
            assert len(value.assumed.strip()) >= 20, f"{where}: say why the value was assumed"


def _cases_naming(aid: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "rules").rglob("cases/*.yaml")):
        document = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        cases = document.get("cases", [document])
        found += [f"{path.name}: {c['title']}" for c in cases if aid in c["expect"]]
    return found


@pytest.mark.parametrize("aid", sorted(BOOK.aids))
def test_every_aid_type_is_checked_by_at_least_three_cases(aid):
    assert len(_cases_naming(aid)) >= 3, _cases_naming(aid)
