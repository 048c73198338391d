"""``/api/me/``: the signed-in user (the pages' header and home)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from core.api.serializers.me import MeSerializer


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user, their email, their organisations and roles."""
    return Response(MeSerializer(request.identity).data)
