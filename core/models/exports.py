"""An organisation's awards as a CSV file, prepared by a worker and kept privately."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.organisations import Organisation


def export_storage():
    """Where exports are written: ``STORAGES["exports"]``, never the public media."""
    return storages["exports"]


class ExportState(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class AwardExport(models.Model):
    """One request for an organisation's awards as CSV: the file once a worker wrote it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.PREPARING)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=export_storage, upload_to="awards/", blank=True, max_length=200)
    reason = models.TextField(blank=True)  # why it failed

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # selectors.exports.latest_exports(): an organisation's latest requests.
            models.Index(fields=["organisation", "-requested_at"], name="export_org_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} awards, {self.requested_at:%Y-%m-%d %H:%M}: {self.state}"
