"""Zimbra's mailbox log (``/opt/zimbra/log/mailbox.log``): what its mailbox server's LMTP delivery did with each
recipient of a message its MTA handed it, and the messages its users sent that the MTA refused.

A line of it is log4j's: ``2024-03-12 09:15:02,962 INFO  [LmtpServer-1204] [name=an@congty.vn;mid=12;] lmtp -
Delivered message to an@congty.vn.``, the time (its milliseconds after a comma), the level, the thread, the account
context and the category. An exception's stack trace follows the line that logged it, on lines of its own
(``com.zimbra...Exception: ...``, ``ExceptionId:...``, ``Code:...``, tab-indented ``at ...``): in a file known to be
Zimbra's, a line that does not start as its lines do belongs to the one before it, and is no line of its own.

What it says is read this way (Zimbra's ``ZimbraLmtpBackend``; older versions name the recipient alone, newer ones
write ``from=<sender>,to=<recipient>``):

- ``lmtp - Delivered message to X``, or the message added to X's mailbox by an LMTP thread (``mailop - Adding
  Message: ... acct=X``): delivered, once for a recipient of the message the thread is delivering (a filter that
  files it into two folders adds it twice);
- ``lmtp - rejecting message X: <why>``: bounced (LMTP answers with a permanent failure), except over quota, which
  Zimbra answers with a temporary failure unless ``zimbraLmtpPermanentFailureWhenOverQuota`` is set (it is not by
  default): deferred;
- ``lmtp - try again for message X``: deferred. A recipient's second failure line for the same message (a
  rejection, then the exception that caused it) is the same attempt, counted once;
- ``filter - Discarding message ...`` (a filter rule's ``discard``, for the account in the context) and ``lmtp -
  accepted and discarded message ...`` (local delivery disabled): discarded;
- ``mailbox - Message send failed: 552 5.3.4 ...``: a message a user sent that the MTA refused (the account in the
  context is the sender's; no recipient is named): its status is its reply's.

Any other line (a login, a SOAP request, a message added by a user) is no attempt.
"""

from __future__ import annotations

import re
from typing import Any

from ._base import _DELIVERED, _OTHER, _Family
from ._sessions import OPEN_SESSIONS

_ZIMBRA = re.compile(r"(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]{3}) (?P<level>[A-Z]+) +"
                     r"\[(?P<thread>[^\]]*)\] \[(?P<context>[^\]]*)\] (?P<category>[\w.-]+) - (?P<msg>.*)", re.ASCII)
_ACCOUNT = re.compile(r"(?:^|;)name=(?P<name>[^;]+)")
# lmtp's lines about one recipient: the recipient alone ("rejecting message bich@congty.vn: ...") or with the sender
# ("rejecting message from=a@x,to=bich@congty.vn: ...")
_RECIPIENT = r"(?:(?:message )?from=[^,]*,to=(?P<to>[^\s:,]+)|(?:message |for )?(?P<alone>[^\s:,]+))"
_LMTP = re.compile(r"(?P<what>Delivered message to|rejecting message|try again for|accepted and discarded message) "
                   + _RECIPIENT)
_ADDED = re.compile(r"Adding Message: .*\bacct=(?P<acct>\S+?)\.?$")


class _Zimbra(_Family):
    """The lines of Zimbra's mailbox log, what each LMTP thread said of the message it is delivering kept until it
    starts the next one."""

    def __init__(self, explainer: Any):
        super().__init__(explainer)
        self.files: set[str] = set()  # the sources known to be Zimbra's mailbox log
        # (source, thread) -> the (recipient, outcome) said already of the message the thread is delivering
        self._said: dict[tuple[str, str], set[tuple[str, str]]] = {}

    def line(self, text: str, source: str, number: int) -> Any:
        """A line of Zimbra's mailbox log: a Record or _OTHER; None for a line of no such log."""
        m = _ZIMBRA.match(text)
        if m is None:
            return _OTHER if source in self.files else None  # a stack trace's line, in a Zimbra file
        self.files.add(source)
        category, msg, thread = m.group("category"), m.group("msg"), m.group("thread")
        account = _ACCOUNT.search(m.group("context"))
        name = account.group("name") if account else None
        when = m.group("time")
        if category == "lmtp":
            if msg.startswith("Delivering message:"):
                self._said.pop((source, thread), None)  # the thread starts on another message
                return _OTHER
            said = _LMTP.match(msg)
            if said is None:
                return _OTHER
            what, to = said.group("what"), (said.group("to") or said.group("alone")).rstrip(".")
            if what == "Delivered message to":
                return self._once(source, thread, to, "delivered", number, when, msg, _DELIVERED)
            if what == "accepted and discarded message":
                return self._once(source, thread, to, "discarded", number, when, msg)
            explained = self.explain(msg)
            status = "bounced" if what == "rejecting message" and explained[2] != "mailboxfull" else "deferred"
            return self._once(source, thread, to, "failed", number, when, msg, explained, status)
        if category == "mailop" and thread.startswith("LmtpServer"):
            added = _ADDED.match(msg)
            if added:
                return self._once(source, thread, added.group("acct"), "delivered", number, when, msg, _DELIVERED)
        if category == "filter" and msg.startswith("Discarding message") and name:
            # what is explained stops before the sender's address, which says nothing of why ("from sender x" would
            # read as a sender refused)
            return self._once(source, thread, name, "discarded", number, when, msg.split(" from sender ", 1)[0])
        if category == "mailbox" and msg.startswith("Message send failed:") and name:
            # the sender's own message, refused by the MTA: the account is named in the text, as the line names it
            return self._record(source, number, "zimbra", when, None, None, None, f"name={name}; {msg}", None)
        return _OTHER

    def _once(self, source: str, thread: str, recipient: str, outcome: str, number: int, when: str, text: str,
              explained: tuple | None = None, status: str | None = None) -> Any:
        """The record of what a thread said of a recipient, or _OTHER when it said so already for this message."""
        said = self._said.get((source, thread))
        if said is None:
            if len(self._said) >= OPEN_SESSIONS:
                del self._said[next(iter(self._said))]
            said = self._said[(source, thread)] = set()
        if (recipient, outcome) in said:
            return _OTHER
        said.add((recipient, outcome))
        return self._record(source, number, "zimbra", when, None, recipient, None, text, status or outcome, explained)

    def end(self, source: str) -> None:
        """Forget what was kept of ``source``."""
        self.files.discard(source)
        for key in [key for key in self._said if key[0] == source]:
            del self._said[key]
