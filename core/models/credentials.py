"""Open Badges 3.0 credentials: each award's signed credential, kept once signed."""

from django.db import models
from django.utils import timezone

from core.models.awards import Award


class SignedCredential(models.Model):
    """An award's ``OpenBadgeCredential``, as signed.

    Signed once and kept: a signature is deterministic but ``proof.created``
    and the key are not, and a holder's copy must stay byte-comparable with
    the one served. Nothing secret is stored (the credential is public).

    The integer ``id`` is the credential's bit in its issuer's Bitstring Status
    List (see ``core.domain.credentials.issuing``): the database's sequence
    allocates it, so concurrent signers never share a bit. ``document`` is empty
    only inside the transaction that allocates the id and signs.
    """

    id = models.BigAutoField(primary_key=True)
    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="signed_credential")
    document = models.JSONField(default=dict)
    verification_method = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"credential {self.pk} of award {self.award_id}"
