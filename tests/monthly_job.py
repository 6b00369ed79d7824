"""The monthly job in a process of its own, for the fault-injection tests
(tests/test_month_resume.py).

    python -m tests.monthly_job month URL COUNTY DAY     # run_month on COUNTY's feeds
    python -m tests.monthly_job demo PATH HOUSEHOLDS     # aidrules demo --db PATH

With ``AIDRULES_TEST_KILL_AT_COMMIT=N`` the process dies (``os._exit``, no clean-up, as
kill -9 or a power cut would leave it) when the database is about to make its Nth commit:
that commit and everything after it never happen. Otherwise it prints how many commits
the job made. The hook lives here, in the test, not in the library's path.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
KILLED = 86  # the exit status of a process killed at a commit


def die_at_commit(kill_at: int) -> list[int]:
    """Count every commit of every database connection; die at the ``kill_at``th."""
    commits = [0]

    @event.listens_for(Engine, "commit")
    def _commit(connection):
        commits[0] += 1
        if commits[0] == kill_at:
            os._exit(KILLED)
    return commits


def month(url: str, county: Path, today: date) -> None:
    from aidrules.engine import Assessor
    from aidrules.ledger import Ledger
    from aidrules.model import application_from_dict
    from aidrules.monitoring import load_mapping, load_warning_rules, read_register
    from aidrules.monitoring.synthetic import Facts
    from aidrules.month import FeedFile, run_month
    from aidrules.rulebook import load_rulebook

    manifest = json.loads((county / "manifest.json").read_text(encoding="utf-8"))
    feeds = [FeedFile(load_mapping(ROOT / "feeds" / f"{name}.yaml"),
                      county / "feeds" / manifest["month"] / feed["file"])
             for name, feed in manifest["feeds"].items()]
    facts = Facts(county / "register")
    assessor = Assessor(load_rulebook(ROOT / "rules", ROOT / "policies"))
    ledger = Ledger.open(url, assessor=assessor)
    try:
        run_month(ledger, read_register(county / "register"),
                  load_warning_rules(ROOT / "warnings", ROOT / "policies"), feeds, today,
                  lambda h: application_from_dict(facts.application(h, today)),
                  engine=assessor.engine)
    finally:
        ledger.close()


def demo(db: Path, households: int) -> None:
    from aidrules.demo import Places, run_demo

    run_demo(db, households, seed=3, places=Places(
        ROOT / "rules", ROOT / "policies", ROOT / "feeds", ROOT / "warnings",
        ROOT / "examples" / "applications"))


def main(args: list[str]) -> None:
    commits = die_at_commit(int(os.environ.get("AIDRULES_TEST_KILL_AT_COMMIT", "0")))
    if args[0] == "month":
        month(args[1], Path(args[2]), date.fromisoformat(args[3]))
    else:
        demo(Path(args[1]), int(args[2]))
    print(commits[0])


if __name__ == "__main__":
    main(sys.argv[1:])
