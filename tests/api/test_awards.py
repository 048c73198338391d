"""The awards API: managers award in batches and revoke; recipients read their own."""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.serializers import Serializer

from core.api.serializers.awards import AwardSerializer
from core.models import Award, Notification
from core.services.awards import award_batch_create, award_revoke
from core.services.recipients import Recipient
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

BASE = settings.BADGEAPP_BASE_URL
ZOE = "Zoë 🐍 Ødegård"


@pytest.fixture
def first_aid():
    return make_badge(name="First Aid at Work", image_url="https://img.example.com/first-aid.png")


@pytest.fixture
def fire_warden():
    return make_badge(name="Fire Warden", image_url="https://img.example.com/fire.png", validity_days=365)


def awards_url(badge) -> str:
    return reverse("api-badge-awards", args=[badge.organisation.slug, badge.slug])


def post_batch(client, badge, recipients, **body):
    return client.post(awards_url(badge), {"recipients": recipients, **body}, content_type="application/json")


def age(item: Award, days: int) -> Award:
    """Move an award into the past, so the order of a list is certain."""
    Award.objects.filter(pk=item.pk).update(issued_on=timezone.now() - timedelta(days=days))
    return item


def assert_same_queries_for_1_and_50(client, url, add_49):
    client.get(url)  # first visit: user and organisation sync
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["results"]) == 1
    add_49()
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(url).json()["results"]) == 50
    assert len(fifty) == len(one)


def emails(n: int, domain: str = "cowork.net") -> list[dict]:
    return [{"email": f"person{i}@{domain}", "name": f"Person {i}"} for i in range(n)]


class TestAwardJson:
    def test_the_built_representation_is_what_the_declared_fields_give(self, first_aid, fire_warden):
        live = award(fire_warden, "zoe@cowork.net", ZOE, evidence_url="https://x.example/1", narrative="Led.")
        plain = award(first_aid, "bob@cowork.net")
        gone = award_revoke(award=award(first_aid, "old@cowork.net"), actor=None, reason="Mistake.")
        Award.objects.filter(pk=plain.pk).update(expires_on=timezone.now() - timedelta(days=1))
        awards = list(Award.objects.with_badge().filter(pk__in=[live.pk, plain.pk, gone.pk]))
        serializer = AwardSerializer()
        for item in awards:
            assert serializer.to_representation(item) == Serializer.to_representation(serializer, item)
        statuses = {serializer.to_representation(item)["status"] for item in awards}
        assert statuses == {"active", "expired", "revoked"}

    def test_an_award_carries_its_badge_status_and_absolute_urls(self, alice, fire_warden):
        item = award(
            fire_warden,
            "zoe@cowork.net",
            ZOE,
            evidence_url="https://drills.example.com/42",
            narrative="Led it.",
        )
        data = alice.get(reverse("api-award", args=[item.pk])).json()
        assert data["id"] == str(item.pk)
        assert data["badge"] == {
            "slug": "fire-warden",
            "name": "Fire Warden",
            "organisation": {"slug": "cowork", "printable_name": "Chamoix Coworking"},
            "image_url": "https://img.example.com/fire.png",
        }
        assert (data["recipient_email"], data["recipient_name"]) == ("zoe@cowork.net", ZOE)
        assert data["status"] == "active"
        assert data["issued_on"] and data["expires_on"]
        assert (data["evidence_url"], data["narrative"]) == ("https://drills.example.com/42", "Led it.")
        assert data["revocation_reason"] == ""
        assert data["url"] == BASE + reverse("award-detail", args=[item.pk])
        assert data["assertion_url"] == BASE + reverse("ob-assertion", args=[item.pk])
        assert data["image_url"] == BASE + reverse("award-baked-png", args=[item.pk])
        assert data["credential_url"] == BASE + reverse("ob-credential", args=[item.pk])
        assert data["credential_image_url"] == BASE + reverse("award-credential-png", args=[item.pk])

    def test_an_uploaded_badge_image_is_made_absolute(self, alice):
        badge = make_badge(name="Uploaded")
        item = award(badge, "zoe@cowork.net")
        data = alice.get(reverse("api-award", args=[item.pk])).json()
        assert data["badge"]["image_url"] == f"{BASE}{badge.image.url}"

    def test_an_expired_award_says_so(self, alice, fire_warden):
        item = award(fire_warden, "zoe@cowork.net")
        Award.objects.filter(pk=item.pk).update(expires_on=timezone.now() - timedelta(days=1))
        assert alice.get(reverse("api-award", args=[item.pk])).json()["status"] == "expired"


class TestAwardBatch:
    def test_a_manager_awards_everyone_at_once(
        self, alice, fire_warden, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_batch(
                alice,
                fire_warden,
                [{"email": "Zoe@Cowork.net", "name": ZOE}, {"email": "bob@cowork.net"}],
                evidence_url="https://drills.example.com/42",
                narrative="Led the spring evacuation drill.",
            )
        assert response.status_code == 201
        data = response.json()
        assert (data["awarded_count"], data["new_count"], data["renewed_count"]) == (2, 2, 0)
        assert (data["already_held_count"], data["already_held"]) == (0, [])
        made = alice.get(data["awards_url"]).json()["results"]
        assert sorted((a["recipient_email"], a["recipient_name"]) for a in made) == [
            ("bob@cowork.net", ""),
            ("zoe@cowork.net", ZOE),
        ]
        assert all(a["status"] == "active" and a["expires_on"] for a in made)
        assert all(a["narrative"] == "Led the spring evacuation drill." for a in made)
        alice_user = User.objects.get(username="alice")
        assert set(Award.objects.values_list("recipient_email", "issued_by")) == {
            ("zoe@cowork.net", alice_user.pk),
            ("bob@cowork.net", alice_user.pk),
        }
        assert sorted(m.to[0] for m in mailoutbox) == ["bob@cowork.net", "zoe@cowork.net"]

    def test_one_invalid_email_awards_no_one(
        self, alice, first_aid, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_batch(
                alice,
                first_aid,
                [
                    {"email": "zoe@cowork.net", "name": ZOE},
                    {"email": "not-an-email"},
                    {"email": "dan@cowork.net"},
                ],
            )
        assert response.status_code == 400
        body = response.json()
        assert body["message"] == "Some recipients are not valid: no one was awarded."
        assert list(body["extra"]["recipients"]) == ["2"]
        assert "not-an-email" in body["extra"]["recipients"]["2"]
        assert not Award.objects.exists()
        assert mailoutbox == []

    def test_every_problem_is_reported_by_position(self, alice, first_aid):
        response = post_batch(
            alice,
            first_aid,
            [
                {"email": "zoe@cowork.net"},
                {"email": "ZOE@cowork.net"},
                {"email": ""},
                {"email": "x@y.z", "name": "n" * 201},
            ],
        )
        problems = response.json()["extra"]["recipients"]
        assert set(problems) == {"2", "3", "4"}
        assert "already on line 1" in problems["2"]
        assert not Award.objects.exists()

    def test_odd_recipients_are_a_400_never_a_500(self, alice, first_aid):
        # 261 characters pass Django's email validator (320) but not a column of 254 on PostgreSQL.
        response = post_batch(
            alice,
            first_aid,
            [{"email": "a" * 250 + "@cowork.net"}, {"email": "zoe@cowork.net", "name": "Zoé\r\nBcc: all"}],
        )
        assert response.status_code == 400
        assert set(response.json()["extra"]["recipients"]) == {"1", "2"}
        assert not Award.objects.exists()

    def test_a_recipient_without_an_email_is_reported_by_position(self, alice, first_aid):
        response = post_batch(alice, first_aid, [{"email": "zoe@cowork.net"}, {"name": ZOE}])
        assert response.status_code == 400
        assert list(response.json()["extra"]["recipients"]) == ["2"]
        assert not Award.objects.exists()

    def test_people_who_already_hold_the_badge_are_reported_not_awarded_twice(self, alice, first_aid):
        award(first_aid, "bob@cowork.net", "Bob")
        response = post_batch(
            alice,
            first_aid,
            [{"email": "bob@cowork.net", "name": "Bob"}, {"email": "zoe@cowork.net", "name": ZOE}],
        )
        assert response.status_code == 201
        data = response.json()
        assert [a["recipient_email"] for a in alice.get(data["awards_url"]).json()["results"]] == [
            "zoe@cowork.net"
        ]
        assert (data["awarded_count"], data["already_held_count"]) == (1, 1)
        assert data["already_held"] == [{"email": "bob@cowork.net", "name": "Bob"}]
        assert Award.objects.filter(recipient_email="bob@cowork.net").count() == 1

    def test_an_archived_badge_cannot_be_awarded(self, alice, first_aid):
        first_aid.archived_at = timezone.now()
        first_aid.save()
        response = post_batch(alice, first_aid, [{"email": "zoe@cowork.net"}])
        assert response.status_code == 400
        assert response.json()["message"] == "This badge is archived: it can no longer be awarded."
        assert not Award.objects.exists()

    def test_an_empty_list_is_refused_with_a_clear_message(self, alice, first_aid):
        response = post_batch(alice, first_aid, [])
        assert response.status_code == 400
        assert response.json()["message"] == "Give at least one recipient."

    def test_a_malformed_evidence_link_awards_no_one(self, alice, first_aid):
        response = post_batch(
            alice, first_aid, [{"email": "zoe@cowork.net"}], evidence_url="javascript:alert(1)"
        )
        assert response.status_code == 400
        assert "evidence_url" in response.json()["extra"]["fields"]
        assert not Award.objects.exists()

    def test_recipients_must_be_a_list(self, alice, first_aid):
        response = alice.post(
            awards_url(first_aid), {"recipients": "zoe@cowork.net"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert "recipients" in response.json()["extra"]["fields"]


class TestBadgeHolders:
    def test_a_manager_sees_every_award_of_the_badge_newest_first(self, alice, first_aid, fire_warden):
        age(award(first_aid, "old@cowork.net"), days=3)
        revoked = award_revoke(award=award(first_aid, "gone@cowork.net"), actor=None, reason="Mistake.")
        award(fire_warden, "other@cowork.net")
        data = alice.get(awards_url(first_aid)).json()
        assert [a["recipient_email"] for a in data["results"]] == ["gone@cowork.net", "old@cowork.net"]
        assert data["results"][0]["status"] == "revoked"
        assert data["results"][0]["revocation_reason"] == revoked.revocation_reason

    def test_search_finds_names_with_emoji_and_emails(self, alice, first_aid):
        award(first_aid, "zoe@cowork.net", ZOE)
        award(first_aid, "dan@cowork.net", "Dan")
        by_name = alice.get(awards_url(first_aid), {"q": "🐍 Øde"}).json()
        by_email = alice.get(awards_url(first_aid), {"q": "DAN@"}).json()
        assert [a["recipient_name"] for a in by_name["results"]] == [ZOE]
        assert [a["recipient_email"] for a in by_email["results"]] == ["dan@cowork.net"]

    def test_the_list_runs_the_same_queries_for_1_or_50_holders(self, alice, first_aid):
        award(first_aid, "zoe@cowork.net", ZOE)

        def add_49():
            post_batch(alice, first_aid, emails(49))

        assert_same_queries_for_1_and_50(alice, awards_url(first_aid), add_49)


class TestOrganisationAwards:
    def url(self, org="cowork"):
        return reverse("api-org-awards", args=[org])

    def test_a_manager_sees_the_organisations_awards_newest_first(self, alice, first_aid, fire_warden):
        age(award(first_aid, "a@cowork.net"), days=2)
        award(fire_warden, "b@cowork.net")
        snake = make_badge(org="snakeoil", name="Snake Charmer 🐍", image_url="https://img.example.com/s.png")
        award(snake, "c@snakeoil.example")
        data = alice.get(self.url()).json()
        assert [(a["badge"]["slug"], a["recipient_email"]) for a in data["results"]] == [
            ("fire-warden", "b@cowork.net"),
            ("first-aid-at-work", "a@cowork.net"),
        ]

    @pytest.mark.parametrize(
        ("status", "expected"),
        [("active", ["live@cowork.net"]), ("expired", ["old@cowork.net"]), ("revoked", ["gone@cowork.net"])],
    )
    def test_the_status_filter(self, alice, fire_warden, status, expected):
        award(fire_warden, "live@cowork.net")
        old = award(fire_warden, "old@cowork.net")
        Award.objects.filter(pk=old.pk).update(expires_on=timezone.now() - timedelta(days=1))
        award_revoke(award=award(fire_warden, "gone@cowork.net"), actor=None, reason="Mistake.")
        data = alice.get(self.url(), {"status": status}).json()
        assert [a["recipient_email"] for a in data["results"]] == expected
        assert {a["status"] for a in data["results"]} == {status}

    def test_search_and_status_combine(self, alice, first_aid):
        award(first_aid, "zoe@cowork.net", ZOE)
        award_revoke(award=award(first_aid, "zoey@cowork.net"), actor=None, reason="Mistake.")
        data = alice.get(self.url(), {"q": "zoe", "status": "active"}).json()
        assert [a["recipient_email"] for a in data["results"]] == ["zoe@cowork.net"]

    def test_an_unknown_status_is_a_400(self, alice, first_aid):
        response = alice.get(self.url(), {"status": "lost"})
        assert response.status_code == 400
        assert "status" in response.json()["extra"]["fields"]

    def test_pages_hold_50_and_link_to_the_next_by_cursor_on_the_public_origin(self, alice, first_aid):
        post_batch(alice, first_aid, emails(51))
        data = alice.get(self.url()).json()
        assert len(data["results"]) == 50 and data["previous"] is None
        assert "count" not in data  # counting every award is what made big lists slow
        assert data["next"].startswith(BASE + self.url() + "?cursor=")
        second = alice.get(data["next"].removeprefix(BASE)).json()
        assert len(second["results"]) == 1 and second["next"] is None
        assert {a["id"] for a in data["results"]}.isdisjoint({a["id"] for a in second["results"]})
        back = alice.get(second["previous"].removeprefix(BASE)).json()
        assert [a["id"] for a in back["results"]] == [a["id"] for a in data["results"]]

    @pytest.mark.parametrize("cursor", ["garbage", "Znww", "ZnwyMDI2LTAxLTAxfG5vdC1hLXV1aWQ="])
    def test_a_bad_cursor_is_a_404_in_the_error_shape(self, alice, first_aid, cursor):
        response = alice.get(self.url(), {"cursor": cursor})
        assert response.status_code == 404
        assert set(response.json()) == {"message", "extra"}

    def test_numbered_pages_still_answer_with_a_count(self, alice, first_aid):
        post_batch(alice, first_aid, emails(51))
        first = alice.get(self.url(), {"page": 1}).json()
        second = alice.get(self.url(), {"page": 2}).json()
        assert first["count"] == second["count"] == 51
        assert first["next"] == BASE + self.url() + "?page=2"
        assert len(second["results"]) == 1
        assert {a["id"] for a in first["results"]}.isdisjoint({a["id"] for a in second["results"]})

    def test_cursor_pages_walk_a_batch_many_pages_long(self, alice, first_aid):
        # One batch: 1,201 awards sharing one issued_on (DRF's own cursors give up past 1,000 ties).
        batch = [Recipient(e["email"]) for e in emails(1201)]
        award_batch_create(badge=first_aid, actor=None, recipients=batch, notify=False)
        seen, url = [], self.url() + "?page_size=200"
        while url:
            data = alice.get(url).json()
            seen += [a["id"] for a in data["results"]]
            url = data["next"] and data["next"].removeprefix(BASE)
        assert len(seen) == len(set(seen)) == 1201

    def test_the_list_runs_the_same_queries_for_1_or_50_awards(self, alice, first_aid, fire_warden):
        award(first_aid, "zoe@cowork.net", ZOE)

        def add_49():
            post_batch(alice, fire_warden, emails(49))

        assert_same_queries_for_1_and_50(alice, self.url(), add_49)


class TestAwardDetail:
    def test_the_recipient_reads_their_award(self, bob, first_aid):
        item = award(first_aid, "bob@cowork.net", "Bob")
        data = bob.get(reverse("api-award", args=[item.pk])).json()
        assert data["recipient_email"] == "bob@cowork.net"

    def test_a_recipient_from_another_organisation_reads_their_award(self, hana, first_aid):
        item = award(first_aid, "hana@snakeoil.example", "Hana Sato 🌸")
        assert hana.get(reverse("api-award", args=[item.pk])).json()["recipient_name"] == "Hana Sato 🌸"

    def test_a_manager_of_the_issuing_organisation_reads_any_of_its_awards(self, alice, first_aid):
        item = award(first_aid, "bob@cowork.net")
        assert alice.get(reverse("api-award", args=[item.pk])).status_code == 200

    def test_an_unknown_award_is_a_404(self, alice):
        assert alice.get(reverse("api-award", args=[uuid.uuid4()])).status_code == 404


class TestRevoke:
    def url(self, item):
        return reverse("api-award-revoke", args=[item.pk])

    def test_a_manager_revokes_with_a_reason(self, alice, first_aid):
        item = award(first_aid, "bob@cowork.net")
        response = alice.post(
            self.url(item), {"reason": "Issued by mistake 🙈"}, content_type="application/json"
        )
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["revocation_reason"]) == (
            "revoked",
            "Issued by mistake 🙈",
        )
        item.refresh_from_db()
        assert item.revoked_by == User.objects.get(username="alice")

    @pytest.mark.parametrize("body", [{}, {"reason": "   "}])
    def test_a_reason_is_required(self, alice, first_aid, body):
        item = award(first_aid, "bob@cowork.net")
        response = alice.post(self.url(item), body, content_type="application/json")
        assert response.status_code == 400
        assert "reason" in response.json()["extra"]["fields"]
        item.refresh_from_db()
        assert item.revoked_at is None

    def test_an_award_is_revoked_only_once(self, alice, first_aid):
        item = award_revoke(award=award(first_aid, "bob@cowork.net"), actor=None, reason="First time.")
        response = alice.post(self.url(item), {"reason": "Again."}, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["message"] == "This award is already revoked."
        item.refresh_from_db()
        assert item.revocation_reason == "First time."

    def test_the_recipient_cannot_revoke_their_own_award(self, bob, first_aid):
        item = award(first_aid, "bob@cowork.net")
        assert bob.post(self.url(item), {"reason": "No."}, content_type="application/json").status_code == 404
        item.refresh_from_db()
        assert item.revoked_at is None


class TestMyAwards:
    url = staticmethod(lambda: reverse("api-my-awards"))

    def test_i_see_my_awards_from_every_organisation_newest_first(self, bob, first_aid):
        age(award(first_aid, "bob@cowork.net"), days=5)
        snake = make_badge(org="snakeoil", name="Snake Charmer 🐍", image_url="https://img.example.com/s.png")
        award(snake, "bob@cowork.net")
        award(first_aid, "zoe@cowork.net")
        data = bob.get(self.url()).json()
        assert [a["badge"]["name"] for a in data["results"]] == ["Snake Charmer 🐍", "First Aid at Work"]
        assert data["results"][0]["badge"]["organisation"]["printable_name"] == "Snake Oil Learning 🐍"

    def test_someone_without_awards_gets_an_empty_page(self, xia, first_aid):
        award(first_aid, "bob@cowork.net")
        assert xia.get(self.url()).json() == {"next": None, "previous": None, "results": []}

    def test_the_list_runs_the_same_queries_for_1_or_50_awards(self, bob, first_aid):
        award(first_aid, "bob@cowork.net")

        def add_49():
            for n in range(49):
                badge = make_badge(name=f"Badge {n}", image_url=f"https://img.example.com/{n}.png")
                award(badge, "bob@cowork.net")

        assert_same_queries_for_1_and_50(bob, self.url(), add_49)


class TestAwardBatchNotifications:
    def test_the_result_sums_the_batch_up_and_the_emails_are_queued(self, alice, first_aid):
        response = post_batch(alice, first_aid, [{"email": "zoe@cowork.net"}, {"email": "li@cowork.net"}])
        assert response.status_code == 201
        batch = response.json()["batch"]
        assert (batch["awarded_count"], batch["renewed_count"], batch["already_held_count"]) == (2, 0, 0)
        assert batch["notify"] is True
        assert Notification.objects.filter(award__batch_id=batch["id"]).count() == 2

    def test_the_answer_gives_counts_and_links_not_the_awards(self, alice, fire_warden):
        award(fire_warden, "held@cowork.net")
        renewing = award(fire_warden, "lapsed@cowork.net")
        Award.objects.filter(pk=renewing.pk).update(expires_on=timezone.now() - timedelta(days=1))
        response = post_batch(
            alice, fire_warden, [*emails(3), {"email": "held@cowork.net"}, {"email": "lapsed@cowork.net"}]
        )
        assert response.status_code == 201
        data = response.json()
        assert "awarded" not in data
        counts = ("awarded_count", "new_count", "renewed_count", "already_held_count")
        assert tuple(data[key] for key in counts) == (4, 3, 1, 1)
        batch = data["batch"]
        assert batch["url"] == BASE + reverse("award-batch", args=["cowork", batch["id"]])
        assert data["awards_url"] == f"{BASE}{awards_url(fire_warden)}?batch={batch['id']}"
        assert alice.get(batch["url"].removeprefix(BASE)).status_code == 200

    def test_when_nobody_is_awarded_there_is_no_batch_to_link(self, alice, first_aid):
        award(first_aid, "held@cowork.net")
        data = post_batch(alice, first_aid, [{"email": "held@cowork.net"}]).json()
        assert (data["batch"], data["awards_url"], data["awarded_count"], data["already_held_count"]) == (
            None,
            None,
            0,
            1,
        )

    def test_the_awards_of_a_batch_are_listed_by_its_id(self, alice, first_aid):
        award(first_aid, "before@cowork.net")
        first = post_batch(alice, first_aid, emails(3)).json()
        post_batch(alice, first_aid, emails(2, domain="x.org"))
        listed = alice.get(awards_url(first_aid), {"batch": first["batch"]["id"]}).json()["results"]
        assert sorted(a["recipient_email"] for a in listed) == [f"person{i}@cowork.net" for i in range(3)]
        org_list = reverse("api-org-awards", args=["cowork"])
        assert len(alice.get(org_list, {"batch": first["batch"]["id"]}).json()["results"]) == 3
        assert alice.get(awards_url(first_aid), {"batch": "not-a-uuid"}).status_code == 400

    def test_a_batch_runs_the_same_statements_for_2_people_as_for_60(self, alice, first_aid):
        post_batch(alice, first_aid, emails(1, domain="warm.org"))  # first visit: user and organisation sync
        with CaptureQueriesContext(connection) as two:
            assert post_batch(alice, first_aid, emails(2)).json()["awarded_count"] == 2
        with CaptureQueriesContext(connection) as sixty:
            assert post_batch(alice, first_aid, emails(60, domain="x.org")).json()["awarded_count"] == 60
        assert len(sixty) == len(two)

    def test_notify_false_queues_no_email(self, alice, first_aid):
        response = post_batch(alice, first_aid, [{"email": "zoe@cowork.net"}], notify=False)
        assert response.json()["batch"]["notify"] is False
        assert not Notification.objects.exists()
