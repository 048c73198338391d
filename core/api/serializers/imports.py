"""Badges imported from other issuers, in the API."""

import json

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.lib.urls import absolute_url
from core.models import ImportedBadge, ImportRequest, ImportState


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
            "version",
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
    credential = serializers.JSONField(
        required=False,
        help_text="Or an Open Badges 3.0 credential: the JSON object, or its text.",
    )


def credential_text(value) -> str:
    """The credential as the import service takes it: JSON text."""
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else json.dumps(value)


class ImportStatusSerializer(serializers.ModelSerializer):
    """An import asked for: pending while a worker checks it, then its outcome."""

    url = serializers.SerializerMethodField(
        help_text="This import's status, to poll until it is not pending."
    )
    status = serializers.ChoiceField(
        source="current_state",
        choices=ImportState.choices,
        help_text="pending (being checked), verified, refused (see message and reason), or failed "
        "(the check did not finish: try again).",
    )
    reason = serializers.CharField(help_text="Why it was refused: not_yours, revoked, unreachable...")
    message = serializers.CharField(source="outcome", help_text="The outcome, in words.")
    imported = ImportedBadgeSerializer(allow_null=True, help_text="The badge, once verified.")

    class Meta:
        model = ImportRequest
        fields = [
            "id",
            "url",
            "status",
            "source",
            "assertion_url",
            "reason",
            "message",
            "imported",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, import_request: ImportRequest) -> str:
        return absolute_url(reverse("api-my-import-request", args=[import_request.pk]))
