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


def test_every_kind_of_text_node_in_this_process(monkeypatch):
    """The same drawing in the test process (the child's is not measured): anchors,
    baselines, weights, runs after a tspan, and text placed letter by letter."""
    import cairosvg
    from cairosvg import surface, text

    from core.domain import svg_drawing

    monkeypatch.setattr(text, "text", text.text)  # undone after the test
    for tag in ("text", "tspan", "a"):
        monkeypatch.setitem(surface.TAGS, tag, surface.TAGS[tag])
    assert svg_drawing.install_pango_text()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300">'
        '<text x="150" y="30" text-anchor="middle" font-weight="bold">'
        'فاطمة <tspan dx="4" fill="red">李雷</tspan></text>'
        '<text x="290" y="70" text-anchor="end" font-style="italic" dominant-baseline="central">प्रिया</text>'
        '<text x="10" y="110" font-weight="700" dominant-baseline="hanging">שירה</text>'
        '<text x="10 30 50" y="150">字字字</text>'
        '<text x="10" y="190">MENTOR</text>'
        "</svg>"
    )
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=300, output_height=300)
    assert Image.open(io.BytesIO(png)).convert("L").getextrema()[0] < 128  # something dark was drawn
