"""``GET, POST /api/me/imports/``: an employee's badges from other issuers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportedBadge

pytestmark = pytest.mark.django_db

BASE = "https://badges.example.com"
BOB = "bob@cowork.net"
URL = reverse("api-my-imports")


def post_url(client, assertion_url):
    return client.post(URL, {"assertion_url": assertion_url}, content_type="application/json")


def test_an_employee_imports_a_badge_by_its_assertion_url(jwt_client_as, fake_issuer):
    document = fake_issuer.assertion("api", BOB)

    response = post_url(jwt_client_as("bob"), document["id"])

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["badge_name"] == "Python Programming"
    assert body["issuer_name"] == "Globex Academy"
    assert body["status"] == "active"
    assert body["source"] == "url"
    assert body["assertion"] == document
    assert body["image_url"] == f"{BASE}{reverse('import-image', args=[body['id']])}"


def test_an_employee_imports_a_baked_image_as_multipart(client_as, fake_issuer):
    baked = fake_issuer.baked_png(fake_issuer.assertion("api-png", BOB))

    response = client_as("bob").post(URL, {"image": SimpleUploadedFile("badge.png", baked)})

    assert response.status_code == 201, response.json()
    assert response.json()["source"] == "png"


def test_a_refusal_says_why_with_a_reason(bob, fake_issuer):
    fake_issuer.assertion("api-gone", BOB)
    fake_issuer.revoke("api-gone", "Withdrawn")

    response = post_url(bob, fake_issuer.url("/assertions/api-gone"))

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "revoked"}
    assert "revoked" in response.json()["message"]


def test_a_second_import_of_the_same_badge_is_a_conflict(bob, fake_issuer):
    document = fake_issuer.assertion("api-twice", BOB)
    post_url(bob, document["id"])

    response = post_url(bob, document["id"])

    assert response.status_code == 409
    assert response.json()["extra"] == {"reason": "duplicate"}


def test_an_upload_that_is_not_an_image_is_refused_and_nothing_is_stored(bob):
    response = bob.post(URL, {"image": SimpleUploadedFile("a.txt", b"hello")})

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "bad_upload"}
    assert not ImportedBadge.objects.exists()


def test_the_list_holds_the_employees_own_imports_only(bob, hana, fake_issuer):
    post_url(bob, fake_issuer.assertion("mine", BOB)["id"])

    mine, theirs = bob.get(URL).json(), hana.get(URL).json()

    assert [item["badge_name"] for item in mine["results"]] == ["Python Programming"]
    assert theirs["results"] == []


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(bob, method):
    assert getattr(bob, method)(URL).status_code == 405


def test_imports_need_a_session():
    assert Client().get(URL).status_code == 403
