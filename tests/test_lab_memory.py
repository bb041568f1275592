"""The lab's server in memory (smtpteach/_lab_memory.py), as JupyterLite's Pyodide runs it: the same dialogue,
byte for byte, as over a socket, with no socket and no thread."""

from __future__ import annotations

import asyncio
import copy
import socket
import threading
from pathlib import Path

import nbformat
import pytest

from smtpteach import SmtpTeachError

from smtpteach.lab import LabClock, LabError, LabServer

from ._tools import load_tool

ROOT = Path(__file__).resolve().parent.parent


def _session(server: LabServer, commands: list[str]) -> list[str]:
    """A whole session's transcript: each item a command, or ("DATA", message) as a data() call."""
    with server.client() as client:
        for command in commands:
            if isinstance(command, tuple):
                client.data(command[1])
            elif command == "<close>":
                client.expect_close()
            else:
                client.command(command)
        return client.transcript


SCENARIOS = {
    "order, help and status": ({"mailboxes": ["ana@lab.example"]}, [
        "MAIL FROM:<a@x.example>", "EHLO client.example", "RCPT TO:<ana@lab.example>", "DATA", "HELP",
        "HELP STATUS", "HELP RCPT", "HELP NOPE", "NOOP", "VRFY ana@lab.example", "RSET", "QUIT"]),
    "a message, dot-stuffed, and a recipient limit": ({"mailboxes": ["ana@lab.example", "bo@lab.example"],
                                                       "max_recipients": 1}, [
        "EHLO c.example", "MAIL FROM:<me@c.example>", "RCPT TO:<nobody@lab.example>", "RCPT TO:<ana@lab.example>",
        "RCPT TO:<bo@lab.example>", ("DATA", "Subject: dots\n\n.leading dot\n..two\nend"), "QUIT"]),
    "greylisting": ({"greylisting": True, "greylist_delay": 300, "clock": LabClock}, [
        "EHLO c.example", "MAIL FROM:<me@c.example>", "RCPT TO:<ana@lab.example>", "RCPT TO:<ana@lab.example>"]),
    "size, auth and SMTPUTF8": ({"size_limit": 200, "auth": ("ana", "secret")}, [
        "EHLO c.example", "MAIL FROM:<me@c.example>", "AUTH PLAIN AGFuYQB3cm9uZw==", "AUTH PLAIN AGFuYQBzZWNyZXQ=",
        "MAIL FROM:<me@c.example> SIZE=5000", "MAIL FROM:<jos\u00e9@c.example>", "MAIL FROM:<me@c.example>",
        "RCPT TO:<ana@lab.example>", ("DATA", "x" * 300), "QUIT"]),
    "a rate limit closes the session": ({"rate_limit": 1}, [
        "EHLO c.example", "MAIL FROM:<me@c.example>", "RCPT TO:<ana@lab.example>", ("DATA", "Subject: one\n\nhi"),
        "MAIL FROM:<me@c.example>"]),
    "a bounce": ({"undeliverable": ["ghost@lab.example"], "clock": LabClock, "lang": "vi"}, [
        "EHLO c.example", "MAIL FROM:<me@c.example>", "RCPT TO:<ghost@lab.example>",
        ("DATA", "Subject: invoice\n\nHello."), "QUIT"]),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_same_dialogue_in_memory_as_over_a_socket(name):
    settings, commands = SCENARIOS[name]
    runs = []
    for network in (True, False):
        # a clock of its own for each run (a class in the table, made here)
        fresh = {k: v() if v is LabClock else copy.deepcopy(v) for k, v in settings.items()}
        with LabServer(network=network, **fresh) as server:
            transcript = _session(server, commands)
            runs.append((transcript, server.messages, [b.as_bytes() for b in server.bounces]))
    assert runs[0] == runs[1]
    assert len(runs[0][0]) > len(commands)  # every command got its reply


def test_in_memory_there_is_no_socket_no_thread_and_no_port(monkeypatch):
    def no_socket(*args, **kwargs):
        raise AssertionError("a socket was opened")

    before = threading.active_count()
    monkeypatch.setattr(socket, "socket", no_socket)
    monkeypatch.setattr(socket, "create_connection", no_socket)
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as server, server.client() as client:
        assert server.port is None and repr(server) == "LabServer(mx.lab.example, running)"
        assert client.command("EHLO c.example").code.code == "250"
        assert threading.active_count() == before
    assert repr(server) == "LabServer(mx.lab.example, stopped)"


def test_in_pyodide_the_server_is_in_memory_by_default(monkeypatch):
    import smtpteach.lab

    assert LabServer().network is True
    monkeypatch.setattr(smtpteach.lab.sys, "platform", "emscripten")
    assert LabServer().network is False
    assert LabServer(network=True).network is True


def test_shutdown_reaches_every_client_in_memory():
    server = LabServer(network=False).start()
    clients = [server.client(), server.client()]
    clients[0].command("EHLO x")
    assert server.announce_shutdown() == 2
    server.stop()
    for client in clients:
        reply = client.expect_close()
        assert (reply.code.code, reply.enhanced.code) == ("421", "4.3.2")
        with pytest.raises(LabError, match="^the server closed the connection$"):
            client.command("NOOP")
        client.close()
    assert server.announce_shutdown() == 0


def test_a_client_waiting_for_a_reply_that_never_comes_gets_a_lab_error():
    with LabServer(network=False) as server, server.client() as client:
        client.command("EHLO x")
        with pytest.raises(LabError, match="^the server did not answer within 5 s$"):
            client.expect_close()
        assert client.command("NOOP").code.code == "250"  # the session goes on


@pytest.mark.parametrize("network", [True, False])
def test_message_lines_typed_as_commands_after_data_get_a_hint_and_the_session_goes_on(network):
    # a socket's file is broken for good after a timeout; the lab's client reads with recv(), so both modes agree
    with LabServer(network=network) as server, server.client(timeout=1) as client:
        for line in ("EHLO x", "MAIL FROM:<a@client.example>", "RCPT TO:<b@lab.example>", "DATA"):
            client.command(line)
        with pytest.raises(LabError, match="^the server did not answer within 1 s; after DATA it waits for the whole "
                                           "message and its final dot: send them with data[(][)]$"):
            client.command("Subject: hello")
        assert client.command(".").code.code == "250" and server.messages[-1].content == "Subject: hello\r\n"


def test_starttls_in_memory_is_refused_as_the_server_offers_no_tls():
    with LabServer(network=False) as server, server.client() as client:
        client.command("EHLO x")
        assert client.starttls().code.code == "454" and not client.encrypted
    with pytest.raises(LabError, match="TLS needs a real connection"):
        LabServer(network=False, tls="offered")
    with pytest.raises(ValueError, match="network is True, False or None, not 'yes'"):
        LabServer(network="yes")


def test_the_lab_runs_inside_a_running_event_loop_and_leaves_it_alone():
    """A Jupyter kernel runs an asyncio loop while a cell runs: the lab's own loop turns inside it."""

    async def cell() -> tuple[str, bool]:
        outer = asyncio.get_running_loop()
        with LabServer(network=False) as server, server.client() as client:
            code = client.command("EHLO x").code.code
        return code, asyncio.get_running_loop() is outer

    # in a thread of its own: in this one, a browser test's Playwright may keep a loop running already
    got: list = []
    worker = threading.Thread(target=lambda: got.append(asyncio.run(cell())))
    worker.start()
    worker.join(60)
    assert got == [("250", True)]


def test_a_second_start_is_refused():
    server = LabServer(network=False).start()
    try:
        with pytest.raises(LabError, match="already running"):
            server.start()
    finally:
        server.stop()
    with pytest.raises(LabError, match="start the lab server first"):
        server.client()


# -- the lessons --------------------------------------------------------------------------------------------------

_IN_PYODIDE = """import types, smtpteach.lab
smtpteach.lab.sys = types.SimpleNamespace(platform="emscripten")  # as Pyodide says it
def _no_port():
    raise AssertionError("the lab picked a port")
smtpteach.lab._free_port = _no_port
import smtpteach._lab_memory as _memory
_servers_in_memory = []
_real_init = _memory.MemoryLoop.__init__
def _counted(self):
    _servers_in_memory.append(self)
    _real_init(self)
_memory.MemoryLoop.__init__ = _counted"""


def _outputs(cell) -> list[dict]:
    return [{k: v for k, v in o.items() if k in ("output_type", "name", "text", "data")} for o in cell.outputs]


@pytest.mark.parametrize(("lang", "stem"), [("en", "01-anatomy-of-a-reply"), ("en", "05-live-lab"),
                                          ("vi", "08-bounce-messages")])  # vi/05 runs in JupyterLite (test_lite)
def test_a_lab_lesson_gives_its_stored_outputs_with_the_server_in_memory(stem, lang):
    """What JupyterLite runs: the lesson, with the lab's server in memory as in Pyodide, gives every output
    the lesson stores from a server on 127.0.0.1."""
    from nbclient import NotebookClient

    nbtool = load_tool("nbtool")
    import unix_kernels

    unix_kernels.use_for_nbclient()
    path = ROOT / "notebooks" / ("" if lang == "en" else "vi") / f"{stem}.ipynb"
    stored = nbformat.read(path, as_version=4)
    run = copy.deepcopy(stored)
    run.cells.insert(0, nbformat.v4.new_code_cell(_IN_PYODIDE))
    run.cells.append(nbformat.v4.new_code_cell("print(len(_servers_in_memory))"))
    NotebookClient(run, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    assert run.cells[0].outputs == []
    started = int(run.cells.pop().outputs[0]["text"])
    assert started >= 1  # the lesson's servers ran in memory, each started once per with block
    run.cells.pop(0)
    nbtool.coalesce_streams(run)
    ran = [_outputs(c) for c in run.cells if c.cell_type == "code"]
    assert ran == [_outputs(c) for c in stored.cells if c.cell_type == "code"]


def test_two_lab_servers_in_any_order_leave_aiosmtpds_log_level_as_it_was():
    import logging

    log = logging.getLogger("mail.log")
    before = log.level
    log.setLevel(logging.INFO)
    try:
        a, b = LabServer(network=False).start(), LabServer(network=False).start()
        assert log.level == logging.ERROR  # quiet while a server runs: no ports in the output
        a.stop()
        assert log.level == logging.ERROR  # b still runs
        b.stop()
        assert log.level == logging.INFO
    finally:
        log.setLevel(before)


@pytest.mark.parametrize("network", [True, False])
@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), "5", True])
def test_a_timeout_that_is_no_number_of_seconds_is_refused_in_both_modes(network, timeout):
    with LabServer(network=network) as server:
        with pytest.raises(SmtpTeachError, match=r"^timeout is a number of seconds, more than 0 and less than a day"):
            server.client(timeout=timeout)


@pytest.mark.parametrize("network", [True, False])
def test_a_client_that_has_hung_up_says_so(network):
    with LabServer(network=network) as server:
        with server.client() as client:
            client.command("EHLO x")
        for use in (lambda: client.command("NOOP"), client.expect_close, lambda: client.data("hi")):
            with pytest.raises(LabError, match="^this client has hung up"):
                use()


def test_a_line_longer_than_a_read_is_taken_a_read_at_a_time_and_the_next_reply_stays_whole():
    # the in-memory lab (JupyterLite's) reads a reply as a socket's readline(limit) does: a line longer than the limit
    # comes in pieces of the limit, and the reply after it is never swallowed with the last piece
    from smtpteach._lab_memory import has_line, take_line

    first, second = b"220 " + b"x" * 2996 + b"\r\n", b"250 2.0.0 OK\r\n"
    buffer = bytearray(first + second)
    pieces = []
    while not pieces or not pieces[-1].endswith(b"\n"):
        assert has_line(buffer, 1024)
        pieces.append(take_line(buffer, 1024))
    assert [len(p) for p in pieces] == [1024, 1024, 954] and b"".join(pieces) == first
    assert take_line(buffer, 1024) == second and buffer == bytearray()
    # a piece shorter than the limit with no line end is not a line yet: the client waits for more
    buffer = bytearray(b"250 2.0")
    assert not has_line(buffer, 1024) and has_line(buffer, 7) and take_line(buffer, 7) == b"250 2.0"


def test_an_empty_line_is_a_line_of_its_own():
    # a bare line end first in the buffer is one (empty) line: the lines after it stay for the next reads
    from smtpteach._lab_memory import take_line

    buffer = bytearray(b"\n250 2.0.0 OK\r\n")
    assert take_line(buffer, 1024) == b"\n"
    assert take_line(buffer, 1024) == b"250 2.0.0 OK\r\n" and buffer == bytearray()


@pytest.mark.parametrize("network", [True, False])
def test_the_server_sees_its_client_at_127_0_0_1_in_memory_as_over_a_socket(network):
    # greylisting keys its triplets on the client's address, and a rate limit counts by it: in memory the client
    # is where a socket's client is, 127.0.0.1
    clock = LabClock()
    with LabServer(network=network, greylisting=True, greylist_delay=60, clock=clock) as server:
        _session(server, ["EHLO c.example", "MAIL FROM:<Me@c.example>", "RCPT TO:<Ana@lab.example>"])
        assert server.greylist == {("127.0.0.1", "me@c.example", "ana@lab.example"): clock()}


def test_a_client_that_hangs_up_in_memory_ends_its_session_on_the_server_without_an_error(caplog):
    # over a socket, the server sees the end of the stream and drops the session; in memory the transport's close
    # must hand the server the same connection_lost, or the session (and its handler task) stays for good, and a
    # broken hand-over prints asyncio's "Exception in callback" into the notebook
    import logging

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        with LabServer(network=False) as server:
            with server.client() as client:
                client.command("EHLO x")
                assert len(server._sessions) == 1
            assert len(server._sessions) == 0
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []
