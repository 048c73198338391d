"""Awarding badges: batches all-or-nothing, revocation, and the emails that follow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.domain.openbadges.documents import AWARD_DOCUMENTS, hosted_cache_key
from core.models import Award, AwardBatch, Badge, NotificationKind
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
    awarded: list[Award] = field(default_factory=list)  # renewals included
    already_held: list[Recipient] = field(default_factory=list)
    renewed: list[Award] = field(default_factory=list)  # of the awarded, those renewing an expired award
    batch: AwardBatch | None = None  # None when nobody was awarded


def _clean_evidence_url(url: str) -> str:
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as err:
            raise ValidationError({"evidence_url": BAD_EVIDENCE_URL}) from err
    return url


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
        current = Award.objects.current().filter(badge=badge, recipient_email__in=emails)
        # An expired award may be renewed: it steps aside for the new one.
        expired = current.filter(expires_on__lte=now)
        renewing = set(expired.values_list("recipient_email", flat=True))
        expired.update(superseded_at=now)
        held = set(current.values_list("recipient_email", flat=True))
        batch = AwardBatch(badge=badge, created_by=actor, created_at=now, notify=notify)
        candidates = [
            Award(
                id=uuid.uuid4(),
                badge=badge,
                organisation_id=badge.organisation_id,
                recipient_email=r.email,
                recipient_name=r.name,
                issued_on=now,
                expires_on=expires_on,
                evidence_url=evidence_url,
                narrative=(narratives or {}).get(r.email, narrative).strip(),
                issued_by=actor,
                batch=batch,
            )
            for r in recipients
            if r.email not in held
        ]
        # A concurrent batch may insert the same person between our read and
        # this write: the constraint drops the duplicate, and we find out which.
        if candidates:
            batch.save()
        Award.objects.bulk_create(candidates, ignore_conflicts=True, batch_size=1000)
        created_ids = set(
            Award.objects.filter(pk__in=[a.pk for a in candidates]).values_list("pk", flat=True)
        )
        result = AwardBatchResult(
            awarded=[a for a in candidates if a.pk in created_ids],
            already_held=[r for r in recipients if r.email in held],
        )
        lost_race = {a.recipient_email for a in candidates if a.pk not in created_ids}
        result.already_held += [r for r in recipients if r.email in lost_race]
        result.renewed = [a for a in result.awarded if a.recipient_email in renewing]
        if result.awarded:
            batch.awarded_count = len(result.awarded)
            batch.renewed_count = len(result.renewed)
            batch.already_held_count = len(result.already_held)
            batch.save(update_fields=["awarded_count", "renewed_count", "already_held_count"])
            result.batch = batch
        elif candidates:  # every one of them lost a race to another batch
            batch.delete()
        awarded_ids = [a.pk for a in result.awarded]
        # Their Open Badges 3.0 credentials are signed in the background (and on first use).
        transaction.on_commit(lambda: credentials_sign_later(award_ids=awarded_ids))
        if notify:
            # In this transaction: an email is queued with its award, or neither exists.
            notifications_queue(awards=result.awarded, kind=NotificationKind.AWARDED)
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
