"""The dashboard's figures against data built with known counts, and against the scale seed
counted independently (award by award, in Python, with the one status rule)."""

from collections import Counter
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Award, LearningProgress, Organisation, Status, award_status
from core.selectors import dashboard
from core.services.awards import award_revoke
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

# Mid-month, so "n months ago" never crosses into another month by a day.
NOW = timezone.make_aware(datetime(2026, 6, 15, 12, 0))


def _award(badge, email, *, issued_days_ago=0, expires_in=None, name=""):
    given = award(badge, email, name)
    issued = NOW - timedelta(days=issued_days_ago)
    expires = NOW + timedelta(days=expires_in) if expires_in is not None else None
    Award.objects.filter(pk=given.pk).update(issued_on=issued, expires_on=expires)
    given.refresh_from_db()
    return given


def _revoke(given, *, days_ago=0):
    award_revoke(award=given, actor=None, reason="A mistake")
    Award.objects.filter(pk=given.pk).update(revoked_at=NOW - timedelta(days=days_ago))


@pytest.fixture
def known():
    """Two badges of cowork, one of snakeoil, awards with known dates and statuses."""
    first_aid = make_badge(name="First Aid")
    fire = make_badge(name="Fire Warden")
    other = make_badge(org="snakeoil", name="Pythonista")
    _award(first_aid, "a@cowork.net")  # valid, this month
    _award(first_aid, "b@cowork.net", expires_in=10)  # valid, expires within 30
    _award(first_aid, "c@cowork.net", issued_days_ago=92, expires_in=45)  # within 60, 3 months ago
    _award(fire, "d@cowork.net", issued_days_ago=400, expires_in=80)  # within 90, too old to chart
    _award(fire, "e@cowork.net", expires_in=100)  # beyond 90
    _award(fire, "f@cowork.net", issued_days_ago=31, expires_in=-1)  # expired, last month
    renewed = _award(fire, "g@cowork.net", issued_days_ago=31, expires_in=-2)  # expired, then renewed
    Award.objects.filter(pk=renewed.pk).update(superseded_at=NOW)
    Award.objects.create(
        badge=fire, organisation=fire.organisation, recipient_email="g@cowork.net", issued_on=NOW
    )
    _revoke(_award(first_aid, "h@cowork.net", issued_days_ago=62), days_ago=0)  # revoked this month
    _award(other, "a@cowork.net")  # another organisation's: never counted
    return {"org": Organisation.objects.get(slug="cowork"), "first_aid": first_aid, "fire": fire}


def test_months_count_issued_and_revoked_awards_of_the_last_twelve_months(known):
    months = dashboard.monthly_activity(known["org"], now=NOW)
    assert months[0].month.isoformat() == "2025-07-01"
    assert months[-1].month.isoformat() == "2026-06-01"
    assert len(months) == 12
    by_month = {m.month.isoformat(): (m.issued, m.revoked) for m in months}
    # a, b, e and g's renewal this month; f and g last month; c in March; h in April.
    assert by_month["2026-06-01"] == (4, 1)
    assert by_month["2026-05-01"] == (2, 0)
    assert by_month["2026-04-01"] == (1, 0)
    assert by_month["2026-03-01"] == (1, 0)
    assert sum(issued for issued, _ in by_month.values()) == 8  # d is older than twelve months


def test_status_split_counts_a_renewed_award_once_and_expiries_by_window(known):
    split, expiring = dashboard.status_split(known["org"], now=NOW)
    assert (split.active, split.expired, split.revoked) == (6, 1, 1)  # a b c d e, g's renewal; f; h
    assert split.total == Award.objects.filter(organisation=known["org"], superseded_at__isnull=True).count()
    assert expiring == {30: 1, 60: 2, 90: 3}


def test_most_held_counts_valid_awards_only(known):
    held = dashboard.most_held(known["org"], now=NOW)
    assert [(item.name, item.holders) for item in held] == [("Fire Warden", 3), ("First Aid", 3)]


def test_expiring_awards_lists_the_people_soonest_first(known):
    listed = dashboard.expiring_awards(known["org"], days=60, now=NOW)
    assert [a.recipient_email for a in listed] == ["b@cowork.net", "c@cowork.net"]


def test_learning_counts_people_by_how_far_they_are(known):
    badge = known["first_aid"]
    for n, percent in enumerate([0, 20, 30, 55, 60, 99]):
        LearningProgress.objects.create(
            badge=badge, email=f"p{n}@cowork.net", done=0, required=4, percent=percent
        )
    LearningProgress.objects.create(
        badge=badge, email="done@cowork.net", done=4, required=4, percent=100, completed_at=NOW
    )
    LearningProgress.objects.create(badge=known["fire"], email="x@cowork.net", required=2, percent=50)
    counts = dashboard.learning_counts(known["org"])
    assert [(c.name, c.bands, c.completed, c.on_their_way) for c in counts] == [
        ("First Aid", (2, 1, 2, 1), 1, 6),
        ("Fire Warden", (0, 0, 1, 0), 0, 1),
    ]


def test_the_summary_is_cached_until_an_award_is_made(known, django_assert_num_queries):
    org = known["org"]
    first = dashboard.dashboard_summary(org)
    with django_assert_num_queries(2):  # the two version reads
        assert dashboard.dashboard_summary(org) == first
    award(known["first_aid"], "new@cowork.net")
    assert dashboard.dashboard_summary(org).status.active == first.status.active + 1


def test_the_summary_takes_a_fixed_number_of_queries(known, django_assert_num_queries):
    with django_assert_num_queries(2 + 5):  # versions; months (2), status, most held, learning
        dashboard.dashboard_summary(known["org"])


# --- At a generated scale -----------------------------------------------------------------------


@pytest.fixture
def scaled():
    call_command("seed_scale", employees=120, badges=8, awards=600, statements=3000, stdout=StringIO())
    return Organisation.objects.get(slug="globex")


def test_the_figures_match_the_scale_seed_counted_award_by_award(scaled):
    now = timezone.now()
    summary = dashboard.dashboard_summary(scaled)
    awards = list(
        Award.objects.filter(organisation=scaled).values(
            "badge__name", "issued_on", "revoked_at", "expires_on", "superseded_at"
        )
    )
    statuses = Counter(
        award_status(a["revoked_at"], a["expires_on"], now) for a in awards if a["superseded_at"] is None
    )
    assert statuses[Status.REVOKED] > 0 and statuses[Status.EXPIRED] > 0  # the seed mixes them
    assert (summary.status.active, summary.status.expired, summary.status.revoked) == (
        statuses[Status.ACTIVE],
        statuses[Status.EXPIRED],
        statuses[Status.REVOKED],
    )
    held = Counter(
        a["badge__name"]
        for a in awards
        if award_status(a["revoked_at"], a["expires_on"], now) == Status.ACTIVE
    )
    assert {item.name: item.holders for item in summary.most_held} == dict(
        held.most_common(dashboard.MOST_HELD)
    )
    for days in dashboard.EXPIRY_WINDOWS:
        horizon = now + timedelta(days=days)
        expected = sum(
            1
            for a in awards
            if award_status(a["revoked_at"], a["expires_on"], now) == Status.ACTIVE
            and a["expires_on"] is not None
            and a["expires_on"] <= horizon
        )
        assert summary.expiring[days] == expected
    month_of = lambda moment: timezone.localtime(moment).date().replace(day=1)  # noqa: E731
    issued = Counter(month_of(a["issued_on"]) for a in awards)
    revoked = Counter(month_of(a["revoked_at"]) for a in awards if a["revoked_at"])
    assert [(m.issued, m.revoked) for m in summary.months] == [
        (issued[m.month], revoked[m.month]) for m in summary.months
    ]
    assert sum(m.issued for m in summary.months) > 0


def test_the_learning_figures_match_the_scale_seed(scaled):
    summary = dashboard.dashboard_summary(scaled)
    rows = list(
        LearningProgress.objects.filter(badge__organisation=scaled).values(
            "badge__name", "percent", "completed_at"
        )
    )
    assert rows, "the seed made learning records"
    completed = Counter(r["badge__name"] for r in rows if r["completed_at"])
    bands = Counter()
    for r in rows:
        if r["completed_at"] is None:
            band = next(
                i for i, (low, high) in enumerate(dashboard.PROGRESS_BANDS) if low <= r["percent"] <= high
            )
            bands[(r["badge__name"], band)] += 1
    for item in summary.learning:
        assert item.completed == completed[item.name]
        assert item.bands == tuple(bands[(item.name, i)] for i in range(len(dashboard.PROGRESS_BANDS)))
    assert {item.name for item in summary.learning} == {r["badge__name"] for r in rows}
