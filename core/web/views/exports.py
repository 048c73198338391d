"""Downloads: an organisation's awards as CSV (managers), all my badges as a zip (anyone)."""

import csv
import io
import itertools

from django.contrib import messages
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core import access
from core.domain.openbadges.downloads import write_badges_zip
from core.selectors.awards import awards_of
from core.selectors.exports import organisation_award_rows
from core.selectors.imports import imported_badges_of
from core.selectors.people import emails_of
from core.services.credentials import credentials_for_awards

NOTHING_TO_EXPORT = _(
    "You have no badges to download yet: badges awarded to you, and those you import, will be in it."
)

# Rows written to the connection together: one write per row was 300,000 writes.
CSV_ROWS_A_CHUNK = 1000


@require_safe
def organisation_awards_csv(request, org):
    organisation = access.managed_organisation_or_404(request.identity, org)

    def stream():
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        rows = organisation_award_rows(organisation)
        while chunk := list(itertools.islice(rows, CSV_ROWS_A_CHUNK)):
            writer.writerows(chunk)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    filename = f"{slugify(organisation.slug) or 'organisation'}-awards.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def my_badges_zip(request):
    """All my awards (baked PNG, SVG when drawn in SVG, assertion JSON; the same for their
    Open Badges 3.0 credentials) and my imported badges."""
    awards = list(awards_of(emails_of(request.identity)))
    imported = list(imported_badges_of(request.user))
    if not awards and not imported:  # an empty zip (22 bytes) says nothing: say it in words
        messages.info(request, NOTHING_TO_EXPORT)
        return redirect("home")
    credentials = credentials_for_awards(awards=[award for award in awards if award.revoked_at is None])
    archive = write_badges_zip(awards, imported, credentials)
    response = FileResponse(
        archive, content_type="application/zip", as_attachment=True, filename="my-badges.zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
