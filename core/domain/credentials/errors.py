"""Why a credential cannot be signed or does not verify: one exception per reason.

Each carries a stable ``code`` that the services map to a message people read
(imports show each failure with its own message), and a developer-facing text.
"""

from __future__ import annotations


class CredentialError(ValueError):
    """Base class: ``code`` names the reason, ``str()`` explains it to a developer."""

    code = "invalid_credential"


class ContextNotBundled(CredentialError):
    """A document names a JSON-LD context badgeapp does not bundle (contexts are never fetched)."""

    code = "unknown_context"

    def __init__(self, url: str):
        super().__init__(f"the JSON-LD context {url!r} is not one badgeapp knows")
        self.url = url


class UndefinedTerms(CredentialError):
    """JSON-LD would silently drop these members: no context defines them, so no signature covers them."""

    code = "undefined_terms"

    def __init__(self, terms: list[str]):
        self.terms = sorted(set(terms))
        super().__init__("no JSON-LD context defines " + ", ".join(repr(t) for t in self.terms))


class MalformedCredential(CredentialError):
    """Not the shape of a credential (no ``@context`` list, a proof that is not an object...)."""

    code = "malformed"


class UnsupportedProof(CredentialError):
    """A proof of another kind than a ``DataIntegrityProof`` with ``eddsa-rdfc-2022``."""

    code = "unsupported_proof"


class InvalidSignature(CredentialError):
    """The signature does not match the document: it was changed after signing, or signed by another key."""

    code = "invalid_signature"


class InvalidKey(CredentialError):
    """A key or a key identifier that cannot be read (multibase, multicodec, length)."""

    code = "invalid_key"


class InvalidDid(CredentialError):
    """A DID badgeapp cannot read or resolve (only ``did:web`` and ``did:key``)."""

    code = "invalid_did"


class KeyNotAuthorised(CredentialError):
    """The signing key is not one the issuer lists for signing credentials (``assertionMethod``)."""

    code = "key_not_authorised"
