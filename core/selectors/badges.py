"""Reads of badges: an organisation's, with their holder counts, and those a member can see."""

from django.core.cache import cache
from django.db.models import Count, Max

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


def badges_for_managers(organisation: Organisation):
    """The manager's list of an organisation's badges: archived ones after the others, by name."""
    return (
        Badge.objects.filter(organisation=organisation)
        .select_related("organisation")
        .order_by("archived_at", "name", "pk")
    )


def holder_counts(organisation: Organisation) -> dict[int, int]:
    """How many people hold each of the organisation's badges now, by badge id.

    Counting every award of a large organisation takes a tenth of a second,
    so the counts are cached under the organisation's latest award and
    revocation (two index reads): a new award or revocation shows at once,
    an expiry within ``HOLDER_COUNTS_SECONDS``.
    """
    awards = Award.objects.filter(organisation=organisation)
    latest_award = awards.aggregate(latest=Max("issued_on"))["latest"]
    revoked, latest_revocation = revocations_version(organisation)
    moments = [moment.timestamp() if moment else 0 for moment in (latest_award, latest_revocation)]
    key = f"badges:holder-counts:{organisation.pk}:{moments[0]}:{revoked}:{moments[1]}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(awards.active().values("badge_id").annotate(n=Count("pk")).values_list("badge_id", "n"))
        cache.set(key, counts, HOLDER_COUNTS_SECONDS)
    return counts


def member_badges(identity: SessionIdentity):
    """Every badge of the organisations the person belongs to, archived ones too, by name."""
    return Badge.objects.for_organisations(identity.organisation_slugs).order_by("name", "slug")


def has_awards(badge: Badge) -> bool:
    return badge.awards.exists()
