"""Reading an xAPI 1.0.3 statement: the parts badgeapp relies on, checked, each problem named.

A statement arrives from the push endpoint (``POST /xapi/statements``) or from a
Learning Record Store we pull from (``manage.py sync_learning``). Both go through
:func:`parse_statement`, which checks what the app relies on and keeps only that:

- ``id``: a UUID in standard string form (the LRS or we assign one when absent);
- ``actor``: an Agent with exactly one Inverse Functional Identifier (``mbox``,
  ``mbox_sha1sum``, ``openid`` or ``account {homePage, name}``), or a Group;
- ``verb.id``: an IRI;
- ``object``: an Activity (``id`` an IRI) or, for a voiding statement (verb
  ``http://adlnet.gov/expapi/verbs/voided``), a ``StatementRef`` to the voided id;
- ``result``: ``completion`` and ``success`` booleans, ``score.scaled`` in [-1, 1];
- ``timestamp`` and ``stored``: ISO 8601; ``version``, if given, ``1.0.x``.

Properties the app does not read (context, attachments, extensions...) are left
alone: an LRS forwarding to us may carry anything the spec allows. Spec:
xAPI-Data.md, sections 2.4 (Statement properties) and 2.3.2 (Voiding).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.domain.learning.actors import IRI_RE, ActorKey, agent_key
from core.domain.learning.problems import StatementInvalid
from core.models.learning import MAX_IRI_BYTES, MAX_NAME_LENGTH

# The one verb the spec reserves: its statement undoes the statement it points to.
VOIDED = "http://adlnet.gov/expapi/verbs/voided"

# A UUID "in standard string form" (xAPI-Data 2.4.1): hex groups 8-4-4-4-12. The spec's
# own examples use UUIDs of other variants than RFC 4122's, so the variant is not checked.
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
OBJECT_TYPES = {"Activity", "Agent", "Group", "SubStatement", "StatementRef"}


@dataclass(frozen=True)
class Statement:
    """What the app keeps of a valid statement."""

    id: uuid.UUID | None  # None when the sender left it to the LRS (the push endpoint assigns one)
    actor: ActorKey | None  # None for a Group: a group's learning is nobody's in particular
    actor_name: str  # the Agent's "name", if it gave one
    verb_id: str
    activity_id: str | None  # the object Activity's id; None when the object is something else
    voids: uuid.UUID | None  # for a voiding statement, the id of the statement it voids
    completion: bool | None
    success: bool | None
    score_scaled: float | None
    timestamp: datetime | None
    stored: datetime | None

    @property
    def is_voiding(self) -> bool:
        return self.voids is not None

    @property
    def happened_at(self) -> datetime | None:
        """When the learning happened: ``timestamp``, which the LRS sets to ``stored`` if absent."""
        return self.timestamp or self.stored


def parse_statement(data: Any) -> Statement:
    """Check one statement (a decoded JSON value); raise :class:`StatementInvalid` on the first problem."""
    _require_object(data, "statement")
    statement_id = _uuid(data["id"], "id") if "id" in data and data["id"] is not None else None
    if "version" in data:
        version = _string(data["version"], "version")
        if not version.startswith("1.0."):
            raise StatementInvalid("invalid_version", "version")
    actor = _actor(_present(data, "actor", "actor"), "actor")
    verb = _present(data, "verb", "verb")
    _require_object(verb, "verb")
    verb_id = _iri(_present(verb, "id", "verb.id"), "verb.id")
    activity_id, voids = _object(_present(data, "object", "object"), verb_id)
    completion, success, score = _result(data.get("result"))
    name = data["actor"].get("name")
    return Statement(
        id=statement_id,
        actor=actor,
        actor_name=name.strip()[:MAX_NAME_LENGTH] if isinstance(name, str) and actor is not None else "",
        verb_id=verb_id,
        activity_id=activity_id,
        voids=voids,
        completion=completion,
        success=success,
        score_scaled=score,
        timestamp=_timestamp(data["timestamp"], "timestamp") if data.get("timestamp") is not None else None,
        stored=_timestamp(data["stored"], "stored") if data.get("stored") is not None else None,
    )


def check_activity_iri(value: str) -> str:
    """An activity id as stored (an absolute IRI within the size limit), else ``StatementInvalid``."""
    return _iri(value, "object.id")


def _object(obj: Any, verb_id: str) -> tuple[str | None, uuid.UUID | None]:
    _require_object(obj, "object")
    object_type = obj.get("objectType", "Activity")
    if object_type not in OBJECT_TYPES:
        raise StatementInvalid("invalid_object_type", "object.objectType", value=str(object_type)[:100])
    if verb_id == VOIDED:
        # xAPI-Data 2.3.2: the object of a voiding statement MUST be a StatementRef.
        if object_type != "StatementRef":
            raise StatementInvalid("voiding_object", "object")
        return None, _uuid(_present(obj, "id", "object.id"), "object.id")
    if object_type == "Activity":
        return _iri(_present(obj, "id", "object.id"), "object.id"), None
    if object_type == "StatementRef":
        _uuid(_present(obj, "id", "object.id"), "object.id")
    elif object_type in ("Agent", "Group"):
        _actor(obj, "object")
    # A SubStatement describes something that did not happen (xAPI-Data 2.4.4.3): nothing to learn from.
    return None, None


def _actor(actor: Any, field: str) -> ActorKey | None:
    _require_object(actor, field)
    object_type = actor.get("objectType", "Agent")
    if object_type == "Agent":
        return _agent(actor, field)
    if object_type != "Group":
        raise StatementInvalid("invalid_object_type", f"{field}.objectType", value=str(object_type)[:100])
    members = actor.get("member")
    identified = any(name in actor for name in ("mbox", "mbox_sha1sum", "openid", "account"))
    if identified:
        _agent(actor, field)  # an Identified Group follows an Agent's identifier rules
    elif not isinstance(members, list) or not members:
        raise StatementInvalid("anonymous_group_members", field)
    if members is not None:
        if not isinstance(members, list):
            raise StatementInvalid("anonymous_group_members", field)
        for index, member in enumerate(members):
            member_field = f"{field}.member[{index}]"
            _require_object(member, member_field)
            if member.get("objectType", "Agent") != "Agent":
                raise StatementInvalid("group_in_group", member_field)
            _agent(member, member_field)
    return None


def _agent(agent: dict, field: str) -> ActorKey:
    identifiers = [name for name in ("mbox", "mbox_sha1sum", "openid", "account") if name in agent]
    if len(identifiers) != 1:
        raise StatementInvalid("agent_identifier", field)
    (kind,) = identifiers
    value = agent[kind]
    path = f"{field}.{kind}"
    if kind == "account":
        _require_object(value, path)
        home_page = _iri(_present(value, "homePage", f"{path}.homePage"), f"{path}.homePage")
        name = _string(_present(value, "name", f"{path}.name"), f"{path}.name")
        if not name:
            raise StatementInvalid("required", f"{path}.name")
        return agent_key("account", name, home_page=home_page, field=path)
    return agent_key(kind, _string(value, path), field=path)


def _result(result: Any) -> tuple[bool | None, bool | None, float | None]:
    if result is None:
        return None, None, None
    _require_object(result, "result")
    completion = _boolean(result["completion"], "result.completion") if "completion" in result else None
    success = _boolean(result["success"], "result.success") if "success" in result else None
    scaled = None
    if "score" in result:
        score = result["score"]
        _require_object(score, "result.score")
        numbers = {
            name: _number(score[name], f"result.score.{name}")
            for name in ("scaled", "raw", "min", "max")
            if name in score
        }
        scaled = numbers.get("scaled")
        if scaled is not None and not -1 <= scaled <= 1:
            raise StatementInvalid("score_scaled_range", "result.score.scaled")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and not low < high:
            raise StatementInvalid("score_min_max", "result.score")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            raise StatementInvalid("score_raw_range", "result.score")
    return completion, success, scaled


def _timestamp(value: Any, field: str) -> datetime:
    text = _string(value, field)
    try:
        # Python 3.11 reads the ISO 8601 forms LRSs send, "Z" and fractions included.
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise StatementInvalid("invalid_timestamp", field) from None
    if moment.tzinfo is None:
        # The spec asks for a zone (xAPI-Data 4.5); an LRS reads a missing one as UTC.
        moment = moment.replace(tzinfo=UTC)
    return moment


def _present(data: dict, name: str, field: str) -> Any:
    if data.get(name) is None:
        raise StatementInvalid("required", field)
    return data[name]


def _require_object(value: Any, field: str) -> None:
    if not isinstance(value, dict):
        raise StatementInvalid("not_an_object", field)


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise StatementInvalid("not_a_string", field)
    return value


def _boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise StatementInvalid("not_a_boolean", field)
    return value


def _number(value: Any, field: str) -> float:
    # JSON has one number type; true and false are not numbers, whatever Python says.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatementInvalid("not_a_number", field)
    return float(value)


def _uuid(value: Any, field: str) -> uuid.UUID:
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise StatementInvalid("invalid_uuid", field)
    return uuid.UUID(value)


def _iri(value: Any, field: str) -> str:
    text = _string(value, field)
    if len(text.encode()) > MAX_IRI_BYTES:
        raise StatementInvalid("too_long", field, limit=MAX_IRI_BYTES)
    if not IRI_RE.match(text):
        raise StatementInvalid("invalid_iri", field)
    return text
