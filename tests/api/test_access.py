"""Who reaches which API endpoint: the manager, the teammate, the outsider, no one.

Outsiders get the same 404 as for a thing that does not exist; a request
without a session gets 403; every answer has the one error shape.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import ImportRequest, ImportSource
from tests.support.factories import award, make_badge
from tests.support.sessions import mint_cookie, mint_jwt

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_aid():
    return make_badge(name="First Aid at Work", image_url="https://img.example.com/first-aid.png")


@pytest.fixture
def carol_award(first_aid):
    return award(first_aid, "carol@cowork.net", "Carol")


def endpoint(name, first_aid, carol_award):
    args = {
        "api-badges": ["cowork"],
        "api-badge": ["cowork", first_aid.slug],
        "api-badge-awards": ["cowork", first_aid.slug],
        "api-org-awards": ["cowork"],
        "api-award": [carol_award.pk],
        "api-award-revoke": [carol_award.pk],
        "api-my-awards": [],
        "api-my-imports": [],
    }[name]
    return reverse(name, args=args)


def call(client, method, url, data=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data or {}, content_type="application/json")


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "extra"}


NEW_BADGE = {
    "name": "Fire Warden",
    "description": "Knows the way out.",
    "criteria_narrative": "Led an evacuation drill.",
    "image_url": "https://img.example.com/fire.png",
}
# (endpoint, method, body): reads and writes that managers of cowork may do.
MANAGER_ONLY = [
    ("api-badges", "post", {**NEW_BADGE}),
    ("api-badge", "patch", {"name": "First Aid"}),
    ("api-badge-awards", "get", None),
    ("api-badge-awards", "post", {"recipients": [{"email": "dan@cowork.net"}]}),
    ("api-org-awards", "get", None),
    ("api-award-revoke", "post", {"reason": "Issued by mistake."}),
]
MEMBER_READS = [("api-badges", "get", None), ("api-badge", "get", None)]


@pytest.mark.parametrize(("name", "method", "body"), MANAGER_ONLY + MEMBER_READS)
def test_the_manager_may_call_it(alice, first_aid, carol_award, name, method, body):
    response = call(alice, method, endpoint(name, first_aid, carol_award), body)
    assert response.status_code in (200, 201), response.json()


@pytest.mark.parametrize(("name", "method", "body"), MANAGER_ONLY)
def test_a_teammate_who_manages_nothing_gets_404(bob, first_aid, carol_award, name, method, body):
    assert_error_shape(call(bob, method, endpoint(name, first_aid, carol_award), body), 404)


@pytest.mark.parametrize(("name", "method", "body"), MEMBER_READS)
def test_a_teammate_may_read_the_organisations_badges(bob, first_aid, carol_award, name, method, body):
    assert call(bob, method, endpoint(name, first_aid, carol_award), body).status_code == 200


@pytest.mark.parametrize(("name", "method", "body"), MANAGER_ONLY + MEMBER_READS)
def test_an_outsider_gets_404(hana, first_aid, carol_award, name, method, body):
    response = call(hana, method, endpoint(name, first_aid, carol_award), body)
    assert_error_shape(response, 404)


def test_an_outsider_gets_404_on_someone_elses_award(hana, bob, first_aid, carol_award):
    url = reverse("api-award", args=[carol_award.pk])
    assert_error_shape(hana.get(url), 404)
    assert_error_shape(bob.get(url), 404)


def test_an_unknown_organisation_looks_like_a_forbidden_one(alice):
    assert_error_shape(alice.get(reverse("api-badges", args=["no-such-org"])), 404)


# Anyone signed in reads their own things and the API's description.
SIGNED_IN_READS = ["api-me", "api-my-awards", "api-my-progress", "api-my-imports", "api-schema", "api-docs"]


@pytest.mark.parametrize("name", SIGNED_IN_READS)
def test_anyone_signed_in_reads_their_own_and_the_description(alice, bob, hana, xia, name):
    for client in (alice, bob, hana, xia):
        assert client.get(reverse(name)).status_code == 200


ALL = [
    *MANAGER_ONLY,
    *MEMBER_READS,
    ("api-award", "get", None),
    *((name, "get", None) for name in SIGNED_IN_READS),
    ("api-my-imports", "post", {"assertion_url": "https://example.com/a"}),
]
# Every API route, for tests/test_url_coverage.py. The xAPI push endpoint takes HTTP
# Basic credentials, never a session: its matrix is in tests/api/test_xapi.py (TestAccess).
ROUTES = {name for name, _, _ in ALL} | {"xapi-statements", "api-my-import-request"}


class TestAnImportsStatus:
    """``api-my-import-request``: its owner's alone."""

    @pytest.fixture
    def url(self, bob):
        bob.get(reverse("api-me"))  # a first visit makes the user
        owner = User.objects.get(username="bob")
        pending = ImportRequest.objects.create(
            owner=owner, source=ImportSource.URL, emails=["bob@cowork.net"]
        )
        return reverse("api-my-import-request", args=[pending.pk])

    def test_its_owner_reads_it(self, bob, url):
        assert bob.get(url).json()["status"] == "pending"

    def test_others_get_404_and_no_session_403(self, alice, hana, url):
        assert_error_shape(alice.get(url), 404)
        assert_error_shape(hana.get(url), 404)
        assert_error_shape(Client().get(url), 403)

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_it_is_read_only(self, bob, url, method):
        assert_error_shape(call(bob, method, url), 405)


@pytest.mark.parametrize(("name", "method", "body"), ALL)
def test_without_a_session_the_answer_is_a_403(first_aid, carol_award, name, method, body):
    url = reverse(name) if name in SIGNED_IN_READS else endpoint(name, first_aid, carol_award)
    response = call(Client(), method, url, body)
    if name == "api-docs":  # an HTML page: the styled 403
        assert response.status_code == 403
    else:
        assert_error_shape(response, 403)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("api-badges", "put"),
        ("api-badges", "delete"),
        ("api-badge", "post"),
        ("api-badge", "delete"),
        ("api-badge-awards", "patch"),
        ("api-org-awards", "post"),
        ("api-award", "post"),
        ("api-award", "delete"),
        ("api-award-revoke", "get"),
        ("api-my-awards", "post"),
        ("api-my-imports", "delete"),
        ("api-me", "post"),
    ],
)
def test_the_wrong_method_is_a_405(alice, first_aid, carol_award, name, method):
    url = reverse(name) if name in SIGNED_IN_READS else endpoint(name, first_aid, carol_award)
    response = call(alice, method, url)
    assert_error_shape(response, 405)


class TestCsrf:
    """A cookie rides along on cross-site requests, so it needs a CSRF token; a Bearer JWT does not."""

    BODY = {
        "name": "Fire Warden",
        "description": "d",
        "criteria_narrative": "c",
        "image_url": "https://x.io/a.png",
    }

    def cookie_client(self, sessions) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.cookies[settings.SESSION_COOKIE_NAME] = mint_cookie(sessions["alice"])
        return client

    def jwt_client(self, sessions) -> Client:
        token = mint_jwt(sessions["alice"])
        return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})

    def test_a_cookie_session_post_without_a_csrf_token_is_refused(self, sessions, first_aid):
        response = self.cookie_client(sessions).post(
            reverse("api-badges", args=["cowork"]), self.BODY, content_type="application/json"
        )
        assert_error_shape(response, 403)
        assert "CSRF" in response.json()["message"]

    def test_a_cookie_session_post_with_a_csrf_token_is_accepted(self, sessions, first_aid):
        client = self.cookie_client(sessions)
        token = "a" * 32
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        response = client.post(
            reverse("api-badges", args=["cowork"]),
            self.BODY,
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 201

    def test_a_bearer_jwt_post_needs_no_csrf_token(self, sessions, first_aid):
        client = self.jwt_client(sessions)
        url = reverse("api-badges", args=["cowork"])
        response = client.post(url, self.BODY, content_type="application/json")
        assert response.status_code == 201

    def test_a_bearer_jwt_revokes_without_a_csrf_token(self, sessions, carol_award):
        client = self.jwt_client(sessions)
        response = client.post(
            reverse("api-award-revoke", args=[carol_award.pk]),
            {"reason": "Issued by mistake."},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["status"] == "revoked"
