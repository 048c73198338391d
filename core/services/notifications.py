"""The emails that follow awards: queued with the award, sent by the workers in batches.

Every email is a ``Notification`` row written in the transaction of the change it
announces (an award, a revocation) or by the reminder sweep; a task then sends
what is due, ``NOTIFY_BATCH_SIZE`` at a time over one SMTP connection:

- a message the server takes is **sent**;
- a permanent refusal (5xx, an address the server or Django cannot use) is
  **failed**, with the server's words as the reason;
- a temporary one (4xx, the server unreachable, the connection dropped) is
  queued again after a back-off (``NOTIFY_RETRY_SECONDS`` doubled each time), and
  **failed** once ``NOTIFY_MAX_ATTEMPTS`` have been made.

The sender claims rows before sending (``SENDING``, ``claimed_at``), so several
workers share the queue; a claim older than ``NOTIFY_CLAIM_SECONDS`` (a worker
stopped mid-batch) is taken again. Delivery is at least once.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from django_tasks import default_task_backend, task

from core.lib.bulk import insert_new_columns
from core.lib.text import one_line
from core.lib.urls import absolute_url
from core.lib.zones import time_zone_named
from core.models import Award, Notification, NotificationKind, NotificationState, Preference
from core.selectors.people import preferences_of

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 200

SUBJECTS = {
    NotificationKind.AWARDED: gettext_lazy("You have been awarded “%(badge)s” by %(organisation)s"),
    NotificationKind.REVOKED: gettext_lazy("Your award of “%(badge)s” from %(organisation)s was revoked"),
    NotificationKind.EXPIRING: gettext_lazy(
        "Your badge “%(badge)s” from %(organisation)s expires on %(date)s"
    ),
}
UNREACHABLE = gettext_lazy("The mail server could not be reached (%(error)s).")
BAD_ADDRESS = gettext_lazy("The address cannot be used (%(error)s).")
WILL_RETRY = gettext_lazy("Will try again: %(reason)s")
GAVE_UP = gettext_lazy("Gave up after %(attempts)s attempts: %(reason)s")
TEMPLATES = {
    NotificationKind.AWARDED: "core/emails/award.txt",
    NotificationKind.REVOKED: "core/emails/revoked.txt",
    NotificationKind.EXPIRING: "core/emails/expiring.txt",
}


def _subject(kind: str, award: Award) -> str:
    """One line, whatever the names hold: a newline in a subject is a header
    injection, which Django refuses with an error at sending time."""
    values = {
        "badge": award.badge.name,
        "organisation": award.badge.organisation.printable_name,
        "date": date_format(timezone.localtime(award.expires_on), "DATE_FORMAT") if award.expires_on else "",
    }
    return one_line(str(SUBJECTS[kind]) % values)[:SUBJECT_MAX_LENGTH]


def build_message(notification: Notification, preference: Preference | None = None) -> EmailMessage:
    """The email, in its recipient's language and time zone when they chose one
    (``preference``, from ``selectors.people.preferences_of``), else in the site's
    (``settings.LANGUAGE_CODE``, ``settings.TIME_ZONE``), whoever made the award."""
    award = notification.award
    language = preference.language if preference else settings.LANGUAGE_CODE
    zone = time_zone_named(preference.time_zone) if preference else None
    context = {"award": award, "badge": award.badge, "url": absolute_url(award.get_absolute_url())}
    with translation.override(language), timezone.override(zone):
        return EmailMessage(
            subject=_subject(notification.kind, award),
            body=render_to_string(TEMPLATES[notification.kind], context),
            to=[award.recipient_email],
            headers={"Content-Language": language},
        )


# --- Queueing -------------------------------------------------------------------


def _kick_on_commit() -> None:
    """Have a worker send what is due once this transaction commits (at once if none is open)."""
    transaction.on_commit(lambda: send_due_notifications.enqueue())


def notifications_queue(*, kind: str, awards: Iterable[Award] = (), award_ids: Iterable = ()) -> int:
    """Queue one ``kind`` email for each award (given, or by id); those already queued or
    sent are left as they are. On PostgreSQL in one statement: a batch of 5,000 builds
    no instance."""
    ids = [award.pk for award in awards] + list(award_ids)
    if not ids:
        return 0
    if (
        insert_new_columns(Notification, columns={"award": ids}, constants={"kind": kind}, returning="id")
        is None
    ):
        rows = [Notification(award_id=pk, kind=kind) for pk in ids]
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    _kick_on_commit()
    return len(ids)


def notification_resend(*, award: Award, kind: str | None = None) -> Notification:
    """Queue the award's ``kind`` email again; by default its latest one (or, if it had none,
    the one its state calls for: the award, or its revocation)."""
    if kind is None:
        latest = award.notifications.order_by("-created_at").first()
        if latest is not None:
            kind = latest.kind
        else:
            kind = NotificationKind.REVOKED if award.revoked_at else NotificationKind.AWARDED
    with transaction.atomic():
        notification, _created = Notification.objects.update_or_create(
            award=award,
            kind=kind,
            defaults={
                "state": NotificationState.QUEUED,
                "attempts": 0,
                "reason": "",
                "due_at": timezone.now(),
                "claimed_at": None,
                "sent_at": None,
            },
        )
        _kick_on_commit()
    return notification


def notifications_resend_failed(*, notifications) -> int:
    """Queue every failed email of ``notifications`` (a queryset) again."""
    with transaction.atomic():
        count = notifications.filter(state=NotificationState.FAILED).update(
            state=NotificationState.QUEUED, attempts=0, reason="", due_at=timezone.now(), claimed_at=None
        )
        if count:
            _kick_on_commit()
    return count


def expiry_reminders_queue(*, now=None) -> int:
    """Queue a reminder for each active award expiring within ``AWARD_EXPIRY_REMINDER_DAYS``
    that has not had one: once per award, whatever how often this runs."""
    days = settings.AWARD_EXPIRY_REMINDER_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    expiring = (
        Award.objects.current()
        .filter(expires_on__gt=now, expires_on__lte=now + timedelta(days=days))
        .exclude(notifications__kind=NotificationKind.EXPIRING)
    )
    with transaction.atomic():
        return notifications_queue(
            awards=expiring.only("pk").iterator(chunk_size=2000), kind=NotificationKind.EXPIRING
        )


# --- Sending -------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)  # pk -> (state, reason)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "retrying": self.retrying}


class _Temporary(Exception):
    """Try again later: the server said 4xx, or could not be reached."""


class _Permanent(Exception):
    """Do not try again: the server said 5xx, or the message cannot be sent as it is."""


def _smtp_reason(code: int, message: bytes | str) -> str:
    text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    return one_line(f"{code} {text}")[:500]


def _classify(err: Exception) -> Exception:
    """The SMTP or network error as _Temporary or _Permanent, with a reason a manager can read."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(err.recipients.values()), (550, b"recipient refused"))
        reason = _smtp_reason(code, message)
        return _Temporary(reason) if 400 <= code < 500 else _Permanent(reason)
    if isinstance(err, smtplib.SMTPResponseException):
        reason = _smtp_reason(err.smtp_code, err.smtp_error)
        return _Temporary(reason) if 400 <= err.smtp_code < 500 else _Permanent(reason)
    if isinstance(err, (smtplib.SMTPException, OSError)):  # disconnected, refused, timed out
        return _Temporary(UNREACHABLE % {"error": type(err).__name__})
    return err


def _claim(limit: int) -> list[int]:
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS)
    with transaction.atomic():
        due = Notification.objects.due(now=now, stale_before=stale_before).order_by("due_at", "pk")
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        Notification.objects.filter(pk__in=ids).update(
            state=NotificationState.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def _deliver(notifications: list[Notification], report: SendReport) -> None:
    """Send each over one connection; record each outcome in ``report``."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as err:
        failure = _classify(err)
        if not isinstance(failure, (_Temporary, _Permanent)):
            raise
        for notification in notifications:
            _record(notification, _Temporary(str(failure)), report)
        return
    broken: Exception | None = None
    preferences = preferences_of([notification.award.recipient_email for notification in notifications])
    try:
        for notification in notifications:
            if broken is not None:  # the connection is gone: the rest wait for the next try
                _record(notification, broken, report)
                continue
            try:
                message = build_message(notification, preferences.get(notification.award.recipient_email))
                message.message()  # builds the headers: a bad address is refused here
            except (ValueError, UnicodeError) as err:
                _record(
                    notification,
                    _Permanent(BAD_ADDRESS % {"error": err}),
                    report,
                )
                continue
            try:
                connection.send_messages([message])
            except Exception as err:
                failure = _classify(err)
                if not isinstance(failure, (_Temporary, _Permanent)):
                    raise
                if isinstance(err, (smtplib.SMTPServerDisconnected, OSError)):
                    broken = failure
                _record(notification, failure, report)
            else:
                _record(notification, None, report)
    finally:
        with contextlib.suppress(Exception):  # closing a connection that already broke
            connection.close()


def _record(notification: Notification, failure: Exception | None, report: SendReport) -> None:
    now = timezone.now()
    if failure is None:
        notification.state, notification.reason, notification.sent_at = NotificationState.SENT, "", now
        report.sent += 1
    elif isinstance(failure, _Temporary) and notification.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        delay = settings.NOTIFY_RETRY_SECONDS * 2 ** (notification.attempts - 1)
        notification.state, notification.due_at = NotificationState.QUEUED, now + timedelta(seconds=delay)
        notification.reason = WILL_RETRY % {"reason": failure}
        report.retrying += 1
    else:
        notification.state = NotificationState.FAILED
        notification.reason = (
            str(failure)
            if isinstance(failure, _Permanent)
            else GAVE_UP % {"attempts": notification.attempts, "reason": failure}
        )
        report.failed += 1
    notification.claimed_at = None
    report.outcomes[notification.pk] = (notification.state, notification.reason)


def _enqueue_next(report: SendReport) -> None:
    """Another run for what is due now, or a deferred one for the next retry."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS)
    if Notification.objects.due(now=now, stale_before=stale_before).exists():
        send_due_notifications.enqueue()
        return
    if report.retrying and default_task_backend.supports_defer:
        next_due = (
            Notification.objects.filter(state=NotificationState.QUEUED)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
        if next_due is not None:
            send_due_notifications.using(run_after=max(next_due, now)).enqueue()
    # Without a backend that defers (the immediate one), retries wait for the
    # next run: another award's, or `manage.py send_notifications`.


def send_due_notifications_now(limit: int | None = None) -> SendReport:
    """Claim one batch of due emails and send it: the task's work, callable directly."""
    report = SendReport()
    ids = _claim(limit or settings.NOTIFY_BATCH_SIZE)
    if not ids:
        return report
    notifications = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("award__badge__organisation")
        .order_by("due_at", "pk")
    )
    try:
        _deliver(notifications, report)
    finally:
        done = [n for n in notifications if n.pk in report.outcomes]
        Notification.objects.bulk_update(done, ["state", "reason", "due_at", "sent_at", "claimed_at"])
    _enqueue_next(report)
    return report


@task()
def send_due_notifications() -> dict:
    """Send one batch of due emails over one connection, then queue a run for the rest."""
    return send_due_notifications_now().as_dict()
