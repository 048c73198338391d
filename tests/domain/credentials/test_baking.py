"""OB 3.0 baking: one uncompressed iTXt chunk, one CDATA element; read back, refusing two."""

import io
import json
import zlib

import png
import pytest
from PIL import Image

from core.domain.credentials import baking
from core.domain.credentials.errors import MalformedCredential

CREDENTIAL = json.dumps({"name": "Python 🐍", "proof": {"proofValue": "z5x9"}}, ensure_ascii=False)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4" cx="5" cy="5"/></svg>'


def a_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (10, 120, 200, 255)).save(out, "PNG")
    return out.getvalue()


def itxt_chunks(content: bytes) -> list[bytes]:
    return [data for kind, data in png.Reader(bytes=content).chunks() if kind == b"iTXt"]


def test_a_png_gets_one_uncompressed_itxt_chunk():
    baked = baking.bake_png(a_png(), CREDENTIAL)
    [chunk] = itxt_chunks(baked)
    assert chunk == b"openbadgecredential\x00\x00\x00\x00\x00" + CREDENTIAL.encode()
    assert Image.open(io.BytesIO(baked)).size == (16, 16)
    assert baking.unbake_png(baked) == CREDENTIAL


def test_baking_again_replaces_the_chunk():
    baked = baking.bake_png(baking.bake_png(a_png(), "{}"), CREDENTIAL)
    assert len(itxt_chunks(baked)) == 1
    assert baking.unbake_png(baked) == CREDENTIAL


def test_a_compressed_chunk_from_elsewhere_is_read():
    chunks = list(png.Reader(bytes=a_png()).chunks())
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(CREDENTIAL.encode())
    out = io.BytesIO()
    png.write_chunks(out, [chunks[0], (b"iTXt", data), *chunks[1:]])
    assert baking.unbake_png(out.getvalue()) == CREDENTIAL


def test_two_credentials_in_one_png_are_refused():
    chunks = list(png.Reader(bytes=a_png()).chunks())
    chunk = (b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00{}")
    out = io.BytesIO()
    png.write_chunks(out, [chunks[0], chunk, chunk, *chunks[1:]])
    with pytest.raises(MalformedCredential, match="more than one"):
        baking.unbake_png(out.getvalue())


def test_a_png_without_credential_carries_none():
    assert baking.unbake_png(a_png()) is None


def test_a_broken_png_is_refused():
    with pytest.raises(MalformedCredential):
        baking.unbake_png(a_png()[:40])


def test_an_svg_gets_the_namespace_and_one_cdata_element():
    baked = baking.bake_svg(SVG, CREDENTIAL)
    text = baked.decode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in text
    assert text.count("<openbadges:credential>") == 1
    assert f"<![CDATA[{CREDENTIAL}]]>" in text
    assert baking.unbake_svg(baked) == CREDENTIAL
    assert baking.unbake_svg(baking.bake_svg(baked, "{}")) == "{}"


def test_any_prefix_for_the_namespace_is_read():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0">'
        b"<ob:credential><![CDATA[" + CREDENTIAL.encode() + b"]]></ob:credential></svg>"
    )
    assert baking.unbake_svg(svg) == CREDENTIAL


def test_the_2_0_namespace_is_not_taken_for_a_credential():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        b"<openbadges:credential>{}</openbadges:credential></svg>"
    )
    assert baking.unbake_svg(svg) is None


def test_json_that_would_end_the_cdata_section_is_refused():
    with pytest.raises(ValueError, match="CDATA"):
        baking.bake_svg(SVG, '{"a": "]]>"}')


def test_an_svg_with_entities_is_refused():
    bomb = b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    with pytest.raises(MalformedCredential):
        baking.unbake_svg(bomb)
