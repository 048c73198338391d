"""Fonts for text the server draws with Pillow, in any script: the machine's, found by fontconfig.

No single font covers Latin, Arabic, Devanagari, Thai, CJK and emoji, and Pillow
does not fall back from one font to another, so each piece of text is drawn with
a font that has its characters: fontconfig (``fc-match``) names it. Pillow's
layout engine (libraqm) then shapes it (Arabic letters join, Devanagari clusters
form) and orders it (right to left). The fonts come from the system (README,
"Fonts": Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

# Colour emoji fonts hold bitmaps of one size: drawn at it, then scaled.
BITMAP_EMOJI_SIZE = 109
_ZERO_WIDTH_JOINER = "\u200d"


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # a face in a collection (.ttc)

    @property
    def is_bitmap_emoji(self) -> bool:
        return "emoji" in self.path.lower() and "color" in self.path.lower()


def first_grapheme(text: str) -> str:
    """The first user-perceived character of ``text``: a letter with its marks, or a whole emoji.

    "Émilie" gives "É" (also when written E + U+0301), "👩🏽‍💻 dev" the whole emoji,
    "प्रिया" the cluster "प्र" (consonant, virama, consonant).
    """
    text = text.strip()
    if not text:
        return ""
    end = 1
    while end < len(text):
        char, previous = text[end], text[end - 1]
        category = unicodedata.category(char)
        joins = previous == _ZERO_WIDTH_JOINER or char == _ZERO_WIDTH_JOINER
        virama = unicodedata.combining(previous) == 9  # a virama joins the next consonant
        skin_tone = "\U0001f3fb" <= char <= "\U0001f3ff"
        variation = "\ufe00" <= char <= "\ufe0f"
        if category.startswith("M") or joins or virama or skin_tone or variation:
            end += 1
        else:
            break
    return text[:end]


@cache
def font_file_for(text: str, bold: bool = False) -> FontFile | None:
    """The font fontconfig picks for ``text`` (all of its characters), or None without fontconfig."""
    if not shutil.which("fc-match"):
        return None
    shown = sorted(char for char in set(text) if unicodedata.category(char)[0] not in "CZ")
    charset = " ".join(f"{ord(char):x}" for char in shown)
    pattern = f"sans-serif:weight={'bold' if bold else 'regular'}"
    if charset:
        pattern += f":charset={charset}"
    found = subprocess.run(  # noqa: S603 - fontconfig's own matcher, on characters we pass as hex
        ["fc-match", "--format=%{file}\t%{index}", pattern],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    path, _tab, index = found.stdout.partition("\t")
    if found.returncode or not path:
        return None
    return FontFile(path, int(index or 0))


@cache
def _truetype(font_file: FontFile, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file.path, size, index=font_file.index)


def font_for(text: str, size: int, *, bold: bool = False) -> tuple[ImageFont.FreeTypeFont, bool]:
    """A Pillow font that draws ``text``, and whether it is a bitmap emoji font (fixed size).

    Without fontconfig, Pillow's own font: Latin only, but never an error.
    """
    font_file = font_file_for(text, bold)
    if font_file is None:
        return ImageFont.load_default(size=size), False
    if font_file.is_bitmap_emoji:
        return _truetype(font_file, BITMAP_EMOJI_SIZE), True
    return _truetype(font_file, size), False


def draw_centred(
    image: Image.Image, text: str, centre: tuple[float, float], size: int, fill, **options
) -> None:
    """Draw ``text`` centred at ``centre`` on ``image`` (RGBA), shaped, in a font that has it.

    ``options`` go to ``ImageDraw.text`` (e.g. ``stroke_width``). Colour emoji are
    drawn in their own colours, scaled to ``size``.
    """
    font, bitmap = font_for(text, size, bold=options.pop("bold", False))
    if not bitmap:
        ImageDraw.Draw(image).text(centre, text, font=font, fill=fill, anchor="mm", **options)
        return
    left, top, right, bottom = font.getbbox(text, anchor="mm")
    glyph = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)), (0, 0, 0, 0))
    ImageDraw.Draw(glyph).text((-left, -top), text, font=font, anchor="mm", embedded_color=True)
    scale = size / BITMAP_EMOJI_SIZE
    glyph = glyph.resize(
        (max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))), Image.Resampling.LANCZOS
    )
    image.alpha_composite(glyph, (round(centre[0] - glyph.width / 2), round(centre[1] - glyph.height / 2)))
