"""Learning progress in the API (``GET /api/me/progress/``, DESIGN §5)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers.badges import BadgeSerializer
from core.lib.urls import absolute_url


class ActivityProgressSerializer(serializers.Serializer):
    id = serializers.CharField(source="activity_id", help_text="The xAPI activity IRI.")
    name = serializers.CharField()
    url = serializers.CharField()
    done = serializers.BooleanField()
    done_on = serializers.DateTimeField(source="done_at", allow_null=True)
    score = serializers.FloatField(allow_null=True, help_text="The scaled score (0 to 1) it was done with.")


class ProgressSerializer(serializers.Serializer):
    """One badge on offer and how far the person is; expects ``(BadgeLearning, award or None)``."""

    badge = serializers.SerializerMethodField()
    done = serializers.IntegerField()
    required = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    activities = ActivityProgressSerializer(many=True)
    award = serializers.SerializerMethodField(help_text="The person's current award of the badge, or null.")

    def to_representation(self, instance):
        learning, award = instance
        data = super().to_representation(learning)
        data["award"] = absolute_url(award.get_absolute_url()) if award is not None else None
        return data

    @extend_schema_field(BadgeSerializer)
    def get_badge(self, learning) -> dict:
        return BadgeSerializer(learning.badge).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_award(self, instance) -> str | None:
        return None  # filled in to_representation, from the award beside the progress
