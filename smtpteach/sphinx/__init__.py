"""The smtpteach Sphinx extension.

Add ``"smtpteach.sphinx"`` to ``extensions``. It

- serves the widget host (``smtpteach-widgets.js``) from the site itself and
  points myst-nb at it, so notebook widgets work with no kernel and no network
  (config ``smtpteach_offline_widgets``, default True);
- provides the ``smtp`` role and the ``smtp-entry`` and ``smtp-compare``
  directives (see :mod:`smtpteach.sphinx._roles`).

Config values are prefixed ``smtpteach_``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .._templates import fill

STATIC = Path(__file__).resolve().parent.parent / "static" / "site"
HOST_JS = "smtpteach-widgets.js"


def _offline_widgets(app: Any, config: Any) -> None:
    if not config.smtpteach_offline_widgets:
        return
    # myst-nb would load require.js and @jupyter-widgets/html-manager from CDNs;
    # our host renders smtpteach's (anywidget) widgets from the page's saved state.
    if hasattr(config, "nb_ipywidgets_js"):
        config.nb_ipywidgets_js = {HOST_JS: {"defer": "defer"}}


def _package_digest() -> str:
    """A digest of smtpteach's own code and data: pages that execute it must be
    rebuilt when it changes, even if their sources did not."""
    import hashlib

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".yaml", ".js", ".css"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _codes_digest(app: Any) -> str:
    """A digest of the teacher's codes files (``smtpteach_codes_files``): a notebook that
    makes its widgets from them runs again when one of them changes. (The pages that use
    the role or the directives note the files as dependencies as they are read.)"""
    import hashlib

    digest = hashlib.sha1()
    for name in app.config.smtpteach_codes_files:
        digest.update(str(name).encode() + b"\0")
        try:
            digest.update((Path(app.srcdir) / name).read_bytes())
        except OSError:
            digest.update(b"missing")
        digest.update(b"\0")
    return digest.hexdigest()


def _digest_file(app: Any) -> Path:
    return Path(app.doctreedir) / "smtpteach-package.digest"


def _outdated(app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
    path = _digest_file(app)
    previous = path.read_text() if path.exists() else None
    app._smtpteach_digest = f"{_package_digest()} {_codes_digest(app)}"
    if previous == app._smtpteach_digest:
        return []
    # every page that runs code (a notebook) or is generated from the catalogue
    return [doc for doc in env.found_docs
            if str(env.doc2path(doc)).endswith(".ipynb") or doc.startswith(("reference/", "compare/", "vi/"))]


def _remember_digest(app: Any, exception: Exception | None) -> None:
    digest = getattr(app, "_smtpteach_digest", None)
    if exception is None and digest:
        _digest_file(app).parent.mkdir(parents=True, exist_ok=True)
        _digest_file(app).write_text(digest)


def _generate(app: Any) -> None:
    if app.config.smtpteach_generate_pages:
        from ._pages import generate

        generate(app)


def site_language(language: str | None, languages: list[str]) -> str:
    """The catalogue language of a site whose Sphinx ``language`` is ``language``: its
    first part ("vi" of "vi_VN" or "vi-VN") when that is one of ``languages``, English
    otherwise. The default of ``smtpteach_language``, so that on a site written in
    Vietnamese the role and the directives speak Vietnamese without being told.

    >>> site_language("vi", ["en", "vi"]), site_language("vi_VN", ["en", "vi"]), site_language("VI-vn", ["en", "vi"])
    ('vi', 'vi', 'vi')
    >>> site_language("de", ["en", "vi"]), site_language(None, ["en", "vi"])
    ('en', 'en')
    """
    first = re.split(r"[_-]", language or "", maxsplit=1)[0].lower()
    return first if first in languages else "en"


def _default_language(config: Any) -> str:
    return site_language(getattr(config, "language", None), list(config.smtpteach_languages))


def _unlisted_as_orphans(app: Any, env: Any) -> None:
    if app.config.smtpteach_generate_pages:
        from ._pages import unlisted_as_orphans

        unlisted_as_orphans(app, env)


def _split_language(app: Any, docname: str) -> tuple[str, str]:
    """("vi", "reference/index") for "vi/reference/index"; the default language otherwise."""
    default, langs = app.config.smtpteach_language, app.config.smtpteach_languages
    head, _, rest = docname.partition("/")
    return (head, rest) if head in langs and head != default and rest else (default, docname)


def _page_language(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """<html lang> follows the page: vi/... pages are Vietnamese. A page with a
    twin in another language names it with <link rel="alternate" hreflang>.
    The previous and next links stay in the page's language."""
    from html import escape

    default, langs = app.config.smtpteach_language, app.config.smtpteach_languages
    lang, base = _split_language(app, pagename)
    if lang != default:
        context["language"] = lang
        _own_language_chrome(app, pagename, context, lang)
    # the HTML builder works the relations out once, before writing
    relations = (getattr(app.builder, "relations", None) or {}).get(pagename) or [None, None, None]
    for key, doc in (("prev", relations[1]), ("next", relations[2])):
        if context.get(key) and (doc is None or _split_language(app, doc)[0] != lang):
            context[key] = None
    found = app.env.found_docs
    twins = [(other, base if other == default else f"{other}/{base}") for other in langs if other != lang]
    twins = [(other, doc) for other, doc in twins if doc in found]
    links = [f'<link rel="alternate" hreflang="{escape(other)}" href="{escape(context["pathto"](doc))}" />'
             for other, doc in twins]
    if links:
        own = pagename.rsplit("/", 1)[-1] + app.builder.out_suffix  # pathto() would give "#" for the page itself
        links.append(f'<link rel="alternate" hreflang="{escape(lang)}" href="{escape(own)}" />')
        context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"
        if "body" in context:
            context["body"] = _with_language_switch(app, context, lang, twins)


def _with_language_switch(app: Any, context: dict, lang: str, twins: list[tuple[str, str]]) -> str:
    """The page's body with a link to each twin under its title: the one way across
    languages. The label is the page language's wording for the twin, which names
    the twin's language in that language ("Tiếng Việt: ..." on an English page)."""
    from html import escape

    from .. import default_catalogue
    from .._templates import fill

    cat = default_catalogue()
    parts = []
    for other, doc in twins:
        title = app.env.titles[doc].astext() if doc in app.env.titles else ""
        label = fill(cat.ui(lang=lang)["site"]["other_language"], {"title": title})
        parts.append(f'<a class="reference internal" href="{escape(context["pathto"](doc))}" hreflang="{escape(other)}" '
                     f'lang="{escape(other)}">{escape(label)}</a>')
    switch = f'<p class="smtpteach-twin">{" · ".join(parts)}</p>'
    body = context["body"]
    end = body.find("</h1>")
    return body[: end + 5] + "\n" + switch + body[end + 5:] if end >= 0 else switch + body


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def compact_script_json(body: str) -> str:
    r"""Widget state as myst-nb writes it into a page, written again with UTF-8 text and
    no spaces: JSON's default escapes spell every Vietnamese letter as six bytes
    (``\u1ec7``). What would end the script early or change how HTML reads it
    (``</`` and ``<!--``) stays escaped.

    >>> compact_script_json('{"a": "h\\u1ed9p th\\u01b0", "b": "<\\/script><!-- x"}')
    '{"a":"hộp thư","b":"<\\/script><\\u0021-- x"}'
    """
    import json

    data = json.loads(body)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _compact_widget_state(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    for script in context.get("script_files", ()):
        attributes = getattr(script, "attributes", None)
        if attributes and attributes.get("type") == WIDGET_STATE and attributes.get("body"):
            attributes["body"] = compact_script_json(attributes["body"])


def theme_gettext(table: dict[str, str]) -> Any:
    r"""A ``gettext`` for the theme's templates that looks strings up in ``table``
    (``theme_wording`` in the language's ui.yaml). Templates keep their own line
    breaks around a string, so it is looked up with its spaces collapsed and the
    spaces around it are kept. A string the table lacks stays as it is.

    >>> gettext = theme_gettext({"Back to top": "Lên đầu trang"})
    >>> gettext("Back to top"), gettext("  Back to\n top "), gettext("Error")
    ('Lên đầu trang', '  Lên đầu trang ', 'Error')
    """

    def gettext(message: str, **values: Any) -> str:
        key = " ".join(message.split())
        text = table.get(key)
        if text is None:
            text = message
        else:
            lead = message[: len(message) - len(message.lstrip())]
            trail = message[len(message.rstrip()):]
            text = lead + text + trail
        return text % values if values else text

    return gettext


# What the theme writes outside its gettext, on a page in a second language: the titles of its icons (the theme toggle's
# accessible name among them), Sphinx's own permalink titles, and the footer's "@pradyunsg's Furo"; a key of the
# language's theme_wording that starts with '<title>' or 'title="' is replaced where it stands, and "{author}'s
# {theme}" orders the footer's two links
_FOOTER = re.compile(r'(<a class="muted-link" href="https://pradyunsg\.me">@pradyunsg</a>)\'s\s*'
                     r'(<a href="https://github\.com/pradyunsg/furo">Furo</a>)')


def translate_rendered(html: str, wording: dict[str, str]) -> str:
    """``html``, a page the theme rendered, with the words no gettext reached in the language of ``wording``.

    >>> translate_rendered('<svg><title>Menu</title></svg><a title="Link to this heading">¶</a>',
    ...                    {"<title>Menu</title>": "<title>Trình đơn</title>",
    ...                     'title="Link to this heading"': 'title="Liên kết tới đề mục này"'})
    '<svg><title>Trình đơn</title></svg><a title="Liên kết tới đề mục này">¶</a>'
    """
    for english, text in wording.items():
        if english.startswith(("<title>", 'title="')) and english in html:
            html = html.replace(english, text)
    footer = wording.get("{author}'s {theme}")
    if footer is not None:
        html = _FOOTER.sub(lambda m: fill(footer, {"author": m.group(1), "theme": m.group(2)}), html)
    return html


def _render_in_page_language(app: Any) -> None:
    """The builder's renderer, wrapped so that a page in a second language gets translate_rendered()."""
    templates = getattr(app.builder, "templates", None)
    if templates is None or getattr(templates, "_smtpteach_wrapped", False):
        return
    from .. import default_catalogue

    render = templates.render
    default = app.config.smtpteach_language

    def rendered(name: str, context: dict) -> str:
        html = render(name, context)
        lang = context.get("language")
        if lang and lang != default and lang in default_catalogue().languages:
            html = translate_rendered(html, default_catalogue().ui(lang=lang)["theme_wording"])
        return html

    templates.render = rendered
    templates._smtpteach_wrapped = True


def _own_language_chrome(app: Any, pagename: str, context: dict, lang: str) -> None:
    """A page in a second language gets the theme in that language too: its
    strings (from ``theme_wording``) and the language's home page behind the site
    name; its sidebar is that language's pages only (``_sidebar.language_toctree``).
    Sphinx itself knows one language per build."""
    from .. import default_catalogue

    home = f"{lang}/index"
    if home not in app.env.found_docs:
        return
    wording = default_catalogue().ui(lang=lang)["theme_wording"]
    context["gettext"] = theme_gettext(wording)
    context["master_doc"] = context["root_doc"] = home
    if getattr(app.builder, "search", False):
        # the search box leads to the language's own search page
        pathto, search = context["pathto"], f"{lang}/search"
        context["pathto"] = lambda name, *args, **kwargs: pathto(
            search if name == "search" and not args and not kwargs else name, *args, **kwargs)
        # the search page's messages, and "Hide Search Matches" on a page opened from it
        app.add_js_file(None, body=_search_translations(wording, lang))


# Sphinx's search scripts say these through Documentation.gettext; the one it
# counts with ngettext is keyed here by its plural, which holds the count.
_SEARCH_MESSAGES = (
    "Search Results", "Searching", "Preparing search...", ", in ", "Hide Search Matches",
    "Your search did not match any documents. Please make sure that all words are spelled "
    "correctly and that you've selected enough categories.",
)
_SEARCH_COUNTED = {
    "Search finished, found ${resultCount} pages matching the search query.":
        "Search finished, found one page matching the search query.",
}


def _search_translations(wording: dict[str, str], lang: str) -> str:
    """A script that gives Sphinx's search scripts their messages in ``lang``. One form
    serves every count (the count is in the sentence), as in Vietnamese."""
    import json

    messages: dict[str, Any] = {m: wording[m] for m in _SEARCH_MESSAGES if m in wording}
    messages.update({one: [wording[many]] for many, one in _SEARCH_COUNTED.items() if many in wording})
    # What Documentation.addTranslations does, but for its plural rule, which it compiles with
    # new Function: a page served with script-src 'self' refuses that (and so the whole call).
    # </ cannot close the script early, whatever the wording holds
    return ("Object.assign(Documentation.TRANSLATIONS, " + json.dumps(messages, ensure_ascii=False).replace("</", "<\\/")
            + ");\nDocumentation.PLURAL_EXPR = () => 0;\nDocumentation.LOCALE = " + json.dumps(lang) + ";\n")


def _language_search_pages(app: Any) -> list[tuple[str, dict, str]]:
    """A search page per second language (``vi/search.html``), in that language."""
    if not getattr(app.builder, "search", False):
        return []
    default = app.config.smtpteach_language
    return [(f"{lang}/search", {}, "search.html") for lang in app.config.smtpteach_languages
            if lang != default and f"{lang}/index" in app.env.found_docs]


# smtpteach's overrides of furo's templates (base.html: the theme's inline script as a static file,
# _widgets.py; page.html and search.html: the page mended for screen readers, _a11y.py)
THEME_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _site_files(app: Any, config: Any) -> None:
    """Our static files (the widget host, the search scorer, the accessibility script) and,
    under furo, our theme templates: each folder once in its path."""
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]
    if config.html_theme == "furo" and str(THEME_TEMPLATES) not in map(str, config.templates_path):
        config.templates_path = [*config.templates_path, str(THEME_TEMPLATES)]


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("smtpteach_offline_widgets", True, "html", types=[bool])
    app.add_config_value("smtpteach_generate_pages", False, "env", types=[bool])
    app.add_config_value("smtpteach_codes_files", [], "env", types=[list])
    app.add_config_value("smtpteach_languages", ["en", "vi"], "env", types=[list])
    # the page language of a page outside the second languages' folders: Sphinx's own language, by default
    app.add_config_value("smtpteach_language", _default_language, "env", types=[str])
    app.connect("builder-inited", _generate)
    app.connect("builder-inited", _render_in_page_language)
    from . import _sidebar

    app.connect("env-updated", _sidebar.forget)
    app.connect("env-updated", _unlisted_as_orphans)
    from ._pages import straight_quotes_transform

    app.add_transform(straight_quotes_transform())  # a generated page's headings keep the catalogue's straight quotes
    # the sidebar's tree is handed to the theme before its own handler (furo's, at the default 500)
    # draws the sidebar from it; the page's language and widget state are mended after it
    app.connect("html-page-context", _sidebar.language_toctree, priority=400)
    app.connect("html-page-context", _page_language, priority=600)
    app.connect("html-page-context", _compact_widget_state, priority=600)
    app.connect("html-collect-pages", _language_search_pages)
    app.connect("config-inited", _offline_widgets, priority=900)
    app.connect("config-inited", _site_files)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _remember_digest)
    from . import _roles, _search, _widgets

    _roles.setup(app)
    _search.setup(app)
    _widgets.setup(app)  # shared widget data, static modules, no inline scripts, stable model ids
    from . import _a11y

    _a11y.setup(app)  # the theme's pages mended for screen readers and the keyboard
    from . import _lite

    _lite.setup(app)  # "Run this lesson in your browser": a link into the site's JupyterLite
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
