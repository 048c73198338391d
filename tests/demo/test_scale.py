"""seed_scale: exact counts, distinct (badge, email) pairs, mixed statuses, Unicode names.

Small numbers here; the timed run at full scale is bench/bench_scale.py.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.demo.scale import _award_counts, badge_specs, scale_users
from core.domain.identity import SLUG_RE, clean_email
from core.models import (
    Award,
    Badge,
    LearningProgress,
    LearningRequirement,
    LearningStatement,
    Organisation,
    Status,
)

pytestmark = pytest.mark.django_db

SMALL = {"employees": 50, "badges": 5, "awards": 120}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_scale", stdout=out, **{**SMALL, **options})
    return out.getvalue()


@pytest.fixture
def seeded():
    return seed()


def test_it_makes_exactly_what_was_asked(seeded):
    org = Organisation.objects.get(slug="globex")
    assert org.printable_name == "Globex Größe 🌐 Worldwide"
    assert scale_users("globex").count() == 50
    assert Badge.objects.filter(organisation=org).count() == 5
    assert Award.objects.filter(badge__organisation=org).count() == 120
    assert "50 employees, 5 badges, 120 awards" in seeded


def test_each_person_holds_a_badge_at_most_once(seeded):
    pairs = list(Award.objects.values_list("badge", "recipient_email"))
    assert len(pairs) == len(set(pairs)) == 120
    employees = set(scale_users("globex").values_list("email", flat=True))
    assert {email for _, email in pairs} <= employees


def test_statuses_are_mixed_and_follow_the_rules():
    seed(awards=250)
    now = timezone.now()
    awards = list(Award.objects.select_related("badge"))
    assert {a.status_at(now) for a in awards} == set(Status)
    for award in awards:
        validity = award.badge.validity_days
        assert award.expires_on == (award.issued_on + timedelta(days=validity) if validity else None)
        assert now - timedelta(days=3 * 365 + 1) <= award.issued_on <= now
        if award.revoked_at:
            assert award.revocation_reason and award.revoked_by_id
            assert award.issued_on <= award.revoked_at <= now
        else:
            assert not award.revocation_reason and award.revoked_by_id is None
        assert award.issued_by_id is not None and award.superseded_at is None


def test_emails_are_lower_case_and_valid_and_usernames_are_djaodjin_slugs(seeded):
    for user in scale_users("globex"):
        assert clean_email(user.email) == user.email
        assert SLUG_RE.match(user.username)
        assert not user.has_usable_password()
    for email in Award.objects.values_list("recipient_email", flat=True):
        assert email == email.lower()


def test_names_carry_any_script():
    seed(employees=400, awards=400)
    names = " ".join(
        f"{first} {last}" for first, last in scale_users("globex").values_list("first_name", "last_name")
    )
    assert re.search(r"[^\x00-\x7f]", names)  # accents at least
    assert re.search(
        r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u3040-\u9fff\uac00-\ud7af]", names
    )
    assert Award.objects.exclude(recipient_name="").count() == Award.objects.count()


def test_awards_read_back_through_the_orm(seeded):
    """Rows are written without model instances: they must read back as Django wrote them."""
    award = Award.objects.with_badge().order_by("pk")[0]
    again = Award.objects.get(pk=award.pk)
    assert again.issued_on.tzinfo is not None and again.badge.organisation.slug == "globex"
    assert Award.objects.for_email(award.recipient_email).filter(pk=award.pk).exists()
    assert Award.objects.filter(issued_on=award.issued_on, pk=award.pk).exists()
    salts = list(Award.objects.values_list("salt", flat=True))
    assert len(set(salts)) == len(salts) and all(re.fullmatch(r"[0-9a-f]{32}", s) for s in salts)


def test_badges_share_a_few_stored_images(seeded):
    badges = list(Badge.objects.filter(organisation__slug="globex"))
    assert all(b.image and default_storage.exists(b.image.name) for b in badges)
    assert all(b.name and b.description and b.criteria_narrative and b.tags for b in badges)
    assert len({b.slug for b in badges}) == 5


def test_a_second_run_refuses_and_clear_replaces_only_that_organisation(seeded):
    call_command("seed_demo", stdout=StringIO())
    demo_awards = Award.objects.exclude(badge__organisation__slug="globex").count()
    with pytest.raises(CommandError, match="--clear"):
        seed()
    assert Award.objects.filter(badge__organisation__slug="globex").count() == 120

    seed(awards=60, clear=True)
    assert Award.objects.filter(badge__organisation__slug="globex").count() == 60
    assert scale_users("globex").count() == 50
    assert Award.objects.exclude(badge__organisation__slug="globex").count() == demo_awards
    assert User.objects.filter(username__in=["alice", "bob", "hana", "xia"]).count() == 4


def test_another_organisation_can_sit_beside_the_first(seeded):
    seed(org="initech", name="Initech 株式会社")
    assert scale_users("initech").count() == 50
    assert User.objects.count() == 100  # usernames never collide


def test_impossible_requests_are_refused():
    with pytest.raises(CommandError, match="distinct"):
        seed(employees=3, badges=2, awards=7)
    with pytest.raises(CommandError):
        seed(employees=0)
    assert not Organisation.objects.filter(slug="globex").exists()


def test_award_counts_sum_up_and_never_exceed_the_head_count():
    import random

    for badges, employees, awards in [
        (500, 30_000, 300_000),
        (5, 50, 120),
        (3, 2, 6),
        (7, 10, 0),
        (40, 3, 100),
    ]:
        counts = _award_counts(random.Random(1), badges, employees, awards)  # noqa: S311
        assert sum(counts) == awards and max(counts) <= employees and len(counts) == badges


def test_badge_names_are_distinct_at_full_scale():
    specs = badge_specs(500)
    assert len({s.slug for s in specs}) == len({s.name for s in specs}) == 500
    assert len({s.category.key for s in specs[:12]}) == 12  # small runs see every category


def test_learning_records_go_through_the_ingest_service_and_clear_goes_with_them():
    out = seed(statements=600, org="learnco")
    assert "600 statements ingested" in out and "statements/s" in out
    assert LearningStatement.objects.filter(source="demo").count() == 600
    # Progress for the badges with a learning path, the one way the service keeps it.
    assert LearningProgress.objects.filter(badge__organisation__slug="learnco").exists()
    assert LearningRequirement.objects.filter(badge__organisation__slug="learnco").exists()
    seed(org="learnco", clear=True)
    assert not LearningStatement.objects.exists()
