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
    organisations = OrganisationRefSerializer(many=True)
