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
    assert "client must not repeat" in c.differences[0].text
    assert c.differences[7].similarity and "Both are defined by the SMTP standard" in c.differences[7].text
    assert "when when" not in _all_text(c).lower()
    assert len(c.when_to_use) == 4 and c.when_to_use[2].startswith("If you receive 211: ")
    assert [link.label for link in c.learn_more][2:] == ["RFC 5321 §4.2.2", "RFC 5321 §4.2.3", "RFC 5321 §4.3.2"]


def test_seed_pair_in_vietnamese_uses_the_seed_headings():
    c = compare("211", "550", lang="vi")
    assert c.headings["description"] == "Mô tả" and c.headings["when"] == "Khi bạn thấy mã này"
    assert c.headings["fix"] == "Cách khắc phục" and c.headings["differences"] == "Sự khác biệt chính"
    assert c.headings["which"] == "Khi nào dùng cái nào" and c.headings["learn_more"] == "Tìm hiểu thêm"
    assert "là phản hồi 2xx" in c.summary
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
