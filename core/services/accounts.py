"""Keep users and organisations current from the proxy's sessions.

Runs on every request that carries a session, so it reads once and writes
only what changed: a request whose session says nothing new writes nothing.
"""

from django.contrib.auth.models import User
from django.db import transaction

from core.domain.identity import OrganisationRef, SessionIdentity
from core.models import Organisation

NAME_MAX_LENGTH = 150


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


def organisations_sync(*, refs: tuple[OrganisationRef, ...]) -> None:
    """Store the organisations of a session: one read, writes only on change."""
    if not refs:
        return
    existing = {org.slug: org for org in Organisation.objects.filter(slug__in=[r.slug for r in refs])}
    missing, stale = [], []
    for ref in refs:
        org = existing.get(ref.slug)
        if org is None:
            missing.append(Organisation(slug=ref.slug, printable_name=ref.printable_name, email=ref.email))
        elif (org.printable_name, org.email) != (ref.printable_name, ref.email or org.email):
            org.printable_name = ref.printable_name
            org.email = ref.email or org.email
            stale.append(org)
    if not (missing or stale):
        return
    with transaction.atomic():
        # Two first visits at once may both create: the unique slug settles it.
        Organisation.objects.bulk_create(missing, ignore_conflicts=True)
        for org in stale:
            org.save(update_fields=["printable_name", "email", "updated_at"])


def identity_sync(*, user: User, identity: SessionIdentity) -> None:
    user_sync_from_identity(user=user, identity=identity)
    organisations_sync(refs=identity.organisations)
