"""SVG badge text in every script: Pango lays out what CairoSVG alone draws as boxes or unjoined letters."""

import io

import pytest
from PIL import Image, ImageChops

from core.domain.images import clean_svg, draw_svg_png
from core.domain.svg_drawing import needs_layout

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect width="200" height="100" fill="#ffffff"/>'
    '<text x="100" y="60" text-anchor="middle" font-family="sans-serif" font-size="40" fill="#000000">'
    "{}</text>"
    "</svg>"
)
NOT_IN_ANY_FONT = "\U000f0000"


def drawn(text: str) -> Image.Image:
    return Image.open(io.BytesIO(draw_svg_png(clean_svg(SVG.format(text).encode())))).convert("L")


def differ(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is not None


@pytest.mark.parametrize("text", ["字", "ع", "ש", "क", "ไ", "한", "Ж", "Ω", "é"])
def test_text_in_any_script_is_drawn_with_its_glyph_not_a_box(text):
    assert differ(drawn(text), drawn(NOT_IN_ANY_FONT)), f"{text!r} is drawn as a box"


def test_arabic_letters_are_joined():
    assert differ(drawn("علم"), drawn("ع\u200cل\u200cم"))


def test_the_demo_badge_shows_its_three_scripts():
    from core.demo.assets import svg_upload

    png = Image.open(io.BytesIO(draw_svg_png(clean_svg(svg_upload("unicode-wrangler.svg").read()))))
    boxed = svg_upload("unicode-wrangler.svg").read().replace("字 Ж ع".encode(), NOT_IN_ANY_FONT.encode() * 3)
    assert differ(png.convert("L"), Image.open(io.BytesIO(draw_svg_png(clean_svg(boxed)))).convert("L"))


def test_latin_text_stays_cairosvgs():
    assert not needs_layout("MENTOR Zoë")
    assert needs_layout("فاطمة") and needs_layout("प्रिया") and needs_layout("ไทย") and needs_layout("שירה")
