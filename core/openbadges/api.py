"""``GET, POST /api/me/imports/``: the badges an employee brought in from other issuers.

Verification lives in ``core.services.imports``; each refusal comes back as the
API's one error shape, ``{"message", "extra": {"reason"}}``, the reason being
one of ``core.openbadges.verify.Reason`` (``unreachable``, ``not_badge``,
``not_yours``, ``revoked``, ``expired``, ``tampered``...).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.errors import ApiError
from core.api.serializers import ErrorSerializer
from core.models import ImportedBadge
from core.openbadges.checks import BadgeRejected, Reason
from core.services import imports as import_services
from core.services.awards import absolute_url


class ImportedBadgeSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="current_status", help_text="active, expired or revoked.")
    image_url = serializers.SerializerMethodField(help_text="The image the badge came with (owner only).")

    class Meta:
        model = ImportedBadge
        fields = [
            "id",
            "badge_name",
            "issuer_name",
            "issuer_url",
            "recipient_email",
            "issued_on",
            "expires_on",
            "status",
            "revocation_reason",
            "source",
            "assertion_url",
            "image_url",
            "checked_at",
            "created_at",
            "assertion",
            "badge_class",
            "issuer",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, imported: ImportedBadge) -> str:
        return absolute_url(reverse("import-image", args=[imported.pk]))


class ImportRequestSerializer(serializers.Serializer):
    assertion_url = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="The hosted assertion's URL."
    )
    image = serializers.FileField(
        required=False, help_text="Or a baked PNG or SVG (multipart/form-data), carrying the assertion."
    )


@extend_schema(tags=["imports"])
class MyImportListView(generics.ListAPIView):
    serializer_class = ImportedBadgeSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportedBadge.objects.none()
        return ImportedBadge.objects.owned_by(self.request.user).order_by("-issued_on", "-created_at")

    @extend_schema(
        summary="My imported badges",
        description="Badges earned elsewhere that the signed-in user imported, newest first.",
        responses={200: ImportedBadgeSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Import a badge earned elsewhere",
        description="Give `assertion_url` (JSON) or upload a baked `image` (multipart). The assertion, "
        "its badge class and issuer are fetched and checked: it must be issued to the user's email, "
        "not revoked, not expired, and a baked image must carry the hosted assertion. A refusal says "
        "why in `message`, with a machine-readable `extra.reason`.",
        request={
            "application/json": ImportRequestSerializer,
            "multipart/form-data": ImportRequestSerializer,
        },
        responses={201: ImportedBadgeSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, *args, **kwargs):
        data = ImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            imported = import_services.imported_badge_create(
                owner=request.user,
                emails=import_services.owner_emails(request.identity),
                assertion_url=data.validated_data.get("assertion_url", ""),
                image=data.validated_data.get("image"),
            )
        except BadgeRejected as err:
            code = status.HTTP_409_CONFLICT if err.reason == Reason.DUPLICATE else status.HTTP_400_BAD_REQUEST
            raise ApiError(err.message, extra={"reason": err.reason}, status_code=code) from err
        return Response(ImportedBadgeSerializer(imported).data, status=status.HTTP_201_CREATED)
