"""The awards export: asked for once, written by a worker into private storage, pruned."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AwardExport, ExportState, Organisation
from core.models.exports import export_storage
from core.services import exports
from core.services.exports import EXPORTS_KEPT, award_export_build, award_export_request
from tests.support.factories import award, make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def cowork():
    return make_badge(name="First Aid").organisation


def read(export: AwardExport) -> list[dict]:
    with export.file.open("rb") as handle:
        text = handle.read().decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs then read it as UTF-8
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_worker_writes_every_award_of_the_organisation(cowork, django_capture_on_commit_callbacks):
    badge = cowork.badges.get()
    for n in range(3):
        award(badge, f"p{n}@cowork.net")
    award(make_badge(org="snakeoil", name="Other"), "hana@snakeoil.example")
    with django_capture_on_commit_callbacks(execute=True):
        export = award_export_request(organisation=cowork, actor=None)
    export.refresh_from_db()
    assert (export.state, export.rows) == (ExportState.READY, 3)
    assert export.finished_at is not None
    assert sorted(row["recipient_email"] for row in read(export)) == [f"p{n}@cowork.net" for n in range(3)]


def test_nothing_is_written_before_the_request_commits(cowork, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = award_export_request(organisation=cowork, actor=None)
    assert export.state == ExportState.PREPARING and not export.file
    assert len(callbacks) == 1  # the task, queued on commit


def test_asking_again_while_one_is_prepared_gives_that_one(cowork, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = award_export_request(organisation=cowork, actor=None)
        assert award_export_request(organisation=cowork, actor=None) == first
    AwardExport.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert award_export_request(organisation=cowork, actor=None) != first  # its worker may have stopped


def test_only_the_latest_exports_are_kept_files_included(cowork, django_capture_on_commit_callbacks):
    made, files = [], []
    for n in range(EXPORTS_KEPT + 2):
        with django_capture_on_commit_callbacks(execute=True):
            made.append(award_export_request(organisation=cowork, actor=None).pk)
        AwardExport.objects.filter(pk=made[-1]).update(requested_at=timezone.now() - timedelta(days=10 - n))
        files.append(AwardExport.objects.get(pk=made[-1]).file.name)
    kept = set(AwardExport.objects.filter(organisation=cowork).values_list("pk", flat=True))
    assert kept == set(made[2:])
    assert [export_storage().exists(name) for name in files] == [False, False] + [True] * EXPORTS_KEPT


def test_a_failure_is_recorded_for_the_page_and_raised_for_the_operator(cowork, monkeypatch):
    export = AwardExport.objects.create(organisation=cowork)

    def broken(organisation):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "organisation_award_rows", broken)
    with pytest.raises(OSError, match="disk full"):
        award_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert (export.state, export.reason) == (ExportState.FAILED, "disk full")


def test_running_twice_writes_once(cowork):
    export = AwardExport.objects.create(organisation=cowork)
    assert award_export_build(export_id=export.pk) == 0
    name = AwardExport.objects.get(pk=export.pk).file.name
    assert award_export_build(export_id=export.pk) == 0
    assert AwardExport.objects.get(pk=export.pk).file.name == name
    assert Organisation.objects.count() == 1
