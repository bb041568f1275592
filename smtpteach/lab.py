"""A real SMTP server on 127.0.0.1 for the live lab, and a client that keeps a transcript.

>>> from smtpteach.lab import LabServer
>>> with LabServer(mailboxes=["ana@lab.example"]) as server:
...     with server.client() as client:
...         reply = client.command("EHLO client.example")
...         reply.code.code
'250'

The server is aiosmtpd with a small subclass, so that it sends the replies a
teacher wants to show, each with its enhanced status code (RFC 2034), except
where RFC 2034 §3 forbids one (the 220 greeting, the reply to HELO or EHLO,
and every 3xx):

- 550 for an unknown mailbox, 503 for commands out of order (aiosmtpd's own),
  and 503 for a MAIL inside a transaction, before anything it says is read;
- 501 5.5.4 for a MAIL or RCPT that breaks the syntax, with the syntax HELP
  gives, as real servers write it (``Syntax: MAIL FROM:<address>``);
- 452 past the recipient limit (RFC 5321 §4.5.3.1.10);
- 451 4.7.1 while greylisting, keyed on the (client IP, sender, recipient)
  triplet, until the sender retries after a delay (RFC 5321 §4.5.4.1);
- 530, 535 and 235 while authentication is required (RFC 4954);
- 552 past the size limit, at MAIL (SIZE=, RFC 1870) or after DATA;
- 421 past the rate limit, and 421 when the server shuts down with clients
  still connected (RFC 5321 §3.8);
- 214 for HELP; and 211 for ``HELP STATUS``, which is this lab's own
  invention (see :class:`LabServer`);
- and, after accepting a message for an address listed in ``undeliverable``,
  a bounce: a DSN (RFC 3464, RFC 6522) sent with the null reverse-path to a
  mailbox the learner reads (:attr:`LabServer.bounces`, :func:`make_dsn`).

Some settings are teaching settings, not what a real server does: a recipient
limit under 100 breaks RFC 5321 §4.5.3.1.8, and a greylisting delay of seconds
stands in for the minutes real servers use. The docstrings say so where it
matters.

It binds 127.0.0.1 only, on a free port it picks itself (never printed), with a
fixed host name and ident so transcripts are the same on every machine, and it
always stops: leaving the ``with`` block closes every session, stops the
thread and frees the port. Dates come from a clock you can pass
(:class:`LabClock`), so nothing the lab prints depends on the wall clock.

Where there is no network to listen on (Pyodide, the Python of JupyterLite in a
browser, has neither sockets nor threads), the same server runs in memory
(``LabServer(network=False)``, the default there; ``smtpteach._lab_memory``): its
clients hand it each command's bytes and read its replies from a buffer, with the
same dialogue byte for byte. Only what needs a real connection is missing there:
TLS, and clients other than :class:`LabClient`.

Reply texts are what a real server sends, printable ASCII and in English in
every language (:data:`WIRE_TEXT`). The sentences written for people (the
bounce's human-readable part and headers) come from :data:`LAB_TEXT` by
language, and the annotations from the bilingual catalogue.
"""

from __future__ import annotations

import hashlib
import mailbox as _mailbox
import re
import socket
import sys
import textwrap
import threading
import warnings
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage, Message, MIMEPart
from email.utils import format_datetime
from typing import Any

from ._errors import InvalidArgumentError, InvalidTypeError, SmtpTeachError

__all__ = [
    "LabServer", "LabClient", "LabMessage", "LabClock", "Exchange", "LabError", "make_dsn",
    "HOSTNAME", "IDENT", "NEXT_HOP", "LAB_EPOCH", "LAB_TEXT", "WIRE_TEXT",
]

HOSTNAME = "mx.lab.example"
IDENT = "ESMTP smtpteach lab"
# The host the lab pretends to hand mail on to; its refusals fill a bounce's Remote-MTA.
NEXT_HOP = "mailstore.lab.example"
# Where a LabClock starts unless told otherwise: a fixed date, so printed dates never change.
LAB_EPOCH = datetime(2026, 12, 1, 9, 0, 0, tzinfo=timezone.utc)

# What the lab's server says on the wire. Reply text is printable US-ASCII (RFC 5321
# §4.2, ``textstring``), and real servers word it in English whatever their users
# speak, so these are the same in every language: a learner meets them as they are.
WIRE_TEXT: dict[str, str] = {
    "sender_ok": "Sender OK",
    "recipient_ok": "Recipient OK",
    "accepted": "Message accepted for delivery",
    "too_many": "Too many recipients: at most {limit} per transaction",
    "unknown_mailbox": "<{address}>: Recipient address rejected: mailbox unavailable",
    "greylisted": "<{address}>: Greylisted, please try again later",
    "rate_limited": "{host} Too many messages from you, closing connection; slow down",
    "shutting_down": "{host} Service shutting down, closing transmission channel",
    "help_title": "{host} lab server",
    "help_commands": "commands: {commands}",
    "help_status": "HELP STATUS shows the lab's status (211, a lab feature, not standard SMTP)",
    "help_syntax": "Syntax: {syntax}",
    "help_unknown": "HELP: no help for {arg}",
    "status_title": "{host} status (HELP STATUS is this lab's own feature)",
    "status_mailboxes": "known mailboxes: {count}",
    "status_messages": "messages accepted: {count}",
    "status_limits": "recipient limit: {recipients}; size limit: {size}",
    "teaching_limit": "{limit} (a teaching setting: RFC 5321 asks for at least 100)",
    "status_greylisting": "greylisting: {greylisting}",
    "any": "any",
    "none": "none",
    "off": "off",
    "greylist_on": "after {delay:g} s",
    "later_unknown": "<{address}>: Recipient address rejected: User unknown in the mail store",
    # RFC 6531 §3.5: a non-ASCII address in a transaction that did not say SMTPUTF8 on MAIL FROM. The reply
    # does not repeat the address: reply text is ASCII.
    "utf8_sender": "This sender address needs SMTPUTF8, and MAIL FROM did not declare it",
    "utf8_recipient": "This recipient address needs SMTPUTF8, and MAIL FROM did not declare it",
    # RFC 5321 §4.1.1.3: the null path <> is a reverse-path only, never a recipient
    "null_recipient": "The null path <> names no recipient",
    # a control character in an address, or a path over RFC 5321 §4.5.3.1.3's 256 octets
    "bad_address": "Bad address syntax",
    # RFC 3207 §4.2: no second TLS negotiation on a session that has one
    "tls_active": "TLS is already on for this session",
    # a lab with no credentials offers no login (EHLO lists no AUTH); Postfix and Exim answer AUTH with 503 there
    "auth_off": "Authentication is not enabled on this server",
    # RFC 4954 §5: MAIL's AUTH= parameter is <> or a mailbox in xtext (RFC 3461 §4), given once
    "auth_param": "Syntax: AUTH=<> or AUTH=mailbox, in xtext, once",
    # RFC 5321 §4.1.4: MAIL inside a transaction, worded as Postfix words it
    "nested_mail": "Error: nested MAIL command",
}


def _bad_path(address: str) -> bool:
    """An address with a control character in it, or a path longer than RFC 5321 §4.5.3.1.3's 256 octets."""
    return len(address.encode("utf-8")) + 2 > 256 or any(c < " " or c == "\x7f" for c in address)


def _echo(address: str) -> str:
    """An address as a reply may repeat it: printable ASCII only (RFC 5321 §4.2, textstring), at most 100 characters
    (a reply line stays within 512 octets, §4.5.3.1.5); anything else becomes "?"."""
    shown = "".join(c if " " <= c <= "~" else "?" for c in address)
    return shown if len(shown) <= 100 else shown[:97] + "..."


class _LabText(Mapping):
    """The sentences the lab writes for people (a bounce's human-readable part and its
    headers), by language: the ``lab`` section of each language's UI data
    (``smtpteach/data/<lang>/lab.yaml``), read on first use."""

    def _languages(self) -> tuple[str, ...]:
        from ._catalogue import default_catalogue

        return tuple(default_catalogue().languages)

    def __getitem__(self, lang: str) -> dict[str, str]:
        from ._catalogue import default_catalogue

        if lang not in self._languages():
            raise KeyError(lang)
        return default_catalogue().ui(lang=lang)["lab"]

    def __iter__(self):
        return iter(self._languages())

    def __len__(self) -> int:
        return len(self._languages())

    def __repr__(self) -> str:
        return f"LAB_TEXT({', '.join(self)})"


LAB_TEXT: Mapping[str, dict[str, str]] = _LabText()

# Enhanced codes for replies aiosmtpd words on its own (RFC 3463 §3 subjects).
_DEFAULT_ENHANCED = {
    "211": "2.0.0", "214": "2.0.0", "221": "2.0.0", "235": "2.7.0", "250": "2.0.0", "252": "2.0.0",
    "421": "4.3.2", "451": "4.3.0", "452": "4.3.1", "454": "4.7.0",
    "500": "5.5.2", "501": "5.5.4", "502": "5.5.1", "503": "5.5.1", "504": "5.5.4",
    "530": "5.7.0", "535": "5.7.8", "550": "5.0.0", "552": "5.3.4", "553": "5.1.3", "554": "5.0.0", "555": "5.5.4",
}
# What HELP MAIL shows for each EHLO keyword that gives MAIL a parameter, in the order EHLO lists them: the size in
# bytes (RFC 1870), the body type (RFC 6152), SMTPUTF8 (RFC 6531 §3.4) and the submitter (RFC 4954 §5)
_MAIL_PARAMETERS = (
    ("SIZE", "[SIZE=bytes]"),
    ("8BITMIME", "[BODY=7BIT|8BITMIME]"),
    ("SMTPUTF8", "[SMTPUTF8]"),
    ("AUTH", "[AUTH=mailbox|<>]"),
)
# xtext (RFC 3461 §4): printable ASCII but "+" and "=", and "+" with two upper-case hex digits for any other octet
_XTEXT = re.compile(r"(?:[!-*,-<>-~]|\+[0-9A-F]{2})+")
# aiosmtpd's syntax error for MAIL and RCPT, "501 Syntax: MAIL FROM: <address>" (" [SP <mail-parameters>]" after
# EHLO), with a space after the colon that no real server writes (Postfix: "501 5.5.4 Syntax: MAIL FROM:<address>")
_AIOSMTPD_SYNTAX = re.compile(r"501 Syntax: (?:(MAIL) FROM|(RCPT) TO): <address>")
_HAS_ENHANCED = re.compile(r"^[2-5][0-9][0-9][ -][245]\.[0-9]{1,3}\.[0-9]{1,3}( |$)")
_HEADER_LINE = re.compile(r"^([!-9;-~]+:|[ \t])")


class LabError(SmtpTeachError, RuntimeError):
    """The lab server could not start, the client lost its connection, or no reply matches."""


def _check_lang(lang: Any) -> None:
    if not isinstance(lang, str) or lang not in LAB_TEXT:
        raise InvalidArgumentError(f"the lab has no {lang!r} strings (it has: {', '.join(sorted(LAB_TEXT))})")


def _text(lang: str, key: str, **slots: Any) -> str:
    """A sentence for people, in ``lang``."""
    _check_lang(lang)
    return LAB_TEXT[lang][key].format(**slots)


def _wire(key: str, **slots: Any) -> str:
    """Reply text as the server sends it (the same in every language)."""
    return WIRE_TEXT[key].format(**slots)


def _seconds(value: Any) -> bool:
    """Whether ``value`` is a number of seconds a lab can wait: more than 0, less than a day (not nan, not inf)."""
    return not isinstance(value, bool) and isinstance(value, (int, float)) and 0 < value < 86_400


def _check_text(value: Any, what: str) -> None:
    """``value`` is text that UTF-8 can carry, or a clear error naming ``what``."""
    if not isinstance(value, str):
        raise InvalidTypeError(f"{what} is text (str), not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidArgumentError(f"{what} holds {value[exc.start]!r}, a lone surrogate, which no connection can carry") from None


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class LabClock:
    """A clock that moves only when you move it, for lessons and tests that must not wait.

    Pass it to :class:`LabServer` as ``clock=``: greylisting measures its delay
    with it, and bounces take their dates from it.

    >>> clock = LabClock()
    >>> clock()
    datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.timezone.utc)
    >>> clock.advance(300).isoformat()
    '2026-12-01T09:05:00+00:00'
    """

    def __init__(self, start: datetime = LAB_EPOCH):
        if not isinstance(start, datetime) or start.tzinfo is None:
            raise InvalidArgumentError(f"a LabClock starts at a datetime with a time zone, not {start!r}")
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by ``seconds`` and return the new time."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds < float("inf"):
            raise InvalidArgumentError(f"a LabClock only moves forward, by a number of seconds, not {seconds!r}")
        with self._lock:
            try:
                self._now += timedelta(seconds=seconds)
            except OverflowError:
                raise InvalidArgumentError(f"{seconds!r} seconds would move the LabClock past the year 9999") from None
            return self._now

    def __repr__(self) -> str:
        return f"LabClock({self().isoformat()})"


@dataclass(frozen=True)
class LabMessage:
    """A message the lab server accepted. ``mail_from`` is "" for the null reverse-path."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: str


@dataclass(frozen=True)
class Exchange:
    """One command and the reply it got. ``command`` is None for the greeting and for an
    unprompted reply (a 421 before the server hangs up), and "." for the end of a message."""

    command: str | None
    reply: Any


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sender(envelope: Any) -> str:
    """The envelope sender, "" for the null reverse-path (aiosmtpd keeps it as "<>")."""
    address = envelope.mail_from or ""
    return "" if address == "<>" else address


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _header_block(content: str) -> str:
    """The header section of a message: its first lines, up to an empty line or one that is no header field."""
    lines = content.replace("\r\n", "\n").split("\n")
    block = []
    for line in lines:
        if line == "" or not _HEADER_LINE.match(line) or (not block and line[0] in " \t"):
            break
        block.append(line)
    return "\n".join(block) + ("\n" if block else "")


_DSN_POLICY = policy.default.clone(max_line_length=998)


def make_dsn(original: str, *, sender: str, failures: Mapping[str, str], arrival_date: datetime,
             date: datetime | None = None, reporting_mta: str = HOSTNAME,
             received_from_mta: str | None = None, remote_mta: str | None = NEXT_HOP,
             lang: str = "en") -> EmailMessage:
    """Build a delivery status notification (a bounce) for ``original``, with Python's email package.

    The result is a whole DSN (RFC 3464 §2): a ``multipart/report;
    report-type=delivery-status`` message (RFC 6522) addressed to ``sender``,
    the envelope sender of the original, with three parts:

    1. ``text/plain``: the explanation for a person;
    2. ``message/delivery-status``: the report for software, one block of
       per-message fields (Reporting-MTA, Received-From-MTA when given,
       Arrival-Date) and one block per failed recipient (Final-Recipient,
       Action: failed, Status, Remote-MTA when given, Diagnostic-Code,
       Last-Attempt-Date);
    3. ``text/rfc822-headers``: the original's header section (RFC 6522 §4).

    ``failures`` maps each failed recipient to the 5xx reply that refused it;
    its enhanced code is the Status (X.0.0 of the reply's class if it has
    none). ``remote_mta`` is the host that gave those replies; pass None when
    the reporting MTA itself refused (RFC 3464 §2.3.5: no Remote-MTA then).
    ``date`` (the DSN's Date and Last-Attempt-Date) defaults to
    ``arrival_date``. The Message-ID and the MIME boundary are derived from the
    content, so the same input gives the same bytes.

    This builds the message only. Sending it is the reporting MTA's job, with
    ``MAIL FROM:<>`` (RFC 5321 §4.5.5, §6.1); :class:`LabServer` does that for
    you and adds ``Return-Path: <>`` when it files the bounce.

    >>> dsn = make_dsn("Subject: hi\\n\\nhello\\n", sender="me@client.example",
    ...                failures={"ghost@lab.example": "550 5.1.1 User unknown"},
    ...                arrival_date=LAB_EPOCH)
    >>> dsn.get_content_type(), dsn.get_param("report-type")
    ('multipart/report', 'delivery-status')
    >>> [part.get_content_type() for part in dsn.iter_parts()]
    ['text/plain', 'message/delivery-status', 'text/rfc822-headers']
    >>> recipient = dsn.get_payload(1).get_payload(1)
    >>> recipient["Action"], recipient["Status"], recipient["Final-Recipient"]
    ('failed', '5.1.1', 'rfc822; ghost@lab.example')
    """
    from ._replies import parse_reply

    if not isinstance(failures, Mapping):
        raise InvalidTypeError(f"failures maps each failed recipient to its reply, not {type(failures).__name__}")
    for name, value in (("arrival_date", arrival_date), ("date", date)):
        if (value is not None or name == "arrival_date") and not isinstance(value, datetime):
            raise InvalidTypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if not sender:
        raise InvalidArgumentError("no DSN for a message with the null reverse-path (RFC 5321 §6.1: MUST NOT send one)")
    if not failures:
        raise InvalidArgumentError("a DSN reports at least one failed recipient")
    if arrival_date.tzinfo is None or (date is not None and date.tzinfo is None):
        raise InvalidArgumentError("DSN dates need a time zone")
    # each of these goes into a field of the report: a line break there would start a field of its own
    for name, value in (("sender", sender), ("reporting_mta", reporting_mta), ("received_from_mta", received_from_mta),
                        ("remote_mta", remote_mta), *(("a failed recipient", r) for r in failures)):
        if value is not None and (not isinstance(value, str) or any(c in value for c in "\r\n\x00")):
            raise InvalidArgumentError(f"{name} must be one line of text, not {value!r}")
    # an address in UTF-8 (RFC 6531): the report is RFC 6533's global one, its addresses typed "utf-8"
    utf8 = not all(a.isascii() for a in (sender, *failures))
    date = arrival_date if date is None else date
    statuses = {}
    for recipient, reply_text in failures.items():
        reply = parse_reply(reply_text)
        if not reply.code.is_permanent_negative:
            raise InvalidArgumentError(f"a failed recipient needs a 5xx reply; {recipient!r} has {reply_text!r}")
        statuses[recipient] = str(reply.enhanced) if reply.enhanced is not None else f"{reply.code.reply_class}.0.0"
    # content-derived identifiers: the same bounce is the same bytes on every run
    key = _digest(reporting_mta, sender, original, arrival_date.isoformat(), date.isoformat(),
                  *(f"{r}\x00{t}" for r, t in failures.items()))

    # 1. for a person
    lines = [_text(lang, "dsn_intro", host=reporting_mta)]
    for recipient, reply_text in failures.items():
        if remote_mta:
            lines.append(_text(lang, "dsn_line_remote", recipient=recipient, remote=remote_mta))
        else:
            lines.append(_text(lang, "dsn_line_local", recipient=recipient))
        lines.append(textwrap.fill(" ".join(reply_text.split()), width=72, initial_indent="    ",
                                   subsequent_indent="    ", break_long_words=False, break_on_hyphens=False))
    lines.append(_text(lang, "dsn_outro"))
    human_text = "\n".join(lines)
    human = MIMEPart(policy=policy.default)
    human.set_content(human_text, cte="7bit" if human_text.isascii() else "8bit")
    human["Content-Description"] = _text(lang, "dsn_part_notification")

    # 2. for software: message/delivery-status, a list of field blocks (RFC 3464 §2.1)
    per_message = Message()
    per_message["Reporting-MTA"] = f"dns; {reporting_mta}"
    if received_from_mta:
        per_message["Received-From-MTA"] = f"dns; {received_from_mta}"
    per_message["Arrival-Date"] = format_datetime(arrival_date)
    blocks = [per_message]
    for recipient, reply_text in failures.items():
        block = Message()
        block["Final-Recipient"] = f"{'utf-8' if utf8 else 'rfc822'}; {recipient}"
        block["Action"] = "failed"
        block["Status"] = statuses[recipient]
        if remote_mta:
            block["Remote-MTA"] = f"dns; {remote_mta}"
        block["Diagnostic-Code"] = "smtp; " + " ".join(reply_text.split())
        block["Last-Attempt-Date"] = format_datetime(date)
        blocks.append(block)
    report = MIMEPart(policy=policy.default)
    if utf8:
        # RFC 6533 §3: the same field blocks in UTF-8, which this type may carry in base64 (§6.3; Python's generator
        # writes a list of blocks only for RFC 3464's type, and a message/* body in ASCII only). First: set_content
        # replaces every Content- field there is
        fields = "\n".join("".join(f"{name}: {value}\n" for name, value in b.items()) for b in blocks)
        report.set_content(fields.encode("utf-8"), "message", "global-delivery-status", cte="base64")
    report["Content-Description"] = _text(lang, "dsn_part_report")
    if not utf8:
        report["Content-Type"] = "message/delivery-status"
        report.set_payload(blocks)

    # 3. the original's header section
    headers = _header_block(original)
    returned = MIMEPart(policy=policy.default)
    returned.set_content(headers, subtype="rfc822-headers", cte="7bit" if headers.isascii() else "8bit")
    returned["Content-Description"] = _text(lang, "dsn_part_headers")

    # Never fold or encode a field: a Diagnostic-Code with a long address would otherwise come out
    # as RFC 2047 encoded words, which no DSN reader expects (RFC 5322 §2.1.1 allows 998 octets)
    dsn = EmailMessage(policy=_DSN_POLICY.clone(utf8=True) if utf8 else _DSN_POLICY)
    dsn["From"] = f"{_text(lang, 'dsn_from')} <postmaster@{reporting_mta}>"  # RFC 3464 §2: a human's address
    dsn["To"] = sender
    dsn["Subject"] = _text(lang, "dsn_subject")
    dsn["Date"] = format_datetime(date)
    dsn["Message-ID"] = f"<{key[:24]}.dsn@{reporting_mta}>"
    dsn["Auto-Submitted"] = "auto-replied"  # RFC 3834 §5.1: allowed on DSNs; never "auto-generated"
    dsn["MIME-Version"] = "1.0"
    dsn["Content-Type"] = "multipart/report; report-type=delivery-status"
    dsn.set_payload([human, report, returned])
    dsn.set_boundary(f"dsn-{key[24:40]}")
    return dsn


class _Handler:
    """The server's decisions (aiosmtpd handler hooks)."""

    def __init__(self, lab: LabServer):
        self.lab = lab

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> list[str]:
        session.host_name = hostname
        if self.lab.auth is None:
            # no credentials, no login: aiosmtpd would still list AUTH inside TLS (RFC 4954 §3: a server lists the
            # mechanisms it supports)
            responses = [r for r in responses if not r[4:].startswith("AUTH ")]
        return responses[:-1] + ["250-" + responses[-1][4:], "250 ENHANCEDSTATUSCODES"]

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        lab = self.lab
        if lab.rate_limit is not None:
            count = lab._sent_by_peer.get(session.peer[0], 0)
            if count >= lab.rate_limit:
                server._close_after = True
                return "421 4.7.0 " + lab._t("rate_limited", host=HOSTNAME)
        if _bad_path(address):
            return "501 5.1.7 " + lab._t("bad_address")
        if not address.isascii() and not envelope.smtp_utf8:
            # RFC 6531 §3.5: MAIL needs an ASCII address here, so 550 with X.6.7
            return "550 5.6.7 " + lab._t("utf8_sender")
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 " + lab._t("sender_ok")

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        lab = self.lab
        if lab.max_recipients is not None and len(envelope.rcpt_tos) >= lab.max_recipients:
            return "452 4.5.3 " + lab._t("too_many", limit=lab.max_recipients)
        if not address.isascii() and not envelope.smtp_utf8:
            # RFC 6531 §3.5: RCPT needs an ASCII address here, so 553 ("mailbox name not allowed") with X.6.7
            return "553 5.6.7 " + lab._t("utf8_recipient")
        if address in ("", "<>"):
            return "501 5.1.3 " + lab._t("null_recipient")
        if _bad_path(address):
            return "501 5.1.3 " + lab._t("bad_address")
        known = lab.mailboxes is None or address.lower() in lab.mailboxes or address.lower() in lab.undeliverable
        if not known:
            return "550 5.1.1 " + lab._t("unknown_mailbox", address=_echo(address))
        if lab.greylisting and lab._greylisted(session.peer[0], _sender(envelope), address):
            return "451 4.7.1 " + lab._t("greylisted", address=_echo(address))
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 " + lab._t("recipient_ok")

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        lab = self.lab
        content = envelope.content.decode("utf-8", "replace") if isinstance(envelope.content, bytes) else envelope.content
        sender = _sender(envelope)
        with lab._lock:
            lab.messages.append(LabMessage(sender, tuple(envelope.rcpt_tos), content))
            peer = session.peer[0]
            lab._sent_by_peer[peer] = lab._sent_by_peer.get(peer, 0) + 1
        failed = {r: lab.undeliverable[r.lower()] for r in envelope.rcpt_tos if r.lower() in lab.undeliverable}
        if failed:
            lab._bounce(sender, failed, content, helo=session.host_name, authenticated=bool(session.authenticated),
                        tls=bool(getattr(session, "ssl", None)), extended=session.extended_smtp)
        return "250 2.0.0 " + lab._t("accepted")


TLS_MODES = ("off", "offered", "required")


def _protocol(tls: bool, authenticated: bool, extended: bool = True) -> str:
    """The "with" of a Received line (RFC 3848): SMTP for a session that said HELO, ESMTP for one that said EHLO,
    then S for TLS and A for a login (both need EHLO's extensions).

    >>> _protocol(False, False), _protocol(True, False), _protocol(False, True), _protocol(True, True)
    ('ESMTP', 'ESMTPS', 'ESMTPA', 'ESMTPSA')
    >>> _protocol(False, False, extended=False)
    'SMTP'
    """
    if not (extended or tls or authenticated):
        return "SMTP"
    return "ESMTP" + ("S" if tls else "") + ("A" if authenticated else "")


def _tls_material() -> tuple[str, Any]:
    """A throwaway certificate for :data:`HOSTNAME` and 127.0.0.1 (an EC key, valid for a day), made when a
    server starts, and a server context that uses it: the lab keeps no certificate on disk and needs no
    network. Returns the certificate as PEM (the lab's clients trust it, and only it) and the context."""
    import ipaddress
    import os
    import ssl
    import tempfile

    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        raise LabError("the lab's STARTTLS needs the cryptography package (pip install 'smtpteach[lab]')") from None
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOSTNAME)])
    now = datetime.now(timezone.utc)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(HOSTNAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        # its own issuer, so a client can trust it as the one anchor
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)  # no client certificates asked for
    with tempfile.TemporaryDirectory() as folder:  # load_cert_chain reads files only
        path = os.path.join(folder, "lab.pem")
        with open(path, "w", encoding="ascii") as fh:
            fh.write(key_pem + cert_pem)
        context.load_cert_chain(path)
    return cert_pem, context


def _make_smtp_class():
    from aiosmtpd.smtp import SMTP, syntax

    class LabSMTP(SMTP):
        """aiosmtpd's server, with enhanced codes where RFC 2034 wants them, and 214/211 for HELP."""

        # The LOGIN mechanism's two prompts (sent in base64 after 334) as Postfix (Cyrus SASL), Exchange
        # (MS-XLOGIN) and Gmail word them, and as Go's net/smtp insists on: aiosmtpd's "User Name\x00" and
        # "Password\x00" decode with a NUL at the end (aiosmtpd issue #566)
        AuthLoginUsernameChallenge = "Username:"
        AuthLoginPasswordChallenge = "Password:"

        def __init__(self, handler: Any, *, lab: LabServer, **kwargs: Any):
            super().__init__(handler, **kwargs)
            self._lab = lab
            # each session its own limits: aiosmtpd keeps them in one table all its sessions share (each new session
            # empties it) and adds to MAIL's on every EHLO. smtp_EHLO sets MAIL's from what EHLO announces
            self.command_size_limits = defaultdict(lambda: self.command_size_limit)
            self._in_hello = False
            self._close_after = False
            lab._sessions.add(self)

        async def push(self, status: Any) -> None:
            text = status.decode() if isinstance(status, bytes) else str(status)
            found = _AIOSMTPD_SYNTAX.match(text)
            if found:  # the syntax as HELP gives it, with the parameters EHLO announces for MAIL
                text = "501 " + self._lab._t("help_syntax", syntax=self._syntax_of(found[1] or found[2]))
            code = text[:3]
            # RFC 2034 §3 (4): no enhanced code on the greeting, on the reply to HELO or EHLO, or on 3xx
            if (not self._in_hello and code in _DEFAULT_ENHANCED and not _HAS_ENHANCED.match(text)
                    and not text.startswith("220 ")):
                text = f"{text[:4]}{_DEFAULT_ENHANCED[code]} {text[4:]}".rstrip()
            await super().push(text)
            if self._close_after and self.transport is not None:
                self._close_after = False
                self.transport.close()

        @syntax("EHLO hostname")
        async def smtp_EHLO(self, hostname: str) -> None:
            self._in_hello = True
            try:
                await super().smtp_EHLO(hostname)
            finally:
                self._in_hello = False
            self._set_line_limits()

        @syntax("HELO hostname")
        async def smtp_HELO(self, hostname: str) -> None:
            self._in_hello = True
            try:
                await super().smtp_HELO(hostname)
            finally:
                self._in_hello = False
            self._set_line_limits()

        def _set_line_limits(self) -> None:
            """The longest lines this session takes, from what its latest EHLO announced: a command line's 512 octets
            (RFC 5321 §4.5.3.1.4), and for MAIL what each parameter EHLO announces adds: SIZE= 26 (RFC 1870),
            SMTPUTF8 10 (RFC 6531 §3.1), AUTH= 500 (RFC 4954 §3). A session that said HELO, or none yet, has 512 for
            every command (aiosmtpd's command_size_limit), and its reader aiosmtpd's own limit. A session inside TLS
            starts with that limit still: with TLS on offer, no EHLO before it announces AUTH (auth_require_tls)."""
            offered = self._extensions() if self.session.extended_smtp else set()
            self.command_size_limits["MAIL"] = self.command_size_limit + sum(
                extra for keyword, extra in (("SIZE", 26), ("SMTPUTF8", 10), ("AUTH", 500)) if keyword in offered)
            # aiosmtpd's reader takes a line of at most line_length_limit octets before its LF (1,001, from RFC 5321
            # §4.5.3.1.6's text line after DATA) and answers 500 to a longer one before it reads the command: it takes
            # MAIL's whole line too (smtp_DATA holds a text line to line_length_limit on its own)
            self._reader._limit = max(self.line_length_limit, self.command_size_limits["MAIL"] + 1)

        @syntax("STARTTLS", when="tls_context")
        async def smtp_STARTTLS(self, arg: str) -> None:
            if self._tls_protocol is not None:  # RFC 3207 §4.2: TLS once a session (aiosmtpd would start it again)
                await self.push("554 5.5.1 " + self._lab._t("tls_active"))
                return
            await super().smtp_STARTTLS(arg)

        def _extensions(self) -> set[str]:
            """The keywords EHLO announces in this session's state: aiosmtpd's smtp_EHLO, less the AUTH that the
            lab's handle_EHLO takes out when it has no credentials. What MAIL and HELP offer follows from it."""
            keywords = {"HELP", "ENHANCEDSTATUSCODES"}
            if self.data_size_limit:
                keywords.add("SIZE")  # RFC 1870
            if not self._decode_data:
                keywords.add("8BITMIME")  # RFC 6152
            if self.enable_SMTPUTF8:
                keywords.add("SMTPUTF8")  # RFC 6531
            if self.tls_context and not self._tls_protocol:
                keywords.add("STARTTLS")  # RFC 3207 §4.2: not inside TLS
            if self._lab.auth is not None and (not self._auth_require_tls or self._tls_protocol):
                keywords.add("AUTH")  # RFC 4954
            return keywords

        @syntax("MAIL FROM:<address>")
        async def smtp_MAIL(self, arg: str | None) -> None:
            # RFC 5321 §4.1.4: a MAIL inside a transaction is out of sequence whatever it says, so it gets 503 before
            # its syntax is read, as from Postfix (aiosmtpd reads the address and the parameters first)
            if self.envelope is not None and self.envelope.mail_from:
                await self.push("503 5.5.1 " + self._lab._t("nested_mail"))
                return
            # RFC 4954 §5: a server that announces AUTH MUST take MAIL's AUTH= parameter, from a client that logged
            # in or not (Postfix and Exim send it); aiosmtpd answers it 555. The lab relays nothing, so it checks the
            # value and leaves the rest of the command to aiosmtpd. Its checks come first: 503 before EHLO, 530
            # before AUTH where a login is required
            session = self.session
            if (arg and session is not None and session.extended_smtp and "AUTH" in self._extensions()
                    and not (self._auth_required and not session.authenticated)):
                rest = self._strip_command_keyword("FROM:", arg)
                address, params = self._getaddr(rest) if rest else (None, None)
                if address and params and rest.endswith(params):
                    words = params.split()
                    auth = [w for w in words if w[:5].upper() == "AUTH="]
                    if auth:
                        if len(auth) > 1 or not _XTEXT.fullmatch(auth[0][5:]):
                            await self.push("501 5.5.4 " + self._lab._t("auth_param"))
                            return
                        at = words.index(auth[0])
                        others = words[:at] + words[at + 1:]
                        arg = " ".join(["FROM:" + rest[:len(rest) - len(params)].rstrip(), *others])
            await super().smtp_MAIL(arg)

        @syntax("AUTH <mechanism>")
        async def smtp_AUTH(self, arg: str) -> None:
            if self._lab.auth is None:  # nothing to log in with: not "encryption required" (538), which TLS would not mend
                await self.push("503 5.5.1 " + self._lab._t("auth_off"))
                return
            await super().smtp_AUTH(arg)

        @syntax("HELP [command | STATUS]")
        async def smtp_HELP(self, arg: str) -> None:
            # RFC 5321 §4.1.1.8: HELP answers 214 (help) or 211 (system status).
            # "HELP STATUS" is the lab's own: real servers answer HELP with 214 or 502.
            arg = (arg or "").strip().upper()
            lab = self._lab
            t = lab._t
            if arg == "STATUS":
                greylisting = t("greylist_on", delay=lab.greylist_delay) if lab.greylisting else t("off")
                lines = [
                    t("status_title", host=HOSTNAME),
                    t("status_mailboxes", count=len(lab.mailboxes) if lab.mailboxes is not None else t("any")),
                    t("status_messages", count=len(lab.messages)),
                    t("status_limits", size=lab.size_limit or t("none"), recipients=(
                        t("none") if lab.max_recipients is None else lab.max_recipients if lab.max_recipients >= 100
                        else t("teaching_limit", limit=lab.max_recipients))),
                    t("status_greylisting", greylisting=greylisting),
                ]
                await self._push_lines("211", "2.0.0", lines)
                return
            names = self._offered_commands()
            if arg:
                if arg not in names:
                    await self.push("504 5.5.4 " + t("help_unknown", arg=arg[:20]))
                    return
                await self.push("214 2.0.0 " + t("help_syntax", syntax=self._syntax_of(arg)))
                return
            commands = " ".join(sorted(names))
            await self._push_lines("214", "2.0.0", [t("help_title", host=HOSTNAME), t("help_commands", commands=commands),
                                                    t("help_status")])

        def _offered_commands(self) -> set[str]:
            """The commands this server really offers now: AUTH and STARTTLS only when EHLO announces them (AUTH with
            credentials, inside TLS when TLS is on offer, and not in a session that said HELO; STARTTLS until TLS is
            on, RFC 3207 §4.2)."""
            names = {n for n, m in self._smtp_methods.items() if self._syntax_available(m)}
            offered = self._extensions()
            if self._said_helo():  # no extensions after HELO: AUTH gets 500 there (aiosmtpd: "not recognized")
                offered.discard("AUTH")
            return {n for n in names if n not in ("AUTH", "STARTTLS") or n in offered}

        def _said_helo(self) -> bool:
            """Whether this session greeted with HELO, which opens no extensions (RFC 5321 §4.1.1.1)."""
            session = self.session
            return session is not None and session.host_name is not None and not session.extended_smtp

        def _syntax_of(self, name: str) -> str:
            """HELP's syntax for a command, with what EHLO announces for it in this state: MAIL's parameters (none in
            a session that said HELO, which has no extensions: RFC 5321 §4.1.1.1), AUTH's mechanisms (RFC 4954 §4).
            RCPT has none: the lab offers no extension with RCPT parameters (no DSN, RFC 3461)."""
            if name == "MAIL":
                offered = set() if self._said_helo() else self._extensions()
                return " ".join(["MAIL FROM:<address>", *(shown for k, shown in _MAIL_PARAMETERS if k in offered)])
            if name == "RCPT":
                return "RCPT TO:<address>"  # RFC 5321 §4.1.1.3 (aiosmtpd writes "TO: <address>")
            if name == "AUTH":
                return f"AUTH {'|'.join(sorted(self._auth_methods))} [initial-response]"
            return self._smtp_methods[name].__smtp_syntax__

        async def _push_lines(self, code: str, enhanced: str, lines: Sequence[str]) -> None:
            for i, line in enumerate(lines):
                sep = " " if i == len(lines) - 1 else "-"
                await super().push(f"{code}{sep}{enhanced} {line}")

        def connection_lost(self, error: Any) -> None:
            self._lab._sessions.discard(self)
            super().connection_lost(error)

    return LabSMTP


_QUIET_LOCK = threading.Lock()
_QUIET = {"servers": 0, "level": 0}


def _quiet_aiosmtpd(starting: bool) -> None:
    """aiosmtpd logs each session with the client's address and port; while lab servers run, the lab keeps its
    output free of ports by logging only errors. The first server to start keeps the level there was, and the last
    to stop puts it back, whatever order two servers start and stop in."""
    import logging

    log = logging.getLogger("mail.log")
    with _QUIET_LOCK:
        if starting:
            if _QUIET["servers"] == 0:
                _QUIET["level"] = log.level
                log.setLevel(logging.ERROR)
            _QUIET["servers"] += 1
        elif _QUIET["servers"] > 0:
            _QUIET["servers"] -= 1
            if _QUIET["servers"] == 0:
                log.setLevel(_QUIET["level"])


class LabServer:
    """An SMTP server on 127.0.0.1 for teaching; use it as a context manager.

    Every argument is keyword-only:

    ``mailboxes``
        The addresses that exist (None: every address does); RCPT for any
        other gets ``550 5.1.1``.
    ``max_recipients``
        RCPTs past this many in one transaction get ``452 4.5.3`` (RFC 5321
        §4.5.3.1.10). A limit under 100 is a teaching setting: RFC 5321
        §4.5.3.1.8 says a server must take at least 100. After 452 the client
        sends the message to the recipients already accepted, then the rest
        in a new transaction (RFC 3463 X.5.3).
    ``size_limit``
        Bytes; announced in EHLO (``SIZE``, RFC 1870) and enforced with
        ``552 5.3.4`` at MAIL (``SIZE=``) and after DATA.
    ``greylisting``, ``greylist_delay``
        With ``greylisting=True``, RCPT gets ``451 4.7.1`` for a (client IP,
        sender, recipient) triplet first seen less than ``greylist_delay``
        seconds ago, on every try, in any session; from then on the triplet
        is accepted. A sender has to wait (RFC 5321 §4.5.4.1: it MUST delay
        its retry). The default delay is 5 s so that a lesson stays short; real
        greylisters wait minutes (postgrey: 300 s). postgrey, behind Postfix,
        answers ``450 4.2.0``; the lab answers ``451 4.7.1``.
    ``clock``
        A callable returning the current time as an aware ``datetime``:
        greylisting measures its delay with it and bounces take their dates
        from it. Default: the system clock (UTC). Pass a :class:`LabClock`
        for a time that moves only when you say, and output that never
        changes.
    ``auth``
        A (user, password) pair; until AUTH succeeds, MAIL gets ``530 5.7.0``;
        wrong credentials get ``535 5.7.8``, right ones ``235 2.7.0``
        (RFC 4954). Wherever EHLO lists AUTH, MAIL also takes the ``AUTH=``
        parameter (``AUTH=<>``, or a mailbox in xtext; RFC 4954 §5), as
        Postfix and Exim send it, on a MAIL line 500 characters longer
        (RFC 4954 §3). AUTH without TLS is for a lab on 127.0.0.1
        only. Without ``auth``, EHLO lists no AUTH and AUTH gets ``503
        5.5.1``, as Postfix and Exim answer when no login is set up.
    ``rate_limit``
        Messages a client IP may send; the next MAIL gets ``421 4.7.0`` and
        the connection closes, in mid-session.
    ``undeliverable``
        Addresses the server accepts at RCPT (even if not in ``mailboxes``)
        and then fails to deliver, as if its next hop (:data:`NEXT_HOP`)
        refused them: an iterable of addresses (each refused with ``550
        5.1.1``, user unknown) or a mapping of address to the 5xx reply to use
        (``{"full@lab.example": "552 5.2.2 Mailbox full"}``). For each message
        with such recipients the server builds one DSN (:func:`make_dsn`) to
        the envelope sender, "sends" it with the null reverse-path (RFC 5321
        §4.5.5) and files it in :attr:`bounces` (and in ``bounce_mailbox``),
        before it answers the final dot. A message that itself came with
        ``MAIL FROM:<>`` gets no bounce (RFC 5321 §6.1). Real servers bounce
        later, from their queue; and a server that accepts mail it cannot
        deliver sends backscatter, which is why real ones refuse at RCPT.
    ``bounce_mailbox``
        A :class:`mailbox.Mailbox` (``mailbox.Maildir(folder)``,
        ``mailbox.mbox(path)``) that receives each bounce too.
    ``lang``
        The language of the bounces the server writes for people (:data:`LAB_TEXT`).
        Its replies are the same in every language, as on a real server (:data:`WIRE_TEXT`).
    ``tls``
        ``"off"`` (the default): ``EHLO`` offers no ``STARTTLS``, and ``STARTTLS``
        gets ``454 4.7.0``. ``"offered"``: ``EHLO`` lists ``STARTTLS``, with a
        certificate for :data:`HOSTNAME` made when the server starts (the
        lab's clients trust it, and only it; :meth:`LabClient.starttls`), and
        with ``auth``, ``AUTH`` only inside TLS (``538 5.7.11`` before it).
        ``"required"``: the same, and every command but ``EHLO``, ``NOOP``,
        ``STARTTLS`` and ``QUIT`` gets ``530 5.7.0`` until TLS is on (RFC 3207
        §4), as a submission server on port 587 answers a client that forgot it.
    ``network``
        True: the server listens on a free port of 127.0.0.1, in a thread of its
        own, and any SMTP client can connect to ``port``. False: no port and no
        thread; the same server is fed bytes in memory by the clients that
        :meth:`client` gives, with the same dialogue byte for byte (``smtplib``
        and other programs cannot reach it, and TLS is off). None (the
        default): True, except in Pyodide (JupyterLite), which has no sockets.

    Attributes: ``messages`` (each :class:`LabMessage` accepted), ``bounces``
    (each bounce, an :class:`email.message.EmailMessage` as the sender's
    mailbox would hold it, starting with ``Return-Path: <>``), ``greylist``
    (the triplets seen, with the time each was first seen) and ``port``.

    ``HELP`` gets a 214 that lists the commands, and ``HELP MAIL`` (any
    command's name) a 214 with its syntax, with the parameters EHLO announces
    at that point (``MAIL FROM:<address> [SIZE=bytes] [BODY=7BIT|8BITMIME]
    [SMTPUTF8] [AUTH=mailbox|<>]`` with all of them); both name AUTH and
    STARTTLS only where EHLO lists them (and AUTH not after HELO, where it
    gets 500). ``HELP STATUS`` gets a 211
    with the lab's settings: that is the lab's own invention, allowed by RFC
    5321 §4.2.2's "System status" but offered by no common server. Real
    servers answer ``HELP`` with 502 5.5.2 (Postfix does not implement it),
    214 and a list of commands (Exim), or 214 2.0.0 and a URL (Gmail).
    """

    def __init__(self, *, mailboxes: Iterable[str] | None = None, max_recipients: int | None = None,
                 size_limit: int | None = None, greylisting: bool = False, greylist_delay: float = 5.0,
                 clock: Callable[[], datetime] | None = None,
                 auth: tuple[str, str] | None = None, rate_limit: int | None = None,
                 undeliverable: Iterable[str] | Mapping[str, str] = (),
                 bounce_mailbox: _mailbox.Mailbox | None = None, lang: str = "en", tls: str = "off",
                 network: bool | None = None):
        from ._replies import parse_reply

        if tls not in TLS_MODES:
            raise InvalidArgumentError(f"tls is one of {', '.join(map(repr, TLS_MODES))}, not {tls!r}")
        if network is None:
            network = sys.platform != "emscripten"  # Pyodide, in the browser: no sockets, no threads
        if not isinstance(network, bool):
            raise InvalidArgumentError(f"network is True, False or None, not {network!r}")
        if not network and tls != "off":
            raise LabError("the lab's TLS needs a real connection to put TLS on: use network=True (make lab), "
                           "not a server in memory")

        for name, value in (("max_recipients", max_recipients), ("size_limit", size_limit), ("rate_limit", rate_limit)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise InvalidArgumentError(f"{name} must be a positive whole number or None, not {value!r}")
        if auth is not None and (not isinstance(auth, (tuple, list)) or len(auth) != 2
                                 or not all(isinstance(x, str) and x for x in auth)):
            raise InvalidArgumentError("auth must be a (user, password) pair of non-empty strings")
        if not isinstance(greylisting, bool):
            raise InvalidArgumentError(f"greylisting is True or False, not {greylisting!r} (the delay is greylist_delay)")
        if not _seconds(greylist_delay):
            raise InvalidArgumentError(f"greylist_delay must be a positive number of seconds, less than a day, not {greylist_delay!r}")
        if clock is not None and not callable(clock):
            raise InvalidArgumentError(f"clock must be a callable that returns a datetime, not {clock!r}")
        if bounce_mailbox is not None and not isinstance(bounce_mailbox, _mailbox.Mailbox):
            raise InvalidArgumentError(f"bounce_mailbox must be a mailbox.Mailbox (Maildir, mbox, ...), not {bounce_mailbox!r}")
        _check_lang(lang)
        self.lang = lang
        for name, value in (("mailboxes", mailboxes), ("undeliverable", undeliverable)):
            if isinstance(value, str):
                raise InvalidArgumentError(f"{name} is a list of addresses, not one string: [{value!r}]")
            if value is not None and not isinstance(value, Iterable):
                raise InvalidTypeError(f"{name} is a list of addresses, not {type(value).__name__}")
            if value is not None and not all(isinstance(a, str) and a for a in value):
                raise InvalidArgumentError(f"{name} holds addresses as text, not {[a for a in value if not isinstance(a, str) or not a][:3]!r}")
        self.mailboxes = None if mailboxes is None else {m.lower() for m in mailboxes}
        self.max_recipients = max_recipients
        self.size_limit = size_limit
        self.greylisting = greylisting
        self.greylist_delay = float(greylist_delay)
        self.clock: Callable[[], datetime] = clock if clock is not None else _utc_now
        self.auth = auth
        self.rate_limit = rate_limit
        items = undeliverable.items() if isinstance(undeliverable, Mapping) else (
            (address, None) for address in undeliverable)
        self.undeliverable: dict[str, str] = {}
        for address, reply in items:
            reply = reply if reply is not None else "550 5.1.1 " + _wire("later_unknown", address=address)
            parsed = parse_reply(reply)
            if not parsed.code.is_permanent_negative:
                raise InvalidArgumentError(f"undeliverable[{address!r}] must be a 5xx reply, not {reply!r}")
            self.undeliverable[address.lower()] = reply
        self.bounce_mailbox = bounce_mailbox
        self.tls = tls
        self._tls_pem: str | None = None
        self.messages: list[LabMessage] = []
        self.bounces: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._greylist: dict[tuple[str, str, str], datetime] = {}
        self._sent_by_peer: dict[str, int] = {}
        self._sessions: weakref.WeakSet = weakref.WeakSet()
        self.network = network
        self._controller: Any = None
        self._memory: Any = None  # the in-memory loop, when network is False and the server runs
        self.port: int | None = None

    # -- the server's state and decisions ------------------------------------
    def _t(self, key: str, **slots: Any) -> str:
        return _wire(key, **slots)

    def _now(self) -> datetime:
        now = self.clock()
        return now if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)

    @property
    def greylist(self) -> dict[tuple[str, str, str], datetime]:
        """The triplets seen, (client IP, sender, recipient) in lower case, each with the time it was first seen."""
        with self._lock:
            return dict(self._greylist)

    def _greylisted(self, ip: str, sender: str, recipient: str) -> bool:
        """True while this triplet is younger than the delay; the first try starts its clock."""
        now = self._now()
        with self._lock:
            first = self._greylist.setdefault((ip, sender.lower(), recipient.lower()), now)
        return (now - first).total_seconds() < self.greylist_delay

    def _bounce(self, sender: str, failed: Mapping[str, str], content: str, *, helo: str | None,
                authenticated: bool, tls: bool = False, extended: bool = True) -> None:
        """Deliver a DSN for the failed recipients to the sender's mailbox (nothing for a null sender)."""
        if not sender:
            return  # RFC 5321 §6.1: never a notification about a notification
        arrival = self._now()
        queue_id = _digest(sender, content, arrival.isoformat())[:10].upper()
        # RFC 5321 §4.4: the trace line this server adds to what it accepts
        received = (f"Received: from {helo or 'unknown'} ([127.0.0.1])\n"
                    f"\tby {HOSTNAME} (smtpteach lab) with {_protocol(tls, authenticated, extended)} id {queue_id};\n"
                    f"\t{format_datetime(arrival)}\n")
        dsn = make_dsn(received + content.replace("\r\n", "\n"), sender=sender, failures=failed,
                       arrival_date=arrival, date=self._now(), reporting_mta=HOSTNAME,
                       received_from_mta=helo, remote_mta=NEXT_HOP, lang=self.lang)
        # the mailbox's view: the envelope's null reverse-path becomes Return-Path (RFC 5321 §4.4)
        filed = message_from_bytes(b"Return-Path: <>\n" + dsn.as_bytes(), policy=policy.default)
        with self._lock:
            self.bounces.append(filed)
            box = self.bounce_mailbox
            if box is not None:
                if isinstance(box, _mailbox.mbox):
                    stored = _mailbox.mboxMessage(filed)
                    stored.set_from("MAILER-DAEMON", arrival.utctimetuple())
                elif isinstance(box, _mailbox.Maildir):
                    stored = _mailbox.MaildirMessage(filed)
                    stored.set_date(arrival.timestamp())
                else:
                    stored = filed
                box.add(stored)
                box.flush()

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> LabServer:
        """Listen on a free port of 127.0.0.1 (then in ``port``), or with ``network`` False get ready to serve
        clients in memory; a ``with`` block calls it."""
        if self._controller is not None or self._memory is not None:
            raise LabError("the lab server is already running")
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if self.network:
            from aiosmtpd.controller import Controller

        lab = self
        smtp_class = _make_smtp_class()
        tls_kwargs: dict[str, Any] = {}
        if self.tls != "off":
            self._tls_pem, context = _tls_material()
            # RFC 3207 §4: with "required", every command but EHLO, NOOP, STARTTLS and QUIT waits for TLS
            tls_kwargs = {"tls_context": context, "require_starttls": self.tls == "required"}

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            # compared as bytes: credentials that are no UTF-8 are wrong ones (535), not a crash
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == tuple(x.encode() for x in lab.auth)
            return AuthResult(success=ok, handled=False)

        handler = _Handler(self)
        settings: dict[str, Any] = {"ident": IDENT, "data_size_limit": self.size_limit, "enable_SMTPUTF8": True,
                                    **tls_kwargs}
        if lab.auth is not None:
            # with TLS on offer, AUTH waits for it (Postfix's smtpd_tls_auth_only): not listed before, and
            # refused with RFC 4954's 538 5.7.11; without TLS, AUTH in the clear is what the lab shows
            settings.update(auth_required=True, auth_require_tls=lab.tls != "off", authenticator=authenticator)

        def session(**kwargs: Any) -> Any:
            """One session's server (aiosmtpd's SMTP protocol, the lab's subclass)."""
            with warnings.catch_warnings():
                # AUTH without TLS is what a lab on 127.0.0.1 wants to show.
                warnings.simplefilter("ignore", UserWarning)
                return smtp_class(handler, lab=lab, **{**kwargs, **settings})

        # aiosmtpd logs each session with the client's address and port; the lab
        # keeps its output free of ports, so only its errors are logged.
        _quiet_aiosmtpd(True)
        if not self.network:
            from ._lab_memory import MemoryLoop

            loop = MemoryLoop()
            self._memory = (loop, lambda: session(hostname=HOSTNAME, loop=loop))
            return self

        class LabController(Controller):
            def factory(self) -> Any:
                return session(**self.SMTP_kwargs)

        last_error: Exception | None = None
        for _ in range(5):  # a free port can be taken between picking and binding
            port = _free_port()
            controller = LabController(handler, hostname="127.0.0.1", port=port, server_hostname=HOSTNAME)
            try:
                controller.start()
            except Exception as exc:
                last_error = exc
                continue
            self._controller, self.port = controller, port
            return self
        _quiet_aiosmtpd(False)  # no server runs: stop() will have nothing to put back
        raise LabError(f"could not start the lab server on 127.0.0.1: {last_error}")

    def stop(self) -> None:
        """Tell connected clients 421 (shutting down), then stop the server."""
        if self._controller is None and self._memory is None:
            return
        controller, memory = self._controller, self._memory
        try:
            self.announce_shutdown()
        finally:
            self._controller = self._memory = None
            if controller is not None:
                controller.stop()
            if memory is not None:
                loop = memory[0]
                loop.turn_until(lambda: False)  # the sessions see their connections closed
                loop.close()
            self.port = None
            _quiet_aiosmtpd(False)

    def announce_shutdown(self) -> int:
        """Send every connected client "421 4.3.2 ... shutting down" and close it; returns how many."""
        controller = self._controller
        sessions = [s for s in list(self._sessions) if s.transport is not None and not s.transport.is_closing()]
        if not sessions:
            return 0
        loop = controller.loop if controller is not None else None
        message = f"421 4.3.2 {self._t('shutting_down', host=HOSTNAME)}\r\n".encode()
        done = threading.Event()

        def close_all() -> None:
            try:
                for s in sessions:
                    transport = s.transport
                    if transport is None or transport.is_closing():
                        continue
                    try:
                        transport.write(message)
                        transport.close()
                    except (AttributeError, OSError, RuntimeError):
                        # the client went while we were on our way (a TLS session whose connection is
                        # already lost has no TLS layer left to write through)
                        pass
            finally:
                done.set()

        if self._memory is not None:  # no thread: the sessions are closed here, and see it when the loop turns
            close_all()
        elif loop is not None and loop.is_running():
            loop.call_soon_threadsafe(close_all)
            done.wait(5)
        return len(sessions)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- clients -------------------------------------------------------------
    def client(self, *, timeout: float = 5.0) -> LabClient:
        """A :class:`LabClient` connected to this server, each read waiting at most ``timeout`` seconds."""
        if self._memory is not None:
            from ._lab_memory import MemoryConnection

            loop, session = self._memory
            return LabClient("127.0.0.1", 0, timeout=timeout, opener=lambda: MemoryConnection(loop, session()))
        if self.port is None:
            raise LabError("start the lab server first (use it in a with block)")
        return LabClient("127.0.0.1", self.port, timeout=timeout, tls_pem=self._tls_pem)

    def __repr__(self) -> str:
        state = "running" if self._controller is not None or self._memory is not None else "stopped"
        return f"LabServer({HOSTNAME}, {state})"


class _SocketConnection:
    """A TCP connection to the server, and the file its replies are read from."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        # read with recv() into a buffer of its own: a file from makefile() is broken for good after one timeout,
        # and a timeout is what a learner meets who types the message line by line after DATA
        self._buffer = bytearray()

    def sendall(self, data: bytes) -> None:
        self.sock.sendall(data)

    def readline(self, limit: int) -> bytes:
        """One line (at most ``limit`` bytes), or b"" once the server has closed the connection; a timeout keeps
        what has come so far for the next call."""
        from ._lab_memory import has_line, take_line

        while not has_line(self._buffer, limit):
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self._buffer += chunk
        return take_line(self._buffer, limit)

    def wrap(self, context: Any, server_hostname: str) -> None:
        """Put TLS on the connection (after the server's 220 to STARTTLS; nothing of the plain session is left)."""
        self._buffer.clear()
        self.sock = context.wrap_socket(self.sock, server_hostname=server_hostname)

    def close(self) -> None:
        self.sock.close()


@dataclass
class LabClient:
    """A small SMTP client that records the conversation as C:/S: lines, over TCP to ``host`` and
    ``port``, or over the connection ``opener`` gives (a server in memory: :meth:`LabServer.client`).

    It reads replies with :func:`smtpteach.parse_reply`, so every reply it
    shows has passed the RFC 5321 grammar. ``exchanges`` pairs each command
    with its reply; :meth:`reply_to` finds the reply to a command by what the
    command said, so code that reads the session does not depend on how many
    commands came before.
    """

    host: str
    port: int
    timeout: float = 5.0
    tls_pem: str | None = field(default=None, repr=False)  # the only certificate STARTTLS trusts (the lab's)
    transcript: list[str] = field(default_factory=list)
    replies: list[Any] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    # how to open the connection: None for TCP to host and port; a server in memory gives its own (_lab_memory)
    opener: Callable[[], Any] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not _seconds(self.timeout):
            raise InvalidArgumentError(f"timeout is a number of seconds, more than 0 and less than a day, not {self.timeout!r}")
        if self.opener is None and (isinstance(self.port, bool) or not isinstance(self.port, int)
                                    or not 0 < self.port < 65_536):
            raise InvalidArgumentError(f"port is a whole number from 1 to 65535, not {self.port!r}")
        if self.opener is not None:
            self._conn: Any = self.opener()
        else:
            try:
                self._conn = _SocketConnection(socket.create_connection((self.host, self.port), timeout=self.timeout))
            except OSError as exc:
                raise LabError(f"cannot connect to the lab server: {exc.strerror or exc}") from None
        self.greeting = self._read_reply(None)

    def _read_reply(self, command: str | None) -> Any:
        from ._errors import ReplyParseError
        from ._replies import parse_reply

        lines = []
        while True:
            try:
                raw = self._conn.readline(2048)
                # a line longer than that (another server's) is read whole, up to 64 KiB, so that the rest of it
                # is never taken for the next reply
                while raw and not raw.endswith(b"\n") and len(raw) < 65536:
                    more = self._conn.readline(2048)
                    if not more:
                        break
                    raw += more
            except TimeoutError:
                after_354 = bool(self.replies) and self.replies[-1].code.code == "354"
                raise LabError(f"the server did not answer within {self.timeout:g} s" + (
                    "; after DATA it waits for the whole message and its final dot: send them with data()"
                    if after_354 else "")) from None
            except OSError as exc:
                raise LabError(f"the connection is gone: {exc.strerror or exc}") from None
            if not raw:
                if lines:
                    break
                raise LabError("the server closed the connection")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            lines.append(line)
            self.transcript.append(f"S: {line}")
            if len(line) < 4 or line[3] != "-":
                break
        try:
            reply = parse_reply("\r\n".join(lines))
        except ReplyParseError as exc:
            # no Reply for these lines: marked so, the transcript's replies stay in step with ``replies``
            for k in range(len(lines)):
                self.transcript[-1 - k] = "S? " + self.transcript[-1 - k][3:]
            raise LabError(f"the server's reply breaks RFC 5321 §4.2: {exc}") from None
        self.replies.append(reply)
        self.exchanges.append(Exchange(command, reply))
        return reply

    def command(self, line: str) -> Any:
        """Send one command line; return the server's Reply."""
        self._check_open()
        _check_text(line, "a command")
        if "\r" in line or "\n" in line:
            raise InvalidArgumentError("a command is one line, without CR or LF")
        self.transcript.append(f"C: {line}")
        try:
            self._conn.sendall(line.encode("utf-8") + b"\r\n")
        except OSError as exc:
            raise LabError(f"the connection is gone: {exc.strerror or exc}") from None
        return self._read_reply(line)

    def starttls(self) -> Any:
        """``STARTTLS``; after its 220, TLS on the same connection (RFC 3207), the server's certificate checked
        against the lab's own (or the system's trust store for another server). Returns the reply to STARTTLS.

        RFC 3207 §4.2: the server forgets what it learnt before, so send ``EHLO`` again.
        """
        import ssl

        reply = self.command("STARTTLS")
        if reply.code.code != "220":
            return reply
        if not isinstance(self._conn, _SocketConnection):
            raise LabError("a server in memory has no connection to put TLS on")
        context = ssl.create_default_context(cadata=self.tls_pem) if self.tls_pem else ssl.create_default_context()
        try:
            self._conn.wrap(context, HOSTNAME if self.tls_pem else self.host)
        except (ssl.SSLError, OSError) as exc:
            raise LabError(f"the TLS handshake failed: {exc}") from None
        return reply

    @property
    def encrypted(self) -> bool:
        """True once STARTTLS has put TLS on the connection."""
        import ssl

        return isinstance(self._conn, _SocketConnection) and isinstance(self._conn.sock, ssl.SSLSocket)

    def data(self, message: str) -> Any:
        """DATA, then the message (dot-stuffed), then the final dot; returns the last reply.

        The reply to the final dot is recorded as the reply to the command ".".
        """
        _check_text(message, "the message")  # before DATA: a message that cannot be sent leaves no session stuck
        reply = self.command("DATA")
        if not reply.code.is_positive_intermediate:
            return reply
        # a line ends at CR LF, LF or a lone CR: RFC 5321 §2.3.8 lets no client send a bare CR. A line break at the
        # very end ends the last line: it adds no empty line before the final dot ("hello\n" is one line)
        body = message.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if len(body) > 1 and body[-1] == "":
            body.pop()
        for line in body:
            self.transcript.append(f"C: {line}")
        self.transcript.append("C: .")
        stuffed = "\r\n".join("." + ln if ln.startswith(".") else ln for ln in body)
        try:
            self._conn.sendall(stuffed.encode("utf-8") + b"\r\n.\r\n")
        except OSError as exc:
            raise LabError(f"the connection is gone: {exc.strerror or exc}") from None
        return self._read_reply(".")

    def expect_close(self) -> Any:
        """Read one unprompted reply, such as 421 before the server hangs up."""
        self._check_open()
        return self._read_reply(None)

    def replies_to(self, command: str) -> list[Any]:
        """Every reply to a command that starts with ``command`` (case-insensitive), in order."""
        if not isinstance(command, str):
            raise InvalidTypeError(f"a command is text, such as 'RCPT', not {type(command).__name__}")
        want = command.casefold()
        return [x.reply for x in self.exchanges if x.command is not None and x.command.casefold().startswith(want)]

    def reply_to(self, command: str) -> Any:
        """The reply to the last command that starts with ``command`` (case-insensitive).

        ``reply_to("RCPT TO:<ana@")`` is the reply to the latest RCPT for ana;
        ``reply_to(".")`` is the reply to the end of the latest message.
        """
        found = self.replies_to(command)
        if not found:
            raise LabError(f"no command starting with {command!r} in this session")
        return found[-1]

    def annotated(self, *, lang: str = "en") -> list[str]:
        """The transcript, with each reply's meaning from the catalogue after it.

        When a reply carries an enhanced status code, the note leads with that
        code's meaning, which says why, and gives the basic code's name second
        (an unregistered detail falls back to its subject, as RFC 3463 §2 tells
        clients to do). Without one, the note names the basic code and its class.
        """
        from ._catalogue import default_catalogue

        cat = default_catalogue()
        out = []
        replies = iter(self.replies)
        for line in self.transcript:
            out.append(line)
            is_last_line_of_reply = line.startswith("S: ") and (len(line) < 7 or line[6] != "-")
            if is_last_line_of_reply:
                reply = next(replies)
                entry = cat.get(reply.code.code)
                klass = cat.text("classes", str(reply.code.reply_class), lang=lang).name
                basic = f"{reply.code} {entry.name(lang=lang)}" if entry else f"{reply.code}"
                basic += f" ({reply.code.reply_class}xx {klass})"
                if reply.enhanced is None:
                    out.append(f"   ↳ {basic}")
                    continue
                e = cat.get(str(reply.enhanced))
                if e is not None:
                    why = f"{reply.enhanced} {e.name(lang=lang)}"
                else:
                    subject = str(reply.enhanced.subject)
                    try:
                        why = f"{reply.enhanced} (X.{subject}.x {cat.text('subjects', subject, lang=lang).name})"
                    except LookupError:
                        why = f"{reply.enhanced}"
                out.append(f"   ↳ {why}; {basic}")
        return out

    def close(self) -> None:
        """Hang up (a ``with`` block does it); the client can send nothing more."""
        self._closed = True
        self._conn.close()

    def _check_open(self) -> None:
        if getattr(self, "_closed", False):
            raise LabError("this client has hung up (close(), or the end of its with block): open another with "
                           "lab.client()")

    def __enter__(self) -> LabClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LabClient({HOSTNAME}, {len(self.replies)} replies)"
