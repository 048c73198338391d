"""Awards: managers award and revoke, recipients read their own.

All-or-nothing batches and revocation rules live in ``core.services.awards``;
who may see what in ``core.access``. Outsiders get 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core import selectors
from core.access import (
    managed_award_or_404,
    managed_badge_or_404,
    managed_organisation_or_404,
    readable_award_or_404,
)
from core.api.errors import ApiError
from core.api.serializers import (
    AwardBatchRequestSerializer,
    AwardBatchResultSerializer,
    AwardFilterSerializer,
    AwardRevokeSerializer,
    AwardSerializer,
    ErrorSerializer,
    validated,
)
from core.models import Award
from core.services.awards import award_batch_create, award_revoke
from core.services.recipients import RecipientErrors, check_recipients

INVALID_RECIPIENTS = "Some recipients are not valid: no one was awarded."


def _filtered(awards, query_params):
    """``?q=`` and ``?status=`` applied, badge and organisation joined, newest first."""
    filters = validated(AwardFilterSerializer, query_params)
    awards = awards.with_badge().search(filters["q"])
    if filters["status"]:
        awards = awards.with_status(filters["status"])
    return awards.newest_first()


@extend_schema(tags=["awards"])
class AwardListView(generics.ListAPIView):
    """Base of the award lists: subclasses say which awards, after checking access."""

    serializer_class = AwardSerializer

    def awards(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Award.objects.none()
        return _filtered(self.awards(), self.request.query_params)


class BadgeAwardListView(AwardListView):
    def awards(self):
        badge = managed_badge_or_404(self.request.identity, self.kwargs["org"], self.kwargs["slug"])
        return selectors.holders_of(badge)

    @extend_schema(
        summary="Who holds a badge",
        description="Managers only. Every award of the badge, revoked and expired ones included.",
        parameters=[AwardFilterSerializer],
        responses={200: AwardSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Award a badge to one or many people",
        description="Managers only. Everyone is awarded, or no one: problems are reported per "
        'recipient in `extra.recipients`, keyed by position from 1 (e.g. `{"2": "…"}`). People who '
        "already hold the badge are listed in `already_held` and not awarded twice. Each recipient "
        "gets an email.",
        request=AwardBatchRequestSerializer,
        responses={201: AwardBatchResultSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, org: str, slug: str):
        badge = managed_badge_or_404(request.identity, org, slug)
        serializer = AwardBatchRequestSerializer(data=request.data)
        if not serializer.is_valid():
            _raise_recipient_shape_errors(serializer.errors)
            serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rows = [(number, r["email"], r["name"]) for number, r in enumerate(data["recipients"], start=1)]
        try:
            recipients = check_recipients(rows)
        except RecipientErrors as err:
            raise ApiError(INVALID_RECIPIENTS, {"recipients": _by_position(err.lines)}) from err
        result = award_batch_create(
            badge=badge,
            actor=request.user,
            recipients=recipients,
            evidence_url=data["evidence_url"],
            narrative=data["narrative"],
        )
        return Response(AwardBatchResultSerializer(result).data, status=status.HTTP_201_CREATED)


def _by_position(lines: dict[int, str]) -> dict[str, str]:
    return {str(number): message for number, message in lines.items()}


def _raise_recipient_shape_errors(errors: dict) -> None:
    """A recipient without an email (or not an object) is reported like a bad email."""
    items = errors.get("recipients")
    if set(errors) != {"recipients"}:
        return
    # DRF gives a list's errors keyed by index (or, in older versions, as a list).
    by_index = items if isinstance(items, dict) else dict(enumerate(items)) if isinstance(items, list) else {}
    problems = {}
    for index, item in by_index.items():
        if isinstance(index, int) and isinstance(item, dict) and item:
            field, messages = next(iter(item.items()))
            text = " ".join(str(m) for m in messages) if isinstance(messages, list) else str(messages)
            problems[index + 1] = text if field == api_settings.NON_FIELD_ERRORS_KEY else f"{field}: {text}"
    if problems:
        raise ApiError(INVALID_RECIPIENTS, {"recipients": _by_position(problems)})


class OrganisationAwardListView(AwardListView):
    def awards(self):
        organisation = managed_organisation_or_404(self.request.identity, self.kwargs["org"])
        return selectors.organisation_awards(organisation)

    @extend_schema(
        summary="Every award of an organisation",
        description="Managers only. Newest first.",
        parameters=[AwardFilterSerializer],
        responses={200: AwardSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyAwardListView(AwardListView):
    def awards(self):
        return Award.objects.for_email(self.request.identity.email)

    @extend_schema(
        summary="My awards",
        description="Awards made to the signed-in user's email, newest first.",
        parameters=[AwardFilterSerializer],
        responses={200: AwardSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["awards"])
class AwardDetailView(APIView):
    @extend_schema(
        summary="An award",
        description="For its recipient and the managers of the issuing organisation.",
        responses={200: AwardSerializer, 404: ErrorSerializer},
    )
    def get(self, request, award_id):
        award = readable_award_or_404(request.identity, request.identity.email, award_id)
        return Response(AwardSerializer(award).data)


@extend_schema(tags=["awards"])
class AwardRevokeView(APIView):
    @extend_schema(
        summary="Revoke an award",
        description="Managers of the issuing organisation. The reason is public: the recipient and "
        "anyone verifying the award see it.",
        request=AwardRevokeSerializer,
        responses={200: AwardSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request, award_id):
        award = managed_award_or_404(request.identity, award_id)
        data = validated(AwardRevokeSerializer, request.data)
        award = award_revoke(award=award, actor=request.user, reason=data["reason"])
        return Response(AwardSerializer(award).data)
