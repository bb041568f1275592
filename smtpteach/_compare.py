"""Compare any two codes: the seed page "SMTP 211 vs 550", for every pair.

Sentences come from templates in the language data (``ui.templates``); this
module only decides which template applies and fills its slots. The browser
does the same from the same data (``static/core.js``), and a test
requires identical output for every pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._catalogue import BasicEntry, Catalogue, EnhancedEntry, _resolve
from ._codes import ENHANCED_CODE_RE, REPLY_CODE_RE, code_text
from ._errors import InvalidCodeError
from ._templates import fill, join_list
from ._urls import page_url, reference_url

__all__ = ["Comparison", "CodeSection", "Difference", "Link", "compare", "code_facts", "assemble"]


@dataclass(slots=True)
class CodeSection:
    """One code's part of a comparison: the catalogue's own prose."""

    code: str
    name: str
    description: str
    when: str
    fix: str
    url: str


@dataclass(slots=True)
class Difference:
    """One numbered point. ``similarity`` is True where the codes agree."""

    kind: str
    text: str
    similarity: bool = False


@dataclass(slots=True)
class Link:
    label: str
    url: str


@dataclass(slots=True)
class Comparison:
    """Everything the seed page had, for any pair, with no formatting."""

    a: str
    b: str
    lang: str
    title: str
    summary: str
    headings: dict[str, str]
    sections: tuple[CodeSection, ...]  # one per code, or one for both when they are one entry (4.2.2, 5.2.2)
    differences: tuple[Difference, ...]
    when_to_use: tuple[str, ...]
    learn_more: tuple[Link, ...]

    def __repr__(self) -> str:
        return f"Comparison({self.a} vs {self.b}, lang={self.lang!r})"


def _normalise(code: Any) -> str:
    """A code as compare() reads it: text, a number, or the package's own ReplyCode and EnhancedStatusCode."""
    text = code_text(code).strip()
    if REPLY_CODE_RE.fullmatch(text):
        return text
    m = ENHANCED_CODE_RE.fullmatch(text)
    if m:
        return f"{m.group(1)}.{int(m.group(2))}.{int(m.group(3))}"
    raise InvalidCodeError.keyed("compare_code", values={"given": repr(code)})


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def gist(description: str, *, at_least: int = 60) -> str:
    """The opening of a description: its first sentences, up to ``at_least`` characters.

    >>> gist("No RFC defines 511. Some servers send it when an address is malformed. More follows.")
    'No RFC defines 511. Some servers send it when an address is malformed.'
    """
    out = ""
    for sentence in _SENTENCE_END.split(description.strip()):
        out = f"{out} {sentence}" if out else sentence
        if len(out) >= at_least:
            break
    return out


def code_facts(code: str, *, lang: str, catalogue: Catalogue) -> dict[str, Any]:
    """The plain data one side of a comparison needs: strings and lists only.

    This is exactly what the browser receives for a code, so both sides fill the
    templates from the same values.
    """
    entry = catalogue.lookup(code)
    ui = catalogue.ui(lang=lang)
    text = entry.text(lang=lang)
    facts: dict[str, Any] = {
        "code": code,
        "kind": entry.kind,
        "name": text.name,
        "description": text.description,
        "gist": gist(text.description),
        "when": text.when,
        "fix": text.fix,
        "url": page_url(code, lang=lang),
        "references": list(entry.references),
    }
    if isinstance(entry, BasicEntry):
        cls = str(entry.reply_class)
        facts.update(
            class_digit=cls,
            class_name=catalogue.text("classes", cls, lang=lang).name,
            group_digit=str(entry.category),
            group_name=catalogue.text("categories", str(entry.category), lang=lang).name
            if str(entry.category) in catalogue.topics["categories"] else ui["labels"]["no_category"],
            commands=[ui["commands"].get(c, c) for c in entry.commands],
            retry=ui["retry"][entry.retry],
            actor=ui["actor"][entry.actor],
            status=ui["status"][entry.status],
            enhanced=list(catalogue.related_enhanced(entry.key)),
        )
    else:
        assert isinstance(entry, EnhancedEntry)
        cls = code[0]
        facts.update(
            class_digit=cls,
            class_name=catalogue.text("enhanced_classes", cls, lang=lang).name if cls != "X" else "",
            group_digit=str(entry.subject),
            group_name=catalogue.text("subjects", str(entry.subject), lang=lang).name,
            generic=entry.key,
            basic=list(entry.basic_codes),
            rfc3463_use=entry.rfc3463_use,
        )
    return facts


def _class_label(f: dict[str, Any], t: dict[str, Any]) -> str:
    if f["class_digit"] == "X":
        return t["any_class_label"]
    key = "class_label" if f["kind"] == "basic" else "enhanced_class_label"
    return fill(t[key], {"digit": f["class_digit"], "class_name": f["class_name"]})


def _paired_basic(f: dict[str, Any]) -> list[str]:
    """The registry's basic codes that can go with this enhanced code.

    A generic X code keeps the registry's whole list. A concrete code keeps only
    those of its own class ("552", "5XX") and "Any": its class must agree with
    the reply code's (RFC 2034 §4, RFC 3463 §2), so 4.2.2 never goes with 552.
    """
    if f["class_digit"] == "X":
        return list(f["basic"])
    return [b for b in f["basic"] if b == "Any" or b[0] == f["class_digit"]]


def _basic_codes_of_one(f: dict[str, Any], paired: list[str], t: dict[str, Any], ui: dict[str, Any]) -> str:
    """One code's sentence about the registry's basic codes, when the pair cannot share a sentence."""
    if paired:
        return fill(t["basic_codes_one"], {"code": f["code"], "basic": join_list(paired, ui)})
    if not f["basic"]:
        return fill(t["basic_codes_not_given"], {"code": f["code"]})
    return fill(t["basic_codes_other_class"], {
        "code": f["code"], "generic": f["generic"], "digit": f["class_digit"], "registry": join_list(f["basic"], ui),
    })


def assemble(fa: dict[str, Any], fb: dict[str, Any], ui: dict[str, Any], lang: str) -> Comparison:
    """Build the comparison from two sides' facts and the language's templates."""
    t = ui["templates"]
    a, b = fa["code"], fb["code"]
    v: dict[str, str] = {"a": a, "b": b, "a_name": fa["name"], "b_name": fb["name"]}
    v["a_class"], v["b_class"] = _class_label(fa, t), _class_label(fb, t)
    basic = fa["kind"] == "basic"
    # an enhanced status code is not a reply: its class sentences say "status code", and what
    # its class means comes from RFC 3463 §2, not RFC 5321
    kind = "" if basic else "_enhanced"
    v["a_effect"] = fill(t["class_effect" + kind][fa["class_digit"]], {"code": a})
    v["b_effect"] = fill(t["class_effect" + kind][fb["class_digit"]], {"code": b})
    v["a_effect_both"] = t["class_effect_both" + kind][fa["class_digit"]]
    v["a_digit"], v["b_digit"] = fa["group_digit"], fb["group_digit"]
    same_class = fa["class_digit"] == fb["class_digit"]
    # two classes of one enhanced detail (4.2.2, 5.2.2): one entry, so one prose
    same_detail = not basic and fa["generic"] == fb["generic"]

    diffs: list[Difference] = []

    def add(kind: str, same: bool, differ_key: str, same_key: str) -> None:
        diffs.append(Difference(kind, fill(t[same_key if same else differ_key], v), same))

    add("class", same_class, "diff_class" + kind, "same_class" + kind)
    if basic:
        v["a_category"], v["b_category"] = fa["group_name"], fb["group_name"]
        add("category", fa["group_digit"] == fb["group_digit"], "diff_category", "same_category")
    else:
        v["a_subject"], v["b_subject"] = fa["group_name"], fb["group_name"]
        add("subject", fa["group_digit"] == fb["group_digit"], "diff_subject", "same_subject")
    if same_detail:
        v["generic"] = fa["generic"]
        text = fill(t["same_detail"], v)
        classes = {fa["class_digit"]: a, fb["class_digit"]: b}
        if fa["rfc3463_use"] and set(classes) == {"4", "5"}:
            # RFC 3463 §3 says which class some details are for: that one is the usual form
            usual, other = ("5", "4") if fa["rfc3463_use"] == "permanent" else ("4", "5")
            v["usual"], v["other"] = classes[usual], classes[other]
            text += " " + fill(t["rfc3463_use"][fa["rfc3463_use"]], v)
        diffs.append(Difference("meaning", text, True))
    else:
        diffs.append(Difference("meaning", fill(t["diff_meaning"], v)))
        diffs.extend(Difference("when", fill(t["when_one"], {"code": f["code"], "when": f["when"]})) for f in (fa, fb))
    if basic:
        v["a_commands"], v["b_commands"] = join_list(fa["commands"], ui), join_list(fb["commands"], ui)
        add("commands", fa["commands"] == fb["commands"], "diff_commands", "same_commands")
        v["a_retry"], v["b_retry"] = fa["retry"], fb["retry"]
        add("retry", fa["retry"] == fb["retry"], "diff_retry", "same_retry")
        v["a_actor"], v["b_actor"] = fa["actor"], fb["actor"]
        add("actor", fa["actor"] == fb["actor"], "diff_actor", "same_actor")
        v["a_status"], v["b_status"] = fa["status"], fb["status"]
        add("status", fa["status"] == fb["status"], "diff_status", "same_status")
        ea, eb = fa["enhanced"], fb["enhanced"]
        if ea or eb:
            shared = [c for c in ea if c in eb]
            a_only = [c for c in ea if c not in eb]
            b_only = [c for c in eb if c not in ea]
            v["shared"] = join_list(shared, ui)
            v["a_only"], v["b_only"] = join_list(a_only, ui), join_list(b_only, ui)
            v["a_enhanced"], v["b_enhanced"] = join_list(ea, ui), join_list(eb, ui)
            if ea == eb:
                diffs.append(Difference("enhanced", fill(t["same_enhanced"], v), True))
            elif shared and a_only and b_only:
                diffs.append(Difference("enhanced", fill(t["shared_enhanced"], v)))
            elif ea and eb:
                diffs.append(Difference("enhanced", fill(t["diff_enhanced"], v)))
            else:
                first, second = (fa, fb) if ea else (fb, fa)
                w = {"a": first["code"], "b": second["code"], "a_enhanced": join_list(first["enhanced"], ui)}
                diffs.append(Difference("enhanced", fill(t["one_enhanced"], w)))
    else:
        pa, pb = _paired_basic(fa), _paired_basic(fb)
        v["a_basic"], v["b_basic"] = join_list(pa, ui), join_list(pb, ui)
        if fa["basic"] or fb["basic"]:
            # a code with no basic code to go with it gets a sentence of its own saying why
            if not pa or not pb:
                text = " ".join(_basic_codes_of_one(f, p, t, ui) for f, p in ((fa, pa), (fb, pb)))
                diffs.append(Difference("basic_codes", text))
            else:
                add("basic_codes", pa == pb, "diff_basic_codes", "same_basic_codes")

    summary = fill(t[("summary_same" if same_class else "summary_differ") + kind], v)
    # Codes of one class share the class's rule (the summary says it), so each
    # gets what sets it apart instead of the same class sentence twice.
    if same_class:
        server = tuple(fill(t["which_apart"], {"code": f["code"], "name": f["name"], "gist": f["gist"]}) for f in (fa, fb))
    else:
        server = tuple(fill(t["which"][f["class_digit"]], {"code": f["code"], "name": f["name"]}) for f in (fa, fb))
    if same_detail:
        receive: tuple[str, ...] = (fill(t["which_receive_same"], {"a": a, "b": b, "fix": fa["fix"]}),)
    else:
        receive = tuple(fill(t["which_receive"], {"code": f["code"], "fix": f["fix"]}) for f in (fa, fb))
    which = (*server, *receive)
    # one catalogue entry for both (4.2.2 and 5.2.2 are X.2.2): its prose and its page once, under its own code
    shown = [{**fa, "code": fa["generic"]}] if same_detail else [fa, fb]
    links = [Link(fill(t["learn_more_page"], {"code": f["code"], "name": f["name"]}), f["url"]) for f in shown]
    seen = set()
    for ref in fa["references"] + fb["references"]:
        if ref not in seen:
            seen.add(ref)
            links.append(Link(ref, reference_url(ref)))
    sections = tuple(CodeSection(f["code"], f["name"], f["description"], f["when"], f["fix"], f["url"]) for f in shown)
    return Comparison(
        a=a, b=b, lang=lang, title=fill(t["title"], v), summary=summary, headings=dict(ui["headings"]),
        sections=sections,
        differences=tuple(diffs), when_to_use=which, learn_more=tuple(links),
    )


def _facts_memo(cat: Catalogue, code: str, lang: str) -> dict[str, Any]:
    """code_facts, kept per catalogue: a catalogue never changes once built."""
    memo = cat.__dict__.setdefault("_compare_facts", {})
    key = (code, lang)
    if key not in memo:
        memo[key] = code_facts(code, lang=lang, catalogue=cat)
    return memo[key]


def compare(a: str, b: str, *, lang: str = "en", catalogue: Catalogue | None = None) -> Comparison:
    """Compare two basic codes, or two enhanced codes, in ``lang``.

    >>> c = compare("211", "550")
    >>> c.title
    'SMTP 211 System Status vs 550 Mailbox Unavailable'
    >>> c.differences[0].text.startswith("211 is a 2xx Positive Completion reply; 550 is a 5xx")
    True
    >>> compare("4.2.2", "5.2.2").differences[2].similarity
    True
    >>> compare("5.1.1", "X.1.1")
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidCodeError: X.1.1 is the generic form of 5.1.1 (the same code, with X for any class); pick two different codes
    """
    cat = _resolve(catalogue)
    cat._require_language(lang)
    ca, cb = _normalise(a), _normalise(b)
    if ("." in ca) != ("." in cb):
        raise InvalidCodeError.keyed("compare_kinds", values={"a": ca, "b": cb})
    if ca == cb:
        raise InvalidCodeError.keyed("compare_same", values={"code": ca})
    if "." in ca and ca.split(".")[1:] == cb.split(".")[1:] and "X" in (ca[0], cb[0]):
        generic, concrete = (ca, cb) if ca[0] == "X" else (cb, ca)
        raise InvalidCodeError.keyed("compare_generic", values={"generic": generic, "concrete": concrete})
    fa = _facts_memo(cat, ca, lang)
    fb = _facts_memo(cat, cb, lang)
    return assemble(fa, fb, cat.ui(lang=lang), lang)
