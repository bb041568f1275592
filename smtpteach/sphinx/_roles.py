"""The ``smtp`` role and the ``smtp-entry`` and ``smtp-compare`` directives.

Directives build docutils nodes (definition lists, paragraphs, lists), never
HTML, so every builder can use them and every string stays text.

- ``{smtp}`550``` links to the code's reference page with its name as the
  tooltip (on a page under ``vi/``, the Vietnamese page and name). Where the
  project has no such page, it shows the code with the name as a tooltip.
- ``smtp-entry CODE`` embeds a catalogue entry; ``:part:`` picks one piece
  (summary, facts, description, when, fix) and ``:lang:`` the language. CODE
  may also be ``class:5``, ``category:2``, ``subject:7`` or ``enhanced-class:4``.
- ``smtp-compare A B`` embeds a comparison; ``:part:`` picks summary, a, b,
  differences, which or learn-more.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

logger = logging.getLogger(__name__)
ENTRY_PARTS = ("all", "summary", "facts", "description", "when", "fix")
COMPARE_PARTS = ("all", "summary", "a", "b", "differences", "which", "learn-more")
TOPIC_KINDS = {"class": "classes", "category": "categories", "subject": "subjects", "enhanced-class": "enhanced_classes"}


_CATALOGUES: dict[tuple[tuple[str, int, int], ...], Any] = {}


def codes_paths(env: Any) -> list[str]:
    """The teacher's codes files (``smtpteach_codes_files``) as paths under the source folder."""
    import os

    return [os.path.join(env.srcdir, p) for p in env.config.smtpteach_codes_files]


def catalogue(env: Any) -> Any:
    """The catalogue this build uses: the built-in one plus ``smtpteach_codes_files``.

    Kept in a module-level cache, not on the environment, which Sphinx pickles. The cache
    is keyed by each file's modification time and size as well as its path, so a process
    that builds again and again (sphinx-autobuild) reads a codes file again once it is
    edited. The page being read notes each codes file as a dependency: an edit of one
    makes Sphinx read again every page that showed something of the catalogue (the role,
    the directives), hand-written ones included.
    """
    import os

    paths = codes_paths(env)
    key = []
    for path in paths:
        try:
            stat = os.stat(path)
            key.append((path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            key.append((path, -1, -1))  # with_file() says what is wrong with it
    if tuple(key) not in _CATALOGUES:
        from sphinx.errors import ConfigError

        from smtpteach import SmtpTeachError, default_catalogue

        cat = default_catalogue()
        for path in paths:
            try:
                cat = cat.with_file(path)
            except SmtpTeachError as exc:
                # the teacher's mistake, said in one line (file, entry, field), not Sphinx's crash report
                raise ConfigError(str(exc)) from None
        _CATALOGUES.clear()  # an edited file's older catalogues are of no more use
        _CATALOGUES[tuple(key)] = cat
    if getattr(env, "docname", None):  # a page is being read
        for path in paths:
            env.note_dependency(path)
    return _CATALOGUES[tuple(key)]


def page_lang(env: Any) -> str:
    """The language of the page being read: the folder it is in ("vi/..."); for a page of the site's root, the
    site's language (``smtpteach_language``), except on the pages smtpteach generates, which are written in the
    catalogue's first language at the root whatever the site's is (a Vietnamese site's generated English pages link
    English pages, with English names)."""
    from ._pages import generated_docs

    docname = env.docname or ""
    languages = catalogue(env).languages
    for lang in languages:
        if docname.startswith(f"{lang}/"):
            return lang
    if docname in generated_docs(env.srcdir):
        return languages[0]
    return env.config.smtpteach_language


def code_docname(code: str, lang: str, env: Any) -> str:
    from smtpteach._urls import page_url

    return page_url(code, lang=lang)[: -len(".html")]


class smtp_reference(nodes.Inline, nodes.TextElement):
    """A code to link once all pages are known (resolved in doctree-resolved)."""


class SmtpRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        code = self.text.strip()
        cat = catalogue(self.env)
        entry = cat.get(code)
        if entry is None:
            msg = self.inliner.reporter.error(f"smtp role: {code!r} is not in the catalogue", line=self.lineno)
            return [nodes.problematic(self.rawtext, self.rawtext, refid=msg["ids"][0] if msg["ids"] else None)], [msg]
        lang = page_lang(self.env)
        node = smtp_reference(self.rawtext, "", nodes.literal(code, code))
        node["code"], node["key"], node["lang"] = code, entry.key, lang
        node["title"] = entry.name(lang=lang)
        return [node], []


def resolve_references(app: Any, doctree: nodes.document, fromdocname: str) -> None:
    for node in list(doctree.findall(smtp_reference)):
        target = code_docname(node["key"] if node["key"].startswith("X.") else node["code"], node["lang"], app.env)
        if target in app.env.found_docs:
            ref = nodes.reference("", "", internal=True, refuri=app.builder.get_relative_uri(fromdocname, target),
                                  reftitle=f"{node['code']} {node['title']}", classes=["smtp-code"])
        else:
            ref = nodes.abbreviation("", "", explanation=node["title"], classes=["smtp-code"])
        ref += node.children
        node.replace_self(ref)


def _para(text: str, classes: list[str] | None = None) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=classes or [])


class smtp_foreign(nodes.Inline, nodes.TextElement):
    """Words in another language than the page's (the registry's English title on a Vietnamese page): HTML marks them
    with their language, so that a screen reader speaks them in it."""


def _visit_foreign(self: Any, node: smtp_foreign) -> None:
    self.body.append(f'<span lang="{node["lang"]}">')


def _depart_foreign(self: Any, node: smtp_foreign) -> None:
    self.body.append("</span>")


def _pass(self: Any, node: Any) -> None:
    pass


def _facts(rows: list[tuple[str, str]], foreign: dict[str, str] | None = None) -> nodes.definition_list:
    """A definition list of (label, value) rows; the value of a label in ``foreign`` is in that language."""
    dl = nodes.definition_list(classes=["smtpteach-facts"])
    for label, value in rows:
        item = nodes.definition_list_item()
        item += nodes.term(label, label)
        definition = nodes.definition()
        if foreign and label in foreign:
            para = nodes.paragraph()
            para += smtp_foreign(value, value, lang=foreign[label])
            definition += para
        else:
            definition += _para(value)
        item += definition
        dl += item
    return dl


def _list(container: nodes.Element, items: list[tuple[nodes.Node, list[str]]]) -> nodes.Element:
    """Fill a bullet or enumerated list with (paragraph, classes) items."""
    for para, classes in items:
        item = nodes.list_item(classes=classes)
        item += para
        container += item
    return container


def _box(classes: list[str]) -> nodes.container:
    """A directive's container. Sphinx's smartquotes would curl the straight quotes of the catalogue's text (a
    teacher's own among it) on these pages only; the CLI, the widgets and the HTML renderer keep them as written, so
    the text a directive builds keeps them too."""
    box = nodes.container(classes=classes)
    box["support_smartquotes"] = False
    return box


class EntryDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"lang": directives.unchanged, "part": lambda arg: directives.choice(arg, ENTRY_PARTS)}

    def run(self) -> list[nodes.Node]:
        from smtpteach._templates import fill
        from smtpteach.render import entry_facts

        cat = catalogue(self.env)
        lang = self.options.get("lang") or page_lang(self.env)
        if lang not in cat.languages:
            raise self.error(f"smtp-entry: unknown language {lang!r}; use one of {', '.join(cat.languages)}")
        part = self.options.get("part", "all")
        arg = self.arguments[0].strip()
        ui = cat.ui(lang=lang)
        box = _box(["smtpteach-entry", f"smtpteach-part-{part}"])
        if ":" in arg:
            kind, _, digit = arg.partition(":")
            if kind not in TOPIC_KINDS or digit not in cat.topics[TOPIC_KINDS[kind]]:
                raise self.error(f"smtp-entry: {arg!r} is not a class, category, subject or enhanced class (e.g. class:5)")
            text = cat.text(TOPIC_KINDS[kind], digit, lang=lang)
            rows: list[tuple[str, str]] = [(ui["labels"]["references"], ", ".join(cat.topics[TOPIC_KINDS[kind]][digit].references))]
            summary = text.description
        else:
            entry = cat.get(arg)
            if entry is None:
                raise self.error(f"smtp-entry: {arg!r} is not in the catalogue")
            text = entry.text(lang=lang)
            rows = entry_facts(entry, lang=lang)
            t = ui["templates"]
            if entry.kind == "basic":
                cls = str(entry.reply_class)
                summary = fill(t["entry_summary"], {
                    "code": entry.key, "name": text.name, "status": ui["status"][entry.status],
                    "class_label": fill(t["class_label"], {"digit": cls, "class_name": cat.text("classes", cls, lang=lang).name}),
                })
            else:
                summary = fill(t["enhanced_entry_summary"], {
                    "code": entry.key, "name": text.name, "subject_digit": str(entry.subject),
                    "subject": cat.text("subjects", str(entry.subject), lang=lang).name,
                })
        if part in ("all", "summary"):
            box += _para(summary, ["smtpteach-summary"])
        if part in ("all", "facts"):
            # the registry's title is English whatever the page's language
            box += _facts(rows, {ui["labels"]["title"]: "en"} if lang != "en" else None)
        for key in ("description", "when", "fix"):
            if part == "all":
                box += nodes.rubric(ui["headings"][key], ui["headings"][key])
            if part in ("all", key):
                box += _para(getattr(text, key), [f"smtpteach-{key}"])
        return [box]


class CompareDirective(SphinxDirective):
    required_arguments = 2
    option_spec = {"lang": directives.unchanged, "part": lambda arg: directives.choice(arg, COMPARE_PARTS)}

    def run(self) -> list[nodes.Node]:
        from smtpteach import SmtpTeachError, compare

        cat = catalogue(self.env)
        lang = self.options.get("lang") or page_lang(self.env)
        part = self.options.get("part", "all")
        try:
            c = compare(self.arguments[0], self.arguments[1], lang=lang, catalogue=cat)
        except (SmtpTeachError, ValueError, LookupError) as exc:
            raise self.error(f"smtp-compare: {exc}") from None
        h = c.headings
        box = _box(["smtpteach-compare", f"smtpteach-part-{part}"])
        if part in ("all", "summary"):
            box += _para(c.summary, ["smtpteach-summary"])
        # one section per code, or one for both when they are one entry (4.2.2 and 5.2.2 are X.2.2): part "b" is then empty
        for which, section in zip(("a", "b"), c.sections):
            if part in ("all", which):
                if part == "all":
                    box += nodes.rubric(f"{section.code} {section.name}", f"{section.code} {section.name}")
                box += _facts([(h[key], getattr(section, key)) for key in ("description", "when", "fix")])
        if part in ("all", "differences"):
            if part == "all":
                box += nodes.rubric(h["differences"], h["differences"])
            box += _list(nodes.enumerated_list(enumtype="arabic", prefix="", suffix="."),
                         [(_para(d.text), ["smtpteach-similarity" if d.similarity else "smtpteach-difference"]) for d in c.differences])
        if part in ("all", "which"):
            if part == "all":
                box += nodes.rubric(h["which"], h["which"])
            box += _list(nodes.bullet_list(), [(_para(w), []) for w in c.when_to_use])
        if part in ("all", "learn-more"):
            if part == "all":
                box += nodes.rubric(h["learn_more"], h["learn_more"])
            items = []
            for code in [s.code for s in c.sections]:  # each entry's page once
                entry = cat.get(code)
                para = nodes.paragraph()
                ref = smtp_reference("", "", nodes.literal(code, code))
                ref["code"], ref["key"], ref["lang"], ref["title"] = code, entry.key, lang, entry.name(lang=lang)
                para += ref
                para += nodes.Text(" " + entry.name(lang=lang))
                items.append((para, []))
            for link in c.learn_more[len(c.sections):]:  # after each entry's own page, the references
                para = nodes.paragraph()
                para += nodes.reference(link.label, link.label, refuri=link.url)
                items.append((para, []))
            box += _list(nodes.bullet_list(), items)
        return [box]


def _check_codes_files(app: Any) -> None:
    """Read the codes files before any page: a mistake in one stops the build at once, with its message, not in the
    middle of reading (from a process of a parallel read)."""
    catalogue(app.env)


def setup(app: Any) -> None:
    app.connect("builder-inited", _check_codes_files)
    app.add_node(smtp_reference)
    app.add_node(smtp_foreign, html=(_visit_foreign, _depart_foreign), text=(_pass, _pass), latex=(_pass, _pass),
                 man=(_pass, _pass), texinfo=(_pass, _pass))
    app.add_role("smtp", SmtpRole())
    app.add_directive("smtp-entry", EntryDirective)
    app.add_directive("smtp-compare", CompareDirective)
    app.connect("doctree-resolved", resolve_references)
