"""Who the proxy says the user is, read from the DjaoDjin session.

The session is the authority on identity and roles: nothing here is read from
the database. A session looks like (DESIGN.md §3)::

    {"username": "alice",
     "roles": {"manager": [{"slug": "cowork", "printable_name": ..., "email": ...}]},
     "site": {...}, "last_visited": ...}

The real proxy sends no ``email``: a user's email is the one of their personal
profile, the organisation whose slug equals their username. Mockups may add
``email`` and ``full_name``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.lib.text import has_control_characters, one_line

MANAGER_ROLE = "manager"
# DjaoDjin organisation slugs: letters, digits, underscores and hyphens.
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
USERNAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254


def clean_email(value: object) -> str:
    """The email, lower-cased, or "" when it is missing, malformed or too long to keep.

    Django's validator accepts up to 320 characters; an email column holds 254
    (RFC 5321's limit on a path), and PostgreSQL refuses longer ones with an error.
    """
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > EMAIL_MAX_LENGTH:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value.lower()


def clean_text(value: object, max_length: int) -> str:
    """A name from a session: one line (control characters become spaces), at most ``max_length``."""
    return one_line(value)[:max_length].strip() if isinstance(value, str) else ""


def is_valid_username(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= USERNAME_MAX_LENGTH
        and value.strip() == value
        and not has_control_characters(value)
    )


def malformed_session_reason(session: Mapping) -> str | None:
    """Why a session that decrypted is still no session, or None.

    The real proxy sends neither ``full_name`` nor ``email`` (mockups do); when
    present they must be strings, the email short enough for any mailbox. Such a
    session did not come from the proxy as it is: refused, rather than guessed at.
    """
    full_name, email = session.get("full_name"), session.get("email")
    if full_name is not None and not isinstance(full_name, str):
        return "full_name is not a string"
    if email is not None and not isinstance(email, str):
        return "email is not a string"
    if isinstance(email, str) and len(email.strip()) > EMAIL_MAX_LENGTH:
        return f"email is longer than {EMAIL_MAX_LENGTH} characters"
    return None


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation as the session describes it, with the user's roles on it."""

    slug: str
    printable_name: str
    email: str = ""
    roles: tuple[str, ...] = ()

    @property
    def is_manager(self) -> bool:
        return MANAGER_ROLE in self.roles


@dataclass(frozen=True)
class SessionIdentity:
    username: str = ""
    email: str = ""
    full_name: str = ""
    organisations: tuple[OrganisationRef, ...] = field(default_factory=tuple)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.username)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def organisation_slugs(self) -> frozenset[str]:
        return frozenset(org.slug for org in self.organisations)

    @property
    def managed_slugs(self) -> frozenset[str]:
        return frozenset(org.slug for org in self.organisations if org.is_manager)

    def manages(self, slug: str) -> bool:
        return slug in self.managed_slugs

    def belongs_to(self, slug: str) -> bool:
        return slug in self.organisation_slugs

    @classmethod
    def from_session(cls, session: Mapping) -> SessionIdentity:
        """Read a decoded session; malformed parts are skipped, never raised."""
        username = session.get("username")
        if not is_valid_username(username):
            return cls()
        by_slug: dict[str, dict] = {}
        profile: dict | None = None
        roles = session.get("roles")
        for role, orgs in roles.items() if isinstance(roles, Mapping) else ():
            if not isinstance(role, str) or not isinstance(orgs, list):
                continue
            for org in orgs:
                if not isinstance(org, Mapping) or not SLUG_RE.match(str(org.get("slug", ""))):
                    continue
                slug = org["slug"]
                if slug == username:
                    profile = dict(org)
                    continue
                entry = by_slug.setdefault(
                    slug,
                    {
                        "slug": slug,
                        "printable_name": clean_text(org.get("printable_name"), 255) or slug,
                        "email": clean_email(org.get("email")),
                        "roles": [],
                    },
                )
                if role not in entry["roles"]:
                    entry["roles"].append(role)
        organisations = tuple(
            OrganisationRef(
                slug=entry["slug"],
                printable_name=entry["printable_name"],
                email=entry["email"],
                roles=tuple(sorted(entry["roles"])),
            )
            for entry in sorted(by_slug.values(), key=lambda e: e["printable_name"].casefold())
        )
        profile = profile or {}
        return cls(
            username=username,
            email=clean_email(session.get("email")) or clean_email(profile.get("email")),
            full_name=clean_text(session.get("full_name"), 255)
            or clean_text(profile.get("printable_name"), 255),
            organisations=organisations,
        )
