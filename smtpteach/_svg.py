"""SVG written by hand, for the lessons' pictures (``diagrams``) and the triage chart.

The pictures need a few shapes (lines, polygons, rounded boxes, many small marks as
one path) and text whose width is known before it is drawn, so that it can be
wrapped, shortened and kept clear of lines. Widths come from the table of DejaVu's
advance widths in ``data/font-widths.json`` (``tools/font_widths.py`` writes it from
the fonts): no font file, no font library and no plotting library is needed, so a
picture draws the same in a kernel and in the browser's Pyodide, and the same input
gives the same bytes everywhere.

Coordinates are points, y downwards, as the SVG's viewBox has them. Shapes are
written in the order SVG paints them: every filled shape first, then the lines,
then the text, each kind in the order it was drawn, so that text always sits on top.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Any

#: the alphabet of the widths table (tools/font_widths.py), two characters a width
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_MISSING = _ALPHABET[-1] * 2
_FONTS = {
    ("sans", "normal", "normal"): "sans",
    ("sans", "bold", "normal"): "sans-bold",
    ("sans", "normal", "italic"): "sans-italic",
    ("sans", "bold", "italic"): "sans-bold-italic",
    ("mono", "normal", "normal"): "mono",
    ("mono", "bold", "normal"): "mono-bold",
}
# DejaVu first (the widths are DejaVu's); the others are what a reader's browser falls
# back to, all no wider than DejaVu.
SANS = ("DejaVu Sans", "Verdana", "Noto Sans", "Arial", "Helvetica")
MONO = ("DejaVu Sans Mono", "Menlo", "Consolas", "Liberation Mono", "Courier New")
_FAMILY_CSS = {
    "sans": ", ".join(f"'{f}'" for f in SANS) + ", sans-serif",
    "mono": ", ".join(f"'{f}'" for f in MONO) + ", monospace",
}
#: a dash pattern: "-" for a solid line, or (offset, (on, off, ...)) in line widths, as matplotlib writes them
Dash = Any


@functools.cache
def _table() -> dict[str, Any]:
    from ._loading import _data_dir

    with open(f"{_data_dir()}/font-widths.json", encoding="utf-8") as f:
        return json.load(f)


@functools.cache
def _widths(font: str) -> dict[str, float]:
    """One font's advance width of each character it has, in em."""
    data = _table()
    per_em = data["units_per_em"]
    entry = data["fonts"][font]
    out: dict[str, float] = {}
    if "width" in entry:  # monospaced: one width for every character in its ranges
        em = entry["width"] / per_em
        for first, last in entry["ranges"]:
            out.update(dict.fromkeys(map(chr, range(first, last + 1)), em))
        return out
    for first, text in entry["ranges"]:
        for i in range(0, len(text), 2):
            pair = text[i:i + 2]
            if pair != _MISSING:
                out[chr(first + i // 2)] = (_ALPHABET.index(pair[0]) * 64 + _ALPHABET.index(pair[1])) / per_em
    out.update({chr(int(cp)): width / per_em for cp, width in entry["wide"].items()})
    return out


@functools.cache
def _advances(family: str, weight: str, style: str) -> Any:
    """A function giving a character's advance width in em in one of the fonts the pictures use."""
    if (family, weight, style) not in _FONTS:
        raise ValueError(f"no font for {family} {weight} {style}")
    widths = _widths(_FONTS[family, weight, style])
    # a reader's browser draws a character the font lacks from another font: DejaVu Sans's width
    # (Vietnamese letters missing from DejaVu Sans Mono), else a whole em (CJK, emoji)
    fallback = _advances("sans", weight, "normal") if family == "mono" else None

    def advance(ch: str) -> float:
        width = widths.get(ch)
        if width is None:
            return fallback(ch) if fallback is not None else 1.0
        return width

    return advance


def text_width(text: str, size: float, family: str = "sans", weight: str = "normal", style: str = "normal") -> float:
    """The advance width of ``text`` in points at ``size``, kerning left out (it only narrows text)."""
    advance = _advances(family, weight, style)
    return size * sum(map(advance, text))


def fit(text: str, width: float, size: float, family: str = "sans", weight: str = "normal", style: str = "normal") -> str:
    """``text``, or its longest start that fits ``width`` followed by "…"."""
    if text_width(text, size, family, weight, style) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, family, weight, style) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def number(value: float) -> str:
    """A coordinate as the SVG holds it: at most two decimals, no trailing zeros ("12", "7.5", "-0.25"), and
    never "-0" (adding 0.0 turns the -0.0 that rounding a small negative number gives into 0.0)."""
    return f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")


def xml(text: str) -> str:
    """Escape for XML character data and attribute values."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _dashes(ls: Dash, lw: float) -> str:
    if ls == "-":
        return ""
    _, pattern = ls
    return f"stroke-dasharray: {','.join(number(d * lw) for d in pattern)}; stroke-dashoffset: 0; "


def _stroke(colour: str, lw: float, ls: Dash) -> str:
    width = "" if lw == 1 else f"; stroke-width: {number(lw)}"
    return f"{_dashes(ls, lw)}stroke: {colour}{width}"


def _path(points: Sequence[tuple[float, float]], close: bool) -> str:
    steps = [f"{'M' if i == 0 else 'L'} {number(x)} {number(y)}" for i, (x, y) in enumerate(points)]
    return " \n".join(steps) + (" \nz\n" if close else " \n")


class Canvas:
    """A picture being drawn, in points with y downwards; :meth:`body` gives its SVG elements."""

    def __init__(self, width: float, height: float, *, ink: str = "#000000"):
        self.width, self.height, self.ink = width, height, ink
        self._fills: list[str] = [f'<path d="{_path([(0, height), (width, height), (width, 0), (0, 0)], True)}" '
                                  'style="fill: #ffffff"/>']
        self._lines: list[str] = []
        self._texts: list[str] = []

    def text(self, x: float, y: float, text: str, *, size: float = 9, family: str = "sans", weight: str = "normal",
             style: str = "normal", color: str | None = None, ha: str = "left") -> None:
        """One line of text with its baseline at ``y``, anchored at its left, centre or right (``ha``)."""
        css = []
        if style == "italic":
            css.append("font-style: italic")
        if weight == "bold":
            css.append("font-weight: 700")
        anchor = {"left": "start", "center": "middle", "right": "end"}[ha]
        css += [f"font-size: {number(size)}px", f"font-family: {_FAMILY_CSS[family]}", f"text-anchor: {anchor}",
                f"fill: {color or self.ink}"]
        self._texts.append(f'<text style="{"; ".join(css)}" x="{number(x)}" y="{number(y)}">{xml(text)}</text>')

    def line(self, xs: Sequence[float], ys: Sequence[float], *, color: str | None = None, lw: float = 1.0,
             ls: Dash = "-") -> None:
        """A line through the points (xs[i], ys[i]), butt-ended."""
        stroke = _stroke(color or self.ink, lw, ls)
        self._lines.append(f'<path d="{_path(list(zip(xs, ys)), False)}" style="fill: none; {stroke}"/>')

    def polygon(self, points: Sequence[tuple[float, float]], *, fill: str) -> None:
        """A filled polygon with no outline (an arrow's head, a bar)."""
        self._fills.append(f'<path d="{_path(points, True)}" style="fill: {fill}"/>')

    def arrow(self, x0: float, y0: float, x1: float, y1: float, *, color: str | None = None, lw: float = 1.2,
              ls: Dash = "-", head: float = 6.0) -> None:
        """A straight arrow from (x0, y0) to (x1, y1): a shaft and a filled head."""
        color = color or self.ink
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * head, y1 - uy * head
        self.line([x0, bx], [y0, by], color=color, lw=lw, ls=ls)
        half = head * 0.45
        self.polygon([(x1, y1), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)], fill=color)

    def box(self, x: float, y: float, w: float, h: float, *, fill: str = "none", edge: str | None = None,
            lw: float = 1.0, ls: Dash = "-", radius: float = 3.0) -> None:
        """A box with rounded corners (``radius`` points, at most half its width or height), outlined in ``edge``."""
        edge = edge or self.ink
        r = min(radius, w / 2, h / 2)
        x1, y1 = x + w, y + h
        d = " \n".join([
            f"M {number(x + r)} {number(y)}", f"L {number(x1 - r)} {number(y)}",
            f"Q {number(x1)} {number(y)} {number(x1)} {number(y + r)}", f"L {number(x1)} {number(y1 - r)}",
            f"Q {number(x1)} {number(y1)} {number(x1 - r)} {number(y1)}", f"L {number(x + r)} {number(y1)}",
            f"Q {number(x)} {number(y1)} {number(x)} {number(y1 - r)}", f"L {number(x)} {number(y + r)}",
            f"Q {number(x)} {number(y)} {number(x + r)} {number(y)}",
        ]) + " \nz\n"
        self._fills.append(f'<path d="{d}" style="fill: {fill}; {_stroke(edge, lw, ls)}; stroke-linejoin: miter"/>')

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str) -> None:
        """A filled rectangle with square corners and no outline (a bar of a chart)."""
        self.polygon([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], fill=fill)

    def marks(self, shape: str, xs: Sequence[float], y: float, *, size: float, fill: str, edge: str) -> None:
        """Many small marks as one compound path: one SVG element however many there are."""
        s = size
        outlines = {
            "diamond": [(0, -s), (s, 0), (0, s), (-s, 0)],
            "square": [(-s * 0.8, -s * 0.8), (s * 0.8, -s * 0.8), (s * 0.8, s * 0.8), (-s * 0.8, s * 0.8)],
            "circle": [(s * math.cos(a * math.pi / 6), s * math.sin(a * math.pi / 6)) for a in range(12)],
            "cross": [(-s, -s * 0.55), (-s * 0.55, -s), (0, -s * 0.45), (s * 0.55, -s), (s, -s * 0.55), (s * 0.45, 0),
                      (s, s * 0.55), (s * 0.55, s), (0, s * 0.45), (-s * 0.55, s), (-s, s * 0.55), (-s * 0.45, 0)],
        }[shape]
        d = "".join(_path([(x + dx, y + dy) for dx, dy in outlines], True) for x in xs)
        self._fills.append(f'<path d="{d}" style="fill: {fill}; stroke: {edge}; stroke-width: 0.8; '
                           'stroke-linejoin: miter"/>')

    def body(self) -> str:
        """The picture's elements, one a line, filled shapes first, then lines, then text."""
        return "".join(f"\n  {part}" for part in (*self._fills, *self._lines, *self._texts))


def svg(canvas: Canvas, *, css_class: str, label: str = "", title: tuple[str, str] | None = None,
        description: tuple[str, str] | None = None) -> str:
    """The whole ``<svg>`` element: sized in points, scaled down with the page, its stylesheet
    scoped to ``css_class``. Named for screen readers by ``label`` (an aria-label), or by a
    ``title`` and a ``description`` given as (id, text), which come first."""
    w, h = number(canvas.width), number(canvas.height)
    if title and description:
        name = f'role="img" aria-labelledby="{title[0]} {description[0]}"'
        head = (f'\n <title id="{title[0]}">{xml(title[1])}</title>'
                f'\n <desc id="{description[0]}">{xml(description[1])}</desc>')
    else:
        name, head = f'role="img" aria-label="{xml(label)}"', ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" '
            f'version="1.1" class="{css_class}" {name} style="max-width: 100%; height: auto">{head}'
            f'\n <defs>\n  <style type="text/css">.{css_class} *{{stroke-linejoin: round; stroke-linecap: butt}}</style>'
            f'\n </defs>{canvas.body()}\n</svg>\n')
