"""What an employee's home page shows."""

from core.domain.identity import SessionIdentity
from core.models import Badge, Status
from core.selectors.awards import awards_of
from core.selectors.imports import imported_badges_of
from core.selectors.learning import offered_order


def home_for(identity: SessionIdentity, emails: list[str], user) -> dict:
    """My awards (newest first), my imported badges, and the badges my organisations
    offer that I don't hold. Two queries, and ``offered`` (not yet read: the page
    shows it a page at a time, hundreds of badges in a large company), the badges I have
    made the most progress on first (``core.selectors.learning.offered_order``)."""
    awards = list(awards_of(emails))
    held_badge_ids = {a.badge_id for a in awards if a.status == Status.ACTIVE}
    offered = (
        Badge.objects.offered().for_organisations(identity.organisation_slugs).exclude(pk__in=held_badge_ids)
    )
    return {
        "identity": identity,
        "emails": emails,
        "awards": awards,
        "imported_badges": list(imported_badges_of(user)),
        "offered": offered_order(offered, emails),
        "managed": [org for org in identity.organisations if org.is_manager],
    }
