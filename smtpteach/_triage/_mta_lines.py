"""The logs that write one line per delivery attempt: Postfix, Exim, Sendmail, qmail, OpenSMTPD and Courier (through
syslog or their own files), Haraka's outbound queue and Kerio Connect's mail and warning logs."""

from __future__ import annotations

import re
from typing import Any

from .._explain import DISCARDED
from ._base import _DELIVERED, _FILTER_BOUNCE, _OTHER, _REFUSED, Record, _discarded, _Family, _given_up_by_cause, _relay_form

# where a line of these servers says so
_POSTFIX_REFUSAL = re.compile(r"(?:^|: )(?:NOQUEUE: )?(?:milter-)?reject: ", re.ASCII)
_EXIM_LINE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?: [+-][0-9]{4})? (?:\[[0-9]+\] )?H=",
                        re.ASCII)
_EXIM_REFUSAL = re.compile(r" rejected (?:RCPT|MAIL|after DATA|EHLO|HELO|connection|\(certificate)", re.ASCII)


# Postfix and Sendmail: "QUEUEID: to=<...>, ..., status=bounced (...)" / "..., stat=User unknown"
_QUEUE_ID = re.compile(r"(?P<qid>[0-9A-Za-z]+): ", re.ASCII)
# an address's local part may be quoted (RFC 5321 §4.1.2), and then holds what it likes: Postfix logs
# to=<"john smith"@example.org>, and a sender may write to=<=HYPERLINK("http://x","click")@example.org>; a quoted
# string is read whole (the address in angle brackets, or Sendmail's bare one up to the comma that ends the field)
_QUOTED = r'"(?:[^"\\\n]|\\.)*"'
_TO = re.compile(r"(?<![\w-])to=(?:<(?P<to>[^>\"\s]*(?:" + _QUOTED + r"[^>\"\s]*)*)>"
                 r"|<?(?P<bare>[^>,\s\"]*(?:" + _QUOTED + r"[^>,\s\"]*)*))", re.ASCII)
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
_EXIM_ADDRESS = re.compile(r" (?P<addr>" + _QUOTED + r"\S*?|[^\s<]\S*?)"
                           r"(?: <(?P<orig>[^>\s\"]*(?:" + _QUOTED + r"[^>\s\"]*)*)>)?:?(?=\s|$)", re.ASCII)
_EXIM_ORIGINAL = re.compile(r" <([^<>\s]+)>", re.ASCII)
_EXIM_HOST = re.compile(r"(?<![\w-])H=(?P<host>[^\s\[]+)(?: \[(?P<ip>[^\]\s]+)\])?", re.ASCII)
# Exim's arrival of a message ("1rjABC-000123-XY <= ana@example.com H=... P=esmtps"; "<= <>" for a bounce): its sender
_EXIM_SENDER = re.compile(r" (?P<from><>|\S+)", re.ASCII)
# Postfix's status= words, each as a record's status (STATUSES). soft_bounce=yes logs "status=SOFTBOUNCE" for what
# would have bounced, and keeps the message in the queue, which tries it again: a deferral. A word of a later Postfix
# that is not here is "unknown", never a status the docs do not list
_POSTFIX_STATUSES = {"sent": "delivered", "deferred": "deferred", "bounced": "bounced", "expired": "expired",
                     "softbounce": "deferred"}
# Postfix's relay= of a peer on the host itself ("127.0.0.1[127.0.0.1]:10024", "[::1]:10025", "localhost[...]")
_LOOPBACK_RELAY = re.compile(r"(?:localhost|127\.[0-9.]+|\[?::1\]?)?\[(?:127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|::1)\]",
                             re.ASCII)
# Postfix's address verification (reject_unverified_recipient, reject_unverified_sender): a probe that is not mail,
# logged as "status=deliverable" or "status=undeliverable"; no message moved, so it is no delivery attempt
_POSTFIX_PROBES = ("deliverable", "undeliverable")
# Sendmail's "to=" with several recipients of one attempt, "to=<a@example.org>,<b@example.org>, delay=...": the list
# ends where ", " starts the next field
_SENDMAIL_TO = re.compile(r"(?<![\w-])to=(?P<to>(?:" + _QUOTED + r"|[^\s,\"])+(?:,(?:" + _QUOTED + r"|[^\s,\"])+)*),?(?:\s|$)",
                          re.ASCII)
# ... each of them (a comma inside a quoted local part ends none)
_LISTED = re.compile(r"(?:" + _QUOTED + r"|[^,\"])+", re.ASCII)
# Exim's "==" line for an address whose retry time has not come ("defer (-53): retry time not reached for any
# host"): a queue run passed it by, and no connection was made
_EXIM_NOT_TRIED = ("retry time not reached",
                   # ... or an address a queue run leaves for later by configuration ("defer (-1): domain matches
                   # queue_smtp_domains"): routed, not tried
                   "matches queue_smtp_domains")
# what an address that Postfix's discard agent dropped is explained as (explain() says the same of Exim's "=> :blackhole:"
# and "=> discarded", which name no code either: _explain.DISCARDED)
_DROPPED = (None, None, DISCARDED[0], None, DISCARDED[1], DISCARDED[2], DISCARDED[3])


# Postfix's queue manager gives a message up in one line that names no recipient ("QID: from=<...>, status=expired,
# returned to sender"); the recipients it gave up are those whose last attempt, earlier in the log, was a deferral.
# At most this many messages with a deferral still open are remembered (the oldest is forgotten first), so that
# memory stays flat on a log of a queue that never empties.
OPEN_DEFERRALS = 50_000
# Postfix's queue manager, and Sendmail, name a message's envelope sender once, before its deliveries ("QID:
# from=<ana@example.com>, size=2048, nrcpt=3 (queue active)"; "from=<>" for the null sender, a bounce's): each
# delivery line of the queue ID takes it. At most this many senders are remembered (the oldest is forgotten first, and
# Postfix's "removed" forgets its own): Postfix's active queue holds 20,000 messages at most
# (qmgr_message_active_limit), and a message's from= line is logged again each time it comes back to it
SENDERS = 50_000
_FROM = re.compile(r"(?P<qid>[0-9A-Za-z]+): from=(?:<(?P<from>[^>\"\s]*(?:" + _QUOTED + r"[^>\"\s]*)*)>"
                   r"|(?P<bare>[^\s,<>]+))", re.ASCII)
# Sendmail's relay= on a delivery line, the host and its address: "relay=mx.example.org. [192.0.2.1]"
_SENDMAIL_RELAY = re.compile(r"(?<![\w-])relay=(?P<relay>[^,\s\[]*(?: ?\[[^\]\s]*\])?)", re.ASCII)
# Postfix's "QID: removed": the message left the queue (delivered, returned, or deleted by postsuper)
_POSTFIX_REMOVED = re.compile(r"(?P<qid>[0-9A-Za-z]+): removed\s*$", re.ASCII)
# qmail-send (through splogger: "qmail: 1709596805.123456 delivery 42: failure: ..."), OpenSMTPD's "mta delivery" line
# (its result and stat fields) and Courier's courieresmtp ("id=...,from=<...>,addr=<...>: 550 ...")
_QMAIL_DELIVERY = re.compile(r"(?P<start>starting )?delivery (?P<n>[0-9]+): (?:msg (?P<msg>[0-9]+) to (?:remote|local) (?P<to>\S+)"
                             r"|(?P<status>success|failure|deferral): ?(?P<text>.*))", re.ASCII)
_QMAIL_STATUSES = {"success": "delivered", "failure": "bounced", "deferral": "deferred"}
# qmail-send's line of a message's sender as it enters the queue ("info msg 1234: bytes 2345 from <ann@example.org> qp
# 5678 uid 1001"), and of the message leaving it ("end msg 1234")
_QMAIL_INFO = re.compile(r"info msg (?P<msg>[0-9]+): bytes [0-9]+ from <(?P<from>[^<>]*)>", re.ASCII)
_QMAIL_END = re.compile(r"end msg (?P<msg>[0-9]+)\s*$", re.ASCII)
# qmail-remote's words for the host it spoke to ("192.0.2.70_accepted_message.", "192.0.2.59_does_not_like_recipient.",
# "Connected_to_192.0.2.24_but_connection_died.", "Giving_up_on_192.0.2.59."): its address
_QMAIL_REMOTE = re.compile(r"(?:^|/|Connected_to_|Giving_up_on_)(?P<ip>[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:]+)"
                           r"(?=_accepted_|_does_not_like_|_but_|\.)", re.ASCII)
_OPENSMTPD = re.compile(r"(?P<id>[0-9a-f]{16}) mta delivery evpid=[0-9a-f]+ from=<(?P<from>[^>]*)> to=<(?P<to>[^>]*)>.*?"
                        r'(?: relay="(?P<relay>[^"]*)")?.*? result="(?P<result>[A-Za-z]+)" stat="(?P<stat>[^"]*)"',
                        re.ASCII)
_OPENSMTPD_RESULTS = {"Ok": "delivered", "TempFail": "deferred", "PermFail": "bounced", "Loop": "bounced"}
_COURIER_STATUS = re.compile(r",status: (success|deferred|failure)\b", re.ASCII)
_COURIER = re.compile(r"id=(?P<id>[^,]+),from=<(?P<from>[^>]*)>,addr=<(?P<addr>[^>]*)>[,:] ?(?P<text>(?P<code>[2-5][0-9][0-9])?.*)",
                      re.ASCII)
# a Sendmail line whose dsn= is X.4.7, delivery time expired (RFC 3463): the queue gave the message up
_EXPIRED_DSN = re.compile(r"(?<![\w-])dsn=[45]\.4\.7(?![0-9])", re.ASCII)


def _search_from(pattern: re.Pattern[str], literal: str, text: str) -> re.Match[str] | None:
    """``pattern.search(text)``, for a pattern that matches ``literal`` first (after a lookbehind), searched from
    where ``literal`` first stands: a lookbehind at its start keeps the regex engine from skipping ahead to it, and a
    log line's fields come long after its start."""
    at = text.find(literal)
    return pattern.search(text, at) if at >= 0 else None


def _envelope(msg: str) -> tuple[str | None, str | None, str | None]:
    """The queue id, recipient and relay of a Postfix or Sendmail log line, where it gives them."""
    q, to, relay = _QUEUE_ID.match(msg), _TO.search(msg), _search_from(_RELAY, "relay=", msg)
    if to is not None:
        to = to.group("to") if to.group("to") is not None else to.group("bare")  # type: ignore[assignment]
    return q and q.group("qid"), to, relay and relay.group("relay")  # type: ignore[return-value]


def _haraka_host(msg: str) -> str | None:
    """The host of Haraka's line, "host=mx.example.org ip=192.0.2.1", as a Record's relay."""
    h = _HARAKA_HOST.search(msg) if " host=" in msg else None
    return _relay_form(f"{h.group('host')}[{h.group('ip')}]" if h.group("ip") else h.group("host")) if h else None


def _reply_part(msg: str, status_at: int) -> str:
    """What is explained of a Postfix or Sendmail log line: from its "dsn=" field (or its status, when
    the dsn= field comes after it or is missing) to the end, that is the status and the reply; the
    queue id, addresses, relay and delays before it are fields of the record."""
    dsn = msg.rfind("dsn=", 0, status_at)
    return msg[dsn if dsn >= 0 else status_at:]


# Haraka's outbound queue, through syslog ("haraka[2211]: [NOTICE] [uuid] [outbound] bounce ...") or on its standard
# output with an ISO time before it: "delivered file=... domain=gmail.com host=...", "deferred file=... domain=yahoo.com
# ... reason="421 ...", "bounce file=... domain=... reason="550 ..."" (its "Temp failing delivery" line says the
# deferral again). Its other lines (the inbound hooks' DENY among them: mail coming in) are no attempts.
_HARAKA_STDOUT = re.compile(r"(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?) (?P<msg>\[[A-Z]+\] \[[^\]]*\] \[.*)", re.ASCII)
_HARAKA = re.compile(r"\[[A-Z]+\] \[(?P<id>[^\]]*)\] \[outbound\] (?P<what>delivered|deferred|bounce) file=\S+ "
                     r"domain=(?P<domain>\S+)(?:.*? reason=\"(?P<reason>(?:[^\"\\]|\\.)*)\")?", re.ASCII)
_HARAKA_HOST = re.compile(r" host=(?P<host>[^\s\[]+)(?: ip=(?P<ip>[0-9A-Fa-f.:]+))?", re.ASCII)
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
# ... its "Recv:" line of a message coming into the queue, which names its sender ("Recv: Queue-ID: 65efbe13-00000a2c,
# Service: SMTP, From: <a@example.com>, To: ..."), and the remote host of an attempt ("Remote-Host: 192.0.2.27", "Remote
# host 192.0.2.24 replied:")
_KERIO_RECV = re.compile(r"Recv: Queue-ID: (?P<qid>[^,]+), .*?\bFrom: <(?P<from>[^<>]*)>", re.ASCII)
_KERIO_REMOTE = re.compile(r"Remote[- ][Hh]ost:? (?P<host>[^\s,]+)", re.ASCII)
_KERIO_RESULTS = {"delivered": "delivered", "relayed": "delivered", "failed": "bounced", "delayed": "deferred",
                  "will be retried": "deferred"}


class _MtaLines(_Family):
    """The lines of MTAs that log one line per attempt; each method takes one line of its program, and gives a
    Record, a list of them, _OTHER or _REFUSED."""

    def __init__(self, explainer: Any):
        super().__init__(explainer)
        # Postfix: queue id -> host -> recipient -> (relay, reply text, what explain() read of it) of its last attempt,
        # while that was a deferral. A queue id is one host's: a central syslog host's log holds the same short id of
        # two MTAs, and one's expiry gives up none of the other's recipients. (Keyed by the queue id first, so that a
        # line of a message with no deferral open costs one lookup, as before hosts were told apart.)
        self._deferred: dict[str, dict[str | None, dict[str, tuple[str | None, str, tuple]]]] = {}
        # qmail-send: delivery number -> (its message's number, its recipient), from "starting delivery" to the line
        # that ends it
        self._qmail_to: dict[str, tuple[str, str]] = {}
        # Haraka: what the lines before a delivery's last one said of it, by its id ("domain", "failed", "deferred")
        self._haraka_ids: dict[str, dict[str, str]] = {}
        # Exim: message id -> recipient -> what explain() read of its last attempt, while that was a deferral ("=="):
        # the cause of a "** ... retry timeout exceeded" that gives it up, as Postfix's _deferred
        self._exim_deferred: dict[str, dict[str, tuple]] = {}
        # Kerio: the attempts read already, (second, message, recipient, status), oldest first: its mail log and
        # its warning log say one attempt at the same second
        self._kerio_seen: dict[tuple[str, str, str, str], None] = {}
        # Postfix, Sendmail, Exim: queue ID (message id) -> (the syslog host, the envelope sender) of a message in the
        # queue, from its from= (or "<=") line to the line that says it left; a central syslog host's log holds the
        # same short queue ID of two hosts, and a delivery takes the sender of its own host's
        self._senders: dict[str, tuple[str | None, str]] = {}

    def _sender_seen(self, queue_id: str, host: str | None, sender: str) -> None:
        senders = self._senders
        if queue_id in senders:
            del senders[queue_id]  # (said again: the newest, the last to be forgotten)
        elif len(senders) >= SENDERS:
            del senders[next(iter(senders))]
        senders[queue_id] = (host, sender)

    def _sender_of(self, queue_id: str | None, host: str | None) -> str | None:
        seen = self._senders.get(queue_id) if queue_id is not None else None  # type: ignore[arg-type]
        return seen[1] if seen is not None and seen[0] == host else None

    def syslog(self, prog: str, msg: str, when: str | None, text: str, source: str, number: int,
               host: str | None = None) -> Any:
        """A line of one of these programs through syslog or the journal, from ``host`` (the syslog host, or None
        where the line does not name it)."""
        if "postfix" in prog:
            status = _search_from(_POSTFIX_STATUS, "status=", msg)
            if not status:
                at = msg.find(": from=<")
                if at > 0:  # the queue manager's line of the message's sender (read without a regex: a third of a log)
                    end = msg.find(">", at + 8)
                    queue_id, sender = msg[:at], msg[at + 8:end]
                    if end > 0 and queue_id.isalnum() and '"' not in sender:
                        self._sender_seen(queue_id, host, sender)
                        return _OTHER
                    f = _FROM.match(msg)
                    if f is not None:  # a quoted local part ('from=<"a>b"@example.org>')
                        self._sender_seen(f.group("qid"), host, f.group("from") if f.group("bare") is None
                                          else f.group("bare"))
                        return _OTHER
                removed = _POSTFIX_REMOVED.match(msg)
                if removed and self._senders:
                    self._senders.pop(removed.group("qid"), None)
                hosts = self._deferred.get(removed.group("qid")) if removed else None
                if hosts is not None:
                    hosts.pop(host, None)
                    if not hosts:
                        del self._deferred[removed.group("qid")]
                return _REFUSED if "reject: " in msg and _POSTFIX_REFUSAL.search(msg) else _OTHER
            word = status.group("status").lower()
            if word in _POSTFIX_PROBES:
                return _OTHER
            status_word = _POSTFIX_STATUSES.get(word, "unknown")
            queue_id, recipient, relay = _envelope(msg)
            if status_word == "delivered" and prog.endswith("/smtp") and _LOOPBACK_RELAY.match(relay or ""):
                # handed to a content filter on this host (amavis, a milter's SMTP proxy), which sends it on: the
                # delivery is the line its re-injection logs later, under a new queue id
                status_word = "relayed"
            dropped = None
            if status_word in ("delivered", "relayed") and _discarded(msg):
                status_word = "discarded"
            elif status_word == "delivered" and prog.endswith("/discard"):
                # Postfix's discard(8) agent "pretends to deliver" (status=sent) what a transport map or a header check
                # sent to it, with the next hop as its reason ("status=sent (dead.example)"): dropped, as Exim's
                # :blackhole: is
                status_word, dropped = "discarded", _DROPPED
            elif status_word == "relayed" and _FILTER_BOUNCE.search(msg):
                status_word = "bounced"  # the filter took it only to return it to its sender
            sender = self._sender_of(queue_id, host)
            if sender is None and status_word == "expired":  # "QID: from=<...>, status=expired, returned to sender"
                f = _FROM.match(msg)
                sender = f and (f.group("from") if f.group("bare") is None else f.group("bare"))
            return self._postfix(source, number, when, queue_id, recipient, relay, _reply_part(msg, status.start()),
                                 status_word, host, sender, dropped)
        if prog.startswith(("sendmail", "sm-mta", "sm-msp")):
            stat = _SENDMAIL_STAT.search(msg) if "stat=" in msg else None
            if not stat:
                f = _FROM.match(msg) if "from=" in msg else None
                if f is not None:  # the message's sender, before its deliveries
                    self._sender_seen(f.group("qid"), host, f.group("from") if f.group("bare") is None
                                      else f.group("bare"))
                return _OTHER
            word = stat.group("stat").lower()
            dsn = _DSN_FIELD.search(msg)
            cls = dsn.group("cls") if dsn else ""
            status = ("expired" if _EXPIRED_DSN.search(msg) else "delivered" if word == "sent" or cls == "2"
                      else "deferred" if word == "deferred" or cls == "4" else "bounced" if cls == "5" else None)
            queue_id, recipient, relay = _envelope(msg)
            if relay is not None:
                relay = _relay_form(_search_from(_SENDMAIL_RELAY, "relay=", msg).group("relay"))  # type: ignore[union-attr]
            sender = self._sender_of(queue_id, host)
            text = _reply_part(msg, stat.start())
            many = _SENDMAIL_TO.search(msg)
            recipients = _LISTED.findall(many.group("to")) if many else [recipient]
            if len(recipients) == 1:
                return self._record(source, number, "sendmail", when, queue_id, recipient, relay, text, status,
                                    sender=sender)
            # one attempt per recipient, each with the line's reply, explained once
            explained = self.explain(text)
            return [self._record(source, number, "sendmail", when, queue_id, r, relay, text, status, explained, sender)
                    for r in recipients if r.strip("<>")]
        if prog.startswith("exim"):
            e = _EXIM.match(msg)
            if e:
                return self.exim(e, msg, source, number, e.group("time") or when, host)
        if prog.startswith("qmail"):
            return self._qmail(msg, when, source, number, host)
        if prog.startswith("haraka"):
            return self.haraka(msg, when, source, number)
        if prog == "smtpd" and " mta delivery " in msg:
            m = _OPENSMTPD.search(msg)
            if m:
                relay = m.group("relay")  # "mx.example.org (192.0.2.27)"
                host, _, address = relay.partition(" (") if relay else (None, "", "")
                return self._record(source, number, "opensmtpd", when, m.group("id"), m.group("to"), host,
                                    m.group("stat"), _OPENSMTPD_RESULTS.get(m.group("result"), "unknown"),
                                    sender=m.group("from"),
                                    remote=_relay_form(f"{host}[{address.rstrip(')')}]" if address else host))
        if prog == "courieresmtp":
            m = _COURIER.match(msg)
            ended = _COURIER_STATUS.search(msg) if m else None
            if ended:
                # the line that closes an attempt ("...,addr=<bob@example.org>,status: success"): a success is the
                # delivery; a deferral or failure was the record of the reply line before it
                if ended.group(1) != "success":
                    return _OTHER
                return self._record(source, number, "courier", when, m.group("id"), m.group("addr"), None,
                                    ended.group(0).lstrip(","), "delivered", _DELIVERED, m.group("from"))
            if m:
                code = m.group("code")
                status = {"2": "delivered", "4": "deferred", "5": "bounced"}.get(code[:1]) if code else None
                return self._record(source, number, "courier", when, m.group("id"), m.group("addr"), None,
                                    m.group("text"), status, sender=m.group("from"))
        return _OTHER

    def haraka(self, msg: str, when: str | None, source: str, number: int) -> Any:
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
                                    "deferred", remote=None)
            if said.get("failed"):
                return _OTHER  # its recipients' rejections said it
            said["failed"] = "1"
            return self._record(source, number, "haraka", when, more.group("id"), None, domain, more.group("bounce"),
                                "bounced", remote=None)
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
                                status, _DELIVERED, remote=_haraka_host(msg))
        reason = (m.group("reason") or "").replace('\\"', '"')
        # (Haraka names the domain, which stands for the recipient, not a host: the host is its host= and ip=)
        return self._record(source, number, "haraka", when, m.group("id"), None, domain, reason or msg, status,
                            remote=_haraka_host(msg))

    def kerio(self, m: re.Match[str], source: str, number: int) -> Any:
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
        remote = _KERIO_REMOTE.search(m.string, m.start()) if said[0] is not None else None
        if m.group("result"):
            status = _KERIO_RESULTS.get(m.group("result"), "unknown")
            explained = _DELIVERED if status == "delivered" else None
            return self._record(source, number, "kerio", m.group("time"), m.group("qid"), m.group("to"),
                                remote and remote.group("host"), m.group("status").strip(), status, explained,
                                self._sender_of(m.group("qid"), None))
        if m.group("verdict"):
            return self._record(source, number, "kerio", m.group("time"), m.group("msg"), m.group("msg_to"),
                                remote and remote.group("host"), m.group("text"), _KERIO_RESULTS[m.group("verdict")],
                                sender=self._sender_of(m.group("msg"), None))
        other = m.group("other") or ""
        if other.startswith("Recv: "):  # a message coming into the queue: its sender, for its attempts
            recv = _KERIO_RECV.match(other)
            if recv is not None:
                self._sender_seen(recv.group("qid"), None, recv.group("from"))
            return _OTHER
        return _REFUSED if other.startswith("SMTP Spam attack") else _OTHER

    def _qmail(self, msg: str, when: str | None, source: str, number: int, host: str | None) -> Any:
        """qmail-send's log: "info msg 1234: bytes 2345 from <ann@example.org> ..." names the sender of message 1234
        (its queue ID: the number stays the message's through every retry, until "end msg 1234"), "starting delivery
        42: msg 1234 to remote bob@example.org" the message and recipient of delivery 42, and "delivery 42: failure:
        text" tells how it ended (the text's spaces written "_", its line breaks "/"). A delivery whose start the log
        does not hold names no message."""
        m = _QMAIL_DELIVERY.search(msg)
        if m is None:
            info = _QMAIL_INFO.search(msg)
            if info is not None:
                self._sender_seen(info.group("msg"), host, info.group("from"))
            elif self._senders:
                end = _QMAIL_END.search(msg)
                if end is not None:
                    self._senders.pop(end.group("msg"), None)
            return _OTHER
        if m.group("start"):
            if len(self._qmail_to) >= OPEN_DEFERRALS:
                del self._qmail_to[next(iter(self._qmail_to))]
            self._qmail_to[m.group("n")] = (m.group("msg"), m.group("to"))
            return _OTHER
        message, recipient = self._qmail_to.pop(m.group("n"), (None, None))
        said = m.group("text")
        remote = _QMAIL_REMOTE.search(said)
        text = said.replace("_", " ").replace("/", " ").strip()
        return self._record(source, number, "qmail", when, message or None, recipient,
                            f"[{remote.group('ip')}]" if remote else None, text, _QMAIL_STATUSES[m.group("status")],
                            sender=self._sender_of(message, host))

    def _postfix(self, source: str, number: int, when: str | None, queue_id: str | None, recipient: str | None,
                 relay: str | None, text: str, status: str, host: str | None = None, sender: str | None = None,
                 explained: tuple | None = None) -> Any:
        """A Postfix delivery line; an expiry that names no recipient is one record for each recipient of the
        message whose last attempt was a deferral, with that attempt's reply (its cause) after the expiry's words."""
        if queue_id is None:
            return self._record(source, number, "postfix", when, queue_id, recipient, relay, text, status, sender=sender)
        if recipient is None:
            hosts = self._deferred.get(queue_id) if status == "expired" else None
            still = hosts.pop(host, None) if hosts is not None else None
            if hosts is not None and not hosts:
                del self._deferred[queue_id]
            if still:
                return [self._expiry(source, number, when, queue_id, to, last_relay, text, last, cause, sender)
                        for to, (last_relay, last, cause) in still.items()]
        else:
            to = recipient.strip("<>")
            if status == "deferred":
                if queue_id not in self._deferred and len(self._deferred) >= OPEN_DEFERRALS:
                    del self._deferred[next(iter(self._deferred))]
                explained = self.explain(text)  # the deferral's record, and its cause if the message expires
                self._deferred.setdefault(queue_id, {}).setdefault(host, {})[to] = (relay, text, explained)
            elif queue_id in self._deferred:
                hosts = self._deferred[queue_id]
                still = hosts.get(host)
                if still is not None:
                    still.pop(to, None)
                    if not still:
                        del hosts[host]
                        if not hosts:
                            del self._deferred[queue_id]
        return self._record(source, number, "postfix", when, queue_id, recipient, relay, text, status, explained, sender)

    def _expiry(self, source: str, number: int, when: str | None, queue_id: str, to: str, relay: str | None,
                text: str, last: str, cause: tuple, sender: str | None) -> Record:
        """One recipient of a Postfix expiry, with its last attempt's reply and ``cause``, what explain() read of that
        reply when the deferral was logged: the reason is what explain() reads of the
        two together (the expiry, unless the sending side's own cause comes first, as a domain that "loops back to
        myself"), and who acts is whoever the last attempt's cause points to (a sender's reputation, its own TLS
        policy, a full mailbox), which the expiry alone cannot tell. A cause that needed nobody (greylisting) and yet
        never passed, or a last attempt that names no cause at all, keeps the expiry's own actor."""
        joined = f"{text}; last attempt: {last}"
        explained = _given_up_by_cause(self.explain(joined), cause)
        return self._record(source, number, "postfix", when, queue_id, to, relay, joined, "expired", explained, sender)

    def exim(self, m: re.Match[str], text: str, source: str, number: int, when: str | None,
             host: str | None = None) -> Any:
        status = _EXIM_STATUS.get(m.group("flag"))
        if status is None:
            if m.group("flag") == "<=":
                f = _EXIM_SENDER.match(text, m.end("flag"))
                if f is not None:  # the message's arrival: its sender, for its deliveries
                    self._sender_seen(m.group("id"), host, f.group("from"))
            elif m.group("flag") == "Completed":
                if self._exim_deferred:
                    self._exim_deferred.pop(m.group("id"), None)  # the message has left the queue
                if self._senders:
                    self._senders.pop(m.group("id"), None)
            # an arrival ("<="), "Completed", or another line about the message; or a refusal of mail coming in
            return _REFUSED if " rejected " in text and _EXIM_REFUSAL.search(text) else _OTHER
        if status == "deferred" and any(words in text for words in _EXIM_NOT_TRIED):
            return _OTHER  # no attempt: the address waits for its retry time
        a = _EXIM_ADDRESS.match(text, m.end("flag"))
        recipient = a.group("addr") if a else None
        if recipient and recipient[0] in ":|/":  # ":blackhole:", a pipe or a file: for the address in brackets
            after = _EXIM_ORIGINAL.match(text, a.end())
            recipient = a.group("orig") or (after.group(1) if after else None)
        h = _EXIM_HOST.search(text, m.end("flag"))
        relay = (f"{h.group('host')}[{h.group('ip')}]" if h.group("ip") else h.group("host")) if h else None
        if a and a.group("orig") and "@" not in (recipient or ""):
            # a local delivery names the local part alone ("=> joe <joe@example.org> R=localuser"): the recipient is the
            # address in brackets, the one the message was sent to, which a search for joe@example.org finds
            recipient = a.group("orig")
        # the text explained starts at the message id, as in the log (explain() reads Exim's flags after it)
        said = text[m.start("id"):]
        explained = self.explain(said)
        if status == "delivered" and explained[6] == DISCARDED[3]:
            status = "discarded"  # dropped by the configuration, not delivered (_explain.exim_report)
        if recipient is not None and (status == "deferred" or self._exim_deferred):
            explained = self._exim_cause(m.group("id"), recipient, status, explained)
        return self._record(source, number, "exim", when, m.group("id"), recipient, relay, said, status, explained,
                            self._sender_of(m.group("id"), host))

    def _exim_cause(self, message: str, recipient: str, status: str, explained: tuple) -> tuple:
        """Keep a deferral's reading as the cause of a later expiry; give an expiry ("** ... retry timeout exceeded")
        the actor its last deferral's cause names (_given_up_by_cause); forget a recipient delivered or bounced."""
        if status == "deferred":
            if message not in self._exim_deferred and len(self._exim_deferred) >= OPEN_DEFERRALS:
                del self._exim_deferred[next(iter(self._exim_deferred))]
            self._exim_deferred.setdefault(message, {})[recipient] = explained
            return explained
        still = self._exim_deferred.get(message)
        cause = still.pop(recipient, None) if still is not None else None
        if still is not None and not still:
            del self._exim_deferred[message]
        if status == "bounced" and explained[2] == "expired":
            return _given_up_by_cause(explained, cause)
        return explained
