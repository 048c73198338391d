"""Badges earned elsewhere: an employee imports them (checked in the background), sees, removes them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import access
from core.domain.images import IMAGE_CONTENT_TYPES, IMAGE_CSP
from core.selectors.awards import awards_of
from core.selectors.imports import import_requests_of, imported_badges_of
from core.selectors.people import emails_of
from core.services import imports as import_services
from core.web.forms.base import add_service_errors
from core.web.forms.imports import ImportForm


def _imports_page(request, form, status=200):
    emails = emails_of(request.identity)
    context = {
        "form": form,
        "import_requests": import_requests_of(request.user),
        "imported_badges": imported_badges_of(request.user),
        "emails": emails,
        "has_awards": awards_of(emails).exists(),  # else the zip would be empty: not offered
    }
    return render(request, "core/openbadges/imports.html", context, status=status)


def _refused(form, err: ValidationError) -> int:
    """Show the service's refusal on the form; the status to answer with."""
    add_service_errors(form, err)
    return 429 if isinstance(err, import_services.ImportThrottled) else 400


@require_http_methods(["GET", "POST"])
def imports(request):
    """The import form, and the imports asked for: checked in the background, shown until done."""
    if request.method != "POST":
        return _imports_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _imports_page(request, form, status=400)
    try:
        import_services.import_request_create(
            owner=request.user,
            emails=emails_of(request.identity),
            assertion_url=form.cleaned_data["assertion_url"],
            image=form.cleaned_data["image"],
            credential=form.cleaned_data["credential"],
        )
    except ValidationError as err:  # BadgeRejected says why, in words
        return _imports_page(request, form, status=_refused(form, err))
    messages.info(request, _("We are checking your badge with its issuer: its outcome shows below."))
    return redirect("imports")


@require_POST
def import_request_retry(request, request_id):
    import_request = access.owned_import_request_or_404(request.user, request_id)
    try:
        import_services.import_request_retry(import_request=import_request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.info(request, _("We are checking your badge with its issuer again."))
    return redirect("imports")


@require_POST
def import_request_dismiss(request, request_id):
    import_request = access.owned_import_request_or_404(request.user, request_id)
    try:
        import_services.import_request_dismiss(import_request=import_request)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("imports")


@require_POST
def import_delete(request, import_id):
    imported = access.owned_import_or_404(request.user, import_id)
    import_services.imported_badge_delete(imported=imported)
    messages.success(request, _("“%(badge)s” is removed from your badges.") % {"badge": imported.badge_name})
    return redirect("imports")


@require_safe
def import_image(request, import_id):
    """The image an imported badge came with, shown to its owner only."""
    imported = access.owned_import_or_404(request.user, import_id)
    extension = "." + imported.image.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        default_storage.open(imported.image.name, "rb"),
        content_type=IMAGE_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, max-age=3600"
    # Foreign SVG is not cleaned (it is kept as issued): it must never run as us.
    response["Content-Security-Policy"] = IMAGE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
