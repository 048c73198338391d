"""Text from people and from sessions, made safe to keep on one line.

Control characters (C0, DEL, C1) and the Unicode line and paragraph separators
break one-line places: an email subject (a newline there is a header injection
that Django refuses with an error), a CSV cell, a page title. Format characters
are kept: emoji sequences need the zero-width joiner.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_CHARACTERS = _("Use one line of text, without line breaks or control characters.")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_RE.search(text))


def one_line(text: str) -> str:
    """``text`` with control characters as spaces, and runs of spaces as one."""
    return " ".join(CONTROL_RE.sub(" ", text).split())


def refuse_control_characters(value: str) -> None:
    """A validator for names a person types: refused, so they see what they sent."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")
