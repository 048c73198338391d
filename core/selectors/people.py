"""Who a person is, beyond the session: their email addresses."""

from core.domain.identity import SessionIdentity


def emails_of(identity: SessionIdentity) -> list[str]:
    """Every email address that is this person's, lower-cased, the session's first.

    The one answer to "is this award theirs?": home, the API, verify, imports
    and award ownership all ask here. Today the session's address; addresses a
    person adds and confirms in the app join it.
    """
    return [identity.email] if identity.email else []
