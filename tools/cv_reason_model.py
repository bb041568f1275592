"""Grouped cross-validation of the reason model on the development rows, folds by publisher.

    python tools/cv_reason_model.py [--folds K] [--set NAME=VALUE ...]

For each fold, the model is trained (tools/train_reason_model.py) on the development rows of
the other folds, and explain() with data/reasons.yaml and that model answers the rows of the
fold. A publisher's rows are never split between training and answering, as the corpus is
never split by row. The held-back part is not read. ``--set`` changes one of the trainer's
constants for the run (MIN_CUES, MARGIN, MIN_WORDS, MIN_PUBLISHERS, EPOCHS,
MIN_WEIGHT, CUE_SHARE), to compare a choice
with the shipped one: benchmarks/accuracy-attempts.md gives the figures this prints.

It prints, for the rules with the model and for the rules alone, how many development rows
agree with their label, and how many rows the model answered and how many of those rightly.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

TUNABLE = ("MIN_CUES", "MARGIN", "MIN_WORDS", "MIN_PUBLISHERS", "EPOCHS", "MIN_WEIGHT", "CUE_SHARE")


def fold_of(publisher: str, folds: int) -> int:
    """The fold of a publisher: from the hash of its name alone, so that every run agrees."""
    return int(hashlib.sha1(publisher.encode()).hexdigest()[-4:], 16) % folds


def split(rows: list, folds: int) -> Iterator[tuple[list, list]]:
    """For each fold, the rows a model learns from and the rows it answers: a publisher's rows
    all on one side, as the corpus's own split keeps them."""
    from _corpus import collector

    fold = [fold_of(collector(r.source.id), folds) for r in rows]
    for k in range(folds):
        yield [r for r, f in zip(rows, fold) if f != k], [r for r, f in zip(rows, fold) if f == k]


def cross_validate(rows: list, folds: int) -> dict[str, int]:
    """Agreement of explain() on ``rows`` when the model of each fold never saw that fold."""
    import train_reason_model as trainer

    import smtpteach
    from smtpteach import _explain

    data, _shipped = _explain.rules_data()
    counts = {"rows": 0, "with_model": 0, "rules_alone": 0, "model_answered": 0, "model_right": 0}
    rules_alone = _explain._Rules(data, None)
    try:
        for training, testing in split(rows, folds):
            with_model = _explain._Rules(data, trainer.train(training))
            for row in testing:
                counts["rows"] += 1
                for key, rules in (("with_model", with_model), ("rules_alone", rules_alone)):
                    _explain._RULES = rules
                    try:
                        e = smtpteach.explain(row.text)
                    except smtpteach.MixedRecordsError:
                        continue
                    if e.reason == row.reason:
                        counts[key] += 1
                    if key == "with_model" and e.evidence:
                        counts["model_answered"] += 1
                        counts["model_right"] += e.reason == row.reason
    finally:
        _explain._RULES = None  # the shipped rules again, read on next use
    return counts


def main(argv: list[str] | None = None) -> int:
    import train_reason_model as trainer
    from _corpus import load, parts

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="number of folds (2 or more)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help=f"a trainer constant for this run: one of {', '.join(TUNABLE)}")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error(f"--folds must be 2 or more, not {args.folds}")
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in TUNABLE or not value.isdigit():
            parser.error(f"--set {item!r}: expected NAME=INTEGER with NAME one of {', '.join(TUNABLE)}")
        setattr(trainer, name, int(value))
    development, _ = parts(load()[1])
    c = cross_validate(development, args.folds)
    settings = ", ".join(f"{name}={getattr(trainer, name)}" for name in TUNABLE)
    print(f"{args.folds}-fold cross-validation by publisher on {c['rows']} development rows ({settings})")
    print(f"rules and model: {c['with_model']} agree; rules alone: {c['rules_alone']}")
    print(f"the model answered {c['model_answered']} rows, {c['model_right']} of them rightly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
