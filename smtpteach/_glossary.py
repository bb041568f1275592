"""The glossary: one Vietnamese term per concept (``data/glossary.yaml``).

Domain layer: it reads and validates the data and answers questions about it;
the Sphinx extension publishes it as a page in every language, and the tests
read it to keep every piece of Vietnamese prose to its terms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ._errors import CatalogueError

__all__ = ["GlossaryTerm", "Glossary", "glossary"]

_FILE = "glossary.yaml"


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """One concept: its English term, the Vietnamese term to use, the words not to
    use for it in Vietnamese prose, and why, in each language."""

    en: str
    vi: str
    avoid: tuple[str, ...]
    note: dict[str, str]


@dataclass(frozen=True, slots=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...]
    page: dict[str, dict[str, object]]

    def misuses(self, text: str) -> list[tuple[GlossaryTerm, str, str]]:
        """Each word of ``avoid`` that stands in Vietnamese prose ``text``: (term, word,
        the words around it). Not counted: a word in a gloss, in parentheses right
        after the term ("hộp thư (mailbox)"), or inside code or a quotation, which
        the caller removes first (see :func:`prose_only`).

        >>> g = glossary()
        >>> [(t.en, w) for t, w, _ in g.misuses("Mailbox đầy, thư nằm trong queue.")]
        [('mailbox', 'mailbox'), ('queue', 'queue')]
        >>> g.misuses("Hộp thư (mailbox) đầy; thư vẫn nằm trong hàng đợi (queue).")
        []
        """
        text = unicodedata.normalize("NFC", text)
        found = []
        for term in self.terms:
            # a parenthesised gloss right after the term is allowed
            plain = re.sub(rf"({re.escape(term.vi)})\s*\([^()]*\)", r"\1", text, flags=re.IGNORECASE)
            for word in term.avoid:
                for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", plain, flags=re.IGNORECASE):
                    found.append((term, word, plain[max(0, m.start() - 30): m.end() + 30]))
        return found


_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|\{[a-z-]+\}`[^`]*`", re.DOTALL)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»")
_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][^>]*>")


def prose_only(text: str) -> str:
    """Markdown without its code, link targets, HTML tags and quotations: the words a
    reader reads as the page's own prose.

    >>> prose_only('Gõ `postqueue -p` để xem “Mailbox full” trong [hàng đợi](x-queue.md).')
    'Gõ   để xem   trong [hàng đợi .'
    """
    for pattern in (_CODE, _TARGET, _QUOTED):
        text = pattern.sub(" ", text)
    return text


def _fail(message: str, entry: str = "", field: str = "") -> CatalogueError:
    return CatalogueError(message, file=f"smtpteach/data/{_FILE}", entry=entry or None, field=field or None)


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The glossary, read and checked once.

    >>> next(t.vi for t in glossary().terms if t.en == "mailbox")
    'hộp thư'
    """
    import yaml

    raw = resources.files("smtpteach").joinpath("data", _FILE).read_text(encoding="utf-8")
    return build_glossary(yaml.safe_load(raw))


def build_glossary(data: object) -> Glossary:
    """A glossary from the parsed data file, checked: a problem raises
    :class:`CatalogueError` naming the term and the field."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list) or not isinstance(data.get("page"), dict):
        raise _fail("the file must hold 'page' (a mapping) and 'terms' (a list)")
    terms, seen = [], {}
    for i, item in enumerate(data["terms"]):
        where = str(item.get("en", f"#{i + 1}")) if isinstance(item, dict) else f"#{i + 1}"
        if not isinstance(item, dict) or set(item) != {"en", "vi", "avoid", "note"}:
            raise _fail("each term has exactly en, vi, avoid and note", entry=where)
        for key in ("en", "vi"):
            if not isinstance(item[key], str) or not item[key].strip():
                raise _fail("must be a non-empty string", entry=where, field=key)
        avoid = item["avoid"]
        if not isinstance(avoid, list) or not avoid or not all(isinstance(w, str) and w.strip() for w in avoid):
            raise _fail("must be a non-empty list of words", entry=where, field="avoid")
        if item["vi"].casefold() in {w.casefold() for w in avoid}:
            raise _fail("the term to use is also listed as one to avoid", entry=where, field="avoid")
        note = item["note"]
        if not isinstance(note, dict) or set(note) != {"en", "vi"} or not all(isinstance(v, str) and v.strip() for v in note.values()):
            raise _fail("must give the reason in en and in vi", entry=where, field="note")
        if item["en"] in seen:
            raise _fail("listed twice", entry=where, field="en")
        seen[item["en"]] = True
        terms.append(GlossaryTerm(item["en"], unicodedata.normalize("NFC", item["vi"]),
                                  tuple(unicodedata.normalize("NFC", w) for w in avoid), dict(note)))
    return Glossary(tuple(terms), data["page"])
