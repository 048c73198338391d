"""``GET, POST /api/me/imports/``: the badges an employee brought in from other issuers.

Verification lives in ``core.services.imports``; each refusal comes back as the
API's one error shape, ``{"message", "extra": {"reason"}}``, the reason being
one of ``core.domain.openbadges.checks.Reason`` (``unreachable``, ``not_badge``,
``not_yours``, ``revoked``, ``expired``, ``tampered``...).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.errors import ApiError
from core.api.serializers import ErrorSerializer, validated
from core.api.serializers.imports import ImportedBadgeSerializer, ImportRequestSerializer, credential_text
from core.domain.openbadges.checks import BadgeRejected, Reason
from core.models import ImportedBadge
from core.selectors.imports import imported_badges_of
from core.selectors.people import emails_of
from core.services import imports as import_services


@extend_schema_view(
    get=extend_schema(
        summary="My imported badges",
        description="Badges earned elsewhere that the signed-in user imported, newest first.",
    ),
    post=extend_schema(
        summary="Import a badge earned elsewhere",
        description="Give `assertion_url` (JSON), upload a baked `image` (multipart), or give an Open "
        "Badges 3.0 `credential` (the JSON object, or its text). A 2.0 assertion, its badge class and "
        "issuer are fetched and checked; a 3.0 credential's proof (eddsa-rdfc-2022), its issuer's key "
        "(did:web fetched, or did:key), its status list and validity dates are checked. Either must be "
        "issued to the user's email, not revoked, not expired. A refusal says why in `message`, with a "
        "machine-readable `extra.reason`.",
        request={
            "application/json": ImportRequestSerializer,
            "multipart/form-data": ImportRequestSerializer,
        },
        responses={201: ImportedBadgeSerializer, 400: ErrorSerializer, 409: ErrorSerializer},
    ),
)
@extend_schema(tags=["imports"])
class MyImportListView(generics.ListAPIView):
    serializer_class = ImportedBadgeSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportedBadge.objects.none()
        return imported_badges_of(self.request.user)

    def post(self, request, *args, **kwargs):
        data = validated(ImportRequestSerializer, request.data)
        try:
            imported = import_services.imported_badge_create(
                owner=request.user,
                emails=emails_of(request.identity),
                assertion_url=data.get("assertion_url", ""),
                image=data.get("image"),
                credential=credential_text(data.get("credential")),
            )
        except BadgeRejected as err:
            code = status.HTTP_409_CONFLICT if err.reason == Reason.DUPLICATE else status.HTTP_400_BAD_REQUEST
            raise ApiError(err.message, extra={"reason": err.reason}, status_code=code) from err
        return Response(ImportedBadgeSerializer(imported).data, status=status.HTTP_201_CREATED)
