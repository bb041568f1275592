"""Mutation testing of the data: does the suite notice a wrong fact or a wrong code in the prose?

`make mutate` changes the Python code. Much of what a learner reads is data instead
(``smtpteach/data/``): each code's retry advice and who acts, the commands it answers,
the enhanced codes' registry facts, the reasons the codes give, and the prose in two
languages. This tool makes edits of that kind, each one a plausible mistake, applies
each alone to a clone of the repository's last commit, and runs the tests that read
the data there. A mutant the tests pass is one the suite cannot see.

The mutants are drawn by a seeded random choice, so a run is repeatable:

- ``retry``: a failure code's retry advice changed to the other advice its class allows;
- ``actor``: who acts, changed to another actor;
- ``commands``: a command added to or taken from a code's list;
- ``registry``: an enhanced code's associated basic codes or its RFC changed;
- ``reason``: the reason an enhanced or a basic code gives, changed;
- ``prose``: a code named in a sentence changed, in English alone or in both languages.

    python tools/data_mutation.py [--seed 14] [--per-kind 6] [--write benchmarks/data-mutation.md]

Exit status: 0 when every mutant was killed, 1 when one survived, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = "smtpteach/data"
# the tests that read the data; the browser, Sphinx, kernel and notebook tests are left out (minutes per mutant)
TESTS = ["tests/test_catalogue.py", "tests/test_catalogue_loading.py", "tests/test_compare.py", "tests/test_render.py",
         "tests/test_render_explain.py", "tests/test_quiz.py", "tests/test_render_quiz.py", "tests/test_cli.py",
         "tests/test_prose_twins.py", "tests/test_explain_known.py", "tests/test_explain.py", "tests/test_triage.py",
         "tests/test_codes.py", "tests/test_twins.py", "tests/test_glossary.py", "tests/test_search_vi.py"]
KINDS = ("retry", "actor", "commands", "registry", "reason", "prose")
RETRY = {"4": ("retry", "fix-then-retry"), "5": ("fix-then-retry", "dont-retry")}
ENHANCED_IN_PROSE = re.compile(r"(?<![\w.\-])([245])\.(\d)\.(\d)(?![\w]|\.\d)")


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class Mutant:
    kind: str
    name: str
    edits: tuple[tuple[str, str, str], ...]  # (path under the root, old text, new text), each applied once


def _entry(text: str, key: str) -> str:
    """The block of an entry ('  "550":' and its indented lines) in a YAML file of the data."""
    m = re.search(r'^  "%s":\n(?:    .*\n)+' % re.escape(key), text, re.M)
    if m is None:
        raise UsageError(f"no entry {key!r}")
    return m.group(0)


def mutants(root: Path, seed: int, per_kind: int) -> list[Mutant]:
    """``per_kind`` mutants of each kind, drawn with ``seed``."""
    rng = random.Random(seed)
    read = lambda rel: (root / rel).read_text(encoding="utf-8")  # noqa: E731
    facts, reasons = read(f"{DATA}/facts.yaml"), read(f"{DATA}/reasons.yaml")
    basic = re.findall(r'^  "(\d{3})":\n    status', facts, re.M)
    enhanced = re.findall(r'^  "(X\.\d+\.\d+)":\n    subject', facts, re.M)
    actors = sorted(set(re.findall(r"^    actor: (\S+)", facts, re.M)))
    out: list[Mutant] = []

    def facts_edit(kind: str, key: str, old: str, new: str, what: str) -> None:
        block = _entry(facts, key)
        out.append(Mutant(kind, f"{key} {what}", ((f"{DATA}/facts.yaml", block, block.replace(old, new, 1)),)))

    for key in rng.sample([k for k in basic if k[0] in "45"], per_kind):
        now = re.search(r"retry: (\S+)", _entry(facts, key)).group(1)
        other = next(r for r in RETRY[key[0]] if r != now)
        facts_edit("retry", key, f"retry: {now}", f"retry: {other}", f"retry {now} -> {other}")
    for key in rng.sample(basic, per_kind):
        now = re.search(r"actor: (\S+)", _entry(facts, key)).group(1)
        other = rng.choice([a for a in actors if a != now])
        facts_edit("actor", key, f"actor: {now}", f"actor: {other}", f"actor {now} -> {other}")
    for key in rng.sample(basic, per_kind):
        listed = re.search(r"commands: \[([^\]]*)\]", _entry(facts, key))
        commands = [c.strip() for c in listed.group(1).split(",")]
        new = commands[1:] if len(commands) > 1 else [*commands, "RCPT"]
        facts_edit("commands", key, listed.group(0), f"commands: [{', '.join(new)}]", f"commands {commands} -> {new}")
    for i, key in enumerate(rng.sample(enhanced, per_kind)):
        block = _entry(facts, key)
        if i % 2 == 0:
            listed = re.search(r"basic_codes: \[([^\]]*)\]", block)
            codes = [c.strip() for c in listed.group(1).split(",") if c.strip()]
            new = codes[1:] if codes else ['"554"']
            facts_edit("registry", key, listed.group(0), f"basic_codes: [{', '.join(new)}]", f"basic codes {codes} -> {new}")
        else:
            rfc = re.search(r'references: \["RFC (\d+)', block).group(1)
            other = "5321" if rfc != "5321" else "3463"
            facts_edit("registry", key, f'["RFC {rfc}', f'["RFC {other}', f"reference RFC {rfc} -> RFC {other}")
    tables = {"enhanced": reasons[reasons.index("\nenhanced:\n"):reasons.index("\nbasic:\n")],
              "basic": reasons[reasons.index("\nbasic:\n"):]}
    pairs = [(part, key, reason) for part, table in tables.items()
             for key, reason in re.findall(r'^  "([^"]+)": (\w+)', table, re.M) if reason != "undefined"]
    vocabulary = sorted({reason for _, _, reason in pairs})
    for part, key, reason in rng.sample(pairs, per_kind):
        other = rng.choice([r for r in vocabulary if r != reason])
        line = next(m.group(0) for m in re.finditer(r'^  "%s": %s\b' % (re.escape(key), reason), tables[part], re.M))
        out.append(Mutant("reason", f"{part} {key} {reason} -> {other}",
                          ((f"{DATA}/reasons.yaml", "\n" + line, "\n" + line.replace(reason, other, 1)),)))
    files = ("basic-2xx-4xx.yaml", "basic-5xx.yaml", "enhanced-0-4.yaml", "enhanced-7.yaml", "classes-and-enhanced-5-6.yaml")
    drawn = 0
    while drawn < per_kind:
        name = rng.choice(files)
        english = read(f"{DATA}/en/{name}")
        hit = rng.choice(list(ENHANCED_IN_PROSE.finditer(english)))
        code, detail = hit.group(0), int(hit.group(3))
        new = f"{hit.group(1)}.{hit.group(2)}.{detail + 1 if detail < 9 else detail - 1}"
        key = re.findall(r'^  "([^"]+)":', english[:hit.start()], re.M)[-1]
        field = re.match(r"\s*(\w+):", english[english.rfind("\n", 0, hit.start()) + 1:]).group(1)
        langs = ("en",) if drawn % 2 == 0 else ("en", "vi")
        edits = []
        for lang in langs:
            block = _entry(read(f"{DATA}/{lang}/{name}"), key)
            line = re.search(r"^    %s: .*$" % field, block, re.M)
            if line is None or code not in line.group(0):
                break
            edits.append((f"{DATA}/{lang}/{name}", line.group(0), line.group(0).replace(code, new, 1)))
        else:
            out.append(Mutant("prose", f"{'+'.join(langs)} {name} {key}/{field} {code} -> {new}", tuple(edits)))
            drawn += 1
    return out


def apply(root: Path, mutant: Mutant) -> None:
    for rel, old, new in mutant.edits:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        if old not in text or old == new:
            raise UsageError(f"{mutant.name}: the edit does not apply to {rel}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(seed: int, per_kind: int, out: Path | None) -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="smtpteach-data-mutation-") as tmp:
        clone = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        found = mutants(clone, seed, per_kind)
        env = {**os.environ, "SMTPTEACH_CACHE_DIR": ""}
        for i, mutant in enumerate(found, 1):
            subprocess.run(["git", "checkout", "-q", "--", DATA], cwd=clone, check=True)
            apply(clone, mutant)
            start = time.monotonic()
            # run from the clone, whose package comes first on sys.path: its data is the mutated one
            proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                                   *TESTS], cwd=clone, capture_output=True, text=True, env=env)
            first = next((line.split(" - ")[0] for line in proc.stdout.splitlines() if line.startswith("FAILED ")), "")
            results.append({"kind": mutant.kind, "mutant": mutant.name, "killed": proc.returncode != 0,
                            "by": first.removeprefix("FAILED "), "seconds": round(time.monotonic() - start)})
            print(f"[{i}/{len(found)}] {'killed  ' if proc.returncode else 'SURVIVED'} {mutant.kind}: {mutant.name}"
                  f"{'  <- ' + results[-1]['by'] if first else ''}", flush=True)
    killed = sum(r["killed"] for r in results)
    print(f"killed {killed} of {len(results)}")
    if out is not None:
        out.write_text(report(results, seed, per_kind), encoding="utf-8")
    return 0 if killed == len(results) else 1


def report(results: list[dict], seed: int, per_kind: int) -> str:
    lines = ["# Mutation testing of the data", "",
             f"`python tools/data_mutation.py --seed {seed} --per-kind {per_kind}`: each mutant is one plausible mistake in",
             "`smtpteach/data/`, applied alone to a clone of the last commit; the tests that read the data run on it.", "",
             "| kind | mutants | killed |", "|---|---:|---:|"]
    for kind in KINDS:
        rows = [r for r in results if r["kind"] == kind]
        lines.append(f"| {kind} | {len(rows)} | {sum(r['killed'] for r in rows)} |")
    lines += [f"| all | {len(results)} | {sum(r['killed'] for r in results)} |", "", "| mutant | killed by |", "|---|---|"]
    lines += [f"| {r['kind']}: {r['mutant']} | {r['by'] or '**survived**'} |" for r in results]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--per-kind", type=int, default=6, help="mutants of each kind (default 6)")
    parser.add_argument("--write", type=Path, help="write the report here (Markdown)")
    parser.add_argument("--list", action="store_true", help="only list the mutants, as JSON lines")
    args = parser.parse_args(argv)
    if args.per_kind < 1:
        parser.error("--per-kind must be at least 1")
    try:
        if args.list:
            for m in mutants(ROOT, args.seed, args.per_kind):
                print(json.dumps({"kind": m.kind, "mutant": m.name}, ensure_ascii=False))
            return 0
        return run(args.seed, args.per_kind, args.write)
    except UsageError as exc:
        print(f"data_mutation: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
