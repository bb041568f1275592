from __future__ import annotations

import functools
import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import smtpteach
from smtpteach import InvalidCodeError, InvalidTypeError, SmtpTeachError, UnknownCodeError, compare, render
from smtpteach._compare import code_facts, gist
from smtpteach._templates import SLOT_RE
from smtpteach._urls import compare_url, page_url

from ._corpus import FAST_YAML
from .conftest import DATA, doubled_words, own_codes_yaml

HEADINGS = {
    "en": ["Description", "When you see this code", "How to fix", "Key differences", "When to use which", "Learn more"],
    "vi": ["Mô tả", "Khi bạn thấy mã này", "Cách khắc phục", "Sự khác biệt chính", "Khi nào dùng cái nào", "Tìm hiểu thêm"],
}


def _all_text(c) -> str:
    parts = [c.title, c.summary, *c.when_to_use, *(d.text for d in c.differences), *(link.label for link in c.learn_more)]
    for s in c.sections:
        parts += [s.name, s.description, s.when, s.fix]
    return "\n¶\n".join(parts)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_pair_of_basic_codes(catalogue, lang):
    codes = list(catalogue.basic)
    count = 0
    for a, b in itertools.permutations(codes, 2):
        c = compare(a, b, lang=lang)
        md = render.markdown(c)
        for heading in HEADINGS[lang]:
            assert heading in md, (a, b, heading)
        assert c.title.startswith(f"SMTP {a} ") and f" vs {b} " in c.title
        assert f"({c.sections[0].name})" in c.summary and b in c.summary
        text = _all_text(c)
        assert not SLOT_RE.search(text), (a, b, SLOT_RE.search(text))
        assert "{" not in text and "}" not in text
        assert doubled_words(text) == [], (a, b, doubled_words(text))
        assert [d.kind for d in c.differences][:3] == ["class", "category", "meaning"]
        assert c.learn_more[0].url.endswith(f"codes/{a}.html") and c.learn_more[1].url.endswith(f"codes/{b}.html")
        count += 1
    assert count == len(codes) * (len(codes) - 1)


def test_the_seed_pair_has_the_seed_structure():
    c = compare("211", "550")
    assert c.title == "SMTP 211 System Status vs 550 Mailbox Unavailable"
    assert c.summary == ("SMTP 211 (System Status) is a 2xx Positive Completion reply, while 550 "
                         "(Mailbox Unavailable) is a 5xx Permanent Negative Completion reply.")
    assert [s.code for s in c.sections] == ["211", "550"]
    assert c.sections[0].description == smtpteach.lookup("211").text().description
    kinds = [d.kind for d in c.differences]
    assert kinds == ["class", "category", "meaning", "when", "when", "commands", "retry", "actor", "status", "enhanced"]
    assert "client should not repeat" in c.differences[0].text
    assert c.differences[8].similarity and "Both are defined by the SMTP standard" in c.differences[8].text
    # one item for each code's "when you see it", each naming its own code and its own entry's words
    assert [d.text for d in c.differences if d.kind == "when"] == [
        f"When {code} appears: {smtpteach.lookup(code).text().when}" for code in ("211", "550")]
    assert "when when" not in _all_text(c).lower()
    assert len(c.when_to_use) == 4 and c.when_to_use[2].startswith("If you receive 211: ")
    assert [link.label for link in c.learn_more][2:] == ["RFC 5321 §4.2.2", "RFC 5321 §4.2.3", "RFC 5321 §4.3.2"]


def test_seed_pair_in_vietnamese_uses_the_seed_headings():
    c = compare("211", "550", lang="vi")
    assert c.headings["description"] == "Mô tả" and c.headings["when"] == "Khi bạn thấy mã này"
    assert c.headings["fix"] == "Cách khắc phục" and c.headings["differences"] == "Sự khác biệt chính"
    assert c.headings["which"] == "Khi nào dùng cái nào" and c.headings["learn_more"] == "Tìm hiểu thêm"
    assert "là phản hồi lớp 2xx (Hoàn tất thành công)" in c.summary
    assert c.learn_more[0].url == "vi/reference/codes/211.html"


def test_similarities_are_said_as_such():
    c = compare("421", "450")
    by_kind = {d.kind: d for d in c.differences}
    assert by_kind["class"].similarity and by_kind["class"].text.startswith("Both are 4xx")
    assert not by_kind["category"].similarity  # x2z vs x5z
    c = compare("550", "553")
    assert {d.kind: d for d in c.differences}["category"].similarity


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_enhanced_pairs(catalogue, lang):
    c = compare("5.1.1", "5.7.1", lang=lang)
    kinds = [d.kind for d in c.differences]
    assert kinds[:2] == ["class", "subject"] and "basic_codes" in kinds
    assert c.differences[0].similarity
    same = compare("4.2.2", "5.2.2", lang=lang)
    meaning = [d for d in same.differences if d.kind == "meaning"][0]
    assert meaning.similarity and "X.2.2" in meaning.text
    assert not same.differences[0].similarity
    assert same.learn_more[0].url.endswith("enhanced/X.2.2.html")
    # one entry, X.2.2, for both codes: its prose and its page once, not the same text twice
    x = catalogue.lookup("X.2.2").text(lang=lang)
    assert [(s.code, s.name, s.description, s.fix) for s in same.sections] == [("X.2.2", x.name, x.description, x.fix)]
    assert [link.url for link in same.learn_more].count(same.learn_more[0].url) == 1
    for a, b in itertools.combinations(list(catalogue.enhanced), 2):
        text = _all_text(compare(a, b, lang=lang))
        assert not SLOT_RE.search(text) and doubled_words(text) == []


@pytest.mark.parametrize(
    "a, b, error, message",
    [("550", "550", InvalidCodeError, "both codes are 550"),
     ("550", "5.1.1", InvalidCodeError, "two basic codes or two enhanced codes"),
     ("550", "abc", InvalidCodeError, "'abc' is not a reply code"),
     ("550", "599", UnknownCodeError, "599 is not in the catalogue"),
     ("X.1.1", "X.1.1", InvalidCodeError, "both codes are X.1.1"),
     # a concrete code and its own generic form are one code, refused as a code with itself is
     ("5.1.1", "X.1.1", InvalidCodeError,
      "X.1.1 is the generic form of 5.1.1 (the same code, with X for any class); pick two different codes"),
     ("X.1.1", "4.1.1", InvalidCodeError, "X.1.1 is the generic form of 4.1.1"),
     ("X.2.2", "5.02.2", InvalidCodeError, "X.2.2 is the generic form of 5.2.2"),
     ("550", "551", InvalidTypeError, "catalogue must be a smtpteach.Catalogue (or None for the built-in one), not 'x'")],
)
def test_bad_pairs(a, b, error, message):
    kwargs = {"catalogue": "x"} if error is InvalidTypeError else {}
    with pytest.raises(error, match=re.escape(message)) as info:
        compare(a, b, **kwargs)
    assert isinstance(info.value, SmtpTeachError)


def test_codes_of_one_generic_form_with_different_classes_still_compare():
    def said(c):
        return {d.kind: (d.similarity, d.text) for d in c.differences}

    one = compare("4.1.1", "5.1.1")
    assert one.title == "SMTP 4.1.1 Bad Destination Mailbox Address vs 5.1.1 Bad Destination Mailbox Address"
    assert [d.kind for d in one.differences] == ["class", "subject", "meaning", "basic_codes"]
    facts = said(one)
    assert facts["class"][0] is False and facts["class"][1].startswith(
        "4.1.1 is of class 4.x.x Persistent Transient Failure; 5.1.1 is of class 5.x.x Permanent Failure.")
    assert facts["meaning"] == (True, "4.1.1 and 5.1.1 carry the same detail, X.1.1 (Bad Destination Mailbox Address); "
                                      "only the class tells them apart.")
    assert facts["basic_codes"] == (False, "The registry pairs 4.1.1 with 451, and 5.1.1 with 550.")
    generic = said(compare("X.1.1", "X.7.1"))
    assert generic["class"][0] is True and generic["class"][1].startswith("Both are of class X.x.x (any class).")
    assert generic["subject"] == (False, "The subject differs: X.1.1 is about X.1 (Addressing), X.7.1 is about X.7 "
                                         "(Security or Policy).")
    mixed = said(compare("X.1.1", "5.7.1"))
    assert mixed["class"][0] is False and mixed["class"][1].startswith(
        "X.1.1 is of class X.x.x (any class); 5.7.1 is of class 5.x.x Permanent Failure.")


def test_confused_pairs_all_compare(catalogue):
    for lang in ("en", "vi"):
        for a, b, reason in smtpteach.confused_pairs(lang=lang):
            c = compare(a, b, lang=lang)
            names = [catalogue.lookup(code).name(lang=lang) for code in (a, b)]
            assert c.title == f"SMTP {a} {names[0]} vs {b} {names[1]}", c.title
            entries = [catalogue.lookup(code).key for code in (a, b)]
            if entries[0] == entries[1]:  # 4.2.2 and 5.2.2 are both X.2.2: its prose once, under its own code
                assert [(s.code, s.name) for s in c.sections] == [(entries[0], names[0])]
            else:
                assert [(s.code, s.name) for s in c.sections] == list(zip((a, b), names))
            assert [link.url for link in c.learn_more[:len(c.sections)]] == [
                f"{'vi/' if lang == 'vi' else ''}reference/{'enhanced' if '.' in key else 'codes'}/{key}.html"
                for key in dict.fromkeys(entries)]
            assert reason == catalogue.pair_reason(a, b, lang=lang) and not SLOT_RE.search(reason)


def test_html_is_semantic_and_escaped(tmp_path, catalogue):
    own = tmp_path / "evil.yaml"
    own.write_text(own_codes_yaml(
        "577",
        {"name": "<script>alert(1)</script>", "description": 'A & B "quoted" <b>bold</b>', "when": "x < y.", "fix": "Don't."},
        {"name": "<i>vi</i>", "description": "a", "when": "b", "fix": "c"},
    ), encoding="utf-8")
    cat = catalogue.with_file(own)
    html = render.html(compare("577", "550", catalogue=cat))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;" in html
    assert 'id="smtpteach-compare-577-vs-550-en"' in html
    assert html.count("<dl>") == 2 and "<ol>" in html and "<h3>" in html
    entry_html = render.html(cat.lookup("577"), lang="en")
    assert "&lt;script&gt;" in entry_html and "<script" not in entry_html


def test_renderers_agree_on_content():
    c = compare("452", "552", lang="vi")
    text, md, html = render.text(c), render.markdown(c), render.html(c)
    for d in c.differences:
        assert d.text in text and d.text in md
    assert text.splitlines()[0] == c.title and md.startswith(f"# {c.title}")
    assert "<ol>" in html and html.count("<li class=") == len(c.differences)


# A basic code as the registry writes it ("552", "5XX"), and an enhanced code ("4.2.2", "X.2.2");
# "4xx" and "4.x.x" (a class, not a code) are neither.
_BASIC_TOKEN = re.compile(r"(?<![\w.])(?:[2-5][0-9]{2}|[2-5]XX)(?!\w|\.[0-9])")
_ENHANCED_TOKEN = re.compile(r"(?<![\w.])[245X]\.[0-9]{1,3}\.[0-9]{1,3}(?!\w|\.[0-9])")


def _basic_codes_named(text: str, a: str, b: str) -> dict[str, list[str]]:
    """The basic codes a sentence names for each enhanced code in it.

    A basic code belongs to the nearest enhanced code written before it ("pairs
    4.7.1 with 451", "for X.2.2 ... 552"); one written before any belongs to
    both codes of the pair ("pairs both with ...: 552").
    """
    named: dict[str, list[str]] = {a: [], b: []}
    owners = [(m.start(), m.group(0)) for m in _ENHANCED_TOKEN.finditer(text)]
    for m in _BASIC_TOKEN.finditer(text):
        before = [code for start, code in owners if start < m.start()]
        for owner in before[-1:] or [a, b]:
            named.setdefault(owner, []).append(m.group(0))
    return named


def _wrong_class(text: str, a: str, b: str) -> list[tuple[str, str]]:
    """(concrete code, basic code of another class) for every such pairing the text makes."""
    return [(code, basic) for code, basics in _basic_codes_named(text, a, b).items()
            if code[0] != "X" for basic in basics if basic[0] != code[0]]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_concrete_code_is_not_paired_with_basic_codes_of_another_class(lang):
    # The registry lists 552 for X.2.2, but 4.2.2 goes only with a 4xx reply
    # (RFC 2034 §4, RFC 3463 §2): 552 is 5.2.2's, never 4.2.2's.
    c = compare("4.2.2", "5.2.2", lang=lang)
    row = {d.kind: d for d in c.differences}["basic_codes"]
    assert not row.similarity
    assert _wrong_class(row.text, "4.2.2", "5.2.2") == []
    assert _basic_codes_named(row.text, "4.2.2", "5.2.2")["5.2.2"] == ["552"]
    assert "4xx" in row.text and "4.2.2" in row.text  # it says what is missing, and for which code
    c = compare("4.7.1", "5.7.1", lang=lang)
    row = {d.kind: d for d in c.differences}["basic_codes"]
    named = _basic_codes_named(row.text, "4.7.1", "5.7.1")
    assert named["4.7.1"] == ["451", "454"] and named["5.7.1"] == ["502", "503", "533", "550", "551"]
    assert not row.similarity


def test_the_registry_rows_read_as_sentences():
    rows = {p: {d.kind: d.text for d in compare(*p).differences}["basic_codes"]
            for p in [("4.2.2", "5.2.2"), ("4.7.1", "5.7.1"), ("4.0.0", "5.0.0"), ("X.1.1", "4.7.1"), ("2.1.5", "4.1.5"),
                      ("4.1.0", "5.7.1")]}
    assert rows["4.2.2", "5.2.2"] == (
        "For X.2.2 the registry lists 552 but no 4xx code, so it pairs 4.2.2 with no basic code "
        "(a 4.x.x code is sent only with a 4xx reply). The registry pairs 5.2.2 with 552.")
    assert rows["4.7.1", "5.7.1"] == (
        "The registry pairs 4.7.1 with 451 and 454, and 5.7.1 with 502, 503, 533, 550 and 551.")
    assert rows["4.0.0", "5.0.0"] == "The registry pairs both with the same basic codes: Any."
    # a generic code keeps the registry's whole list
    assert rows["X.1.1", "4.7.1"] == "The registry pairs X.1.1 with 451 and 550, and 4.7.1 with 451 and 454."
    assert rows["2.1.5", "4.1.5"] == (
        "The registry pairs 2.1.5 with 250. For X.1.5 the registry lists 250 but no 4xx code, so it pairs "
        "4.1.5 with no basic code (a 4.x.x code is sent only with a 4xx reply).")
    # the registry gives none for X.1.0 ('Not given'): said as such, not "pairs 4.1.0 with none"
    assert rows["4.1.0", "5.7.1"] == (
        "The registry names no basic code for 4.1.0. The registry pairs 5.7.1 with 502, 503, 533, 550 and 551.")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_no_concrete_code_is_paired_with_a_basic_code_of_another_class(catalogue, lang):
    # every class twin of every registry code (2.y.z, 4.y.z and 5.y.z), and each against codes of other subjects
    pairs = []
    for entry in catalogue.enhanced.values():
        twins = [f"{cls}.{entry.subject}.{entry.detail}" for cls in "245"]
        pairs += list(itertools.permutations(twins, 2))
        pairs += [(code, other) for code in twins for other in ("4.7.1", "5.2.2", "X.1.1")
                  if other.split(".")[1:] != code.split(".")[1:]]
    rows = 0
    for a, b in pairs:
        c = compare(a, b, lang=lang)
        row = [d for d in c.differences if d.kind == "basic_codes"]
        registry = [catalogue.lookup(code).basic_codes for code in (a, b)]
        assert len(row) == (1 if any(registry) else 0), (a, b)
        for d in row:
            assert _wrong_class(d.text, a, b) == [], (a, b, d.text)
            assert not SLOT_RE.search(d.text) and doubled_words(d.text) == [], (a, b, d.text)
            assert not re.search(r"\b(?:with none|với không có)\b", d.text), (a, b, d.text)
            rows += 1
    assert rows > 300


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_when_to_use_which_tells_the_two_codes_apart(catalogue, lang):
    # Codes of one class used to get the same class sentence twice ("421 ... when the
    # problem is temporary", "450 ... when the problem is temporary"): now each says
    # what sets it apart; codes of different classes keep the class's rule.
    for a, b in catalogue.confused:
        c = compare(a, b, lang=lang)
        server_a, server_b = c.when_to_use[:2]
        bare_a = server_a.replace(a, "").replace(c.sections[0].name, "")
        bare_b = server_b.replace(b, "").replace(c.sections[-1].name, "")
        assert bare_a != bare_b, (a, b, lang)  # more than the code and the name differ
        assert a in server_a and b in server_b
    c = compare("421", "450", lang="en")
    assert c.when_to_use[0].startswith("What sets 421 (Service Not Available) apart: The server cannot provide service")
    assert compare("211", "550").when_to_use[1].startswith("A server should answer 550 (Mailbox Unavailable) only when")


@pytest.mark.parametrize("lang, reply_word", [("en", "reply"), ("vi", "phản hồi")])
@pytest.mark.parametrize("a, b", [("4.2.2", "5.2.2"), ("5.1.1", "5.7.1"), ("X.1.1", "X.7.1"), ("4.7.1", "5.7.26")])
def test_an_enhanced_status_code_is_never_called_a_reply(a, b, lang, reply_word):
    c = compare(a, b, lang=lang)
    class_sentence = next(d.text for d in c.differences if d.kind == "class")
    assert reply_word not in c.summary and reply_word not in class_sentence, (c.summary, class_sentence)
    assert ("enhanced status code" if lang == "en" else "mã trạng thái mở rộng") in c.summary.lower()


# -- what a learner reads is right about which code has which fact ---------------------------------
# The expected facts are read here from the YAML files themselves (facts.yaml and data/<lang>/*.yaml),
# not from smtpteach's code_facts, so a fact put next to the wrong code, or a slot filled from the
# wrong side, fails below even where the sentence still reads well.

LANGS = ("en", "vi")


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_YAML)


def _language_data(lang: str) -> dict:
    """Every section of data/<lang>/*.yaml, merged (several files hold a "ui" section)."""
    merged: dict = {}
    for path in sorted((DATA / lang).glob("*.yaml")):
        for section, body in _load(path).items():
            merged.setdefault(section, {}).update(body)
    return merged


FACTS = _load(DATA / "facts.yaml")
RAW = {lang: _language_data(lang) for lang in LANGS}


def _joined(items: list[str], lang: str) -> str:
    """A list as the language writes it ("A, B and C"), from the language's own list patterns."""
    ui = RAW[lang]["ui"]
    spec = ui["list"]
    if not items:
        return ui["labels"]["none"]
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return spec["pair"].replace("{first}", items[0]).replace("{last}", items[1])
    return spec["many"].replace("{items}", spec["separator"].join(items[:-1])).replace("{last}", items[-1])


def _related_enhanced() -> dict[str, list[str]]:
    """The concrete enhanced codes each basic code goes with: its own list plus the registry's pairings."""
    related = {code: list(raw.get("enhanced", [])) for code, raw in FACTS["basic"].items()}
    for generic, raw in FACTS["enhanced"].items():
        for basic in raw["basic_codes"]:
            if basic in related and f"{basic[0]}{generic[1:]}" not in related[basic]:
                related[basic].append(f"{basic[0]}{generic[1:]}")
    return {code: sorted(codes, key=lambda c: tuple(int(p) for p in c.split("."))) for code, codes in related.items()}


RELATED = _related_enhanced()


def _basic_facts(code: str, lang: str) -> dict[str, tuple[str, ...]]:
    """What the comparison should say about one basic code, kind by kind, straight from the YAML."""
    data, ui, raw = RAW[lang], RAW[lang]["ui"], FACTS["basic"][code]
    category = data["categories"][code[1]]["name"] if code[1] in data["categories"] else ui["labels"]["no_category"]
    return {
        "class": (data["classes"][code[0]]["name"], f"{code[0]}xx"),
        "category": (category, f"x{code[1]}z"),
        "meaning": (data["basic"][code]["name"],),
        "commands": (_joined([ui["commands"].get(c, c) for c in raw["commands"]], lang),),
        "retry": (ui["retry"][raw["retry"]],),
        "actor": (ui["actor"][raw["actor"]],),
        "status": (ui["status"][raw["status"]],),
    }


_CODE_RES: dict[str, re.Pattern] = {}


def _names(text: str, code: str) -> bool:
    """Whether ``text`` names ``code`` itself: not inside a longer number, a dotted code or "RFC 5321 §4.2.1"."""
    pattern = _CODE_RES.get(code)
    if pattern is None:
        pattern = _CODE_RES[code] = re.compile(rf"(?<![\w.§]){re.escape(code)}(?!\w|\.\d)")
    return bool(pattern.search(text))


@functools.cache
def _value_re(value: str) -> re.Pattern:
    """The value as a whole: "5.7.1" is not found inside "5.7.10", nor "X.1" inside "X.1.1"."""
    head = r"(?<![\w.§])" if value[:1].isalnum() else ""
    tail = r"(?!\w|\.\d)" if value[-1:].isalnum() else ""
    return re.compile(head + re.escape(value) + tail)


_SEPARATORS = ("; ", ". ", ", ", ": ", " and ")


def _pieces(text: str, a: str, b: str, separators: tuple[str, ...] = _SEPARATORS) -> list[str]:
    """Split the sentence, only where a piece still names both codes, until each piece names one."""
    if not separators or not (_names(text, a) and _names(text, b)):
        return [text]
    return [piece for part in text.split(separators[0]) for piece in _pieces(part, a, b, separators[1:])]


def _misplaced(text: str, a: str, b: str, facts: list[tuple[str | None, str | None]]) -> list[str]:
    """What is wrong with where each side's fact stands in ``text``, or [] when each stands with its own code.

    ``facts`` holds (fact of a, fact of b) pairs; None is a side with nothing to say. Each fact is
    replaced by a mark (the longest first, so a fact inside another is not taken for it), the
    sentence is split until no piece names both codes, and each mark must sit in a piece naming
    its own code, never in one naming the other. A fact both codes share (two categories both
    "Unspecified") must stand once with each.
    """
    marks = []
    for i, (fa, fb) in enumerate(facts):
        if fa is not None and fa == fb:
            marks.append((fa, f"⟦{i}S⟧", None))
        else:
            marks += [(value, f"⟦{i}{side}⟧", code) for value, side, code in ((fa, "A", a), (fb, "B", b)) if value is not None]
    problems = []
    marked = text
    for value, mark, _owner in sorted(marks, key=lambda m: -len(m[0])):
        marked, found = _value_re(value).subn(mark, marked)
        if not found:
            problems.append(f"{value!r} is missing")
    pieces = [(_names(p, a), _names(p, b), p) for p in _pieces(marked, a, b)]
    for value, mark, owner in marks:
        holders = [(in_a, in_b) for in_a, in_b, p in pieces for _ in range(p.count(mark))]
        if owner is None:
            if (True, False) not in holders or (False, True) not in holders:
                problems.append(f"the shared {value!r} does not stand once with {a} and once with {b}")
            continue
        other = b if owner == a else a
        own, theirs = ((True, False), 1) if owner == a else ((False, True), 0)
        if own not in holders:
            problems.append(f"{owner}'s {value!r} does not stand with {owner}")
        if any(h[theirs] for h in holders):
            problems.append(f"{owner}'s {value!r} stands with {other}")
    return problems


def _check_row(row, a: str, b: str, same: bool, facts: list[tuple[str | None, str | None]]) -> list[str]:
    """Problems of one difference row: a similarity says the shared facts; a difference places each side's."""
    if row is None:
        return ["the row is missing"]
    if same:
        problems = [] if row.similarity else ["the codes agree but the row is not a similarity"]
        return problems + [f"the shared {fa!r} is missing" for fa, _ in facts if not _value_re(fa).search(row.text)]
    return (["the codes differ but the row is a similarity"] if row.similarity else []) + _misplaced(row.text, a, b, facts)


def _report(failures: list[str]) -> str:
    return f"{len(failures)} problems, the first ones:\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("lang", LANGS)
def test_each_basic_fact_stands_next_to_its_own_code(catalogue, lang):
    # Every ordered pair of basic codes: class, category, name, commands, retry advice, who acts,
    # status and enhanced codes each name the right code's value next to that code.
    facts = {code: _basic_facts(code, lang) for code in catalogue.basic}
    assert set(facts) == set(FACTS["basic"])
    templates = RAW[lang]["ui"]["templates"]
    failures: list[str] = []
    pairs = 0
    for a, b in itertools.permutations(catalogue.basic, 2):
        rows = {d.kind: d for d in compare(a, b, lang=lang).differences}
        fa, fb = facts[a], facts[b]
        for kind in ("class", "category", "meaning", "commands", "retry", "actor", "status"):
            same = {"class": a[0] == b[0], "category": a[1] == b[1], "meaning": False}.get(kind, fa[kind] == fb[kind])
            problems = _check_row(rows.get(kind), a, b, same, list(zip(fa[kind], fb[kind])))
            failures += [f"{a} vs {b} ({lang}, {kind}): {p}: {rows[kind].text if kind in rows else ''}" for p in problems]
        # what the client does after each code: its own class's rule, said of that code
        effects = ([templates["class_effect_both"][a[0]]] if a[0] == b[0] else
                   [templates["class_effect"][code[0]].replace("{code}", code) for code in (a, b)])
        failures += [f"{a} vs {b} ({lang}, class): {e!r} is missing" for e in effects if e not in rows["class"].text]
        ea, eb = RELATED[a], RELATED[b]
        row = rows.get("enhanced")
        if not ea and not eb:
            if row is not None:
                failures.append(f"{a} vs {b} ({lang}, enhanced): neither has enhanced codes, yet: {row.text}")
        elif ea == eb:
            problems = _check_row(row, a, b, True, [(_joined(ea, lang), None)])
            failures += [f"{a} vs {b} ({lang}, enhanced): {p}" for p in problems]
        else:
            shared = [c for c in ea if c in eb]
            a_only, b_only = [c for c in ea if c not in eb], [c for c in eb if c not in ea]
            if shared and a_only and b_only:
                lists = [(_joined(a_only, lang), _joined(b_only, lang))]
                if row is not None and _joined(shared, lang) not in row.text:
                    failures.append(f"{a} vs {b} ({lang}, enhanced): the shared {shared} are missing: {row.text}")
            else:  # one list each, or only one code has any: that code is the one named with them
                lists = [(_joined(ea, lang) if ea else None, _joined(eb, lang) if eb else None)]
            problems = _check_row(row, a, b, False, lists)
            if row is not None and not (_names(row.text, a) and _names(row.text, b)):
                problems.append("it does not name both codes")
            failures += [f"{a} vs {b} ({lang}, enhanced): {p}: {row.text if row else ''}" for p in problems]
        pairs += 1
    assert pairs == len(FACTS["basic"]) * (len(FACTS["basic"]) - 1) == 3192
    assert not failures, _report(failures)


def _paired_basic(code: str) -> tuple[list[str], list[str]]:
    """(the registry's basic codes for the code's generic form, those that go with this code).

    A concrete code keeps "Any" and the codes of its own class (RFC 3463 §2); an X code keeps them all.
    """
    registry = list(FACTS["enhanced"][f"X{code[1:]}"]["basic_codes"])
    return registry, registry if code[0] == "X" else [c for c in registry if c == "Any" or c[0] == code[0]]


# One generic code of each kind of registry list: "Any"; none; only 5xx; only 4xx; only 2xx; 4xx and 5xx;
# 2xx and 5xx; all three classes. Their concrete codes of all three classes meet every concrete code.
PROBES = ("X.0.0", "X.1.2", "X.2.2", "X.2.4", "X.1.5", "X.1.1", "X.6.8", "X.3.0")


def _enhanced_pairs() -> list[tuple[str, str]]:
    """Every ordered pair of generic codes; every concrete code (2.y.z, 4.y.z, 5.y.z) against its
    class twins and, both ways round, against the probes' concrete codes."""
    generic = list(FACTS["enhanced"])
    concrete = [f"{klass}{code[1:]}" for code in generic for klass in "245"]
    probes = [f"{klass}{code[1:]}" for code in PROBES for klass in "245"]
    pairs = list(itertools.permutations(generic, 2))
    pairs += [(c, f"{klass}{c[1:]}") for c in concrete for klass in "245" if klass != c[0]]
    pairs += [pair for c in concrete for p in probes if c[1:] != p[1:] for pair in ((c, p), (p, c))]
    return list(dict.fromkeys(pairs))  # probe against probe comes twice


ENHANCED_PAIRS = _enhanced_pairs()


@pytest.mark.parametrize("lang", LANGS)
def test_each_enhanced_fact_stands_next_to_its_own_code(catalogue, lang):
    # The subject sentence puts each code's subject (X.1, "Addressing") next to that code, and the
    # registry sentence each code's own basic codes (for a concrete code, only those of its class).
    assert {f"X{code[1:]}" for code in catalogue.enhanced} == set(FACTS["enhanced"])
    subjects = RAW[lang]["subjects"]
    failures: list[str] = []
    for a, b in ENHANCED_PAIRS:
        rows = {d.kind: d for d in compare(a, b, lang=lang).differences}
        sa, sb = (str(FACTS["enhanced"][f"X{code[1:]}"]["subject"]) for code in (a, b))
        facts = [(subjects[sa]["name"], subjects[sb]["name"]), (f"X.{sa}", f"X.{sb}")]
        problems = _check_row(rows.get("subject"), a, b, sa == sb, facts)
        failures += [f"{a} vs {b} ({lang}, subject): {p}: {rows['subject'].text if 'subject' in rows else ''}" for p in problems]
        (ra, pa), (rb, pb) = _paired_basic(a), _paired_basic(b)
        row = rows.get("basic_codes")
        if not ra and not rb:
            problems = [] if row is None else [f"the registry names no basic code for either, yet: {row.text}"]
        elif pa and pa == pb:
            problems = _check_row(row, a, b, True, [(_joined(pa, lang), None)])
        else:
            # a code with none of its own class to go with it is said with the registry's list for its generic form
            va = _joined(pa or ra, lang) if ra else None
            vb = _joined(pb or rb, lang) if rb else None
            problems = _check_row(row, a, b, False, [(va, vb)])
            if row is not None:
                problems += [f"pairs {code} with {basic}, of another class" for code, basic in _wrong_class(row.text, a, b)]
                problems += [f"{code} is not named" for code in (a, b) if not _names(row.text, code)]
        failures += [f"{a} vs {b} ({lang}, basic_codes): {p}: {row.text if row else ''}" for p in problems]
    assert len(ENHANCED_PAIRS) > 81 * 80 + 243 * 40
    assert not failures, _report(failures)


# Worked out by hand from facts.yaml and the language files: 550's enhanced codes are its own list
# plus every registry code that names 550, in the registry's order.
_550_ENHANCED = ("5.1.1, 5.3.0, 5.4.3, 5.5.1, 5.5.2, 5.5.4, 5.6.7, 5.6.8, 5.6.9, 5.7.0, 5.7.1, 5.7.2, 5.7.15, 5.7.20, "
                 "5.7.21, 5.7.22, 5.7.23, 5.7.24, 5.7.25, 5.7.26, 5.7.27, 5.7.29")
EXACT = [  # (a, b, language, kind, said as a similarity, the sentence)
    # 211: class 2, x1z, HELP, nothing to retry, nobody acts, core, no enhanced codes.
    # 550: class 5, x5z, eight commands, do not retry, who acts depends on the cause, core, 23 enhanced codes.
    ("211", "550", "en", "class", False,
     "211 is a 2xx Positive Completion reply; 550 is a 5xx Permanent Negative Completion reply. "
     "After 211, the client carries on: the request succeeded. "
     "After 550, the client should not repeat the same request unchanged (RFC 5321 §4.2.1)."),
    ("211", "550", "vi", "class", False,
     "211 là phản hồi lớp 2xx (Hoàn tất thành công); 550 là phản hồi lớp 5xx (Thất bại vĩnh viễn). "
     "Sau 211, máy khách tiếp tục: yêu cầu đã thành công. "
     "Sau 550, máy khách không nên lặp lại y nguyên yêu cầu đó (RFC 5321 §4.2.1)."),
    ("211", "550", "en", "category", False,
     "The second digit differs: 211 is in x1z (Information), 550 is in x5z (Mail System)."),
    ("211", "550", "vi", "category", False,
     "Chữ số thứ hai khác nhau: 211 thuộc nhóm x1z (Thông tin), 550 thuộc nhóm x5z (Hệ thống thư)."),
    ("211", "550", "en", "commands", False, "211 answers HELP; 550 answers EHLO, HELO, MAIL, RCPT, DATA, BDAT, VRFY and EXPN."),
    ("211", "550", "vi", "commands", False,
     "211 trả lời cho HELP; 550 trả lời cho EHLO, HELO, MAIL, RCPT, DATA, BDAT, VRFY và EXPN."),
    ("211", "550", "en", "retry", False, "Retry advice: for 211, nothing to retry; for 550, do not retry."),
    ("211", "550", "vi", "retry", False,
     "Lời khuyên về việc gửi lại: với 211, không có gì phải gửi lại; với 550, không gửi lại."),
    ("211", "550", "en", "actor", False, "Who usually acts: for 211, nobody; for 550, whoever the enhanced code and the reply text point to."),
    ("211", "550", "vi", "actor", False, "Ai thường phải xử lý: với 211, không ai cả; với 550, tùy theo mã mở rộng và nội dung phản hồi."),
    ("211", "550", "en", "status", True, "Both are defined by the SMTP standard."),
    ("211", "550", "vi", "status", True, "Cả hai đều được định nghĩa trong chuẩn SMTP."),
    # only 550 has enhanced codes: 550 is the one named with them, whichever side it is on
    ("211", "550", "en", "enhanced", False,
     f"550 is often sent with an enhanced code ({_550_ENHANCED} and 5.7.30); 211 has none associated with it."),
    ("550", "211", "en", "enhanced", False,
     f"550 is often sent with an enhanced code ({_550_ENHANCED} and 5.7.30); 211 has none associated with it."),
    ("211", "550", "vi", "enhanced", False,
     f"550 thường được gửi kèm mã mở rộng ({_550_ENHANCED} và 5.7.30); 211 không có mã mở rộng nào đi kèm."),
    ("550", "211", "vi", "enhanced", False,
     f"550 thường được gửi kèm mã mở rộng ({_550_ENHANCED} và 5.7.30); 211 không có mã mở rộng nào đi kèm."),
    # 421: x2z, CONNECT and *, 4.3.0 4.4.2 4.7.0. 450: x5z, RCPT DATA ATRN, 4.2.0 4.2.4 4.7.0 4.7.1 4.7.15.
    # Both: class 4, retry later, who acts depends on the cause, core.
    ("421", "450", "en", "class", True,
     "Both are 4xx Transient Negative Completion replies. For either one, the client keeps the message and tries again later."),
    ("421", "450", "vi", "class", True,
     "Cả hai đều là phản hồi lớp 4xx (Thất bại tạm thời). Với mã nào thì máy khách cũng giữ thư lại và thử gửi lại sau."),
    ("421", "450", "en", "category", False,
     "The second digit differs: 421 is in x2z (Connections), 450 is in x5z (Mail System)."),
    ("421", "450", "vi", "category", False,
     "Chữ số thứ hai khác nhau: 421 thuộc nhóm x2z (Kết nối), 450 thuộc nhóm x5z (Hệ thống thư)."),
    ("421", "450", "en", "commands", False,
     "421 answers the opening of a connection and any command; 450 answers RCPT, DATA and ATRN."),
    ("421", "450", "vi", "commands", False,
     "421 trả lời cho việc mở kết nối và bất kỳ lệnh nào; 450 trả lời cho RCPT, DATA và ATRN."),
    ("421", "450", "en", "retry", True, "Both carry the same retry advice: retry later."),
    ("421", "450", "vi", "retry", True, "Cả hai có cùng lời khuyên về việc gửi lại: gửi lại sau."),
    ("421", "450", "en", "actor", True, "Who usually acts is the same for both: whoever the enhanced code and the reply text point to."),
    ("421", "450", "vi", "actor", True, "Ai thường phải xử lý: với cả hai mã, tùy theo mã mở rộng và nội dung phản hồi."),
    ("421", "450", "en", "enhanced", False,
     "Both can carry 4.7.0; beyond that, 421 goes with 4.3.0 and 4.4.2 and 450 with 4.2.0, 4.2.4, 4.7.1 and 4.7.15."),
    ("421", "450", "vi", "enhanced", False,
     "Cả hai đều có thể kèm 4.7.0; ngoài ra 421 đi với 4.3.0 và 4.4.2, còn 450 đi với 4.2.0, 4.2.4, 4.7.1 và 4.7.15."),
    # 250: x5z like 550, nothing to retry, nobody acts, 2.1.5 2.3.0 2.3.6 2.5.0 2.6.4: both sides have enhanced codes
    ("250", "550", "en", "category", True, "They share the second digit: both are x5z codes (Mail System)."),
    ("250", "550", "vi", "category", True, "Chúng có cùng chữ số thứ hai: cả hai đều thuộc nhóm x5z (Hệ thống thư)."),
    ("250", "550", "en", "retry", False, "Retry advice: for 250, nothing to retry; for 550, do not retry."),
    ("250", "550", "vi", "retry", False,
     "Lời khuyên về việc gửi lại: với 250, không có gì phải gửi lại; với 550, không gửi lại."),
    ("250", "550", "en", "actor", False, "Who usually acts: for 250, nobody; for 550, whoever the enhanced code and the reply text point to."),
    ("250", "550", "vi", "actor", False, "Ai thường phải xử lý: với 250, không ai cả; với 550, tùy theo mã mở rộng và nội dung phản hồi."),
    ("250", "550", "en", "enhanced", False,
     f"Enhanced codes seen with 250: 2.1.5, 2.3.0, 2.3.6, 2.5.0 and 2.6.4. With 550: {_550_ENHANCED} and 5.7.30."),
    ("250", "550", "vi", "enhanced", False,
     f"Mã mở rộng hay đi kèm 250: 2.1.5, 2.3.0, 2.3.6, 2.5.0 và 2.6.4. Đi kèm 550: {_550_ENHANCED} và 5.7.30."),
    # 570 and 571: second digit 7 (outside RFC 5321), RCPT and DATA, non-standard, 5.7.0 and 5.7.1
    ("570", "571", "en", "category", True, "They share the second digit: both are x7z codes (outside RFC 5321's categories)."),
    ("570", "571", "vi", "category", True,
     "Chúng có cùng chữ số thứ hai: cả hai đều thuộc nhóm x7z (nằm ngoài các nhóm của RFC 5321)."),
    ("570", "571", "en", "commands", True, "Both answer the same commands: RCPT and DATA."),
    ("570", "571", "vi", "commands", True, "Cả hai trả lời cho cùng các lệnh: RCPT và DATA."),
    ("570", "571", "en", "status", True, "Both are not defined by any RFC."),
    ("570", "571", "vi", "status", True, "Cả hai đều không được RFC nào định nghĩa."),
    ("570", "571", "en", "enhanced", False, "Enhanced codes seen with 570: 5.7.0. With 571: 5.7.1."),
    ("570", "571", "vi", "enhanced", False, "Mã mở rộng hay đi kèm 570: 5.7.0. Đi kèm 571: 5.7.1."),
    # 422 (registry only) and 432 (AUTH extension): one name, one advice, one enhanced code; the status differs
    ("422", "432", "en", "meaning", False,
     "422 stands for “Password Transition Needed”; 432 stands for “Password Transition Needed”."),
    ("422", "432", "vi", "meaning", False, "422 nghĩa là “Cần chuyển đổi mật khẩu”; 432 nghĩa là “Cần chuyển đổi mật khẩu”."),
    ("422", "432", "en", "status", False,
     "422 is listed only in the enhanced status code registry, while 432 is defined by an SMTP extension."),
    ("422", "432", "vi", "status", False,
     "422 chỉ có trong registry mã trạng thái mở rộng, còn 432 được một phần mở rộng SMTP định nghĩa."),
    ("422", "432", "en", "retry", True, "Both carry the same retry advice: fix the cause, then retry."),
    ("422", "432", "vi", "actor", True, "Ai thường phải xử lý: với cả hai mã, quản trị viên phía gửi."),
    ("422", "432", "en", "enhanced", True, "Both go with the same enhanced codes: 4.7.12."),
    ("422", "432", "vi", "enhanced", True, "Cả hai đi kèm cùng các mã mở rộng: 4.7.12."),
    # enhanced codes: X.1 Addressing (X.1.1: 451, 550), X.7 Security or Policy (X.7.1: 451, 454, 502, 503, 533, 550, 551)
    ("5.1.1", "5.7.1", "en", "class", True,
     "Both are of class 5.x.x Permanent Failure. With either one, resending the message as it is will not help: "
     "the message or the destination must change first (RFC 3463 §2)."),
    ("5.1.1", "5.7.1", "vi", "class", True,
     "Cả hai đều thuộc lớp 5.x.x (Lỗi vĩnh viễn). Với mã nào thì gửi lại y nguyên thư đó cũng vô ích: "
     "thư hoặc nơi nhận phải thay đổi trước đã (RFC 3463 §2)."),
    ("5.1.1", "5.7.1", "en", "subject", False,
     "The subject differs: 5.1.1 is about X.1 (Addressing), 5.7.1 is about X.7 (Security or Policy)."),
    ("5.1.1", "5.7.1", "vi", "subject", False,
     "Chủ đề khác nhau: 5.1.1 nói về X.1 (Địa chỉ), 5.7.1 nói về X.7 (Bảo mật hoặc chính sách)."),
    ("5.1.1", "5.7.1", "en", "basic_codes", False,
     "The registry pairs 5.1.1 with 550, and 5.7.1 with 502, 503, 533, 550 and 551."),
    ("5.1.1", "5.7.1", "vi", "basic_codes", False, "Registry ghép 5.1.1 với 550, còn 5.7.1 với 502, 503, 533, 550 và 551."),
    ("4.7.1", "5.7.1", "en", "class", False,
     "4.7.1 is of class 4.x.x Persistent Transient Failure; 5.7.1 is of class 5.x.x Permanent Failure. "
     "With 4.7.1, the message as sent is valid, and sending it again later may succeed (RFC 3463 §2). "
     "With 5.7.1, resending the message as it is will not help: the message or the destination must change first "
     "(RFC 3463 §2)."),
    ("4.7.1", "5.7.1", "vi", "class", False,
     "4.7.1 thuộc lớp 4.x.x (Lỗi tạm thời); 5.7.1 thuộc lớp 5.x.x (Lỗi vĩnh viễn). "
     "Với 4.7.1, bản thân thư vẫn hợp lệ, và gửi lại sau có thể sẽ thành công (RFC 3463 §2). "
     "Với 5.7.1, gửi lại y nguyên thư đó cũng vô ích: thư hoặc nơi nhận phải thay đổi trước đã (RFC 3463 §2)."),
    ("4.7.1", "5.7.1", "vi", "basic_codes", False,
     "Registry ghép 4.7.1 với 451 và 454, còn 5.7.1 với 502, 503, 533, 550 và 551."),
    # one detail in two classes: RFC 3463 §3 names the class it is for (X.2.2 transient, X.7.1 permanent, X.3.2
    # either), or names none (X.1.1): the sentence after "the same detail" says which form is the standard one
    ("4.2.2", "5.2.2", "en", "meaning", True,
     "4.2.2 and 5.2.2 carry the same detail, X.2.2 (Mailbox Full); only the class tells them apart. RFC 3463 means "
     "X.2.2 for class 4, a persistent transient failure, so 4.2.2 is its standard form; with 5.2.2, the sending server "
     "gives up at once."),
    ("5.2.2", "4.2.2", "vi", "meaning", True,
     "5.2.2 và 4.2.2 có cùng phần chi tiết, X.2.2 (Hộp thư đầy); chỉ có lớp là khác. RFC 3463 dành X.2.2 cho lớp 4 "
     "(lỗi tạm thời), nên dạng chuẩn là 4.2.2; nếu nhận 5.2.2, máy chủ gửi sẽ bỏ cuộc ngay."),
    ("4.7.1", "5.7.1", "en", "meaning", True,
     "4.7.1 and 5.7.1 carry the same detail, X.7.1 (Delivery Not Authorized, Message Refused); only the class tells "
     "them apart. RFC 3463 means X.7.1 for class 5, a permanent failure, so 5.7.1 is its standard form; with 4.7.1, "
     "the sending server keeps the message and tries again."),
    ("4.3.2", "5.3.2", "en", "meaning", True,
     "4.3.2 and 5.3.2 carry the same detail, X.3.2 (System Not Accepting Network Messages); only the class tells them "
     "apart. RFC 3463 allows X.3.2 in either class: the class says whether the server expects the problem to pass."),
    ("4.1.1", "5.1.1", "en", "meaning", True,
     "4.1.1 and 5.1.1 carry the same detail, X.1.1 (Bad Destination Mailbox Address); only the class tells them apart."),
    # success and failure of one detail: the RFC's sentence compares class 4 with class 5 only
    ("2.2.2", "4.2.2", "en", "meaning", True,
     "2.2.2 and 4.2.2 carry the same detail, X.2.2 (Mailbox Full); only the class tells them apart."),
    # X.1.3 is X.1 too, with 501 alone
    ("X.1.1", "X.1.3", "en", "subject", True, "They share the subject: both are about X.1 (Addressing)."),
    ("X.1.1", "X.1.3", "vi", "subject", True, "Chúng cùng chủ đề: cả hai đều nói về X.1 (Địa chỉ)."),
    ("X.1.1", "X.1.3", "en", "basic_codes", False, "The registry pairs X.1.1 with 451 and 550, and X.1.3 with 501."),
    ("X.1.1", "X.1.3", "vi", "basic_codes", False, "Registry ghép X.1.1 với 451 và 550, còn X.1.3 với 501."),
    # X.2.2 (Mailbox) lists 552 only: no 4xx code for 4.2.2; X.1.0 lists none
    ("4.2.2", "5.2.2", "vi", "subject", True, "Chúng cùng chủ đề: cả hai đều nói về X.2 (Hộp thư)."),
    ("4.2.2", "5.2.2", "vi", "basic_codes", False,
     "Với X.2.2, registry liệt kê 552 nhưng không có mã 4xx nào, nên không ghép 4.2.2 với mã cơ bản nào "
     "(mã 4.x.x chỉ được gửi kèm phản hồi 4xx). Registry ghép 5.2.2 với 552."),
    ("4.1.0", "5.7.1", "vi", "basic_codes", False,
     "Registry không nêu mã cơ bản nào cho 4.1.0. Registry ghép 5.7.1 với 502, 503, 533, 550 và 551."),
]


@pytest.mark.parametrize("a, b, lang, kind, similar, expected", EXACT,
                         ids=[f"{a}-{b}-{lang}-{kind}" for a, b, lang, kind, *_ in EXACT])
def test_exact_difference_sentences(a, b, lang, kind, similar, expected):
    rows = [d for d in compare(a, b, lang=lang).differences if d.kind == kind]
    assert len(rows) == 1, (a, b, lang, kind, [d.kind for d in compare(a, b, lang=lang).differences])
    assert rows[0].text == expected, f"{a} vs {b} ({lang}, {kind})"
    assert rows[0].similarity is similar, f"{a} vs {b} ({lang}, {kind}): similarity is {rows[0].similarity}"


# -- Vietnamese topic names reach the learner ------------------------------------------------------
# A class, category, subject or enhanced class name is read from data/vi/*.yaml, so a Vietnamese page
# or comparison that shows the English name (or another topic's name) fails here.

TOPIC_KINDS = ("classes", "categories", "subjects", "enhanced_classes")
# Names that stay in English in Vietnamese; none now (subject 2 was "Mailbox", now "Hộp thư" as in the glossary).
LOANWORDS: dict[tuple[str, str], str] = {}
TOPICS = [(kind, digit) for kind in TOPIC_KINDS for digit in RAW["vi"][kind]]


def _topic_codes(kind: str, digit: str) -> list[str]:
    """Codes of one topic: basic codes by their first or second digit, enhanced codes by subject or class."""
    if kind == "classes":
        return [c for c in FACTS["basic"] if c[0] == digit]
    if kind == "categories":
        return [c for c in FACTS["basic"] if c[1] == digit]
    if kind == "subjects":
        return [c for c, raw in FACTS["enhanced"].items() if str(raw["subject"]) == digit]
    return [f"{digit}{c[1:]}" for c in FACTS["enhanced"]]


def test_every_topic_has_a_vietnamese_name_of_its_own():
    assert len(TOPICS) == 4 + 6 + 8 + 3
    for kind, digit in TOPICS:
        vi, en = RAW["vi"][kind][digit]["name"], RAW["en"][kind][digit]["name"]
        if (kind, digit) in LOANWORDS:
            assert vi == en == LOANWORDS[kind, digit], (kind, digit, vi)  # when translated, drop it from LOANWORDS
        else:
            assert vi != en, f"{kind} {digit}: the Vietnamese name is the English one, {en!r}"


@pytest.mark.parametrize("kind, digit", TOPICS, ids=[f"{kind}-{digit}" for kind, digit in TOPICS])
def test_vietnamese_topic_names_reach_the_learner(catalogue, kind, digit):
    vi, en = RAW["vi"][kind][digit]["name"], RAW["en"][kind][digit]["name"]
    codes = _topic_codes(kind, digit)
    assert codes, (kind, digit)
    # the row that speaks of the topic, in a comparison with a code of another topic
    row_kind = {"classes": "class", "categories": "category", "subjects": "subject", "enhanced_classes": "class"}[kind]
    position = {"classes": 0, "categories": 1, "enhanced_classes": 0}.get(kind, 2)
    pool = {"classes": list(FACTS["basic"]), "categories": list(FACTS["basic"]), "subjects": list(FACTS["enhanced"]),
            "enhanced_classes": [f"{klass}{c[1:]}" for c in FACTS["enhanced"] for klass in "245"]}[kind]
    for code in codes:
        partner = next(c for c in pool if c[position] != code[position])
        c = compare(code, partner, lang="vi")
        row = next(d for d in c.differences if d.kind == row_kind)
        assert f"({vi})" in row.text, f"{code} vs {partner} (vi, {row_kind}): no {vi!r} in: {row.text}"
        if vi != en:
            assert en not in row.text, f"{code} vs {partner} (vi, {row_kind}): the English {en!r} in: {row.text}"
        assert f"({vi})" in render.text(c)
        if kind == "enhanced_classes":
            assert f"({vi})" in c.summary, (code, c.summary)
    if kind == "enhanced_classes":
        return  # a reference page shows an enhanced code's subject, not its class
    # the code's own reference page: the labelled line ("Lớp: 5xx Thất bại vĩnh viễn", "Chủ đề: X.1 Địa chỉ")
    label = RAW["vi"]["ui"]["labels"][{"classes": "class", "categories": "category", "subjects": "subject"}[kind]]
    for code in codes:
        lines = [line for line in render.text(catalogue.lookup(code), lang="vi").splitlines() if line.startswith(f"{label}: ")]
        assert len(lines) == 1 and lines[0].endswith(f" {vi}"), (code, kind, lines)


# -- the facts each side of a comparison is built from ---------------------------------------------
# code_facts() is also exactly what the browser receives for a code (the compare widget's data), so a
# wrong value here is a wrong sentence on a static page even where Python's own comparison is right.

def _expected_facts(code: str, lang: str) -> dict:
    """What code_facts should give for ``code`` in ``lang``, read straight from the YAML files."""
    data, ui = RAW[lang], RAW[lang]["ui"]
    prefix = "" if lang == "en" else f"{lang}/"
    if "." not in code:
        raw, text = FACTS["basic"][code], data["basic"][code]
        return {
            "code": code, "kind": "basic", "name": text["name"], "description": text["description"],
            "when": text["when"], "fix": text["fix"], "url": f"{prefix}reference/codes/{code}.html",
            "references": list(raw.get("references", [])),
            "class_digit": code[0], "class_name": data["classes"][code[0]]["name"],
            "group_digit": code[1],
            "group_name": data["categories"][code[1]]["name"] if code[1] in data["categories"] else ui["labels"]["no_category"],
            "commands": [ui["commands"].get(c, c) for c in raw["commands"]],
            "retry": ui["retry"][raw["retry"]], "actor": ui["actor"][raw["actor"]], "status": ui["status"][raw["status"]],
            "enhanced": RELATED[code],
        }
    generic = f"X{code[1:]}"
    raw, text = FACTS["enhanced"][generic], data["enhanced"][generic]
    return {
        "code": code, "kind": "enhanced", "name": text["name"], "description": text["description"],
        "when": text["when"], "fix": text["fix"], "url": f"{prefix}reference/enhanced/{generic}.html",
        "references": list(raw.get("references", [])),
        "class_digit": code[0], "class_name": "" if code[0] == "X" else data["enhanced_classes"][code[0]]["name"],
        "group_digit": str(raw["subject"]), "group_name": data["subjects"][str(raw["subject"])]["name"],
        "generic": generic, "basic": list(raw["basic_codes"]), "rfc3463_use": raw.get("rfc3463_use", ""),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_code_facts_are_the_data_files_facts_in_the_learners_language(catalogue, lang):
    # every basic code, and every enhanced code in its X form and as 2.y.z, 4.y.z and 5.y.z
    codes = list(FACTS["basic"]) + [f"{klass}{generic[1:]}" for generic in FACTS["enhanced"] for klass in "X245"]
    failures = []
    for code in codes:
        facts = code_facts(code, lang=lang, catalogue=catalogue)
        opening = facts.pop("gist")
        # the gist is the description's opening, cut at a sentence's end
        if not (facts["description"].startswith(opening) and opening[-1:] in ".!?"):
            failures.append(f"{code} ({lang}): gist {opening!r}")
        expected = _expected_facts(code, lang)
        failures += [f"{code} ({lang}) {key}: {facts.get(key)!r}, expected {value!r}"
                     for key, value in expected.items() if facts.get(key) != value]
        if set(facts) != set(expected):
            failures.append(f"{code} ({lang}): keys {sorted(set(facts) ^ set(expected))}")
    assert not failures, _report(failures)


@pytest.mark.parametrize("code, lang, expected", [
    # a translated command, a class, a category and advice, all in Vietnamese, and the page under vi/
    ("421", "vi", {"url": "vi/reference/codes/421.html", "class_name": "Thất bại tạm thời", "group_digit": "2",
                   "group_name": "Kết nối", "commands": ["việc mở kết nối", "bất kỳ lệnh nào"], "retry": "gửi lại sau",
                   "enhanced": ["4.3.0", "4.4.2", "4.7.0"]}),
    # second digit 7: outside RFC 5321's categories, said as such
    ("571", "en", {"group_digit": "7", "group_name": "outside RFC 5321's categories", "commands": ["RCPT", "DATA"],
                   "actor": "the sending side's administrator", "status": "not defined by any RFC", "enhanced": ["5.7.1"]}),
    ("211", "en", {"class_name": "Positive Completion", "group_name": "Information", "commands": ["HELP"], "enhanced": [],
                   "gist": "A positive reply carrying system status or help information."}),
    # an enhanced code: its own class's name; the X form has no class name; the page is the X form's
    ("5.1.1", "vi", {"class_digit": "5", "class_name": "Lỗi vĩnh viễn", "group_name": "Địa chỉ", "generic": "X.1.1",
                     "basic": ["451", "550"], "url": "vi/reference/enhanced/X.1.1.html"}),
    ("X.1.1", "en", {"class_digit": "X", "class_name": "", "group_digit": "1", "group_name": "Addressing"}),
    ("4.2.2", "en", {"class_name": "Persistent Transient Failure", "basic": ["552"],
                     "gist": "The recipient's mailbox has reached its quota or storage limit."}),
])
def test_code_facts_examples(catalogue, code, lang, expected):
    facts = code_facts(code, lang=lang, catalogue=catalogue)
    assert {key: facts[key] for key in expected} == expected


# -- gist: the opening of a description, for "What sets 421 apart: ..." -------------------------------

_SIXTY = "The server accepted the message and will deliver it shortly."  # exactly 60 characters


@pytest.mark.parametrize("description, expected", [
    ("One sentence only.", "One sentence only."),
    # whole sentences are added until the opening reaches 60 characters, joined by one space
    ("Short. Also short. Then a sentence that takes the opening past sixty characters. Not this one.",
     "Short. Also short. Then a sentence that takes the opening past sixty characters."),
    ("Is it full?   Yes!\nThe mailbox is over its quota and refuses new mail for now. Then more.",
     "Is it full? Yes! The mailbox is over its quota and refuses new mail for now."),
    # a first sentence of exactly 60 characters is enough on its own
    (f"{_SIXTY} Nothing else is needed.", _SIXTY),
    ("  Spaces around the description are not part of it.  ", "Spaces around the description are not part of it."),
    # a description shorter than 60 characters in all is kept whole
    ("First. Second.", "First. Second."),
])
def test_gist_is_the_descriptions_opening_in_whole_sentences(description, expected):
    assert len(_SIXTY) == 60
    assert gist(description) == expected


def test_gist_can_be_asked_for_a_longer_opening():
    assert gist(f"{_SIXTY} More words.", at_least=61) == f"{_SIXTY} More words."
    assert gist("A. B. C.", at_least=1) == "A."


@pytest.mark.parametrize("a, b, lang, expected", [
    # same class: one sentence names the class once, for both codes
    ("421", "450", "en", "SMTP 421 (Service Not Available) and 450 (Mailbox Temporarily Unavailable) "
                         "are both 4xx Transient Negative Completion replies."),
    ("421", "450", "vi", "SMTP 421 (Dịch vụ không khả dụng) và 450 (Hộp thư tạm thời không khả dụng) "
                         "đều là phản hồi lớp 4xx (Thất bại tạm thời)."),
    ("211", "550", "vi", "SMTP 211 (Trạng thái hệ thống) là phản hồi lớp 2xx (Hoàn tất thành công), "
                         "còn 550 (Hộp thư không khả dụng) là phản hồi lớp 5xx (Thất bại vĩnh viễn)."),
    ("5.1.1", "5.7.1", "en", "Enhanced status codes 5.1.1 (Bad Destination Mailbox Address) and 5.7.1 "
                             "(Delivery Not Authorized, Message Refused) are both of class 5.x.x Permanent Failure."),
    ("5.1.1", "5.7.1", "vi", "Hai mã trạng thái mở rộng 5.1.1 (Địa chỉ hộp thư đích sai) và 5.7.1 "
                             "(Không được phép gửi, thư bị từ chối) đều thuộc lớp 5.x.x (Lỗi vĩnh viễn)."),
    ("4.7.1", "5.7.1", "en", "Enhanced status code 4.7.1 (Delivery Not Authorized, Message Refused) is of class "
                             "4.x.x Persistent Transient Failure, while 5.7.1 (Delivery Not Authorized, Message Refused) "
                             "is of class 5.x.x Permanent Failure."),
    # an X code is of any class, said in words, not as an empty class name
    ("X.1.1", "X.7.1", "en", "Enhanced status codes X.1.1 (Bad Destination Mailbox Address) and X.7.1 "
                             "(Delivery Not Authorized, Message Refused) are both of class X.x.x (any class)."),
    ("X.1.1", "X.7.1", "vi", "Hai mã trạng thái mở rộng X.1.1 (Địa chỉ hộp thư đích sai) và X.7.1 "
                             "(Không được phép gửi, thư bị từ chối) đều thuộc lớp X.x.x (X có thể là 2, 4 hoặc 5)."),
    ("X.1.1", "5.7.1", "en", "Enhanced status code X.1.1 (Bad Destination Mailbox Address) is of class X.x.x (any class), "
                             "while 5.7.1 (Delivery Not Authorized, Message Refused) is of class 5.x.x Permanent Failure."),
])
def test_exact_summaries(a, b, lang, expected):
    assert compare(a, b, lang=lang).summary == expected


@pytest.mark.parametrize("a, b, lang, similar, expected", [
    ("X.1.1", "X.7.1", "en", True,
     "Both are of class X.x.x (any class). Both are written with X for the class, as the registry lists them."),
    ("X.1.1", "5.7.1", "en", False,
     "X.1.1 is of class X.x.x (any class); 5.7.1 is of class 5.x.x Permanent Failure. X.1.1 is written with X for its "
     "class, so the same detail can be sent as success, a temporary failure or a permanent failure. "
     "With 5.7.1, resending the message as it is will not help: the message or the destination must change first "
     "(RFC 3463 §2)."),
    ("X.1.1", "5.7.1", "vi", False,
     "X.1.1 thuộc lớp X.x.x (X có thể là 2, 4 hoặc 5); 5.7.1 thuộc lớp 5.x.x (Lỗi vĩnh viễn). X.1.1 ghi lớp bằng chữ X, "
     "nên cùng một chi tiết có thể được gửi dưới dạng thành công, lỗi tạm thời hoặc lỗi vĩnh viễn. "
     "Với 5.7.1, gửi lại y nguyên thư đó cũng vô ích: thư hoặc nơi nhận phải thay đổi trước đã (RFC 3463 §2)."),
])
def test_the_class_row_of_a_generic_code(a, b, lang, similar, expected):
    row = compare(a, b, lang=lang).differences[0]
    assert (row.kind, row.text, row.similarity) == ("class", expected, similar)


@pytest.mark.parametrize("a, b, lang", [("211", "550", "en"), ("4.2.2", "5.7.1", "vi")])
def test_each_section_links_its_own_reference_page(a, b, lang):
    c = compare(a, b, lang=lang)
    assert [s.url for s in c.sections] == [page_url(a, lang=lang), page_url(b, lang=lang)]
    assert [s.url for s in c.sections] == [link.url for link in c.learn_more[:2]]


def test_a_code_is_a_string_or_a_number_not_anything_that_prints_as_one():
    assert compare(211, " 550 ").title == compare("211", "550").title
    # the package's own values are codes too, as lookup() takes them
    assert compare(smtpteach.ReplyCode("550"), smtpteach.ReplyCode("450")).title == compare("550", "450").title
    assert compare(smtpteach.EnhancedStatusCode("5.1.1"), "5.1.2").title == compare("5.1.1", "5.1.2").title
    with pytest.raises(InvalidTypeError, match=re.escape(
            "Decimal('550') (Decimal) is not a code: pass a string such as '550' or '5.1.1', or a number such as 550")):
        compare(Decimal("550"), "421")
    with pytest.raises(InvalidTypeError, match=re.escape("True (bool) is not a code")):
        compare(True, "421")
    with pytest.raises(InvalidTypeError, match=re.escape("None (NoneType) is not a code")):
        compare("421", None)


@pytest.mark.parametrize("lang, start", [("en", "If you receive 4.2.2 or 5.2.2: "), ("vi", "Nếu bạn nhận được 4.2.2 hoặc 5.2.2: ")])
def test_one_detail_in_two_classes_gives_its_fix_once(lang, start):
    # 4.2.2 and 5.2.2 are one catalogue entry (X.2.2): its fix is said once, for both, not twice word for word
    c = compare("4.2.2", "5.2.2", lang=lang)
    fix = smtpteach.lookup("X.2.2").text(lang=lang).fix
    assert c.when_to_use[2:] == (start + fix,)
    # two different details keep a line each, each with its own fix
    c = compare("5.1.1", "5.7.1", lang=lang)
    assert [w.split(": ", 1)[1] for w in c.when_to_use[2:]] == [
        smtpteach.lookup(g).text(lang=lang).fix for g in ("X.1.1", "X.7.1")]


@pytest.mark.parametrize("lang, prefix", [("en", ""), ("vi", "vi/")])
def test_a_comparison_page_sits_under_its_languages_folder(lang, prefix):
    assert compare_url("211", "550", lang=lang) == f"{prefix}compare/211-vs-550.html"
    assert page_url("5.7.1", lang=lang) == f"{prefix}reference/enhanced/X.7.1.html"
    if lang == "en":  # English is the default, at the site's root
        assert compare_url("4.2.2", "5.2.2") == "compare/4.2.2-vs-5.2.2.html"
