"""Instructions per reply for explain(), the word floor and the bare regex.

    python -m benchmarks.instructions        (needs valgrind)

Timings on a shared machine drift from one minute to the next; the number of
instructions a CPU runs does not. This counts them with valgrind's callgrind,
collecting only inside one ``deque(map(fn, lines), 0)`` call, so start-up and
shut-down are left out and every function is driven by the same C loop. Hash
randomisation and address-space randomisation are turned off, so two runs
count the same.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from .figures import ROOT

# name -> the expression of a function of one line (run in WORKLOAD)
FUNCTIONS = {
    "regex": "BASELINE_RE.search",
    "floor": "word_floor()",
    "explain": "lambda line: explain(line).reason",
}

WORKLOAD = """
import gc, sys
from collections import deque
gc.disable()
sys.path.insert(0, {root!r})
from benchmarks.figures import BASELINE_RE, _single_lines, word_floor
from smtpteach import explain
lines = _single_lines()[0]
fn = {function}
explain(lines[0]); fn(lines[0])
deque(map(fn, lines * {rounds}), 0)  # the only call counted
print(len(lines))
"""

_REFS = re.compile(r"Collected\s*:\s*(\d+)")


def count(function: str, rounds: int) -> tuple[int, int]:
    """(instructions, lines) of WORKLOAD's counted call, under callgrind."""
    code = WORKLOAD.format(root=str(ROOT), function=function, rounds=rounds)
    cmd = ["valgrind", "--tool=callgrind", "--toggle-collect=deque_init", "--callgrind-out-file=/dev/null",
           sys.executable, "-c", code]
    if shutil.which("setarch"):
        cmd = ["setarch", "-R", *cmd]
    env = dict(os.environ, PYTHONHASHSEED="0", SMTPTEACH_CACHE_DIR="")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    refs = _REFS.search(done.stderr)
    if not refs:
        raise RuntimeError("callgrind printed no instruction count:\n" + done.stderr[-2000:])
    return int(refs.group(1).replace(",", "")), int(done.stdout.split()[-1])


def per_reply(function: str, rounds: int) -> float:
    instructions, lines = count(function, rounds)
    if not instructions:
        raise RuntimeError("callgrind counted nothing: is deque_init named differently in this Python?")
    return instructions / (rounds * lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds over the corpus's one-line replies (default 10)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, not {args.rounds}")
    if not shutil.which("valgrind"):
        print("python -m benchmarks.instructions: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    figures = {name: per_reply(function, args.rounds) for name, function in FUNCTIONS.items()}
    for name, value in figures.items():
        print(f"{name:8} {value:>9,.0f} instructions per reply   {value / figures['regex']:5.1f}x the regex")
    return 0


if __name__ == "__main__":
    sys.exit(main())
