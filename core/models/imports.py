"""Badges earned elsewhere: Open Badges imported by employees after verification."""

import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.status import Status


def imported_image_path(imported: "ImportedBadge", filename: str) -> str:
    # A random folder: the file is the owner's, and its name must not be guessable.
    return f"imports/{secrets.token_hex(16)}/{Path(filename).name}"


class ImportSource(models.TextChoices):
    URL = "url", _("Assertion URL")
    PNG = "png", _("Baked PNG")
    SVG = "svg", _("Baked SVG")
    JSON = "json", _("Pasted credential")


class OpenBadgesVersion(models.TextChoices):
    V2 = "2.0", "Open Badges 2.0"
    V3 = "3.0", "Open Badges 3.0"


class ImportedBadgeQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user) if user is not None and user.is_authenticated else self.none()


class ImportedBadge(models.Model):
    """An Open Badge another issuer gave to an employee, verified when imported.

    The original hosted documents (assertion, badge class, issuer) and image are
    kept as fetched; the names and dates beside them are copies for display.
    ``status`` is as of ``checked_at`` (see the ``recheck_imports`` command).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_badges"
    )
    recipient_email = models.EmailField()  # the owner's email the assertion matched
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    # 2.0: the hosted assertion, its badge class and issuer as fetched. 3.0: the signed
    # credential as received, its achievement and issuer profile, and the credential's
    # id (or, for one without an id, ``urn:proof:`` and its proof value) as assertion_url.
    version = models.CharField(max_length=3, choices=OpenBadgesVersion.choices, default=OpenBadgesVersion.V2)
    assertion_url = models.URLField(max_length=2000)
    assertion = models.JSONField()
    badge_class = models.JSONField()
    issuer = models.JSONField()
    image = models.FileField(upload_to=imported_image_path, max_length=255)
    badge_name = models.CharField(max_length=500)
    issuer_name = models.CharField(max_length=500)
    issuer_url = models.URLField(max_length=2000, blank=True)
    issued_on = models.DateTimeField()
    expires_on = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    revocation_reason = models.TextField(blank=True)
    checked_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImportedBadgeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "assertion_url"], name="imported_badge_once_per_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_name} ({self.issuer_name})"

    @property
    def current_status(self) -> str:
        """The stored status, or "expired" once ``expires_on`` has passed since the last check."""
        if self.status == Status.ACTIVE and self.expires_on and self.expires_on <= timezone.now():
            return Status.EXPIRED
        return self.status


STALE = _("The check of this badge did not finish in time (the server may have restarted). Try again.")


class ImportState(models.TextChoices):
    PENDING = "pending", _("Checking")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Did not finish")


class ImportRequestQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user) if user is not None and user.is_authenticated else self.none()

    def in_flight(self, *, stale_before):
        """Waiting or being checked, and not given up on (queued since ``stale_before``)."""
        return self.filter(state=ImportState.PENDING, queued_at__gte=stale_before)


class ImportRequest(models.Model):
    """One import asked for: what was given, then the background check's outcome.

    The request stores the input and the owner's addresses (the worker has no
    session); a task fetches and verifies it, and records the ``ImportedBadge``
    or the refusal's ``reason`` and ``message``. A pending one queued longer
    than ``IMPORT_STALE_SECONDS`` ago (a worker stopped, the queue jammed) is
    shown as failed, and may be retried.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_requests"
    )
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    assertion_url = models.CharField(max_length=2000, blank=True)
    credential = models.TextField(blank=True)
    upload = models.BinaryField(null=True, blank=True)  # a baked image, kept until it is checked
    emails = models.JSONField(default=list)  # the owner's addresses when asked
    language = models.CharField(max_length=10, blank=True)  # the messages' language, as the page's
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.PENDING)
    reason = models.CharField(max_length=20, blank=True)  # core.domain.openbadges.checks.Reason
    message = models.TextField(blank=True)
    imported = models.ForeignKey(
        ImportedBadge, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)  # enqueued (again, on retry)
    started_at = models.DateTimeField(null=True, blank=True)  # claimed by a worker
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # A person's recent requests (the import page), and their in-flight count.
            models.Index(fields=["owner", "state", "queued_at"], name="import_request_owner_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import ({self.state})"

    def is_stale(self, now=None) -> bool:
        stale_before = (now or timezone.now()) - timedelta(seconds=settings.IMPORT_STALE_SECONDS)
        return self.state == ImportState.PENDING and self.queued_at < stale_before

    @property
    def current_state(self) -> str:
        """The stored state, or "failed" for a pending request nobody finished in time."""
        return ImportState.FAILED if self.is_stale() else self.state

    @property
    def outcome(self) -> str:
        """What happened, in words: the check's message, or why a stale one counts as failed."""
        if not self.message and self.current_state == ImportState.FAILED:
            return str(STALE)
        return self.message
