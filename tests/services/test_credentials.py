"""Signing credentials: in the background for batches, on first use otherwise, once each."""

import pytest
from django.db import IntegrityError
from django_tasks_db.models import DBTaskResult

from core.domain.credentials import proof
from core.domain.credentials.did import assertion_key
from core.models import SignedCredential
from core.services import credentials
from core.services.awards import award_batch_create
from core.services.recipients import Recipient
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def recipients(count: int) -> list[Recipient]:
    return [Recipient(email=f"p{n}@cowork.net", name="") for n in range(count)]


def test_a_batch_is_signed_in_the_background_not_in_the_request(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setattr(credentials, "SIGN_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        result = award_batch_create(badge=make_badge(), actor=None, recipients=recipients(5), notify=False)
    assert not SignedCredential.objects.exists()  # the request only queued the work
    queued = list(DBTaskResult.objects.all())
    assert len(queued) == 3  # chunks of 2, 2 and 1
    for task in queued:
        credentials.sign_credentials_task.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
    assert SignedCredential.objects.filter(award__in=result.awarded).count() == 5


def test_the_background_task_signs_each_award_of_the_batch(django_capture_on_commit_callbacks):
    # Tests run tasks as they are enqueued: the batch's credentials exist once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        result = award_batch_create(badge=make_badge(), actor=None, recipients=recipients(3), notify=False)
    rows = SignedCredential.objects.filter(award__in=result.awarded)
    assert rows.count() == 3
    document = credentials.did_document(organisation=result.awarded[0].badge.organisation)
    for row in rows:
        assert proof.verify(row.document, resolve_key=lambda vm: assertion_key(document, vm))


def test_a_fresh_award_is_signed_on_first_use_when_no_task_has_run():
    given = award(make_badge(), "bob@cowork.net")
    assert not SignedCredential.objects.exists()
    document = credentials.credential_for_award(award=given)
    assert SignedCredential.objects.get(award=given).document == document


def test_what_is_signed_is_not_signed_again():
    given = award(make_badge(), "bob@cowork.net")
    first = credentials.credential_for_award(award=given)
    assert credentials.credentials_sign(award_ids=[given.pk]) == 0
    assert credentials.credential_for_award(award=given) == first


def test_a_signer_that_loses_the_race_reads_the_winners_credential(monkeypatch):
    given = award(make_badge(), "bob@cowork.net")
    winner = credentials.credential_for_award(award=given)
    # As if the first read had run before the other signer committed.
    monkeypatch.setattr(credentials, "signed_documents", lambda ids: {})
    assert credentials.credential_for_award(award=given) == winner
    with pytest.raises(IntegrityError):
        credentials._sign_new(given)


def test_each_credential_gets_its_own_status_bit():
    badge = make_badge()
    documents = [credentials.credential_for_award(award=award(badge, f"p{n}@cowork.net")) for n in range(3)]
    indexes = {d["credentialStatus"]["statusListIndex"] for d in documents}
    assert len(indexes) == 3
