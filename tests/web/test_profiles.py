"""The public earner profile: off by default, the awards its owner chooses, hidden at once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Award, PublicProfile
from core.services.awards import award_revoke
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(bob):
    bob.get(reverse("home"))
    return award(make_badge(name="First Aid"), "bob@cowork.net"), award(
        make_badge(name="Fire Warden"), "bob@cowork.net"
    )


def save(client, *, published=True, name="Bob B.", awards=()):
    data = {"name": name, "awards": [str(a.pk) for a in awards]}
    if published:
        data["published"] = "on"
    return client.post(reverse("my-profile"), data)


def test_there_is_no_profile_until_its_owner_publishes_one(bob, awards):
    body = bob.get(reverse("my-profile")).content.decode()
    assert 'data-testid="profile-form"' in body and 'data-testid="profile-link"' not in body
    assert not PublicProfile.objects.exists()
    save(bob, published=False, awards=awards)
    profile = PublicProfile.objects.get()
    assert Client().get(profile.get_absolute_url()).status_code == 404  # saved, but off


def test_a_published_profile_lists_the_chosen_awards_to_anyone(bob, awards):
    first_aid, _fire = awards
    assert save(bob, awards=[first_aid]).status_code == 302
    profile = PublicProfile.objects.get()
    response = Client().get(profile.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200 and "Bob B." in body
    assert "First Aid" in body and "Fire Warden" not in body
    assert reverse("award-detail", args=[first_aid.pk]) in body
    assert "bob@cowork.net" not in body  # never the addresses
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_its_link_is_unguessable_and_stays_the_same(bob, awards):
    save(bob, awards=awards)
    token = PublicProfile.objects.get().token
    assert len(token) >= 22  # 128 bits
    save(bob, published=False)
    save(bob, awards=awards[:1])
    assert PublicProfile.objects.get().token == token
    assert Client().get(reverse("profile-public", args=["not-the-token"])).status_code == 404


def test_hiding_the_profile_or_an_award_takes_effect_at_once(bob, awards):
    first_aid, _fire = awards
    save(bob, awards=awards)
    url = PublicProfile.objects.get().get_absolute_url()
    visitor = Client()
    assert "Fire Warden" in visitor.get(url).content.decode()
    save(bob, awards=[first_aid])
    assert "Fire Warden" not in visitor.get(url).content.decode()
    save(bob, published=False, awards=[first_aid])
    assert visitor.get(url).status_code == 404


def test_expired_and_revoked_awards_leave_the_page(bob, awards):
    first_aid, fire = awards
    save(bob, awards=awards)
    url = PublicProfile.objects.get().get_absolute_url()
    award_revoke(award=first_aid, actor=None, reason="Mistake")
    Award.objects.filter(pk=fire.pk).update(expires_on=timezone.now() - timedelta(days=1))
    body = Client().get(url).content.decode()
    assert "First Aid" not in body and "Fire Warden" not in body and 'data-testid="profile-empty"' in body


def test_someone_else_s_award_cannot_be_shown(bob, awards):
    others = award(make_badge(name="Not Bob's"), "zoe@cowork.net")
    response = save(bob, awards=[others])
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PublicProfile.objects.exists()


def test_the_profile_is_linked_from_home(bob, awards):
    assert reverse("my-profile") in bob.get(reverse("home")).content.decode()
