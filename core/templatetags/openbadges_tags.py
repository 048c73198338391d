"""Template helpers for Open Badges: an award's portable links."""

from django import template

from core.domain.credentials import issuing
from core.domain.openbadges import documents
from core.lib.urls import absolute_url
from core.models import Award

register = template.Library()


@register.simple_tag
def award_links(award: Award) -> dict:
    """Absolute links a backpack, a validator or a link preview needs (no query)."""
    return {
        "page": absolute_url(award.get_absolute_url()),
        "assertion": documents.assertion_id(award),
        "png": documents.baked_png_url(award),
        "svg": documents.baked_svg_url(award),
        "image": documents.badge_class_image_url(award.badge),
        "credential": issuing.credential_url(award),
        "credential_png": issuing.credential_png_url(award),
        "credential_svg": issuing.credential_svg_url(award),
    }
