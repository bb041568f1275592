"""The command line's list, as a reader sees it: each filter keeps what it names, in the language asked for.

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

import pytest

import smtpteach
from smtpteach.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_enhanced_subject_0_lists_only_the_codes_of_subject_0(capsys):
    # subject 0 is a digit like any other: with "--subject 0" read as "no subject", every enhanced code was listed
    code, out, err = run(capsys, "list", "--enhanced", "--subject", "0")
    listed = [line.split()[0] for line in out.splitlines()]
    expected = [e.key for e in smtpteach.default_catalogue().enhanced.values() if e.subject == 0]
    assert (code, err) == (0, "") and listed == expected and listed and all(c.startswith("X.0.") for c in listed)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_list_says_each_code_s_name_and_status_in_the_language_asked_for(capsys, lang):
    # "smtpteach list --lang vi" printed the English names, or the data's own status keys ("core", "registry-only")
    cat = smtpteach.default_catalogue()
    words = cat.ui(lang=lang)["status_short"]
    code, out, err = run(capsys, "list", "--lang", lang)
    assert (code, err) == (0, "")
    rows = out.splitlines()
    assert len(rows) == len(cat.basic)
    for row, entry in zip(rows, cat.basic.values()):
        assert row.startswith(f"{entry.key}  {entry.name(lang=lang)}"), row
        assert row.rstrip().endswith(" " + words[entry.status]), row
    if lang == "vi":
        assert "Yêu cầu đã hoàn tất" in out and "chỉ trong registry" in out and "Requested Action Completed" not in out
    assert " core" not in out and "registry-only" not in out


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_list_enhanced_names_each_code_in_the_language_asked_for(capsys, lang):
    # "smtpteach list --enhanced --lang vi" printed the English names
    cat = smtpteach.default_catalogue()
    code, out, err = run(capsys, "list", "--enhanced", "--subject", "2", "--lang", lang)
    expected = [f"{e.key:8} {e.name(lang=lang)}" for e in cat.enhanced.values() if e.subject == 2]
    assert (code, err) == (0, "") and out.splitlines() == expected
    if lang == "vi":
        assert smtpteach.lookup("X.2.2").name(lang="vi") in out and smtpteach.lookup("X.2.2").name() not in out


@pytest.mark.parametrize("lang, none", [("en", "none"), ("vi", "không có")])
def test_show_says_none_for_a_list_with_nothing_in_it(capsys, lang, none):
    # 354 has no related enhanced code: the row said nothing at all after its label instead of "none"
    cat = smtpteach.default_catalogue()
    labels = cat.ui(lang=lang)["labels"]
    code, out, err = run(capsys, "show", "354", "--lang", lang)
    rows = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    assert (code, err) == (0, "") and rows[labels["enhanced"]] == none, out
    # and a non-standard code with no reference says so in its References row
    code, out, _ = run(capsys, "show", "571", "--lang", lang)
    rows = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    assert rows[labels["references"]] == none, out


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_list_keeps_the_status_in_one_column_whatever_the_names_length(capsys, lang):
    # a Vietnamese name of 45 characters or more (251's) pushed its row's status out of the column
    code, out, err = run(capsys, "list", "--lang", lang)
    words = set(smtpteach.default_catalogue().ui(lang=lang)["status_short"].values())
    starts = set()
    for row in out.splitlines():
        status = next(w for w in sorted(words, key=len, reverse=True) if row.endswith(" " + w))
        starts.add(len(row) - len(status))
    assert (code, err) == (0, "") and len(starts) == 1, sorted(starts)
