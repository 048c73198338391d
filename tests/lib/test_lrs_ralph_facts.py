"""The Ralph the suite tests against behaves as tests/support/ralph.py says.

The pull path is designed around these facts (filter for ourselves, follow ``more``,
one batch per fresh store): if a new Ralph changes them, this says so first.
"""

from __future__ import annotations

import uuid

import pytest

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"


def statement(n: int, *, email: str, verb: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": f"https://lms.cowork.net/courses/{n % 3}"},
        "timestamp": f"2026-03-01T09:00:{n:02d}+00:00",
    }


@pytest.fixture(scope="module")
def filled_ralph(ralph_credentials, tmp_path_factory):
    from tests.support.ralph import running_ralph

    with running_ralph(tmp_path_factory.mktemp("ralph"), ralph_credentials, page_size=4) as lrs:
        batch = [
            statement(
                n,
                email="bob@cowork.net" if n % 2 else "ana@cowork.net",
                verb=COMPLETED if n < 5 else ATTEMPTED,
            )
            for n in range(10)
        ]
        assert lrs.post(batch) == [s["id"] for s in batch]
        yield lrs, batch


def test_it_answers_only_with_the_credentials(filled_ralph):
    lrs, _ = filled_ralph
    assert lrs.request("GET", "/xAPI/statements", auth=("badgeapp", "wrong"))[0] == 401
    assert lrs.request("GET", "/xAPI/statements")[0] == 200


def test_it_pages_in_written_order_with_more(filled_ralph):
    lrs, batch = filled_ralph
    seen, page = [], lrs.statements(limit="100")
    assert len(page["statements"]) == 4  # capped by RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page.get("more"):
            break
        status, page = lrs.request("GET", page["more"])
        assert status == 200
    assert seen == [s["id"] for s in batch]


def test_agent_and_since_filter_but_verb_and_activity_do_not(filled_ralph):
    lrs, batch = filled_ralph
    bob = lrs.statements(agent='{"mbox": "mailto:bob@cowork.net"}', limit="4")
    assert {s["actor"]["mbox"] for s in bob["statements"]} == {"mailto:bob@cowork.net"}
    # since compares the timestamp, not stored, and is exclusive
    since = lrs.statements(since="2026-03-01T09:00:07+00:00")
    assert [s["id"] for s in since["statements"]] == [s["id"] for s in batch[8:]]
    assert lrs.statements(verb=COMPLETED)["statements"] == []
    assert lrs.statements(activity="https://lms.cowork.net/courses/1")["statements"] == []


def test_a_second_batch_is_refused(filled_ralph):
    lrs, _ = filled_ralph
    status, _ = lrs.request(
        "POST", "/xAPI/statements", [statement(42, email="bob@cowork.net", verb=COMPLETED)]
    )
    assert status == 500
