"""The widgets on the site's pages: shared data loaded once, no inline code, the same bytes every build.

myst-nb saves the state of every widget a notebook made in its page. An anywidget's state
carries its front-end module (``_esm``), its stylesheet (``_css``) and, for smtpteach's
widgets, its data (``_data``: much of the catalogue, and the UI wording). As each page is
written this module

- writes the module as a static classic script that registers it with the widget host
  (``_static/smtpteach/compare.<hash>.js``) and the stylesheet as a static file: nothing is
  evaluated from a string, so the widgets work under ``script-src 'self'`` and from
  ``file://``. The state keeps a reference to each;
- replaces each part of ``_data`` that every widget of a language shares (the catalogue's
  facts and prose, each section of the UI wording) by a reference into one data file per
  language (``_static/smtpteach/data-en.<hash>.js``), loaded with ``<script src>`` and
  cached across pages. The page keeps what is its own: a quiz's questions, a widget made
  from a teacher's own catalogue;
- gives each model an id derived from the page name and the model's content, in place of
  the kernel's random one (in the state, in the references between models and in the
  view tags), so two builds of the same commit write the same bytes;
- moves every inline script of the page (an extension's, Sphinx's translations, and those the
  theme's templates write, such as the basic theme's search box) into a static file, so a site
  served with a strict Content-Security-Policy runs all of them.

The host (``smtpteach-widgets.js``) puts the shared parts back before it calls the
module's ``render``. In a live kernel none of this happens: the kernel sends the whole state.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SHARED = "smtpteach:shared"  # {"smtpteach:shared": part id}: a part of _data in the language's data file
MODULE = "smtpteach:module"  # _esm as {"smtpteach:module": key}: the module registered under key
STYLE = "smtpteach:style"  # _css as {"smtpteach:style": file}: the stylesheet the page links
FOLDER = "smtpteach"  # under _static
KINDS = ("compare", "explorer", "explain", "quiz")
LATER = "smtpteach:later"  # {"smtpteach:later": file}: a part of _data loaded from its own file when asked
# parts of _data that belong to one widget, never shared: the quiz's own questions
OWN_PARTS = frozenset({"quiz"})
# parts of _data that only a reader who types needs: the explainer's second tier of rules (reasons-known.yaml)
# and its reason model, a file of their own that the page loads after it is ready, and only if an ExplainWidget asks
LATER_PARTS = frozenset({"later"})
# A page whose widgets would take less than this from the data file keeps it in its own
# state (the quiz needs only its wording): its first visit does not load the whole file.
INLINE_BELOW = 16 * 1024

_EXPORT_DEFAULT = re.compile(r"^export default ", re.M)
_IMPORT = re.compile(r"""^\s*import\s*[\w{*'"]""", re.M)
_OTHER_EXPORT = re.compile(r"^\s*export\s+(?!default )", re.M)
_MODEL_REF = re.compile(r"^IPY_MODEL_[0-9A-Za-z_-]+$")
_VIEW = re.compile(r'(<script type="application/vnd\.jupyter\.widget-view\+json">)(.*?)(</script>)', re.S)
_EXECUTABLE = {None, "", "text/javascript", "application/javascript", "module"}


def canonical(value: Any) -> str:
    """JSON with sorted keys and no spaces: equal values give equal text.

    >>> canonical({"b": [1, "hộp"], "a": None})
    '{"a":null,"b":[1,"hộp"]}'
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(text: str, size: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]


def classic_script(module: str, key: str) -> str:
    r"""A widget's ES module as a classic script that registers its default export as
    ``self.smtpteachModules[key]``: the module's own text, inside a strict function (so
    its top-level names stay its own), with ``export default`` made an assignment.
    A module that imports, or exports anything else, cannot be one: ValueError.

    >>> print(classic_script("const x = 1;\nexport default { x };\n", "m.1"))
    // Made by the smtpteach docs build from a widget module: do not edit.
    (function () {
    "use strict";
    const x = 1;
    (self.smtpteachModules || (self.smtpteachModules = {}))["m.1"] = { x };
    })();
    <BLANKLINE>
    >>> classic_script("import x from './x.js';\nexport default x;", "m.2")
    Traceback (most recent call last):
    ...
    ValueError: widget module m.2 imports other modules: it cannot run as a static script
    """
    if _IMPORT.search(module):
        raise ValueError(f"widget module {key} imports other modules: it cannot run as a static script")
    if _OTHER_EXPORT.search(module):
        raise ValueError(f"widget module {key} has exports other than 'export default': it cannot run as a static script")
    if len(_EXPORT_DEFAULT.findall(module)) != 1:
        raise ValueError(f"widget module {key} needs exactly one line starting 'export default '")
    register = f"(self.smtpteachModules || (self.smtpteachModules = {{}}))[{json.dumps(key)}] = "
    body = _EXPORT_DEFAULT.sub(register, module)
    return ("// Made by the smtpteach docs build from a widget module: do not edit.\n"
            f'(function () {{\n"use strict";\n{body.rstrip()}\n}})();\n')


def data_script(lang: str, parts: dict[str, Any]) -> str:
    """The language's shared widget data as a classic script that adds its parts,
    by id, to ``self.smtpteachShared``. The data is a JSON string for JSON.parse, which
    reads a large object faster than the same object written as script."""
    text = canonical(parts).replace("\\", "\\\\").replace("'", "\\'")
    return (f"// The widget data every page in {lang} shares, made by the smtpteach docs build: do not edit.\n"
            f"Object.assign(self.smtpteachShared || (self.smtpteachShared = {{}}), JSON.parse('{text}'));\n")


def later_script(name: str, text: str) -> str:
    """A part of a widget's data loaded when asked, as a classic script that adds it to
    ``self.smtpteachLater`` under its own file name (the host waits for that name)."""
    body = text.replace("\\", "\\\\").replace("'", "\\'")
    return (f"// Widget data loaded when a widget asks for it, made by the smtpteach docs build: do not edit.\n"
            f"(self.smtpteachLater || (self.smtpteachLater = {{}}))[{json.dumps(name)}] = JSON.parse('{body}');\n")


def write_once(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless it holds it already; whole or not at all, as
    pages written in parallel may write the same file."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


class SiteWidgets:
    """What every page of one build shares: the module texts of smtpteach's widgets, and
    per language the parts of ``_data`` that every widget of that language carries."""

    def __init__(self) -> None:
        from .. import default_catalogue, widgets

        self.kinds = {widgets._module(kind): kind for kind in KINDS}
        self.parts: dict[str, dict[str, Any]] = {}
        makers = (widgets.CompareWidget, widgets.ExplorerWidget, widgets.ExplainWidget, widgets.QuizWidget)
        for lang in default_catalogue().languages:
            parts: dict[str, Any] = {}
            for maker in makers:
                for key, value in maker(lang=lang)._data.items():
                    if key in LATER_PARTS:
                        continue
                    if key == "ui":
                        parts.update({_digest(canonical(v), 12): v for v in value.values()})
                    elif key not in OWN_PARTS:
                        parts[_digest(canonical(value), 12)] = value
            self.parts[lang] = dict(sorted(parts.items()))
        self.data_files = {lang: (f"{FOLDER}/data-{lang}.{_digest(data_script(lang, parts))}.js", data_script(lang, parts))
                           for lang, parts in self.parts.items()}
        self.later_files: dict[str, str] = {}  # file under _static -> its text

    def module_file(self, module: str, widget: Any = None) -> tuple[str, str, str] | None:
        """(key, file under _static, its text) for a module; None if it cannot be a classic script.
        The key names the widget ("smtpteach.widgets.QuizWidget" gives "quiz") and the module's content."""
        name = self.kinds.get(module)
        if name is None and isinstance(widget, str) and widget.startswith("smtpteach.widgets."):
            name = widget.rsplit(".", 1)[1].removesuffix("Widget").lower()
        key = f"{name or 'module'}.{_digest(module)}"
        try:
            return key, f"{FOLDER}/{key}.js", classic_script(module, key)
        except ValueError:
            return None

    def split(self, data: Any, lang: Any) -> tuple[Any, int]:
        """``data`` with each shared part (a top-level value, or a section of ``ui``) replaced
        by a reference to it, and the bytes of JSON so replaced."""
        parts = self.parts.get(lang) if isinstance(lang, str) else None
        if not parts or not isinstance(data, dict):
            return data, 0
        used = 0

        def ref(value: Any) -> Any:
            nonlocal used
            if isinstance(value, (dict, list)):
                text = canonical(value)
                pid = _digest(text, 12)
                if pid in parts:
                    used += len(text.encode("utf-8"))
                    return {SHARED: pid}
            return value

        out = {}
        for key, value in data.items():
            if key in OWN_PARTS:
                out[key] = value
            elif key in LATER_PARTS:
                text = canonical(value)
                name = f"{FOLDER}/later.{_digest(text)}.js"
                self.later_files[name] = later_script(name, text)
                used += len(text.encode("utf-8"))
                out[key] = {LATER: name}
            elif key == "ui" and isinstance(value, dict):
                out[key] = {section: ref(v) for section, v in value.items()}
            else:
                out[key] = ref(value)
        return out, used


def model_ids(pagename: str, state: dict[str, Any]) -> dict[str, str]:
    """A new id for each model, from the page name and the model's content with its
    references to other models left out; equal models on one page are told apart by
    their order. The kernel's ids are random, so they cannot take part.

    >>> a = {"model_name": "LayoutModel", "state": {}}
    >>> ids = model_ids("lessons/x", {"f00": a, "ba1": {"state": {"layout": "IPY_MODEL_f00"}}, "c0c": a})
    >>> len(set(ids.values()))
    3
    >>> again = model_ids("lessons/x", {"7e5": a, "d1d": {"state": {"layout": "IPY_MODEL_7e5"}}, "b0b": a})
    >>> list(again.values()) == list(ids.values()), list(model_ids("lessons/y", {"f00": a}).values()) == [ids["f00"]]
    (True, False)
    """

    def blank(value: Any) -> Any:
        if isinstance(value, str) and _MODEL_REF.match(value):
            return "IPY_MODEL_"
        if isinstance(value, list):
            return [blank(v) for v in value]
        if isinstance(value, dict):
            return {k: blank(v) for k, v in value.items()}
        return value

    seen: dict[str, int] = {}
    ids = {}
    for old, model in state.items():
        text = canonical(blank(model))
        n = seen[text] = seen.get(text, -1) + 1
        ids[old] = hashlib.sha1(f"{pagename}\n{text}\n{n}".encode()).hexdigest()[:32]  # as long as the kernel's
    return ids


def _renamed(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and _MODEL_REF.match(value):
        old = value[len("IPY_MODEL_"):]
        return "IPY_MODEL_" + ids.get(old, old)
    if isinstance(value, list):
        return [_renamed(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, ids) for k, v in value.items()}
    return value


def _site(app: Any) -> SiteWidgets | None:
    if not app.config.smtpteach_offline_widgets or getattr(app.builder, "format", None) != "html":
        return None
    site = getattr(app, "_smtpteach_site_widgets", None)
    if site is None:
        site = app._smtpteach_site_widgets = SiteWidgets()
    return site


def _builder_inited(app: Any) -> None:
    _site(app)  # made once here, before the pages are written (by other processes, with -j)


def page_widgets(app: Any, pagename: str, context: dict, site: SiteWidgets) -> None:
    """Rewrite the page's widget state and view tags, and link the files they now need."""
    from . import compact_script_json

    scripts = context.get("script_files", ())
    tag = next((s for s in scripts if getattr(s, "attributes", {}).get("type") == WIDGET_STATE
                and s.attributes.get("body")), None)
    if tag is None:
        return
    saved = json.loads(tag.attributes["body"])
    state = saved.get("state") or {}
    ids = model_ids(pagename, state)
    static = Path(app.outdir) / "_static"
    files: dict[str, None] = {}  # scripts to load before the host, in order
    styles: dict[str, None] = {}
    data_langs: dict[str, None] = {}
    new_state = {}
    for old, model in state.items():
        model = _renamed(model, ids)
        values = model.get("state")
        if model.get("model_name") == "AnyModel" and isinstance(values, dict):
            values = dict(values)
            if isinstance(values.get("_esm"), str) and (made := site.module_file(values["_esm"], values.get("_anywidget_id"))):
                key, name, text = made
                write_once(static / name, text)
                values["_esm"] = {MODULE: key}
                files[name] = None
            if isinstance(values.get("_css"), str) and values["_css"]:
                name = f"{FOLDER}/widgets.{_digest(values['_css'])}.css"
                write_once(static / name, values["_css"])
                values["_css"] = {STYLE: name}
                styles[name] = None
            split, shared = site.split(values.get("_data"), values.get("lang"))
            if shared >= INLINE_BELOW:
                values["_data"] = split
                data_langs[values["lang"]] = None
                for key in LATER_PARTS & split.keys():
                    write_once(static / split[key][LATER], site.later_files[split[key][LATER]])
            model = {**model, "state": values}
        new_state[ids[old]] = model
    saved["state"] = new_state
    tag.attributes["body"] = compact_script_json(json.dumps(saved, ensure_ascii=False))

    def view(m: re.Match) -> str:
        try:
            spec = json.loads(m.group(2))
        except ValueError:
            return m.group(0)
        if isinstance(spec, dict) and spec.get("model_id") in ids:
            spec["model_id"] = ids[spec["model_id"]]
            return m.group(1) + compact_script_json(json.dumps(spec)) + m.group(3)
        return m.group(0)

    if "body" in context:
        context["body"] = _VIEW.sub(view, context["body"])
    for lang in data_langs:
        name, text = site.data_files[lang]
        write_once(static / name, text)
        app.add_js_file(name, priority=400, defer="defer")
    for name in files:
        app.add_js_file(name, priority=410, defer="defer")
    for name in styles:
        app.add_css_file(name, priority=600)


def external_scripts(app: Any, context: dict) -> None:
    """Every inline script Sphinx would write into the page (an extension's ``body``)
    goes to a static file of its own, named by its content; JSON data blocks stay."""
    scripts = context.get("script_files")
    if not scripts:
        return
    static = Path(app.outdir) / "_static"
    for i, script in enumerate(list(scripts)):
        attributes = getattr(script, "attributes", None) or {}
        body = attributes.get("body")
        if getattr(script, "filename", None) or not body or attributes.get("type") not in _EXECUTABLE:
            continue
        name = f"{FOLDER}/inline.{_digest(body)}.js"
        write_once(static / name, body if body.endswith("\n") else body + "\n")
        rest = {k: v for k, v in attributes.items() if k != "body"}
        scripts.remove(script)
        app.add_js_file(name, priority=script.priority, **rest)


# -- inline scripts the theme's templates write ----------------------------------------------------------
# A theme writes scripts of its own into the page, outside script_files: the basic theme (and alabaster, and
# others built on it) shows its search box with one. Under script-src 'self' each is a violation and does not
# run (the search box stays hidden). Each classic script left in the page as the theme rendered it moves to a
# static file named by its content, loaded by a <script src> where it stood, so it still runs at the same point.

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)


def inline_scripts_to_files(html: str, write: Any, url: Any) -> str:
    r"""``html`` with each inline classic script (no ``src``, no type, or a JavaScript type) replaced by one that
    loads ``url(name)``, after ``write(name, text)`` wrote its text under ``_static``. Data blocks (a widget's
    state, JSON) and modules (whose imports are resolved from the page's address) stay as they are.

    >>> written = {}
    >>> inline_scripts_to_files('<p>x</p><script>show("box")</script><script type="application/json">{}</script>',
    ...                         written.__setitem__, lambda name: "../_static/" + name)
    '<p>x</p><script src="../_static/smtpteach/inline.7741bebcfb.js"></script><script type="application/json">{}</script>'
    >>> written
    {'smtpteach/inline.7741bebcfb.js': 'show("box")\n'}
    """

    def move(m: re.Match) -> str:
        attrs, body = m.group("attrs") or "", m.group("body")
        typed = _TYPE.search(attrs)
        kind = next((g for g in typed.groups() if g is not None), "").strip().lower() if typed else None
        if _SRC.search(attrs) or not body.strip() or kind not in _EXECUTABLE or kind == "module":
            return m.group(0)
        name = f"{FOLDER}/inline.{_digest(body)}.js"
        write(name, body if body.endswith("\n") else body + "\n")
        return f'<script{attrs} src="{url(name)}"></script>'

    return _INLINE_SCRIPT.sub(move, html)


def _render_without_inline_scripts(app: Any) -> None:
    """The builder's renderer, wrapped so that every HTML page it renders leaves its inline scripts in files."""
    templates = getattr(app.builder, "templates", None)
    if templates is None or getattr(app.builder, "format", None) != "html" or getattr(templates, "_smtpteach_scripts", False):
        return
    render = templates.render
    static = Path(app.outdir) / "_static"

    def rendered(name: str, context: dict) -> str:
        html = render(name, context)
        pathto = context.get("pathto") if isinstance(context, dict) else None
        if pathto is None or not name.endswith(".html"):
            return html
        from html import escape

        return inline_scripts_to_files(html, lambda file, text: write_once(static / file, text),
                                       lambda file: escape(pathto(f"_static/{file}", 1)))

    templates.render = rendered
    templates._smtpteach_scripts = True


# -- pictures written into stylesheets ---------------------------------------------------
# The theme draws its icons (search, external links, admonitions) from data: URLs in its
# stylesheet. default-src 'self' refuses data: pictures: the icons vanish and the browser
# reports each one. Each becomes a file beside the stylesheets. A page opened from disk
# (file://) cannot use a picture file as a CSS mask, though, so the stylesheet keeps the
# data: URLs too, in rules that apply only there: the theme script marks such a page
# with <html data-smtpteach-file>, and a served page never asks for those pictures.

_DATA_URL = re.compile(r"""url\(\s*(?:'(data:image/[^']*)'|"(data:image/[^"]*)"|(data:image/[^)'"\s]*))\s*\)""")
_EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/gif": "gif", "image/jpeg": "jpg", "image/webp": "webp"}
FILE_MARK = "data-smtpteach-file"
MARK_FILE_PAGES = 'if (location.protocol === "file:") document.documentElement.setAttribute("data-smtpteach-file", "");\n'


def data_url_bytes(url: str) -> tuple[str, bytes] | None:
    """(extension, bytes) of a ``data:image/...`` URL; None for a type we do not write.

    >>> data_url_bytes("data:image/svg+xml;charset=utf-8,%3Csvg/%3E")
    ('svg', b'<svg/>')
    >>> data_url_bytes("data:image/png;base64,iVBO")
    ('png', b'\\x89PN')
    """
    import base64
    from urllib.parse import unquote_to_bytes

    head, _, payload = url[len("data:"):].partition(",")
    mime, *params = head.split(";")
    if mime not in _EXTENSIONS:
        return None
    data = base64.b64decode(payload) if "base64" in params else unquote_to_bytes(payload)
    return _EXTENSIONS[mime], data


def _selectors(text: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    return [*parts, text[start:].strip()]


def without_data_pictures(css: str, sheet: Path, static: Path) -> tuple[str, dict[Path, bytes]]:
    r"""``css`` with each data: picture as a file under ``static``/smtpteach, and the rules
    that held one again at the end, with their data: URLs, for ``html[data-smtpteach-file]``;
    and the files to write.

    >>> css, files = without_data_pictures(
    ...     'a,b:is(p,q){color:red;--i:url("data:image/svg+xml,%3Csvg/%3E")}', Path("s/styles/x.css"), Path("s"))
    >>> print(css)
    a,b:is(p,q){color:red;--i:url("../smtpteach/picture.1c3ba3b813.svg")}
    /* smtpteach: the pictures again as data: URLs, for pages opened from disk */
    html[data-smtpteach-file] a,html[data-smtpteach-file] b:is(p,q){--i:url("data:image/svg+xml,%3Csvg/%3E")}
    <BLANKLINE>
    >>> files
    {PosixPath('s/smtpteach/picture.1c3ba3b813.svg'): b'<svg/>'}
    """
    files: dict[Path, bytes] = {}
    again: list[str] = []

    def to_file(m: re.Match) -> str:
        url = m.group(1) or m.group(2) or m.group(3)
        found = data_url_bytes(url)
        if found is None:
            return m.group(0)
        ext, data = found
        target = static / FOLDER / f"picture.{hashlib.sha1(data).hexdigest()[:10]}.{ext}"
        files[target] = data
        opening = css.rfind("{", 0, m.start())
        selector = css[max(css.rfind(c, 0, opening) for c in "{};") + 1:opening]
        start = max(css.rfind(";", opening, m.start()), opening) + 1
        ends = [i for i in (css.find(";", m.end()), css.find("}", m.end())) if i >= 0]
        declaration = css[start:min(ends)].strip()
        prefixed = ",".join(f"html[{FILE_MARK}] {sel}" for sel in _selectors(selector))
        again.append(f"{prefixed}{{{declaration}}}")
        return f'url("{os.path.relpath(target, sheet.parent).replace(os.sep, "/")}")'

    new = _DATA_URL.sub(to_file, css)
    if again:
        new = new.rstrip("\n") + "\n/* smtpteach: the pictures again as data: URLs, for pages opened from disk */\n" + "\n".join(again) + "\n"
    return new, files


def stylesheet_pictures(static: Path) -> None:
    """Move every data: picture of the stylesheets under ``static`` into a file of its own."""
    for sheet in sorted(static.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")
        if "data:image/" not in text or f"html[{FILE_MARK}]" in text:
            continue
        new, files = without_data_pictures(text, sheet, static)
        for target, data in files.items():
            if not target.exists() or target.read_bytes() != data:
                target.parent.mkdir(parents=True, exist_ok=True)
                part = target.with_name(f".{target.name}.{os.getpid()}.part")
                part.write_bytes(data)
                os.replace(part, target)
        if new != text:
            write_once(sheet, new)


def reference_folders(found_docs: Any, languages: Any) -> list[str]:
    """The folders of code pages a site has, as the widgets' links name them (``reference/codes/``,
    ``vi/reference/enhanced/``): a site built without generated pages has none.

    >>> reference_folders({"index", "reference/codes/550", "vi/reference/enhanced/X.1.1"}, ["en", "vi"])
    ['reference/codes/', 'vi/reference/enhanced/']
    """
    from smtpteach._urls import lang_prefix

    folders = [f"{lang_prefix(lang)}reference/{kind}/" for lang in languages for kind in ("codes", "enhanced")]
    return [folder for folder in folders if any(doc.startswith(folder) for doc in found_docs)]


def pages_meta(app: Any, context: dict) -> None:
    """A page with widgets names the folders of code pages the site has: the comparison widget links a code's page
    only where there is one (its "Learn more"), as the role does."""
    scripts = context.get("script_files", ())
    if not any(getattr(s, "attributes", {}).get("type") == WIDGET_STATE for s in scripts):
        return
    from html import escape

    from ._roles import catalogue

    folders = reference_folders(app.env.found_docs, catalogue(app.env).languages)
    context["metatags"] = context.get("metatags", "") + f'<meta name="smtpteach-pages" content="{escape(" ".join(folders))}" />\n'


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if getattr(app.builder, "format", None) == "html":
        pages_meta(app, context)
    site = _site(app)
    if site is not None:
        page_widgets(app, pagename, context, site)
    if getattr(app.builder, "format", None) == "html":
        external_scripts(app, context)
        if not getattr(app, "_smtpteach_pictures", False):
            # the static files are in place before the first page is written; each process
            # that writes pages does this before its first page links a stylesheet
            stylesheet_pictures(Path(app.outdir) / "_static")
            app._smtpteach_pictures = True
        theme = _theme_script(app)
        if theme:
            context["smtpteach_theme_script"] = theme


# -- the theme's inline script ----------------------------------------------------------
# Furo starts <body> with an inline script that applies the reader's light or dark choice
# before the page is drawn. Under script-src 'self' it is blocked: the page flashes in the
# default colours until furo.js applies the choice, and the browser reports a violation.
# The same script text, moved to a static file that our base.html loads at the same place.

_THEME_SCRIPT = re.compile(r"{%\s*block body\s*%}\s*<script>(.*?)</script>\s*{%\s*endblock\s*%}", re.S)


def furo_inline_script() -> str | None:
    """The script furo's base.html writes at the start of every page's body, or None."""
    try:
        import furo
    except ImportError:
        return None
    base = Path(furo.__file__).resolve().parent / "theme" / "furo" / "base.html"
    try:
        found = _THEME_SCRIPT.search(base.read_text(encoding="utf-8"))
    except OSError:
        return None
    return found and "\n".join(line.strip() for line in found.group(1).strip().splitlines()) + "\n"


def _theme_script(app: Any) -> str | None:
    """The static file (under _static) that holds furo's inline script, written once per process."""
    if app.config.html_theme != "furo":
        return None
    if not hasattr(app, "_smtpteach_theme_script"):
        script, name = furo_inline_script(), None
        if script:
            script += MARK_FILE_PAGES
            name = f"{FOLDER}/theme.{_digest(script)}.js"
            write_once(Path(app.outdir) / "_static" / name, script)
        app._smtpteach_theme_script = name
    return app._smtpteach_theme_script


def setup(app: Any) -> None:
    from . import _streams

    _streams.setup(app)  # printed output, the same at every build
    app.connect("builder-inited", _builder_inited)
    app.connect("builder-inited", _render_without_inline_scripts)
    # after _page_language (600), whose translations for the search scripts are inline
    app.connect("html-page-context", _page_context, priority=650)
