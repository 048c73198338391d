"""Awarding badges: batches all-or-nothing, revocation, and the emails that follow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.domain.openbadges.documents import AWARD_DOCUMENTS, hosted_cache_key
from core.lib.bulk import insert_new_columns
from core.models import Award, AwardBatch, Badge, NotificationKind, new_salt
from core.services.credentials import credentials_sign_later
from core.services.notifications import notifications_queue
from core.services.recipients import (
    NO_RECIPIENT,
    TOO_MANY_RECIPIENTS,
    Recipient,
    check_recipients,
    sort_recipients,
)

MAX_REVOCATION_REASON = 2000

BADGE_ARCHIVED = _("This badge is archived: it can no longer be awarded.")
BAD_EVIDENCE_URL = _("Enter a valid http(s) link for the evidence.")
REASON_REQUIRED = _("Say why the award is revoked: the recipient and verifiers see it.")
REASON_TOO_LONG = _("Keep the reason under %(max)s characters.")
ALREADY_REVOKED = _("This award is already revoked.")


@dataclass
class AwardBatchResult:
    """What a batch did. ``awarded`` builds the awards' instances only when asked: a
    caller that needs the counts (the API, the pages) never pays for 5,000 of them."""

    badge: Badge
    batch: AwardBatch | None = None  # None when nobody was awarded
    already_held: list[Recipient] = field(default_factory=list)
    renewed_count: int = 0  # of the awarded, those renewing an expired award
    rows: list[dict] = field(default_factory=list, repr=False)  # the awarded, by field

    @property
    def awarded_count(self) -> int:  # renewals included
        return len(self.rows)

    @property
    def already_held_count(self) -> int:
        return len(self.already_held)

    @property
    def new_count(self) -> int:
        return self.awarded_count - self.renewed_count

    @cached_property
    def awarded(self) -> list[Award]:
        """The awards made (renewals included), in the order given, without reading them back."""
        awards = [Award(badge=self.badge, batch=self.batch, **row) for row in self.rows]
        for award in awards:  # as saved instances, which they are
            award._state.adding, award._state.db = False, router.db_for_write(Award)
        return awards


def _clean_evidence_url(url: str) -> str:
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as err:
            raise ValidationError({"evidence_url": BAD_EVIDENCE_URL}) from err
    return url


def _insert_awards(rows: list[dict], *, badge: Badge, batch: AwardBatch) -> set:
    """Insert the awards, skipping any that a concurrent batch made current first (the
    partial unique constraint): the ids of those that went in. On PostgreSQL one
    statement, each varying column sent as one array; no model instances."""
    shared = ("organisation_id", "issued_on", "expires_on", "evidence_url", "issued_by_id")
    varying = ("id", "recipient_email", "recipient_name", "narrative", "salt")
    inserted = insert_new_columns(
        Award,
        columns={name: [row[name] for row in rows] for name in varying},
        constants={"badge": badge.pk, "batch": batch.pk, **{name: rows[0][name] for name in shared}},
        returning="id",
    )
    if inserted is not None:
        return set(inserted)
    # Elsewhere (SQLite): Django's bulk_create, then which ones went in.
    Award.objects.bulk_create(
        [Award(badge=badge, batch=batch, **row) for row in rows], ignore_conflicts=True, batch_size=1000
    )
    return set(Award.objects.filter(pk__in=[row["id"] for row in rows]).values_list("pk", flat=True))


def award_batch_create(
    *,
    badge: Badge,
    actor: User | None,
    recipients: list[Recipient],
    evidence_url: str = "",
    narrative: str = "",
    narratives: dict[str, str] | None = None,
    notify: bool = True,
) -> AwardBatchResult:
    """Award ``badge`` to every recipient, or to none if anything is invalid.

    ``narratives`` gives some recipients (by lower-case email) a narrative of their
    own, e.g. the learning each did (``core.services.learning``).

    People who already hold a current award of the badge are reported in
    ``already_held`` and not given a second one; a partial unique constraint
    makes that hold against concurrent batches too.

    A fixed number of statements whatever the size (one read of the current holders,
    one update of the expired ones, then inserts of a thousand rows each, for the
    awards and their emails), and no model instance per award: signing and sending
    are queued for the workers.
    """
    if badge.is_archived:
        raise ValidationError(BADGE_ARCHIVED)
    recipients = check_recipients(recipients)  # the one check, raises RecipientListError
    evidence_url = _clean_evidence_url(evidence_url)
    emails = [r.email for r in recipients]
    with transaction.atomic():
        # The badge row, locked: archiving it or changing its slug waits for this
        # batch to commit, and this batch sees the badge as it is now, not as read.
        locked = Badge.objects.select_for_update().get(pk=badge.pk)
        if locked.is_archived:
            raise ValidationError(BADGE_ARCHIVED)
        now = timezone.now()
        expires_on = locked.expiry_for(now)
        current = list(
            Award.objects.current()
            .filter(badge=badge, recipient_email__in=emails)
            .values_list("pk", "recipient_email", "expires_on")
        )
        # An expired award may be renewed: it steps aside for the new one.
        expired = {pk: email for pk, email, ends in current if ends is not None and ends <= now}
        if expired:
            Award.objects.filter(pk__in=list(expired)).update(superseded_at=now)
        renewing = set(expired.values())
        held = {email for _pk, email, _ends in current} - renewing
        batch = AwardBatch(badge=badge, created_by=actor, created_at=now, notify=notify)
        actor_id = actor.pk if actor is not None else None
        rows = [
            {
                "id": uuid.uuid4(),
                "organisation_id": badge.organisation_id,
                "recipient_email": r.email,
                "recipient_name": r.name,
                "issued_on": now,
                "expires_on": expires_on,
                "evidence_url": evidence_url,
                "narrative": (narratives or {}).get(r.email, narrative).strip(),
                "issued_by_id": actor_id,
                "salt": new_salt(),
            }
            for r in recipients
            if r.email not in held
        ]
        # A concurrent batch may insert the same person between our read and
        # this write: the constraint drops the duplicate, and we find out which.
        created_ids = set()
        if rows:
            batch.save()
            created_ids = _insert_awards(rows, badge=badge, batch=batch)
        awarded = [row for row in rows if row["id"] in created_ids]
        lost_race = {row["recipient_email"] for row in rows if row["id"] not in created_ids}
        result = AwardBatchResult(
            badge=badge,
            already_held=[r for r in recipients if r.email in held or r.email in lost_race],
            renewed_count=sum(1 for row in awarded if row["recipient_email"] in renewing),
            rows=awarded,
        )
        if awarded:
            batch.awarded_count = result.awarded_count
            batch.renewed_count = result.renewed_count
            batch.already_held_count = result.already_held_count
            batch.save(update_fields=["awarded_count", "renewed_count", "already_held_count"])
            result.batch = batch
        elif rows:  # every one of them lost a race to another batch
            batch.delete()
        awarded_ids = [row["id"] for row in awarded]
        # Their Open Badges 3.0 credentials are signed in the background (and on first use).
        transaction.on_commit(lambda: credentials_sign_later(award_ids=awarded_ids))
        if notify:
            # In this transaction: an email is queued with its award, or neither exists.
            notifications_queue(award_ids=awarded_ids, kind=NotificationKind.AWARDED)
    return result


@dataclass
class AwardPreview:
    """What awarding would do, without doing it: the same checks as ``award_batch_create``."""

    new: list[Recipient] = field(default_factory=list)
    renewing: list[Recipient] = field(default_factory=list)  # their award of it has expired
    already_held: list[Recipient] = field(default_factory=list)
    invalid: dict[int, str] = field(default_factory=dict)  # line -> problem
    problem: str = ""  # as a whole: the badge is archived, the list empty or too long

    @property
    def to_award(self) -> list[Recipient]:
        return self.new + self.renewing

    @property
    def can_award(self) -> bool:
        return bool(self.to_award) and not self.invalid and not self.problem


def award_batch_preview(*, badge: Badge, recipients: list[Recipient]) -> AwardPreview:
    """Sort the recipients as awarding would: new, renewing, already holding, invalid (two queries)."""
    valid, invalid = sort_recipients(recipients)
    preview = AwardPreview(invalid=invalid)
    if badge.is_archived:
        preview.problem = BADGE_ARCHIVED
    elif not valid and not invalid:
        preview.problem = NO_RECIPIENT
    elif len(valid) > settings.AWARD_BATCH_MAX_RECIPIENTS:
        preview.problem = TOO_MANY_RECIPIENTS % {"max": settings.AWARD_BATCH_MAX_RECIPIENTS}
    now = timezone.now()
    current = dict(
        Award.objects.current()
        .filter(badge=badge, recipient_email__in=[r.email for r in valid])
        .values_list("recipient_email", "expires_on")
    )
    for recipient in valid:
        if recipient.email not in current:
            preview.new.append(recipient)
        elif current[recipient.email] is not None and current[recipient.email] <= now:
            preview.renewing.append(recipient)
        else:
            preview.already_held.append(recipient)
    return preview


def award_revoke(*, award: Award, actor: User | None, reason: str, notify: bool = True) -> Award:
    """Revoke with a public reason; the recipient is told by email unless ``notify`` is False."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason) > MAX_REVOCATION_REASON:
        raise ValidationError({"reason": REASON_TOO_LONG % {"max": MAX_REVOCATION_REASON}})
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.revoked_at is not None:
            raise ValidationError(ALREADY_REVOKED)
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
        # Its hosted assertion and baked images stop being served from the cache.
        keys = [hosted_cache_key(kind, award.pk) for kind in AWARD_DOCUMENTS]
        transaction.on_commit(lambda: cache.delete_many(keys))
        if notify:
            notifications_queue(awards=[locked], kind=NotificationKind.REVOKED)
    award.revoked_at, award.revocation_reason, award.revoked_by = (
        locked.revoked_at,
        locked.revocation_reason,
        actor,
    )
    return award
