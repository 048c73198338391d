from django.urls import include, path

urlpatterns = [
    path("api/", include("core.api.urls")),
    path("", include("core.urls")),
]

handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"
