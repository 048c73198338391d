"""The API's JSON, one module per area; shared pieces here.

Output serializers read models; input serializers check shapes (badge input is
built from the model, as the page's form is), then views hand the data to the
services, which hold the rules. Every URL in an output is absolute, built from
``BADGEAPP_BASE_URL``.
"""

from rest_framework import serializers

from core.lib.urls import absolute_url
from core.models import Badge


def badge_image_url(badge: Badge) -> str:
    """The badge image as an absolute URL: the upload, else the https URL."""
    src = badge.image_src
    return src if not src or src.startswith(("https://", "http://")) else absolute_url(src)


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers."""

    message = serializers.CharField()
    extra = serializers.DictField()


class OrganisationSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    printable_name = serializers.CharField(read_only=True)


def validated(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """The serializer's validated data, or a 400 in the API's error shape."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
