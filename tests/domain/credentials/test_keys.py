"""The keyring: the current key signs, retired public keys stay listed."""

import pytest

from core.domain.credentials import keys
from core.domain.credentials.errors import InvalidKey
from core.domain.credentials.multikey import public_key_multibase, secret_key_from_multibase


def test_a_generated_secret_reads_back():
    secret = keys.generate_secret()
    ring = keys.parse_keyring(secret)
    assert ring.current_public == public_key_multibase(secret_key_from_multibase(secret))
    assert ring.public_keys() == [ring.current_public]


def test_retired_keys_follow_the_current_one_each_once():
    old = keys.parse_keyring(keys.generate_secret()).current_public
    older = keys.parse_keyring(keys.generate_secret()).current_public
    ring = keys.parse_keyring(keys.generate_secret(), f"{old}, {older}\n{old}")
    assert ring.public_keys() == [ring.current_public, old, older]


@pytest.mark.parametrize(
    "secret", ["", "   ", "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "not-a-key"]
)
def test_a_missing_or_wrong_secret_is_refused(secret):
    with pytest.raises(InvalidKey):
        keys.parse_keyring(secret)


def test_a_retired_entry_that_is_not_a_public_key_is_refused():
    secret = keys.generate_secret()
    with pytest.raises(InvalidKey, match="retired"):
        keys.parse_keyring(keys.generate_secret(), secret)
