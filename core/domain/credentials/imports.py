"""Importing an Open Badges 3.0 credential: from pasted JSON, a baked image or a URL.

What is checked, and in which order, is ``verify.verify_credential``; here are
the inputs (each bounded), the network (the bounded fetcher, one deadline for
the whole import: DID document, status list, badge image) and the message an
employee reads for each refusal, through the same ``BadgeRejected`` as 2.0
imports (``reason`` stable, message in words).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.domain.credentials import baking
from core.domain.credentials.errors import MalformedCredential
from core.domain.credentials.verify import (
    CredentialRejected,
    Unreachable,
    VerifiedCredential,
    verify_credential,
)
from core.domain.images import IMAGE_ACCEPT, decode_data_uri
from core.domain.openbadges.checks import BadgeRejected, Reason, is_url
from core.domain.openbadges.verify import check_image
from core.lib.fetch import FetchError, fetch, new_deadline
from core.lib.jsonsafe import load_json

CREDENTIAL_ACCEPT = (
    "application/vc, application/vc+ld+json;q=0.9, application/ld+json;q=0.8, application/json;q=0.7"
)
MAX_ID_LENGTH = 2000

# What the employee reads for each reason (``%(detail)s``: what the check found).
MESSAGES = {
    "not_credential": gettext_lazy("This is not an Open Badges 3.0 credential: %(detail)s."),
    "unsupported_proof": gettext_lazy(
        "This credential is signed in a way we cannot check (%(detail)s); we check Data Integrity "
        "proofs with the eddsa-rdfc-2022 suite."
    ),
    "unknown_context": gettext_lazy(
        "This credential uses a JSON-LD context we do not know, so its signature cannot be checked "
        "(%(detail)s)."
    ),
    "undefined_terms": gettext_lazy(
        "This credential holds fields its signature does not cover, because no context defines them "
        "(%(detail)s)."
    ),
    "malformed": gettext_lazy("This credential is malformed: %(detail)s."),
    "invalid_signature": gettext_lazy(
        "This credential has been tampered with: its signature does not match its content."
    ),
    "invalid_key": gettext_lazy("The key this credential names cannot be read (%(detail)s)."),
    "invalid_did": gettext_lazy("We cannot resolve the issuer of this credential (%(detail)s)."),
    "key_not_authorised": gettext_lazy(
        "This credential is signed with a key its issuer does not list for signing credentials (%(detail)s)."
    ),
    "unreachable": gettext_lazy("We could not reach the issuer to check this credential: %(detail)s."),
    "issuer_mismatch": gettext_lazy("This credential claims an issuer that did not sign it (%(detail)s)."),
    "not_yet_valid": gettext_lazy("This credential is not valid yet: %(detail)s."),
    "expired": gettext_lazy("This credential has expired: %(detail)s."),
    "revoked": gettext_lazy("Its issuer has revoked this credential."),
    "status_unavailable": gettext_lazy("We could not check whether this credential is revoked: %(detail)s."),
    "not_yours": gettext_lazy(
        "This credential was issued to someone else: its recipient is none of your email addresses "
        "(%(emails)s)."
    ),
}
# The 2.0 reasons that mean the same thing, so the API's ``extra.reason`` keeps one vocabulary.
SAME_REASON = {
    "invalid_signature": Reason.TAMPERED,
    "expired": Reason.EXPIRED,
    "revoked": Reason.REVOKED,
    "not_yours": Reason.NOT_YOURS,
    "unreachable": Reason.UNREACHABLE,
    "not_credential": Reason.NOT_BADGE,
    "malformed": Reason.NOT_BADGE,
}


@dataclass
class ImportedCredential:
    verified: VerifiedCredential
    identifier: str  # the credential's id, or urn:proof:<proofValue> for one without
    image: bytes
    image_kind: str  # "png" or "svg"


def rejected(err: CredentialRejected, emails: list[str]) -> BadgeRejected:
    message = MESSAGES.get(err.reason, MESSAGES["malformed"]) % {
        "detail": str(err),
        "emails": ", ".join(emails),
    }
    return BadgeRejected(SAME_REASON.get(err.reason, err.reason), str(message))


def looks_like_credential(document) -> bool:
    """A Verifiable Credential (so a 3.0 badge), not a 2.0 assertion."""
    if not isinstance(document, dict):
        return False
    types = document.get("type")
    return "VerifiableCredential" in (types if isinstance(types, list) else [types])


def parse_credential(text: str | bytes) -> dict:
    """The credential in ``text``; BadgeRejected(not_badge) if it is not a JSON credential."""
    try:
        document = load_json(text)
    except (UnicodeDecodeError, ValueError) as err:
        raise BadgeRejected(
            Reason.NOT_BADGE, _("This is not an Open Badges 3.0 credential: it is not JSON.")
        ) from err
    if not looks_like_credential(document):
        raise BadgeRejected(
            Reason.NOT_BADGE,
            _("This is not an Open Badges 3.0 credential: it is not a Verifiable Credential."),
        )
    return document


def json_fetcher(deadline: float):
    def fetch_json(url: str) -> dict:
        if not is_url(url):
            raise Unreachable(_("%(url)s is not an http(s) link") % {"url": url})
        try:
            document = fetch(
                url, accept="application/did+ld+json, application/vc, application/json", deadline=deadline
            )
        except FetchError as err:
            raise Unreachable(f"{url}: {err}") from err
        if document.status != 200:
            raise Unreachable(_("%(url)s answered %(status)s") % {"url": url, "status": document.status})
        try:
            data = load_json(document.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as err:
            raise Unreachable(_("%(url)s is not JSON") % {"url": url}) from err
        if not isinstance(data, dict):
            raise Unreachable(_("%(url)s is not a JSON object") % {"url": url})
        return data

    return fetch_json


def _achievement_image(verified: VerifiedCredential, deadline: float) -> tuple[bytes, str]:
    source = verified.image_url
    content = decode_data_uri(source) if source.startswith("data:") else None
    if content is None:
        if not is_url(source):
            raise BadgeRejected(Reason.NOT_BADGE, _("This credential's achievement has no image to show."))
        try:
            document = fetch(source, accept=IMAGE_ACCEPT, deadline=deadline)
        except FetchError as err:
            raise BadgeRejected(
                Reason.UNREACHABLE, _("We could not fetch the badge image at %(url)s.") % {"url": source}
            ) from err
        if document.status != 200:
            raise BadgeRejected(
                Reason.UNREACHABLE, _("We could not fetch the badge image at %(url)s.") % {"url": source}
            )
        content = document.body
    try:
        return content, check_image(content)
    except BadgeRejected as err:
        raise BadgeRejected(
            Reason.NOT_BADGE, _("This credential's badge image is not a PNG or SVG image.")
        ) from err


def _identifier(credential: dict) -> str:
    own = credential.get("id")
    if isinstance(own, str) and own and len(own) <= MAX_ID_LENGTH:
        return own
    proof = credential.get("proof")
    value = proof.get("proofValue") if isinstance(proof, dict) else None
    return f"urn:proof:{value}"[:MAX_ID_LENGTH]


def import_credential(
    credential: dict,
    emails: list[str],
    *,
    image: bytes | None = None,
    image_kind: str = "",
    deadline: float | None = None,
) -> ImportedCredential:
    """Verify ``credential`` for an employee known by ``emails``; BadgeRejected says why not.

    ``image``: the baked image it came in, kept as the badge's image; otherwise
    the achievement's image is fetched.
    """
    deadline = new_deadline() if deadline is None else deadline
    try:
        verified = verify_credential(
            credential,
            emails=emails,
            now=timezone.now(),
            fetch_json=json_fetcher(deadline),
            did_web_scheme="http" if settings.OB3_DID_WEB_HTTP else "https",
        )
    except CredentialRejected as err:
        raise rejected(err, emails) from err
    if image is None:
        image, image_kind = _achievement_image(verified, deadline)
    return ImportedCredential(verified, _identifier(credential), image, image_kind)


def credential_at(url: str, deadline: float) -> dict | None:
    """The credential at ``url``, or None when it holds something else (a 2.0 assertion...)."""
    try:
        document = fetch(url, accept=CREDENTIAL_ACCEPT, deadline=deadline)
        data = load_json(document.body.decode("utf-8-sig")) if document.status == 200 else None
    except (FetchError, UnicodeDecodeError, ValueError):
        return None  # the 2.0 import fetches it again and says what is wrong
    return data if looks_like_credential(data) else None


def baked_credential(content: bytes, kind: str) -> dict | None:
    """The credential a baked PNG or SVG carries, or None when it carries none (maybe a 2.0 assertion)."""
    try:
        text = baking.unbake_png(content) if kind == "png" else baking.unbake_svg(content)
    except MalformedCredential as err:
        raise BadgeRejected(
            Reason.NOT_BADGE, _("This image's credential cannot be read: %(detail)s.") % {"detail": err}
        ) from err
    return parse_credential(text) if text else None
