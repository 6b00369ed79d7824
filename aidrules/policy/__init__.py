"""Dated jurisdiction parameters: ``policies/<jurisdiction>/<topic>/<name>.yaml``.

A parameter's dotted name is its path (``policies/national/dibao/marginal_multiplier.yaml``
is ``dibao.marginal_multiplier`` in the ``national`` layer). Values are looked up as of
a date along national → province → city → county; the most specific layer with a
value in force wins. See docs/policies.md for the file format, written for policy
officers.

This package imports only the standard library, attrs, ruamel.yaml, ``aidrules.errors``
and ``aidrules._yaml``.
"""

from aidrules.policy._overlay import InlineValues, Overlay
from aidrules.policy._records import (
    UNITS,
    Jurisdiction,
    Kind,
    Parameter,
    ParameterValue,
    Rounding,
    Source,
)
from aidrules.policy._tree import PolicySnapshot, PolicyTree

__all__ = [
    "UNITS",
    "InlineValues",
    "Jurisdiction",
    "Kind",
    "Overlay",
    "Parameter",
    "ParameterValue",
    "PolicySnapshot",
    "PolicyTree",
    "Rounding",
    "Source",
]
