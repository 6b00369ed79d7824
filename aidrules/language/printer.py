"""Tree → text, with only the parentheses the grammar needs."""

from __future__ import annotations

from aidrules.language import ast

# Binding strength; a child weaker than its parent is parenthesised.
_IF, _OR, _AND, _NOT, _CMP, _SUM, _PRODUCT, _UNARY, _ATOM = range(9)


def to_text(node: ast.Expr) -> str:
    return _text(node)


def _strength(node: ast.Expr) -> int:
    match node:
        case ast.If():
            return _IF
        case ast.Logic(op="or"):
            return _OR
        case ast.Logic(op="and"):
            return _AND
        case ast.Not():
            return _NOT
        case ast.Compare():
            return _CMP
        case ast.Arith(op="+" | "-"):
            return _SUM
        case ast.Arith():
            return _PRODUCT
        case ast.Neg():
            return _UNARY
    return _ATOM


def _wrapped(node: ast.Expr, at_least: int) -> str:
    text = _text(node)
    return f"({text})" if _strength(node) < at_least else text


def _text(node: ast.Expr) -> str:
    match node:
        case ast.Number(value):
            return str(value)
        case ast.Text(value):
            return f"'{value}'" if '"' in value else f'"{value}"'
        case ast.Bool(value):
            return "true" if value else "false"
        case ast.Name():
            return node.dotted
        case ast.ListOf(items):
            return "[" + ", ".join(_text(i) for i in items) + "]"
        case ast.Neg(operand):
            return "-" + _wrapped(operand, _UNARY)
        case ast.Not(operand):
            return "not " + _wrapped(operand, _NOT)
        case ast.Arith(op, left, right):
            level = _strength(node)
            return f"{_wrapped(left, level)} {op} {_wrapped(right, level + 1)}"
        case ast.Compare(op, left, right):
            return f"{_wrapped(left, _SUM)} {op} {_wrapped(right, _SUM)}"
        case ast.Logic(op, operands):
            level = _strength(node)
            return f" {op} ".join(_wrapped(o, level + 1) for o in operands)
        case ast.If(condition, then, otherwise):
            return (f"if {_wrapped(condition, _OR)} then {_wrapped(then, _OR)} "
                    f"else {_text(otherwise)}")
        case ast.Call(function, args, where):
            if not args:
                return f"{function}()"
            first = _text(args[0]) + (f" where {_text(where)}" if where is not None else "")
            return f"{function}(" + ", ".join([first, *(_text(a) for a in args[1:])]) + ")"
    raise TypeError(f"not an expression node: {node!r}")
