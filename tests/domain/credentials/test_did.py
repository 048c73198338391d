"""did:web for our issuers (port as %3A), DID documents, and the keys they authorise."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import did
from core.domain.credentials.errors import InvalidDid, InvalidKey, KeyNotAuthorised
from core.domain.credentials.multikey import public_bytes, public_key_multibase


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://badges.example.com", "did:web:badges.example.com:ob:issuers:acme"),
        ("https://badges.example.com/", "did:web:badges.example.com:ob:issuers:acme"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000:ob:issuers:acme"),
        ("https://example.com/badges", "did:web:example.com:badges:ob:issuers:acme"),
        ("https://BÜCHER.example", "did:web:xn--bcher-kva.example:ob:issuers:acme"),
    ],
)
def test_the_did_web_of_an_issuer(base_url, expected):
    assert did.did_web(base_url, "ob", "issuers", "acme") == expected


def test_a_segment_cannot_add_segments():
    assert did.did_web("https://x.example", "ob", "a:b/c") == "did:web:x.example:ob:a%3Ab%2Fc"


@pytest.mark.parametrize(
    ("identifier", "url"),
    [
        ("did:web:badges.example.com:ob:issuers:acme", "https://badges.example.com/ob/issuers/acme/did.json"),
        ("did:web:127.0.0.1%3A8000:ob:issuers:acme", "https://127.0.0.1:8000/ob/issuers/acme/did.json"),
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
    ],
)
def test_where_a_did_web_publishes_its_document(identifier, url):
    assert did.did_web_document_url(identifier) == url


def test_development_resolves_over_http():
    assert did.did_web_document_url("did:web:127.0.0.1%3A8000:ob:issuers:acme", scheme="http") == (
        "http://127.0.0.1:8000/ob/issuers/acme/did.json"
    )


@pytest.mark.parametrize(
    "identifier", ["did:key:z6Mk", "did:web:", "did:web:a.example::x", "did:web:evil.example%2Fpath", 3]
)
def test_what_is_not_a_did_web_is_refused(identifier):
    with pytest.raises(InvalidDid):
        did.did_web_document_url(identifier)


@pytest.fixture
def keys():
    return [public_key_multibase(Ed25519PrivateKey.generate()) for _ in range(2)]


def test_the_did_document_lists_every_key_for_assertions(keys):
    identifier = "did:web:badges.example.com:ob:issuers:acme"
    document = did.did_document(identifier, keys)
    assert document["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert document["id"] == identifier
    assert [m["id"] for m in document["verificationMethod"]] == [f"{identifier}#{k}" for k in keys]
    assert {m["type"] for m in document["verificationMethod"]} == {"Multikey"}
    assert {m["controller"] for m in document["verificationMethod"]} == {identifier}
    assert document["assertionMethod"] == [f"{identifier}#{k}" for k in keys]


def test_an_older_key_still_resolves_from_the_document(keys):
    identifier = "did:web:badges.example.com:ob:issuers:acme"
    document = did.did_document(identifier, keys)
    found = did.assertion_key(document, f"{identifier}#{keys[1]}")
    assert public_key_multibase(found.public_key) == keys[1]
    assert found.controller == identifier


def test_a_key_not_listed_for_assertions_is_refused(keys):
    identifier = "did:web:badges.example.com:ob:issuers:acme"
    document = did.did_document(identifier, keys)
    document["assertionMethod"] = document["assertionMethod"][:1]
    with pytest.raises(KeyNotAuthorised):
        did.assertion_key(document, f"{identifier}#{keys[1]}")


def test_a_key_controlled_by_someone_else_is_refused(keys):
    identifier = "did:web:badges.example.com:ob:issuers:acme"
    document = did.did_document(identifier, keys)
    document["verificationMethod"][0]["controller"] = "did:web:evil.example"
    with pytest.raises(KeyNotAuthorised):
        did.assertion_key(document, f"{identifier}#{keys[0]}")


def test_another_dids_document_is_refused(keys):
    document = did.did_document("did:web:evil.example", keys)
    with pytest.raises(InvalidDid):
        did.assertion_key(document, f"did:web:badges.example.com#{keys[0]}")


def test_relative_and_embedded_methods_are_read(keys):
    identifier = "did:web:a.example"
    document = {
        "id": identifier,
        "assertionMethod": [
            {"id": f"#{keys[0]}", "type": "Multikey", "controller": identifier, "publicKeyMultibase": keys[0]}
        ],
    }
    assert public_key_multibase(did.assertion_key(document, f"{identifier}#{keys[0]}").public_key) == keys[0]


def test_a_method_of_another_key_type_is_refused(keys):
    identifier = "did:web:a.example"
    document = did.did_document(identifier, keys)
    document["verificationMethod"][0]["type"] = "JsonWebKey2020"
    with pytest.raises(InvalidKey):
        did.assertion_key(document, f"{identifier}#{keys[0]}")


def test_a_did_key_is_its_own_key():
    key = Ed25519PrivateKey.generate()
    multibase = public_key_multibase(key)
    found = did.did_key_assertion_key(f"did:key:{multibase}#{multibase}")
    assert public_bytes(found.public_key) == public_bytes(key.public_key())
    assert found.controller == f"did:key:{multibase}"


def test_a_did_key_fragment_naming_another_key_is_refused(keys):
    with pytest.raises(KeyNotAuthorised):
        did.did_key_assertion_key(f"did:key:{keys[0]}#{keys[1]}")


@pytest.mark.parametrize("method", ["did:key:z6Mk", "https://example.com/key#1", "did:web:a.example", None])
def test_what_is_not_a_did_key_url_is_refused(method):
    with pytest.raises(InvalidDid):
        did.did_key_assertion_key(method)
