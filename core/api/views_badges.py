"""Badges of an organisation: members read them, managers design them.

Views stay thin: check access (``core.access``), check the shape of the input,
call the service, serialize. Outsiders get 404.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
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
from core.api.serializers import (
    BadgeCreateSerializer,
    BadgeCreateUploadSerializer,
    BadgeFilterSerializer,
    BadgeSerializer,
    BadgeUpdateSerializer,
    BadgeUpdateUploadSerializer,
    ErrorSerializer,
    validated,
)
from core.models import Badge
from core.services.badges import badge_archive, badge_create, badge_restore, badge_update

PARSERS = [JSONParser, MultiPartParser, FormParser]


@extend_schema(tags=["badges"])
class BadgeListView(generics.ListAPIView):
    serializer_class = BadgeSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Badge.objects.none()
        organisation = member_organisation_or_404(self.request.identity, self.kwargs["org"])
        badges = Badge.objects.for_organisations([organisation.slug])
        archived = validated(BadgeFilterSerializer, self.request.query_params)["archived"]
        if archived is not None:
            badges = badges.filter(archived_at__isnull=not archived)
        return badges.order_by("name", "slug")

    @extend_schema(
        summary="An organisation's badges",
        description="For its members and managers; archived badges are included unless filtered out.",
        parameters=[BadgeFilterSerializer],
        responses={200: BadgeSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Design a new badge",
        description="Managers only. Send JSON with an https `image_url`, or multipart form data "
        "with an `image` file (PNG or SVG).",
        request={
            "application/json": BadgeCreateSerializer,
            "multipart/form-data": BadgeCreateUploadSerializer,
        },
        responses={201: BadgeSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, org: str):
        organisation = managed_organisation_or_404(request.identity, org)
        data = validated(BadgeCreateUploadSerializer, request.data)
        badge = badge_create(organisation=organisation, actor=request.user, **data)
        return Response(BadgeSerializer(badge).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["badges"])
class BadgeDetailView(APIView):
    parser_classes = PARSERS

    @extend_schema(
        summary="A badge",
        description="For members of its organisation, and for anyone who holds it.",
        responses={200: BadgeSerializer, 404: ErrorSerializer},
    )
    def get(self, request, org: str, slug: str):
        badge = visible_badge_or_404(request.identity, request.identity.email, org, slug)
        return Response(BadgeSerializer(badge).data)

    @extend_schema(
        summary="Change a badge, archive or restore it",
        description="Managers only. Only the fields sent change. `archived: true` stops new awards; "
        "awards already made stay valid.",
        request={
            "application/json": BadgeUpdateSerializer,
            "multipart/form-data": BadgeUpdateUploadSerializer,
        },
        responses={200: BadgeSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def patch(self, request, org: str, slug: str):
        badge = managed_badge_or_404(request.identity, org, slug)
        changes = validated(BadgeUpdateUploadSerializer, request.data, partial=True)
        archived = changes.pop("archived", None)
        with transaction.atomic():  # the changes and the archiving together, or neither
            if changes:
                badge = badge_update(badge=badge, actor=request.user, **changes)
            if archived is True:
                badge = badge_archive(badge=badge, actor=request.user)
            elif archived is False:
                badge = badge_restore(badge=badge, actor=request.user)
        return Response(BadgeSerializer(badge).data)
