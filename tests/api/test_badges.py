"""The badges API: members read an organisation's badges, managers design them."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Badge
from tests.support.factories import award, make_badge, organisation, png_upload

pytestmark = pytest.mark.django_db

BASE = settings.BADGEAPP_BASE_URL


def new_badge(**overrides) -> dict:
    return {
        "name": "Premiers secours 🚑",
        "description": "Sait porter secours en attendant les pompiers.",
        "criteria_narrative": "A suivi la formation de deux jours.",
        "image_url": "https://img.example.com/secours.png",
        **overrides,
    }


def badges_url(org: str = "cowork") -> str:
    return reverse("api-badges", args=[org])


def badge_url(badge: Badge) -> str:
    return reverse("api-badge", args=[badge.organisation.slug, badge.slug])


class TestList:
    def test_members_see_every_badge_with_its_archived_flag(self, bob):
        make_badge(name="First Aid at Work", image_url="https://img.example.com/a.png")
        archived = make_badge(name="Fire Warden", image_url="https://img.example.com/b.png")
        archived.archived_at = archived.created_at
        archived.save()
        data = bob.get(badges_url()).json()
        assert data["count"] == 2
        assert [(b["name"], b["archived"]) for b in data["results"]] == [
            ("Fire Warden", True),
            ("First Aid at Work", False),
        ]

    def test_a_badge_carries_absolute_urls_and_its_organisation(self, bob):
        badge = make_badge(name="First Aid at Work", tags=["safety", "health"], validity_days=365)
        (item,) = bob.get(badges_url()).json()["results"]
        assert item["slug"] == badge.slug
        assert item["organisation"] == {"slug": "cowork", "printable_name": "Chamoix Coworking"}
        assert item["image_url"] == f"{BASE}{badge.image.url}"
        assert item["url"] == BASE + reverse("badge-detail", args=["cowork", badge.slug])
        assert item["tags"] == ["safety", "health"]
        assert item["validity_days"] == 365
        assert item["description"] == badge.description
        assert item["criteria_narrative"] == badge.criteria_narrative
        assert item["created_at"] and item["updated_at"]

    @pytest.mark.parametrize(("archived", "names"), [("false", ["Offered"]), ("true", ["Archived"])])
    def test_the_archived_filter_keeps_one_kind(self, alice, archived, names):
        make_badge(name="Offered", image_url="https://img.example.com/a.png")
        old = make_badge(name="Archived", image_url="https://img.example.com/b.png")
        old.archived_at = old.created_at
        old.save()
        data = alice.get(badges_url(), {"archived": archived}).json()
        assert [b["name"] for b in data["results"]] == names

    def test_a_malformed_filter_is_a_400(self, alice):
        organisation("cowork")
        response = alice.get(badges_url(), {"archived": "perhaps"})
        assert response.status_code == 400
        assert "archived" in response.json()["extra"]["fields"]

    def test_emoji_names_come_through_intact(self, hana):
        make_badge(org="snakeoil", name="Snake Charmer 🐍", image_url="https://img.example.com/s.png")
        response = hana.get(badges_url("snakeoil"))
        (item,) = response.json()["results"]
        assert item["name"] == "Snake Charmer 🐍"
        assert item["organisation"]["printable_name"] == "Snake Oil Learning 🐍"
        assert "Snake Charmer 🐍".encode() in response.content  # not \\u-escaped

    def test_the_list_runs_the_same_queries_for_1_or_50_badges(self, alice):
        make_badge(name="Badge 0", image_url="https://img.example.com/0.png")
        alice.get(badges_url())  # first visit: user and organisation sync
        with CaptureQueriesContext(connection) as one:
            assert len(alice.get(badges_url()).json()["results"]) == 1
        for n in range(1, 50):
            make_badge(name=f"Badge {n}", image_url=f"https://img.example.com/{n}.png")
        with CaptureQueriesContext(connection) as fifty:
            assert len(alice.get(badges_url()).json()["results"]) == 50
        assert len(fifty) == len(one)


class TestCreate:
    def test_a_manager_creates_a_badge_from_json(self, alice):
        organisation("cowork")
        response = alice.post(
            badges_url(),
            new_badge(tags=["Santé", " santé ", "premiers  secours"], validity_days=730),
            content_type="application/json",
        )
        assert response.status_code == 201
        data = response.json()
        assert data["slug"] == "premiers-secours"
        assert data["name"] == "Premiers secours 🚑"
        assert data["tags"] == ["Santé", "premiers secours"]
        assert data["validity_days"] == 730
        assert data["image_url"] == "https://img.example.com/secours.png"
        assert data["archived"] is False
        badge = Badge.objects.get(organisation__slug="cowork", slug="premiers-secours")
        assert badge.created_by == User.objects.get(username="alice")

    def test_a_manager_uploads_the_image_as_multipart(self, alice):
        organisation("cowork")
        body = {**new_badge(image_url=""), "image": png_upload(), "tags": ["safety", "health"]}
        response = alice.post(badges_url(), body)  # multipart
        assert response.status_code == 201, response.json()
        data = response.json()
        badge = Badge.objects.get(slug=data["slug"])
        assert badge.image and data["image_url"] == f"{BASE}{badge.image.url}"
        assert data["tags"] == ["safety", "health"]

    def test_a_badge_needs_an_image(self, alice):
        organisation("cowork")
        response = alice.post(badges_url(), new_badge(image_url=""), content_type="application/json")
        assert response.status_code == 400
        assert "image" in response.json()["extra"]["fields"]
        assert not Badge.objects.exists()

    def test_a_plain_http_image_url_is_refused(self, alice):
        organisation("cowork")
        body = new_badge(image_url="http://img.example.com/a.png")
        response = alice.post(badges_url(), body, content_type="application/json")
        assert response.status_code == 400
        assert "image_url" in response.json()["extra"]["fields"]

    def test_a_taken_slug_is_refused_with_a_clear_message(self, alice):
        make_badge(name="Premiers secours", image_url="https://img.example.com/a.png")
        response = alice.post(badges_url(), new_badge(), content_type="application/json")
        assert response.status_code == 400
        assert response.json()["extra"]["fields"]["slug"] == [
            "This organisation already has a badge with this slug."
        ]

    @pytest.mark.parametrize("days", [0, -3, "soon"])
    def test_the_validity_period_is_a_positive_number_of_days(self, alice, days):
        organisation("cowork")
        response = alice.post(badges_url(), new_badge(validity_days=days), content_type="application/json")
        assert response.status_code == 400
        assert "validity_days" in response.json()["extra"]["fields"]
        assert not Badge.objects.exists()

    def test_missing_fields_are_listed(self, alice):
        organisation("cowork")
        body = {"image_url": "https://img.example.com/x.png"}
        response = alice.post(badges_url(), body, content_type="application/json")
        assert response.status_code == 400
        assert set(response.json()["extra"]["fields"]) == {"name", "description", "criteria_narrative"}

    def test_a_manager_of_another_organisation_cannot_create_here(self, hana):
        organisation("cowork")
        response = hana.post(badges_url(), new_badge(), content_type="application/json")
        assert response.status_code == 404
        assert not Badge.objects.exists()


class TestDetail:
    def test_a_member_reads_a_badge(self, bob):
        badge = make_badge(name="First Aid at Work", image_url="https://img.example.com/a.png")
        data = bob.get(badge_url(badge)).json()
        assert data["slug"] == badge.slug and data["name"] == "First Aid at Work"

    def test_a_holder_from_another_organisation_reads_the_badge_they_hold(self, hana):
        badge = make_badge(name="First Aid at Work", image_url="https://img.example.com/a.png")
        award(badge, "hana@snakeoil.example")
        assert hana.get(badge_url(badge)).status_code == 200

    def test_an_unknown_slug_is_a_404(self, alice):
        organisation("cowork")
        assert alice.get(reverse("api-badge", args=["cowork", "nope"])).status_code == 404


class TestUpdate:
    @pytest.fixture
    def badge(self):
        return make_badge(name="First Aid at Work", image_url="https://img.example.com/a.png")

    def patch(self, client, badge, body):
        return client.patch(badge_url(badge), body, content_type="application/json")

    def test_a_manager_changes_only_the_fields_sent(self, alice, badge):
        response = self.patch(alice, badge, {"name": "Secourisme 🩹", "tags": ["santé"]})
        assert response.status_code == 200
        badge.refresh_from_db()
        assert (badge.name, badge.tags, badge.slug) == ("Secourisme 🩹", ["santé"], "first-aid-at-work")
        assert badge.description == "Knows how to help until the ambulance comes."
        assert response.json()["name"] == "Secourisme 🩹"

    def test_archived_true_archives_and_false_restores(self, alice, badge):
        assert self.patch(alice, badge, {"archived": True}).json()["archived"] is True
        badge.refresh_from_db()
        assert badge.is_archived
        assert self.patch(alice, badge, {"archived": False}).json()["archived"] is False
        badge.refresh_from_db()
        assert not badge.is_archived

    def test_an_invalid_change_changes_nothing_not_even_the_archiving(self, alice, badge):
        response = self.patch(
            alice, badge, {"archived": True, "image_url": "http://insecure.example.com/a.png"}
        )
        assert response.status_code == 400
        badge.refresh_from_db()
        assert not badge.is_archived
        assert badge.image_url == "https://img.example.com/a.png"

    def test_a_multipart_patch_replaces_the_image_and_leaves_archiving_alone(self, alice, badge):
        badge.archived_at = badge.created_at
        badge.save()
        body = encode_multipart(BOUNDARY, {"image": png_upload()})
        response = alice.patch(badge_url(badge), body, content_type=MULTIPART_CONTENT)
        assert response.status_code == 200, response.json()
        badge.refresh_from_db()
        assert badge.image and badge.image_url == ""
        assert badge.is_archived  # a form without "archived" is not "archived: false"
        assert response.json()["image_url"] == f"{BASE}{badge.image.url}"

    def test_a_slug_already_taken_is_refused(self, alice, badge):
        other = make_badge(name="Fire Warden", image_url="https://img.example.com/b.png")
        response = self.patch(alice, other, {"slug": badge.slug})
        assert response.status_code == 400
        assert "slug" in response.json()["extra"]["fields"]

    def test_a_teammate_cannot_change_a_badge(self, bob, badge):
        assert self.patch(bob, badge, {"name": "Hacked"}).status_code == 404
        badge.refresh_from_db()
        assert badge.name == "First Aid at Work"
