"""A real SMTP server on 127.0.0.1 for the live lab, and a client that keeps a transcript.

>>> from smtpteach.lab import LabServer
>>> with LabServer(mailboxes=["ana@lab.example"]) as server:
...     with server.client() as client:
...         reply = client.command("EHLO client.example")
...         reply.code.code
'250'

The server is aiosmtpd with a small subclass, so that it sends the replies a
teacher wants to show, each with its enhanced status code (RFC 2034):
214 and 211 for HELP (``HELP STATUS`` gives the status), 550 for an unknown
mailbox, 452 past the recipient limit, 451 while greylisting, 530 while
authentication is required, 552 past the size limit, 421 past the rate limit
and 421 when the server shuts down with clients still connected.

It binds 127.0.0.1 only, on a free port it picks itself (never printed), with a
fixed host name and ident so transcripts are the same on every machine, and it
always stops: leaving the ``with`` block closes every session, stops the
thread and frees the port.
"""

from __future__ import annotations

import re
import socket
import threading
import warnings
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._errors import SmtpTeachError

__all__ = ["LabServer", "LabClient", "LabMessage", "LabError", "HOSTNAME", "IDENT"]

HOSTNAME = "mx.lab.example"
IDENT = "ESMTP smtpteach lab"

# Enhanced codes for replies aiosmtpd words on its own (RFC 3463 §3 subjects).
_DEFAULT_ENHANCED = {
    "211": "2.0.0", "214": "2.0.0", "221": "2.0.0", "235": "2.7.0", "250": "2.0.0", "252": "2.0.0",
    "421": "4.3.2", "451": "4.3.0", "452": "4.3.1", "454": "4.7.0",
    "500": "5.5.2", "501": "5.5.4", "502": "5.5.1", "503": "5.5.1", "504": "5.5.4",
    "530": "5.7.0", "535": "5.7.8", "550": "5.0.0", "552": "5.3.4", "553": "5.1.3", "554": "5.0.0", "555": "5.5.4",
}
_HAS_ENHANCED = re.compile(r"^[2-5][0-9][0-9][ -][245]\.[0-9]{1,3}\.[0-9]{1,3}( |$)")


class LabError(SmtpTeachError, RuntimeError):
    """The lab server could not start, or the client lost its connection."""


@dataclass(frozen=True)
class LabMessage:
    """A message the lab server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Handler:
    """The server's decisions (aiosmtpd handler hooks)."""

    def __init__(self, lab: LabServer):
        self.lab = lab

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> list[str]:
        session.host_name = hostname
        return responses[:-1] + ["250-" + responses[-1][4:], "250 ENHANCEDSTATUSCODES"]

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        lab = self.lab
        if lab.rate_limit is not None:
            count = lab._sent_by_peer.get(session.peer[0], 0)
            if count >= lab.rate_limit:
                server._close_after = True
                return f"421 4.7.0 {HOSTNAME} Too many messages from you, closing connection; slow down"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Sender OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        lab = self.lab
        if lab.max_recipients is not None and len(envelope.rcpt_tos) >= lab.max_recipients:
            return f"452 4.5.3 Too many recipients: at most {lab.max_recipients} per message"
        if lab.mailboxes is not None and address.lower() not in lab.mailboxes:
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
        if lab.greylisting:
            triple = (session.peer[0], (envelope.mail_from or "").lower(), address.lower())
            if triple not in lab._grey_seen:
                lab._grey_seen.add(triple)
                return f"451 4.7.1 <{address}>: Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Recipient OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        lab = self.lab
        content = envelope.content.decode("utf-8", "replace") if isinstance(envelope.content, bytes) else envelope.content
        with lab._lock:
            lab.messages.append(LabMessage(envelope.mail_from, tuple(envelope.rcpt_tos), content))
            peer = session.peer[0]
            lab._sent_by_peer[peer] = lab._sent_by_peer.get(peer, 0) + 1
        return "250 2.0.0 Message accepted for delivery"


def _make_smtp_class():
    from aiosmtpd.smtp import SMTP, syntax

    class LabSMTP(SMTP):
        """aiosmtpd's server, with enhanced codes on every reply and 214/211 for HELP."""

        def __init__(self, handler: Any, *, lab: LabServer, **kwargs: Any):
            super().__init__(handler, **kwargs)
            self._lab = lab
            self._in_ehlo = False
            self._close_after = False
            lab._sessions.add(self)

        async def push(self, status: Any) -> None:
            text = status.decode() if isinstance(status, bytes) else str(status)
            code = text[:3]
            if (not self._in_ehlo and code in _DEFAULT_ENHANCED and not _HAS_ENHANCED.match(text)
                    and not text.startswith("220 ")):
                text = f"{text[:4]}{_DEFAULT_ENHANCED[code]} {text[4:]}".rstrip()
            await super().push(text)
            if self._close_after and self.transport is not None:
                self._close_after = False
                self.transport.close()

        async def smtp_EHLO(self, hostname: str) -> None:
            self._in_ehlo = True
            try:
                await super().smtp_EHLO(hostname)
            finally:
                self._in_ehlo = False

        @syntax("HELP [command | STATUS]")
        async def smtp_HELP(self, arg: str) -> None:
            # RFC 5321 §4.1.1.8: HELP answers 214 (help) or 211 (system status).
            arg = (arg or "").strip().upper()
            lab = self._lab
            if arg == "STATUS":
                lines = [
                    f"{HOSTNAME} status",
                    f"known mailboxes: {len(lab.mailboxes) if lab.mailboxes is not None else 'any'}",
                    f"messages accepted: {len(lab.messages)}",
                    f"recipient limit: {lab.max_recipients or 'none'}; size limit: {lab.size_limit or 'none'}",
                ]
                await self._push_lines("211", "2.0.0", lines)
                return
            if arg:
                method = self._smtp_methods.get(arg)
                if method is None or not self._syntax_available(method):
                    await self.push(f"504 5.5.4 HELP: no help for {arg[:20]}")
                    return
                await self.push(f"214 2.0.0 Syntax: {method.__smtp_syntax__}")
                return
            # what this server really offers: EHLO always, AUTH only when EHLO announces it
            names = {n for n, m in self._smtp_methods.items() if self._syntax_available(m)} | {"EHLO"}
            if lab.auth is None:
                names.discard("AUTH")
            commands = " ".join(sorted(names))
            await self._push_lines("214", "2.0.0", [f"{HOSTNAME} lab server", f"commands: {commands}",
                                                    "HELP STATUS shows the server's status (211)"])

        async def _push_lines(self, code: str, enhanced: str, lines: Sequence[str]) -> None:
            for i, line in enumerate(lines):
                sep = " " if i == len(lines) - 1 else "-"
                await super().push(f"{code}{sep}{enhanced} {line}")

        def connection_lost(self, error: Any) -> None:
            self._lab._sessions.discard(self)
            super().connection_lost(error)

    return LabSMTP


class LabServer:
    """An SMTP server on 127.0.0.1 for teaching; use it as a context manager.

    ``mailboxes``: the addresses that exist (None: every address does).
    ``max_recipients``: 452 past this many RCPTs in one message.
    ``size_limit``: bytes; advertised in EHLO (SIZE) and enforced with 552.
    ``greylisting``: the first try of each (client, sender, recipient) gets 451.
    ``auth``: a (user, password) pair; until AUTH succeeds, MAIL gets 530.
    ``rate_limit``: messages a client may send; past it, 421 and the connection closes.
    """

    def __init__(self, *, mailboxes: Iterable[str] | None = None, max_recipients: int | None = None,
                 size_limit: int | None = None, greylisting: bool = False,
                 auth: tuple[str, str] | None = None, rate_limit: int | None = None):
        for name, value in (("max_recipients", max_recipients), ("size_limit", size_limit), ("rate_limit", rate_limit)):
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive whole number or None, not {value!r}")
        if auth is not None and (len(auth) != 2 or not all(isinstance(x, str) and x for x in auth)):
            raise ValueError("auth must be a (user, password) pair of non-empty strings")
        self.mailboxes = None if mailboxes is None else {m.lower() for m in mailboxes}
        self.max_recipients = max_recipients
        self.size_limit = size_limit
        self.greylisting = greylisting
        self.auth = auth
        self.rate_limit = rate_limit
        self.messages: list[LabMessage] = []
        self._lock = threading.Lock()
        self._grey_seen: set[tuple[str, str, str]] = set()
        self._sent_by_peer: dict[str, int] = {}
        self._sessions: weakref.WeakSet = weakref.WeakSet()
        self._controller: Any = None
        self.port: int | None = None

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> LabServer:
        """Listen on a free port of 127.0.0.1 (then in ``port``); a ``with`` block calls it."""
        if self._controller is not None:
            raise LabError("the lab server is already running")
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        lab = self
        smtp_class = _make_smtp_class()

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == lab.auth
            return AuthResult(success=ok, handled=False)

        class LabController(Controller):
            def factory(self) -> Any:
                kwargs = dict(self.SMTP_kwargs)
                if lab.auth is not None:
                    kwargs.update(auth_required=True, auth_require_tls=False, authenticator=authenticator)
                with warnings.catch_warnings():
                    # AUTH without TLS is what a lab on 127.0.0.1 wants to show.
                    warnings.simplefilter("ignore", UserWarning)
                    return smtp_class(self.handler, lab=lab, **kwargs)

        # aiosmtpd logs each session with the client's address and port; the lab
        # keeps its output free of ports, so only its errors are logged.
        import logging

        log = logging.getLogger("mail.log")
        self._log_level = log.level
        log.setLevel(logging.ERROR)
        last_error: Exception | None = None
        for _ in range(5):  # a free port can be taken between picking and binding
            port = _free_port()
            controller = LabController(
                _Handler(self), hostname="127.0.0.1", port=port, server_hostname=HOSTNAME, ident=IDENT,
                data_size_limit=self.size_limit, enable_SMTPUTF8=True,
            )
            try:
                controller.start()
            except Exception as exc:
                last_error = exc
                continue
            self._controller, self.port = controller, port
            return self
        raise LabError(f"could not start the lab server on 127.0.0.1: {last_error}")

    def stop(self) -> None:
        """Tell connected clients 421 (shutting down), then stop the server."""
        if self._controller is None:
            return
        controller = self._controller
        try:
            self.announce_shutdown()
        finally:
            self._controller = None
            controller.stop()
            self.port = None
            import logging

            logging.getLogger("mail.log").setLevel(getattr(self, "_log_level", logging.NOTSET))

    def announce_shutdown(self) -> int:
        """Send every connected client "421 4.3.2 ... shutting down" and close it; returns how many."""
        controller = self._controller
        sessions = [s for s in list(self._sessions) if s.transport is not None]
        if not sessions:
            return 0
        loop = controller.loop if controller is not None else None
        message = f"421 4.3.2 {HOSTNAME} Service shutting down, closing transmission channel\r\n".encode()

        def close_all() -> None:
            for s in sessions:
                if s.transport is not None:
                    s.transport.write(message)
                    s.transport.close()

        if loop is not None and loop.is_running():
            done = threading.Event()
            loop.call_soon_threadsafe(lambda: (close_all(), done.set()))
            done.wait(5)
        return len(sessions)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- clients -------------------------------------------------------------
    def client(self, *, timeout: float = 5.0) -> LabClient:
        """A :class:`LabClient` connected to this server, each read waiting at most ``timeout`` seconds."""
        if self.port is None:
            raise LabError("start the lab server first (use it in a with block)")
        return LabClient("127.0.0.1", self.port, timeout=timeout)

    def __repr__(self) -> str:
        state = "running" if self._controller is not None else "stopped"
        return f"LabServer({HOSTNAME}, {state})"


@dataclass
class LabClient:
    """A small SMTP client that records the conversation as C:/S: lines.

    It reads replies with :func:`smtpteach.parse_reply`, so every reply it
    shows has passed the RFC 5321 grammar.
    """

    host: str
    port: int
    timeout: float = 5.0
    transcript: list[str] = field(default_factory=list)
    replies: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise LabError(f"cannot connect to the lab server: {exc.strerror or exc}") from None
        self._file = self._sock.makefile("rb")
        self.greeting = self._read_reply()

    def _read_reply(self) -> Any:
        from ._replies import parse_reply

        lines = []
        while True:
            raw = self._file.readline(2048)
            if not raw:
                if lines:
                    break
                raise LabError("the server closed the connection")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            lines.append(line)
            self.transcript.append(f"S: {line}")
            if len(line) < 4 or line[3] != "-":
                break
        reply = parse_reply("\r\n".join(lines))
        self.replies.append(reply)
        return reply

    def command(self, line: str) -> Any:
        """Send one command line; return the server's Reply."""
        if "\r" in line or "\n" in line:
            raise ValueError("a command is one line, without CR or LF")
        self.transcript.append(f"C: {line}")
        try:
            self._sock.sendall(line.encode("utf-8") + b"\r\n")
        except OSError as exc:
            raise LabError(f"the connection is gone: {exc.strerror or exc}") from None
        return self._read_reply()

    def data(self, message: str) -> Any:
        """DATA, then the message (dot-stuffed), then the final dot; returns the last reply."""
        reply = self.command("DATA")
        if not reply.code.is_positive_intermediate:
            return reply
        body = message.replace("\r\n", "\n").split("\n")
        for line in body:
            self.transcript.append(f"C: {line}")
        self.transcript.append("C: .")
        stuffed = "\r\n".join("." + ln if ln.startswith(".") else ln for ln in body)
        self._sock.sendall(stuffed.encode("utf-8") + b"\r\n.\r\n")
        return self._read_reply()

    def expect_close(self) -> Any:
        """Read one unprompted reply, such as 421 before the server hangs up."""
        return self._read_reply()

    def annotated(self, *, lang: str = "en") -> list[str]:
        """The transcript, with each reply's meaning from the catalogue after it."""
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
                name = entry.name(lang=lang) if entry else "?"
                klass = cat.text("classes", str(reply.code.reply_class), lang=lang).name
                note = f"   ↳ {reply.code} {name} ({reply.code.reply_class}xx {klass})"
                if reply.enhanced is not None:
                    e = cat.get(str(reply.enhanced))
                    if e is not None:
                        note += f"; {reply.enhanced} {e.name(lang=lang)}"
                out.append(note)
        return out

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            self._sock.close()

    def __enter__(self) -> LabClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"LabClient({HOSTNAME}, {len(self.replies)} replies)"
