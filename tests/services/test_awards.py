"""Awarding rules: all or nothing, one current award a person, expiry, revocation, email."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Award, Status
from core.services.awards import award_batch_create, award_revoke
from core.services.badges import badge_archive
from core.services.recipients import (
    DUPLICATE,
    EMAIL_TOO_LONG,
    NAME_CONTROL_CHARACTERS,
    NOT_AN_EMAIL,
    Recipient,
    RecipientErrors,
    check_recipients,
    parse_recipient_csv,
    parse_recipient_lines,
)
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


def recipients(*emails):
    return [Recipient(email=e) for e in emails]


class TestBatches:
    def test_everyone_in_a_valid_batch_is_awarded(self):
        badge = make_badge()
        result = award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org", "b@x.org"))
        assert sorted(a.recipient_email for a in result.awarded) == ["a@x.org", "b@x.org"]
        assert Award.objects.filter(badge=badge).count() == 2

    def test_awards_are_filed_under_their_badges_organisation(self):
        badge = make_badge(org="snakeoil")
        award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org"))
        assert Award.objects.get(badge=badge).organisation == badge.organisation

    def test_a_batch_with_one_bad_line_awards_nobody(self):
        badge = make_badge()
        rows = parse_recipient_lines("a@x.org\nnot-an-email\nb@x.org, Bee\n\na@x.org")
        with pytest.raises(RecipientErrors) as err:
            award_batch_create(badge=badge, actor=None, recipients=rows)
        assert err.value.lines == {
            2: NOT_AN_EMAIL % {"email": "not-an-email"},
            5: DUPLICATE % {"email": "a@x.org", "line": 1},
        }
        assert not Award.objects.filter(badge=badge).exists()

    def test_someone_who_already_holds_it_is_reported_not_awarded_twice(self):
        badge = make_badge()
        award(badge, "a@x.org")
        result = award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org", "b@x.org"))
        assert [a.recipient_email for a in result.awarded] == ["b@x.org"]
        assert [r.email for r in result.already_held] == ["a@x.org"]
        assert Award.objects.filter(badge=badge, recipient_email="a@x.org").count() == 1

    def test_the_database_refuses_a_second_current_award(self):
        badge = make_badge()
        award(badge, "a@x.org")
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.create(badge=badge, recipient_email="a@x.org")

    def test_an_expired_award_can_be_renewed(self):
        badge = make_badge(validity_days=30)
        old = award(badge, "a@x.org")
        Award.objects.filter(pk=old.pk).update(expires_on=timezone.now() - timedelta(days=1))
        result = award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org"))
        assert len(result.awarded) == 1
        old.refresh_from_db()
        assert old.status == Status.EXPIRED and old.superseded_at is not None

    def test_a_revoked_award_does_not_block_a_new_one(self):
        badge = make_badge()
        award_revoke(award=award(badge, "a@x.org"), actor=None, reason="Mistake")
        assert len(award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org")).awarded) == 1

    def test_expiry_follows_the_badge_validity(self):
        badge = make_badge(validity_days=365)
        given = award(badge, "a@x.org")
        assert given.expires_on - given.issued_on == timedelta(days=365)
        assert award(make_badge(name="Forever"), "a@x.org").expires_on is None

    def test_an_archived_badge_cannot_be_awarded(self):
        badge = badge_archive(badge=make_badge(), actor=None)
        with pytest.raises(ValidationError, match="archived"):
            award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org"))

    def test_archiving_keeps_existing_awards_valid(self):
        badge = make_badge()
        given = award(badge, "a@x.org")
        badge_archive(badge=badge, actor=None)
        given.refresh_from_db()
        assert given.status == Status.ACTIVE

    def test_a_bad_evidence_url_awards_nobody(self):
        badge = make_badge()
        with pytest.raises(ValidationError):
            award_batch_create(
                badge=badge, actor=None, recipients=recipients("a@x.org"), evidence_url="javascript:x"
            )
        assert not Award.objects.exists()


class TestEmails:
    def test_each_recipient_gets_an_email_with_the_award_link(self, django_capture_on_commit_callbacks):
        badge = make_badge(org="snakeoil", name="Pythonista 🐍")
        with django_capture_on_commit_callbacks(execute=True):
            result = award_batch_create(
                badge=badge, actor=None, recipients=[Recipient(email="zoe@x.org", name="Zoë Ødegård 🌸")]
            )
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["zoe@x.org"]
        assert "Pythonista 🐍" in message.subject and "Snake Oil Learning 🐍" in message.subject
        assert "Zoë Ødegård 🌸" in message.body
        assert f"https://badges.example.com/awards/{result.awarded[0].pk}/" in message.body

    def test_nobody_is_emailed_when_the_batch_fails(self, django_capture_on_commit_callbacks):
        badge = badge_archive(badge=make_badge(), actor=None)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            award_batch_create(badge=badge, actor=None, recipients=recipients("a@x.org"))
        assert mail.outbox == []


class TestRevocation:
    def test_revoking_needs_a_reason(self):
        given = award(make_badge(), "a@x.org")
        with pytest.raises(ValidationError, match="Say why"):
            award_revoke(award=given, actor=None, reason="  ")
        given.refresh_from_db()
        assert given.status == Status.ACTIVE

    def test_a_revoked_award_shows_its_reason(self):
        given = award_revoke(award=award(make_badge(), "a@x.org"), actor=None, reason="Course not completed")
        given.refresh_from_db()
        assert given.status == Status.REVOKED and given.revocation_reason == "Course not completed"

    def test_an_award_is_revoked_once(self):
        given = award_revoke(award=award(make_badge(), "a@x.org"), actor=None, reason="Once")
        with pytest.raises(ValidationError, match="already revoked"):
            award_revoke(award=given, actor=None, reason="Twice")


class TestCsv:
    def upload(self, text: str, encoding="utf-8-sig"):
        return io.BytesIO(text.encode(encoding))

    def test_email_and_name_columns_with_a_byte_order_mark(self):
        rows = parse_recipient_csv(self.upload("Email,Name\nZOE@X.org,Zoë Ødegård\nli@x.org,李雷 🐉\n"))
        checked = check_recipients(rows)
        assert [(r.email, r.name) for r in checked] == [("zoe@x.org", "Zoë Ødegård"), ("li@x.org", "李雷 🐉")]

    def test_a_missing_header_is_explained(self):
        with pytest.raises(ValidationError, match="email"):
            parse_recipient_csv(self.upload("zoe@x.org,Zoë\n"))

    def test_bad_rows_are_reported_with_their_line_numbers(self):
        rows = parse_recipient_csv(self.upload("email,name\nok@x.org,Ok\nbroken,Nope\n"))
        with pytest.raises(RecipientErrors) as err:
            check_recipients(rows)
        assert list(err.value.lines) == [3]

    def test_a_file_that_is_not_utf8_is_explained(self):
        with pytest.raises(ValidationError, match="UTF-8"):
            parse_recipient_csv(io.BytesIO("email,name\nzoé@x.org,Zoé\n".encode("utf-16")))


class TestRulesHoldWhateverTheCaller:
    def test_the_service_checks_recipients_itself(self):
        badge = make_badge()
        with pytest.raises(RecipientErrors) as err:
            award_batch_create(
                badge=badge, actor=None, recipients=[Recipient(email="ok@x.org"), Recipient(email="nope")]
            )
        assert list(err.value.lines) == [2]
        assert not Award.objects.exists()

    def test_emails_are_normalised_by_the_service(self):
        result = award_batch_create(
            badge=make_badge(), actor=None, recipients=[Recipient(email=" Zoe@X.org ")]
        )
        assert result.awarded[0].recipient_email == "zoe@x.org"

    def test_a_revocation_reason_has_a_length_limit(self):
        given = award(make_badge(), "a@x.org")
        with pytest.raises(ValidationError, match="under 2000 characters"):
            award_revoke(award=given, actor=None, reason="x" * 2001)


class TestOddInput:
    LONG_EMAIL = "a" * 250 + "@cowork.net"  # 261 characters: Django's validator allows 320

    def test_an_email_longer_than_254_characters_is_a_line_error(self):
        with pytest.raises(RecipientErrors) as err:
            award_batch_create(
                badge=make_badge(), actor=None, recipients=recipients("ok@x.org", self.LONG_EMAIL)
            )
        assert err.value.lines == {2: EMAIL_TOO_LONG % {"max": 254}}
        assert not Award.objects.exists()

    @pytest.mark.parametrize(
        "name", ["Ada\nLovelace", "Ada\r\nBcc: x@y.org", "Ada\x00", "Ada\x1b[31m", "Ada\u2028"]
    )
    def test_a_name_with_a_control_character_is_a_line_error(self, name):
        with pytest.raises(RecipientErrors) as err:
            check_recipients([Recipient(email="ada@x.org", name=name)])
        assert err.value.lines == {1: NAME_CONTROL_CHARACTERS}

    def test_a_tab_in_a_name_is_a_space(self):
        assert (
            check_recipients([Recipient(email="ada@x.org", name="Ada\tLovelace")])[0].name == "Ada Lovelace"
        )

    def test_a_badge_name_on_two_lines_is_refused(self):
        with pytest.raises(ValidationError) as err:
            make_badge(name="First aid\nSubject: free money")
        assert "name" in err.value.message_dict
