"""Run the benchmarks: ``python -m benchmarks`` (``make bench``).

Each figure is printed on one line — name, our figure, the baseline's figure,
the ratio, the budget, pass or fail — and all are written to
``benchmarks/results.json``. ``--smoke`` runs every benchmark at a tiny size
(part of ``make test``); its figures are too small to judge budgets by.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

from . import figures

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.machine()}",
        "cpu": cpu or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "memory": mem,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: check that every benchmark runs")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only these figures")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    wanted = [f for f in figures.ALL if not args.only or f.__name__ in args.only]
    results = []
    print(f"{'figure':34} {'ours':>12} {'baseline':>12} {'ratio':>7}  {'budget':24} result")
    for bench in wanted:
        for result in bench(smoke=args.smoke):
            results.append(result)
            print(figures.format_line(result), flush=True)
    report = {"smoke": args.smoke, "machine": machine(), "results": results}
    from .accuracy import LAST

    if LAST:
        report["accuracy"] = LAST
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    failed = [r["name"] for r in results if r["passed"] is False]
    print(f"\n{len(results) - len(failed)} within budget, {len(failed)} over budget; written to {args.out}")
    if failed:
        print("over budget: " + ", ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
