"""What became of each recipient (Summary.outcomes): the last status read for a message (its queue ID, on the syslog
host that logged it) and recipient decides, where the attempts count every retry. The lines are real log shapes: a
Postfix message to several recipients, greylisting then a delivery, deferrals then an expiry, Exim's "==" then "=>",
one queue ID on two hosts of a central syslog, a bounce alone."""

from __future__ import annotations

import pytest

import smtpteach
from smtpteach._triage import _summary, oldest_first

from ._dsn import write_dsn


def outcomes(source, **kw) -> dict[str, int]:
    """The outcomes, without the zero counts."""
    return {k: n for k, n in smtpteach.triage(source, **kw).summary().outcomes.items() if n}


def postfix(time: str, qid: str, to: str, status: str, said: str, host: str = "mx1") -> str:
    dsn = {"sent": "2.0.0", "deferred": "4.7.1", "bounced": "5.1.1"}.get(status, "4.4.1")
    return (f"Mar 11 {time} {host} postfix/smtp[1601]: {qid}: to=<{to}>, relay=mx.school.edu.vn[203.0.113.120]:25, "
            f"delay=0.7, delays=0.01/0/0.3/0.4, dsn={dsn}, status={status} ({said})")


GREYLISTED = postfix("03:00:00", "D2A4B1097A", "linh@school.edu.vn", "deferred",
                     "host mx.school.edu.vn[203.0.113.120] said: 450 4.7.1 <linh@school.edu.vn>: Recipient address "
                     "rejected: Greylisted, see http://postgrey.schweikert.ch/help/school.edu.vn.html (in reply to RCPT "
                     "TO command)")
DELIVERED = postfix("03:05:02", "D2A4B1097A", "linh@school.edu.vn", "sent", "250 2.0.0 Ok: queued as 4F1A2B3C4D")
REMOVED = "Mar 11 03:05:03 mx1 postfix/qmgr[988]: D2A4B1097A: removed"


def test_a_greylisted_message_delivered_on_its_retry_is_delivered_after_a_delay_not_a_failure():
    s = smtpteach.triage([GREYLISTED, DELIVERED, REMOVED]).summary()
    assert (s.records, s.failing) == (2, 1)  # the attempts, as before: the greylisted one did not deliver
    assert outcomes([GREYLISTED, DELIVERED, REMOVED]) == {"recipients": 1, "delivered": 1, "after_delay": 1}
    # and one delivered at once is no delivery after a delay
    assert outcomes([DELIVERED]) == {"recipients": 1, "delivered": 1}
    # one greylisted and no more said: still pending at the end of the input
    assert outcomes([GREYLISTED]) == {"recipients": 1, "pending": 1}


MANY = """\
Mar 11 04:00:00 mx1 postfix/qmgr[988]: E3B5C21A8B: from=<invoice@hostco.vn>, size=2841, nrcpt=3 (queue active)
Mar 11 04:00:00 mx1 postfix/smtp[1700]: E3B5C21A8B: to=<a@big.example>, relay=mx.big.example[192.0.2.50]:25, delay=0.8, delays=0.01/0/0.3/0.5, dsn=5.2.2, status=bounced (host mx.big.example[192.0.2.50] said: 552 5.2.2 <a@big.example>: Mailbox full (in reply to RCPT TO command))
Mar 11 04:00:00 mx1 postfix/smtp[1700]: E3B5C21A8B: to=<b@big.example>, relay=mx.big.example[192.0.2.50]:25, delay=0.8, delays=0.01/0/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as AABBCCDD)
Mar 11 04:00:00 mx1 postfix/smtp[1700]: E3B5C21A8B: to=<c@big.example>, orig_to=<alias@hostco.vn>, relay=mx.big.example[192.0.2.50]:25, delay=0.8, delays=0.01/0/0.3/0.5, dsn=4.2.2, status=deferred (host mx.big.example[192.0.2.50] said: 452 4.2.2 <c@big.example>: Mailbox full (in reply to RCPT TO command))
Mar 11 05:00:00 mx1 postfix/smtp[1701]: E3B5C21A8B: to=<c@big.example>, relay=mx.big.example[192.0.2.50]:25, delay=3600, delays=3599/0/0.3/0.5, dsn=4.2.2, status=deferred (host mx.big.example[192.0.2.50] said: 452 4.2.2 <c@big.example>: Mailbox full (in reply to RCPT TO command))
""".splitlines()
EXPIRY = "Mar 16 04:00:00 mx1 postfix/qmgr[988]: E3B5C21A8B: from=<invoice@hostco.vn>, status=expired, returned to sender"


def test_each_recipient_of_a_postfix_message_has_its_own_outcome_and_an_expiry_loses_the_pending_one():
    assert outcomes(MANY) == {"recipients": 3, "delivered": 1, "lost": 1, "pending": 1}
    s = smtpteach.triage([*MANY, EXPIRY]).summary()
    assert dict(s.by_status) == {"bounced": 1, "delivered": 1, "deferred": 2, "expired": 1}
    assert outcomes([*MANY, EXPIRY]) == {"recipients": 3, "delivered": 1, "lost": 2}


EXIM = """\
2024-03-11 00:10:00 1rjX4b-000DEF-2G <= sales@hostco.vn H=(laptop) [10.0.0.6]:50000 P=esmtpsa A=dovecot_plain:sales@hostco.vn S=4567 id=xyz@hostco.vn
2024-03-11 00:10:01 1rjX4b-000DEF-2G == buyer@yahoo.com R=dnslookup T=remote_smtp defer (-44) H=mta6.am0.yahoodns.net [67.195.204.77]: SMTP error from remote mail server after pipelined MAIL FROM:<sales@hostco.vn> SIZE=4567: 421 4.7.0 [TSS04] Messages from 203.0.113.25 temporarily deferred due to unexpected volume or user complaints
2024-03-11 00:10:01 1rjX4b-000DEF-2G == other@yahoo.com R=dnslookup T=remote_smtp defer (-44) H=mta6.am0.yahoodns.net [67.195.204.77]: SMTP error from remote mail server after pipelined MAIL FROM:<sales@hostco.vn> SIZE=4567: 421 4.7.0 [TSS04] Messages from 203.0.113.25 temporarily deferred due to unexpected volume or user complaints
2024-03-11 00:25:01 1rjX4b-000DEF-2G == buyer@yahoo.com R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for 'yahoo.com'
2024-03-11 00:40:02 1rjX4b-000DEF-2G => buyer@yahoo.com R=dnslookup T=remote_smtp H=mta5.am0.yahoodns.net [67.195.204.79] X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=yes C="250 ok dirdel"
2024-03-11 00:40:02 1rjX4b-000DEF-2G -> other@yahoo.com R=dnslookup T=remote_smtp H=mta5.am0.yahoodns.net [67.195.204.79] X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=yes C="250 ok dirdel"
2024-03-11 00:40:02 1rjX4b-000DEF-2G Completed
2024-03-11 01:00:00 1rjX5c-000GHI-3H <= info@hostco.vn U=www-data P=local S=1200 id=E1rjX5c-000GHI-3H@mx1.hostco.vn
2024-03-11 01:00:30 1rjX5c-000GHI-3H == contact@congty-abc.vn R=dnslookup T=remote_smtp defer (110): Connection timed out
2024-03-11 05:00:00 1rjX5c-000GHI-3H ** contact@congty-abc.vn R=dnslookup T=remote_smtp: retry timeout exceeded
""".splitlines()


def test_exim_deferrals_then_deliveries_are_delivered_after_a_delay_and_a_retry_timeout_is_lost(tmp_path):
    log = tmp_path / "mainlog"
    log.write_text("\n".join(EXIM) + "\n", encoding="utf-8")
    s = smtpteach.triage(str(log)).summary()
    assert dict(s.by_status) == {"deferred": 3, "delivered": 2, "expired": 1}
    assert outcomes(str(log)) == {"recipients": 3, "delivered": 2, "after_delay": 2, "lost": 1}


def test_one_queue_id_on_two_hosts_of_a_central_syslog_is_two_messages():
    # mx1 delivered its 4A1B2C3D4E to a@x.example; mx2's 4A1B2C3D4E to the same address is still deferred
    lines = [postfix("01:00:00", "4A1B2C3D4E", "a@x.example", "sent", "250 2.0.0 Ok"),
             postfix("01:00:01", "4A1B2C3D4E", "a@x.example", "deferred",
                     "connect to mx.x.example[192.0.2.1]:25: Connection timed out", host="mx2")]
    assert outcomes(lines) == {"recipients": 2, "delivered": 1, "pending": 1}
    # ... as the journal's _HOSTNAME tells them apart too
    journal = ['{"MESSAGE": "%s", "SYSLOG_IDENTIFIER": "postfix/smtp", "_HOSTNAME": "%s", '
               '"__REALTIME_TIMESTAMP": "1710118800000000"}' % (line.split(": ", 1)[1].replace('"', '\\"'), host)
               for line, host in zip(lines, ("mx1", "mx2"))]
    assert outcomes(journal) == {"recipients": 2, "delivered": 1, "pending": 1}
    # the same host: one message, whose deferral read after its delivery is told late (see below)
    assert outcomes([lines[0], lines[1].replace(" mx2 ", " mx1 ")]) == {"recipients": 1, "delivered": 1,
                                                                          "after_delay": 1}


_dsn = write_dsn


def test_a_bounce_alone_is_its_recipient_s_whole_story(tmp_path):
    # a DSN that names no queue ID: its recipient lost, one of those told by a record with no queue ID
    one = _dsn(tmp_path / "1.eml", "an@partner.example")
    assert outcomes(str(one)) == {"recipients": 1, "lost": 1, "without_queue_id": 1}
    # a delay warning alone: still pending, as far as the input tells
    warning = _dsn(tmp_path / "2.eml", "binh@partner.example", action="delayed")
    assert outcomes([str(one), str(warning)]) == {"recipients": 2, "lost": 1, "pending": 1, "without_queue_id": 2}
    # two bounces with no queue ID for one address are two recipients: nothing says they are one message
    again = _dsn(tmp_path / "3.eml", "an@partner.example")
    assert outcomes([str(one), str(again)])["recipients"] == 2
    # a reply line is its own recipient too
    assert outcomes(["452 4.2.2 Mailbox full", "550 5.1.1 no such user"]) == {
        "recipients": 2, "lost": 1, "pending": 1, "without_queue_id": 2}


def test_a_delay_warning_then_the_bounce_postfix_sent_for_one_queue_id_is_one_recipient_lost(tmp_path):
    folder = tmp_path / "bounces"
    folder.mkdir()
    _dsn(folder / "1.eml", "an@partner.example", action="delayed", queue="4Vq1bX0ZkLz9sT")
    _dsn(folder / "2.eml", "an@partner.example", queue="4Vq1bX0ZkLz9sT")
    assert outcomes(str(folder)) == {"recipients": 1, "lost": 1}


def test_a_discard_is_lost_a_hop_is_handed_on_and_an_unknown_status_is_not_known():
    discard = ("Mar 11 06:40:00 mx1 postfix/smtp[1902]: 49A2B3C4D5: to=<ceo@hostco.vn>, relay=127.0.0.1[127.0.0.1]:10024, "
               "delay=2, dsn=2.7.0, status=sent (250 2.7.0 Ok, discarded, id=28813-01 - spam)")
    hop = ("Mar 11 06:41:00 mx1 postfix/smtp[1903]: 5AB3C4D5E6: to=<cfo@hostco.vn>, relay=127.0.0.1[127.0.0.1]:10024, "
           "delay=1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 6BC4)")
    strange = ("Mar 11 06:42:00 mx1 postfix/smtp[1904]: 6BC4D5E6F7: to=<hr@hostco.vn>, relay=none, delay=1, "
               "status=quarantined (held by policy)")
    statuses = [r.status for r in smtpteach.triage([discard, hop, strange])]
    assert statuses == ["discarded", "relayed", "unknown"]
    assert outcomes([discard, hop, strange]) == {"recipients": 3, "lost": 1, "handed_on": 1, "unknown": 1}
    # an unknown status leaves the recipient open: a later delivery decides
    assert outcomes([strange, strange.replace("status=quarantined (held by policy)", "status=sent (250 2.0.0 Ok)")]) \
        == {"recipients": 1, "delivered": 1}


def test_a_final_status_read_before_an_earlier_line_of_the_same_recipient_keeps_its_outcome(tmp_path):
    # rotated logs named so that triage cannot tell their order: the newer one read first, its delivery before the
    # deferral the older one tells. The recipient is delivered after a delay, never also still pending
    (tmp_path / "a-new.log").write_text(DELIVERED + "\n" + REMOVED + "\n", encoding="utf-8")
    (tmp_path / "b-old.log").write_text(GREYLISTED + "\n", encoding="utf-8")
    paths = [str(tmp_path / "a-new.log"), str(tmp_path / "b-old.log")]
    assert oldest_first(paths) == paths
    assert outcomes(paths) == {"recipients": 1, "delivered": 1, "after_delay": 1}
    assert outcomes(str(tmp_path)) == {"recipients": 1, "delivered": 1, "after_delay": 1}
    # a final line told twice (a copy of a log beside it) counts its recipient once, the last told deciding
    bounced = postfix("04:00:00", "D2A4B1097A", "linh@school.edu.vn", "bounced",
                      "host mx.school.edu.vn[203.0.113.120] said: 550 5.1.1 User unknown (in reply to RCPT TO command)")
    assert outcomes([DELIVERED, DELIVERED]) == {"recipients": 1, "delivered": 1}
    assert outcomes([GREYLISTED, DELIVERED, bounced]) == {"recipients": 1, "lost": 1}
    assert outcomes([GREYLISTED, DELIVERED, GREYLISTED, DELIVERED]) == {"recipients": 1, "delivered": 1, "after_delay": 1}


def test_the_recipients_still_pending_are_bounded_and_a_note_says_when_some_were_forgotten(monkeypatch):
    monkeypatch.setattr(_summary, "PENDING_RECIPIENTS", 2)
    deferred = [postfix("01:00:00", f"4A1B2C3D4{n}", f"r{n}@x.example", "deferred",
                        "connect to mx.x.example[192.0.2.1]:25: Connection timed out") for n in range(3)]
    s = smtpteach.triage(deferred).summary()
    assert {k: n for k, n in s.outcomes.items() if n} == {"recipients": 3, "pending": 3}
    assert len(s._open) == 2
    assert s.notes == ["more than 2 recipients were still pending at once: 1 of them, the one left pending longest, "
                       "was counted as still pending and forgotten, so that a later line about it counts it again"]
    # the forgotten one's delivery is then a recipient of its own; the others' are theirs
    delivered = [line.replace("status=deferred (connect to mx.x.example[192.0.2.1]:25: Connection timed out)",
                              "status=sent (250 2.0.0 Ok)") for line in deferred]
    s = smtpteach.triage(deferred + delivered).summary()
    assert {k: n for k, n in s.outcomes.items() if n} == {"recipients": 4, "delivered": 3, "after_delay": 2,
                                                          "pending": 1}
    assert s.as_dict()["outcomes"] == s.outcomes and len(s.note_lines()) == 1
    vi = smtpteach.triage(deferred, lang="vi").summary().note_lines()
    assert vi == ["có lúc hơn 2 người nhận cùng đang chờ gửi lại: 1 người nhận chờ lâu nhất đã được tính là vẫn đang "
                  "chờ rồi bị xóa khỏi bộ nhớ, nên nếu log còn dòng nào sau đó về người này thì người đó sẽ bị đếm thêm "
                  "một lần"]
    # the bound is a number of the note's prose, its thousands set apart as each language writes them
    from smtpteach._triage._base import _problem_text

    catalogue = smtpteach.triage(deferred).summary()._catalogue
    assert _problem_text(catalogue.ui(lang="en")["triage"], "pending_forgotten_one", {"count": "1", "limit": "50000"},
                         "note").startswith("more than 50,000 recipients")
    assert _problem_text(catalogue.ui(lang="vi")["triage"], "pending_forgotten_one", {"count": "1", "limit": "50000"},
                         "note").startswith("có lúc hơn 50.000 người nhận")
    # under the bound, no note
    monkeypatch.setattr(_summary, "PENDING_RECIPIENTS", 3)
    assert smtpteach.triage(deferred).summary().notes == []


@pytest.mark.parametrize("sample, expected", [
    ("mail.log", None),
])
def test_the_outcomes_add_up_to_the_recipients(sample, expected):
    got = smtpteach.triage(str(smtpteach.sample_path(sample))).summary().outcomes
    assert got["recipients"] == got["delivered"] + got["lost"] + got["pending"] + got["handed_on"] + got["unknown"]
    assert got["after_delay"] <= got["delivered"] and got["recipients"] > 0


def test_the_table_and_the_report_say_what_became_of_the_recipients_in_both_languages(tmp_path, capsys):
    from smtpteach import cli

    log = tmp_path / "maillog"
    log.write_text("\n".join([*MANY, EXPIRY, GREYLISTED, DELIVERED, REMOVED]) + "\n", encoding="utf-8")
    assert cli.main(["triage", str(log)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Triage of 7 delivery attempts\nBy status: deferred 3, delivered 2, bounced 1, expired 1\n\n")
    assert "\n".join([
        "What became of the 4 recipients (the last status read for each decides)",
        "Delivered in the end                  2",
        "  of which after a delay              1",
        "Lost: bounced, expired or discarded   2",
        "Still pending: last attempt deferred  0",
        "",
        "Attempts by reason"]) in out
    assert cli.main(["triage", "--lang", "vi", str(log)]) == 0
    assert "\n".join([
        "Kết quả cuối cùng của 4 người nhận (theo trạng thái đọc được sau cùng của từng người)",
        "Cuối cùng đã chuyển phát                          2",
        "  trong đó, chuyển phát được sau khi bị tạm hoãn  1",
        "Thất bại: bị trả về, hết hạn hoặc bị hủy          2",
        "Vẫn còn chờ gửi lại: lần thử cuối bị tạm hoãn     0",
        ""]) in capsys.readouterr().out
    # the report: a row for each outcome, handed on and not known only when some were
    strange = ("Mar 11 06:42:00 mx1 postfix/smtp[1904]: 6BC4D5E6F7: to=<hr@hostco.vn>, relay=none, delay=1, "
               "status=quarantined (held by policy)")
    page = smtpteach.triage([GREYLISTED, strange]).summary().to_html()
    assert '<h2>What became of the 2 recipients (the last status read for each decides)</h2>' in page
    assert '<tr data-outcome="pending"><td>Still pending: last attempt deferred</td><td class="n">1</td></tr>' in page
    assert '<tr data-outcome="unknown"><td>Not known</td><td class="n">1</td></tr>' in page
    assert 'data-outcome="handed_on"' not in page and "known only from a record" not in page
    one = smtpteach.triage([GREYLISTED], lang="vi").summary().to_text()
    assert "Kết quả cuối cùng của 1 người nhận (theo trạng thái đọc được sau cùng)\n" in one
