"""Reads of badges an employee imported from other issuers."""

from core.models import ImportedBadge


def imported_badges_of(user):
    """The user's imported badges, newest first (the one order, everywhere)."""
    return ImportedBadge.objects.owned_by(user).order_by("-issued_on", "-created_at")
