"""``/api/me/``: the signed-in user (the pages' header and home); ``/api/me/progress/``: their learning."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from core.api.pagination import PageNumberPagination
from core.api.serializers.learning import ProgressSerializer
from core.api.serializers.me import MeSerializer
from core.selectors.learning import progress_of
from core.selectors.people import emails_of


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user, their email addresses, their organisations and roles."""
    identity = request.identity
    return Response(MeSerializer(identity, context={"emails": emails_of(identity)}).data)


@extend_schema(
    summary="My progress toward the badges on offer",
    description="Each badge my organisations offer that requires learning activities: how many are done, "
    "which, and my current award of it (null if none). Most advanced first.",
    responses=ProgressSerializer(many=True),
)
@api_view(["GET"])
def my_progress(request):
    items = progress_of(request.identity, emails_of(request.identity))
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(items, request)
    return paginator.get_paginated_response(ProgressSerializer(page, many=True).data)
