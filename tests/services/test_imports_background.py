"""Imports checked in the background: queued on commit, claimed once, never stuck, limited per person."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from core.domain.openbadges.checks import BadgeRejected, Reason
from core.models import ImportedBadge, ImportRequest, ImportState
from core.services import imports
from core.services.imports import (
    CHECK_FAILED,
    IN_FLIGHT,
    ImportThrottled,
    import_request_create,
    import_request_retry,
    import_request_run,
)
from tests.conftest import client_with_cookie
from tests.support.sessions import mint_cookie

BOB = "bob@cowork.net"


def ask(owner, url, emails=(BOB,)) -> ImportRequest:
    return import_request_create(owner=owner, emails=list(emails), assertion_url=url)


@pytest.mark.django_db
class TestAsking:
    @pytest.fixture
    def owner(self):
        return User.objects.create(username="bob")

    def test_the_request_only_queues_the_check_on_commit(self, owner, fake_issuer, committed):
        url = fake_issuer.assertion("queued", BOB)["id"]

        with committed() as callbacks:
            pending = ask(owner, url)
            assert fake_issuer.requests == []  # nothing fetched inside the request
            assert ImportRequest.objects.get().state == ImportState.PENDING

        assert len(callbacks) == 1  # the enqueue, once committed
        pending.refresh_from_db()
        assert pending.state == ImportState.VERIFIED
        assert pending.message == "“Python Programming” from Globex Academy is verified and added."

    def test_a_rolled_back_request_queues_nothing(self, owner, fake_issuer, committed):
        url = fake_issuer.assertion("rolled-back", BOB)["id"]

        with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
            ask(owner, url)
            raise RuntimeError("the rest of the request failed")

        assert callbacks == [] and not ImportRequest.objects.exists()
        assert fake_issuer.requests == []

    @pytest.mark.parametrize(
        ("given", "reason", "says"),
        [
            ({}, Reason.BAD_UPLOAD, "one of the three"),
            ({"assertion_url": "http://[::1"}, Reason.REFUSED, "a valid http(s) link"),
            ({"credential": "not json"}, Reason.NOT_BADGE, "it is not JSON"),
            ({"image": SimpleUploadedFile("a.txt", b"text")}, Reason.BAD_UPLOAD, "not a PNG or SVG image"),
        ],
    )
    def test_what_needs_no_fetch_is_refused_at_once(self, owner, given, reason, says):
        with pytest.raises(BadgeRejected) as caught:
            import_request_create(owner=owner, emails=[BOB], **given)

        assert caught.value.reason == reason and says in caught.value.message
        assert not ImportRequest.objects.exists()

    def test_without_an_email_nothing_is_queued(self, owner):
        with pytest.raises(BadgeRejected) as caught:
            ask(owner, "https://issuer.example/a", emails=())
        assert caught.value.reason == Reason.NO_EMAIL

    def test_an_upload_is_kept_until_checked_then_dropped(self, owner, fake_issuer, committed):
        baked = fake_issuer.baked_png(fake_issuer.assertion("baked", BOB))
        with committed():
            pending = import_request_create(
                owner=owner, emails=[BOB], image=SimpleUploadedFile("badge.png", baked)
            )
            assert bytes(ImportRequest.objects.get().upload) == baked
        pending.refresh_from_db()
        assert (pending.state, pending.upload) == (ImportState.VERIFIED, None)

    def test_at_most_two_in_flight_per_person(self, owner, fake_issuer):
        ask(owner, fake_issuer.assertion("one", BOB)["id"])
        ask(owner, fake_issuer.assertion("two", BOB)["id"])

        with pytest.raises(ImportThrottled) as caught:
            ask(owner, fake_issuer.assertion("three", BOB)["id"])

        assert caught.value.reason == Reason.IN_FLIGHT
        assert caught.value.message == IN_FLIGHT % {"count": 2}
        other = User.objects.create(username="hana")  # another person is not held up
        assert ask(
            other, fake_issuer.assertion("hanas", "hana@snakeoil.example")["id"], emails=["h@x.example"]
        )

    def test_a_stale_import_no_longer_counts_in_flight(self, owner, fake_issuer, settings):
        for name in ("one", "two"):
            ask(owner, fake_issuer.assertion(name, BOB)["id"])
        ImportRequest.objects.update(
            queued_at=timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
        )

        assert ask(owner, fake_issuer.assertion("three", BOB)["id"])

    def test_a_per_minute_limit_per_person(self, owner, fake_issuer, settings, committed):
        settings.IMPORTS_PER_MINUTE = 3
        for name in ("a", "b", "c"):
            with committed():
                ask(owner, fake_issuer.assertion(name, "eve@example.com")["id"])  # refused: out of flight

        with pytest.raises(ImportThrottled) as caught:
            ask(owner, fake_issuer.assertion("d", BOB)["id"])

        assert caught.value.reason == Reason.THROTTLED and 1 <= caught.value.retry_after <= 60
        assert ImportRequest.objects.count() == 3


@pytest.mark.django_db
class TestTheCheck:
    @pytest.fixture
    def owner(self):
        return User.objects.create(username="bob")

    def test_it_runs_once_however_often_it_is_queued(self, owner, fake_issuer):
        pending = ask(owner, fake_issuer.assertion("once", BOB)["id"])

        import_request_run(request_id=pending.pk)
        again = import_request_run(request_id=pending.pk)

        assert again.state == ImportState.VERIFIED and again.attempts == 1
        assert ImportedBadge.objects.count() == 1

    def test_a_refusal_keeps_the_message_the_import_always_gave(self, owner, fake_issuer):
        pending = ask(owner, fake_issuer.assertion("mallory", "mallory@example.com")["id"])

        done = import_request_run(request_id=pending.pk)

        assert (done.state, done.reason) == (ImportState.REFUSED, Reason.NOT_YOURS)
        assert done.message.startswith("This badge was issued to someone else")
        assert done.finished_at is not None

    def test_a_crash_fails_the_import_which_can_be_tried_again(self, owner, fake_issuer, monkeypatch):
        pending = ask(owner, fake_issuer.assertion("crash", BOB)["id"])

        def broken(**kwargs):
            raise ZeroDivisionError("a bug")

        monkeypatch.setattr(imports, "imported_badge_create", broken)
        failed = import_request_run(request_id=pending.pk)
        assert (failed.state, failed.message) == (ImportState.FAILED, str(CHECK_FAILED))
        assert failed.current_state == ImportState.FAILED

        monkeypatch.undo()
        import_request_retry(import_request=failed)
        assert import_request_run(request_id=pending.pk).state == ImportState.VERIFIED

    def test_a_stale_import_is_failed_not_run_and_can_be_tried_again(self, owner, fake_issuer, settings):
        pending = ask(owner, fake_issuer.assertion("late", BOB)["id"])
        ImportRequest.objects.update(
            queued_at=timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
        )
        pending.refresh_from_db()
        assert pending.current_state == ImportState.FAILED and "did not finish in time" in pending.outcome

        assert import_request_run(request_id=pending.pk).started_at is None  # its late task does nothing

        import_request_retry(import_request=pending)
        assert import_request_run(request_id=pending.pk).state == ImportState.VERIFIED

    def test_only_a_failed_import_is_tried_again(self, owner, fake_issuer):
        pending = ask(owner, fake_issuer.assertion("fresh", BOB)["id"])

        with pytest.raises(BadgeRejected):
            import_request_retry(import_request=pending)

    def test_a_dismissed_import_is_not_run(self, owner, fake_issuer):
        pending = ask(owner, fake_issuer.assertion("gone", BOB)["id"])
        ImportRequest.objects.filter(pk=pending.pk).delete()

        assert import_request_run(request_id=pending.pk) is None
        assert fake_issuer.requests == []

    def test_the_messages_are_in_the_language_of_the_page_that_asked(self, owner, fake_issuer):
        with translation.override("fr"):
            pending = ask(owner, fake_issuer.assertion("fr", "mallory@example.com")["id"])

        done = import_request_run(request_id=pending.pk)  # a worker: no request, no language

        assert done.message.startswith("Ce badge a été délivré à quelqu’un d’autre")


class TestWithTheDatabaseQueue:
    """The real queue (django-tasks-db) and its worker, with real commits."""

    def test_the_import_waits_pending_for_a_worker(self, db_tasks, fake_issuer):
        owner = User.objects.create(username="bob")
        pending = ask(owner, fake_issuer.assertion("queued", BOB)["id"])

        task = DBTaskResult.objects.get()
        assert task.task_path == "core.services.imports.run_import"
        assert task.args_kwargs["args"] == [str(pending.pk)]
        assert ImportRequest.objects.get().current_state == ImportState.PENDING
        assert fake_issuer.requests == []

        db_tasks.run_worker()

        assert ImportRequest.objects.get().state == ImportState.VERIFIED
        assert ImportedBadge.objects.get().badge_name == "Python Programming"

    def test_a_request_is_served_while_a_slow_peer_holds_a_worker(
        self, db_tasks, fake_issuer, settings, sessions
    ):
        # The peer answers after 3 s. While the worker waits on it, someone else asks for a page.
        settings.OPENBADGES_FETCH_TIMEOUT = 10
        owner = User.objects.create(username="bob")
        slow = fake_issuer.route("/assertions/slow", body=b"{}", delay=3)
        ask(owner, slow)
        seen = {}

        def someone_else():
            try:
                for _ in range(200):  # until the worker is waiting on the peer
                    if "/assertions/slow" in fake_issuer.requests:
                        break
                    time.sleep(0.05)
                client = client_with_cookie(mint_cookie(sessions["alice"]))
                seen["status"] = client.get(reverse("home")).status_code
                seen["import"] = ImportRequest.objects.get().state  # still being checked
            finally:
                connection.close()

        visitor = threading.Thread(target=someone_else)
        visitor.start()
        db_tasks.run_worker()  # the worker, in this thread (it installs signal handlers)
        visitor.join(timeout=30)

        assert seen == {"status": 200, "import": ImportState.PENDING}
        assert ImportRequest.objects.get().state == ImportState.REFUSED
