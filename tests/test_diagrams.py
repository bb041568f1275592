"""The lessons' pictures (smtpteach/diagrams.py): same bytes everywhere, alt text, escaping, layout, schedules."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest

from smtpteach import CatalogueError, InvalidArgumentError, InvalidTypeError, diagrams

from ._guards import require

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent
WORDS = ROOT / "smtpteach" / "data" / "diagrams.yaml"

# A lab session as LabClient.transcript holds it (smtpteach/lab.py: "C: "/"S: " + the line).
SESSION = [
    "S: 220 mx.lab.example ESMTP smtpteach lab",
    "C: EHLO client.example",
    "S: 250-mx.lab.example",
    "S: 250-8BITMIME",
    "S: 250-SMTPUTF8",
    "S: 250-HELP",
    "S: 250 ENHANCEDSTATUSCODES",
    "C: MAIL FROM:<teacher@client.example>",
    "S: 250 2.1.0 Sender OK",
    "C: RCPT TO:<nobody@lab.example>",
    "S: 550 5.1.1 <nobody@lab.example>: Recipient address rejected: mailbox unavailable",
    "C: RCPT TO:<ana@lab.example>",
    "S: 451 4.7.1 <ana@lab.example>: Greylisted, please try again later",
    "C: RCPT TO:<binh@lab.example>",
    "S: 250 2.1.5 Recipient OK",
    "C: DATA",
    "S: 354 End data with <CR><LF>.<CR><LF>",
    "C: From: teacher@client.example",
    "C: Subject: Lab notes",
    "C: ",
    "C: This message never leaves 127.0.0.1.",
    "C: .",
    "S: 250 2.0.0 Message accepted for delivery",
    "C: QUIT",
    "S: 221 2.0.0 Bye",
]
EXPIRY = [(t, "451 4.7.1 Service unavailable, try again later") for t in diagrams.postfix_schedule()]
GREYLIST = [(0, "451 4.7.1 Greylisted"), (300, "451 4.7.1 Greylisted"), (600, "250 2.0.0 Ok: queued as 4F2A1")]


def all_pictures(lang: str) -> dict[str, diagrams.Diagram]:
    return {
        "sequence": diagrams.sequence(SESSION, lang=lang),
        "decisions": diagrams.reply_class_decisions(lang=lang),
        "bounce": diagrams.bounce_parts(lang=lang),
        "expiry": diagrams.retry_timeline(EXPIRY, lang=lang, delay_warning=4 * 3600),
        "greylist": diagrams.retry_timeline(GREYLIST, lang=lang),
    }


WORDS_READ: set[str] = set()  # every key of the words file that drawing the pictures read


class _Spy:
    """Records the keys of the words file that drawing reads."""

    def __init__(self):
        self.real = diagrams._Words.__call__

    def __enter__(self):
        real = self.real

        def spy(words, key, **slots):
            WORDS_READ.add(key)
            return real(words, key, **slots)

        diagrams._Words.__call__ = spy
        return self

    def __exit__(self, *exc):
        diagrams._Words.__call__ = self.real


@pytest.fixture(scope="module")
def pictures() -> dict[tuple[str, str], diagrams.Diagram]:
    with _Spy():
        return {(name, lang): d for lang in ("en", "vi") for name, d in all_pictures(lang).items()}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def texts(svg: str) -> list[str]:
    """The words drawn in the picture, top to bottom as written."""
    return [e.text or "" for e in parse(svg).iter(f"{SVG}text")]


# -- the same bytes in every process -------------------------------------------------------
_DRAW_ALL = """
import hashlib, json, sys
from smtpteach import diagrams
session, expiry, greylist = json.loads(sys.argv[1])
out = {}
for lang in ("en", "vi"):
    pictures = {
        "sequence": diagrams.sequence(session, lang=lang),
        "decisions": diagrams.reply_class_decisions(lang=lang),
        "bounce": diagrams.bounce_parts(lang=lang),
        "expiry": diagrams.retry_timeline(expiry, lang=lang, delay_warning=4 * 3600),
        "greylist": diagrams.retry_timeline(greylist, lang=lang),
    }
    for name, d in pictures.items():
        out[f"{name}-{lang}"] = hashlib.sha256(d.svg.encode("utf-8")).hexdigest()
out["loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in {"matplotlib", "numpy", "PIL", "fontTools"})
print(json.dumps(out))
"""


def test_the_same_bytes_in_two_processes(pictures, tmp_path):
    """Two fresh interpreters, with different hash seeds and working folders, draw byte for byte
    what this process drew, and load no plotting or font library to do it."""
    mine = {f"{name}-{lang}": hashlib.sha256(d.svg.encode()).hexdigest()
            for (name, lang), d in pictures.items()}
    inputs = json.dumps([SESSION, EXPIRY, GREYLIST])
    processes = [
        subprocess.Popen([sys.executable, "-c", _DRAW_ALL, inputs], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONHASHSEED": seed}, cwd=folder)
        for seed, folder in (("1", tmp_path), ("2", ROOT))
    ]
    runs = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        runs.append(json.loads(out))
    for run in runs:
        assert run.pop("loaded") == []
        assert run == mine


def test_importing_the_module_reads_no_data():
    code = (
        "import sys, builtins, json\n"
        "opened = []\n"
        "real_open = builtins.open\n"
        "builtins.open = lambda f, *a, **k: (opened.append(str(f)), real_open(f, *a, **k))[1]\n"
        "import smtpteach, smtpteach.diagrams\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'numpy', 'yaml', 'PIL'})\n"
        "print(json.dumps({'heavy': heavy, 'opened': [f for f in opened if f.endswith('.yaml')]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == {"heavy": [], "opened": []}


# -- alt text ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("name", ["sequence", "decisions", "bounce", "expiry", "greylist"])
def test_title_and_description_come_first_and_label_the_picture(pictures, name, lang):
    d = pictures[name, lang]
    root = parse(d.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = list(root)[:2]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == d.title and desc.text == d.description
    # one sentence of title; a description that says more than the title
    assert "\n" not in d.title and ". " not in d.title and not d.title.endswith(".")
    assert len(d.description) > 2 * len(d.title)
    assert d.lang == lang


def test_each_language_has_its_own_words(pictures):
    for name in ("sequence", "decisions", "bounce", "expiry", "greylist"):
        en, vi = pictures[name, "en"], pictures[name, "vi"]
        assert en.title != vi.title and en.description != vi.description
        letters = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư"
        assert re.search(f"[{letters}]", vi.title + vi.description), name
    assert "Máy chủ (server)" in texts(pictures["sequence", "vi"].svg)
    assert "Server" in texts(pictures["sequence", "en"].svg)
    assert "Server" not in texts(pictures["sequence", "vi"].svg)
    # the class names are the catalogue's, in each language
    import smtpteach

    for lang in ("en", "vi"):
        drawn = " ".join(texts(pictures["decisions", lang].svg))
        for digit in "2345":
            name = smtpteach.default_catalogue().text("classes", digit, lang=lang).name
            assert all(word in drawn for word in name.split()), (lang, name)
    # Vietnamese as an admin writes it
    vi_words = pictures["expiry", "vi"].description + pictures["decisions", "vi"].description
    assert "hàng đợi" in vi_words and "queue" not in vi_words


def test_the_sequence_description_lists_every_step_in_order(pictures):
    d = pictures["sequence", "en"]
    steps = [
        "1. The client opens a connection",
        "2. Server, 2xx (continue): 220 mx.lab.example ESMTP smtpteach lab",
        "3. Client: EHLO client.example",
        "4. Server, 2xx (continue), 5 lines: 250-mx.lab.example / 250-8BITMIME / 250-SMTPUTF8 / 250-HELP / "
        "250 ENHANCEDSTATUSCODES",
        "5. Client: MAIL FROM:<teacher@client.example>",
        "6. Server, 2xx (continue): 250 2.1.0 Sender OK",
        "7. Client: RCPT TO:<nobody@lab.example>",
        "8. Server, 5xx (give up): 550 5.1.1 <nobody@lab.example>: Recipient address rejected: mailbox unavailable",
        "9. Client: RCPT TO:<ana@lab.example>",
        "10. Server, 4xx (retry later): 451 4.7.1 <ana@lab.example>: Greylisted, please try again later",
        "11. Client: RCPT TO:<binh@lab.example>",
        "12. Server, 2xx (continue): 250 2.1.5 Recipient OK",
        "13. Client: DATA",
        "14. Server, 3xx (send more): 354 End data with <CR><LF>.<CR><LF>",
        "15. Client: the message, 4 lines, ended by a line that holds only a dot.",
        "16. Server, 2xx (continue): 250 2.0.0 Message accepted for delivery",
        "17. Client: QUIT",
        "18. Server, 2xx (continue): 221 2.0.0 Bye",
    ]
    positions = [d.description.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions) if p == -1]
    assert positions == sorted(positions)
    assert repr(d) == "Diagram('sequence', lang='en', 18 steps)"
    assert d.title == "An SMTP session as a sequence diagram: 18 steps between the client and the server"
    # the Vietnamese description lists the same lines, in Vietnamese words
    vi = pictures["sequence", "vi"].description
    assert "13. Máy khách: DATA" in vi and "15. Máy khách: nội dung thư, 4 dòng" in vi


def test_the_sequence_draws_one_labelled_arrow_per_step():
    d = diagrams.sequence(SESSION, lang="en")
    drawn = texts(d.svg)
    # a label per step, in order: commands as sent, one-line replies whole, a multi-line reply compact
    labels = [t for t in drawn if t and not t.isdigit()]
    expected = ["opens a connection", "220 mx.lab.example ESMTP smtpteach lab", "EHLO client.example",
                "250-mx.lab.example … (5 lines)", "MAIL FROM:<teacher@client.example>"]
    assert labels[2:2 + len(expected)] == expected  # after the two lane headers
    assert "the message: 4 lines, then “.”" in drawn
    assert [t for t in drawn if t.isdigit()] == [str(n) for n in range(1, 19)]
    # one arrow head per step and per legend entry; commands black, replies in their class colour
    heads = [e for e in parse(d.svg).iter(f"{SVG}path") if e.get("d", "").count("L") == 2 and "z" in e.get("d", "")]
    assert len(heads) == 18 + 5
    colours = [re.search(r"fill: (#[0-9a-f]{6})", e.get("style")).group(1) for e in heads[:18]]
    assert colours[1] == diagrams.CLASS_COLOURS["2"][0]
    assert colours[2] == diagrams.INK
    assert colours[7] == diagrams.CLASS_COLOURS["5"][0]
    assert colours[9] == diagrams.CLASS_COLOURS["4"][0]
    assert colours[13] == diagrams.CLASS_COLOURS["3"][0]


def test_a_transcript_may_be_lines_pairs_or_one_string():
    pairs = [("S" if line[0] == "S" else "client", line[3:]) for line in SESSION]
    as_lines = diagrams.sequence(SESSION, lang="en").svg
    assert diagrams.sequence(pairs, lang="en").svg == as_lines
    assert diagrams.sequence(tuple(SESSION), lang="en").svg == as_lines
    assert diagrams.sequence("\r\n".join(SESSION) + "\r\n", lang="en").svg == as_lines


def test_a_session_that_starts_with_a_command_has_no_connection_step():
    d = diagrams.sequence(["C: NOOP", "S: 250 2.0.0 OK"], lang="en")
    assert repr(d) == "Diagram('sequence', lang='en', 2 steps)"
    assert "opens a connection" not in d.description
    one = diagrams.sequence(["C: NOOP"], lang="en")
    assert one.title.endswith(": 1 step between the client and the server")


def test_a_message_cut_short_by_the_server_is_drawn_unended():
    d = diagrams.sequence(["C: DATA", "S: 354 go ahead", "C: Subject: x", "S: 421 4.4.2 Timeout"], lang="en")
    assert "3. Client: the message, 1 line, not yet ended." in d.description
    assert "the message: 1 line" in texts(d.svg)
    assert "4. Server, 4xx (retry later): 421 4.4.2 Timeout" in d.description



@pytest.mark.parametrize("lang, said", [("en", "the message, 0 lines, ended"), ("vi", "nội dung thư, 0 dòng, kết thúc")])
def test_an_empty_message_is_said_to_have_0_lines(lang, said):
    # DATA, then the final dot at once: a message of no line, never "1 line"
    d = diagrams.sequence(["C: DATA", "S: 354 go ahead", "C: .", "S: 250 2.0.0 OK"], lang=lang)
    assert f"3. {'Client' if lang == 'en' else 'Máy khách'}: {said}" in d.description

def test_a_real_lab_transcript():
    require(importlib.util.find_spec("aiosmtpd") is not None, "the lab extra (aiosmtpd) is not installed")
    from smtpteach.lab import LabServer

    with LabServer(mailboxes=["ana@lab.example"]) as server, server.client() as client:
        client.command("EHLO client.example")
        client.command("MAIL FROM:<teacher@client.example>")
        client.command("RCPT TO:<nobody@lab.example>")
        client.command("RCPT TO:<ana@lab.example>")
        client.data("Subject: hi\n\nhello")
        client.command("QUIT")
    d = diagrams.sequence(client.transcript, lang="vi")
    for reply in client.replies:
        assert " / ".join(reply.lines) in d.description
    arrows_back = sum(1 for s in d.description.split(" ") if s == "Máy") - d.description.count("Máy khách")
    assert arrows_back == len(client.replies)


# -- escaping -------------------------------------------------------------------------------
HOSTILE = [
    "S: 220 <script>alert(1)</script> & friends",
    "C: EHLO </text><svg onload=\"alert(2)\"><text>",
    "S: 250-x\" onmouseover='y' ]]> <!-- -->",
    "S: 250 ok",
    "C: NOOP $x^2$ \\frac{1}{2} &amp; &lt;not a tag&gt;",
    "S: 250 2.0.0 $ $$ $",
    "C: MAIL FROM:<a@example.org>\x00\x1b[31m\u202eevil\u2028\udc80\ufffe\x7f",
    "S: 250 2.1.0 <?xml version='1.0'?> <!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]> &e;",
]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_hostile_transcript_text_stays_text(lang):
    d = diagrams.sequence(HOSTILE, lang=lang)
    root = parse(d.svg)  # well-formed: no control character, no lone surrogate, nothing unescaped
    tags = {e.tag for e in root.iter()}
    assert tags <= {f"{SVG}{t}" for t in ("svg", "title", "desc", "defs", "style", "path", "text")}
    attributes = {a for e in root.iter() for a in e.attrib}
    assert attributes <= {"width", "height", "viewBox", "version", "class", "role", "aria-labelledby", "style", "id",
                          "type", "x", "y", "d"}
    drawn = texts(d.svg)
    assert "220 <script>alert(1)</script> & friends" in drawn
    assert 'EHLO </text><svg onload="alert(2)"><text>' in drawn
    assert "NOOP $x^2$ \\frac{1}{2} &amp; &lt;not a tag&gt;" in drawn  # no mathtext, no unescaping
    assert "250 2.0.0 $ $$ $" in drawn
    assert "250-x\" onmouseover='y' ]]> <!-- --> / 250 ok" in d.description
    # characters XML cannot carry, and the invisible ones, are shown as escapes, in the picture and in the words
    shown = "MAIL FROM:<a@example.org>\\x00\\x1b[31m\\u202eevil\\u2028\\udc80\\ufffe\\x7f"
    assert shown in d.description
    assert shown in " ".join(drawn)
    assert "file:///etc/passwd" in d.description and "<!ENTITY" not in d.svg
    assert "<script" not in d.svg and "<svg onload" not in d.svg  # markup from the input is only ever text


def test_hostile_retry_replies_stay_text():
    d = diagrams.retry_timeline([(0, "451 <b>&nbsp;\x1b</b>"), (60, "Connection timed out\u202e")], lang="en")
    root = parse(d.svg)
    assert {e.tag for e in root.iter()} <= {f"{SVG}{t}" for t in ("svg", "title", "desc", "defs", "style", "path", "text")}
    assert "451 <b>&nbsp;\\x1b</b>" in texts(d.svg)
    assert "no SMTP reply (Connection timed out\\u202e)" in d.description


@pytest.mark.parametrize(("text", "shown"), [
    ("plain 250 OK", "plain 250 OK"),
    ("tab\there", "tab\\x09here"),
    ("cr\rlf", "cr\\x0dlf"),
    ("nul\x00", "nul\\x00"),
    ("del\x7f c1\x85", "del\\x7f c1\\x85"),
    ("bidi\u202e\u200b", "bidi\\u202e\\u200b"),
    ("sep\u2028\u2029", "sep\\u2028\\u2029"),
    ("surrogate\udc80", "surrogate\\udc80"),
    ("private\ue000 unassigned\U000e0fff", "private\\ue000 unassigned\\U000e0fff"),
    ("nbsp\u00a0 tiếng Việt 中文 😀", "nbsp\u00a0 tiếng Việt 中文 😀"),
])
def test_visible_escapes_what_a_picture_cannot_carry(text, shown):
    assert diagrams._visible(text) == shown


# -- self-contained, small, page-friendly ------------------------------------------------------
def test_no_script_no_link_no_external_font(pictures):
    for key, d in pictures.items():
        svg = d.svg
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" '), key
        assert re.findall(r"\w+://[^\s\"'<>]*", svg) == ["http://www.w3.org/2000/svg"], key
        for banned in ("<script", "javascript:", "@import", "@font-face", "href", "<?xml", "<!DOCTYPE", "<image",
                       "<foreignObject", "url("):
            assert banned not in svg, (key, banned)


def test_sizes_stay_small(pictures):
    sizes = {key: len(d.svg.encode("utf-8")) for key, d in pictures.items()}
    assert max(sizes.values()) < 40_000, sizes
    # a long timeline is one path per kind of mark, not one element per attempt
    expiry = parse(pictures["expiry", "en"].svg)
    assert sum(1 for _ in expiry.iter(f"{SVG}path")) < 40


def test_two_pictures_can_share_a_page(pictures):
    ids = [e.get("id") for d in pictures.values() for e in parse(d.svg).iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 2 * len(pictures)  # only the title's and the description's
    for d in pictures.values():
        # the stylesheet applies to this picture only
        styles = [e.text for e in parse(d.svg).iter(f"{SVG}style")]
        assert styles == [".smtpteach-diagram *{stroke-linejoin: round; stroke-linecap: butt}"]
        assert 'class="smtpteach-diagram"' in d.svg.split(">", 1)[0]


def test_text_is_text_in_fonts_with_fallbacks(pictures):
    for key, d in pictures.items():
        root = parse(d.svg)
        styles = [e.get("style") for e in root.iter(f"{SVG}text")]
        assert styles, key
        for style in styles:
            family = re.search(r"font-family: ([^;]+)", style).group(1)
            assert family.startswith(("'DejaVu Sans', ", "'DejaVu Sans Mono', ")), family
            assert family.endswith((", sans-serif", ", monospace")), family


# -- layout: nothing cut off, nothing overlapping ----------------------------------------------
def _text_boxes(svg: str) -> tuple[float, float, list[tuple[float, float, float, float, str]]]:
    root = parse(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    boxes = []
    for e in root.iter(f"{SVG}text"):
        style = e.get("style")
        size = float(re.search(r"font-size: ([0-9.]+)px", style).group(1))
        family = "mono" if "Mono" in style else "sans"
        weight = "bold" if "font-weight: 700" in style else "normal"
        italic = "italic" if re.search(r"font-style: (italic|oblique)", style) else "normal"
        if family == "mono":
            weight, italic = weight, "normal"
        w = diagrams._text_width(e.text or "", size, family, weight, italic)
        anchor = re.search(r"text-anchor: (\w+)", style).group(1)
        x, y = float(e.get("x")), float(e.get("y"))
        left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        boxes.append((left, left + w, y - 0.76 * size, y + 0.24 * size, e.text or ""))
    return width, height, boxes


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("name", ["sequence", "decisions", "bounce", "expiry", "greylist"])
def test_no_text_is_cut_off_or_overlaps_another(pictures, name, lang):
    width, height, boxes = _text_boxes(pictures[name, lang].svg)
    for left, right, top, bottom, text in boxes:
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, text
    for a, b in itertools.combinations(boxes, 2):
        overlap_x = min(a[1], b[1]) - max(a[0], b[0])
        overlap_y = min(a[3], b[3]) - max(a[2], b[2])
        assert overlap_x <= 0.5 or overlap_y <= 0.5, (a[4], b[4])


def _segments(svg: str) -> list[tuple[float, float, float, float]]:
    """The straight lines of a picture: arrow shafts, lifelines, leaders, axes (paths of exactly two points)."""
    out = []
    for e in parse(svg).iter(f"{SVG}path"):
        points = re.fullmatch(r"M ([0-9.-]+) ([0-9.-]+)\s+L ([0-9.-]+) ([0-9.-]+)\s*", e.get("d"))
        if points:
            out.append(tuple(float(v) for v in points.groups()))
    return out


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("name", ["sequence", "decisions", "bounce", "expiry", "greylist"])
def test_no_line_runs_through_text(pictures, name, lang):
    svg = pictures[name, lang].svg
    _, _, boxes = _text_boxes(svg)
    segments = _segments(svg)
    assert segments
    for x0, y0, x1, y1 in segments:
        for left, right, top, bottom, text in boxes:
            # shrink each box by 1 pt: a line may touch, not cross
            if x0 == x1 and left + 1 < x0 < right - 1 and min(y0, y1) < bottom - 1 and max(y0, y1) > top + 1:
                raise AssertionError(f"a vertical line at x={x0} crosses {text!r}")
            if y0 == y1 and top + 1 < y0 < bottom - 1 and min(x0, x1) < right - 1 and max(x0, x1) > left + 1:
                raise AssertionError(f"a horizontal line at y={y0} crosses {text!r}")


def test_long_lines_are_wrapped_then_shortened_never_cut_off():
    long = "S: 550 5.7.1 " + " ".join(["Message rejected under policy"] * 12)
    d = diagrams.sequence(["C: RCPT TO:<x@example.org>", long], lang="en")
    width, _, boxes = _text_boxes(d.svg)
    label = [b for b in boxes if b[4].startswith("550") or b[4].endswith("…")]
    assert len(label) == 2 and label[-1][4].endswith("…")  # two lines, the second ends in "…"
    assert all(b[1] <= width for b in boxes)
    assert long[3:] in d.description  # the words keep all of it



LONG_ADDRESS = "a.very.long.local.part.that.goes.on.and.on.and.on@a-long-subdomain.lab.example"


def _labels(d: diagrams.Diagram) -> list[str]:
    """The lines of the sequence's labels, top to bottom: the texts centred between the lanes."""
    return [e.text or "" for e in parse(d.svg).iter(f"{SVG}text")
            if "text-anchor: middle" in e.get("style") and e.get("x") == "290"]


def _label_width() -> float:
    return 580 - 2 * 74 - 16  # between the lanes, less a margin: what sequence() gives a label


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("command", ["MAIL FROM:", "RCPT TO:", "MAIL FROM: "])
def test_a_long_address_wraps_inside_the_address_never_after_the_command_word(lang, command):
    # "RCPT" alone on a line, and "TO:<...>" cut short on the next, hid which command it was and lost the address's
    # end: the verb stays with its first word (and a keyword with the path after it), and a path wider than the line
    # breaks after its "@"
    d = diagrams.sequence([f"C: {command}<{LONG_ADDRESS}>", "S: 250 2.1.5 Ok"], lang=lang)
    assert _labels(d)[:3] == [f"{command}<a.very.long.local.part.that.goes.on.and.on.and.on@",
                              "a-long-subdomain.lab.example>", "250 2.1.5 Ok"]
    assert all(diagrams._text_width(t, 8.5, "mono") <= _label_width() for t in _labels(d))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_address_with_no_break_in_reach_is_cut_where_the_line_is_full_and_shown_whole(lang):
    address = "x" * 100 + "@lab.example"
    d = diagrams.sequence([f"C: RCPT TO:<{address}>", f"C: EHLO {'relay.' * 20}example"], lang=lang)
    rcpt, rcpt_rest, ehlo, ehlo_rest = _labels(d)
    assert rcpt.startswith("RCPT TO:<xxx") and rcpt + rcpt_rest == f"RCPT TO:<{address}>"
    assert ehlo.startswith("EHLO relay.") and ehlo_rest.startswith(".relay.") and ehlo + ehlo_rest == (
        f"EHLO {'relay.' * 20}example")  # the host name breaks before a dot
    assert all(diagrams._text_width(t, 8.5, "mono") <= _label_width() for t in _labels(d))
    assert all(diagrams._text_width(t + "x", 8.5, "mono") > _label_width() for t in (rcpt,))  # the line is full


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_reply_with_a_long_address_starts_it_on_the_first_line_and_keeps_its_words(lang):
    reply = f"550 5.1.1 <{LONG_ADDRESS}>: Recipient address rejected: mailbox unavailable"
    d = diagrams.sequence(["C: RCPT TO:<ghost@lab.example>", f"S: {reply}"], lang=lang)
    assert _labels(d)[1:] == ["550 5.1.1 <a.very.long.local.part.that.goes.on.and.on.and.on@",
                               "a-long-subdomain.lab.example>: Recipient address rejected: mailbox unavailable"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_no_line_of_any_picture_ends_with_rfc_apart_from_its_number(lang):
    # "(RFC" at a line's end and "5321 §4.5.5)" on the next (the Vietnamese bounce picture's notes) read as two things
    for name, d in all_pictures(lang).items():
        assert not [t for t in texts(d.svg) if re.search(r"\bRFC$", t)], name


# -- colour ------------------------------------------------------------------------------------
def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_every_text_colour_reads_on_white(pictures):
    """WCAG 2 AA: a contrast of 4.5:1 for normal text."""
    used = set()
    for d in pictures.values():
        for e in parse(d.svg).iter(f"{SVG}text"):
            match = re.search(r"fill: (#[0-9a-f]{6})", e.get("style"))
            used.add(match.group(1) if match else "#000000")
    assert used <= set(diagrams.TEXT_COLOURS) | {"#000000"}
    for colour in used:
        assert (1.05) / (_luminance(colour) + 0.05) >= 4.5, colour


def test_reply_classes_differ_by_more_than_colour():
    assert len(set(map(str, diagrams.LINE_STYLES.values()))) == 4


# -- the retry schedule ----------------------------------------------------------------------------
def test_postfix_defaults_double_the_wait_from_300_s_up_to_4000_s():
    """Postfix's qmgr holds a deferred message back for as long as it has been queued, clamped to
    [minimal_backoff_time, maximal_backoff_time] (src/qmgr/qmgr_active.c, qmgr_active_done_3_generic),
    and returns it once an attempt fails after maximal_queue_lifetime (qmgr_active_done_2_generic)."""
    times = diagrams.postfix_schedule()
    assert times[:8] == (0, 300, 600, 1200, 2400, 4800, 8800, 12800)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[:6] == [300, 300, 600, 1200, 2400, 4000]
    assert set(gaps[5:]) == {4000}
    assert times[-2] < 5 * 86400 <= times[-1] == 432800
    assert len(times) == 113
    assert all(isinstance(t, int) for t in times)


def test_postfix_schedule_variants():
    # the deferred queue scanned every 300 s: each retry waits for the next scan
    assert diagrams.postfix_schedule(queue_run_delay=300)[:9] == (0, 300, 600, 1200, 2400, 4800, 9000, 13200, 17400)
    # Postfix before 2.4: minimal_backoff_time and queue_run_delay 1000 s
    old = diagrams.postfix_schedule(minimal_backoff=1000, queue_run_delay=1000)
    assert old[:7] == (0, 1000, 2000, 4000, 8000, 12000, 16000)
    # maximal_queue_lifetime = 0: returned after the first failed attempt (postconf(5))
    assert diagrams.postfix_schedule(lifetime=0) == (0,)
    assert diagrams.postfix_schedule(lifetime=1) == (0, 300)
    assert diagrams.postfix_schedule(lifetime=timedelta(hours=1), minimal_backoff=timedelta(minutes=5)) == (
        0, 300, 600, 1200, 2400, 4800)
    assert diagrams.postfix_schedule(minimal_backoff=90.5, maximal_backoff=90.5, lifetime=200) == (0, 90.5, 181, 271.5)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"minimal_backoff": 0}, InvalidArgumentError, "minimal_backoff must be more than 0 seconds, not 0"),
    ({"maximal_backoff": 100}, InvalidArgumentError, "maximal_backoff (100) must be at least minimal_backoff (300)"),
    ({"lifetime": -1}, InvalidArgumentError, "lifetime must be a finite number of seconds, 0 or more, not -1"),
    ({"lifetime": float("inf")}, InvalidArgumentError, "lifetime must be a finite number of seconds, 0 or more, not inf"),
    ({"queue_run_delay": "5m"}, InvalidTypeError, "queue_run_delay is a number of seconds or a timedelta, not '5m'"),
    ({"minimal_backoff": True}, InvalidTypeError, "minimal_backoff is a number of seconds or a timedelta, not True"),
])
def test_postfix_schedule_refuses_bad_settings(kwargs, error, message):
    with pytest.raises(error) as caught:
        diagrams.postfix_schedule(**kwargs)
    assert str(caught.value) == message


def test_retry_timeline_outcomes_and_warning():
    expired = diagrams.retry_timeline(EXPIRY, lang="en", delay_warning=4 * 3600)
    assert repr(expired) == "Diagram('retry_timeline', lang='en', 113 attempts)"
    assert expired.title == ("A message's time in a queue: 113 delivery attempts, "
                             "bounced when its queue lifetime ran out")
    assert ("Attempts 1 to 113, from 0 s to 5 d 13 min 20 s: 451 4.7.1 Service unavailable, try again later, "
            "each time.") in expired.description
    assert "The wait between attempts grows from 5 min to 1 h 6 min 40 s." in expired.description
    # Postfix warns with the first attempt that fails once delay_warning_time has passed: 16800 s
    assert "a delay warning (a DSN with Action: delayed), with attempt 9 at 4 h 40 min." in expired.description
    assert expired.description.endswith(
        "At 5 d 13 min 20 s the message has been queued for longer than its lifetime of 5 d: it bounces to the "
        "sender (RFC 3463 X.4.7, delivery time expired).")
    drawn = texts(expired.svg)
    assert "451 4.7.1 Service unavailable, try again later (×113)" in drawn
    assert {"delay warning sent", "bounced when its queue lifetime ran out", "queue lifetime: 5 d",
            "delay warning: 4 h"} <= set(drawn)

    delivered = diagrams.retry_timeline(GREYLIST, lang="en", delay_warning=3600)
    assert delivered.title.endswith("3 delivery attempts, delivered")
    assert "delay warning" not in delivered.description  # delivered before the warning was due
    assert "Attempts 1 to 2, from 0 s to 5 min: 451 4.7.1 Greylisted, each time." in delivered.description
    assert "The wait between attempts is always 5 min." in delivered.description

    bounced = diagrams.retry_timeline([(0, "421 4.7.0 Try later"), (timedelta(minutes=5), "550 5.7.1 Blocked")],
                                      lang="vi")
    assert bounced.title == "Thời gian một thư nằm trong hàng đợi: 2 lần thử gửi, bị bounce (lỗi vĩnh viễn)"
    assert bounced.description.endswith(
        "Lúc 5 phút một phản hồi 5xx kết thúc mọi chuyện: thư bị bounce về người gửi ngay.")

    queued = diagrams.retry_timeline([(0, "Connection timed out"), (600, "451 4.3.0 Try again"), (900, "421 Bye")],
                                     lang="en")
    assert queued.title == "A message's time in a queue: 3 delivery attempts, still in the queue"
    assert "Attempt 1, at 0 s: no SMTP reply (Connection timed out)." in queued.description
    assert "The waits between attempts range from 5 min to 10 min." in queued.description
    one = diagrams.retry_timeline([(0, "250 2.0.0 Ok")], lang="en")
    assert one.title == "A message's time in a queue: 1 delivery attempt, delivered"
    assert repr(one) == "Diagram('retry_timeline', lang='en', 1 attempt)"


def test_no_delay_warning_with_the_attempt_that_expires():
    """qmgr_active_done_2_generic checks expiry first: the attempt that returns the message sends no warning."""
    d = diagrams.retry_timeline([(0, "451 a"), (300, "451 a"), (600, "451 a")], lang="en", lifetime=600,
                                delay_warning=600)
    assert "delay warning (a DSN" not in d.description
    assert "delay warning sent" not in texts(d.svg)
    assert "bounced when its queue lifetime ran out" in texts(d.svg)



def test_the_delay_warning_goes_with_an_attempt_made_the_moment_it_is_due():
    # Postfix warns once the message has been queued for delay_warning_time: an attempt at exactly that time is it
    d = diagrams.retry_timeline([(0, "451 a"), (300, "451 a"), (900, "250 ok")], lang="en", delay_warning=300)
    assert "with attempt 2 at 5 min." in d.description
    assert "delay warning sent" in texts(d.svg)


def test_attempts_with_different_replies_are_said_apart_even_in_one_class():
    # only consecutive attempts with the same reply share a label: two 451s that say different things do not
    d = diagrams.retry_timeline([(0, "451 4.7.1 Greylisted"), (300, "451 4.3.0 Temporary lookup failure"),
                                 (600, "250 2.0.0 Ok")], lang="en")
    assert "Attempt 1, at 0 s: 451 4.7.1 Greylisted." in d.description
    assert "Attempt 2, at 5 min: 451 4.3.0 Temporary lookup failure." in d.description
    assert {"451 4.7.1 Greylisted", "451 4.3.0 Temporary lookup failure"} <= set(texts(d.svg))

@pytest.mark.parametrize(("attempts", "kwargs", "error", "message"), [
    ([], {}, InvalidArgumentError, "no attempts: give at least one (seconds since arrival, reply) pair"),
    ("451 x", {}, InvalidTypeError, "attempts is a list of (seconds since arrival, reply) pairs, not str"),
    ([(0, "451 x"), (0, "451 x")], {}, InvalidArgumentError, "attempt 2 at 0 s does not come after attempt 1 at 0 s"),
    ([(-5, "451 x")], {}, InvalidArgumentError,
     "the time of attempt 1 must be a finite number of seconds, 0 or more, not -5"),
    ([(True, "451 x")], {}, InvalidTypeError, "the time of attempt 1 is a number of seconds or a timedelta, not True"),
    ([(0, "250 ok"), (60, "250 ok")], {}, InvalidArgumentError,
     "attempt 2 comes after attempt 1 took the message out of the queue (250 ok)"),
    ([(0, "554 no"), (60, "250 ok")], {}, InvalidArgumentError,
     "attempt 2 comes after attempt 1 took the message out of the queue (554 no)"),
    ([(0, "451 a"), (60, "451 a"), (100, "451 a")], {"lifetime": 60}, InvalidArgumentError,
     "attempt 3 comes after attempt 2 failed once the queue lifetime had run out (at 60 s; lifetime 60 s), "
     "which bounced the message"),
    ([(0, "354 go ahead")], {}, InvalidArgumentError,
     "attempt 1: a 3xx reply decides no attempt; give the reply that did (2xx, 4xx or 5xx): '354 go ahead'"),
    ([(0, "  ")], {}, InvalidArgumentError, "attempt 1 needs its reply as text, not '  '"),
    ([(0,)], {}, InvalidArgumentError, "attempt 1 is not a (seconds since arrival, reply) pair: (0,)"),
    ([(0, "451 x")], {"delay_warning": 0}, InvalidArgumentError,
     "delay_warning must be more than 0 seconds, or None for no warning, not 0"),
])
def test_retry_timeline_refuses_what_cannot_happen(attempts, kwargs, error, message):
    with pytest.raises(error) as caught:
        diagrams.retry_timeline(attempts, lang="en", **kwargs)
    assert str(caught.value) == message


# -- bad transcripts, bad languages -----------------------------------------------------------------
@pytest.mark.parametrize(("transcript", "error", "message"), [
    ([], InvalidArgumentError, "the transcript is empty: there is nothing to draw"),
    ("", InvalidArgumentError, "the transcript is empty: there is nothing to draw"),
    (None, InvalidTypeError,
     "a transcript is a list of 'C: ...' and 'S: ...' lines (a LabClient's transcript) or of (who, line) pairs, "
     "not NoneType"),
    (["S: 220 hi", "hello"], InvalidArgumentError,
     "transcript line 2 is neither 'C: ...' (client) nor 'S: ...' (server): 'hello'"),
    (["X: 220 hi"], InvalidArgumentError,
     "transcript line 1 is neither 'C: ...' (client) nor 'S: ...' (server): 'X: 220 hi'"),
    (["S: 220 hi", "C:EHLO x"], InvalidArgumentError,
     "transcript line 2 is neither 'C: ...' (client) nor 'S: ...' (server): 'C:EHLO x'"),
    (["S: hello"], InvalidArgumentError,
     "transcript line 1: a server line starts with a reply code (three digits, the first 2 to 5, then a space, "
     "a hyphen or nothing): 'hello'"),
    (["S: 199 too low"], InvalidArgumentError,
     "transcript line 1: a server line starts with a reply code (three digits, the first 2 to 5, then a space, "
     "a hyphen or nothing): '199 too low'"),
    (["S: 2500 no"], InvalidArgumentError,
     "transcript line 1: a server line starts with a reply code (three digits, the first 2 to 5, then a space, "
     "a hyphen or nothing): '2500 no'"),
    (["S: 250-a", "S: 251 b"], InvalidArgumentError,
     "transcript line 2: 251 in the middle of a 250 reply (every line of a reply has the same code, RFC 5321 §4.2.1)"),
    (["S: 220 hi", "S: 250-a", "C: QUIT"], InvalidArgumentError,
     "transcript line 3: the 250 reply that starts on line 2 has no last line (one with a space, not '-', after the "
     "code)"),
    (["S: 250-a", "S: 250-b"], InvalidArgumentError,
     "the transcript ends inside the 250 reply that starts on line 1: it has no last line (one with a space, not "
     "'-', after the code)"),
    ([("robot", "EHLO x")], InvalidArgumentError, "transcript item 1: who is 'C', 'S', 'client' or 'server', not 'robot'"),
    ([("C", "EHLO x\nMAIL FROM:<>")], InvalidArgumentError,
     "transcript item 1 holds a line break; give one line per item: 'EHLO x\\\\x0aMAIL FROM:<>'"),
    ([42], InvalidArgumentError,
     "transcript item 1 is neither a 'C: ...'/'S: ...' line nor a (who, line) pair: 42"),
    (["S: 22\x1b"], InvalidArgumentError,
     "transcript line 1: a server line starts with a reply code (three digits, the first 2 to 5, then a space, "
     "a hyphen or nothing): '22\\\\x1b'"),
    (["C: NOOP", "S: 250 ok"] * 61, InvalidArgumentError,
     "the transcript has 122 steps, too many for one picture (at most 120); draw it in parts"),
])
def test_bad_transcripts_are_refused_naming_the_line(transcript, error, message):
    with pytest.raises(error) as caught:
        diagrams.sequence(transcript, lang="en")
    assert str(caught.value) == message


@pytest.mark.parametrize("draw", [
    lambda lang: diagrams.sequence(SESSION, lang=lang),
    lambda lang: diagrams.reply_class_decisions(lang=lang),
    lambda lang: diagrams.bounce_parts(lang=lang),
    lambda lang: diagrams.retry_timeline(GREYLIST, lang=lang),
])
@pytest.mark.parametrize("lang", ["fr", "EN", "", None])
def test_an_unknown_language_names_the_languages_there_are(draw, lang):
    with pytest.raises(InvalidArgumentError) as caught:
        draw(lang)
    assert str(caught.value) == f"unknown language {lang!r} for the diagrams (there are: en, vi)"


def test_lang_is_keyword_only():
    with pytest.raises(TypeError):
        diagrams.reply_class_decisions("en")  # type: ignore[misc]
    with pytest.raises(TypeError):
        diagrams.sequence(SESSION, "en")  # type: ignore[misc]


# -- the words file ----------------------------------------------------------------------------------
def _broken_words(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = WORDS.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path = tmp_path / "diagrams.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "count", "message"), [
    ('    client: "Máy khách (client)"\n', "", 1, "diagrams.yaml, field 'vi.sequence.client': is missing ('en' has it)"),
    ('    server: "Máy chủ (server)"\n', '    server: "Máy chủ (server)"\n    sever: "x"\n', 1,
     "diagrams.yaml, field 'vi.sequence.sever': is not in 'en' (a misspelt key?)"),
    ('"Lần thử {first}, lúc {start}: {reply}."', '"Lần thử {first}, lúc {begin}: {reply}."', 1,
     "diagrams.yaml, field 'vi.timeline.desc_group.one': has the slots ['begin', 'first', 'reply'], but 'en' has "
     "['first', 'reply', 'start']"),
    ('    connect: "mở kết nối"\n', '    connect: ""\n', 1,
     "diagrams.yaml, field 'vi.sequence.connect': must be a non-empty string"),
    ('    connect: "mở kết nối"\n', '    connect: [a, b]\n', 1,
     "diagrams.yaml, field 'vi.sequence.connect': must be a non-empty string"),
    ("schema: 1\n", "schema: 2\n", 1, "diagrams.yaml, field 'schema': schema must be 1, found 2"),
    ("languages: [en, vi]\n", "languages: [en, vi, fr]\n", 1,
     "diagrams.yaml, field 'fr': the language 'fr' has no mapping of words"),
    ("languages: [en, vi]\n", "languages: [vi]\n", 1,
     "diagrams.yaml, field 'languages': languages must be a list of language codes that includes en"),
    ("examples:\n", "exemples:\n", 1,
     "diagrams.yaml, field 'exemples': unknown top-level key 'exemples'; expected one of ['en', 'examples', "
     "'languages', 'schema', 'vi']"),
    ('    action: "Action: failed"\n', "    action: 3\n", 1,
     "diagrams.yaml, field 'examples.bounce.action': must be a string or a list of strings"),
    ("schema: 1\n", "schema: 1\n  bad: [\n", 1, "diagrams.yaml: not valid YAML"),
])
def test_a_broken_words_file_names_the_file_and_the_key(tmp_path, old, new, count, message):
    path = _broken_words(tmp_path, old, new, count)
    with pytest.raises(CatalogueError) as caught:
        diagrams._load_words(str(path))
    assert str(caught.value).startswith(message)


def test_an_unreadable_words_file_is_a_catalogue_error(tmp_path):
    with pytest.raises(CatalogueError) as caught:
        diagrams._load_words(str(tmp_path / "missing.yaml"))
    assert str(caught.value) == "diagrams.yaml: cannot read the file: No such file or directory"


def test_every_word_in_the_file_is_used(pictures):
    """The pictures, and the cases they word differently: every key of the file must be read."""
    with _Spy():
        for lang in ("en", "vi"):
            _draw_the_other_cases(lang)
    words = diagrams._data()["words"]["en"]
    assert set(words) - WORDS_READ == set()


def _draw_the_other_cases(lang: str) -> None:
    """One step, one message line, messages ended and not; every outcome; waits that vary."""
    diagrams.sequence(["C: NOOP"], lang=lang)
    diagrams.sequence(["C: DATA", "S: 354 go", "C: x", "C: ."], lang=lang)
    diagrams.sequence(["C: DATA", "S: 354 go", "C: x", "C: y"], lang=lang)
    diagrams.sequence(["C: DATA", "S: 354 go", "C: x"], lang=lang)
    diagrams.retry_timeline([(0, "250 ok")], lang=lang)
    diagrams.retry_timeline([(0, "451 a"), (60, "550 no")], lang=lang)
    diagrams.retry_timeline([(0, "timeout"), (600, "451 a"), (700, "451 b")], lang=lang, delay_warning=100)
    diagrams.retry_timeline([(0, "451 a"), (3 * 3600 + 61, "451 a")], lang=lang, lifetime=86400 * 2)


# -- in a notebook ----------------------------------------------------------------------------------
def test_a_diagram_shows_as_the_picture_with_a_fixed_repr(pictures):
    d = pictures["bounce", "vi"]
    assert repr(d) == "Diagram('bounce_parts', lang='vi')"
    assert repr(pictures["decisions", "en"]) == "Diagram('reply_class_decisions', lang='en')"
    assert d._repr_svg_() == d._repr_html_() == d.svg
    require(importlib.util.find_spec("IPython") is not None, "IPython (the docs extra) is not installed")
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(d)
    assert data["text/plain"] == "Diagram('bounce_parts', lang='vi')"
    assert data["image/svg+xml"] == data["text/html"] == d.svg
