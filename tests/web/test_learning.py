"""Learning records on the pages: the badge form, the checklist, home, the managers' view, verify."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Badge, LearningRequirement
from core.services.learning import badge_learning_set, statements_ingest
from tests.support.factories import make_badge, png_upload
from tests.support.xapi import ATTEMPTED, CPR, FIRE, FIRST_AID, PASSED, activities, statement, voiding

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(alice):
    alice.get(reverse("home"))
    return alice


def push(*statements):
    return statements_ingest(data=list(statements), source="push")


def learning_badge(name="First Aid at Work", auto_award=True, rules=(FIRST_AID, (CPR, "passed", "0.8"))):
    badge = make_badge(name=name)
    badge_learning_set(badge=badge, actor=None, activities=activities(*rules), auto_award=auto_award)
    return badge


def management(total: int, initial: int = 0) -> dict:
    return {
        "learning-TOTAL_FORMS": str(total),
        "learning-INITIAL_FORMS": str(initial),
        "learning-MIN_NUM_FORMS": "0",
        "learning-MAX_NUM_FORMS": "50",
    }


def badge_fields(**overrides) -> dict:
    return {
        "name": "First Aid at Work",
        "slug": "",
        "description": "Knows how to help.",
        "criteria_narrative": "Took the course and passed the practical.",
        "criteria_url": "",
        "image_url": "https://img.example.com/first-aid.png",
        "tags": "",
        "validity_days": "",
        **overrides,
    }


class TestBadgeForm:
    def test_a_manager_lists_the_activities_and_the_auto_award_switch(self, manager):
        data = {
            **badge_fields(learning_auto_award="on"),
            **management(3),
            "learning-0-activity_id": FIRST_AID,
            "learning-0-name": "First Aid at Work",
            "learning-0-url": "https://lms.cowork.net/first-aid",
            "learning-0-requires": "completed",
            "learning-1-activity_id": CPR,
            "learning-1-name": "CPR practical",
            "learning-1-requires": "passed",
            "learning-1-min_score": "0.8",
            "learning-2-requires": "completed",  # the third row as the browser sends it, untouched: ignored
        }
        response = manager.post(reverse("badge-create", args=["cowork"]), data)
        assert response.status_code == 302
        badge = Badge.objects.get()
        assert badge.learning_auto_award
        rows = list(badge.learning_requirements.values_list("activity_id", "requires", "min_score"))
        assert [(a, r, float(m) if m is not None else None) for a, r, m in rows] == [
            (FIRST_AID, "completed", None),
            (CPR, "passed", 0.8),
        ]

    def test_each_problem_shows_next_to_its_activity_and_nothing_is_created(self, manager):
        data = {
            **badge_fields(),
            **management(2),
            "learning-0-activity_id": "first aid",
            "learning-0-name": "First aid",
            "learning-0-requires": "completed",
            "learning-1-activity_id": CPR,
            "learning-1-name": "CPR",
            "learning-1-requires": "passed",
            "learning-1-min_score": "1.5",
        }
        response = manager.post(reverse("badge-create", args=["cowork"]), data)
        assert response.status_code == 200
        formset = response.context["formset"]
        assert "activity_id" in formset.forms[0].errors
        assert "min_score" in formset.forms[1].errors
        assert not Badge.objects.exists()

    def test_editing_shows_the_activities_and_deleting_one_recounts(self, manager):
        badge = learning_badge(auto_award=False)
        push(statement(activity=CPR, verb=PASSED, result={"success": True, "score": {"scaled": 0.9}}))
        url = reverse("badge-edit", args=["cowork", badge.slug])
        page = manager.get(url)
        assert FIRST_AID in page.content.decode() and CPR in page.content.decode()
        data = {
            **badge_fields(slug=badge.slug, learning_auto_award="on"),
            **management(2, initial=2),
            "learning-0-activity_id": FIRST_AID,
            "learning-0-name": "First Aid at Work",
            "learning-0-requires": "completed",
            "learning-0-DELETE": "on",
            "learning-1-activity_id": CPR,
            "learning-1-name": "CPR practical",
            "learning-1-requires": "passed",
            "learning-1-min_score": "0.8",
        }
        assert manager.post(url, data).status_code == 302
        assert list(LearningRequirement.objects.values_list("activity_id", flat=True)) == [CPR]
        # bob had passed CPR: the badge is now done, and auto-award just switched on.
        assert badge.awards.get().recipient_email == "bob@cowork.net"


class TestBadgePage:
    def test_the_checklist_shows_dates_and_scores(self, bob):
        badge = learning_badge()
        done_at = timezone.now() - timedelta(days=2)
        push(
            statement(activity=FIRST_AID, at=done_at, result={"completion": True, "score": {"scaled": 0.92}})
        )
        body = bob.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
        checklist = body.split('data-testid="learning-checklist"')[1]
        assert "Done" in checklist and "score 92%" in checklist
        assert done_at.strftime("%-d %b %Y") in checklist
        assert "To do" in checklist
        assert "1 of 2 activities (50%)" in body

    def test_a_badge_without_learning_has_no_checklist(self, bob):
        badge = make_badge()
        assert (
            "learning-checklist"
            not in bob.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
        )


class TestHome:
    def test_badges_to_earn_most_advanced_first_with_the_next_activity(self, bob):
        bob.get(reverse("home"))
        make_badge(name="Aardvark handling")  # no learning: after those with progress
        learning_badge("Fire Warden", rules=[FIRE, FIRST_AID])
        first_aid = learning_badge("First Aid at Work", rules=[FIRST_AID, CPR, "https://lms.cowork.net/aed"])
        push(
            statement(activity=FIRE, result={"completion": True}),
            statement(activity=FIRST_AID, verb=ATTEMPTED),
        )
        body = bob.get(reverse("home")).content.decode()
        offers = body.split('data-testid="offered-badges"')[1]
        assert (
            offers.index("Fire Warden")
            < offers.index("First Aid at Work")
            < offers.index("Aardvark handling")
        )
        [fire_card] = [card for card in offers.split('data-testid="offered-badge"') if "Fire Warden" in card]
        assert "1 of 2 done (50%)" in fire_card
        assert f'href="{FIRST_AID}"' in fire_card  # the next activity, with its link
        assert first_aid.name in offers

    def test_home_runs_the_same_queries_whatever_the_number_of_statements(self, bob):
        learning_badge()
        bob.get(reverse("home"))

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert bob.get(reverse("home")).status_code == 200
            return len(ctx.captured_queries)

        push(statement(verb=ATTEMPTED))
        before = count()
        push(*[statement(verb=ATTEMPTED) for _ in range(50)], statement(result={"completion": True}))
        assert count() == before


class TestManagersView:
    def test_started_counts_people_and_who_was_awarded_automatically(self, manager):
        badge = learning_badge()
        push(
            statement("ana@cowork.net", FIRST_AID, ATTEMPTED, name="Ana Arnaud"),
            statement("dan@cowork.net", FIRST_AID, result={"completion": True}),
            statement("dan@cowork.net", CPR, PASSED, result={"success": True, "score": {"scaled": 0.9}}),
        )
        response = manager.get(reverse("badge-progress", args=["cowork", badge.slug]))
        overview = response.context["overview"]
        assert (overview.started, overview.completed, overview.auto_awarded) == (2, 1, 1)
        rows = [person.row.email for person in overview.people]
        assert rows == ["dan@cowork.net", "ana@cowork.net"]  # most advanced first
        body = response.content.decode()
        assert "awarded from learning records" in body
        assert "Ana Arnaud" in body

    def test_search_and_pages(self, manager):
        badge = learning_badge()
        push(*[statement(f"person{n:03d}@cowork.net", FIRST_AID, ATTEMPTED) for n in range(60)])
        url = reverse("badge-progress", args=["cowork", badge.slug])
        assert len(manager.get(url).context["overview"].people) == 50
        assert len(manager.get(url, {"page": 2}).context["overview"].people) == 10
        found = manager.get(url, {"q": "person007"}).context["overview"].people
        assert [person.row.email for person in found] == ["person007@cowork.net"]

    def test_a_voided_completion_behind_an_award_is_flagged(self, manager):
        badge = learning_badge()
        completion = statement("dan@cowork.net", FIRST_AID, result={"completion": True})
        push(
            completion,
            statement("dan@cowork.net", CPR, PASSED, result={"success": True, "score": {"scaled": 1}}),
        )
        push(voiding(completion))
        body = manager.get(reverse("badge-progress", args=["cowork", badge.slug])).content.decode()
        assert 'data-testid="evidence-voided"' in body

    def test_the_view_runs_the_same_queries_whatever_the_number_of_statements(self, manager):
        badge = learning_badge()
        url = reverse("badge-progress", args=["cowork", badge.slug])
        push(*[statement(f"p{n}@cowork.net", FIRST_AID, ATTEMPTED) for n in range(3)])

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert manager.get(url).status_code == 200
            return len(ctx.captured_queries)

        before = count()
        push(*[statement(f"p{n}@cowork.net", FIRST_AID, ATTEMPTED) for n in range(40)])
        assert count() == before


class TestVerify:
    def test_an_email_without_the_award_gets_the_percentage_and_what_remains(self, bob):
        badge = learning_badge()
        push(statement("dan@cowork.net", FIRST_AID, result={"completion": True}))
        response = bob.post(reverse("verify"), {"badge": str(badge.pk), "email": "Dan@cowork.net"})
        body = response.content.decode()
        assert "has not been awarded" in body
        learning = body.split('data-testid="verify-learning"')[1]
        assert "1 of 2 activities (50% complete)" in learning
        assert "Cpr Practical" in learning.split('data-testid="verify-remaining"')[1]

    def test_an_email_with_the_award_gets_the_award(self, bob):
        badge = learning_badge()
        push(
            statement("dan@cowork.net", FIRST_AID, result={"completion": True}),
            statement("dan@cowork.net", CPR, PASSED, result={"success": True, "score": {"scaled": 0.9}}),
        )
        body = bob.post(
            reverse("verify"), {"badge": str(badge.pk), "email": "dan@cowork.net"}
        ).content.decode()
        assert "Yes: dan@cowork.net holds" in body
        assert "verify-learning" not in body


def test_the_award_page_says_it_came_from_learning_records(client):
    badge = learning_badge()
    [made] = push(
        statement("dan@cowork.net", FIRST_AID, result={"completion": True}),
        statement("dan@cowork.net", CPR, PASSED, result={"success": True, "score": {"scaled": 0.9}}),
    ).awarded
    body = client.get(reverse("award-detail", args=[made.pk])).content.decode()
    assert "Awarded from learning records" in body
    evidence = body.split('data-testid="learning-evidence"')[1]
    assert "First Aid: done on" in evidence and "Cpr Practical: done on" in evidence
    assert badge.name in body


def test_png_upload_still_works_with_learning(manager):
    data = {**badge_fields(image_url=""), **management(0), "image": png_upload()}
    assert manager.post(reverse("badge-create", args=["cowork"]), data).status_code == 302


def test_the_checklist_says_the_minimum_score_as_a_percentage(bob):
    badge = learning_badge()
    body = bob.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    assert "score at least 80%" in body.split('data-testid="learning-checklist"')[1]
