"""Badges in the API. Input is built from the model, exactly as the page's form is."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import OrganisationSummarySerializer, badge_image_url
from core.lib.urls import absolute_url
from core.models import Badge, Requires
from core.models.badges import VALIDITY_DAYS_RANGE
from core.models.learning import MAX_IRI_BYTES, MAX_REQUIREMENTS
from core.services.badges import EDITABLE_FIELDS


class LearningActivitySerializer(serializers.Serializer):
    """One learning activity a badge requires (DESIGN §5)."""

    id = serializers.CharField(max_length=MAX_IRI_BYTES, help_text="The xAPI activity IRI.")
    name = serializers.CharField(max_length=200, allow_blank=True)
    url = serializers.CharField(
        max_length=500, allow_blank=True, required=False, default="", help_text="Where people take it."
    )
    requires = serializers.ChoiceField(choices=Requires.choices, required=False, default=Requires.COMPLETED)
    min_score = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=1,
        allow_null=True,
        required=False,
        default=None,
        coerce_to_string=False,
        help_text="A scaled score from 0 to 1 the statement must reach, or null.",
    )


class LearningSerializer(serializers.Serializer):
    """The learning a badge requires; all activities are required."""

    activities = LearningActivitySerializer(many=True, max_length=MAX_REQUIREMENTS)
    auto_award = serializers.BooleanField(help_text="Award the badge by itself once every activity is done.")

    def to_representation(self, badge: Badge) -> dict:
        # ``learning_requirements`` prefetched by the selectors: no query per badge.
        return {
            "activities": [
                {
                    "id": r.activity_id,
                    "name": r.name,
                    "url": r.url,
                    "requires": r.requires,
                    "min_score": float(r.min_score) if r.min_score is not None else None,
                }
                for r in badge.learning_requirements.all()
            ],
            "auto_award": badge.learning_auto_award,
        }


class LearningChangeSerializer(LearningSerializer):
    """PATCH: what is left out stays as it is."""

    activities = LearningActivitySerializer(many=True, max_length=MAX_REQUIREMENTS, required=False)
    auto_award = serializers.BooleanField(required=False)


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
    learning = LearningSerializer(source="*", read_only=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, badge: Badge) -> str:
        return badge_image_url(badge)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, badge: Badge) -> str:
        return absolute_url(reverse("badge-detail", args=[badge.organisation.slug, badge.slug]))


class BadgeInputSerializer(serializers.ModelSerializer):
    """A badge as JSON: its image is an ``https://`` URL. The model's fields and validators."""

    tags = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    learning = LearningSerializer(required=False, help_text="Learning activities that earn the badge.")

    class Meta:
        model = Badge
        # What a manager may edit is the service's to say; the API adds the learning path.
        fields = [*EDITABLE_FIELDS, "learning"]
        extra_kwargs = {
            "slug": {"required": False, "help_text": "Made from the name when left out."},
            "validity_days": {
                "help_text": "Awards expire after this many days.",
                "error_messages": {"min_value": VALIDITY_DAYS_RANGE, "max_value": VALIDITY_DAYS_RANGE},
            },
        }


class BadgeInputUploadSerializer(BadgeInputSerializer):
    """A badge as multipart form data: its image is an uploaded PNG or SVG."""

    image = serializers.FileField(required=False)

    class Meta(BadgeInputSerializer.Meta):
        fields = [*BadgeInputSerializer.Meta.fields, "image"]


class BadgeChangeSerializer(BadgeInputSerializer):
    """Changes to a badge (PATCH): only the fields sent are changed."""

    archived = serializers.BooleanField(
        required=False, help_text="Archived badges can no longer be awarded; awards made stay valid."
    )
    learning = LearningChangeSerializer(required=False, help_text="Learning activities that earn the badge.")

    class Meta(BadgeInputSerializer.Meta):
        fields = [*BadgeInputSerializer.Meta.fields, "archived"]


class BadgeChangeUploadSerializer(BadgeChangeSerializer):
    image = serializers.FileField(required=False)

    class Meta(BadgeChangeSerializer.Meta):
        fields = [*BadgeChangeSerializer.Meta.fields, "image"]


class BadgeFilterSerializer(serializers.Serializer):
    archived = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only archived (true) or offered (false)."
    )
