"""What smtpteach.render writes, read back as a learner's browser or terminal reads it.

HTML is parsed with the standard library's html.parser, never searched for
substrings alone: every element and attribute in the output must be one the
renderer writes itself (see ``_ALLOWED``), and the text a reader sees in each
element must be the catalogue's string exactly, markup characters and all.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

import smtpteach

from smtpteach import compare, default_catalogue, explain, make_quiz, render
from smtpteach._explain import REASONS
from smtpteach.render import entry_facts

# -- reading HTML back --------------------------------------------------------

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""  # all the text inside, as a reader sees it (character references decoded)
    children: list[Element] = field(default_factory=list)

    def find_all(self, tag: str, cls: str | None = None) -> list[Element]:
        found = [self] if self.tag == tag and (cls is None or cls in (self.attrs.get("class") or "").split()) else []
        for child in self.children:
            found += child.find_all(tag, cls)
        return found

    def only(self, tag: str, cls: str | None = None) -> Element:
        found = self.find_all(tag, cls)
        assert len(found) == 1, f"expected exactly one <{tag}{f' class={cls!r}' if cls else ''}>, found {len(found)}"
        return found[0]


class _Tree(HTMLParser):
    """The element tree of an HTML fragment, and every way it is not well nested."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#fragment", {})
        self.stack = [self.root]
        self.elements: list[Element] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, dict(attrs))
        if len(el.attrs) != len(attrs):
            self.problems.append(f"<{tag}> repeats an attribute: {attrs}")
        self.stack[-1].children.append(el)
        self.elements.append(el)
        if tag not in _VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.stack[-1].tag == tag:
            self.stack.pop()
        else:
            self.problems.append(f"</{tag}> closes nothing open (innermost open: <{self.stack[-1].tag}>)")

    def handle_data(self, data: str) -> None:
        for el in self.stack[1:]:
            el.text += data

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"a comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"a declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"a processing instruction <?{data}>")


def parse(markup: str) -> _Tree:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    if len(tree.stack) > 1:
        tree.problems.append(f"left open: {[el.tag for el in tree.stack[1:]]}")
    return tree


# The renderer's fixed vocabulary: each tag it writes, with the attributes it may carry
# (read from smtpteach/render.py, _render_explain.py and _render_quiz.py).
_ALLOWED: dict[str, frozenset[str]] = {
    tag: frozenset(attrs) for tag, attrs in {
        "article": {"class", "id", "lang", "data-seed"}, "section": {"class", "id", "data-reason", "lang"},
        "h2": set(), "h3": set(), "p": {"class"}, "pre": {"class"}, "dl": {"class"}, "dt": {"class"}, "dd": set(),
        "ol": {"class", "type"}, "ul": set(), "li": {"class", "id", "data-kind"}, "a": {"href"},
        "fieldset": set(), "legend": set(), "input": {"type", "name", "id", "value"}, "label": {"for"},
        "strong": set(), "span": {"class"},
    }.items()
}
_CLASSES = frozenset({
    "smtpteach-entry", "smtpteach-basic", "smtpteach-enhanced", "smtpteach-facts", "smtpteach-description",
    "smtpteach-when", "smtpteach-fix", "smtpteach-compare", "smtpteach-summary", "smtpteach-code",
    "smtpteach-differences", "smtpteach-similarity", "smtpteach-difference", "smtpteach-which",
    "smtpteach-learn-more", "smtpteach-explanation", "smtpteach-input-label", "smtpteach-input",
    "smtpteach-quiz", "smtpteach-quiz-summary", "smtpteach-questions", "smtpteach-question",
    "smtpteach-choices", "smtpteach-quiz-answers",
})
_VALUE_RULES: dict[str, re.Pattern[str]] = {
    "id": re.compile(r"smtp(?:teach)?-[a-z0-9-]+"),
    "lang": re.compile(r"en|vi"),
    "data-kind": re.compile(r"[a-z_]+"),
    "data-seed": re.compile(r"-?[0-9]+"),
    "data-reason": re.compile("|".join(REASONS)),
    "href": re.compile(r"https://[^\s\"'<>]+|(?:vi/)?reference/(?:codes|enhanced)/[0-9X.]+\.html|#smtpteach-q-[0-9a-f]+"),
    "type": re.compile(r"a|radio"),
    "name": re.compile(r"smtpteach-q-[0-9a-f]+"),
    "for": re.compile(r"smtpteach-q-[0-9a-f]+-[0-9]+"),
    "value": re.compile(r"[0-9]+"),
}


def foreign_markup(tree: _Tree) -> list[str]:
    """Every element, attribute or attribute value that the renderer does not write itself."""
    found = list(tree.problems)
    for el in tree.elements:
        if el.tag not in _ALLOWED:
            found.append(f"<{el.tag} {el.attrs}>: not a tag the renderer writes")
            continue
        for name, value in el.attrs.items():
            if name not in _ALLOWED[el.tag]:
                found.append(f"<{el.tag}> has the attribute {name}={value!r}, which the renderer never writes on <{el.tag}>")
            elif value is None:
                found.append(f"<{el.tag}> has {name} with no value")
            elif name == "class":
                unknown = set(value.split()) - _CLASSES
                if unknown:
                    found.append(f"<{el.tag}> has the classes {sorted(unknown)}, not the renderer's")
            elif not _VALUE_RULES[name].fullmatch(value):
                found.append(f"<{el.tag}> has {name}={value!r}, not a value the renderer writes")
    return found


# -- a user's codes file full of markup ---------------------------------------

HOSTILE_EN = {
    "name": "Evil <img src=x onerror=alert(1)> \"'&",
    "description": "<script>alert(\"d\")</script> & 'q' \"dq\"",
    "when": "x < y > z </dd><dd onclick=\"w\"> </p></section><section id=\"x\">",
    "fix": "\"><svg onload=alert('fix')>&amp; &lt;b&gt; <!-- c -->",
}
HOSTILE_VI = {
    "name": "Mã độc <img src=x onerror=alert(2)> \"'&",
    "description": "<iframe src=javascript:alert(3)></iframe> và <b>đậm</b>",
    "when": "a </p><p style=\"x\">b </article><article class=\"y\">",
    "fix": "'\"><a href=\"javascript:alert(4)\">sửa</a>&lt; <!DOCTYPE html>",
}
HOSTILE_TITLE = '<b onmouseover=alert(5)>T</b> & "title"'
HOSTILE_REGISTRY = "<u>577</u> & \"more\" <br/>"
HOSTILE_PASTE = "577 5.7.99 <img src=x onerror=alert(6)> \"'& </pre><script>alert(7)</script>"


def _hostile_yaml() -> str:
    """Like conftest.own_codes_yaml, with an enhanced code too: every prose string, the
    registry title and the registry's basic-code wording hold markup."""
    texts = [f"      en: {json.dumps(HOSTILE_EN)}", f"      vi: {json.dumps(HOSTILE_VI, ensure_ascii=False)}"]
    return "\n".join([
        "schema: 1", "basic:", '  "577":', "    status: non-standard", "    references: []", "    commands: [RCPT]",
        "    retry: dont-retry", "    actor: sender-admin", '    enhanced: ["5.7.99"]', "    text:", *texts,
        "enhanced:", '  "X.7.99":', "    subject: 7", "    detail: 99", f"    title: {json.dumps(HOSTILE_TITLE)}",
        '    basic_codes: ["577"]', f"    registry_basic_text: {json.dumps(HOSTILE_REGISTRY)}",
        '    references: ["RFC 3463 §3.8"]', "    text:", *texts, "",
    ])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("own")) / "hostile.yaml"
    path.write_text(_hostile_yaml(), encoding="utf-8")
    return default_catalogue().with_file(path)


def test_the_hostile_file_is_read_as_written(hostile):
    # (the catalogue keeps each string as written, whitespace runs aside, so the escaping tests compare against these)
    for key in ("577", "X.7.99"):
        for lang, texts in (("en", HOSTILE_EN), ("vi", HOSTILE_VI)):
            t = hostile.lookup(key).text(lang=lang)
            assert (t.name, t.description, t.when, t.fix) == tuple(texts[k] for k in ("name", "description", "when", "fix"))
    assert hostile.lookup("X.7.99").title == HOSTILE_TITLE


def _entry_problems(entry, lang: str) -> list[str]:
    """Everything wrong with the HTML of one entry, as read back."""
    out = render.html(entry, lang=lang)
    tree = parse(out)
    where = f"{entry.key} ({lang})"
    problems = [f"{where}: {p}" for p in foreign_markup(tree)]
    t = entry.text(lang=lang)
    facts = entry_facts(entry, lang=lang)
    headings = entry._catalogue.ui(lang=lang)["headings"]
    want = Counter({"article": 1, "h2": 1, "dl": 1, "dt": len(facts), "dd": len(facts), "section": 3, "h3": 3, "p": 3})
    got = Counter(el.tag for el in tree.elements)
    if got != want:
        problems.append(f"{where}: elements {dict(got)}, expected {dict(want)}")
        return problems
    for s in (t.name, t.description, t.when, t.fix):
        if html.escape(s, quote=True) not in out:
            problems.append(f"{where}: {s!r} is not in the HTML as html.escape() writes it, {html.escape(s, quote=True)!r}")
    root = tree.root
    if root.only("h2").text != f"SMTP {entry.key} {t.name}":
        problems.append(f"{where}: the heading reads {root.only('h2').text!r}")
    shown = [(dt.text, dd.text) for dt, dd in zip(root.find_all("dt"), root.find_all("dd"))]
    if shown != facts:
        problems.append(f"{where}: the facts read {shown}, expected {facts}")
    sections = [(s.attrs["class"], s.only("h3").text, s.only("p").text) for s in root.find_all("section")]
    expected = [(f"smtpteach-{k}", headings[k], getattr(t, k)) for k in ("description", "when", "fix")]
    if sections != expected:
        problems.append(f"{where}: the sections read {sections}, expected {expected}")
    return problems


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_entry_of_a_hostile_catalogue_renders_only_the_renderers_markup(hostile, lang):
    entries = [*hostile.basic.values(), *hostile.enhanced.values()]
    assert {"577", "X.7.99", "X.1.7"} <= {e.key for e in entries}
    problems = [p for entry in entries for p in _entry_problems(entry, lang)]
    assert not problems, f"{len(problems)} problems, the first ones:\n" + "\n".join(problems[:20])


def test_the_hostile_entries_show_their_markup_as_text(hostile):
    # the learner reads the markup, escaped once (not twice: "&amp;" in the file reads "&amp;")
    out = render.html(hostile.lookup("577"), lang="en")
    assert "<h2>SMTP 577 Evil &lt;img src=x onerror=alert(1)&gt; &quot;&#x27;&amp;</h2>" in out
    assert "<p>&quot;&gt;&lt;svg onload=alert(&#x27;fix&#x27;)&gt;&amp;amp; &amp;lt;b&amp;gt; &lt;!-- c --&gt;</p>" in out
    out = render.html(hostile.lookup("X.7.99"), lang="vi")
    assert "<dd>&lt;b onmouseover=alert(5)&gt;T&lt;/b&gt; &amp; &quot;title&quot;</dd>" in out
    assert "<dd>&lt;u&gt;577&lt;/u&gt; &amp; &quot;more&quot; &lt;br/&gt;</dd>" in out


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_builtin_string_is_escaped_in_entry_html(lang):
    cat = default_catalogue()
    entries = [*cat.basic.values(), *cat.enhanced.values()]
    strings = [(e, s) for e in entries for t in [e.text(lang=lang)] for s in (t.name, t.description, t.when, t.fix)]
    # the built-in prose holds markup characters (X.1.7's empty sender "<>"), so this loop tests the escaping
    assert any(set(s) & set("<>&\"'") for _, s in strings), "no built-in string holds a character HTML escapes"
    rendered = {e.key: render.html(e, lang=lang) for e in entries}
    missing = [f"{e.key}: {html.escape(s, quote=True)!r}" for e, s in strings if html.escape(s, quote=True) not in rendered[e.key]]
    assert not missing, f"{len(missing)} {lang} strings are not in their entry's HTML as html.escape() writes them:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize("a, b", [("577", "550"), ("X.7.99", "X.7.1")])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_comparison_with_hostile_prose_renders_only_the_renderers_markup(hostile, a, b, lang):
    c = compare(a, b, lang=lang, catalogue=hostile)
    out = render.html(c)
    tree = parse(out)
    assert foreign_markup(tree) == [], f"compare({a!r}, {b!r}, lang={lang!r})"
    n, d, w, m = len(c.sections), len(c.differences), len(c.when_to_use), len(c.learn_more)
    want = Counter({"article": 1, "h2": 1, "p": 1, "section": n + 3, "h3": n + 3, "dl": n, "dt": 3 * n, "dd": 3 * n,
                    "ol": 1, "ul": 2, "li": d + w + m, "a": m})
    assert Counter(el.tag for el in tree.elements) == want
    root = tree.root
    texts = HOSTILE_EN if lang == "en" else HOSTILE_VI
    assert root.only("h2").text == c.title and texts["name"] in c.title
    assert html.escape(c.title, quote=True) in out
    assert root.only("p", "smtpteach-summary").text == c.summary
    code = root.find_all("section", "smtpteach-code")[0]
    assert [dd.text for dd in code.find_all("dd")] == [texts["description"], texts["when"], texts["fix"]]
    assert [li.text for li in root.only("section", "smtpteach-differences").find_all("li")] == [x.text for x in c.differences]
    assert [li.text for li in root.only("section", "smtpteach-which").find_all("li")] == list(c.when_to_use)
    assert [a_.text for a_ in root.find_all("a")] == [link.label for link in c.learn_more]
    for s in texts.values():
        assert html.escape(s, quote=True) in out, f"{s!r} is not in the comparison as html.escape() writes it"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_explanation_of_hostile_text_renders_only_the_renderers_markup(hostile, lang):
    x = explain(HOSTILE_PASTE, lang=lang, catalogue=hostile)
    assert [e.key for e in x.entries] == ["577", "X.7.99"]
    out = render.html(x)
    tree = parse(out)
    assert foreign_markup(tree) == []
    rows = 6 + len(x.entries)
    assert Counter(el.tag for el in tree.elements) == Counter({"section": 1, "p": 2, "pre": 1, "dl": 1, "dt": rows, "dd": rows})
    root = tree.root
    assert root.only("pre", "smtpteach-input").text == HOSTILE_PASTE
    assert html.escape(HOSTILE_PASTE, quote=True) in out
    name = (HOSTILE_EN if lang == "en" else HOSTILE_VI)["name"]
    assert [(dt.text, dd.text) for dt, dd in zip(root.find_all("dt"), root.find_all("dd"))][-2:] == [("577", name), ("X.7.99", name)]
    assert f"<dd>{html.escape(name, quote=True)}</dd>" in out


# -- quizzes ------------------------------------------------------------------

# make_quiz(1, seed=9, topics=["class"]): the question about 421, whose right answer is the third choice, c).
QUIZ = {
    "en": {
        "title": "SMTP reply code quiz",
        "summary": "Questions: 1. Seed: 9.",
        "answers": "Answers",
        "prompt": "What class is the reply code 421?",
        "choices": ("Permanent Negative Completion", "Positive Completion", "Transient Negative Completion", "Positive Intermediate"),
        "explanation": "421 starts with 4, so it is a 4xx Transient Negative Completion reply. The command failed, but the cause is "
                       "expected to be temporary, so the very same request may succeed if it is repeated later. It is not a final "
                       "verdict on the message.",
    },
    "vi": {
        "title": "Trắc nghiệm mã phản hồi SMTP",
        "summary": "Số câu hỏi: 1. Seed: 9.",
        "answers": "Đáp án",
        "prompt": "Mã phản hồi 421 thuộc lớp nào?",
        "choices": ("Thất bại vĩnh viễn", "Hoàn tất thành công", "Thất bại tạm thời", "Chấp nhận, chờ thêm dữ liệu"),
        "explanation": "421 bắt đầu bằng chữ số 4, nên đây là phản hồi lớp 4xx (Thất bại tạm thời). Lệnh không thành công, nhưng "
                       "nguyên nhân được coi là tạm thời, nên gửi lại đúng yêu cầu đó sau một thời gian có thể sẽ thành công. "
                       "Đây chưa phải là kết luận cuối cùng về thư.",
    },
}
RIGHT = {"en": "Transient Negative Completion", "vi": "Thất bại tạm thời"}  # 4xx: choice c), index 2


def _quiz(lang: str):
    q = make_quiz(1, seed=9, lang=lang, topics=["class"])
    question = q.questions[0]
    want = QUIZ[lang]
    # the renderers are what this file tests: first make sure the question is the one written out here
    assert (question.prompt, question.choices, question.answer, question.explanation) == (
        want["prompt"], want["choices"], 2, want["explanation"]), f"make_quiz gave another question: {question}"
    assert question.choices[2] == RIGHT[lang]
    return q


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_quiz_text_marks_the_right_choice_and_explains_it(lang):
    want = QUIZ[lang]
    a, b, c, d = want["choices"]
    expected = "\n".join([
        want["title"], "=" * len(want["title"]), want["summary"], "",
        f"1. {want['prompt']}", f"   a) {a}", f"   b) {b}", f"   c) {c}", f"   d) {d}", "",
        want["answers"], "-" * len(want["answers"]),
        f"1. c) {RIGHT[lang]}", f"   {want['explanation']}",
    ]) + "\n"
    assert render.text(_quiz(lang)) == expected


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_quiz_markdown_marks_the_right_choice_and_explains_it(lang):
    want = QUIZ[lang]
    lines = render.markdown(_quiz(lang)).splitlines()
    assert lines[:3] == [f"# {want['title']}", "", want["summary"]]
    assert f"1. {want['prompt']}" in lines
    assert [ln for ln in lines if ln.startswith("   - ")] == [f"   - {x}) {ch}" for x, ch in zip("abcd", want["choices"])]
    answers = lines[lines.index(f"## {want['answers']}") + 2:]
    assert answers == [f"1. **c) {RIGHT[lang]}**: {want['explanation']}"], "the answer key names another choice or explanation"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_quiz_html_marks_the_right_choice_and_explains_it(lang):
    want = QUIZ[lang]
    q = _quiz(lang)
    out = render.html(q)
    tree = parse(out)
    assert foreign_markup(tree) == []
    root = tree.root
    assert root.only("article", "smtpteach-quiz").attrs["lang"] == lang
    assert root.only("h2").text == want["title"]
    assert root.only("p", "smtpteach-quiz-summary").text == want["summary"]
    question = root.only("li", "smtpteach-question")
    assert question.only("legend").text == want["prompt"]
    qid = question.attrs["id"]
    assert qid == f"smtpteach-q-{q.questions[0].id}"
    radios = question.find_all("input")
    assert [(r.attrs["type"], r.attrs["name"], r.attrs["value"]) for r in radios] == [("radio", qid, str(i)) for i in range(4)]
    labels = {label.attrs["for"]: label.text for label in question.find_all("label")}
    assert [labels[r.attrs["id"]] for r in radios] == list(want["choices"]), "each radio button's label is its own choice"
    key = root.only("section", "smtpteach-quiz-answers")
    assert key.only("h3").text == want["answers"]
    item = key.only("li")
    assert item.attrs["id"] == f"smtpteach-a-{q.questions[0].id}"
    assert item.only("a").attrs["href"] == f"#{qid}", "the answer links back to its question"
    assert item.only("strong").text == f"c) {RIGHT[lang]}"
    assert labels[f"{qid}-2"] == RIGHT[lang], "the choice the key marks c) is the third radio button's"
    assert item.only("span", "smtpteach-explanation").text == want["explanation"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_quiz_on_a_hostile_catalogue_renders_only_the_renderers_markup(hostile, lang):
    # questions whose choices name 577 (its name holds markup) must show the markup as text
    q = make_quiz(60, seed=3, lang=lang, topics=["scenario", "class", "permanence"], catalogue=hostile)
    out = render.html(q)
    assert foreign_markup(parse(out)) == []
    shown = [s for question in q.questions for s in (question.prompt, *question.choices, question.explanation)]
    assert any("<" in s for s in shown), "no question showed the hostile prose; pick another seed"
    for s in shown:
        assert html.escape(s, quote=True) in out, f"{s!r} is not in the quiz as html.escape() writes it"


# -- render.py, line by line ----------------------------------------------------

# entry_facts: the rows a learner reads beside a code, worked out from the catalogue's facts
ENTRY_FACTS = [
    ("220", "en", [("Class", "2xx Positive Completion"), ("Category", "x2z Connections"), ("Status", "standard"),
                   ("Returned by", "the opening of a connection and STARTTLS"), ("Retry advice", "nothing to retry"),
                   ("Who acts", "nobody"), ("Related enhanced codes", "2.5.0 and 2.7.0"),
                   ("References", "RFC 5321 §4.2.2, RFC 5321 §4.2.3, RFC 5321 §4.3.2 and RFC 3207 §4")]),
    ("220", "vi", [("Lớp", "2xx Hoàn tất thành công"), ("Nhóm", "x2z Kết nối"), ("Mức chuẩn hóa", "chuẩn"),
                   ("Phản hồi cho", "việc mở kết nối và STARTTLS"), ("Lời khuyên về việc gửi lại", "không có gì phải gửi lại"),
                   ("Ai cần xử lý", "không ai cả"), ("Mã trạng thái mở rộng liên quan", "2.5.0 và 2.7.0"),
                   ("Tài liệu tham chiếu", "RFC 5321 §4.2.2, RFC 5321 §4.2.3, RFC 5321 §4.3.2 và RFC 3207 §4")]),
    # no enhanced code goes with 211
    ("211", "en", [("Class", "2xx Positive Completion"), ("Category", "x1z Information"), ("Status", "standard"),
                   ("Returned by", "HELP"), ("Retry advice", "nothing to retry"), ("Who acts", "nobody"),
                   ("Related enhanced codes", "none"), ("References", "RFC 5321 §4.2.2, RFC 5321 §4.2.3 and RFC 5321 §4.3.2")]),
    # a second digit outside RFC 5321's categories has no Category row; no RFC defines 571
    ("571", "vi", [("Lớp", "5xx Thất bại vĩnh viễn"), ("Mức chuẩn hóa", "không chuẩn"), ("Phản hồi cho", "RCPT và DATA"),
                   ("Lời khuyên về việc gửi lại", "không gửi lại"), ("Ai cần xử lý", "quản trị viên phía gửi"),
                   ("Mã trạng thái mở rộng liên quan", "5.7.1"), ("Tài liệu tham chiếu", "không có")]),
    ("441", "en", [("Class", "4xx Transient Negative Completion"), ("Category", "x4z Unspecified"), ("Status", "non-standard"),
                   ("Returned by", "any command"), ("Retry advice", "retry later"),
                   ("Who acts", "the receiving side's administrator"), ("Related enhanced codes", "4.4.1"), ("References", "none")]),
    # the registry's own wording of the basic codes, in the reader's language
    ("X.3.6", "en", [("Subject", "X.3 Mail System"), ("Registry title", "Requested priority was changed"),
                     ("Associated basic codes (registry)", "250 or 251"), ("References", "RFC 6710")]),
    ("X.3.6", "vi", [("Chủ đề", "X.3 Hệ thống thư"), ("Tiêu đề trong registry", "Requested priority was changed"),
                     ("Mã cơ bản đi kèm (theo registry)", "250 hoặc 251"), ("Tài liệu tham chiếu", "RFC 6710")]),
    ("X.1.1", "vi", [("Chủ đề", "X.1 Địa chỉ"), ("Tiêu đề trong registry", "Bad destination mailbox address"),
                     ("Mã cơ bản đi kèm (theo registry)", "451 và 550"), ("Tài liệu tham chiếu", "RFC 3463 §3.2")]),
    # a deprecated code names the one that replaces it
    ("X.6.10", "vi", [("Chủ đề", "X.6 Nội dung hoặc định dạng thư"), ("Tiêu đề trong registry", "không có"),
                      ("Mã cơ bản đi kèm (theo registry)", "không có"), ("Được thay bằng", "X.6.8"),
                      ("Tài liệu tham chiếu", "RFC 6531 §4.2")]),
]


@pytest.mark.parametrize("key, lang, rows", ENTRY_FACTS)
def test_entry_facts_state_each_entrys_own_facts(key, lang, rows):
    assert entry_facts(default_catalogue().lookup(key), lang=lang) == rows


def test_entry_facts_and_entries_are_in_english_unless_asked():
    entry = default_catalogue().lookup("550")
    assert entry_facts(entry) == entry_facts(entry, lang="en")
    for fmt in (render.text, render.markdown, render.html):
        assert fmt(entry) == fmt(entry, lang="en") != fmt(entry, lang="vi")
    assert render.html(entry).splitlines()[0] == '<article class="smtpteach-entry smtpteach-basic" id="smtp-550-en" lang="en">'


@pytest.fixture(scope="module")
def without_registry_wording(tmp_path_factory):
    """A catalogue from its own data folder whose UI has no "registry_wording" (it is optional)."""
    import shutil

    from smtpteach import Catalogue

    from .conftest import DATA

    root = tmp_path_factory.mktemp("no-wording") / "data"
    shutil.copytree(DATA, root)
    for lang in ("en", "vi"):
        ui = root / lang / "ui.yaml"
        lines = ui.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("  registry_wording:"))
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
        ui.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    cat = Catalogue(root)
    assert "registry_wording" not in cat.ui(lang="en") and "registry_wording" not in cat.ui(lang="vi")
    return cat


def test_without_registry_wording_the_registrys_own_words_are_shown(without_registry_wording):
    rows = dict(entry_facts(without_registry_wording.lookup("X.3.6"), lang="vi"))
    assert rows["Mã cơ bản đi kèm (theo registry)"] == "250 or 251"
    rows = dict(entry_facts(without_registry_wording.lookup("X.1.1"), lang="vi"))
    assert rows["Mã cơ bản đi kèm (theo registry)"] == "451 và 550"


@pytest.mark.parametrize("key, lang, first", [
    ("550", "vi", '<article class="smtpteach-entry smtpteach-basic" id="smtp-550-vi" lang="vi">'),
    # ids are lower case, dots become dashes: "X.7.1" is "x-7-1"
    ("X.7.1", "en", '<article class="smtpteach-entry smtpteach-enhanced" id="smtp-x-7-1-en" lang="en">'),
])
def test_entry_html_ids_are_the_key_as_a_slug_and_the_language(key, lang, first):
    out = render.html(default_catalogue().lookup(key), lang=lang).splitlines()
    ident = first.split('id="')[1].split('"')[0]
    assert out[0] == first
    assert [line.split('id="')[1].split('"')[0] for line in out if line.startswith("<section")] == [
        f"{ident}-description", f"{ident}-when", f"{ident}-fix"]


RELAY_EN = {"name": "Relay Refused", "description": "The server will not relay mail for you.",
            "when": "You sent to an outside domain without logging in.", "fix": "Log in first, or send through your own provider."}
RELAY_VI = {"name": "Từ chối chuyển tiếp", "description": "Máy chủ không chuyển tiếp thư cho bạn.",
            "when": "Bạn gửi tới một tên miền bên ngoài mà chưa đăng nhập.", "fix": "Hãy đăng nhập trước, hoặc gửi qua nhà cung cấp của bạn."}


@pytest.fixture(scope="module")
def relay(tmp_path_factory):
    """577 from a user's codes file: short prose, so the whole rendering can be written out here."""
    from .conftest import own_codes_yaml

    path = Path(tmp_path_factory.mktemp("relay")) / "relay.yaml"
    path.write_text(own_codes_yaml("577", RELAY_EN, RELAY_VI), encoding="utf-8")
    return default_catalogue().with_file(path).lookup("577")


def test_entry_text_layout(relay):
    assert render.text(relay) == """\
SMTP 577 Relay Refused
======================

Class: 5xx Permanent Negative Completion
Status: non-standard
Returned by: RCPT
Retry advice: do not retry
Who acts: the sending side's administrator
Related enhanced codes: none
References: none

Description
-----------
The server will not relay mail for you.

When you see this code
----------------------
You sent to an outside domain without logging in.

How to fix
----------
Log in first, or send through your own provider.
"""


def test_entry_markdown_layout(relay):
    assert render.markdown(relay, lang="vi") == """\
# SMTP 577 Từ chối chuyển tiếp

- **Lớp:** 5xx Thất bại vĩnh viễn
- **Mức chuẩn hóa:** không chuẩn
- **Phản hồi cho:** RCPT
- **Lời khuyên về việc gửi lại:** không gửi lại
- **Ai cần xử lý:** quản trị viên phía gửi
- **Mã trạng thái mở rộng liên quan:** không có
- **Tài liệu tham chiếu:** không có

## Mô tả

Máy chủ không chuyển tiếp thư cho bạn.

## Khi bạn thấy mã này

Bạn gửi tới một tên miền bên ngoài mà chưa đăng nhập.

## Cách khắc phục

Hãy đăng nhập trước, hoặc gửi qua nhà cung cấp của bạn.
"""


def test_entry_html_layout(relay):
    assert render.html(relay) == """\
<article class="smtpteach-entry smtpteach-basic" id="smtp-577-en" lang="en">
<h2>SMTP 577 Relay Refused</h2>
<dl class="smtpteach-facts">
<dt>Class</dt><dd>5xx Permanent Negative Completion</dd>
<dt>Status</dt><dd>non-standard</dd>
<dt>Returned by</dt><dd>RCPT</dd>
<dt>Retry advice</dt><dd>do not retry</dd>
<dt>Who acts</dt><dd>the sending side&#x27;s administrator</dd>
<dt>Related enhanced codes</dt><dd>none</dd>
<dt>References</dt><dd>none</dd>
</dl>
<section class="smtpteach-description" id="smtp-577-en-description"><h3>Description</h3><p>The server will not relay mail for you.</p></section>
<section class="smtpteach-when" id="smtp-577-en-when"><h3>When you see this code</h3><p>You sent to an outside domain without logging in.</p></section>
<section class="smtpteach-fix" id="smtp-577-en-fix"><h3>How to fix</h3><p>Log in first, or send through your own provider.</p></section>
</article>
"""


def _short_comparison():
    """A Comparison of 421 and 450 written by hand, with one-line prose, so the whole rendering fits here."""
    from smtpteach import Comparison
    from smtpteach._compare import CodeSection, Difference, Link

    headings = {"description": "Description", "when": "When you see this code", "fix": "How to fix",
                "differences": "Key differences", "which": "When to use which", "learn_more": "Learn more"}
    return Comparison(
        a="421", b="450", lang="en", title="SMTP 421 Service Not Available vs 450 Mailbox Temporarily Unavailable",
        summary="Both are 4xx replies.", headings=headings,
        sections=(CodeSection("421", "Service Not Available", "The server is closing.", "It is overloaded.", "Retry later.",
                              "reference/codes/421.html"),
                  CodeSection("450", "Mailbox Temporarily Unavailable", "The mailbox is busy.", "Greylisting.", "Retry later.",
                              "reference/codes/450.html")),
        differences=(Difference("class", "Both are 4xx Transient Negative Completion replies.", similarity=True),
                     Difference("category", "421 is in x2z (Connections), 450 is in x5z (Mail System).")),
        when_to_use=("Use 421 to close the connection.", "Use 450 for one mailbox."),
        learn_more=(Link("421 Service Not Available: reference page", "reference/codes/421.html"),
                    Link("RFC 5321 §4.2.3", "https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3")),
    )


def test_comparison_text_layout():
    assert render.text(_short_comparison()) == """\
SMTP 421 Service Not Available vs 450 Mailbox Temporarily Unavailable
=====================================================================

Both are 4xx replies.

421 Service Not Available
-------------------------
Description: The server is closing.
When you see this code: It is overloaded.
How to fix: Retry later.

450 Mailbox Temporarily Unavailable
-----------------------------------
Description: The mailbox is busy.
When you see this code: Greylisting.
How to fix: Retry later.

Key differences
---------------
1. Both are 4xx Transient Negative Completion replies.
2. 421 is in x2z (Connections), 450 is in x5z (Mail System).

When to use which
-----------------
Use 421 to close the connection.
Use 450 for one mailbox.

Learn more
----------
- 421 Service Not Available: reference page <reference/codes/421.html>
- RFC 5321 §4.2.3 <https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3>
"""


def test_comparison_markdown_layout():
    assert render.markdown(_short_comparison()) == """\
# SMTP 421 Service Not Available vs 450 Mailbox Temporarily Unavailable

Both are 4xx replies.

## 421 Service Not Available

### Description

The server is closing.

### When you see this code

It is overloaded.

### How to fix

Retry later.

## 450 Mailbox Temporarily Unavailable

### Description

The mailbox is busy.

### When you see this code

Greylisting.

### How to fix

Retry later.

## Key differences

1. Both are 4xx Transient Negative Completion replies.
2. 421 is in x2z (Connections), 450 is in x5z (Mail System).

## When to use which

- Use 421 to close the connection.
- Use 450 for one mailbox.

## Learn more

- [421 Service Not Available: reference page](reference/codes/421.html)
- [RFC 5321 §4.2.3](https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3)
"""


def test_comparison_html_layout():
    # a similarity and a difference carry their own class; the links are as written (relative ones too)
    ident = "smtpteach-compare-421-vs-450-en"
    assert render.html(_short_comparison()) == f"""\
<article class="smtpteach-compare" id="{ident}" lang="en">
<h2>SMTP 421 Service Not Available vs 450 Mailbox Temporarily Unavailable</h2>
<p class="smtpteach-summary">Both are 4xx replies.</p>
<section class="smtpteach-code" id="{ident}-421"><h3>421 Service Not Available</h3><dl>
<dt class="smtpteach-description">Description</dt><dd>The server is closing.</dd>
<dt class="smtpteach-when">When you see this code</dt><dd>It is overloaded.</dd>
<dt class="smtpteach-fix">How to fix</dt><dd>Retry later.</dd>
</dl></section>
<section class="smtpteach-code" id="{ident}-450"><h3>450 Mailbox Temporarily Unavailable</h3><dl>
<dt class="smtpteach-description">Description</dt><dd>The mailbox is busy.</dd>
<dt class="smtpteach-when">When you see this code</dt><dd>Greylisting.</dd>
<dt class="smtpteach-fix">How to fix</dt><dd>Retry later.</dd>
</dl></section>
<section class="smtpteach-differences" id="{ident}-differences"><h3>Key differences</h3><ol>
<li class="smtpteach-similarity" data-kind="class">Both are 4xx Transient Negative Completion replies.</li>
<li class="smtpteach-difference" data-kind="category">421 is in x2z (Connections), 450 is in x5z (Mail System).</li>
</ol></section>
<section class="smtpteach-which" id="{ident}-which"><h3>When to use which</h3><ul>
<li>Use 421 to close the connection.</li>
<li>Use 450 for one mailbox.</li>
</ul></section>
<section class="smtpteach-learn-more" id="{ident}-learn-more"><h3>Learn more</h3><ul>
<li><a href="reference/codes/421.html">421 Service Not Available: reference page</a></li>
<li><a href="https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3">RFC 5321 §4.2.3</a></li>
</ul></section></article>
"""


@pytest.mark.parametrize("thing", [object(), 42, "550", default_catalogue], ids=["object", "int", "str", "function"])
def test_render_names_what_it_cannot_render(thing):
    for fmt in (render.text, render.markdown, render.html):
        with pytest.raises(TypeError) as info:
            fmt(thing)
        assert isinstance(info.value, smtpteach.InvalidTypeError)  # the package's own, as every wrong type
        assert str(info.value) == (f"cannot render a {type(thing).__name__}; "
                                   "pass a catalogue entry, a Comparison, an Explanation or a Quiz")
