"""The badge app's data: organisations seen in sessions, badges and awards."""

import secrets
import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_salt() -> str:
    return secrets.token_hex(16)


class Organisation(models.Model):
    """An organisation the proxy has told us about, so badges can belong to it.

    Kept current from each session's roles (see ``services.identity``); the
    proxy stays the authority on who belongs to it.
    """

    slug = models.CharField(max_length=100, unique=True)
    printable_name = models.CharField(max_length=255)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["printable_name"]

    def __str__(self) -> str:
        return self.printable_name


BADGE_SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, digits and single hyphens (e.g. “first-aid-2026”).",
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

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="badges")
    slug = models.CharField(max_length=100, validators=[BADGE_SLUG_VALIDATOR])
    name = models.CharField(max_length=200)
    description = models.TextField()
    criteria_narrative = models.TextField("criteria")
    criteria_url = models.URLField("criteria URL", blank=True, max_length=500)
    image = models.FileField(upload_to=badge_image_path, blank=True, max_length=255)
    image_url = models.URLField(blank=True, max_length=500)
    tags = models.JSONField(default=list, blank=True)
    validity_days = models.PositiveIntegerField(null=True, blank=True)
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


class AwardStatus(models.TextChoices):
    ACTIVE = "active", "Valid"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


def award_status(revoked_at, expires_on, at=None) -> AwardStatus:
    """The one rule for an award's status, for instances and plain rows alike."""
    if revoked_at is not None:
        return AwardStatus.REVOKED
    if expires_on is not None and expires_on <= (at or timezone.now()):
        return AwardStatus.EXPIRED
    return AwardStatus.ACTIVE


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

    def for_email(self, email: str):
        return self.filter(recipient_email=email.lower()) if email else self.none()

    def with_status(self, status: str, at=None):
        """Awards whose ``status_at(at)`` is ``status`` (an ``AwardStatus`` value)."""
        at = at or timezone.now()
        if status == AwardStatus.REVOKED:
            return self.filter(revoked_at__isnull=False)
        if status == AwardStatus.EXPIRED:
            return self.filter(revoked_at__isnull=True, expires_on__lte=at)
        if status == AwardStatus.ACTIVE:
            return self.active(at)
        raise ValueError(f"Unknown award status: {status!r}")

    def newest_first(self):
        # Awards of one batch share ``issued_on``: the id keeps pages stable.
        return self.order_by("-issued_on", "id")

    def search(self, text: str):
        text = text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if not text:
            return self
        return self.filter(Q(recipient_email__icontains=text) | Q(recipient_name__icontains=text))


class Award(models.Model):
    """A badge given to one person, known by email.

    The email is the identity: awards reach their owner whenever a session
    carries that email, including awards made before their first visit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="awards")
    recipient_email = models.EmailField(db_index=True)
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
    # Open Badges hashes the recipient's email with a per-award salt.
    salt = models.CharField(max_length=32, default=new_salt, editable=False)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            # Holds even when two managers award the same person at once.
            models.UniqueConstraint(
                fields=["badge", "recipient_email"],
                condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="one_current_award_per_recipient",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="award_revocation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["badge", "-issued_on"], name="award_badge_issued_idx")]

    def __str__(self) -> str:
        return f"{self.badge.name} → {self.recipient_email}"

    def status_at(self, at=None) -> AwardStatus:
        return award_status(self.revoked_at, self.expires_on, at)

    @property
    def status(self) -> AwardStatus:
        return self.status_at()

    @property
    def recipient_display_name(self) -> str:
        """The name shown on public pages: never any part of the email."""
        return self.recipient_name or "the recipient"

    def belongs_to(self, email: str) -> bool:
        return bool(email) and self.recipient_email == email.strip().lower()


# --- Badges earned elsewhere (Open Badges imports) ------------------------------


def imported_image_path(imported: "ImportedBadge", filename: str) -> str:
    # A random folder: the file is the owner's, and its name must not be guessable.
    return f"imports/{secrets.token_hex(16)}/{Path(filename).name}"


class ImportStatus(models.TextChoices):
    ACTIVE = "active", "Valid"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class ImportSource(models.TextChoices):
    URL = "url", "Assertion URL"
    PNG = "png", "Baked PNG"
    SVG = "svg", "Baked SVG"


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
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.ACTIVE)
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
        if self.status == ImportStatus.ACTIVE and self.expires_on and self.expires_on <= timezone.now():
            return ImportStatus.EXPIRED
        return self.status
