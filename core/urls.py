from django.urls import path

from core.views import awards, badges, mockup_login, pages, verify

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", mockup_login.login_view, name="login"),
    path("logout/", mockup_login.logout_view, name="logout"),
    path("verify/", verify.verify, name="verify"),
    # Managers' pages and members' badge pages.
    path("orgs/<slug:org>/badges/", badges.badge_list, name="badge-list"),
    path("orgs/<slug:org>/badges/new/", badges.badge_create, name="badge-create"),
    path("orgs/<slug:org>/badges/<slug:slug>/", badges.badge_detail, name="badge-detail"),
    path("orgs/<slug:org>/badges/<slug:slug>/edit/", badges.badge_edit, name="badge-edit"),
    path("orgs/<slug:org>/badges/<slug:slug>/archive/", badges.badge_archive, name="badge-archive"),
    path("orgs/<slug:org>/badges/<slug:slug>/award/", awards.award_create, name="award-create"),
    path("orgs/<slug:org>/awards.csv", awards.awards_export, name="awards-export"),
    path("orgs/<slug:org>/awards/<uuid:award_id>/revoke/", awards.award_revoke, name="award-revoke"),
    # Public: anyone with the link (PUBLIC_PATH_PREFIXES lists "/awards/").
    path("awards/<uuid:award_id>/", awards.award_detail, name="award-detail"),
    path("awards/<uuid:award_id>/check-email/", awards.award_check_email, name="award-check-email"),
]
