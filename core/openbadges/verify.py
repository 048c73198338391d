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
import io
import json
from dataclasses import dataclass
from datetime import datetime

import defusedxml.ElementTree as SafeElementTree
from django.conf import settings
from django.utils import timezone
from PIL import Image

from core.openbadges.baking import NotAnImage, image_kind, unbake
from core.openbadges.checks import (
    BadgeRejected,
    Reason,
    check_assertion_shape,
    check_badge_class_shape,
    check_embedded,
    check_issuer_shape,
    hosted_by_issuer,
    is_url,
    matching_email,
    node_id,
    not_badge,
    parse_datetime,
    revoked,
)
from core.openbadges.fetch import FetchRefused, FetchTooLarge, FetchUnreachable, fetch

IMAGE_ACCEPT = "image/png, image/svg+xml;q=0.9, image/*;q=0.5"


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


def _fetch_assertion(url: str) -> dict:
    document = _fetch(url, "the assertion")
    if document.status == 410:  # Gone: a revoked hosted assertion
        try:
            body = json.loads(document.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            body = {}
        raise revoked(body.get("revocationReason") if isinstance(body, dict) else None)
    if document.status != 200:
        raise BadgeRejected(
            Reason.UNREACHABLE,
            f"We could not fetch the assertion at {url}: the server answered {document.status}.",
        )
    assertion = _parse_json(document.body, url, "an Open Badges assertion")
    if assertion.get("revoked") is True:
        raise revoked(assertion.get("revocationReason"))
    check_assertion_shape(assertion)
    if assertion["id"] not in (url, document.url):
        # The hosted copy is the one at its own id: read it from there, once.
        canonical = _fetch_json(assertion["id"], "the assertion")
        if canonical.get("revoked") is True:
            raise revoked(canonical.get("revocationReason"))
        check_assertion_shape(canonical)
        if canonical["id"] != assertion["id"]:
            raise not_badge("the assertion is not hosted at its own id")
        assertion = canonical
    return assertion


def _linked(value, what: str) -> dict:
    """An embedded document, or the one its URL points to."""
    if isinstance(value, dict) and (value.get("name") or not is_url(value.get("id"))):
        return value
    url = node_id(value)
    if not is_url(url):
        raise not_badge(f"its {what} is not a link")
    return _fetch_json(url, f"the {what}")


def verify_hosted(url: str, emails: list[str], *, embedded: dict | None = None, now=None) -> VerifiedBadge:
    """Verify the hosted assertion at ``url`` for an employee known by ``emails``.

    ``embedded``: the assertion a baked image carried, compared with the hosted one.
    Raises BadgeRejected.
    """
    if not is_url(url):
        raise BadgeRejected(Reason.REFUSED, "Paste the badge's assertion URL: an http(s) link.")
    assertion = _fetch_assertion(url)
    if embedded is not None:
        check_embedded(embedded, assertion)
    email = matching_email(assertion["recipient"], emails)
    if email is None:
        raise BadgeRejected(
            Reason.NOT_YOURS,
            "This badge was issued to someone else: its recipient is none of your email addresses "
            f"({', '.join(emails)}).",
        )
    issued_on = parse_datetime(assertion.get("issuedOn"), "issuedOn")
    expires_on = parse_datetime(assertion["expires"], "expires") if assertion.get("expires") else None
    if expires_on is not None and expires_on <= (now or timezone.now()):
        raise BadgeRejected(Reason.EXPIRED, f"This badge expired on {expires_on:%d %B %Y}.")
    badge_class = _linked(assertion["badge"], "badge class")
    check_badge_class_shape(badge_class)
    issuer = _linked(badge_class["issuer"], "issuer")
    check_issuer_shape(issuer)
    if not hosted_by_issuer(assertion["id"], issuer):
        raise BadgeRejected(
            Reason.TAMPERED,
            f"This badge cannot be trusted: its assertion is not hosted by its issuer ({issuer['id']}).",
        )
    return VerifiedBadge(
        assertion_url=assertion["id"],
        assertion=assertion,
        badge_class=badge_class,
        issuer=issuer,
        recipient_email=email,
        issued_on=issued_on,
        expires_on=expires_on,
    )


# --- Images -----------------------------------------------------------------------


def _readable(kind: str | None, content: bytes) -> bool:
    try:
        if kind == "png":
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
            return True
        if kind == "svg":
            return SafeElementTree.fromstring(content).tag in ("{http://www.w3.org/2000/svg}svg", "svg")
    except Exception:  # PIL and defusedxml raise many unrelated types: all mean "unreadable"
        return False
    return False


def check_image(content: bytes) -> str:
    """``"png"`` or ``"svg"`` for a readable image; raises BadgeRejected(bad_upload) otherwise."""
    kind = image_kind(content)
    if kind is None or not _readable(kind, content):
        raise BadgeRejected(
            Reason.BAD_UPLOAD, "This file is not a PNG or SVG image: upload a baked badge image."
        )
    return kind


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
    source = node_id(verified.assertion.get("image")) or node_id(verified.badge_class.get("image"))
    content = _data_uri(source) if isinstance(source, str) and source.startswith("data:") else None
    if content is None:
        if not is_url(source):
            raise not_badge("its badge image is not a link")
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
        raise not_badge("its badge image is not a PNG or SVG image") from err
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
            raise not_badge("the image carries no assertion")
        url = embedded.get("id") if is_url(embedded.get("id")) else (embedded.get("verify") or {}).get("url")
        if not is_url(url):
            raise not_badge("the assertion in this image is signed or has no hosted URL")
        if verify_attribute and verify_attribute != url:
            raise BadgeRejected(
                Reason.TAMPERED,
                "This badge image has been tampered with: its verify URL and its assertion disagree.",
            )
        return url, embedded
    url = text or verify_attribute
    if is_url(url):
        return url, None
    raise not_badge("the image carries no hosted assertion (it may be a signed badge)")


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
        raise not_badge("this image carries no Open Badges assertion (it is not baked)")
    url, embedded = _embedded_assertion(baked.text, baked.verify_url)
    verified = verify_hosted(url, emails, embedded=embedded)
    verified.image, verified.image_kind = content, kind
    return verified
