"""The figures. Each function yields result dicts:

``name``, ``ours`` and ``baseline`` (numbers, in ``unit``), ``ratio``
(ours / baseline, or None), ``budget`` (text), ``passed`` (True, False, or
None when there is nothing to judge, as in a smoke run), and ``note``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "replies.yaml"


def result(name: str, ours: float, baseline: float | None, unit: str, budget: str, passed: bool | None,
           note: str = "", smoke: bool = False, used: float | None = None) -> dict[str, Any]:
    """One figure. ``used`` is the share of the budget spent (1.0 = exactly at the budget)."""
    return {
        "name": name, "ours": round(ours, 4), "baseline": None if baseline is None else round(baseline, 4),
        "ratio": None if not baseline else round(ours / baseline, 2), "unit": unit, "budget": budget,
        "passed": None if smoke else passed, "smoke": smoke, "note": note,
        "budget_used": None if used is None else round(used, 3),
    }


def format_line(r: dict[str, Any]) -> str:
    base = "-" if r["baseline"] is None else f"{r['baseline']:.4g} {r['unit']}"
    ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
    verdict = {True: "pass", False: "FAIL", None: "(smoke)" if r.get("smoke") else "-"}[r["passed"]]
    return f"{r['name']:34} {r['ours']:>9.4g} {r['unit']:2} {base:>12} {ratio:>7}  {r['budget']:24} {verdict}"


@contextlib.contextmanager
def _one_core() -> Iterator[None]:
    """Run on one core, then give the other cores back (processes started later,
    such as the browser, inherit this process's affinity)."""
    before = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        if before:
            os.sched_setaffinity(0, {sorted(before)[0]})
    except OSError:
        pass
    try:
        yield
    finally:
        if before:
            os.sched_setaffinity(0, before)


def _compile_package() -> None:
    """Write the package's bytecode, as a normal install does (this machine may set
    PYTHONDONTWRITEBYTECODE, which would make every start compile from source)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "smtpteach")], check=True)


def _process_ms(code: str, runs: int, env: dict[str, str]) -> list[float]:
    """Wall time of fresh interpreters running ``code``, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append((time.perf_counter() - start) * 1000)
    return times


def startup(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """`import smtpteach` and import + first lookup() against a bare interpreter start."""
    _compile_package()
    runs = 3 if smoke else 30
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, SMTPTEACH_CACHE_DIR=cache)
        lookup = "import smtpteach; smtpteach.lookup('550')"
        _process_ms(lookup, 1, env)  # warm the parse cache, as any earlier run would have
        bare, imp, first = [], [], []
        for _ in range(runs):  # interleaved, so drift hits all three alike
            bare += _process_ms("pass", 1, env)
            imp += _process_ms("import smtpteach", 1, env)
            first += _process_ms(lookup, 1, env)
        b, i, f = statistics.median(bare), statistics.median(imp), statistics.median(first)
        yield result("import smtpteach (added ms)", i - b, b, "ms", "adds < 10 ms", i - b < 10,
                     f"median of {runs} fresh processes; baseline is a bare start", smoke, used=(i - b) / 10)
        yield result("import + first lookup (added ms)", f - b, b, "ms", "adds < 30 ms", f - b < 30,
                     "parse cache warm (as after the first run ever)", smoke, used=(f - b) / 30)
        cold_env = dict(env, SMTPTEACH_CACHE_DIR="")
        cold = statistics.median(_process_ms(lookup, 2 if smoke else 7, cold_env))
        yield result("first lookup, no parse cache (ms)", cold - b, b, "ms", "reported only", None,
                     "every YAML file parsed and validated", smoke)


def compare_all(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """compare() over every ordered pair of basic codes, in both languages."""
    import smtpteach

    cat = smtpteach.default_catalogue()
    cat.check()
    codes = list(cat.basic)[: 8 if smoke else None]
    pairs = list(itertools.permutations(codes, 2))
    start = time.perf_counter()
    for lang in cat.languages:
        for a, b in pairs:
            smtpteach.compare(a, b, lang=lang)
    total = time.perf_counter() - start
    n = len(pairs) * len(cat.languages)
    yield result("compare() every pair, both langs", total, None, "s", "< 1 s in all", total < 1.0,
                 f"{n} comparisons", smoke, used=total / 1.0)


def _single_lines() -> tuple[list[str], list[str]]:
    """The corpus's one-line texts, split into SMTP replies (lines that parse as a
    reply under RFC 5321) and the rest (log lines, DSN fields, exceptions)."""
    import yaml

    from smtpteach import ReplyParseError, parse_reply

    rows = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    replies, others = [], []
    for row in rows:
        text = row["text"].strip()
        if "\n" in text:
            continue
        try:
            parse_reply(text)
            replies.append(text)
        except ReplyParseError:
            others.append(text)
    return replies, others


# What a bare tool would do to a reply line: one compiled regex that pulls out
# the code and the enhanced code.
BASELINE_RE = re.compile(r"(?P<code>[2-5][0-9][0-9])[ -](?:(?P<enh>[245]\.[0-9]{1,3}\.[0-9]{1,3}) )?")


def word_floor():
    """The least any word-based reason rule has to do to a line: cut it into
    words as explain() does and look them up among the rules' key words (no
    phrase, no rule, no object). It shows how much of a 5x ratio is left for the rest."""
    from smtpteach import _explain

    keys, words_of = _explain._rules().key_words, _explain.words_of

    def floor(line: str) -> object:
        return keys.intersection(words_of(line))

    return floor


def explain_throughput(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """explain() on single-line replies, one core, against a bare compiled regex."""
    with _one_core():
        yield from list(_explain_throughput(smoke))


def _explain_throughput(smoke: bool) -> Iterator[dict[str, Any]]:
    from smtpteach import explain

    replies, others = _single_lines()
    rounds = 2 if smoke else 40
    trials = 1 if smoke else 25

    def timer(fn, lines):
        def once() -> float:
            start = time.perf_counter()
            for _ in range(rounds):
                for line in lines:
                    fn(line)
            return time.perf_counter() - start
        return once

    explain(replies[0])
    runs = {"ours": timer(lambda line: explain(line).reason, replies), "base": timer(BASELINE_RE.search, replies),
            "floor": timer(word_floor(), replies), "others": timer(lambda line: explain(line).reason, others)}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(trials):  # interleaved, so the machine's slow spells hit every figure alike
        for name, once in runs.items():
            best[name] = min(best[name], once())
    ours, base, low = best["ours"], best["base"], best["floor"]
    n = rounds * len(replies)
    avg = sum(map(len, replies)) // len(replies)
    yield result("explain() replies per second", n / ours, n / base, "/s", ">= 100000 /s", n / ours >= 100_000,
                 f"{len(replies)} distinct one-line SMTP replies from the corpus (avg {avg} chars), reason included; "
                 f"baseline: one regex search; best of {trials} interleaved trials", smoke, used=100_000 / (n / ours))
    # the 5x-the-regex budget is withdrawn (issue 16): a regex that stops after the code is no
    # peer of a reader of the words; the peer is Sisimai, in the accuracy figures
    yield result("explain() time vs bare regex", ours / n * 1e6, base / n * 1e6, "us", "reported only",
                 None, "per reply, same lines, same run; the peer is Sisimai (below)", smoke)
    yield result("words + key lookup alone vs regex", low / n * 1e6, base / n * 1e6, "us", "reported only", None,
                 "per reply: only the tokenising and set lookup every word rule needs, in C where Python allows; "
                 "the floor under any word-based classifier", smoke)
    n = rounds * len(others)
    yield result("explain() log/DSN lines per second", n / best["others"], None, "/s", "reported only", None,
                 f"{len(others)} one-line log, DSN and exception texts (avg {sum(map(len, others)) // len(others)} chars)", smoke)


def render_html(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """render.html() for every catalogue entry, in both languages."""
    import smtpteach
    from smtpteach import render

    cat = smtpteach.default_catalogue()
    cat.check()
    entries = list(cat)[: 10 if smoke else None]
    start = time.perf_counter()
    for lang in cat.languages:
        for entry in entries:
            render.html(entry, lang=lang)
    per = (time.perf_counter() - start) / (len(entries) * len(cat.languages)) * 1e6
    yield result("render.html() per entry", per, None, "us", "reported only", None,
                 f"{len(entries)} entries x {len(cat.languages)} languages", smoke)




DOCS = ROOT / "docs"


def _tiny_project(where: Path) -> Path:
    """A one-lesson copy of the site, for smoke runs: the same configuration and
    extension, one notebook with a widget, no generated pages."""
    import shutil

    src = where / "tiny"
    (src / "lessons").mkdir(parents=True)
    shutil.copy(DOCS / "conf.py", src / "conf.py")
    shutil.copytree(DOCS / "_ext", src / "_ext")
    shutil.copy(ROOT / "notebooks" / "07-quiz-yourself.ipynb", src / "lessons" / "07-quiz-yourself.ipynb")
    (src / "index.md").write_text("# Tiny\n\n```{toctree}\nlessons/07-quiz-yourself\n```\n", encoding="utf-8")
    return src


# sphinx-build with the sidebar's tree resolved for every page, as Sphinx does (smtpteach.sphinx._sidebar)
_SPHINX_PER_PAGE = ("import sys; import smtpteach.sphinx._sidebar as s; s.PER_FOLDER = False; "
                    "from sphinx.cmd.build import main; sys.exit(main(sys.argv[1:]))")


def _sphinx(out: Path, *extra: str, src: Path = DOCS, per_page: bool = False) -> float:
    start = time.perf_counter()
    command = ["-c", _SPHINX_PER_PAGE] if per_page else ["-m", "sphinx"]
    proc = subprocess.run([sys.executable, *command, "-q", "-j", "2", "-b", "html", str(src), str(out),
                           "-d", str(out / ".doctrees"), *extra], capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"sphinx-build failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - start


def docs_build(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """A cold docs build with every notebook executed, beside the same build with execution off;
    then a rebuild with nothing changed."""
    with tempfile.TemporaryDirectory() as tmp:
        if smoke:
            src = _tiny_project(Path(tmp))
            plain = _sphinx(Path(tmp) / "plain", "-D", "nb_execution_mode=off", "-D", "smtpteach_generate_pages=0", src=src)
            yield result("docs build, execution off (s)", plain, None, "s", "reported only", None, "one-lesson project", smoke)
            per_page = _sphinx(Path(tmp) / "per-page", "-D", "nb_execution_mode=off", "-D", "smtpteach_generate_pages=0",
                               src=src, per_page=True)
            yield result("docs build, sidebar once a folder (s)", plain, per_page, "s", "reported only", None,
                         "one-lesson project", smoke)
            return
        plain = _sphinx(Path(tmp) / "plain", "-D", "nb_execution_mode=off")
        per_page = _sphinx(Path(tmp) / "per-page", "-D", "nb_execution_mode=off", per_page=True)
        cold = _sphinx(Path(tmp) / "cold")
        again = _sphinx(Path(tmp) / "cold")
    pages = len(list(DOCS.rglob("*.md"))) + len(list((ROOT / "notebooks").glob("*.ipynb")))
    yield result("docs cold build, notebooks run (s)", cold, plain, "s", "< 60 s on 2 cores", cold < 60,
                 f"{pages} source pages; baseline: the same build with notebook execution off", smoke, used=cold / 60)
    yield result("docs build, sidebar once a folder (s)", plain, per_page, "s", "<= 0.8x per page", plain <= 0.8 * per_page,
                 "execution off; baseline: the same build with the sidebar's tree resolved for every page, as Sphinx does",
                 smoke, used=plain / per_page / 0.8)
    yield result("docs rebuild, nothing changed (s)", again, None, "s", "< 5 s", again < 5, "", smoke, used=again / 5)


def notebooks(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """Each lesson executed in a fresh kernel, against a bare kernel start that runs one empty cell."""
    import nbformat
    from nbclient import NotebookClient

    sys.path.insert(0, str(DOCS / "_ext"))
    from unix_kernels import use_for_nbclient

    use_for_nbclient()

    def run(nb) -> float:
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
        return time.perf_counter() - start

    bare = min(run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])) for _ in range(1 if smoke else 3))
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))[: 1 if smoke else None]
    for path in paths:
        took = run(nbformat.read(path, as_version=4))
        yield result(f"notebook {path.stem[:24]} (s)", took, bare, "s", "reported only", None,
                     "baseline: a kernel start running one empty cell", smoke)


WIDGET_LESSONS = ["03-second-digit-and-comparing-codes", "04-enhanced-status-codes", "06-diagnosing-bounces", "07-quiz-yourself"]
PLAIN_LESSON = "01-anatomy-of-a-reply"  # a lesson page with no widget: the baseline
OWN_BUDGET_KB = 150
TTI_BUDGET = 1.15


def _visit(browser: Any, url: str, widgets: bool, sizes: dict[str, int] | None = None) -> float:
    """One first visit, in a new browser context (an empty cache): milliseconds from
    navigation until every widget has rendered (``smtpteach:ready``) on a widget page,
    until the load event on a plain page. With ``sizes``, the bytes of each response."""
    context = browser.new_context()
    page = context.new_page()
    offsite: list[str] = []
    # watched, not routed: routing every request through Python would slow the very
    # page load being timed (and the browser resolves no host but 127.0.0.1: OFFLINE_ARGS)
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:")) else offsite.append(r.url))
    if sizes is not None:
        page.on("response", lambda r: sizes.__setitem__(r.url.split("?")[0], len(r.body())) if r.ok else None)
    try:
        page.goto(url, wait_until="load")
        if widgets:
            # a selector, not wait_for_function: no script is made from a string in the page
            page.wait_for_selector("html[data-smtpteach-widgets='ready']", timeout=15000)
            took = page.evaluate("performance.getEntriesByName('smtpteach:ready')[0].startTime")
        else:
            took = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        if sizes is not None:
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    if offsite:
        raise RuntimeError(f"{url} asked for {offsite}")
    return took


@contextlib.contextmanager
def _server(site: Path) -> Iterator[str]:
    """The site served by ``python -m http.server`` in a process of its own: a server thread
    in this process would share its interpreter with Playwright's client, and the page with
    more requests would pay for that contention, not for its own weight."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(10)


def _widget_file(url: str) -> bool:
    """The host, a widget module, the widgets' stylesheet or a language's widget data."""
    folder, _, name = url.rpartition("/")
    if name == "smtpteach-widgets.js":
        return True
    return folder.endswith("/_static/smtpteach") and (
        name.startswith("data-") or name.split(".")[0] in ("compare", "explorer", "explain", "quiz", "module", "widgets"))


_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(?P<src>[^"]*)"[^>]*>\s*</script>\s*')


def _without_widgets(site: Path, path: str) -> str:
    """A copy of a widget lesson's page beside it with the widgets' scripts taken out (the host, the widget modules,
    the language's data): the same page, the same text and pictures to lay out, as a plain page. Its path."""
    html = (site / path).read_text(encoding="utf-8")
    plain = _SCRIPT.sub(lambda m: "" if _widget_file(m.group("src").split("?")[0]) else m.group(0), html)
    if plain == html:
        raise RuntimeError(f"{path} loads no widget script to take out")
    copy = path.removesuffix(".html") + ".without-widgets.html"
    (site / copy).write_text(plain, encoding="utf-8")
    return copy


def lesson_pages(smoke: bool = False) -> Iterator[dict[str, Any]]:
    """Each widget lesson in headless Chromium: the bytes of its own (what no other page
    loads) beside the bytes it shares, and its time to interactive on a first visit,
    side by side with the same page with its widgets' scripts taken out (a plain page of the
    same length and pictures: a longer lesson takes longer to lay out whatever its widgets),
    and, reported only, beside a plain lesson of the same site and language.

    The site is built here; ``SMTPTEACH_BENCH_SITE`` names a site already built to
    measure instead (to compare two builds with the same figure)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from _browser import CHROMIUM_ARGS, OFFLINE_ARGS, chromium_path  # type: ignore[import-not-found]

    chromium = chromium_path()
    if chromium is None:
        yield result("lesson pages (skipped: no chromium)", 0, None, "ms", "needs chromium", None, "", True)
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if smoke:
            _sphinx(site, "-D", "smtpteach_generate_pages=0", src=_tiny_project(Path(tmp)))
            widget_pages, plain = {"en": ["lessons/07-quiz-yourself.html"]}, {"en": "index.html"}
        else:
            if os.environ.get("SMTPTEACH_BENCH_SITE"):
                site = Path(os.environ["SMTPTEACH_BENCH_SITE"])
            else:
                _sphinx(site)
            widget_pages = {lang: [f"{prefix}lessons/{stem}.html" for stem in WIDGET_LESSONS] for lang, prefix in (("en", ""), ("vi", "vi/"))}
            plain = {lang: f"{prefix}lessons/{PLAIN_LESSON}.html" for lang, prefix in (("en", ""), ("vi", "vi/"))}
        same = {path: _without_widgets(site, path) for pages in widget_pages.values() for path in pages}
        # 21 paired first visits a page: with 11, the median ratio of one page swung by a tenth from one run to the
        # next on this shared machine (1.16x and 1.11x for the same page, 0.96x for its English twin)
        visits = 1 if smoke else 21
        try:
            with _server(site) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS + OFFLINE_ARGS)
                # what each page loads, on a first visit; a file two pages load is shared
                loads: dict[str, dict[str, int]] = {}
                for lang, pages in widget_pages.items():
                    for path in [plain[lang], *pages]:
                        loads[path] = {}
                        _visit(browser, base + path, path != plain[lang], loads[path])
                users: dict[str, int] = {}
                for sizes in loads.values():
                    for url in sizes:
                        users[url] = users.get(url, 0) + 1
                # first visits in rounds: each widget page right after a visit to the same page without
                # its widgets, so that the machine's slow spells (other jobs share it) hit both sides of
                # each ratio alike; the widget pages in an order turned by one each round, and the plain
                # lesson of each language once a round
                times: dict[str, list[float]] = {path: [] for path in [*loads, *same.values()]}
                ratios: dict[str, list[float]] = {path: [] for path in loads}
                for round_ in range(visits):
                    for lang, pages in widget_pages.items():
                        times[plain[lang]].append(_visit(browser, base + plain[lang], False))
                        turn = round_ % len(pages)
                        for path in pages[turn:] + pages[:turn]:
                            baseline = _visit(browser, base + same[path], False)
                            took = _visit(browser, base + path, True)
                            times[same[path]].append(baseline)
                            times[path].append(took)
                            ratios[path].append(took / baseline)
                browser.close()
        finally:
            for copy in same.values():
                (site / copy).unlink()  # a site given to measure (SMTPTEACH_BENCH_SITE) is left as it was, even after an error
    shared_files: dict[str, int] = {}
    for lang, pages in widget_pages.items():
        base_ms = statistics.median(times[plain[lang]])
        for path in pages:
            sizes = loads[path]
            own = sum(n for url, n in sizes.items() if users[url] == 1) / 1024
            shared = sum(n for url, n in sizes.items() if users[url] > 1) / 1024
            widget_files = {url: n for url, n in sizes.items() if users[url] > 1 and _widget_file(url)}
            shared_files.update(widget_files)
            name = path.removesuffix(".html").replace("lessons/", "")[:16]
            yield result(f"own bytes {name} (KB)", own, None, "KB", f"<= {OWN_BUDGET_KB} KB of its own", own <= OWN_BUDGET_KB,
                         f"files no other page measured loads; it also loads {shared:.0f} KB it shares "
                         f"({sum(widget_files.values()) / 1024:.0f} KB of them widget data, modules and host); "
                         f"{sum(sizes.values()) / 1024:.0f} KB on a first visit in all", smoke, used=own / OWN_BUDGET_KB)
            ratio = statistics.median(ratios[path])
            ready = statistics.median(times[path])
            yield result(f"interactive {name} / no widgets (x)", ratio, None, "x", f"<= {TTI_BUDGET}x the page without widgets",
                         ratio <= TTI_BUDGET,
                         f"first visits, empty cache: smtpteach:ready {ready:.0f} ms beside the load event of the same page "
                         f"with the widgets' scripts taken out, {statistics.median(times[same[path]]):.0f} ms (medians); the "
                         f"figure is the median of {visits} paired ratios, each visit beside a visit to that page just before "
                         f"it", smoke, used=ratio / TTI_BUDGET)
            yield result(f"interactive {name} / lesson 01 (x)", ready / base_ms, None, "x", "reported only", None,
                         f"smtpteach:ready {ready:.0f} ms beside the load event of {plain[lang]}, a shorter plain lesson, "
                         f"{base_ms:.0f} ms (medians of {visits} first visits)", smoke)
    yield result("shared widget files (KB)", sum(shared_files.values()) / 1024, None, "KB", "reported only", None,
                 f"{len(shared_files)} files, each loaded once and cached: "
                 + ", ".join(f"{url.rsplit('/', 1)[1]} {n / 1024:.0f} KB" for url, n in sorted(shared_files.items())), smoke)


from .accuracy import accuracy  # noqa: E402  (after result(), which it uses)
from .lite import lite_figures  # noqa: E402
from .triage import triage_figures  # noqa: E402

ALL = [startup, compare_all, explain_throughput, accuracy, triage_figures, render_html, docs_build, notebooks, lesson_pages,
       lite_figures]
