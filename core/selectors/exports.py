"""The organisation's awards as CSV rows, safe to open in a spreadsheet.

An export can hold hundreds of thousands of rows: it reads plain tuples
(no model instances, no join: the organisation's badges are read once), builds
each award's URL from one reversed pattern, and guards only the cells a person
typed against formulas (ids, dates, statuses and our URLs cannot start one).
"""

import uuid
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from core.lib.urls import absolute_url
from core.models import Award, AwardExport, Badge, Organisation, award_status

# A cell starting with one of these is a formula to Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = [
    "award_id", "badge", "badge_slug", "recipient_email", "recipient_name", "issued_on",
    "expires_on", "status", "revocation_reason", "evidence_url", "url",
]  # fmt: skip
FIELDS = [
    "pk", "badge_id", "recipient_email", "recipient_name", "issued_on",
    "expires_on", "revoked_at", "revocation_reason", "evidence_url",
]  # fmt: skip
_PLACEHOLDER = uuid.UUID(int=0)


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def organisation_award_rows(organisation: Organisation) -> Iterator[list[str]]:
    """The header, then one row per award, newest first."""
    url_prefix, _, url_suffix = absolute_url(reverse("award-detail", args=[_PLACEHOLDER])).partition(
        str(_PLACEHOLDER)
    )
    now = timezone.now()
    named = Badge.objects.filter(organisation=organisation).values_list("pk", "name", "slug")
    badges = {pk: (spreadsheet_safe(name), spreadsheet_safe(slug)) for pk, name, slug in named}
    rows = (
        Award.objects.filter(organisation=organisation)
        .newest_first()
        .values_list(*FIELDS)
        .iterator(chunk_size=5000)
    )
    yield HEADER
    for pk, badge_id, email, name, issued, expires, revoked, reason, evidence in rows:
        badge, slug = badges[badge_id]
        award_id = str(pk)
        yield [
            award_id,
            badge,
            slug,
            spreadsheet_safe(email),
            spreadsheet_safe(name),
            issued.isoformat(),
            expires.isoformat() if expires else "",
            award_status(revoked, expires, now).value,
            spreadsheet_safe(reason),
            spreadsheet_safe(evidence),
            f"{url_prefix}{award_id}{url_suffix}",
        ]


def latest_exports(organisation: Organisation, count: int = 5) -> list[AwardExport]:
    """The organisation's latest export requests, newest first (one query)."""
    return list(AwardExport.objects.filter(organisation=organisation).select_related("requested_by")[:count])
