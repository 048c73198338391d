"""Badges earned elsewhere: importing them after verification, re-checking them later."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.domain.credentials import imports as credential_imports
from core.domain.credentials.verify import CredentialRejected, verify_credential
from core.domain.images import read_upload
from core.domain.openbadges.checks import BadgeRejected, Reason, not_badge
from core.domain.openbadges.verify import VerifiedBadge, check_image, verify_hosted, verify_image, verify_url
from core.lib.fetch import new_deadline
from core.models import ImportedBadge, ImportSource, OpenBadgesVersion, Status

NO_EMAIL = _("Your account has no email address, so no badge can be matched to you.")
ALREADY_IMPORTED = _("You have already imported this badge.")
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


ONE_SOURCE = _(
    "Paste the badge's assertion URL, upload its baked image or paste its credential (one of the three)."
)
CREDENTIAL_TOO_LARGE = _("This credential is too large to import.")


def _duplicate() -> BadgeRejected:
    return BadgeRejected(Reason.DUPLICATE, str(ALREADY_IMPORTED))


def _store(owner: User, verified: VerifiedBadge, source: str) -> ImportedBadge:
    if len(verified.assertion_url) > URL_MAX_LENGTH:
        raise not_badge(_("its assertion URL is longer than %(max)s characters") % {"max": URL_MAX_LENGTH})
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
        raise not_badge(
            _("its documents cannot be kept as they are (%(problems)s)")
            % {"problems": "; ".join(err.messages)}
        ) from err
    return imported


def _store_credential(
    owner: User, imported: credential_imports.ImportedCredential, source: str
) -> ImportedBadge:
    """Keep a verified Open Badges 3.0 credential, as received, beside what it says for display."""
    verified = imported.verified
    if ImportedBadge.objects.filter(owner=owner, assertion_url=imported.identifier).exists():
        raise _duplicate()
    issuer = verified.credential["issuer"]
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    record = ImportedBadge(
        owner=owner,
        recipient_email=verified.recipient_email,
        source=source,
        version=OpenBadgesVersion.V3,
        assertion_url=imported.identifier,
        assertion=verified.credential,
        badge_class=verified.credential["credentialSubject"]["achievement"],
        issuer=issuer,
        badge_name=_text(verified.achievement_name) or _text(verified.credential.get("name")),
        issuer_name=_text(verified.issuer_name),
        issuer_url=_url(issuer.get("url")),
        issued_on=verified.valid_from or timezone.now(),
        expires_on=verified.valid_until,
        status=Status.ACTIVE,
        checked_at=timezone.now(),
    )
    record.image.save(f"badge.{imported.image_kind}", ContentFile(imported.image), save=False)
    try:
        record.full_clean(exclude=["image", "assertion_url", "issuer_url"])
        with transaction.atomic():
            record.save()
    except (IntegrityError, ValidationError) as err:
        record.image.delete(save=False)
        if isinstance(err, IntegrityError):
            raise _duplicate() from err
        raise not_badge(f"its documents cannot be kept as they are ({'; '.join(err.messages)})") from err
    return record


def imported_badge_create(
    *, owner: User, emails: list[str], assertion_url: str = "", image=None, credential: str = ""
) -> ImportedBadge:
    """Verify a badge from another issuer and keep it; raises BadgeRejected saying why not.

    Give exactly one of ``assertion_url`` (a hosted 2.0 assertion, or an Open
    Badges 3.0 credential at that URL), ``image`` (an uploaded PNG or SVG baked
    with either) or ``credential`` (an Open Badges 3.0 credential's JSON, pasted).
    ``emails`` are the owner's: the badge must have been issued to one of them.
    """
    assertion_url = (assertion_url or "").strip()
    credential = (credential or "").strip()
    if sum((bool(assertion_url), image is not None, bool(credential))) != 1:
        raise BadgeRejected(Reason.BAD_UPLOAD, ONE_SOURCE)
    if not emails:
        raise BadgeRejected(Reason.NO_EMAIL, str(NO_EMAIL))
    deadline = new_deadline()  # one for the whole import
    if credential:
        if len(credential.encode("utf-8")) > settings.OPENBADGES_FETCH_MAX_BYTES:
            raise BadgeRejected(Reason.BAD_UPLOAD, CREDENTIAL_TOO_LARGE)
        document = credential_imports.parse_credential(credential)
        found = credential_imports.import_credential(document, emails, deadline=deadline)
        return _store_credential(owner, found, ImportSource.JSON)
    if image is not None:
        content = _read_upload(image)
        kind = check_image(content)
        source = ImportSource.SVG if kind == "svg" else ImportSource.PNG
        document = credential_imports.baked_credential(content, kind)
        if document is not None:
            found = credential_imports.import_credential(
                document, emails, image=content, image_kind=kind, deadline=deadline
            )
            return _store_credential(owner, found, source)
        return _store(owner, verify_image(content, emails), source)
    try:
        return _store(owner, verify_url(assertion_url, emails), ImportSource.URL)
    except BadgeRejected as err:
        # Not a 2.0 assertion: a 3.0 credential, maybe (fetched again, in its own right).
        if err.reason != Reason.NOT_BADGE:
            raise
        document = credential_imports.credential_at(assertion_url, deadline)
        if document is None:
            raise
    found = credential_imports.import_credential(document, emails, deadline=deadline)
    return _store_credential(owner, found, ImportSource.URL)


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
        if imported.version == OpenBadgesVersion.V3:
            _recheck_credential(imported, now)
        else:
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


def _recheck_credential(imported: ImportedBadge, now) -> None:
    """Check a kept 3.0 credential again: signature, issuer keys, status list, dates."""
    try:
        verify_credential(
            imported.assertion,
            emails=[imported.recipient_email],
            now=now,
            fetch_json=credential_imports.json_fetcher(new_deadline()),
            did_web_scheme="http" if settings.OB3_DID_WEB_HTTP else "https",
        )
    except CredentialRejected as err:
        raise credential_imports.rejected(err, [imported.recipient_email]) from err


def imported_badge_delete(*, imported: ImportedBadge) -> None:
    with transaction.atomic():
        imported.delete()
    transaction.on_commit(lambda: imported.image.delete(save=False))
