from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

from core.api.xapi import StatementsView
from core.web.views.media import serve_media

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}core/favicon.svg")),
    path("api/", include("core.api.urls")),
    # xAPI statements pushed by an LMS or an LRS (HTTP Basic, no proxy session).
    path("xapi/statements", StatementsView.as_view(), name="xapi-statements"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
    path("", include("core.web.urls")),
]

handler403 = "core.web.views.errors.permission_denied"
handler404 = "core.web.views.errors.page_not_found"
handler500 = "core.web.views.errors.server_error"
