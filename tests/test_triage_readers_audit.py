"""An audit of the Dovecot, Zimbra and Microsoft 365 readers' tests: each test here catches a wrong record (its line,
kind, recipient, status, reason, actor or text) that the tests of test_triage_more_readers.py let through."""

from __future__ import annotations

import smtpteach

from .test_triage_more_readers import counts, outcomes

S1, S2 = "AbCdEfGhIjKlMnOpQrStUv", "ZyXwVuTsRqPoNmLkJiHgFe"


# -- Dovecot ----------------------------------------------------------------------------------------------------------

def test_a_failure_is_held_for_its_own_process_not_for_another_process_of_the_same_user():
    """Two LMTP processes deliver to bich at once: the rejection that follows process 1's failure, after process 2's
    delivery in between, is one attempt with it."""
    lines = [
        f"2026-12-01 08:00:01 lmtp(bich@congty.vn)<12001><{S1}>: Info: msgid=<m1@x.vn>: save failed to INBOX: "
        "Quota exceeded (mailbox for user is full)",
        f"2026-12-01 08:00:01 lmtp(bich@congty.vn)<12002><{S2}>: Info: msgid=<m2@x.vn>: saved mail to INBOX",
        f"2026-12-01 08:00:01 lmtp(bich@congty.vn)<12001><{S1}>: Info: msgid=<m1@x.vn>: rejected: Quota exceeded "
        "(mailbox for user is full)",
    ]
    assert outcomes(lines) == [(2, "dovecot", "bich@congty.vn", "delivered", "delivered", "nobody"),
                               (3, "dovecot", "bich@congty.vn", "bounced", "mailboxfull", "recipient")]


def test_two_messages_for_a_user_in_one_dovecot_2_2_process_are_two_deliveries():
    """Dovecot 2.2's prefix has no session: the message id tells the deliveries of one process apart."""
    lines = [f"2026-12-01 08:00:0{n} lmtp(40120, bich@congty.vn): Info: msgid=<m{n}@x.vn>: saved mail to INBOX"
             for n in (1, 2)]
    assert outcomes(lines) == [(1, "dovecot", "bich@congty.vn", "delivered", "delivered", "nobody"),
                               (2, "dovecot", "bich@congty.vn", "delivered", "delivered", "nobody")]


def test_a_failed_store_is_not_settled_by_another_message_s_delivery_in_the_same_process():
    lines = [
        "2026-12-01 08:00:01 lmtp(40120, bich@congty.vn): Info: msgid=<m1@x.vn>: save failed to INBOX: "
        "Internal error occurred. Refer to server log for more information.",
        "2026-12-01 08:00:02 lmtp(40120, bich@congty.vn): Info: msgid=<m2@x.vn>: saved mail to INBOX",
    ]
    assert outcomes(lines) == [(1, "dovecot", "bich@congty.vn", "deferred", "systemerror", "recipient-admin"),
                               (2, "dovecot", "bich@congty.vn", "delivered", "delivered", "nobody")]


def test_an_implicit_keep_is_not_settled_by_the_next_session_s_delivery():
    """The keep's store into INBOX is not logged; the same process's next session delivers another message."""
    lines = [
        f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Error: sieve: msgid=<k1@x.vn>: failed to store into "
        "mailbox 'Archive': Mailbox doesn't exist: Archive",
        f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Error: sieve: Execution of script /home/an/.dovecot.sieve "
        "failed, but implicit keep was successful",
        f"2026-12-01 08:00:05 lmtp(an@congty.vn)<12020><{S2}>: Info: msgid=<k2@x.vn>: saved mail to INBOX",
    ]
    assert outcomes(lines) == [(2, "dovecot", "an@congty.vn", "delivered", "delivered", "nobody"),
                               (3, "dovecot", "an@congty.vn", "delivered", "delivered", "nobody")]


def test_the_old_deliver_s_failed_store_is_deferred_even_for_a_full_mailbox():
    """deliver is the LDA before Dovecot 2.0: it fails temporarily (a permanent failure writes "rejected:")."""
    line = ("2026-12-01 08:00:01 deliver(bich): Info: msgid=<m1@x.vn>: save failed to INBOX: Quota exceeded "
            "(mailbox for user is full)")
    assert outcomes([line]) == [(1, "dovecot", "bich", "deferred", "mailboxfull", "recipient")]


def test_an_lmtp_proxy_s_record_names_the_recipient_it_sent_to_and_its_failure_is_the_receiving_side_s():
    lines = [
        "2026-12-01 08:00:01 lmtp(12051): Info: proxy(an): Sent message to <an@congty.vn> at 10.0.1.21:24: 250 2.0.0 "
        f"<an@congty.vn> {S1} Saved (1/1 at 31 ms)",
        "2026-12-01 08:00:02 lmtp(12052): Error: proxy(dung): Failed to send message to <dung@congty.vn> at "
        "10.0.1.23:24: backend said something odd (1/1 at 2 ms)",
    ]
    got = outcomes(lines)
    assert got[0] == (1, "dovecot", "an@congty.vn", "relayed", "delivered", "nobody")
    assert got[1][:3] == (2, "dovecot", "dung@congty.vn") and got[1][5] == "recipient-admin"


def test_a_user_dovecot_cannot_set_up_is_the_one_its_line_names_and_the_text_starts_at_the_failure():
    lines = ["2026-12-01 08:00:01 lda(son)<12099>: Error: user son@congty.vn: Initialization failed: Namespace '': "
             "mail_location not set and autodetection failed",
             "2026-12-01 08:03:00 lmtp(12110): Error: lmtp-server: conn unix:pid=12109,uid=89 [1]: rcpt moi@congty.vn: "
             "Failed to lookup user moi@congty.vn: Internal error occurred."]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status) for r in got] == [(1, "son@congty.vn", "deferred"),
                                                             (2, "moi@congty.vn", "deferred")]
    assert got[0].text.startswith("user son@congty.vn: Initialization failed")
    assert got[1].text == "rcpt moi@congty.vn: Failed to lookup user moi@congty.vn: Internal error occurred."


def test_dovecot_2_2_s_session_with_its_transaction_number_is_read():
    line = (f"2026-12-01 08:00:01 lmtp(40120, bich@congty.vn): Info: {S1}:2: msgid=<m1@x.vn>: saved mail to INBOX")
    got = list(smtpteach.triage([line]))
    assert [(r.line, r.recipient, r.status, r.queue_id) for r in got] == [(1, "bich@congty.vn", "delivered", f"{S1}:2")]


def test_a_dovecot_logout_line_is_no_attempt():
    lines = [f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Info: Logged out"]
    assert counts(lines) == (0, {}, 1, 0)


def test_a_dovecot_line_with_a_long_prefix_and_an_iso_time_is_read():
    user = "nguyen.thi.phuong.thao.phong.ke.toan@congty-tnhh-thuong-mai.vn"
    lines = [f"{when} lmtp({user})<12001><{S1}>: Info: msgid=<m{n}@x.vn>: saved mail to INBOX"
             for n, when in enumerate(("2026-12-01 08:00:01", "2026-12-01 08:00:01+07:00"), 1)]
    assert outcomes(lines) == [(1, "dovecot", user, "delivered", "delivered", "nobody"),
                               (2, "dovecot", user, "delivered", "delivered", "nobody")]


def test_a_permanent_failure_dovecot_s_proxy_gives_in_words_not_known_is_the_receiving_side_s():
    line = ("2026-12-01 08:00:02 lmtp(12052): Error: proxy(dung): Failed to send message to <dung@congty.vn> at "
            "10.0.1.23:24: 550 5.0.0 whatever happened (1/1 at 2 ms)")
    assert outcomes([line]) == [(1, "dovecot", "dung@congty.vn", "bounced", "undefined", "recipient-admin")]


# -- Zimbra -----------------------------------------------------------------------------------------------------------

ZHEAD = ("2026-12-01 10:10:00,100 INFO  [LmtpServer-40] [name=em@congty.vn;mid=23;ip=10.0.0.5;] lmtp - try again for "
         "message from=a@b.vn,to=em@congty.vn")


def test_a_zimbra_failure_is_explained_by_the_root_cause_of_a_long_trace_and_its_first_code():
    lines = [ZHEAD,
             "com.zimbra.common.service.ServiceException: system failure: unable to store blob",
             "Code:service.FAILURE",
             *[f"\tat com.zimbra.cs.store.file.Frame{n}.call(Frame{n}.java:{n})" for n in range(8)],
             "Caused by: com.zimbra.common.service.ServiceException: system failure: write failed",
             "Code:service.IO_ERROR",
             "\tat com.zimbra.cs.store.file.FileBlobStore.storeIncoming(FileBlobStore.java:118)",
             "Caused by: java.io.IOException: No space left on device",
             "\t... 14 more"]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status, r.reason, r.actor) for r in got] == [
        (1, "em@congty.vn", "deferred", "systemfull", "recipient-admin")]
    assert got[0].text == ("try again for message from=a@b.vn,to=em@congty.vn: system failure: unable to store blob: "
                           "No space left on device (service.FAILURE)")


def test_a_zimbra_failure_caused_by_a_java_error_names_it():
    lines = [ZHEAD, "java.lang.OutOfMemoryError: Java heap space"]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status) for r in got] == [(1, "em@congty.vn", "deferred")]
    assert got[0].text == "try again for message from=a@b.vn,to=em@congty.vn: Java heap space"


def test_a_zimbra_filter_s_discard_said_twice_of_one_message_is_one_discard():
    line = ("2026-12-01 10:21:00,180 INFO  [LmtpServer-51] [name=an@congty.vn;mid=12;ip=10.0.0.5;] filter - Discarding "
            "message with Message-ID <pr01@shop.vn> from promo@shop.vn")
    assert outcomes([line, line]) == [(1, "zimbra", "an@congty.vn", "discarded", "filtered", "recipient")]


def test_a_recipient_s_repeated_failure_line_does_not_join_another_recipient_s_held_failure():
    """bich's second failure line comes after an's failure on the same thread: an's failure ends there, and the trace
    after it is not an's."""
    lines = [
        "2026-12-01 10:10:00,100 INFO  [LmtpServer-40] [name=bich@congty.vn;mid=9;] lmtp - rejecting message "
        "bich@congty.vn: overquota",
        "2026-12-01 10:10:00,200 INFO  [LmtpServer-40] [name=an@congty.vn;mid=12;] lmtp - rejecting message "
        "an@congty.vn: account or mailbox not found",
        "2026-12-01 10:10:00,300 INFO  [LmtpServer-40] [name=bich@congty.vn;mid=9;] lmtp - try again for message "
        "bich@congty.vn: exception occurred",
        "com.zimbra.cs.mailbox.MailServiceException: invalid request: message too large: 9000000 > 5242880",
        "Code:mail.MESSAGE_TOO_BIG",
    ]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status) for r in got] == [(1, "bich@congty.vn", "deferred"),
                                                             (2, "an@congty.vn", "bounced")]
    assert got[1].text == "rejecting message an@congty.vn: account or mailbox not found"


def test_a_zimbra_log_with_the_day_first_and_milliseconds_after_a_point_is_read():
    line = ("01 Dec 2026 10:30:00.101 INFO [LmtpServer-60] [name=bich@congty.vn;mid=15;ip=10.0.0.5;] lmtp - rejecting "
            "message from=a@b.vn,to=bich@congty.vn: overquota")
    assert outcomes([line]) == [(1, "zimbra", "bich@congty.vn", "deferred", "mailboxfull", "recipient")]


# -- Microsoft 365's message trace ------------------------------------------------------------------------------------

HEAD = '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","MessageId","MessageTraceId"'


def row(status: str, n: int = 1) -> str:
    return (f'"12/1/2026 2:0{n}:00 AM","lan@doitac.vn","r{n}@congty.vn","Hop","{status}","","209.85.218.44",'
            f'"<t{n}@doitac.vn>","0a1b2c3d-0000-4000-8000-00000000000{n}"')


def test_a_resolved_trace_row_is_expanded_and_a_none_row_is_unknown_with_where_its_reply_is():
    got = list(smtpteach.triage([HEAD, row("Resolved", 1), row("None", 2), row("GettingStatus", 3)]))
    assert [(r.line, r.kind, r.recipient, r.status, r.reason) for r in got] == [
        (2, "m365", "r1@congty.vn", "expanded", "delivered"),
        (3, "m365", "r2@congty.vn", "unknown", "undefined"),
        (4, "m365", "r3@congty.vn", "unknown", "undefined")]
    note = "(the message trace gives the status only; the reply is in the trace's details)"
    assert (got[1].text, got[2].text) == (f"None {note}", f"Getting Status {note}")


def test_a_message_trace_with_capitalised_column_words_a_details_column_and_spaced_status_words():
    rows = ["Date,Sender Address,Recipient Address,Subject,Delivery Status,Details,Message ID",
            "2026-12-01 02:00:09,ketoan@congty.vn,thanh@gmail.com,Hoa don,Failed,550 5.1.1 The email account that "
            "you tried to reach does not exist,<a1@congty.vn>",
            "2026-12-01 02:01:00,tin@quangcao.example,ketoan@congty.vn,KM,Filtered as spam,,<a2@quangcao.example>"]
    got = list(smtpteach.triage(rows))
    assert [(r.line, r.kind, r.recipient, r.status, r.reason, r.actor) for r in got] == [
        (2, "m365", "thanh@gmail.com", "bounced", "userunknown", got[0].actor),
        (3, "m365", "ketoan@congty.vn", "delivered", "spamdetected", "recipient")]
    assert got[0].basic == "550"


def test_a_dovecot_line_naming_only_its_process_gives_no_number_for_a_recipient():
    line = "2026-12-01 08:09:00 lda(12090): Info: msgid=<x1@x.vn>: saved mail to INBOX"
    assert outcomes([line]) == [(1, "dovecot", None, "delivered", "delivered", "nobody")]


def test_sieve_s_duplicate_it_did_not_send_again_is_no_attempt():
    line = (f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Info: sieve: msgid=<d1@x.vn>: discarded duplicate "
            "forward to <an.rieng@gmail.com>")
    assert counts([line]) == (0, {}, 1, 0)


def test_a_zimbra_user_s_message_the_mta_refused_for_now_is_deferred():
    line = ("2026-12-01 09:04:00,500 WARN  [qtp-99:https://mail.congty.vn/service/soap/SendMsgRequest] "
            "[name=hoa@congty.vn;mid=7;ip=113.161.1.2;] mailbox - Message send failed: 451 4.3.0 Error: queue file "
            "write error")
    got = list(smtpteach.triage([line]))
    assert [(r.line, r.kind, r.recipient, r.status, r.basic) for r in got] == [(1, "zimbra", None, "deferred", "451")]
