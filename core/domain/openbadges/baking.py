"""Baking assertions into badge images, and reading them back out.

Baking uses ``openbadges-bakery``: PNG gets an ``iTXt`` chunk with keyword
``openbadges``; SVG gets an ``<openbadges:assertion verify="URL">`` element with
the JSON in CDATA. Reading is our own, because imported images come from
anywhere: compressed ``iTXt`` chunks, ``tEXt`` chunks and any namespace prefix
are read too, within size limits, and the bakery's SVG reader returns the
``verify`` URL rather than the assertion.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
from django.utils.translation import gettext as _
from openbadges_bakery import bake

from core.domain.images import PNG_SIGNATURE, sniff_image_type

OPENBADGES_NS = "http://openbadges.org"
KEYWORD = b"openbadges"
MAX_ASSERTION_BYTES = 1024 * 1024


class NotAnImage(ValueError):
    """The content is neither a PNG nor an SVG."""


@dataclass(frozen=True)
class Unbaked:
    """What a baked image carries: the assertion text and, in SVG, its ``verify`` URL."""

    kind: str  # "png" or "svg"
    text: str | None
    verify_url: str | None = None


def bake_png(png: bytes, assertion_json: str) -> bytes:
    return bake(io.BytesIO(png), assertion_json, io.BytesIO()).getvalue()


def bake_svg(svg: bytes, assertion_json: str) -> bytes:
    """``assertion_json`` must not contain ``]]>`` (``documents.to_json`` sees to it)."""
    with warnings.catch_warnings():
        # The bakery checks the verify URL with a deprecated rfc3986 call: its business.
        warnings.simplefilter("ignore", DeprecationWarning)
        return bake(io.BytesIO(svg), assertion_json, io.BytesIO()).getvalue()


def image_kind(content: bytes) -> str | None:
    """The kind without a dot ("png", "svg") or None, as ``core.domain.images.sniff_image_type`` sees it."""
    kind = sniff_image_type(content)
    return kind.removeprefix(".") if kind else None


def _png_chunks(content: bytes):
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(content):
        length, kind = struct.unpack(">I4s", content[position : position + 8])
        data = content[position + 8 : position + 8 + length]
        if len(data) < length:
            return  # truncated: stop quietly, what was read stays valid
        yield kind, data
        if kind == b"IEND":
            return
        position += 12 + length


def _inflate(data: bytes) -> bytes:
    decompressor = zlib.decompressobj()
    text = decompressor.decompress(data, MAX_ASSERTION_BYTES)
    if decompressor.unconsumed_tail:
        raise ValueError("The embedded assertion is too large.")
    return text


def _png_text(content: bytes) -> str | None:
    for kind, data in _png_chunks(content):
        keyword, _nul, rest = data.partition(b"\x00")
        if keyword != KEYWORD:
            continue
        if kind == b"iTXt" and len(rest) >= 2:
            compressed = rest[0] == 1
            # language tag \0 translated keyword \0 text
            _language, _nul, rest = rest[2:].partition(b"\x00")
            _translated, _nul, text = rest.partition(b"\x00")
            return (_inflate(text) if compressed else text).decode("utf-8")
        if kind == b"tEXt":
            return rest.decode("latin-1")
        if kind == b"zTXt" and rest:
            return _inflate(rest[1:]).decode("latin-1")
    return None


def _svg_assertion(content: bytes) -> tuple[str | None, str | None]:
    try:
        root = SafeElementTree.fromstring(content)
    except Exception as err:  # defusedxml raises several unrelated exception types
        raise NotAnImage(_("This SVG file could not be read.")) from err
    node: ElementTree.Element | None = root.find(f".//{{{OPENBADGES_NS}}}assertion")
    if node is None:
        return None, None
    text = (node.text or "").strip() or None
    return text, node.get("verify")


def unbake(content: bytes) -> Unbaked:
    """What ``content`` carries; ``text`` is None when the image is not baked."""
    kind = image_kind(content)
    if kind == "png":
        try:
            return Unbaked("png", _png_text(content))
        except (ValueError, zlib.error, UnicodeDecodeError):
            return Unbaked("png", None)
    if kind == "svg":
        text, verify_url = _svg_assertion(content)
        return Unbaked("svg", text, verify_url)
    raise NotAnImage(_("This file is neither a PNG nor an SVG image."))
