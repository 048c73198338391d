"""Sharing an award: LinkedIn's "add to profile" link."""

from urllib.parse import urlencode

from core.lib.urls import absolute_url
from core.models import Award

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_add_to_profile_url(award: Award) -> str:
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": award.badge.name,
        "organizationName": award.badge.organisation.printable_name,
        "issueYear": award.issued_on.year,
        "issueMonth": award.issued_on.month,
    }
    if award.expires_on:
        params["expirationYear"] = award.expires_on.year
        params["expirationMonth"] = award.expires_on.month
    params["certUrl"] = absolute_url(award.get_absolute_url())
    params["certId"] = str(award.pk)
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"
