"""One-line text: what control characters become, and which ones count."""

import pytest
from django.core.exceptions import ValidationError

from core.lib.text import has_control_characters, one_line, refuse_control_characters


@pytest.mark.parametrize(
    "text", ["a\nb", "a\rb", "a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\u2028b", "a\u2029b"]
)
def test_control_characters_and_line_separators_count(text):
    assert has_control_characters(text)
    assert one_line(text) == "a b"
    with pytest.raises(ValidationError):
        refuse_control_characters(text)


@pytest.mark.parametrize("text", ["Snake Oil Learning 🐍", "👩‍💻 team", "Zoë Ødegård", "李雷", "مرحبا"])
def test_names_in_any_script_and_emoji_sequences_are_kept(text):
    # The zero-width joiner in 👩‍💻 is a format character, not a control one.
    assert not has_control_characters(text)
    assert one_line(text) == text
    refuse_control_characters(text)
