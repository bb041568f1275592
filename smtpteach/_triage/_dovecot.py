"""Dovecot's own log (``log_path``, ``info_log_path``): what its LDA (``dovecot-lda``, ``deliver`` before Dovecot
2.0) and its LMTP server did with each message they were handed, into which mailbox, or why not.

A line of Dovecot's own log is its time as ``log_timestamp`` writes it (the default ``Mar 12 09:00:01``,
``2024-03-12 09:00:01``, or ``2024-03-12T09:00:01+0700`` with a zone), one of Dovecot's services with the user,
process and session in its prefix (``lmtp(bich@congty.vn)<40120><Xk3bF2Hq8GW5MAAA0J78UA>:``, Dovecot 2.2's
``lmtp(40120, bich@congty.vn):``, the old ``deliver(bich):``, or the service alone, ``lda:``), then the level
(``Info:``, ``Error:`` ...) that only Dovecot's own file writes there. Through syslog the same words come after
``dovecot:`` and carry no level: those lines are the syslog reader's, and they are no attempts. On such a server the
MTA's log already records each hand-off to Dovecot (Postfix's ``postfix/lmtp`` or ``postfix/pipe`` line, with
Dovecot's reply), so that counting Dovecot's lines too would count every local delivery twice. For the same reason,
read Dovecot's own file instead of the MTA's log of the same deliveries, not beside it.

A delivery line is ``mail_deliver_log_format`` (by default ``msgid=%m: %$``) after the prefix. A format with more
fields (``msgid=%m from=%f subject=%s size=%p: %$``) is read too: what happened (``%$``) is taken after the last
``": "`` that comes before one of the outcomes below, so that a subject's words ("Re: rejected: ...") are never
read as one. What its LDA and LMTP lines say (Dovecot's ``mail_deliver_log`` and Pigeonhole's Sieve, whose newer
versions put the action first: ``fileinto action: stored mail into mailbox 'X'``) is read this way:

- ``saved mail to INBOX``, Sieve's ``stored mail into mailbox 'X'``: delivered (once for a recipient, session and
  message, however many mailboxes a script stores it into);
- ``rejected: <why>``: bounced. dovecot-lda writes it when it answers a message with a permanent failure (with
  ``quota_full_tempfail`` it fails temporarily instead, and writes no such line); the ``save failed to X: <why>``
  (or Sieve's ``failed to store into mailbox``) that comes before it, from the same process, for the same recipient,
  session and message, is the same attempt, counted once;
- a ``save failed`` followed by the message stored elsewhere (Sieve's ``failed, but implicit keep was successful``
  and its store into INBOX, or dovecot-lda's fall-back to INBOX when ``-m`` names a folder that does not exist):
  delivered, and no failure: the message is in the mailbox, and the failed store is the script's problem;
- a ``save failed`` with nothing after it: the reply Dovecot gave for it is not in the line. LMTP answers a full
  mailbox with 552 5.2.2 in the default configuration (``quota_full_tempfail = no``) and any other failure with
  451 4.2.0, and dovecot-lda fails temporarily (it would have written ``rejected:`` for a permanent failure): so it
  is bounced for LMTP's full mailbox and deferred otherwise;
- a user Dovecot cannot set up (``user X: Initialization failed``, ``Failed to initialize user``, ``Failed to lookup
  user``): deferred, as Dovecot answers it (dovecot-lda exits with a temporary failure, LMTP with 451 4.3.0). ``User
  X doesn't have home dir set, disabling duplicate database`` is no failure of its own: delivery goes on without the
  duplicate database, and fails, when it does, on a line of its own;
- Sieve's ``discarded`` and ``marked message to be discarded if not explicitly delivered``: discarded, unless the
  script stored the message too; its ``reject`` (``rejected message from <x> (why)``): bounced, the recipient's own
  filter, whatever words the script gives; its ``forwarded to <x>``: relayed (the delivery is the MTA's to make);
  its ``sent vacation response`` is an answer of its own, no attempt;
- an LMTP proxy's line (``proxy(x): Sent message to <x> at backend:24: 250 ...``): relayed, since the delivery is
  the backend's, in the backend's own log; its ``Failed to send message``: the backend's reply (deferred when there
  was none to give). Read the proxy's log or the backends', not both.

Each record's reason is what :func:`smtpteach.explain` reads in the line's words; the message id before them is
left out, as a queue id is of other logs. A failure whose words explain() cannot read is the receiving server's
to look into (its admin's), never the sender's: the message reached it. A Debug line, a connection, a mail_log
plugin's event (``save: box=INBOX, ...``) or a diagnostic without a message id (``Error: Mailbox INBOX: open(...)
failed``) is no attempt; any other line of the LDA or LMTP server is unrecognised, so that an outcome in a form
this reader does not know is shown, not dropped.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import _DELIVERED, _FILTERED, _OTHER, _Family, _receiving_side, _Unrecognised
from ._sessions import OPEN_SESSIONS

# the services of Dovecot that write to its own log ("imap-login", "auth-worker", "lmtp"): lda, lmtp and the old
# deliver deliver
_DOVECOT = re.compile(
    r"(?P<time>(?:[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]|[A-Z][a-z]{2} [ 0-9][0-9] )[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]{1,6})?(?: ?(?:Z|[+-][0-9]{2}:?[0-9]{2}))?) "
    r"(?P<service>(?:lda|lmtp|deliver|imap|pop3|submission|managesieve|auth|master|config|dict|indexer|doveadm|anvil|"
    r"log|stats|quota-status|replicator|director|dsync|ssl-params|ipc|dns-client|aggregator|old-stats)(?:-[a-z]+)*)"
    r"(?:\((?P<who>[^()]*)\))?(?:<(?P<pid>[0-9]+)>)?(?:<(?P<session>[^<>]*)>)?: "
    r"(?P<level>Info|Warning|Error|Fatal|Panic|Debug): (?P<msg>.*)", re.ASCII)
_DELIVERING = ("lda", "lmtp", "deliver")
# the levels that follow the prefix: how _LineReader._one tells a line of Dovecot's own file cheaply (with the
# default time, the syslog pattern matches it, the prefix taken for a host and the level for a program, or with
# Dovecot 2.2's "lmtp(40120, bich@x):" the user taken for the program and the level left at the message's start)
LEVELS = ("Info: ", "Error: ", "Warning: ", "Fatal: ", "Panic: ", "Debug: ")
LEVEL_WORDS = frozenset(level[:-2] for level in LEVELS)
# the message of a delivery line: Dovecot 2.2's session id, Sieve's mark, the message id, then what happened
_SAID = re.compile(r"(?:(?P<session>[A-Za-z0-9+/]{22}(?::[0-9]+)?): )?(?P<sieve>sieve: )?"
                   r"(?:msgid=(?P<msgid><[^<>]*>|\S+?): )?(?:sieve: )?(?P<what>.*)")
# what happened, in its words (with Pigeonhole's newer "fileinto action: " before them)
_OUTCOMES = (r"saved mail to |stored mail into mailbox |save failed to |failed to store into mailbox |rejected: |"
             r"rejected message\b|discarded$|[Mm]arked message to be discarded|forwarded to <")
_ACTION = r"(?:[a-z]+ action: )?"
_OUTCOME = re.compile(_ACTION + r"(?:" + _OUTCOMES + r")")
# ... and where it starts in a custom mail_deliver_log_format's line ("msgid=<x> from=<y> subject=Re: rejected:
# a quote size=512: saved mail to INBOX"): after the last ": " before one, so that a subject's words are not taken
_LAST_OUTCOME = re.compile(r".*: (?=" + _ACTION + r"(?:" + _OUTCOMES + r"))", re.DOTALL)
_FIELD = re.compile(r"[a-z_]+=")
_MSGID_FIELD = re.compile(r"(?:^| )msgid=(?P<msgid><[^<>]*>|\S+)")
_DELIVERY = re.compile(_ACTION + r"(?:saved mail to |stored mail into mailbox )")
_FAILED = re.compile(_ACTION + r"(?:save failed to |failed to store into mailbox )")
_FORWARDED = re.compile(_ACTION + r"forwarded to <")
_DISCARD = re.compile(_ACTION + r"(?:discarded$|[Mm]arked message to be discarded)")
# Sieve's reject: "rejected message from <x> (the script's words)"; what is explained stops before the script's
# words, which are the user's own ("junk mail" would read as the sender's spam)
_SIEVE_REJECT = re.compile(_ACTION + r"rejected message(?: from <[^<>]*>)?")
_KEPT = re.compile(r"Execution of script .* failed, but implicit keep was successful")
# an LMTP proxy's hand-off to its backend: "proxy(x): Sent message to <x> at 10.0.1.21:24: 250 2.0.0 ..."
_PROXY = re.compile(r"proxy\((?P<user>[^()]*)\): (?P<what>(?P<done>Sent|Failed to send) message to <(?P<to>[^<>]*)> "
                    r"at (?P<host>[^\s:]+)(?::[0-9]+)?: .*)")
# a user Dovecot could not set up, and the user: "user X: Initialization failed: ...", "Failed to initialize user
# X: ...", "rcpt X: Failed to lookup user X: ..." (LMTP's conn prefix before it)
_NO_USER = re.compile(r"(?:rcpt (?P<rcpt>\S+): )?(?:user (?P<user>[^\s:]+): Initialization failed\b|"
                      r"Failed to (?:initialize|lookup) user\b(?: (?P<named>[^\s:]+))?)")
# the lines of the LDA and the LMTP server that are no attempt: a connection, a Sieve answer of its own (a vacation
# response, a notification, a duplicate not sent again), a script that failed while the message was kept, the
# mail_log plugin's events ("save: box=INBOX, uid=5521, ..."), a duplicate database set aside
_NO_ATTEMPT = re.compile(
    r"(?:Connect from |Disconnect from |Logged out|Connection closed|" + _ACTION + r"(?:sent (?:vacation response|"
    r"notification)|discarded duplicate|discarding duplicate|discarded vacation|not sending vacation)|"
    r"Execution of script |(?:save|copy|expunge|delete|undelete|flag_change|append|autoexpunge|mailbox_create|"
    r"mailbox_delete|mailbox_rename)(?: from \S+)?: box=|User \S+ doesn't have home dir set)")


class _Dovecot(_Family):
    """The delivery lines of Dovecot's own log, each process's last failure (or message Sieve kept after one) held
    until its next line says whether it stands."""

    def __init__(self, explainer: Any):
        super().__init__(explainer)
        # (source, process) -> what is not yet counted: (key, service, record's fields, outcome), where the outcome
        # is "failed" (a rejection, or a store elsewhere, may follow) or "kept" (Sieve's implicit keep after a
        # failed store, whose store into INBOX may follow)
        self._pending: dict[tuple[str, str], tuple[tuple[str, ...], str, tuple[Any, ...], str]] = {}
        # the deliveries and discards counted already, (source, user, session, message id, outcome), oldest first
        self._counted: dict[tuple[str, ...], None] = {}

    def line(self, text: str, source: str, number: int) -> Any:
        """A line of Dovecot's own log: a Record, a list of them, _OTHER or an _Unrecognised; None for a line of no
        such log."""
        m = _DOVECOT.match(text)
        if m is None:
            return None
        service = m.group("service")
        if service not in _DELIVERING or m.group("level") == "Debug":
            return _OTHER  # a login, an IMAP session, the master process, a debugging detail: no delivery
        who, pid = m.group("who") or "", m.group("pid")
        if ", " in who:  # Dovecot 2.2: "lmtp(40120, bich@congty.vn)"
            pid, who = who.split(", ", 1)
        elif who.isdigit():  # the process alone: "lmtp(40120)"
            pid, who = who, ""
        process = (source, pid or who)
        said = _SAID.match(m.group("msg"))
        assert said is not None  # every message matches (its parts are optional)
        msgid, what = said.group("msgid"), said.group("what")
        if _FIELD.match(what) and not _OUTCOME.match(what):
            # a mail_deliver_log_format with more fields: the message id among them, what happened after them
            field = _MSGID_FIELD.search(what)
            msgid = msgid or (field.group("msgid") if field else None)
            last = _LAST_OUTCOME.match(what)
            if last:
                what = what[last.end():]
        key = (source, who, m.group("session") or said.group("session") or pid or "", msgid or "")
        said_text = (said.group("sieve") or "") + what
        held = self._pending.pop(process, None) if pid or who else None
        out: list[Any] = []
        if held is not None and not self._settles(held, key, what):
            out.append(self._held_record(held))  # nothing followed that changes it: as it stands
        elif held is not None:
            out.append(_OTHER)  # the held line is part of this one's attempt, or of none
            if held[3] == "failed" and _KEPT.match(what):
                # Sieve kept the message in INBOX after all: a delivery, said by the store line that follows, or by
                # this one when none does
                fields = (source, number, m.group("time"), key[2] or None, who, said_text)
                self._pending[process] = (held[0], held[1], fields, "kept")
                return out
        found = self._one(m, service, who, key, what, said_text, text, source, number, process)
        if not out:
            return found
        return out + (found if isinstance(found, list) else [found])

    def _settles(self, held: tuple[Any, ...], key: tuple[str, ...], what: str) -> bool:
        """Whether the process's next line (``key``, ``what``) says what became of what it held, in a record of its
        own or in none: a rejection of the failed message, its store elsewhere, Sieve's implicit keep after it."""
        held_key, _, _, outcome = held
        if outcome == "kept":  # the store into INBOX after the implicit keep: the delivery is that line's
            return held_key[:3] == key[:3] and _DELIVERY.match(what) is not None
        if held_key[:3] == key[:3] and _KEPT.match(what):
            return True  # kept after all: held as kept (see line)
        # stored after all (dovecot-lda's fall-back to INBOX, a script's fileinto), or rejected as it failed
        return held_key == key and (_DELIVERY.match(what) is not None or what.startswith("rejected: "))

    def _one(self, m: re.Match[str], service: str, who: str, key: tuple[str, ...], what: str, text: str,
             line: str, source: str, number: int, process: tuple[str, str]) -> Any:
        when, session = m.group("time"), key[2] or None
        if _DELIVERY.match(what):
            return self._once(key, "delivered", source, number, when, session, who, text, "delivered", _DELIVERED)
        if what.startswith("rejected: ") or _SIEVE_REJECT.match(what):
            reject = _SIEVE_REJECT.search(what)
            explained = self.explain("sieve: " + reject.group()) if reject else _receiving_side(self.explain(text))
            return self._record(source, number, "dovecot", when, session, who, None, text, "bounced", explained)
        if _FAILED.match(what):
            return self._hold(process, key, service, "failed", when, session, who, text, source, number)
        if _DISCARD.match(what):
            if key + ("delivered",) in self._counted:
                return _OTHER  # stored by the script before: "discarded if not explicitly delivered", and it was
            return self._once(key, "discarded", source, number, when, session, who, text, "discarded",
                              self.explain(_FILTERED))
        if _FORWARDED.match(what):
            return self._record(source, number, "dovecot", when, session, who, None, text, "relayed", _DELIVERED)
        if _KEPT.match(what):
            return _OTHER  # a script that failed, with no failed store held: the store into INBOX says the delivery
        proxy = _PROXY.match(m.group("msg"))
        if proxy:
            explained = self.explain(proxy.group("what"))
            if proxy.group("done") == "Sent":
                status = "relayed"
            else:  # the backend's reply; with none (it could not be reached) the proxy answers a temporary failure
                status = "bounced" if explained[3] else "deferred"
                explained = _receiving_side(explained)
            return self._record(source, number, "dovecot", when, session, proxy.group("to"), proxy.group("host"),
                                proxy.group("what"), status, explained)
        level = m.group("level")
        if level != "Info":
            no_user = _NO_USER.search(what)
            if no_user:
                user = no_user.group("rcpt") or no_user.group("user") or no_user.group("named") or who or None
                what = what[no_user.start():]
                return self._record(source, number, "dovecot", when, session, user, None, what, "deferred",
                                    _receiving_side(self.explain(what)))
        if _NO_ATTEMPT.match(what) or _NO_ATTEMPT.match(m.group("msg")):
            return _OTHER
        if level != "Info" and not key[3]:
            return _OTHER  # a diagnostic of the server's ("Mailbox INBOX: open(...) failed"): the attempt's own
            # line says what became of the message
        return _Unrecognised(source, number, line)  # an outcome in words this reader does not know: shown

    def _once(self, key: tuple[str, ...], outcome: str, source: str, number: int, when: str, session: str | None,
              who: str, text: str, status: str, explained: tuple | None = None) -> Any:
        """The record of a delivery or a discard, or _OTHER when the message was counted so for this user already
        (a script that stores it into two mailboxes)."""
        if key + (outcome,) in self._counted:
            return _OTHER
        if len(self._counted) >= OPEN_SESSIONS:
            del self._counted[next(iter(self._counted))]
        self._counted[key + (outcome,)] = None
        return self._record(source, number, "dovecot", when, session, who, None, text, status, explained)

    def _hold(self, process: tuple[str, str], key: tuple[str, ...], service: str, outcome: str, when: str,
              session: str | None, who: str, text: str, source: str, number: int) -> Any:
        """Keep a failure until the process's next line, which may say otherwise (see _settles); the line is
        counted when that line comes, as a record or as part of another line's."""
        entry = (key, service, (source, number, when, session, who, text), outcome)
        if len(self._pending) >= OPEN_SESSIONS:
            oldest = self._pending.pop(next(iter(self._pending)))
            self._pending[process] = entry
            return [self._held_record(oldest)]
        self._pending[process] = entry
        return []

    def _held_record(self, held: tuple[tuple[str, ...], str, tuple[Any, ...], str]) -> Any:
        """The record of what was held when nothing settled it: a kept message delivered; a failure bounced when LMTP answered a full mailbox (552 5.2.2 in the default configuration), deferred otherwise (see
        the module's docstring)."""
        key, service, (source, line, when, session, who, text), outcome = held
        if outcome == "kept":
            return self._once(key, "delivered", source, line, when, session, who, text, "delivered", _DELIVERED)
        explained = _receiving_side(self.explain(text))
        status = "bounced" if service == "lmtp" and explained[2] == "mailboxfull" else "deferred"
        return self._record(source, line, "dovecot", when, session, who, None, text, status, explained)

    def end(self, source: str) -> list[Any]:
        """What ``source`` still held when it ends, and what is kept of it forgotten."""
        held = [process for process in self._pending if process[0] == source]
        out = [self._held_record(self._pending.pop(process)) for process in held]
        for key in [key for key in self._counted if key[0] == source]:
            del self._counted[key]
        return out
