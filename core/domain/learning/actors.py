"""Who did it: an xAPI actor as one key, and the keys that name a person here.

An Agent carries exactly one Inverse Functional Identifier (xAPI-Data 2.4.2.3).
Each becomes one string key, stored with the statement, and a person is matched
when one of their keys (:func:`person_keys`) equals it:

- ``mbox:<address>``: the email, lower-cased (badgeapp matches emails case-insensitively);
- ``sha1:<hex>``: ``mbox_sha1sum``, the SHA-1 of a ``mailto:`` IRI. A hash cannot be
  lower-cased, so a person's keys hold the hash of each spelling a sender may have used;
- ``account:<homePage> <name>``: an account on a system; it names a person here when the
  homePage is the configured one and the name is their proxy username. An IRL holds no
  raw space, so the first space ends the homePage;
- ``openid:<uri>``: valid, kept, but nobody here is known by an OpenID.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import NewType

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.domain.learning.problems import StatementInvalid
from core.models.learning import MAX_KEY_BYTES

ActorKey = NewType("ActorKey", str)
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
# An absolute IRI: a scheme (RFC 3987, 2.2), then no whitespace anywhere.
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


def agent_key(kind: str, value: str, *, home_page: str = "", field: str = "actor") -> ActorKey:
    """The key of one identifier; raises ``StatementInvalid`` (naming ``field``) when it is malformed."""
    if kind == "mbox":
        if not value.lower().startswith("mailto:"):
            raise StatementInvalid("invalid_mbox", field)
        address = value[len("mailto:") :]
        try:
            validate_email(address)
        except ValidationError:
            raise StatementInvalid("invalid_mbox", field) from None
        key = mbox_key(address)
    elif kind == "mbox_sha1sum":
        if not SHA1_RE.match(value):
            raise StatementInvalid("invalid_mbox_sha1sum", field)
        key = ActorKey(f"sha1:{value.lower()}")
    elif kind == "openid":
        if not IRI_RE.match(value):
            raise StatementInvalid("invalid_iri", field)
        key = ActorKey(f"openid:{value}")
    else:
        key = account_key(home_page, value)
    if len(key.encode()) > MAX_KEY_BYTES:
        raise StatementInvalid("too_long", field, limit=MAX_KEY_BYTES)
    return key


def mbox_key(address: str) -> ActorKey:
    return ActorKey(f"mbox:{address.strip().lower()}")


def account_key(home_page: str, name: str) -> ActorKey:
    # "https://lms.example.com/" and "https://lms.example.com" name the same system.
    return ActorKey(f"account:{home_page.rstrip('/')} {name}")


def mbox_sha1sums(address: str) -> set[str]:
    """The SHA-1 of the ``mailto:`` IRI under each spelling a sender may hash.

    The spec asks senders to lower-case the domain (xAPI-Data 2.4.2.3); some lower-case
    it all, some send the address as the person typed it.
    """
    address = address.strip()
    local, _, domain = address.rpartition("@")
    spellings = {address, f"{local}@{domain.lower()}", address.lower()}
    return {
        hashlib.sha1(f"mailto:{spelling}".encode(), usedforsecurity=False).hexdigest()
        for spelling in spellings
    }


def person_keys(
    emails: Iterable[str], username: str | None = None, account_home_page: str = ""
) -> set[ActorKey]:
    """Every key a statement about this person may carry.

    ``emails`` are all of the person's addresses; ``username`` their proxy username,
    which names them in an ``account`` on ``account_home_page`` (no account key
    when either is empty).
    """
    keys: set[ActorKey] = set()
    for email in emails:
        if not email:
            continue
        keys.add(mbox_key(email))
        keys.update(ActorKey(f"sha1:{digest}") for digest in mbox_sha1sums(email))
    if username and account_home_page:
        keys.add(account_key(account_home_page, username))
    return keys


def email_of_key(key: str) -> str | None:
    """The (lower-cased) address of an ``mbox:`` key, else None."""
    return key[len("mbox:") :] if key.startswith("mbox:") else None
