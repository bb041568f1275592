"""A strict parser for SMTP replies (RFC 5321 §4.2, RFC 2034, RFC 3463).

No sockets and no guessing: give it the text of one complete reply, get a
:class:`Reply` or a :class:`ReplyParseError` that names the line and the fault.
For the text people paste from bounces and logs, use :func:`smtpteach.explain`.

Grammar (RFC 5321 §4.2)::

    Greeting / Reply-line = *( Reply-code "-" [ textstring ] CRLF )
                            Reply-code [ SP textstring ] CRLF
    Reply-code            = %x32-35 %x30-35 %x30-39

and, with ENHANCEDSTATUSCODES (RFC 2034 §4), each line's text starts with
``status-code SP`` where status-code = class "." subject "." detail (RFC 3463 §2):
the same code on every line of a reply, its class the reply code's (RFC 2034 §4),
each number written without leading zero digits (RFC 3463 §2, so never 5.01.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._codes import EnhancedStatusCode, ReplyCode
from ._errors import InvalidTypeError, ReplyParseError

__all__ = ["Reply", "parse_reply"]

# RFC 5321 §4.2: three digits, the first 2-5 and the second 0-5, then SP or "-".
_LINE_RE = re.compile(r"(?P<code>[0-9]{3})(?:(?P<sep>[ -])(?P<text>.*))?")
_ENHANCED_RE = re.compile(r"(?P<cls>[245])\.(?P<sub>[0-9]{1,3})\.(?P<det>[0-9]{1,3})(?= |$)")
_HTTP_RE = re.compile(r"HTTP/[0-9.]+ [0-9]{3}")
# RFC 5321 §4.2: textstring = 1*(%d09 / %d32-126); SMTPUTF8 (RFC 6531) adds UTF-8
# text, never control characters. A byte order mark is refused by name.
# (C0 and C1 controls, DEL, the line and paragraph separators, a byte order mark: none is printable text)
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


@dataclass(frozen=True)
class Reply:
    """One complete SMTP reply.

    ``lines`` are the raw lines without line endings; ``text`` is the text of
    every line joined with newlines, with the enhanced code taken off each line.
    """

    code: ReplyCode
    enhanced: EnhancedStatusCode | None
    lines: tuple[str, ...]
    text: str

    @property
    def is_multiline(self) -> bool:
        return len(self.lines) > 1

    def __repr__(self) -> str:
        enhanced = f" {self.enhanced}" if self.enhanced else ""
        more = f", {len(self.lines)} lines" if len(self.lines) > 1 else ""
        return f"Reply({self.code}{enhanced}{more})"


# What breaks RFC 5321 §4.2's grammar, in English; ui.yaml's "errors" words each in every language (ReplyParseError.text)
_MESSAGES = {
    "more_digits": "{found} has more than three digits; a reply code has exactly three",
    "first_digit": "{code} starts with {digit}; SMTP reply codes start with 2, 3, 4 or 5",
    "second_digit": "{code}'s second digit {digit} is outside RFC 5321's 0 to 5 (servers do send such non-standard "
                    "codes; explain() accepts them)",
    "not_utf8": "the bytes are not UTF-8 ({reason} at byte {start})",
    "not_text": "expected the text of a reply, got {type}",
    "empty": "empty input: a reply needs at least one line with a three-digit code",
    "bare_cr": "a bare CR inside a line; lines end with CRLF or LF",
    "byte_order_mark": "a byte order mark (U+FEFF) at column {column}; reply text is printable characters and tabs "
                       "(RFC 5321 §4.2)",
    "control": "the control character U+{char} at column {column}; reply text is printable characters and tabs "
               "(RFC 5321 §4.2)",
    "http": "this is an HTTP status line, not an SMTP reply",
    "empty_line": "empty line; every line of a reply starts with its code",
    "after_code": "after the code {code} comes {char}; expected a space, '-' or the end of the line",
    "no_code": "expected a three-digit reply code at the start, found {found}",
    "code_differs": "code {code} differs from {first} on line 1; every line of a multi-line reply carries the same code",
    "input_ends": "'{code}-' says more lines follow, but the input ends; the final line is '{code} text' or '{code}'",
    "ends_here": "'{code}{sep}' ends the reply here, but line {next} follows: two replies run together?",
    "class_mismatch": "enhanced code {found} has class {found_class} but the reply code is {code} (RFC 2034 §4: the "
                      "classes must agree)",
    "leading_zero": "enhanced code {found} writes a number with a leading 0, which RFC 3463 §2 forbids ({plain})",
    "enhanced_differs": "enhanced code {found} differs from {first} on line 1; RFC 2034 §4: every line of a multi-line "
                        "reply starts with the same enhanced code",
    "enhanced_missing": "no enhanced code, but line 1 starts with {first}; RFC 2034 §4: every line of a multi-line "
                        "reply starts with the same enhanced code",
    "enhanced_extra": "enhanced code {found}, but line 1 has none; RFC 2034 §4: every line of a multi-line reply "
                      "starts with the same enhanced code",
}


def _fail(key: str, line: int, **values: Any) -> ReplyParseError:
    from ._templates import fill

    values = {k: str(v) for k, v in values.items()}
    where = f"line {line}: " if line else ""
    return ReplyParseError(f"{where}{fill(_MESSAGES[key], values)}", line=line, key=key, values=values)


def _check_code(code: str, raw: str, n: int) -> None:
    if len(raw) > 3 and raw[:4].isascii() and raw[:4].isdigit():
        raise _fail("more_digits", n, found=repr(raw.split()[0][:12]))
    if code[0] not in "2345":
        raise _fail("first_digit", n, code=code, digit=code[0])
    if code[1] not in "012345":
        raise _fail("second_digit", n, code=code, digit=code[1])


def parse_reply(text: str) -> Reply:
    """Parse one complete reply, single-line or multi-line.

    An enhanced code must follow RFC 2034 §4 and RFC 3463 §2: its class is the reply
    code's, every line of the reply starts with the same one, and no number in it has
    a leading zero (``EnhancedStatusCode`` and :func:`smtpteach.explain` read "5.01.1"
    as 5.1.1; this parser refuses it).

    >>> parse_reply("550 5.1.1 No such user")
    Reply(550 5.1.1)
    >>> r = parse_reply("250-mx.example.org\\r\\n250-SIZE 10240000\\r\\n250 HELP\\r\\n")
    >>> r.code.code, r.lines[-1], r.is_multiline
    ('250', '250 HELP', True)
    >>> parse_reply("250-first\\n251 second")
    Traceback (most recent call last):
    ...
    smtpteach._errors.ReplyParseError: line 2: code 251 differs from 250 on line 1; every line of a multi-line reply carries the same code
    >>> parse_reply(None)
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidTypeError: expected the text of a reply, got NoneType
    >>> parse_reply("550 5.01.1 No such user")
    Traceback (most recent call last):
    ...
    smtpteach._errors.ReplyParseError: line 1: enhanced code 5.01.1 writes a number with a leading 0, which RFC 3463 §2 forbids (5.1.1)
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail("not_utf8", 0, reason=exc.reason, start=exc.start) from None
    if not isinstance(text, str):  # a wrong type, as explain() says it, worded as the grammar's other errors are
        from ._templates import fill

        said = {"type": type(text).__name__}
        raise InvalidTypeError(fill(_MESSAGES["not_text"], said), key="not_text", values=said)
    if not text.strip():
        raise _fail("empty", 0)
    body = text[:-1] if text.endswith("\n") else text  # each line's own CR goes below
    lines = body.split("\n")
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    first_code = ""
    texts: list[str] = []
    enhanced: EnhancedStatusCode | None = None
    for n, line in enumerate(lines, start=1):
        if "\r" in line:
            raise _fail("bare_cr", n)
        bad = _CONTROL_RE.search(line)
        if bad:
            if bad.group() == "\ufeff":
                raise _fail("byte_order_mark", n, column=bad.start() + 1)
            raise _fail("control", n, char=f"{ord(bad.group()):04X}", column=bad.start() + 1)
        m = _LINE_RE.fullmatch(line)
        if m is None:
            if _HTTP_RE.match(line):
                raise _fail("http", n)
            if not line:
                raise _fail("empty_line", n)
            if len(line) > 3 and line[:3].isascii() and line[:3].isdigit():
                _check_code(line[:3], line, n)
                raise _fail("after_code", n, code=line[:3], char=repr(line[3]))
            raise _fail("no_code", n, found=repr(line[:12]))
        code, sep, rest = m.group("code"), m.group("sep"), m.group("text") or ""
        _check_code(code, line, n)
        if not first_code:
            first_code = code
        elif code != first_code:
            raise _fail("code_differs", n, code=code, first=first_code)
        last = n == len(lines)
        if sep == "-" and last:
            raise _fail("input_ends", n, code=code)
        if sep != "-" and not last:
            raise _fail("ends_here", n, code=code, sep=sep or "", next=n + 1)
        e = _ENHANCED_RE.match(rest)
        found = None
        if e:
            found = EnhancedStatusCode(e.group(0))
            if any(len(part) > 1 and part[0] == "0" for part in (e.group("sub"), e.group("det"))):
                raise _fail("leading_zero", n, found=e.group(0), plain=found)
            if str(found.status_class) != code[0]:
                raise _fail("class_mismatch", n, found=found, found_class=found.status_class, code=code)
            rest = rest[e.end():].lstrip(" ")
        # RFC 2034 §4: "the same status code must appear at the beginning of the text in each line of the response"
        if n == 1:
            enhanced = found
        elif found != enhanced:
            if enhanced is None:
                raise _fail("enhanced_extra", n, found=found)
            if found is None:
                raise _fail("enhanced_missing", n, first=enhanced)
            raise _fail("enhanced_differs", n, found=found, first=enhanced)
        texts.append(rest)
    return Reply(ReplyCode(first_code), enhanced, tuple(lines), "\n".join(texts))
