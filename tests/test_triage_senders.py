"""The senders and the remote hosts of each failing reason (Summary.top_senders, top_relays): which account is getting
us blocklisted, and which MX refuses us. Read from the shapes real logs write: Postfix's queue manager line (from=)
before its delivery lines (relay=), Exim's "<=" line before its "**" lines (H=), a DSN's sender and Remote-MTA."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import smtpteach
from smtpteach.cli import main

DATA = Path(__file__).parent / "data" / "triage"

_BLOCKED = ("554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org "
            "(in reply to RCPT TO command)")


def _postfix(qid: str, sender: str | None, to: str, relay: str, reply: str = _BLOCKED, status: str = "bounced",
             second: int = 0) -> list[str]:
    """A message of a Postfix log: its queue manager's from= line (none when ``sender`` is None: a log that starts
    after it), then its delivery line."""
    stamp = f"Dec  4 10:{second // 60:02d}:{second % 60:02d} mail postfix"
    lines = [f"{stamp}/qmgr[1021]: {qid}: from=<{sender}>, size=2100, nrcpt=1 (queue active)"] if sender is not None else []
    said = f"host {relay.split(']')[0]}] said: {reply}" if relay != "none" else reply
    return lines + [f"{stamp}/smtp[2002]: {qid}: to=<{to}>, relay={relay}, delay=1.2, delays=0.1/0/0.6/0.5, "
                    f"dsn={'5' if status == 'bounced' else '4'}.7.1, status={status} ({said})"]


def _a_blocklisted_day() -> list[str]:
    """One account's campaign blocklisted at isp.example's MX (one name, two addresses), another account's one
    message refused by a second MX, one delivery line whose from= line the log does not hold, and a message the
    queue could not connect for."""
    lines: list[str] = []
    for i, address in enumerate(("203.0.113.70", "203.0.113.71", "203.0.113.70")):
        lines += _postfix(f"A{i}B2C3D4E", "promo@shop.example", f"u{i}@isp.example", f"mx.isp.example[{address}]:25",
                          second=i)
    lines += _postfix("B1B2C3D4E", "anna@example.com", "lan@partner.example", "smtp.partner.example[198.51.100.40]:25",
                      second=10)
    lines += _postfix("C1B2C3D4E", None, "bo@isp.example", "mx.isp.example[203.0.113.71]:25", second=11)
    lines += _postfix("D1B2C3D4E", "anna@example.com", "x@city.example", "none",
                      "connect to mx.city.example[198.51.100.9]:25: Connection timed out", "deferred", second=12)
    return lines


def test_the_top_senders_and_remote_hosts_of_a_blocklisted_day():
    summary = smtpteach.triage(_a_blocklisted_day()).summary()
    assert summary.reason_totals() == [("blocked", 5), ("networkerror", 1)]
    # the account behind the block, then the other; the delivery line whose from= line is not in the log apart, as ""
    assert summary.top_senders() == {"blocked": [("promo@shop.example", 3), ("", 1), ("anna@example.com", 1)],
                                     "networkerror": [("anna@example.com", 1)]}
    # one MX, whichever of its addresses answered; a connection never made (relay=none) apart, as ""
    assert summary.top_relays() == {"blocked": [("mx.isp.example", 4), ("smtp.partner.example", 1)],
                                    "networkerror": [("", 1)]}
    assert summary.top_relays(1) == {"blocked": [("mx.isp.example", 4)], "networkerror": [("", 1)]}
    assert summary.family_senders(1) == [("blocked", None, [("promo@shop.example", 3)]),
                                         ("networkerror", None, [("anna@example.com", 1)])]
    data = summary.as_dict()
    assert data["top_senders"]["blocked"][0] == {"sender": "promo@shop.example", "attempts": 3}
    assert data["top_relays"] == {"blocked": [{"relay": "mx.isp.example", "attempts": 4},
                                              {"relay": "smtp.partner.example", "attempts": 1}],
                                  "networkerror": [{"relay": "", "attempts": 1}]}
    assert json.loads(json.dumps(data)) == data


def test_the_senders_and_hosts_of_greylisting_are_listed_apart_from_a_blocks():
    lines = _postfix("A1", "promo@shop.example", "u@isp.example", "mx.isp.example[203.0.113.70]:25")
    lines += _postfix("A2", "hoa@example.com", "v@school.example", "mx.school.example[198.51.100.50]:25",
                      "450 4.7.1 <v@school.example>: Recipient address rejected: Greylisted, see "
                      "http://postgrey.example.org/ (in reply to RCPT TO command)", "deferred", second=1)
    summary = smtpteach.triage(lines).summary()
    assert summary.family_relays() == [("blocked", None, [("mx.isp.example", 1)]),
                                       ("blocked", "greylisting", [("mx.school.example", 1)])]
    assert summary.family_senders() == [("blocked", None, [("promo@shop.example", 1)]),
                                        ("blocked", "greylisting", [("hoa@example.com", 1)])]


def test_exims_sender_and_hosts_are_counted_by_the_mx_that_refused():
    refusal = ("SMTP error from remote mail server after RCPT TO:<{to}>: 553 5.7.1 [BL21] Connections will not be "
               "accepted from 192.0.2.4, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/550-bl23.html")
    lines = ["2024-03-11 10:00:00 1rABCD-0001xy-AB <= anna@example.com H=client.example [192.0.2.9] P=esmtpsa S=1234 "
             "id=x@example.com"]
    for i, (to, host) in enumerate((("lan@yahoo.example", "mta5.am0.yahoodns.net [67.195.204.72]"),
                                    ("bo@yahoo.example", "mta6.am0.yahoodns.net [98.136.96.74]"),
                                    ("mai@yahoo.example", "MTA5.am0.yahoodns.net. [67.195.204.73]"))):
        lines.append(f"2024-03-11 10:00:0{i + 1} 1rABCD-0001xy-AB ** {to} R=dnslookup T=remote_smtp H={host}: "
                     + refusal.format(to=to))
    summary = smtpteach.triage(lines).summary()
    assert summary.top_senders() == {"blocked": [("anna@example.com", 3)]}
    assert summary.top_relays() == {"blocked": [("mta5.am0.yahoodns.net", 2), ("mta6.am0.yahoodns.net", 1)]}


def test_a_dsns_sender_and_remote_mta():
    summary = smtpteach.triage(str(DATA / "two-recipients.eml")).summary()
    assert summary.top_senders() == {"userunknown": [("ana@example.com", 1)], "mailboxfull": [("ana@example.com", 1)]}
    assert summary.top_relays() == {"userunknown": [("mx.example.org", 1)], "mailboxfull": [("mx.example.net", 1)]}


def test_the_null_sender_is_named_as_such():
    lines = _postfix("A1", "", "u@isp.example", "mx.isp.example[203.0.113.70]:25")
    summary = smtpteach.triage(lines).summary()
    assert summary.top_senders() == {"blocked": [("<>", 1)]}
    assert "  <> (null sender: a bounce, an auto-reply)  1" in summary.to_text().split("\n")
    assert "<td>&lt;&gt; (người gửi rỗng: thư bounce, thư trả lời tự động)</td>" in \
        smtpteach.triage(lines, lang="vi").summary().to_html()


def test_senders_and_hosts_past_the_limit_are_counted_together_and_the_totals_stay_exact(monkeypatch):
    from smtpteach._triage import _summary

    monkeypatch.setattr(_summary, "SENDERS_PER_REASON", 2)
    monkeypatch.setattr(_summary, "RELAYS_PER_REASON", 2)
    lines: list[str] = []
    for n, i in enumerate((1, 2, 2, 3, 4, 1)):
        lines += _postfix(f"A{n}", f"s{i}@example.com", f"u{n}@d.example", f"mx{i}.d.example[192.0.2.{n}]:25", second=n)
    summary = smtpteach.triage(lines).summary()
    # s1 and s2 came first and are counted by name; s3 and s4 come past the limit, as "*"
    assert summary.top_senders() == {"blocked": [("s1@example.com", 2), ("s2@example.com", 2), ("*", 2)]}
    assert summary.top_relays() == {"blocked": [("mx1.d.example", 2), ("mx2.d.example", 2), ("*", 2)]}
    text = summary.to_text()
    assert "  (other senders)  2" in text.split("\n") and "  (other hosts)  2" in text.split("\n"), text
    assert sum(n for _, n in summary.top_senders()["blocked"]) == summary.reason_totals()[0][1] == 6


def test_the_table_shows_the_senders_and_hosts_under_the_domains():
    text = smtpteach.triage(_a_blocklisted_day()).summary().to_text(top=2)
    tail = text[text.index("Top receiving domains"):].split("\n")
    assert tail[:tail.index("Unrecognised lines or messages: 0") - 1] == [
        "Top receiving domains for each failing reason",
        "Sending host blocked (blocked)",
        "  isp.example      4",
        "  partner.example  1",
        "Network error (networkerror)",
        "  city.example  1",
        "",
        "Top senders for each failing reason (envelope sender, MAIL FROM)",
        "Sending host blocked (blocked)",
        "  promo@shop.example  3",
        "  (no sender given)   1",
        "Network error (networkerror)",
        "  anna@example.com  1",
        "",
        "Top remote hosts for each failing reason (the host that answered, by name)",
        "Sending host blocked (blocked)",
        "  mx.isp.example        4",
        "  smtp.partner.example  1",
        "Network error (networkerror)",
        "  (no remote host: no connection made, or none named)  1"]


def test_in_vietnamese():
    text = smtpteach.triage(_a_blocklisted_day(), lang="vi").summary().to_text(top=2)
    tail = text[text.index("Người gửi gặp"):].split("\n")
    assert tail[:tail.index("Dòng hoặc thư không nhận dạng được: 0") - 1] == [
        "Người gửi gặp nhiều lỗi nhất, theo từng nguyên nhân (địa chỉ gửi trên phong bì, MAIL FROM)",
        "Máy gửi bị chặn (blocked)",
        "  promo@shop.example    3",
        "  (không rõ người gửi)  1",
        "Lỗi mạng (networkerror)",
        "  anna@example.com  1",
        "",
        "Máy chủ phía nhận gặp nhiều lỗi nhất, theo từng nguyên nhân (máy chủ đã trả lời, theo tên máy)",
        "Máy gửi bị chặn (blocked)",
        "  mx.isp.example        4",
        "  smtp.partner.example  1",
        "Lỗi mạng (networkerror)",
        "  (không có máy chủ nào trả lời: chưa kết nối được, hoặc log không ghi)  1"]


def test_a_section_is_left_out_where_no_failing_attempt_names_one_unless_asked_for(tmp_path):
    replies = smtpteach.triage(["550 5.1.1 no such user", "452 4.2.2 Mailbox full"]).summary()
    text = replies.to_text()
    assert "Top receiving domains" in text and "Top senders" not in text and "Top remote hosts" not in text
    assert "<h2>Top senders" not in replies.to_html()
    # a log whose from= lines are in another file names hosts and no sender
    hosts_only = smtpteach.triage(_postfix("A1", None, "u@isp.example", "mx.isp.example[203.0.113.70]:25")).summary()
    assert "Top senders" not in hosts_only.to_text() and "Top remote hosts" in hosts_only.to_text()
    # asked for, a section is shown whatever it holds, and only the sections asked for are
    asked = replies.to_text(by=["sender"])
    assert "Top receiving domains" not in asked and "Top remote hosts" not in asked
    section = asked[asked.index("Top senders"):asked.index("\n\nUnrecognised")].split("\n")
    assert section == ["Top senders for each failing reason (envelope sender, MAIL FROM)", "Mailbox full (mailboxfull)",
                       "  (no sender given)  1", "Recipient unknown (userunknown)", "  (no sender given)  1"]
    assert replies.to_text(by="domain") == text
    page = replies.to_html(by=("relay", "domain"))
    assert page.index("<h2>Top receiving domains") < page.index("<h2>Top remote hosts") and "Top senders" not in page


@pytest.mark.parametrize(("by", "error"), [("senders", smtpteach.InvalidArgumentError), ([], smtpteach.InvalidArgumentError),
                                           (["sender", "mx"], smtpteach.InvalidArgumentError),
                                           (3, smtpteach.InvalidTypeError), ([None], smtpteach.InvalidTypeError)])
def test_the_breakdowns_asked_for_are_named(by, error):
    summary = smtpteach.triage(["550 5.1.1 no such user"]).summary()
    for show in (summary.to_text, summary.to_html):
        with pytest.raises(error, match="domain, sender, relay"):
            show(by=by)


def test_the_report_escapes_a_senders_and_a_hosts_name():
    lines = _postfix("A1", '"<b>&x"@evil.example', "u@isp.example", "mx<i>.isp.example[203.0.113.70]:25")
    page = smtpteach.triage(lines).summary().to_html()
    assert "<td>&quot;&lt;b&gt;&amp;x&quot;@evil.example</td>" in page
    assert "<td>mx&lt;i&gt;.isp.example</td>" in page
    assert "<b>" not in page and "<i>" not in page
    assert "<h2>Top senders for each failing reason (envelope sender, MAIL FROM)</h2>" in page
    assert "<thead><tr><th>Remote host</th><th>Attempts</th></tr></thead>" in page


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_command_line_chooses_the_breakdowns(tmp_path, capsys):
    log = tmp_path / "mail.log"
    log.write_text("\n".join(_a_blocklisted_day()) + "\n", encoding="utf-8")
    status, out, _ = _run(["triage", str(log), "--top", "1"], capsys)
    assert status == 0
    assert ["Top receiving domains" in out, "Top senders" in out, "Top remote hosts" in out] == [True, True, True]
    status, out, _ = _run(["triage", str(log), "--by", "sender", "--by", "relay", "--top", "1"], capsys)
    assert status == 0 and "Top receiving domains" not in out
    assert out.index("Top senders") < out.index("Top remote hosts")
    assert "  promo@shop.example  3\n" in out and "  (no sender given)" not in out  # --top 1
    status, out, _ = _run(["triage", str(log), "--by", "relay", "--format", "html", "--lang", "vi"], capsys)
    assert status == 0 and "<h2>Máy chủ phía nhận gặp nhiều lỗi nhất" in out and "Người gửi gặp" not in out
    status, _, err = _run(["triage", str(log), "--by", "mx"], capsys)
    assert status == 2 and re.search(r"argument --by: invalid choice: '?mx'?", err), err


def test_a_list_s_or_a_service_s_sender_of_its_own_for_each_message_is_counted_as_its_account():
    """VERP gives each message an envelope sender of its own (the recipient or an ID written into it): the top
    senders count them as the account they belong to, the changing part written "*", where each would be a row of
    one; BATV's and SRS's rewritten senders are their account's. The record keeps the sender as the log wrote it."""
    senders = ["news-bounces+u0=isp.example@lists.shop.example", "news-bounces+u1=isp.example@lists.shop.example",
               "list-return-1201-u2=isp.example@lists.shop.example", "list-return-1202-u3=isp.example@lists.shop.example",
               "0100018c5c1d2e3f-6a7b8c9d-1e2f-4a5b-8c9d-0e1f2a3b4c5d-000000@amazonses.com",
               "0100018c5c1d2e40-6a7b8c9d-1e2f-4a5b-8c9d-0e1f2a3b4c5e-000000@amazonses.com",
               "prvs=0123abcd=billing@shop.example", "SRS0=HhH=TT=shop.example=billing@forwarder.example",
               "ana-2@example.com"]
    lines = [line for i, sender in enumerate(senders)
             for line in _postfix(f"E{i}B2C3D4E", sender, f"u{i}@isp.example", "mx.isp.example[203.0.113.70]:25", second=i)]
    triaged = smtpteach.triage(lines)
    assert [r.sender for r in triaged] == senders
    summary = triaged.summary()
    assert summary.top_senders(10) == {"blocked": [
        ("*@amazonses.com", 2), ("billing@shop.example", 2), ("list-return-*@lists.shop.example", 2),
        ("news-bounces+*@lists.shop.example", 2), ("ana-2@example.com", 1)]}
    assert "  news-bounces+*@lists.shop.example  2" in summary.to_text().split("\n")
    assert summary.as_dict()["top_senders"]["blocked"][0] == {"sender": "*@amazonses.com", "attempts": 2}
