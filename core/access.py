"""Who may see or change what: one helper per resource, for pages and API alike.

Outsiders get a 404, never a hint that the thing exists. Roles come from the
proxy session (``request.identity``), not from the database.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from core.domain.identity import SessionIdentity
from core.models import (
    Award,
    AwardBatch,
    AwardExport,
    Badge,
    EmailAddress,
    ExportState,
    ImportedBadge,
    ImportRequest,
    Organisation,
)


def _organisation(identity: SessionIdentity, slug: str, *, manage: bool) -> Organisation:
    allowed = identity.manages(slug) if manage else identity.belongs_to(slug)
    if not allowed:
        raise Http404("No such organisation.")
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as err:  # session seen, sync raced: treat as absent
        raise Http404("No such organisation.") from err


def managed_organisation_or_404(identity: SessionIdentity, slug: str) -> Organisation:
    return _organisation(identity, slug, manage=True)


def member_organisation_or_404(identity: SessionIdentity, slug: str) -> Organisation:
    return _organisation(identity, slug, manage=False)


def managed_badge_or_404(identity: SessionIdentity, org_slug: str, badge_slug: str) -> Badge:
    if not identity.manages(org_slug):
        raise Http404("No such badge.")
    return _badge(org_slug, badge_slug)


def visible_badge_or_404(
    identity: SessionIdentity, emails: list[str], org_slug: str, badge_slug: str
) -> Badge:
    """Members of the organisation see its badges; so does anyone who holds one."""
    badge = _badge(org_slug, badge_slug)
    if identity.belongs_to(org_slug) or Award.objects.for_emails(emails).filter(badge=badge).exists():
        return badge
    raise Http404("No such badge.")


def _badge(org_slug: str, badge_slug: str) -> Badge:
    try:
        return Badge.objects.select_related("organisation").get(organisation__slug=org_slug, slug=badge_slug)
    except Badge.DoesNotExist as err:
        raise Http404("No such badge.") from err


def _award(award_id) -> Award:
    try:
        return Award.objects.with_badge().get(pk=uuid.UUID(str(award_id)))
    except (ValueError, Award.DoesNotExist) as err:
        raise Http404("No such award.") from err


def public_award_or_404(award_id) -> Award:
    """Anyone holding an award's link may see its public page."""
    return _award(award_id)


def managed_award_or_404(identity: SessionIdentity, award_id) -> Award:
    award = _award(award_id)
    if not identity.manages(award.badge.organisation.slug):
        raise Http404("No such award.")
    return award


def readable_award_or_404(identity: SessionIdentity, emails: list[str], award_id) -> Award:
    """The full award (email included): its recipient and the issuing managers."""
    award = _award(award_id)
    if identity.manages(award.badge.organisation.slug) or award.belongs_to_any(emails):
        return award
    raise Http404("No such award.")


def public_issuer_or_404(org_slug: str) -> Organisation:
    """An issuer's Open Badges profile is public once it has awarded a badge (a verifier needs it)."""
    organisation = Organisation.objects.filter(slug=org_slug).first()
    if organisation is None or not Award.objects.filter(organisation=organisation).exists():
        raise Http404("No such issuer.")
    return organisation


def public_badge_or_404(org_slug: str, badge_slug: str) -> Badge:
    """A badge's Open Badges class is public once it has been awarded; until then it is internal."""
    badge = _badge(org_slug, badge_slug)
    if not badge.awards.exists():
        raise Http404("No such badge.")
    return badge


def owned_import_or_404(user, import_id) -> ImportedBadge:
    """A badge imported from another issuer: its owner's alone."""
    try:
        return ImportedBadge.objects.owned_by(user).get(pk=uuid.UUID(str(import_id)))
    except (ValueError, ImportedBadge.DoesNotExist) as err:
        raise Http404("No such imported badge.") from err


def owned_import_request_or_404(user, request_id) -> ImportRequest:
    """An import asked for (pending or done): its owner's alone."""
    try:
        return ImportRequest.objects.owned_by(user).get(pk=uuid.UUID(str(request_id)))
    except (ValueError, ImportRequest.DoesNotExist) as err:
        raise Http404("No such import.") from err


def managed_batch_or_404(identity: SessionIdentity, org_slug: str, batch_id) -> AwardBatch:
    """An award batch, for the managers of the organisation whose badge it awarded."""
    if not identity.manages(org_slug):
        raise Http404("No such batch.")
    try:
        return AwardBatch.objects.select_related("badge", "badge__organisation").get(
            pk=uuid.UUID(str(batch_id)), badge__organisation__slug=org_slug
        )
    except (ValueError, AwardBatch.DoesNotExist) as err:
        raise Http404("No such batch.") from err


def managed_ready_export_or_404(identity: SessionIdentity, org_slug: str, export_id) -> AwardExport:
    """An awards export whose file is written, for the managers of its organisation."""
    if not identity.manages(org_slug):
        raise Http404("No such export.")
    try:
        return AwardExport.objects.select_related("organisation").get(
            pk=uuid.UUID(str(export_id)), organisation__slug=org_slug, state=ExportState.READY
        )
    except (ValueError, AwardExport.DoesNotExist) as err:
        raise Http404("No such export.") from err


def owned_email_address_or_404(user, address_id) -> EmailAddress:
    """An address someone added: theirs alone to resend or remove."""
    try:
        return EmailAddress.objects.get(pk=int(address_id), user=user)
    except (ValueError, EmailAddress.DoesNotExist) as err:
        raise Http404("No such email address.") from err
