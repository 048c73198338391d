"""Pulling statements from the Learning Record Store: ``manage.py sync_learning``.

Reads the LRS's Statement API from where the last run stopped (``since``: the latest
``stored`` read, less ``LRS_SYNC_OVERLAP`` seconds), page by page, following ``more``.
Each page goes through the one ingest service and moves the cursor forward in the same
transaction, so an interrupted run resumes after the last page it finished, and memory
holds one page whatever the size of the LRS.

Safe to run twice, and at once: statements are stored once by id, awards are made once
by the award constraint, and a lease on the cursor row makes a second concurrent run
stop straight away (``busy``) instead of reading the same pages. A run that died leaves
its lease to expire (``LRS_SYNC_LEASE`` seconds).

Why the overlap: statements are not always stored in the order of their ``stored``
time (parallel writers), and some LRSs compare ``since`` with something else: Ralph's
filesystem backend compares the statements' ``timestamp``. Re-reading a window costs one
query per page (what we already have is skipped); missing a statement would cost a badge.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from core.lib.lrs import LRSClient, LRSError
from core.models.learning import LearningSyncState, StatementSource
from core.services.learning import statements_ingest

logger = logging.getLogger(__name__)

NOT_CONFIGURED = "Set LRS_ENDPOINT, LRS_USERNAME and LRS_PASSWORD to read an LRS."


@dataclass
class SyncResult:
    endpoint: str
    busy: bool = False  # another run holds the lease: this one did nothing
    pages: int = 0
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    skipped: int = 0
    voided: int = 0
    awarded: int = 0
    since: datetime | None = None  # the cursor after this run
    seconds: float = 0.0  # the run's wall time
    errors: list[str] = field(default_factory=list)


def lrs_client() -> LRSClient:
    if not (settings.LRS_ENDPOINT and settings.LRS_USERNAME and settings.LRS_PASSWORD):
        raise ImproperlyConfigured(NOT_CONFIGURED)
    return LRSClient(
        settings.LRS_ENDPOINT,
        settings.LRS_USERNAME,
        settings.LRS_PASSWORD,
        timeout=settings.LRS_TIMEOUT,
        max_page_bytes=settings.LRS_PAGE_MAX_BYTES,
        page_size=settings.LRS_PAGE_SIZE,
    )


def learning_sync(*, max_pages: int | None = None) -> SyncResult:
    """Read what the LRS stored since the last run; raises ``LRSError`` if it cannot be read."""
    began = time.monotonic()
    client = lrs_client()
    endpoint = client.endpoint
    result = SyncResult(endpoint=endpoint)
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    state = _take_lease(endpoint, owner)
    if state is None:
        result.busy = True
        return result
    result.since = state.since
    overlap = timedelta(seconds=settings.LRS_SYNC_OVERLAP)
    try:
        for page in client.pages(state.since - overlap if state.since else None):
            with transaction.atomic():
                ingested = statements_ingest(
                    data=page.statements, source=StatementSource.PULL, skip_invalid=True
                )
                if ingested.latest_stored and (result.since is None or ingested.latest_stored > result.since):
                    result.since = ingested.latest_stored
                if not _advance(endpoint, owner, result.since):
                    # Our lease expired and another run took over: it goes on from here.
                    raise LRSError("the sync lease was lost to another run")
            result.pages += 1
            result.read += len(page.statements)
            result.stored += ingested.stored
            result.duplicates += ingested.duplicates
            result.voided += ingested.voided
            result.awarded += len(ingested.awarded)
            result.skipped += len(ingested.skipped)
            for index, error in ingested.skipped:
                statement_id = (
                    page.statements[index].get("id") if isinstance(page.statements[index], dict) else None
                )
                logger.warning("Skipped statement %s from %s: %s", statement_id, page.url, error.message)
            if max_pages is not None and result.pages >= max_pages:
                break
    except LRSError as error:
        result.errors.append(str(error))
        _release(endpoint, owner, result, error=str(error))
        raise
    _release(endpoint, owner, result)
    result.seconds = time.monotonic() - began
    return result


def _take_lease(endpoint: str, owner: str) -> LearningSyncState | None:
    now = timezone.now()
    LearningSyncState.objects.get_or_create(endpoint=endpoint)
    # One conditional UPDATE: of two runs starting together, exactly one matches.
    taken = (
        LearningSyncState.objects.filter(endpoint=endpoint)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(
            lease_owner=owner,
            lease_until=now + timedelta(seconds=settings.LRS_SYNC_LEASE),
            last_started_at=now,
        )
    )
    return LearningSyncState.objects.get(endpoint=endpoint) if taken else None


def _advance(endpoint: str, owner: str, since: datetime | None) -> bool:
    """Move the cursor (never back) and renew the lease, if we still hold it."""
    changes = {"lease_until": timezone.now() + timedelta(seconds=settings.LRS_SYNC_LEASE)}
    if since is not None:
        changes["since"] = since
    held = LearningSyncState.objects.filter(endpoint=endpoint, lease_owner=owner)
    if since is not None:
        held = held.filter(Q(since__isnull=True) | Q(since__lte=since))
        if held.update(**changes):
            return True
        # The cursor is already further on (moved by hand): keep it, renew the lease.
        changes.pop("since")
        held = LearningSyncState.objects.filter(endpoint=endpoint, lease_owner=owner)
    return bool(held.update(**changes))


def _release(endpoint: str, owner: str, result: SyncResult, *, error: str = "") -> None:
    LearningSyncState.objects.filter(endpoint=endpoint, lease_owner=owner).update(
        lease_owner="",
        lease_until=None,
        last_finished_at=timezone.now(),
        last_read=result.read,
        last_error=error,
    )


@task()
def learning_sync_task(max_pages: int | None = None) -> dict:
    """The pull on a background worker (``db_worker``): ``manage.py sync_learning --enqueue``
    queues one run, e.g. from cron. A run that finds another one reading returns at once."""
    result = learning_sync(max_pages=max_pages)
    return {
        "busy": result.busy,
        "read": result.read,
        "stored": result.stored,
        "awarded": result.awarded,
        "since": result.since.isoformat() if result.since else None,
    }
