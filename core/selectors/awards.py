"""Reads of awards: a person's, a badge's holders, an organisation's."""

from datetime import datetime

from django.db.models import Count, Max

from core.models import Award, Badge, Organisation


def awards_of(emails: list[str]):
    """A person's awards, newest first, with badge and organisation joined."""
    return Award.objects.with_badge().for_emails(emails).newest_first()


def holders_of(badge: Badge, search: str = "", *, status: str = ""):
    """A badge's awards, newest first: those matching ``search`` and, if given, of one ``Status``."""
    awards = Award.objects.with_badge().filter(badge=badge).search(search)
    return (awards.with_status(status) if status else awards).newest_first()


def organisation_awards(organisation: Organisation):
    return Award.objects.with_badge().filter(organisation=organisation).newest_first()


def award_of_badge_for(badge: Badge, emails: list[str]) -> Award | None:
    """The most recent award of ``badge`` to any of ``emails``, whatever its status (one query)."""
    return Award.objects.with_badge().filter(badge=badge).for_emails(emails).newest_first().first()


def revoked_of(organisation: Organisation):
    """``(award id, reason)`` of an organisation's revoked awards, oldest revocation first."""
    return (
        Award.objects.filter(organisation=organisation, revoked_at__isnull=False)
        .order_by("revoked_at")
        .values_list("pk", "revocation_reason")
        .iterator(chunk_size=2000)
    )


def revocations_version(organisation: Organisation) -> tuple[int, datetime | None]:
    """How many of the organisation's awards are revoked, and the latest revocation.

    Changes whenever its revocation list does (a revocation is never undone or
    edited); one read of the ``award_org_revoked_idx`` index alone.
    """
    found = Award.objects.filter(organisation=organisation, revoked_at__isnull=False).aggregate(
        count=Count("revoked_at"), latest=Max("revoked_at")
    )
    return found["count"], found["latest"]
