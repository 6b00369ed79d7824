"""A longer fuzz run over rule books and applications: inputs tried, crashes and hangs.

    python benchmarks/fuzz.py --seconds 600            # ten minutes, seed 1
    python benchmarks/fuzz.py --seconds 60 --seed 7 --out fuzz-found

Four kinds of input, in turn, from the mutators the tests use (aidrules/fuzzing.py):

- expressions: a one-line expression of the shipped rule files with characters deleted,
  inserted or replaced (Unicode operators, full-width brackets, CJK, YAML's own characters),
  then the whole book checked;
- rule files: a shipped rule file with a line deleted, repeated, re-indented or cut short;
- applications: a shipped example with values replaced by hostile ones, lists repeated,
  fields removed or invented, read and (if it reads) assessed;
- application files: a shipped example's YAML text with characters mutated, read from disk
  and assessed.

A *crash* is any exception that is not the library's own refusal (RuleBookError problems
all at file:line:col, ApplicationError problems all at a $.path), or an EngineError; a
*hang* is an input still running after --hang seconds (interrupted). Each is written to
--out with its traceback, to be replayed."""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from aidrules import fuzzing
from aidrules.engine import Assessor
from aidrules.errors import ApplicationError
from aidrules.model import read_applications
from aidrules.model.reading import application_to_dict
from aidrules.rulebook import check_rulebook, load_rulebook

ROOT = Path(__file__).resolve().parent.parent


class Hang(Exception):
    """An input ran past the time allowed."""


def _interrupt(signum, frame):  # noqa: ARG001 - a signal handler's signature
    raise Hang


class Run:
    def __init__(self, seed: int, hang: float, out: Path | None) -> None:
        self.rng, self.hang, self.out = random.Random(seed), hang, out
        self.work = Path(tempfile.mkdtemp(prefix="aidrules-fuzz-"))
        self.rules = self.work / "rules"
        shutil.copytree(ROOT / "rules", self.rules, ignore=shutil.ignore_patterns("cases"))
        self.sites = fuzzing.expression_sites(self.rules)
        self.files = sorted(self.rules.rglob("*.yaml"))
        self.assessor = Assessor(load_rulebook(ROOT / "rules", ROOT / "policies"))
        examples = sorted((ROOT / "examples/applications").glob("*.yaml"))
        self.valid = [application_to_dict(a) for p in examples for a in read_applications(p)]
        self.texts = [p.read_text(encoding="utf-8") for p in examples]
        self.counts: Counter = Counter()

    # -- one input of each kind -----------------------------------------------------------
    def expression(self) -> tuple[str, str]:
        path, index = self.rng.choice(self.sites)
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[index] = fuzzing.mutate_line(lines[index], self.rng)
        return self.book(path, "\n".join(lines) + "\n")

    def rule_file(self) -> tuple[str, str]:
        path = self.rng.choice(self.files)
        return self.book(path, fuzzing.mutate_structure(path.read_text(encoding="utf-8"),
                                                        self.rng))

    def book(self, path: Path, text: str) -> tuple[str, str]:
        original = path.read_text(encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        try:
            book, problems = check_rulebook(self.rules, ROOT / "policies")
        finally:
            path.write_text(original, encoding="utf-8")
        if (book is None) != bool(problems) or not fuzzing.problems_are_placed(problems):
            raise AssertionError(f"problems not all placed: {problems[:3]}")
        return ("refused" if problems else "ok"), text

    def application(self) -> tuple[str, str]:
        data = fuzzing.hostile_application(self.rng.choice(self.valid), self.rng)
        shown = json.dumps(data, ensure_ascii=False, default=str)[:20000]
        return fuzzing.try_application(data, self.assessor.assess), shown

    def application_file(self) -> tuple[str, str]:
        text = fuzzing.mutate_expression(self.rng.choice(self.texts), self.rng, edits=3)
        path = self.work / "application.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            applications = read_applications(path)
        except ApplicationError as exc:
            if not all(p.path.startswith("$") for p in exc.problems):
                raise AssertionError(f"problems without a path: {exc.problems[:3]}") from None
            return "refused", text
        outcomes = [fuzzing.try_application(application_to_dict(a), self.assessor.assess)
                    for a in applications]
        return ("ok" if "ok" in outcomes else "refused"), text

    # -- the loop -----------------------------------------------------------------------------
    def run(self, seconds: float) -> None:
        kinds = [self.expression, self.rule_file, self.application, self.application_file]
        signal.signal(signal.SIGALRM, _interrupt)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            kind = self.rng.choice(kinds)
            self.one(kind.__name__, kind)

    def one(self, name: str, kind) -> None:
        self.counts[(name, "tried")] += 1
        signal.setitimer(signal.ITIMER_REAL, self.hang)
        try:
            outcome, _ = kind()
            self.counts[(name, outcome)] += 1
        except Hang:
            self.counts[(name, "hang")] += 1
            self.keep(name, "hang", traceback.format_exc())
        except Exception:  # noqa: BLE001 - a crash is what this run looks for
            self.counts[(name, "crash")] += 1
            self.keep(name, "crash", traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def keep(self, name: str, what: str, trace: str) -> None:
        if self.out is None:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        number = self.counts[(name, what)]
        (self.out / f"{name}-{what}-{number}.txt").write_text(trace, encoding="utf-8")

    def report(self, seconds: float) -> str:
        rows = ["kind               tried   accepted  refused  crashes  hangs"]
        for name in ("expression", "rule_file", "application", "application_file"):
            c = [self.counts[(name, k)] for k in ("tried", "ok", "refused", "crash", "hang")]
            rows.append(f"{name:<18}{c[0]:>6}{c[1]:>11}{c[2]:>9}{c[3]:>9}{c[4]:>7}")
        total = sum(self.counts[(n, "tried")] for n in ("expression", "rule_file",
                                                         "application", "application_file"))
        crashes = sum(v for (n, k), v in self.counts.items() if k == "crash")
        hangs = sum(v for (n, k), v in self.counts.items() if k == "hang")
        rows.append(f"{total} inputs in {seconds:.0f} s: {crashes} crash(es), {hangs} hang(s)")
        return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long to run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang", type=float, default=10,
                        help="seconds after which one input counts as a hang")
    parser.add_argument("--out", type=Path, default=None,
                        help="a directory for the tracebacks of crashes and hangs")
    args = parser.parse_args()
    run = Run(args.seed, args.hang, args.out)
    started = time.monotonic()
    try:
        run.run(args.seconds)
    finally:
        shutil.rmtree(run.work, ignore_errors=True)
    print(run.report(time.monotonic() - started))


if __name__ == "__main__":
    main()
