"""An award as an Open Badges 3.0 ``OpenBadgeCredential`` (unsigned), from plain facts.

The shape follows the OB 3.0 data model: the VC 2.0 context then the OB 3.0.3
context; the issuer a ``Profile`` whose id is the organisation's ``did:web``;
``validFrom`` / ``validUntil``; a ``credentialSubject`` of type
``AchievementSubject`` that names the recipient only by a salted hash of their
email (``IdentityObject``, the award's own salt, as the 2.0 assertion), and the
``achievement``; the award's evidence URL and narrative as ``Evidence`` (OB 3.0
moved the 2.0 assertion's ``narrative`` there); one ``credentialStatus``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from core.domain.credentials.loader import OB_V3P0, VC_V2
from core.domain.credentials.proof import xsd_datetime

CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


@dataclass(frozen=True)
class IssuerFacts:
    did: str
    name: str
    url: str = ""
    email: str = ""
    description: str = ""


@dataclass(frozen=True)
class AchievementFacts:
    id: str  # the badge's 2.0 BadgeClass URL: a stable URI for the achievement
    name: str
    description: str
    criteria_url: str = ""
    criteria_narrative: str = ""
    image_url: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CredentialFacts:
    id: str
    issuer: IssuerFacts
    achievement: AchievementFacts
    recipient_email: str
    salt: str
    valid_from: datetime
    valid_until: datetime | None = None
    evidence_url: str = ""
    narrative: str = ""
    status: dict | None = field(default=None)


def identity_hash(email: str, salt: str) -> str:
    """``sha256$`` + hex(sha256(email + salt)), as Open Badges 2.0 and 3.0 both write it."""
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


def _issuer(issuer: IssuerFacts) -> dict:
    profile = {"id": issuer.did, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        profile["url"] = issuer.url
    if issuer.email:
        profile["email"] = issuer.email
    if issuer.description:
        profile["description"] = issuer.description
    return profile


def _achievement(achievement: AchievementFacts) -> dict:
    criteria = {}
    if achievement.criteria_url:
        criteria["id"] = achievement.criteria_url
    criteria["narrative"] = achievement.criteria_narrative or achievement.description
    document = {
        "id": achievement.id,
        "type": ["Achievement"],
        "name": achievement.name,
        "description": achievement.description,
        "criteria": criteria,
    }
    if achievement.image_url:
        document["image"] = {"id": achievement.image_url, "type": "Image"}
    if achievement.tags:
        document["tag"] = list(achievement.tags)
    return document


def open_badge_credential(facts: CredentialFacts) -> dict:
    """The unsigned credential; ``proof.sign`` refuses it if any member would go unsigned."""
    credential = {
        "@context": [VC_V2, OB_V3P0],
        "id": facts.id,
        "type": list(CREDENTIAL_TYPES),
        "name": facts.achievement.name,
        "issuer": _issuer(facts.issuer),
        "validFrom": xsd_datetime(facts.valid_from),
    }
    if facts.valid_until is not None:
        credential["validUntil"] = xsd_datetime(facts.valid_until)
    credential["credentialSubject"] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(facts.recipient_email, facts.salt),
                "salt": facts.salt,
            }
        ],
        "achievement": _achievement(facts.achievement),
    }
    if facts.evidence_url or facts.narrative:
        evidence = {"type": ["Evidence"]}
        if facts.evidence_url:
            evidence = {"id": facts.evidence_url, **evidence}
        if facts.narrative:
            evidence["narrative"] = facts.narrative
        credential["evidence"] = [evidence]
    if facts.status is not None:
        credential["credentialStatus"] = facts.status
    return credential


def to_json(credential: dict) -> str:
    """The credential as served and baked: UTF-8 JSON that can sit in an SVG CDATA section.

    ``>`` only occurs inside JSON strings, where ``\\u003e`` means the same, so
    no ``]]>`` can end the CDATA section early; the signature covers the data,
    not its spelling.
    """
    return json.dumps(credential, ensure_ascii=False, indent=2).replace("]]>", "]]\\u003e")
