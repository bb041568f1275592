"""The lessons' pictures, drawn as static SVG.

Four pictures, each a function that returns a :class:`Diagram`:

- :func:`sequence`: an SMTP session as a sequence diagram, from a lab transcript;
- :func:`reply_class_decisions`: what a client does after each class of reply;
- :func:`bounce_parts`: the parts of a bounce message (RFC 3464, RFC 6522);
- :func:`retry_timeline`: a message's delivery attempts through a queue, with
  :func:`postfix_schedule` to compute a realistic schedule of attempts.

>>> from smtpteach import diagrams
>>> picture = diagrams.reply_class_decisions(lang="en")
>>> picture
Diagram('reply_class_decisions', lang='en')
>>> picture.svg.startswith("<svg ")
True

**Words.** Every word in a picture comes from ``data/diagrams.yaml`` in the
language asked for (``lang`` is keyword-only, "en" or "vi"), and the reply class
names from the catalogue. What the pictures show as protocol text (commands,
header fields) is the same in every language.

**Same bytes everywhere.** The SVG is written by this package (``_svg``), with
no plotting library: nothing a user has set can reach it, and it draws the same
in a kernel and in the browser's Pyodide. Text stays text; every text is
anchored at its baseline and laid out with the advance widths of the DejaVu
fonts (``data/font-widths.json``, read from the fonts by
``tools/font_widths.py``), so the output does not depend on the fonts a machine
has. The same input gives the same bytes, run after run and machine after machine.

**Accessible.** The root ``<svg>`` has ``role="img"`` and ``aria-labelledby``
pointing at a ``<title>`` (one sentence) and a ``<desc>`` (what the picture
shows, in words: for a sequence, every command and reply in order), its first
two children, in the picture's language. Every string that did not come from
this module is escaped, and characters XML cannot carry (controls, lone
surrogates) are shown as ``\\x1b``-style escapes.

**Self-contained.** No script, no external font or link: the only URL is the
SVG namespace. There is no XML declaration or DOCTYPE, so the same text works
as a file and inline in HTML; the stylesheet is scoped to the picture
(``.smtpteach-diagram``), and the only ids are the title's and the
description's, derived from the content, so two pictures can share a page.

**In a notebook.** A :class:`Diagram` shows itself as the picture: it gives
``image/svg+xml`` (``_repr_svg_``) and ``text/html`` (``_repr_html_``, the same
SVG inline). The HTML is what JupyterLab and myst-nb choose, and inline is what
keeps the title, the description and the text readable to screen readers and
searchable on the site (myst-nb turns ``image/svg+xml`` into an ``<img>``
without alt text). Its ``repr`` is fixed (``Diagram('sequence', lang='en', 12
steps)``), for nbval and for untrusted notebooks.

``import smtpteach.diagrams`` reads no data; the first picture does.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import unicodedata
from typing import TYPE_CHECKING

from . import _svg
from ._errors import CatalogueError, InvalidArgumentError, InvalidTypeError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import timedelta
    from typing import Any

__all__ = [
    "Diagram",
    "sequence",
    "reply_class_decisions",
    "bounce_parts",
    "retry_timeline",
    "postfix_schedule",
    "POSTFIX_DEFAULTS",
    "MAX_STEPS",
]

_FILE = "diagrams.yaml"
SCHEMA = 1
# A longer session would be a poster, not a picture; split it.
MAX_STEPS = 120

# Postfix's documented defaults (postconf(5); qmgr(8), "OTHER RESOURCE AND RATE CONTROLS"),
# in seconds. delay_warning_time is 0h there: no warning unless an admin sets one.
POSTFIX_DEFAULTS = {
    "minimal_backoff_time": 300,
    "maximal_backoff_time": 4000,
    "maximal_queue_lifetime": 5 * 86400,
    "queue_run_delay": 300,
    "delay_warning_time": 0,
}

# -- colours ---------------------------------------------------------------
# Okabe-Ito hues for lines and marks, which people with any common colour vision
# deficiency can tell apart; each class also has its own line style or mark shape,
# so the picture reads in grey too. Text uses darker shades of the same hues: every
# text colour has a contrast of at least 4.5:1 on white (WCAG AA, tested).
INK = "#1a1a1a"
MUTED = "#595959"
RULE = "#8c8c8c"
PAPER = "#ffffff"
# digit -> (line colour, text colour, tint for boxes)
CLASS_COLOURS = {
    "2": ("#009e73", "#00694d", "#e3f4ee"),
    "3": ("#0072b2", "#005a8c", "#e2eff7"),
    "4": ("#e69f00", "#8a5a00", "#fcf1da"),
    "5": ("#d55e00", "#a63f00", "#fbe9dc"),
}
NO_REPLY_COLOURS = ("#767676", "#595959", "#eeeeee")
LINE_STYLES = {"2": "-", "3": (0, (6, 2, 1.5, 2)), "4": (0, (5, 3)), "5": (0, (1.2, 2))}
TEXT_COLOURS = (INK, MUTED, *(c[1] for c in CLASS_COLOURS.values()), NO_REPLY_COLOURS[1])

# -- the result --------------------------------------------------------------
class Diagram:
    """A picture: its SVG text, and the words a screen reader gets.

    ``svg`` is the whole picture (a string that starts with ``<svg``);
    ``title`` and ``description`` are the text of its ``<title>`` and ``<desc>``.
    In a notebook it shows as the picture; its ``repr`` names the kind, the
    language and the size, never an address.
    """

    __slots__ = ("kind", "lang", "svg", "title", "description", "_size")

    def __init__(self, kind: str, lang: str, svg: str, title: str, description: str, size: str = ""):
        self.kind, self.lang, self.svg = kind, lang, svg
        self.title, self.description, self._size = title, description, size

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        size = f", {self._size}" if self._size else ""
        return f"Diagram({self.kind!r}, lang={self.lang!r}{size})"


# -- words -------------------------------------------------------------------
def _flatten(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = node


_SLOT = re.compile(r"\{([a-z_]+)\}")


def _load_words(path: str, name: str = _FILE) -> dict[str, Any]:
    """Read and check the pictures' words: the same keys and the same {slots} in every language."""
    import yaml

    try:
        with open(path, encoding="utf-8") as f:
            raw = yaml.safe_load(f)
    except OSError as exc:
        raise CatalogueError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise CatalogueError(f"not valid YAML: {problem}{where}", file=name) from None
    if not isinstance(raw, dict):
        raise CatalogueError("the file must hold a mapping at the top", file=name)
    if raw.get("schema") != SCHEMA:
        raise CatalogueError(f"schema must be {SCHEMA}, found {raw.get('schema')!r}", file=name, field="schema")
    languages = raw.get("languages")
    if not isinstance(languages, list) or "en" not in languages or not all(isinstance(x, str) for x in languages):
        raise CatalogueError("languages must be a list of language codes that includes en", file=name, field="languages")
    expected = {"schema", "languages", "examples", *languages}
    for key in raw:
        if key not in expected:
            raise CatalogueError(f"unknown top-level key {key!r}; expected one of {sorted(expected)}", file=name, field=str(key))
    examples: dict[str, Any] = {}
    _flatten(raw.get("examples") or {}, "", examples)
    for key, value in examples.items():
        ok = isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))
        if not ok or not value:
            raise CatalogueError("must be a string or a list of strings", file=name, field=f"examples.{key}")
    words: dict[str, dict[str, str]] = {}
    for lang in languages:
        if not isinstance(raw.get(lang), dict):
            raise CatalogueError(f"the language {lang!r} has no mapping of words", file=name, field=lang)
        flat: dict[str, Any] = {}
        _flatten(raw[lang], "", flat)
        for key, value in flat.items():
            if not isinstance(value, str) or not value.strip():
                raise CatalogueError("must be a non-empty string", file=name, field=f"{lang}.{key}")
        words[lang] = flat
    reference = words["en"]
    for lang in languages:
        if lang == "en":
            continue
        flat = words[lang]
        for key in reference:
            if key not in flat:
                raise CatalogueError("is missing ('en' has it)", file=name, field=f"{lang}.{key}")
        for key in flat:
            if key not in reference:
                raise CatalogueError("is not in 'en' (a misspelt key?)", file=name, field=f"{lang}.{key}")
            want, got = sorted(set(_SLOT.findall(reference[key]))), sorted(set(_SLOT.findall(flat[key])))
            if want != got:
                raise CatalogueError(f"has the slots {got}, but 'en' has {want}", file=name, field=f"{lang}.{key}")
    return {"languages": tuple(languages), "examples": examples, "words": words}


@functools.cache
def _data() -> dict[str, Any]:
    from ._loading import _data_dir

    return _load_words(os.path.join(_data_dir(), _FILE))


class _Words:
    """One language's words: ``w("sequence.client")``, ``w.count("sequence.title", 3)``."""

    def __init__(self, lang: str):
        data = _data()
        if not isinstance(lang, str) or lang not in data["languages"]:
            raise InvalidArgumentError(
                f"unknown language {lang!r} for the diagrams (there are: {', '.join(data['languages'])})"
            )
        self.lang = lang
        self._words = data["words"][lang]
        self.examples = data["examples"]

    def __call__(self, key: str, **slots: Any) -> str:
        text = self._words[key]
        return text.format(**slots) if slots else text

    def count(self, key: str, count: int, **slots: Any) -> str:
        return self(f"{key}.{'one' if count == 1 else 'other'}", count=count, **slots)

    def duration(self, seconds: float) -> str:
        """``5 d 13 min 20 s``: whole units, largest first, zeros left out."""
        seconds = int(round(seconds))
        if seconds == 0:
            return self("common.units.s", n=0)
        parts = []
        for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
            n, seconds = divmod(seconds, size)
            if n:
                parts.append(self(f"common.units.{unit}", n=n))
        return " ".join(parts)

    def class_name(self, digit: str) -> str:
        from ._catalogue import default_catalogue

        return default_catalogue().text("classes", digit, lang=self.lang).name


# -- text that came from outside ------------------------------------------------
def _visible(text: str) -> str:
    """``text`` with every character XML or a picture cannot carry shown as an escape.

    Controls (including CR and tab), format characters such as bidi overrides,
    lone surrogates, private-use and unassigned code points, and line or
    paragraph separators become ``\\x1b``, ``\\u202e``...

    >>> _visible("250 ok\\x1b[31m\\u202e")
    '250 ok\\\\x1b[31m\\\\u202e'
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == " " or (ch.isprintable() or unicodedata.category(ch)[0] not in "CZ" or unicodedata.category(ch) == "Zs"):
            out.append(ch)
        else:
            cp = ord(ch)
            out.append(f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")
    return "".join(out)


# -- measuring text ------------------------------------------------------------------
_text_width = _svg.text_width


_fit = _svg.fit


# Spaces a line never ends at: between a document and its number ("RFC 5321"), and between a keyword and the
# path after it ("Return-Path: <>", "MAIL FROM: <address>"). In a command, the space after the verb too.
_NO_BREAK = re.compile(r"(?<=\bRFC) (?=[0-9])|(?<=:) (?=<)")
# Where a word wider than a line may be cut: after an "@", before a "." (an address, a host name)
_WORD_BREAK = re.compile(r"(?<=@)(?=.)|(?<=.)(?=\.)")


def _wrap(text: str, width: float, size: float, family: str = "sans", weight: str = "normal",
          style: str = "normal", max_lines: int = 0, command: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width``; past ``max_lines``, the last line ends in "…".

    Lines end at spaces, except the ones that hold a unit together (``_NO_BREAK``;
    with ``command``, also the first: "RCPT TO:<...>" never leaves "RCPT" alone). A
    unit wider than half a line that does not fit where it stands (an address, a
    host name) is cut there: after its "@" when the rest of it fits on the next
    line, else before the last "." that fits, and where the line is full if it
    starts the line and has neither in reach. Nothing is lost before the last line.

    >>> _wrap("RCPT TO:<a.very.long.local.part.that.goes.on.and.on.and.on@a-long-subdomain.lab.example>",
    ...       416, 8.5, "mono", max_lines=2, command=True)
    ['RCPT TO:<a.very.long.local.part.that.goes.on.and.on.and.on@', 'a-long-subdomain.lab.example>']
    """
    def fits(start: int, end: int) -> bool:
        return _text_width(text[start:end], size, family, weight, style) <= width

    first_space = text.find(" ") if command else -1
    spaces = [i for i, ch in enumerate(text) if ch == " " and i != first_space and not _NO_BREAK.match(text, i)]
    cuts = [m.start() for m in _WORD_BREAK.finditer(text)]
    starts: list[int] = []
    lines: list[str] = []
    start = 0
    while True:
        starts.append(start)
        if fits(start, len(text)):
            lines.append(text[start:])
            break
        end = next((i for i in reversed(spaces) if i > start and fits(start, i)), None)  # the last space that fits
        word = start if end is None else end + 1  # the unit that does not fit, and where it ends
        word_end = next((i for i in spaces if i >= word), len(text))
        if end is None or _text_width(text[word:word_end], size, family, weight, style) > width / 2:
            # a long unit (an address, a host name): cut it on this line rather than leave half of it empty, after
            # its "@" when the rest of it then fits on a line, else at the last cut that fits
            fitting = [i for i in cuts if word < i < word_end and fits(start, i)]
            at = [i for i in fitting if text[i - 1] == "@" and fits(i, word_end)]
            cut = at[-1] if at else fitting[-1] if fitting else None
            if cut is None and end is None:  # no cut in reach: as much as fits (at least one character)
                cut = start + 1
                while cut < word_end and fits(start, cut + 1):
                    cut += 1
            if cut is not None:
                lines.append(text[start:cut])
                start = cut
                continue
        lines.append(text[start:end])
        start = end + 1
    if max_lines and len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], text[starts[max_lines - 1]:]]
    return [_fit(line, width, size, family, weight, style) for line in lines]


def _fold(line: str, width: float, size: float) -> list[str]:
    """A header field in monospace, folded before a space where it is wider than ``width`` (RFC 5322 §2.2.3).

    Each continuation line starts with four spaces, as the pictures draw one. The
    field's name stays with the start of its value, and a line with no space in
    reach is left whole (it is cut when drawn).

    >>> _fold("From: Hệ thống chuyển phát thư <postmaster@mx.lab.example>", 278, 8.0)
    ['From: Hệ thống chuyển phát thư', '    <postmaster@mx.lab.example>']
    >>> _fold("To: anna@client.example", 278, 8.0)
    ['To: anna@client.example']
    """
    out: list[str] = []
    lead = ""
    # where the value starts: a fold comes after its first word, never between the name and its value (nor in the
    # indent of a line that continues another)
    start = line.find(": ") + 2 if ": " in line else len(line) - len(line.lstrip(" "))
    while _text_width(lead + line, size, "mono") > width:
        spaces = [i for i, ch in enumerate(line) if ch == " " and i > start and _text_width(lead + line[:i], size, "mono") <= width]
        if not spaces:
            break
        out.append(lead + line[:spaces[-1]])
        line, lead, start = line[spaces[-1] + 1:], "    ", 0
    out.append(lead + line)
    return out


# -- drawing -----------------------------------------------------------------------
def _draw(kind: str, lang: str, width: float, height: float, paint: Any, title: str, description: str,
          size: str = "") -> Diagram:
    """Draw with ``paint(canvas)``; return the finished, accessible SVG."""
    canvas = _svg.Canvas(width, height, ink=INK)
    paint(canvas)
    body = canvas.body()
    digest = hashlib.sha256("\x00".join((kind, title, description, body)).encode("utf-8")).hexdigest()[:12]
    ident = f"smtpteach-{kind.replace('_', '-')}-{digest}"
    picture = _svg.svg(canvas, css_class="smtpteach-diagram", title=(f"{ident}-title", title),
                       description=(f"{ident}-desc", description))
    return Diagram(kind, lang, picture, title, description, size)


# -- 1. the sequence diagram --------------------------------------------------------
class _Step:
    __slots__ = ("kind", "lines", "digit", "count")

    def __init__(self, kind: str, lines: list[str], digit: str = "", count: int = 0):
        self.kind, self.lines, self.digit, self.count = kind, lines, digit, count


_REPLY_LINE = re.compile(r"[2-5][0-9]{2}(?=[ -]|$)")


def _transcript_items(transcript: Any) -> list[tuple[str, str, int]]:
    """(who, line, item number) for each line of a transcript, who being "C" or "S"."""
    if isinstance(transcript, str):
        raw: Iterable[Any] = [ln[:-1] if ln.endswith("\r") else ln for ln in transcript.split("\n")]
        if raw and raw[-1] == "":  # type: ignore[index]
            raw = raw[:-1]  # type: ignore[index]
    elif isinstance(transcript, (list, tuple)):
        raw = transcript
    else:
        raise InvalidTypeError(
            "a transcript is a list of 'C: ...' and 'S: ...' lines (a LabClient's transcript) "
            f"or of (who, line) pairs, not {type(transcript).__name__}"
        )
    items = []
    for n, item in enumerate(raw, 1):
        if isinstance(item, str):
            if item[:3] in ("C: ", "S: "):
                who, line = item[0], item[3:]
            elif item in ("C:", "S:"):
                who, line = item[0], ""
            else:
                raise InvalidArgumentError(
                    f"transcript line {n} is neither 'C: ...' (client) nor 'S: ...' (server): {_visible(item)!r}"
                )
        elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], str):
            name = item[0].strip().casefold() if isinstance(item[0], str) else None
            if name not in ("c", "s", "client", "server"):
                raise InvalidArgumentError(
                    f"transcript item {n}: who is 'C', 'S', 'client' or 'server', not {item[0]!r}"
                )
            who, line = name[0].upper(), item[1]
        else:
            raise InvalidArgumentError(
                f"transcript item {n} is neither a 'C: ...'/'S: ...' line nor a (who, line) pair: {item!r}"
            )
        if "\n" in line:
            raise InvalidArgumentError(f"transcript item {n} holds a line break; give one line per item: {_visible(line)!r}")
        items.append((who, line, n))
    if not items:
        raise InvalidArgumentError("the transcript is empty: there is nothing to draw")
    return items


def _parse_transcript(transcript: Any) -> list[_Step]:
    """The steps of a session: a connection, commands, replies (multi-line ones whole) and messages.

    A reply's lines run until one without "-" after the code, as RFC 5321 §4.2.1
    says; every line of a reply carries the same code. After DATA and its 354,
    the client's lines up to "." are the message.
    """
    items = _transcript_items(transcript)
    steps: list[_Step] = []
    if items[0][0] == "S":
        steps.append(_Step("connect", []))
    reply: list[str] = []
    reply_start = 0
    message: list[str] | None = None
    last_command = ""
    for who, line, n in items:
        if who == "S":
            if not _REPLY_LINE.match(line):
                raise InvalidArgumentError(
                    f"transcript line {n}: a server line starts with a reply code (three digits, "
                    f"the first 2 to 5, then a space, a hyphen or nothing): {_visible(line)!r}"
                )
            if message is not None:  # the server spoke in the middle of a message (a 421, say)
                steps.append(_Step("message", message, count=len(message)))
                message = None
            if reply and line[:3] != reply[0][:3]:
                raise InvalidArgumentError(
                    f"transcript line {n}: {line[:3]} in the middle of a {reply[0][:3]} reply "
                    "(every line of a reply has the same code, RFC 5321 §4.2.1)"
                )
            if not reply:
                reply_start = n
            reply.append(line)
            if line[3:4] != "-":
                steps.append(_Step("reply", reply, digit=line[0], count=len(reply)))
                if line[:3] == "354" and last_command.strip().upper() == "DATA":
                    message = []
                reply = []
            continue
        if reply:
            raise InvalidArgumentError(
                f"transcript line {n}: the {reply[0][:3]} reply that starts on line {reply_start} "
                "has no last line (one with a space, not '-', after the code)"
            )
        if message is not None:
            if line == ".":
                steps.append(_Step("message", message, digit=".", count=len(message)))
                message = None
            else:
                message.append(line)
            continue
        steps.append(_Step("command", [line]))
        last_command = line
    if reply:
        raise InvalidArgumentError(
            f"the transcript ends inside the {reply[0][:3]} reply that starts on line {reply_start}: "
            "it has no last line (one with a space, not '-', after the code)"
        )
    if message is not None:
        steps.append(_Step("message", message, count=len(message)))
    if len(steps) > MAX_STEPS:
        raise InvalidArgumentError(
            f"the transcript has {len(steps)} steps, too many for one picture (at most {MAX_STEPS}); draw it in parts"
        )
    return steps


def sequence(transcript: Sequence[str] | Sequence[tuple[str, str]] | str, *, lang: str) -> Diagram:
    """An SMTP session as a sequence diagram: client and server lanes, an arrow per command and per reply.

    ``transcript`` is what :attr:`smtpteach.lab.LabClient.transcript` holds, a
    list of ``"C: <line>"`` and ``"S: <line>"`` strings (or the same lines as
    one string), or a list of ``(who, line)`` pairs with ``who`` "C", "S",
    "client" or "server". A multi-line reply (RFC 5321 §4.2.1) is one arrow,
    labelled with its first line and its number of lines; a message after
    DATA and 354 is one arrow. Replies are coloured and dashed by class, with
    a legend. The description lists every step in words, every line of every
    reply included.

    >>> picture = sequence(["C: QUIT", "S: 221 2.0.0 Bye"], lang="en")
    >>> picture
    Diagram('sequence', lang='en', 2 steps)
    >>> print(picture.description[picture.description.index("1. "):])
    1. Client: QUIT 2. Server, 2xx (continue): 221 2.0.0 Bye

    Raises :class:`~smtpteach.InvalidArgumentError` for an empty or malformed
    transcript or an unknown ``lang``, naming the line at fault.
    """
    w = _Words(lang)
    steps = _parse_transcript(transcript)

    width = 580.0
    left, right = 74.0, width - 74.0
    middle = (left + right) / 2
    label_width = right - left - 16
    mono, size = "mono", 8.5
    line_gap = 11.0

    # words and labels for each step
    verbs = {d: w(f"decisions.verbs.{d}") for d in "2345"}
    labels: list[list[str]] = []
    sentences: list[str] = []
    for n, step in enumerate(steps, 1):
        if step.kind == "connect":
            labels.append([w("sequence.connect")])
            sentences.append(w("sequence.desc_connect", n=n))
        elif step.kind == "command":
            text = _visible(step.lines[0])
            labels.append(_wrap(text, label_width, size, mono, max_lines=2, command=True))
            sentences.append(w("sequence.desc_command", n=n, line=text))
        elif step.kind == "reply":
            shown = [_visible(x) for x in step.lines]
            if step.count == 1:
                labels.append(_wrap(shown[0], label_width, size, mono, max_lines=2))
            else:
                more = " " + w("sequence.more_lines", count=step.count)
                first = _fit(shown[0], label_width - _text_width(more, size, mono), size, mono)
                labels.append([first + more])
            sentences.append(w.count("sequence.desc_reply_lines", step.count, n=n, digit=step.digit,
                                     verb=verbs[step.digit], text=w("sequence.line_separator").join(shown)))
        else:
            ended = step.digit == "."
            labels.append([w.count("sequence.message" if ended else "sequence.message_unended", step.count)])
            sentences.append(w.count("sequence.desc_message" if ended else "sequence.desc_message_unended",
                                     step.count, n=n))

    # legend entries: (sample style, colour, text)
    legend = [("command", INK, w("sequence.legend_command"))]
    legend += [(d, CLASS_COLOURS[d][0], w("sequence.legend_reply", digit=d, verb=verbs[d])) for d in "2345"]
    legend_size = 8.0
    legend_rows: list[list[tuple[str, str, str, float]]] = [[]]
    x = 16.0
    for style, colour, text in legend:
        item_width = 30 + _text_width(text, legend_size) + 18
        if legend_rows[-1] and x + item_width > width - 10:
            legend_rows.append([])
            x = 16.0
        legend_rows[-1].append((style, colour, text, x))
        x += item_width

    header_top, header_h = 12.0, 24.0
    first_row = header_top + header_h + 22
    rows_y = []
    y = first_row
    for lines in labels:
        y += line_gap * (len(lines) - 1)
        rows_y.append(y)
        y += 25
    lifeline_end = y - 10
    legend_top = lifeline_end + 20
    height = legend_top + 16 * len(legend_rows) + 6

    def paint(c: _svg.Canvas) -> None:
        head_size = 9.5
        for lane, name in ((left, w("sequence.client")), (right, w("sequence.server"))):
            text = _fit(name, 132, head_size, weight="bold")
            box_w = max(96.0, _text_width(text, head_size, weight="bold") + 18)
            c.box(lane - box_w / 2, header_top, box_w, header_h, fill="#f3f3f3", edge="#4d4d4d", lw=1)
            c.text(lane, header_top + 16, text, size=head_size, weight="bold", ha="center")
            c.line([lane, lane], [header_top + header_h, lifeline_end], color=RULE, lw=0.9, ls=(0, (3, 3)))
        for n, (step, lines, y_arrow) in enumerate(zip(steps, labels, rows_y), 1):
            c.text(10, y_arrow + 3, str(n), size=7, color=MUTED)
            y_text = y_arrow - 5 - line_gap * (len(lines) - 1)
            if step.kind == "reply":
                line_colour, text_colour, _ = CLASS_COLOURS[step.digit]
                c.arrow(right - 1, y_arrow, left + 1, y_arrow, color=line_colour, lw=1.6, ls=LINE_STYLES[step.digit])
                colour, family, style = text_colour, mono, "normal"
            elif step.kind == "command":
                c.arrow(left + 1, y_arrow, right - 1, y_arrow, color=INK, lw=1.2)
                colour, family, style = INK, mono, "normal"
            else:  # the connection, or a message: not a command, so thinner and in words
                dashes = (0, (2, 2)) if step.kind == "connect" else "-"
                c.arrow(left + 1, y_arrow, right - 1, y_arrow, color=MUTED, lw=0.9, ls=dashes)
                colour, family, style = MUTED, "sans", "italic"
            for i, text in enumerate(lines):
                c.text(middle, y_text + i * line_gap, text, size=size, family=family, style=style, color=colour,
                       ha="center")
        for r, row in enumerate(legend_rows):
            ly = legend_top + 16 * r
            for style, colour, text, lx in row:
                ls = "-" if style == "command" else LINE_STYLES[style]
                lw = 1.2 if style == "command" else 1.6
                c.arrow(lx, ly - 3, lx + 24, ly - 3, color=colour, lw=lw, ls=ls, head=5)
                c.text(lx + 30, ly, text, size=legend_size, color=INK)

    title = w.count("sequence.title", len(steps))
    description = " ".join([w("sequence.desc_intro"), *sentences])
    size_note = f"{len(steps)} step" + ("" if len(steps) == 1 else "s")
    return _draw("sequence", w.lang, width, height, paint, title, description, size_note)


# -- 2. what to do after each class ---------------------------------------------------
def reply_class_decisions(*, lang: str) -> Diagram:
    """A flow chart of the decision after each class of reply (RFC 5321 §4.2.1, §4.5.4).

    The client sends a command; the server replies; the first digit decides:
    2xx continue (the next command), 3xx send more (the rest of the request:
    the message after 354, the next AUTH line after 334), 4xx keep the message
    in the queue and retry later, 5xx give up: bounce, or fix the cause and
    send again.

    >>> reply_class_decisions(lang="vi").title.startswith("Máy khách làm gì")
    True
    """
    w = _Words(lang)
    width = 580.0
    loop_x, loop_rest_x = 14.0, width - 14.0
    col_left, col_right, gap = 30.0, width - 30.0, 10.0
    col_w = (col_right - col_left - 3 * gap) / 4
    centres = [col_left + col_w / 2 + i * (col_w + gap) for i in range(4)]
    body_size, head_size = 8.0, 8.5
    pad = 7.0
    inner = col_w - 2 * pad

    box1 = (width / 2 - 150, 12.0, 300.0, 26.0)
    box2 = (width / 2 - 170, 62.0, 340.0, 26.0)
    bus_y = box2[1] + box2[3] + 16
    head_top = bus_y + 16

    columns = []
    for digit in "2345":
        name_lines = _wrap(w.class_name(digit), inner, head_size, weight="bold", max_lines=3)
        verb = w(f"decisions.verbs.{digit}")
        verb = verb[:1].upper() + verb[1:]
        action = _wrap(w(f"decisions.actions.{digit}"), inner, body_size)
        examples = _wrap(w("decisions.examples", codes=w.examples[f"decisions.{digit}"]), inner, 7.5, "mono")
        key = {"2": "loop_next", "3": "loop_rest", "4": "queue", "5": "bounce"}[digit]
        outcome = _wrap(w(f"decisions.{key}"), col_w - 12, body_size, weight="bold", max_lines=2)
        columns.append((digit, name_lines, verb, action, examples, outcome))
    head_h = 30 + 11 * (max(len(col[1]) for col in columns) - 1) + 6
    body_top = head_top + head_h + 12
    body_h = 22 + 10.5 * max(len(col[3]) for col in columns) + 10 * max(len(col[4]) for col in columns) + 8
    outcome_top = body_top + body_h + 22
    outcome_h = 12 + 10.5 * max(len(col[5]) for col in columns)
    loop_y = outcome_top + outcome_h + 14
    height = loop_y + 14

    def paint(c: _svg.Canvas) -> None:
        for (bx, by, bw, bh), key in ((box1, "decisions.command"), (box2, "decisions.reply")):
            c.box(bx, by, bw, bh, fill="#f3f3f3", edge="#4d4d4d")
            c.text(bx + bw / 2, by + 17, _fit(w(key), bw - 16, 9.5, weight="bold"), size=9.5, weight="bold",
                   ha="center")
        c.arrow(width / 2, box1[1] + box1[3], width / 2, box2[1], color=INK)
        c.line([width / 2, width / 2], [box2[1] + box2[3], bus_y], color=INK, lw=1.2)
        c.line([centres[0], centres[3]], [bus_y, bus_y], color=INK, lw=1.2)
        for (digit, name_lines, verb, action, examples, outcome), cx in zip(columns, centres):
            line_colour, text_colour, tint = CLASS_COLOURS[digit]
            x0 = cx - col_w / 2
            c.arrow(cx, bus_y, cx, head_top, color=INK, lw=1.2)
            c.box(x0, head_top, col_w, head_h, fill=tint, edge=line_colour, lw=1.4)
            c.text(x0 + pad, head_top + 14, f"{digit}xx", size=10, weight="bold", family="mono", color=text_colour)
            for i, text in enumerate(name_lines):
                c.text(x0 + pad, head_top + 27 + 11 * i, text, size=head_size, weight="bold", color=INK)
            c.arrow(cx, head_top + head_h, cx, body_top, color=line_colour, lw=1.6, ls=LINE_STYLES[digit])
            c.box(x0, body_top, col_w, body_h, fill=PAPER, edge=line_colour, lw=1.4, ls=LINE_STYLES[digit])
            c.text(x0 + pad, body_top + 16, verb, size=10, weight="bold", color=text_colour)
            y = body_top + 31
            for text in action:
                c.text(x0 + pad, y, text, size=body_size, color=INK)
                y += 10.5
            y += 3
            for text in examples:
                c.text(x0 + pad, y, text, size=7.5, family="mono", color=MUTED)
                y += 10
            # what follows
            c.arrow(cx, body_top + body_h, cx, outcome_top, color=line_colour, lw=1.6, ls=LINE_STYLES[digit])
            c.box(x0, outcome_top, col_w, outcome_h, fill=tint, edge=line_colour, lw=1.0)
            first = outcome_top + outcome_h / 2 + 3 - 5.25 * (len(outcome) - 1)
            for i, text in enumerate(outcome):
                c.text(cx, first + 10.5 * i, text, size=body_size, weight="bold", color=text_colour, ha="center")
        # 2xx: back to the next command (left side); 3xx: the rest, then the next reply (right side)
        green, blue = CLASS_COLOURS["2"][0], CLASS_COLOURS["3"][0]
        bottom = outcome_top + outcome_h
        c.line([centres[0], centres[0], loop_x, loop_x], [bottom, loop_y, loop_y, box1[1] + box1[3] / 2],
               color=green, lw=1.6)
        c.arrow(loop_x, box1[1] + box1[3] / 2, box1[0], box1[1] + box1[3] / 2, color=green, lw=1.6)
        c.line([centres[1], centres[1], loop_rest_x, loop_rest_x], [bottom, loop_y - 6, loop_y - 6,
               box2[1] + box2[3] / 2], color=blue, lw=1.6, ls=LINE_STYLES["3"])
        c.arrow(loop_rest_x, box2[1] + box2[3] / 2, box2[0] + box2[2], box2[1] + box2[3] / 2, color=blue, lw=1.6)

    sentences = [w("decisions.desc_intro")]
    for digit, *_ in columns:
        sentences.append(w("decisions.desc_class", digit=digit, name=w.class_name(digit),
                           codes=w.examples[f"decisions.{digit}"], verb=w(f"decisions.verbs.{digit}"),
                           action=w(f"decisions.actions.{digit}")))
    sentences.append(w("decisions.desc_loops"))
    return _draw("reply_class_decisions", w.lang, width, height, paint, w("decisions.title"), " ".join(sentences))


# -- 3. the parts of a bounce ---------------------------------------------------------
def bounce_parts(*, lang: str) -> Diagram:
    """The parts of a bounce message, as nested boxes, each field with what it means.

    The envelope's null sender (``MAIL FROM:<>``, RFC 5321 §4.5.5; a bounce is never bounced, §6.1); the outer
    ``multipart/report; report-type=delivery-status`` (RFC 6522 §3); part 1,
    text for a person; part 2, ``message/delivery-status`` with its
    per-message fields (Reporting-MTA, Arrival-Date; RFC 3464 §2.2) and
    per-recipient fields (Final-Recipient, Action, Status, Remote-MTA,
    Diagnostic-Code; RFC 3464 §2.3); part 3, the returned headers
    (``text/rfc822-headers``, RFC 6522 §4). The example values are those of
    the lab's own bounces (:func:`smtpteach.lab.make_dsn`): Anna's invoice, the
    bounce lesson 08 prints. A header line too wide for its column is folded
    (RFC 5322 §2.2.3), as the Vietnamese ``From:`` is.

    >>> "Diagnostic-Code" in bounce_parts(lang="en").description
    True
    """
    w = _Words(lang)
    ex = w.examples
    width = 580.0
    field_size, note_size = 8.0, 7.8
    note_x = 318.0
    note_w = width - 22 - note_x
    row = 11.0

    def field(key: str, note: str | None = None) -> tuple[list[str], list[str]]:
        value = ex[f"bounce.{key}"]
        lines = list(value) if isinstance(value, list) else [value]
        notes = _wrap(w(note), note_w, note_size, style="italic") if note else []
        return lines, notes

    envelope = [field("mail_from", "bounce.note_mail_from"), field("rcpt_to", "bounce.note_rcpt_to")]
    # the bounce's From and Subject are the lab's own, in the picture's language
    from .lab import LAB_TEXT

    lab_words = LAB_TEXT[lang]
    header_w = note_x - 12 - 28  # the header rows' column, as draw_rows leaves it
    headers = [([folded for line in ex["bounce.headers"] for folded in _fold(line.format_map(lab_words), header_w, field_size)],
                _wrap(w("bounce.note_headers"), note_w, note_size, style="italic")),
               field("content_type", "bounce.note_content_type")]
    per_message = [field("reporting_mta", "bounce.note_reporting_mta"), field("arrival_date", "bounce.note_arrival_date")]
    per_recipient = [field(k, f"bounce.note_{k}") for k in
                     ("final_recipient", "action", "status", "remote_mta", "diagnostic_code")]
    part3 = [(list(ex["bounce.returned"]), [])]
    part1_lines = _wrap(w("bounce.part1_text"), width - 90, note_size, style="italic", max_lines=3)

    def rows_height(rows: list[tuple[list[str], list[str]]]) -> float:
        """From the first row's baseline to the baseline after the last row."""
        return sum(row * max(len(a), len(b)) + 3 for a, b in rows)

    def blocks(heading: float) -> list[tuple[float, float, float, str, Any]]:
        """Part 2's two boxes: (heading baseline, top, bottom, heading key, rows), the first heading at ``heading``."""
        out = []
        for key, rows in (("bounce.per_message", per_message), ("bounce.per_recipient", per_recipient)):
            last = heading + 16 + rows_height(rows) - row - 3
            out.append((heading, heading - 13, last + 7, key, rows))
            heading = last + 7 + 8 + 13
        return out

    # Every y below is a baseline or a box edge, computed top to bottom.
    title_gap = 17.0  # from a box's top to its title's baseline
    first_gap = 16.0  # from a title's baseline to the first row's baseline
    env_top = 10.0
    env_rows = env_top + title_gap + first_gap
    env_bottom = env_rows + rows_height(envelope) - row + 6
    msg_top = env_bottom + 12
    hdr_rows = msg_top + title_gap + first_gap
    y = hdr_rows + rows_height(headers) - row + 14
    parts = []
    for key, note_key, tint, edge, content in (
        ("bounce.part1", "bounce.note_part1", CLASS_COLOURS["3"][2], CLASS_COLOURS["3"][0], "part1"),
        ("bounce.part2", "bounce.note_part2", CLASS_COLOURS["4"][2], CLASS_COLOURS["4"][0], "part2"),
        ("bounce.part3", "bounce.note_part3", "#efefef", "#8c8c8c", "part3"),
    ):
        top = y
        note_room = width - 48 - 20 - _text_width(w(key), 9, weight="bold") - 10
        note_lines = _wrap(w(note_key), note_room, note_size, style="italic", max_lines=2)
        first = top + title_gap + 10 * (len(note_lines) - 1) + first_gap
        if content == "part1":
            last = first + row * (len(part1_lines) - 1)
        elif content == "part2":  # two inner boxes, each with a heading
            first += 2
            last = blocks(first)[-1][2] - 2
        else:
            last = first + rows_height(part3) - row - 3
        bottom = last + 10
        parts.append((key, note_lines, tint, edge, content, top, first, bottom))
        y = bottom + 8
    msg_bottom = y + 2
    height = msg_bottom + 10
    mono_advance = field_size * 0.602  # DejaVu Sans Mono: every glyph is 1233/2048 em wide

    def draw_rows(c: _svg.Canvas, rows: list[tuple[list[str], list[str]]], x: float, y: float) -> float:
        for lines, notes in rows:
            for i, text in enumerate(lines):
                body = text.lstrip(" ")  # a continuation line: indent it (SVG collapses leading spaces)
                indent = (len(text) - len(body)) * mono_advance
                c.text(x + indent, y + row * i, _fit(body, note_x - 12 - x - indent, field_size, "mono"),
                       size=field_size, family="mono")
            for i, text in enumerate(notes):
                c.text(note_x, y + row * i, text, size=note_size, style="italic", color=MUTED)
            if notes:
                c.line([note_x - 10, note_x - 4], [y - 3, y - 3], color=RULE, lw=0.8)
            y += row * max(len(lines), len(notes)) + 3
        return y

    def paint(c: _svg.Canvas) -> None:
        # the envelope: dashed, because it is not part of the message
        c.box(12, env_top, width - 24, env_bottom - env_top, fill="#fafafa", edge=MUTED, ls=(0, (4, 3)))
        c.text(22, env_top + title_gap, w("bounce.envelope"), size=9, weight="bold")
        draw_rows(c, envelope, 28, env_rows)
        # the message
        c.box(12, msg_top, width - 24, msg_bottom - msg_top, fill=PAPER, edge=INK, lw=1.2)
        c.text(22, msg_top + title_gap, w("bounce.message"), size=9, weight="bold")
        draw_rows(c, headers, 28, hdr_rows)
        for key, note_lines, tint, edge, content, top, first, bottom in parts:
            c.box(24, top, width - 48, bottom - top, fill=tint, edge=edge, lw=1.2)
            title = w(key)
            c.text(34, top + title_gap, title, size=9, weight="bold")
            note_left = 34 + _text_width(title, 9, weight="bold") + 10
            for i, text in enumerate(note_lines):
                c.text(note_left, top + title_gap + 10 * i, text, size=note_size, style="italic", color=MUTED)
            if content == "part1":
                for i, text in enumerate(part1_lines):
                    c.text(40, first + row * i, text, size=note_size, style="italic", color=INK)
            elif content == "part2":
                for heading, box_top, box_bottom, block, rows in blocks(first):
                    c.box(34, box_top, width - 68, box_bottom - box_top, fill=PAPER, edge=edge, lw=0.8, radius=2)
                    c.text(40, heading, _fit(w(block), width - 90, 8, weight="bold"), size=8, weight="bold",
                           color=CLASS_COLOURS["4"][1])
                    draw_rows(c, rows, 40, heading + 16)
            else:
                draw_rows(c, part3, 40, first)

    def items(rows: list[tuple[list[str], list[str]]]) -> str:
        out = []
        for lines, notes in rows:
            # header lines are separate fields; an indented line continues the one before (RFC 5322 §2.2.3)
            value = ""
            for x in lines:
                value += (" " if x[:1] == " " else "; " if value else "") + " ".join(x.split())
            note = " ".join(notes)
            out.append(w("bounce.desc_item", field=value, note=note) if note else w("bounce.desc_item_bare", field=value))
        return " ".join(out)

    sentences = [
        w("bounce.desc_intro"),
        w("bounce.desc_envelope", items=items(envelope)),
        w("bounce.desc_message", items=items(headers)),
        w("bounce.desc_part", part=w("bounce.part1"), note=w("bounce.note_part1"),
          items=w("bounce.desc_item_bare", field=w("bounce.part1_text"))),
        w("bounce.desc_part", part=w("bounce.part2"), note=w("bounce.note_part2"), items=" ".join([
            w("bounce.desc_block", block=w("bounce.per_message"), items=items(per_message)),
            w("bounce.desc_block", block=w("bounce.per_recipient"), items=items(per_recipient)),
        ])),
        w("bounce.desc_part", part=w("bounce.part3"), note=w("bounce.note_part3"), items=items(part3)),
    ]
    return _draw("bounce_parts", w.lang, width, height, paint, w("bounce.title"), " ".join(sentences))


# -- 4. retries through a queue ------------------------------------------------------------
def _seconds(value: Any, what: str) -> float:
    from datetime import timedelta

    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(f"{what} is a number of seconds or a timedelta, not {value!r}")
    if not math.isfinite(value) or value < 0:
        raise InvalidArgumentError(f"{what} must be a finite number of seconds, 0 or more, not {value!r}")
    return float(value)


def postfix_schedule(*, minimal_backoff: float | timedelta = 300, maximal_backoff: float | timedelta = 4000,
                     lifetime: float | timedelta = 5 * 86400, queue_run_delay: float | timedelta = 0) -> tuple[int, ...]:
    """When Postfix tries a message that keeps failing with 4xx, in seconds since it arrived.

    The first attempt is on arrival. After each failed attempt the queue manager
    holds the message back for as long as it has been in the queue, but no less
    than ``minimal_backoff`` and no more than ``maximal_backoff``
    (``qmgr_active_done_3_generic`` in Postfix's ``src/qmgr/qmgr_active.c``:
    "the amount of time that the message is delayed", clamped; TUNING_README:
    "This results in so-called exponential backoff behavior"). So the gaps
    double from ``minimal_backoff`` until they reach ``maximal_backoff``. The
    first attempt that fails when the message has been queued for ``lifetime``
    or more is the last: the message is returned to the sender
    (``maximal_queue_lifetime``: "Consider a message as undeliverable, when
    delivery fails with a temporary error, and the time in the queue has
    reached the maximal_queue_lifetime limit").

    The defaults are Postfix's own since 2.4 (postconf(5), qmgr(8)):
    ``minimal_backoff_time`` 300 s, ``maximal_backoff_time`` 4000 s,
    ``maximal_queue_lifetime`` 5 d. Attempts take no time here, and by default
    the message is tried the moment it is due; pass ``queue_run_delay`` (300 s
    in Postfix) to wait for the next scan of the deferred queue as well, with
    scans at every multiple of it since the arrival.

    >>> times = postfix_schedule()
    >>> times[:8]
    (0, 300, 600, 1200, 2400, 4800, 8800, 12800)
    >>> len(times), times[-1]
    (113, 432800)
    >>> postfix_schedule(lifetime=0)
    (0,)
    """
    low = _seconds(minimal_backoff, "minimal_backoff")
    high = _seconds(maximal_backoff, "maximal_backoff")
    end = _seconds(lifetime, "lifetime")
    scan = _seconds(queue_run_delay, "queue_run_delay")
    if low <= 0:
        raise InvalidArgumentError(f"minimal_backoff must be more than 0 seconds, not {minimal_backoff!r}")
    if high < low:
        raise InvalidArgumentError(
            f"maximal_backoff ({maximal_backoff!r}) must be at least minimal_backoff ({minimal_backoff!r})"
        )
    times = [0.0]
    while times[-1] < end:
        now = times[-1]
        due = now + min(max(now, low), high)
        if scan:
            due = math.ceil(due / scan) * scan
        times.append(due)
    return tuple(int(t) if float(t).is_integer() else t for t in times)  # type: ignore[misc]


def _reply_digit(reply: str) -> str:
    match = _REPLY_LINE.match(reply)
    return match.group(0)[0] if match else ""


def _clashes(placed: list[tuple[float, float, float, int]], x: float, lo: float, hi: float, r: int, *,
             strict: bool) -> bool:
    """Whether a label spanning [lo, hi] in row ``r``, with its leader at ``x``, collides with a placed one:
    overlaps it in its row, or (``strict``) covers its leader or has its own leader cross it.
    Labels at the same x share one leader line."""
    return any(
        (row == r and lo < right and left < hi)
        or (strict and lx != x and row > r and lo <= lx <= hi)
        or (strict and lx != x and row < r and left <= x <= right)
        for lx, left, right, row in placed
    )


def retry_timeline(attempts: Sequence[tuple[float | timedelta, str]], *, lang: str,
                   lifetime: float | timedelta = 5 * 86400, delay_warning: float | timedelta | None = None) -> Diagram:
    """A message's delivery attempts through a queue, on a time axis, each marked with its reply.

    ``attempts`` is a list of ``(when, reply)`` pairs: ``when`` in seconds since
    the message arrived (or a timedelta), ``reply`` the reply that decided the
    attempt ("451 4.7.1 Try again later"), or words for an attempt that got no
    SMTP reply ("Connection timed out"). Times go forward. A 2xx delivers the
    message and a 5xx bounces it, so nothing follows either; a failed attempt
    at or after ``lifetime`` (5 days by default, Postfix's
    ``maximal_queue_lifetime``) bounces it too. ``delay_warning`` marks when the
    sender is warned that the message is still queued (Postfix's
    ``delay_warning_time``, off by default): with the first failed attempt
    from then on.

    The axis is logarithmic, so the first minutes and the last days both show.
    Consecutive attempts with the same reply share one label (×count).
    :func:`postfix_schedule` gives the times a real MTA would use.

    >>> tries = [(0, "451 4.7.1 Greylisted"), (300, "451 4.7.1 Greylisted"), (600, "250 2.0.0 Ok")]
    >>> retry_timeline(tries, lang="en")
    Diagram('retry_timeline', lang='en', 3 attempts)
    """
    w = _Words(lang)
    end = _seconds(lifetime, "lifetime")
    warn = None if delay_warning is None else _seconds(delay_warning, "delay_warning")
    if warn is not None and warn <= 0:
        raise InvalidArgumentError(f"delay_warning must be more than 0 seconds, or None for no warning, not {delay_warning!r}")
    if not isinstance(attempts, (list, tuple)):
        raise InvalidTypeError(f"attempts is a list of (seconds since arrival, reply) pairs, not {type(attempts).__name__}")
    if not attempts:
        raise InvalidArgumentError("no attempts: give at least one (seconds since arrival, reply) pair")
    times: list[float] = []
    replies: list[str] = []
    digits: list[str] = []
    for n, item in enumerate(attempts, 1):
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise InvalidArgumentError(f"attempt {n} is not a (seconds since arrival, reply) pair: {item!r}")
        at = _seconds(item[0], f"the time of attempt {n}")
        reply = item[1]
        if not isinstance(reply, str) or not reply.strip():
            raise InvalidArgumentError(f"attempt {n} needs its reply as text, not {reply!r}")
        reply = _visible(" ".join(reply.split("\n")[0].split()))
        digit = _reply_digit(reply)
        if times:
            if at <= times[-1]:
                raise InvalidArgumentError(
                    f"attempt {n} at {at:g} s does not come after attempt {n - 1} at {times[-1]:g} s"
                )
            if digits[-1] in ("2", "5"):
                raise InvalidArgumentError(
                    f"attempt {n} comes after attempt {n - 1} took the message out of the queue ({replies[-1]})"
                )
            if times[-1] >= end:
                raise InvalidArgumentError(
                    f"attempt {n} comes after attempt {n - 1} failed once the queue lifetime had run out "
                    f"(at {times[-1]:g} s; lifetime {end:g} s), which bounced the message"
                )
        if digit == "3":
            raise InvalidArgumentError(
                f"attempt {n}: a 3xx reply decides no attempt; give the reply that did (2xx, 4xx or 5xx): {reply!r}"
            )
        times.append(at)
        replies.append(reply)
        digits.append(digit)
    count = len(times)
    last, last_digit = times[-1], digits[-1]
    if last_digit == "2":
        outcome = "delivered"
    elif last_digit == "5":
        outcome = "bounced"
    elif last >= end:
        outcome = "expired"
    else:
        outcome = "queued"
    warned_at = None
    if warn is not None:
        for i, (t, d) in enumerate(zip(times, digits)):
            if t >= warn and d not in ("2", "5") and t < end:
                warned_at = i
                break

    # groups of consecutive attempts with the same reply
    groups: list[list[int]] = []
    for i, reply in enumerate(replies):
        if groups and replies[groups[-1][0]] == reply:
            groups[-1].append(i)
        else:
            groups.append([i])

    width = 580.0
    x0, x1 = 26.0, width - 26.0
    span = max(end, last, warn or 0.0, 60.0)
    u_max = math.log10(1 + span / 60) * 1.03

    def xpos(t: float) -> float:
        return round(x0 + (x1 - x0) * math.log10(1 + t / 60) / u_max, 2)

    label_size = 8.0
    mark_size = 3.8
    # labels above the axis: (x, text, colour, family, style); placed right to left in the lowest row where
    # neither this label nor its leader line crosses another
    labels: list[tuple[float, str, str, str, str]] = []
    for group in groups:
        reply = replies[group[0]]
        if len(group) == 1:
            text = _fit(reply, 330, label_size, "mono")
        else:  # the count must show whatever the length of the reply
            room = 330 - _text_width(w("timeline.times", reply="", count=len(group)), label_size, "mono")
            text = w("timeline.times", reply=_fit(reply, room, label_size, "mono"), count=len(group))
        colour = (CLASS_COLOURS.get(digits[group[0]]) or NO_REPLY_COLOURS)[1]
        labels.append((xpos(times[group[0]]), text, colour, "mono", "normal"))
    outcome_colour = {"delivered": CLASS_COLOURS["2"][1], "bounced": CLASS_COLOURS["5"][1],
                      "expired": CLASS_COLOURS["5"][1], "queued": MUTED}[outcome]
    labels.append((xpos(last), w(f"timeline.outcome.{outcome}"), outcome_colour, "sans", "bold"))
    if warned_at is not None:
        labels.append((xpos(times[warned_at]), w("timeline.warning_sent"), CLASS_COLOURS["4"][1], "sans", "italic"))
    # Each label starts at its attempt, or ends there when it would run off the right edge.
    spans = []
    order = {"normal": 0, "bold": 1, "italic": 2}  # at one attempt: its reply, then what it led to
    for x, text, colour, family, style in labels:
        weight = "bold" if style == "bold" else "normal"
        fstyle = "italic" if style == "italic" else "normal"
        text_w = _text_width(text, label_size, family, weight, fstyle)
        if x - 3 + text_w <= width - 6:
            left_edge, ha = x - 3, "left"
        else:
            left_edge, ha = max(6.0, x + 3 - text_w), "right"
            if left_edge + text_w > x + 3:
                text = _fit(text, x + 3 - 6, label_size, family, weight, fstyle)
                text_w = _text_width(text, label_size, family, weight, fstyle)
                left_edge = x + 3 - text_w
        spans.append((left_edge, -order[style], x, text, colour, family, style, text_w, ha))
    # A staircase: placed from the rightmost start leftwards, each label takes the lowest row where it
    # overlaps no label, covers no leader line that rises past it, and its own leader crosses no label.
    placed: list[tuple[float, float, float, int]] = []  # (leader x, span left, span right, row)
    rows_of: list[tuple[float, str, str, str, str, float, int, str]] = []
    for left_edge, _, x, text, colour, family, style, text_w, ha in sorted(spans, reverse=True):
        lo, hi = left_edge - 4, left_edge + text_w + 4
        tries = range(len(placed) + 1)
        r = next((r for r in tries if not _clashes(placed, x, lo, hi, r, strict=True)), None)
        if r is None:  # no row where no line crosses a label: let a leader cross, never a label
            r = next(r for r in tries if not _clashes(placed, x, lo, hi, r, strict=False))
        placed.append((x, lo, hi, r))
        rows_of.append((x, text, colour, family, style, left_edge if ha == "left" else left_edge + text_w, r, ha))
    n_rows = 1 + max(r for *_, r, _ in rows_of)

    row_h = 14.0
    axis_y = 18 + row_h * n_rows + 16
    tick_y = axis_y + 16
    mark_y = tick_y + 15

    # the lifetime and the warning, under the ticks: (x, text, colour, text's left edge, anchor, ha, level)
    marked = []
    for t, text, colour in [(end, w("timeline.lifetime", time=w.duration(end)), CLASS_COLOURS["5"][1])] + (
            [(warn, w("timeline.warning", time=w.duration(warn)), CLASS_COLOURS["4"][1])]
            if warn is not None and warn <= span else []):
        x = xpos(t)
        text_w = _text_width(text, 7.5, style="italic")
        if x + text_w / 2 > width - 6:
            left_edge, ha = x - text_w, "right"
        elif x - text_w / 2 < 6:
            left_edge, ha = x, "left"
        else:
            left_edge, ha = x - text_w / 2, "center"
        level = sum(1 for m in marked if left_edge < m[3] + m[6] + 6 and m[3] - 6 < left_edge + text_w)
        marked.append((x, text, colour, left_edge, ha, level, text_w))
    levels = 1 + max(m[5] for m in marked)
    axis_label_y = mark_y + 11 * (levels - 1) + 16
    height = axis_label_y + 8

    # ticks: round durations, as many as fit side by side
    tick_words = [(t, w.duration(t) if t else "0") for t in (0, 60, 300, 600, 1800, 3600, 7200, 4 * 3600, 12 * 3600, 86400,
                                               2 * 86400, 3 * 86400, 5 * 86400, 7 * 86400, 14 * 86400, 30 * 86400,
                                               60 * 86400, 180 * 86400, 365 * 86400) if t <= span]
    ticks = []
    right_edge = -1e9
    for t, text in tick_words:
        x = xpos(t)
        half = _text_width(text, 7.5) / 2
        # no tick where a marked time (the lifetime, the warning) says it already
        beside_mark = any(abs(x - m[0]) < half + 4 for m in marked)
        if x - half > right_edge + 8 and x + half < width - 2 and not beside_mark:
            ticks.append((x, text))
            right_edge = x + half

    def paint(c: _svg.Canvas) -> None:
        # the axis: grey while the message may wait, red past its lifetime
        x_end = xpos(end)
        c.line([x0, min(x_end, x1 + 8)], [axis_y, axis_y], color=RULE, lw=2)
        if x_end < x1 + 8:
            c.line([x_end, x1 + 8], [axis_y, axis_y], color=CLASS_COLOURS["5"][0], lw=2)
        for x, text in ticks:
            c.line([x, x], [axis_y + 3, axis_y + 6], color=MUTED, lw=0.8)
            c.text(x, tick_y, text, size=7.5, color=MUTED, ha="center")
        for x, text, colour, _, ha, level, _ in marked:
            y = mark_y + 11 * level
            c.line([x, x], [axis_y - 7, y - 9], color=colour, lw=1.0, ls=(0, (2, 1.5)))
            c.text(x, y, text, size=7.5, style="italic", color=colour, ha=ha)
        c.text((x0 + x1) / 2, axis_label_y, w("timeline.axis"), size=8, color=INK, ha="center")
        # the gaps between attempts, where there is room between the marks
        for a, b in zip(times, times[1:]):
            xa, xb = xpos(a), xpos(b)
            text = w("timeline.gap", time=w.duration(b - a))
            # text above the axis clears a diamond's sloping top up to about 1 pt from its centre
            if _text_width(text, 6.2) + 2 < xb - xa - 2:
                c.text((xa + xb) / 2, axis_y - 6, text, size=6.2, color=MUTED, ha="center")
        # labels, and one leader per attempt, up to its lowest label
        lowest: dict[float, int] = {}
        for x, *_, r, _ in rows_of:
            lowest[x] = min(r, lowest.get(x, r))
        for x, r in sorted(lowest.items()):
            c.line([x, x], [axis_y - 6, axis_y - 22 - row_h * r + 3], color=RULE, lw=0.7)
        for _x, text, colour, family, style, anchor, r, ha in rows_of:
            y = axis_y - 22 - row_h * r
            weight = "bold" if style == "bold" else "normal"
            c.text(anchor, y, text, size=label_size, family=family, weight=weight,
                   style="italic" if style == "italic" else "normal", color=colour, ha=ha)
        # the attempts, one compound path per kind of mark
        shapes = {"2": "circle", "4": "diamond", "5": "cross", "": "square"}
        for digit, shape in shapes.items():
            xs = [xpos(t) for t, d in zip(times, digits) if d == digit]
            if xs:
                line_colour, text_colour, _ = CLASS_COLOURS.get(digit) or NO_REPLY_COLOURS
                c.marks(shape, xs, axis_y, size=mark_size, fill=line_colour, edge=text_colour)

    outcome_words = w(f"timeline.outcome.{outcome}")
    title = w.count("timeline.title", count, outcome=outcome_words)
    sentences = [w("timeline.desc_intro", lifetime=w.duration(end))]
    for group in groups:
        reply = replies[group[0]]
        said = reply if digits[group[0]] else w("timeline.desc_no_reply", text=reply)
        sentences.append(w.count("timeline.desc_group", len(group), first=group[0] + 1, last=group[-1] + 1,
                                 start=w.duration(times[group[0]]), end=w.duration(times[group[-1]]), reply=said))
    gaps = [b - a for a, b in zip(times, times[1:])]
    if gaps:
        kind = ("same" if min(gaps) == max(gaps) else
                "grow" if all(a <= b for a, b in zip(gaps, gaps[1:])) else "vary")
        sentences.append(w(f"timeline.desc_gaps.{kind}", smallest=w.duration(min(gaps)),
                           largest=w.duration(max(gaps))))
    if warned_at is not None:
        sentences.append(w("timeline.desc_warning", time=w.duration(warn or 0), n=warned_at + 1,
                           at=w.duration(times[warned_at])))
    sentences.append(w(f"timeline.desc_outcome.{outcome}", at=w.duration(last), lifetime=w.duration(end)))
    size_note = f"{count} attempt" + ("" if count == 1 else "s")
    return _draw("retry_timeline", w.lang, width, height, paint, title, " ".join(sentences), size_note)
