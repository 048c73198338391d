"""Badge images: real PNGs, and SVGs cleaned of anything active."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core.images import check_badge_image, clean_svg
from tests.factories import png_bytes, png_upload, svg_upload


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
