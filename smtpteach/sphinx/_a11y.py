"""The theme's pages made accessible, through the theme's own extension points.

Furo is kept as it is; what axe-core and a screen reader find wrong in its pages
is mended here, as each page is written:

- ``templates/page.html`` passes furo's rendered page through :func:`mend_page`
  (the Jinja filter ``smtpteach_a11y``): the sidebar's captions, which Sphinx
  writes as ``<p role="heading">`` with no level, get ``aria-level``; the two
  ``<aside>`` landmarks get names, so a reader can tell them apart; the theme's
  own English labels (the sidebar toggles, the colour toggle) and myst-nb's
  words on a hidden cell are said in the page's language; and a hidden cell's
  toggle is named by the words it shows, not by a label that differs from them;
- ``templates/search.html`` gives the search page its ``<h1>``;
- ``smtpteach-a11y.js``, a static file (so it runs under ``script-src 'self'``
  and from ``file://``), makes each code block, output or table that scrolls
  reachable by keyboard and names it, in the page's language
  (``site.scroll_labels`` in the language's ui.yaml, given to the script in a
  ``<meta>`` tag). Only the blocks that do scroll become tab stops.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

SCRIPT = "smtpteach-a11y.js"
LABELS_META = "smtpteach-scroll-labels"

# The theme's labels that its templates write in English whatever the page's language.
THEME_LABELS = ("Toggle site navigation sidebar", "Toggle table of contents sidebar",
                "Toggle Light / Dark / Auto color theme")
# furo's sidebar writes "Toggle navigation of <title>" on each section's toggle
TOGGLE_PREFIX = "Toggle navigation of"
NAVIGATION = "Site navigation"  # the name of furo's left <aside>
ON_THIS_PAGE = "On this page"  # and of its right one, which furo heads so
# myst-nb's words on the toggle of a hidden cell (nb_code_prompt_show and _hide)
CELL_PROMPTS = ("Show code cell content", "Hide code cell content", "Show code cell source", "Hide code cell source",
                "Show code cell outputs", "Hide code cell outputs", "Show code cell output", "Hide code cell output")

# the tags that carry what we mend: a heading role, or a label
_TAG = re.compile(r'<[a-zA-Z][^<>]*(?:role="heading"|aria-label=)[^<>]*>')
_HEADING_NO_LEVEL = re.compile(r'\brole="heading"')
_LABEL = re.compile(r'\baria-label="([^"]*)"')
_ASIDE = re.compile(r'<aside class="(sidebar-drawer|toc-drawer)([^"]*)"(?![^>]*aria-label)')
# myst-nb names the toggle "Toggle hidden content", which is not what it shows
_CELL_TOGGLE = re.compile(r'<summary aria-label="Toggle hidden content">')
_CELL_PROMPT = re.compile(r'(<p class="(?:collapsed|expanded) admonition-title">)([^<]*)(</p>)')


def mend_page(html: str, gettext: Any) -> str:
    """Furo's rendered ``<body>``, mended: headings with a level, named landmarks,
    and the theme's labels through ``gettext`` (the page language's wording).

    >>> vi = {"Site navigation": "Điều hướng trang web", "Toggle navigation of": "Mở hoặc thu gọn mục"}.get
    >>> say = lambda text: vi(text) or text
    >>> mend_page('<p class="caption" role="heading"><span>Tutorials</span></p>', say)
    '<p class="caption" role="heading" aria-level="2"><span>Tutorials</span></p>'
    >>> mend_page('<aside class="sidebar-drawer">', say)
    '<aside class="sidebar-drawer" aria-label="Điều hướng trang web">'
    >>> mend_page('<input aria-label="Toggle navigation of Tham chiếu &amp; mã" role="switch" type="checkbox"/>', say)
    '<input aria-label="Mở hoặc thu gọn mục Tham chiếu &amp; mã" role="switch" type="checkbox"/>'
    >>> mend_page('<summary aria-label="Toggle hidden content"><p class="collapsed admonition-title">Show code cell content</p>', say)
    '<summary><p class="collapsed admonition-title">Show code cell content</p>'
    """
    said = {text: escape(gettext(text)) for text in (*THEME_LABELS, TOGGLE_PREFIX, NAVIGATION, ON_THIS_PAGE)}

    def label(m: re.Match) -> str:
        text = m.group(1)
        if text in said:
            return f'aria-label="{said[text]}"'
        if text.startswith(TOGGLE_PREFIX + " "):
            # the title is furo's, escaped already; only the wording around it is ours
            return f'aria-label="{said[TOGGLE_PREFIX]}{text[len(TOGGLE_PREFIX):]}"'
        return m.group(0)

    def tag(m: re.Match) -> str:
        t = m.group(0)
        if _HEADING_NO_LEVEL.search(t) and "aria-level=" not in t:
            # the sidebar's captions head its sections, below the page's one <h1>
            t = _HEADING_NO_LEVEL.sub('role="heading" aria-level="2"', t, count=1)
        if "aria-label=" in t:
            t = _LABEL.sub(label, t)
        return t

    def aside(m: re.Match) -> str:
        name = said[NAVIGATION] if m.group(1) == "sidebar-drawer" else said[ON_THIS_PAGE]
        return f'<aside class="{m.group(1)}{m.group(2)}" aria-label="{name}"'

    def prompt(m: re.Match) -> str:
        text = m.group(2)
        return m.group(1) + escape(gettext(text)) + m.group(3) if text in CELL_PROMPTS else m.group(0)

    html = _CELL_PROMPT.sub(prompt, _CELL_TOGGLE.sub("<summary>", html))
    return _ASIDE.sub(aside, _TAG.sub(tag, html))


def scroll_labels_meta(labels: dict[str, str]) -> str:
    """The ``<meta>`` tag that gives ``smtpteach-a11y.js`` its names for the blocks that scroll.

    >>> scroll_labels_meta({"code": "Mã <lệnh>"})
    '<meta name="smtpteach-scroll-labels" content="{&quot;code&quot;: &quot;Mã &lt;lệnh&gt;&quot;}" />'
    """
    return f'<meta name="{LABELS_META}" content="{escape(json.dumps(labels, ensure_ascii=False, sort_keys=True))}" />'


def _filter(context: Any, html: str) -> Any:
    from markupsafe import Markup

    gettext = context.resolve("gettext")
    return Markup(mend_page(str(html), lambda text: context.call(gettext, text)))


def _builder_inited(app: Any) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        from jinja2 import pass_context

        environment.filters["smtpteach_a11y"] = pass_context(_filter)


def _page_labels(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    from .. import default_catalogue
    from . import _split_language

    lang, _ = _split_language(app, pagename)
    ui = default_catalogue().ui(lang=lang if lang in default_catalogue().languages else "en")
    context["metatags"] = context.get("metatags", "") + scroll_labels_meta(ui["site"]["scroll_labels"]) + "\n"


def setup(app: Any) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_labels)
    app.add_js_file(SCRIPT, defer="defer")
