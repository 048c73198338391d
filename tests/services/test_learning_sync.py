"""Pulling from a real LRS (Ralph): ``learning_sync`` and ``manage.py sync_learning``.

Ralph keeps one batch per fresh store (tests/support/ralph.py), so each test writes
its statements at once; its pages hold 4 statements here, so every test crosses pages.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import Award, LearningProgress, LearningStatement, LearningSyncState
from core.services.learning import badge_learning_set
from core.services.learning_sync import _take_lease, learning_sync
from tests.support.factories import make_badge
from tests.support.xapi import ATTEMPTED, CPR, FIRE, FIRST_AID, PASSED, activities, statement, voiding

pytestmark = pytest.mark.django_db


@pytest.fixture
def lrs(start_ralph, settings):
    """A fresh Ralph whose pages hold 4 statements, set as the app's LRS."""
    ralph = start_ralph(page_size=4)
    settings.LRS_ENDPOINT = ralph.endpoint
    settings.LRS_USERNAME = ralph.credentials.username
    settings.LRS_PASSWORD = ralph.credentials.password
    return ralph


@pytest.fixture
def badge():
    badge = make_badge(name="First Aid at Work")
    badge_learning_set(
        badge=badge, actor=None, activities=activities(FIRST_AID, (CPR, "passed", "0.8")), auto_award=True
    )
    return badge


def bobs_course() -> list[dict]:
    """An LMS reports as it happens: the last few minutes.

    (Ralph's filesystem backend compares ``since`` with ``timestamp``, so what a resumed run
    re-reads is bounded by ``LRS_SYNC_OVERLAP`` counted back from the last ``stored``.)
    """
    now = timezone.now()
    return [
        statement(activity=FIRST_AID, verb=ATTEMPTED, at=now - timedelta(minutes=3)),
        statement(activity=FIRST_AID, at=now - timedelta(minutes=2), result={"completion": True}),
        statement(
            activity=CPR,
            verb=PASSED,
            at=now - timedelta(minutes=1),
            result={"success": True, "score": {"scaled": 0.9}},
        ),
    ]


def others(count: int) -> list[dict]:
    at = timezone.now() - timedelta(minutes=2)
    return [statement(f"colleague{n}@cowork.net", activity=FIRE, at=at) for n in range(count)]


def test_a_pulled_completion_moves_the_progress_bar_and_awards_the_badge(lrs, badge):
    lrs.post(others(6) + bobs_course())
    result = learning_sync()
    assert (result.read, result.stored, result.pages) == (9, 9, 3)
    assert result.awarded == 1
    progress = LearningProgress.objects.get(badge=badge, email="bob@cowork.net")
    assert progress.percent == 100
    assert Award.objects.get(badge=badge).recipient_email == "bob@cowork.net"
    state = LearningSyncState.objects.get(endpoint=lrs.endpoint)
    assert state.since == max(s.stored for s in LearningStatement.objects.all())
    assert state.lease_owner == "" and state.last_read == 9


def test_a_second_run_changes_nothing_and_awards_nothing(lrs, badge):
    lrs.post(bobs_course() + others(3))
    learning_sync()
    again = learning_sync()
    assert again.stored == 0
    assert again.awarded == 0
    assert Award.objects.filter(badge=badge).count() == 1
    assert LearningStatement.objects.count() == 6


def test_it_resumes_where_an_interrupted_run_stopped(lrs, badge):
    lrs.post(others(6) + bobs_course())
    first = learning_sync(max_pages=1)
    assert (first.pages, first.stored) == (1, 4)
    assert not Award.objects.exists()
    rest = learning_sync()
    assert rest.stored == 5
    assert LearningStatement.objects.count() == 9
    assert Award.objects.filter(badge=badge).count() == 1


def test_voiding_read_from_the_lrs_undoes_progress(lrs, badge):
    course = bobs_course()
    lrs.post([*course, voiding(course[2])])
    result = learning_sync()
    assert result.voided == 1
    assert LearningProgress.objects.get(badge=badge, email="bob@cowork.net").done == 1
    assert not Award.objects.exists()


def test_a_run_while_another_holds_the_cursor_does_nothing(lrs, badge):
    lrs.post(bobs_course())
    assert _take_lease(lrs.endpoint, "another-host:1234") is not None
    result = learning_sync()
    assert result.busy
    assert LearningStatement.objects.count() == 0


def test_a_lease_left_by_a_dead_run_expires(lrs, badge, settings):
    lrs.post(bobs_course())
    _take_lease(lrs.endpoint, "dead-host:1")
    LearningSyncState.objects.filter(endpoint=lrs.endpoint).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert learning_sync().stored == 3


def test_the_command_reports_what_it_read(lrs, badge):
    lrs.post(bobs_course())
    out = StringIO()
    call_command("sync_learning", stdout=out)
    assert "Read 3 statements in 1 pages" in out.getvalue()
    assert re.search(r"in \d+\.\ds:", out.getvalue())
    assert "1 badges awarded" in out.getvalue()


def test_wrong_credentials_fail_loudly_and_release_the_cursor(lrs, settings):
    settings.LRS_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="401"):
        call_command("sync_learning", stdout=StringIO())
    state = LearningSyncState.objects.get(endpoint=lrs.endpoint)
    assert "401" in state.last_error
    assert state.lease_owner == ""


def test_without_an_lrs_the_command_says_what_to_set(settings):
    settings.LRS_ENDPOINT = ""
    with pytest.raises(CommandError, match="LRS_ENDPOINT"):
        call_command("sync_learning", stdout=StringIO())


def test_the_worker_runs_the_same_sync(lrs, badge, settings):
    """``sync_learning --enqueue`` queues it; the suite's task backend runs it at once."""
    lrs.post(bobs_course())
    out = StringIO()
    call_command("sync_learning", "--enqueue", stdout=out)
    assert "Queued the sync" in out.getvalue()
    assert Award.objects.filter(badge=badge).count() == 1
    assert LearningStatement.objects.count() == 3
