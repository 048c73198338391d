"""What counts as done, how far someone is with a badge, and when it is awarded by itself."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from core.domain.learning.requirements import (
    Attempt,
    LastAward,
    Requirement,
    Requires,
    award_due,
    badge_progress,
    counts_as_done,
    merge_status,
    requirement_status,
)
from core.domain.learning.statements import parse_statement
from core.models import Status
from tests.domain.learning import examples

MARCH = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def attempt(
    verb: str = examples.COMPLETED,
    *,
    activity: str = examples.FIRST_AID,
    completion: bool | None = None,
    success: bool | None = None,
    score: float | None = None,
    day: int = 0,
) -> Attempt:
    return Attempt(
        statement_id=uuid.uuid4(),
        activity_id=activity,
        verb_id=verb,
        completion=completion,
        success=success,
        score_scaled=score,
        happened_at=MARCH + timedelta(days=day),
    )


def from_statement(data: dict) -> Attempt:
    statement = parse_statement(data)
    return Attempt(
        statement_id=statement.id,
        activity_id=statement.activity_id,
        verb_id=statement.verb_id,
        completion=statement.completion,
        success=statement.success,
        score_scaled=statement.score_scaled,
        happened_at=statement.happened_at,
    )


COMPLETE = Requirement(examples.FIRST_AID, Requires.COMPLETED)
PASS = Requirement(examples.FIRST_AID, Requires.PASSED)


@pytest.mark.parametrize(
    ("requirement", "made", "done"),
    [
        (COMPLETE, attempt(examples.COMPLETED), True),
        (COMPLETE, attempt(examples.ATTEMPTED, completion=True), True),
        (COMPLETE, attempt("https://w3id.org/xapi/adl/verbs/completed"), True),
        (COMPLETE, attempt(examples.ATTEMPTED), False),
        (COMPLETE, attempt(examples.COMPLETED, completion=False), False),  # the result says otherwise
        (COMPLETE, attempt(examples.PASSED, success=True), False),  # passing is not completing
        (PASS, attempt(examples.PASSED), True),
        (PASS, attempt(examples.ATTEMPTED, success=True), True),
        (PASS, attempt(examples.PASSED, success=False), False),
        (PASS, attempt(examples.FAILED, success=False), False),
        (PASS, attempt(examples.COMPLETED, completion=True), False),
    ],
)
def test_what_counts_as_done(requirement, made, done):
    assert counts_as_done(requirement, made) is done


def test_a_minimum_score_needs_that_score_on_the_same_statement():
    at_least = Requirement(examples.FIRST_AID, Requires.PASSED, min_score=0.8)
    assert counts_as_done(at_least, attempt(examples.PASSED, score=0.8))
    assert counts_as_done(at_least, attempt(examples.PASSED, score=0.95))
    assert not counts_as_done(at_least, attempt(examples.PASSED, score=0.79))
    assert not counts_as_done(at_least, attempt(examples.PASSED))  # no score, no proof
    assert not counts_as_done(at_least, attempt(examples.FAILED, success=False, score=0.9))


def test_realistic_statements():
    assert counts_as_done(COMPLETE, from_statement(examples.completion_with_score()))
    assert counts_as_done(
        Requirement(examples.FIRST_AID, Requires.PASSED, 0.9),
        from_statement(examples.completion_with_score()),
    )
    fire = Requirement(examples.FIRE_SAFETY, Requires.PASSED, 0.8)
    assert counts_as_done(fire, from_statement(examples.cmi5_passed()))
    assert not counts_as_done(
        COMPLETE, from_statement(examples.attempted_hashed() | {"timestamp": "2026-03-01T00:00:00Z"})
    )


def test_a_status_keeps_first_and_last_completion_and_the_latest_score():
    tried = attempt(examples.ATTEMPTED, day=0)
    first = attempt(examples.PASSED, score=0.7, day=2)
    failed = attempt(examples.FAILED, success=False, score=0.4, day=3)
    again = attempt(examples.PASSED, score=0.9, day=5)
    status = requirement_status(PASS, [again, failed, tried, first])  # order does not matter
    assert status.started_at == tried.happened_at
    assert status.done_at == first.happened_at
    assert status.last_done_at == again.happened_at
    assert status.score == 0.9
    assert (status.first_statement, status.last_statement) == (first.statement_id, again.statement_id)
    assert status.done


def test_started_but_not_done():
    status = requirement_status(COMPLETE, [attempt(examples.ATTEMPTED)])
    assert status.started_at is not None
    assert not status.done
    assert status.last_statement is None


def three_activities():
    return [
        Requirement("https://lms.cowork.net/a", Requires.COMPLETED),
        Requirement("https://lms.cowork.net/b", Requires.PASSED),
        Requirement("https://lms.cowork.net/c", Requires.COMPLETED),
    ]


def test_progress_on_a_badge():
    progress = badge_progress(
        three_activities(),
        [
            attempt(activity="https://lms.cowork.net/a"),
            attempt(examples.ATTEMPTED, activity="https://lms.cowork.net/b"),
            attempt(activity="https://lms.cowork.net/elsewhere"),
        ],
    )
    assert (progress.done, progress.required, progress.percent) == (1, 3, 33)
    assert progress.started
    assert not progress.complete
    assert progress.next.requirement.activity_id == "https://lms.cowork.net/b"


def test_percent_is_100_only_when_everything_is_done():
    requirements = [Requirement(f"https://lms.cowork.net/{n}") for n in range(200)]
    attempts = [attempt(activity=f"https://lms.cowork.net/{n}") for n in range(199)]
    assert badge_progress(requirements, attempts).percent == 99


def test_nothing_started():
    progress = badge_progress(three_activities(), [])
    assert (progress.done, progress.percent, progress.started) == (0, 0, False)
    assert progress.next.requirement.activity_id == "https://lms.cowork.net/a"


def test_a_badge_without_requirements_is_never_complete():
    progress = badge_progress([], [attempt()])
    assert not progress.complete
    assert not award_due(progress, None)


def done_on(days: list[int]):
    return badge_progress(
        three_activities(),
        [
            attempt(activity="https://lms.cowork.net/a", day=days[0]),
            attempt(examples.PASSED, activity="https://lms.cowork.net/b", day=days[1]),
            attempt(activity="https://lms.cowork.net/c", day=days[2]),
        ],
    )


def test_a_complete_badge_is_due_when_never_awarded():
    assert award_due(done_on([1, 2, 3]), None)


def test_not_due_while_an_award_is_active():
    assert not award_due(done_on([1, 2, 3]), LastAward(Status.ACTIVE))


def test_a_revoked_award_is_not_given_back_for_the_same_learning():
    revoked = LastAward(Status.REVOKED, ended_at=MARCH + timedelta(days=10))
    assert not award_due(done_on([1, 2, 3]), revoked)
    assert not award_due(done_on([11, 12, 3]), revoked)  # one activity is still the old learning
    assert award_due(done_on([11, 12, 13]), revoked)


def test_an_expired_award_is_renewed_by_learning_after_it_expired():
    expired = LastAward(Status.EXPIRED, ended_at=MARCH + timedelta(days=365))
    assert not award_due(done_on([1, 2, 3]), expired)
    assert award_due(done_on([366, 370, 400]), expired)


def test_merging_new_attempts_gives_what_counting_them_all_gives():
    attempts = [
        attempt(examples.ATTEMPTED, day=4),
        attempt(examples.PASSED, score=0.7, day=2),
        attempt(examples.FAILED, success=False, score=0.4, day=3),
        attempt(examples.PASSED, score=0.9, day=5),
        attempt(examples.PASSED, score=0.95, day=1),
    ]
    whole = requirement_status(PASS, attempts)
    for split in range(len(attempts) + 1):
        older = requirement_status(PASS, attempts[:split])
        assert merge_status(older, attempts[split:]) == whole, split


def test_attempts_at_the_same_moment_count_the_same_in_any_order():
    same_time = [attempt(examples.PASSED, score=s, day=1) for s in (0.5, 0.9, 0.7)]
    assert requirement_status(PASS, same_time) == requirement_status(PASS, reversed(same_time))
