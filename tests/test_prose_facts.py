"""The facts the prose states are the facts of their sources, in both languages.

``tests/test_prose_twins.py`` and ``tests/test_twins.py`` keep the two languages naming the
same codes and the same RFCs. A sentence can still be wrong while naming the right ones: a
retry interval of 3 minutes where RFC 5321 says 30, a section number that points at the wrong
part of an RFC, a Vietnamese "permanent" where the English says "temporary", a reply to
STARTTLS that no server sends to it, a worked example whose actor is not the one
``smtpteach.explain`` names. Each test here checks one kind of such fact against a source that
is not the prose itself:

1. the figures RFC 5321 §4.5.4.1 sets (the retry interval, the give-up time), wherever the
   prose cites that section, against the RFC's own sentences;
2. the RFC *sections* a text cites, against its twin in the other language;
3. every "RFC 3463 §3.n" given for an enhanced code X.s.d, against the layout of RFC 3463
   (subject s is section 3.(s+1)) and the RFC's text;
4. the codes a lesson's "Key points" name, against what the lesson taught before them, and a
   reply named as the answer to a command, against the catalogue;
5. the words "temporary" and "permanent" of each data string, against its twin, and a 4xx
   entry's Vietnamese text against its English one;
6. the worked examples of the retry-semantics page ("`REPLY` is `ADVICE` with the ACTOR
   acting"), against ``smtpteach.explain`` and the UI's words for the actors.

The RFC texts are the IETF's own, kept in tests/data/rfc (an RFC may be copied whole, unchanged): each RFC the
catalogue cites a section of.
"""

from __future__ import annotations

import collections
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

import smtpteach
from smtpteach._loading import COMMANDS

from .test_prose_twins import CODE_RE, DATA, DOCS, PAGES_NOT_COMPARED, _pages, strings
from .test_twins import NOTEBOOKS, TWIN_DIRS, _cells, _lessons, _source, _without_fences, headings

LANGS = ("en", *TWIN_DIRS)
RFC_DIR = Path(__file__).parent / "data" / "rfc"


def nfc(text: str) -> str:
    """Vietnamese can be typed with combining marks or precomposed letters: compare one form."""
    return unicodedata.normalize("NFC", text)


def rfc_text(number: str) -> str:
    """The plain text of an RFC, its page breaks (form feed, footer, header) taken out."""
    text = (RFC_DIR / f"rfc{number}.txt").read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"\n[^\n]*\[Page \d+\]\n\f?\n?RFC \d+ [^\n]*\n", "\n", text)
    return text.replace("\f", "")


def rfc_section(number: str, section: str) -> str:
    """One numbered section of an RFC, up to the next numbered heading at the left margin."""
    text = rfc_text(number)
    start = re.search(rf"^{re.escape(section)}\.?\s+\S.*$", text, re.M)
    assert start, f"RFC {number} has no section {section}"
    end = re.search(r"^\d+(?:\.\d+)*\.?\s+[A-Z]", text[start.end():], re.M)
    return text[start.start():start.end() + (end.start() if end else len(text))]


def _markdown_cells(lang: str) -> dict[tuple[str, int], str]:
    """Every Markdown cell of every lesson in one language, by (lesson, cell index)."""
    folder = NOTEBOOKS if lang == "en" else TWIN_DIRS[lang]
    return {(name, i): _source(cell) for name, path in _lessons(folder).items()
            for i, cell in enumerate(_cells(path)) if cell["cell_type"] == "markdown"}


def _page_texts(lang: str) -> dict[str, str]:
    """The prose (fenced blocks left out) of every hand-written page in one language."""
    root = DOCS if lang == "en" else DOCS / lang
    return {page: _without_fences((root / page).read_text(encoding="utf-8"))
            for page in _pages() if (root / page).is_file()}


def _data_strings(lang: str) -> dict[tuple[str, tuple[str, ...]], str]:
    """Every string of every data file in one language, by (file, keys)."""
    return {(path.name, keys): text for path in sorted((DATA / lang).glob("*.yaml"))
            for keys, text in strings(yaml.safe_load(path.read_text(encoding="utf-8")))}


def _all_prose(lang: str) -> dict[str, str]:
    """Lessons' Markdown cells, pages and data strings of one language, each named for a message."""
    out = {f"{'' if lang == 'en' else lang + '/'}{n} cell {i}": t for (n, i), t in _markdown_cells(lang).items()}
    out.update({f"docs/{'' if lang == 'en' else lang + '/'}{p}": t for p, t in _page_texts(lang).items()})
    out.update({f"data/{lang}/{f}: {'/'.join(k)}": t for (f, k), t in _data_strings(lang).items()})
    return {name: nfc(text) for name, text in out.items()}


# -- 1. the figures of RFC 5321 §4.5.4.1 ------------------------------------------------------
#
# A pinned fact: a sentence of the RFC (quoted, and checked to be in the RFC) gives the numbers;
# the prose that cites the section must state them in the words of ``phrase``. A text "speaks
# of" the fact when it cites the section and uses the unit (minutes, days): it must then carry
# the RFC's figure, and every figure it states in that phrase must be the RFC's.

NUMBER_WORDS = {"en": {4: "four", 5: "five", 30: "thirty"}, "vi": {4: "bốn", 5: "năm", 30: "ba mươi"}}


def _n(value: int, lang: str) -> str:
    """A number as the prose may write it: digits or, for the small ones, a word."""
    word = NUMBER_WORDS[lang].get(value)
    return rf"(?:{value}{'|' + word if word else ''})"


PINNED = [
    {
        "what": "the retry interval",
        "rfc": "5321", "section": "4.5.4.1",
        "quote": "In general, the retry interval SHOULD be at least 30 minutes",
        "figures": r"at least (\d+) minutes",
        "unit": {"en": r"\bminutes?\b", "vi": r"\bphút\b"},
        # "at least 30 minutes"; "ít nhất 30 phút", "từ 30 phút trở lên"
        "phrase": {"en": lambda n: rf"at\s+least\s+{n}\s+minutes",
                   "vi": lambda n: rf"(?:ít\s+nhất|từ)\s+{n}\s+phút"},
        "any": r"(\d+)",
    },
    {
        "what": "the give-up time",
        "rfc": "5321", "section": "4.5.4.1",
        "quote": "the give-up time generally needs to be at least 4-5 days",
        "figures": r"at least (\d+)-(\d+) days",
        "unit": {"en": r"\bdays?\b", "vi": r"\bngày\b"},
        # "at least 4 to 5 days", "four to five days"; "ít nhất 4 đến 5 ngày", "bốn đến năm ngày"
        "phrase": {"en": lambda a, b: rf"{a}\s*(?:to|-|–)\s*{b}\s+days",
                   "vi": lambda a, b: rf"{a}\s*(?:đến|-|–)\s*{b}\s+ngày"},
        "any": r"(\w+)",
    },
]


def _figures(fact: dict) -> tuple[int, ...]:
    return tuple(int(x) for x in re.search(fact["figures"], fact["quote"]).groups())


def _cites_section(text: str, rfc: str, section: str) -> bool:
    """Whether a text cites RFC ``rfc`` §``section`` (the section may stand after the RFC
    named earlier in the text, as in "RFC 5321 §4.2.1 ... §4.5.4.1")."""
    return any(cited == (rfc, section) for cited in citations(text))


def _parts(text: str) -> list[str]:
    """A text cut at its headings: a lesson's last cell holds the Key points and the Sources,
    and a citation among the Sources says nothing about the minutes of a key point."""
    return re.split(r"^(?=#{1,6} )", text, flags=re.M)


def speaks_of(text: str, lang: str, fact: dict) -> bool:
    return _cites_section(text, fact["rfc"], fact["section"]) and bool(re.search(fact["unit"][lang], text, re.I))


def pinned_problems(name: str, text: str, lang: str, fact: dict) -> list[str]:
    """What a text that speaks of a pinned fact says otherwise than the RFC, section by section."""
    return [p for part in _parts(text) for p in _pinned_problems(name, part, lang, fact)]


def _pinned_problems(name: str, text: str, lang: str, fact: dict) -> list[str]:
    if not speaks_of(text, lang, fact):
        return []
    figures = _figures(fact)
    phrase = fact["phrase"][lang]
    right = re.compile(phrase(*(_n(v, lang) for v in figures)), re.I)
    stated = re.compile(phrase(*([fact["any"]] * len(figures))), re.I)
    problems = []
    if not right.search(text):
        problems.append(f"{name}: cites RFC {fact['rfc']} §{fact['section']} and speaks of {fact['what']}, "
                        f"but does not give the RFC's figure {figures} ({fact['quote']!r})")
    for m in stated.finditer(text):
        if not right.fullmatch(m.group(0)):
            problems.append(f"{name}: gives {fact['what']} as {m.group(0)!r}; RFC {fact['rfc']} "
                            f"§{fact['section']} says {fact['quote']!r}")
    return problems


@pytest.mark.parametrize("fact", PINNED, ids=lambda f: f["what"])
def test_the_pinned_quotes_are_the_rfcs_words(fact):
    section = " ".join(rfc_section(fact["rfc"], fact["section"]).split())
    assert fact["quote"] in section


@pytest.mark.parametrize("fact", PINNED, ids=lambda f: f["what"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_prose_gives_the_figures_of_rfc_5321_section_4_5_4_1(lang, fact):
    problems, speaking = [], 0
    for name, text in _all_prose(lang).items():
        found = pinned_problems(name, text, lang, fact)
        speaking += sum(speaks_of(part, lang, fact) for part in _parts(text))
        problems += found
    assert problems == []
    assert speaking >= 3, f"only {speaking} texts speak of {fact['what']}: the patterns no longer find them"


@pytest.mark.parametrize("fact", PINNED, ids=lambda f: f["what"])
@pytest.mark.parametrize("lang", sorted(TWIN_DIRS))
def test_a_twin_states_a_pinned_fact_where_the_english_text_does(lang, fact):
    """Where an English cell, page or string states the fact, its twin states it too."""
    en, tw = _all_prose("en"), _all_prose(lang)
    figures = _figures(fact)
    missing = []
    for name, text in en.items():
        twin_name = name.replace("data/en/", f"data/{lang}/") if name.startswith("data/") else (
            name.replace("docs/", f"docs/{lang}/", 1) if name.startswith("docs/") else f"{lang}/{name}")
        if twin_name not in tw:
            continue
        says = [re.search(fact["phrase"][la](*(_n(v, la) for v in figures)), t, re.I) is not None
                for la, t in (("en", text), (lang, tw[twin_name]))]
        if says[0] and not says[1]:
            missing.append(f"{twin_name}: the English text gives {fact['what']} {figures}; the twin does not")
    assert missing == []


# -- 2. the RFC sections a text cites, against its twin -----------------------------------------

# A citation: "RFC 5321 §4.5.4.1", "§5.1" after an RFC named before it, and, right after an RFC,
# "RFC 6531 (section 4.2)" or "RFC 6376 mục 6.1" ("mục" is Vietnamese for "section"); a bare
# "section 3" or "mục 3" is a part of the lesson, not of an RFC. "§2-3" gives its first section.
_CITATION = re.compile(r"\bRFC[\s\u00a0]?(\d{3,5})\b(?:[\s\u00a0]*\(?(?:section|mục)[\s\u00a0]+(\d+(?:\.\d+)*))?"
                       r"|§\s?([0-9A-Z](?:[0-9.]*[0-9A-Z])?)")


def citations(text: str) -> collections.Counter:
    """The (RFC, section) pairs a text cites, each section taken with the last RFC named before it.

    >>> sorted(citations("RFC 5321 §4.5.4.1 and §5.1, RFC 3463 §3.3; RFC 6376 mục 6.1, as in mục 3").elements())
    [('3463', '3.3'), ('5321', '4.5.4.1'), ('5321', '5.1'), ('6376', '6.1')]
    """
    found: collections.Counter = collections.Counter()
    rfc = None
    for m in _CITATION.finditer(text):
        if m.group(1):
            rfc = m.group(1)
            if m.group(2):
                found[(rfc, m.group(2))] += 1
        else:
            found[(rfc, m.group(3))] += 1
    return found


# Citations one language has and the other has not, on purpose, each with why.
EXTRA_CITATIONS = {
    ("vi", "05-live-lab.ipynb", ("5321", "4.2")):
        "a paragraph for Vietnamese readers only: why the lab's server answers in English (reply text is ASCII)",
}


def _citation_problems(where: str, english: str, twin: str, extra: set = frozenset()) -> list[str]:
    a, b = citations(english), citations(twin)
    only_en, only_twin = a - b, b - a
    for cited in extra:
        only_twin.pop(cited, None)
    if only_en or only_twin:
        return [f"{where}: cites {sorted(only_twin.elements())} where the English text cites "
                f"{sorted(only_en.elements())}"]
    return []


@pytest.mark.parametrize("lesson", sorted(_lessons(NOTEBOOKS)))
@pytest.mark.parametrize("lang", sorted(TWIN_DIRS))
def test_lesson_twins_cite_the_same_rfc_sections(lang, lesson):
    en, tw = _cells(NOTEBOOKS / lesson), _cells(TWIN_DIRS[lang] / lesson)
    extra = {c for (la, le, c) in EXTRA_CITATIONS if la == lang and le == lesson}
    problems = []
    for i, (a, b) in enumerate(zip(en, tw)):
        if a["cell_type"] == b["cell_type"] == "markdown":
            problems += _citation_problems(f"{lang}/{lesson} cell {i}", _source(a), _source(b), extra)
    assert problems == []


@pytest.mark.parametrize("lang", sorted(TWIN_DIRS))
def test_data_and_page_twins_cite_the_same_rfc_sections(lang):
    problems = []
    en, tw = _data_strings("en"), _data_strings(lang)
    for key, text in en.items():
        if key in tw:
            problems += _citation_problems(f"data/{lang}/{key[0]}: {'/'.join(key[1])}", text, tw[key])
    en_pages, tw_pages = _page_texts("en"), _page_texts(lang)
    for page, text in en_pages.items():
        if page in tw_pages and page not in PAGES_NOT_COMPARED:
            problems += _citation_problems(f"docs/{lang}/{page}", text, tw_pages[page])
    assert problems == []


def test_the_extra_citations_are_still_there():
    """An exception that no longer matches anything is dropped, not kept as a silent licence."""
    for (lang, lesson, cited), _why in EXTRA_CITATIONS.items():
        cells = _cells(TWIN_DIRS[lang] / lesson)
        assert any(citations(_source(c))[cited] for c in cells if c["cell_type"] == "markdown"), (lang, lesson, cited)


# -- 3. RFC 3463's sections: subject s is section 3.(s+1) -----------------------------------------

_RFC3463_REF = re.compile(r"^RFC 3463 §3\.(\d+)$")


def rfc3463_sections() -> dict[int, set[str]]:
    """The enhanced codes (X.s.d) RFC 3463 lists in each section 3.n."""
    text = rfc_text("3463")
    body = text[re.search(r"^3\. Enumerated Status Codes", text, re.M).start():re.search(r"^4\. ", text, re.M).start()]
    sections: dict[int, set[str]] = {}
    for part in re.split(r"^(?=3\.\d+\s)", body, flags=re.M)[1:]:
        n = int(re.match(r"3\.(\d+)", part).group(1))
        sections[n] = set(re.findall(r"^\s+(X\.\d+\.\d+)\s", part, re.M))
    return sections


def _rfc3463_refs(catalogue) -> list[tuple[str, int, int]]:
    """(entry, subject, n) for every "RFC 3463 §3.n" reference of an enhanced entry or a subject."""
    refs = []
    for key, entry in catalogue.enhanced.items():
        refs += [(key, entry.subject, int(m.group(1))) for r in entry.references if (m := _RFC3463_REF.match(r))]
    for digit, topic in catalogue.topics["subjects"].items():
        refs += [(f"subject {digit}", int(digit), int(m.group(1))) for r in topic.references if (m := _RFC3463_REF.match(r))]
    return refs


def test_rfc3463_references_point_at_the_section_of_their_subject(catalogue):
    refs = _rfc3463_refs(catalogue)
    assert len(refs) >= 50
    assert [f"{k} cites RFC 3463 §3.{n}; subject {s} is §3.{s + 1}" for k, s, n in refs if n != s + 1] == []


def test_rfc3463_holds_each_code_in_the_section_its_entry_cites(catalogue):
    sections = rfc3463_sections()
    assert sorted(sections) == list(range(1, 9)) and all(sections.values())
    wrong = [f"{key} cites RFC 3463 §3.{n}, which lists {sorted(sections.get(n, ()))}"
             for key, _s, n in _rfc3463_refs(catalogue)
             if key.startswith("X.") and key in set().union(*sections.values()) and key not in sections.get(n, ())]
    assert wrong == []
    # and every code the RFC lists is in the catalogue with that section
    for n, codes in sections.items():
        for code in codes:
            assert f"RFC 3463 §3.{n}" in catalogue.enhanced[code].references, code


# "RFC 3463 §3.3 says X.2.2 ...", "(X.4.7, RFC 3463 §3.5)": the enhanced code nearest the
# citation in its sentence is the one it is cited for.
_PROSE_3463 = re.compile(r"RFC[\s\u00a0]3463[\s\u00a0]+§3\.(\d)\b")
_ENHANCED = re.compile(r"(?<![\w.])[245X]\.(\d{1,3})\.(?:\d{1,3}|x)(?![\w])")


def prose_rfc3463_problems(name: str, text: str) -> list[str]:
    problems = []
    for sentence in re.split(r"(?<=[.;!?])\s+|\n\s*\n", text):
        for cite in _PROSE_3463.finditer(sentence):
            codes = list(_ENHANCED.finditer(sentence))
            if not codes:
                continue
            near = min(codes, key=lambda c: min(abs(c.start() - cite.end()), abs(cite.start() - c.end())))
            if int(cite.group(1)) != int(near.group(1)) + 1:
                problems.append(f"{name}: cites RFC 3463 §3.{cite.group(1)} for {near.group(0)}, "
                                f"whose subject is §3.{int(near.group(1)) + 1}")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_prose_cites_rfc3463_at_the_section_of_the_code_it_names(lang):
    problems, found = [], 0
    for name, text in _all_prose(lang).items():
        problems += prose_rfc3463_problems(name, text)
        found += len(_PROSE_3463.findall(text))
    assert problems == []
    assert found >= 4


# -- 4. the Key points of a lesson --------------------------------------------------------------

KEY_POINTS = {"en": "## Key points", "vi": "## Những điểm chính"}
_CMDS = "|".join(c for c in COMMANDS if c.isalpha() and c != "CONNECT")
# "`454` to `STARTTLS`", "`452` trả lời `RCPT TO`", "`454` cho `STARTTLS`": a reply as the answer to a command
_REPLY_TO = re.compile(rf"`?(?P<code>[2-5]\d\d)(?: [245]\.\d{{1,3}}\.\d{{1,3}})?`?\s+"
                       rf"(?:to|in reply to|after|answers?|cho|sau|trả lời)\s+`?(?P<cmd>{_CMDS})\b")
_SENTENCES = re.compile(r"(?<=[.!?:;])\s+(?=[A-Z`*“\"(])|\n\s*\n|\n\s*[-|]")


def _key_points(lang: str, lesson: str) -> tuple[str, list[str], list[str]]:
    """A lesson's Key points (up to the next heading), the texts before them (cells' sources
    and stored outputs) and the sentences of the cells before them."""
    folder = NOTEBOOKS if lang == "en" else TWIN_DIRS[lang]
    cells = _cells(folder / lesson)
    at = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and KEY_POINTS[lang] in headings(_source(c))]
    assert len(at) == 1, f"{lang} {lesson}: {len(at)} cells with {KEY_POINTS[lang]!r}"
    after = _source(cells[at[0]]).split(KEY_POINTS[lang], 1)[1]
    points = re.split(r"^#{1,6} ", after, maxsplit=1, flags=re.M)[0]
    before, sentences = [], []
    for cell in cells[:at[0]]:
        before.append(_source(cell))
        sentences += _SENTENCES.split(_source(cell))
        for out in cell.get("outputs", []):
            for value in [out.get("text", "")] + [v for k, v in out.get("data", {}).items() if k.startswith("text/")]:
                before.append("".join(value) if isinstance(value, list) else value)
    return points, before, sentences


def _taught(code: str, earlier: set[str]) -> bool:
    """A code was shown before, or, for a class (5xx, 5.1.x), a code of that class was."""
    if code in earlier:
        return True
    if code.endswith(".x"):
        return any(e.startswith(code[:-1]) and not e.endswith(".x") for e in earlier)
    if code.endswith("xx"):
        return any(e[0] == code[0] and e[1:].isdigit() for e in earlier)
    return False


@pytest.mark.parametrize("lesson", sorted(_lessons(NOTEBOOKS)))
@pytest.mark.parametrize("lang", LANGS)
def test_key_points_name_only_codes_the_lesson_showed_before(lang, lesson):
    """A summary sums up: a code that first appears in the Key points was not taught, and is
    most likely a slip for one that was. (No lesson needs an exception today.)"""
    points, before, _ = _key_points(lang, lesson)
    earlier = set(CODE_RE.findall("\n".join(before)))
    assert [c for c in CODE_RE.findall(points) if not _taught(c, earlier)] == []


@pytest.mark.parametrize("lesson", sorted(_lessons(NOTEBOOKS)))
@pytest.mark.parametrize("lang", LANGS)
def test_a_key_point_reply_to_a_command_is_one_that_command_gets(lang, lesson, catalogue):
    """"`454` to `STARTTLS`": the catalogue lists that command for that code by name (not only
    as "any command"), and a sentence before the Key points names the two together."""
    points, _, sentences = _key_points(lang, lesson)
    problems = []
    for m in _REPLY_TO.finditer(points):
        code, cmd = m.group("code"), m.group("cmd")
        if cmd not in catalogue.get(code).commands:
            problems.append(f"{m.group(0)!r}: the catalogue lists {code} for {catalogue.get(code).commands}, not {cmd}")
        if not any(re.search(rf"(?<![\w.]){code}(?!\w)", s) and re.search(rf"\b{cmd}\b", s) for s in sentences):
            problems.append(f"{m.group(0)!r}: no sentence before the Key points names {code} with {cmd}")
    assert problems == []


def test_the_key_point_pattern_finds_replies_to_commands():
    found = {(lang, lesson, m.group("code"), m.group("cmd")) for lang in LANGS for lesson in _lessons(NOTEBOOKS)
             for m in _REPLY_TO.finditer(_key_points(lang, lesson)[0])}
    assert len(found) >= 6, found
    assert {lang for lang, *_ in found} == set(LANGS)


# -- 5. temporary and permanent -----------------------------------------------------------------
#
# A twin may say "temporary" in other words ("for now", "tạm hoãn"), so the check is one of
# contradiction: the unambiguous words of one language (NARROW) must be met by some way of
# saying the same in the other (BROAD).

NARROW = {
    "en": {"temporary": r"\b(?:temporar\w*|transient\w*)", "permanent": r"\bpermanent\w*"},
    "vi": {"temporary": r"\btạm thời\b", "permanent": r"\bvĩnh viễn\b"},
}
BROAD = {
    "en": {"temporary": NARROW["en"]["temporary"] + r"|\bfor now\b|\bat the moment\b|\bfor the moment\b|\bbriefly\b"
                        r"|\bdefer\w*|\bsuspend\w*",
           "permanent": NARROW["en"]["permanent"] + r"|\bfor good\b|\bnever\b"},
    # "tạm" alone: tạm thời, tạm hoãn (deferred), tạm khóa (suspended), tạm từ chối (refused for now)
    "vi": {"temporary": r"\btạm\b", "permanent": NARROW["vi"]["permanent"] + r"|\bhẳn\b|\blâu dài\b"},
}
# Strings where the two say the same in words the lists above do not pair, each with why.
KIND_EXCEPTIONS = {
    ("enhanced-7.yaml", "enhanced/X.7.13/description"):
        "'permanent until the account is re-enabled' is 'kéo dài cho đến khi ...' ('lasts until ...')",
    ("ui.yaml", "ui/templates/explain_advice_unknown"):
        "'whether it is permanent' is asked as 'vĩnh viễn hay tạm thời' ('permanent or temporary')",
    ("ui.yaml", "ui/templates/explain_advice_unknown_nobody"):
        "'whether it is permanent' is asked as 'vĩnh viễn hay tạm thời' ('permanent or temporary')",
}


def kinds(text: str, lang: str, table: dict) -> set[str]:
    """Which of temporary and permanent a text says, by the words of ``table``.

    >>> sorted(kinds("Đây là lỗi tạm thời", "vi", NARROW)), sorted(kinds("a failure for now", "en", BROAD))
    (['temporary'], ['temporary'])
    """
    text = nfc(text)
    return {kind for kind, pattern in table[lang].items() if re.search(pattern, text, re.I)}


def kind_problems(where: str, english: str, twin: str, lang: str) -> list[str]:
    problems = []
    for a, b, ta, tb in (("en", lang, english, twin), (lang, "en", twin, english)):
        missing = kinds(ta, a, NARROW) - kinds(tb, b, BROAD)
        if missing:
            problems.append(f"{where}: the {a} text says {sorted(missing)}, the {b} text does not "
                            f"({a}: {ta[:120]!r}; {b}: {tb[:120]!r})")
    return problems


@pytest.mark.parametrize("lang", sorted(TWIN_DIRS))
def test_data_twins_agree_on_temporary_and_permanent(lang):
    en, tw = _data_strings("en"), _data_strings(lang)
    problems, said = [], 0
    for (name, keys), text in en.items():
        if (name, keys) not in tw or (name, "/".join(keys)) in KIND_EXCEPTIONS:
            continue
        said += bool(kinds(text, "en", NARROW))
        problems += kind_problems(f"data/{lang}/{name}: {'/'.join(keys)}", text, tw[(name, keys)], lang)
    assert problems == []
    assert said >= 50


def test_the_kind_exceptions_are_still_needed():
    en, tw = _data_strings("en"), _data_strings("vi")
    for name, keys in KIND_EXCEPTIONS:
        key = (name, tuple(keys.split("/")))
        assert key in en and kind_problems(keys, en[key], tw[key], "vi"), f"{name}: {keys} no longer needs its exception"


@pytest.mark.parametrize("lang", sorted(TWIN_DIRS))
def test_a_4xx_entry_is_not_permanent_in_the_twin_alone(lang, catalogue):
    """A 4xx reply is a temporary failure (RFC 5321 §4.2.1): its twin text may call it
    permanent only where the English text speaks of permanence too."""
    entries = [(f"basic {k}", e) for k, e in catalogue.basic.items() if e.reply_class == 4]
    entries += [(f"{kind} 4", catalogue.topics[kind]["4"]) for kind in ("classes", "enhanced_classes")]
    assert len(entries) >= 10
    problems = []
    for name, entry in entries:
        en, tw = entry.text(lang="en").as_dict(), entry.text(lang=lang).as_dict()
        for field, text in tw.items():
            if "permanent" in kinds(text, lang, NARROW) and "permanent" not in kinds(en[field], "en", BROAD):
                problems.append(f"{name} {field}: {lang} says permanent: {text!r}")
    assert problems == []


# -- 6. the worked examples of the retry-semantics page -----------------------------------------

# "`552 5.2.2 Mailbox full` is `fix-then-retry` with the recipient acting";
# "`552 5.2.2 Mailbox full` là `fix-then-retry` với người nhận là bên xử lý"
EXAMPLE = {
    "en": re.compile(r"`(?P<reply>[2-5]\d\d [^`]+)`\s+is\s+`(?P<retry>[a-z-]+)`"
                     r"(?:\s+with\s+(?P<actor>[^,.;()`]+?)\s+acting)?"),
    "vi": re.compile(r"`(?P<reply>[2-5]\d\d [^`]+)`\s+là\s+`(?P<retry>[a-z-]+)`"
                     r"(?:\s+với\s+(?P<actor>[^,.;()`]+?)\s+là\s+bên\s+xử\s+lý)?"),
}


def actor_words(lang: str) -> dict[str, str]:
    """The UI's words for each actor, mapped back to the actor: {"the recipient": "recipient"}."""
    ui = yaml.safe_load((DATA / lang / "ui.yaml").read_text(encoding="utf-8"))["ui"]["actor"]
    return {nfc(" ".join(words.split())).casefold(): actor for actor, words in ui.items()}


def example_problems(name: str, text: str, lang: str) -> tuple[list[str], int]:
    words, problems, found = actor_words(lang), [], 0
    for m in EXAMPLE[lang].finditer(nfc(text)):
        found += 1
        answer = smtpteach.explain(m.group("reply"))
        if m.group("retry") != answer.retry:
            problems.append(f"{name}: {m.group(0)!r}, but explain() advises {answer.retry}")
        if m.group("actor"):
            said = " ".join(m.group("actor").split()).casefold()
            if said not in words:
                problems.append(f"{name}: {m.group(0)!r} names an actor the UI has no word for: {said!r}")
            elif words[said] != answer.actor:
                problems.append(f"{name}: {m.group(0)!r}, but explain() names {answer.actor}")
    return problems, found


@pytest.mark.parametrize("lang", LANGS)
def test_worked_examples_give_the_advice_and_actor_explain_gives(lang):
    pages = _page_texts(lang)
    problems, found = [], 0
    for page, text in pages.items():
        p, n = example_problems(page, text, lang)
        problems += p
        found += n
    assert problems == []
    page_examples = example_problems("", pages["explanation/retry-semantics.md"], lang)[1]
    assert page_examples >= 3, "the retry-semantics page's worked examples are no longer found"


# -- the checks catch what they are for --------------------------------------------------------

@pytest.mark.parametrize("text, lang, bad", [
    ("RFC 5321 §4.5.4.1 says the wait SHOULD usually be at least 30 minutes; Postfix waits 5 minutes.", "en", False),
    ("RFC 5321 §4.5.4.1 says the wait SHOULD usually be 3 minutes; Postfix waits 5 minutes.", "en", True),
    ("RFC 5321 §4.5.4.1 says the wait SHOULD usually be at least 3 minutes.", "en", True),
    ("RFC 5321 §4.5.4.1 quy định khoảng chờ NÊN từ 30 phút trở lên.", "vi", False),
    ("RFC 5321 §4.5.4.1 quy định khoảng chờ NÊN từ 3 phút trở lên.", "vi", True),
    ("See RFC 5321 §4.5.4.1 and §5.1.", "en", False),  # no minutes: not about the interval
])
def test_a_wrong_retry_interval_is_found(text, lang, bad):
    assert bool(pinned_problems("x", text, lang, PINNED[0])) is bad


def test_a_twin_citing_another_section_is_found():
    assert _citation_problems("x", "the server takes over (RFC 5321 §6.1)", "máy chủ nhận (RFC 5321 §6.1)") == []
    assert _citation_problems("x", "the server takes over (RFC 5321 §6.1)", "máy chủ nhận (RFC 5321 §3.1)") == [
        "x: cites [('5321', '3.1')] where the English text cites [('5321', '6.1')]"]


def test_a_wrong_rfc3463_section_in_prose_is_found():
    assert prose_rfc3463_problems("x", "RFC 3463 §3.3 calls X.2.2 a persistent transient failure.") == []
    assert prose_rfc3463_problems("x", "RFC 3463 §3.2 calls X.2.2 a persistent transient failure.") != []


def test_a_twin_saying_permanent_for_temporary_is_found():
    assert kind_problems("x", "It is a temporary failure.", "Đây là lỗi tạm thời.", "vi") == []
    assert len(kind_problems("x", "It is a temporary failure.", "Đây là lỗi vĩnh viễn.", "vi")) == 2


def test_a_wrong_actor_in_a_worked_example_is_found():
    right = "`552 5.2.2 Mailbox full` is `fix-then-retry` with the\nrecipient acting"
    assert example_problems("x", right, "en") == ([], 1)
    assert example_problems("x", right.replace("recipient", "sender"), "en")[0] != []
    assert example_problems("x", right.replace("fix-then-retry", "dont-retry"), "en")[0] != []


def _facts_references() -> list[tuple[str, str, str, str]]:
    """(kind, key, RFC number, section) of every "RFC N §S" that data/facts.yaml cites."""
    import yaml

    data = yaml.safe_load((Path(smtpteach.__file__).parent / "data" / "facts.yaml").read_text(encoding="utf-8"))
    found = []
    for kind, entries in data.items():
        if not isinstance(entries, dict):
            continue
        for key, entry in entries.items():
            for text in re.findall(r"RFC (\d+) §([0-9.]+[0-9])", str(entry)):
                found.append((kind, str(key), *text))
    return found


# sections cited for their context, not because they name the code (none today; add one with its reason)
_SECTION_FOR_CONTEXT: set[tuple[str, str, str]] = set()


def test_every_rfc_section_the_catalogue_cites_exists_and_a_basic_code_s_names_it():
    # a test audit: 421 citing RFC 5321 §3.9 (Mailing Lists) for §3.8 passed
    refs = _facts_references()
    assert len(refs) > 150
    checked = 0
    for kind, key, number, section in refs:
        if not (RFC_DIR / f"rfc{number}.txt").is_file():
            continue
        text = rfc_section(number, section)  # fails naming the section when there is none
        checked += 1
        if kind == "basic" and (key, number, section) not in _SECTION_FOR_CONTEXT:
            assert re.search(rf"(?<![0-9.]){key}(?![0-9])", text), f"RFC {number} §{section} never names {key}"
    assert checked == len(refs), "an RFC the catalogue cites is missing from tests/data/rfc"


# a bullet whose bold label names a class of replies ("- **4xx**: temporary.", "- **phản hồi 5xx**: vĩnh viễn.")
_CLASS_LABEL = re.compile(r"^[ \t]*(?:[-*]|\d+\.)[ \t]+\*\*(?P<label>[^*\n]*?\b(?P<cls>[45])xx\b[^*\n]*)\*\*[ \t]*[:.]?[ \t]*"
                          r"(?P<rest>[^.\n]*)", re.M)
_BARE_CLASS = re.compile(r"^(?:a |an |phản hồi |mã )?[45]xx(?: reply| replies)?$", re.I)


@pytest.mark.parametrize("lang", LANGS)
def test_a_bullet_about_a_class_calls_4xx_temporary_and_5xx_permanent(lang):
    # a test audit: "- **phản hồi 4xx**: vĩnh viễn" in one lesson passed every check
    texts = {**{f"{n} cell {i}": t for (n, i), t in _markdown_cells(lang).items()}, **_page_texts(lang)}
    labels = 0
    for where, text in texts.items():
        for m in _CLASS_LABEL.finditer(nfc(text)):
            said = kinds(m.group("rest"), lang, NARROW)
            right, wrong = ("temporary", "permanent") if m.group("cls") == "4" else ("permanent", "temporary")
            assert wrong not in said, f"{where}: {m.group(0)!r}"
            if _BARE_CLASS.match(m.group("label").strip()):
                labels += 1
                assert right in said, f"{where}: {m.group(0)!r}"
    assert labels >= 4
