"""Where the rule book is: the copy shipped with the package, or a county's own.

A folder (``rules``, ``policies``, ``feeds``, ``warnings``) is found, first match wins:

1. given explicitly (a command's option, an argument of ``load_book``);
2. the environment variable ``AIDRULES_<NAME>`` (``AIDRULES_RULES``, ``AIDRULES_POLICIES``);
3. ``[book]`` in ``aidrules.toml`` in the current directory (or the file named by
   ``AIDRULES_CONFIG``), a relative path read from the file's own folder;
4. a folder of that name in the current directory, as before (a checkout, or a county's
   book laid out like one);
5. the copy shipped inside the package (a wheel), or the repository's top-level folder
   (an editable install).

Overlays (folders of policy files laid over the policies) are found the same way:
``--overlay``, ``AIDRULES_OVERLAYS`` or ``[book] overlays = [...]``; none by default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path

from aidrules.errors import AidrulesError
from aidrules.policy import Overlay
from aidrules.rulebook import RuleBook, load_rulebook

CONFIG = "aidrules.toml"
FOLDERS = ("rules", "policies", "feeds", "warnings", "examples/applications")
_PACKAGE = Path(__file__).resolve().parent


class ConfigError(AidrulesError, ValueError):
    """``aidrules.toml`` cannot be read, or names a folder in a way that cannot work."""


def shipped(name: str) -> Path:
    """The shipped folder ``name`` (one of FOLDERS): in the wheel, else in the checkout."""
    for place in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if place.is_dir():
            return place
    raise AidrulesError(f"the shipped {name}/ is missing from this installation of aidrules "
                        f"(looked in {_PACKAGE / '_shipped'}); reinstall the package")


def load_book(rules: Path | str | None = None, policies: Path | str | None = None,
              overlays: Iterable[Overlay] | None = None) -> RuleBook:
    """The rule book: the shipped one, or the county's own (see the module's docstring),
    with ``overlays`` laid over its policies (as for load_rulebook; default: the ones
    configured, else none).

    Raises RuleBookError listing every problem: a book loads whole or not at all.
    """
    return load_rulebook(located("rules", rules), located("policies", policies),
                         located_overlays(overlays))


def located_overlays(given: Iterable[Overlay] | None = None) -> list[Overlay]:
    """The overlays given (even none, as ``[]``), else ``AIDRULES_OVERLAYS`` (folders
    separated by the system's path separator), else ``[book] overlays`` in aidrules.toml."""
    if given is not None:
        return list(given)
    if os.environ.get("AIDRULES_OVERLAYS"):
        return [Path(p) for p in os.environ["AIDRULES_OVERLAYS"].split(os.pathsep) if p]
    file = _config_file()
    if file is None:
        return []
    value = _book_table(file).get("overlays", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{file}: [book] overlays={value!r} is not a list of folders; "
                          "expected a list like [\"proposals/2026\"]")
    return [file.resolve().parent / v for v in value]


def located(name: str, given: Path | str | None = None) -> Path:
    """The folder ``name`` as given, or from the environment, aidrules.toml, or the package."""
    if given is not None:
        return Path(given)
    variable = "AIDRULES_" + name.upper().replace("/", "_")
    if os.environ.get(variable):
        return Path(os.environ[variable])
    configured = _configured(name)
    if configured is not None:
        return configured
    return Path(name) if Path(name).is_dir() else shipped(name)


def _config_file() -> Path | None:
    file = Path(os.environ.get("AIDRULES_CONFIG") or CONFIG)
    return file if file.is_file() else None


def _configured(name: str) -> Path | None:
    file = _config_file()
    if file is None:
        return None
    value = _book_table(file).get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{file}: [book] {name}={value!r} is not a folder; expected a path "
                          "like \"county/rules\"")
    return file.resolve().parent / value


def _book_table(file: Path) -> dict:
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8")).get("book", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read: {exc}") from None
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [book] must be a table, like [book] rules = \"rules\"")
    return table
