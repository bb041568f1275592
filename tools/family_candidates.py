"""Runs of words that one reason owns across publishers, among the development rows explain() gets wrong.

    python tools/family_candidates.py [--share 0.85] [--publishers 2] [--misses 2] [--words 2 3] [--limit 60]

A candidate for a family of wording in smtpteach/data/reasons.yaml: a run of one to three words
(the words explain()'s rules read, smtpteach._explain.reply_words, without the numbers) that at least SHARE of the development rows holding it carry one label, from at
least PUBLISHERS publishers, and that explain() gets wrong on at least MISSES of those rows. It is
a list to read, not a rule: a run earns a place only when it names a cause in words a postmaster
would use, and it goes into tests/test_explain_families.py with its development wordings. The
held-back part is never read (see tests/_corpus.py).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


@dataclass(frozen=True)
class Candidate:
    run: str
    reason: str
    misses: int  # rows with this label and this run that explain() gets wrong
    rows: int  # rows with this label and this run
    total: int  # rows with this run, whatever their label
    publishers: int  # publishers of the rows with this label and this run
    example: str  # the source and number of one row it would help


def runs(text: str, sizes: Iterable[int]) -> set[str]:
    """The runs of words of ``text`` as the rules see them (its message, masked, without the continuation
    prefixes of a multi-line reply), without numbers.

    >>> sorted(runs("550-5.1.1 <ana@example.org>: User\\n550 5.1.1 unknown", (2,)))
    ['user unknown']
    """
    from smtpteach._explain import extract, reply_words

    words = [w for w in reply_words(extract(text)[2]) if not w.isdigit()]
    return {" ".join(words[i:i + n]) for n in sizes for i in range(len(words) - n + 1)}


def candidates(rows: Iterable, sizes: Iterable[int] = (2, 3), share: float = 0.85, publishers: int = 2,
               misses: int = 2) -> list[Candidate]:
    """The candidates among ``rows`` (corpus rows: text, reason, source), most misses first."""
    import smtpteach
    from _corpus import collector

    sizes = tuple(sizes)
    labels: dict[str, Counter] = defaultdict(Counter)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    wrong: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        try:
            answer = smtpteach.explain(row.text).reason
        except smtpteach.MixedRecordsError:
            answer = "mixed-records"
        for run in runs(row.text, sizes):
            labels[run][row.reason] += 1
            owners[(run, row.reason)].add(collector(row.source.id))
            if answer != row.reason:
                wrong[(run, row.reason)].append(row)
    found = []
    for run, counts in labels.items():
        reason, n = counts.most_common(1)[0]
        total = sum(counts.values())
        missed = wrong.get((run, reason), [])
        if n / total >= share and len(owners[(run, reason)]) >= publishers and len(missed) >= misses:
            first = missed[0]
            found.append(Candidate(run, reason, len(missed), n, total, len(owners[(run, reason)]),
                                   f"{first.source.id}:{first.number}"))
    return sorted(found, key=lambda c: (-c.misses, -c.publishers, c.run))


def main(argv: list[str] | None = None) -> int:
    from _corpus import load, parts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.85, help="least share of the run's rows that carry its reason")
    parser.add_argument("--publishers", type=int, default=2, help="least number of publishers behind those rows")
    parser.add_argument("--misses", type=int, default=2, help="least number of those rows explain() gets wrong")
    parser.add_argument("--words", type=int, nargs="+", default=[2, 3], help="lengths of the runs (1 to 3)")
    parser.add_argument("--limit", type=int, default=60, help="candidates shown")
    args = parser.parse_args(argv)
    if not 0.5 < args.share <= 1:
        parser.error(f"--share must be over 0.5 and at most 1, not {args.share}")
    for name in ("publishers", "misses", "limit"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be 1 or more, not {getattr(args, name)}")
    if not set(args.words) <= {1, 2, 3}:
        parser.error(f"--words takes lengths 1 to 3, not {' '.join(map(str, args.words))}")
    development, _ = parts(load()[1])
    found = candidates(development, args.words, args.share, args.publishers, args.misses)
    print(f"{len(found)} candidates among {len(development)} development rows")
    for c in found[: args.limit]:
        print(f"{c.misses:3} wrong  {c.run!r:42} {c.reason:15} {c.rows}/{c.total} rows, {c.publishers} publishers  e.g. {c.example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
