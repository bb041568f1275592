"""`make mutate` is not part of `make test` (it takes about an hour), so these
quick checks keep its configuration loadable and its report honest in the meantime."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ._tools import load_tool

ROOT = Path(__file__).resolve().parent.parent
report = load_tool("mutation_report")

MODULES = ["_codes", "_replies", "_entries", "_loading", "_catalogue", "_compare", "_explain", "_quiz", "render",
           "_render_explain", "_render_quiz", "_records", "_triage", "_triage._base", "_triage._lines",
           "_triage._mta_lines", "_triage._sessions", "_triage._tracking", "_triage._dovecot", "_triage._zimbra",
           "_triage._bounces", "_triage._sources", "_triage._times",
           "_triage._summary", "_render_triage", "cli", "_glossary", "_pairs", "_urls", "_errors", "_svg",
           "widgets", "_terminal", "_templates", "_samples", "_lab_memory"]


def _path(module: str) -> str:
    """The file of a module named as the report names it: a package's own module is its __init__.py."""
    path = "smtpteach/" + module.replace(".", "/")
    return path + "/__init__.py" if (ROOT / path).is_dir() else path + ".py"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def test_the_configuration_mutates_the_listed_modules_and_they_exist():
    config = _config()
    assert config["source_paths"] == ["smtpteach/"]
    assert config["only_mutate"] == [_path(m) for m in MODULES]
    for path in config["only_mutate"] + config["also_copy"]:
        assert (ROOT / path).exists(), path
    selection = config["pytest_add_cli_args_test_selection"]
    assert selection[0] == "tests"
    for arg in selection[1:]:
        if arg.startswith("--deselect="):  # one test of a file the run keeps: the test must still be there
            path, test = arg.removeprefix("--deselect=").split("::")
            assert f"def {test}(" in (ROOT / path).read_text(encoding="utf-8"), arg
        else:
            assert arg.startswith("--ignore=") and (ROOT / arg.removeprefix("--ignore=")).is_file(), arg
    # mutmut runs the tests in one process, forking per mutant: xdist must stay off
    assert "no:xdist" in config["pytest_add_cli_args"]


def test_the_mutation_run_copies_every_top_level_file_the_tests_read():
    # mutmut runs the tests in its own copy of the tree: a file a test reads at the top (the README's figures)
    # must be copied there too, or the run stops before its first mutant
    read = set()
    for path in (ROOT / "tests").glob("*.py"):
        read |= set(re.findall(r'parent\.parent / "([^"/]+\.[a-z]+)"', path.read_text(encoding="utf-8")))
    read.discard("pyproject.toml")  # read by this file only, from the checkout itself
    assert "README.md" in read
    assert read <= set(_config()["also_copy"]), sorted(read - set(_config()["also_copy"]))


def test_mutmut_itself_loads_the_configuration():
    # mutmut comes with the test extra, so this never skips under make test
    code = ("from mutmut.configuration import config; c = config(); "
            "print(sorted(str(p) for p in c.source_paths), len(c.only_mutate), c.should_mutate('smtpteach/_codes.py'), "
            "c.should_mutate('smtpteach/lab.py'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"['smtpteach'] {len(MODULES)} True False"


def test_equivalent_mutants_are_well_formed_and_in_the_listed_modules():
    listed = report.read_equivalent()
    for (function, change), reason in listed.items():
        assert function.startswith("smtpteach.") and "__mutmut_" not in function, function
        assert report.module_of(function) in MODULES, function
        old, new = change.split(report.ARROW, 1)
        assert old != new, (function, change)
        assert len(reason) >= 15, (function, change, reason)


def _fake_run(tmp_path: Path, codes_by_module: dict[str, dict[str, int | None]],
              bodies: dict[str, str] | None = None) -> Path:
    """mutmut's results for made-up mutants of one function per module, ``x_f``, whose original
    returns 0: mutant N returns N unless ``bodies`` gives it another line."""
    bodies = bodies or {}
    for module, codes in codes_by_module.items():
        meta = tmp_path / "smtpteach" / f"{module}.py.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
        source = ["def x_f__mutmut_orig():", "    return 0", ""]
        for name in codes:
            n = name.rsplit("__mutmut_", 1)[1]
            source += [f"def x_f__mutmut_{n}():", f"    {bodies.get(name, f'return {n}')}", ""]
        (tmp_path / "smtpteach" / f"{module}.py").write_text("\n".join(source), encoding="utf-8")
    return tmp_path


def test_the_report_reads_each_mutants_change_from_the_mutated_module(tmp_path):
    run = _fake_run(tmp_path, {"_codes": {"smtpteach._codes.x_f__mutmut_1": 0, "smtpteach._codes.x_f__mutmut_2": 1}},
                    {"smtpteach._codes.x_f__mutmut_2": "return None"})
    assert report.changes(run) == {"smtpteach._codes.x_f__mutmut_1": "return 0 → return 1",
                                   "smtpteach._codes.x_f__mutmut_2": "return 0 → return None"}


def test_the_report_scores_each_module_apart(tmp_path):
    name = "smtpteach._codes.x_f__mutmut_{}".format
    run = _fake_run(tmp_path, {
        "_codes": {name(1): 1, name(2): 0, name(3): 36, name(4): 33, name(5): None, name(6): 0},
        "_quiz": {"smtpteach._quiz.x_f__mutmut_1": 1},
    })
    equivalent = {("smtpteach._codes.x_f", "return 0 → return 6"): "an equivalent mutant, for the test"}
    results = report.scores(run, equivalent)
    codes = results["_codes"]
    # killed: exit 1 and a timeout; survived: exit 0 and "no tests"; not run: None; equivalent: set aside
    assert (codes.killed, codes.survived, codes.not_run, codes.equivalent) == (2, [name(2), name(4)], 1, [name(6)])
    assert codes.score == 50.0 and results["_quiz"].score == 100.0
    text = report.report(results, equivalent, 90, report.changes(run))
    assert "| `_codes` | 6 | 2 | 2 | 1 | 1 | 50.0% ✗ |" in text and "| `_quiz` | 1 | 1 | 0 | 0 | 0 | 100.0% |" in text
    assert f"- `{name(2)}`: `return 0 → return 2`" in text and f"- `{name(6)}`" not in text


def test_a_listed_change_sets_the_mutant_aside_whatever_its_number(tmp_path):
    equivalent = {("smtpteach._codes.x_f", "return 0 → return 0.0"): "0.0 == 0, for the test"}
    for number in (3, 7):
        mutant = f"smtpteach._codes.x_f__mutmut_{number}"
        codes = {f"smtpteach._codes.x_f__mutmut_{n}": 0 for n in range(1, 9)}
        run = _fake_run(tmp_path / str(number), {"_codes": codes}, {mutant: "return 0.0"})
        result = report.scores(run, equivalent)["_codes"]
        assert result.equivalent == [mutant] and mutant not in result.survived and len(result.survived) == 7


def test_the_report_refuses_stale_or_broken_equivalent_lists(tmp_path):
    run = _fake_run(tmp_path, {"_codes": {"smtpteach._codes.x_f__mutmut_1": 0}})
    # a change that no mutant of this run makes: the code moved on, and the list must follow
    with pytest.raises(report.UsageError, match="this run does not make.*smtpteach._codes.x_f: return 0 → return 9"):
        report.scores(run, {("smtpteach._codes.x_f", "return 0 → return 9"): "moved on"})
    # the right change in another function is no match either
    with pytest.raises(report.UsageError, match="smtpteach._codes.x_g: return 0 → return 1"):
        report.scores(run, {("smtpteach._codes.x_g", "return 0 → return 1"): "another function"})
    with pytest.raises(report.UsageError, match="no mutmut results"):
        report.scores(tmp_path / "empty", {})
    broken = tmp_path / "equivalent.txt"
    for line in ("smtpteach._codes.x_f__mutmut_1 an old-style line, a name and a reason",
                 "smtpteach._codes.x_f | return 0 → return 1",
                 "smtpteach._codes.x_f | return 1 | no arrow in the change",
                 "smtpteach._codes.x_f |  | no change"):
        broken.write_text(f"# a comment\n\n{line}\n", encoding="utf-8")
        with pytest.raises(report.UsageError, match="equivalent.txt line 3: write the function, the change"):
            report.read_equivalent(broken)
    twice = "smtpteach._codes.x_f | return 0 → return 1 | a reason, once\n"
    broken.write_text(twice + twice, encoding="utf-8")
    with pytest.raises(report.UsageError, match="line 2: smtpteach._codes.x_f: return 0 → return 1 is listed twice"):
        report.read_equivalent(broken)


def test_the_report_exit_status_follows_the_budget(tmp_path, capsys):
    run = _fake_run(tmp_path, {"_codes": {"smtpteach._codes.x_f__mutmut_1": 1, "smtpteach._codes.x_f__mutmut_2": 0}})
    none = tmp_path / "no-equivalents.txt"
    none.write_text("", encoding="utf-8")
    assert report.main(["--mutants", str(run), "--min", "50", "--equivalent", str(none)]) == 0
    assert report.main(["--mutants", str(run), "--min", "90", "--equivalent", str(none)]) == 1
    one = tmp_path / "one-equivalent.txt"
    one.write_text("smtpteach._codes.x_f | return 0 → return 2 | set aside, for the test\n", encoding="utf-8")
    assert report.main(["--mutants", str(run), "--min", "90", "--equivalent", str(one)]) == 0
    # the project's own list names changes this fake run does not make: a usage error
    assert report.main(["--mutants", str(run)]) == 2
    assert "this run does not make" in capsys.readouterr().err
    assert report.main(["--mutants", str(tmp_path / "none"), "--equivalent", str(none)]) == 2
    assert "no mutmut results" in capsys.readouterr().err


def test_a_module_of_a_package_is_scored_under_its_package_s_name(tmp_path):
    # the triage reader is a package: its _lines and _base are two modules, and its __init__ is "_triage", so that
    # the report's rows and the equivalent mutants' names say which file a mutant is in
    run = _fake_run(tmp_path, {
        "_triage/_lines": {"smtpteach._triage._lines.x_f__mutmut_1": 1},
        "_triage/_base": {"smtpteach._triage._base.x_f__mutmut_1": 0},
        "_triage/__init__": {"smtpteach._triage.x_f__mutmut_1": 1},
    })
    results = report.scores(run, {})
    assert sorted(results) == ["_triage", "_triage._base", "_triage._lines"]
    assert results["_triage._base"].survived == ["smtpteach._triage._base.x_f__mutmut_1"]
    assert report.module_of("smtpteach._triage._lines.xǁ_LineReaderǁ_one__mutmut_3") == "_triage._lines"
    assert report.module_of("smtpteach._codes.x_f__mutmut_1") == "_codes"


def test_every_module_of_the_triage_package_is_mutated():
    # a reader added to the package (a new family of logs) is measured too, or its mutants would never run
    package = sorted(f"_triage.{p.stem}" if p.stem != "__init__" else "_triage"
                     for p in (ROOT / "smtpteach" / "_triage").glob("*.py"))
    assert package == sorted(m for m in MODULES if m.split(".")[0] == "_triage")


def test_in_mutmut_s_stats_run_a_process_the_tests_start_runs_the_code_unrecorded(monkeypatch):
    # a child process (the README's console examples, run in a folder of their own) that inherited
    # MUTANT_UNDER_TEST=stats would try to record the functions it reaches, fail to find mutmut's configuration
    # there, and stop the stats run before its first mutant; in a mutant's run, a child runs the mutant too
    import conftest

    monkeypatch.setattr(conftest, "_forget_package_caches", lambda **kwargs: None)
    monkeypatch.setattr(conftest, "_STATS_RUN", False)
    monkeypatch.setenv("MUTANT_UNDER_TEST", "stats")
    conftest.pytest_sessionstart(None)
    assert "MUTANT_UNDER_TEST" not in os.environ and conftest._STATS_RUN
    monkeypatch.setenv("MUTANT_UNDER_TEST", "smtpteach.cli.x_main__mutmut_1")
    conftest.pytest_sessionstart(None)
    assert os.environ["MUTANT_UNDER_TEST"] == "smtpteach.cli.x_main__mutmut_1" and not conftest._STATS_RUN
