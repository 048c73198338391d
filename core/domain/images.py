"""Checking badge images: a real PNG, or an SVG cleaned of anything active.

An uploaded SVG is served from our origin, so a script or event handler in it
would run as us: the cleaner keeps an allow-list of drawing elements and
attributes, and drops every reference that leaves the document, CSS included.

Every badge is also published as PNG, drawn by CairoSVG: an SVG is drawn while
it is checked, and refused if it cannot be drawn, or not quickly.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import math
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
import tinycss2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PNG_PIXELS = 4096 * 4096
IMAGE_CONTENT_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}
IMAGE_ACCEPT = "image/png, image/svg+xml;q=0.9, image/*;q=0.5"  # when fetching a badge image
# Messages shared with the tests.
NOT_PNG_OR_SVG = _("Upload a PNG or SVG image.")
PNG_TOO_LARGE = _("This image is too large: keep it under 4096×4096 pixels.")
PNG_DAMAGED = _("This PNG file is damaged or is not a real image.")
PNG_METADATA_TOO_LARGE = _(
    "This PNG carries too much text or colour-profile data once decompressed: "
    "export it again without metadata."
)
IMAGE_TOO_BIG = _("The image is too big: the limit is %(kb)s KB.")
IMAGE_EMPTY = _("The image file is empty.")
SVG_SELF_REFERENCE = _(
    "This SVG could not be drawn: an element refers to itself or to a parent, "
    "directly or through other references."
)
SVG_TOO_COMPLEX = _(
    "This SVG could not be drawn: it is too complex "
    "(more than %(count)s shapes once its references are expanded)."
)
SVG_BAD_VIEWBOX = _("This SVG could not be drawn: its viewBox is empty or invalid.")
SVG_NOT_XML = _("This SVG file could not be read as XML.")
NOT_SVG = _("This file is not an SVG image.")
SVG_TOO_SLOW = _("This SVG could not be drawn: it takes too long to draw.")
SVG_NOT_DRAWN = _("This SVG could not be drawn: simplify it, or export it again from your drawing tool.")
# Served with every image from us: an SVG that slipped past a cleaner still cannot run.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

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
SAFE_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewx", "skewy"}
# What a style attribute may set: the presentation attributes above, nothing else.
STYLE_PROPERTIES = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "stroke-miterlimit", "opacity", "color",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "stop-color", "stop-opacity", "clip-path", "clip-rule", "mask", "filter",
    "flood-color", "flood-opacity", "visibility", "display",
}  # fmt: skip
LOCAL_REFERENCE_RE = re.compile(r"""url\(\s*['"]?#([^'")\s]+)""")

# Drawing limits: CairoSVG draws every <use>, pattern, mask... afresh each time
# it is referenced, so a small file can ask for millions of shapes.
MAX_NESTING = 50  # levels of elements, references included
MAX_DRAWN_ELEMENTS = 5_000  # elements, once every reference is expanded
# A drawing may use this much CPU time. The CPU time, not the clock, is the rule: a busy
# server shares its cores, and an honest image must not be refused for the wait.
MAX_DRAW_SECONDS = 10
# ...and is killed past this wait whatever it used (a backstop within gunicorn's 30 s).
MAX_DRAW_WAIT_SECONDS = 25.0
MAX_DRAW_MEMORY = 1024 * 1024 * 1024  # bytes of address space for the drawing process
DRAWN_PNG_SIZE = 512  # pixels, square: the SVG is fitted inside, keeping its proportions
TOO_DEEP = _("This SVG could not be drawn: its shapes are nested more than %(levels)s levels deep.")


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str  # ".png" or ".svg"
    content_type: str
    png: bytes | None = None  # an SVG drawn as PNG, at upload: what badges publish as PNG


def sniff_image_type(content: bytes) -> str | None:
    """The type of ``content`` from its first bytes: ".png", ".svg", or None (this checks nothing)."""
    if content.startswith(PNG_SIGNATURE):
        return ".png"
    head = content[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in content[:4096].lower():
        return ".svg"
    return None


def decode_data_uri(value: str) -> bytes | None:
    """The bytes of a base64 ``data:image/...`` URI (as badges embed their image), else None."""
    header, _comma, data = value.partition(",")
    if not header.startswith("data:image/") or ";base64" not in header:
        return None
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None


def _local_name(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _brace, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _safe_tokens(tokens) -> bool:
    """Only local url(#id) references and plain functions (colours, transforms)."""
    for token in tokens:
        if token.type == "url":
            if not token.value.strip().startswith("#"):
                return False
        elif token.type == "function":
            if token.lower_name == "url":
                arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
                if [t.type for t in arguments] != ["string"] or not arguments[0].value.startswith("#"):
                    return False
            elif token.lower_name not in SAFE_FUNCTIONS or not _safe_tokens(token.arguments):
                return False  # image-set(), image(), element(), expression()...
        elif token.type in ("() block", "[] block", "{} block"):
            if not _safe_tokens(token.content):
                return False
        elif token.type in ("at-keyword", "error"):
            return False
    return True


def _safe_value(value: str) -> bool:
    """Browsers read presentation attributes as CSS, so a value is checked as CSS.

    Backslashes are refused outright: CSS escapes (``u\\72l(``) hide names from any check.
    """
    return "\\" not in value and _safe_tokens(tinycss2.parse_component_value_list(value))


def _clean_attribute(name: str, value: str) -> str | None:
    namespace, local = _local_name(name)
    if namespace not in ("", XLINK_NS) or local not in SVG_ATTRIBUTES or local == "style":
        return None  # event handlers (on*) and unknown attributes are dropped; style is read apart
    if local == "href":
        return value if value.strip().startswith("#") else None
    return value if _safe_value(value) else None


def _style_declarations(style: str) -> dict[str, str]:
    """The allowed, safe declarations of a style attribute, as presentation attributes."""
    kept: dict[str, str] = {}
    for declaration in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if declaration.type != "declaration" or declaration.lower_name not in STYLE_PROPERTIES:
            continue
        value = tinycss2.serialize(declaration.value).strip()
        if value and _safe_value(value):
            kept[declaration.lower_name] = value
    return kept


def _clean_attributes(element: ElementTree.Element) -> None:
    style = element.attrib.get("style", "")
    for name, value in list(element.attrib.items()):
        if _clean_attribute(name, value) is None:
            del element.attrib[name]
    # A style declaration wins over the attribute of the same name, as in CSS.
    element.attrib.update(_style_declarations(style))


def _clean_element(element: ElementTree.Element) -> None:
    for child in list(element):
        namespace, local = _local_name(child.tag) if isinstance(child.tag, str) else ("", "")
        if namespace != SVG_NS or local not in SVG_ELEMENTS:
            element.remove(child)  # script, foreignObject, image, comments...
            continue
        _clean_element(child)
    _clean_attributes(element)


def _check_nesting(root: ElementTree.Element) -> None:
    """Before anything recursive reads the tree."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ValidationError(TOO_DEEP % {"levels": MAX_NESTING})
        stack.extend((child, depth + 1) for child in element)


def _references(element: ElementTree.Element) -> list[str]:
    found = []
    for name, value in element.attrib.items():
        if _local_name(name)[1] == "href":
            found.append(value.strip()[1:])
        else:
            found.extend(LOCAL_REFERENCE_RE.findall(value))
    return [unquote(reference) for reference in found]


def _check_drawing_size(root: ElementTree.Element) -> None:
    """Refuse references to an element from inside itself, and drawings too large once expanded."""
    by_id: dict[str, list[ElementTree.Element]] = {}
    for element in root.iter():
        if element.get("id"):
            by_id.setdefault(element.get("id"), []).append(element)
    done: dict[int, tuple[int, int]] = {}  # element -> (elements drawn, levels below)
    drawing: set[int] = set()

    def measure(element: ElementTree.Element, depth: int) -> tuple[int, int]:
        if depth > MAX_NESTING:
            raise ValidationError(TOO_DEEP % {"levels": MAX_NESTING})
        key = id(element)
        if key in drawing:
            raise ValidationError(SVG_SELF_REFERENCE)
        if key in done:
            count, height = done[key]
        else:
            drawing.add(key)
            count, height = 1, 0
            targets = [t for reference in _references(element) for t in by_id.get(reference, ())]
            for child in [*element, *targets]:
                child_count, child_height = measure(child, depth + 1)
                count, height = count + child_count, max(height, child_height + 1)
                if count > MAX_DRAWN_ELEMENTS:
                    raise ValidationError(
                        SVG_TOO_COMPLEX
                        % {"count": formats.number_format(MAX_DRAWN_ELEMENTS, force_grouping=True)}
                    )
            drawing.discard(key)
            done[key] = count, height
        if depth + height > MAX_NESTING:
            raise ValidationError(TOO_DEEP % {"levels": MAX_NESTING})
        return count, height

    measure(root, 1)


def _check_viewbox(root: ElementTree.Element) -> None:
    viewbox = root.get("viewBox")
    if viewbox is None:
        return
    try:
        numbers = [float(n) for n in viewbox.replace(",", " ").split()]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers) or min(numbers[2:]) <= 0:
        raise ValidationError(SVG_BAD_VIEWBOX)


def clean_svg(content: bytes) -> bytes:
    """The SVG without scripts, event handlers or external references, small enough to draw."""
    try:
        # defusedxml refuses entity expansion (billion laughs) and external DTDs.
        root = SafeElementTree.fromstring(content)
    except Exception as err:  # defusedxml raises several unrelated exception types
        raise ValidationError(SVG_NOT_XML) from err
    if _local_name(root.tag) != (SVG_NS, "svg"):
        raise ValidationError(NOT_SVG)
    _check_nesting(root)
    _clean_element(root)  # the root's attributes too
    _check_viewbox(root)
    _check_drawing_size(root)
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", XLINK_NS)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


# CairoSVG runs in a child interpreter (``core/domain/svg_drawing.py``, run as a
# script: it imports nothing from the app): a drawing can be slow in C (a long dashed
# stroke, thousands of crossing segments) where no Python deadline can stop it, or
# can crash. The child is stopped when its CPU time is up, and capped in memory.
_DRAW_SCRIPT = Path(__file__).with_name("svg_drawing.py")


def draw_svg_png(svg: bytes) -> bytes:
    """A cleaned SVG drawn as a DRAWN_PNG_SIZE-pixel square PNG; ValidationError if it cannot be.

    ``svg`` should come out of ``clean_svg``: its limits refuse the known bombs
    with a clearer message than a timeout.
    """
    limits = (DRAWN_PNG_SIZE, MAX_DRAW_MEMORY, math.ceil(MAX_DRAW_SECONDS))
    for attempt in (1, 2):
        try:
            drawn = subprocess.run(  # noqa: S603 - a fixed program; the SVG goes in on stdin
                [sys.executable, "-I", str(_DRAW_SCRIPT), *map(str, limits)],
                input=svg,
                capture_output=True,
                timeout=MAX_DRAW_WAIT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as err:  # the child is killed
            raise ValidationError(SVG_TOO_SLOW) from err
        if drawn.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # its CPU time was up
            raise ValidationError(SVG_TOO_SLOW)
        # A crash (SIGSEGV...) was seen once in a thousand honest drawings while another
        # process wrote fontconfig's cache: tried once more; an SVG that crashes Cairo
        # every time is still refused.
        if drawn.returncode >= 0 or attempt == 2:
            break
        logger.warning("The SVG drawing process died (signal %s): drawing once more", -drawn.returncode)
    if drawn.returncode != 0 or not drawn.stdout.startswith(PNG_SIGNATURE):
        # ValueError, RecursionError, CairoError, MemoryError... the last line says which.
        reason = drawn.stderr.decode(errors="replace").strip().rsplit("\n", 1)[-1][:300] or "no message"
        logger.info("CairoSVG could not draw an SVG (exit %s): %s", drawn.returncode, reason)
        raise ValidationError(SVG_NOT_DRAWN)
    return drawn.stdout


def _check_png(content: bytes) -> None:
    """A PNG that Pillow reads whole: its pixels and every chunk, before and after them.

    Text (zTXt, iTXt) and colour-profile (iCCP) chunks are compressed: Pillow
    refuses to inflate one past ``PngImagePlugin.MAX_TEXT_CHUNK`` with a
    ValueError, when it opens the image (chunks before the pixels) or loads it
    (chunks after). Both happen here, so such a bomb is refused at upload, never
    met later by the code that draws or bakes the image.
    """
    if not content.startswith(PNG_SIGNATURE):
        raise ValidationError(NOT_PNG_OR_SVG)
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != "PNG":
                raise ValidationError(NOT_PNG_OR_SVG)
            width, height = image.size
            if width * height > MAX_PNG_PIXELS:
                raise ValidationError(PNG_TOO_LARGE)
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
    except ValueError as err:
        too_large = "too large" in str(err).lower()
        raise ValidationError(PNG_METADATA_TOO_LARGE if too_large else PNG_DAMAGED) from err
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValidationError(PNG_DAMAGED) from err


def read_upload(upload, *, limit: int) -> bytes:
    """An uploaded file's bytes, at most ``limit`` of them; ValidationError if empty or bigger.

    The one size check for every upload: badge designs and imported badges alike.
    """
    too_big = ValidationError(IMAGE_TOO_BIG % {"kb": limit // 1024})
    if upload.size is not None and upload.size > limit:
        raise too_big
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise too_big
    if not content:
        raise ValidationError(IMAGE_EMPTY)
    return content


def readable_image_kind(content: bytes) -> str:
    """``"png"`` or ``"svg"`` for a PNG that decodes or an SVG that parses; ValidationError otherwise.

    For images kept as they came (imported badges): nothing is cleaned or drawn.
    """
    kind = sniff_image_type(content)
    if kind == ".png":
        _check_png(content)
        return "png"
    if kind == ".svg":
        try:
            root = SafeElementTree.fromstring(content)
        except Exception as err:  # defusedxml raises many unrelated types: all mean "unreadable"
            raise ValidationError(NOT_PNG_OR_SVG) from err
        if root.tag in (f"{{{SVG_NS}}}svg", "svg"):
            return "svg"
    raise ValidationError(NOT_PNG_OR_SVG)


def check_badge_image(upload) -> CheckedImage:
    """Validate an uploaded badge design; raises ValidationError with a clear message."""
    content = read_upload(upload, limit=settings.BADGE_IMAGE_MAX_BYTES)
    kind = sniff_image_type(content)
    if kind == ".png":
        _check_png(content)
        return CheckedImage(content, ".png", IMAGE_CONTENT_TYPES[".png"])
    if kind == ".svg":
        cleaned = clean_svg(content)
        # Drawn now, so an SVG that CairoSVG cannot draw is refused here, not on a public page.
        return CheckedImage(cleaned, ".svg", IMAGE_CONTENT_TYPES[".svg"], png=draw_svg_png(cleaned))
    raise ValidationError(NOT_PNG_OR_SVG)
