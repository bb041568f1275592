"""Vietnamese search, the way Vietnamese readers type: with or without diacritics,
in the words admins write (hộp thư, hàng đợi, chặn), or in English."""

from __future__ import annotations

import pytest

from smtpteach import default_catalogue, search
from smtpteach.cli import main


def _keys(words: str, lang: str = "vi") -> list[str]:
    return [e.key for e in search(words, lang=lang)]


@pytest.mark.parametrize("words", ["hộp thư đầy", "hop thu day", "Hộp Thư Đầy", "HOP THU DAY"])
def test_a_full_mailbox_finds_552_and_x22_first(words):
    assert sorted(_keys(words)[:2]) == ["552", "X.2.2"]


@pytest.mark.parametrize("words", ["hàng đợi", "hang doi"])
def test_the_queue_finds_452_and_458(words):
    keys = _keys(words)
    assert {"452", "458"} <= set(keys[:5]), keys


def test_blocked_finds_x71():
    # without diacritics "chan" is too many words (chân, chẩn, chắn): only "chặn" is asked of it
    assert "X.7.1" in _keys("chặn")[:8], _keys("chặn")


def test_a_word_typed_with_diacritics_must_have_them():
    # "hợp" (fit) is not "hộp" (box); without diacritics either matches
    assert "X.2.2" not in _keys("hợp thư đầy")
    assert set(_keys("hop thu day")) >= set(_keys("hộp thư đầy"))


@pytest.mark.parametrize("words, code", [("mailbox full", "X.2.2"), ("relay access denied", "X.7.1"), ("queue", "458")])
def test_english_words_still_find_the_code_on_the_vietnamese_side(words, code):
    english = _keys(words, "en")
    assert code in english
    assert code in _keys(words), (words, _keys(words))


def test_the_readers_own_language_ranks_above_the_english_fallback():
    # "đầy" is Vietnamese only: every result holds it in Vietnamese prose
    cat = default_catalogue()
    for entry in search("đầy", lang="vi"):
        t = entry.text(lang="vi")
        assert "đầy" in " ".join((t.name, t.description, t.when, t.fix)).lower(), entry.key
    # a match in the reader's own prose outranks one found only in the English fallback
    keys = _keys("mailbox")

    def own(key: str) -> bool:
        t = cat.get(key).text(lang="vi")
        return "mailbox" in " ".join((t.name, t.description, t.when, t.fix, getattr(cat.get(key), "title", ""))).lower()

    flags = [own(k) for k in keys]
    assert True in flags and False in flags, keys
    assert flags == sorted(flags, reverse=True), list(zip(keys, flags))


def test_the_cli_searches_in_vietnamese(capsys):
    assert main(["search", "--lang", "vi", "hop", "thu", "day"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(line.split()[0] for line in out[:2]) == ["552", "X.2.2"]
    assert "Hộp thư đầy" in out[0] + out[1]
