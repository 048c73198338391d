"""Drawing a cleaned SVG as PNG: CairoSVG, with its text laid out by Pango.

Run as a script in a child process (``core.domain.images.draw_svg_png`` starts it
with time and memory limits); it reads the SVG on stdin and writes the PNG on stdout.
It imports nothing from the app.

CairoSVG draws text one letter at a time in the first font of ``font-family``:
a name in Chinese, Arabic or Hindi comes out as empty boxes, Arabic letters
unjoined and left to right, Devanagari clusters broken. Each run of text that
needs more than that (a letter the font lacks, a script that must be shaped or
ordered right to left) is laid out here by Pango instead: font fallback through
fontconfig, shaping by HarfBuzz, bidirectional order. It becomes a path at the
same place CairoSVG would put it, so fill, stroke, gradients and opacity apply as
before. Text placed letter by letter (``x``/``y`` lists, ``rotate``, ``textPath``)
stays CairoSVG's.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import unicodedata

# Scripts that must be shaped (letters change with their neighbours) or ordered
# right to left: Hebrew to Arabic, the Indic scripts, Thai to Myanmar, Khmer.
COMPLEX_RANGES = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x109F), (0x1780, 0x17FF))


def needs_layout(text: str) -> bool:
    """Text CairoSVG's letter-by-letter drawing cannot get right, whatever the font."""
    for char in text:
        code = ord(char)
        if any(low <= code <= high for low, high in COMPLEX_RANGES):
            return True
        if unicodedata.bidirectional(char) in ("R", "AL", "AN"):
            return True
    return False


def _missing_glyphs(context, text: str) -> bool:
    """Does the font CairoSVG selected lack a letter of ``text`` (glyph 0, the empty box)?"""
    glyphs = context.get_scaled_font().text_to_glyphs(0, 0, text, with_clusters=False)
    shown = [char for char in text if not char.isspace() and unicodedata.category(char)[0] not in "CZ"]
    return bool(shown) and any(glyph[0] == 0 for glyph in glyphs)


def _first(surface, node, name: str, axis: str):
    from cairosvg.helpers import normalize, size

    values = normalize(node.get(name, "")).strip().split()
    return size(surface, values[0], axis) if values else None


def _placed_letter_by_letter(node) -> bool:
    if node.tag == "textPath" or node.get_href() or "rotate" in node:
        return True
    return any(len(node.get(name, "").replace(",", " ").split()) > 1 for name in ("x", "y", "dx", "dy"))


def install_pango_text() -> bool:
    """Replace CairoSVG's text drawing with the one below; False when Pango is not installed."""
    try:
        import pangocairocffi
        import pangocffi
    except (ImportError, OSError):  # no libpango on this machine: CairoSVG's own text
        return False
    from cairosvg import surface as cairosvg_surface
    from cairosvg import text as cairosvg_text
    from cairosvg.bounding_box import extend_bounding_box, is_valid_bounding_box

    letter_by_letter = cairosvg_text.text

    def text(surface, node, draw_as_text=False):
        string = node.text
        if not string or draw_as_text or _placed_letter_by_letter(node):
            return letter_by_letter(surface, node, draw_as_text)
        family = node.get("font-family") or "sans-serif"
        bold = (node.get("font-weight") or "") in ("bold", "bolder") or (
            (node.get("font-weight") or "").isdigit() and int(node.get("font-weight")) >= 550
        )
        italic = node.get("font-style") in ("italic", "oblique")
        context = surface.context
        # CairoSVG's own choice of font, to see whether it would draw this text right.
        from cairosvg.surface import cairo

        context.select_font_face(
            family.split(",")[0].strip("\"' "),
            cairo.FONT_SLANT_ITALIC if italic else cairo.FONT_SLANT_NORMAL,
            cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL,
        )
        context.set_font_size(surface.font_size)
        if not needs_layout(string) and not _missing_glyphs(context, string):
            return letter_by_letter(surface, node, draw_as_text)

        layout = pangocairocffi.create_layout(context)
        description = pangocffi.FontDescription()
        description.family = family  # a list: Pango tries each, then falls back per letter
        description.set_absolute_size(pangocffi.units_from_double(surface.font_size))
        description.weight = pangocffi.Weight.BOLD if bold else pangocffi.Weight.NORMAL
        description.style = pangocffi.Style.ITALIC if italic else pangocffi.Style.NORMAL
        layout.font_description = description
        # SVG text runs left to right unless told otherwise (``direction`` is not kept
        # by the cleaner): a right-to-left run keeps its own order inside it.
        pangocffi.pango.pango_layout_set_auto_dir(layout.pointer, False)
        pangocffi.pango.pango_context_set_base_dir(layout.context.pointer, 0)  # PANGO_DIRECTION_LTR
        pangocffi.pango.pango_layout_context_changed(layout.pointer)
        layout.text = string
        _ink, logical = layout.get_extents()
        width, height = pangocffi.units_to_double(logical.width), pangocffi.units_to_double(logical.height)
        baseline = pangocffi.units_to_double(layout.get_baseline())

        x, y = _first(surface, node, "x", "x"), _first(surface, node, "y", "y")
        dx, dy = _first(surface, node, "dx", "x") or 0, _first(surface, node, "dy", "y") or 0
        if x is not None:
            surface.cursor_d_position[0] = 0
        if y is not None:
            surface.cursor_d_position[1] = 0
        surface.cursor_d_position[0] += dx
        surface.cursor_d_position[1] += dy
        x = surface.cursor_position[0] if x is None else x
        y = surface.cursor_position[1] if y is None else y
        left = (
            x
            + surface.cursor_d_position[0]
            - {"middle": width / 2, "end": width}.get(node.get("text-anchor"), 0)
        )
        baseline_y = y + surface.cursor_d_position[1]
        alignment = node.get("dominant-baseline") or node.get("alignment-baseline")
        if alignment in ("central", "middle"):
            top = baseline_y - height / 2
        elif alignment in ("text-before-edge", "before_edge", "hanging", "top", "text-top"):
            top = baseline_y
        else:
            top = baseline_y - baseline
        context.move_to(left, top)
        pangocairocffi.layout_path(context, layout)
        surface.cursor_position = [left + width, y]
        box = extend_bounding_box(node.get("text_bounding_box") or (float("inf"), float("inf"), 0, 0),
                                  ((left, top), (left + width, top + height)))  # fmt: skip
        if is_valid_bounding_box(box):
            node["text_bounding_box"] = box
        return None

    cairosvg_text.text = text
    for tag in ("text", "tspan", "a"):
        cairosvg_surface.TAGS[tag] = text
    return True


def _limit(memory: int, seconds: int) -> None:
    # CPU: SIGXCPU at the soft limit (ends the process), SIGKILL one second later.
    for limit, soft, hard in (
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_CPU, seconds, seconds + 1),
    ):
        with contextlib.suppress(ValueError, OSError):  # not every platform lets a process set this one
            resource.setrlimit(limit, (soft, hard))


def main(argv: list[str]) -> None:
    """``svg_drawing.py SIZE MEMORY SECONDS`` < svg > png."""
    size, memory, seconds = (int(arg) for arg in argv[1:4])
    _limit(memory, seconds)
    import cairosvg

    install_pango_text()
    png = cairosvg.svg2png(bytestring=sys.stdin.buffer.read(), output_width=size, output_height=size)
    sys.stdout.buffer.write(png)


if __name__ == "__main__":
    main(sys.argv)
