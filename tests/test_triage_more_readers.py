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
    (9, "dovecot", "ketoan@congty.vn", "filtered", "discarded"),  # its mark, and the bare "discarded" after it: once
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


def outcomes(lines: list[str]) -> list[tuple]:
    return [(r.line, r.kind, r.recipient, r.status, r.reason, r.actor) for r in smtpteach.triage(lines)]


S3 = "Pp1Oo2Ii3Uu4Yy5Tt6Rr7E"


def test_dovecot_s_other_prefixes_and_times_are_read_as_its_own():
    """Dovecot 2.2's "lmtp(pid, user):" with the default time, log_timestamp with a "T" and a zone, and the deliver
    of Dovecot 1.x, with the default time or an ISO one."""
    lines = [
        f"Dec  1 08:00:01 lmtp(12001, hoa@congty.vn): Info: {S1}: msgid=<m1@x.vn>: saved mail to INBOX",
        f"Dec  1 08:00:02 lmtp(12002, bich@congty.vn): Info: {S2}: msgid=<m2@x.vn>: save failed to INBOX: Quota "
        "exceeded (mailbox for user is full)",
        f"2026-12-01T08:00:03+0700 lmtp(tam@congty.vn)<12003><{S3}>: Info: msgid=<m3@x.vn>: saved mail to INBOX",
        "Dec  1 08:00:04 deliver(vinh): Info: msgid=<m4@x.vn>: saved mail to INBOX",
        "2026-12-01 08:00:05 deliver(yen@congty.vn): Info: msgid=<m5@x.vn>: rejected: Quota exceeded",
    ]
    assert outcomes(lines) == [
        (1, "dovecot", "hoa@congty.vn", "delivered", "delivered", "nobody"),
        (3, "dovecot", "tam@congty.vn", "delivered", "delivered", "nobody"),
        (4, "dovecot", "vinh", "delivered", "delivered", "nobody"),
        (5, "dovecot", "yen@congty.vn", "bounced", "mailboxfull", "recipient"),
        (2, "dovecot", "bich@congty.vn", "bounced", "mailboxfull", "recipient"),  # LMTP's full mailbox, at the end
    ]
    assert next(iter(smtpteach.triage(lines[2:3]))).time == "2026-12-01T08:00:03+0700"


def test_a_custom_mail_deliver_log_format_is_read_by_what_comes_after_its_fields():
    """What happened is after the fields; a subject that quotes an outcome's words is not one."""
    fields = "msgid=<m6@x.vn> from=<khach@gmail.com> subject=Re: rejected: Quota exceeded? size=812"
    lines = [
        f"2026-12-01 08:00:01.120481 lda(oanh)<12010><{S1}>: Info: {fields}: saved mail to INBOX",
        f"2026-12-01 08:00:02.000001 lda(phuc)<12011><{S2}>: Info: msgid=<m7@x.vn> from=<a@b.vn> subject=Don hang "
        "size=30: save failed to INBOX: Quota exceeded (mailbox for user is full)",
        f"2026-12-01 08:00:02.000002 lda(phuc)<12011><{S2}>: Info: msgid=<m7@x.vn> from=<a@b.vn> subject=Don hang "
        "size=30: rejected: Quota exceeded (mailbox for user is full)",
    ]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status, r.reason, r.text) for r in got] == [
        (1, "oanh", "delivered", "delivered", "saved mail to INBOX"),
        (3, "phuc", "bounced", "mailboxfull", "rejected: Quota exceeded (mailbox for user is full)"),
    ]


def test_a_store_that_failed_and_the_message_kept_elsewhere_is_one_delivery_and_no_failure():
    """Sieve's fileinto to a folder that does not exist, then its implicit keep; dovecot-lda -m with a missing folder,
    then its fall-back to INBOX; and an implicit keep whose store into INBOX is not logged."""
    lines = [
        f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Error: sieve: msgid=<k1@x.vn>: failed to store into "
        "mailbox 'Hóa đơn': Mailbox doesn't exist: Hóa đơn",
        f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Error: sieve: Execution of script /home/an/.dovecot.sieve "
        "failed, but implicit keep was successful (user logfile /home/an/.dovecot.sieve.log may reveal additional "
        "details)",
        f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12020><{S1}>: Info: sieve: msgid=<k1@x.vn>: stored mail into mailbox "
        "'INBOX'",
        f"2026-12-01 08:00:02 lda(quang@congty.vn)<12021><{S2}>: Info: msgid=<k2@x.vn>: save failed to INBOX/Foo: "
        "Mailbox doesn't exist: INBOX/Foo",
        f"2026-12-01 08:00:02 lda(quang@congty.vn)<12021><{S2}>: Info: msgid=<k2@x.vn>: saved mail to INBOX",
        f"2026-12-01 08:00:03 lmtp(em@congty.vn)<12022><{S3}>: Error: sieve: msgid=<k3@x.vn>: failed to store into "
        "mailbox 'Archive': Mailbox doesn't exist: Archive",
        f"2026-12-01 08:00:03 lmtp(em@congty.vn)<12022><{S3}>: Error: sieve: Execution of script /home/em/.dovecot.sieve "
        "failed, but implicit keep was successful",
    ]
    assert outcomes(lines) == [(3, "dovecot", "an@congty.vn", "delivered", "delivered", "nobody"),
                               (5, "dovecot", "quang@congty.vn", "delivered", "delivered", "nobody"),
                               (7, "dovecot", "em@congty.vn", "delivered", "delivered", "nobody")]
    assert counts(lines) == (3, {"delivered": 3}, 4, 0)


def test_pigeonhole_s_newer_words_for_fileinto_redirect_discard_and_reject():
    lines = [f"2026-12-01 08:0{n}:00 lmtp({user}@congty.vn)<1203{n}><{S1}>: Info: sieve: msgid=<p{n}@x.vn>: {what}"
             for n, user, what in [
                 (1, "bich", "fileinto action: stored mail into mailbox 'Ngan hang'"),
                 (2, "bich", "fileinto action: stored mail into mailbox 'Archive'"),
                 (3, "dung", "redirect action: forwarded to <dung.tran@yahoo.com>"),
                 (4, "em", "marked message to be discarded if not explicitly delivered (discard action)"),
                 (5, "giang", "Marked message to be discarded if not explicitly delivered (discard action)"),
                 (6, "hai", "discard action: marked message to be discarded if not explicitly delivered"),
                 (7, "khoa", "rejected message from <tin@quangcao.example> (thu rac, spam, khong nhan)"),
             ]]
    lines[1] = lines[1].replace("12032", "12031").replace("p2@", "p1@").replace("08:02", "08:01")  # the same message
    assert outcomes(lines) == [
        (1, "dovecot", "bich@congty.vn", "delivered", "delivered", "nobody"),  # two folders: one delivery
        (3, "dovecot", "dung@congty.vn", "relayed", "delivered", "nobody"),
        (4, "dovecot", "em@congty.vn", "discarded", "filtered", "recipient"),
        (5, "dovecot", "giang@congty.vn", "discarded", "filtered", "recipient"),
        (6, "dovecot", "hai@congty.vn", "discarded", "filtered", "recipient"),
        (7, "dovecot", "khoa@congty.vn", "bounced", "filtered", "recipient"),  # the user's script, whatever its words
    ]


def test_a_discard_of_a_message_the_script_stored_is_no_discard():
    lines = [f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12040><{S1}>: Info: sieve: msgid=<d1@x.vn>: {what}" for what in (
        "fileinto action: stored mail into mailbox 'Luu tru'",
        "marked message to be discarded if not explicitly delivered (discard action)")]
    assert outcomes(lines) == [(1, "dovecot", "an@congty.vn", "delivered", "delivered", "nobody")]


def test_an_lmtp_proxy_s_hand_off_is_relayed_and_its_failure_is_the_backend_s_reply():
    lines = [f"2026-12-01 08:00:0{n} lmtp(1205{n}): {level}: proxy({user}@congty.vn): {what}" for n, level, user, what in [
        (1, "Info", "an", "Sent message to <an@congty.vn> at 10.0.1.21:24: 250 2.0.0 <an@congty.vn> "
         f"{S1} Saved (1/1 at 31 ms)"),
        (2, "Error", "bich", "Failed to send message to <bich@congty.vn> at 10.0.1.22:24: 451 4.3.0 <bich@congty.vn> "
         "Temporary internal error (1/1 at 5012 ms)"),
        (3, "Error", "chi", "Failed to send message to <chi@congty.vn> at 10.0.1.22:24: 552 5.2.2 <chi@congty.vn> "
         "Quota exceeded (mailbox for user is full) (1/1 at 42 ms)"),
        (4, "Error", "dung", "Failed to send message to <dung@congty.vn> at 10.0.1.23:24: Disconnected from remote: "
         "Connection refused (1/1 at 2 ms)"),
    ]]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status, r.reason, r.actor) for r in got] == [
        (1, "an@congty.vn", "relayed", "delivered", "nobody"),
        (2, "bich@congty.vn", "deferred", "systemerror", "recipient-admin"),
        (3, "chi@congty.vn", "bounced", "mailboxfull", "recipient"),
        (4, "dung@congty.vn", "deferred", "networkerror", "recipient-admin"),
    ]
    assert got[0].domain == "congty.vn"


def test_a_user_dovecot_cannot_set_up_is_its_own_admin_s_to_fix():
    lines = ["2026-12-01 08:00:01.000001 lda(son): Error: user son: Initialization failed: Namespace '': "
             "mkdir(/home/son/Maildir) failed: Permission denied (euid=1004(son) egid=1004(son) missing +w perm: /home/son)",
             f"2026-12-01 08:00:02 lmtp(chi@congty.vn)<12060><{S1}>: Error: user chi@congty.vn: Initialization failed: "
             "Namespace '': mail_location not set and autodetection failed: Mail storage autodetection failed"]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status, r.reason, r.retry, r.actor) for r in got] == [
        (1, "son", "deferred", "undefined", "not-known", "recipient-admin"),
        (2, "chi@congty.vn", "deferred", "undefined", "not-known", "recipient-admin")]
    assert DOVECOT_RECORDS[-1][2] == "cu@congty.vn"
    assert list(smtpteach.triage(DOVECOT))[-1].actor == "recipient-admin"


def test_a_line_of_dovecot_s_delivery_services_in_words_not_known_is_unrecognised_not_dropped():
    lines = [
        f"2026-12-01 08:00:01 lmtp(an@congty.vn)<12070><{S1}>: Info: msgid=<u1@x.vn>: delivered to the moon",
        f"2026-12-01 08:00:02 lda(an@congty.vn)<12071><{S2}>: Info: something new happened",
        f"2026-12-01 08:00:03 lmtp(an@congty.vn)<12072><{S3}>: Debug: msgid=<u2@x.vn>: Quota exceeded check skipped",
        f"2026-12-01 08:00:04 lmtp(an@congty.vn)<12073><{S3}>: Error: Mailbox INBOX: open(/var/vmail/an) failed: "
        "Permission denied",
        f"2026-12-01 08:00:05 lmtp(an@congty.vn)<12074><{S3}>: Info: save: box=INBOX, uid=5521, msgid=<u3@x.vn>, "
        "size=48211",
        "2026-12-01 08:00:06 imap(an@congty.vn)<12075><aB3dE5gH>: Info: Mailbox Sent: save failed: Quota exceeded",
    ]
    got = [e for e in smtpteach.triage(lines).events() if type(e).__name__ == "_Unrecognised"]
    assert [u.line for u in got] == [1, 2]
    assert counts(lines) == (0, {}, 4, 2)


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
        (5, "zimbra", "tam@congty.vn", "systemerror", "deferred"),  # "database connection lost", in its trace: its own
        (11, "zimbra", "ketoan@congty.vn", "filtered", "discarded"),  # the recipient's own filter rule
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


def test_zimbra_s_lmtp_thread_adding_a_message_is_each_recipient_s_delivery():
    """Mailbox.java's "Adding Message" names no account (the context does), or names it by its id; several
    recipients of one message each get theirs, and "Delivered message to" after it is the same delivery."""
    head = "2026-12-01 10:00:0{} INFO  [LmtpServer-31] [name={};mid={};ip=10.0.0.5;] "
    lines = [
        "2026-12-01 10:00:00,100 INFO  [LmtpServer-31] [ip=10.0.0.5;] lmtp - Delivering message: size=900 bytes, "
        "nrcpts=3, sender=lan@doitac.vn, msgid=<z1@doitac.vn>",
        head.format("1,100", "an@congty.vn", 12) + "mailop - Adding Message: id=1, Message-ID=<z1@doitac.vn>, "
        "parentId=-1, folderId=2, folderName=Inbox.",
        head.format("1,200", "bich@congty.vn", 15) + "mailop - Adding Message: id=2, Message-ID=<z1@doitac.vn>, "
        "parentId=-1, folderId=2, folderName=Inbox acct=7c1d2e3f-4a5b-4c6d-9e8f-0a1b2c3d4e5f.",
        head.format("1,300", "chi@congty.vn", 19) + "mailop - Adding Message: id=3, Message-ID=<z1@doitac.vn>, "
        "parentId=-1, folderId=258, folderName=Hoa don.",
        head.format("1,400", "chi@congty.vn", 19) + "lmtp - Delivered message to chi@congty.vn.",
        "2026-12-01 10:00:02,000 INFO  [qtp-8:https://mail.congty.vn/service/soap/SendMsgRequest] "
        "[name=an@congty.vn;mid=12;] mailop - Adding Message: id=4, Message-ID=<s1@congty.vn>, parentId=-1, "
        "folderId=5, folderName=Sent.",
    ]
    assert outcomes(lines) == [(2, "zimbra", "an@congty.vn", "delivered", "delivered", "nobody"),
                               (3, "zimbra", "bich@congty.vn", "delivered", "delivered", "nobody"),
                               (4, "zimbra", "chi@congty.vn", "delivered", "delivered", "nobody")]


def test_a_zimbra_failure_is_explained_by_its_stack_trace():
    """Our own full disk is this server's admin's; a message too big is the sender's; the quota is in the code."""
    lines = [
        "2026-12-01 10:10:00,100 INFO  [LmtpServer-40] [name=em@congty.vn;mid=23;ip=10.0.0.5;] lmtp - try again for "
        "message from=a@b.vn,to=em@congty.vn",
        "com.zimbra.common.service.ServiceException: system failure: unable to store blob",
        "Code:service.FAILURE",
        "\tat com.zimbra.cs.store.file.FileBlobStore.storeIncoming(FileBlobStore.java:118)",
        "Caused by: java.io.IOException: No space left on device",
        "\t... 14 more",
        "2026-12-01 10:10:01,100 INFO  [LmtpServer-40] [name=hai@congty.vn;mid=25;ip=10.0.0.5;] lmtp - rejecting "
        "message from=a@b.vn,to=hai@congty.vn",
        "com.zimbra.cs.mailbox.MailServiceException: invalid request: message too large: 9000000 > 5242880",
        'Code:mail.MESSAGE_TOO_BIG Arg:(maxSize, NUM, "5242880")',
        "2026-12-01 10:10:02,100 INFO  [LmtpServer-41] [name=minh@congty.vn;mid=42;ip=10.0.0.5;] lmtp - try again for "
        "message minh@congty.vn: exception occurred",
        'Code:mail.QUOTA_EXCEEDED Arg:(quota, LONG, "1073741824")',
        "2026-12-01 10:10:03,100 INFO  [LmtpServer-42] [name=khoa@congty.vn;mid=40;ip=10.0.0.5;] lmtp - try again for "
        "message from=a@b.vn,to=khoa@congty.vn: another mail delivery in progress.",
    ]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status, r.reason, r.actor) for r in got] == [
        (1, "em@congty.vn", "deferred", "systemfull", "recipient-admin"),
        (7, "hai@congty.vn", "bounced", "emailtoolarge", "sender"),
        (10, "minh@congty.vn", "deferred", "mailboxfull", "recipient"),
        (12, "khoa@congty.vn", "deferred", "undefined", "recipient-admin"),  # nothing known: this server's to see
    ]
    assert got[0].text == ("try again for message from=a@b.vn,to=em@congty.vn: system failure: unable to store "
                           "blob: No space left on device (service.FAILURE)")
    assert counts(lines) == (4, {"deferred": 3, "bounced": 1}, 6, 0)  # the trace's lines, "at" ones joined


def test_zimbra_s_forward_without_a_copy_is_relayed_and_a_filter_s_discard_is_the_recipient_s():
    lines = [
        "2026-12-01 10:20:00,040 INFO  [LmtpServer-50] [name=chi@congty.vn;mid=19;ip=10.0.0.5;] lmtp - accepted and "
        "discarded message from=a@b.vn,to=chi@congty.vn: local delivery is disabled",
        "2026-12-01 10:20:00,090 INFO  [LmtpServer-50] [name=chi@congty.vn;mid=19;ip=10.0.0.5;] smtp - Sending message "
        "to MTA at mail.congty.vn: Message-ID=<f1@b.vn>, origMsgId=, replyType=null",
        "2026-12-01 10:21:00,180 INFO  [LmtpServer-51] [name=an@congty.vn;mid=12;ip=10.0.0.5;] filter - Discarding "
        "message with Message-ID <pr01@shop.vn> from promo@shop.vn",
    ]
    got = list(smtpteach.triage(lines))
    assert [(r.line, r.recipient, r.status, r.reason, r.retry, r.actor) for r in got] == [
        (1, "chi@congty.vn", "relayed", "delivered", "not-needed", "nobody"),
        (3, "an@congty.vn", "discarded", "filtered", "dont-retry", "recipient")]
    assert got[1].text == "Discarding message with Message-ID <pr01@shop.vn>"


@pytest.mark.parametrize("when", ["2026-12-01 10:30:00.101", "2026-12-01T10:30:00,101+07:00",
                                  "01 Dec 2026 10:30:00,101"])
def test_a_zimbra_log_in_another_log4j_time_layout_is_read_the_same(when):
    line = (f"{when} INFO [LmtpServer-60] [name=bich@congty.vn;mid=15;ip=10.0.0.5;] lmtp - rejecting message "
            "from=a@b.vn,to=bich@congty.vn: overquota")
    assert outcomes([line]) == [(1, "zimbra", "bich@congty.vn", "deferred", "mailboxfull", "recipient")]


def test_another_java_program_s_log_in_zimbra_s_layout_gives_no_records():
    lines = [
        "2026-12-01 09:15:02,401 INFO  [http-nio-8080-exec-3] [orderId=DH1;user=an@congty.vn;] order - Creating "
        "shipment for order DH1",
        "2026-12-01 09:15:02,962 INFO  [kafka-producer-1] [orderId=DH1;] producer - Delivered message to orders-0@18",
        "2026-12-01 09:15:03,120 INFO  [notify-2] [name=an@congty.vn;] mailop - Adding Message: id=77, "
        "Message-ID=<n77@shop.vn>, parentId=-1, folderId=2, folderName=Inbox acct=khach@gmail.com.",
        "2026-12-01 09:15:04,020 WARN  [LmtpServer-1] [name=khach@gmail.com;] lmtp - try again for message "
        "khach@gmail.com: queue full, will retry",
        "2026-12-01 09:15:05,333 ERROR [notify-2] [name=khach2@yahoo.com;] lmtp - rejecting message khach2@yahoo.com: "
        "template not found",
    ]
    assert counts(lines) == (0, {}, 4, 1)  # the LMTP thread's line whose account has no mailbox: shown


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


SUMMARY = [
    '"origin_timestamp_utc","sender_address","recipient_status","message_subject","total_bytes","message_id",'
    '"network_message_id","original_client_ip","directionality","connector_id","delivery_priority"',
    '"2026-12-01T02:15:02.1234567Z","an@congty.vn","khach@gmail.com##Receive, Send","Bao gia","4821","<q1@congty.vn>",'
    '"0a1b2c3d-0000-4000-8000-000000000011","113.161.20.5","Originating","","Normal"',
    '"2026-12-01T03:00:00.0000000Z","lan@doitac.vn","hoa@congty.vn##Receive, Deliver;bich@congty.vn##Receive, Fail;'
    'tatca@congty.vn##Receive, Expand;em@congty.vn##Receive, Defer","Hop","5120","<q2@doitac.vn>",'
    '"0a1b2c3d-0000-4000-8000-000000000012","209.85.220.41","Incoming","","Normal"',
    '"2026-12-01T03:10:00.0000000Z","it@nganhang-hotro.example","ketoan@congty.vn##Quarantined;'
    'giamdoc@congty.vn##FilteredAsSpam","Xac minh","22011","<q3@x>","0a1b2c3d-0000-4000-8000-000000000013",'
    '"45.77.1.2","Incoming","","Normal"',
]
SUMMARY_RECORDS = [
    (2, "m365", "khach@gmail.com", "delivered", "delivered", "nobody"),
    (3, "m365", "hoa@congty.vn", "delivered", "delivered", "nobody"),
    (3, "m365", "bich@congty.vn", "bounced", "undefined", "sender-admin"),
    (3, "m365", "tatca@congty.vn", "expanded", "delivered", "nobody"),
    (3, "m365", "em@congty.vn", "deferred", "undefined", "sender-admin"),
    (4, "m365", "ketoan@congty.vn", "discarded", "policyviolation", "recipient-admin"),
    (4, "m365", "giamdoc@congty.vn", "delivered", "spamdetected", "recipient"),
]


def test_the_admin_center_s_summary_report_gives_each_recipient_by_its_last_event():
    assert outcomes(SUMMARY) == SUMMARY_RECORDS
    first = next(iter(smtpteach.triage(SUMMARY)))
    assert (first.time, first.queue_id, first.text) == ("2026-12-01T02:15:02.1234567Z",
                                                        "0a1b2c3d-0000-4000-8000-000000000011", "Send")
    # an event the report does not write: the row is unrecognised
    assert counts(SUMMARY + [SUMMARY[1].replace("Send", "Teleport")]) == (7, {"delivered": 3, "bounced": 1,
                                                                              "expanded": 1, "deferred": 1,
                                                                              "discarded": 1}, 1, 1)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_the_summary_report_is_read_as_the_admin_center_downloads_it(tmp_path, encoding):
    path = tmp_path / "MTSummary_Report.csv"
    path.write_text("\r\n".join(SUMMARY) + "\r\n", encoding=encoding)
    got = [(r.line, r.kind, r.recipient, r.status, r.reason, r.actor) for r in smtpteach.triage(path)]
    assert got == SUMMARY_RECORDS


def test_a_message_trace_excel_saved_with_semicolons_and_a_byte_order_mark_is_read(tmp_path):
    rows = ["\ufeffOrganization;MessageId;Received;SenderAddress;RecipientAddress;Subject;Status;MessageTraceId",
            'congty.onmicrosoft.com;<e1@congty.vn>;01/12/2026 09:15;an@congty.vn;khach@gmail.com;"Bao gia; ban 2";'
            "Delivered;0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            "congty.onmicrosoft.com;<e2@congty.vn>;01/12/2026 09:20;an@congty.vn;b@doitac.vn;Hop dong;Failed;"
            "1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809"]
    path = tmp_path / "trace.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    assert [(r.line, r.kind, r.recipient, r.status, r.time) for r in smtpteach.triage(path)] == [
        (2, "m365", "khach@gmail.com", "delivered", "01/12/2026 09:15"),
        (3, "m365", "b@doitac.vn", "bounced", "01/12/2026 09:20")]


def test_a_quarantined_message_is_the_recipient_admin_s_to_release_and_junk_mail_is_not_sent_again():
    junk, quarantined = [r for r in smtpteach.triage(TRACE) if r.line in (4, 5)]
    assert (junk.status, junk.reason, junk.retry, junk.actor) == ("delivered", "spamdetected", "not-needed",
                                                                  "recipient")
    assert (quarantined.status, quarantined.reason, quarantined.retry, quarantined.actor) == (
        "discarded", "policyviolation", "dont-retry", "recipient-admin")


def test_a_helpdesk_export_with_sender_recipient_and_status_columns_is_no_message_trace():
    rows = ['"Ticket ID","Subject","Sender Address","Recipient Address","Status","Priority","Received","Agent"',
            '"HD-1","Khong dang nhap duoc","a@congty.vn","support@congty.vn","Pending","High","01/12/2026","B"',
            '"HD-2","Doi mat khau","b@congty.vn","support@congty.vn","Resolved","Normal","01/12/2026","B"']
    assert counts(rows) == (0, {}, 0, 3)


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


def test_the_admin_center_s_extended_report_is_read_as_exchange_s_message_tracking():
    # the how-to pages promise it: one event a row, named in its event_id column, each SEND or FAIL an attempt of its
    # recipient with the reply in recipient_status, a RECEIVE no attempt
    head = ('"date_time_utc","client_ip","server_ip","connector_id","source","event_id","internal_message_id",'
            '"message_id","recipient_address","recipient_status","total_bytes","message_subject","sender_address"')
    row = '"2026-12-01T02:2{n}:09.123Z","10.0.0.21","40.107.1.1","Outbound","SMTP","{event}","{n}","<a{n}@congty.vn>",' \
          '"{to}","{status}","34120","Hoa don","ke@congty.vn"'
    lines = [head, row.format(n=1, event="SEND", to="an@khach.vn", status="250 2.6.0 Queued mail for delivery"),
             row.format(n=2, event="FAIL", to="bo@khach.vn", status="550 5.1.1 User unknown"),
             row.format(n=3, event="RECEIVE", to="an@congty.vn", status="")]
    got = [(r.line, r.kind, r.recipient, r.status, r.reason, r.basic) for r in smtpteach.triage(lines)]
    assert got == [(2, "exchange", "an@khach.vn", "delivered", "delivered", "250"),
                   (3, "exchange", "bo@khach.vn", "bounced", "userunknown", "550")]
    assert counts(lines) == (2, {"delivered": 1, "bounced": 1}, 2, 0)
