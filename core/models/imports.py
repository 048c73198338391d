"""Badges earned elsewhere: Open Badges imported by employees after verification."""

import secrets
import uuid
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
