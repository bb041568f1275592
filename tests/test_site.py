"""The docs build (strict, into a temporary folder) and the built pages in a real browser."""

from __future__ import annotations

import contextlib
import html
import json
import re
from pathlib import Path

import pytest

import smtpteach
from smtpteach.sphinx import _widgets as site_widgets

from ._browser import serve

ROOT = Path(__file__).resolve().parent.parent


def test_docs_build_is_clean_and_publishes_the_lessons(site):
    assert (site / "index.html").is_file()
    page = (site / "lessons" / "01-anatomy-of-a-reply.html").read_text(encoding="utf-8")
    assert "Anatomy of an SMTP reply" in page
    # the notebook was executed during the build: its outputs are on the page
    assert "Reply(250, 5 lines)" in page
    assert "Positive Completion" in page


LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
# every lesson page, in English (lessons/) and in Vietnamese (vi/lessons/)
LESSON_PAGES = [f"{prefix}lessons/{stem}" for prefix in ("", "vi/") for stem in LESSONS]
# everything a first visit with an empty cache transfers, theme and the language's shared
# widget data included (issue 18 moved that data out of each page into one file per language,
# loaded once for every widget page); a widget page's own bytes have their own test
PAGE_BUDGET = 900 * 1024


def _lesson_title(lesson: str) -> str:
    """The first heading of the notebook behind "lessons/<stem>" or "vi/lessons/<stem>"."""
    folder = ROOT / "notebooks" / ("vi" if lesson.startswith("vi/") else "")
    cells = json.loads((folder / (lesson.rsplit("/", 1)[1] + ".ipynb")).read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"])
    return next(line[2:].strip() for line in first.splitlines() if line.startswith("# "))


def _open(browser, base, path, *, settle: bool = True):
    """Open a page, wait for its widgets if it has any, and return (page, bytes transferred, widget state).
    With ``settle``, wait until the network has been quiet for half a second too, so that the bytes count
    everything the page fetched; a test that only works the page waits for what it needs instead."""
    page = browser.tab()
    sizes: list[int] = []
    unread: list[tuple[int, str]] = []

    def count(response):
        try:
            sizes.append(len(response.body()))
        except Exception:  # Playwright keeps no body for a redirect
            unread.append((response.status, response.url))

    page.on("response", count)
    try:
        page.goto(base + path, wait_until="load")
        if page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count():
            page.wait_for_function("document.documentElement.dataset.smtpteachWidgets === 'ready'", timeout=15000)
        state = page.evaluate("document.documentElement.dataset.smtpteachWidgets || ''")
        if settle:
            page.wait_for_load_state("networkidle")
            # every byte is counted: only a redirect, which has no body, may go unread
            assert all(300 <= status < 400 for status, _ in unread), unread
    finally:
        page.remove_listener("response", count)  # the tab is shared: the next test counts its own bytes
    return page, sum(sizes), state


def _explained(widget, label: str, text: str) -> str | None:
    """Type ``text`` into an ExplainWidget and give the reason it shows, once it shows one: on a static
    page the second tier of rules loads when a reader first comes to the box, and until then the
    widget says it is loading rather than explain with part of the rules."""
    widget.get_by_label(label).fill(text)
    widget.locator(".smtpteach-explanation[data-reason]").wait_for(timeout=10000)
    return widget.locator(".smtpteach-explanation").get_attribute("data-reason")


@contextlib.contextmanager
def _site_page(site, browser, path: str):
    """A page of the built site in Chromium, served on 127.0.0.1. Leaving the
    block checks that it made no request off the site and raised no page error."""
    with serve(site) as base:
        page, *_ = _open(browser, base, path, settle=False)
        try:
            yield page
        finally:  # the shared tab leaves the page while its server still answers, even when the test failed
            browser.leave(page)
    assert browser.offsite == [] and browser.errors == []


# the lessons that hold a widget, and the widget each holds (the same in both languages)
LESSON_WIDGETS = {"03": ".smtpteach-compare-widget", "04": ".smtpteach-explorer-widget",
                  "06": ".smtpteach-explain-widget", "07": ".smtpteach-quiz-widget"}


@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_every_lesson_page_loads_offline_with_no_errors_and_draws_its_widget_within_the_page_budget(site, browser, lesson):
    widget = LESSON_WIDGETS.get(lesson.rsplit("/", 1)[1][:2])
    with serve(site) as base:
        page, total, state = _open(browser, base, f"{lesson}.html")
        assert page.locator("h1").count() == 1
        # the page is the notebook's lesson: its title is the notebook's first heading
        assert page.locator("h1").inner_text().rstrip("#¶ ").strip() == _lesson_title(lesson), lesson
        assert page.locator(".smtpteach-widget-missing").count() == 0
        # the host replaces every view tag with a rendered widget
        assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
        assert state == ("ready" if widget else "")
        assert page.locator(".smtpteach-widget").count() == (1 if widget else 0)
        if widget:
            assert page.locator(widget).count() == 1
            # every child rendered as a node, none as a string
            assert "[object " not in page.locator(widget).inner_text()
        assert page.evaluate("document.documentElement.lang") == ("vi" if lesson.startswith("vi/") else "en")
        # everything a first visit transfers (time to interactive is a budget of benchmarks/, not a timed test)
        assert total <= PAGE_BUDGET, f"{lesson}: {total} bytes"
        browser.leave(page)
    assert browser.offsite == [] and browser.errors == []


def test_compare_widget_responds_to_the_pickers(site, browser):
    with _site_page(site, browser, "lessons/03-second-digit-and-comparing-codes.html") as page:
        widget = page.locator(".smtpteach-compare-widget")
        assert "421 Service Not Available vs 450" in widget.locator("h3").first.inner_text()
        widget.get_by_label("First code").select_option("550")
        widget.get_by_label("Second code").select_option("553")
        title = widget.locator("article.smtpteach-compare h3").inner_text()
        assert title.startswith("SMTP 550 Mailbox Unavailable vs 553")
        assert widget.locator("li[data-kind='category'].smtpteach-similarity").count() == 1
        widget.get_by_role("button", name="Swap").click()
        assert widget.locator("article.smtpteach-compare h3").inner_text().startswith("SMTP 553 ")
        widget.get_by_label("Second code").select_option("5.1.1")
        assert "two reply codes or two enhanced" in widget.locator(".smtpteach-message").inner_text()


def test_explorer_widget_filters(site, browser):
    with _site_page(site, browser, "lessons/04-enhanced-status-codes.html") as page:
        widget = page.locator(".smtpteach-explorer-widget")
        start = widget.locator(".smtpteach-result").count()
        assert start == 31  # the X.7 subject
        widget.get_by_label("Search").fill("SPF")
        codes = widget.locator(".smtpteach-result").evaluate_all("els => els.map(e => e.dataset.code)")
        assert "X.7.23" in codes and len(codes) < start
        widget.locator(".smtpteach-result[data-code='X.7.23']").click()
        assert widget.locator(".smtpteach-detail h3").inner_text() == (
            f"Enhanced status code X.7.23: {smtpteach.lookup('X.7.23').name()}")
        assert widget.locator(".smtpteach-detail dd[lang]").count() == 0  # on an English page, English is the page's
        facts = widget.locator(".smtpteach-detail dl")
        assert facts.locator("dt").count() >= 3 and facts.locator("dt").count() == facts.locator("dd").count()
        widget.get_by_label("Search").fill("")
        widget.get_by_label("Kind").select_option("basic")
        widget.get_by_label("Subject").select_option(label="any")
        widget.get_by_label("Class").select_option("4")
        codes = widget.locator(".smtpteach-result").evaluate_all("els => els.map(e => e.dataset.code)")
        assert codes and all(c.startswith("4") for c in codes)


def test_explain_widget_explains_a_pasted_reply(site, browser):
    with _site_page(site, browser, "lessons/06-diagnosing-bounces.html") as page:
        widget = page.locator(".smtpteach-explain-widget")
        assert widget.locator("[data-reason='blocked']").count() == 1
        assert _explained(widget, "Paste a reply", "452 4.2.2 The email account that you tried to reach is over quota") == "mailboxfull"
        section = widget.locator(".smtpteach-explanation")
        assert "temporary failure" in section.inner_text()
        labels = section.locator("dl dt").evaluate_all("els => els.map(e => e.textContent)")
        values = section.locator("dl dd").evaluate_all("els => els.map(e => e.textContent)")
        assert dict(zip(labels, values))["Reply code"] == "452" and len(labels) == len(values) >= 6
        # the second tier of rules (data/reasons-known.yaml) came from its own file, after the page was ready, when
        # the reader came to the box; a reply only it reads is explained as Python explains it
        later = page.evaluate("""() => performance.getEntriesByType('resource').filter(e => e.name.includes('/later.'))
                                      .map(e => e.startTime - performance.getEntriesByName('smtpteach:ready')[0].startTime)""")
        assert len(later) == 1 and later[0] > 0, later
        for text in ("local delivery program failed with exit code 75", "Hộp thư đã đầy"):
            assert _explained(widget, "Paste a reply", text) == smtpteach.explain(text).reason != "undefined"
        # the reason model (in the same file) guesses from the words, and the box says which words decided
        guessed = "451 recipient mailbox storage limit temporarily reached"
        assert _explained(widget, "Paste a reply", guessed) == "mailboxfull"
        labels = section.locator("dl dt").evaluate_all("els => els.map(e => e.textContent)")
        values = section.locator("dl dd").evaluate_all("els => els.map(e => e.textContent)")
        assert dict(zip(labels, values))["Guessed from the words"] == ", ".join(smtpteach.explain(guessed).evidence) != ""
        assert _explained(widget, "Paste a reply", "550 5.1.1 user unknown") == "userunknown"
        assert "Guessed from the words" not in section.locator("dl").inner_text()
        # a temporary class the queue gave up on (X.4.7): the Permanent? row says both, word for word as Python's
        expired = "Action: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; delivery time expired"
        assert _explained(widget, "Paste a reply", expired) == "expired"
        labels = section.locator("dl dt").evaluate_all("els => els.map(e => e.textContent)")
        values = section.locator("dl dd").evaluate_all("els => els.map(e => e.textContent)")
        python = dict(line.split(": ", 1) for line in smtpteach.render.text(smtpteach.explain(expired)).splitlines()[2:])
        assert dict(zip(labels, values))["Permanent?"] == python["Permanent?"] == (
            "no by its code, but the sending queue has given up")
    page_html = (site / "lessons" / "06-diagnosing-bounces.html").read_text(encoding="utf-8")
    assert "later." in page_html and '<script src="../_static/smtpteach/later.' not in page_html


def test_quiz_widget_gives_feedback_and_keeps_score(site, browser):
    with _site_page(site, browser, "lessons/07-quiz-yourself.html") as page:
        widget = page.locator(".smtpteach-quiz-widget")
        # the question (the fieldset's legend, often several lines) lies inside the box's border, not across it
        # (a newcomer's review: the border ran through the question's lines)
        inside = widget.locator("fieldset").evaluate(
            "f => f.querySelector('legend').getBoundingClientRect().top - f.getBoundingClientRect().top"
            " - parseFloat(getComputedStyle(f).borderTopWidth)")
        assert inside >= 0, inside
        assert "Score: 0 of 10" in widget.locator(".smtpteach-quiz-status").inner_text()
        widget.locator(".smtpteach-choice input").first.check()
        feedback = widget.locator(".smtpteach-feedback").inner_text()
        assert feedback.startswith(("Right.", "Not quite."))
        score = widget.locator(".smtpteach-quiz-status").inner_text()
        assert score in ("Score: 1 of 10", "Score: 0 of 10")
        # find the right answer of question 2 by trying: the score must go up by one
        widget.get_by_role("button", name="Next").click()
        before = int(widget.locator(".smtpteach-quiz-status").inner_text().split()[1])
        choices = widget.locator(".smtpteach-choice input")
        for k in range(choices.count()):
            choices.nth(k).check()
            if widget.locator("p.smtpteach-right").count():
                break
            widget.get_by_role("button", name="Try again").click()
        after = int(widget.locator(".smtpteach-quiz-status").inner_text().split()[1])
        assert after == before + 1


# -- the Vietnamese lessons' widgets, with no kernel ------------------------------------

def _vi_ui() -> dict:
    return smtpteach.default_catalogue().ui(lang="vi")


def test_vietnamese_compare_widget_responds_in_vietnamese(site, browser):
    w, cat = _vi_ui()["widgets"], smtpteach.default_catalogue()
    with _site_page(site, browser, "vi/lessons/03-second-digit-and-comparing-codes.html") as page:
        widget = page.locator(".smtpteach-compare-widget")
        widget.get_by_label(w["code_a"]).select_option("550")
        widget.get_by_label(w["code_b"]).select_option("553")
        title = widget.locator("article.smtpteach-compare h3").inner_text()
        assert title.startswith(f"SMTP 550 {cat.get('550').name(lang='vi')} vs 553"), title
        headings = widget.locator("article.smtpteach-compare h4").all_inner_texts()
        assert _vi_ui()["headings"]["differences"] in headings, headings
        widget.get_by_role("button", name=w["swap"]).click()
        assert widget.locator("article.smtpteach-compare h3").inner_text().startswith("SMTP 553 ")
        widget.get_by_label(w["code_b"]).select_option("5.1.1")
        assert widget.locator(".smtpteach-message").inner_text() == w["mixed"]


@pytest.mark.parametrize("words", ["hộp thư đầy", "hop thu day"])
def test_vietnamese_explorer_finds_vietnamese_words_with_or_without_diacritics(site, browser, words):
    w = _vi_ui()["widgets"]
    with _site_page(site, browser, "vi/lessons/04-enhanced-status-codes.html") as page:
        widget = page.locator(".smtpteach-explorer-widget")
        widget.get_by_label(w["kind"]).select_option("enhanced")
        widget.get_by_label(_vi_ui()["labels"]["subject"]).select_option(label=w["any"])
        widget.get_by_label(w["search"]).fill(words)
        codes = widget.locator(".smtpteach-result").evaluate_all("els => els.map(e => e.dataset.code)")
        assert "X.2.2" in codes, codes
        widget.locator(".smtpteach-result[data-code='X.2.2']").click()
        # an enhanced code's heading says what it is, not "SMTP X.2.2" (a site review)
        assert widget.locator(".smtpteach-detail h3").inner_text() == (
            f"Mã trạng thái mở rộng X.2.2: {smtpteach.lookup('X.2.2').name(lang='vi')}")
        # the registry's English title is marked English, and nothing else is
        english = widget.locator(".smtpteach-detail dd[lang='en']")
        assert english.count() == 1 and english.inner_text() == smtpteach.lookup("X.2.2").title


def test_vietnamese_explain_widget_explains_in_vietnamese(site, browser):
    w, labels = _vi_ui()["widgets"], _vi_ui()["explain_labels"]
    with _site_page(site, browser, "vi/lessons/06-diagnosing-bounces.html") as page:
        widget = page.locator(".smtpteach-explain-widget")
        assert _explained(widget, w["paste"], "452 4.2.2 The email account that you tried to reach is over quota") == "mailboxfull"
        section = widget.locator(".smtpteach-explanation")
        facts = dict(zip(section.locator("dl dt").evaluate_all("els => els.map(e => e.textContent)"),
                         section.locator("dl dd").evaluate_all("els => els.map(e => e.textContent)")))
        assert facts[labels["basic"]] == "452" and facts[labels["permanent"]] == labels["permanent_no"], facts
        assert _vi_ui()["reasons"]["mailboxfull"]["name"] in section.inner_text()


def test_vietnamese_quiz_scores_in_vietnamese(site, browser):
    w = _vi_ui()["widgets"]
    with _site_page(site, browser, "vi/lessons/07-quiz-yourself.html") as page:
        widget = page.locator(".smtpteach-quiz-widget")
        status = widget.locator(".smtpteach-quiz-status").inner_text()
        assert "Điểm: 0/" in status, status
        choices = widget.locator(".smtpteach-choice input")
        for k in range(choices.count()):
            choices.nth(k).check()
            if widget.locator("p.smtpteach-right").count():
                break
            assert widget.locator(".smtpteach-feedback").inner_text().startswith(w["wrong"])
            widget.get_by_role("button", name=w["try_again"]).click()
        assert widget.locator(".smtpteach-feedback").inner_text().startswith(w["right"])
        assert "Điểm: 1/" in widget.locator(".smtpteach-quiz-status").inner_text()


# every page's switch names its twin (test_every_page_links_its_twin_with_hreflang reads them all);
# a reader clicks it here on each template: the home page, a written page, a lesson with a widget,
# and the generated code, enhanced code and comparison pages, each at its own depth
@pytest.mark.parametrize("path", [
    "index.html", "howto/diagnose-a-bounce.html", "lessons/07-quiz-yourself.html", "reference/codes/550.html",
    "reference/enhanced/X.2.2.html", "compare/211-vs-550.html",
])
def test_the_language_switch_goes_to_the_twin_and_back_on_every_kind_of_page(site, browser, path):
    with _site_page(site, browser, path) as page:
        assert page.evaluate("document.documentElement.lang") == "en"
        page.locator("p.smtpteach-twin a[hreflang='vi']").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/vi/" + path), page.url
        assert page.evaluate("document.documentElement.lang") == "vi"
        assert page.locator("h1").count() == 1
        page.locator("p.smtpteach-twin a[hreflang='en']").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/" + path) and "/vi/" not in page.url, page.url


@pytest.mark.parametrize("query, first", [("hộp thư đầy", {"vi/reference/codes/552.html", "vi/reference/enhanced/X.2.2.html"}),
                                          ("hop thu day", {"vi/reference/codes/552.html", "vi/reference/enhanced/X.2.2.html"}),
                                          ("mailbox full", None)])
def test_the_vietnamese_site_search_reads_words_with_or_without_diacritics(site, browser, query, first):
    with serve(site) as base:
        page = browser.tab()
        page.goto(base + "vi/search.html?q=" + query, wait_until="load")
        page.wait_for_function("(document.querySelector('.search-summary, #search-results p')?.textContent || '').includes('Tìm xong')", timeout=20000)
        links = [h.split("#")[0].split("?")[0] for h in
                 page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")]
        browser.leave(page)
    assert links and links[0].startswith("vi/") or "/vi/" in links[0], links[:10]
    if first:
        assert any(link.endswith(tuple(first)) for link in links[:2]) and \
            all(any(link.endswith(f) for link in links[:6]) for f in first), links[:10]
    else:
        assert any(link.endswith("vi/reference/enhanced/X.2.2.html") for link in links[:10]), links[:10]
    assert browser.offsite == [] and browser.errors == []


def test_vietnamese_reference_page_and_language_switch(site, browser):
    with _site_page(site, browser, "vi/reference/codes/550.html") as page:
        assert page.evaluate("document.documentElement.lang") == "vi"
        headings = page.locator("h2").all_inner_texts()
        assert [h.rstrip("#¶ ").strip() for h in headings][:3] == ["Mô tả", "Khi bạn thấy mã này", "Cách khắc phục"]
        import smtpteach

        en_name, vi_name = smtpteach.lookup("550").name(lang="en"), smtpteach.lookup("550").name(lang="vi")
        page.get_by_role("link", name=f"English: SMTP 550 {en_name}").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/reference/codes/550.html") and "/vi/" not in page.url
        assert page.evaluate("document.documentElement.lang") == "en"
        page.get_by_role("link", name=f"Tiếng Việt: SMTP 550 {vi_name}").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/vi/reference/codes/550.html")


def _hrefs(html: str, css_class: str) -> list[str]:
    """The links inside the first element with ``css_class`` (a whole-word class match)."""

    start = re.search(rf'<(\w+) class="(?:[^"]* )?{css_class}(?: [^"]*)?"', html)
    assert start, css_class
    depth, tag, at = 0, start.group(1), start.start()
    for m in re.finditer(rf"<(/?){tag}\b", html[at:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return re.findall(r'href="([^"#]*)', html[at:at + m.start()])
    raise AssertionError(f"{css_class} is not closed")


def _resolve(site: Path, page: Path, href: str) -> Path:
    return (page.parent / href).resolve().relative_to(site.resolve()) if href else page.relative_to(site)


def test_vietnamese_pages_wear_the_theme_in_vietnamese_with_a_vietnamese_sidebar(site):
    vi_page, en_page = site / "vi/reference/codes/550.html", site / "reference/codes/550.html"
    vi, en = vi_page.read_text(encoding="utf-8"), en_page.read_text(encoding="utf-8")
    wording = smtpteach.default_catalogue().ui(lang="vi")["theme_wording"]
    for english in ("Search", "On this page", "Back to top", "Skip to content"):
        assert wording[english] in vi and wording[english] not in en, english
    assert 'placeholder="Tìm kiếm"' in vi and 'placeholder="Search"' in en
    assert "On this page" not in vi and "Back to top" not in vi
    # the sidebar lists the Vietnamese pages only, and the site name leads to the Vietnamese home
    sidebar = [_resolve(site, vi_page, href) for href in _hrefs(vi, "sidebar-tree")]
    assert sidebar and all(path.parts[0] == "vi" for path in sidebar), sidebar
    assert Path("vi/reference/index.html") in sidebar and Path("vi/compare/index.html") in sidebar
    assert [_resolve(site, vi_page, h) for h in _hrefs(vi, "sidebar-brand")] == [Path("vi/index.html")]
    # English pages keep the whole site in their sidebar, with the way into Vietnamese
    en_sidebar = {_resolve(site, en_page, href) for href in _hrefs(en, "sidebar-tree")}
    assert Path("lessons/01-anatomy-of-a-reply.html") in en_sidebar and Path("vi/index.html") in en_sidebar
    assert [_resolve(site, en_page, h) for h in _hrefs(en, "sidebar-brand")] == [Path("index.html")]


def test_every_theme_string_we_translate_is_one_the_theme_shows(site):
    """A Furo release that rewords a string would leave our translation unused, and the
    Vietnamese pages quietly back in English."""
    import html as html_lib

    from smtpteach.sphinx import _SEARCH_COUNTED, _SEARCH_MESSAGES

    # the search page's messages sit in its script whatever happens, so check Sphinx still says them
    searchtools = "".join((site / "_static" / name).read_text(encoding="utf-8") for name in ("searchtools.js", "sphinx_highlight.js"))
    for english in (*_SEARCH_MESSAGES, *_SEARCH_COUNTED, *_SEARCH_COUNTED.values()):
        assert english in searchtools, english
    pages = [p.read_text(encoding="utf-8") for p in (site / "vi").rglob("*.html")]
    # and the scripts they load that were inline (issue 18: moved to static files for a strict CSP)
    pages += [p.read_text(encoding="utf-8") for p in (site / "_static" / "smtpteach").glob("inline.*.js")]
    for english, vietnamese in smtpteach.default_catalogue().ui(lang="vi")["theme_wording"].items():
        shown = html_lib.unescape(vietnamese.replace("%(copyright)s", "")).strip()
        if "{" in shown:  # a sentence whose slots are the theme's own links: said around them
            shown = shown.split("{")[0].strip()
        assert any(shown in html_lib.unescape(page) for page in pages), english


def test_what_the_theme_writes_outside_its_gettext_is_vietnamese_on_a_vietnamese_page(site):
    # a site review: the theme toggle's accessible name, the permalinks' tooltip and the footer were English on every
    # Vietnamese page
    vi = (site / "vi/reference/codes/550.html").read_text(encoding="utf-8")
    en = (site / "reference/codes/550.html").read_text(encoding="utf-8")
    for english, vietnamese in (("<title>Auto light/dark, in light mode</title>",
                                 "<title>Tự động sáng/tối, đang ở chế độ sáng</title>"),
                                ("<title>Contents</title>", "<title>Mục lục</title>"),
                                ('title="Link to this heading"', 'title="Liên kết tới đề mục này"')):
        assert english in en and vietnamese not in en
        assert vietnamese in vi and english not in vi
    assert ('giao diện <a href="https://github.com/pradyunsg/furo">Furo</a> của <a class="muted-link" '
            'href="https://pradyunsg.me">@pradyunsg</a>') in vi
    assert "@pradyunsg</a>'s" in en and "@pradyunsg</a>'s" not in vi


def test_previous_and_next_links_stay_in_the_page_language(site):

    crossings, links = [], 0
    for page in site.rglob("*.html"):
        if page.parts[len(site.parts)] in {"_static", "_sources", ".doctrees"}:
            continue
        text = page.read_text(encoding="utf-8")
        lang = page.relative_to(site).parts[0] == "vi"
        for href in re.findall(r'<a class="(?:next|prev)-page" href="([^"#]*)', text):
            links += 1
            if (_resolve(site, page, href).parts[0] == "vi") != lang:
                crossings.append((str(page.relative_to(site)), href))
    assert links > 20 and crossings == []


def test_the_vietnamese_home_leads_to_the_vietnamese_lessons_and_guides(site):
    home = (site / "vi" / "index.html").read_text(encoding="utf-8")
    for target in ("lessons/01-anatomy-of-a-reply.html", "howto/index.html", "explanation/index.html",
                   "reference/index.html", "reference/glossary.html", "reference/cli.html", "reference/api.html", "performance.html"):
        assert f'href="{target}"' in home, target
    assert "\\:" not in home


# -- every page in both languages (issue 15) ----------------------------------------------

_NOT_PAGES = {"_static", "_sources", "_images", ".doctrees", "jupyter_execute", "_sphinx_design_static"}
_BUILT_BY_SPHINX = {"genindex.html", "search.html", "py-modindex.html"}


def _pages(site: Path) -> dict[str, set[Path]]:
    """The built pages by language: a page under vi/ is Vietnamese, every other English."""
    found: dict[str, set[Path]] = {"en": set(), "vi": set()}
    for page in site.rglob("*.html"):
        rel = page.relative_to(site)
        if rel.parts[0] in _NOT_PAGES or rel.name in _BUILT_BY_SPHINX and len(rel.parts) <= 2:
            continue
        if rel.parts[0] == "vi":
            found["vi"].add(Path(*rel.parts[1:]))
        else:
            found["en"].add(rel)
    return found


def test_every_page_has_a_twin_in_the_other_language_and_the_reverse(site):
    pages = _pages(site)
    assert pages["en"] - pages["vi"] == set(), sorted(map(str, pages["en"] - pages["vi"]))[:20]
    assert pages["vi"] - pages["en"] == set(), sorted(map(str, pages["vi"] - pages["en"]))[:20]
    # the whole course, not only the generated reference pages
    for kind in ("lessons", "howto", "explanation"):
        assert len([p for p in pages["vi"] if p.parts[0] == kind]) >= {"lessons": 11, "howto": 5, "explanation": 6}[kind], kind
    for page in ("index.html", "performance.html", "reference/cli.html", "reference/api.html", "reference/glossary.html"):
        assert Path(page) in pages["vi"], page


def _switch(html: str) -> list[tuple[str, str]]:
    para = re.search(r'<p class="smtpteach-twin">(.*?)</p>', html, re.DOTALL)
    return re.findall(r'<a [^>]*href="([^"]*)"[^>]*hreflang="([^"]*)"', para.group(1)) if para else []


def test_every_page_links_its_twin_with_hreflang(site):
    missing = []
    for lang, pages in _pages(site).items():
        for rel in pages:
            path = site / rel if lang == "en" else site / "vi" / rel
            twin, other = (Path("vi") / rel, "vi") if lang == "en" else (rel, "en")
            html = path.read_text(encoding="utf-8")
            alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]*)" href="([^"]*)"', html))
            switch = _switch(html)
            ok = (re.search(rf'<html [^>]*lang="{lang}"', html)
                  and other in alternates and _resolve(site, path, alternates[other]) == twin
                  and [(_resolve(site, path, href), h) for href, h in switch] == [(twin, other)])
            if not ok:
                missing.append(str(path.relative_to(site)))
    assert missing == [], missing[:20]


def test_vietnamese_pages_never_lead_into_english_but_by_the_language_switch(site):
    crossings = []
    for rel in _pages(site)["vi"]:
        path = site / "vi" / rel
        html = path.read_text(encoding="utf-8")
        body = re.sub(r'<p class="smtpteach-twin">.*?</p>', "", html, flags=re.DOTALL)
        body = re.sub(r"<head>.*?</head>", "", body, flags=re.DOTALL)
        for href in re.findall(r'<a [^>]*href="([^"#]+)', body):
            if re.match(r"[a-z]+:", href) or not href.split("?")[0].endswith(".html"):
                continue  # RFCs and other sites, downloads, static files
            target = _resolve(site, path, href.split("?")[0])
            if target.parts[0] != "vi":
                crossings.append((str(rel), href))
    assert crossings == [], crossings[:20]


def test_the_vietnamese_sidebar_lists_the_whole_vietnamese_tree(site):
    home = site / "vi" / "index.html"
    sidebar = {_resolve(site, home, href) for href in _hrefs(home.read_text(encoding="utf-8"), "sidebar-tree")}
    wanted = {Path("vi/lessons") / f"{stem}.html" for stem in LESSONS}
    wanted |= {Path("vi/howto/index.html"), Path("vi/explanation/index.html"), Path("vi/reference/index.html"),
               Path("vi/compare/index.html"), Path("vi/reference/cli.html"), Path("vi/reference/api.html"),
               Path("vi/performance.html")}
    assert wanted - sidebar == set(), sorted(map(str, wanted - sidebar))
    assert all(p.parts[0] == "vi" for p in sidebar)


def _page_weight(page: Path) -> int:
    """A page's weight: its own bytes plus every file of the site it loads (scripts,
    styles, pictures), each counted once, as a first visit with an empty cache fetches them.
    The language's widget data file, loaded once for all its widget pages, is weighed apart."""
    html = page.read_text(encoding="utf-8")
    files = set()
    for ref in re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"#?]+)', html):
        target = (page.parent / ref).resolve()
        if not re.match(r"[a-z]+:", ref) and target.suffix != ".html" and target.is_file() \
                and not (target.parent.name == "smtpteach" and target.name.startswith("data-")):
            files.add(target)
    return page.stat().st_size + sum(f.stat().st_size for f in files)


def test_no_vietnamese_page_outweighs_its_english_twin_by_more_than_a_tenth(site):
    heavy = []
    for rel in _pages(site)["vi"]:
        vi, en = _page_weight(site / "vi" / rel), _page_weight(site / rel)
        if vi > 1.10 * en:
            heavy.append((str(rel), en, vi, f"{vi / en - 1:+.0%}"))
    assert heavy == [], sorted(heavy, key=lambda h: h[2] - h[1])[-20:]
    # widget state and widget data are written as UTF-8: JSON's default escapes spell each Vietnamese letter in six bytes
    lesson = (site / "vi/lessons/07-quiz-yourself.html").read_text(encoding="utf-8")
    state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', lesson, re.DOTALL).group(1)
    assert "\\u1ea" not in state and _vi_ui()["widgets"]["try_again"] in state
    json.loads(state)  # still the widget state, whole
    [data] = (site / "_static" / "smtpteach").glob("data-vi.*.js")
    assert "\\u1ed9" not in data.read_text(encoding="utf-8") and "hộp thư" in data.read_text(encoding="utf-8")
    [english] = (site / "_static" / "smtpteach").glob("data-en.*.js")
    assert data.stat().st_size < 1.25 * english.stat().st_size  # Vietnamese letters take two or three bytes


def _items(page: str) -> list[tuple[str, str]]:
    """The difference and similarity items of a built comparison page: (class, text), in page order."""
    found = re.findall(r'<li class="smtpteach-(difference|similarity)"><p>(.*?)</p></li>', page, re.DOTALL)
    return [(kind, _plain(text)) for kind, text in found]


def _plain(markup: str) -> str:
    """The words of some HTML, with Sphinx's typographic apostrophe (smartquotes) read as the one compare() writes."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).replace("\u2019", "'")


@pytest.mark.parametrize("pair", [("211", "550"), ("4.2.2", "5.2.2")])
def test_comparison_pages_say_what_compare_says_in_both_languages(site, pair):
    # each item of a built page, in both languages, is the comparison's own sentence, as a difference or a
    # similarity; and 4.2.2 vs 5.2.2 says which class RFC 3463 means X.2.2 for, and gives its one fix once
    a, b = pair
    for lang in ("en", "vi"):
        page = (site / ("" if lang == "en" else "vi/") / f"compare/{a}-vs-{b}.html").read_text(encoding="utf-8")
        c = smtpteach.compare(a, b, lang=lang)
        assert _items(page) == [("similarity" if d.similarity else "difference", d.text) for d in c.differences]
        words = _plain(page)
        for heading in ("differences", "which", "learn_more"):
            assert c.headings[heading] in words, (lang, heading)
        assert all(line in words for line in c.when_to_use), lang
        if pair == ("4.2.2", "5.2.2"):
            said = {"en": "RFC 3463 means X.2.2 for class 4", "vi": "RFC 3463 dành X.2.2 cho lớp 4"}[lang]
            assert sum(said in text for _, text in _items(page)) == 1
            assert len(c.when_to_use) == 3 and words.count(c.when_to_use[2]) == 1


def test_comparison_pages_exist_in_both_languages(site, browser):
    for lang in ("", "vi/"):
        assert (site / f"{lang}compare/211-vs-550.html").is_file()
    with _site_page(site, browser, "compare/211-vs-550.html") as page:
        assert page.locator("h1").inner_text().startswith("SMTP 211 System Status vs 550")
        assert page.locator("li.smtpteach-difference").count() >= 5


@pytest.mark.parametrize("query, expected", [("mailbox", "reference/codes/550.html"), ("hộp thư", "vi/reference/codes/550.html"),
                                             ("550", "reference/codes/550.html"), ("5.1.1", "reference/enhanced/X.1.1.html"),
                                             ("X.7.1", "vi/reference/enhanced/X.7.1.html")])
def test_search_finds_codes_and_words(site, browser, query, expected):
    with serve(site) as base:
        page = browser.tab()
        page.goto(base + "search.html?q=" + query, wait_until="load")
        # results are shown one by one; wait for Sphinx's "Search finished" message
        page.wait_for_function("(document.querySelector('.search-summary, #search-results p')?.textContent || '').includes('Search finished')"
                               " || (document.querySelector('#search-results')?.textContent || '').includes('Search finished')", timeout=20000)
        links = page.locator("#search-results li a, .search li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any(link.split("#")[0].split("?")[0].endswith(expected) for link in links), links[:20]
        browser.leave(page)
    assert browser.offsite == [] and browser.errors == []


def test_search_for_a_code_s_name_as_a_phrase_lists_that_code_s_page_first(site, browser):
    # the scorer ranks a code page whose name holds the words as a phrase above the pages that hold them apart
    # (530 Authentication Required above X.7.11 and the pages that merely mention authentication)
    with serve(site) as base:
        page = browser.tab()
        page.goto(base + "search.html?q=authentication required", wait_until="load")
        page.wait_for_function("(document.querySelector('.search-summary, #search-results p')?.textContent || '')"
                               ".includes('Search finished')", timeout=20000)
        links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        browser.leave(page)
    assert links and links[0].split("#")[0].split("?")[0] == "reference/codes/530.html", links[:5]
    assert browser.offsite == [] and browser.errors == []


def test_search_works_from_file_urls_without_an_error_for_each_page_found(site, browser):
    # a newcomer's review: opened from disk, the search listed its results but each one's summary line was a fetch()
    # the browser refuses there, about 170 uncaught 'Failed to fetch' errors for one query; served, the lines stay
    page = browser.tab()
    page.goto((site / "vi" / "search.html").as_uri() + "?q=hop+thu+day", wait_until="load")
    page.wait_for_function("(document.querySelector('.search-summary, #search-results p')?.textContent || '')"
                           ".includes('Tìm xong')", timeout=20000)
    links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(link.split("#")[0].split("?")[0].endswith("reference/codes/552.html") for link in links), links[:20]
    assert page.locator("#search-results li p.context").count() == 0
    browser.leave(page)
    assert browser.errors == [] and browser.offsite == []
    with serve(site) as base:
        page = browser.tab()
        page.goto(base + "vi/search.html?q=hop+thu+day", wait_until="load")
        page.wait_for_function("document.querySelectorAll('#search-results li p.context').length > 0", timeout=20000)
        browser.leave(page)
    assert browser.errors == []


def test_vietnamese_pages_search_in_vietnamese(site, browser):

    for page in (site / "reference/codes/550.html", site / "vi/reference/codes/550.html", site / "vi/index.html"):
        action = re.search(r'<form class="sidebar-search-container"[^>]* action="([^"]*)"', page.read_text(encoding="utf-8")).group(1)
        expected = "vi/search.html" if "vi" in page.relative_to(site).parts else "search.html"
        assert _resolve(site, page, action) == Path(expected), (page, action)
    with serve(site) as base:
        page = browser.tab()
        page.goto(base + "vi/search.html?q=hộp thư", wait_until="load")
        page.wait_for_function("(document.querySelector('.search-summary, #search-results p')?.textContent || '').includes('Tìm xong')", timeout=20000)
        assert page.locator("#search-results h2").inner_text() == "Kết quả tìm kiếm"
        assert page.title().startswith("Tìm kiếm")
        links = page.locator("#search-results li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any(link.split("#")[0].split("?")[0].endswith("vi/reference/codes/550.html") for link in links), links[:20]
        assert page.evaluate("document.documentElement.lang") == "vi"
        # a page opened from the results marks the words, with a Vietnamese way to hide the marks
        page.goto(base + "vi/reference/codes/550.html?highlight=mailbox", wait_until="load")
        page.wait_for_selector("#searchbox .highlight-link a", timeout=15000)
        assert page.locator("#searchbox .highlight-link a").inner_text() == "Ẩn đánh dấu kết quả tìm kiếm"
        page.goto(base + "vi/search.html?q=zzzqqq", wait_until="load")
        page.wait_for_function("(document.querySelector('.search-summary, #search-results p')?.textContent || '').includes('Không có trang nào')", timeout=20000)
        browser.leave(page)
    assert browser.offsite == [] and browser.errors == []


def test_explain_widget_says_so_when_the_second_tier_does_not_load_and_tries_again(site, browser):
    # a network error, or a page cached across a deploy that replaced the file: the box says the rules did not
    # load (it does not explain with part of them), and the next text typed tries again
    before = len(browser.errors)
    with serve(site) as base:
        page = browser.page()
        page.route("**/smtpteach/later.*.js", lambda route: route.abort())
        page.goto(base + "lessons/06-diagnosing-bounces.html", wait_until="load")
        page.wait_for_function("document.documentElement.dataset.smtpteachWidgets === 'ready'", timeout=15000)
        widget = page.locator(".smtpteach-explain-widget")
        summary = widget.locator(".smtpteach-explanation [role='status']")
        failed = smtpteach.default_catalogue().ui(lang="en")["widgets"]["explain_failed"]
        widget.get_by_label("Paste a reply").fill("Hộp thư đã đầy")
        page.wait_for_function("(t) => document.querySelector('.smtpteach-explain-widget [role=status]').textContent === t",
                               arg=failed, timeout=10000)
        assert widget.locator(".smtpteach-explanation[data-reason]").count() == 0 and summary.text_content() == failed
        page.unroute("**/smtpteach/later.*.js")
        assert _explained(widget, "Paste a reply", "Hộp thư đã đầy ") == "mailboxfull"
        page.context.close()
    # the one failed load is all that went wrong (the browser logs it): no page error, nothing off the site
    added = browser.errors[before:]
    del browser.errors[before:]
    assert added and all("Failed to load resource" in e for e in added), added
    assert browser.offsite == []


def test_widgets_work_from_file_urls(site, browser):
    page = browser.tab()
    page.goto((site / "lessons" / "06-diagnosing-bounces.html").as_uri(), wait_until="load")
    page.wait_for_function("document.documentElement.dataset.smtpteachWidgets === 'ready'", timeout=15000)
    widget = page.locator(".smtpteach-explain-widget")
    assert _explained(widget, "Paste a reply", "550 5.1.1 user unknown") == "userunknown"
    # the second tier of rules loads from file:// too (beside the host script, whatever the page's folder)
    assert _explained(widget, "Paste a reply", "Người nhận không tồn tại") == "userunknown"
    browser.leave(page)
    assert browser.offsite == []

# -- the quiz and explorer widgets driven by the keyboard alone ----------------
# The quiz and explorer widgets on the built lesson pages, driven by the keyboard alone.
#
# A widget redraws by replacing elements; after every key the focus must be on
# the equivalent control again, never dropped to <body>. In the quiz the arrow
# keys only move between the choices: an answer takes Enter, Space, a click or
# the Check button.



QUIZ = "lessons/07-quiz-yourself.html"
EXPLORER = "lessons/04-enhanced-status-codes.html"
CHECK = smtpteach.default_catalogue().ui(lang="en")["widgets"]["check"]  # the quiz's Check button

FOCUSED = """() => {
  const el = document.activeElement;
  const widget = el.closest('.smtpteach-widget');
  return {
    tag: el.tagName.toLowerCase(),
    widget: widget ? widget.className : null,
    value: el.type === 'radio' ? Number(el.value) : null,
    checked: el.type === 'radio' ? el.checked : null,
    code: el.dataset.code || null,
    text: el.textContent.trim().slice(0, 80),
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def on_choice(page, k: int) -> bool:
    f = focused(page)
    return f["tag"] == "input" and "smtpteach-quiz-widget" in (f["widget"] or "") and f["value"] == k


def on_button(page, text: str) -> bool:
    f = focused(page)
    return f["tag"] == "button" and "smtpteach-quiz-widget" in (f["widget"] or "") and f["text"] == text


def test_quiz_arrow_keys_move_between_choices_without_answering(site, browser):
    with _site_page(site, browser, QUIZ) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        feedback = widget.locator(".smtpteach-feedback")
        status = widget.locator(".smtpteach-quiz-status")
        choices = widget.locator(".smtpteach-choice input")
        n = choices.count()  # some questions have two choices
        assert n >= 2
        choices.first.focus()
        assert on_choice(page, 0)

        for key, k in [("ArrowDown", 1), ("ArrowDown", 2 % n), ("ArrowUp", 1)]:
            page.keyboard.press(key)
            assert feedback.inner_text() == "", key  # moving is not answering
            assert status.inner_text() == "Score: 0 of 10"
            assert on_choice(page, k), (key, focused(page))
            assert focused(page)["checked"]  # native radio-group behaviour: the check moves with the focus
            assert choices.evaluate_all("els => els.filter(e => e.disabled).length") == 0

        page.keyboard.press("Space")  # answers the focused choice; the focus stays on it
        assert feedback.inner_text().startswith(("Right.", "Not quite."))
        assert on_choice(page, 1) and focused(page)["checked"], focused(page)
        answered = feedback.inner_text()
        page.keyboard.press("ArrowDown")  # the question is locked: nothing moves, the answer stands
        assert on_choice(page, 1) and feedback.inner_text() == answered

        page.keyboard.press("Tab")  # Check (answered) and Previous (first question) are disabled
        assert on_button(page, "Next"), focused(page)
        page.keyboard.press("Enter")
        assert widget.locator("legend").inner_text().startswith("Question 2 of 10")
        assert on_button(page, "Next"), focused(page)
        page.keyboard.press("Shift+Tab")
        assert on_button(page, "Previous"), focused(page)
        page.keyboard.press("Enter")  # back on question 1 Previous is disabled: Next takes the focus
        assert widget.locator("legend").inner_text().startswith("Question 1 of 10")
        assert on_button(page, "Next"), focused(page)
        assert feedback.inner_text() == answered


def test_quiz_answers_with_enter_or_the_check_button_and_keeps_the_focus(site, browser):
    with _site_page(site, browser, QUIZ) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        feedback = widget.locator(".smtpteach-feedback")
        choices = widget.locator(".smtpteach-choice input")

        choices.first.focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")  # out of the radio group, onto Check
        assert on_button(page, CHECK), focused(page)
        assert feedback.inner_text() == ""
        page.keyboard.press("Enter")  # answers the choice the arrow left checked; focus goes to it
        assert feedback.inner_text().startswith(("Right.", "Not quite."))
        assert on_choice(page, 1) and focused(page)["checked"], focused(page)
        assert widget.locator(".smtpteach-choice input:checked").evaluate("e => e.value") == "1"

        widget.get_by_role("button", name="Try again").focus()
        page.keyboard.press("Enter")  # Try again disables itself: the focus goes back to the choices
        assert feedback.inner_text() == ""
        assert on_choice(page, 0), focused(page)
        last = choices.count() - 1
        page.keyboard.press("ArrowUp")  # the group wraps round to the last choice
        assert on_choice(page, last) and feedback.inner_text() == ""
        page.keyboard.press("Enter")
        assert feedback.inner_text().startswith(("Right.", "Not quite."))
        assert on_choice(page, last), focused(page)
        assert widget.locator(".smtpteach-choice input:checked").evaluate("e => e.value") == str(last)

        widget.get_by_role("button", name="Start over").focus()
        page.keyboard.press("Enter")
        assert feedback.inner_text() == ""
        assert on_button(page, "Start over"), focused(page)


def _embedded_quiz(site: Path, path: str) -> dict:
    """The quiz model's state as the built page embeds it for the widget host: its
    questions, with the index of each right choice, and the wording the widget shows."""
    html = (site / path).read_text(encoding="utf-8")
    tags = re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', html, re.S)
    assert len(tags) == 1, len(tags)
    models = _joined_models(site, path, json.loads(tags[0])["state"]).values()
    quizzes = [m["state"] for m in models if "quiz" in (m["state"].get("_data") or {})]
    assert len(quizzes) == 1, len(quizzes)
    return quizzes[0]


def test_quiz_scores_wrong_answers_as_wrong_by_the_embedded_answer_key(site, browser):
    """The score counts the right answers only. The answer key is the one the page itself
    embeds, so the test knows which choice is wrong rather than finding out by trying."""
    quiz = _embedded_quiz(site, QUIZ)
    questions, words = quiz["_data"]["quiz"]["questions"], quiz["_data"]["ui"]["widgets"]
    total = len(questions)
    assert total >= 3 and quiz["answers"] in ([], [-1] * total)

    def score(n: int) -> str:
        return words["score"].replace("{score}", str(n)).replace("{total}", str(total))

    def wrong(q: dict) -> str:
        return f"{words['wrong']} {words['answer_was'].replace('{answer}', q['choices'][q['answer']])}"

    def a_wrong_choice(q: dict) -> int:
        return (q["answer"] + 1) % len(q["choices"])

    # question 1 wrong, question 2 right, question 3 wrong: the score goes 0, 0, 1, 1
    steps = [(a_wrong_choice(questions[0]), wrong(questions[0]), 0), (questions[1]["answer"], words["right"], 1),
             (a_wrong_choice(questions[2]), wrong(questions[2]), 1)]
    with _site_page(site, browser, QUIZ) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        status, feedback = widget.locator(".smtpteach-quiz-status"), widget.locator(".smtpteach-feedback")
        before = 0
        assert status.inner_text() == score(before)
        for i, (k, said, after) in enumerate(steps):
            q = questions[i]
            if i:
                widget.get_by_role("button", name=words["next"]).click()
            number = words["question"].replace("{number}", str(i + 1)).replace("{total}", str(total))
            assert widget.locator("legend").inner_text() == f"{number}: {q['prompt']}"
            # the page shows the embedded choices in their order: choice k is the one the key means
            assert widget.locator(".smtpteach-choice label").all_inner_texts() == q["choices"]
            assert feedback.inner_text() == "" and status.inner_text() == score(before)
            widget.locator(".smtpteach-choice input").nth(k).check()
            verdict = feedback.locator("p").first
            assert verdict.inner_text() == said, (i + 1, k, q["answer"])
            assert verdict.get_attribute("class") == ("smtpteach-right" if k == q["answer"] else "smtpteach-wrong")
            assert status.inner_text() == score(after), (i + 1, k, q["answer"])
            before = after


@pytest.mark.parametrize("path", [QUIZ, "vi/" + QUIZ])
def test_quiz_next_walks_every_question_to_the_last_and_stops_there(site, browser, path):
    """Next goes one question at a time to the last question, and only there is it disabled.
    The number of questions comes from Python's make_quiz with the seed and count the page's
    model was saved with, not from the widget being tested, so a Next that stops early (or a
    legend that counts the questions wrongly) cannot hide the last question from the test."""
    from smtpteach import make_quiz

    lang = "vi" if path.startswith("vi/") else "en"
    embedded = _embedded_quiz(site, path)
    made = make_quiz(embedded["count"], seed=embedded["seed"], lang=lang, topics=embedded["topics"])
    prompts = [q.prompt for q in made.questions]
    total = len(prompts)
    # the page asks the quiz Python makes for its setup: the same questions in the same order
    assert [q["prompt"] for q in embedded["_data"]["quiz"]["questions"]] == prompts and total >= 3
    words = smtpteach.default_catalogue().ui(lang=lang)["widgets"]
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        legend = widget.locator("legend")
        next_button = widget.get_by_role("button", name=words["next"], exact=True)
        previous = widget.get_by_role("button", name=words["previous"], exact=True)
        for i, prompt in enumerate(prompts):
            number = words["question"].replace("{number}", str(i + 1)).replace("{total}", str(total))
            assert legend.inner_text() == f"{number}: {prompt}", (i + 1, total)
            assert previous.is_enabled() == (i > 0), i + 1
            if i < total - 1:
                # every question but the last leads on to the next one
                assert next_button.is_enabled(), f"Next is disabled on question {i + 1} of {total}"
                next_button.click()
            else:
                # the last question is shown, and Next is gone or disabled: there is nothing after it
                assert next_button.count() == 0 or next_button.is_disabled(), f"Next is enabled on the last question ({total})"
        assert legend.inner_text() == f"{number}: {prompts[-1]}"


def test_explorer_keeps_the_focus_on_the_chosen_result(site, browser):
    with _site_page(site, browser, EXPLORER) as page:
        widget = page.locator(".smtpteach-explorer-widget")
        results = widget.locator(".smtpteach-result")
        first = results.nth(0).get_attribute("data-code")
        second = results.nth(1).get_attribute("data-code")

        results.first.focus()
        page.keyboard.press("Enter")
        f = focused(page)
        assert f["tag"] == "button" and f["code"] == first, f
        assert widget.locator(f".smtpteach-result[data-code='{first}']").get_attribute("aria-pressed") == "true"
        assert first in widget.locator(".smtpteach-detail h3").inner_text()

        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        f = focused(page)
        assert f["tag"] == "button" and f["code"] == second, f
        assert widget.locator(f".smtpteach-result[data-code='{second}']").get_attribute("aria-pressed") == "true"
        assert widget.locator(f".smtpteach-result[data-code='{first}']").get_attribute("aria-pressed") == "false"

        widget.get_by_label("Search").focus()
        page.keyboard.type("SPF")  # the list redraws under the search field, which keeps the focus
        assert focused(page)["tag"] == "input"
        page.keyboard.press("Tab")
        code = focused(page)["code"]
        assert code and results.count() < 31
        page.keyboard.press("Enter")
        f = focused(page)
        assert f["tag"] == "button" and f["code"] == code, f
        assert code in widget.locator(".smtpteach-detail h3").inner_text()


@pytest.mark.parametrize("path", [EXPLORER, "vi/" + EXPLORER])
def test_explorer_status_filter_shows_exactly_the_codes_of_that_status_in_the_catalogue(site, browser, path):
    """Each option of the Status filter narrows the whole catalogue to the reply codes whose status
    (BasicEntry.status in the Python catalogue) is that one: not a code more, not a code less. The
    lesson's explorer opens on the X.7 subject, whose enhanced codes have no status, so the test first
    widens the list to every code; a status filter that is not applied leaves that list unchanged."""
    from smtpteach._catalogue import STATUSES

    lang = "vi" if path.startswith("vi/") else "en"
    ui = smtpteach.default_catalogue().ui(lang=lang)
    words, labels = ui["widgets"], ui["labels"]
    catalogue = list(smtpteach.default_catalogue())
    everything = [e.key for e in catalogue]
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-explorer-widget")
        results = widget.locator(".smtpteach-result")

        def shown() -> list[str]:
            return results.evaluate_all("els => els.map(e => e.dataset.code)")

        widget.get_by_label(words["kind"]).select_option("")
        widget.get_by_label(labels["subject"]).select_option("")
        assert shown() == everything  # no filter: the whole catalogue, in its order
        status = widget.get_by_label(labels["status"])
        options = status.locator("option").evaluate_all("els => els.map(e => e.value)")
        # "any", then every status Python knows (in the order of the page's data): each one is tried below
        assert options[0] == "" and sorted(options[1:]) == sorted(STATUSES), options
        for value in options[1:]:
            status.select_option(value)
            expected = [e.key for e in catalogue if e.kind == "basic" and e.status == value]
            assert expected, value
            codes = shown()
            assert codes == expected, (value, codes)
            assert codes != everything, value
            # the count line says how many the list holds
            assert widget.locator(".smtpteach-count").inner_text() == words["results"].replace("{count}", str(len(expected)))
        status.select_option("")
        assert shown() == everything


# -- issue 18: shared widget data loaded once, static modules, a strict CSP, the same bytes every build --
# The docs build rewrites each widget page's saved state (smtpteach/sphinx/_widgets.py): the
# modules become static scripts, the catalogue data one file per language, the model ids
# come from content, and no page keeps an inline script. These tests read the built pages
# and drive them in Chromium under the policy a school or company might serve them with.


CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"
WIDGET_KINDS = {"03-second-digit-and-comparing-codes": "compare", "04-enhanced-status-codes": "explorer",
                "06-diagnosing-bounces": "explain", "07-quiz-yourself": "quiz"}
WIDGET_PAGES = [f"{prefix}lessons/{stem}.html" for prefix in ("", "vi/") for stem in WIDGET_KINDS]
def _state_tag(html: str) -> dict:
    tags = re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', html, re.S)
    assert len(tags) == 1, len(tags)
    return json.loads(tags[0])


def _scripts(site: Path, path: str) -> list[Path]:
    """The files of the site the page loads with <script src>, in order."""
    page = site / path
    return [(page.parent / src.split("?")[0]).resolve()
            for src in re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', page.read_text(encoding="utf-8"))]


def _data_parts(data_file: Path) -> dict:
    """The parts a language's data file adds to self.smtpteachShared, read as the browser reads them."""
    text = data_file.read_text(encoding="utf-8")
    literal = re.fullmatch(r"(?s)//[^\n]*\nObject\.assign\(self\.smtpteachShared \|\| \(self\.smtpteachShared = \{\}\), "
                           r"JSON\.parse\('(.*)'\)\);\n", text)
    assert literal, text[:300]
    return json.loads(re.sub(r"\\(.)", r"\1", literal.group(1)))


def _later_part(site: Path, name: str):
    """The part a file loaded later adds to self.smtpteachLater under its own name, read as the browser reads it."""
    text = (site / "_static" / name).read_text(encoding="utf-8")
    literal = re.fullmatch(r"(?s)//[^\n]*\n\(self\.smtpteachLater \|\| \(self\.smtpteachLater = \{\}\)\)\[(\"[^\"]*\")\] = "
                           r"JSON\.parse\('(.*)'\);\n", text)
    assert literal and json.loads(literal.group(1)) == name, text[:300]
    return json.loads(re.sub(r"\\(.)", r"\1", literal.group(2)))


def _joined(value, parts: dict, site: Path | None = None):
    if isinstance(value, dict) and set(value) == {site_widgets.SHARED}:
        return parts[value[site_widgets.SHARED]]
    if isinstance(value, dict) and set(value) == {site_widgets.LATER} and site is not None:
        return _later_part(site, value[site_widgets.LATER])
    return {k: _joined(v, parts, site) for k, v in value.items()} if isinstance(value, dict) else value


def _joined_models(site: Path, path: str, state: dict) -> dict:
    """The page's models with every shared part of their _data put back from the data files the page loads."""
    parts: dict = {}
    for script in _scripts(site, path):
        if script.name.startswith("data-"):
            parts.update(_data_parts(script))
    return {mid: {**m, "state": {**m["state"], "_data": _joined(m["state"].get("_data"), parts, site)}} for mid, m in state.items()}


def _widget_model(site: Path, path: str) -> tuple[dict, dict]:
    """(the page's anywidget model as saved, the same with its _data put back together)."""
    state = _state_tag((site / path).read_text(encoding="utf-8"))["state"]
    [(mid, model)] = [(k, m) for k, m in state.items() if m["model_name"] == "AnyModel"]
    return model["state"], _joined_models(site, path, state)[mid]["state"]


def test_each_widget_module_is_a_static_script_made_from_the_package_module(site):
    from smtpteach import widgets

    for stem, kind in WIDGET_KINDS.items():
        source = widgets._module(kind)
        keys = set()
        for path in (f"lessons/{stem}.html", f"vi/lessons/{stem}.html"):
            saved, _ = _widget_model(site, path)
            key = saved["_esm"][site_widgets.MODULE]
            keys.add(key)
            assert key.startswith(kind + "."), key
            script = site / "_static" / "smtpteach" / f"{key}.js"
            assert script.resolve() in _scripts(site, path)
            # the module the kernel synced, made a classic script that registers itself: nothing else
            assert script.read_text(encoding="utf-8") == site_widgets.classic_script(source, key)
            assert "export default" not in script.read_text(encoding="utf-8")
            # the page holds no module source; its stylesheet is a file it links
            html = (site / path).read_text(encoding="utf-8")
            assert "function render" not in html and "export default" not in html
            css = site / "_static" / saved["_css"][site_widgets.STYLE]
            assert css.read_text(encoding="utf-8") == widgets._css() and f'{saved["_css"][site_widgets.STYLE]}' in html
        assert len(keys) == 1, keys  # the English and Vietnamese pages load the same file


def test_each_widget_page_carries_only_its_own_data_and_the_data_file_the_rest(site):
    from smtpteach import widgets

    cat = smtpteach.default_catalogue()
    for path in WIDGET_PAGES:
        lang = "vi" if path.startswith("vi/") else "en"
        kind = WIDGET_KINDS[Path(path).stem]
        html = (site / path).read_text(encoding="utf-8")
        saved, joined = _widget_model(site, path)
        made = {"compare": lambda: widgets.CompareWidget("421", "450", lang=lang),
                "explorer": lambda: widgets.ExplorerWidget(lang=lang),
                "explain": lambda: widgets.ExplainWidget(lang=lang),
                "quiz": lambda: widgets.QuizWidget(seed=12, count=10, lang=lang)}[kind]()
        # put back together, the data is exactly what the widget has in a kernel
        assert site_widgets.canonical(joined["_data"]) == site_widgets.canonical(made._data), path
        data_files = [s for s in _scripts(site, path) if s.name.startswith("data-")]
        if kind == "explain":
            # the second tier of rules and the reason model are a file of their own that the page does not load
            # until asked
            later = saved["_data"]["later"][site_widgets.LATER]
            assert (site / "_static" / later).resolve() not in _scripts(site, path)
            for part in (made._data["later"]["rules"][0], made._data["later"]["model"]["words"]):
                assert not any(site_widgets.canonical(part)[1:-1] in f.read_text(encoding="utf-8") for f in data_files)
        if kind == "quiz":
            # the quiz needs only its wording and its questions: no data file for it
            assert data_files == [] and saved["_data"] == joined["_data"]
            continue
        assert [f.name.split(".")[0] for f in data_files] == [f"data-{lang}"], data_files
        state = re.search(r'widget-state\+json">(.*?)</script>', html, re.S).group(1)
        assert len(state.encode("utf-8")) < 8 * 1024, (path, len(state.encode("utf-8")))
        # the catalogue's prose is in the language's data file, not in the page (lesson 04 shows
        # X.7.1's in its own words, so two codes no lesson prints)
        for code in ("550", "X.2.2"):
            prose = cat.get(code).text(lang=lang).description
            assert len(prose) > 60 and prose not in html and json.dumps(prose, ensure_ascii=False)[1:-1] not in html, (path, code)
            assert json.dumps(prose, ensure_ascii=False)[1:-1].replace("\\", "\\\\").replace("'", "\\'") in \
                data_files[0].read_text(encoding="utf-8"), code


def _own_bytes(site: Path) -> dict[str, int]:
    """Each widget page's own bytes: the page, and each file of the site it links that no other page links."""
    links: dict[Path, set[Path]] = {}
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] in _NOT_PAGES:
            continue
        for ref in re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"#?]+)', page.read_text(encoding="utf-8")):
            target = (page.parent / ref).resolve()
            if not re.match(r"[a-z]+:", ref) and target.suffix != ".html" and target.is_file():
                links.setdefault(target, set()).add(page)
    own = {}
    for path in WIDGET_PAGES:
        page = (site / path).resolve()
        own[path] = page.stat().st_size + sum(f.stat().st_size for f, pages in links.items() if pages == {page})
    return own


def test_each_widget_lesson_has_at_most_150_kb_of_its_own(site):
    own = _own_bytes(site)
    assert all(n <= 150 * 1024 for n in own.values()), own


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def _csp_tab(browser):
    """A tab of its own (its init script stays) that records every violation of the policy on each page it opens."""
    page = browser.page()
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber))")
    return page


def _csp_page(page, base: str, path: str):
    response = page.goto(base + path, wait_until="load")
    assert response.headers.get("content-security-policy") == CSP
    return page


def test_every_widget_works_under_a_strict_content_security_policy(site, browser):
    widgets_ready = "html[data-smtpteach-widgets='ready']"  # a selector: waiting by function would evaluate a string
    tab = _csp_tab(browser)  # one tab for every page: a new tab is a new renderer process, at a second of CPU
    with serve(site, headers={"Content-Security-Policy": CSP}) as base:
        # the policy is in force: an inline script the test adds is refused, and reported
        page = _csp_page(tab, base, "lessons/01-anatomy-of-a-reply.html")
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.appendChild(s); }")
        assert page.evaluate("window.__ran") is None and _violations(page), _violations(page)
        browser.errors.clear()

        page = _csp_page(tab, base, "lessons/03-second-digit-and-comparing-codes.html")
        page.wait_for_selector(widgets_ready)
        widget = page.locator(".smtpteach-compare-widget")
        widget.get_by_label("First code").select_option("550")
        widget.get_by_label("Second code").select_option("553")
        assert widget.locator("article.smtpteach-compare h3").inner_text().startswith("SMTP 550 Mailbox Unavailable vs 553")
        assert _violations(page) == []

        page = _csp_page(tab, base, "lessons/04-enhanced-status-codes.html")
        page.wait_for_selector(widgets_ready)
        widget = page.locator(".smtpteach-explorer-widget")
        widget.get_by_label("Search").fill("SPF")
        codes = widget.locator(".smtpteach-result").evaluate_all("els => els.map(e => e.dataset.code)")
        assert "X.7.23" in codes and len(codes) < 31, codes
        assert _violations(page) == []

        page = _csp_page(tab, base, "lessons/06-diagnosing-bounces.html")
        page.wait_for_selector(widgets_ready)
        widget = page.locator(".smtpteach-explain-widget")
        assert _explained(widget, "Paste a reply", "452 4.2.2 The email account that you tried to reach is over quota") == "mailboxfull"
        assert _explained(widget, "Paste a reply", "Thư bị từ chối vì nghi là thư rác") == "spamdetected"
        assert _violations(page) == []

        w = _vi_ui()["widgets"]
        page = _csp_page(tab, base, "vi/lessons/07-quiz-yourself.html")
        page.wait_for_selector(widgets_ready)
        widget = page.locator(".smtpteach-quiz-widget")
        widget.locator(".smtpteach-choice input").first.check()
        assert widget.locator(".smtpteach-feedback").inner_text().startswith((w["right"], w["wrong"]))
        assert _violations(page) == []

        for path in ("vi/lessons/03-second-digit-and-comparing-codes.html", "vi/lessons/04-enhanced-status-codes.html",
                     "vi/lessons/06-diagnosing-bounces.html", "lessons/07-quiz-yourself.html"):
            page = _csp_page(tab, base, path)
            page.wait_for_selector(widgets_ready)
            assert page.locator(".smtpteach-widget").count() == 1 and _violations(page) == [], path

        # the theme's own scripts and the Vietnamese search run too (they were inline)
        page = _csp_page(tab, base, "vi/search.html?q=hộp thư")
        page.locator("#search-results h2", has_text="Kết quả tìm kiếm").wait_for(timeout=20000)
        assert page.locator("#search-results li a").count() > 0
        assert page.evaluate("document.body.dataset.theme") == "auto"
        assert _violations(page) == []
        for path in ("index.html", "reference/codes/550.html", "vi/index.html", "genindex.html"):
            page = _csp_page(tab, base, path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.body.dataset.theme") == "auto" and _violations(page) == [], path
        tab.context.close()
    assert browser.offsite == [] and browser.errors == [], browser.errors


def test_no_page_has_an_inline_script_or_event_handler(site):
    inline = []
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] in _NOT_PAGES:
            continue
        html = page.read_text(encoding="utf-8")
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
            kind = re.search(r'\btype="([^"]*)"', attributes)
            if "src=" not in attributes and (kind is None or not kind.group(1).startswith("application/")):
                inline.append((str(page.relative_to(site)), body.strip()[:60]))
        inline += [(str(page.relative_to(site)), h) for h in re.findall(r"<[^>]+\s(on[a-z]+)=", html)]
        assert "data:image/" not in "".join(re.findall(r'<(?:img|link)\b[^>]*>', html)), page
    assert inline == [], inline[:10]
    # the theme's pictures are files; a page opened from disk gets them as data: URLs again
    furo = (site / "_static" / "styles" / "furo.css").read_text(encoding="utf-8")
    served, from_disk = furo.split("/* smtpteach: the pictures again as data: URLs")
    assert "data:image/" not in served and "--icon-search:url(" in served
    assert "html[data-smtpteach-file] body{--icon-search:url('data:image/svg+xml" in from_disk


@pytest.mark.parametrize("path", ["vi/lessons/03-second-digit-and-comparing-codes.html", "lessons/07-quiz-yourself.html"])
def test_a_widget_lesson_opened_from_disk_works_with_its_icons(site, browser, path):
    page = browser.tab()
    page.goto((site / path).as_uri(), wait_until="load")
    page.wait_for_selector("html[data-smtpteach-widgets='ready']", timeout=15000)
    assert page.evaluate("document.documentElement.hasAttribute('data-smtpteach-file')")
    assert "data:image/svg" in page.evaluate("getComputedStyle(document.body).getPropertyValue('--icon-search')")
    if path.startswith("vi/"):
        widget = page.locator(".smtpteach-compare-widget")
        widget.get_by_label(_vi_ui()["widgets"]["code_a"]).select_option("550")
        assert widget.locator("article.smtpteach-compare h3").inner_text().startswith("SMTP 550 ")
    else:
        page.locator(".smtpteach-quiz-widget .smtpteach-choice input").first.check()
        assert page.locator(".smtpteach-quiz-widget .smtpteach-feedback").inner_text()
    browser.leave(page)
    assert browser.offsite == [] and browser.errors == [], browser.errors  # no picture refused, no script error


def test_the_shared_data_file_crosses_the_wire_once_for_two_widget_pages(site, browser):
    served: list[tuple[str, int]] = []
    first, second = "lessons/03-second-digit-and-comparing-codes.html", "lessons/06-diagnosing-bounces.html"
    [data] = [s for s in _scripts(site, first) if s.name.startswith("data-en.")]
    assert data in _scripts(site, second)
    with serve(site, served=served) as base:
        # one reader in one tab, its cache on; the server's log shows every request
        page = browser.tab()
        for path in (first, second):
            page.goto(base + path, wait_until="load")
            page.wait_for_selector("html[data-smtpteach-widgets='ready']", timeout=15000)
        browser.leave(page)
    assert all(url.startswith("/") for url, _ in served)
    path = "/" + data.relative_to(site.resolve()).as_posix()
    fetched = [code for url, code in served if url.split("?")[0] == path]
    assert fetched.count(200) == 1 and set(fetched) <= {200, 304}, fetched
    assert [code for url, code in served if url.split("?")[0] == "/" + second] == [200]
    assert browser.offsite == [] and browser.errors == []


def test_two_cold_builds_write_the_same_bytes(site, site_again):
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*")
                if p.is_file() and ".doctrees" not in p.relative_to(root).parts}

    one, two = files(site), files(site_again)
    assert one.keys() == two.keys(), sorted(one.keys() ^ two.keys())[:20]
    differ = [name for name in sorted(one) if one[name].read_bytes() != two[name].read_bytes()]
    assert differ == [], differ[:20]
    # not two empty sites: both hold the widget pages, with the models' ids where the kernel's random ones were
    assert len(re.findall(r'"model_id":"[0-9a-f]{32}"', (site_again / WIDGET_PAGES[0]).read_text(encoding="utf-8"))) == 1


def test_the_shared_tab_starts_every_test_as_a_first_visit(site, browser):
    """What the tests that share one tab (``browser.tab()``) rely on: whatever the last test left, even
    a page it never left because it failed, the next one starts on about:blank, in the light scheme at
    1280x720, with no storage and nothing cached from the last test's origin."""
    lesson = "lessons/01-anatomy-of-a-reply.html"
    with serve(site) as base:
        page = browser.tab()
        page.goto(base + lesson, wait_until="load")
        page.emulate_media(color_scheme="dark")
        page.set_viewport_size({"width": 360, "height": 740})
        page.evaluate("localStorage.setItem('theme', 'dark')")  # furo keeps a reader's choice of theme there
        # not left: as a test that failed
    served: list[tuple[str, int]] = []
    with serve(site, served=served) as base:
        again = browser.tab()
        assert again is page and again.url == "about:blank"  # the same tab, and so the same renderer
        again.goto(base + lesson, wait_until="load")
        said = again.evaluate("[matchMedia('(prefers-color-scheme: light)').matches, innerWidth, innerHeight,"
                              " localStorage.length, document.body.dataset.theme]")
        browser.leave(again)
        assert again.url == "about:blank"
    assert said == [True, 1280, 720, 0, "auto"]
    # every file came from the server again, none from the cache of the last test's origin
    styles = [code for path, code in served if path.split("?")[0].endswith("/furo.css")]
    assert styles == [200] and (f"/{lesson}", 200) in served, served
    assert browser.offsite == [] and browser.errors == []


def test_no_two_servers_of_a_run_share_a_port(tmp_path, monkeypatch):
    """The shared tab's fresh start rests on it: when the system hands out a port that an earlier
    server had, serve() takes another."""
    from . import _browser

    with serve(tmp_path) as first:
        pass
    port = int(first.rsplit(":", 1)[1].strip("/"))
    calls: list[int] = []

    class Again(_browser._Server):  # the first bind gets the freed port again, as the system may give it
        def __init__(self, address, handler):
            calls.append(address[1])
            super().__init__(("127.0.0.1", port if len(calls) == 1 else 0), handler)

    monkeypatch.setattr(_browser, "_Server", Again)
    with serve(tmp_path) as second:
        assert second != first and len(calls) == 2
    with serve(tmp_path) as third:
        assert third not in (first, second) and len(calls) == 3


def test_a_request_off_the_site_is_recorded_and_never_answered(browser, tmp_path):
    """What every browser test relies on when it asserts ``browser.offsite == []``: a request for
    another host, from the page or from a script, is recorded, and Chromium cannot reach that host."""
    from ._browser import Browser

    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>'
        '<img src="https://cdn.example.org/logo.png" alt="">'
        # localhost is this very server under another name: only the browser's own rules keep it off
        '<script type="module">window.said = await fetch(`http://localhost:${location.port}/page.html`)'
        '.then(() => "answered", (e) => "refused: " + e.name);</script></body></html>', encoding="utf-8")
    watched = Browser(browser.browser)  # its own lists: the session's stay as they are
    failed: list[str] = []
    with serve(tmp_path) as base:
        page = watched.page()
        page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
        page.goto(base + "page.html", wait_until="load")
        page.wait_for_function("window.said !== undefined")
        said = page.evaluate("window.said")
        page.context.close()
    port = base.rsplit(":", 1)[1].strip("/")
    assert sorted(watched.offsite) == [f"http://localhost:{port}/page.html", "https://cdn.example.org/logo.png"]
    assert said == "refused: TypeError"
    assert sorted(failed) == [f"http://localhost:{port}/page.html net::ERR_NAME_NOT_RESOLVED",
                              "https://cdn.example.org/logo.png net::ERR_NAME_NOT_RESOLVED"], failed


# -- a test audit of the widgets' JavaScript: the explorer's search, the quiz's Start over, the compare links --

def _fix_only_search(lang: str) -> tuple[str, str]:
    """(code, two words) that the explorer's search finds in one entry's "how to fix" text alone: that
    entry's other fields lack them, and no other entry has both anywhere. Folded as the widget folds."""
    import unicodedata

    def fold(text: str) -> str:
        return re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFD", text.lower())).replace("đ", "d")

    entries = list(smtpteach.default_catalogue())
    texts = {e.key: e.text(lang=lang) for e in entries}
    rest = {e.key: fold(" ".join([e.key, texts[e.key].name, getattr(e, "title", ""), texts[e.key].description,
                                  texts[e.key].when])) for e in entries}
    for e in entries:
        words = re.findall(r"\w+", texts[e.key].fix.lower())
        for phrase in (f"{a} {b}" for a, b in zip(words, words[1:])):
            found = [k for k in rest if all(fold(w) in rest[k] + " " + fold(texts[k].fix) for w in phrase.split())]
            if found == [e.key] and not all(fold(w) in rest[e.key] for w in phrase.split()):
                return e.key, phrase
    raise AssertionError(f"no {lang} phrase is in one entry's fix text alone")


@pytest.mark.parametrize("path", [EXPLORER, "vi/" + EXPLORER])
def test_explorer_search_finds_an_entry_by_words_of_its_how_to_fix_text(site, browser, path):
    lang = "vi" if path.startswith("vi/") else "en"
    ui = smtpteach.default_catalogue().ui(lang=lang)
    code, phrase = _fix_only_search(lang)
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-explorer-widget")
        widget.get_by_label(ui["widgets"]["kind"]).select_option("")
        widget.get_by_label(ui["labels"]["subject"]).select_option("")  # the whole catalogue
        widget.get_by_label(ui["widgets"]["search"]).fill(phrase)
        codes = widget.locator(".smtpteach-result").evaluate_all("els => els.map(e => e.dataset.code)")
        assert codes == [code], (phrase, codes)


@pytest.mark.parametrize("path", [QUIZ, "vi/" + QUIZ])
def test_quiz_start_over_goes_back_to_question_1_with_nothing_answered(site, browser, path):
    quiz = _embedded_quiz(site, path)
    words, prompts = quiz["_data"]["ui"]["widgets"], [q["prompt"] for q in quiz["_data"]["quiz"]["questions"]]

    def legend(n: int) -> str:
        return words["question"].replace("{number}", str(n)).replace("{total}", str(len(prompts))) + f": {prompts[n - 1]}"

    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        for _ in range(2):  # answer a question and move on: to question 3
            widget.locator(".smtpteach-choice input").first.check()
            widget.get_by_role("button", name=words["next"], exact=True).click()
        widget.locator(".smtpteach-choice input").first.check()
        assert widget.locator("legend").inner_text() == legend(3)
        widget.get_by_role("button", name=words["restart"], exact=True).click()
        assert widget.locator("legend").inner_text() == legend(1)
        assert widget.locator(".smtpteach-choice input:checked").count() == 0
        assert widget.locator(".smtpteach-feedback").inner_text() == ""


@pytest.mark.parametrize("path", ["lessons/03-second-digit-and-comparing-codes.html",
                                  "vi/lessons/03-second-digit-and-comparing-codes.html"])
def test_compare_widget_links_lead_to_pages_of_the_site(site, browser, path):
    from urllib.parse import unquote, urljoin, urlsplit

    lang = "vi" if path.startswith("vi/") else "en"
    w = smtpteach.default_catalogue().ui(lang=lang)["widgets"]
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-compare-widget")
        for a, b in [("550", "553"), ("4.2.2", "5.2.2")]:
            widget.get_by_label(w["code_a"]).select_option(a)
            widget.get_by_label(w["code_b"]).select_option(b)
            hrefs = widget.locator("article.smtpteach-compare a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
            links = [(href, urlsplit(urljoin(page.url, href))) for href in hrefs]
            internal = {href: site / unquote(u.path).lstrip("/") for href, u in links if u.netloc == urlsplit(page.url).netloc}
            assert [href for href, file in internal.items() if not file.is_file()] == [], (a, b, page.url)
            # every page Python's compare() names, none dropped
            assert sorted(internal.values()) == sorted(site / link.url for link in smtpteach.compare(a, b, lang=lang).learn_more
                                                       if not link.url.startswith("http")), (a, b, hrefs)


@pytest.mark.parametrize("path", ["lessons/07-quiz-yourself.html", "vi/lessons/07-quiz-yourself.html"])
def test_quiz_check_with_nothing_chosen_says_to_choose_first(site, browser, path):
    # a site review: the button did nothing a reader could see or hear
    w = smtpteach.default_catalogue().ui(lang="vi" if path.startswith("vi/") else "en")["widgets"]
    with _site_page(site, browser, path) as page:
        widget = page.locator(".smtpteach-quiz-widget")
        feedback = widget.locator(".smtpteach-feedback")
        widget.get_by_role("button", name=w["check"]).click()
        assert feedback.inner_text() == w["choose_first"]
        assert widget.locator(".smtpteach-feedback[aria-live='polite']").count() == 1
        assert on_choice(page, 0), focused(page)
        assert widget.locator(".smtpteach-choice input:checked").count() == 0
        widget.locator(".smtpteach-choice input").nth(1).check()  # choosing answers, and the hint gives way
        assert feedback.inner_text().startswith((w["right"], w["wrong"]))
