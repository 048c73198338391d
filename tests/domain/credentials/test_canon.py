"""Canonicalisation: bundled contexts only, nothing JSON-LD would drop, literals escaped as RDFC-1.0."""

import copy

import pytest
from pyld import jsonld

from core.domain.credentials import canon, loader
from core.domain.credentials.errors import ContextNotBundled, MalformedCredential, UndefinedTerms

CONTEXT = [loader.VC_V2, loader.OB_V3P0]


def credential(**extra) -> dict:
    return {
        "@context": list(CONTEXT),
        "id": "https://badges.example.com/ob/credentials/1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:badges.example.com:ob:issuers:acme", "type": ["Profile"], "name": "Acme"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.com/ob/badges/acme/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works well with others.",
                "criteria": {"narrative": "Nominated by peers."},
            },
        },
        **extra,
    }


def test_a_member_no_context_defines_is_refused_by_name():
    with pytest.raises(UndefinedTerms) as caught:
        canon.canonicalize(credential(favouriteColour="green"))
    assert caught.value.terms == ["favouriteColour"]


def test_plain_json_ld_would_have_dropped_it_silently():
    # What the guard exists for: PyLD signs the same bytes with or without the member.
    plain = {
        "documentLoader": loader.document_loader,
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
    }
    assert jsonld.normalize(credential(favouriteColour="green"), plain) == jsonld.normalize(
        credential(), plain
    )


def test_an_undefined_member_deep_inside_is_refused():
    document = credential()
    document["credentialSubject"]["achievement"]["criteria"]["weight"] = 3
    with pytest.raises(UndefinedTerms) as caught:
        canon.canonicalize(document)
    assert caught.value.terms == ["weight"]


def test_an_undefined_type_is_refused():
    document = credential()
    document["credentialSubject"]["type"] = ["AchievementSubject", "Diploma"]
    with pytest.raises(UndefinedTerms) as caught:
        canon.canonicalize(document)
    assert caught.value.terms == ["Diploma"]


def test_a_relative_id_is_refused():
    with pytest.raises(UndefinedTerms) as caught:
        canon.canonicalize(credential(id="credentials/1"))
    assert caught.value.terms == ["credentials/1"]


def test_a_term_defined_only_in_a_type_scoped_context_is_accepted_where_it_applies():
    document = credential()
    document["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": "sha256$00",
        }
    ]
    assert "identityHash" in canon.canonicalize(document)
    document["issuer"]["identityHash"] = "sha256$00"  # not a Profile term
    with pytest.raises(UndefinedTerms):
        canon.canonicalize(document)


def test_a_nested_context_that_resets_the_vocabulary_is_refused():
    document = credential()
    document["credentialSubject"]["achievement"]["@context"] = None
    with pytest.raises(MalformedCredential):
        canon.canonicalize(document)


def test_the_checked_expansion_is_plain_expansion():
    expanded = canon.expand_checked(credential())
    assert expanded == jsonld.expand(credential(), {"documentLoader": loader.document_loader})
    assert canon.PROBE_VOCAB not in repr(expanded)


def test_a_context_that_is_not_bundled_is_refused_and_never_fetched():
    document = credential()
    document["@context"].append("https://example.com/evil-context.jsonld")
    with pytest.raises(ContextNotBundled) as caught:
        canon.canonicalize(document)
    assert caught.value.url == "https://example.com/evil-context.jsonld"


def test_the_loader_serves_only_bundled_copies():
    assert loader.document_loader(loader.VC_V2)["document"]["@context"]["VerifiableCredential"]
    with pytest.raises(ContextNotBundled):
        loader.document_loader("https://www.w3.org/ns/credentials/examples/v2")


def test_the_loader_hands_out_copies_pyld_may_change():
    served = loader.document_loader(loader.OB_V3P0)["document"]
    served["@context"]["name"] = "tampered"
    assert loader.bundled_context(loader.OB_V3P0)["@context"]["name"] != "tampered"


def test_a_document_without_context_is_refused():
    document = credential()
    del document["@context"]
    with pytest.raises(MalformedCredential):
        canon.canonicalize(document)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("tab\there", "tab\\there"),
        ("form\x0cfeed", "form\\ffeed"),
        ("back\x08space", "back\\bspace"),
        ("bell\x07", "bell\\u0007"),
        ("delete\x7f", "delete\\u007F"),
        ('quote " and \\', 'quote \\" and \\\\'),
        ("snake 🐍 é", "snake 🐍 é"),
    ],
)
def test_literals_are_escaped_as_rdfc_1_0_writes_them(text, written):
    assert f'"{written}"' in canon.canonicalize(credential(name=text))


def test_canonicalising_leaves_the_document_unchanged():
    document = credential()
    before = copy.deepcopy(document)
    canon.canonicalize(document)
    assert document == before
