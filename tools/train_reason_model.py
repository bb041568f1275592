"""Train the reason model of explain() (smtpteach/data/reason-model.json) on the development rows.

    python tools/train_reason_model.py [--check]

explain() asks the model only when no rule of data/reasons.yaml and no code names a
reason. The model is naive Bayes over the words of a reply (multinomial, add-one
smoothing), trained on the DEVELOPMENT part of the corpus only (tests/_corpus.py):
the held-back part never reaches it. Its weights are integers (a hundred times the
natural logarithm of a probability, rounded), so Python and the browser add up the
very same sums. The output depends on nothing but the development rows: the same rows
give the same file, byte for byte. ``--check`` writes nothing and exits 1 when the
shipped file differs from what the rows give.

What the model reads (smtpteach._explain.model_words): the distinct words of three
characters or more that are not numbers, in what the rules read (shorter ones are mostly
pieces of host names, single kana or ideographs, and words that go with every reason). A word enters the
vocabulary when rows of at least two publishers use it, so no word of a single
source's own can decide anything.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

OUT = ROOT / "smtpteach" / "data" / "reason-model.json"
SCALE = 100  # weights are SCALE * ln(probability), rounded
ALPHA = 1  # add-one smoothing
MIN_PUBLISHERS = 2  # a word in the vocabulary is used by rows of at least this many publishers
MIN_WORDS = 2  # the model answers only when it knows at least this many of a reply's words
# A cue of a reason: a word more than a third of whose rows carry that reason, in rows of at least
# MIN_PUBLISHERS publishers. The model names a reason only when MIN_CUES cues of it are among the reply's
# words, so words that go with every reason ("not", "message", "rejected") or one stray cue never decide:
# the reply stays undefined.
CUE_SHARE = 3  # more than 1/CUE_SHARE of the word's rows
# Runs of words the model never reads: the field names of a delivery status notification (RFC 3464 §2.2 and
# §2.3, and Postfix's X- fields), and the address and MTA types after them. They stand in DSNs of every
# reason, so a model that read them would take "Final-Recipient: rfc822; ..." for an unknown user.
IGNORE = ["reporting mta", "dsn gateway", "received from mta", "arrival date", "original envelope id",
          "original recipient", "final recipient", "remote mta", "diagnostic code", "last attempt date",
          "final log id", "will retry until", "x postfix queue id", "x postfix sender", "x actual recipient",
          "rfc822", "x unix", "x postfix"]
MIN_CUES = 2  # the model names a reason only when at least this many of the words are cues of it
# labels the model never gives: "undefined" is what explain() says when nothing is known, and a
# delivery is told by its code or its log flags, not by words
NOT_GUESSED = ("undefined", "delivered")


class _Ignoring:
    ignore = tuple(" " + phrase + " " for phrase in IGNORE)


_IGNORING = _Ignoring()


@cache
def _rules_alone():
    """data/reasons.yaml compiled without a model (the model's own file may not exist yet)."""
    from smtpteach._catalogue import _data_dir, _read_yaml
    from smtpteach._explain import _Rules

    return _Rules(_read_yaml(str(Path(_data_dir()) / "reasons.yaml"), "smtpteach/data/reasons.yaml"))


def features(text: str) -> set[str]:
    """The words the model weighs in a corpus text, as explain() reads them."""
    from smtpteach._explain import _Model, extract, model_words, reply_words

    r = _rules_alone()
    return model_words(_Model.readable(_IGNORING, reply_words(extract(text, r)[2], r)))


def train(rows: list) -> dict:
    """The model, as the JSON object shipped in smtpteach/data/reason-model.json."""
    from _corpus import publisher

    rows = [row for row in rows if row.reason not in NOT_GUESSED]
    if any(row.source.held_back for row in rows):
        raise ValueError("the reason model is trained on development rows only")
    words_of_row = [features(row.text) for row in rows]
    publishers: dict[str, set[str]] = defaultdict(set)
    for row, words in zip(rows, words_of_row):
        for w in words:
            publishers[w].add(publisher(row.source.id))
    vocabulary = sorted(w for w, who in publishers.items() if len(who) >= MIN_PUBLISHERS)
    known = set(vocabulary)
    reasons = sorted({row.reason for row in rows})
    documents = Counter(row.reason for row in rows)
    counts = {reason: Counter() for reason in reasons}
    cue_publishers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row, words in zip(rows, words_of_row):
        counts[row.reason].update(words & known)
        for w in words & known:
            cue_publishers[(w, row.reason)].add(publisher(row.source.id))
    prior, base = [], []
    words: dict[str, list[int]] = {w: [cue(w, reasons, counts, cue_publishers)] for w in vocabulary}
    for index, reason in enumerate(reasons):
        total = sum(counts[reason].values()) + ALPHA * len(vocabulary)
        prior.append(round(SCALE * math.log(documents[reason] / len(rows))))
        floor = round(SCALE * math.log(ALPHA / total))
        base.append(floor)
        for w in vocabulary:
            extra = round(SCALE * math.log((counts[reason][w] + ALPHA) / total)) - floor
            if extra:
                words[w] += [index, extra]
    sources = sorted({row.source.id for row in rows})
    return {
        "about": "The reason model of explain(): written by tools/train_reason_model.py from the development rows "
                 "of tests/data/corpus; do not edit. A reason's score is its prior, plus for each known word of the "
                 "reply its base weight and the word's extra weight for it (words: [index of the reason the word is a cue "
                 "of or -1, then reason index, extra, ...]); a reason is named only when min_cues of the words are cues of it.",
        "trained_on": {"rows": len(rows), "sources": sources},
        "scale": SCALE,
        "min_words": MIN_WORDS,
        "min_cues": MIN_CUES,
        "ignore": IGNORE,
        "reasons": reasons,
        "prior": prior,
        "base": base,
        "words": words,
    }


def cue(word: str, reasons: list[str], counts: dict[str, Counter], publishers: dict[tuple[str, str], set[str]]) -> int:
    """The index of the reason that ``word`` is a cue of, or -1 (see CUE_SHARE)."""
    rows = [counts[reason][word] for reason in reasons]
    top = max(range(len(reasons)), key=lambda i: (rows[i], -i))
    if CUE_SHARE * rows[top] > sum(rows) and len(publishers[(word, reasons[top])]) >= MIN_PUBLISHERS:
        return top
    return -1


def dumps(model: dict) -> str:
    """The file's text: one vocabulary word a line, so that a retrained model reads as a small diff."""
    head = {k: v for k, v in model.items() if k != "words"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "words": {']
    items = list(model["words"].items())
    for i, (w, pairs) in enumerate(items):
        lines.append(f"  {json.dumps(w)}: {json.dumps(pairs, separators=(',', ':'))}" + ("," if i < len(items) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def build() -> str:
    """The text of smtpteach/data/reason-model.json, from the development rows of the corpus."""
    from _corpus import load, parts

    development, _ = parts(load()[1])
    return dumps(train(development))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped model differs from what the rows give")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.relative_to(ROOT)}: " + ("up to date" if same else "differs from the development rows; run tools/train_reason_model.py"))
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
