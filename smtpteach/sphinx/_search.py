"""Full-text search that finds Vietnamese words with or without their diacritics.

Sphinx builds one search index per site, in one language. Our site is English and
Vietnamese, and Vietnamese readers often type without diacritics ("hop thu day"
for "hộp thư đầy"). So the index stores every word folded: lowercased, its
combining marks dropped and đ written d, then stemmed as English. The browser
folds the reader's words the same way before it looks them up.

Sphinx ranks a page by the best single word it holds, so "hộp thư đầy" would rank
a page titled "Hộp thư ..." with the code whose text says its mailbox is full. The
scorer (``smtpteach-scorer.js``) re-ranks as ``smtpteach search`` does: the
reader's language first, then the pages whose title holds every word, and among
the code pages those whose name and description hold the words as a phrase, or
all of them. For that the search pages, and only they, load each code page's
name, registry title and description, folded (``smtpteach-code-words.js``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from sphinx.search.en import SearchEnglish

SCORER = Path(__file__).resolve().parent.parent / "static" / "site" / "smtpteach-scorer.js"


def fold(word: str) -> str:
    """A word as the index keeps it: lowercase, no diacritics.

    >>> fold("Hộp"), fold("THƯ"), fold("đầy"), fold("Đà"), fold("mailbox")
    ('hop', 'thu', 'day', 'da', 'mailbox')
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def _stemmer_js() -> str:
    """Sphinx's own English stemmer, behind a Stemmer that folds first. Kept in step
    with :func:`fold`: NFD, drop U+0300 to U+036F, đ to d."""
    import sphinx.search

    minified = Path(sphinx.search.__file__).resolve().parent / "minified-js"
    return "\n".join((
        (minified / "base-stemmer.js").read_text(encoding="utf-8"),
        (minified / "english-stemmer.js").read_text(encoding="utf-8"),
        "window.Stemmer = function () {",
        "  const english = new EnglishStemmer();",
        "  this.stemWord = (w) => english.stemWord(",
        "    w.toLowerCase().normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/\\u0111/g, 'd'));",
        "};",
    ))


class FoldingSearch(SearchEnglish):
    """English stemming over words with their diacritics folded away."""

    lang = "en"
    language_name = "English"
    js_stemmer_rawcode = ""  # the code below is the whole stemmer

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        type(self).js_stemmer_code = _stemmer_js()
        self._stems: dict[str, str] = {}  # a site says its words over and over: each is folded and stemmed once

    def stem(self, word: str) -> str:
        try:
            return self._stems[word]
        except KeyError:
            stem = self._stems[word] = self.stemmer.stemWord(fold(word))
            return stem


CODE_WORDS = "smtpteach-code-words.js"
_WORD = re.compile(r"\w+")


def code_words(cat: Any) -> dict[str, str]:
    """Each code page (its docname) and the folded words of its name, registry title and
    description, in the page's language: what the scorer matches a query against.

    >>> from smtpteach import default_catalogue
    >>> words = code_words(default_catalogue())
    >>> "hop thu day" in words["vi/reference/enhanced/X.2.2"], "mailbox full" in words["reference/enhanced/X.2.2"]
    (True, True)
    """
    from smtpteach._urls import page_url

    words = {}
    for lang in cat.languages:
        for entry in cat:
            t = entry.text(lang=lang)
            text = " ".join((t.name, getattr(entry, "title", "") or "", t.description))
            words[page_url(entry.key, lang=lang)[: -len(".html")]] = " ".join(_WORD.findall(fold(text)))
    return words


def _code_words_script(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The search pages load the code pages' words; no other page does."""
    if templatename == "search.html" and app.config.smtpteach_search_scorer and app.config.smtpteach_generate_pages:
        app.add_js_file(CODE_WORDS)


def _write_code_words(app: Any, exception: Exception | None) -> None:
    import json

    if exception is not None or app.builder.format != "html" or not (
            app.config.smtpteach_search_scorer and app.config.smtpteach_generate_pages):
        return
    from ._roles import catalogue

    data = json.dumps(code_words(catalogue(app.env)), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    target = Path(app.outdir) / "_static" / CODE_WORDS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"var SMTPTEACH_CODE_WORDS = {data};\n", encoding="utf-8")


def setup(app: Any) -> None:
    app.add_search_language(FoldingSearch)
    app.add_config_value("smtpteach_search_scorer", True, "html", types=[bool])
    app.connect("config-inited", _scorer)
    app.connect("html-page-context", _code_words_script)
    app.connect("build-finished", _write_code_words)


def _scorer(app: Any, config: Any) -> None:
    if config.smtpteach_search_scorer and not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)
