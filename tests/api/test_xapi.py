"""``POST /xapi/statements``: statements pushed as they happen, answered like an LRS."""

from __future__ import annotations

import base64
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import LearningProgress, LearningStatement
from core.services.learning import badge_learning_set
from tests.support.factories import make_badge
from tests.support.xapi import CPR, FIRST_AID, PASSED, activities, statement

USERNAME, PASSWORD = "lms", "a-long-random-inbound-password"


@pytest.fixture(autouse=True)
def inbound(settings):
    settings.XAPI_INBOUND_USERNAME, settings.XAPI_INBOUND_PASSWORD = USERNAME, PASSWORD
    cache.clear()  # the throttles count in the cache
    yield
    cache.clear()


def basic(username: str = USERNAME, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def post(data, *, auth: str | None = None, client: Client | None = None, **headers):
    headers.setdefault("X-Experience-API-Version", "1.0.3")
    if auth is not False:
        headers["Authorization"] = auth or basic()
    return (client or Client()).post(
        reverse("xapi-statements"), data, content_type="application/json", headers=headers
    )


def assert_error_shape(response, status):
    assert response.status_code == status
    assert set(response.json()) == {"message", "extra"}


@pytest.mark.django_db
class TestPush:
    def test_a_list_is_stored_and_answered_with_its_ids(self):
        sent = [statement(), statement(activity=CPR)]
        response = post(sent)
        assert response.status_code == 200
        assert response.json() == [s["id"] for s in sent]
        assert response["X-Experience-API-Version"] == "1.0.3"
        assert LearningStatement.objects.count() == 2

    def test_one_statement_is_a_list_of_one(self):
        sent = statement()
        del sent["id"]
        response = post(sent)
        assert response.status_code == 200
        [assigned] = response.json()
        assert str(LearningStatement.objects.get().pk) == assigned

    def test_sending_again_stores_nothing_more(self):
        sent = [statement()]
        post(sent)
        assert post(sent).json() == [sent[0]["id"]]
        assert LearningStatement.objects.count() == 1

    def test_a_pushed_statement_moves_the_progress_bar(self):
        badge = make_badge()
        badge_learning_set(badge=badge, actor=None, activities=activities(FIRST_AID, CPR), auto_award=True)
        post([statement(result={"completion": True})])
        assert LearningProgress.objects.get(badge=badge, email="bob@cowork.net").percent == 50

    def test_an_invalid_statement_is_a_400_naming_it_and_nothing_is_stored(self):
        bad = statement(activity=CPR, verb=PASSED)
        bad["actor"] = {"mbox": "bob@cowork.net"}
        response = post([statement(), bad])
        assert_error_shape(response, 400)
        body = response.json()
        assert body["extra"] == {"statement": 1, "field": "actor.mbox", "code": "invalid_mbox"}
        assert body["message"].startswith("Statement 2: actor.mbox")
        assert LearningStatement.objects.count() == 0

    def test_json_that_is_no_statement_is_a_400(self):
        response = post('"completed"')  # valid JSON, but a string
        assert_error_shape(response, 400)
        assert response.json()["extra"]["code"] == "not_a_list"

    def test_a_body_that_is_not_json_is_a_400(self):
        response = Client().post(
            reverse("xapi-statements"),
            "{not json",
            content_type="application/json",
            headers={"Authorization": basic()},
        )
        assert_error_shape(response, 400)

    def test_an_empty_list_stores_nothing(self):
        assert post([]).json() == []

    def test_another_xapi_version_is_refused(self):
        response = post([statement()], **{"X-Experience-API-Version": "2.0.0"})
        assert_error_shape(response, 400)
        assert LearningStatement.objects.count() == 0

    def test_no_version_header_is_accepted(self):
        # Ralph's forwarding, for one, sends none.
        response = Client().post(
            reverse("xapi-statements"),
            [statement()],
            content_type="application/json",
            headers={"Authorization": basic()},
        )
        assert response.status_code == 200


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize(
        "auth",
        [
            False,
            basic(password="wrong"),
            basic(username="alice"),
            "Bearer " + "x" * 20,
            "Basic not-base64!",
        ],
    )
    def test_without_the_right_basic_credentials_it_is_a_401(self, auth):
        response = post([statement()], auth=auth)
        assert_error_shape(response, 401)
        assert response["WWW-Authenticate"].startswith("Basic")
        assert LearningStatement.objects.count() == 0

    def test_a_proxy_session_is_not_enough(self, alice):
        assert_error_shape(post([statement()], auth=False, client=alice), 401)

    def test_without_configured_credentials_it_is_not_there(self, settings):
        settings.XAPI_INBOUND_PASSWORD = ""
        assert_error_shape(post([statement()]), 404)

    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_only_post(self, method):
        response = getattr(Client(), method)(reverse("xapi-statements"), headers={"Authorization": basic()})
        assert_error_shape(response, 405)

    def test_guessing_passwords_is_throttled_and_the_right_one_then_waits_too(self, settings):
        for _ in range(20):
            assert post([statement()], auth=basic(password="guess")).status_code == 401
        assert_error_shape(post([statement()], auth=basic(password="guess")), 429)
        assert post([statement()]).status_code == 429


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    # The live server writes from its own thread into SQLite's shared in-memory test database,
    # which refuses a write outright while the test reads (no waiting): CI runs this on PostgreSQL.
    reason="the live server and the test share SQLite's in-memory database: PostgreSQL only",
)
def test_statements_stored_in_ralph_are_forwarded_here(live_server, start_ralph):
    """A real LRS pushes to us: Ralph forwards what it stores to /xapi/statements."""
    badge = make_badge()
    badge_learning_set(badge=badge, actor=None, activities=activities(FIRST_AID, CPR), auto_award=True)
    ralph = start_ralph(
        forward_to={
            "url": live_server.url + reverse("xapi-statements"),
            "username": USERNAME,
            "password": PASSWORD,
        }
    )
    sent = [
        statement(result={"completion": True}),
        statement(activity=CPR, result={"completion": True}),
    ]
    ralph.post(sent)
    deadline = time.monotonic() + 30
    while LearningStatement.objects.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(map(str, LearningStatement.objects.values_list("id", flat=True))) == {s["id"] for s in sent}
    assert LearningStatement.objects.filter(source="push").count() == 2
    assert LearningProgress.objects.get(badge=badge, email="bob@cowork.net").percent == 100
    assert badge.awards.count() == 1
