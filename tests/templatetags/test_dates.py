from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import translation

from core.templatetags.dates import from_iso


def test_iso_text_becomes_a_date_shown_in_the_readers_language():
    template = Template('{% load dates %}{{ value|from_iso|date:"DATE_FORMAT" }}')
    with translation.override("fr"):
        assert template.render(Context({"value": "2026-03-05T09:30:00+00:00"})) == "5 mars 2026"


def test_anything_else_is_left_as_it_is():
    moment = datetime(2026, 3, 5, tzinfo=UTC)
    assert from_iso(moment) is moment
    assert from_iso("not a date") == "not a date"
    assert from_iso(None) is None
