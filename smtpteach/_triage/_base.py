"""What triage reads into: the record of one delivery attempt, what is not one, and the explainer every reader
shares (:func:`smtpteach.explain` and whether a line is a reply at all)."""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field, fields
from typing import Any

from .._errors import MixedRecordsError

KINDS = ("postfix", "exim", "sendmail", "qmail", "opensmtpd", "courier", "haraka", "kerio", "dovecot", "zimbra",
         "exchange", "m365", "mdaemon", "hmailserver", "dsn", "bounce", "reply")
# what happened to the attempt, as the source says it (a reply alone says it by its class)
STATUSES = ("delivered", "deferred", "bounced", "expired", "relayed", "expanded", "discarded", "unknown")


def _latin1(exc: UnicodeError) -> tuple[str, int]:
    """A byte that is no part of UTF-8, read as the Latin-1 (ISO 8859-1) character of the same number: a log written
    in Latin-1 keeps "josé@café.example" as it was, where U+FFFD made it an address nobody can search for, and any
    other byte stays a character that writes back as that byte (.encode("latin-1")). Only the bytes that are not
    UTF-8 are read so; the rest of the line is read as UTF-8. (An error handler, called only where the UTF-8 decoder
    fails: a log that is UTF-8 throughout costs nothing more.)"""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


LATIN1_FALLBACK = "smtpteach-latin-1"
codecs.register_error(LATIN1_FALLBACK, _latin1)


@dataclass(frozen=True)
class Record:
    """One delivery attempt: where it was read, what the source says of it, and what
    :func:`smtpteach.explain` says of its reply.

    ``source`` is the file (``-`` for standard input or lines given in Python);
    ``line`` is the line number in it, or for a mailbox the message's number;
    ``kind`` is one of ``postfix``, ``exim``, ``sendmail``, ``qmail``, ``opensmtpd``, ``courier``, ``haraka``,
    ``kerio`` (a line of that MTA's log), ``dovecot`` (a line of Dovecot's own log: its LDA's or LMTP server's
    delivery into a mailbox), ``zimbra`` (a line of Zimbra's mailbox log), ``exchange`` (a row of Exchange's message
    tracking log), ``m365`` (a row of Microsoft 365's message trace), ``mdaemon``, ``hmailserver`` (a reply in the
    session transcript of that server's log), ``dsn``,
    ``bounce`` (a bounce in plain text, with no delivery status part), ``reply``;
    ``host`` is the host that wrote the record: a syslog line's host name (the journal's _HOSTNAME), so that a central
    log's lines are told apart by the MTA that logged them, or a DSN's Reporting-MTA; None where the source names
    none (Exim's own main log, a tracking log's row, a reply);
    ``time``, ``queue_id``, ``recipient`` and ``domain`` (the recipient's domain: None when the recipient has none
    that can be read, never the relay's host; the domain or relay the source names where it names no recipient) are as
    the source gives them, or None;
    ``timestamp`` is ``time`` in ISO 8601 ("2024-03-11T00:00:02", with the offset where the source gives one:
    "2024-03-11T00:00:02+07:00"; without one, the local time of wherever the log was written), a syslog time's year
    read by the file's modification time (a day more than a day after it is of the year before) or by the current date
    for standard input and lines given in Python; None where there is no time or none that can be read;
    ``sender`` is the message's envelope sender (MAIL FROM) where the source names it, ``<>`` for the null sender (a
    bounce's, an auto-reply's), or None: Postfix's and Sendmail's ``from=`` line of the queue ID, Exim's ``<=`` line
    of the message id, a DSN's ``X-Postfix-Sender`` or the Return-Path of the message it returns (else its To:), the
    sender column of Exchange's tracking and Microsoft 365's trace;
    ``relay`` is the remote host that answered the attempt, written ``host[address]`` whatever the source's form
    (Postfix's ``relay=mx1.example.com[192.0.2.1]:25``, Exim's ``H=mx1.example.com [192.0.2.1]``, Sendmail's
    ``relay=mx1.example.com. [192.0.2.1]`` are all ``mx1.example.com[192.0.2.1]``: the host name in lower case with
    no final dot, the port left out), the host or the address alone where the source names only one, a transport's
    name as Postfix gives it for a delivery on the host (``local``, ``dovecot``), a DSN's Remote-MTA, or None;
    ``basic``, ``enhanced``, ``reason``, ``permanent``, ``retry``, ``actor`` and ``note`` are the
    values of :meth:`smtpteach.Explanation.as_dict` (``note`` names a family said in its own words within its
    reason, such as greylisting within blocked, or is None), but for ``retry``, which fits what became of the
    message too (``_situated``), and for who acts on an expiry, its last attempt's cause's; ``status`` is one of
    :data:`STATUSES`; ``text`` is the text that was explained.
    """

    source: str
    line: int
    kind: str
    host: str | None = field(default=None, kw_only=True)
    time: str | None
    # (keyword-only, with a default, so that they stand among the fields they belong with in FIELDS, JSON and CSV,
    # and a Record made with the fields before them in order is made as it was)
    timestamp: str | None = field(default=None, kw_only=True)
    queue_id: str | None
    sender: str | None = field(default=None, kw_only=True)
    recipient: str | None
    domain: str | None
    relay: str | None = field(default=None, kw_only=True)
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

        >>> from smtpteach import triage
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


def _problem_text(t: dict[str, Any], key: str, values: dict[str, str], group: str = "problem") -> str:
    """A problem (or, with ``group="note"``, a note) worded by the triage UI strings ``t`` of one language. The
    operating system's reason for a file it cannot read is said in that language where the UI files word its error
    (``os_errors``, by its errno name: ENOENT, EACCES, EISDIR, ...), and as the system says it otherwise."""
    from .._templates import fill

    if "kind" in values:
        values = {**values, "kind": t["file_kinds"][values["kind"]]}
    if "hint" in values:
        values = {**values, "hint": t["file_kinds"][values["hint"]] if values["hint"] else ""}
    if values.get("errno") in t["os_errors"]:
        values = {**values, "reason": t["os_errors"][values["errno"]]}
    if values.get("limit", "").isdigit():  # a bound in a note, its thousands set apart as each language writes them
        values = {**values, "limit": f"{int(values['limit']):,}".replace(",", t["thousands"])}  # 50,000; 50.000
    return fill(t[group][key], values)


@dataclass(frozen=True)
class _Note:
    """What the reader did that whoever reads the summary should know, and which is no input it could not read: an
    input named twice and read once, a failure found in a log and in a bounce and counted once. ``source`` is the
    input it is about, or "" when it is about none alone."""

    source: str
    message: str  # in English
    key: str  # its wording in the UI files (triage.note)
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str, catalogue: Any) -> str:
        """The note in ``lang``."""
        return _problem_text(catalogue.ui(lang=lang)["triage"], self.key, dict(self.values), "note")



@dataclass(frozen=True)
class _Other:
    """A log line of a known mail program that reports no delivery attempt (a connection, a queue entry)."""


_OTHER = _Other()


@dataclass(frozen=True)
class _Refused:
    """A log line that says this server refused mail coming in (Postfix's "NOQUEUE: reject:", Exim's "rejected RCPT",
    the 5xx an MDaemon or hMailServer server session answered): no attempt of this server's, counted apart."""


_REFUSED = _Refused()


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


# A content filter's acceptance that drops the message ("250 2.7.0 Ok, discarded, id=28813-01 - spam", amavis's
# answer for spam, a virus or a banned file it quarantines): accepted, and delivered to nobody
_DISCARDED = re.compile(r"\b2[0-9]{2}[ -](?:2\.[0-9]{1,3}\.[0-9]{1,3} )?(?:Ok, |Message )?discarded\b", re.IGNORECASE)
# ... and one that returns it to its sender ("250 2.5.0 Ok, id=02501-01, BOUNCE", amavis's final_*_destiny D_BOUNCE)
_FILTER_BOUNCE = re.compile(r"\b2[0-9]{2} (?:2\.[0-9]{1,3}\.[0-9]{1,3} )?Ok, id=\S+, BOUNCE\b")
_CODES_AHEAD = re.compile(r"[2-5][0-9]{2}[ -](?:[245]\.[0-9]{1,3}\.[0-9]{1,3} )?")


def _discarded(text: str) -> re.Match[str] | None:
    """``_DISCARDED.search(text)``, searched only in a text that says "carded" in some case: the regex, which finds
    no place to start but every character, costs a delivery line of a log some microseconds. Those letters match
    their two ASCII cases only (where an "i" or an "s" has more forms under re.IGNORECASE), and are lowered so."""
    return _DISCARDED.search(text) if "carded" in text.lower() else None


# what a log line that says a message was delivered, with no reply, is explained as
_DELIVERED = (None, None, "delivered", None, "not-needed", "nobody", None)


# what a discard by the recipient's own filter (a Sieve script's, a Zimbra filter rule's) is explained as
_FILTERED = "discarded by the recipient's filter"


def _receiving_side(explained: tuple) -> tuple:
    """explain()'s fields for a failure a mailbox server's own log gives (Dovecot's, Zimbra's): when its words say
    nothing explain() knows, the one to look into it is that server's admin, who has its log, not the sender's admin,
    whose message reached it."""
    if explained[2] != "undefined":
        return explained
    return (*explained[:5], "recipient-admin", *explained[6:])


def _domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    domain = address.rsplit("@", 1)[1].strip().strip(">").rstrip(".").lower()
    return domain or None


@functools.lru_cache(maxsize=4096)  # (a log names a few hosts many times over)
def _relay_form(relay: str | None) -> str | None:
    """The remote host of an attempt as a Record's ``relay`` gives it, ``host[address]``, from the forms sources write:
    Postfix's "mx.example.org[192.0.2.1]:25" (the port left out), Sendmail's "mx.example.org. [192.0.2.1]", Exim's and
    OpenSMTPD's host and address once they are put so; the host in lower case and without its final dot, so that the
    attempts to one host group together whichever program logged them. A relay of no host (Postfix's "none") is None.

    >>> [_relay_form(r) for r in ("MX1.Example.com[192.0.2.1]:25", "mx.example.org. [192.0.2.1]", "[2001:db8::1]:25",
    ...                           "local", "none")]
    ['mx1.example.com[192.0.2.1]', 'mx.example.org[192.0.2.1]', '[2001:db8::1]', 'local', None]
    """
    if not relay or relay == "none":
        return None
    at = relay.find("[")
    if at < 0:
        return relay.rstrip(".").lower() or None
    end = relay.find("]", at)
    return relay[:at].rstrip(". ").lower() + (relay[at:end + 1] if end > 0 else relay[at:] + "]")


def _relay_host(relay: str | None) -> str | None:
    """The host of Postfix's "relay=mx.example.org[192.0.2.1]:25" or Sendmail's "relay=mx.example.org. [192.0.2.1]"."""
    if not relay or relay == "none":
        return None
    host = relay.split("[", 1)[0].rstrip(".").lower()
    return host or None


# the wordings whose reasons triage remembers at once (ClassifyMemo): a day's log of a relay says a few dozen; each
# answer is the key's words and a reason, some kilobytes at most
MEMO_SIZE = 1024


class _Explainer:
    """explain() and the machine-readable fields of its answer, in one place."""

    def __init__(self, lang: str, catalogue: Any):
        from .._explain import ClassifyMemo, _explain, _load_rules, speaks_of_mail

        self._explain_with = _explain
        self._speaks_of_mail = speaks_of_mail
        self._rules = _load_rules()
        # a log says a few wordings over and over, each with its own addresses and IDs: their reasons are remembered
        self._classify = ClassifyMemo(self._rules, MEMO_SIZE)
        self.reasons = self._rules.reasons  # explain()'s advice for each reason, by the failure's class (_situated)
        self._lang = lang
        self._catalogue = catalogue
        from ._times import _Clock

        self.clock = _Clock()  # every reader's times as ISO 8601 (Record.timestamp), by the input's reference time

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
            e = self._explain_with(text, self._lang, self._catalogue, self._classify)
        except MixedRecordsError as exc:
            # a record that triage cut out holds a second one that explain() sees: two replies quoted in one log line,
            # joined by a line break written out as "\n". This record is the first; the text after it is not read.
            from .._explain import with_line_breaks

            lines = with_line_breaks(text, self._rules).split("\n")
            e = self._explain_with("\n".join(lines[:exc.line - 1]), self._lang, self._catalogue, self._classify)
        # the fields of e.as_dict() (its enhanced code is already written as the registry writes it), without
        # the summary sentence and the evidence, which triage never shows
        return e._basic, e._enhanced, e.reason, e.permanent, e.retry, e.actor, e.note or None


def _situated(status: str, reason: str, permanent: bool | None, retry: str, reasons: dict[str, dict[str, str]]) -> str:
    """The retry advice of a record, by what became of the message as well as by what its reply says, so that the
    same situation gets the same advice whichever program wrote it down (``reasons`` is explain()'s table of advice):

    - given up for good (bounced) on a reply that gives no class (Exim's "** x@gmial.com: Unrouteable address"): the
      advice for a permanent failure of its reason, as Postfix's status=bounced with its dsn=5.4.4 gets; a typo in a
      domain is "do not retry" either way. A failure whose words name no cause (a message trace's bare "Failed")
      keeps "not known": the reply is to be read where it is;
    - given up (bounced, expired) where the reply alone would say "retry later", which says that the sending server
      keeps trying, which it no longer does: the message is to be sent again once the cause is fixed;
    - kept in the queue (deferred) on a reply that says "do not retry" (Postfix's soft_bounce=yes, which defers what
      would bounce): the queue does retry it, and it will fail the same way until the cause is fixed.

    >>> table = {"hostunknown": {"permanent": "dont-retry", "transient": "retry", "unknown": "fix-then-retry"}}
    >>> [_situated(s, "hostunknown", p, r, table) for s, p, r in
    ...  [("bounced", None, "fix-then-retry"), ("expired", False, "retry"), ("deferred", True, "dont-retry")]]
    ['dont-retry', 'fix-then-retry', 'fix-then-retry']
    """
    if status == "bounced" and permanent is None and reason != "undefined" and reason in reasons:
        retry = reasons[reason]["permanent"]  # (a failure whose cause nothing names stays "not known": read further)
    if retry == "retry" and (status == "bounced" or status == "expired"):
        return "fix-then-retry"
    if retry == "dont-retry" and status == "deferred":
        return "fix-then-retry"
    return retry


def _given_up_by_cause(explained: tuple, cause: tuple | None) -> tuple:
    """explain()'s fields of a message the queue gave up for time (an expiry), with who acts taken from what its last
    attempt's reply said, ``cause`` (explain()'s fields of it, or None where the source gives none): a connection that
    timed out, a sender's reputation, a full mailbox, which the expiry's own words cannot tell. Postfix's expiry after
    its deferrals, Exim's "retry timeout exceeded" after its "==" lines and a DSN's "Action: failed" with its
    Diagnostic-Code name the same actor for the same cause. A cause that needed nobody (greylisting) and yet never
    passed, one that names no reason, or another expiry, keeps the expiry's own actor."""
    if cause is not None and cause[2] not in ("undefined", "expired") and cause[5] != "nobody":
        return (*explained[:5], cause[5], *explained[6:])
    return explained


def _status_of_reply(reason: str, permanent: bool | None) -> str:
    if reason == "delivered":
        return "delivered"
    return {True: "bounced", False: "deferred"}.get(permanent, "unknown")  # type: ignore[arg-type]


class _Family:
    """A reader of one family of logs: its state, and the records it makes with the explainer all share."""

    def __init__(self, explainer: _Explainer):
        self.explain = explainer
        self._reasons = explainer.reasons
        self._stamp = explainer.clock.stamp

    def _record(self, source: str, number: int, kind: str, when: str | None, queue_id: str | None,
                recipient: str | None, relay: str | None, text: str, status: str | None,
                explained: tuple | None = None, sender: str | None = None, remote: Any = ...) -> Record:
        """The record of an attempt. ``relay`` is the remote host as the source writes it (Record.relay is its
        :func:`_relay_form`), or the domain a source that names no recipient names, which ``remote=None`` says is
        no host; ``sender`` is the envelope sender ("" or "<>" for the null sender)."""
        basic, enhanced, reason, permanent, retry, actor, note = explained or self.explain(text)
        dropped = _DISCARDED.search(text) if status == "discarded" else _FILTER_BOUNCE.search(text) \
            if status == "bounced" and basic and basic[0] == "2" else None
        if dropped:  # the 2xx says it was taken; why it was dropped is in the words after its codes
            reason, permanent, retry, actor, note = self.explain(_CODES_AHEAD.sub("", text[dropped.start():], 1))[2:]
        if recipient is not None:
            recipient = recipient.strip("<>") or None
        # the recipient's domain: an address with none that can be read ("root", a cut line's '"john') has none, and
        # is never given the relay's host name, which would list that host among the receiving domains; the relay
        # (a domain, or a host) stands for it only where the source names no recipient at all (Haraka's queue)
        domain = _domain_of(recipient) if recipient is not None else _domain_of(relay) or _relay_host(relay)
        if kind == "exim" and status == "bounced" and reason == "expired":
            status = "expired"  # "** ... retry timeout exceeded": given up by the queue, as Postfix's status=expired
        status = status or _status_of_reply(reason, permanent)
        if status != "delivered":  # (a delivery's advice is the reply's: nothing to fit)
            retry = _situated(status, reason, permanent, retry, self._reasons)
        if sender is not None:
            sender = sender.strip("<>") or "<>"
        return Record(source, number, kind, when, queue_id, recipient, domain, basic, enhanced, reason, permanent,
                      retry, actor, note, status, text, timestamp=self._stamp(when), sender=sender,
                      relay=_relay_form(relay) if remote is ... else remote)
