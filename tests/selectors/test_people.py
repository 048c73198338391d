"""emails_of: the one list of a person's addresses."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.domain.identity import SessionIdentity
from core.models import EmailAddress
from core.selectors.people import email_addresses_of, emails_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def yuki():
    user = User.objects.create(username="yuki")
    EmailAddress.objects.create(user=user, email="yuki@old-job.example", confirmed_at=timezone.now())
    EmailAddress.objects.create(user=user, email="yuki@pending.example")
    return user


def test_the_session_address_first_then_confirmed_ones(yuki):
    identity = SessionIdentity(username="yuki", email="yuki@cowork.net")
    with CaptureQueriesContext(connection) as queries:
        assert emails_of(identity) == ["yuki@cowork.net", "yuki@old-job.example"]
    assert len(queries) == 1


def test_without_a_session_address_only_the_confirmed_ones(yuki):
    assert emails_of(SessionIdentity(username="yuki")) == ["yuki@old-job.example"]


def test_someone_elses_addresses_are_not_mine(yuki):
    User.objects.create(username="zed")
    assert emails_of(SessionIdentity(username="zed", email="zed@cowork.net")) == ["zed@cowork.net"]


def test_nobody_has_no_addresses(yuki):
    with CaptureQueriesContext(connection) as queries:
        assert emails_of(SessionIdentity()) == []
        assert email_addresses_of(SessionIdentity()) == []
    assert len(queries) == 0


def test_the_page_lists_pending_ones_too(yuki):
    assert [a.email for a in email_addresses_of(SessionIdentity(username="yuki"))] == [
        "yuki@old-job.example",
        "yuki@pending.example",
    ]
