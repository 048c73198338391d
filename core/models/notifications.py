"""The emails that follow an award: one row each, its state the one a manager sees.

A notification is a row before it is a message: written in the same transaction
as the award (or revocation) it announces, so neither exists without the other;
the background task that sends it only reads what is due and records what
happened. Nothing is lost if a worker stops mid-batch: what it had claimed is
claimed again once the claim is stale.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.awards import Award


class NotificationKind(models.TextChoices):
    AWARDED = "awarded", _("Award")
    REVOKED = "revoked", _("Revocation")
    EXPIRING = "expiring", _("Expiry reminder")


class NotificationState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NotificationQuerySet(models.QuerySet):
    def due(self, *, now, stale_before):
        """Queued and due, or claimed by a sender that has not reported since ``stale_before``."""
        return self.filter(
            Q(state=NotificationState.QUEUED, due_at__lte=now)
            | Q(state=NotificationState.SENDING, claimed_at__lt=stale_before)
        )

    def of_organisation(self, organisation):
        return self.filter(award__badge__organisation=organisation)

    def counts_by_state(self) -> dict[str, int]:
        """``{state: count}`` for every state, zeros included (one query)."""
        counts = dict.fromkeys(NotificationState.values, 0)
        counts.update(self.order_by().values_list("state").annotate(n=models.Count("pk")))
        return counts


class Notification(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    state = models.CharField(
        max_length=10, choices=NotificationState.choices, default=NotificationState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why it failed, or why it is waiting to be tried again: the mail server's own words.
    reason = models.TextField(blank=True)
    due_at = models.DateTimeField(default=timezone.now)  # when it may be (re)tried
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a sender took it
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        constraints = [
            # One of each kind per award: a reminder goes out once; a resend
            # queues the same row again.
            models.UniqueConstraint(fields=["award", "kind"], name="one_notification_per_award_and_kind"),
        ]
        indexes = [
            # The sender's query: what is due, oldest first.
            models.Index(fields=["state", "due_at"], name="notification_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.award.recipient_email}: {self.state}"
