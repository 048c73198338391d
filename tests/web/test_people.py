"""Behind the real proxy: where /app/ leads, a person's own addresses, and signing out."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from core.models import EmailAddress
from core.services.people import LINK_EXPIRED, TAKEN, confirmation_token
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

YUKI_EMAIL = "yuki.tanaka@cowork.net"


@pytest.fixture
def yuki(client_as):
    """A member of cowork with no personal profile: her session carries no email."""
    client = client_as("yuki")
    client.get(reverse("home"))
    return client


def add_and_get_link(client, email, capture) -> str:
    with capture(execute=True):
        response = client.post(reverse("my-emails"), {"email": email})
    assert response.status_code == 302
    return reverse("email-confirm", args=[confirmation_token(EmailAddress.objects.get(email=email))])


class TestEntryPoints:
    def test_app_leads_home(self, bob):
        assert bob.get(reverse("app-entry")).url == reverse("home")

    def test_an_organisation_leads_its_manager_to_its_badges(self, alice):
        assert alice.get(reverse("app-organisation", args=["cowork"])).url == reverse(
            "badge-list", args=["cowork"]
        )

    def test_an_organisation_leads_a_member_home(self, bob):
        assert bob.get(reverse("app-organisation", args=["cowork"])).url == reverse("home")

    def test_someone_elses_organisation_is_not_found(self, hana):
        assert hana.get(reverse("app-organisation", args=["cowork"])).status_code == 404


class TestHome:
    def test_it_shows_the_address_badges_reach(self, bob):
        body = bob.get(reverse("home")).content.decode()
        assert re.search(r'data-testid="my-emails".*bob@cowork\.net.*Add or remove an address', body, re.S)

    def test_without_an_address_it_asks_for_one(self, yuki):
        body = yuki.get(reverse("home")).content.decode()
        assert "We do not know your email address yet" in body
        assert f'href="{reverse("my-emails")}"' in body


class TestAddingAnAddress:
    def test_the_page_lists_the_session_address_and_added_ones(self, bob, django_capture_on_commit_callbacks):
        add_and_get_link(bob, "bob@old-job.example", django_capture_on_commit_callbacks)
        body = bob.get(reverse("my-emails")).content.decode()
        assert "bob@cowork.net" in body and "from your profile at sign-in" in body
        assert "bob@old-job.example" in body and "Waiting for confirmation" in body

    def test_the_link_is_mailed(self, yuki, mailoutbox, django_capture_on_commit_callbacks):
        link = add_and_get_link(yuki, YUKI_EMAIL, django_capture_on_commit_callbacks)
        (mail,) = mailoutbox
        assert mail.to == [YUKI_EMAIL] and f"https://badges.example.com{link}" in mail.body

    def test_a_bad_address_is_explained_and_nothing_is_kept(self, yuki):
        response = yuki.post(reverse("my-emails"), {"email": "yuki at cowork"})
        assert response.status_code == 400
        assert "Enter a valid email address." in response.content.decode()
        assert not EmailAddress.objects.exists()

    def test_it_needs_the_csrf_token(self, client_as):
        client = client_as("yuki")
        client.handler.enforce_csrf_checks = True
        assert client.post(reverse("my-emails"), {"email": YUKI_EMAIL}).status_code == 403


class TestConfirming:
    def test_awards_made_to_a_confirmed_address_reach_the_person(
        self, yuki, django_capture_on_commit_callbacks
    ):
        given = award(make_badge(name="Mentor 🌱"), YUKI_EMAIL, "Yuki Tanaka")
        link = add_and_get_link(yuki, YUKI_EMAIL, django_capture_on_commit_callbacks)
        assert (
            'data-testid="empty-awards"' in yuki.get(reverse("home")).content.decode()
        )  # pending: not hers yet
        assert (
            'data-testid="export-link"'
            not in yuki.get(reverse("award-detail", args=[given.pk])).content.decode()
        )

        page = yuki.get(link).content.decode()
        assert "Confirm this address" in page and YUKI_EMAIL in page
        assert not EmailAddress.objects.confirmed().exists()  # opening the link confirms nothing
        response = yuki.post(link)
        assert response.status_code == 302 and response.url == reverse("home")

        home = yuki.get(reverse("home")).content.decode()
        assert f"{YUKI_EMAIL} is confirmed" in home
        assert re.search(r'data-testid="my-awards".*Mentor 🌱', home, re.S)
        assert [a["id"] for a in yuki.get(reverse("api-my-awards")).json()["results"]] == [str(given.pk)]
        assert yuki.get(reverse("api-me")).json()["emails"] == [YUKI_EMAIL]
        assert (
            'data-testid="export-link"' in yuki.get(reverse("award-detail", args=[given.pk])).content.decode()
        )

    def test_someone_elses_link_is_not_found(self, yuki, bob, django_capture_on_commit_callbacks):
        link = add_and_get_link(yuki, YUKI_EMAIL, django_capture_on_commit_callbacks)
        assert bob.get(link).status_code == 404 and bob.post(link).status_code == 404
        assert not EmailAddress.objects.confirmed().exists()

    def test_an_expired_link_says_so(self, yuki, django_capture_on_commit_callbacks):
        link = add_and_get_link(yuki, YUKI_EMAIL, django_capture_on_commit_callbacks)
        with override_settings(EMAIL_CONFIRMATION_MAX_AGE=-1):
            response = yuki.post(link)
        assert response.status_code == 400 and str(LINK_EXPIRED) in response.content.decode()
        assert not EmailAddress.objects.confirmed().exists()

    def test_a_garbled_link_is_a_clear_error(self, yuki):
        response = yuki.get(reverse("email-confirm", args=["not-a-token"]))
        assert response.status_code == 400 and "not valid" in response.content.decode()

    def test_bobs_address_cannot_be_taken(self, yuki, bob, django_capture_on_commit_callbacks):
        bob.get(reverse("home"))  # bob@cowork.net is bob's, from his session
        award(make_badge(), "bob@cowork.net", "Bob")
        link = add_and_get_link(yuki, "bob@cowork.net", django_capture_on_commit_callbacks)
        response = yuki.post(link)
        assert response.status_code == 409 and str(TAKEN) in response.content.decode()
        assert yuki.get(reverse("api-my-awards")).json()["results"] == []


class TestManagingAddresses:
    def test_remove(self, yuki, django_capture_on_commit_callbacks):
        add_and_get_link(yuki, YUKI_EMAIL, django_capture_on_commit_callbacks)
        address = EmailAddress.objects.get()
        response = yuki.post(reverse("my-email-remove", args=[address.pk]))
        assert response.status_code == 302 and not EmailAddress.objects.exists()

    def test_resend_too_soon_is_explained(self, yuki, django_capture_on_commit_callbacks):
        add_and_get_link(yuki, YUKI_EMAIL, django_capture_on_commit_callbacks)
        address = EmailAddress.objects.get()
        response = yuki.post(reverse("my-email-resend", args=[address.pk]), follow=True)
        assert "Wait a minute" in response.content.decode()

    def test_an_unknown_address_is_not_found(self, yuki):
        assert yuki.post(reverse("my-email-remove", args=[999])).status_code == 404


class TestSigningOut:
    def test_in_production_the_header_signs_out_at_the_proxy(self, bob):
        with override_settings(MOCKUP_LOGIN=False):
            body = bob.get(reverse("home")).content.decode()
        assert re.search(
            r'<div [^>]*data-dj-menubar-user-item[^>]*>\s*<a [^>]*href="/logout/"[^>]*>Sign out</a>', body
        )
        assert 'action="/logout/"' not in body  # not the mockup form

    @override_settings(MOCKUP_LOGIN=False, DJAODJIN_LOGOUT_URL="https://accounts.example.com/logout/")
    def test_the_proxys_sign_out_address_is_configurable(self, bob):
        assert 'href="https://accounts.example.com/logout/"' in bob.get(reverse("home")).content.decode()

    def test_the_mockup_login_keeps_its_own_form(self, bob):
        body = bob.get(reverse("home")).content.decode()
        assert f'action="{reverse("logout")}"' in body and "data-dj-menubar-user-item" not in body
