"""`make mutate` is not part of `make test` (it takes a quarter of an hour), so these
quick checks keep its configuration loadable and its report honest in the meantime."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("mutation_report", ROOT / "tools" / "mutation_report.py")
report = importlib.util.module_from_spec(_SPEC)
sys.modules["mutation_report"] = report  # dataclasses look their module up
_SPEC.loader.exec_module(report)

MODULES = ["_codes", "_replies", "_catalogue", "_compare", "_explain", "_quiz", "render", "_render_explain", "_render_quiz"]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def test_the_configuration_mutates_the_listed_modules_and_they_exist():
    config = _config()
    assert config["source_paths"] == ["smtpteach/"]
    assert config["only_mutate"] == [f"smtpteach/{m}.py" for m in MODULES]
    for path in config["only_mutate"] + config["also_copy"]:
        assert (ROOT / path).exists(), path
    selection = config["pytest_add_cli_args_test_selection"]
    assert selection[0] == "tests"
    for arg in selection[1:]:
        assert arg.startswith("--ignore=") and (ROOT / arg.removeprefix("--ignore=")).is_file(), arg
    # mutmut runs the tests in one process, forking per mutant: xdist must stay off
    assert "no:xdist" in config["pytest_add_cli_args"]


def test_mutmut_itself_loads_the_configuration():
    # mutmut comes with the test extra, so this never skips under make test
    code = ("from mutmut.configuration import config; c = config(); "
            "print(sorted(str(p) for p in c.source_paths), len(c.only_mutate), c.should_mutate('smtpteach/_codes.py'), "
            "c.should_mutate('smtpteach/cli.py'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"['smtpteach'] {len(MODULES)} True False"


def test_equivalent_mutants_are_well_formed_and_in_the_listed_modules():
    listed = report.read_equivalent()
    for name, reason in listed.items():
        assert name.startswith("smtpteach.") and "__mutmut_" in name, name
        assert report.module_of(name) in MODULES, name
        assert len(reason) >= 15, (name, reason)


def _fake_run(tmp_path: Path, codes_by_module: dict[str, dict[str, int | None]]) -> Path:
    for module, codes in codes_by_module.items():
        meta = tmp_path / "smtpteach" / f"{module}.py.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    return tmp_path


def test_the_report_scores_each_module_apart(tmp_path):
    name = "smtpteach._codes.xǁReplyCodeǁ__init____mutmut_{}".format
    run = _fake_run(tmp_path, {
        "_codes": {name(1): 1, name(2): 0, name(3): 36, name(4): 33, name(5): None, name(6): 0},
        "_quiz": {"smtpteach._quiz.x_make_quiz__mutmut_1": 1},
    })
    results = report.scores(run, {name(6): "an equivalent mutant, for the test"})
    codes = results["_codes"]
    # killed: exit 1 and a timeout; survived: exit 0 and "no tests"; not run: None; equivalent: set aside
    assert (codes.killed, codes.survived, codes.not_run, codes.equivalent) == (2, [name(2), name(4)], 1, [name(6)])
    assert codes.score == 50.0 and results["_quiz"].score == 100.0
    text = report.report(results, {name(6): "x"}, 90)
    assert "| `_codes` | 6 | 2 | 2 | 1 | 1 | 50.0% ✗ |" in text and "| `_quiz` | 1 | 1 | 0 | 0 | 0 | 100.0% |" in text
    assert f"- `{name(2)}`" in text and f"- `{name(6)}`" not in text


def test_the_report_refuses_stale_or_broken_equivalent_lists(tmp_path):
    run = _fake_run(tmp_path, {"_codes": {"smtpteach._codes.x_f__mutmut_1": 0}})
    with pytest.raises(report.UsageError, match="names mutants this run does not have"):
        report.scores(run, {"smtpteach._codes.x_f__mutmut_9": "moved on"})
    with pytest.raises(report.UsageError, match="no mutmut results"):
        report.scores(tmp_path / "empty", {})
    broken = tmp_path / "equivalent.txt"
    broken.write_text("# a comment\nsmtpteach._codes.x_f__mutmut_1\n", encoding="utf-8")
    with pytest.raises(report.UsageError, match="line 2: write the mutant's name, a space, then why"):
        report.read_equivalent(broken)


def test_the_report_exit_status_follows_the_budget(tmp_path, capsys):
    run = _fake_run(tmp_path, {"_codes": {"smtpteach._codes.x_f__mutmut_1": 1, "smtpteach._codes.x_f__mutmut_2": 0}})
    none = tmp_path / "no-equivalents.txt"
    none.write_text("", encoding="utf-8")
    assert report.main(["--mutants", str(run), "--min", "50", "--equivalent", str(none)]) == 0
    assert report.main(["--mutants", str(run), "--min", "90", "--equivalent", str(none)]) == 1
    # the project's own list names mutants this fake run does not have: a usage error
    assert report.main(["--mutants", str(run)]) == 2
    assert report.main(["--mutants", str(tmp_path / "none"), "--equivalent", str(none)]) == 2
    assert "no mutmut results" in capsys.readouterr().err
