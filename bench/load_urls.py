"""The app's URLs plus the benchmark's floor (bench/load_settings.py uses this URLconf)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from badgeapp.urls import handler403, handler404, handler500  # noqa: F401 (Django reads them here)


def floor(request: HttpRequest) -> HttpResponse:
    """No work: what any request costs through the settings and middleware alone."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor", floor, name="bench-floor"),
    path("", include("badgeapp.urls")),
]
