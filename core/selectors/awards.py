"""Reads of awards: a person's, a badge's holders, an organisation's."""

from core.models import Award, Badge, Organisation


def awards_of(emails: list[str]):
    """A person's awards, newest first, with badge and organisation joined."""
    return Award.objects.with_badge().for_emails(emails).newest_first()


def holders_of(badge: Badge, search: str = ""):
    return Award.objects.with_badge().filter(badge=badge).search(search).newest_first()


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
