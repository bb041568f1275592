"""What the README shows a newcomer is what they get: each command of its console blocks prints what the block
says it prints (abridged at ``...``, wrapped to fit), and each line of its Python example whose comment is a value
gives that value."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import smtpteach

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```$", README, flags=re.MULTILINE | re.DOTALL)


def _console_runs() -> list[tuple[str, list[str]]]:
    """Each ``$ .venv/bin/smtpteach ...`` command of the README's console blocks, with the lines shown under it."""
    runs: list[tuple[str, list[str]]] = []
    for block in _blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                runs.append((line[2:], []))
            elif runs:
                runs[-1][1].append(line)
    return [(command, shown) for command, shown in runs if command.startswith(".venv/bin/smtpteach ")]


def _squeezed(text: str) -> str:
    """The text without its white space: the README wraps long lines and shows JSON on one line."""
    return re.sub(r"\s+", "", text)


def _pieces(shown: list[str]) -> list[str]:
    """What the README shows, cut at each ``...`` (a line of its own, or inside a line): the parts that must
    appear in the real output, in this order."""
    return [piece for piece in (_squeezed(p) for p in re.split(r"\.\.\.(?=[\s,}\]]|$)", "\n".join(shown))) if piece]


def test_the_readme_has_console_examples_to_check():
    commands = [command.split()[1] for command, _ in _console_runs()]
    assert {"compare", "explain", "triage"} <= set(commands), commands


@pytest.mark.parametrize(("command", "shown"), _console_runs(), ids=[c[:60] for c, _ in _console_runs()])
def test_a_console_example_prints_what_the_readme_shows(command, shown, tmp_path):
    # the triage example works on the sample day copied next to it, as the README's cp line does
    shutil.copy(smtpteach.sample_path("mail.log"), tmp_path / "mail.log")
    args = shlex.split(command)[1:]
    done = subprocess.run([sys.executable, "-m", "smtpteach", *args], cwd=tmp_path, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    out, at = _squeezed(done.stdout), 0
    for piece in _pieces(shown):
        found = out.find(piece, at)
        assert found >= 0, f"{command}: the README shows {piece[:120]!r}, which is not in the output (after {at})"
        at = found + len(piece)


def test_an_abridged_part_that_is_no_longer_printed_fails():
    """The check itself: a README line the program does not print (or prints out of order) is caught."""
    shown = ["Key differences", "...", "7. Who usually acts: the receiving side's administrator for 450"]
    out = _squeezed("Key differences\n1. x\n7. Retry advice: for 450, retry later\n")
    at = 0
    missing = []
    for piece in _pieces(shown):
        found = out.find(piece, at)
        if found < 0:
            missing.append(piece)
        else:
            at = found + len(piece)
    assert missing == [_squeezed("7. Who usually acts: the receiving side's administrator for 450")]


def _python_checks() -> list[tuple[str, str]]:
    """The README's Python example as (statement, the value its comment gives, or ""): a comment that is no Python
    value (prose) gives none."""
    (block,) = [b for b in _blocks("python") if "import smtpteach" in b]
    checks: list[tuple[str, str]] = []
    for line in block.splitlines():
        code, _, comment = line.partition("  # ")
        checks.append((code.rstrip(), comment.strip()))
    return checks


def _value(comment: str) -> tuple[bool, object]:
    try:
        return True, eval(comment, {"ReplyCode": smtpteach.ReplyCode})  # the README's own text
    except Exception:  # prose, not a value
        return False, None


def test_the_python_example_gives_the_values_its_comments_say():
    checked = 0
    names: dict = {}
    pending = ""
    for code, comment in _python_checks():
        if not code.strip() or code.lstrip().startswith("#"):
            continue
        if "pip install" in comment or code.startswith(("from smtpteach.lab", "with LabServer", "    client", "    print",
                                                        "from smtpteach import diagrams", "diagrams.")):
            continue  # an extra's own example (pandas, matplotlib, the lab): run by their own tests
        if code.endswith(":") or code.startswith("    "):
            pending += code + "\n"
            continue
        if pending:
            exec(pending, names)  # the README's own example
            pending = ""
        is_value, expected = _value(comment)
        try:
            node = ast.parse(code, mode="eval")
        except SyntaxError:
            exec(code, names)
            continue
        got = eval(compile(node, "README", "eval"), names)
        if is_value:
            assert got == expected, f"README: {code!r} gives {got!r}, its comment says {comment!r}"
            checked += 1
    assert checked >= 6
