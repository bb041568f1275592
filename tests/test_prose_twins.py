"""The catalogue's prose and the site's pages say the same facts in both languages.

Every learner-facing string of ``smtpteach/data/en/`` has a twin at the same key in
``smtpteach/data/vi/``, and every page of ``docs/`` one in ``docs/vi/``. Each twin is
written, not translated word for word, so its sentences differ; what may not differ is
what a reader acts on: the codes it names and the RFCs it cites. A Vietnamese text
that says 5.1.2 where the English one says 5.1.1, or cites RFC 3463 where the English
one cites RFC 5321, is wrong in one of the two, and this test names the file, the key
and the codes. (``tests/test_twins.py`` does the same for the lessons, cell by cell.)

The codes a text names must also exist: a code that is no entry of the catalogue, and
is not one of the few numbers that prose uses for something else (a port, a product's
name), is a typo or an invented code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

import smtpteach

from .test_twins import _without_fences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "smtpteach" / "data"
DOCS = ROOT / "docs"
TWINS = ("vi",)

# A reply code (550), an enhanced code (5.1.1, X.7.26) or a class of either (5xx, 4.7.x), as prose names it;
# not a digit run inside a longer token (SHA-256, 2048, 192.0.2.1, §4.2.5, v1.2.3).
CODE_RE = re.compile(r"(?<![\w.§\-/])(?:[2-5][0-9]{2}|[2-5]xx|[245X]\.[0-9]{1,3}\.(?:[0-9]{1,3}|x))(?![\w\-]|\.\d)")
RFC_RE = re.compile(r"\bRFC[\s\u00a0]?([0-9]{3,5})\b")
# Three-digit numbers that the prose uses for something other than a code, each with where it comes from.
# None: the number is no reply code anywhere, so it is always the other thing.
NOT_CODES = {
    "365": re.compile(r"(?:Office|Microsoft) 365"),  # the product's name
    "465": None,  # the submission port with implicit TLS (RFC 8314)
    "587": None,  # the submission port (RFC 6409)
}
# Pages whose twins are allowed to name other numbers: the figures of a measurement run are
# not codes, and the English API page is built from the docstrings while the Vietnamese one is written out.
PAGES_NOT_COMPARED = {"performance.md": "figures of a run, not codes",
                      "reference/api.md": "the English page is autodoc; its codes are in the docstrings"}


def strings(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string of a YAML document with the keys that lead to it.

    >>> list(strings({"basic": {"550": {"fix": "Try 5.1.1.", "tags": ["a"]}}}))
    [(('basic', '550', 'fix'), 'Try 5.1.1.'), (('basic', '550', 'tags', '0'), 'a')]
    """
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, (*path, str(index)))
    elif isinstance(node, str):
        yield path, node


def named(text: str) -> tuple[set[str], set[str]]:
    """The codes and the RFC numbers a text names.

    >>> codes, rfcs = named("Send 550 with 5.1.1 (RFC 3463), not 5xx; SHA-256 and 192.0.2.1 are not codes.")
    >>> sorted(codes), sorted(rfcs)
    (['5.1.1', '550', '5xx'], ['3463'])
    """
    return set(CODE_RE.findall(text)), set(RFC_RE.findall(text))


def _own(path: tuple[str, ...]) -> set[str]:
    """An entry's own code, which a text may repeat in one language and leave implied in the other:
    the "when" of 221 may say "221" in Vietnamese where the English sentence says "it"."""
    if len(path) >= 2 and path[0] in ("basic", "enhanced"):
        key = path[1]
        return {key, *(f"{d}.{key[2:]}" for d in "245" if key.startswith("X."))}
    return set()


def data_problems(english: Path, twin: Path) -> list[str]:
    """What a data file's twin says otherwise than the English file: each problem names the
    twin's file and key, and the codes or RFCs only one of the two names."""
    en = dict(strings(yaml.safe_load(english.read_text(encoding="utf-8"))))
    tw = dict(strings(yaml.safe_load(twin.read_text(encoding="utf-8"))))
    name = f"{twin.parent.name}/{twin.name}"
    problems = []
    for path, text in en.items():
        if path not in tw:
            continue  # a missing string is the loader's to report (test_catalogue_loading)
        problems += _differences(f"{name}: {'/'.join(path)}", text, tw[path], own=_own(path))
    return problems


def _differences(where: str, english: str, twin: str, own: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The codes (but ``own``) and the RFCs that one text names and the other does not, each a sentence naming ``where``."""
    (codes_a, rfcs_a), (codes_b, rfcs_b) = named(english), named(twin)
    codes_a, codes_b = codes_a - own, codes_b - own
    problems = []
    if codes_a != codes_b:
        problems.append(f"{where} names codes {sorted(codes_b)}, the English text {sorted(codes_a)} "
                        f"(only in English: {sorted(codes_a - codes_b)}, only in the twin: {sorted(codes_b - codes_a)})")
    if rfcs_a != rfcs_b:
        problems.append(f"{where} cites RFC {sorted(rfcs_b)}, the English text RFC {sorted(rfcs_a)}")
    return problems


def page_problems(english: Path, twin: Path) -> list[str]:
    """The same for a page of the site: the codes and RFCs of its prose. Its fenced blocks are left
    out: they are commands and what they print, which the twin shows in its own language
    (tests/test_docs_examples.py runs them)."""
    name = twin.relative_to(DOCS).as_posix() if twin.is_relative_to(DOCS) else twin.name
    return _differences(name, _without_fences(english.read_text(encoding="utf-8")),
                        _without_fences(twin.read_text(encoding="utf-8")))


def unknown_codes(text: str, known) -> list[str]:
    """The codes a text names that are neither in the catalogue (``known(code)``) nor a class
    whose subject exists, leaving out the numbers NOT_CODES explains by their words around them."""
    found = []
    for match in CODE_RE.finditer(text):
        code = match.group(0)
        around = text[max(0, match.start() - 12):match.end() + 6]
        if code in NOT_CODES and (NOT_CODES[code] is None or NOT_CODES[code].search(around)):
            continue
        if code.endswith("xx") or code.endswith(".x"):
            probe = code[:-2] + ".0" if code.endswith(".x") else code[0] + "00"
            if code.endswith("xx") or known(probe):
                continue
        elif known(code):
            continue
        found.append(code)
    return found


def _data_files() -> list[str]:
    return sorted(p.name for p in (DATA / "en").glob("*.yaml"))


# pages that smtpteach.sphinx writes from the catalogue at build time (see .gitignore): their words are the
# catalogue's, which the data tests above compare, and they exist only after a build
GENERATED = ("reference/index.md", "reference/classes.md", "reference/glossary.md", "reference/codes/",
             "reference/enhanced/", "compare/")


def _pages() -> list[str]:
    """The pages written by hand, in English."""
    pages = (p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    return sorted(p for p in pages if p.split("/")[0] not in ("vi", "_build", "_ext", "jupyter_execute")
                  and not p.startswith(GENERATED))


@pytest.mark.parametrize("name", _data_files())
@pytest.mark.parametrize("lang", TWINS)
def test_data_twins_name_the_same_codes_and_rfcs(lang, name):
    twin = DATA / lang / name
    assert twin.is_file(), f"{lang}/{name} is missing"
    assert data_problems(DATA / "en" / name, twin) == []


def test_the_data_files_compared_are_all_of_them():
    assert len(_data_files()) >= 10
    assert sorted(p.name for p in (DATA / "vi").glob("*.yaml")) == _data_files()


@pytest.mark.parametrize("page", [p for p in _pages() if p not in PAGES_NOT_COMPARED])
@pytest.mark.parametrize("lang", TWINS)
def test_page_twins_name_the_same_codes_and_rfcs(lang, page):
    twin = DOCS / lang / page
    assert twin.is_file(), f"{lang}/{page} is missing"
    assert page_problems(DOCS / page, twin) == []


def test_the_pages_compared_are_the_guides_and_the_reference():
    pages = _pages()
    assert {"index.md", "howto/triage.md", "howto/diagnose-a-bounce.md", "explanation/reply-classes.md",
            "explanation/retry-semantics.md", "reference/cli.md"} <= set(pages)
    assert not [p for p in pages if p.startswith(GENERATED)]
    assert set(PAGES_NOT_COMPARED) <= set(pages), "a page left out of the comparison no longer exists"


@pytest.mark.parametrize("lang", ("en", *TWINS))
def test_every_code_the_prose_names_exists(catalogue, lang):
    unknown = {}
    for path in sorted((DATA / lang).glob("*.yaml")):
        for keys, text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            codes = unknown_codes(text, lambda c: catalogue.get(c) is not None)
            if codes:
                unknown[f"{lang}/{path.name}: {'/'.join(keys)}"] = codes
    assert unknown == {}


# -- the tests catch what they are for ---------------------------------------------------------

EN = """basic:
  "510":
    description: "No RFC defines 510; standard SMTP says 550 with 5.1.1 (RFC 3463)."
    when: "After RCPT TO."
"""
VI = """basic:
  "510":
    description: "Không RFC nào định nghĩa 510; SMTP chuẩn dùng 550 kèm 5.1.1 (RFC 3463)."
    when: "Sau RCPT TO, khi thấy 510."
"""


@pytest.fixture
def twin_files(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "vi").mkdir()

    def make(en: str = EN, vi: str = VI) -> tuple[Path, Path]:
        (tmp_path / "en" / "x.yaml").write_text(en, encoding="utf-8")
        (tmp_path / "vi" / "x.yaml").write_text(vi, encoding="utf-8")
        return tmp_path / "en" / "x.yaml", tmp_path / "vi" / "x.yaml"
    return make


def test_a_faithful_data_twin_passes_and_may_repeat_its_own_code(twin_files):
    assert data_problems(*twin_files()) == []


@pytest.mark.parametrize("old, new, expected", [
    ("550 kèm 5.1.1", "550 kèm 5.1.2", "vi/x.yaml: basic/510/description names codes ['5.1.2', '550']"),
    ("550 kèm 5.1.1", "554 kèm 5.1.1", "only in English: ['550'], only in the twin: ['554']"),
    ("(RFC 3463)", "(RFC 5321)", "vi/x.yaml: basic/510/description cites RFC ['5321'], the English text RFC ['3463']"),
    ("Sau RCPT TO, khi thấy 510.", "Sau RCPT TO, thường gặp cùng 5.7.1.", "basic/510/when names codes ['5.7.1']"),
])
def test_a_data_twin_changed_alone_fails_naming_the_file_key_and_codes(twin_files, old, new, expected):
    assert old in VI
    problems = data_problems(*twin_files(vi=VI.replace(old, new)))
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_page_twin_changed_alone_fails_naming_the_codes(tmp_path):
    en, vi = tmp_path / "a.md", tmp_path / "vi-a.md"
    en.write_text("# 450 vs 550\nRFC 5321 says 450 is temporary; 4.2.2 and 5.2.2 differ.\n", encoding="utf-8")
    vi.write_text("# 450 và 550\nRFC 5321 nói 450 là tạm thời; 4.2.2 và 5.2.2 khác nhau.\n", encoding="utf-8")
    assert page_problems(en, vi) == []
    vi.write_text("# 450 và 550\nRFC 5321 nói 450 là tạm thời; 4.2.2 và 5.2.1 khác nhau.\n", encoding="utf-8")
    assert page_problems(en, vi) == ["vi-a.md names codes ['4.2.2', '450', '5.2.1', '550'], the English text "
                                     "['4.2.2', '450', '5.2.2', '550'] (only in English: ['5.2.2'], only in the twin: ['5.2.1'])"]


@pytest.mark.parametrize("text, unknown", [
    ("Send 550 with 5.1.1, not 5xx or 4.7.x.", []),
    ("Exchange and Office 365 send it; submission uses port 587 or 465.", []),
    ("Office 365 and Microsoft 365 are products; 365 alone is not.", ["365"]),
    ("Send 559 with 5.1.1.", ["559"]),  # no such reply code
    ("Send 550 with 5.1.12.", ["5.1.12"]),  # no such enhanced code
    ("Retry 4.8.x later.", ["4.8.x"]),  # no subject 8
    ("SHA-256, 2048 bits, 192.0.2.1 and §4.2.5 are not codes.", []),
])
def test_unknown_codes_are_found_and_other_numbers_are_not(catalogue, text, unknown):
    assert unknown_codes(text, lambda c: catalogue.get(c) is not None) == unknown


# -- the pictures' words and the glossary's notes --------------------------------------------------------------

def _strings(value, keys=()):
    """(keys, text) of every string in a YAML tree."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*keys, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*keys, i))
    elif isinstance(value, str):
        yield keys, value


_CODES_AND_CLASSES = re.compile(r"(?<![\w.])(?:[2-5]xx|[2-5][0-9]{2}|[245X]\.[0-9]{1,3}\.[0-9]{1,3})(?![\w.])")
_NUMBERS = re.compile(r"(?<![\w.])[0-9]+(?:[.,][0-9]+)?(?![\w])")


def test_the_pictures_name_the_same_codes_and_classes_in_both_languages():
    # a test audit: "a 4xx reply ends it: the message bounces" in the English picture alone passed
    import yaml

    data = yaml.safe_load((Path(smtpteach.__file__).parent / "data" / "diagrams.yaml").read_text(encoding="utf-8"))
    en, vi = dict(_strings(data["en"])), dict(_strings(data["vi"]))
    assert en.keys() == vi.keys()
    named = 0
    for keys, text in en.items():
        a, b = sorted(_CODES_AND_CLASSES.findall(text)), sorted(_CODES_AND_CLASSES.findall(vi[keys]))
        assert a == b, f"diagrams.yaml {'/'.join(map(str, keys))}: en {a}, vi {b}"
        named += bool(a)
    assert named >= 5


def test_the_glossary_notes_state_the_same_numbers_in_both_languages():
    # a test audit: "maximal_queue_lifetime, 3 days by default" in the English note alone passed
    import yaml

    data = yaml.safe_load((Path(smtpteach.__file__).parent / "data" / "glossary.yaml").read_text(encoding="utf-8"))
    stated = 0
    for term in data["terms"]:
        note = term.get("note") or {}
        if "en" in note and "vi" in note:
            a, b = sorted(_NUMBERS.findall(note["en"])), sorted(_NUMBERS.findall(note["vi"]))
            assert a == b, f"glossary {term['en']!r}: en {a}, vi {b}"
            stated += len(a)
    assert stated >= 3
