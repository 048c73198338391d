"""A badge changed while it is being awarded: the rules hold across the two transactions.

Needs concurrent writers (PostgreSQL). Each test holds one side's transaction
open until the other is seen waiting for the badge row's lock in
``pg_locks`` (or the wait times out, as it does without the lock), then
commits: no sleeping, no guessing how long the other side takes.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from core.models import Award, Badge
from core.services.awards import BADGE_ARCHIVED, award_batch_create
from core.services.badges import SLUG_FIXED, badge_archive, badge_update
from core.services.recipients import Recipient
from tests.support.factories import make_badge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (DATABASE_URL)"
    ),
]


def someone_waits_for_a_lock(seconds: float = 5.0) -> bool:
    """True once another backend waits for a row lock held by this one."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False


def in_thread(work):
    """Run ``work`` in a thread with its own connection; returns (thread, outcome)."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as err:  # reported by the test
            outcome["error"] = err
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_badge_archived_while_a_batch_waits_is_not_awarded():
    badge = make_badge()
    stale = Badge.objects.get(pk=badge.pk)  # what the award page loaded: not archived

    with transaction.atomic():
        badge_archive(badge=badge, actor=None)  # archived, not committed yet
        thread, outcome = in_thread(
            lambda: award_batch_create(
                badge=stale, actor=None, recipients=[Recipient("zoe@x.org")], notify=False
            )
        )
        waited = someone_waits_for_a_lock()
    thread.join(timeout=30)

    assert waited, "the batch should wait for the badge row"
    assert isinstance(outcome.get("error"), ValidationError)
    assert outcome["error"].messages == [BADGE_ARCHIVED]
    assert not Award.objects.filter(badge=badge).exists()


def test_a_slug_cannot_change_under_a_batch_in_flight():
    badge = make_badge(slug="first-aid")
    stale = Badge.objects.get(pk=badge.pk)  # the edit page saw no award: the slug was editable

    with transaction.atomic():
        award_batch_create(badge=badge, actor=None, recipients=[Recipient("zoe@x.org")], notify=False)
        thread, outcome = in_thread(lambda: badge_update(badge=stale, actor=None, slug="renamed"))
        waited = someone_waits_for_a_lock()
    thread.join(timeout=30)

    assert waited
    assert isinstance(outcome.get("error"), ValidationError)
    assert outcome["error"].message_dict == {"slug": [SLUG_FIXED]}
    assert Badge.objects.get(pk=badge.pk).slug == "first-aid"
    assert Award.objects.filter(badge__slug="first-aid").count() == 1
