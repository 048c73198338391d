"""Reads about learning records, shared by pages, API and verify: a fixed number of queries each.

Progress is read from ``LearningProgress`` (kept current by the ingest service), never
from the statements, so the cost does not grow with the number of statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.dateparse import parse_datetime

from core.models import Award, Badge
from core.models.learning import LearningAward, LearningProgress, LearningRequirement, LearningStatement

PROGRESS_PAGE_SIZE = 50


@dataclass(frozen=True)
class ActivityProgress:
    """One required activity, for one person (or nobody: everything empty)."""

    activity_id: str
    name: str
    url: str
    requires: str
    min_score: float | None
    started_at: datetime | None = None
    done_at: datetime | None = None
    score: float | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def score_percent(self) -> int | None:
        return round(self.score * 100) if self.score is not None else None

    @property
    def min_score_percent(self) -> int | None:
        return round(self.min_score * 100) if self.min_score is not None else None


@dataclass(frozen=True)
class BadgeLearning:
    """A badge with learning requirements, and how far one person is with it."""

    badge: Badge
    activities: tuple[ActivityProgress, ...]
    auto_award: bool

    @property
    def required(self) -> int:
        return len(self.activities)

    @property
    def done(self) -> int:
        return sum(1 for activity in self.activities if activity.done)

    @property
    def percent(self) -> int:
        return self.done * 100 // self.required if self.required else 0

    @property
    def started(self) -> bool:
        return any(activity.started_at for activity in self.activities)

    @property
    def next(self) -> ActivityProgress | None:
        return next((activity for activity in self.activities if not activity.done), None)

    @property
    def remaining(self) -> list[ActivityProgress]:
        return [activity for activity in self.activities if not activity.done]


def requirements_by_badge(badges: Iterable[Badge]) -> dict[int, list[LearningRequirement]]:
    """Each badge's requirements, in order: one query, none if they were prefetched."""
    badges = list(badges)
    if badges and all("learning_requirements" in getattr(b, "_prefetched_objects_cache", {}) for b in badges):
        return {badge.pk: list(badge.learning_requirements.all()) for badge in badges}
    by_badge: dict[int, list[LearningRequirement]] = {}
    ids = [badge.pk for badge in badges]
    for req in LearningRequirement.objects.filter(badge_id__in=ids).order_by("badge_id", "position", "id"):
        by_badge.setdefault(req.badge_id, []).append(req)
    return by_badge


def _activities(reqs: Sequence[LearningRequirement], progress: LearningProgress | None) -> tuple:
    recorded = progress.activities if progress else {}
    items = []
    for req in reqs:
        status = recorded.get(req.activity_id) or {}
        items.append(
            ActivityProgress(
                activity_id=req.activity_id,
                name=req.name,
                url=req.url,
                requires=req.requires,
                min_score=float(req.min_score) if req.min_score is not None else None,
                started_at=_moment(status.get("started_at")),
                done_at=_moment(status.get("done_at")),
                score=status.get("score"),
            )
        )
    return tuple(items)


def learning_for(badges: Sequence[Badge], emails: Sequence[str]) -> list[BadgeLearning]:
    """Each of ``badges`` that has learning requirements, with the person's progress on it.

    Most advanced first, then by name. Two queries.
    """
    requirements = requirements_by_badge(badges)
    with_learning = [badge for badge in badges if requirements.get(badge.pk)]
    if not with_learning:
        return []
    progress = {
        row.badge_id: row
        for row in LearningProgress.objects.for_emails(emails)
        .filter(badge__in=with_learning)
        .order_by("-percent")
    }  # a person with several addresses: their most advanced row wins
    items = [
        BadgeLearning(
            badge=badge,
            activities=_activities(requirements[badge.pk], progress.get(badge.pk)),
            auto_award=badge.learning_auto_award,
        )
        for badge in with_learning
    ]
    return sorted(items, key=lambda item: (-item.percent, -item.done, item.badge.name.casefold()))


def badge_learning(badge: Badge, emails: Sequence[str]) -> BadgeLearning | None:
    """The checklist of one badge for one person (None if it requires no learning)."""
    found = learning_for([badge], emails)
    return found[0] if found else None


# --- The manager's view ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonProgress:
    row: LearningProgress
    activities: tuple[ActivityProgress, ...]
    award: Award | None  # their current award, if any
    auto_awarded: bool  # that award was made from learning records
    evidence_voided: bool  # ... and some of its statements were voided since


@dataclass(frozen=True)
class BadgeProgressOverview:
    started: int
    completed: int
    auto_awarded: int
    requirements: list[LearningRequirement]
    page: Page
    people: list[PersonProgress]


def badge_progress_overview(badge: Badge, *, search: str = "", page: int | str = 1) -> BadgeProgressOverview:
    """Who has started, how far each is, who was awarded automatically. Seven queries."""
    requirements = list(badge.learning_requirements.order_by("position", "id"))
    counts = LearningProgress.objects.filter(badge=badge).aggregate(
        started=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    auto_awarded = LearningAward.objects.filter(award__badge=badge).count()
    rows = LearningProgress.objects.filter(badge=badge).search(search).most_advanced_first()
    current_page = Paginator(rows, PROGRESS_PAGE_SIZE).get_page(page)
    people_rows = list(current_page.object_list)
    awards = {
        award.recipient_email: award
        for award in Award.objects.current()
        .filter(badge=badge, recipient_email__in=[row.email for row in people_rows])
        .select_related("learning")
    }
    evidence = {
        email: set(award.learning.statement_ids)
        for email, award in awards.items()
        if hasattr(award, "learning") and award.learning is not None
    }
    voided = set(
        str(statement_id)
        for statement_id in LearningStatement.objects.filter(
            id__in=set().union(*evidence.values()) if evidence else [], voided_by__isnull=False
        ).values_list("id", flat=True)
    )
    people = []
    for row in people_rows:
        award = awards.get(row.email)
        people.append(
            PersonProgress(
                row=row,
                activities=_activities(requirements, row),
                award=award,
                auto_awarded=row.email in evidence,
                evidence_voided=bool(evidence.get(row.email, set()) & voided),
            )
        )
    return BadgeProgressOverview(
        started=counts["started"],
        completed=counts["completed"],
        auto_awarded=auto_awarded,
        requirements=requirements,
        page=current_page,
        people=people,
    )


def _moment(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def learning_award_of(award: Award) -> LearningAward | None:
    """The learning records an award was made from, if it was (one query)."""
    return LearningAward.objects.filter(award=award).first()


def progress_of(identity, emails: Sequence[str]) -> list[tuple[BadgeLearning, Award | None]]:
    """``/api/me/progress/``: each badge on offer to the person that requires learning, their
    progress and their current award of it. Four queries (two when none requires any).

    Only the badges that require learning are read: reading every badge on offer built
    about a thousand instances a request in a 500-badge organisation for a few items."""
    badges = list(
        Badge.objects.offered()
        .for_organisations(identity.organisation_slugs)
        .filter(Exists(LearningRequirement.objects.filter(badge=OuterRef("pk"))))
        .prefetch_related("learning_requirements")
        .order_by("organisation__printable_name", "name")
    )
    items = learning_for(badges, emails)
    held = {
        award.badge_id: award
        for award in Award.objects.current()
        .for_emails(emails)
        .filter(badge__in=[item.badge for item in items])
        .order_by("issued_on")
    }
    return [(item, held.get(item.badge.pk)) for item in items]


def offered_order(badges, emails: Sequence[str]):
    """Badges on offer, the person's most advanced first (by percent done), then those that
    require learning they have not started, then the rest; by organisation and name within.
    Done in the query, so the page can show them a page at a time."""
    mine = LearningProgress.objects.for_emails(emails).filter(badge=OuterRef("pk")).order_by("-percent")
    return badges.annotate(
        learning_rank=Case(
            When(Exists(mine), then=Subquery(mine.values("percent")[:1])),
            When(Exists(LearningRequirement.objects.filter(badge=OuterRef("pk"))), then=Value(0)),
            default=Value(-1),
            output_field=IntegerField(),
        )
    ).order_by(F("learning_rank").desc(), "organisation__printable_name", "name")


def learning_by_badge(badges: Sequence[Badge], emails: Sequence[str]) -> dict[int, BadgeLearning]:
    """``learning_for`` keyed by badge: for a page of badges. Two queries."""
    return {item.badge.pk: item for item in learning_for(badges, emails)}
