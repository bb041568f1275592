"""smtpteach/sphinx/_a11y.py: the theme's pages mended for screen readers and the keyboard.

The whole site is checked with axe-core in a browser in tests/test_site.py; here are the
mending itself, table-driven, and a small furo project built with Sphinx's testing app.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

import smtpteach
from smtpteach.sphinx import _a11y, theme_gettext
from smtpteach.sphinx._a11y import mend_page, scroll_labels_meta


def english(text: str) -> str:
    return text


VI = theme_gettext(smtpteach.default_catalogue().ui(lang="vi")["theme_wording"])

FURO_BITS = (
    '<aside class="sidebar-drawer">\n<p class="caption" role="heading"><span class="caption-text">Tutorials</span></p>\n'
    '<input aria-label="Toggle navigation of Reference: every code" class="toctree-checkbox" id="toctree-checkbox-1" '
    'name="toctree-checkbox-1" role="switch" type="checkbox"/>\n'
    '<button class="theme-toggle" aria-label="Toggle Light / Dark / Auto color theme">\n'
    '<input type="checkbox" class="sidebar-toggle" name="__toc" id="__toc" aria-label="Toggle table of contents sidebar">\n'
    '<aside class="toc-drawer no-toc">\n'
    '<summary aria-label="Toggle hidden content">\n<p class="collapsed admonition-title">Show code cell content</p>\n'
)


@pytest.mark.parametrize("gettext, expected", [
    (english, [
        '<aside class="sidebar-drawer" aria-label="Site navigation">',
        '<p class="caption" role="heading" aria-level="2">',
        'aria-label="Toggle navigation of Reference: every code"',
        'aria-label="Toggle Light / Dark / Auto color theme"',
        'aria-label="Toggle table of contents sidebar"',
        '<aside class="toc-drawer no-toc" aria-label="On this page">',
        '<summary>\n<p class="collapsed admonition-title">Show code cell content</p>',
    ]),
    (VI, [
        '<aside class="sidebar-drawer" aria-label="Điều hướng trang web">',
        '<p class="caption" role="heading" aria-level="2">',
        'aria-label="Mở hoặc thu gọn mục Reference: every code"',
        'aria-label="Chuyển giao diện sáng / tối / tự động"',
        'aria-label="Mở hoặc đóng mục lục của trang"',
        '<aside class="toc-drawer no-toc" aria-label="Trên trang này">',
        '<summary>\n<p class="collapsed admonition-title">Xem nội dung ô mã</p>',
    ]),
])
def test_mend_page_names_landmarks_levels_captions_and_speaks_the_page_language(gettext, expected):
    mended = mend_page(FURO_BITS, gettext)
    for fragment in expected:
        assert mended.count(fragment) == 1, (fragment, mended)
    assert mend_page(mended, gettext) == mended  # mending twice changes nothing
    # the rest is furo's, untouched: the switch keeps its role, the ids and names stay
    assert 'role="switch" type="checkbox"/>' in mended and 'id="toctree-checkbox-1"' in mended


@pytest.mark.parametrize("page", [
    '<p role="heading" aria-level="3">Kept</p>',  # a level of its own
    '<aside class="sidebar-drawer" aria-label="Mine">',  # a name of its own
    '<input aria-label="Toggle something else"/>',  # not one of the theme's labels
    "<input aria-label='Toggle navigation of Say \"hi\"'/>",  # quoted otherwise: left alone, never broken
    '<p class="collapsed admonition-title">Show me</p>',  # not myst-nb's prompt
    '<pre>&lt;p role="heading"&gt; in a code block</pre>',  # text, not a tag
])
def test_mend_page_leaves_alone_what_is_not_the_themes(page):
    assert mend_page(page, VI) == page


def test_wording_is_escaped_into_the_attribute():
    hostile = {"Site navigation": 'Nav "x" <b>&', "Toggle navigation of": "<i>", "Show code cell content": "<script>"}

    def gettext(text: str) -> str:
        return hostile.get(text, text)

    mended = mend_page(FURO_BITS, gettext)
    assert 'aria-label="Nav &quot;x&quot; &lt;b&gt;&amp;"' in mended
    assert 'aria-label="&lt;i&gt; Reference: every code"' in mended
    assert "&lt;script&gt;</p>" in mended and "<i>" not in mended and "<script>" not in mended


def test_scroll_labels_meta_gives_back_the_labels_whatever_they_hold():
    labels = {"code": 'Mã "lệnh" <b>', "output": "Kết quả & chạy", "table": "Bảng"}
    meta = scroll_labels_meta(labels)
    content = re.fullmatch(r'<meta name="smtpteach-scroll-labels" content="([^"<>]*)" />', meta).group(1)
    assert json.loads(html_lib.unescape(content)) == labels


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_label_the_mending_says_is_worded_in_each_language(lang):
    ui = smtpteach.default_catalogue().ui(lang=lang)
    wording = ui["theme_wording"]
    for text in (*_a11y.THEME_LABELS, _a11y.TOGGLE_PREFIX, _a11y.NAVIGATION, _a11y.ON_THIS_PAGE):
        assert wording.get(text), text
        assert lang == "en" or wording[text] != text, text  # said in Vietnamese, not left in English
    assert set(ui["site"]["scroll_labels"]) == {"code", "output", "table"}
    assert all(ui["site"]["scroll_labels"].values())


CONF = '''
extensions = ["myst_parser", "smtpteach.sphinx"]
html_theme = "furo"
'''


def test_a_furo_project_gets_the_mended_page_the_search_heading_and_the_script(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text("# Home\n\n```{toctree}\n:caption: Parts\n\npart\n```\n", encoding="utf-8")
    (src / "part.md").write_text("# Part\n\n## Section\n\nText.\n", encoding="utf-8")
    app = SphinxTestApp(buildername="html", srcdir=src, builddir=tmp_path / "out")
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    out = Path(app.outdir)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<p class="caption" role="heading" aria-level="2">' in index
    assert '<aside class="sidebar-drawer" aria-label="Site navigation">' in index
    assert re.search(r'<aside class="toc-drawer[^"]*" aria-label="On this page">', index)
    assert re.search(r'<script defer="defer" src="_static/smtpteach-a11y\.js\?v=[0-9a-f]+"></script>', index)
    assert (out / "_static" / "smtpteach-a11y.js").read_text(encoding="utf-8") == (
        Path(smtpteach.__file__).parent / "static" / "site" / "smtpteach-a11y.js").read_text(encoding="utf-8")
    meta = re.search(r'<meta name="smtpteach-scroll-labels" content="([^"]*)" />', index).group(1)
    assert json.loads(html_lib.unescape(meta)) == smtpteach.default_catalogue().ui(lang="en")["site"]["scroll_labels"]
    search = (out / "search.html").read_text(encoding="utf-8")
    assert re.findall(r"<h1>([^<]*)</h1>", search) == ["Search"]
