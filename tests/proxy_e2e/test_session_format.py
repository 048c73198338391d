"""The session the proxy forwards, as djaodjin-rules and djaodjin-saas build it,
and the app's mockups (mockups/*.json) held against it."""

import json
import subprocess

import pytest
from django.conf import settings

from core.domain.identity import SessionIdentity
from core.domain.mockups import load_mockup_sessions
from tests.proxy_e2e import servers
from tests.proxy_e2e.conftest import PUBLIC_PREFIXES
from tests.proxy_e2e.test_journey import BOB, HANA, USERS

SESSION_FIELDS = {
    "username",
    "roles",
    "site",
    "last_visited",
    "invoice_keys",
    "session_key",
    "access_key",
    "secret_key",
    "security_token",
}
ORGANISATION_FIELDS = {
    "slug",
    "printable_name",
    "picture",
    "type",
    "credentials",
    "created_at",
    "email",
    "subscriptions",
}
MOCKUP_ONLY_FIELDS = {"email", "full_name"}  # the real proxy sends neither


@pytest.fixture(scope="module")
def forwarded(stack) -> dict[str, dict]:
    """The sessions the proxy forwards for hana, bob and carol."""
    result = subprocess.run(
        [str(servers.PROXY_VENV / "bin" / "python"), "manage.py", "proxy_session", "hana", "bob", "carol"],
        env=stack.proxy_env,
        cwd=servers.PROXY_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def organisations(session: dict) -> list[dict]:
    return [org for orgs in session["roles"].values() for org in orgs]


def test_the_proxy_forwards_no_email_or_name_of_its_own(forwarded):
    for session in forwarded.values():
        assert set(session) == SESSION_FIELDS
        for org in organisations(session):
            assert set(org) == ORGANISATION_FIELDS
            assert org["type"] == "organization"  # a personal profile too


def test_a_member_with_a_personal_profile_manages_it(forwarded):
    bob = forwarded["bob"]
    assert [org["slug"] for org in bob["roles"]["manager"]] == ["bob"]
    assert [org["slug"] for org in bob["roles"]["contributor"]] == ["snakeoil"]
    assert bob["roles"]["manager"][0]["email"] == BOB["email"]


def test_a_member_without_a_personal_profile_has_no_email_anywhere(forwarded):
    carol = forwarded["carol"]
    assert list(carol["roles"]) == ["contributor"]
    assert all(org["slug"] != "carol" for org in organisations(carol))
    assert USERS["carol"]["email"] not in json.dumps(carol)


def test_the_app_reads_the_name_and_email_of_the_personal_profile(forwarded):
    hana = SessionIdentity.from_session(forwarded["hana"])
    assert (hana.email, hana.display_name) == (HANA["email"], f"{HANA['first_name']} {HANA['last_name']}")
    assert hana.manages("snakeoil")
    carol = SessionIdentity.from_session(forwarded["carol"])
    assert (carol.email, carol.display_name) == ("", "carol")


def test_the_mockups_have_the_shape_of_what_the_proxy_forwards():
    for username, session in load_mockup_sessions(servers.REPO / "mockups").items():
        assert set(session) - MOCKUP_ONLY_FIELDS == SESSION_FIELDS, username
        for org in organisations(session):
            assert set(org) == ORGANISATION_FIELDS, (username, org["slug"])
            assert org["type"] == "organization", (username, org["slug"])


def test_the_proxy_forwards_every_public_prefix_of_the_app_without_a_login():
    # What README "On the DjaoDjin side" tells operators, and what the journey's proxy does.
    # (The favicon redirects to /static/; the mockup login is development only.)
    app_public = set(settings.PUBLIC_PATH_PREFIXES) - {"/favicon.ico", "/login/", "/logout/"}
    assert app_public == set(PUBLIC_PREFIXES)
