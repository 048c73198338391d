"""A person's public earner profile: whether it is published, the name and the awards it shows."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.models import ProfileAward, PublicProfile
from core.selectors.profiles import showable_awards

NOT_SHOWABLE = _("Only your own valid awards can be shown on your profile.")


def profile_update(
    *, user: User, emails: list[str], published: bool, name: str, award_ids: list
) -> PublicProfile:
    """Publish or hide the profile, and choose what it shows: only the person's own valid
    awards (``emails``: their addresses, ``core.selectors.people.emails_of``)."""
    wanted = {str(pk) for pk in award_ids}
    allowed = {str(pk) for pk in showable_awards(emails).filter(pk__in=wanted).values_list("pk", flat=True)}
    if wanted - allowed:
        raise ValidationError({"awards": NOT_SHOWABLE})
    with transaction.atomic():
        profile, _created = PublicProfile.objects.select_for_update().get_or_create(user=user)
        profile.published = published
        profile.name = name.strip()
        profile.full_clean(exclude=["user"])
        profile.save()
        profile.shown.exclude(award_id__in=allowed).delete()
        kept = {str(pk) for pk in profile.shown.values_list("award_id", flat=True)}
        ProfileAward.objects.bulk_create(
            [ProfileAward(profile=profile, award_id=pk) for pk in sorted(allowed - kept)]
        )
    return profile
