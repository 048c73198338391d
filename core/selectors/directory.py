"""The people an organisation knows, for its managers: found by name or email, and one
person's awards and learning there.

"Known to the organisation" means awarded one of its badges, or with learning records
for one: the app keeps no list of members (the proxy does). A search also matches
accounts by username or name, and leads to the addresses they own, so a person is found
by whatever a manager remembers of them. A fixed number of queries each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from core.models import Award, EmailAddress, LearningProgress, Organisation
from core.selectors.badges import organisation_badges
from core.selectors.learning import BadgeLearning, learning_for

PEOPLE_PER_PAGE = 25
MAX_SEARCH_LENGTH = 200


@dataclass
class PersonRow:
    email: str
    name: str = ""
    valid: int = 0
    expired: int = 0
    revoked: int = 0
    learning: int = 0  # badges with learning records


@dataclass
class PersonOverview:
    email: str
    name: str
    emails: list[str]  # the addresses the same account owns, the one asked for first
    awards: list[Award] = field(default_factory=list)
    learning: list[BadgeLearning] = field(default_factory=list)


def clean_search(text: str) -> str:
    return text.replace("\x00", "").strip()[:MAX_SEARCH_LENGTH]  # PostgreSQL refuses NUL in text


def _account_emails(text: str):
    """Addresses of accounts whose username, name or address matches ``text`` (a subquery)."""
    users = User.objects.annotate(full_name=Concat("first_name", Value(" "), "last_name")).filter(
        Q(username__icontains=text) | Q(full_name__icontains=text) | Q(email__icontains=text)
    )
    own = users.exclude(email="").values("email")
    added = EmailAddress.objects.confirmed().filter(user__in=users.values("pk")).values("email")
    return own, added


def search_people(organisation: Organisation, text: str, *, page: int | str = 1) -> Page:
    """People of ``organisation`` matching ``text``, by email, a page of ``PersonRow``.

    Three queries: the page's addresses (and their count), then their awards and
    learning counted by the database.
    """
    text = clean_search(text)
    own, added = _account_emails(text)
    awards = (
        Award.objects.filter(organisation=organisation)
        .filter(
            Q(recipient_email__icontains=text)
            | Q(recipient_name__icontains=text)
            | Q(recipient_email__in=own)
            | Q(recipient_email__in=added)
        )
        .order_by()
        .values_list("recipient_email", flat=True)
    )
    learners = (
        LearningProgress.objects.filter(badge__organisation=organisation)
        .filter(Q(email__icontains=text) | Q(name__icontains=text) | Q(email__in=own) | Q(email__in=added))
        .order_by()
        .values_list("email", flat=True)
    )
    emails = awards.union(learners).order_by("recipient_email")  # UNION: each address once
    current = Paginator(emails, PEOPLE_PER_PAGE).get_page(page)
    listed = list(current.object_list)
    rows = {email: PersonRow(email=email) for email in listed}
    now = timezone.now()
    active = Award.objects.active_q(at=now)
    counted = (
        Award.objects.filter(organisation=organisation, recipient_email__in=listed)
        .order_by()
        .values("recipient_email")
        .annotate(
            name=Max("recipient_name"),
            valid=Count("pk", filter=active),
            expired=Count(
                "pk", filter=Q(revoked_at__isnull=True, superseded_at__isnull=True, expires_on__lte=now)
            ),
            revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        )
    )
    for row in counted:
        person = rows[row["recipient_email"]]
        person.name, person.valid, person.expired, person.revoked = (
            row["name"],
            row["valid"],
            row["expired"],
            row["revoked"],
        )
    learning = (
        LearningProgress.objects.filter(badge__organisation=organisation, email__in=listed)
        .order_by()
        .values("email")
        .annotate(badges=Count("pk"), name=Max("name"))
    )
    for row in learning:
        person = rows[row["email"]]
        person.learning = row["badges"]
        person.name = person.name or row["name"]
    current.object_list = [rows[email] for email in listed]
    return current


def person_overview(organisation: Organisation, email: str) -> PersonOverview | None:
    """Everything ``email``'s person holds in ``organisation``, and their learning there.

    The person's other confirmed addresses count too (``core.selectors.people``'s rule):
    an award to a former address is still theirs. None when the organisation does not
    know the address. Six queries.
    """
    email = clean_search(email).lower()
    if not email:
        return None
    owner = (
        User.objects.filter(
            Q(email__iexact=email)
            | Q(email_addresses__email=email, email_addresses__confirmed_at__isnull=False)
        )
        .order_by("pk")
        .first()
    )
    emails = [email]
    if owner is not None:
        confirmed = EmailAddress.objects.confirmed().filter(user=owner).values_list("email", flat=True)
        emails += [
            address.lower() for address in [owner.email, *confirmed] if address and address.lower() != email
        ]
        emails = list(dict.fromkeys(emails))
    awards = list(
        Award.objects.with_badge().filter(organisation=organisation).for_emails(emails).newest_first()
    )
    badges = list(organisation_badges(organisation, archived=False))
    learning = [item for item in learning_for(badges, emails) if item.started or item.done]
    if not awards and not learning:
        return None
    name = next((award.recipient_name for award in awards if award.recipient_name), "")
    if not name and owner is not None:
        name = owner.get_full_name()
    return PersonOverview(email=email, name=name, emails=emails, awards=awards, learning=learning)
