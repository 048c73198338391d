"""Learning records (xAPI): what a badge requires, what people did, how far they are.

- ``LearningRequirement``: an activity a badge requires (its xAPI IRI, what counts).
- ``LearningStatement``: what the app keeps of each statement it received, by id, so
  receiving one twice changes nothing, and requirements added later still find it.
- ``LearnerKey``: which person (an email) an actor key names, for the keys that are
  not an email themselves (``mbox_sha1sum``, ``account``) and for a person's other
  addresses. A plain ``mbox`` names its own address.
- ``LearningProgress``: one person's progress on one badge, kept up to date by the
  ingest service so pages read it in one query, whatever the number of statements.
- ``LearningAward``: an award made from learning records, with its evidence.
- ``LearningSyncState``: where ``sync_learning`` stopped reading an LRS.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.awards import Award
from core.models.badges import Badge

MAX_REQUIREMENTS = 50  # activities one badge may require
# Sizes in UTF-8 bytes (``core.domain.learning`` checks them): an activity or verb IRI,
# and an actor key, together within one PostgreSQL index entry (2,704 bytes).
MAX_IRI_BYTES = 1500
MAX_KEY_BYTES = 1000
MAX_NAME_LENGTH = 200  # an actor's display name, cut to this


class Requires(models.TextChoices):
    """What counts as done for a required activity (``core.domain.learning.requirements``)."""

    COMPLETED = "completed", _("completed")
    PASSED = "passed", _("passed")


class LearningRequirement(models.Model):
    """One activity a badge requires; all of a badge's requirements must be done."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="learning_requirements")
    position = models.PositiveSmallIntegerField(default=0)
    activity_id = models.CharField(_("activity IRI"), max_length=MAX_IRI_BYTES)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("link"), blank=True, max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    requires = models.CharField(
        _("counts when"), max_length=10, choices=Requires.choices, default=Requires.COMPLETED
    )
    min_score = models.DecimalField(
        _("minimum score"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("A scaled score from 0 to 1 (0.8 is 80%), or empty."),
    )

    class Meta:
        ordering = ["badge", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "activity_id"], name="learning_requirement_once_per_badge"
            ),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True) | Q(min_score__gte=0, min_score__lte=1),
                name="learning_requirement_min_score_0_1",
            ),
        ]
        # Ingest: which badges require the activities of this batch of statements?
        indexes = [models.Index(fields=["activity_id"], name="learning_req_activity_idx")]

    def __str__(self) -> str:
        return f"{self.badge.name}: {self.name}"


class StatementSource(models.TextChoices):
    PUSH = "push", _("sent to /xapi/statements")
    PULL = "pull", _("read from the LRS")
    DEMO = "demo", _("demo data")


class LearningStatement(models.Model):
    """What the app keeps of one xAPI statement (see ``core.domain.learning.statements``).

    The primary key is the statement's own id: a statement received twice (pushed, then
    pulled; or a sync run twice) is stored once.
    """

    id = models.UUIDField(primary_key=True)
    actor_key = models.CharField(max_length=MAX_KEY_BYTES, blank=True)  # "" for a Group
    actor_name = models.CharField(max_length=MAX_NAME_LENGTH, blank=True)
    verb_id = models.CharField(max_length=MAX_IRI_BYTES)
    activity_id = models.CharField(max_length=MAX_IRI_BYTES, blank=True)  # "" unless about an Activity
    voids = models.UUIDField(null=True, blank=True)  # a voiding statement: the statement it voids
    completion = models.BooleanField(null=True)
    success = models.BooleanField(null=True)
    score_scaled = models.FloatField(null=True)
    happened_at = models.DateTimeField()  # timestamp, else stored, else when we received it
    stored = models.DateTimeField(null=True)  # the LRS's
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=4, choices=StatementSource.choices)
    voided_by = models.UUIDField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A person's statements about some activities (progress), voided ones left out.
            models.Index(
                fields=["actor_key", "activity_id"],
                condition=Q(voided_by__isnull=True),
                name="learning_stmt_actor_act_idx",
            ),
            # Everyone's statements about an activity (a requirement added to a badge later).
            models.Index(fields=["activity_id"], name="learning_stmt_activity_idx"),
            # A voiding statement that arrived before what it voids.
            models.Index(fields=["voids"], condition=Q(voids__isnull=False), name="learning_stmt_voids_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_key} {self.verb_id} {self.activity_id or self.voids}"


class LearnerKey(models.Model):
    """An actor key that names a known person (see ``core.domain.learning.actors``)."""

    key = models.CharField(max_length=MAX_KEY_BYTES, primary_key=True)
    email = models.EmailField()  # the person, as awards know them: lower-cased
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["email"], name="learner_key_email_idx"),
            models.Index(fields=["user"], name="learner_key_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.email}"


class LearningProgressQuerySet(models.QuerySet):
    def for_emails(self, emails):
        emails = [email.lower() for email in emails if email]
        return self.filter(email__in=emails) if emails else self.none()

    def search(self, text: str):
        text = text.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if not text:
            return self
        return self.filter(Q(email__icontains=text) | Q(name__icontains=text))

    def most_advanced_first(self):
        return self.order_by("-percent", "-updated_at", "email")


class LearningProgress(models.Model):
    """One person's progress on one badge, as of the statements received so far.

    ``activities`` holds, per required activity IRI: ``started_at``, ``done_at``,
    ``last_done_at`` (ISO 8601), ``score`` (scaled) and ``statements`` (the ids that
    count as done): enough for the checklist, the evidence and a renewal.
    """

    # No index of its own: the unique (badge, email) one serves lookups by badge.
    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, related_name="learning_progress", db_index=False
    )
    email = models.EmailField()
    name = models.CharField(max_length=MAX_NAME_LENGTH, blank=True)
    done = models.PositiveSmallIntegerField(default=0)
    required = models.PositiveSmallIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True)
    completed_at = models.DateTimeField(null=True)  # when the last requirement was done
    activities = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = LearningProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["badge", "email"], name="learning_progress_once_per_person"),
        ]
        indexes = [
            # The manager's per-badge list, most advanced first.
            models.Index(fields=["badge", "-percent", "email"], name="learning_progress_badge_idx"),
            # A person's progress on every badge (home, API, verify).
            models.Index(fields=["email"], name="learning_progress_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.badge.name} {self.percent}%"


class LearningAward(models.Model):
    """An award made from learning records: which activities, done when, by which statements."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, primary_key=True, related_name="learning")
    # [{"activity_id", "name", "done_at", "score", "statement_id"}], in the badge's order.
    evidence = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.award} (from learning records)"

    @property
    def statement_ids(self) -> list[str]:
        return [item["statement_id"] for item in self.evidence if item.get("statement_id")]


class LearningSyncState(models.Model):
    """Where ``sync_learning`` stopped reading one LRS, and who is reading it now."""

    endpoint = models.CharField(max_length=500, primary_key=True)
    since = models.DateTimeField(null=True)  # the latest ``stored`` of what was read
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True)
    last_started_at = models.DateTimeField(null=True)
    last_finished_at = models.DateTimeField(null=True)
    last_read = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.endpoint} since {self.since}"
