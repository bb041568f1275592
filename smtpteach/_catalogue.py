"""The catalogue: facts stored once, prose per language, and the questions asked of them.

Data files ship inside the package (``smtpteach/data``); ``_loading`` reads and
checks them, and ``_entries`` holds what an entry is. Facts are read when the
catalogue is built (on the first lookup, for the default one); each language's
prose is read the first time that language is asked for. A broken file raises
:class:`CatalogueError` naming the file, the entry and the field.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing costs import time; annotations are strings here
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

from ._codes import REPLY_CODE_RE, EnhancedStatusCode, ReplyCode, code_text
from ._entries import TEXT_FIELDS, BasicEntry, EnhancedEntry, Text, Topic
from ._errors import InvalidArgumentError, InvalidCodeError, InvalidTypeError, UnknownCodeError
from ._loading import (
    _BUILTIN,
    ACTORS,
    COMMANDS,
    RETRY,
    STATUSES,
    _data_dir,
    _read_yaml,
    load_facts,
    load_language,
    load_user_texts,
)

__all__ = [
    "Text",
    "Topic",
    "BasicEntry",
    "EnhancedEntry",
    "Catalogue",
    "default_catalogue",
    "lookup",
    "get",
    "search",
    "STATUSES",
    "RETRY",
    "ACTORS",
    "COMMANDS",
    "TEXT_FIELDS",
]


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for search ("Hộp thư" ~ "hop thu")."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# a search for one code: a reply code, or an enhanced one in any class (also with leading zeros, "5.01.1")
_CODE_SHAPED = re.compile(r"[2-5][0-9]{2}|[245Xx]\.[0-9]{1,3}\.[0-9]{1,3}", re.ASCII)


class Catalogue:
    """Every basic and enhanced code, with prose per language.

    :func:`default_catalogue` gives the package's own (built once and cached);
    ``Catalogue(folder)`` reads a folder laid out like ``smtpteach/data``, and
    :meth:`with_file` extends a catalogue with your own codes.
    """

    def __init__(self, root: Any, *, root_name: str | None = None):
        if not isinstance(root, (str, os.PathLike)):
            raise InvalidTypeError(f"a catalogue is read from a folder, given as a path, not {type(root).__name__}")
        root = os.fspath(root)
        if root_name is None:  # messages name the package's own files as the repository does, and a folder as given
            root_name = "smtpteach/data" if os.path.abspath(root) == os.path.abspath(_data_dir()) else root.rstrip("/\\")
        self._root = root
        self._root_name = root_name
        facts_name = f"{root_name}/facts.yaml"
        facts = _read_yaml(os.path.join(root, "facts.yaml"), facts_name)
        self.languages: tuple[str, ...] = ()
        self.basic: dict[str, BasicEntry] = {}
        self.enhanced: dict[str, EnhancedEntry] = {}
        self.topics: dict[str, dict[str, Topic]] = {}
        self._texts: dict[str, dict[tuple[str, str], Text]] = {}
        self._ui: dict[str, dict[str, Any]] = {}
        self._pair_text: dict[str, dict[str, str]] = {}
        self.confused: tuple[tuple[str, str], ...] = ()
        self._extra_texts: dict[str, dict[tuple[str, str], Text]] = {}
        self._search_index: dict[str, list[tuple[Any, tuple[_Field, ...]]]] = {}
        load_facts(self, facts, facts_name, _BUILTIN)
        self._builtin_keys = frozenset(
            [("basic", k) for k in self.basic] + [("enhanced", k) for k in self.enhanced]
            + [(kind, k) for kind, table in self.topics.items() for k in table]
        )
        self._index()

    # -- indexing ----------------------------------------------------------
    def _index(self) -> None:
        self.basic = dict(sorted(self.basic.items()))
        self.enhanced = dict(sorted(self.enhanced.items(), key=lambda kv: kv[1].code.sort_key()))
        related: dict[str, list[str]] = {k: list(e.enhanced) for k, e in self.basic.items()}
        for entry in self.enhanced.values():
            for b in entry.basic_codes:
                if b in related:
                    concrete = f"{b[0]}.{entry.subject}.{entry.detail}"
                    if concrete not in related[b]:
                        related[b].append(concrete)
        self._related = {
            k: tuple(sorted(v, key=lambda c: EnhancedStatusCode(c).sort_key())) for k, v in related.items()
        }

    def _require_language(self, lang: str) -> None:
        """Raise :class:`InvalidArgumentError` unless the catalogue has ``lang``: the
        caller asked for a language, no data file is broken (:class:`InvalidTypeError` when ``lang`` is no string)."""
        if not isinstance(lang, str):
            raise InvalidTypeError(f"a language is a string such as 'en' or 'vi', not {type(lang).__name__}")
        if lang not in self.languages:
            raise InvalidArgumentError(f"unknown language {lang!r}; the catalogue has {', '.join(self.languages)}")

    def _read_language(self, lang: str) -> None:
        self._texts[lang], self._ui[lang], self._pair_text[lang] = load_language(self, lang)

    # -- prose -------------------------------------------------------------
    def text(self, kind: str, key: str, *, lang: str = "en") -> Text:
        """The prose of one entry in ``lang``: ``kind`` is "basic", "enhanced", "classes",
        "categories", "subjects" or "enhanced_classes", and ``key`` the entry's key
        ("550", "X.1.1", "5")."""
        for name, value in (("kind", kind), ("key", key)):
            if not isinstance(value, str):
                raise InvalidTypeError(f"text() takes the {name} as a string, not {type(value).__name__}")
        if not isinstance(lang, str) or lang not in self._texts:
            self._read_language(lang)
        try:
            return self._texts[lang][(kind, key)]
        except KeyError:
            raise UnknownCodeError(f"no {kind} entry {key!r} in the catalogue", code=key) from None

    def ui(self, *, lang: str = "en") -> dict[str, Any]:
        """The UI labels and sentence templates of ``lang``."""
        if not isinstance(lang, str) or lang not in self._texts:
            self._read_language(lang)
        return self._ui[lang]

    def pair_reason(self, a: str, b: str, *, lang: str = "en") -> str:
        """Why a frequently confused pair is confusing, or "" for other pairs."""
        self.ui(lang=lang)
        return self._pair_text[lang].get(f"{a}-vs-{b}", "")

    def check(self) -> None:
        """Load and validate every language now (otherwise done on first use)."""
        for lang in self.languages:
            if lang not in self._texts:
                self._read_language(lang)

    # -- extending ---------------------------------------------------------
    def with_file(self, path: str | Path) -> Catalogue:
        """A new catalogue: this one plus the codes in a user's YAML file.

        The file holds ``schema: 1`` and ``basic:``/``enhanced:`` entries with
        the same facts as the built-in ones plus ``text: {en: {...}, vi: {...}}``.
        A clash with a built-in code is an error unless the entry says
        ``override: true``.
        """
        if not isinstance(path, (str, os.PathLike)):
            raise InvalidTypeError(f"with_file() reads a path to a YAML file, not {type(path).__name__}")
        name = os.fspath(path)
        data = _read_yaml(path, name)
        new = object.__new__(Catalogue)
        new.__dict__.update(self.__dict__)
        new.basic, new.enhanced = dict(self.basic), dict(self.enhanced)
        new._texts, new._ui, new._pair_text, new._search_index = {}, {}, {}, {}
        new.__dict__.pop("_compare_facts", None)  # memoised comparisons of the old catalogue
        new._extra_texts = {lang: dict(t) for lang, t in self._extra_texts.items()}
        load_facts(new, data, name, name, user=True)
        load_user_texts(new, data, name)
        new._index()
        return new

    # -- lookup ------------------------------------------------------------
    def get(self, code: str | int | ReplyCode | EnhancedStatusCode) -> BasicEntry | EnhancedEntry | None:
        """The entry for ``code``, or None. "5.1.1" and "X.1.1" both find X.1.1.

        A value of the wrong type is no miss: it raises :class:`InvalidTypeError`, as :meth:`lookup` does.
        """
        try:
            return self.lookup(code)
        except (UnknownCodeError, InvalidCodeError):
            return None

    def lookup(self, code: str | int | ReplyCode | EnhancedStatusCode) -> BasicEntry | EnhancedEntry:
        """The entry for ``code``; raises UnknownCodeError with suggestions.

        A basic code may be given as a number (550), as :class:`ReplyCode` accepts it; a value
        that is no string or number (None, a list, a float, a bool) is an :class:`InvalidTypeError`.
        """
        code = code_text(code)
        text = code.strip()
        if REPLY_CODE_RE.fullmatch(text):
            entry = self.basic.get(text)
            if entry is not None:
                return entry
            near = self._suggest_basic(text)
            raise UnknownCodeError.keyed("not_in_catalogue", values={"code": text}, near=near, code=text, suggestions=near)
        try:
            esc = EnhancedStatusCode(text)
        except InvalidCodeError:
            near = self._suggest_text(text)
            raise UnknownCodeError.keyed(  # what was typed, not the stripped text: " " is not ''
                "not_a_code", values={"given": repr(code)}, near=near, code=code, suggestions=near) from None
        entry = self.enhanced.get(esc.generic)
        if entry is not None:
            return entry
        near = tuple(k for k in self.enhanced if self.enhanced[k].subject == esc.subject)[:5]
        raise UnknownCodeError.keyed("not_in_registry", values={"code": text}, near=near, code=text, suggestions=near)

    def related_enhanced(self, code: str) -> tuple[str, ...]:
        """Concrete enhanced codes related to a basic code (registry plus practice)."""
        return self._related.get(code_text(code, "reply_code_type").strip(), ())

    def _suggest_basic(self, code: str) -> tuple[str, ...]:
        def distance(other: str) -> tuple[int, int]:
            diff = sum(a != b for a, b in zip(code, other))
            return (diff, abs(int(code) - int(other)))
        ranked = sorted((k for k in self.basic if k[0] == code[0]), key=distance)
        return tuple(ranked[:3])

    def _suggest_text(self, text: str) -> tuple[str, ...]:
        digits = re.sub(r"[^0-9.]", "", text)
        found: list[str] = []
        if re.fullmatch(r"[0-9]{3,4}", digits):
            for cut in (digits[:3], digits[-3:]):
                if cut in self.basic and cut not in found:
                    found.append(cut)
        elif re.fullmatch(r"[0-9]{2}", digits):
            found.extend(k for k in self.basic if k.startswith(digits))
        return tuple(found[:5])

    # -- iteration and search ------------------------------------------------
    def __iter__(self) -> Iterator[BasicEntry | EnhancedEntry]:
        yield from self.basic.values()
        yield from self.enhanced.values()

    def __len__(self) -> int:
        return len(self.basic) + len(self.enhanced)

    def __contains__(self, code: object) -> bool:
        return (isinstance(code, (str, int, ReplyCode, EnhancedStatusCode)) and not isinstance(code, bool)
                and self.get(code) is not None)

    def search(self, words: str, *, lang: str = "en") -> list[BasicEntry | EnhancedEntry]:
        """Entries whose code or prose contains every word, best first.

        Entries holding two or more words as a phrase (whole words, in order) come
        first, then those holding every word in one field, then the rest; within each
        group the code outranks the name, which outranks the registry title,
        which outranks the description, which outranks the rest of the prose. In a
        language other than the first, the first language's name and description
        count too, below all of that language's own prose.
        """
        if not isinstance(words, str):
            raise InvalidTypeError(f"search needs the words as a string, such as 'mailbox full', not {words!r}")
        # A word typed with diacritics must match them ("hộp" is not "hợp");
        # a word typed without them matches either ("hop thu" finds "hộp thư"); typed decomposed (as macOS and
        # some input methods give it: "o" then its marks), it is composed first, as the catalogue's prose is (NFC)
        words = unicodedata.normalize("NFC", words)
        terms = [(w.casefold(), w.isascii()) for w in words.split()]
        if not terms:
            return []
        # Two or more words may form a phrase; one word ranks as it always has.
        phrase = [(t, t.isascii()) for t in _TOKEN_RE.findall(words.casefold())]
        if len(phrase) < 2:
            phrase = []
        scored = []
        for entry, fields in self._search_fields(lang):
            total = 0
            for term, plain in terms:
                best = max((f.weight for f in fields if f.holds(term, plain)), default=0)
                if best == 0:
                    break
                total += best
            else:
                together = max((f.weight for f in fields
                                if all(f.holds(term, plain) for term, plain in terms)), default=0)
                in_order = max((f.weight for f in fields if f.has_phrase(phrase)), default=0)
                scored.append((-in_order, -together, -total, entry.kind != "basic", entry.key, entry))
        scored.sort(key=lambda s: s[:5])
        found = [s[5] for s in scored]
        # a code asked for is its own entry first, as show and explain read it ("5.1.1" is X.1.1, "5.01.1" too),
        # ahead of the entries whose prose names it
        own = self.get(words.strip()) if _CODE_SHAPED.fullmatch(words.strip()) else None
        if own is not None:
            found = [own] + [e for e in found if e is not own]
        return found

    def _search_fields(self, lang: str) -> list[tuple[Any, tuple[_Field, ...]]]:
        """Each entry's searchable fields in ``lang``, folded and split into words once."""
        self._require_language(lang)
        index = self._search_index.get(lang)
        if index is None:
            index = []
            for entry in self:
                t = entry.text(lang=lang)
                fields = [(entry.key, 8), (t.name, 4), (getattr(entry, "title", ""), 3),
                          (t.description, 2), (t.when, 1), (t.fix, 1)]
                if lang != self.languages[0]:
                    # a reader of another language may still type the English words
                    # ("mailbox full"): the first language's prose counts, below the reader's own
                    first = entry.text(lang=self.languages[0])
                    fields += [(first.name, 0.5), (first.description, 0.25)]
                index.append((entry, tuple(_Field(text, weight) for text, weight in fields)))
            self._search_index[lang] = index
        return index


# Words, and the punctuation that ends a phrase; brackets, quotes and dashes are skipped,
# so "mailbox (hộp thư)" holds the phrase "hộp thư" and "mailbox hộp thư".
_TOKEN_RE = re.compile(r"\w+|[.,;:!?]")


class _Field:
    """One searchable field: casefolded, accent-folded, and as words of each."""

    __slots__ = ("weight", "raw", "folded", "words", "folded_words", "word_set")

    def __init__(self, text: str, weight: float):
        self.weight = weight
        self.raw = text.casefold()
        self.folded = _fold(text)
        self.words = _TOKEN_RE.findall(self.raw)
        self.folded_words = [_fold(w) for w in self.words]
        self.word_set = frozenset(self.words)

    def holds(self, term: str, plain: bool) -> bool:
        """Whether the field holds ``term``. A word typed without diacritics matches
        inside any word, accents folded ("block" in "blocked", "hop" in "hộp"); a
        word typed with them is a Vietnamese syllable, which never inflects, so it
        matches a whole word only ("chặn" is not in "chặng").

        >>> f = _Field("Chặng kế tiếp bị chặn", 1)
        >>> f.holds("chặn", False), f.holds("chặng", False), f.holds("chan", True), f.holds("chă", False)
        (True, True, True, False)
        """
        if plain:
            return term in self.folded
        return term in self.word_set if term.isalnum() else term in self.raw

    def has_phrase(self, phrase: list[tuple[str, bool]]) -> bool:
        """Whether ``phrase`` (words, each with "compare without accents") occurs as whole words in order."""
        n = len(phrase)
        return n > 0 and any(
            all((self.folded_words if plain else self.words)[i + j] == word for j, (word, plain) in enumerate(phrase))
            for i in range(len(self.words) - n + 1)
        )


_DEFAULT: Catalogue | None = None


def default_catalogue() -> Catalogue:
    """The built-in catalogue, loaded on first use and cached."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Catalogue(_data_dir())
    return _DEFAULT


def _resolve(catalogue: Catalogue | None) -> Catalogue:
    """``catalogue``, or the built-in one for None; anything else is an :class:`InvalidTypeError`."""
    if catalogue is None:
        return default_catalogue()
    if not isinstance(catalogue, Catalogue):
        raise InvalidTypeError(
            f"catalogue must be a smtpteach.Catalogue (or None for the built-in one), not {catalogue!r}"
        )
    return catalogue


def lookup(code: str | int, *, catalogue: Catalogue | None = None) -> BasicEntry | EnhancedEntry:
    """Look a code up; raise :class:`UnknownCodeError` on a miss.

    A basic code may also be a number, as :class:`ReplyCode` accepts.

    >>> lookup("550").status
    'core'
    >>> lookup(550) is lookup("550")
    True
    >>> lookup("5.1.1").title
    'Bad destination mailbox address'
    >>> lookup("559")
    Traceback (most recent call last):
    ...
    smtpteach._errors.UnknownCodeError: 559 is not in the catalogue; did you mean 556, 555, 554?
    """
    return _resolve(catalogue).lookup(code)


def get(code: str | int, *, catalogue: Catalogue | None = None) -> BasicEntry | EnhancedEntry | None:
    """Look a code up; return None on a miss.

    A value that is no code at all is no miss: it raises :class:`InvalidTypeError`.

    >>> get("571").status
    'non-standard'
    >>> get("599") is None
    True
    >>> get(None)
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidTypeError: None (NoneType) is not a code: pass a string such as '550' or '5.1.1', or a number such as 550
    """
    return _resolve(catalogue).get(code)


def search(words: str, *, lang: str = "en", catalogue: Catalogue | None = None) -> list[BasicEntry | EnhancedEntry]:
    """Entries whose code or prose holds every word, best first.

    >>> lookup("552") in search("mailbox full")
    True
    >>> search(None)
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidTypeError: search needs the words as a string, such as 'mailbox full', not None
    """
    return _resolve(catalogue).search(words, lang=lang)
