"""Actors as keys, and the keys that name a person: mbox, its SHA-1, an account."""

from __future__ import annotations

import hashlib

from core.domain.learning.actors import account_key, email_of_key, mbox_sha1sums, person_keys
from core.domain.learning.statements import parse_statement
from tests.domain.learning import examples


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def actor_of(actor: dict) -> str | None:
    data = examples.attempted_hashed()
    data["actor"] = actor
    return parse_statement(data).actor


def test_an_mbox_matches_whatever_its_case():
    keys = person_keys(["bob@cowork.net"])
    assert actor_of({"mbox": "mailto:BOB@Cowork.NET"}) in keys
    assert actor_of({"mbox": "MAILTO:bob@cowork.net"}) in keys


def test_another_address_does_not_match():
    assert actor_of({"mbox": "mailto:bobby@cowork.net"}) not in person_keys(["bob@cowork.net"])


def test_every_address_of_a_person_matches():
    keys = person_keys(["bob@cowork.net", "Bob.Teammate@Personal.example"])
    assert actor_of({"mbox": "mailto:bob.teammate@personal.example"}) in keys
    assert actor_of({"mbox": "mailto:bob@cowork.net"}) in keys


def test_a_hashed_mbox_matches_under_each_usual_spelling():
    keys = person_keys(["Bob.Teammate@Cowork.net"])
    for spelling in ("Bob.Teammate@Cowork.net", "Bob.Teammate@cowork.net", "bob.teammate@cowork.net"):
        assert actor_of({"mbox_sha1sum": sha1(f"mailto:{spelling}")}) in keys, spelling
        assert actor_of({"mbox_sha1sum": sha1(f"mailto:{spelling}").upper()}) in keys, spelling
    assert actor_of({"mbox_sha1sum": sha1("mailto:someone.else@cowork.net")}) not in keys


def test_the_hash_is_of_the_mailto_iri():
    assert sha1("mailto:ada@example.com") in mbox_sha1sums("ada@example.com")
    assert sha1("ada@example.com") not in mbox_sha1sums("ada@example.com")


def test_an_account_matches_the_username_on_the_configured_home_page():
    keys = person_keys([], username="bob", account_home_page="https://sso.cowork.net")
    assert actor_of({"account": {"homePage": "https://sso.cowork.net/", "name": "bob"}}) in keys
    assert actor_of({"account": {"homePage": "https://sso.cowork.net", "name": "bob"}}) in keys
    assert actor_of({"account": {"homePage": "https://other-lms.example", "name": "bob"}}) not in keys
    assert actor_of({"account": {"homePage": "https://sso.cowork.net", "name": "Bob"}}) not in keys


def test_no_account_key_without_a_configured_home_page():
    assert person_keys(["bob@cowork.net"], username="bob") == person_keys(["bob@cowork.net"])


def test_an_account_name_with_spaces_stays_one_key():
    assert (
        account_key("https://sso.cowork.net", "Bob Teammate") == "account:https://sso.cowork.net Bob Teammate"
    )
    # A homePage is an IRL, which holds no raw space: the first space ends it.
    assert actor_of(
        {"account": {"homePage": "https://sso.cowork.net", "name": "Bob Teammate"}}
    ) == account_key("https://sso.cowork.net", "Bob Teammate")


def test_nobody_is_known_by_openid():
    key = actor_of({"openid": "https://bob.openid.example.org/"})
    assert key == "openid:https://bob.openid.example.org/"
    assert key not in person_keys(
        ["bob@cowork.net"], username="bob", account_home_page="https://sso.cowork.net"
    )


def test_the_email_of_an_mbox_key():
    assert email_of_key(actor_of({"mbox": "mailto:Bob@Cowork.net"})) == "bob@cowork.net"
    assert email_of_key(actor_of({"mbox_sha1sum": sha1("mailto:bob@cowork.net")})) is None
