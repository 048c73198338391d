"""The problems a statement can have, each named, so the push endpoint can say which one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# Each problem, named: the code goes back to the sender in ``extra.code``, the message
# (with the field's path) in ``message``. Tests match on the codes.
PROBLEMS = {
    "not_an_object": _("%(field)s must be a JSON object."),
    "required": _("%(field)s is required."),
    "not_a_string": _("%(field)s must be a string."),
    "not_a_boolean": _("%(field)s must be true or false."),
    "not_a_number": _("%(field)s must be a number."),
    "invalid_uuid": _(
        "%(field)s must be a UUID in standard form, such as 3b2c8f4e-7d1a-4c5e-9f0b-2a6d8e1c4b7f."
    ),
    "invalid_iri": _("%(field)s must be an absolute IRI, such as https://lms.example.com/courses/first-aid."),
    "invalid_object_type": _("%(field)s has an objectType this statement cannot have: “%(value)s”."),
    "agent_identifier": _(
        "%(field)s must identify the agent with exactly one of mbox, mbox_sha1sum, openid or account."
    ),
    "invalid_mbox": _(
        "%(field)s must be a “mailto:” IRI holding one email address, such as mailto:ada@example.com."
    ),
    "invalid_mbox_sha1sum": _("%(field)s must be the 40 hexadecimal digits of a SHA-1 hash."),
    "anonymous_group_members": _("%(field)s: a Group without an identifier must list its members (member)."),
    "group_in_group": _("%(field)s: a Group's members must be Agents, not Groups."),
    "voiding_object": _(
        "%(field)s: a voiding statement's object must be a StatementRef to the statement it voids."
    ),
    "score_scaled_range": _("%(field)s must be between -1 and 1."),
    "score_min_max": _("%(field)s: min must be less than max."),
    "score_raw_range": _("%(field)s: raw must be between min and max."),
    "invalid_timestamp": _("%(field)s must be an ISO 8601 date and time, such as 2026-03-01T09:30:00Z."),
    "invalid_version": _("%(field)s must start with “1.0.”."),
    "too_long": _("%(field)s is longer than %(limit)d bytes."),
}


class StatementInvalid(ValueError):
    """A statement breaks an xAPI rule the app relies on.

    ``code`` names the problem (a key of :data:`PROBLEMS`), ``field`` is its path in
    the statement (``actor.mbox``), ``message`` says it to a person.
    """

    def __init__(self, code: str, field: str, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        return PROBLEMS[self.code] % {"field": self.field, **self.params}
