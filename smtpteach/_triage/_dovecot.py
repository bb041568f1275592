"""Dovecot's own log (``log_path``, ``info_log_path``): what its LDA (``dovecot-lda``) and its LMTP server did with
each message they were handed, into which mailbox, or why not.

A line of Dovecot's own log is its time as ``log_timestamp`` writes it (the default ``Mar 12 09:00:01``, or
``2024-03-12 09:00:01``), one of Dovecot's services with the user, process and session in its prefix
(``lmtp(bich@congty.vn)<40120><Xk3bF2Hq8GW5MAAA0J78UA>:``, Dovecot 2.2's ``lmtp(40120, bich@congty.vn):``, or the
service alone, ``lda:``), then the level (``Info:``, ``Error:`` ...) that only Dovecot's own file writes there.
Through syslog the same words come after ``dovecot:`` and carry no level: those lines are the syslog reader's, and
they are no attempts. On such a server the MTA's log already records each hand-off to Dovecot (Postfix's
``postfix/lmtp`` or ``postfix/pipe`` line, with Dovecot's reply), so that counting Dovecot's lines too would count
every local delivery twice. For the same reason, read Dovecot's own file instead of the MTA's log of the same
deliveries, not beside it.

What its LDA and LMTP lines say (Dovecot's ``mail_deliver_log`` and Pigeonhole's Sieve) is read this way:

- ``saved mail to INBOX``, Sieve's ``stored mail into mailbox 'X'``: delivered (once for a recipient, session and
  message, however many mailboxes a script stores it into);
- ``rejected: <why>``: bounced. dovecot-lda writes it when it answers a message with a permanent failure (with
  ``quota_full_tempfail`` it fails temporarily instead, and writes no such line); the ``save failed to X: <why>``
  (or Sieve's ``failed to store into mailbox``) that comes before it, from the same process, for the same recipient,
  session and message, is the same attempt, counted once;
- a ``save failed`` with no ``rejected:`` after it: the reply Dovecot gave for it is not in the line. LMTP answers a
  full mailbox with 552 5.2.2 in the default configuration (``quota_full_tempfail = no``) and any other failure
  with 451 4.2.0, and dovecot-lda fails temporarily (it would have written ``rejected:`` for a permanent failure):
  so it is bounced for LMTP's full mailbox and deferred otherwise;
- a user Dovecot cannot set up (``user X: Initialization failed``, ``Failed to initialize user``, ``Failed to lookup
  user``): deferred, as Dovecot answers it (dovecot-lda exits with a temporary failure, LMTP with 451 4.3.0). ``User
  X doesn't have home dir set, disabling duplicate database`` is no failure of its own: delivery goes on without the
  duplicate database, and fails, when it does, on a line of its own;
- Sieve's ``discarded``: discarded; its ``forwarded to <x>``: relayed (the delivery is the MTA's to make); its
  ``sent vacation response`` is an answer of its own, no attempt.

Each record's reason is what :func:`smtpteach.explain` reads in the line's words; the message id before them is
left out, as a queue id is of other logs.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import _DELIVERED, _OTHER, _Family
from ._sessions import OPEN_SESSIONS

# the services of Dovecot that write to its own log ("imap-login", "auth-worker", "lmtp"): only lda and lmtp deliver
_DOVECOT = re.compile(
    r"(?P<time>(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[A-Z][a-z]{2} [ 0-9][0-9]) [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?) "
    r"(?P<service>(?:lda|lmtp|imap|pop3|submission|managesieve|auth|master|config|dict|indexer|doveadm|anvil|log|"
    r"stats|quota-status|replicator|director|dsync|ssl-params|ipc|dns-client|aggregator|old-stats)(?:-[a-z]+)*)"
    r"(?:\((?P<who>[^()]*)\))?(?:<(?P<pid>[0-9]+)>)?(?:<(?P<session>[^<>]*)>)?: "
    r"(?P<level>Info|Warning|Error|Fatal|Panic|Debug): (?P<msg>.*)", re.ASCII)
# the levels that follow the prefix: how _LineReader._one tells a line of Dovecot's own file cheaply (with the
# default time, the syslog pattern matches it, the prefix taken for a host and the level for a program)
LEVELS = ("Info: ", "Error: ", "Warning: ", "Fatal: ", "Panic: ", "Debug: ")
LEVEL_WORDS = frozenset(level[:-2] for level in LEVELS)
# the message of a delivery line: Dovecot 2.2's session id, Sieve's mark, the message id, then what happened
_SAID = re.compile(r"(?:(?P<session>[A-Za-z0-9+/]{22}(?::[0-9]+)?): )?(?P<sieve>sieve: )?"
                   r"(?:msgid=(?P<msgid><[^<>]*>|\S+?): )?(?P<what>.*)")
_DELIVERY = re.compile(r"saved mail to |stored mail into mailbox ")
_FAILED = re.compile(r"save failed to |failed to store into mailbox ")
_FORWARDED = re.compile(r"forwarded to <")
# a user Dovecot could not set up, and the user: "user X: Initialization failed: ...", "Failed to initialize user
# X: ...", "rcpt X: Failed to lookup user X: ..." (LMTP's conn prefix before it)
_NO_USER = re.compile(r"(?:rcpt (?P<rcpt>\S+): )?(?:user (?P<user>[^\s:]+): Initialization failed\b|"
                      r"Failed to (?:initialize|lookup) user\b(?: (?P<named>[^\s:]+))?)")


class _Dovecot(_Family):
    """The delivery lines of Dovecot's own log, each process's last failure held until its next line says whether
    dovecot-lda rejected the message for it."""

    def __init__(self, explainer: Any):
        super().__init__(explainer)
        # (source, process) -> the failure not yet counted: (key, service, record's fields), oldest first
        self._pending: dict[tuple[str, str], tuple[tuple[str, ...], str, tuple[Any, ...]]] = {}
        # the deliveries counted already, (source, user, session, message id), oldest first
        self._delivered: dict[tuple[str, ...], None] = {}

    def line(self, text: str, source: str, number: int) -> Any:
        """A line of Dovecot's own log: a Record, a list of them, or _OTHER; None for a line of no such log."""
        m = _DOVECOT.match(text)
        if m is None:
            return None
        service = m.group("service")
        if service not in ("lda", "lmtp"):
            return _OTHER  # a login, an IMAP session, the master process: no delivery
        who, pid = m.group("who") or "", m.group("pid")
        if ", " in who:  # Dovecot 2.2: "lmtp(40120, bich@congty.vn)"
            pid, who = who.split(", ", 1)
        elif who.isdigit():  # the process alone: "lmtp(40120)"
            pid, who = who, ""
        process = (source, pid or who)
        said = _SAID.match(m.group("msg"))
        assert said is not None  # every message matches (its parts are optional)
        key = (source, who, m.group("session") or said.group("session") or pid or "", said.group("msgid") or "")
        what = said.group("what")
        text = (said.group("sieve") or "") + what
        held = self._pending.pop(process, None) if pid or who else None
        out: list[Any] = []
        if held is not None and not (what.startswith("rejected: ") and held[0] == key):
            out.append(self._failure(held))  # no rejection followed: the failure as it stands
        found = self._one(m, service, who, key, what, text, source, number, process)
        if not out:
            return found
        return out + (found if isinstance(found, list) else [found])

    def _one(self, m: re.Match[str], service: str, who: str, key: tuple[str, ...], what: str, text: str, source: str,
             number: int, process: tuple[str, str]) -> Any:
        when, session = m.group("time"), key[2] or None
        if _DELIVERY.match(what):
            if key in self._delivered:
                return _OTHER  # stored into a second mailbox by a script: the same delivery
            if len(self._delivered) >= OPEN_SESSIONS:
                del self._delivered[next(iter(self._delivered))]
            self._delivered[key] = None
            return self._record(source, number, "dovecot", when, session, who, None, text, "delivered", _DELIVERED)
        if what.startswith("rejected: "):
            return self._record(source, number, "dovecot", when, session, who, None, text, "bounced")
        if _FAILED.match(what):
            if len(self._pending) >= OPEN_SESSIONS:
                oldest = next(iter(self._pending))
                return [self._failure(self._pending.pop(oldest)), self._hold(process, key, service, when,
                                                                                     session, who, text, source, number)]
            return self._hold(process, key, service, when, session, who, text, source, number)
        if what == "discarded":
            return self._record(source, number, "dovecot", when, session, who, None, text, "discarded")
        if _FORWARDED.match(what):
            return self._record(source, number, "dovecot", when, session, who, None, text, "relayed", _DELIVERED)
        if m.group("level") != "Info":
            no_user = _NO_USER.search(what)
            if no_user:
                user = no_user.group("rcpt") or no_user.group("user") or no_user.group("named") or who or None
                return self._record(source, number, "dovecot", when, session, user, None, what[no_user.start():],
                                    "deferred")
        return _OTHER  # a connection, a vacation response, a script's own error, a duplicate database set aside

    def _hold(self, process: tuple[str, str], key: tuple[str, ...], service: str, when: str, session: str | None,
              who: str, text: str, source: str, number: int) -> Any:
        """Keep a failure until the process's next line: a rejection of the same message makes it one attempt."""
        self._pending[process] = (key, service, (source, number, when, session, who, text))
        return _OTHER

    def _failure(self, held: tuple[tuple[str, ...], str, tuple[Any, ...]]) -> Any:
        """The record of a failure no rejection followed: bounced when LMTP answered a full mailbox (552 5.2.2 in
        the default configuration), deferred otherwise (see the module's docstring)."""
        _, service, (source, line, when, session, who, text) = held
        explained = self.explain(text)
        status = "bounced" if service == "lmtp" and explained[2] == "mailboxfull" else "deferred"
        return self._record(source, line, "dovecot", when, session, who, None, text, status, explained)

    def end(self, source: str) -> list[Any]:
        """The failures of ``source`` still held when it ends, and what is kept of it forgotten."""
        held = [process for process in self._pending if process[0] == source]
        out = [self._failure(self._pending.pop(process)) for process in held]
        for key in [key for key in self._delivered if key[0] == source]:
            del self._delivered[key]
        return out
