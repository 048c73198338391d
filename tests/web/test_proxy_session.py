"""The proxy's two forwarding modes, through the real deployutils middleware."""

import json
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import client_with_cookie
from tests.support.sessions import mint_cookie, mint_cookie_from_json, mint_jwt, mint_jwt_from_json

pytestmark = pytest.mark.django_db


def assert_clean_403_page(response):
    assert response.status_code == 403
    body = response.content.decode()
    assert "Access denied" in body
    assert 'class="navbar' in body  # the site's own layout, not Django's bare page
    assert "Traceback" not in body and "PermissionDenied" not in body


def assert_clean_403_json(response):
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "extra"}


class TestValidSessions:
    def test_cookie_session_reaches_views(self, alice):
        response = alice.get(reverse("home"))
        assert response.status_code == 200
        assert "Hello, Alice Martin" in response.content.decode()
        assert response.wsgi_request.user.username == "alice"
        assert response.wsgi_request.identity.manages("cowork")

    def test_cookie_session_reaches_drf(self, alice):
        data = alice.get(reverse("api-me")).json()
        assert data["username"] == "alice"
        assert data["email"] == "alice@cowork.net"
        assert data["organisations"] == [
            {
                "slug": "cowork",
                "printable_name": "Chamoix Coworking",
                "email": "support@cowork.net",
                "roles": ["manager"],
            }
        ]

    def test_jwt_session_reaches_views_and_drf(self, jwt_client_as):
        client = jwt_client_as("bob")
        assert "Hello, Bob Lefèvre" in client.get(reverse("home")).content.decode()
        data = client.get(reverse("api-me")).json()
        assert data["username"] == "bob"
        assert data["organisations"][0]["roles"] == ["contributor"]

    def test_header_shows_name_and_organisations(self, hana):
        body = hana.get(reverse("home")).content.decode()
        assert 'data-testid="current-user"' in body
        assert "Hana Sato 🌸" in body and "Snake Oil Learning 🐍" in body


class TestRejectedSessions:
    @pytest.mark.parametrize(
        "cookie",
        [
            pytest.param("garbled-not-base64-%%%", id="garbled"),
            pytest.param("U2FsdGVkX1+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", id="salted-junk"),
            pytest.param("", id="empty"),
        ],
    )
    def test_bad_cookie_is_a_403_page(self, cookie):
        assert_clean_403_page(client_with_cookie(cookie).get(reverse("home")))

    def test_cookie_encrypted_with_another_key(self, sessions):
        client = client_with_cookie(
            mint_cookie(sessions["alice"], passphrase="another-key-that-is-not-the-shared-one")
        )
        assert_clean_403_page(client.get(reverse("home")))
        assert_clean_403_json(client.get(reverse("api-me")))

    @pytest.mark.parametrize("cut", [1, 5, 24])
    def test_truncated_cookie(self, sessions, cut):
        cookie = mint_cookie(sessions["alice"])
        assert_clean_403_page(client_with_cookie(cookie[:-cut]).get(reverse("home")))

    def test_session_without_username(self, sessions):
        session = {k: v for k, v in sessions["alice"].items() if k != "username"}
        client = client_with_cookie(mint_cookie(session))
        assert_clean_403_page(client.get(reverse("home")))
        assert_clean_403_json(client.get(reverse("api-me")))

    def test_jwt_without_username(self, sessions):
        session = {k: v for k, v in sessions["alice"].items() if k != "username"}
        client = Client(headers={"Authorization": f"Bearer {mint_jwt(session)}"})
        assert_clean_403_json(client.get(reverse("api-me")))

    def test_session_with_malformed_username(self, client_as):
        assert_clean_403_page(client_as("alice", username="x" * 151).get(reverse("home")))

    def test_expired_jwt(self, sessions):
        token = mint_jwt(sessions["alice"], issued_ago=timedelta(hours=3))
        client = Client(headers={"Authorization": f"Bearer {token}"})
        assert_clean_403_page(client.get(reverse("home")))
        assert_clean_403_json(client.get(reverse("api-me")))

    def test_jwt_signed_with_another_key(self, sessions):
        token = mint_jwt(sessions["alice"], passphrase="another-key-that-is-not-the-shared-one")
        client = Client(headers={"Authorization": f"Bearer {token}"})
        assert_clean_403_json(client.get(reverse("api-me")))

    def test_no_session_at_all(self):
        assert_clean_403_page(Client().get(reverse("home")))
        assert_clean_403_json(Client().get(reverse("api-me")))


class TestPublicPaths:
    def test_static_files_need_no_session(self):
        response = Client().get(f"{settings.STATIC_URL}vendor/bootstrap-5.3.8/bootstrap.min.css")
        assert response.status_code == 200

    def test_login_page_needs_no_session(self):
        assert Client().get(reverse("login")).status_code == 200

    def test_public_prefixes_never_include_the_root(self):
        # deployutils matches prefixes: "/" would open every page.
        assert "/" not in settings.DEPLOYUTILS["ALLOWED_NO_SESSION"]
        assert "" not in settings.DEPLOYUTILS["ALLOWED_NO_SESSION"]


def test_home_rejects_post(alice):
    assert alice.post(reverse("home")).status_code == 405


def with_nested_site(session: dict, depth: int) -> str:
    """The session's JSON, its ``site`` a list nested ``depth`` deep (json.dumps cannot write it)."""
    text = json.dumps({**session, "site": None})
    return text.replace('"site": null', '"site": ' + "[" * depth + "]" * depth)


class TestMalformedSessions:
    """Sessions that decrypt (they carry the shared key) but that the proxy never sends."""

    MALFORMED = [
        pytest.param({"full_name": {"first": "Alice"}}, id="full-name-not-a-string"),
        pytest.param({"full_name": 42}, id="full-name-a-number"),
        pytest.param({"email": "a" * 250 + "@cowork.net"}, id="email-over-254"),
        pytest.param({"email": ["alice@cowork.net"]}, id="email-not-a-string"),
    ]

    @pytest.mark.parametrize("fields", MALFORMED)
    def test_a_cookie_session_is_a_styled_403(self, sessions, fields):
        # A new user, so deployutils' user creation sees the session too.
        session = {**sessions["alice"], "username": "mallory", **fields}
        client = client_with_cookie(mint_cookie(session))
        assert_clean_403_page(client.get(reverse("home")))
        assert_clean_403_json(client.get(reverse("api-me")))
        assert not User.objects.filter(username="mallory").exists()

    def test_json_nested_2000_deep_is_a_styled_403(self, sessions):
        text = with_nested_site(sessions["alice"], 2000)
        cookie_client = client_with_cookie(mint_cookie_from_json(text))
        assert_clean_403_page(cookie_client.get(reverse("home")))
        jwt_client = Client(headers={"Authorization": f"Bearer {mint_jwt_from_json(text)}"})
        assert_clean_403_json(jwt_client.get(reverse("api-me")))

    @pytest.mark.parametrize("fields", MALFORMED)
    def test_a_jwt_session_is_a_403(self, sessions, fields):
        session = {**sessions["alice"], "username": "mallory", **fields}
        client = Client(headers={"Authorization": f"Bearer {mint_jwt(session)}"})
        assert_clean_403_page(client.get(reverse("home")))
        assert_clean_403_json(client.get(reverse("api-me")))

    def test_names_lose_their_control_characters_before_the_database_sees_them(self, client_as):
        client = client_as("alice", username="nina", full_name="Nina\r\nBcc: everyone\x07 " + "x" * 300)
        assert client.get(reverse("home")).status_code == 200
        user = User.objects.get(username="nina")
        assert (user.first_name, user.last_name[:15]) == ("Nina", "Bcc: everyone x")
        assert len(user.last_name) <= 150
        assert not any(ch in user.get_full_name() for ch in "\r\n\x07")

    def test_a_username_with_a_control_character_is_no_session(self, client_as):
        assert_clean_403_page(client_as("alice", username="alice\nadmin").get(reverse("home")))


class TestRefusalsAreQuiet:
    def test_an_anonymous_403_logs_no_traceback(self, caplog):
        with caplog.at_level(logging.WARNING, logger="django.request"):
            assert_clean_403_page(Client().get(reverse("home")))
            assert_clean_403_json(Client().get(reverse("api-me")))
        assert caplog.records, "the refusal is still logged, on one line"
        assert all(record.exc_info is None for record in caplog.records)

    def test_a_session_without_a_user_logs_no_traceback(self, sessions, caplog):
        session = {k: v for k, v in sessions["alice"].items() if k != "username"}
        with caplog.at_level(logging.WARNING, logger="django.request"):
            assert_clean_403_page(client_with_cookie(mint_cookie(session)).get(reverse("home")))
        assert all(record.exc_info is None for record in caplog.records)

    def test_the_session_403_carries_the_page_headers(self):
        response = Client().get(reverse("home"))
        assert response.status_code == 403
        assert response["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
