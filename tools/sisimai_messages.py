"""explain() on Sisimai's sample bounces given whole, as they are stored, against the reasons Sisimai's tests give.

    python tools/sisimai_messages.py SET_OF_EMAILS GO_SISIMAI [--misses]

SET_OF_EMAILS is a copy of github.com/sisimai/set-of-emails and GO_SISIMAI one of github.com/sisimai/go-sisimai, each
a work tree or a bare git directory (neither is fetched by the Makefile: this is a measure taken by hand). Each
sample message (maildir/bsd/*.eml) that go-sisimai's tables (fact/*_test.go, the public lists) give one recipient
is explained whole, header and all, and its reason is held to the table's, Sisimai 4's older names read as Sisimai
5's. The corpus holds the reply texts of these samples; this measures the whole message instead, the way an
operator pipes a saved bounce to ``smtpteach explain -``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

ROW = re.compile(r'\{"(\d+)",\s*(\d+),\s*"[^"]*",\s*"[^"]*",\s*"([a-z]+)"')
TABLE = re.compile(r"\d+-((?:lhost|rhost)-[a-z0-9]+|rfc3464|rfc3834|arf)_test\.go$")


class _Tree:
    """The files of a work tree, or of HEAD in a bare git directory."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.bare = not (self.path / ".git").exists() and (self.path / "HEAD").exists()
        if not self.bare and not self.path.is_dir():
            raise SystemExit(f"{path}: no such folder")

    def names(self, folder: str) -> list[str]:
        if self.bare:
            out = subprocess.run(["git", "-C", str(self.path), "ls-tree", "-r", "--name-only", "HEAD", folder],
                                 capture_output=True, text=True, check=True).stdout
            return out.split()
        return [str(p.relative_to(self.path)) for p in (self.path / folder).rglob("*") if p.is_file()]

    def read(self, name: str) -> bytes:
        if self.bare:
            return subprocess.run(["git", "-C", str(self.path), "show", f"HEAD:{name}"], capture_output=True,
                                  check=True).stdout
        return (self.path / name).read_bytes()


def main(argv: list[str] | None = None) -> int:
    import smtpteach
    from _corpus import OLD_NAMES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set_of_emails")
    parser.add_argument("go_sisimai")
    parser.add_argument("--misses", action="store_true", help="list each message whose reason differs")
    args = parser.parse_args(argv)
    emails, tables = _Tree(args.set_of_emails), _Tree(args.go_sisimai)
    samples = set(emails.names("maildir/bsd"))
    labels: dict[str, list[str]] = {}
    for name in tables.names("fact"):
        m = TABLE.search(name)
        if m:
            public = tables.read(name).decode("utf-8", "replace").split("secretlist")[0]
            for number, _index, reason in ROW.findall(public):
                labels.setdefault(f"maildir/bsd/{m.group(1)}-{number}.eml", []).append(OLD_NAMES.get(reason, reason))
    right, asked, pairs, misses = 0, 0, Counter(), []
    for sample, reasons in sorted(labels.items()):
        if len(reasons) != 1 or sample not in samples:
            continue  # a message about several recipients is triage's to read
        text = emails.read(sample).decode("utf-8", "replace")
        try:
            answer = smtpteach.explain(text).reason
        except smtpteach.MixedRecordsError:
            answer = "several records"
        asked += 1
        right += answer == reasons[0]
        if answer != reasons[0]:
            pairs[(reasons[0], answer)] += 1
            misses.append(f"{sample}: {reasons[0]} -> {answer}")
    if not asked:
        print("no sample message with one recipient found: are these the right two folders?")
        return 1
    print(f"{right} of {asked} single-recipient sample messages ({100 * right / asked:.1f}%) read as Sisimai's tests "
          "label them")
    for (label, answer), n in pairs.most_common(12):
        print(f"  {n:4}  {label} read as {answer}")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
