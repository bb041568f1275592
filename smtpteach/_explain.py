"""Explain what people paste: replies, bounce diagnostics, log lines, exceptions.

Lenient where :func:`smtpteach.parse_reply` is strict. It finds the reply code
and the enhanced status code wherever they sit (``smtp; 550 ...``, Postfix's
``said: 550 ...``, qmail's ``(#5.1.1)``, smtplib's ``(550, b'...')``), never
invents one (a port such as ``:25:``, ``5501`` or ``999 9.9.9`` is not a
code, nor is "SpamAssassin 4.0.1" in the text of a 550, see
:func:`_agreeing_enhanced`), and names the reason with Sisimai's vocabulary.

The extraction and reason rules are data (``data/reasons.yaml``), so the
browser applies the very same rules (``static/core.js``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import cache
from itertools import product
from typing import Any

from ._catalogue import ACTORS, RETRY, Catalogue, _resolve, default_catalogue
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
_PERMANENT = {"5": True, "4": False}
# The fields of an advice: the retry advice for each column (by the failure's class), and who acts.
_ADVICE_FIELDS = ("permanent", "transient", "unknown", "actor")
# the retry advice of a text in which nothing names a cause and no code gives a class: explain()'s own, never a code's
NOT_KNOWN = "not-known"
_ADVICE_COLUMN = {"5": "permanent", "4": "transient", "": "unknown"}
_FILE = "smtpteach/data/reasons.yaml"
_KNOWN_FILE = "smtpteach/data/reasons-known.yaml"
_MODEL_FILE = "reason-model.json"
_GROUP_RE = re.compile(r"\(([^()]*)\)")
# One bytes.translate turns ASCII text into its words: A-Z become a-z, a-z and
# 0-9 stay, and every other byte becomes a space for split() to cut at.
_WORD_TABLE = bytes(c if (48 <= c <= 57 or 97 <= c <= 122) else c + 32 if 65 <= c <= 90 else 32 for c in range(256))
# Outside ASCII: a word is a run of letters and digits of any script, except that each kana, CJK
# ideograph and Hangul syllable is a word of its own (Japanese and Chinese put no spaces between
# words, and Korean writes its particles and endings onto the word: "메일함이", "메일함의").
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3"
_UNICODE_WORD = re.compile(f"[{_CJK}]|(?:(?![{_CJK}])[^\\W_])+")


def words_of(text: str) -> list[str]:
    """The words the reason rules read: the runs of letters and digits in the lowercased text.

    >>> words_of("550-5.7.1 RESOLVER.ADR.RecipNotFound; Hộp thư đã đầy")
    ['550', '5', '7', '1', 'resolver', 'adr', 'recipnotfound', 'hộp', 'thư', 'đã', 'đầy']

    Text that is not ASCII is lowercased, brought to its compatibility form (NFKC: a decomposed
    "ộ" is one letter, a full-width "５５０" is 550) and lowercased again, as the browser does it
    (``static/core.js``); letters and digits (Unicode's L and N) then make words. A combining mark
    that no precomposed letter takes in cuts a word, in Python and the browser alike: scripts that
    write vowels as marks (Thai, Devanagari) come out in pieces, and no rule is written in them.
    """
    if text.isascii():
        return text.encode("ascii").translate(_WORD_TABLE).decode("ascii").split()
    return _UNICODE_WORD.findall(unicodedata.normalize("NFKC", text.lower()).lower())


def expand_phrase(phrase: str) -> list[tuple[str, ...]]:
    """The word sequences a phrase stands for: "mailbox (is|) full" is two.

    >>> expand_phrase("mailbox (is|) full")
    [('mailbox', 'is', 'full'), ('mailbox', 'full')]
    """
    parts = _GROUP_RE.split(phrase)
    choices = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return [tuple(" ".join(combo).split()) for combo in product(*choices)]


class _Rules:
    """The compiled rules of data/reasons.yaml."""

    def __init__(self, data: dict[str, Any], model: dict[str, Any] | None = None):
        ex = data["extract"]
        a = re.ASCII  # \w and \d as JavaScript reads them
        self.unescape = re.compile(ex["unescape"], a)
        self.quoted_printable = re.compile(ex["quoted_printable"], a)
        self.unicode_escape = re.compile(ex["unicode_escape"], a)
        self.smtplib = re.compile(ex["smtplib"], a)
        self.transcript_failure = re.compile(ex["transcript_failure"], a)
        self.transcript_marks: tuple[str, ...] = tuple(ex["transcript_marks"])
        self.loopback = re.compile(ex["loopback"], a)
        self.start = re.compile(ex["start"], a)
        self.basic_tiers = [re.compile(p, a) for p in ex["basic"]]
        self.enhanced = re.compile(ex["enhanced"], a)
        self.continuation = re.compile(ex["continuation"], a)
        self.continuation_hint = re.compile(ex["continuation_hint"], a)
        self.words = re.compile(ex["words"], a)
        # Exim's log flags after a message id; a text whose flags all report a delivery is delivered
        self.exim_flag = re.compile(ex["exim_flag"], a)
        self.exim_delivered = frozenset(ex["exim_delivered"])
        # what follows an "=>" that dropped the address (":blackhole:", "discarded"), not delivered it
        self.exim_dropped = re.compile(ex["exim_dropped"], a)
        # 221: a reply that closes the session, which tells no delivery
        self.session_replies = frozenset(ex["session_replies"])
        # fields, angle brackets, addresses, hosts: the angle brackets as a regex, the others by
        # mask_fields(), mask_addresses() and mask_hosts(), which give what their regexes give, faster
        self.mask_fields, self.mask_angles, self.mask_addresses, self.mask_hosts = (re.compile(m, a) for m in ex["mask"])
        keys = re.fullmatch(r"\\b\(\?:([A-Za-z_|]+)\)=\[\^ \\t\\n\\r\\f\\v\\u00a0,\]\+", ex["mask"][0])
        if not keys:
            raise ValueError("reasons.yaml: mask_fields() implements \\b(?:key|...)=[^ \\t\\n\\r\\f\\v\\u00a0,]+ only")
        self._field_keys = sorted(keys.group(1).split("|"), key=len, reverse=True)
        if set(self._field_keys) != {"to", "from", "relay", "orig_to", "ctladdr", "R", "T", "H"}:
            raise ValueError("reasons.yaml: mask() looks for exactly these field names before calling mask_fields()")
        # the parts of the regexes that the fast paths match with re: a field's value, an address's
        # domain, a host's bracketed IP address
        self._field_value = re.compile(ex["mask"][0].split("=", 1)[1], a)
        self._domain = re.compile(ex["mask"][2].rsplit("@", 1)[1], a)
        self._host_ip = re.compile(r"\[" + ex["mask"][3].split(r"\[", 1)[1], a)
        self.code_gap = re.compile(ex["code_gap"] + "*", a)
        if ex["words"] != "[a-z0-9]+":
            raise ValueError("reasons.yaml: the fast word splitter below implements [a-z0-9]+ only")
        # phrase id -> word tuple
        self.phrases: list[tuple[str, ...]] = []
        # what to advise for each reason (the reasons table)
        self.reasons: dict[str, dict[str, str]] = data["reasons"]
        # rule: (reason, only, any ids, all groups, except ids, weak, advice); an "all" group holds one set
        # of ids per phrase (its alternatives), and matches when each of its sets has a phrase present
        self.rules: list[tuple[str, str, frozenset[int], list[tuple[frozenset[int], ...]], frozenset[int], bool,
                               dict[str, str]]] = []
        self.owners: dict[int, tuple[int, ...]] = {}
        # per tier: its key words and its index: its rarest word -> its next rarest words, each with the phrases
        # of the two, ((next rarest word, ((phrase id, needle), ...)), ...). The phrases of one key word share few
        # next words (a phrase's alternatives differ in the others), so a line whose words lack a next word skips
        # all of its phrases in one set lookup.
        # Two tiers of rules: those of reasons.yaml, and from "first_known" on those of reasons-known.yaml, whose
        # phrases are looked for only when no rule of the first tier names a reason. Most replies are read by
        # the first tier and pay nothing for the second, which is compiled the first time a reply needs it.
        self.tiers: list[tuple[frozenset[str], dict[str, tuple[tuple[str, tuple[tuple[int, str | None], ...]], ...]]]] = []
        self._data_rules = data["rules"]
        first_known = data.get("first_known", len(data["rules"]))
        self._pending = [(first_known, len(data["rules"]))] if first_known < len(data["rules"]) else []
        self._lock = threading.Lock()
        self._compile(0, first_known)
        self.key_words = self.tiers[0][0]  # every reply's lookup
        self.by_enhanced: dict[str, str] = dict(data["enhanced"])
        self.by_basic: dict[str, str] = dict(data["basic"])
        # the reason model (data/reason-model.json), for the replies that no rule or code names a reason for
        self.model = _Model(model) if model else None
        self._words_read: frozenset[str] | None = None  # words_read(), once it is asked for

    def words_read(self) -> frozenset[str]:
        """Every word that a phrase of a rule (each tier, each alternative), the reason model's weights, its words
        about mail or its ignored runs hold: the only words that can change what :func:`_classify` says. Worked out
        on first use, from the rules' data (the second tier is not compiled for it), and kept."""
        if self._words_read is None:
            words: set[str] = set()
            for rule in self._data_rules:
                for phrase in (*rule.get("any", ()), *rule.get("except", ()), *(q for group in rule.get("all", ()) for q in group)):
                    for sequence in expand_phrase(phrase):
                        words.update(sequence)
            if self.model is not None:
                words.update(self.model.words)
                words.update(self.model.about_mail)
                for run in self.model.ignore:
                    words.update(run.split())
            self._words_read = frozenset(words)
        return self._words_read

    def _compile(self, start: int, stop: int) -> None:
        """Compile the rules from ``start`` to ``stop`` as the next tier."""
        rules = self._data_rules[start:stop]
        # how many phrases each word is in: a phrase is keyed by its word in the
        # fewest (then the longest), so a line's key words bring few phrases to try
        every = [p for rule in rules for p in (*rule.get("any", ()), *rule.get("except", ()),
                                                *(q for group in rule.get("all", ()) for q in group))]
        spread = Counter(w for p in every for words in expand_phrase(p) for w in set(words))
        # each word's place in that order, worked out once (the second tier's 65,000 phrases sort their words with it)
        rank = {w: (len(w) < 3, n, -len(w), w) for w, n in spread.items()}
        tier: defaultdict[str, defaultdict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        owners: dict[int, set[int]] = {}
        first_phrase, first_rule = len(self.phrases), len(self.rules)
        def add(phrase: str, owner: int | None) -> list[int]:
            return self._add_all(phrase, owner, rank, tier, owners)

        try:
            for index, rule in enumerate(rules, start):
                any_ids = frozenset(i for p in rule.get("any", ()) for i in add(p, index))
                all_ids = [tuple(frozenset(add(p, index)) for p in group) for group in rule.get("all", ())]
                except_ids = frozenset(i for p in rule.get("except", ()) for i in add(p, None))
                self.rules.append((rule["reason"], str(rule.get("only", "")), any_ids, all_ids, except_ids,
                                   bool(rule.get("weak")), _rule_advice(rule, index, self.reasons)))
        except BaseException:  # an error, or Ctrl-C in a notebook: the tier is not half there, and is tried again
            del self.phrases[first_phrase:], self.rules[first_rule:]
            raise
        self.owners.update({pid: tuple(sorted(owners.get(pid, ()))) for pid in range(first_phrase, len(self.phrases))})
        # The entries, (phrase id, what it is looked for as in the words joined by single spaces, None for one word),
        # are made here, one key word after another, rather than as each phrase is read: a reply reads a key word's
        # entries together, and objects made together lie together in memory (explain() about 1.02x as fast).
        phrases = self.phrases
        index: dict[str, tuple[tuple[str, tuple[tuple[int, str | None], ...]], ...]] = {}
        for key, by_other in tier.items():
            index[key] = tuple([(other, tuple([(pid, " " + " ".join(phrases[pid]) + " " if len(phrases[pid]) > 1 else None)
                                               for pid in pids])) for other, pids in by_other.items()])
        self.tiers.append((frozenset(index), index))

    def tier(self, n: int) -> tuple[frozenset[str], dict[str, tuple[tuple[str, tuple[tuple[int, str | None], ...]], ...]]] | None:
        """Tier ``n`` (from 0), compiled when it is first reached; None after the last."""
        if n == len(self.tiers):
            if not self._pending:
                return None
            with self._lock:  # two threads reaching it at once compile it once
                if n == len(self.tiers):
                    if not self._pending:
                        return None
                    self._compile(*self._pending[0])
                    del self._pending[0]
        return self.tiers[n]

    def _add_all(self, phrase: str, owner: int | None, rank: dict[str, tuple[bool, int, int, str]],
                 tier: defaultdict[str, defaultdict[str, list[int]]], owners: dict[int, set[int]]) -> list[int]:
        """Number each word sequence of ``phrase`` and file it in ``tier``'s index; the numbers."""
        ids = []
        for words in expand_phrase(phrase):
            pid = len(self.phrases)
            self.phrases.append(words)
            ranked = sorted(set(words), key=rank.__getitem__)
            # keyed by its rarest word, then by its next rarest ("" when it has one word only) to look up first
            tier[ranked[0]][ranked[1] if len(ranked) > 1 else ""].append(pid)
            if owner is not None:
                owners.setdefault(pid, set()).add(owner)
            ids.append(pid)
        return ids


def _rule_advice(rule: dict[str, Any], index: int, reasons: dict[str, dict[str, str]]) -> dict[str, str]:
    """The advice for the replies a rule names: its reason's, with the rule's own "advice" fields over it."""
    from ._errors import CatalogueError

    reason = rule.get("reason")
    entry = f"rules[{index}] ({reason})"
    if reason not in reasons:
        raise CatalogueError(f"the reason {reason!r} has no advice in the reasons table",
                             file=_FILE, entry=entry, field="reason")
    own = rule.get("advice", {})
    fields = ", ".join(_ADVICE_FIELDS)
    if not isinstance(own, dict):
        raise CatalogueError(f"expected a mapping of {fields}, got {own!r}", file=_FILE, entry=entry, field="advice")
    note = rule.get("note", "")
    if not isinstance(note, str) or (note and not note.isidentifier()):
        raise CatalogueError(f"expected the key of a reason note in the UI files (reason_notes), got {note!r}",
                             file=_FILE, entry=entry, field="note")
    for key, value in own.items():
        if key not in _ADVICE_FIELDS:
            raise CatalogueError(f"unknown field; an advice has {fields}", file=_FILE, entry=entry, field=f"advice.{key}")
        # a failure's advice: never "continue" (a 3xx) or "depends" (the catalogue's word for a whole code)
        allowed = [v for v in (ACTORS if key == "actor" else (*RETRY, NOT_KNOWN)) if v not in ("continue", "depends")]
        if value not in allowed:
            raise CatalogueError(f"{value!r} is not one of {', '.join(allowed)}",
                                 file=_FILE, entry=entry, field=f"advice.{key}")
    return {**reasons[reason], **own, **({"note": note} if note else {})}


@cache
def _rules() -> _Rules:
    return _Rules(*rules_data())


@cache
def rules_data() -> tuple[dict[str, Any], dict[str, Any]]:
    """The data the reason rules are compiled from: data/reasons.yaml and the reason model,
    data/reason-model.json (the browser's compileRules takes the same two). Read once per
    process and shared by the rules, the record rules and every ExplainWidget: never changed."""
    import json
    import os

    from ._loading import _data_dir, _read_yaml

    folder = _data_dir()
    with open(os.path.join(folder, _MODEL_FILE), encoding="utf-8") as f:
        model = json.load(f)
    data = _read_yaml(os.path.join(folder, "reasons.yaml"), _FILE)
    _check_phrases(data["rules"])
    known = _read_yaml(os.path.join(folder, "reasons-known.yaml"), _KNOWN_FILE)
    # the families written from knowledge come after all those written from the corpus: they name a
    # reason only where none of those does
    return {**data, "rules": [*data["rules"], *known_rules(known)], "first_known": len(data["rules"])}, model


def _check_phrases(rules: list[dict[str, Any]]) -> None:
    """Refuse a phrase of data/reasons.yaml's rules that can never match (see :func:`can_match`): a typo such as
    "rules?" or "Mailbox" would otherwise leave its family silently shorter."""
    from ._errors import CatalogueError

    for index, rule in enumerate(rules):
        for field in ("any", "all", "except"):
            phrases = rule.get(field, ())
            for phrase in (p for group in phrases for p in group) if field == "all" else phrases:
                if not can_match(phrase):
                    raise CatalogueError(f"{phrase!r} can never match: a phrase is lowercase words of letters and digits",
                                         file=_FILE, entry=f"rules[{index}]", field=field)


def known_rules(known: Any) -> list[dict[str, Any]]:
    """The rules of data/reasons-known.yaml, checked: each names a reason of the vocabulary and
    phrases that can match, that is lowercase words of letters and digits (and "(a|b|)" groups);
    "except" and "weak" mean what they mean in data/reasons.yaml."""
    from ._errors import CatalogueError

    rules = known.get("rules") if isinstance(known, dict) else None
    if not isinstance(rules, list):
        raise CatalogueError("expected a mapping with a list of rules", file=_KNOWN_FILE)
    for index, rule in enumerate(rules):
        entry = f"rules[{index}]"
        if not isinstance(rule, dict) or not {"reason", "any"} <= set(rule) <= {"reason", "any", "except", "weak"}:
            raise CatalogueError("a rule has a reason and its phrases (any), and may have except and weak",
                                 file=_KNOWN_FILE, entry=entry)
        if not isinstance(rule.get("weak", False), bool):
            raise CatalogueError("expected true or false", file=_KNOWN_FILE, entry=entry, field="weak")
        if rule["reason"] not in REASONS:
            raise CatalogueError(f"{rule['reason']!r} is not a reason of Sisimai 5's vocabulary", file=_KNOWN_FILE,
                                 entry=entry, field="reason")
        for field in ("any", "except"):
            if field not in rule:
                continue
            phrases = rule[field]
            if not isinstance(phrases, list) or not phrases:
                raise CatalogueError("expected a list of phrases", file=_KNOWN_FILE, entry=entry, field=field)
            for phrase in phrases:
                if not can_match(phrase):
                    raise CatalogueError(f"{phrase!r} can never match: a phrase is lowercase words of letters and digits",
                                         file=_KNOWN_FILE, entry=entry, field=field)
    return [_with_unmarked(rule) for rule in rules]


def unmarked(phrase: str) -> str | None:
    """``phrase`` as it is typed without its diacritics, when that is plain ASCII and still two words or more in
    every reading: many Vietnamese servers and admins write Vietnamese so ("hop thu da day"); a phrase of one
    word, or of another script (a Japanese kana's voicing mark is a combining mark too), has none.

    >>> unmarked("hộp thư (đã|) đầy"), unmarked("đầy"), unmarked("mailbox full"), unmarked("ユーザ (が|) 存在")
    ('hop thu (da|) day', None, None, None)
    """
    if phrase.isascii():
        return None
    decomposed = unicodedata.normalize("NFD", phrase.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    if not plain.isascii() or min(len(words) for words in expand_phrase(plain)) < 2:
        return None
    return plain


def _with_unmarked(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule of reasons-known.yaml with each of its phrases also as typed without diacritics (:func:`unmarked`),
    right after it; the browser takes the rules as this gives them."""
    out = dict(rule)
    for field in ("any", "except"):
        if field in rule:
            out[field] = [variant for phrase in rule[field] for variant in (phrase, unmarked(phrase)) if variant]
    return out


def can_match(phrase: Any) -> bool:
    """Whether every word sequence ``phrase`` stands for is words as :func:`words_of` reads them, and none
    is empty; read off the phrase itself, without expanding its alternatives (the file holds thousands).

    >>> can_match("mailbox (is|) full"), can_match("Mailbox full"), can_match("over-quota"), can_match("(a|)")
    (True, False, False, False)
    """
    if not isinstance(phrase, str):
        return False
    parts = _GROUP_RE.split(phrase)
    literal, groups = parts[0::2], parts[1::2]
    if any(mark in part for part in literal for mark in "()|"):  # a parenthesis or a choice outside a group
        return False
    tokens = [word for part in parts for word in part.replace("|", " ").split()]
    if not tokens or words_of(" ".join(tokens)) != tokens:
        return False
    # every reading has a word: one outside the groups, or a group whose every choice has one
    return any(part.strip() for part in literal) or any(all(choice.strip() for choice in g.split("|")) for g in groups)


def rules_for_browser() -> dict[str, Any]:
    """What the browser's ``compileRules`` (static/core.js) takes first: data/reasons.yaml. What only a
    reply that these rules and the codes leave unexplained needs comes apart (:func:`later_for_browser`):
    a static page loads it only when a reader types into an ExplainWidget."""
    data, _ = rules_data()
    own = {k: v for k, v in data.items() if k != "first_known"}
    return {**own, "rules": data["rules"][: data["first_known"]]}


def later_for_browser() -> dict[str, Any]:
    """What compileRules (static/core.js) takes second: the rules of data/reasons-known.yaml ("rules"),
    which come after those of :func:`rules_for_browser`, and the weights of the reason model ("model";
    its provenance is left out of the page)."""
    data, model = rules_data()
    return {"rules": data["rules"][data["first_known"]:],
            "model": {k: model[k] for k in ("min_words", "min_cues", "margin", "about_mail", "ignore", "reasons", "prior",
                                            "words")}}


# a number of an enhanced code written with a leading zero ("5.01.1"): the code is written again without it ("5.0.0"
# has none, and is taken as it is)
_PADDED = re.compile(r"\.0[0-9]")
_SOFT_BREAK = re.compile(r"=\r?\n")
_QP_BYTE = re.compile(rb"=([0-9A-F]{2})")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def readable(text: str, r: _Rules) -> str:
    r"""``text`` as a server wrote it, where it comes in a form made for transport: a quoted-printable body (its soft
    line breaks joined, its "=XX" bytes read as UTF-8) and characters written out as JSON writes them ("\u00e4")
    made the characters again. Any other text is returned as it is.

    >>> readable("550 5.1.1 The email account that you tried to reach does not exist. Please try dou=\nble-checking", _rules())
    '550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking'
    >>> readable("Das Postfach des Empf=C3=A4ngers ist voll", _rules()), readable('"Empf\\u00e4nger \\ud83d\\udce7"', _rules())
    ('Das Postfach des Empfängers ist voll', '"Empfänger 📧"')
    >>> readable("to=<bob@example.org>, relay=DC1.example.org, dsn=5.1.1, status=bounced", _rules())  # no sign of it
    'to=<bob@example.org>, relay=DC1.example.org, dsn=5.1.1, status=bounced'
    """
    if "=" in text and r.quoted_printable.search(text):
        # a lone surrogate is one U+FFFD, as the page's TextEncoder makes it (its three bytes would be three)
        joined = _LONE_SURROGATE.sub("\ufffd", _SOFT_BREAK.sub("", text))
        raw = _QP_BYTE.sub(lambda m: bytes((int(m.group(1), 16),)), joined.encode("utf-8"))
        text = raw.decode("utf-8", "replace")
    if "\\u" in text:
        text = r.unicode_escape.sub(_unicode_char, text)
    return text


def line_as_given(text: str, line: int) -> int:
    r"""The line of ``text``, quoted-printable, where line ``line`` of its decoded form (:func:`readable`) starts: a
    soft line break ("=" at a line's end) joins two of its lines into one.

    >>> line_as_given("550 a long reply cut=\nin two\n452 4.2.2 full", 2)
    3
    """
    given = 1
    for m in re.finditer(r"\r\n|\r|\n", text):
        if line == 1:
            break
        given += 1
        if m.group() == "\r" or text[m.start() - 1:m.start()] != "=":
            line -= 1  # a hard line break: one line of the decoded text ends here
    return given


def _check_one_record(lines: str, given: str, read: str, text: str, r: _Rules) -> None:
    """Raise MixedRecordsError when ``lines`` (``text`` as its records are read) hold more than one record, naming
    the line where the second starts in the text as ``given``: before its soft line breaks were joined (``read``,
    quoted-printable) and, for a whole message, in the message rather than in what was read of it."""
    from ._errors import MixedRecordsError
    from ._records import check_one_record, mixed_records

    try:
        check_one_record(lines)
    except MixedRecordsError as exc:
        line = exc.line
        if read != text and "=" in read and r.quoted_printable.search(read):
            line = line_as_given(read, line)
        if read is not given:  # a whole message: message_text() read its record
            from ._triage._bounces import message_line

            line = message_line(given, read, line)
        raise mixed_records(line, exc.kind) from None


def _unicode_char(m: re.Match[str]) -> str:
    if m.group("one"):
        return chr(int(m.group("one"), 16))
    high, low = int(m.group("high"), 16), int(m.group("low"), 16)
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _unescape_bytes(text: str) -> str:
    return text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\'", "'").replace('\\"', '"')


def with_line_breaks(text: str, r: _Rules) -> str:
    r"""``text`` with its line breaks written out as "\n" or "\r\n" (a JSON log, an exception's repr) made real
    ones, when it has no real one; as it is otherwise. What extract() reads, and what the one-record check reads.

    >>> with_line_breaks("550-5.1.1 no such\\n550 5.1.1 user", _rules()).splitlines()
    ['550-5.1.1 no such', '550 5.1.1 user']
    >>> with_line_breaks("550 a\\n550 b\n", _rules()).count("\\")  # a real line break: left as it is
    1
    """
    return r.unescape.sub("\n", text) if "\\n" in text and "\n" not in text else text


def failing_part(text: str, r: _Rules) -> str:
    """``text`` from the first failing reply of a session transcript it holds ("<-- 550 5.1.1 ...", "->> 553 ..."), when
    a success comes before it ("<-- 250 2.1.0 Ok"); the whole text otherwise.

    >>> failing_part("<-- 220 mx ESMTP\\n<-- 250 2.1.0 Ok\\n<-- 550 5.1.1 no such user\\n--> QUIT", _rules())
    '<-- 550 5.1.1 no such user\\n--> QUIT'
    """
    if "\n" not in text or not any(mark in text for mark in r.transcript_marks):
        return text
    m = r.transcript_failure.search(text)
    return text[m.start():] if m else text


def extract(text: str, rules: _Rules | None = None) -> tuple[str | None, str | None, str]:
    """Find (basic, enhanced, message) in ``text``; None where there is none."""
    r = rules or _rules()
    basic = enhanced = None
    message = text
    after = 0  # where the server's own text starts in message, after the basic code
    m = r.smtplib.search(text) if "(" in text else None
    if m:
        basic = m.group("code")
        message = _unescape_bytes(m.group("msg") if m.group("msg") is not None else m.group("msg2"))
    else:
        # most texts have none: no call on the common path (and one character is looked for faster than two)
        if "\\" in text and "\\n" in text:
            text = message = with_line_breaks(text, r)
        m = r.start.match(text)
        if m:
            code, enh = m.group("code", "enh")
            return code, enh, message
        for tier in r.basic_tiers:
            m = tier.search(text)
            if m:
                basic = m.group("code")
                after = m.end("code")
                break
    e = r.enhanced.search(message)
    if e:
        enhanced = e.group("enh")
        if basic and enhanced[0] != basic[0] and e.start() >= after:
            enhanced = _agreeing_enhanced(r, message, basic, after, e)
    return basic, enhanced, message


def _agreeing_enhanced(r: _Rules, message: str, basic: str, after: int, first: re.Match[str]) -> str | None:
    """The enhanced code of a server's text whose first code disagrees with its reply code.

    RFC 2034 section 4: a server's enhanced code agrees with its reply code (5.X.X
    goes with 5xx). A disagreeing code right after the reply code is still the
    server's, as a server that breaks the rule writes it ("550 4.7.1"). Further on
    in the server's text it is some other number of that shape ("SpamAssassin
    4.0.1"), and a later code that agrees is taken instead. A code before the reply
    code, such as Postfix's "dsn=4.0.0", belongs to the log line around the reply
    and is taken as it is (the caller does not ask).
    """
    if r.code_gap.fullmatch(message, after, first.start()):
        return first.group("enh")
    for e in r.enhanced.finditer(message, first.end()):
        if e.group("enh")[0] == basic[0]:
            return e.group("enh")
    return None


# what ends an address's local part and domain for mask_addresses() (the characters the address regex of
# data/reasons.yaml excludes): space, brackets, quotes and separators, the curly quotes, and the punctuation of
# Japanese and Chinese text (U+3000 to U+303F, the full-width parentheses, comma, colons and angle brackets), which
# puts no space around an address ("アドレス「x@example.jp」は", "发送到“x@example.com”的邮件")
_SEPARATORS = frozenset(" \t\n\r\f\v\u00a0<>()[]'\",;:\u2018\u2019\u201c\u201d\uff08\uff09\uff0c\uff1a\uff1b\uff1c\uff1e"
                        + "".join(map(chr, range(0x3000, 0x3040))))
_HOST_CHARS_STR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"
_HOST_CHARS = frozenset(_HOST_CHARS_STR)


def mask(text: str, rules: _Rules | None = None) -> str:
    """Hide what is not the server's words from the message rules (``extract.mask``):
    log fields naming an address or host, text in angle brackets, addresses, and
    host names with their IP address.

    >>> mask("to=<ana@example.org>, relay=spam-gw.example.org[192.0.2.4]:25, said: 550 dmarc@example.org: no")
    ' ,  , said: 550  : no'
    """
    r = rules or _rules()
    if "=" in text and ("to=" in text or "from=" in text or "relay=" in text or "ctladdr=" in text
                        or "R=" in text or "T=" in text or "H=" in text):
        text = mask_fields(text, r)
    if "<" in text:
        text = r.mask_angles.sub(" ", text)
    if "@" in text:
        text = mask_addresses(text, r)
    if "[" in text:
        text = mask_hosts(text, r)
    return text


def _mask_around(text: str, mark: str, span: Any, r: _Rules) -> str:
    """Replace by a space each span that ``span(text, at, done, r)`` finds around an
    occurrence of ``mark``, left to right, as ``re.sub`` replaces its matches."""
    out: list[str] = []
    done = 0
    at = text.find(mark)
    while at != -1:
        found = span(text, at, done, r)
        if found:
            out += (text[done:found[0]], " ")
            done = found[1]
            at = text.find(mark, done)
        else:
            at = text.find(mark, at + 1)
    return "".join(out) + text[done:] if out else text


def _field_span(text: str, eq: int, done: int, r: _Rules) -> tuple[int, int] | None:
    value = r._field_value.match(text, eq + 1)
    if value:
        for key in r._field_keys:  # longest first: the one that starts first
            at = eq - len(key)
            if at >= done and text.startswith(key, at) and (at == 0 or not _is_word(text[at - 1])):
                return at, value.end()
    return None


def _address_span(text: str, at: int, done: int, r: _Rules) -> tuple[int, int] | None:
    start = at
    while start > 0 and text[start - 1] not in _SEPARATORS and text[start - 1] != "@":
        start -= 1
    # the regex's local part follows a separator (or the start), and cannot reach back into its last match
    if start < at and start >= done and (start == 0 or text[start - 1] != "@"):
        domain = r._domain.match(text, at + 1)
        if domain:
            return start, domain.end()
    return None


def _host_span(text: str, bracket: int, done: int, r: _Rules) -> tuple[int, int] | None:
    # most brackets follow a space or hold no IP address ("[TSS04]", "smtp[1322]")
    if not bracket or text[bracket - 1] not in _HOST_CHARS:
        return None
    address = r._host_ip.match(text, bracket)
    if address:
        before = text[done:bracket]
        start = bracket - (len(before) - len(before.rstrip(_HOST_CHARS_STR)))
        # the regex's host name follows a character that is not part of one
        if start == 0 or text[start - 1] not in _HOST_CHARS:
            return start, address.end()
    return None


def mask_fields(text: str, r: _Rules) -> str:
    """``r.mask_fields.sub(" ", text)``, found from each "=" instead of tried at every character."""
    return _mask_around(text, "=", _field_span, r)


def mask_addresses(text: str, r: _Rules) -> str:
    """``r.mask_addresses.sub(" ", text)``, found from each "@" instead of tried at every character."""
    return _mask_around(text, "@", _address_span, r)


def mask_hosts(text: str, r: _Rules) -> str:
    """``r.mask_hosts.sub(" ", text)``, found from each "[" instead of tried at every character."""
    return _mask_around(text, "[", _host_span, r)


def _is_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def speaks_of_mail(text: str, rules: _Rules | None = None) -> bool:
    """Whether the words of ``text`` are about mail: one of the words the reason model takes for a sign of
    mail ("smtp", "recipient", "mailbox", "spam", ...), or a phrase that a reason rule reads, codes aside. A
    number shaped like a code proves nothing in a line of some other program's log (an HTTP status, a
    version number): :func:`smtpteach.triage` takes such a line for a reply only when its words speak of mail.

    >>> speaks_of_mail("421 4.7.0 Try again later, closing connection")
    True
    >>> speaks_of_mail('192.0.2.1 - - [06/Dec/2026:05:00:02 +0000] "GET / HTTP/1.1" 404 153')
    False
    """
    r = rules or _rules()
    # numbers aside: "5 5 5" is a phrase of a rule that reads an enhanced code written out in words
    words = [w for w in reply_words(text, r) if not w.isdigit()]
    if r.model is not None and not r.model.about_mail.isdisjoint(words):
        return True
    if any(w.startswith("smtp") for w in words):  # "SMTPDataError", "smtpd", "smtp_gw"
        return True
    # a rule of words alone, for a failure of either class ("only" rules of both are tried)
    return any(_classify(text, None, None, r, cls, words)[0] != "undefined" for cls in ("5", "4"))


def exim_report(text: str, r: _Rules) -> str | None:
    """What Exim's log says of a delivery in ``text`` (``extract.exim_flag``), read in one pass: "delivered" when it
    has a flag after a message id and every such flag is one of ``extract.exim_delivered``, "discarded" when one of
    them dropped its address instead (``extract.exim_dropped`` just after the flag), None otherwise.

    >>> exim_report("1rNbX2-0003Zk-1F => ann@example.org R=dnslookup T=remote_smtp", _rules())
    'delivered'
    >>> exim_report("1rNbX2-0003Zk-1F => :blackhole: <ann@example.org> R=blackhole_router", _rules())
    'discarded'
    >>> exim_report("1rNbX2-0003Zk-1F => discarded <discarded@example.org> R=localuser T=local_delivery", _rules())
    'delivered'
    >>> exim_report("a@example.org => b@example.org", _rules()) is None
    True
    """
    said = None
    for m in r.exim_flag.finditer(text):
        if m.group("flag") not in r.exim_delivered:
            return None
        if said != "discarded":
            said = "discarded" if r.exim_dropped.match(text, m.end("flag")) else "delivered"
    return said


def reports_delivery(text: str, r: _Rules) -> bool:
    """Whether ``text`` is Exim's log of deliveries (:func:`exim_report`), a dropped address among them or not."""
    return exim_report(text, r) is not None


# What an address that the server's own configuration dropped is explained as (Exim's "=> :blackhole:", Postfix's
# discard agent): reason, retry, actor and note. The side that set it up so (an alias, a router, a filter, a transport
# map) is the server's that logged it, and sending again is dropped again; its admin knows why.
DISCARDED = ("filtered", "dont-retry", "recipient-admin", "discarded")


def classify(text: str, basic: str | None, enhanced: str | None, rules: _Rules | None = None) -> str:
    """Sisimai's reason for a diagnostic: the message rules, then the enhanced code, then
    the weak message rules (stock wording such as "service unavailable"), then the basic code."""
    r = rules or _rules()
    return _classify(text, basic, enhanced, r, basic[0] if basic else (enhanced[0] if enhanced else ""))[0]


def reply_words(message: str, rules: _Rules | None = None) -> list[str]:
    """The words that the reason rules and the reason model read in a server's message: what
    :func:`mask` leaves, without the continuation prefixes of a multi-line reply.

    >>> reply_words("550-5.7.1 <ana@example.org> Mailbox FULL\\n550 5.7.1 try later")
    ['mailbox', 'full', 'try', 'later']
    """
    r = rules or _rules()
    text = mask(message, r)
    if "-" in text and r.continuation_hint.search(text):
        text = r.continuation.sub(" ", text)
    return words_of(text)


def model_words(words: list[str]) -> set[str]:
    """The words the reason model weighs (``data/reason-model.json``): each distinct word of three
    characters or more that is not a number (codes and counts are the rules' business; shorter words
    are mostly pieces of host names and addresses, single kana, ideographs or Hangul syllables, and
    words such as "is", "to" or "đã" that go with every reason).

    >>> sorted(model_words(["550", "5", "mailbox", "is", "full", "full", "x", "2fa"]))
    ['2fa', 'full', 'mailbox']
    """
    return {w for w in words if len(w) > 2 and not w.isdigit()}


class _Model:
    """The reason model of data/reason-model.json (tools/train_reason_model.py): linear over the words of a
    reply (an averaged perceptron), with integer weights, so that Python and the browser add up the same sums."""

    def __init__(self, data: dict[str, Any]):
        self.reasons: tuple[str, ...] = tuple(data["reasons"])
        self.min_words: int = data["min_words"]
        self.min_cues: int = data["min_cues"]
        self.margin: int = data["margin"]
        # the words of a text about mail: a text with none of them and no reply code is not read at all
        self.about_mail: frozenset[str] = frozenset(data["about_mail"])
        # runs of words the model never reads: the field names of a delivery status notification
        self.ignore: tuple[str, ...] = tuple(" " + phrase + " " for phrase in data["ignore"])
        # a reason's score starts at its prior; each word the model knows adds its weight for that reason
        self.prior: tuple[int, ...] = tuple(data["prior"])
        # word -> (the index of the reason it is a cue of, or -1; its (reason index, weight) pairs)
        self.words: dict[str, tuple[int, tuple[tuple[int, int], ...]]] = {
            w: (entry[0], tuple(zip(entry[1::2], entry[2::2]))) for w, entry in data["words"].items()}

    def readable(self, words: list[str]) -> list[str]:
        """The words without the runs of ``ignore`` ("final recipient", "diagnostic code"), each taken
        out left to right as often as it occurs, until none is left."""
        joined = " " + " ".join(words) + " "
        for needle in self.ignore:
            while needle in joined:
                joined = joined.replace(needle, " ")
        return joined.split()

    def guess(self, words: list[str], coded: bool) -> tuple[str, tuple[str, ...]] | None:
        """The likeliest reason for these words and its cues among them, the words that decided it
        (at most three, the strongest first); None for a text that is not about mail (``coded`` False: no
        reply code; and none of the words of ``about_mail``), when the model knows fewer than
        ``min_words`` of the words, when the likeliest reason does not beat every other by ``margin``,
        or when fewer than ``min_cues`` of the words are cues of it."""
        if self.ignore:
            words = self.readable(words)
        # a field name of a DSN ("Original-Recipient:") is no sign that the text is about mail: the words it leaves
        if not coded and self.about_mail.isdisjoint(words):
            return None
        # every word of the vocabulary is one that model_words() keeps, so the vocabulary alone filters
        known = self.words.keys() & words
        if len(known) < self.min_words:
            return None
        scores = list(self.prior)
        table = self.words
        for w in known:
            for index, weight in table[w][1]:
                scores[index] += weight
        best = scores.index(max(scores))
        if scores[best] - max(s for i, s in enumerate(scores) if i != best) < self.margin:
            return None
        cues = [w for w in known if table[w][0] == best]
        if len(cues) < self.min_cues:
            return None
        # a cue's own reason is among its weights (the trainer keeps a cue only where it weighs for its reason)
        weight = {w: dict(self.words[w][1])[best] for w in cues}
        return self.reasons[best], tuple(sorted(cues, key=lambda w: (-weight[w], w))[:3])


def _classify(text: str, basic: str | None, enhanced: str | None, r: _Rules, cls: str,
              words: list[str] | None = None) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """:func:`classify`'s reason, with the advice for it (a rule's own advice where the rule that
    named the reason has one), for a failure of class ``cls`` ("4", "5" or "" when nothing says), and
    the words that decided it when the reason model did (an empty tuple when a rule or a code did).
    ``words`` are the text's words when the caller has them already (reply_words)."""
    if words is None:
        words = reply_words(text, r)
    # A phrase is present when its words stand in a row, that is when
    # " w1 w2 ... " occurs in the words joined by single spaces. Only phrases
    # whose key word occurs at all are tried (one set intersection finds
    # them), so a line costs a few substring tests, not one per phrase.
    present: set[int] | None = None  # the phrases found so far, tier by tier
    weak = None  # a weak rule (its index) gives way to the enhanced code's reason
    joined = None
    # a phrase's second word must be among the words too (one set lookup for all the phrases of a key word that
    # share it, before any substring test); "" is the second word of a phrase of one word, and no key word
    second = {"", *words}
    owners, rules = r.owners, r.rules
    # the tiers compiled so far are read from the list (no generator, no call): a later one is compiled when a reply
    # first reaches it
    tiers = r.tiers
    n = 0
    while True:
        if n < len(tiers):
            key_words, by_key = tiers[n]
        else:
            reached = r.tier(n)
            if reached is None:
                break
            key_words, by_key = reached
        n += 1
        keys = key_words.intersection(second)
        if not keys:
            continue
        if joined is None:
            joined = " " + " ".join(words) + " "
        found = set()
        for word in keys:
            for other, phrases in by_key[word]:
                if other in second:
                    for pid, needle in phrases:
                        if needle is None or needle in joined:
                            found.add(pid)
        if not found:
            continue
        if present is None:
            present = found  # (the first tier's phrases are not copied: found is not read after this tier)
        else:
            present |= found
        candidates = sorted({owner for pid in found for owner in owners[pid]}) if len(found) > 1 else owners[next(iter(found))]
        for index in candidates:
            reason, only, any_ids, all_ids, except_ids, is_weak, advice = rules[index]
            if only and only != cls:
                continue
            if except_ids and not except_ids.isdisjoint(present):
                continue
            if any_ids.isdisjoint(present):
                # an "all" group matches when each of its sets has a phrase present (a loop, not any() over a
                # generator: most rules have no group, and a generator costs more than the test)
                for group in all_ids:
                    if not any(map(present.isdisjoint, group)):
                        break
                else:
                    continue
            if not is_weak:
                return reason, advice, ()
            if weak is None:
                weak = index
    if enhanced:
        reason = r.by_enhanced.get(enhanced) or r.by_enhanced.get("X." + enhanced.split(".", 1)[1])
        if reason:
            return reason, r.reasons[reason], ()
    if weak is not None:
        rule = r.rules[weak]
        return rule[0], rule[6], ()
    if basic:
        reason = r.by_basic.get(basic) or r.by_basic.get(basic[0] + "xx")
        if reason and reason != "undefined":
            return reason, r.reasons[reason], ()
    # nothing above names a reason: the reason model weighs the words, when it knows enough of them
    if r.model is not None:
        guess = r.model.guess(words, bool(basic or enhanced))
        if guess:
            return guess[0], r.reasons[guess[0]], guess[1]
    return "undefined", r.reasons["undefined"], ()


class ClassifyMemo:
    """:func:`_classify`'s answers remembered for the words that can change them, for a reader of many replies
    (:func:`smtpteach.triage`): a log repeats a few wordings thousands of times, each with its own addresses, queue
    IDs and tracking tokens ("... NoSuchUser d9443c01a7336-1dd9c3a4b1csi1234pll.124 - gsmtp"), which no rule reads.

    The key is the codes, the failure's class and the reply's words with each run of words that no rule's phrase, the
    reason model, its words about mail or its ignored runs hold written as one "_" (which no word is: a word is
    letters and digits). Every step of :func:`_classify` reads only such words: the key words and their next words
    it looks up are a phrase's, a phrase is looked for with its words in a row (a run of other words between two of
    them keeps them apart whether it is one word or five), the model weighs the words it knows and counts nothing
    else, and its evidence is made of those. So two replies with one key get one answer, and the memo gives the
    answer :func:`_classify` gives (``tests/test_explain_memo.py`` checks it on the whole corpus, with words no rule
    reads put in anywhere). At most ``size`` answers are kept; when it is full it starts again, so memory stays flat (a size of 0
    keeps none).
    The vocabulary is the rules' own (:meth:`_Rules.words_read`)."""

    __slots__ = ("_rules", "_vocabulary", "_answers", "_size")

    def __init__(self, rules: _Rules | None = None, size: int = 1024):
        self._rules = rules or _rules()
        self._vocabulary: frozenset[str] | None = None
        self._answers: dict[tuple, tuple[str, dict[str, str], tuple[str, ...]]] = {}
        self._size = size

    def key(self, words: list[str]) -> tuple[str, ...]:
        """The words as the rules can tell them apart: a run of words none of them reads is one "_"."""
        known = self._vocabulary
        if known is None:
            known = self._vocabulary = self._rules.words_read()
        out: list[str] = []
        gap = False
        for w in words:
            if w in known:
                out.append(w)
                gap = False
            elif not gap:
                out.append("_")
                gap = True
        return tuple(out)

    def __call__(self, text: str, basic: str | None, enhanced: str | None, r: _Rules, cls: str,
                 words: list[str] | None = None) -> tuple[str, dict[str, str], tuple[str, ...]]:
        if not self._size:  # a memo of no size remembers nothing (the benchmark's peer run)
            return _classify(text, basic, enhanced, r, cls, words)
        if words is None:
            words = reply_words(text, r)
        key = (basic, enhanced, cls, self.key(words))
        answer = self._answers.get(key)
        if answer is None:
            if len(self._answers) >= self._size:
                self._answers.clear()
            answer = self._answers[key] = _classify(text, basic, enhanced, r, cls, words)
        return answer


def reason_words(ui: dict[str, Any], reason: str, note: str | None) -> dict[str, str]:
    """The name and text a reason is said with in one language's UI strings: those of the family a rule's note
    names (greylisting within blocked), or the reason's own, also where a catalogue of one's own made before
    reason_notes has no words for the note. core.js's reasonWords is the same."""
    notes = ui.get("reason_notes", {})
    return notes[note] if note in notes else ui["reasons"][reason]


class Explanation:
    """What a pasted reply means.

    ``basic`` and ``enhanced`` are the codes found (or None); ``permanent`` is
    True for a permanent failure, False for a temporary one and None when
    nothing says; ``reason`` is Sisimai's name for the cause; ``retry`` and
    ``actor`` are the advice. ``evidence`` holds the words that decided the reason
    when no rule or code named one and the reason model weighed the words (at most
    three, the strongest first), and is empty otherwise. ``summary``, ``entries``
    and the texts are worked out on first use.
    """

    __slots__ = ("text", "_basic", "_enhanced", "permanent", "reason", "retry", "actor", "lang", "_catalogue", "_cache",
                 "evidence", "note")

    def __init__(self, text: str, basic: str | None, enhanced: str | None,
                 permanent: bool | None, reason: str, retry: str, actor: str, lang: str, catalogue: Catalogue,
                 evidence: tuple[str, ...] = (), note: str = ""):
        self.text, self._basic, self._enhanced, self.permanent = text, basic, enhanced, permanent
        self.reason, self.retry, self.actor, self.lang = reason, retry, actor, lang
        self.evidence = evidence
        # a family the reason's own name would mislead about (greylisting is "blocked" to Sisimai): the key of
        # its name and text in the UI files' reason_notes, or ""
        self.note = note
        self._catalogue = catalogue
        self._cache: dict[str, Any] | None = None

    @property
    def basic(self) -> ReplyCode | None:
        """The reply code found, or None (built on first use: most callers want the reason)."""
        return ReplyCode._trusted(self._basic) if self._basic else None

    @property
    def enhanced(self) -> EnhancedStatusCode | None:
        """The enhanced status code found, or None."""
        return EnhancedStatusCode._trusted(self._enhanced) if self._enhanced else None

    def _ui(self) -> dict[str, Any]:
        return self._catalogue.ui(lang=self.lang)

    def _memo(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = {}
        return self._cache

    @property
    def entries(self) -> tuple:
        """The catalogue entries for the codes found (a code not in the catalogue is skipped)."""
        memo = self._memo()
        if "entries" not in memo:
            cat = self._catalogue
            found = (cat.get(self.basic.code) if self.basic else None, cat.get(self.enhanced.code) if self.enhanced else None)
            memo["entries"] = tuple(e for e in found if e is not None)
        return memo["entries"]

    @property
    def reason_name(self) -> str:
        return reason_words(self._ui(), self.reason, self.note)["name"]

    @property
    def reason_text(self) -> str:
        return reason_words(self._ui(), self.reason, self.note)["text"]

    @property
    def retry_text(self) -> str:
        return self._ui()["retry"][self.retry]

    @property
    def actor_text(self) -> str:
        return self._ui()["actor"][self.actor]

    @property
    def summary(self) -> str:
        """Two sentences in ``lang``: what it is, and what to do."""
        memo = self._memo()
        if "summary" not in memo:
            t = self._ui()["templates"]
            basic = self.basic.code if self.basic else ""
            enhanced = self.enhanced.code if self.enhanced else ""
            values = {"basic": basic, "enhanced": enhanced, "reason_name": self.reason_name,
                      "reason_text": self.reason_text, "retry": self.retry_text, "actor": self.actor_text}
            key = "explain_both" if basic and enhanced else "explain_basic" if basic else "explain_enhanced" if enhanced else "explain_none"
            cls = (basic or enhanced)[:1]
            if cls == "3":  # a step of the dialogue, not a verdict: there is no reason to name
                key = "explain_intermediate"
            if cls == "3" or self.reason == "delivered":  # a delivery, with or without a code
                advice = "explain_advice_positive"
            elif self.reason == "expired":  # the queue gave up: not "temporary", whatever the last reply's class
                advice = "explain_advice_expired"
            elif self.retry == NOT_KNOWN:  # nothing named a cause, and nothing gave a class: no advice to give
                advice = "explain_advice_nothing"
            else:
                advice = {True: "explain_advice_permanent", False: "explain_advice_transient", None: "explain_advice_unknown"}[self.permanent]
                if self.actor == "nobody":  # "nobody has to act" is its own sentence, in every language
                    advice += "_nobody"
            memo["summary"] = fill(t[key], values) + " " + fill(t[advice], values)
        return memo["summary"]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``smtpteach explain --format json``)."""
        return {
            "basic": self._basic,
            "enhanced": self.enhanced.code if self._enhanced else None,
            "permanent": self.permanent,
            "reason": self.reason,
            "retry": self.retry,
            "actor": self.actor,
            "summary": self.summary,
            # the words that decided the reason when the reason model did; empty when a rule or a code did
            "evidence": list(self.evidence),
            # the family a rule named within the reason ("greylisting" within blocked), or None
            "note": self.note or None,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Explanation):
            return NotImplemented
        return (self.text, self.lang, self.as_dict()) == (other.text, other.lang, other.as_dict())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        codes = " ".join(c.code for c in (self.basic, self.enhanced) if c) or "no code"
        return f"Explanation({codes}, reason={self.reason!r}, retry={self.retry!r})"


def explain(text: str, *, lang: str = "en", catalogue: Catalogue | None = None) -> Explanation:
    """Explain a reply, a bounce's diagnostic, a log line or an exception.

    The text is one record: a multi-line reply or a folded field is one, but two
    log lines with a delivery status, two replies or two recipient blocks of a DSN
    raise :class:`MixedRecordsError` (read those with :func:`smtpteach.triage`).

    A whole message as it is stored (a bounce saved as .eml, its header first) is read as
    triage reads it: by its recipient block, or by what a plain bounce says of its address;
    one about two recipients or more raises :class:`MixedRecordsError`. (The ExplainWidget
    of a static page takes no message apart, and says so.)

    A text in a form made for transport is read as the server wrote it: a bounce's body
    pasted in MIME's quoted-printable, as a mail client's "show original" shows it, and
    characters written out as a JSON log writes them (``\\u00e4``). The result's ``text``
    is the text as given.

    >>> e = explain("smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
    >>> e.basic, e.enhanced, e.permanent, e.reason, e.retry
    (ReplyCode('550'), EnhancedStatusCode('5.1.1'), True, 'userunknown', 'dont-retry')
    >>> explain("connect to mx.example.org[192.0.2.2]:25: No route to host").basic is None
    True
    """
    return _explain(text, lang, catalogue, _classify)


def _explain(text: Any, lang: str, catalogue: Catalogue | None, classify: Callable[..., tuple]) -> Explanation:
    """:func:`explain`, with the reason read by ``classify``: :func:`_classify`, or a :class:`ClassifyMemo` of it."""
    if not isinstance(text, str):
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8", "replace")
        else:
            from ._errors import InvalidTypeError

            raise InvalidTypeError(f"expected text to explain, got {type(text).__name__}")
    if catalogue is None:
        cat = _DEFAULT_CATALOGUE if _DEFAULT_CATALOGUE is not None else _default()
    else:
        cat = _resolve(catalogue)  # anything but a Catalogue is an InvalidTypeError
    if lang not in cat.languages:
        cat._require_language(lang)
    r = _RULES if _RULES is not None else _load_rules()
    given = read = text
    cr = "\r" in text  # looked for once: most replies have none
    if cr or "\n" in text:  # (a message stored with a bare CR a line, as an old Mac wrote it, is one too)
        from ._records import is_whole_message

        if is_whole_message(text):  # a message as it is stored (a bounce saved as .eml): what triage reads of it
            from ._triage._bounces import message_text

            read = text = message_text(text)
            cr = "\r" in text
    escaped = "\\" in text  # a character or a line break written out ("\u00e4", "\n"): most replies have none
    if escaped or "=" in text:  # so most pay no call here
        text = readable(text, r)
        cr = "\r" in text
    # one record only: several raise MixedRecordsError (see _records); a line break written out as "\n", as a JSON
    # log or an exception's repr shows it, is one too (extract() reads it so)
    # (a bare carriage return, as an old Mac file or a terminal's paste has it, ends a line as triage reads one)
    lines = text.replace("\r\n", "\n").replace("\r", "\n") if cr else text
    if "\n" in lines or (escaped and "\\n" in lines):
        _check_one_record(with_line_breaks(lines, r), given, read, text, r)
    basic, enhanced, message = extract(failing_part(text, r) if "\n" in text else text, r)
    if enhanced and ".0" in enhanced and _PADDED.search(enhanced):  # "5.01.1" is 5.1.1, and is looked up as such
        enhanced = EnhancedStatusCode._trusted(enhanced).code
    cls = basic[0] if basic else (enhanced[0] if enhanced else "")
    # A success or an intermediate reply has no bounce reason to find, whatever its words say; nor has
    # a log line that reports a delivery with no reply code in it. A reply that closes the session (221)
    # tells no delivery: its words may name a cause, with no class to say whether it is permanent.
    if cls == "2" and basic in r.session_replies:
        reason, advice, evidence = classify(message, basic, enhanced, r, "")
        if reason not in ("delivered", "undefined"):
            return Explanation(given, basic, enhanced, None, reason, advice["unknown"], advice["actor"], lang, cat, evidence,
                               advice.get("note", ""))
    exim = exim_report(message, r) if not cls else None
    if exim == "discarded":
        reason, retry, actor, note = DISCARDED
        return Explanation(given, basic, enhanced, None, reason, retry, actor, lang, cat, (), note)
    if cls == "2" or exim is not None:
        reason, permanent, retry, actor = "delivered", None, "not-needed", "nobody"
    elif cls == "3":
        reason, permanent, retry, actor = "undefined", None, "continue", "nobody"
    else:
        reason, advice, evidence = classify(message, basic, enhanced, r, cls)
        permanent = _PERMANENT.get(cls)
        retry = advice[_ADVICE_COLUMN[cls]]
        actor = advice["actor"]
        if actor == "recipient-admin" and "[" in text and r.loopback.search(text):
            actor = "sender-admin"  # the "receiving side" is a service on the sending host itself
        return Explanation(given, basic, enhanced, permanent, reason, retry, actor, lang, cat, evidence, advice.get("note", ""))
    return Explanation(given, basic, enhanced, permanent, reason, retry, actor, lang, cat)


_DEFAULT_CATALOGUE: Catalogue | None = None
_RULES: _Rules | None = None


def _default() -> Catalogue:
    global _DEFAULT_CATALOGUE
    _DEFAULT_CATALOGUE = default_catalogue()
    return _DEFAULT_CATALOGUE


def _load_rules() -> _Rules:
    global _RULES
    _RULES = _rules()
    return _RULES
