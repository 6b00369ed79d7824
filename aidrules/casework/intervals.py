"""Which review interval a household is on (民发〔2021〕57号 art. 31): the shorter one where
a member's work ability means the income may change, the longer one otherwise. Which
abilities count is the policy parameter ``review.unstable_work_abilities``."""

from __future__ import annotations

from collections.abc import Iterable


def review_interval(work_abilities: Iterable[str | None], unstable: Iterable[str]) -> str:
    """``unstable`` if any member's work ability is one of ``unstable``, else ``stable``
    (an unknown ability, None, counts as neither)."""
    shorter = set(unstable)
    return "unstable" if any(a in shorter for a in work_abilities) else "stable"
