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
