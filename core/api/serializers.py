"""The API's JSON: output serializers read models, input serializers only check shapes.

Business rules (what makes a badge or a batch valid) stay in ``core.services``:
input serializers check types and presence, then views hand the data over.
Every URL in an output is absolute, built from ``BADGEAPP_BASE_URL``.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import Award, AwardStatus, Badge
from core.openbadges import documents
from core.services.awards import absolute_url, award_url


def badge_image_url(badge: Badge) -> str:
    """The badge image as an absolute URL: the upload, else the https URL."""
    src = badge.image_src
    return src if not src or src.startswith(("https://", "http://")) else absolute_url(src)


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    printable_name = serializers.CharField()
    email = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    organisations = OrganisationRefSerializer(many=True)


class OrganisationSummarySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    printable_name = serializers.CharField(read_only=True)


# --- Badges -------------------------------------------------------------------


class BadgeSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    criteria_narrative = serializers.CharField(read_only=True)
    criteria_url = serializers.CharField(read_only=True)
    image_url = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    validity_days = serializers.IntegerField(read_only=True, allow_null=True)
    archived = serializers.BooleanField(source="is_archived", read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, badge: Badge) -> str:
        return badge_image_url(badge)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, badge: Badge) -> str:
        return absolute_url(reverse("badge-detail", args=[badge.organisation.slug, badge.slug]))


class BadgeCreateSerializer(serializers.Serializer):
    """A new badge, as JSON: its image is an ``https://`` URL."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField()
    criteria_narrative = serializers.CharField()
    slug = serializers.CharField(
        max_length=100, required=False, default="", help_text="Made from the name when left out."
    )
    criteria_url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    image_url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)
    validity_days = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="Awards expire after this."
    )


class BadgeCreateUploadSerializer(BadgeCreateSerializer):
    """A new badge, as multipart form data: its image is an uploaded PNG or SVG."""

    image = serializers.FileField(required=False)


class BadgeUpdateSerializer(serializers.Serializer):
    """Changes to a badge: only the fields sent are changed."""

    name = serializers.CharField(max_length=200, required=False)
    slug = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(required=False)
    criteria_narrative = serializers.CharField(required=False)
    criteria_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    image_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    validity_days = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    archived = serializers.BooleanField(
        required=False, help_text="Archived badges can no longer be awarded; awards made stay valid."
    )


class BadgeUpdateUploadSerializer(BadgeUpdateSerializer):
    image = serializers.FileField(required=False)


# --- Awards -------------------------------------------------------------------


class AwardBadgeSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    image_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, badge: Badge) -> str:
        return badge_image_url(badge)


class AwardSerializer(serializers.Serializer):
    """An award; expects ``Award.objects.with_badge()`` so it runs no query."""

    id = serializers.UUIDField(read_only=True)
    badge = AwardBadgeSerializer(read_only=True)
    recipient_email = serializers.EmailField(read_only=True)
    recipient_name = serializers.CharField(read_only=True)
    issued_on = serializers.DateTimeField(read_only=True)
    expires_on = serializers.DateTimeField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AwardStatus.choices, read_only=True)
    revocation_reason = serializers.CharField(read_only=True)
    evidence_url = serializers.CharField(read_only=True)
    narrative = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The award's public page.")
    assertion_url = serializers.SerializerMethodField(help_text="The hosted Open Badges 2.0 assertion.")
    image_url = serializers.SerializerMethodField(help_text="The badge image baked with the assertion.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, award: Award) -> str:
        return award_url(award)

    @extend_schema_field(OpenApiTypes.URI)
    def get_assertion_url(self, award: Award) -> str:
        return documents.assertion_id(award)

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, award: Award) -> str:
        return documents.baked_png_url(award)


class RecipientSerializer(serializers.Serializer):
    # Not an EmailField: check_recipients reports bad addresses with their position.
    email = serializers.CharField(allow_blank=True, trim_whitespace=False)
    name = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)


class AwardBatchRequestSerializer(serializers.Serializer):
    recipients = RecipientSerializer(many=True, help_text="Everyone is awarded, or no one.")
    evidence_url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    narrative = serializers.CharField(required=False, default="", allow_blank=True)


class AlreadyHeldSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    name = serializers.CharField(read_only=True)


class AwardBatchResultSerializer(serializers.Serializer):
    awarded = AwardSerializer(many=True, read_only=True)
    already_held = AlreadyHeldSerializer(
        many=True, read_only=True, help_text="People who already hold the badge: not awarded again."
    )


class AwardRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Shown to the recipient and to verifiers.")


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers."""

    message = serializers.CharField()
    extra = serializers.DictField()


class BadgeFilterSerializer(serializers.Serializer):
    archived = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only archived (true) or offered (false)."
    )


class AwardFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Part of the recipient's name or email."
    )
    status = serializers.ChoiceField(
        choices=AwardStatus.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only awards with this status.",
    )


def validated(serializer_class: type[serializers.Serializer], data, **kwargs) -> dict:
    """The serializer's validated data, or a 400 in the API's error shape."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
