"""Parsing and pretty-printing an expression gives the same tree."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aidrules.language import ast, parse, to_text

NAMES = st.sampled_from(["age", "income", "household_size", "dibao.standard", "x_1"])
LEAVES = st.one_of(
    st.builds(lambda v: ast.Number(Decimal(v)), st.integers(0, 10**6).map(str)),
    st.builds(lambda a, b: ast.Number(Decimal(f"{a}.{b}")), st.integers(0, 999),
              st.integers(1, 99)),
    st.builds(ast.Text, st.text("abc城乡_ ", max_size=6)),
    st.builds(ast.Bool, st.booleans()),
    st.builds(lambda n: ast.Name(tuple(n.split("."))), NAMES),
)


def _trees(children):
    return st.one_of(
        st.builds(ast.Neg, children),
        st.builds(ast.Not, children),
        st.builds(ast.Arith, st.sampled_from("+-*/"), children, children),
        st.builds(ast.Compare, st.sampled_from(["<", "<=", ">", ">=", "==", "!=", "in",
                                                "not in"]), children, children),
        st.builds(lambda op, xs: ast.Logic(op, tuple(xs)), st.sampled_from(["and", "or"]),
                  st.lists(children, min_size=2, max_size=3)),
        st.builds(ast.If, children, children, children),
        st.builds(lambda f, a, w, rest: ast.Call(f, (ast.Name(("members",)), *rest), w),
                  st.sampled_from(["count", "sum", "any", "min"]), st.none(),
                  st.one_of(st.none(), children), st.lists(children, max_size=2)),
        st.builds(lambda items: ast.ListOf(tuple(items)),
                  st.lists(st.builds(ast.Text, st.text("ab", max_size=3)), max_size=3)),
    )


TREES = st.recursive(LEAVES, _trees, max_leaves=12)


@given(TREES)
def test_printing_then_parsing_gives_the_same_tree(tree):
    assert parse(to_text(tree)) == tree


def test_positions_point_into_the_file():
    # a block scalar (formula: >-) indented by 6: its text starts at column 7 on every line
    tree = parse("a <\n  b + c", file="r.yaml", line=10, col=7)
    assert tree.pos == (10, 7)
    assert tree.right.pos == (11, 9)
