from django.urls import path

from core.openbadges import personal_views, views

urlpatterns = [
    # Public (PUBLIC_PATH_PREFIXES lists "/ob/" and "/awards/"): backpacks and validators read these.
    path("ob/issuers/<slug:org>", views.issuer, name="ob-issuer"),
    path("ob/issuers/<slug:org>/revocations", views.revocation_list, name="ob-revocation-list"),
    path("ob/badges/<slug:org>/<slug:slug>", views.badge_class, name="ob-badgeclass"),
    path("ob/badges/<slug:org>/<slug:slug>/image.png", views.badge_class_image, name="ob-badgeclass-image"),
    path("ob/assertions/<uuid:award_id>", views.assertion, name="ob-assertion"),
    path("awards/<uuid:award_id>/badge.png", views.baked_png, name="award-baked-png"),
    path("awards/<uuid:award_id>/badge.svg", views.baked_svg, name="award-baked-svg"),
    # The employee's own (session required).
    path("me/badges.zip", personal_views.badges_zip, name="me-export"),
    path("imports/", personal_views.imports, name="imports"),
    path("imports/<uuid:import_id>/delete/", personal_views.import_delete, name="import-delete"),
    path("imports/<uuid:import_id>/image", personal_views.import_image, name="import-image"),
]
