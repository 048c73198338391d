"""The organisation's awards as CSV rows, safe to open in a spreadsheet.

An export can hold hundreds of thousands of rows: it reads plain tuples
(no model instances) and builds each award's URL from one reversed pattern.
"""

import uuid
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from core.lib.urls import absolute_url
from core.models import Award, Organisation, award_status

# A cell starting with one of these is a formula to Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = [
    "award_id", "badge", "badge_slug", "recipient_email", "recipient_name", "issued_on",
    "expires_on", "status", "revocation_reason", "evidence_url", "url",
]  # fmt: skip
FIELDS = [
    "pk", "badge__name", "badge__slug", "recipient_email", "recipient_name", "issued_on",
    "expires_on", "revoked_at", "revocation_reason", "evidence_url",
]  # fmt: skip
_PLACEHOLDER = uuid.UUID(int=0)


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def organisation_award_rows(organisation: Organisation) -> Iterator[list[str]]:
    """The header, then one row per award, newest first."""
    url_pattern = absolute_url(reverse("award-detail", args=[_PLACEHOLDER]))
    now = timezone.now()
    rows = (
        Award.objects.filter(organisation=organisation)
        .newest_first()
        .values_list(*FIELDS)
        .iterator(chunk_size=5000)
    )
    yield HEADER
    for pk, badge, slug, email, name, issued, expires, revoked, reason, evidence in rows:
        yield [
            spreadsheet_safe(value)
            for value in (
                pk,
                badge,
                slug,
                email,
                name,
                issued.isoformat(),
                expires.isoformat() if expires else "",
                award_status(revoked, expires, now).value,
                reason,
                evidence,
                url_pattern.replace(str(_PLACEHOLDER), str(pk)),
            )
        ]
