"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

Signing (spec §3.3): canonicalise (RDFC-1.0) the proof options, carrying the
document's ``@context``, and the document without its proof; SHA-256 each; sign
``hash(proof options) + hash(document)`` with Ed25519; ``proofValue`` is the
signature in multibase base58btc. Verifying recomputes the same bytes from the
proof as given (every member but ``proofValue``) and checks the signature
against the key the caller resolved for the proof's ``verificationMethod``.

Ed25519 is deterministic, so the same document, options and key always give the
same proof (1EdTech's published test vector is reproduced byte for byte).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials.canon import canonicalize
from core.domain.credentials.did import AssertionKey
from core.domain.credentials.errors import (
    InvalidKey,
    InvalidSignature,
    MalformedCredential,
    UnsupportedProof,
)
from core.domain.credentials.multikey import multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
ASSERTION_METHOD = "assertionMethod"


def xsd_datetime(moment: datetime) -> str:
    """``2010-01-01T19:23:24Z``: UTC, whole seconds, as proofs and credentials write dates."""
    if moment.tzinfo is None:
        raise ValueError("a credential date needs a time zone")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_data(unsecured: dict, proof_options: dict) -> bytes:
    """What is signed: SHA-256 of the canonical proof options, then of the canonical document."""
    options_hash = hashlib.sha256(canonicalize(proof_options).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    return options_hash + document_hash


def sign(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str,
) -> dict:
    """``document`` with an ``eddsa-rdfc-2022`` proof (any proof it had is replaced).

    Raises :class:`~core.domain.credentials.errors.UndefinedTerms` if a member
    of the document would not be signed because no context defines it.
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof = {
        "type": PROOF_TYPE,
        "created": created if isinstance(created, str) else xsd_datetime(created),
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": ASSERTION_METHOD,
    }
    signature = private_key.sign(hash_data(unsecured, {"@context": unsecured.get("@context"), **proof}))
    return {**unsecured, "proof": {**proof, "proofValue": multibase_encode(signature)}}


@dataclass(frozen=True)
class VerifiedProof:
    verification_method: str
    issuer_did: str  # the controller of the key that signed
    created: str | None


def _the_proof(document: dict) -> dict:
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if isinstance(proof, list):
        raise UnsupportedProof("several proofs: badgeapp checks credentials with exactly one")
    if not isinstance(proof, dict):
        raise UnsupportedProof("the credential carries no embedded proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        kind = f"{proof.get('type')!r} / {proof.get('cryptosuite')!r}"
        raise UnsupportedProof(f"proof {kind}: only {PROOF_TYPE} with {CRYPTOSUITE}")
    if proof.get("proofPurpose") != ASSERTION_METHOD:
        raise UnsupportedProof(f"proof purpose {proof.get('proofPurpose')!r}, not {ASSERTION_METHOD}")
    return proof


def verify(document: dict, *, resolve_key: Callable[[str], AssertionKey]) -> VerifiedProof:
    """Check the ``eddsa-rdfc-2022`` proof of ``document``; raise a ``CredentialError`` if it fails.

    ``resolve_key(verification_method)`` returns the key the proof names,
    already checked to be one its controller lists under ``assertionMethod``
    (``did.assertion_key`` for a fetched DID document,
    ``did.did_key_assertion_key`` for ``did:key``), or raises.
    """
    if not isinstance(document, dict):
        raise MalformedCredential("a credential is a JSON object")
    proof = _the_proof(document)
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    context = unsecured.get("@context")
    if "@context" in options:
        # vc-di-eddsa: a proof's own @context must be how the document's starts.
        own = options["@context"] if isinstance(options["@context"], list) else [options["@context"]]
        whole = context if isinstance(context, list) else [context]
        if whole[: len(own)] != own:
            raise MalformedCredential("the proof's @context does not match the credential's")
    options["@context"] = context
    try:
        signature = multibase_decode(proof.get("proofValue"))
    except InvalidKey as err:
        raise InvalidSignature("the proofValue is not a base58btc signature") from err
    if len(signature) != 64:
        raise InvalidSignature("the proofValue is not an Ed25519 signature")
    key = resolve_key(proof.get("verificationMethod"))
    try:
        key.public_key.verify(signature, hash_data(unsecured, options))
    except _CryptoInvalidSignature as err:
        raise InvalidSignature(
            "the signature does not match: the credential was changed after signing, "
            "or signed with another key"
        ) from err
    created = proof.get("created")
    return VerifiedProof(
        key.verification_method, key.controller, created if isinstance(created, str) else None
    )
