"""Badges earned elsewhere: importing them after verification, re-checking them later."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.domain.images import read_upload
from core.domain.openbadges.checks import BadgeRejected, Reason, not_badge
from core.domain.openbadges.verify import VerifiedBadge, verify_hosted, verify_image, verify_url
from core.models import ImportedBadge, ImportSource, Status

NAME_MAX_LENGTH = 500
URL_MAX_LENGTH = 2000  # ImportedBadge.assertion_url and issuer_url


def _read_upload(image) -> bytes:
    try:
        return read_upload(image, limit=settings.OPENBADGES_FETCH_MAX_BYTES)
    except ValidationError as err:
        raise BadgeRejected(Reason.BAD_UPLOAD, err.messages[0]) from err


def _text(value, limit: int = NAME_MAX_LENGTH) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _url(value) -> str:
    """A link to show, or nothing: an issuer's ``url`` is only ever displayed."""
    if isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= URL_MAX_LENGTH:
        return value
    return ""


def _duplicate() -> BadgeRejected:
    return BadgeRejected(Reason.DUPLICATE, "You have already imported this badge.")


def _store(owner: User, verified: VerifiedBadge, source: str) -> ImportedBadge:
    if len(verified.assertion_url) > URL_MAX_LENGTH:
        raise not_badge(f"its assertion URL is longer than {URL_MAX_LENGTH} characters")
    if ImportedBadge.objects.filter(owner=owner, assertion_url=verified.assertion_url).exists():
        raise _duplicate()
    imported = ImportedBadge(
        owner=owner,
        recipient_email=verified.recipient_email,
        source=source,
        assertion_url=verified.assertion_url,
        assertion=verified.assertion,
        badge_class=verified.badge_class,
        issuer=verified.issuer,
        badge_name=_text(verified.badge_class.get("name")),
        issuer_name=_text(verified.issuer.get("name")),
        issuer_url=_url(verified.issuer.get("url")),
        issued_on=verified.issued_on,
        expires_on=verified.expires_on,
        status=Status.ACTIVE,
        checked_at=timezone.now(),
    )
    imported.image.save(f"badge.{verified.image_kind}", ContentFile(verified.image), save=False)
    try:
        imported.full_clean(exclude=["image", "assertion_url", "issuer_url"])  # URLs are checked when fetched
        with transaction.atomic():
            imported.save()
    except (IntegrityError, ValidationError) as err:
        imported.image.delete(save=False)
        if isinstance(err, IntegrityError):  # the same import, sent twice at once
            raise _duplicate() from err
        raise not_badge(f"its documents cannot be kept as they are ({'; '.join(err.messages)})") from err
    return imported


def imported_badge_create(
    *, owner: User, emails: list[str], assertion_url: str = "", image=None
) -> ImportedBadge:
    """Verify a badge from another issuer and keep it; raises BadgeRejected saying why not.

    Give exactly one of ``assertion_url`` (its hosted assertion) or ``image``
    (an uploaded baked PNG or SVG). ``emails`` are the owner's: the badge must
    have been issued to one of them.
    """
    assertion_url = (assertion_url or "").strip()
    if bool(assertion_url) == (image is not None):
        raise BadgeRejected(
            Reason.BAD_UPLOAD, "Paste the badge's assertion URL or upload its baked image (one of the two)."
        )
    if not emails:
        raise BadgeRejected(
            Reason.NO_EMAIL, "Your account has no email address, so no badge can be matched to you."
        )
    if image is not None:
        content = _read_upload(image)
        verified = verify_image(content, emails)
        source = ImportSource.SVG if verified.image_kind == "svg" else ImportSource.PNG
    else:
        verified = verify_url(assertion_url, emails)
        source = ImportSource.URL
    return _store(owner, verified, source)


@dataclass(frozen=True)
class RecheckResult:
    imported: ImportedBadge
    changed: bool
    problem: str = ""  # why it could not be checked (it keeps its status)


def imported_badge_recheck(*, imported: ImportedBadge, now=None) -> RecheckResult:
    """Verify an imported badge again; mark it revoked or expired if it has become so.

    A badge whose issuer cannot be reached, or whose documents changed shape,
    keeps its status: the problem is reported, not guessed at.
    """
    now = now or timezone.now()
    status, reason, problem = Status.ACTIVE, "", ""
    try:
        verify_hosted(imported.assertion_url, [imported.recipient_email], now=now)
    except BadgeRejected as err:
        if err.reason == Reason.REVOKED:
            status, reason = Status.REVOKED, err.message
        elif err.reason == Reason.EXPIRED:
            status = Status.EXPIRED
        else:
            status, problem = imported.status, err.message
    if status == Status.ACTIVE and imported.expires_on and imported.expires_on <= now:
        status = Status.EXPIRED
    changed = status != imported.status
    imported.status, imported.checked_at = status, now
    if status == Status.REVOKED:
        imported.revocation_reason = reason
    fields = ["status", "checked_at", "revocation_reason"] if changed else ["checked_at"]
    imported.save(update_fields=fields)
    return RecheckResult(imported=imported, changed=changed, problem=problem)


def imported_badge_delete(*, imported: ImportedBadge) -> None:
    with transaction.atomic():
        imported.delete()
    transaction.on_commit(lambda: imported.image.delete(save=False))
