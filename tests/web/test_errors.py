"""404 and 500 pages in the site's style; JSON for the API."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.web.views.errors import server_error
from tests.conftest import client_with_cookie
from tests.support.sessions import mint_cookie

pytestmark = pytest.mark.django_db


def test_404_page_in_site_style(alice):
    response = alice.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Not found" in body and 'class="navbar' in body
    assert "Alice Martin" in body  # the header still knows who is signed in


def test_404_api_is_json(alice):
    response = alice.get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}


def test_500_page_renders_without_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Server error" in body and 'class="navbar' in body


def test_500_api_is_json():
    response = server_error(RequestFactory().get("/api/me/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


def test_a_form_without_its_csrf_token_gets_a_clear_403_page(sessions):
    client = client_with_cookie(mint_cookie(sessions["alice"]))
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired" in body and 'class="navbar' in body
