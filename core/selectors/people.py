"""Who a person is, beyond the session: their email addresses."""

from core.domain.identity import SessionIdentity
from core.models import EmailAddress


def emails_of(identity: SessionIdentity) -> list[str]:
    """Every email address that is this person's, lower-cased, the session's first.

    The one answer to "is this award theirs?": home, the API, verify, imports
    and award ownership all ask here. The session's address (their personal
    profile's, when the proxy sends one), then the addresses they added and
    confirmed in the app (``core.services.people``). One query.
    """
    emails = [identity.email] if identity.email else []
    if identity.is_authenticated:
        confirmed = (
            EmailAddress.objects.confirmed()
            .filter(user__username=identity.username)
            .order_by("confirmed_at", "pk")
            .values_list("email", flat=True)
        )
        emails += [email for email in confirmed if email not in emails]
    return emails


def email_addresses_of(identity: SessionIdentity) -> list[EmailAddress]:
    """The addresses this person added (confirmed or waiting for their link), oldest first."""
    if not identity.is_authenticated:
        return []
    return list(EmailAddress.objects.filter(user__username=identity.username))
