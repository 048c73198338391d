"""Checking badge images: a real PNG, or an SVG cleaned of anything active.

An uploaded SVG is served from our origin, so a script or event handler in it
would run as us: the cleaner keeps an allow-list of drawing elements and
attributes, and drops every reference that leaves the document.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_PIXELS = 4096 * 4096

SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient",
    "stop", "clipPath", "mask", "pattern", "filter", "feGaussianBlur", "feOffset", "feBlend",
    "feColorMatrix", "feFlood", "feComposite", "feMerge", "feMergeNode", "feDropShadow", "marker",
}  # fmt: skip
SVG_ATTRIBUTES = {
    "id", "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
    "width", "height", "d", "points", "viewBox", "preserveAspectRatio", "transform", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "stroke-miterlimit", "opacity",
    "color", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod", "clip-path", "clip-rule", "mask",
    "patternUnits", "patternTransform", "filter", "stdDeviation", "dx", "dy", "in", "in2",
    "result", "mode", "values", "type", "operator", "flood-color", "flood-opacity",
    "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "version",
    "visibility", "display", "style", "href", "startOffset", "lengthAdjust", "textLength",
}  # fmt: skip
# url(...) is allowed only towards an element of the same document.
EXTERNAL_URL_RE = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
UNSAFE_STYLE_RE = re.compile(r"@import|expression\s*\(|javascript:", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str  # ".png" or ".svg"
    content_type: str


def _local_name(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _clean_attribute(name: str, value: str) -> str | None:
    namespace, local = _local_name(name)
    if namespace not in ("", XLINK_NS) or local not in SVG_ATTRIBUTES:
        return None  # event handlers (on*) and unknown attributes are dropped
    if local == "href":
        return value if value.strip().startswith("#") else None
    if EXTERNAL_URL_RE.search(value) or UNSAFE_STYLE_RE.search(value):
        return None
    return value


def _clean_element(element: ElementTree.Element) -> None:
    for child in list(element):
        namespace, local = _local_name(child.tag) if isinstance(child.tag, str) else ("", "")
        if namespace != SVG_NS or local not in SVG_ELEMENTS:
            element.remove(child)  # script, foreignObject, image, comments...
            continue
        _clean_element(child)
    for name, value in list(element.attrib.items()):
        cleaned = _clean_attribute(name, value)
        if cleaned is None:
            del element.attrib[name]


def clean_svg(content: bytes) -> bytes:
    """The SVG without scripts, event handlers or external references."""
    try:
        # defusedxml refuses entity expansion (billion laughs) and external DTDs.
        root = SafeElementTree.fromstring(content)
    except Exception as err:  # defusedxml raises several unrelated exception types
        raise ValidationError("This SVG file could not be read as XML.") from err
    if _local_name(root.tag) != (SVG_NS, "svg"):
        raise ValidationError("This file is not an SVG image.")
    for name in list(root.attrib):
        if _clean_attribute(name, root.attrib[name]) is None:
            del root.attrib[name]
    _clean_element(root)
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", XLINK_NS)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _check_png(content: bytes) -> None:
    if not content.startswith(PNG_SIGNATURE):
        raise ValidationError("Upload a PNG or SVG image.")
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != "PNG":
                raise ValidationError("Upload a PNG or SVG image.")
            width, height = image.size
            if width * height > MAX_PNG_PIXELS:
                raise ValidationError("This image is too large: keep it under 4096×4096 pixels.")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValidationError("This PNG file is damaged or is not a real image.") from err


def check_badge_image(upload) -> CheckedImage:
    """Validate an uploaded file; raises ValidationError with a clear message."""
    limit = settings.BADGE_IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(f"The image is too big: the limit is {limit // 1024} KB.")
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(f"The image is too big: the limit is {limit // 1024} KB.")
    if not content:
        raise ValidationError("The image file is empty.")
    if content.startswith(PNG_SIGNATURE):
        _check_png(content)
        return CheckedImage(content, ".png", "image/png")
    head = content[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in content[:4096].lower():
        return CheckedImage(clean_svg(content), ".svg", "image/svg+xml")
    raise ValidationError("Upload a PNG or SVG image.")
