"""Verifying an Open Badge 2.0 earned elsewhere (hosted verification).

From an assertion URL or a baked image: the hosted assertion, its badge class
and its issuer are fetched (through the bounded fetcher) and checked, in this
order, so each failure gets its own message:

1. reachable and well formed (``unreachable``, ``refused``, ``too_large``, ``not_badge``);
2. a baked image's assertion is the hosted one (``tampered``);
3. not revoked: HTTP 410 or ``revoked: true`` (``revoked``);
4. issued to one of the employee's emails (``not_yours``);
5. not expired (``expired``);
6. its badge class and issuer well formed, and the assertion hosted on the
   issuer's origin, as the spec requires (``not_badge``, ``tampered``).

Only hosted (not signed) 2.0 assertions are accepted. The hosted assertion's
own ``revoked`` answer is authoritative for hosted badges, so the issuer's
revocation list is not read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from core.openbadges.baking import NotAnImage, image_kind, unbake
from core.openbadges.fetch import FetchRefused, FetchTooLarge, FetchUnreachable, fetch

IMAGE_ACCEPT = "image/png, image/svg+xml;q=0.9, image/*;q=0.5"
HASH_ALGORITHMS = {"sha256", "md5"}
# The fields that identify an award: a baked copy must agree with the hosted one on them.
IDENTIFYING_FIELDS = ("id", "recipient", "badge", "issuedOn")


class Reason:
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    TOO_LARGE = "too_large"
    NOT_BADGE = "not_badge"
    NOT_YOURS = "not_yours"
    REVOKED = "revoked"
    EXPIRED = "expired"
    TAMPERED = "tampered"
    BAD_UPLOAD = "bad_upload"
    DUPLICATE = "duplicate"
    NO_EMAIL = "no_email"


class BadgeRejected(ValidationError):
    """A badge we cannot import; ``reason`` is one of ``Reason``, the message says it to a person."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, code=reason)
        self.reason = reason


@dataclass
class VerifiedBadge:
    assertion_url: str
    assertion: dict
    badge_class: dict
    issuer: dict
    recipient_email: str
    issued_on: datetime
    expires_on: datetime | None
    image: bytes = b""
    image_kind: str = ""  # "png" or "svg"


# --- Fetching ---------------------------------------------------------------------


def _fetch(url: str, what: str, *, accept: str | None = None):
    try:
        return fetch(url, **({"accept": accept} if accept else {}))
    except FetchRefused as err:
        raise BadgeRejected(Reason.REFUSED, f"We will not fetch {what} at {url}: {err}.") from err
    except FetchTooLarge as err:
        raise BadgeRejected(Reason.TOO_LARGE, f"We could not read {what} at {url}: {err}.") from err
    except FetchUnreachable as err:
        raise BadgeRejected(
            Reason.UNREACHABLE,
            f"We could not reach {what} at {url}: {err}. Check the link or try again later.",
        ) from err


def _parse_json(body: bytes, url: str, what: str) -> dict:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise BadgeRejected(
            Reason.NOT_BADGE, f"This is not an Open Badge: {url} does not hold {what} (it is not JSON)."
        ) from err
    if not isinstance(data, dict):
        raise BadgeRejected(Reason.NOT_BADGE, f"This is not an Open Badge: {url} does not hold {what}.")
    return data


def _fetch_json(url: str, what: str) -> dict:
    document = _fetch(url, what)
    if document.status != 200:
        raise BadgeRejected(
            Reason.UNREACHABLE,
            f"We could not fetch {what} at {url}: the server answered {document.status}.",
        )
    return _parse_json(document.body, url, what)


# --- Shapes -----------------------------------------------------------------------


def _is_url(value) -> bool:
    return (
        isinstance(value, str)
        and urlsplit(value).scheme in ("http", "https")
        and bool(urlsplit(value).netloc)
    )


def _has_type(document: dict, expected: tuple[str, ...]) -> bool:
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("#", 1)[-1] in expected for t in types)


def _not_badge(detail: str) -> BadgeRejected:
    return BadgeRejected(Reason.NOT_BADGE, f"This is not an Open Badge: {detail}.")


def _parse_datetime(value, field: str) -> datetime:
    if not isinstance(value, str):
        raise _not_badge(f"its “{field}” date is missing")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise _not_badge(f"its “{field}” date ({value}) is not an ISO 8601 date") from err
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _node_id(value) -> str | None:
    """A reference is a URL, or an embedded document with an ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _check_assertion_shape(assertion: dict) -> None:
    if not _has_type(assertion, ("Assertion",)):
        raise _not_badge("the document is not an Open Badges 2.0 assertion")
    if not _is_url(assertion.get("id")):
        raise _not_badge("the assertion has no http(s) id")
    if not isinstance(assertion.get("recipient"), dict):
        raise _not_badge("the assertion names no recipient")
    if not _node_id(assertion.get("badge")) and not isinstance(assertion.get("badge"), dict):
        raise _not_badge("the assertion names no badge")
    verification = assertion.get("verification") or {}
    kind = verification.get("type", "") if isinstance(verification, dict) else ""
    if isinstance(kind, str) and kind.rsplit("#", 1)[-1].lower() in ("signedbadge", "signed"):
        raise _not_badge("it is a signed badge, and only hosted badges can be imported")


def _check_badge_class_shape(badge_class: dict) -> None:
    if not _has_type(badge_class, ("BadgeClass",)):
        raise _not_badge("the assertion's badge is not an Open Badges badge class")
    for field in ("name", "description"):
        if not isinstance(badge_class.get(field), str) or not badge_class[field].strip():
            raise _not_badge(f"its badge class has no {field}")
    if not badge_class.get("criteria"):
        raise _not_badge("its badge class has no criteria")
    if not _node_id(badge_class.get("image")):
        raise _not_badge("its badge class has no image")
    if not _node_id(badge_class.get("issuer")):
        raise _not_badge("its badge class names no issuer")


def _check_issuer_shape(issuer: dict) -> None:
    if not _has_type(issuer, ("Issuer", "Profile")):
        raise _not_badge("the badge's issuer is not an Open Badges issuer profile")
    if not isinstance(issuer.get("name"), str) or not issuer["name"].strip():
        raise _not_badge("its issuer has no name")
    if not _is_url(issuer.get("id")):
        raise _not_badge("its issuer has no http(s) id")


# --- Checks -----------------------------------------------------------------------


def _recipient_email(recipient: dict, emails: list[str]) -> str | None:
    """Which of ``emails`` the recipient is, or None."""
    identity = recipient.get("identity")
    if not isinstance(identity, str) or not identity:
        raise _not_badge("its recipient has no identity")
    if recipient.get("type", "email") != "email":
        return None
    if recipient.get("hashed") is True:
        algorithm, _, digest = identity.partition("$")
        if algorithm.lower() not in HASH_ALGORITHMS:
            raise _not_badge(f"its recipient is hashed with {algorithm}, which Open Badges does not use")
        salt = recipient.get("salt") or ""
        salt = salt if isinstance(salt, str) else ""
        for email in emails:
            computed = hashlib.new(algorithm.lower(), (email + salt).encode("utf-8")).hexdigest()
            if computed == digest.strip().lower():
                return email
        return None
    return next((email for email in emails if identity.strip().lower() == email), None)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _hosted_by_issuer(assertion_url: str, issuer: dict) -> bool:
    """The spec: a hosted assertion lives on its issuer's origin, or where the issuer allows."""
    verification = issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    allowed = verification.get("allowedOrigins")
    starts = verification.get("startsWith")
    if allowed:
        allowed = allowed if isinstance(allowed, list) else [allowed]
        return urlsplit(assertion_url).netloc.lower() in {str(a).lower() for a in allowed}
    if starts:
        starts = starts if isinstance(starts, list) else [starts]
        return any(assertion_url.startswith(str(s)) for s in starts)
    return _origin(assertion_url) == _origin(issuer["id"])


def _check_embedded(embedded: dict, hosted: dict) -> None:
    for field in IDENTIFYING_FIELDS:
        left, right = embedded.get(field), hosted.get(field)
        if field == "badge":
            left, right = _node_id(left), _node_id(right)
        if left != right:
            raise BadgeRejected(
                Reason.TAMPERED,
                f"This badge image has been tampered with: its “{field}” differs from the issuer's "
                "hosted assertion.",
            )


def _revoked(reason: object) -> BadgeRejected:
    said = f" Reason given: {reason}" if isinstance(reason, str) and reason.strip() else ""
    return BadgeRejected(Reason.REVOKED, f"This badge has been revoked by its issuer.{said}")


def _fetch_assertion(url: str) -> dict:
    document = _fetch(url, "the assertion")
    if document.status == 410:  # Gone: a revoked hosted assertion
        try:
            body = json.loads(document.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            body = {}
        raise _revoked(body.get("revocationReason") if isinstance(body, dict) else None)
    if document.status != 200:
        raise BadgeRejected(
            Reason.UNREACHABLE,
            f"We could not fetch the assertion at {url}: the server answered {document.status}.",
        )
    assertion = _parse_json(document.body, url, "an Open Badges assertion")
    if assertion.get("revoked") is True:
        raise _revoked(assertion.get("revocationReason"))
    _check_assertion_shape(assertion)
    if assertion["id"] not in (url, document.url):
        # The hosted copy is the one at its own id: read it from there, once.
        canonical = _fetch_json(assertion["id"], "the assertion")
        if canonical.get("revoked") is True:
            raise _revoked(canonical.get("revocationReason"))
        _check_assertion_shape(canonical)
        if canonical["id"] != assertion["id"]:
            raise _not_badge("the assertion is not hosted at its own id")
        assertion = canonical
    return assertion


def _linked(value, what: str) -> dict:
    """An embedded document, or the one its URL points to."""
    if isinstance(value, dict) and (value.get("name") or not _is_url(value.get("id"))):
        return value
    url = _node_id(value)
    if not _is_url(url):
        raise _not_badge(f"its {what} is not a link")
    return _fetch_json(url, f"the {what}")


def verify_hosted(url: str, emails: list[str], *, embedded: dict | None = None, now=None) -> VerifiedBadge:
    """Verify the hosted assertion at ``url`` for an employee known by ``emails``.

    ``embedded``: the assertion a baked image carried, compared with the hosted one.
    Raises BadgeRejected.
    """
    if not _is_url(url):
        raise BadgeRejected(Reason.REFUSED, "Paste the badge's assertion URL: an http(s) link.")
    assertion = _fetch_assertion(url)
    if embedded is not None:
        _check_embedded(embedded, assertion)
    recipient_email = _recipient_email(assertion["recipient"], emails)
    if recipient_email is None:
        raise BadgeRejected(
            Reason.NOT_YOURS,
            "This badge was issued to someone else: its recipient is none of your email addresses "
            f"({', '.join(emails)}).",
        )
    issued_on = _parse_datetime(assertion.get("issuedOn"), "issuedOn")
    expires_on = _parse_datetime(assertion["expires"], "expires") if assertion.get("expires") else None
    if expires_on is not None and expires_on <= (now or timezone.now()):
        raise BadgeRejected(Reason.EXPIRED, f"This badge expired on {expires_on:%d %B %Y}.")
    badge_class = _linked(assertion["badge"], "badge class")
    _check_badge_class_shape(badge_class)
    issuer = _linked(badge_class["issuer"], "issuer")
    _check_issuer_shape(issuer)
    if not _hosted_by_issuer(assertion["id"], issuer):
        raise BadgeRejected(
            Reason.TAMPERED,
            f"This badge cannot be trusted: its assertion is not hosted by its issuer ({issuer['id']}).",
        )
    return VerifiedBadge(
        assertion_url=assertion["id"],
        assertion=assertion,
        badge_class=badge_class,
        issuer=issuer,
        recipient_email=recipient_email,
        issued_on=issued_on,
        expires_on=expires_on,
    )


# --- Images -----------------------------------------------------------------------


def check_image(content: bytes) -> str:
    """``"png"`` or ``"svg"`` for a readable image; raises BadgeRejected(bad_upload) otherwise."""
    kind = image_kind(content)
    try:
        if kind == "png":
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
            return kind
        if kind == "svg":
            root = SafeElementTree.fromstring(content)
            if root.tag in ("{http://www.w3.org/2000/svg}svg", "svg"):
                return kind
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        pass
    except Exception:  # noqa: S110 - defusedxml raises several unrelated types: all mean "unreadable"
        pass
    raise BadgeRejected(Reason.BAD_UPLOAD, "This file is not a PNG or SVG image: upload a baked badge image.")


def _data_uri(value: str) -> bytes | None:
    header, _, data = value.partition(",")
    if not header.startswith("data:image/") or ";base64" not in header:
        return None
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None


def _fetch_image(verified: VerifiedBadge) -> None:
    """The assertion's (baked) image, else the badge class's."""
    source = _node_id(verified.assertion.get("image")) or _node_id(verified.badge_class.get("image"))
    content = _data_uri(source) if isinstance(source, str) and source.startswith("data:") else None
    if content is None:
        if not _is_url(source):
            raise _not_badge("its badge image is not a link")
        document = _fetch(source, "the badge image", accept=IMAGE_ACCEPT)
        if document.status != 200:
            raise BadgeRejected(
                Reason.UNREACHABLE,
                f"We could not fetch the badge image at {source}: the server answered {document.status}.",
            )
        content = document.body
    try:
        kind = check_image(content)
    except BadgeRejected as err:
        raise _not_badge("its badge image is not a PNG or SVG image") from err
    verified.image, verified.image_kind = content, kind


def verify_url(url: str, emails: list[str]) -> VerifiedBadge:
    """An assertion URL pasted by the employee; the badge image is fetched to be kept."""
    verified = verify_hosted(url.strip(), emails)
    _fetch_image(verified)
    return verified


def _embedded_assertion(text: str | None, verify_attribute: str | None) -> tuple[str, dict | None]:
    """The hosted URL and the embedded assertion (if JSON) of a baked image's content."""
    text = (text or "").strip()
    if text.startswith("{"):
        try:
            embedded = json.loads(text)
        except ValueError as err:
            raise BadgeRejected(
                Reason.TAMPERED, "This badge image has been tampered with: its assertion is not valid JSON."
            ) from err
        if not isinstance(embedded, dict):
            raise _not_badge("the image carries no assertion")
        url = embedded.get("id") if _is_url(embedded.get("id")) else (embedded.get("verify") or {}).get("url")
        if not _is_url(url):
            raise _not_badge("the assertion in this image is signed or has no hosted URL")
        if verify_attribute and verify_attribute != url:
            raise BadgeRejected(
                Reason.TAMPERED,
                "This badge image has been tampered with: its verify URL and its assertion disagree.",
            )
        return url, embedded
    url = text or verify_attribute
    if _is_url(url):
        return url, None
    raise _not_badge("the image carries no hosted assertion (it may be a signed badge)")


def verify_image(content: bytes, emails: list[str]) -> VerifiedBadge:
    """An uploaded baked PNG or SVG: the hosted assertion must match what it carries."""
    if len(content) > settings.OPENBADGES_FETCH_MAX_BYTES:
        raise BadgeRejected(
            Reason.BAD_UPLOAD,
            f"The image is too big: the limit is {settings.OPENBADGES_FETCH_MAX_BYTES // 1024} KB.",
        )
    kind = check_image(content)
    try:
        baked = unbake(content)
    except NotAnImage as err:
        raise BadgeRejected(Reason.BAD_UPLOAD, str(err)) from err
    if not baked.text and not baked.verify_url:
        raise _not_badge("this image carries no Open Badges assertion (it is not baked)")
    url, embedded = _embedded_assertion(baked.text, baked.verify_url)
    verified = verify_hosted(url, emails, embedded=embedded)
    verified.image, verified.image_kind = content, kind
    return verified
