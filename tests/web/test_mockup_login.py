"""The development login page: pick a mockup user, sign out."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from core.domain.identity import SessionIdentity

pytestmark = pytest.mark.django_db


def login(client: Client, username: str, **extra):
    return client.post(reverse("login"), {"username": username, **extra})


def test_page_lists_every_mockup_user_with_organisations_and_roles(sessions):
    body = Client().get(reverse("login")).content.decode()
    for username in sessions:
        assert f'data-testid="login-{username}"' in body
    assert "Chamoix Coworking · manager" in body
    assert "Chamoix Coworking · contributor" in body
    assert "Snake Oil Learning 🐍 · manager" in body
    assert "personal profile only" in body


def test_signing_in_sets_the_proxy_cookie():
    client = Client()
    response = login(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value.startswith("U2FsdGVk")  # "Salted__"
    assert "Hello, Alice Martin" in client.get(reverse("home")).content.decode()


def test_next_is_followed_on_this_site_only():
    assert login(Client(), "bob", next="/api/me/")["Location"] == "/api/me/"
    assert login(Client(), "bob", next="https://evil.example/")["Location"] == reverse("home")


def test_unknown_username_is_an_error_on_the_page():
    client = Client()
    response = login(client, "mallory")
    assert response.status_code == 400
    assert "There is no mockup user named “mallory”" in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_sign_out_ends_the_session():
    client = Client()
    login(client, "alice")
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert client.get(reverse("home")).status_code == 403


def test_sign_out_needs_post():
    assert Client().get(reverse("logout")).status_code == 405


def test_sign_in_checks_csrf():
    client = Client(enforce_csrf_checks=True)
    assert login(client, "alice").status_code == 403


@override_settings(MOCKUP_LOGIN=False)
def test_with_mockup_login_off_the_page_is_not_found():
    assert Client().get(reverse("login")).status_code == 404
    assert login(Client(), "alice").status_code == 404


def test_shipped_mockups_cover_the_personas(sessions):
    identities = {name: SessionIdentity.from_session(s) for name, s in sessions.items()}
    assert identities["alice"].manages("cowork")
    assert identities["bob"].belongs_to("cowork") and not identities["bob"].managed_slugs
    assert identities["bob"].email == "bob@cowork.net"  # from the personal profile, as the proxy does
    assert identities["xia"].organisations == ()
    emoji_orgs = [
        o for i in identities.values() for o in i.organisations if o.is_manager and "🐍" in o.printable_name
    ]
    assert emoji_orgs
