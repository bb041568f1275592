from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import traitlets

import smtpteach
from smtpteach._catalogue import STATUSES
from smtpteach._explain import rules_for_browser
from smtpteach.render import entry_facts
from smtpteach.widgets import CompareWidget, ExplainWidget, ExplorerWidget, QuizWidget

VIEW = "application/vnd.jupyter.widget-view+json"


def test_compare_widget_traits_repr_and_state():
    w = CompareWidget("211", "550", lang="vi")
    assert repr(w) == "CompareWidget(211 vs 550, lang='vi')"
    bundle = w._repr_mimebundle_()[0]
    assert bundle["text/plain"] == repr(w) and VIEW in bundle
    assert not re.search(r"0x[0-9a-f]{6,}", repr(w))
    state = w.get_state()
    assert state["a"] == "211" and state["lang"] == "vi"
    data = state["_data"]
    assert set(data["facts"]) >= {"211", "550", "5.1.1", "4.2.2"}
    assert data["ui"]["headings"]["differences"] == "Sự khác biệt chính"
    assert "function assemble" in state["_esm"] and "export default" in state["_esm"]
    assert w.comparison.title.startswith("SMTP 211 ")
    w.pair = ("550", "553")
    assert (w.a, w.b) == ("550", "553") and w.comparison.b == "553"
    w.b = "5.1.1"
    assert w.comparison is None  # mixed kinds: the widget shows a message instead


def test_compare_widget_language_switch_recomputes_data():
    w = CompareWidget("421", "450")
    assert w._data["ui"]["headings"]["description"] == "Description"
    w.lang = "vi"
    assert w._data["ui"]["headings"]["description"] == "Mô tả"
    # content-derived: the same kind and language give the same id, another language another one
    assert w._uid == CompareWidget("421", "450", lang="vi")._uid == CompareWidget("211", "550", lang="vi")._uid
    assert re.fullmatch(r"[0-9a-f]{10}", w._uid) and w._uid != CompareWidget("421", "450")._uid


@pytest.mark.parametrize("trait, value, message", [
    ("a", "599", "a: 599 is not in the catalogue"),
    ("b", "hello", "b: 'hello' is not a reply code"),
    ("a", "X.1.1", "a: give a concrete enhanced code such as 5.1.1, not X.1.1"),
    ("b", "2.1.5", "b: the widget compares failures: use 4.1.5 or 5.1.5"),
    ("lang", "fr", "lang must be one of en, vi"),
])
def test_compare_widget_rejects_bad_values(trait, value, message):
    w = CompareWidget()
    with pytest.raises(traitlets.TraitError, match=re.escape(message)):
        setattr(w, trait, value)


def test_explorer_widget():
    w = ExplorerWidget(kind="enhanced", subject="7", selected="5.7.1")
    assert w.selected == "X.7.1"
    assert repr(w) == "ExplorerWidget(kind='enhanced', subject='7', lang='en')"
    entries = w._data["entries"]
    assert len(entries) == len(smtpteach.default_catalogue())
    first = next(e for e in entries if e["code"] == "550")
    assert first["class"] == "5" and first["status"] == "core"
    # the rows the explorer shows for a code are the ones its reference page shows
    assert first["facts"] == entry_facts(smtpteach.lookup("550"), lang="en")
    assert dict(first["facts"])["Retry advice"] == "do not retry"
    with pytest.raises(traitlets.TraitError, match="reply_class must be '' .any. or one of '2', '3', '4', '5'"):
        w.reply_class = "9"
    with pytest.raises(traitlets.TraitError, match="selected: 599 is not in the catalogue"):
        w.selected = "599"
    w.lang = "vi"
    assert w._data["texts"]["550"]["name"] == smtpteach.lookup("550").name(lang="vi")
    assert {e["code"] for e in w._data["entries"]} == set(w._data["texts"])



@pytest.mark.parametrize("trait, values", [
    ("reply_class", ("2", "3", "4", "5")),
    ("category", ("0", "1", "2", "3", "4", "5")),  # x5z, the mail system, included
    ("subject", tuple(str(d) for d in range(8))),
])
def test_explorer_widget_takes_every_digit_its_filter_has(trait, values):
    for value in values:
        w = ExplorerWidget(**{trait: value})
        assert getattr(w, trait) == value
        setattr(w, trait, "")
        setattr(w, trait, value)
        assert getattr(w, trait) == value


@pytest.mark.parametrize("trait, values", [
    ("status", STATUSES),
    ("kind", ("basic", "enhanced")),
    ("selected", ("550", "X.7.1")),
])
def test_explorer_widget_s_status_kind_and_selection_go_back_to_none(trait, values):
    # the page's "any" option of a filter sends '' to the kernel, and a notebook clears the code shown the same way:
    # the kernel takes '' after a value as it takes the value, or the page and the kernel would disagree
    for value in values:
        w = ExplorerWidget(**{trait: value})
        assert getattr(w, trait) == value
        setattr(w, trait, "")
        assert getattr(w, trait) == ""
        setattr(w, trait, value)
        assert getattr(w, trait) == value


def test_explorer_widget_rows_carry_each_code_s_own_class_and_category():
    # the page filters on these: 421 is class 4 (transient) and category 2 (connections), 354 class 3, category 5
    entries = {e["code"]: e for e in ExplorerWidget()._data["entries"]}
    for code in ("421", "354", "252", "503"):
        assert (entries[code]["class"], entries[code]["category"]) == (code[0], code[1]), code
    assert (entries["X.2.2"]["subject"], entries["X.2.2"]["title"]) == ("2", smtpteach.lookup("X.2.2").title)

def test_widgets_name_a_wrong_argument():
    # a misspelt filter is refused, not dropped behind a hidden DeprecationWarning
    with pytest.raises(smtpteach.InvalidArgumentError, match="ExplorerWidget has no filter 'categroy'; its filters are "
                                                           "kind, reply_class, category, status, subject, query, selected"):
        ExplorerWidget(categroy="1")
    with pytest.raises(smtpteach.InvalidArgumentError, match="^ExplorerWidget has no filter 'categroy', 'sbject'; "):
        ExplorerWidget(categroy="1", sbject="7")
    w = ExplorerWidget(kind="basic", reply_class="4", status="non-standard")  # the documented example
    assert (w.kind, w.reply_class, w.status) == ("basic", "4", "non-standard")
    for make in (lambda: CompareWidget(catalogue="x"), lambda: ExplainWidget("550", catalogue={}),
                 lambda: QuizWidget(catalogue=5)):
        with pytest.raises(smtpteach.InvalidTypeError, match="catalogue must be a smtpteach.Catalogue"):
            make()
    # one topic named alone is that topic, not its letters
    assert QuizWidget(topics="class", count=2).quiz.topics == ("class",)


OWN_CODE = """
schema: 1
basic:
  "577":
    status: non-standard
    references: []
    commands: [RCPT]
    retry: dont-retry
    actor: sender-admin
    text:
      en: {name: "Provider Block", description: "The provider refuses mail.", when: "After RCPT.", fix: "Ask the provider."}
      vi: {name: "Nhà cung cấp chặn", description: "Nhà cung cấp từ chối thư.", when: "Sau RCPT.", fix: "Hỏi nhà cung cấp."}
"""


def test_every_widget_works_on_a_catalogue_with_your_own_code(tmp_path):
    # the how-to on adding your own codes shows CompareWidget("571", "577", catalogue=cat, lang="vi"): each widget takes
    # the code from that catalogue, and what it gives back to Python (the comparison, the explanation) is about it, in
    # the widget's language
    path = tmp_path / "provider.yaml"
    path.write_text(OWN_CODE, encoding="utf-8")
    cat = smtpteach.default_catalogue().with_file(path)
    cmp = CompareWidget("571", "577", catalogue=cat, lang="vi")
    assert cmp.comparison.title == "SMTP 571 Bị chặn theo chính sách vs 577 Nhà cung cấp chặn"
    assert cmp.comparison == smtpteach.compare("571", "577", lang="vi", catalogue=cat)
    cmp.a = "577"
    assert cmp.pair == ("577", "577")
    assert ExplorerWidget(catalogue=cat, selected="577").selected == "577"
    box = ExplainWidget("577 blocked by the provider", catalogue=cat, lang="vi")
    assert [e.name(lang="vi") for e in box.explanation.entries] == ["Nhà cung cấp chặn"]
    assert box._data["names"]["577"] == "Nhà cung cấp chặn"


@pytest.mark.parametrize("widget", [CompareWidget, ExplorerWidget, ExplainWidget, QuizWidget])
def test_a_widget_s_module_declares_every_shared_helper_its_own_code_calls(widget):
    # the kernel sends the page one module: core.js, widget-common.js, then the widget's own file. A helper the own file
    # calls (h, keepFocus, update ...) that the module does not declare breaks the widget in a browser only, where no
    # Python test looks
    static = Path(smtpteach.__file__).parent / "static"

    def declared(js: str) -> set[str]:
        return {a or b for a, b in re.findall(r"^(?:async )?function (\w+)|^const (\w+)", js, re.M)}

    shared = declared((static / "core.js").read_text(encoding="utf-8")) | declared(
        (static / "widget-common.js").read_text(encoding="utf-8"))
    name = {CompareWidget: "compare", ExplorerWidget: "explorer", ExplainWidget: "explain", QuizWidget: "quiz"}[widget]
    own = (static / f"{name}.js").read_text(encoding="utf-8")
    called = {n for n in shared if re.search(rf"(?<![\w.]){n}\(", own)}
    assert {"h", "update"} <= called, sorted(called)  # every widget builds its DOM and writes back to the model
    module = widget().get_state()["_esm"]
    assert called <= declared(module), sorted(called - declared(module))
    assert own in module


def test_the_compare_and_explorer_widgets_carry_one_object_of_prose():
    # the site's data file holds it once for both (smtpteach/sphinx/_widgets.py shares equal parts)
    from smtpteach._compare import code_facts

    for lang in ("en", "vi"):
        c, x = CompareWidget("421", "450", lang=lang)._data, ExplorerWidget(lang=lang)._data
        assert c["texts"] == x["texts"]
        cat = smtpteach.default_catalogue()
        for code, facts in c["facts"].items():
            full = code_facts(code, lang=lang, catalogue=cat)  # what the prose was before it was held apart
            assert {k: full[k] for k in ("name", "description", "when", "fix")} == c["texts"][facts["text_key"]], code
            assert not {"name", "description", "when", "fix"} & set(facts)


def test_explain_widget():
    w = ExplainWidget("452 4.2.2 over quota", lang="vi")
    assert repr(w) == "ExplainWidget('452 4.2.2 over quota', lang='vi')"
    assert w.explanation.reason == "mailboxfull"
    assert w._data["rules"] == rules_for_browser()  # the browser reads the rules Python reads
    assert w._data["names"]["X.2.2"] == smtpteach.lookup("X.2.2").name(lang="vi")
    long = ExplainWidget("550 " + "x" * 100)
    assert repr(long).endswith("…', lang='en')")


def test_explain_widget_carries_the_first_explanation_for_the_page():
    # the page draws the kernel's text from _first without compiling the rules: it must be explain()'s own answer
    # for that very text and language, kept in step when the kernel changes either
    w = ExplainWidget("452 4.2.2 over quota", lang="vi")
    assert w._first == {"text": "452 4.2.2 over quota", **smtpteach.explain("452 4.2.2 over quota", lang="vi").as_dict()}
    assert w._first["reason"] == "mailboxfull" and "Hộp thư" in w._first["summary"]
    w.text = "550 5.1.1 user unknown"
    assert (w._first["text"], w._first["reason"]) == ("550 5.1.1 user unknown", "userunknown")
    w.lang = "en"
    assert w._first["summary"] == smtpteach.explain("550 5.1.1 user unknown").summary
    w.text = "550 5.1.1 a\n550 5.1.1 b"  # two replies: the page says where the second starts, as explain() raises
    assert w._first == {"text": "550 5.1.1 a\n550 5.1.1 b", "mixed": 2}
    # a whole message (a bounce saved as .eml): explain() reads it as triage does, but the page takes no MIME apart,
    # and says so whoever set the text
    whole = "Return-Path: <>\nFrom: MAILER-DAEMON@example.org\nSubject: failure notice\n\n<bob@example.org>:\nmailbox full"
    w.text = whole
    assert w._first == {"text": whole, "whole": True} and w.explanation.reason == "mailboxfull"
    w.text = "   "
    assert w._first == {}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explain_widget_carries_the_words_that_say_a_whole_message_is_read_on_the_command_line(lang):
    w = ExplainWidget("", lang=lang)
    said = w._data["ui"]["triage"]["explain_message"]
    assert said == smtpteach.default_catalogue().ui(lang=lang)["triage"]["explain_message"]
    assert "Diagnostic-Code" in said and "smtpteach explain - < bounce.eml" in said
    if lang != "en":  # a reader of another language is told in it: no English sentence of the message is left in it
        english = smtpteach.default_catalogue().ui(lang="en")["triage"]["explain_message"]
        assert [s for s in english.split(". ") if s.split(":")[0] in said] == []


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explain_widget_carries_the_words_that_say_where_a_second_record_starts(lang):
    # the page words a text of two records with ui.triage.explain_mixed, in the widget's language
    w = ExplainWidget("550 5.1.1 a\n452 4.2.2 b", lang=lang)
    said = w._data["ui"]["triage"]["explain_mixed"]
    assert said == smtpteach.default_catalogue().ui(lang=lang)["triage"]["explain_mixed"]
    assert "{line}" in said and w._first["mixed"] == 2


def test_quiz_widget_two_way_answers_and_score():
    w = QuizWidget(seed=3, count=4)
    quiz = w.quiz
    assert repr(w) == "QuizWidget(4 questions, seed=3, score=0/4, lang='en')"
    assert w.answers == [-1, -1, -1, -1]
    assert w._data["quiz"] == quiz.as_dict()
    right = [q.answer for q in quiz.questions]
    w.answers = right
    assert w.score == 4
    wrong = [(a + 1) % len(q.choices) for a, q in zip(right, quiz.questions)]
    w.answers = [right[0]] + wrong[1:]
    assert w.score == 1
    with pytest.raises(traitlets.TraitError, match="answers needs 4 entries"):
        w.answers = [0]
    with pytest.raises(traitlets.TraitError, match=r"answers\[1\] is 9"):
        w.answers = [0, 9, 0, 0]
    # the edges: the last choice and "none" are answers, one past the last and below "none" are not (a test audit)
    n = [len(q.choices) for q in quiz.questions]
    w.answers = [k - 1 for k in n]
    assert w.answers == [k - 1 for k in n]
    w.answers = [-1] * 4
    assert w.score == 0
    with pytest.raises(traitlets.TraitError, match=rf"^answers\[0\] is {n[0]}; question 1 has choices 0 to {n[0] - 1} "
                                                  r"\(-1 for none\)$"):
        w.answers = n
    with pytest.raises(traitlets.TraitError, match=r"^answers\[2\] is -2;"):
        w.answers = [0, 0, -2, 0]


def test_quiz_widget_is_seeded_and_resets_on_new_seed():
    a, b = QuizWidget(seed=11, count=5, lang="vi"), QuizWidget(seed=11, count=5, lang="vi")
    assert json.dumps(a._data, sort_keys=True) == json.dumps(b._data, sort_keys=True)
    assert a._uid == b._uid
    a.answers = [0] * 5
    a.current = 3  # the learner was on question 4 of the old quiz
    a.seed = 12
    assert a.answers == [-1] * 5 and a.score == 0
    assert a.current == 0  # a new quiz opens at its first question, as the docs say
    for change in ({"count": 4}, {"topics": ["class"]}):
        a.current = 2
        setattr(a, *next(iter(change.items())))
        assert (a.current, a.answers) == (0, [-1] * len(a.quiz.questions)), change
    a.count, a.topics = 5, None
    assert a._data["quiz"] != b._data["quiz"]
    with pytest.raises(traitlets.TraitError, match="count"):
        a.count = 100000
    assert a.count == 5 and len(a.quiz.questions) == 5  # the bad value was refused, not half-applied
    with pytest.raises(traitlets.TraitError, match="topics"):
        a.topics = ["nonsense"]


def test_a_quiz_widget_asks_its_quiz_in_its_language_from_its_catalogue(tmp_path):
    # the page shows _data's quiz: it must be make_quiz's quiz for the widget's own seed, count, language and catalogue
    assert QuizWidget(seed=11, count=5, lang="vi")._data["quiz"] == smtpteach.make_quiz(5, seed=11, lang="vi").as_dict()
    path = tmp_path / "provider.yaml"
    path.write_text(OWN_CODE, encoding="utf-8")
    cat = smtpteach.default_catalogue().with_file(path)
    own = QuizWidget(seed=2, count=10, catalogue=cat)._data["quiz"]
    assert own == smtpteach.make_quiz(10, seed=2, catalogue=cat).as_dict()
    assert own != smtpteach.make_quiz(10, seed=2).as_dict()  # the code of one's own joins the pool, so the draw moves


def test_a_quiz_widget_made_with_a_count_it_cannot_ask_says_why():
    with pytest.raises(traitlets.TraitError, match="^count 100000 is more than the 291 questions available for topics "
                                                   "class, permanence, scenario, subject, pair, reply$"):
        QuizWidget(count=100000)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_widget_carries_the_words_its_page_reads_in_its_language(lang):
    # static/<widget>.js reads these parts of the UI strings from _data["ui"] (ui.widgets, ui.labels ...): each must be
    # there, and be the catalogue's own words in the widget's language
    static = Path(smtpteach.__file__).parent / "static"
    ui = smtpteach.default_catalogue().ui(lang=lang)
    for widget, name in ((CompareWidget(lang=lang), "compare"), (ExplorerWidget(lang=lang), "explorer"),
                         (QuizWidget(count=2, lang=lang), "quiz"), (ExplainWidget(lang=lang), "explain")):
        read = set(re.findall(r"\bui\.(\w+)", (static / f"{name}.js").read_text(encoding="utf-8")))
        assert "widgets" in read, name
        if name == "explain":  # and core.js's explainer, which it calls with the same ui: the reasons' words (and
            # their notes), the summary's templates, and joinList's word for none
            read |= {"reasons", "reason_notes", "templates", "labels"}
        for part in read:
            assert widget._data["ui"][part] == ui[part], (name, part)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_compare_page_assembles_from_the_widget_s_data_what_compare_gives(lang):
    # compare.js joins a code's facts and its prose from _data and hands them, with _data's UI strings, to core.js's
    # assemble, the twin of Python's: from the same data, Python's gives compare()'s very comparison
    from smtpteach._compare import assemble

    data = CompareWidget(lang=lang)._data

    def facts(code: str) -> dict:
        f = dict(data["facts"][code])
        return {**f, **data["texts"][f.pop("text_key")]}

    for a, b in (("421", "450"), ("550", "211"), ("4.2.2", "5.1.1"), ("5.7.1", "5.7.26")):
        assert assemble(facts(a), facts(b), data["ui"], lang) == smtpteach.compare(a, b, lang=lang), (a, b)


def test_the_compare_pickers_offer_every_basic_code_and_each_enhanced_one_as_a_failure():
    cat = smtpteach.default_catalogue()
    data = CompareWidget()._data
    assert data["basic"] == list(cat.basic) and "550" in data["basic"]
    # each enhanced entry (X.1.1) as the two failures it stands for, never as X or as a success
    assert len(data["enhanced"]) == 2 * len(cat.enhanced) and {"4.1.1", "5.1.1", "5.7.26"} <= set(data["enhanced"])
    assert {code[0] for code in data["enhanced"]} == {"4", "5"}


def test_explorer_rows_and_topics_are_in_the_widget_s_language():
    cat = smtpteach.default_catalogue()
    data = ExplorerWidget(lang="vi")._data
    rows = {e["code"]: e for e in data["entries"]}
    assert (rows["550"]["kind"], rows["X.7.1"]["kind"]) == ("basic", "enhanced")
    assert rows["550"]["facts"] == entry_facts(smtpteach.lookup("550"), lang="vi")
    assert rows["550"]["facts"] != entry_facts(smtpteach.lookup("550"), lang="en")
    assert data["topics"] == {kind: {k: cat.text(kind, k, lang="vi").name for k in table}
                              for kind, table in cat.topics.items()}
    assert data["topics"] != ExplorerWidget(lang="en")._data["topics"]


def test_a_widget_s_page_id_comes_from_its_kind_its_language_and_for_a_quiz_its_questions():
    # the page's DOM ids are made from _uid: the same widget state gives the same ids on every build, and another
    # language (or another quiz) other ones
    for make in (CompareWidget, ExplorerWidget, ExplainWidget):
        assert make(lang="vi")._uid == make(lang="vi")._uid != make(lang="en")._uid, make.__name__
        assert re.fullmatch(r"[0-9a-f]{10}", make()._uid)
    assert QuizWidget(seed=4, count=3)._uid == QuizWidget(seed=4, count=3)._uid != QuizWidget(seed=5, count=3)._uid
    assert QuizWidget(seed=4, count=3)._uid != QuizWidget(seed=4, count=3, lang="vi")._uid


def test_widgets_made_with_no_arguments_show_what_their_signatures_say():
    # help(CompareWidget) and help(QuizWidget) promise 211 against 550 and ten questions
    assert repr(CompareWidget()) == "CompareWidget(211 vs 550, lang='en')"
    assert repr(QuizWidget()) == "QuizWidget(10 questions, seed=0, score=0/10, lang='en')"


def test_an_explain_widget_made_with_no_text_shows_an_empty_box_and_no_explanation():
    w = ExplainWidget()
    assert (w.text, w._first, repr(w)) == ("", {}, "ExplainWidget('', lang='en')")


def test_a_widget_refuses_a_code_or_topic_in_its_own_language():
    """The message a learner reads when a widget refuses a value is in the widget's language, as the CLI's is
    with --lang (CompareWidget's a and b, ExplorerWidget's selected, QuizWidget's topics)."""
    import traitlets

    from smtpteach.widgets import CompareWidget, ExplorerWidget, QuizWidget

    for lang, said in (("vi", "b: không có mã 599 trong danh mục; có phải ý bạn là 571, 570, 556?"),
                       ("en", "b: 599 is not in the catalogue; did you mean 571, 570, 556?")):
        cmp = CompareWidget("550", "553", lang=lang)
        with pytest.raises(traitlets.TraitError) as caught:
            cmp.b = "599"
        assert str(caught.value) == said
        assert cmp.b == "553"
    with pytest.raises(traitlets.TraitError, match="^b: không có mã 599 trong danh mục"):
        CompareWidget("550", "599", lang="vi")
    with pytest.raises(traitlets.TraitError, match="^selected: không có mã 5.9.9 trong registry"):
        ExplorerWidget(lang="vi").selected = "5.9.9"
    with pytest.raises(traitlets.TraitError, match="^topics: không có loại câu hỏi 'colour'"):
        QuizWidget(lang="vi").topics = ["colour"]


# a teacher review: these refusals stayed English in a Vietnamese widget, though the how-to says a value is refused
# in the widget's language (made with a count or topics no quiz can have, a generic or a success enhanced code given
# to compare, a filter of the explorer, answers that do not fit the quiz). (what to do, English, Vietnamese)
REFUSALS = [
    (lambda lang: QuizWidget(count=1000, lang=lang),
     "count 1000 is more than the 291 questions available for topics class, permanence, scenario, subject, pair, reply",
     "số câu hỏi yêu cầu (1000) nhiều hơn số câu hiện có (291) của loại câu hỏi: class, permanence, scenario, subject, "
     "pair, reply"),
    (lambda lang: QuizWidget(topics=["colour"], lang=lang),
     "unknown topic 'colour'; choose from: class, permanence, scenario, subject, pair, reply",
     "không có loại câu hỏi 'colour'; hãy chọn trong số: class, permanence, scenario, subject, pair, reply"),
    (lambda lang: CompareWidget("X.1.1", "550", lang=lang),
     "a: give a concrete enhanced code such as 5.1.1, not X.1.1",
     "a: hãy chọn một mã mở rộng cụ thể như 5.1.1, chứ không phải dạng chung X.1.1"),
    (lambda lang: setattr(CompareWidget("4.1.1", "5.1.1", lang=lang), "b", "2.1.5"),
     "b: the widget compares failures: use 4.1.5 or 5.1.5",
     "b: widget này chỉ so sánh các mã báo lỗi: hãy dùng 4.1.5 hoặc 5.1.5"),
    (lambda lang: ExplorerWidget(reply_class="9", lang=lang),
     "reply_class must be '' (any) or one of '2', '3', '4', '5', not '9'",
     "reply_class phải là '' (tất cả) hoặc một trong các giá trị '2', '3', '4', '5', chứ không phải '9'"),
    (lambda lang: setattr(ExplorerWidget(lang=lang), "kind", "folk"),
     "kind must be '' (any) or one of 'basic', 'enhanced', not 'folk'",
     "kind phải là '' (tất cả) hoặc một trong các giá trị 'basic', 'enhanced', chứ không phải 'folk'"),
    (lambda lang: setattr(QuizWidget(count=3, lang=lang), "answers", [0]),
     "answers needs 3 entries (one per question, -1 for none), got 1",
     "answers cần 3 phần tử (mỗi câu hỏi một phần tử, -1 nếu chưa trả lời), nhưng nhận được 1"),
    (lambda lang: setattr(QuizWidget(count=3, seed=1, topics=["permanence"], lang=lang), "answers", [0, 7, 0]),
     "answers[1] is 7; question 2 has choices 0 to 1 (-1 for none)",
     "answers[1] là 7; câu 2 chỉ có các lựa chọn từ 0 đến 1 (-1 nếu chưa trả lời)"),
]


@pytest.mark.parametrize("make, english, vietnamese", REFUSALS,
                         ids=["count", "topics", "generic", "success", "reply_class", "kind", "answers", "answer"])
def test_a_widget_refuses_a_value_in_its_own_language_naming_it(make, english, vietnamese):
    for lang, said in (("en", english), ("vi", vietnamese)):
        with pytest.raises(traitlets.TraitError) as caught:
            make(lang)
        assert str(caught.value) == said, lang


# each of the explorer's filters refuses in the widget's language, not only the two above (an audit: the Vietnamese
# of category, subject and status was unchecked)
FILTERS = [
    ("category", "9", "'0', '1', '2', '3', '4', '5'"),
    ("subject", "8", "'0', '1', '2', '3', '4', '5', '6', '7'"),
    ("status", "folk", ", ".join(repr(s) for s in STATUSES)),
]


@pytest.mark.parametrize("trait, value, allowed", FILTERS, ids=[f[0] for f in FILTERS])
def test_every_explorer_filter_refuses_in_the_widgets_language(trait, value, allowed):
    said = {"en": f"{trait} must be '' (any) or one of {allowed}, not {value!r}",
            "vi": f"{trait} phải là '' (tất cả) hoặc một trong các giá trị {allowed}, chứ không phải {value!r}"}
    for lang in ("en", "vi"):
        with pytest.raises(traitlets.TraitError) as caught:
            ExplorerWidget(lang=lang, **{trait: value})
        assert str(caught.value) == said[lang]
        widget = ExplorerWidget(lang=lang)
        with pytest.raises(traitlets.TraitError) as caught:
            setattr(widget, trait, value)
        assert str(caught.value) == said[lang] and getattr(widget, trait) == ""
