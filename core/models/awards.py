"""Awards: a badge given to one person, known by email."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.models.badges import Badge
from core.models.organisations import Organisation
from core.models.status import Status

# A person holds at most one *current* award of a badge: one that is neither
# revoked nor superseded (an expired award steps aside when it is renewed).
# The unique constraint and the queries share this one condition.
CURRENT_AWARD = Q(revoked_at__isnull=True, superseded_at__isnull=True)


def new_salt() -> str:
    return secrets.token_hex(16)


def award_status(revoked_at, expires_on, at=None) -> Status:
    """The one rule for an award's status, for instances and plain rows alike."""
    if revoked_at is not None:
        return Status.REVOKED
    if expires_on is not None and expires_on <= (at or timezone.now()):
        return Status.EXPIRED
    return Status.ACTIVE


class AwardQuerySet(models.QuerySet):
    def with_badge(self):
        return self.select_related("badge", "badge__organisation")

    @staticmethod
    def active_q(prefix: str = "", at=None) -> Q:
        """The condition for an active award; ``prefix`` reaches it across a relation."""
        at = at or timezone.now()
        return Q(**{f"{prefix}revoked_at__isnull": True}) & (
            Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gt": at})
        )

    def active(self, at=None):
        return self.filter(self.active_q(at=at))

    def current(self):
        """Awards that hold a person's place for their badge (see ``CURRENT_AWARD``)."""
        return self.filter(CURRENT_AWARD)

    def for_email(self, email: str):
        return self.filter(recipient_email=email.lower()) if email else self.none()

    def for_emails(self, emails):
        emails = [email.lower() for email in emails if email]
        return self.filter(recipient_email__in=emails) if emails else self.none()

    def with_status(self, status: str, at=None):
        """Awards whose ``status_at(at)`` is ``status`` (a ``Status`` value)."""
        at = at or timezone.now()
        if status == Status.REVOKED:
            return self.filter(revoked_at__isnull=False)
        if status == Status.EXPIRED:
            return self.filter(revoked_at__isnull=True, expires_on__lte=at)
        if status == Status.ACTIVE:
            return self.active(at)
        raise ValueError(f"Unknown status: {status!r}")

    def newest_first(self):
        # Awards of one batch share ``issued_on``: the id keeps pages stable.
        return self.order_by("-issued_on", "id")

    def search(self, text: str):
        text = text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if not text:
            return self
        return self.filter(Q(recipient_email__icontains=text) | Q(recipient_name__icontains=text))


class AwardBatch(models.Model):
    """One award action of a manager, for one badge: what it did, and whether it emailed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notify = models.BooleanField(default=True)
    awarded_count = models.PositiveIntegerField(default=0)  # renewals included
    renewed_count = models.PositiveIntegerField(default=0)  # of them, renewing an expired award
    already_held_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.badge} × {self.awarded_count} ({self.created_at:%Y-%m-%d %H:%M})"


class Award(models.Model):
    """A badge given to one person, known by email.

    The email is the identity: awards reach their owner whenever a session
    carries that email, including awards made before their first visit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of their own for the two foreign keys: award_badge_issued_idx and
    # award_org_newest_idx begin with them and serve every lookup by either. Each
    # index is written on every insert (thousands an award batch), so none is idle.
    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards", db_index=False)
    # The badge's organisation, copied when the award is made (a badge never
    # moves): an organisation's awards are then read from this table alone,
    # through the indexes below, instead of a join that no index can serve.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )
    # Indexed below by a plain index: db_index=True would add on PostgreSQL a second,
    # varchar_pattern_ops one for LIKE 'prefix%', which nothing asks.
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    issued_on = models.DateTimeField(default=timezone.now)
    expires_on = models.DateTimeField(null=True, blank=True)
    evidence_url = models.URLField(blank=True, max_length=500)
    narrative = models.TextField(blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when an expired award is renewed by a new one, so the new one can
    # take the "one current award per person" place.
    superseded_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        AwardBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards"
    )
    # Open Badges hashes the recipient's email with a per-award salt.
    salt = models.CharField(max_length=32, default=new_salt, editable=False)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            # Holds even when two managers award the same person at once.
            models.UniqueConstraint(
                fields=["badge", "recipient_email"],
                condition=CURRENT_AWARD,
                name="one_current_award_per_recipient",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="award_revocation_has_reason",
            ),
        ]
        indexes = [
            # A person's awards (home, the API, the directory): by email, equal or IN.
            models.Index(fields=["recipient_email"], name="award_recipient_email_idx"),
            models.Index(fields=["badge", "-issued_on"], name="award_badge_issued_idx"),
            # selectors.awards.organisation_awards() and the CSV export: newest first, by pages.
            models.Index(fields=["organisation", "-issued_on", "id"], name="award_org_newest_idx"),
            # selectors.dashboard.expiring_awards(): who expires soon, soonest first, by pages.
            models.Index(
                fields=["organisation", "expires_on"],
                condition=Q(revoked_at__isnull=True, expires_on__isnull=False),
                name="award_org_expiring_idx",
            ),
            # selectors.awards.revoked_of(): the revocation list, and its ETag.
            models.Index(
                fields=["organisation", "revoked_at"],
                condition=Q(revoked_at__isnull=False),
                name="award_org_revoked_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge.name} → {self.recipient_email}"

    def get_absolute_url(self) -> str:
        """The award's public page."""
        return reverse("award-detail", args=[self.pk])

    def status_at(self, at=None) -> Status:
        return award_status(self.revoked_at, self.expires_on, at)

    @property
    def status(self) -> Status:
        return self.status_at()

    @property
    def recipient_display_name(self) -> str:
        """The name shown on public pages: never any part of the email."""
        return self.recipient_name or gettext("the recipient")

    def belongs_to(self, email: str) -> bool:
        return bool(email) and self.recipient_email == email.strip().lower()

    def belongs_to_any(self, emails) -> bool:
        return any(self.belongs_to(email) for email in emails)
