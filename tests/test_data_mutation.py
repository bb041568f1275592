"""tools/data_mutation.py draws its mutants from the data as it is, and each is a real change that applies.
(Running them takes half an hour, so `make test` checks the drawing and the applying, not the run.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ._tools import load_tool, usage_error

ROOT = Path(__file__).resolve().parent.parent
tool = load_tool("data_mutation")


def test_the_mutants_are_drawn_alike_for_a_seed_and_cover_every_kind():
    first, again = tool.mutants(ROOT, 14, 3), tool.mutants(ROOT, 14, 3)
    assert first == again and len(first) == 3 * len(tool.KINDS)
    assert [m.kind for m in first] == [k for k in tool.KINDS for _ in range(3)]
    assert tool.mutants(ROOT, 15, 3) != first


def test_each_mutant_applies_alone_and_leaves_valid_yaml(tmp_path):
    for mutant in tool.mutants(ROOT, 14, 4):
        copy = tmp_path / mutant.name.replace("/", "_").replace(" ", "_")
        shutil.copytree(ROOT / tool.DATA, copy / tool.DATA)
        tool.apply(copy, mutant)
        for rel, old, new in mutant.edits:
            text = (copy / rel).read_text(encoding="utf-8")
            assert new in text and old != new, mutant.name
            assert yaml.safe_load(text) != yaml.safe_load((ROOT / rel).read_text(encoding="utf-8")), mutant.name


def test_an_edit_that_does_not_apply_is_refused(tmp_path):
    mutant = tool.Mutant("retry", "550 nothing", ((f"{tool.DATA}/facts.yaml", "no such text", "x"),))
    shutil.copytree(ROOT / tool.DATA, tmp_path / tool.DATA)
    with pytest.raises(tool.UsageError, match="550 nothing: the edit does not apply to smtpteach/data/facts.yaml"):
        tool.apply(tmp_path, mutant)


def test_the_report_counts_each_kind():
    results = [{"kind": "retry", "mutant": "552 retry", "killed": True, "by": "tests/test_catalogue.py::t", "seconds": 1},
               {"kind": "prose", "mutant": "en+vi 510", "killed": False, "by": "", "seconds": 2}]
    text = tool.report(results, 14, 1)
    assert "| retry | 1 | 1 |" in text and "| prose | 1 | 0 |" in text and "| all | 2 | 1 |" in text
    assert "| prose: en+vi 510 | **survived** |" in text


def test_a_bad_count_is_a_usage_error(capsys):
    assert "--per-kind must be at least 1" in usage_error(tool.main, ["--per-kind", "0"], capsys)
