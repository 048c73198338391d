"""Verifying an Open Badges 3.0 credential earned elsewhere, for an employee.

The checks, in this order, each failure its own :class:`CredentialRejected`
``reason`` so the import can say exactly what is wrong:

1. ``not_credential``: a JSON object typed ``VerifiableCredential`` and
   ``OpenBadgeCredential`` (or ``AchievementCredential``) with an achievement;
2. the proof: ``unsupported_proof``, ``unknown_context``, ``undefined_terms``,
   ``invalid_did``, ``unreachable`` (the DID document could not be fetched),
   ``key_not_authorised``, ``invalid_signature``;
3. ``issuer_mismatch``: the key that signed belongs to the credential's issuer;
4. ``not_yet_valid`` / ``expired``: ``validFrom`` and ``validUntil``;
5. ``revoked``: its Bitstring Status List entry, the list itself verified as
   signed by the same issuer (``status_unavailable`` when it cannot be);
6. ``not_yours``: an ``identifier`` of the subject is one of the employee's emails.

Nothing here fetches: the caller passes ``fetch_json(url) -> dict`` (the bounded
fetcher), used for did:web documents and status lists only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.domain.credentials import did, proof, status_list
from core.domain.credentials.errors import CredentialError, InvalidDid

FetchJson = Callable[[str], dict]


class CredentialRejected(CredentialError):
    """Why a credential is not imported: ``reason`` a stable code, ``detail`` for developers."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.code = reason


class Unreachable(CredentialError):
    """``fetch_json`` raises this (or a subclass) when a document cannot be had."""

    code = "unreachable"


@dataclass(frozen=True)
class VerifiedCredential:
    credential: dict
    issuer_did: str
    issuer_name: str
    achievement_name: str
    achievement_description: str
    image_url: str
    recipient_email: str
    valid_from: datetime | None
    valid_until: datetime | None


def _id(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def _types(value) -> list:
    types = value.get("type") if isinstance(value, dict) else None
    return types if isinstance(types, list) else [types]


def parse_datetime(value, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CredentialRejected("not_credential", f"its {name} is not a date with a time zone")
    return moment


def key_resolver(fetch_json: FetchJson, *, scheme: str = "https") -> Callable[[str], did.AssertionKey]:
    """``resolve_key`` for :func:`proof.verify`: did:key read in place, did:web fetched once each."""
    documents: dict[str, dict] = {}

    def resolve(verification_method: str) -> did.AssertionKey:
        identifier, _ = did.split_verification_method(verification_method)
        if identifier.startswith("did:key:"):
            return did.did_key_assertion_key(verification_method)
        if not identifier.startswith("did:web:"):
            raise InvalidDid(f"{identifier.split(':')[:2]} is not a DID method badgeapp resolves")
        if identifier not in documents:
            documents[identifier] = fetch_json(did.did_web_document_url(identifier, scheme=scheme))
        return did.assertion_key(documents[identifier], verification_method)

    return resolve


def _check_shape(credential) -> dict:
    if not isinstance(credential, dict):
        raise CredentialRejected("not_credential", "a credential is a JSON object")
    types = _types(credential)
    if "VerifiableCredential" not in types or not {"OpenBadgeCredential", "AchievementCredential"} & set(
        types
    ):
        raise CredentialRejected("not_credential", "it is not an OpenBadgeCredential")
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("achievement"), dict):
        raise CredentialRejected("not_credential", "it names no achievement")
    if not _id(credential.get("issuer")):
        raise CredentialRejected("not_credential", "it names no issuer")
    return subject


def _matching_email(subject: dict, emails: list[str]) -> str | None:
    identifiers = subject.get("identifier") or []
    for identity in identifiers if isinstance(identifiers, list) else [identifiers]:
        if not isinstance(identity, dict) or identity.get("identityType") != "emailAddress":
            continue
        value = identity.get("identityHash")
        if not isinstance(value, str):
            continue
        if identity.get("hashed") is True:
            algorithm, _, digest = value.partition("$")
            if algorithm.lower() not in ("sha256", "md5"):
                continue
            salt = identity.get("salt") if isinstance(identity.get("salt"), str) else ""
            for email in emails:
                if hashlib.new(algorithm.lower(), (email + salt).encode()).hexdigest() == digest.lower():
                    return email
        else:
            match = next((email for email in emails if value.strip().lower() == email.lower()), None)
            if match:
                return match
    return None


def check_status(credential: dict, issuer: str, fetch_json: FetchJson, resolve_key) -> None:
    """Raise ``revoked`` when the credential's revocation bit is set in its signed list."""
    entries = credential.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != status_list.ENTRY_TYPE:
            raise CredentialRejected("status_unavailable", f"status of type {entry!r} cannot be checked")
        if entry.get("statusPurpose") != status_list.REVOCATION:
            continue
        url = entry.get("statusListCredential")
        try:
            index = int(entry.get("statusListIndex"))
            listed = fetch_json(url)
            verified = proof.verify(listed, resolve_key=resolve_key)
            if verified.issuer_did != issuer or _id(listed.get("issuer")) != issuer:
                raise CredentialRejected("status_unavailable", "its status list is not its issuer's")
            subject = listed.get("credentialSubject") or {}
            if subject.get("statusPurpose") != status_list.REVOCATION:
                raise CredentialRejected("status_unavailable", "its status list is not a revocation list")
            bits = status_list.decode(subject.get("encodedList"))
            revoked = status_list.is_set(bits, index)
        except CredentialRejected:
            raise
        except (CredentialError, TypeError, ValueError) as err:
            raise CredentialRejected(
                "status_unavailable", f"its status list cannot be checked: {err}"
            ) from err
        if revoked:
            raise CredentialRejected("revoked", "its issuer has revoked it")


def verify_credential(
    credential,
    *,
    emails: list[str],
    now: datetime,
    fetch_json: FetchJson,
    did_web_scheme: str = "https",
) -> VerifiedCredential:
    """Check ``credential`` for an employee known by ``emails``; raise :class:`CredentialRejected`."""
    subject = _check_shape(credential)
    resolve_key = key_resolver(fetch_json, scheme=did_web_scheme)
    try:
        verified = proof.verify(credential, resolve_key=resolve_key)
    except Unreachable as err:
        raise CredentialRejected("unreachable", str(err)) from err
    except CredentialError as err:
        raise CredentialRejected(err.code, str(err)) from err
    issuer = _id(credential["issuer"])
    if verified.issuer_did != issuer:
        raise CredentialRejected(
            "issuer_mismatch", f"signed by {verified.issuer_did}, but it claims {issuer} issued it"
        )
    valid_from = parse_datetime(credential.get("validFrom") or credential.get("issuanceDate"), "validFrom")
    valid_until = parse_datetime(
        credential.get("validUntil") or credential.get("expirationDate"), "validUntil"
    )
    if valid_from is not None and valid_from > now:
        raise CredentialRejected("not_yet_valid", f"it is valid only from {valid_from.isoformat()}")
    if valid_until is not None and valid_until <= now:
        raise CredentialRejected("expired", f"it expired on {valid_until.isoformat()}")
    try:
        check_status(credential, issuer, fetch_json, resolve_key)
    except Unreachable as err:
        raise CredentialRejected("status_unavailable", str(err)) from err
    email = _matching_email(subject, emails)
    if email is None:
        raise CredentialRejected("not_yours", "its recipient is none of the employee's emails")
    achievement = subject["achievement"]
    issuer_doc = credential["issuer"] if isinstance(credential["issuer"], dict) else {}
    image = _id(achievement.get("image")) or ""
    return VerifiedCredential(
        credential=credential,
        issuer_did=issuer,
        issuer_name=str(issuer_doc.get("name") or issuer),
        achievement_name=str(achievement.get("name") or credential.get("name") or ""),
        achievement_description=str(achievement.get("description") or ""),
        image_url=image,
        recipient_email=email,
        valid_from=valid_from,
        valid_until=valid_until,
    )
