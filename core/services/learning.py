"""Learning records: the one way statements come in, and what follows from them.

``statements_ingest`` is called by the push endpoint (``POST /xapi/statements``), the
pull command (``sync_learning``) and the demo data alike. For one batch it:

1. checks every statement (``core.domain.learning``); for a push, one bad statement
   refuses the whole batch and nothing is stored;
2. stores the new ones (by id: a statement received twice is stored once);
3. applies voiding both ways: a voiding statement voids what it names, and a statement
   that arrives after its voiding statement is stored voided;
4. recomputes the progress of each (person, badge) the batch touched, from all of the
   person's statements that are not voided, so voiding undoes progress;
5. awards the badges that became complete, through the award service (the same email,
   constraint and everything else as any award), marked as from learning records.

Everything happens in one transaction, and in an order (statement ids, then badges and
emails) that two concurrent batches share, so they wait for each other instead of
deadlocking. An award already made stays when its statements are voided later: the
manager's progress view shows it.

People are emails, as awards know them. An ``mbox`` names its address; other actor keys
(``mbox_sha1sum``, ``account``) name someone once a user with matching keys is known
(``learner_keys_refresh``, run when a user is created or their email changes), which
then counts their earlier statements too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.domain.learning.actors import email_of_key, person_keys
from core.domain.learning.problems import PROBLEMS, StatementInvalid
from core.domain.learning.requirements import (
    Attempt,
    BadgeProgress,
    LastAward,
    Requirement,
    RequirementStatus,
    Requires,
    award_due,
    badge_progress,
    counting_from,
    merge_status,
)
from core.domain.learning.statements import VOIDED, Statement, check_activity_iri, parse_statement
from core.lib.bulk import Json, insert_new_columns, insert_rows, select_pairs
from core.models import Award, Badge, EmailAddress, Status
from core.models.learning import (
    MAX_REQUIREMENTS,
    LearnerKey,
    LearningAward,
    LearningProgress,
    LearningRequirement,
    LearningStatement,
)
from core.services.awards import award_batch_create
from core.services.recipients import Recipient

logger = logging.getLogger(__name__)

BATCH_ROWS = 1000  # rows per INSERT or UPDATE
KEYS_PER_QUERY = 500  # actor keys per IN (...): well under SQLite's variable limit
AWARDS_PER_BATCH = 1000  # recipients per award batch (the award service allows 5,000)
LOCK_NAMESPACE = 8_001  # PostgreSQL advisory locks: ours, whatever else uses them
LOCK_BUCKETS = 1024  # people share a lock per bucket: at most this many locks in a transaction

DUPLICATE_ID = gettext_lazy("id: the same statement id appears twice in this request.")
STATEMENT_PROBLEM = gettext_lazy("Statement %(number)d: %(problem)s")
NOT_A_LIST = gettext_lazy("Send one statement (a JSON object) or a list of statements.")


class StatementsRejected(Exception):
    """A batch refused as a whole: ``index`` names the statement, ``code`` and ``field`` the problem."""

    def __init__(self, index: int | None, code: str, field: str, message: str) -> None:
        self.index, self.code, self.field, self.problem = index, code, field, message
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.index is None:
            return str(self.problem)
        return str(STATEMENT_PROBLEM % {"number": self.index + 1, "problem": self.problem})

    @classmethod
    def from_invalid(cls, index: int, error: StatementInvalid) -> StatementsRejected:
        return cls(index, error.code, error.field, error.message)


@dataclass
class IngestResult:
    ids: list[str] = field(default_factory=list)  # every statement's id, in the order received
    stored: int = 0  # new statements
    duplicates: int = 0  # already had them
    voided: int = 0  # statements voided by this batch
    skipped: list[tuple[int, StatementInvalid]] = field(default_factory=list)  # invalid, when allowed
    progress_updated: int = 0
    awarded: list[Award] = field(default_factory=list)
    latest_stored: datetime | None = None  # the LRS's latest ``stored`` in the batch (the pull's cursor)


def account_home_page() -> str:
    """The ``account.homePage`` whose names are proxy usernames (``XAPI_ACCOUNT_HOME_PAGE``)."""
    return settings.XAPI_ACCOUNT_HOME_PAGE


# --- Ingest --------------------------------------------------------------------------------


def statements_ingest(
    *, data: object, source: str, skip_invalid: bool = False, now: datetime | None = None, notify: bool = True
) -> IngestResult:
    """Store a batch of statements (one statement, or a list) and everything that follows.

    Raises ``StatementsRejected`` (nothing stored) on the first invalid statement, unless
    ``skip_invalid`` (the pull: the LRS accepted them, so one we cannot read is logged and
    left out rather than stopping every later statement). ``notify=False`` (demo data) sends
    no award email.
    """
    now = now or timezone.now()
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise StatementsRejected(None, "not_a_list", "", NOT_A_LIST)
    result = IngestResult()
    parsed: list[Statement] = []
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(items):
        try:
            statement = parse_statement(item)
        except StatementInvalid as error:
            if not skip_invalid:
                raise StatementsRejected.from_invalid(index, error) from error
            result.skipped.append((index, error))
            continue
        if statement.id is None:  # the LRS's job, which we do for a push (xAPI-Data 2.4.1)
            statement = dataclasses.replace(statement, id=uuid.uuid4())
        if statement.id in seen:
            if not skip_invalid:
                raise StatementsRejected(index, "duplicate_id", "id", DUPLICATE_ID)
            continue
        seen.add(statement.id)
        parsed.append(statement)
        if statement.stored and (result.latest_stored is None or statement.stored > result.latest_stored):
            result.latest_stored = statement.stored
    result.ids = [str(statement.id) for statement in parsed]
    if not parsed:
        return result
    with transaction.atomic():
        new = _store(parsed, source=source, now=now)
        result.stored = len(new)
        result.duplicates = len(parsed) - len(new)
        attempts, recount, result.voided = _apply_voiding(new, now=now)
        if attempts or recount:
            names = {s.actor: s.actor_name for s in new if s.actor and s.actor_name}
            updated, awarded = _refresh_progress(attempts, recount, names, now=now, notify=notify)
            result.progress_updated = updated
            result.awarded = awarded
    return result


def _store(parsed: list[Statement], *, source: str, now: datetime) -> list[Statement]:
    """Insert what is new; returns the statements that were not there before."""
    parsed = sorted(parsed, key=lambda s: s.id)
    columns = {
        "id": [s.id for s in parsed],
        "actor_key": [s.actor or "" for s in parsed],
        "actor_name": [s.actor_name for s in parsed],
        "verb_id": [s.verb_id for s in parsed],
        "activity_id": [s.activity_id or "" for s in parsed],
        "voids": [s.voids for s in parsed],
        "completion": [s.completion for s in parsed],
        "success": [s.success for s in parsed],
        "score_scaled": [s.score_scaled for s in parsed],
        "happened_at": [s.happened_at or now for s in parsed],
        "stored": [s.stored for s in parsed],
    }
    constants = {"received_at": now, "source": source}
    # PostgreSQL: one INSERT ... ON CONFLICT DO NOTHING RETURNING id says which were new,
    # a statement a concurrent batch stored first included; no read before, no SQL a row.
    inserted = insert_new_columns(LearningStatement, columns=columns, constants=constants, returning="id")
    if inserted is not None:
        new_ids = set(inserted)  # UUIDs, as Django has psycopg2 return them
        return [s for s in parsed if s.id in new_ids]
    existing = set()
    for chunk in _chunks(columns["id"], BATCH_ROWS):
        existing.update(LearningStatement.objects.filter(id__in=chunk).values_list("id", flat=True))
    new = [s for s in parsed if s.id not in existing]
    LearningStatement.objects.bulk_create(
        [
            LearningStatement(**{name: values[n] for name, values in columns.items()}, **constants)
            for n, statement in enumerate(parsed)
            if statement.id not in existing
        ],
        batch_size=BATCH_ROWS,
        ignore_conflicts=True,
    )
    return new


def _apply_voiding(
    new: list[Statement], *, now: datetime
) -> tuple[dict[tuple[str, str], list[Attempt]], set[tuple[str, str]], int]:
    """Void what the new voiding statements name, and new statements voided beforehand.

    Returns the new attempts by (actor key, activity), to count on top of the progress
    already kept; the (actor key, activity) pairs whose progress must be recounted from
    every statement (something counted before was voided); and how many statements were
    voided. A voiding statement cannot void another voiding statement (xAPI-Data 2.3.2).
    """
    voiding = {s.voids: s.id for s in new if s.is_voiding}
    new_ids = [s.id for s in new if not s.is_voiding]
    # Statements that were voided before they arrived.
    for chunk in _chunks(new_ids, BATCH_ROWS):
        for target, voider in LearningStatement.objects.filter(voids__in=chunk).values_list("voids", "id"):
            voiding.setdefault(target, voider)
    targets = []
    for chunk in _chunks(sorted(voiding), BATCH_ROWS):
        targets += (
            LearningStatement.objects.filter(id__in=chunk, voided_by__isnull=True)
            .exclude(verb_id=VOIDED)
            .only("id", "actor_key", "activity_id")
            .order_by("id")
            .select_for_update()  # in id order, as every batch does: no deadlock
        )
    for target in targets:
        target.voided_by, target.voided_at = voiding[target.id], now
    if targets:
        LearningStatement.objects.bulk_update(targets, ["voided_by", "voided_at"], batch_size=BATCH_ROWS)
    voided_now = {target.id for target in targets}
    attempts: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for s in new:
        if s.actor and s.activity_id and not s.is_voiding and s.id not in voided_now:
            attempts[(s.actor, s.activity_id)].append(
                Attempt(
                    s.id,
                    s.activity_id,
                    s.verb_id,
                    s.completion,
                    s.success,
                    s.score_scaled,
                    s.happened_at or now,
                )
            )
    new_set = {s.id for s in new}
    recount = {
        (t.actor_key, t.activity_id) for t in targets if t.actor_key and t.activity_id and t.id not in new_set
    }
    return attempts, recount, len(targets)


# --- Progress ------------------------------------------------------------------------------


def _refresh_progress(
    attempts: dict[tuple[str, str], list[Attempt]],
    recount: set[tuple[str, str]],
    names_by_key: dict[str, str],
    *,
    now: datetime,
    notify: bool = True,
) -> tuple[int, list[Award]]:
    """Bring up to date the progress of the people and badges behind a batch.

    New attempts are merged into the progress kept so far (``merge_status``): the cost
    follows the batch, not the history. Pairs where something was voided are recounted
    from every statement that still stands.
    """
    activities = {activity for _, activity in attempts} | {activity for _, activity in recount}
    badges_by_activity: dict[str, set[int]] = defaultdict(set)
    for activity_id, badge_id in _in_chunks(
        LearningRequirement.objects.values_list("activity_id", "badge_id"), "activity_id", activities
    ):
        badges_by_activity[activity_id].add(badge_id)
    if not badges_by_activity:
        return 0, []  # nobody requires these activities (yet): the statements wait
    keys = {key for key, activity in (*attempts, *recount) if activity in badges_by_activity}
    email_of = _emails_by_key(keys)
    merges: dict[tuple[str, int], list[Attempt]] = defaultdict(list)
    for (key, activity), new in attempts.items():
        if key in email_of:
            for badge_id in badges_by_activity.get(activity, ()):
                merges[(email_of[key], badge_id)] += new
    recounted = {
        (email_of[key], badge_id)
        for key, activity in recount
        if key in email_of
        for badge_id in badges_by_activity.get(activity, ())
    }
    for pair in recounted:
        merges.pop(pair, None)  # the recount reads the new statements too
    names = {email_of[key]: name for key, name in names_by_key.items() if key in email_of and name}
    return _progress_update(merges, recounted, names, now=now, notify=notify)


def _progress_update(
    merges: dict[tuple[str, int], list[Attempt]],
    recounted: set[tuple[str, int]],
    names: dict[str, str],
    *,
    now: datetime,
    notify: bool,
) -> tuple[int, list[Award]]:
    people = {email for email, _ in merges} | {email for email, _ in recounted}
    if not people:
        return 0, []
    _lock_people(people)
    requirements = _requirements_of({badge_id for _, badge_id in (*merges, *recounted)})
    progress: dict[tuple[str, int], BadgeProgress] = {}
    if recounted:
        progress.update(_recounted(recounted, requirements, names))
    kept: dict[tuple[str, int], tuple[str, dict]] = {}
    if merges:
        kept = _rows_of(merges)
        for (email, badge_id), new in merges.items():
            _, recorded = kept.get((email, badge_id), ("", {}))
            statuses = []
            for req in requirements.get(badge_id, []):
                status = _status_from(recorded.get(req.activity_id), req.rule)
                statuses.append(merge_status(status, (a for a in new if a.activity_id == req.activity_id)))
            progress[(email, badge_id)] = BadgeProgress(tuple(statuses))
    for (email, _badge_id), (name, _activities) in kept.items():
        names.setdefault(email, name)
    names.update(_user_names(people))
    unchanged = {
        pair for pair, (name, recorded) in kept.items() if pair in progress and name == names.get(pair[0], "")
    }
    return _save_progress(
        progress, requirements, names, now=now, notify=notify, kept=kept, unchanged=unchanged
    )


def _recounted(
    pairs: set[tuple[str, int]], requirements: dict[int, list[_Req]], names: dict[str, str]
) -> dict[tuple[str, int], BadgeProgress]:
    """Progress counted from every statement of each person that still stands."""
    keys_by_email = _keys_of({email for email, _ in pairs})
    email_by_key = {key: email for email, keys in keys_by_email.items() for key in keys}
    activities = {req.activity_id for _, badge_id in pairs for req in requirements.get(badge_id, [])}
    attempts: dict[str, list[Attempt]] = defaultdict(list)
    rows = _in_chunks(
        LearningStatement.objects.filter(activity_id__in=activities, voided_by__isnull=True).values_list(
            "id", "actor_key", "actor_name", "activity_id", "verb_id",
            "completion", "success", "score_scaled", "happened_at",
        ),
        "actor_key",
        email_by_key,
    )  # fmt: skip
    for statement_id, key, name, activity_id, verb_id, completion, success, score, happened_at in rows:
        email = email_by_key[key]
        attempts[email].append(
            Attempt(statement_id, activity_id, verb_id, completion, success, score, happened_at)
        )
        if name:
            names.setdefault(email, name)
    return {
        (email, badge_id): badge_progress([r.rule for r in requirements.get(badge_id, [])], attempts[email])
        for email, badge_id in pairs
    }


def _rows_of(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, dict]]:
    """The progress kept for these (email, badge) pairs: (name, activities), plain rows."""
    pairs = set(pairs)
    # PostgreSQL: exactly these pairs, sent as two arrays and joined on the unique (badge, email).
    fields = ["email", "badge_id", "name", "activities"]
    rows = select_pairs(LearningProgress, fields=fields, keys=("email", "badge_id"), pairs=pairs)
    if rows is not None:
        return {(email, badge_id): (name, activities) for email, badge_id, name, activities in rows}
    # Elsewhere by email alone (its index): a person has progress on a few badges, a badge on
    # thousands of people.
    rows = _in_chunks(
        LearningProgress.objects.values_list("email", "badge_id", "name", "activities"),
        "email",
        {email for email, _ in pairs},
    )
    return {
        (email, badge_id): (name, activities)
        for email, badge_id, name, activities in rows
        if (email, badge_id) in pairs
    }


def _status_from(recorded: dict | None, rule: Requirement) -> RequirementStatus:
    """A requirement's status as ``LearningProgress.activities`` keeps it."""
    if not recorded:
        return RequirementStatus(rule)

    def moment(name):
        return parse_datetime(recorded[name]) if recorded.get(name) else None

    def statement(name):
        return uuid.UUID(recorded[name]) if recorded.get(name) else None

    return RequirementStatus(
        rule,
        started_at=moment("started_at"),
        done_at=moment("done_at"),
        first_statement=statement("first_statement"),
        last_done_at=moment("last_done_at"),
        last_statement=statement("statement"),
        score=recorded.get("score"),
    )


def _save_progress(
    progress: dict[tuple[str, int], BadgeProgress],
    requirements: dict[int, list[_Req]],
    names: dict[str, str],
    *,
    now: datetime,
    notify: bool,
    kept: dict[tuple[str, int], tuple[str, dict]] | None = None,
    unchanged: set[tuple[str, int]] = frozenset(),
) -> tuple[int, list[Award]]:
    """Write the progress rows that changed (one upsert; people with nothing left lose theirs),
    then award. Most statements (an attempt at something started long ago) change nothing."""
    upserts, emptied = [], []
    for email, badge_id in sorted(progress):  # one order for every batch: no deadlock
        current = progress[(email, badge_id)]
        if not current.started:
            emptied.append((badge_id, email))
            continue
        reqs = requirements.get(badge_id, [])
        row = _progress_row(badge_id, email, names.get(email, ""), reqs, current, now)
        if (email, badge_id) in unchanged and kept[(email, badge_id)][1] == row.activities:
            continue
        upserts.append(row)
    fields = [
        "badge",
        "email",
        "name",
        "done",
        "required",
        "percent",
        "started_at",
        "completed_at",
        "activities",
        "updated_at",
    ]
    if not insert_rows(
        LearningProgress,
        fields,
        [
            (
                r.badge_id,
                r.email,
                r.name,
                r.done,
                r.required,
                r.percent,
                r.started_at,
                r.completed_at,
                Json(r.activities),
                r.updated_at,
            )
            for r in upserts
        ],
        conflict=["badge", "email"],
        update=fields[2:],
    ):
        LearningProgress.objects.bulk_create(
            upserts,
            batch_size=BATCH_ROWS,
            update_conflicts=True,
            unique_fields=["badge", "email"],
            update_fields=fields[2:],
        )
    if emptied:
        condition = Q()
        for badge_id, email in emptied:
            condition |= Q(badge_id=badge_id, email=email)
        LearningProgress.objects.filter(condition).delete()
    by_badge_first = {(badge_id, email): value for (email, badge_id), value in progress.items()}
    awards = _award_completed(by_badge_first, requirements, names, now=now, notify=notify)
    return len(upserts) + len(emptied), awards


def _lock_people(emails: Iterable[str]) -> None:
    """Update one person's progress in one transaction at a time (PostgreSQL).

    Two batches about the same person, committed at the same moment, would each read
    the progress kept before the other and write a progress that misses the other's
    statements. Each takes the person's lock after storing its statements and keeps it
    until it commits, so the second reads what the first wrote. Locks are per bucket of
    people (a bounded number per transaction) and taken in one order, so two batches
    never wait for each other in a circle. SQLite lets one writer in at a time.
    """
    if connection.vendor != "postgresql":
        return
    buckets = sorted(
        {
            int(hashlib.sha1(email.encode(), usedforsecurity=False).hexdigest()[:8], 16) % LOCK_BUCKETS
            for email in emails
        }
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, bucket)"
            " FROM unnest(%s::int[]) WITH ORDINALITY AS b(bucket, n) ORDER BY n",
            [LOCK_NAMESPACE, buckets],
        )


def _emails_by_key(keys: Iterable[str]) -> dict[str, str]:
    """The person (email) each key names; a key that names nobody known is left out."""
    keys = set(keys)
    known = dict(_in_chunks(LearnerKey.objects.values_list("key", "email"), "key", keys))
    for key in keys - known.keys():
        email = email_of_key(key)
        if email:
            known[key] = email
    return known


def progress_recompute(
    wanted: dict[str, set[int]], *, now: datetime | None = None, notify: bool = True
) -> tuple[int, list[Award]]:
    """Recount each person's (email's) progress on the given badges from all their statements,
    and award what became due. Returns (rows written, awards made)."""
    pairs = {(email, badge_id) for email, badge_ids in wanted.items() for badge_id in badge_ids}
    return _progress_update({}, pairs, {}, now=now or timezone.now(), notify=notify)


@dataclass(frozen=True)
class _Req:
    activity_id: str
    name: str
    rule: Requirement


def _requirements_of(badge_ids: Iterable[int]) -> dict[int, list[_Req]]:
    requirements: dict[int, list[_Req]] = defaultdict(list)
    for req in LearningRequirement.objects.filter(badge_id__in=list(badge_ids)).order_by(
        "badge_id", "position", "id"
    ):
        rule = Requirement(
            req.activity_id,
            Requires(req.requires),
            float(req.min_score) if req.min_score is not None else None,
        )
        requirements[req.badge_id].append(_Req(req.activity_id, req.name, rule))
    return requirements


def _keys_of(emails: Iterable[str]) -> dict[str, set[str]]:
    """Every actor key that names each person: their own mbox (unless it is a known person's
    other address), and the keys of their user."""
    emails = set(emails)
    own = {f"mbox:{email}": email for email in emails}
    taken = dict(_in_chunks(LearnerKey.objects.values_list("key", "email"), "key", own))
    keys: dict[str, set[str]] = {
        email: ({key} if taken.get(key, email) == email else set()) for key, email in own.items()
    }
    for key, email in _in_chunks(LearnerKey.objects.values_list("key", "email"), "email", emails):
        keys[email].add(key)
    return keys


def _user_names(emails: Iterable[str]) -> dict[str, str]:
    names = {}
    for email, first, last in _in_chunks(
        LearnerKey.objects.filter(key__startswith="mbox:").values_list(
            "email", "user__first_name", "user__last_name"
        ),
        "email",
        emails,
    ):
        full = f"{first} {last}".strip()
        if full:
            names[email] = full
    return names


def _progress_row(
    badge_id: int, email: str, name: str, reqs: Sequence[_Req], progress: BadgeProgress, now: datetime
) -> LearningProgress:
    activities = {}
    for req, status in zip(reqs, progress.statuses, strict=True):
        activities[req.activity_id] = {
            "started_at": _iso(status.started_at),
            "done_at": _iso(status.done_at),
            "first_statement": str(status.first_statement) if status.first_statement else None,
            "last_done_at": _iso(status.last_done_at),
            "statement": str(status.last_statement) if status.last_statement else None,
            "score": status.score,
        }
    completed_at = max(s.done_at for s in progress.statuses) if progress.complete else None
    return LearningProgress(
        badge_id=badge_id,
        email=email,
        name=name[:200],
        done=progress.done,
        required=progress.required,
        percent=progress.percent,
        started_at=min((s.started_at for s in progress.statuses if s.started_at), default=None),
        completed_at=completed_at,
        activities=activities,
        updated_at=now,
    )


# --- Awarding ------------------------------------------------------------------------------


def _award_completed(
    progress_by_pair: dict[tuple[int, str], BadgeProgress],
    requirements: dict[int, list[_Req]],
    names: dict[str, str],
    *,
    now: datetime,
    notify: bool = True,
) -> list[Award]:
    complete = {pair: progress for pair, progress in progress_by_pair.items() if progress.complete}
    if not complete:
        return []
    badges = {
        badge.pk: badge
        for badge in Badge.objects.filter(
            pk__in={badge_id for badge_id, _ in complete}, learning_auto_award=True, archived_at__isnull=True
        ).select_related("organisation")
    }
    complete = {pair: progress for pair, progress in complete.items() if pair[0] in badges}
    if not complete:
        return []
    last = _last_awards(complete, now=now)
    due: dict[int, dict[str, BadgeProgress]] = defaultdict(dict)
    for (badge_id, email), progress in sorted(complete.items()):
        if award_due(progress, last.get((badge_id, email))):
            due[badge_id][email] = progress
    made: list[Award] = []
    for badge_id, people in sorted(due.items()):
        badge, reqs = badges[badge_id], requirements[badge_id]
        emails = sorted(people)
        for chunk in _chunks(emails, AWARDS_PER_BATCH):
            evidence = {
                email: _evidence(reqs, people[email], counting_from(last.get((badge_id, email))))
                for email in chunk
            }
            result = award_batch_create(
                badge=badge,
                actor=None,
                recipients=[Recipient(email=email, name=names.get(email, "")[:200]) for email in chunk],
                narratives={email: _narrative(items) for email, items in evidence.items()},
                notify=notify,
            )
            LearningAward.objects.bulk_create(
                [
                    LearningAward(award=award, evidence=evidence[award.recipient_email])
                    for award in result.awarded
                ]
            )
            made += result.awarded
    if made:
        logger.info("Awarded %d badges from learning records", len(made))
    return made


def _last_awards(pairs: Iterable[tuple[int, str]], *, now: datetime) -> dict[tuple[int, str], LastAward]:
    """Each person's latest award of each badge, as the auto-award rule sees it."""
    pairs = set(pairs)
    badge_ids = {badge_id for badge_id, _ in pairs}
    emails = {email for _, email in pairs}
    last: dict[tuple[int, str], LastAward] = {}
    # By email alone, as for progress rows: a badge may have a hundred thousand awards.
    latest = sorted(
        (row for row in _in_chunks(
            Award.objects.values_list("badge_id", "recipient_email", "revoked_at", "expires_on", "issued_on"),
            "recipient_email",
            emails,
        ) if row[0] in badge_ids),
        key=lambda row: (row[0], row[1], row[4]),
        reverse=True,
    )  # fmt: skip
    for badge_id, email, revoked_at, expires_on, _issued_on in latest:
        if (badge_id, email) in last or (badge_id, email) not in pairs:
            continue  # an older award of the same person: the latest decides
        if revoked_at is not None:
            last[(badge_id, email)] = LastAward(Status.REVOKED, revoked_at)
        elif expires_on is not None and expires_on <= now:
            last[(badge_id, email)] = LastAward(Status.EXPIRED, expires_on)
        else:
            last[(badge_id, email)] = LastAward(Status.ACTIVE)
    return last


def _evidence(reqs: Sequence[_Req], progress: BadgeProgress, since: datetime | None) -> list[dict]:
    """Each activity, and the statement that shows it done (after ``since``, for a renewal)."""
    del since  # the latest completion is after it: award_due checked
    return [
        {
            "activity_id": req.activity_id,
            "name": req.name,
            "done_at": _iso(status.last_done_at),
            "score": status.score,
            "statement_id": str(status.last_statement) if status.last_statement else None,
        }
        for req, status in zip(reqs, progress.statuses, strict=True)
    ]


def _narrative(evidence: list[dict]) -> str:
    """The award's narrative: what was done, and when (shown on the award and in Open Badges)."""
    lines = [_("Awarded from learning records:")]
    for item in evidence:
        done_on = (item["done_at"] or "")[:10]  # the date, ISO 8601: the same for every reader
        if item["score"] is not None:
            lines.append(
                _("- %(activity)s: done on %(date)s, score %(score)d%%")
                % {"activity": item["name"], "date": done_on, "score": round(item["score"] * 100)}
            )
        else:
            lines.append(_("- %(activity)s: done on %(date)s") % {"activity": item["name"], "date": done_on})
    return "\n".join(lines)


# --- People and badges that change ------------------------------------------------------------


def learner_keys_refresh(*, user: User) -> None:
    """Keep the actor keys that name ``user`` current, and count their statements under them.

    Called when a user is created, their email changes, or they confirm or remove an
    address: statements sent before, under any of their addresses, their ``account`` or
    their ``mbox_sha1sum``, then count toward their badges, as one person (their first
    address, as awards know them).
    """
    confirmed = [
        address.lower()
        for address in EmailAddress.objects.confirmed().filter(user=user).order_by("confirmed_at", "pk")
        .values_list("email", flat=True)
    ]  # fmt: skip
    addresses = list(dict.fromkeys([e for e in [(user.email or "").strip().lower(), *confirmed] if e]))
    email = addresses[0] if addresses else ""
    wanted = (
        person_keys(addresses, username=user.username, account_home_page=account_home_page())
        if email
        else set()
    )
    current = dict(LearnerKey.objects.filter(user=user).values_list("key", "email"))
    if current == dict.fromkeys(wanted, email):
        return
    touched = ({email} | set(current.values()) | set(addresses)) - {""}
    with transaction.atomic():
        LearnerKey.objects.filter(user=user).exclude(key__in=wanted).delete()
        LearnerKey.objects.bulk_create(
            [LearnerKey(key=key, email=email, user=user) for key in sorted(wanted)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["email", "user"],
        )
        # Rows kept under another of their addresses fold into the one person: recounted,
        # they find no statement of their own left and go.
        stale = LearningProgress.objects.filter(email__in=touched - {email}).values_list("email", "badge_id")
        wanted_pairs = _badges_touched_by(touched)
        for other, badge_id in stale:
            wanted_pairs.setdefault(other, set()).add(badge_id)
        progress_recompute(wanted_pairs)


def _badges_touched_by(emails: set[str]) -> dict[str, set[int]]:
    """For each person, the badges that require an activity they have statements about."""
    keys = _keys_of(emails)
    email_by_key = {key: email for email, person in keys.items() for key in person}
    activities = defaultdict(set)
    for key, activity_id in _in_chunks(
        LearningStatement.objects.exclude(activity_id="").values_list("actor_key", "activity_id").distinct(),
        "actor_key",
        email_by_key,
    ):
        activities[email_by_key[key]].add(activity_id)
    wanted: dict[str, set[int]] = {email: set() for email in emails}
    all_activities = set().union(*activities.values()) if activities else set()
    by_activity = defaultdict(set)
    for activity_id, badge_id in _in_chunks(
        LearningRequirement.objects.values_list("activity_id", "badge_id"), "activity_id", all_activities
    ):
        by_activity[activity_id].add(badge_id)
    for email, done in activities.items():
        for activity_id in done:
            wanted[email] |= by_activity.get(activity_id, set())
    return wanted


def badge_progress_rebuild(*, badge: Badge) -> tuple[int, list[Award]]:
    """Recompute everyone's progress on ``badge`` after its requirements or auto-award changed.

    Statements received before a requirement was added count: they are all kept.
    """
    activities = list(badge.learning_requirements.values_list("activity_id", flat=True))
    keys = (
        LearningStatement.objects.filter(activity_id__in=activities, voided_by__isnull=True)
        .exclude(actor_key="")
        .values_list("actor_key", flat=True)
        .distinct()
    )
    emails = set(_emails_by_key(keys).values()) if activities else set()
    with transaction.atomic():
        LearningProgress.objects.filter(badge=badge).exclude(email__in=emails).delete()
        return progress_recompute({email: {badge.pk} for email in emails})


# --- A badge's learning requirements ----------------------------------------------------------

NAME_REQUIRED = gettext_lazy("Give the activity a name people recognise.")
NAME_TOO_LONG = gettext_lazy("Keep the name under %(max)d characters.")
BAD_URL = gettext_lazy("Enter the http(s) link where people take the activity, or leave it empty.")
BAD_REQUIRES = gettext_lazy("Say what counts: “completed” or “passed”.")
BAD_MIN_SCORE = gettext_lazy("A minimum score is a scaled score from 0 to 1 (0.8 is 80%), or empty.")
DUPLICATE_ACTIVITY = gettext_lazy("This activity is listed twice.")
TOO_MANY_ACTIVITIES = gettext_lazy("A badge may require at most %(max)d activities.")
ACTIVITY_NAME_MAX = 200
ACTIVITY_URL_MAX = 500


@dataclass(frozen=True)
class ActivitySpec:
    """One required activity, as a manager gives it (``core.models.learning.LearningRequirement``)."""

    id: str
    name: str
    url: str = ""
    requires: str = Requires.COMPLETED.value
    min_score: Decimal | None = None


class LearningInvalid(ValidationError):
    """Problems with a badge's learning requirements: ``activities`` maps an index to {field: message}."""

    def __init__(self, activities: dict[int, dict[str, str]] | None = None, general: str = "") -> None:
        self.activities = activities or {}
        self.general = general
        messages = [general] if general else []
        messages += [
            f"{index + 1}. {field}: {msg}"
            for index, fields in self.activities.items()
            for field, msg in fields.items()
        ]
        super().__init__(messages)


def clean_learning(activities: Sequence[ActivitySpec | dict]) -> list[ActivitySpec]:
    """The one check of a badge's requirements, for the form and the API alike."""
    if len(activities) > MAX_REQUIREMENTS:
        raise LearningInvalid(general=str(TOO_MANY_ACTIVITIES % {"max": MAX_REQUIREMENTS}))
    errors: dict[int, dict[str, str]] = {}
    cleaned: list[ActivitySpec] = []
    seen: dict[str, int] = {}
    url_check = URLValidator(schemes=["http", "https"])
    for index, item in enumerate(activities):
        spec = item if isinstance(item, ActivitySpec) else ActivitySpec(**item)
        problems: dict[str, str] = {}
        activity_id = (spec.id or "").strip()
        try:
            activity_id = check_activity_iri(activity_id)
        except StatementInvalid as error:
            problems["id"] = str(PROBLEMS[error.code] % {"field": _("The activity IRI"), **error.params})
        name = (spec.name or "").strip()
        if not name:
            problems["name"] = str(NAME_REQUIRED)
        elif len(name) > ACTIVITY_NAME_MAX:
            problems["name"] = str(NAME_TOO_LONG % {"max": ACTIVITY_NAME_MAX})
        url = (spec.url or "").strip()
        if url:
            try:
                if len(url) > ACTIVITY_URL_MAX:
                    raise ValidationError("too long")
                url_check(url)
            except ValidationError:
                problems["url"] = str(BAD_URL)
        if spec.requires not in (Requires.COMPLETED.value, Requires.PASSED.value):
            problems["requires"] = str(BAD_REQUIRES)
        min_score = spec.min_score
        if min_score is not None and min_score != "":
            try:
                min_score = Decimal(str(min_score))
                if not (0 <= min_score <= 1) or min_score != round(min_score, 3):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                problems["min_score"] = str(BAD_MIN_SCORE)
        else:
            min_score = None
        if "id" not in problems:
            if activity_id in seen:
                problems["id"] = str(DUPLICATE_ACTIVITY)
            seen.setdefault(activity_id, index)
        if problems:
            errors[index] = problems
            continue
        cleaned.append(ActivitySpec(activity_id, name, url, spec.requires, min_score))
    if errors:
        raise LearningInvalid(errors)
    return cleaned


def badge_learning_set(
    *, badge: Badge, actor: User | None, activities: Sequence[ActivitySpec | dict], auto_award: bool
) -> tuple[int, list[Award]]:
    """Replace the activities ``badge`` requires and its auto-award switch; recount progress.

    Learning done before a requirement was added counts (every statement is kept); with
    auto-award on, people who have now done everything are awarded.
    """
    cleaned = clean_learning(activities)
    current = [
        ActivitySpec(r.activity_id, r.name, r.url, r.requires, r.min_score)
        for r in badge.learning_requirements.order_by("position", "id")
    ]
    if current == cleaned and badge.learning_auto_award == auto_award:
        return 0, []
    rules_changed = [(a.id, a.requires, a.min_score) for a in current] != [
        (a.id, a.requires, a.min_score) for a in cleaned
    ]
    with transaction.atomic():
        badge.learning_requirements.all().delete()
        LearningRequirement.objects.bulk_create(
            [
                LearningRequirement(
                    badge=badge,
                    position=position,
                    activity_id=spec.id,
                    name=spec.name,
                    url=spec.url,
                    requires=spec.requires,
                    min_score=spec.min_score,
                )
                for position, spec in enumerate(cleaned)
            ]
        )
        switched_on = auto_award and not badge.learning_auto_award
        if badge.learning_auto_award != auto_award:
            badge.learning_auto_award = auto_award
            badge.save(update_fields=["learning_auto_award", "updated_at"])
        if rules_changed or switched_on:
            return badge_progress_rebuild(badge=badge)
    return 0, []


# --- Helpers --------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _chunks(items: Sequence, size: int):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_chunks(queryset, field_name: str, values: Iterable) -> list:
    """``queryset.filter(<field>__in=values)``, a bounded number of values per query."""
    rows = []
    for chunk in _chunks(sorted(set(values)), KEYS_PER_QUERY):
        rows += list(queryset.filter(**{f"{field_name}__in": chunk}))
    return rows
