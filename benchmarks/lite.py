"""Issue 19's budgets: the JupyterLite copy of the lessons (tools/lite.py).

- what its build adds to ``make site``, beside the Sphinx build of the same site
  in the same run, and its size on disk;
- the time from pressing "Run this lesson in your browser" on lesson 03's page
  to a ready Pyodide kernel, in Debian's chromium with no network, beside the
  time to open the same lesson in JupyterLab with a local kernel;
- every lesson the site links to JupyterLite, in both languages, run whole there
  (every code cell, afresh): how many run with no error and give every output
  their notebook stores from a local kernel (the lab's sessions, the pictures'
  SVG byte for byte; a widget's view is compared without its model's random id).

"Ready" is observed the same way on both sides: the kernel the notebook's
session holds reports ``idle``, then the lesson's first code cell, sent to that
kernel, has finished and printed what it prints (the categories, 2yz to 5yz).

Both need what ``make site`` fetches into .lite; the JupyterLab side needs
jupyterlab (``make bench-deps`` installs it). What is missing is skipped, and the
figure says so. A smoke run builds and starts nothing: it only says why.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".lite"
LESSON = "03-second-digit-and-comparing-codes"
BUILD_BUDGET = 60.0
RUNS = 3
#: the first code cell prints one line per first digit, with its category's name
FIRST_CELL_SAYS = "x5z"

# What the page is asked, in JupyterLite and JupyterLab alike (tests/test_lite.py asks the same)
KERNEL_IDLE = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!k && k.status === 'idle'; }"""
FETCHED = "performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"
ALL_RAN = """() => { const w = window.jupyterapp.shell.currentWidget;
    const cells = w.content.widgets.filter(c => c.model.type === 'code');
    return cells.length > 0 && cells.every(c => c.model.executionCount !== null)
        && w.sessionContext.session.kernel.status === 'idle'; }"""
# each code cell's outputs as the notebook file keeps them, errors included
CODE_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code')
    .map(c => c.model.outputs.toJSON())"""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_RUN_FIRST_CELL = """async () => { const w = window.jupyterapp.shell.currentWidget;
    const cell = w.content.widgets.find(c => c.model.type === 'code');
    const future = w.sessionContext.session.kernel.requestExecute({code: cell.model.sharedModel.getSource()});
    let out = '';
    future.onIOPub = m => { if (m.header.msg_type === 'stream') out += m.content.text;
                            if (m.header.msg_type === 'error') out += m.content.ename + ': ' + m.content.evalue; };
    await future.done; return out; }"""


def _tool():
    spec = importlib.util.spec_from_file_location("smtpteach_tools_lite", ROOT / "tools" / "lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fetched() -> bool:
    tool = _tool()
    stamp = CACHE / tool.STAMP
    return stamp.is_file() and stamp.read_text() == tool._fetched(CACHE)


def _size(folder: Path) -> tuple[float, float, int]:
    """Megabytes (10^6 bytes) of the files under ``folder``, of the disk blocks they
    take, and how many files there are."""
    files = [p.stat() for p in folder.rglob("*") if p.is_file()]
    return sum(f.st_size for f in files) / 1e6, sum(f.st_blocks * 512 for f in files) / 1e6, len(files)


def _lite_build(out: Path) -> float:
    """`tools/lite.py build .lite OUT`, as `make site` runs it: seconds."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "lite.py"), "build", str(CACHE), str(out)],
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"tools/lite.py build failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _jupyter_lab() -> str | None:
    found = Path(sys.executable).with_name("jupyter-lab")
    return str(found) if found.exists() else None


@contextlib.contextmanager
def _lab_server(lab: str) -> Iterator[str]:
    """JupyterLab on 127.0.0.1 over notebooks/, no token, its app exposed for the
    measurement, no update or news check; stopped on the way out."""
    port = _free_port()
    root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # as in a container
    proc = subprocess.Popen([lab, "--no-browser", "--IdentityProvider.token=", "--ServerApp.password=", f"--port={port}",
                             "--ServerApp.ip=127.0.0.1", "--ServerApp.disable_check_xsrf=True", *root,
                             "--notebook-dir", str(ROOT / "notebooks"), "--expose-app-in-browser",
                             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=None"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT / "notebooks")
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with status {proc.returncode} before it served")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base + "api/status", timeout=2).close()
                break
            time.sleep(0.1)
        else:
            raise RuntimeError("jupyter lab did not answer on 127.0.0.1 within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _end_sessions(base: str) -> None:
    """Shut down every kernel the server started, so that the next visit starts its own."""
    with urllib.request.urlopen(base + "api/sessions", timeout=10) as reply:
        sessions = json.load(reply)
    for session in sessions:
        urllib.request.urlopen(urllib.request.Request(base + f"api/sessions/{session['id']}", method="DELETE"),
                               timeout=30).close()


def _expose(route: Any) -> None:
    """The measurement, not the site, asks JupyterLite for window.jupyterapp."""
    response = route.fetch()
    config = response.json()
    config["jupyter-config-data"]["exposeAppInBrowser"] = "true"
    route.fulfill(response=response, json=config)


def _ready(browser: Any, open_lesson, expose_lite: bool = False) -> tuple[float, float, int]:
    """One visit in a fresh browser context: seconds from ``open_lesson(page)`` (which
    returns the moment it pressed or navigated) to the kernel idle, and to the first
    code cell run in it, and how many URLs were fetched. Raises if a request left
    127.0.0.1 or the cell failed."""
    context = browser.new_context()
    # what JupyterLite's service worker fetches for the page is not a request Playwright
    # reports; every fetch is in the resource timing of the page, its workers and the
    # service worker, read at the end (the page's buffer made big enough first)
    context.add_init_script("performance.setResourceTimingBufferSize(100000)")
    offsite: list[str] = []
    fetched: set[str] = set()

    def watch(request: Any) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.hostname != "127.0.0.1":
            offsite.append(request.url)

    context.on("request", watch)
    if expose_lite:
        context.route("**/lite/jupyter-lite.json", _expose)
    try:
        page = context.new_page()
        start = open_lesson(page)
        page.wait_for_function(KERNEL_IDLE, timeout=300_000, polling=50)
        idle = time.perf_counter() - start
        said = page.evaluate(_RUN_FIRST_CELL)
        ran = time.perf_counter() - start
        for realm in [page, *page.workers, *context.service_workers]:
            fetched.update(realm.evaluate(FETCHED))
    finally:
        context.close()
    for url in fetched:
        watch(SimpleNamespace(url=url))
    if FIRST_CELL_SAYS not in said:
        raise RuntimeError(f"the first cell of {LESSON} did not print its categories: {said[-300:]!r}")
    if offsite:
        raise RuntimeError(f"requests left 127.0.0.1: {sorted(set(offsite))[:5]}")
    return idle, ran, len(fetched)


def _press_the_link(base: str):
    def open_lesson(page: Any) -> float:
        page.goto(f"{base}lessons/{LESSON}.html", wait_until="load")
        link = page.locator("p.smtpteach-lite a")
        if link.count() != 1 or link.inner_text() != "Run this lesson in your browser":
            raise RuntimeError(f"lessons/{LESSON}.html has no 'Run this lesson in your browser' link")
        start = time.perf_counter()
        link.click()
        return start
    return open_lesson


def _open_in_lab(base: str):
    def open_lesson(page: Any) -> float:
        start = time.perf_counter()
        page.goto(f"{base}lab/tree/{LESSON}.ipynb?reset")
        return start
    return open_lesson


def lite_figures(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """The JupyterLite build beside the Sphinx build; its size; time to a ready Pyodide
    kernel beside JupyterLab's local kernel.

    ``SMTPTEACH_BENCH_SITE`` names a site already built by Sphinx: the Sphinx build is
    then not timed again (no ratio), and the JupyterLite copy is built beside it."""
    from .figures import _sphinx, result

    if not _fetched():
        yield result("jupyterlite (skipped: no .lite)", 0, None, "s", "adds <= 60 s to make site", None,
                     f"nothing fetched in {CACHE.name}/ for tools/lite.py's pins: run `make site` or "
                     f"`python tools/lite.py fetch {CACHE.name}` (PyPI and npm, once), then make bench", True)
        return
    if smoke:
        yield result("jupyterlite (skipped in smoke)", 0, None, "s", "adds <= 60 s to make site", None,
                     "a smoke run builds no JupyterLite and starts no kernel: these figures build the whole site, "
                     "then start six kernels in chromium (minutes); make bench measures them", True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        given = os.environ.get("SMTPTEACH_BENCH_SITE")
        if given:
            if not (Path(given) / "lessons" / f"{LESSON}.html").is_file():
                raise RuntimeError(f"SMTPTEACH_BENCH_SITE={given} has no lessons/{LESSON}.html: not a built site")
            # the given site, untouched: served through links, with this run's lite/ in it
            site = Path(tmp) / "site"
            site.mkdir()
            for entry in Path(given).iterdir():
                if entry.name != "lite":
                    (site / entry.name).symlink_to(entry.resolve())
            sphinx = None
        else:
            site = Path(tmp) / "site"
            sphinx = _sphinx(site)  # as make site runs it (-j 2), cold
        took = _lite_build(site / "lite")
        mb, blocks, files = _size(site / "lite")
        if sphinx is None:
            yield result("jupyterlite build, added to site (s)", took, None, "s", f"adds <= {BUILD_BUDGET:.0f} s",
                         took <= BUILD_BUDGET, "the Sphinx build was not timed: SMTPTEACH_BENCH_SITE names a site "
                         "already built", used=took / BUILD_BUDGET)
        else:
            yield result("jupyterlite build, added to site (s)", took, sphinx, "s", f"adds <= {BUILD_BUDGET:.0f} s",
                         took <= BUILD_BUDGET, "`tools/lite.py build .lite OUT` as make site runs it, from the .lite "
                         "fetch (no network); baseline: the cold Sphinx build of the same site just before it",
                         used=took / BUILD_BUDGET)
        yield result("jupyterlite size on disk (MB)", mb, None, "MB", "reported only", None,
                     f"{files} files under lite/, sum of their sizes in 10^6 bytes ({blocks:.1f} MB of disk blocks): "
                     f"the Pyodide runtime, the wheels, the JupyterLite apps and the lessons of both languages")
        yield from _kernel_ready(site)


def _kernel_ready(site: Path) -> Iterator[dict[str, Any]]:
    from .figures import _server, result

    sys.path.insert(0, str(ROOT / "tests"))
    # every host name but 127.0.0.1 fails to resolve, in the browser's own network stack (no request
    # goes through Python to be blocked, so none is slowed by it)
    from _browser import CHROMIUM_ARGS, OFFLINE_ARGS, chromium_path  # type: ignore[import-not-found]

    chromium = chromium_path()
    if chromium is None:
        yield result("lite kernel ready (skipped: no chromium)", 0, None, "s", "reported only", None,
                     "needs Debian's chromium (make test-deps)", True)
        return
    from playwright.sync_api import sync_playwright

    lab = _jupyter_lab()
    lite_times: list[tuple[float, float, int]] = []
    lab_times: list[tuple[float, float, int]] = []
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(_server(site))
        lab_base = stack.enter_context(_lab_server(lab)) if lab else None
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS + OFFLINE_ARGS)
        stack.callback(browser.close)
        # interleaved, so that the machine's slow spells hit both sides alike
        for _ in range(RUNS):
            lite_times.append(_ready(browser, _press_the_link(base), expose_lite=True))
            if lab_base:
                lab_times.append(_ready(browser, _open_in_lab(lab_base)))
                _end_sessions(lab_base)
        whole = [(lang, nb.stem, *_run_whole(browser, base, lang, nb)) for lang in ("en", "vi")
                 for nb in _tool().lessons(lang)]
    yield _whole_figure(whole)
    idle, ran = (statistics.median(t[i] for t in lite_times) for i in (0, 1))
    what = (f"median of {RUNS} visits, each in a fresh browser context, chromium offline (only 127.0.0.1 resolves): "
            f"from pressing 'Run this lesson in your browser' on lessons/{LESSON}.html until the kernel is idle "
            f"and the lesson's first code cell has run in it (runs: {_seconds(lite_times)}); idle alone: {idle:.1f} s; "
            f"{max(t[2] for t in lite_times)} URLs fetched (page, kernel worker, service worker), all from 127.0.0.1")
    if not lab_times:
        yield result("lite kernel ready, lesson 03 (s)", ran, None, "s", "reported only", None,
                     what + "; no JupyterLab to compare with: jupyter-lab is not in this venv "
                     "(make bench-deps installs it)")
        return
    lab_idle, lab_ran = (statistics.median(t[i] for t in lab_times) for i in (0, 1))
    yield result("lite kernel ready, lesson 03 (s)", ran, lab_ran, "s", "reported only", None,
                 what + f"; baseline: the same lesson opened in JupyterLab {_lab_version()} with a local ipykernel "
                 f"(server already running, its start not counted), to the same point, in the same run "
                 f"(runs: {_seconds(lab_times)}); idle alone: {lab_idle:.1f} s")




def comparable(outputs: list[dict]) -> list[dict]:
    """A cell's outputs as a lesson run compares them: a stream's text (split in parts or not), a result's
    data (each value joined), an error's name; a widget's view without its model id (random in a live run,
    derived from the content in the stored notebook).

    >>> comparable([{"output_type": "stream", "name": "stdout", "text": ["a", "b"]},
    ...             {"output_type": "display_data", "metadata": {},
    ...              "data": {"text/plain": ["Box()"], WIDGET_VIEW: {"model_id": "x1", "version_major": 2}}}])
    [{'stream': 'ab'}, {'data': {'text/plain': 'Box()', 'application/vnd.jupyter.widget-view+json': {'version_major': 2}}}]
    """
    out: list[dict] = []
    for o in outputs:
        if o["output_type"] == "stream":
            text = "".join(o["text"]) if isinstance(o["text"], list) else o["text"]
            if out and "stream" in out[-1]:  # JupyterLite and nbformat split streams differently
                out[-1]["stream"] += text
            else:
                out.append({"stream": text})
        elif o["output_type"] == "error":
            out.append({"error": o["ename"]})
        else:
            data = {k: "".join(v) if isinstance(v, list) else v for k, v in o["data"].items()}
            if WIDGET_VIEW in data:
                data[WIDGET_VIEW] = {k: v for k, v in data[WIDGET_VIEW].items() if k != "model_id"}
            out.append({"data": data})
    return out


def stored_outputs(notebook: Path) -> list[list[dict]]:
    """Each code cell's outputs as a lesson stores them, in the form :func:`comparable` gives."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [comparable(c["outputs"]) for c in cells if c["cell_type"] == "code"]


def _run_whole(browser: Any, base: str, lang: str, notebook: Path) -> tuple[bool, int, int, float]:
    """Open a lesson in the site's JupyterLite in a fresh context, run every cell afresh; whether every cell ran
    with no error and gave the outputs the notebook stores, how many code cells, how many differ, and seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    stored = stored_outputs(notebook)
    context = browser.new_context()
    context.route("**/lite/jupyter-lite.json", _expose)
    start = time.perf_counter()
    try:
        page = context.new_page()
        page.goto(f"{base}lite/notebooks/?path={lang}/{notebook.name}")
        page.wait_for_function(KERNEL_IDLE, timeout=300_000, polling=100)
        page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RAN, timeout=300_000, polling=100)
        got = [comparable(o) for o in page.evaluate(CODE_OUTPUTS)]
    except PlaywrightTimeout:  # a kernel that never starts or a cell that never finishes: the lesson does not run
        got = []
    finally:
        context.close()
    took = time.perf_counter() - start
    differ = sum(a != b for a, b in zip(got, stored)) + abs(len(got) - len(stored))
    errors = any("error" in o for cell in got for o in cell)
    return bool(got) and not errors and differ == 0, len(stored), differ, took


def _whole_figure(whole: list[tuple[str, str, bool, int, int, float]]) -> dict[str, Any]:
    from .figures import result

    good = [w for w in whole if w[2]]
    bad = ", ".join(f"{lang}/{stem} ({differ} of {cells} cells differ)" for lang, stem, ok, cells, differ, _ in whole
                    if not ok)
    cells = sum(w[3] for w in whole)
    return result("lessons run whole in JupyterLite", len(good), len(whole), "lessons", "every linked lesson",
                  len(good) == len(whole),
                  f"each lesson with a 'Run this lesson in your browser' link, en and vi, opened in the site's "
                  f"JupyterLite (chromium offline) and every one of its {cells} code cells in all run afresh; counted when "
                  f"no cell fails and every output equals what the notebook stores from a local kernel "
                  f"(the lab's server in memory there); {sum(w[5] for w in whole):.0f} s in all; "
                  + (f"not: {bad}" if bad else "all of them"))


def _seconds(times: list[tuple[float, float, int]]) -> str:
    return ", ".join(f"{t[1]:.1f}" for t in times) + " s"


def _lab_version() -> str:
    from importlib.metadata import version

    return version("jupyterlab")
