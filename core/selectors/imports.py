"""Reads of badges an employee imported from other issuers, and of their imports under way."""

from datetime import timedelta

from django.utils import timezone

from core.models import ImportedBadge, ImportRequest

RECENT_IMPORT_REQUESTS = 10
RECENT_IMPORT_HOURS = 24


def imported_badges_of(user):
    """The user's imported badges, newest first (the one order, everywhere)."""
    return ImportedBadge.objects.owned_by(user).order_by("-issued_on", "-created_at")


def import_requests_of(user) -> list[ImportRequest]:
    """The user's imports asked for in the last day, newest first: those being checked and outcomes."""
    since = timezone.now() - timedelta(hours=RECENT_IMPORT_HOURS)
    return list(
        ImportRequest.objects.owned_by(user)
        .filter(created_at__gte=since)
        .defer("upload", "credential", "emails")
        .order_by("-created_at")[:RECENT_IMPORT_REQUESTS]
    )
