"""Reading a policy directory: every file checked, every problem reported in one pass.

The walk follows one rule: ``national/`` is the root layer; every other directory
directly under the policy directory, and every directory inside a jurisdiction that
holds a ``jurisdiction.yaml``, is a jurisdiction; any other directory inside a
jurisdiction is a parameter namespace (``dibao/``, ``dibao/standard/``), and the
``.yaml`` files in it are parameters named by their path.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from aidrules import _yaml
from aidrules.errors import Problem, did_you_mean
from aidrules.policy import _overlay, _tables, _values
from aidrules.policy._overlay import InlineValues
from aidrules.policy._records import UNITS, Jurisdiction, Parameter, ParameterValue, Source
from aidrules.policy._values import Bad, show

NATIONAL = "national"
MARKER = "jurisdiction.yaml"
PARAMETER_KEYS = ("description", "description_en", "unit", "choices", "keys", "values")
ENTRY_KEYS = ("value", "unit", "source", "assumed", "inherit")
SOURCE_KEYS = ("document", "article", "url", "note")
JURISDICTION_KEYS = ("name", "name_en", "code")
UNIT_LIST = ", ".join(UNITS)
_SEGMENT = re.compile(r"[a-z][a-z0-9_]*\Z")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_LOOSE_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\Z")
_NEEDED = {
    "description": "a one-line description in Chinese",
    "description_en": "a one-line description in English",
    "unit": f"unit: one of {UNIT_LIST}",
}


@attrs.frozen
class Inherit:
    """From this date the layer stops overriding; the layer above applies."""

    effective_from: date
    jurisdiction: str
    file: str
    line: int


@attrs.frozen
class Loaded:
    jurisdictions: dict[str, Jurisdiction]
    parameters: dict[str, Parameter]
    entries: dict[str, dict[str, list[ParameterValue | Inherit]]]  # name -> layer -> by date
    digest: str


@attrs.define
class _File:
    """One parameter file, read but not yet settled against the layers above it."""

    layer: str
    name: str
    label: str
    path: Path
    doc: Any = None
    unit: str | None = None  # as given here, if valid
    unit_pos: tuple[int, int] = (1, 1)
    choices: tuple[str, ...] | None = None
    entries: list[tuple[date, Any, int, int]] = attrs.Factory(list)
    effective_unit: str | None = None
    effective_choices: tuple[str, ...] | None = None
    keys: _tables.Keys | None = None  # a table's keys, as declared here
    effective_keys: _tables.Keys | None = None
    declared_by: _File | None = None
    misspelt: set[str] = attrs.Factory(set)  # known keys that unknown keys look like
    given: Any = None  # the document, when written elsewhere (inline values in a case)


def ancestors(layer: str) -> list[str]:
    """The layers from national down to ``layer``, both included."""
    if layer == NATIONAL:
        return [NATIONAL]
    parts = layer.split("/")
    return [NATIONAL] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _children(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if not p.name.startswith("."))


def _is_yaml(path: Path) -> bool:
    return path.is_file() and path.suffix in (".yaml", ".yml")


def _segment_fix(name: str) -> str:
    fixed = re.sub(r"[^a-z0-9_]", "_", name.lower()).strip("_")
    return fixed if _SEGMENT.match(fixed) else "name"


class Reader:
    """Reads one policy directory; ``read()`` gives the tables or None, and the problems."""

    def __init__(self, root: Path | str, labels: dict[Path, str] | None = None,
                 inline: list[InlineValues] | None = None) -> None:
        self.root = Path(root)
        self.labels = labels or {}  # files laid over the tree: named by their own path
        self.inline = inline or []
        self.problems: list[Problem] = []
        self.markers: dict[str, tuple[str | None, Path | None]] = {}  # path -> (parent, file)
        self.files: list[_File] = []
        self.declared: dict[str, Parameter] = {}  # every parameter declared well, even if
        # some value or another file is wrong: lets rules be checked without false alarms

    # -- reporting ---------------------------------------------------------------

    def label(self, path: Path) -> str:
        if path in self.labels:
            return self.labels[path]
        return f"{self.root.name}/{path.relative_to(self.root).as_posix()}".rstrip("/")

    def report(self, file: str, where: tuple[int, int], message: str,
               expected: str | None = None, suggestion: str | None = None) -> None:
        self.problems.append(Problem(file, where[0], where[1], message, expected, suggestion))

    def bad(self, file: str, where: tuple[int, int], exc: Bad) -> None:
        self.report(file, where, exc.message, exc.expected, exc.suggestion)

    # -- the whole read ----------------------------------------------------------

    def read(self) -> Loaded | None:
        if not self.root.is_dir():
            self.report(str(self.root), (1, 1), "the policy directory does not exist",
                        "a directory holding national/ and the jurisdictions")
            return None
        self.walk()
        self.lay_inline()
        jurisdictions = self.read_jurisdictions()
        for file in self.files:
            self.read_parameter(file)
        loaded = self.settle(jurisdictions)
        self.problems.sort(key=lambda p: (p.file, p.line, p.col))
        return None if self.problems else loaded

    # -- walking the directories -------------------------------------------------

    def walk(self) -> None:
        national = self.root / NATIONAL
        if not national.is_dir():
            self.report(f"{self.root.name}/{NATIONAL}", (1, 1), "there is no national layer",
                        "a directory national/ holding the national defaults")
        tops = [p.name for p in _children(self.root) if p.is_dir() and (p / MARKER).is_file()]
        for child in _children(self.root):
            if child.is_dir() and child.name == NATIONAL:
                self.jurisdiction(NATIONAL, None, child)
            elif child.is_dir() and child.name in tops:
                self.jurisdiction(child.name, NATIONAL, child)
            elif child.is_dir() and any(_is_yaml(p) for p in child.rglob("*")):
                self.report(self.label(child), (1, 1),
                            f"directory '{child.name}' holds policy files but has no {MARKER}",
                            f"national/, or a jurisdiction directory with a {MARKER} "
                            "(name, name_en, code)", did_you_mean(child.name, [NATIONAL, *tops]))
            elif _is_yaml(child):
                self.report(self.label(child), (1, 1),
                            "a policy file cannot sit directly in the policy directory",
                            "it inside national/<topic>/ or <jurisdiction>/<topic>/")

    def jurisdiction(self, path: str, parent: str | None, directory: Path) -> None:
        marker = directory / MARKER
        self.markers[path] = (parent, marker if marker.is_file() else None)
        if not _SEGMENT.match(directory.name):
            self.report(self.label(directory), (1, 1), f"'{directory.name}' is not a valid "
                        "jurisdiction name", "lower-case letters, digits and _, starting with a "
                        "letter", _segment_fix(directory.name))
        for child in _children(directory):
            if child.is_dir() and (child / MARKER).is_file():
                if path == NATIONAL:
                    self.report(self.label(child / MARKER), (1, 1),
                                "a jurisdiction cannot sit inside national/",
                                f"it beside national/, as {self.root.name}/{child.name}/")
                else:
                    self.jurisdiction(f"{path}/{child.name}", path, child)
            elif child.is_dir():
                self.namespace(path, [child.name], child)
            elif child.name != MARKER and _is_yaml(child):
                self.report(self.label(child), (1, 1),
                            "a parameter file cannot sit directly in a jurisdiction directory",
                            f"it inside a topic directory, e.g. {self.label(directory)}/dibao/"
                            f"{child.name}")

    def namespace(self, layer: str, prefix: list[str], directory: Path) -> None:
        nested = sorted(directory.rglob(MARKER))
        if nested:
            inner = self.label(nested[0].parent)
            self.report(self.label(directory), (1, 1),
                        f"directory '{directory.name}' has no {MARKER} but holds the "
                        f"jurisdiction {inner}", f"{self.label(directory)}/{MARKER} if "
                        f"'{directory.name}' is a jurisdiction (then its files are its own)")
            return
        self.check_segment(directory, directory.name)
        for child in _children(directory):
            if child.is_dir():
                self.namespace(layer, [*prefix, child.name], child)
            elif _is_yaml(child) and child.suffix == ".yml":
                self.report(self.label(child), (1, 1), "a parameter file must end in .yaml",
                            "the .yaml ending", child.stem + ".yaml")
            elif _is_yaml(child) and self.check_segment(child, child.stem):
                name = ".".join([*prefix, child.stem])
                self.files.append(_File(layer, name, self.label(child), child))

    def check_segment(self, path: Path, segment: str) -> bool:
        if _SEGMENT.match(segment):
            return True
        self.report(self.label(path), (1, 1), f"'{segment}' is not a valid parameter name",
                    "lower-case letters, digits and _, starting with a letter (the file and "
                    "directory names make the parameter's name)", _segment_fix(segment))
        return False

    def lay_inline(self) -> None:
        """Each inline value replaces its jurisdiction's file of that parameter."""
        for values in self.inline:
            if values.jurisdiction not in self.markers:
                self.report(values.file, (values.line, values.col), "unknown jurisdiction "
                            f"{values.jurisdiction!r} for the values of {values.name}",
                            "one of " + ", ".join(sorted(self.markers)),
                            did_you_mean(values.jurisdiction, self.markers))
                continue
            self.files = [f for f in self.files
                          if (f.layer, f.name) != (values.jurisdiction, values.name)]
            self.files.append(_File(values.jurisdiction, values.name, values.file,
                                    self.root, given=values.document()))

    # -- reading files -----------------------------------------------------------

    def load_yaml(self, path: Path, label: str) -> Any:
        doc, problems = _yaml.load(path, label=label)
        self.problems.extend(problems)
        return None if problems else doc

    def read_jurisdictions(self) -> dict[str, Jurisdiction]:
        found = {}
        for path, (parent, marker) in self.markers.items():
            if marker is None:
                found[path] = Jurisdiction(path, "全国", "National", None, parent)
                continue
            label = self.label(marker)
            doc = self.load_yaml(marker, label)
            if doc is None or not _yaml.is_mapping(doc):
                if doc is not None or not any(p.file == label for p in self.problems):
                    self.report(label, _at(doc), "expected name, name_en and code",
                                "a mapping such as name: 铁力市, name_en: Tieli, code: \"230781\"")
                continue
            fields = self.jurisdiction_fields(doc, label)
            found[path] = Jurisdiction(path, fields.get("name", ""), fields.get("name_en", ""),
                                       fields.get("code"), parent)
        return found

    def jurisdiction_fields(self, doc: Any, label: str) -> dict[str, str]:
        misspelt = self.unknown_keys(doc, JURISDICTION_KEYS, label)
        fields = {}
        for key in ("name", "name_en"):
            if key in doc:
                if self.text(doc, key, label) is not None:
                    fields[key] = str(doc[key])
            elif key not in misspelt:
                self.report(label, (1, 1), f"missing '{key}'",
                            "the Chinese name, e.g. 铁力市" if key == "name" else
                            "the English name, e.g. Tieli")
        code = doc.get("code")
        if code is not None:
            text = str(code) if isinstance(code, int | str) and not isinstance(code, bool) else ""
            if re.fullmatch(r"\d{2,12}", text):
                fields["code"] = text
            else:
                self.report(label, _value_at(doc, "code"),
                            f"code={show(code)} is not an administrative division code",
                            'the digits of the code in quotes, e.g. "230781"')
        return fields

    def unknown_keys(self, node: Any, known: tuple[str, ...], label: str) -> set[str]:
        """Report keys not in ``known``; return the known keys they look like misspellings of."""
        meant: set[str] = set()
        for key in node:
            if key not in known:
                guess = did_you_mean(str(key), known)
                self.report(label, _at(node, key), f"unknown key {show(key)}",
                            "one of " + ", ".join(known), guess)
                if guess is not None:
                    meant.add(guess)
        return meant

    def text(self, node: Any, key: str, label: str) -> str | None:
        value = node[key]
        if isinstance(value, str) and value.strip():
            return str(value)
        self.report(label, _value_at(node, key), f"{key}={show(value)} is not text",
                    f"some text for {key}")
        return None

    def read_parameter(self, file: _File) -> None:
        doc = file.given if file.given is not None else self.load_yaml(file.path, file.label)
        if doc is None:
            if not any(p.file == file.label for p in self.problems):
                self.report(file.label, (1, 1), "the file is empty",
                            "description, description_en, unit and values")
            return
        if not _yaml.is_mapping(doc):
            self.report(file.label, _at(doc), f"the file holds {show(doc)}, not a "
                        "mapping", "keys description, description_en, unit and values")
            return
        file.doc = doc
        file.misspelt = self.unknown_keys(doc, PARAMETER_KEYS, file.label)
        for key in ("description", "description_en"):
            if key in doc:
                self.text(doc, key, file.label)
        if "unit" in doc:
            file.unit = self.unit(doc, "unit", file.label)
            file.unit_pos = _value_at(doc, "unit")
        if "choices" in doc:
            file.choices = self.choices(doc, file.label)
        if "keys" in doc:
            file.keys = self.table_keys(doc, file.label)
        if "values" in doc:
            self.read_dates(file, doc["values"], _value_at(doc, "values"))

    def unit(self, node: Any, key: str, label: str) -> str | None:
        unit = node[key]
        if isinstance(unit, str) and unit in UNITS:
            return str(unit)
        self.report(label, _value_at(node, key), f"unknown unit {show(unit)}",
                    f"one of {UNIT_LIST}", did_you_mean(str(unit), UNITS))
        return None

    def choices(self, doc: Any, label: str) -> tuple[str, ...] | None:
        raw = doc["choices"]
        ok = isinstance(raw, list) and raw and all(isinstance(c, str) and c for c in raw)
        if ok and len(set(raw)) == len(raw):
            return tuple(str(c) for c in raw)
        self.report(label, _value_at(doc, "choices"), f"choices={show(raw)} is not "
                    "a list of different texts", "a list such as [gap, tiers]")
        return None

    def table_keys(self, doc: Any, label: str) -> _tables.Keys | None:
        try:
            return _tables.keys(doc["keys"])
        except Bad as exc:
            self.bad(label, _value_at(doc, "keys"), exc)
            return None

    def read_dates(self, file: _File, values: Any, where: tuple[int, int]) -> None:
        if not _yaml.is_mapping(values) or not values:
            what = "empty" if values is None or values == {} else f"{show(values)}"
            self.report(file.label, where, f"values is {what}, not dates with values",
                        "at least one date (YYYY-MM-DD) with a value and its source under it")
            return
        seen: dict[date, int] = {}
        last: tuple[date, int] | None = None
        for key, entry in values.items():
            line, col = _at(values, key)
            try:
                day = _date(key)
            except Bad as exc:
                self.bad(file.label, (line, col), exc)
                continue
            if day in seen:
                self.report(file.label, (line, col), f"date {day} is given twice "
                            f"(first at line {seen[day]})", "each date once")
            elif last is not None and day < last[0]:
                self.report(file.label, (line, col), f"date {day} comes after {last[0]} "
                            f"(line {last[1]})", "dates in increasing order")
            else:
                file.entries.append((day, entry, line, col))
                last = (day, line)
            seen.setdefault(day, line)

    # -- settling files against the layers above ---------------------------------

    def settle(self, jurisdictions: dict[str, Jurisdiction]) -> Loaded:
        by_name: dict[str, dict[str, _File]] = defaultdict(dict)
        for file in self.files:
            by_name[file.name][file.layer] = file
        parameters = self.declared
        entries: dict[str, dict[str, list[Any]]] = {}
        for name, layers in sorted(by_name.items()):
            entries[name] = {}
            for layer in sorted(layers, key=lambda lay: (len(ancestors(lay)), lay)):
                file = layers[layer]
                above = [layers[a] for a in ancestors(layer)[:-1] if a in layers]
                if file.doc is None:
                    continue  # unreadable: reported already; the layers below it are skipped
                if above and above[-1].doc is None:
                    continue
                elsewhere = _declarer(layers, file)
                self.settle_file(file, above[-1] if above else None, parameters, elsewhere)
                self.needs_values(file, elsewhere)
                if file.effective_unit is not None:
                    entries[name][layer] = self.read_entries(file, has_parent=bool(above))
        self.check_groups(by_name)
        digest = hashlib.sha256()
        for path in sorted(p for p in self.root.rglob("*") if _is_yaml(p)):
            digest.update(self.label(path).encode() + b"\0" + path.read_bytes() + b"\0")
        if self.inline:
            digest.update(_overlay.digest_of(self.inline))
        return Loaded(jurisdictions, parameters, entries, digest.hexdigest())

    def declared_elsewhere(self, file: _File, declarer: _File) -> None:
        national = "/".join([self.root.name, NATIONAL, *file.name.split(".")]) + ".yaml"
        self.report(file.label, (1, 1), f"{file.name} is declared in {declarer.label}, which "
                    f"is not above {file.layer}", f"its description, description_en and unit "
                    f"moved to {national} (with no values there), so that every jurisdiction "
                    "gives only its values")

    def needs_values(self, file: _File, elsewhere: _File | None) -> None:
        """A file below the one that declares its parameter gives values; only the
        declaring file (usually in national/) may be a declaration without values."""
        if "values" in file.doc or "values" in file.misspelt:
            return
        if file.declared_by is file and elsewhere is None:
            return  # a declaration: description, unit, and no value at this layer
        declarer = file.declared_by if file.declared_by is not file else elsewhere
        assert declarer is not None  # one of the two is, or the file declares itself
        where = declarer.label
        self.report(file.label, (1, 1), "missing 'values'",
                    f"values: with dates and values (the parameter is declared in {where}; "
                    "this file gives only the values that differ)")

    def settle_file(self, file: _File, parent: _File | None, parameters: dict,
                    elsewhere: _File | None = None) -> None:
        doc, label = file.doc, file.label
        if parent is None:
            missing = [k for k in _NEEDED if k not in doc and k not in file.misspelt]
            if missing and elsewhere is not None:
                self.declared_elsewhere(file, elsewhere)
            for key in missing if elsewhere is None else ():
                why = "" if file.layer == NATIONAL else (
                    f" (no layer above {file.layer} has {file.name}, so this file declares it)")
                self.report(label, (1, 1), f"missing '{key}'{why}", _NEEDED[key])
            file.effective_unit, file.effective_choices = file.unit, file.choices
            file.effective_keys = file.keys
            file.declared_by = file
            first = parameters.get(file.name)
            if first is None and file.unit is not None and all(k in doc for k in _NEEDED):
                parameters[file.name] = Parameter(
                    file.name, file.unit, str(doc["description"]), str(doc["description_en"]),
                    UNITS[file.unit], label, file.unit_pos[0], file.choices, file.keys)
            elif first is not None and file.unit not in (None, first.unit):
                self.report(label, file.unit_pos, f"{file.name} has unit {file.unit} here but "
                            f"{first.unit} in {first.file}:{first.line}",
                            "one unit for a parameter in every jurisdiction", first.unit)
            return
        file.declared_by = parent.declared_by
        file.effective_unit = parent.effective_unit
        file.effective_choices = parent.effective_choices
        file.effective_keys = self.own_schedule(file, parent)
        top = parent.declared_by
        assert top is not None  # every parent file is declared by itself or one above it
        if file.unit is not None and file.effective_unit not in (None, file.unit):
            self.report(label, file.unit_pos, f"unit {file.unit} differs from "
                        f"{file.effective_unit} declared in {top.label}:{top.unit_pos[0]}",
                        "the same unit as the layer above, or no unit line (it is inherited); "
                        "a figure in another unit takes unit: on that value", file.effective_unit)
            file.effective_unit = None
        if top is not None and "choices" in doc and file.choices != file.effective_choices:
            self.report(label, _value_at(doc, "choices"), "choices differ from those "
                        f"declared in {top.label}", "the same choices, or no choices line")

    def own_schedule(self, file: _File, parent: _File) -> _tables.Keys | None:
        """The keys of a lower file's table: a step schedule (whole-number keys) may have
        levels of its own in a jurisdiction; texts keys are those declared."""
        inherited = parent.effective_keys
        if file.keys is None or file.keys == inherited:
            return inherited
        if inherited is not None and _tables.is_schedule(inherited) and _tables.is_schedule(
                file.keys):
            return file.keys
        self.report(file.label, _value_at(file.doc, "keys"), "keys differ from those declared "
                    f"in {parent.declared_by.label if parent.declared_by else 'the layer above'}",
                    "the same keys, or no keys line; only a schedule by whole numbers may have "
                    "levels of its own in a jurisdiction")
        return inherited

    def read_entries(self, file: _File, has_parent: bool) -> list[Any]:
        read: list[Any] = []
        for index, (day, node, line, col) in enumerate(file.entries):
            if not _yaml.is_mapping(node):
                where = _value_at(file.doc["values"], _key_of(file.doc["values"], day))
                self.report(file.label, where, f"the entry for {day} is {show(node)}, not a "
                            "mapping", "value: with source: or assumed: under the date, or "
                            "inherit: true")
                continue
            misspelt = self.unknown_keys(node, ENTRY_KEYS, file.label)
            if "inherit" in node:
                entry = self.inherit(file, day, node, (line, col), has_parent, first=index == 0)
            else:
                entry = self.entry(file, day, node, (line, col), misspelt)
            if entry is not None:
                read.append(entry)
        return read

    def inherit(self, file: _File, day: date, node: Any, where: tuple[int, int],
                has_parent: bool, first: bool) -> Inherit | None:
        label, at = file.label, _at(node, "inherit")
        if node["inherit"] is not True:
            self.report(label, _value_at(node, "inherit"), f"inherit="
                        f"{show(node['inherit'])} must be true", "inherit: true, or a value:")
        elif "value" in node:
            self.report(label, _at(node, "value"), f"the entry for {day} has both "
                        "value and inherit", "either value: or inherit: true")
        elif not has_parent:
            self.report(label, at, f"inherit: true but no layer above {file.layer} has "
                        f"{file.name}", "a value: here; only a lower layer can inherit")
        elif first:
            self.report(label, at, "inherit: true on the first date does nothing",
                        "a value on the first date; inherit: true only after a value")
        else:
            self.basis(file, day, node, where, needed=False)
            return Inherit(day, file.layer, label, where[0])
        return None

    def entry(self, file: _File, day: date, node: Any, where: tuple[int, int],
              misspelt: set[str]) -> Any:
        label, unit = file.label, file.effective_unit
        assert unit is not None
        basis = self.basis(file, day, node, where, needed=not misspelt & {"source", "assumed"})
        if "value" not in node:
            if "value" not in misspelt:
                self.report(label, where, f"the entry for {day} has no value",
                            "value: ..., or inherit: true")
            return None
        given = unit
        if "unit" in node:
            named = self.unit(node, "unit", label)
            if named is None:
                return None
            given = named
        if file.effective_keys is not None:
            return self.table_entry(file, day, node, where, given, basis)
        try:
            value = _values.parse(node["value"], given, file.effective_choices)
        except Bad as exc:
            self.bad(label, _value_at(node, "value"), exc)
            return None
        try:
            value = _values.convert(value, given, unit)
        except Bad as exc:
            key = "unit" if (given, unit) not in _values.CONVERSIONS else "value"
            self.bad(label, _value_at(node, key), exc)
            return None
        if basis is None or basis == (None, None):
            return None
        source, assumed = basis
        return ParameterValue(file.name, value, unit, day, file.layer, source, assumed, label,
                              where[0])

    def table_entry(self, file: _File, day: date, node: Any, where: tuple[int, int],
                    given: str, basis: Any) -> Any:
        """One dated value of a table parameter (see _tables)."""
        assert file.effective_keys is not None and file.effective_unit is not None
        if (given, file.effective_unit) not in _values.CONVERSIONS | {
                (file.effective_unit, file.effective_unit): 1}:
            self.bad(file.label, _value_at(node, "unit"), Bad(
                f"unit {given} cannot be converted to {file.effective_unit}, the parameter's unit"))
            return None
        try:
            value = _tables.parse(node["value"], file.effective_keys, given, file.effective_unit,
                                  file.effective_choices)
        except _tables.BadEntry as exc:
            table = node["value"]
            at = _value_at(node, "value") if exc.key is None else (
                _at(table, exc.key) if exc.key not in file.effective_keys
                else _value_at(table, exc.key))
            self.bad(file.label, at, exc)
            return None
        if basis is None or basis == (None, None):
            return None
        source, assumed = basis
        return ParameterValue(file.name, value, file.effective_unit, day, file.layer, source,
                              assumed, file.label, where[0])

    def basis(self, file: _File, day: date, node: Any, where: tuple[int, int],
              needed: bool) -> tuple[Source | None, str | None] | None:
        label = file.label
        if "source" in node and "assumed" in node:
            self.report(label, _at(node, "assumed"), f"the value for {day} has both "
                        "source and assumed", "exactly one of them")
            return None
        if "assumed" in node:
            assumed = self.text(node, "assumed", label)
            return None if assumed is None else (None, assumed)
        if "source" in node:
            source = self.source(node, label)
            return None if source is None else (source, None)
        if needed:
            self.report(label, where, f"the value for {day} has neither source nor assumed",
                        "source: {document: ..., article: ...}, or assumed: <why this value "
                        "was chosen>")
            return None
        return (None, None)

    def source(self, node: Any, label: str) -> Source | None:
        raw = node["source"]
        if not _yaml.is_mapping(raw):
            self.report(label, _value_at(node, "source"),
                        f"source={show(raw)} is not a mapping",
                        "source: {document: <title>, article: <第几条>} (url: and note: optional)")
            return None
        before = len(self.problems)
        misspelt = self.unknown_keys(raw, SOURCE_KEYS, label)
        if "document" not in raw and "document" not in misspelt:
            self.report(label, _at(raw), "the source has no document",
                        "document: <the title of the document>")
        fields = {key: self.text(raw, key, label) for key in SOURCE_KEYS if key in raw}
        if len(self.problems) > before:
            return None
        return Source(**fields)  # type: ignore[arg-type]

    def check_groups(self, by_name: dict[str, dict[str, _File]]) -> None:
        for name in sorted(by_name):
            for inner in sorted(by_name):
                if inner.startswith(name + "."):
                    file = next(iter(by_name[name].values()))
                    self.report(file.label, (1, 1), f"{name} is a parameter, but "
                                f"{name.replace('.', '/')}/ also holds parameters (e.g. {inner})",
                                "a name to be one parameter (a .yaml file) or a directory of "
                                "parameters, not both")
                    break


def _declarer(layers: dict[str, _File], file: _File) -> _File | None:
    """Another layer's file that declares ``file``'s parameter (description and unit)
    when no layer above ``file`` has it: a sibling province, say. National has none: it is
    above every layer, and a lower file repeating its declaration is only redundant."""
    if file.layer == NATIONAL or any(a in layers for a in ancestors(file.layer)[:-1]):
        return None
    return next((other for layer, other in sorted(layers.items()) if other is not file
                 and _yaml.is_mapping(other.doc) and all(k in other.doc for k in _NEEDED)),
                None)


_at = _yaml.position  # where a node (or its key) stands; (1, 1) when ruamel kept no mark
_value_at = _yaml.value_position


def _key_of(mapping: Any, day: date) -> Any:
    return next((k for k in mapping if k == day or (isinstance(k, str) and k == day.isoformat())),
                day)


def _date(key: Any) -> date:
    if isinstance(key, datetime):
        raise Bad(f"{key} has a time of day", "a date alone, written YYYY-MM-DD",
                  key.date().isoformat())
    if isinstance(key, date):
        return key
    text = str(key).strip() if isinstance(key, str | int) and not isinstance(key, bool) else ""
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise Bad(f"{text} is not a real date", "a date that exists in the calendar") from None
    loose = _LOOSE_DATE.match(text)
    suggestion = None
    if loose:
        with contextlib.suppress(ValueError):
            suggestion = date(*map(int, loose.groups())).isoformat()
    raise Bad(f"{show(key)} is not a date", "a date written YYYY-MM-DD, e.g. 2024-07-01",
              suggestion)
