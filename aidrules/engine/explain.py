"""Kept for :meth:`Assessor.explain` and old imports: the text is made in
:mod:`aidrules.render.text`."""

from aidrules.render.text import explain

__all__ = ["explain"]
