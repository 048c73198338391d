"""Template helpers for Open Badges: an award's portable links, an employee's imported badges."""

from django import template

from core.models import Award, ImportedBadge
from core.openbadges import documents
from core.services.awards import award_url

register = template.Library()


@register.simple_tag
def award_links(award: Award) -> dict:
    """Absolute links a backpack, a validator or a link preview needs."""
    return {
        "page": award_url(award),
        "assertion": documents.assertion_id(award),
        "png": documents.baked_png_url(award),
        "svg": documents.baked_svg_url(award),
        "image": documents.badge_class_image_url(award.badge),
    }


@register.simple_tag
def imported_badges_for(user):
    """The badges ``user`` imported from other issuers (one query)."""
    return list(ImportedBadge.objects.owned_by(user).order_by("-issued_on"))
