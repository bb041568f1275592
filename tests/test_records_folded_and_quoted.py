"""Where one record ends (smtpteach/_records.py, and secondRecord in static/core.js), on texts the parity corpus
does not hold.

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

import pytest

import smtpteach
from smtpteach._records import second_record

from .test_js_parity import NODE, _explained, run_node

# a reply whose folded continuation (RFC 5322 §2.2.3 folds with a space or a TAB) quotes the same reply again
TAB_FOLDED = "550 5.1.1 user unknown\n\t(host mx.example.org said: 550 5.1.1 user unknown)"
# Exim's quoted reply, with a "said:" later on its own line, then a second reply: the first mark opens the quote
EXIM_THEN_REPLY = ("SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 unknown, mx said: no\n"
                   "452 4.2.2 mailbox full")


def test_a_line_folded_with_a_tab_continues_the_record_before_it():
    # a line folded with a TAB was read as a record of its own: explain() refused one reply as "two records"
    assert second_record(TAB_FOLDED) is None
    assert second_record(TAB_FOLDED.replace("\t", " ")) is None
    assert smtpteach.explain(TAB_FOLDED).reason == "userunknown"


def test_a_quoted_reply_is_found_after_the_first_mark_of_the_line():
    # searched from the last mark ("said: no"), Exim's line held no reply, and the 452 after it was explained as the
    # same record as the 550
    assert second_record(EXIM_THEN_REPLY) == (2, "reply")
    with pytest.raises(smtpteach.MixedRecordsError) as info:
        smtpteach.explain(EXIM_THEN_REPLY)
    assert (info.value.line, info.value.kind) == (2, "reply")


def test_the_browser_reads_these_records_as_python_does(tmp_path, catalogue):
    from smtpteach._explain import later_for_browser, rules_for_browser

    from ._guards import require

    require(NODE is not None, "node is not installed: the JavaScript parity tests need it")
    texts = [TAB_FOLDED, EXIM_THEN_REPLY]
    job = {"explain": {"rules": rules_for_browser(), "later": later_for_browser(), "texts": texts,
                       "ui": {lang: catalogue.ui(lang=lang) for lang in catalogue.languages}}}
    out = run_node(job, tmp_path)
    for lang in catalogue.languages:
        for text, js in zip(texts, out["explain"][lang], strict=True):
            assert js == _explained(text, lang), (lang, text)
    assert "error" not in out["explain"]["en"][0] and out["explain"]["en"][1]["error"] == "MixedRecordsError"
