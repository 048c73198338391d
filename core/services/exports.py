"""An organisation's awards as a CSV file, written by a worker into private storage.

At 300,000 awards the file takes 10-20 s to write: streamed from a request it held a
web worker as long. A manager asks for it (``award_export_request``), a task writes it
(``build_award_export_task``), and the page lists it, ready to download, once done.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import tempfile
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task

from core.models import AwardExport, ExportState, Organisation
from core.selectors.exports import organisation_award_rows

logger = logging.getLogger(__name__)

# A request while one is still being prepared gets that one, unless it is this old
# (its worker may have stopped): then a new one is made.
EXPORT_STALE_AFTER = timedelta(minutes=15)
EXPORTS_KEPT = 5  # per organisation, the latest; older files are deleted
CSV_ROWS_A_CHUNK = 1000


def award_export_request(*, organisation: Organisation, actor: User | None) -> AwardExport:
    """Have the organisation's awards written to a file in the background."""
    with transaction.atomic():
        # One request at a time per organisation: two clicks make one export.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        pending = (
            AwardExport.objects.filter(
                organisation=organisation,
                state=ExportState.PREPARING,
                requested_at__gt=timezone.now() - EXPORT_STALE_AFTER,
            )
            .order_by("-requested_at")
            .first()
        )
        if pending is not None:
            return pending
        export = AwardExport.objects.create(organisation=organisation, requested_by=actor)
        transaction.on_commit(lambda: build_award_export_task.enqueue(export_id=str(export.pk)))
        for old in AwardExport.objects.filter(organisation=organisation)[EXPORTS_KEPT:]:
            old.file.delete(save=False)
            old.delete()
    return export


@task()
def build_award_export_task(export_id: str) -> int:
    """Background: write the export's file; the number of awards in it."""
    return award_export_build(export_id=export_id)


def award_export_build(*, export_id) -> int:
    export = AwardExport.objects.select_related("organisation").filter(pk=export_id).first()
    if export is None or export.state != ExportState.PREPARING:
        return export.rows if export else 0  # pruned meanwhile, or run twice
    try:
        with tempfile.TemporaryFile() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            text.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
            writer = csv.writer(text)
            rows = organisation_award_rows(export.organisation)
            count = -1  # the header
            while chunk := list(itertools.islice(rows, CSV_ROWS_A_CHUNK)):
                writer.writerows(chunk)
                count += len(chunk)
            text.flush()
            raw.seek(0)
            name = f"{slugify(export.organisation.slug) or 'organisation'}-awards-{export.pk}.csv"
            export.file.save(name, File(raw), save=False)
            text.detach()
    except Exception as err:
        # The page says so, and the task fails where an operator sees it (queue_status).
        export.state, export.reason, export.finished_at = ExportState.FAILED, str(err), timezone.now()
        export.save(update_fields=["state", "reason", "finished_at"])
        raise
    export.state, export.rows, export.finished_at = ExportState.READY, count, timezone.now()
    export.save(update_fields=["state", "rows", "finished_at", "file"])
    logger.info("Export %s of %s: %d awards", export.pk, export.organisation.slug, count)
    return count
