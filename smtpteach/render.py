"""Turn domain objects into text, Markdown or HTML.

``text``, ``markdown`` and ``html`` each take a catalogue entry, a
:class:`~smtpteach.Comparison`, an :class:`~smtpteach.Explanation` or a
:class:`~smtpteach.Quiz`. HTML is semantic (headings, lists, ``<dl>``), has
stable ids and classes, carries no script, and escapes every string.
Markdown escapes every string it did not write too, so that catalogue prose (a
user's codes file included) shows as the same characters and never as markup.

>>> from smtpteach import compare, render
>>> print(render.markdown(compare("211", "550")).splitlines()[0])
# SMTP 211 System Status vs 550 Mailbox Unavailable
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import quote

__all__ = ["text", "markdown", "html", "entry_facts"]


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


# -- Markdown escaping -------------------------------------------------------
# CommonMark reads markup in any text it is given, so every string that the
# Markdown templates did not write themselves (catalogue prose, a user's codes,
# labels, sentences filled from data) goes through _md, and every link target
# through _md_url. Pasted text goes in a fence instead (_render_explain._fenced).

_MD_ESCAPE = re.compile(
    r"[\\`*_\[\]<>&!~|$#]"        # emphasis, code, links, images, raw HTML and autolinks, entities,
                                  # strikethrough, table cells, math (MyST, Jupyter), heading marks
    r"|(?<=[^\W_])\.(?=[^\W\d_])"  # the dot of a bare domain (example.com) that a linkifier would link
    r"|:(?=//)"                   # the colon of a bare URL (http://)
    r"|^[-+=:%({]"                # a line start: list item, thematic break or setext underline,
                                  # MyST's directive, definition, comment, target or attribute lines
)
_MD_ORDERED = re.compile(r"^([0-9]+)([.)])(?= |$)")  # "1. " or "1) " at a line start: an ordered list
# what a link target keeps as it is (RFC 3986's unreserved and reserved characters, and "%" for
# what is already encoded), less the brackets and parentheses that would end the target early
_URL_SAFE = "-._~:/?#@!$&'*+,;=%"


def _md(value: Any) -> str:
    r"""``value`` as CommonMark text that renders as exactly these characters
    and as no markup, wherever a template puts it (a line start included).

    Each run of whitespace becomes one space, as HTML shows it anyway, so no
    line break can start a new block; a NUL becomes U+FFFD, as CommonMark
    reads it. Characters that could start markup get a backslash, which
    CommonMark allows before any ASCII punctuation and drops when rendering.

    >>> print(_md("<img src=x onerror=alert(1)> *not* [a](javascript:x)"))
    \<img src=x onerror=alert(1)\> \*not\* \[a\](javascript:x)
    >>> print(_md("1. # see\n> www.example.com"))
    1\. \# see \> www\.example\.com
    """
    text = " ".join(str(value).replace("\0", "\ufffd").split())
    return _MD_ORDERED.sub(r"\1\\\2", _MD_ESCAPE.sub(r"\\\g<0>", text))


def _md_url(url: str) -> str:
    """A link target for ``[label](...)``: characters that could end the
    target or start markup are percent-encoded, and ``&`` (which would start
    an entity) is escaped, so the link goes exactly where ``url`` says.

    >>> _md_url("https://example.org/a b)(<x>")
    'https://example.org/a%20b%29%28%3Cx%3E'
    """
    return quote(url, safe=_URL_SAFE).replace("&", "\\&")


def entry_facts(entry: Any, *, lang: str = "en") -> list[tuple[str, str]]:
    """Label/value rows describing an entry's facts, in ``lang``."""
    from ._catalogue import BasicEntry
    from ._templates import join_list

    cat = entry._catalogue
    ui = cat.ui(lang=lang)
    labels = ui["labels"]
    rows: list[tuple[str, str]] = []
    if isinstance(entry, BasicEntry):
        cls, category = str(entry.reply_class), str(entry.category)
        rows.append((labels["class"], f"{cls}xx {cat.text('classes', cls, lang=lang).name}"))
        if category in cat.topics["categories"]:
            rows.append((labels["category"], f"x{category}z {cat.text('categories', category, lang=lang).name}"))
        rows.append((labels["status"], ui["status_short"][entry.status]))
        rows.append((labels["commands"], join_list([ui["commands"].get(c, c) for c in entry.commands], ui)))
        rows.append((labels["retry"], ui["retry"][entry.retry]))
        rows.append((labels["actor"], ui["actor"][entry.actor]))
        rows.append((labels["enhanced"], join_list(list(cat.related_enhanced(entry.key)), ui)))
    else:
        subject = str(entry.subject)
        rows.append((labels["subject"], f"X.{subject} {cat.text('subjects', subject, lang=lang).name}"))
        rows.append((labels["title"], entry.title or labels["none"]))
        # the registry's own wording ("250 or 251", "Any") in this language, where the data has it
        wording = ui.get("registry_wording", {})
        basic = (wording.get(entry.registry_basic_text, entry.registry_basic_text) if entry.registry_basic_text
                 else join_list([wording.get(b, b) for b in entry.basic_codes], ui))
        rows.append((labels["basic_codes"], basic))
        if entry.deprecated_by:
            rows.append((labels["deprecated_by"], entry.deprecated_by))
    rows.append((labels["references"], join_list(list(entry.references), ui)))
    return rows


def _dispatch(obj: Any, lang: str | None, fmt: str) -> str:
    from ._catalogue import BasicEntry, EnhancedEntry
    from ._compare import Comparison

    if isinstance(obj, (BasicEntry, EnhancedEntry)):
        return _ENTRY[fmt](obj, "en" if lang is None else lang)  # an unknown lang raises InvalidArgumentError
    name = type(obj).__name__
    made_in = getattr(obj, "lang", None)
    if lang is not None and made_in is not None and lang != made_in:
        from ._errors import InvalidArgumentError

        raise InvalidArgumentError(f"this {name} was made in {made_in!r}, so it renders in {made_in!r}, not {lang!r}; "
                                   f"make it again with lang={lang!r}")
    if isinstance(obj, Comparison):
        return _COMPARISON[fmt](obj)
    if name == "Explanation":
        from . import _render_explain

        return getattr(_render_explain, fmt)(obj)
    if name == "Quiz":
        from . import _render_quiz

        return getattr(_render_quiz, fmt)(obj)
    from ._errors import InvalidTypeError

    raise InvalidTypeError(f"cannot render a {name}; pass a catalogue entry, a Comparison, an Explanation or a Quiz")


def text(obj: Any, *, lang: str | None = None) -> str:
    """Plain text, for terminals."""
    return _dispatch(obj, lang, "text")


def markdown(obj: Any, *, lang: str | None = None) -> str:
    """Markdown (CommonMark), for docs and notebooks.

    Every string it did not write itself (catalogue prose, a user's codes, labels
    and sentences from the data) is escaped: a renderer shows it as the same
    characters, never as HTML, a link, an image, emphasis or a new block. Each
    run of whitespace in it becomes one space, as HTML shows it. Pasted text (an
    explanation's input) is kept line by line in a fence that no line can close.

    >>> from smtpteach import explain
    >>> print(markdown(explain("550 5.1.1 <bob@example.org> *unknown*")).splitlines()[2:5])
    ['```text', '550 5.1.1 <bob@example.org> *unknown*', '```']
    """
    return _dispatch(obj, lang, "markdown")


def html(obj: Any, *, lang: str | None = None) -> str:
    """A self-contained HTML fragment with every string escaped."""
    return _dispatch(obj, lang, "html")


# -- catalogue entries -----------------------------------------------------

def _entry_head(entry: Any, lang: str) -> tuple[str, Any, dict]:
    ui = entry._catalogue.ui(lang=lang)
    t = entry.text(lang=lang)
    title = f"SMTP {entry.key} {t.name}"
    return title, t, ui


def _entry_text(entry: Any, lang: str) -> str:
    title, t, ui = _entry_head(entry, lang)
    h = ui["headings"]
    out = [title, "=" * len(title), ""]
    out += [f"{label}: {value}" for label, value in entry_facts(entry, lang=lang)]
    for key in ("description", "when", "fix"):
        out += ["", h[key], "-" * len(h[key]), getattr(t, key)]
    return "\n".join(out) + "\n"


def _entry_markdown(entry: Any, lang: str) -> str:
    _, t, ui = _entry_head(entry, lang)
    h = ui["headings"]
    out = [f"# SMTP {_md(entry.key)} {_md(t.name)}", ""]
    out += [f"- **{_md(label)}:** {_md(value)}" for label, value in entry_facts(entry, lang=lang)]
    for key in ("description", "when", "fix"):
        out += ["", f"## {_md(h[key])}", "", _md(getattr(t, key))]
    return "\n".join(out) + "\n"


def _entry_html(entry: Any, lang: str) -> str:
    title, t, ui = _entry_head(entry, lang)
    h = ui["headings"]
    ident = f"smtp-{_slug(entry.key)}-{lang}"
    out = [f'<article class="smtpteach-entry smtpteach-{entry.kind}" id="{ident}" lang="{_e(lang)}">',
           f"<h2>{_e(title)}</h2>", '<dl class="smtpteach-facts">']
    for label, value in entry_facts(entry, lang=lang):
        out.append(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>")
    out.append("</dl>")
    for key in ("description", "when", "fix"):
        out.append(f'<section class="smtpteach-{key}" id="{ident}-{key}"><h3>{_e(h[key])}</h3><p>{_e(getattr(t, key))}</p></section>')
    out.append("</article>")
    return "\n".join(out) + "\n"


# -- comparisons -------------------------------------------------------------

def _cmp_text(c: Any) -> str:
    h = c.headings
    out = [c.title, "=" * len(c.title), "", c.summary]
    for s in c.sections:
        head = f"{s.code} {s.name}"
        out += ["", head, "-" * len(head)]
        for key in ("description", "when", "fix"):
            out += [f"{h[key]}: {getattr(s, key)}"]
    out += ["", h["differences"], "-" * len(h["differences"])]
    out += [f"{n}. {d.text}" for n, d in enumerate(c.differences, 1)]
    out += ["", h["which"], "-" * len(h["which"])]
    out += list(c.when_to_use)
    out += ["", h["learn_more"], "-" * len(h["learn_more"])]
    out += [f"- {link.label} <{link.url}>" for link in c.learn_more]
    return "\n".join(out) + "\n"


def _cmp_markdown(c: Any) -> str:
    h = c.headings
    out = [f"# {_md(c.title)}", "", _md(c.summary)]
    for s in c.sections:
        out += ["", f"## {_md(s.code)} {_md(s.name)}"]
        for key in ("description", "when", "fix"):
            out += ["", f"### {_md(h[key])}", "", _md(getattr(s, key))]
    out += ["", f"## {_md(h['differences'])}", ""]
    out += [f"{n}. {_md(d.text)}" for n, d in enumerate(c.differences, 1)]
    out += ["", f"## {_md(h['which'])}", ""]
    out += [f"- {_md(w)}" for w in c.when_to_use]
    out += ["", f"## {_md(h['learn_more'])}", ""]
    out += [f"- [{_md(link.label)}]({_md_url(link.url)})" for link in c.learn_more]
    return "\n".join(out) + "\n"


def _cmp_html(c: Any) -> str:
    h = c.headings
    ident = f"smtpteach-compare-{_slug(c.a)}-vs-{_slug(c.b)}-{c.lang}"
    out = [f'<article class="smtpteach-compare" id="{ident}" lang="{_e(c.lang)}">',
           f"<h2>{_e(c.title)}</h2>", f'<p class="smtpteach-summary">{_e(c.summary)}</p>']
    for s in c.sections:
        sid = f"{ident}-{_slug(s.code)}"
        out.append(f'<section class="smtpteach-code" id="{sid}"><h3>{_e(s.code)} {_e(s.name)}</h3><dl>')
        for key in ("description", "when", "fix"):
            out.append(f'<dt class="smtpteach-{key}">{_e(h[key])}</dt><dd>{_e(getattr(s, key))}</dd>')
        out.append("</dl></section>")
    out.append(f'<section class="smtpteach-differences" id="{ident}-differences"><h3>{_e(h["differences"])}</h3><ol>')
    for d in c.differences:
        cls = "smtpteach-similarity" if d.similarity else "smtpteach-difference"
        out.append(f'<li class="{cls}" data-kind="{_e(d.kind)}">{_e(d.text)}</li>')
    out.append("</ol></section>")
    out.append(f'<section class="smtpteach-which" id="{ident}-which"><h3>{_e(h["which"])}</h3><ul>')
    out += [f"<li>{_e(w)}</li>" for w in c.when_to_use]
    out.append("</ul></section>")
    out.append(f'<section class="smtpteach-learn-more" id="{ident}-learn-more"><h3>{_e(h["learn_more"])}</h3><ul>')
    for link in c.learn_more:
        out.append(f'<li><a href="{_e(link.url)}">{_e(link.label)}</a></li>')
    out.append("</ul></section></article>")
    return "\n".join(out) + "\n"


_ENTRY: dict[str, Callable[[Any, str], str]] = {"text": _entry_text, "markdown": _entry_markdown, "html": _entry_html}
_COMPARISON: dict[str, Callable[[Any], str]] = {"text": _cmp_text, "markdown": _cmp_markdown, "html": _cmp_html}
