"""Reading award recipients from pasted lines or a CSV upload.

Every problem is reported with its line number, so a manager can fix the
whole list at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from core.identity import clean_email

MAX_CSV_BYTES = 2 * 1024 * 1024
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    line: int = 0


class RecipientErrors(ValidationError):
    """Line-by-line problems: ``lines`` maps a line number to its message."""

    def __init__(self, lines: dict[int, str]):
        self.lines = dict(sorted(lines.items()))
        super().__init__([f"Line {n}: {msg}" for n, msg in self.lines.items()])


def check_recipients(rows: list[tuple[int, str, str]]) -> list[Recipient]:
    """Validate ``(line, email, name)`` rows: all valid, or RecipientErrors."""
    errors: dict[int, str] = {}
    seen: dict[str, int] = {}
    recipients: list[Recipient] = []
    for line, raw_email, name in rows:
        email = clean_email(raw_email)
        name = " ".join(name.split())
        if not email:
            errors[line] = f"“{raw_email.strip()}” is not a valid email address."
        elif email in seen:
            errors[line] = f"{email} is already on line {seen[email]}."
        elif len(name) > NAME_MAX_LENGTH:
            errors[line] = f"The name is longer than {NAME_MAX_LENGTH} characters."
        else:
            seen[email] = line
            recipients.append(Recipient(email=email, name=name, line=line))
    if errors:
        raise RecipientErrors(errors)
    if not recipients:
        raise ValidationError("Give at least one recipient.")
    if len(recipients) > settings.AWARD_BATCH_MAX_RECIPIENTS:
        raise ValidationError(
            f"At most {settings.AWARD_BATCH_MAX_RECIPIENTS} recipients at once; split the list."
        )
    return recipients


def parse_recipient_lines(text: str) -> list[Recipient]:
    """One recipient a line: ``email`` or ``email, name``. Blank lines are skipped."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            email, _, name = line.partition(",")
            rows.append((number, email, name))
    return check_recipients(rows)


def parse_recipient_csv(upload) -> list[Recipient]:
    """A CSV file with an ``email`` column and an optional ``name`` column."""
    content = upload.read(MAX_CSV_BYTES + 1)
    if len(content) > MAX_CSV_BYTES:
        raise ValidationError(f"The CSV file is too big: the limit is {MAX_CSV_BYTES // 1024 // 1024} MB.")
    try:
        text = content.decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as err:
        raise ValidationError("Save the CSV file as UTF-8 and upload it again.") from err
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "email" not in fields:
            raise ValidationError("The CSV file needs a header line with an “email” column (and “name”).")
        reader.fieldnames = fields
        rows = [
            (reader.line_num, row.get("email") or "", row.get("name") or "")
            for row in reader
            if any((value or "").strip() for value in row.values() if isinstance(value, str))
        ]
    except csv.Error as err:
        raise ValidationError(f"The CSV file could not be read: {err}.") from err
    return check_recipients(rows)
