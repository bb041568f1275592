"""Keep the lessons deterministic: run them, give cells content-derived ids.

    python tools/nbtool.py run notebooks/*.ipynb     # restart, run all, save
    python tools/nbtool.py check notebooks/*.ipynb   # fail on unstable content

Run it after editing a lesson, before committing. nbval then compares the saved
outputs with a fresh run (``make test``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

UNSTABLE = [
    (re.compile(r"0x[0-9a-f]{6,}"), "a memory address (a default __repr__)"),
    (re.compile(r"/(root|tmp|home|Users)/"), "a machine path"),
    (re.compile(r"127\.0\.0\.1:[0-9]{2,5}"), "a port number"),
]


def content_ids(nb: nbformat.NotebookNode, stem: str) -> None:
    seen: dict[str, int] = {}
    for cell in nb.cells:
        digest = hashlib.sha1(f"{stem}\n{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:12]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        cell["id"] = digest if n == 0 else f"{digest}-{n}"
        cell.get("metadata", {}).pop("execution", None)
        # A widget view names its model by a random id; the state is not stored
        # (see run), so a content-derived id keeps re-runs free of noise.
        for k, out in enumerate(cell.get("outputs", [])):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                view["model_id"] = hashlib.sha1(f"{stem}/{cell['id']}/{k}".encode()).hexdigest()[:32]


def coalesce_streams(nb: nbformat.NotebookNode) -> None:
    """Join neighbouring stdout (or stderr) outputs: how the kernel chunks a
    stream depends on timing, and a stored notebook should not."""
    for cell in nb.cells:
        merged: list = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (out.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream"
                    and last.get("name") == out.get("name")):
                last["text"] += out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


def run(path: Path) -> None:
    from nbclient import NotebookClient

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "_ext"))
    from unix_kernels import use_for_nbclient

    use_for_nbclient()

    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    coalesce_streams(nb)
    content_ids(nb, _stem(path))
    # Widget state is not stored: the docs build executes every lesson and
    # saves the state into the page; a reopened notebook shows each widget's repr.
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"ran {path}")


def _stem(path: Path) -> str:
    """The lesson's name for its ids: "05-live-lab", or "vi/05-live-lab" for a twin
    in another language's folder, so that twins never share a widget's model id."""
    parent = path.resolve().parent
    return path.stem if parent.name == "notebooks" else f"{parent.name}/{path.stem}"


def check(path: Path) -> list[str]:
    problems = []
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.source.strip() and cell.get("execution_count") is None:
            problems.append(f"{path} cell {i}: never executed")
        for out in cell.get("outputs", []):
            text = json.dumps(out)
            if out.get("output_type") == "error":
                problems.append(f"{path} cell {i}: stored error {out.get('ename')}")
            for pattern, what in UNSTABLE:
                if pattern.search(text):
                    problems.append(f"{path} cell {i}: output holds {what}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"run", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    problems: list[str] = []
    for name in argv[1:]:
        path = Path(name)
        if argv[0] == "run":
            run(path)
        problems += check(path)
    print("\n".join(problems) or "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
