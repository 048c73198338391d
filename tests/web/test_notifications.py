"""Managers see each award's email: queued, sent, failed with the reason; and send it again."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationKind, NotificationState
from core.services.awards import award_batch_create
from core.services.recipients import Recipient
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(alice):
    alice.get(reverse("home"))
    return alice


@pytest.fixture
def badge(manager):
    return make_badge()


def batch_of(badge, *emails, notify=True):
    return award_batch_create(
        badge=badge, actor=None, recipients=[Recipient(e) for e in emails], notify=notify
    )


def fail(email: str, reason: str = "550 5.1.1 No such user here"):
    Notification.objects.filter(award__recipient_email=email).update(
        state=NotificationState.FAILED, reason=reason
    )


def test_the_holders_table_shows_each_email_state_and_reason(manager, badge):
    batch_of(badge, "sent@x.org", "failed@x.org", "queued@x.org")
    batch_of(badge, "quiet@x.org", notify=False)
    Notification.objects.filter(award__recipient_email="sent@x.org").update(
        state=NotificationState.SENT, sent_at=timezone.now()
    )
    fail("failed@x.org")
    page = manager.get(reverse("badge-detail", args=["cowork", badge.slug])).content.decode()
    body = page.split('data-testid="holders"')[1].split('data-testid="holder-cards"')[0]  # the wide table
    assert body.count('data-state="sent"') == 1 and body.count('data-state="failed"') == 1
    assert body.count('data-state="queued"') == 1 and body.count('data-state="none"') == 1
    assert "550 5.1.1 No such user here" in body


def test_the_holders_table_reads_the_states_in_one_query(manager, badge, django_assert_max_num_queries):
    batch_of(badge, *[f"p{i}@x.org" for i in range(20)])
    url = reverse("badge-detail", args=["cowork", badge.slug])
    manager.get(url)
    with django_assert_max_num_queries(12) as few:
        manager.get(url)
    queries_for_20 = len(few.captured_queries)
    batch_of(badge, *[f"q{i}@x.org" for i in range(5)])
    manager.get(url)  # the holders' count is kept in the cache: warm it again, as above
    with django_assert_max_num_queries(queries_for_20):
        manager.get(url)


def test_resend_from_the_award_page(manager, badge, django_capture_on_commit_callbacks):
    given = batch_of(badge, "failed@x.org").awarded[0]
    fail("failed@x.org")
    page = reverse("award-detail", args=[given.pk])
    body = manager.get(page).content.decode()
    assert "Award email failed" in body and "550 5.1.1 No such user here" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            reverse("notifications-resend", args=["cowork"]),
            {"award": str(given.pk), "kind": "awarded", "next": page},
            follow=True,
        )
    assert response.request["PATH_INFO"] == page
    assert "The email to failed@x.org is queued again." in response.content.decode()
    assert Notification.objects.get().state == NotificationState.SENT
    assert [m.to for m in mail.outbox] == [["failed@x.org"]]


def test_the_award_page_shows_emails_to_managers_only(manager, badge, bob):
    given = batch_of(badge, "bob@cowork.net").awarded[0]
    assert (
        'data-testid="award-notifications"'
        in manager.get(reverse("award-detail", args=[given.pk])).content.decode()
    )
    assert (
        'data-testid="award-notifications"'
        not in bob.get(reverse("award-detail", args=[given.pk])).content.decode()
    )


def test_a_manager_cannot_resend_another_organisations_award(hana, badge):
    given = batch_of(badge, "zoe@x.org").awarded[0]
    fail("zoe@x.org")
    hana.get(reverse("home"))
    response = hana.post(reverse("notifications-resend", args=["snakeoil"]), {"award": str(given.pk)})
    assert response.status_code == 404
    assert Notification.objects.get().state == NotificationState.FAILED


def test_the_organisation_page_counts_and_lists_failures(manager, badge, django_capture_on_commit_callbacks):
    batch_of(badge, "a@x.org", "b@x.org", "c@x.org")
    fail("a@x.org")
    fail("b@x.org", "451 4.3.0 Gave up after 6 attempts")
    other = make_badge(org="snakeoil", name="Other")
    batch_of(other, "elsewhere@x.org")
    Notification.objects.filter(award__recipient_email="elsewhere@x.org").update(
        state=NotificationState.FAILED
    )
    response = manager.get(reverse("notifications", args=["cowork"]))
    counts = response.context["counts"]
    assert (counts["failed"], counts["queued"]) == (2, 1)
    body = response.content.decode()
    assert "elsewhere@x.org" not in body
    assert "a@x.org" in body and "451 4.3.0 Gave up after 6 attempts" in body
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("notifications-resend", args=["cowork"]), {})
    assert Notification.objects.filter(award__badge=badge, state=NotificationState.SENT).count() == 3
    assert (
        Notification.objects.get(award__recipient_email="elsewhere@x.org").state == NotificationState.FAILED
    )


def test_the_batch_page_shows_progress_and_resends_its_failures(
    manager, badge, django_capture_on_commit_callbacks
):
    result = batch_of(badge, "a@x.org", "b@x.org", "c@x.org", "d@x.org")
    Notification.objects.filter(award__recipient_email__in=["a@x.org", "b@x.org"]).update(
        state=NotificationState.SENT
    )
    fail("c@x.org")
    url = reverse("award-batch", args=["cowork", result.batch.pk])
    response = manager.get(url)
    progress = response.context["progress"]
    assert {key: progress[key] for key in ("sent", "failed", "queued", "total", "done", "percent")} == {
        "sent": 2,
        "failed": 1,
        "queued": 1,
        "total": 4,
        "done": 3,
        "percent": 75,
    }
    body = response.content.decode()
    assert "2 sent, 1 failed, 1 waiting, of 4 emails." in body and "c@x.org" in body
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("notifications-resend", args=["cowork"]), {"batch": str(result.batch.pk)})
    assert Notification.objects.filter(state=NotificationState.SENT).count() == 4


def test_a_revoked_award_tells_its_recipient(manager, badge, django_capture_on_commit_callbacks):
    given = award(badge, "zoe@x.org")
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(reverse("award-revoke", args=["cowork", given.pk]), {"reason": "Given by mistake"})
    assert Notification.objects.get().kind == NotificationKind.REVOKED
    assert mail.outbox[0].subject == "Your award of “First Aid at Work” from Chamoix Coworking was revoked"
