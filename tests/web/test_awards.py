"""Awarding, revoking and exporting through the pages; the public award page."""

import csv
import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Award, AwardExport, ExportState, Notification, Status
from core.services.awards import award_batch_create, award_revoke
from core.services.recipients import Recipient
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(alice):
    alice.get(reverse("home"))
    return alice


@pytest.fixture
def badge(manager):
    return make_badge(validity_days=365)


def award_url(badge):
    return reverse("award-create", args=[badge.organisation.slug, badge.slug])


def confirm_data(preview_response) -> dict:
    """What the preview's confirmation form sends back, as a browser would."""
    form = preview_response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    data["quiet"] = "on" if data["quiet"] else ""
    return {**data, "action": "award"}


def preview_then_award(client, badge, data: dict, **confirm):
    preview = client.post(award_url(badge), data)
    assert preview.status_code == 200 and preview.context["preview"].can_award, preview.content.decode()
    assert not Award.objects.filter(badge=badge, recipient_email__in=[]).exists()
    return client.post(award_url(badge), {**confirm_data(preview), **confirm}, follow=True)


class TestAwarding:
    def test_pasted_emails_are_previewed_then_awarded_and_emailed(
        self, manager, badge, django_capture_on_commit_callbacks
    ):
        data = {
            "recipients": "bob@cowork.net, Bob Lefèvre\nZOE@cowork.net, Zoë Ødegård 🌸\n",
            "narrative": "Bravo",
        }
        preview = manager.post(award_url(badge), data)
        assert not Award.objects.exists()  # a preview awards nobody
        assert preview.context["preview"].new == [
            Recipient("bob@cowork.net", "Bob Lefèvre", 1),
            Recipient("zoe@cowork.net", "Zoë Ødegård 🌸", 2),
        ]
        with django_capture_on_commit_callbacks(execute=True):
            response = manager.post(award_url(badge), confirm_data(preview), follow=True)
        body = response.content.decode()
        assert "Awarded “First Aid at Work” to 2 people." in body
        assert response.resolver_match.url_name == "award-batch"
        assert sorted(Award.objects.values_list("recipient_email", flat=True)) == [
            "bob@cowork.net",
            "zoe@cowork.net",
        ]
        assert Award.objects.get(recipient_email="zoe@cowork.net").narrative == "Bravo"
        assert "0 sent, 0 failed, 2 waiting, of 2 emails." in body  # the request did not wait for mail
        assert sorted(m.to[0] for m in mail.outbox) == ["bob@cowork.net", "zoe@cowork.net"]
        body = manager.get(response.request["PATH_INFO"]).content.decode()
        assert "2 sent, 0 failed, 0 waiting, of 2 emails." in body

    def test_a_csv_upload(self, manager, badge):
        upload = SimpleUploadedFile(
            "team.csv", "email,name\nli@cowork.net,李雷\n".encode(), content_type="text/csv"
        )
        preview_then_award(manager, badge, {"csv_file": upload})
        assert Award.objects.get().recipient_name == "李雷"

    def test_invalid_lines_are_reported_one_by_one_and_nothing_is_awarded(self, manager, badge):
        text = "ok@cowork.net\nnope\nalso-bad@\n"
        response = manager.post(award_url(badge), {"recipients": text})
        body = response.content.decode()
        assert response.status_code == 200
        assert "Line 2: “nope” is not a valid email address." in body
        assert "Line 3: “also-bad@” is not a valid email address." in body
        assert "ok@cowork.net\nnope" in body  # the list is kept for fixing
        assert 'data-testid="award-confirm"' not in body  # nothing to confirm until it is fixed
        assert not Award.objects.exists()

    def test_the_preview_counts_new_renewing_already_holding_and_invalid(self, manager, badge):
        award(badge, "held@cowork.net")
        expired = award(badge, "expired@cowork.net")
        Award.objects.filter(pk=expired.pk).update(expires_on=timezone.now() - timedelta(days=1))
        text = "new@cowork.net\nheld@cowork.net\nexpired@cowork.net\nnot-an-email\n"
        preview = manager.post(award_url(badge), {"recipients": text}).context["preview"]
        assert [r.email for r in preview.new] == ["new@cowork.net"]
        assert [r.email for r in preview.renewing] == ["expired@cowork.net"]
        assert [r.email for r in preview.already_held] == ["held@cowork.net"]
        assert list(preview.invalid) == [4]
        assert Award.objects.count() == 2

    def test_a_renewal_is_awarded_on_confirmation(self, manager, badge):
        expired = award(badge, "expired@cowork.net")
        Award.objects.filter(pk=expired.pk).update(expires_on=timezone.now() - timedelta(days=1))
        response = preview_then_award(manager, badge, {"recipients": "expired@cowork.net\nnew@cowork.net"})
        assert "1 of them renewed an expired award." in response.content.decode()
        assert Award.objects.current().filter(badge=badge).count() == 2

    def test_hundreds_already_holding_it_are_a_count_not_a_wall(self, manager, badge):
        held = [f"held{i}@cowork.net" for i in range(300)]
        award_batch_create(badge=badge, actor=None, recipients=[Recipient(e) for e in held], notify=False)
        response = preview_then_award(manager, badge, {"recipients": "\n".join([*held, "new@cowork.net"])})
        flash = str(next(iter(response.context["messages"])))
        assert (
            flash == "Awarded “First Aid at Work” to 1 person. 300 people already held it: not awarded again."
        )
        assert Award.objects.count() == 301

    def test_the_choice_not_to_email(self, manager, badge, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = preview_then_award(manager, badge, {"recipients": "zoe@cowork.net", "quiet": "on"})
        assert mail.outbox == [] and not Notification.objects.exists()
        assert "You chose not to email the recipients." in response.content.decode()

    def test_a_confirmation_changed_on_the_way_is_checked_again(self, manager, badge):
        response = manager.post(award_url(badge), {"recipients": "zoe@cowork.net\nbroken", "action": "award"})
        assert "Line 2: “broken” is not a valid email address." in response.content.decode()
        assert not Award.objects.exists()

    def test_giving_both_a_list_and_a_file_is_refused(self, manager, badge):
        upload = SimpleUploadedFile("team.csv", b"email\na@x.org\n")
        response = manager.post(award_url(badge), {"recipients": "b@x.org", "csv_file": upload})
        assert "one of the two" in response.content.decode()
        assert not Award.objects.exists()


class TestRevoking:
    def test_revoking_with_a_reason(self, manager, badge):
        given = award(badge, "bob@cowork.net")
        url = reverse("award-revoke", args=["cowork", given.pk])
        assert manager.post(url, {"reason": ""}).status_code == 200  # the form again, with the error
        manager.post(url, {"reason": "Attestation withdrawn"})
        given.refresh_from_db()
        assert given.status == Status.REVOKED and given.revocation_reason == "Attestation withdrawn"

    def test_revoking_twice_is_explained(self, manager, badge):
        given = award_revoke(award=award(badge, "bob@cowork.net"), actor=None, reason="Once")
        response = manager.post(reverse("award-revoke", args=["cowork", given.pk]), {"reason": "Again"})
        assert "already revoked" in response.content.decode()


class TestExport:
    def test_the_organisation_awards_as_csv_prepared_in_the_background(
        self, manager, badge, django_capture_on_commit_callbacks
    ):
        award(badge, "zoe@cowork.net", "Zoë 🌸")
        award(make_badge(name='=HYPERLINK("x")'), "bob@cowork.net", "@bob")
        award(make_badge(org="snakeoil", name="Other org"), "hana@snakeoil.example")
        page = reverse("awards-export", args=["cowork"])
        assert 'data-testid="exports"' not in manager.get(page).content.decode()  # none yet
        with django_capture_on_commit_callbacks(execute=True):  # the suite's worker runs it at once
            response = manager.post(page)
        assert response.status_code == 302 and response["Location"] == page
        export = AwardExport.objects.get()
        assert (export.state, export.rows) == (ExportState.READY, 2)
        body = manager.get(page).content.decode()
        download = reverse("awards-export-download", args=["cowork", export.pk])
        assert download in body and "Download (2 awards)" in body
        response = manager.get(download)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="cowork-awards.csv"' in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        text = b"".join(response.streaming_content).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert {r["recipient_email"] for r in rows} == {"zoe@cowork.net", "bob@cowork.net"}
        zoe = next(r for r in rows if r["recipient_email"] == "zoe@cowork.net")
        assert zoe["recipient_name"] == "Zoë 🌸" and zoe["status"] == "active"
        assert zoe["url"].startswith("https://badges.example.com/awards/")
        bob = next(r for r in rows if r["recipient_email"] == "bob@cowork.net")
        assert bob["badge"].startswith("'=") and bob["recipient_name"] == "'@bob"  # no formulas

    def test_an_export_being_prepared_says_so_and_cannot_be_downloaded(self, manager, badge):
        export = AwardExport.objects.create(organisation=badge.organisation)
        body = manager.get(reverse("awards-export", args=["cowork"])).content.decode()
        assert "Being prepared" in body and 'data-testid="refresh"' in body
        assert manager.get(reverse("awards-export-download", args=["cowork", export.pk])).status_code == 404

    def test_the_file_is_not_under_the_public_media(
        self, manager, badge, settings, django_capture_on_commit_callbacks
    ):
        award(badge, "zoe@cowork.net")
        with django_capture_on_commit_callbacks(execute=True):
            manager.post(reverse("awards-export", args=["cowork"]))
        path = Path(AwardExport.objects.get().file.path)
        assert path.is_file()
        assert Path(settings.MEDIA_ROOT) not in path.parents


class TestPublicAwardPage:
    def test_anyone_with_the_link_sees_a_valid_award(self, badge):
        given = award(
            badge,
            "zoe@cowork.net",
            "Zoë Ødegård",
            evidence_url="https://lms.example/cert/1",
            narrative="Top marks",
        )
        body = Client().get(reverse("award-detail", args=[given.pk])).content.decode()
        assert "First Aid at Work" in body and "Zoë Ødegård" in body and "Chamoix Coworking" in body
        assert 'data-status="active"' in body and "https://lms.example/cert/1" in body and "Top marks" in body
        assert "zoe@cowork.net" not in body  # the recipient's email stays private

    def test_without_a_name_the_page_shows_no_part_of_the_email(self, badge):
        given = award(badge, "zoe.odegard@cowork.net")
        body = Client().get(reverse("award-detail", args=[given.pk])).content.decode()
        assert "Awarded to <strong>the recipient</strong>" in body
        assert "zoe.odegard" not in body

    def test_a_revoked_award_shows_why(self, badge):
        given = award_revoke(award=award(badge, "zoe@cowork.net"), actor=None, reason="Issued by mistake")
        body = Client().get(reverse("award-detail", args=[given.pk])).content.decode()
        assert 'data-status="revoked"' in body and "Issued by mistake" in body
        assert 'data-testid="linkedin"' not in body

    def test_linkedin_is_offered_to_the_recipient_only(self, badge, bob, alice):
        given = award(badge, "bob@cowork.net")
        url = reverse("award-detail", args=[given.pk])
        assert 'data-testid="linkedin"' in bob.get(url).content.decode()
        for visitor in (Client(), alice):  # anyone else, the manager too, gets the link to share
            body = visitor.get(url).content.decode()
            assert 'data-testid="linkedin"' not in body and 'data-testid="share"' in body

    @pytest.mark.parametrize("status", ["revoked", "expired"])
    def test_an_award_no_longer_valid_is_dimmed_said_in_words_and_not_offered_to_share(
        self, badge, bob, status
    ):
        given = award(badge, "bob@cowork.net")
        if status == "revoked":
            award_revoke(award=given, actor=None, reason="Issued by mistake")
        else:
            Award.objects.filter(pk=given.pk).update(expires_on=timezone.now() - timedelta(days=1))
        body = bob.get(reverse("award-detail", args=[given.pk])).content.decode()  # even its recipient
        image = body.split('data-testid="award-image"')[0].rsplit("<div", 1)[1]
        assert "award-not-valid" in image
        assert f'data-status="{status}"' in body  # in words, not only greyed
        assert 'data-testid="share"' not in body and 'data-testid="linkedin"' not in body
        home = bob.get(reverse("home")).content.decode()
        card = home.split(reverse("award-detail", args=[given.pk]))[1].split(">")[0]
        assert "award-not-valid" in card

    def test_a_valid_award_is_not_dimmed(self, badge):
        given = award(badge, "zoe@cowork.net")
        body = Client().get(reverse("award-detail", args=[given.pk])).content.decode()
        assert "award-not-valid" not in body

    def test_the_linkedin_link_carries_the_certification(self, badge, bob):
        given = award(badge, "bob@cowork.net")
        body = bob.get(reverse("award-detail", args=[given.pk])).content.decode()
        href = (
            body.split('href="https://www.linkedin.com/profile/add?')[1].split('"')[0].replace("&amp;", "&")
        )
        params = {k: v[0] for k, v in parse_qs(href).items()}
        assert params["startTask"] == "CERTIFICATION_NAME"
        assert params["name"] == "First Aid at Work" and params["organizationName"] == "Chamoix Coworking"
        assert (int(params["issueYear"]), int(params["issueMonth"])) == (
            given.issued_on.year,
            given.issued_on.month,
        )
        assert (int(params["expirationYear"]), int(params["expirationMonth"])) == (
            given.expires_on.year,
            given.expires_on.month,
        )
        assert params["certUrl"] == f"https://badges.example.com/awards/{given.pk}/"
        assert params["certId"] == str(given.pk)
        assert urlparse(params["certUrl"]).scheme == "https"

    @pytest.mark.parametrize("email, answer", [("ZOE@cowork.net", "Yes"), ("someone@else.org", "No")])
    def test_does_this_award_belong_to_this_email(self, badge, email, answer):
        given = award(badge, "zoe@cowork.net")
        client = Client(enforce_csrf_checks=False)
        response = client.post(reverse("award-check-email", args=[given.pk]), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('award-detail', args=[given.pk])}#email-check"
        page = client.get(response["Location"]).content.decode()
        assert f"{answer}: this award was" in page and email in page  # the address the visitor typed
        assert "zoe@cowork.net" not in page

    def test_the_email_check_answers_on_the_award_page_and_a_reload_is_never_a_405(self, badge):
        given = award(badge, "zoe@cowork.net")
        client = Client()
        url = reverse("award-check-email", args=[given.pk])
        response = client.post(url, {"email": "zoe@cowork.net"}, follow=True)
        assert response.redirect_chain == [(f"{reverse('award-detail', args=[given.pk])}#email-check", 302)]
        body = response.content.decode()
        result = body.split('data-testid="email-check-result"')[0].rsplit("<p", 1)[1]
        assert 'role="alert"' in result and "data-focus-result" in result  # focus goes to the answer
        assert body.index('id="email-check"') < body.index('data-testid="email-check-result"')
        assert body.count("Yes: this award was issued to zoe@cowork.net.") == 1  # not repeated on top
        reloaded = client.get(reverse("award-detail", args=[given.pk]))
        assert reloaded.status_code == 200 and "this award was issued" not in reloaded.content.decode()
        assert client.get(url).status_code == 302  # a reload of a refused check: back to the page

    def test_the_email_check_is_throttled_per_client(self, badge, settings):
        settings.EMAIL_CHECK_PER_CLIENT_PER_MINUTE = 3
        given = [award(badge, f"p{i}@cowork.net") for i in range(2)]
        client = Client()
        urls = [reverse("award-check-email", args=[a.pk]) for a in given]
        codes = [client.post(urls[i % 2], {"email": f"guess{i}@cowork.net"}).status_code for i in range(4)]
        assert codes == [302, 302, 302, 429]
        refused = client.post(urls[0], {"email": "p0@cowork.net"})
        assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
        body = refused.content.decode()
        assert "Too many checks" in body and "this award was issued to that email" not in body
        # Another client is not held back by this one.
        assert Client(REMOTE_ADDR="192.0.2.7").post(urls[0], {"email": "p0@cowork.net"}).status_code == 302

    def test_the_email_check_is_throttled_per_award_across_clients(self, badge, settings):
        settings.EMAIL_CHECK_PER_AWARD_PER_MINUTE = 2
        given = award(badge, "zoe@cowork.net")
        url = reverse("award-check-email", args=[given.pk])
        codes = [
            Client(REMOTE_ADDR=f"192.0.2.{i}").post(url, {"email": "x@y.org"}).status_code
            for i in range(1, 4)
        ]
        assert codes == [302, 302, 429]

    def test_behind_a_proxy_the_client_is_the_address_it_forwarded(self, badge, settings):
        settings.EMAIL_CHECK_PER_CLIENT_PER_MINUTE = 1
        settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
        url = reverse("award-check-email", args=[award(badge, "zoe@cowork.net").pk])
        proxy = Client(REMOTE_ADDR="10.0.0.1")
        assert (
            proxy.post(url, {"email": "a@b.org"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1").status_code
            == 302
        )
        assert proxy.post(url, {"email": "a@b.org"}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
        assert proxy.post(url, {"email": "a@b.org"}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429

    def test_the_email_check_explains_a_malformed_email(self, badge):
        given = award(badge, "zoe@cowork.net")
        response = Client().post(reverse("award-check-email", args=[given.pk]), {"email": "nope"})
        assert response.status_code == 400 and "Enter a valid email address." in response.content.decode()


class TestPublicAwardPageKept:
    """Anonymous visitors share one rendering of the page (``core.web.page_cache``)."""

    @staticmethod
    def token_of(body: str) -> str:
        return body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    def test_a_second_visitor_gets_the_kept_page_and_can_post_with_their_own_token(
        self, badge, django_assert_num_queries
    ):
        given = award(badge, "zoe@cowork.net", "Zoë Ødegård")
        page = reverse("award-detail", args=[given.pk])
        first = Client(enforce_csrf_checks=True).get(page)
        assert first.status_code == 200
        second = Client(enforce_csrf_checks=True)
        with django_assert_num_queries(0):
            kept = second.get(page)
        body = kept.content.decode()
        assert kept.status_code == 200 and "Zoë Ødegård" in body and "First Aid at Work" in body
        # Every form on it carries this visitor's token, which their cookie accepts.
        tokens = {self.token_of(part) for part in body.split("<form")[1:] if "csrfmiddlewaretoken" in part}
        assert len(tokens) == 1 and tokens != {self.token_of(first.content.decode())}
        answer = second.post(
            reverse("award-check-email", args=[given.pk]),
            {"email": "zoe@cowork.net", "csrfmiddlewaretoken": tokens.pop()},
        )
        assert answer.status_code == 302
        # The answer is the visitor's own: that page is rendered for them, not kept.
        assert "Yes: this award was issued to zoe@cowork.net." in second.get(page).content.decode()
        assert "this award was issued" not in Client().get(page).content.decode()

    def test_a_revocation_shows_at_once(self, badge, django_capture_on_commit_callbacks):
        given = award(badge, "zoe@cowork.net")
        page = reverse("award-detail", args=[given.pk])
        assert 'data-status="active"' in Client().get(page).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            award_revoke(award=given, actor=None, reason="Issued by mistake")
        body = Client().get(page).content.decode()
        assert 'data-status="revoked"' in body and "Issued by mistake" in body

    def test_each_language_is_kept_apart(self, badge):
        given = award(badge, "zoe@cowork.net")
        page = reverse("award-detail", args=[given.pk])
        assert "This award is valid until" in Client().get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        french = Client().get(page, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert 'lang="fr"' in french and "This award is valid until" not in french

    def test_signed_in_visitors_get_their_own_page(self, badge, bob):
        given = award(badge, "bob@cowork.net")
        page = reverse("award-detail", args=[given.pk])
        assert 'data-testid="linkedin"' not in Client().get(page).content.decode()
        assert 'data-testid="linkedin"' in bob.get(page).content.decode()  # offered to the recipient

    def test_an_award_about_to_expire_is_not_kept_past_it(self, badge):
        given = award(badge, "zoe@cowork.net")
        Award.objects.filter(pk=given.pk).update(expires_on=timezone.now() + timedelta(milliseconds=900))
        page = reverse("award-detail", args=[given.pk])
        Client().get(page)
        with CaptureQueriesContext(connection) as queries:  # its copy could not be kept a whole second
            Client().get(page)
        assert len(queries) >= 1

    def test_a_query_string_is_rendered_afresh_not_kept(self, badge):
        given = award(badge, "zoe@cowork.net")
        page = reverse("award-detail", args=[given.pk])
        Client().get(page)  # kept
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert Client().get(f"{page}?utm_source=mail").status_code == 200
            assert len(queries) >= 1
