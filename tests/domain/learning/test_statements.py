"""Reading xAPI statements: what is kept of valid ones, and each problem named for invalid ones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.domain.learning.problems import PROBLEMS, StatementInvalid
from core.domain.learning.statements import parse_statement
from tests.domain.learning import examples


def test_it_keeps_what_counts_from_a_completion():
    statement = parse_statement(examples.completion_with_score())
    assert statement.id == uuid.UUID("5c6f4a1e-2b7d-4e8a-9c3f-1d2e3f4a5b6c")
    assert statement.actor == "mbox:bob@cowork.net"
    assert statement.actor_name == "Bob Teammate"
    assert statement.verb_id == examples.COMPLETED
    assert statement.activity_id == examples.FIRST_AID
    assert (statement.completion, statement.success, statement.score_scaled) == (True, True, 0.92)
    assert statement.timestamp == datetime(2026, 3, 2, 9, 41, 17, 412000, tzinfo=UTC)
    assert statement.stored == datetime(2026, 3, 2, 9, 41, 18, 6000, tzinfo=UTC)
    assert statement.voids is None
    assert not statement.is_voiding


def test_it_reads_an_account_actor_and_a_zoned_timestamp():
    statement = parse_statement(examples.cmi5_passed())
    assert statement.actor == "account:https://sso.cowork.net bob"
    assert statement.success is True
    assert statement.completion is None
    assert statement.timestamp == datetime(2026, 3, 5, 13, 0, tzinfo=UTC)
    assert statement.timestamp.utcoffset() == timezone(timedelta(hours=1)).utcoffset(None)


def test_it_accepts_a_statement_without_id_result_or_timestamp():
    statement = parse_statement(examples.attempted_hashed())
    assert statement.id is None
    assert statement.actor == "sha1:6f0e9e2b7d3c4a1f5e8d9c0b1a2f3e4d5c6b7a89"
    assert (statement.completion, statement.success, statement.score_scaled) == (None, None, None)
    assert statement.happened_at is None


def test_when_it_happened_falls_back_on_stored():
    data = examples.completion_with_score()
    del data["timestamp"]
    assert parse_statement(data).happened_at == datetime(2026, 3, 2, 9, 41, 18, 6000, tzinfo=UTC)


def test_a_group_is_nobody_in_particular():
    statement = parse_statement(examples.team_meeting())
    assert statement.actor is None
    assert statement.activity_id == "https://intranet.cowork.net/meetings/4711"


def test_a_voiding_statement_names_what_it_voids():
    statement = parse_statement(examples.voiding())
    assert statement.is_voiding
    assert statement.voids == uuid.UUID("5c6f4a1e-2b7d-4e8a-9c3f-1d2e3f4a5b6c")
    assert statement.activity_id is None


def test_a_statement_about_a_statement_is_not_about_an_activity():
    data = examples.completion_with_score()
    data["verb"] = {"id": "http://adlnet.gov/expapi/verbs/commented"}
    data["object"] = {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}
    statement = parse_statement(data)
    assert statement.activity_id is None
    assert statement.voids is None


def test_a_timestamp_without_zone_is_read_as_utc():
    data = examples.completion_with_score()
    data["timestamp"] = "2026-03-02T09:41:17"
    assert parse_statement(data).timestamp == datetime(2026, 3, 2, 9, 41, 17, tzinfo=UTC)


def test_unknown_properties_are_left_alone():
    data = examples.completion_with_score()
    data["attachments"] = [{"usageType": "http://adlnet.gov/expapi/attachments/signature"}]
    data["object"]["definition"]["extensions"] = {"https://cowork.net/x/room": "Kilby"}
    assert parse_statement(data).activity_id == examples.FIRST_AID


def broken(change):
    data = examples.completion_with_score()
    change(data)
    return data


def set_path(path: str, value):
    def change(data):
        *parents, last = path.split(".")
        for name in parents:
            data = data[name]
        data[last] = value

    return change


def drop(path: str):
    def change(data):
        *parents, last = path.split(".")
        for name in parents:
            data = data[name]
        del data[last]

    return change


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (set_path("id", "not-a-uuid"), "invalid_uuid", "id"),
        (set_path("id", "5c6f4a1e2b7d4e8a9c3f1d2e3f4a5b6c"), "invalid_uuid", "id"),
        (drop("actor"), "required", "actor"),
        (set_path("actor", "mailto:bob@cowork.net"), "not_an_object", "actor"),
        (drop("actor.mbox"), "agent_identifier", "actor"),
        (set_path("actor.openid", "https://bob.openid.example.org/"), "agent_identifier", "actor"),
        (set_path("actor.mbox", "bob@cowork.net"), "invalid_mbox", "actor.mbox"),
        (set_path("actor.mbox", "mailto:not an address"), "invalid_mbox", "actor.mbox"),
        (set_path("actor.mbox", 42), "not_a_string", "actor.mbox"),
        (set_path("actor.objectType", "Person"), "invalid_object_type", "actor.objectType"),
        (drop("verb"), "required", "verb"),
        (drop("verb.id"), "required", "verb.id"),
        (set_path("verb.id", "completed"), "invalid_iri", "verb.id"),
        (set_path("verb.id", "http://adlnet.gov/expapi/verbs/ completed"), "invalid_iri", "verb.id"),
        (drop("object"), "required", "object"),
        (drop("object.id"), "required", "object.id"),
        (set_path("object.id", "first aid"), "invalid_iri", "object.id"),
        (set_path("object.id", "https://lms.cowork.net/" + "é" * 750), "too_long", "object.id"),
        (
            set_path("actor", {"account": {"homePage": "https://sso.cowork.net", "name": "n" * 1000}}),
            "too_long",
            "actor.account",
        ),
        (set_path("object.objectType", "Course"), "invalid_object_type", "object.objectType"),
        (set_path("result", [True]), "not_an_object", "result"),
        (set_path("result.completion", "yes"), "not_a_boolean", "result.completion"),
        (set_path("result.success", 1), "not_a_boolean", "result.success"),
        (set_path("result.score", 0.9), "not_an_object", "result.score"),
        (set_path("result.score.scaled", "0.9"), "not_a_number", "result.score.scaled"),
        (set_path("result.score.scaled", True), "not_a_number", "result.score.scaled"),
        (set_path("result.score.scaled", 1.5), "score_scaled_range", "result.score.scaled"),
        (set_path("result.score.min", 60), "score_min_max", "result.score"),
        (set_path("result.score.raw", 51), "score_raw_range", "result.score"),
        (set_path("timestamp", "yesterday"), "invalid_timestamp", "timestamp"),
        (set_path("timestamp", 1772444477), "not_a_string", "timestamp"),
        (set_path("stored", "2026-13-01T00:00:00Z"), "invalid_timestamp", "stored"),
        (set_path("version", "2.0.0"), "invalid_version", "version"),
    ],
)
def test_each_problem_is_named(change, code, field):
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(broken(change))
    assert (caught.value.code, caught.value.field) == (code, field)
    assert field in caught.value.message


def test_a_statement_must_be_an_object():
    with pytest.raises(StatementInvalid) as caught:
        parse_statement([examples.completion_with_score()])
    assert caught.value.code == "not_an_object"


@pytest.mark.parametrize(
    ("account", "field"),
    [
        ({"name": "bob"}, "actor.account.homePage"),
        ({"homePage": "sso.cowork.net", "name": "bob"}, "actor.account.homePage"),
        ({"homePage": "https://sso.cowork.net"}, "actor.account.name"),
        ({"homePage": "https://sso.cowork.net", "name": ""}, "actor.account.name"),
    ],
)
def test_an_account_needs_a_home_page_and_a_name(account, field):
    data = examples.cmi5_passed()
    data["actor"]["account"] = account
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(data)
    assert caught.value.field == field


def test_a_hashed_mbox_must_be_a_sha1():
    data = examples.attempted_hashed()
    data["actor"]["mbox_sha1sum"] = "6f0e9e2b"
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(data)
    assert (caught.value.code, caught.value.field) == ("invalid_mbox_sha1sum", "actor.mbox_sha1sum")


def test_an_anonymous_group_must_list_its_members():
    data = examples.team_meeting()
    del data["actor"]["mbox"]
    del data["actor"]["member"]
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(data)
    assert (caught.value.code, caught.value.field) == ("anonymous_group_members", "actor")


def test_a_group_member_is_an_agent_with_one_identifier():
    data = examples.team_meeting()
    data["actor"]["member"][1] = {"objectType": "Group", "mbox": "mailto:other-team@cowork.net"}
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(data)
    assert (caught.value.code, caught.value.field) == ("group_in_group", "actor.member[1]")
    data["actor"]["member"][1] = {"name": "Nobody"}
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(data)
    assert (caught.value.code, caught.value.field) == ("agent_identifier", "actor.member[1]")


@pytest.mark.parametrize(
    ("obj", "code", "field"),
    [
        ({"objectType": "Activity", "id": examples.FIRST_AID}, "voiding_object", "object"),
        ({"id": examples.FIRST_AID}, "voiding_object", "object"),
        ({"objectType": "StatementRef"}, "required", "object.id"),
        ({"objectType": "StatementRef", "id": "last-one"}, "invalid_uuid", "object.id"),
    ],
)
def test_a_voiding_statement_points_to_a_statement(obj, code, field):
    data = examples.voiding()
    data["object"] = obj
    with pytest.raises(StatementInvalid) as caught:
        parse_statement(data)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_every_problem_has_a_message_naming_the_field():
    for code, message in PROBLEMS.items():
        assert "%(field)s" in str(message), code
