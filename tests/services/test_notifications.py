"""Mail never breaks an award: queued with it, sent by the workers, retried, or failed with a reason.

Delivery goes to a real SMTP server (aiosmtpd on a free local port) through the
database queue and its worker (``db_worker --batch``), as in production.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.models import Award, Badge, Notification, NotificationKind, NotificationState, Organisation
from core.services.awards import award_batch_create, award_revoke
from core.services.notifications import (
    expiry_reminders_queue,
    notification_resend,
    send_due_notifications_now,
)
from core.services.recipients import Recipient
from tests.support.factories import make_badge


def people(*emails: str) -> list[Recipient]:
    return [Recipient(email=e, name=e.split("@")[0].title()) for e in emails]


class TestQueuedWithTheAward:
    def test_emails_wait_for_the_worker_then_go_out_over_one_connection(self, db_tasks, smtp_server):
        badge = make_badge()
        result = award_batch_create(
            badge=badge, actor=None, recipients=people("ada@x.org", "bob@x.org", "cy@x.org")
        )
        assert smtp_server.received == []  # the request did not wait for the mail server
        assert set(db_tasks.states().values()) == {NotificationState.QUEUED}
        assert result.batch.awarded_count == 3

        db_tasks.run_worker()

        assert sorted(r.recipients[0] for r in smtp_server.received) == ["ada@x.org", "bob@x.org", "cy@x.org"]
        assert {r.connection for r in smtp_server.received} == {1}
        assert set(db_tasks.states().values()) == {NotificationState.SENT}
        mail = smtp_server.to("ada@x.org")[0]
        assert mail.subject == "You have been awarded “First Aid at Work” by Chamoix Coworking"
        award = Award.objects.get(recipient_email="ada@x.org")
        assert f"https://badges.example.com/awards/{award.pk}/" in mail.body

    def test_a_rolled_back_award_never_emails(self, db_tasks, smtp_server):
        badge = make_badge()
        with pytest.raises(RuntimeError), transaction.atomic():
            award_batch_create(badge=badge, actor=None, recipients=people("ada@x.org"))
            raise RuntimeError("the request failed after awarding")
        db_tasks.run_worker()
        assert not Award.objects.exists() and not Notification.objects.exists()
        assert smtp_server.received == []

    def test_a_big_batch_goes_out_in_batches_one_connection_each(self, db_tasks, smtp_server, settings):
        settings.NOTIFY_BATCH_SIZE = 20
        award_batch_create(
            badge=make_badge(), actor=None, recipients=people(*[f"p{i}@x.org" for i in range(50)])
        )
        db_tasks.run_worker()
        assert len(smtp_server.received) == 50
        assert sorted({r.connection for r in smtp_server.received}) == [1, 2, 3]
        assert set(db_tasks.states().values()) == {NotificationState.SENT}

    def test_the_choice_not_to_notify(self, db_tasks, smtp_server):
        award_batch_create(badge=make_badge(), actor=None, recipients=people("ada@x.org"), notify=False)
        db_tasks.run_worker()
        assert smtp_server.received == [] and not Notification.objects.exists()


class TestFailures:
    def test_a_permanent_refusal_fails_that_email_with_the_servers_reason(self, db_tasks, smtp_server):
        award_batch_create(badge=make_badge(), actor=None, recipients=people("ada@x.org", "bounce@x.org"))
        db_tasks.run_worker()
        failed = Notification.objects.get(award__recipient_email="bounce@x.org")
        assert failed.state == NotificationState.FAILED
        assert failed.reason == "550 5.1.1 No such user here"
        assert failed.attempts == 1  # never tried again
        assert db_tasks.states()["ada@x.org"] == NotificationState.SENT

    def test_a_temporary_refusal_is_retried_until_it_goes_through(self, db_tasks, smtp_server):
        smtp_server.busy_until_attempt = 3
        award_batch_create(badge=make_badge(), actor=None, recipients=people("busy@x.org"))
        db_tasks.run_worker()
        sent = Notification.objects.get()
        assert (sent.state, sent.attempts) == (NotificationState.SENT, 3)
        assert smtp_server.attempts["busy@x.org"] == 3

    def test_retries_back_off_and_stop(self, db_tasks, smtp_server, settings):
        settings.NOTIFY_MAX_ATTEMPTS = 3
        settings.NOTIFY_RETRY_SECONDS = 60
        award_batch_create(badge=make_badge(), actor=None, recipients=people("busy@x.org"))
        db_tasks.run_worker()
        waiting = Notification.objects.get()
        assert waiting.state == NotificationState.QUEUED
        assert waiting.reason == "Will try again: 451 4.3.0 Mailbox busy, try again later"
        assert timedelta(seconds=55) < waiting.due_at - timezone.now() <= timedelta(seconds=60)
        # The next try is a deferred task for then, not a loop now.
        assert db_tasks.tasks().filter(status="READY", run_after__gt=timezone.now()).count() == 1
        for attempt, delay in ((2, 120), (3, None)):
            Notification.objects.update(due_at=timezone.now())
            send_due_notifications_now()
            waiting.refresh_from_db()
            assert waiting.attempts == attempt
            if delay:
                assert waiting.due_at - timezone.now() > timedelta(seconds=delay - 5)
        assert waiting.state == NotificationState.FAILED
        assert waiting.reason == "Gave up after 3 attempts: 451 4.3.0 Mailbox busy, try again later"

    def test_an_unreachable_server_keeps_the_awards_and_their_emails(self, db_tasks, unreachable_smtp):
        unreachable_smtp.NOTIFY_RETRY_SECONDS = 60
        result = award_batch_create(badge=make_badge(), actor=None, recipients=people("ada@x.org"))
        db_tasks.run_worker()
        assert Award.objects.filter(pk=result.awarded[0].pk).exists()
        waiting = Notification.objects.get()
        assert waiting.state == NotificationState.QUEUED
        assert waiting.reason.startswith("Will try again: The mail server could not be reached")

    def test_the_server_coming_back_sends_what_waited(self, db_tasks, unreachable_smtp, smtp_server):
        # smtp_server was started after unreachable_smtp: the settings point to it now.
        award_batch_create(badge=make_badge(), actor=None, recipients=people("ada@x.org"))
        Notification.objects.update(state=NotificationState.QUEUED, reason="Will try again: …")
        db_tasks.run_worker()
        assert db_tasks.states() == {"ada@x.org": NotificationState.SENT}

    def test_a_sender_stopped_mid_batch_is_taken_over(self, db_tasks, smtp_server, settings):
        award_batch_create(badge=make_badge(), actor=None, recipients=people("ada@x.org"), notify=False)
        award = Award.objects.get()
        stale = timezone.now() - timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS + 1)
        Notification.objects.create(
            award=award, kind=NotificationKind.AWARDED, state="sending", claimed_at=stale
        )
        send_due_notifications_now()
        assert db_tasks.states() == {"ada@x.org": NotificationState.SENT}


class TestNamesThatBreakHeaders:
    def test_a_newline_in_a_badge_or_organisation_name_cannot_inject_a_header(self, db_tasks, smtp_server):
        badge = make_badge()
        # Names kept before the one-line rules existed, or from an old session.
        Badge.objects.filter(pk=badge.pk).update(name="First aid\r\nBcc: everyone@x.org")
        Organisation.objects.filter(pk=badge.organisation_id).update(printable_name="Cowork\nX-Evil: 1")
        award_batch_create(badge=Badge.objects.get(pk=badge.pk), actor=None, recipients=people("ada@x.org"))
        db_tasks.run_worker()
        mail = smtp_server.to("ada@x.org")[0]
        assert mail.subject == "You have been awarded “First aid Bcc: everyone@x.org” by Cowork X-Evil: 1"
        assert mail.message["Bcc"] is None and mail.message["X-Evil"] is None
        assert mail.recipients == ["ada@x.org"]


class TestRevocationAndReminders:
    def test_the_recipient_is_told_when_an_award_is_revoked(self, db_tasks, smtp_server):
        result = award_batch_create(
            badge=make_badge(), actor=None, recipients=people("ada@x.org"), notify=False
        )
        award_revoke(award=result.awarded[0], actor=None, reason="Awarded by mistake.")
        db_tasks.run_worker()
        mail = smtp_server.to("ada@x.org")[0]
        assert mail.subject == "Your award of “First Aid at Work” from Chamoix Coworking was revoked"
        assert "Awarded by mistake." in mail.body

    def test_a_reminder_goes_once_before_expiry(self, db_tasks, smtp_server, settings):
        settings.AWARD_EXPIRY_REMINDER_DAYS = 14
        badge = make_badge(validity_days=10)
        later = make_badge(name="Fire warden", validity_days=60)
        award_batch_create(badge=badge, actor=None, recipients=people("ada@x.org"), notify=False)
        award_batch_create(badge=later, actor=None, recipients=people("ada@x.org"), notify=False)

        call_command("send_notifications", verbosity=0)
        call_command("send_notifications", verbosity=0)  # cron runs it again: still once
        db_tasks.run_worker()

        assert [m.subject for m in smtp_server.to("ada@x.org")] == [
            f"Your badge “First Aid at Work” from Chamoix Coworking expires on "
            f"{Award.objects.get(badge=badge).expires_on:%-d %B %Y}"
        ]
        assert expiry_reminders_queue() == 0


@pytest.mark.django_db
class TestResend:
    def test_resend_queues_the_same_email_again(self, django_capture_on_commit_callbacks, mailoutbox):
        with django_capture_on_commit_callbacks(execute=True):
            result = award_batch_create(badge=make_badge(), actor=None, recipients=people("ada@x.org"))
        assert len(mailoutbox) == 1
        with django_capture_on_commit_callbacks(execute=True):
            notification = notification_resend(award=result.awarded[0])
        notification.refresh_from_db()
        assert (notification.state, notification.attempts, len(mailoutbox)) == (NotificationState.SENT, 1, 2)

    def test_an_award_made_without_email_can_be_sent_one(
        self, django_capture_on_commit_callbacks, mailoutbox
    ):
        result = award_batch_create(
            badge=make_badge(), actor=None, recipients=people("ada@x.org"), notify=False
        )
        with django_capture_on_commit_callbacks(execute=True):
            notification_resend(award=result.awarded[0])
        assert Notification.objects.get().kind == NotificationKind.AWARDED
        assert len(mailoutbox) == 1
