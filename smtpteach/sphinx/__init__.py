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

from pathlib import Path
from typing import Any

STATIC = Path(__file__).resolve().parent.parent / "static" / "site"
HOST_JS = "smtpteach-widgets.js"


def _offline_widgets(app: Any, config: Any) -> None:
    if not config.smtpteach_offline_widgets:
        return
    config.html_static_path = [*config.html_static_path, str(STATIC)]
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


def _digest_file(app: Any) -> Path:
    return Path(app.doctreedir) / "smtpteach-package.digest"


def _outdated(app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
    path = _digest_file(app)
    previous = path.read_text() if path.exists() else None
    app._smtpteach_digest = _package_digest()
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


def _page_language(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """<html lang> follows the page: vi/... pages are Vietnamese. A page with a
    twin in another language names it with <link rel="alternate" hreflang>."""
    from html import escape

    default, langs = app.config.smtpteach_language, app.config.smtpteach_languages
    head, _, rest = pagename.partition("/")
    lang, base = (head, rest) if head in langs and head != default and rest else (default, pagename)
    if lang != default:
        context["language"] = lang
    found = app.env.found_docs
    twins = [(other, base if other == default else f"{other}/{base}") for other in langs if other != lang]
    links = [f'<link rel="alternate" hreflang="{escape(other)}" href="{escape(context["pathto"](doc))}" />'
             for other, doc in twins if doc in found]
    if links:
        own = pagename.rsplit("/", 1)[-1] + app.builder.out_suffix  # pathto() would give "#" for the page itself
        links.append(f'<link rel="alternate" hreflang="{escape(lang)}" href="{escape(own)}" />')
        context["metatags"] = context.get("metatags", "") + "\n".join(links) + "\n"


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("smtpteach_offline_widgets", True, "html", types=[bool])
    app.add_config_value("smtpteach_generate_pages", False, "env", types=[bool])
    app.add_config_value("smtpteach_codes_files", [], "env", types=[list])
    app.add_config_value("smtpteach_language", "en", "env", types=[str])
    app.add_config_value("smtpteach_languages", ["en", "vi"], "env", types=[list])
    app.connect("builder-inited", _generate)
    app.connect("html-page-context", _page_language)
    app.connect("config-inited", _offline_widgets, priority=900)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _remember_digest)
    from . import _roles

    _roles.setup(app)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
