"""The ``aidrules`` console script and ``python -m aidrules``. It imports the command line
itself, so that a rules engine built in a way that cannot work here (InstallationError,
raised on import) is told in one line with what to do, not as a traceback."""

from __future__ import annotations

import sys

from aidrules.errors import InstallationError


def main() -> None:
    try:
        from aidrules.cli import main as run
    except InstallationError as exc:
        print(f"aidrules: {exc}", file=sys.stderr)
        sys.exit(1)
    run()


if __name__ == "__main__":  # pragma: no cover
    main()
