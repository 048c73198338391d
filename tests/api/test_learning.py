"""Learning in the API: a badge's ``learning`` (DESIGN §5) and ``GET /api/me/progress/``."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Badge
from core.services.learning import badge_learning_set, statements_ingest
from tests.support.factories import award, make_badge
from tests.support.xapi import ATTEMPTED, CPR, FIRST_AID, PASSED, activities, statement

pytestmark = pytest.mark.django_db

LEARNING = {
    "activities": [
        {"id": FIRST_AID, "name": "First Aid at Work", "url": "https://lms.cowork.net/first-aid"},
        {"id": CPR, "name": "CPR practical", "requires": "passed", "min_score": 0.8},
    ],
    "auto_award": True,
}


def new_badge(**overrides) -> dict:
    return {
        "name": "First Aid at Work",
        "description": "Knows how to help.",
        "criteria_narrative": "Took the course and passed the practical.",
        "image_url": "https://img.example.com/first-aid.png",
        **overrides,
    }


def learning_badge(rules=(FIRST_AID, (CPR, "passed", "0.8")), **kwargs) -> Badge:
    badge = make_badge(image_url="https://img.example.com/b.png", **kwargs)
    badge_learning_set(badge=badge, actor=None, activities=activities(*rules), auto_award=True)
    return badge


class TestBadgeLearning:
    def test_a_badge_is_designed_with_its_learning(self, alice):
        response = alice.post(
            reverse("api-badges", args=["cowork"]),
            new_badge(learning=LEARNING),
            content_type="application/json",
        )
        assert response.status_code == 201, response.json()
        learning = response.json()["learning"]
        assert learning["auto_award"] is True
        assert learning["activities"] == [
            {
                "id": FIRST_AID,
                "name": "First Aid at Work",
                "url": "https://lms.cowork.net/first-aid",
                "requires": "completed",
                "min_score": None,
            },
            {"id": CPR, "name": "CPR practical", "url": "", "requires": "passed", "min_score": 0.8},
        ]
        badge = Badge.objects.get()
        read = alice.get(reverse("api-badge", args=["cowork", badge.slug])).json()
        assert read["learning"] == learning

    def test_bad_learning_is_a_400_naming_the_activity_and_field_and_nothing_is_made(self, alice):
        bad = {
            "activities": [{"id": FIRST_AID, "name": "A"}, {"id": "not an iri", "name": "B"}],
            "auto_award": False,
        }
        response = alice.post(
            reverse("api-badges", args=["cowork"]), new_badge(learning=bad), content_type="application/json"
        )
        assert response.status_code == 400
        assert set(response.json()["extra"]["fields"]["learning"]["activities"]["1"]) == {"id"}
        assert not Badge.objects.exists()

    def test_a_min_score_above_1_is_refused_by_shape(self, alice):
        bad = {"activities": [{"id": FIRST_AID, "name": "A", "min_score": 2}], "auto_award": False}
        response = alice.post(
            reverse("api-badges", args=["cowork"]), new_badge(learning=bad), content_type="application/json"
        )
        assert response.status_code == 400
        assert not Badge.objects.exists()

    def test_patching_the_switch_alone_keeps_the_activities(self, alice):
        badge = learning_badge()
        response = alice.patch(
            reverse("api-badge", args=["cowork", badge.slug]),
            {"learning": {"auto_award": False}},
            content_type="application/json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["learning"]["auto_award"] is False
        assert [a["id"] for a in response.json()["learning"]["activities"]] == [FIRST_AID, CPR]

    def test_patching_the_activities_replaces_them_and_recounts(self, alice):
        badge = learning_badge()
        statements_ingest(data=[statement(result={"completion": True})], source="push")
        response = alice.patch(
            reverse("api-badge", args=["cowork", badge.slug]),
            {"learning": {"activities": [{"id": FIRST_AID, "name": "First aid"}]}},
            content_type="application/json",
        )
        assert [a["id"] for a in response.json()["learning"]["activities"]] == [FIRST_AID]
        assert badge.awards.get().recipient_email == "bob@cowork.net"  # now complete, auto-award on

    def test_a_teammate_cannot_change_the_learning(self, bob):
        badge = learning_badge()
        response = bob.patch(
            reverse("api-badge", args=["cowork", badge.slug]),
            {"learning": {"auto_award": False}},
            content_type="application/json",
        )
        assert response.status_code == 404

    def test_listing_badges_with_learning_runs_a_fixed_number_of_queries(self, alice):
        learning_badge(name="One")
        url = reverse("api-badges", args=["cowork"])
        alice.get(url)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert alice.get(url).status_code == 200
            return len(ctx.captured_queries)

        before = count()
        for n in range(5):
            learning_badge(name=f"More {n}")
        assert count() == before


class TestMyProgress:
    def test_each_badge_on_offer_with_learning_and_how_far_i_am(self, bob):
        first_aid = learning_badge(name="First Aid at Work")
        make_badge(name="No learning", image_url="https://img.example.com/n.png")
        statements_ingest(data=[statement(result={"completion": True})], source="push")
        body = bob.get(reverse("api-my-progress")).json()
        assert body["count"] == 1
        [item] = body["results"]
        assert item["badge"]["slug"] == first_aid.slug
        assert item["badge"]["learning"]["auto_award"] is True
        assert (item["done"], item["required"], item["percent"]) == (1, 2, 50)
        assert [(a["id"], a["done"]) for a in item["activities"]] == [(FIRST_AID, True), (CPR, False)]
        assert item["activities"][0]["done_on"] is not None and item["activities"][1]["done_on"] is None
        assert item["award"] is None

    def test_the_award_when_the_badge_is_held(self, bob):
        badge = learning_badge()
        [made] = statements_ingest(
            data=[
                statement(result={"completion": True}),
                statement(activity=CPR, verb=PASSED, result={"success": True, "score": {"scaled": 0.9}}),
            ],
            source="push",
        ).awarded
        [item] = bob.get(reverse("api-my-progress")).json()["results"]
        assert item["percent"] == 100
        assert item["award"] == f"{settings.BADGEAPP_BASE_URL}{reverse('award-detail', args=[made.pk])}"
        assert badge.pk

    def test_a_manual_award_counts_too(self, bob):
        badge = learning_badge()
        given = award(badge, "bob@cowork.net")
        [item] = bob.get(reverse("api-my-progress")).json()["results"]
        assert item["award"].endswith(reverse("award-detail", args=[given.pk]))

    def test_an_outsider_sees_none_of_cowork(self, hana):
        learning_badge()
        assert hana.get(reverse("api-my-progress")).json()["results"] == []

    def test_badges_without_learning_are_not_read(self, bob, django_assert_num_queries):
        for n in range(30):
            make_badge(name=f"No learning {n}", image_url="https://img.example.com/n.png")
        bob.get(reverse("api-my-progress"))  # first visit: user and organisation sync
        # The user, the session's organisations, the person's addresses, then the badges that
        # require learning: none, so neither requirements nor progress are read.
        with django_assert_num_queries(4):
            assert bob.get(reverse("api-my-progress")).json()["results"] == []

    def test_a_fixed_number_of_queries_whatever_the_statements(self, bob):
        learning_badge()
        bob.get(reverse("api-my-progress"))

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert bob.get(reverse("api-my-progress")).status_code == 200
            return len(ctx.captured_queries)

        statements_ingest(data=[statement(verb=ATTEMPTED)], source="push")
        before = count()
        statements_ingest(data=[statement(verb=ATTEMPTED) for _ in range(40)], source="push")
        learning_badge(name="Another")
        assert count() == before
