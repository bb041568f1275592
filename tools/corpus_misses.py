"""The development rows of the corpus on which explain() names another reason than the label.

    python tools/corpus_misses.py [--reason LABEL] [--limit N]

Only the development part: rules are written from it, never from the held-back part,
which ``make bench`` measures as a whole (see tests/_corpus.py).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main(argv: list[str] | None = None) -> int:
    import smtpteach
    from _corpus import load, parts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reason", help="only rows with this label")
    parser.add_argument("--limit", type=int, default=8, help="rows shown per (label, answer) pair")
    args = parser.parse_args(argv)
    development, _ = parts(load()[1])
    misses = defaultdict(list)
    right = 0
    for row in development:
        try:
            answer = smtpteach.explain(row.text).reason
        except smtpteach.MixedRecordsError:  # explain() reads one record; triage() reads several
            answer = "mixed-records"
        if answer == row.reason:
            right += 1
        elif not args.reason or row.reason == args.reason:
            misses[(row.reason, answer)].append(row)
    print(f"development: {right} of {len(development)} agree ({right / len(development):.1%})")
    for (label, answer), rows in sorted(misses.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== label {label}, explain() says {answer}: {len(rows)} rows")
        for row in rows[: args.limit]:
            print(f"  [{row.source.id}:{row.number}] " + " ".join(row.text.split())[:220])
    return 0


if __name__ == "__main__":
    sys.exit(main())
