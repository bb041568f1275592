"""The built site that the site tests read: one strict cold build per test run.

Under pytest-xdist the workers share it: the first worker that needs the site builds it
under a lock, and the others wait for it and read the same folder, so the site tests can
be spread over several files (and workers) without building the site once per worker.
When the reproducibility test is among the collected tests, a second cold build runs
beside the first, into another folder (``site_again``), with Sphinx's parallel read as
`make site` runs it, while the first reads serially.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPRODUCIBILITY_TEST = "test_two_cold_builds_write_the_same_bytes"
# Sphinx writes "path:12: WARNING: ..." (and -W turns any warning into a failed build). The
# kernels' own log lines share its stderr and are not docs warnings: ipykernel may log
# "ERROR:tornado.general:Uncaught exception in ZMQStream callback" as it shuts down.
SPHINX_SAYS = re.compile(r"(?:^|: )(?:WARNING|ERROR|CRITICAL): ")


def _sphinx(out: Path, jobs: int = 2) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-j", str(jobs), "-q", "-b", "html",
            str(ROOT / "docs"), str(out), "-d", str(out / ".doctrees")]


def _build(root: Path, again: bool) -> dict:
    """Build the site into root/site (and, beside it, root/site-again); what each build said."""
    out = root / "site"
    out.mkdir(parents=True)
    second = None
    # With the reproducibility test, the site the tests read is built serially beside the second build, which
    # runs with -j 2 as `make site` does: the two then also show that the bytes do not depend on the number of
    # processes, and the serial build saves the CPU of Sphinx's parallel read (each process's environment
    # pickled back: here 48 s of CPU a build with -j 2, 40 s with -j 1), which the tests running beside want.
    if again:
        out_again = root / "site-again"
        out_again.mkdir()
        log = open(root / "site-again.log", "w+", encoding="utf-8")
        second = subprocess.Popen(_sphinx(out_again, 2), stdout=log, stderr=subprocess.STDOUT)
    proc = subprocess.run(_sphinx(out, 1 if again else 2), capture_output=True, text=True, timeout=600)
    result = {"site": str(out), "code": proc.returncode, "tail": proc.stderr[-3000:],
              "warnings": [ln for ln in proc.stderr.splitlines() if SPHINX_SAYS.search(ln)]}
    if second is not None:
        code = second.wait(timeout=600)
        log.seek(0)
        said = log.read()
        log.close()
        result.update(again=str(out_again), again_code=code, again_tail=said[-3000:])
    return result


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory, request) -> dict:
    again = any(item.name == REPRODUCIBILITY_TEST for item in request.session.items)
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return _build(tmp_path_factory.mktemp("sites"), again)
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's own
    with open(shared / "sites.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        record = shared / "sites.json"
        if record.exists():
            return json.loads(record.read_text(encoding="utf-8"))
        result = _build(shared / "sites", again)
        record.write_text(json.dumps(result), encoding="utf-8")
        return result


@pytest.fixture(scope="session")
def site(built_sites) -> Path:
    """The whole site, built with -W: a warning fails every test that reads it."""
    assert built_sites["code"] == 0 and not built_sites["warnings"], (
        built_sites["code"], built_sites["warnings"], built_sites["tail"])
    return Path(built_sites["site"])


@pytest.fixture(scope="session")
def site_again(site, built_sites, tmp_path_factory) -> Path:
    """A second cold build of the same commit, for the reproducibility test."""
    if "again" not in built_sites:  # the test was not collected when the site was built
        out = tmp_path_factory.mktemp("site-again")
        proc = subprocess.run(_sphinx(out), capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return out
    assert built_sites["again_code"] == 0, built_sites["again_tail"]
    return Path(built_sites["again"])
