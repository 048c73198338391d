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
    made the most progress on first (``core.selectors.learning.offered_order``).
    ``award_organisations``: every organisation of my awards or my roles, by name.
    """
    awards = list(awards_of(emails))
    held_badge_ids = {a.badge_id for a in awards if a.status == Status.ACTIVE}
    offered = (
        Badge.objects.offered().for_organisations(identity.organisation_slugs).exclude(pk__in=held_badge_ids)
    )
    names = {org.slug: org.printable_name for org in identity.organisations}
    names.update({a.badge.organisation.slug: a.badge.organisation.printable_name for a in awards})
    return {
        "identity": identity,
        "emails": emails,
        "awards": awards,
        "has_awards": bool(awards),
        "award_organisations": sorted(names.items(), key=lambda item: item[1].casefold()),
        "imported_badges": list(imported_badges_of(user)),
        "offered": offered_order(offered, emails),
        "managed": [org for org in identity.organisations if org.is_manager],
    }


def home_narrowed(home: dict, *, organisation: str = "", status: str = "") -> dict:
    """``home_for``'s answer with only one organisation's awards and offers (a slug) and
    only the awards of one ``Status`` value; no query (``offered`` is still unread)."""
    awards, offered = home["awards"], home["offered"]
    if organisation:
        awards = [a for a in awards if a.badge.organisation.slug == organisation]
        offered = offered.filter(organisation__slug=organisation)
    if status:
        awards = [a for a in awards if a.status == status]
    return {**home, "awards": awards, "offered": offered}
