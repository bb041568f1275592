"""How often explain() names the reason a real reply's label gives, side by side with Sisimai.

The rows are the corpus of real replies in ``tests/data/corpus/`` (see
``tests/_corpus.py``), split by source into a development part, which rules may be
written from, and a held-back part, which only measures. For each part: the share of
rows whose reason explain() names as the label does, per reason, and a confusion
table (which reasons are taken for which). Sisimai 4's ``Sisimai::Reason->match``
(Debian's ``libsisimai-perl``) reads the same held-back texts in one Perl process in
the same run: its agreement and its speed stand next to ours. Where Perl or the
package is missing, the figure says Sisimai was skipped and why.

The held-back figure comes with an interval: the publishers of the held-back part are drawn again
with replacement (a bootstrap by publisher, since one publisher's rows share their wording), and the
middle 95% of the shares those draws give is what the figure could be on other publishers like them.

Two blind readers (``benchmarks/blind-readers.tsv``) labelled 400 of the rows again from the
text alone: on the rows where they agree, the corpus labels and explain() are each held
against them, which shows how far the labels themselves are from a careful reader's, and how far
explain() is. A second reader (``benchmarks/second-reader.tsv``) labelled the 165 rows of a fresh
batch again, as blind as its own labeller: on the rows where the two agree, explain() is held against
their reason.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# Sisimai 4 names for Sisimai 5's reasons
OLD_NAMES = {"speeding": "ratelimited", "toomanyconn": "ratelimited", "exceedlimit": "emailtoolarge",
             "mesgtoobig": "emailtoolarge"}

# One Perl process for the whole batch: a JSON list of texts in, one reason a line out,
# then the seconds spent matching (the start of Perl and the reading of the input left out).
PERL = r"""
use strict; use warnings; use JSON::PP; use Time::HiRes qw(time); use Sisimai::Reason;
local $/; my $texts = JSON::PP->new->utf8->decode(<STDIN>);
my @out; my $t0 = time;
for my $text (@$texts) { my $r = Sisimai::Reason->match($text); push @out, (defined $r && length $r) ? $r : 'undefined'; }
my $spent = time - $t0;
print join("\n", @out), "\n", "SECONDS $spent\n";
"""


def sisimai_reasons(texts: list[str]) -> tuple[list[str] | None, float | None, str]:
    """Sisimai's reason for each text and the seconds it spent, or (None, None, why not)."""
    if not texts:
        return None, None, "no held-back rows yet"
    perl = shutil.which("perl")
    if perl is None:
        return None, None, "perl is not installed"
    probe = subprocess.run([perl, "-MSisimai::Reason", "-e", "1"], capture_output=True, text=True)
    if probe.returncode != 0:
        return None, None, "Sisimai is not installed (Debian: apt-get install libsisimai-perl)"
    proc = subprocess.run([perl, "-e", PERL], input=json.dumps(texts), capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return None, None, f"Sisimai failed: {proc.stderr.strip()[:200]}"
    lines = proc.stdout.splitlines()
    seconds = float(lines[-1].split()[1])
    reasons = [OLD_NAMES.get(r, r) for r in lines[:-1]]
    if len(reasons) != len(texts):
        return None, None, f"Sisimai gave {len(reasons)} answers for {len(texts)} texts"
    return reasons, seconds, ""


def agreement(rows: list[Any], answers: list[str]) -> dict[str, Any]:
    """The share agreeing, per reason (by the label), per labeller (who gave the label: Sisimai's own test tables,
    the source itself, or this project), and the confusion counts."""
    per: dict[str, list[int]] = {}
    by_label: dict[str, list[int]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    for row, answer in zip(rows, answers, strict=True):
        hits, given = per.setdefault(row.reason, [0, 0]), by_label.setdefault(row.label, [0, 0])
        hits[1] += 1
        given[1] += 1
        if answer == row.reason:
            hits[0] += 1
            given[0] += 1
        else:
            confusion[(row.reason, answer)] += 1
    right = sum(h[0] for h in per.values())
    return {
        "rows": len(rows), "right": right, "share": right / len(rows) if rows else None,
        "per_reason": {k: {"right": v[0], "rows": v[1]} for k, v in sorted(per.items())},
        "by_label": {k: {"right": v[0], "rows": v[1]} for k, v in sorted(by_label.items())},
        "confusion": [{"label": a, "answer": b, "rows": n} for (a, b), n in confusion.most_common()],
    }


INTERVAL_DRAWS = 2000  # the publishers drawn again this many times for the held-back interval


def interval(rows: list[Any], answers: list[str], draws: int = INTERVAL_DRAWS, seed: int = 0) -> tuple[float, float] | None:
    """The middle 95% of the agreement shares over ``draws`` bootstrap samples of the rows' publishers:
    each sample draws as many publishers as there are, with replacement, and takes all of each drawn
    publisher's rows. None without rows; the same rows, answers and seed always give the same interval."""
    from _corpus import publisher

    tally: dict[str, list[int]] = {}
    for row, answer in zip(rows, answers, strict=True):
        hits = tally.setdefault(publisher(row.source.id), [0, 0])
        hits[0] += answer == row.reason
        hits[1] += 1
    if not tally:
        return None
    groups = [tally[name] for name in sorted(tally)]
    pick = random.Random(seed).choices
    shares = []
    for _ in range(draws):
        sample = pick(groups, k=len(groups))
        shares.append(sum(g[0] for g in sample) / sum(g[1] for g in sample))
    shares.sort()
    return shares[int(0.025 * (draws - 1))], shares[int(0.975 * (draws - 1))]


BLIND = ROOT / "benchmarks" / "blind-readers.tsv"
SECOND = ROOT / "benchmarks" / "second-reader.tsv"


@dataclass(frozen=True)
class BlindRow:
    """One row of the corpus as the two blind readers labelled it."""

    row: Any  # the corpus row (tests/_corpus.Row)
    a: str
    a_sure: bool
    b: str
    b_sure: bool


def load_blind(rows: list[Any], path: Path = BLIND) -> list[BlindRow]:
    """The readers' labels, each tied to its corpus row; a line that names no row, a row whose text
    has changed since it was read, or a reason outside the vocabulary fails with the file and line."""
    return [BlindRow(row, a, a_sure, b, b_sure) for row, ((a, a_sure), (b, b_sure)) in _readings(rows, path, 2)]


def load_second_reader(rows: list[Any], path: Path = SECOND) -> list[tuple[Any, str, bool]]:
    """The second reader's labels of a fresh batch: (corpus row, reason, sure), checked as load_blind's are."""
    return [(row, reason, sure) for row, ((reason, sure),) in _readings(rows, path, 1)]


def _readings(rows: list[Any], path: Path, readers: int) -> list[tuple[Any, tuple[tuple[str, bool], ...]]]:
    """Each line of a readers' file as (its corpus row, each reader's (reason, sure)): the row, the first 12 hex
    digits of its text's SHA-256, then a reason and "sure" or "unsure" for each reader, tab-separated."""
    from _corpus import REASONS

    by_ref = {f"{row.source.id}:{row.number}": row for row in rows}
    out: list[tuple[Any, tuple[tuple[str, bool], ...]]] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue

        def fail(message: str) -> ValueError:
            return ValueError(f"{path.name}, line {number}: {message}")

        fields = line.split("\t")
        if len(fields) != 2 + 2 * readers:
            raise fail(f"{len(fields)} tab-separated fields, expected {2 + 2 * readers}")
        ref, digest = fields[:2]
        reasons, sures = fields[2::2], fields[3::2]
        row = by_ref.get(ref)
        if row is None:
            raise fail(f"no corpus row {ref!r}")
        if ref in seen:
            raise fail(f"row {ref!r} again")
        seen.add(ref)
        if hashlib.sha256(row.text.encode("utf-8")).hexdigest()[:12] != digest:
            raise fail(f"the text of {ref} is no longer the one the readers read")
        for reason in reasons:
            if reason not in REASONS:
                raise fail(f"{reason!r} is not a reason of Sisimai 5's vocabulary")
        for sure in sures:
            if sure not in ("sure", "unsure"):
                raise fail(f"{sure!r} is neither 'sure' nor 'unsure'")
        out.append((row, tuple((reason, sure == "sure") for reason, sure in zip(reasons, sures))))
    return out


def kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two readers' labels: their agreement beyond what chance alone would give,
    1 when they always agree, 0 when no more often than two readers labelling at random with the
    same frequencies; None when it cannot be worked out (no rows, or both always give one label)."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first) / (n * n)
    return None if chance == 1 else (observed - chance) / (1 - chance)


def blind_agreement(entries: list[BlindRow], answers: list[str]) -> dict[str, Any]:
    """On the rows where both readers give one reason (and on those where both are sure of it): how
    many the corpus label and the answers agree with."""
    pairs = list(zip(entries, answers, strict=True))
    agreed = [(e, answer) for e, answer in pairs if e.a == e.b]
    sure = [(e, answer) for e, answer in agreed if e.a_sure and e.b_sure]
    return {
        "rows": len(entries), "readers_agree": len(agreed), "kappa": kappa([(e.a, e.b) for e in entries]),
        "label": sum(e.row.reason == e.a for e, _ in agreed), "answer": sum(answer == e.a for e, answer in agreed),
        "sure": len(sure), "label_sure": sum(e.row.reason == e.a for e, _ in sure),
        "answer_sure": sum(answer == e.a for e, answer in sure),
    }


def _reason(smtpteach: Any, text: str) -> str:
    """explain()'s reason, or "mixed-records" for a row that holds several records
    (explain() refuses it, so it agrees with no label)."""
    try:
        return smtpteach.explain(text).reason
    except smtpteach.MixedRecordsError:
        return "mixed-records"


def _model_answers(smtpteach: Any, rows: list[Any]) -> dict[str, int]:
    """How many of the rows the reason model answered (no rule or code named a reason, and the
    model found cues: ``evidence`` is not empty), and how many of those answers agree with the label."""
    answered = right = 0
    for row in rows:
        try:
            e = smtpteach.explain(row.text)
        except smtpteach.MixedRecordsError:
            continue
        if e.evidence:
            answered += 1
            right += e.reason == row.reason
    return {"rows": answered, "right": right}


def measure(smoke: bool = False) -> dict[str, Any]:
    """Everything the accuracy figures and the Accuracy page show."""
    import smtpteach
    from _corpus import load, parts

    sources, rows = load()
    development, held = parts(rows)
    if smoke:
        development, held = development[:20], held[:20]
    report: dict[str, Any] = {"sources": len(sources), "held_back_sources": sum(s.held_back for s in sources.values())}
    answers: dict[str, list[str]] = {}
    for name, part in (("development", development), ("held_back", held)):
        answers[name] = [_reason(smtpteach, r.text) for r in part]
        report[name] = agreement(part, answers[name])
        report[name]["reason_model"] = _model_answers(smtpteach, part)
    report["held_back"]["interval"] = interval(held, answers["held_back"], INTERVAL_DRAWS)
    report["interval_draws"] = INTERVAL_DRAWS
    blind = load_blind(rows)
    if smoke:
        blind = blind[:20]
    report["blind_readers"] = {
        name: blind_agreement(part, [_reason(smtpteach, e.row.text) for e in part])
        for name, part in (("development", [e for e in blind if not e.row.source.held_back]),
                           ("held_back", [e for e in blind if e.row.source.held_back]))}
    # the fresh batch read twice: how often the second reader agrees with the batch's label, and explain() on the rows
    # they agree on (and on those of them the second reader was sure of)
    second = load_second_reader(rows)
    if smoke:
        second = second[:20]
    agreed = [(row, _reason(smtpteach, row.text), sure) for row, reason, sure in second if reason == row.reason]
    report["second_reader"] = {"rows": len(second), "agree": len(agreed),
                               "answer": sum(answer == row.reason for row, answer, _ in agreed),
                               "sure": sum(sure for *_, sure in agreed),
                               "answer_sure": sum(answer == row.reason for row, answer, sure in agreed if sure),
                               "answer_all": sum(_reason(smtpteach, row.text) == row.reason for row, *_ in second)}
    texts = [r.text for r in held]
    # our speed on the same held-back texts, one core, the package warm
    smtpteach.explain(texts[0]) if texts else None
    start = time.perf_counter()
    repeats = 1 if smoke else 20
    for _ in range(repeats):
        for text in texts:
            _reason(smtpteach, text)
    ours = (time.perf_counter() - start) / repeats
    report["ours_per_second"] = len(texts) / ours if ours else None
    reasons, seconds, why = sisimai_reasons(texts * (1 if smoke else 5))
    if reasons is None:
        report["sisimai"] = {"skipped": why}
    else:
        report["sisimai"] = agreement(held, reasons[: len(held)])
        report["sisimai"]["interval"] = interval(held, reasons[: len(held)], INTERVAL_DRAWS)
        report["sisimai"]["per_second"] = len(reasons) / seconds if seconds else None
    return report


LAST: dict[str, Any] = {}


def _spread(bounds: list[float] | tuple[float, float] | None) -> str:
    """ " (95% interval over publishers: 74.6-79.1%)", or nothing without an interval."""
    if not bounds:
        return ""
    return f" (95% interval over publishers: {100 * bounds[0]:.1f}-{100 * bounds[1]:.1f}%)"


def accuracy(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """The figures; the whole report (per reason, confusion) is kept in ``LAST`` for results.json."""
    from .figures import result

    report = measure(smoke)
    LAST.clear()
    LAST.update(report)
    dev, held, sis = report["development"], report["held_back"], report["sisimai"]
    yield result("reason agreement, development (%)", 100 * (dev["share"] or 0), None, "%", "report", None,
                 f"{dev['right']} of {dev['rows']} real replies, from the sources rules may be written from", smoke=smoke)
    passed = None if smoke or held["share"] is None else held["share"] >= 0.90
    readers = report["blind_readers"]["held_back"]
    if readers["readers_agree"]:
        yield result("agreement with two blind readers, held back (%)", 100 * readers["answer"] / readers["readers_agree"],
                     100 * readers["label"] / readers["readers_agree"], "%", "report", None,
                     f"the {readers['readers_agree']} of {readers['rows']} held-back rows on which two readers of the text "
                     f"alone agree: explain() {readers['answer']}; baseline: the corpus labels, {readers['label']}",
                     smoke=smoke)
    spread = _spread(held.get("interval"))
    if "skipped" in sis:
        yield result("reason agreement, held back (%)", 100 * (held["share"] or 0), None, "%", ">= 90%", passed,
                     f"{held['right']} of {held['rows']} real replies no rule was written from{spread}; "
                     f"Sisimai skipped: {sis['skipped']}", smoke=smoke)
        return
    by_sisimai, theirs = held["by_label"].get("sisimai"), sis["by_label"].get("sisimai")
    labelled = (f"; of the {by_sisimai['rows']} rows Sisimai's own tests label, explain() {by_sisimai['right']} and "
                f"Sisimai {theirs['right']}" if by_sisimai and theirs else "")
    yield result("reason agreement, held back (%)", 100 * (held["share"] or 0), 100 * (sis["share"] or 0), "%", ">= 90%",
                 passed, f"{held['right']} of {held['rows']} real replies no rule was written from{spread}; "
                 f"baseline: Sisimai::Reason->match on the same rows, {sis['right']} of {sis['rows']}"
                 f"{_spread(sis.get('interval'))}{labelled}", smoke=smoke)
    faster = None if smoke else report["ours_per_second"] > sis["per_second"]
    yield result("explain() vs Sisimai, replies/s", report["ours_per_second"], sis["per_second"], "/s",
                 "faster than Sisimai", faster, "the held-back texts; Sisimai in one Perl process, its start left out",
                 smoke=smoke)
