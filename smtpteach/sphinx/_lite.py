"""A "Run this lesson in your browser" link on every lesson page.

The link opens the lesson in the site's own JupyterLite (built by
``tools/lite.py`` into the folder named by ``smtpteach_lite``, ``lite`` in the
project's conf.py): Python runs in the reader's browser, with nothing installed
and no server. It is a plain link under the page's title: the lesson page loads
nothing of JupyterLite until it is followed. A Vietnamese lesson opens its
Vietnamese notebook (``files/vi``), an English one its English notebook.

Only a lesson that runs whole in Pyodide gets the link (:func:`runs_in_browser`).
Pyodide has no sockets: there the lab's SMTP server (``smtpteach.lab``) runs in
memory, with the same dialogue, but a lesson that needs a real connection (TLS,
``smtplib``, a port) cannot run. It has no matplotlib either (neither PyPI nor
npm has matplotlib, numpy or pillow built for WebAssembly); the lessons' pictures
(``smtpteach.diagrams``) and the triage chart are SVG the package writes itself,
so they draw there as in a kernel.
A lesson that does not run there says so instead, in one sentence under its title
(``site.not_in_browser``): why (its lab needs real network connections) and how to
run it (``make lab``), rather than leaving the reader to wonder where the link went.
With ``smtpteach_lite`` empty (the default) no page gets the link or the sentence.
"""

from __future__ import annotations

import ast
import json
import re
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

#: a lesson's page name: lessons/<stem> or <lang>/lessons/<stem>
LESSON_PAGE = re.compile(r"(?:(?P<lang>[a-z]{2})/)?lessons/(?P<stem>[0-9]{2}-[a-z0-9-]+)")


#: what a lesson's code uses that Pyodide cannot run: a real connection (modules, the lab's TLS, a port) and matplotlib
NEEDS_MODULES = frozenset({"smtplib", "socket", "ssl", "aiosmtpd", "matplotlib"})
NEEDS_ATTRIBUTES = frozenset({"port", "starttls", "encrypted"})
NEEDS_KEYWORDS = frozenset({"tls"})


def _needs_more_than_pyodide(code: str) -> bool:
    """Whether a code cell imports one of NEEDS_MODULES, reads one of NEEDS_ATTRIBUTES or passes one of
    NEEDS_KEYWORDS (words in strings and comments do not count); a cell Python cannot parse counts."""
    code = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in NEEDS_MODULES for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in NEEDS_MODULES:
            return True
        if isinstance(node, ast.Attribute) and node.attr in NEEDS_ATTRIBUTES:
            return True
        if isinstance(node, ast.keyword) and node.arg in NEEDS_KEYWORDS:
            return True
    return False


def runs_in_browser(notebook: Path) -> bool:
    """Whether every code cell of a lesson can run in JupyterLite's Pyodide kernel."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return not any(_needs_more_than_pyodide("".join(c["source"])) for c in cells if c["cell_type"] == "code")


def lite_link(pagename: str, lite_root: str, default_lang: str) -> tuple[str, str] | None:
    """The link from a lesson page into JupyterLite, as (URL relative to the page, language),
    or None for a page that is not a lesson.

    >>> lite_link("lessons/03-second-digit", "../lite/", "en")
    ('../lite/notebooks/?path=en/03-second-digit.ipynb', 'en')
    >>> lite_link("vi/lessons/03-second-digit", "../../lite/", "en")
    ('../../lite/notebooks/?path=vi/03-second-digit.ipynb', 'vi')
    >>> lite_link("reference/codes/550", "../../lite/", "en") is None
    True
    """
    match = LESSON_PAGE.fullmatch(pagename)
    if not match:
        return None
    lang = match["lang"] or default_lang
    path = quote(f"{lang}/{match['stem']}.ipynb")
    return f"{lite_root.rstrip('/')}/notebooks/?path={path}", lang


def _add_link(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    folder = app.config.smtpteach_lite
    if not folder or "body" not in context or doctree is None:
        return
    found = lite_link(pagename, context["pathto"](folder.strip("/") + "/", 1), app.config.smtpteach_language)
    if found is None:
        return
    from .. import default_catalogue
    from .._templates import fill

    url, lang = found
    site = default_catalogue().ui(lang=lang)["site"]
    if runs_in_browser(app.env.doc2path(pagename)):
        link = (f'<p class="smtpteach-lite"><a class="reference external" href="{escape(url)}" '
                f'title="{escape(site["run_in_browser_hint"])}">{escape(site["run_in_browser"])}</a></p>')
    else:  # the lab needs a real connection (the only reason a lesson does not run there today): say so, and how
        said = fill(escape(site["not_in_browser"]), {"command": '<code class="docutils literal notranslate">make lab</code>'})
        link = f'<p class="smtpteach-no-lite">{said}</p>'
    body = context["body"]
    # under the title, after the link to the twin page when there is one
    twin = re.search(r'<p class="smtpteach-twin">.*?</p>', body, re.DOTALL)
    end = twin.end() if twin else body.find("</h1>") + 5 if "</h1>" in body else 0
    context["body"] = body[:end] + "\n" + link + body[end:]


def setup(app: Any) -> None:
    app.add_config_value("smtpteach_lite", "", "html", types=[str])
    # after the link to the twin page (smtpteach.sphinx._page_language, at 600)
    app.connect("html-page-context", _add_link, priority=650)
