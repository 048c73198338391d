"""Statements as an LMS sends them, for the learning-record tests (xAPI 1.0.3)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

FIRST_AID = "https://lms.cowork.net/courses/first-aid"
CPR = "https://lms.cowork.net/courses/cpr-practical"
FIRE = "https://lms.cowork.net/courses/fire-safety"


def statement(
    email: str | None = "bob@cowork.net",
    activity: str = FIRST_AID,
    verb: str = COMPLETED,
    *,
    at: datetime | None = None,
    actor: dict | None = None,
    result: dict | None = None,
    statement_id: str | None = None,
    name: str = "",
) -> dict:
    """One statement; ``at`` defaults to a minute ago (an LMS reports what just happened)."""
    moment = at or timezone.now() - timedelta(minutes=1)
    data = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor
        or {"objectType": "Agent", "mbox": f"mailto:{email}", **({"name": name} if name else {})},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"name": {"en-US": activity.rsplit("/", 1)[-1].replace("-", " ").title()}},
        },
        "timestamp": moment.isoformat(),
    }
    if result is not None:
        data["result"] = result
    return data


def voiding(target: dict | str, *, at: datetime | None = None) -> dict:
    """An administrator voids a statement recorded by mistake."""
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:lms-admin@cowork.net", "name": "LMS admin"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target if isinstance(target, str) else target["id"]},
        "timestamp": (at or timezone.now()).isoformat(),
    }


def activities(*ids_and_rules) -> list[dict]:
    """Badge requirements as the API takes them: ``activities((FIRST_AID, "completed"), ...)``."""
    out = []
    for item in ids_and_rules:
        activity_id, requires, *rest = item if isinstance(item, tuple) else (item, "completed")
        out.append(
            {
                "id": activity_id,
                "name": activity_id.rsplit("/", 1)[-1].replace("-", " ").title(),
                "url": activity_id,
                "requires": requires,
                "min_score": rest[0] if rest else None,
            }
        )
    return out
