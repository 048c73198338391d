"""Reads of badges: an organisation's, with their holder counts, and those a member can see."""

from django.db.models import Count

from core.domain.identity import SessionIdentity
from core.models import Award, Badge, Organisation


def organisation_badges(organisation: Organisation, *, archived: bool | None = None):
    """An organisation's badges by name; ``archived`` True or False keeps only those."""
    badges = Badge.objects.filter(organisation=organisation).select_related("organisation")
    if archived is not None:
        badges = badges.filter(archived_at__isnull=not archived)
    return badges.order_by("name", "slug")


def badges_with_counts(organisation: Organisation):
    """An organisation's badges, each with how many people hold it now."""
    current = Award.objects.active_q(prefix="awards__")
    return (
        Badge.objects.filter(organisation=organisation)
        .select_related("organisation")
        .annotate(holder_count=Count("awards", filter=current))
        .order_by("archived_at", "name")
    )


def member_badges(identity: SessionIdentity):
    """Every badge of the organisations the person belongs to, archived ones too, by name."""
    return Badge.objects.for_organisations(identity.organisation_slugs).order_by("name", "slug")


def has_awards(badge: Badge) -> bool:
    return badge.awards.exists()
