"""The organisation dashboard's reads: counts over time, status, expiries, learning.

Every figure is counted by the database (``GROUP BY`` and filtered ``COUNT``), never by
a loop over awards, so the cost stays a handful of statements at any scale. Statuses
follow ``core.models.status`` and ``award_status`` through ``AwardQuerySet``'s filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.models import Award, LearningProgress, Organisation
from core.selectors.awards import revocations_version

MONTHS = 12
EXPIRY_WINDOWS = (30, 60, 90)  # days ahead
MOST_HELD = 10
# The figures change with every award and revocation (part of the cache key) and with
# time (an award expires without any row changing): kept this long at most.
SUMMARY_SECONDS = 120
# Learning progress, in quarters: how far people on their way to a badge are.
PROGRESS_BANDS = ((0, 24), (25, 49), (50, 74), (75, 99))


@dataclass(frozen=True)
class MonthCount:
    month: date  # its first day, in the reader's time zone
    issued: int
    revoked: int


@dataclass(frozen=True)
class BadgeCount:
    badge_id: int
    name: str
    slug: str
    holders: int


@dataclass(frozen=True)
class StatusSplit:
    active: int
    expired: int
    revoked: int

    @property
    def total(self) -> int:
        return self.active + self.expired + self.revoked


@dataclass(frozen=True)
class BadgeLearningCounts:
    badge_id: int
    name: str
    slug: str
    bands: tuple[int, ...]  # people in each of PROGRESS_BANDS
    completed: int

    @property
    def on_their_way(self) -> int:
        return sum(self.bands)


@dataclass(frozen=True)
class DashboardSummary:
    months: list[MonthCount]
    most_held: list[BadgeCount]
    status: StatusSplit
    expiring: dict[int, int]  # days ahead -> awards expiring by then
    learning: list[BadgeLearningCounts]


def _month_starts(now: datetime, months: int) -> list[date]:
    """The first day of each of the last ``months`` months, this one last, in the current zone."""
    today = timezone.localtime(now).date()
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _aware_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def _by_month(awards, field: str, since: datetime) -> dict[date, int]:
    rows = (
        awards.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    # TruncMonth gives a datetime in the current zone (a date on some backends).
    return {(month.date() if isinstance(month, datetime) else month): n for month, n in rows}


def monthly_activity(organisation: Organisation, *, now: datetime | None = None) -> list[MonthCount]:
    """Awards issued and revoked in each of the last ``MONTHS`` months, empty months included.

    Two grouped counts: the issued ones read ``award_org_newest_idx``, the revoked ones
    the partial ``award_org_revoked_idx``.
    """
    starts = _month_starts(now or timezone.now(), MONTHS)
    since = _aware_midnight(starts[0])
    awards = Award.objects.filter(organisation=organisation)
    issued = _by_month(awards, "issued_on", since)
    revoked = _by_month(awards.filter(revoked_at__isnull=False), "revoked_at", since)
    return [
        MonthCount(month=start, issued=issued.get(start, 0), revoked=revoked.get(start, 0))
        for start in starts
    ]


def status_split(
    organisation: Organisation, *, now: datetime | None = None
) -> tuple[StatusSplit, dict[int, int]]:
    """Each award's status now, and how many valid ones expire within each window. One query.

    An expired award that was renewed (``superseded_at``) counts once, as its renewal:
    the split is of the people's standing, per ``CURRENT_AWARD``, plus what was revoked.
    """
    now = now or timezone.now()
    active = Award.objects.active_q(at=now)
    counts = (
        Award.objects.filter(organisation=organisation)
        .order_by()
        .aggregate(
            active=Count("pk", filter=active),
            expired=Count(
                "pk", filter=Q(revoked_at__isnull=True, superseded_at__isnull=True, expires_on__lte=now)
            ),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
            **{
                f"within_{days}": Count("pk", filter=active & Q(expires_on__lte=now + timedelta(days=days)))
                for days in EXPIRY_WINDOWS
            },
        )
    )
    split = StatusSplit(active=counts["active"], expired=counts["expired"], revoked=counts["revoked"])
    return split, {days: counts[f"within_{days}"] for days in EXPIRY_WINDOWS}


def most_held(
    organisation: Organisation, *, now: datetime | None = None, limit: int = MOST_HELD
) -> list[BadgeCount]:
    """The badges with the most valid awards now (the badge list's "holders"). One query."""
    rows = (
        Award.objects.filter(organisation=organisation)
        .active(at=now)
        .order_by()
        .values("badge_id", "badge__name", "badge__slug")
        .annotate(holders=Count("pk"))
        .order_by("-holders", "badge__name", "badge_id")[:limit]
    )
    return [
        BadgeCount(
            badge_id=row["badge_id"], name=row["badge__name"], slug=row["badge__slug"], holders=row["holders"]
        )
        for row in rows
    ]


def learning_counts(organisation: Organisation) -> list[BadgeLearningCounts]:
    """Per badge with learning records: people on their way, by how far, and who completed. One query.

    Read from ``LearningProgress`` (one row per person and badge, kept current by the
    ingest service), most people on their way first.
    """
    on_way = Q(completed_at__isnull=True)
    bands = {
        f"band_{index}": Count("pk", filter=on_way & Q(percent__gte=low, percent__lte=high))
        for index, (low, high) in enumerate(PROGRESS_BANDS)
    }
    rows = (
        LearningProgress.objects.filter(badge__organisation=organisation)
        .order_by()
        .values("badge_id", "badge__name", "badge__slug")
        .annotate(
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            on_way=Count("pk", filter=on_way),
            **bands,
        )
        .order_by("-on_way", "badge__name", "badge_id")
    )
    return [
        BadgeLearningCounts(
            badge_id=row["badge_id"],
            name=row["badge__name"],
            slug=row["badge__slug"],
            bands=tuple(row[f"band_{index}"] for index in range(len(PROGRESS_BANDS))),
            completed=row["completed"],
        )
        for row in rows
    ]


def dashboard_summary(organisation: Organisation) -> DashboardSummary:
    """Everything the dashboard charts, cached for ``SUMMARY_SECONDS``.

    The key holds the organisation's latest award and its revocations (two index
    reads), so an award or a revocation shows at once; an expiry, within the
    cache's time. Months are the reader's: the zone is part of the key.
    """
    latest = Award.objects.filter(organisation=organisation).aggregate(latest=Max("issued_on"))["latest"]
    revoked, latest_revocation = revocations_version(organisation)
    moments = [moment.timestamp() if moment else 0 for moment in (latest, latest_revocation)]
    zone = timezone.get_current_timezone_name()
    key = f"dashboard:summary:{organisation.pk}:{moments[0]}:{revoked}:{moments[1]}:{zone}"
    summary = cache.get(key)
    if summary is None:
        now = timezone.now()
        split, expiring = status_split(organisation, now=now)
        summary = DashboardSummary(
            months=monthly_activity(organisation, now=now),
            most_held=most_held(organisation, now=now),
            status=split,
            expiring=expiring,
            learning=learning_counts(organisation),
        )
        cache.set(key, summary, SUMMARY_SECONDS)
    return summary


def expiring_awards(organisation: Organisation, *, days: int, now: datetime | None = None):
    """The valid awards that expire within ``days``, soonest first, with their badge.

    ``active()`` with an expiry, written as one range (``now < expires_on <= horizon``)
    so that ``award_org_expiring_idx`` reads only the window, not every past expiry.
    """
    now = now or timezone.now()
    return (
        Award.objects.filter(organisation=organisation, revoked_at__isnull=True)
        .filter(expires_on__gt=now, expires_on__lte=now + timedelta(days=days))
        .select_related("badge", "badge__organisation")
        .order_by("expires_on", "recipient_email", "id")
    )
