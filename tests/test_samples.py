"""The sample files that ship with smtpteach (smtpteach/data/samples/), and sample_path().

Every reply in them must be a real one: the text of a row of the corpus, from a
development source only, with nothing changed but addresses, host names, IP addresses
and queue ids; SOURCES.yaml must name that row for every reply, and the samples must
hold no address, host or IP address outside the example domains and the documentation
ranges. The bounce messages must be what mail software reads as DSNs, with as many
recipients as SOURCES.yaml says, and triage must find exactly that many records.
"""

from __future__ import annotations

import email
import ipaddress
import re
from email import policy
from pathlib import Path

import pytest
import yaml

import smtpteach
from smtpteach import InvalidArgumentError, InvalidTypeError

from ._corpus import held_back, load
from ._tools import load_tool

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "smtpteach" / "data" / "samples"
SOURCES = yaml.safe_load((SAMPLES / "SOURCES.yaml").read_text(encoding="utf-8"))
BOUNCES = sorted((SAMPLES / "bounces").glob("*.eml"))

EMAIL = re.compile(r"[A-Za-z0-9._%+=-]+@([A-Za-z0-9.-]+[A-Za-z])")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:.])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?![\w:])")
HOST = re.compile(r"(?<![\w.@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[a-z]{2,24}(?!\w|[.-]\w)")
# RFC 2606: example.com, .net, .org, the .example and .invalid top-level domains (and
# example.XX as the corpus writes a country's example)
EXAMPLE = re.compile(r"(?:^|\.)example(?:\.[a-z]{2,3}){0,2}$|(?:^|\.)invalid$")
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
STATUS_LINE = re.compile(r" status=(?:sent|deferred|bounced) ")


def skeleton(text: str) -> str:
    """A reply with its addresses, IP addresses, host names and queue ids blanked and its
    white space collapsed: what the samples must keep word for word.

    >>> skeleton("host mx.example.net[192.0.2.10] said: 550 5.1.1 <bob@example.net>:  no")
    'host <host>[<ip>] said: 550 5.1.1 <<address>>: no'
    """
    t = " ".join(text.split())
    t = EMAIL.sub("<address>", t)
    t = re.sub(r"queued as [0-9A-F]+", "queued as <id>", t)
    t = re.sub(r"\bid=[A-Za-z0-9-]+", "id=<id>", t)
    t = IPV6.sub(lambda m: "<ip>" if "::" in m.group(0) or m.group(0).count(":") == 7 else m.group(0), t)
    t = IPV4.sub("<ip>", t)
    return HOST.sub("<host>", t)


def _corpus():
    sources, rows = load()
    return sources, {(r.source.id, r.number): r for r in rows}


def _dsn(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def _recipient_blocks(message) -> list:
    report = message.get_payload()[1]
    return report.get_payload()[1:]  # the first block is about the message


def _unfold(value) -> str:
    return " ".join(str(value).split())


# -- the files are what the script writes -------------------------------------------


def test_the_samples_are_what_tools_make_samples_writes():
    """Rebuilt from the corpus with its seed, every file comes out byte for byte the same."""
    built = load_tool("make_samples").build()
    on_disk = {p.relative_to(SAMPLES).as_posix(): p.read_text(encoding="utf-8") for p in SAMPLES.rglob("*") if p.is_file()}
    assert sorted(built) == sorted(on_disk)
    for name, text in built.items():
        assert on_disk[name] == text, f"{name} differs from what tools/make_samples.py writes: run it"


# -- every reply comes from a named development row -----------------------------------


def test_sources_yaml_names_a_development_row_for_every_reply():
    sources, rows = _corpus()
    assert len(SOURCES["replies"]) >= SOURCES["files"]["mail.log"]["status_lines"] + len(BOUNCES)
    for entry in SOURCES["replies"]:
        where, sid, number = entry["where"], entry["source"], entry["row"]
        assert sid in sources, f"{where}: no corpus source {sid!r}"
        assert not held_back(sid), f"{where}: {sid} is held back; the samples use development sources only"
        row = rows.get((sid, number))
        assert row is not None, f"{where}: {sid} has no row {number}"
        assert skeleton(entry["reply"]) in skeleton(row.text), (
            f"{where}: the reply is not the text of {sid} row {number}:\n  {entry['reply']}\n  {row.text}")
        listed = SOURCES["sources"][sid]
        assert (listed["title"], listed["url"]) == (sources[sid].title, sources[sid].url), sid
    assert set(SOURCES["sources"]) == {e["source"] for e in SOURCES["replies"]}


def test_the_reply_named_is_the_one_at_its_place_in_the_sample():
    log = (SAMPLES / "mail.log").read_text(encoding="utf-8").splitlines()
    dsns = {p.name: {_unfold(b["Final-Recipient"]).split(";", 1)[1].strip(): _unfold(b["Diagnostic-Code"])
                     for b in _recipient_blocks(_dsn(p))} for p in BOUNCES}
    for entry in SOURCES["replies"]:
        where, reply = entry["where"], entry["reply"]
        name, _, place = where.partition(":")
        if name == "mail.log":
            line = log[int(place) - 1]
            assert STATUS_LINE.search(line), where
            assert re.search(r"\((?:host \S+ said: )?" + re.escape(reply) + r"(?: \(in reply to [A-Za-z ]+ command\))?\)$", line), (
                f"{where} does not hold the reply {reply!r}:\n{line}")
        else:
            diagnostic = dsns[name.split("/")[1]][place]
            assert diagnostic.split(";", 1)[1].strip() == reply, f"{where}: Diagnostic-Code is {diagnostic!r}"


def test_every_attempt_in_the_samples_is_listed_in_sources_yaml():
    """No reply in the samples goes unnamed: every status line and every DSN recipient."""
    log = (SAMPLES / "mail.log").read_text(encoding="utf-8").splitlines()
    status_lines = {f"mail.log:{n}" for n, line in enumerate(log, 1) if STATUS_LINE.search(line)}
    recipients = {f"bounces/{p.name}:{_unfold(b['Final-Recipient']).split(';', 1)[1].strip()}"
                  for p in BOUNCES for b in _recipient_blocks(_dsn(p))}
    listed = [e["where"] for e in SOURCES["replies"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == status_lines | recipients


def test_the_skeleton_check_catches_a_changed_reply():
    """The check above fails when a word or a code of a reply differs from its row."""
    _, rows = _corpus()
    row = rows[("postfix-src", 45)]
    good = "550 5.1.1 <ana@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
    assert skeleton(good) in skeleton(row.text)
    assert skeleton(good.replace("5.1.1", "5.1.2")) not in skeleton(row.text)
    assert skeleton(good.replace("unknown", "not found")) not in skeleton(row.text)


# -- no real address, host or IP address -------------------------------------------------


def strays(text: str) -> list[str]:
    """Addresses, host names and IP addresses in ``text`` outside the example domains and
    the documentation ranges.

    >>> strays("to=<a@example.org>, relay=mx.example.net[192.0.2.1]:25 via 2001:db8::1")
    []
    >>> strays("to=<a@gmail.com>, relay=aspmx.l.google.com[142.250.1.26] 2a00:1450::1b")
    ['gmail.com', 'aspmx.l.google.com', '142.250.1.26', '2a00:1450::1b']
    """
    found = [m.group(1) for m in EMAIL.finditer(text) if not EXAMPLE.search(m.group(1).lower())]
    rest = EMAIL.sub(" ", text)
    found += [h for h in HOST.findall(rest) if not EXAMPLE.search(h.lower())]
    for ip in IPV4.findall(text) + [m.group(0) for m in IPV6.finditer(text) if "::" in m.group(0) or m.group(0).count(":") == 7]:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            found.append(ip)
            continue
        if not any(address in net for net in DOC_NETS):
            found.append(ip)
    return found


@pytest.mark.parametrize("path", sorted(p for p in SAMPLES.rglob("*") if p.is_file()), ids=lambda p: p.name)
def test_no_address_or_ip_outside_the_example_domains_and_documentation_ranges(path):
    text = path.read_text(encoding="utf-8")
    if path.name == "SOURCES.yaml":  # the rest names the sample files and the public pages the replies came from
        text = "\n".join(e["reply"] + " " + e["where"].partition(":")[2] for e in SOURCES["replies"])
    assert strays(text) == []


# -- the bounce messages are DSNs ----------------------------------------------------------


def test_there_are_ten_to_twenty_bounces_and_some_have_several_recipients():
    assert 10 <= len(BOUNCES) <= 20
    counts = [len(_recipient_blocks(_dsn(p))) for p in BOUNCES]
    assert sum(c > 1 for c in counts) >= 3


@pytest.mark.parametrize("path", BOUNCES, ids=lambda p: p.name)
def test_each_bounce_is_a_multipart_report_with_a_delivery_status_part(path):
    message = _dsn(path)
    assert message.get_content_type() == "multipart/report"
    assert message.get_param("report-type") == "delivery-status"
    assert str(message["Return-Path"]) == "<>"
    parts = message.get_payload()
    assert [p.get_content_type() for p in parts] == ["text/plain", "message/delivery-status", "text/rfc822-headers"]
    per_message, *blocks = parts[1].get_payload()
    assert per_message["Reporting-MTA"].startswith("dns; ")
    assert len(blocks) == SOURCES["files"][f"bounces/{path.name}"]["recipients"]
    returned = parts[2].get_content()
    for block in blocks:
        recipient = _unfold(block["Final-Recipient"]).split(";", 1)[1].strip()
        action, status = str(block["Action"]), str(block["Status"])
        assert action in {"failed", "delayed"}
        # RFC 3464 §2.3.3: a delayed recipient has a class-4 status, a failed one class 5
        assert re.fullmatch(r"[45]\.[0-9]{1,3}\.[0-9]{1,3}", status) and status[0] == ("4" if action == "delayed" else "5")
        diagnostic = _unfold(block["Diagnostic-Code"])
        assert diagnostic.startswith(("smtp; ", "X-Postfix; "))
        # the status agrees with the reply's class, and with its enhanced code when it has one
        reply = diagnostic.split("; ", 1)[1]
        if re.match(r"[245][0-9][0-9]", reply):
            assert reply[0] == status[0], f"{recipient}: Status {status} for {reply!r}"
        assert recipient in parts[0].get_content() and recipient in returned


# -- the log ---------------------------------------------------------------------------


def test_the_log_is_a_day_of_postfix_with_deliveries_deferrals_and_bounces():
    log = (SAMPLES / "mail.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == SOURCES["files"]["mail.log"]["lines"]
    statuses = [re.search(r" status=(\w+) ", line).group(1) for line in log if STATUS_LINE.search(line)]
    assert len(statuses) == SOURCES["files"]["mail.log"]["status_lines"]
    assert {s: statuses.count(s) > 3 for s in ("sent", "deferred", "bounced")} == {"sent": True, "deferred": True, "bounced": True}
    stamp = re.compile(r"^Dec  4 (\d\d:\d\d:\d\d) mail postfix/(\w+)\[(\d+)\]: ")
    times = [stamp.match(line).group(1) for line in log]
    assert times == sorted(times), "the lines are in time order"
    # a queue id is ten hex digits, and every message that is removed was queued first
    queued = set()
    for line in log:
        m = re.search(r"\]: ([0-9A-F]{10}): (from=|removed)", line)
        if m and m.group(2) == "from=":
            queued.add(m.group(1))
        elif m:
            assert m.group(1) in queued, line


# -- triage reads them: no record lost or doubled -----------------------------------------


def test_triage_finds_one_record_per_status_line_and_per_dsn_recipient():
    log = list(smtpteach.triage(smtpteach.sample_path("mail.log")))
    assert len(log) == SOURCES["files"]["mail.log"]["status_lines"]
    assert {r.kind for r in log} == {"postfix"}
    bounces = list(smtpteach.triage(smtpteach.sample_path("bounces")))
    assert len(bounces) == sum(SOURCES["files"][f"bounces/{p.name}"]["recipients"] for p in BOUNCES)
    assert {r.kind for r in bounces} == {"dsn"}


# -- sample_path -----------------------------------------------------------------------------


def test_sample_path_finds_each_sample_and_names_a_wrong_one():
    assert smtpteach.sample_path("mail.log").read_text(encoding="utf-8") == (SAMPLES / "mail.log").read_text(encoding="utf-8")
    assert sorted(p.name for p in smtpteach.sample_path("bounces").iterdir()) == [p.name for p in BOUNCES]
    with pytest.raises(InvalidArgumentError, match=r"no sample named 'bounce'; the samples are mail\.log, bounces"):
        smtpteach.sample_path("bounce")
    with pytest.raises(InvalidArgumentError, match="no sample named '../facts.yaml'"):
        smtpteach.sample_path("../facts.yaml")
    with pytest.raises(InvalidTypeError, match="a string such as 'mail.log', not PosixPath|not WindowsPath"):
        smtpteach.sample_path(SAMPLES / "mail.log")
    # bytes are no name either: a wrong type, not a sample that is missing
    with pytest.raises(InvalidTypeError, match="a string such as 'mail.log', not bytes"):
        smtpteach.sample_path(b"mail.log")
