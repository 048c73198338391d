"""Reads of badges: an organisation's, with their holder counts, and those a member can see."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from core.domain.identity import SessionIdentity
from core.models import Award, Badge, Organisation
from core.selectors.awards import revocations_version

# Holder counts are kept until an award is made or revoked in the organisation,
# and at most this long: an award that expires changes no row to notice.
HOLDER_COUNTS_SECONDS = 300


def organisation_badges(organisation: Organisation, *, archived: bool | None = None):
    """An organisation's badges by name; ``archived`` True or False keeps only those."""
    badges = (
        Badge.objects.filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related("learning_requirements")
    )
    if archived is not None:
        badges = badges.filter(archived_at__isnull=not archived)
    return badges.order_by("name", "slug")


BADGE_SORTS = ("name", "newest", "holders")


@dataclass(frozen=True)
class StatusCounts:
    """How many of a badge's awards are valid, expired and revoked (renewed ones included).

    ``active`` is what the pages call its holders: the one count they show.
    """

    active: int = 0
    expired: int = 0
    revoked: int = 0

    @property
    def total(self) -> int:
        return self.active + self.expired + self.revoked

    def of(self, status: str) -> int:
        """The count of one ``Status`` value, or of every award for ``""``."""
        return getattr(self, status) if status else self.total


NO_AWARDS = StatusCounts()


def badges_for_managers(
    organisation: Organisation,
    *,
    search: str = "",
    tag: str = "",
    archived: str = "",
    sort: str = "name",
) -> list[Badge]:
    """The manager's list of an organisation's badges, filtered and sorted. Two queries.

    ``archived``: ``""`` (not archived), ``"all"`` or ``"only"``. ``sort``: one of
    ``BADGE_SORTS`` (by name; newest first; most holders first, from ``status_counts``).
    The tag is matched in Python: an organisation has hundreds of badges, not more,
    and JSON containment has no SQLite lookup.
    """
    badges = Badge.objects.filter(organisation=organisation).select_related("organisation")
    search = search.replace("\x00", "").strip()
    if search:
        badges = badges.filter(name__icontains=search)
    if archived == "only":
        badges = badges.filter(archived_at__isnull=False)
    elif archived != "all":
        badges = badges.filter(archived_at__isnull=True)
    # Archived ones after the others (PostgreSQL puts NULLs last when ascending, SQLite first).
    not_archived_first = F("archived_at").asc(nulls_first=True)
    order = ("-created_at", "-pk") if sort == "newest" else (not_archived_first, "name", "pk")
    found = list(badges.order_by(*order))
    if tag:
        wanted = tag.casefold()
        found = [badge for badge in found if any(t.casefold() == wanted for t in badge.tags)]
    counts = status_counts(organisation)
    for badge in found:
        badge.status_counts = counts.get(badge.pk, NO_AWARDS)
    if sort == "holders":
        found.sort(key=lambda badge: -badge.status_counts.active)  # stable: by name within a count
    return found


def organisation_tags(organisation: Organisation) -> list[str]:
    """Every tag the organisation's badges carry, once, alphabetically (one query)."""
    tags = {}
    for badge_tags in Badge.objects.filter(organisation=organisation).values_list("tags", flat=True):
        for tag in badge_tags or ():
            tags.setdefault(tag.casefold(), tag)
    return sorted(tags.values(), key=str.casefold)


def status_counts(organisation: Organisation, *, badge: Badge | None = None) -> dict[int, StatusCounts]:
    """How many awards of each status each of the organisation's badges has, by badge id
    (only ``badge``'s when given). The badge list and a badge's page read their counts here.

    Counting every award of a large organisation takes a tenth of a second,
    so the counts are cached under the organisation's latest award and
    revocation (two index reads): a new award or revocation shows at once,
    an expiry within ``HOLDER_COUNTS_SECONDS``.
    """
    awards = Award.objects.filter(organisation=organisation)
    if badge is not None:
        awards = awards.filter(badge=badge)
    latest_award = awards.aggregate(latest=Max("issued_on"))["latest"]
    revoked, latest_revocation = revocations_version(organisation)
    moments = [moment.timestamp() if moment else 0 for moment in (latest_award, latest_revocation)]
    scope = badge.pk if badge is not None else "all"
    key = f"badges:status-counts:{organisation.pk}:{scope}:{moments[0]}:{revoked}:{moments[1]}"
    counts = cache.get(key)
    if counts is None:
        now = timezone.now()
        rows = awards.values("badge_id").annotate(
            active=Count("pk", filter=Award.objects.active_q(at=now)),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
            expired=Count("pk", filter=Q(revoked_at__isnull=True, expires_on__lte=now)),
        )
        counts = {
            row["badge_id"]: StatusCounts(
                active=row["active"], expired=row["expired"], revoked=row["revoked"]
            )
            for row in rows
        }
        cache.set(key, counts, HOLDER_COUNTS_SECONDS)
    return counts


def member_badges(identity: SessionIdentity):
    """Every badge of the organisations the person belongs to, archived ones too, by name."""
    return Badge.objects.for_organisations(identity.organisation_slugs).order_by("name", "slug")


def has_awards(badge: Badge) -> bool:
    return badge.awards.exists()
