"""Reads that pages and the API share. Each runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count

from core.identity import SessionIdentity
from core.models import Award, Badge, Organisation


def home_for(identity: SessionIdentity) -> dict:
    """My awards (newest first) and the badges my organisations offer that I don't hold."""
    awards = list(Award.objects.with_badge().for_email(identity.email).newest_first())
    held_badge_ids = {a.badge_id for a in awards if a.status == "active"}
    offered = list(
        Badge.objects.offered()
        .for_organisations(identity.organisation_slugs)
        .exclude(pk__in=held_badge_ids)
        .order_by("organisation__printable_name", "name")
    )
    return {
        "identity": identity,
        "awards": awards,
        "offered": offered,
        "managed": [org for org in identity.organisations if org.is_manager],
    }


def badges_with_counts(organisation: Organisation):
    """An organisation's badges, each with how many people hold it now."""
    current = Award.objects.active_q(prefix="awards__")
    return (
        Badge.objects.filter(organisation=organisation)
        .select_related("organisation")
        .annotate(holder_count=Count("awards", filter=current))
        .order_by("archived_at", "name")
    )


def holders_of(badge: Badge, search: str = ""):
    return Award.objects.with_badge().filter(badge=badge).search(search).newest_first()


def organisation_awards(organisation: Organisation):
    return Award.objects.with_badge().filter(badge__organisation=organisation).newest_first()


def award_of_badge_for_email(badge: Badge, email: str) -> Award | None:
    """The most recent award of ``badge`` to ``email``, whatever its status."""
    return Award.objects.with_badge().filter(badge=badge).for_email(email).order_by("-issued_on").first()
