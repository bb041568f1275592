"""triage() on the logs of mailbox servers and on Microsoft 365's message trace: Dovecot's own log
(smtpteach/_triage/_dovecot.py), Zimbra's mailbox log (_zimbra.py) and the message trace (_tracking.py)."""

from __future__ import annotations

import re

import pytest

import smtpteach


def records(lines: list[str]) -> list[tuple]:
    return [(r.line, r.kind, r.recipient, r.reason, r.status) for r in smtpteach.triage(lines)]


def counts(lines: list[str]) -> tuple:
    s = smtpteach.triage(lines).summary()
    return s.records, dict(s.by_status), s.other_lines, s.unrecognised


# -- Dovecot's own log ----------------------------------------------------------------------------------------------

S1, S2 = "AbCdEfGhIjKlMnOpQrStUv", "ZyXwVuTsRqPoNmLkJiHgFe"
DOVECOT = [
    "2026-12-01 08:00:01 lmtp(12001): Info: Connect from local",
    f"2026-12-01 08:00:01 lmtp(hoa@congty.vn)<12001><{S1}>: Info: msgid=<m1@nhacungcap.vn>: saved mail to INBOX",
    f"2026-12-01 08:00:01 lmtp(bich@congty.vn)<12001><{S1}>: Info: msgid=<m1@nhacungcap.vn>: save failed to INBOX: "
    "Quota exceeded (mailbox for user is full)",
    f"2026-12-01 08:00:01 lmtp(bich@congty.vn)<12001><{S1}>: Info: msgid=<m1@nhacungcap.vn>: rejected: Quota exceeded "
    "(mailbox for user is full)",
    "2026-12-01 08:00:02 lmtp(12001): Info: Disconnect from local: Client has quit the connection (state=READY)",
    f"2026-12-01 08:05:00 lda(thu@congty.vn)<12050><{S2}>: Info: sieve: msgid=<hd@evn.com.vn>: stored mail into "
    "mailbox 'Hoa don'",
    f"2026-12-01 08:05:00 lda(thu@congty.vn)<12050><{S2}>: Info: sieve: msgid=<hd@evn.com.vn>: stored mail into "
    "mailbox 'INBOX'",
    "2026-12-01 08:06:00 lda(thu@congty.vn)<12060><Qq1Ww2Ee3Rr4Tt5Yy6Uu7I>: Info: sieve: msgid=<km@shop.vn>: sent "
    "vacation response to <km@shop.vn>",
    "2026-12-01 08:07:00 lda(ketoan@congty.vn)<12070><Aa1Ss2Dd3Ff4Gg5Hh6Jj7K>: Info: sieve: msgid=<s1@bulk.example>: "
    "marked message to be discarded if not explicitly delivered (discard action)",
    "2026-12-01 08:07:00 lda(ketoan@congty.vn)<12070><Aa1Ss2Dd3Ff4Gg5Hh6Jj7K>: Info: sieve: msgid=<s1@bulk.example>: "
    "discarded",
    "2026-12-01 08:08:00 lda(giamdoc@congty.vn)<12080><Zz1Xx2Cc3Vv4Bb5Nn6Mm7L>: Info: sieve: msgid=<kh@khachhang.vn>: "
    "forwarded to <giamdoc.rieng@gmail.com>",
    "2026-12-01 08:09:00 lda(12090): Error: User cu@congty.vn doesn't have home dir set, disabling duplicate database",
    "2026-12-01 08:09:00 lda: Error: user cu@congty.vn: Initialization failed: Namespace '': Mail storage "
    "autodetection failed with home=(not set)",
]
DOVECOT_RECORDS = [
    (2, "dovecot", "hoa@congty.vn", "delivered", "delivered"),
    (4, "dovecot", "bich@congty.vn", "mailboxfull", "bounced"),  # save failed + rejected: one attempt
    (6, "dovecot", "thu@congty.vn", "delivered", "delivered"),  # stored into two mailboxes: one delivery
    (10, "dovecot", "ketoan@congty.vn", "filtered", "discarded"),
    (11, "dovecot", "giamdoc@congty.vn", "delivered", "relayed"),
    (13, "dovecot", "cu@congty.vn", "undefined", "deferred"),  # explain() reads no reason in these words
]


def test_dovecot_s_own_log_gives_each_delivery_into_a_mailbox_and_each_refusal_once():
    assert records(DOVECOT) == DOVECOT_RECORDS
    # the connection lines, the failure the rejection repeats, the second mailbox, the vacation response, the
    # discard's mark and the missing home are lines of no attempt
    assert counts(DOVECOT) == (6, {"delivered": 2, "bounced": 1, "discarded": 1, "relayed": 1, "deferred": 1}, 7, 0)


def test_a_dovecot_record_keeps_its_time_session_and_the_words_that_were_explained():
    first, bounced = list(smtpteach.triage(DOVECOT))[:2]
    assert (first.time, first.queue_id, first.domain, first.text) == ("2026-12-01 08:00:01", S1, "congty.vn",
                                                                     "saved mail to INBOX")
    assert (bounced.text, bounced.retry, bounced.actor) == ("rejected: Quota exceeded (mailbox for user is full)",
                                                            "fix-then-retry", "recipient")


def test_dovecot_s_default_time_reads_the_same_as_an_iso_one():
    """log_timestamp's default, "%b %d %H:%M:%S ", puts the prefix where syslog puts a host and the level where it
    puts a program: it is Dovecot's own line all the same."""
    default = [line.replace("2026-12-01 ", "Dec  1 ", 1) for line in DOVECOT]
    assert records(default) == DOVECOT_RECORDS
    assert next(iter(smtpteach.triage(default))).time == "Dec  1 08:00:01"


def test_dovecot_2_2_s_prefix_names_the_process_and_the_user_and_puts_the_session_after_it():
    line = f"2026-12-01 08:00:01 lmtp(12001, hoa@congty.vn): Info: {S1}: msgid=<m1@x.vn>: saved mail to INBOX"
    (r,) = smtpteach.triage([line, line.replace("saved mail to INBOX", "saved mail to Archive")])
    assert (r.recipient, r.queue_id, r.status, r.text) == ("hoa@congty.vn", S1, "delivered", "saved mail to INBOX")


def test_a_rejection_is_paired_with_its_own_process_s_failure_when_another_process_writes_between():
    lines = [
        f"2026-12-01 08:00:01 lda(bich@congty.vn)<12100><{S1}>: Info: msgid=<m2@x.vn>: save failed to INBOX: Quota "
        "exceeded (mailbox for user is full)",
        f"2026-12-01 08:00:01 lda(hoa@congty.vn)<12101><{S2}>: Info: msgid=<m3@x.vn>: saved mail to INBOX",
        f"2026-12-01 08:00:01 lda(bich@congty.vn)<12100><{S1}>: Info: msgid=<m2@x.vn>: rejected: Quota exceeded "
        "(mailbox for user is full)",
    ]
    assert records(lines) == [(2, "dovecot", "hoa@congty.vn", "delivered", "delivered"),
                              (3, "dovecot", "bich@congty.vn", "mailboxfull", "bounced")]


def test_a_failure_no_rejection_follows_is_bounced_only_for_lmtp_s_full_mailbox():
    """LMTP answers a full mailbox with 552 5.2.2 by default, and other failures with 451; dovecot-lda writes
    "rejected:" when it fails for good, so its failure alone was a temporary one."""
    lines = [
        f"2026-12-01 08:00:01 lmtp(bich@congty.vn)<12001><{S1}>: Info: msgid=<m1@x.vn>: save failed to INBOX: Quota "
        "exceeded (mailbox for user is full)",
        "2026-12-01 08:00:02 lmtp(12001): Info: Disconnect from local: Client has quit the connection (state=READY)",
        f"2026-12-01 08:01:00 lmtp(hoa@congty.vn)<12002><{S2}>: Info: msgid=<m2@x.vn>: save failed to INBOX: Internal "
        "error occurred. Refer to server log for more information.",
        "2026-12-01 08:01:01 lmtp(12002): Info: Disconnect from local: Client has quit the connection (state=READY)",
        "2026-12-01 08:02:00 lda(bich@congty.vn)<12003><Qq1Ww2Ee3Rr4Tt5Yy6Uu7I>: Error: sieve: msgid=<m3@x.vn>: failed "
        "to store into mailbox 'INBOX': Quota exceeded (mailbox for user is full)",
    ]
    assert records(lines) == [(1, "dovecot", "bich@congty.vn", "mailboxfull", "bounced"),
                              (3, "dovecot", "hoa@congty.vn", "systemerror", "deferred"),
                              (5, "dovecot", "bich@congty.vn", "mailboxfull", "deferred")]  # the file's end


def test_lmtp_s_failure_to_look_a_recipient_up_is_its_deferral():
    line = ("2026-12-01 08:03:00 lmtp(12110): Error: lmtp-server: conn unix:pid=12109,uid=89 [1]: rcpt moi@congty.vn: "
            "Failed to lookup user moi@congty.vn: Internal error occurred. Refer to server log for more information.")
    assert records([line]) == [(1, "dovecot", "moi@congty.vn", "systemerror", "deferred")]


POSTFIX_AND_DOVECOT = [
    f"Dec  1 08:00:01 mail dovecot: lmtp(hoa@congty.vn)<12001><{S1}>: msgid=<m1@x.vn>: saved mail to INBOX",
    f"Dec  1 08:00:01 mail dovecot: lmtp(bich@congty.vn)<12001><{S1}>: msgid=<m1@x.vn>: save failed to INBOX: Quota "
    "exceeded (mailbox for user is full)",
    f"Dec  1 08:00:01 mail dovecot: lmtp(bich@congty.vn)<12001><{S1}>: msgid=<m1@x.vn>: rejected: Quota exceeded "
    "(mailbox for user is full)",
    "Dec  1 08:00:01 mail postfix/lmtp[12000]: 4Q1aBc: to=<hoa@congty.vn>, relay=mail.congty.vn[private/dovecot-lmtp], "
    f"delay=0.2, delays=0.1/0/0.05/0.05, dsn=2.0.0, status=sent (250 2.0.0 <hoa@congty.vn> {S1} Saved)",
    "Dec  1 08:00:01 mail postfix/lmtp[12000]: 4Q1aBc: to=<bich@congty.vn>, relay=mail.congty.vn[private/dovecot-lmtp], "
    "delay=0.2, delays=0.1/0/0.05/0.05, dsn=5.2.2, status=bounced (host mail.congty.vn[private/dovecot-lmtp] said: 552 "
    "5.2.2 <bich@congty.vn> Quota exceeded (mailbox for user is full) (in reply to end of DATA command))",
    f"Dec  1 08:01:00 mail dovecot: lda(thu@congty.vn)<12050><{S2}>: sieve: msgid=<m2@x.vn>: stored mail into mailbox "
    "'INBOX'",
    "Dec  1 08:01:00 mail postfix/pipe[12049]: 4Q2dEf: to=<thu@congty.vn>, relay=dovecot, delay=0.1, "
    "delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered via dovecot service)",
    "Dec  1 08:02:00 mail dovecot[880]: lmtp(12110): Error: lmtp-server: conn unix:pid=12109,uid=89 [1]: rcpt "
    "moi@congty.vn: Failed to lookup user moi@congty.vn: Internal error occurred.",
]


def test_dovecot_s_lines_through_syslog_are_no_attempts_beside_the_mta_s_own():
    """Postfix's lmtp and pipe lines record each hand-off to Dovecot, with its reply: Dovecot's own words about the
    same deliveries, in the same syslog, would count each twice."""
    got = [(r.line, r.kind, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(POSTFIX_AND_DOVECOT)]
    assert got == [(4, "postfix", "hoa@congty.vn", "250", "delivered", "delivered"),
                   (5, "postfix", "bich@congty.vn", "552", "mailboxfull", "bounced"),
                   (7, "postfix", "thu@congty.vn", None, "delivered", "delivered")]
    assert counts(POSTFIX_AND_DOVECOT) == (3, {"delivered": 2, "bounced": 1}, 5, 0)


# -- Zimbra's mailbox log -----------------------------------------------------------------------------------------

ZIMBRA = [
    "2026-12-01 09:00:01,101 INFO  [LmtpServer-21] [ip=10.0.0.5;] lmtp - Delivering message: size=5120 bytes, "
    "nrcpts=2, sender=lan@doitac.vn, msgid=<a1@doitac.vn>",
    "2026-12-01 09:00:01,150 INFO  [LmtpServer-21] [name=hoa@congty.vn;mid=7;ip=10.0.0.5;] mailop - Adding Message: "
    "id=301, Message-ID=<a1@doitac.vn>, parentId=-1, folderId=2, folderName=Inbox acct=hoa@congty.vn.",
    "2026-12-01 09:00:01,160 INFO  [LmtpServer-21] [name=hoa@congty.vn;mid=7;ip=10.0.0.5;] lmtp - Delivered message "
    "to hoa@congty.vn.",
    "2026-12-01 09:00:01,170 INFO  [LmtpServer-21] [name=bich@congty.vn;mid=9;ip=10.0.0.5;] lmtp - rejecting message "
    "from=lan@doitac.vn,to=bich@congty.vn: overquota",
    "2026-12-01 09:01:00,200 WARN  [LmtpServer-22] [name=tam@congty.vn;mid=11;ip=10.0.0.5;] lmtp - try again for "
    "message tam@congty.vn: exception occurred",
    "com.zimbra.common.service.ServiceException: system failure: database connection lost",
    "ExceptionId:LmtpServer-22:1764554460200:aa11bb22cc33dd44",
    "Code:service.FAILURE",
    "\tat com.zimbra.common.service.ServiceException.FAILURE(ServiceException.java:288)",
    "\tat com.zimbra.cs.lmtpserver.ZimbraLmtpBackend.deliver(ZimbraLmtpBackend.java:600)",
    "2026-12-01 09:02:00,300 INFO  [LmtpServer-23] [name=ketoan@congty.vn;mid=5;ip=10.0.0.5;] filter - Discarding "
    "message with Message-ID <q1@quangcao.example> from sender tin@quangcao.example.",
    "2026-12-01 09:03:00,550 INFO  [LmtpServer-24] [ip=10.0.0.5;] lmtp - rejecting message nghiviec@congty.vn: "
    "account or mailbox not found",
    "2026-12-01 09:04:00,500 WARN  [qtp-99:https://mail.congty.vn/service/soap/SendMsgRequest] "
    "[name=hoa@congty.vn;mid=7;ip=113.161.1.2;] mailbox - Message send failed: 552 5.3.4 Error: message file too big",
]


def test_zimbra_s_mailbox_log_gives_each_recipient_s_delivery_refusal_and_discard():
    assert records(ZIMBRA) == [
        (2, "zimbra", "hoa@congty.vn", "delivered", "delivered"),  # added to the mailbox, then said delivered: once
        (4, "zimbra", "bich@congty.vn", "mailboxfull", "deferred"),  # over quota: a temporary failure by default
        (5, "zimbra", "tam@congty.vn", "undefined", "deferred"),
        (11, "zimbra", "ketoan@congty.vn", "undefined", "discarded"),
        (12, "zimbra", "nghiviec@congty.vn", "userunknown", "bounced"),
        (13, "zimbra", None, "emailtoolarge", "bounced"),  # the user's own message, refused by the MTA
    ]
    # the stack trace's lines (the tab-indented ones joined to the line before them) are no lines of their own
    assert counts(ZIMBRA) == (6, {"delivered": 1, "deferred": 2, "discarded": 1, "bounced": 2}, 5, 0)


def test_a_zimbra_record_s_codes_are_its_words_not_its_time_s_milliseconds():
    """09:03:00,550 ends in what looks like a reply code; the refusal of a missing account has no code at all, and the
    refused message of a user has the MTA's, with the account it was sent from."""
    refused, sent = list(smtpteach.triage(ZIMBRA))[-2:]
    assert (refused.basic, refused.enhanced, refused.time) == (None, None, "2026-12-01 09:03:00,550")
    assert (sent.basic, sent.enhanced, sent.text) == (
        "552", "5.3.4", "name=hoa@congty.vn; Message send failed: 552 5.3.4 Error: message file too big")


def test_a_zimbra_discard_is_explained_without_the_sender_s_address():
    discard = list(smtpteach.triage(ZIMBRA))[3]
    assert discard.text == "Discarding message with Message-ID <q1@quangcao.example>"


def test_zimbra_s_rejection_and_the_exception_after_it_are_one_attempt_and_the_next_message_is_another():
    rejected = ("2026-12-01 09:16:40,110 INFO  [LmtpServer-30] [ip=10.0.0.5;] lmtp - rejecting message bich@congty.vn: "
                "mailbox quota exceeded")
    again = ("2026-12-01 09:16:40,112 WARN  [LmtpServer-30] [name=bich@congty.vn;mid=9;] lmtp - try again for message "
             "bich@congty.vn: exception occurred")
    trace = "com.zimbra.cs.mailbox.MailServiceException: mailbox quota exceeded"
    nxt = ("2026-12-01 09:30:00,001 INFO  [LmtpServer-30] [ip=10.0.0.5;] lmtp - Delivering message: size=900 bytes, "
           "nrcpts=1, sender=lan@doitac.vn, msgid=<a2@doitac.vn>")
    assert records([rejected, again, trace, nxt, rejected]) == [
        (1, "zimbra", "bich@congty.vn", "mailboxfull", "deferred"), (5, "zimbra", "bich@congty.vn", "mailboxfull",
                                                                     "deferred")]
    assert counts([rejected, again, trace, nxt, rejected]) == (2, {"deferred": 2}, 3, 0)


def test_a_line_like_a_java_trace_s_outside_a_zimbra_log_is_not_taken_for_one():
    assert counts(["com.zimbra.common.service.ServiceException: system failure", "Code:service.FAILURE"]) == \
        (0, {}, 0, 2)


# -- Microsoft 365's message trace --------------------------------------------------------------------------------

TRACE = [
    '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId",'
    '"MessageTraceId"',
    '"12/1/2026 2:00:09 AM","ketoan@congty.vn","thanh@gmail.com","Quota exceeded","Failed","","113.161.45.30",'
    '"34120","<f1@congty.vn>","0a1b2c3d-0000-4000-8000-000000000001"',
    '"12/1/2026 2:01:00 AM","lan@doitac.vn","hoa@congty.vn","Mailbox full","Delivered","","209.85.218.44","6240",'
    '"<f2@doitac.vn>","0a1b2c3d-0000-4000-8000-000000000002"',
    '"12/1/2026 2:02:30 AM","tin@quangcao.example","ketoan@congty.vn","Khuyen mai","FilteredAsSpam","","45.133.1.77",'
    '"9512","<f3@quangcao.example>","0a1b2c3d-0000-4000-8000-000000000003"',
    '"12/1/2026 2:03:10 AM","it@nganhang-hotro.example","ketoan@congty.vn","Xac minh","Quarantined","","45.133.1.78",'
    '"30233","<f4@nganhang-hotro.example>","0a1b2c3d-0000-4000-8000-000000000004"',
    '"12/1/2026 3:30:40 AM","kinhdoanh@congty.vn","anh@vnpt.vn","Thu moi","Pending","","10.0.0.21","8800",'
    '"<f5@congty.vn>","0a1b2c3d-0000-4000-8000-000000000005"',
    '"12/1/2026 3:35:00 AM","info@congty.vn","tatca@congty.vn","Nghi le","Expanded","","10.0.0.21","5000",'
    '"<f6@congty.vn>","0a1b2c3d-0000-4000-8000-000000000006"',
    '"12/1/2026 3:36:00 AM","info@congty.vn","moi@congty.vn","Nghi le","GettingStatus","","10.0.0.21","5000",'
    '"<f7@congty.vn>","0a1b2c3d-0000-4000-8000-000000000007"',
]


def test_microsoft_365_s_message_trace_gives_each_row_the_status_it_names():
    assert records(TRACE) == [
        (2, "m365", "thanh@gmail.com", "undefined", "bounced"),  # no reply in the trace: no reason invented
        (3, "m365", "hoa@congty.vn", "delivered", "delivered"),
        (4, "m365", "ketoan@congty.vn", "spamdetected", "delivered"),  # to the Junk Email folder
        (5, "m365", "ketoan@congty.vn", "policyviolation", "discarded"),  # held in quarantine
        (6, "m365", "anh@vnpt.vn", "undefined", "deferred"),
        (7, "m365", "tatca@congty.vn", "delivered", "expanded"),
        (8, "m365", "moi@congty.vn", "undefined", "unknown"),
    ]
    s = smtpteach.triage(TRACE).summary()
    assert (s.records, s.failing, s.other_lines, s.unrecognised) == (7, 4, 1, 0)  # an expansion is no failure


def test_a_failed_trace_row_says_where_its_reply_is_and_its_subject_is_never_read():
    failed, delivered = list(smtpteach.triage(TRACE))[:2]
    assert failed.text == "Failed (the message trace gives the status only; the reply is in the trace's details)"
    assert (failed.basic, failed.enhanced, failed.permanent, failed.retry) == (None, None, None, "not-known")
    assert (failed.time, failed.queue_id, failed.domain) == ("12/1/2026 2:00:09 AM",
                                                             "0a1b2c3d-0000-4000-8000-000000000001", "gmail.com")
    assert delivered.text == "Delivered"


def test_a_message_trace_whose_columns_are_named_in_words_and_not_quoted_is_read_too():
    rows = ["Received Time,Sender address,Recipient address,Subject,Delivery status,Detail",
            "2026-12-01 02:00:09,ketoan@congty.vn,thanh@gmail.com,Hoa don,Failed,550 5.1.1 The email account that "
            "you tried to reach does not exist",
            "2026-12-01 02:01:00,lan@doitac.vn,hoa@congty.vn,Lich hop,Delivered,"]
    got = [(r.line, r.time, r.recipient, r.basic, r.reason, r.status) for r in smtpteach.triage(rows)]
    assert got == [(2, "2026-12-01 02:00:09", "thanh@gmail.com", "550", "userunknown", "bounced"),
                   (3, "2026-12-01 02:01:00", "hoa@congty.vn", None, "delivered", "delivered")]


def test_a_message_trace_row_with_a_status_the_trace_does_not_write_is_unrecognised():
    assert counts([TRACE[0], TRACE[1].replace('"Failed"', '"Exploded"')]) == (0, {}, 1, 1)


@pytest.mark.parametrize("header", [TRACE[0], TRACE[0].replace('"Status"', '"Delivery status"')])
def test_a_message_trace_is_no_exchange_tracking_export(header):
    assert [r.kind for r in smtpteach.triage([header, TRACE[2]])] == ["m365"]


def test_the_how_to_names_every_kind_a_record_can_have_in_both_languages():
    from pathlib import Path

    from smtpteach._triage import KINDS

    root = Path(__file__).resolve().parent.parent
    for page in (root / "docs" / "howto" / "triage.md", root / "docs" / "vi" / "howto" / "triage.md"):
        (row,) = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("| `kind` |")]
        assert re.findall(r"`([a-z0-9]+)`", row)[1:] == list(KINDS), page


def test_the_failures_held_for_a_rejection_stay_few_and_each_is_still_counted(monkeypatch):
    """At most OPEN_SESSIONS failures wait for their process's next line; the oldest is counted as it stands when
    another comes."""
    import smtpteach._triage._dovecot as dovecot

    monkeypatch.setattr(dovecot, "OPEN_SESSIONS", 1)
    lines = [f"2026-12-01 08:00:0{n} lmtp(u{n}@congty.vn)<1200{n}><{S1}>: Info: msgid=<m{n}@x.vn>: save failed to "
             "INBOX: Quota exceeded (mailbox for user is full)" for n in (1, 2, 3)]
    got = [(r.line, r.recipient, r.status) for r in smtpteach.triage(lines)]
    assert got == [(1, "u1@congty.vn", "bounced"), (2, "u2@congty.vn", "bounced"), (3, "u3@congty.vn", "bounced")]
