"""What a mail operator's review of triage found (the inputs of /tmp/opreview31-work, each written here anew): bounces
that name two recipients, addresses with quoted local parts, folders and links, the same failure counted twice, the
advice that hung on the reader rather than on what happened, and the Vietnamese of the summary."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import smtpteach
from smtpteach import cli

from ._dsn import write_dsn


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def facts(source, **kw) -> list[tuple]:
    return [(r.recipient, r.domain, r.basic, r.enhanced, r.reason, r.status) for r in smtpteach.triage(source, **kw)]


# -- Exchange 2007's and 2010's text NDR: each recipient alone, then "#550 5.1.1 ... ##" -----------------------------

EXCHANGE_2010 = """From: Microsoft Exchange <postmaster@congty.example>
To: ketoan@congty.example
Subject: Undeliverable: Bao gia
Date: Mon, 11 Mar 2024 03:00:05 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:

An Nguyen (an@partner.example)
The e-mail address you entered couldn't be found.
{more_people}
Diagnostic information for administrators:

Generating server: EXCH01.congty.local

an@partner.example
#550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found ##
{more_diagnostics}
Original message headers:

Received: from EXCH01.congty.local
Subject: Bao gia
"""
BICH_PERSON = """
Bich Tran (bich@partner.example)
The recipient's mailbox is full and can't accept messages now.
"""
BICH_DIAGNOSTIC = """
bich@partner.example
#554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded ##
"""


def test_an_exchange_2010_ndr_naming_two_recipients_is_two_records_and_explain_refuses_it(tmp_path, capsys, monkeypatch):
    # read before as one unrecognised bounce by triage, and by explain() as the first one's code with the second one's
    # words ("550 5.1.1: Mailbox full")
    two = EXCHANGE_2010.format(more_people=BICH_PERSON, more_diagnostics=BICH_DIAGNOSTIC)
    path = tmp_path / "two.eml"
    path.write_text(two, encoding="utf-8")
    assert facts(str(path)) == [("an@partner.example", "partner.example", "550", "5.1.1", "userunknown", "bounced"),
                                ("bich@partner.example", "partner.example", "554", "5.2.2", "mailboxfull", "bounced")]
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(two)
    assert two.split("\n")[caught.value.line - 1] == "bich@partner.example"
    assert caught.value.kind == "bounce"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(two.encode()), encoding="utf-8"))
    status, out, err = run(["explain", "-"], capsys)
    assert status == 2 and out == "" and "more than one record" in err
    # with one recipient, the same form is that recipient's record, as it was
    one = EXCHANGE_2010.format(more_people="", more_diagnostics="")
    assert smtpteach.explain(one).reason == "userunknown"
    path.write_text(one, encoding="utf-8")
    assert facts(str(path)) == [("an@partner.example", "partner.example", "550", "5.1.1", "userunknown", "bounced")]


# -- addresses: a quoted local part, a comma, a formula; no domain rather than the relay's host --------------------

@pytest.mark.parametrize("line, recipient, domain", [
    # Postfix quotes a local part that needs it (read before as '"john', at the relay's host mx.quoted.example)
    ('Mar 11 17:00:00 mx1 postfix/smtp[2607]: 6B3D4AF203: to=<"john smith"@quoted.example>, '
     "relay=mx.quoted.example[192.0.2.108]:25, delay=0.4, dsn=5.1.1, status=bounced (host mx.quoted.example"
     "[192.0.2.108] said: 550 5.1.1 User unknown (in reply to RCPT TO command))", '"john smith"@quoted.example',
     "quoted.example"),
    # ... a comma inside the quotes ends no field
    ('Mar 11 17:00:01 mx1 postfix/smtp[2608]: 6B3D4AF204: to=<"doe, john"@quoted.example>, '
     "relay=mx.quoted.example[192.0.2.108]:25, delay=0.4, dsn=5.1.1, status=bounced (host mx.quoted.example"
     "[192.0.2.108] said: 550 5.1.1 User unknown (in reply to RCPT TO command))", '"doe, john"@quoted.example',
     "quoted.example"),
    # a sender's formula as the local part: the whole of it, and its own domain
    ('Mar 11 12:00:00 mx1 postfix/smtp[2600]: 1A2B3C4D5E: to=<=HYPERLINK("http://evil.example/x","click")@x.example>, '
     "relay=mx.x.example[192.0.2.1]:25, delay=0.3, dsn=5.1.1, status=bounced (host mx.x.example[192.0.2.1] said: "
     "550 5.1.1 User unknown (in reply to RCPT TO command))", '=HYPERLINK("http://evil.example/x","click")@x.example',
     "x.example"),
    # Exim writes the quoted address bare
    ('2024-03-11 19:00:02 1rjXHq-000QRS-5U == "odd local"@x.example R=dnslookup T=remote_smtp defer (-44) '
     'H=mx.x.example [192.0.2.122]: SMTP error from remote mail server after RCPT TO:<"odd local"@x.example>: '
     "451 4.3.0 Try later", '"odd local"@x.example', "x.example"),
    # an address triage cannot read whole (a line cut short before its ">") has no domain: not the relay's host
    ("Mar 11 17:00:02 mx1 postfix/smtp[2609]: 6B3D4AF205: to=<cut, relay=mx.cut.example[192.0.2.9]:25, dsn=5.1.1, "
     "status=bounced (host mx.cut.example[192.0.2.9] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
     "cut", None),
    # Sendmail's list of recipients, one of them quoted with a comma in it
    ('Mar 11 12:00:00 mx1 sendmail[1]: x1AbCdEf: to=<"a,b"@q.example>,<b@y.example>, delay=00:00:01, mailer=esmtp, '
     "pri=1, relay=mx.q.example. [192.0.2.1], dsn=5.1.1, stat=User unknown", '"a,b"@q.example', "q.example"),
])
def test_a_quoted_local_part_is_the_whole_recipient_with_its_own_domain(line, recipient, domain):
    got = facts([line])
    assert got[0][:2] == (recipient, domain)
    assert all(r[1] != "mx.quoted.example" and r[1] != "mx.cut.example" for r in got)


def test_the_receiving_domains_table_names_no_relay_host(tmp_path):
    log = tmp_path / "quoted.log"
    log.write_text('Mar 11 17:00:00 mx1 postfix/smtp[2607]: 6B3D4AF203: to=<"john smith"@quoted.example>, '
                   "relay=mx.quoted.example[192.0.2.108]:25, delay=0.4, dsn=5.1.1, status=bounced (host mx.quoted."
                   "example[192.0.2.108] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n", encoding="utf-8")
    summary = smtpteach.triage(str(log)).summary()
    table = summary.to_text(by="domain")
    assert "  quoted.example  1" in table and "mx.quoted.example" not in table
    # the relay host has a section of its own
    assert summary.top_relays() == {"userunknown": [("mx.quoted.example", 1)]}


# -- Exim's local deliveries: the address in brackets, not the local part alone ------------------------------------

def test_an_exim_local_delivery_s_recipient_is_the_whole_address():
    lines = ["2024-03-11 19:00:00 1rjXHq-000QRS-5U => joe <joe@hostco.example> R=localuser T=local_delivery",
             "2024-03-11 19:00:01 1rjXHr-000QRS-5V ** ann <ann@hostco.example> R=localuser T=local_delivery: mailbox is "
             "full (MTA-imposed quota exceeded while writing to /var/mail/ann)",
             "2024-03-11 19:00:02 1rjXHs-000QRS-5W == bob <bob@hostco.example> R=localuser T=local_delivery defer (-22): "
             "mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/bob)",
             "2024-03-11 19:00:03 1rjXHt-000QRS-5X => |/usr/bin/procmail <list@hostco.example> R=pipe T=address_pipe"]
    assert [(r.recipient, r.domain, r.status) for r in smtpteach.triage(lines)] == [
        ("joe@hostco.example", "hostco.example", "delivered"), ("ann@hostco.example", "hostco.example", "bounced"),
        ("bob@hostco.example", "hostco.example", "deferred"), ("list@hostco.example", "hostco.example", "delivered")]
    # what a search for ann's address finds
    assert [r.reason for r in smtpteach.triage(lines) if r.recipient == "ann@hostco.example"] == ["mailboxfull"]


# -- a central syslog host: a Postfix queue id is one host's -----------------------------------------------------

def test_an_expiry_gives_up_the_deferrals_of_its_own_host_and_queue_id_only():
    # mx1 and mx2 both had a message 4A1B2C3D4E; mx2's expiry named mx1's recipient too
    lines = ["Mar 11 01:00:00 mx1 postfix/smtp[100]: 4A1B2C3D4E: to=<a@x.example>, relay=none, delay=30, dsn=4.4.1, "
             "status=deferred (connect to mx.x.example[192.0.2.1]:25: Connection timed out)",
             "Mar 11 01:00:01 mx2 postfix/smtp[200]: 4A1B2C3D4E: to=<b@y.example>, relay=mx.y.example[192.0.2.2]:25, "
             "delay=1, dsn=4.2.2, status=deferred (host mx.y.example[192.0.2.2] said: 452 4.2.2 Mailbox full (in reply "
             "to RCPT TO command))",
             "Mar 11 09:00:00 mx2 postfix/qmgr[201]: 4A1B2C3D4E: from=<s@hostco.example>, status=expired, returned to "
             "sender"]
    expired = [r.recipient for r in smtpteach.triage(lines) if r.status == "expired"]
    assert expired == ["b@y.example"]
    # mx1's own expiry, later, still finds its recipient; and mx2's "removed" forgets none of mx1's
    later = ["Mar 11 09:00:01 mx2 postfix/qmgr[201]: 4A1B2C3D4E: removed",
             "Mar 11 10:00:00 mx1 postfix/qmgr[101]: 4A1B2C3D4E: from=<s@hostco.example>, status=expired, returned to "
             "sender"]
    assert [(r.line, r.recipient) for r in smtpteach.triage(lines + later) if r.status == "expired"] == [
        (3, "b@y.example"), (5, "a@x.example")]
    # the journal names the host as _HOSTNAME
    import json

    journal = [json.dumps({"_HOSTNAME": host, "SYSLOG_IDENTIFIER": prog, "MESSAGE": line.split(": ", 1)[1]})
               for line, host, prog in zip(lines, ("mx1", "mx2", "mx2"), ("postfix/smtp", "postfix/smtp", "postfix/qmgr"))]
    assert [r.recipient for r in smtpteach.triage(journal) if r.status == "expired"] == ["b@y.example"]


# -- the advice hangs on what happened, not on which program wrote it down -----------------------------------------

def _advice(lines_or_path) -> set[tuple]:
    return {(r.reason, r.status, r.retry, r.actor) for r in smtpteach.triage(lines_or_path)}


def test_a_typo_domain_given_up_for_good_is_do_not_retry_whichever_mta_bounced_it():
    # Exim's "**" line has no code, and explain() alone says "fix the cause, then retry" for a hostunknown of no class;
    # Postfix's status=bounced with dsn=5.4.4 said "do not retry": two rows of one reason with opposite advice
    exim = ["2024-03-11 06:00:01 1rjX6d-000JKL-4I ** someone@nonexistent-domain.example: Unrouteable address",
            "2024-03-11 06:00:01 1rjX6d-000JKL-4I ** typo@gmial.example R=dnslookup: all relevant MX records point to "
            "non-existent hosts"]
    postfix = ["Mar 11 01:12:45 mx1 postfix/smtp[1411]: 6B3DA4F203: to=<ketoan@old-domain.example>, relay=none, "
               "delay=0.1, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for "
               "name=old-domain.example type=MX: Host not found)"]
    assert _advice(exim) == _advice(postfix) == {("hostunknown", "bounced", "dont-retry", "sender")}
    assert smtpteach.explain(exim[0]).retry == "fix-then-retry"  # explain() of the line alone is not changed
    summary = smtpteach.triage(exim + postfix).summary()
    assert summary.reasons() == [("hostunknown", "dont-retry", "sender", 3, None)]


def test_an_expiry_after_connection_timeouts_names_the_same_actor_whichever_reader_read_it(tmp_path):
    postfix = ["Mar 11 08:00:00 mx1 postfix/smtp[2200]: 8D5F6C1425: to=<sales@congty-abc.example>, relay=none, "
               "delay=25200, dsn=4.4.1, status=deferred (connect to mail.congty-abc.example[203.0.113.80]:25: "
               "Connection timed out)",
               "Mar 11 09:00:00 mx1 postfix/qmgr[988]: 8D5F6C1425: from=<invoice@hostco.example>, status=expired, "
               "returned to sender"]
    exim = ["2024-03-11 01:00:30 1rjX5c-000GHI-3H == contact@congty-abc.example R=dnslookup T=remote_smtp defer (110): "
            "Connection timed out",
            "2024-03-11 02:00:00 1rjX5c-000GHI-3H == contact@congty-abc.example routing defer (-51): retry time not "
            "reached",
            "2024-03-11 05:00:00 1rjX5c-000GHI-3H ** contact@congty-abc.example R=dnslookup T=remote_smtp: retry "
            "timeout exceeded"]
    dsn = tmp_path / "dsn.eml"
    dsn.write_text("From: MAILER-DAEMON@mx1.hostco.example\nTo: invoice@hostco.example\nSubject: Undelivered Mail "
                   "Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; "
                   'boundary="B"\n\n--B\nContent-Type: text/plain\n\nI could not deliver it.\n\n--B\n'
                   "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx1.hostco.example\n"
                   "X-Postfix-Queue-ID: 8D5F6C1425\n\nFinal-Recipient: rfc822; hoang@congty-abc.example\nAction: failed\n"
                   "Status: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mail.congty-abc.example[203.0.113.80]:25: "
                   "Connection timed out\n\n--B--\n", encoding="utf-8")
    expired = [{(r.reason, r.retry, r.actor) for r in smtpteach.triage(source) if r.status == "expired"}
               for source in (postfix, exim, str(dsn))]
    assert expired[0] == expired[1] == expired[2]
    (only,) = expired[0]
    # who acts is whom the timeout points to, as explain() reads the deferral
    assert only == ("expired", "fix-then-retry", smtpteach.explain(exim[0]).actor)
    # an Exim expiry with no deferral of that address before it in the files keeps the expiry's own actor, as a
    # Postfix expiry does
    alone_exim = {(r.reason, r.actor) for r in smtpteach.triage(exim[2:])}
    alone_postfix = {(r.reason, r.actor) for r in smtpteach.triage(
        ["Mar 11 09:00:00 mx1 postfix/qmgr[988]: 8D5F6C1425: from=<invoice@hostco.example>, status=expired, returned "
         "to sender", "Mar 11 10:00:00 mx1 postfix/smtp[1]: 8D5F6C1425: to=<x@congty-abc.example>, relay=none, "
         "dsn=4.4.7, status=expired, returned to sender (message expired)"])}
    assert alone_exim == {("expired", smtpteach.explain("retry timeout exceeded").actor)} == alone_postfix


def test_a_soft_bounce_is_a_deferral_that_is_not_told_do_not_retry(capsys, tmp_path):
    # Postfix's soft_bounce=yes: the message stays in the queue and is tried again; read before as a status of its own,
    # "softbounce", in no list of the docs, left in English in the Vietnamese summary, and told "do not retry"
    line = ("Mar 11 01:00:00 mx1 postfix/smtp[100]: 5E5E5E5E5E: to=<soft@x.example>, relay=mx.x.example[192.0.2.1]:25, "
            "delay=1, dsn=5.1.1, status=SOFTBOUNCE (host mx.x.example[192.0.2.1] said: 550 5.1.1 User unknown (in "
            "reply to RCPT TO command))")
    (r,) = smtpteach.triage([line])
    assert (r.status, r.reason, r.permanent, r.retry) == ("deferred", "userunknown", True, "fix-then-retry")
    from smtpteach._triage import STATUSES

    assert r.status in STATUSES
    log = tmp_path / "soft.log"
    log.write_text(line + "\n", encoding="utf-8")
    assert run(["triage", str(log), "--lang", "vi"], capsys)[1].splitlines()[1] == "Theo trạng thái: tạm hoãn (deferred) 1"
    # a status word no Postfix here knows is "unknown", a status the docs list
    (r,) = smtpteach.triage([line.replace("SOFTBOUNCE", "quarantined")])
    assert r.status == "unknown"


# -- the API: a list of Path objects, with strings among them, is a list of paths ---------------------------------

def test_a_list_of_paths_may_mix_path_objects_and_strings(tmp_path):
    postfix = tmp_path / "maillog"
    postfix.write_text("Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=x[192.0.2.1]:25, dsn=5.1.1, "
                       "status=bounced (host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))\n",
                       encoding="utf-8")
    exim = tmp_path / "exim mainlog"  # a name with a space: as a string alone, a list of it would be lines
    exim.write_text("2024-03-11 06:00:01 1rjX6d-000JKL-4I ** b@example.net: Unrouteable address\n", encoding="utf-8")
    # read before as lines: "triage() reads lines of text, not PosixPath"
    for source in ([postfix, str(exim)], (str(postfix), exim), [postfix, exim]):
        assert [(r.source, r.recipient) for r in smtpteach.triage(source)] == [(str(postfix), "a@example.org"),
                                                                                (str(exim), "b@example.net")]
    with pytest.raises(smtpteach.InvalidTypeError, match=r"a list of paths \(str or pathlib.Path\), not int"):
        smtpteach.triage([postfix, 3])


# -- folders: read whole; links that point nowhere; what is no file -----------------------------------------------

def _dsn(path: Path, to: str, queue: str = "4Vq1bX0ZkLz9sT") -> Path:
    return write_dsn(path, to, queue=queue)


def test_a_bounce_archive_sorted_into_folders_is_read_whole(tmp_path, capsys):
    # a bounce in a/b/ was neither read nor counted, with status 0 and nothing said
    archive = tmp_path / "bounces"
    _dsn(archive / "top.eml", "a@x.example")
    _dsn(archive / "2024" / "03" / "one.eml", "b@x.example")
    _dsn(archive / "2024" / "04" / "two.eml", "c@x.example")
    _dsn(archive / ".git" / "hidden.eml", "hidden@x.example")  # a hidden folder is no part of the archive
    assert [r.recipient for r in smtpteach.triage(str(archive))] == ["a@x.example", "b@x.example", "c@x.example"]
    status, out, err = run(["triage", str(archive)], capsys)
    assert (status, err) == (0, "") and out.startswith("Triage of 3 delivery attempts")


def test_a_maildir_s_own_folders_and_its_maildir_plus_plus_folders_are_read(tmp_path):
    md = tmp_path / "Maildir"
    _dsn(md / "cur" / "1.mx:2,S", "inbox@x.example")
    _dsn(md / "tmp" / "2.mx", "writing@x.example")  # still being written: not read
    _dsn(md / ".Bounces" / "new" / "3.mx", "plusplus@x.example")  # a Maildir++ folder
    (md / ".Bounces" / "maildirfolder").write_text("", encoding="utf-8")
    (md / "dovecot-uidlist").write_text("3 V1 N1\n", encoding="utf-8")  # the Maildir's own files: no messages
    _dsn(md / ".notes" / "x.eml", "hidden@x.example")  # hidden, and no Maildir++ folder
    assert [r.recipient for r in smtpteach.triage(str(md))] == ["inbox@x.example", "plusplus@x.example"]
    assert smtpteach.triage(str(md)).summary().unrecognised == 0


def test_a_link_that_points_nowhere_is_an_input_that_could_not_be_read(tmp_path, capsys):
    folder = tmp_path / "junk"
    _dsn(folder / "good.eml", "a@x.example")
    (folder / "broken-link").symlink_to(tmp_path / "nonexistent")
    status, out, err = run(["triage", str(folder), "--format", "jsonl"], capsys)
    assert status == 2 and len(out.splitlines()) == 1  # the good bounce read, and the status says one was not
    assert err == f"smtpteach triage: {folder / 'broken-link'}: cannot read it: a symbolic link to {tmp_path / 'nonexistent'}, " \
                  "which does not exist\n"
    # named on the command line, the same
    status, out, err = run(["triage", str(folder / "broken-link"), "--lang", "vi"], capsys)
    assert status == 2 and err == (f"smtpteach triage: {folder / 'broken-link'}: không đọc được: đây là liên kết "
                                   f"tượng trưng (symlink) trỏ tới {tmp_path / 'nonexistent'}, nơi không tồn tại\n")


def test_a_pipe_in_a_folder_is_left_out_with_a_note_and_never_waited_on(tmp_path, capsys):
    import os

    folder = tmp_path / "bounces"
    _dsn(folder / "a.eml", "a@x.example")
    os.mkfifo(folder / "fifo")  # opened for reading, it would wait for a writer that never comes
    status, out, err = run(["triage", str(folder)], capsys)
    assert status == 0 and err == f"smtpteach triage: {folder / 'fifo'}: not a file (a pipe, a socket or a device): left out\n"
    assert out.startswith("Triage of 1 delivery attempt\n") and f"Notes: 1\n  {folder / 'fifo'}: not a file" in out


def test_a_link_to_a_folder_above_it_is_read_once(tmp_path, capsys):
    folder = tmp_path / "bounces"
    _dsn(folder / "a.eml", "a@x.example")
    (folder / "loop").symlink_to(folder)
    status, out, err = run(["triage", str(folder), "--format", "jsonl"], capsys)
    assert status == 0 and len(out.splitlines()) == 1
    assert err == f"smtpteach triage: {folder / 'loop'}: the same file or folder as {folder} (a link, or a name given " \
                  "twice): read once\n"


# -- the same input named twice ----------------------------------------------------------------------------------

LOG_LINE = ("Mar 11 10:00:00 mx1 postfix/smtp[2300]: 9E607D2536: to=<a@b.example>, relay=mx.b.example[192.0.2.95]:25, "
            "delay=0.5, dsn=5.1.1, status=bounced (host mx.b.example[192.0.2.95] said: 550 5.1.1 User unknown (in reply "
            "to RCPT TO command))\n")


def test_an_input_named_twice_is_read_once_with_a_note(tmp_path, capsys, monkeypatch):
    # 'triage maillog ./maillog' counted 110 attempts for 55, with no word
    log = tmp_path / "maillog"
    log.write_text(LOG_LINE, encoding="utf-8")
    (tmp_path / "link").symlink_to(log)
    monkeypatch.chdir(tmp_path)
    status, out, err = run(["triage", "maillog", "./maillog", "link", "maillog"], capsys)
    assert status == 0 and out.startswith("Triage of 1 delivery attempt\n")
    assert err.splitlines() == [
        "smtpteach triage: maillog: named twice: read once",
        "smtpteach triage: ./maillog: the same file or folder as maillog (a link, or a name given twice): read once",
        "smtpteach triage: link: the same file or folder as maillog (a link, or a name given twice): read once"]
    # a glob that overlaps a folder named with it, in Vietnamese too
    status, out, err = run(["triage", str(tmp_path), "maillog", "--lang", "vi"], capsys)
    assert status == 0 and out.startswith("Phân loại 1 lần thử chuyển phát\n")
    assert "maillog: là cùng một tệp hay thư mục với" in err and "chỉ đọc một lần" in err
    s = smtpteach.triage([str(log), str(log)]).summary()
    assert s.records == 1 and s.notes == [f"{log}: named twice: read once"] and s.as_dict()["notes"] == s.notes


# -- a log and the DSNs the same Postfix sent: one failure, counted once ----------------------------------------

def test_a_failure_told_by_the_log_and_by_the_bounce_postfix_sent_is_counted_once(tmp_path, capsys):
    log = tmp_path / "maillog"
    log.write_text(LOG_LINE.replace("9E607D2536", "4Vq1bX0ZkLz9sT") + LOG_LINE.replace("a@b.example", "z@b.example"),
                   encoding="utf-8")
    bounces = tmp_path / "bounces"
    _dsn(bounces / "1.eml", "A@b.example")  # the log's failure (the address as the DSN writes it)
    _dsn(bounces / "2.eml", "other@b.example")  # a failure the log does not tell
    _dsn(bounces / "3.eml", "a@b.example", queue="0000000001")  # another message's
    for order in ([log, bounces], [bounces, log]):
        t = smtpteach.triage(order)
        got = sorted((r.kind, r.recipient.lower()) for r in t)
        kept = ("postfix", "a@b.example") if order[0] == log else ("dsn", "a@b.example")  # whichever was read first
        assert got == sorted([kept, ("postfix", "z@b.example"), ("dsn", "other@b.example"), ("dsn", "a@b.example")])
        assert t.summary().records == 4
        assert t.summary().notes == ["1 failure was told both by a Postfix log and by a bounce that Postfix sent about it "
                                     "(the same queue ID and recipient): it was counted once, as the one read first "
                                     "tells it"]
    status, out, err = run(["triage", str(log), str(bounces)], capsys)
    assert status == 0 and out.startswith("Triage of 4 delivery attempts") and "\nNotes: 1\n  1 failure was told" in out
    assert err == "smtpteach triage: 1 failure was told both by a Postfix log and by a bounce that Postfix sent about it " \
                  "(the same queue ID and recipient): it was counted once, as the one read first tells it\n"
    # one log alone remembers nothing, and says nothing
    assert smtpteach.triage(str(log)).summary().notes == []


# -- the operating system's reason, in Vietnamese --------------------------------------------------------------

@pytest.mark.parametrize("error, english, vietnamese", [
    (FileNotFoundError(2, "No such file or directory"), "No such file or directory",
     "không có tệp hay thư mục nào có tên này"),
    (PermissionError(13, "Permission denied"), "Permission denied", "không có quyền đọc"),
    (IsADirectoryError(21, "Is a directory"), "Is a directory", "đây là một thư mục"),
    (OSError(121, "Remote I/O error"), "Remote I/O error", "Remote I/O error"),  # one the UI files do not word
])
def test_the_operating_system_s_reason_is_said_in_the_language_asked_for(error, english, vietnamese):
    from smtpteach._catalogue import default_catalogue
    from smtpteach._triage._sources import _Reader

    problem = _Reader("en", default_catalogue())._problem("mail.log", "cannot_read", reason=error)
    assert problem.message == f"cannot read it: {english}"
    assert problem.text("vi", default_catalogue()) == f"không đọc được: {vietnamese}"


# -- a log that is not UTF-8 throughout ----------------------------------------------------------------------------

def test_a_byte_that_is_not_utf8_is_read_as_latin1_and_the_value_stays_searchable(tmp_path, capsys):
    # a Latin-1 address became 'jos\ufffd@caf\ufffd.example', which no search finds and no tool can write back
    line = ("Mar 11 23:59:30 mx1 postfix/smtp[1]: 27F906CFCF: to=<josé@café.example>, relay=mx.cafe.example[192.0.2.1]:25, "
            "dsn=5.1.1, status=bounced (host mx.cafe.example[192.0.2.1] said: 550 5.1.1 Adresse inconnue: josé (in "
            "reply to RCPT TO command))\n")
    utf8 = "Mar 11 23:59:31 mx1 postfix/smtp[2]: 380A17D0D0: to=<lê@việt.example>, relay=none, dsn=4.4.1, " \
           "status=deferred (connect to mx.việt.example[192.0.2.2]:25: Connection timed out)\n"
    log = tmp_path / "maillog.latin1"
    log.write_bytes(line.encode("latin-1") + utf8.encode("utf-8") + b"Mar 11 23:59:32 mx1 postfix/smtp[3]: "
                    b"ABCDE12345: to=<raw\x80\x81@x.example>, relay=none, dsn=4.4.1, status=deferred (connect to "
                    b"x[192.0.2.3]:25: Connection timed out)\n")
    got = [(r.recipient, r.domain) for r in smtpteach.triage(str(log))]
    assert got == [("josé@café.example", "café.example"), ("lê@việt.example", "việt.example"),
                   ("raw\x80\x81@x.example", "x.example")]
    assert "Adresse inconnue: josé" in next(iter(smtpteach.triage(str(log)))).text
    assert got[2][0].encode("latin-1") == b"raw\x80\x81@x.example"  # the bytes as they were, written back
    status, out, _ = run(["triage", str(log), "--format", "jsonl"], capsys)
    assert status == 0 and '"recipient": "josé@café.example"' in out and "\\ufffd" not in out


def test_the_how_to_s_own_loop_reads_a_log_that_is_not_utf8_without_a_traceback(tmp_path):
    # docs/howto/diagnose-a-bounce.md's triage.py stopped with UnicodeDecodeError on such a log
    import re
    import subprocess

    root = Path(__file__).resolve().parent.parent
    for page in (root / "docs" / "howto" / "diagnose-a-bounce.md", root / "docs" / "vi" / "howto" / "diagnose-a-bounce.md"):
        text = page.read_text(encoding="utf-8")
        script = re.search(r"<!-- example: file triage\.py -->\n```python\n(.*?)```", text, re.S).group(1)
        (tmp_path / "triage.py").write_text(script, encoding="utf-8")
        (tmp_path / "maillog.latin1").write_bytes(
            "Mar 11 23:59:30 mx1 postfix/smtp[1]: 27F906CFCF: to=<josé@café.example>, relay=none, dsn=5.1.1, "
            "status=bounced (host mx[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n".encode("latin-1"))
        proc = subprocess.run([sys.executable, "triage.py", "maillog.latin1"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120, env={**__import__("os").environ, "PYTHONPATH": str(root)})
        assert (proc.returncode, proc.stderr) == (0, ""), page
        assert proc.stdout.split()[:4] == ["550", "5.1.1", "userunknown", "dont-retry"], page


# -- the Vietnamese of the summary: "bị trả về (bounced)", and counts with their thousands set apart --------------

def _big_summary(lang: str):
    """A summary of a bad day's counts, as a triage of some 800,000 attempts would leave them (set directly: reading
    that many lines would take minutes)."""
    from smtpteach._catalogue import default_catalogue
    from smtpteach._triage import Summary

    s = Summary(lang, default_catalogue())
    s.records = 808_822
    s.by_status.update({"bounced": 806_822, "delivered": 2_000})
    s.by_reason.update({("userunknown", "dont-retry", "sender", None): 806_822,
                        ("delivered", "not-needed", "nobody", None): 2_000})
    s._domains[("userunknown", None)] = __import__("collections").Counter({"gmail.example": 806_822})
    s.other_lines = 1_234_567
    return s


def test_large_counts_have_their_thousands_set_apart_in_the_table_and_the_report_not_in_the_data():
    en, vi = _big_summary("en").to_text(), _big_summary("vi").to_text()
    assert en.splitlines()[:2] == ["Triage of 808,822 delivery attempts", "By status: bounced 806,822, delivered 2,000"]
    assert vi.splitlines()[:2] == ["Phân loại 808.822 lần thử chuyển phát",
                                   "Theo trạng thái: bị trả về (bounced) 806.822, đã chuyển phát 2.000"]
    assert "Recipient unknown (userunknown)   806,822  do not retry" in en
    assert "  gmail.example  806.822" in vi and "Dòng log không ghi lần thử chuyển phát nào: 1.234.567" in vi
    page = _big_summary("vi").to_html()
    assert "<h1>Phân loại 808.822 lần thử chuyển phát</h1>" in page and '<td class="n">806.822</td>' in page
    assert ">806.822</text>" in page  # the chart's bar label too
    # the data for programs keeps the bare numbers
    assert _big_summary("vi").as_dict()["records"] == 808_822


def test_bounced_is_said_in_vietnamese_words_wherever_the_vietnamese_summary_says_it():
    from smtpteach._catalogue import default_catalogue

    t = default_catalogue().ui(lang="vi")["triage"]
    assert t["status"]["bounced"] == "bị trả về (bounced)"
    said = [v for v in t["status"].values()] + [t[k] for k in ("title", "statuses", "nothing", "cli_nothing")]
    assert not any("bị bounce" in v for v in said)


# -- CSV for a spreadsheet: Excel's byte order mark, its separator, its cell limit ----------------------------------

VI_BOUNCE = ("Mar 11 12:00:00 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<=1+2@x.example>, relay=mx.x.example[192.0.2.1]:25, "
             "dsn=5.1.1, status=bounced (host mx.x.example[192.0.2.1] said: 550 5.1.1 Lỗi: Địa chỉ người nhận không "
             "tồn tại (in reply to RCPT TO command))\n")


def _csv_run(tmp_path, capsys, *options) -> tuple[int, bytes, str]:
    log = tmp_path / "vi.log"
    log.write_text(VI_BOUNCE, encoding="utf-8")
    status = cli.main(["triage", str(log), "--format", "csv", *options])
    out, err = capsys.readouterr()
    return status, out.encode("utf-8"), err


def test_excel_gets_utf8_with_a_byte_order_mark_crlf_rows_and_its_own_separator(tmp_path, capsys):
    import csv

    status, plain, _ = _csv_run(tmp_path, capsys)
    assert status == 0 and not plain.startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain
    status, excel, err = _csv_run(tmp_path, capsys, "--excel", "--separator", "semicolon")
    assert (status, err) == (0, "")
    # Excel on Windows reads the Vietnamese text as UTF-8 only after a byte order mark; under Vietnamese regional
    # settings its list separator is ";"
    assert excel.startswith(b"\xef\xbb\xbfsource;line;kind;") and excel.endswith(b"\r\n") and excel.count(b"\r\n") == 2
    rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1][rows[0].index("recipient")] == "'=1+2@x.example"  # formula protection, as in every CSV
    assert "Địa chỉ người nhận không tồn tại" in rows[1][rows[0].index("text")]
    status, tabbed, _ = _csv_run(tmp_path, capsys, "--separator", "tab")
    assert tabbed.startswith(b"source\tline\tkind\t")


def test_excel_cells_are_cut_at_its_limit_and_the_options_are_for_csv_alone(tmp_path, capsys):
    long_line = VI_BOUNCE.replace("(in reply", "x" * 40_000 + " (in reply")
    (tmp_path / "long.log").write_text(long_line, encoding="utf-8")
    assert cli.main(["triage", str(tmp_path / "long.log"), "--format", "csv", "--excel"]) == 0
    import csv

    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == 2 and max(len(cell) for cell in rows[1]) == 32_767 and rows[1][-1].endswith("x…")
    for options in (["--excel"], ["--separator", "semicolon"], ["--format", "jsonl", "--excel"]):
        status, out, err = run(["triage", str(tmp_path / "long.log"), *options], capsys)
        assert (status, out) == (2, "") and err == ("smtpteach triage: --excel and --separator shape the CSV: use them "
                                                    "with --format csv\n")


# -- Exim's :blackhole:, a discard its log writes with a delivery's "=>" --------------------------------------------

EXIM_DROPS = [
    # an alias or a router whose data is :blackhole: (the redirect router's own words, with its R=)
    "2024-03-11 10:15:02 1rjXyz-0001Ab-Cd => :blackhole: <spam@hostco.vn> R=blackhole_router",
    # the same without the address in brackets, and with a T= where a site's own wording adds one
    "2024-03-11 10:15:03 1rjXyz-0001Ab-Ce => :blackhole: R=blackhole_router",
    "2024-03-11 10:15:04 1rjXyz-0001Ab-Cf => :blackhole: <noreply@hostco.vn> R=system_aliases T=devnull",
    # through syslog, with a pid
    "Mar 11 10:15:05 mx1 exim[4242]: 2024-03-11 10:15:05 [4242] 1rjXyz-0001Ab-Cg => :blackhole: <x@hostco.vn> R=bh",
    # a filter that ends with "seen finish" and delivers nothing
    "2024-03-11 10:15:06 1rjXyz-0001Ab-Ch => discarded <an@hostco.vn> R=userforward",
]
EXIM_DELIVERIES = [
    "2024-03-11 10:16:00 1rjXzz-0001Ab-Ca => user@x.example R=dnslookup T=remote_smtp H=mx.x.example [192.0.2.1] "
    'X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 OK 1710152160"',
    # a local user whose name is "discarded": a delivery names its transport, a discard has none
    "2024-03-11 10:16:01 1rjXzz-0001Ab-Cb => discarded <discarded@hostco.vn> R=localuser T=local_delivery",
    "2024-03-11 10:16:02 1rjXzz-0001Ab-Cc -> bich@x.example R=dnslookup T=remote_smtp H=mx.x.example [192.0.2.1]",
]


def test_an_exim_blackhole_is_discarded_not_delivered_and_a_delivery_stays_one():
    got = [(r.kind, r.recipient, r.status, r.reason, r.retry, r.actor, r.note)
           for r in smtpteach.triage(EXIM_DROPS + EXIM_DELIVERIES)]
    # said as a discard by the server's configuration (explain() says the same of the line alone)
    dropped = [("exim", to, "discarded", "filtered", "dont-retry", "recipient-admin", "discarded")
               for to in ("spam@hostco.vn", None, "noreply@hostco.vn", "x@hostco.vn", "an@hostco.vn")]
    assert got == dropped + [("exim", "user@x.example", "delivered", "delivered", "not-needed", "nobody", None),
                             ("exim", "discarded@hostco.vn", "delivered", "delivered", "not-needed", "nobody", None),
                             ("exim", "bich@x.example", "delivered", "delivered", "not-needed", "nobody", None)]
    s = smtpteach.triage(EXIM_DROPS + EXIM_DELIVERIES).summary()
    # counted as a discard (not delivered: among the failing), its reason and domain listed as a failure's are
    assert dict(s.by_status) == {"discarded": 5, "delivered": 3} and s.failing == 5
    assert ("filtered", "dont-retry", "recipient-admin", 5, "discarded") in s.reasons()
    assert s.top_domains()["filtered"] == [("hostco.vn", 4), ("", 1)]


def test_postfix_s_discard_agent_drops_what_it_says_it_sent():
    # discard(8) "pretends to deliver" and logs its next hop as the reason: a transport map's "dead.example discard:"
    # or a header check's DISCARD; the smtp agent's status=sent beside it stays a delivery
    lines = [
        "Mar 11 10:20:01 relay postfix/discard[3101]: 7C1D2E3F40: to=<old@dead.example>, relay=none, delay=0.02, "
        "delays=0.01/0/0/0, dsn=2.0.0, status=sent (dead.example)",
        "Mar 11 10:20:02 relay postfix/discard[3101]: 7C1D2E3F41: to=<x@list.example>, orig_to=<list@list.example>, "
        "relay=none, delay=0.1, delays=0.1/0/0/0, dsn=2.0.0, status=sent (header check: no newsletters)",
        "Mar 11 10:20:03 relay postfix/smtp[3102]: 7C1D2E3F42: to=<ana@live.example>, relay=mx.live.example[192.0.2.8]:25, "
        "delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 99AA)",
    ]
    got = [(r.recipient, r.status, r.reason, r.retry, r.actor, r.note) for r in smtpteach.triage(lines)]
    assert got == [("old@dead.example", "discarded", "filtered", "dont-retry", "recipient-admin", "discarded"),
                   ("x@list.example", "discarded", "filtered", "dont-retry", "recipient-admin", "discarded"),
                   ("ana@live.example", "delivered", "delivered", "not-needed", "nobody", None)]


@pytest.mark.parametrize(("lang", "said"), [("en", "discarded 5"), ("vi", "bị hủy (discarded) 5")])
def test_an_exim_discard_is_said_in_the_summary_of_either_language(lang, said, tmp_path, capsys):
    log = tmp_path / "mainlog"
    log.write_text("\n".join(EXIM_DROPS + EXIM_DELIVERIES) + "\n", encoding="utf-8")
    status, out, err = run(["triage", str(log), "--lang", lang], capsys)
    assert said in out.splitlines()[1], out
    # the Vietnamese word says nothing of a filter: a :blackhole: alias is none
    assert "bộ lọc" not in smtpteach.default_catalogue().ui(lang="vi")["triage"]["status"]["discarded"]
    # and the reason's row says who dropped it: the server's configuration, not the recipient's filter
    words = smtpteach.default_catalogue().ui(lang=lang)
    assert words["reason_notes"]["discarded"]["name"] in out and words["reasons"]["filtered"]["name"] not in out
