"""Overlays: directories of policy files laid over a policy tree, and dated values written
inline elsewhere (in a case file), laid over one jurisdiction.

A directory overlay is read as if its files were copied over the tree: a file at the same
relative path replaces the tree's, a new one is added. Problems in it are reported at the
overlay's own files. Inline values replace the values one jurisdiction's file gives for one
parameter; they are checked like any value (a date, the value in the declared unit, a
source or an assumed reason), and reported at their place in the file they were written in.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
from ruamel.yaml.comments import CommentedMap

from aidrules import _yaml


@attrs.frozen
class InlineValues:
    """The dated values of one parameter, written in another file, for one jurisdiction.

    ``values`` is the mapping of dates to entries as read (with its positions), so a mistake
    in it is reported in ``file`` at its line and column; ``line`` and ``col`` place the
    parameter's name."""

    name: str
    jurisdiction: str
    values: Any = attrs.field(eq=False, hash=False, repr=False)
    file: str
    line: int
    col: int = 1

    def document(self) -> CommentedMap:
        """A parameter file's document holding these values, placed where they were written."""
        doc = CommentedMap({"values": self.values})
        value_line, value_col = _yaml.position(self.values)
        doc._yaml_set_line_col(self.line - 1, self.col - 1)
        doc._yaml_set_kv_line_col("values", [self.line - 1, self.col - 1,
                                             value_line - 1, value_col - 1])
        return doc

    def digest(self) -> bytes:
        text = json.dumps([self.name, self.jurisdiction, self.file, self.line,
                           _plain(self.values)], ensure_ascii=False, sort_keys=True)
        return text.encode()


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return [type(node).__name__, str(node)]


#: What may be laid over a policy tree: a directory of policy files, or inline values.
Overlay = Path | InlineValues


def directories(overlays: Iterable[Overlay]) -> list[Path]:
    return [Path(o) for o in overlays if not isinstance(o, InlineValues)]


def inline(overlays: Iterable[Overlay]) -> list[InlineValues]:
    return [o for o in overlays if isinstance(o, InlineValues)]


@contextmanager
def laid_over(root: Path, overlays: Iterable[Overlay]) -> Iterator[tuple[Path, dict[Path, str]]]:
    """``root`` with every overlay directory copied over it, in a scratch directory of the
    same name, and the label of each file that came from an overlay (its own path)."""
    given = directories(overlays)
    if not given or not root.is_dir():
        yield root, {}  # nothing to lay over, or no tree: reported at the path given
        return
    with tempfile.TemporaryDirectory(prefix="aidrules-overlay-") as scratch:
        target = Path(scratch) / root.name
        shutil.copytree(root, target)
        labels: dict[Path, str] = {}
        for overlay in given:
            for path in sorted(overlay.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    copy = target / path.relative_to(overlay)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, copy)
                    labels[copy] = path.as_posix()
        yield target, labels


def missing(overlays: Iterable[Overlay]) -> list[Path]:
    """The overlay directories that are not directories."""
    return [d for d in directories(overlays) if not d.is_dir()]


def digest_of(inline_values: Iterable[InlineValues]) -> bytes:
    found = hashlib.sha256()
    for values in inline_values:
        found.update(values.digest() + b"\0")
    return found.digest()
