"""The corpus of real replies (tests/data/corpus/): its sources, its split, its labels,
and what explain() may never do on it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import smtpteach

from ._corpus import REASONS, CorpusError, held_back, load, load_file, parts, publisher

SOURCES, ROWS = load()


def test_every_source_names_where_it_comes_from_and_is_split_whole():
    assert SOURCES and ROWS
    for source in SOURCES.values():
        assert source.url.startswith(("https://", "http://")) and source.title.strip()
        for other in source.independent_of:
            assert other in SOURCES, (source.id, other)
    development, held = parts(ROWS)
    # split by source, never by row: no source has rows on both sides
    assert {r.source.id for r in development}.isdisjoint({r.source.id for r in held})
    assert all(r.source.held_back == held_back(r.source.id) for r in ROWS)


def test_the_corpus_is_big_and_varied_enough_to_measure_generalisation():
    development, held = parts(ROWS)
    assert len(ROWS) >= 1000 and len({publisher(s) for s in SOURCES}) >= 20
    # about a quarter of the publishers is held back, and it has rows enough to measure
    publishers = {publisher(s): SOURCES[s].held_back for s in SOURCES}
    assert 0.15 <= sum(publishers.values()) / len(publishers) <= 0.35
    assert 0.15 <= len(held) / len(ROWS) <= 0.35
    assert len(held) >= 150
    # most reasons appear, on both sides
    assert len({r.reason for r in development}) >= 20 and len({r.reason for r in held}) >= 12


def test_the_readme_says_the_corpus_s_size_as_it_is():
    """The README's "about 7,100 replies from over 1,100 public sources": within a tenth of the rows, and under the
    number of sources, so that a corpus that grows or shrinks by much takes the README with it."""
    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"`tests/data/corpus/`: about ([0-9,]+) replies from over ([0-9,]+) public sources", readme)
    assert said, "the README no longer says how big the corpus is"
    about, over = (int(g.replace(",", "")) for g in said.groups())
    assert abs(len(ROWS) - about) <= about / 10, (len(ROWS), about)
    assert over < len(SOURCES) <= over * 1.5, (len(SOURCES), over)


def test_no_text_is_there_twice():
    seen = Counter(" ".join(r.text.split()).casefold() for r in ROWS)
    assert [t[:80] for t, n in seen.items() if n > 1] == []


def test_labels_are_sisimai_5_reasons_and_say_who_gave_them():
    assert {r.reason for r in ROWS} <= REASONS
    assert {r.label for r in ROWS} <= {"source", "sisimai", "project"}


_CODE = re.compile(r"(?<![0-9.])([2-5][0-9][0-9])(?![0-9])")
# a code may end a sentence ("... rejected. 4.5.1."), never be part of a longer number ("4.5.1.2", "192.0.2.45")
_ENHANCED = re.compile(r"(?<![0-9.])([245])\.([0-9]{1,3})\.([0-9]{1,3})(?![0-9]|\.[0-9])")


# Rows that hold more than one record (explain() refuses them with MixedRecordsError, naming the
# second record's line): a telnet transcript with a 250 and then a 550 reply; sendmail's session transcript with two
# replies of other codes (554 5.0.0 and 554 5.3.5).
SEVERAL_RECORDS = {("namshi-docker-smtp-issues", 1): 4, ("twisted1919-bounce-handler-src", 70): 3}


def test_the_rows_that_hold_several_records_are_these():
    found = {}
    for row in ROWS:
        try:
            smtpteach.explain(row.text)
        except smtpteach.MixedRecordsError as exc:
            found[(row.source.id, row.number)] = exc.line
    assert found == SEVERAL_RECORDS


def test_explain_never_reports_a_code_the_text_does_not_hold():
    invented = []
    for row in ROWS:
        if (row.source.id, row.number) in SEVERAL_RECORDS:
            continue
        e = smtpteach.explain(row.text)
        if e.basic is not None and e.basic.code not in _CODE.findall(row.text):
            invented.append((row.source.id, row.number, "basic", e.basic.code))
        if e.enhanced is not None and e.enhanced.code not in {".".join(m) for m in _ENHANCED.findall(row.text)}:
            invented.append((row.source.id, row.number, "enhanced", e.enhanced.code))
    assert invented == []


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_SOURCE = "source:\n  id: {id}\n  title: T\n  url: https://example.org/\n  kind: provider-help\n"


@pytest.mark.parametrize("body, message", [
    ("rows:\n  - text: '550 x'\n    reason: userunknown\n    label: source\n", "x-a.yaml: the file holds exactly 'source' and 'rows'"),
    (GOOD_SOURCE.format(id="other") + "rows:\n  - {text: '550 x', reason: userunknown, label: source}\n",
     "x-a.yaml, field 'source.id': the id 'other' must equal the file name"),
    (GOOD_SOURCE.format(id="x-a").replace("provider-help", "blog") + "rows:\n  - {text: '550 x', reason: userunknown, label: source}\n",
     "x-a.yaml, field 'source.kind': 'blog' is not one of"),
    (GOOD_SOURCE.format(id="x-a") + "rows:\n  - {text: '550 x', reason: userunknown, label: source}\n  - {text: '', reason: userunknown, label: source}\n",
     "x-a.yaml, row 2, field 'text': must be a non-empty string"),
    (GOOD_SOURCE.format(id="x-a") + "rows:\n  - {text: '550 x', reason: nosuchuser, label: source}\n",
     "x-a.yaml, row 1, field 'reason': 'nosuchuser' is not a Sisimai 5 reason"),
    (GOOD_SOURCE.format(id="x-a") + "rows:\n  - {text: '550 x', reason: userunknown, label: guess}\n",
     "x-a.yaml, row 1, field 'label': 'guess' is not one of project, sisimai, source"),
    (GOOD_SOURCE.format(id="x-a") + "rows:\n  - {text: '550 x', reason: userunknown, label: source, colour: red}\n",
     "x-a.yaml, row 1: unknown keys ['colour']"),
    (GOOD_SOURCE.format(id="x-a") + "rows: [\n", "x-a.yaml: not valid YAML"),
])
def test_a_malformed_file_names_the_file_the_row_and_the_field(tmp_path, body, message):
    with pytest.raises(CorpusError) as info:
        load_file(_write(tmp_path, "x-a.yaml", body))
    assert str(info.value).startswith(message), str(info.value)


def test_older_sisimai_names_read_as_sisimai_5(tmp_path):
    path = _write(tmp_path, "x-a.yaml", GOOD_SOURCE.format(id="x-a")
                  + "rows:\n  - {text: '421 slow down', reason: speeding, label: sisimai}\n"
                  + "  - {text: '552 too big', reason: mesgtoobig, label: sisimai}\n")
    assert [r.reason for r in load_file(path)[1]] == ["ratelimited", "emailtoolarge"]
