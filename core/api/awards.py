"""Awards: managers award and revoke, recipients read their own (pages: ``web/views/awards``).

All-or-nothing batches, the recipient check and revocation rules live in
``core.services``; who may see what in ``core.access``. Outsiders get 404.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import (
    managed_award_or_404,
    managed_badge_or_404,
    managed_organisation_or_404,
    readable_award_or_404,
)
from core.api.errors import ApiError
from core.api.pagination import AwardPagination
from core.api.serializers import ErrorSerializer, validated
from core.api.serializers.awards import (
    AwardBatchRequestSerializer,
    AwardBatchResultSerializer,
    AwardFilterSerializer,
    AwardRevokeSerializer,
    AwardSerializer,
)
from core.models import Award
from core.selectors.awards import awards_of, holders_of, organisation_awards
from core.selectors.people import emails_of
from core.services.awards import award_batch_create, award_revoke
from core.services.recipients import RecipientErrors

INVALID_RECIPIENTS = _("Some recipients are not valid: no one was awarded.")


def _list_schema(summary: str, description: str, *, not_found: bool = True):
    responses = {200: AwardSerializer(many=True), 400: ErrorSerializer}
    if not_found:
        responses[404] = ErrorSerializer
    return extend_schema(
        summary=summary, description=description, parameters=[AwardFilterSerializer], responses=responses
    )


@extend_schema(tags=["awards"])
class AwardListView(generics.ListAPIView):
    """Base of the award lists: subclasses say which awards, after checking access."""

    serializer_class = AwardSerializer
    pagination_class = AwardPagination

    def awards(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Award.objects.none()
        filters = validated(AwardFilterSerializer, self.request.query_params)
        awards = self.awards().search(filters["q"])
        if filters["status"]:
            awards = awards.with_status(filters["status"])
        if filters["batch"]:
            awards = awards.filter(batch_id=filters["batch"])
        return awards


@extend_schema_view(
    get=_list_schema(
        "Who holds a badge", "Managers only. Every award of the badge, revoked and expired ones included."
    ),
    post=extend_schema(
        summary="Award a badge to one or many people",
        description="Managers only. Everyone is awarded, or no one: problems are reported per "
        'recipient in `extra.recipients`, keyed by position from 1 (e.g. `{"2": "…"}`). People who '
        "already hold the badge are listed in `already_held` and not awarded twice. Each person "
        "awarded is emailed in the background unless `notify` is false; their Open Badges 3.0 "
        "credentials are signed in the background too.\n\n"
        "The answer gives counts and links, not the awards: `batch` sums it up and links its page, "
        "`awards_url` lists the awards made (this endpoint's GET with `?batch=<id>`, in pages). "
        "Until issue 14 the answer listed every award in `awarded`; a client that read it follows "
        "`awards_url` instead.",
        request=AwardBatchRequestSerializer,
        responses={201: AwardBatchResultSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    ),
)
class BadgeAwardListView(AwardListView):
    def awards(self):
        badge = managed_badge_or_404(self.request.identity, self.kwargs["org"], self.kwargs["slug"])
        return holders_of(badge)

    def post(self, request, org: str, slug: str):
        badge = managed_badge_or_404(request.identity, org, slug)
        data = validated(AwardBatchRequestSerializer, request.data)
        try:
            result = award_batch_create(
                badge=badge,
                actor=request.user,
                recipients=data["recipients"],
                evidence_url=data["evidence_url"],
                narrative=data["narrative"],
                notify=data["notify"],
            )
        except RecipientErrors as err:
            lines = {str(position): message for position, message in err.lines.items()}
            raise ApiError(INVALID_RECIPIENTS, {"recipients": lines}) from err
        return Response(AwardBatchResultSerializer(result).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=_list_schema("Every award of an organisation", "Managers only. Newest first."))
class OrganisationAwardListView(AwardListView):
    def awards(self):
        organisation = managed_organisation_or_404(self.request.identity, self.kwargs["org"])
        return organisation_awards(organisation)


@extend_schema_view(
    get=_list_schema(
        "My awards", "Awards made to the signed-in user's email addresses, newest first.", not_found=False
    )
)
class MyAwardListView(AwardListView):
    def awards(self):
        return awards_of(emails_of(self.request.identity))


@extend_schema(tags=["awards"])
class AwardDetailView(APIView):
    @extend_schema(
        summary="An award",
        description="For its recipient and the managers of the issuing organisation.",
        responses={200: AwardSerializer, 404: ErrorSerializer},
    )
    def get(self, request, award_id):
        award = readable_award_or_404(request.identity, emails_of(request.identity), award_id)
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
