"""Badge images: real PNGs, and SVGs cleaned of anything active."""

import io
import resource

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from core.domain.images import PNG_METADATA_TOO_LARGE, check_badge_image, clean_svg, sniff_image_type
from core.domain.openbadges.baking import image_kind
from tests.support.factories import SVG, png_bytes, png_upload, svg_upload


def test_a_real_png_is_accepted():
    checked = check_badge_image(png_upload())
    assert checked.extension == ".png" and checked.content_type == "image/png"


def test_a_png_signature_on_junk_is_refused():
    fake = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10)
    with pytest.raises(ValidationError, match="damaged or is not a real image"):
        check_badge_image(fake)


@pytest.mark.parametrize("content", [b"GIF89a....", b"%PDF-1.7", b"hello", b"<html><body>hi</body></html>"])
def test_other_files_are_refused(content):
    with pytest.raises(ValidationError, match="Upload a PNG or SVG image"):
        check_badge_image(SimpleUploadedFile("x.png", content))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_badge_image(SimpleUploadedFile("x.png", b""))


@override_settings(BADGE_IMAGE_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ValidationError, match="too big"):
        check_badge_image(SimpleUploadedFile("x.png", png_bytes(size=400, color="#123456") + b"\0" * 2000))


def test_a_clean_svg_keeps_its_drawing():
    checked = check_badge_image(svg_upload())
    assert checked.extension == ".svg"
    assert b"<circle" in checked.content and b'viewBox="0 0 100 100"' in checked.content


def test_scripts_event_handlers_and_external_references_are_removed():
    dirty = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
        onload="alert(1)" viewBox="0 0 10 10">
      <script>alert('x')</script>
      <foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>
      <image href="https://tracker.example/pixel.png" width="10" height="10"/>
      <a href="javascript:alert(1)"><rect width="5" height="5"/></a>
      <use xlink:href="https://evil.example/sprite.svg#x"/>
      <use href="#local"/>
      <rect id="local" width="10" height="10" onclick="steal()" fill="url(https://evil.example/p)"
            style="background:url(https://evil.example/x)"/>
      <circle r="3" fill="url(#grad)"/>
    </svg>"""
    cleaned = clean_svg(dirty).decode()
    for forbidden in (
        "script",
        "onload",
        "onclick",
        "foreignObject",
        "iframe",
        "<image",
        "javascript:",
        "evil.example",
        "tracker",
    ):
        assert forbidden not in cleaned, forbidden
    assert 'href="#local"' in cleaned and 'fill="url(#grad)"' in cleaned


def test_entity_expansion_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
    <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""
    with pytest.raises(ValidationError, match="could not be read"):
        check_badge_image(SimpleUploadedFile("bomb.svg", bomb))


def test_xml_that_is_not_svg_is_refused():
    with pytest.raises(ValidationError):
        clean_svg(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>')


# --- SVGs that CairoSVG cannot draw are refused at upload -------------------------------

SVG_HEAD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
)


def nested_use_bomb(levels: int = 6, copies: int = 10) -> bytes:
    """Level i draws ``copies`` uses of level i + 1: copies ** levels rectangles from a few hundred bytes."""
    defs = b"".join(
        b'<g id="l%d">' % level + b'<use href="#l%d"/>' % (level + 1) * copies + b"</g>"
        for level in range(1, levels)
    )
    first = b'<g id="l0">' + b'<use href="#l1"/>' * copies + b"</g>"
    return (
        SVG_HEAD
        + b"<defs>"
        + defs
        + b'<rect id="l%d" width="1" height="1"/></defs>' % levels
        + first
        + b"</svg>"
    )


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (SVG_HEAD + b'<use id="a" href="#a"/></svg>', "refers to itself"),
        (
            SVG_HEAD + b'<g id="top"><g><use xlink:href="#top"/></g></g></svg>',
            "refers to itself or to a parent",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 0 0"><rect width="5" height="5"/></svg>',
            "viewBox",
        ),
        (nested_use_bomb(), "too complex"),
        (
            SVG_HEAD + b'<pattern id="p" width="1" height="1"><rect width="5" height="5" fill="url(#p)"/>'
            b'</pattern><rect width="10" height="10" fill="url(#p)"/></svg>',
            "refers to itself",
        ),
        (SVG_HEAD + b'<mask id="m"><rect width="5" height="5" style="mask:url(#m)"/></mask></svg>', "refers"),
        (SVG_HEAD + b"<g>" * 5000 + b"</g>" * 5000 + b"</svg>", "nested more than"),
        (SVG_HEAD + b'<text font-size="1e308">x</text></svg>', "simplify it"),  # CairoSVG itself fails
    ],
    ids=[
        "self-use",
        "ancestor-use",
        "empty-viewbox",
        "use-bomb",
        "pattern-loop",
        "mask-loop",
        "deep",
        "cairo",
    ],
)
def test_an_svg_that_cannot_be_drawn_is_refused_with_a_clear_message(svg, reason):
    with pytest.raises(ValidationError, match="This SVG could not be drawn") as refused:
        check_badge_image(svg_upload(svg))
    assert reason in refused.value.messages[0]  # named, not refused as too slow to draw


def test_an_svg_too_long_to_draw_is_refused_in_bounded_time(monkeypatch):
    # Tiny dashes along long crossing strokes: minutes inside Cairo's C code, from a few kilobytes.
    lines = b" ".join(b"L%d %d" % ((i * 37) % 100, (i * 59) % 100) for i in range(200))
    dashes = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path d="M0 0 '
        + lines
        + b'" fill="none" stroke="#000" stroke-width="5" stroke-dasharray="0.01"/></svg>'
    )
    monkeypatch.setattr("core.domain.images.MAX_DRAW_SECONDS", 2)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with pytest.raises(ValidationError, match="takes too long to draw"):
        check_badge_image(svg_upload(dashes))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Stopped by its CPU budget, not waited for: minutes of drawing cut at about 2 s of CPU
    # (the clock is no measure on a loaded machine).
    assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime < 4


def test_an_svg_that_outlasts_the_wait_is_refused_however_little_cpu_it_used(monkeypatch):
    monkeypatch.setattr("core.domain.images.MAX_DRAW_WAIT_SECONDS", 0.01)
    with pytest.raises(ValidationError, match="takes too long to draw"):
        check_badge_image(svg_upload(SVG))


def test_an_uploaded_svg_is_drawn_as_a_square_png_when_checked():
    tall = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 100000"><rect width="1" height="9"/></svg>'
    )
    for svg in (SVG, tall):  # drawn 512 pixels wide, the tall one would need gigabytes
        checked = check_badge_image(svg_upload(svg))
        with Image.open(io.BytesIO(checked.png)) as image:
            assert (image.format, image.size) == ("PNG", (512, 512))
    assert check_badge_image(png_upload()).png is None


def test_shared_references_are_fine_within_the_limits():
    shapes = b'<circle id="dot" r="1"/>' + b'<use href="#dot" x="2"/>' * 200
    checked = check_badge_image(svg_upload(SVG_HEAD + b"<defs>" + shapes + b"</defs></svg>"))
    assert checked.content.count(b"<ns0:use") + checked.content.count(b"<use") == 200


# --- External references hidden in CSS --------------------------------------------------


@pytest.mark.parametrize(
    "attribute",
    [
        rb'style="fill:u\72l(https://evil.example/x)"',
        rb'style="fill:image-set(&quot;https://evil.example/x&quot; 1x)"',
        rb'style="fill: URL( &quot;https://evil.example/x&quot; )"',
        rb'style="background:url(#ok);fill:red;@import &quot;https://evil.example/x&quot;"',
        rb'fill="u\72l(https://evil.example/x)"',
        rb'fill="image-set(&quot;https://evil.example/x&quot; 1x)"',
        rb'filter="url(https://evil.example/f.svg#f)"',
        rb'mask="url(&quot;https://evil.example/m.svg#m&quot;)"',
        rb'clip-path="url(//evil.example/c.svg#c)"',
        rb'stroke="image(&quot;https://evil.example/x&quot;)"',
        rb'fill="\75rl(https://evil.example/x)"',
    ],
)
def test_external_references_hidden_in_css_are_removed(attribute):
    cleaned = clean_svg(SVG_HEAD + b"<rect width='5' height='5' " + attribute + b"/></svg>")
    assert b"evil.example" not in cleaned and b"\\" not in cleaned


def test_safe_style_declarations_become_presentation_attributes():
    cleaned = clean_svg(
        SVG_HEAD + b'<linearGradient id="g"/><rect width="5" height="5" fill="blue" '
        b'style="fill: #f00 ; stroke:url(#g); stroke-width:2; position:fixed; marker-mid:url(#g)"/></svg>'
    ).decode()
    assert 'fill="#f00"' in cleaned and 'stroke="url(#g)"' in cleaned and 'stroke-width="2"' in cleaned
    assert "style=" not in cleaned and "position" not in cleaned and "marker" not in cleaned


def test_local_references_and_transforms_survive_the_css_check():
    cleaned = clean_svg(
        SVG_HEAD + b'<g transform="translate(1, 2) rotate(45) scale(.5)" fill="url(&quot;#g&quot;) red" '
        b'stroke="rgb(1, 2, 3)"/></svg>'
    ).decode()
    assert 'transform="translate(1, 2) rotate(45) scale(.5)"' in cleaned
    assert 'fill="url(&quot;#g&quot;) red"' in cleaned and 'stroke="rgb(1, 2, 3)"' in cleaned


# --- One image-type sniffer --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (png_bytes(), ".png"),
        (SVG, ".svg"),
        (
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            ".svg",
        ),
        (b"\xef\xbb\xbf" + SVG, ".svg"),
        (b"  <!-- made by hand -->\n<svg xmlns='http://www.w3.org/2000/svg'/>", ".svg"),
        (b"<html><svg/></html>", None),
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_one_sniffer_decides_png_or_svg_everywhere(content, kind):
    assert sniff_image_type(content) == kind
    assert image_kind(content) == (kind[1:] if kind else None)  # what the verifier and unbake use


def png_with_chunk(kind: bytes, data: bytes, *, after_pixels: bool) -> bytes:
    """A small real PNG with one more chunk, before its pixels (after IHDR) or after them (before IEND)."""
    import struct
    import zlib

    png = png_bytes(size=8)
    chunk = struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    at = 8 + 25 if not after_pixels else len(png) - 12
    return png[:at] + chunk + png[at:]


def decompression_bomb(megabytes: int = 20) -> bytes:
    import zlib

    return zlib.compress(b"\0" * megabytes * 1024 * 1024, 9)  # about 20 KB


@pytest.mark.parametrize("after_pixels", [False, True], ids=["before-pixels", "after-pixels"])
@pytest.mark.parametrize(
    "kind, header",
    [
        (b"zTXt", b"Comment\x00\x00"),  # keyword, compression method
        (b"iTXt", b"Comment\x00\x01\x00\x00\x00"),  # keyword, compressed, method, language, translation
        (b"iCCP", b"profile\x00\x00"),  # name, compression method
    ],
)
def test_png_text_and_colour_profile_bombs_are_a_clear_validation_error(kind, header, after_pixels):
    content = png_with_chunk(kind, header + decompression_bomb(), after_pixels=after_pixels)
    assert len(content) < 64 * 1024
    with pytest.raises(ValidationError) as err:
        check_badge_image(SimpleUploadedFile("bomb.png", content))
    assert err.value.messages == [str(PNG_METADATA_TOO_LARGE)]


def test_small_text_chunks_are_fine():
    import zlib

    content = png_with_chunk(
        b"zTXt", b"Comment\x00\x00" + zlib.compress(b"made with love"), after_pixels=True
    )
    assert check_badge_image(SimpleUploadedFile("ok.png", content)).extension == ".png"
