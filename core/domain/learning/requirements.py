"""What counts as done: a badge's learning requirements against someone's statements.

A badge lists activities (xAPI activity IRIs); each says what counts:

- ``completed``: a statement about the activity with ``result.completion`` true, or
  with the verb *completed* when the statement says nothing about completion;
- ``passed``: ``result.success`` true, or the verb *passed* when it says nothing about
  success (a *failed* statement, or ``success: false``, never passes);

and, optionally, a minimum ``result.score.scaled`` that the same statement must reach
(a statement without a scaled score then does not count).

An explicit result wins over the verb: "completed" with ``completion: false`` is not
a completion. The spec lets a system read meaning only from the verb IRI and the
result, never from display names (xAPI-Data 2.4.3), so that is all that is read.

Voided statements never reach these functions: the caller leaves them out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.models.learning import Requires
from core.models.status import Status

# ADL's verbs, under their xAPI 1.0 IRIs and the w3id.org IRIs of ADL's vocabulary.
COMPLETED_VERBS = frozenset(
    {"http://adlnet.gov/expapi/verbs/completed", "https://w3id.org/xapi/adl/verbs/completed"}
)
PASSED_VERBS = frozenset({"http://adlnet.gov/expapi/verbs/passed", "https://w3id.org/xapi/adl/verbs/passed"})


@dataclass(frozen=True)
class Requirement:
    activity_id: str
    requires: Requires = Requires.COMPLETED
    min_score: float | None = None  # a scaled score, 0 to 1


@dataclass(frozen=True)
class Attempt:
    """One (not voided) statement about an activity, as far as requirements care."""

    statement_id: uuid.UUID
    activity_id: str
    verb_id: str
    completion: bool | None
    success: bool | None
    score_scaled: float | None
    happened_at: datetime


@dataclass(frozen=True)
class RequirementStatus:
    """How far one person is with one requirement.

    A fold over their attempts (minimums and maximums), so a status can be merged with
    new attempts without the old ones (:func:`merge_status`): the ingest service keeps it
    current batch by batch, and recomputes from every statement only after a voiding.
    """

    requirement: Requirement
    started_at: datetime | None = None  # their first statement about the activity, whatever it said
    done_at: datetime | None = None  # the first statement that counts as done...
    first_statement: uuid.UUID | None = None  # ...and its id
    last_done_at: datetime | None = None  # the latest (a renewal counts completions after an expiry)...
    last_statement: uuid.UUID | None = None  # ...its id: the evidence of an award...
    score: float | None = None  # ...and its scaled score, if it had one

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def done_after(self, moment: datetime | None) -> bool:
        """Done by a statement that happened after ``moment`` (any time when None)."""
        if moment is None:
            return self.done
        return self.last_done_at is not None and self.last_done_at > moment


def counts_as_done(requirement: Requirement, attempt: Attempt) -> bool:
    if requirement.requires == Requires.PASSED:
        ok = attempt.success if attempt.success is not None else attempt.verb_id in PASSED_VERBS
    else:
        ok = attempt.completion if attempt.completion is not None else attempt.verb_id in COMPLETED_VERBS
    if not ok:
        return False
    if requirement.min_score is not None:
        return attempt.score_scaled is not None and attempt.score_scaled >= requirement.min_score
    return True


def merge_status(status: RequirementStatus, attempts: Iterable[Attempt]) -> RequirementStatus:
    """``status`` with more attempts at its activity counted (in any order, none twice)."""
    requirement = status.requirement
    started_at, done_at, first = status.started_at, status.done_at, status.first_statement
    last_done_at, last, score = status.last_done_at, status.last_statement, status.score
    for attempt in attempts:
        if started_at is None or attempt.happened_at < started_at:
            started_at = attempt.happened_at
        if not counts_as_done(requirement, attempt):
            continue
        # Ties in time are broken by id, so any order of arrival gives the same status.
        key = (attempt.happened_at, str(attempt.statement_id))
        if done_at is None or key < (done_at, str(first)):
            done_at, first = attempt.happened_at, attempt.statement_id
        if last_done_at is None or key > (last_done_at, str(last)):
            last_done_at, last, score = attempt.happened_at, attempt.statement_id, attempt.score_scaled
    return RequirementStatus(requirement, started_at, done_at, first, last_done_at, last, score)


def requirement_status(requirement: Requirement, attempts: Iterable[Attempt]) -> RequirementStatus:
    """Sum up one person's attempts at the requirement's activity (in any order)."""
    return merge_status(RequirementStatus(requirement), attempts)


@dataclass(frozen=True)
class BadgeProgress:
    """One person's way through one badge's requirements (in the badge's order)."""

    statuses: tuple[RequirementStatus, ...]

    @property
    def required(self) -> int:
        return len(self.statuses)

    @property
    def done(self) -> int:
        return sum(1 for status in self.statuses if status.done)

    @property
    def percent(self) -> int:
        """Rounded down: 100 only when everything is done."""
        return self.done * 100 // self.required if self.required else 0

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.done == self.required

    @property
    def started(self) -> bool:
        return any(status.started_at is not None for status in self.statuses)

    @property
    def next(self) -> RequirementStatus | None:
        """The first requirement in the badge's order that is not done yet."""
        return next((status for status in self.statuses if not status.done), None)

    def complete_after(self, moment: datetime | None) -> bool:
        """Every requirement done by a statement that happened after ``moment``."""
        return self.required > 0 and all(status.done_after(moment) for status in self.statuses)


def badge_progress(requirements: Sequence[Requirement], attempts: Iterable[Attempt]) -> BadgeProgress:
    """Progress on a badge from one person's attempts at any activities."""
    by_activity: dict[str, list[Attempt]] = {}
    wanted = {requirement.activity_id for requirement in requirements}
    for attempt in attempts:
        if attempt.activity_id in wanted:
            by_activity.setdefault(attempt.activity_id, []).append(attempt)
    return BadgeProgress(
        tuple(requirement_status(req, by_activity.get(req.activity_id, ())) for req in requirements)
    )


@dataclass(frozen=True)
class LastAward:
    """The person's latest award of the badge, as the auto-award rule sees it."""

    state: Status
    ended_at: datetime | None = None  # when it expired or was revoked


def counting_from(last_award: LastAward | None) -> datetime | None:
    """Learning after this moment may award the badge (any learning when None).

    A revoked award is not given back for the statements that earned it: only learning
    after the revocation counts. An expired one (yearly compliance training) is renewed
    by learning done after it expired.
    """
    return last_award.ended_at if last_award is not None else None


def award_due(progress: BadgeProgress, last_award: LastAward | None) -> bool:
    """Whether the badge should be awarded automatically now."""
    if last_award is not None and last_award.state == Status.ACTIVE:
        return False
    return progress.complete_after(counting_from(last_award))
