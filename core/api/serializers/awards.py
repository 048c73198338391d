"""Awards in the API: one award, a batch to award, a revocation, list filters."""

import uuid
from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import OrganisationSummarySerializer, badge_image_url
from core.domain.credentials import issuing
from core.domain.openbadges import documents
from core.lib.urls import absolute_url
from core.models import Award, AwardBatch, Badge, Status
from core.services.awards import AwardBatchResult
from core.services.recipients import Recipient


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
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    revocation_reason = serializers.CharField(read_only=True)
    evidence_url = serializers.CharField(read_only=True)
    narrative = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The award's public page.")
    assertion_url = serializers.SerializerMethodField(help_text="The hosted Open Badges 2.0 assertion.")
    image_url = serializers.SerializerMethodField(help_text="The badge image baked with the assertion.")
    credential_url = serializers.SerializerMethodField(
        help_text="The signed Open Badges 3.0 credential (OpenBadgeCredential, eddsa-rdfc-2022 proof)."
    )
    credential_image_url = serializers.SerializerMethodField(
        help_text="The badge image (PNG) baked with the Open Badges 3.0 credential."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, award: Award) -> str:
        return absolute_url(award.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_assertion_url(self, award: Award) -> str:
        return documents.assertion_id(award)

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, award: Award) -> str:
        return documents.baked_png_url(award)

    @extend_schema_field(OpenApiTypes.URI)
    def get_credential_url(self, award: Award) -> str:
        return issuing.credential_url(award)

    @extend_schema_field(OpenApiTypes.URI)
    def get_credential_image_url(self, award: Award) -> str:
        return issuing.credential_png_url(award)

    # Each award's links, by field: the URL names behind ``documents.assertion_id``,
    # ``documents.baked_png_url``, ``issuing.credential_url`` and ``credential_png_url``.
    AWARD_LINKS = {
        "url": "award-detail",
        "assertion_url": "ob-assertion",
        "image_url": "award-baked-png",
        "credential_url": "ob-credential",
        "credential_image_url": "award-credential-png",
    }

    def to_representation(self, award: Award) -> dict:
        """What the declared fields give (the schema, and the test that compares both),
        built directly: DRF's walk over the fields of a nested serializer and five
        ``reverse()`` an award were most of the time of a 50-award page. The links come
        from one reversed URL each, for the whole page."""
        links = self._link_patterns()
        issued_on, expires_on = self.fields["issued_on"], self.fields["expires_on"]
        award_id = str(award.pk)
        return {
            "id": award_id,
            "badge": self._badge(award.badge),
            "recipient_email": award.recipient_email,
            "recipient_name": award.recipient_name,
            "issued_on": issued_on.to_representation(award.issued_on),
            "expires_on": expires_on.to_representation(award.expires_on) if award.expires_on else None,
            "status": award.status.value,
            "revocation_reason": award.revocation_reason,
            "evidence_url": award.evidence_url,
            "narrative": award.narrative,
            **{field: f"{prefix}{award_id}{suffix}" for field, (prefix, suffix) in links.items()},
        }

    def _link_patterns(self) -> dict[str, tuple[str, str]]:
        if not hasattr(self, "_links"):
            placeholder = str(uuid.UUID(int=0))
            self._links = {}
            for field, name in self.AWARD_LINKS.items():
                prefix, _, suffix = absolute_url(reverse(name, args=[placeholder])).partition(placeholder)
                self._links[field] = (prefix, suffix)
        return self._links

    def _badge(self, badge: Badge) -> dict:
        """``AwardBadgeSerializer``'s fields, built directly too: a serializer made for
        each badge of a page cost more than the awards themselves."""
        organisation = badge.organisation
        return {
            "slug": badge.slug,
            "name": badge.name,
            "organisation": {"slug": organisation.slug, "printable_name": organisation.printable_name},
            "image_url": badge_image_url(badge),
        }


class RecipientSerializer(serializers.Serializer):
    """For the schema only: recipients are read as given, and checked by the award service
    (``core.services.recipients``), which reports each problem with its position."""

    email = serializers.CharField()
    name = serializers.CharField(required=False)


@extend_schema_field(RecipientSerializer(many=True))
class RecipientListField(serializers.ListField):
    """Each item becomes a ``Recipient`` as given; a malformed one has an empty email."""

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        return [
            Recipient(
                email=item.get("email") if isinstance(item, dict) else "",
                name=item.get("name", "") if isinstance(item, dict) else "",
                line=position,
            )
            for position, item in enumerate(items, start=1)
        ]


class AwardBatchRequestSerializer(serializers.Serializer):
    recipients = RecipientListField(
        child=serializers.JSONField(), help_text="Everyone is awarded, or no one."
    )
    evidence_url = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    narrative = serializers.CharField(required=False, default="", allow_blank=True)
    notify = serializers.BooleanField(
        required=False, default=True, help_text="Email each person awarded (queued, sent in the background)."
    )


class AlreadyHeldSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    name = serializers.CharField(read_only=True)


class AwardBatchSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    notify = serializers.BooleanField(read_only=True)
    awarded_count = serializers.IntegerField(read_only=True)
    renewed_count = serializers.IntegerField(
        read_only=True, help_text="Of the awarded, renewing an expired award."
    )
    already_held_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(
        help_text="The batch's page for its managers: each email's progress, failures to resend."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, batch: AwardBatch) -> str:
        return absolute_url(reverse("award-batch", args=[batch.badge.organisation.slug, batch.pk]))


class AwardBatchResultSerializer(serializers.Serializer):
    """What a batch did, in counts and links: the awards themselves are read from
    ``awards_url`` (a 5,000-award answer was 4.9 MB and most of the request's time)."""

    awarded_count = serializers.IntegerField(read_only=True, help_text="People awarded, renewals included.")
    new_count = serializers.IntegerField(
        read_only=True, help_text="Of the awarded, holding no award of it before."
    )
    renewed_count = serializers.IntegerField(
        read_only=True, help_text="Of the awarded, renewing an expired award."
    )
    already_held_count = serializers.IntegerField(read_only=True)
    batch = serializers.SerializerMethodField(help_text="Null when nobody was awarded.")
    awards_url = serializers.SerializerMethodField(
        help_text="The awards this batch made, in pages: this badge's awards filtered by `batch`. "
        "Null when nobody was awarded."
    )
    already_held = AlreadyHeldSerializer(
        many=True, read_only=True, help_text="People who already hold the badge: not awarded again."
    )

    @extend_schema_field(AwardBatchSummarySerializer(allow_null=True))
    def get_batch(self, result: AwardBatchResult) -> dict | None:
        return AwardBatchSummarySerializer(result.batch).data if result.batch else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_awards_url(self, result: AwardBatchResult) -> str | None:
        if result.batch is None:
            return None
        badge = result.badge
        path = reverse("api-badge-awards", args=[badge.organisation.slug, badge.slug])
        return absolute_url(f"{path}?{urlencode({'batch': result.batch.pk})}")


class AwardRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Shown to the recipient and to verifiers.")


class AwardFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Part of the recipient's name or email."
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only awards with this status.",
    )
    batch = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only the awards made by this batch (`batch.id` in the answer to an award).",
    )
