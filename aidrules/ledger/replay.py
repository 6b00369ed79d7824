"""Replay: re-assess a past assessment from its household's chain, under the rule book on
hand (which must be the one it was made with), and check the result is the one recorded;
a decision's approved aids must be eligible in its replayed assessment."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session

from aidrules import model
from aidrules.casework.assessment import is_compact, is_screened, outcomes
from aidrules.casework.errors import ReplayMismatch
from aidrules.engine import Assessor
from aidrules.ledger import tables as t
from aidrules.ledger.chain import canonical_json
from aidrules.ledger.store import get, sha256
from aidrules.ledger.views import chain


def replay(s: Session, assessor: Assessor, assessment_id: int) -> dict[str, Any]:
    """The replayed assessment document; ReplayMismatch on any difference."""
    row = get(s, t.Assessment, assessment_id)
    entries = [(e.kind, json.loads(e.payload)) for e in chain(s, row.household_id)]
    made = next((p for kind, p in entries if kind == "assessed"
                 and p["assessment"] == assessment_id), None)
    if made is None:
        raise ReplayMismatch(f"assessment {assessment_id} is not in its household's chain")
    filed = next(p for kind, p in entries if kind == "application_filed"
                 and p["application"] == made["application"])
    book = assessor.book
    if made["rulebook"]["digest"] != book.digest:
        raise ReplayMismatch(f"assessment {assessment_id} was made with rule book digest "
                             f"{made['rulebook']['digest']}; this one is {book.digest}")
    application = model.application_from_dict(filed["document"])
    replayed = assessor.assess(application, on=date.fromisoformat(made["on"]),
                               jurisdiction=made["jurisdiction"])
    if replayed.policy_version != made["policy_version"]:
        raise ReplayMismatch(f"assessment {assessment_id} used policy version "
                             f"{made['policy_version']}; the policies here give "
                             f"{replayed.policy_version}")
    document = replayed.to_json(detail="full")
    if made.get("made_by") == "screening":
        stored = json.loads(row.result)  # the chain sealed the screening row's stored form
        if sha256(canonical_json(stored)) != made["result_sha256"] \
                or outcomes(document) != outcomes(stored):
            raise ReplayMismatch(f"assessment {assessment_id} (a screening's) replays to a "
                                 "different result")
        return document
    if sha256(canonical_json(document)) != made["result_sha256"]:
        raise ReplayMismatch(f"assessment {assessment_id} replays to a different result")
    return document


def replay_decision(s: Session, assessor: Assessor, decision_id: int) -> dict[str, Any]:
    """The decision as the chain recorded it, once its assessment replays and the approved
    aids were eligible in it."""
    decision = get(s, t.Decision, decision_id)
    household = get(s, t.Case, decision.case_id).household_id
    recorded: dict[str, Any] = next(
        p for kind, p in ((e.kind, json.loads(e.payload)) for e in chain(s, household))
        if kind == "decided" and p["decision"] == decision_id)
    document = replay(s, assessor, recorded["assessment"])
    eligible = {r["aid"] for r in document["results"] if r["status"] == "eligible"}
    if not set(recorded["aids"]) <= eligible:
        raise ReplayMismatch(f"decision {decision_id} approved {recorded['aids']}, "
                             f"the replayed assessment finds eligible only {sorted(eligible)}")
    return recorded


def full_document(s: Session, assessor: Callable[[], Assessor], row: t.Assessment
                  ) -> dict[str, Any]:
    """The assessment's full document (with every rule's reasons): as stored by a ledger
    from before compact storage, or recomputed from the facts on file under the rule book
    and policies it was made with, and checked against the sha256 kept when it was made
    (made by a screening: against the statuses, amounts and reasons' ids it keeps)
    (ReplayMismatch if they are not the ones on hand, or it does not recompute)."""
    stored: dict[str, Any] = json.loads(row.result)
    if not is_compact(stored):
        return stored
    book = assessor().book
    if stored["rulebook"]["digest"] != book.digest:
        raise ReplayMismatch(f"assessment {row.id} is kept compact: its full reasons are "
                             f"recomputed under the rule book it was made with (digest "
                             f"{stored['rulebook']['digest']}); this one is {book.digest}")
    facts = json.loads(get(s, t.Application, row.application_id).document)
    made = assessor().assess(model.application_from_dict(facts), on=row.on,
                             jurisdiction=row.jurisdiction)
    if made.policy_version != stored["policy_version"]:
        raise ReplayMismatch(f"assessment {row.id} used policy version "
                             f"{stored['policy_version']}; the policies here give "
                             f"{made.policy_version}")
    document = made.to_json(detail="full")
    if is_screened(stored):  # no full document was hashed: it must say what the row said
        if outcomes(document) != outcomes(stored):
            raise ReplayMismatch(f"assessment {row.id} (a screening's) does not recompute to "
                                 "the statuses and amounts it was made with")
        return document
    if sha256(canonical_json(document)) != stored["full_sha256"]:
        raise ReplayMismatch(f"assessment {row.id} does not recompute to the document it "
                             "was made with")
    return document
