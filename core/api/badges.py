"""Badges of an organisation: members read them, managers design them (pages: ``web/views/badges``).

Views stay thin: check access (``core.access``), check the shape of the input,
call the service, serialize. Outsiders get 404.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import (
    managed_badge_or_404,
    managed_organisation_or_404,
    member_organisation_or_404,
    visible_badge_or_404,
)
from core.api.errors import ApiError
from core.api.serializers import ErrorSerializer, validated
from core.api.serializers.badges import (
    BadgeChangeSerializer,
    BadgeChangeUploadSerializer,
    BadgeFilterSerializer,
    BadgeInputSerializer,
    BadgeInputUploadSerializer,
    BadgeSerializer,
)
from core.models import Badge
from core.selectors.badges import organisation_badges
from core.selectors.people import emails_of
from core.services.badges import badge_archive, badge_create, badge_restore, badge_update
from core.services.learning import LearningInvalid, badge_learning_set, clean_learning

PARSERS = [JSONParser, MultiPartParser, FormParser]
LEARNING_INVALID = gettext_lazy("The learning activities are not valid.")


@extend_schema_view(
    get=extend_schema(
        summary="An organisation's badges",
        description="For its members and managers; archived badges are included unless filtered out.",
        parameters=[BadgeFilterSerializer],
        responses={200: BadgeSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
    ),
    post=extend_schema(
        summary="Design a new badge",
        description="Managers only. Send JSON with an https `image_url`, or multipart form data "
        "with an `image` file (PNG or SVG).",
        request={
            "application/json": BadgeInputSerializer,
            "multipart/form-data": BadgeInputUploadSerializer,
        },
        responses={201: BadgeSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    ),
)
@extend_schema(tags=["badges"])
class BadgeListView(generics.ListAPIView):
    serializer_class = BadgeSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Badge.objects.none()
        organisation = member_organisation_or_404(self.request.identity, self.kwargs["org"])
        archived = validated(BadgeFilterSerializer, self.request.query_params)["archived"]
        return organisation_badges(organisation, archived=archived)

    def post(self, request, org: str):
        organisation = managed_organisation_or_404(request.identity, org)
        data = validated(BadgeInputUploadSerializer, request.data)
        learning = data.pop("learning", None)
        with transaction.atomic():  # the badge and its learning together, or neither
            activities = _checked_activities(learning["activities"]) if learning else []
            badge = badge_create(organisation=organisation, actor=request.user, **data)
            if learning:
                badge_learning_set(
                    badge=badge, actor=request.user, activities=activities, auto_award=learning["auto_award"]
                )
        return Response(BadgeSerializer(badge).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="A badge",
        description="For members of its organisation, and for anyone who holds it.",
        responses={200: BadgeSerializer, 404: ErrorSerializer},
    ),
    patch=extend_schema(
        summary="Change a badge, archive or restore it",
        description="Managers only. Only the fields sent change. `archived: true` stops new awards; "
        "awards already made stay valid.",
        request={
            "application/json": BadgeChangeSerializer,
            "multipart/form-data": BadgeChangeUploadSerializer,
        },
        responses={200: BadgeSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    ),
)
@extend_schema(tags=["badges"])
class BadgeDetailView(APIView):
    parser_classes = PARSERS

    def get(self, request, org: str, slug: str):
        badge = visible_badge_or_404(request.identity, emails_of(request.identity), org, slug)
        return Response(BadgeSerializer(badge).data)

    def patch(self, request, org: str, slug: str):
        badge = managed_badge_or_404(request.identity, org, slug)
        changes = validated(BadgeChangeUploadSerializer, request.data, partial=True)
        archived = changes.pop("archived", None)
        learning = changes.pop("learning", None)
        with transaction.atomic():  # the changes and the archiving together, or neither
            if learning is not None:
                current = [
                    {
                        "id": r.activity_id,
                        "name": r.name,
                        "url": r.url,
                        "requires": r.requires,
                        "min_score": r.min_score,
                    }
                    for r in badge.learning_requirements.all()
                ]
                activities = _checked_activities(learning.get("activities", current))
            if changes:
                badge = badge_update(badge=badge, actor=request.user, **changes)
            if learning is not None:
                badge_learning_set(
                    badge=badge,
                    actor=request.user,
                    activities=activities,
                    auto_award=learning.get("auto_award", badge.learning_auto_award),
                )
            if archived is True:
                badge = badge_archive(badge=badge, actor=request.user)
            elif archived is False:
                badge = badge_restore(badge=badge, actor=request.user)
        return Response(BadgeSerializer(badge).data)


def _checked_activities(activities: list[dict]) -> list:
    """The service's one check of a badge's learning; its problems in the API's error shape."""
    try:
        return clean_learning(activities)
    except LearningInvalid as err:
        fields = {
            str(index): {field: [message] for field, message in problems.items()}
            for index, problems in err.activities.items()
        }
        raise ApiError(
            err.general or str(LEARNING_INVALID),
            {"fields": {"learning": {"activities": fields}}},
        ) from err
