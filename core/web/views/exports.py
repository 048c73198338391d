"""Downloads: an organisation's awards as CSV (managers), all my badges as a zip (anyone)."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from core import access
from core.domain.openbadges.downloads import write_badges_zip
from core.models import ExportState
from core.selectors.awards import awards_of
from core.selectors.exports import latest_exports
from core.selectors.imports import imported_badges_of
from core.selectors.people import emails_of
from core.services import exports as export_services
from core.services.credentials import credentials_for_awards

EXPORT_REQUESTED = _(
    "The export is being prepared. It takes a minute or so for a large organisation: "
    "refresh this page to download it."
)
NOTHING_TO_EXPORT = _(
    "You have no badges to download yet: badges awarded to you, and those you import, will be in it."
)


@require_http_methods(["GET", "POST"])
def organisation_awards_export(request, org):
    """The organisation's awards as CSV: asked for here (POST), written by a worker, listed
    here to download once ready. A request never holds a web worker for the whole file."""
    organisation = access.managed_organisation_or_404(request.identity, org)
    if request.method == "POST":
        export_services.award_export_request(organisation=organisation, actor=request.user)
        messages.success(request, EXPORT_REQUESTED)
        return redirect("awards-export", org=org)
    exports = latest_exports(organisation)
    context = {
        "organisation": organisation,
        "exports": exports,
        "preparing": any(export.state == ExportState.PREPARING for export in exports),
    }
    return render(request, "core/awards_export.html", context)


@require_safe
def organisation_awards_export_download(request, org, export_id):
    export = access.managed_ready_export_or_404(request.identity, org, export_id)
    filename = f"{slugify(export.organisation.slug) or 'organisation'}-awards.csv"
    response = FileResponse(
        export.file.open("rb"), content_type="text/csv; charset=utf-8", as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
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
