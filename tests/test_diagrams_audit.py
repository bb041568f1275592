"""The lessons' pictures (smtpteach/diagrams.py) read as a learner reads them: which way each arrow
points, what each column and box says, where each mark and label sits.

A test audit planted bugs in diagrams.py that tests/test_diagrams.py let through (arrows
reversed, a 4xx column ending in "bounce", the Vietnamese bounce with English headers, the
delay warning drawn at the wrong attempt...). These tests read the SVG's shapes, not only its
words: an arrow's head is a filled triangle whose first point is its tip.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smtpteach
from smtpteach import diagrams
from smtpteach.lab import LAB_TEXT

from .test_diagrams import EXPIRY, SESSION, _labels, _text_boxes

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = r"-?[0-9.]+"


def _points(d: str) -> list[list[tuple[float, float]]]:
    """The subpaths of a path of M, L and z commands, each a list of points; [] for one with curves."""
    if "Q" in d:
        return []
    out: list[list[tuple[float, float]]] = []
    for command, x, y in re.findall(rf"([ML]) ({_NUMBER}) ({_NUMBER})", d):
        if command == "M":
            out.append([])
        out[-1].append((float(x), float(y)))
    return out


def _style(element: ET.Element) -> dict[str, str]:
    return dict(part.split(": ", 1) for part in element.get("style", "").split("; ") if ": " in part)


class Picture:
    """A diagram's SVG taken apart: texts, arrow heads, lines, boxes and marks."""

    def __init__(self, svg: str):
        root = ET.fromstring(svg.encode("utf-8"))
        self.texts = []  # (x, y, text, fill, anchor)
        for e in root.iter(f"{SVG}text"):
            s = _style(e)
            self.texts.append((float(e.get("x")), float(e.get("y")), e.text or "", s.get("fill"), s.get("text-anchor")))
        self.heads = []  # (tip, middle of the base, fill): a filled triangle with no outline
        self.lines = []  # (points, stroke, dash pattern or "", stroke width)
        self.boxes = []  # (left, top, right, bottom, fill): rounded boxes
        self.marks = []  # (shape, centre x, fill): the timeline's marks, one per attempt
        for e in root.iter(f"{SVG}path"):
            d, s = e.get("d"), _style(e)
            subpaths = _points(d)
            if "Q" in d:
                numbers = [float(v) for v in re.findall(_NUMBER, d)]
                xs, ys = numbers[0::2], numbers[1::2]
                self.boxes.append((min(xs), min(ys), max(xs), max(ys), s.get("fill")))
            elif s.get("fill") == "none":
                self.lines.append((subpaths[0], s.get("stroke"), s.get("stroke-dasharray", ""),
                                   float(s.get("stroke-width", "1"))))
            elif "stroke" not in s and len(subpaths) == 1 and len(subpaths[0]) == 3:
                tip, a, b = subpaths[0]
                self.heads.append((tip, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), s["fill"]))
            elif s.get("stroke-width") == "0.8":
                for sub in subpaths:
                    self.marks.append((_shape(sub), round(sum(x for x, _ in sub) / len(sub), 2), s["fill"]))

    def text(self, words: str) -> tuple[float, float, str, str, str]:
        found = [t for t in self.texts if t[2] == words]
        assert len(found) == 1, (words, found)
        return found[0]

    def drawn(self) -> list[str]:
        return [t[2] for t in self.texts]


def _shape(points: list[tuple[float, float]]) -> str:
    """Which mark a subpath draws (smtpteach._svg.Canvas.marks): its corners and where it starts."""
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    x, y = points[0]
    if len(points) == 4:
        return "diamond" if abs(x - cx) < 0.02 else "square"
    return "circle" if abs(y - cy) < 0.02 else "cross"


def _pointing(head) -> str:
    (tx, ty), (bx, by), _ = head
    if abs(ty - by) < 0.01:
        return "right" if tx > bx else "left"
    return "down" if ty > by else "up"


# -- the sequence diagram ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, client, server", [("en", "Client", "Server"),
                                                  ("vi", "Máy khách (client)", "Máy chủ (server)")])
def test_commands_point_to_the_server_and_replies_back_to_the_client(lang, client, server):
    """The client's lane is on the left, the server's on the right (as the description says); every command,
    the connection and the message end at the server's lifeline, every reply at the client's."""
    p = Picture(diagrams.sequence(SESSION, lang=lang).svg)
    client_x, server_x = p.text(client)[0], p.text(server)[0]
    assert client_x < server_x
    # SESSION alternates: 1 the connection, 2 the greeting, 3 EHLO, 4 its reply ... 15 the message, 16 its reply ...
    steps = p.heads[:18]
    for n, head in enumerate(steps, 1):
        to_server = n % 2 == 1
        assert _pointing(head) == ("right" if to_server else "left"), n
        assert head[0][0] == pytest.approx(server_x - 1 if to_server else client_x + 1), n
    # the colours say who speaks: commands in ink, replies in their class's colour, arrows and words alike
    assert [h[2] for h in steps[2:9:2]] == [diagrams.INK] * 4
    for start, digit in (("220 ", "2"), ("354 ", "3"), ("451 ", "4"), ("550 ", "5")):
        labels = [t for t in p.texts if t[2].startswith(start)]
        assert labels and all(t[3] == diagrams.CLASS_COLOURS[digit][1] for t in labels), start
    assert p.text("EHLO client.example")[3] == diagrams.INK


def test_each_reply_class_has_its_own_line_style_in_the_arrows_and_the_legend():
    """Colour is not the only cue (a reader with a colour vision deficiency, or a grey print): the replies of a
    class are drawn with that class's dash pattern, the legend shows the same, and the four patterns differ."""
    p = Picture(diagrams.sequence(SESSION, lang="en").svg)
    patterns: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for digit in "2345":
        colour = diagrams.CLASS_COLOURS[digit][0]
        drawn = [line for line in p.lines if line[1] == colour]
        patterns[digit] = {line[2] for line in drawn}
        counts[digit] = len(drawn)
        assert all(line[3] == 1.6 for line in drawn), digit
    # one shaft per reply of the class, and one for its sample in the legend
    assert counts == {"2": 6 + 1, "3": 1 + 1, "4": 1 + 1, "5": 1 + 1}
    assert all(len(found) == 1 for found in patterns.values()), patterns
    styles = {digit: found.pop() for digit, found in patterns.items()}
    assert styles["2"] == "" and all(styles[d] for d in "345")  # 2xx solid, the others dashed
    assert len(set(styles.values())) == 4


@pytest.mark.parametrize("lang, legend", [
    ("en", ["command (client → server)", "2xx reply: continue", "3xx reply: send more", "4xx reply: retry later",
            "5xx reply: give up"]),
    ("vi", ["lệnh (máy khách → máy chủ)", "phản hồi 2xx: tiếp tục", "phản hồi 3xx: gửi tiếp",
            "phản hồi 4xx: thử lại sau", "phản hồi 5xx: bỏ cuộc"]),
])
def test_the_legend_names_each_class_beside_its_own_sample(lang, legend):
    p = Picture(diagrams.sequence(SESSION, lang=lang).svg)
    entries = [t for t in p.texts if t[2] in legend]
    assert [t[2] for t in sorted(entries, key=lambda t: (t[1], t[0]))] == legend  # in reading order
    colours = [diagrams.INK] + [diagrams.CLASS_COLOURS[d][0] for d in "2345"]
    for (x, y, words, _, _), colour in zip(sorted(entries, key=lambda t: (t[1], t[0])), colours):
        # the sample arrow ends 6 pt before its words, 3 pt above their baseline
        sample = [h for h in p.heads if h[0] == pytest.approx((x - 6, y - 3))]
        assert len(sample) == 1 and sample[0][2] == colour and _pointing(sample[0]) == "right", words


@pytest.mark.parametrize("data", ["data", "Data"])
def test_data_in_any_case_starts_the_message(data):
    """SMTP commands are case-insensitive (RFC 5321 §2.4): after "data" and 354 the client's lines are the message."""
    d = diagrams.sequence([f"C: {data}", "S: 354 go ahead", "C: Subject: hi", "C: ", "C: hello", "C: .",
                           "S: 250 2.0.0 Ok"], lang="en")
    assert "3. Client: the message, 3 lines, ended by a line that holds only a dot." in d.description
    assert "4. Server, 2xx (continue): 250 2.0.0 Ok" in d.description
    assert "Subject: hi" not in d.description  # one arrow for the message, not a command per line
    assert repr(d) == "Diagram('sequence', lang='en', 4 steps)"


# -- what to do after each class ---------------------------------------------------------------------------------
def _columns(p: Picture) -> dict[str, str]:
    """Each class's column, its words top to bottom: the texts from its heading's left edge to the next one's."""
    heads = sorted((t for t in p.texts if re.fullmatch(r"[2-5]xx", t[2])), key=lambda t: t[0])
    assert [t[2] for t in heads] == ["2xx", "3xx", "4xx", "5xx"]
    out = {}
    for i, (x, y, words, _, _) in enumerate(heads):
        right = heads[i + 1][0] if i + 1 < len(heads) else 1e9
        inside = sorted((t for t in p.texts if x - 8 <= t[0] < right - 8 and t[1] > y), key=lambda t: (t[1], t[0]))
        out[words[0]] = " ".join(t[2] for t in inside)
    return out


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_column_says_its_own_class_verb_action_examples_and_outcome(lang):
    words = diagrams._data()["words"][lang]
    examples = diagrams._data()["examples"]
    p = Picture(diagrams.reply_class_decisions(lang=lang).svg)
    columns = _columns(p)
    outcome = {"2": "loop_next", "3": "loop_rest", "4": "queue", "5": "bounce"}
    for digit, column in columns.items():
        verb = words[f"decisions.verbs.{digit}"]
        said = [smtpteach.default_catalogue().text("classes", digit, lang=lang).name,
                verb[:1].upper() + verb[1:], words[f"decisions.actions.{digit}"],
                words["decisions.examples"].format(codes=examples[f"decisions.{digit}"]),
                words[f"decisions.{outcome[digit]}"]]
        at = 0
        for s in said:  # in this order, top to bottom
            found = column.find(s, at)
            assert found >= 0, (digit, s, column)
            at = found + len(s)
        assert column.endswith(words[f"decisions.{outcome[digit]}"]), (digit, column)
        for other in "2345":
            if other != digit:
                assert words[f"decisions.actions.{other}"] not in column, (digit, other)
                assert words[f"decisions.{outcome[other]}"] not in column, (digit, other)
        heading = p.text(f"{digit}xx")
        assert heading[3] == diagrams.CLASS_COLOURS[digit][1]
        # the heading's box, and every box of its column, in the class's tint or white
        boxes = [b for b in p.boxes if b[0] < heading[0] < b[2] and b[3] > heading[1] - 14]
        assert [b[4] for b in boxes] == [diagrams.CLASS_COLOURS[digit][2], diagrams.PAPER,
                                         diagrams.CLASS_COLOURS[digit][2]], digit


def test_en_4xx_keeps_the_message_in_the_queue_and_5xx_bounces_it():
    columns = _columns(Picture(diagrams.reply_class_decisions(lang="en").svg))
    assert columns["4"].endswith("queue: try again later")
    assert columns["5"].endswith("bounce (DSN) to the sender")
    assert "Never repeat the same request" in columns["5"] and "Never repeat" not in columns["4"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_flow_goes_from_the_command_to_the_reply_and_loops_back_where_it_says(lang):
    words = diagrams._data()["words"][lang]
    p = Picture(diagrams.reply_class_decisions(lang=lang).svg)

    def box_of(key: str):
        x, y, *_ = p.text(words[key])
        found = [b for b in p.boxes if b[0] < x < b[2] and b[1] < y < b[3] and b[4] == "#f3f3f3"]
        assert len(found) == 1, key
        return found[0]

    command, reply = box_of("decisions.command"), box_of("decisions.reply")
    assert command[3] < reply[1]  # the command above the reply
    # the arrow from the command down to the reply: its tip on the reply box's top edge
    down = [h for h in p.heads if h[0] == pytest.approx(((reply[0] + reply[2]) / 2, reply[1]))]
    assert len(down) == 1 and _pointing(down[0]) == "down" and down[0][2] == diagrams.INK
    green, blue = diagrams.CLASS_COLOURS["2"][0], diagrams.CLASS_COLOURS["3"][0]
    # after 2xx: back into the command box, from its left; after 3xx: back into the reply box, from its right
    into_command = [h for h in p.heads if h[0] == pytest.approx((command[0], (command[1] + command[3]) / 2))]
    assert len(into_command) == 1 and into_command[0][2] == green and _pointing(into_command[0]) == "right"
    into_reply = [h for h in p.heads if h[0] == pytest.approx((reply[2], (reply[1] + reply[3]) / 2))]
    assert len(into_reply) == 1 and into_reply[0][2] == blue and _pointing(into_reply[0]) == "left"
    # each loop leaves from under its own column's outcome ("next command" is centred in the 2xx column)
    loops = {line[1]: line[0] for line in p.lines if len(line[0]) == 4 and line[1] in (green, blue)}
    words_2 = [t for t in p.texts if t[2] and t[2] in words["decisions.loop_next"]]
    words_3 = [t for t in p.texts if t[2] and t[2] in words["decisions.loop_rest"]]
    assert loops[green][0][0] == pytest.approx(words_2[0][0])
    assert loops[blue][0][0] == pytest.approx(words_3[0][0])
    assert loops[green][-1][0] < command[0] and loops[blue][-1][0] > reply[2]


# -- the parts of a bounce ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_bounce_s_from_and_subject_are_the_lab_s_own_in_the_picture_s_language(lang):
    d = diagrams.bounce_parts(lang=lang)
    other = "vi" if lang == "en" else "en"
    said = (f"From: {LAB_TEXT[lang]['dsn_from']} <postmaster@mx.lab.example>; To: anna@client.example; "
            f"Subject: {LAB_TEXT[lang]['dsn_subject']} — ")
    assert said in d.description
    drawn = Picture(d.svg).drawn()
    assert f"Subject: {LAB_TEXT[lang]['dsn_subject']}" in drawn
    assert LAB_TEXT[other]["dsn_subject"] not in d.svg and LAB_TEXT[other]["dsn_from"] not in d.svg



@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_bounce_in_the_picture_is_the_one_lesson_08_prints(lang):
    # a review: the picture showed a bounce to teacher@client.example for "Lab notes" with "User unknown", right
    # after lesson 08 printed Anna's bounce for invoice 2026-117 with Dovecot's "User doesn't exist"
    import email
    import mailbox
    import tempfile
    from email import policy
    from pathlib import Path

    from smtpteach.lab import LabClock, LabServer

    reply = "550 5.1.1 <ghost@lab.example> User doesn't exist: ghost@lab.example"
    invoice = ("From: Anna <anna@client.example>\nTo: ana@lab.example, ghost@lab.example\nSubject: Invoice 2026-117\n"
               "\nHello.\n")
    with tempfile.TemporaryDirectory() as folder:
        box = mailbox.Maildir(Path(folder) / "anna")
        with LabServer(mailboxes=["ana@lab.example"], undeliverable={"ghost@lab.example": reply}, bounce_mailbox=box,
                       clock=LabClock(), lang=lang) as server, server.client() as client:
            client.command("EHLO client.example")
            client.command("MAIL FROM:<anna@client.example>")
            client.command("RCPT TO:<ana@lab.example>")
            client.command("RCPT TO:<ghost@lab.example>")
            client.data(invoice)
        (key,) = box.keys()
        bounce = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
    d = diagrams.bounce_parts(lang=lang)
    said = " ".join(d.description.split())
    for name in ("From", "To", "Subject"):
        assert f"{name}: {' '.join(str(bounce[name]).split())}" in said, name
    per_message, per_recipient = bounce.get_payload(1).get_payload()
    for block, names in ((per_message, ("Reporting-MTA", "Arrival-Date")),
                         (per_recipient, ("Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code"))):
        for name in names:
            assert f"{name}: {' '.join(str(block[name]).split())}" in said, name
    returned = email.message_from_string(bounce.get_payload(2).get_content())
    for name in ("From", "To", "Subject"):
        assert f"{name}: {returned[name]}" in said, name


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_bounce_header_too_wide_for_its_column_is_folded_not_cut(lang):
    # a review: the Vietnamese picture drew "From: Hệ thống chuyển phát thư <postmaster@mx.lab.exampl…"
    p = Picture(diagrams.bounce_parts(lang=lang).svg)
    headers = [t for t in p.texts if t[0] < 300 and t[2] and not t[2].startswith("“")]
    assert not [t for t in headers if t[2].endswith("…")]
    name = LAB_TEXT[lang]["dsn_from"]
    start = next(t for t in headers if t[2].startswith(f"From: {name}"))
    if start[2] != f"From: {name} <postmaster@mx.lab.example>":  # folded: the address on the next line, indented
        rest = next(t for t in headers if t[1] == start[1] + 11.0)
        assert start[2] == f"From: {name}" and rest[2] == "<postmaster@mx.lab.example>" and rest[0] > start[0]


def test_fold_breaks_a_header_before_a_space_and_keeps_the_name_with_its_value():
    mono = 8.0 * 0.602  # one DejaVu Sans Mono glyph at 8 pt
    assert diagrams._fold("Subject: Invoice 2026-117", 40.5 * mono, 8.0) == ["Subject: Invoice 2026-117"]
    assert diagrams._fold("Subject: a b c d e f g h", 14.5 * mono, 8.0) == ["Subject: a b c", "    d e f g h"]
    # no space in reach after the name: the line stays whole (draw cuts it), never "Subject:" alone
    assert diagrams._fold("Subject: averyveryverylongword", 12.5 * mono, 8.0) == ["Subject: averyveryverylongword"]
    assert diagrams._fold("To: a@b.example, c@d.example, e@f.example", 30.5 * mono, 8.0) == [
        "To: a@b.example, c@d.example,", "    e@f.example"]


def test_fold_folds_a_continuation_again_where_it_is_still_too_wide():
    # a test audit: no header needed two folds, so a fold measured without its indent, an indent that grew at each
    # fold, a continuation never folded again and a line with no field name never folded all passed
    mono = 8.0 * 0.602
    assert diagrams._fold("To: a@b.example, c@d.example, e@f.example, g@h.example", 20.5 * mono, 8.0) == [
        "To: a@b.example,", "    c@d.example,", "    e@f.example,", "    g@h.example"]
    # the indent counts: "    a@b.example, c@d" is 20 characters, one too many for 19
    assert diagrams._fold("To: x, a@b.example, c@d", 19.5 * mono, 8.0) == ["To: x, a@b.example,", "    c@d"]
    assert diagrams._fold("To: xxxxxxxxxxxxxxx a@b.example, c@d", 19.5 * mono, 8.0) == [
        "To: xxxxxxxxxxxxxxx", "    a@b.example,", "    c@d"]
    # a one-letter word starts a continuation as well as any other
    assert diagrams._fold("To: ab a bcdefghijk", 7.5 * mono, 8.0) == ["To: ab", "    a", "    bcdefghijk"]
    # a line with no field name, such as one that already continues another, folds after its indent's first word
    assert diagrams._fold("    report-type=delivery-status; x=y", 32.5 * mono, 8.0) == [
        "    report-type=delivery-status;", "    x=y"]


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["", "To: ", "Subject: ", "From: "]),
       words=st.lists(st.text(alphabet="abạệ@.<>,-", min_size=1, max_size=14), min_size=1, max_size=10),
       chars=st.integers(min_value=12, max_value=60))
def test_fold_is_rfc_5322_folding_at_the_last_space_that_fits(name, words, chars):
    mono = 8.0 * 0.602
    line = name + " ".join(words)
    out = diagrams._fold(line, (chars + 0.5) * mono, 8.0)
    # unfolded, it is the header: a fold only adds a line break and an indent before a space (RFC 5322 §2.2.3)
    assert out[0] + "".join(" " + x[4:] for x in out[1:]) == line
    assert all(x[:4] == "    " and x[4:5] not in ("", " ") for x in out[1:])
    # the name stays with the first word of its value; a header that fits stays whole
    assert out[0].startswith(name + words[0])
    assert out == [line] or len(line) > chars
    for i, x in enumerate(out):
        head = len(name) if i == 0 else 4
        first_word = x[head:].split(" ")[0]
        if i < len(out) - 1:
            # folded where it had to be: the line fits, and the next line's first word would not have
            assert len(x) <= chars < len(x) + 1 + len(out[i + 1][4:].split(" ")[0])
        elif len(x) > chars:
            # too wide only where no space is in reach: its first word alone does not fit
            assert head + len(first_word) > chars


def test_each_field_of_the_bounce_has_its_own_note_beside_it():
    d = diagrams.bounce_parts(lang="en")
    for said in (
        "MAIL FROM:<> — the null sender: nobody bounces a bounce (RFC 5321 §6.1); the mailbox shows it as "
        "Return-Path: <>.",
        "RCPT TO:<anna@client.example> — the sender of the message that failed.",
        "Content-Type: multipart/report; report-type=delivery-status — a report in three parts (RFC 6522 §3).",
        "Part 1 · text/plain, for a person: what happened, in words.",
        "Part 2 · message/delivery-status, for software (RFC 3464 §2.1).",
        "Part 3 · text/rfc822-headers, the failed message's headers",
        "Status: 5.1.1 — the enhanced status code (RFC 3463).",
        "Diagnostic-Code: smtp; 550 5.1.1 <ghost@lab.example> User doesn't exist: ghost@lab.example — that server's "
        "reply, word for word.",
    ):
        assert said in d.description, said
    fields = ["Reporting-MTA: dns; mx.lab.example", "Arrival-Date: ", "Final-Recipient: rfc822; ghost@lab.example",
              "Action: failed", "Status: 5.1.1", "Remote-MTA: dns; mailstore.lab.example", "Diagnostic-Code: smtp; "]
    at = [d.description.find(f) for f in fields]
    assert -1 not in at and at == sorted(at)
    p = Picture(d.svg)
    assert [t[2] for t in sorted((t for t in p.texts if t[2].startswith(tuple(fields))), key=lambda t: t[1])] == [
        t for f in fields for t in p.drawn() if t.startswith(f)]

    def beside(field: str, note_start: str) -> None:
        x, y, *_ = p.text(field)
        notes = [t for t in p.texts if t[1] == y and t[0] > x and t[2].startswith(note_start)]
        assert len(notes) == 1, (field, note_start, [t for t in p.texts if t[1] == y])

    beside("MAIL FROM:<>", "the null sender")
    beside("RCPT TO:<anna@client.example>", "the sender of the message that failed")
    beside("Part 1 · text/plain", "for a person")
    beside("Part 2 · message/delivery-status", "for software")
    beside("Status: 5.1.1", "the enhanced status code")
    # a folded header's continuation is indented under its field, as in the message
    first, rest = p.text("Content-Type: multipart/report;"), p.text("report-type=delivery-status")
    assert rest[1] > first[1] and rest[0] == pytest.approx(first[0] + 4 * 8 * 0.602, abs=0.01)


# -- retries through a queue ----------------------------------------------------------------------------------------
def test_each_attempt_is_marked_with_its_class_s_shape_and_colour_where_it_happened():
    d = diagrams.retry_timeline([(0, "Connection timed out"), (300, "451 4.7.1 Greylisted"),
                                 (900, "550 5.7.1 Blocked")], lang="en")
    p = Picture(d.svg)
    marks = sorted(p.marks, key=lambda m: m[1])
    assert [(m[0], m[2]) for m in marks] == [("square", diagrams.NO_REPLY_COLOURS[0]),
                                             ("diamond", diagrams.CLASS_COLOURS["4"][0]),
                                             ("cross", diagrams.CLASS_COLOURS["5"][0])]
    delivered = Picture(diagrams.retry_timeline([(0, "451 a"), (60, "250 ok")], lang="en").svg)
    assert [(m[0], m[2]) for m in sorted(delivered.marks, key=lambda m: m[1])] == [
        ("diamond", diagrams.CLASS_COLOURS["4"][0]), ("circle", diagrams.CLASS_COLOURS["2"][0])]
    # each reply's label starts at its attempt (3 pt to the left of the mark's centre)
    xs = [m[1] for m in marks]
    for x, words in zip(xs, ["Connection timed out", "451 4.7.1 Greylisted", "550 5.7.1 Blocked"]):
        label = p.text(words)
        assert label[0] == pytest.approx(x - 3) and label[4] == "start", words


def test_the_axis_is_logarithmic_and_each_attempt_sits_on_its_time():
    d = diagrams.retry_timeline([(0, "451 a"), (300, "451 b"), (600, "451 c"), (3600, "451 d")], lang="en")
    p = Picture(d.svg)
    ticks = {t[2]: t[0] for t in p.texts if t[4] == "middle" and re.fullmatch(r"0|\d+ (min|h|d)", t[2])}
    marks = sorted(m[1] for m in p.marks)
    assert [ticks["0"], ticks["5 min"], ticks["10 min"], ticks["1 h"]] == pytest.approx(marks)
    # x grows with log(1 + t / 1 min): 5 min and 1 h are as far apart as log 6 and log 61
    zero = ticks["0"]
    assert (ticks["1 h"] - zero) / (ticks["5 min"] - zero) == pytest.approx(math.log(61) / math.log(6), rel=1e-3)


def test_the_wait_between_two_attempts_is_labelled_with_that_wait():
    d = diagrams.retry_timeline([(0, "451 a"), (300, "451 b"), (900, "250 ok")], lang="en")
    assert [t for t in Picture(d.svg).drawn() if t.startswith("+")] == ["+5 min", "+10 min"]
    assert "The wait between attempts grows from 5 min to 10 min." in d.description


@pytest.mark.parametrize("attempts, lifetime, outcome, colour", [
    ([(0, "451 a"), (60, "250 ok")], 3600, "delivered", diagrams.CLASS_COLOURS["2"][1]),
    ([(0, "451 a"), (60, "550 no")], 3600, "bounced (permanent failure)", diagrams.CLASS_COLOURS["5"][1]),
    ([(0, "451 a"), (3600, "451 a")], 3600, "bounced when its queue lifetime ran out", diagrams.CLASS_COLOURS["5"][1]),
    ([(0, "451 a"), (60, "451 a")], 3600, "still in the queue", diagrams.MUTED),
])
def test_the_outcome_is_said_in_its_colour_at_the_last_attempt(attempts, lifetime, outcome, colour):
    p = Picture(diagrams.retry_timeline(attempts, lang="en", lifetime=lifetime).svg)
    x, _, _, fill, anchor = p.text(outcome)
    assert fill == colour
    last = max(m[1] for m in p.marks)
    assert x == pytest.approx(last - 3 if anchor == "start" else last + 3)


def test_the_axis_turns_red_where_the_queue_lifetime_runs_out():
    p = Picture(diagrams.retry_timeline([(0, "451 a"), (300, "451 a"), (3600, "451 a")], lang="en",
                                        lifetime=600).svg)
    axis = {line[1]: line[0] for line in p.lines if line[3] == 2}
    grey, red = axis[diagrams.RULE], axis[diagrams.CLASS_COLOURS["5"][0]]
    lifetime_x = next(line[0][0][0] for line in p.lines if line[1] == diagrams.CLASS_COLOURS["5"][1])
    first = min(m[1] for m in p.marks)
    assert grey[0][0] == pytest.approx(first) and grey[-1][0] == pytest.approx(lifetime_x)
    assert red[0][0] == pytest.approx(lifetime_x) and red[-1][0] > max(m[1] for m in p.marks)


def test_the_delay_warning_is_drawn_at_the_attempt_that_sends_it():
    p = Picture(diagrams.retry_timeline(EXPIRY, lang="en", delay_warning=4 * 3600).svg)
    xs = sorted(m[1] for m in p.marks)
    assert len(xs) == 113
    x, _, _, fill, anchor = p.text("delay warning sent")
    assert fill == diagrams.CLASS_COLOURS["4"][1]
    assert x == pytest.approx(xs[8] - 3 if anchor == "start" else xs[8] + 3)  # attempt 9, at 4 h 40 min


def test_a_delivery_sends_no_delay_warning():
    """Postfix warns about a message still queued; the attempt that delivers it takes it out of the queue."""
    d = diagrams.retry_timeline([(0, "451 a"), (300, "451 a"), (900, "250 ok")], lang="en", delay_warning=600)
    assert "delay warning (a DSN" not in d.description
    assert "delay warning sent" not in Picture(d.svg).drawn()
    assert "delay warning: 10 min" in Picture(d.svg).drawn()  # when it would have been sent


def test_times_are_rounded_to_the_nearest_second_not_cut():
    d = diagrams.retry_timeline([(0, "451 a"), (299.6, "250 ok")], lang="en")
    assert "Attempt 2, at 5 min: 250 ok." in d.description
    assert "The wait between attempts is always 5 min." in d.description


# -- a second audit: what each label, box and sentence says, and where ------------------------------------------------
# These read the whole of each picture of a kind (every label of a sequence, every box of a column, every field of a
# bounce, every sentence of an alt text) rather than the one place a planted bug touched.
_WORDS = diagrams._data()["words"]
_EXAMPLES = diagrams._data()["examples"]
LONG_COMMAND = ("C: MAIL FROM:<newsletter-bounces+ana=lab.example@lists.client.example> SIZE=1048576 BODY=8BITMIME "
                "SMTPUTF8 RET=HDRS ENVID=QQ314159")
LONG_REPLY = "S: 550 5.1.1 " + " ".join(["The recipient's mailbox is not known at this site"] * 2)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_label_of_a_sequence_sits_between_its_own_arrow_and_the_one_above(lang):
    """A label of two lines (a long command, a long reply) gets the room of its second line: its first line is as far
    below the arrow above as a one-line label's is, never on it (a reader could not tell which arrow it names)."""
    transcript = ["S: 220 mx.lab.example ESMTP", "C: EHLO client.example", "S: 250 mx.lab.example",
                  "C: MAIL FROM:<a@client.example>", "S: 250 2.1.0 Ok", LONG_COMMAND, LONG_REPLY, "C: QUIT",
                  "S: 221 2.0.0 Bye"]
    d = diagrams.sequence(transcript, lang=lang)
    p = Picture(d.svg)
    arrows = [h[0][1] for h in p.heads[:10]]  # the connection and nine lines: one arrow a step, top to bottom
    assert arrows == sorted(arrows) and len(set(arrows)) == 10
    _, _, boxes = _text_boxes(d.svg)
    middle = p.text("EHLO client.example")[0]
    per_step: dict[int, list] = {}
    for box, t in zip(boxes, p.texts):
        if t[4] == "middle" and t[0] == middle:
            step = next(i for i, y in enumerate(arrows) if box[3] <= y)  # the first arrow below the words
            per_step.setdefault(step, []).append(box)
    # one line a step, two for the long command (step 7) and the long reply (step 8)
    assert {step: len(lines) for step, lines in per_step.items()} == {i: 2 if i in (6, 7) else 1 for i in range(10)}
    for step, lines in per_step.items():
        top = min(b[2] for b in lines)
        above = arrows[step - 1] if step else 12.0 + 24.0  # the arrow above, or the lane headers' bottom edge
        assert top - above >= 10, (step, [b[4] for b in lines], top, above)
        assert arrows[step] - max(b[3] for b in lines) >= 2.5, step  # and clear of its own arrow


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_decisions_alt_text_gives_each_class_its_own_verb(lang):
    """The alt text says, class by class, what the client does: 2xx continue, 3xx send more, 4xx retry later,
    5xx give up; never one class's verb for another."""
    d = diagrams.reply_class_decisions(lang=lang)
    cat = smtpteach.default_catalogue()
    verbs = {digit: _WORDS[lang][f"decisions.verbs.{digit}"] for digit in "2345"}
    if lang == "en":
        assert verbs == {"2": "continue", "3": "send more", "4": "retry later", "5": "give up"}
    said = {}
    for digit in "2345":
        name = cat.text("classes", digit, lang=lang).name
        found = re.search(rf"{digit}xx, {re.escape(name)} \([^)]*\): ([^.]*)\. ", d.description)
        assert found, (digit, d.description)
        said[digit] = found.group(1)
        # its sentence goes on with its own action
        assert d.description[found.end():].startswith(_WORDS[lang][f"decisions.actions.{digit}"])
    assert said == verbs
    starts = [d.description.find(f"{digit}xx, ") for digit in "2345"]
    assert starts == sorted(starts) and -1 not in starts


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_word_of_the_decisions_picture_lies_inside_its_box(lang):
    """Each class's heading box is as tall as the longest class name: a name on two lines (4xx and 5xx in English,
    3xx in Vietnamese) stays inside its box, as does every other word of the picture."""
    d = diagrams.reply_class_decisions(lang=lang)
    p = Picture(d.svg)
    _, _, boxes = _text_boxes(d.svg)
    for left, right, top, bottom, words in boxes:
        holders = [b for b in p.boxes if b[0] <= left and right <= b[2] and b[1] <= top and bottom <= b[3]]
        assert len(holders) == 1, (words, top, bottom)
    cat = smtpteach.default_catalogue()
    two_lines = 0
    for digit in "2345":
        x, y, *_ = p.text(f"{digit}xx")
        box = next(b for b in p.boxes if b[0] < x < b[2] and b[1] < y < b[3])
        name = [t[2] for t in p.texts if t[0] == x and box[1] < t[1] < box[3] and t[2] != f"{digit}xx"]
        assert " ".join(name) == cat.text("classes", digit, lang=lang).name, digit  # the whole name, in its box
        two_lines += len(name) > 1
    assert two_lines >= 1  # the case in point


# -- the parts of a bounce, box by box --------------------------------------------------------------------------------
def _inside(p: Picture, box) -> list[str]:
    return [t[2] for t in sorted(p.texts, key=lambda t: (t[1], t[0])) if box[0] < t[0] < box[2] and box[1] < t[1] < box[3]]


_BOUNCE_NOTES = {  # each field (the start of its first line) and the key of its note
    "MAIL FROM:<>": "mail_from", "RCPT TO:": "rcpt_to", "From: ": "headers", "Content-Type: ": "content_type",
    "Reporting-MTA: ": "reporting_mta", "Arrival-Date: ": "arrival_date", "Final-Recipient: ": "final_recipient",
    "Action: ": "action", "Status: ": "status", "Remote-MTA: ": "remote_mta", "Diagnostic-Code: ": "diagnostic_code",
}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_bounce_is_drawn_part_by_part_each_box_holding_its_own_fields(lang):
    words = _WORDS[lang]
    p = Picture(diagrams.bounce_parts(lang=lang).svg)
    parts = sorted((b for b in p.boxes if b[0] == 24.0), key=lambda b: b[1])
    assert [b[4] for b in parts] == [diagrams.CLASS_COLOURS["3"][2], diagrams.CLASS_COLOURS["4"][2], "#efefef"]
    # top to bottom: part 1, part 2, part 3, each with its own title first
    titles = [_inside(p, b)[0] for b in parts]
    assert titles == [words["bounce.part1"], words["bounce.part2"], words["bounce.part3"]]
    part1, part2, part3 = (_inside(p, b) for b in parts)
    assert " ".join(part1[2:]) == words["bounce.part1_text"]  # after its title and its note: the words for a person
    # part 2: the per-message block, then the per-recipient block, each under its own heading
    blocks = sorted((b for b in p.boxes if b[0] == 34.0 and parts[1][1] < b[1] < parts[1][3]), key=lambda b: b[1])
    assert len(blocks) == 2
    per_message, per_recipient = (_inside(p, b) for b in blocks)
    assert per_message[0] == words["bounce.per_message"]
    assert [t.split(":")[0] for t in per_message[1::2]] == ["Reporting-MTA", "Arrival-Date"]
    assert per_recipient[0] == words["bounce.per_recipient"]
    assert [t.split(":")[0] for t in per_recipient[1:] if not t.startswith(("<", " ")) and re.match(r"[A-Z][\w-]+: ", t)
            ] == ["Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code"]
    # part 3: the headers of the message that failed, not the bounce's own
    assert part3[-3:] == list(_EXAMPLES["bounce.returned"]) == ["From: Anna <anna@client.example>",
                                                                "To: ana@lab.example, ghost@lab.example",
                                                                "Subject: Invoice 2026-117"]
    drawn = " ".join(p.drawn())
    assert "{" not in drawn and "postmaster@" not in " ".join(part3)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_field_of_the_bounce_has_its_own_note_in_the_picture_and_the_alt_text(lang):
    words = _WORDS[lang]
    d = diagrams.bounce_parts(lang=lang)
    p = Picture(d.svg)
    notes = {t[1]: t[2] for t in p.texts if t[0] == 318.0}  # the notes' column: row -> words
    for start, key in _BOUNCE_NOTES.items():
        note = words[f"bounce.note_{key}"]
        x, y, *_ = min((t for t in p.texts if t[2].startswith(start) and t[0] < 300), key=lambda t: t[1])
        # the note begins on the field's row and goes on a line (11 pt) at a time
        lines = []
        while y in notes:
            lines.append(notes[y])
            y += 11.0
        assert " ".join(lines) == note, (start, lines)
        # the alt text: the field, a dash, its note
        assert re.search(rf"{re.escape(start)}[^—]* — {re.escape(note)}\.", d.description), start
    # the envelope's sentence holds the envelope (MAIL FROM, RCPT TO); the message's the bounce's own headers
    envelope = words["bounce.desc_envelope"].split("{items}")[0].strip()
    message = words["bounce.desc_message"].split("{items}")[0].strip()
    at = [d.description.find(s) for s in (envelope, "MAIL FROM:<>", "RCPT TO:<anna@client.example>", message,
                                          "From: ", "Content-Type: ", words["bounce.part1"], words["bounce.part2"],
                                          words["bounce.per_message"], "Reporting-MTA: ", "Arrival-Date: ",
                                          words["bounce.per_recipient"], "Final-Recipient: ", words["bounce.part3"],
                                          "From: Anna <anna@client.example>; To: ana@lab.example, ghost@lab.example; "
                                          "Subject: Invoice 2026-117.")]
    assert -1 not in at and at == sorted(at), at
    assert "{" not in d.description


# -- retries ----------------------------------------------------------------------------------------------------------
def test_a_group_of_attempts_with_one_reply_is_labelled_from_its_first_attempt():
    """Three 451s in a row share one label, "451 ... (×3)": it starts where the first of them is marked, and the
    leader rises from there, as the alt text says ("Attempts 1 to 3, from 0 s ...")."""
    d = diagrams.retry_timeline([(0, "451 a"), (300, "451 a"), (600, "451 a"), (900, "250 ok")], lang="en")
    p = Picture(d.svg)
    xs = sorted(m[1] for m in p.marks)
    label = p.text("451 a (×3)")
    assert label[4] == "start" and label[0] == pytest.approx(xs[0] - 3)
    assert p.text("250 ok")[0] == pytest.approx(xs[3] - 3)
    leaders = sorted(line[0][0][0] for line in p.lines if line[1] == diagrams.RULE and line[3] == 0.7)
    assert leaders == pytest.approx([xs[0], xs[3]])
    assert "Attempts 1 to 3, from 0 s to 10 min: 451 a, each time. Attempt 4, at 15 min: 250 ok." in d.description
    # a group in the middle, too: from its own first attempt
    d = diagrams.retry_timeline([(0, "421 x"), (300, "451 b"), (900, "451 b"), (2400, "451 b")], lang="en")
    p = Picture(d.svg)
    xs = sorted(m[1] for m in p.marks)
    assert p.text("451 b (×3)")[0] == pytest.approx(xs[1] - 3)


@pytest.mark.parametrize("lang, said", [("en", "to a queue lifetime of 10 min, on a logarithmic"),
                                        ("vi", "thời hạn lưu trong hàng đợi là 10 phút, trên trục")])
def test_the_alt_text_gives_the_queue_lifetime_not_the_length_of_the_axis(lang, said):
    """The axis runs to the last attempt (1 h) or the warning (2 h), past a lifetime of 10 min: the alt text
    still says the lifetime, as the picture's red mark does."""
    for kwargs in ({}, {"delay_warning": 7200}):
        d = diagrams.retry_timeline([(0, "451 a"), (3600, "451 a")], lang=lang, lifetime=600, **kwargs)
        assert said in d.description, kwargs
        intro = d.description.split(". ")[0]
        assert "1 h" not in intro and "1 giờ" not in intro and "2 h" not in intro and "2 giờ" not in intro
        assert ("queue lifetime: 10 min" if lang == "en" else "10 phút") in " ".join(Picture(d.svg).drawn())


def test_a_timedelta_counts_its_days():
    """Days, hours and seconds alike: timedelta(days=5) is 432000 s wherever a time is taken."""
    tries = [(0, "451 a"), (timedelta(days=1, seconds=30), "451 a"), (timedelta(days=2), "250 ok")]
    as_seconds = [(0, "451 a"), (86430, "451 a"), (172800, "250 ok")]
    for lang in ("en", "vi"):
        a = diagrams.retry_timeline(tries, lang=lang, lifetime=timedelta(days=5), delay_warning=timedelta(days=1))
        b = diagrams.retry_timeline(as_seconds, lang=lang, lifetime=5 * 86400, delay_warning=86400)
        assert a.svg == b.svg and a.description == b.description
    assert "to a queue lifetime of 5 d," in diagrams.retry_timeline(tries, lang="en",
                                                                   lifetime=timedelta(days=5)).description
    assert diagrams.postfix_schedule(lifetime=timedelta(days=5)) == diagrams.postfix_schedule()
    assert diagrams.postfix_schedule(lifetime=timedelta(days=2), maximal_backoff=timedelta(days=1, seconds=1),
                                     minimal_backoff=timedelta(minutes=5)) == diagrams.postfix_schedule(
        lifetime=2 * 86400, maximal_backoff=86401, minimal_backoff=300)
    assert diagrams.postfix_schedule(queue_run_delay=timedelta(days=1), lifetime=timedelta(days=3)) == (
        0, 86400, 2 * 86400, 3 * 86400)


# -- from a deliberate-bug audit of the sequence labels' wrapping -----------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_address_whose_domain_fills_a_line_breaks_inside_the_domain_not_after_its_at(lang):
    # after its "@" only when the rest of the address fits on the next line: a domain that does not would be cut
    # again, and the second line would end in "…" where the whole address had room on two lines
    address = "ana@" + "sub." * 22 + "lab.example"
    d = diagrams.sequence([f"C: RCPT TO:<{address}>", "S: 250 2.1.5 Ok"], lang=lang)
    assert _labels(d) == ["RCPT TO:<ana@sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub.sub",
                          ".sub.sub.sub.sub.sub.lab.example>", "250 2.1.5 Ok"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_label_shortened_after_a_cut_goes_on_from_where_the_line_above_ended(lang):
    # a path longer than two lines (RFC 5321 allows 256 octets): the second line starts at the cut, with nothing
    # dropped and no space put in where the address has none, before its "…"
    address = "ana.maria.lopez.garcia@" + ".".join(["department-of-examples"] * 9) + ".lab.example"
    d = diagrams.sequence([f"C: RCPT TO:<{address}>"], lang=lang)
    first, second = _labels(d)
    assert (first, second) == (
        "RCPT TO:<ana.maria.lopez.garcia@department-of-examples.department-of-examples",
        ".department-of-examples.department-of-examples.department-of-examples.department…")
    assert f"RCPT TO:<{address}>".startswith(first + second[:-1])


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_reply_keeps_return_path_and_its_path_on_one_line(lang):
    # the space between a keyword's colon and the path after it never ends a line, in a reply's words too
    reply = "550 5.7.1 A bounce is sent from the null reverse-path and filed with Return-Path: <> (RFC 5321 §4.5.5)"
    d = diagrams.sequence(["C: DATA", f"S: {reply}"], lang=lang)
    assert _labels(d)[1:] == ["550 5.7.1 A bounce is sent from the null reverse-path and filed with",
                              "Return-Path: <> (RFC 5321 §4.5.5)"]
