"""Build the sample files that ship with smtpteach, from the corpus of real replies.

    python tools/make_samples.py           # (re)write smtpteach/data/samples/
    python tools/make_samples.py --check   # exit 1 if the files differ from what it would write

Two samples, for the lesson and the how-to "Triage a day of bounces":

* ``mail.log``: one day (Friday 4 December) of the outgoing Postfix server of a small
  site, ``mail.example.com``: deliveries, deferrals and bounces, with queue ids, times
  and Postfix's retry intervals;
* ``bounces/``: a folder of bounce messages (RFC 3464 ``multipart/report`` with a
  ``message/delivery-status`` part), the ones that reached the site newsletter's
  bounce address that day, some about several recipients.

Every reply a server gives in them, and every note Postfix writes about a connection
or a DNS lookup, is the text of one row of ``tests/data/corpus/``, taken only from the
development part of the corpus (``tests/_corpus.py``: a held-back source is never used).
Only addresses, host names, IP addresses and queue ids are changed: every address and
host becomes an example domain (RFC 2606), every IP address a documentation address
(RFC 5737, RFC 3849). ``SOURCES.yaml`` names the corpus row of every reply, with its
source's title and address. The rest (times, queue ids, who sends to whom) comes from a
seeded random generator, so the same corpus gives the same bytes.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests._corpus import Row, load  # noqa: E402

OUT = ROOT / "smtpteach" / "data" / "samples"
SEED = 20261204

# -- the site ---------------------------------------------------------------------
SITE = "example.com"
MTA = "mail.example.com"          # the site's outgoing Postfix server
SYSLOG_HOST = "mail"
OUR_IP = "203.0.113.25"           # its public address, as receiving servers see it
MAILSTORE = ("mailstore.example.com", "192.0.2.10")  # where the site's own mailboxes live
OFFICE = "192.0.2.45"             # the office's address, where people submit mail from
WEBAPP = ("web.example.com", "192.0.2.80")            # the shop's web application
DAY = datetime(2026, 12, 4)
USERS = ["anna", "binh", "chi", "dung", "giang", "hoa", "khanh", "lan", "minh", "nam", "phuong", "quang",
         "thao", "tuan", "van"]
PEOPLE = ["alex", "bea", "carlos", "dana", "eli", "farah", "gus", "hana", "ivo", "jun", "kai", "lea", "mo",
          "nia", "omar", "pia", "raj", "sam", "tia", "uma", "vic", "wen", "yan", "zoe"]

# receiving domains: their MX host, its address, and the corpus row of the "250" it gives
DOMAINS = {
    "bigmail.example": ("mx1.bigmail.example", "198.51.100.30", "ok-dirdel"),
    "example.net": ("mx.example.net", "198.51.100.10", "ok-queued"),
    "example.org": ("mx1.example.org", "198.51.100.20", "ok-queued"),
    "partner.example": ("smtp.partner.example", "198.51.100.40", "ok-exim"),
    "school.example": ("mx.school.example", "198.51.100.50", "ok-queued"),
    "shop.example": ("mx.shop.example", "198.51.100.60", "ok-sparkpost"),
    "isp.example": ("mx.isp.example", "203.0.113.70", "ok-queued"),
    "city.example": ("mx.city.example", "203.0.113.80", "ok-queued"),
}

# -- the corpus rows used, by a name of our own ------------------------------------
# (source id, row number in its file, words it holds); the row is checked for the words,
# so that an edit of the corpus cannot silently swap a sample's reply
PICKS = {
    # what receiving servers answer when they take a message
    "ok-queued": ("postfix-src", 71, "7E2F31C0D9: to=<user@example.net>"),
    "ok-dirdel": ("yahoo-help", 8, "250 ok dirdel"),
    "ok-exim": ("n8n-issues", 2, '"response": "250 OK id='),
    "ok-sparkpost": ("sparkpost-help", 11, "250 2.0.0 OK 95/6F"),
    # the log's failures
    "gmail-nouser": ("gmail-help", 33, "550 5.1.1 The email account that you tried to reach does not exist."),
    "postfix-nouser": ("postfix-src", 45, "host mx.example.net[192.0.2.10] said: 550 5.1.1"),
    "sendmail-nouser": ("sendmail-src", 17, "550 5.1.1 <nobody@example.com>... User unknown"),
    "chasquid-nouser": ("chasquid-src", 1, "550 5.1.1 Destination address is unknown"),
    "gmail-disabled": ("gmail-help", 92, "550 5.2.1 The email account that you tried to reach is disabled."),
    "gmail-overquota": ("gmail-help", 94, "452 4.2.2 The email account that you tried to reach is over quota."),
    "greylisted": ("haraka-src", 47, "451 4.7.1 Greylisted. Please come back later."),
    "zen": ("docker-mailserver-issues", 6, "550 5.7.1 Service unavailable; client [192.0.2.33] blocked using zen"),
    "spamcop": ("postfix-src", 41, "550 5.7.1 Service unavailable; client [192.0.2.45] blocked using bl.spamcop.net"),
    "too-much-mail": ("postfix-src", 29, "450 4.7.1 Error: too much mail from"),
    "timed-out": ("postfix-src", 61, "9B1C21C0B7: to=<user@example.net>, relay=none"),
    "greeting-lost": ("postfix-src", 52, "lost connection with mx.example.net[192.0.2.10] while receiving"),
    "nxdomain": ("postfix-src", 59, "3F2A41C0A2: to=<user@example.net>, relay=none, delay=0.35"),
    "dns-tempfail": ("postfix-src", 60, "3F2A41C0A2: to=<user@example.net>, relay=none, delay=12"),
    "dmarc": ("gmail-help", 84, "550 5.7.26 Unauthenticated email from example.com is not accepted"),
    "spam": ("email-bounce-parser-tests", 62, "<agent@example.com>: host mx9.emailprivate.com"),
    "too-big": ("kopano-docker-issues", 1, "552 5.3.4 Message size exceeds fixed limit"),
    "temp-problem": ("gmail-help", 7, "421 4.3.0 Temporary System Problem."),
    # the bounce messages' diagnostics
    "maddy-nouser": ("maddy-src", 1, "550 5.1.1 User doesn't exist"),
    "virtual-nouser": ("mailcow-issues", 3, "550 5.1.1 <user@example.net>: Recipient address rejected: User unknown in virtual"),
    "fastmail-nouser": ("fastmail-help", 1, "550 5.1.1 Recipient address rejected: User unknown in virtual mailbox table"),
    "deactivated": ("mail-deliverystatus-bounceparser-tests", 51, "551 <recipient@example.net> is a deactivated mailbox"),
    "sendmail-full": ("sendmail-src", 19, "450 4.2.2 <user@example.com>... mailbox full"),
    "gmail-inbox-full": ("mailcow-issues", 17, "to=<user@gmail.com>, relay=gmail-smtp-in.l.google.com"),
    "gmail-disabled-id": ("mail-deliverystatus-bounceparser-tests", 69, "<recipient@example.net>: host aspmx.l.google.com"),
    "exchange-notfound": ("usbutils-issues", 1, "<user@example.ch>: host mc4.ethz.ch[192.0.2.12] said: 550-Callout"),
    "unknown-user": ("flufl-bounce-tests", 17, "550 unknown user <recipient@example.com>"),
    "no-such-user": ("flufl-bounce-tests", 30, "550 recipient@example.com... No such user"),
    "looks-like-spam": ("mail-deliverystatus-bounceparser-tests", 19, "554 5.7.1 554 5.7.1 Your email appears similar"),
    "databytes": ("notqmail-src", 3, "552 sorry, that message size exceeds my databytes limit"),
    "message-timeout": ("sparkpost-help", 8, "554 5.4.7 [internal] message timeout"),
    "zen-521": ("postfix-src", 40, "521 5.7.1 Service unavailable; client [192.0.2.44] blocked using zen"),
    "gmail-rate": ("gmail-help", 26, "421 4.7.28 Gmail has detected an unusual rate of email."),
    "dmarc-maddy": ("maddy-src", 24, "550 5.7.1 DMARC check failed"),
    "host-unknown": ("mail-deliverystatus-bounceparser-tests", 70, "550 5.1.2 <recipient@example.invalid>... Host unknown"),
    "gmail-full-inactive": ("gmail-help", 39, "552 5.2.2 The recipient's inbox is out of storage space and inactive."),
}

# -- reading a reply out of a corpus row --------------------------------------------
REPLY = re.compile(r"^[245][0-9][0-9](?:[ -]|$)")
OWN_NOTE = re.compile(r"^(?:connect to |lost connection with |conversation with |Host or domain name not found)")


def reply_of(text: str) -> str:
    """The reply (or Postfix's own note) in a corpus row, on one line: a log line's
    ``status=... (...)`` part, after ``said:``, without Postfix's "(in reply to ...)";
    a JSON field's value; continuation lines joined with single spaces."""
    t = " ".join(text.split())
    m = re.search(r"status=(?:sent|deferred|bounced) \((.*)\)$", t)
    if m:
        t = m.group(1)
    m = re.search(r"\bsaid: (.*)$", t)
    if m:
        t = m.group(1)
    m = re.fullmatch(r'"response": "(.*)",?', t)
    if m:
        t = m.group(1)
    t = re.sub(r"\s*\(in reply to [A-Za-z ]+ command\)$", "", t)
    if not (REPLY.match(t) or OWN_NOTE.match(t)):
        raise SystemExit(f"make_samples: no reply found in the corpus row {text[:80]!r}")
    return t


def in_reply_to(text: str) -> str | None:
    m = re.search(r"\(in reply to ([A-Za-z ]+) command\)", " ".join(text.split()))
    return m.group(1) if m else None


# -- addresses, hosts and IP addresses -----------------------------------------------
EMAIL = re.compile(r"[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+[A-Za-z]")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?![\w:])")
HOST = re.compile(r"(?<![\w.@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[a-z]{2,24}(?!\w|[.-]\w)")
EXAMPLE = re.compile(r"(?:^|\.)example(?:\.[a-z]{2,3}){0,2}$|(?:^|\.)invalid$")


def is_example(host: str) -> bool:
    return bool(EXAMPLE.search(host.lower().rstrip(".")))


def example_host(host: str) -> str:
    """A real host name as an example one: its registered domain becomes NAME.example
    (``aspmx.l.google.com`` is ``aspmx.l.google.example``)."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "ne", "or", "ac", "net", "org"} else 2
    return ".".join(labels[:-keep] + [labels[-keep], "example"])


@dataclass
class Parties:
    """Who a reply is about: the recipient, the sender, and the server that answered."""

    recipient: str
    sender: str
    relay: tuple[str, str]  # host name, address
    domain: str


def anonymise(reply: str, p: Parties) -> str:
    """The reply with every address, host and IP address replaced: an address that names
    a sender by its local part is the sender's, any other the recipient's; an IP address
    after a host name (``host[ip]``) is the answering server's, any other the site's own."""
    def address(m: re.Match) -> str:
        local = m.group(0).rsplit("@", 1)[0].lower()
        return p.sender if "sender" in local else p.recipient

    out = EMAIL.sub(address, reply)
    out = re.sub(r"\b(name=)([A-Za-z0-9.-]+)", lambda m: m.group(1) + p.domain, out)
    # a host with its address: "connect to mx.example.net[192.0.2.10]:25"
    out = re.sub(r"(?<![\w.-])[A-Za-z0-9.-]+\[[0-9a-fA-F.:]+\]", f"{p.relay[0]}[{p.relay[1]}]", out)
    out = IPV6.sub(lambda m: OUR_IP if "::" in m.group(0) or m.group(0).count(":") == 7 else m.group(0), out)
    out = IPV4.sub(lambda m: m.group(0) if m.group(0) == p.relay[1] else OUR_IP, out)
    out = HOST.sub(lambda m: m.group(0) if is_example(m.group(0)) else example_host(m.group(0)), out)
    return out


# -- queue ids, times, log lines -------------------------------------------------------
@dataclass
class Used:
    """One use of a corpus row in a sample: where, and the reply as written there."""

    where: str
    name: str
    reply: str


@dataclass
class Day:
    rng: random.Random
    rows: dict[str, Row]
    lines: list[tuple[datetime, int, str]] = field(default_factory=list)
    used: list[Used] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    seq: int = 0
    processes: int = 0

    def queue_id(self) -> str:
        while True:
            qid = "".join(self.rng.choice("0123456789ABCDEF") for _ in range(10))
            if qid not in self.ids:
                self.ids.add(qid)
                return qid

    def next_pid(self) -> str:
        """A new process, named until the lines are in time order: then it gets its number."""
        self.processes += 1
        return f"<pid{self.processes}>"

    def log(self, when: datetime, program: str, text: str, pid: int | str | None = None) -> None:
        self.seq += 1
        stamp = f"{when:%b} {when.day:2d} {when:%H:%M:%S}"
        self.lines.append((when, self.seq, f"{stamp} {SYSLOG_HOST} postfix/{program}[{pid or self.next_pid()}]: {text}"))

    def number_processes(self) -> None:
        """Process ids that grow through the day, as the kernel hands them out."""
        numbers: dict[str, int] = {}
        pid = 20311
        for i, (when, seq, line) in enumerate(self.lines):
            m = re.search(r"\[(<pid[0-9]+>)\]", line)
            if m:
                if m.group(1) not in numbers:
                    pid += self.rng.randint(1, 9)
                    numbers[m.group(1)] = pid
                self.lines[i] = (when, seq, line.replace(m.group(1), str(numbers[m.group(1)])))

    def reply(self, name: str, p: Parties) -> str:
        text = anonymise(reply_of(self.rows[name].text), p)
        if name == "ok-queued":
            text = re.sub(r"queued as [0-9A-F]+", f"queued as {self.queue_id()}", text)
        elif name == "ok-exim":
            text = re.sub(r"id=\S+", "id=" + exim_id(self.rng), text)
        return text


def exim_id(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    pick = lambda n: "".join(rng.choice(chars) for _ in range(n))  # noqa: E731
    return f"1w{pick(4)}-{pick(11)}-{pick(4)}"


def seconds(x: float) -> str:
    return f"{x:.2g}" if x < 10 else str(int(x))


@dataclass
class Attempt:
    status: str        # sent, deferred or bounced
    reply: str | None  # a PICKS name; None for the receiving domain's own "250"


@dataclass
class Message:
    at: str                              # "HH:MM:SS", arrival
    sender: str
    recipients: list[tuple[str, list[Attempt]]]
    size: int = 0
    client: tuple[str, str] | None = ("unknown", OFFICE)  # None: a local command, through pickup


# Postfix's backoff (postconf(5)): the first retry after minimal_backoff_time, each wait
# then doubled up to maximal_backoff_time, at the next queue run (queue_run_delay)
def backoff(k: int) -> float:
    return min(300 * 2 ** (k - 1), 4000)


COMMAND = {"gmail-nouser": "RCPT TO", "postfix-nouser": "RCPT TO", "sendmail-nouser": "RCPT TO",
           "chasquid-nouser": "RCPT TO", "gmail-disabled": "RCPT TO", "gmail-overquota": "RCPT TO",
           "greylisted": "RCPT TO", "zen": "RCPT TO", "spamcop": "RCPT TO", "too-much-mail": "RCPT TO",
           "dmarc": "end of DATA", "too-big": "MAIL FROM", "temp-problem": "MAIL FROM"}


def write_message(day: Day, msg: Message) -> None:
    rng = day.rng
    t0 = DAY + timedelta(hours=int(msg.at[:2]), minutes=int(msg.at[3:5]), seconds=int(msg.at[6:]))
    qid = day.queue_id()
    size = msg.size or rng.randint(1800, 48000)
    smtpd = day.next_pid()
    if msg.client is None:
        day.log(t0 + timedelta(seconds=0.4), "pickup", f"{qid}: uid=0 from=<{msg.sender.split('@')[0]}>", 1033)
    else:
        host, ip = msg.client
        day.log(t0, "smtpd", f"connect from {host}[{ip}]", smtpd)
        login = msg.sender.split("@")[0]
        auth = f", sasl_method=PLAIN, sasl_username={login}" if ip == OFFICE else ""
        day.log(t0 + timedelta(seconds=0.4), "smtpd", f"{qid}: client={host}[{ip}]{auth}", smtpd)
    stamp = f"{t0:%Y%m%d%H%M%S}"
    day.log(t0 + timedelta(seconds=0.6), "cleanup", f"{qid}: message-id=<{stamp}.{qid.lower()}@{SITE}>")
    n_rcpt = len(msg.recipients)
    day.log(t0 + timedelta(seconds=0.7), "qmgr", f"{qid}: from=<{msg.sender}>, size={size}, nrcpt={n_rcpt} (queue active)", 1021)
    if msg.client is not None:
        day.log(t0 + timedelta(seconds=0.9), "smtpd",
                f"disconnect from {host}[{ip}] ehlo=2 starttls=1{' auth=1' if auth else ''} mail=1 rcpt={n_rcpt} data=1 "
                f"quit=1 commands={6 + n_rcpt + (1 if auth else 0)}", smtpd)
    last = t0
    bounced = False
    open_at_midnight = False
    for recipient, attempts in msg.recipients:
        domain = recipient.split("@")[1]
        mx, mx_ip, ok = DOMAINS.get(domain, (None, None, None))
        when = t0 + timedelta(seconds=1 + rng.random())
        for k, attempt in enumerate(attempts):
            if k:
                when += timedelta(seconds=backoff(k) + rng.uniform(0, 300))  # the next queue run
            name = attempt.reply or ok
            p = Parties(recipient, msg.sender, (mx or "none", mx_ip or ""), domain)
            text = day.reply(name, p)
            own_note = OWN_NOTE.match(text) is not None
            # seconds to connect (Postfix's 30 s smtp_connect_timeout for a timeout) and to send
            connect = 0 if text.startswith("Host") else 30 if "timed out" in text else rng.uniform(0.1, 1.4)
            sending = 0 if own_note else rng.uniform(0.05, 0.9)
            waited = (when - t0).total_seconds()
            when += timedelta(seconds=connect + sending)  # Postfix logs an attempt when it ends
            if when.date() != DAY.date():
                open_at_midnight = True
                break
            age = (when - t0).total_seconds()
            relay = "none" if (own_note and not text.startswith("lost connection")) else f"{mx}[{mx_ip}]:25"
            dsn = dsn_of(text, attempt.status)
            if own_note or attempt.status == "sent":
                why = text  # Postfix writes a 250 and its own notes without "host ... said:"
            else:
                command = in_reply_to(day.rows[name].text) or COMMAND.get(name, "RCPT TO")
                why = f"host {mx}[{mx_ip}] said: {text} (in reply to {command} command)"
            day.log(when, "smtp",
                    f"{qid}: to=<{recipient}>, relay={relay}, delay={seconds(age + 0.01)}, "
                    f"delays={seconds(waited)}/{rng.uniform(0, 0.09):.2g}/{seconds(connect)}/{seconds(sending)}, "
                    f"dsn={dsn}, status={attempt.status} ({why})")
            day.used.append(Used(f"mail.log:{day.seq}", name, text))
            bounced = bounced or attempt.status == "bounced"
            if attempt.status == "deferred" and k == len(attempts) - 1:
                open_at_midnight = True
        last = max(last, when)
    if bounced:
        notice = day.queue_id()
        at = last + timedelta(seconds=0.2)
        day.log(at, "bounce", f"{qid}: sender non-delivery notification: {notice}")
        day.log(at + timedelta(seconds=0.1), "cleanup", f"{notice}: message-id=<{at:%Y%m%d%H%M%S}.{notice.lower()}@{MTA}>")
        day.log(at + timedelta(seconds=0.2), "qmgr", f"{notice}: from=<>, size={3000 + size // 10}, nrcpt=1 (queue active)", 1021)
        p = Parties(msg.sender, "", MAILSTORE, SITE)
        text = day.reply("ok-queued", p)
        day.log(at + timedelta(seconds=0.5), "smtp",
                f"{notice}: to=<{msg.sender}>, relay={MAILSTORE[0]}[{MAILSTORE[1]}]:25, delay=0.31, "
                f"delays=0.01/0.01/0.12/0.17, dsn=2.0.0, status=sent ({text})")
        day.used.append(Used(f"mail.log:{day.seq}", "ok-queued", text))
        day.log(at + timedelta(seconds=0.6), "qmgr", f"{notice}: removed", 1021)
    if not open_at_midnight:
        day.log(last + timedelta(seconds=0.7), "qmgr", f"{qid}: removed", 1021)


def dsn_of(text: str, status: str) -> str:
    """Postfix's dsn= for a reply: its enhanced code, else the class's X.0.0 (X.4.x for
    connections and DNS, as Postfix writes them)."""
    m = re.match(r"^[245][0-9][0-9][ -]([245]\.[0-9]{1,3}\.[0-9]{1,3})\b", text)
    if m:
        return m.group(1)
    first = {"sent": "2", "deferred": "4", "bounced": "5"}[status]
    if text.startswith("Host or domain name not found"):
        return f"{first}.4.4" if first == "5" else "4.4.3"
    if OWN_NOTE.match(text):
        return "4.4.2" if text.startswith(("lost", "conversation")) else "4.4.1"
    return f"{first}.0.0"


def plan(rng: random.Random) -> list[Message]:
    """The day: the messages that tell its story, then ordinary mail around them."""
    A = Attempt
    S = A("sent", None)
    people = iter(rng.sample(PEOPLE, len(PEOPLE)))

    def to(domain: str) -> str:
        return f"{next(people, rng.choice(PEOPLE))}.{rng.choice('abcdefghklmnpt')}@{domain}"

    def user(name: str) -> str:
        return f"{name}@{SITE}"

    shop = ("web.example.com", WEBAPP[1])
    story = [
        # a typo in a domain: no such domain, bounced at once
        Message("08:03:11", user("anna"), [("alex@bigmial.example", [A("bounced", "nxdomain")])]),
        # a partner's MX hangs up on the greeting once, then takes it
        Message("08:20:45", user("binh"), [(to("partner.example"), [A("deferred", "greeting-lost"), S])]),
        # the city's MX is down all day: deferred, retried, never delivered today
        Message("09:02:17", user("chi"), [(to("city.example"), [A("deferred", "timed-out")] * 9)]),
        # users who do not exist
        Message("09:15:02", user("dung"), [(to("bigmail.example"), [A("bounced", "gmail-nouser")]),
                                           (to("bigmail.example"), [S])]),
        Message("09:41:30", user("giang"), [(to("example.net"), [A("bounced", "postfix-nouser")])]),
        # greylisting: deferred once, delivered at the next try
        Message("10:05:55", user("hoa"), [(to("school.example"), [A("deferred", "greylisted"), S])]),
        # a full mailbox: deferred again and again
        Message("10:30:12", user("khanh"), [(to("bigmail.example"), [A("deferred", "gmail-overquota")] * 8)]),
        Message("10:52:40", user("lan"), [(to("partner.example"), [A("bounced", "sendmail-nouser")]),
                                          (to("partner.example"), [S])]),
        # a message too big for the receiving server
        Message("11:10:03", user("minh"), [(to("partner.example"), [A("bounced", "too-big")])], size=31457280),
        # the shop's web application sends as example.com without DKIM: DMARC refuses it
        Message("11:32:26", f"noreply@{SITE}", [(to("bigmail.example"), [A("bounced", "dmarc")])], client=shop),
        Message("11:58:49", user("nam"), [(to("school.example"), [A("bounced", "chasquid-nouser")])]),
        # a provider's temporary problem
        Message("12:20:31", user("phuong"), [(to("bigmail.example"), [A("deferred", "temp-problem"), S]),
                                             (to("example.org"), [S])]),
        Message("12:44:08", f"noreply@{SITE}", [(to("bigmail.example"), [A("bounced", "dmarc")])], client=shop),
        # the newsletter: example.org's server limits how much mail it takes from one sender
        Message("13:00:00", f"sales@{SITE}", [(to("example.org"), [S]) for _ in range(4)]
                + [(to("example.org"), [A("deferred", "too-much-mail"), S]) for _ in range(3)], size=24810),
        Message("13:27:52", user("quang"), [(to("bigmail.example"), [A("bounced", "gmail-disabled")])]),
        # the DNS lookup fails for a while
        Message("13:48:19", user("thao"), [(to("school.example"), [A("deferred", "dns-tempfail"), S])]),
        # from mid-afternoon, the site's address is on a blocklist
        Message("14:35:44", user("tuan"), [(to("isp.example"), [A("bounced", "zen")])]),
        Message("15:02:09", user("van"), [(to("isp.example"), [A("bounced", "zen")]), (to("example.org"), [S])]),
        Message("15:40:37", user("anna"), [(to("partner.example"), [A("bounced", "spamcop")])]),
        Message("16:12:55", user("binh"), [(to("isp.example"), [A("bounced", "zen")])]),
        Message("16:30:14", user("chi"), [(to("shop.example"), [A("bounced", "spam")])]),
        Message("17:05:41", user("dung"), [(to("city.example"), [A("deferred", "timed-out")] * 4)]),
        Message("17:46:03", f"noreply@{SITE}", [(to("bigmail.example"), [A("bounced", "dmarc")])], client=shop),
    ]
    # ordinary mail: delivered at the first attempt
    ordinary = []
    senders = [user(u) for u in USERS]
    domains = ["bigmail.example"] * 5 + ["example.net", "example.org", "partner.example", "school.example",
                                         "shop.example", "isp.example"] * 2
    for _ in range(38):
        minute = rng.randint(7 * 60 + 30, 19 * 60 + 30)
        at = f"{minute // 60:02d}:{minute % 60:02d}:{rng.randint(0, 59):02d}"
        # once the site is on the blocklist (14:35), isp.example takes nothing from it
        open_to = [d for d in domains if minute < 14 * 60 + 30 or d != "isp.example"]
        recipients = [(to(rng.choice(open_to)), [S]) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
        ordinary.append(Message(at, rng.choice(senders), recipients))
    # the night: the server's own report, handed over by the sendmail command (pickup)
    ordinary.append(Message("03:00:02", f"root@{MTA}", [("ops@example.net", [S])], client=None))
    return story + ordinary


# -- bounce messages --------------------------------------------------------------
@dataclass
class Failure:
    recipient: str
    name: str                  # a PICKS name
    remote: str | None = None  # Remote-MTA; None when the reporting server gave up on its own


@dataclass
class Bounce:
    at: str
    reporter: str              # the reporting MTA
    style: str                 # how its human part and subject read
    failures: list[Failure]
    sent: str = "13:00:00"


NEWS_FROM = f"news@{SITE}"
NEWS_RETURN = f"news-bounces@{SITE}"

STYLES = {
    "postfix": ("Undelivered Mail Returned to Sender", "Mail Delivery System"),
    "delay": ("Delayed Mail (still being retried)", "Mail Delivery System"),
    "provider": ("Delivery Status Notification (Failure)", "Mail Delivery Subsystem"),
    "provider-delay": ("Delivery Status Notification (Delay)", "Mail Delivery Subsystem"),
    "exim": ("Mail delivery failed: returning message to sender", "Mail Delivery System"),
    "sendmail": ("Returned mail: see transcript for details", "Mail Delivery Subsystem"),
}


def human_part(b: Bounce, failures: list[tuple[Failure, str]]) -> str:
    """The part for people: our own wording, the same facts as the report."""
    delayed = b.style.endswith("delay")
    lines = [f"This report was written by the mail server {b.reporter}.", ""]
    if delayed:
        lines += ["Your message has not been delivered yet to the recipients below. The server",
                  "keeps it and tries again; you do not need to send it again.", ""]
    else:
        lines += ["Your message could not be delivered to the recipients below. The server has",
                  "given up on them and will not try again.", ""]
    for f, text in failures:
        lines.append(f"<{f.recipient}>:")
        who = f"{f.remote} answered:" if f.remote else "the server noted:"
        lines += textwrap.wrap(f"{who} {text}", 72, initial_indent="    ", subsequent_indent="    ")
        lines.append("")
    return "\n".join(lines)


def fold(name: str, value: str, width: int = 76) -> str:
    """A header field folded at spaces (RFC 5322 §2.2.3)."""
    words = value.split(" ")
    lines, line = [], f"{name}: "
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip() and not line.endswith(": "):
            lines.append(line.rstrip())
            line = "    " + w + " "
        else:
            line += w + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def status_of(text: str) -> str:
    """The DSN Status for a reply: the first enhanced code of its class in it (qmail's
    "(#5.3.4)" too), else X.0.0; 4.4.1 for a connection that never opened."""
    m = re.match(r"^([245])[0-9][0-9]", text)
    if not m:
        return "4.4.1"
    code = re.search(rf"(?<![\d.]){m.group(1)}\.[0-9]{{1,3}}\.[0-9]{{1,3}}(?![\d.])", text)
    return code.group(0) if code else f"{m.group(1)}.0.0"


def write_bounce(day: Day, number: int, b: Bounce) -> tuple[str, str]:
    when = DAY + timedelta(hours=int(b.at[:2]), minutes=int(b.at[3:5]), seconds=int(b.at[6:]))
    sent = DAY + timedelta(hours=int(b.sent[:2]), minutes=int(b.sent[3:5]))
    rfc = lambda t: t.strftime("%a, %d %b %Y %H:%M:%S +0000")  # noqa: E731
    domain = b.reporter.split(".", 1)[1]
    written = []
    for f in b.failures:
        rdomain = f.recipient.split("@")[1]
        relay = f.remote or DOMAINS.get(rdomain, (b.reporter,))[0]
        address = DOMAINS.get(rdomain, DOMAINS.get(domain, ("", "198.51.100.99")))[1]
        p = Parties(f.recipient, NEWS_RETURN, (relay, address), rdomain)
        written.append((f, anonymise(reply_of(day.rows[f.name].text), p)))
    tag = hashlib.sha1(f"{SEED}/{number}".encode()).hexdigest()
    boundary = f"{tag[:12]}/{b.reporter}"
    subject, display = STYLES[b.style]
    head = [
        "Return-Path: <>",
        f"Received: by {b.reporter} id {tag[12:22].upper()};\n\t{rfc(when)}",
        f"Date: {rfc(when)}",
        f"From: {display} <MAILER-DAEMON@{b.reporter}>",
        f"To: {NEWS_RETURN}",
        f"Subject: {subject}",
        f"Message-ID: <{tag[22:34]}.{number}@{b.reporter}>",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"',
    ]
    report = [f"Reporting-MTA: dns; {b.reporter}\nArrival-Date: {rfc(sent + timedelta(seconds=40))}"]
    for f, text in written:
        status = status_of(text)
        delayed = b.style.endswith("delay")
        block = [f"Final-Recipient: rfc822; {f.recipient}", f"Action: {'delayed' if delayed else 'failed'}",
                 f"Status: {status}"]
        if f.remote:
            block.append(f"Remote-MTA: dns; {f.remote}")
        kind = "smtp" if REPLY.match(text) else "X-Postfix"
        block.append(fold("Diagnostic-Code", f"{kind}; {text}"))
        block.append(f"Last-Attempt-Date: {rfc(when - timedelta(seconds=2))}")
        if delayed:
            block.append(f"Will-Retry-Until: {rfc(sent + timedelta(days=5))}")
        report.append("\n".join(block))
        day.used.append(Used(f"bounces/{number:02d}.eml:{f.recipient}", f.name, text))
    original = [
        f"From: Example News <{NEWS_FROM}>",
        "To: " + ", ".join(f.recipient for f in b.failures),
        "Subject: December news from example.com",
        f"Date: {rfc(sent)}",
        f"Message-ID: <news-2026-12.{tag[34:40]}@{SITE}>",
    ]
    body = "\n".join(head) + "\n\nThis is a MIME-encapsulated message.\n\n"
    body += f"--{boundary}\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
    body += human_part(b, written) + "\n"
    body += f"--{boundary}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
    body += "\n\n".join(report) + "\n\n"
    body += f"--{boundary}\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
    body += "\n".join(original) + "\n\n"
    body += f"--{boundary}--\n"
    return f"{number:02d}.eml", body


def bounces(rng: random.Random) -> list[Bounce]:
    F = Failure
    names = iter(rng.sample(PEOPLE, len(PEOPLE)))

    def to(domain: str) -> str:
        return f"{next(names)}@{domain}"

    return [
        Bounce("13:04:51", "mx.school.example", "postfix", [F(to("school.example"), "maddy-nouser", "store.school.example")]),
        Bounce("13:05:12", "mx1.example.org", "postfix", [
            F(to("example.org"), "virtual-nouser", "mailstore.example.org"),
            F(to("example.org"), "fastmail-nouser", "mailstore.example.org"),
            F(to("example.org"), "deactivated", "mailstore.example.org")]),
        Bounce("13:06:40", "mx1.bigmail.example", "provider", [
            F(to("bigmail.example"), "gmail-disabled-id", "store-7.bigmail.example"),
            F(to("bigmail.example"), "gmail-full-inactive", "store-2.bigmail.example")]),
        Bounce("13:09:05", "smtp.partner.example", "exim", [
            F(to("partner.example"), "exchange-notfound", "exch01.partner.example")]),
        Bounce("13:12:33", "mx.isp.example", "exim", [
            F(to("isp.example"), "unknown-user", "mbox.isp.example"),
            F(to("isp.example"), "no-such-user", "mbox.isp.example")]),
        Bounce("13:20:18", "mx.shop.example", "postfix", [F(to("shop.example"), "looks-like-spam", "filter.shop.example")]),
        Bounce("13:31:47", "relay.example.net", "sendmail", [F(to("example.net"), "databytes", "mx2.example.net")]),
        Bounce("14:02:26", "mx1.example.org", "delay", [F(to("example.org"), "sendmail-full", "mailstore.example.org")]),
        Bounce("14:15:09", "mx1.bigmail.example", "provider-delay", [
            F(to("bigmail.example"), "gmail-inbox-full", "store-4.bigmail.example"),
            F(to("bigmail.example"), "gmail-rate", "store-4.bigmail.example")]),
        Bounce("15:40:58", "gateway.city.example", "delay", [F(to("city.example"), "timed-out", None)]),
        Bounce("16:22:14", "gateway.city.example", "postfix", [
            F(to("city.example"), "zen-521", "mx.lists.city.example"),
            F(to("city.example"), "zen-521", "mx.lists.city.example")]),
        Bounce("17:48:02", "mx.school.example", "postfix", [F(to("school.example"), "dmarc-maddy", "store.school.example")]),
        Bounce("19:03:36", "relay.example.net", "sendmail", [F("ivo@example.invalid", "host-unknown", None)]),
        Bounce("23:59:40", "mx.shop.example", "postfix", [F(to("shop.example"), "message-timeout", None)]),
    ]


# -- writing ------------------------------------------------------------------------
def build() -> dict[str, str]:
    """Every sample file: its path under samples/ and its text."""
    _, rows = load()
    chosen: dict[str, Row] = {}
    for name, (source, number, start) in PICKS.items():
        row = next((r for r in rows if r.source.id == source and r.number == number), None)
        if row is None:
            raise SystemExit(f"make_samples: {source} has no row {number} (for {name!r})")
        if row.source.held_back:
            raise SystemExit(f"make_samples: {source} is held back; samples use development rows only")
        if start not in " ".join(row.text.split()):
            raise SystemExit(f"make_samples: {source} row {number} no longer holds {start!r}")
        chosen[name] = row
    rng = random.Random(SEED)
    day = Day(rng, chosen)
    for msg in plan(rng):
        write_message(day, msg)
    day.lines.sort(key=lambda item: (item[0], item[1]))
    day.number_processes()
    # line numbers, now that the lines are in time order
    order = {seq: n for n, (_, seq, _) in enumerate(day.lines, start=1)}
    log_uses = [u for u in day.used if u.where.startswith("mail.log:")]
    for u in log_uses:
        u.where = f"mail.log:{order[int(u.where.split(':')[1])]}"
    files = {"mail.log": "".join(line + "\n" for _, _, line in day.lines)}
    for number, b in enumerate(bounces(rng), start=1):
        name, text = write_bounce(day, number, b)
        files[f"bounces/{name}"] = text
    files["SOURCES.yaml"] = sources_yaml(day, files)
    return files


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sources_yaml(day: Day, files: dict[str, str]) -> str:
    status_lines = sum(1 for line in files["mail.log"].splitlines() if re.search(r" status=(?:sent|deferred|bounced) ", line))
    out = [
        "# The sources of the sample files, written by tools/make_samples.py: do not edit by hand.",
        "# Every reply in the samples is the text of one row of the project's corpus of real",
        "# replies (tests/data/corpus/SOURCE.yaml, row ROW), from its development part, with",
        "# addresses, host names, IP addresses and queue ids replaced by example ones.",
        "# Each entry: where it is (FILE:LINE, or FILE:RECIPIENT), the corpus source and row,",
        "# and the reply as the sample writes it.",
        "files:",
        "  mail.log:",
        f"    lines: {len(files['mail.log'].splitlines())}",
        f"    status_lines: {status_lines}",
    ]
    for name in sorted(f for f in files if f.startswith("bounces/")):
        recipients = sum(1 for u in day.used if u.where.startswith(name + ":"))
        out += [f"  {name}:", f"    recipients: {recipients}"]
    used_sources = sorted({day.rows[u.name].source.id for u in day.used})
    out.append("sources:")
    for sid in used_sources:
        src = next(r.source for r in day.rows.values() if r.source.id == sid)
        out += [f"  {sid}:", f"    title: {_q(src.title)}", f"    url: {_q(src.url)}"]
    out.append("replies:")
    def place(u: Used) -> tuple:
        name, _, where = u.where.partition(":")
        return (name, int(where) if name == "mail.log" else 0, u.where)

    for u in sorted(day.used, key=place):
        row = day.rows[u.name]
        out += [f"  - where: {_q(u.where)}", f"    source: {row.source.id}", f"    row: {row.number}",
                f"    reply: {_q(u.reply)}"]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    files = build()
    if argv == ["--check"]:
        stale = [name for name, text in files.items()
                 if not (OUT / name).is_file() or (OUT / name).read_text(encoding="utf-8") != text]
        on_disk = [p.relative_to(OUT).as_posix() for p in OUT.rglob("*") if p.is_file()]
        extra = [name for name in on_disk if name not in files]
        for name in stale + extra:
            print(f"make_samples: {name} is not what tools/make_samples.py writes", file=sys.stderr)
        return 1 if stale or extra else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    (OUT / "bounces").mkdir(parents=True, exist_ok=True)
    for old in (OUT / "bounces").glob("*.eml"):
        if f"bounces/{old.name}" not in files:
            old.unlink()
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"make_samples: wrote {len(files)} files to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
