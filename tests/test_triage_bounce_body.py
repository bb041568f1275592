"""A bounce in plain text known by its own text, not only by its subject (smtpteach/_triage/_bounces.py,
_is_plain_bounce): an operator's review found Exim's bounces from MAILER-DAEMON called "Nondeliverable mail", "failure
delivery" and "Re: your order" unrecognised. Each program's wording below is written anew for these tests, as the
program writes it; the near misses are ordinary mail that holds the same words or codes, which must give no record."""

from __future__ import annotations

import pytest

import smtpteach

MAILER = "From: Mail Delivery System <MAILER-DAEMON@mail.provider.example>\nTo: sender@hostco.vn\n"
# the reply each bounce below quotes for its one recipient
USER_UNKNOWN = ("khach@dest.example", "dest.example", "550", "5.1.1", "userunknown", "bounced")

EXIM = """This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  khach@dest.example
    host mx.dest.example [192.0.2.7]
    SMTP error from remote mail server after RCPT TO:<khach@dest.example>:
    550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown
"""
POSTFIX = """This is the mail system at host mx.provider.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

                   The mail system

<khach@dest.example>: host mx.dest.example[192.0.2.7] said: 550 5.1.1
    <khach@dest.example>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
"""
QMAIL = """Hi. This is the qmail-send program at mail.provider.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<khach@dest.example>:
192.0.2.7 does not like recipient.
Remote host said: 550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown
Giving up on 192.0.2.7.
"""
SENDMAIL = """The original message was received at Mon, 11 Mar 2024 10:00:00 +0700
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<khach@dest.example>
    (reason: 550 5.1.1 <khach@dest.example>... User unknown)

   ----- Transcript of session follows -----
... while talking to mx.dest.example.:
>>> RCPT To:<khach@dest.example>
<<< 550 5.1.1 <khach@dest.example>... User unknown
"""
EXCHANGE = """Delivery has failed to these recipients or groups:

Khach Hang (khach@dest.example)
The e-mail address you entered couldn't be found.

Diagnostic information for administrators:

Generating server: EXCH01.provider.local

khach@dest.example
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
"""
GMAIL = """Delivery to the following recipient failed permanently:

     khach@dest.example

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient domain dest.example by
mx.dest.example. [192.0.2.7].

The error that the other server returned was:
550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown
"""
YAHOO = """Sorry, we were unable to deliver your message to the following address.

<khach@dest.example>:
Remote host said: 550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown [RCPT_TO]
"""
# a site's Postfix whose bounce template is translated, as the lab's own bounce writes it; and one without the marks
VIETNAMESE = """Đây là hệ thống thư tại mx.provider.example.

Thư của bạn đã được nhận, nhưng sau đó không thể chuyển phát tới
những người nhận liệt kê dưới đây. Đây là lỗi vĩnh viễn.

<khach@dest.example>: mx.dest.example trả lời:
    550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown
"""
VIETNAMESE_BARE = """Day la he thong thu tai mx.provider.example.

Thu cua ban da duoc nhan, nhung sau do khong the chuyen phat toi
nhung nguoi nhan liet ke duoi day.

<khach@dest.example>: mx.dest.example tra loi:
    550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown
"""
BODIES = {"exim": EXIM, "postfix": POSTFIX, "qmail": QMAIL, "sendmail": SENDMAIL, "exchange": EXCHANGE, "gmail": GMAIL,
          "yahoo": YAHOO, "vietnamese": VIETNAMESE, "vietnamese-bare": VIETNAMESE_BARE}


def _eml(tmp_path, head: str, body: str, name: str = "m.eml") -> str:
    path = tmp_path / name
    path.write_bytes((head.strip() + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body).encode())
    return str(path)


def facts(path: str) -> list[tuple]:
    return [(r.recipient, r.domain, r.basic, r.enhanced, r.reason, r.status) for r in smtpteach.triage(path)]


@pytest.mark.parametrize("program", sorted(BODIES))
@pytest.mark.parametrize("subject", ["Nondeliverable mail", "failure delivery", "Re: your order",
                                     "Thông báo từ hệ thống"])
def test_a_plain_bounce_is_known_by_its_program_s_words_whatever_its_subject(program, subject, tmp_path):
    path = _eml(tmp_path, MAILER + f"Subject: {subject}", BODIES[program])
    assert facts(path) == [USER_UNKNOWN]
    (r,) = smtpteach.triage(path)
    assert r.kind == "bounce" and "550 5.1.1" in r.text


@pytest.mark.parametrize("sender", ["postmaster@provider.example", "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
                                    "Hệ thống chuyển phát thư <he-thong@provider.example>",
                                    # Yahoo's name, in Vietnamese, for its Mail Delivery Subsystem
                                    "Hệ thống phụ Gửi Thư <thong-bao@provider.example>"])
def test_a_mailer_s_name_or_address_is_what_the_words_need_beside_them(sender, tmp_path):
    path = _eml(tmp_path, f"From: {sender}\nSubject: Re: your order", EXIM)
    assert facts(path) == [USER_UNKNOWN]


def test_the_null_reverse_path_of_a_bounce_stands_for_a_sender_no_rule_knows(tmp_path):
    # a provider's bounce from an address of its own, delivered with the empty Return-Path bounces are sent with
    head = "Return-Path: <>\nFrom: Thong bao <no-reply@provider.example>\nSubject: Re: your order"
    assert facts(_eml(tmp_path, head, POSTFIX)) == [USER_UNKNOWN]
    # ... and the same message with a person's return path is a person's
    head = "Return-Path: <an@provider.example>\nFrom: Thong bao <no-reply@provider.example>\nSubject: Re: your order"
    assert facts(_eml(tmp_path, head, POSTFIX)) == []


def test_a_bounce_known_by_its_words_lists_each_address_it_names(tmp_path):
    body = EXIM.replace("  khach@dest.example\n", "  ban@other.example\n    550 5.2.2 mailbox full\n  khach@dest.example\n")
    path = _eml(tmp_path, MAILER + "Subject: Nondeliverable mail\nDate: Mon, 11 Mar 2024 10:00:05 +0700", body)
    assert facts(path) == [("ban@other.example", "other.example", "550", "5.2.2", "mailboxfull", "bounced"), USER_UNKNOWN]
    assert {r.time for r in smtpteach.triage(path)} == {"Mon, 11 Mar 2024 10:00:05 +0700"}


# -- near misses: the same words or codes in mail that is no bounce give no record ------------------------------------


NEAR_MISSES = {
    # a postmaster writes ordinary mail: a notice that says "could not be delivered" in a sentence, with a code
    "postmaster-notice": ("From: postmaster@hostco.vn\nSubject: Scheduled maintenance", """Dear users,

On Saturday the mail server will be restarted. Mail sent during the restart could not be delivered
at once; it is queued and sent afterwards. A reply such as 451 4.3.0 is expected then, and 550 5.1.1
means the address is wrong, as always. If your mail is refused after Saturday, write to

  helpdesk@hostco.vn
    with the reply you were given (550 5.1.1 or another).
"""),
    # a person's message that pastes a bounce's reply, and even its list of addresses
    "person-pastes": ("From: Ke Toan <ketoan@hostco.vn>\nSubject: failure delivery", """Chi oi, thu gui khach bi loi:
The following address(es) failed:

  khach@dest.example
    550 5.1.1 <khach@dest.example>: Recipient address rejected: User unknown
"""),
    # a postmaster's reply that quotes the bounce, line by line
    "postmaster-reply": ("From: postmaster@hostco.vn\nSubject: Re: your order", "Chao chi, dia chi khach sai, chi hoi lai "
                         "khach nhe.\n\nOn Mon, 11 Mar 2024 at 10:00, Mail Delivery System wrote:\n"
                         + "".join("> " + line + "\n" for line in EXIM.splitlines())),
    # a help desk's forward of a bounce, inline, as Gmail forwards: the bounce is someone else's, and told already
    "postmaster-forward": ("From: postmaster@hostco.vn\nSubject: Fwd: Mail delivery failed: returning message to sender",
                           "Gui chi thu bi tra ve, dia chi khach sai.\n\n---------- Forwarded message ---------\n"
                           "From: Mail Delivery System <MAILER-DAEMON@mail.provider.example>\n"
                           "Date: Mon, 11 Mar 2024 10:00:05 +0700\nSubject: Mail delivery failed: returning message to "
                           "sender\nTo: ketoan@hostco.vn\n\n" + EXIM),
    # the same in Vietnamese Outlook's words
    "postmaster-forward-vi": ("From: postmaster@hostco.vn\nSubject: Chuyển tiếp: Thư không gửi được",
                              "Em gửi chị thư bị trả về.\n\nTừ: Mail Delivery System <MAILER-DAEMON@mail.provider.example>\n"
                              "Đã gửi: Thứ Hai, 11 tháng 3, 2024 10:00\n\n" + VIETNAMESE),
    # a newsletter a postmaster sends the staff, whose footer speaks of automatic mail and lists an address
    "newsletter": ("From: postmaster@hostco.vn\nSubject: Ban tin thang 3 / March newsletter",
                   "Our March news.\n\nThis message was created automatically by our mailing software and\n"
                   "could not be answered. Mail that could not be delivered is kept a week. Questions:\n\n"
                   "  support@hostco.vn\n    (a wrong address is answered with 550 5.1.1)\n"),
}


@pytest.mark.parametrize("case", sorted(NEAR_MISSES))
def test_mail_that_only_holds_a_bounce_s_words_or_codes_gives_no_record(case, tmp_path):
    head, body = NEAR_MISSES[case]
    path = _eml(tmp_path, head, body)
    t = smtpteach.triage(path)
    assert list(t) == [] and t.summary().unrecognised == 1, case


def test_a_subject_that_speaks_of_a_delay_does_not_outweigh_a_text_that_says_delivery_failed(tmp_path):
    # the review's message: Exim's words for a failure under a delay warning's subject; the text is the program's
    path = _eml(tmp_path, MAILER + "Subject: Warning: message 1rjX3a-000ABC-1F delayed 24 hours", EXIM)
    assert facts(path) == [USER_UNKNOWN]
    assert [r.retry for r in smtpteach.triage(path)] == ["dont-retry"]
    # Exim's own delay warning, whose text says so too, stays a deferral
    warning = EXIM.replace("could not be delivered to one or more of its\nrecipients. This is a permanent error. The "
                           "following address(es) failed:", "has not yet been delivered to one or more of its\n"
                           "recipients after more than 24 hours on the queue on mail.provider.example.")
    warning = warning.replace("550 5.1.1", "451 4.2.0")
    path = _eml(tmp_path, MAILER + "Subject: Warning: message 1rjX3a-000ABC-1F delayed 24 hours", warning, "w.eml")
    assert [(r.recipient, r.status, r.basic) for r in smtpteach.triage(path)] == [("khach@dest.example", "deferred", "451")]


@pytest.mark.parametrize("subject", ["Thư bị trả về", "Thu bi tra ve", "Thư bị trả lại", "Không gửi được"])
def test_a_vietnamese_bounce_subject_needs_no_words_of_a_program_in_the_text(subject, tmp_path):
    # a text no rule of _BOUNCE_BODY knows, under a subject a Vietnamese provider gives its bounces (Zing's "thư trả về",
    # Yahoo's "Không gửi được"): the subject and the mailer's name are what make it a bounce
    body = "Hệ thống không gửi được thư của bạn.\n\n<khach@dest.example>\n550 5.1.1 <khach@dest.example>: User unknown\n"
    path = _eml(tmp_path, f"From: Hệ thống phụ Gửi Thư <thong-bao@provider.example>\nSubject: {subject}", body)
    assert facts(path) == [USER_UNKNOWN]
