"""Two managers award the same people at the same moment: one award each, never two.

Needs a database that takes concurrent writers (PostgreSQL); CI runs the
suite there too. SQLite serialises writers, so it has no race to test.
"""

import threading

import pytest
from django.db import connection, connections

from core.models import Award
from core.services.awards import award_batch_create
from core.services.recipients import Recipient
from tests.support.factories import make_badge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (DATABASE_URL)"
    ),
]


def test_concurrent_batches_give_each_person_one_award():
    badge = make_badge()
    emails = [f"person{i}@cowork.net" for i in range(40)]
    start = threading.Barrier(2)
    results, errors = [], []

    def manager():
        try:
            start.wait(timeout=10)
            results.append(
                award_batch_create(
                    badge=badge, actor=None, recipients=[Recipient(email=e) for e in emails], notify=False
                )
            )
        except Exception as err:  # reported below, with the assertion
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=manager) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Award.objects.filter(badge=badge).count() == len(emails)
    awarded = [a.recipient_email for r in results for a in r.awarded]
    held = [h.email for r in results for h in r.already_held]
    # Each person was awarded by exactly one manager and reported as held to the other.
    assert sorted(awarded) == sorted(emails)
    assert sorted(held) == sorted(emails)
