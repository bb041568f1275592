"""A delivery status notification (RFC 3464) as Postfix sends one, for one recipient: the triage tests' bounce folders,
Maildirs and outcomes are made of it (:func:`write_dsn`), and the tests of what a DSN's fields give a record
(:func:`dsn_text`, each field as a test needs it)."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = """Return-Path: <>
From: MAILER-DAEMON@{reporting} (Mail Delivery System)
To: {bounce_to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; {reporting}
{per_message}
Final-Recipient: rfc822; {to}
Action: {action}
Status: {status}
{remote}Diagnostic-Code: smtp; {code}

{returned}--B--
"""


def dsn_text(to: str, *, status: str, code: str, action: str = "failed", per_message: str = "", remote: str = "",
             returned: str = "", reporting: str = "mx1.hostco.example", bounce_to: str = "invoice@hostco.example") -> str:
    """The DSN about ``to``: ``per_message`` the per-message fields after Reporting-MTA (each line ending in a line
    break), ``remote`` its Remote-MTA's value, ``returned`` the third part (the returned message or its headers, with
    its own Content-Type)."""
    return TEMPLATE.format(to=to, status=status, code=code, action=action, per_message=per_message,
                           remote=f"Remote-MTA: {remote}\n" if remote else "",
                           returned=f"--B\n{returned}\n" if returned else "", reporting=reporting, bounce_to=bounce_to)


def write_dsn(path: Path, to: str, *, action: str = "failed", queue: str = "") -> Path:
    """A DSN about ``to`` at ``path`` (its folders made): failed for a missing user, or delayed for a full mailbox
    (``action="delayed"``); with an X-Postfix-Queue-ID when ``queue`` is given."""
    if action == "failed":
        status, code = "5.1.1", f"550 5.1.1 <{to}>: Recipient address rejected: User unknown"
    else:
        status, code = "4.2.2", "452 4.2.2 Mailbox full"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dsn_text(to, status=status, code=code, action=action,
                             per_message=f"X-Postfix-Queue-ID: {queue}\n" if queue else ""), encoding="utf-8")
    return path
