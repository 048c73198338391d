"""A badge's image as PNG and as SVG bytes, ready to bake.

PNG is what every Open Badges consumer reads, so each badge has one:
- an uploaded PNG is used as is;
- an uploaded SVG is drawn to PNG with CairoSVG when it is uploaded (that is
  part of checking it, in ``core.domain.images``) and the result kept in storage. An
  SVG stored before that check, which CairoSVG cannot draw, is given the
  placeholder, kept too: it is not drawn again on every request;
- an https image URL is fetched through the safe fetcher, checked like an
  upload, converted if it is SVG, and kept in storage. If it cannot be fetched
  right now, a generated placeholder is used (not kept; the URL is tried
  again after ten minutes): an award must always download.
"""

from __future__ import annotations

import hashlib
import io
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from core.domain.images import IMAGE_ACCEPT, check_badge_image, clean_svg, draw_svg_png
from core.lib.fetch import FetchError, fetch
from core.lib.fonts import draw_centred, first_grapheme
from core.models import Badge

logger = logging.getLogger(__name__)
RETRY_FAILED_URL_AFTER = 10 * 60  # seconds


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as file:
        return file.read()


def _png_name(key: str) -> str:
    return f"badges/png/{hashlib.sha256(key.encode()).hexdigest()[:32]}.png"


def _kept(key: str, make) -> bytes:
    """``make()``'s PNG, kept in storage under a name derived from ``key``."""
    name = _png_name(key)
    if default_storage.exists(name):
        return _read(name)
    content = make()
    default_storage.save(name, ContentFile(content))
    return content


def keep_drawn_png(image_name: str, png: bytes) -> None:
    """Keep the PNG an uploaded SVG was drawn as when it was checked (``CheckedImage.png``)."""
    name = _png_name(f"svg:{image_name}")
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(png))


def _remote_png(url: str) -> bytes:
    document = fetch(url, accept=IMAGE_ACCEPT)
    if document.status != 200:
        raise FetchError(f"the server answered {document.status}")
    checked = check_badge_image(SimpleUploadedFile("remote", document.body))  # draws an SVG too
    return checked.png or checked.content


def _failed_key(url: str) -> str:
    return f"badge-image-failed:{hashlib.sha256(url.encode()).hexdigest()}"


def placeholder_png(badge: Badge) -> bytes:
    """A plain disc with the badge's initial, for when its image cannot be had.

    The initial is the name's first character as a reader sees it (a letter with
    its accents, a Devanagari cluster, a whole emoji), in a font that has it.
    """
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=(10, 88, 202, 255))
    initial = first_grapheme(badge.name) or "?"
    if len(initial.upper()) == len(initial):  # "é" gives "É", but "ß" stays one letter
        initial = initial.upper()
    draw_centred(image, initial, (size / 2, size / 2), 120, "white")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _drawn_svg(badge: Badge, svg: bytes) -> bytes:
    """Only for SVGs stored before uploads were drawn as part of their check."""
    try:
        return draw_svg_png(clean_svg(svg))  # cleaned again: the size limits come with the cleaning
    except ValidationError as err:
        logger.error("Badge %s: its SVG %s cannot be drawn: %s", badge.pk, badge.image.name, err.messages[0])
        return placeholder_png(badge)


def badge_png(badge: Badge) -> bytes:
    """Always a PNG: a badge's image that cannot be had gives the placeholder, never an error."""
    try:
        if badge.image and badge.is_svg:
            return _kept(f"svg:{badge.image.name}", lambda: _drawn_svg(badge, _read(badge.image.name)))
        if badge.image:
            return _read(badge.image.name)
        if badge.image_url and not cache.get(_failed_key(badge.image_url)):
            try:
                return _kept(f"url:{badge.image_url}", lambda: _remote_png(badge.image_url))
            except (FetchError, ValidationError) as err:
                # Public endpoints end here: anonymous requests must not each
                # make us fetch a failing URL again.
                cache.set(_failed_key(badge.image_url), True, RETRY_FAILED_URL_AFTER)
                logger.warning("Badge image %s could not be fetched: %s", badge.image_url, err)
    except Exception:  # a missing file, a storage error: not kept, the next request tries again
        logger.exception("Badge %s: its image could not be read", badge.pk)
    return placeholder_png(badge)


def badge_svg(badge: Badge) -> bytes | None:
    """The uploaded SVG, or None when the badge is not drawn in SVG."""
    return _read(badge.image.name) if badge.image and badge.is_svg else None
