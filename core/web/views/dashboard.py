"""The organisation dashboard, for its managers: charts, their data as tables, and as CSV."""

import csv
import io
import uuid

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from core import access
from core.lib.urls import absolute_url
from core.models import Notification, NotificationKind, Status
from core.selectors import dashboard as selectors
from core.selectors.exports import spreadsheet_safe

EXPIRING_PER_PAGE = 25
_PLACEHOLDER = uuid.UUID(int=0)
DATASETS = ("months", "most-held", "status", "expiring", "learning")


def _window(request) -> int:
    """The expiry window asked for (``?within=60``); the shortest when absent or unknown."""
    try:
        days = int(request.GET.get("within", ""))
    except ValueError:
        return selectors.EXPIRY_WINDOWS[0]
    return days if days in selectors.EXPIRY_WINDOWS else selectors.EXPIRY_WINDOWS[0]


def _with_reminder_state(awards):
    reminder = Notification.objects.filter(award=OuterRef("pk"), kind=NotificationKind.EXPIRING)
    return awards.annotate(reminder_state=Subquery(reminder.values("state")[:1]))


@require_safe
def dashboard(request, org):
    organisation = access.managed_organisation_or_404(request.identity, org)
    summary = selectors.dashboard_summary(organisation)
    within = _window(request)
    expiring = Paginator(
        _with_reminder_state(selectors.expiring_awards(organisation, days=within)), EXPIRING_PER_PAGE
    ).get_page(request.GET.get("page"))
    status_rows = [
        (Status.ACTIVE, summary.status.active),
        (Status.EXPIRED, summary.status.expired),
        (Status.REVOKED, summary.status.revoked),
    ]
    return render(
        request,
        "core/dashboard.html",
        {
            "organisation": organisation,
            "summary": summary,
            "status_rows": status_rows,
            "windows": [(days, summary.expiring[days]) for days in selectors.EXPIRY_WINDOWS],
            "within": within,
            "pager_extra": f"within={within}&",
            "expiring": expiring,
            "bands": selectors.PROGRESS_BANDS,
        },
    )


def _rows(organisation, dataset: str, within: int) -> list[list]:
    if dataset == "expiring":
        awards = selectors.expiring_awards(organisation, days=within).values_list(
            "pk", "badge__name", "badge__slug", "recipient_email", "recipient_name", "expires_on"
        )
        prefix, _, suffix = absolute_url(reverse("award-detail", args=[_PLACEHOLDER])).partition(
            str(_PLACEHOLDER)
        )
        rows = [["award_id", "badge", "badge_slug", "recipient_email", "recipient_name", "expires_on", "url"]]
        for pk, name, slug, email, recipient, expires in awards.iterator(chunk_size=2000):
            rows.append([pk, name, slug, email, recipient, expires.isoformat(), f"{prefix}{pk}{suffix}"])
        return rows
    summary = selectors.dashboard_summary(organisation)
    if dataset == "months":
        return [["month", "issued", "revoked"]] + [
            [f"{item.month:%Y-%m}", item.issued, item.revoked] for item in summary.months
        ]
    if dataset == "most-held":
        return [["badge", "badge_slug", "holders"]] + [
            [item.name, item.slug, item.holders] for item in summary.most_held
        ]
    if dataset == "status":
        split = summary.status
        return [
            ["status", "awards"],
            [Status.ACTIVE.value, split.active],
            [Status.EXPIRED.value, split.expired],
            [Status.REVOKED.value, split.revoked],
        ]
    bands = [f"{low}-{high}%" for low, high in selectors.PROGRESS_BANDS]
    return [["badge", "badge_slug", *bands, "completed"]] + [
        [item.name, item.slug, *item.bands, item.completed] for item in summary.learning
    ]


@require_safe
def dashboard_csv(request, org, dataset):
    """One chart's data as CSV (``DATASETS``; ``expiring`` takes ``?within=``)."""
    organisation = access.managed_organisation_or_404(request.identity, org)
    if dataset not in DATASETS:
        raise Http404("No such dataset.")
    within = _window(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(buffer)
    for row in _rows(organisation, dataset, within):
        writer.writerow([cell if isinstance(cell, int) else spreadsheet_safe(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    suffix = f"-{within}-days" if dataset == "expiring" else ""
    filename = f"{slugify(organisation.slug) or 'organisation'}-{dataset}{suffix}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
