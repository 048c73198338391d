"""Badges an organisation designs and awards.

The model is the badge's input contract: the page's form and the API's
serializer are both built from these fields (lengths, validators, messages),
and ``core.services.badges`` checks them again with ``full_clean`` before saving.
"""

import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.lib.text import refuse_control_characters
from core.models.organisations import Organisation

# A century: long enough for any real validity, short enough for date arithmetic.
MAX_VALIDITY_DAYS = 36500
VALIDITY_DAYS_RANGE = format_lazy(
    _("Give a number of days from 1 to {max}, or leave it empty."), max=MAX_VALIDITY_DAYS
)
IMAGE_URL_HTTPS = _("The image URL must start with https://.")

BADGE_SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lowercase letters, digits and single hyphens (e.g. “first-aid-2026”)."),
)


def badge_image_path(badge: "Badge", filename: str) -> str:
    extension = Path(filename).suffix.lower()
    return f"badges/{badge.organisation.slug}/{badge.slug}-{secrets.token_hex(4)}{extension}"


class BadgeQuerySet(models.QuerySet):
    def offered(self):
        return self.filter(archived_at__isnull=True)

    def for_organisations(self, slugs):
        return self.filter(organisation__slug__in=slugs).select_related("organisation")


class Badge(models.Model):
    """A badge an organisation designs and awards."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="badges", verbose_name=_("organisation")
    )
    slug = models.CharField(
        _("slug"),
        max_length=100,
        validators=[BADGE_SLUG_VALIDATOR],
        help_text=_("Lowercase letters, digits and hyphens; suggested from the name if left empty."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    description = models.TextField(_("description"))
    criteria_narrative = models.TextField(_("criteria"), help_text=_("What someone did to earn it."))
    criteria_url = models.URLField(_("criteria URL"), blank=True, max_length=500)
    image = models.FileField(_("image"), upload_to=badge_image_path, blank=True, max_length=255)
    image_url = models.URLField(
        _("image URL"),
        blank=True,
        max_length=500,
        validators=[URLValidator(schemes=["https"], message=IMAGE_URL_HTTPS, code="https_only")],
        help_text=_("https only."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=VALIDITY_DAYS_RANGE),
            MaxValueValidator(MAX_VALIDITY_DAYS, message=VALIDITY_DAYS_RANGE),
        ],
        help_text=_("Leave empty if the badge never expires."),
    )
    # Award it by itself once someone has done every learning activity it requires
    # (``core.models.learning.LearningRequirement``, ``core.services.learning``).
    learning_auto_award = models.BooleanField(
        _("award automatically"),
        default=False,
        help_text=_("Award the badge as soon as someone has done every activity it requires."),
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BadgeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="badge_slug_unique_in_organisation"
            ),
            models.CheckConstraint(
                condition=Q(validity_days__isnull=True) | Q(validity_days__gt=0),
                name="badge_validity_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.slug})"

    def get_absolute_url(self) -> str:
        return reverse("badge-detail", args=[self.organisation.slug, self.slug])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def image_src(self) -> str:
        """Where a browser gets the image: the upload, else the https URL."""
        return self.image.url if self.image else self.image_url

    @property
    def is_svg(self) -> bool:
        return bool(self.image) and self.image.name.lower().endswith(".svg")

    def expiry_for(self, issued_on: datetime) -> datetime | None:
        """When an award issued at ``issued_on`` expires: the one expiry rule."""
        return issued_on + timedelta(days=self.validity_days) if self.validity_days else None
