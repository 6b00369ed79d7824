"""Turning assessments into words and documents, one module per format.

- :mod:`~aidrules.render.words`: the words of outcomes and criteria (成立 / 不成立 /
  无法判断 …), in Chinese and English; the one place they are written.
- :mod:`~aidrules.render.document`: the JSON document, compact or full.
- :mod:`~aidrules.render.text`: the full reasoning for one aid type, for officers.
- what ``aidrules assess`` prints on a terminal lives with the command (aidrules/cli/tables.py).
- :mod:`~aidrules.render.stream`: JSON Lines for many applications, one at a time.

The engine returns data (:mod:`aidrules.engine.results`); this room reads it and imports
no engine code, so the results can serialise themselves through it. Notices (jinja2
templates) are rendered in :mod:`aidrules.notices` from the same words."""
