"""Decentralized identifiers: ``did:web`` for our issuers, ``did:key`` read when verifying.

``did:web`` (https://w3c-ccg.github.io/did-method-web/): the host of the public
base URL, a port written ``%3A`` (a colon separates path segments), then the
path segments joined by colons. ``did:web:badges.example.com:ob:issuers:acme``
resolves to ``https://badges.example.com/ob/issuers/acme/did.json``; a DID with
no path to ``/.well-known/did.json``.

A verification method is named ``<did>#<publicKeyMultibase>``: the fragment is
the key itself, so each key's id is stable across rotations and every key ever
used stays addressable in the DID document.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.domain.credentials.errors import InvalidDid, InvalidKey, KeyNotAuthorised
from core.domain.credentials.loader import DID_V1, MULTIKEY_V1
from core.domain.credentials.multikey import public_key_from_multibase

_MAX_DID = 2048


def did_web(base_url: str, *segments: str) -> str:
    """The ``did:web`` of the path ``segments`` under ``base_url`` (its own path kept).

    ``did_web("http://127.0.0.1:8000", "ob", "issuers", "acme")`` is
    ``did:web:127.0.0.1%3A8000:ob:issuers:acme``. Each segment is
    percent-encoded, so a colon or a slash in it cannot add a segment.
    """
    parts = urlsplit(base_url)
    if not parts.hostname:
        raise InvalidDid(f"{base_url!r} has no host")
    host = parts.hostname.encode("idna").decode("ascii")
    if parts.port is not None:
        host += "%3A" + str(parts.port)
    path = [p for p in parts.path.split("/") if p] + list(segments)
    return ":".join(["did:web", host, *(quote(p, safe="") for p in path)])


def did_web_document_url(did: str, *, scheme: str = "https") -> str:
    """Where ``did`` (a ``did:web``) publishes its DID document.

    ``scheme`` is ``https`` as the method requires; development and tests,
    whose public base URL is ``http``, pass ``http``.
    """
    if not isinstance(did, str) or not did.startswith("did:web:") or len(did) > _MAX_DID:
        raise InvalidDid("not a did:web")
    host, *path = did.removeprefix("did:web:").split(":")
    host = unquote(host)
    if not host or "/" in host or "@" in host or any(not p for p in path):
        raise InvalidDid(f"{did!r} is not a valid did:web")
    suffix = "/".join(path) if path else ".well-known"
    return f"{scheme}://{host}/{suffix}/did.json"


def verification_method_id(did: str, public_key_multibase: str) -> str:
    return f"{did}#{public_key_multibase}"


def did_document(did: str, public_keys_multibase: list[str]) -> dict:
    """The DID document of ``did``: every key listed, each allowed to sign credentials.

    ``public_keys_multibase``: the current key first, then every older key,
    which stay so that credentials they signed keep verifying.
    """
    methods = [
        {
            "id": verification_method_id(did, key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key,
        }
        for key in public_keys_multibase
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


@dataclass(frozen=True)
class AssertionKey:
    """A key an issuer authorised to sign credentials."""

    verification_method: str
    controller: str  # the DID
    public_key: Ed25519PublicKey


def split_verification_method(verification_method: str) -> tuple[str, str]:
    """``(did, fragment)`` of a DID URL ``did:...#fragment``."""
    if not isinstance(verification_method, str) or len(verification_method) > _MAX_DID:
        raise InvalidDid("the proof names no verification method")
    did, hash_, fragment = verification_method.partition("#")
    if not did.startswith("did:") or not hash_ or not fragment:
        raise InvalidDid(f"{verification_method!r} is not a DID URL with a key fragment")
    return did, fragment


def _method_key(method: dict) -> Ed25519PublicKey:
    if method.get("type") not in ("Multikey", "Ed25519VerificationKey2020"):
        raise InvalidKey(f"verification method of type {method.get('type')!r}: only Ed25519 Multikey")
    return public_key_from_multibase(method.get("publicKeyMultibase"))


def assertion_key(document: dict, verification_method: str) -> AssertionKey:
    """The key ``verification_method`` names in the DID ``document``, if it may sign credentials.

    The document must be the DID's own, and list the method under
    ``assertionMethod`` (by reference or embedded): a key listed only for
    authentication must not sign credentials.
    """
    did, _ = split_verification_method(verification_method)
    if not isinstance(document, dict) or document.get("id") != did:
        raise InvalidDid(f"the DID document is not {did}'s")

    def full(ref: str) -> str:
        return did + ref if ref.startswith("#") else ref

    methods = {}
    for method in document.get("verificationMethod") or []:
        if isinstance(method, dict) and isinstance(method.get("id"), str):
            methods[full(method["id"])] = method
    authorised = None
    for entry in document.get("assertionMethod") or []:
        if isinstance(entry, str) and full(entry) == verification_method:
            authorised = methods.get(verification_method)
        elif isinstance(entry, dict) and full(str(entry.get("id", ""))) == verification_method:
            authorised = entry
    if authorised is None:
        raise KeyNotAuthorised(f"{verification_method} is not an assertionMethod of {did}")
    if authorised.get("controller") != did:
        raise KeyNotAuthorised(f"{verification_method} is controlled by {authorised.get('controller')!r}")
    return AssertionKey(verification_method, did, _method_key(authorised))


def did_key_assertion_key(verification_method: str) -> AssertionKey:
    """The key of a ``did:key:z6Mk...#z6Mk...`` method: the DID is the key, nothing to fetch.

    A did:key's only key is authorised for everything, provided the fragment
    names that same key.
    """
    did, fragment = split_verification_method(verification_method)
    if not did.startswith("did:key:"):
        raise InvalidDid("not a did:key")
    multibase = did.removeprefix("did:key:")
    if fragment != multibase:
        raise KeyNotAuthorised(f"{verification_method} names a key its did:key does not hold")
    return AssertionKey(verification_method, did, public_key_from_multibase(multibase))
