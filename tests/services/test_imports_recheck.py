"""``recheck_imports``: imported badges revoked or expired since their import are marked so."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from core.management.commands import recheck_imports
from core.models import Status
from core.services.imports import imported_badge_create

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
    assert badge.status == Status.REVOKED
    assert "Exam fraud" in badge.revocation_reason
    assert "1 now revoked" in out


def test_a_badge_expired_since_is_marked_expired(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "soon", expires=datetime.now(UTC) + timedelta(days=1))
    fake_issuer.assertion("soon", BOB, expires=datetime.now(UTC) - timedelta(minutes=1))

    out, _ = recheck()

    badge.refresh_from_db()
    assert badge.status == Status.EXPIRED
    assert "1 now expired" in out


def test_a_valid_badge_stays_valid_and_is_marked_checked(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "fine")
    before = badge.checked_at

    recheck()

    badge.refresh_from_db()
    assert badge.status == Status.ACTIVE
    assert badge.checked_at > before


def test_an_unreachable_issuer_leaves_the_status_and_reports_it(owner, fake_issuer):
    badge = imported(owner, fake_issuer, "offline")
    fake_issuer.close()

    out, err = recheck()

    badge.refresh_from_db()
    assert badge.status == Status.ACTIVE
    assert "could not be checked" in out and "could not reach" in err


def test_a_malformed_url_in_a_foreign_document_is_reported_and_the_others_are_checked(owner, fake_issuer):
    odd, fine = imported(owner, fake_issuer, "odd"), imported(owner, fake_issuer, "fine")
    document = json.loads(fake_issuer.server.routes["/assertions/odd"].body)
    fake_issuer.json("/assertions/odd", {**document, "id": "http://[::1"})
    fake_issuer.revoke("fine")

    out, err = recheck()

    odd.refresh_from_db()
    fine.refresh_from_db()
    assert odd.status == Status.ACTIVE
    assert f"{odd.pk}: could not check: This is not an Open Badge" in err
    assert fine.status == Status.REVOKED
    assert "1 now revoked, 0 now expired, 1 could not be checked" in out


def test_a_badge_failing_unexpectedly_is_reported_and_does_not_stop_the_others(
    owner, fake_issuer, monkeypatch
):
    broken, fine = imported(owner, fake_issuer, "broken"), imported(owner, fake_issuer, "fine")
    fake_issuer.revoke("fine")
    original = recheck_imports.imported_badge_recheck

    def flaky(*, imported, now):
        if imported.pk == broken.pk:
            raise RuntimeError("boom")
        return original(imported=imported, now=now)

    monkeypatch.setattr(recheck_imports, "imported_badge_recheck", flaky)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 imported badges failed with an unexpected error"):
        call_command("recheck_imports", stdout=out, stderr=err)

    fine.refresh_from_db()
    assert fine.status == Status.REVOKED
    assert f"{broken.pk}: could not check: unexpected error: RuntimeError: boom" in err.getvalue()
    assert "1 now revoked, 0 now expired, 1 could not be checked" in out.getvalue()
