"""Dates kept as ISO 8601 text (in JSON fields) shown like any other date:
``{{ value|from_iso|date:"DATE_FORMAT" }}``."""

from datetime import datetime

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def from_iso(value) -> datetime | str:
    """The datetime ``value`` spells, or ``value`` itself when it spells none."""
    if isinstance(value, str):
        return parse_datetime(value) or value
    return value
