"""The review workflow's rules, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from geopol.desk import workflow as wf

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_a_scheduled_piece_whose_time_passed_is_published():
    assert wf.stage_of("scheduled", NOW + dt.timedelta(minutes=1), False, NOW) == wf.SCHEDULED
    assert wf.stage_of("scheduled", NOW, False, NOW) == wf.PUBLISHED
    assert wf.stage_of("scheduled", NOW - dt.timedelta(days=3), True, NOW) == wf.PUBLISHED


def test_approval_is_a_stage_of_its_own_only_in_review():
    assert wf.stage_of("review", NOW, True, NOW) == wf.APPROVED
    assert wf.stage_of("review", NOW, False, NOW) == wf.REVIEW
    assert wf.stage_of("draft", NOW, True, NOW) == wf.DRAFT


@pytest.mark.parametrize("action", ["approve", "publish", "schedule", "retract", "send_back"])
def test_an_analyst_cannot_make_an_editors_move(action):
    stage = wf.MOVES[action].sources[0]
    with pytest.raises(wf.WorkflowError, match="only an editor"):
        wf.check(action, stage, wf.ANALYST, True, reason="x", when=NOW, now=NOW)


def test_the_happy_path_for_an_editor():
    stage = wf.DRAFT
    for action in ("submit", "approve", "publish", "retract", "reopen"):
        stage = wf.check(action, stage, wf.EDITOR, False, reason="a reason").target
    assert stage == wf.DRAFT


def test_an_analyst_submits_and_withdraws_only_their_own():
    assert wf.check("submit", wf.DRAFT, wf.ANALYST, True).target == wf.REVIEW
    with pytest.raises(wf.WorkflowError, match="author"):
        wf.check("submit", wf.DRAFT, wf.ANALYST, False)
    assert wf.check("withdraw", wf.REVIEW, wf.ANALYST, True).target == wf.DRAFT


def test_moves_from_the_wrong_stage_say_which_stage_they_need():
    with pytest.raises(wf.WorkflowError, match="cannot publish now a piece that is draft"):
        wf.check("publish", wf.DRAFT, wf.EDITOR, True)
    with pytest.raises(wf.WorkflowError, match="only one approved"):
        wf.check("schedule", wf.REVIEW, wf.EDITOR, True, when=NOW)


def test_sending_back_and_retracting_need_a_reason():
    with pytest.raises(wf.WorkflowError, match="give a reason"):
        wf.check("send_back", wf.REVIEW, wf.EDITOR, False, reason="  ")
    assert wf.check("send_back", wf.APPROVED, wf.EDITOR, False, reason="sources").target == wf.DRAFT
    with pytest.raises(wf.WorkflowError, match="give a reason"):
        wf.check("retract", wf.PUBLISHED, wf.EDITOR, False)


def test_scheduling_needs_a_future_time():
    with pytest.raises(wf.WorkflowError, match="give the publication time"):
        wf.check("schedule", wf.APPROVED, wf.EDITOR, False, now=NOW)
    with pytest.raises(wf.WorkflowError, match="has passed"):
        wf.check("schedule", wf.APPROVED, wf.EDITOR, False, when=NOW, now=NOW)
    later = NOW + dt.timedelta(hours=2)
    assert wf.check("schedule", wf.APPROVED, wf.EDITOR, False, when=later, now=NOW).target == (
        wf.SCHEDULED
    )


def test_moves_offered_match_the_checks():
    for stage in wf.STAGES:
        for role in (wf.ANALYST, wf.EDITOR):
            for owner in (True, False):
                offered = {m.action for m in wf.moves_for(stage, role, owner)}
                for action in wf.MOVES:
                    try:
                        wf.check(
                            action,
                            stage,
                            role,
                            owner,
                            reason="r",
                            when=NOW + dt.timedelta(days=1),
                            now=NOW,
                        )
                        allowed = True
                    except wf.WorkflowError:
                        allowed = False
                    assert (action in offered) == allowed, (stage, role, owner, action)


def test_who_edits_what():
    assert wf.can_edit(wf.DRAFT, wf.ANALYST, True)
    assert not wf.can_edit(wf.DRAFT, wf.ANALYST, False)
    assert not wf.can_edit(wf.REVIEW, wf.ANALYST, True)
    assert wf.can_edit(wf.PUBLISHED, wf.EDITOR, False)
    assert not wf.can_edit(wf.DRAFT, "", True)
    assert wf.autosaves(wf.DRAFT) and not wf.autosaves(wf.PUBLISHED)
