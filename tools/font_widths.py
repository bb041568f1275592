"""Write the advance widths of the DejaVu fonts into ``smtpteach/data/font-widths.json``.

    python tools/font_widths.py [--fonts DIR] [--check]

The lessons' pictures and the triage chart lay their text out with the widths of
DejaVu Sans and DejaVu Sans Mono (the first fonts their SVG names), read from this
table: drawing a picture needs no font file and no font library, in a kernel or in
the browser's Pyodide. This tool reads the widths from the fonts themselves, with
fontTools: each font's ``hmtx`` advance for every character its ``cmap`` maps, in
units of 1/2048 em. DIR defaults to the DejaVu copies inside matplotlib (the fonts
the pictures were measured with before this table), else Debian's
``/usr/share/fonts/truetype/dejavu``.

**The table's form.** Sans widths vary by character: each font is a list of
``[first code point, widths]``, the widths two characters a code point from the
alphabet ``ALPHABET`` (64 x 64 values; ``MISSING`` for a code point the font does not
have, so that short gaps do not cut a range; combining marks have the width 0). The few
glyphs wider than two characters can write (two em, in scripts such as Canadian
syllabics) are written as MISSING in their range and listed apart, under ``wide``. Every glyph of DejaVu Sans Mono has the
same width, so a mono font is that width and the ``[first, last]`` ranges it covers.

``--check`` writes nothing and exits 1 when the table differs from the fonts.
Exit status 2 for a usage error (no fonts found, fontTools missing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "smtpteach" / "data" / "font-widths.json"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
#: what a code point the font does not have is written as, in a range
MISSING = ALPHABET[-1] * 2
#: a gap of fewer missing code points than this is filled with MISSING rather than cutting a range
GAP = 16
#: the table's font names and the files they are read from
FILES = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "sans-italic": "DejaVuSans-Oblique.ttf",
    "sans-bold-italic": "DejaVuSans-BoldOblique.ttf",
    "mono": "DejaVuSansMono.ttf",
    "mono-bold": "DejaVuSansMono-Bold.ttf",
}


def default_fonts() -> Path | None:
    """Where the DejaVu fonts are on this machine: matplotlib's copies first, then Debian's."""
    try:
        import matplotlib
    except ImportError:
        pass
    else:
        return Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    debian = Path("/usr/share/fonts/truetype/dejavu")
    return debian if debian.is_dir() else None


def read_widths(path: Path) -> tuple[int, dict[int, int]]:
    """A font's units per em and its advance width for each code point it maps."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        metrics = font["hmtx"].metrics
        return font["head"].unitsPerEm, {cp: metrics[glyph][0] for cp, glyph in font.getBestCmap().items()}


def encode(widths: dict[int, int]) -> tuple[list[list], dict[str, int]]:
    """``[first code point, widths as two characters each]`` ranges of a font's widths, and the
    widths too wide for two characters (code point as a decimal string -> width)."""
    ranges: list[list] = []
    wide: dict[str, int] = {}
    for cp in sorted(widths):
        width = widths[cp]
        if width < 0:
            raise ValueError(f"U+{cp:04X}: a negative advance ({width})")
        if ranges and cp - (ranges[-1][0] + len(ranges[-1][1]) // 2) < GAP:
            first, text = ranges[-1]
            text += MISSING * (cp - first - len(text) // 2)  # the gap: code points the font does not have
        else:
            first, text = cp, ""
            ranges.append([first, text])
        if width >= len(ALPHABET) ** 2 - 1:
            wide[str(cp)] = width
            ranges[-1][1] = text + MISSING
        else:
            ranges[-1][1] = text + ALPHABET[width // 64] + ALPHABET[width % 64]
    return ranges, wide


def mono_ranges(widths: dict[int, int]) -> tuple[int, list[list[int]]]:
    """A monospaced font's one width and the ``[first, last]`` runs of code points it maps."""
    sizes = set(widths.values())
    if len(sizes) != 1:
        raise ValueError(f"a monospaced font with {len(sizes)} widths")
    runs: list[list[int]] = []
    for cp in sorted(widths):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return sizes.pop(), runs


def table(fonts: Path) -> dict:
    """The whole table, from the fonts in ``fonts``."""
    out: dict = {"units_per_em": None, "fonts": {}}
    for name, file in FILES.items():
        units, widths = read_widths(fonts / file)
        if out["units_per_em"] not in (None, units):
            raise ValueError(f"{file}: {units} units per em, the others {out['units_per_em']}")
        out["units_per_em"] = units
        if name.startswith("mono"):
            width, runs = mono_ranges(widths)
            out["fonts"][name] = {"width": width, "ranges": runs}
        else:
            ranges, wide = encode(widths)
            out["fonts"][name] = {"wide": wide, "ranges": ranges}
    return out


def dump(data: dict) -> str:
    """The table as the file holds it: one range a line, so that a change reads as one."""
    lines = ["{", f' "units_per_em": {data["units_per_em"]},', ' "fonts": {']
    names = list(data["fonts"])
    for i, name in enumerate(names):
        font = data["fonts"][name]
        head = (f'  "{name}": {{' + (f'"width": {font["width"]}, ' if "width" in font else "")
                + (f'"wide": {json.dumps(font["wide"], separators=(",", ":"))}, ' if "wide" in font else "") + '"ranges": [')
        rows = [f"   {json.dumps(r, separators=(',', ':'))}" for r in font["ranges"]]
        lines += [head, ",\n".join(rows), "  ]}" + ("," if i < len(names) - 1 else "")]
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="font_widths.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fonts", type=Path, default=None, help="the folder that holds the DejaVu TTF files")
    parser.add_argument("--check", action="store_true", help="compare the table with the fonts, write nothing")
    args = parser.parse_args(argv)
    fonts = args.fonts or default_fonts()
    if fonts is None or not all((fonts / f).is_file() for f in FILES.values()):
        print(f"font_widths.py: no DejaVu fonts in {fonts or 'matplotlib or /usr/share/fonts/truetype/dejavu'} "
              f"(give --fonts DIR, the folder of {', '.join(FILES.values())})", file=sys.stderr)
        return 2
    try:
        import fontTools  # noqa: F401
    except ImportError:
        print("font_widths.py: fontTools is not installed (pip install fonttools)", file=sys.stderr)
        return 2
    text = dump(table(fonts))
    if args.check:
        same = TABLE.is_file() and TABLE.read_text(encoding="utf-8") == text
        print(f"{TABLE.relative_to(ROOT)} {'matches' if same else 'differs from'} the fonts in {fonts}")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)} ({len(text.encode()):,} bytes) from {fonts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
