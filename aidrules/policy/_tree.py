"""The loaded policy tree and its "as of a date" lookups."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from aidrules.errors import PolicyLookupError, Problem, RuleBookError, did_you_mean
from aidrules.policy import _overlay, _values
from aidrules.policy._load import Inherit, Loaded, Reader, ancestors
from aidrules.policy._overlay import Overlay
from aidrules.policy._records import UNITS, Jurisdiction, Parameter, ParameterValue, Rounding


class PolicyTree:
    """Every dated parameter of every jurisdiction, loaded whole or not at all."""

    def __init__(self, loaded: Loaded) -> None:
        self._loaded = loaded
        self.digest: str = loaded.digest  # sha256 of every file's path and content

    @classmethod
    def load(cls, root: Path | str, overlays: Iterable[Overlay] = ()) -> PolicyTree:
        """The tree under ``root`` with ``overlays`` laid over it (directories of policy
        files, in order, then inline values); raises RuleBookError listing every problem."""
        tree, problems = cls.check(root, overlays)
        if tree is None:
            raise RuleBookError(problems, source=str(root))
        return tree

    @classmethod
    def check(cls, root: Path | str, overlays: Iterable[Overlay] = ()
              ) -> tuple[PolicyTree | None, list[Problem]]:
        """The tree and no problems, or None and every problem; never raises for bad files."""
        return cls._read(root, overlays)[:2]

    @classmethod
    def declared(cls, root: Path | str, overlays: Iterable[Overlay] = ()
                 ) -> Mapping[str, Parameter]:
        """Every parameter declared well under ``root``, even when other files are wrong:
        what rules may read while those are being fixed."""
        return MappingProxyType(cls._read(root, overlays)[2])

    @classmethod
    def _read(cls, root: Path | str, overlays: Iterable[Overlay] = ()):
        overlays = list(overlays)
        absent = [Problem(str(d), 1, 1, "the overlay directory does not exist",
                          "a directory of policy files laid out as policies/ is")
                  for d in _overlay.missing(overlays)]
        if absent:
            return None, absent, {}
        with _overlay.laid_over(Path(root), overlays) as (laid, labels):
            reader = Reader(laid, labels, _overlay.inline(overlays))
            loaded = reader.read()
        return (cls(loaded) if loaded is not None else None), reader.problems, reader.declared

    def parameters(self) -> Mapping[str, Parameter]:
        return MappingProxyType(self._loaded.parameters)

    def jurisdictions(self) -> Mapping[str, Jurisdiction]:
        return MappingProxyType(self._loaded.jurisdictions)

    def history(self, name: str) -> list[ParameterValue]:
        """Every dated value of ``name`` in every layer, layer by layer (national first),
        each layer's values by date; ``inherit`` markers are left out."""
        layers = self._loaded.entries.get(name, {})
        return [entry for layer in sorted(layers, key=lambda lay: (len(ancestors(lay)), lay))
                for entry in layers[layer] if isinstance(entry, ParameterValue)]

    def assumed(self) -> list[ParameterValue]:
        """Every value marked ``assumed``, by file and date: what a county should confirm."""
        found = [entry for layers in self._loaded.entries.values() for entries in layers.values()
                 for entry in entries if isinstance(entry, ParameterValue) and entry.assumed]
        return sorted(found, key=lambda v: (v.file, v.effective_from))

    def dates(self, name: str) -> list[date]:
        """Every date on which some layer sets or hands back a value of ``name``, sorted."""
        layers = self._loaded.entries.get(name, {})
        return sorted({e.effective_from for entries in layers.values() for e in entries})

    def value(self, name: str, jurisdiction: str, on: date, *, unit: str | None = None
              ) -> ParameterValue:
        """The value of ``name`` in force for ``jurisdiction`` on ``on``.

        The most specific layer on the path national → … → jurisdiction that has a
        value dated on or before ``on`` wins (an ``inherit`` entry hands over to the
        layer above); within that layer, the latest such value. ``unit`` converts
        yuan/month ↔ yuan/year exactly.
        """
        _check_date(on)
        where = f"{jurisdiction} on {on}"
        self._check_jurisdiction(jurisdiction, f"{name} on {on}")
        layers = self._loaded.entries.get(name)
        if layers is None:
            raise PolicyLookupError(_unknown(name, self._loaded.parameters, where))
        path = ancestors(jurisdiction)
        for layer in reversed(path):
            entries = layers.get(layer, [])
            index = bisect.bisect_right([e.effective_from for e in entries], on) - 1
            if index >= 0 and isinstance(found := entries[index], ParameterValue):
                return _in_unit(found, unit, where)
        raise PolicyLookupError(_no_value(name, jurisdiction, on, path, layers,
                                          self._loaded.parameters.get(name)))

    def at(self, jurisdiction: str, on: date) -> PolicySnapshot:
        """Every parameter in force for ``jurisdiction`` on ``on``, as one mapping."""
        _check_date(on)
        self._check_jurisdiction(jurisdiction, f"parameters on {on}")
        found = {}
        for name in sorted(self._loaded.entries):
            try:
                found[name] = self.value(name, jurisdiction, on)
            except PolicyLookupError:
                continue
        return PolicySnapshot(self, jurisdiction, on, found)

    def _check_jurisdiction(self, jurisdiction: str, what: str) -> None:
        known = self._loaded.jurisdictions
        if jurisdiction in known:
            return
        by_name = [j.path for j in known.values() if jurisdiction in (
            j.name, j.name_en, j.code, j.path.rsplit("/", 1)[-1])]
        guess = by_name[0] if len(by_name) == 1 else did_you_mean(str(jurisdiction), known)
        text = f"unknown jurisdiction {jurisdiction!r} (looking up {what}); known: " + \
            ", ".join(sorted(known))
        raise PolicyLookupError(text + (f"; did you mean '{guess}'?" if guess else ""))


class PolicySnapshot(Mapping[str, ParameterValue]):
    """The parameters in force for one jurisdiction on one date.

    Names with no value then are absent; asking for one raises PolicyLookupError
    with the reason. ``version`` is equal for equal snapshots (same jurisdiction,
    same values from the same layers and dates), whatever the date asked.
    """

    def __init__(self, tree: PolicyTree, jurisdiction: str, on: date,
                 values: dict[str, ParameterValue]) -> None:
        self._tree, self.jurisdiction, self.on, self._values = tree, jurisdiction, on, values
        canonical = [[v.name, v.jurisdiction, v.effective_from.isoformat(), v.unit,
                      _canonical(v.value)] for v in values.values()]
        text = json.dumps([jurisdiction, canonical], ensure_ascii=False, sort_keys=True)
        self.version: str = hashlib.sha256(text.encode()).hexdigest()[:16]

    def __getitem__(self, name: str) -> ParameterValue:
        if name in self._values:
            return self._values[name]
        return self._tree.value(name, self.jurisdiction, self.on)  # raises with the reason

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"<PolicySnapshot {self.jurisdiction} {self.on} version={self.version}>"


def _check_date(on: Any) -> None:
    if not isinstance(on, date) or isinstance(on, datetime):
        raise TypeError(f"on={on!r} must be a datetime.date (the application date), "
                        "not a datetime or text")


def _canonical(value: Any) -> Any:
    if isinstance(value, bool | str):
        return value
    if isinstance(value, Decimal | Fraction | int):
        return str(Fraction(value))
    if isinstance(value, Rounding):
        return f"rounding {value.to} {value.mode}" + ("" if value.per == "month" else " per year")
    if isinstance(value, dict):  # a table
        return {key: _canonical(item) for key, item in value.items()}
    return list(value)


def _in_unit(found: ParameterValue, unit: str | None, where: str) -> ParameterValue:
    if unit is None or unit == found.unit:
        return found
    if unit not in UNITS:
        guess = did_you_mean(unit, UNITS)
        raise PolicyLookupError(f"unknown unit {unit!r} asked for {found.name} ({where})"
                                + (f"; did you mean '{guess}'?" if guess else ""))
    head = f"{found.name} is in {found.unit} and cannot be given in {unit} ({where})"
    if (found.unit, unit) not in _values.CONVERSIONS:
        raise PolicyLookupError(head)
    try:
        value = {k: _values.convert(v, found.unit, unit) for k, v in found.value.items()} \
            if isinstance(found.value, dict) else _values.convert(found.value, found.unit, unit)
    except _values.Bad as exc:
        raise PolicyLookupError(f"{head}: {exc.message}") from None
    return attrs.evolve(found, value=value, unit=unit)


def _unknown(name: str, parameters: Mapping[str, Parameter], where: str) -> str:
    guess = did_you_mean(str(name), parameters)
    return f"unknown parameter {name!r} (looked up for {where})" + (
        f"; did you mean '{guess}'?" if guess else "")


def _no_value(name: str, jurisdiction: str, on: date, path: list[str],
              layers: Mapping[str, list[Any]], declared: Parameter | None) -> str:
    head = f"{name} has no value for {jurisdiction} on {on}"
    on_path = [e for layer in path for e in layers.get(layer, [])]
    values = [e for e in on_path if isinstance(e, ParameterValue)]
    if not values:
        return f"{head}: {_set_where(name, jurisdiction, layers, declared)}"
    first = min(values, key=lambda v: v.effective_from)
    if first.effective_from > on:
        return (f"{head}: its first value starts {first.effective_from} "
                f"({first.file}:{first.line})")
    stop = max((e for e in on_path if isinstance(e, Inherit) and e.effective_from <= on),
               key=lambda e: e.effective_from)
    return (f"{head}: {stop.jurisdiction} stops overriding from {stop.effective_from} "
            f"({stop.file}:{stop.line}) and no layer above has a value by then")


def _set_where(name: str, jurisdiction: str, layers: Mapping[str, list[Any]],
               declared: Parameter | None) -> str:
    """Where a parameter with no value on a jurisdiction's path is set, and where to set it."""
    setting = [lay for lay in sorted(layers) if layers[lay]]
    tops = [lay for lay in setting if not any(a in setting for a in ancestors(lay)[:-1])]
    where = f"set only in {' and '.join(tops)} and the jurisdictions below" if tops else \
        "given no value in any jurisdiction"
    if declared is None or "national" not in layers:
        return f"it is {where}"
    target = "/".join([declared.file.split("/", 1)[0], *jurisdiction.split("/"),
                       *name.split(".")]) + ".yaml"
    return (f"it is declared in {declared.file} with no national value and {where}; "
            f"expected a value in {target} (or in a layer above it)")
