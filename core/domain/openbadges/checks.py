"""Open Badges 2.0 documents checked for shape, recipient and origin; the refusals and their reasons.

Used by ``verify`` once the documents are fetched. Each check raises
``BadgeRejected`` with a message a person can act on.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HASH_ALGORITHMS = {"sha256", "md5"}


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
    IN_FLIGHT = "in_flight"  # too many imports of one person being checked at once
    THROTTLED = "throttled"  # too many asked for in a minute


class BadgeRejected(ValidationError):
    """A badge we cannot import; ``reason`` is one of ``Reason``, the message says it to a person."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, code=reason)
        self.reason = reason


# --- Shapes -----------------------------------------------------------------------


def is_url(value) -> bool:
    """An absolute http(s) URL that parses (``http://[::1`` and ``http://h:port`` do not)."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def has_type(document: dict, expected: tuple[str, ...]) -> bool:
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("#", 1)[-1] in expected for t in types)


NOT_BADGE = _("This is not an Open Badge: %(detail)s.")
TAMPERED = _(
    "This badge image has been tampered with: its %(fields)s differs from the issuer's hosted assertion."
)
TAMPERED_MANY = _(
    "This badge image has been tampered with: its %(fields)s differ from the issuer's hosted assertion."
)
REVOKED = _("This badge has been revoked by its issuer.")
REVOKED_BECAUSE = _("This badge has been revoked by its issuer. Reason given: %(reason)s")


def not_badge(detail) -> BadgeRejected:
    """``detail`` completes "This is not an Open Badge: ...", already translated."""
    return BadgeRejected(Reason.NOT_BADGE, NOT_BADGE % {"detail": detail})


def parse_datetime(value, field: str) -> datetime:
    if not isinstance(value, str):
        raise not_badge(_("its “%(field)s” date is missing") % {"field": field})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise not_badge(
            _("its “%(field)s” date (%(value)s) is not an ISO 8601 date") % {"field": field, "value": value}
        ) from err
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def node_id(value) -> str | None:
    """A reference is a URL, or an embedded document with an ``id``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def check_assertion_shape(assertion: dict) -> None:
    if not has_type(assertion, ("Assertion",)):
        raise not_badge(_("the document is not an Open Badges 2.0 assertion"))
    if not is_url(assertion.get("id")):
        raise not_badge(_("the assertion has no http(s) id"))
    if not isinstance(assertion.get("recipient"), dict):
        raise not_badge(_("the assertion names no recipient"))
    if not node_id(assertion.get("badge")) and not isinstance(assertion.get("badge"), dict):
        raise not_badge(_("the assertion names no badge"))
    verification = assertion.get("verification") or {}
    kind = verification.get("type", "") if isinstance(verification, dict) else ""
    if isinstance(kind, str) and kind.rsplit("#", 1)[-1].lower() in ("signedbadge", "signed"):
        raise not_badge(_("it is a signed badge, and only hosted badges can be imported"))


def check_badge_class_shape(badge_class: dict) -> None:
    if not has_type(badge_class, ("BadgeClass",)):
        raise not_badge(_("the assertion's badge is not an Open Badges badge class"))
    if not is_url(badge_class.get("id")):
        raise not_badge(_("its badge class has no http(s) id"))
    for field in ("name", "description"):
        if not isinstance(badge_class.get(field), str) or not badge_class[field].strip():
            raise not_badge(_("its badge class has no %(field)s") % {"field": field})
    if not badge_class.get("criteria"):
        raise not_badge(_("its badge class has no criteria"))
    if not node_id(badge_class.get("image")):
        raise not_badge(_("its badge class has no image"))
    if not node_id(badge_class.get("issuer")):
        raise not_badge(_("its badge class names no issuer"))


def check_issuer_shape(issuer: dict) -> None:
    if not has_type(issuer, ("Issuer", "Profile")):
        raise not_badge(_("the badge's issuer is not an Open Badges issuer profile"))
    if not isinstance(issuer.get("name"), str) or not issuer["name"].strip():
        raise not_badge(_("its issuer has no name"))
    if not is_url(issuer.get("id")):
        raise not_badge(_("its issuer has no http(s) id"))


# --- Checks -----------------------------------------------------------------------


def matching_email(recipient: dict, emails: list[str]) -> str | None:
    """Which of ``emails`` the recipient is, or None."""
    identity = recipient.get("identity")
    if not isinstance(identity, str) or not identity:
        raise not_badge(_("its recipient has no identity"))
    if recipient.get("type", "email") != "email":
        return None
    if recipient.get("hashed") is True:
        algorithm, _dollar, digest = identity.partition("$")
        if algorithm.lower() not in HASH_ALGORITHMS:
            raise not_badge(
                _("its recipient is hashed with %(algorithm)s, which Open Badges does not use")
                % {"algorithm": algorithm}
            )
        salt = recipient.get("salt") or ""
        salt = salt if isinstance(salt, str) else ""
        for email in emails:
            computed = hashlib.new(algorithm.lower(), (email + salt).encode("utf-8")).hexdigest()
            if computed == digest.strip().lower():
                return email
        return None
    return next((email for email in emails if identity.strip().lower() == email), None)


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def hosted_by_issuer(assertion_url: str, issuer: dict) -> bool:
    """The spec: a hosted assertion lives on its issuer's origin, or where the issuer allows.

    ``issuer`` must be the profile fetched from its own id, never a copy embedded
    in the assertion or badge class: whoever wrote the copy would choose the rules.
    """
    verification = issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    allowed = verification.get("allowedOrigins")
    starts = verification.get("startsWith")
    if allowed:
        allowed = allowed if isinstance(allowed, list) else [allowed]
        parts = urlsplit(assertion_url)
        hosts = {parts.netloc.lower(), (parts.hostname or "").lower()}  # "host" or "host:port"
        return any(isinstance(a, str) and a.strip().lower() in hosts for a in allowed)
    if starts:
        starts = starts if isinstance(starts, list) else [starts]
        return any(isinstance(s, str) and s and assertion_url.startswith(s) for s in starts)
    return origin(assertion_url) == origin(issuer["id"])


def _comparable(assertion: dict) -> dict:
    """The assertion as compared: ``"@context": "x"`` and ``["x"]`` say the same."""
    context = assertion.get("@context")
    return {**assertion, "@context": [context] if isinstance(context, str) else context}


def check_embedded(embedded: dict, hosted: dict) -> None:
    """A baked image's assertion must be the issuer's hosted one, every field of it.

    Open Badges 2.0 bakes the hosted assertion itself, so nothing may differ
    (key order and the spelling of ``@context`` aside): a changed narrative,
    evidence or date is as much a forgery as a changed recipient.
    """
    left, right = _comparable(embedded), _comparable(hosted)
    missing = object()
    differing = sorted(
        key for key in left.keys() | right.keys() if left.get(key, missing) != right.get(key, missing)
    )
    if differing:
        fields = ", ".join(f"“{key}”" for key in differing[:5]) + (" ..." if len(differing) > 5 else "")
        message = TAMPERED if len(differing) == 1 else TAMPERED_MANY
        raise BadgeRejected(Reason.TAMPERED, message % {"fields": fields})


def revoked(reason: object) -> BadgeRejected:
    if isinstance(reason, str) and reason.strip():
        return BadgeRejected(Reason.REVOKED, REVOKED_BECAUSE % {"reason": reason})
    return BadgeRejected(Reason.REVOKED, str(REVOKED))
