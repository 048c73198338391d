"""Search, filters and sort on the long lists: the badge list, a badge's holders, my home."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Award
from core.services.awards import award_batch_create, award_revoke
from core.services.badges import badge_archive
from core.services.recipients import Recipient
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(alice):
    alice.get(reverse("home"))
    return alice


def listed(body: str) -> list[str]:
    """The badge names in the badge list, in order."""
    part = (
        body.split('data-testid="badge-list"')[1].split("</div>\n  </div>")[0] if "badge-list" in body else ""
    )
    return [chunk.split("<")[0].strip() for chunk in part.split('<div class="fw-semibold">')[1:]]


class TestBadgeList:
    @pytest.fixture
    def badges(self):
        first_aid = make_badge(name="First Aid", tags=["Safety", "health"])
        fire = make_badge(name="Fire Warden", tags=["safety"])
        python = make_badge(name="Python", tags=["code"])
        old = make_badge(name="Old First Aid", tags=["safety"])
        badge_archive(badge=old, actor=None)
        award_batch_create(badge=python, actor=None, recipients=[Recipient(f"p{n}@x.org") for n in range(3)])
        award(fire, "f@x.org")
        return first_aid, fire, python, old

    def test_archived_badges_are_hidden_unless_asked(self, manager, badges):
        url = reverse("badge-list", args=["cowork"])
        assert listed(manager.get(url).content.decode()) == ["Fire Warden", "First Aid", "Python"]
        assert listed(manager.get(url, {"archived": "only"}).content.decode()) == ["Old First Aid"]
        every = listed(manager.get(url, {"archived": "all"}).content.decode())
        assert every == ["Fire Warden", "First Aid", "Python", "Old First Aid"]  # archived last

    def test_search_by_name_and_filter_by_tag_whatever_its_case(self, manager, badges):
        url = reverse("badge-list", args=["cowork"])
        assert listed(manager.get(url, {"q": "first"}).content.decode()) == ["First Aid"]
        assert listed(manager.get(url, {"tag": "safety"}).content.decode()) == ["Fire Warden", "First Aid"]
        body = manager.get(url, {"tag": "Safety", "archived": "all", "q": "aid"}).content.decode()
        assert listed(body) == ["First Aid", "Old First Aid"]

    def test_sorted_by_most_holders_or_newest(self, manager, badges):
        url = reverse("badge-list", args=["cowork"])
        assert listed(manager.get(url, {"sort": "holders"}).content.decode()) == [
            "Python",
            "Fire Warden",
            "First Aid",
        ]
        assert listed(manager.get(url, {"sort": "newest"}).content.decode()) == [
            "Python",
            "Fire Warden",
            "First Aid",
        ]

    def test_a_value_that_does_not_fit_is_named_and_the_list_still_shows(self, manager, badges):
        body = manager.get(reverse("badge-list", args=["cowork"]), {"sort": "bogus"}).content.decode()
        assert "Select a valid choice" in body and listed(body) == ["Fire Warden", "First Aid", "Python"]

    def test_nothing_matching_is_not_no_badges_yet(self, manager, badges):
        body = manager.get(reverse("badge-list", args=["cowork"]), {"q": "nothing like it"}).content.decode()
        assert 'data-testid="no-badge-matches"' in body and "No badges yet." not in body

    def test_pages_keep_the_filters(self, manager):
        for n in range(51):
            make_badge(name=f"Badge {n:02}", image_url="https://img.example.com/b.png", tags=["t"])
        body = manager.get(
            reverse("badge-list", args=["cowork"]), {"tag": "t", "sort": "newest"}
        ).content.decode()
        assert "?tag=t&amp;sort=newest&amp;page=2" in body


class TestHolders:
    @pytest.fixture
    def badge(self):
        badge = make_badge()
        award(badge, "ada@x.org", "Ada")
        award(badge, "grace@x.org", "Grace")
        expired = award(badge, "linus@x.org", "Linus")
        Award.objects.filter(pk=expired.pk).update(expires_on=timezone.now() - timedelta(days=1))
        award_revoke(award=award(badge, "ken@y.org", "Ken"), actor=None, reason="Mistake")
        return badge

    def names(self, body: str) -> list[str]:
        table = body.split('data-testid="holders"')[1].split("</table>")[0]
        return [cell.split("</a>")[0].split(">")[-1] for cell in table.split("<td><a ")[1:]]

    def test_filter_by_status_with_counts_per_status(self, manager, badge):
        url = reverse("badge-detail", args=["cowork", badge.slug])
        body = manager.get(url).content.decode()
        assert sorted(self.names(body)) == ["Ada", "Grace", "Ken", "Linus"]
        for label in ("All (4)", "Valid (2)", "Expired (1)", "Revoked (1)"):
            assert label in body
        assert sorted(self.names(manager.get(url, {"status": "active"}).content.decode())) == ["Ada", "Grace"]
        assert self.names(manager.get(url, {"status": "expired"}).content.decode()) == ["Linus"]
        assert self.names(manager.get(url, {"status": "revoked"}).content.decode()) == ["Ken"]

    def test_search_by_email_within_a_status(self, manager, badge):
        url = reverse("badge-detail", args=["cowork", badge.slug])
        assert self.names(manager.get(url, {"q": "@y.org"}).content.decode()) == ["Ken"]
        body = manager.get(url, {"q": "@y.org", "status": "active"}).content.decode()
        assert 'data-testid="no-holder-matches"' in body

    def test_pages_keep_the_status_and_count_it_without_counting_again(self, manager):
        badge = make_badge()
        award_batch_create(badge=badge, actor=None, recipients=[Recipient(f"p{n}@x.org") for n in range(30)])
        body = manager.get(
            reverse("badge-detail", args=["cowork", badge.slug]), {"status": "active"}
        ).content.decode()
        assert "Page 1 of 2" in body and "?status=active&amp;page=2" in body

    def test_every_holder_also_comes_as_a_card_for_small_screens(self, manager, badge):
        body = manager.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
        cards = body.split('data-testid="holder-cards"')[1].split("</ul>")[0]
        assert cards.count('class="card mb-2"') == 4
        assert cards.count('aria-label="Revoke ') == 3  # every holder not revoked yet
        assert 'data-status="revoked"' in cards


class TestHome:
    @pytest.fixture
    def awards(self, bob):
        bob.get(reverse("home"))
        valid = award(make_badge(name="Cowork valid"), "bob@cowork.net")
        revoked = award(make_badge(name="Cowork revoked"), "bob@cowork.net")
        award_revoke(award=revoked, actor=None, reason="No")
        elsewhere = award(make_badge(org="snakeoil", name="Snake badge"), "bob@cowork.net")
        return valid, revoked, elsewhere

    def mine(self, body: str) -> str:
        return body.split('aria-labelledby="my-awards"')[1].split('id="offered"')[0]

    def test_filter_my_badges_by_organisation_and_status(self, bob, awards):
        url = reverse("home")
        every = self.mine(bob.get(url).content.decode())
        assert "Cowork valid" in every and "Cowork revoked" in every and "Snake badge" in every
        snake = self.mine(bob.get(url, {"organisation": "snakeoil"}).content.decode())
        assert "Snake badge" in snake and "Cowork valid" not in snake and "Cowork revoked" not in snake
        revoked = self.mine(bob.get(url, {"organisation": "cowork", "status": "revoked"}).content.decode())
        assert "Cowork revoked" in revoked and "Cowork valid" not in revoked and "Snake badge" not in revoked

    def test_organisations_to_choose_include_those_of_my_awards(self, bob, awards):
        form = bob.get(reverse("home")).context["form"]
        assert [value for value, _ in form.fields["organisation"].choices] == ["", "cowork", "snakeoil"]

    def test_nothing_matching_is_said(self, bob, awards):
        body = bob.get(reverse("home"), {"status": "expired"}).content.decode()
        assert 'data-testid="no-award-matches"' in body and 'data-testid="empty-awards"' not in body
