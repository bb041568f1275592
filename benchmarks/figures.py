"""The figures. Each function yields result dicts:

``name``, ``ours`` and ``baseline`` (numbers, in ``unit``), ``ratio``
(ours / baseline, or None), ``budget`` (text), ``passed`` (True, False, or
None when there is nothing to judge, as in a smoke run), and ``note``.
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "replies.yaml"


def result(name: str, ours: float, baseline: float | None, unit: str, budget: str, passed: bool | None,
           note: str = "", smoke: bool = False) -> dict[str, Any]:
    return {
        "name": name, "ours": round(ours, 4), "baseline": None if baseline is None else round(baseline, 4),
        "ratio": None if not baseline else round(ours / baseline, 2), "unit": unit, "budget": budget,
        "passed": None if smoke else passed, "smoke": smoke, "note": note,
    }


def format_line(r: dict[str, Any]) -> str:
    base = "-" if r["baseline"] is None else f"{r['baseline']:.4g} {r['unit']}"
    ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
    verdict = {True: "pass", False: "FAIL", None: "(smoke)" if r.get("smoke") else "-"}[r["passed"]]
    return f"{r['name']:34} {r['ours']:>9.4g} {r['unit']:2} {base:>12} {ratio:>7}  {r['budget']:24} {verdict}"


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        except OSError:
            pass


def _compile_package() -> None:
    """Write the package's bytecode, as a normal install does (this machine may set
    PYTHONDONTWRITEBYTECODE, which would make every start compile from source)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "smtpteach")], check=True)


def _process_ms(code: str, runs: int, env: dict[str, str]) -> list[float]:
    """Wall time of fresh interpreters running ``code``, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return times


def startup(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """`import smtpteach` and import + first lookup() against a bare interpreter start."""
    _compile_package()
    runs = 3 if smoke else 30
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, SMTPTEACH_CACHE_DIR=cache)
        lookup = "import smtpteach; smtpteach.lookup('550')"
        _process_ms(lookup, 1, env)  # warm the parse cache, as any earlier run would have
        bare, imp, first = [], [], []
        for _ in range(runs):  # interleaved, so drift hits all three alike
            bare += _process_ms("pass", 1, env)
            imp += _process_ms("import smtpteach", 1, env)
            first += _process_ms(lookup, 1, env)
        b, i, f = statistics.median(bare), statistics.median(imp), statistics.median(first)
        yield result("import smtpteach (added ms)", i - b, b, "ms", "adds < 10 ms", i - b < 10,
                     f"median of {runs} fresh processes; baseline is a bare start", smoke)
        yield result("import + first lookup (added ms)", f - b, b, "ms", "adds < 30 ms", f - b < 30,
                     "parse cache warm (as after the first run ever)", smoke)
        cold_env = dict(env, SMTPTEACH_CACHE_DIR="")
        cold = statistics.median(_process_ms(lookup, 2 if smoke else 7, cold_env))
        yield result("first lookup, no parse cache (ms)", cold - b, b, "ms", "reported only", None,
                     "every YAML file parsed and validated", smoke)


def compare_all(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """compare() over every ordered pair of basic codes, in both languages."""
    import smtpteach

    cat = smtpteach.default_catalogue()
    cat.check()
    codes = list(cat.basic)[: 8 if smoke else None]
    pairs = list(itertools.permutations(codes, 2))
    start = time.perf_counter()
    for lang in cat.languages:
        for a, b in pairs:
            smtpteach.compare(a, b, lang=lang)
    total = time.perf_counter() - start
    n = len(pairs) * len(cat.languages)
    yield result("compare() every pair, both langs", total, None, "s", "< 1 s in all", total < 1.0,
                 f"{n} comparisons", smoke)


def _single_lines() -> list[str]:
    import yaml

    rows = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return [row["text"] for row in rows if "\n" not in row["text"].strip()]


# What a bare tool would do to a reply line: one compiled regex that pulls out
# the code and the enhanced code.
BASELINE_RE = re.compile(r"(?P<code>[2-5][0-9][0-9])[ -](?:(?P<enh>[245]\.[0-9]{1,3}\.[0-9]{1,3}) )?")


def explain_throughput(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """explain() on single-line replies, one core, against a bare compiled regex."""
    _pin_one_core()
    from smtpteach import explain

    lines = _single_lines()
    rounds = 2 if smoke else 60
    explain(lines[0])

    def best(fn) -> float:
        timings = []
        for _ in range(5 if not smoke else 1):
            start = time.perf_counter()
            for _ in range(rounds):
                for line in lines:
                    fn(line)
            timings.append(time.perf_counter() - start)
        return min(timings)

    ours = best(lambda line: explain(line).reason)
    search = BASELINE_RE.search
    base = best(search)
    n = rounds * len(lines)
    yield result("explain() replies per second", n / ours, n / base, "/s", ">= 100000 /s", n / ours >= 100_000,
                 f"{len(lines)} distinct single-line texts from the corpus (avg "
                 f"{sum(map(len, lines)) // len(lines)} chars); baseline is one regex search", smoke)
    yield result("explain() time vs bare regex", ours / n * 1e6, base / n * 1e6, "us", "ratio <= 5x",
                 ours / base <= 5, "per line, same lines, same run", smoke)


def render_html(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """render.html() for every catalogue entry, in both languages."""
    import smtpteach
    from smtpteach import render

    cat = smtpteach.default_catalogue()
    cat.check()
    entries = list(cat)[: 10 if smoke else None]
    start = time.perf_counter()
    for lang in cat.languages:
        for entry in entries:
            render.html(entry, lang=lang)
    per = (time.perf_counter() - start) / (len(entries) * len(cat.languages)) * 1e6
    yield result("render.html() per entry", per, None, "us", "reported only", None,
                 f"{len(entries)} entries x {len(cat.languages)} languages", smoke)


ALL = [startup, compare_all, explain_throughput, render_html]
