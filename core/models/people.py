"""People's own email addresses, beyond the one their session carries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailAddressQuerySet(models.QuerySet):
    def confirmed(self) -> "EmailAddressQuerySet":
        return self.filter(confirmed_at__isnull=False)


class EmailAddress(models.Model):
    """An address a person added in the app: theirs once they open the link sent to it.

    The proxy sends an email only for people with a personal profile; everyone
    else adds theirs here, and may add several (a former work address). The
    service (``core.services.people``) lower-cases it and decides who may
    confirm it; the constraints keep the two rules that must never break.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_addresses"
    )
    email = models.EmailField(_("email address"), max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last confirmation link was sent (resending waits a little).
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = EmailAddressQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "email"], name="email_address_once_per_person"),
            # One confirmed owner per address: awards made to it are theirs alone.
            # Its index also serves "whose is this address?" lookups.
            models.UniqueConstraint(
                fields=["email"], condition=Q(confirmed_at__isnull=False), name="email_address_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
