"""``GET, POST /api/me/imports/``: an employee's badges from other issuers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import ImportedBadge, ImportRequest

pytestmark = pytest.mark.django_db

BASE = "https://badges.example.com"
BOB = "bob@cowork.net"
URL = reverse("api-my-imports")


def post_url(client, assertion_url):
    return client.post(URL, {"assertion_url": assertion_url}, content_type="application/json")


def outcome(client, response) -> dict:
    """The import's status, which the 202 points to (its check ran once the request committed)."""
    assert response.status_code == 202, response.json()
    assert response["Location"] == response.json()["url"]
    return client.get(response.json()["url"]).json()


def test_an_import_is_accepted_pending_and_checked_in_the_background(jwt_client_as, fake_issuer):
    client = jwt_client_as("bob")
    document = fake_issuer.assertion("api-later", BOB)

    response = post_url(client, document["id"])  # never committed: the check has not run

    assert response.status_code == 202
    body = response.json()
    pending = ImportRequest.objects.get()
    assert body["url"] == f"{BASE}{reverse('api-my-import-request', args=[pending.pk])}"
    assert (body["status"], body["imported"], body["message"]) == ("pending", None, "")
    assert client.get(body["url"]).json()["status"] == "pending"
    assert fake_issuer.requests == []  # the peer is not asked while the client waits


def test_an_employee_imports_a_badge_by_its_assertion_url(jwt_client_as, fake_issuer, committed):
    client = jwt_client_as("bob")
    document = fake_issuer.assertion("api", BOB)

    with committed():
        response = post_url(client, document["id"])

    status = outcome(client, response)
    assert status["status"] == "verified"
    assert status["message"] == "“Python Programming” from Globex Academy is verified and added."
    body = status["imported"]
    assert body["badge_name"] == "Python Programming"
    assert body["issuer_name"] == "Globex Academy"
    assert body["status"] == "active"
    assert body["source"] == "url"
    assert body["assertion"] == document
    assert body["image_url"] == f"{BASE}{reverse('import-image', args=[body['id']])}"


def test_an_employee_imports_a_baked_image_as_multipart(client_as, fake_issuer, committed):
    client = client_as("bob")
    baked = fake_issuer.baked_png(fake_issuer.assertion("api-png", BOB))

    with committed():
        response = client.post(URL, {"image": SimpleUploadedFile("badge.png", baked)})

    status = outcome(client, response)
    assert status["source"] == "png" and status["imported"]["source"] == "png"


def test_a_refusal_says_why_with_a_reason(bob, fake_issuer, committed):
    fake_issuer.assertion("api-gone", BOB)
    fake_issuer.revoke("api-gone", "Withdrawn")

    with committed():
        response = post_url(bob, fake_issuer.url("/assertions/api-gone"))

    status = outcome(bob, response)
    assert (status["status"], status["reason"]) == ("refused", "revoked")
    assert status["message"] == "This badge has been revoked by its issuer. Reason given: Withdrawn"
    assert status["imported"] is None


def test_a_second_import_of_the_same_badge_is_a_conflict(bob, fake_issuer, committed):
    document = fake_issuer.assertion("api-twice", BOB)
    with committed():
        post_url(bob, document["id"])

    response = post_url(bob, document["id"])

    assert response.status_code == 409
    assert response.json()["extra"] == {"reason": "duplicate"}


def test_an_upload_that_is_not_an_image_is_refused_and_nothing_is_stored(bob):
    response = bob.post(URL, {"image": SimpleUploadedFile("a.txt", b"hello")})

    assert response.status_code == 400
    assert response.json()["extra"] == {"reason": "bad_upload"}
    assert not ImportedBadge.objects.exists()


def test_the_list_holds_the_employees_own_imports_only(bob, hana, fake_issuer, committed):
    with committed():
        post_url(bob, fake_issuer.assertion("mine", BOB)["id"])

    mine, theirs = bob.get(URL).json(), hana.get(URL).json()

    assert [item["badge_name"] for item in mine["results"]] == ["Python Programming"]
    assert theirs["results"] == []


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(bob, method):
    assert getattr(bob, method)(URL).status_code == 405


def test_imports_need_a_session():
    assert Client().get(URL).status_code == 403


def test_a_third_import_in_flight_is_a_429(bob, fake_issuer):
    for name in ("one", "two"):  # never committed: both stay in flight
        assert post_url(bob, fake_issuer.assertion(name, BOB)["id"]).status_code == 202

    response = post_url(bob, fake_issuer.assertion("three", BOB)["id"])

    assert response.status_code == 429
    assert response.json()["extra"] == {"reason": "in_flight"}
    assert "You already have 2 imports being checked" in response.json()["message"]


def test_too_many_imports_in_a_minute_is_a_429_with_retry_after(bob, fake_issuer, settings, committed):
    settings.IMPORTS_PER_MINUTE = 2
    for name in ("one", "two"):
        with committed():  # each checked (refused: not his) and out of flight
            assert post_url(bob, fake_issuer.assertion(name, "eve@example.com")["id"]).status_code == 202

    response = post_url(bob, fake_issuer.assertion("three", BOB)["id"])

    assert response.status_code == 429
    assert response.json()["extra"] == {"reason": "throttled"}
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "too many imports in a minute" in response.json()["message"]
    assert ImportRequest.objects.count() == 2
