"""The issuing keys: one current Ed25519 key that signs, and the retired ones that stay listed.

Read from configuration, never from the database or git: the current secret
key as a Multikey ``secretKeyMultibase`` (``z3u2...``), and the public halves
(``z6Mk...``) of the keys it replaced. Rotation is: make a new key, put the old
key's public half in the retired list, and the new key in its place. Credentials
signed before keep verifying, because every DID document still lists the old
key for ``assertionMethod``; its secret half is no longer needed anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials.errors import InvalidKey
from core.domain.credentials.multikey import (
    public_key_from_multibase,
    public_key_multibase,
    secret_key_from_multibase,
    secret_key_multibase,
)


@dataclass(frozen=True)
class Keyring:
    current: Ed25519PrivateKey
    retired: tuple[str, ...] = ()  # publicKeyMultibase of every earlier key

    @property
    def current_public(self) -> str:
        return public_key_multibase(self.current)

    def public_keys(self) -> list[str]:
        """Every key a DID document lists: the current one first, each once."""
        return list(dict.fromkeys([self.current_public, *self.retired]))


def generate_secret() -> str:
    """A new secret key, as configuration holds it."""
    return secret_key_multibase(Ed25519PrivateKey.generate())


def parse_keyring(secret: str, retired: str = "") -> Keyring:
    """The keyring from its configured form; :class:`InvalidKey` names what is wrong.

    ``retired``: public keys separated by commas, spaces or new lines.
    """
    secret = (secret or "").strip()
    if not secret:
        raise InvalidKey("no signing key is configured")
    try:
        current = secret_key_from_multibase(secret)
    except InvalidKey as err:
        raise InvalidKey(f"the signing key is not an Ed25519 secretKeyMultibase: {err}") from err
    old = [item for item in (retired or "").replace(",", " ").split() if item]
    for key in old:
        try:
            public_key_from_multibase(key)
        except InvalidKey as err:
            raise InvalidKey(f"the retired key {key[:12]}… is not an Ed25519 publicKeyMultibase") from err
    return Keyring(current, tuple(old))
