"""Badge images for demo and benchmark data: hand-written SVGs and PNGs drawn with Pillow.

The PNGs are drawn when seeding rather than checked in, so the repository holds
no binary files and every colour or label can change in one line.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from core.lib.fonts import draw_centred

ASSETS_DIR = Path(__file__).resolve().parent
SIZE = 256
SUPERSAMPLE = 3  # draw large, then shrink: smooth edges without an anti-aliasing library


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    """Darker below 1, lighter above 1."""
    if factor < 1:
        return tuple(round(c * factor) for c in rgb)
    return tuple(round(c + (255 - c) * (factor - 1)) for c in rgb)


# A heraldic shield, in a unit square, drawn scaled about the image centre.
SHIELD = [
    (0.5, 0.0),
    (1.0, 0.12),
    (1.0, 0.48),
    (0.78, 0.82),
    (0.5, 1.0),
    (0.22, 0.82),
    (0.0, 0.48),
    (0.0, 0.12),
]


def _shield(box: float, scale: float) -> list[tuple[float, float]]:
    offset = box * (1 - scale) / 2
    return [(offset + x * box * scale, offset + y * box * scale) for x, y in SHIELD]


def _star(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        r = radius if i % 2 == 0 else radius * 0.45
        points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
    return points


def draw_badge_png(label: str, colour: str, *, shape: str = "circle", size: int = SIZE) -> bytes:
    """A flat badge: a coloured circle or shield with a ring and a short label ("PY", "字"), in any script."""
    big = size * SUPERSAMPLE
    base = _rgb(colour)
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if shape == "shield":
        draw.polygon(_shield(big, 0.96), fill=_shade(base, 0.7))
        draw.polygon(_shield(big, 0.86), fill=base)
        ring = _shield(big, 0.76)
        draw.line([*ring, ring[0]], fill=_shade(base, 1.45), width=big // 60, joint="curve")
        centre_y = big * 0.44
    else:
        draw.ellipse((big * 0.02, big * 0.02, big * 0.98, big * 0.98), fill=_shade(base, 0.7))
        draw.ellipse((big * 0.08, big * 0.08, big * 0.92, big * 0.92), fill=base)
        draw.ellipse(
            (big * 0.14, big * 0.14, big * 0.86, big * 0.86), outline=_shade(base, 1.45), width=big // 60
        )
        centre_y = big * 0.5
    font_size = int(big * (0.36 if len(label) <= 2 else 0.27))
    # In a font that has the label's script; a thin stroke of the same colour reads as bold.
    draw_centred(
        image, label, (big / 2, centre_y), font_size, "white", stroke_width=big // 110, stroke_fill="white"
    )
    # A small star under the label, like a medal's pin.
    draw.polygon(_star(big / 2, centre_y + big * 0.24, big * 0.055), fill=_shade(base, 1.6))
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def png_upload(filename: str, label: str, colour: str, *, shape: str = "circle") -> SimpleUploadedFile:
    """The PNG as an upload, for ``badge_create(image=...)``."""
    return SimpleUploadedFile(filename, draw_badge_png(label, colour, shape=shape), content_type="image/png")


def svg_upload(name: str) -> SimpleUploadedFile:
    """A hand-written SVG from this folder, as an upload."""
    content = (ASSETS_DIR / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="image/svg+xml")
