"""``GET, POST /api/me/imports/``: the badges an employee brought in from other issuers.

Verification lives in ``core.services.imports`` and runs in the background: a
POST answers 202 with the import's status URL (``GET /api/me/imports/requests/<id>/``),
pending until a worker has verified or refused it. What needs no fetch is
refused at once, in the API's one error shape, ``{"message", "extra": {"reason"}}``;
a refusal found by the worker is in the status, with the same message and
reason, one of ``core.domain.openbadges.checks.Reason`` (``unreachable``,
``not_badge``, ``not_yours``, ``revoked``, ``expired``, ``tampered``...).
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core import access
from core.api.errors import ApiError
from core.api.serializers import ErrorSerializer, validated
from core.api.serializers.imports import (
    ImportedBadgeSerializer,
    ImportRequestSerializer,
    ImportStatusSerializer,
    credential_text,
)
from core.domain.openbadges.checks import BadgeRejected, Reason
from core.models import ImportedBadge, ImportRequest
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
        "issued to the user's email, not revoked, not expired.\n\n"
        "The check runs in the background: the answer is **202** with the import's status (`url`, "
        "also in `Location`), `pending` until it is `verified` (with the badge in `imported`) or "
        "`refused` (with `message` and `reason`). What needs no fetch is refused at once: 400 (no or "
        "several sources, an upload that is not an image, text that is no credential), 409 (this "
        "assertion is already imported), 429 (already two imports being checked, or too many in a "
        "minute, with `Retry-After`), each saying why in `message`, with a machine-readable "
        "`extra.reason`.",
        request={
            "application/json": ImportRequestSerializer,
            "multipart/form-data": ImportRequestSerializer,
        },
        responses={
            202: ImportStatusSerializer,
            400: ErrorSerializer,
            409: ErrorSerializer,
            429: ErrorSerializer,
        },
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
            import_request = import_services.import_request_create(
                owner=request.user,
                emails=emails_of(request.identity),
                assertion_url=data.get("assertion_url", ""),
                image=data.get("image"),
                credential=credential_text(data.get("credential")),
            )
        except BadgeRejected as err:
            raise _api_error(err) from err
        body = ImportStatusSerializer(import_request).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


def _api_error(err: BadgeRejected) -> ApiError:
    if isinstance(err, import_services.ImportThrottled):
        return ApiError(
            err.message,
            extra={"reason": err.reason},
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            retry_after=err.retry_after,
        )
    code = status.HTTP_409_CONFLICT if err.reason == Reason.DUPLICATE else status.HTTP_400_BAD_REQUEST
    return ApiError(err.message, extra={"reason": err.reason}, status_code=code)


@extend_schema_view(
    get=extend_schema(
        summary="An import's status",
        description="`pending` while a worker fetches and verifies it, then `verified` (the badge is in "
        "`imported`), `refused` (`message` says why, `reason` for machines) or `failed` (the check did "
        "not finish: import it again). Owner only; others get 404.",
    ),
)
@extend_schema(tags=["imports"])
class MyImportRequestView(generics.RetrieveAPIView):
    serializer_class = ImportStatusSerializer

    def get_object(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportRequest()
        return access.owned_import_request_or_404(self.request.user, self.kwargs["request_id"])
