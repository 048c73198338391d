"""Awarding badges: batches all-or-nothing, revocation, and the emails that follow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.domain.openbadges.documents import AWARD_DOCUMENTS, hosted_cache_key
from core.lib.urls import absolute_url
from core.models import Award, Badge
from core.services.credentials import credentials_sign_later
from core.services.recipients import Recipient, check_recipients

MAX_REVOCATION_REASON = 2000

BADGE_ARCHIVED = "This badge is archived: it can no longer be awarded."
BAD_EVIDENCE_URL = "Enter a valid http(s) link for the evidence."
REASON_REQUIRED = "Say why the award is revoked: the recipient and verifiers see it."
REASON_TOO_LONG = "Keep the reason under %(max)s characters."
ALREADY_REVOKED = "This award is already revoked."


@dataclass
class AwardBatchResult:
    awarded: list[Award] = field(default_factory=list)
    already_held: list[Recipient] = field(default_factory=list)


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
    notify: bool = True,
) -> AwardBatchResult:
    """Award ``badge`` to every recipient, or to none if anything is invalid.

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
        current.filter(expires_on__lte=now).update(superseded_at=now)
        held = set(current.values_list("recipient_email", flat=True))
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
                narrative=narrative.strip(),
                issued_by=actor,
            )
            for r in recipients
            if r.email not in held
        ]
        # A concurrent batch may insert the same person between our read and
        # this write: the constraint drops the duplicate, and we find out which.
        Award.objects.bulk_create(candidates, ignore_conflicts=True)
        created_ids = set(
            Award.objects.filter(pk__in=[a.pk for a in candidates]).values_list("pk", flat=True)
        )
        result = AwardBatchResult(
            awarded=[a for a in candidates if a.pk in created_ids],
            already_held=[r for r in recipients if r.email in held],
        )
        lost_race = {a.recipient_email for a in candidates if a.pk not in created_ids}
        result.already_held += [r for r in recipients if r.email in lost_race]
        awarded_ids = [a.pk for a in result.awarded]
        # Their Open Badges 3.0 credentials are signed in the background (and on first use).
        transaction.on_commit(lambda: credentials_sign_later(award_ids=awarded_ids))
        if notify:
            transaction.on_commit(lambda: send_award_emails(award_ids=awarded_ids))
    return result


def award_revoke(*, award: Award, actor: User | None, reason: str) -> Award:
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
    award.revoked_at, award.revocation_reason, award.revoked_by = (
        locked.revoked_at,
        locked.revocation_reason,
        actor,
    )
    return award


def send_award_emails(*, award_ids: list) -> int:
    """Tell each recipient about their award, with a link to its page."""
    awards = list(Award.objects.with_badge().filter(pk__in=award_ids))
    messages = []
    for award in awards:
        context = {"award": award, "badge": award.badge, "url": absolute_url(award.get_absolute_url())}
        messages.append(
            EmailMessage(
                subject=(
                    f"You have been awarded “{award.badge.name}” by {award.badge.organisation.printable_name}"
                ),
                body=render_to_string("core/emails/award.txt", context),
                to=[award.recipient_email],
            )
        )
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
