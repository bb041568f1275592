from __future__ import annotations

import itertools
import re

import pytest

import smtpteach
from smtpteach import InvalidCodeError, InvalidTypeError, SmtpTeachError, UnknownCodeError, compare, render
from smtpteach._templates import SLOT_RE

from .conftest import doubled_words, own_codes_yaml

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
    assert kinds == ["class", "category", "meaning", "when", "commands", "retry", "actor", "status", "enhanced"]
    assert "client should not repeat" in c.differences[0].text
    assert c.differences[7].similarity and "Both are defined by the SMTP standard" in c.differences[7].text
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
    for a, b in itertools.combinations(list(catalogue.enhanced)[:20], 2):
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
    assert compare("4.1.1", "5.1.1").title and compare("X.1.1", "X.7.1").title and compare("X.1.1", "5.7.1").title


def test_confused_pairs_all_compare(catalogue):
    for lang in ("en", "vi"):
        for a, b, reason in smtpteach.confused_pairs(lang=lang):
            assert compare(a, b, lang=lang).title and reason


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
        bare_b = server_b.replace(b, "").replace(c.sections[1].name, "")
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
