"""The pages. Public prefixes (``settings.PUBLIC_PATH_PREFIXES``) answer without a session."""

from django.urls import path

from core.web.views import (
    awards,
    badges,
    dashboard,
    directory,
    exports,
    home,
    imports,
    mockup_login,
    notifications,
    openbadges,
    people,
    preferences,
    profiles,
    verify,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", mockup_login.login_view, name="login"),
    path("logout/", mockup_login.logout_view, name="logout"),
    path("verify/", verify.verify, name="verify"),
    # Where the DjaoDjin proxy sends people: after a login without ?next=, and
    # from the organisations in its user menu.
    path("app/", people.app_entry, name="app-entry"),
    path("app/<slug:org>/", people.app_organisation, name="app-organisation"),
    # Public under "/i18n/": the language switcher is on every page, public ones too.
    path("i18n/setlang/", preferences.set_language, name="set_language"),
    # Managers' pages and members' badge pages.
    path("orgs/<slug:org>/badges/", badges.badge_list, name="badge-list"),
    path("orgs/<slug:org>/badges/new/", badges.badge_create, name="badge-create"),
    path("orgs/<slug:org>/badges/<slug:slug>/", badges.badge_detail, name="badge-detail"),
    path("orgs/<slug:org>/badges/<slug:slug>/edit/", badges.badge_edit, name="badge-edit"),
    path("orgs/<slug:org>/badges/<slug:slug>/archive/", badges.badge_archive, name="badge-archive"),
    path("orgs/<slug:org>/badges/<slug:slug>/progress/", badges.badge_progress, name="badge-progress"),
    path("orgs/<slug:org>/badges/<slug:slug>/award/", awards.award_create, name="award-create"),
    path("orgs/<slug:org>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("orgs/<slug:org>/dashboard/<slug:dataset>.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("orgs/<slug:org>/people/", directory.people_search, name="people-search"),
    path("orgs/<slug:org>/people/person/", directory.person_detail, name="person-detail"),
    path("orgs/<slug:org>/exports/", exports.organisation_awards_export, name="awards-export"),
    path(
        "orgs/<slug:org>/exports/<uuid:export_id>/awards.csv",
        exports.organisation_awards_export_download,
        name="awards-export-download",
    ),
    path("orgs/<slug:org>/awards/<uuid:award_id>/revoke/", awards.award_revoke, name="award-revoke"),
    path("orgs/<slug:org>/batches/<uuid:batch_id>/", notifications.award_batch, name="award-batch"),
    path("orgs/<slug:org>/notifications/", notifications.organisation_notifications, name="notifications"),
    path("orgs/<slug:org>/notifications/resend/", notifications.resend, name="notifications-resend"),
    # The employee's own.
    path("me/badges.zip", exports.my_badges_zip, name="me-export"),
    path("me/profile/", profiles.my_profile, name="my-profile"),
    path("me/emails/", people.my_emails, name="my-emails"),
    path("me/emails/<int:address_id>/resend/", people.my_email_resend, name="my-email-resend"),
    path("me/emails/<int:address_id>/remove/", people.my_email_remove, name="my-email-remove"),
    path("me/emails/confirm/<str:token>/", people.email_confirm, name="email-confirm"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<uuid:import_id>/delete/", imports.import_delete, name="import-delete"),
    path(
        "imports/requests/<uuid:request_id>/retry/", imports.import_request_retry, name="import-request-retry"
    ),
    path(
        "imports/requests/<uuid:request_id>/dismiss/",
        imports.import_request_dismiss,
        name="import-request-dismiss",
    ),
    path("imports/<uuid:import_id>/image", imports.import_image, name="import-image"),
    # Public under "/awards/": an award's page, its email check and its baked images.
    path("awards/<uuid:award_id>/", awards.award_detail, name="award-detail"),
    # A person's public earner profile, when they publish it: under "/awards/", public already.
    path("awards/of/<str:token>/", profiles.public_profile, name="profile-public"),
    path("awards/<uuid:award_id>/check-email/", awards.award_check_email, name="award-check-email"),
    path("awards/<uuid:award_id>/badge.png", openbadges.baked_png, name="award-baked-png"),
    path("awards/<uuid:award_id>/badge.svg", openbadges.baked_svg, name="award-baked-svg"),
    path(
        "awards/<uuid:award_id>/credential.png", openbadges.credential_baked_png, name="award-credential-png"
    ),
    path(
        "awards/<uuid:award_id>/credential.svg", openbadges.credential_baked_svg, name="award-credential-svg"
    ),
    # Public under "/ob/": the hosted Open Badges documents backpacks and validators read.
    path("ob/issuers/<slug:org>", openbadges.issuer, name="ob-issuer"),
    path("ob/issuers/<slug:org>/revocations", openbadges.revocation_list, name="ob-revocation-list"),
    path("ob/badges/<slug:org>/<slug:slug>", openbadges.badge_class, name="ob-badgeclass"),
    path(
        "ob/badges/<slug:org>/<slug:slug>/image.png", openbadges.badge_class_image, name="ob-badgeclass-image"
    ),
    path("ob/assertions/<uuid:award_id>", openbadges.assertion, name="ob-assertion"),
    # Open Badges 3.0: signed credentials, each issuer's did:web document and status lists.
    path("ob/credentials/<uuid:award_id>", openbadges.credential, name="ob-credential"),
    path("ob/issuers/<slug:org>/did.json", openbadges.did_document, name="ob-did"),
    path("ob/issuers/<slug:org>/status/<int:number>", openbadges.status_list, name="ob-status-list"),
]
