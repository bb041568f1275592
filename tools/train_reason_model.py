"""Train the reason model of explain() (smtpteach/data/reason-model.json) on the development rows.

    python tools/train_reason_model.py [--check]

explain() asks the model only when no rule of data/reasons.yaml or reasons-known.yaml and
no code names a reason. The model is linear over the words of a reply: each reason's
score is its bias plus the weights its words have for it. It is an averaged perceptron
(each weight the mean of its values over every step of training, from the zero it started at), trained on the
DEVELOPMENT part of the corpus only (tests/_corpus.py): the held-back part never
reaches it. Its weights are integers (a hundred times the averaged weight, rounded), so
Python and the browser add up the very same sums. Training visits the rows in an order
drawn from their text alone, so the output depends on nothing but the development rows:
the same rows give the same file, byte for byte. ``--check`` writes nothing and exits 1
when the shipped file differs from what the rows give.

What the model reads (smtpteach._explain.model_words): the distinct words of three
characters or more that are not numbers, in what the rules read (shorter ones are mostly
pieces of host names, single kana or ideographs, and words that go with every reason). A word enters the
vocabulary when rows of at least two publishers use it (a collection such as Sisimai's sample bounces
counts once: tests/_corpus.py's collector), so no word of a single source's own can decide anything.

It answers only when it is clear (see MARGIN and MIN_CUES): the likeliest reason must
beat the next one by a margin, and one of the reply's words at least must be a cue of it
(a word whose weight is highest for that reason). The cues are the evidence explain()
shows. benchmarks/accuracy-attempts.md says what was tried (naive Bayes before it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

OUT = ROOT / "smtpteach" / "data" / "reason-model.json"
SCALE = 100  # weights are SCALE times the averaged perceptron weight, rounded
EPOCHS = 10  # passes over the development rows
MIN_PUBLISHERS = 2  # a word in the vocabulary is used by rows of at least this many publishers
MIN_WORDS = 2  # the model answers only when it knows at least this many of a reply's words
# The model names a reason only when its score beats every other reason's by MARGIN (in SCALE units: three
# updates of a perceptron's weight) and MIN_CUES of the reply's words are cues of it. Chosen by grouped
# cross-validation on the development rows (tools/cv_reason_model.py): the smallest margin, in steps of 100,
# at which the model's answers are right at least as often as those of the naive Bayes model before it (55 of
# 85, against 43 of 71); words that go with every reason ("not", "message", "rejected") never decide alone.
MARGIN = 300
MIN_CUES = 1
# A cue of a reason: a word more than a third of whose rows carry that reason, in rows of at least MIN_PUBLISHERS
# publishers. A word that goes with every reason ("with", "message", "rejected") is no cue of any, whatever its
# weight, so it never decides alone, and is never shown as the evidence.
CUE_SHARE = 3  # more than 1/CUE_SHARE of the word's rows
# A weight smaller than one update of the perceptron (SCALE), once averaged, is left out, and so is a word with
# no weight left: the file is 40% smaller, and the cross-validated and held-back figures move by two rows (up).
MIN_WEIGHT = SCALE
# Runs of words the model never reads: the field names of a delivery status notification (RFC 3464 §2.2 and
# §2.3, and Postfix's X- fields), and the address and MTA types after them. They stand in DSNs of every
# reason, so a model that read them would take "Final-Recipient: rfc822; ..." for an unknown user.
IGNORE = ["reporting mta", "dsn gateway", "received from mta", "arrival date", "original envelope id",
          "original recipient", "final recipient", "remote mta", "diagnostic code", "last attempt date",
          "final log id", "will retry until", "x postfix queue id", "x postfix sender", "x actual recipient",
          "rfc822", "x unix", "x postfix"]
# The model reads only a text that is about mail: one with a reply code, or with one of these words. They are
# written from knowledge, not learnt: the words of mail and of its machinery, in English and in the languages
# the corpus holds replies in. Without them, one sentence in twelve of Python's own documentation got a reason
# from the naive Bayes model before this one, and one in eight from the perceptron ("the mode argument to
# io.open" was a blocked sender); with them, 9 of 2,564, and neither part of the corpus loses a row
# (benchmarks/accuracy-attempts.md).
ABOUT_MAIL = sorted(set("""
mail mails email emails smtp esmtp lmtp smtpd message messages recipient recipients sender senders mailbox mailboxes
delivery deliver delivered undeliverable undelivered bounce bounced relay relaying mx rcpt rcptto mailfrom helo ehlo dsn
postmaster inbox quota spam mta mailer mailserver maildir postfix exim sendmail qmail exchange envelope imap dovecot
procmail forwarding tls starttls ssl dns ptr rdns spf dkim dmarc dnsbl rbl blacklist blacklisted blocklist blocklisted
spamhaus greylist greylisted greylisting header headers attachment attachments mime ip virus malware phishing
nachricht empfänger absender postfach anhang anhänge dateianhänge courriel destinataire expéditeur messagerie jointe
correo destinatario remitente buzón posta casella mittente thư 邮 郵 宛
""".split()))
# labels the model never gives: "undefined" is what explain() says when nothing is known, and a
# delivery is told by its code or its log flags, not by words
NOT_GUESSED = ("undefined", "delivered")


class _Ignoring:
    ignore = tuple(" " + phrase + " " for phrase in IGNORE)


_IGNORING = _Ignoring()


@cache
def _rules_alone():
    """data/reasons.yaml compiled without a model (the model's own file may not exist yet)."""
    from smtpteach._loading import _data_dir, _read_yaml
    from smtpteach._explain import _Rules

    return _Rules(_read_yaml(str(Path(_data_dir()) / "reasons.yaml"), "smtpteach/data/reasons.yaml"))


def features(text: str) -> set[str]:
    """The words the model weighs in a corpus text, as explain() reads them."""
    from smtpteach._explain import _Model, extract, model_words, reply_words

    r = _rules_alone()
    return model_words(_Model.readable(_IGNORING, reply_words(extract(text, r)[2], r)))


def train(rows: list) -> dict:
    """The model, as the JSON object shipped in smtpteach/data/reason-model.json."""
    from _corpus import collector

    rows = [row for row in rows if row.reason not in NOT_GUESSED]
    if any(row.source.held_back for row in rows):
        raise ValueError("the reason model is trained on development rows only")
    words_of_row = [features(row.text) for row in rows]
    publishers: dict[str, set[str]] = defaultdict(set)
    for row, words in zip(rows, words_of_row):
        for w in words:
            publishers[w].add(collector(row.source.id))
    vocabulary = sorted(w for w, who in publishers.items() if len(who) >= MIN_PUBLISHERS)
    known = set(vocabulary)
    reasons = sorted({row.reason for row in rows})
    index = {reason: i for i, reason in enumerate(reasons)}
    examples = [(sorted(words & known), index[row.reason]) for row, words in zip(rows, words_of_row) if words & known]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    cue_publishers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row, words in zip(rows, words_of_row):
        for w in words & known:
            counts[w][row.reason] += 1
            cue_publishers[(w, row.reason)].add(collector(row.source.id))
    bias, weights = perceptron(examples, len(reasons))
    words: dict[str, list[int]] = {}
    for w in vocabulary:
        row = [weight if abs(weight) >= MIN_WEIGHT else 0 for weight in weights.get(w, [0] * len(reasons))]
        if not any(row):
            continue
        top = cue(w, reasons, counts[w], cue_publishers)
        words[w] = [top if top >= 0 and row[top] > 0 else -1]  # a cue that the perceptron weighs for its reason
        for i, weight in enumerate(row):
            if weight:
                words[w] += [i, weight]
    sources = sorted({row.source.id for row in rows})
    return {
        "about": "The reason model of explain(): written by tools/train_reason_model.py from the development rows "
                 "of tests/data/corpus; do not edit. A reason's score is its prior plus, for each known word of the reply, "
                 "the word's weight for it (words: [index of the reason the word is a cue of or -1, then reason index, "
                 "weight, ...]); a reason is named only when its score beats every other by margin and min_cues of the "
                 "words are cues of it.",
        "trained_on": {"rows": len(rows), "sources": sources},
        "scale": SCALE,
        "epochs": EPOCHS,
        "min_words": MIN_WORDS,
        "min_cues": MIN_CUES,
        "margin": MARGIN,
        "ignore": IGNORE,
        "about_mail": ABOUT_MAIL,
        "reasons": reasons,
        "prior": bias,
        "words": words,
    }


def cue(word: str, reasons: list[str], counts: Counter[str], publishers: dict[tuple[str, str], set[str]]) -> int:
    """The index of the reason that ``word`` is a cue of, or -1 (see CUE_SHARE)."""
    top = max(range(len(reasons)), key=lambda i: (counts[reasons[i]], -i))
    if CUE_SHARE * counts[reasons[top]] > sum(counts.values()) and len(publishers[(word, reasons[top])]) >= MIN_PUBLISHERS:
        return top
    return -1


def perceptron(examples: list[tuple[list[str], int]], classes: int) -> tuple[list[int], dict[str, list[int]]]:
    """An averaged perceptron over ``examples`` (the sorted known words of a row, its reason's index): the
    bias of each reason and each word's weights, SCALE times their averages over every step, rounded.

    Each pass visits the rows in an order drawn from their words and reason alone (a hash), so no
    accident of the corpus files' order shapes the weights. A mistake moves the weights of the row's
    words towards its reason and away from the one predicted; the average keeps the weights that held
    longest, which is what makes a perceptron's answers stable."""
    weights: dict[str, list[int]] = defaultdict(lambda: [0] * classes)
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * classes)  # each update times the step it was made at
    bias, bias_totals = [0] * classes, [0] * classes
    step = 1
    keys = [" ".join(words) + "\t" + str(label) for words, label in examples]
    for epoch in range(EPOCHS):
        order = sorted(range(len(examples)), key=lambda i: hashlib.sha1(f"{epoch}\t{keys[i]}".encode()).digest())
        for i in order:
            words, label = examples[i]
            scores = bias[:]
            for w in words:
                for k, weight in enumerate(weights[w]):
                    scores[k] += weight
            guess = max(range(classes), key=lambda k: (scores[k], -k))
            if guess != label:
                for table, amount in ((weights, 1), (totals, step)):
                    for w in words:
                        table[w][label] += amount
                        table[w][guess] -= amount
                bias[label] += 1
                bias[guess] -= 1
                bias_totals[label] += step
                bias_totals[guess] -= step
            step += 1

    def average(now: list[int], total: list[int]) -> list[int]:
        return [round(SCALE * (n - t / step)) for n, t in zip(now, total)]

    return average(bias, bias_totals), {w: average(weights[w], totals[w]) for w in sorted(weights)}


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
