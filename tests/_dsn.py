"""A delivery status notification (RFC 3464) as Postfix sends one, for one recipient, written to a file: the triage
tests' bounce folders, Maildirs and outcomes are made of it."""

from __future__ import annotations

from pathlib import Path

DSN = """From: MAILER-DAEMON@mx1.hostco.example
To: invoice@hostco.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.hostco.example
{queue}
Final-Recipient: rfc822; {to}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {code}

--B--
"""


def write_dsn(path: Path, to: str, *, action: str = "failed", queue: str = "") -> Path:
    """A DSN about ``to`` at ``path`` (its folders made): failed for a missing user, or delayed for a full mailbox
    (``action="delayed"``); with an X-Postfix-Queue-ID when ``queue`` is given."""
    if action == "failed":
        status, code = "5.1.1", f"550 5.1.1 <{to}>: Recipient address rejected: User unknown"
    else:
        status, code = "4.2.2", "452 4.2.2 Mailbox full"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DSN.format(to=to, action=action, status=status, code=code,
                               queue=f"X-Postfix-Queue-ID: {queue}\n" if queue else ""), encoding="utf-8")
    return path
