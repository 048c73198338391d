"""A person's own addresses: added, confirmed by a signed link, never taken from their owner."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from core.models import EmailAddress
from core.services import people
from core.services.people import (
    ALREADY_ADDED,
    ALREADY_YOURS,
    LINK_EXPIRED,
    LINK_INVALID,
    RESEND_TOO_SOON,
    TAKEN,
    TOO_MANY,
    TOO_MANY_LINKS,
    confirmation_token,
    email_address_add,
    email_address_confirm,
    email_address_remove,
    email_address_resend,
    pending_address_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def yuki():
    return User.objects.create(username="yuki")


@pytest.fixture
def other():
    return User.objects.create(username="zed")


def add(user, email, session_email=""):
    return email_address_add(user=user, session_email=session_email, email=email)


def messages_of(err: pytest.ExceptionInfo) -> list[str]:
    return err.value.messages


class TestAdd:
    def test_it_is_lower_cased_and_waits_for_its_link(
        self, yuki, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            address = add(yuki, "  Yuki.Tanaka@Cowork.NET ")
        assert (address.email, address.is_confirmed) == ("yuki.tanaka@cowork.net", False)
        (mail,) = mailoutbox
        assert mail.to == ["yuki.tanaka@cowork.net"]
        assert re.search(r"https://badges\.example\.com/me/emails/confirm/[^/\s]+/", mail.body)
        assert "72 hours" in mail.body

    def test_nothing_is_mailed_when_the_add_is_refused(
        self, yuki, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            add(yuki, "not an address")
        assert mailoutbox == [] and not EmailAddress.objects.exists()

    def test_the_session_address_is_already_theirs(self, yuki):
        with pytest.raises(ValidationError) as err:
            add(yuki, "YUKI@cowork.net", session_email="yuki@cowork.net")
        assert messages_of(err) == [str(ALREADY_YOURS)]

    def test_the_same_address_twice_is_refused(self, yuki):
        add(yuki, "yuki@old-job.example")
        with pytest.raises(ValidationError) as err:
            add(yuki, "yuki@old-job.example")
        assert messages_of(err) == [str(ALREADY_ADDED)]

    def test_there_is_a_limit(self, yuki):
        for i in range(people.MAX_ADDRESSES):
            add(yuki, f"yuki{i}@example.org")
        with pytest.raises(ValidationError) as err:
            add(yuki, "one-more@example.org")
        assert messages_of(err) == [str(TOO_MANY) % {"max": people.MAX_ADDRESSES}]

    def test_adding_and_removing_cannot_mail_without_end(
        self, yuki, mailoutbox, django_capture_on_commit_callbacks
    ):
        for _ in range(people.LINKS_PER_HOUR):
            with django_capture_on_commit_callbacks(execute=True):
                address = add(yuki, "victim@example.org")
            email_address_remove(address=address)
        with pytest.raises(ValidationError) as err:
            add(yuki, "victim@example.org")
        assert messages_of(err) == [str(TOO_MANY_LINKS)]
        assert len(mailoutbox) == people.LINKS_PER_HOUR

    def test_an_address_someone_else_confirmed_can_be_added_but_not_confirmed(self, yuki, other):
        theirs = add(other, "shared@example.org")
        email_address_confirm(user=other, token=confirmation_token(theirs))
        mine = add(yuki, "shared@example.org")  # no hint at add time that it is taken
        with pytest.raises(ValidationError) as err:
            email_address_confirm(user=yuki, token=confirmation_token(mine))
        assert messages_of(err) == [str(TAKEN)]
        assert list(EmailAddress.objects.confirmed().values_list("user__username", flat=True)) == ["zed"]


class TestConfirm:
    def test_the_link_confirms_the_address(self, yuki):
        address = add(yuki, "yuki@cowork.net")
        confirmed = email_address_confirm(user=yuki, token=confirmation_token(address))
        assert confirmed.is_confirmed

    def test_a_second_click_changes_nothing(self, yuki):
        address = add(yuki, "yuki@cowork.net")
        first = email_address_confirm(user=yuki, token=confirmation_token(address)).confirmed_at
        assert email_address_confirm(user=yuki, token=confirmation_token(address)).confirmed_at == first

    def test_only_the_person_who_added_it_can_use_the_link(self, yuki, other):
        token = confirmation_token(add(yuki, "yuki@cowork.net"))
        with pytest.raises(EmailAddress.DoesNotExist):
            email_address_confirm(user=other, token=token)
        assert not EmailAddress.objects.confirmed().exists()

    def test_an_expired_link_is_refused(self, yuki):
        token = confirmation_token(add(yuki, "yuki@cowork.net"))
        with override_settings(EMAIL_CONFIRMATION_MAX_AGE=-1), pytest.raises(ValidationError) as err:
            email_address_confirm(user=yuki, token=token)
        assert messages_of(err) == [str(LINK_EXPIRED)]

    def test_a_forged_link_is_refused(self, yuki):
        address = add(yuki, "yuki@cowork.net")
        forged = confirmation_token(address)[:-2] + "xx"
        with pytest.raises(ValidationError) as err:
            email_address_confirm(user=yuki, token=forged)
        assert messages_of(err) == [str(LINK_INVALID)]

    def test_a_token_signed_for_another_purpose_is_refused(self, yuki):
        address = add(yuki, "yuki@cowork.net")
        other_purpose = signing.dumps({"id": address.pk, "email": address.email})  # default salt
        with pytest.raises(ValidationError) as err:
            pending_address_for(user=yuki, token=other_purpose)
        assert messages_of(err) == [str(LINK_INVALID)]

    def test_the_link_of_a_removed_address_no_longer_works(self, yuki):
        address = add(yuki, "yuki@cowork.net")
        token = confirmation_token(address)
        email_address_remove(address=address)
        add(yuki, "yuki@cowork.net")  # added again: a new link is needed
        with pytest.raises(EmailAddress.DoesNotExist):
            email_address_confirm(user=yuki, token=token)

    def test_another_persons_session_address_cannot_be_confirmed(self, yuki, other):
        User.objects.filter(pk=other.pk).update(email="zed@cowork.net")  # as the session sync stores it
        address = add(yuki, "zed@cowork.net")
        with pytest.raises(ValidationError) as err:
            email_address_confirm(user=yuki, token=confirmation_token(address))
        assert messages_of(err) == [str(TAKEN)]


class TestResend:
    def test_it_waits_a_minute_between_links(self, yuki, mailoutbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            address = add(yuki, "yuki@cowork.net")
        with pytest.raises(ValidationError) as err:
            email_address_resend(address=address)
        assert messages_of(err) == [str(RESEND_TOO_SOON)]
        EmailAddress.objects.filter(pk=address.pk).update(sent_at=timezone.now() - timedelta(minutes=2))
        address.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            email_address_resend(address=address)
        assert len(mailoutbox) == 2

    def test_no_link_for_a_confirmed_address(self, yuki, mailoutbox):
        address = add(yuki, "yuki@cowork.net")
        email_address_confirm(user=yuki, token=confirmation_token(address))
        address.refresh_from_db()
        with pytest.raises(ValidationError):
            email_address_resend(address=address)
        assert people.send_email_confirmation.call(address_id=address.pk) == 0
        assert mailoutbox == []
