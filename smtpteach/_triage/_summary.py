"""What a triage found, as counters: the summary's data, which the renderers (``_render_triage``) show."""

from __future__ import annotations

import re
from array import array
from collections import Counter
from functools import lru_cache
from hashlib import blake2b
from typing import Any

from .._errors import InvalidArgumentError, InvalidTypeError
from ._base import Record, _Note, _Problem, _problem_text

# Each failing reason keeps exact counts for at most this many receiving domains; attempts to
# further domains are counted together under "other domains" (so the totals stay exact).
DOMAINS_PER_REASON = 10_000
# ... and so for the senders (Record.sender) and the remote hosts (Record.relay, by host name) of each failing reason:
# fewer, since a host's accounts and the MX hosts it meets are many more than its domains' few, and each name kept
# costs some 150 bytes (a reason's thousand, 150 KB). Past it, the attempts of further senders or hosts are counted
# together under "other senders" or "other hosts", as the domains are
SENDERS_PER_REASON = 1_000
RELAYS_PER_REASON = 1_000

# What became of each recipient: the last status read for a message (its queue ID, with the syslog host that logged
# it) and recipient decides. A final status is counted at once and forgotten; only the recipients whose last record
# is a deferral (or says nothing of what became of them) are remembered, each as one number (the hash of its key), at
# most this many at once (some 200 bytes each, with the room the dict keeps: 10 MB at most): past it, the one left
# open longest is counted as still pending and forgotten, with a note
PENDING_RECIPIENTS = 50_000
# ... and the recipients whose outcome was final, so that a later line about one of them (a deferral a rotated log
# named out of its order told late, a second final line: Exchange's SEND then DELIVER) neither counts it again nor
# reopens it: each as its key's hash in one of this many places (8 bytes each), the place its hash gives, which a
# later final recipient's may take (three in four are still remembered after 10,000 more, one in two after 22,000)
FINAL_PLACES = 1 << 15

# a status's outcome for its recipient: final (delivered; lost, which a discard is too: accepted and dropped, a
# quarantine's hold, delivered to nobody and with no bounce to the sender; handed on, to a content filter, another
# server of the organisation or a list's members, whose own records say the rest), or open: deferred (still
# pending) and unknown (the source says nothing of what became of it)
_FINAL = {"delivered": "delivered", "bounced": "lost", "expired": "lost", "discarded": "lost",
          "relayed": "handed_on", "expanded": "handed_on"}
# an open recipient's state, a small number: whether a deferral was read for it, and whether its last record said
# nothing of what became of it (unknown)
_DEFERRED, _UNKNOWN = 1, 2
# a final recipient's outcome in the low bits of its place (0: an empty place)
_CODES = {"delivered": 1, "after_delay": 2, "lost": 3, "handed_on": 4}
_OF_CODE = (None, "delivered", "after_delay", "lost", "handed_on")
# the breakdowns of each failing reason's attempts the summary keeps: by receiving domain, by envelope sender, by remote
# host (``Summary.top_domains``, ``top_senders``, ``top_relays``), in the order the table and the report show them
BREAKDOWNS = ("domain", "sender", "relay")


def _relay_name(relay: str | None) -> str:
    """What identifies the remote host of an attempt among the summary's counts: its host name, without the address
    that Record.relay writes after it, since one MX answers from several addresses (its IPv4 and IPv6 ones, a
    provider's pool under one name) and its name is what its operator's postmaster pages and a blocklist's delisting
    form ask for; the bracketed address where the host has no name; "" where there is no remote host.

    >>> [_relay_name(r) for r in ("mx1.example.com[192.0.2.1]", "[2001:db8::1]", "local", None)]
    ['mx1.example.com', '[2001:db8::1]', 'local', '']
    """
    if not relay:
        return ""
    at = relay.find("[")
    return relay[:at] if at > 0 else relay


# BATV's signed sender (prvs=TAG=user@domain; Microsoft's msprvs1=, btv1=): the account is what follows the tag
_BATV = re.compile(r"(?:prvs|msprvs\d|btv\d)=[^=@]+=(?P<user>[^=@]+)\Z", re.IGNORECASE)
# SRS's rewritten sender of a forwarder (SRS0=HASH=TT=orig.example=user@forwarder): the original sender
_SRS0 = re.compile(r"SRS0[=+-][^=]+=[^=]+=(?P<domain>[^=]+)=(?P<user>.+)\Z", re.IGNORECASE)
# a part of a VERP or bounce address that differs from message to message: a number (three digits or more), an ID
# with a digit in it (four characters or more), or a recipient written into it (user=example.org)
_VARIABLE = re.compile(r"[0-9]{3,}\Z|(?=[^-]*\d)[0-9A-Za-z._]{4,}\Z|[^-]*=[^-]*\Z")


@lru_cache(maxsize=4096)  # a log's failing attempts come from a few senders, each met many times
def _sender_group(sender: str) -> str:
    """The account an envelope sender belongs to, as the top senders count it: a list or a sending service gives each
    message a sender of its own (VERP: the recipient or a message's ID written into it; a tag after "+"), which would
    put every attempt on a row of its own. The part that changes is written "*"; BATV's signature and SRS's
    rewriting are taken off, leaving the account that sent; any other sender is itself.

    >>> [_sender_group(s) for s in ("ann@example.org", "<>", "news-bounces+ann=example.org@lists.example.org",
    ...  "list-return-123-ann=example.org@lists.example.org", "bounce-1234567@news.example.com",
    ...  "0100018c5c1d2e3f-6a7b8c9d-1e2f-4a5b-8c9d-0e1f2a3b4c5d-000000@amazonses.com", "ana-2@example.org",
    ...  "prvs=0123abcd=billing@shop.example", "SRS0=HHH=TT=shop.example=billing@forwarder.example",
    ...  "john.smith2@example.org")]  # doctest: +NORMALIZE_WHITESPACE
    ['ann@example.org', '<>', 'news-bounces+*@lists.example.org', 'list-return-*@lists.example.org',
     'bounce-*@news.example.com', '*@amazonses.com', 'ana-2@example.org', 'billing@shop.example',
     'billing@shop.example', 'john.smith2@example.org']
    """
    local, at, domain = sender.rpartition("@")
    if not at or not local:
        return sender
    if "=" in local:
        m = _BATV.match(local)
        if m:
            return f"{m.group('user')}@{domain}"
        m = _SRS0.match(local)
        if m:
            return f"{m.group('user')}@{m.group('domain')}"
    plus = local.find("+")
    if plus > 0:
        return f"{local[:plus]}+*@{domain}"
    parts = local.split("-")
    kept = 0
    while kept < len(parts) and not _VARIABLE.match(parts[kept]):
        kept += 1
    if kept == len(parts):
        return sender  # nothing in it changes from message to message
    if kept == 0:
        # an ID from its first character (a sending service's message ID): long, or it could be a person's name
        return f"*@{domain}" if len(local) >= 16 else sender
    return f"{'-'.join(parts[:kept])}-*@{domain}"


# the outcomes the summary gives, in order (``Summary.outcomes``)
OUTCOMES = ("recipients", "delivered", "after_delay", "lost", "pending", "handed_on", "unknown", "without_queue_id")


def _count(table: dict[tuple[str, str | None], Counter[str]], other: Counter[tuple[str, str | None]],
           family: tuple[str, str | None], key: str, bound: int) -> None:
    """One attempt of a failing ``family`` counted under ``key`` (a domain, a sender, a host) in ``table``, exactly for
    the first ``bound`` keys of the family and in ``other`` after them, so that memory is bounded and totals exact."""
    counts = table.get(family)
    if counts is None:
        counts = table[family] = Counter()
    if key in counts or len(counts) < bound:
        counts[key] += 1
    else:
        other[family] += 1


class Summary:
    """What a triage found, as counters: attempts by reason (with the retry advice and who
    acts), by status, the receiving domains, envelope senders and remote hosts of each failing
    reason, and what was not recognised. ``str(summary)`` is the plain-text table in the triage's language.
    """

    def __init__(self, lang: str, catalogue: Any):
        self.lang = lang
        self._catalogue = catalogue
        self.records = 0
        # (reason, retry, actor, note) -> attempts; a note (greylisting) is a row of its own, said in its own words
        self.by_reason: Counter[tuple[str, str, str, str | None]] = Counter()
        self.by_status: Counter[str] = Counter()
        self.by_kind: Counter[str] = Counter()
        # receiving domains by family: (reason, note), so that greylisting's domains are not a block's
        self._domains: dict[tuple[str, str | None], Counter[str]] = {}
        self._other_domains: Counter[tuple[str, str | None]] = Counter()
        # ... and their senders and remote hosts (by host name: _relay_name), each bounded as the domains are
        self._senders: dict[tuple[str, str | None], Counter[str]] = {}
        self._other_senders: Counter[tuple[str, str | None]] = Counter()
        self._relays: dict[tuple[str, str | None], Counter[str]] = {}
        self._other_relays: Counter[tuple[str, str | None]] = Counter()
        self.unrecognised = 0
        self.other_lines = 0
        self.refused_incoming = 0  # of other_lines: this server's refusals of mail coming in
        self._problems: list[_Problem] = []  # the inputs that could not be read
        self._notes: list[_Note] = []  # what the reader did that changes the counts (an input named twice read once)
        # what became of each recipient (OUTCOMES): the final outcomes counted, the open recipients by the hash of
        # their key (their state: _DEFERRED, _UNKNOWN), those forgotten at the bound (by state), and the places of the
        # final ones (made at the first record with a queue ID: a file of replies needs none)
        self._outcomes: Counter[str] = Counter()
        self._open: dict[int, int] = {}
        self._forgotten: Counter[int] = Counter()
        self._final: array[int] | None = None

    def _add(self, r: Record) -> None:
        self.records += 1
        self._follow(r)
        self.by_reason[(r.reason, r.retry, r.actor, r.note)] += 1
        self.by_status[r.status] += 1
        self.by_kind[r.kind] += 1
        if r.reason != "delivered" and r.status != "delivered":
            family = (r.reason, r.note)
            _count(self._domains, self._other_domains, family, r.domain or "", DOMAINS_PER_REASON)
            _count(self._senders, self._other_senders, family, _sender_group(r.sender) if r.sender else "",
                   SENDERS_PER_REASON)
            _count(self._relays, self._other_relays, family, _relay_name(r.relay), RELAYS_PER_REASON)

    def _follow(self, r: Record) -> None:
        """What the record says became of its recipient. A record with no queue ID (a bounce message, a reply
        line) is the whole story of its recipient as far as the input tells: one recipient, its outcome its own."""
        outcome = _FINAL.get(r.status)
        if r.queue_id is None:
            self._outcomes["without_queue_id"] += 1
            if outcome is not None:
                self._outcomes[outcome] += 1
            else:
                self._outcomes["unknown" if r.status == "unknown" else "pending"] += 1
            return
        # the message's identity (a queue ID, with the host that logged it where a central log holds several servers,
        # whose queue IDs may be the same) and the recipient (the domain where the source names the message's domain
        # only, as Haraka's queue does). The host by its first label: syslog writes a server's short name ("mx1"),
        # and its bounces name it in full (Reporting-MTA: mx1.example.org), so that a DSN's delay warning about a
        # message the log holds is that message's recipient, not another one still pending
        # (hashed the same in every process, not by hash(), which Python seeds anew in each: where two keys share a
        # place, the counts must not depend on the run)
        who = r.recipient if r.recipient is not None else r.domain
        host = r.host
        if host is not None and host[:1].isalpha():
            host = host.split(".", 1)[0].lower()
        key = int.from_bytes(blake2b(f"{host}\0{r.queue_id}\0{who}".encode("utf-8", "surrogatepass"),
                                     digest_size=8).digest(), "little", signed=True)
        state = self._open.pop(key, 0)
        final = self._final
        if final is None:
            final = self._final = array("q", (0,)) * FINAL_PLACES  # (made whole: no 256 KB of bytes copied in)
        place = (key >> 3) & (FINAL_PLACES - 1)
        mark = key & ~7
        told = final[place]
        before = _OF_CODE[told & 7] if told and (told & ~7) == mark else None
        if outcome is None:
            if before is not None:
                # a line read after the recipient's final one: an earlier attempt that a later input told (rotated logs
                # named out of their order); the outcome stays, and a delivery after a deferral is one after a delay
                if before == "delivered" and r.status == "deferred":
                    final[place] = mark | _CODES["after_delay"]
                    self._outcomes["after_delay"] += 1
                return
            if len(self._open) >= PENDING_RECIPIENTS:
                oldest = next(iter(self._open))
                self._forgotten[self._open.pop(oldest)] += 1
            self._open[key] = (state & _DEFERRED) | (_UNKNOWN if r.status == "unknown" else _DEFERRED)
            return
        delayed = outcome == "delivered" and bool(state & _DEFERRED or before == "after_delay")
        if before is not None:  # told twice (a copy of a log beside it, a hop then the delivery): the last decides
            self._outcomes["delivered" if before == "after_delay" else before] -= 1
            if before == "after_delay":
                self._outcomes["after_delay"] -= 1
        final[place] = mark | _CODES["after_delay" if delayed else outcome]
        self._outcomes[outcome] += 1
        if delayed:
            self._outcomes["after_delay"] += 1

    @property
    def outcomes(self) -> dict[str, int]:
        """What became of each recipient, by the last status read for its message and recipient (a message's identity
        is its queue ID, with the syslog host that logged it): ``recipients``, of which ``delivered`` in the end (and
        of those, ``after_delay``: after at least one deferral, as greylisting does), ``lost`` (bounced, expired, or
        discarded: delivered to nobody), ``pending`` (the last attempt deferred), ``handed_on`` (relayed to a content
        filter or another server, expanded to a list's members: their next records tell the rest) and ``unknown`` (the
        last record says nothing of it); ``without_queue_id`` counts the recipients told by a record with no queue ID
        (a bounce message, a reply line), each its own recipient.

        >>> from smtpteach import triage
        >>> s = triage(["Mar 11 03:00:00 mx1 postfix/smtp[1]: D2A: to=<linh@school.example>, relay=none, "
        ...             "status=deferred (host x said: 450 4.7.1 Greylisted, see http://postgrey.example/)",
        ...             "Mar 11 03:05:02 mx1 postfix/smtp[2]: D2A: to=<linh@school.example>, relay=none, "
        ...             "status=sent (250 2.0.0 Ok: queued as 4F1A)"]).summary()
        >>> s.records, s.failing, s.outcomes["recipients"], s.outcomes["after_delay"], s.outcomes["pending"]
        (2, 1, 1, 1, 0)
        """
        o = self._outcomes
        unknown = sum(1 for state in self._open.values() if state & _UNKNOWN)
        pending = o["pending"] + self._forgotten[_DEFERRED] + len(self._open) - unknown
        unknown += o["unknown"] + self._forgotten[_UNKNOWN] + self._forgotten[_DEFERRED | _UNKNOWN]
        recipients = o["delivered"] + o["lost"] + pending + o["handed_on"] + unknown
        return {"recipients": recipients, "delivered": o["delivered"], "after_delay": o["after_delay"], "lost": o["lost"],
                "pending": pending, "handed_on": o["handed_on"], "unknown": unknown,
                "without_queue_id": o["without_queue_id"]}

    def reasons(self) -> list[tuple[str, str, str, int, str | None]]:
        """(reason, retry, actor, attempts, note), most attempts first; ``note`` is None unless the replies
        name a family within the reason (greylisting within blocked)."""
        return [(reason, retry, actor, n, note) for (reason, retry, actor, note), n in
                sorted(self.by_reason.items(), key=lambda kv: (-kv[1], kv[0][:3], kv[0][3] or ""))]

    def reason_totals(self) -> list[tuple[str, int]]:
        """(reason, attempts) summed over the retry advice, most first."""
        totals: Counter[str] = Counter()
        for (reason, _, _, _), n in self.by_reason.items():
            totals[reason] += n
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))

    def family_totals(self) -> list[tuple[str, str | None, int]]:
        """(reason, note, attempts) summed over the retry advice, most first: a family a rule names within
        its reason (greylisting within blocked) counted apart from the rest of that reason, as the chart
        shows it, since a greylisted attempt passes on its next retry and a block does not."""
        totals: Counter[tuple[str, str]] = Counter()
        for (reason, _, _, note), n in self.by_reason.items():
            totals[(reason, note or "")] += n
        return [(reason, note or None, n) for (reason, note), n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def failing(self) -> int:
        """The attempts that did not deliver (a message relayed on, or expanded to a list's members, is no failure)."""
        return self.records - sum(self.by_status.get(s, 0) for s in ("delivered", "relayed", "expanded"))

    def top_domains(self, n: int = 5) -> dict[str, list[tuple[str, int]]]:
        """For each failing reason (most attempts first), its ``n`` receiving domains with the
        most attempts; "" stands for attempts with no domain, and "*" for the domains past
        the per-reason limit of tracked domains."""
        return self._tops("domain", n)

    def top_senders(self, n: int = 5) -> dict[str, list[tuple[str, int]]]:
        """As :meth:`top_domains`, the envelope senders (``Record.sender``: the account that sent the message) with the
        most attempts of each failing reason: "<>" is the null sender (a bounce's, an auto-reply's), "" stands for
        attempts whose source names no sender, and "*" for the senders past the per-reason limit (SENDERS_PER_REASON).
        A sender made anew for each message (VERP, a sending service's message ID, BATV, SRS) is counted as its account,
        the part that changes written "*" within the address ("news-bounces+*@lists.example.org": _sender_group).

        >>> from smtpteach import triage
        >>> triage(["Mar 11 03:00:00 mx1 postfix/qmgr[9]: B7C: from=<anna@example.com>, size=900, nrcpt=1 (queue active)",
        ...         "Mar 11 03:00:01 mx1 postfix/smtp[2]: B7C: to=<lan@isp.example>, relay=mx.isp.example[203.0.113.7]:25, "
        ...         "status=bounced (host mx.isp.example[203.0.113.7] said: 554 5.7.1 Service unavailable; Client host "
        ...         "[192.0.2.4] blocked using zen.spamhaus.org)"]).summary().top_senders()
        {'blocked': [('anna@example.com', 1)]}
        """
        return self._tops("sender", n)

    def top_relays(self, n: int = 5) -> dict[str, list[tuple[str, int]]]:
        """As :meth:`top_domains`, the remote hosts that answered (``Record.relay``) with the most attempts of each
        failing reason, by host name: ``mx1.example.com[192.0.2.1]`` and ``mx1.example.com[192.0.2.2]`` are the one MX
        ``mx1.example.com`` (a host with no name is its bracketed address); "" stands for attempts with no remote host
        (Postfix's ``relay=none``: no connection was made; a source that names none), "*" for the hosts past the
        per-reason limit (RELAYS_PER_REASON).

        >>> from smtpteach import triage
        >>> triage([f"Mar 11 03:00:0{i} mx1 postfix/smtp[2]: B7{i}: to=<u{i}@corp.example>, "
        ...         f"relay=corp-example.mail.protection.outlook.com[203.0.113.{i}]:25, status=bounced (host said: "
        ...         "550 5.7.606 Access denied, banned sending IP [192.0.2.4])" for i in (1, 2)]).summary().top_relays()
        {'blocked': [('corp-example.mail.protection.outlook.com', 2)]}
        """
        return self._tops("relay", n)

    def family_domains(self, n: int = 5) -> list[tuple[str, str | None, list[tuple[str, int]]]]:
        """As :meth:`top_domains`, for each family of a failing reason as :meth:`family_totals` counts them: the
        domains that greylist are not listed among those that block. (reason, note, domains), most attempts first."""
        return self._family_tops("domain", n)

    def family_senders(self, n: int = 5) -> list[tuple[str, str | None, list[tuple[str, int]]]]:
        """As :meth:`top_senders`, for each family of a failing reason (:meth:`family_domains`)."""
        return self._family_tops("sender", n)

    def family_relays(self, n: int = 5) -> list[tuple[str, str | None, list[tuple[str, int]]]]:
        """As :meth:`top_relays`, for each family of a failing reason (:meth:`family_domains`)."""
        return self._family_tops("relay", n)

    def _counts(self, by: str) -> tuple[dict[tuple[str, str | None], Counter[str]], Counter[tuple[str, str | None]]]:
        """The counts of one breakdown of the failing attempts (``by``: one of BREAKDOWNS) by family, and those past
        its limit."""
        if by == "domain":
            return self._domains, self._other_domains
        if by == "sender":
            return self._senders, self._other_senders
        if by == "relay":
            return self._relays, self._other_relays
        raise InvalidArgumentError(f"a breakdown is one of {', '.join(BREAKDOWNS)}, not {by!r}")

    def _tops(self, by: str, n: int) -> dict[str, list[tuple[str, int]]]:
        _check_top(n)
        counts_of, other = self._counts(by)
        out: dict[str, list[tuple[str, int]]] = {}
        for reason, _ in self.reason_totals():
            families = [family for family in counts_of if family[0] == reason]
            counts: Counter[str] = sum((counts_of[f] for f in families), Counter())
            if counts:
                out[reason] = self._top(counts, sum(other[f] for f in families), n)
        return out

    def _family_tops(self, by: str, n: int) -> list[tuple[str, str | None, list[tuple[str, int]]]]:
        _check_top(n)
        counts_of, other = self._counts(by)
        return [(reason, note, self._top(counts_of[(reason, note)], other[(reason, note)], n))
                for reason, note, _ in self.family_totals() if counts_of.get((reason, note))]

    @staticmethod
    def _top(counts: Counter[str], other: int, n: int) -> list[tuple[str, int]]:
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return top + [("*", other)] if other else top

    def as_dict(self, top: int = 5) -> dict[str, Any]:
        """The summary as plain data (what ``--format html`` and the table show)."""
        return {
            "records": self.records, "failing": self.failing,
            "reasons": [{"reason": a, "note": note, "retry": b, "actor": c, "attempts": n}
                        for a, b, c, n, note in self.reasons()],
            "statuses": dict(sorted(self.by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
            "kinds": dict(sorted(self.by_kind.items())),
            "top_domains": {k: [{"domain": d, "attempts": n} for d, n in v] for k, v in self.top_domains(top).items()},
            "top_senders": {k: [{"sender": d, "attempts": n} for d, n in v] for k, v in self.top_senders(top).items()},
            "top_relays": {k: [{"relay": d, "attempts": n} for d, n in v] for k, v in self.top_relays(top).items()},
            "unrecognised": self.unrecognised, "other_lines": self.other_lines,
            "outcomes": self.outcomes,
            "refused_incoming": self.refused_incoming, "problems": list(self.problems), "notes": list(self.notes),
        }

    def ui(self) -> dict[str, Any]:
        return self._catalogue.ui(lang=self.lang)

    @property
    def problems(self) -> list[str]:
        """The inputs that could not be read, "source: what was wrong", in English."""
        return [f"{p.source}: {p.message}" for p in self._problems]

    def problem_lines(self) -> list[str]:
        """The inputs that could not be read, "source: what was wrong", in the summary's language."""
        return [f"{p.source}: {p.text(self.lang, self._catalogue)}" for p in self._problems]

    @property
    def notes(self) -> list[str]:
        """What the reader did that changes the counts, "source: what it did" (or what it did, about no one input), in
        English: an input named twice and read once, a failure both a log and a bounce told and counted once."""
        return [f"{n.source}: {n.message}" if n.source else n.message for n in self._all_notes()]

    def note_lines(self) -> list[str]:
        """:attr:`notes` in the summary's language."""
        return [f"{n.source}: {n.text(self.lang, self._catalogue)}" if n.source else n.text(self.lang, self._catalogue)
                for n in self._all_notes()]

    def _all_notes(self) -> list[_Note]:
        """The reader's notes, and the summary's own: the recipients still open that were forgotten at the bound."""
        forgotten = sum(self._forgotten.values())
        if not forgotten:
            return self._notes
        values = {"count": str(forgotten), "limit": str(PENDING_RECIPIENTS)}  # grouped as each language writes it
        key = "pending_forgotten_one" if forgotten == 1 else "pending_forgotten"
        english = _problem_text(self._catalogue.ui(lang="en")["triage"], key, values, "note")
        return [*self._notes, _Note("", english, key, tuple(sorted(values.items())))]

    def _names(self, by: str) -> bool:
        """Whether a failing attempt names one (a domain, a sender, a remote host): whether its breakdown says more
        than "none named"."""
        counts_of, other = self._counts(by)
        return any(other.values()) or any(len(c) > 1 or "" not in c for c in counts_of.values())

    def to_text(self, top: int = 5, by: Any = None) -> str:
        """The plain-text table in the triage's language (``str(summary)`` with 5 of each). ``by`` names the
        breakdowns of the failing reasons shown, of ``("domain", "sender", "relay")``; by default the receiving
        domains, and the senders and the remote hosts where a failing attempt names one."""
        from .._render_triage import text

        return text(self, top=top, by=by)

    def __str__(self) -> str:
        return self.to_text()

    def to_html(self, top: int = 5, by: Any = None) -> str:
        """One self-contained HTML page: the table and a bar chart of the reasons (inline SVG, no network); ``by`` as
        :meth:`to_text`'s."""
        from .._render_triage import html

        return html(self, top=top, by=by)

    def svg(self) -> str:
        """The bar chart of the reasons as an inline SVG element (the one in :meth:`to_html`): the
        same bytes for the same summary, text kept as text, named for screen readers. In a
        notebook: ``IPython.display.HTML(summary.svg())``."""
        from .._render_triage import svg

        return svg(self)

    def plot(self, ax: Any = None) -> Any:
        """A horizontal bar chart of the attempts by reason, drawn with matplotlib; returns the Axes."""
        from .._render_triage import plot

        return plot(self, ax=ax)

    def __repr__(self) -> str:
        return f"Summary(records={self.records}, failing={self.failing}, unrecognised={self.unrecognised})"


def _check_breakdowns(by: Any) -> list[str]:
    """The breakdowns named (a name of BREAKDOWNS, or several), in BREAKDOWNS' order."""
    names = [by] if isinstance(by, str) else list(by) if isinstance(by, (list, tuple, set, frozenset)) else None
    if names is None or not all(isinstance(b, str) for b in names):
        raise InvalidTypeError(f"the breakdowns shown are named by {', '.join(BREAKDOWNS)}, or a list of them, not {by!r}")
    wrong = [b for b in names if b not in BREAKDOWNS]
    if wrong or not names:
        raise InvalidArgumentError(f"the breakdowns shown are one or more of {', '.join(BREAKDOWNS)}, not {by!r}")
    return [b for b in BREAKDOWNS if b in names]


def _check_top(n: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidTypeError(f"the number of domains shown per reason must be a whole number of at least 1, not {n!r}")
    if n < 1:
        raise InvalidArgumentError(f"the number of domains shown per reason must be a whole number of at least 1, not {n!r}")
