"""``/api/me/``: who the session says the user is."""

from rest_framework import serializers


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    printable_name = serializers.CharField()
    email = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    emails = serializers.SerializerMethodField(
        help_text="Every address that is theirs: the session's, then those confirmed in the app."
    )
    organisations = OrganisationRefSerializer(many=True)

    def get_emails(self, identity) -> list[str]:
        return self.context["emails"]
