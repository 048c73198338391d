"""Open Badges 2.0 JSON-LD documents for our issuers, badge classes and assertions.

Ids are absolute URLs built from ``BADGEAPP_BASE_URL`` (never the Host header):
a backpack stores them, so they must not depend on which host served a request.
See DESIGN.md §4 for the fields the spec requires.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse

from core.lib.urls import absolute_url
from core.models import Award, Badge, Organisation

# Stands for an award id in a URL reversed once for many awards.
_PLACEHOLDER_ID = uuid.UUID(int=0)
# The public documents of one award, as the pages keep them in the cache
# (``hosted_cache_key``; for the award page, the version of its kept copies):
# a revocation drops them all.
AWARD_DOCUMENTS = ("assertion", "baked-png", "baked-svg", "award-page")


def hosted_cache_key(kind: str, *ids: object) -> str:
    """Where a served public document is kept in the cache (``kind``: its view)."""
    return ":".join(["openbadges", kind, *map(str, ids)])


CONTEXT = "https://w3id.org/openbadges/v2"
CONTENT_TYPE = "application/ld+json"


def issuer_id(organisation: Organisation) -> str:
    return absolute_url(reverse("ob-issuer", args=[organisation.slug]))


def revocation_list_id(organisation: Organisation) -> str:
    return absolute_url(reverse("ob-revocation-list", args=[organisation.slug]))


def badge_class_id(badge: Badge) -> str:
    return absolute_url(reverse("ob-badgeclass", args=[badge.organisation.slug, badge.slug]))


def badge_class_image_url(badge: Badge) -> str:
    """The badge image as PNG (converted from SVG if need be): every consumer reads PNG."""
    return absolute_url(reverse("ob-badgeclass-image", args=[badge.organisation.slug, badge.slug]))


def assertion_id(award: Award) -> str:
    return absolute_url(reverse("ob-assertion", args=[award.pk]))


def baked_png_url(award: Award) -> str:
    return absolute_url(reverse("award-baked-png", args=[award.pk]))


def baked_svg_url(award: Award) -> str | None:
    """Only badges drawn in SVG have a baked SVG."""
    return absolute_url(reverse("award-baked-svg", args=[award.pk])) if award.badge.is_svg else None


def iso_datetime(value: datetime) -> str:
    """ISO 8601 with its zone, to the second: ``2026-03-01T09:30:00+00:00``."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def recipient_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


def issuer_document(organisation: Organisation) -> dict:
    document = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_id(organisation),
        "name": organisation.printable_name,
        # The organisation has no website of its own here: its badges live on this site.
        "url": absolute_url("/"),
        "revocationList": revocation_list_id(organisation),
    }
    email = organisation.email or fallback_issuer_email()
    if email:
        document["email"] = email
    return document


def fallback_issuer_email() -> str:
    """The address of ``DEFAULT_FROM_EMAIL`` (``"Name <addr>"`` or ``addr``), for an issuer without one.

    The issuer profile's ``email`` is required (DESIGN.md §4); an organisation
    that gave none is reached through the app's own sender address.
    """
    address = parseaddr(settings.DEFAULT_FROM_EMAIL or "")[1]
    return address if "@" in address else ""


def revocation_list_document(organisation: Organisation, revoked: Iterable[tuple[object, str]]) -> dict:
    """The issuer's revocation list from ``(award id, reason)`` pairs (``selectors.awards.revoked_of``).

    Thousands of entries: each id comes from one reversed URL, not a ``reverse()`` each.
    """
    pattern = absolute_url(reverse("ob-assertion", args=[_PLACEHOLDER_ID]))
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": revocation_list_id(organisation),
        "issuer": issuer_id(organisation),
        "revokedAssertions": [
            {"id": pattern.replace(str(_PLACEHOLDER_ID), str(pk)), "revocationReason": reason}
            for pk, reason in revoked
        ],
    }


def badge_class_document(badge: Badge) -> dict:
    criteria = {"narrative": badge.criteria_narrative}
    if badge.criteria_url:
        criteria = {"id": badge.criteria_url, **criteria}
    document = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_id(badge),
        "name": badge.name,
        "description": badge.description,
        "image": badge_class_image_url(badge),
        "criteria": criteria,
        "issuer": issuer_id(badge.organisation),
    }
    if badge.tags:
        document["tags"] = list(badge.tags)
    return document


def assertion_document(award: Award) -> dict:
    """The hosted assertion of an award that is not revoked (see ``revoked_assertion_document``)."""
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_id(award),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": recipient_identity(award.recipient_email, award.salt),
        },
        "badge": badge_class_id(award.badge),
        "verification": {"type": "HostedBadge"},
        "issuedOn": iso_datetime(award.issued_on),
        "image": baked_png_url(award),
    }
    if award.evidence_url:
        evidence = {"id": award.evidence_url}
        if award.narrative:
            evidence["narrative"] = award.narrative
        document["evidence"] = evidence
    if award.narrative:
        document["narrative"] = award.narrative
    if award.expires_on:
        document["expires"] = iso_datetime(award.expires_on)
    return document


def revoked_assertion_document(award: Award) -> dict:
    """What a revoked hosted assertion answers (with HTTP 410), as the spec allows."""
    return {
        "@context": CONTEXT,
        "id": assertion_id(award),
        "revoked": True,
        "revocationReason": award.revocation_reason,
    }


def to_json(document: dict, *, compact: bool = False) -> str:
    """The one serialization: served, baked in PNG and in SVG alike.

    ``]]>`` would end the CDATA section an SVG carries the assertion in; it can
    only occur inside a JSON string, where ``\\u003e`` means the same ``>``.
    ``compact`` leaves out the indentation, for documents too big to read by
    eye (the revocation list: a third of its size, and faster to write).
    """
    layout = {"separators": (",", ":")} if compact else {"indent": 2}
    return json.dumps(document, ensure_ascii=True, **layout).replace("]]>", "]]\\u003e")
