"""The proxy's two forwarding modes, through the real deployutils middleware."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import client_with_cookie
from tests.support.sessions import mint_cookie, mint_jwt

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
