"""The JSON API, one module per area as for the pages (``core/web/views``)."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.api import awards, badges, imports, me

urlpatterns = [
    path("me/", me.me, name="api-me"),
    path("me/awards/", awards.MyAwardListView.as_view(), name="api-my-awards"),
    path("me/progress/", me.my_progress, name="api-my-progress"),
    path("me/imports/", imports.MyImportListView.as_view(), name="api-my-imports"),
    path(
        "me/imports/requests/<uuid:request_id>/",
        imports.MyImportRequestView.as_view(),
        name="api-my-import-request",
    ),
    path("orgs/<slug:org>/badges/", badges.BadgeListView.as_view(), name="api-badges"),
    path("orgs/<slug:org>/badges/<slug:slug>/", badges.BadgeDetailView.as_view(), name="api-badge"),
    path(
        "orgs/<slug:org>/badges/<slug:slug>/awards/",
        awards.BadgeAwardListView.as_view(),
        name="api-badge-awards",
    ),
    path("orgs/<slug:org>/awards/", awards.OrganisationAwardListView.as_view(), name="api-org-awards"),
    path("awards/<uuid:award_id>/", awards.AwardDetailView.as_view(), name="api-award"),
    path("awards/<uuid:award_id>/revoke/", awards.AwardRevokeView.as_view(), name="api-award-revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script served apart (no inline script); it styles
    # itself with a <style> block and style attributes, which its page alone allows.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]
