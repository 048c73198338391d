"""seed_demo: content behind every mockup user, idempotent, made through the services' rules."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from core.models import Award, Badge, LearningAward, LearningProgress, LearningStatement, Organisation, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo, db):
    """The demo, seeded once for this module (``tests/conftest.py``); what it reported."""
    return demo


def statuses(email: str) -> list[Status]:
    return sorted(a.status for a in Award.objects.for_email(email))


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("username", "email", "first_name", "last_name")),
        "organisations": sorted(Organisation.objects.values_list("slug", "printable_name", "email")),
        "badges": sorted(
            Badge.objects.values_list("pk", "slug", "name", "image", "archived_at", "updated_at")
        ),
        "awards": sorted(
            Award.objects.values_list("pk", "recipient_email", "issued_on", "expires_on", "revoked_at")
        ),
    }


def test_it_reports_what_it_made(seeded):
    assert "5 mockup users, 12 new badges" in seeded
    assert "16 new learning records" in seeded


def test_alice_holds_awards_of_her_organisation_and_of_another(seeded):
    awards = list(Award.objects.for_email("alice@cowork.net").with_badge())
    assert len(awards) >= 5
    assert {a.badge.organisation.slug for a in awards} == {"cowork", "snakeoil"}
    assert any(a.evidence_url and a.narrative for a in awards)
    assert any(a.badge.is_archived and a.status == Status.ACTIVE for a in awards)


def test_bob_holds_active_expired_and_revoked_awards(seeded):
    assert set(statuses("bob@cowork.net")) == {Status.ACTIVE, Status.EXPIRED, Status.REVOKED}
    revoked = Award.objects.for_email("bob@cowork.net").get(revoked_at__isnull=False)
    assert revoked.revocation_reason and revoked.revoked_by == User.objects.get(username="alice")
    # The organisation offers badges bob does not hold yet.
    held = Award.objects.for_email("bob@cowork.net").values("badge")
    assert Badge.objects.offered().filter(organisation__slug="cowork").exclude(pk__in=held).exists()


def test_hana_holds_badges_with_emoji_names(seeded):
    names = set(Award.objects.for_email("hana@snakeoil.example").values_list("badge__name", flat=True))
    assert {"Pythonista 🐍", "Café ☕ Barista"} <= names


def test_xia_keeps_the_new_users_empty_state(seeded):
    assert not Award.objects.for_email("xia@example.com").exists()


def test_people_who_never_visited_hold_awards(seeded):
    assert not User.objects.filter(email="li.lei@cowork.net").exists()
    assert Award.objects.for_email("li.lei@cowork.net").filter(recipient_name="李雷").exists()
    assert Award.objects.filter(recipient_name="Zoë Ødegård").exists()


def test_badges_are_realistic_with_uploaded_png_and_svg_images(seeded):
    cowork = Badge.objects.filter(organisation__slug="cowork")
    assert 5 <= cowork.offered().count() <= 7
    assert cowork.filter(archived_at__isnull=False).count() == 1
    assert cowork.filter(validity_days__isnull=False).exists()
    badges = list(Badge.objects.all())
    assert all(b.description and b.criteria_narrative and b.tags and b.image for b in badges)
    assert all(default_storage.exists(b.image.name) for b in badges)
    assert sum(b.is_svg for b in badges) >= 2
    assert sum(b.image.name.endswith(".png") for b in badges) >= 5


def test_a_manager_has_holders_to_page_through_and_search(seeded):
    badge = Badge.objects.get(organisation__slug="cowork", slug="python-foundations")
    assert badge.awards.count() >= 20
    assert badge.awards.search("Ødegård").count() == 1


def test_a_second_run_changes_nothing(seeded):
    before = snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == before
    assert "already there" in out.getvalue()


def test_the_data_obeys_the_services_rules(seeded):
    assert mail.outbox == []  # seeding sends no email
    for award in Award.objects.select_related("badge"):
        assert award.recipient_email == award.recipient_email.lower()
        assert award.issued_on <= award.badge.archived_at if award.badge.archived_at else True
        if award.badge.validity_days:
            assert award.expires_on - award.issued_on == timedelta(days=award.badge.validity_days)
        else:
            assert award.expires_on is None
        assert bool(award.revoked_at) == bool(award.revocation_reason)
    pairs = list(Award.objects.values_list("badge", "recipient_email"))
    assert len(pairs) == len(set(pairs))
    assert len(set(Award.objects.values_list("salt", flat=True))) == Award.objects.count()


def test_the_mockup_users_see_their_demo_content(seeded, client_as):
    body = client_as("alice").get(reverse("home")).content.decode()
    assert "Python Foundations" in body and "Pythonista 🐍" in body
    revoked = Award.objects.for_email("bob@cowork.net").get(revoked_at__isnull=False)
    public = client_as("xia").get(reverse("award-detail", args=[revoked.pk])).content.decode()
    assert "course was cancelled" in public


def test_bob_is_half_way_through_a_badge_with_learning_records(seeded, client_as):
    progress = LearningProgress.objects.get(badge__slug="fire-warden", email="bob@cowork.net")
    assert (progress.done, progress.required, progress.percent) == (2, 4, 50)
    body = client_as("bob").get(reverse("home")).content.decode()
    offers = body.split('data-testid="offered-badges"')[1]
    assert "Fire Warden" in offers.split('data-testid="offered-badge"')[1]  # most advanced first
    assert "Extinguishers quiz" in offers  # his next activity


def test_one_badge_was_awarded_to_bob_from_his_learning_records(seeded):
    award = Award.objects.get(badge__slug="accessibility-essentials", recipient_email="bob@cowork.net")
    assert LearningAward.objects.filter(award=award).exists()
    assert "Awarded from learning records" in award.narrative
    assert mail.outbox == []  # seeding sends no email


def test_colleagues_are_at_every_stage_for_the_managers_view(seeded):
    percents = set(
        LearningProgress.objects.filter(badge__slug="fire-warden").values_list("percent", flat=True)
    )
    assert {0, 25, 50, 100} <= percents
    assert not Award.objects.filter(
        badge__slug="fire-warden", recipient_email="zoe.odegard@cowork.net"
    ).exists()


def test_seeding_again_adds_no_learning_record(seeded):
    before = LearningStatement.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert LearningStatement.objects.count() == before
    assert "learning records already there" in out.getvalue()
