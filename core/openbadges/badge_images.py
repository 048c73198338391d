"""A badge's image as PNG and as SVG bytes, ready to bake.

PNG is what every Open Badges consumer reads, so each badge has one:
- an uploaded PNG is used as is;
- an uploaded SVG (already cleaned by ``core.images``) is drawn to PNG with
  CairoSVG, once, and the result kept in storage;
- an https image URL is fetched through the safe fetcher, checked like an
  upload, converted if it is SVG, and kept in storage. If it cannot be fetched
  right now, a generated placeholder is used (and not kept, so the next
  request tries again): an award must always download.
"""

from __future__ import annotations

import hashlib
import io
import logging

import cairosvg
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from core.images import check_badge_image
from core.models import Badge
from core.openbadges.fetch import FetchError, fetch

logger = logging.getLogger(__name__)

PNG_WIDTH = 512  # pixels, for PNGs drawn from SVG
IMAGE_ACCEPT = "image/png, image/svg+xml;q=0.9, image/*;q=0.5"


def svg_to_png(svg: bytes) -> bytes:
    """Draw a (cleaned) SVG as a PNG ``PNG_WIDTH`` pixels wide."""
    return cairosvg.svg2png(bytestring=svg, output_width=PNG_WIDTH)


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as file:
        return file.read()


def _kept(key: str, make) -> bytes:
    """``make()``'s PNG, kept in storage under a name derived from ``key``."""
    name = f"badges/png/{hashlib.sha256(key.encode()).hexdigest()[:32]}.png"
    if default_storage.exists(name):
        return _read(name)
    content = make()
    default_storage.save(name, ContentFile(content))
    return content


def _remote_png(url: str) -> bytes:
    document = fetch(url, accept=IMAGE_ACCEPT)
    if document.status != 200:
        raise FetchError(f"the server answered {document.status}")
    checked = check_badge_image(SimpleUploadedFile("remote", document.body))
    return checked.content if checked.extension == ".png" else svg_to_png(checked.content)


def placeholder_png(badge: Badge) -> bytes:
    """A plain disc with the badge's initial, for when its image cannot be had."""
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=(13, 110, 253, 255))
    initial = (badge.name.strip()[:1] or "?").upper()
    draw.text((size / 2, size / 2), initial, fill="white", anchor="mm", font_size=120)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def badge_png(badge: Badge) -> bytes:
    if badge.image and badge.is_svg:
        return _kept(f"svg:{badge.image.name}", lambda: svg_to_png(_read(badge.image.name)))
    if badge.image:
        return _read(badge.image.name)
    if badge.image_url:
        try:
            return _kept(f"url:{badge.image_url}", lambda: _remote_png(badge.image_url))
        except (FetchError, ValidationError) as err:
            logger.warning("Badge image %s could not be fetched: %s", badge.image_url, err)
    return placeholder_png(badge)


def badge_svg(badge: Badge) -> bytes | None:
    """The uploaded SVG, or None when the badge is not drawn in SVG."""
    return _read(badge.image.name) if badge.image and badge.is_svg else None
