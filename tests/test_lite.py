"""The JupyterLite copy of the lessons (tools/lite.py) and the link to it on each lesson page: the note before
each lesson there, its links to the site's pages, and what a learner who saved a lesson in the browser is told.

The build needs what ``make site`` fetches into .lite (PyPI and npm, once): without
it the build and browser tests skip and say so, and under CI they fail instead.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import time
import zipfile
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

import smtpteach
from smtpteach.sphinx._lite import _add_link, lite_link, runs_in_browser

from benchmarks.lite import ALL_RAN, CODE_OUTPUTS, FETCHED, KERNEL_IDLE, comparable, stored_outputs

from ._browser import serve
from ._guards import require
from ._tools import load_tool
from .test_site_a11y import assert_accessible, axe_source, axe_violations  # noqa: F401  (axe_source: a fixture)

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".lite"
LESSON_03 = "03-second-digit-and-comparing-codes"


lite = load_tool("lite")


# -- the lock file: only wheels the site ships ------------------------------------------

def _wheel(folder: Path, name: str, version: str, requires: list[str], top: str | None = None) -> Path:
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as whl:
        meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
        whl.writestr(f"{dist}.dist-info/METADATA", meta)
        whl.writestr(f"{(top or name).replace('-', '_')}/__init__.py", "")
    return path


def _base_lock(folder: Path) -> Path:
    path = folder / "base-lock.json"
    path.write_text(json.dumps({"info": {"python": "3.14.2", "arch": "wasm32"}, "packages": {"numpy": {}}}))
    return path


def test_the_lock_names_each_wheel_with_its_digest_imports_and_pyodide_dependencies(tmp_path):
    runtime = tmp_path / "pyodide"
    runtime.mkdir()
    _wheel(runtime, "Demo_Pkg", "1.0", ["helper>=2", 'pexpect>4.3; sys_platform != "emscripten"',
                                        'extra-thing; extra == "widgets"'], top="demo")
    _wheel(runtime, "helper", "2.1", ['colorama; sys_platform == "win32"'])
    _wheel(runtime, "extra-thing", "0.3", [])
    lock = lite.write_lock(runtime, _base_lock(tmp_path), own="something-else")
    assert json.loads((runtime / "pyodide-lock.json").read_text()) == lock
    # the runtime's own packages (numpy here) are not carried over: their wheels are not in the site
    assert sorted(lock["packages"]) == ["demo-pkg", "extra-thing", "helper"]
    assert lock["info"] == {"python": "3.14.2", "arch": "wasm32"}
    demo = lock["packages"]["demo-pkg"]
    assert demo["file_name"] == "Demo_Pkg-1.0-py3-none-any.whl"
    assert demo["imports"] == ["demo"]
    assert demo["depends"] == ["helper"]  # pexpect is not for emscripten, the extra is not asked for
    import hashlib

    assert demo["sha256"] == hashlib.sha256((runtime / demo["file_name"]).read_bytes()).hexdigest()
    assert lock["packages"]["helper"]["depends"] == []
    # the project's own wheel is locked with its widgets extra
    lock = lite.write_lock(runtime, _base_lock(tmp_path), own="demo-pkg")
    assert lock["packages"]["demo-pkg"]["depends"] == ["extra-thing", "helper"]


def test_a_requirement_with_no_wheel_in_the_site_stops_the_build_and_is_named(tmp_path):
    runtime = tmp_path / "pyodide"
    runtime.mkdir()
    _wheel(runtime, "demo", "1.0", ["helper>=2", "tqdm"])
    _wheel(runtime, "helper", "2.1", [])
    with pytest.raises(lite.LiteError, match=r"^no wheel in the lite build for: demo needs tqdm$"):
        lite.write_lock(runtime, _base_lock(tmp_path), own="demo")


@pytest.mark.parametrize("uv_there, uv_works", [(True, True), (True, False), (False, False)])
def test_the_build_tools_install_with_uv_and_with_pip_where_uv_fails(tmp_path, monkeypatch, uv_there, uv_works):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: (object() if uv_there else None) if name == "uv" else find_spec(name, *a))
    calls = []

    def run(*args, **kwargs):
        calls.append([str(a) for a in args])
        if "uv" in calls[-1] and not uv_works:
            raise lite.LiteError("uv pip install ... failed (2):\nno network for uv")

    monkeypatch.setattr(lite, "_run", run)
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    (tmp_path / "venv" / "bin" / "python").touch()  # the cache's venv is there already
    lite._fetch_tools(tmp_path)
    tools = [c for c in calls if c[-len(lite.TOOLS):] == list(lite.TOOLS)]
    assert [c[1:4] for c in tools] == ([["-m", "uv", "pip"]] if uv_there else []) + (
        [] if uv_works else [["-m", "pip", "install"]])
    assert tools[-1][0] == (lite.sys.executable if uv_works else str(tmp_path / "venv" / "bin" / "python"))


def test_pyyaml_is_fetched_and_built_from_its_source_as_one_pure_python_wheel(tmp_path, monkeypatch):
    # pip as it behaves: a binary wheel where binaries are allowed, the C extension where libyaml is not turned off,
    # and, unless told not to use its cache, the wheel it built of the same release before (here one with libyaml)
    calls = []

    def run(*args, env=None, **kwargs):
        args = [str(a) for a in args]
        calls.append(args)
        if "wheel" in args:
            out = Path(args[args.index("-w") + 1])
            out.mkdir(parents=True, exist_ok=True)
            pure = ("--no-binary=:all:" in args and (env or {}).get("PYYAML_FORCE_LIBYAML") == "0"
                    and "--no-cache-dir" in args)
            (out / ("pyyaml-6.0.3-py3-none-any.whl" if pure else
                    "pyyaml-6.0.3-cp312-cp312-manylinux_2_17_x86_64.whl")).touch()

    monkeypatch.setattr(lite, "_run", run)
    lite._fetch_wheels(tmp_path)
    assert [w.name for w in (tmp_path / "wheels").glob("pyyaml-*")] == ["pyyaml-6.0.3-py3-none-any.whl"]
    # one pip step for PyYAML, which fetches and builds it
    assert [c[c.index("--disable-pip-version-check") + 1] for c in calls if lite.PYYAML in c] == ["wheel"]


def test_the_build_refuses_a_cache_that_was_not_fetched(tmp_path):
    with pytest.raises(lite.LiteError, match="nothing fetched in .* run `python tools/lite.py fetch"):
        lite.build(tmp_path / "empty", tmp_path / "out")


@pytest.mark.parametrize("argv", [[], ["serve"], ["build", "only-cache"], ["fetch", "a", "b"]])
def test_the_command_line_says_how_to_use_it_and_exits_2(argv, capsys):
    assert lite.main(argv) == 2
    assert capsys.readouterr().err.strip() == "usage: python tools/lite.py fetch CACHE | build CACHE OUT"


# -- the link on the lesson pages --------------------------------------------------------

def _source(pagename: str) -> Path:
    """Where a page's source is, as Sphinx's env.doc2path says (docs/lessons is ../notebooks)."""
    return ROOT / "notebooks" / f"{pagename.replace('lessons/', '')}.ipynb" if "lessons/" in pagename \
        else ROOT / "docs" / f"{pagename}.md"


def _render(pagename: str, lite_folder: str = "lite") -> str:
    depth = pagename.count("/")
    app = SimpleNamespace(config=SimpleNamespace(smtpteach_lite=lite_folder, smtpteach_language="en"),
                          env=SimpleNamespace(doc2path=_source))
    context = {
        "body": '<section><h1>Title</h1>\n<p class="smtpteach-twin"><a href="x.html">twin</a></p>\n<p>First.</p>',
        "pathto": lambda name, resource=0: "../" * depth + name,
    }
    _add_link(app, pagename, "page.html", context, doctree=object())
    return context["body"]


def test_each_lesson_page_links_to_its_notebook_in_jupyterlite_in_its_own_language():
    en = _render(f"lessons/{LESSON_03}")
    assert ('<p class="smtpteach-twin"><a href="x.html">twin</a></p>\n<p class="smtpteach-lite">'
            f'<a class="reference external" href="../lite/notebooks/?path=en/{LESSON_03}.ipynb" '
            'title="Opens the lesson in JupyterLite: Python runs inside your browser, with nothing to install.">'
            "Run this lesson in your browser</a></p>\n<p>First.</p>") in en
    vi = _render(f"vi/lessons/{LESSON_03}")
    assert f'href="../../lite/notebooks/?path=vi/{LESSON_03}.ipynb"' in vi
    assert ">Chạy bài học này ngay trên trình duyệt</a>" in vi
    assert 'title="Mở bài trong JupyterLite: Python chạy ngay trong trình duyệt của bạn, không cần cài thêm gì."' in vi


def test_pages_that_are_not_lessons_and_sites_without_jupyterlite_get_no_link():
    for page in ("index", "reference/codes/550", "vi/howto/index", "lessons/README"):
        assert "smtpteach-lite" not in _render(page), page
    assert "smtpteach-lite" not in _render(f"lessons/{LESSON_03}", lite_folder="")


def _notebook(path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "markdown", "source": ["smtpteach.lab in prose is fine"], "metadata": {}}]
    cells += [{"cell_type": "code", "source": [src], "metadata": {}, "outputs": [], "execution_count": None}
              for src in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_a_lesson_that_needs_a_real_connection_or_matplotlib_does_not_run_in_the_browser(tmp_path):
    assert runs_in_browser(_notebook(tmp_path / "a.ipynb", "import smtpteach\nsmtpteach.lookup('550')"))
    # the pictures are SVG the package writes itself, and the lab's server runs in memory there
    assert runs_in_browser(_notebook(tmp_path / "p.ipynb", "from smtpteach import diagrams",
                                     "svg = smtpteach.diagrams.sequence(x)", "day.summary().svg()",
                                     "from smtpteach.lab import LabServer, LabClock\n"
                                     "with LabServer(greylisting=True) as server, server.client() as c:\n"
                                     "    c.command('EHLO x')",
                                     # words in strings and comments are not code
                                     "text = 'smtplib.SMTPAuthenticationError: (535, ...)'  # import socket",
                                     "%matplotlib inline_is_a_magic_not_an_import"))
    for code in ("import smtplib", "from socket import create_connection", "import matplotlib.pyplot as plt",
                 "import aiosmtpd.controller", "server = LabServer(tls='required')", "client.starttls()",
                 "print(server.port)", "assert client.encrypted", "def broken(:"):
        assert not runs_in_browser(_notebook(tmp_path / "b.ipynb", "x = 1", code)), code


def test_only_the_lessons_that_run_in_the_browser_link_to_it_and_both_languages_agree():
    linked = {}
    for lang, prefix in (("en", ""), ("vi", "vi/")):
        stems = sorted(nb.stem for nb in (ROOT / "notebooks" / prefix).glob("[0-9][0-9]-*.ipynb"))
        linked[lang] = {stem for stem in stems if "smtpteach-lite" in _render(f"{prefix}lessons/{stem}")}
        assert linked[lang] == {nb.stem for nb in lite.lessons(lang)}
        # every lesson but the one whose lab needs a real connection for TLS and smtplib
        assert linked[lang] == set(stems) - {"11-tls-and-submission"}
    assert linked["en"] == linked["vi"]


def test_a_lesson_that_does_not_run_in_the_browser_says_why_and_how_to_run_it_instead():
    en = _render("lessons/11-tls-and-submission")
    assert ('<p class="smtpteach-twin"><a href="x.html">twin</a></p>\n<p class="smtpteach-no-lite">'
            "This lesson does not run in your browser, because its lab opens real network connections (STARTTLS, a port) "
            "that a browser tab cannot open: run it in Jupyter on your own computer, with "
            '<code class="docutils literal notranslate">make lab</code> in a clone of smtpteach.</p>\n<p>First.</p>') in en
    vi = _render("vi/lessons/11-tls-and-submission")
    assert ('<p class="smtpteach-no-lite">Bài này không chạy được ngay trên trình duyệt, vì phần thực hành của bài mở kết nối '
            "mạng thật (STARTTLS, một cổng) mà một tab trình duyệt không mở được: hãy chạy bài bằng Jupyter trên máy của "
            'bạn, gõ <code class="docutils literal notranslate">make lab</code> trong thư mục smtpteach đã clone về.</p>') in vi
    for page in (en, vi):
        assert "smtpteach-lite" not in page  # and no link into JupyterLite
    # a lesson that runs there has the link and not the sentence; a site without JupyterLite has neither
    assert "smtpteach-no-lite" not in _render(f"lessons/{LESSON_03}")
    assert "smtpteach-no-lite" not in _render("lessons/11-tls-and-submission", lite_folder="")


def test_the_link_texts_and_jupyterlites_words_exist_in_both_languages():
    cat = smtpteach.default_catalogue()
    texts = {lang: cat.ui(lang=lang)["site"] for lang in ("en", "vi")}
    for key in ("run_in_browser", "run_in_browser_hint", "not_in_browser"):
        assert texts["en"][key] and texts["vi"][key] and texts["en"][key] != texts["vi"][key]
    words = {lang: cat.ui(lang=lang)["lite"] for lang in ("en", "vi")}
    assert set(words["en"]) == set(words["vi"])
    for key in words["en"]:
        assert words["en"][key] and words["vi"][key] and words["en"][key] != words["vi"][key], key


# -- the lessons' copies: a note first, then every byte of the lesson -------------------------------

def _without_note(text: str) -> tuple[dict, str]:
    """A lesson's JupyterLite copy split into its note cell and the text of the rest, written as the lessons are."""
    nb = json.loads(text)
    note = nb["cells"].pop(0)
    return note, json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_lessons_copy_begins_with_a_note_in_its_language_and_keeps_the_lesson_byte_for_byte(lang):
    note = lite.note(lang)
    for nb in lite.lessons(lang):
        copy = lite.lite_copy(nb, note)
        cell, rest = _without_note(copy)
        assert rest == nb.read_text(encoding="utf-8"), nb.name  # outputs and all
        assert cell["cell_type"] == "markdown" and cell["source"] == note
        # the same id from the same note (the build is the same each time); another note, another id
        assert copy == lite.lite_copy(nb, note)
        assert cell["id"] != json.loads(lite.lite_copy(nb, note + " "))["cells"][0]["id"]
        assert cell["id"] not in {c["id"] for c in json.loads(rest)["cells"]}
    # what the learner reads: the commands as a cell runs them (in the lesson's language), where mail.log goes,
    # that what they save stays in this browser, and the lesson that is not there, with why and how to run it
    said = {
        "en": ["**This lesson runs in this browser tab.**", "run it in a code cell instead",
               'cli.main(["triage", "mail.log"])', 'cli.main(["quiz", "--format", "text"])', "open the folder `en`",
               "saved in this browser only", "a link to the lesson as published",
               "Lesson 11, *TLS and submission*, is not here", "`make lab`"],
        "vi": ["**Bài học này đang chạy ngay trong tab trình duyệt.**", "chạy nó trong một ô mã",
               'cli.main(["triage", "--lang", "vi", "mail.log"])', 'cli.main(["quiz", "--lang", "vi", "--format", "text"])',
               "mở thư mục `vi`", "chỉ được lưu trong trình duyệt này", "liên kết để mở bản gốc của bài",
               "Bài 11, *TLS và submission*, không có ở đây", "`make lab`"],
    }[lang]
    for words in said:
        assert words in note, words
    assert all(line.startswith(">") for line in note.splitlines())  # one block quote, apart from the lesson


# -- the built site ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def lite_site(tmp_path_factory) -> Path:
    """The JupyterLite site as `make site` builds it, in a folder of its own."""
    fetched = (CACHE / lite.STAMP).is_file() and (CACHE / lite.STAMP).read_text() == lite._fetched(CACHE)
    require(fetched, f"nothing fetched for JupyterLite in {CACHE.name}/: run `make site` or "
                     f"`python tools/lite.py fetch {CACHE.name}` (PyPI and npm, once)")
    site = tmp_path_factory.mktemp("site")
    lite.build(CACHE, site / "lite")
    return site


def test_the_site_loads_pyodide_and_every_package_from_itself(lite_site):
    out = lite_site / "lite"
    config = json.loads((out / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"][lite.KERNEL_PLUGIN]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert kernel["disablePyPIFallback"] is True
    assert "http" not in json.dumps(config)
    runtime = out / "static" / "pyodide"
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    for name, package in lock["packages"].items():
        assert (runtime / package["file_name"]).is_file(), name
        assert set(package["depends"]) <= set(lock["packages"]), name
    # what the kernel imports to start, what the lessons import, and smtpteach itself
    assert {"micropip", "piplite", "ipykernel", "pyodide-kernel", "ipython", "comm", "pyyaml",
            "ipywidgets", "anywidget", "traitlets", "smtpteach"} <= set(lock["packages"])
    assert lock["packages"]["smtpteach"]["version"] == smtpteach.__version__
    # PyYAML without its C part: the catalogue loads with yaml.SafeLoader
    assert lock["packages"]["pyyaml"]["file_name"].endswith("-py3-none-any.whl")
    with zipfile.ZipFile(runtime / lock["packages"]["pyyaml"]["file_name"]) as whl:
        assert not [n for n in whl.namelist() if n.endswith((".so", ".pyx", ".c"))]
    assert kernel["loadPyodideOptions"]["packages"] == lite.STARTUP


def test_every_lesson_link_opens_a_notebook_the_site_has(lite_site):
    out = lite_site / "lite"
    for lang, prefix in (("en", ""), ("vi", "vi/")):
        stems = [nb.stem for nb in lite.lessons(lang)]
        assert LESSON_03 in stems
        assert sorted(p.stem for p in (out / "files" / lang).glob("*.ipynb")) == stems
        for stem in stems:
            url, link_lang = lite_link(f"{prefix}lessons/{stem}", "../lite/", "en")
            (path,) = parse_qs(urlsplit(url).query)["path"]
            assert link_lang == lang
            shipped = out / "files" / path
            assert shipped.is_file(), path
            # the lesson's note, then the lesson byte for byte
            note, rest = _without_note(shipped.read_text(encoding="utf-8"))
            assert note["source"] == lite.note(lang)
            assert rest.encode("utf-8") == (ROOT / "notebooks" / prefix / f"{stem}.ipynb").read_bytes()


def test_the_app_pages_load_smtpteach_lite_from_the_site_with_the_lessons_and_their_words(lite_site):
    out = lite_site / "lite"
    lessons = sorted(str(p.relative_to(out / "files")) for p in (out / "files").rglob("*.ipynb"))
    script_src = re.compile(r'<script defer src="([^"]*smtpteach-lite\.js)\?_=[0-9a-f]{8}"></script>')
    pages = {page.relative_to(out).as_posix(): page.read_text(encoding="utf-8")
             for page in [*out.rglob("index.html"), out / lite.PUBLISHED_PAGE]}
    loaded = sorted(name for name, text in pages.items() if "smtpteach-lite.js" in text)
    # JupyterLite's three apps (its other index.html pages only send the browser on) and the page that opens a
    # lesson as published
    assert loaded == ["lab/index.html", "notebooks/index.html", lite.PUBLISHED_PAGE, "tree/index.html"]
    assert (out / lite.APP_SCRIPT).read_bytes() == (lite.APP_FILES / lite.APP_SCRIPT).read_bytes()
    for name in loaded:
        text = pages[name]
        (src,) = script_src.findall(text)
        assert (out / name).parent.joinpath(src).resolve() == (out / lite.APP_SCRIPT).resolve(), name
        meta = re.search(r'<meta name="smtpteach-lite" content="([^"]*)">', text)
        data = json.loads(html.unescape(meta.group(1)))
        assert sorted(data["lessons"]) == lessons
        assert data["texts"]["vi"]["open_published"] == "Mở bản gốc của bài học"
        assert "note_title" not in data["texts"]["en"]  # the note's words are in the notebooks, not here
    # nothing inline was added: what runs is in files of the site's own (script-src 'self')
    assert "<script>" not in pages[lite.PUBLISHED_PAGE] and 'style="' not in pages[lite.PUBLISHED_PAGE]


_ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code')
    .flatMap(c => c.model.outputs.toJSON().filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))"""
_OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code' && c.model.outputs.length > 0)
    .map(c => c.model.outputs.toJSON().map(o => [].concat(o.text || (o.data && o.data['text/plain']) || '').join('')).join(''))"""
_RUN_PYTHON = """async (code) => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const future = k.requestExecute({code}); let out = '';
    future.onIOPub = m => { if (m.header.msg_type === 'stream') out += m.content.text;
                            if (m.header.msg_type === 'error') out += m.content.ename; };
    await future.done; return out; }"""


@contextmanager
def _lite_context(browser, served: Path, kernel: bool = True):
    """A browser context of its own for the site's JupyterLite, served from ``served`` (the site's folder or one
    above it, so that the site has a path of its own) with every request off the site refused; yields the context
    and the server's base URL, and on leaving checks that no request left the site. JupyterLite exposes its app
    (window.jupyterapp) there: the test asks it to, not the site. With ``kernel=False`` it has no Python kernel
    (the test asks for that too), for a test that reads and saves lessons but runs nothing: each lesson opened would
    otherwise start Pyodide, some seconds of CPU each time."""
    offsite: list[str] = []
    context = browser.browser.new_context()

    def route(route):
        url = urlsplit(route.request.url)
        if url.hostname == "127.0.0.1" and url.path.endswith("/lite/jupyter-lite.json"):
            response = route.fetch()
            config = response.json()
            config["jupyter-config-data"]["exposeAppInBrowser"] = "true"
            if not kernel:
                config["jupyter-config-data"].setdefault("disabledExtensions", []).append(lite.KERNEL_PLUGIN)
            route.fulfill(response=response, json=config)
        elif url.scheme in ("data", "blob") or url.hostname == "127.0.0.1":
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    # on the context, not the page: the kernel's worker fetches Pyodide and the wheels
    context.route("**/*", route)
    try:
        with serve(served) as base:
            yield context, base
    finally:
        context.close()
    assert offsite == []


@contextmanager
def _lesson_run(lite_site: Path, browser, path: str):
    """Open ``path`` (files/<lang>/<lesson>.ipynb) in the site's JupyterLite with every request off the site
    refused, wait for the kernel, clear the saved outputs and run every cell; yield the page and the seconds to
    a ready kernel. On leaving, check that no request left the site, while making sure the check was not blind
    (the runtime and smtpteach's wheel were seen)."""
    fetched: set[str] = set()
    with _lite_context(browser, lite_site) as (context, base):
        # What JupyterLite's service worker fetches is not a request that Playwright routes or
        # reports; every fetch is in the resource timing of the page, its workers and the
        # service worker, read at the end (the buffers made big enough first).
        context.add_init_script("performance.setResourceTimingBufferSize(100000)")
        page = context.new_page()
        start = time.monotonic()
        page.goto(f"{base}lite/notebooks/?path={path}")
        page.wait_for_function(KERNEL_IDLE, timeout=240_000)
        ready = time.monotonic() - start
        # the saved outputs and counts go first, so that what is checked is this run's
        page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        assert page.evaluate(_OUTPUTS) == []
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(ALL_RAN, timeout=240_000)
        assert page.evaluate(_ERRORS) == []
        yield page, ready
        for realm in [page, *page.workers, *context.service_workers]:
            fetched.update(realm.evaluate(FETCHED))
    # the wasm runtime and the wheels were seen, so the timing is not blind; none left the site
    assert any(url.endswith("pyodide.asm.wasm") for url in fetched), sorted(fetched)[:20]
    assert any("/smtpteach-" in url and url.endswith(".whl") for url in fetched), sorted(fetched)[:20]
    away = sorted(url for url in fetched if urlsplit(url).scheme not in ("data", "blob")
                  and urlsplit(url).hostname != "127.0.0.1")
    assert away == []


def _note_commands(lite_site: Path, lang: str, stem: str) -> list[list[str]]:
    """The commands the note before a lesson's copy shows, as the arguments of each ``cli.main`` in its code."""
    note = json.loads((lite_site / "lite" / "files" / lang / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"][0]
    (code,) = re.findall(r"```python\n(.*?)\n> ```", note["source"], re.DOTALL)
    lines = [line.removeprefix(">").strip() for line in code.splitlines()]
    assert lines[0] == "from smtpteach import cli"
    return [json.loads(line.removeprefix("cli.main(").removesuffix(")")) for line in lines[1:] if line]


def _the_note_commands_answer_as_in_a_terminal(page, commands: list[list[str]], tmp_path: Path) -> None:
    """Each command of the note, run in the lesson's kernel as the note shows it (``mail.log`` is in the lesson's
    folder), exits with 0 and prints what the same command prints here in a terminal, word for word."""
    from smtpteach import cli

    shutil.copy(smtpteach.sample_path("mail.log"), tmp_path / "mail.log")
    here = os.getcwd()
    for argv in commands:
        out = io.StringIO()
        os.chdir(tmp_path)  # contextlib.chdir is Python 3.11's
        try:
            with redirect_stdout(out):
                assert cli.main(argv) == 0, argv
        finally:
            os.chdir(here)
        said = page.evaluate(_RUN_PYTHON, f"from smtpteach import cli\nprint('exit', cli.main({json.dumps(argv)}))")
        assert said == out.getvalue() + "exit 0\n", argv


_MARKDOWN_SHOWN = "() => document.querySelectorAll('.jp-MarkdownCell .jp-RenderedHTMLCommon').length > 2"
_SHOW_CELL_WITH = """(text) => { const nb = window.jupyterapp.shell.currentWidget.content;
    const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes(text));
    return nb.scrollToItem(i).then(() => i); }"""
_CELL_SOURCE = "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.getSource()"
_SAVED_PATHS = """async (name) => { const db = await new Promise((ok, no) => {
        const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
    try { const files = db.transaction('files').objectStore('files');
          return await new Promise(ok => { const r = files.getAllKeys(); r.onsuccess = () => ok(r.result); }); }
    finally { db.close(); } }"""


_LITE_READY = "() => document.documentElement.dataset.smtpteachLite === 'ready'"


def _shown(page) -> None:
    """The lesson the page has opened, in a context with no kernel (``_lite_context(kernel=False)``), is drawn, its
    markdown rendered, and smtpteach-lite.js done with what it has to say. JupyterLab, which has no kernel to start,
    asks which one: the learner's "No Kernel" is taken, so that the dialog covers nothing."""
    page.wait_for_function(_MARKDOWN_SHOWN, timeout=60_000)
    page.wait_for_function(_LITE_READY)
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()
    assert "No Kernel" in dialog.inner_text()
    dialog.locator("button.jp-mod-accept").click()
    dialog.wait_for(state="detached")


def _open_lesson(page, lite_url: str, path: str) -> None:
    """A lesson opened as "Run this lesson in your browser" opens it (in a context with no kernel: ``_shown``)."""
    page.goto(f"{lite_url}notebooks/?path={path}")
    _shown(page)


@pytest.mark.parametrize(("path", "text", "target"), [
    (f"en/{LESSON_03}.ipynb", "How to compare two codes", "howto/compare-codes.html"),
    ("vi/09-queues-and-retries.ipynb", "Phân loại bounce của cả một ngày", "vi/howto/triage.html"),
])
def test_a_lessons_link_to_a_how_to_page_opens_the_sites_page_in_a_new_tab_under_any_path(
        lite_site, browser, path, text, target):
    """The site served under a path of its own (/<folder>/, not the host's root): a lesson's link to a how-to page,
    written from the docs' root as MyST writes it (/howto/compare-codes.md), opens that page of the site in a new
    tab, in the lesson's language, and the lesson stays open. The lesson's copy begins with its note."""
    page_there = lite_site / target
    page_there.parent.mkdir(parents=True, exist_ok=True)
    page_there.write_text(f"<!DOCTYPE html><title>{target}</title><p>The site's page.</p>", encoding="utf-8")
    lang = path.split("/")[0]
    with _lite_context(browser, lite_site.parent, kernel=False) as (context, base):
        site = f"{base}{lite_site.name}/"
        page = context.new_page()
        _open_lesson(page, f"{site}lite/", path)
        note = page.locator(".jp-Cell").first.locator(".jp-RenderedHTMLCommon strong").first
        note.wait_for()
        assert note.inner_text() == smtpteach.default_catalogue().ui(lang=lang)["lite"]["note_title"]
        # the lesson links the page as MyST does, from the docs' root
        assert page.evaluate(_SHOW_CELL_WITH, f"](/{target.removesuffix('.html')}.md)") > 1
        link = page.locator(".jp-RenderedHTMLCommon a", has_text=text)
        assert link.get_attribute("href") == site + target
        with context.expect_page() as opened:
            link.click()
        opened.value.wait_for_load_state()
        assert (opened.value.url, opened.value.title()) == (site + target, target)
        assert page.url == f"{site}lite/notebooks/?path={path}"  # the lesson is still open in its own tab


@pytest.mark.parametrize(("path", "follow"), [(f"en/{LESSON_03}.ipynb", True), ("vi/01-anatomy-of-a-reply.ipynb", False)])
def test_a_lesson_saved_in_the_browser_says_it_is_the_learners_copy_and_opens_as_published_keeping_the_copy(
        lite_site, browser, axe_source, path, follow):
    """A learner changes a lesson and saves it (Ctrl+S): JupyterLite keeps it in the browser and opens it from then
    on. Opened again from the site, it says that it is their copy, in the lesson's language; its link opens the
    lesson as the site publishes it now (here newer than their copy), and their copy is kept under another name,
    which the lesson then names and links to. A copy with the lesson's own cells (saved with no change, as
    JupyterLite's autosave does) says nothing."""
    lang, name = path.split("/")
    words = smtpteach.default_catalogue().ui(lang=lang)["lite"]
    kept = f"{lang}/{name.removesuffix('.ipynb')} ({words['copy_name']}).ipynb"
    with _lite_context(browser, lite_site, kernel=False) as (context, base):
        database = "JupyterLite Storage - /lite/"
        page = context.new_page()
        # a notebook JupyterLab counts as changed (with a kernel, once it has started: its metadata) asks before the
        # page is left: the learner leaves (Playwright would stay)
        page.on("dialog", lambda dialog: dialog.accept() if dialog.type == "beforeunload" else dialog.dismiss())
        _open_lesson(page, f"{base}lite/", path)
        assert page.locator(".smtpteach-lite-notice").count() == 0  # the lesson as published: nothing to say

        def save() -> None:
            page.locator(".jp-Cell").first.click(position={"x": 4, "y": 4})
            page.keyboard.press("Control+s")
            page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
            # a lesson with no change is not dirty before it is saved: the wait above is over at once, and the browser's
            # store is written a moment later (CI once read it before it was)
            deadline = time.monotonic() + 15
            while path not in (saved := page.evaluate(_SAVED_PATHS, database)) and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert path in saved

        if not follow:  # saved with no change: the lesson's own cells, nothing to say about them
            save()
            _open_lesson(page, f"{base}lite/", path)
            assert page.locator(".smtpteach-lite-notice").count() == 0
        page.evaluate("(s) => window.jupyterapp.shell.currentWidget.content.widgets[1].model.sharedModel.setSource(s)",
                      "# MY NOTES")
        save()

        def newer(route):  # the site publishes the lesson again, changed
            response = route.fetch()
            nb = response.json()
            nb["cells"][1]["source"] = "# NEWER ON THE SITE\n"
            route.fulfill(response=response, json=nb)

        context.route(f"**/lite/files/{path}", newer)
        # the learner follows "Run this lesson in your browser" again: their copy, and a notice that says so
        _open_lesson(page, f"{base}lite/", path)
        notice = page.locator(".smtpteach-lite-notice")
        assert (notice.get_attribute("role"), notice.get_attribute("lang")) == ("status", lang)
        said = notice.inner_text()
        assert said.startswith(words["copy_title"]) and "{" not in said and str(time.gmtime().tm_year) in said
        assert f"“{kept.split('/')[1]}”" in said
        assert page.evaluate(_CELL_SOURCE, 1) == "# MY NOTES"
        assert_accessible(axe_violations(page, axe_source, ".smtpteach-lite-notice"), f"the notice on {path}")
        link = notice.get_by_role("link", name=words["open_published"])
        assert link.count() == 1
        if not follow:  # a learner who would rather keep reading their copy hides the notice
            notice.get_by_role("button", name=words["hide"]).click()
            assert notice.count() == 0
            return
        link.click()
        page.wait_for_url(f"{base}lite/notebooks/?path={path}")
        _shown(page)
        assert page.evaluate(_CELL_SOURCE, 1) == "# NEWER ON THE SITE\n"  # the lesson as the site has it now
        assert notice.inner_text().startswith(words["published_title"]) and f"“{kept.split('/')[1]}”" in notice.inner_text()
        saved = page.evaluate(_SAVED_PATHS, database)
        assert kept in saved and path not in saved
        # and the notice's other link opens their copy: their notes, with nothing to say about it
        notice.get_by_role("link", name=words["open_copy"]).click()
        page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("path") == [kept])
        _shown(page)
        assert page.evaluate(_CELL_SOURCE, 1) == "# MY NOTES"
        assert page.locator(".smtpteach-lite-notice").count() == 0


def test_lesson_03_runs_in_jupyterlite_offline_and_its_widget_talks_back_to_python(lite_site, browser, tmp_path):
    catalogue = smtpteach.default_catalogue()
    with _lesson_run(lite_site, browser, f"en/{LESSON_03}.ipynb") as (page, ready):
        first = page.evaluate(_OUTPUTS)[0]  # the first cell's list of categories
        assert "x5z" in first and catalogue.text("categories", "5", lang="en").name in first
        widget = page.locator(".smtpteach-compare-widget")
        assert widget.count() == 1
        widget.scroll_into_view_if_needed()
        widget.get_by_label("First code").select_option("550")
        widget.get_by_label("Second code").select_option("553")
        title = widget.locator("article.smtpteach-compare h3")
        title.scroll_into_view_if_needed()
        assert title.inner_text().startswith("SMTP 550 Mailbox Unavailable vs 553")
        said = page.evaluate(_RUN_PYTHON, "print(cmp.a, cmp.b, cmp.comparison.title.split()[1])")
        assert said.split() == ["550", "553", "550"]
        # the note's advice, followed: mail.log uploaded as it says (File, Open…, the folder en, Upload), then
        # the lessons' terminal commands in a cell, as it shows them
        page.get_by_role("menuitem", name="File", exact=True).click()
        with page.context.expect_page() as opened:
            page.get_by_role("menuitem", name="Open…").click()
        files = opened.value
        files.locator(".jp-DirListing-item").filter(has=files.get_by_text("en", exact=True)).dblclick()
        files.locator(".jp-DirListing-item", has_text=f"{LESSON_03}.ipynb").wait_for()  # in the folder en
        with files.expect_file_chooser() as chooser:
            files.get_by_role("button", name="Upload").click()
        chooser.value.set_files(smtpteach.sample_path("mail.log"))
        files.locator(".jp-DirListing-item", has_text="mail.log").wait_for()
        _the_note_commands_answer_as_in_a_terminal(page, _note_commands(lite_site, "en", LESSON_03), tmp_path)
        print(f"kernel ready {ready:.1f} s after opening the lesson")


@pytest.mark.parametrize(("lang", "stem", "pictures", "replies"), [
    # the live lab, its server in memory: every transcript (42 reply lines), and the sequence diagram of one,
    # drawn by smtpteach in Pyodide (the triage chart of lesson 09 is drawn by the same SVG writer)
    ("vi", "05-live-lab", 1, 42),
])
def test_a_lesson_runs_in_jupyterlite_offline_and_gives_its_stored_outputs_byte_for_byte(
        lite_site, browser, tmp_path, lang, stem, pictures, replies):
    """A lesson run afresh in the browser's Pyodide gives every output the lesson stores from a local kernel,
    pictures as the same SVG byte for byte, and the lab's sessions as the same transcripts; the commands its note
    shows give there what they give in a terminal."""
    with _lesson_run(lite_site, browser, f"{lang}/{stem}.ipynb") as (page, _):
        got = [comparable(outputs) for outputs in page.evaluate(CODE_OUTPUTS)]
        # the note's commands in this language, with mail.log in the lesson's folder (where the kernel runs)
        page.evaluate(_RUN_PYTHON, "import shutil, smtpteach\nshutil.copy(smtpteach.sample_path('mail.log'), 'mail.log')")
        _the_note_commands_answer_as_in_a_terminal(page, _note_commands(lite_site, lang, stem), tmp_path)
    saved = stored_outputs(ROOT / "notebooks" / ("" if lang == "en" else lang) / f"{stem}.ipynb")
    drawn = [o for cell in saved for o in cell if "data" in o and "<svg" in o["data"].get("text/html", "")]
    lines = sum(o.get("stream", "").count("S: ") for cell in saved for o in cell)
    assert (len(drawn), lines) == (pictures, replies)  # what the comparison covers
    assert len(got) == len(saved)
    for i, (mine, theirs) in enumerate(zip(got, saved)):
        assert mine == theirs, f"code cell {i + 1}"
