"""Home: my awards and the badges on offer; the verify page; fixed query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Award
from core.services.awards import award_revoke
from core.services.badges import badge_archive
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def test_a_new_user_gets_a_helpful_empty_state(xia):
    body = xia.get(reverse("home")).content.decode()
    assert 'data-testid="empty-awards"' in body and "No badges yet." in body
    assert "You do not belong to an organisation yet." in body


def test_verify_tells_someone_without_an_organisation_what_it_is_for(xia):
    body = xia.get(reverse("verify")).content.decode()
    assert 'data-testid="verify-no-organisation"' in body
    assert "Your organisations have no badges yet." not in body
    assert 'data-testid="verify-form"' not in body


def test_awards_made_before_the_first_visit_are_there(client_as):
    badge = make_badge()
    award(badge, "bob@cowork.net")  # bob has never visited
    body = client_as("bob").get(reverse("home")).content.decode()
    assert 'data-testid="my-awards"' in body and "First Aid at Work" in body


def test_my_awards_newest_first_with_status_and_offers_without_what_i_hold(bob):
    bob.get(reverse("home"))
    old, new, revoked, offered = (
        make_badge(name="Old one"),
        make_badge(name="New one"),
        make_badge(name="Taken back"),
        make_badge(name="Still to earn"),
    )
    first = award(old, "bob@cowork.net")
    Award.objects.filter(pk=first.pk).update(
        issued_on=timezone.now() - timedelta(days=400), expires_on=timezone.now() - timedelta(days=35)
    )
    award(new, "bob@cowork.net")
    award_revoke(award=award(revoked, "bob@cowork.net"), actor=None, reason="No")
    make_badge(org="snakeoil", name="Another company's badge")
    body = bob.get(reverse("home")).content.decode()
    mine = body.split('data-testid="my-awards"')[1].split('id="offered"')[0]
    assert mine.index("New one") < mine.index("Old one")
    assert (
        'data-status="expired"' in mine and 'data-status="revoked"' in mine and 'data-status="active"' in mine
    )
    offers = body.split('data-testid="offered-badges"')[1]
    assert offered.name in offers and "Old one" in offers and "Taken back" in offers  # can be earned again
    assert "New one" not in offers and "Another company" not in offers


def test_archived_badges_are_not_offered(bob):
    bob.get(reverse("home"))
    make_badge(name="Still offered")
    badge_archive(badge=make_badge(name="Gone"), actor=None)
    body = bob.get(reverse("home")).content.decode()
    assert "Still offered" in body and "Gone" not in body


def test_badges_on_offer_come_24_to_a_page(bob):
    bob.get(reverse("home"))
    for n in range(25):
        make_badge(name=f"Offer {n:02}", image_url="https://img.example.com/b.png")
    first = bob.get(reverse("home")).content.decode()
    second = bob.get(reverse("home"), {"offered": 2}).content.decode()
    assert "Offer 23" in first and "Offer 24" not in first and "?offered=2" in first
    assert "Offer 24" in second and "Offer 00" not in second


class TestVerify:
    def test_a_member_checks_an_email_against_a_badge(self, bob):
        bob.get(reverse("home"))
        badge = make_badge()
        given = award(badge, "zoe@cowork.net")
        response = bob.post(reverse("verify"), {"badge": str(badge.pk), "email": "Zoe@Cowork.net"})
        body = response.content.decode()
        assert "Yes: Zoe@Cowork.net holds “First Aid at Work”" in body
        assert reverse("award-detail", args=[given.pk]) in body

    def test_no_award_is_a_clear_no(self, bob):
        bob.get(reverse("home"))
        badge = make_badge()
        body = bob.post(reverse("verify"), {"badge": str(badge.pk), "email": "x@y.org"}).content.decode()
        assert "No: “First Aid at Work” has not been awarded to x@y.org." in body

    def test_a_revoked_award_is_reported_as_revoked(self, bob):
        bob.get(reverse("home"))
        badge = make_badge()
        award_revoke(award=award(badge, "zoe@cowork.net"), actor=None, reason="Cheated")
        body = bob.post(
            reverse("verify"), {"badge": str(badge.pk), "email": "zoe@cowork.net"}
        ).content.decode()
        assert "it was revoked: Cheated" in body

    def test_badges_of_other_organisations_cannot_be_chosen(self, bob):
        bob.get(reverse("home"))
        make_badge()
        other = make_badge(org="snakeoil", name="Pythonista 🐍")
        response = bob.post(reverse("verify"), {"badge": str(other.pk), "email": "x@y.org"})
        assert "Select a valid choice" in response.content.decode()
        assert "Pythonista" not in response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["home", "badge-list", "badge-detail", "award-detail"])
def test_list_pages_run_a_fixed_number_of_queries(alice, page):
    alice.get(reverse("home"))
    badge = make_badge(name="Badge 0")
    url = {
        "home": reverse("home"),
        "badge-list": reverse("badge-list", args=["cowork"]),
        "badge-detail": reverse("badge-detail", args=["cowork", badge.slug]),
        "award-detail": None,
    }[page]

    def grow(n):
        for i in range(n):
            b = make_badge(name=f"Badge {Award.objects.count()}-{i}", image_url="https://img.example/b.png")
            award(b, "alice@cowork.net")
            award(badge, f"p{Award.objects.count()}@cowork.net", f"Person {i} 🌸")

    grow(1)
    target = url or reverse("award-detail", args=[Award.objects.first().pk])
    with_one = count_queries(alice, target)
    grow(49)
    assert count_queries(alice, target) == with_one
