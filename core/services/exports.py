"""The organisation's awards as CSV rows, safe to open in a spreadsheet."""

from core.models import Award
from core.services.awards import award_url

# A cell starting with one of these is a formula to Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def award_csv_header() -> list[str]:
    return [
        "award_id", "badge", "badge_slug", "recipient_email", "recipient_name", "issued_on",
        "expires_on", "status", "revocation_reason", "evidence_url", "url",
    ]  # fmt: skip


def award_csv_row(award: Award) -> list[str]:
    return [
        spreadsheet_safe(value)
        for value in (
            award.pk,
            award.badge.name,
            award.badge.slug,
            award.recipient_email,
            award.recipient_name,
            award.issued_on.isoformat(),
            award.expires_on.isoformat() if award.expires_on else "",
            award.status.value,
            award.revocation_reason,
            award.evidence_url,
            award_url(award),
        )
    ]
