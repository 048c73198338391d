"""Reading a real LRS (Ralph) page by page: since, more, credentials, limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from core.lib.lrs import LRSClient, LRSError


def statement(n: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:learner{n}@cowork.net"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "https://lms.cowork.net/courses/first-aid"},
        "timestamp": f"2026-03-01T09:00:{n:02d}+00:00",
    }


@pytest.fixture(scope="module")
def lrs(ralph_credentials, tmp_path_factory):
    from tests.support.ralph import running_ralph

    with running_ralph(tmp_path_factory.mktemp("ralph"), ralph_credentials, page_size=4) as lrs:
        batch = [statement(n) for n in range(10)]
        lrs.post(batch)
        yield lrs, batch


def client(lrs, **options) -> LRSClient:
    return LRSClient(lrs.endpoint, lrs.credentials.username, lrs.credentials.password, **options)


def ids(page) -> set[str]:
    return {s["id"] for s in page.statements}


def test_it_reads_every_page_oldest_first(lrs):
    lrs, batch = lrs
    pages = list(client(lrs, page_size=100).pages())
    # Ralph caps the page size; with ascending=true it reverses each page, so only the
    # order of pages is oldest first, and the caller must not rely on order within one.
    assert [ids(page) for page in pages] == [{s["id"] for s in batch[i : i + 4]} for i in (0, 4, 8)]
    assert pages[-1].more is None


def test_it_asks_from_a_moment_on(lrs):
    lrs, batch = lrs
    since = datetime(2026, 3, 1, 9, 0, 5, tzinfo=UTC)
    seen = [s["id"] for page in client(lrs).pages(since) for s in page.statements]
    assert sorted(seen) == sorted(s["id"] for s in batch[6:])


def test_it_resumes_from_a_kept_more_link(lrs):
    lrs, batch = lrs
    first = next(client(lrs).pages())
    rest = [s["id"] for page in client(lrs).pages(start_url=first.more) for s in page.statements]
    assert sorted(rest) == sorted(s["id"] for s in batch[4:])


def test_wrong_credentials_are_an_error(lrs):
    lrs, _ = lrs
    with pytest.raises(LRSError, match="401"):
        next(LRSClient(lrs.endpoint, lrs.credentials.username, "wrong").pages())


def test_a_page_larger_than_the_limit_is_an_error(lrs):
    lrs, _ = lrs
    with pytest.raises(LRSError, match="larger than"):
        next(client(lrs, max_page_bytes=500).pages())


def test_an_unreachable_lrs_is_an_error(lrs):
    lrs, _ = lrs
    port = int(lrs.origin.rsplit(":", 1)[1])
    # A port nothing listens on: the LRS's own port, on another loopback address.
    dead = LRSClient(f"http://127.0.0.2:{port}/xAPI/", "u", "p", timeout=2)
    with pytest.raises(LRSError, match="could not be reached"):
        next(dead.pages())


def test_more_links_stay_on_the_lrs():
    reader = LRSClient("https://lrs.cowork.net/xAPI/", "u", "p")
    assert reader._more("/xAPI/statements?page=2") == "https://lrs.cowork.net/xAPI/statements?page=2"
    assert reader._more("") is None
    assert reader._more(None) is None
    with pytest.raises(LRSError, match="another server"):
        reader._more("https://elsewhere.example/xAPI/statements?page=2")
    with pytest.raises(LRSError, match="another server"):
        reader._more("//elsewhere.example/xAPI/statements")


def test_the_endpoint_must_be_http():
    with pytest.raises(LRSError):
        LRSClient("file:///etc/passwd", "u", "p")
