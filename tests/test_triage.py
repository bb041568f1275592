"""smtpteach.triage() and `smtpteach triage` (the smtpteach/_triage/ package, _render_triage.py), and explain()'s
refusal of text that holds several records (smtpteach/_records.py)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

import smtpteach
from smtpteach import cli
from smtpteach._explain import reason_words, speaks_of_mail
from smtpteach._triage import FIELDS
from smtpteach._triage._sources import PROGRESS_BYTES

from ._browser import serve


DATA = Path(__file__).parent / "data" / "triage"
SAMPLES = Path(smtpteach.__file__).parent / "data" / "samples"
EXIM_FLAG = re.compile(r" [0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2} (=>|->|>>|\*>|\*\*|==) ")


def run(argv: list[str], capsys, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def rows(source, **kw) -> list[tuple]:
    return [(r.line, r.kind, r.recipient, r.domain, r.basic, r.enhanced, r.reason, r.status)
            for r in smtpteach.triage(source, **kw)]


# -- explain() never mixes records ------------------------------------------------


ISSUE = ("Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=x[192.0.2.1]:25, status=bounced "
         "(host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))\n"
         "Dec  4 10:00:02 mx postfix/smtp[2]: B2: to=<b@example.net>, relay=y[192.0.2.2]:25, status=deferred "
         "(host y[192.0.2.2] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))\n")


@pytest.mark.parametrize("text, line, kind", [
    (ISSUE, 2, "log"),
    ("550 5.1.1 no such user\n452 4.2.2 Mailbox full", 2, "reply"),
    ("550-5.7.1 blocked\n550 5.7.1 see https://example.org\n550 5.1.1 no such user", 3, "reply"),
    ("550-5.7.1 one\n421 4.7.0 another code: another reply", 2, "reply"),
    ("\n\n250 OK\r\n550 5.7.1 no", 4, "reply"),
    ("550\r\n452\r\n", 2, "reply"),  # a line ending of \r\n, and a reply with no text
    ("1rNbX2-0003Zk-1F ** a@example.org: 550 no\n1rNbX2-0003Zk-1F == b@example.net defer (-53): retry time not reached",
     2, "log"),
    # a delivery and a deferral: Exim's "==" after "=>" is a second attempt
    ("1sQaBc-0003Zk-1F => a@example.org\n1sQaBc-0003Zk-1F == b@example.org defer (-53): retry time not reached", 2, "log"),
    ("Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n\n"
     "Final-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2", 5, "dsn"),
    ("Diagnostic-Code: smtp; 550 5.1.1 user unknown\ndiagnostic-code: smtp; 452 4.2.2 full", 2, "dsn"),
    # a reply quoted after "said:" or after Exim's "SMTP error from remote mail server after ...:" is a reply too
    ("host mx.example.org said: 550 5.1.1 user unknown\n452 4.2.2 mailbox full", 2, "reply"),
    ("550 5.1.1 user unknown\nRemote host said: 452 4.2.2 mailbox full", 2, "reply"),
    ("SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 no such user\n"
     "SMTP error from remote mail server after RCPT TO:<b@example.org>: 452 4.2.2 mailbox full", 2, "reply"),
    # line breaks written out as "\n", as a JSON log or an exception's repr shows them
    (ISSUE.replace("\n", "\\n"), 2, "log"),
    ("host mx.example.org said: 550 5.1.1 user unknown\\n452 4.2.2 mailbox full", 2, "reply"),
])
def test_explain_refuses_text_with_several_records_and_names_the_second(text, line, kind):
    with pytest.raises(smtpteach.MixedRecordsError) as info:
        smtpteach.explain(text)
    err = info.value
    assert (err.line, err.kind) == (line, kind)
    assert isinstance(err, smtpteach.SmtpTeachError) and isinstance(err, ValueError)
    assert f"starts on line {line}." in str(err)
    assert "smtpteach triage FILE" in str(err) and "smtpteach.triage()" in str(err)


@pytest.mark.parametrize("text", [
    # a multi-line reply (RFC 5321 §4.2.1), and one with its lines folded into a DSN field
    "550-5.1.1 The email account that you tried to reach does not exist.\n550-5.1.1 Please try\n550 5.1.1 again",
    "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\n    not exist. 550 5.1.1 Learn more",
    # a DSN recipient block, with an mbox's "Status: RO" header above it
    "Status: RO\nFinal-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 x",
    # a log line with its folded continuation, and a log line with Exim's "Completed" after it
    "Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, status=bounced (host x said:\n    550 5.1.1 no)",
    "1rNbX2-0003Zk-1F => a@example.org R=dnslookup T=remote_smtp\n1rNbX2-0003Zk-1F Completed",
    # Exim's "->" is a further address of the same delivery (the Exim specification, "Log files")
    "1sQaBc-0003Zk-1F => a@example.org\n1sQaBc-0003Zk-1F -> b@example.org\n1sQaBc-0003Zk-1F Completed",
    # a client's transcript where the replies are quoted ("<<< ") and one summary line stands alone
    "... while talking to mx.example.com.:\n>>> DATA\n<<< 550 no such user\n550 5.1.1 <a@example.com>... User unknown\n<<< 503 x",
    # a log line, then the reply it quotes on a line of its own: two kinds, one record
    "Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, status=bounced (said: 550 5.1.1 no)\n550 5.1.1 no",
    # a multi-line reply quoted after "said:", its first line there and the others on lines of their own
    "<a@example.org>: host mx.example.org said: 550-5.7.1 blocked\n550-5.7.1 see\n550 5.7.1 https://example.org",
    "Remote host said: 550-5.1.1 no such user\\n550 5.1.1 try again",
])
def test_one_record_over_several_lines_is_explained_as_one(text):
    e = smtpteach.explain(text)
    assert e.reason != "" and e.as_dict()["reason"] == e.reason


def test_a_log_line_whose_queue_id_starts_with_x_is_a_record_of_its_own():
    # Postfix's long queue ids may start with any letter of their alphabet, "X" too: only a line that starts with a
    # space or a tab continues the line before it
    text = ("3mRyTc5Y5Nz7sXc: to=<a@example.org>, relay=x[192.0.2.1]:25, status=sent (250 2.0.0 Ok)\n"
            "Xk3Zq8Lm1Nz7sYd: to=<b@example.org>, relay=x[192.0.2.1]:25, status=bounced (said: 550 5.1.1 no)")
    with pytest.raises(smtpteach.MixedRecordsError) as info:
        smtpteach.explain(text)
    assert (info.value.line, info.value.kind) == (2, "log")


def test_a_line_that_quotes_two_replies_gives_the_one_after_its_first_mark():
    from smtpteach._records import reply_line

    m = reply_line("host mx.example.org said: 550 5.1.1 no such user (host relay.example.org said: 452 full)")
    assert m is not None and m.group("code") == "550"
    m = reply_line("Remote host said: 452-4.2.2 full; SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 x")
    assert m is not None and m.group("code", "more") == ("452", "-")


def test_the_record_rules_read_word_characters_as_ascii_as_the_browser_does():
    # JavaScript's \w is [A-Za-z0-9_]; Python's, without re.ASCII, takes in every letter ("ß", "é"), and the browser's
    # explainer would then split records where Python does not
    from smtpteach._records import _rules

    assert _rules().log.search("Maßstat=sent") and _rules().log.search("é1rNbX2-0003Zk-1F => a@example.org")
    assert not _rules().log.search("Mastat=sent")


@pytest.mark.parametrize("first, encoding, text", [
    (b"550 5.1.1 no", "utf-8", "550 5.1.1 no"),
    (b"\xef\xbb\xbf550 5.1.1 no", "utf-8-sig", "550 5.1.1 no"),
    (b"\xef\xbb\xbf", "utf-8-sig", ""),  # a file with nothing but its byte order mark
    ("550 5.1.1 no".encode("utf-16"), "utf-16", "550 5.1.1 no"),  # this machine's order, with its mark
    (b"\xff\xfe" + "550".encode("utf-16-le"), "utf-16", "550"),
    (b"\xfe\xff" + "550".encode("utf-16-be"), "utf-16", "550"),
])
def test_the_encoding_of_a_text_is_read_from_its_byte_order_mark(first, encoding, text):
    from smtpteach._records import text_encoding

    assert text_encoding(first) == encoding
    assert first.decode(text_encoding(first)) == text


def test_triage_reads_the_first_of_two_replies_a_log_line_quotes():
    # a line of an application's log with two replies joined by a written-out "\n": one attempt, its first reply
    line = "send failed: host mx.example.org said: 550 5.1.1 user unknown\\n452 4.2.2 mailbox full"
    t = smtpteach.triage([line])
    assert [(r.line, r.basic, r.enhanced, r.reason, r.status) for r in t] == [(1, "550", "5.1.1", "userunknown", "bounced")]
    assert t.summary().records == 1 and t.summary().unrecognised == 0


def test_every_dsn_recipient_field_counts_once_per_record():
    for field, value in [("Original-Recipient", "rfc822; a@example.org"), ("Remote-MTA", "dns; mx.example.org"),
                         ("Last-Attempt-Date", "Thu, 4 Dec 2026 10:00:00 +0000"), ("Action", "delayed"),
                         ("Will-Retry-Until", "Thu, 9 Dec 2026 10:00:00 +0000"), ("Final-Log-ID", "x")]:
        text = f"{field}: {value}\nStatus: 4.4.1\n\n{field.upper()}: {value}"
        with pytest.raises(smtpteach.MixedRecordsError) as info:
            smtpteach.explain(text)
        assert info.value.line == 4, field
    # "Action: junk" and "Status: RO" are not DSN fields
    smtpteach.explain("Action: failed\nStatus: 5.1.1\nAction: junk\nStatus: RO")


def test_cli_explain_of_several_records_is_one_line_and_status_2(capsys, monkeypatch):
    status, out, err = run(["explain", "-"], capsys, ISSUE.encode(), monkeypatch)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("smtpteach: the text holds more than one record: a second log line with a delivery "
                          "status starts on line 2.")
    assert "smtpteach triage FILE" in err


def test_cli_explain_reads_a_bounce_saved_whole_by_its_recipient_block(capsys, monkeypatch):
    from .test_explain_forms import BOB, CAROL, _dsn

    status, out, err = run(["explain", "-"], capsys, _dsn(BOB).encode(), monkeypatch)
    assert status == 0 and err == ""
    assert out.startswith("552 5.2.2: Mailbox full.") and "Reason: Mailbox full (mailboxfull)" in out
    status, out, err = run(["explain", "-", "--lang", "vi"], capsys, _dsn(BOB, CAROL).encode(), monkeypatch)
    assert status == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_the_widget_shows_the_mixed_records_sentence_in_its_language():
    cat = smtpteach.default_catalogue()
    for lang, words in (("en", "a second one starts on line {line}"), ("vi", "bản ghi thứ hai bắt đầu ở dòng {line}")):
        assert words in cat.ui(lang=lang)["triage"]["explain_mixed"]
    js = (Path(smtpteach.__file__).parent / "static" / "explain.js").read_text(encoding="utf-8")
    assert "ui.triage.explain_mixed" in js and 'e.name !== "MixedRecordsError"' in js


# -- each input kind ----------------------------------------------------------------


def test_postfix_log():
    got = rows(str(DATA / "postfix.log"))
    assert got == [
        (3, "postfix", "bob@example.org", "example.org", "550", "5.1.1", "userunknown", "bounced"),
        (4, "postfix", "cam@example.net", "example.net", "452", "4.2.2", "mailboxfull", "deferred"),
        (5, "postfix", "dee@example.com", "example.com", "250", "2.0.0", "delivered", "delivered"),
        (7, "postfix", "cam@example.net", "example.net", None, "4.4.1", "networkerror", "deferred"),
        (8, "postfix", None, None, None, None, "expired", "expired"),
        (9, "postfix", "eve@example.org", "example.org", "554", "5.7.1", "blocked", "bounced"),
    ]
    first = next(iter(smtpteach.triage(str(DATA / "postfix.log"))))
    assert (first.source, first.time, first.queue_id) == (str(DATA / "postfix.log"), "Dec  4 10:00:01", "4F2A31C0D2")
    times = [r.time for r in smtpteach.triage(str(DATA / "postfix.log"))]
    assert times[-1] == "2026-12-04T10:07:00.000000+00:00"  # rsyslog's ISO time, as the log gives it


def test_exim_main_log():
    got = rows(str(DATA / "exim_mainlog"))
    assert got == [
        (2, "exim", "bob@example.org", "example.org", "250", "2.0.0", "delivered", "delivered"),
        (3, "exim", "cid@example.org", "example.org", None, None, "delivered", "delivered"),
        (4, "exim", "cam@example.net", "example.net", "550", "5.1.1", "userunknown", "bounced"),
        (5, "exim", "dee@example.com", "example.com", "452", "4.2.2", "mailboxfull", "deferred"),
    ]
    assert {r.queue_id for r in smtpteach.triage(str(DATA / "exim_mainlog"))} == {"1rNbX2-0003Zk-1F"}


def test_sendmail_log():
    got = rows(str(DATA / "sendmail.log"))
    assert got == [
        (2, "sendmail", "bob@example.org", "example.org", None, "2.0.0", "delivered", "delivered"),
        (3, "sendmail", "cam@example.net", "example.net", None, "5.1.1", "userunknown", "bounced"),
        (4, "sendmail", "dee@example.com", "example.com", None, "4.0.0", "networkerror", "deferred"),
    ]


def test_plain_replies_a_multi_line_reply_and_a_folded_line_are_one_record_each():
    t = smtpteach.triage(str(DATA / "replies.txt"))
    got = list(t)
    assert [(r.line, r.kind, r.basic, r.reason) for r in got] == [
        (1, "reply", "550", "userunknown"), (5, "reply", "452", "mailboxfull"), (6, "reply", "554", "blocked"),
        (10, "reply", "421", "systemerror"),
    ]
    assert got[0].text.count("\n") == 2 and got[2].text.endswith("zen.spamhaus.org (in reply to RCPT TO command)")
    assert t.summary().unrecognised == 1


# Lines of other programs' logs in which explain() finds a number shaped like a code: an HTTP status, a
# package's version (Debian's revisions and epochs, a wheel's name). None is a delivery attempt.
NOT_MAIL = [
    '192.0.2.1 - - [06/Dec/2026:05:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"',
    '192.0.2.1 - - [06/Dec/2026:05:00:01 +0000] "GET /missing HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
    '192.0.2.1 - - [06/Dec/2026:05:00:02 +0000] "POST /api HTTP/1.1" 500 21 "-" "python-requests/2.31.0"',
    "2025-06-24 14:36:31 install libexpat1:amd64 <none> 2.5.0-1+deb12u1",
    "2025-06-24 14:36:35 install less:amd64 <none> 590-2.1~deb12u2",
    "2025-06-24 14:36:44 install liblerc4:amd64 <none> 4.0.0+ds-2",
    "2025-06-24 14:42:06 install xz-utils:amd64 <none> 5.4.1-1",
    "2025-06-24 14:36:37 status installed libassuan0:amd64 2.5.5-5",
    "Install: libldb2:amd64 (2:2.6.2+samba4.17.12+dfsg-0+deb12u1, automatic), libssl3:amd64 (3.0.15-1~deb12u1)",
    "2026-12-06 05:00:02,123 INFO Downloading numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl (16.3 MB)",
    # a client's trace of HTTP, a CGI header, and a label with a number that is no SMTP code
    "< HTTP/1.1 503 Service Unavailable",
    "HTTP/2 502 Bad Gateway",
    "Status: 500 Internal Server Error",
    "Status: 503 Service Unavailable",  # an SMTP code after a label, with its HTTP phrase
    "Response code: 404 page missing",
    "[2026-12-04 10:00:01] production.ERROR: cURL error 451: Unavailable For Legal Reasons",
    # the same, in lines that speak of mail, so that only the number's own shape tells: nginx's phrase with its
    # hyphen, a Debian revision after a version, an epoch before one (also at the line's start)
    "mail server error code: 504 Gateway Time-out",
    "installed xz-utils 5.4.1-1 on the mail relay",
    "upgraded the mail relay to 1:5.2.1 today",
    "1:5.2.1 installed on the mail relay",
]


@pytest.mark.parametrize("line", NOT_MAIL)
def test_a_line_of_another_programs_log_is_no_delivery_attempt(line):
    # explain() reads any text it is given, and finds a code in each of these; triage reads files, and a
    # number with a code's shape proves nothing there
    t = smtpteach.triage([line])
    assert list(t) == [] and t.summary().unrecognised == 1


def test_a_file_of_other_logs_is_said_to_hold_no_delivery_attempt(tmp_path, capsys):
    log = tmp_path / "access.log"
    log.write_text("\n".join(NOT_MAIL) + "\n", encoding="utf-8")
    status, out, err = run(["triage", str(log)], capsys)
    assert status == 1 and "Triage of 0 delivery attempts" in out
    assert f"Unrecognised lines or messages: {len(NOT_MAIL)}" in out
    assert err.strip() == "smtpteach triage: no delivery attempt was recognised"


# Plain lines that are replies, each a real wording of the corpus: the code stands where a reply's stands (whatever
# the words say), or the words speak of mail. Each is one record with the codes explain() finds.
BY_PLACE = [
    ("Recv: 550 Too many failed logins", "550", None),  # a client's transcript
    ("<<< 550 Cannot route to <recipient@example.de>", "550", None),
    ("Error code: 550", "550", None),  # a label, then the code
    ("5.5.2 bad chars in command", None, "5.5.2"),  # an enhanced code at the start
    ("Illegal value in LDAP attribute. (#5.3.5)", None, "5.3.5"),  # qmail's #code
    ("Status: 5.1.1", None, "5.1.1"),  # a DSN's field
    ("host mx1.latinmail.com [198.51.100.140]: 550 <recipient@latinmail.com>: unknown", "550", None),
    ("Remote host said: 550 Can not speak with you", "550", None),
    ("the server answered 550 5.7.1 and hung up", "550", "5.7.1"),  # a reply code and its enhanced code
    # codes of a server's own, which no catalogue holds, at a line's start, in words that do not speak of mail
    ("400 defer", "400", None),  # ietf-smtp-forum
    ("505 Eh? WTF was that?", "505", None),  # fuglu-src
    ("427 Socks Connect to UNREACHABLE host", "427", None),  # aliyun-help
    ("failed with (554, b'Transaction failed')", "554", None),  # smtplib's exception
]
BY_WORDS = [
    ("ERROR:5.7.1:550 Mail Refused - IP_ADDRESS - See", None, "5.7.1"),
    ("Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 The email account that you tried to reach does not exist.",
     "550", "5.1.1"),
    ("could not send, 421 Service not available", "421", None),  # a rule's phrase
    ("delivery to ops failed 4.4.1", None, "4.4.1"),  # "delivery" is about mail
    ("SMTPDataError, 554", "554", None),  # smtplib's exceptions and the like
    ("Temporary error 249 (temporary MX resolution error) resolving .gmail.com", "249", None),  # namelessmc-issues
    # HTTP's words in an SMTP server's mouth, at a line's start: a reply (anyevent-smtp-src, lumisoft-src)
    ("500 Internal Server Error", "500", None),
]


def test_postfix_lines_with_no_syslog_part_are_read_as_postfix_lines():
    # the corpus's Postfix lines with no time, host or program (journalctl -o cat, or a line cut out of a log): a
    # delivery line is a record, read by Postfix's rules (its queue id, recipient and status); a refusal of incoming
    # mail (NOQUEUE: reject, milter-reject) and an address probe are none
    from smtpteach._triage._lines import _POSTFIX_BARE

    from ._corpus import load

    bare = sorted({row.text for row in load()[1] if "\n" not in row.text and _POSTFIX_BARE.match(row.text)})
    records = {r.line: r for r in smtpteach.triage([x for line in bare for x in (line, "")])}
    delivery = re.compile(r"status=(sent|bounced|deferred|expired)\b")
    for number, line in enumerate(bare):
        r = records.get(2 * number + 1)
        if delivery.search(line):
            assert r is not None and r.kind == "postfix" and r.queue_id == line.split(":", 1)[0], line
        else:
            assert r is None, line
    assert len(bare) > 40 and sum(map(bool, map(delivery.search, bare))) > 20


def test_every_real_reply_of_one_line_with_a_code_is_a_record():
    """The other side of NOT_MAIL: each one-line text of the corpus (real replies and log lines from public sources)
    in which explain() finds a code is a delivery attempt when triage reads it in a file of lines. (Mail programs'
    own log lines are read by their own rules, which count a server's rejections of incoming mail as no attempt of
    ours; a line alone here, each after a blank line, as a multi-line reply's first line would take the next in.)"""
    from smtpteach._triage._lines import _POSTFIX_BARE, _SYSLOG
    from smtpteach._triage._mta_lines import _EXIM

    from ._corpus import load

    lines = sorted({row.text for row in load()[1] if "\n" not in row.text and row.text == row.text.strip()
                    and not _SYSLOG.match(row.text) and not (_EXIM.match(row.text) and _EXIM.match(row.text).group("time"))
                    and not _POSTFIX_BARE.match(row.text)})
    coded = [line for line in lines if smtpteach.explain(line).basic or smtpteach.explain(line).enhanced]
    # ... but a step of the dialogue (a login taken, a greeting, a goodbye that names no failure): none in the corpus
    # but these
    steps = [line for line in coded if line.startswith(("235 ", "221 The session"))]
    assert steps == ["221 The session has be cancelled.", "235 Authentication successful"]
    coded = [line for line in coded if line not in steps]
    assert not [r for r in smtpteach.triage(steps)]
    seen = {r.line for r in smtpteach.triage([x for line in coded for x in (line, "")])}
    missed = [line for number, line in enumerate(coded) if 2 * number + 1 not in seen]
    assert len(coded) > 3000 and missed == [
        '"response": "250 OK id=1wsEXP-0000000EQNJ-366w",',  # a JSON log's field, with a success in it
        # Courier's log without its syslog part, a code of its own and no word of mail
        "error,relay=::ffff:192.0.2.124,from=<sender@example.org>: 517 Invalid domain, see <URL:ftp://ftp.isi.edu/in-notes/rfc1035.txt>",
    ], missed


@pytest.mark.parametrize(("line", "basic", "enhanced", "words"),
                         [(*row, False) for row in BY_PLACE] + [(*row, True) for row in BY_WORDS])
def test_a_plain_line_that_is_a_reply_is_one_record(line, basic, enhanced, words):
    assert speaks_of_mail(line) is words  # each line is read for one of the two signs, not for both
    got = list(smtpteach.triage([line]))
    assert [(r.kind, r.basic, r.enhanced) for r in got] == [("reply", basic, enhanced)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_file_with_a_byte_order_mark(tmp_path, encoding):
    # as a Windows tool exports a log: the first line is read as a reply, not as a mark and a reply
    path = tmp_path / "replies.txt"
    path.write_bytes("550 5.1.1 Hộp thư không tồn tại\r\n452 4.2.2 Mailbox full\r\n".encode(encoding))
    assert [(r.line, r.basic, r.enhanced, r.reason) for r in smtpteach.triage(str(path))] == [
        (1, "550", "5.1.1", "userunknown"), (2, "452", "4.2.2", "mailboxfull")]


@pytest.mark.parametrize(("top", "error"), [(0, smtpteach.InvalidArgumentError), (-1, smtpteach.InvalidArgumentError),
                                            ("a", smtpteach.InvalidTypeError), (True, smtpteach.InvalidTypeError)])
def test_the_number_of_domains_shown_is_at_least_one(top, error):
    summary = smtpteach.triage(["550 5.1.1 no such user"]).summary()
    for show in (summary.top_domains, lambda n: summary.to_text(top=n), lambda n: summary.to_html(top=n),
                 lambda n: summary.as_dict(top=n)):
        with pytest.raises(error, match=re.escape(f"a whole number of at least 1, not {top!r}")):
            show(top)


def test_a_dsn_gives_one_record_per_recipient_block():
    got = list(smtpteach.triage(str(DATA / "two-recipients.eml")))
    assert [(r.kind, r.line, r.recipient, r.domain, r.basic, r.enhanced, r.reason, r.status) for r in got] == [
        ("dsn", 1, "bob@example.org", "example.org", "550", "5.1.1", "userunknown", "bounced"),
        ("dsn", 1, "cam@example.net", "example.net", "552", "5.2.2", "mailboxfull", "bounced"),
    ]
    # the queue id of the per-message fields; the time of the attempt, or else of the arrival (RFC 3464 §2.2.5, §2.3.7)
    assert [(r.queue_id, r.time) for r in got] == [("4F2A31C0D2", "Thu,  4 Dec 2026 09:59:59 +0000 (UTC)"),
                                                   ("4F2A31C0D2", "Thu,  4 Dec 2026 10:00:02 +0000 (UTC)")]
    # the folded Diagnostic-Code is one line of the text explained, with the Action and the Status
    assert got[0].text == ("Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550-5.1.1 The email account that you "
                           "tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email "
                           "address for typos 550 5.1.1 or unnecessary spaces.")
    delayed = list(smtpteach.triage(str(DATA / "delayed.eml")))
    assert [(r.status, r.permanent, r.reason, r.retry) for r in delayed] == [("deferred", False, "networkerror", "retry")]


def test_a_message_that_is_no_dsn_is_unrecognised():
    t = smtpteach.triage(str(DATA / "not-a-bounce.eml"))
    assert list(t) == [] and t.summary().unrecognised == 1


def _messages() -> list[bytes]:
    return [(DATA / n).read_bytes() for n in ("two-recipients.eml", "delayed.eml", "not-a-bounce.eml")]


def test_a_maildir_and_a_folder_of_messages(tmp_path):
    md = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (md / sub).mkdir(parents=True)
    a, b, c = _messages()
    (md / "cur" / "1733306403.M1P1.mx:2,S").write_bytes(a)
    (md / "new" / "1733320800.M2P1.mx").write_bytes(b)
    (md / "tmp" / "1733320801.M3P1.mx").write_bytes(b)  # a message still being written: not read
    got = list(smtpteach.triage(str(md)))
    assert [(Path(r.source).parent.name, r.recipient) for r in got] == [
        ("cur", "bob@example.org"), ("cur", "cam@example.net"), ("new", "dee@example.com")]
    folder = tmp_path / "bounces"
    folder.mkdir()
    for i, body in enumerate((a, c, b)):
        (folder / f"{i}.eml").write_bytes(body)
    t = smtpteach.triage(folder)
    assert [r.recipient for r in t] == ["bob@example.org", "cam@example.net", "dee@example.com"]
    assert t.summary().unrecognised == 1


def _mbox(messages: list[bytes]) -> bytes:
    out = b""
    for m in messages:
        body = re.sub(rb"(?m)^From ", b">From ", m)
        out += b"From MAILER-DAEMON Thu Dec  4 10:00:03 2026\n" + body + (b"" if body.endswith(b"\n") else b"\n") + b"\n"
    return out


def test_an_mbox_plain_and_gzipped(tmp_path):
    box = _mbox(_messages())
    (tmp_path / "mbox").write_bytes(box)
    (tmp_path / "mbox.gz").write_bytes(gzip.compress(box))
    for name in ("mbox", "mbox.gz"):
        t = smtpteach.triage(str(tmp_path / name))
        assert [(r.line, r.recipient) for r in t] == [(1, "bob@example.org"), (1, "cam@example.net"), (2, "dee@example.com")]
        assert t.summary().unrecognised == 1  # message 3 is no bounce


def test_gzip_is_known_by_its_magic_bytes_not_its_name(tmp_path):
    text = (DATA / "postfix.log").read_bytes()
    (tmp_path / "maillog.1").write_bytes(gzip.compress(text))  # logrotate without a .gz name
    (tmp_path / "plain.gz").write_bytes(text)  # a .gz name on a plain file
    want = rows(str(DATA / "postfix.log"))
    assert rows(str(tmp_path / "maillog.1")) == want
    assert rows(str(tmp_path / "plain.gz")) == want


def test_the_projects_samples_are_read_whole():
    """The sample log and folder of bounces that ship for the lesson (smtpteach/data/samples)."""
    if not (SAMPLES / "mail.log").exists():
        pytest.skip("the samples are not there yet")
    log = (SAMPLES / "mail.log").read_text(encoding="utf-8")
    t = smtpteach.triage(str(SAMPLES / "mail.log"))
    assert t.summary().records == log.count("status=") and t.summary().unrecognised == 0
    bounces = sorted((SAMPLES / "bounces").glob("*.eml"))
    t = smtpteach.triage(str(SAMPLES / "bounces"))
    recipients = sum(len(re.findall(rb"(?im)^final-recipient:", p.read_bytes())) for p in bounces)
    assert t.summary().records == recipients


# -- no record lost or doubled -------------------------------------------------------


def _status_lines(path: Path) -> int:
    """The delivery attempts in a file, counted without the package: Postfix's status= and Sendmail's
    stat= fields, Exim's flags of an attempt, a DSN's Final-Recipient fields."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", "replace")
    return (len(re.findall(r"(?m)^[^\n]*(?<![\w.-])stat(?:us)?=", text)) + len(EXIM_FLAG.findall(text))
            + len(re.findall(r"(?im)^final-recipient:", text)))


def test_the_attempts_are_the_status_lines_and_the_dsn_recipients(tmp_path):
    files = [DATA / n for n in ("postfix.log", "exim_mainlog", "sendmail.log", "two-recipients.eml", "delayed.eml")]
    big = tmp_path / "all.log.gz"
    big.write_bytes(gzip.compress(b"".join((DATA / n).read_bytes() for n in ("postfix.log", "exim_mainlog", "sendmail.log"))))
    files.append(big)
    box = tmp_path / "mbox"
    box.write_bytes(_mbox(_messages()))
    files.append(box)
    t = smtpteach.triage([str(p) for p in files])
    got = list(t)
    want = sum(_status_lines(p) for p in files)
    assert want == 6 + 4 + 3 + 2 + 1 + 13 + 3
    # but for bob's failure, which postfix.log (twice: all.log.gz holds it again) and the DSN two-recipients.eml (twice:
    # the mbox holds it again) each tell: each log's telling pairs with a DSN's, and is counted once
    assert len(got) == want - 2 == t.summary().records
    assert t.summary().notes == ["2 failures were told both by a Postfix log and by a bounce that Postfix sent about "
                                 "them (the same queue ID and recipient): each was counted once, as the one read first "
                                 "tells it"]
    # each attempt once: no two records read from the same place for the same recipient
    keys = [(r.source, r.line, r.recipient) for r in got]
    assert len(set(keys)) == len(keys)


def test_the_replies_file_counts_its_final_reply_lines():
    lines = (DATA / "replies.txt").read_text().splitlines()
    finals = sum(1 for line in lines if re.match(r"[2-5][0-9][0-9] ", line))
    folded = sum(1 for line in lines if re.match(r"<[^>]+>: host .* said: [2-5][0-9][0-9] ", line))
    assert len(list(smtpteach.triage(lines))) == finals + folded == 4


# -- the API -----------------------------------------------------------------------------


def test_record_is_the_documented_frozen_dataclass():
    assert FIELDS == ("source", "line", "kind", "host", "time", "timestamp", "queue_id", "sender", "recipient", "domain", "relay",
                      "basic", "enhanced", "reason", "permanent", "retry", "actor", "note", "status", "text")
    r = next(iter(smtpteach.triage(["550 5.1.1 no such user"])))
    with pytest.raises(AttributeError):
        r.reason = "x"  # type: ignore[misc]
    assert list(r.as_dict()) == list(FIELDS) and r.as_dict()["source"] == "-"


def test_every_record_carries_what_explain_gives_for_its_text():
    # ... but for the retry advice, which depends on what became of the message too (_base._situated): a message its
    # source says was given up for good on a reply with no class gets the advice of a permanent failure of its reason;
    # one given up (bounced, expired) is not retried by anyone, so explain()'s "retry later" for its last reply's class
    # becomes "fix the cause, then retry"; one kept in the queue on a reply that says "do not retry" (soft_bounce) is
    # retried, and fails again until its cause is fixed. (Who acts on an expiry is its cause's: tested apart.)
    from smtpteach._explain import _load_rules

    advice = _load_rules().reasons
    for path in sorted(DATA.iterdir()):
        for r in smtpteach.triage(str(path)):
            want = smtpteach.explain(r.text).as_dict()
            if r.status == "bounced" and want["permanent"] is None and want["reason"] != "undefined":
                want["retry"] = advice[want["reason"]]["permanent"]
            if r.status in ("bounced", "expired") and want["retry"] == "retry" or \
                    r.status == "deferred" and want["retry"] == "dont-retry":
                want["retry"] = "fix-then-retry"
            if r.status == "expired":
                want["actor"] = r.actor
            assert (r.basic, r.enhanced, r.permanent, r.reason, r.retry, r.actor, r.note) == tuple(
                want[k] for k in ("basic", "enhanced", "permanent", "reason", "retry", "actor", "note")), (path.name, r.line)


def test_iterating_twice_reads_the_source_again_but_a_one_shot_iterator_once():
    t = smtpteach.triage(str(DATA / "postfix.log"))
    assert [r.line for r in t] == [r.line for r in t] == [3, 4, 5, 7, 8, 9]
    lines = ["550 5.1.1 a", "452 4.2.2 b"]
    t = smtpteach.triage(lines)
    assert len(list(t)) == len(list(t)) == 2
    once = smtpteach.triage(iter(lines))
    assert len(list(once)) == 2
    with pytest.raises(smtpteach.InvalidArgumentError, match="one-shot iterator of lines, and it has been read"):
        list(once)
    # the summary of a one-shot iterator that was read is the one counted while reading
    assert once.summary().records == 2


def test_lines_holding_line_breaks_and_paths_or_lines():
    assert [r.line for r in smtpteach.triage(["550 5.1.1 a\n452 4.2.2 b\n"])] == [1, 2]
    with pytest.raises(smtpteach.InvalidTypeError, match="not int"):
        smtpteach.triage(42)
    with pytest.raises(smtpteach.InvalidTypeError, match="not bytes"):
        smtpteach.triage(b"550 x")
    with pytest.raises(smtpteach.InvalidArgumentError, match="unknown language 'fr'"):
        smtpteach.triage(["550 x"], lang="fr")


def test_the_summary_counts_reasons_statuses_and_domains_exactly():
    s = smtpteach.triage([str(DATA / "postfix.log"), str(DATA / "exim_mainlog")]).summary()
    assert s.records == 10 and s.failing == 7
    assert s.by_status == {"delivered": 3, "deferred": 3, "bounced": 3, "expired": 1}
    assert ("userunknown", "dont-retry", "sender", 2, None) in s.reasons()
    assert s.reason_totals()[0] == ("delivered", 3)
    top = s.top_domains(5)
    assert "delivered" not in top
    assert top["mailboxfull"] == [("example.com", 1), ("example.net", 1)]
    assert top["expired"] == [("", 1)]  # Postfix's "status=expired" line names no recipient
    assert s.other_lines == 5 + 3  # connect, qmgr, bounce, removed, disconnect, and Exim's <=, Completed, <=
    assert s.as_dict()["statuses"]["delivered"] == 3


def test_to_pandas_with_pandas_and_without(monkeypatch):
    pandas = pytest.importorskip("pandas")
    df = smtpteach.triage(str(DATA / "postfix.log")).to_pandas()
    assert isinstance(df, pandas.DataFrame)
    assert list(df.columns) == list(FIELDS) and len(df) == 6
    assert df["reason"].value_counts()["userunknown"] == 1
    monkeypatch.setitem(sys.modules, "pandas", None)  # "import pandas" now raises ImportError
    with pytest.raises(ImportError, match=r"^Triage.to_pandas\(\) needs pandas, an optional extra: "
                                          r"pip install 'smtpteach\[pandas\]'$"):
        smtpteach.triage(str(DATA / "postfix.log")).to_pandas()
    # an empty triage still has its columns
    monkeypatch.delitem(sys.modules, "pandas")
    empty = smtpteach.triage([]).to_pandas()
    assert list(empty.columns) == list(FIELDS) and len(empty) == 0


def test_plot_draws_one_bar_per_reason():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    s = smtpteach.triage(str(DATA / "postfix.log")).summary()
    ax = Figure().add_subplot()
    assert s.plot(ax=ax) is ax
    assert [round(p.get_width()) for p in ax.patches] == [n for _, _, n in s.family_totals()][::-1]
    # the most frequent reason on top; ties in name order, so "blocked" (each reason here is one attempt)
    assert s.reason_totals()[0] == ("blocked", 1)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "Sending host blocked (blocked)"
    assert ax.get_xlabel() == "Attempts"
    # the same chart as the SVG one: its title, a colour for deliveries and one for failures, each count at its bar
    ui = smtpteach.default_catalogue().ui(lang="en")["triage"]
    assert ax.get_title() == ui["chart_title"]
    from matplotlib.colors import to_hex

    delivered = [r == "delivered" for r, _, _ in s.family_totals()][::-1]
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == ["#4c9a52" if d else "#c4512d" for d in delivered]
    labels = [t for t in ax.texts]
    assert [t.get_text() for t in labels] == [str(round(p.get_width())) for p in ax.patches]
    assert {t.xyann for t in labels} == {(3, 0)}  # 3 points after the bar's end, as the SVG's 3 units
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible() and ax.spines["left"].get_visible()
    assert ax.margins()[0] == pytest.approx(0.12)
    # a figure of its own when no Axes is given: one bar's height a reason, and the layout that keeps the labels in
    own = s.plot()
    width, height = own.figure.get_size_inches()
    assert (width, round(height, 2)) == (7, round(0.45 * max(len(s.by_reason), 2) + 1.2, 2))
    assert own.figure.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
    import matplotlib.pyplot as plt

    plt.close(own.figure)


# -- the command line ---------------------------------------------------------------


def test_cli_table_in_english_and_vietnamese(capsys):
    status, out, err = run(["triage", str(DATA / "postfix.log"), str(DATA / "replies.txt")], capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Triage of 10 delivery attempts"
    assert lines[1] == "By status: bounced 4, deferred 4, delivered 1, expired 1"
    assert re.search(r"^Recipient unknown \(userunknown\) +2  do not retry +the sender$", out, re.M)
    assert re.search(r"^Mailbox full \(mailboxfull\) +2  retry later +the recipient$", out, re.M)
    assert "Top receiving domains for each failing reason" in out
    assert "Unrecognised lines or messages: 1" in out
    assert "Log lines that report no delivery attempt: 5" in out
    status, out, err = run(["triage", str(DATA / "postfix.log"), "--lang", "vi"], capsys)
    assert status == 0
    assert out.startswith("Phân loại 6 lần thử chuyển phát\nTheo trạng thái: ")
    assert "Số lần thử theo nguyên nhân" in out and "Ai cần xử lý" in out
    assert re.search(r"^Người nhận không tồn tại \(userunknown\) +1  không gửi lại +người gửi$", out, re.M)
    assert "Dòng hoặc thư không nhận dạng được: 0" in out
    assert "Triage of" not in out and "Unrecognised" not in out


def test_cli_jsonl_streams_one_record_a_line(capsys):
    status, out, err = run(["triage", "--format", "jsonl", str(DATA / "two-recipients.eml"), str(DATA / "sendmail.log")], capsys)
    assert status == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["recipient"] for r in records] == ["bob@example.org", "cam@example.net", "bob@example.org",
                                                 "cam@example.net", "dee@example.com"]
    assert all(list(r) == list(FIELDS) for r in records)
    assert records[1]["permanent"] is True and records[2]["basic"] is None


def test_cli_jsonl_writes_each_record_before_reading_the_next(monkeypatch, capsys):
    """Streaming: the first record is on standard output while the input is still being read (a record
    is written once the next line shows that it is not continued)."""
    seen = []

    def lines():
        yield "550 5.1.1 first\n"
        yield "452 4.2.2 second\n"
        seen.append(capsys.readouterr().out)
        yield "421 4.7.0 third\n"

    monkeypatch.setattr(smtpteach._triage._sources._Reader, "path", lambda self, path: self.lines.read(lines(), "-"))
    status = cli.main(["triage", "--format", "jsonl", "x.log"])
    assert status == 0
    assert [json.loads(line)["basic"] for line in seen[0].splitlines()] == ["550"]
    assert [json.loads(line)["basic"] for line in capsys.readouterr().out.splitlines()] == ["452", "421"]


def test_cli_csv(capsys):
    status, out, _ = run(["triage", "--format", "csv", str(DATA / "replies.txt")], capsys)
    assert status == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert list(table[0]) == list(FIELDS) and len(table) == 4
    assert table[0]["text"].count("\n") == 2  # a multi-line reply stays one quoted cell
    assert [t["permanent"] for t in table] == ["true", "false", "true", "false"]


@pytest.mark.parametrize("name", ["no such.log", "two\nlines.log", "tab\there.log"])
def test_cli_a_missing_file_whose_name_holds_white_space_is_an_input_that_cannot_be_read(tmp_path, capsys, name):
    # every argument of the command line is a path: triage() reads a list of strings with white space in them as lines
    # of a log, and a missing "no such.log" was one unrecognised line, with status 1
    missing = tmp_path / name
    status, out, err = run(["triage", str(missing)], capsys)
    assert status == 2
    assert "Inputs that could not be read: 1" in out and "Unrecognised lines or messages: 0" in out
    # and one line on stderr for each, a line break in the name said as a space
    shown = str(missing).replace("\n", " ")
    assert err.splitlines() == [f"smtpteach triage: {shown}: cannot read it: No such file or directory"]


def test_cli_html_is_escaped_and_self_contained(tmp_path, capsys):
    log = tmp_path / "odd.log"
    log.write_text('Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@"x&y"<b>.example>, relay=none, status=bounced '
                   "(host said: 550 5.1.1 no)\n", encoding="utf-8")
    missing = tmp_path / "<i>missing</i>.log"
    status, out, err = run(["triage", "--format", "html", str(log), str(missing)], capsys)
    # as grep: the readable input is reported, and the status says that one could not be read
    assert status == 2
    assert err.splitlines() == [f"smtpteach triage: {missing}: cannot read it: No such file or directory"]
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "&quot;x&amp;y&quot;&lt;b" in out and '"x&y"' not in out
    assert "&lt;i&gt;missing&lt;/i&gt;.log" in out and "<i>" not in out
    assert out.count("<svg") == 1 and "<script" not in out.lower()
    # nothing that a browser would fetch: no src or href attribute but the empty icon (which keeps a browser
    # from asking for /favicon.ico), no url() or @import
    assert out.count('<link rel="icon" href="data:,">') == 1
    assert not re.search(r"""\s(?:src|href)\s*=(?!"data:,">)|url\((?!#)|@import|<!DOCTYPE svg""", out)
    assert all(ref.startswith("#") for ref in re.findall(r'xlink:href="([^"]*)"', out))  # the chart's own references


def test_the_chart_counts_greylisting_apart_from_blocks():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    log = [
        "450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.example.html",
        "450 4.2.0 <c@b.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.example.html",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    ]
    s = smtpteach.triage(log).summary()
    assert s.reason_totals() == [("blocked", 3)]  # one reason, as Sisimai names it
    assert s.family_totals() == [("blocked", "greylisting", 2), ("blocked", None, 1)]
    ax = s.plot(ax=Figure().add_subplot())
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert labels == ["Greylisted (blocked)", "Sending host blocked (blocked)"]
    assert [round(p.get_width()) for p in ax.patches][::-1] == [2, 1]
    vi = smtpteach.triage(log, lang="vi").summary().svg()
    assert ">Bị greylisting (blocked)</text>" in vi


def test_chart_svg_is_named_scoped_text_and_drawn_without_matplotlib():
    summary = smtpteach.triage(str(DATA / "postfix.log"), lang="vi").summary()
    chart = summary.svg()
    # named for screen readers by the chart's title, in the triage's language
    assert chart.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="540pt" ')
    assert 'class="smtpteach-triage-chart" role="img" aria-label="Số lần thử chuyển phát theo nguyên nhân" ' in chart.split(">")[0]
    # its style sheet reaches only the picture, never the page around it
    assert ".smtpteach-triage-chart *{" in chart and "<style type=\"text/css\">*{" not in chart
    # text stays text: each reason's label is in the picture as words, not outlines
    ui = smtpteach.default_catalogue().ui(lang="vi")
    for reason, _ in summary.reason_totals():
        assert f">{ui['reasons'][reason]['name']} ({reason})</text>" in chart, reason
    # the report shows this very picture
    assert chart in summary.to_html()
    # drawn by the package itself: no plotting library is loaded, so the chart draws in Pyodide too,
    # and a fresh process with another hash seed draws the same bytes
    code = ("import sys, smtpteach\n"
            f"chart = smtpteach.triage({str(DATA / 'postfix.log')!r}, lang='vi').summary().svg()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'numpy', 'PIL'}))\n"
            "sys.stdout.write(chart)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "7"})
    loaded, again = done.stdout.split("\n", 1)
    assert (loaded, again) == ("[]", chart)


def test_html_report_is_the_same_for_the_same_input():
    s1 = smtpteach.triage(str(DATA / "postfix.log")).summary()
    s2 = smtpteach.triage(str(DATA / "postfix.log")).summary()
    a, b = s1.to_html(), s2.to_html()
    assert a == b
    assert "<dc:date>" not in a and "Matplotlib" not in a
    assert '<html lang="en">' in a and "<h1>Triage of 6 delivery attempts</h1>" in a
    vi = smtpteach.triage(str(DATA / "postfix.log"), lang="vi").summary().to_html()
    assert '<html lang="vi">' in vi and "<h1>Phân loại 6 lần thử chuyển phát</h1>" in vi


def test_cli_bad_files_are_named_and_the_others_still_read(tmp_path, capsys):
    bad = tmp_path / "broken.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    cut = tmp_path / "cut.log.gz"
    cut.write_bytes(gzip.compress((DATA / "postfix.log").read_bytes())[:-30])  # truncated: the end is missing
    status, out, err = run(["triage", "--format", "jsonl", str(bad), str(DATA / "sendmail.log"), str(cut),
                            str(tmp_path / "nowhere.log")], capsys)
    assert status == 2  # as grep: some input could not be read, whatever the others held
    *problems, last = err.splitlines()
    assert last == "smtpteach triage: 3 inputs could not be read (named above)"
    assert [p.split(": ")[1] for p in problems] == [str(bad), str(cut), str(tmp_path / "nowhere.log")]
    assert all(p.startswith("smtpteach triage: ") for p in problems)
    assert "a bad gzip file" in problems[0] and "a bad gzip file" in problems[1] and "Traceback" not in err
    assert len(out.splitlines()) >= 3  # sendmail.log's three attempts, and those read before the cut
    assert sum(json.loads(line)["source"] == str(DATA / "sendmail.log") for line in out.splitlines()) == 3


def test_cli_show_unrecognised(capsys):
    status, out, err = run(["triage", "--show-unrecognised", "--format", "jsonl", str(DATA / "replies.txt"),
                            str(DATA / "not-a-bounce.eml")], capsys)
    assert status == 0
    assert err.splitlines() == [
        f"{DATA / 'replies.txt'}:9: unrecognised: this line is not a reply",
        f"{DATA / 'not-a-bounce.eml'}:1: unrecognised: not a delivery status notification (RFC 3464): text/plain, "
        "Subject: Lunch?",
    ]
    status, out, err = run(["triage", "--format", "jsonl", str(DATA / "replies.txt")], capsys)
    assert status == 0 and err == "" and len(out.splitlines()) == 4


def test_cli_exit_status(capsys, monkeypatch, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("nothing here\nat all\n")
    status, out, err = run(["triage", str(junk)], capsys)
    assert status == 1 and err == "smtpteach triage: no delivery attempt was recognised\n"
    assert "No delivery attempt was recognised." in out
    for argv, message in [(["triage", "--format", "xml", "x"], "invalid choice: 'xml'"),
                          (["triage", "--top", "0", "x"], "it must be at least 1"),
                          (["triage", "-", "-"], "'-' (standard input) can be read once only"),
                          (["triage", "x", "--lang", "fr"], "invalid choice: 'fr'")]:
        status, out, err = run(argv, capsys)
        assert status == 2 and out == "" and err.count("\n") == 1 and message in err, argv
    status, out, err = run(["triage", "-", "--format", "jsonl"], capsys, ISSUE.encode(), monkeypatch)
    assert status == 0 and [json.loads(x)["queue_id"] for x in out.splitlines()] == ["A1", "B2"]


def test_cli_top_limits_the_domains(capsys, tmp_path):
    log = tmp_path / "many.log"
    lines = [f"Dec  4 10:00:0{i} mx postfix/smtp[1]: Q{i}: to=<u{i}@d{i % 3}.example>, relay=none, status=bounced "
             f"(host said: 550 5.1.1 no such user)" for i in range(7)]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, _ = run(["triage", str(log), "--top", "2"], capsys)
    assert status == 0
    block = out.split("Recipient unknown (userunknown)\n", 2)[-1].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in block] == ["d0.example", "d1.example"]
    assert block[0].split()[1] == "3"


def test_cli_reference_pages_list_triage():
    root = Path(__file__).parent.parent / "docs"
    for page, words in (("reference/cli.md", "smtpteach triage [FILE ...]"), ("vi/reference/cli.md", "smtpteach triage [FILE ...]")):
        assert words in (root / page).read_text(encoding="utf-8"), page


# -- progress, memory ---------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_only_on_a_terminal_for_a_big_file_and_never_in_ci(tmp_path, monkeypatch):
    from benchmarks.triage import write_postfix_log

    big = tmp_path / "big.log"
    write_postfix_log(big, 30_000)
    assert big.stat().st_size > PROGRESS_BYTES
    small = DATA / "postfix.log"
    monkeypatch.delenv("CI", raising=False)
    for path, terminal, ci, shown in [(big, True, None, True), (big, False, None, False), (small, True, None, False),
                                      (big, True, "true", False)]:
        err = _Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        if ci:
            monkeypatch.setenv("CI", ci)
        n = sum(1 for _ in smtpteach.triage(str(path)))
        monkeypatch.delenv("CI", raising=False)
        assert n > 0
        assert ("big.log" in err.getvalue() and "B/s" in err.getvalue()) is shown, (path.name, terminal, ci)


def _peak(path: Path) -> tuple[int, int]:
    """The peak of memory allocated while a log is triaged and summed up, and the attempts counted."""
    tracemalloc.start()
    try:
        records = smtpteach.triage(str(path)).summary().records
        return tracemalloc.get_traced_memory()[1], records
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_whatever_the_size_of_the_log(tmp_path, monkeypatch):
    from benchmarks.triage import write_postfix_log
    from smtpteach._triage import _summary

    small, large = tmp_path / "6k.log", tmp_path / "25k.log"
    write_postfix_log(small, 6_250)
    attempts = write_postfix_log(large, 25_000)
    # the rules and the catalogue, loaded once for all, and the caches a log fills to their size (the relay forms'
    # and the times'), whatever tests ran before this one
    pending = smtpteach.triage(str(large)).summary().outcomes["pending"]
    # the recipients still pending are remembered, up to PENDING_RECIPIENTS: the generated log never tells what became
    # of its deferred recipients, a quarter of them, so that below the bound they add up (some 150 bytes each as they come;
    # 10 MB at the bound, with the room the dict keeps for more)
    (p_open, _) = _peak(large)
    assert pending > 2_500
    monkeypatch.setattr(_summary, "PENDING_RECIPIENTS", 256)  # ... and past the bound, memory is flat
    # so are the senders of each failing reason, the generated log's 977 accounts, some 150 bytes each below their
    # bound (SENDERS_PER_REASON: 1,000 a reason, 150 KB; its own test measures it), which its six failing reasons
    # fill by the end of the large log and not of the small one
    (p_senders, _) = _peak(large)
    monkeypatch.setattr(_summary, "SENDERS_PER_REASON", 64)
    monkeypatch.setattr(_summary, "RELAYS_PER_REASON", 64)
    (p_small, _), (p_large, records) = _peak(small), _peak(large)
    assert 0 < p_senders - p_large < 6 * 977 * 200, (p_senders, p_large)
    assert records == attempts
    assert p_open - p_senders < 200 * pending, (p_open, p_senders, pending)
    assert p_large < 2**20, p_large  # under 1 MiB for a 25,000-line log (about 5 MB of text)
    # four times the input, not four times the memory: a record kept per attempt, even 10 bytes of it, would
    # add 190 KB here, three times the slack (a peak of about 350 KB, of which 256 KB are the places of the recipients
    # whose outcome is final, _summary.FINAL_PLACES, plus 64 KB)
    assert p_large < p_small + 64 * 1024, (p_small, p_large)


# -- the HTML report in a browser --------------------------------------------------------


def test_the_html_report_in_chromium_makes_no_offsite_request(browser, tmp_path, capsys):
    status, out, _ = run(["triage", "--format", "html", str(DATA / "postfix.log"), str(DATA / "two-recipients.eml")], capsys)
    assert status == 0
    site = tmp_path / "site"
    site.mkdir()
    (site / "report.html").write_text(out, encoding="utf-8")
    before = len(browser.offsite), len(browser.errors)
    with serve(site) as base:
        page = browser.page()
        page.goto(base + "report.html", wait_until="load")
        title = page.title()
        bars = page.locator("figure svg").count()
        reasons = page.locator("tr[data-reason]").evaluate_all("rows => rows.map(r => r.dataset.reason)")
        width = page.locator("figure svg").first.bounding_box()["width"]
        page.context.close()
    assert (len(browser.offsite), len(browser.errors)) == before, (browser.offsite, browser.errors)
    assert title == "smtpteach triage: 7 delivery attempts"  # bob's failure, in the log and in the DSN, counted once
    assert bars == 1 and width > 200
    assert set(reasons) == {"userunknown", "mailboxfull", "delivered", "networkerror", "expired", "blocked"}
    assert len(reasons) == 7  # mailboxfull twice: retry later (452), and fix the cause first (552)


def test_the_console_script_runs_triage(tmp_path):
    exe = shutil.which("smtpteach", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the smtpteach script is not installed next to this Python")
    proc = subprocess.run([exe, "triage", "--format", "jsonl", "-"], input=ISSUE, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 2 and proc.stderr == ""


def test_the_explain_widget_says_where_the_second_record_starts(browser, tmp_path):
    """The browser's explainer (static/core.js in the ExplainWidget) refuses what explain() refuses, in the
    widget's language, and explains one record as before."""
    pytest.importorskip("anywidget")
    from smtpteach.widgets import ExplainWidget

    site = tmp_path / "site"
    site.mkdir()
    found = {}
    for lang in ("en", "vi"):
        w = ExplainWidget(ISSUE, lang=lang)
        (site / f"explain-{lang}.mjs").write_text(w._esm, encoding="utf-8")
        state = {"text": w.text, "_data": w._data, "_uid": w._uid, "lang": lang}
        (site / f"{lang}.html").write_text(
            '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><div id="root"></div>'
            '<script type="module">\n'
            f'import mod from "./explain-{lang}.mjs";\n'
            f"const state = {json.dumps(state)};\n"
            "const handlers = {};\n"
            "const model = { get: (k) => state[k], set: (k, v) => { state[k] = v; },\n"
            "  on: (e, f) => { (handlers[e] = handlers[e] || []).push(f); }, off: () => {}, save_changes: () => {} };\n"
            'mod.render({ model, el: document.getElementById("root") });\n'
            "window.setText = (t) => { state.text = t; (handlers['change:text'] || []).forEach((f) => f()); };\n"
            "window.ready = true;\n</script></body></html>", encoding="utf-8")
    before = len(browser.offsite), len(browser.errors)
    with serve(site) as base:
        for lang in ("en", "vi"):
            page = browser.page()
            page.goto(base + f"{lang}.html")
            page.wait_for_function("window.ready === true")
            mixed = page.locator(".smtpteach-mixed")
            found[lang] = (mixed.get_attribute("data-line"), mixed.text_content())
            page.evaluate("window.setText('550 5.1.1 no such user')")
            found[lang + "-one"] = page.locator(".smtpteach-explanation").get_attribute("data-reason")
            # a whole message, typed or pasted: the page says it reads none, and where one is read
            page.evaluate("window.setText(" + json.dumps(WHOLE) + ")")
            found[lang + "-whole"] = (page.locator(".smtpteach-explanation").get_attribute("data-reason"),
                                      page.locator(".smtpteach-summary").text_content())
            page.evaluate("window.setText('452 4.2.2 over quota')")
            found[lang + "-after"] = page.locator(".smtpteach-explanation").get_attribute("data-reason")
            page.context.close()
    assert (len(browser.offsite), len(browser.errors)) == before, (browser.offsite, browser.errors)
    assert found["en"] == ("2", "This text holds more than one record: a second one starts on line 2. Paste one record "
                                "at a time, or run smtpteach triage on the whole log.")
    assert found["vi"][0] == "2" and "bản ghi thứ hai bắt đầu ở dòng 2" in found["vi"][1]
    assert found["en-one"] == found["vi-one"] == "userunknown"
    for lang in ("en", "vi"):
        assert found[lang + "-whole"] == (None, smtpteach.default_catalogue().ui(lang=lang)["triage"]["explain_message"])
        assert found[lang + "-after"] == "mailboxfull"


# a bounce as it is stored, which the page does not take apart (_records.is_whole_message)
WHOLE = "Return-Path: <>\nFrom: MAILER-DAEMON@example.org\nSubject: failure notice\n\n<bob@example.org>:\nfull"


def test_a_whole_message_the_kernel_set_is_said_to_be_one_before_anything_is_typed(browser, tmp_path):
    """The kernel's first explanation (ExplainWidget._first) of a whole message says "whole": the page draws the
    sentence that says so from it, in the widget's language, with no reason shown."""
    pytest.importorskip("anywidget")
    from smtpteach.widgets import ExplainWidget

    site = tmp_path / "site"
    site.mkdir()
    for lang in ("en", "vi"):
        w = ExplainWidget(WHOLE, lang=lang)
        (site / f"explain-{lang}.mjs").write_text(w._esm, encoding="utf-8")
        state = {"text": w.text, "_data": w._data, "_uid": w._uid, "_first": w._first, "lang": lang}
        (site / f"{lang}.html").write_text(
            '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><div id="root"></div>'
            '<script type="module">\n'
            f'import mod from "./explain-{lang}.mjs";\n'
            f"const state = {json.dumps(state)};\n"
            "const model = { get: (k) => state[k], set: (k, v) => { state[k] = v; }, on: () => {}, off: () => {},\n"
            "  save_changes: () => {} };\n"
            'mod.render({ model, el: document.getElementById("root") });\n'
            "window.ready = true;\n</script></body></html>", encoding="utf-8")
    before = len(browser.offsite), len(browser.errors)
    found = {}
    with serve(site) as base:
        for lang in ("en", "vi"):
            page = browser.page()
            page.goto(base + f"{lang}.html")
            page.wait_for_function("window.ready === true")
            found[lang] = (page.locator(".smtpteach-explanation").get_attribute("data-reason"),
                           page.locator(".smtpteach-summary").text_content())
            page.context.close()
    assert (len(browser.offsite), len(browser.errors)) == before, (browser.offsite, browser.errors)
    for lang in ("en", "vi"):
        assert found[lang] == (None, smtpteach.default_catalogue().ui(lang=lang)["triage"]["explain_message"])


def test_the_api_lists_unreadable_inputs_and_reads_the_others(tmp_path):
    missing = tmp_path / "gone.log"
    t = smtpteach.triage([str(missing), str(DATA / "sendmail.log")])
    assert len(list(t)) == 3
    assert t.summary().problems == [f"{missing}: cannot read it: No such file or directory"]
    assert "Inputs that could not be read: 1" in str(t.summary())


def test_domains_past_the_limit_are_counted_together_and_the_totals_stay_exact(monkeypatch):
    from smtpteach._triage import _summary as _triage

    monkeypatch.setattr(_triage, "DOMAINS_PER_REASON", 2)
    lines = [f"Dec  4 10:00:0{n} mx postfix/smtp[1]: A{n}: to=<u@d{i}.example>, relay=none, status=bounced "
             f"(host said: 550 5.1.1 no such user)" for n, i in enumerate((1, 2, 2, 3, 4, 1))]
    summary = smtpteach.triage(lines).summary()
    assert summary.reason_totals() == [("userunknown", 6)]
    # d1 and d2 came first and are counted by name; d3 and d4 come past the limit, as "*"
    assert summary.top_domains(5) == {"userunknown": [("d1.example", 2), ("d2.example", 2), ("*", 2)]}
    assert "(other domains)" in str(summary)


def test_a_reply_longer_than_the_line_limit_is_cut_into_records_and_none_is_lost(monkeypatch):
    from smtpteach._triage import _lines as _triage

    monkeypatch.setattr(_triage, "MAX_LINES_PER_RECORD", 3)
    reply = ["550-5.7.1 line one", "550-5.7.1 line two", "550-5.7.1 line three", "550-5.7.1 line four", "550 5.7.1 last"]
    records = list(smtpteach.triage(reply))
    # three lines, then the rest: every line is read once, in a record that starts where its first line is
    assert [r.line for r in records] == [1, 4]
    assert [r.text.count("\n") + 1 for r in records] == [3, 2]
    monkeypatch.setattr(_triage, "MAX_LINES_PER_RECORD", 200)
    assert [r.line for r in smtpteach.triage(reply)] == [1]


def test_greylisting_is_a_row_of_its_own_said_as_greylisting():
    # the record carries explain()'s note; the summary gives the family a row of its own, named in its own words
    # (text, HTML, JSON), while the reason stays Sisimai's blocked
    lines = ["Dec  4 10:00:01 mx postfix/smtp[1]: A1B2C3D4E5: to=<bob@example.org>, relay=mx.example.org[192.0.2.10]:25, "
             "delay=1, dsn=4.7.1, status=deferred (host mx.example.org[192.0.2.10] said: 450 4.7.1 <bob@example.org>: "
             "Recipient address rejected: Greylisted, try again in 300 seconds (in reply to RCPT TO command))",
             "Dec  4 10:00:02 mx postfix/smtp[1]: B1B2C3D4E5: to=<cam@example.net>, relay=mx.example.net[192.0.2.20]:25, "
             "delay=1, dsn=5.7.1, status=bounced (host mx.example.net[192.0.2.20] said: 554 5.7.1 Service unavailable; "
             "Client host [192.0.2.1] blocked using zen.spamhaus.org (in reply to RCPT TO command))"]
    t = smtpteach.triage(lines)
    grey, block = list(t)
    assert (grey.reason, grey.note, grey.actor) == ("blocked", "greylisting", "nobody")
    assert (block.reason, block.note) == ("blocked", None)
    s = t.summary()
    assert sorted(s.reasons(), key=str) == sorted([("blocked", "fix-then-retry", "sender-admin", 1, None),
                                                   ("blocked", "retry", "nobody", 1, "greylisting")], key=str)
    text = s.to_text()
    assert "Greylisted (blocked)" in text and "Sending host blocked (blocked)" in text
    assert "Bị greylisting (blocked)" in smtpteach.triage(lines, lang="vi").summary().to_text()
    assert '<td>Greylisted (blocked)</td>' in s.to_html()
    assert {"reason": "blocked", "note": "greylisting", "retry": "retry", "actor": "nobody", "attempts": 1} in s.as_dict()["reasons"]


# -- a DSN's fields, each as RFC 3464 gives it --------------------------------------------


def _dsn(recipient_blocks: list[str], *, per_message: str = "Reporting-MTA: dns; mx.example.com\n",
         date: str = "Fri,  5 Dec 2026 08:00:00 +0000", encode: bool = False, subject: str = "Undelivered Mail") -> bytes:
    """A bounce built as MTAs send it: multipart/report with a message/delivery-status part of field blocks."""
    report = per_message + "\n" + "\n".join(recipient_blocks)
    if encode:  # some MTAs send the report part base64-encoded: then it is one string to split ourselves
        import base64

        body = base64.encodebytes(report.encode()).decode()
        part = f"Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n{body}"
    else:
        part = f"Content-Type: message/delivery-status\n\n{report}"
    return (f"From: MAILER-DAEMON@mx.example.com\nTo: ana@example.com\nDate: {date}\nSubject: {subject}\n"
            f"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            f"--b\nContent-Type: text/plain\n\nSorry.\n\n--b\n{part}\n--b--\n").encode()


@pytest.mark.parametrize(("broken", "why"), [
    (lambda raw: raw.replace(b'; boundary="b"', b""), "a report (multipart/report) with no boundary to cut it into its parts"),
    (lambda raw: raw.replace(b"Content-Type: message/delivery-status", b"Content-Type: text/plain"),
     "a report (multipart/report) with no delivery status part (message/delivery-status)"),
])
def test_a_broken_report_is_named_for_what_it_lacks(tmp_path, capsys, broken, why):
    path = tmp_path / "bounce.eml"
    path.write_bytes(broken(_dsn(["Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"])))
    status, out, err = run(["triage", "--show-unrecognised", str(path)], capsys)
    assert status == 1
    assert err.splitlines()[0] == f"{path}:1: unrecognised: {why}: multipart/report, Subject: Undelivered Mail"


def _triage_bytes(tmp_path, data: bytes, name: str = "bounce.eml") -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return list(smtpteach.triage(str(path)))


def test_the_recipient_is_the_final_one_and_the_original_only_when_no_final_is_given(tmp_path):
    got = _triage_bytes(tmp_path, _dsn([
        "Final-Recipient: rfc822; bob@mail.example.net\nOriginal-Recipient: rfc822; bob@example.org\nAction: failed\n"
        "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n",
        "Original-Recipient: rfc822;<cam@example.org>\nAction: failed\nStatus: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 mailbox full\n"]))
    assert [(r.recipient, r.domain, r.reason) for r in got] == [
        ("bob@mail.example.net", "mail.example.net", "userunknown"), ("cam@example.org", "example.org", "mailboxfull")]


def test_recipient_blocks_with_fields_missing_or_written_loosely(tmp_path):
    got = _triage_bytes(tmp_path, _dsn([
        # no Status: the reply in the Diagnostic-Code says it all; an address with no type and no brackets
        "Final-Recipient: bob@example.org\nAction: failed\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n",
        # a block of other fields only (no recipient, action or status): skipped, and the blocks after it still read
        "X-Postfix-Queue-ID: 4F2A31C0D2\n",
        # no Action: the status and the reply say it
        "Final-Recipient: rfc822; <XENIA@example.net>\nStatus: 4.2.2\nDiagnostic-Code: smtp; 452 4.2.2 Mailbox full\n",
        # a type and more than one semicolon in the address part (RFC 3464 §2.3.2 takes all after the first)
        "Final-Recipient: rfc822; dee;x@example.com\nAction: failed\nStatus: 5.1.1\n"]))
    assert [(r.recipient, r.domain, r.basic, r.enhanced, r.reason, r.status) for r in got] == [
        ("bob@example.org", "example.org", "550", "5.1.1", "userunknown", "bounced"),
        ("XENIA@example.net", "example.net", "452", "4.2.2", "mailboxfull", "deferred"),
        ("dee;x@example.com", "example.com", None, "5.1.1", "userunknown", "bounced")]


def test_a_report_part_in_quoted_printable(tmp_path):
    raw = _dsn(["Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"
                "Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does=\n not exist\n"])
    raw = raw.replace(b"Content-Type: message/delivery-status\n",
                      b"Content-Type: message/delivery-status\nContent-Transfer-Encoding: quoted-printable\n")
    got = _triage_bytes(tmp_path, raw)
    assert [(r.recipient, r.basic, r.reason) for r in got] == [("bob@example.org", "550", "userunknown")]
    assert "does not exist" in got[0].text


def test_a_recipient_without_a_domain_has_none_and_the_remote_mta_stands_in_only_for_no_recipient(tmp_path):
    # an operator review: the Remote-MTA's host (a relay, mx1.example.net) was listed among the receiving domains
    got = _triage_bytes(tmp_path, _dsn([
        "Final-Recipient: rfc822; postmaster\nAction: failed\nStatus: 5.7.1\nRemote-MTA: dns; MX1.Example.NET.\n"
        "Diagnostic-Code: smtp; 550 5.7.1 relaying denied\n",
        "Action: failed\nStatus: 5.7.1\nRemote-MTA: dns; MX1.Example.NET.\nDiagnostic-Code: smtp; 550 5.7.1 relaying denied\n"]))
    assert [(r.recipient, r.domain) for r in got] == [("postmaster", None), (None, "mx1.example.net")]


def test_the_time_is_the_last_attempt_else_the_arrival_else_the_messages_date(tmp_path):
    block = "Final-Recipient: rfc822; {0}@example.org\nAction: failed\nStatus: 5.1.1\n{1}"
    got = _triage_bytes(tmp_path, _dsn([block.format("a", "Last-Attempt-Date: Fri,  5 Dec 2026 07:59:00 +0000\n"),
                                        block.format("b", "")],
                                       per_message="Reporting-MTA: dns; mx.example.com\n"
                                                   "Arrival-Date: Fri,  5 Dec 2026 07:00:00\n +0000\n"))
    assert [r.time for r in got] == ["Fri,  5 Dec 2026 07:59:00 +0000", "Fri, 5 Dec 2026 07:00:00 +0000"]
    got = _triage_bytes(tmp_path, _dsn([block.format("c", "")]), name="no-dates.eml")
    assert [(r.time, r.queue_id) for r in got] == [("Fri,  5 Dec 2026 08:00:00 +0000", None)]


# (failed with a temporary status, 4.4.1, is a queue that gave up after its last temporary failure: expired, as Postfix
# logs it; a permanent one is bounced, below)
@pytest.mark.parametrize("action, status", [("failed", "expired"), ("Failed", "expired"), ("delayed", "deferred"),
                                            ("delivered", "delivered"), ("relayed", "relayed"), ("expanded", "expanded")])
def test_the_action_field_says_how_the_attempt_ended(tmp_path, action, status):
    got = _triage_bytes(tmp_path, _dsn([f"Final-Recipient: rfc822; bob@example.org\nAction: {action}\nStatus: 4.4.1\n"
                                        "Will-Retry-Until: Wed, 10 Dec 2026 08:00:00 +0000\n"
                                        "Diagnostic-Code: smtp; 421 4.4.1 connection timed out\n"]))
    assert [r.status for r in got] == [status]
    assert got[0].text == ("Action: " + action + "\nStatus: 4.4.1\nWill-Retry-Until: Wed, 10 Dec 2026 08:00:00 +0000\n"
                           "Diagnostic-Code: smtp; 421 4.4.1 connection timed out")


def test_a_report_part_sent_base64_is_read_as_well(tmp_path):
    blocks = ["Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"
              "Diagnostic-Code: smtp; 550 5.1.1 no such user\n",
              "Final-Recipient: rfc822; cam@example.net\nAction: delayed\nStatus: 4.2.2\n"]
    per_message = "Reporting-MTA: dns; mx.example.com\nX-Postfix-Queue-ID: 7C1D2E3F4A\n"
    for encode in (False, True):
        got = _triage_bytes(tmp_path, _dsn(blocks, per_message=per_message, encode=encode), name=f"b{encode}.eml")
        assert [(r.recipient, r.basic, r.enhanced, r.reason, r.status, r.queue_id) for r in got] == [
            ("bob@example.org", "550", "5.1.1", "userunknown", "bounced", "7C1D2E3F4A"),
            ("cam@example.net", None, "4.2.2", "mailboxfull", "deferred", "7C1D2E3F4A")], encode


def test_what_is_not_a_bounce_or_has_no_recipient_is_shown_as_unrecognised(tmp_path, capsys):
    long_subject = "Re: " + "the minutes of the meeting " * 6
    (tmp_path / "a.eml").write_bytes(b"From: ana@example.com\nSubject: " + long_subject.encode()
                                     + b"\nContent-Type: text/plain\n\nhello\n")
    (tmp_path / "b.eml").write_bytes(_dsn([]))
    status, out, err = run(["triage", str(tmp_path), "--show-unrecognised"], capsys)
    assert status == 1 and err.splitlines() == [
        f"{tmp_path / 'a.eml'}:1: unrecognised: not a delivery status notification (RFC 3464): text/plain, "
        f"Subject: {long_subject[:120]}",
        f"{tmp_path / 'b.eml'}:1: unrecognised: a delivery status notification with no recipient block",
        "smtpteach triage: no delivery attempt was recognised"]


def test_a_global_dsn_with_utf8_addresses_is_read(tmp_path):
    # RFC 6533: an SMTPUTF8 server reports on an internationalised address in message/global-delivery-status,
    # whose fields hold UTF-8 as it is; Python's parser knows no such type and reads it as one message
    data = _dsn(["Final-Recipient: utf-8; người.nhận@ví-dụ.vn\nAction: failed\nStatus: 5.2.2\n"
                 "Diagnostic-Code: smtp; 552 5.2.2 Hộp thư đã đầy\n",
                 "Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"
                 "Diagnostic-Code: smtp; 550 5.1.1 no such user\n"])
    data = data.replace(b"message/delivery-status", b"message/global-delivery-status")
    got = _triage_bytes(tmp_path, data)
    assert [(r.recipient, r.domain, r.basic, r.reason) for r in got] == [
        ("người.nhận@ví-dụ.vn", "ví-dụ.vn", "552", "mailboxfull"), ("bob@example.org", "example.org", "550", "userunknown")]
    assert got[0].text.endswith("Diagnostic-Code: smtp; 552 5.2.2 Hộp thư đã đầy")


def test_a_report_part_sent_quoted_printable_is_read(tmp_path):
    report = ("Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: utf-8; an@ví-dụ.vn\nAction: delayed\n"
              "Status: 4.4.1\nDiagnostic-Code: smtp; 421 4.4.1 không kết nối được\n")
    import quopri

    body = quopri.encodestring(report.encode()).decode()
    data = _dsn([]).replace(b"Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n\n",
                            ("Content-Type: message/global-delivery-status\nContent-Transfer-Encoding: quoted-printable\n\n"
                             + body).encode())
    assert b"quoted-printable" in data
    got = _triage_bytes(tmp_path, data)
    assert [(r.recipient, r.status, r.reason) for r in got] == [("an@ví-dụ.vn", "deferred", "networkerror")]


def test_exim_times_local_deliveries_and_relays(tmp_path):
    log = tmp_path / "mainlog"
    log.write_text(
        "2026-12-04 10:00:06 1rNbZ4-0005Bc-3H => ops <ops@example.org> R=local_user T=mail_spool\n"
        "2026-12-04 10:00:07 1rNbZ4-0005Bc-3H == postmaster R=dnslookup T=remote_smtp defer (-44) "
        "H=mx2.example.net [192.0.2.21]: SMTP error from remote mail server after RCPT TO:<postmaster>: "
        "451 4.3.0 Temporary local problem\n"
        "2026-12-04 10:00:08 1rNbZ4-0005Bc-3H ** eve@example.com: Unrouteable address\n", encoding="utf-8")
    got = [(r.time, r.recipient, r.domain, r.status) for r in smtpteach.triage(str(log))]
    assert [(r.source, r.line, r.kind) for r in smtpteach.triage(str(log))] == [(str(log), n, "exim") for n in (1, 2, 3)]
    assert got == [("2026-12-04 10:00:06", "ops@example.org", "example.org", "delivered"),  # the address in brackets
                   ("2026-12-04 10:00:07", "postmaster", None, "deferred"),  # no domain: never the host's name
                   ("2026-12-04 10:00:08", "eve@example.com", "example.com", "bounced")]


@pytest.mark.parametrize("ci, watched", [(None, True), ("", True), ("0", True), ("false", True), ("1", False),
                                         ("true", False), (" Yes ", False), ("ON", False), ("TRUE", False)])
def test_a_terminal_is_watched_unless_ci_says_otherwise(monkeypatch, ci, watched):
    from smtpteach._triage._sources import _watched

    monkeypatch.setattr(sys, "stderr", _Terminal())
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert _watched() is watched
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert _watched() is False
    closed = io.TextIOWrapper(io.BytesIO())
    closed.close()  # isatty() of a closed stream raises ValueError: nobody watches it
    monkeypatch.setattr(sys, "stderr", closed)
    assert _watched() is False


@pytest.mark.parametrize("size, shown", [(PROGRESS_BYTES - 1, False), (PROGRESS_BYTES, True), (PROGRESS_BYTES * 3, True)])
def test_the_progress_bar_counts_the_bytes_read_of_a_file_from_its_size_on(monkeypatch, size, shown):
    from smtpteach._triage import _sources as _triage

    monkeypatch.setattr(_triage, "_watched", lambda: True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    raw = io.BytesIO(b"x" * size)
    progress = _triage._Progress("big.log", size, raw)
    assert (progress.bar is not None) is shown
    raw.read(1000)
    progress.update()
    raw.read(500)
    progress.update()
    if shown:
        assert (progress.bar.n, progress.bar.total) == (1500, size)
    progress.close()



def test_the_progress_bar_shows_a_file_name_s_control_characters_escaped(monkeypatch):
    from smtpteach._triage import _sources as _triage

    monkeypatch.setattr(_triage, "_watched", lambda: True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    progress = _triage._Progress("/var/log/x\x1b]0;PWN\x07\u202egol.log", PROGRESS_BYTES, io.BytesIO())
    progress.close()
    assert progress.bar.desc == "x\\x1b]0;PWN\\x07\\u202egol.log"
    assert "\x1b]0" not in sys.stderr.getvalue() and "\u202e" not in sys.stderr.getvalue()


# -- the summary as a reader sees it, whole ------------------------------------------------


@pytest.fixture
def replies(tmp_path):
    (tmp_path / "ok.txt").write_text("250 2.0.0 ok\n250 2.0.0 ok queued\nnot a reply at all\n", encoding="utf-8")
    (tmp_path / "fail.txt").write_text("550 5.1.1 <a@example.org> user unknown\n452 4.2.2 <b@example.net> mailbox full\n"
                                       "550 5.1.1 <c@example.org> no such user\n", encoding="utf-8")
    return tmp_path


def test_the_text_summary_with_no_failure_and_an_unreadable_input(replies):
    missing = str(replies / "missing.log")
    assert smtpteach.triage([str(replies / "ok.txt"), missing]).summary().to_text() == "\n".join([
        "Triage of 2 delivery attempts",
        "By status: delivered 2",
        "",
        "What became of the 2 recipients (the last status read for each decides)",
        "Delivered in the end                  2",
        "  of which after a delay              0",
        "Lost: bounced, expired or discarded   0",
        "Still pending: last attempt deferred  0",
        "Of these, 2 are known only from a record with no queue ID (a bounce, a reply line): each such record is one "
        "recipient",
        "",
        "Attempts by reason",
        "Reason                 Attempts  Retry             Who acts",
        "Delivered (delivered)         2  nothing to retry  nobody",
        "",
        "Top receiving domains for each failing reason",
        "No failed attempt.",
        "",
        "Unrecognised lines or messages: 1",
        "Log lines that report no delivery attempt: 0",
        "Inputs that could not be read: 1",
        f"  {missing}: cannot read it: No such file or directory"])
    assert smtpteach.triage([str(replies / "ok.txt")], lang="vi").summary().to_text() == "\n".join([
        "Phân loại 2 lần thử chuyển phát",
        "Theo trạng thái: đã chuyển phát 2",
        "",
        "Kết quả cuối cùng của 2 người nhận (theo trạng thái đọc được sau cùng của từng người)",
        "Cuối cùng đã chuyển phát                          2",
        "  trong đó, chuyển phát được sau khi bị tạm hoãn  0",
        "Thất bại: bị trả về, hết hạn hoặc bị hủy          0",
        "Vẫn còn chờ gửi lại: lần thử cuối bị tạm hoãn     0",
        "Trong số này, có 2 người nhận chỉ xuất hiện trong bản ghi không có mã hàng đợi (thư bounce, dòng phản hồi): mỗi "
        "bản ghi như vậy được tính là một người nhận",
        "",
        "Số lần thử theo nguyên nhân",
        "Nguyên nhân                    Số lần  Gửi lại                   Ai cần xử lý",
        "Đã gửi thành công (delivered)       2  không có gì phải gửi lại  không ai cả",
        "",
        "Tên miền nhận gặp nhiều lỗi nhất, theo từng nguyên nhân",
        "Không có lần thử nào thất bại.",
        "",
        "Dòng hoặc thư không nhận dạng được: 1",
        "Dòng log không ghi lần thử chuyển phát nào: 0"])


def test_the_text_summary_of_nothing_and_of_failures(replies, tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("", encoding="utf-8")
    assert smtpteach.triage(str(empty)).summary().to_text() == (
        "Triage of 0 delivery attempts\nNo delivery attempt was recognised.\n\n"
        "Unrecognised lines or messages: 0\nLog lines that report no delivery attempt: 0")
    # statuses by count, a tie by name; reasons by count; each failing reason's domains indented under it
    assert smtpteach.triage([str(replies / "fail.txt"), str(replies / "ok.txt")]).summary().to_text() == "\n".join([
        "Triage of 5 delivery attempts",
        "By status: bounced 2, delivered 2, deferred 1",
        "",
        "What became of the 5 recipients (the last status read for each decides)",
        "Delivered in the end                  2",
        "  of which after a delay              0",
        "Lost: bounced, expired or discarded   2",
        "Still pending: last attempt deferred  1",
        "Of these, 5 are known only from a record with no queue ID (a bounce, a reply line): each such record is one "
        "recipient",
        "",
        "Attempts by reason",
        "Reason                           Attempts  Retry             Who acts",
        "Delivered (delivered)                   2  nothing to retry  nobody",
        "Recipient unknown (userunknown)         2  do not retry      the sender",
        "Mailbox full (mailboxfull)              1  retry later       the recipient",
        "",
        "Top receiving domains for each failing reason",
        "Recipient unknown (userunknown)",
        "  (no domain given)  2",
        "Mailbox full (mailboxfull)",
        "  (no domain given)  1",
        "",
        "Unrecognised lines or messages: 1",
        "Log lines that report no delivery attempt: 0"])


def test_the_html_report_around_its_chart(replies):
    missing = str(replies / "missing.log")
    page = smtpteach.triage([str(replies / "ok.txt"), missing]).summary().to_html()
    body = re.sub(r"<figure.*?</figure>", "<figure/>", page.split("</head>\n", 1)[1], flags=re.S)
    assert body == "\n".join([
        "<body>", "<h1>Triage of 2 delivery attempts</h1>", "<p>By status: delivered 2</p>",
        "<h2>What became of the 2 recipients (the last status read for each decides)</h2>", "<table>",
        "<thead><tr><th>Outcome</th><th>Recipients</th></tr></thead>", "<tbody>",
        '<tr data-outcome="delivered"><td>Delivered in the end</td><td class="n">2</td></tr>',
        '<tr data-outcome="after_delay"><td>&emsp;of which after a delay</td><td class="n">0</td></tr>',
        '<tr data-outcome="lost"><td>Lost: bounced, expired or discarded</td><td class="n">0</td></tr>',
        '<tr data-outcome="pending"><td>Still pending: last attempt deferred</td><td class="n">0</td></tr>',
        "</tbody>", "</table>",
        "<p>Of these, 2 are known only from a record with no queue ID (a bounce, a reply line): each such record is one "
        "recipient</p>",
        "<figure/>",
        "<h2>Attempts by reason</h2>", "<table>",
        "<thead><tr><th>Reason</th><th>Attempts</th><th>Retry</th><th>Who acts</th></tr></thead>", "<tbody>",
        '<tr data-reason="delivered"><td>Delivered (delivered)</td><td class="n">2</td><td>nothing to retry</td>'
        "<td>nobody</td></tr>",
        "</tbody>", "</table>", "<h2>Top receiving domains for each failing reason</h2>", "<p>No failed attempt.</p>",
        "<p>Unrecognised lines or messages: 1<br>", "Log lines that report no delivery attempt: 0</p>",
        "<p>Inputs that could not be read: 1</p>", "<ul>", f"<li>{missing}: cannot read it: No such file or directory</li>",
        "</ul>", "</body>", "</html>", ""])
    nothing = smtpteach.triage([missing]).summary().to_html()
    assert "<figure" not in nothing and "<p>No delivery attempt was recognised.</p>" in nothing


def test_the_chart_colours_deliveries_green_and_failures_red(replies):
    svg = smtpteach.triage([str(replies / "fail.txt"), str(replies / "ok.txt")]).summary().svg()
    fills = re.findall(r"fill: ?(#[0-9a-f]{6})", svg)
    assert fills.count("#4c9a52") == 1 and fills.count("#c4512d") == 2, fills
    assert 'class="smtpteach-triage-chart" role="img" aria-label="Delivery attempts by reason" ' in svg.split(">")[0]
    # the picture's size grows with its bars: three here, two at the least
    height = float(re.search(r'height="([0-9.]+)pt"', svg).group(1))
    one = smtpteach.triage([str(replies / "ok.txt")]).summary().svg()
    assert height > float(re.search(r'height="([0-9.]+)pt"', one).group(1))


def _chart_parts(svg: str) -> tuple[list[tuple[str, float, float]], list[tuple[str, float, float]]]:
    """The chart's bars as (colour, left, right, top, bottom) top to bottom, and its texts as (text, x, y)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    bars = []
    for path in root.iter(f"{ns}path"):
        colour = re.search(r"fill: (#[0-9a-f]{6}|none)", path.get("style")).group(1)
        if colour in ("#4c9a52", "#c4512d"):
            points = [(float(x), float(y)) for x, y in re.findall(r"[ML] ([0-9.]+) ([0-9.]+)", path.get("d"))]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            bars.append((colour, min(xs), max(xs), min(ys), max(ys)))
    texts = [(t.text, float(t.get("x")), float(t.get("y"))) for t in root.iter(f"{ns}text")]
    return bars, texts


def test_the_chart_draws_each_count_to_scale_with_its_label_and_number():
    s = smtpteach.triage(smtpteach.sample_path("mail.log")).summary()
    totals = s.family_totals()
    bars, texts = _chart_parts(s.svg())
    ui = s.ui()
    assert len(bars) == len(totals) > 5
    # one origin, and lengths in the ratio of the counts, the biggest first
    assert len({round(left, 2) for _, left, *_ in bars}) == 1
    lengths = [right - left for _, left, right, *_ in bars]
    per_attempt = lengths[0] / totals[0][2]
    for (reason, note, n), length, (colour, *_) in zip(totals, lengths, bars):
        assert length == pytest.approx(n * per_attempt, abs=0.02), reason
        assert colour == ("#4c9a52" if reason == "delivered" else "#c4512d")
    # each bar has its reason's label at its left and its count at its end, on its own row
    shown = {text: (x, y) for text, x, y in texts}
    # bars of one height, one under the other with a gap between, each beside its label (the label's baseline
    # a little under the bar's middle, as text sits on its baseline)
    heights = {round(bottom - top, 2) for *_, top, bottom in bars}
    assert len(heights) == 1 and heights.pop() > 8
    assert all(above[4] < below[3] for above, below in zip(bars, bars[1:]))
    for (reason, note, n), (_, left, right, top, bottom) in zip(totals, bars):
        label = f"{reason_words(ui, reason, note)['name']} ({reason})"
        x, y = shown[label]
        assert x < left
        assert 0 < y - (top + bottom) / 2 < 5
        assert [t for t, tx, ty in texts if ty == y] == [label, str(n)]
        assert next(tx for t, tx, ty in texts if ty == y and t == str(n)) > right
    # the axis: ticks from 0 by 1, 2 or 5 times a power of ten, the last at or past the biggest bar
    axis_y = max(y for t, _, y in texts if t.isdigit())
    ticks = [(int(t), x) for t, x, y in texts if t.isdigit() and y == axis_y]
    values = [v for v, _ in ticks]
    step = values[1]
    assert values == list(range(0, values[-1] + 1, step)) and str(step)[0] in "125" and 3 <= len(values) <= 7
    assert values[-1] >= totals[0][2] > values[-2]
    for value, x in ticks:
        assert x == pytest.approx(bars[0][1] + value * per_attempt, abs=0.02)
    # the axis runs under the last bar, from the bars' origin to the last tick
    axis = [b for b in re.findall(r'd="M ([0-9.]+) ([0-9.]+)\s+L ([0-9.]+) ([0-9.]+)\s*"', s.svg())
            if b[1] == b[3] and float(b[0]) == pytest.approx(bars[0][1])]
    assert len(axis) == 1 and float(axis[0][1]) > bars[-1][4] and float(axis[0][2]) == pytest.approx(ticks[-1][1])
    assert texts[0][0] == ui["triage"]["chart_title"] and texts[-1][0] == ui["triage"]["chart_label"]


@pytest.mark.parametrize(("top", "step"), [(1, 1), (6, 1), (7, 2), (12, 2), (13, 5), (30, 5), (31, 10), (61, 20),
                                           (121, 50), (6_001, 2_000)])
def test_the_chart_axis_steps(top, step):
    from smtpteach._render_triage import _step

    assert _step(top) == step


def test_a_long_reason_name_is_shortened_never_cut_off():
    from smtpteach import _svg

    s = smtpteach.triage(["550 5.1.2 <a@b.example>: Recipient address rejected: Domain not found"], lang="vi").summary()
    bars, texts = _chart_parts(s.svg())
    label = next(t for t, x, y in texts if t.startswith("Không tìm thấy"))
    x = next(x for t, x, y in texts if t == label)
    assert x - _svg.text_width(label, 9) >= 12  # right-aligned, and its start inside the picture
    assert label == "Không tìm thấy tên miền hoặc máy chủ (hostunknown)"


def test_the_summary_as_a_dict_whole(replies):
    missing = str(replies / "missing.log")
    got = smtpteach.triage([str(replies / "fail.txt"), str(replies / "ok.txt"), missing]).summary().as_dict()
    assert got == {
        "records": 5, "failing": 3,
        "reasons": [{"reason": "delivered", "note": None, "retry": "not-needed", "actor": "nobody", "attempts": 2},
                    {"reason": "userunknown", "note": None, "retry": "dont-retry", "actor": "sender", "attempts": 2},
                    {"reason": "mailboxfull", "note": None, "retry": "retry", "actor": "recipient", "attempts": 1}],
        "statuses": {"bounced": 2, "delivered": 2, "deferred": 1}, "kinds": {"reply": 5},
        "top_domains": {"userunknown": [{"domain": "", "attempts": 2}], "mailboxfull": [{"domain": "", "attempts": 1}]},
        # a reply line names no sender and no remote host: counted apart, as ""
        "top_senders": {"userunknown": [{"sender": "", "attempts": 2}], "mailboxfull": [{"sender": "", "attempts": 1}]},
        "top_relays": {"userunknown": [{"relay": "", "attempts": 2}], "mailboxfull": [{"relay": "", "attempts": 1}]},
        "unrecognised": 1, "other_lines": 0,
        # reply lines name no queue ID: each is its own recipient
        "outcomes": {"recipients": 5, "delivered": 2, "after_delay": 0, "lost": 2, "pending": 1, "handed_on": 0,
                     "unknown": 0, "without_queue_id": 5},
        "refused_incoming": 0, "problems": [f"{missing}: cannot read it: No such file or directory"],
        "notes": []}
    assert list(got["statuses"]) == ["bounced", "delivered", "deferred"]  # by count, a tie by name


def _bounce_line(i: int, domain: str, reply: str = "550 5.1.1 user unknown") -> str:
    return (f"Dec  4 10:00:{i:02d} mx postfix/smtp[1]: Q{i:04d}: to=<u{i}@{domain}>, relay={domain}[192.0.2.1]:25, "
            f"delay=1, dsn=5.1.1, status=bounced (host {domain}[192.0.2.1] said: {reply} (in reply to RCPT TO command))")


def test_five_domains_by_default_the_most_first_a_tie_by_name(tmp_path):
    counts = {"f.example": 1, "e.example": 1, "d.example": 2, "c.example": 2, "b.example": 3, "a.example": 1}
    lines = [_bounce_line(i, d) for i, d in enumerate(d for d, n in counts.items() for _ in range(n))]
    log = tmp_path / "mail.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = smtpteach.triage(str(log)).summary()
    expected = [("b.example", 3), ("c.example", 2), ("d.example", 2), ("a.example", 1), ("e.example", 1)]
    assert summary.top_domains() == {"userunknown": expected}
    assert summary.as_dict()["top_domains"] == {"userunknown": [{"domain": d, "attempts": n} for d, n in expected]}


def test_family_totals_add_up_a_reason_given_with_two_advices(tmp_path):
    log = tmp_path / "replies.txt"
    log.write_text("550 5.1.1 <a@example.org>: Recipient address rejected: User unknown\n"
                   "450 4.1.1 <b@example.org>: Recipient address rejected: User unknown\n"
                   "550 5.1.1 <c@example.org>: Recipient address rejected: User unknown\n", encoding="utf-8")
    summary = smtpteach.triage(str(log)).summary()
    assert [(r["reason"], r["retry"], r["attempts"]) for r in summary.as_dict()["reasons"]] == [
        ("userunknown", "dont-retry", 2), ("userunknown", "retry", 1)]
    assert summary.family_totals() == [("userunknown", None, 3)]


def test_a_folded_field_is_unfolded_whatever_its_line_ends():
    from smtpteach._triage._bounces import _unfold

    assert _unfold("smtp; 550 5.1.1 no\r\n such\r user") == "smtp; 550 5.1.1 no such user"
    assert _unfold("  rfc822; a@example.org  ") == "rfc822; a@example.org"


def test_every_record_of_an_mbox_names_its_file_and_message(tmp_path):
    box = _mbox(_messages()).replace(b"\n", b"\r\n")  # an mbox written with CRLF line ends
    (tmp_path / "bounces.mbox").write_bytes(box)
    got = [(r.source, r.line, r.recipient) for r in smtpteach.triage(str(tmp_path / "bounces.mbox"))]
    path = str(tmp_path / "bounces.mbox")
    assert got == [(path, 1, "bob@example.org"), (path, 1, "cam@example.net"), (path, 2, "dee@example.com")]
    # read as a stream (gzip) too
    (tmp_path / "b.gz").write_bytes(gzip.compress(box))
    assert [(r.source, r.line) for r in smtpteach.triage(str(tmp_path / "b.gz"))] == [
        (str(tmp_path / "b.gz"), 1), (str(tmp_path / "b.gz"), 1), (str(tmp_path / "b.gz"), 2)]


def test_hidden_files_of_a_folder_or_a_maildir_are_not_read(tmp_path):
    a, b, _ = _messages()
    (tmp_path / "bounces").mkdir()
    (tmp_path / "bounces" / "1.eml").write_bytes(b)
    (tmp_path / "bounces" / ".1.eml.swp").write_bytes(a)  # an editor's file beside the messages
    assert [r.recipient for r in smtpteach.triage(str(tmp_path / "bounces"))] == ["dee@example.com"]
    md = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (md / sub).mkdir(parents=True)
    (md / "new" / "1733320800.M2P1.mx").write_bytes(b)
    (md / "cur" / ".1733306403.M1P1.mx:2,S").write_bytes(a)
    assert [(Path(r.source).name, r.recipient) for r in smtpteach.triage(str(md))] == [
        ("1733320800.M2P1.mx", "dee@example.com")]


def test_reasons_with_as_many_attempts_come_in_order_of_name(tmp_path):
    log = tmp_path / "replies.txt"
    log.write_text("452 4.2.2 mailbox full\n550 5.1.1 user unknown\n421 4.7.0 greylisted, try again later\n"
                   "554 5.7.1 blocked using zen.spamhaus.org\n", encoding="utf-8")
    reasons = [(reason, note, n) for reason, _, _, n, note in smtpteach.triage(str(log)).summary().reasons()]
    assert reasons == [("blocked", None, 1), ("blocked", "greylisting", 1), ("mailboxfull", None, 1),
                       ("userunknown", None, 1)]


def test_the_bars_colour_deliveries_green_and_name_their_counts(replies):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    summary = smtpteach.triage([str(replies / "ok.txt"), str(replies / "fail.txt")]).summary()
    ax = summary.plot()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    colours = [matplotlib.colors.to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert list(zip(labels, colours)) == [("Mailbox full (mailboxfull)", "#c4512d"),
                                          ("Recipient unknown (userunknown)", "#c4512d"),
                                          ("Delivered (delivered)", "#4c9a52")]  # the most attempts at the top
    assert [t.get_text() for t in ax.texts] == ["1", "2", "2"]
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    width, height = ax.figure.get_size_inches()
    assert (width, round(height, 2)) == (7, round(0.45 * 3 + 1.2, 2))  # 0.45 in a bar, at least two
    matplotlib.pyplot.close(ax.figure)


def test_statuses_in_the_summary_line_by_count_then_name_in_both_languages(replies):
    # the deliveries are read first, so only the order by name puts "bounced" before them
    paths = [str(replies / "ok.txt"), str(replies / "fail.txt")]
    assert smtpteach.triage(paths).summary().to_text().splitlines()[1] == "By status: bounced 2, delivered 2, deferred 1"
    assert smtpteach.triage(paths, lang="vi").summary().to_text().splitlines()[1] == (
        "Theo trạng thái: bị trả về (bounced) 2, đã chuyển phát 2, tạm hoãn (deferred) 1")


def test_the_text_shows_five_domains_and_right_aligns_their_counts(tmp_path):
    counts = {"a.example": 12, "bb.example": 3, "c.example": 2, "d.example": 2, "e.example": 1, "f.example": 1}
    lines = [_bounce_line(i % 60, d) for i, d in enumerate(d for d, n in counts.items() for _ in range(n))]
    log = tmp_path / "mail.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = smtpteach.triage(str(log)).summary().to_text()
    block = text.split("Recipient unknown (userunknown)\n", 1)[1].split("\n\n")[0]
    assert block.splitlines() == ["  a.example   12", "  bb.example   3", "  c.example    2", "  d.example    2",
                                  "  e.example    1"]
    page = smtpteach.triage(str(log)).summary().to_html(by="domain")  # (the relays' section names f.example's host)
    assert page.count('<tr><td>') == 5 and "f.example" not in page


def test_exim_writing_to_syslog_and_sendmail_statuses_by_the_dsn_class(tmp_path):
    log = tmp_path / "syslog"
    log.write_text(
        "Dec  4 11:00:01 mx exim[311]: 1rNbX2-0003Zk-1F ** cam@example.net R=dnslookup T=remote_smtp "
        "H=mx.example.net [192.0.2.20]: SMTP error from remote mail server after RCPT TO:<cam@example.net>: "
        "550 5.1.1 <cam@example.net>: Recipient address rejected: User unknown\n"
        "Dec  4 11:00:02 mx exim[311]: 1rNbX2-0003Zk-1F Completed\n"
        "Dec  4 11:00:03 mx sm-msp-queue[412]: 3C5BcD01234567: to=<fay@example.org>, delay=00:00:02, mailer=relay, "
        "relay=[127.0.0.1] [127.0.0.1], dsn=4.0.0, stat=Deferred: Connection refused by [127.0.0.1]\n"
        "Dec  4 11:00:04 mx sendmail[413]: 3C5BcD01234568: to=<gus@example.org>, delay=00:00:01, mailer=esmtp, "
        "relay=mx.example.org. [192.0.2.10], dsn=5.2.2, stat=Mailbox full\n"
        "Dec  4 11:00:05 mx sendmail[414]: 3C5BcD01234569: to=<hal@example.org>, delay=00:00:01, mailer=esmtp, "
        "relay=mx.example.org. [192.0.2.10], dsn=2.0.0, stat=OK (queued as 77)\n"
        "Dec  4 11:00:06 mx sendmail[415]: 3C5BcD01234570: to=<ivy@example.org>, stat=Queued\n"
        # Exim's own time after syslog's: the record takes Exim's
        "Dec  4 11:00:08 mx exim[311]: 2026-12-04 11:00:07 1rNbX3-0003Zk-1F == dan@example.org R=dnslookup "
        "T=remote_smtp defer (-44) H=mx.example.org [192.0.2.13]: SMTP error from remote mail server after RCPT TO:"
        "<dan@example.org>: 451 4.7.1 try later\n", encoding="utf-8")
    got = [(r.kind, r.time, r.queue_id, r.recipient, r.status, r.reason) for r in smtpteach.triage(str(log))]
    assert got == [
        ("exim", "Dec  4 11:00:01", "1rNbX2-0003Zk-1F", "cam@example.net", "bounced", "userunknown"),
        ("sendmail", "Dec  4 11:00:03", "3C5BcD01234567", "fay@example.org", "deferred", "networkerror"),
        ("sendmail", "Dec  4 11:00:04", "3C5BcD01234568", "gus@example.org", "bounced", "mailboxfull"),
        ("sendmail", "Dec  4 11:00:05", "3C5BcD01234569", "hal@example.org", "delivered", "delivered"),
        ("sendmail", "Dec  4 11:00:06", "3C5BcD01234570", "ivy@example.org", "unknown", "undefined"),
        ("exim", "2026-12-04 11:00:07", "1rNbX3-0003Zk-1F", "dan@example.org", "deferred", "blocked")]
    # each record names its file and line, Exim's read through syslog as the others
    assert [(r.source, r.line) for r in smtpteach.triage(str(log))] == [(str(log), n) for n in (1, 3, 4, 5, 6, 7)]
    # the text explained starts at the status (from dsn=), after the envelope fields
    texts = [r.text for r in smtpteach.triage(str(log))]
    assert texts[2] == "dsn=5.2.2, stat=Mailbox full" and texts[4] == "stat=Queued"
    assert texts[0].startswith("1rNbX2-0003Zk-1F ** cam@example.net ")


def test_a_postfix_records_text_starts_at_its_dsn_field():
    got = list(smtpteach.triage(str(DATA / "postfix.log")))
    assert all(r.text.startswith("dsn=") for r in got if "dsn=" in r.text), [r.text[:30] for r in got]
    assert got[0].text.startswith("dsn=")


def test_a_reply_that_is_a_step_of_the_dialogue_is_no_delivery_attempt():
    """A greeting, a goodbye, a login taken, "354 End data with", a recipient taken: none says what became of a
    message (they were each "delivered", and 354 a record of unknown status; an operator review)."""
    steps = ["220 mx.example.org ESMTP Postfix", "221 2.0.0 Bye", "235 2.7.0 Authentication successful",
             "334 VXNlcm5hbWU6", "354 End data with <CR><LF>.<CR><LF>", "214 2.0.0 See RFC 5321", "211 System status"]
    s = smtpteach.triage(steps).summary()
    assert (s.records, s.unrecognised) == (0, 0)
    got = [(r.basic, r.status, r.reason) for r in smtpteach.triage(
        steps + ["250 2.0.0 Ok: queued as 4ABC", "550 5.1.1 no such user", "221 Too many bad commands. Bye!"])]
    # a goodbye that says why the session ended is what became of it
    assert got == [("250", "delivered", "delivered"), ("550", "bounced", "userunknown"),
                   ("221", "unknown", "syntaxerror")]


@pytest.mark.parametrize("lines, expected", [
    (["550 5.1.1 a\r452 4.2.2 b"], 2),  # an old Mac line end inside an item
    (["550 5.1.1 a\n452 4.2.2 b\n"], 2),
    (["550 5.1.1 a\r\n", "452 4.2.2 b\n"], 2),  # each item's own line end is not a second line
])
def test_lines_given_in_python_are_cut_at_every_line_end(lines, expected):
    assert len(list(smtpteach.triage(lines))) == expected


def test_a_triage_says_what_it_reads():
    assert repr(smtpteach.triage(["550 5.1.1 a", "452 4.2.2 b"])) == "Triage(lines, lang='en')"  # words: lines
    assert repr(smtpteach.triage(["a.log", "b.log"])) == "Triage(2 path(s), lang='en')"
    assert repr(smtpteach.triage("x.log", lang="vi")) == "Triage(1 path(s), lang='vi')"
    with pytest.raises(smtpteach.InvalidTypeError, match="^triage\\(\\) reads lines of text, not bytes$"):
        list(smtpteach.triage([b"550 x"]))


def test_a_dsn_block_without_an_action_takes_its_status_from_the_code(tmp_path):
    got = _triage_bytes(tmp_path, _dsn([
        "Final-Recipient: rfc822; bob@example.org\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n",
        "Final-Recipient: rfc822; cam@example.org\nStatus: 4.7.1\n"
        "Diagnostic-Code: smtp; 450 4.7.1 <cam@example.org>: Recipient address rejected: Greylisted, see "
        "http://postgrey.schweikert.ch/help/example.org.html\n"], date=""))
    assert [(r.status, r.permanent, r.reason, r.note) for r in got] == [
        ("bounced", True, "userunknown", None), ("deferred", False, "blocked", "greylisting")]
    assert [r.time for r in got] == [None, None]  # no date anywhere: none made up


def test_a_global_dsn_with_a_byte_that_is_not_utf8_is_still_read(tmp_path):
    data = _dsn(["Final-Recipient: utf-8; an@ví-dụ.vn\nAction: failed\nStatus: 5.2.2\n"
                 "Diagnostic-Code: smtp; 552 5.2.2 Hộp thư đầy\n"]).replace(b"message/delivery-status",
                                                                         b"message/global-delivery-status")
    data = data.replace("đầy".encode(), b"\xff\xfe")
    (record,) = _triage_bytes(tmp_path, data)
    assert (record.recipient, record.reason) == ("an@ví-dụ.vn", "mailboxfull")
    assert record.text.endswith("Hộp thư \ufffd\ufffd")


def test_a_global_dsn_after_a_nested_multipart_is_read(tmp_path):
    # a report wrapped in multipart/mixed, after a multipart/alternative notice: the report's own parent holds it
    data = (b"From: MAILER-DAEMON@mx.example.com\nTo: ana@example.com\nSubject: Undelivered\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
            b"--outer\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
            b"--alt\nContent-Type: text/plain\n\nSorry.\n--alt\nContent-Type: text/html\n\n<p>Sorry.</p>\n--alt--\n\n"
            b"--outer\nContent-Type: message/global-delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
            + "Final-Recipient: utf-8; người.nhận@ví-dụ.vn\nAction: failed\nStatus: 5.1.1\n".encode()
            + b"\n--outer--\n")
    assert [(r.recipient, r.status) for r in _triage_bytes(tmp_path, data)] == [("người.nhận@ví-dụ.vn", "bounced")]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_chart_of_the_sample_log_is_the_picture_on_file(lang):
    """The chart of the sample mail.log, byte for byte, against tests/data/pictures/triage-chart-LANG.svg: its sizes,
    margins, type sizes and colours are what a reader sees, and no relation between them pins them all. (After a
    deliberate change to the drawing, write the files again with
    smtpteach.triage(smtpteach.sample_path("mail.log"), lang=LANG).summary().svg(), and look at them.)"""
    want = (DATA.parent / "pictures" / f"triage-chart-{lang}.svg").read_text(encoding="utf-8")
    assert smtpteach.triage(smtpteach.sample_path("mail.log"), lang=lang).summary().svg() == want


# -- what each log's own words decide ------------------------------------------------


_SENDMAIL = ("Dec  6 10:00:08 mail sendmail[1238]: 0B6A0B1C002345: to=<hal@example.org>, delay=00:00:01, mailer=esmtp, "
             "pri=120000, relay=mx.example.org. [192.0.2.15], ")


@pytest.mark.parametrize("fields, status", [
    # Sendmail keeps the message although the reply's class is permanent (a 5xx greeting, say): its own word and its
    # dsn= class say so, and the record's status is what the server did, not what the reply's class would suggest
    ("dsn=4.0.0, stat=Deferred: 554 5.7.1 Service unavailable; client host blocked", "deferred"),
    ("stat=Deferred: 554 5.7.1 Service unavailable; client host blocked", "deferred"),  # no dsn= field (older logs)
    ("dsn=5.0.0, stat=Service unavailable", "bounced"),
    # the dsn= class is Sendmail's decision too, whatever the class of the reply it quotes
    ("dsn=5.4.0, stat=Service unavailable: 421 4.3.2 try again later", "bounced"),
    # ... and X.4.7, delivery time expired, says that the queue gave the message up, as Postfix's status=expired
    ("dsn=5.4.7, stat=Service unavailable: 421 4.3.2 try again later", "expired"),
    ("dsn=4.4.7, stat=Deferred: Connection refused by mx.example.org.", "expired"),
    ("dsn=4.4.17, stat=Deferred: Connection refused by mx.example.org.", "deferred"),
    ("dsn=4.0.0, stat=Service unavailable: 554 5.7.1 client host blocked", "deferred"),
    ("dsn=2.0.0, stat=Sent (Ok: queued as 4C8A21C0E1)", "delivered"),
])
def test_a_sendmail_records_status_is_sendmails_own(fields, status):
    (record,) = smtpteach.triage([_SENDMAIL + fields])
    assert (record.kind, record.status, record.recipient) == ("sendmail", status, "hal@example.org")
    assert record.text == fields  # the dsn= field, the status and the reply are what is explained


def test_a_postfix_line_without_a_dsn_field_is_explained_from_its_status_on():
    # Postfix before 2.3 logged no dsn=: the fields before the status are still the record's, not its text's
    (record,) = smtpteach.triage(["Dec  6 10:00:01 mail postfix/smtp[1]: 4F1A2B3C4D: to=<ana@example.org>, "
                                  "relay=mx.example.org[192.0.2.10]:25, delay=1.2, status=bounced (host mx.example.org"
                                  "[192.0.2.10] said: 550 5.1.1 no such user (in reply to RCPT TO command))"])
    assert record.text == ("status=bounced (host mx.example.org[192.0.2.10] said: 550 5.1.1 no such user "
                           "(in reply to RCPT TO command))")
    assert (record.status, record.reason, record.recipient) == ("bounced", "userunknown", "ana@example.org")


def test_an_exim_line_cut_after_its_flag_is_still_an_attempt():
    # a log cut off mid-line (a full disk, a rotated file): the flag says what happened, and nothing else is known
    (record,) = smtpteach.triage(["2026-12-06 10:00:04 1tABCd-0007Xy-AB **"])
    assert (record.kind, record.queue_id, record.status, record.recipient, record.domain) == (
        "exim", "1tABCd-0007Xy-AB", "bounced", None, None)


def test_statuses_that_count_the_same_are_listed_by_name():
    lines = ["2026-12-06 10:00:04 1tABCd-0007Xy-AB == a@example.org R=x T=remote_smtp defer (111): Connection refused",
             "2026-12-06 10:00:05 1tABCe-0007Xy-AB ** b@example.org: Unrouteable address"]
    assert list(smtpteach.triage(lines).summary().as_dict()["statuses"]) == ["bounced", "deferred"]


def test_a_recipient_block_is_read_whatever_one_of_its_four_fields_it_holds(tmp_path):
    # RFC 3464 asks every recipient block for Final-Recipient, Action and Status; broken DSNs keep only some, and any
    # one of them (or Original-Recipient) marks the block as a recipient's, not the per-message fields
    got = _triage_bytes(tmp_path, _dsn([
        "Final-Recipient: rfc822; a@example.org\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n",
        "Original-Recipient: rfc822; b@example.org\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\n",
        "Action: failed\nDiagnostic-Code: smtp; 550 5.7.1 relaying denied\n",
        "Status: 4.4.1\n"]))
    assert [(r.recipient, r.reason, r.status) for r in got] == [
        ("a@example.org", "userunknown", "bounced"), ("b@example.org", "mailboxfull", "bounced"),
        (None, "norelaying", "bounced"), (None, "networkerror", "deferred")]


def test_a_message_that_is_no_report_and_has_no_subject_says_so(tmp_path, capsys):
    path = tmp_path / "note.eml"
    path.write_bytes(b"From: ana@example.com\nTo: bob@example.org\n\nSee you at ten.\n")
    status, out, err = run(["triage", "--show-unrecognised", str(path)], capsys)
    assert status == 1
    assert err.splitlines()[0] == (f"{path}:1: unrecognised: not a delivery status notification (RFC 3464): "
                                   "text/plain, Subject: ")


def test_a_bounce_that_is_its_report_alone_and_base64_encoded_is_read(tmp_path):
    # no multipart/report around it: the whole message is the report, in base64 (some gateways send DSNs so)
    import base64

    report = ("Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; bob@example.org\nAction: failed\n"
              "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n")
    raw = (b"From: MAILER-DAEMON@mx.example.com\nTo: ana@example.com\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
           b"Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
           + base64.encodebytes(report.encode()))
    got = _triage_bytes(tmp_path, raw)
    assert [(r.recipient, r.basic, r.reason, r.status) for r in got] == [("bob@example.org", "550", "userunknown", "bounced")]


def test_a_bounce_forwarded_inside_another_message_is_read_from_its_own_report(tmp_path):
    # a bounce wrapped in a multipart/mixed (forwarded, or passed on by a list or a help desk) whose report is
    # RFC 6533's global one: its fields are read from the inner multipart/report's part, not from the outer message
    inner = ("Content-Type: multipart/report; report-type=delivery-status; boundary=\"in\"\n\n"
             "--in\nContent-Type: text/plain\n\nSorry.\n\n"
             "--in\nContent-Type: message/global-delivery-status\n\n"
             "Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: utf-8; an@ví-dụ.example\nAction: failed\n"
             "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user\n\n--in--\n")
    raw = ("From: helpdesk@example.com\nTo: ana@example.com\nSubject: Fwd: Undelivered Mail\nMIME-Version: 1.0\n"
           "Content-Type: multipart/mixed; boundary=\"out\"\n\n--out\nContent-Type: text/plain\n\nSee below.\n\n"
           f"--out\n{inner}\n--out--\n").encode()
    got = _triage_bytes(tmp_path, raw)
    assert [(r.recipient, r.domain, r.basic, r.reason) for r in got] == [
        ("an@ví-dụ.example", "ví-dụ.example", "550", "userunknown")]


def test_a_streamed_mbox_reads_its_last_message_and_gets_past_a_runaway_one(tmp_path):
    a, _, c = _messages()
    runaway = b"From: loop@example.com\nSubject: a log pasted in\n\n" + b"line\n" * 100_050
    box = _mbox([c, runaway, a])  # no bounce, a message too long to keep whole, then a bounce of two recipients
    (tmp_path / "mbox.gz").write_bytes(gzip.compress(box))
    t = smtpteach.triage(str(tmp_path / "mbox.gz"))
    assert [r.recipient for r in t] == ["bob@example.org", "cam@example.net"]
    # the runaway message is read in pieces, each no bounce; the note and the bounce are read whole
    assert t.summary().unrecognised == 1 + 2


def test_a_dsn_block_without_action_takes_its_status_from_the_reading(tmp_path):
    # no Action field: a 2.0.0 status is a delivery (a "relayed" or "delivered" report that left Action out)
    got = _triage_bytes(tmp_path, _dsn(["Final-Recipient: rfc822; bob@example.org\nStatus: 2.0.0\n"]))
    assert [(r.recipient, r.reason, r.status) for r in got] == [("bob@example.org", "delivered", "delivered")]


def test_a_local_recipient_with_no_remote_mta_has_no_domain(tmp_path):
    got = _triage_bytes(tmp_path, _dsn(["Final-Recipient: rfc822; postmaster\nAction: failed\nStatus: 5.1.1\n"]))
    assert [(r.recipient, r.domain, r.status) for r in got] == [("postmaster", None, "bounced")]



def test_a_folder_that_cannot_be_listed_is_named_with_the_reason(tmp_path, capsys, monkeypatch):
    # as root every folder can be read: the refusal a user meets on a folder of another user's is made here
    folder = tmp_path / "bounces"
    folder.mkdir()
    real = os.scandir

    def scandir(path):
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(folder))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    status, out, err = run(["triage", str(DATA / "postfix.log"), str(folder)], capsys)
    assert status == 2  # the log was read, and the status says that the folder was not
    assert f"  {folder}: cannot read the folder: Permission denied" in out.splitlines()


# -- what an operator's log holds besides attempts, and attempts written in one line (an operator review) --


def test_a_sendmail_line_with_several_recipients_is_one_attempt_for_each():
    line = ("Mar  3 10:00:01 mx1 sendmail[123]: 4A1B2C3D001234: to=<a@x.example>,<b@y.example>,c@z.example, "
            "delay=00:00:01, mailer=esmtp, pri=120000, relay=mx.x.example. [192.0.2.5], dsn=5.1.1, stat=User unknown")
    records = list(smtpteach.triage([line]))
    assert [(r.recipient, r.domain) for r in records] == [("a@x.example", "x.example"), ("b@y.example", "y.example"),
                                                          ("c@z.example", "z.example")]
    assert {(r.line, r.queue_id, r.status, r.reason, r.basic, r.enhanced) for r in records} == {
        (1, "4A1B2C3D001234", "bounced", "userunknown", None, "5.1.1")}
    summary = smtpteach.triage([line]).summary()
    assert (summary.records, summary.by_status["bounced"]) == (3, 3)
    # one recipient, or a field after to= that holds a comma, stays one attempt
    (one,) = smtpteach.triage([line.replace("to=<a@x.example>,<b@y.example>,c@z.example", "to=<a@x.example>")])
    assert one.recipient == "a@x.example"


def test_postfix_address_probes_are_no_attempts():
    # reject_unverified_recipient's probes: Postfix asks the next hop whether it would take the address, and sends nothing
    probe = ("Mar  3 10:00:03 mx1 postfix/smtp[55]: ABC123: to=<v@z.example>, relay=mx.z.example[192.0.2.9]:25, delay=1, "
             "delays=0/0/0/1, dsn={dsn}, status={status} ({reply})")
    lines = [probe.format(dsn="2.1.5", status="deliverable", reply="250 2.1.5 Ok"),
             probe.format(dsn="5.1.1", status="undeliverable", reply="host said: 550 5.1.1 no such user"),
             probe.format(dsn="5.1.1", status="bounced", reply="host said: 550 5.1.1 no such user")]
    summary = smtpteach.triage(lines).summary()
    assert (summary.records, dict(summary.by_status), summary.other_lines) == (1, {"bounced": 1}, 2)


def test_an_exim_queue_run_that_passes_an_address_by_is_no_attempt():
    lines = ["2024-03-03 10:00:04 1rABCD-000123-AB == u@w.example R=dnslookup T=remote_smtp defer (-53): "
             "retry time not reached for any host",
             "2024-03-03 10:00:04 1rABCD-000123-AB == u@w.example routing defer (-51): retry time not reached",
             "2024-03-03 10:05:04 1rABCD-000123-AB == u@w.example R=dnslookup T=remote_smtp defer (-44) H=mx.w.example "
             "[192.0.2.7]: SMTP error from remote mail server after RCPT TO:<u@w.example>: 450 4.2.0 Greylisted"]
    (record,) = smtpteach.triage(lines)
    assert (record.line, record.status, record.basic) == (3, "deferred", "450")


def test_an_address_exim_gives_up_for_time_is_expired_as_in_postfix():
    exim = "2024-03-03 10:00:05 1rABCD-000124-AB ** t@w.example R=dnslookup T=remote_smtp: retry timeout exceeded"
    postfix = ("Mar  3 10:00:05 mx1 postfix/qmgr[50]: ABC125: to=<t@w.example>, relay=none, delay=432000, "
               "delays=432000/0/0/0, dsn=4.4.1, status=expired, returned to sender")
    unrouteable = "2024-03-03 10:00:06 1rABCD-000125-AB ** eve@example.com: Unrouteable address"
    got = [(r.kind, r.status, r.reason) for r in smtpteach.triage([exim, postfix, unrouteable])]
    assert got == [("exim", "expired", "expired"), ("postfix", "expired", got[1][2]), ("exim", "bounced", got[2][2])]
    assert got[2][2] != "expired"


@pytest.mark.parametrize("recipient", ["=1+2@example.org", "+cmd@example.org", "-2+3@example.org", "@SUM(A1)@example.org"])
def test_a_csv_cell_never_starts_like_a_spreadsheet_formula(recipient, tmp_path, capsys):
    log = tmp_path / "mail.log"
    log.write_text(f"Mar  3 10:00:03 mx1 postfix/smtp[55]: ABC124: to=<{recipient}>, relay=none, delay=1, dsn=5.1.1, "
                   "status=bounced (host said: 550 5.1.1 no such user)\n", encoding="utf-8")
    status, out, err = run(["triage", "--format", "csv", str(log)], capsys)
    assert (status, err) == (0, "")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["recipient"] == "'" + recipient  # shown as the text it is; the apostrophe is the spreadsheet's mark
    assert row["reason"] == "userunknown" and row["text"].startswith("dsn=5.1.1")
    # JSON lines are data, not a sheet: the address as it came
    status, out, err = run(["triage", "--format", "jsonl", str(log)], capsys)
    assert json.loads(out)["recipient"] == recipient


# -- bounces in plain text: Exim's and qmail's own, with no delivery status part (an operator review) --


def test_exims_plain_bounce_is_one_record_for_each_address_it_lists():
    got = [(r.kind, r.line, r.recipient, r.domain, r.status, r.basic, r.enhanced, r.reason, r.actor)
           for r in smtpteach.triage(str(DATA / "exim-bounce.eml"))]
    assert got == [
        ("bounce", 1, "bob@example.org", "example.org", "bounced", "550", "5.1.1", "userunknown", "sender"),
        ("bounce", 1, "carol@example.net", "example.net", "bounced", None, None, "hostunknown", "sender")]
    # what is explained is what the bounce says under each address, not the copy of the message it returns (whose
    # indented "dave@example.com" and "550 5.2.2 full" are no address of the bounce)
    first, second = smtpteach.triage(str(DATA / "exim-bounce.eml"))
    assert first.text == ("host mx.example.org [192.0.2.1]\nSMTP error from remote mail server after RCPT "
                          "TO:<bob@example.org>:\n550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown "
                          "in virtual mailbox table")
    assert second.text == "Unrouteable address"
    assert first.time == "Tue, 03 Mar 2026 10:00:00 +0000"


def test_qmails_failure_notice_is_one_record_for_each_address_it_lists():
    got = [(r.recipient, r.status, r.basic, r.enhanced, r.reason) for r in smtpteach.triage(str(DATA / "qmail-bounce.eml"))]
    assert got == [("bob@example.org", "bounced", "550", "5.1.1", "userunknown"),
                   ("carol@example.net", "bounced", None, "5.1.1", "userunknown"),
                   ("dan@example.net", "bounced", "552", "5.2.2", "mailboxfull")]
    summary = smtpteach.triage(str(DATA / "qmail-bounce.eml")).summary()
    assert (summary.records, dict(summary.by_kind), summary.unrecognised) == (3, {"bounce": 3}, 0)


def test_exims_delay_warning_is_deferred_and_greylisting_needs_nobody():
    (r,) = smtpteach.triage(str(DATA / "exim-delay.eml"))
    assert (r.kind, r.recipient, r.status, r.basic, r.enhanced, r.actor, r.note) == (
        "bounce", "bob@example.org", "deferred", "451", "4.7.1", "nobody", "greylisting")


@pytest.mark.parametrize(("head", "why"), [
    # a person's message that quotes a number is no bounce, even with a code's shape in it
    (b"From: ana@example.com\nSubject: Lunch?\n", "not a delivery status notification"),
    # a mailer daemon's message that is no bounce (a digest, a notice) is none either
    (b"From: MAILER-DAEMON@example.com\nSubject: Your weekly digest\n", "not a delivery status notification"),
    # a bounce that lists no address it can read says so
    (b"From: MAILER-DAEMON@example.com\nSubject: failure notice\n", "a bounce in plain text with no address"),
])
def test_a_plain_message_is_a_bounce_only_when_a_mailer_daemon_sends_it_as_one(head, why, tmp_path, capsys):
    path = tmp_path / "m.eml"
    path.write_bytes(head + b"Content-Type: text/plain\n\nHi. 550 of us are coming,\nbob@example.org says.\n")
    status, out, err = run(["triage", "--show-unrecognised", "--format", "jsonl", str(path)], capsys)
    assert (status, out) == (1, "")
    assert err.splitlines()[0].startswith(f"{path}:1: unrecognised: {why}")


def test_the_journal_and_rfc_5424_syslog_keep_every_field_of_a_postfix_line():
    # journalctl's short-precise output (microseconds), RFC 5424's own format (with and without structured data), a
    # priority before RFC 3164's time, and journalctl -o json: the same Postfix fields as the classic syslog line
    records = list(smtpteach.triage(str(DATA / "journal-and-rfc5424.log")))
    assert [(r.line, r.kind, r.time, r.queue_id, r.recipient, r.domain, r.status, r.basic) for r in records] == [
        (1, "postfix", "Mar 03 12:10:02.123456", "4F1A2B3C4D", "a@example.org", "example.org", "bounced", "550"),
        (2, "postfix", "2024-03-03T12:00:00.000Z", "5F1A2B3C4D", "b@example.net", "example.net", "deferred", "452"),
        (3, "postfix", "2024-03-03T12:00:01.000Z", "6F1A2B3C4D", "c@example.com", "example.com", "delivered", "250"),
        (4, "postfix", "Mar  3 12:00:02", "7F1A2B3C4D", "d@example.com", "example.com", "delivered", "250"),
        # the journal's time is microseconds since the epoch, in UTC: 1709467202.123456 is 2024-03-03 12:00:02.123456
        (5, "postfix", "2024-03-03T12:00:02.123456+00:00", "8F1A2B3C4D", "e@example.org", "example.org", "bounced", "554")]
    summary = smtpteach.triage(str(DATA / "journal-and-rfc5424.log")).summary()
    assert (summary.other_lines, summary.unrecognised) == (1, 0)  # dovecot's journal entry is another program's line


@pytest.mark.parametrize("line", [
    '{"MESSAGE": [52, 53]}',  # a message the journal keeps as bytes
    '{"MESSAGE": "550 5.1.1 no such user"',  # cut short: no JSON
    '{"note": "MESSAGE", "text": "hello"}',
])
def test_a_line_that_is_no_journal_entry_is_read_as_any_other(line):
    records = list(smtpteach.triage([line]))
    assert all(r.kind == "reply" for r in records)
    assert [r.basic for r in records] == (["550"] if "550 5.1.1" in line else [])


def _fields(records):
    return [(r.line, r.kind, r.queue_id, r.recipient, r.status, r.reason, r.text) for r in records]


def test_a_gzip_file_cut_short_gives_what_it_holds_up_to_the_cut(tmp_path, capsys):
    # a copy of a log taken while it was written: gzip's own reader gave nothing of the block it was reading (an
    # operator review: a cut file of which zcat recovers 52 lines gave no attempt at all)
    import zlib

    data = (SAMPLES / "mail.log").read_bytes()
    cut = gzip.compress(data)[:1500]
    (tmp_path / "cut.log.gz").write_bytes(cut)
    held = zlib.decompressobj(wbits=31).decompress(cut)  # what the cut file holds, as far as it goes
    assert 0 < len(held) < len(data)
    (tmp_path / "held.log").write_bytes(held)
    got = list(smtpteach.triage(str(tmp_path / "cut.log.gz")))
    assert len(got) >= 5 and _fields(got) == _fields(smtpteach.triage(str(tmp_path / "held.log")))
    status, out, err = run(["triage", "--format", "jsonl", str(tmp_path / "cut.log.gz")], capsys)
    assert status == 2 and len(out.splitlines()) == len(got)
    assert err.splitlines()[0] == (f"smtpteach triage: {tmp_path / 'cut.log.gz'}: a bad gzip file: it ends in the "
                                   "middle of its compressed data; what came before the cut was read")


def test_a_gzip_file_damaged_in_its_middle_gives_what_it_holds_before_the_damage(tmp_path, capsys):
    # a bad-input review: damage after 20 KB of compressed data lost the whole 64 KB block it fell in
    data = (SAMPLES / "mail.log").read_bytes() * 3
    packed = gzip.compress(data)
    assert len(packed) > 30_000
    damaged = packed[:20_000] + bytes(range(256)) * 8 + packed[22_048:]
    (tmp_path / "bad.log.gz").write_bytes(damaged)
    inflate, held = zlib.decompressobj(wbits=31), b""
    with pytest.raises(zlib.error):  # what zlib gives up to where it finds the damage, as zcat prints it
        for at in range(0, len(damaged), 16):
            held += inflate.decompress(damaged[at:at + 16])
    assert gzip.decompress(packed) == data and len(held) > 20_000
    whole_lines = held[:held.rfind(b"\n") + 1]
    (tmp_path / "held.log").write_bytes(whole_lines)
    want = _fields(smtpteach.triage(str(tmp_path / "held.log")))
    got = _fields(smtpteach.triage(str(tmp_path / "bad.log.gz")))
    # read in steps of 256 bytes, the step that meets the damage is lost: at most two lines short of zlib's own
    assert len(want) > 60 and got == want[:len(got)] and len(got) >= len(want) - 2
    status, out, err = run(["triage", str(tmp_path / "bad.log.gz")], capsys)
    assert status == 2 and err.splitlines()[0] == (f"smtpteach triage: {tmp_path / 'bad.log.gz'}: a bad gzip file: its "
                                                   "compressed data is damaged; what came before the damage was read")


@pytest.mark.parametrize("lang, said", [
    ("en", "a bad gzip file: its compressed data is damaged; what came before the damage was read"),
    ("vi", "tệp gzip bị hỏng: dữ liệu nén bên trong bị lỗi, không giải nén tiếp được; phần trước chỗ hỏng vẫn được đọc"),
])
def test_a_damaged_gzip_file_is_said_in_the_command_line_s_words_not_zlib_s(tmp_path, capsys, lang, said):
    # a review: "triage corrupt.gz --lang vi" quoted zlib's English "Error -3 while decompressing data: invalid block
    # type" inside the Vietnamese line
    corrupt = tmp_path / "corrupt.gz"
    corrupt.write_bytes(gzip.compress(b"550 5.1.1 user unknown\n")[:10] + b"garbage that is no deflate data")
    status, out, err = run(["triage", str(corrupt), "--lang", lang], capsys)
    assert status == 2 and err.splitlines()[0] == f"smtpteach triage: {corrupt}: {said}"
    assert f"  {corrupt}: {said}\n" in out and "Error -3" not in out + err
    assert smtpteach.triage(str(corrupt), lang=lang).summary().problem_lines() == [f"{corrupt}: {said}"]


@pytest.mark.parametrize("lang, said", [
    ("en", "a bad gzip file: its compressed data is damaged"),
    ("vi", "tệp gzip bị hỏng: dữ liệu nén bên trong bị lỗi, không giải nén được"),
])
def test_a_zlib_error_the_gzip_reader_lets_out_is_said_in_the_command_line_s_words_too(tmp_path, capsys, monkeypatch,
                                                                                      lang, said):
    # _Gunzip says a damage it meets itself (above); a zlib error from anywhere else in the reading is the reader's
    # last word on the file, in the same words, never zlib's English nor an OSError's "cannot read it"
    from smtpteach._triage import _sources

    def damaged(self, buffer):
        raise zlib.error("Error -3 while decompressing data: invalid block type")

    monkeypatch.setattr(_sources._Gunzip, "readinto", damaged)
    packed = tmp_path / "mail.log.gz"
    packed.write_bytes(gzip.compress(b"550 5.1.1 user unknown\n"))
    status, out, err = run(["triage", str(packed), "--lang", lang], capsys)
    assert (status, err) == (2, f"smtpteach triage: {packed}: {said}\n")
    assert smtpteach.triage(str(packed), lang=lang).summary().problem_lines() == [f"{packed}: {said}"]


def test_a_gzip_file_of_several_members_is_read_whole(tmp_path):
    # gzip files may be joined (cat a.gz b.gz > c.gz, RFC 1952 §2.2), and a tool may pad the last one with zeros
    data = (SAMPLES / "mail.log").read_bytes()
    middle = data.index(b"\n", len(data) // 2) + 1
    (tmp_path / "joined.gz").write_bytes(gzip.compress(data[:middle]) + gzip.compress(data[middle:]) + b"\0" * 16)
    whole = smtpteach.triage(str(SAMPLES / "mail.log"))
    assert _fields(smtpteach.triage(str(tmp_path / "joined.gz"))) == _fields(whole)
    assert smtpteach.triage(str(tmp_path / "joined.gz")).summary().problems == []


def test_the_domains_that_greylist_are_listed_apart_from_those_that_block():
    # an operator review: a greylisting domain was listed under "Sending host blocked", next to a blocklist's refusal,
    # though its next retry passes and nobody has to act
    summary = smtpteach.triage(str(DATA / "greylisting-and-blocks.log")).summary()
    assert summary.family_domains() == [("blocked", None, [("block.example", 1)]),
                                        ("blocked", "greylisting", [("grey.example", 1)]),
                                        ("requireptr", None, [("block2.example", 1)])]
    # the reason's own list (top_domains, as_dict's) keeps both, as the reason counts both
    assert summary.top_domains() == {"blocked": [("block.example", 1), ("grey.example", 1)],
                                     "requireptr": [("block2.example", 1)]}
    text = summary.to_text()
    domains = text[text.index("Top receiving domains"):]
    assert domains.split("\n")[1:5] == ["Sending host blocked (blocked)", "  block.example  1", "Greylisted (blocked)",
                                        "  grey.example  1"]
    page = summary.to_html(by="domain")
    assert "<h3>Greylisted (blocked)</h3>" in page and page.count("<h3>") == 3
    assert summary.to_html().count("<h3>Greylisted (blocked)</h3>") == 2  # the domains', the remote hosts' (no sender)
    vi = smtpteach.triage(str(DATA / "greylisting-and-blocks.log"), lang="vi").summary().to_text(by="domain")
    assert vi.count("grey.example") == 1 and vi.index("grey.example") > vi.index("block.example")


# -- plain bounces: what an operator's second review found (the copy of the message, final bounces, auto-replies) --


def _raw_message(tmp_path, raw: bytes, name: str = "raw.eml") -> str:
    path = tmp_path / name
    path.write_bytes(raw)
    return str(path)


def _message(tmp_path, head: str, body: str, name: str = "m.eml") -> str:
    return _raw_message(tmp_path, (head.strip() + "\n\n" + body.lstrip("\n")).encode("utf-8"), name)


QMAIL_HEAD = "From: MAILER-DAEMON@mail.example.com\nTo: ana@example.com\nSubject: failure notice"


def test_the_copy_of_the_message_is_no_failure_whatever_words_introduce_it(tmp_path):
    # Plesk's qmail introduces the copy in words of its own; the copied Cc: field's addresses are no failures
    plesk = _message(tmp_path, QMAIL_HEAD, """
Hi. This is the qmail-send program at mail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.

<bob@remote.example>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Enclosed are the original headers of the message.
Return-Path: <ana@example.com>
Cc:
  team@partner.example,
  boss@partner.example
""", "plesk.eml")
    # Exim in French, with X-Failed-Recipients naming the one address that failed
    french = _message(tmp_path, "From: Mail Delivery System <Mailer-Daemon@mx.example.fr>\nTo: ana@example.com\n"
                      "Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: bob@remote.example",
                      """
Ce message a ete cree automatiquement par le logiciel de distribution du courrier.

  bob@remote.example
    SMTP error from remote mail server after RCPT TO:<bob@remote.example>:
    550 5.1.1 User unknown

------ Ceci est une copie du message, y compris les en-tetes. ------
  zed@partner.example
    550 5.2.2 a line of the message that looks like an account
""", "french.eml")
    for path in (plesk, french):
        assert [(r.recipient, r.status, r.enhanced) for r in smtpteach.triage(path)] == [
            ("bob@remote.example", "bounced", "5.1.1")], path


def test_a_final_bounce_is_never_still_being_retried(tmp_path):
    # qmail gave up after a temporary reply: the message is back with its sender, and nobody retries it
    path = _message(tmp_path, QMAIL_HEAD, """
<bob@remote.example>:
192.0.2.1 does not like recipient.
Remote host said: 450 4.7.1 Greylisted, please try again later
I'm not going to try again; this message has been in the queue too long.

<carol@remote.example>:
Connected to 192.0.2.1 but sender was rejected.
Remote host said: 421 4.3.2 Service not available
Giving up on 192.0.2.1.
""")
    got = [(r.recipient, r.status, r.retry) for r in smtpteach.triage(path)]
    assert got == [("bob@remote.example", "expired", "fix-then-retry"), ("carol@remote.example", "bounced", "fix-then-retry")]
    # an Exim log's "**" for a temporary reply, likewise
    (r,) = smtpteach.triage(["2024-03-03 10:00:06 1rABCD-000126-AB ** d@q.example R=dnslookup T=remote_smtp "
                             "H=mx.q.example [192.0.2.8]: SMTP error from remote mail server after RCPT TO:<d@q.example>: "
                             "450 4.2.1 Mailbox busy, try again later"])
    assert (r.status, r.retry) == ("bounced", "fix-then-retry") and smtpteach.explain(r.text).retry == "retry"


def test_one_address_whose_reply_speaks_of_a_delay_leaves_the_others_bounced(tmp_path):
    path = _message(tmp_path, "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\nTo: ana@example.com\n"
                    "Subject: Mail delivery failed: returning message to sender", """
A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@remote.example: 550 5.1.1 User unknown
  carol@remote.example
    SMTP error from remote mail server after end of data:
    554 5.7.1 This message has been delayed too often and is refused
""")
    assert [(r.recipient, r.domain, r.status) for r in smtpteach.triage(path)] == [
        ("bob@remote.example", "remote.example", "bounced"), ("carol@remote.example", "remote.example", "bounced")]


@pytest.mark.parametrize(("head", "read"), [
    # an auto-reply that quotes a bounce's subject is none
    ("From: postmaster@example.com\nSubject: Automatic reply: Undeliverable: hello", False),
    ("From: postmaster@example.com\nX-Autoreply: yes\nSubject: Undeliverable: hello", False),
    ("From: postmaster@example.com\nX-Autorespond: 1\nSubject: Undeliverable: hello", False),
    # ... but Auto-Submitted: auto-replied is what RFC 3834 gives every automatic response, bounces too (Postfix, Exim
    # and Exchange set it on theirs: an operator review found Exchange's NDRs and Exim's bounces dropped)
    ("From: postmaster@example.com\nAuto-Submitted: auto-replied\nSubject: Undeliverable: hello", True),
    ("From: Mail Delivery System <Mailer-Daemon@example.com>\nAuto-Submitted: auto-replied\n"
     "Subject: Mail delivery failed: returning message to sender", True),
    # a subject in encoded words (RFC 2047) is read decoded
    ("From: MAILER-DAEMON@example.com\nSubject: =?UTF-8?Q?Mail_delivery_failed:_returning_message_to_sender?=", True),
])
def test_a_bounce_is_known_by_its_decoded_subject_and_an_auto_reply_is_none(head, read, tmp_path):
    path = _message(tmp_path, head, """
  noc@example.com
    550 5.1.1 User unknown
""")
    assert [r.recipient for r in smtpteach.triage(path)] == (["noc@example.com"] if read else [])


def test_exim_lines_that_deliver_nothing_are_no_attempts_and_a_pipe_is_its_address():
    lines = ["2024-03-03 10:00:01 1rABCD-000121-AB *> g@q.example R=dnslookup T=remote_smtp H=mx.q.example [192.0.2.8]",
             "2024-03-03 10:00:02 1rABCD-000122-AB == a@q.example R=dnslookup T=remote_smtp defer (-1): domain matches "
             "queue_smtp_domains",
             "2024-03-03 10:00:03 1rABCD-000123-AB => :blackhole: <c@example.com> R=blackhole_router",
             "2024-03-03 10:00:04 1rABCD-000124-AB => /var/mail/dave <dave@example.org> R=localuser T=local_delivery"]
    got = [(r.line, r.recipient, r.domain, r.status) for r in smtpteach.triage(lines)]
    # (a :blackhole: is dropped, not delivered: test_triage_operator_review's test of Exim's discards)
    assert got == [(3, "c@example.com", "example.com", "discarded"), (4, "dave@example.org", "example.org", "delivered")]
    assert smtpteach.triage(lines).summary().other_lines == 2


def test_a_journal_message_kept_as_bytes_is_read_as_its_text():
    message = "AB12: to=<b@example.net>, relay=none, dsn=5.1.1, status=bounced (host said: 550 5.1.1 nö such user)"
    entry = {"SYSLOG_IDENTIFIER": "postfix/smtp", "MESSAGE": list(message.encode("latin-1"))}  # no UTF-8: journald's list
    (r,) = smtpteach.triage([json.dumps(entry)])
    assert (r.kind, r.queue_id, r.recipient, r.status, r.basic) == ("postfix", "AB12", "b@example.net", "bounced", "550")


def test_explain_refuses_a_plain_bounce_that_lists_several_addresses_and_reads_one_that_lists_one():
    # as a DSN with two recipient blocks: explaining the first address alone would say nothing of the second
    text = (DATA / "exim-bounce.eml").read_text(encoding="utf-8")
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(text)
    assert (caught.value.kind, caught.value.line) == ("bounce", text.split("\n").index("  carol@example.net") + 1)
    assert "a second address of a bounce starts on line" in str(caught.value)
    qmail = (DATA / "qmail-bounce.eml").read_text(encoding="utf-8")
    with pytest.raises(smtpteach.MixedRecordsError, match="second"):
        smtpteach.explain(qmail)
    # one address, and the four-space lines about it: one record
    assert smtpteach.explain((DATA / "exim-delay.eml").read_text(encoding="utf-8")).basic.code == "451"
    assert smtpteach.explain("  bob@example.org\n    550 5.1.1 User unknown").reason == "userunknown"


# -- a second audit's survivors: each test below failed with the bug it names --


@pytest.mark.parametrize("priority", ["<22>", "<134>", "<191>"])
def test_a_priority_of_any_facility_before_rfc_3164s_time_keeps_the_fields(priority):
    line = (f"{priority}Mar  3 12:00:02 mx1 postfix/smtp[7]: 7F1A2B3C4D: to=<d@example.com>, relay=none, delay=1, "
            "dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)")
    (r,) = smtpteach.triage([line])
    assert (r.kind, r.queue_id, r.time, r.recipient) == ("postfix", "7F1A2B3C4D", "Mar  3 12:00:02", "d@example.com")


def test_rfc_5424_structured_data_may_hold_an_escaped_bracket():
    line = ('<22>1 2024-03-03T12:00:01.000Z mx1 postfix/smtp 4101 - [meta note="a\\]b" seq="1"] 6F1A2B3C4D: '
            "to=<c@example.com>, relay=none, delay=1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)")
    (r,) = smtpteach.triage([line])
    assert (r.kind, r.queue_id, r.recipient) == ("postfix", "6F1A2B3C4D", "c@example.com")


def test_a_journal_entry_with_no_syslog_identifier_is_named_by_its_command():
    entry = {"__REALTIME_TIMESTAMP": "1709467202123456", "_COMM": "sendmail",
             "MESSAGE": "4A1B2C3D001234: to=<a@x.example>, delay=00:00:01, mailer=esmtp, relay=mx.x.example. "
                        "[192.0.2.5], dsn=5.1.1, stat=User unknown"}
    (r,) = smtpteach.triage([json.dumps(entry)])
    assert (r.kind, r.recipient, r.status) == ("sendmail", "a@x.example", "bounced")


def test_a_postmasters_undeliverable_notice_is_a_bounce_and_so_is_the_bounce_of_an_auto_reply(tmp_path):
    body = "  bob@remote.example\n    550 5.1.1 User unknown\n"
    for head in ("From: postmaster@mx.example.com\nSubject: Undeliverable: hello",
                 # a real bounce of a message that was itself an auto-reply: its subject quotes the auto-reply's
                 "From: MAILER-DAEMON@example.com\nSubject: Undeliverable: Automatic reply: hello"):
        path = _message(tmp_path, head, body)
        assert [(r.kind, r.recipient, r.status) for r in smtpteach.triage(path)] == [
            ("bounce", "bob@remote.example", "bounced")], head


def test_x_failed_recipients_names_an_address_whatever_its_case(tmp_path):
    path = _message(tmp_path, "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\nSubject: Mail delivery "
                    "failed: returning message to sender\nX-Failed-Recipients: bob@remote.example",
                    "  Bob@Remote.example\n    550 5.1.1 User unknown\n")
    assert [r.recipient for r in smtpteach.triage(path)] == ["Bob@Remote.example"]


def test_qmail_accounts_need_no_blank_line_between_them_and_the_copied_body_is_never_read(tmp_path):
    path = _message(tmp_path, QMAIL_HEAD, """
<bob@remote.example>:
Sorry, no mailbox here by that name. (#5.1.1)
<carol@remote.example>:
Remote host said: 552 5.2.2 Mailbox full

--- Enclosed are the original headers of the message.
Return-Path: <ana@example.com>
Subject: the minutes

<zed@partner.example>:
wrote: 550 5.2.2 over quota
""")
    assert [(r.recipient, r.enhanced) for r in smtpteach.triage(path)] == [("bob@remote.example", "5.1.1"),
                                                                         ("carol@remote.example", "5.2.2")]


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_a_csv_cell_that_starts_with_a_tab_or_a_carriage_return_is_text_too(start):
    assert cli._csv_cell(start + "=HYPERLINK(1)") == "'" + start + "=HYPERLINK(1)"


@pytest.mark.parametrize("lang, cannot, several", [
    ("en", "cannot read it: No such file or directory", "2 inputs could not be read (named above)"),
    ("vi", "không đọc được: không có tệp hay thư mục nào có tên này", "2 đầu vào không đọc được (đã nêu tên ở trên)"),
])
def test_an_input_that_cannot_be_read_is_one_line_and_several_get_a_count(tmp_path, capsys, lang, cannot, several):
    # a review: "triage nonexistent" wrote two lines, its own and "1 input could not be read (named above)", where the
    # docs promise one; a last line that counts them comes only when there are several to count
    one, two = tmp_path / "nonexistent", tmp_path / "nowhere.log"
    status, out, err = run(["triage", str(one), "--lang", lang], capsys)
    assert (status, err) == (2, f"smtpteach triage: {one}: {cannot}\n")
    status, out, err = run(["triage", str(one), str(two), "--format", "jsonl", "--lang", lang], capsys)
    assert (status, out) == (2, "") and err.splitlines() == [
        f"smtpteach triage: {one}: {cannot}", f"smtpteach triage: {two}: {cannot}", f"smtpteach triage: {several}"]


def test_the_only_input_unreadable_exits_2_not_1(tmp_path, capsys):
    bad = tmp_path / "bad.gz"
    bad.write_bytes(b"\x1f\x8b" + b"junk" * 10)
    for path in (bad, tmp_path / "nowhere.log"):
        status, out, err = run(["triage", "--format", "jsonl", str(path)], capsys)
        assert status == 2 and out == "" and err.count("\n") == 1 and err.startswith(f"smtpteach triage: {path}: ")


def test_a_reply_that_names_addresses_on_its_folded_lines_is_one_record():
    # two spaces, then an address and more words: a folded line of the reply, not a bounce's list of addresses
    text = "550-5.7.1 Message rejected. Contact\n  postmaster@example.org for help, or\n  abuse@example.org to report abuse"
    assert smtpteach.explain(text).basic.code == "550"


def test_an_expiry_with_no_class_says_not_known_not_temporary_by_its_code():
    from smtpteach._render_explain import _rows

    e = smtpteach.explain("retry timeout exceeded")
    assert (e.reason, e.permanent) == ("expired", None)
    assert dict(_rows(e))["Permanent?"] == "not known"


def test_a_sendmail_dsn_field_longer_than_x_4_7_is_no_expiry():
    (r,) = smtpteach.triage([_SENDMAIL + "dsn=5.4.70, stat=Service unavailable"])
    assert r.status == "bounced"


# -- mutation testing of the plain bounces' and the journal's readers (mutmut, this session): what the survivors showed --


def test_exims_x_failed_recipients_marks_a_bounce_whatever_its_sender_and_subject(tmp_path):
    # a site's own subject, in its own language, from an address no rule knows: the field Exim adds is enough
    path = _raw_message(tmp_path, b"From: Systeme de messagerie <robot@mx.example.fr>\nSubject: Echec de distribution\n"
                        b"X-Failed-Recipients: bob@remote.example\n\n  bob@remote.example\n    550 5.1.1 User unknown\n")
    assert [(r.kind, r.recipient) for r in smtpteach.triage(path)] == [("bounce", "bob@remote.example")]


def test_a_plain_bounce_in_a_charset_of_its_own_is_decoded_and_one_with_no_text_part_says_so(tmp_path):
    latin = _raw_message(tmp_path, "From: MAILER-DAEMON@example.fr\nSubject: failure notice\nContent-Type: text/plain; "
                         "charset=iso-8859-1\n\n<bob@remote.example>:\nBo\xeete pleine. Remote host said: 552 5.2.2 "
                         "Mailbox full\n".encode("latin-1"), "latin.eml")
    (r,) = smtpteach.triage(latin)
    assert r.text.startswith("Boîte pleine.") and r.enhanced == "5.2.2"
    # a charset no codec knows: read as UTF-8, a byte that is none replaced, never an error
    odd = _raw_message(tmp_path, b"From: MAILER-DAEMON@example.org\nSubject: failure notice\nContent-Type: text/plain; "
                       b"charset=x-unknown\n\n<bob@remote.example>:\nno \xff mailbox here (#5.1.1)", "odd.eml")
    (r,) = smtpteach.triage(odd)  # the text ends with no line break after its last line
    assert r.text == "no \ufffd mailbox here (#5.1.1)" and r.enhanced == "5.1.1"
    # a byte that is no UTF-8 in a part that says it is UTF-8: replaced, never an error
    bad = _raw_message(tmp_path, b"From: MAILER-DAEMON@example.org\nSubject: failure notice\nContent-Type: text/plain; "
                       b"charset=utf-8\n\n<bob@remote.example>:\nno \xff mailbox here (#5.1.1)\n", "bad.eml")
    assert [r.text for r in smtpteach.triage(bad)] == ["no \ufffd mailbox here (#5.1.1)"]
    # CRLF line ends (a message saved from Windows) read as any other
    crlf = _raw_message(tmp_path, b"From: MAILER-DAEMON@example.org\r\nSubject: failure notice\r\n\r\n<bob@remote.example>:"
                        b"\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n", "crlf.eml")
    assert [(r.recipient, r.text) for r in smtpteach.triage(crlf)] == [
        ("bob@remote.example", "Sorry, no mailbox here by that name. (#5.1.1)")]
    # no text/plain part at all: nothing to read, and the subject says which message
    html = _raw_message(tmp_path, b"From: MAILER-DAEMON@example.org\nSubject: failure notice\nContent-Type: text/html\n\n"
                        b"<p>&lt;bob@remote.example&gt;:</p>", "html.eml")
    (u,) = smtpteach.triage(html).events()
    assert u.text == "a bounce in plain text with no address it could read: Subject: failure notice"


def test_the_copy_marker_alone_keeps_a_copied_body_out(tmp_path):
    # Exim returns the body only, with no header to stop at: its own marker is what ends the account
    path = _message(tmp_path, "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\nSubject: Mail delivery failed: "
                    "returning message to sender", """
  bob@remote.example
    550 5.1.1 User unknown

------ This is a copy of the body of the message, without the headers. ------

  dave@example.com
    552 5.2.2 a line of the message
""")
    assert [r.recipient for r in smtpteach.triage(path)] == ["bob@remote.example"]


def test_a_subject_that_cannot_be_decoded_is_read_as_it_stands(tmp_path):
    path = _raw_message(tmp_path, b"From: MAILER-DAEMON@example.org\nSubject: =?x-unknown?q?failure_notice?=\n"
                        b"X-Failed-Recipients: bob@remote.example, cid@remote.example\n\nno address here\n")
    (u,) = smtpteach.triage(path).events()
    assert u.text == "a bounce in plain text with no address it could read: Subject: =?x-unknown?q?failure_notice?="
    none = _raw_message(tmp_path, b"From: MAILER-DAEMON@example.org\nX-Failed-Recipients: bob@remote.example, "
                        b"cid@remote.example\n\nnothing\n", "none.eml")
    (u,) = smtpteach.triage(none).events()
    assert u.text == "a bounce in plain text with no address it could read: Subject: "


@pytest.mark.parametrize(("message", "read"), [
    ([0x41, 0x00, 0x42], True),  # a NUL is a byte like any other
    ([0x41, 255], True),
    ([0x41, 256], False),  # no byte: not the journal's bytes
    ([0x41, -1], False),
    ([0x41, "B"], False),
])
def test_a_journal_message_as_a_list_is_read_only_when_it_is_bytes(message, read):
    from smtpteach._triage._lines import _journal_entry

    entry = _journal_entry(json.dumps({"SYSLOG_IDENTIFIER": "postfix/smtp", "MESSAGE": message}))
    assert (entry is not None) == read
    if read:
        # a byte that is no UTF-8 is read as Latin-1, as a log file's is (255: "ÿ", not U+FFFD)
        assert entry[1] == {b"A\x00B": "A\x00B", b"A\xff": "A\xff"}[bytes(message)]
        assert entry[2] is None  # no time given, none made up


def test_a_message_that_is_no_bounce_is_named_by_its_decoded_subject(tmp_path):
    path = _raw_message(tmp_path, b"From: ana@example.com\nSubject: =?UTF-8?Q?L=E1=BB=8Bch_h=E1=BB=8Dp?=\n\nhello\n")
    (u,) = smtpteach.triage(path).events()
    assert u.text == "not a delivery status notification (RFC 3464): text/plain, Subject: Lịch họp"


# -- Postfix's expiry: the recipients it gave up ------------------------------------------------


def _pf(time: str, qid: str, rest: str, prog: str = "smtp") -> str:
    return f"Dec  {time} mx postfix/{prog}[7]: {qid}: {rest}"


EXPIRY = [
    _pf("1 10:00:00", "4ABC123", "to=<bob@example.net>, relay=none, delay=60, dsn=4.4.1, status=deferred "
        "(connect to mx.example.net[192.0.2.5]:25: Connection timed out)"),
    _pf("1 10:00:01", "4ABC123", "to=<cid@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=61, dsn=4.2.2, "
        "status=deferred (host mx.example.org[192.0.2.9] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))"),
    _pf("1 10:00:02", "4ABC123", "to=<dee@example.com>, relay=mx.example.com[192.0.2.7]:25, delay=62, dsn=4.7.1, "
        "status=deferred (host mx.example.com[192.0.2.7] said: 450 4.7.1 Greylisted (in reply to RCPT TO command))"),
    # dee gets through at the next try; bob's last attempt times out again, later
    _pf("1 10:05:00", "4ABC123", "to=<dee@example.com>, relay=mx.example.com[192.0.2.7]:25, delay=300, dsn=2.0.0, "
        "status=sent (250 2.0.0 Ok: queued as 1A2B3C)"),
    _pf("6 09:00:00", "4ABC123", "to=<bob@example.net>, relay=none, delay=431940, dsn=4.4.2, status=deferred "
        "(lost connection with mx.example.net[192.0.2.5] while receiving the initial server greeting)"),
    _pf("6 10:00:01", "4ABC123", "from=<ana@example.com>, status=expired, returned to sender", "qmgr"),
    _pf("6 10:00:01", "4ABC123", "sender non-delivery notification: 5DEF456", "bounce"),
    _pf("6 10:00:02", "4ABC123", "removed", "qmgr"),
]


def test_a_postfix_expiry_is_one_record_for_each_recipient_still_deferred_with_its_last_cause():
    records = list(smtpteach.triage(EXPIRY))
    expired = [r for r in records if r.status == "expired"]
    # the delivered recipient is no part of it; the two still deferred are, in the order they were first deferred
    assert [(r.line, r.recipient, r.domain, r.queue_id) for r in expired] == [
        (6, "bob@example.net", "example.net", "4ABC123"), (6, "cid@example.org", "example.org", "4ABC123")]
    bob, cid = expired
    # each with the reply of its own last attempt: bob's is the later lost connection, not the first timeout
    assert bob.enhanced == "4.4.2" and "lost connection" in bob.text and "timed out" not in bob.text
    assert (cid.basic, cid.enhanced) == ("452", "4.2.2") and "Mailbox full" in cid.text
    for r in expired:
        assert r.text.startswith("status=expired, returned to sender; last attempt: dsn=4.")
        assert (r.kind, r.time, r.reason, r.permanent, r.retry) == ("postfix", "Dec  6 10:00:01", "expired", False,
                                                                    "fix-then-retry")
    s = smtpteach.triage(EXPIRY).summary()
    assert s.records == 7 and s.by_status == {"deferred": 4, "delivered": 1, "expired": 2}
    assert s.top_domains(5)["expired"] == [("example.net", 1), ("example.org", 1)]


def test_who_acts_on_a_postfix_expiry_is_whoever_its_last_cause_points_to():
    # the message expired because Yahoo distrusted the sending IP, or because the sender's own TLS policy found no
    # STARTTLS: the sending side's administrator has to act, not the receiving side's; a full mailbox is the
    # recipient's; greylisting that never passed in five days is the receiving side's, as an expiry is
    lines = [
        _pf("1 10:00:00", "5ABC123", "to=<u@yahoo.com>, relay=mta7.am0.yahoodns.net[67.195.204.77]:25, dsn=4.7.0, "
            "status=deferred (host mta7.am0.yahoodns.net[67.195.204.77] said: 421 4.7.0 [TSS04] Messages from "
            "203.0.113.5 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1 "
            "(in reply to MAIL FROM command))"),
        _pf("1 10:00:01", "5ABC123", "to=<v@tls.example>, relay=mx.tls.example[192.0.2.80]:25, dsn=4.7.5, "
            "status=deferred (TLS is required, but was not offered by host mx.tls.example[192.0.2.80])"),
        EXPIRY[1].replace("4ABC123", "5ABC123"), EXPIRY[2].replace("4ABC123", "5ABC123"), EXPIRY[4].replace("4ABC123", "5ABC123"),
        EXPIRY[5].replace("4ABC123", "5ABC123"),
    ]
    expired = [r for r in smtpteach.triage(lines) if r.status == "expired"]
    assert [(r.recipient, r.reason, r.retry, r.actor) for r in expired] == [
        ("u@yahoo.com", "expired", "fix-then-retry", "sender-admin"),
        ("v@tls.example", "expired", "fix-then-retry", "sender-admin"),
        ("cid@example.org", "expired", "fix-then-retry", "recipient"),
        ("dee@example.com", "expired", "fix-then-retry", "recipient-admin"),
        ("bob@example.net", "expired", "fix-then-retry", "recipient-admin"),
    ]


@pytest.mark.parametrize("reply, deferred_as", [
    # a mail loop, said as a loop (its note): the expiry takes who acts from it, and is said as an expiry, with no note
    ("451 4.4.6 Mail loop detected (in reply to end of DATA command)", ("networkerror", "recipient-admin", "mailloop")),
    # "451 4.0.0 Deferred" says nothing of why: explain() names no reason, whose advice would give the sending side's
    # administrator; the expiry's own actor stands
    ("451 4.0.0 Deferred (in reply to RCPT TO command)", ("undefined", "sender-admin", None)),
])
def test_a_postfix_expiry_takes_only_who_acts_from_a_cause_its_last_attempt_names(reply, deferred_as):
    dsn = reply.split()[1]
    lines = [_pf("1 10:00:00", "7ABC123", f"to=<al@example.net>, relay=mx.example.net[192.0.2.9]:25, dsn={dsn}, "
                 f"status=deferred (host mx.example.net[192.0.2.9] said: {reply})"),
             EXPIRY[5].replace("4ABC123", "7ABC123")]
    deferred, expired = smtpteach.triage(lines)
    assert (deferred.status, deferred.reason, deferred.actor, deferred.note) == ("deferred", *deferred_as)
    assert (expired.status, expired.reason, expired.actor, expired.note) == ("expired", "expired", "recipient-admin",
                                                                            None)


def test_a_postfix_expiry_with_no_deferral_before_it_is_one_record_with_no_recipient():
    lines = [EXPIRY[0], _pf("1 10:00:03", "4ABC123", "to=<bob@example.net>, relay=mx.example.net[192.0.2.5]:25, "
                            "dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.5] said: 550 5.1.1 no such user)"),
             EXPIRY[5]]
    got = [(r.recipient, r.status) for r in smtpteach.triage(lines)]
    # the bounce closed bob's deferral: the expiry that follows knows no recipient of its own
    assert got == [("bob@example.net", "deferred"), ("bob@example.net", "bounced"), (None, "expired")]
    # another message's deferrals are not this one's; and a message removed from the queue is forgotten
    other = EXPIRY[0].replace("4ABC123", "9XYZ987")
    removed = _pf("1 11:00:00", "4ABC123", "removed", "qmgr")
    for before in ([other], [EXPIRY[0], removed]):
        assert [(r.recipient, r.status) for r in smtpteach.triage([*before, EXPIRY[5]])][-1] == (None, "expired")


def test_a_postfix_expiry_finds_the_deferrals_of_an_earlier_file(tmp_path):
    older, newer = tmp_path / "mail.log.1", tmp_path / "mail.log"
    older.write_text("\n".join(EXPIRY[:3]) + "\n", encoding="utf-8")
    newer.write_text(EXPIRY[5] + "\n", encoding="utf-8")
    got = [(r.source, r.recipient) for r in smtpteach.triage([str(older), str(newer)]) if r.status == "expired"]
    assert got == [(str(newer), "bob@example.net"), (str(newer), "cid@example.org"), (str(newer), "dee@example.com")]


def test_open_postfix_deferrals_are_bounded_the_oldest_forgotten_first(monkeypatch):
    import smtpteach._triage._mta_lines as triage_module

    monkeypatch.setattr(triage_module, "OPEN_DEFERRALS", 2)
    lines = [EXPIRY[0].replace("4ABC123", qid) for qid in ("Q1", "Q2", "Q3")]
    lines += [EXPIRY[5].replace("4ABC123", qid) for qid in ("Q1", "Q2", "Q3")]
    got = [(r.queue_id, r.recipient) for r in smtpteach.triage(lines) if r.status == "expired"]
    assert got == [("Q1", None), ("Q2", "bob@example.net"), ("Q3", "bob@example.net")]
    # a further deferral of a message already remembered forgets nothing
    lines = [EXPIRY[0].replace("4ABC123", "Q1"), EXPIRY[0].replace("4ABC123", "Q2"),
             EXPIRY[1].replace("4ABC123", "Q2"), EXPIRY[5].replace("4ABC123", "Q1")]
    assert [r.recipient for r in smtpteach.triage(lines)][-1] == "bob@example.net"


# -- input that is hostile or odd: one message or file never stops the run ------------------------------------

UTF8_DSN = _dsn(["Final-Recipient: utf-8; tiên@trường.vn\nAction: failed\nStatus: 5.1.1\n"
                 "Diagnostic-Code: smtp; 550 5.1.1 Người nhận không tồn tại\n"],
                per_message="Reporting-MTA: dns; mx.example.vn\nArrival-Date: Thứ 6, 04 Dec 2026 13:00:40 +0700\n")


def test_a_bounce_whose_fields_hold_utf8_is_read_as_utf8(tmp_path):
    # RFC 6532/6533: an internationalised bounce writes its addresses and diagnostics in UTF-8, raw in the field;
    # the parser hands such a field over as a Header (an operator's one message stopped the run with a TypeError)
    (r,) = smtpteach.triage(_raw_message(tmp_path, UTF8_DSN))
    assert (r.recipient, r.domain, r.reason, r.status) == ("tiên@trường.vn", "trường.vn", "userunknown", "bounced")
    assert r.text.endswith("Diagnostic-Code: smtp; 550 5.1.1 Người nhận không tồn tại") and "\ufffd" not in r.text
    assert r.time == "Thứ 6, 04 Dec 2026 13:00:40 +0700"
    # Exim's X-Failed-Recipients in UTF-8 names the address the text lists, as it is
    path = _raw_message(tmp_path, ("From: Mail Delivery System <Mailer-Daemon@mx.example.vn>\n"
                                   "X-Failed-Recipients: tiên@trường.vn\nSubject: Mail delivery failed\n\n"
                                   "  tiên@trường.vn\n    550 5.1.1 Người nhận không tồn tại\n").encode("utf-8"), "x.eml")
    assert [(r.recipient, r.reason) for r in smtpteach.triage(path)] == [("tiên@trường.vn", "userunknown")]


def test_a_message_that_cannot_be_taken_apart_is_unrecognised_and_the_next_is_read(tmp_path):
    folder = tmp_path / "bounces"
    folder.mkdir()
    deep = b"From: a@example.org\nSubject: Undelivered\nMIME-Version: 1.0\n" + b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(3000)) + b"\nhi\n"
    (folder / "1.eml").write_bytes(deep)
    # a charset that cannot replace what it cannot decode ("idna"): read as UTF-8
    (folder / "2.eml").write_bytes(b"From: Mailer-Daemon@mx.example.com\nX-Failed-Recipients: bob@example.org\n"
                                   b"Subject: Mail delivery failed\nContent-Type: text/plain; charset=idna\n\n"
                                   b"  bob@example.org\n    550 5.1.1 User unknown\n")
    (folder / "3.eml").write_bytes(UTF8_DSN)
    t = smtpteach.triage(str(folder))
    events = list(t.events())
    assert [(Path(r.source).name, r.recipient) for r in events if isinstance(r, smtpteach.Record)] == [
        ("2.eml", "bob@example.org"), ("3.eml", "tiên@trường.vn")]
    (unread,) = [e for e in events if type(e).__name__ == "_Unrecognised"]
    assert unread.source.endswith("1.eml") and unread.text == ("a message that could not be read: MIME parts nested "
                                                               "too deep to read")
    assert t.summary().problems == []


@pytest.mark.parametrize("data, why", [
    (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "is not text: a program (ELF)"),
    (b"\x7fELX\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "holds NUL bytes (at offset 7): it is not text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "is not text: a PNG image"),
    (b"%PDF-1.7\n550 5.1.1 in a PDF's text is no reply\n", "is not text: a PDF document"),
    (__import__("bz2").compress(b"550 5.1.1 User unknown\n"),
     "is not text: a bzip2 file, which triage does not unpack: bunzip2 it first"),
    (bytes(5000), "holds NUL bytes (at offset 0): it is not text"),
    ("550 5.1.1 User unknown\n".encode("utf-16-le") * 4,
     "holds NUL bytes (at offset 1): it is not text (UTF-16 text needs its byte order mark)"),
    ("550 5.1.1 User unknown\n".encode("utf-16-be") * 4,
     "holds NUL bytes (at offset 0): it is not text (UTF-16 text needs its byte order mark)"),
])
def test_a_file_that_is_no_text_is_named_and_exits_2(data, why, tmp_path, capsys):
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    status, out, err = run(["triage", "--format", "csv", str(path)], capsys)
    assert status == 2 and out == "\n".join(FIELDS).replace("\n", ",") + "\n"  # the header row, and no record
    assert err == f"smtpteach triage: {path}: {why}\n"
    # gzip-compressed, the same
    gz = tmp_path / "x.gz"
    gz.write_bytes(gzip.compress(data))
    assert run(["triage", str(gz)], capsys)[2].startswith(f"smtpteach triage: {gz}: {why}\n")


def test_nul_bytes_after_the_first_line_are_dropped_and_an_endless_line_is_cut(tmp_path, monkeypatch):
    import smtpteach._triage._sources as triage_module

    line = ("Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=x[192.0.2.1]:25, dsn=5.1.1, "
            "status=bounced (host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))\n")
    log = tmp_path / "mail.log"
    # a run of NUL bytes where a crash cut the log, at the start of a line
    log.write_bytes((line + "\x00" * 3000 + line).encode())
    got = list(smtpteach.triage(str(log)))
    assert [(r.line, r.reason) for r in got] == [(1, "userunknown"), (2, "userunknown")]
    assert "\x00" not in got[1].text and got[1].time == "Dec  4 10:00:01"
    # a line longer than MAX_LINE_CHARS is read up to there; the rest of it is skipped, and the next line read
    monkeypatch.setattr(triage_module, "MAX_LINE_CHARS", 300)
    log.write_text(line.rstrip("\n") + " x" * 1000 + "\n" + line, encoding="utf-8")
    got = list(smtpteach.triage(str(log)))
    assert [(r.line, r.reason, len(r.text)) for r in got][1:] == [(2, "userunknown", len(got[1].text))]
    assert len(got) == 2 and got[0].reason == "userunknown" and len(got[0].text) < 300


def test_a_path_no_file_can_have_is_named_and_the_title_counts_one_attempt(tmp_path, capsys):
    events = list(smtpteach.triage(["bad\x00name"]).events())
    assert [(e.source, e.message) for e in events] == [("bad\x00name", "cannot read it: a path cannot hold a NUL character")]
    status, out, err = run(["triage", ""], capsys)
    assert status == 2 and err.startswith("smtpteach triage: '': an empty path names no file\n")
    log = tmp_path / "one.log"
    log.write_text("550 5.1.1 no such user\n", encoding="utf-8")
    for lang, title in (("en", "Triage of 1 delivery attempt\n"), ("vi", "Phân loại 1 lần thử chuyển phát\n")):
        assert run(["triage", "--lang", lang, str(log)], capsys)[1].startswith(title)
    html = run(["triage", "--format", "html", str(log)], capsys)[1]
    assert "<title>smtpteach triage: 1 delivery attempt</title>" in html and "<h1>Triage of 1 delivery attempt</h1>" in html
    log.write_text("550 5.1.1 no such user\n452 4.2.2 full\n", encoding="utf-8")
    assert run(["triage", str(log)], capsys)[1].startswith("Triage of 2 delivery attempts\n")


# -- journalctl's other output formats ------------------------------------------------------------------------


_PF_BOUNCE = ("7E3F405162: to=<kt@example.net>, relay=mx.example.net[192.0.2.2]:25, delay=0.8, dsn=5.1.1, "
              "status=bounced (host mx.example.net[192.0.2.2] said: 550 5.1.1 <kt@example.net>: Recipient address "
              "rejected: User unknown (in reply to RCPT TO command))")
_PF_REJECT = ("NOQUEUE: reject: RCPT from unknown[203.0.113.40]: 554 5.7.1 <v@other.example>: Relay access denied; "
              "from=<x@example.com> to=<v@other.example> proto=ESMTP helo=<a>")


@pytest.mark.parametrize("stamp", [
    "1709608321.123456",                  # -o short-unix
    "Tue 2024-03-05 10:12:01 +07",        # -o short-full
    "Tue 2024-03-05 10:12:01 UTC",
    "[ 86412.123456]",                    # -o short-monotonic
    "2024-03-05T10:12:01+0700",           # -o short-iso
])
def test_journalctl_short_formats_are_read_as_the_log_they_are(stamp):
    lines = [f"{stamp} mx1 postfix/smtp[4431]: {_PF_BOUNCE}", f"{stamp} mx1 postfix/smtpd[900]: {_PF_REJECT}"]
    t = smtpteach.triage(lines)
    got = [(r.kind, r.time, r.queue_id, r.recipient, r.status, r.reason) for r in t]
    assert got == [("postfix", stamp, "7E3F405162", "kt@example.net", "bounced", "userunknown")]
    # another server's mail that this one refused is no delivery attempt of this one's
    assert t.summary().other_lines == 1 and t.summary().unrecognised == 0


def test_journalctl_cat_gives_postfix_lines_with_no_program_and_they_are_read_by_their_shape():
    lines = ["9A51627384: from=<a@example.com>, size=18234, nrcpt=1 (queue active)", _PF_BOUNCE, _PF_REJECT,
             "9A51627384: removed", "3l8L6X6lCPz7t2M: to=<b@example.org>, relay=none, delay=30, dsn=4.4.1, "
             "status=deferred (connect to mx.example.org[192.0.2.3]:25: Connection timed out)"]
    t = smtpteach.triage(lines)
    assert [(r.line, r.kind, r.queue_id, r.status) for r in t] == [
        (2, "postfix", "7E3F405162", "bounced"), (5, "postfix", "3l8L6X6lCPz7t2M", "deferred")]
    s = t.summary()
    assert (s.other_lines, s.unrecognised) == (3, 0)  # before: the refusal was counted as a bounce of ours


def test_journalctl_verbose_entries_are_read_from_their_fields():
    entry = ("Tue 2024-03-05 10:12:01.123456 +07 [s=3f1c2b9e;i=1a2b3c;b=0f1e2d3c;m=5b8d80c0;t=612e3a1b;x=9a8b7c6d]\n"
             "    _HOSTNAME=mx1\n    PRIORITY=6\n    _COMM=smtp\n    SYSLOG_IDENTIFIER={prog}\n"
             "    MESSAGE={msg}\n    _PID=4431\n")
    text = entry.format(prog="postfix/smtp", msg=_PF_BOUNCE) + entry.format(prog="postfix/smtpd", msg=_PF_REJECT)
    t = smtpteach.triage([text])
    got = [(r.line, r.kind, r.time, r.recipient, r.reason) for r in t]
    assert got == [(1, "postfix", "Tue 2024-03-05 10:12:01.123456 +07", "kt@example.net", "userunknown")]
    assert t.summary().other_lines == 1
    # an entry of another program is no attempt, whatever its message says
    other = entry.format(prog="sshd", msg="550 5.1.1 is not what sshd says")
    assert list(smtpteach.triage([other])) == []


def test_a_dsn_that_failed_for_time_is_expired_as_the_logs_are(tmp_path):
    # Action: failed with Status: 4.4.7 is a message the queue gave up for time, as Postfix's status=expired and Exim's
    # "retry timeout exceeded" are (an operator review: it was counted bounced)
    got = [(r.recipient, r.status, r.reason, r.retry) for r in _triage_bytes(tmp_path, _T447)]
    assert got == [("bob@example.net", "expired", "expired", "fix-then-retry"),
                   ("cid@example.net", "bounced", "userunknown", "dont-retry")]
    # ... a delay notice with the same status says the queue is still trying
    delayed = _T447.replace(b"Action: failed\nStatus: 4.4.7", b"Action: delayed\nStatus: 4.4.7")
    assert _triage_bytes(tmp_path, delayed, "y.eml")[0].status == "deferred"


_T447 = _dsn(["Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 4.4.7\n"
              "Diagnostic-Code: smtp; 451 4.4.7 Delivery expired (message too old)\n",
              "Final-Recipient: rfc822; cid@example.net\nAction: failed\nStatus: 5.1.1\n"
              "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"])


def test_a_content_filter_on_the_host_is_a_hop_of_its_own_and_its_failures_are_ours():
    # an operator review: a local amavis counted each message twice as delivered, and when it was down the failures
    # were put on the receiving side of gmail.com and the others
    lines = [
        "Mar  5 10:30:01 mail postfix/smtp[1]: 5A6B7C8D9E: to=<kh1@example.net>, relay=127.0.0.1[127.0.0.1]:10032, "
        "delay=0.6, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10030): 250 2.0.0 Ok: queued as 6B7C8D9E0F)",
        "Mar  5 10:30:02 mail postfix/smtp[2]: 6B7C8D9E0F: to=<kh1@example.net>, relay=mx.example.net[192.0.2.10]:25, "
        "delay=1.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7C8D9E0F1A)",
        "Mar  5 10:31:01 mail postfix/smtp[3]: 8D9E0F1A2B: to=<kh2@example.org>, relay=none, delay=600, dsn=4.4.1, "
        "status=deferred (connect to 127.0.0.1[127.0.0.1]:10032: Connection refused)",
        "Mar  5 10:31:02 mail postfix/smtp[4]: 9E0F1A2B3C: to=<kh3@example.com>, relay=none, delay=600, dsn=4.4.1, "
        "status=deferred (connect to mx.example.com[192.0.2.20]:25: Connection refused)",
        # a delivery into the host's own mailbox store over LMTP is a delivery
        "Mar  5 10:31:05 mail postfix/lmtp[5]: 1A2B3C4D5E: to=<nv1@example.org>, relay=127.0.0.1[127.0.0.1]:24, "
        "delay=0.2, dsn=2.0.0, status=sent (250 2.0.0 <nv1@example.org> Saved)",
    ]
    t = smtpteach.triage(lines)
    got = [(r.line, r.status, r.reason, r.actor) for r in t]
    assert got == [(1, "relayed", "delivered", "nobody"), (2, "delivered", "delivered", "nobody"),
                   (3, "deferred", "networkerror", "sender-admin"), (4, "deferred", "networkerror", "recipient-admin"),
                   (5, "delivered", "delivered", "nobody")]
    s = t.summary()
    assert s.by_status == {"relayed": 1, "delivered": 2, "deferred": 2} and s.failing == 2


# -- bounces in plain text of other MTAs (an operator review: each was unrecognised) -----------------------------


@pytest.mark.parametrize("head, body, want", [
    # Sendmail's own, with no DSN part: each address in angle brackets, the lines about it indented; its transcript and
    # the returned message (its marker indented) are not read as failures
    ("From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\nSubject: Returned mail: see transcript for details",
     """The original message was received at Tue, 5 Mar 2024 10:11:58 +0700

   ----- The following addresses had permanent fatal errors -----
<ann@example.net>
    (reason: 550 5.1.1 <ann@example.net>... User unknown)
<bob@example.org>
    (reason: 552 5.2.2 Mailbox full)

   ----- Transcript of session follows -----
... while talking to mx1.example.net.:
>>> RCPT To:<ann@example.net>
<<< 550 5.1.1 <ann@example.net>... User unknown

   ----- Original message follows -----

Return-Path: <ana@example.com>
To: ann@example.net, bob@example.org, cid@example.org
""", [("ann@example.net", "bounced", "550", "userunknown"), ("bob@example.org", "bounced", "552", "mailboxfull")]),
    # ... and its delay warning
    ("From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\nSubject: Warning: could not send message for past 4 hours",
     """    **********************************************
    **      THIS IS A WARNING MESSAGE ONLY      **
    **********************************************

   ----- Transcript of session follows -----
<cid@example.org>... Deferred: Connection timed out with mail.example.org.
Warning: message still undelivered after 4 hours
""", [("cid@example.org", "deferred", None, "networkerror")]),
    # Courier's, with its transcript under each address
    ('From: "Courier mail server at mail.example.com" <@>\nSubject: NOTICE: mail delivery status.',
     """                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<ann@example.net>:
    mx.example.net [192.0.2.11]:
>>> RCPT TO:<ann@example.net>
<<< 550 5.1.1 <ann@example.net>: Recipient address rejected: User unknown

<bob@example.org>:
    mail.example.org [192.0.2.12]:
<<< 552 5.2.2 Mailbox quota exceeded
""", [("ann@example.net", "bounced", "550", "userunknown"), ("bob@example.org", "bounced", "552", "mailboxfull")]),
    ('From: "Courier mail server at mail.example.com" <@>\nSubject: WARNING: delayed mail.',
     """Your message to the following recipients has not yet been delivered.

<dee@example.org>:
    mx.example.org [192.0.2.13]:
<<< 451 4.7.1 Greylisting in action, please come back later
""", [("dee@example.org", "deferred", "451", "blocked")]),
    # Exchange's, as text: each address bare, then its host and "Remote Server returned"
    ("From: Microsoft Outlook <MicrosoftExchange329e71ec@example.com>\nSubject: Undeliverable: offer",
     """Delivery has failed to these recipients or groups:

ann@example.net (ann@example.net)
Your message wasn't delivered because the recipient's email provider rejected it.

Diagnostic information for administrators:

Generating server: EX01.example.local

ann@example.net
mx.example.net
Remote Server returned '550 5.7.1 Service unavailable, Client host [192.0.2.10] blocked using zen.spamhaus.org'

bob@example.org
mx.example.org
Remote Server returned '552 5.2.2 Mailbox full'

Original message headers:

Received: from EX01.example.local (10.1.1.5) by EX01.example.local
To: ann@example.net
""", [("ann@example.net", "bounced", "550", "blocked"), ("bob@example.org", "bounced", "552", "mailboxfull")]),
    # one recipient, named once and in no list: Domino's, and Gmail's old one (with X-Failed-Recipients)
    ("From: Mail Router <postmaster@domino.example.com>\nSubject: DELIVERY FAILURE: Error transferring to mx.example.net",
     """Your message

  Subject: minutes

was not delivered to:

  ann@example.net

because:

  Error transferring to mx.example.net; SMTP Protocol Returned a Permanent Error 550 5.1.1 <ann@example.net>... User unknown
""", [("ann@example.net", "bounced", "550", "userunknown")]),
    ("From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n"
     "X-Failed-Recipients: ann@example.net",
     """Delivery to the following recipient failed permanently:

     ann@example.net

Technical details of permanent failure:
The error that the other server returned was:
550 5.7.1 <ann@example.net>: Relay access denied

----- Original message -----

To: ann@example.net, bob@example.org
""", [("ann@example.net", "bounced", "550", "norelaying")]),
])
def test_plain_bounces_of_sendmail_courier_exchange_domino_and_gmail(head, body, want, tmp_path):
    path = _message(tmp_path, head, body)
    assert [(r.recipient, r.status, r.basic, r.reason) for r in smtpteach.triage(path)] == want


def test_a_bounce_that_names_two_addresses_in_no_list_is_not_guessed(tmp_path):
    path = _message(tmp_path, "From: MAILER-DAEMON@mail.example.com\nSubject: Undeliverable: offer",
                    "Your message was not delivered.\n\n  ann@example.net\n  bob@example.org\n\nSorry.\n")
    assert list(smtpteach.triage(path)) == []


def test_the_logs_of_qmail_opensmtpd_and_courier_are_read():
    # an operator review: their delivery lines were counted as lines that report no attempt
    lines = [
        "Mar  5 07:00:04 relay1 qmail: 1709596804.000001 starting delivery 42: msg 1234 to remote d1@example.net",
        "Mar  5 07:00:04 relay1 qmail: 1709596804.000002 starting delivery 44: msg 1235 to remote g1@example.org",
        "Mar  5 07:00:05 relay1 qmail: 1709596805.123456 delivery 42: failure: 192.0.2.59_does_not_like_recipient./"
        "Remote_host_said:_550_5.1.1_<d1@example.net>:_Recipient_address_rejected:_User_unknown/Giving_up_on_192.0.2.59./",
        "Mar  5 07:00:06 relay1 qmail: 1709596806.223456 delivery 43: deferral: Connected_to_192.0.2.24_but_connection_died._(#4.4.2)/",
        "Mar  5 07:00:06 relay1 qmail: 1709596806.323456 delivery 44: success: 192.0.2.70_accepted_message./Remote_host_said:_250_ok/",
        "Mar  5 07:00:07 relay1 courieresmtp: id=0000A1B2.65E6C3D4.00001234,from=<noreply@example.com>,addr=<e1@example.net>: "
        "550 5.1.1 <e1@example.net>: Recipient address rejected: User unknown",
        'Mar  5 07:00:08 relay1 smtpd[8001]: 9b1c2d3e4f5a6b7c mta delivery evpid=9b1c2d3e4f5a6b7c from=<noreply@example.com> '
        'to=<f1@example.org> rcpt=<-> source="192.0.2.10" relay="mx.example.org (192.0.2.27)" delay=1s result="TempFail" '
        'stat="421 4.7.0 Try again later"',
    ]
    got = [(r.line, r.kind, r.queue_id, r.recipient, r.status, r.basic, r.enhanced, r.reason) for r in smtpteach.triage(lines)]
    assert got == [
        # a delivery's queue ID is its message's number (msg 1234), which stays through every retry
        (3, "qmail", "1234", "d1@example.net", "bounced", "550", "5.1.1", "userunknown"),
        (4, "qmail", None, None, "deferred", None, "4.4.2", "networkerror"),  # its start was not in the log
        (5, "qmail", "1235", "g1@example.org", "delivered", "250", None, "delivered"),
        (6, "courier", "0000A1B2.65E6C3D4.00001234", "e1@example.net", "bounced", "550", "5.1.1", "userunknown"),
        (7, "opensmtpd", "9b1c2d3e4f5a6b7c", "f1@example.org", "deferred", "421", "4.7.0", got[-1][-1]),
    ]
    assert smtpteach.triage(lines).summary().other_lines == 2  # the two starts


def test_an_mbox_body_line_quoted_as_from_is_given_back_unquoted(tmp_path):
    # mboxo/mboxrd: a body line that starts with "From " is written ">From " in the mbox (a test audit: a reader that
    # left the quote passed); the message read from the mbox is the message that was stored
    from smtpteach._triage._sources import _mbox_messages

    stored = (b"From MAILER-DAEMON Tue Mar  5 10:00:00 2024\nFrom: MAILER-DAEMON@mx.example.com\nSubject: failure notice\n"
              b"\n<bob@example.org>:\n>From here on: 550 5.1.1 no such user\n\n"
              b"From MAILER-DAEMON Tue Mar  5 10:00:01 2024\nFrom: x@example.com\n\nbody\n")
    first, second = _mbox_messages(io.BytesIO(stored))
    assert b"\nFrom here on: 550 5.1.1 no such user\n" in first and b">From" not in first
    assert second == b"From: x@example.com\n\nbody\n"
    (tmp_path / "one.eml").write_bytes(first)
    gz = tmp_path / "box.gz"
    gz.write_bytes(gzip.compress(stored))  # read as a stream, by _mbox_messages
    got = [(r.recipient, r.basic, r.text) for r in smtpteach.triage(str(gz))]
    assert got == [(r.recipient, r.basic, r.text) for r in smtpteach.triage(str(tmp_path / "one.eml"))]
    assert got[0][2].startswith("From here on") and got[0][1] == "550"


def test_an_input_that_could_not_be_read_is_named_in_the_language_asked_for(tmp_path, capsys):
    # a Vietnamese reader's review: the reasons came in English inside the Vietnamese summary and on standard error
    png = tmp_path / "shot.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50))
    missing = tmp_path / "none.log"
    status, out, err = run(["triage", "--lang", "vi", str(png), str(missing)], capsys)
    assert status == 2
    assert err.splitlines() == [f"smtpteach triage: {png}: không phải tệp văn bản: ảnh PNG",
                                f"smtpteach triage: {missing}: không đọc được: không có tệp hay thư mục nào có tên này",
                                "smtpteach triage: 2 đầu vào không đọc được (đã nêu tên ở trên)"]
    assert f"  {png}: không phải tệp văn bản: ảnh PNG\n" in out and "is not text" not in out
    # in English, word for word the problem's own message, as the summary's English list keeps it
    t = smtpteach.triage([str(png), str(missing)])
    s = t.summary()
    assert s.problems == [f"{png}: is not text: a PNG image", f"{missing}: cannot read it: No such file or directory"]
    assert s.problem_lines() == s.problems
    assert smtpteach.triage([str(png)], lang="vi").summary().problem_lines() == [f"{png}: không phải tệp văn bản: ảnh PNG"]


def test_every_problem_and_file_kind_is_worded_in_each_language():
    from smtpteach._templates import fill
    from smtpteach._triage._sources import _BINARY_MAGIC

    en, vi = (smtpteach.default_catalogue().ui(lang=lang)["triage"] for lang in ("en", "vi"))
    assert set(en["problem"]) == set(vi["problem"]) and set(en["file_kinds"]) == set(vi["file_kinds"])
    assert {kind for _, kind in _BINARY_MAGIC} | {"utf16"} == set(en["file_kinds"])
    for key, english in en["problem"].items():
        slots = dict.fromkeys(re.findall(r"\{(\w+)\}", english), "X")
        assert fill(vi["problem"][key], slots) != fill(english, slots), key


# -- from a deliberate-bug audit of the day's readers: each case of each reader, not one ----------------------


_OSMTPD = ('Mar  5 07:00:08 relay1 smtpd[8001]: 9b1c2d3e4f5a6b7c mta delivery evpid=9b1c2d3e4f5a6b7c '
           'from=<noreply@example.com> to=<f1@example.org> rcpt=<-> source="192.0.2.10" '
           'relay="mx.example.org (192.0.2.27)" delay=1s result="{result}" stat="{stat}"')


@pytest.mark.parametrize("result, stat, status", [
    ("Ok", "250 2.0.0 Ok: queued as 1A2B", "delivered"), ("TempFail", "421 4.7.0 Try again later", "deferred"),
    ("PermFail", "550 5.1.1 No such user", "bounced"), ("Loop", "Loop detected", "bounced"),
])
def test_each_opensmtpd_result_is_its_status(result, stat, status):
    (r,) = smtpteach.triage([_OSMTPD.format(result=result, stat=stat)])
    assert (r.kind, r.recipient, r.status) == ("opensmtpd", "f1@example.org", status)


_COURIER_LINE = "Mar  5 07:00:07 relay1 courieresmtp: id=0000A1B2.65E6C3D4.0000123{n},from=<a@example.com>,addr=<{to}>{rest}"


def test_each_courier_line_is_one_attempt_and_its_closing_status_line_no_second():
    lines = [_COURIER_LINE.format(n=1, to="e1@example.net", rest=": 550 5.1.1 <e1@example.net>: User unknown"),
             _COURIER_LINE.format(n=1, to="e1@example.net", rest=",status: failure"),
             _COURIER_LINE.format(n=2, to="e2@example.net", rest=": 452 4.2.2 Mailbox full"),
             _COURIER_LINE.format(n=2, to="e2@example.net", rest=",status: deferred"),
             _COURIER_LINE.format(n=3, to="e3@example.net", rest=",status: success")]
    got = [(r.line, r.recipient, r.status, r.reason) for r in smtpteach.triage(lines)]
    assert got == [(1, "e1@example.net", "bounced", "userunknown"), (3, "e2@example.net", "deferred", "mailboxfull"),
                   (5, "e3@example.net", "delivered", "delivered")]


def test_qmail_local_deliveries_and_the_bound_on_open_deliveries(monkeypatch):
    import smtpteach._triage._mta_lines as triage_module

    start = "Mar  5 07:00:0{s} relay1 qmail: 170959680{s}.000001 starting delivery {n}: msg 1 to {where} {to}"
    end = "Mar  5 07:00:0{s} relay1 qmail: 170959680{s}.000002 delivery {n}: {how}: {text}"
    lines = [start.format(s=1, n=45, where="local", to="ops@example.org"),
             end.format(s=2, n=45, how="failure", text="Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/")]
    (r,) = smtpteach.triage(lines)
    assert (r.recipient, r.status, r.reason) == ("ops@example.org", "bounced", "userunknown")
    monkeypatch.setattr(triage_module, "OPEN_DEFERRALS", 2)
    lines = [start.format(s=s, n=n, where="remote", to=f"u{n}@example.org") for s, n in ((1, 1), (2, 2), (3, 3))]
    lines += [end.format(s=s, n=n, how="success", text="192.0.2.1_accepted_message./") for s, n in ((4, 1), (5, 2), (6, 3))]
    assert [r.recipient for r in smtpteach.triage(lines)] == [None, "u2@example.org", "u3@example.org"]


def test_a_journal_entry_named_by_comm_alone_and_short_full_on_every_weekday():
    entry = ("Tue 2024-03-05 10:12:01.123456 +07 [s=3f1c2b9e;i=1a2b3c;b=0f1e2d3c;m=5b8d80c0;t=612e3a1b;x=9a8b7c6d]\n"
             "    _COMM=postfix/smtp\n    MESSAGE=" + _PF_BOUNCE + "\n")
    assert [r.kind for r in smtpteach.triage([entry])] == ["postfix"]
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        (r,) = smtpteach.triage([f"{day} 2024-03-05 10:12:01 +07 mx1 postfix/smtp[1]: {_PF_BOUNCE}"])
        assert (r.kind, r.time) == ("postfix", f"{day} 2024-03-05 10:12:01 +07")


@pytest.mark.parametrize("qid", ["4F2A31C", "4F2A31C0", "4F2A31C0D2", "4F2A31C0D2AB", "3l8L6X6lCPz7t2M"])
def test_postfix_queue_ids_of_every_length_are_read_with_no_program(qid):
    (r,) = smtpteach.triage([_PF_BOUNCE.replace("7E3F405162", qid)])
    assert (r.kind, r.queue_id) == ("postfix", qid)


def test_a_content_filter_on_ipv6_loopback_is_a_hop_too():
    (r,) = smtpteach.triage(["Mar  5 10:30:01 mail postfix/smtp[1]: 5A6B7C8D9E: to=<kh1@example.net>, "
                             "relay=localhost[::1]:10024, delay=0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 6B7C)"])
    assert r.status == "relayed"


def test_an_expanded_or_relayed_attempt_is_no_failure(tmp_path):
    blocks = ["Final-Recipient: rfc822; list@example.org\nAction: expanded\nStatus: 2.0.0\n",
              "Final-Recipient: rfc822; gw@example.org\nAction: relayed\nStatus: 2.0.0\n"]
    path = tmp_path / "dsn.eml"
    path.write_bytes(_dsn(blocks))
    s = smtpteach.triage(str(path)).summary()
    assert s.by_status == {"expanded": 1, "relayed": 1} and s.failing == 0


@pytest.mark.parametrize("magic, named", [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff\xe0", "a JPEG image"), (b"GIF89a", "a GIF image"),
    (b"%PDF-1.4\n", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (an Office document?)"),
    (b"\x7fELF\x02", "a program (ELF)"), (b"BZh91AY&SY", "a bzip2 file, which triage does not unpack: bunzip2 it first"),
    (b"\xfd7zXZ\x00", "an xz file, which triage does not unpack: unxz it first"),
    (b"(\xb5/\xfd", "a zstd file, which triage does not unpack: unzstd it first"),
])
def test_each_kind_of_file_that_is_no_text_is_named(magic, named, tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(magic + b"550 5.1.1 no such user\n" * 3)
    assert smtpteach.triage(str(path)).summary().problems == [f"{path}: is not text: {named}"]


def test_a_sendmail_delay_notice_with_no_banner_is_a_delay_and_its_returned_copy_is_not_read(tmp_path):
    path = _message(tmp_path, "From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>\n"
                    "Subject: Warning: could not send message for past 4 hours", """
   ----- The following addresses had transient non-fatal errors -----
<cid@example.org>
    (reason: 451 4.3.0 Temporary system failure)

   ----- Original message follows -----

To: cid@example.org

  dee@example.org
""")
    assert [(r.recipient, r.status) for r in smtpteach.triage(path)] == [("cid@example.org", "deferred")]


def test_an_exchange_bounce_lists_only_addresses_with_their_reply(tmp_path):
    # a bare address with no "Remote Server returned" under it (a help address) is no failure
    path = _message(tmp_path, "From: Microsoft Outlook <MicrosoftExchange329e71ec@example.com>\nSubject: Undeliverable: x", """
Diagnostic information for administrators:

ann@example.net
mx.example.net
Remote Server returned '550 5.1.1 User unknown'

Questions? Write to
help@example.com
""")
    assert [r.recipient for r in smtpteach.triage(path)] == ["ann@example.net"]


def test_the_rest_of_an_overlong_line_is_skipped_and_the_next_line_read(monkeypatch):
    import smtpteach._triage._sources as triage_module

    monkeypatch.setattr(triage_module, "MAX_LINE_CHARS", 10)
    lines = list(triage_module._lines_of(io.TextIOWrapper(io.BytesIO(b"x" * 19 + b"\n" + b"550 ok\n"), "utf-8")))
    assert lines == ["x" * 10, "550 ok\n"]


def test_the_record_s_documented_kinds_are_the_kinds_there_are():
    from smtpteach._triage import KINDS, Record

    documented = re.search(r"``kind`` is one of (.*?);", Record.__doc__, re.S).group(1)
    assert re.findall(r"``(\w+)``", documented) == list(KINDS)


@pytest.mark.parametrize("rotated, live", [("mail.log.1.gz", "mail.log"), ("maillog-20261201.gz", "maillog")])
def test_a_rotated_log_is_read_before_the_live_one_so_the_expiry_finds_its_deferrals(tmp_path, rotated, live):
    """logrotate's older file sorts after the live one by name (mail.log < mail.log.1.gz), but its deferrals come
    first: read in name order, the expiry in the live log would name no recipient."""
    import gzip

    with gzip.open(tmp_path / rotated, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(EXPIRY[:5]) + "\n")
    (tmp_path / live).write_text("\n".join(EXPIRY[5:]) + "\n", encoding="utf-8")
    for source in (str(tmp_path), [str(tmp_path / live), str(tmp_path / rotated)]):
        records = list(smtpteach.triage(source))
        assert [r.source for r in records][:1] == [str(tmp_path / rotated)]
        expired = [(r.source, r.recipient) for r in records if r.status == "expired"]
        assert expired == [(str(tmp_path / live), "bob@example.net"), (str(tmp_path / live), "cid@example.org")]


def test_rotations_are_put_in_the_order_they_were_written_and_other_paths_keep_their_place():
    from smtpteach._triage import oldest_first

    given = ["a.eml", "log/mail.log", "log/mail.log.2.gz", "b.eml", "log/mail.log.1", "log/mail.log.12.gz",
             "x/maillog-20261203", "x/maillog-20261130.gz", "x/maillog", "c.eml"]
    assert oldest_first(given) == ["a.eml", "log/mail.log.12.gz", "log/mail.log.2.gz", "log/mail.log.1",
                                   "log/mail.log", "b.eml", "x/maillog-20261130.gz", "x/maillog-20261203",
                                   "x/maillog", "c.eml"]
    assert oldest_first(["mail.log.1"]) == ["mail.log.1"] and oldest_first([]) == []


def test_a_message_a_content_filter_took_only_to_drop_it_is_discarded_with_the_reason_its_words_give():
    """amavis answers the hand-off of a spam or a virus it quarantines with a 2xx, and Postfix logs status=sent:
    counted as delivered, the operator would never learn that ketoan@ got neither message."""
    relay = "relay=127.0.0.1[127.0.0.1]:10024, delay=1, dsn=2.7.0, status=sent"
    lines = [_pf("1 10:00:00", "1AAA", f"to=<ketoan@example.vn>, {relay} (250 2.7.0 Ok, discarded, id=28813-01 - spam)"),
             _pf("1 10:00:01", "1BBB", f"to=<ketoan@example.vn>, {relay} (250 2.7.0 Ok, discarded, id=28814-01 - "
                 "INFECTED: Eicar-Signature)"),
             _pf("1 10:00:02", "1CCC", f"to=<an@example.vn>, {relay.replace('2.7.0', '2.0.0')} (250 2.0.0 from "
                 "MTA(smtp:[127.0.0.1]:10025): "
                 "250 2.0.0 Ok: queued as 1DDD)"),
             _pf("1 10:00:03", "1EEE", "to=<bo@example.org>, relay=mx.example.org[192.0.2.1]:25, dsn=2.0.0, "
                 "status=sent (250 2.0.0 Ok: queued as 99)")]
    got = [(r.recipient, r.status, r.reason, r.basic, r.enhanced) for r in smtpteach.triage(lines)]
    assert got == [("ketoan@example.vn", "discarded", "spamdetected", "250", "2.7.0"),
                   ("ketoan@example.vn", "discarded", "virusdetected", "250", "2.7.0"),
                   ("an@example.vn", "relayed", "delivered", "250", "2.0.0"),
                   ("bo@example.org", "delivered", "delivered", "250", "2.0.0")]
    s = smtpteach.triage(lines).summary()
    assert s.by_status == {"discarded": 2, "relayed": 1, "delivered": 1} and s.failing == 2
    assert "bị hủy (discarded) 2" in smtpteach.triage(lines, lang="vi").summary().to_text()


@pytest.mark.parametrize("month", ["thg 3", "Thg 03", "thg 12"])
def test_a_journal_written_under_a_vietnamese_locale_is_read_as_an_english_one(month):
    """journalctl names the month as the locale does; under vi_VN a Postfix line starts "thg 3 12 09:15:02", and it
    was read as a bare reply, with no recipient, queue id or time."""
    line = (f"{month} 12 09:15:02 mx1 postfix/smtp[30118]: 4TvQJk2bWvz4wxq: to=<tranthib@khachhang.vn>, "
            "relay=mx1.khachhang.vn[203.162.4.10]:25, delay=0.68, dsn=5.1.1, status=bounced (host "
            "mx1.khachhang.vn[203.162.4.10] said: 550 5.1.1 <tranthib@khachhang.vn>: User unknown (in reply to RCPT "
            "TO command))")
    (r,) = smtpteach.triage([line])
    assert (r.kind, r.time, r.queue_id, r.recipient, r.status, r.reason) == (
        "postfix", f"{month} 12 09:15:02", "4TvQJk2bWvz4wxq", "tranthib@khachhang.vn", "bounced", "userunknown")


def _md(time: str, rest: str) -> str:
    return f"Tue 2026-12-01 {time}: {rest}"


MDAEMON_OUT = [
    "MDaemon Email Server for Windows 23.5.2 (SMTP (outbound))",
    _md("09:15:02.431", "Session 4521; child 1"),
    _md("09:15:02.431", "*  From: an@example.vn"),
    _md("09:15:02.431", "*  To: binh@example.org"),
    _md("09:15:02.556", "<-- 220 mx1.example.org ESMTP Postfix"),
    _md("09:15:02.556", "--> EHLO mail.example.vn"),
    _md("09:15:02.572", "<-- 250-mx1.example.org"),
    _md("09:15:02.572", "<-- 250 8BITMIME"),
    _md("09:15:02.603", "SSL negotiation successful (TLS 1.2, 2048 bit key exchange, 256 bit AES encryption)"),
    _md("09:15:02.619", "--> MAIL From:<an@example.vn> SIZE=24518"),
    _md("09:15:02.635", "<-- 250 2.1.0 Ok"),
    _md("09:15:02.635", "--> RCPT To:<binh@example.org>"),
    _md("09:15:02.650", "<-- 550 5.1.1 <binh@example.org>: Recipient address rejected: User unknown"),
    _md("09:15:02.650", "--> QUIT"),
    _md("09:15:02.666", "<-- 221 2.0.0 Bye"),
    _md("09:16:10.002", "Session 4523; child 2"),
    _md("09:16:10.002", "*  To: chi@example.com"),
    _md("09:16:10.002", "*  To: dung@example.com"),
    _md("09:16:10.143", "<-- 220 mx.example.com ESMTP"),
    _md("09:16:10.362", "--> MAIL From:<an@example.vn>"),
    _md("09:16:10.409", "<-- 250 2.1.0 OK"),
    _md("09:16:10.409", "--> RCPT To:<chi@example.com>"),
    _md("09:16:10.456", "<-- 250 2.1.5 OK"),
    _md("09:16:10.409", "--> RCPT To:<dung@example.com>"),
    _md("09:16:10.456", "<-- 452-4.2.2 The recipient's inbox is out of storage space."),
    _md("09:16:10.456", "<-- 452 4.2.2 Please direct the recipient to a help page."),
    _md("09:16:10.456", "--> DATA"),
    _md("09:16:10.503", "<-- 354  Go ahead"),
    _md("09:16:10.862", "Transfer Complete"),
    _md("09:16:11.190", "<-- 250 2.0.0 OK  1710209771"),
    _md("09:16:11.190", "--> QUIT"),
    _md("09:20:44.100", "Session 4530; child 1"),
    _md("09:20:44.100", "*  To: em@example.net"),
    _md("09:20:44.631", "<-- 421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily deferred due to user complaints"),
    _md("09:20:44.631", "--> QUIT"),
    _md("09:40:12.500", "Session 4541; child 1"),
    _md("09:40:12.500", "*  To: giang@example.edu"),
    _md("09:40:12.609", "<-- 220 mx.example.edu ESMTP ready"),
    _md("09:40:12.609", "--> STARTTLS"),
    _md("09:40:12.641", "<-- 220 2.0.0 Ready to start TLS"),
    _md("09:40:12.672", "Error during SSL negotiation: the client and server have no common algorithm"),
    _md("09:40:12.672", "SSL negotiation failed; the session will be terminated"),
]


def test_an_mdaemon_transcript_is_one_attempt_per_recipient_not_one_per_reply():
    """MDaemon logs each session's dialogue: its 220, 250 and 354 lines were each a "delivery", and "256 bit AES"
    a reply 256. An attempt is the reply to RCPT TO, to the message's end (for every recipient the server took),
    or a failure before them (for every recipient the session was for)."""
    got = [(r.line, r.kind, r.recipient, r.basic, r.enhanced, r.reason, r.status)
           for r in smtpteach.triage(MDAEMON_OUT)]
    assert got == [
        (13, "mdaemon", "binh@example.org", "550", "5.1.1", "userunknown", "bounced"),
        (26, "mdaemon", "dung@example.com", "452", "4.2.2", "mailboxfull", "deferred"),
        (30, "mdaemon", "chi@example.com", "250", "2.0.0", "delivered", "delivered"),
        (34, "mdaemon", "em@example.net", "421", "4.7.0", "badreputation", "deferred"),
        (41, "mdaemon", "giang@example.edu", None, None, "failedstarttls", "deferred"),
    ]
    (full,) = [r for r in smtpteach.triage(MDAEMON_OUT) if r.recipient == "dung@example.com"]
    assert "out of storage space" in full.text and "help page" in full.text  # the whole multi-line reply
    assert smtpteach.triage(MDAEMON_OUT).summary().by_status == {"deferred": 3, "bounced": 1, "delivered": 1}


def test_an_mdaemon_inbound_transcript_is_no_attempt_of_ours():
    """In MDaemon's inbound log the replies are ours ("--> 550 ..."): a refusal of mail coming in, as Postfix's
    NOQUEUE lines, no bounce of our own mail."""
    lines = ["MDaemon Email Server for Windows 23.5.2 (SMTP (inbound))",
             _md("10:02:11.123", "Session 4600; child 2"),
             _md("10:02:11.233", "--> 220 mail.example.vn ESMTP MDaemon 23.5.2"),
             _md("10:02:11.300", "<-- EHLO spam.example"),
             _md("10:02:11.301", "--> 250 mail.example.vn Hello"),
             _md("10:02:11.400", "<-- RCPT TO:<old@example.vn>"),
             _md("10:02:11.401", "--> 550 5.1.1 <old@example.vn>: unknown user")]
    s = smtpteach.triage(lines).summary()
    assert (s.records, s.unrecognised) == (0, 0)


def _hm(kind: str, thread: int, time: str, msg: str, session: int | None = None, peer: str = "192.0.2.9") -> str:
    if kind == "APPLICATION":
        return f'"APPLICATION"\t{thread}\t"2026-12-01 {time}"\t"{msg}"'
    return f'"{kind}"\t{thread}\t{session}\t"2026-12-01 {time}"\t"{peer}"\t"{msg}"'


HMAIL = [
    _hm("SMTPD", 3140, "08:01:02.530", "RECEIVED: RCPT TO:<old@example.vn>", 41),
    _hm("SMTPD", 3140, "08:01:02.590", "SENT: 550 Unknown user", 41),
    _hm("APPLICATION", 3140, "08:01:03.020", "SMTPDeliverer - Message 10771: Delivering message from a@example.org "
        "to hieu@example.vn. File: C:\\hMailServer\\Data\\x.eml"),
    _hm("APPLICATION", 3140, "08:01:03.050", "SMTPDeliverer - Message 10771: Local delivery completed."),
    _hm("APPLICATION", 2948, "08:05:00.010", "SMTPDeliverer - Message 10775: Delivering message from k@example.vn "
        "to thanh@example.com. File: C:\\hMailServer\\Data\\y.eml"),
    _hm("SMTPC", 2948, "08:05:00.110", "RECEIVED: 220 mx.example.com ESMTP", 45),
    _hm("SMTPC", 2948, "08:05:00.300", "SENT: MAIL FROM:<k@example.vn>", 45),
    _hm("SMTPC", 2948, "08:05:00.350", "RECEIVED: 250 2.1.0 OK", 45),
    _hm("SMTPC", 2948, "08:05:00.351", "SENT: RCPT TO:<thanh@example.com>", 45),
    _hm("SMTPC", 2948, "08:05:00.410", "RECEIVED: 550-5.1.1 The email account that you tried to reach does not "
        "exist.[nl]550 5.1.1 Please check the address.", 45),
    _hm("APPLICATION", 2955, "08:20:30.000", "SMTPDeliverer - Message 10790: Delivering message from i@example.vn "
        "to contact@example.net. File: C:\\hMailServer\\Data\\z.eml"),
    _hm("SMTPC", 2955, "08:20:30.150", "RECEIVED: 554 5.7.1 Service unavailable; Client host [192.0.2.21] blocked "
        "using b.barracudacentral.org", 49),
]


def test_an_hmailserver_log_is_read_by_its_client_sessions_and_local_deliveries():
    """hMailServer's log: the client sessions (SMTPC) give the attempts, a reply's lines joined by "[nl]"; a
    greeting that refuses us fails the message for the recipients its delivery thread named; the server's own
    replies (SMTPD) are mail coming in."""
    got = [(r.line, r.kind, r.recipient, r.basic, r.enhanced, r.reason, r.status)
           for r in smtpteach.triage(HMAIL)]
    assert got == [(4, "hmailserver", "hieu@example.vn", None, None, "delivered", "delivered"),
                   (10, "hmailserver", "thanh@example.com", "550", "5.1.1", "userunknown", "bounced"),
                   (12, "hmailserver", "contact@example.net", "554", "5.7.1", "blocked", "bounced")]
    bounced = list(smtpteach.triage(HMAIL))[1]
    assert bounced.text.splitlines() == ["550-5.1.1 The email account that you tried to reach does not exist.",
                                         "550 5.1.1 Please check the address."]


MDAEMON_BOUNCE_HEAD = """From: MDaemon@mail.example.vn
To: an@example.vn
Subject: {subject}
X-MDDSN-Message: Yes
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"
"""
MDAEMON_BOUNCE_BODY = """--B
Content-Type: text/plain; charset=us-ascii

{said}

--- Session Transcript ---
 Tue 2026-12-01 09:15:02.431: *  From: an@example.vn
{to} Tue 2026-12-01 09:15:02.556: <-- 220 mx1.example.org ESMTP
 Tue 2026-12-01 09:15:02.556: --> EHLO mail.example.vn
 Tue 2026-12-01 09:15:02.572: <-- 250 mx1.example.org
{dialogue}
 Tue 2026-12-01 09:15:02.650: --> QUIT
--- End Transcript ---

--B
Content-Type: message/rfc822

From: an@example.vn
To: <binh@example.org>
Subject: Bao gia

Xin chao.
--B--
"""


def test_an_mdaemon_bounce_is_read_by_the_session_transcript_it_quotes(tmp_path):
    """MDaemon's bounce lists no address in any form a plain bounce does: it quotes the session. It was
    unrecognised (while explain() read its 550); the recipient is the transcript's RCPT TO, or the returned
    message's own when the session failed before it, and a warning is a deferral."""
    final = _message(tmp_path, MDAEMON_BOUNCE_HEAD.format(subject="Permanent Delivery Failure"),
                     MDAEMON_BOUNCE_BODY.format(
                         said="The attached message had PERMANENT fatal delivery errors!",
                         to=" Tue 2026-12-01 09:15:02.431: *  To: binh@example.org\n",
                         dialogue=" Tue 2026-12-01 09:15:02.619: --> MAIL From:<an@example.vn>\n"
                                  " Tue 2026-12-01 09:15:02.635: <-- 250 2.1.0 Ok\n"
                                  " Tue 2026-12-01 09:15:02.635: --> RCPT To:<binh@example.org>\n"
                                  " Tue 2026-12-01 09:15:02.650: <-- 550 5.1.1 <binh@example.org>: User unknown"),
                     "final.eml")
    warning = _message(tmp_path, MDAEMON_BOUNCE_HEAD.format(subject="Warning: Message Delivery Delayed"),
                       MDAEMON_BOUNCE_BODY.format(
                           said="This is a WARNING message only.  You do NOT need to resend your message.",
                           to="",
                           dialogue=" Tue 2026-12-01 09:15:02.631: <-- 421 4.7.0 [TSS04] Messages from 192.0.2.20 "
                                    "temporarily deferred due to user complaints"),
                       "warning.eml")
    got = [(r.kind, r.recipient, r.basic, r.enhanced, r.reason, r.status, r.retry) for r in smtpteach.triage(final)]
    assert got == [("bounce", "binh@example.org", "550", "5.1.1", "userunknown", "bounced", "dont-retry")]
    got = [(r.kind, r.recipient, r.basic, r.status) for r in smtpteach.triage(warning)]
    assert got == [("bounce", "binh@example.org", "421", "deferred")]


def test_a_bounce_called_so_in_vietnamese_is_a_bounce(tmp_path):
    import email.header

    for subject in ("Thư không gửi được", "Thu khong gui duoc", "Gửi thư thất bại", "Thư bị trả lại: Báo giá",
                    "Không thể chuyển phát thư", "Gửi thư không thành công", "Thư không được gửi đi"):
        head = ("From: \"He thong thu\" <mailer-daemon@mail.example.vn>\nTo: info@example.vn\n"
                f"Subject: {email.header.Header(subject, 'utf-8').encode()}\nContent-Type: text/plain; charset=utf-8")
        path = _message(tmp_path, head, """Thư của bạn không thể gửi tới người nhận sau:

  nguoinhan@example.org
    Lý do: Địa chỉ email không tồn tại trên hệ thống.
    Mã lỗi: 550 5.1.1 User unknown
""", "vi.eml")
        got = [(r.kind, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(path)]
        assert got == [("bounce", "nguoinhan@example.org", "550", "userunknown", "bounced")], subject


def test_an_hmailserver_bounce_gives_every_recipient_it_lists(tmp_path):
    """hMailServer lists each address bare, then "Error Type:" and the remote server's reply or its own words: the
    block with no reply dropped the whole message."""
    path = _message(tmp_path, "From: mailer-daemon@mail.example.vn\nTo: kd@example.vn\n"
                              "Subject: Message undeliverable: Thu moi", """Your message did not reach some or all of the intended recipients.

   Sent: Tue, 01 Dec 2026 08:10:10 +0700
   Subject: Thu moi

The following recipient(s) could not be reached:

anh@example.org
   Error Type: SMTP
   Remote server (192.0.2.24) issued an error.
   hMailServer sent: RCPT TO:<anh@example.org>
   Remote server replied: 452 4.2.2 <anh@example.org>: Recipient address rejected: Mailbox full

doitac@nomx.example
   Error Type: SMTP
   No mail servers appear to exists for the recipients address.
   Please check that you have not misspelled the recipients email address.

hMailServer
""")
    got = [(r.recipient, r.basic, r.reason, r.actor, r.status) for r in smtpteach.triage(path)]
    assert got == [("anh@example.org", "452", "mailboxfull", "recipient", "bounced"),
                   ("doitac@nomx.example", None, "hostunknown", "sender", "bounced")]


HARAKA = [
    "[INFO] [-] [outbound] Processing delivery queue...",
    "[INFO] [8E2F1C0A-3B4D.1] [outbound] delivered file=1710208802311_0_2211_Jk3mQz_1_mx domain=gmail.com "
    "host=gmail-smtp-in.l.google.com ip=192.0.2.27 port=25 mode=SMTP tls=Y auth=N response=\"2.0.0 OK\"",
    "[NOTICE] [0C1D2E3F-4A5B.1] [outbound] Temp failing delivery: 421 4.7.0 [TSS04] Messages from 192.0.2.22 "
    "temporarily deferred due to user complaints",
    "[INFO] [0C1D2E3F-4A5B.1] [outbound] deferred file=1710208870100_0_2211_Lp8xWe_2_mx domain=yahoo.com delay=64 "
    "fails=1 rcpts=0/1/0 reason=\"421 4.7.0 [TSS04] Messages from 192.0.2.22 temporarily deferred due to user "
    "complaints\"",
    "[NOTICE] [5A6B7C8D-9E0F.1] [outbound] bounce file=1710208950200_0_2211_Qr5tYu_3_mx domain=example.vn "
    "rcpts=0/0/1 reason=\"550 5.1.1 <binh@example.vn>: Recipient address rejected: User unknown\"",
    "[INFO] [3B0D6C1E-5F2A] [core] hook=rcpt plugin=qmail-deliverable function=hook_rcpt params=<old@example.org> "
    "retval=DENY msg=\"mailbox does not exist\"",
]


@pytest.mark.parametrize("prefix", ["Dec  1 09:00:03 mx haraka[2211]: ", "2026-12-01T09:00:03.000Z "])
def test_haraka_s_outbound_queue_is_one_attempt_per_delivery_deferral_or_bounce(prefix):
    """Haraka's log was read as nothing (through syslog) or its deferral twice (on its standard output); its
    inbound hooks' DENY is mail coming in."""
    got = [(r.line, r.kind, r.domain, r.basic, r.enhanced, r.reason, r.status)
           for r in smtpteach.triage([prefix + line for line in HARAKA])]
    assert got == [(2, "haraka", "gmail.com", None, None, "delivered", "delivered"),
                   (4, "haraka", "yahoo.com", "421", "4.7.0", "badreputation", "deferred"),
                   (5, "haraka", "example.vn", "550", "5.1.1", "userunknown", "bounced")]
    assert smtpteach.triage([prefix + line for line in HARAKA]).summary().unrecognised == 0


KERIO = [
    "[01/Dec/2026 09:10:11] Recv: Queue-ID: 65efbe13-00000a2c, Service: SMTP, From: <a@example.com>, "
    "To: <hieu@example.vn>, Size: 6240, Sender-Host: mail.example.com (192.0.2.44), SSL: yes",
    "[01/Dec/2026 09:10:11] Sent: Queue-ID: 65efbe13-00000a2c, Recipient: <hieu@example.vn>, Result: delivered, "
    "Status: 2.0.0 , Remote-Host: 127.0.0.1, Msg-Id: <x1@example.com>",
    "[01/Dec/2026 09:12:41] Sent: Queue-ID: 65efbea8-00000a31, Recipient: <thanh@example.org>, Result: failed, "
    "Status: 5.1.1 , Remote-Host: 192.0.2.27, Msg-Id: <x2@example.vn>",
    "[01/Dec/2026 09:15:04] SMTP delivery: Message 65efbf37-00000a35 to <anh@example.net> will be retried: Remote "
    "host 192.0.2.24 replied: 452 4.2.2 <anh@example.net>: Recipient address rejected: Mailbox full",
    "[01/Dec/2026 09:25:10] SMTP Spam attack: Message from IP address 192.0.2.71 rejected, IP address is listed in "
    "blacklist zen.spamhaus.org (SMTP server returned: 550 5.7.1 Your IP address is blacklisted)",
]


def test_kerio_s_mail_and_warning_logs_name_each_attempt_s_recipient():
    """Kerio's lines name the recipient ("Recipient: <...>", "to <...>"): they were replies with none; its own
    refusal of a spammer ("SMTP Spam attack") is mail coming in, no bounce of ours."""
    got = [(r.line, r.kind, r.queue_id, r.recipient, r.basic, r.enhanced, r.reason, r.status)
           for r in smtpteach.triage(KERIO)]
    assert got == [(2, "kerio", "65efbe13-00000a2c", "hieu@example.vn", None, None, "delivered", "delivered"),
                   (3, "kerio", "65efbea8-00000a31", "thanh@example.org", None, "5.1.1", "userunknown", "bounced"),
                   (4, "kerio", "65efbf37-00000a35", "anh@example.net", "452", "4.2.2", "mailboxfull", "deferred")]
    s = smtpteach.triage(KERIO).summary()
    assert (s.records, s.unrecognised) == (3, 0)


def test_a_recipient_domain_is_counted_in_lower_case():
    # a domain is case-insensitive (RFC 5321 §2.4): Example.ORG and example.org are one receiving domain
    lines = [f"Dec  4 10:00:0{n} mx postfix/smtp[1]: A{n}: to=<{to}>, relay=x[192.0.2.1]:25, status=bounced "
             f"(host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))"
             for n, to in enumerate(["ann@Example.ORG", "bob@example.org"], 1)]
    t = smtpteach.triage(lines)
    assert [r.domain for r in t] == ["example.org", "example.org"]
    assert t.summary().family_domains() == [("userunknown", None, [("example.org", 2)])]


def test_an_attempt_relayed_to_a_content_filter_is_no_failing_reason_s_domain():
    # Postfix handing a message to amavis on 127.0.0.1 delivered nothing yet, and failed nothing either: its relay
    # is listed under no failing reason, and the summary says there was no failed attempt
    line = ("Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, "
            "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as B2)")
    summary = smtpteach.triage([line]).summary()
    assert summary.by_status == {"relayed": 1} and summary.failing == 0
    assert summary.family_domains() == [] and summary.top_domains() == {}
    assert "No failed attempt." in summary.to_text()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_html_report_names_attempts_with_no_domain_in_words(lang):
    # a reply alone names no recipient: its row of the domains table says so in words, as the text table does
    summary = smtpteach.triage(["550 5.1.1 no such user"], lang=lang).summary()
    words = summary.ui()["triage"]["no_domain"]
    page = summary.to_html()
    assert f'<tr><td>{words}</td><td class="n">1</td></tr>' in page  # words with no character to escape
    assert words in summary.to_text()


def test_the_chart_of_a_triage_with_no_attempt_says_so_in_the_reader_s_language():
    """Summary.svg() raised ValueError (max() of nothing) on a triage that found no attempt."""
    for lang, said in (("en", "no delivery attempt was recognised"),
                       ("vi", "không nhận dạng được lần thử chuyển phát nào")):
        picture = smtpteach.triage(["hello world"], lang=lang).summary().svg()
        assert picture.startswith("<svg") and said in picture and "<rect" not in picture


TRACKING_EXPORT = [
    '\ufeff"Timestamp","EventId","Source","Sender","Recipients","RecipientStatus","MessageSubject","ServerIp",'
    '"MessageId"',
    '"12/1/2026 9:15:02 AM","RECEIVE","SMTP","a@example.com","an@example.vn","","Hop dong","","<m1@example.com>"',
    '"12/1/2026 9:15:03 AM","DELIVER","STOREDRIVER","a@example.com","an@example.vn","","Hop dong","","<m1@example.com>"',
    '"12/1/2026 9:20:11 AM","RECEIVE","STOREDRIVER","k@example.vn","t@example.com;b@example.org","","Hoa don","",'
    '"<m2@example.vn>"',
    '"12/1/2026 9:20:12 AM","SEND","SMTP","k@example.vn","t@example.com","250 2.0.0 OK  1710210012 - gsmtp",'
    '"Hoa don","192.0.2.27","<m2@example.vn>"',
    '"12/1/2026 9:20:13 AM","FAIL","SMTP","k@example.vn","b@example.org","550 5.1.1 <b@example.org>: Recipient '
    'address rejected: User unknown","Hoa don","192.0.2.10","<m2@example.vn>"',
]
TRACKING_LOG = [
    "#Software: Microsoft Exchange Server",
    "#Version: 15.02.1544.004",
    "#Log-type: Message Tracking Log",
    "#Date: 2026-12-01T02:00:00.512Z",
    "#Fields: date-time,client-ip,server-ip,source,event-id,internal-message-id,message-id,recipient-address,"
    "recipient-status,total-bytes,sender-address",
    "2026-12-01T02:30:41.001Z,10.0.0.21,192.0.2.24,SMTP,DEFER,41231231299,<m3@example.vn>,anh@example.net,"
    "[{LRT=12/1/2026 2:30:41 AM};{LED=452 4.2.2 <anh@example.net>: Recipient address rejected: Mailbox full};"
    "{FQDN=mx.example.net};{IP=192.0.2.24}],8800,kd@example.vn",
    "2026-12-01T02:15:02.000Z,10.0.0.21,,SMTP,RECEIVE,41231231300,<m4@example.com>,an@example.vn,,6240,a@example.com",
]


def test_exchange_s_message_tracking_gives_each_recipient_s_send_deliver_defer_or_fail():
    """Exchange's tracking log (and Get-MessageTrackingLog exported as CSV) was read as nothing but the replies its
    statuses quote, with no recipient; a DELIVER row, a delivery into a mailbox, was unrecognised."""
    got = [(r.line, r.kind, r.recipient, r.basic, r.enhanced, r.reason, r.status)
           for r in smtpteach.triage(TRACKING_EXPORT)]
    assert got == [(3, "exchange", "an@example.vn", None, None, "delivered", "delivered"),
                   (5, "exchange", "t@example.com", "250", "2.0.0", "delivered", "delivered"),
                   (6, "exchange", "b@example.org", "550", "5.1.1", "userunknown", "bounced")]
    got = [(r.line, r.time, r.queue_id, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(TRACKING_LOG)]
    # a deferral's status holds its last error (LED) among other fields
    assert got == [(6, "2026-12-01T02:30:41.001Z", "41231231299", "anh@example.net", "452", "mailboxfull", "deferred")]
    s = smtpteach.triage(TRACKING_LOG).summary()
    assert (s.unrecognised, s.other_lines) == (0, 6)


def test_a_tracking_export_that_lost_its_lists_says_so_once_in_the_reader_s_language():
    """Export-Csv writes "System.String[]" for a list: every row's recipients are lost, and the operator is told how to
    export them, once, instead of a count of unrecognised lines alone."""
    lost = [line.replace('"t@example.com"', '"System.String[]"').replace('"b@example.org"', '"System.String[]"')
            for line in TRACKING_EXPORT[:1] + TRACKING_EXPORT[4:]]
    s = smtpteach.triage(lost).summary()
    assert (s.records, s.unrecognised) == (0, 2) and len(s.problems) == 1
    assert "System.String[]" in s.problems[0] and "-join ';'" in s.problems[0]
    vi = smtpteach.triage(lost, lang="vi").summary().problem_lines()
    assert len(vi) == 1 and "Export-Csv đã ghi System.String[]" in vi[0]


def test_a_transcript_s_replies_answer_its_commands_in_order_through_pipelining_bdat_and_several_messages():
    """A second operator review: a logged end-of-data dot ("--> .", hMailServer's "SENT: [nl].") lost the
    delivery; pipelined commands were answered out of step; each BDAT chunk's 250 was a delivery; a session's second
    message was charged with the first one's recipients; a connection that never opened was nothing."""
    session = [
        "MDaemon Email Server for Windows 23.5.2 (SMTP (outbound))",
        _md("10:00:00.000", "Session 5001; child 1"),
        _md("10:00:00.000", "Parsing message <D:\\q\\md1.msg>"),
        _md("10:00:00.000", "*  To: ann@example.org"),
        _md("10:00:00.000", "*  To: bo@example.org, cu@example.org"),
        _md("10:00:00.100", "<-- 220 mx.example.org ESMTP"),
        _md("10:00:00.100", "--> EHLO mail.example.vn"),
        _md("10:00:00.200", "<-- 250-mx.example.org"),
        _md("10:00:00.200", "<-- 250 PIPELINING"),
        _md("10:00:00.300", "--> MAIL From:<an@example.vn>"),   # pipelined: three commands, then three replies
        _md("10:00:00.300", "--> RCPT To:<ann@example.org>"),
        _md("10:00:00.300", "--> RCPT To:<bo@example.org>"),
        _md("10:00:00.400", "<-- 250 2.1.0 Ok"),
        _md("10:00:00.400", "<-- 550 5.1.1 <ann@example.org>: User unknown"),
        _md("10:00:00.400", "<-- 250 2.1.5 Ok"),
        _md("10:00:00.500", "--> BDAT 4000"),
        _md("10:00:00.600", "<-- 250 2.0.0 4000 octets received"),
        _md("10:00:00.700", "--> BDAT 120 LAST"),
        _md("10:00:00.800", "<-- 250 2.0.0 Message accepted"),
        _md("10:00:01.000", "--> RSET"),
        _md("10:00:01.100", "<-- 250 2.0.0 Ok"),
        _md("10:00:01.200", "Parsing message <D:\\q\\md2.msg>"),
        _md("10:00:01.200", "*  To: dan@example.org"),
        _md("10:00:01.300", "--> MAIL From:<spoof@example.vn>"),
        _md("10:00:01.400", "<-- 550 5.7.1 SPF check failed"),
        _md("10:00:01.500", "--> MAIL From:<an@example.vn>"),
        _md("10:00:01.600", "<-- 250 2.1.0 Ok"),
        _md("10:00:01.600", "--> RCPT To:<eve@example.org>"),
        _md("10:00:01.700", "<-- 250 2.1.5 Ok"),
        _md("10:00:01.700", "--> DATA"),
        _md("10:00:01.800", "<-- 354 End data with <CR><LF>.<CR><LF>"),
        _md("10:00:02.000", "--> ."),
        _md("10:00:02.100", "<-- 250 2.0.0 Ok: queued as 4AB"),
        _md("10:05:00.000", "Session 5002; child 2"),
        _md("10:05:00.000", "Parsing message <D:\\q\\md3.msg>"),
        _md("10:05:00.000", "*  To: fay@down.example"),
        _md("10:05:21.000", "Socket connect error 10060 (connection timed out) connecting to [192.0.2.99:25]"),
    ]
    got = [(r.line, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(session)]
    assert got == [(14, "ann@example.org", "550", "userunknown", "bounced"),
                   (19, "bo@example.org", "250", "delivered", "delivered"),  # once, for the LAST chunk
                   (25, "dan@example.org", "550", "authfailure", "bounced"),  # the second message's own recipient
                   (33, "eve@example.org", "250", "delivered", "delivered"),
                   (37, "fay@down.example", None, "networkerror", "deferred")]
    dot = [_hm("APPLICATION", 7, "09:00:00.000", "SMTPDeliverer - Message 1: Delivering message from a@example.vn "
               "to p1@example.org. File: C:\\x.eml"),
           _hm("SMTPC", 7, "09:00:00.100", "RECEIVED: 220 mx.example.org ESMTP", 3),
           _hm("SMTPC", 7, "09:00:00.200", "SENT: MAIL FROM:<a@example.vn>", 3),
           _hm("SMTPC", 7, "09:00:00.300", "RECEIVED: 250 2.1.0 OK", 3),
           _hm("SMTPC", 7, "09:00:00.400", "SENT: RCPT TO:<p1@example.org>", 3),
           _hm("SMTPC", 7, "09:00:00.500", "RECEIVED: 250 2.1.5 OK", 3),
           _hm("SMTPC", 7, "09:00:00.600", "SENT: DATA", 3),
           _hm("SMTPC", 7, "09:00:00.700", "RECEIVED: 354 Go ahead", 3),
           _hm("SMTPC", 7, "09:00:00.800", "SENT: [nl].", 3),
           _hm("SMTPC", 7, "09:00:00.900", "RECEIVED: 250 2.0.0 OK queued", 3)]
    assert [(r.line, r.recipient, r.status) for r in smtpteach.triage(dot)] == [(10, "p1@example.org", "delivered")]


def test_exchange_tracking_pairs_each_recipient_with_its_own_status_and_counts_a_hop_inside_it_once():
    """A second operator review: a FAIL row for two recipients gave both the first one's status; an
    Intra-Organization SEND counted a message as delivered twice (SEND, then DELIVER); a DROP was nothing; and the
    lines of another log after a #Fields line were lost."""
    fields = ("#Fields: date-time,server-ip,connector-id,source,event-id,internal-message-id,recipient-address,"
              "recipient-status,sender-address")
    rows = [fields,
            "2026-12-01T02:11:00.200Z,192.0.2.10,Outbound to Internet,SMTP,FAIL,101,nouser@example.net;"
            "fullbox@example.net,550 5.1.1 <nouser@example.net>: User unknown;552 5.2.2 <fullbox@example.net>: "
            "Mailbox full,a@example.vn",
            "2026-12-01T02:12:00.000Z,192.0.2.11,Outbound to Internet,SMTP,FAIL,102,ghost@example.net,550 5.1.10 "
            "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup,a@example.vn",
            "2026-12-01T02:14:00.000Z,,,AGENT,DROP,103,ceo@example.vn,550 5.7.1 TRANSPORT.RULES.RejectMessage; the "
            "message was deleted by a transport rule,x@example.org",
            "2026-12-01T02:15:00.000Z,10.0.0.21,Intra-Organization SMTP Send Connector,SMTP,SEND,104,u1@example.vn,"
            "250 2.1.5 Recipient OK,hr@example.vn",
            "2026-12-01T02:15:00.400Z,,,STOREDRIVER,DELIVER,104,u1@example.vn,,hr@example.vn",
            "Dec  1 08:00:02 mx1 postfix/smtp[1204]: 5A1B2C3D4F: to=<three@example.com>, relay=mx.example.com"
            "[192.0.2.5]:25, delay=1, dsn=5.7.1, status=bounced (host mx.example.com[192.0.2.5] said: 550 5.7.1 "
            "blocked using zen.spamhaus.org)"]
    got = [(r.kind, r.recipient, r.basic, r.enhanced, r.reason, r.status) for r in smtpteach.triage(rows)]
    assert got == [("exchange", "nouser@example.net", "550", "5.1.1", "userunknown", "bounced"),
                   ("exchange", "fullbox@example.net", "552", "5.2.2", "mailboxfull", "bounced"),
                   ("exchange", "ghost@example.net", "550", "5.1.10", "userunknown", "bounced"),
                   ("exchange", "ceo@example.vn", "550", "5.7.1", "policyviolation", "discarded"),
                   ("exchange", "u1@example.vn", "250", "2.1.5", "delivered", "relayed"),
                   ("exchange", "u1@example.vn", None, None, "delivered", "delivered"),
                   ("postfix", "three@example.com", "550", "5.7.1", "blocked", "bounced")]
    s = smtpteach.triage(rows).summary()
    assert s.by_status == {"bounced": 4, "discarded": 1, "relayed": 1, "delivered": 1}


def test_kerio_s_two_logs_count_an_attempt_once_and_a_relay_is_the_hand_off_of_a_delivery():
    mail = ["[01/Dec/2026 10:00:03] Sent: Queue-ID: 69b24a11-00000b01, Recipient: <k1@example.com>, Result: relayed, "
            "Status: 2.0.0 , Remote-Host: 192.0.2.50, Msg-Id: <a1@example.vn>",
            "[01/Dec/2026 10:00:04] Sent: Queue-ID: 69b24a12-00000b02, Recipient: <k2@example.com>, Result: failed, "
            "Status: 5.1.1",  # Kerio MailServer 6: the line ends after the status
            ]
    warning = ["[01/Dec/2026 10:00:04] SMTP delivery: Message 69b24a12-00000b02 to <k2@example.com> failed: Remote "
               "host 192.0.2.50 replied: 550 5.1.1 <k2@example.com>: User unknown"]
    got = [(r.recipient, r.status, r.reason) for r in smtpteach.triage(mail + warning)]
    assert got == [("k1@example.com", "delivered", "delivered"), ("k2@example.com", "bounced", "userunknown")]


def test_a_content_filter_that_takes_a_message_only_to_return_it_is_a_bounce_not_a_hop():
    line = _pf("1 11:05:01", "4R0bC", "to=<sales@example.vn>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, dsn=2.5.0, "
               "status=sent (250 2.5.0 Ok, id=02501-01, BOUNCE)")
    (r,) = smtpteach.triage([line])
    assert (r.status, r.basic, r.reason) == ("bounced", "250", "undefined")


def test_an_mdaemon_bounce_whose_session_never_opened_is_an_expiry_of_its_recipient(tmp_path):
    """A final bounce whose last attempt failed only for the time being (a connection that never opened) was given
    up by the queue: Sisimai reads it as expired. It was a bounce with no address the tool could read."""
    path = _message(tmp_path, MDAEMON_BOUNCE_HEAD.format(subject="Permanent Delivery Failure"), """--B
Content-Type: text/plain; charset=us-ascii

The attached message had PERMANENT fatal delivery errors!

--- Session Transcript ---
 Mon 2026-11-30 15:00:00.001: Parsing message <C:\\MDaemon\\Queues\\Retry\\md1.msg>
 Mon 2026-11-30 15:00:00.001: *  To: contact@down.example
 Mon 2026-11-30 15:00:00.051: Attempting SMTP connection to [192.0.2.99:25]
 Mon 2026-11-30 15:00:21.060: Socket connect error 10060: Connection timed out
 Mon 2026-11-30 15:00:21.060: Unable to connect to [192.0.2.99:25]
--- End Transcript ---

--B--
""")
    got = [(r.kind, r.recipient, r.reason, r.status, r.retry) for r in smtpteach.triage(path)]
    assert got == [("bounce", "contact@down.example", "networkerror", "expired", "fix-then-retry")]


SWAKS = """=== Trying mx.example.org:25...
=== Connected to mx.example.org.
<-  220 mx.example.org ESMTP Postfix
 -> EHLO mail.example.vn
<-  250-mx.example.org
<-  250-PIPELINING
<-  250 ENHANCEDSTATUSCODES
 -> MAIL FROM:<test@example.vn>
<-  250 2.1.0 Ok
 -> RCPT TO:<probe@example.org>
<** 550 5.1.1 <probe@example.org>: Recipient address rejected: User unknown
 -> QUIT
<-  221 2.0.0 Bye
=== Connection closed with remote host.""".splitlines()


def test_what_swaks_prints_is_one_attempt_for_its_recipient():
    """swaks's transcript was four deliveries (its 250 lines) and a bounce with no recipient: its commands start with
    a space, and were read as folded continuations of the replies before them."""
    got = [(r.line, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(SWAKS)]
    assert got == [(11, "probe@example.org", "550", "userunknown", "bounced")]
    assert smtpteach.triage(SWAKS).summary().unrecognised == 0


def test_an_mdaemon_log_pasted_without_its_banner_is_still_read_as_mdaemon_s():
    lines = [line for line in MDAEMON_OUT[1:16]]
    got = [(r.kind, r.recipient, r.basic, r.status) for r in smtpteach.triage(lines)]
    assert got == [("mdaemon", "binh@example.org", "550", "bounced")]


def test_a_pasted_session_s_ehlo_answer_and_its_sender_and_recipient_taken_are_steps():
    paste = ["220 mx.example.org ESMTP Postfix (Debian/GNU)", "250-mx.example.org", "250-PIPELINING",
             "250-SIZE 52428800", "250-AUTH PLAIN LOGIN", "250 CHUNKING", "250 2.1.0 Ok", "250 2.1.5 Ok",
             "354 End data with <CR><LF>.<CR><LF>", "250 2.0.0 Ok: queued as 4QZ9xY1abcz", "221 2.0.0 Bye"]
    got = [(r.line, r.basic, r.status) for r in smtpteach.triage(paste)]
    assert got == [(10, "250", "delivered")]
    # a multi-line reply that is no list of extensions stays one
    other = ["250-Requested mail action okay,", "250 message queued for delivery"]
    assert [(r.basic, r.status) for r in smtpteach.triage(other)] == [("250", "delivered")]


def test_haraka_s_words_before_its_last_line_name_a_rejected_recipient_and_count_each_attempt_once():
    """Some versions of Haraka log only "recipient <...> rejected", "Temp failing ..." and "bouncing mail: ..."; others
    log them and then the "deferred"/"bounce" line: an attempt is counted once, with its recipient where a line
    names it."""
    lines = [f"2026-12-01T02:50:0{i}.000Z {line}" for i, line in enumerate([
        "[INFO] [1111.1.1] [outbound] Looking up MX for fail.example",
        "[NOTICE] [1111.1.1] [outbound] recipient <nobody@fail.example> rejected: 550 5.1.1 no such user",
        "[INFO] [1111.1.1] [outbound] bouncing mail: 550 5.1.1 no such user",
        "[NOTICE] [1111.1.1] [outbound] bounce file=1_0_1 domain=fail.example rcpts=0/0/1 reason=\"550 5.1.1 no such user\"",
        "[INFO] [2222.1.1] [outbound] Temp failing 2_0_2 for 64 seconds: Upstream error: 451 4.7.1 Greylisted, retry",
        "[NOTICE] [2222.1.1] [outbound] deferred file=2_0_2 domain=slow.example delay=64 fails=1 rcpts=0/1/0 "
        "reason=\"Upstream error: 451 4.7.1 Greylisted, retry\"",
        "[INFO] [3333.1.1] [outbound] Looking up MX for gone.example",
        "[INFO] [3333.1.1] [outbound] bouncing mail: Too many failures (Error: queryMx ENOTFOUND gone.example)",
    ])]
    got = [(r.line, r.recipient, r.domain, r.basic, r.reason, r.status) for r in smtpteach.triage(lines)]
    assert got == [(2, "nobody@fail.example", "fail.example", "550", "userunknown", "bounced"),
                   (5, None, None, "451", "blocked", "deferred"),
                   (8, None, "gone.example", None, "hostunknown", "bounced")]


def test_a_refusal_of_mail_coming_in_is_no_attempt_but_is_counted_apart_in_the_reader_s_language():
    """Two operator reviews: on an MX host the lines an operator greps for most are the server's own refusals
    (Postfix's NOQUEUE reject, Exim's rejected RCPT, an MDaemon or hMailServer server session's 5xx, Kerio's spam
    attack, Haraka's DENY). They stay no attempt of this server's, and the summary says how many there were."""
    lines = [
        "Dec  1 09:20:33 mx postfix/smtpd[301]: NOQUEUE: reject: RCPT from unknown[192.0.2.7]: 554 5.7.1 Service "
        "unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; from=<a@x.example> to=<b@example.vn> "
        "proto=ESMTP helo=<x>",
        "Dec  1 09:20:34 mx postfix/cleanup[302]: 4ABC: milter-reject: END-OF-MESSAGE from x[192.0.2.8]: 5.7.1 "
        "rejected by DMARC policy; from=<ceo@bank.example> to=<k@example.vn>",
        "2026-12-01 09:20:42 H=(bank.example) [192.0.2.9]:40000 F=<it@bank.example> rejected RCPT <k@example.vn>: "
        "JunkMail rejected - is in an RBL",
        _hm("SMTPD", 3140, "08:01:02.590", "SENT: 550 Unknown user", 41),
        _hm("SMTPD", 3140, "08:01:02.591", "SENT: 250 OK", 41),
        "[01/Dec/2026 09:25:10] SMTP Spam attack: Message from IP address 192.0.2.71 rejected, IP address is listed",
        "Dec  1 09:20:35 mx haraka[2211]: [INFO] [3B0D] [core] hook=rcpt plugin=qmail-deliverable function=hook_rcpt "
        "params=<old@example.vn> retval=DENY msg=\"mailbox does not exist\"",
        "Dec  1 09:20:36 mx postfix/smtpd[301]: connect from unknown[192.0.2.7]",
        _pf("1 09:21:00", "5DEF", "to=<z@example.org>, relay=mx.example.org[192.0.2.1]:25, dsn=2.0.0, status=sent "
            "(250 2.0.0 Ok)"),
    ]
    s = smtpteach.triage(lines).summary()
    assert (s.records, s.other_lines, s.refused_incoming, s.unrecognised) == (1, 8, 6, 0)
    assert s.as_dict()["refused_incoming"] == 6
    assert "  of which refusals of mail coming in by this server: 6" in s.to_text().splitlines()
    vi = smtpteach.triage(lines, lang="vi").summary()
    assert "  trong đó, số lần máy chủ này từ chối thư gửi đến: 6" in vi.to_text().splitlines()
    assert "số lần máy chủ này từ chối thư gửi đến: 6" in vi.to_html()
    # a log with none says nothing of it
    assert "refusals" not in smtpteach.triage(lines[-1:]).summary().to_text()


def test_an_hmailserver_delivery_that_failed_before_any_reply_is_a_deferral_of_its_recipients():
    """hMailServer says a connection that failed in its TCP/IP or debug lines, and the deliverer's "Scheduling it for
    later delivery": the message was nothing; a delivery whose session's reply said it is not said twice."""
    lines = [_hm("APPLICATION", 5100, "10:00:00.000", "SMTPDeliverer - Message 20100: Delivering message from "
                 "a@example.vn to info@down.example. File: C:\\x.eml"),
             _hm("TCPIP", 5100, "10:00:00.020", "TCPConnection - Connecting to 192.0.2.201:25...").replace('\t"None"', ""),
             '"DEBUG"\t5100\t"2026-12-01 10:00:21.030"\t"TCPConnection - Connection to 192.0.2.201:25 failed: A '
             'connection attempt failed because the connected party did not properly respond (10060)"',
             _hm("APPLICATION", 5100, "10:00:21.040", "SMTPDeliverer - Message 20100: Message could not be delivered. "
                 "Scheduling it for later delivery in 60 minutes."),
             *HMAIL[4:10],
             _hm("APPLICATION", 2948, "08:05:00.460", "SMTPDeliverer - Message 10775: Message could not be delivered. "
                 "Returning undeliverable message.")]
    got = [(r.recipient, r.reason, r.status) for r in smtpteach.triage(lines)]
    assert got == [("info@down.example", "networkerror", "deferred"), ("thanh@example.com", "userunknown", "bounced")]

# -- from a mutation audit of the second operator review's readers ------------------------------------------------


def test_a_content_filter_s_other_words_for_a_drop_and_one_on_another_host_are_discarded_too():
    """"250 2.7.1 Message discarded" is a drop as "Ok, discarded" is; and an amavis on another host (not loopback) is
    no hop of ours, but its 2xx that drops the message is still no delivery."""
    lines = [_pf("1 10:00:00", "1AAA", "to=<ketoan@example.vn>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, dsn=2.7.1, "
                 "status=sent (250 2.7.1 Message discarded)"),
             _pf("1 10:00:01", "1BBB", "to=<ketoan@example.vn>, relay=amavis.example.vn[10.0.0.5]:10024, delay=1, "
                 "dsn=2.7.0, status=sent (250 2.7.0 Ok, discarded, id=28813-01 - spam)")]
    got = [(r.recipient, r.basic, r.status) for r in smtpteach.triage(lines)]
    assert got == [("ketoan@example.vn", "250", "discarded"), ("ketoan@example.vn", "250", "discarded")]
    assert [r.reason for r in smtpteach.triage(lines)][1] == "spamdetected"


def test_kerio_s_delayed_result_and_its_will_be_retried_warning_are_one_deferral():
    """The mail log says "Result: delayed" and the warning log "will be retried" of the same attempt: one deferral,
    not two."""
    lines = ["[01/Dec/2026 10:00:04] Sent: Queue-ID: 69b24a12-00000b02, Recipient: <k2@example.com>, Result: delayed, "
             "Status: 4.2.2 , Remote-Host: 192.0.2.50",
             "[01/Dec/2026 10:00:04] SMTP delivery: Message 69b24a12-00000b02 to <k2@example.com> will be retried: "
             "Remote host 192.0.2.50 replied: 452 4.2.2 <k2@example.com>: Mailbox full"]
    got = [(r.line, r.recipient, r.enhanced, r.status) for r in smtpteach.triage(lines)]
    assert got == [(1, "k2@example.com", "4.2.2", "deferred")]
    assert smtpteach.triage(lines).summary().by_status == {"deferred": 1}


def test_a_delivery_logged_with_no_reply_needs_nothing_done_by_anybody():
    lines = ["[01/Dec/2026 09:10:11] Sent: Queue-ID: 65efbe13-00000a2c, Recipient: <hieu@example.vn>, Result: delivered, "
             "Status: 2.0.0 , Remote-Host: 127.0.0.1",
             "2026-12-01T09:00:03.000Z " + HARAKA[1]]
    got = [(r.kind, r.status, r.retry, r.actor) for r in smtpteach.triage(lines)]
    assert got == [("kerio", "delivered", "not-needed", "nobody"), ("haraka", "delivered", "not-needed", "nobody")]


def test_haraka_s_temp_failing_line_names_the_domain_its_mx_lookup_named():
    lines = ["2026-12-01T02:50:00.000Z [INFO] [2222.1.1] [outbound] Looking up MX for slow.example",
             "2026-12-01T02:50:01.000Z [INFO] [2222.1.1] [outbound] Temp failing 2_0_2 for 64 seconds: Upstream error: "
             "451 4.7.1 Greylisted, retry"]
    got = [(r.line, r.domain, r.basic, r.status) for r in smtpteach.triage(lines)]
    assert got == [(2, "slow.example", "451", "deferred")]
    assert smtpteach.triage(lines).summary().top_domains() == {"blocked": [("slow.example", 1)]}


def test_an_exchange_deferral_of_two_recipients_gives_each_its_own_last_error_and_only_that():
    """A DEFER row's status is one "[{LRT=...};{LED=...};...]" for each recipient, ";" between them: each recipient
    its own LED, and the record's text is that last error, not the brackets around it."""
    row = ("2026-12-01T02:30:41.001Z,10.0.0.21,192.0.2.24,SMTP,DEFER,41231231299,<m3@example.vn>,"
           "anh@example.net;binh@example.net,\"[{LRT=12/1/2026 2:30:41 AM};{LED=452 4.2.2 <anh@example.net>: Mailbox "
           "full};{FQDN=mx.example.net};{IP=192.0.2.24}];[{LRT=12/1/2026 2:30:41 AM};{LED=451 4.7.1 Greylisted, try "
           "again later};{FQDN=mx.example.net};{IP=192.0.2.24}]\",8800,kd@example.vn")
    got = [(r.recipient, r.basic, r.enhanced, r.status, r.text) for r in smtpteach.triage(TRACKING_LOG[:5] + [row])]
    assert got == [("anh@example.net", "452", "4.2.2", "deferred", "452 4.2.2 <anh@example.net>: Mailbox full"),
                   ("binh@example.net", "451", "4.7.1", "deferred", "451 4.7.1 Greylisted, try again later")]


def test_a_pipelined_transcript_pairs_replies_in_order_and_each_transaction_has_its_own_recipients():
    """Replies answer pipelined commands oldest first (RFC 2920 §3.1); a recipient taken in a transaction abandoned
    with RSET is not delivered by the next one's end; a 421 to QUIT, after the message was taken, fails nothing."""
    session = [
        "MDaemon Email Server for Windows 23.5.2 (SMTP (outbound))",
        _md("10:00:00.000", "Session 6001; child 1"),
        _md("10:00:00.000", "Parsing message <D:\\q\\md1.msg>"),
        _md("10:00:00.000", "*  To: ann@example.org, bo@example.org"),
        _md("10:00:00.100", "<-- 220 mx.example.org ESMTP"),
        _md("10:00:00.100", "--> EHLO mail.example.vn"),
        _md("10:00:00.200", "<-- 250 PIPELINING"),
        _md("10:00:00.300", "--> MAIL From:<an@example.vn>"),
        _md("10:00:00.300", "--> RCPT To:<ann@example.org>"),
        _md("10:00:00.300", "--> RCPT To:<bo@example.org>"),
        _md("10:00:00.400", "<-- 250 2.1.0 Ok"),
        _md("10:00:00.400", "<-- 250 2.1.5 Ok"),
        _md("10:00:00.400", "<-- 550 5.1.1 <bo@example.org>: User unknown"),
        _md("10:00:00.500", "--> RSET"),
        _md("10:00:00.600", "<-- 250 2.0.0 Ok"),
        _md("10:00:01.000", "Parsing message <D:\\q\\md2.msg>"),
        _md("10:00:01.000", "*  To: cu@example.org"),
        _md("10:00:01.100", "--> MAIL From:<an@example.vn>"),
        _md("10:00:01.200", "<-- 250 2.1.0 Ok"),
        _md("10:00:01.200", "--> RCPT To:<cu@example.org>"),
        _md("10:00:01.300", "<-- 250 2.1.5 Ok"),
        _md("10:00:01.300", "--> DATA"),
        _md("10:00:01.400", "<-- 354 End data with <CR><LF>.<CR><LF>"),
        _md("10:00:01.500", "--> ."),
        _md("10:00:01.600", "<-- 250 2.0.0 Ok: queued as 4AB"),
        _md("10:00:01.700", "--> QUIT"),
        _md("10:00:31.700", "<-- 421 4.4.2 mx.example.org Error: timeout exceeded"),
    ]
    got = [(r.line, r.recipient, r.basic, r.status) for r in smtpteach.triage(session)]
    assert got == [(13, "bo@example.org", "550", "bounced"), (25, "cu@example.org", "250", "delivered")]


def test_each_connection_swaks_makes_is_a_session_of_its_own():
    """Two runs of swaks pasted together: the first ends with a QUIT that had no answer; the second's greeting refuses
    us, and that refusal is an attempt, not the answer to the first run's QUIT."""
    second = ["=== Trying mx.example.org:25...", "=== Connected to mx.example.org.",
              "<** 554 5.7.1 mx.example.org: Client host rejected: blocked using zen.spamhaus.org",
              " -> QUIT", "<** 554 5.7.1 mx.example.org: Client host rejected: blocked using zen.spamhaus.org",
              "=== Connection closed with remote host."]
    paste = SWAKS[:12] + ["=== Connection closed with remote host."] + second
    got = [(r.line, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(paste)]
    assert got == [(11, "probe@example.org", "550", "userunknown", "bounced"), (16, None, "554", "blocked", "bounced")]


def test_a_multi_line_reply_with_one_line_like_an_extension_is_still_a_reply():
    reply = ["250-Requested mail action okay,", "250-ID=4QZ9xY1abcz", "250 message queued for delivery"]
    assert [(r.basic, r.status) for r in smtpteach.triage(reply)] == [("250", "delivered")]


MDAEMON_NEVER_OPENED = """--B
Content-Type: text/plain; charset=us-ascii

The attached message had PERMANENT fatal delivery errors!

--- Session Transcript ---
 Mon 2026-11-30 15:00:00.001: Parsing message <C:\\MDaemon\\Queues\\Retry\\md1.msg>
 Mon 2026-11-30 15:00:00.051: Attempting SMTP connection to [192.0.2.99:25]
 Mon 2026-11-30 15:00:21.060: Socket connect error 10060: Connection timed out
--- End Transcript ---

--B
Content-Type: message/rfc822

From: an@example.vn
{fields}
Subject: Bao gia

Xin chao.
--B--
"""


@pytest.mark.parametrize("fields, recipient", [
    ("To: undisclosed-recipients:;\nCc: contact@down.example", "contact@down.example"),  # its one address, in Cc
    ("To: contact@down.example\nCc: ketoan@down.example", None),  # two: which one the session was for is not guessed
])
def test_an_mdaemon_bounce_naming_no_recipient_takes_the_returned_message_s_only_one(fields, recipient, tmp_path):
    path = _message(tmp_path, MDAEMON_BOUNCE_HEAD.format(subject="Permanent Delivery Failure"),
                    MDAEMON_NEVER_OPENED.format(fields=fields))
    got = [(r.kind, r.recipient, r.reason, r.status) for r in smtpteach.triage(path)]
    assert got == [("bounce", recipient, "networkerror", "expired")]


def test_an_mdaemon_bounce_gives_the_recipients_that_failed_not_those_the_server_took(tmp_path):
    """A bounce quotes the whole session: chi@ was taken and the message delivered to it; only binh@ bounced."""
    path = _message(tmp_path, MDAEMON_BOUNCE_HEAD.format(subject="Permanent Delivery Failure"), MDAEMON_BOUNCE_BODY.format(
        said="The attached message had PERMANENT fatal delivery errors!",
        to=" Tue 2026-12-01 09:15:02.431: *  To: binh@example.org, chi@example.org\n",
        dialogue=" Tue 2026-12-01 09:15:02.619: --> MAIL From:<an@example.vn>\n"
                 " Tue 2026-12-01 09:15:02.635: <-- 250 2.1.0 Ok\n"
                 " Tue 2026-12-01 09:15:02.635: --> RCPT To:<chi@example.org>\n"
                 " Tue 2026-12-01 09:15:02.640: <-- 250 2.1.5 Ok\n"
                 " Tue 2026-12-01 09:15:02.641: --> RCPT To:<binh@example.org>\n"
                 " Tue 2026-12-01 09:15:02.650: <-- 550 5.1.1 <binh@example.org>: User unknown\n"
                 " Tue 2026-12-01 09:15:02.651: --> DATA\n"
                 " Tue 2026-12-01 09:15:02.660: <-- 354 Go ahead\n"
                 " Tue 2026-12-01 09:15:02.700: --> .\n"
                 " Tue 2026-12-01 09:15:02.760: <-- 250 2.0.0 Ok: queued as 4AB"))
    got = [(r.kind, r.recipient, r.basic, r.status) for r in smtpteach.triage(path)]
    assert got == [("bounce", "binh@example.org", "550", "bounced")]


def test_hmailserver_s_local_delivery_is_its_local_recipients_and_a_remote_one_keeps_its_own_attempt():
    """A code audit: "Local delivery completed." made every recipient of the message delivered, a remote one too,
    whose session then failed with nobody to charge it to."""
    lines = [_hm("APPLICATION", 2948, "08:05:00.010", "SMTPDeliverer - Message 10775: Delivering message from "
                 "k@example.vn to hieu@example.vn, thanh@example.com. File: C:\\y.eml"),
             _hm("APPLICATION", 2948, "08:05:00.050", "SMTPDeliverer - Message 10775: Local delivery completed."),
             _hm("SMTPC", 2948, "08:05:00.110", "RECEIVED: 554 5.7.1 Service unavailable; Client host [192.0.2.21] "
                 "blocked", 45)]
    got = [(r.recipient, r.status, r.basic) for r in smtpteach.triage(lines)]
    assert got == [("hieu@example.vn", "delivered", None), ("thanh@example.com", "bounced", "554")]


def test_kerio_counts_each_retry_of_a_message_but_its_two_logs_saying_one_attempt_once():
    def sent(time: str) -> str:
        return (f"[01/Dec/2026 {time}] Sent: Queue-ID: 69b24a12-00000b02, Recipient: <k2@example.com>, "
                "Result: delayed, Status: 4.2.2")
    warning = ("[01/Dec/2026 10:30:04] SMTP delivery: Message 69b24a12-00000b02 to <k2@example.com> will be retried: "
               "Remote host 192.0.2.24 replied: 452 4.2.2 Mailbox full")
    got = [(r.time, r.status) for r in smtpteach.triage([sent("10:00:04"), sent("10:30:04"), warning,
                                                         sent("11:30:04")])]
    assert got == [("01/Dec/2026 10:00:04", "deferred"), ("01/Dec/2026 10:30:04", "deferred"),
                   ("01/Dec/2026 11:30:04", "deferred")]


@pytest.mark.parametrize("lines, records", [
    (["250-2.0.0 Message accepted for delivery", "250 OK id=1rNbX2-0003Zk-1F"], 1),  # no extension: a reply
    (["250-mx.example.org", "250-SIZE 1000", "250 8BITMIME"], 0),  # EHLO's answer
    (["250 2.1.5 Ok SESSIONID=<cyrus-1234-5>"], 1),  # Cyrus's LMTP delivery
    (["250 2.1.5 Ok"], 0), (["250 2.1.5 <a@example.org>... Recipient ok"], 0), (["250 2.1.0 Sender ok"], 0),
])
def test_a_pasted_step_is_told_from_a_delivery_by_what_it_says(lines, records):
    assert len(list(smtpteach.triage(lines))) == records


def test_the_how_to_names_every_status_a_record_can_have_in_both_languages():
    from smtpteach._triage import STATUSES

    root = Path(__file__).resolve().parent.parent
    for page in (root / "docs" / "howto" / "triage.md", root / "docs" / "vi" / "howto" / "triage.md"):
        (row,) = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("| `status` |")]
        assert re.findall(r"`([a-z]+)`", row)[1:] == list(STATUSES), page


def test_a_message_trace_report_whose_columns_are_written_with_underscores_is_read_as_tracking():
    """Microsoft 365's extended message trace names its columns "date_time_utc", "event_id", "recipient_address"."""
    rows = ['"date_time_utc","server_ip","connector_id","source","event_id","message_id","recipient_address",'
            '"recipient_status","sender_address"',
            '"2026-12-01T03:00:00.123Z","","Outbound","SMTP","SEND","<p1@example.vn>","x1@example.org",'
            '"250 2.6.0 Queued mail for delivery","me@example.vn"',
            '"2026-12-01T03:01:00.123Z","","Outbound","SMTP","FAIL","<p2@example.vn>","x2@example.org",'
            '"550 5.7.509 Access denied, sending domain does not pass DMARC verification","me@example.vn"']
    got = [(r.kind, r.time, r.recipient, r.basic, r.status) for r in smtpteach.triage(rows)]
    assert got == [("exchange", "2026-12-01T03:00:00.123Z", "x1@example.org", "250", "delivered"),
                   ("exchange", "2026-12-01T03:01:00.123Z", "x2@example.org", "550", "bounced")]
