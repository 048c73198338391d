"""What a person chose for themselves: the language (and time zone) their emails use."""

from django.conf import settings
from django.db import models


class Preference(models.Model):
    """A person's language, stored when they pick one with the switcher.

    Pages follow the language cookie; this copy is for what is sent while they are
    away (award emails). Their time zone comes along from the page they chose on.
    Empty means "not known": the site's default is used.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    language = models.CharField(max_length=10, blank=True)  # a code of settings.LANGUAGES
    time_zone = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'} {self.time_zone or '-'}"
