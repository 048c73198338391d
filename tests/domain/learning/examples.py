"""Statements as LMSs and LRSs send them (xAPI 1.0.3), in the shapes of the spec's examples.

Each function returns a fresh dict, so a test may break one without touching the others.
"""

from __future__ import annotations

FIRST_AID = "https://lms.cowork.net/courses/first-aid"
FIRE_SAFETY = "https://lms.cowork.net/courses/fire-safety"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def completion_with_score() -> dict:
    """An LMS reports a finished course: completed, passed, scaled score, as an LRS returns it."""
    return {
        "id": "5c6f4a1e-2b7d-4e8a-9c3f-1d2e3f4a5b6c",
        "actor": {"objectType": "Agent", "name": "Bob Teammate", "mbox": "mailto:Bob@Cowork.net"},
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": FIRST_AID,
            "definition": {
                "name": {"en-US": "First Aid at Work"},
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
        "result": {
            "score": {"scaled": 0.92, "raw": 46, "min": 0, "max": 50},
            "success": True,
            "completion": True,
            "duration": "PT1H12M",
        },
        "context": {
            "registration": "0f7a9d3c-8e21-4b6a-a5f0-3c2d1e0b9a87",
            "platform": "Cowork LMS",
            "language": "en-US",
        },
        "timestamp": "2026-03-02T09:41:17.412Z",
        "stored": "2026-03-02T09:41:18.006+00:00",
        "authority": {
            "objectType": "Agent",
            "account": {"homePage": "https://lrs.cowork.net", "name": "lms"},
        },
        "version": "1.0.0",
    }


def cmi5_passed() -> dict:
    """A cmi5 assessment passed, the learner known by an account on the LMS."""
    return {
        "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "actor": {
            "objectType": "Agent",
            "name": "bob",
            "account": {"homePage": "https://sso.cowork.net/", "name": "bob"},
        },
        "verb": {"id": PASSED, "display": {"en-US": "passed"}},
        "object": {"id": FIRE_SAFETY, "objectType": "Activity"},
        "result": {"score": {"scaled": 0.8}, "success": True, "duration": "PT20M"},
        "context": {
            "contextActivities": {
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"}],
            },
        },
        "timestamp": "2026-03-05T14:00:00+01:00",
    }


def attempted_hashed() -> dict:
    """An attempt without result, the learner known only by the SHA-1 of their mbox."""
    return {
        "actor": {"mbox_sha1sum": "6f0e9e2b7d3c4a1f5e8d9c0b1a2f3e4d5c6b7a89"},
        "verb": {"id": ATTEMPTED, "display": {"en-US": "attempted"}},
        "object": {"id": FIRST_AID},
    }


def team_meeting() -> dict:
    """A Group attended a meeting: its learning is nobody's in particular."""
    return {
        "id": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "actor": {
            "objectType": "Group",
            "name": "Team Blue",
            "mbox": "mailto:team-blue@cowork.net",
            "member": [
                {
                    "objectType": "Agent",
                    "name": "Ana",
                    "account": {"homePage": "https://sso.cowork.net", "name": "ana"},
                },
                {"objectType": "Agent", "name": "Tom", "openid": "https://tom.openid.example.org/"},
                {"objectType": "Agent", "mbox_sha1sum": "0123456789abcdef0123456789abcdef01234567"},
            ],
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended"}},
        "object": {"id": "https://intranet.cowork.net/meetings/4711", "objectType": "Activity"},
        "result": {"completion": True},
        "timestamp": "2026-03-06T10:00:00Z",
    }


def voiding(target: str = "5c6f4a1e-2b7d-4e8a-9c3f-1d2e3f4a5b6c") -> dict:
    """An administrator voids a statement recorded by mistake."""
    return {
        "id": "e0f1a2b3-c4d5-4e6f-8a9b-0c1d2e3f4a5b",
        "actor": {"objectType": "Agent", "name": "LMS Admin", "mbox": "mailto:lms-admin@cowork.net"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
        "timestamp": "2026-03-03T08:00:00Z",
    }
