"""Demo learning records: what an LMS would have sent, loaded through the one ingest service.

- bob is half-way through *Fire Warden* (two of four activities done, one started), so
  home shows a progress bar and his next activity, and the badge page a checklist;
- bob finished *Accessibility Essentials*, which awards itself: he holds it "from
  learning records", with its evidence;
- colleagues who never signed in are at every stage of *Fire Warden*, for alice's
  progress view (Zoë has done everything, but that badge is awarded by hand).

Statement ids are fixed (UUID 5 of a name), so seeding again stores nothing new.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.models import Badge, StatementSource
from core.services.learning import badge_learning_set, statements_ingest

NAMESPACE = uuid.UUID("6c1f0a58-3f5e-4c8e-9d1b-4a2f8e7c5b10")
LMS = "https://lms.cowork.net/courses"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"

FIRE_WARDEN = [
    {
        "id": f"{LMS}/fire-safety-basics",
        "name": "Fire safety basics (e-learning)",
        "url": f"{LMS}/fire-safety-basics",
    },
    {"id": f"{LMS}/evacuation-plan", "name": "Our evacuation plan", "url": f"{LMS}/evacuation-plan"},
    {
        "id": f"{LMS}/extinguishers-quiz",
        "name": "Extinguishers quiz",
        "url": f"{LMS}/extinguishers-quiz",
        "requires": "passed",
        "min_score": "0.8",
    },
    {"id": f"{LMS}/evacuation-drill", "name": "Lead an evacuation drill", "url": ""},
]
ACCESSIBILITY = [
    {"id": f"{LMS}/a11y-essentials", "name": "Accessibility essentials", "url": f"{LMS}/a11y-essentials"},
    {
        "id": f"{LMS}/a11y-assessment",
        "name": "Accessibility assessment",
        "url": f"{LMS}/a11y-assessment",
        "requires": "passed",
        "min_score": "0.7",
    },
]


def _statement(
    name: str, actor: dict, verb: str, activity: str, days_ago: float, result: dict | None = None
) -> dict:
    data = {
        "id": str(uuid.uuid5(NAMESPACE, name)),
        "actor": {"objectType": "Agent", **actor},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": activity},
        # Relative to the first seeding: statements keep their id, so a later seed changes nothing.
        "timestamp": (timezone.now() - timedelta(days=days_ago)).isoformat(),
    }
    if result:
        data["result"] = result
    return data


def _mbox(email: str, name: str = "") -> dict:
    return {"mbox": f"mailto:{email}", **({"name": name} if name else {})}


def demo_statements() -> list[dict]:
    fire, a11y = [a["id"] for a in FIRE_WARDEN], [a["id"] for a in ACCESSIBILITY]
    bob = _mbox("bob@cowork.net", "Bob Lefèvre")
    # The LMS knows bob by his proxy username too (an xAPI account on the configured homePage).
    bob_account = {"account": {"homePage": settings.XAPI_ACCOUNT_HOME_PAGE, "name": "bob"}, "name": "bob"}
    statements = [
        _statement("bob fire 1", bob, COMPLETED, fire[0], 20, {"completion": True, "duration": "PT25M"}),
        _statement("bob fire 2", bob_account, COMPLETED, fire[1], 12, {"completion": True}),
        _statement("bob fire 3 try", bob, ATTEMPTED, fire[2], 3),
        _statement("bob fire 3 fail", bob, PASSED, fire[2], 3, {"success": False, "score": {"scaled": 0.65}}),
        _statement("bob a11y 1", bob, COMPLETED, a11y[0], 40, {"completion": True}),
        _statement("bob a11y 2", bob, PASSED, a11y[1], 38, {"success": True, "score": {"scaled": 0.88}}),
    ]
    colleagues = [
        ("zoe.odegard@cowork.net", "Zoë Ødegård", 4),
        ("li.lei@cowork.net", "李雷", 2),
        ("ngozi.adebayo@cowork.net", "Ngozi Adébáyọ̀", 1),
        ("matheo.dupont@cowork.net", "Mathéo Dupont 🚴", 0),
    ]
    for email, name, done in colleagues:
        actor = _mbox(email, name)
        for n in range(done):
            result = {"success": True, "score": {"scaled": 0.9}} if n == 2 else {"completion": True}
            verb = PASSED if n == 2 else COMPLETED
            statements.append(_statement(f"{email} fire {n}", actor, verb, fire[n], 30 - 5 * n, result))
        if done < len(fire):
            statements.append(_statement(f"{email} fire {done} try", actor, ATTEMPTED, fire[done], 1))
    return statements


def seed_learning(badges: dict[str, Badge]) -> int:
    """Requirements on the demo badges, then the statements; returns how many were new."""
    badge_learning_set(badge=badges["fire-warden"], actor=None, activities=FIRE_WARDEN, auto_award=False)
    badge_learning_set(
        badge=badges["accessibility-essentials"], actor=None, activities=ACCESSIBILITY, auto_award=True
    )
    result = statements_ingest(data=demo_statements(), source=StatementSource.DEMO, notify=False)
    return result.stored
