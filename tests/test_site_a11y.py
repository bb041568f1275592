"""Accessibility of the built site (issue 18): axe-core on every kind of page in both languages,
light and dark, and each widget by keyboard alone. The site is the one test_site.py reads
(tests/_site.py builds it once per run, shared by the workers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import smtpteach

from ._browser import serve
from .test_site import EXPLORER, QUIZ, _embedded_quiz, _site_page

# -- accessibility: axe-core on every kind of page, and each widget by keyboard alone (issue 18) --
# axe-core 4.x comes with the axe-playwright-python package (the test extra). A critical or
# serious violation fails the test; a moderate or minor one is reported in pytest's warnings
# summary (AxeFinding), except those the site has fixed, which fail if they come back. Every
# page is checked in furo's light and dark themes (the reader's prefers-color-scheme, which
# furo follows by default): colour contrast is among axe's serious rules.

A11Y_PAGES = {
    "home": "index.html",
    "widget lesson: compare": "lessons/03-second-digit-and-comparing-codes.html",
    "widget lesson: explorer": "lessons/04-enhanced-status-codes.html",
    "widget lesson: explain": "lessons/06-diagnosing-bounces.html",
    "widget lesson: quiz": "lessons/07-quiz-yourself.html",
    "plain lesson": "lessons/01-anatomy-of-a-reply.html",
    "reference: basic code": "reference/codes/550.html",
    "reference: enhanced code": "reference/enhanced/X.1.1.html",
    "comparison": "compare/421-vs-450.html",
    "how-to": "howto/diagnose-a-bounce.html",
    "search": "search.html?q=mailbox",
    "glossary": "reference/glossary.html",
}
FIXED_MODERATE = {"landmark-unique", "page-has-heading-one"}
SCHEMES = ("light", "dark")


class AxeFinding(UserWarning):
    """A moderate or minor axe-core violation: reported, not failed."""


@pytest.fixture(scope="session")
def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:
        axe_playwright_python = None
    from ._guards import require

    require(axe_playwright_python is not None, "axe-playwright-python is not installed (pip install -e '.[test]')")
    source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    assert re.match(r"/\*! axe v4\.\d+\.\d+", source), source[:40]  # the rules of axe-core 4.x
    return source


def axe_violations(page, source: str, context: str | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (or within the ``context`` selector)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source)  # through the DevTools protocol: a page's CSP does not apply
    found = page.evaluate("([context, options]) => axe.run(context || document, options)",
                          [context, {"resultTypes": ["violations"]}])
    return [{"id": v["id"], "impact": v["impact"], "nodes": [(n["target"], n["html"][:160]) for n in v["nodes"]]}
            for v in found["violations"]]


def assert_accessible(violations: list[dict], where: str) -> None:
    import warnings

    failing = [v for v in violations if v["impact"] in ("critical", "serious") or v["id"] in FIXED_MODERATE]
    assert not failing, (where, failing)
    for v in violations:
        warnings.warn(AxeFinding(f"{where}: {v['impact']} {v['id']} on {len(v['nodes'])} node(s): {v['nodes'][:3]}"),
                      stacklevel=2)


def _luminance(color: str) -> float:
    r, g, b = (int(c) / 255 for c in re.findall(r"[\d.]+", color)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two CSS rgb() colours.

    >>> round(contrast("rgb(255, 255, 255)", "rgb(0, 0, 0)"), 1), round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 2)
    (21.0, 4.54)
    """
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _open_in(browser, base: str, path: str, scheme: str):
    """A page as a reader whose system is light or dark sees it (furo follows the system by default)."""
    page = browser.tab()
    page.emulate_media(color_scheme=scheme)
    page.goto(base + path, wait_until="load")
    if page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count():
        page.wait_for_function("document.documentElement.dataset.smtpteachWidgets === 'ready'", timeout=15000)
    # the page and its widgets are drawn: nothing else loads until a reader acts (the search page waits for
    # its results itself)
    return page


def _wait_for_search(page) -> None:
    page.wait_for_function("(document.querySelector('#search-results')?.querySelectorAll('li').length || 0) > 0"
                           " && !!document.querySelector('#search-results .search-summary, #search-results p')",
                           timeout=20000)


def test_every_widget_lesson_is_among_the_pages_axe_checks(site):
    """The widget lessons are found from the built pages (they hold widget state), not assumed."""
    state = 'type="application/vnd.jupyter.widget-state+json"'
    with_widgets = {f"lessons/{p.name}" for p in (site / "lessons").glob("*.html") if state in p.read_text(encoding="utf-8")}
    checked = {path for name, path in A11Y_PAGES.items() if name.startswith("widget lesson")}
    assert with_widgets == checked
    plain = A11Y_PAGES["plain lesson"]
    assert plain not in with_widgets and (site / plain).is_file()
    for path in A11Y_PAGES.values():
        page = path.split("?")[0]
        assert (site / page).is_file() and (site / "vi" / page).is_file(), page


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("kind", list(A11Y_PAGES))
def test_no_critical_or_serious_axe_violation_in_light_or_dark(site, browser, axe_source, kind, lang):
    path = ("vi/" if lang == "vi" else "") + A11Y_PAGES[kind]
    with serve(site) as base:
        page = _open_in(browser, base, path, SCHEMES[0])
        if kind == "search":
            _wait_for_search(page)
            assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.lang") == lang
        for scheme in SCHEMES:
            # furo follows the reader's system through CSS media queries, so the page takes the other scheme as it is
            page.emulate_media(color_scheme=scheme)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (_luminance(background) < 0.05) == (scheme == "dark"), (scheme, background)  # the theme took
            assert_accessible(axe_violations(page, axe_source), f"{path} ({scheme})")
        browser.leave(page)
    assert browser.offsite == [] and browser.errors == []


def test_theme_labels_and_landmarks_are_named_in_the_page_language(site):
    """What axe cannot judge: a Vietnamese page names its sidebars and toggles in Vietnamese."""
    for lang, prefix in (("en", ""), ("vi", "vi/")):
        wording = smtpteach.default_catalogue().ui(lang=lang)["theme_wording"]
        for path in ("index.html", "lessons/06-diagnosing-bounces.html", "reference/codes/550.html", "search.html"):
            html = (site / prefix / path).read_text(encoding="utf-8")
            assert re.findall(r'<aside class="(sidebar-drawer|toc-drawer)[^"]*" aria-label="([^"]*)"', html) == [
                ("sidebar-drawer", wording["Site navigation"]), ("toc-drawer", wording["On this page"])], path
            labels = re.findall(r'aria-label="([^"]*)"', html)
            for english in ("Toggle site navigation sidebar", "Toggle table of contents sidebar",
                            "Toggle Light / Dark / Auto color theme"):
                assert wording[english] in labels and (lang == "en" or english not in labels), (path, english)
            toggles = [a for a in labels if a.startswith(wording["Toggle navigation of"] + " ")]
            assert toggles and len(toggles) == html.count('class="toctree-checkbox"'), path
            assert lang == "en" or not any(a.startswith("Toggle") for a in labels), path
            # a hidden cell's toggle is named by the words it shows, and those are the page's language
            assert "Toggle hidden content" not in labels, path
            prompts = re.findall(r'<p class="(?:collapsed|expanded) admonition-title">([^<]*)</p>', html)
            assert (len(prompts) > 0) == ("lessons/" in path) and set(prompts) <= set(wording.values()), (path, prompts)
            captions = re.findall(r'<p class="caption" role="heading"( aria-level="2")?>', html)
            assert captions and all(captions), path
        search = (site / prefix / "search.html").read_text(encoding="utf-8")
        assert re.findall(r"<h1>([^<]*)</h1>", search) == [wording["Search"]]


def test_blocks_that_scroll_can_be_reached_and_are_named(site, browser):
    """A code block or output that scrolls is a tab stop named in the page language; one that
    fits is not; and when the window grows wide enough for a block, it stops being a tab stop."""
    for lang, prefix in (("en", ""), ("vi", "vi/")):
        names = smtpteach.default_catalogue().ui(lang=lang)["site"]["scroll_labels"]
        with _site_page(site, browser, f"{prefix}lessons/06-diagnosing-bounces.html") as page:
            blocks = page.evaluate("""() => [...document.querySelectorAll('pre, .table-wrapper')].map(el => ({
                scrolls: /auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1
                      || /auto|scroll/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 1,
                tabindex: el.getAttribute('tabindex'), role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
                output: !!el.closest('.cell_output, .output')}))""")
            scrolling = [b for b in blocks if b["scrolls"]]
            assert scrolling and len(scrolling) < len(blocks)
            assert any(b["output"] for b in scrolling) and any(not b["output"] for b in scrolling)
            for b in blocks:
                expected = ("0", "group", names["output" if b["output"] else "code"]) if b["scrolls"] else (None, None, None)
                assert (b["tabindex"], b["role"], b["label"]) == expected, b
            wide = page.evaluate_handle("() => [...document.querySelectorAll('[data-smtpteach-scroll]')]"
                                        ".find(el => el.checkVisibility() && el.scrollWidth > el.clientWidth + 1)")
            wide.as_element().focus()
            page.keyboard.press("ArrowRight")  # the focused block scrolls by keyboard
            wide.wait_for_element_state("stable")
            page.wait_for_function("el => el.scrollLeft > 0", arg=wide, timeout=5000)
            marked = len(scrolling)
            page.set_viewport_size({"width": 360, "height": 740})  # a phone: more blocks scroll
            page.wait_for_function(f"document.querySelectorAll('[data-smtpteach-scroll]').length > {marked}")
            page.set_viewport_size({"width": 1280, "height": 720})  # and back: they are tab stops no more
            page.wait_for_function(f"document.querySelectorAll('[data-smtpteach-scroll]').length === {marked}")


def test_a_block_that_scrolls_with_a_link_inside_is_no_extra_tab_stop(site, browser):
    """A block that scrolls but holds a link can be scrolled by tabbing to the link: the block itself is
    not made a second tab stop. Two wide blocks are added to a lesson, alike but for the link."""
    with _site_page(site, browser, "lessons/06-diagnosing-bounces.html") as page:
        page.evaluate("""() => { for (const link of [false, true]) {
            const pre = document.createElement('pre');
            pre.style.cssText = 'overflow-x: auto; width: 200px';
            pre.dataset.link = String(link);
            pre.append('x'.repeat(400));
            if (link) { const a = document.createElement('a'); a.href = '#'; a.textContent = 'more'; pre.append(' ', a); }
            document.querySelector('article').append(pre);
        } }""")
        page.set_viewport_size({"width": 1000, "height": 720})  # a resize: the script looks at every block again
        page.wait_for_function("document.querySelector('pre[data-link=false]').tabIndex === 0")
        linked = page.locator("pre[data-link=true]")
        assert linked.evaluate("el => [el.getAttribute('tabindex'), el.getAttribute('role')]") == [None, None]


# Keyboard-only journeys: each widget, from the control before it on the page, by Tab, the
# arrow keys, typing, Enter and Space. After each step the focus is on the control the step
# means, with a visible focus ring (at least 3:1 against the widget, in light and dark), and a
# live region says what changed, in the page's language. At the end axe checks the widget as
# the journey left it, light and dark.

FOCUS = """() => {
  const el = document.activeElement;
  const widget = el.closest('.smtpteach-widget');
  const style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].textContent : (el.getAttribute('aria-label') || el.textContent.trim());
  return {tag: el.tagName.toLowerCase(), type: el.type || null, label, value: el.value ?? null,
          widget: widget ? widget.className : null, ring: el.matches(':focus-visible'),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor,
          background: widget ? getComputedStyle(widget).backgroundColor : null};
}"""

ENTER_WIDGET = """(widget) => {
  const tabbable = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({visibilityProperty: true}) && !widget.contains(e)
            && (e.compareDocumentPosition(widget) & Node.DOCUMENT_POSITION_FOLLOWING));
  tabbable[tabbable.length - 1].focus();
  return document.activeElement === tabbable[tabbable.length - 1];
}"""


def _ui(lang: str) -> dict:
    return smtpteach.default_catalogue().ui(lang=lang)


def _fill(template: str, **values) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def on_control(page, tag: str, label: str | None = None) -> dict:
    """The focused control: a ``tag`` inside a widget (named ``label``), showing a focus ring
    that stands out from the widget's background by 3:1 at least (WCAG 2.1 non-text contrast)."""
    f = page.evaluate(FOCUS)
    assert f["widget"] and f["tag"] == tag, f
    assert label is None or f["label"].strip() == label, f
    assert f["ring"] and f["outline"] not in ("none", "") and f["width"] >= 2, f
    assert contrast(f["color"], f["background"]) >= 3, f
    return f


def enter_widget(page, selector: str) -> None:
    """Focus the last control before the widget, then Tab: the way a keyboard reader arrives."""
    assert page.locator(selector).evaluate(ENTER_WIDGET)
    page.keyboard.press("Tab")


def leave_checked_in_both_schemes(page, selector: str, axe_source: str, where: str) -> None:
    """axe over the widget as the journey left it, and the focus ring still clear: light, dark
    as the system asks, and dark as furo's own toggle sets it (body[data-theme=dark])."""
    for scheme, theme in (("light", "auto"), ("dark", "auto"), ("light", "dark")):
        page.emulate_media(color_scheme=scheme)
        page.evaluate("(theme) => { document.body.dataset.theme = theme; }", theme)
        dark = _luminance(page.locator(selector).evaluate("w => getComputedStyle(w).backgroundColor")) < 0.05
        assert dark == (scheme == "dark" or theme == "dark"), (scheme, theme)
        assert page.evaluate("document.activeElement.closest('.smtpteach-widget') !== null")
        on_control(page, page.evaluate("document.activeElement.tagName.toLowerCase()"))
        # the edge of every field and button stands out from the widget by 3:1 (WCAG 2.1 non-text contrast)
        background, borders = page.locator(selector).evaluate("""w => [getComputedStyle(w).backgroundColor,
            [...w.querySelectorAll('select, input[type=search], textarea, button:not(:disabled):not(.smtpteach-result)')]
              .map(e => getComputedStyle(e).borderTopColor)]""")
        assert borders and all(contrast(color, background) >= 3 for color in borders), (scheme, theme, background, borders)
        assert_accessible(axe_violations(page, axe_source, selector), f"{where} ({scheme}, data-theme={theme})")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_compare_widget_by_keyboard_alone(site, browser, axe_source, lang):
    w = _ui(lang)["widgets"]
    prefix = "vi/" if lang == "vi" else ""
    with _site_page(site, browser, f"{prefix}lessons/03-second-digit-and-comparing-codes.html") as page:
        selector = ".smtpteach-compare-widget"
        widget = page.locator(selector)
        status = widget.locator("[role='status']")
        assert status.count() == 1 and status.text_content() == ""  # nothing said before the reader acts
        b = widget.locator("select").nth(1).input_value()

        enter_widget(page, selector)
        on_control(page, "select", w["code_a"])
        page.keyboard.type("550")  # type-ahead picks the option that starts so
        assert on_control(page, "select", w["code_a"])["value"] == "550"
        expected = smtpteach.compare("550", b, lang=lang)
        assert status.text_content() == expected.summary
        assert widget.locator("article.smtpteach-compare h3").inner_text() == expected.title

        page.keyboard.press("Tab")
        on_control(page, "button", w["swap"])
        page.keyboard.press("Enter")
        assert status.text_content() == smtpteach.compare(b, "550", lang=lang).summary
        page.keyboard.press("Tab")
        on_control(page, "select", w["code_b"])
        page.keyboard.press("ArrowDown")  # the next code in the list, at once
        after = on_control(page, "select", w["code_b"])["value"]
        assert after != "550" and "." not in after
        assert status.text_content() == (w["same"] if after == b else smtpteach.compare(b, after, lang=lang).summary)
        page.keyboard.type("5.1.1")  # an enhanced code beside a reply code: the message is said
        assert on_control(page, "select", w["code_b"])["value"] == "5.1.1"
        assert status.text_content() == w["mixed"] == widget.locator(".smtpteach-message").inner_text()
        leave_checked_in_both_schemes(page, selector, axe_source, f"compare widget ({lang})")


@pytest.mark.parametrize("lang, words", [("en", "SPF"), ("vi", "chinh sach")])  # the X.7 subject, folded in vi
def test_explorer_widget_by_keyboard_alone(site, browser, axe_source, lang, words):
    ui = _ui(lang)
    w = ui["widgets"]
    prefix = "vi/" if lang == "vi" else ""
    with _site_page(site, browser, f"{prefix}{EXPLORER}") as page:
        selector = ".smtpteach-explorer-widget"
        widget = page.locator(selector)
        count, results = widget.locator(".smtpteach-count"), widget.locator(".smtpteach-result")
        assert count.get_attribute("role") == "status"
        assert count.inner_text() == _fill(w["results"], count=results.count())

        enter_widget(page, selector)
        for label in (w["kind"], ui["labels"]["class"], ui["labels"]["category"], ui["labels"]["status"], ui["labels"]["subject"]):
            on_control(page, "select", label)
            page.keyboard.press("Tab")
        on_control(page, "input", w["search"])
        page.keyboard.type(words)
        shown = results.count()
        assert 0 < shown < 31 and count.inner_text() == _fill(w["results"], count=shown)
        page.keyboard.press("Tab")
        first = on_control(page, "button")
        page.keyboard.press("Tab")
        second = on_control(page, "button")
        assert first["label"] != second["label"]
        page.keyboard.press("Enter")
        code = results.nth(1).get_attribute("data-code")
        assert results.nth(1).get_attribute("aria-pressed") == "true" and second["label"].startswith(code)
        assert code in widget.locator(".smtpteach-detail h3").inner_text()
        assert on_control(page, "button")["label"] == second["label"]  # still on the chosen result
        assert count.inner_text() == _fill(w["results"], count=shown)  # choosing does not filter
        leave_checked_in_both_schemes(page, selector, axe_source, f"explorer widget ({lang})")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_explain_widget_by_keyboard_alone(site, browser, axe_source, lang):
    w = _ui(lang)["widgets"]
    prefix = "vi/" if lang == "vi" else ""
    text = "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
    with _site_page(site, browser, f"{prefix}lessons/06-diagnosing-bounces.html") as page:
        selector = ".smtpteach-explain-widget"
        widget = page.locator(selector)
        summary = widget.locator(".smtpteach-explanation [role='status']")
        before = summary.text_content()

        enter_widget(page, selector)
        on_control(page, "textarea", w["paste"])
        page.keyboard.press("Control+A")
        page.keyboard.type(text)  # the explanation follows the typing: no button to press
        # the second tier of rules began loading when the box took the focus: the last key is explained with it
        widget.locator(".smtpteach-explanation[data-reason]").wait_for(timeout=10000)
        x = smtpteach.explain(text, lang=lang)
        assert summary.text_content() == x.summary != before
        assert widget.locator(".smtpteach-explanation").get_attribute("data-reason") == x.reason
        on_control(page, "textarea", w["paste"])
        leave_checked_in_both_schemes(page, selector, axe_source, f"explain widget ({lang})")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_quiz_widget_by_keyboard_alone_says_the_verdict_and_the_score(site, browser, axe_source, lang):
    path = ("vi/" if lang == "vi" else "") + QUIZ
    quiz = _embedded_quiz(site, path)
    questions, w = quiz["_data"]["quiz"]["questions"], _ui(lang)["widgets"]
    total = len(questions)

    def score(n: int) -> str:
        return _fill(w["score"], score=n, total=total)

    with _site_page(site, browser, path) as page:
        selector = ".smtpteach-quiz-widget"
        widget = page.locator(selector)
        status, feedback = widget.locator(".smtpteach-quiz-status"), widget.locator(".smtpteach-feedback")
        assert status.get_attribute("role") == "status" and feedback.get_attribute("aria-live") == "polite"
        assert status.inner_text() == score(0) and feedback.inner_text() == ""

        # question 1, answered wrong: Tab into the choices, an arrow to a wrong one, Space
        q = questions[0]
        wrong = (q["answer"] + 1) % len(q["choices"])
        enter_widget(page, selector)
        on_control(page, "input", q["choices"][0])
        for _ in range(wrong):
            page.keyboard.press("ArrowDown")
        on_control(page, "input", q["choices"][wrong])
        assert feedback.inner_text() == ""  # moving is not answering
        page.keyboard.press("Space")
        verdict = f"{w['wrong']} {_fill(w['answer_was'], answer=q['choices'][q['answer']])}"
        assert feedback.text_content() == verdict + q["explanation"]
        assert status.inner_text() == score(0)

        # question 2, answered right: Tab to Next, Enter, back to the choices, Enter on the answer
        page.keyboard.press("Tab")
        on_control(page, "button", w["next"])
        page.keyboard.press("Enter")
        q = questions[1]
        assert feedback.text_content() == ""
        page.keyboard.press("Shift+Tab")
        on_control(page, "button", w["previous"])
        page.keyboard.press("Shift+Tab")
        on_control(page, "button", w["check"])
        page.keyboard.press("Shift+Tab")  # into the choices, none picked yet
        at = q["choices"].index(on_control(page, "input")["label"].strip())
        for _ in range((q["answer"] - at) % len(q["choices"])):
            page.keyboard.press("ArrowDown")
        on_control(page, "input", q["choices"][q["answer"]])
        assert feedback.inner_text() == ""
        page.keyboard.press("Enter")
        assert feedback.text_content() == w["right"] + q["explanation"]
        assert status.inner_text() == score(1)
        on_control(page, "input", q["choices"][q["answer"]])
        leave_checked_in_both_schemes(page, selector, axe_source, f"quiz widget ({lang})")
