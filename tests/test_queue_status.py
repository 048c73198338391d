"""manage.py queue_status: the operator's view of the background queue."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.services.awards import award_batch_create
from core.services.recipients import Recipient
from tests.support.factories import make_badge


def status(*args) -> str:
    out = StringIO()
    call_command("queue_status", *args, stdout=out)
    return out.getvalue()


def test_it_shows_what_waits_and_fails_when_nobody_works(db_tasks):
    award_batch_create(
        badge=make_badge(), actor=None, recipients=[Recipient("ada@x.org"), Recipient("bo@x.org")]
    )
    text = status()
    assert [line.split()[-1] for line in text.splitlines() if line.startswith("emails queued")] == ["2"]
    ready = [int(line.split()[-1]) for line in text.splitlines() if line.startswith("tasks ready to run")]
    assert ready[0] >= 1  # the emails' task (and the credentials' signing)
    db_tasks.tasks().update(enqueued_at=timezone.now() - timedelta(minutes=10))
    with pytest.raises(CommandError, match="are the workers running"):
        status("--max-wait", "60")


def test_after_the_worker_nothing_waits(db_tasks, smtp_server):
    award_batch_create(badge=make_badge(), actor=None, recipients=[Recipient("ada@x.org")])
    db_tasks.run_worker()
    text = status("--max-wait", "60")
    assert "emails sent" in text
    assert [line.split()[-1] for line in text.splitlines() if line.startswith("tasks ready to run")] == ["0"]
    assert [line.split()[-1] for line in text.splitlines() if line.startswith("emails sent")] == ["1"]
