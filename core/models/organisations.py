"""Organisations the proxy has told us about, so badges can belong to them."""

from django.db import models


class Organisation(models.Model):
    """An organisation seen in a session's roles.

    Kept current from each session (``core.services.accounts``); the proxy stays
    the authority on who belongs to it.
    """

    slug = models.CharField(max_length=100, unique=True)
    printable_name = models.CharField(max_length=255)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["printable_name"]

    def __str__(self) -> str:
        return self.printable_name
