"""Reads of the emails that follow awards: what a manager sees of them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from core.models import AwardBatch, Notification, NotificationKind, NotificationState, Organisation


def latest_notification_by_award(award_ids: Iterable) -> dict:
    """``{award id: its latest Notification}`` for the given awards (one query)."""
    latest: dict = {}
    notifications = Notification.objects.filter(award_id__in=list(award_ids)).order_by("created_at", "pk")
    for notification in notifications:
        latest[notification.award_id] = notification  # the last one wins
    return latest


def organisation_notification_counts(organisation: Organisation) -> dict[str, int]:
    return Notification.objects.of_organisation(organisation).counts_by_state()


def organisation_failed_notifications(organisation: Organisation):
    """Failed emails, newest first, with their award and badge joined."""
    return (
        Notification.objects.of_organisation(organisation)
        .filter(state=NotificationState.FAILED)
        .select_related("award", "award__badge", "award__badge__organisation")
        .order_by("-updated_at", "-pk")
    )


def oldest_queued(organisation: Organisation) -> Notification | None:
    return (
        Notification.objects.of_organisation(organisation)
        .filter(state__in=[NotificationState.QUEUED, NotificationState.SENDING])
        .order_by("created_at")
        .first()
    )


def _progress_annotations() -> dict:
    awarded = Q(awards__notifications__kind=NotificationKind.AWARDED)
    return {
        f"emails_{state}": Count(
            "awards__notifications", filter=awarded & Q(awards__notifications__state=state)
        )
        for state in NotificationState.values
    }


def recent_batches(organisation: Organisation, limit: int = 10):
    """The organisation's latest award batches, each with its emails counted by state (one query)."""
    return (
        AwardBatch.objects.filter(badge__organisation=organisation)
        .select_related("badge", "badge__organisation", "created_by")
        .annotate(**_progress_annotations())
        .order_by("-created_at")[:limit]
    )


def batch_progress(batch: AwardBatch) -> dict[str, int]:
    """The batch's award emails by state, zeros included, and how many were done."""
    counts = Notification.objects.filter(award__batch=batch, kind=NotificationKind.AWARDED).counts_by_state()
    counts["total"] = sum(counts.values())
    counts["done"] = counts[NotificationState.SENT] + counts[NotificationState.FAILED]
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 100
    return counts


def batch_failed_notifications(batch: AwardBatch):
    return (
        Notification.objects.filter(award__batch=batch, state=NotificationState.FAILED)
        .select_related("award")
        .order_by("award__recipient_email")
    )
