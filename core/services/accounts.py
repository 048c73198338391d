"""Keep users and organisations current from the proxy's sessions.

Runs on every request that carries a session, so it reads once and writes
only what changed: a request whose session says nothing new writes nothing.
"""

import hashlib

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction

from core.domain.identity import OrganisationRef, SessionIdentity
from core.models import Organisation
from core.services.learning import learner_keys_refresh

NAME_MAX_LENGTH = 150
# How long a session's organisations, once stored as it names them, are not
# read again for it. A change in the session (a new role, a renamed
# organisation) is another session, so it is stored on its next request.
ORGANISATIONS_SYNCED_SECONDS = 300


def split_full_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.strip().partition(" ")
    return first[:NAME_MAX_LENGTH], last.strip()[:NAME_MAX_LENGTH]


def user_sync_from_identity(*, user: User, identity: SessionIdentity) -> list[str]:
    """Copy the session's email and name onto the user; returns the changed fields."""
    wanted = {}
    if identity.email:
        wanted["email"] = identity.email
    if identity.full_name:
        wanted["first_name"], wanted["last_name"] = split_full_name(identity.full_name)
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, wanted[name])
        User.objects.filter(pk=user.pk).update(**{name: wanted[name] for name in changed})
    return changed


def _organisations_synced_key(refs: tuple[OrganisationRef, ...]) -> str:
    # Whether each was named by a manager too: only a manager's name is stored.
    named = repr([(ref.slug, ref.printable_name, ref.email, ref.is_manager) for ref in refs])
    return f"accounts:organisations-synced:{hashlib.sha256(named.encode()).hexdigest()}"


def organisations_sync(*, refs: tuple[OrganisationRef, ...]) -> None:
    """Store the organisations of a session: one read, writes only on change.

    Remembered in the cache for ``ORGANISATIONS_SYNCED_SECONDS``: a request
    whose session names the same organisations as a recent one reads nothing.

    Any member's session makes an organisation known; only a manager's renames it.
    """
    if not refs:
        return
    synced_key = _organisations_synced_key(refs)
    if cache.get(synced_key):
        return
    existing = {org.slug: org for org in Organisation.objects.filter(slug__in=[r.slug for r in refs])}
    missing, stale = [], []
    for ref in refs:
        org = existing.get(ref.slug)
        if org is None:
            missing.append(Organisation(slug=ref.slug, printable_name=ref.printable_name, email=ref.email))
        elif not ref.is_manager:
            # The name every member, verifier and email sees: only a manager's
            # session may change it, not any member's.
            continue
        elif (org.printable_name, org.email) != (ref.printable_name, ref.email or org.email):
            org.printable_name = ref.printable_name
            org.email = ref.email or org.email
            stale.append(org)
    if missing or stale:
        with transaction.atomic():
            # Two first visits at once may both create: the unique slug settles it.
            Organisation.objects.bulk_create(missing, ignore_conflicts=True)
            for org in stale:
                org.save(update_fields=["printable_name", "email", "updated_at"])
    # Remembered once stored: a rolled-back request leaves nothing behind.
    transaction.on_commit(lambda: cache.set(synced_key, True, ORGANISATIONS_SYNCED_SECONDS))


def identity_sync(*, user: User, identity: SessionIdentity, created: bool = False) -> None:
    changed = user_sync_from_identity(user=user, identity=identity)
    organisations_sync(refs=identity.organisations)
    if created or "email" in changed:
        # Statements sent under this person's account name or hashed email now count.
        learner_keys_refresh(user=user)
