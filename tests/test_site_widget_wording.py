"""The widgets on the built site, as a reader works them (smtpteach/static/*.js).

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

import json

import pytest

import smtpteach

from .test_site import _site_page


@pytest.mark.parametrize("path, lang", [("lessons/04-enhanced-status-codes.html", "en"),
                                        ("vi/lessons/04-enhanced-status-codes.html", "vi")])
def test_explorer_says_no_code_matches_when_the_search_finds_nothing(site, browser, path, lang):
    # the count of results said "0 codes" rather than the sentence that tells the reader to change the filters
    w = smtpteach.default_catalogue().ui(lang=lang)["widgets"]
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-explorer-widget")
        widget.locator("input[type=search]").fill("zzqqxxnothing")
        assert widget.locator(".smtpteach-result").count() == 0
        assert widget.locator(".smtpteach-count").inner_text() == w["no_results"]
        widget.locator("input[type=search]").fill("")
        shown = widget.locator(".smtpteach-result").count()
        assert shown > 0 and widget.locator(".smtpteach-count").inner_text() == w["results"].replace("{count}", str(shown))


def test_explain_widget_names_the_reply_code_and_the_enhanced_code_it_read(site, browser):
    # the row naming the enhanced code ("X.1.1: Bad destination mailbox address") was missing: the widget looked the
    # concrete code 5.1.1 up among the catalogue's names, which hold it as X.1.1
    from .test_site import _explained

    with _site_page(site, browser, "lessons/06-diagnosing-bounces.html") as page:
        widget = page.locator(".smtpteach-explain-widget")
        assert _explained(widget, "Paste a reply", "550 5.1.1 user unknown") == "userunknown"
        section = widget.locator(".smtpteach-explanation")
        labels = section.locator("dl dt").evaluate_all("els => els.map(e => e.textContent)")
        values = section.locator("dl dd").evaluate_all("els => els.map(e => e.textContent)")
        rows = dict(zip(labels, values))
        assert rows["550"] == smtpteach.lookup("550").name() and rows["X.1.1"] == smtpteach.lookup("X.1.1").name()


# -- a second audit: bugs planted in the widgets' JavaScript that no test saw --------------------------------------

def _ui(lang: str) -> dict:
    return smtpteach.default_catalogue().ui(lang=lang)


def _prefix(lang: str) -> str:
    return "vi/" if lang == "vi" else ""


def _rows(widget) -> list[tuple[str, str]]:
    """The explain widget's facts, label and value, as the page shows them."""
    section = widget.locator(".smtpteach-explanation")
    labels = section.locator("dl dt").evaluate_all("els => els.map(e => e.textContent)")
    values = section.locator("dl dd").evaluate_all("els => els.map(e => e.textContent)")
    return list(zip(labels, values, strict=True))


# a family's own name within its reason (greylisting, within blocked), a step of the dialogue (no failure to be
# permanent), a reason the model guessed from the words (its own row), and a plain permanent failure
EXPLAINED = ["451 4.7.1 Greylisted, please try again later", "354 Start mail input; end with <CRLF>.<CRLF>",
             "451 recipient mailbox storage limit temporarily reached", "550 5.1.1 user unknown"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explain_widget_lists_the_facts_python_lists_word_for_word(site, browser, lang):
    # the rows under the summary are Python's rows (smtpteach.render.text): each label over its own value, in the
    # page's language, the family's name where a rule names one, and "no failure" for a step of the dialogue
    from .test_site import _explained

    with _site_page(site, browser, f"{_prefix(lang)}lessons/06-diagnosing-bounces.html") as page:
        widget = page.locator(".smtpteach-explain-widget")
        summary = widget.locator(".smtpteach-explanation [role='status']")
        for text in EXPLAINED:
            x = smtpteach.explain(text, lang=lang)
            assert _explained(widget, _ui(lang)["widgets"]["paste"], text) == x.reason
            python = [tuple(line.split(": ", 1)) for line in smtpteach.render.text(x).splitlines()[2:]]
            assert _rows(widget) == python, text
            assert summary.text_content() == x.summary


def test_explain_widget_speaks_only_a_new_verdict_and_clears_it_with_the_box(site, browser):
    # a screen reader reads the status line each time its text is written: keys that leave the verdict as it was
    # write nothing, and an empty box leaves no verdict of the text that was there
    from .test_site import _explained

    text, more = "550 5.1.1 user unknown", " here"
    same = {smtpteach.explain(text + more[:n]).summary for n in range(len(more) + 1)}
    assert len(same) == 1  # every key below leaves the verdict as it was
    with _site_page(site, browser, "lessons/06-diagnosing-bounces.html") as page:
        widget = page.locator(".smtpteach-explain-widget")
        summary = widget.locator(".smtpteach-explanation [role='status']")
        assert _explained(widget, "Paste a reply", text) == "userunknown"
        summary.evaluate("el => { window.__writes = 0; new MutationObserver((changes) => { window.__writes += changes.length; })"
                         ".observe(el, {childList: true, characterData: true, subtree: true}); }")
        area = widget.get_by_label("Paste a reply")
        area.press("End")
        area.press_sequentially(more)
        assert page.evaluate("window.__writes") == 0
        assert summary.text_content() == same.pop()
        area.fill("")
        assert summary.text_content() == "" and _rows(widget) == []
        assert widget.locator(".smtpteach-explanation[data-reason]").count() == 0


def test_explain_widget_loads_the_rest_of_its_rules_when_the_reader_comes_to_the_box(site, browser):
    # the second tier of rules starts loading when the box takes the focus, so that the first key a reader types is
    # explained at once, not answered with "loading"
    with _site_page(site, browser, "lessons/06-diagnosing-bounces.html") as page:
        widget = page.locator(".smtpteach-explain-widget")
        summary = widget.locator(".smtpteach-explanation [role='status']")
        area = widget.get_by_label("Paste a reply")
        area.focus()
        page.wait_for_function("() => !!self.smtpteachLater && Object.keys(self.smtpteachLater).length > 0", timeout=5000)
        text = "Hộp thư đã đầy"  # a reply only the second tier reads
        area.fill(text)
        assert summary.text_content() == smtpteach.explain(text).summary


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_widget_shows_every_part_of_what_compare_says_in_the_page_language(site, browser, lang):
    # each code's description, when you see it and how to fix it, every difference, and which to use when
    w = _ui(lang)["widgets"]
    with _site_page(site, browser, f"{_prefix(lang)}lessons/03-second-digit-and-comparing-codes.html") as page:
        widget = page.locator(".smtpteach-compare-widget")
        for a, b in [("550", "553"), ("4.2.2", "5.2.2")]:
            widget.get_by_label(w["code_a"]).select_option(a)
            widget.get_by_label(w["code_b"]).select_option(b)
            c = smtpteach.compare(a, b, lang=lang)
            article = widget.locator("article.smtpteach-compare")
            # a screen reader speaks the comparison in the language it is written in
            assert article.evaluate("el => el.closest('[lang]').lang") == lang
            shown = article.locator("section.smtpteach-code").evaluate_all("""els => els.map(s => [
                s.querySelector('h4').textContent,
                [...s.querySelectorAll('dt')].map(e => e.textContent), [...s.querySelectorAll('dd')].map(e => e.textContent)])""")
            assert shown == [[f"{s.code} {s.name}", [c.headings[k] for k in ("description", "when", "fix")],
                              [s.description, s.when, s.fix]] for s in c.sections], (a, b)
            assert article.locator(".smtpteach-differences li").all_text_contents() == [d.text for d in c.differences]
            assert article.locator(".smtpteach-which li").all_text_contents() == list(c.when_to_use)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_widget_asks_for_another_code_when_both_pickers_hold_the_same_one(site, browser, lang):
    w = _ui(lang)["widgets"]
    with _site_page(site, browser, f"{_prefix(lang)}lessons/03-second-digit-and-comparing-codes.html") as page:
        widget = page.locator(".smtpteach-compare-widget")
        widget.get_by_label(w["code_a"]).select_option("550")
        widget.get_by_label(w["code_b"]).select_option("550")
        assert widget.locator("article.smtpteach-compare").count() == 0
        assert widget.locator(".smtpteach-message").inner_text() == w["same"]
        assert widget.locator("[role='status']").text_content() == w["same"]


def test_quiz_left_and_right_arrows_move_between_choices_without_answering(site, browser):
    # a radio group moves with all four arrows: Left and Right must no more answer than Up and Down
    from .test_site import QUIZ, focused, on_choice

    with _site_page(site, browser, QUIZ) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        feedback, status = widget.locator(".smtpteach-feedback"), widget.locator(".smtpteach-quiz-status")
        widget.locator(".smtpteach-choice input").first.focus()
        for key, k in [("ArrowRight", 1), ("ArrowLeft", 0), ("ArrowRight", 1)]:
            page.keyboard.press(key)
            assert on_choice(page, k) and focused(page)["checked"], (key, focused(page))
            assert feedback.inner_text() == "" and status.inner_text() == "Score: 0 of 10", key
        page.keyboard.press("Enter")
        assert feedback.inner_text().startswith(("Right.", "Not quite."))


def test_quiz_a_choice_left_checked_on_one_question_is_not_checked_on_the_next(site, browser):
    # a choice the arrow keys left checked, and never answered, belongs to its question: the next question starts
    # with nothing chosen, and Check there asks for a choice rather than answering with the other question's
    from .test_site import QUIZ

    w = _ui("en")["widgets"]
    with _site_page(site, browser, QUIZ) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        widget.locator(".smtpteach-choice input").first.focus()
        page.keyboard.press("ArrowDown")
        assert widget.locator(".smtpteach-choice input:checked").evaluate("e => e.value") == "1"
        widget.get_by_role("button", name=w["next"], exact=True).click()
        assert widget.locator("legend").inner_text().startswith("Question 2 of 10")
        assert widget.locator(".smtpteach-choice input:checked").count() == 0
        widget.get_by_role("button", name=w["check"], exact=True).click()
        assert widget.locator(".smtpteach-feedback").inner_text() == w["choose_first"]
        assert widget.locator(".smtpteach-quiz-status").inner_text() == "Score: 0 of 10"


def _rgb(hex_colour: str) -> str:
    h = hex_colour.strip().lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_quiz_a_wrong_answer_marks_the_right_choice_and_is_read_whole(site, browser, lang):
    # after a wrong answer the learner sees which choice was right (outlined in the right colour) beside theirs (in
    # the wrong colour), and a screen reader reads the verdict and the explanation together
    from .test_site import QUIZ, _embedded_quiz

    path = _prefix(lang) + QUIZ
    q = _embedded_quiz(site, path)["_data"]["quiz"]["questions"][0]
    wrong = (q["answer"] + 1) % len(q["choices"])
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        widget.locator(".smtpteach-choice input").nth(wrong).check()
        right_colour, wrong_colour = widget.evaluate(
            "w => ['--st-right', '--st-wrong'].map(v => getComputedStyle(w).getPropertyValue(v))")
        outlines = widget.locator(".smtpteach-choice").evaluate_all(
            "els => els.map(e => getComputedStyle(e).outlineStyle === 'none' ? null : getComputedStyle(e).outlineColor)")
        expected = [None] * len(q["choices"])
        expected[q["answer"]], expected[wrong] = _rgb(right_colour), _rgb(wrong_colour)
        assert outlines == expected
        feedback = widget.locator(".smtpteach-feedback")
        assert feedback.get_attribute("aria-live") == "polite" and feedback.get_attribute("aria-atomic") == "true"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explorer_filters_offer_every_class_category_and_subject_named_in_the_page_language(site, browser, lang):
    # a filter that left a value out would hide its codes from a reader who filters by it
    cat = smtpteach.default_catalogue()
    ui = _ui(lang)
    w, labels = ui["widgets"], ui["labels"]

    def named(kind: str, form: str) -> list[tuple[str, str]]:
        return [("", w["any"])] + [(str(k), form.format(k) + " " + cat.text(kind, k, lang=lang).name)
                                   for k in cat.topics[kind]]

    expected = {labels["class"]: named("classes", "{}xx"), labels["category"]: named("categories", "x{}z"),
                labels["subject"]: named("subjects", "X.{}")}
    # every class and subject that a code of the catalogue is filed under (the categories are RFC 5321's six: the
    # non-standard 471, 570 and 571 have a second digit of 7, which names none)
    assert {str(e.reply_class) for e in cat.basic.values()} == {v for v, _ in expected[labels["class"]]} - {""}
    assert {str(e.subject) for e in cat.enhanced.values()} == {v for v, _ in expected[labels["subject"]]} - {""}
    with _site_page(site, browser, f"{_prefix(lang)}lessons/04-enhanced-status-codes.html") as page:
        widget = page.locator(".smtpteach-explorer-widget")
        for label, options in expected.items():
            shown = widget.get_by_label(label).locator("option").evaluate_all("els => els.map(e => [e.value, e.textContent])")
            assert [tuple(o) for o in shown] == options, label


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explorer_results_list_is_named_by_its_count(site, browser, lang):
    # a screen reader that comes to the list hears how many codes it holds
    w = _ui(lang)["widgets"]
    with _site_page(site, browser, f"{_prefix(lang)}lessons/04-enhanced-status-codes.html") as page:
        widget = page.locator(".smtpteach-explorer-widget")
        widget.get_by_label(w["search"]).fill("SPF")
        n = widget.locator(".smtpteach-result").count()
        said = w["results"].replace("{count}", str(n))
        assert widget.get_by_role("list", name=said, exact=True).count() == 1 and 0 < n < 31



# -- in a notebook: the widget's language is not the page's ----------------------------------------------------------

NOTEBOOK_PAGE = """<!DOCTYPE html><html lang="en"><head><link rel="icon" href="data:,"></head><body><div id="root"></div>
<script type="module">
import mod from "./widget.mjs";
const state = await (await fetch("./state.json")).json();
const handlers = {};
const model = {
  get: (k) => state[k], set: (k, v) => { state[k] = v; (handlers["change:" + k] || []).forEach((f) => f()); },
  on: (e, f) => { (handlers[e] = handlers[e] || []).push(f); }, off: () => {}, save_changes: () => {},
};
mod.render({ model, el: document.getElementById("root") });
window.ready = true;
</script></body></html>"""

# every piece of text a widget shows, with the language a screen reader reads it in (its closest lang attribute)
TEXT_LANGUAGES = """() => {
  const walk = document.createTreeWalker(document.getElementById('root'), NodeFilter.SHOW_TEXT);
  const found = [];
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.textContent.trim()) continue;
    const owner = n.parentElement.closest('[lang]');
    found.push([owner ? owner.lang : '', n.textContent.trim().slice(0, 40)]);
  }
  for (const el of document.querySelectorAll('#root [placeholder], #root [aria-label]')) {
    found.push([el.closest('[lang]').lang, el.getAttribute('placeholder') || el.getAttribute('aria-label')]);
  }
  return found;
}"""


def test_a_vietnamese_widget_in_an_english_notebook_is_read_as_vietnamese(browser, tmp_path):
    # JupyterLab's page is English whatever a widget's language: each widget marks its own, or a screen reader reads
    # the Vietnamese labels, questions and explanations with an English voice
    pytest.importorskip("anywidget")
    from smtpteach.widgets import CompareWidget, ExplainWidget, ExplorerWidget, QuizWidget

    from ._browser import serve

    widgets = {"compare": CompareWidget("550", "553", lang="vi"), "explorer": ExplorerWidget(lang="vi", subject="7"),
               "explain": ExplainWidget("550 5.1.1 user unknown", lang="vi"), "quiz": QuizWidget(lang="vi")}
    found = {}
    before = len(browser.offsite), len(browser.errors)
    for name, w in widgets.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "widget.mjs").write_text(w._esm, encoding="utf-8")
        state = {k: v for k, v in w.get_state().items() if not k.startswith(("_esm", "_css"))}
        (folder / "state.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        (folder / "index.html").write_text(NOTEBOOK_PAGE, encoding="utf-8")
    page = browser.tab()
    with serve(tmp_path) as base:
        for name in widgets:
            page.goto(f"{base}{name}/index.html")
            page.wait_for_function("window.ready === true")
            found[name] = page.evaluate(TEXT_LANGUAGES)
        browser.leave(page)
    assert (len(browser.offsite), len(browser.errors)) == before, (browser.offsite, browser.errors)
    for name, texts in found.items():
        assert len(texts) > 5, (name, texts)
        assert [t for t in texts if t[0] != "vi"] == [], name
