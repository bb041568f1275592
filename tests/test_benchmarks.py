"""A smoke run of every benchmark at tiny size: each figure is produced and well formed.

Budgets are judged by the full run (make bench), not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_runs_at_tiny_size(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    names = [r["name"] for r in report["results"]]
    assert len(names) == len(set(names)) >= 6
    for r in report["results"]:
        # tiny runs are noisy: an "added ms" can come out below zero; only the shape is checked
        assert isinstance(r["ours"], (int, float)), r
        assert r["passed"] is None and r["smoke"] is True
        assert r["budget"]
        assert r["name"] in proc.stdout
    assert report["machine"]["cores"] and report["machine"]["python"]


def test_instruction_counts_refuse_bad_rounds_and_a_missing_valgrind(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "benchmarks.instructions", "--rounds", "0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--rounds must be at least 1, not 0" in bad.stderr
    # a PATH with python but no valgrind: one line, exit status 2, no traceback
    (tmp_path / "python").symlink_to(sys.executable)
    none = subprocess.run([sys.executable, "-m", "benchmarks.instructions"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PATH": str(tmp_path)})
    assert none.returncode == 2
    assert none.stderr.strip() == "python -m benchmarks.instructions: valgrind is not installed (apt-get install valgrind)"
