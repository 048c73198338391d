"""Multikey strings: multibase base58btc of multicodec-prefixed Ed25519 keys."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import multikey
from core.domain.credentials.errors import InvalidKey


def test_a_public_key_reads_back_from_its_multibase():
    key = Ed25519PrivateKey.generate()
    encoded = multikey.public_key_multibase(key.public_key())
    assert encoded.startswith("z6Mk")
    assert multikey.public_bytes(multikey.public_key_from_multibase(encoded)) == multikey.public_bytes(
        key.public_key()
    )


def test_a_secret_key_reads_back_from_its_multibase():
    key = Ed25519PrivateKey.generate()
    encoded = multikey.secret_key_multibase(key)
    assert encoded.startswith("z3u2")
    assert multikey.secret_key_from_multibase(encoded).private_bytes_raw() == key.private_bytes_raw()


def test_a_secret_key_whose_public_half_is_another_keys_is_refused():
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    mixed = multikey.ED25519_PRIV + key.private_bytes_raw() + multikey.public_bytes(other.public_key())
    with pytest.raises(InvalidKey):
        multikey.secret_key_from_multibase(multikey.multibase_encode(mixed))


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "u7QE",  # base64url multibase
        "z0OIl",  # not the base58 alphabet
        "z" + "1" * 300,
        multikey.multibase_encode(b"\xec\x01" + b"\x00" * 32),  # x25519, not ed25519
        multikey.multibase_encode(multikey.ED25519_PUB + b"\x00" * 31),
    ],
)
def test_what_is_not_an_ed25519_public_multikey_is_refused(value):
    with pytest.raises(InvalidKey):
        multikey.public_key_from_multibase(value)


def test_a_public_key_is_not_taken_for_a_secret_one():
    public = multikey.public_key_multibase(Ed25519PrivateKey.generate())
    with pytest.raises(InvalidKey):
        multikey.secret_key_from_multibase(public)
