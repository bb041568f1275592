from __future__ import annotations

import base64
import mailbox
import re
import socket
import threading
import time
from datetime import datetime, timezone
from email import message_from_bytes, policy

import pytest

from smtpteach import parse_reply
from smtpteach import InvalidArgumentError, InvalidTypeError, SmtpTeachError
from smtpteach.lab import HOSTNAME, LAB_EPOCH, NEXT_HOP, LabClient, LabClock, LabError, LabServer, make_dsn

SENDER = "me@client.example"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _codes(reply) -> tuple[str, str | None]:
    return reply.code.code, (reply.enhanced.code if reply.enhanced is not None else None)


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
    assert "   ↳ 5.1.1 Bad Destination Mailbox Address; 550 Mailbox Unavailable (5xx Permanent Negative Completion)" in lines
    assert "C: ." in lines
    assert not any(str(port) in line for line in lines)
    # clean-up: no listening socket, no thread left behind
    assert not _listening(port)
    assert threading.active_count() == before


def test_annotations_lead_with_the_enhanced_code_and_name_the_basic_code_second():
    clock = LabClock()
    with LabServer(max_recipients=1, greylisting=True, clock=clock) as server, server.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        clock.advance(10)
        c.command("RCPT TO:<ana@lab.example>")
        c.command("RCPT TO:<bo@lab.example>")
        c.data("Subject: hi\n\nhello")
        lines = c.annotated()
    notes = [line for line in lines if line.startswith("   ↳ ")]
    assert notes == [
        "   ↳ 220 Service Ready (2xx Positive Completion)",
        "   ↳ 250 Requested Action Completed (2xx Positive Completion)",
        "   ↳ 2.1.0 Other Address Status; 250 Requested Action Completed (2xx Positive Completion)",
        "   ↳ 4.7.1 Delivery Not Authorized, Message Refused; 451 Local Error In Processing (4xx Transient Negative Completion)",
        "   ↳ 2.1.5 Destination Address Valid; 250 Requested Action Completed (2xx Positive Completion)",
        "   ↳ 4.5.3 Too Many Recipients; 452 Insufficient System Storage (4xx Transient Negative Completion)",
        "   ↳ 354 Start Mail Input (3xx Positive Intermediate)",
        "   ↳ 2.0.0 Other Undefined Status; 250 Requested Action Completed (2xx Positive Completion)",
    ]


def test_an_unregistered_enhanced_detail_is_read_by_its_subject():
    with LabServer() as server, server.client() as c:
        # a reply the lab never sends, put into the transcript as if a server had sent it
        c.transcript.append("S: 550 5.7.606 Access denied, banned sending IP")
        c.replies.append(parse_reply("550 5.7.606 Access denied, banned sending IP"))
        assert c.annotated()[-1] == ("   ↳ 5.7.606 (X.7.x Security or Policy); "
                                     "550 Mailbox Unavailable (5xx Permanent Negative Completion)")


def test_no_enhanced_code_on_the_greeting_the_hello_replies_or_3xx():
    # RFC 2034 §3 (4) and §4
    with LabServer() as server, server.client() as c:
        assert c.greeting.enhanced is None
        assert c.command("HELO client.example").lines == (f"250 {HOSTNAME}",)
        assert all(r.enhanced is None for r in [c.command("EHLO client.example")])
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        assert _codes(c.command("DATA")) == ("354", None)


def test_commands_out_of_order_get_503():
    with LabServer(mailboxes=["ana@lab.example"]) as server, server.client() as c:
        assert _codes(c.command("MAIL FROM:<me@client.example>")) == ("503", "5.5.1")  # EHLO first, RFC 5321 §4.1.4
        c.command("EHLO client.example")
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("503", "5.5.1")
        c.command("MAIL FROM:<me@client.example>")
        assert _codes(c.command("RCPT TO:<nobody@lab.example>")) == ("550", "5.1.1")
        assert _codes(c.command("DATA")) == ("503", "5.5.1")  # no recipient was accepted


def test_replies_are_found_by_the_command_they_answer():
    with LabServer(mailboxes=["ana@lab.example"]) as server, server.client() as c:
        c.command("EHLO client.example")
        c.command("NOOP")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<nobody@lab.example>")
        c.command("RCPT TO:<ana@lab.example>")
        c.data("Subject: hi\n\nhello")
        assert _codes(c.reply_to("rcpt to:<nobody@")) == ("550", "5.1.1")
        assert _codes(c.reply_to("RCPT")) == ("250", "2.1.5")  # the latest RCPT
        assert [_codes(r) for r in c.replies_to("RCPT")] == [("550", "5.1.1"), ("250", "2.1.5")]
        assert _codes(c.reply_to("DATA")) == ("354", None)
        assert _codes(c.reply_to(".")) == ("250", "2.0.0")
        assert [x.command for x in c.exchanges] == [
            None, "EHLO client.example", "NOOP", "MAIL FROM:<me@client.example>", "RCPT TO:<nobody@lab.example>",
            "RCPT TO:<ana@lab.example>", "DATA", "."]
        with pytest.raises(LabError, match="no command starting with 'VRFY'"):
            c.reply_to("VRFY")


def test_an_address_that_is_not_ascii_needs_smtputf8_on_mail_from():
    # RFC 6531 §3.5: without the SMTPUTF8 parameter, MAIL gets 550 and RCPT 553, both with X.6.7; the reply text
    # stays ASCII (it does not repeat the address), and an A-label domain is ASCII, so it needs nothing
    with LabServer(mailboxes=["thư@lab.example", "ana@lab.example"]) as server, server.client() as c:
        assert any(line.endswith("SMTPUTF8") for line in c.command("EHLO client.example").lines)
        refused = c.command("MAIL FROM:<nguyễn.an@ví-dụ.example>")
        assert _codes(refused) == ("550", "5.6.7") and refused.text.isascii() and "SMTPUTF8" in refused.text
        assert _codes(c.command("MAIL FROM:<an@xn--v-d-rma6749a.example>")) == ("250", "2.1.0")
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("250", "2.1.5")
        refused = c.command("RCPT TO:<thư@lab.example>")
        assert _codes(refused) == ("553", "5.6.7") and refused.text.isascii()
        c.command("RSET")
        # declared (in any case, as RFC 5321 parameters are): the same addresses go through
        assert _codes(c.command("MAIL FROM:<nguyễn.an@ví-dụ.example> smtputf8")) == ("250", "2.1.0")
        assert _codes(c.command("RCPT TO:<THƯ@lab.example>")) == ("250", "2.1.5")
        assert _codes(c.command("RCPT TO:<nobody@lab.example>")) == ("550", "5.1.1")  # still only known mailboxes
        c.data("Subject: chào\n\nxin chào")
    assert (server.messages[-1].mail_from, server.messages[-1].rcpt_tos) == ("nguyễn.an@ví-dụ.example", ("THƯ@lab.example",))


def test_shutdown_sends_421_to_connected_clients():
    server = LabServer().start()
    client = server.client()
    client.command("EHLO x")
    server.stop()
    reply = client.expect_close()
    assert (reply.code.code, reply.enhanced.code) == ("421", "4.3.2")
    assert client.exchanges[-1].command is None
    with pytest.raises(LabError, match="^the server closed the connection$"):
        client.command("NOOP")
    client.close()


# -- greylisting ------------------------------------------------------------------

def _rcpt(server, rcpt: str, sender: str = SENDER):
    with server.client() as c:
        c.command("EHLO client.example")
        c.command(f"MAIL FROM:<{sender}>")
        return _codes(c.command(f"RCPT TO:<{rcpt}>"))


def test_greylisting_refuses_an_immediate_retry_and_accepts_after_the_delay():
    clock = LabClock()
    with LabServer(greylisting=True, greylist_delay=300, clock=clock) as server:
        with server.client() as c:
            c.command("EHLO client.example")
            c.command("MAIL FROM:<me@client.example>")
            assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("451", "4.7.1")
            assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("451", "4.7.1")  # at once, same session
            assert c.reply_to("RCPT").lines == ("451 4.7.1 <ana@lab.example>: Greylisted, please try again later",)
        clock.advance(299)
        assert _rcpt(server, "ana@lab.example") == ("451", "4.7.1")  # a new session, still too early
        clock.advance(1)
        assert _rcpt(server, "ana@lab.example") == ("250", "2.1.5")
        clock.advance(3600)
        assert _rcpt(server, "ana@lab.example") == ("250", "2.1.5")  # and from then on
        assert server.greylist == {("127.0.0.1", SENDER, "ana@lab.example"): LAB_EPOCH}


def test_greylisting_is_keyed_on_the_whole_triplet():
    clock = LabClock()
    with LabServer(greylisting=True, greylist_delay=60, clock=clock) as server:
        assert _rcpt(server, "ana@lab.example") == ("451", "4.7.1")
        clock.advance(60)
        assert _rcpt(server, "ana@lab.example") == ("250", "2.1.5")
        assert _rcpt(server, "bo@lab.example") == ("451", "4.7.1")  # another recipient starts its own wait
        assert _rcpt(server, "ana@lab.example", sender="other@client.example") == ("451", "4.7.1")  # another sender
        assert _rcpt(server, "ANA@lab.example", sender="ME@client.example") == ("250", "2.1.5")  # case does not count
        assert sorted(server.greylist) == [
            ("127.0.0.1", "me@client.example", "ana@lab.example"),
            ("127.0.0.1", "me@client.example", "bo@lab.example"),
            ("127.0.0.1", "other@client.example", "ana@lab.example"),
        ]


def test_greylisting_with_the_system_clock():
    with LabServer(greylisting=True, greylist_delay=0.1) as server:
        assert server.greylist_delay == 0.1
        assert _rcpt(server, "ana@lab.example") == ("451", "4.7.1")
        time.sleep(0.12)
        assert _rcpt(server, "ana@lab.example") == ("250", "2.1.5")


def test_greylisting_true_still_works_and_waits_five_seconds_by_default():
    clock = LabClock()
    with LabServer(greylisting=True, clock=clock) as server:
        assert server.greylist_delay == 5.0
        assert _rcpt(server, "ana@lab.example") == ("451", "4.7.1")
        assert _rcpt(server, "ana@lab.example") == ("451", "4.7.1")
        clock.advance(4.9)
        assert _rcpt(server, "ana@lab.example") == ("451", "4.7.1")
        clock.advance(0.1)
        assert _rcpt(server, "ana@lab.example") == ("250", "2.1.5")
        with server.client() as c:
            c.command("EHLO x")
            assert c.command("HELP STATUS").lines[-1] == "211 2.0.0 greylisting: after 5 s"


def test_lab_clock():
    clock = LabClock()
    assert clock() == datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    assert clock.advance(90) == datetime(2026, 12, 1, 9, 1, 30, tzinfo=timezone.utc)
    assert repr(clock) == "LabClock(2026-12-01T09:01:30+00:00)"
    with pytest.raises(ValueError, match="only moves forward"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="time zone"):
        LabClock(datetime(2026, 1, 1))


# -- the recipient limit ----------------------------------------------------------

def test_after_452_the_rest_go_in_a_new_transaction():
    boxes = ["ana@lab.example", "binh@lab.example", "chi@lab.example"]
    with LabServer(mailboxes=boxes, max_recipients=2) as server, server.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        got = {rcpt: _codes(c.command(f"RCPT TO:<{rcpt}>")) for rcpt in boxes}
        assert got == {"ana@lab.example": ("250", "2.1.5"), "binh@lab.example": ("250", "2.1.5"),
                       "chi@lab.example": ("452", "4.5.3")}
        assert c.reply_to("RCPT TO:<chi@").lines == ("452 4.5.3 Too many recipients: at most 2 per transaction",)
        assert _codes(c.data("Subject: hi\n\nhello")) == ("250", "2.0.0")
        c.command("MAIL FROM:<me@client.example>")
        assert _codes(c.command("RCPT TO:<chi@lab.example>")) == ("250", "2.1.5")
        assert _codes(c.data("Subject: hi\n\nhello")) == ("250", "2.0.0")
    assert [m.rcpt_tos for m in server.messages] == [("ana@lab.example", "binh@lab.example"), ("chi@lab.example",)]


# -- bounces ----------------------------------------------------------------------

ORIGINAL = "From: me@client.example\nTo: ana@lab.example, ghost@lab.example\nSubject: Minutes\nMessage-ID: <m1@client.example>\n\nHello.\n"


def _send(server, rcpts, *, sender=SENDER, content=ORIGINAL):
    with server.client() as c:
        c.command("EHLO client.example")
        c.command(f"MAIL FROM:<{sender}>")
        for rcpt in rcpts:
            assert c.command(f"RCPT TO:<{rcpt}>").code.code == "250"
        return _codes(c.data(content))


def test_accept_then_bounce_files_a_dsn_with_the_null_reverse_path():
    clock = LabClock()
    with LabServer(mailboxes=["ana@lab.example"], undeliverable=["ghost@lab.example"], clock=clock) as server:
        assert _send(server, ["ana@lab.example", "ghost@lab.example"]) == ("250", "2.0.0")  # accepted first
        assert server.messages[0].rcpt_tos == ("ana@lab.example", "ghost@lab.example")
        assert len(server.bounces) == 1
        raw = server.bounces[0].as_bytes()
    dsn = message_from_bytes(raw, policy=policy.default)  # it parses as mail
    assert list(dsn.keys())[0] == "Return-Path"
    assert dsn["Return-Path"] == "<>"  # sent with MAIL FROM:<> (RFC 5321 §4.5.5)
    assert dsn["To"] == "me@client.example"  # the envelope sender (RFC 3464 §2)
    assert dsn["From"] == f"Mail Delivery System <postmaster@{HOSTNAME}>"
    assert dsn["Subject"] == "Undelivered mail returned to sender"
    assert dsn["Date"] == "Tue, 01 Dec 2026 09:00:00 +0000"
    assert dsn["Auto-Submitted"] == "auto-replied"
    assert dsn["Message-ID"].endswith(f".dsn@{HOSTNAME}>")
    assert (dsn.get_content_type(), dsn.get_param("report-type")) == ("multipart/report", "delivery-status")
    human, status, headers = dsn.iter_parts()
    assert [p.get_content_type() for p in (human, status, headers)] == [
        "text/plain", "message/delivery-status", "text/rfc822-headers"]
    text = human.get_content()
    assert f"This is the mail system at {HOSTNAME}." in text
    assert f"<ghost@lab.example>: {NEXT_HOP} answered:\n" in text
    assert "ana@lab.example" not in text  # ana got the message
    per_message, per_recipient = status.get_payload()
    assert dict(per_message.items()) == {
        "Reporting-MTA": f"dns; {HOSTNAME}",
        "Received-From-MTA": "dns; client.example",
        "Arrival-Date": "Tue, 01 Dec 2026 09:00:00 +0000",
    }
    assert dict(per_recipient.items()) == {
        "Final-Recipient": "rfc822; ghost@lab.example",
        "Action": "failed",
        "Status": "5.1.1",
        "Remote-MTA": f"dns; {NEXT_HOP}",
        "Diagnostic-Code": "smtp; 550 5.1.1 <ghost@lab.example>: Recipient address rejected: User unknown in the mail store",
        "Last-Attempt-Date": "Tue, 01 Dec 2026 09:00:00 +0000",
    }
    returned = headers.get_content()
    assert returned.startswith(f"Received: from client.example ([127.0.0.1])\n\tby {HOSTNAME} (smtpteach lab) with ESMTP id ")
    assert returned.endswith(";\n\tTue, 01 Dec 2026 09:00:00 +0000\nFrom: me@client.example\n"
                             "To: ana@lab.example, ghost@lab.example\nSubject: Minutes\nMessage-ID: <m1@client.example>\n")
    assert "Hello." not in returned  # headers only


def test_a_bounce_is_the_same_bytes_every_time():
    def one() -> bytes:
        with LabServer(undeliverable=["ghost@lab.example"], clock=LabClock()) as server:
            _send(server, ["ghost@lab.example"])
            return server.bounces[0].as_bytes()

    assert one() == one()


def test_a_bounce_can_carry_the_reply_you_choose_and_reports_every_failed_recipient_once():
    undeliverable = {"full@lab.example": "552 5.2.2 <full@lab.example>: Mailbox full",
                     "ghost@lab.example": "550 5.1.1 <ghost@lab.example>: No such user"}
    with LabServer(undeliverable=undeliverable, clock=LabClock()) as server:
        _send(server, ["full@lab.example", "ghost@lab.example", "ana@lab.example"])
        (dsn,) = server.bounces
    blocks = dsn.get_payload(1).get_payload()
    assert [(b["Final-Recipient"], b["Status"]) for b in blocks[1:]] == [
        ("rfc822; full@lab.example", "5.2.2"), ("rfc822; ghost@lab.example", "5.1.1")]


def test_no_bounce_for_a_message_with_the_null_reverse_path():
    # RFC 5321 §6.1: never a notification about a notification
    with LabServer(undeliverable=["ghost@lab.example"], clock=LabClock()) as server:
        assert _send(server, ["ghost@lab.example"], sender="") == ("250", "2.0.0")
        assert server.messages[0].mail_from == ""
        assert server.bounces == []


@pytest.mark.parametrize("tls, protocol", [("off", "ESMTPA"), ("required", "ESMTPSA")])
def test_bounces_after_auth_say_esmtpa_in_the_trace_line_and_esmtpsa_over_tls(tls, protocol):
    with LabServer(auth=("ana", "secret"), undeliverable=["ghost@lab.example"], clock=LabClock(), tls=tls) as server:
        with server.client() as c:
            c.command("EHLO client.example")
            if tls != "off":
                c.starttls()
                c.command("EHLO client.example")
            c.command("AUTH PLAIN AGFuYQBzZWNyZXQ=")
            c.command("MAIL FROM:<ana@client.example>")
            c.command("RCPT TO:<ghost@lab.example>")
            c.data("Subject: x\n\nbody")
        returned = server.bounces[0].get_payload(2).get_content()
    assert f" with {protocol} id " in returned  # RFC 3848


@pytest.mark.parametrize("kind", ["mbox", "Maildir"])
def test_bounces_go_into_a_mailbox_the_learner_can_read(tmp_path, kind):
    box = mailbox.mbox(tmp_path / "bounces") if kind == "mbox" else mailbox.Maildir(tmp_path / "bounces")
    with LabServer(undeliverable=["ghost@lab.example"], clock=LabClock(), bounce_mailbox=box) as server:
        _send(server, ["ghost@lab.example"], content="no header section, only a body")
    reread = mailbox.mbox(tmp_path / "bounces") if kind == "mbox" else mailbox.Maildir(tmp_path / "bounces")
    (stored,) = list(reread)
    assert stored["Return-Path"] == "<>" and stored["Subject"] == "Undelivered mail returned to sender"
    assert stored.get_payload(1).get_payload(1)["Status"] == "5.1.1"
    if kind == "mbox":
        assert stored.get_from() == "MAILER-DAEMON Tue Dec  1 09:00:00 2026"
    # a body without headers returns only the lab's own trace line
    headers = stored.get_payload(2).get_payload()
    assert headers.startswith("Received: from client.example") and "only a body" not in headers


def test_make_dsn_on_its_own():
    dsn = make_dsn("Subject: hi\n\nhello\n", sender="me@client.example",
                   failures={"ghost@lab.example": "550 unknown user"},
                   arrival_date=LAB_EPOCH, remote_mta=None)
    block = dsn.get_payload(1).get_payload(1)
    assert block["Status"] == "5.0.0"  # no enhanced code in the reply: the class's X.0.0
    assert block["Remote-MTA"] is None  # the reporting MTA refused itself (RFC 3464 §2.3.5)
    assert "<ghost@lab.example>: this server answered:\n    550 unknown user" in dsn.get_payload(0).get_content()
    assert dsn.get_payload(2).get_content() == "Subject: hi\n"
    with pytest.raises(ValueError, match="null reverse-path"):
        make_dsn("x", sender="", failures={"a@b.example": "550 5.1.1 no"}, arrival_date=LAB_EPOCH)
    with pytest.raises(ValueError, match="needs a 5xx reply"):
        make_dsn("x", sender="me@x.example", failures={"a@b.example": "452 4.2.2 full"}, arrival_date=LAB_EPOCH)
    with pytest.raises(ValueError, match="time zone"):
        make_dsn("x", sender="me@x.example", failures={"a@b.example": "550 no"}, arrival_date=datetime(2026, 1, 1))


def test_a_vietnamese_bounce_reads_vietnamese_and_survives_the_wire():
    dsn = make_dsn("Subject: hi\n\nhello\n", sender="me@client.example",
                   failures={"ghost@lab.example": "550 5.1.1 User unknown"},
                   arrival_date=LAB_EPOCH, lang="vi")
    back = message_from_bytes(dsn.as_bytes(), policy=policy.default)
    assert back["Subject"] == "Thư không chuyển phát được, gửi trả người gửi"
    assert back["From"].addresses[0].display_name == "Hệ thống chuyển phát thư"
    human = back.get_payload(0).get_content()
    assert human.startswith("Đây là hệ thống thư tại mx.lab.example.")
    assert "<ghost@lab.example>: mailstore.lab.example trả lời:\n    550 5.1.1 User unknown" in human
    assert "Your message" not in human
    # the part for software is the same in every language (RFC 3464 field names and values)
    english = make_dsn("Subject: hi\n\nhello\n", sender="me@client.example",
                       failures={"ghost@lab.example": "550 5.1.1 User unknown"}, arrival_date=LAB_EPOCH)
    assert str(back.get_payload(1)).split("\n", 3)[3] == str(english.get_payload(1)).split("\n", 3)[3]


def test_replies_are_the_same_ascii_text_in_every_language():
    said = {}
    for lang in ("en", "vi"):
        with LabServer(mailboxes=["ana@lab.example"], lang=lang) as server, server.client() as c:
            c.command("EHLO x")
            said[lang] = [c.command("MAIL FROM:<a@x.example>").text, c.command("RCPT TO:<zed@lab.example>").text]
    assert said["vi"] == said["en"]
    assert all(t.isascii() for t in said["vi"]), said["vi"]  # RFC 5321 §4.2: textstring is printable ASCII


# -- auth, size, rate, help -------------------------------------------------------

def test_auth_required():
    with LabServer(auth=("ana", "secret")) as server, server.client() as c:
        c.command("EHLO x")
        assert _codes(c.command("MAIL FROM:<a@x.example>")) == ("530", "5.7.0")
        assert _codes(c.command("AUTH PLAIN AGFuYQB3cm9uZw==")) == ("535", "5.7.8")  # ana / wrong
        assert _codes(c.command("AUTH PLAIN AGFuYQBzZWNyZXQ=")) == ("235", "2.7.0")  # ana / secret
        assert c.command("MAIL FROM:<a@x.example>").code.code == "250"


# -- STARTTLS (RFC 3207) -------------------------------------------------------------

def test_without_tls_starttls_is_not_offered_and_gets_454():
    with LabServer() as server, server.client() as c:
        assert "250-STARTTLS" not in c.command("EHLO x").lines
        assert _codes(c.starttls()) == ("454", "4.7.0") and not c.encrypted


def test_tls_required_refuses_all_but_ehlo_noop_starttls_and_quit_until_tls_is_on():
    with LabServer(auth=("ana", "secret"), tls="required") as server, server.client() as c:
        ehlo = c.command("EHLO x").lines
        assert "250-STARTTLS" in ehlo and not any("AUTH" in line for line in ehlo)  # AUTH waits for TLS
        assert c.command("NOOP").code.code == "250"
        for command in ("AUTH PLAIN AGFuYQBzZWNyZXQ=", "MAIL FROM:<a@x.example>", "RSET", "VRFY ana"):
            reply = c.command(command)
            assert (_codes(reply), reply.text) == (("530", "5.7.0"), "Must issue a STARTTLS command first"), command
        assert c.starttls().code.code == "220" and c.encrypted
        # RFC 3207 §4.2: a fresh start; STARTTLS is no longer on offer, AUTH is
        ehlo = c.command("EHLO x").lines
        assert "250-STARTTLS" not in ehlo and "250-AUTH LOGIN PLAIN" in ehlo
        assert _codes(c.command("AUTH PLAIN AGFuYQBzZWNyZXQ=")) == ("235", "2.7.0")
        assert c.command("MAIL FROM:<a@x.example>").code.code == "250"
        assert c.command("RCPT TO:<b@lab.example>").code.code == "250"
        assert c.data("Subject: over TLS\n\nhello").code.code == "250"
    assert server.messages[-1].rcpt_tos == ("b@lab.example",) and "over TLS" in server.messages[-1].content


def test_tls_offered_lets_a_plain_session_through_but_keeps_auth_for_tls():
    with LabServer(auth=("ana", "secret"), tls="offered") as server, server.client() as c:
        assert "250-STARTTLS" in c.command("EHLO x").lines
        # RFC 4954 §6: 538, encryption required for this mechanism (Postfix's smtpd_tls_auth_only says so too)
        assert _codes(c.command("AUTH PLAIN AGFuYQBzZWNyZXQ=")) == ("538", "5.7.11")
    with LabServer(tls="offered") as server, server.client() as c:
        c.command("EHLO x")
        assert c.command("MAIL FROM:<a@x.example>").code.code == "250"  # opportunistic: no TLS, no refusal


def test_stopping_after_a_tls_session_ended_is_quiet(caplog):
    import logging

    with caplog.at_level(logging.ERROR):
        with LabServer(tls="required") as server, server.client() as c:
            c.command("EHLO x")
            c.starttls()
            c.command("EHLO x")
            c.command("QUIT")
    # no "Exception in callback" from a shutdown notice written to a TLS session already gone
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    # and a client still inside TLS hears the 421 like any other
    with LabServer(tls="required") as server:
        c = server.client()
        c.command("EHLO x")
        c.starttls()
        c.command("EHLO x")  # a round trip inside TLS: the server has finished its side of the handshake
        server.stop()
        assert _codes(c.expect_close()) == ("421", "4.3.2")
        c.close()


def test_the_session_is_really_encrypted_with_the_labs_own_certificate():
    import ssl

    with LabServer(tls="offered") as server:
        with server.client() as c:
            c.command("EHLO x")
            c.starttls()
            assert c._conn.sock.version() in ("TLSv1.2", "TLSv1.3")
            subject = dict(x[0] for x in c._conn.sock.getpeercert()["subject"])
            assert subject == {"commonName": HOSTNAME}
        # a client that trusts only the system's store refuses the lab's certificate
        stranger = server.client()
        stranger.tls_pem = None
        stranger.command("EHLO x")
        with pytest.raises(LabError, match="the TLS handshake failed: .*certificate verify failed"):
            stranger.starttls()
        stranger.close()
    # each server makes its own certificate
    with LabServer(tls="offered") as one, LabServer(tls="offered") as two:
        assert one._tls_pem != two._tls_pem and "BEGIN CERTIFICATE" in one._tls_pem
    assert ssl.PEM_cert_to_DER_cert(one._tls_pem)


def test_size_and_rate_limits():
    with LabServer(size_limit=100, rate_limit=1) as server:
        with server.client() as c:
            c.command("EHLO x")
            assert "250-SIZE 100" in c.replies[-1].lines
            big = c.command("MAIL FROM:<a@x.example> SIZE=5000")
            assert (big.code.code, big.enhanced.code) == ("552", "5.3.4")
            c.command("MAIL FROM:<a@x.example>")
            c.command("RCPT TO:<b@lab.example>")
            assert _codes(c.data("x" * 300)) == ("552", "5.3.4")
            c.command("MAIL FROM:<a@x.example>")
            c.command("RCPT TO:<b@lab.example>")
            assert c.data("small").code.code == "250"
            limited = c.command("MAIL FROM:<a@x.example>")
            assert (limited.code.code, limited.enhanced.code) == ("421", "4.7.0")
            with pytest.raises(LabError):  # and the server hung up
                c.command("NOOP")


def test_help_status_flags_a_recipient_limit_under_100_only():
    with LabServer(max_recipients=100, size_limit=5000) as server, server.client() as c:
        assert "211-2.0.0 recipient limit: 100; size limit: 5000" in c.command("HELP STATUS").lines


def test_help_status_says_it_is_a_lab_feature():
    with LabServer(mailboxes=["ana@lab.example"], max_recipients=2) as server, server.client() as c:
        help_lines = c.command("HELP").lines
        status = c.command("HELP STATUS").lines
    assert help_lines[-1] == "214 2.0.0 HELP STATUS shows the lab's status (211, a lab feature, not standard SMTP)"
    assert status == (
        f"211-2.0.0 {HOSTNAME} status (HELP STATUS is this lab's own feature)",
        "211-2.0.0 known mailboxes: 1",
        "211-2.0.0 messages accepted: 0",
        "211-2.0.0 recipient limit: 2 (a teaching setting: RFC 5321 asks for at least 100); size limit: none",
        "211 2.0.0 greylisting: off",
    )


@pytest.mark.parametrize("kwargs, message", [
    ({"max_recipients": 0}, "max_recipients"),
    ({"rate_limit": -1}, "rate_limit"),
    ({"size_limit": True}, "size_limit"),
    ({"auth": ("ana",)}, "auth must be"),
    ({"greylisting": "yes"}, "greylisting is True or False"),
    ({"greylist_delay": 0}, "greylist_delay must be a positive number"),
    ({"greylist_delay": True}, "greylist_delay must be a positive number"),
    ({"greylist_delay": float("inf")}, "greylist_delay must be a positive number of seconds, less than a day"),
    ({"clock": "noon"}, "clock must be a callable"),
    ({"undeliverable": "ghost@lab.example"}, "not one string"),
    ({"undeliverable": {"a@lab.example": "451 4.3.0 later"}}, r"undeliverable\['a@lab.example'\] must be a 5xx"),
    ({"bounce_mailbox": []}, "bounce_mailbox must be a mailbox.Mailbox"),
    ({"lang": "xx"}, "the lab has no 'xx' strings"),
    ({"tls": True}, "tls is one of 'off', 'offered', 'required', not True"),
    ({"tls": "on"}, "tls is one of 'off', 'offered', 'required', not 'on'"),
    # one string where a list goes, and entries that are no addresses (a string was once a set of its characters)
    ({"mailboxes": "ana@lab.example"}, re.escape("mailboxes is a list of addresses, not one string: ['ana@lab.example']")),
    ({"mailboxes": [1]}, re.escape("mailboxes holds addresses as text, not [1]")),
    ({"undeliverable": 5}, "undeliverable is a list of addresses, not int"),
    ({"auth": "ab"}, "auth must be a"),
])
def test_bad_configuration(kwargs, message):
    with pytest.raises(SmtpTeachError, match=message) as info:  # the package's own, a ValueError as before
        LabServer(**kwargs)
    assert isinstance(info.value, ValueError)


def test_what_a_learner_types_wrong_gets_a_reply_as_a_server_gives_it():
    with LabServer(network=False, mailboxes=["ana@lab.example"], auth=("ana", "pw")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        # credentials that are no UTF-8 are wrong credentials (RFC 4954: 535 5.7.8), not a server's crash
        assert _codes(c.command("AUTH PLAIN " + base64.b64encode(b"\0\xff\0pw").decode())) == ("535", "5.7.8")
        assert _codes(c.command("AUTH PLAIN " + base64.b64encode(b"\0ana\0pw").decode())) == ("235", "2.7.0")
        c.command("MAIL FROM:<a@client.example> SMTPUTF8")
        # the null path is a reverse-path only (RFC 5321 §4.1.1.3)
        c.command("RCPT TO:<>")
        assert c.transcript[-1] == "S: 501 5.1.3 The null path <> names no recipient"
        # a reply repeats an unknown address in printable ASCII, cut to stay within a reply line's 512 octets
        c.command("RCPT TO:<ghöst@lab.example>")
        assert c.transcript[-1] == "S: 550 5.1.1 <gh?st@lab.example>: Recipient address rejected: mailbox unavailable"
        long = c.command(f"RCPT TO:<{'x' * 200}@lab.example>")
        assert long.code.code == "550" and len(c.transcript[-1]) < 200 and f"<{'x' * 97}...>" in c.transcript[-1]
        # a path over 256 octets (RFC 5321 §4.5.3.1.3), and a control character, are bad syntax
        assert _codes(c.command(f"RCPT TO:<{'x' * 300}@lab.example>")) == ("501", "5.1.3")
        # ... the limit counts the angle brackets: an address of 254 octets is a path of 256, the longest there is
        domain = "@lab.example"
        assert _codes(c.command(f"RCPT TO:<{'x' * (254 - len(domain))}{domain}>")) == ("550", "5.1.1")
        assert _codes(c.command(f"RCPT TO:<{'x' * (255 - len(domain))}{domain}>")) == ("501", "5.1.3")
        # ... in octets, not characters: 121 "é" are 242 octets in UTF-8, so with the domain 254, and one more octet 255
        assert _codes(c.command(f"RCPT TO:<{'é' * 121}{domain}>")) == ("550", "5.1.1")
        assert _codes(c.command(f"RCPT TO:<{'é' * 121}x{domain}>")) == ("501", "5.1.3")
        assert _codes(c.command("RCPT TO:<a\x00b@lab.example>")) == ("501", "5.1.3")
        # a message that cannot be sent is refused before DATA, and the session goes on
        c.command("RCPT TO:<ana@lab.example>")
        for bad, error in ((None, "the message is text (str), not NoneType"), (b"hi", "the message is text (str), not bytes"),
                           ("hi \udc80", "the message holds '\\udc80', a lone surrogate")):
            with pytest.raises(SmtpTeachError, match=re.escape(error)):
                c.data(bad)
        assert c.transcript[-1] == "S: 250 2.1.5 Recipient OK" and _codes(c.data("Subject: hi\n\nhello")) == ("250", "2.0.0")
        with pytest.raises(SmtpTeachError, match="a command is one line"):
            c.command("NOOP\r\nQUIT")
        with pytest.raises(SmtpTeachError, match="a command is text"):
            c.command(b"NOOP")
        with pytest.raises(SmtpTeachError, match="a command is text, such as 'RCPT', not NoneType"):
            c.reply_to(None)


def test_a_reply_that_breaks_the_grammar_is_named_and_the_transcript_stays_in_step():
    class Server:  # another server, whose second reply holds a control character
        lines = [b"220 mx.example.org ESMTP\r\n", b"550 5.1.1 <gh\x01ost@example.org>: no\r\n", b"250 2.0.0 OK\r\n"]

        def sendall(self, data):
            pass

        def readline(self, limit):
            return self.lines.pop(0)

        def close(self):
            pass

    c = LabClient("mx.example.org", 25, opener=Server)
    with pytest.raises(LabError, match="the server's reply breaks RFC 5321 §4.2"):
        c.command("RCPT TO:<ghost@example.org>")
    assert c.transcript[-1] == "S? 550 5.1.1 <gh\x01ost@example.org>: no"
    assert _codes(c.command("NOOP")) == ("250", "2.0.0")
    notes = c.annotated()
    assert notes[-2:] == ["S: 250 2.0.0 OK", notes[-1]] and notes[-1].startswith("   ↳ 2.0.0 ")
    assert len([n for n in notes if n.startswith("   ↳")]) == len(c.replies) == 2


def test_a_reply_line_longer_than_a_read_is_read_whole():
    class Server:  # another server, with a greeting of 3,000 octets (RFC 5321 allows 512; some send more)
        data = b"220 " + b"x" * 2996 + b"\r\n250 2.0.0 OK\r\n"

        def sendall(self, data):
            pass

        def readline(self, limit):
            end = self.data.find(b"\n", 0, limit)
            end = end + 1 if end >= 0 else min(limit, len(self.data))
            line, self.data = self.data[:end], self.data[end:]
            return line

        def close(self):
            pass

    c = LabClient("mx.example.org", 25, opener=Server)
    assert len(c.greeting.text) == 2996 and c.command("NOOP").text == "OK"


def test_a_bounce_to_an_address_in_utf8_is_rfc_6533s():
    with LabServer(network=False, undeliverable=["góne@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<ana@client.example> SMTPUTF8")
        c.command("RCPT TO:<góne@lab.example>")
        assert _codes(c.data("Subject: hi\n\nhello")) == ("250", "2.0.0")
        (bounce,) = lab.bounces
    # the report part: RFC 6533's type, in base64 (email's parser would read a message/* body as a message)
    raw = bounce.as_bytes().decode("ascii", "replace")
    head, rest = raw.split("Content-Type: message/global-delivery-status\n", 1)
    part_headers, body = rest.split("\n\n", 1)
    assert "Content-Transfer-Encoding: base64" in part_headers
    fields = base64.b64decode(body.split("\n--", 1)[0]).decode("utf-8")
    assert "Final-Recipient: utf-8; góne@lab.example\nAction: failed\nStatus: 5.1.1\n" in fields


def test_triage_reads_the_labs_bounce_to_an_address_in_utf8(tmp_path):
    from smtpteach import triage

    with LabServer(network=False, undeliverable=["góne@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<ana@client.example> SMTPUTF8")
        c.command("RCPT TO:<góne@lab.example>")
        c.data("Subject: hi\n\nhello")
        (tmp_path / "bounce.eml").write_bytes(lab.bounces[0].as_bytes())
    assert [(r.recipient, r.basic, r.enhanced, r.reason) for r in triage(str(tmp_path / "bounce.eml"))] == [
        ("góne@lab.example", "550", "5.1.1", "userunknown")]


def test_make_dsn_refuses_a_field_that_would_make_another():
    for kwargs, error in (({"failures": {"ghost@lab.example\r\nX-Injected: yes": "550 5.1.1 no"}}, "a failed recipient"),
                          ({"remote_mta": "mx\nX-Injected: yes"}, "remote_mta"),
                          ({"received_from_mta": "c\r\n"}, "received_from_mta")):
        args = {"sender": "me@client.example", "failures": {"ghost@lab.example": "550 5.1.1 no"},
                "arrival_date": LAB_EPOCH, **kwargs}
        with pytest.raises(SmtpTeachError, match=f"^{error} must be one line of text"):
            make_dsn("Subject: hi\n\nhello\n", **args)
    with pytest.raises(SmtpTeachError, match="failures maps each failed recipient to its reply, not list"):
        make_dsn("x\n", sender="me@client.example", failures=["ghost@lab.example"], arrival_date=LAB_EPOCH)
    with pytest.raises(SmtpTeachError, match="arrival_date must be a datetime, not str"):
        make_dsn("x\n", sender="me@client.example", failures={"a@b.example": "550 no"}, arrival_date="2026-12-01")


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


def test_a_long_diagnostic_code_is_neither_folded_nor_encoded():
    from datetime import datetime, timezone
    from email import message_from_bytes, policy

    from smtpteach.lab import make_dsn

    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    address = "a.very.long.local.part.for.this.test@subdomain.example-organisation.example.org"
    reply = f"550 5.1.1 <{address}>... User doesn't exist: {address}"
    dsn = make_dsn("From: a@example.org\nTo: b@example.net\nSubject: x\n\nbody\n", sender="a@example.org",
                   failures={address: reply}, arrival_date=when, date=when)
    raw = dsn.as_bytes().decode("ascii")
    assert f"Diagnostic-Code: smtp; {reply}\n" in raw and "=?utf-8?" not in raw
    parsed = message_from_bytes(dsn.as_bytes(), policy=policy.default)
    [report] = [p for p in parsed.walk() if p.get_content_type() == "message/delivery-status"]
    assert report.get_payload()[1]["Diagnostic-Code"] == f"smtp; {reply}"


def test_a_bad_sender_path_is_x17_and_a_bad_recipient_path_x13():
    # RFC 3463: X.1.7 is the sender's address syntax, X.1.3 the recipient's (a test audit: MAIL answering 5.1.3 passed)
    with LabServer() as server, server.client() as c:
        c.command("EHLO client.example")
        long_path = "a" * 250 + "@client.example"  # longer than RFC 5321 §4.5.3.1.3's 256 octets
        assert c.command(f"MAIL FROM:<{long_path}>").lines == ("501 5.1.7 Bad address syntax",)
        assert c.command("MAIL FROM:<me@client.example>").lines[0].startswith("250 2.1.0 ")
        assert c.command(f"RCPT TO:<{long_path}>").lines == ("501 5.1.3 Bad address syntax",)


def test_help_with_an_unknown_argument_is_504_and_cut_at_20_characters():
    with LabServer() as server, server.client() as c:
        c.command("EHLO client.example")
        assert c.command("HELP NOSUCH").lines == ("504 5.5.4 HELP: no help for NOSUCH",)
        assert c.command("HELP " + "X" * 30).lines == ("504 5.5.4 HELP: no help for " + "X" * 20,)
        mail = c.command("HELP MAIL")
        assert _codes(mail) == ("214", "2.0.0") and "MAIL FROM:" in mail.lines[0]


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1, 10**12])
def test_a_lab_clock_refuses_a_step_it_cannot_take_naming_it(seconds):
    from smtpteach.lab import LabClock

    clock = LabClock()
    before = clock()
    with pytest.raises(InvalidArgumentError, match="LabClock"):
        clock.advance(seconds)
    assert clock() == before


def test_a_dsn_needs_its_arrival_date():
    from smtpteach.lab import make_dsn

    with pytest.raises(InvalidTypeError, match="arrival_date must be a datetime, not NoneType"):
        make_dsn("Subject: x\n\nx", sender="a@example.org", failures={"c@example.net": "550 5.1.1 no"},
                 arrival_date=None)
