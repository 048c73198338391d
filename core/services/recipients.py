"""Award recipients: read from pasted lines or a CSV upload, and checked once.

Reading (``parse_recipient_lines``, ``parse_recipient_csv``) only splits the
input into numbered rows; ``check_recipients``, called by the award service
and nowhere else, decides what is valid. Every problem is reported with its
line number (its position, in the API), so a manager can fix the whole list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.domain.identity import EMAIL_MAX_LENGTH, clean_email
from core.lib.text import has_control_characters

MAX_CSV_BYTES = 2 * 1024 * 1024
NAME_MAX_LENGTH = 200

NO_RECIPIENT = _("Give at least one recipient.")
TOO_MANY_RECIPIENTS = _("At most %(max)s recipients at once; split the list.")
NOT_AN_EMAIL = _("“%(email)s” is not a valid email address.")
NO_EMAIL = _("No email address.")
DUPLICATE = _("%(email)s is already on line %(line)s.")
NAME_TOO_LONG = _("The name is longer than %(max)s characters.")
EMAIL_TOO_LONG = _("This email address is longer than %(max)s characters, the most an address can have.")
NAME_CONTROL_CHARACTERS = _("The name has a line break or a control character: keep it on one line.")
CSV_TOO_BIG = _("The CSV file is too big: the limit is %(mb)s MB.")
CSV_NOT_UTF8 = _("Save the CSV file as UTF-8 and upload it again.")
CSV_NO_EMAIL_COLUMN = _("The CSV file needs a header line with an “email” column (and “name”).")
CSV_UNREADABLE = _("The CSV file could not be read: %(error)s.")
LINE_PROBLEM = _("Line %(line)s: %(problem)s")


@dataclass(frozen=True)
class Recipient:
    """One recipient as given (``email`` may be invalid until checked); ``line`` counts from 1."""

    email: str
    name: str = ""
    line: int = 0


class RecipientListError(ValidationError):
    """The recipient list as a whole is not acceptable (empty, too long, or bad lines)."""


class RecipientErrors(RecipientListError):
    """Line-by-line problems: ``lines`` maps a line number to its message."""

    def __init__(self, lines: dict[int, str]):
        self.lines = dict(sorted(lines.items()))
        super().__init__([LINE_PROBLEM % {"line": n, "problem": msg} for n, msg in self.lines.items()])


def check_recipients(recipients: list[Recipient]) -> list[Recipient]:
    """The recipients, cleaned (lower-case email, one-line name), or RecipientListError."""
    cleaned, errors = sort_recipients(recipients)
    if errors:
        raise RecipientErrors(errors)
    if not cleaned:
        raise RecipientListError(NO_RECIPIENT)
    if len(cleaned) > settings.AWARD_BATCH_MAX_RECIPIENTS:
        raise RecipientListError(TOO_MANY_RECIPIENTS % {"max": settings.AWARD_BATCH_MAX_RECIPIENTS})
    return cleaned


def sort_recipients(recipients: list[Recipient]) -> tuple[list[Recipient], dict[int, str]]:
    """The valid recipients, cleaned, and the problem of each invalid one by line (the one check)."""
    errors: dict[int, str] = {}
    seen: dict[str, int] = {}
    cleaned: list[Recipient] = []
    for number, given in enumerate(recipients, start=1):
        line = given.line or number
        raw_email = given.email if isinstance(given.email, str) else ""
        # A tab (a spreadsheet's cell separator) is a space; other control characters are refused.
        raw_name = given.name.replace("\t", " ") if isinstance(given.name, str) else ""
        name = " ".join(raw_name.split())
        email = clean_email(raw_email)
        if not raw_email.strip():
            errors[line] = NO_EMAIL
        elif len(raw_email.strip()) > EMAIL_MAX_LENGTH:
            errors[line] = EMAIL_TOO_LONG % {"max": EMAIL_MAX_LENGTH}
        elif not email:
            errors[line] = NOT_AN_EMAIL % {"email": raw_email.strip()}
        elif email in seen:
            errors[line] = DUPLICATE % {"email": email, "line": seen[email]}
        elif len(name) > NAME_MAX_LENGTH:
            errors[line] = NAME_TOO_LONG % {"max": NAME_MAX_LENGTH}
        elif has_control_characters(raw_name):
            errors[line] = NAME_CONTROL_CHARACTERS
        else:
            seen[email] = line
            cleaned.append(Recipient(email=email, name=name, line=line))
    return cleaned, dict(sorted(errors.items()))


def recipient_lines(recipients: list[Recipient]) -> str:
    """Recipients as the lines ``parse_recipient_lines`` reads back (a CSV's, once previewed)."""
    return "\n".join(f"{r.email}, {r.name}" if r.name else r.email for r in recipients)


def parse_recipient_lines(text: str) -> list[Recipient]:
    """One recipient a line: ``email`` or ``email, name``. Blank lines are skipped."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            email, _comma, name = line.partition(",")
            rows.append(Recipient(email=email, name=name, line=number))
    return rows


def parse_recipient_csv(upload) -> list[Recipient]:
    """A CSV file with an ``email`` column and an optional ``name`` column.

    Raises ValidationError only when the file cannot be read as such a CSV.
    """
    content = upload.read(MAX_CSV_BYTES + 1)
    if len(content) > MAX_CSV_BYTES:
        raise ValidationError(CSV_TOO_BIG % {"mb": MAX_CSV_BYTES // 1024 // 1024})
    try:
        text = content.decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as err:
        raise ValidationError(CSV_NOT_UTF8) from err
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "email" not in fields:
            raise ValidationError(CSV_NO_EMAIL_COLUMN)
        reader.fieldnames = fields
        return [
            Recipient(email=row.get("email") or "", name=row.get("name") or "", line=reader.line_num)
            for row in reader
            if any((value or "").strip() for value in row.values() if isinstance(value, str))
        ]
    except csv.Error as err:
        raise ValidationError(CSV_UNREADABLE % {"error": err}) from err
