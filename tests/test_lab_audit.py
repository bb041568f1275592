"""Tests from a deliberate-bug audit of the live lab (smtpteach/lab.py and smtpteach/_lab_memory.py): each one
catches a plausible mistake that the lab's other tests let through, and asserts what a learner reads (the codes,
the reply text, the bounce's fields), not its shape. Time comes from a LabClock; most servers run in memory."""

from __future__ import annotations

import base64
import mailbox
import re
from datetime import datetime, timedelta, timezone

import pytest

from smtpteach import InvalidArgumentError, SmtpTeachError
from smtpteach.lab import HOSTNAME, LAB_EPOCH, NEXT_HOP, LabClock, LabServer, make_dsn

from .test_lab import _codes


def _plain(user: str, password: str) -> str:
    return "AUTH PLAIN " + base64.b64encode(f"\0{user}\0{password}".encode()).decode()


# -- greylisting and the mailboxes --------------------------------------------------------------------------------

def test_greylisting_never_holds_back_an_unknown_mailbox():
    # the mailbox check comes first: a recipient that does not exist gets 550 at once, and no greylist entry
    # (greylisting it would teach that a retry might help)
    clock = LabClock()
    with LabServer(network=False, mailboxes=["ana@lab.example"], greylisting=True, clock=clock) as lab, \
            lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        assert c.command("RCPT TO:<nobody@lab.example>").lines == (
            "550 5.1.1 <nobody@lab.example>: Recipient address rejected: mailbox unavailable",)
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("451", "4.7.1")
    assert list(lab.greylist) == [("127.0.0.1", "me@client.example", "ana@lab.example")]


def test_a_greylisted_triplet_stays_accepted_a_day_later():
    # the age is measured in total seconds: a triplet first seen more than a day ago is not greylisted again
    clock = LabClock()
    with LabServer(network=False, greylisting=True, greylist_delay=300, clock=clock) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("451", "4.7.1")
        clock.advance(86_400 + 60)
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("250", "2.1.5")


def test_addresses_configured_in_capitals_match_in_any_case_and_the_bounce_names_them_as_sent():
    with LabServer(network=False, mailboxes=["Ana@Lab.Example"], undeliverable=["Ghost@Lab.Example"],
                   clock=LabClock()) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("250", "2.1.5")
        assert _codes(c.command("RCPT TO:<GHOST@lab.example>")) == ("250", "2.1.5")
        assert _codes(c.command("RCPT TO:<bo@lab.example>")) == ("550", "5.1.1")
        assert _codes(c.data("Subject: hi\n\nhello")) == ("250", "2.0.0")
        (bounce,) = lab.bounces
    # the failed recipient is the one the client named, in its case (a local part may be case-sensitive)
    block = bounce.get_payload(1).get_payload(1)
    assert (block["Final-Recipient"], block["Status"]) == ("rfc822; GHOST@lab.example", "5.1.1")
    assert f"<GHOST@lab.example>: {NEXT_HOP} answered:" in bounce.get_payload(0).get_content()


# -- the clock ----------------------------------------------------------------------------------------------------

def test_a_lab_clock_starts_where_it_is_told_and_stands_still_until_moved():
    start = datetime(2027, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
    clock = LabClock(start)
    assert clock() == start and clock() == start  # reading it does not move it
    assert clock.advance(0) == start
    assert clock.advance(60) == start + timedelta(seconds=60)
    with LabServer(network=False, undeliverable=["ghost@lab.example"], clock=LabClock(start)) as lab, \
            lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ghost@lab.example>")
        c.data("Subject: hi\n\nhello")
    assert lab.bounces[0]["Date"] == "Thu, 04 Mar 2027 05:06:07 +0000"


def test_a_maildir_bounce_is_dated_by_the_labs_clock(tmp_path):
    box = mailbox.Maildir(tmp_path / "bounces")
    with LabServer(network=False, undeliverable=["ghost@lab.example"], clock=LabClock(), bounce_mailbox=box) as lab, \
            lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ghost@lab.example>")
        c.data("Subject: hi\n\nhello")
    (stored,) = list(mailbox.Maildir(tmp_path / "bounces"))
    assert stored.get_date() == LAB_EPOCH.timestamp()  # not the wall clock's time


# -- make_dsn -----------------------------------------------------------------------------------------------------

def test_a_dsn_keeps_the_arrival_date_and_the_attempt_date_apart():
    later = LAB_EPOCH + timedelta(hours=2)
    dsn = make_dsn("Subject: hi\n\nhello\n", sender="me@client.example",
                   failures={"ghost@lab.example": "550 5.1.1 User unknown"}, arrival_date=LAB_EPOCH, date=later)
    per_message, per_recipient = dsn.get_payload(1).get_payload()
    assert per_message["Arrival-Date"] == "Tue, 01 Dec 2026 09:00:00 +0000"
    assert per_recipient["Last-Attempt-Date"] == "Tue, 01 Dec 2026 11:00:00 +0000"
    assert dsn["Date"] == "Tue, 01 Dec 2026 11:00:00 +0000"
    with pytest.raises(InvalidArgumentError, match="DSN dates need a time zone"):
        make_dsn("x\n", sender="me@client.example", failures={"a@b.example": "550 no"}, arrival_date=LAB_EPOCH,
                 date=datetime(2026, 12, 1, 11))


def test_a_dsn_from_another_mta_is_signed_by_it_and_quotes_each_recipients_own_reply():
    dsn = make_dsn("Subject: hi\n\nhello\n", sender="me@client.example", reporting_mta="mx.other.example",
                   failures={"full@lab.example": "552 5.2.2 Mailbox full", "ghost@lab.example": "550 5.1.1 No such user"},
                   arrival_date=LAB_EPOCH)
    assert dsn["From"] == "Mail Delivery System <postmaster@mx.other.example>"
    assert dsn["Message-ID"].endswith(".dsn@mx.other.example>")
    assert dsn.get_payload(0).get_content().startswith("This is the mail system at mx.other.example.\n")
    per_message, *blocks = dsn.get_payload(1).get_payload()
    assert per_message["Reporting-MTA"] == "dns; mx.other.example"
    assert [(b["Final-Recipient"], b["Status"], b["Diagnostic-Code"]) for b in blocks] == [
        ("rfc822; full@lab.example", "5.2.2", "smtp; 552 5.2.2 Mailbox full"),
        ("rfc822; ghost@lab.example", "5.1.1", "smtp; 550 5.1.1 No such user")]


@pytest.mark.parametrize("field", ["sender", "reporting_mta"])
def test_make_dsn_names_the_field_that_holds_a_line_break(field):
    args = {"sender": "me@client.example", "reporting_mta": HOSTNAME, field: "a.example\r\nBcc: x@y.example"}
    with pytest.raises(SmtpTeachError, match=f"^{field} must be one line of text"):
        make_dsn("Subject: hi\n\nhello\n", failures={"ghost@lab.example": "550 5.1.1 no"}, arrival_date=LAB_EPOCH,
                 **args)


# -- limits and logins --------------------------------------------------------------------------------------------

def test_the_rate_limit_counts_messages_not_recipients():
    with LabServer(network=False, rate_limit=2) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        c.command("RCPT TO:<bo@lab.example>")
        assert _codes(c.data("Subject: one\n\nhi")) == ("250", "2.0.0")
        assert _codes(c.command("MAIL FROM:<me@client.example>")) == ("250", "2.1.0")  # one message so far, of two
        c.command("RCPT TO:<ana@lab.example>")
        assert _codes(c.data("Subject: two\n\nhi")) == ("250", "2.0.0")
        assert c.command("MAIL FROM:<me@client.example>").lines == (
            f"421 4.7.0 {HOSTNAME} Too many messages from you, closing connection; slow down",)


@pytest.mark.parametrize("user, password", [("ana", "SECRET"), ("ANA", "secret"), ("bo", "secret"), ("ana", "secre")])
def test_auth_wants_the_user_and_the_password_exactly(user, password):
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command(_plain(user, password)).lines == ("535 5.7.8 Authentication credentials invalid",)
        assert _codes(c.command("MAIL FROM:<me@client.example>")) == ("530", "5.7.0")  # still not logged in
        assert _codes(c.command(_plain("ana", "secret"))) == ("235", "2.7.0")



@pytest.mark.parametrize("initial_response", [False, True])
def test_auth_login_prompts_decode_to_username_and_password_as_real_servers_send_them(initial_response):
    # the LOGIN mechanism's two 334 prompts, in base64: "Username:" and "Password:", clean text, as Postfix (Cyrus
    # SASL), Exchange (MS-XLOGIN) and Gmail send them, and as Go's net/smtp insists. aiosmtpd's own are "User Name\0"
    # and "Password\0": a learner decoding them sees a NUL (aiosmtpd issue #566)
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        prompts = []
        if initial_response:  # AUTH LOGIN with the user name: only the password is asked for
            reply = c.command("AUTH LOGIN " + b64("ana"))
        else:
            reply = c.command("AUTH LOGIN")
            prompts.append(reply.lines)
            reply = c.command(b64("ana"))
        prompts.append(reply.lines)
        assert c.command(b64("secret")).lines == ("235 2.7.0 Authentication successful",)
    want = [("334 VXNlcm5hbWU6",), ("334 UGFzc3dvcmQ6",)][1 if initial_response else 0:]
    assert prompts == want
    assert [base64.b64decode(lines[0][4:]).decode("ascii") for lines in prompts] == (
        ["Password:"] if initial_response else ["Username:", "Password:"])



def test_a_lab_that_announces_auth_takes_mail_from_with_auth_and_one_that_does_not_refuses_it():
    # RFC 4954 §5: a server that announces AUTH MUST take MAIL's AUTH= parameter (<>, or a mailbox in xtext), and
    # Postfix and Exim send it to servers that announce AUTH; aiosmtpd answers it 555. Without AUTH in EHLO it is
    # an unknown parameter, as before
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert _codes(c.command("MAIL FROM:<me@client.example> AUTH=<>")) == ("530", "5.7.0")  # log in first, still
        c.command(_plain("ana", "secret"))
        assert c.command("MAIL FROM:<me@client.example> AUTH=<>").lines == ("250 2.1.0 Sender OK",)
        c.command("RSET")
        assert c.command("MAIL FROM:<me@client.example> BODY=8BITMIME auth=me+2Bnews@client.example SMTPUTF8").lines \
            == ("250 2.1.0 Sender OK",)
        c.command("RSET")
        for bad in ("AUTH=", "AUTH=me+2bnews@client.example", "AUTH=a=b@client.example", "AUTH=<> AUTH=<>"):
            assert c.command(f"MAIL FROM:<me@client.example> {bad}").lines == (
                "501 5.5.4 Syntax: AUTH=<> or AUTH=mailbox, in xtext, once",), bad
        assert c.command("MAIL FROM:<me@client.example> AUTH=<> FOO=BAR").lines == (
            "555 5.5.4 MAIL FROM parameters not recognized or not implemented",)
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("MAIL FROM:<me@client.example> AUTH=<>").lines == (
            "555 5.5.4 MAIL FROM parameters not recognized or not implemented",)


# -- aiosmtpd's own replies, with the lab's enhanced codes (RFC 2034) ----------------------------------------------

def test_the_replies_aiosmtpd_words_carry_the_enhanced_code_a_teacher_expects():
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("MAIL FROM:").lines[0].startswith("501 5.5.4 Syntax: MAIL FROM:")  # X.5.4: bad arguments
        assert _codes(c.command("VRFY ana@lab.example")) == ("252", "2.0.0")
        assert _codes(c.command("NOOP")) == ("250", "2.0.0")
        assert _codes(c.command("RSET")) == ("250", "2.0.0")
        assert c.command("QUIT").lines == ("221 2.0.0 Bye",)


def test_a_mail_or_rcpt_that_breaks_the_syntax_gets_the_syntax_as_help_gives_it_with_no_space_after_the_colon():
    # a product fix: aiosmtpd's own "501 Syntax: MAIL FROM: <address> [SP <mail-parameters>]" has a space after the
    # colon, which no real server writes (Postfix: "501 5.5.4 Syntax: MAIL FROM:<address>"); the lab says what HELP
    # MAIL and HELP RCPT say, with the parameters EHLO announces, and none after HELO
    mail = "501 5.5.4 Syntax: MAIL FROM:<address>"
    with LabServer(network=False, size_limit=5000) as lab, lab.client() as c:
        c.command("HELO client.example")
        for line in ("MAIL", "MAIL FROM", "MAIL FROM:", "MAIL FROM:<me@client.example> SIZE=1000"):
            assert c.command(line).lines == (mail,), line
        c.command("EHLO client.example")
        for line in ("MAIL", "MAIL FROM", "MAIL TO:<me@client.example>", "MAIL FROM:<me@client.example> SIZE=big"):
            assert c.command(line).lines == (f"{mail} [SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]",), line
        c.command("MAIL FROM:<me@client.example>")
        for line in ("RCPT", "RCPT TO", "RCPT FROM:<ana@lab.example>", "RCPT TO:"):
            assert c.command(line).lines == ("501 5.5.4 Syntax: RCPT TO:<address>",), line
        assert c.command("HELP RCPT").lines == ("214 2.0.0 Syntax: RCPT TO:<address>",)


# -- addresses as the replies show them ---------------------------------------------------------------------------

def test_an_address_of_100_characters_is_repeated_whole_and_one_of_101_is_cut():
    domain = "@lab.example"
    exact, over = "a" * (100 - len(domain)) + domain, "b" * (101 - len(domain)) + domain
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        assert c.command(f"RCPT TO:<{exact}>").lines == (
            f"550 5.1.1 <{exact}>: Recipient address rejected: mailbox unavailable",)
        assert c.command(f"RCPT TO:<{over}>").lines == (
            f"550 5.1.1 <{over[:97]}...>: Recipient address rejected: mailbox unavailable",)


def test_a_delete_character_in_an_address_is_bad_syntax():
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("MAIL FROM:<m\x7fe@client.example>").lines == ("501 5.1.7 Bad address syntax",)
        c.command("MAIL FROM:<me@client.example>")
        assert c.command("RCPT TO:<a\x7fna@lab.example>").lines == ("501 5.1.3 Bad address syntax",)


def test_an_address_in_utf8_without_smtputf8_is_refused_as_a_sender_or_as_a_recipient():
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("MAIL FROM:<thư@client.example>").lines == (
            "550 5.6.7 This sender address needs SMTPUTF8, and MAIL FROM did not declare it",)
        c.command("MAIL FROM:<me@client.example>")
        assert c.command("RCPT TO:<thư@lab.example>").lines == (
            "553 5.6.7 This recipient address needs SMTPUTF8, and MAIL FROM did not declare it",)


# -- HELP -----------------------------------------------------------------------------------------------------------

def test_help_status_counts_the_messages_and_says_any_mailbox_exists():
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        c.data("Subject: hi\n\nhello")
        status = c.command("HELP STATUS").lines
    assert status[1:3] == ("211-2.0.0 known mailboxes: any", "211-2.0.0 messages accepted: 1")


def test_help_takes_its_argument_in_any_case():
    # RFC 5321 §2.4: commands are case-insensitive, and HELP's argument names one
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("help status").lines[0] == f"211-2.0.0 {HOSTNAME} status (HELP STATUS is this lab's own feature)"
        assert c.command("help rcpt").lines == ("214 2.0.0 Syntax: RCPT TO:<address>",)



# Each EHLO keyword that gives MAIL a parameter, and how HELP MAIL writes that parameter
MAIL_PARAMETER = {"SIZE": "[SIZE=bytes]", "8BITMIME": "[BODY=7BIT|8BITMIME]", "SMTPUTF8": "[SMTPUTF8]",
                  "AUTH": "[AUTH=mailbox|<>]"}


@pytest.mark.parametrize("settings, want", [
    ({}, {"plain": "[BODY=7BIT|8BITMIME] [SMTPUTF8]"}),
    ({"size_limit": 5000}, {"plain": "[SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]"}),
    ({"auth": ("ana", "secret")}, {"plain": "[BODY=7BIT|8BITMIME] [SMTPUTF8] [AUTH=mailbox|<>]"}),
    ({"tls": "offered", "auth": ("ana", "secret"), "size_limit": 5000},
     {"plain": "[SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]",
      "tls": "[SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8] [AUTH=mailbox|<>]"}),
    ({"tls": "offered"}, {"plain": "[BODY=7BIT|8BITMIME] [SMTPUTF8]", "tls": "[BODY=7BIT|8BITMIME] [SMTPUTF8]"}),
    ({"tls": "required", "auth": ("ana", "secret")}, {"tls": "[BODY=7BIT|8BITMIME] [SMTPUTF8] [AUTH=mailbox|<>]"}),
])
def test_help_mail_gives_the_parameters_ehlo_announces_before_tls_and_inside_it(settings, want):
    # RFC 5321 §4.1.1.8: HELP with a command's name gives its syntax; a learner reads there the parameters that
    # this server's EHLO announces in this state (SIZE= only with a size limit, AUTH= only where AUTH is listed),
    # written as RFC 5321 §4.1.1.2 writes MAIL, and the server takes every one of them
    with LabServer(network="tls" in settings, **settings) as lab, lab.client() as c:
        for state in ("plain", "tls"):
            if state == "tls":
                if "tls" not in settings:
                    continue
                assert c.starttls().code.code == "220"
            if state not in want:  # tls="required": before TLS, HELP waits for it too (RFC 3207 §4)
                assert _codes(c.command("HELP MAIL")) == ("530", "5.7.0")
                continue
            keywords = [line[4:].split()[0] for line in c.command("EHLO client.example").lines[1:]]
            help_mail = c.command("HELP MAIL").lines
            assert help_mail == (f"214 2.0.0 Syntax: MAIL FROM:<address> {want[state]}",), state
            assert help_mail[0].split("<address> ")[1] == " ".join(MAIL_PARAMETER[k] for k in keywords
                                                                   if k in MAIL_PARAMETER), state
            # RCPT takes no parameter here (the lab offers no DSN, RFC 3461), in any state
            assert c.command("HELP RCPT").lines == ("214 2.0.0 Syntax: RCPT TO:<address>",)
            values = {"SIZE": "SIZE=1000", "8BITMIME": "BODY=8BITMIME", "SMTPUTF8": "SMTPUTF8", "AUTH": "AUTH=<>"}
            every = " ".join(values[k] for k in keywords if k in values)
            if "auth" in settings and "AUTH" not in keywords:  # a login is required, and waits for TLS
                assert _codes(c.command(f"MAIL FROM:<me@client.example> {every}")) == ("530", "5.7.0")
                continue
            if "AUTH" in keywords:
                assert c.command(_plain("ana", "secret")).code.code == "235"
            assert c.command(f"MAIL FROM:<me@client.example> {every}").lines == ("250 2.1.0 Sender OK",), state
            c.command("RSET")


def test_help_mail_before_a_greeting_shows_what_ehlo_will_offer_and_after_helo_no_parameter():
    # before EHLO, HELP tells what EHLO will offer; a session that said HELO has no extensions (RFC 5321 §4.1.1.1),
    # and MAIL with a parameter gets 501 there, so HELP shows none
    with LabServer(network=False, size_limit=5000) as lab, lab.client() as c:
        assert c.command("HELP MAIL").lines == (
            "214 2.0.0 Syntax: MAIL FROM:<address> [SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]",)
        c.command("HELO client.example")
        assert c.command("HELP MAIL").lines == ("214 2.0.0 Syntax: MAIL FROM:<address>",)
        assert _codes(c.command("MAIL FROM:<me@client.example> SIZE=1000")) == ("501", "5.5.4")
        c.command("EHLO client.example")
        assert c.command("HELP MAIL").lines == (
            "214 2.0.0 Syntax: MAIL FROM:<address> [SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]",)


# -- STARTTLS (RFC 3207) --------------------------------------------------------------------------------------------

def test_after_starttls_the_session_starts_afresh_and_a_second_starttls_gets_554():
    with LabServer(tls="offered") as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        assert c.starttls().code.code == "220" and c.encrypted
        # RFC 3207 §4.2: the EHLO and the transaction from before TLS are forgotten
        assert c.command("MAIL FROM:<me@client.example>").lines == ("503 5.5.1 Error: send HELO first",)
        c.command("EHLO client.example")
        assert c.command("RCPT TO:<ana@lab.example>").lines == ("503 5.5.1 Error: need MAIL command",)
        # TLS once a session: no second negotiation, and the session goes on inside the first one
        assert c.command("STARTTLS").lines == ("554 5.5.1 TLS is already on for this session",)
        assert _codes(c.command("MAIL FROM:<me@client.example>")) == ("250", "2.1.0") and c.encrypted


# -- the client and its transcript ----------------------------------------------------------------------------------

def test_a_lone_cr_in_a_message_ends_its_line():
    # RFC 5321 §2.3.8: no bare CR on the wire; the client makes it a line end, in what it sends and what it shows
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        c.data("Subject: hi\n\nline one\rline two")
        assert c.transcript[-5:-2] == ["C: ", "C: line one", "C: line two"]
    assert lab.messages[0].content == "Subject: hi\r\n\r\nline one\r\nline two\r\n"


def test_annotations_in_vietnamese_name_both_codes_in_vietnamese():
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<nobody@lab.example>")
        notes = c.annotated(lang="vi")
    assert notes[-1] == "   ↳ 5.1.1 Địa chỉ hộp thư đích sai; 550 Hộp thư không khả dụng (5xx Thất bại vĩnh viễn)"


# -- the server in memory -------------------------------------------------------------------------------------------

def test_a_client_that_hung_up_in_memory_hears_no_shutdown_and_is_not_counted():
    lab = LabServer(network=False).start()
    try:
        gone, staying = lab.client(), lab.client()
        gone.command("EHLO client.example")
        gone.close()
        assert lab.announce_shutdown() == 1  # only the client still connected
        assert re.fullmatch(r"421 4\.3\.2 .* Service shutting down, closing transmission channel",
                            staying.expect_close().lines[0])
        staying.close()
    finally:
        lab.stop()


# -- what EHLO and HELP offer agree, before TLS and inside it ---------------------------------------------------------

@pytest.mark.parametrize("auth", [None, ("ana", "secret")])
def test_ehlo_and_help_offer_auth_and_starttls_alike_before_tls_and_inside_it(auth):
    # RFC 4954 §3 and RFC 3207 §4.2: AUTH only with credentials, and (TLS on offer) only inside TLS; STARTTLS only
    # until TLS is on. HELP lists what EHLO announces (a product fix: a server without credentials announced AUTH
    # inside TLS, and HELP listed AUTH before TLS and STARTTLS inside it)
    with LabServer(tls="offered", auth=auth) as lab, lab.client() as c:
        for inside_tls in (False, True):
            if inside_tls:
                assert c.starttls().code.code == "220"
            keywords = {line[4:].split()[0] for line in c.command("EHLO client.example").lines[1:]}
            listed = set(next(line for line in c.command("HELP").lines if "commands:" in line).split("commands:")[1].split())
            want_auth, want_starttls = auth is not None and inside_tls, not inside_tls
            assert ("AUTH" in keywords, "AUTH" in listed) == (want_auth, want_auth), inside_tls
            assert ("STARTTLS" in keywords, "STARTTLS" in listed) == (want_starttls, want_starttls), inside_tls
            # and HELP with the command's name: its syntax where EHLO lists it, 504 where it does not
            assert c.command("HELP AUTH").lines == (("214 2.0.0 Syntax: AUTH LOGIN|PLAIN [initial-response]",)
                                                    if want_auth else ("504 5.5.4 HELP: no help for AUTH",)), inside_tls
            assert c.command("HELP STARTTLS").lines == (("214 2.0.0 Syntax: STARTTLS",) if want_starttls
                                                        else ("504 5.5.4 HELP: no help for STARTTLS",)), inside_tls


def test_auth_on_a_lab_with_no_credentials_is_not_enabled_rather_than_waiting_for_tls():
    # no login to offer: 503 5.5.1, as Postfix and Exim answer; "538 encryption required" would send a learner
    # after TLS, which would not help
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command(_plain("teacher", "s3cret")).lines == ("503 5.5.1 Authentication is not enabled on this server",)
        # the session goes on: a refused AUTH changes nothing
        assert _codes(c.command("MAIL FROM:<me@client.example>")) == ("250", "2.1.0")
    with LabServer(network=False, mailboxes=["ana@lab.example"], auth=("teacher", "s3cret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert _codes(c.command(_plain("teacher", "s3cret"))) == ("235", "2.7.0")


@pytest.mark.parametrize("message, body", [
    # a line break at the very end ends the last line: no empty line is added before the final dot
    ("Subject: hi\n\nhello\n", "Subject: hi\r\n\r\nhello\r\n"),
    ("Subject: hi\r\n\r\nhello\r\n", "Subject: hi\r\n\r\nhello\r\n"),
    ("Subject: hi\n\nhello", "Subject: hi\r\n\r\nhello\r\n"),
    # an empty line the message itself ends with stays
    ("Subject: hi\n\nhello\n\n", "Subject: hi\r\n\r\nhello\r\n\r\n"),
])
def test_a_message_that_ends_with_a_line_break_gets_no_extra_empty_line(message, body):
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        c.data(message)
    assert lab.messages[-1].content == body
    sent = c.transcript[c.transcript.index("C: DATA") + 2:c.transcript.index("C: .")]
    assert sent == ["C: " + line for line in body.split("\r\n")[:-1]]


# -- from an independent re-audit: ten more gaps, and the protocol a HELO session is received with ---------------

def test_a_message_in_utf8_is_kept_as_written():
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<me@client.example> SMTPUTF8")
        c.command("RCPT TO:<ana@lab.example>")
        c.data("Subject: Chào\n\nChào Ana, thư này viết bằng tiếng Việt.")
    assert lab.messages[-1].content == "Subject: Chào\r\n\r\nChào Ana, thư này viết bằng tiếng Việt.\r\n"


def _one_dsn(recipient: str = "ghost@lab.example", reply: str = "550 5.1.1 <ghost@lab.example> User unknown"):
    return make_dsn("From: a@client.example\nSubject: x\n\nbody\n", sender="a@client.example",
                    failures={recipient: reply}, arrival_date=LAB_EPOCH, date=LAB_EPOCH)


def test_a_dsn_declares_its_mime_version():
    # RFC 2045 §4: a MIME message says so in its header
    assert _one_dsn()["MIME-Version"] == "1.0"


def test_a_long_address_in_the_bounce_text_is_never_cut_across_lines():
    long_address = "a.very.long.local.part.that.goes.on.and.on.and.on@a-long-subdomain.lab.example"
    dsn = _one_dsn(long_address, f"550 5.1.1 <{long_address}>: Recipient address rejected: User unknown")
    text = dsn.get_body(("plain",)).get_content()
    assert f"<{long_address}>:" in text.split("\n")[[i for i, line in enumerate(text.split("\n"))
                                                     if long_address[:20] in line][-1]]


def test_help_for_a_command_the_server_does_not_offer_gets_504():
    # STARTTLS with TLS off: EHLO does not list it, so HELP has no help for it either
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("HELP STARTTLS").lines == ("504 5.5.4 HELP: no help for STARTTLS",)
        assert c.command("HELP MAIL").lines[0].startswith("214 2.0.0 Syntax: MAIL")


def test_help_status_says_greylisting_is_on_before_any_sender_was_greylisted():
    with LabServer(network=False, greylisting=True, clock=LabClock()) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("HELP STATUS").lines[-1] == "211 2.0.0 greylisting: after 5 s"
    assert lab.greylist == {}


def test_a_stopped_lab_says_to_start_it_rather_than_refusing_a_connection():
    lab = LabServer()
    with lab:
        assert lab.port
    assert lab.port is None
    with pytest.raises(SmtpTeachError, match=r"^start the lab server first"):
        lab.client()


@pytest.mark.parametrize("line", ["MAIL FROM:<a@client.example>\rRCPT TO:<b@lab.example>", "NOOP\r", "NOOP\n"])
def test_a_command_with_a_cr_or_an_lf_in_it_is_refused_before_it_is_sent(line):
    # RFC 5321 §2.3.8: no bare CR or LF on the wire; nothing reaches the server or the transcript
    with LabServer(network=False) as lab, lab.client() as c:
        c.command("EHLO client.example")
        with pytest.raises(InvalidArgumentError, match="a command is one line, without CR or LF"):
            c.command(line)
        assert c.transcript[-1].startswith("S: 250 ")


def test_the_enhanced_codes_the_lab_adds_name_the_right_kind_of_error():
    # 502 a command not implemented is an invalid command (X.5.1); 555 parameters not recognised are invalid
    # arguments (X.5.4), not a syntax error (X.5.2)
    with LabServer(network=False, mailboxes=["ana@lab.example"]) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command("EXPN staff").lines == ("502 5.5.1 EXPN not implemented",)
        assert c.command("MAIL FROM:<a@client.example> FOO=BAR").lines == (
            "555 5.5.4 MAIL FROM parameters not recognized or not implemented",)
        notes = c.annotated()
    assert notes[notes.index("S: 502 5.5.1 EXPN not implemented") + 1].startswith("   ↳ 5.5.1 Invalid Command;")
    assert any(n.startswith("   ↳ 5.5.4 Invalid Command Arguments;") for n in notes)


def test_the_null_sender_is_greylisted_as_the_empty_path():
    with LabServer(network=False, mailboxes=["ana@lab.example"], greylisting=True, clock=LabClock()) as lab, \
            lab.client() as c:
        c.command("EHLO client.example")
        c.command("MAIL FROM:<>")
        assert _codes(c.command("RCPT TO:<ana@lab.example>")) == ("451", "4.7.1")
    assert list(lab.greylist) == [("127.0.0.1", "", "ana@lab.example")]


@pytest.mark.parametrize("hello, protocol", [("HELO", "SMTP"), ("EHLO", "ESMTP")])
def test_a_bounce_records_the_protocol_the_message_came_in_with(hello, protocol):
    # RFC 3848: "with SMTP" for a session that said HELO, "with ESMTP" for one that said EHLO
    with LabServer(network=False, mailboxes=["ana@lab.example"], undeliverable={"ghost@lab.example": "550 5.1.1 no"},
                   clock=LabClock()) as lab, lab.client() as c:
        c.command(f"{hello} client.example")
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ghost@lab.example>")
        c.data("Subject: x\n\nbody")
    returned = lab.bounces[-1].get_payload()[2].get_content()
    assert f"\tby {HOSTNAME} (smtpteach lab) with {protocol} id " in str(returned)


# -- from a deliberate-bug audit of MAIL's AUTH= parameter: what the lab's own tests let through -------------------

@pytest.mark.parametrize("value, taken", [
    # xtext (RFC 3461 §4): every printable ASCII character but "+" and "=", from "!" to "~" at both ends, and "+"
    # with two upper-case hex digits for any other octet
    ("!ana~@client.example", True),
    ("ana+2B+3Dnews@client.example", True),
    ("ana+ZZ@client.example", False),  # "+" takes hex digits only
    ("th\u01b0@client.example", False),  # xtext is ASCII: a character outside it is written +XX
    ("ana\x7f@client.example", False),  # DEL is no printable character
])
def test_auth_takes_exactly_the_xtext_of_rfc_3461_from_its_first_character_to_its_last(value, taken):
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command(_plain("ana", "secret"))
        assert c.command(f"MAIL FROM:<me@client.example> AUTH={value}").lines == (
            ("250 2.1.0 Sender OK",) if taken else ("501 5.5.4 Syntax: AUTH=<> or AUTH=mailbox, in xtext, once",))


def test_a_bad_auth_parameter_before_the_login_gets_530_like_any_mail_from():
    # the lab's order of checks is aiosmtpd's: a required login first (530), whatever the parameters say; a 501 would
    # send a learner to mend a parameter when the server wants AUTH first
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        for bad in ("AUTH=", "AUTH=ana+zz@client.example", "AUTH=<> AUTH=<>"):
            assert c.command(f"MAIL FROM:<me@client.example> {bad}").lines == ("530 5.7.0 Authentication required",), bad


def test_the_parameters_before_auth_still_count_once_it_is_taken_out():
    # the lab hands MAIL to aiosmtpd without AUTH=, and with every other parameter, wherever it stood: SIZE= over the
    # limit is still refused, and SMTPUTF8 still lets a recipient in UTF-8 in
    with LabServer(network=False, auth=("ana", "secret"), size_limit=5000) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command(_plain("ana", "secret"))
        assert c.command("MAIL FROM:<me@client.example> SIZE=999999 AUTH=<>").lines == (
            "552 5.3.4 Error: message size exceeds fixed maximum message size",)
        assert c.command("MAIL FROM:<me@client.example> SMTPUTF8 AUTH=<>").lines == ("250 2.1.0 Sender OK",)
        assert c.command("RCPT TO:<th\u01b0@lab.example>").lines == ("250 2.1.5 Recipient OK",)


def test_after_helo_mail_takes_no_auth_parameter_even_from_a_client_that_logged_in():
    # a session that said HELO has no extensions (RFC 5321 §4.1.1.1): MAIL with a parameter gets 501 there, AUTH=
    # too, though the login made before HELO still holds
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command(_plain("ana", "secret"))
        c.command("HELO client.example")
        assert _codes(c.command("MAIL FROM:<me@client.example> AUTH=<>")) == ("501", "5.5.4")
        assert c.command("MAIL FROM:<me@client.example>").lines == ("250 2.1.0 Sender OK",)


def test_after_helo_help_offers_no_auth_which_the_server_does_not_recognise_there():
    # a product fix: after HELO (no extensions, RFC 5321 §4.1.1.1) AUTH gets 500, yet HELP listed AUTH and HELP AUTH
    # gave its syntax. HELP now names AUTH where the server takes it: after EHLO again
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("HELO client.example")
        assert c.command("HELP").lines[1] == "214-2.0.0 commands: DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY"
        assert c.command("HELP AUTH").lines == ("504 5.5.4 HELP: no help for AUTH",)
        assert c.command(_plain("ana", "secret")).lines == ("500 5.5.2 Error: command 'AUTH' not recognized",)
        c.command("EHLO client.example")
        assert c.command("HELP").lines[1] == (
            "214-2.0.0 commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT RSET VRFY")
        assert c.command("HELP AUTH").lines == ("214 2.0.0 Syntax: AUTH LOGIN|PLAIN [initial-response]",)


def _long_address() -> str:
    """An address of 254 characters, the longest a path of RFC 5321 §4.5.3.1.3's 256 octets holds."""
    return "a" * 64 + "@" + ".".join(["b" * 60] * 3) + "." + "c" * 6


def test_the_auth_parameter_lengthens_mail_by_500_characters_as_rfc_4954_says():
    # a product fix: RFC 4954 §3 (5), AUTH= "extends the maximum line length of the MAIL FROM command by 500
    # characters"; the lab kept aiosmtpd's 512 + 10 (SMTPUTF8, RFC 6531), so a long sender with AUTH= naming it, as
    # Postfix sends it, got "500 Command line too long"
    address = _long_address()
    line = f"MAIL FROM:<{address}> BODY=8BITMIME SMTPUTF8 AUTH={address}"
    assert len(line) > 512 + 10
    with LabServer(network=False, auth=("ana", "secret")) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command(_plain("ana", "secret"))
        assert c.command(line).lines == ("250 2.1.0 Sender OK",)
    with LabServer(network=False) as lab, lab.client() as c:  # no AUTH in EHLO: no such room
        c.command("EHLO client.example")
        assert c.command(line).lines == ("500 5.5.2 Command line too long",)


def test_a_mail_line_gets_the_same_answer_after_a_second_ehlo_and_beside_another_client():
    # aiosmtpd adds SMTPUTF8's 10 characters to MAIL's limit on every EHLO, in a table all its sessions share and
    # each new session empties: the same line was refused, then taken after a second EHLO, and a shorter one refused
    # once another client had connected. Each session now has its own limit, from what its EHLO announces
    address = _long_address()
    start = f"MAIL FROM:<{address}> BODY=8BITMIME SMTPUTF8 XPADDING="
    line = start + "p" * (512 + 10 + 1 - len(start))  # one over 512 + 10
    with LabServer(network=False) as lab, lab.client() as c:
        for _ in range(3):
            c.command("EHLO client.example")
            assert c.command(line).lines == ("500 5.5.2 Command line too long",)
        with lab.client():  # another client connects, and hangs up
            pass
        assert c.command(line[:-1]).lines == ("555 5.5.4 MAIL FROM parameters not recognized or not implemented",)


def test_a_mail_inside_a_transaction_gets_503_whatever_its_parameters_say():
    # a product fix: a second MAIL with a bad AUTH= got the lab's 501 for the parameter, and one with a bad address or
    # SIZE= aiosmtpd's 501, before the 503 for the sequence; Postfix answers "503 5.5.1 Error: nested MAIL command"
    # first (RFC 5321 §4.1.4: no MAIL inside a transaction), and the parameters only mend a MAIL that may come
    nested = ("503 5.5.1 Error: nested MAIL command",)
    bad_auth = "MAIL FROM:<me@client.example> AUTH=ana+zz@client.example"
    with LabServer(network=False, auth=("ana", "secret"), size_limit=5000) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command(_plain("ana", "secret"))
        for sender in ("<me@client.example>", "<>"):
            assert c.command(f"MAIL FROM:{sender}").lines == ("250 2.1.0 Sender OK",)
            for line in (bad_auth, "MAIL FROM:<me@client.example> AUTH=<> AUTH=<>", "MAIL FROM:<other@client.example>",
                         "MAIL FROM:<me@client.example> SIZE=big", "MAIL FROM:<me@client.example> BODY=9BIT",
                         "MAIL FROM:", "MAIL"):
                assert c.command(line).lines == nested, (sender, line)
            # the transaction goes on, with its first sender
            assert c.command("RCPT TO:<ana@lab.example>").lines == ("250 2.1.5 Recipient OK",)
            assert c.data("Subject: hi\n\nhello").lines == ("250 2.0.0 Message accepted for delivery",)
        # outside a transaction, the parameter is what is wrong
        assert c.command(bad_auth).lines == ("501 5.5.4 Syntax: AUTH=<> or AUTH=mailbox, in xtext, once",)
    assert [m.mail_from for m in lab.messages] == ["me@client.example", ""]


def _xtext_mail(address: str, length: int, size: int) -> str:
    """MAIL with every parameter EHLO announces with SIZE, SMTPUTF8 and AUTH, its AUTH= as long as it takes for the
    line to be ``length`` characters: AUTH= names ``address`` in xtext (RFC 3461 §4), with as many of its first
    characters written "+XX" as needed."""
    start = f"MAIL FROM:<{address}> BODY=8BITMIME SMTPUTF8 SIZE={size} AUTH="
    encoded = (length - len(start) - len(address)) // 2
    line = start + "".join(f"+{ord(ch):02X}" for ch in address[:encoded]) + address[encoded:]
    assert len(line) == length, len(line)
    return line


@pytest.mark.parametrize("network", [False, True], ids=["memory", "network"])
def test_a_mail_line_is_taken_up_to_the_lab_s_own_limit_past_aiosmtpd_s_1001_octets(network):
    # a product fix: aiosmtpd's reader stops a line at 1,001 octets (the text line after DATA, RFC 5321 §4.5.3.1.6)
    # and answers 500 before it reads the command, so a MAIL line of 1,001 to 1,048 characters, which the lab allows
    # where EHLO lists SIZE, SMTPUTF8 and AUTH (512 + 26 + 10 + 500: RFC 1870, RFC 6531, RFC 4954 §3), got "500
    # Command line too long". Each line now gets the limit the lab states: MAIL its own, any other command 512
    address = _long_address()
    with LabServer(network=network, auth=("ana", "secret"), size_limit=100_000) as lab, lab.client() as c:
        c.command("EHLO client.example")
        c.command(_plain("ana", "secret"))
        for length in (1001, 1002, 1048):
            size = 10_000 if length % 2 == 0 else 1000  # an odd length needs one digit less than an even one
            assert c.command(_xtext_mail(address, length, size)).lines == ("250 2.1.0 Sender OK",), length
            c.command("RSET")
        assert c.command(_xtext_mail(address, 1049, 1000)).lines == ("500 5.5.2 Command line too long",)
        assert c.command(_xtext_mail(address, 1050, 10_000)).lines == ("500 5.5.2 Command line too long",)
        assert c.command("NOOP " + "x" * 1020).lines == ("500 5.5.2 Command line too long",)
        # and the session goes on, a text line after DATA still held to aiosmtpd's 1,001 octets with its CR LF
        assert c.command(_xtext_mail(address, 1048, 10_000)).lines == ("250 2.1.0 Sender OK",)
        assert c.command("RCPT TO:<ana@lab.example>").lines == ("250 2.1.5 Recipient OK",)
        assert c.data("Subject: hi\n\n" + "y" * 1000).lines == ("500 5.5.2 Line too long (see RFC5321 4.5.3.1.6)",)
        c.command("MAIL FROM:<me@client.example>")
        c.command("RCPT TO:<ana@lab.example>")
        assert c.data("Subject: hi\n\n" + "y" * 999).lines == ("250 2.0.0 Message accepted for delivery",)


def _unreadable(octets: int) -> str:
    """A line of ``octets`` octets before its CR LF whose command word is no ASCII ("É", two octets in UTF-8): a line
    the server's reader takes gets "500 5.5.2 Error: bad syntax" for that word, and one past the reader's limit
    "500 5.5.2 Command line too long", before any word of it is read. So the answer shows the reader's limit."""
    line = "\u00c9 " + "x" * (octets - 3)
    assert len(line.encode()) == octets
    return line


def _reader_limit_is(c, octets: int) -> None:
    """The longest line the reader takes is ``octets`` octets before its CR LF (aiosmtpd's limit counts the CR)."""
    assert c.command(_unreadable(octets)).lines == ("500 5.5.2 Error: bad syntax",), octets
    assert c.command(_unreadable(octets + 1)).lines == ("500 5.5.2 Command line too long",), octets + 1


@pytest.mark.parametrize("network", [False, True], ids=["memory", "network"])
def test_the_longest_line_a_session_takes_follows_its_latest_ehlo(network):
    # a product fix: the reader takes a line up to MAIL's limit where the latest EHLO announced SIZE, SMTPUTF8 and AUTH
    # (1,048 octets), and up to aiosmtpd's 1,000 (1,001 with the CR) in a session that said HELO or no greeting yet,
    # as on a new connection. The limit an EHLO raised stayed after HELO, so a line of 1,001 to 1,048 octets got
    # another answer there than in a session that had only ever said HELO
    with LabServer(network=network, auth=("ana", "secret"), size_limit=100_000) as lab, lab.client() as c:
        _reader_limit_is(c, 1000)
        c.command("EHLO client.example")
        _reader_limit_is(c, 1048)
        c.command("RSET")
        _reader_limit_is(c, 1048)
        c.command("HELO client.example")
        _reader_limit_is(c, 1000)
        c.command("EHLO client.example")
        _reader_limit_is(c, 1048)
        with lab.client() as other:  # another session, beside it: its own reader
            other.command("HELO client.example")
            _reader_limit_is(other, 1000)
        _reader_limit_is(c, 1048)
    with LabServer(network=network, size_limit=100_000) as lab, lab.client() as c:  # no AUTH: MAIL's 548 is less
        c.command("EHLO client.example")
        _reader_limit_is(c, 1000)


def _padded_mail(octets: int) -> str:
    start = "MAIL FROM:<me@client.example> XPAD="
    return start + "p" * (octets - len(start))


def test_mail_s_limit_after_starttls_is_what_the_ehlo_inside_tls_announces():
    # AUTH waits for TLS here (tls="offered"): the EHLO before TLS announces SIZE and SMTPUTF8 (MAIL up to 548
    # octets), the one inside it AUTH too (1,048); between them, a new session that has said no EHLO takes 512
    address = _long_address()
    every = "[SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]"
    with LabServer(tls="offered", auth=("ana", "secret"), size_limit=100_000) as lab, lab.client() as c:
        c.command("EHLO client.example")
        assert c.command(_padded_mail(548)).lines == ("530 5.7.0 Authentication required",)
        assert c.command(_padded_mail(549)).lines == ("500 5.5.2 Command line too long",)
        assert c.command(_xtext_mail(address, 1048, 10_000)).lines == ("500 5.5.2 Command line too long",)
        _reader_limit_is(c, 1000)
        assert c.starttls().code.code == "220"
        assert c.command(_padded_mail(513)).lines == ("500 5.5.2 Command line too long",)
        _reader_limit_is(c, 1000)
        c.command("EHLO client.example")
        assert c.command(_plain("ana", "secret")).lines == ("235 2.7.0 Authentication successful",)
        assert c.command("MAIL FROM").lines == (f"501 5.5.4 Syntax: MAIL FROM:<address> {every} [AUTH=mailbox|<>]",)
        assert c.command("HELP MAIL").lines == (f"214 2.0.0 Syntax: MAIL FROM:<address> {every} [AUTH=mailbox|<>]",)
        assert c.command(_xtext_mail(address, 1048, 10_000)).lines == ("250 2.1.0 Sender OK",)
        c.command("RSET")
        assert c.command(_xtext_mail(address, 1049, 1000)).lines == ("500 5.5.2 Command line too long",)
        _reader_limit_is(c, 1048)
        c.command("HELO client.example")  # no extensions: 512 for MAIL too
        assert c.command(_padded_mail(513)).lines == ("500 5.5.2 Command line too long",)
        assert c.command("MAIL FROM").lines == ("501 5.5.4 Syntax: MAIL FROM:<address>",)
        _reader_limit_is(c, 1000)


@pytest.mark.parametrize("greeting", ["EHLO", "HELO"])
def test_a_text_line_after_data_keeps_its_1001_octets_where_mail_s_limit_is_less(greeting):
    # without AUTH, MAIL's limit is 548 (SIZE, SMTPUTF8) or 512 (HELO): the reader still takes a text line of
    # 1,001 octets with its CR LF after DATA (RFC 5321 §4.5.3.1.6), and no longer one
    with LabServer(network=False, size_limit=100_000) as lab, lab.client() as c:
        c.command(f"{greeting} client.example")
        for body, reply in (("y" * 999, "250 2.0.0 Message accepted for delivery"),
                            ("y" * 1000, "500 5.5.2 Line too long (see RFC5321 4.5.3.1.6)")):
            c.command("MAIL FROM:<me@client.example>")
            c.command("RCPT TO:<ana@lab.example>")
            assert c.data(f"Subject: hi\n\n{body}").lines == (reply,), len(body)


@pytest.mark.parametrize("settings, login, parameters", [
    ({}, False, "[BODY=7BIT|8BITMIME] [SMTPUTF8]"),
    ({"size_limit": 5000}, False, "[SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8]"),
    ({"auth": ("ana", "secret")}, True, "[BODY=7BIT|8BITMIME] [SMTPUTF8] [AUTH=mailbox|<>]"),
    ({"auth": ("ana", "secret"), "size_limit": 5000}, True, "[SIZE=bytes] [BODY=7BIT|8BITMIME] [SMTPUTF8] [AUTH=mailbox|<>]"),
], ids=["plain", "size", "auth", "size-auth"])
def test_the_501_for_mail_says_what_help_mail_says_after_ehlo_and_after_helo(settings, login, parameters):
    with LabServer(network=False, **settings) as lab, lab.client() as c:
        c.command("EHLO client.example")
        if login:
            c.command(_plain("ana", "secret"))
        syntax = f"Syntax: MAIL FROM:<address> {parameters}"
        assert c.command("HELP MAIL").lines == (f"214 2.0.0 {syntax}",)
        for line in ("MAIL", "MAIL TO:<me@client.example>", "MAIL FROM:<me@client.example> SIZE="):
            assert c.command(line).lines == (f"501 5.5.4 {syntax}",), line
        c.command("HELO client.example")
        assert c.command("HELP MAIL").lines == ("214 2.0.0 Syntax: MAIL FROM:<address>",)
        assert c.command("MAIL FROM:<me@client.example> BODY=8BITMIME").lines == (
            "501 5.5.4 Syntax: MAIL FROM:<address>",)
