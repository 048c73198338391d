"""A person's own choices: the language (and time zone) their emails are written in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.lib.zones import time_zone_named
from core.models import Preference

UNKNOWN_LANGUAGE = _("Choose one of the languages on offer.")


def preference_set(*, user: User, language: str, time_zone: str = "") -> Preference:
    """Remember ``language`` (a code of ``settings.LANGUAGES``) for ``user``.

    ``time_zone`` is kept when it names an IANA zone, and the one known before
    stays otherwise: it comes from a cookie the browser writes.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": UNKNOWN_LANGUAGE})
    preference, _created = Preference.objects.get_or_create(user=user)
    changed = {"language": language}
    if time_zone_named(time_zone) is not None:
        changed["time_zone"] = time_zone
    if any(getattr(preference, name) != value for name, value in changed.items()):
        for name, value in changed.items():
            setattr(preference, name, value)
        preference.save(update_fields=[*changed, "updated_at"])
    return preference
