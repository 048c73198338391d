"""Automatic awards exactly once when the same learning arrives at the same moment, many times.

Needs a database that takes concurrent writers (PostgreSQL); CI runs the suite there
too. SQLite serialises writers, so it has no race to test.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from core.models import Award, LearningAward, LearningProgress, LearningStatement
from core.services.learning import badge_learning_set, statements_ingest
from tests.support.factories import make_badge
from tests.support.xapi import CPR, FIRST_AID, PASSED, activities, statement

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (DATABASE_URL)"
    ),
]

PEOPLE = [f"learner{n}@cowork.net" for n in range(25)]


def at_once(*batches) -> list[Exception]:
    """Ingest each batch in its own thread (and connection), all released together."""
    start = threading.Barrier(len(batches))
    errors: list[Exception] = []

    def ingest(batch):
        try:
            start.wait(timeout=10)
            statements_ingest(data=batch, source="pull")
        except Exception as err:  # reported below, with the assertion
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ingest, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def badge():
    badge = make_badge()
    badge_learning_set(
        badge=badge, actor=None, activities=activities(FIRST_AID, (CPR, "passed")), auto_award=True
    )
    return badge


def course(email: str) -> tuple[dict, dict]:
    at = timezone.now() - timedelta(minutes=10)
    return (
        statement(email, FIRST_AID, at=at, result={"completion": True}),
        statement(email, CPR, PASSED, at=at + timedelta(minutes=1), result={"success": True}),
    )


def assert_awarded_once_each(badge):
    assert Award.objects.filter(badge=badge).count() == len(PEOPLE)
    assert sorted(Award.objects.filter(badge=badge).values_list("recipient_email", flat=True)) == sorted(
        PEOPLE
    )
    assert LearningAward.objects.count() == len(PEOPLE)
    assert set(LearningProgress.objects.filter(badge=badge).values_list("percent", flat=True)) == {100}


def test_the_same_statements_synced_four_times_at_once_award_each_person_once(badge):
    batch = [s for email in PEOPLE for s in course(email)]
    assert at_once(batch, batch, list(reversed(batch)), batch) == []
    assert LearningStatement.objects.count() == len(batch)
    assert_awarded_once_each(badge)


def test_the_two_halves_of_a_course_arriving_at_once_still_complete_it(badge):
    """Each batch alone is half the course: whichever commits second must see the other."""
    courses = [course(email) for email in PEOPLE]
    assert at_once([first for first, _ in courses], [second for _, second in courses]) == []
    assert_awarded_once_each(badge)


def test_repeated_concurrent_syncs_never_award_twice(badge):
    courses = [s for email in PEOPLE for s in course(email)]
    for _ in range(3):
        assert at_once(courses[::2] + courses[1::2], courses, courses[::-1]) == []
    assert_awarded_once_each(badge)


def test_two_syncs_of_one_lrs_at_once_read_it_once_and_award_once(badge, start_ralph, settings):
    from core.services.learning_sync import learning_sync

    ralph = start_ralph(page_size=10)
    settings.LRS_ENDPOINT = ralph.endpoint
    settings.LRS_USERNAME, settings.LRS_PASSWORD = ralph.credentials.username, ralph.credentials.password
    ralph.post([s for email in PEOPLE for s in course(email)])
    start = threading.Barrier(2)
    results, errors = [], []

    def sync():
        try:
            start.wait(timeout=10)
            results.append(learning_sync())
        except Exception as err:  # reported below, with the assertion
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # One run read the LRS; the other found the lease taken (or, started after, read nothing new).
    assert sum(result.stored for result in results) == 2 * len(PEOPLE)
    assert_awarded_once_each(badge)
