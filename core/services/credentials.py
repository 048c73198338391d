"""Open Badges 3.0: signing each award's credential once, in the background or on first use.

Signing is CPU work (about 5 ms a credential, ``bench/bench_credentials.py``),
so a batch of awards is signed by a background task enqueued when the batch
commits (``award_batch_create``), in chunks, never in the request. Anything
that needs a credential before the task has run (its page, the API, the zip,
a verifier following the link at once) signs it there and then through
:func:`credential_for_award`: a fresh award always serves a valid credential,
and whichever signs first wins, the other reads its row.

The status list credentials are signed when asked for and cached until the
set of revoked credentials they cover changes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from core.domain.credentials import issuing, proof, status_list
from core.domain.credentials.documents import open_badge_credential
from core.domain.credentials.keys import Keyring, parse_keyring
from core.models import Award, Organisation, SignedCredential
from core.selectors.credentials import revoked_status_indexes, signed_documents

#: Awards signed by one background task: a few seconds of work, then the next task.
SIGN_CHUNK = 500
STATUS_LIST_CACHE_SECONDS = 24 * 3600


@lru_cache(maxsize=4)
def _keyring(secret: str, retired: str) -> Keyring:
    return parse_keyring(secret, retired)


def keyring() -> Keyring:
    """The configured keys (checked at start-up by the settings)."""
    return _keyring(settings.OB3_SIGNING_KEY, settings.OB3_RETIRED_KEYS)


def _sign_new(award: Award) -> SignedCredential:
    keys = keyring()
    organisation = award.badge.organisation
    with transaction.atomic():
        # The row first: its id is the credential's revocation bit, inside what is signed.
        row = SignedCredential.objects.create(award=award)
        unsigned = open_badge_credential(issuing.credential_facts(award, row.pk))
        row.verification_method = issuing.verification_method(organisation, keys)
        row.document = proof.sign(
            unsigned,
            private_key=keys.current,
            verification_method=row.verification_method,
            created=timezone.now(),
        )
        row.save(update_fields=["document", "verification_method"])
    return row


def credential_for_award(*, award: Award) -> dict:
    """The award's signed credential, signing it now if no task has yet.

    ``award`` should come with its badge and organisation (``with_badge()``).
    """
    existing = signed_documents([award.pk]).get(award.pk)
    if existing:
        return existing
    try:
        return _sign_new(award).document
    except IntegrityError:
        # Signed meanwhile by a task or another request: theirs stands.
        return SignedCredential.objects.get(award=award).document


def credentials_sign(*, award_ids: list) -> int:
    """Sign every award of ``award_ids`` that has no credential yet; how many were signed."""
    done = set(signed_documents(award_ids))
    signed = 0
    for award in Award.objects.with_badge().filter(pk__in=award_ids).exclude(pk__in=done).iterator():
        try:
            _sign_new(award)
            signed += 1
        except IntegrityError:
            continue  # signed on first use meanwhile
    return signed


@task()
def sign_credentials_task(award_ids: list[str]) -> int:
    """Background: sign a chunk of freshly awarded badges' credentials."""
    return credentials_sign(award_ids=award_ids)


def credentials_sign_later(*, award_ids: list) -> None:
    """Enqueue the signing of ``award_ids`` in chunks (call it on commit: the awards must exist)."""
    ids = [str(pk) for pk in award_ids]
    for start in range(0, len(ids), SIGN_CHUNK):
        sign_credentials_task.enqueue(award_ids=ids[start : start + SIGN_CHUNK])


def did_document(*, organisation: Organisation) -> dict:
    return issuing.did_document(organisation, keyring())


def status_list_credential(*, organisation: Organisation, number: int) -> dict:
    """The organisation's signed status list ``number``, signed again only when its bits change."""
    keys = keyring()
    revoked = revoked_status_indexes(organisation, number)
    bits = [index - number * status_list.MIN_BITS for index in revoked]
    fingerprint = hashlib.sha256(f"{keys.current_public}:{bits}".encode()).hexdigest()[:32]
    cache_key = f"ob3-status:{organisation.pk}:{number}:{fingerprint}"
    document = cache.get(cache_key)
    if document is None:
        list_url = issuing.status_list_url(organisation, number)
        unsigned = status_list.list_credential(
            list_url=list_url,
            issuer=issuing.issuer_did(organisation),
            valid_from=proof.xsd_datetime(timezone.now()),
            encoded_list=status_list.encode(bits),
        )
        document = proof.sign(
            unsigned,
            private_key=keys.current,
            verification_method=issuing.verification_method(organisation, keys),
            created=timezone.now(),
        )
        cache.set(cache_key, document, STATUS_LIST_CACHE_SECONDS)
    return document


def credentials_for_awards(*, awards: list[Award]) -> dict:
    """``{award id: signed credential}`` for ``awards`` (with their badges), signing any missing."""
    documents = signed_documents([award.pk for award in awards])
    for award in awards:
        if award.pk not in documents:
            documents[award.pk] = credential_for_award(award=award)
    return documents
