"""Zimbra's mailbox log (``/opt/zimbra/log/mailbox.log``): what its mailbox server's LMTP delivery did with each
recipient of a message its MTA handed it, and the messages its users sent that the MTA refused.

A line of it is log4j's: ``2024-03-12 09:15:02,962 INFO  [LmtpServer-1204] [name=an@congty.vn;mid=12;] lmtp -
Delivered message to an@congty.vn.``, the time (its milliseconds after a comma or a point; an ISO ``T`` and a zone,
or ``12 Mar 2024``, where a site changed the layout), the level, the thread, the account context and the category.
An exception's stack trace follows the line that logged it, on lines of its own (``com.zimbra...Exception: ...``,
``ExceptionId:...``, ``Code:...``, ``Caused by: ...``, tab-indented ``at ...``): in a file known to be Zimbra's, a
line that does not start as its lines do belongs to the one before it, and is no line of its own. What a failure's
trace says (the exception's message, the one that caused it, its ``Code:``) is part of the failure's text, and of
what explains it: ``No space left on device`` is this server's disk, ``mail.MESSAGE_TOO_BIG`` the sender's message.

The outcomes are read from the LMTP server's threads (``LmtpServer-N``) only, whose context names the account
with its mailbox id (``name=an@congty.vn;mid=12;``) or names none (the recipient is then in the line's words): another
Java program's log with the same layout, whatever its words, gives no records. What they say is read this way
(Zimbra's ``ZimbraLmtpBackend``; older versions name the recipient alone, newer ones write
``from=<sender>,to=<recipient>``):

- ``lmtp - Delivered message to X``, or the message added to a mailbox by an LMTP thread (``mailop - Adding
  Message: ...``, for the account its ``acct=`` names, or, when it names none or names the account by its id, the
  account in the context): delivered, once for a recipient of the message the thread is delivering (a filter that
  files it into two folders adds it twice), and once for each of a message's several recipients;
- ``lmtp - rejecting message X: <why>``: bounced (LMTP answers with a permanent failure), except over quota, which
  Zimbra answers with a temporary failure unless ``zimbraLmtpPermanentFailureWhenOverQuota`` is set (it is not by
  default): deferred;
- ``lmtp - try again for message X``: deferred. A recipient's second failure line for the same message (a
  rejection, then the exception that caused it) is the same attempt, counted once. A failure whose words explain()
  cannot read is this server's admin's to look into, not the sender's;
- ``filter - Discarding message ...`` (a filter rule's ``discard``, for the account in the context): discarded, the
  recipient's own rule;
- ``lmtp - accepted and discarded message ...: local delivery is disabled``: relayed. The account forwards its mail
  without keeping a copy (``zimbraPrefMailLocalDeliveryDisabled``), and Zimbra hands the message to its MTA for the
  forwarding address (the ``smtp - Sending message to MTA`` line after it): nothing was lost;
- ``mailbox - Message send failed: 552 5.3.4 ...``: a message a user sent that the MTA refused (the account in the
  context is the sender's; no recipient is named): its status is its reply's.

Any other line (a login, a SOAP request, a message added by a user) is no attempt.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import _DELIVERED, _FILTERED, _OTHER, _Family, _receiving_side, _Unrecognised
from ._sessions import OPEN_SESSIONS

_ZIMBRA = re.compile(r"(?P<time>(?:[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]|[0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} )"
                     r"[0-9]{2}:[0-9]{2}:[0-9]{2}[,.][0-9]{3}(?:Z|[+-][0-9]{2}:?[0-9]{2})?) (?P<level>[A-Z]+) +"
                     r"\[(?P<thread>[^\]]*)\] \[(?P<context>[^\]]*)\] (?P<category>[\w.-]+) - (?P<msg>.*)", re.ASCII)
_ACCOUNT = re.compile(r"(?:^|;)name=(?P<name>[^;]+)")
_MAILBOX_ID = re.compile(r"(?:^|;)mid=[0-9]+;")
_LMTP_THREAD = re.compile(r"LmtpServer-[0-9]+$")
# lmtp's lines about one recipient: the recipient alone ("rejecting message bich@congty.vn: ...") or with the sender
# ("rejecting message from=a@x,to=bich@congty.vn: ...")
_RECIPIENT = r"(?:(?:message )?from=[^,]*,to=(?P<to>[^\s:,]+)|(?:message |for )?(?P<alone>[^\s:,]+))"
_LMTP = re.compile(r"(?P<what>Delivered message to|rejecting message|try again for|accepted and discarded message) "
                   + _RECIPIENT)
_ADDED = re.compile(r"Adding Message: (?:.*\bacct=(?P<acct>\S+?)\.?$)?")
# a stack trace's lines: an exception and its message (the first, then each "Caused by: "), and its code
_EXCEPTION = re.compile(r"(?:Caused by: )?[\w.$]+(?:Exception|Error): (?P<said>.+)")
_CODE = re.compile(r"Code:(?P<code>[\w.]+)")
MAX_TRACE_LINES = 200


class _Zimbra(_Family):
    """The lines of Zimbra's mailbox log, what each LMTP thread said of the message it is delivering kept until it
    starts the next one, and each source's last failure held until its stack trace ends."""

    def __init__(self, explainer: Any):
        super().__init__(explainer)
        self.files: set[str] = set()  # the sources known to be Zimbra's mailbox log
        # (source, thread) -> the (recipient, outcome) said already of the message the thread is delivering
        self._said: dict[tuple[str, str], set[tuple[str, str]]] = {}
        # source -> the failure whose stack trace may follow: (thread, recipient, the record's fields, status, the
        # trace's first lines)
        self._held: dict[str, tuple[str, str, tuple[Any, ...], str, list[str]]] = {}

    def line(self, text: str, source: str, number: int) -> Any:
        """A line of Zimbra's mailbox log: a Record, a list of them, _OTHER or an _Unrecognised; None for a line of no
        such log."""
        m = _ZIMBRA.match(text)
        if m is None:
            if source not in self.files:
                return None
            held = self._held.get(source)
            if held is not None and len(held[4]) < MAX_TRACE_LINES:
                held[4].append(text.split("\n", 1)[0])
            return _OTHER  # a stack trace's line, in a Zimbra file
        self.files.add(source)
        found = self._line(m, text, source, number)
        held = self._held.pop(source, None)
        if found is _KEEP_HOLDING:
            self._held[source] = held  # type: ignore[assignment]  # a second line of the same failure
            return _OTHER
        out = [self._failure(held)] if held is not None else []  # its trace ended with this line
        if isinstance(found, tuple):  # a failure: held until its stack trace ends, and counted then
            self._held[source] = found
            return out
        return out + [found] if out else found

    def _line(self, m: re.Match[str], text: str, source: str, number: int) -> Any:
        category, msg, thread, context = m.group("category"), m.group("msg"), m.group("thread"), m.group("context")
        account = _ACCOUNT.search(context)
        name = account.group("name") if account else None
        when = m.group("time")
        if category in ("lmtp", "mailop", "filter") and _LMTP_THREAD.match(thread):
            if category == "lmtp" and msg.startswith("Delivering message:"):
                self._said.pop((source, thread), None)  # the thread starts on another message
                return _OTHER
            if name and not _MAILBOX_ID.search(context):
                return _Unrecognised(source, number, text)  # an account without its mailbox: no context of Zimbra's
            return self._lmtp(category, msg, thread, name, source, number, when, text)
        if category == "mailbox" and msg.startswith("Message send failed:") and name:
            # the sender's own message, refused by the MTA: the account is named in the text, as the line names it
            return self._record(source, number, "zimbra", when, None, None, None, f"name={name}; {msg}", None)
        return _OTHER

    def _lmtp(self, category: str, msg: str, thread: str, name: str | None, source: str, number: int, when: str,
              text: str) -> Any:
        if category == "lmtp":
            said = _LMTP.match(msg)
            if said is None:
                return _OTHER
            what, to = said.group("what"), (said.group("to") or said.group("alone")).rstrip(".")
            if what == "Delivered message to":
                return self._once(source, thread, to, "delivered", number, when, msg, _DELIVERED)
            if what == "accepted and discarded message":
                # forwarded without a copy kept: Zimbra hands the message to its MTA for the forwarding address
                return self._once(source, thread, to, "relayed", number, when, msg, _DELIVERED)
            if (to, "failed") in self._said.get((source, thread), ()):
                held = self._held.get(source)
                return _KEEP_HOLDING if held and held[:2] == (thread, to) else _OTHER  # the same attempt
            self._once(source, thread, to, "failed", number, when, msg, _OTHER)
            return (thread, to, (source, number, when, msg), what, [])
        if category == "mailop":
            added = _ADDED.match(msg)
            if added is None:
                return _OTHER
            acct = added.group("acct")
            to = acct if acct and "@" in acct else name  # the account's id ("acct=3f2a9c1e-..."): its name
            if not to:
                return _Unrecognised(source, number, text)
            return self._once(source, thread, to, "delivered", number, when, msg, _DELIVERED)
        if msg.startswith("Discarding message") and name:
            # what is explained stops before the sender's address, which says nothing of why ("from sender x" would
            # read as a sender refused); the reason is the recipient's own filter
            text = re.split(r" from (?:sender )?\S+@", msg, maxsplit=1)[0]
            return self._once(source, thread, name, "discarded", number, when, text, self.explain(_FILTERED))
        return _OTHER

    def _failure(self, held: tuple[str, str, tuple[Any, ...], str, list[str]]) -> Any:
        """The record of a held failure, explained with what its stack trace says."""
        _, to, (source, number, when, msg), what, trace = held
        said = [e.group("said").strip() for e in map(_EXCEPTION.match, trace) if e]
        codes = [c.group("code") for c in map(_CODE.match, trace) if c]
        cause = ": ".join(said[:1] + said[1:][-1:])  # the exception's message, and its root cause's
        if codes:
            cause = f"{cause} ({codes[0]})" if cause else codes[0]
        text = f"{msg}: {cause}" if cause else msg
        explained = _receiving_side(self.explain(text))
        status = "bounced" if what == "rejecting message" and explained[2] != "mailboxfull" else "deferred"
        return self._record(source, number, "zimbra", when, None, to, None, text, status, explained)

    def _once(self, source: str, thread: str, recipient: str, outcome: str, number: int, when: str, text: str,
              explained: Any = None, status: str | None = None) -> Any:
        """The record of what a thread said of a recipient, or _OTHER when it said so already for this message
        (with ``explained`` _OTHER: only noted as said)."""
        said = self._said.get((source, thread))
        if said is None:
            if len(self._said) >= OPEN_SESSIONS:
                del self._said[next(iter(self._said))]
            said = self._said[(source, thread)] = set()
        if (recipient, outcome) in said:
            return _OTHER
        said.add((recipient, outcome))
        if explained is _OTHER:
            return _OTHER
        return self._record(source, number, "zimbra", when, None, recipient, None, text, status or outcome, explained)

    def end(self, source: str) -> list[Any]:
        """The failure ``source`` still held when it ends, and what was kept of it forgotten."""
        held = self._held.pop(source, None)
        self.files.discard(source)
        for key in [key for key in self._said if key[0] == source]:
            del self._said[key]
        return [self._failure(held)] if held is not None else []


# what _Zimbra._line answers for a recipient's second failure line while its first is held: keep holding it, and
# the stack trace that follows is the first one's too
_KEEP_HOLDING = object()
