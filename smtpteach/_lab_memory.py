"""The lab's SMTP dialogue without a network: the same aiosmtpd server, fed bytes in memory.

Pyodide (the Python of JupyterLite, in the browser) has no sockets and no threads,
so the lab cannot listen on 127.0.0.1 there. Here the lab's server is the very same
aiosmtpd protocol object, with the same handler and the same replies; only its
transport is a buffer, and its event loop is one of the lab's own that runs when the
client waits for a reply, in the caller's thread. A client writes a command into the
server as if it had come off the wire, turns the loop until a whole reply line is
in the buffer, and reads it. The dialogue, byte for byte, is what a socket carries.

What a socket gives that memory cannot: STARTTLS (no TLS without a connection to
put it on), and other programs (``smtplib``, ``swaks``) that connect to a port.
"""

from __future__ import annotations

import asyncio
import asyncio.events
import asyncio.tasks
from collections.abc import Callable
from typing import Any

#: the client's address as the server sees it (a socket's peer on 127.0.0.1); the port is
#: none at all, since nothing listens
PEER = ("127.0.0.1", 0)
#: how many turns of the loop a reply may take before the lab gives up on it (a few dozen are used)
MAX_TURNS = 100_000


class _NoSelector:
    """What the loop would wait on: nothing (no socket, no pipe), so a turn never blocks."""

    def select(self, timeout: float | None = None) -> list:
        return []

    def close(self) -> None:
        pass


class MemoryLoop(asyncio.BaseEventLoop):
    """An event loop that runs only when :meth:`turn_until` turns it, with no selector, no self-pipe and
    no thread. It leaves alone any loop already running in the thread (a Jupyter kernel runs one)."""

    def __init__(self) -> None:
        super().__init__()
        self._selector = _NoSelector()

    def _process_events(self, event_list: list) -> None:
        pass

    def _write_to_self(self) -> None:
        pass

    def turn_until(self, done: Callable[[], bool]) -> bool:
        """Run what is ready, again and again, until ``done()`` or nothing is left to run; whether ``done()``.

        A kernel runs each cell inside a task of its own loop (ipykernel; Pyodide's kernel on its WebLoop).
        While this loop turns, that loop and its task step aside, and come back after: since Python 3.14 a
        thread has one current task whatever its loop, so the server's task could not run otherwise."""
        previous = asyncio.events._get_running_loop()
        outer_task = asyncio.tasks.current_task(previous) if previous is not None else None
        if outer_task is not None:
            asyncio.tasks._leave_task(previous, outer_task)
        asyncio.events._set_running_loop(self)
        try:
            for _ in range(MAX_TURNS):
                if done():
                    return True
                if not self._ready:
                    # nothing to run until a timer is due (the server's idle timeout): the server waits
                    due = self._scheduled and self._scheduled[0].when() <= self.time()
                    if not due:
                        return done()
                self._run_once()
            return done()
        finally:
            asyncio.events._set_running_loop(previous)
            if outer_task is not None:
                asyncio.tasks._enter_task(previous, outer_task)


class MemoryTransport(asyncio.Transport):
    """The server's side of an in-memory connection: what it writes waits in ``sent`` for the client."""

    def __init__(self, loop: MemoryLoop):
        super().__init__()
        self._loop = loop
        self._protocol: Any = None
        self.sent = bytearray()
        self._closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": PEER, "sockname": ("127.0.0.1", 25)}.get(name, default)

    def set_protocol(self, protocol: Any) -> None:
        self._protocol = protocol

    def get_protocol(self) -> Any:
        return self._protocol

    def write(self, data: bytes) -> None:
        if not self._closing:
            self.sent += data

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._loop.call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def can_write_eof(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def is_reading(self) -> bool:
        return not self._closing


class MemoryConnection:
    """The client's side: ``sendall`` and ``readline`` as a socket and its file give them."""

    def __init__(self, loop: MemoryLoop, protocol: Any):
        self._loop = loop
        self._transport = MemoryTransport(loop)
        self._transport.set_protocol(protocol)
        self._protocol = protocol
        protocol.connection_made(self._transport)

    def sendall(self, data: bytes) -> None:
        """Hand the server bytes as if they came off the wire; after it has hung up, they go nowhere (as a
        write to a socket whose peer has closed it: the client learns it when it reads)."""
        if not self._transport.is_closing():
            self._protocol.data_received(bytes(data))

    def readline(self, limit: int) -> bytes:
        """One line the server wrote (at most ``limit`` bytes), or b"" once it has closed the connection."""
        sent = self._transport.sent

        def ready() -> bool:
            return has_line(sent, limit) or self._transport.is_closing()

        if not self._loop.turn_until(ready):
            raise TimeoutError("the lab server did not answer")
        return take_line(sent, limit)

    def close(self) -> None:
        """Hang up, as a client closing its socket: the server sees the end of the stream."""
        if not self._transport.is_closing():
            self._protocol.eof_received()
            self._transport.close()
        self._loop.turn_until(lambda: False)


def has_line(buffer: bytearray, limit: int) -> bool:
    """Whether ``buffer`` holds a whole line, or ``limit`` bytes of one."""
    return b"\n" in buffer[:limit] or len(buffer) >= limit


def take_line(buffer: bytearray, limit: int) -> bytes:
    """The first line of ``buffer`` (at most ``limit`` bytes; what there is when it holds no line end), taken out of
    it: a client's read of what the server sent, in memory and over a socket alike."""
    end = buffer.find(b"\n", 0, limit)
    end = end + 1 if end >= 0 else min(len(buffer), limit)
    line = bytes(buffer[:end])
    del buffer[:end]
    return line
