"""``recheck_imports``: imported badges revoked or expired since their import are marked so."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from core.models import ImportStatus
from core.services.imports import imported_badge_create

pytest_plugins = ["tests.openbadges_support"]  # the fake_issuer fixture

pytestmark = pytest.mark.django_db

BOB = "bob@cowork.net"


@pytest.fixture
def owner():
    return User.objects.create(username="bob")


def imported(owner, fake_issuer, name, **kwargs):
    document = fake_issuer.assertion(name, BOB, **kwargs)
    return imported_badge_create(owner=owner, emails=[BOB], assertion_url=document["id"])


def recheck() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("recheck_imports", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_badge_revoked_since_is_marked_revoked_with_the_reason(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "later-revoked")
    fake_issuer.revoke("later-revoked", reason="Exam fraud")

    out, _ = recheck()

    badge.refresh_from_db()
    assert badge.status == ImportStatus.REVOKED
    assert "Exam fraud" in badge.revocation_reason
    assert "1 now revoked" in out


def test_a_badge_expired_since_is_marked_expired(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "soon", expires=datetime.now(UTC) + timedelta(days=1))
    fake_issuer.assertion("soon", BOB, expires=datetime.now(UTC) - timedelta(minutes=1))

    out, _ = recheck()

    badge.refresh_from_db()
    assert badge.status == ImportStatus.EXPIRED
    assert "1 now expired" in out


def test_a_valid_badge_stays_valid_and_is_marked_checked(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "fine")
    before = badge.checked_at

    recheck()

    badge.refresh_from_db()
    assert badge.status == ImportStatus.ACTIVE
    assert badge.checked_at > before


def test_an_unreachable_issuer_leaves_the_status_and_reports_it(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "offline")
    fake_issuer.close()

    out, err = recheck()

    badge.refresh_from_db()
    assert badge.status == ImportStatus.ACTIVE
    assert "could not be checked" in out and "could not reach" in err
