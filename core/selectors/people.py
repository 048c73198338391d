"""Who a person is, beyond the session: their email addresses, the language they chose."""

from django.db.models import Q

from core.domain.identity import SessionIdentity
from core.models import EmailAddress, Preference


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


def emails_of_user(user) -> list[str]:
    """``emails_of`` without a session (a public page about a person): the address their
    last session carried (kept on the user by ``core.web.auth_backend``), then the ones
    they confirmed. One query."""
    emails = [user.email.lower()] if user.email else []
    confirmed = EmailAddress.objects.confirmed().filter(user=user).order_by("confirmed_at", "pk")
    emails += [email for email in confirmed.values_list("email", flat=True) if email not in emails]
    return emails


def email_addresses_of(identity: SessionIdentity) -> list[EmailAddress]:
    """The addresses this person added (confirmed or waiting for their link), oldest first."""
    if not identity.is_authenticated:
        return []
    return list(EmailAddress.objects.filter(user__username=identity.username))


def preferences_of(emails: list[str]) -> dict[str, Preference]:
    """The stored choices (language, time zone) of the people behind ``emails``, by address.

    An address is a person's when it is their account's, or one they added and
    confirmed. Two queries. People never seen, or who never chose, are absent:
    the site's defaults apply to them. Should two people claim an address, the
    newer choice wins.
    """
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return {}
    owners = dict(EmailAddress.objects.confirmed().filter(email__in=wanted).values_list("email", "user_id"))
    found = (
        Preference.objects.filter(Q(user__email__in=wanted) | Q(user_id__in=set(owners.values())))
        .exclude(language="")
        .select_related("user")
        .order_by("updated_at")
    )
    by_user = {preference.user_id: preference for preference in found}
    chosen = {email: by_user[user_id] for email, user_id in owners.items() if user_id in by_user}
    for preference in found:
        if preference.user.email.lower() in wanted:
            chosen[preference.user.email.lower()] = preference
    return chosen
