"""Reads of public earner profiles: a person's own settings, and the page anyone may open."""

from dataclasses import dataclass

from core.models import Award, PublicProfile
from core.selectors.people import emails_of_user


def profile_of(user) -> PublicProfile | None:
    return PublicProfile.objects.filter(user=user).first()


def showable_awards(emails: list[str]):
    """The awards a person may show on their profile: their valid ones, newest first."""
    return Award.objects.with_badge().for_emails(emails).active().newest_first()


@dataclass(frozen=True)
class PublicPage:
    profile: PublicProfile
    awards: list[Award]


def published_profile(token: str) -> PublicPage | None:
    """The profile behind a link, if published, with the awards it shows. Three queries.

    Read on every view, never cached: hiding the profile or an award shows at once. An
    award is shown only while it is valid and still its owner's (an address they removed
    takes its awards off): expired and revoked ones leave the page, their own pages say why.
    """
    profile = PublicProfile.objects.filter(token=token, published=True).select_related("user").first()
    if profile is None:
        return None
    awards = list(
        showable_awards(emails_of_user(profile.user)).filter(pk__in=profile.shown.values("award_id"))
    )
    return PublicPage(profile=profile, awards=awards)
