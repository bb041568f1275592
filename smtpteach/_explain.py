"""Explain what people paste: replies, bounce diagnostics, log lines, exceptions.

Lenient where :func:`smtpteach.parse_reply` is strict. It finds the reply code
and the enhanced status code wherever they sit (``smtp; 550 ...``, Postfix's
``said: 550 ...``, qmail's ``(#5.1.1)``, smtplib's ``(550, b'...')``), never
invents one (a port such as ``:25:``, ``5501`` or ``999 9.9.9`` is not a
code), and names the reason with Sisimai's vocabulary.

The extraction and reason rules are data (``data/reasons.yaml``), so the
browser applies the very same rules (``static/smtpteach-core.js``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ._catalogue import BasicEntry, Catalogue, EnhancedEntry, default_catalogue
from ._codes import EnhancedStatusCode, ReplyCode
from ._templates import fill

__all__ = ["Explanation", "explain", "REASONS"]

# Sisimai's reason names (the bounce-reason vocabulary of DESIGN.md).
REASONS = (
    "authfailure", "badreputation", "blocked", "contenterror", "delivered", "emailtoolarge", "expired",
    "failedstarttls", "feedback", "filtered", "hasmoved", "hostunknown", "mailboxfull", "mailererror",
    "networkerror", "norelaying", "notaccept", "notcompliantrfc", "onhold", "policyviolation", "ratelimited",
    "rejected", "requireptr", "securityerror", "spamdetected", "suppressed", "suspend", "syntaxerror",
    "systemerror", "systemfull", "undefined", "userunknown", "vacation", "virusdetected",
)


@dataclass(frozen=True)
class Explanation:
    """What a pasted reply means. ``permanent`` is None when nothing says."""

    text: str
    basic: ReplyCode | None
    enhanced: EnhancedStatusCode | None
    permanent: bool | None
    reason: str
    retry: str
    actor: str
    lang: str
    entries: tuple[BasicEntry | EnhancedEntry, ...] = field(default=(), repr=False)
    summary: str = ""
    reason_name: str = ""
    reason_text: str = ""
    retry_text: str = ""
    actor_text: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``smtpteach explain --format json``)."""
        return {
            "basic": self.basic.code if self.basic else None,
            "enhanced": self.enhanced.code if self.enhanced else None,
            "permanent": self.permanent,
            "reason": self.reason,
            "retry": self.retry,
            "actor": self.actor,
            "summary": self.summary,
        }

    def __repr__(self) -> str:
        codes = " ".join(c.code for c in (self.basic, self.enhanced) if c) or "no code"
        return f"Explanation({codes}, reason={self.reason!r}, retry={self.retry!r})"


class _Rules:
    """The compiled rules of data/reasons.yaml."""

    def __init__(self, data: dict[str, Any]):
        ex = data["extract"]
        flags = re.MULTILINE
        self.unescape = re.compile(ex["unescape"])
        self.smtplib = re.compile(ex["smtplib"], flags)
        self.basic_tiers = [re.compile(p, flags | re.IGNORECASE) for p in ex["basic"]]
        self.enhanced_after = re.compile(ex["enhanced_after_basic"])
        self.continuation = re.compile(ex["continuation"])
        self.fold = re.compile(ex["fold"])
        self.enhanced_tiers = [re.compile(p, flags | re.IGNORECASE) for p in ex["enhanced"]]
        self.rules: list[tuple[str, re.Pattern[str], str]] = []
        for rule in data["rules"]:
            pattern = "|".join(f"(?:{p})" for p in rule["match"])
            self.rules.append((rule["reason"], re.compile(pattern, re.IGNORECASE), rule.get("only", "")))
        self.by_enhanced: dict[str, str] = dict(data["enhanced"])
        self.by_basic: dict[str, str] = dict(data["basic"])
        self.reasons: dict[str, dict[str, str]] = data["reasons"]


@lru_cache(maxsize=None)
def _rules() -> _Rules:
    from importlib.resources import files

    from ._catalogue import _read_yaml

    return _Rules(_read_yaml(files("smtpteach") / "data" / "reasons.yaml", "smtpteach/data/reasons.yaml"))


def _unescape_bytes(text: str) -> str:
    return text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\'", "'").replace('\\"', '"')


def extract(text: str, rules: _Rules | None = None) -> tuple[str | None, str | None, str]:
    """Find (basic, enhanced, message) in ``text``, or None where there is none."""
    r = rules or _rules()
    basic = enhanced = None
    message = text
    m = r.smtplib.search(text)
    if m:
        basic = m.group("code")
        message = _unescape_bytes(m.group("msg"))
        e = r.enhanced_after.match(message)
        if e:
            enhanced = e.group("enh")
    else:
        if "\\n" in text and "\n" not in text:
            text = message = r.unescape.sub("\n", text)
        for tier in r.basic_tiers:
            m = tier.search(text)
            if m:
                basic = m.group("code")
                e = r.enhanced_after.match(text, m.end())
                if e:
                    enhanced = e.group("enh")
                break
    if enhanced is None:
        for tier in r.enhanced_tiers:
            e = tier.search(message)
            if e:
                enhanced = e.group("enh")
                break
    return basic, enhanced, message


def classify(text: str, basic: str | None, enhanced: str | None, rules: _Rules | None = None) -> str:
    """Sisimai's reason for a diagnostic: message rules, then the enhanced code, then the basic code."""
    r = rules or _rules()
    cls = basic[0] if basic else (enhanced[0] if enhanced else "")
    flat = r.fold.sub(" ", r.continuation.sub(" ", text)).strip()
    for reason, pattern, only in r.rules:
        if only and only != cls:
            continue
        if pattern.search(flat):
            return reason
    if enhanced:
        generic = "X." + enhanced.split(".", 1)[1]
        reason = r.by_enhanced.get(enhanced) or r.by_enhanced.get(generic)
        if reason:
            return reason
    if basic:
        reason = r.by_basic.get(basic) or r.by_basic.get(basic[0] + "xx")
        if reason:
            return reason
    return "undefined"


def explain(text: str, *, lang: str = "en", catalogue: Catalogue | None = None) -> Explanation:
    """Explain a reply, a bounce's diagnostic, a log line or an exception.

    >>> e = explain("smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
    >>> e.basic, e.enhanced, e.permanent, e.reason, e.retry
    (ReplyCode('550'), EnhancedStatusCode('5.1.1'), True, 'userunknown', 'dont-retry')
    >>> explain("connect to mx.example.org[192.0.2.2]:25: No route to host").basic is None
    True
    """
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    if not isinstance(text, str):
        from ._errors import ReplyParseError

        raise ReplyParseError(f"expected text to explain, got {type(text).__name__}")
    cat = catalogue or default_catalogue()
    r = _rules()
    basic, enhanced, message = extract(text, r)
    reason = classify(message, basic, enhanced, r)
    rc = ReplyCode(basic) if basic else None
    ec = EnhancedStatusCode(enhanced) if enhanced else None
    cls = basic[0] if basic else (enhanced[0] if enhanced else "")
    permanent = {"5": True, "4": False}.get(cls)
    advice = r.reasons[reason]
    if cls in ("2", "3"):
        retry = "not-needed" if cls == "2" else "continue"
        actor = "nobody"
    else:
        retry = advice["permanent" if permanent else "transient" if permanent is False else "unknown"]
        actor = advice["actor"]
    entries = tuple(e for e in (cat.get(basic) if basic else None, cat.get(enhanced) if enhanced else None) if e)
    ui = cat.ui(lang=lang)
    reason_ui = ui["reasons"][reason]
    t = ui["templates"]
    values = {
        "basic": basic or "", "enhanced": enhanced or "",
        "reason_name": reason_ui["name"], "reason_text": reason_ui["text"],
        "retry": ui["retry"][retry], "actor": ui["actor"][actor],
    }
    key = "explain_both" if basic and enhanced else "explain_basic" if basic else "explain_enhanced" if enhanced else "explain_none"
    if cls in ("2", "3"):
        advice_key = "explain_advice_positive"
    else:
        advice_key = {True: "explain_advice_permanent", False: "explain_advice_transient", None: "explain_advice_unknown"}[permanent]
    summary = fill(t[key], values) + " " + fill(t[advice_key], values)
    return Explanation(
        text=text, basic=rc, enhanced=ec, permanent=permanent, reason=reason, retry=retry, actor=actor,
        lang=lang, entries=entries, summary=summary, reason_name=reason_ui["name"],
        reason_text=reason_ui["text"], retry_text=ui["retry"][retry], actor_text=ui["actor"][actor],
    )
