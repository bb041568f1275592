"""Session transcripts, which Windows servers log instead of one line per delivery (MDaemon, hMailServer), and
what swaks prints: the replies our client was given, read against the commands it sent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .._records import reply_line
from ._base import _DELIVERED, _OTHER, _REFUSED, _domain_of, _Family

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
                          r"|\*  From: (?P<from>.*)"
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
    sender: str | None = None  # the envelope sender of the message the session sends (MAIL FROM: "" is the null one)


class _Transcripts(_Family):
    """The client sessions of transcripts, each kept apart by its source and its session."""

    def __init__(self, explainer: Any):
        super().__init__(explainer)
        # transcripts: (source, session) -> its state; MDaemon's open session and recipients per source; the files
        # known to be MDaemon's; hMailServer's recipients per delivery thread
        self._sessions: dict[tuple[str, str], _Session] = {}
        self.mdaemon: dict[str, tuple[str, list[str]]] = {}
        self._hmail_to: dict[str, tuple[str, list[str]]] = {}
        self._hmail_from: dict[str, str] = {}  # by thread: the sender (its address, as the deliverer's line names it)
        self._hmail_failure: dict[str, str] = {}  # by thread: the words of a failure no reply said
        self._hmail_done: set[str] = set()  # the threads whose delivery a session's reply said already
        self._mdaemon_from: dict[str, str] = {}  # by source: the sender MDaemon names before its session ("*  From:")

    def line(self, text: str, source: str, number: int) -> Any:
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
                    self._hmail_from[thread] = d.group("from")
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
                                         status, sender=self._hmail_from.get(thread)) for to in recipients] or _OTHER
                # a local delivery: the line names no recipient, and the message's may be remote too (relayed by a
                # session of the same thread): its only recipient, or those of the sender's own domain
                message, recipients = self._hmail_to.get(thread, ("", []))
                sender = self._hmail_from.get(thread)
                own = (_domain_of(sender) or "") if sender else ""
                local = recipients if len(recipients) == 1 else [to for to in recipients if own and _domain_of(to) == own]
                self._hmail_to[thread] = (message, [to for to in recipients if to not in local])
                return [self._record(source, number, "hmailserver", h.group("time"), message, to, None,
                                     "Local delivery completed", "delivered", _DELIVERED, sender) for to in local] or _OTHER
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
                self._open(key, list(planned[1]), self._hmail_from.get(thread))
            found = self._said(key, said[0] == "SENT", said[1].replace("[nl]", "\n"), source, number, "hmailserver",
                               h.group("time"), h.group("peer"))
            if found is not _OTHER:
                self._hmail_done.add(thread)
            return found
        m = _MDAEMON.fullmatch(text)
        if m is None:
            if "MDaemon" in text[:40] and source not in self.mdaemon:
                self.mdaemon[source] = ("", [])  # the banner a log file of MDaemon's starts with
                return _OTHER
            return None
        own = _MDAEMON_OWN.match(m.group("rest"))
        if own is None:
            return _OTHER if source in self.mdaemon else None
        if source not in self.mdaemon:
            self.mdaemon[source] = ("", [])
        session, planned = self.mdaemon[source]
        if own.group("session"):
            self.mdaemon[source] = (own.group("session"), [])
            self._mdaemon_from.pop(source, None)
            return _OTHER
        if own.group("from") is not None:
            self._mdaemon_from[source] = own.group("from").strip().strip("<>")
            return _OTHER
        if own.group("to"):
            planned += [a.strip().strip("<>") for a in own.group("to").split(",") if a.strip()]
            return _OTHER
        if own.group("parsing"):
            planned.clear()  # the next message of the session: its own recipients follow
            return _OTHER
        key = (source, "mdaemon " + session)
        if key not in self._sessions:
            self._open(key, planned, self._mdaemon_from.get(source))
        if own.group("tls") or own.group("connect"):  # no reply says so: the handshake, or the connection, failed
            state = self._sessions[key]
            if state.over:
                return _OTHER  # MDaemon says it twice: the error, then that the session ends
            state.over = True
            explained = self.explain(m.group("rest"))
            if explained[2] == "undefined":  # "Error during SSL negotiation: <Windows's words>" is a TLS failure
                explained = self.explain("SSL negotiation failed" if own.group("tls") else "Connection timed out")
            return [self._record(source, number, "mdaemon", m.group("time"), None, to, None, m.group("rest"),
                                 "deferred", explained, state.sender) for to in (state.accepted or state.planned or [None])]
        return self._said(key, own.group("dir") == "-->", own.group("said"), source, number, "mdaemon",
                          m.group("time"), None)

    def swaks(self, text: str, source: str, number: int) -> Any:
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

    def _open(self, key: tuple[str, str], planned: list[str], sender: str | None = None) -> None:
        """A session's state, with the recipients and the sender the log names before it (where it does)."""
        if len(self._sessions) >= OPEN_SESSIONS:
            del self._sessions[next(iter(self._sessions))]
        self._sessions[key] = _Session(planned, sender=sender)

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
                state.sender = (c.group("address") or "").strip() if c else None
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
            return self._record(source, number, kind, when, None, to, peer, text, None, sender=state.sender)
        if command == "DATA" and code[0] == "3":
            state.dot = True
            return _OTHER
        if command == "BDAT" and code[0] == "2":
            return _OTHER  # a chunk taken; the last one's reply says what became of the message
        if command in (".", "LAST") or command in ("DATA", "BDAT") and code[0] != "2":
            recipients, state.accepted = state.accepted, []
            explained = self.explain(text)
            return [self._record(source, number, kind, when, None, to, peer, text, None, explained, state.sender)
                    for to in recipients] or self._record(source, number, kind, when, None, None, peer, text, None,
                                                          explained, state.sender)
        if code[0] in "45" and command not in ("QUIT", "RSET", "NOOP", "HELP", "VRFY", "EXPN"):
            # the greeting, EHLO, STARTTLS, AUTH or MAIL FROM failed: the message went to none of its recipients
            explained = self.explain(text)
            return [self._record(source, number, kind, when, None, to, peer, text, None, explained, state.sender)
                    for to in state.planned] or self._record(source, number, kind, when, None, None, peer, text,
                                                             None, explained, state.sender)
        return _OTHER
