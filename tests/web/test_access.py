"""Who may open which page: the manager, a teammate, an outsider, nobody; and wrong methods."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(alice, bob, hana):
    for client in (alice, bob, hana):
        client.get(reverse("home"))  # first visits store the organisations
    badge = make_badge()
    given = award(badge, "bob@cowork.net", "Bob")
    return {"badge": badge, "award": given, "alice": alice, "bob": bob, "hana": hana, "anon": Client()}


def urls(setup):
    badge, given = setup["badge"], setup["award"]
    org_badge = ["cowork", badge.slug]
    return {
        "badge-list": reverse("badge-list", args=["cowork"]),
        "badge-create": reverse("badge-create", args=["cowork"]),
        "badge-detail": reverse("badge-detail", args=org_badge),
        "badge-edit": reverse("badge-edit", args=org_badge),
        "award-create": reverse("award-create", args=org_badge),
        "awards-export": reverse("awards-export", args=["cowork"]),
        "award-revoke": reverse("award-revoke", args=["cowork", given.pk]),
        "award-detail": reverse("award-detail", args=[given.pk]),
        "verify": reverse("verify"),
        "home": reverse("home"),
    }


# GET status for: manager (alice), teammate (bob), outsider (hana), no session.
EXPECTED_GET = {
    "badge-list": (200, 404, 404, 403),
    "badge-create": (200, 404, 404, 403),
    "badge-detail": (200, 200, 404, 403),
    "badge-edit": (200, 404, 404, 403),
    "award-create": (200, 404, 404, 403),
    "awards-export": (200, 404, 404, 403),
    "award-revoke": (200, 404, 404, 403),
    "award-detail": (200, 200, 200, 200),  # public: anyone with the link
    "verify": (200, 200, 200, 403),
    "home": (200, 200, 200, 403),
}


@pytest.mark.parametrize("name", EXPECTED_GET)
def test_get_access(setup, name):
    url = urls(setup)[name]
    statuses = tuple(setup[who].get(url).status_code for who in ("alice", "bob", "hana", "anon"))
    assert statuses == EXPECTED_GET[name]


@pytest.mark.parametrize(
    "name, method",
    [
        ("badge-list", "post"),
        ("badge-detail", "post"),
        ("awards-export", "post"),
        ("award-detail", "post"),
        ("home", "delete"),
        ("badge-create", "put"),
        ("award-create", "delete"),
    ],
)
def test_wrong_method(setup, name, method):
    assert getattr(setup["alice"], method)(urls(setup)[name]).status_code == 405


def test_archive_and_check_email_need_post(setup):
    badge, given = setup["badge"], setup["award"]
    assert setup["alice"].get(reverse("badge-archive", args=["cowork", badge.slug])).status_code == 405
    assert Client().get(reverse("award-check-email", args=[given.pk])).status_code == 405


def test_outsiders_cannot_change_anything(setup):
    badge, given = setup["badge"], setup["award"]
    for who in ("bob", "hana"):
        client = setup[who]
        assert client.post(reverse("badge-archive", args=["cowork", badge.slug])).status_code == 404
        assert (
            client.post(reverse("award-revoke", args=["cowork", given.pk]), {"reason": "x"}).status_code
            == 404
        )
        assert (
            client.post(
                reverse("award-create", args=["cowork", badge.slug]), {"recipients": "x@y.org"}
            ).status_code
            == 404
        )
    given.refresh_from_db()
    badge.refresh_from_db()
    assert given.revoked_at is None and badge.archived_at is None
    assert badge.awards.count() == 1


def test_a_manager_of_another_organisation_gets_404_on_its_badges(setup):
    snake = make_badge(org="snakeoil", name="Pythonista 🐍")
    assert setup["alice"].get(reverse("badge-detail", args=["snakeoil", snake.slug])).status_code == 404
    assert setup["hana"].get(reverse("badge-detail", args=["snakeoil", snake.slug])).status_code == 200


def test_an_unknown_award_is_404():
    assert (
        Client().get(reverse("award-detail", args=["00000000-0000-0000-0000-000000000000"])).status_code
        == 404
    )
