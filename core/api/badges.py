"""Badges of an organisation: members read them, managers design them (pages: ``web/views/badges``).

Views stay thin: check access (``core.access``), check the shape of the input,
call the service, serialize. Outsiders get 404.
"""

from django.db import transaction
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

PARSERS = [JSONParser, MultiPartParser, FormParser]


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
        badge = badge_create(organisation=organisation, actor=request.user, **data)
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
        with transaction.atomic():  # the changes and the archiving together, or neither
            if changes:
                badge = badge_update(badge=badge, actor=request.user, **changes)
            if archived is True:
                badge = badge_archive(badge=badge, actor=request.user)
            elif archived is False:
                badge = badge_restore(badge=badge, actor=request.user)
        return Response(BadgeSerializer(badge).data)
