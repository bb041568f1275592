"""The score of the last ``make mutate`` run, per module, with the surviving mutants.

mutmut keeps each module's results beside its mutated copy
(``mutants/smtpteach/<module>.py.meta``: the exit status of the tests for each
mutant) and the mutants themselves in ``mutants/smtpteach/<module>.py``. This
reads them, sets aside the mutants listed in ``tests/mutation-equivalent.txt``
(equivalent: no test can tell them from the original; each has a one-line
reason), and prints for every module the killed share of the rest. A timeout
counts as killed (the mutant hangs the tests), a mutant that no test runs counts
as survived.

A mutant is listed by **what it changes**, not by mutmut's number for it: the
number is its place among the mutants of its function, and moves whenever the
function changes. A line of the list is the function, the change and the reason,
separated by `` | ``::

    smtpteach._replies.x_parse_reply | first_code = "" → first_code = None | None and "" are both falsy ...

    python tools/mutation_report.py [--write benchmarks/mutation.md] [--min 90]

Exit status: 0 when every module reaches ``--min`` percent, 1 when one does not,
2 for a usage error (no results, or a line of the list that is broken or names
no mutant of this run).
"""

from __future__ import annotations

import argparse
import ast
import datetime as _dt
import difflib
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tests" / "mutation-equivalent.txt"

# mutmut's exit statuses (mutmut.stats.status_by_exit_code), folded into the four that count here
KILLED = {1, 3, 36, -24, 24, 152, 255, -11, -9, 37}
SURVIVED = {0, 5, 33}
NOT_RUN = {None, 2, 34}


class UsageError(Exception):
    pass


@dataclass
class ModuleScore:
    module: str
    killed: int = 0
    survived: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    not_run: int = 0

    @property
    def counted(self) -> int:
        return self.killed + len(self.survived)

    @property
    def score(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0


SEP = " | "
ARROW = " → "
JOIN = " ⏎ "


def read_equivalent(path: Path = EQUIVALENT) -> dict[tuple[str, str], str]:
    """``(function, change) -> reason`` from the equivalent list; ``#`` starts a comment line."""
    out: dict[tuple[str, str], str] = {}
    if not path.exists():
        return out
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(SEP, 2)
        if len(parts) != 3 or not all(p.strip() for p in parts) or ARROW not in parts[1]:
            raise UsageError(f"{path.name} line {number}: write the function, the change (old{ARROW}new) and why it "
                             f"is equivalent, separated by '{SEP.strip()}'")
        key = (parts[0].strip(), parts[1].strip())
        if key in out:
            raise UsageError(f"{path.name} line {number}: {key[0]}: {key[1]} is listed twice")
        out[key] = parts[2].strip()
    return out


_MUTANT = re.compile(r"^(?P<function>.+)__mutmut_(?P<n>\d+|orig)$")


def function_of(mutant: str) -> str:
    """``smtpteach._codes.xǁReplyCodeǁ__init____mutmut_3`` → ``smtpteach._codes.xǁReplyCodeǁ__init__``."""
    return mutant.rsplit("__mutmut_", 1)[0]


def _body(source: str, node: ast.AST) -> list[str]:
    lines = source.splitlines()
    return [ln.strip() for ln in lines[node.body[0].lineno - 1: node.end_lineno]]


def change_of(original: list[str], mutant: list[str]) -> str:
    """The lines a mutant changes, as ``old → new`` (several lines joined by ⏎).

    >>> change_of(['a = 1', 'return a'], ['a = 2', 'return a'])
    'a = 1 → a = 2'
    """
    old, new = [], []
    for line in difflib.unified_diff(original, mutant, lineterm="", n=0):
        if line.startswith(("---", "+++", "@@")):
            continue
        (old if line.startswith("-") else new).append(line[1:])
    return JOIN.join(old) + ARROW + JOIN.join(new)


def changes(mutants_dir: Path) -> dict[str, str]:
    """Every mutant's change, read from the mutated modules: ``name -> old → new``."""
    out: dict[str, str] = {}
    for path in sorted(mutants_dir.glob("smtpteach/**/*.py")):
        source = path.read_text(encoding="utf-8")
        if "__mutmut_" not in source:
            continue
        module = ".".join(path.relative_to(mutants_dir).with_suffix("").parts)
        bodies: dict[str, dict[str, list[str]]] = {}
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                m = _MUTANT.match(node.name)
                if m:
                    bodies.setdefault(m["function"], {})[m["n"]] = _body(source, node)
        for function, versions in bodies.items():
            original = versions.get("orig")
            if original is None:
                continue
            for n, body in versions.items():
                if n != "orig":
                    out[f"{module}.{function}__mutmut_{n}"] = change_of(original, body)
    return out


def module_of(mutant: str) -> str:
    """``smtpteach._codes.xǁReplyCodeǁ__init____mutmut_3`` → ``_codes``; a module of a package keeps its package's
    name (``smtpteach._triage._lines.xǁ_LineReaderǁ_one`` → ``_triage._lines``), and a package's own module is the
    package (``_triage``)."""
    dotted = mutant.split(".x")[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]
    return dotted.removeprefix("smtpteach.")


def scores(mutants_dir: Path, equivalent: dict[tuple[str, str], str]) -> dict[str, ModuleScore]:
    metas = sorted(mutants_dir.glob("smtpteach/**/*.py.meta"))
    if not metas:
        raise UsageError(f"no mutmut results under {mutants_dir}: run 'make mutate' first")
    changed = changes(mutants_dir)
    out: dict[str, ModuleScore] = {}
    used: set[tuple[str, str]] = set()
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        module = ".".join(meta.relative_to(mutants_dir / "smtpteach").with_suffix("").with_suffix("").parts)
        module = module.removesuffix(".__init__")
        if not codes:
            continue
        s = out.setdefault(module, ModuleScore(module))
        for name, code in sorted(codes.items()):
            key = (function_of(name), changed.get(name, ""))
            if key in equivalent:
                used.add(key)
                s.equivalent.append(name)
            elif code in KILLED:
                s.killed += 1
            elif code in SURVIVED:
                s.survived.append(name)
            else:
                s.not_run += 1
    stale = sorted(set(equivalent) - used)
    if stale:
        raise UsageError(f"{EQUIVALENT.name} lists changes this run does not make (the code moved on?): "
                         + "; ".join(f"{f}: {c}" for f, c in stale[:5]) + (" ..." if len(stale) > 5 else ""))
    return out


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(results: dict[str, ModuleScore], equivalent: dict[tuple[str, str], str], minimum: float,
           changed: dict[str, str] | None = None) -> str:
    changed = changed or {}
    lines = [
        "# Mutation testing",
        "",
        f"`make mutate` (mutmut), {_dt.date.today().isoformat()}, commit {_commit()}.",
        "",
        f"Score = killed / (killed + survived), equivalent mutants set aside. Budget: at least {minimum:g}% per module.",
        "",
        "| module | mutants | killed | survived | equivalent | not run | score |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sorted(results.values(), key=lambda s: s.module):
        total = s.counted + len(s.equivalent) + s.not_run
        mark = "" if s.score >= minimum else " ✗"
        lines.append(f"| `{s.module}` | {total} | {s.killed} | {len(s.survived)} | {len(s.equivalent)} | {s.not_run} "
                     f"| {s.score:.1f}%{mark} |")
    killed = sum(s.killed for s in results.values())
    counted = sum(s.counted for s in results.values())
    lines += ["", f"All modules: {killed} of {counted} killed ({100.0 * killed / max(counted, 1):.1f}%).", ""]
    survivors = [name for s in sorted(results.values(), key=lambda s: s.module) for name in s.survived]
    lines += ["## Surviving mutants", ""]
    lines += [f"- `{name}`: `{changed[name]}`" if name in changed else f"- `{name}` (see it with `mutmut show {name}`)"
              for name in survivors] or ["None."]
    lines += ["", "## Equivalent mutants", "", f"Listed, each with its reason, in `tests/{EQUIVALENT.name}`: "
              f"{len(equivalent)} in all.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants", help="mutmut's working folder")
    parser.add_argument("--write", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--min", type=float, default=90.0, help="the per-module budget, in percent")
    parser.add_argument("--equivalent", type=Path, default=EQUIVALENT, help="the list of equivalent mutants")
    args = parser.parse_args(argv)
    try:
        equivalent = read_equivalent(args.equivalent)
        results = scores(args.mutants, equivalent)
    except UsageError as error:
        print(f"mutation_report: {error}", file=sys.stderr)
        return 2
    text = report(results, equivalent, args.min, changes(args.mutants))
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 0 if all(s.score >= args.min for s in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
