"""Bitstring Status List: bit order, minimum size, and bounded decoding."""

import base64
import gzip

import pytest

from core.domain.credentials import canon, status_list
from core.domain.credentials.errors import MalformedCredential, UndefinedTerms


def test_bit_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = status_list.decode(status_list.encode({0, 9}))
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert status_list.is_set(bits, 0) and status_list.is_set(bits, 9)
    assert not status_list.is_set(bits, 1)


def test_a_list_is_never_shorter_than_the_spec_minimum():
    assert len(status_list.decode(status_list.encode(set(), length=8))) * 8 == status_list.MIN_BITS


def test_the_same_list_always_encodes_to_the_same_string():
    assert status_list.encode({5, 77}) == status_list.encode({77, 5})


def test_an_index_outside_the_list_is_refused():
    with pytest.raises(ValueError, match="outside"):
        status_list.encode({status_list.MIN_BITS})


@pytest.mark.parametrize(
    "value", ["zABC", "u!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode(), None]
)
def test_what_is_not_an_encoded_list_is_refused(value):
    with pytest.raises(MalformedCredential):
        status_list.decode(value)


def test_a_list_that_inflates_beyond_bounds_is_refused():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(17 * 1024 * 1024))).decode().rstrip("=")
    with pytest.raises(MalformedCredential, match="too large"):
        status_list.decode(bomb)


def test_the_entry_and_the_list_are_covered_by_the_vc_context():
    list_url = "https://badges.example.com/ob/issuers/acme/status/1"
    document = status_list.list_credential(
        list_url=list_url,
        issuer="did:web:badges.example.com",
        valid_from="2025-01-01T00:00:00Z",
        encoded_list=status_list.encode({3}),
    )
    document["credentialSubject"]["x"] = status_list.status_entry(
        list_url, 3
    )  # any undefined term would fail
    with pytest.raises(UndefinedTerms, match="'x'"):
        canon.canonicalize(document)
    del document["credentialSubject"]["x"]
    nquads = canon.canonicalize({**document, "credentialStatus": status_list.status_entry(list_url, 3)})
    assert "https://www.w3.org/ns/credentials/status#statusListIndex" in nquads
    assert "https://www.w3.org/ns/credentials/status#encodedList" in nquads
