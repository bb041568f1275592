"""A reply code that the prose writes with an enhanced code is a pair that exists: in the catalogue,
in the lessons' text and on the site's pages.

"535 5.7.8 for wrong login credentials", "550 with enhanced code 5.1.1", "421 or 451 with 4.4.2",
"451 kèm 4.7.0 hoặc 4.3.0": each reply code of such a phrase goes with each of its enhanced codes, and
the reader takes the pair as something a server sends. A pair exists when both codes are of one class
(RFC 3463 §2) and the IANA registry of enhanced status codes lists the reply code for the enhanced one
(or lists none, "Not given", or any of its class, "5XX"), or when real replies of the corpus
(``tests/data/corpus``) hold it, as "421 4.4.2" and "550 5.7.606" do. A pair that is neither, "535
5.7.9" for a wrong password, is a typo of one digit that ``tests/test_prose_twins.py`` cannot see
when both languages carry it.

The corpus is read here as a record of what servers send, not to tune explain(): both of its parts
count.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

from ._corpus import load
from .test_glossary import _leaves
from .test_twins import _without_fences

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "smtpteach" / "data"
# Pairs that a page writes on purpose although no server sends them, each with where and why.
WRITTEN_ON_PURPOSE = {
    # docs/explanation/enhanced-codes.md and docs/howto/diagnose-a-bounce.md (and their twins): the pair that
    # breaks RFC 2034 §4's rule that the classes agree, shown as such
    ("550", "4.7.1"),
    # lessons 02 and 03: what a server that still follows RFC 821 answers to the 101st RCPT TO (RFC 5321
    # §4.5.3.1.10: RFC 821 listed 552 for too many recipients), beside today's 452 4.5.3
    ("552", "5.5.3"),
    # docs/explanation/enhanced-codes.md (and its twin) and the Vietnamese API page: the reply parse_reply refuses for
    # its leading zero (RFC 3463 §2), while a lookup reads 5.01.1 as 5.1.1
    ("550", "5.01.1"),
}
REGISTRY = Path(__file__).resolve().parent / "data" / "iana-enhanced-registry.csv"

_BASIC = r"(?<![\w.§/-])(?P<basic>[2-5][0-9]{2})"
_ENHANCED = r"[245]\.[0-9]{1,3}\.[0-9]{1,3}(?![\w-]|\.[0-9])"
_OR = r"\s(?:or|hoặc)\s"
# what joins them: a space or a hyphen as in a reply ("550 5.1.1", "550-5.1.1"), or the prose's "with" and "kèm",
# with the words "(the) enhanced code" or "mã mở rộng" between
_LINK = r"(?:[ \u00a0-]|\s(?:with|kèm)\s(?:(?:the\s)?enhanced\scode\s|mã\smở\srộng\s)?)"
PAIR_RE = re.compile(_BASIC + rf"(?P<more_basic>(?:{_OR}[2-5][0-9]{{2}})*){_LINK}"
                     + rf"(?P<enhanced>{_ENHANCED})(?P<more_enhanced>(?:{_OR}{_ENHANCED})*)")


def pairs_in(text: str) -> Iterator[tuple[str, str, str]]:
    """(reply code, enhanced code, the phrase) for each pair that ``text`` writes.

    >>> [p[:2] for p in pairs_in("standard SMTP uses 550 with 5.7.0 or 5.7.1; 421 or 451 with 4.4.2")]
    [('550', '5.7.0'), ('550', '5.7.1'), ('421', '4.4.2'), ('451', '4.4.2')]
    """
    for m in PAIR_RE.finditer(text):
        basics = [m.group("basic"), *re.findall(r"[2-5][0-9]{2}", m.group("more_basic"))]
        enhanced = [m.group("enhanced"), *re.findall(_ENHANCED, m.group("more_enhanced"))]
        for b in basics:
            for e in enhanced:
                yield b, e, m.group(0)


@cache
def registry() -> dict[str, tuple[str, ...]]:
    """Each enhanced code of the registry ("X.7.8") -> the reply codes it lists ("535", "554"; "Any", "5XX")."""
    with REGISTRY.open(encoding="utf-8", newline="") as f:
        return {row["code"]: tuple(s.strip() for s in row["associated_basic"].split(",")) for row in csv.DictReader(f)}


@cache
def seen_in_replies() -> frozenset[tuple[str, str]]:
    return frozenset((m.group("basic"), m.group("enhanced")) for row in load()[1] for m in PAIR_RE.finditer(row.text)
                     if m.group(0)[3:4] in (" ", "-", "\u00a0"))


def exists(basic: str, enhanced: str) -> bool:
    """By the registry, for codes of one class; or by real replies, which break the rules at times ("451 5.7.3")."""
    listed = registry().get("X." + enhanced.split(".", 1)[1])
    if basic[0] == enhanced[0] and listed and ({"Any", "Not given", basic, basic[0] + "XX"} & set(listed)):
        return True
    return (basic, enhanced) in seen_in_replies()


DATA_FILES = sorted(p.relative_to(DATA).as_posix() for p in DATA.glob("*/*.yaml"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_pair_of_codes_the_prose_writes_exists(name):
    text = (DATA / name).read_text(encoding="utf-8")
    wrong = [f"{name}: {path}: {b} with {e} ({phrase!r}): the registry lists {', '.join(registry().get('X.' + e.split('.', 1)[1], ('no such code',)))} "
             f"for X.{e.split('.', 1)[1]}, and no real reply of the corpus pairs them"
             for path, s in _leaves(yaml.safe_load(text), "") for b, e, phrase in pairs_in(s) if not exists(b, e)]
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_writes_pairs_in_both_languages():
    # the test reads what it should: the prose's pairs, in each language, in each way of writing them
    found = {lang: [(b, e) for name in DATA_FILES if name.startswith(lang + "/")
                    for _, s in _leaves(yaml.safe_load((DATA / name).read_text(encoding="utf-8")), "")
                    for b, e, _ in pairs_in(s)] for lang in ("en", "vi")}
    assert len(found["en"]) > 80 and len(found["vi"]) > 80
    assert ("535", "5.7.8") in found["en"] and ("535", "5.7.8") in found["vi"]
    assert ("451", "4.4.2") in found["en"] and ("451", "4.4.2") in found["vi"]  # "421 or 451 with 4.4.2"


@pytest.mark.parametrize(("basic", "enhanced", "real"), [
    ("535", "5.7.8", True),  # the registry lists 535 for X.7.8
    ("535", "5.7.9", False),  # X.7.9 is 534's
    ("550", "5.1.1", True),
    ("550", "4.1.1", False),  # two classes
    ("250", "2.1.0", True),  # X.1.0: "Not given"
    ("550", "5.7.17", True),  # X.7.17: "5XX"
    ("421", "4.4.2", True),  # the registry lists only 421 ...
    ("451", "4.4.2", True),  # ... and servers send 451 4.4.2 too (the corpus)
    ("550", "5.7.606", True),  # Microsoft's own code, in the corpus only
    ("552", "5.7.606", False),
    ("550", "5.9.1", False),  # no subject 9
])
def test_a_pair_exists_by_the_registry_or_by_real_replies(basic, enhanced, real):
    assert exists(basic, enhanced) is real


def test_a_typo_of_one_digit_in_a_pair_is_found(tmp_path):
    """The data mutation that once survived (benchmarks/data-mutation.md): 535 5.7.8 became 5.7.9 in both languages."""
    text = (DATA / "en" / "enhanced-0-4.yaml").read_text(encoding="utf-8")
    assert "535 5.7.8 for wrong login credentials" in text
    wrong = text.replace("535 5.7.8 for wrong", "535 5.7.9 for wrong")
    bad = [(b, e) for _, s in _leaves(yaml.safe_load(wrong), "") for b, e, _ in pairs_in(s) if not exists(b, e)]
    assert bad == [("535", "5.7.9")]


def _pages() -> Iterator[tuple[str, str]]:
    """(where, text) for each markdown cell of the lessons and each page of the site, in both languages,
    without code blocks (what a code cell or a fenced block quotes is a reply, not a sentence)."""
    for nb in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb.parts:
            continue
        for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{nb.relative_to(ROOT).as_posix()}, cell {i}", _without_fences("".join(cell["source"]))
    for page in sorted((ROOT / "docs").rglob("*.md")):
        if "_build" not in page.parts:
            yield page.relative_to(ROOT).as_posix(), _without_fences(page.read_text(encoding="utf-8"))
    yield "README.md", _without_fences((ROOT / "README.md").read_text(encoding="utf-8"))


def test_every_pair_of_codes_the_lessons_and_pages_write_exists():
    seen = [(where, b, e, phrase) for where, text in _pages() for b, e, phrase in pairs_in(text)]
    assert len(seen) > 200  # the lessons and pages in both languages, with their pairs, are read
    wrong = [f"{where}: {b} with {e} ({phrase!r})" for where, b, e, phrase in seen
             if not exists(b, e) and (b, e) not in WRITTEN_ON_PURPOSE]
    assert not wrong, "pairs that neither the registry nor real replies know:\n" + "\n".join(wrong)
    # and each pair written on purpose is still written (else it goes from the list)
    assert WRITTEN_ON_PURPOSE <= {(b, e) for _, b, e, _ in seen}
