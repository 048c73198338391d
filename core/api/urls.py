from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api import views, views_awards, views_badges
from core.openbadges import api as openbadges_api

urlpatterns = [
    path("me/", views.me, name="api-me"),
    path("me/awards/", views_awards.MyAwardListView.as_view(), name="api-my-awards"),
    path("me/imports/", openbadges_api.MyImportListView.as_view(), name="api-my-imports"),
    path("orgs/<slug:org>/badges/", views_badges.BadgeListView.as_view(), name="api-badges"),
    path("orgs/<slug:org>/badges/<slug:slug>/", views_badges.BadgeDetailView.as_view(), name="api-badge"),
    path(
        "orgs/<slug:org>/badges/<slug:slug>/awards/",
        views_awards.BadgeAwardListView.as_view(),
        name="api-badge-awards",
    ),
    path("orgs/<slug:org>/awards/", views_awards.OrganisationAwardListView.as_view(), name="api-org-awards"),
    path("awards/<uuid:award_id>/", views_awards.AwardDetailView.as_view(), name="api-award"),
    path("awards/<uuid:award_id>/revoke/", views_awards.AwardRevokeView.as_view(), name="api-award-revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
