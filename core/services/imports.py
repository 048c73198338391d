"""Badges earned elsewhere: importing them after verification, re-checking them later.

An import is asked for with ``import_request_create``: the input is checked for
shape and size at once, and an ``ImportRequest`` is queued; a background task
(``run_import``) fetches and verifies the badge with its issuer, which may be
slow or never answer, and records the outcome with the same messages a
synchronous import gave. A person has at most ``IMPORTS_IN_FLIGHT_MAX`` imports
being checked and ``IMPORTS_PER_MINUTE`` asked for a minute.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.domain.credentials import imports as credential_imports
from core.domain.credentials.verify import CredentialRejected, verify_credential
from core.domain.images import read_upload
from core.domain.openbadges.checks import BadgeRejected, Reason, is_url, not_badge
from core.domain.openbadges.verify import (
    BAD_ASSERTION_URL,
    VerifiedBadge,
    check_image,
    verify_hosted,
    verify_image,
    verify_url,
)
from core.lib import throttle
from core.lib.fetch import new_deadline
from core.models import ImportedBadge, ImportRequest, ImportSource, ImportState, OpenBadgesVersion, Status

logger = logging.getLogger(__name__)

NO_EMAIL = _("Your account has no email address, so no badge can be matched to you.")
ALREADY_IMPORTED = _("You have already imported this badge.")
NAME_MAX_LENGTH = 500
URL_MAX_LENGTH = 2000  # ImportedBadge.assertion_url and issuer_url
TOO_LONG = _("its assertion URL is longer than %(max)s characters")


def _read_upload(image) -> bytes:
    if isinstance(image, bytes):  # kept by an ImportRequest, read when it was asked for
        return image
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
        raise not_badge(TOO_LONG % {"max": URL_MAX_LENGTH})
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


# --- In the background ------------------------------------------------------------

VERIFIED_AND_ADDED = _("“%(badge)s” from %(issuer)s is verified and added.")
IN_FLIGHT = _(
    "You already have %(count)s imports being checked: wait until one is verified or refused, then try again."
)
THROTTLED = _("You asked for too many imports in a minute: try again in %(seconds)s seconds.")
CHECK_FAILED = _("The check of this badge could not finish. Try again.")
NOT_RETRYABLE = _("Only an import whose check did not finish can be tried again.")
STILL_RUNNING = _("This import is still being checked.")


class ImportThrottled(BadgeRejected):
    """Too many imports at once or in a minute; ``retry_after`` seconds, when known."""

    def __init__(self, reason: str, message: str, retry_after: int | None = None):
        super().__init__(reason, message)
        self.retry_after = retry_after


def _stale_before(now=None):
    return (now or timezone.now()) - timedelta(seconds=settings.IMPORT_STALE_SECONDS)


def _admit(owner: User) -> None:
    """The per-person limits, checked with the person's row locked (two requests at once count as two)."""
    User.objects.select_for_update().filter(pk=owner.pk).first()
    in_flight = ImportRequest.objects.owned_by(owner).in_flight(stale_before=_stale_before()).count()
    if in_flight >= settings.IMPORTS_IN_FLIGHT_MAX:
        raise ImportThrottled(Reason.IN_FLIGHT, IN_FLIGHT % {"count": in_flight})
    allowance = throttle.take(f"imports:{owner.pk}", limit=settings.IMPORTS_PER_MINUTE, period=60)
    if not allowance.allowed:
        raise ImportThrottled(
            Reason.THROTTLED, THROTTLED % {"seconds": allowance.retry_after}, allowance.retry_after
        )


def _enqueue_on_commit(import_request: ImportRequest) -> None:
    request_id = str(import_request.pk)
    # A request rolled back never runs; the task finds nothing to claim if it was dismissed.
    transaction.on_commit(lambda: run_import.enqueue(request_id))


def import_request_create(
    *, owner: User, emails: list[str], assertion_url: str = "", image=None, credential: str = ""
) -> ImportRequest:
    """Ask for an import: checked for shape now, fetched and verified by a worker.

    Raises BadgeRejected for what needs no fetch (no or several sources, no email,
    an upload that is not an image or too large, a pasted text that is no
    credential, a link already imported), and ImportThrottled past the limits.
    """
    assertion_url = (assertion_url or "").strip()
    credential = (credential or "").strip()
    if sum((bool(assertion_url), image is not None, bool(credential))) != 1:
        raise BadgeRejected(Reason.BAD_UPLOAD, ONE_SOURCE)
    if not emails:
        raise BadgeRejected(Reason.NO_EMAIL, str(NO_EMAIL))
    upload, source = None, ImportSource.URL
    if credential:
        if len(credential.encode("utf-8")) > settings.OPENBADGES_FETCH_MAX_BYTES:
            raise BadgeRejected(Reason.BAD_UPLOAD, CREDENTIAL_TOO_LARGE)
        credential_imports.parse_credential(credential)
        source = ImportSource.JSON
    elif image is not None:
        upload = _read_upload(image)
        source = ImportSource.SVG if check_image(upload) == "svg" else ImportSource.PNG
    else:
        if not is_url(assertion_url):
            raise BadgeRejected(Reason.REFUSED, str(BAD_ASSERTION_URL))
        if len(assertion_url) > URL_MAX_LENGTH:
            raise not_badge(TOO_LONG % {"max": URL_MAX_LENGTH})
        if ImportedBadge.objects.filter(owner=owner, assertion_url=assertion_url).exists():
            raise _duplicate()
    with transaction.atomic():
        _admit(owner)
        import_request = ImportRequest.objects.create(
            owner=owner,
            source=source,
            assertion_url=assertion_url,
            credential=credential,
            upload=upload,
            emails=list(emails),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        _enqueue_on_commit(import_request)
    return import_request


def import_request_retry(*, import_request: ImportRequest) -> ImportRequest:
    """Queue again an import whose check did not finish (a stopped worker, a crash)."""
    if import_request.current_state != ImportState.FAILED:
        raise BadgeRejected(Reason.REFUSED, NOT_RETRYABLE)
    with transaction.atomic():
        _admit(import_request.owner)
        now = timezone.now()
        ImportRequest.objects.filter(pk=import_request.pk).update(
            state=ImportState.PENDING, reason="", message="", queued_at=now, started_at=None, finished_at=None
        )
        import_request.refresh_from_db()
        _enqueue_on_commit(import_request)
    return import_request


def import_request_dismiss(*, import_request: ImportRequest) -> None:
    """Forget an import's outcome (the badge it imported stays)."""
    if import_request.current_state == ImportState.PENDING:
        raise BadgeRejected(Reason.REFUSED, STILL_RUNNING)
    import_request.delete()


def _verify(import_request: ImportRequest) -> tuple[str, str, str, ImportedBadge | None]:
    """Fetch and verify; the outcome as (state, reason, message, imported)."""
    try:
        imported = imported_badge_create(
            owner=import_request.owner,
            emails=import_request.emails,
            assertion_url=import_request.assertion_url,
            image=bytes(import_request.upload) if import_request.upload is not None else None,
            credential=import_request.credential,
        )
    except BadgeRejected as err:
        return ImportState.REFUSED, err.reason, str(err.message), None
    except Exception:  # a bug or a broken peer we did not foresee: never a request stuck pending
        logger.exception("Import %s failed", import_request.pk)
        return ImportState.FAILED, "", str(CHECK_FAILED), None
    message = VERIFIED_AND_ADDED % {"badge": imported.badge_name, "issuer": imported.issuer_name}
    return ImportState.VERIFIED, "", str(message), imported


def import_request_run(*, request_id) -> ImportRequest | None:
    """The task's work: claim the request (once), verify it, record the outcome.

    Claimed only while pending, unclaimed and not stale, so a task queued twice
    (a retry beside the first try) runs it once. A refused or verified request
    drops its upload; a failed one keeps it, to be tried again.
    """
    now = timezone.now()
    claimed = ImportRequest.objects.filter(
        pk=request_id, state=ImportState.PENDING, started_at__isnull=True, queued_at__gte=_stale_before(now)
    ).update(started_at=now, attempts=F("attempts") + 1)
    import_request = ImportRequest.objects.select_related("owner").filter(pk=request_id).first()
    if not claimed or import_request is None:
        return import_request
    with translation.override(import_request.language or settings.LANGUAGE_CODE):
        state, reason, message, imported = _verify(import_request)
    outcome = {"state": state, "reason": reason, "message": message, "imported": imported}
    if state != ImportState.FAILED:
        outcome["upload"] = None
    # Only if still pending: dismissed or retried meanwhile, the newer word stands.
    ImportRequest.objects.filter(pk=request_id, state=ImportState.PENDING, started_at=now).update(
        finished_at=timezone.now(), **outcome
    )
    return ImportRequest.objects.filter(pk=request_id).first()


@task()
def run_import(request_id: str) -> str:
    """Fetch and verify one import in the background; its state once done."""
    import_request = import_request_run(request_id=request_id)
    return import_request.state if import_request else "gone"
