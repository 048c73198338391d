from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from core.views.media import serve_media

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}core/favicon.svg")),
    path("api/", include("core.api.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
    path("", include("core.openbadges.urls")),
    path("", include("core.urls")),
]

handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"
