"""The one status vocabulary: awards, imported badges, the API and the templates use it."""

from django.db import models


class Status(models.TextChoices):
    ACTIVE = "active", "Valid"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
