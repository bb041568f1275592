"""Triage: a whole mail log, or a folder of bounce messages, one delivery attempt at a time.

:func:`triage` reads, and recognises without being told:

- Postfix, Exim and Sendmail log lines that report a delivery attempt (delivered,
  deferred, bounced), in the syslog format (RFC 3164's, RFC 5424's, journalctl's) or Exim's own main log; Postfix's expiry of a
  message, one record for each recipient whose last attempt was a deferral;
- Haraka's outbound queue, Kerio Connect's mail and warning logs, Exchange's message tracking (its log or a CSV
  export of it);
- the session transcripts of MDaemon's and hMailServer's logs: the replies to RCPT TO, to the message's end, and
  the failures before them, each for its recipients (their inbound sessions are mail coming in, no attempt);
- bounce messages: delivery status notifications (RFC 3464, a ``multipart/report``
  with a ``message/delivery-status`` part, or RFC 6533's ``message/global-delivery-status``
  for addresses in UTF-8; base64 or quoted-printable too), one record per recipient block, as
  single ``.eml`` files, a Maildir (``cur/`` and ``new/``), an mbox, or a folder of
  message files;
- plain files with one reply per line (a multi-line reply, ``550-...`` then
  ``550 ...``, is one record, and so is a line with its folded continuation); a line
  is a reply when its code stands where a reply's does, or when its words speak of
  mail, so that an HTTP status or a version number in another program's log is not
  taken for one;
- any of these gzip-compressed (known by the magic bytes, whatever the name).

Each record is explained by :func:`smtpteach.explain`. Reading is a generator
pipeline: a file is never read whole, and the summary keeps counters only, so
memory stays flat whatever the size of the input.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.parser
import email.policy
import io
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ._errors import InvalidArgumentError, InvalidTypeError, MixedRecordsError
from ._records import reply_line, text_encoding

__all__ = ["Record", "Summary", "Triage", "triage", "KINDS", "STATUSES"]

KINDS = ("postfix", "exim", "sendmail", "qmail", "opensmtpd", "courier", "haraka", "kerio", "exchange", "mdaemon",
         "hmailserver", "dsn", "bounce", "reply")
# what happened to the attempt, as the source says it (a reply alone says it by its class)
STATUSES = ("delivered", "deferred", "bounced", "expired", "relayed", "expanded", "discarded", "unknown")

# An input file larger than this gets a progress bar, when standard error is a terminal.
PROGRESS_BYTES = 4 * 1024 * 1024
# Each failing reason keeps exact counts for at most this many receiving domains; attempts to
# further domains are counted together under "other domains" (so the totals stay exact).
DOMAINS_PER_REASON = 10_000
# A multi-line reply, or a line with its folded continuation, longer than this is cut into records.
MAX_LINES_PER_RECORD = 200
# A line longer than this many characters is read up to here, and the rest of it skipped (a file with no line break
# is no log, and is never held whole in memory).
MAX_LINE_CHARS = 1 << 20


@dataclass(frozen=True)
class Record:
    """One delivery attempt: where it was read, what the source says of it, and what
    :func:`smtpteach.explain` says of its reply.

    ``source`` is the file (``-`` for standard input or lines given in Python);
    ``line`` is the line number in it, or for a mailbox the message's number;
    ``kind`` is one of ``postfix``, ``exim``, ``sendmail``, ``qmail``, ``opensmtpd``, ``courier``, ``haraka``,
    ``kerio`` (a line of that MTA's log), ``exchange`` (a row of Exchange's message tracking log), ``mdaemon``, ``hmailserver`` (a reply in the session transcript of that
    server's log), ``dsn``,
    ``bounce`` (a bounce in plain text, with no delivery status part), ``reply``;
    ``time``, ``queue_id``, ``recipient`` and ``domain`` (the recipient's domain, or
    the relay when there is no recipient) are as the source gives them, or None;
    ``basic``, ``enhanced``, ``reason``, ``permanent``, ``retry``, ``actor`` and ``note`` are the
    values of :meth:`smtpteach.Explanation.as_dict` (``note`` names a family said in its own words within its
    reason, such as greylisting within blocked, or is None); ``status`` is one of
    :data:`STATUSES`; ``text`` is the text that was explained.
    """

    source: str
    line: int
    kind: str
    time: str | None
    queue_id: str | None
    recipient: str | None
    domain: str | None
    basic: str | None
    enhanced: str | None
    reason: str
    permanent: bool | None
    retry: str
    actor: str
    note: str | None
    status: str
    text: str

    def as_dict(self) -> dict[str, Any]:
        """The record as a plain dict, in field order (for JSON and CSV).

        >>> next(iter(triage(["550 5.1.1 no such user"]))).as_dict()["reason"]
        'userunknown'
        """
        return {name: getattr(self, name) for name in FIELDS}


FIELDS = tuple(f.name for f in fields(Record))


@dataclass(frozen=True)
class _Unrecognised:
    source: str
    line: int
    text: str


@dataclass(frozen=True)
class _Problem:
    source: str
    message: str  # in English
    key: str = ""  # the problem's wording in the UI files (triage.problem), and the values it is filled with
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str, catalogue: Any) -> str:
        """The message in ``lang``: the UI files' wording of the problem, its file kind said in that language too."""
        if not self.key:
            return self.message
        return _problem_text(catalogue.ui(lang=lang)["triage"], self.key, dict(self.values))


@dataclass(frozen=True)
class _Other:
    """A log line of a known mail program that reports no delivery attempt (a connection, a queue entry)."""


_OTHER = _Other()


@dataclass(frozen=True)
class _Refused:
    """A log line that says this server refused mail coming in (Postfix's "NOQUEUE: reject:", Exim's "rejected RCPT",
    the 5xx an MDaemon or hMailServer server session answered): no attempt of this server's, counted apart."""


_REFUSED = _Refused()
# where a line of these servers says so
_POSTFIX_REFUSAL = re.compile(r"(?:^|: )(?:NOQUEUE: )?(?:milter-)?reject: ", re.ASCII)
_EXIM_LINE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?: [+-][0-9]{4})? (?:\[[0-9]+\] )?H=",
                        re.ASCII)
_EXIM_REFUSAL = re.compile(r" rejected (?:RCPT|MAIL|after DATA|EHLO|HELO|connection|\(certificate)", re.ASCII)


# -- the readers -------------------------------------------------------------

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
# Where a code stands in a line of a plain file that makes it a reply's whatever its words and whatever the code (a
# server may use any it likes: Courier's 517, Aliyun's 559): a reply line, also after a transcript's mark ("<<< 550",
# "<- 550"), a line that starts with an enhanced code ("5.5.2 bad chars in command"), qmail's and Exchange's "#5.1.1",
# a DSN's "Status: 5.1.1", a log's "dsn=5.1.1", and a reply after "said:" or after a host's address ("[192.0.2.1]: 550")
_REPLY_PLACE = re.compile(
    r"^[ \t]*(?:(?:<<<|<-)[ \t]*)?[2-5][0-9][0-9](?:[ \t-]|$)"
    r"|^[ \t]*[245]\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9]|\.[0-9])"
    r"|#[245]\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9]|\.[0-9])"
    r"|^[ \t]*[Ss]tatus:[ \t]*[245]\.[0-9]{1,3}\.[0-9]"
    r"|(?<![\w-])dsn=[245]\.[0-9]"
    r"|said:[ \t]*[2-5][0-9][0-9](?![0-9])"
    r"|\][ \t]*:[ \t]*[2-5][0-9][0-9](?![0-9])", re.ASCII | re.MULTILINE)
# ... and after a label ("Recv: 550 ...", "SMTPDataError: 554", "Error code: 550"), which other programs' logs write
# too ("Response code: 404", "Status: 500 Internal Server Error"): a reply's when the code is one of SMTP's and is
# not an HTTP status with its phrase
_LABEL_PLACE = re.compile(r"^[ \t]*[A-Za-z][\w .-]{0,30}:[ \t]*[2-5][0-9][0-9](?:[ \t-]|$)", re.ASCII | re.MULTILINE)
# HTTP's reason phrases (RFC 9110 §15) for the codes that SMTP has too: a line with one of these codes and its HTTP
# phrase is an HTTP status ("Status: 500 Internal Server Error", "Error 500: internal server error"); an SMTP server
# that answers 503 means a bad sequence of commands, and says so
_HTTP_PHRASES = {"500": "internal server error", "501": "not implemented", "502": "bad gateway",
                 "503": "service unavailable", "504": "gateway timeout", "505": "http version not supported",
                 "421": "misdirected request", "451": "unavailable for legal reasons"}


# what follows a version number, not an enhanced code: a Debian revision or a build ("-1", "+deb12u1", "~rc1")
_VERSION_AFTER = re.compile(r"[-+~][0-9A-Za-z]", re.ASCII)
# ... or before it: a Debian epoch ("2:2.6.2")
_EPOCH_BEFORE = re.compile(r"[0-9]:$", re.ASCII)
# Postfix and Sendmail: "QUEUEID: to=<...>, ..., status=bounced (...)" / "..., stat=User unknown"
_QUEUE_ID = re.compile(r"(?P<qid>[0-9A-Za-z]+): ", re.ASCII)
_TO = re.compile(r"(?<![\w-])to=<?(?P<to>[^>,\s]*)>?", re.ASCII)
_RELAY = re.compile(r"(?<![\w-])relay=(?P<relay>[^,\s]+)", re.ASCII)
_POSTFIX_STATUS = re.compile(r"(?<![\w.-])status=(?P<status>[A-Za-z]+)", re.ASCII)
_SENDMAIL_STAT = re.compile(r"(?<![\w.-])stat=(?P<stat>[^\s(:,]*)", re.ASCII)
_DSN_FIELD = re.compile(r"(?<![\w-])dsn=(?P<cls>[245])\.", re.ASCII)
# Exim's main log (the Exim specification, "Log files"): the time, an optional [pid], the message id,
# and the flag of a delivery attempt; Exim can also log to syslog, the same text after the program name
_EXIM = re.compile(
    r"(?:(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?: [+-][0-9]{4})?) )?"
    r"(?:\[[0-9]+\] )?"
    r"(?P<id>[0-9A-Za-z]{6}-(?:[0-9A-Za-z]{6}-[0-9A-Za-z]{2}|[0-9A-Za-z]{11}-[0-9A-Za-z]{4})) "
    r"(?P<flag>=>|->|>>|\*>|\*\*|==|<=|Completed|SMTP|[A-Za-z])", re.ASCII)
# ("*>", a delivery that -N suppressed, delivered nothing: no attempt)
_EXIM_STATUS = {"=>": "delivered", "->": "delivered", ">>": "delivered", "**": "bounced", "==": "deferred"}
# the address after the flag, its original in angle brackets, and the colon that ends it when the error
# follows at once ("** eve@example.com: Unrouteable address")
_EXIM_ADDRESS = re.compile(r" (?P<addr>[^\s<]\S*?)(?: <(?P<orig>[^>\s]*)>)?:?(?=\s|$)", re.ASCII)
_EXIM_ORIGINAL = re.compile(r" <([^<>\s]+)>", re.ASCII)
_EXIM_HOST = re.compile(r"(?<![\w-])H=(?P<host>[^\s\[]+)", re.ASCII)
_POSTFIX_STATUSES = {"sent": "delivered"}
# Postfix's relay= of a peer on the host itself ("127.0.0.1[127.0.0.1]:10024", "[::1]:10025", "localhost[...]")
# A content filter's acceptance that drops the message ("250 2.7.0 Ok, discarded, id=28813-01 - spam", amavis's
# answer for spam, a virus or a banned file it quarantines): accepted, and delivered to nobody
_DISCARDED = re.compile(r"\b2[0-9]{2}[ -](?:2\.[0-9]{1,3}\.[0-9]{1,3} )?(?:Ok, |Message )?discarded\b", re.IGNORECASE)
# ... and one that returns it to its sender ("250 2.5.0 Ok, id=02501-01, BOUNCE", amavis's final_*_destiny D_BOUNCE)
_FILTER_BOUNCE = re.compile(r"\b2[0-9]{2} (?:2\.[0-9]{1,3}\.[0-9]{1,3} )?Ok, id=\S+, BOUNCE\b")
_CODES_AHEAD = re.compile(r"[2-5][0-9]{2}[ -](?:[245]\.[0-9]{1,3}\.[0-9]{1,3} )?")
_LOOPBACK_RELAY = re.compile(r"(?:localhost|127\.[0-9.]+|\[?::1\]?)?\[(?:127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|::1)\]",
                             re.ASCII)
# Postfix's address verification (reject_unverified_recipient, reject_unverified_sender): a probe that is not mail,
# logged as "status=deliverable" or "status=undeliverable"; no message moved, so it is no delivery attempt
_POSTFIX_PROBES = ("deliverable", "undeliverable")
# Sendmail's "to=" with several recipients of one attempt, "to=<a@example.org>,<b@example.org>, delay=...": the list
# ends where ", " starts the next field
_SENDMAIL_TO = re.compile(r"(?<![\w-])to=(?P<to>[^\s,]+(?:,[^\s,]+)*),?(?:\s|$)", re.ASCII)
# Exim's "==" line for an address whose retry time has not come ("defer (-53): retry time not reached for any
# host"): a queue run passed it by, and no connection was made
_EXIM_NOT_TRIED = ("retry time not reached",
                   # ... or an address a queue run leaves for later by configuration ("defer (-1): domain matches
                   # queue_smtp_domains"): routed, not tried
                   "matches queue_smtp_domains")
# files that are no log and no message, known by their first bytes: named for what they are
# (each kind is worded in the UI files: triage.file_kinds)
_BINARY_MAGIC = ((b"\x89PNG\r\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"%PDF-", "pdf"),
                 (b"PK\x03\x04", "zip"), (b"\x7fELF", "elf"), *((b"BZh%d1AY&SY" % level, "bzip2") for level in range(1, 10)),
                 (b"\xfd7zXZ\x00", "xz"), (b"(\xb5/\xfd", "zstd"))
_BINARY_KINDS = tuple(magic for magic, _ in _BINARY_MAGIC)
# Postfix's queue manager gives a message up in one line that names no recipient ("QID: from=<...>, status=expired,
# returned to sender"); the recipients it gave up are those whose last attempt, earlier in the log, was a deferral.
# At most this many messages with a deferral still open are remembered (the oldest is forgotten first), so that
# memory stays flat on a log of a queue that never empties.
OPEN_DEFERRALS = 50_000
# Postfix's "QID: removed": the message left the queue (delivered, returned, or deleted by postsuper)
_POSTFIX_REMOVED = re.compile(r"(?P<qid>[0-9A-Za-z]+): removed\s*$", re.ASCII)
# qmail-send (through splogger: "qmail: 1709596805.123456 delivery 42: failure: ..."), OpenSMTPD's "mta delivery" line
# (its result and stat fields) and Courier's courieresmtp ("id=...,from=<...>,addr=<...>: 550 ...")
_QMAIL_DELIVERY = re.compile(r"(?P<start>starting )?delivery (?P<n>[0-9]+): (?:msg [0-9]+ to (?:remote|local) (?P<to>\S+)"
                             r"|(?P<status>success|failure|deferral): ?(?P<text>.*))", re.ASCII)
_QMAIL_STATUSES = {"success": "delivered", "failure": "bounced", "deferral": "deferred"}
_OPENSMTPD = re.compile(r"(?P<id>[0-9a-f]{16}) mta delivery evpid=[0-9a-f]+ from=<[^>]*> to=<(?P<to>[^>]*)>.*?"
                        r'(?: relay="(?P<relay>[^"]*)")?.*? result="(?P<result>[A-Za-z]+)" stat="(?P<stat>[^"]*)"',
                        re.ASCII)
_OPENSMTPD_RESULTS = {"Ok": "delivered", "TempFail": "deferred", "PermFail": "bounced", "Loop": "bounced"}
_COURIER_STATUS = re.compile(r",status: (success|deferred|failure)\b", re.ASCII)
_COURIER = re.compile(r"id=(?P<id>[^,]+),from=<[^>]*>,addr=<(?P<addr>[^>]*)>[,:] ?(?P<text>(?P<code>[2-5][0-9][0-9])?.*)",
                      re.ASCII)
# a Sendmail line whose dsn= is X.4.7, delivery time expired (RFC 3463): the queue gave the message up
_EXPIRED_DSN = re.compile(r"(?<![\w-])dsn=[45]\.4\.7(?![0-9])", re.ASCII)
# the first line of a message file: a header field (RFC 5322 §2.2), or an mbox's "From " line
_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*[ \t]*:")
_MESSAGE_HEADERS = (b"\ncontent-type:", b"\nmime-version:", b"\nreceived:", b"\nreturn-path:", b"\nsubject:",
                    b"\nmessage-id:", b"\ndate:", b"\nfrom:", b"\nto:", b"\ndelivered-to:")
_DSN_ACTIONS = {"failed": "bounced", "delayed": "deferred", "delivered": "delivered", "relayed": "relayed",
                "expanded": "expanded"}


def _column(name: str) -> str:
    """A column's name folded, as Exchange's two forms of its tracking log share it: "EventId", "event-id": "eventid"."""
    return "".join(c for c in name.lower() if c.isalnum())


def _domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1].strip().strip(">").rstrip(".").lower()
    return domain or None


def _relay_host(relay: str | None) -> str | None:
    """The host of Postfix's "relay=mx.example.org[192.0.2.1]:25" or Sendmail's "relay=mx.example.org. [192.0.2.1]"."""
    if not relay or relay == "none":
        return None
    host = relay.split("[", 1)[0].rstrip(".").lower()
    return host or None


class _Explainer:
    """explain() and the machine-readable fields of its answer, in one place."""

    def __init__(self, lang: str, catalogue: Any):
        from ._explain import _load_rules, explain, speaks_of_mail

        self._explain = explain
        self._speaks_of_mail = speaks_of_mail
        self._rules = _load_rules()
        self._lang = lang
        self._catalogue = catalogue

    def is_reply(self, text: str, basic: str | None) -> bool:
        """Whether a plain line in which explain() found a code (``basic``, the reply code, or None when it found
        only an enhanced code) is a reply's (see _LineReader._one)."""
        r = self._rules
        if _REPLY_PLACE.search(text) or r.basic_tiers[0].search(text) or r.smtplib.search(text):
            return True  # where a reply stands, a reply code with its enhanced code, or smtplib's tuple: SMTP's own
        if basic in _HTTP_PHRASES and _HTTP_PHRASES[basic] in text.lower().replace("-", ""):
            return False  # an HTTP status with its phrase ("Error 500: internal server error")
        if basic is not None and _LABEL_PLACE.search(text) and self._catalogue.get(basic) is not None:
            return True  # after a label, a code of SMTP's ("Error code: 550"; not "Response code: 404")
        if basic is None:
            e = r.enhanced.search(text)
            if e and (_VERSION_AFTER.match(text, e.end()) or _EPOCH_BEFORE.match(text, max(e.start() - 2, 0), e.start())):
                return False  # a package's version: "2.5.0-1+deb12u1", "4.0.0+ds-2", "2:2.6.2+samba"
        return self._speaks_of_mail(text, r)

    def __call__(self, text: str) -> tuple[str | None, str | None, str, bool | None, str, str, str | None]:
        try:
            e = self._explain(text, lang=self._lang, catalogue=self._catalogue)
        except MixedRecordsError as exc:
            # a record that triage cut out holds a second one that explain() sees: two replies quoted in one log line,
            # joined by a line break written out as "\n". This record is the first; the text after it is not read.
            from ._explain import with_line_breaks

            lines = with_line_breaks(text, self._rules).split("\n")
            e = self._explain("\n".join(lines[:exc.line - 1]), lang=self._lang, catalogue=self._catalogue)
        # the fields of e.as_dict() (its enhanced code is already written as the registry writes it), without
        # the summary sentence and the evidence, which triage never shows
        return e._basic, e._enhanced, e.reason, e.permanent, e.retry, e.actor, e.note or None


def _journal_entry(line: str) -> tuple[str, str, str | None] | None:
    """The program, message and time of a line of ``journalctl -o json``; None when the line is not one."""
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
        message = bytes(message).decode("utf-8", "replace")  # the journal keeps text that is no UTF-8 as its bytes
    if not isinstance(message, str):
        return None
    prog = entry.get("SYSLOG_IDENTIFIER") or entry.get("_COMM") or ""
    when = None
    stamp = entry.get("__REALTIME_TIMESTAMP")
    if isinstance(stamp, str) and stamp.isdigit():  # microseconds since the epoch, UTC
        when = datetime.fromtimestamp(int(stamp) / 1e6, tz=timezone.utc).isoformat(timespec="microseconds")
    return str(prog), message, when


def _envelope(msg: str) -> tuple[str | None, str | None, str | None]:
    """The queue id, recipient and relay of a Postfix or Sendmail log line, where it gives them."""
    q, to, relay = _QUEUE_ID.match(msg), _TO.search(msg), _RELAY.search(msg)
    return q and q.group("qid"), to and to.group("to"), relay and relay.group("relay")


def _reply_part(msg: str, status_at: int) -> str:
    """What is explained of a Postfix or Sendmail log line: from its "dsn=" field (or its status, when
    the dsn= field comes after it or is missing) to the end, that is the status and the reply; the
    queue id, addresses, relay and delays before it are fields of the record."""
    dsn = msg.rfind("dsn=", 0, status_at)
    return msg[dsn if dsn >= 0 else status_at:]


def _final(status: str, retry: str) -> str:
    """The retry advice of a record whose source says the message was given up (bounced, expired): "retry later"
    says that the sending server keeps trying, which it no longer does, so the message is to be sent again once
    the cause is fixed."""
    return "fix-then-retry" if status in ("bounced", "expired") and retry == "retry" else retry


def _status_of_reply(reason: str, permanent: bool | None) -> str:
    if reason == "delivered":
        return "delivered"
    return {True: "bounced", False: "deferred"}.get(permanent, "unknown")  # type: ignore[arg-type]


# Haraka's outbound queue, through syslog ("haraka[2211]: [NOTICE] [uuid] [outbound] bounce ...") or on its standard
# output with an ISO time before it: "delivered file=... domain=gmail.com host=...", "deferred file=... domain=yahoo.com
# ... reason="421 ...", "bounce file=... domain=... reason="550 ..."" (its "Temp failing delivery" line says the
# deferral again). Its other lines (the inbound hooks' DENY among them: mail coming in) are no attempts.
_HARAKA_STDOUT = re.compile(r"(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?) (?P<msg>\[[A-Z]+\] \[[^\]]*\] \[.*)", re.ASCII)
_HARAKA = re.compile(r"\[[A-Z]+\] \[(?P<id>[^\]]*)\] \[outbound\] (?P<what>delivered|deferred|bounce) file=\S+ "
                     r"domain=(?P<domain>\S+)(?:.*? reason=\"(?P<reason>(?:[^\"\\]|\\.)*)\")?", re.ASCII)
_HARAKA_STATUS = {"delivered": "delivered", "deferred": "deferred", "bounce": "bounced"}
# ... and, by the delivery's id, the words that come before those lines, or in their place in some of its versions:
# "recipient <a@x> rejected: 550 ..." (one recipient's failure), "Temp failing <file> for 64 seconds: <reply>" (the
# deferral), "bouncing mail: <reply>" (the bounce), "Looking up MX for gmail.com" (the domain)
_HARAKA_MORE = re.compile(r"\[[A-Z]+\] \[(?P<id>[^\]]*)\] \[outbound\] (?:recipient <(?P<to>[^<>]*)> rejected: (?P<said>.*)"
                          r"|Temp failing \S+ for [0-9]+ seconds: (?P<temp>.*)|bouncing mail: (?P<bounce>.*)"
                          r"|Looking up MX for (?P<domain>\S+))", re.ASCII)
# Kerio Connect: its mail log's "[12/Mar/2024 09:12:41] Sent: Queue-ID: 65efbea8-00000a31, Recipient: <a@x>, Result:
# failed, Status: 5.1.1 , Remote-Host: ...", and its warning log's "SMTP delivery: Message 65efbea8-00000a31 to <a@x>
# failed: Remote host 192.0.2.1 replied: 550 ..." ("will be retried: ..." for a deferral). "Recv:" lines, and
# "SMTP Spam attack: ... rejected", are mail coming in.
_KERIO = re.compile(r"\[(?P<time>[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2})\] (?:"
                    r"Sent: Queue-ID: (?P<qid>[^,]+), Recipient: <(?P<to>[^>]*)>, Result: (?P<result>[a-z]+), "
                    r"(?P<status>Status: [^,]*?) ?(?:,|$)|SMTP delivery: Message (?P<msg>\S+) to <(?P<msg_to>[^>]*)> "
                    r"(?P<verdict>failed|will be retried): (?P<text>.*)|(?P<other>.*))", re.ASCII)
_KERIO_RESULTS = {"delivered": "delivered", "relayed": "delivered", "failed": "bounced", "delayed": "deferred",
                  "will be retried": "deferred"}

# Exchange's message tracking: its own log (MSGTRK*.LOG, a "#Fields: date-time,...,event-id,...,recipient-address,
# recipient-status,..." line naming the columns of the rows after it) or Get-MessageTrackingLog's rows exported as CSV
# (a header row of "Timestamp","EventId",...,"Recipients","RecipientStatus"). A row's event says what it is: SEND (to
# the next server, its reply in the status), DELIVER (into a mailbox), DEFER, FAIL; the others (RECEIVE, SUBMIT,
# RESOLVE, EXPAND, DSN, ...) are no attempt. A deferral's status is "[{LRT=...};{LED=452 4.2.2 ...};{FQDN=...}]": its
# LED is the last error. Columns are known by their names folded: "EventId" and "event-id" are both "eventid".
_TRACKING_EVENTS = {"SEND": "delivered", "DELIVER": "delivered", "DEFER": "deferred", "FAIL": "bounced",
                    "DROP": "discarded"}
# a status for each recipient, one after another: "550 5.1.1 ...;552 5.2.2 ..." (a ";" inside one, as in
# "RESOLVER.ADR.RecipientNotFound; Recipient not found", is followed by no code)
_NEXT_STATUS = re.compile(r";(?=\s*(?:\[\{|[2-5][0-9][0-9][ -]))", re.ASCII)
_TRACKING_COLUMNS = {"eventid", "recipientstatus"}
_LED = re.compile(r"\{LED=(?P<led>[^}]*)\}")

# Session transcripts, which Windows servers log instead of one line per delivery. MDaemon: "Tue 2024-03-12
# 09:15:02.556: <-- 250 2.1.0 Ok" (received) and "--> RCPT To:<a@example.org>" (sent), a "Session 4521; child 1"
# line opening each session and "*  To: a@example.org" naming the message's recipients before it connects.
# hMailServer: tab-separated quoted fields, "SMTPC" for its sessions as a client (outbound) and "SMTPD" as a server,
# the thread and the session, the time, the peer, and "SENT: ..." or "RECEIVED: ...", a multi-line reply joined
# by "[nl]"; its "APPLICATION" lines name each message's recipients by thread ("SMTPDeliverer - Message 10771:
# Delivering message from a@x to b@y. File: ...") and its local deliveries ("... Local delivery completed.").
_MDAEMON = re.compile(r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:"
                      r"[0-9]{2}(?:\.[0-9]{1,6})?): (?P<rest>.*)", re.ASCII)
_MDAEMON_OWN = re.compile(r"(?P<dir><--|-->) (?P<said>.*)|Session (?P<session>[0-9]+);|\*  To: (?P<to>.*)"
                          r"|(?P<parsing>Parsing message )"
                          r"|(?P<tls>SSL negotiation failed|Error during SSL negotiation)"
                          r"|(?P<connect>Socket connect error|Connection attempt failed|Unable to connect)", re.ASCII)
# what marks a line of MDaemon's log where its banner line is not there (a part of a log pasted on its own)
_MDAEMON_MARKS = (": <-- ", ": --> ", ": Session ", ": Parsing message ", ": *  To: ")
# swaks, the SMTP test tool: "<-  250 2.1.0 Ok" (received; "<~" over TLS, "<**" a failure), " -> RCPT TO:<...>" (sent;
# " ~>" over TLS), "=== Connected to ..." (its own words)
_SWAKS_SENT = (" -> ", " ~> ", " **> ")
_SWAKS = re.compile(r"(?P<dir><-|<~|<\*\*|<~\*| ->| ~>| \*\*>|===|\*\*\*)(?: +(?P<said>.*))?$")
_HMAIL = re.compile(r'"(?P<kind>[A-Z0-9]+)"\t(?P<thread>[0-9]+)\t(?:(?P<session>[0-9]+)\t)?"(?P<time>[0-9]{4}-[0-9]{2}-'
                    r'[0-9]{2} [0-9:.]+)"\t(?:"(?P<peer>[^"\t]*)"\t)?"(?P<msg>.*)"', re.ASCII)
_HMAIL_DELIVERING = re.compile(r"SMTPDeliverer - Message (?P<id>[0-9]+): (?:Delivering message from (?P<from>\S*) to "
                               r"(?P<to>.*?)\. File: |(?P<local>Local delivery completed\.)|Message could not be "
                               r"delivered\. (?:(?P<later>Scheduling it for later delivery)|(?P<returned>Returning "
                               r"undeliverable message)))", re.ASCII)
# ... and what its other lines say of a connection that failed ("TCPConnection - Connection to 192.0.2.1:25 failed:
# ..."), which no reply does
_HMAIL_FAILED = re.compile(r"(?:TCPConnection - )?Connection to \S+ failed: .*|.*\b(?:No mail servers appear to "
                           r"exists?|DNS lookup failed|Failed to connect)\b.*", re.ASCII | re.IGNORECASE)
_COMMAND = re.compile(r"(?P<verb>[A-Za-z]{4}\b|\.$)(?:[^<]*<(?P<address>[^<>]*)>)?", re.ASCII)
# sessions whose state is kept at once (the oldest forgotten first), as OPEN_DEFERRALS for Postfix
OPEN_SESSIONS = 10_000
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
# what a log line that says a message was delivered, with no reply, is explained as
_DELIVERED = (None, None, "delivered", None, "not-needed", "nobody", None)


@dataclass
class _Session:
    """A client session of a transcript: the commands sent that wait for their replies, in order (a client that
    pipelines sends several before the first reply comes), and who the message is for."""

    planned: list[str]  # the message's recipients, as the log names them before the session ("*  To:")
    waiting: list[tuple[str, str | None]] = field(default_factory=list)  # (verb, RCPT's address), oldest first
    dot: bool = False  # DATA's 354 came: the next reply no command waits for answers the message's end
    accepted: list[str] = field(default_factory=list)  # the recipients the server took, for the message's end
    lines: list[str] | None = None  # a multi-line reply's lines before its last
    over: bool = False  # the session failed where no reply says so (a TLS handshake), and its records are made


class _LineReader:
    """Log lines and plain replies: one line (with its folded continuation, or one multi-line reply) at a time."""

    def __init__(self, explainer: _Explainer):
        self.explain = explainer
        # Postfix: queue id -> recipient -> (relay, reply text) of its last attempt, while that was a deferral
        self._deferred: dict[str, dict[str, tuple[str | None, str]]] = {}
        # qmail-send: delivery number -> its recipient, from "starting delivery" to the line that ends it
        self._qmail_to: dict[str, str] = {}
        # transcripts: (source, session) -> its state; MDaemon's open session and recipients per source; the files
        # known to be MDaemon's; hMailServer's recipients per delivery thread
        self._sessions: dict[tuple[str, str], _Session] = {}
        self._mdaemon: dict[str, tuple[str, list[str]]] = {}
        self._hmail_to: dict[str, tuple[str, list[str]]] = {}
        self._hmail_from: dict[str, str] = {}  # by thread: the sender's domain
        self._hmail_failure: dict[str, str] = {}  # by thread: the words of a failure no reply said
        self._hmail_done: set[str] = set()  # the threads whose delivery a session's reply said already
        # Exchange's message tracking: the columns of each file, folded ("eventid"), from its header; the files whose
        # export lost its lists, said once
        self._tracking: dict[str, list[str]] = {}
        self._lost_lists: set[str] = set()
        # Haraka: what the lines before a delivery's last one said of it, by its id ("domain", "failed", "deferred")
        self._haraka_ids: dict[str, dict[str, str]] = {}
        # Kerio: the attempts read already, (second, message, recipient, status), oldest first: its mail log and
        # its warning log say one attempt at the same second
        self._kerio_seen: dict[tuple[str, str, str, str], None] = {}
        self.problem: Any = None  # how the reader words an input it cannot read whole (_Reader._problem)

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
            m = reply_line(line)
            reply_code = m.group("code") if m and m.group("more") else None
        if group:
            yield from self._events("\n".join(group) if len(group) > 1 else group[0], source, start)

    def _events(self, text: str, source: str, number: int) -> Iterator[Any]:
        """What one logical line reports: most lines one event, a Sendmail line one record per recipient."""
        found = self._one(text, source, number)
        if isinstance(found, list):
            yield from found
        else:
            yield found

    def _one(self, text: str, source: str, number: int) -> Any:
        first = text[:1]
        if source in self._tracking or first in "#\"\ufeff":
            found = self._tracking_row(text, source, number)
            if found is not None:
                return found
        if first == '"' or source in self._mdaemon or "MDaemon" in text[:40] or (
                ": " in text[20:32] and any(mark in text for mark in _MDAEMON_MARKS)):
            found = self._transcript(text, source, number)
            if found is not None:
                return found
        elif first in "<= " and _SWAKS.match(text):
            return self._swaks(text, source, number)
        if first == "[":
            k = _KERIO.match(text)
            if k and (k.group("result") or k.group("verdict") or k.group("other").startswith(("Recv: Queue-ID:",
                                                                                                  "SMTP "))):
                return self._kerio(k, source, number)
        elif "] [" in text[20:40]:
            h = _HARAKA_STDOUT.match(text)
            if h:
                return self._haraka(h.group("msg"), h.group("time"), source, number)
        m = _SYSLOG.match(text) or _SYSLOG_5424.match(text)
        if m:
            return self._syslog(m.group("prog"), m.group("msg"), m.group("time"), text, source, number)
        if text.startswith("{") and '"MESSAGE"' in text:
            entry = _journal_entry(text)
            if entry is not None:
                return self._syslog(*entry, text, source, number)
        if "\n" in text and "[s=" in text:
            m = _VERBOSE_HEAD.match(text)
            if m:
                fields = {f.group("key"): f.group("value") for f in _VERBOSE_FIELD.finditer(text, m.end())}
                if "MESSAGE" in fields:
                    prog = fields.get("SYSLOG_IDENTIFIER") or fields.get("_COMM") or ""
                    return self._syslog(prog, fields["MESSAGE"], m.group("time"), text, source, number)
        if _POSTFIX_BARE.match(text):  # journalctl -o cat of Postfix's unit
            return self._syslog("postfix", text, None, text, source, number)
        m = _EXIM.match(text)
        if m and m.group("time"):
            return self._exim(m, text, source, number, m.group("time"))
        if " rejected " in text and _EXIM_LINE.match(text) and _EXIM_REFUSAL.search(text):
            return _REFUSED  # Exim's refusal of mail coming in, before any message id: "... H=... rejected RCPT <...>"
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

    def _transcript(self, text: str, source: str, number: int) -> Any:
        """A line of MDaemon's or hMailServer's log, or None for a line of neither. A reply the server gave our
        client is an attempt when it answers RCPT TO (for that recipient), the message's end (for every recipient
        the server took), or fails before them (for every recipient of the message); our own replies to a client
        are the refusal of mail coming in, no attempt of ours, as Postfix's NOQUEUE lines are not."""
        h = _HMAIL.fullmatch(text)
        if h:
            kind, msg = h.group("kind"), h.group("msg")
            thread = h.group("thread")
            if kind == "APPLICATION":
                d = _HMAIL_DELIVERING.match(msg)
                if d is None:
                    failed = _HMAIL_FAILED.fullmatch(msg)
                    if failed:
                        self._hmail_failure[thread] = msg
                    return _OTHER
                if d.group("to") is not None:
                    self._hmail_to[thread] = (d.group("id"), [a.strip() for a in d.group("to").split(",") if a.strip()])
                    self._hmail_from[thread] = _domain_of(d.group("from")) or ""
                    self._hmail_failure.pop(thread, None)
                    self._hmail_done.discard(thread)
                    return _OTHER
                if d.group("later") or d.group("returned"):
                    # the delivery failed: said by a session's reply already, or else by a line no reply is
                    if thread in self._hmail_done:
                        return _OTHER
                    message, recipients = self._hmail_to.get(thread, ("", []))
                    text = self._hmail_failure.pop(thread, msg)
                    status = "deferred" if d.group("later") else "bounced"
                    return [self._record(source, number, "hmailserver", h.group("time"), message, to, None, text,
                                         status) for to in recipients] or _OTHER
                # a local delivery: the line names no recipient, and the message's may be remote too (relayed by a
                # session of the same thread): its only recipient, or those of the sender's own domain
                message, recipients = self._hmail_to.get(thread, ("", []))
                own = self._hmail_from.get(thread, "")
                local = recipients if len(recipients) == 1 else [to for to in recipients if own and _domain_of(to) == own]
                self._hmail_to[thread] = (message, [to for to in recipients if to not in local])
                return [self._record(source, number, "hmailserver", h.group("time"), message, to, None,
                                     "Local delivery completed", "delivered", _DELIVERED) for to in local] or _OTHER
            if kind == "SMTPD" and msg.startswith("SENT: ") and msg[6:7] in ("4", "5"):
                return _REFUSED  # its server side refused mail coming in
            if kind in ("TCPIP", "DEBUG", "ERROR") and _HMAIL_FAILED.fullmatch(msg):
                self._hmail_failure[thread] = msg  # the words of a failure no reply says, for the deliverer's line
                return _OTHER
            if kind != "SMTPC" or h.group("session") is None:
                return _OTHER  # its server side (our replies to mail coming in), POP3, IMAP, TCP/IP
            said = msg.split(": ", 1)
            if len(said) != 2 or said[0] not in ("SENT", "RECEIVED"):
                return _OTHER
            key = (source, "hmailserver " + h.group("session"))
            if key not in self._sessions:
                planned = self._hmail_to.get(h.group("thread"), ("", []))
                self._open(key, list(planned[1]))
            found = self._said(key, said[0] == "SENT", said[1].replace("[nl]", "\n"), source, number, "hmailserver",
                               h.group("time"), h.group("peer"))
            if found is not _OTHER:
                self._hmail_done.add(thread)
            return found
        m = _MDAEMON.fullmatch(text)
        if m is None:
            if "MDaemon" in text[:40] and source not in self._mdaemon:
                self._mdaemon[source] = ("", [])  # the banner a log file of MDaemon's starts with
                return _OTHER
            return None
        own = _MDAEMON_OWN.match(m.group("rest"))
        if own is None:
            return _OTHER if source in self._mdaemon else None
        if source not in self._mdaemon:
            self._mdaemon[source] = ("", [])
        session, planned = self._mdaemon[source]
        if own.group("session"):
            self._mdaemon[source] = (own.group("session"), [])
            return _OTHER
        if own.group("to"):
            planned += [a.strip().strip("<>") for a in own.group("to").split(",") if a.strip()]
            return _OTHER
        if own.group("parsing"):
            planned.clear()  # the next message of the session: its own recipients follow
            return _OTHER
        key = (source, "mdaemon " + session)
        if key not in self._sessions:
            self._open(key, planned)
        if own.group("tls") or own.group("connect"):  # no reply says so: the handshake, or the connection, failed
            state = self._sessions[key]
            if state.over:
                return _OTHER  # MDaemon says it twice: the error, then that the session ends
            state.over = True
            explained = self.explain(m.group("rest"))
            if explained[2] == "undefined":  # "Error during SSL negotiation: <Windows's words>" is a TLS failure
                explained = self.explain("SSL negotiation failed" if own.group("tls") else "Connection timed out")
            return [self._record(source, number, "mdaemon", m.group("time"), None, to, None, m.group("rest"),
                                 "deferred", explained) for to in (state.accepted or state.planned or [None])]
        return self._said(key, own.group("dir") == "-->", own.group("said"), source, number, "mdaemon",
                          m.group("time"), None)

    def _tracking_row(self, text: str, source: str, number: int) -> Any:
        """A line of Exchange's message tracking, or None for a line of no such file."""
        import csv

        text = text.lstrip("\ufeff")
        if text.startswith("#"):
            if text.startswith(("#Software: Microsoft Exchange", "#TYPE Microsoft.Exchange")):
                self._tracking.setdefault(source, [])  # its columns come with #Fields, or the export's header row
                return _OTHER
            if text.startswith("#Fields: ") and "event-id" in text:
                self._tracking[source] = [_column(c) for c in text[len("#Fields: "):].split(",")]
                return _OTHER
            return _OTHER if source in self._tracking or "Exchange" in text or "MessageTrackingEvent" in text \
                or "Message Tracking" in text else None
        if source not in self._tracking and not any(name in text for name in ("EventId", "event_id", "event-id")):
            return None  # neither a row of a known tracking file nor an export's header row (hMailServer's lines)
        try:
            cells = next(csv.reader([text]))
        except (csv.Error, StopIteration):
            return None
        folded = [_column(c) for c in cells]
        if _TRACKING_COLUMNS <= set(folded) and ("recipients" in folded or "recipientaddress" in folded):
            self._tracking[source] = folded  # the header row of an export
            return _OTHER
        columns = self._tracking.get(source)
        if columns is None:
            return None
        row = dict(zip(columns, cells))
        event = row.get("eventid", "").upper()
        if len(cells) < len(columns) // 2 or not event.isalpha():
            return None  # no row of the tracking log (a line of another log in the same file, a damaged one)
        status = _TRACKING_EVENTS.get(event)
        if status is None:
            return _OTHER
        connector = row.get("connectorid", "")
        if event == "SEND" and "intra-organization" in connector.lower():
            status = "relayed"  # a hop between Exchange servers of the organisation: the delivery is its DELIVER row
        recipients = row.get("recipients", row.get("recipientaddress", ""))
        if recipients.startswith("System.") and recipients.endswith("[]"):
            # Export-Csv wrote the type of a list, not its addresses: the rows' recipients and statuses are lost,
            # which the file's first such row says once
            lost = _Unrecognised(source, number, text)
            if source in self._lost_lists or self.problem is None:
                return lost
            self._lost_lists.add(source)
            return [self.problem(source, "tracking_lists", type=recipients), lost]
        addresses = [a.strip() for a in re.split(r"[;,]", recipients) if a.strip()]
        said = row.get("recipientstatus", "")
        statuses = _NEXT_STATUS.split(said) if len(addresses) > 1 else [said]
        if len(statuses) != len(addresses):
            statuses = [said] * len(addresses)  # not one each: the whole status goes with every recipient
        when = row.get("timestamp") or row.get("datetime") or row.get("datetimeutc")
        queue = row.get("internalmessageid") or row.get("messageid")
        relay = row.get("serverip") if event != "DELIVER" else None
        out = []
        for to, own in zip(addresses, statuses):
            led = _LED.search(own)
            own = (led.group("led") if led else own).strip()
            explained = _DELIVERED if status in ("delivered", "relayed") and not own[:1].isdigit() else None
            out.append(self._record(source, number, "exchange", when, queue, to, relay, own or event, status,
                                    explained))
        return out or _OTHER

    def _swaks(self, text: str, source: str, number: int) -> Any:
        """A line of what swaks prints: its replies and commands read as a session (:meth:`_said`); a new
        connection, a new session."""
        m = _SWAKS.match(text)
        assert m is not None
        key = (source, "swaks")
        if m.group("dir") in ("===", "***"):
            if (m.group("said") or "").startswith(("Connected to", "Trying ")):
                self._sessions.pop(key, None)
            return _OTHER
        if key not in self._sessions:
            self._open(key, [])
        return self._said(key, not m.group("dir").startswith("<"), m.group("said") or "", source, number, "reply",
                          None, None)

    def _open(self, key: tuple[str, str], planned: list[str]) -> None:
        if len(self._sessions) >= OPEN_SESSIONS:
            del self._sessions[next(iter(self._sessions))]
        self._sessions[key] = _Session(planned)

    def _said(self, key: tuple[str, str], sent: bool, said: str, source: str, number: int, kind: str,
              when: str | None, peer: str | None) -> Any:
        """One line of a client session: a command we sent, or the server's reply to it. Replies answer the commands
        in the order they were sent (RFC 2920 §3.1, pipelining); the message's end ("." after DATA's 354, or "BDAT
        ... LAST") is answered for every recipient the server took; a failure before any recipient (the greeting,
        EHLO, STARTTLS, AUTH, MAIL FROM) is the message's for every recipient it was for."""
        state = self._sessions[key]
        said = said.strip()
        m = reply_line(said)
        if sent:
            if m is not None:  # a reply we sent: a server's session, mail coming in (refused, with a 4xx or 5xx)
                return _REFUSED if m.group("code")[0] in "45" else _OTHER
            c = _COMMAND.match(said)
            verb = c.group("verb").upper() if c else ""
            if verb == "." and state.dot:
                state.dot = False
            elif verb == "MAIL":
                state.accepted = []
            if verb == "BDAT" and said.upper().endswith(" LAST"):
                verb = "LAST"
            if verb:
                state.waiting.append((verb, (c.group("address") or "").strip() or None if c else None))
            return _OTHER
        if m is None:
            return _OTHER
        last = reply_line(said.rsplit("\n", 1)[-1]) if "\n" in said else m  # hMailServer joins a reply's lines
        if last is None or last.group("more"):
            state.lines = (state.lines or []) + [said]  # a further line comes
            return _OTHER
        text = "\n".join((state.lines or []) + [said])
        state.lines = None
        code = m.group("code")
        if state.waiting:
            command, to = state.waiting.pop(0)
        elif state.dot:  # the message's end, where the log does not show the "." sent
            command, to, state.dot = ".", None, False
        else:
            command, to = "", None  # the greeting
        if command == "RCPT":
            if code[0] == "2":
                state.accepted += [to] if to else []
                return _OTHER
            return self._record(source, number, kind, when, None, to, peer, text, None)
        if command == "DATA" and code[0] == "3":
            state.dot = True
            return _OTHER
        if command == "BDAT" and code[0] == "2":
            return _OTHER  # a chunk taken; the last one's reply says what became of the message
        if command in (".", "LAST") or command in ("DATA", "BDAT") and code[0] != "2":
            recipients, state.accepted = state.accepted, []
            explained = self.explain(text)
            return [self._record(source, number, kind, when, None, to, peer, text, None, explained)
                    for to in recipients] or self._record(source, number, kind, when, None, None, peer, text, None,
                                                          explained)
        if code[0] in "45" and command not in ("QUIT", "RSET", "NOOP", "HELP", "VRFY", "EXPN"):
            # the greeting, EHLO, STARTTLS, AUTH or MAIL FROM failed: the message went to none of its recipients
            explained = self.explain(text)
            return [self._record(source, number, kind, when, None, to, peer, text, None, explained)
                    for to in state.planned] or self._record(source, number, kind, when, None, None, peer, text,
                                                             None, explained)
        return _OTHER

    def _syslog(self, prog: str, msg: str, when: str | None, text: str, source: str, number: int) -> Any:
        if "postfix" in prog:
            status = _POSTFIX_STATUS.search(msg) if "status=" in msg else None
            if not status:
                removed = _POSTFIX_REMOVED.match(msg)
                if removed:
                    self._deferred.pop(removed.group("qid"), None)
                return _REFUSED if "reject: " in msg and _POSTFIX_REFUSAL.search(msg) else _OTHER
            word = status.group("status").lower()
            if word in _POSTFIX_PROBES:
                return _OTHER
            status_word = _POSTFIX_STATUSES.get(word, word)
            queue_id, recipient, relay = _envelope(msg)
            if status_word == "delivered" and prog.endswith("/smtp") and _LOOPBACK_RELAY.match(relay or ""):
                # handed to a content filter on this host (amavis, a milter's SMTP proxy), which sends it on: the
                # delivery is the line its re-injection logs later, under a new queue id
                status_word = "relayed"
            if status_word in ("delivered", "relayed") and _DISCARDED.search(msg):
                status_word = "discarded"
            elif status_word == "relayed" and _FILTER_BOUNCE.search(msg):
                status_word = "bounced"  # the filter took it only to return it to its sender
            return self._postfix(source, number, when, queue_id, recipient, relay, _reply_part(msg, status.start()),
                                 status_word)
        if prog.startswith(("sendmail", "sm-mta", "sm-msp")):
            stat = _SENDMAIL_STAT.search(msg) if "stat=" in msg else None
            if not stat:
                return _OTHER
            word = stat.group("stat").lower()
            dsn = _DSN_FIELD.search(msg)
            cls = dsn.group("cls") if dsn else ""
            status = ("expired" if _EXPIRED_DSN.search(msg) else "delivered" if word == "sent" or cls == "2"
                      else "deferred" if word == "deferred" or cls == "4" else "bounced" if cls == "5" else None)
            queue_id, recipient, relay = _envelope(msg)
            text = _reply_part(msg, stat.start())
            many = _SENDMAIL_TO.search(msg)
            recipients = many.group("to").split(",") if many else [recipient]
            if len(recipients) == 1:
                return self._record(source, number, "sendmail", when, queue_id, recipient, relay, text, status)
            # one attempt per recipient, each with the line's reply, explained once
            explained = self.explain(text)
            return [self._record(source, number, "sendmail", when, queue_id, r, relay, text, status, explained)
                    for r in recipients if r.strip("<>")]
        if prog.startswith("exim"):
            e = _EXIM.match(msg)
            if e:
                return self._exim(e, msg, source, number, e.group("time") or when)
        if prog.startswith("qmail"):
            return self._qmail(msg, when, source, number)
        if prog.startswith("haraka"):
            return self._haraka(msg, when, source, number)
        if prog == "smtpd" and " mta delivery " in msg:
            m = _OPENSMTPD.search(msg)
            if m:
                relay = m.group("relay")
                return self._record(source, number, "opensmtpd", when, m.group("id"), m.group("to"),
                                    relay.split(" ", 1)[0] if relay else None, m.group("stat"),
                                    _OPENSMTPD_RESULTS.get(m.group("result"), "unknown"))
        if prog == "courieresmtp":
            m = _COURIER.match(msg)
            ended = _COURIER_STATUS.search(msg) if m else None
            if ended:
                # the line that closes an attempt ("...,addr=<bob@example.org>,status: success"): a success is the
                # delivery; a deferral or failure was the record of the reply line before it
                if ended.group(1) != "success":
                    return _OTHER
                return self._record(source, number, "courier", when, m.group("id"), m.group("addr"), None,
                                    ended.group(0).lstrip(","), "delivered", _DELIVERED)
            if m:
                code = m.group("code")
                status = {"2": "delivered", "4": "deferred", "5": "bounced"}.get(code[:1]) if code else None
                return self._record(source, number, "courier", when, m.group("id"), m.group("addr"), None,
                                    m.group("text"), status)
        return _OTHER

    def _haraka(self, msg: str, when: str | None, source: str, number: int) -> Any:
        """A line of Haraka's: its outbound queue's delivery, deferral or bounce of a message to a domain, or the
        rejection of one recipient; any other line of it is no attempt. An attempt is counted once, from the first
        line that says it: a recipient's rejection before the bounce that follows it, "Temp failing" before the
        "deferred" line, "bouncing mail" before the "bounce" line."""
        more = _HARAKA_MORE.match(msg)
        if more is not None:
            said = self._haraka_ids.setdefault(more.group("id"), {})
            if len(self._haraka_ids) > OPEN_DEFERRALS:
                del self._haraka_ids[next(iter(self._haraka_ids))]
            domain = said.get("domain")
            if more.group("domain"):
                said["domain"] = more.group("domain")
                return _OTHER
            if more.group("to") is not None:
                said["failed"] = "1"
                return self._record(source, number, "haraka", when, more.group("id"), more.group("to"), None,
                                    more.group("said"), None)
            if more.group("temp") is not None:
                said["deferred"] = "1"
                return self._record(source, number, "haraka", when, more.group("id"), None, domain, more.group("temp"),
                                    "deferred")
            if said.get("failed"):
                return _OTHER  # its recipients' rejections said it
            said["failed"] = "1"
            return self._record(source, number, "haraka", when, more.group("id"), None, domain, more.group("bounce"),
                                "bounced")
        m = _HARAKA.match(msg)
        if m is None:
            return _REFUSED if "[core] hook=" in msg and " retval=DENY" in msg else _OTHER  # an inbound hook's refusal
        status = _HARAKA_STATUS[m.group("what")]
        domain = m.group("domain")
        said = self._haraka_ids.get(m.group("id"), {})
        if status == "deferred" and said.get("deferred") or status == "bounced" and said.get("failed"):
            return _OTHER  # said already, by the line before it
        if status == "delivered":
            return self._record(source, number, "haraka", when, m.group("id"), None, domain, msg[m.start("what"):],
                                status, _DELIVERED)
        reason = (m.group("reason") or "").replace('\\"', '"')
        return self._record(source, number, "haraka", when, m.group("id"), None, domain, reason or msg, status)

    def _kerio(self, m: re.Match[str], source: str, number: int) -> Any:
        """A line of Kerio Connect's mail or warning log. Its two logs say a failure each: the attempt is counted once,
        from the first of them read."""
        said = (m.group("qid"), m.group("to"), m.group("result")) if m.group("result") else \
            (m.group("msg"), m.group("msg_to"), m.group("verdict"))
        if said[0] is not None:
            key = (m.group("time"), said[0], said[1], _KERIO_RESULTS.get(said[2] or "", ""))
            if key in self._kerio_seen:
                return _OTHER
            if len(self._kerio_seen) >= OPEN_DEFERRALS:
                self._kerio_seen.pop(next(iter(self._kerio_seen)))
            self._kerio_seen[key] = None
        if m.group("result"):
            status = _KERIO_RESULTS.get(m.group("result"), "unknown")
            explained = _DELIVERED if status == "delivered" else None
            return self._record(source, number, "kerio", m.group("time"), m.group("qid"), m.group("to"), None,
                                m.group("status").strip(), status, explained)
        if m.group("verdict"):
            return self._record(source, number, "kerio", m.group("time"), m.group("msg"), m.group("msg_to"), None,
                                m.group("text"), _KERIO_RESULTS[m.group("verdict")])
        return _REFUSED if (m.group("other") or "").startswith("SMTP Spam attack") else _OTHER

    def _qmail(self, msg: str, when: str | None, source: str, number: int) -> Any:
        """qmail-send's log: "starting delivery 42: msg 1234 to remote bob@example.org" names the recipient of
        delivery 42, and "delivery 42: failure: text" tells how it ended (the text's spaces written "_", its line
        breaks "/")."""
        m = _QMAIL_DELIVERY.search(msg)
        if m is None:
            return _OTHER
        if m.group("start"):
            if len(self._qmail_to) >= OPEN_DEFERRALS:
                del self._qmail_to[next(iter(self._qmail_to))]
            self._qmail_to[m.group("n")] = m.group("to")
            return _OTHER
        recipient = self._qmail_to.pop(m.group("n"), None)
        text = m.group("text").replace("_", " ").replace("/", " ").strip()
        return self._record(source, number, "qmail", when, m.group("n"), recipient, None, text,
                            _QMAIL_STATUSES[m.group("status")])

    def _postfix(self, source: str, number: int, when: str | None, queue_id: str | None, recipient: str | None,
                 relay: str | None, text: str, status: str) -> Any:
        """A Postfix delivery line; an expiry that names no recipient is one record for each recipient of the
        message whose last attempt was a deferral, with that attempt's reply (its cause) after the expiry's words."""
        if queue_id is None:
            return self._record(source, number, "postfix", when, queue_id, recipient, relay, text, status)
        if recipient is None:
            still = self._deferred.pop(queue_id, None) if status == "expired" else None
            if still:
                return [self._record(source, number, "postfix", when, queue_id, to, last_relay,
                                     f"{text}; last attempt: {last}", status)
                        for to, (last_relay, last) in still.items()]
        else:
            to = recipient.strip("<>")
            if status == "deferred":
                if queue_id not in self._deferred and len(self._deferred) >= OPEN_DEFERRALS:
                    del self._deferred[next(iter(self._deferred))]
                self._deferred.setdefault(queue_id, {})[to] = (relay, text)
            elif queue_id in self._deferred:
                still = self._deferred[queue_id]
                still.pop(to, None)
                if not still:
                    del self._deferred[queue_id]
        return self._record(source, number, "postfix", when, queue_id, recipient, relay, text, status)

    def _exim(self, m: re.Match[str], text: str, source: str, number: int, when: str | None) -> Any:
        status = _EXIM_STATUS.get(m.group("flag"))
        if status is None:
            # an arrival ("<="), "Completed", or another line about the message; or a refusal of mail coming in
            return _REFUSED if " rejected " in text and _EXIM_REFUSAL.search(text) else _OTHER
        if status == "deferred" and any(words in text for words in _EXIM_NOT_TRIED):
            return _OTHER  # no attempt: the address waits for its retry time
        a = _EXIM_ADDRESS.match(text, m.end("flag"))
        recipient = a.group("addr") if a else None
        if recipient and recipient[0] in ":|/":  # ":blackhole:", a pipe or a file: for the address in brackets
            after = _EXIM_ORIGINAL.match(text, a.end())
            recipient = a.group("orig") or (after.group(1) if after else None)
        host = _EXIM_HOST.search(text, m.end("flag"))
        relay = host.group("host") if host else None
        if a and a.group("orig") and "@" not in (recipient or ""):
            relay = a.group("orig")  # a local delivery ("=> ops <ops@example.org>"): the original address's domain
        # the text explained starts at the message id, as in the log (explain() reads Exim's flags after it)
        return self._record(source, number, "exim", when, m.group("id"), recipient, relay, text[m.start("id"):], status)

    def _record(self, source: str, number: int, kind: str, when: str | None, queue_id: str | None,
                recipient: str | None, relay: str | None, text: str, status: str | None,
                explained: tuple | None = None) -> Record:
        basic, enhanced, reason, permanent, retry, actor, note = explained or self.explain(text)
        dropped = _DISCARDED.search(text) if status == "discarded" else _FILTER_BOUNCE.search(text) \
            if status == "bounced" and basic and basic[0] == "2" else None
        if dropped:  # the 2xx says it was taken; why it was dropped is in the words after its codes
            reason, permanent, retry, actor, note = self.explain(_CODES_AHEAD.sub("", text[dropped.start():], 1))[2:]
        if recipient is not None:
            recipient = recipient.strip("<>") or None
        domain = _domain_of(recipient) or _domain_of(relay) or _relay_host(relay)
        if kind == "exim" and status == "bounced" and reason == "expired":
            status = "expired"  # "** ... retry timeout exceeded": given up by the queue, as Postfix's status=expired
        status = status or _status_of_reply(reason, permanent)
        return Record(source, number, kind, when, queue_id, recipient, domain, basic, enhanced, reason, permanent,
                      _final(status, retry), actor, note, status, text)


def _text(value: Any) -> str:
    """A header field's value as text. A field that holds 8-bit bytes (UTF-8, as an internationalised bounce's
    addresses and diagnostics are, RFC 6532 and RFC 6533) comes from the parser as an email.header.Header, and its
    bytes are read as UTF-8, not as the replacement characters str() would make of them."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        out = []
        for chunk, charset in email.header.decode_header(value):
            if isinstance(chunk, bytes):
                try:
                    chunk = chunk.decode(charset if charset and charset != "unknown-8bit" else "utf-8", "replace")
                except (LookupError, UnicodeError):
                    chunk = chunk.decode("utf-8", "replace")
            out.append(chunk)
        return "".join(out)
    return str(value)


def _unfold(value: Any) -> str:
    """A header field's value (:func:`_text`) on one line (RFC 5322 §2.2.3)."""
    value = _text(value)
    return " ".join(value.split()) if ("\n" in value or "\r" in value) else value.strip()


def _address_of(value: Any) -> str | None:
    """The address of "rfc822; ann@example.org" (RFC 3464 §2.3.2)."""
    addr = _unfold(value).split(";", 1)[-1].strip().strip("<>").strip()
    return addr or None


#: the report part of a DSN: RFC 3464's, and RFC 6533's for internationalised addresses (UTF-8 in its fields)
_REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status")


def _split_head(chunk: bytes) -> tuple[Any, bytes]:
    """The header fields of an entity (a message, or one part of a multipart) as its bytes hold them, and its body:
    the fields end at the first empty line."""
    end = re.search(rb"\r?\n\r?\n", chunk)
    head, body = (chunk[:end.start()], chunk[end.end():]) if end else (chunk, b"")
    return email.parser.BytesParser(policy=email.policy.compat32).parsebytes(head + b"\n\n"), body


def _decoded(fields: Any, body: bytes) -> bytes | None:
    """``body`` with the transfer encoding its ``fields`` name (base64, quoted-printable) undone; None when it is
    not the base64 it says it is."""
    encoding = _text(fields.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        import base64
        import binascii

        try:
            return base64.b64decode(body)
        except (binascii.Error, ValueError):
            return None
    if encoding == "quoted-printable":
        import quopri

        return quopri.decodestring(body)
    return body


def _part_body(raw: bytes, parent: Any, part: Any) -> bytes | None:
    """The body of ``part``, a direct part of the multipart ``parent``, as the message's bytes hold it, with its
    transfer encoding (base64, quoted-printable) undone; None when it cannot be found there."""
    boundary = parent.get_boundary()
    if not boundary:
        return None
    want = part.get_content_type()
    for chunk in re.split(rb"\r?\n--" + re.escape(boundary.encode("ascii", "surrogateescape")) + rb"(?:--)?[ \t]*(?=\r?\n|$)", raw):
        fields, body = _split_head(chunk.lstrip(b"\r\n"))
        if fields.get_content_type() == want:
            return _decoded(fields, body)
    return None


class _MessageReader:
    """Bounce messages: one Record per recipient block of a delivery status notification (RFC 3464)."""

    def __init__(self, explainer: _Explainer):
        self.explain = explainer
        self.parser = email.parser.BytesParser(policy=email.policy.compat32)

    def read(self, raw: bytes | io.BufferedIOBase, source: str, index: int) -> Iterator[Any]:
        if not isinstance(raw, bytes):  # a message file, or one message of an mbox
            raw = raw.read()
        try:
            yield from self._read(raw, source, index)
        except (RecursionError, email.errors.MessageError, UnicodeError, LookupError) as exc:
            # a message the email package cannot take apart (MIME parts nested thousands deep) or decode: this one
            # message is unrecognised, and the messages and files after it are read
            what = "MIME parts nested too deep to read" if isinstance(exc, RecursionError) else f"{type(exc).__name__}: {exc}"
            yield _Unrecognised(source, index, f"a message that could not be read: {what}")

    def _read(self, raw: bytes, source: str, index: int) -> Iterator[Any]:
        msg = self.parser.parsebytes(raw)
        report = next((part for part in msg.walk() if part.get_content_type() in _REPORT_TYPES), None)
        if report is None:
            subject = _subject(msg)
            if msg.get_content_type() != "multipart/report" and _is_plain_bounce(msg, subject):
                yield from self._plain_bounce(msg, subject, source, index)
                return
            why = "not a delivery status notification (RFC 3464)"
            if msg.get_content_type() == "multipart/report":  # a report broken on its way, not some other message
                why = ("a report (multipart/report) with no boundary to cut it into its parts" if not msg.get_boundary()
                       else "a report (multipart/report) with no delivery status part (message/delivery-status)")
            yield _Unrecognised(source, index, f"{why}: {msg.get_content_type()}, Subject: {subject[:120]}")
            return
        blocks = report.get_payload()
        encoding = _text(report.get("Content-Transfer-Encoding", "")).strip().lower()
        if encoding in ("base64", "quoted-printable") or report.get_content_type() == "message/global-delivery-status":
            # the parser cut the report into field blocks as it stands, encoded, or as one message with a body (a
            # global DSN, RFC 6533, is not a type it knows): read its field blocks from the part's own bytes, from
            # the multipart that holds the report as one of its own parts (not the last multipart walked past)
            parent = next((p for p in msg.walk() if p.get_content_maintype() == "multipart"
                           and any(child is report for child in p.get_payload())), None)
            if parent is not None:
                body = _part_body(raw, parent, report)
            elif report is msg:  # no multipart around it: the whole message is the report
                body = _decoded(*_split_head(raw))
            else:
                body = None
            text = (body or b"").decode("utf-8", "replace")
            blocks = [email.parser.Parser(policy=email.policy.compat32).parsestr(chunk.strip() + "\n", headersonly=True)
                      for chunk in re.split(r"\r?\n[ \t]*\r?\n", text) if chunk.strip()]
        per_message: dict[str, str] = {}
        found = False
        for block in blocks:  # each an email Message: the parser's blocks of a delivery-status part, or ours above
            if block.get("Final-Recipient") is None and block.get("Original-Recipient") is None \
                    and block.get("Action") is None and block.get("Status") is None:
                per_message.update((k.lower(), _text(v)) for k, v in block.items())
                continue
            found = True
            yield self._recipient(block, per_message, msg, source, index)
        if not found:
            yield _Unrecognised(source, index, "a delivery status notification with no recipient block")

    def _plain_bounce(self, msg: Any, subject: str, source: str, index: int) -> Iterator[Any]:
        """A bounce in plain text (Exim's "Mail delivery failed", qmail's "failure notice"): one Record for each
        address it lists, with the lines under it."""
        text = _plain_text(msg)
        blocks = list(_plain_bounce_blocks(text))
        # a delay warning says so before the addresses it lists, or in its subject; a reply quoted under one address
        # that speaks of a delay says nothing of the others
        preamble = text[:text.find(blocks[0][2])] if blocks else text
        delayed = bool(_BOUNCE_DELAYED.search(preamble) or _BOUNCE_DELAYED.search(subject))
        # Exim names the addresses that failed in X-Failed-Recipients: an address the bounce's text lists that is not
        # there was read from somewhere else (the copy of the message, in words no rule knows to stop at)
        failed = {a.strip().lower() for a in _unfold(_text(msg.get("X-Failed-Recipients", ""))).split(",") if a.strip()}
        if not blocks and ("<-- " in text and "--> " in text or "--- Session Transcript ---" in text):
            # MDaemon's bounces quote the session's transcript ("--- Session Transcript ---"): read as its log is
            yield from self._transcript_bounce(msg, text, source, index, delayed)
            return
        if not blocks:
            # a bounce about one recipient that lists it in no form above (Gmail's old "Delivery to the following
            # recipient failed permanently", Domino's "was not delivered to:"): the one address it names, or the one
            # X-Failed-Recipients names, and the whole of its own text
            lines = {a.group("addr").lower(): a for a in _LINE_ADDRESS.finditer(text)}
            named = set(lines) | failed
            if len(named) == 1:
                addr = named.pop()
                a = lines.get(addr)
                end = text.find("\n", a.end()) if a else -1
                own = text[a.start():end if end != -1 else len(text)].strip() if a else ""
                # Sendmail's warning says it on the address's own line ("<cid@example.org>... Deferred: Connection
                # timed out"): that line; otherwise the bounce's whole text
                blocks = [(addr, own if own.startswith("<") and "..." in own else text.strip(), "")]
        when = msg.get("Date")
        found = False
        for recipient, detail, _ in blocks:
            if failed and recipient.lower() not in failed and not delayed:
                continue
            found = True
            basic, enhanced, reason, permanent, retry, actor, note = self.explain(detail)
            if delayed:
                status = "deferred"
            else:
                # the message was returned: the queue tried for the last time, whatever class the last reply had
                given_up = reason == "expired" or bool(_GIVEN_UP.search(detail))
                status = "expired" if given_up else "bounced"
            yield Record(source, index, "bounce", _unfold(when) if when else None, None, recipient,
                         _domain_of(recipient), basic, enhanced, reason, permanent, _final(status, retry), actor, note,
                         status, detail)
        if not found:
            yield _Unrecognised(source, index,
                                f"a bounce in plain text with no address it could read: Subject: {subject[:120]}")

    def _transcript_bounce(self, msg: Any, text: str, source: str, index: int, delayed: bool) -> Iterator[Any]:
        """The failures of the session transcript a bounce quotes, one Record for each recipient, as the log's
        (:meth:`_LineReader._transcript`); a recipient the transcript does not name is the returned message's own."""
        reader = _LineReader(self.explain)
        reader._mdaemon[source] = ("", [])
        found = [r for r in reader.read((line.strip() for line in text.split("\n")), source)
                 if isinstance(r, Record) and r.status != "delivered"]
        returned = _returned_recipients(msg)
        for r in found:
            recipient = r.recipient or (returned[0] if len(returned) == 1 else None)
            # a final bounce whose last attempt failed for the time being (a 4xx, a connection that never opened)
            # was given up by the queue: expired, as Sisimai reads it
            status = "deferred" if delayed else "expired" if r.status == "deferred" or r.reason == "expired" or \
                _GIVEN_UP.search(r.text) else "bounced"
            yield replace(r, line=index, kind="bounce", recipient=recipient, domain=_domain_of(recipient) or r.domain,
                          status=status, retry=_final(status, r.retry))
        if not found:
            yield _Unrecognised(source, index, "a bounce quoting a session transcript with no failing reply")

    def _recipient(self, block: Any, per_message: dict[str, str], msg: Any, source: str, index: int) -> Record:
        recipient = _address_of(block.get("Final-Recipient")) or _address_of(block.get("Original-Recipient"))
        parts = []
        for name in ("Action", "Status", "Will-Retry-Until", "Diagnostic-Code"):
            value = block.get(name)
            if value is not None:
                parts.append(f"{name}: {_unfold(value)}")
        text = "\n".join(parts)
        basic, enhanced, reason, permanent, retry, actor, note = self.explain(text)
        action = _unfold(_text(block.get("Action", ""))).lower()
        status = _DSN_ACTIONS.get(action) or _status_of_reply(reason, permanent)
        if status == "bounced" and reason == "expired":
            status = "expired"  # failed because the queue's time ran out (X.4.7): given up, as Postfix's status=expired
        remote = block.get("Remote-MTA")
        domain = _domain_of(recipient) or (_address_of(_text(remote)).lower().rstrip(".") if remote else None)
        when = block.get("Last-Attempt-Date") or per_message.get("arrival-date") or msg.get("Date")
        queue = per_message.get("x-postfix-queue-id")
        return Record(source, index, "dsn", _unfold(when) if when else None, _unfold(queue) if queue else None,
                      recipient, domain, basic, enhanced, reason, permanent, _final(status, retry), actor, note, status,
                      text)


# A bounce that is no DSN (RFC 3464) but a message in plain text, as Exim's default bounce ("Mail delivery failed:
# returning message to sender", from Mailer-Daemon, with X-Failed-Recipients) and qmail's ("failure notice", from
# MAILER-DAEMON) are: known by who sends it, what it is called or the field Exim adds
_BOUNCE_FROM = re.compile(r"mailer-daemon|mail delivery (?:sub)?system|postmaster@|courier mail server|microsoftexchange|"
                          r"\bmdaemon@", re.IGNORECASE)
# ... and not an auto-reply that quotes a bounce's subject ("Automatic reply: Undeliverable: ...")
_AUTO_REPLY = re.compile(r"^(?:automatic reply|auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office|auto):",
                         re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(r"mail delivery failed|failure notice|undeliver|returned mail|delivery (?:status )?"
                             r"(?:notification|failure)|warning: message .* delayed|delivery delayed|non.?delivery|"
                             r"could not send message|mail delivery status|warning: delayed mail|"
                             # in Vietnamese, with its marks or without: "Thư không gửi được", "Gửi thư thất bại",
                             # "Thư bị trả lại", "Không thể chuyển phát thư"
                             r"kh[oô]ng (?:th[eể] )?(?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? (?:đ|d)[uư][oợ]c|"
                             r"(?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? th[aấ]t b[aạ]i|th[uư] b[iị] tr[aả] l[aạ]i|"
                             r"kh[oô]ng th[eể] (?:g[uử]i|chuy[eể]n(?: ph[aá]t)?) th[uư]|"
                             # "Gửi thư không thành công", "Thư không được gửi đi"
                             r"(?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? kh[oô]ng th[aà]nh c[oô]ng|"
                             r"kh[oô]ng (?:đ|d)[uư][oợ]c (?:g[uử]i|chuy[eể]n)", re.IGNORECASE)
# a final bounce whose queue ran out of time: qmail's "I'm not going to try again; this message has been in the queue too
# long.", Exim's "retry timeout exceeded"
_GIVEN_UP = re.compile(r"in the queue too long|retry timeout exceeded|not going to try again", re.IGNORECASE)
# ... whose text says that delivery is still being tried (Exim's delay warning: "has not yet been delivered")
_BOUNCE_DELAYED = re.compile(r"not yet been delivered|has been delayed|message .{0,40} delayed|will (?:keep|continue) "
                             r"(?:trying|to try)|warning message only|transient non-fatal", re.IGNORECASE)
# where the copy of the returned message starts: nothing below it is the bounce's ("------ This is a copy of the
# message, including all the headers. ------", qmail's "--- Below this line is a copy of the message.")
_RETURNED_COPY = re.compile(r"^[ \t]*-{2,} ?(?:this is a copy of|below this line is a copy|original message|the body of|"
                            r"the header of|a copy of)", re.IGNORECASE | re.MULTILINE)
# qmail lists each address at a line's start in angle brackets with a colon ("<bob@example.org>:"), the lines after it
# up to an empty line its account; Exim indents each address by two spaces, and the lines about it by four
_QMAIL_ADDRESS = re.compile(r"^<(?P<addr>[^<>\s]+@[^<>\s]+)>:[ \t]*(?P<rest>.*)$")
# Sendmail lists each address in angle brackets alone on its line ("<bob@example.org>"), the lines about it indented
# ("    (reason: 550 5.1.1 ... User unknown)"); Exchange each address alone and bare, then the host and "Remote Server
# returned '550 ...'" up to an empty line
_SENDMAIL_BOUNCE_ADDRESS = re.compile(r"^<(?P<addr>[^<>\s]+@[^<>\s]+)>[ \t]*$")
_EXCHANGE_BOUNCE_ADDRESS = re.compile(r"^(?P<addr>[^\s<>()@,;:]+@[^\s<>()@,;:]+\.[^\s<>()@,;:]+)[ \t]*$")
# an address that starts a line of a bounce's own text, alone or as Sendmail's "<bob@example.org>... Deferred" or
# Exchange's "bob@example.org (bob@example.org)": for a bounce about one recipient that lists it no other way
_LINE_ADDRESS = re.compile(r"^[ \t]*<?(?P<addr>[^\s<>()@,;:\"']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>?(?=[ \t]*$|\.\.\.| \()",
                           re.MULTILINE)
_EXIM_BOUNCE_ADDRESS = re.compile(r"^  (?P<addr>[^\s<>:,]+@[^\s<>:,]+)(?:[ \t]+<[^>]*>)?(?::[ \t]*(?P<rest>.*))?$")
# where a copy of the returned message's header starts, in words no marker above names (another language, another
# MTA): a header field at a line's start; nothing from there on is the bounce's own account
_COPIED_HEADER = re.compile(r"^(?:return-path|received|from|to|cc|subject|date|message-id|delivered-to|mime-version):",
                            re.IGNORECASE)


def _subject(msg: Any) -> str:
    """The message's subject on one line, its encoded words (RFC 2047) decoded."""
    import email.header

    raw = _text(msg.get("Subject", ""))
    try:
        return _unfold(str(email.header.make_header(email.header.decode_header(raw))))
    except (ValueError, LookupError, email.errors.HeaderParseError):
        return _unfold(raw)


def _is_plain_bounce(msg: Any, subject: str) -> bool:
    """A message with no delivery status part that is a bounce all the same: sent by a mailer daemon or a mail
    delivery system and called a bounce in its ``subject`` (decoded: :func:`_subject`; not an auto-reply that quotes
    one), or carrying Exim's X-Failed-Recipients."""
    if msg.get("X-Failed-Recipients") is not None:
        return True
    # (not Auto-Submitted: auto-replied, which RFC 3834 §5 gives every automatic response, bounces among them:
    # Postfix, Exim and Exchange set it on theirs; a vacation responder's own fields say what it is)
    if _AUTO_REPLY.match(subject) or msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return False
    return bool(_BOUNCE_FROM.search(_text(msg.get("From", ""))) and _BOUNCE_SUBJECT.search(subject))


def _returned_recipients(msg: Any) -> list[str]:
    """The addresses in the To and Cc fields of the message a bounce returns (its message/rfc822 part)."""
    import email.utils

    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is None:
                return []
            fields = [_text(v) for name in ("To", "Cc") for v in inner.get_all(name, [])]
            return [a for _, a in email.utils.getaddresses(fields) if "@" in a]
    return []


def _plain_text(msg: Any) -> str:
    """The bounce's own text: its first text/plain part, decoded, up to the copy of the message it returns."""
    part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
    if part is None:
        return ""
    body = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = body.decode(charset, "replace")
    except (LookupError, UnicodeError):  # a charset Python does not know, or one that cannot replace ("idna")
        text = body.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n")
    end = _RETURNED_COPY.search(text)
    return text[:end.start()] if end else text


def _plain_bounce_blocks(text: str) -> Iterator[tuple[str, str, str]]:
    """(recipient, what the bounce says of it, the address's own line) for each address a plain bounce lists, as
    qmail or Exim list them; an address with nothing said of it is no failure the bounce reports."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _COPIED_HEADER.match(lines[i]):
            return  # a copy of the returned message's header begins
        q = _QMAIL_ADDRESS.match(lines[i])
        e = None if q else _EXIM_BOUNCE_ADDRESS.match(lines[i])
        s = None if q or e else _SENDMAIL_BOUNCE_ADDRESS.match(lines[i])
        x = None if q or e or s else _EXCHANGE_BOUNCE_ADDRESS.match(lines[i])
        m = q or e or s or x
        if m is None:
            i += 1
            continue
        first = lines[i]
        rest = (m.groupdict().get("rest") or "").strip()
        detail = [rest] if rest else []
        i += 1
        while i < len(lines):
            line = lines[i]
            if (q or x) and (not line.strip() or _QMAIL_ADDRESS.match(line)):
                break  # qmail, Exchange: an empty line, or the next address, ends the account
            if e and not line.startswith("    "):
                break  # Exim: the lines about an address are indented by four spaces
            if s and not line[:1].isspace():
                break  # Sendmail: the lines about an address are indented
            detail.append(line.strip())
            i += 1
        said = "\n".join(d for d in detail if d)
        # a bare address alone is Exchange's only with its reply, or hMailServer's with its "Error Type:"
        if said and (not x or "erver returned" in said or "erver replied" in said or "Error Type:" in said):
            yield m.group("addr"), said, first


# -- sources -------------------------------------------------------------------

class _Gunzip(io.RawIOBase):
    """The bytes of a gzip file (RFC 1952; one member or several, one after another) as far as they go. A file cut
    short (a copy of a log still being written, a transfer that stopped) gives what it holds up to the cut, where
    gzip's own reader gives nothing of the block it was reading; so does a file damaged in its middle, up to the
    damage. ``problem`` then says what was wrong."""

    def __init__(self, raw: Any):
        self.raw = raw
        self.inflate = zlib.decompressobj(wbits=31)
        self.pending = b""
        self.at = 0  # how much of pending has been given out: a decompressed block is handed out without copying it again
        self.problem: tuple[str, dict[str, Any]] | None = None  # (the key of the problem's wording, its values)
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.at == len(self.pending):
            self.pending, self.at = b"", 0
        while not self.pending and not self.done:
            chunk = self.raw.read(1 << 16)
            try:
                if not chunk:
                    self.done = True
                    self.pending = self.inflate.flush()
                    if not self.inflate.eof:
                        self.problem = ("gzip_cut", {})
                    break
                before = self.inflate.copy()
                try:
                    self.pending = self.inflate.decompress(chunk)
                except zlib.error:
                    # damaged in this block: what it held before the damage, read in small steps from where it began
                    self.inflate, self.pending = before, b""
                    for at in range(0, len(chunk), 256):
                        self.pending += self.inflate.decompress(chunk[at:at + 256])  # raises at the damage
                while self.inflate.eof and self.inflate.unused_data:
                    rest = self.inflate.unused_data
                    if not rest.startswith(b"\x1f\x8b"):
                        self.done = True  # what follows the last member (zeros a tool padded it with) is not data
                        break
                    self.inflate = zlib.decompressobj(wbits=31)  # the next member
                    self.pending += self.inflate.decompress(rest)
            except zlib.error as exc:
                self.done = True
                self.problem = ("gzip_damaged", {"reason": exc})
        n = min(len(buffer), len(self.pending) - self.at)
        buffer[:n] = memoryview(self.pending)[self.at:self.at + n]
        self.at += n
        return n


class _Progress:
    """A tqdm bar over the bytes of one input file, on standard error, only where a person watches it."""

    def __init__(self, path: str, size: int, raw: Any):
        self.bar = None
        self.raw = raw
        if size < PROGRESS_BYTES or not _watched():
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=size, unit="B", unit_scale=True, desc=os.path.basename(path), file=sys.stderr, leave=False)
        self.done = 0

    def update(self) -> None:
        if self.bar is not None:
            try:
                at = self.raw.tell()
            except (OSError, ValueError):
                return
            self.bar.update(at - self.done)
            self.done = at

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _watched() -> bool:
    """Standard error is a terminal, and this is no CI run."""
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _is_message(head: bytes) -> bool:
    """Whether a file's first bytes are a message's header (an .eml file) rather than log lines."""
    if not _HEADER.match(head):
        return False
    block = b"\n" + head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].lower()
    return any(h in block for h in _MESSAGE_HEADERS)


def _lines_of(text: io.TextIOWrapper) -> Iterator[str]:
    """The lines of ``text``, each cut at MAX_LINE_CHARS: the rest of a longer line is skipped, so that a file with no
    line break in it is never held whole in memory; without the NUL bytes a line holds."""
    read = text.readline
    while True:
        line = read(MAX_LINE_CHARS)
        if not line:
            return
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            rest = line
            while len(rest) == MAX_LINE_CHARS and rest[-1] not in "\r\n":
                rest = read(MAX_LINE_CHARS)
        if "\x00" in line:  # a run of NUL bytes where a crash cut the log: never text
            line = line.replace("\x00", "")
        yield line


def _iter_text_lines(stream: Any, progress: _Progress | None = None, encoding: str = "utf-8") -> Iterator[str]:
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline=None)
    try:
        if progress is None or progress.bar is None:
            yield from _lines_of(text)
            return
        for n, line in enumerate(_lines_of(text)):
            if not n & 0x3FFF:
                progress.update()
            yield line
    finally:
        try:
            text.detach()  # the stream stays open: it may be standard input, and its owner closes it
        except ValueError:
            pass


def _mbox_messages(stream: Any) -> Iterator[bytes]:
    """The messages of an mbox read as a stream (gzip or standard input): each starts at a "From " line."""
    current: list[bytes] = []
    for line in stream:
        if line.startswith(b"From ") and (not current or current[-1] in (b"\n", b"\r\n")):
            if current:
                yield b"".join(current)
            current = []
            continue
        current.append(line[1:] if line.startswith(b">From ") else line)
        if len(current) > 100_000:  # a runaway message: keep memory bounded
            yield b"".join(current)
            current = []
    if current:
        yield b"".join(current)


def _problem_text(t: dict[str, Any], key: str, values: dict[str, str]) -> str:
    """A problem worded by the triage UI strings ``t`` of one language."""
    from ._templates import fill

    if "kind" in values:
        values = {**values, "kind": t["file_kinds"][values["kind"]]}
    if "hint" in values:
        values = {**values, "hint": t["file_kinds"][values["hint"]] if values["hint"] else ""}
    return fill(t["problem"][key], values)


class _Reader:
    def __init__(self, lang: str, catalogue: Any):
        explainer = _Explainer(lang, catalogue)
        self.lines = _LineReader(explainer)
        self.lines.problem = self._problem
        self.messages = _MessageReader(explainer)
        self._english = catalogue.ui(lang="en")["triage"]

    def _problem(self, source: str, key: str, **values: Any) -> _Problem:
        """An input that could not be read, worded in English (its message) and keyed for the other languages."""
        said = {k: str(v) for k, v in values.items()}
        return _Problem(source, _problem_text(self._english, key, said), key, tuple(sorted(said.items())))

    def paths(self, paths: Iterable[str]) -> Iterator[Any]:
        for path in oldest_first(list(paths)):
            yield from self.path(path)

    def path(self, path: str) -> Iterator[Any]:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                yield self._problem("-", "stdin_closed")
                return
            yield from self.stream(stdin, "-", None)
            return
        if not path:
            yield self._problem("''", "empty_path")
            return
        if os.path.isdir(path):
            yield from self.folder(path)
            return
        try:
            fh = open(path, "rb")  # closed below, once the generator is done
        except OSError as exc:
            yield self._problem(path, "cannot_read", reason=exc.strerror or exc)
            return
        except ValueError:  # a NUL character in the path: no file can have that name
            yield self._problem(path, "nul_in_path")
            return
        with fh:
            try:
                size = os.fstat(fh.fileno()).st_size
            except OSError:
                size = 0
            yield from self.stream(fh, path, size, mbox_path=path)

    def folder(self, path: str) -> Iterator[Any]:
        """A Maildir (its cur/ and new/ folders) or a plain folder of message or log files, in name order but for a
        rotated log's files, oldest first (:func:`oldest_first`)."""
        subs = [os.path.join(path, d) for d in ("cur", "new") if os.path.isdir(os.path.join(path, d))]
        try:
            if subs:
                files = [os.path.join(s, n) for s in subs for n in sorted(os.listdir(s)) if not n.startswith(".")]
            else:
                files = [os.path.join(path, n) for n in sorted(os.listdir(path)) if not n.startswith(".")]
        except OSError as exc:
            yield self._problem(path, "cannot_read_folder", reason=exc.strerror or exc)
            return
        for name in oldest_first(files):
            if os.path.isfile(name):
                yield from self.path(name)

    def stream(self, fh: Any, source: str, size: int | None, mbox_path: str | None = None) -> Iterator[Any]:
        buffered = fh if hasattr(fh, "peek") else io.BufferedReader(fh)
        try:
            head = buffered.peek(2)[:2]
            compressed = head == b"\x1f\x8b"
            gunzip = _Gunzip(buffered) if compressed else None
            stream = io.BufferedReader(gunzip, 1 << 16) if gunzip is not None else buffered
            if compressed:
                mbox_path = None  # the mailbox module reads plain files only
            first = stream.peek(4096)[:4096]
            if first.startswith(b"From "):
                yield from self.mbox(stream, source, mbox_path)
            elif _is_message(first.lstrip(b"\r\n")):
                yield from self.messages.read(stream, source, 1)
            elif first.startswith(_BINARY_KINDS):
                kind = next(name for magic, name in _BINARY_MAGIC if first.startswith(magic))
                yield self._problem(source, "not_text", kind=kind)
            elif b"\x00" in first.split(b"\n", 1)[0] and text_encoding(first) != "utf-16":
                # no log or reply starts with NUL bytes in its first line: a program, an image, or UTF-16 saved with
                # no byte order mark (a run of NUL bytes further on, where a crash cut a log, is read past)
                even, odd = first[0:64:2].count(0), first[1:64:2].count(0)  # UTF-16: every other byte NUL
                hint = "utf16" if max(even, odd) > 24 and min(even, odd) < 2 else ""
                yield self._problem(source, "nul_bytes", offset=first.index(0), hint=hint)
            else:
                progress = _Progress(source, size or 0, fh) if size else None
                try:
                    yield from self.lines.read(_iter_text_lines(stream, progress, text_encoding(first)), source)
                finally:
                    if progress is not None:
                        progress.close()
            if gunzip is not None and gunzip.problem:
                key, values = gunzip.problem
                yield self._problem(source, key, **values)
        except (OSError, EOFError, zlib.error) as exc:
            key = "bad_gzip" if isinstance(exc, (EOFError, zlib.error)) else "cannot_read"
            yield self._problem(source, key, reason=getattr(exc, "strerror", None) or exc)

    def mbox(self, stream: Any, source: str, path: str | None) -> Iterator[Any]:
        if path is not None:
            import mailbox

            box = mailbox.mbox(path, factory=None, create=False)
            try:
                for index, key in enumerate(box.iterkeys(), 1):
                    with box.get_file(key) as fh:
                        yield from self.messages.read(fh, source, index)
            finally:
                box.close()
            return
        for index, raw in enumerate(_mbox_messages(stream), 1):
            yield from self.messages.read(raw, source, index)


# -- the summary ----------------------------------------------------------------------

class Summary:
    """What a triage found, as counters: attempts by reason (with the retry advice and who
    acts), by status, the receiving domains of each failing reason, and what was not
    recognised. ``str(summary)`` is the plain-text table in the triage's language.
    """

    def __init__(self, lang: str, catalogue: Any):
        self.lang = lang
        self._catalogue = catalogue
        self.records = 0
        # (reason, retry, actor, note) -> attempts; a note (greylisting) is a row of its own, said in its own words
        self.by_reason: Counter[tuple[str, str, str, str | None]] = Counter()
        self.by_status: Counter[str] = Counter()
        self.by_kind: Counter[str] = Counter()
        # receiving domains by family: (reason, note), so that greylisting's domains are not a block's
        self._domains: dict[tuple[str, str | None], Counter[str]] = {}
        self._other_domains: Counter[tuple[str, str | None]] = Counter()
        self.unrecognised = 0
        self.other_lines = 0
        self.refused_incoming = 0  # of other_lines: this server's refusals of mail coming in
        self._problems: list[_Problem] = []  # the inputs that could not be read

    def _add(self, r: Record) -> None:
        self.records += 1
        self.by_reason[(r.reason, r.retry, r.actor, r.note)] += 1
        self.by_status[r.status] += 1
        self.by_kind[r.kind] += 1
        if r.reason != "delivered" and r.status != "delivered":
            family = (r.reason, r.note)
            counts = self._domains.get(family)
            if counts is None:
                counts = self._domains[family] = Counter()
            domain = r.domain or ""
            if domain in counts or len(counts) < DOMAINS_PER_REASON:
                counts[domain] += 1
            else:
                self._other_domains[family] += 1

    def reasons(self) -> list[tuple[str, str, str, int, str | None]]:
        """(reason, retry, actor, attempts, note), most attempts first; ``note`` is None unless the replies
        name a family within the reason (greylisting within blocked)."""
        return [(reason, retry, actor, n, note) for (reason, retry, actor, note), n in
                sorted(self.by_reason.items(), key=lambda kv: (-kv[1], kv[0][:3], kv[0][3] or ""))]

    def reason_totals(self) -> list[tuple[str, int]]:
        """(reason, attempts) summed over the retry advice, most first."""
        totals: Counter[str] = Counter()
        for (reason, _, _, _), n in self.by_reason.items():
            totals[reason] += n
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))

    def family_totals(self) -> list[tuple[str, str | None, int]]:
        """(reason, note, attempts) summed over the retry advice, most first: a family a rule names within
        its reason (greylisting within blocked) counted apart from the rest of that reason, as the chart
        shows it, since a greylisted attempt passes on its next retry and a block does not."""
        totals: Counter[tuple[str, str]] = Counter()
        for (reason, _, _, note), n in self.by_reason.items():
            totals[(reason, note or "")] += n
        return [(reason, note or None, n) for (reason, note), n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def failing(self) -> int:
        """The attempts that did not deliver (a message relayed on, or expanded to a list's members, is no failure)."""
        return self.records - sum(self.by_status.get(s, 0) for s in ("delivered", "relayed", "expanded"))

    def top_domains(self, n: int = 5) -> dict[str, list[tuple[str, int]]]:
        """For each failing reason (most attempts first), its ``n`` receiving domains with the
        most attempts; "" stands for attempts with no domain, and "*" for the domains past
        the per-reason limit of tracked domains."""
        _check_top(n)
        out: dict[str, list[tuple[str, int]]] = {}
        for reason, _ in self.reason_totals():
            families = [family for family in self._domains if family[0] == reason]
            counts: Counter[str] = sum((self._domains[f] for f in families), Counter())
            if counts:
                out[reason] = self._top(counts, sum(self._other_domains[f] for f in families), n)
        return out

    def family_domains(self, n: int = 5) -> list[tuple[str, str | None, list[tuple[str, int]]]]:
        """As :meth:`top_domains`, for each family of a failing reason as :meth:`family_totals` counts them: the
        domains that greylist are not listed among those that block. (reason, note, domains), most attempts first."""
        _check_top(n)
        return [(reason, note, self._top(self._domains[(reason, note)], self._other_domains[(reason, note)], n))
                for reason, note, _ in self.family_totals() if self._domains.get((reason, note))]

    @staticmethod
    def _top(counts: Counter[str], other: int, n: int) -> list[tuple[str, int]]:
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return top + [("*", other)] if other else top

    def as_dict(self, top: int = 5) -> dict[str, Any]:
        """The summary as plain data (what ``--format html`` and the table show)."""
        return {
            "records": self.records, "failing": self.failing,
            "reasons": [{"reason": a, "note": note, "retry": b, "actor": c, "attempts": n}
                        for a, b, c, n, note in self.reasons()],
            "statuses": dict(sorted(self.by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
            "kinds": dict(sorted(self.by_kind.items())),
            "top_domains": {k: [{"domain": d, "attempts": n} for d, n in v] for k, v in self.top_domains(top).items()},
            "unrecognised": self.unrecognised, "other_lines": self.other_lines,
            "refused_incoming": self.refused_incoming, "problems": list(self.problems),
        }

    def ui(self) -> dict[str, Any]:
        return self._catalogue.ui(lang=self.lang)

    @property
    def problems(self) -> list[str]:
        """The inputs that could not be read, "source: what was wrong", in English."""
        return [f"{p.source}: {p.message}" for p in self._problems]

    def problem_lines(self) -> list[str]:
        """The inputs that could not be read, "source: what was wrong", in the summary's language."""
        return [f"{p.source}: {p.text(self.lang, self._catalogue)}" for p in self._problems]

    def to_text(self, top: int = 5) -> str:
        """The plain-text table in the triage's language (``str(summary)`` with 5 domains)."""
        from ._render_triage import text

        return text(self, top=top)

    def __str__(self) -> str:
        return self.to_text()

    def to_html(self, top: int = 5) -> str:
        """One self-contained HTML page: the table and a bar chart of the reasons (inline SVG, no network)."""
        from ._render_triage import html

        return html(self, top=top)

    def svg(self) -> str:
        """The bar chart of the reasons as an inline SVG element (the one in :meth:`to_html`): the
        same bytes for the same summary, text kept as text, named for screen readers. In a
        notebook: ``IPython.display.HTML(summary.svg())``."""
        from ._render_triage import svg

        return svg(self)

    def plot(self, ax: Any = None) -> Any:
        """A horizontal bar chart of the attempts by reason, drawn with matplotlib; returns the Axes."""
        from ._render_triage import plot

        return plot(self, ax=ax)

    def __repr__(self) -> str:
        return f"Summary(records={self.records}, failing={self.failing}, unrecognised={self.unrecognised})"


def _check_top(n: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidTypeError(f"the number of domains shown per reason must be a whole number of at least 1, not {n!r}")
    if n < 1:
        raise InvalidArgumentError(f"the number of domains shown per reason must be a whole number of at least 1, not {n!r}")


# -- the triage --------------------------------------------------------------------

class Triage:
    """The records of a log, of bounce messages or of lines, read lazily.

    Iterating yields :class:`Record` objects as they are read; iterating again reads the
    source again (a Triage over a one-shot iterator of lines can be read once).
    :meth:`summary` reads the whole source once and keeps only counters.
    """

    def __init__(self, paths: list[str] | None, lines: Iterable[str] | None, lang: str, catalogue: Any):
        self._paths = paths
        self._lines = lines
        self._one_shot = lines is not None and iter(lines) is lines
        self._used = False
        self.lang = lang
        self._catalogue = catalogue
        self._summary: Summary | None = None

    def _events(self) -> Iterator[Any]:
        """Records, and what is not one: _Unrecognised, _Problem and _OTHER, in reading order."""
        if self._one_shot:
            if self._used:
                raise InvalidArgumentError("this triage reads a one-shot iterator of lines, and it has been read: "
                                           "pass a list of lines or a path to read it again")
            self._used = True
        reader = _Reader(self.lang, self._catalogue)
        if self._paths is not None:
            return reader.paths(self._paths)
        return reader.lines.read(_split_lines(self._lines), "-")  # type: ignore[arg-type]

    def events(self) -> Iterator[Any]:
        """Every record and every other thing read, counted in a fresh summary as they go
        (:meth:`summary` afterwards gives that summary without reading again)."""
        summary = Summary(self.lang, self._catalogue)
        for event in self._events():
            if isinstance(event, Record):
                summary._add(event)
            elif event is _OTHER:
                summary.other_lines += 1
            elif event is _REFUSED:
                summary.other_lines += 1
                summary.refused_incoming += 1
            elif isinstance(event, _Unrecognised):
                summary.unrecognised += 1
            elif isinstance(event, _Problem):
                summary._problems.append(event)
            yield event
        self._summary = summary

    def __iter__(self) -> Iterator[Record]:
        for event in self.events():
            if isinstance(event, Record):
                yield event

    def summary(self) -> Summary:
        """The counts of the whole source (read once; a later call gives the same summary)."""
        if self._summary is None:
            for _ in self.events():
                pass
        return self._summary  # type: ignore[return-value]

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame, one row per record (needs ``pip install 'smtpteach[pandas]'``)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("Triage.to_pandas() needs pandas, an optional extra: pip install 'smtpteach[pandas]'") from None
        return pandas.DataFrame.from_records((r.as_dict() for r in self), columns=list(FIELDS))

    def __repr__(self) -> str:
        what = f"{len(self._paths)} path(s)" if self._paths is not None else "lines"
        return f"Triage({what}, lang={self.lang!r})"


def _split_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines given in Python, an item holding several lines cut into them."""
    for item in lines:
        if not isinstance(item, str):
            raise InvalidTypeError(f"triage() reads lines of text, not {type(item).__name__}")
        if "\n" in item.rstrip("\r\n") or "\r" in item.rstrip("\r\n"):
            yield from item.splitlines()
        else:
            yield item


def _as_paths(source: Any) -> list[str] | None:
    """The paths ``source`` names, or None when it is lines."""
    if isinstance(source, (str, os.PathLike)):
        return [os.fspath(source)]
    if isinstance(source, (list, tuple)):
        if all(isinstance(s, os.PathLike) for s in source):
            return [os.fspath(s) for s in source]
        if all(isinstance(s, str) for s in source) and source and all(
                s == "-" or os.path.exists(s) or not any(c.isspace() for c in s) for s in source):
            return list(source)
    return None


# A log that logrotate has rotated: mail.log.1, mail.log.2.gz (the higher the number, the older), or with dateext
# mail.log-20240312 and mail.log-20240312.gz (the earlier the date, the older); mail.log itself is the newest.
_ROTATED = re.compile(r"(?P<base>.+?)(?:\.(?P<number>[0-9]{1,4})|-(?P<date>[0-9]{8}(?:[0-9]{2})?))(?:\.gz)?")


def oldest_first(paths: list[str]) -> list[str]:
    """``paths`` with the rotations of each log in the order they were written, oldest first, so that a deferral
    in mail.log.1.gz is read before the expiry in mail.log that gives up on it; each log's rotations take the
    place of the first of them, and every other path keeps its place.

    >>> oldest_first(["mail.log", "mail.log.1.gz", "mail.log.2.gz", "other.eml", "mail.log.10"])
    ['mail.log.10', 'mail.log.2.gz', 'mail.log.1.gz', 'mail.log', 'other.eml']
    >>> oldest_first(["maillog", "maillog-20240310.gz", "maillog-20240303.gz"])
    ['maillog-20240303.gz', 'maillog-20240310.gz', 'maillog']
    """
    def base_and_age(path: str) -> tuple[str, tuple[int, int, str]]:
        m = _ROTATED.fullmatch(path)
        if m is None:
            return path, (2, 0, "")  # the live file, newest
        if m["number"] is not None:
            return m["base"], (0, -int(m["number"]), "")
        return m["base"], (1, 0, m["date"])

    keyed = [base_and_age(p) for p in paths]
    bases = Counter(base for base, _ in keyed)
    groups: dict[str, list[tuple[tuple[int, int, str], str]]] = {}
    out: list[str] = []
    for path, (base, age) in zip(paths, keyed):
        if bases[base] < 2 and age[0] == 2:
            out.append(path)
            continue
        if base not in groups:
            groups[base] = []
            out.append(base)  # the group's place, filled below
        groups[base].append((age, path))
    result: list[str] = []
    for item in out:
        if item in groups:
            result += [path for _, path in sorted(groups.pop(item))]
        else:
            result.append(item)
    return result


def triage(source: Any, *, lang: str = "en", catalogue: Any = None) -> Triage:
    """Read a mail log, bounce messages or reply lines record by record.

    ``source`` is a path (a file, a Maildir or a folder; ``"-"`` for standard input), a
    list of paths, or an iterable of text lines. A list whose items name existing files,
    or hold no white space, is a list of paths; any other list holds lines. Each record is
    one delivery attempt, explained by :func:`smtpteach.explain`. An input that cannot be
    read (a missing file, a broken gzip file) stops nothing: it is listed in
    ``summary().problems``, and the other inputs are read.

    >>> t = triage(["Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=x[192.0.2.1]:25, "
    ...             "status=bounced (host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))",
    ...             "Dec  4 10:00:02 mx postfix/smtp[2]: B2: to=<b@example.net>, relay=y[192.0.2.2]:25, "
    ...             "status=deferred (host y[192.0.2.2] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))"])
    >>> [(r.queue_id, r.domain, r.basic, r.reason, r.status) for r in t]
    [('A1', 'example.org', '550', 'userunknown', 'bounced'), ('B2', 'example.net', '452', 'mailboxfull', 'deferred')]
    >>> t.summary().records
    2
    """
    from ._catalogue import _resolve, default_catalogue

    cat = default_catalogue() if catalogue is None else _resolve(catalogue)
    cat._require_language(lang)
    if isinstance(source, (bytes, bytearray)):
        raise InvalidTypeError("triage() reads a path, a list of paths or lines of text, not bytes")
    paths = _as_paths(source)
    if paths is not None:
        return Triage(paths, None, lang, cat)
    if isinstance(source, Iterable):
        return Triage(None, source, lang, cat)
    raise InvalidTypeError(f"triage() reads a path, a list of paths or lines of text, not {type(source).__name__}")
