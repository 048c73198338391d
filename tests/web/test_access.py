"""Who may open which page: the manager, a teammate, an outsider, nobody; and wrong methods."""

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import (
    AwardExport,
    EmailAddress,
    ExportState,
    ImportedBadge,
    ImportRequest,
    ImportSource,
    ImportState,
)
from core.services.people import confirmation_token
from core.services.profiles import profile_update
from tests.support.factories import award, make_badge, png_bytes, svg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(alice, bob, hana):
    for client in (alice, bob, hana):
        client.get(reverse("home"))  # first visits store the organisations
    badge = make_badge(image=svg_upload())
    given = award(badge, "bob@cowork.net", "Bob")
    imported = ImportedBadge.objects.create(
        owner=User.objects.get(username="bob"),
        recipient_email="bob@cowork.net",
        source=ImportSource.URL,
        assertion_url="https://issuer.example/assertions/1",
        assertion={},
        badge_class={},
        issuer={},
        image=ContentFile(png_bytes(), name="badge.png"),
        badge_name="Elsewhere",
        issuer_name="Another issuer",
        issued_on=timezone.now(),
    )
    export = AwardExport.objects.create(
        organisation=badge.organisation,
        state=ExportState.READY,
        rows=1,
        file=ContentFile(b"award_id\n", name="cowork-awards.csv"),
    )
    import_request = ImportRequest.objects.create(
        owner=User.objects.get(username="bob"),
        source=ImportSource.URL,
        assertion_url="https://issuer.example/assertions/2",
        emails=["bob@cowork.net"],
        state=ImportState.FAILED,  # may be tried again, or dismissed
    )
    pending = EmailAddress.objects.create(user=User.objects.get(username="bob"), email="bob@old-job.example")
    profile = profile_update(
        user=User.objects.get(username="bob"),
        emails=["bob@cowork.net"],
        published=True,
        name="Bob",
        award_ids=[given.pk],
    )
    return {
        "badge": badge,
        "award": given,
        "imported": imported,
        "export": export,
        "import_request": import_request,
        "address": pending,
        "profile": profile,
        "alice": alice,
        "bob": bob,
        "hana": hana,
        "anon": Client(),
    }


def urls(setup):
    badge, given = setup["badge"], setup["award"]
    org_badge = ["cowork", badge.slug]
    return {
        "badge-list": reverse("badge-list", args=["cowork"]),
        "badge-create": reverse("badge-create", args=["cowork"]),
        "badge-detail": reverse("badge-detail", args=org_badge),
        "badge-edit": reverse("badge-edit", args=org_badge),
        "badge-progress": reverse("badge-progress", args=org_badge),
        "award-create": reverse("award-create", args=org_badge),
        "awards-export": reverse("awards-export", args=["cowork"]),
        "awards-export-download": reverse("awards-export-download", args=["cowork", setup["export"].pk]),
        "dashboard": reverse("dashboard", args=["cowork"]),
        "dashboard-csv": reverse("dashboard-csv", args=["cowork", "status"]),
        "people-search": reverse("people-search", args=["cowork"]) + "?q=bob",
        "person-detail": reverse("person-detail", args=["cowork"]) + "?email=bob%40cowork.net",
        "award-revoke": reverse("award-revoke", args=["cowork", given.pk]),
        "award-batch": reverse("award-batch", args=["cowork", given.batch_id]),
        "notifications": reverse("notifications", args=["cowork"]),
        "award-detail": reverse("award-detail", args=[given.pk]),
        "verify": reverse("verify"),
        "home": reverse("home"),
        "me-export": reverse("me-export"),
        "imports": reverse("imports"),
        "import-image": reverse("import-image", args=[setup["imported"].pk]),
        "award-baked-png": reverse("award-baked-png", args=[given.pk]),
        "award-baked-svg": reverse("award-baked-svg", args=[given.pk]),
        "ob-issuer": reverse("ob-issuer", args=["cowork"]),
        "ob-revocation-list": reverse("ob-revocation-list", args=["cowork"]),
        "ob-badgeclass": reverse("ob-badgeclass", args=org_badge),
        "ob-badgeclass-image": reverse("ob-badgeclass-image", args=org_badge),
        "ob-assertion": reverse("ob-assertion", args=[given.pk]),
        "ob-credential": reverse("ob-credential", args=[given.pk]),
        "award-credential-png": reverse("award-credential-png", args=[given.pk]),
        "award-credential-svg": reverse("award-credential-svg", args=[given.pk]),
        "ob-did": reverse("ob-did", args=["cowork"]),
        "ob-status-list": reverse("ob-status-list", args=["cowork", 0]),
        "media": badge.image.url,
        "app-entry": reverse("app-entry"),
        "app-organisation": reverse("app-organisation", args=["cowork"]),
        "my-emails": reverse("my-emails"),
        "my-profile": reverse("my-profile"),
        "profile-public": reverse("profile-public", args=[setup["profile"].token]),
        "email-confirm": reverse("email-confirm", args=[confirmation_token(setup["address"])]),
        "login": reverse("login"),
        "favicon": "/favicon.ico",
    }


# GET status for: manager (alice), teammate (bob), outsider (hana), no session.
EXPECTED_GET = {
    "badge-list": (200, 404, 404, 403),
    "badge-create": (200, 404, 404, 403),
    "badge-detail": (200, 200, 404, 403),
    "badge-edit": (200, 404, 404, 403),
    "badge-progress": (200, 404, 404, 403),  # who is how far: the managers'
    "award-create": (200, 404, 404, 403),
    "awards-export": (200, 404, 404, 403),
    "awards-export-download": (200, 404, 404, 403),  # private: the organisation's managers only
    "dashboard": (200, 404, 404, 403),  # the organisation's figures: its managers'
    "dashboard-csv": (200, 404, 404, 403),
    "people-search": (200, 404, 404, 403),  # who holds what: the managers'
    "person-detail": (200, 404, 404, 403),
    "award-revoke": (200, 404, 404, 403),
    "award-batch": (200, 404, 404, 403),
    "notifications": (200, 404, 404, 403),
    "award-detail": (200, 200, 200, 200),  # public: anyone with the link
    "verify": (200, 200, 200, 403),
    "home": (200, 200, 200, 403),
    "me-export": (302, 200, 302, 403),  # each their own; nothing in it: home, with a message
    "imports": (200, 200, 200, 403),
    "import-image": (404, 200, 404, 403),  # bob's, his alone
    # Public: what backpacks, validators and link previews fetch.
    "award-baked-png": (200, 200, 200, 200),
    "award-baked-svg": (200, 200, 200, 200),
    "ob-issuer": (200, 200, 200, 200),
    "ob-revocation-list": (200, 200, 200, 200),
    "ob-badgeclass": (200, 200, 200, 200),
    "ob-badgeclass-image": (200, 200, 200, 200),
    "ob-assertion": (200, 200, 200, 200),
    # Open Badges 3.0: what wallets and verifiers fetch.
    "ob-credential": (200, 200, 200, 200),
    "award-credential-png": (200, 200, 200, 200),
    "award-credential-svg": (200, 200, 200, 200),
    "ob-did": (200, 200, 200, 200),
    "ob-status-list": (200, 200, 200, 200),
    "media": (200, 200, 200, 200),
    # Where the proxy sends people: home, or the organisation's badges for its managers.
    "app-entry": (302, 302, 302, 403),
    "app-organisation": (302, 302, 404, 403),
    "my-emails": (200, 200, 200, 403),  # each their own
    "my-profile": (200, 200, 200, 403),  # each their own
    "profile-public": (200, 200, 200, 200),  # bob's, published: anyone with the link
    "email-confirm": (404, 200, 404, 403),  # bob's link, his alone
    "login": (200, 200, 200, 200),  # development only: the suite turns mockup login on
    "favicon": (302, 302, 302, 302),
}

# POST-only routes, as manager, teammate, outsider, nobody (the owner's own change last).
EXPECTED_POST = {
    "badge-archive": ((404, 404, 403, 302), ("hana", "bob", "anon", "alice")),
    "awards-export": ((404, 404, 403, 302), ("hana", "bob", "anon", "alice")),
    "award-check-email": ((302, 302, 302, 302), ("alice", "bob", "hana", "anon")),  # to the award's page
    "import-delete": ((404, 404, 403, 302), ("alice", "hana", "anon", "bob")),
    "import-request-retry": ((404, 404, 403, 302), ("alice", "hana", "anon", "bob")),
    "import-request-dismiss": ((404, 404, 403, 302), ("alice", "hana", "anon", "bob")),
    "notifications-resend": ((404, 404, 403, 302), ("hana", "bob", "anon", "alice")),
    "my-email-resend": ((404, 404, 403, 302), ("alice", "hana", "anon", "bob")),
    "my-email-remove": ((404, 404, 403, 302), ("alice", "hana", "anon", "bob")),
    "logout": ((302, 302, 302, 302), ("alice", "bob", "hana", "anon")),
    "set_language": ((302, 302, 302, 302), ("alice", "bob", "hana", "anon")),  # public pages have it too
}
# Every page route, for tests/test_url_coverage.py.
ROUTES = set(EXPECTED_GET) | set(EXPECTED_POST)


@pytest.mark.parametrize("name", EXPECTED_POST)
def test_post_access(setup, name):
    badge, given = setup["badge"], setup["award"]
    url = {
        "badge-archive": reverse("badge-archive", args=["cowork", badge.slug]),
        "awards-export": reverse("awards-export", args=["cowork"]),
        "award-check-email": reverse("award-check-email", args=[given.pk]),
        "import-delete": reverse("import-delete", args=[setup["imported"].pk]),
        "import-request-retry": reverse("import-request-retry", args=[setup["import_request"].pk]),
        "import-request-dismiss": reverse("import-request-dismiss", args=[setup["import_request"].pk]),
        "notifications-resend": reverse("notifications-resend", args=["cowork"]),
        "my-email-resend": reverse("my-email-resend", args=[setup["address"].pk]),
        "my-email-remove": reverse("my-email-remove", args=[setup["address"].pk]),
        "logout": reverse("logout"),
        "set_language": reverse("set_language"),
    }[name]
    expected, order = EXPECTED_POST[name]
    data = {
        "award-check-email": {"email": "bob@cowork.net"},
        "notifications-resend": {"award": str(given.pk)},
        "set_language": {"language": "fr"},
    }.get(name, {})
    assert tuple(setup[who].post(url, data).status_code for who in order) == expected


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
        ("badge-progress", "post"),
        ("awards-export", "delete"),
        ("awards-export-download", "post"),
        ("dashboard", "post"),
        ("dashboard-csv", "post"),
        ("people-search", "post"),
        ("person-detail", "delete"),
        ("award-detail", "post"),
        ("home", "delete"),
        ("badge-create", "put"),
        ("award-create", "delete"),
        ("me-export", "post"),
        ("imports", "delete"),
        ("import-image", "post"),
        ("ob-assertion", "post"),
        ("award-baked-png", "post"),
        ("ob-credential", "post"),
        ("award-credential-png", "post"),
        ("ob-did", "put"),
        ("ob-status-list", "post"),
        ("media", "post"),
        ("app-entry", "post"),
        ("app-organisation", "post"),
        ("my-emails", "delete"),
        ("my-profile", "put"),
        ("profile-public", "post"),
        ("email-confirm", "put"),
    ],
)
def test_wrong_method(setup, name, method):
    assert getattr(setup["alice"], method)(urls(setup)[name]).status_code == 405


def test_post_only_routes_refuse_get(setup):
    badge = setup["badge"]
    assert setup["alice"].get(reverse("badge-archive", args=["cowork", badge.slug])).status_code == 405
    assert setup["bob"].get(reverse("import-delete", args=[setup["imported"].pk])).status_code == 405
    for name in ("import-request-retry", "import-request-dismiss"):
        assert setup["bob"].get(reverse(name, args=[setup["import_request"].pk])).status_code == 405
    assert setup["bob"].get(reverse("logout")).status_code == 405
    for name in ("my-email-resend", "my-email-remove"):
        assert setup["bob"].get(reverse(name, args=[setup["address"].pk])).status_code == 405
    assert Client().get(reverse("set_language")).status_code == 405


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
