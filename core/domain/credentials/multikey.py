"""Ed25519 keys as Multikey strings: multibase base58btc of the multicodec-prefixed bytes.

``publicKeyMultibase`` is ``z`` + base58btc(``0xed 0x01`` + the 32-byte public
key), the ``z6Mk...`` strings of DID documents and ``did:key``;
``secretKeyMultibase`` is ``z`` + base58btc(``0x80 0x26`` + the 32-byte seed),
the form Digital Bazaar's ``ed25519-multikey`` exports (which appends the public
key: 64 bytes, read here too and checked against the seed).
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from core.domain.credentials.errors import InvalidKey

ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub (0xed), as a varint
ED25519_PRIV = b"\x80\x26"  # multicodec ed25519-priv (0x1300), as a varint


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: ``z`` then the Bitcoin alphabet."""
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    """The bytes of a base58btc multibase string; :class:`InvalidKey` for any other base."""
    if not isinstance(value, str) or not value.startswith("z") or len(value) > 200:
        raise InvalidKey("expected a base58btc multibase string (starting with “z”)")
    try:
        return base58.b58decode(value[1:])
    except ValueError as err:
        raise InvalidKey("not base58btc") from err


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_multibase(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return multibase_encode(ED25519_PUB + public_bytes(key))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    raw = multibase_decode(value)
    if not raw.startswith(ED25519_PUB) or len(raw) != len(ED25519_PUB) + 32:
        raise InvalidKey("not an Ed25519 public key (Multikey z6Mk...)")
    return Ed25519PublicKey.from_public_bytes(raw[len(ED25519_PUB) :])


def secret_key_multibase(key: Ed25519PrivateKey) -> str:
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return multibase_encode(ED25519_PRIV + seed)


def secret_key_from_multibase(value: str) -> Ed25519PrivateKey:
    raw = multibase_decode(value)
    body = raw[len(ED25519_PRIV) :]
    if not raw.startswith(ED25519_PRIV) or len(body) not in (32, 64):
        raise InvalidKey("not an Ed25519 secret key (Multikey secretKeyMultibase)")
    key = Ed25519PrivateKey.from_private_bytes(body[:32])
    if len(body) == 64 and body[32:] != public_bytes(key.public_key()):
        raise InvalidKey("the secret key's public half does not match its seed")
    return key
