"""Learning records at scale, for benchmarks: ``seed_scale --statements 1000000``.

Unlike the rest of ``seed_scale``, statements go through the one ingest service
(``statements_ingest``), in batches as a sync would send them: progress and automatic
awards are the service's, and the run measures its ingest rate.

The company's first badges get learning paths (three or four activities each, from a
shared catalogue of courses, some needing a pass with a minimum score; a third award
themselves). Statements come in sessions (a course opened, then mostly completed, or an assessment
passed or failed with a score), spread over the employees with a long tail (a few very
active learners, most with a handful) and over two years, oldest first; a fifth are about
courses no badge requires (yet).
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from core.models import Badge, LearningRequirement, StatementSource
from core.services.learning import badge_learning_set, statements_ingest

VERBS = "http://adlnet.gov/expapi/verbs/"
CATALOGUE_SIZE = 400  # courses in the academy
PATH_BADGES = 100  # badges with a learning path


@dataclass
class LearningScaleResult:
    statements: int = 0
    stored: int = 0
    awarded: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.statements / self.seconds if self.seconds else 0.0


def _course(slug: str, n: int) -> str:
    return f"https://academy.{slug}.example/courses/{n:04d}"


def seed_scale_learning(
    *,
    slug: str,
    emails: list[str],
    statements: int,
    seed: int = 2026,
    batch_size: int = 5000,
    log: Callable[[str], None] = lambda message: None,
) -> LearningScaleResult:
    rng = random.Random(seed + 1)  # noqa: S311 (reproducible data, not secrets)
    badges = list(Badge.objects.filter(organisation__slug=slug).offered().order_by("pk")[:PATH_BADGES])
    paths: list[list[str]] = []
    for badge in badges:
        existing = list(badge.learning_requirements.values_list("activity_id", flat=True))
        if existing:  # a second run adds statements to the same paths
            paths.append(existing)
            continue
        courses = rng.sample(range(CATALOGUE_SIZE), rng.choice((3, 4)))
        activities = []
        for n in courses:
            passed = rng.random() < 0.3
            activities.append(
                {
                    "id": _course(slug, n),
                    "name": f"Course {n:04d}",
                    "url": _course(slug, n),
                    "requires": "passed" if passed else "completed",
                    "min_score": "0.7" if passed else None,
                }
            )
        badge_learning_set(badge=badge, actor=None, activities=activities, auto_award=rng.random() < 0.33)
        paths.append([a["id"] for a in activities])
    out = LearningScaleResult()
    batch: list[dict] = []
    for statement in scale_statements(slug=slug, emails=emails, paths=paths, count=statements, rng=rng):
        batch.append(statement)
        if len(batch) == batch_size:
            _ingest(batch, out)
            batch = []
            if out.statements % (batch_size * 50) == 0:
                log(f"  {out.statements} statements, {out.rate:.0f}/s")
    if batch:
        _ingest(batch, out)
    return out


def learning_paths(slug: str) -> list[list[str]]:
    """The activity IRIs of each learning path of organisation ``slug``."""
    paths: dict[int, list[str]] = {}
    for badge_id, activity_id in (
        LearningRequirement.objects.filter(badge__organisation__slug=slug)
        .order_by("badge_id", "position")
        .values_list("badge_id", "activity_id")
    ):
        paths.setdefault(badge_id, []).append(activity_id)
    return list(paths.values())


def scale_statements(
    *, slug: str, emails: list[str], paths: list[list[str]], count: int, rng: random.Random, days: int = 730
) -> Iterator[dict]:
    """Sessions, as an LMS reports them: a learner opens a course (attempted), and most of the
    time finishes it (completed, or an assessment passed or failed with a score). Learners
    follow a long tail (weight 1/rank^0.8 over a shuffled list); times run over ``days``."""
    people = list(emails)
    rng.shuffle(people)
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(people))))
    now = timezone.now()
    start = now - timedelta(days=days)
    step = (now - start) / max(count, 1)
    n = 0
    while n < count:
        email = rng.choices(people, cum_weights=cumulative)[0]
        if rng.random() < 0.2:
            activity = _course(slug, rng.randrange(CATALOGUE_SIZE, CATALOGUE_SIZE * 2))  # not required
        else:
            path = rng.choice(paths) if paths else [_course(slug, rng.randrange(CATALOGUE_SIZE))]
            activity = rng.choice(path)
        session: list[tuple[str, dict | None]] = [("attempted", None)]
        roll = rng.random()
        if roll < 0.6:
            session.append(("completed", {"completion": True}))
        elif roll < 0.85:
            session.append(("passed", {"success": True, "score": {"scaled": round(rng.uniform(0.6, 1), 2)}}))
        elif roll < 0.95:
            session.append(("failed", {"success": False, "score": {"scaled": round(rng.uniform(0, 0.6), 2)}}))
        for verb, result in session[: count - n]:
            statement = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
                "verb": {"id": VERBS + verb, "display": {"en-US": verb}},
                "object": {"objectType": "Activity", "id": activity},
                "timestamp": (start + step * n).isoformat(),
            }
            if result:
                statement["result"] = result
            n += 1
            yield statement


def _ingest(batch: list[dict], out: LearningScaleResult) -> None:
    """One batch through the service, timed alone (making up the statements is not ingesting)."""
    began = time.perf_counter()
    result = statements_ingest(data=batch, source=StatementSource.DEMO, notify=False)
    out.seconds += time.perf_counter() - began
    out.statements += len(batch)
    out.stored += result.stored
    out.awarded += len(result.awarded)
