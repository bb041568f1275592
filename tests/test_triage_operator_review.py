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
