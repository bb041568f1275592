from __future__ import annotations

import socket
import threading

import pytest

from smtpteach.lab import HOSTNAME, LabError, LabServer


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_a_whole_conversation_with_annotations():
    before = threading.active_count()
    with LabServer(mailboxes=["ana@lab.example", "bo@lab.example"], max_recipients=2) as server:
        port = server.port
        assert _listening(port)
        with server.client() as c:
            assert c.greeting.code.code == "220" and HOSTNAME in c.greeting.text
            ehlo = c.command("EHLO client.example")
            assert ehlo.is_multiline and ehlo.lines[-1] == "250 ENHANCEDSTATUSCODES"
            assert c.command("HELP").code.code == "214"
            status = c.command("HELP STATUS")
            assert status.code.code == "211" and status.enhanced.code == "2.0.0"
            assert c.command("MAIL FROM:<me@client.example>").enhanced.code == "2.1.0"
            unknown = c.command("RCPT TO:<nobody@lab.example>")
            assert (unknown.code.code, unknown.enhanced.code) == ("550", "5.1.1")
            assert c.command("RCPT TO:<ana@lab.example>").code.code == "250"
            assert c.command("RCPT TO:<BO@lab.example>").code.code == "250"
            too_many = c.command("RCPT TO:<ana@lab.example>")
            assert (too_many.code.code, too_many.enhanced.code) == ("452", "4.5.3")
            assert c.data("Subject: hi\n\n.leading dot\nbye").code.code == "250"
            assert c.command("BOGUS").enhanced.code == "5.5.2"
            assert c.command("QUIT").code.code == "221"
            lines = c.annotated()
        assert server.messages[0].rcpt_tos == ("ana@lab.example", "BO@lab.example")
        assert "\r\n..leading dot" not in server.messages[0].content and ".leading dot" in server.messages[0].content
    assert any(line.startswith("   ↳ 550 Mailbox Unavailable (5xx") for line in lines)
    assert "C: ." in lines
    assert not any(str(port) in line for line in lines)
    # clean-up: no listening socket, no thread left behind
    assert not _listening(port)
    assert threading.active_count() == before


def test_shutdown_sends_421_to_connected_clients():
    server = LabServer().start()
    client = server.client()
    client.command("EHLO x")
    server.stop()
    reply = client.expect_close()
    assert (reply.code.code, reply.enhanced.code) == ("421", "4.3.2")
    with pytest.raises(LabError):
        client.command("NOOP")
    client.close()


def test_greylisting_then_accept():
    with LabServer(greylisting=True) as server, server.client() as c:
        c.command("EHLO x")
        c.command("MAIL FROM:<a@x.example>")
        first = c.command("RCPT TO:<b@lab.example>")
        assert (first.code.code, first.enhanced.code) == ("451", "4.7.1")
        assert c.command("RCPT TO:<b@lab.example>").code.code == "250"


def test_auth_required():
    with LabServer(auth=("ana", "secret")) as server, server.client() as c:
        c.command("EHLO x")
        assert c.command("MAIL FROM:<a@x.example>").code.code == "530"
        assert c.command("AUTH PLAIN AGFuYQB3cm9uZw==").code.code == "535"  # ana / wrong
        assert c.command("AUTH PLAIN AGFuYQBzZWNyZXQ=").code.code == "235"  # ana / secret
        assert c.command("MAIL FROM:<a@x.example>").code.code == "250"


def test_size_and_rate_limits():
    with LabServer(size_limit=100, rate_limit=1) as server:
        with server.client() as c:
            c.command("EHLO x")
            assert "250-SIZE 100" in c.replies[-1].lines
            big = c.command("MAIL FROM:<a@x.example> SIZE=5000")
            assert (big.code.code, big.enhanced.code) == ("552", "5.3.4")
            c.command("MAIL FROM:<a@x.example>")
            c.command("RCPT TO:<b@lab.example>")
            assert c.data("x" * 300).code.code == "552"
            c.command("MAIL FROM:<a@x.example>")
            c.command("RCPT TO:<b@lab.example>")
            assert c.data("small").code.code == "250"
            limited = c.command("MAIL FROM:<a@x.example>")
            assert (limited.code.code, limited.enhanced.code) == ("421", "4.7.0")


@pytest.mark.parametrize("kwargs, message", [({"max_recipients": 0}, "max_recipients"), ({"rate_limit": -1}, "rate_limit"),
                                             ({"auth": ("ana",)}, "auth must be")])
def test_bad_configuration(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LabServer(**kwargs)


def test_client_needs_a_running_server():
    with pytest.raises(LabError, match="start the lab server"):
        LabServer().client()


@pytest.mark.parametrize("auth", [None, ("teacher", "secret")])
def test_help_lists_what_the_server_offers(auth):
    with LabServer(mailboxes=["ana@lab.example"], auth=auth) as server, server.client() as client:
        ehlo = client.command("EHLO client.example").lines
        listed = next(line for line in client.command("HELP").lines if "commands:" in line).split("commands:")[1].split()
    assert "EHLO" in listed and "HELO" in listed and "MAIL" in listed
    # AUTH is listed exactly when EHLO announces it (RFC 4954 §3)
    assert ("AUTH" in listed) == any(" AUTH " in line + " " or "-AUTH " in line for line in ehlo) == (auth is not None)
