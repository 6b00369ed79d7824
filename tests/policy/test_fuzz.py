"""Whatever an officer saves, the loader answers with problems, never a crash."""

import io
import os
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from aidrules.errors import RuleBookError
from aidrules.policy import PolicyTree

FUZZ = settings(max_examples=int(os.environ.get("AIDRULES_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
UNITS = ["yuan/month", "yuan/year", "yuan", "ratio", "months", "count", "bool", "text",
         "text_list", "rounding", "yuan/mnth", ""]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
    st.text(max_size=12), st.sampled_from(["1/6", "1/0", "334.75", "4,017", "gap", "up"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(["to", "mode"])), inner,
                    max_size=3)), max_leaves=8)
entries = st.one_of(values, st.fixed_dictionaries({}, optional={
    "value": values, "unit": st.sampled_from(UNITS), "inherit": values,
    "source": st.one_of(values, st.fixed_dictionaries({"document": values},
                                                      optional={"article": values})),
    "assumed": values, "junk": values}))
parameter_docs = st.one_of(values, st.fixed_dictionaries({}, optional={
    "description": values, "description_en": values, "unit": st.sampled_from(UNITS),
    "choices": values, "junk": values,
    "values": st.one_of(values, st.dictionaries(
        st.one_of(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
                  st.text(max_size=10), st.integers()), entries, max_size=4)),
}))


def dump(doc) -> str:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(doc, stream)
    return stream.getvalue()


def check_tree(files: dict[str, bytes | str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "policies"
        (root / "national").mkdir(parents=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        tree, problems = PolicyTree.check(root)
        assert (tree is None) == bool(problems)
        assert all(p.line >= 1 and p.col >= 1 and str(p) for p in problems)
        try:
            PolicyTree.load(root)
        except RuleBookError as exc:
            assert list(exc.problems) == problems


@FUZZ
@given(st.binary(max_size=300))
@example(b"!!")  # a bare tag: ruamel keeps no line for it (found by this test)
def test_random_bytes_never_crash_the_loader(content):
    check_tree({"national/dibao/x.yaml": content})


@FUZZ
@given(st.text(alphabet="ab:-[]{}'\"#&*!|>,? \n\t0123456789.", max_size=120))
def test_random_yaml_like_text_never_crashes_the_loader(content):
    check_tree({"national/dibao/x.yaml": content,
                "heilongjiang/jurisdiction.yaml": content})


@FUZZ
@given(parameter_docs, parameter_docs, values)
def test_random_parameter_files_in_two_layers_never_crash_the_loader(top, lower, place):
    check_tree({
        "national/dibao/x.yaml": dump(top),
        "heilongjiang/jurisdiction.yaml": dump(place if isinstance(place, dict) else
                                                {"name": "省", "name_en": place}),
        "heilongjiang/dibao/x.yaml": dump(lower),
    })
