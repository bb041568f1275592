"""Full-text search that finds Vietnamese words with or without their diacritics.

Sphinx builds one search index per site, in one language. Our site is English and
Vietnamese, and Vietnamese readers often type without diacritics ("hop thu day"
for "hộp thư đầy"). So the index stores every word folded: lowercased, its
combining marks dropped and đ written d, then stemmed as English. The browser
folds the reader's words the same way before it looks them up, and a scorer puts
the pages in the reader's language first.
"""

from __future__ import annotations

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

    def stem(self, word: str) -> str:
        return self.stemmer.stemWord(fold(word))


def setup(app: Any) -> None:
    app.add_search_language(FoldingSearch)
    app.add_config_value("smtpteach_search_scorer", True, "html", types=[bool])
    app.connect("config-inited", _scorer)


def _scorer(app: Any, config: Any) -> None:
    if config.smtpteach_search_scorer and not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)
