"""Log lines and plain replies: each logical line told apart by its framing (syslog, the journal, a product's own
layout) and handed to the reader of its family; a line of no known log is a reply when explain() finds a reply's
code where a reply's stands."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .._records import reply_line
from ._base import _OTHER, _REFUSED, LATIN1_FALLBACK, Record, _Explainer, _Family, _Unrecognised
from ._dovecot import LEVEL_WORDS as _DOVECOT_LEVEL_WORDS
from ._dovecot import LEVELS as _DOVECOT_LEVELS
from ._dovecot import _Dovecot
from ._mta_lines import _EXIM, _EXIM_LINE, _EXIM_REFUSAL, _HARAKA_STDOUT, _KERIO, _MtaLines
from ._sessions import _MDAEMON_MARKS, _SWAKS, _SWAKS_SENT, _Transcripts
from ._tracking import TRACE_HEADS, _Tracking
from ._zimbra import _Zimbra

# A multi-line reply, or a line with its folded continuation, longer than this is cut into records.
MAX_LINES_PER_RECORD = 200


# syslog (RFC 3164's "Mmm dd hh:mm:ss", with journalctl's microseconds in its short-precise output, or rsyslog's ISO
# time; a priority "<22>" before it when the line was read off the wire), then the host and the program
# (journalctl's formats too: "short" is RFC 3164's time, "short-iso" and "short-precise" the ISO and the fractional
# forms; "short-full" writes "Tue 2024-03-05 10:12:01 +07", "short-unix" seconds since the epoch, "short-monotonic"
# seconds since boot in brackets); journalctl writes the month as the locale names it, and under vi_VN that is
# "thg 3" or "Thg 03" (rsyslog writes RFC 3164's English month whatever the locale)
_TIME = (r"(?:[A-Z][a-z]{2}|[Tt]hg ?[0-9]{1,2}) [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
         r"|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
         r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
         r" (?:[A-Z]{2,5}|[+-][0-9]{2}(?::?[0-9]{2})?)"
         r"|[0-9]{9,11}\.[0-9]{6}|\[ *[0-9]+\.[0-9]{6}\]")
_SYSLOG = re.compile(
    r"(?:<[0-9]{1,3}>)?(?P<time>" + _TIME + r")"
    r" (?P<host>\S+) (?P<prog>[^\s\[:]+)(?:\[[0-9]+\])?: (?P<msg>.*)", re.ASCII)
# journalctl -o verbose: an entry is its time and cursor ("Tue 2024-03-05 10:12:01.123456 +07 [s=...]"), then one
# indented FIELD=value line per field
_VERBOSE_HEAD = re.compile(r"(?P<time>" + _TIME + r") \[s=[0-9a-f]+;[^\]\n]*\]\n", re.ASCII)
_VERBOSE_FIELD = re.compile(r"^[ \t]+(?P<key>[A-Z_][A-Z0-9_]*)=(?P<value>.*)$", re.ASCII | re.MULTILINE)
# journalctl -o cat: the message alone, no time, host or program; a Postfix line is known by its queue id and fields
_POSTFIX_BARE = re.compile(r"(?:[0-9A-F]{6,12}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,20}|NOQUEUE): (?:to=<|from=<|"
                           r"reject: |milter-reject: |removed$|client=|message-id=|sender non-delivery notification|"
                           r"warning: )", re.ASCII)
# RFC 5424's own format: "<22>1 2024-03-03T12:00:00.000Z mx1 postfix/smtp 4101 - - message", the structured data
# ("-", or "[...]" elements) before the message
_SYSLOG_5424 = re.compile(
    r"<[0-9]{1,3}>[0-9]{1,2} (?P<time>\S+) (?P<host>\S+) (?P<prog>\S+) \S+ \S+ (?:-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?P<msg>.*)",
    re.ASCII)


def _journal_entry(line: str) -> tuple[str, str, str | None, str | None] | None:
    """The program, message, time and host of a line of ``journalctl -o json``; None when the line is not one."""
    import json
    from datetime import datetime, timezone

    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    message = entry.get("MESSAGE")
    if isinstance(message, list) and all(isinstance(b, int) and 0 <= b < 256 for b in message):
        # the journal keeps text that is no UTF-8 as its bytes: read as a log file's are (_base._latin1)
        message = bytes(message).decode("utf-8", LATIN1_FALLBACK)
    if not isinstance(message, str):
        return None
    prog = entry.get("SYSLOG_IDENTIFIER") or entry.get("_COMM") or ""
    when = None
    stamp = entry.get("__REALTIME_TIMESTAMP")
    if isinstance(stamp, str) and stamp.isdigit():  # microseconds since the epoch, UTC
        when = datetime.fromtimestamp(int(stamp) / 1e6, tz=timezone.utc).isoformat(timespec="microseconds")
    host = entry.get("_HOSTNAME")
    return str(prog), message, when, host if isinstance(host, str) else None


# replies that are a step of the dialogue, never what became of a message: system status and help (211, 214), the
# greeting and the goodbye (220, 221: but "221 Too many bad commands" says why a session ended), a login taken (235),
# and every intermediate reply (3xx: "354 End data with", AUTH's "334"). ("250 2.1.5 Ok" is a recipient taken, or an
# LMTP server's delivery: no step.)
_STEP = re.compile(r"21[14]|22[01]|235|3[0-9][0-9]")
# ... and, at a line's start, a sender taken ("250 2.1.0 Ok") or a recipient taken in so many words ("250 2.1.5 Ok",
# "250 2.1.5 Recipient ok"; an LMTP server's delivery says more, Cyrus's "250 2.1.5 Ok SESSIONID=<...>"), and EHLO's
# answer: lines after its first that are service extensions ("250-PIPELINING", "250-SIZE 52428800", "250 CHUNKING"),
# one of them at least a known one
_TAKEN = re.compile(r"250[ -]2\.1\.0\b|250[ -]2\.1\.5 (?:<[^<>\s]*>(?:\.\.\.)? )?(?:Ok|OK|ok|Recipient ok|Recipient OK)"
                    r"\.?[ \t]*$")
_EHLO_LINE = re.compile(r"250[ -][A-Z0-9][A-Z0-9-]*(?:[ =][^\n]*)?$")
_EXTENSION = re.compile(r"250[ -](?:PIPELINING|SIZE|STARTTLS|AUTH|ENHANCEDSTATUSCODES|8BITMIME|DSN|SMTPUTF8|CHUNKING|"
                        r"BINARYMIME|HELP|VRFY|ETRN|DELIVERBY|REQUIRETLS|LIMITS|XCLIENT|XFORWARD|X-EXPS|MTRK|ATRN)\b")


def _on_host(found: Any, host: str | None) -> Any:
    """``found``, its records marked with the syslog host that logged them (or the journal's _HOSTNAME), their
    ``host``: a message's identity in the summary's outcomes is its queue ID on that host too, since a central syslog
    server's log holds several MTAs, and a short Postfix queue ID of one can be another's."""
    if host is not None:
        if found.__class__ is Record:
            object.__setattr__(found, "host", host)
        elif found.__class__ is list:
            for r in found:
                if r.__class__ is Record:
                    object.__setattr__(r, "host", host)
    return found


class _LineReader(_Family):
    """Log lines and plain replies: one line (with its folded continuation, or one multi-line reply) at a time."""

    def __init__(self, explainer: _Explainer, problem: Any = None):
        super().__init__(explainer)
        self.mta = _MtaLines(explainer)
        self.sessions = _Transcripts(explainer)
        self.tracking = _Tracking(explainer, problem)
        self.dovecot = _Dovecot(explainer)
        self.zimbra = _Zimbra(explainer)

    def read(self, lines: Iterable[str], source: str) -> Iterator[Any]:
        """Yield a Record, an _Unrecognised or _OTHER for each logical line of ``lines``."""
        group: list[str] = []  # the physical lines of the logical line being read
        start = 0
        reply_code = None  # the code of a multi-line reply still open
        number = 0
        for number, raw in enumerate(lines, 1):
            line = raw.rstrip("\r\n")
            if group:
                if line[:1] in (" ", "\t") and line.strip() and len(group) < MAX_LINES_PER_RECORD and \
                        not line.startswith(_SWAKS_SENT):
                    group.append(line)  # a folded continuation of the line before (not a command swaks sent)
                    continue
                if reply_code is not None and line[:3] == reply_code and len(group) < MAX_LINES_PER_RECORD:
                    m = reply_line(line)
                    if m:  # a further line of the same reply
                        group.append(line)
                        reply_code = reply_code if m.group("more") else None
                        continue
                yield from self._events("\n".join(group) if len(group) > 1 else group[0], source, start)
                group = []
                reply_code = None
            if not line.strip():
                continue
            group = [line]
            start = number
            # only a reply that more lines follow opens a group, and its code has a "-" after it (_records.MORE): most
            # log lines have no "-", and are not searched for a reply
            m = reply_line(line) if "-" in line else None
            reply_code = m.group("code") if m and m.group("more") else None
        if group:
            yield from self._events("\n".join(group) if len(group) > 1 else group[0], source, start)
        yield from self.dovecot.end(source)  # the failures a next line would have told of
        yield from self.zimbra.end(source)

    def _events(self, text: str, source: str, number: int) -> Iterator[Any]:
        """What one logical line reports: most lines one event, a Sendmail line one record per recipient."""
        found = self._one(text, source, number)
        if isinstance(found, list):
            yield from found
        else:
            yield found

    def _one(self, text: str, source: str, number: int) -> Any:
        first = text[:1]
        if source in self.tracking.columns or first in "#\"\ufeff" or number <= 2 or \
                first in "Ro" and text.startswith(TRACE_HEADS):
            # a tracking file's row, or its header: quoted, after a byte order mark or a "#TYPE" line, or first
            found = self.tracking.row(text, source, number)
            if found is not None:
                return found
        if first == '"' or source in self.sessions.mdaemon or "MDaemon" in text[:40] or (
                ": " in text[20:32] and any(mark in text for mark in _MDAEMON_MARKS)):
            found = self.sessions.line(text, source, number)
            if found is not None:
                return found
        elif first in "<= " and _SWAKS.match(text):
            return self.sessions.swaks(text, source, number)
        if first == "[":
            k = _KERIO.match(text)
            if k and (k.group("result") or k.group("verdict") or k.group("other").startswith(("Recv: Queue-ID:",
                                                                                                  "SMTP "))):
                return self.mta.kerio(k, source, number)
        elif "] [" in text[20:40]:
            h = _HARAKA_STDOUT.match(text)
            if h:
                return self.mta.haraka(h.group("msg"), h.group("time"), source, number)
        m = _SYSLOG.match(text) or _SYSLOG_5424.match(text)
        if m:
            prog, msg, when = m.group("prog", "msg", "time")
            if prog in _DOVECOT_LEVEL_WORDS or msg.startswith(_DOVECOT_LEVELS):
                # Dovecot's own log with its default time ("Mar 12 09:00:01 lmtp(a@x)<1><s>: Info: ..."), whose
                # prefix has a syslog host's place and its level a program's (or, for Dovecot 2.2's "lmtp(1, a@x):",
                # the user a program's and the level the message's start)
                found = self.dovecot.line(text, source, number)
                if found is not None:
                    return found
            return _on_host(self.mta.syslog(prog, msg, when, text, source, number, m.group("host")), m.group("host"))
        if text.startswith("{") and '"MESSAGE"' in text:
            entry = _journal_entry(text)
            if entry is not None:
                prog, message, when, host = entry
                return _on_host(self.mta.syslog(prog, message, when, text, source, number, host), host)
        if "\n" in text and "[s=" in text:
            m = _VERBOSE_HEAD.match(text)
            if m:
                fields = {f.group("key"): f.group("value") for f in _VERBOSE_FIELD.finditer(text, m.end())}
                if "MESSAGE" in fields:
                    prog = fields.get("SYSLOG_IDENTIFIER") or fields.get("_COMM") or ""
                    return _on_host(self.mta.syslog(prog, fields["MESSAGE"], m.group("time"), text, source, number,
                                                    fields.get("_HOSTNAME")), fields.get("_HOSTNAME"))
        if _POSTFIX_BARE.match(text):  # journalctl -o cat of Postfix's unit
            return self.mta.syslog("postfix", text, None, text, source, number)
        m = _EXIM.match(text)
        if m and m.group("time"):
            return self.mta.exim(m, text, source, number, m.group("time"))
        if " rejected " in text and _EXIM_LINE.match(text) and _EXIM_REFUSAL.search(text):
            return _REFUSED  # Exim's refusal of mail coming in, before any message id: "... H=... rejected RCPT <...>"
        if source in self.zimbra.files or text[19:20] in ",." and text[4:5] == "-" or \
                text[20:21] in ",." and text[2:3] == " ":
            # log4j's time: "2024-03-12 09:15:02,962 INFO  [...", "12 Mar 2024 09:15:02,962 INFO  [..."
            found = self.zimbra.line(text, source, number)
            if found is not None:
                return found
        at = text.find(": ", 19, 200)  # Dovecot's own log with an ISO time: its level after the service's prefix
        if at > 0 and text.startswith(_DOVECOT_LEVELS, at + 2):
            found = self.dovecot.line(text, source, number)
            if found is not None:
                return found
        # a plain line is a reply when explain() finds a reply code or an enhanced code in it, and the line is a
        # reply's: it starts with its code ("550 5.1.1 ...", "250 OK"), pairs a reply code with an enhanced code
        # ("... said: 550 5.1.1 ..."), or its words speak of mail. A number that only has a code's shape in
        # another program's log ('"GET / HTTP/1.1" 404 153', "install xz-utils 5.4.1-1") is not one.
        explained = self.explain(text)
        if explained[0] is None and explained[1] is None or not self.explain.is_reply(text, explained[0]):
            return _Unrecognised(source, number, text)
        if _STEP.fullmatch(explained[0] or "") and (explained[0] != "221" or explained[2] == "delivered") or \
                _TAKEN.match(text) or "\n" in text and all(_EHLO_LINE.match(line) for line in text.split("\n")[1:]) \
                and any(_EXTENSION.match(line) for line in text.split("\n")[1:]):
            return _OTHER  # a step of the dialogue (a greeting, "354 End data with", a goodbye that names no failure)
        return self._record(source, number, "reply", None, None, None, None, text, None, explained)
