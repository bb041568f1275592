"""The widgets on the built site, as a reader works them (smtpteach/static/*.js).

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

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
