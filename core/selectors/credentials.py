"""Reads for Open Badges 3.0: signed credentials and the revocation bits of a status list."""

from __future__ import annotations

from django.db.models import Max

from core.domain.credentials.status_list import MIN_BITS
from core.models import Organisation, SignedCredential


def signed_documents(award_ids) -> dict:
    """``{award id: signed credential}`` for those of ``award_ids`` already signed (one query)."""
    rows = SignedCredential.objects.filter(award_id__in=list(award_ids))
    return {award_id: document for award_id, document in rows.values_list("award_id", "document")}


def revoked_status_indexes(organisation: Organisation, number: int) -> list[int]:
    """The set bits of the organisation's status list ``number``: its revoked awards' credentials.

    One query over the id range the list covers (the primary key index).
    """
    return list(
        SignedCredential.objects.filter(
            pk__gte=number * MIN_BITS,
            pk__lt=(number + 1) * MIN_BITS,
            award__badge__organisation=organisation,
            award__revoked_at__isnull=False,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def status_list_exists(number: int) -> bool:
    """Whether list ``number`` is served: the first always, later ones once a credential falls in them."""
    if number == 0:
        return True
    highest = SignedCredential.objects.aggregate(highest=Max("pk"))["highest"] or 0
    return 0 < number <= highest // MIN_BITS
