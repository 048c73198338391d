"""Our awards as Open Badges 3.0: the ids, the issuer DIDs and the credential facts.

Every id is built from ``BADGEAPP_BASE_URL`` (never the Host header), as the
2.0 documents are. Each organisation is a ``did:web`` issuer under the public
Open Badges prefix: ``did:web:<host>:ob:issuers:<org>``, its DID document at
``/ob/issuers/<org>/did.json``.

A credential's revocation bit is its signed row's integer id
(``SignedCredential.pk``): list ``n`` of an organisation covers ids
``n * MIN_BITS`` to ``(n + 1) * MIN_BITS - 1``, so allocating a bit is the
database's own sequence and needs no lock.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from core.domain.credentials import did, documents, status_list
from core.domain.credentials.keys import Keyring
from core.domain.openbadges.documents import badge_class_id, badge_class_image_url, fallback_issuer_email
from core.lib.urls import absolute_url
from core.models import Award, Organisation

CREDENTIAL_CONTENT_TYPE = "application/vc"
DID_CONTENT_TYPE = "application/did+ld+json"


def issuer_did(organisation: Organisation) -> str:
    return did.did_web(settings.BADGEAPP_BASE_URL, "ob", "issuers", organisation.slug)


def did_web_scheme() -> str:
    """``https`` as did:web requires; ``http`` only where the public base URL is (development, tests)."""
    return urlsplit(settings.BADGEAPP_BASE_URL).scheme or "https"


def did_document(organisation: Organisation, keyring: Keyring) -> dict:
    return did.did_document(issuer_did(organisation), keyring.public_keys())


def verification_method(organisation: Organisation, keyring: Keyring) -> str:
    return did.verification_method_id(issuer_did(organisation), keyring.current_public)


def credential_url(award: Award) -> str:
    return absolute_url(reverse("ob-credential", args=[award.pk]))


def credential_png_url(award: Award) -> str:
    return absolute_url(reverse("award-credential-png", args=[award.pk]))


def credential_svg_url(award: Award) -> str | None:
    return absolute_url(reverse("award-credential-svg", args=[award.pk])) if award.badge.is_svg else None


def status_list_url(organisation: Organisation, number: int) -> str:
    return absolute_url(reverse("ob-status-list", args=[organisation.slug, number]))


def status_position(index: int) -> tuple[int, int]:
    """``(list number, bit)`` of a credential's status index."""
    return divmod(index, status_list.MIN_BITS)


def credential_facts(award: Award, status_index: int) -> documents.CredentialFacts:
    badge = award.badge
    organisation = badge.organisation
    number, bit = status_position(status_index)
    return documents.CredentialFacts(
        id=credential_url(award),
        issuer=documents.IssuerFacts(
            did=issuer_did(organisation),
            name=organisation.printable_name,
            url=absolute_url("/"),
            email=organisation.email or fallback_issuer_email(),
        ),
        achievement=documents.AchievementFacts(
            id=badge_class_id(badge),
            name=badge.name,
            description=badge.description,
            criteria_url=badge.criteria_url,
            criteria_narrative=badge.criteria_narrative,
            image_url=badge_class_image_url(badge),
            tags=tuple(badge.tags or ()),
        ),
        recipient_email=award.recipient_email,
        salt=award.salt,
        valid_from=award.issued_on,
        valid_until=award.expires_on,
        evidence_url=award.evidence_url,
        narrative=award.narrative,
        status=status_list.status_entry(status_list_url(organisation, number), bit),
    )
