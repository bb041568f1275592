"""The triage figures: Postfix log lines a second on one core beside a line-count-only pass
over the same file in the same run, bounce messages a second, and the peak memory of a
triage of a one-million-line log (measured in a fresh process).

``write_postfix_log`` also feeds the memory test in tests/test_triage.py.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# What a day of an outgoing Postfix relay logs, per message: the submission, the queue
# manager, one or two delivery attempts and the removal. The replies are the common ones.
_REPLIES = [
    ("sent", "2.0.0", "250 2.0.0 Ok: queued as {qid2}"),
    ("sent", "2.0.0", "250 2.0.0 OK  1733300000 {qid2} - gsmtp"),
    ("sent", "2.0.0", "250 2.0.0 Ok: queued as {qid2}"),
    ("sent", "2.0.0", "250 Message accepted for delivery"),
    ("bounced", "5.1.1", "host {mx}[198.51.100.{ip}] said: 550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual "
                         "mailbox table (in reply to RCPT TO command)"),
    ("deferred", "4.2.2", "host {mx}[198.51.100.{ip}] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)"),
    ("deferred", "4.7.1", "host {mx}[198.51.100.{ip}] said: 450 4.7.1 <{to}>: Recipient address rejected: Greylisted, "
                          "see http://postgrey.example.org/ (in reply to RCPT TO command)"),
    ("deferred", "4.4.1", "connect to {mx}[198.51.100.{ip}]:25: Connection timed out"),
    ("bounced", "5.7.1", "host {mx}[198.51.100.{ip}] said: 554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked "
                         "using zen.spamhaus.org (in reply to RCPT TO command)"),
    ("bounced", "5.4.4", "Host or domain name not found. Name service error for name={domain} type=A: Host not found"),
]
_DOMAINS = ["example.org", "example.net", "example.com", "bigmail.example", "school.example", "shop.example"]


def _write_log(path: Path | str, lines: int, block: Any) -> int:
    """Write exactly ``lines`` lines, ``block(n)`` giving message n's lines; return how many report an attempt."""
    attempts = written = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < lines:
            n += 1
            for line in block(n)[: lines - written]:
                fh.write(line + "\n")
                written += 1
                attempts += "status=" in line
    return attempts


def _stamp(n: int, host: str) -> str:
    """Message n's syslog time and host: a message a second through the day of December 4."""
    sec = n % 86400
    return f"Dec  4 {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d} {host}"


def write_postfix_log(path: Path | str, lines: int, seed: int = 1) -> int:
    """Write a Postfix log of exactly ``lines`` lines; return how many of them report a delivery
    attempt (a ``status=`` line)."""
    rng = random.Random(seed)

    def block(n: int) -> list[str]:
        qid, stamp = f"{n:010X}", _stamp(n, "mail")
        out = [f"{stamp} postfix/qmgr[1021]: {qid}: from=<user{n % 977}@example.com>, size={1000 + n % 50000}, "
               "nrcpt=1 (queue active)"]
        for _ in range(rng.choice((1, 1, 2))):
            status, dsn, reply = rng.choice(_REPLIES)
            domain = rng.choice(_DOMAINS)
            to = f"r{rng.randrange(100000)}@{domain}"
            mx = f"mx{rng.randrange(3)}.{domain}"
            text = reply.format(qid2=f"{rng.randrange(1 << 40):010X}", mx=mx, ip=rng.randrange(1, 250), to=to, domain=domain)
            relay = "none" if "name=" in text else f"{mx}[198.51.100.{rng.randrange(1, 250)}]:25"
            out.append(f"{stamp} postfix/smtp[{2000 + n % 5000}]: {qid}: to=<{to}>, relay={relay}, delay=1.2, "
                       f"delays=0.1/0.01/0.6/0.5, dsn={dsn}, status={status} ({text})")
        out.append(f"{stamp} postfix/qmgr[1021]: {qid}: removed")
        return out

    return _write_log(path, lines, block)


# A bad day of an outgoing relay (an operator's review measured triage on one): most lines report an attempt, most
# attempts fail, and the replies are the long ones that large providers send, each with a token of its own (a
# session's, a tracking ID) that makes every line's text unique. Written for this benchmark, in the shapes such
# replies take: a multi-line reply run together by Postfix, a help link, a provider's own code in brackets.
_BAD_DAY = [
    ("sent", "2.0.0", "250 2.0.0 OK  {epoch} {token}.{n} - esmtp"),
    ("sent", "2.6.0", "250 2.6.0 <{qid2}@shop.example> [InternalId={n}, Hostname={token}.mail.example] Queued mail "
                      "for delivery"),
    ("bounced", "5.1.1", "host {mx}[198.51.100.{ip}] said: 550-5.1.1 The mailbox you wrote to does not exist here. "
                         "Check the address for 550-5.1.1 typing mistakes or extra spaces. Help: 550 5.1.1  "
                         "https://help.mail.example/?p=NoSuchUser {token}.{n} - esmtp (in reply to RCPT TO command)"),
    ("deferred", "4.7.28", "host {mx}[198.51.100.{ip}] said: 421-4.7.28 Unusually many messages came from your IP "
                           "address [203.0.113.{ip}] and 421-4.7.28 they have been rate limited for now. Help: "
                           "421 4.7.28  https://help.mail.example/?p=RateLimit {token}.{n} - esmtp (in reply to end of "
                           "DATA command)"),
    ("bounced", "5.7.1", "host {mx}[198.51.100.{ip}] said: 550 5.7.1 Messages from [203.0.113.{ip}] were not accepted: "
                         "part of your provider's network is on our block list (S{n4}). Ask your provider to see "
                         "https://postmaster.mail.example. [{token}.prod.mail.example {epoch}] (in reply to MAIL FROM "
                         "command)"),
    ("deferred", "4.7.0", "host {mx}[198.51.100.{ip}] said: 421 4.7.0 [TSS04] Messages from 203.0.113.{ip} are "
                          "deferred for now because of user complaints - 4.16.55.{n4}; see "
                          "https://postmaster.mail.example/error-codes (in reply to MAIL FROM command)"),
    ("deferred", "4.2.2", "host {mx}[198.51.100.{ip}] said: 452-4.2.2 The recipient's inbox has no storage space "
                          "left. Please ask 452-4.2.2 the recipient to see 452 4.2.2  "
                          "https://help.mail.example/?p=OverQuota {token}.{n} - esmtp (in reply to RCPT TO command)"),
    ("bounced", "5.7.26", "host {mx}[198.51.100.{ip}] said: 550-5.7.26 This message is not authenticated: the sender's "
                          "domain has a DMARC policy 550-5.7.26 of reject and neither SPF nor DKIM passed. 550 5.7.26  "
                          "https://help.mail.example/?p=DmarcReject {token}.{n} - esmtp (in reply to end of DATA "
                          "command)"),
    ("deferred", "4.4.1", "connect to {mx}[198.51.100.{ip}]:25: Connection timed out"),
    ("deferred", "4.4.2", "lost connection with {mx}[198.51.100.{ip}] while receiving the initial server greeting"),
    ("bounced", "5.4.4", "Host or domain name not found. Name service error for name={domain} type=MX: Host not found, "
                         "try again"),
]


def write_bad_day_log(path: Path | str, lines: int, seed: int = 1) -> int:
    """Write a Postfix log of exactly ``lines`` lines of a bad day (``_BAD_DAY``: four in five lines a delivery
    attempt, most of them failures, every reply's text unique); return how many lines report an attempt."""
    rng = random.Random(seed)

    def block(n: int) -> list[str]:
        qid, stamp = f"{n:010X}", _stamp(n, "relay")
        out = [f"{stamp} postfix/qmgr[1021]: {qid}: from=<news{n % 97}@shop.example>, size={2000 + n % 90000}, "
               "nrcpt=4 (queue active)"]
        for _ in range(4):
            status, dsn, reply = rng.choice(_BAD_DAY)
            domain = rng.choice(_DOMAINS)
            mx = f"mx{rng.randrange(4)}.{domain}"
            text = reply.format(mx=mx, ip=rng.randrange(1, 250), domain=domain, n=rng.randrange(10**6),
                                n4=rng.randrange(3000, 4000), epoch=1733300000 + n, qid2=f"{rng.randrange(1 << 40):010X}",
                                token=f"{rng.randrange(1 << 48):012x}-{rng.randrange(1 << 32):08x}")
            relay = "none" if "name=" in text else f"{mx}[198.51.100.{rng.randrange(1, 250)}]:25"
            out.append(f"{stamp} postfix/smtp[{2000 + n % 5000}]: {qid}: to=<r{rng.randrange(10**6)}@{domain}>, "
                       f"relay={relay}, delay=3.1, delays=0.1/0.01/1.6/1.4, dsn={dsn}, status={status} ({text})")
        return out

    return _write_log(path, lines, block)


def _count_lines(path: Path) -> int:
    """The baseline: read the same file line by line, as text, and count the lines."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return sum(1 for _ in fh)


def _triage_all(path: Path) -> int:
    import smtpteach

    t = smtpteach.triage(str(path))
    return sum(1 for _ in t)


_PEAK = """
import json, sys, tracemalloc
import smtpteach
smtpteach.triage(["550 5.1.1 x", "550-5.1.1 x"]).summary()  # the package's data, loaded once whatever the input (a multi-line reply's first line builds the record rules)
tracemalloc.start()
t = smtpteach.triage(sys.argv[1])
s = t.summary()
peak = tracemalloc.get_traced_memory()[1]
import resource
print(json.dumps({"records": s.records, "peak": peak, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

_BASE_RSS = """
import json, resource
import smtpteach
smtpteach.triage(["550 5.1.1 x", "550-5.1.1 x"]).summary()
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def triage_figures(smoke: bool = False) -> Iterator[dict[str, Any]]:
    from .figures import _one_core, result

    lines = 2_000 if smoke else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "mail.log"
        attempts = write_postfix_log(log, lines)
        with _one_core():
            _triage_all(log)  # warm: the rules and the catalogue are loaded
            best = {"ours": float("inf"), "base": float("inf")}
            # CPU time of this process: the machine may be shared, and a pass waits for nothing but the CPU
            # (the file is in the page cache after the warm-up)
            for _ in range(1 if smoke else 3):  # interleaved, best of each
                start = time.process_time()
                got = _triage_all(log)
                best["ours"] = min(best["ours"], time.process_time() - start)
                start = time.process_time()
                _count_lines(log)
                best["base"] = min(best["base"], time.process_time() - start)
        assert got == attempts, (got, attempts)
        ours, base = lines / best["ours"], lines / best["base"]
        yield result("triage Postfix log lines/s", ours, base, "/s", ">= 50000 /s", ours >= 50_000,
                     f"{lines} generated lines, {attempts} of them delivery attempts; baseline: counting the lines of the "
                     f"same file; one core, CPU time, best of {1 if smoke else 3}", smoke, used=50_000 / ours)

        # a bad day: long, unique failing replies; beside the same triage with explain()'s reasons not remembered
        # (MEMO_SIZE 0), in the same process, interleaved: what the memo of wordings buys where it matters most
        from smtpteach._triage import _base

        bad = Path(tmp) / "bad-day.log"
        bad_attempts = write_bad_day_log(bad, lines)
        kept = _base.MEMO_SIZE
        best = {"memo": float("inf"), "none": float("inf")}
        try:
            with _one_core():
                for _ in range(1 if smoke else 3):
                    for mode in ("memo", "none"):
                        _base.MEMO_SIZE = kept if mode == "memo" else 0
                        start = time.process_time()
                        got = _triage_all(bad)
                        best[mode] = min(best[mode], time.process_time() - start)
        finally:
            _base.MEMO_SIZE = kept
        assert got == bad_attempts, (got, bad_attempts)
        yield result("triage of a bad day, lines/s", lines / best["memo"], lines / best["none"], "/s", "reported only", None,
                     f"{lines} generated lines of a relay's bad day, {bad_attempts} of them delivery attempts, most failing "
                     "with long replies each unique; baseline: the same triage with no reason remembered; one core, CPU "
                     f"time, best of {1 if smoke else 3}", smoke)

        # bounce messages: a folder of DSNs
        folder = Path(tmp) / "bounces"
        folder.mkdir()
        messages = 50 if smoke else 2_000
        samples = sorted((ROOT / "smtpteach" / "data" / "samples" / "bounces").glob("*.eml")) or \
            sorted((ROOT / "tests" / "data" / "triage").glob("*.eml"))
        bodies = [p.read_bytes() for p in samples]
        for i in range(messages):
            (folder / f"{i:05d}.eml").write_bytes(bodies[i % len(bodies)])
        import smtpteach

        with _one_core():
            start = time.process_time()
            records = sum(1 for _ in smtpteach.triage(str(folder)))
            took = time.process_time() - start
        yield result("triage bounce messages/s", messages / took, None, "/s", "reported only", None,
                     f"{messages} DSN files ({len(bodies)} distinct samples), {records} recipient records; one core, "
                     "CPU time", smoke)

        # peak memory on a one-million-line log, in a fresh process
        big = 20_000 if smoke else 1_000_000
        write_postfix_log(log, big)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        out = json.loads(subprocess.run([sys.executable, "-c", _PEAK, str(log)], capture_output=True, text=True,
                                        check=True, env=env).stdout)
        base_rss = json.loads(subprocess.run([sys.executable, "-c", _BASE_RSS], capture_output=True, text=True,
                                             check=True, env=env).stdout)
        mib = out["peak"] / 2**20
        yield result("triage peak memory, 1M lines (MiB)" if not smoke else "triage peak memory (MiB)", mib, None, "MiB",
                     "reported only", None,
                     f"tracemalloc peak over a triage and summary of {big} generated Postfix lines ({out['records']} "
                     "attempts; the package's data loaded before); "
                     f"max RSS {out['maxrss_kb'] / 1024:.0f} MiB against {base_rss['maxrss_kb'] / 1024:.0f} MiB "
                     "for the same process triaging one line", smoke)
