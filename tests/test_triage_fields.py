"""The fields a mail operator groups records by, beyond the recipient: the envelope sender of each attempt ("which
customer account gets us blocklisted?") and the remote host that answered it ("which Microsoft MX refuses us?"), read
from the line shapes each program writes."""

from __future__ import annotations

import json
import re

import pytest

import smtpteach
from smtpteach import cli
from smtpteach._triage import _mta_lines


def sent(lines, **kw) -> list[tuple]:
    return [(r.kind, r.sender, r.recipient, r.relay, r.status) for r in smtpteach.triage(lines, **kw)]


POSTFIX = [
    "Mar 11 09:00:00 mx1 postfix/qmgr[101]: 4F2A1B3C9D: from=<billing@shop.example>, size=2048, nrcpt=2 (queue active)",
    "Mar 11 09:00:01 mx1 postfix/smtp[1201]: 4F2A1B3C9D: to=<an@outlook.example>, "
    "relay=Outlook-Com.Olc.Protection.example[203.0.113.5]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.7.1, "
    "status=bounced (host outlook-com.olc.protection.example[203.0.113.5] said: 550 5.7.1 Service unavailable, "
    "Client host [198.51.100.7] blocked using Spamhaus (in reply to RCPT TO command))",
    "Mar 11 09:00:02 mx1 postfix/smtp[1202]: 4F2A1B3C9D: to=<binh@mail.example>, relay=mx.mail.example[2001:db8::25]:25, "
    "delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9D8C7B6A5F)",
    "Mar 11 09:00:03 mx1 postfix/qmgr[101]: 4F2A1B3C9D: removed",
    # a bounce the server sends: the null sender
    "Mar 11 09:00:04 mx1 postfix/qmgr[101]: 5A6B7C8D9E: from=<>, size=3120, nrcpt=1 (queue active)",
    "Mar 11 09:00:05 mx1 postfix/local[1300]: 5A6B7C8D9E: to=<billing@shop.example>, relay=local, delay=0.01, "
    "delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
    # a deferral that never connected
    "Mar 11 09:00:06 mx1 postfix/qmgr[101]: 6B7C8D9E0F: from=<news@shop.example>, size=900, nrcpt=1 (queue active)",
    "Mar 11 09:00:36 mx1 postfix/smtp[1400]: 6B7C8D9E0F: to=<chi@slow.example>, relay=none, delay=30, "
    "delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.slow.example[192.0.2.80]:25: Connection timed out)",
]


def test_a_postfix_delivery_takes_its_sender_from_the_queue_manager_line_and_its_relay_as_host_and_address():
    assert sent(POSTFIX) == [
        ("postfix", "billing@shop.example", "an@outlook.example", "outlook-com.olc.protection.example[203.0.113.5]",
         "bounced"),
        ("postfix", "billing@shop.example", "binh@mail.example", "mx.mail.example[2001:db8::25]", "delivered"),
        ("postfix", "<>", "billing@shop.example", "local", "delivered"),
        ("postfix", "news@shop.example", "chi@slow.example", None, "deferred"),
    ]


def test_a_postfix_sender_is_forgotten_once_the_message_is_removed_and_is_one_host_s():
    removed_then_again = POSTFIX[:4] + [POSTFIX[1]]
    assert [s for _, s, *_ in sent(removed_then_again)] == ["billing@shop.example", "billing@shop.example", None]
    # a central syslog host: mx2's line of the same short queue ID is not mx1's message
    other_host = POSTFIX[:1] + [POSTFIX[1].replace(" mx1 ", " mx2 ")]
    assert [s for _, s, *_ in sent(other_host)] == [None]


def test_a_postfix_expiry_names_its_sender(tmp_path):
    lines = ["Mar 11 09:00:00 mx1 postfix/qmgr[101]: 7C8D9E0F1A: from=<ops@shop.example>, size=900, nrcpt=1 (queue active)",
             "Mar 11 09:00:30 mx1 postfix/smtp[1]: 7C8D9E0F1A: to=<dan@slow.example>, relay=mx.slow.example[192.0.2.9]:25, "
             "delay=30, dsn=4.2.0, status=deferred (host mx.slow.example[192.0.2.9] said: 421 4.2.0 try later "
             "(in reply to RCPT TO command))",
             "Mar 16 09:00:00 mx1 postfix/qmgr[101]: 7C8D9E0F1A: from=<ops@shop.example>, status=expired, returned to sender"]
    expired = sent(lines)[-1]
    assert expired == ("postfix", "ops@shop.example", "dan@slow.example", "mx.slow.example[192.0.2.9]", "expired")


def test_the_senders_remembered_are_bounded_the_oldest_forgotten_first(monkeypatch):
    monkeypatch.setattr(_mta_lines, "SENDERS", 2)
    lines = [f"Mar 11 09:00:0{n} mx1 postfix/qmgr[101]: ABCDE{n}: from=<s{n}@shop.example>, size=1, nrcpt=1 (queue active)"
             for n in range(3)]
    lines += [f"Mar 11 09:00:1{n} mx1 postfix/smtp[1]: ABCDE{n}: to=<r@x.example>, relay=mx.x.example[192.0.2.1]:25, "
              f"dsn=2.0.0, status=sent (250 ok)" for n in range(3)]
    assert [s for _, s, *_ in sent(lines)] == [None, "s1@shop.example", "s2@shop.example"]


def test_exim_takes_the_sender_of_the_arrival_and_the_host_and_address_of_h():
    lines = [
        "2024-03-11 09:00:00 1rjT0a-0004Xb-3C <= billing@shop.example H=app.shop.example [10.0.0.5] P=esmtpsa "
        "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:billing S=4512 id=abc@shop.example",
        "2024-03-11 09:00:02 1rjT0a-0004Xb-3C ** an@yahoo.example R=dnslookup T=remote_smtp "
        "H=MTA7.am0.yahoodns.example [198.51.100.44]: SMTP error from remote mail server after RCPT TO:<an@yahoo.example>: "
        "554 5.7.9 Message not accepted for policy reasons",
        "2024-03-11 09:00:03 1rjT0a-0004Xb-3C Completed",
        "2024-03-11 09:00:04 1rjT0b-0004Xc-4D <= <> R=1rjT0a-0004Xb-3C U=Debian-exim P=local S=5120",
        "2024-03-11 09:00:05 1rjT0b-0004Xc-4D => billing <billing@shop.example> R=local_user T=mail_spool",
        "2024-03-11 09:00:06 1rjT0a-0004Xb-3C == an@yahoo.example R=dnslookup T=remote_smtp defer (-44) "
        "H=mta7.am0.yahoodns.example [198.51.100.44]: SMTP error from remote mail server after RCPT TO:<an@yahoo.example>: "
        "421 4.7.0 [TSS04] try again later",
    ]
    assert sent(lines) == [
        ("exim", "billing@shop.example", "an@yahoo.example", "mta7.am0.yahoodns.example[198.51.100.44]", "bounced"),
        ("exim", "<>", "billing@shop.example", None, "delivered"),
        ("exim", None, "an@yahoo.example", "mta7.am0.yahoodns.example[198.51.100.44]", "deferred"),  # after Completed
    ]


def test_sendmail_takes_the_sender_of_its_from_line_and_writes_its_relay_as_the_others():
    lines = [
        "Mar 11 09:00:00 mx sendmail[4101]: 2BB9Q0aK004101: from=<billing@shop.example>, size=1234, class=0, nrcpts=1, "
        "msgid=<x@shop.example>, proto=ESMTP, daemon=MTA, relay=app.shop.example [10.0.0.5]",
        "Mar 11 09:00:01 mx sendmail[4102]: 2BB9Q0aK004101: to=<an@outlook.example>, delay=00:00:01, xdelay=00:00:01, "
        "mailer=esmtp, pri=120, relay=Outlook-Com.Olc.Protection.example. [203.0.113.5], dsn=5.7.1, "
        "stat=Service unavailable",
        "Mar 11 09:00:02 mx sendmail[4103]: 2BB9Q0aK004102: from=<>, size=800, class=0, nrcpts=1, proto=ESMTP, "
        "daemon=MTA, relay=localhost [127.0.0.1]",
        "Mar 11 09:00:03 mx sendmail[4104]: 2BB9Q0aK004102: to=<ops@shop.example>, delay=00:00:01, mailer=local, "
        "pri=30, relay=local, dsn=2.0.0, stat=Sent",
    ]
    assert sent(lines) == [
        ("sendmail", "billing@shop.example", "an@outlook.example", "outlook-com.olc.protection.example[203.0.113.5]",
         "bounced"),
        ("sendmail", "<>", "ops@shop.example", "local", "delivered"),
    ]


def _dsn(per_message: str, returned: str) -> str:
    """A Postfix DSN about an@outlook.example, blocked at its remote MTA, from mx1.shop.example to billing@shop.example."""
    from ._dsn import dsn_text

    return dsn_text("an@outlook.example", status="5.7.1", per_message=per_message, returned=returned,
                    code="550 5.7.1 Service unavailable, Client host [198.51.100.7] blocked using Spamhaus",
                    remote="dns; Outlook-Com.Olc.Protection.example. [203.0.113.5]", reporting="mx1.shop.example",
                    bounce_to="billing@shop.example")


RETURNED_MESSAGE = """Content-Type: message/rfc822

Return-Path: <crm-7@shop.example>
From: Sales <sales@shop.example>
To: an@outlook.example
Subject: Offer

Hello.
"""
RETURNED_HEADERS = """Content-Type: text/rfc822-headers

Return-Path: <crm-8@shop.example>
From: Sales <sales@shop.example>
To: an@outlook.example
"""


@pytest.mark.parametrize("per_message, returned, sender", [
    ("X-Postfix-Queue-ID: 4F2A1B3C9D\nX-Postfix-Sender: rfc822; crm-6@shop.example\n", RETURNED_MESSAGE,
     "crm-6@shop.example"),  # Postfix says it in the report
    ("", RETURNED_MESSAGE, "crm-7@shop.example"),  # the returned message's envelope sender
    ("", RETURNED_HEADERS, "crm-8@shop.example"),  # ... or its headers alone
    ("", "Content-Type: text/plain\n\n(no copy)\n", "billing@shop.example"),  # the bounce went back to its sender
])
def test_a_dsn_names_the_sender_of_the_message_it_returns_and_its_remote_mta(tmp_path, per_message, returned, sender):
    path = tmp_path / "bounce.eml"
    path.write_text(_dsn(per_message, returned))
    assert sent(str(path)) == [("dsn", sender, "an@outlook.example", "outlook-com.olc.protection.example[203.0.113.5]",
                                "bounced")]


def test_a_dsn_with_no_remote_mta_has_no_relay_not_its_reporting_mta(tmp_path):
    path = tmp_path / "bounce.eml"
    path.write_text(_dsn("", RETURNED_MESSAGE).replace(
        "Remote-MTA: dns; Outlook-Com.Olc.Protection.example. [203.0.113.5]\n", ""))
    assert sent(str(path))[0][3] is None


def test_a_plain_bounce_names_the_sender_it_went_back_to():
    from pathlib import Path

    got = sent(str(Path(__file__).parent / "data" / "triage" / "exim-bounce.eml"))
    assert {s for _, s, *_ in got} == {"ana@example.com"}


def test_exchange_tracking_gives_the_sender_column_and_the_next_hop():
    from tests.test_triage import TRACKING_EXPORT, TRACKING_LOG

    assert sent(TRACKING_EXPORT) == [
        ("exchange", "a@example.com", "an@example.vn", None, "delivered"),  # into a mailbox here: no remote host
        ("exchange", "k@example.vn", "t@example.com", "192.0.2.27", "delivered"),
        ("exchange", "k@example.vn", "b@example.org", "192.0.2.10", "bounced"),
    ]
    # a deferral's status names the host it tried ({FQDN=...};{IP=...}), besides the server-ip column
    assert sent(TRACKING_LOG) == [("exchange", "kd@example.vn", "anh@example.net", "mx.example.net[192.0.2.24]",
                                   "deferred")]
    with_name = [TRACKING_EXPORT[0].replace('"ServerIp"', '"ServerHostname","ServerIp"'),
                 TRACKING_EXPORT[5].replace('"192.0.2.10"', '"mx.example.org","192.0.2.10"')]
    assert sent(with_name)[0][3] == "mx.example.org[192.0.2.10]"


def test_a_microsoft_365_message_trace_gives_its_sender_and_the_address_it_went_to():
    rows = ['"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId",'
            '"MessageTraceId"',
            '"2026-12-01T02:00:09.1234567Z","ketoan@congty.example","thanh@gmail.example","Hoa don","Failed",'
            '"198.51.100.27","","1234","<a@congty.example>","0a1b2c3d-0000-4000-8000-000000000001"']
    assert sent(rows) == [("m365", "ketoan@congty.example", "thanh@gmail.example", "198.51.100.27", "bounced")]


def test_the_jsonl_and_csv_of_the_command_line_carry_both(tmp_path, capsys):
    log = tmp_path / "mail.log"
    log.write_text("\n".join(POSTFIX[:3]) + "\n")
    assert cli.main(["triage", str(log), "--format", "jsonl"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (first["sender"], first["relay"]) == ("billing@shop.example", "outlook-com.olc.protection.example[203.0.113.5]")
    assert list(first)[2:4] == ["kind", "host"] and first["host"] == "mx1"  # the syslog host that logged the line
    assert list(first)[6:11] == ["queue_id", "sender", "recipient", "domain", "relay"]
    assert cli.main(["triage", str(log), "--format", "csv"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    assert header.startswith("source,line,kind,host,time,timestamp,queue_id,sender,recipient,domain,relay,basic,")
    assert ",postfix,mx1," in row and ",4F2A1B3C9D,billing@shop.example,an@outlook.example,outlook.example," \
           "outlook-com.olc.protection.example[203.0.113.5],550," in row


def test_a_quoted_local_part_of_a_sender_is_read_whole():
    lines = ['Mar 11 09:00:00 mx1 postfix/qmgr[101]: 4F2A1B3C9E: from=<"sales>team"@shop.example>, size=2048, nrcpt=1 '
             '(queue active)', POSTFIX[2].replace("4F2A1B3C9D", "4F2A1B3C9E")]
    assert sent(lines)[0][1] == '"sales>team"@shop.example'


# -- the time as ISO 8601, and a window of it ------------------------------------------------------------------------

def _at(path, when: str) -> str:
    import datetime
    import os

    t = datetime.datetime.fromisoformat(when).timestamp()
    os.utime(path, (t, t))
    return str(path)


def test_each_source_s_time_is_written_as_iso_8601_keeping_its_offset(tmp_path):
    lines = [
        "2024-03-11 09:00:02 +0700 1rjT0a-0004Xb-3C ** an@yahoo.example R=dnslookup T=remote_smtp H=mx [198.51.100.44]: "
        "SMTP error from remote mail server after RCPT TO:<an@yahoo.example>: 550 5.1.1 no such user",
        "2024-03-11T02:00:03.123456Z mx1 postfix/smtp[1]: 4F2A1B3C9D: to=<b@x.example>, relay=mx.x.example[192.0.2.1]:25, "
        "dsn=2.0.0, status=sent (250 ok)",
        "[11/Mar/2024 09:12:41] Sent: Queue-ID: 65efbea8-00000a31, Recipient: <a@x.example>, Result: failed, Status: "
        "5.1.1 , Remote-Host: 192.0.2.1, Msg-Id: <x@y>",
    ]
    assert [(r.time, r.timestamp) for r in smtpteach.triage(lines)] == [
        ("2024-03-11 09:00:02 +0700", "2024-03-11T09:00:02+07:00"),
        ("2024-03-11T02:00:03.123456Z", "2024-03-11T02:00:03.123456+00:00"),
        ("11/Mar/2024 09:12:41", "2024-03-11T09:12:41"),
    ]
    from tests.test_triage import TRACKING_EXPORT

    assert [r.timestamp for r in smtpteach.triage(TRACKING_EXPORT)][-1] == "2026-12-01T09:20:13"  # "12/1/2026 9:20:13 AM"
    dsn = tmp_path / "bounce.eml"
    dsn.write_text(_dsn("Arrival-Date: Mon, 11 Mar 2024 09:00:00 +0100\n", RETURNED_MESSAGE))
    assert [r.timestamp for r in smtpteach.triage(str(dsn))] == ["2024-03-11T09:00:00+01:00"]


def test_a_syslog_line_takes_its_year_from_the_file_s_modification_time(tmp_path):
    log = tmp_path / "mail.log.1"
    log.write_text("\n".join(POSTFIX[:2]).replace("Mar 11", "Dec 31") + "\n" +
                   POSTFIX[2].replace("Mar 11", "Jan  2") + "\n")
    # rotated on 2 January 2025: December's lines are of 2024, January's of 2025
    got = [r.timestamp for r in smtpteach.triage(_at(log, "2025-01-02T06:25:00"))]
    assert got == ["2024-12-31T09:00:01", "2025-01-02T09:00:02"]  # (a day later than the time written: the same year)
    got = [r.timestamp for r in smtpteach.triage(_at(log, "2025-06-30T00:00:00"))]
    assert got == ["2024-12-31T09:00:01", "2025-01-02T09:00:02"]
    got = [r.timestamp for r in smtpteach.triage(_at(log, "2025-12-31T12:00:00"))]
    assert got == ["2025-12-31T09:00:01", "2025-01-02T09:00:02"]


def test_standard_input_and_lines_in_python_take_the_year_of_today():
    import datetime

    today = datetime.date.today()
    line = POSTFIX[2].replace("Mar 11", today.strftime("%b %e"))
    assert next(iter(smtpteach.triage([line]))).timestamp.startswith(f"{today.isoformat()}T09:00:02")


def test_since_and_until_keep_the_window_and_the_summary_counts_it_only(tmp_path):
    log = tmp_path / "mail.log"
    log.write_text("\n".join(POSTFIX) + "\n")
    path = _at(log, "2025-03-12T00:00:00")
    kept = smtpteach.triage(path, since="2025-03-11T09:00:02", until="2025-03-11T09:00:06")
    assert [r.recipient for r in kept] == ["binh@mail.example", "billing@shop.example"]
    summary = kept.summary()
    assert summary.records == 2 and summary.by_status == {"delivered": 2}
    assert summary.notes == ["2 records outside the window (--since, --until) were left out"]
    # an offset on one side is compared as this machine's local time on the other; a date alone is its first moment
    import datetime

    assert smtpteach.triage(path, since=datetime.date(2025, 3, 12)).summary().records == 0
    assert smtpteach.triage(path, until="2025-03-12").summary().records == 4
    assert smtpteach.triage(path, since=datetime.datetime(2025, 3, 11, 9).astimezone()).summary().records == 4


def test_a_record_with_no_time_is_left_out_of_a_window_and_counted_in_a_note():
    t = smtpteach.triage(["550 5.1.1 no such user"], since="2020-01-01")
    assert list(t) == [] and t.summary().notes == [
        "1 record has no time that could be read, and was left out of the window (--since, --until)"]
    assert smtpteach.triage(["550 5.1.1 no such user"], lang="vi", since="2020-01-01").summary().note_lines() == [
        "1 bản ghi không đọc được giờ nên đã bị loại khi lọc theo khoảng thời gian (--since, --until)"]


@pytest.mark.parametrize("kw, message", [
    ({"since": "yesterday"}, "since must be an ISO 8601 date or date and time"),
    ({"until": "2024-13-01"}, "until must be an ISO 8601 date or date and time"),
    ({"since": "2024-03-12", "until": "2024-03-11"}, "since ('2024-03-12') must come before until ('2024-03-11')"),
])
def test_a_bad_window_is_refused_naming_it(kw, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        smtpteach.triage(["550 5.1.1 x"], **kw)
    with pytest.raises(TypeError, match="since must be"):
        smtpteach.triage(["550 5.1.1 x"], since=20240311)


@pytest.mark.parametrize("argv, said", [
    (["--since", "yesterday"], "smtpteach triage: argument --since: 'yesterday' is not an ISO 8601 date or date and time"),
    (["--until", "2024-02-30"], "smtpteach triage: argument --until: '2024-02-30' is not an ISO 8601 date or date"),
    (["--since", "2024-03-12", "--until", "2024-03-11"], "smtpteach triage: --since (2024-03-12T00:00:00) must come before"),
])
def test_the_command_line_refuses_a_bad_time_with_status_2_and_no_traceback(tmp_path, capsys, argv, said):
    log = tmp_path / "mail.log"
    log.write_text(POSTFIX[0] + "\n")
    assert cli.main(["triage", str(log), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(said) and "Traceback" not in err


def test_the_command_line_window(tmp_path, capsys):
    log = tmp_path / "mail.log"
    log.write_text("\n".join(POSTFIX) + "\n")
    path = _at(log, "2025-03-12T00:00:00")
    assert cli.main(["triage", path, "--since", "2025-03-11T09:00:06", "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["timestamp"] for line in out.splitlines()] == ["2025-03-11T09:00:36"]
    assert "3 records outside the window (--since, --until) were left out" in err


# -- the host that wrote each record ---------------------------------------------------------------------------------

def test_each_record_names_the_host_that_logged_it_in_every_syslog_form(tmp_path):
    """A central log holds the lines of several MTAs: each record names its own (the syslog line's host, RFC 5424's
    HOSTNAME, the journal's _HOSTNAME), in JSON and CSV alike; Exim's own main log and a bare reply name none."""
    from .test_triage import DATA

    hosts = [r.host for r in smtpteach.triage(str(DATA / "journal-and-rfc5424.log"))]
    assert hosts == ["mx1"] * 5
    central = [POSTFIX[1], POSTFIX[1].replace(" mx1 ", " mx2.hostco.example ").replace("4F2A1B3C9D", "4F2A1B3C9E")]
    assert [(r.host, r.queue_id) for r in smtpteach.triage(central)] == [("mx1", "4F2A1B3C9D"),
                                                                        ("mx2.hostco.example", "4F2A1B3C9E")]
    assert [r.host for r in smtpteach.triage(["2026-12-06 10:00:05 1tABCe-0007Xy-AB ** b@example.org: Unrouteable "
                                              "address", "550 5.1.1 no such user"])] == [None, None]
    # a syslog-wrapped Exim line is the syslog host's
    (wrapped,) = smtpteach.triage(["Mar 11 10:15:05 mx3 exim[4242]: 2024-03-11 10:15:05 [4242] 1rjXyz-0001Ab-Cg ** "
                                   "c@example.org: Unrouteable address"])
    assert wrapped.host == "mx3"


def test_the_same_queue_id_on_two_hosts_is_two_messages_in_the_outcomes():
    """Two MTAs of one central log may give the same short Postfix queue ID: each host's is its own message, so a
    delivery on one host does not end the other's deferral."""
    deferred = ("Mar 11 09:00:01 {host} postfix/smtp[1201]: 4F2A1B3C9D: to=<an@outlook.example>, relay=mx.outlook."
                "example[203.0.113.5]:25, delay=1, dsn=4.2.2, status=deferred (host mx.outlook.example[203.0.113.5] "
                "said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))")
    sent_line = ("Mar 11 09:05:01 {host} postfix/smtp[1202]: 4F2A1B3C9D: to=<an@outlook.example>, relay=mx.outlook."
                 "example[203.0.113.5]:25, delay=300, dsn=2.0.0, status=sent (250 2.0.0 Ok)")
    two = smtpteach.triage([deferred.format(host="mx1"), sent_line.format(host="mx2")]).summary()
    one = smtpteach.triage([deferred.format(host="mx1"), sent_line.format(host="mx1")]).summary()
    assert (two.outcomes["pending"], two.outcomes["delivered"]) == (1, 1)
    assert (one.outcomes["pending"], one.outcomes["delivered"]) == (0, 1)


def test_a_dsn_names_its_reporting_mta_as_its_host(tmp_path):
    from ._dsn import write_dsn

    (record,) = smtpteach.triage(str(write_dsn(tmp_path / "bounce.eml", "ana@example.org")))
    assert (record.kind, record.host) == ("dsn", "mx1.hostco.example")
    assert record.as_dict()["host"] == "mx1.hostco.example"


# -- qmail-send: its message's number, its sender, the host it spoke to ------------------------------------------------

QMAIL = [
    "Mar  5 07:00:03 relay1 qmail: 1709596803.000001 new msg 1234",
    "Mar  5 07:00:03 relay1 qmail: 1709596803.000002 info msg 1234: bytes 2345 from <anna@example.com> qp 5678 uid 1001",
    "Mar  5 07:00:04 relay1 qmail: 1709596804.000001 starting delivery 42: msg 1234 to remote d1@example.net",
    "Mar  5 07:00:05 relay1 qmail: 1709596805.000001 delivery 42: deferral: Connected_to_192.0.2.24_but_connection_"
    "died._(#4.4.2)/",
    "Mar  5 07:20:05 relay1 qmail: 1709598005.000001 starting delivery 57: msg 1234 to remote d1@example.net",
    "Mar  5 07:20:06 relay1 qmail: 1709598006.000001 delivery 57: success: 192.0.2.70_accepted_message./Remote_host_"
    "said:_250_ok_1709598006_qp_4242/",
    "Mar  5 07:20:06 relay1 qmail: 1709598006.000002 end msg 1234",
    "Mar  5 07:21:00 relay1 qmail: 1709598060.000001 info msg 1300: bytes 900 from <> qp 5679 uid 1002",
    "Mar  5 07:21:01 relay1 qmail: 1709598061.000001 starting delivery 58: msg 1300 to remote ann@example.org",
    "Mar  5 07:21:02 relay1 qmail: 1709598062.000001 delivery 58: failure: 192.0.2.59_does_not_like_recipient./Remote_"
    "host_said:_550_5.1.1_<ann@example.org>:_User_unknown/Giving_up_on_192.0.2.59./",
]


def test_a_qmail_delivery_names_its_message_its_sender_and_the_host_it_spoke_to():
    """qmail-send numbers each try anew (delivery 42, then 57) but the message keeps its number (msg 1234): that is
    the queue ID, so that a deferral then a success is one recipient delivered after a delay, not two. The sender is
    the message's "info msg" line's (a bounce's null sender "<>"), the remote host the address qmail-remote names."""
    got = [(r.queue_id, r.sender, r.recipient, r.relay, r.status) for r in smtpteach.triage(QMAIL)]
    assert got == [("1234", "anna@example.com", "d1@example.net", "[192.0.2.24]", "deferred"),
                   ("1234", "anna@example.com", "d1@example.net", "[192.0.2.70]", "delivered"),
                   ("1300", "<>", "ann@example.org", "[192.0.2.59]", "bounced")]
    outcomes = smtpteach.triage(QMAIL).summary().outcomes
    assert (outcomes["recipients"], outcomes["delivered"], outcomes["after_delay"], outcomes["lost"]) == (2, 1, 1, 1)
    # the message has left the queue: a delivery line read after its "end msg" takes no sender of it
    late = QMAIL[:7] + ["Mar  5 07:30:00 relay1 qmail: 1709598600.000001 starting delivery 60: msg 1234 to remote x@example.net",
                        "Mar  5 07:30:01 relay1 qmail: 1709598601.000001 delivery 60: success: 192.0.2.70_accepted_message./"]
    assert [r.sender for r in smtpteach.triage(late)][-1] is None


def test_a_transcript_s_attempts_name_the_sender_of_their_session():
    """MDaemon's and hMailServer's session transcripts, and swaks's: the sender is the MAIL FROM our client sent, or
    before it the sender the log names for the session (MDaemon's "*  From:", hMailServer's deliverer line), so that a
    refusal of the greeting, before any MAIL FROM, has one too where the log says it."""
    from .test_triage import HMAIL, MDAEMON_OUT, _md

    got = [(r.recipient, r.sender) for r in smtpteach.triage(MDAEMON_OUT)]
    assert got == [("binh@example.org", "an@example.vn"), ("dung@example.com", "an@example.vn"),
                   ("chi@example.com", "an@example.vn"), ("em@example.net", None), ("giang@example.edu", None)]
    named = MDAEMON_OUT[:1] + [_md("09:20:44.100", "Session 4530; child 1"), _md("09:20:44.100", "*  From: <hr@example.vn>"),
                               _md("09:20:44.100", "*  To: em@example.net"),
                               _md("09:20:44.631", "<-- 421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily deferred")]
    assert [(r.recipient, r.sender) for r in smtpteach.triage(named)] == [("em@example.net", "hr@example.vn")]
    assert [(r.recipient, r.sender) for r in smtpteach.triage(HMAIL)] == [
        ("hieu@example.vn", "a@example.org"), ("thanh@example.com", "k@example.vn"), ("contact@example.net", "i@example.vn")]
    swaks = ["=== Connected to mx.example.org.", "<-  220 mx.example.org ESMTP", " -> EHLO client.example",
             "<-  250 mx.example.org", " -> MAIL FROM:<>", "<-  250 2.1.0 Ok", " -> RCPT TO:<bob@example.org>",
             "<** 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown"]
    assert [(r.recipient, r.sender) for r in smtpteach.triage(swaks)] == [("bob@example.org", "<>")]


def test_kerio_s_attempts_name_their_message_s_sender_and_the_host_that_answered():
    """Kerio's "Recv:" line names the sender of the message coming into its queue; its delivery lines name the remote
    host ("Remote-Host: 192.0.2.27", "Remote host 192.0.2.24 replied:")."""
    from .test_triage import KERIO

    got = [(r.queue_id, r.sender, r.relay) for r in smtpteach.triage(KERIO)]
    assert got == [("65efbe13-00000a2c", "a@example.com", "127.0.0.1"), ("65efbea8-00000a31", None, "192.0.2.27"),
                   ("65efbf37-00000a35", None, "192.0.2.24")]


def test_a_dsn_s_delay_warning_about_a_message_the_log_holds_is_that_message_s_recipient(tmp_path):
    """Postfix logs as its short host name ("mx1") and its bounces name it in full (Reporting-MTA: mx1.hostco.example):
    the delay warning about a recipient the log deferred, then delivered, is that one recipient, delivered after a
    delay, and not a second one left pending."""
    from ._dsn import write_dsn

    line = ("Mar 11 09:{m} mx1 postfix/smtp[1201]: 4F2A1B3C9D: to=<ana@example.org>, relay=mx.example.org[192.0.2.10]:25, "
            "delay=1, dsn={dsn}, status={status} ({said})")
    log = tmp_path / "mail.log"
    log.write_text("\n".join([line.format(m="00:01", dsn="4.2.2", status="deferred", said="host mx.example.org[192.0.2.10] "
                                          "said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)"),
                              line.format(m="50:01", dsn="2.0.0", status="sent", said="250 2.0.0 Ok")]) + "\n")
    warning = write_dsn(tmp_path / "bounces" / "delayed.eml", "ana@example.org", action="delayed", queue="4F2A1B3C9D")
    s = smtpteach.triage([str(log), str(warning.parent)]).summary()
    assert s.by_status == {"deferred": 2, "delivered": 1}
    assert (s.outcomes["recipients"], s.outcomes["delivered"], s.outcomes["after_delay"], s.outcomes["pending"]) == (
        1, 1, 1, 0)
