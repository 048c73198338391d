"""Verifying an Open Badge 2.0 earned elsewhere (hosted verification).

From an assertion URL or a baked image: the hosted assertion, its badge class
and its issuer are fetched (through the bounded fetcher) and checked, in this
order, so each failure gets its own message:

1. reachable and well formed (``unreachable``, ``refused``, ``too_large``, ``not_badge``);
2. not revoked: HTTP 410 or ``revoked: true`` (``revoked``);
3. a baked image's assertion is the hosted one, field for field (``tampered``);
4. issued to one of the employee's emails (``not_yours``);
5. not expired (``expired``);
6. its badge class and issuer, each fetched from its own id, well formed, and
   the assertion hosted on the issuer's origin or an origin that issuer's
   ``verification`` allows, as the spec requires (``not_badge``, ``tampered``).

A badge class or issuer embedded in the assertion is never trusted as it is:
anyone can host an assertion embedding a famous issuer's name with rules that
allow their own server. Only its id is used; the hosted document is fetched
from there, and the issuer's verification rules are read only from it.

Only hosted (not signed) 2.0 assertions are accepted. The hosted assertion's
own ``revoked`` answer is authoritative for hosted badges, so the issuer's
revocation list is not read. All the fetches of one verification share one
deadline (``OPENBADGES_FETCH_TOTAL_TIMEOUT``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.domain.images import IMAGE_ACCEPT, decode_data_uri, readable_image_kind
from core.domain.openbadges.baking import NotAnImage, unbake
from core.domain.openbadges.checks import (
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
from core.lib.fetch import FetchRefused, FetchTooLarge, FetchUnreachable, fetch, new_deadline
from core.lib.jsonsafe import load_json

NOT_A_BAKED_IMAGE = _("This file is not a PNG or SVG image: upload a baked badge image.")
# The documents fetched, and how the messages below name them.
ASSERTION, BADGE_CLASS, ISSUER, BADGE_IMAGE = "assertion", "badge class", "issuer", "badge image"
NAMES = {
    ASSERTION: _("the assertion"),
    BADGE_CLASS: _("the badge class"),
    ISSUER: _("the issuer"),
    BADGE_IMAGE: _("the badge image"),
}
EXPECTED = {
    ASSERTION: _("an Open Badges assertion"),
    BADGE_CLASS: _("an Open Badges badge class"),
    ISSUER: _("an Open Badges issuer"),
}
WILL_NOT_FETCH = _("We will not fetch %(what)s at %(url)s: %(reason)s.")
COULD_NOT_READ = _("We could not read %(what)s at %(url)s: %(reason)s.")
COULD_NOT_REACH = _("We could not reach %(what)s at %(url)s: %(reason)s. Check the link or try again later.")
SERVER_ANSWERED = _("We could not fetch %(what)s at %(url)s: the server answered %(status)s.")
NOT_JSON = _("This is not an Open Badge: %(url)s does not hold %(expected)s (it is not JSON).")
NOT_HOLDING = _("This is not an Open Badge: %(url)s does not hold %(expected)s.")
BAD_ASSERTION_URL = _("Paste the badge's assertion URL: a valid http(s) link.")
NOT_YOURS = _(
    "This badge was issued to someone else: its recipient is none of your email addresses (%(emails)s)."
)
EXPIRED = _("This badge expired on %(date)s.")
TAMPERED_JSON = _("This badge image has been tampered with: its assertion is not valid JSON.")
TAMPERED_VERIFY_URL = _("This badge image has been tampered with: its verify URL and its assertion disagree.")
NOT_HOSTED_BY_ISSUER = _(
    "This badge cannot be trusted: its assertion (%(assertion)s) is not hosted by its issuer "
    "(%(issuer)s), nor anywhere that issuer allows."
)


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


def _fetch(url: str, what: str, deadline: float, *, accept: str | None = None):
    """``what`` is the document fetched (``ASSERTION``, ``BADGE_CLASS``...), named in the messages."""
    try:
        return fetch(url, deadline=deadline, **({"accept": accept} if accept else {}))
    except FetchRefused as err:
        message = WILL_NOT_FETCH % {"what": NAMES[what], "url": url, "reason": err}
        raise BadgeRejected(Reason.REFUSED, message) from err
    except FetchTooLarge as err:
        message = COULD_NOT_READ % {"what": NAMES[what], "url": url, "reason": err}
        raise BadgeRejected(Reason.TOO_LARGE, message) from err
    except FetchUnreachable as err:
        message = COULD_NOT_REACH % {"what": NAMES[what], "url": url, "reason": err}
        raise BadgeRejected(Reason.UNREACHABLE, message) from err


def _parse_json(body: bytes, url: str, what: str) -> dict:
    expected = EXPECTED[what]
    try:
        data = load_json(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise BadgeRejected(Reason.NOT_BADGE, NOT_JSON % {"url": url, "expected": expected}) from err
    if not isinstance(data, dict):
        raise BadgeRejected(Reason.NOT_BADGE, NOT_HOLDING % {"url": url, "expected": expected})
    return data


def _fetch_json(url: str, what: str, deadline: float, *, is_assertion: bool) -> tuple[dict, str]:
    """The JSON object at ``url`` and the URL it was finally read from (after redirects)."""
    document = _fetch(url, what, deadline)
    if document.status == 410 and is_assertion:  # Gone: a revoked hosted assertion
        try:
            body = load_json(document.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            body = {}
        raise revoked(body.get("revocationReason") if isinstance(body, dict) else None)
    if document.status != 200:
        raise BadgeRejected(
            Reason.UNREACHABLE, SERVER_ANSWERED % {"what": NAMES[what], "url": url, "status": document.status}
        )
    data = _parse_json(document.body, url, what)
    if is_assertion and data.get("revoked") is True:
        raise revoked(data.get("revocationReason"))
    return data, document.url


def _hosted(reference, what: str, deadline: float, check, *, is_assertion: bool = False) -> dict:
    """The document ``reference`` names, as hosted at its own id (hosted verification).

    ``reference`` is a URL or an embedded copy; a copy is never used as it is,
    only its id: whoever made the assertion could write anything in it, such
    as another issuer's name and rules. The document fetched must say it is
    the one at that URL; if it names another id, it is read from there, once.
    ``check`` checks each document fetched for shape.
    """
    url = node_id(reference)
    if not is_url(url):
        raise not_badge(_("%(what)s has no http(s) id to verify it at") % {"what": NAMES[what]})
    document, final_url = _fetch_json(url, what, deadline, is_assertion=is_assertion)
    check(document)
    if document["id"] in (url, final_url):
        return document
    canonical = document["id"]  # the hosted copy is the one at its own id: read it from there
    document, final_url = _fetch_json(canonical, what, deadline, is_assertion=is_assertion)
    check(document)
    if document["id"] not in (canonical, final_url):
        raise not_badge(_("%(what)s is not hosted at its own id") % {"what": NAMES[what]})
    return document


def verify_hosted(
    url: str,
    emails: list[str],
    *,
    embedded: dict | None = None,
    now=None,
    deadline: float | None = None,
) -> VerifiedBadge:
    """Verify the hosted assertion at ``url`` for an employee known by ``emails``.

    ``embedded``: the assertion a baked image carried, compared with the hosted one.
    ``deadline``: when every fetch must be done by (``fetch.new_deadline()`` by default).
    Raises BadgeRejected.
    """
    if not is_url(url):
        raise BadgeRejected(Reason.REFUSED, str(BAD_ASSERTION_URL))
    deadline = new_deadline() if deadline is None else deadline
    assertion = _hosted(url, ASSERTION, deadline, check_assertion_shape, is_assertion=True)
    if embedded is not None:
        check_embedded(embedded, assertion)
    email = matching_email(assertion["recipient"], emails)
    if email is None:
        raise BadgeRejected(Reason.NOT_YOURS, NOT_YOURS % {"emails": ", ".join(emails)})
    issued_on = parse_datetime(assertion.get("issuedOn"), "issuedOn")
    expires_on = parse_datetime(assertion["expires"], "expires") if assertion.get("expires") else None
    if expires_on is not None and expires_on <= (now or timezone.now()):
        date = formats.date_format(timezone.localtime(expires_on), "DATE_FORMAT")
        raise BadgeRejected(Reason.EXPIRED, EXPIRED % {"date": date})
    badge_class = _hosted(assertion["badge"], BADGE_CLASS, deadline, check_badge_class_shape)
    issuer = _hosted(badge_class["issuer"], ISSUER, deadline, check_issuer_shape)
    if not hosted_by_issuer(assertion["id"], issuer):
        raise BadgeRejected(
            Reason.TAMPERED, NOT_HOSTED_BY_ISSUER % {"assertion": assertion["id"], "issuer": issuer["id"]}
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


def check_image(content: bytes) -> str:
    """``"png"`` or ``"svg"`` for a readable image; raises BadgeRejected(bad_upload) otherwise."""
    try:
        return readable_image_kind(content)
    except ValidationError as err:
        raise BadgeRejected(Reason.BAD_UPLOAD, NOT_A_BAKED_IMAGE) from err


def _fetch_image(verified: VerifiedBadge, deadline: float) -> None:
    """The assertion's (baked) image, else the badge class's."""
    source = node_id(verified.assertion.get("image")) or node_id(verified.badge_class.get("image"))
    content = decode_data_uri(source) if isinstance(source, str) and source.startswith("data:") else None
    if content is None:
        if not is_url(source):
            raise not_badge(_("its badge image is not a link"))
        document = _fetch(source, BADGE_IMAGE, deadline, accept=IMAGE_ACCEPT)
        if document.status != 200:
            raise BadgeRejected(
                Reason.UNREACHABLE,
                SERVER_ANSWERED % {"what": NAMES[BADGE_IMAGE], "url": source, "status": document.status},
            )
        content = document.body
    try:
        kind = check_image(content)
    except BadgeRejected as err:
        raise not_badge(_("its badge image is not a PNG or SVG image")) from err
    verified.image, verified.image_kind = content, kind


def verify_url(url: str, emails: list[str]) -> VerifiedBadge:
    """An assertion URL pasted by the employee; the badge image is fetched to be kept."""
    deadline = new_deadline()  # one for the whole import: documents, redirects and image
    verified = verify_hosted(url.strip(), emails, deadline=deadline)
    _fetch_image(verified, deadline)
    return verified


def _embedded_assertion(text: str | None, verify_attribute: str | None) -> tuple[str, dict | None]:
    """The hosted URL and the embedded assertion (if JSON) of a baked image's content."""
    text = (text or "").strip()
    if text.startswith("{"):
        try:
            embedded = load_json(text)
        except ValueError as err:
            raise BadgeRejected(Reason.TAMPERED, str(TAMPERED_JSON)) from err
        if not isinstance(embedded, dict):
            raise not_badge(_("the image carries no assertion"))
        verify = embedded.get("verify")  # Open Badges 1.x: {"type": "hosted", "url": ...}
        if verify is not None and not isinstance(verify, dict):
            raise not_badge(_("the assertion in this image is malformed (its “verify” is not an object)"))
        url = embedded.get("id") if is_url(embedded.get("id")) else (verify or {}).get("url")
        if not is_url(url):
            raise not_badge(_("the assertion in this image is signed or has no hosted URL"))
        if verify_attribute and verify_attribute != url:
            raise BadgeRejected(Reason.TAMPERED, str(TAMPERED_VERIFY_URL))
        return url, embedded
    url = text or verify_attribute
    if is_url(url):
        return url, None
    raise not_badge(_("the image carries no hosted assertion (it may be a signed badge)"))


def verify_image(content: bytes, emails: list[str]) -> VerifiedBadge:
    """An uploaded baked PNG or SVG: the hosted assertion must match what it carries."""
    kind = check_image(content)
    try:
        baked = unbake(content)
    except NotAnImage as err:
        raise BadgeRejected(Reason.BAD_UPLOAD, str(err)) from err
    if not baked.text and not baked.verify_url:
        raise not_badge(_("this image carries no Open Badges assertion (it is not baked)"))
    url, embedded = _embedded_assertion(baked.text, baked.verify_url)
    verified = verify_hosted(url, emails, embedded=embedded)
    verified.image, verified.image_kind = content, kind
    return verified
