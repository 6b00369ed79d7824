"""The project cites the legal texts and public pages themselves, never a document outside
its own repository (the research notes it was built from, or their source tags)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("rules", "policies", "docs", "examples", "aidrules")
OUTSIDE = re.compile(r"policy-research|\.\./shared|\[S\d+[a-z]?\d*\]")


def _files():
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".yaml", ".yml", ".md", ".py", ".txt", ".j2"}:
                yield path


def test_no_file_refers_to_documents_outside_the_repository():
    hits = [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
            for path in _files()
            for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace")
                                     .splitlines(), 1)
            if OUTSIDE.search(line)]
    assert not hits, "cite the legal text or its public page instead:\n" + "\n".join(hits)
