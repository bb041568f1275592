"""The memo of reasons that triage reads a log with (ClassifyMemo): the same answer as explain() gives, for every reply.

A log repeats a few wordings with their own addresses, queue IDs and tracking tokens. The memo keys a reply by its
codes, its class and its words, each run of words that nothing reads written as one "_". That is exact only if no
rule, phrase or model weight can tell such runs apart, so these tests change the runs (other words, longer or shorter
runs, words put in where one already stands) on every corpus reply and check that the reasons do not change.
"""

from __future__ import annotations

import random
from itertools import groupby

import pytest

import smtpteach
from smtpteach._explain import ClassifyMemo, _classify, _explain, _rules, reply_words

from ._corpus import load

ROWS = load()[1]
TEXTS = sorted({row.text for row in ROWS})


def _reading(text: str, classify) -> tuple:
    try:
        e = _explain(text, "en", None, classify)
    except smtpteach.MixedRecordsError:
        return ("several records",)
    return e.as_dict(), e.evidence


def test_explain_with_the_memo_says_what_explain_says_of_every_corpus_reply_twice_over():
    memo = ClassifyMemo(size=100_000)
    first = [_reading(t, memo) for t in TEXTS]
    again = [_reading(t, memo) for t in TEXTS]  # the second pass answers from the memo
    plain = [_reading(t, _classify) for t in TEXTS]
    assert first == plain
    assert again == plain
    assert len(memo._answers) < len(TEXTS)  # some replies share a key: the memo is used, not only filled


def _other_runs(words: list[str], memo: ClassifyMemo, rng: random.Random) -> list[str]:
    """The words with each run of words that nothing reads replaced by a run of one to three other such words."""
    known = memo._vocabulary
    assert known is not None
    out: list[str] = []
    for is_read, run in groupby(words, key=known.__contains__):
        out.extend(run if is_read else (f"zq{rng.randrange(10**6)}x" for _ in range(rng.randint(1, 3))))
    return out


def test_a_run_of_words_no_rule_reads_decides_nothing_however_long_and_whatever_its_words():
    r = _rules()
    memo = ClassifyMemo(r)
    memo.key([])  # reads the vocabulary
    rng = random.Random(16)
    changed = 0
    for text in TEXTS:
        words = reply_words(text, r)
        other = _other_runs(words, memo, rng)
        assert memo.key(other) == memo.key(words)
        changed += other != words
        for basic, enhanced, cls in ((None, None, "5"), ("550", "5.1.1", "5"), ("451", None, "4")):
            assert _classify(text, basic, enhanced, r, cls, other) == _classify(text, basic, enhanced, r, cls, words), text
    assert changed > len(TEXTS) // 2  # most replies hold a host, an ID or a word no rule reads


def test_words_a_rule_reads_are_kept_in_the_key_and_apart():
    memo = ClassifyMemo()
    # "mailbox full" is a phrase; with a word between, it is not, and the keys differ
    assert memo.key(["mailbox", "full"]) != memo.key(["mailbox", "qqzx1", "full"])
    assert memo.key(["mailbox", "qqzx1", "full"]) == memo.key(["mailbox", "a7f3e", "zz9", "full"]) == ("mailbox", "_", "full")


def test_the_codes_and_the_class_are_part_of_the_key():
    r = _rules()
    memo = ClassifyMemo(r)
    words = reply_words("Requested action not taken", r)
    # the same words read with another reply code give that code's reason, not the first one's from the memo
    answers = [memo("Requested action not taken", basic, None, r, basic[0], list(words)) for basic in ("550", "452", "421")]
    plain = [_classify("Requested action not taken", basic, None, r, basic[0], list(words)) for basic in ("550", "452", "421")]
    assert answers == plain
    assert len({a[0] for a in plain}) == 3  # userunknown/undefined, systemfull, ... : three reasons, three keys


def test_the_memo_keeps_at_most_its_size():
    r = _rules()
    memo = ClassifyMemo(r, size=3)
    for n, text in enumerate(TEXTS[:50]):
        memo(text, None, None, r, "5")
        assert len(memo._answers) <= 3


@pytest.mark.parametrize("lines", [[
    "Mar 11 00:00:02 mx1 postfix/smtp[1203]: 593AD699FC: to=<ana@gmail.example>, relay=mx.gmail.example[192.0.2.7]:25, "
    "delay=1.2, dsn=5.1.1, status=bounced (host mx.gmail.example[192.0.2.7] said: 550-5.1.1 The email account that you "
    f"tried to reach does not exist. 550 5.1.1 https://support.example/?p=NoSuchUser {token} - gsmtp (in reply to RCPT TO "
    "command))" for token in ("d9443c01a7336-1dd9c3a4b1csi1pll.1", "a1b2c3d4e5f6-77zz9csi2pll.22")
] + [
    "Mar 11 00:00:03 mx1 postfix/smtp[1204]: 7AB12C0DEF: to=<bo@mail.example>, relay=mx.mail.example[192.0.2.8]:25, "
    "delay=3, dsn=4.2.2, status=deferred (host mx.mail.example[192.0.2.8] said: 452 4.2.2 Mailbox full (in reply to RCPT "
    "TO command))",
]])
def test_triage_gives_each_record_what_explain_gives_its_text(lines):
    records = list(smtpteach.triage(lines))
    assert [r.reason for r in records] == ["userunknown", "userunknown", "mailboxfull"]
    for record in records:
        e = smtpteach.explain(record.text)
        assert (record.basic, record.enhanced, record.reason, record.actor) == \
            (e.basic and e.basic.code, e.enhanced and e.enhanced.code, e.reason, e.actor)


def test_every_word_the_rules_or_the_model_read_stands_for_itself_in_the_key():
    """Each word that a phrase of any rule (both tiers, each alternative), the model's weights, its words about mail
    or its ignored runs hold is kept as itself: one left out would be "_", and two replies that differ in it would
    share an answer (the invariance test above finds only the words its corpus holds next to others)."""
    from smtpteach._explain import expand_phrase, rules_data

    data, model = rules_data()
    read = {w for rule in data["rules"] for p in (*rule.get("any", ()), *rule.get("except", ()),
                                                   *(q for group in rule.get("all", ()) for q in group))
            for sequence in expand_phrase(p) for w in sequence}
    read |= set(model["words"]) | set(model["about_mail"]) | {w for run in model["ignore"] for w in run.split()}
    memo = ClassifyMemo()
    words = sorted(read)
    assert len(words) > 5000
    assert memo.key(words) == tuple(words)
