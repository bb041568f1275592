"""explain() on a reply in a form made for transport: a bounce's body pasted as it travels, quoted-printable (RFC 2045
§6.7, what a mail client's "show original" shows), and a JSON log that writes what is not ASCII as "\\u00e4".

Such a text says what its plain form says. Before explain() read these forms, a quoted-printable copy of the corpus
lost 232 of the 6,124 rows read right as written (a word cut by a soft line break, "Empf=C3=A4nger" no word at all), and
a JSON-escaped copy 77.
"""

from __future__ import annotations

import json
import quopri

import pytest

import smtpteach
from smtpteach._explain import _rules, readable

from ._corpus import load

ROWS = load()[1]


def _facts(text: str) -> tuple:
    try:
        e = smtpteach.explain(text)
    except smtpteach.MixedRecordsError:
        return ("several records",)
    return e.reason, e.basic and e.basic.code, e.enhanced and e.enhanced.code, e.retry, e.actor


def _quoted_printable(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def test_a_quoted_printable_copy_of_each_corpus_reply_says_what_the_reply_says():
    # the rows whose encoding shows it: a line cut with a soft line break, or a character outside ASCII as its bytes
    encoded = [(row, _quoted_printable(row.text)) for row in ROWS]
    shown = [(row, q) for row, q in encoded if "=\n" in q or not row.text.isascii()]
    assert len(shown) > 2500  # most corpus texts are longer than a line of 76 or are not ASCII
    differ = [(row.source.id, row.number, q[:80]) for row, q in shown if _facts(q) != _facts(row.text)]
    assert differ == []


def test_a_json_escaped_copy_of_each_corpus_reply_outside_ascii_says_what_the_reply_says():
    # as json.dumps writes a string: "\u00e4" for ä, "\ud83d\udce7" for 📧, "\n" for a line break, "\"" for a quote
    outside = [row for row in ROWS if not row.text.isascii()]
    assert len(outside) > 150  # German, French, Japanese, Chinese, Korean, Vietnamese replies and more
    differ = [(row.source.id, row.number) for row in outside if _facts(json.dumps(row.text)[1:-1]) != _facts(row.text)]
    assert differ == []


def test_no_corpus_reply_is_taken_for_a_form_it_is_not_in():
    # "=" ends lines of DSN separators and X.400 addresses ("c=us;a=") and stands in every Postfix log field; a real
    # text is read as it is written
    r = _rules()
    assert [row.text[:60] for row in ROWS if readable(row.text, r) != row.text] == []


@pytest.mark.parametrize("text", [
    # a row of "=" under a heading, a whole line long
    "Delivery to the following recipients was aborted after 5.0 hour(s):\n" + "=" * 76 + "\n"
    "Routing: Could not find a gateway for user@example.net",
    # base64 padding, and a long X.400 address ending its line with "a="
    "Content-Transfer-Encoding: base64\n\nVGhlIHVzZXIgeW91IGFyZSB0cnlpbmcgdG8gY29udGFjdCBpcyBub3QgcmVjZWl2aW5nIG1haWw==\n"
    "550 5.1.1 user unknown",
    "The MTS-ID of the original message is: c=US;a= ;p=Organization;l=Servername-000110194626Z-183\nMSEXCH:MSExchangeMTA",
    # capital hex digits after "=" in a log line, which is no quoted-printable body
    "to=<bob@example.org>, relay=DC1.example.org[192.0.2.7]:25, dsn=5.1.1, status=bounced (id=AB12CD said: 550 unknown)",
    # a Windows path with "\u" in it, which no JSON escape is
    r"C:\users\mail\queue: 451 4.3.0 local error",
])
def test_a_text_with_the_signs_of_neither_form_is_read_as_written(text):
    assert readable(text, _rules()) == text


def test_a_quoted_printable_bounce_is_read_decoded_and_shown_as_given():
    # German words with "ä" written as its two bytes: no word of them is read until they are decoded
    body = "Das Postfach des Empf=C3=A4ngers ist voll und kann zurzeit keine Nachrichten annehmen."
    e = smtpteach.explain(body)
    assert e.reason == "mailboxfull" and e.reason == smtpteach.explain(quopri.decodestring(body).decode()).reason
    assert e.text == body  # what the reader pasted, not what it was read as
    # "full" cut by a soft line break ("f=" / "ull"), as a 76-character line leaves it
    cut = "522 Recipient <user@example.com> Permanent Failure Mailbox Status Mailbox f=\null"
    assert _facts(cut)[:3] == ("mailboxfull", "522", None)
    # a word cut that way ("Recip=" / "ient") is one word again, with what follows it
    cut = ("host mx.example.net[192.0.2.20] said: 450 4.7.1 <user@example.de>: Recip=\n"
           "ient address rejected: Service temporarily unavailable, please try later (in reply to RCPT TO command)")
    assert _facts(cut) == _facts(cut.replace("=\n", "")) and _facts(cut)[0] == "blocked"
    # the same copied from a mail client on Windows, each line ending in CR LF: its soft line breaks are "=" CR LF
    assert _facts(cut.replace("\n", "\r\n")) == _facts(cut)


def test_the_decoding_never_fails_on_what_is_no_utf_8_and_leaves_a_lone_half_of_a_pair_as_written():
    r = _rules()
    # a byte that starts no UTF-8 character becomes U+FFFD, and the words around it are read
    assert readable("550 5.1.1 Empf=C3=A4nger =FF unbekannt, user unknown, no such mailbox here at all right now, sorry=\n!",
                    r) == "550 5.1.1 Empfänger \ufffd unbekannt, user unknown, no such mailbox here at all right now, sorry!"
    # RFC 2045 writes a byte's hex digits in capitals: "=6e" stays as it is, so a log field is never read as a byte
    assert readable("Gr=C3=BC=C3=9Fe: 550 user unknow=6e", r) == "Grüße: 550 user unknow=6e"
    assert readable(r'"\ud83d\udce7 \ud83d alone \udce7 alone \u00e9"', r) == '"📧 \\ud83d alone \\udce7 alone é"'
    # a lone surrogate in the text itself does not stop the decoding
    assert smtpteach.explain("\ud800 550 5.2.2 Postf=C3=A4cher voll").basic.code == "550"


# -- a whole message, as a bounce is stored (.eml) ----------------------------------------------------------------

def _dsn(*blocks: str, head: str = "") -> str:
    """A bounce as Postfix writes one (RFC 3464 in a multipart/report), its header full of words that name no
    failure: the authentication results of the bounce itself, a DKIM signature, a spam filter's verdict."""
    return ("Return-Path: <>\n"
            "Received: from mx.example.net (mx.example.net [192.0.2.7]) by mail.example.org with ESMTPS\n"
            "Authentication-Results: mail.example.org; spf=fail smtp.helo=mx.example.net; dkim=fail (bad signature);\n"
            "\tdmarc=fail header.from=example.net\n"
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=sel; bh=abc=; b=def=\n"
            "X-Spam-Status: Yes, score=9.1 blacklisted\n"
            + head +
            "From: MAILER-DAEMON@example.net (Mail Delivery System)\n"
            "To: ana@example.org\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            "Date: Mon,  7 Dec 2026 10:00:00 +0000\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
            "\n"
            "--B\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n"
            "I'm sorry to have to inform you that your message could not be delivered.\n"
            "\n"
            "--B\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "Reporting-MTA: dns; mx.example.net\n"
            "Arrival-Date: Mon,  7 Dec 2026 09:59:58 +0000\n"
            + "".join("\n" + block for block in blocks) +
            "\n--B\n"
            "Content-Type: text/rfc822-headers\n"
            "\n"
            "From: ana@example.org\nTo: bob@example.net\nSubject: Spam filter and password reset, virus scan\n"
            "\n--B--\n")


BOB = ("Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.2.2\n"
       "Diagnostic-Code: smtp; 552 5.2.2 <bob@example.net>: mailbox full\n")
CAROL = ("Final-Recipient: rfc822; carol@example.net\nAction: failed\nStatus: 5.1.1\n"
         "Diagnostic-Code: smtp; 550 5.1.1 <carol@example.net>: Recipient address rejected:\n    User unknown\n")


def test_a_whole_bounce_is_read_by_its_recipient_block_not_by_its_header(tmp_path):
    message = _dsn(BOB)
    e = smtpteach.explain(message)
    # the header says spf=fail, dkim=fail, blacklisted, and the returned header spam and virus: none of it is the
    # failure, which is bob's full mailbox (read before as authfailure, from the header's words)
    assert (e.reason, e.basic.code, e.enhanced.code, e.permanent) == ("mailboxfull", "552", "5.2.2", True)
    assert _facts(message) == _facts(BOB.replace("Final-Recipient: rfc822; bob@example.net\n", ""))
    assert e.text == message
    # the same message stored with CR LF, with an old Mac's bare CR (as Sisimai's maildir/mac keeps its samples, and
    # triage reads them), and in an mbox after its "From " line, reads alike
    assert _facts(message.replace("\n", "\r\n")) == _facts(message)
    assert _facts(message.replace("\n", "\r")) == _facts(message)
    assert _facts("From MAILER-DAEMON Mon Dec  7 10:00:00 2026\n" + message) == _facts(message)
    # as triage reads the message saved as a file
    (tmp_path / "bounce.eml").write_text(message, encoding="utf-8")
    assert [(r.recipient, r.reason, r.basic) for r in smtpteach.triage(str(tmp_path / "bounce.eml"))] == [
        ("bob@example.net", "mailboxfull", "552")]


def test_a_whole_bounce_about_two_recipients_says_where_the_second_block_starts():
    message = _dsn(BOB, CAROL)
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(message)
    line = message.split("\n").index("Final-Recipient: rfc822; carol@example.net") + 1
    assert (caught.value.line, caught.value.kind) == (line, "dsn")
    assert f"a second DSN recipient block starts on line {line}" in str(caught.value)
    with pytest.raises(smtpteach.MixedRecordsError) as caught:  # stored with a bare CR a line: the same line
        smtpteach.explain(message.replace("\n", "\r"))
    assert (caught.value.line, caught.value.kind) == (line, "dsn")
    # the same recipient reported twice, word for word, is one record
    assert smtpteach.explain(_dsn(BOB, BOB)).reason == "mailboxfull"


def test_an_mbox_of_two_bounces_says_where_the_second_ones_recipient_block_starts():
    # "smtpteach explain - < bounces.mbox": the second message is a second record, as triage reads it, not text after
    # the first one's closing boundary that nobody reads (bob's full mailbox was the whole answer)
    mbox = "From MAILER-DAEMON Mon Dec  7 10:00:00 2026\n" + _dsn(BOB) + "\nFrom MAILER-DAEMON Mon Dec  7 11:00:00 2026\n" + _dsn(CAROL)
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(mbox)
    assert (caught.value.line, caught.value.kind) == (mbox.split("\n").index("Final-Recipient: rfc822; carol@example.net") + 1, "dsn")
    # an mbox of the bounce and a message that is no bounce holds one record
    mail = "From ana@example.org Mon Dec  7 12:00:00 2026\nFrom: ana@example.org\nTo: bob@example.net\nSubject: hi\n\nHello\n"
    assert _facts("From MAILER-DAEMON Mon Dec  7 10:00:00 2026\n" + _dsn(BOB) + "\n" + mail) == _facts(_dsn(BOB))


def _mixed_line(text: str) -> tuple[str, str]:
    """The line a MixedRecordsError names, as the reader sees it in what they gave, and the kind of record."""
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(text)
    return text.replace("\r\n", "\n").split("\n")[caught.value.line - 1], caught.value.kind


def test_the_second_record_of_a_whole_message_is_named_at_its_own_line():
    # the first recipient reported twice word for word, then a second: the second's block, not the repeat
    assert _mixed_line(_dsn(BOB, BOB, CAROL)) == ("Final-Recipient: rfc822; carol@example.net", "dsn")
    # blocks encoded in base64: not line 1 (the header's Return-Path), but the first line of the encoded report
    import base64

    plain = _dsn(BOB, CAROL)
    report = plain[plain.index("Reporting-MTA"):plain.index("\n--B\nContent-Type: text/rfc822-headers")]
    encoded = plain.replace("Content-Type: message/delivery-status\n\n" + report,
                            "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
                            + base64.encodebytes(report.encode()).decode().rstrip("\n"))
    assert _mixed_line(encoded) == (base64.encodebytes(report.encode()).decode().split("\n")[0], "dsn")
    # a plain bounce that writes its addresses with capitals, as Exim copies them from the message
    exim = ("Return-path: <>\nFrom: Mail Delivery System <Mailer-Daemon@example.net>\nTo: ana@example.org\n"
            "Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: Bob@Example.net, Carol@Example.net\n\n"
            "The following address(es) failed:\n\n  Bob@Example.net\n    Unrouteable address\n"
            "  Carol@Example.net\n    550 5.1.1 User unknown\n")
    assert _mixed_line(exim) == ("  Carol@Example.net", "bounce")
    # a message that is no bounce, with two replies in its body: the line in the message, not in its body alone
    mail = ("From: ana@example.org\nTo: team@example.org\nSubject: two refusals\nDate: Mon, 7 Dec 2026 10:00:00 +0000\n\n"
            "The first server said:\n550 5.1.1 no such user\nand the second:\n452 4.2.2 mailbox full\n")
    assert _mixed_line(mail) == ("452 4.2.2 mailbox full", "reply")


def test_the_second_record_of_a_quoted_printable_text_is_named_at_its_line_as_given():
    # soft line breaks join lines to read the words, but the reader counts the lines they pasted
    qp = ("550 5.1.1 The email account that you tried to reach does not exist. Please try dou=\nble-checking the address=\n"
          " for typos or unnecessary spaces, and try again later, thank you very much=\n indeed.\n452 4.2.2 Mailbox full")
    assert _mixed_line(qp) == ("452 4.2.2 Mailbox full", "reply")
    assert _mixed_line(qp.replace("\n", "\r\n")) == ("452 4.2.2 Mailbox full", "reply")


def test_a_plain_bounce_is_read_by_what_it_says_of_its_address():
    head = ("Return-Path: <>\nReceived: from mail.example.net by mx.example.org\nFrom: Mail Delivery System "
            "<Mailer-Daemon@example.net>\nTo: ana@example.org\nSubject: Mail delivery failed: returning message to "
            "sender\nX-Failed-Recipients: {failed}\nDKIM-Signature: v=1; d=example.net; b=spam=\n\n"
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n")
    one = head.format(failed="bob@example.net") + "  bob@example.net\n    Unrouteable address\n"
    assert _facts(one)[:3] == ("hostunknown", None, None)
    two = (head.format(failed="bob@example.net, carol@example.net") + "  bob@example.net\n    Unrouteable address\n"
           "  carol@example.net\n    host mx.example.net [192.0.2.7]\n    SMTP error from remote mail server after "
           "RCPT TO:<carol@example.net>:\n    550 5.1.1 User unknown\n")
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(two)
    assert (caught.value.line, caught.value.kind) == (two.split("\n").index("  carol@example.net") + 1, "bounce")


def test_a_plain_bounce_stored_with_a_bare_cr_a_line_is_read_as_its_lf_copy():
    # qmail's bounce as an old Mac stores it (Sisimai's maildir/mac): what it says of the address, not the copy of
    # the returned header below its last line (read before as authfailure, from the copy's dkim=fail)
    qmail = ("Return-Path: <>\nFrom: MAILER-DAEMON@example.net\nTo: ana@example.org\nSubject: failure notice\n\n"
             "Hi. This is the qmail-send program at example.net.\n\n<bob@example.net>:\n"
             "Remote host said: 550 5.1.1 <bob@example.net>... User Unknown\n\n"
             "--- Below this line is a copy of the message.\n\nAuthentication-Results: x; dkim=fail; spf=fail\n"
             "From: ana@example.org\nSubject: hello\n")
    assert _facts(qmail)[:3] == ("userunknown", "550", "5.1.1")
    assert _facts(qmail.replace("\n", "\r")) == _facts(qmail)


def test_a_message_that_is_no_bounce_is_read_without_its_header():
    # a colleague's mail that quotes the refusal in its body: the body is read, and the header's words are not
    mail = ("From: ana@example.org\nTo: team@example.org\nSubject: why was my DKIM-signed mail to the spam list "
            "refused?\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nAuthentication-Results: x; dkim=fail\n\n"
            "Their server said: 452 4.2.2 Mailbox full, try again later\n")
    assert _facts(mail)[:3] == ("mailboxfull", "452", "4.2.2")


@pytest.mark.parametrize("text", [
    BOB,  # a DSN's own blocks are fields with no header of a message among them
    "Reporting-MTA: dns; mx.example.net\nArrival-Date: Mon, 7 Dec 2026 09:59:58 +0000\n\n" + BOB,
    "Subject: Undelivered Mail\n\n550 5.1.1 user unknown",  # one field of a message is not a whole message
    "From: a@example.org\nTo: b@example.org\n\n",  # a header with no body
    "From: a@example.org\nTo: b@example.org\nthis line is no field\n\n550 5.1.1 user unknown",
    " From: a@example.org\nTo: b@example.org\n\n550 5.1.1 user unknown",  # a folded line before any field
    # a log excerpt whose first line is the tail of a line above it: a folded line goes on no field of it
    "    (in reply to RCPT TO command)\nFrom: a@example.org\nTo: b@example.org\n\n550 5.1.1 user unknown",
    "550-5.1.1 From: nobody\n550 5.1.1 To: no one\n\nDate: never",
])
def test_what_is_no_whole_message_is_read_as_it_was(text):
    from smtpteach._records import is_whole_message

    assert not is_whole_message(text)


def test_a_header_of_any_two_fields_a_stored_message_has_is_a_whole_message():
    # qmail's bounce has From, To, Subject and Date and little else; a message saved by a client may have only two of
    # the fields every message carries, whichever two they are
    from smtpteach._records import _rules as record_rules
    from smtpteach._records import is_whole_message

    names = ["Received", "Return-Path", "Message-ID", "MIME-Version", "Date", "From", "To", "Subject", "Content-Type",
             "Delivered-To"]
    assert sorted(record_rules().message_fields) == sorted(name.lower() for name in names)
    for a, b in zip(names, names[1:] + names[:1]):
        assert is_whole_message(f"{a}: one\nX-Mailer: two\n{b}: three\n\n550 5.1.1 user unknown"), (a, b)
        assert not is_whole_message(f"{a}: one\nX-Mailer: two\n\n550 5.1.1 user unknown"), a


def test_one_recipient_reported_twice_with_two_verdicts_is_two_records():
    # a delay, then the failure, for the same address (each block opening with Original-Recipient, as Sendmail's):
    # two records, the second named at its own block, not at the first block's Final-Recipient
    later = lambda status, said: (f"Original-Recipient: rfc822; bob@example.net\nFinal-Recipient: rfc822; bob@example.net\n"
                                  f"Action: {'delayed' if status[0] == '4' else 'failed'}\nStatus: {status}\n"
                                  f"Diagnostic-Code: smtp; {said}\n")
    message = _dsn(later("4.4.1", "421 4.4.1 connection timed out"), later("5.2.2", "552 5.2.2 mailbox full"))
    with pytest.raises(smtpteach.MixedRecordsError) as caught:
        smtpteach.explain(message)
    lines = message.split("\n")
    second = [k for k, line in enumerate(lines) if line.startswith("Original-Recipient")][1]
    assert (caught.value.line, caught.value.kind) == (second + 1, "dsn")


def test_a_message_in_html_alone_is_read_by_its_body_not_its_header():
    # no text/plain part to read: its body, never the header's authentication results
    mail = ("From: ana@example.org\nTo: team@example.org\nSubject: refused\nAuthentication-Results: x; dkim=fail; spf=fail\n"
            "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
            "<p>Their server said: 452 4.2.2 Mailbox full, try again later</p>\n")
    assert _facts(mail)[:3] == ("mailboxfull", "452", "4.2.2")


def test_no_corpus_reply_is_a_whole_message():
    from smtpteach._records import is_whole_message

    assert [f"{row.source.id}:{row.number}" for row in ROWS if is_whole_message(row.text)] == []


# Python's smtplib exception as a log prints it, (code, b'message'): a message that holds the other kind of quote, which
# repr() leaves unescaped inside it, was cut at that quote ("The " of a QQ Mail refusal, "The sender" of SocketLabs'),
# and read by what was left. Two development rows, from two publishers, and the same with each quote the other way.
SMTPLIB_QUOTES = [
    ("kuma-issues", 1, "syntaxerror"),  # b"5.1.7 The sender's address was syntactically invalid. ..."
    ("moviepilot-plugins-third-issues", 1, "notcompliantrfc"),  # b'The "From" header is missing or invalid. ...'
]


@pytest.mark.parametrize("source, number, reason", SMTPLIB_QUOTES)
def test_smtplibs_message_is_read_whole_whatever_quote_it_holds(source, number, reason):
    row = next(r for r in ROWS if r.source.id == source and r.number == number)
    assert not row.source.held_back and row.reason == reason
    assert smtpteach.explain(row.text).reason == reason
    # the message is the whole sentence: its own quote inside it does not end it
    from smtpteach._explain import extract

    message = extract(row.text)[2]
    assert ("sender's address was syntactically invalid" in message) or ('"From" header is missing or invalid' in message)


@pytest.mark.parametrize("text, reason", [
    ("SMTPRecipientsRefused: {'bob@example.org': (550, b\"5.1.1 The user's mailbox does not exist\")}", "userunknown"),
    ("SMTPDataError: (554, b'5.7.1 Message rejected: the \"Subject\" looks like spam')", "spamdetected"),
    ("SMTPDataError: (552, b'5.3.4 Your message\\'s size exceeds the \"maximum\" of 10MB')", "emailtoolarge"),
])
def test_smtplibs_message_with_quotes_beyond_the_corpus(text, reason):
    assert smtpteach.explain(text).reason == reason
