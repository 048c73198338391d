"""Text the server draws shows in every script people's and badges' names use, never as empty boxes.

"Tofu" is the box a font draws for a character it does not have (its glyph 0):
each sample is drawn in the font chosen for it and compared with that font's box.
"""

import io

import pytest
from PIL import Image, ImageChops, ImageDraw

from core.lib.fonts import draw_centred, first_grapheme, font_file_for, font_for

# The seed's people and badges, and the shipped languages' scripts.
SAMPLES = {
    "Latin with diacritics": "Ngozi Adébáyọ̀ Łukasz Wróbel Nguyễn",
    "Greek": "Αλεξάνδρα Παππά",
    "Cyrillic": "Дмитрий Соколов",
    "Arabic": "فاطمة الزهراء",
    "Hebrew": "שירה כהן",
    "Devanagari": "प्रिया",
    "Thai": "ภาษาไทย",
    "Chinese": "李雷",
    "Japanese": "田中 さくら",
    "Korean": "김민준",
}
NOT_IN_ANY_FONT = "\U000f0000"  # a private-use character: every font draws its box


def _draw(text: str, font) -> Image.Image:
    image = Image.new("L", (int(font.getlength(text)) + 40, font.size * 2), 0)
    ImageDraw.Draw(image).text((20, font.size), text, font=font, fill=255, anchor="lm")
    return image


def _has_fontconfig():
    return font_file_for("a") is not None


pytestmark = pytest.mark.skipif(not _has_fontconfig(), reason="fontconfig (fc-match) is not installed")


@pytest.mark.parametrize("script", SAMPLES)
def test_each_script_is_drawn_with_glyphs_not_boxes(script):
    text = SAMPLES[script]
    font, bitmap = font_for(text, 48)
    assert not bitmap
    tofu = _draw(NOT_IN_ANY_FONT, font)
    for char in {c for c in text if c.isalpha()}:
        drawn = _draw(char, font)
        assert drawn.getbbox(), f"{char!r} ({script}) draws nothing in {font.path}"
        same_size = Image.new("L", tofu.size)
        same_size.paste(drawn.crop((0, 0, *tofu.size)))
        boxed = not ImageChops.difference(same_size, tofu).getbbox()
        assert not boxed, f"{char!r} ({script}) is a box in {font.path}"


def test_emoji_are_drawn_in_colour():
    image = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    draw_centred(image, "🐍", (80, 80), 120, "white")
    colours = {pixel[:3] for pixel in image.get_flattened_data() if pixel[3] > 200}
    assert any(abs(r - g) > 40 or abs(g - b) > 40 for r, g, b in colours), "the snake is not in colour"


def test_arabic_letters_join_and_read_right_to_left():
    font, _bitmap = font_for("عل", 48)
    joined = _draw("عل", font)
    apart = _draw("ع\u200cل", font)  # a zero-width non-joiner keeps each letter in its own form
    assert ImageChops.difference(joined.crop((0, 0, *apart.size)), apart).getbbox()


@pytest.mark.parametrize(
    "text, first",
    [
        ("Émilie", "É"),
        ("E\u0301milie", "E\u0301"),
        ("👩🏽‍💻 dev", "👩🏽‍💻"),
        ("प्रिया", "प्रि"),
        ("  Zoë", "Z"),
        ("", ""),
    ],
)
def test_the_first_character_as_a_reader_sees_it(text, first):
    assert first_grapheme(text) == first


def test_placeholders_show_any_initial(db):
    from core.domain.openbadges.badge_images import placeholder_png
    from core.models import Badge

    blank = Image.open(io.BytesIO(placeholder_png(Badge(name=" ")))).convert("RGB")
    for name in ("李雷 badge", "فاطمة", "प्रिया", "🐍 Pythonista"):
        drawn = Image.open(io.BytesIO(placeholder_png(Badge(name=name)))).convert("RGB")
        assert ImageChops.difference(drawn, blank).getbbox(), f"no initial drawn for {name!r}"
