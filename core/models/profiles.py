"""A person's public earner profile: a page of the awards they choose to show, off by default."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.lib.text import refuse_control_characters
from core.models.awards import Award


def new_profile_token() -> str:
    """The profile's link: unguessable (128 bits), and stable: it never changes once made."""
    return secrets.token_urlsafe(16)


class PublicProfile(models.Model):
    """One per person, made the first time they open its settings; shown only while ``published``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_profile"
    )
    token = models.CharField(max_length=32, unique=True, default=new_profile_token, editable=False)
    published = models.BooleanField(_("publish my profile"), default=False)
    name = models.CharField(
        _("name shown"), max_length=200, blank=True, validators=[refuse_control_characters]
    )
    awards = models.ManyToManyField(Award, through="ProfileAward", related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} ({'published' if self.published else 'hidden'})"

    def get_absolute_url(self) -> str:
        return reverse("profile-public", args=[self.token])


class ProfileAward(models.Model):
    """An award its recipient chose to show on their profile."""

    profile = models.ForeignKey(PublicProfile, on_delete=models.CASCADE, related_name="shown")
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "award"], name="profile_award_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} → {self.award_id}"
