"""Bounce messages: delivery status notifications (RFC 3464, RFC 6533), and the bounces in plain text that
Exim, qmail, Sendmail, Exchange, hMailServer and MDaemon send, one record per recipient. A bounce in plain text is
known by its sender (a mailer daemon's name or address, or the null reverse-path) with its subject or with the words
its program writes in the text above anything it quotes, never by its sender alone."""

from __future__ import annotations

import email
import email.errors
import email.header
import email.parser
import email.policy
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ._base import (Record, _domain_of, _Explainer, _given_up_by_cause, _relay_form, _situated, _status_of_reply,
                    _Unrecognised)
from ._lines import _LineReader

_DSN_ACTIONS = {"failed": "bounced", "delayed": "deferred", "delivered": "delivered", "relayed": "relayed",
                "expanded": "expanded"}


def _text(value: Any) -> str:
    """A header field's value as text. A field that holds 8-bit bytes (UTF-8, as an internationalised bounce's
    addresses and diagnostics are, RFC 6532 and RFC 6533) comes from the parser as an email.header.Header, and its
    bytes are read as UTF-8, not as the replacement characters str() would make of them."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        out = []
        for chunk, charset in email.header.decode_header(value):
            if isinstance(chunk, bytes):
                try:
                    chunk = chunk.decode(charset if charset and charset != "unknown-8bit" else "utf-8", "replace")
                except (LookupError, UnicodeError):
                    chunk = chunk.decode("utf-8", "replace")
            out.append(chunk)
        return "".join(out)
    return str(value)


def _unfold(value: Any) -> str:
    """A header field's value (:func:`_text`) on one line (RFC 5322 §2.2.3)."""
    value = _text(value)
    return " ".join(value.split()) if ("\n" in value or "\r" in value) else value.strip()


def _address_of(value: Any) -> str | None:
    """The address of "rfc822; ann@example.org" (RFC 3464 §2.3.2)."""
    addr = _unfold(value).split(";", 1)[-1].strip().strip("<>").strip()
    return addr or None


def _reporting_host(value: Any) -> str | None:
    """The host of a DSN's Reporting-MTA (RFC 3464 §2.2.2), written as a Record's ``host``: its name in lower case,
    without a final dot or a comment after it.

    >>> _reporting_host("dns; MX1.Example.org. (Postfix)"), _reporting_host("dns;"), _reporting_host(None)
    ('mx1.example.org', None, None)
    """
    if value is None:
        return None
    name = (_address_of(value) or "").split(None, 1)
    return (name[0].rstrip(".").lower() or None) if name else None


#: the report part of a DSN: RFC 3464's, and RFC 6533's for internationalised addresses (UTF-8 in its fields)
_REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status")


def _split_head(chunk: bytes) -> tuple[Any, bytes]:
    """The header fields of an entity (a message, or one part of a multipart) as its bytes hold them, and its body:
    the fields end at the first empty line."""
    end = re.search(rb"\r?\n\r?\n", chunk)
    head, body = (chunk[:end.start()], chunk[end.end():]) if end else (chunk, b"")
    return email.parser.BytesParser(policy=email.policy.compat32).parsebytes(head + b"\n\n"), body


def _decoded(fields: Any, body: bytes) -> bytes | None:
    """``body`` with the transfer encoding its ``fields`` name (base64, quoted-printable) undone; None when it is
    not the base64 it says it is."""
    encoding = _text(fields.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding == "base64":
        import base64
        import binascii

        try:
            return base64.b64decode(body)
        except (binascii.Error, ValueError):
            return None
    if encoding == "quoted-printable":
        import quopri

        return quopri.decodestring(body)
    return body


def _part_body(raw: bytes, parent: Any, part: Any) -> bytes | None:
    """The body of ``part``, a direct part of the multipart ``parent``, as the message's bytes hold it, with its
    transfer encoding (base64, quoted-printable) undone; None when it cannot be found there."""
    boundary = parent.get_boundary()
    if not boundary:
        return None
    want = part.get_content_type()
    for chunk in re.split(rb"\r?\n--" + re.escape(boundary.encode("ascii", "surrogateescape")) + rb"(?:--)?[ \t]*(?=\r?\n|$)", raw):
        fields, body = _split_head(chunk.lstrip(b"\r\n"))
        if fields.get_content_type() == want:
            return _decoded(fields, body)
    return None


class _MessageReader:
    """Bounce messages: one Record per recipient block of a delivery status notification (RFC 3464)."""

    def __init__(self, explainer: _Explainer):
        self.explain = explainer
        self.parser = email.parser.BytesParser(policy=email.policy.compat32)

    def read(self, raw: bytes | io.BufferedIOBase, source: str, index: int) -> Iterator[Any]:
        if not isinstance(raw, bytes):  # a message file, or one message of an mbox
            raw = raw.read()
        try:
            yield from self._read(raw, source, index)
        except (RecursionError, email.errors.MessageError, UnicodeError, LookupError) as exc:
            # a message the email package cannot take apart (MIME parts nested thousands deep) or decode: this one
            # message is unrecognised, and the messages and files after it are read
            what = "MIME parts nested too deep to read" if isinstance(exc, RecursionError) else f"{type(exc).__name__}: {exc}"
            yield _Unrecognised(source, index, f"a message that could not be read: {what}")

    def _read(self, raw: bytes, source: str, index: int) -> Iterator[Any]:
        msg = self.parser.parsebytes(raw)
        report = next((part for part in msg.walk() if part.get_content_type() in _REPORT_TYPES), None)
        if report is None:
            subject = _subject(msg)
            if msg.get_content_type() != "multipart/report" and _is_plain_bounce(msg, subject):
                sender = _original_sender(msg, {})
                for found in self._plain_bounce(msg, subject, source, index):
                    yield replace(found, sender=sender, timestamp=self.explain.clock.stamp(found.time)) \
                        if isinstance(found, Record) else found
                return
            why = "not a delivery status notification (RFC 3464)"
            if msg.get_content_type() == "multipart/report":  # a report broken on its way, not some other message
                why = ("a report (multipart/report) with no boundary to cut it into its parts" if not msg.get_boundary()
                       else "a report (multipart/report) with no delivery status part (message/delivery-status)")
            yield _Unrecognised(source, index, f"{why}: {msg.get_content_type()}, Subject: {subject[:120]}")
            return
        blocks = report.get_payload()
        encoding = _text(report.get("Content-Transfer-Encoding", "")).strip().lower()
        if encoding in ("base64", "quoted-printable") or report.get_content_type() == "message/global-delivery-status":
            # the parser cut the report into field blocks as it stands, encoded, or as one message with a body (a
            # global DSN, RFC 6533, is not a type it knows): read its field blocks from the part's own bytes, from
            # the multipart that holds the report as one of its own parts (not the last multipart walked past)
            parent = next((p for p in msg.walk() if p.get_content_maintype() == "multipart"
                           and any(child is report for child in p.get_payload())), None)
            if parent is not None:
                body = _part_body(raw, parent, report)
            elif report is msg:  # no multipart around it: the whole message is the report
                body = _decoded(*_split_head(raw))
            else:
                body = None
            text = (body or b"").decode("utf-8", "replace")
            blocks = [email.parser.Parser(policy=email.policy.compat32).parsestr(chunk.strip() + "\n", headersonly=True)
                      for chunk in re.split(r"\r?\n[ \t]*\r?\n", text) if chunk.strip()]
        per_message: dict[str, str] = {}
        found = False
        for block in blocks:  # each an email Message: the parser's blocks of a delivery-status part, or ours above
            if block.get("Final-Recipient") is None and block.get("Original-Recipient") is None \
                    and block.get("Action") is None and block.get("Status") is None:
                per_message.update((k.lower(), _text(v)) for k, v in block.items())
                continue
            found = True
            yield self._recipient(block, per_message, msg, source, index)
        if not found:
            yield _Unrecognised(source, index, "a delivery status notification with no recipient block")

    def _plain_bounce(self, msg: Any, subject: str, source: str, index: int) -> Iterator[Any]:
        """A bounce in plain text (Exim's "Mail delivery failed", qmail's "failure notice"): one Record for each
        address it lists, with the lines under it."""
        text = _plain_text(msg)
        blocks = list(_plain_bounce_blocks(text))
        # a delay warning says so before the addresses it lists, or in its subject; a reply quoted under one address
        # that speaks of a delay says nothing of the others
        preamble = text[:text.find(blocks[0][2])] if blocks else text
        # (a subject that speaks of a delay says nothing against a text that says, in its program's words, that
        # delivery failed for good: the text is the program's account, the subject may be anyone's)
        delayed = bool(_BOUNCE_DELAYED.search(preamble) or _BOUNCE_DELAYED.search(subject)
                       and not _BOUNCE_FAILED.search(" ".join(preamble.split())))
        # Exim names the addresses that failed in X-Failed-Recipients: an address the bounce's text lists that is not
        # there was read from somewhere else (the copy of the message, in words no rule knows to stop at)
        failed = {a.strip().lower() for a in _unfold(_text(msg.get("X-Failed-Recipients", ""))).split(",") if a.strip()}
        if not blocks and ("<-- " in text and "--> " in text or "--- Session Transcript ---" in text):
            # MDaemon's bounces quote the session's transcript ("--- Session Transcript ---"): read as its log is
            yield from self._transcript_bounce(msg, text, source, index, delayed)
            return
        if not blocks:
            # a bounce about one recipient that lists it in no form above (Gmail's old "Delivery to the following
            # recipient failed permanently", Domino's "was not delivered to:"): the one address it names, or the one
            # X-Failed-Recipients names, and the whole of its own text
            lines = {a.group("addr").lower(): a for a in _LINE_ADDRESS.finditer(text)}
            named = set(lines) | failed
            if len(named) == 1:
                addr = named.pop()
                a = lines.get(addr)
                end = text.find("\n", a.end()) if a else -1
                own = text[a.start():end if end != -1 else len(text)].strip() if a else ""
                # Sendmail's warning says it on the address's own line ("<cid@example.org>... Deferred: Connection
                # timed out"): that line; otherwise the bounce's whole text
                blocks = [(addr, own if own.startswith("<") and "..." in own else text.strip(), "")]
        when = msg.get("Date")
        found = False
        for recipient, detail, _ in blocks:
            if failed and recipient.lower() not in failed and not delayed:
                continue
            found = True
            basic, enhanced, reason, permanent, retry, actor, note = self.explain(detail)
            if delayed:
                status = "deferred"
            else:
                # the message was returned: the queue tried for the last time, whatever class the last reply had
                given_up = reason == "expired" or bool(_GIVEN_UP.search(detail))
                status = "expired" if given_up else "bounced"
            yield Record(source, index, "bounce", _unfold(when) if when else None, None, recipient,
                         _domain_of(recipient), basic, enhanced, reason, permanent,
                         _situated(status, reason, permanent, retry, self.explain.reasons), actor, note,
                         status, detail)
        if not found:
            yield _Unrecognised(source, index,
                                f"a bounce in plain text with no address it could read: Subject: {subject[:120]}")

    def _transcript_bounce(self, msg: Any, text: str, source: str, index: int, delayed: bool) -> Iterator[Any]:
        """The failures of the session transcript a bounce quotes, one Record for each recipient, as the log's
        (:meth:`_Transcripts.line`); a recipient the transcript does not name is the returned message's own."""
        reader = _LineReader(self.explain)
        reader.sessions.mdaemon[source] = ("", [])
        found = [r for r in reader.read((line.strip() for line in text.split("\n")), source)
                 if isinstance(r, Record) and r.status != "delivered"]
        returned = _returned_recipients(msg)
        for r in found:
            recipient = r.recipient or (returned[0] if len(returned) == 1 else None)
            # a final bounce whose last attempt failed for the time being (a 4xx, a connection that never opened)
            # was given up by the queue: expired, as Sisimai reads it
            status = "deferred" if delayed else "expired" if r.status == "deferred" or r.reason == "expired" or \
                _GIVEN_UP.search(r.text) else "bounced"
            yield replace(r, line=index, kind="bounce", recipient=recipient, domain=_domain_of(recipient) or r.domain,
                          status=status, retry=_situated(status, r.reason, r.permanent, r.retry, self.explain.reasons))
        if not found:
            yield _Unrecognised(source, index, "a bounce quoting a session transcript with no failing reply")

    def _recipient(self, block: Any, per_message: dict[str, str], msg: Any, source: str, index: int) -> Record:
        recipient = _address_of(block.get("Final-Recipient")) or _address_of(block.get("Original-Recipient"))
        parts = []
        for name in ("Action", "Status", "Will-Retry-Until", "Diagnostic-Code"):
            value = block.get(name)
            if value is not None:
                parts.append(f"{name}: {_unfold(value)}")
        text = "\n".join(parts)
        basic, enhanced, reason, permanent, retry, actor, note = self.explain(text)
        action = _unfold(_text(block.get("Action", ""))).lower()
        status = _DSN_ACTIONS.get(action) or _status_of_reply(reason, permanent)
        if status == "bounced" and reason == "expired":
            status = "expired"  # failed because the queue's time ran out (X.4.7): given up, as Postfix's status=expired
        if status == "expired" and block.get("Diagnostic-Code") is not None:
            # the last attempt's reply, which says who is to act (_given_up_by_cause)
            cause = self.explain(_unfold(block.get("Diagnostic-Code")).split(";", 1)[-1].strip())
            basic, enhanced, reason, permanent, retry, actor, note = _given_up_by_cause(
                (basic, enhanced, reason, permanent, retry, actor, note), cause)
        remote = block.get("Remote-MTA")
        # the recipient's domain; the reporting host's stands for it only where no recipient is named
        domain = _domain_of(recipient) if recipient else (_address_of(_text(remote)).lower().rstrip(".") if remote else None)
        when = block.get("Last-Attempt-Date") or per_message.get("arrival-date") or msg.get("Date")
        queue = per_message.get("x-postfix-queue-id")
        return Record(source, index, "dsn", _unfold(when) if when else None, _unfold(queue) if queue else None,
                      recipient, domain, basic, enhanced, reason, permanent,
                      _situated(status, reason, permanent, retry, self.explain.reasons), actor, note, status,
                      text, timestamp=self.explain.clock.stamp(_unfold(when) if when else None),
                      sender=_original_sender(msg, per_message),
                      relay=_relay_form(_address_of(_text(remote))) if remote else None,
                      host=_reporting_host(per_message.get("reporting-mta")))


# A bounce that is no DSN (RFC 3464) but a message in plain text, as Exim's default bounce ("Mail delivery failed:
# returning message to sender", from Mailer-Daemon, with X-Failed-Recipients) and qmail's ("failure notice", from
# MAILER-DAEMON) are: known by who sends it, what it is called or the field Exim adds
_BOUNCE_FROM = re.compile(r"mailer-daemon|mail delivery (?:sub)?system|postmaster@|courier mail server|microsoftexchange|"
                          # in Vietnamese, with its marks or without: "Hệ thống chuyển phát thư", and Yahoo's Vietnamese
                          # name for its Mail Delivery Subsystem, "Hệ thống phụ Gửi Thư"
                          r"\bmdaemon@|h[eệ] th[oố]ng (?:ph[uụ] )?(?:chuy[eể]n ph[aá]t|g[uử]i) th[uư]", re.IGNORECASE)
# ... and not an auto-reply that quotes a bounce's subject ("Automatic reply: Undeliverable: ...")
_AUTO_REPLY = re.compile(r"^(?:automatic reply|auto(?:matic)?[ -]?(?:reply|response)|out of (?:the )?office|auto):",
                         re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(r"mail delivery failed|failure notice|undeliver|returned mail|delivery (?:status )?"
                             r"(?:notification|failure)|warning: message .* delayed|delivery delayed|non.?delivery|"
                             r"could not send message|mail delivery status|warning: delayed mail|"
                             # in Vietnamese, with its marks or without: "Thư không gửi được", "Gửi thư thất bại",
                             # "Thư bị trả lại" (or "trả về"), "Không thể chuyển phát thư"
                             r"kh[oô]ng (?:th[eể] )?(?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? (?:đ|d)[uư][oợ]c|"
                             r"(?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? th[aấ]t b[aạ]i|th[uư] b[iị] tr[aả] (?:l[aạ]i|v[eề])|"
                             r"kh[oô]ng th[eể] (?:g[uử]i|chuy[eể]n(?: ph[aá]t)?) th[uư]|"
                             # "Gửi thư không thành công", "Thư không được gửi đi"
                             r"(?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? kh[oô]ng th[aà]nh c[oô]ng|"
                             r"kh[oô]ng (?:đ|d)[uư][oợ]c (?:g[uử]i|chuy[eể]n)", re.IGNORECASE)
# ... but a reply's or a forward's subject quotes another message's: a person's or a help desk's "Fwd: Mail delivery
# failed" holds a bounce someone else was sent, not one of its own ("Re:", "Fwd:", Outlook's "FW:" and its languages'
# "AW:", "WG:", "TR:", "RV:", "SV:", and Vietnamese mail programs' "Trả lời:", "Chuyển tiếp:")
_REPLY_SUBJECT = re.compile(r"^(?:re|fwd?|aw|wg|tr|rv|sv|vs|tl|tr[aả] l[oờ]i|chuy[eể]n ti[eế]p)[ \t]*(?:\[[0-9]+\])?[ \t]*:",
                            re.IGNORECASE)
# What the programs that write bounces open their own text with, each as the family of wordings its versions and its
# sites' templates write: a plain message from a mailer daemon whose own text says one of them is a bounce, whatever
# its subject. Each is a sentence of a template, never a phrase a person writes in passing ("your mail could not be
# delivered"): precision is what counts here, since a message taken for a bounce gives records of failures that no
# attempt had (or that the bounce it quotes gives again), where a bounce left unrecognised is counted and shown.
_BOUNCE_BODY = re.compile(
    # Exim: "This message was created automatically by mail delivery software.", "A message that you sent could not
    # be delivered to one or more of its recipients. ... The following address(es) failed:", its delay warning's "has
    # not yet been delivered to one or more of its recipients"
    r"created automatically by mail delivery software|"
    r"(?:could not|couldn'?t|cannot|can'?t|has not yet) been? delivered to one or more (?:of its )?recipients|"
    r"the following address(?:\(es\)|es)? (?:failed|could not be delivered)|"
    # Postfix (a plain copy, a site's template): "This is the mail system at host mx.example.", "I'm sorry to have to
    # inform you that your message could not be delivered to one or more recipients."
    r"this is the mail system at host|i'?m sorry to have to inform you that your message|"
    # qmail: "Hi. This is the qmail-send program at mx.example.", "I'm afraid I wasn't able to deliver your message to
    # the following addresses."
    r"this is the qmail-send program|i'?m afraid i wasn'?t able to deliver your message|"
    # Sendmail: "----- Transcript of session follows -----", "----- The following addresses had permanent fatal
    # errors -----" (and its warning's "transient non-fatal errors"); MDaemon: "The attached message had PERMANENT
    # fatal delivery errors!"
    r"-{3,}[ \t]*transcript of session follows|-{3,}[ \t]*the following addresses had (?:permanent fatal|transient non-fatal)"
    r" errors|had permanent fatal delivery errors|"
    # Exchange: "Delivery has failed to these recipients or groups:", "Diagnostic information for administrators:",
    # Exchange 2003's (and hMailServer's) "Your message did not reach some or all of the intended recipients.";
    # hMailServer's "The following recipient(s) could not be reached:"
    r"delivery has failed to these recipients|diagnostic information for administrators|"
    r"did not reach some or all of the intended recipients|the following recipient\(?s?\)? could not be reached|"
    # Gmail's text bounce: "Delivery to the following recipient failed permanently:", "Delivery to the following
    # recipient has been delayed:"; Yahoo's: "Sorry, we were unable to deliver your message to the following address."
    r"delivery to the following recipients? (?:failed|has been delayed)|"
    r"unable to deliver (?:your|this|the) message to the following (?:address|recipient)|"
    # Courier: "This is a delivery status notification from mx.example, running the Courier mail server"
    r"running the courier mail server|"
    # in Vietnamese, with its marks or without, as sites translate Postfix's and Exim's templates (and as the lab's
    # own bounce writes them): "Đây là hệ thống thư tại mx.example.", "Thư của bạn đã được nhận, nhưng sau đó không
    # thể chuyển phát tới những người nhận liệt kê dưới đây", "Thư này được tạo tự động bởi phần mềm chuyển phát thư",
    # "không thể chuyển tới một hoặc nhiều người nhận"
    r"(?:đ|d)[aâ]y l[aà] h[eệ] th[oố]ng th[uư] t[aạ]i|"
    r"(?:đ|d)[uư][oợ]c t[aạ]o t[uự] (?:đ|d)[oộ]ng b[oở]i (?:ph[aầ]n m[eề]m|h[eệ] th[oố]ng) (?:chuy[eể]n ph[aá]t|g[uử]i) th[uư]|"
    r"kh[oô]ng th[eể] (?:g[uử]i|chuy[eể]n(?: ph[aá]t)?)(?: th[uư])? (?:t[oớ]i|(?:đ|d)[eế]n) "
    r"(?:m[oộ]t (?:ho[aặ]c|hay) nhi[eề]u|nh[uữ]ng|c[aá]c) ng[uư][oờ]i nh[aậ]n",
    re.IGNORECASE)
# where the text a message writes itself ends and what it quotes begins: a quoted line ("> "; not Sendmail's ">>> RCPT
# To:", a command of its transcript), a forward's or a reply's opening (Gmail's "---------- Forwarded message
# ---------", in Vietnamese "---------- Thư đã chuyển tiếp ---------", Apple Mail's "Begin forwarded message:", "On
# Mon, ... wrote:", "Vào ... đã viết:"), or a copied header (Outlook's "From: ... Sent: ...", "Từ: ...")
_QUOTED = re.compile(r"^(?:[ \t]*>(?!>> )|-{2,}[ \t]*(?:forwarded message|original message|th[uư] (?:đ|d)[aã] chuy[eể]n ti[eế]p|"
                     r"tin nh[aắ]n g[oố]c|th[uư] g[oố]c)|begin forwarded message:|on .{1,200} wrote:[ \t]*$|"
                     r"v[aà]o .{1,200} (?:đ|d)[aã] vi[eế]t:[ \t]*$|(?:from|t[uừ]):[ \t]+\S)", re.IGNORECASE | re.MULTILINE)
# the null reverse-path a bounce is sent with (RFC 5321 §4.5.5), as the delivering server writes it in Return-Path
_NULL_RETURN_PATH = re.compile(r"^[ \t]*<[ \t]*>[ \t]*$")
# a final bounce whose queue ran out of time: qmail's "I'm not going to try again; this message has been in the queue too
# long.", Exim's "retry timeout exceeded"
_GIVEN_UP = re.compile(r"in the queue too long|retry timeout exceeded|not going to try again", re.IGNORECASE)
# ... whose text says that delivery is still being tried (Exim's delay warning: "has not yet been delivered")
_BOUNCE_DELAYED = re.compile(r"not yet been delivered|has been delayed|message .{0,40} delayed|will (?:keep|continue) "
                             r"(?:trying|to try)|warning message only|transient non-fatal", re.IGNORECASE)
# ... or that says, in a bounce's own words, that delivery failed for good (Exim's, Postfix's, qmail's, Sendmail's,
# Exchange's and Gmail's: see _BOUNCE_BODY)
_BOUNCE_FAILED = re.compile(r"could not be delivered to one or more|the following address(?:\(es\)|es)? failed|"
                            r"this is a permanent error|permanent fatal errors|delivery has failed to these recipients|"
                            r"wasn'?t able to deliver your message|failed permanently", re.IGNORECASE)
# where the copy of the returned message starts: nothing below it is the bounce's ("------ This is a copy of the
# message, including all the headers. ------", qmail's "--- Below this line is a copy of the message.")
_RETURNED_COPY = re.compile(r"^[ \t]*-{2,} ?(?:this is a copy of|below this line is a copy|original message|the body of|"
                            r"the header of|a copy of)", re.IGNORECASE | re.MULTILINE)
# qmail lists each address at a line's start in angle brackets with a colon ("<bob@example.org>:"), the lines after it
# up to an empty line its account; Exim indents each address by two spaces, and the lines about it by four
_QMAIL_ADDRESS = re.compile(r"^<(?P<addr>[^<>\s]+@[^<>\s]+)>:[ \t]*(?P<rest>.*)$")
# Sendmail lists each address in angle brackets alone on its line ("<bob@example.org>"), the lines about it indented
# ("    (reason: 550 5.1.1 ... User unknown)"); Exchange each address alone and bare, then the host and "Remote Server
# returned '550 ...'" up to an empty line
_SENDMAIL_BOUNCE_ADDRESS = re.compile(r"^<(?P<addr>[^<>\s]+@[^<>\s]+)>[ \t]*$")
# Exchange 2007's and 2010's reply under each address of its "Diagnostic information for administrators", a "#", the
# reply and "##": "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "#< #5.2.2 smtp;552 ...> #SMTP#"
_EXCHANGE_2010_REPLY = re.compile(r"#<? ?#?(?:[2-5][0-9][0-9] |[245]\.[0-9]{1,3}\.[0-9]{1,3})")
_EXCHANGE_BOUNCE_ADDRESS = re.compile(r"^(?P<addr>[^\s<>()@,;:]+@[^\s<>()@,;:]+\.[^\s<>()@,;:]+)[ \t]*$")
# an address that starts a line of a bounce's own text, alone or as Sendmail's "<bob@example.org>... Deferred" or
# Exchange's "bob@example.org (bob@example.org)": for a bounce about one recipient that lists it no other way
_LINE_ADDRESS = re.compile(r"^[ \t]*<?(?P<addr>[^\s<>()@,;:\"']+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>?(?=[ \t]*$|\.\.\.| \()",
                           re.MULTILINE)
_EXIM_BOUNCE_ADDRESS = re.compile(r"^  (?P<addr>[^\s<>:,]+@[^\s<>:,]+)(?:[ \t]+<[^>]*>)?(?::[ \t]*(?P<rest>.*))?$")
# where a copy of the returned message's header starts, in words no marker above names (another language, another
# MTA): a header field at a line's start; nothing from there on is the bounce's own account
_COPIED_HEADER = re.compile(r"^(?:return-path|received|from|to|cc|subject|date|message-id|delivered-to|mime-version):",
                            re.IGNORECASE)


_RETURN_PATH = re.compile(r"^Return-Path:[ \t]*<?(?P<path>[^<>\s]*)>?", re.IGNORECASE | re.MULTILINE)


def _original_sender(msg: Any, per_message: dict[str, str]) -> str | None:
    """The envelope sender of the message a bounce returns, the account that sent it, as a Record's sender writes it
    ("<>" for the null sender): Postfix's X-Postfix-Sender field of the report, else the Return-Path of the message it
    returns (its message/rfc822 part, or its text/rfc822-headers part), which is that message's envelope sender as the
    server that returns it had it; else the bounce's own To:, since a bounce goes to the envelope sender. None when the
    bounce says none of these."""
    import email.utils

    said = per_message.get("x-postfix-sender")
    if said is not None:
        return _address_of(said) or "<>"
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            path = inner.get("Return-Path") if inner is not None else None
            if path is not None:
                return _unfold(path).strip("<>").strip() or "<>"
        elif kind == "text/rfc822-headers":
            body = part.get_payload(decode=True) or b""
            m = _RETURN_PATH.search(body.decode("utf-8", "replace"))
            if m:
                return m.group("path") or "<>"
    to = email.utils.parseaddr(_unfold(msg.get("To", "")))[1]
    return to or None


def _subject(msg: Any) -> str:
    """The message's subject on one line, its encoded words (RFC 2047) decoded."""
    import email.header

    raw = _text(msg.get("Subject", ""))
    try:
        return _unfold(str(email.header.make_header(email.header.decode_header(raw))))
    except (ValueError, LookupError, email.errors.HeaderParseError):
        return _unfold(raw)


def _is_plain_bounce(msg: Any, subject: str) -> bool:
    """A message with no delivery status part that is a bounce all the same: carrying Exim's X-Failed-Recipients;
    or sent by a mailer daemon or a mail delivery system (not an auto-reply that quotes a bounce) and either called a
    bounce in its ``subject`` (decoded: :func:`_subject`; not a reply's or a forward's, which quotes another message's)
    or saying, in its own text above anything it quotes, what a program that writes bounces says (:data:`_BOUNCE_BODY`),
    whatever its subject. Who sent it is never enough alone: a postmaster writes ordinary mail too."""
    if msg.get("X-Failed-Recipients") is not None:
        return True
    # (not Auto-Submitted: auto-replied, which RFC 3834 §5 gives every automatic response, bounces among them:
    # Postfix, Exim and Exchange set it on theirs; a vacation responder's own fields say what it is)
    if _AUTO_REPLY.match(subject) or msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return False
    from_a_mailer = bool(_BOUNCE_FROM.search(_text(msg.get("From", ""))))
    if from_a_mailer and _BOUNCE_SUBJECT.search(subject) and not _REPLY_SUBJECT.match(subject):
        return True
    # the body's words, from a mailer daemon's address or name, or with the null reverse-path bounces are sent with
    if not (from_a_mailer or _NULL_RETURN_PATH.match(_text(msg.get("Return-Path", "")))):
        return False
    text = _plain_text(msg)
    quoted = _QUOTED.search(text)
    own = text[:quoted.start()] if quoted else text
    return bool(_BOUNCE_BODY.search(" ".join(own.split())))  # (a template's sentence wraps where its lines end)


def _returned_recipients(msg: Any) -> list[str]:
    """The addresses in the To and Cc fields of the message a bounce returns (its message/rfc822 part)."""
    import email.utils

    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is None:
                return []
            fields = [_text(v) for name in ("To", "Cc") for v in inner.get_all(name, [])]
            return [a for _, a in email.utils.getaddresses(fields) if "@" in a]
    return []


def _plain_text(msg: Any) -> str:
    """The bounce's own text: its first text/plain part, decoded, up to the copy of the message it returns."""
    part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
    if part is None:
        return ""
    body = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = body.decode(charset, "replace")
    except (LookupError, UnicodeError):  # a charset Python does not know, or one that cannot replace ("idna")
        text = body.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n")
    end = _RETURNED_COPY.search(text)
    return text[:end.start()] if end else text


def _plain_bounce_blocks(text: str) -> Iterator[tuple[str, str, str]]:
    """(recipient, what the bounce says of it, the address's own line) for each address a plain bounce lists, as
    qmail or Exim list them; an address with nothing said of it is no failure the bounce reports."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _COPIED_HEADER.match(lines[i]):
            return  # a copy of the returned message's header begins
        q = _QMAIL_ADDRESS.match(lines[i])
        e = None if q else _EXIM_BOUNCE_ADDRESS.match(lines[i])
        s = None if q or e else _SENDMAIL_BOUNCE_ADDRESS.match(lines[i])
        x = None if q or e or s else _EXCHANGE_BOUNCE_ADDRESS.match(lines[i])
        m = q or e or s or x
        if m is None:
            i += 1
            continue
        first = lines[i]
        rest = (m.groupdict().get("rest") or "").strip()
        detail = [rest] if rest else []
        i += 1
        while i < len(lines):
            line = lines[i]
            if (q or x) and (not line.strip() or _QMAIL_ADDRESS.match(line)):
                break  # qmail, Exchange: an empty line, or the next address, ends the account
            if e and not line.startswith("    "):
                break  # Exim: the lines about an address are indented by four spaces
            if s and not line[:1].isspace():
                break  # Sendmail: the lines about an address are indented
            detail.append(line.strip())
            i += 1
        said = "\n".join(d for d in detail if d)
        # a bare address alone is Exchange's only with its reply (Exchange 2013's "Remote Server returned '550 ...'",
        # Exchange 2007's and 2010's "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"), or hMailServer's with its
        # "Error Type:"
        if said and (not x or "erver returned" in said or "erver replied" in said or "Error Type:" in said
                     or _EXCHANGE_2010_REPLY.match(said)):
            yield m.group("addr"), said, first


# a recipient block of a DSN starts with one of these fields, after an empty line (RFC 3464 §2.3)
_RECIPIENT_FIELD = re.compile(r"(?:original|final)-recipient[ \t]*:", re.IGNORECASE)


def message_text(text: str) -> str:
    """What :func:`smtpteach.explain` reads of a whole message (``_records.is_whole_message``), or of an mbox's
    messages: the text of its one recipient record as triage reads it (a DSN's recipient block, what a plain bounce says of the address it lists),
    or, in a message triage reads no record from, its own text without its header. A message that reports on two
    recipients or more raises :class:`MixedRecordsError`, naming the line where the second one starts.

    >>> message_text("From: MAILER-DAEMON@example.org\\nSubject: Undelivered Mail\\nMIME-Version: 1.0\\n"
    ...              "Content-Type: multipart/report; report-type=delivery-status; boundary=b\\n\\n--b\\n"
    ...              "Content-Type: message/delivery-status\\n\\nReporting-MTA: dns; mx.example.org\\n\\n"
    ...              "Final-Recipient: rfc822; ana@example.net\\nAction: failed\\nStatus: 5.1.1\\n"
    ...              "Diagnostic-Code: smtp; 550 5.1.1 no such user\\n\\n--b--\\n")
    'Action: failed\\nStatus: 5.1.1\\nDiagnostic-Code: smtp; 550 5.1.1 no such user'
    """
    from .._catalogue import default_catalogue
    from .._records import mixed_records
    from ._sources import _mbox_messages

    if "\r" in text:  # a bare CR ends a line (an old Mac's file), where the readers below look for LF
        text = re.sub(r"\r(?!\n)", "\n", text)
    raw = text.encode("utf-8", "surrogatepass")
    reader = _MessageReader(_Explainer("en", default_catalogue()))
    # an mbox holds one message or more, each after its "From " line: the records of each, as triage reads them
    messages = _mbox_messages(raw.splitlines(keepends=True)) if raw.startswith(b"From ") else [raw]
    records = list({(r.recipient, r.text): r for index, message in enumerate(messages, 1)
                    for r in reader.read(message, "-", index) if isinstance(r, Record)}.values())
    if len(records) > 1:
        kind = "dsn" if records[1].kind == "dsn" else "bounce"
        raise mixed_records(_second_record_line(text.replace("\r\n", "\n").split("\n"), records) + 1, kind)
    if records:
        return records[0].text
    try:
        msg = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(raw)
        own = _plain_text(msg)
    except (RecursionError, email.errors.MessageError, UnicodeError, LookupError):
        own = ""
    return own.strip() or text.replace("\r\n", "\n").partition("\n\n")[2].strip()


# the field that names a DSN's report part, whose body holds the recipient blocks (RFC 3464 §2, RFC 6533 §6)
_REPORT_FIELD = re.compile(r"content-type:[ \t]*message/(?:global-)?delivery-status", re.IGNORECASE)


def _second_record_line(lines: list[str], records: list[Record]) -> int:
    """The line (0-based) of a whole message where its second record starts: the recipient block that names its
    recipient after the first block (a block that repeats the first word for word is no record of its own), or the
    line that lists its address after the first one's (a plain bounce); where the blocks are encoded (base64), the
    first line of the report part's body."""
    first, second = records[0], records[1]
    want = (second.recipient or "").lower()
    if second.kind == "dsn":
        starts = [k for k, line in enumerate(lines) if _RECIPIENT_FIELD.match(line) and (k == 0 or not lines[k - 1].strip())]
        own = [k for k in starts[1:] if want and want in "\n".join(lines[k:k + 2]).lower()]
        if own or len(starts) > 1:
            return own[0] if own else starts[1]
        part = next((k for k, line in enumerate(lines) if _REPORT_FIELD.match(line)), None)
        if part is None:
            return 0
        return next((k + 1 for k in range(part, len(lines)) if not lines[k].strip()), part)

    def listed(k: int, address: str) -> bool:  # the address at the line's start, as a plain bounce lists it
        return bool(address) and lines[k].strip().lstrip("<").lower().startswith(address)

    at = next((k for k in range(len(lines)) if listed(k, (first.recipient or "").lower())), -1)
    return next((k for k in range(at + 1, len(lines)) if listed(k, want)), 0)


def message_line(text: str, read: str, line: int) -> int:
    """The line (1-based) of the whole message ``text`` where line ``line`` of ``read``, what :func:`message_text`
    read of it, stands: the first line of its body that says the same, after those that say the lines before it;
    where a line is not there as written (decoded from base64), the last one found before it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = next((k for k, given in enumerate(lines) if not given.strip()), 0) + 1
    found = at = body
    for want in read.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:line]:
        k = next((k for k in range(at, len(lines)) if lines[k].strip() == want.strip()), None) if want.strip() else None
        if k is not None:
            found, at = k, k + 1
    return min(found, len(lines) - 1) + 1
