"""A person's own email addresses: add one, confirm it by a link sent to it, remove it.

Why: the proxy sends an email only for people who registered with a personal
profile. Everyone else has none in their session, so awards made to their
address would never reach them. Here they add it (or several: a former work
address too) and prove it is theirs by opening a link mailed to it.

The link is signed (``django.core.signing``, salted for this one purpose),
names the one pending address it confirms (its id and the address), expires
(``EMAIL_CONFIRMATION_MAX_AGE``) and does nothing once used, or once the
address was removed. Only the person who added the address can use it.

An address already someone else's (confirmed by them in the app, or their
session's own) cannot be confirmed by another person: awards made to it stay
with its first owner. Adding it says nothing about that owner (the same answer
as for any address); only someone who opens the link, and so reads that
mailbox, learns it is taken.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core.lib.urls import absolute_url
from core.models import EmailAddress
from core.services.learning import learner_keys_refresh

CONFIRMATION_SALT = "badgeapp.email-address.confirm"
MAX_ADDRESSES = 10
RESEND_AFTER = timedelta(minutes=1)
# Links mailed for one person in an hour, however they add, remove and resend:
# the page sends mail to addresses nobody has proven yet.
LINKS_PER_HOUR = 10

INVALID_EMAIL = _("Enter a valid email address.")
ALREADY_YOURS = _("This address is already yours.")
ALREADY_ADDED = _("You have already added this address: look for the link we sent to it.")
TOO_MANY = _("You can add up to %(max)d addresses. Remove one you no longer use first.")
LINK_INVALID = _("This confirmation link is not valid. Open the latest link we sent, or send a new one.")
LINK_EXPIRED = _("This confirmation link has expired. Send a new one from your email addresses page.")
TAKEN = _(
    "This address already belongs to another account, so it cannot be confirmed for yours. "
    "Awards made to it stay with that account."
)
RESEND_TOO_SOON = _("A link was sent to this address a moment ago. Wait a minute before sending another.")
ALREADY_CONFIRMED = _("This address is already confirmed.")
TOO_MANY_LINKS = _("That is a lot of confirmation links in one hour. Try again later.")


def _spend_a_link(user: User) -> None:
    """Count a link mailed for this person; refuse past the hourly limit.

    In Django's cache: per process with local memory, shared with Redis
    (README: the cache).
    """
    key = f"badgeapp:email-links:{user.pk}"
    cache.add(key, 0, timeout=3600)
    try:
        spent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        spent = 1
    if spent > LINKS_PER_HOUR:
        raise ValidationError(TOO_MANY_LINKS)


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as err:
        raise ValidationError({"email": INVALID_EMAIL}) from err
    return email


def email_address_add(*, user: User, session_email: str, email: str) -> EmailAddress:
    """Add an address, waiting for confirmation, and mail it its link (once committed)."""
    email = normalise_email(email)
    if email == (session_email or "").lower():
        raise ValidationError({"email": ALREADY_YOURS})
    with transaction.atomic():
        # Lock the person's row: two adds at once count right against the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing = EmailAddress.objects.filter(user=user)
        if existing.filter(email=email).exists():
            mine = existing.confirmed().filter(email=email).exists()
            raise ValidationError({"email": ALREADY_YOURS if mine else ALREADY_ADDED})
        if existing.count() >= MAX_ADDRESSES:
            raise ValidationError({"email": TOO_MANY % {"max": MAX_ADDRESSES}})
        _spend_a_link(user)
        address = EmailAddress.objects.create(user=user, email=email, sent_at=timezone.now())
        transaction.on_commit(lambda: send_email_confirmation.enqueue(address_id=address.pk))
    return address


def email_address_resend(*, address: EmailAddress) -> EmailAddress:
    """Send the link again (at most once a minute)."""
    if address.is_confirmed:
        raise ValidationError(ALREADY_CONFIRMED)
    _spend_a_link(address.user)
    now = timezone.now()
    sent = EmailAddress.objects.filter(pk=address.pk, confirmed_at__isnull=True).filter(
        Q(sent_at__isnull=True) | Q(sent_at__lte=now - RESEND_AFTER)
    )
    # One conditional update: two clicks at once send one mail.
    if not sent.update(sent_at=now):
        raise ValidationError(RESEND_TOO_SOON)
    address.sent_at = now
    transaction.on_commit(lambda: send_email_confirmation.enqueue(address_id=address.pk))
    return address


def email_address_remove(*, address: EmailAddress) -> None:
    """Forget an address; awards made to it no longer reach this person (a link to it no longer works)."""
    user = address.user
    address.delete()
    learner_keys_refresh(user=user)  # nor do learning records sent under it


def confirmation_token(address: EmailAddress) -> str:
    return signing.dumps({"id": address.pk, "email": address.email}, salt=CONFIRMATION_SALT, compress=True)


def pending_address_for(*, user: User, token: str) -> EmailAddress:
    """The address a link confirms, if it is valid, not expired and this person's.

    Raises ``EmailAddress.DoesNotExist`` when the link names no address of
    theirs (someone else's link, or a removed address), ``ValidationError``
    when it is forged or expired.
    """
    try:
        claim = signing.loads(token, salt=CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as err:
        raise ValidationError(LINK_EXPIRED) from err
    except signing.BadSignature as err:
        raise ValidationError(LINK_INVALID) from err
    if not isinstance(claim, dict):
        raise ValidationError(LINK_INVALID)
    return EmailAddress.objects.get(pk=claim.get("id"), email=claim.get("email"), user=user)


def email_address_confirm(*, user: User, token: str) -> EmailAddress:
    """Confirm the address a link names; awards made to it reach this person from now on."""
    address = pending_address_for(user=user, token=token)
    if address.is_confirmed:
        return address  # a second click changes nothing
    if User.objects.filter(email__iexact=address.email).exclude(pk=user.pk).exists():
        raise ValidationError(TAKEN)  # another person's session address
    try:
        with transaction.atomic():
            confirmed = EmailAddress.objects.filter(pk=address.pk, confirmed_at__isnull=True).update(
                confirmed_at=timezone.now()
            )
    except IntegrityError as err:  # someone else confirmed it first (one owner per address)
        raise ValidationError(TAKEN) from err
    address.refresh_from_db()
    if not confirmed and not address.is_confirmed:
        raise ValidationError(LINK_INVALID)
    learner_keys_refresh(user=user)  # learning records sent under this address count now
    return address


@task()
def send_email_confirmation(*, address_id: int) -> int:
    """Mail the confirmation link to a pending address (nothing if it is gone or confirmed)."""
    address = EmailAddress.objects.filter(pk=address_id, confirmed_at__isnull=True).first()
    if address is None:
        return 0
    url = absolute_url(reverse("email-confirm", kwargs={"token": confirmation_token(address)}))
    hours = settings.EMAIL_CONFIRMATION_MAX_AGE // 3600
    body = render_to_string("core/emails/confirm_email.txt", {"address": address, "url": url, "hours": hours})
    subject = gettext("Confirm your email address for your badges")
    return EmailMessage(subject=subject, body=body, to=[address.email]).send()
