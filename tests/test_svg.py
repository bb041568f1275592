"""The SVG writer of the pictures and the triage chart (smtpteach/_svg.py), and its table of DejaVu's widths."""

from __future__ import annotations

import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtpteach import _svg

from ._guards import require
from ._tools import load_tool, usage_error

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def _fonts() -> Path | None:
    tool = load_tool("font_widths")
    found = tool.default_fonts()
    return found if found and all((found / f).is_file() for f in tool.FILES.values()) else None


def test_the_widths_table_is_what_the_fonts_say(capsys):
    """The table holds each font's advance widths exactly as the DejaVu fonts give them."""
    require(importlib.util.find_spec("fontTools") is not None, "fontTools is not installed")
    require(_fonts() is not None, "no DejaVu fonts (matplotlib's copies or Debian's fonts-dejavu-core)")
    tool = load_tool("font_widths")
    assert tool.main(["--check"]) == 0, capsys.readouterr()


def test_widths_read_back_from_the_table_match_the_fonts_glyph_by_glyph():
    """Decoding: every character of every font, including the gaps and the glyphs too wide for two characters."""
    require(importlib.util.find_spec("fontTools") is not None, "fontTools is not installed")
    fonts = _fonts()
    require(fonts is not None, "no DejaVu fonts (matplotlib's copies or Debian's fonts-dejavu-core)")
    tool = load_tool("font_widths")
    for name, file in tool.FILES.items():
        per_em, widths = tool.read_widths(fonts / file)
        decoded = _svg._widths(name)
        assert decoded == {chr(cp): w / per_em for cp, w in widths.items()}, name
    wide = [name for name, font in _svg._table()["fonts"].items() if font.get("wide")]
    assert wide, "no font lists a glyph too wide for two characters: the 'wide' branch is untested"


def test_encoding_a_font_keeps_gaps_zero_widths_and_wide_glyphs():
    tool = load_tool("font_widths")
    ranges, wide = tool.encode({65: 1401, 66: 0, 68: 4129, 200: 64})
    assert ranges == [[65, "Lv00__" + tool.MISSING], [200, "10"]]
    assert wide == {"68": 4129}
    assert tool.mono_ranges({65: 1233, 66: 1233, 70: 1233}) == (1233, [[65, 66], [70, 70]])
    with pytest.raises(ValueError, match="a monospaced font with 2 widths"):
        tool.mono_ranges({65: 1233, 66: 1234})
    with pytest.raises(ValueError, match="U\\+0041: a negative advance"):
        tool.encode({65: -1})


def test_the_tool_writes_the_table_and_its_check_fails_on_any_other(tmp_path, monkeypatch, capsys):
    require(importlib.util.find_spec("fontTools") is not None, "fontTools is not installed")
    fonts = _fonts()
    require(fonts is not None, "no DejaVu fonts (matplotlib's copies or Debian's fonts-dejavu-core)")
    tool = load_tool("font_widths")
    shipped = tool.TABLE.read_text(encoding="utf-8")
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "TABLE", tmp_path / "font-widths.json")
    assert tool.main(["--check"]) == 1  # no table at all
    tool.TABLE.write_text(shipped.replace('"width": 1233', '"width": 1234', 1), encoding="utf-8")
    assert tool.main(["--check"]) == 1  # one width off
    assert "differs from the fonts" in capsys.readouterr().out
    assert tool.main([]) == 0 and tool.TABLE.read_text(encoding="utf-8") == shipped
    assert tool.main(["--check"]) == 0


def test_the_tool_refuses_a_folder_without_the_fonts(tmp_path, capsys):
    tool = load_tool("font_widths")
    assert tool.main(["--fonts", str(tmp_path), "--check"]) == 2
    assert "no DejaVu fonts in" in capsys.readouterr().err
    usage_error(tool.main, ["--size", "9"], capsys)


@pytest.mark.parametrize(("text", "family", "weight", "style", "em"), [
    # DejaVu Sans: "i" 569 units of 2048, "m" 1995, a space 651; bold "m" 2134
    ("i", "sans", "normal", "normal", 569 / 2048),
    ("m", "sans", "normal", "normal", 1995 / 2048),
    ("m", "sans", "bold", "normal", 2134 / 2048),
    ("i m", "sans", "normal", "normal", (569 + 651 + 1995) / 2048),
    # every glyph of DejaVu Sans Mono is 1233 units wide
    ("imW5", "mono", "normal", "normal", 4 * 1233 / 2048),
    # a combining mark takes no room; a Vietnamese letter DejaVu Sans Mono lacks is measured in DejaVu Sans
    ("a\u0301", "sans", "normal", "normal", 1255 / 2048),
    ("ộả", "mono", "normal", "normal", (1233 + 1255) / 2048),
    # a character no DejaVu font has (an ideograph) is a whole em
    ("中", "sans", "normal", "normal", 1.0),
    ("中", "mono", "bold", "normal", 1.0),
])
def test_text_width(text, family, weight, style, em):
    assert _svg.text_width(text, 10, family, weight, style) == pytest.approx(10 * em)


def test_fit_shortens_to_the_longest_start_that_fits():
    text = "Recipient address rejected"
    assert _svg.fit(text, 1000, 9) == text
    short = _svg.fit(text, 60, 9)
    assert short.endswith("…") and text.startswith(short[:-1]) and _svg.text_width(short, 9) <= 60
    longer = text[:len(short)]  # one character more, with the ellipsis, would not fit
    assert _svg.text_width(longer.rstrip() + "…", 9) > 60


@pytest.mark.parametrize(("value", "shown"), [(12, "12"), (7.5, "7.5"), (0.125, "0.12"), (-0.001, "0"), (3.999, "4"),
                                              (-2.25, "-2.25"), (1e-9, "0")])
def test_numbers_are_short(value, shown):
    assert _svg.number(value) == shown


def test_a_canvas_paints_fills_then_lines_then_text_and_escapes_the_text():
    c = _svg.Canvas(100, 50, ink="#1a1a1a")
    c.text(5, 10, "<b>&\"x\"</b>", size=8, weight="bold", style="italic", ha="center")
    c.line([0, 100], [25, 25], lw=1.5, ls=(0, (2, 1)))
    c.box(10, 10, 20, 10, fill="#eeeeee", radius=3)
    c.arrow(0, 40, 50, 40, head=5)
    picture = _svg.svg(c, css_class="demo", label='a "demo" <picture>')
    root = ET.fromstring(picture)
    kinds = [e.tag.removeprefix(SVG) for e in root if e.tag != f"{SVG}defs"]
    # the background, the box and the arrow's head; the line and the arrow's shaft; the text
    assert kinds == ["path", "path", "path", "path", "path", "text"]
    assert root.get("aria-label") == 'a "demo" <picture>' and root.get("viewBox") == "0 0 100 50"
    text = root.find(f"{SVG}text")
    assert text.text == "<b>&\"x\"</b>" and "<b>" not in picture
    assert text.get("style") == ("font-style: italic; font-weight: 700; font-size: 8px; font-family: "
                                 + _svg._FAMILY_CSS["sans"] + "; text-anchor: middle; fill: #1a1a1a")
    line = [e for e in root.iter(f"{SVG}path") if "fill: none" in e.get("style")][0]
    # dashes are in line widths, as matplotlib's are: (2, 1) at 1.5 is 3 on, 1.5 off
    assert line.get("style") == "fill: none; stroke-dasharray: 3,1.5; stroke-dashoffset: 0; stroke: #1a1a1a; stroke-width: 1.5"
    head = [e for e in root.iter(f"{SVG}path")][2]
    assert head.get("d").split()[:3] == ["M", "50", "40"]  # the head's tip is the arrow's end
    assert [e.text for e in root.iter(f"{SVG}style")] == [".demo *{stroke-linejoin: round; stroke-linecap: butt}"]


def test_a_titled_picture_names_itself_by_its_title_and_description():
    c = _svg.Canvas(10, 10)
    picture = _svg.svg(c, css_class="demo", title=("t1", "A & B"), description=("d1", "<none>"))
    root = ET.fromstring(picture)
    assert root.get("aria-labelledby") == "t1 d1" and root.get("aria-label") is None
    assert [e.tag.removeprefix(SVG) for e in root][:2] == ["title", "desc"]
    assert root.find(f"{SVG}title").text == "A & B" and root.find(f"{SVG}desc").text == "<none>"


def test_the_table_is_small_and_one_range_a_line():
    path = ROOT / "smtpteach" / "data" / "font-widths.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["fonts"]) == set(_svg._FONTS.values()) and data["units_per_em"] == 2048
    assert path.stat().st_size < 80_000


@pytest.mark.parametrize("shape", ["diamond", "square", "circle", "cross"])
def test_marks_are_centred_on_their_points_and_as_wide_as_tall(shape):
    c = _svg.Canvas(200, 50)
    c.marks(shape, [20, 60.5, 150], 25, size=4, fill="#000000", edge="#ffffff")
    path = [e for e in ET.fromstring(_svg.svg(c, css_class="demo")).iter(f"{SVG}path")][-1]
    outlines = [[tuple(map(float, p.split())) for p in part.replace("M", "").split("L")]
                for part in path.get("d").replace("\n", "").split("z") if part.strip()]
    assert len(outlines) == 3  # one outline a point, in one path
    for (x, y), points in zip([(20, 25), (60.5, 25), (150, 25)], outlines):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        # centred on the point and symmetric both ways (each corner has its mirror image), within the size
        assert (min(xs) + max(xs)) / 2 == pytest.approx(x, abs=0.01) and (min(ys) + max(ys)) / 2 == pytest.approx(y, abs=0.01)
        assert max(xs) - min(xs) == pytest.approx(max(ys) - min(ys), abs=0.02) and max(xs) - min(xs) <= 8.01
        assert sorted(round(2 * x - px, 2) for px in xs) == sorted(round(px, 2) for px in xs)
        assert sorted(round(2 * y - py, 2) for py in ys) == sorted(round(py, 2) for py in ys)
    assert "fill: #000000; stroke: #ffffff; stroke-width: 0.8" in path.get("style")


def test_a_box_rounds_its_corners_by_at_most_half_its_side():
    c = _svg.Canvas(100, 100, ink="#123456")
    c.box(10, 10, 40, 20, radius=3)
    c.box(10, 50, 4, 30, radius=3, edge="#654321", lw=1.5, ls=(0, (2, 2)))  # narrower than two radii
    c.box(60, 50, 30, 2, radius=3)  # lower than two radii
    paths = [e for e in ET.fromstring(_svg.svg(c, css_class="demo")).iter(f"{SVG}path")][1:]
    firsts = [[" ".join(step.split()) for step in re.findall(r"[MLQz][^MLQz]*", p.get("d"))][:2] for p in paths]
    assert firsts == [["M 13 10", "L 47 10"], ["M 12 50", "L 12 50"], ["M 61 50", "L 89 50"]]
    styles = [p.get("style") for p in paths]
    assert styles[0] == "fill: none; stroke: #123456; stroke-linejoin: miter"  # the canvas's ink, no dashes
    assert styles[1] == ("fill: none; stroke-dasharray: 3,3; stroke-dashoffset: 0; stroke: #654321; "
                         "stroke-width: 1.5; stroke-linejoin: miter")


def test_a_picture_holds_nothing_but_its_elements():
    c = _svg.Canvas(10, 10)
    for picture in (_svg.svg(c, css_class="demo", label="x"),
                    _svg.svg(c, css_class="demo", title=("t", "T"), description=("d", "D"))):
        root = ET.fromstring(picture)
        assert (root.text or "").strip() == "" and all((e.tail or "").strip() == "" for e in root.iter())


@given(st.text(alphabet="abc iWm.ộ中", max_size=30), st.floats(min_value=0, max_value=200),
       st.sampled_from([("sans", "normal", "normal"), ("sans", "bold", "normal"), ("sans", "normal", "italic"),
                        ("mono", "normal", "normal")]))
def test_fit_gives_the_longest_start_that_fits_in_that_font(text, width, font):
    family, weight, style = font
    got = _svg.fit(text, width, 9, family, weight, style)
    if _svg.text_width(text, 9, family, weight, style) <= width:
        assert got == text
        return
    # the longest k whose start, trailing spaces dropped, fits with the ellipsis (0 when none does)
    fits = [k for k in range(len(text) + 1)
            if _svg.text_width(text[:k].rstrip() + "…", 9, family, weight, style) <= width]
    assert got == text[:max(fits, default=0)].rstrip() + "…"
