"""The session the proxy forwards, serialized as djaoapp's ``SessionSerializer`` does.

djaoapp (DjaoDjin's proxy product) is not on PyPI; its session serializer is
short and built from djaodjin-saas' own serializers, so it is restated here
(djaoapp ``djaoapp/api/serializers.py``): roles are grouped by role
description, each organisation serialized by saas'
``OrganizationWithEndsAtByPlanSerializer`` (``slug``, ``printable_name``,
``picture``, ``type``, ``credentials``, ``created_at``, ``email``,
``subscriptions``). A personal profile is an ``Organization`` whose slug is the
username: saas' ``type`` is then ``"organization"`` too (saas' model has no
``is_personal``).
"""

from django.contrib.auth import get_user_model
from rest_framework import serializers
from saas.api.serializers import OrganizationWithEndsAtByPlanSerializer
from saas.models import ChargeItem, Role, get_broker


class SessionSerializer(serializers.ModelSerializer):
    last_visited = serializers.DateTimeField(required=False)
    username = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    site = serializers.SerializerMethodField()
    invoice_keys = serializers.SerializerMethodField()
    session_key = serializers.SerializerMethodField()
    access_key = serializers.SerializerMethodField()
    secret_key = serializers.SerializerMethodField()
    security_token = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = (
            "username",
            "roles",
            "site",
            "last_visited",
            "invoice_keys",
            "session_key",
            "access_key",
            "secret_key",
            "security_token",
        )
        read_only_fields = fields

    @staticmethod
    def get_username(request):
        return request.user.username

    @staticmethod
    def get_roles(request):
        results = {}
        prev_role_key = None
        organizations = []
        serializer = OrganizationWithEndsAtByPlanSerializer(many=True)
        for role in (
            Role.objects.valid_for(user=request.user)
            .order_by("role_description")
            .select_related("role_description")
        ):
            role_key = role.role_description.slug
            if not prev_role_key:
                prev_role_key = role_key
            elif role_key != prev_role_key:
                results[prev_role_key] = serializer.to_representation(organizations)
                prev_role_key = role_key
                organizations = []
            organizations += [role.organization]
        if organizations:
            results[prev_role_key] = serializer.to_representation(organizations)
        return results

    @staticmethod
    def get_site(request):
        broker = get_broker()
        return {"printable_name": broker.printable_name, "email": broker.email}

    def get_invoice_keys(self, request):
        rule = self.context.get("rule", None)
        if rule and rule.rule_op >= 1:
            return [
                result["invoice_key"]
                for result in ChargeItem.objects.to_sync(request.user).values("invoice_key").distinct()
            ]
        return []

    @staticmethod
    def get_session_key(request):
        return request.session.session_key if hasattr(request, "session") else None

    @staticmethod
    def get_access_key(request):
        return request.session.get("access_key", None) if hasattr(request, "session") else None

    @staticmethod
    def get_secret_key(request):
        return request.session.get("secret_key", None) if hasattr(request, "session") else None

    @staticmethod
    def get_security_token(request):
        return request.session.get("security_token", None) if hasattr(request, "session") else None
