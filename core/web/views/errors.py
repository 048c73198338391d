"""Error pages: in the site's style for people, one JSON shape for the API.

They render without a database or session dependency so that they work even
when the error came from there.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"

MESSAGES = {
    403: _("You do not have access to this page. Sign in through your organisation's portal and try again."),
    404: _("The page you asked for does not exist, or is not yours to see."),
    413: _("What you sent is too large. Badge images, CSV files and imported badges have size limits."),
    500: _("Something went wrong on our side. The team has been told; please try again later."),
}
TITLES = {413: _("Too large")}
CSRF_FAILED = _(
    "This form has expired or was sent from another site. Go back, reload the page and try again."
)


def _wants_json(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _error(request, status: int):
    if _wants_json(request):
        return JsonResponse({"message": str(MESSAGES[status]), "extra": {}}, status=status)
    template = f"{status}.html" if status in (403, 404, 500) else "error.html"
    context = {"message": MESSAGES[status], "status": status, "title": TITLES.get(status, "")}
    return render(request, template, context, status=status)


def permission_denied(request, exception=None):
    return _error(request, 403)


def payload_too_large(request):
    """Answered before the body is read (``RequestBodyLimitMiddleware``)."""
    return _error(request, 413)


def csrf_failure(request, reason=""):
    """A form sent without its security token: usually an old tab; say so kindly."""
    message = str(CSRF_FAILED)
    if _wants_json(request):
        return JsonResponse({"message": message, "extra": {}}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"message": str(MESSAGES[500]), "extra": {}}, status=500)
    # No request context: context processors may be what failed.
    html = loader.get_template("500.html").render({"message": MESSAGES[500]})
    return HttpResponseServerError(html)
