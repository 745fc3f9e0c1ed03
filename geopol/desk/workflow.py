"""The desk's review workflow, as pure rules (no ORM; tested without a database).

    draft -> in review -> approved -> scheduled | published -> retracted

Analysts write and submit; editors review (approve or send back with a reason), schedule,
publish and retract. Every move is a `Move`; `check` says whether a reader of a role may make
it from a stage, with a message that says why not. `stage_of` gives the stage that is true
now: a scheduled piece whose time has passed is published, whatever its row says.

The article row keeps the statuses readers' visibility depends on (draft, review, scheduled,
published, retracted); "approved" is a piece in review that an editor approved (the desk's
own record), so approving changes nothing readers can see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DRAFT, REVIEW, APPROVED, SCHEDULED, PUBLISHED, RETRACTED = (
    "draft",
    "review",
    "approved",
    "scheduled",
    "published",
    "retracted",
)
STAGES = (DRAFT, REVIEW, APPROVED, SCHEDULED, PUBLISHED, RETRACTED)
LABELS = {
    DRAFT: "Draft",
    REVIEW: "In review",
    APPROVED: "Approved",
    SCHEDULED: "Scheduled",
    PUBLISHED: "Published",
    RETRACTED: "Retracted",
}
ANALYST, EDITOR = "analyst", "editor"


class WorkflowError(Exception):
    """A move that is not allowed; the message says why and what to do instead."""


@dataclass(frozen=True)
class Move:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    editor_only: bool = True
    owner_only: bool = False  # analysts may make it on their own pieces only
    needs_reason: bool = False
    needs_time: bool = False  # a publication time in the future


MOVES: dict[str, Move] = {
    m.action: m
    for m in (
        Move("submit", "Submit for review", (DRAFT,), REVIEW, editor_only=False, owner_only=True),
        Move("withdraw", "Withdraw to draft", (REVIEW,), DRAFT, editor_only=False, owner_only=True),
        Move("approve", "Approve", (REVIEW,), APPROVED),
        Move("send_back", "Send back", (REVIEW, APPROVED), DRAFT, needs_reason=True),
        Move("publish", "Publish now", (APPROVED,), PUBLISHED),
        Move("schedule", "Schedule", (APPROVED,), SCHEDULED, needs_time=True),
        Move("unschedule", "Unschedule", (SCHEDULED,), APPROVED),
        Move("retract", "Retract", (PUBLISHED,), RETRACTED, needs_reason=True),
        Move("reopen", "Reopen as a draft", (RETRACTED,), DRAFT),
    )
}

# the article row's status for each stage (approved pieces are still in review to readers)
ROW_STATUS = {
    DRAFT: "draft",
    REVIEW: "review",
    APPROVED: "review",
    SCHEDULED: "scheduled",
    PUBLISHED: "published",
    RETRACTED: "retracted",
}


def stage_of(status: str, published_at: dt.datetime, approved: bool, now: dt.datetime) -> str:
    """The stage that is true at `now` for an article row's status and time and the desk's
    approval."""
    if status == "scheduled" and published_at <= now:
        return PUBLISHED
    if status == "review" and approved:
        return APPROVED
    if status not in STAGES:
        raise WorkflowError(f"unknown status {status!r}")
    return status


def check(
    action: str,
    stage: str,
    role: str,
    is_owner: bool,
    reason: str = "",
    when: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Move:
    """The move `action` if a `role` reader (owning the piece or not) may make it from
    `stage`; else WorkflowError saying why."""
    move = MOVES.get(action)
    if move is None:
        raise WorkflowError(f"no such move {action!r}; moves are {', '.join(MOVES)}")
    if role not in (ANALYST, EDITOR):
        raise WorkflowError("only analysts and editors work on the desk")
    if move.editor_only and role != EDITOR:
        raise WorkflowError(f"only an editor may {move.label.lower()}; ask an editor")
    if move.owner_only and role != EDITOR and not is_owner:
        raise WorkflowError(f"only the piece's author or an editor may {move.label.lower()}")
    if stage not in move.sources:
        allowed = " or ".join(LABELS[s].lower() for s in move.sources)
        raise WorkflowError(
            f"cannot {move.label.lower()} a piece that is {LABELS[stage].lower()} "
            f"(only one {allowed})"
        )
    if move.needs_reason and not reason.strip():
        raise WorkflowError(f"{move.label}: give a reason (the author is told it)")
    if move.needs_time:
        if when is None:
            raise WorkflowError("Schedule: give the publication time (UTC)")
        if now is not None and when <= now:
            raise WorkflowError("Schedule: the time has passed; give a later one or publish now")
    return move


def moves_for(stage: str, role: str, is_owner: bool) -> list[Move]:
    """The moves this reader may make from `stage` (reasons and times asked for later)."""
    found = []
    for move in MOVES.values():
        if stage not in move.sources:
            continue
        if move.editor_only and role != EDITOR:
            continue
        if move.owner_only and role != EDITOR and not is_owner:
            continue
        found.append(move)
    return found


def can_edit(stage: str, role: str, is_owner: bool) -> bool:
    """Editors edit any piece (a correction to a published one is a new revision); analysts
    their own drafts only: a piece in review is the reviewer's to judge."""
    if role == EDITOR:
        return True
    return role == ANALYST and is_owner and stage == DRAFT


def autosaves(stage: str) -> bool:
    """Only drafts save themselves while written: anything further along is saved on purpose
    (an autosave of a published piece would put half a sentence in front of readers)."""
    return stage == DRAFT
