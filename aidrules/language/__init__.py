"""The expression language of rule files: parse, check, print, evaluate.

Stages live in separate modules (parser, checker, printer, evaluator) and know
nothing of applications, policies or the engine."""

from aidrules.language.ast import Expr
from aidrules.language.checker import Checked, check
from aidrules.language.evaluator import UNKNOWN, Env, evaluate
from aidrules.language.parser import ExpressionSyntaxError, parse
from aidrules.language.printer import to_text
from aidrules.language.types import Schema, Type

__all__ = ["UNKNOWN", "Checked", "Env", "Expr", "ExpressionSyntaxError", "Schema", "Type",
           "check", "evaluate", "parse", "to_text"]
