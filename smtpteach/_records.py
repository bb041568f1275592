"""Where one record ends: :func:`smtpteach.explain` reads one, never several at once.

A pasted text may hold one reply over several lines (``550-...`` then
``550 ...``, RFC 5321 §4.2.1), a log line with its folded continuation, or a
DSN's recipient block with a folded ``Diagnostic-Code`` (RFC 5322 §2.2.3): each
is one record. Two log lines that each report a delivery attempt, two replies,
or two recipient blocks of a DSN (RFC 3464 §2.3) are several, and explaining
them as one would mix the code of one with the words of the other.

The rules are data (``records`` in ``data/reasons.yaml``), and the browser
applies the same ones (``secondRecord`` in ``static/core.js``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ._errors import MixedRecordsError

__all__ = ["reply_line", "second_record", "check_one_record", "text_encoding", "is_whole_message",
           "mixed_records"]

# what follows a reply's code when more lines of it follow ("550-5.1.1 ...", RFC 5321 §4.2.1): records.reply's and
# records.quoted's "more" group
MORE = "(?P<more>-)"
# a header field's name and its colon (RFC 5322 §3.6.8: printable characters but the colon)
_FIELD_NAME = re.compile(r"[!-9;-~]+:")


class _RecordRules:
    def __init__(self, data: dict[str, Any]):
        a = re.ASCII
        self.log = re.compile(data["log"], a)
        self.reply = re.compile(data["reply"], a)
        self.quoted = re.compile(data["quoted"], a)
        # triage looks for a reply that more lines continue only in a line that holds the mark of one (_LineReader.read)
        if any(MORE not in data[key] for key in ("reply", "quoted")):
            raise ValueError(f"reasons.yaml: records.reply and records.quoted write a reply's 'more' group as {MORE!r}, "
                             "the only mark triage looks for")
        self.quoted_marks: tuple[str, ...] = tuple(data["quoted_marks"])
        self.dsn = re.compile(data["dsn"], a)
        self.bounce = re.compile(data["bounce"], a)
        self.error: str = data["error"]
        self.kinds: dict[str, str] = dict(data["kinds"])
        self.message_fields = frozenset(data["message_fields"])


@cache
def _rules() -> _RecordRules:
    from ._explain import rules_data  # data/reasons.yaml, read once for the reason rules and these

    return _RecordRules(rules_data()[0]["records"])


def text_encoding(first: bytes) -> str:
    r"""The encoding of a text of records by its first bytes: UTF-8, also after a byte order mark (which is not
    text: "utf-8-sig" drops it), or UTF-16 when a byte order mark says so, as Windows tools write a log or a reply
    they save. triage reads files so, and the command line its standard input.

    >>> [text_encoding(b) for b in (b"550 5.1.1", b"\xef\xbb\xbf550", b"\xff\xfe5\x00")]
    ['utf-8', 'utf-8-sig', 'utf-16']
    """
    if first[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    return "utf-8-sig" if first[:3] == b"\xef\xbb\xbf" else "utf-8"


def reply_line(line: str) -> re.Match[str] | None:
    """A reply line at the start of ``line``, or a reply that the line quotes after "said:" or after Exim's
    "SMTP error from remote mail server after ...:": its ``code``, and ``more`` ("-") when more lines of
    the same reply follow (RFC 5321 §4.2.1); None when the line is no reply line.

    >>> reply_line("550-5.1.1 no such").group("code", "more")
    ('550', '-')
    >>> reply_line("host mx.example.org[192.0.2.1] said: 452 4.2.2 full").group("code")
    '452'
    >>> reply_line("5501 is no code") is None
    True
    """
    r = _rules()
    m = r.reply.match(line)
    if m is None:
        # searched from the first mark on: most lines have none, and the search is short (a loop, where a list of
        # the marks' places cost twice as much on a log's every line)
        at = -1
        for mark in r.quoted_marks:
            found = line.find(mark)
            if found >= 0 and (found < at or at < 0):
                at = found
        if at >= 0:
            m = r.quoted.search(line, at)
    return m


def second_record(text: str) -> tuple[int, str] | None:
    """Where a second record starts in ``text``, as (1-based line, kind), or None for one record.

    >>> second_record("550-5.1.1 no such\\n550 5.1.1 user")
    >>> second_record("550 5.1.1 no such user\\n452 4.2.2 mailbox full")
    (2, 'reply')
    """
    if "\n" not in text:
        return None
    r = _rules()
    log_seen = False
    replies = 0
    open_code = None  # the code of a reply whose last line has not come yet
    fields: set[str] = set()
    addresses = 0  # the failed addresses of a bounce in plain text
    for number, line in enumerate(text.split("\n"), 1):
        if r.bounce.match(line):
            if addresses:
                return number, "bounce"
            addresses = 1
            continue
        if not line or line[0] in " \t":  # a blank or folded line continues what came before
            continue
        if r.log.search(line):
            if log_seen:
                return number, "log"
            log_seen = True
            continue
        m = reply_line(line)
        if m:
            code = m.group("code")
            if code != open_code:  # not a further line of the reply before: a new reply
                if replies:
                    return number, "reply"
                replies = 1
            open_code = code if m.group("more") else None
            continue
        m = r.dsn.match(line.lower())
        if m:
            field = m.group("field")
            if field in fields:
                return number, "dsn"
            fields.add(field)
    return None


def check_one_record(text: str) -> None:
    """Raise :class:`MixedRecordsError` when ``text`` holds more than one record.

    >>> check_one_record("Final-Recipient: rfc822; a@example.org\\nStatus: 5.1.1\\n\\nFinal-Recipient: rfc822; b@example.org")
    Traceback (most recent call last):
    ...
    smtpteach._errors.MixedRecordsError: the text holds more than one record: a second DSN recipient block starts on line 4. \
explain() reads one record; explain them one at a time, or read them all with triage (smtpteach triage FILE, or \
smtpteach.triage() in Python)
    """
    found = second_record(text)
    if found:
        raise mixed_records(*found)


def mixed_records(line: int, kind: str) -> MixedRecordsError:
    """The error for a text whose second record, a ``kind``, starts on ``line`` (1-based)."""
    r = _rules()
    return MixedRecordsError(r.error.format(kind=r.kinds[kind], line=line), line=line, kind=kind)


def is_whole_message(text: str) -> bool:
    r"""Whether ``text`` is a whole message as it is stored: header fields from its first line (an mbox's "From "
    line may come first), two or more of ``message_fields`` in ``data/reasons.yaml`` among them, then an empty line
    and a body. Its lines may end in LF, CR LF or a bare CR (an old Mac's file, which triage reads as a message too).

    >>> is_whole_message("Return-Path: <>\nFrom: MAILER-DAEMON@example.org\nSubject: failure notice\n\nHi.")
    True
    >>> is_whole_message("Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n\nmore")
    False
    """
    head, sep, body = text.replace("\r\n", "\n").replace("\r", "\n").partition("\n\n")
    if not sep or not body.strip(" \t\n\r\f\v"):  # ASCII's blanks: JavaScript's trim() and str.strip() differ past them
        return False
    lines = head.split("\n")
    if lines[0].startswith("From "):
        lines = lines[1:]
    names: set[str] = set()
    for line in lines:
        if line[:1] in (" ", "\t") and names:
            continue  # a folded field goes on
        m = _FIELD_NAME.match(line)
        if not m:
            return False
        names.add(m.group()[:-1].lower())
    return len(names & _rules().message_fields) >= 2
