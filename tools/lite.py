"""Build the lessons into an offline JupyterLite site, served from the site itself.

    python tools/lite.py fetch .lite                      # once: PyPI and npm, into the cache
    python tools/lite.py build .lite docs/_build/html/lite  # any time after, with no network

``fetch`` fills the cache folder: a private venv with jupyterlite-core and the
Pyodide kernel, the Pyodide runtime (the npm package ``pyodide``), and the wheels
the kernel and the lessons import. ``build`` writes the JupyterLite site, with the
lessons in English (``files/en``) and Vietnamese (``files/vi``).

**No CDN.** The npm package holds the interpreter and Pyodide's lock file, but
none of the packages that lock file names (their wheels are published only on
Pyodide's CDN), so its lock file would send the kernel there for ``micropip``,
``ipython`` and the rest. The build writes its own ``pyodide-lock.json`` instead,
naming only wheels it ships next to the runtime: pure-Python wheels from PyPI,
the kernel's own wheels, smtpteach's wheel, and PyYAML built from its PyPI source
without its C part (its Pyodide build is on the CDN only). A package missing from
that lock cannot be loaded at all, rather than fetched from elsewhere; the kernel's
fallback to PyPI is turned off. The lessons' pictures need no plotting library
(smtpteach writes their SVG itself), and the lab's SMTP server runs in memory
there (``smtpteach._lab_memory``: Pyodide has no sockets); a lesson that needs a
real connection (TLS, smtplib) is left out: see ``smtpteach.sphinx._lite.runs_in_browser``.

**What the learner reads there.** Each lesson's copy begins with a note in its
language (:func:`note`): the lesson runs in this tab, the lessons' terminal
commands are run in a cell through ``smtpteach.cli.main`` (only those that work in
Pyodide), what is saved stays in this browser, and which lesson is left out and
why. Its other cells are the lesson's own, outputs and all. The app's pages get
``smtpteach-lite.js`` (in ``tools/lite-app``; :func:`add_app_files`), which sends the
lessons' links to how-to pages (``/howto/triage.md``) to the site's HTML pages
whatever path the site is served under (the site is the folder above the
JupyterLite one, as ``make site`` lays them out), and tells a learner who opens a lesson
they saved in the browser that it is their copy, with a link that opens the lesson
as published and keeps the copy under another name.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the Pyodide that jupyterlite-pyodide-kernel 0.8.6 is made for (its constants.PYODIDE_VERSION)
PYODIDE = "314.0.6"
#: the Python inside that Pyodide, for choosing wheels and reading their markers
PYODIDE_PYTHON = "3.14"

#: the build's own tools, in the cache venv (never in the project's .venv)
TOOLS = [
    "jupyterlite-core==0.8.6",
    "jupyterlite-pyodide-kernel==0.8.6",
    "jupyter-server==2.21.1",  # jupyter lite build needs it to add contents
    # the widgets' front ends, found by jupyter lite build as installed lab extensions
    "jupyterlab-widgets==3.0.17",
    "anywidget==0.11.0",
    "setuptools==84.2.1",  # builds smtpteach's wheel with no network
    "wheel==0.48.0",
]

#: pure-Python wheels the kernel (ipython, jedi, comm) and the lessons (widgets) import
WHEELS = [
    "micropip==0.11.1",
    "comm==0.2.3",
    "ipython==9.12.0",
    "ipython-pygments-lexers==1.1.1",
    "asttokens==3.0.2",
    "decorator==5.3.1",
    "executing==2.3.0",
    "matplotlib-inline==0.2.2",
    "prompt-toolkit==3.0.53",
    "pure-eval==0.2.4",
    "pygments==2.21.0",
    "stack-data==0.6.3",
    "traitlets==5.16.1",
    "wcwidth==0.9.4",
    "jedi==0.20.1",
    "parso==0.8.7",
    "ipywidgets==8.1.9",
    "jupyterlab-widgets==3.0.17",
    "anywidget==0.11.0",
    "psygnal==0.16.1",
    "typing-extensions==4.16.0",
    "tqdm==4.70.1",  # smtpteach's own
    # the lab's server, run in memory (Pyodide has no sockets): smtpteach's lab extra
    "aiosmtpd==1.4.6",
    "atpublic==9.0.0",
    "attrs==26.1.0",
]
#: built from its source with no C extension: pyyaml's own Pyodide wheel is not on PyPI
PYYAML = "pyyaml==6.0.3"

#: what the kernel loads before it is ready: named in loadPyodideOptions.packages, Pyodide
#: fetches them all at once while it starts, instead of the kernel installing them one by one
STARTUP = ["micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython"]
#: the kernel's stand-ins (ipykernel, widgetsnbextension) and its own code, shipped in its lab extension
KERNEL_WHEELS = "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
#: smtpteach's wheel is locked with these extras: `import smtpteach` loads the widgets' packages and the
#: lab's server too (its cryptography is not wanted in Pyodide: the lab has no TLS there)
OWN_EXTRAS = ("widgets", "lab")
#: the files of the npm package that the browser loads
RUNTIME = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
STAMP = ".fetched"

#: the lessons' terminal commands as the note before each lesson shows them, run in a cell through
#: ``cli.main`` (a Vietnamese lesson's with ``--lang vi``): each gives its answer in Pyodide (tests/test_lite.py
#: runs them there). The quiz is printed (``--format text``): asked interactively, it reads answers from a
#: terminal, and in a cell its standard input fails ("cannot read the answers from standard input")
NOTE_COMMANDS = [
    ["explain", "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown"],
    ["triage", "mail.log"],
    ["quiz", "--format", "text"],
]
#: smtpteach's own files for the app's pages (smtpteach-lite.js says what they do), and the page that opens a
#: lesson as published
APP_FILES = ROOT / "tools" / "lite-app"
APP_SCRIPT, APP_STYLE, PUBLISHED_PAGE = "smtpteach-lite.js", "smtpteach-lite.css", "smtpteach-published.html"


class LiteError(Exception):
    """Something the build needs is missing or wrong; the message says what."""


def _run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise LiteError(f"{' '.join(map(str, args[:4]))} ... failed ({proc.returncode}):\n{tail}")


def _bin(cache: Path, name: str) -> Path:
    return cache / "venv" / "bin" / name


def _fetched(cache: Path) -> str:
    """What a fetch with these pins writes into the stamp: a change of pin fetches again."""
    return json.dumps({"pyodide": PYODIDE, "tools": TOOLS, "wheels": WHEELS, "pyyaml": PYYAML}, indent=1)


def fetch(cache: Path) -> None:
    """Download everything ``build`` needs into ``cache``; do nothing if it is there already.

    Three downloads that need nothing of each other run at once: the build tools into the cache's own
    venv, the wheels for the browser (with this Python's pip, which only downloads and builds), and the
    Pyodide runtime from npm."""
    from concurrent.futures import ThreadPoolExecutor

    cache = cache.resolve()
    stamp = cache / STAMP
    if stamp.is_file() and stamp.read_text() == _fetched(cache):
        return
    cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [pool.submit(_fetch_tools, cache), pool.submit(_fetch_wheels, cache), pool.submit(_fetch_runtime, cache)]
        for job in jobs:
            job.result()  # the first failure, as its LiteError
    stamp.write_text(_fetched(cache))


def _fetch_tools(cache: Path) -> None:
    """jupyterlite and its Pyodide kernel, into a venv of the cache's own (never the project's)."""
    import importlib.util

    if not _bin(cache, "python").exists():
        _run(sys.executable, "-m", "venv", cache / "venv")
    if importlib.util.find_spec("uv") is not None:  # the project's venv has it (make): the same versions, faster
        try:
            _run(sys.executable, "-m", "uv", "pip", "install", "--quiet", "--python", _bin(cache, "python"), *TOOLS)
            return
        except LiteError:
            pass  # as the Makefile does: where uv cannot do it, pip does
    _run(_bin(cache, "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *TOOLS)


def _fetch_wheels(cache: Path) -> None:
    """The pure-Python wheels the lessons import in the browser, and PyYAML built as one."""
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    wheels = cache / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    _run(*pip, "download", "--quiet", "--no-deps", "--only-binary=:all:", "--platform", "any",
         "--implementation", "py", "--abi", "none", "--python-version", PYODIDE_PYTHON, "-d", wheels, *WHEELS)
    # PyYAML from its source, fetched and built in one step (one isolated build environment, where a
    # download and then a build made two); PYYAML_FORCE_LIBYAML=0: the pure-Python yaml package only, in a
    # py3-none-any wheel. --no-cache-dir: pip reuses a wheel it built from the index before, whatever
    # --no-binary says, and one built with libyaml would not do
    _run(*pip, "wheel", "--quiet", "--no-deps", "--no-cache-dir", "--no-binary=:all:", "-w", wheels, PYYAML,
         env={**os.environ, "PYYAML_FORCE_LIBYAML": "0"})
    built = [w.name for w in wheels.glob("pyyaml-*.whl")]
    if not (len(built) == 1 and built[0].endswith("-py3-none-any.whl")):
        raise LiteError(f"PyYAML did not build as one pure-Python wheel: {built}")


def _fetch_runtime(cache: Path) -> None:
    """The Pyodide interpreter and its lock file, from the npm package (never its CDN)."""
    runtime = cache / "pyodide"
    shutil.rmtree(runtime, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        _run("npm", "pack", "--silent", f"pyodide@{PYODIDE}", "--pack-destination", tmp)
        (tgz,) = Path(tmp).glob("pyodide-*.tgz")
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        runtime.mkdir()
        for name in [*RUNTIME, "pyodide-lock.json"]:
            shutil.copy2(Path(tmp) / "package" / name, runtime / name)


# -- the lock file ----------------------------------------------------------------------

def canonical(name: str) -> str:
    """A package name as Pyodide's lock keys it (PEP 503).

    >>> canonical("Typing_Extensions"), canonical("pyodide_kernel")
    ('typing-extensions', 'pyodide-kernel')
    """
    return re.sub(r"[-_.]+", "-", name).lower()


#: the environment markers of Pyodide's Python (PEP 508), for reading Requires-Dist
def _pyodide_markers() -> dict[str, str]:
    return {"python_version": PYODIDE_PYTHON, "python_full_version": PYODIDE_PYTHON + ".0",
            "sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
            "platform_machine": "wasm32", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "platform_release": "", "platform_version": "",
            "implementation_version": PYODIDE_PYTHON + ".0", "extra": ""}


def read_wheel(path: Path) -> dict:
    """Name, version, import names and requirements of a wheel, read from its metadata."""
    with zipfile.ZipFile(path) as whl:
        names = whl.namelist()
        (meta,) = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        info = Parser().parsestr(whl.read(meta).decode("utf-8"))
        tops = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        if tops:
            imports = whl.read(tops[0]).decode("utf-8").split()
        else:
            imports = sorted({n.split("/")[0].removesuffix(".py") for n in names
                              if not n.split("/")[0].endswith((".dist-info", ".data"))
                              and (n.endswith("/__init__.py") and n.count("/") == 1 or "/" not in n and n.endswith(".py"))})
    return {"name": canonical(info["Name"]), "version": info["Version"],
            "imports": [i for i in imports if i and not i.startswith("_")] or imports,
            "requires": info.get_all("Requires-Dist") or []}


def depends(requires: list[str], extras: tuple[str, ...] = ()) -> list[str]:
    """The requirements that apply in Pyodide, as canonical names.

    >>> depends(['pexpect>4.3; sys_platform != "win32" and sys_platform != "emscripten"',
    ...          'decorator>=4.3.2', 'ipywidgets>=8.1; extra == "widgets"'], ("widgets",))
    ['decorator', 'ipywidgets']
    """
    from packaging.requirements import Requirement

    found = []
    for text in requires:
        req = Requirement(text)
        envs = [dict(_pyodide_markers(), extra=e) for e in ("", *extras)]
        if req.marker is None or any(req.marker.evaluate(env) for env in envs):
            found.append(canonical(req.name))
    return sorted(set(found))


def write_lock(runtime: Path, base_lock: Path, own: str) -> dict:
    """Write ``runtime/pyodide-lock.json`` naming every wheel in ``runtime`` and nothing else;
    raise LiteError naming any requirement that no wheel there provides."""
    packages, wanted = {}, {}
    for whl in sorted(runtime.glob("*.whl")):
        info = read_wheel(whl)
        packages[info["name"]] = {
            "name": info["name"], "version": info["version"], "file_name": whl.name,
            "install_dir": "site", "sha256": hashlib.sha256(whl.read_bytes()).hexdigest(),
            "package_type": "package", "imports": info["imports"], "depends": [],
            "unvendored_tests": False,
        }
        wanted[info["name"]] = depends(info["requires"], OWN_EXTRAS if info["name"] == own else ())
    missing = []
    for name, deps in wanted.items():
        packages[name]["depends"] = [d for d in deps if d in packages]
        missing += [f"{name} needs {d}" for d in deps if d not in packages]
    if missing:
        raise LiteError("no wheel in the lite build for: " + "; ".join(missing))
    lock = {"info": json.loads(base_lock.read_text())["info"], "packages": dict(sorted(packages.items()))}
    (runtime / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return lock


# -- the site ----------------------------------------------------------------------------

def _own_wheel(cache: Path, dest: Path) -> Path:
    """smtpteach's wheel, built from a copy of the sources (no build/ left in the checkout)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "smtpteach", src / "smtpteach",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        out = Path(tmp) / "out"
        _run(_bin(cache, "python"), "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--no-index", "-w", out, src)
        (whl,) = out.glob("smtpteach-*.whl")
        return Path(shutil.copy2(whl, dest / whl.name))


def _kernel_wheels(cache: Path) -> Path:
    found = list((cache / "venv").glob(KERNEL_WHEELS))
    if not found:
        raise LiteError(f"the Pyodide kernel's own wheels are not in {cache / 'venv' / KERNEL_WHEELS}")
    return found[0]


def lessons(lang: str) -> list[Path]:
    """The lesson notebooks of a language that run whole in Pyodide, in order
    (the ones whose pages link to JupyterLite: smtpteach.sphinx._lite)."""
    from smtpteach.sphinx._lite import runs_in_browser

    folder = ROOT / "notebooks" if lang == "en" else ROOT / "notebooks" / lang
    return [nb for nb in sorted(folder.glob("[0-9][0-9]-*.ipynb")) if runs_in_browser(nb)]


def _title(notebook: Path) -> str:
    """A lesson's title: the first line of its first cell, a markdown heading."""
    source = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"]
    return "".join(source).split("\n", 1)[0].lstrip("#").strip()


def note(lang: str) -> str:
    """The markdown of the note that begins each lesson's copy in ``lang``, from the language's ui.yaml
    (``lite``), with the commands of NOTE_COMMANDS and the lessons that are not there."""
    from smtpteach import default_catalogue
    from smtpteach._templates import fill

    words = default_catalogue().ui(lang=lang)["lite"]
    folder = ROOT / "notebooks" / ("" if lang == "en" else lang)
    there = {nb.name for nb in lessons(lang)}
    left_out = [nb for nb in sorted(folder.glob("[0-9][0-9]-*.ipynb")) if nb.name not in there]
    code = ["from smtpteach import cli", ""]
    for command in NOTE_COMMANDS:
        argv = [command[0], *(["--lang", lang] if lang != "en" else []), *command[1:]]
        code.append(f"cli.main({json.dumps(argv, ensure_ascii=False)})")
    parts = [f"**{words['note_title']}** {words['note_intro']}", words["note_terminal"],
             "```python\n" + "\n".join(code) + "\n```", fill(words["note_triage"], {"folder": lang}), words["note_saved"]]
    if left_out:
        names = " ".join(fill(words["left_out_lesson"], {"number": nb.name[:2], "title": _title(nb)}) for nb in left_out)
        parts.append(fill(words["note_left_out"], {"lessons": names}))
    return "\n".join(f"> {line}" if line else ">" for line in "\n\n".join(parts).split("\n"))  # a block quote


def lite_copy(notebook: Path, note_text: str) -> str:
    """The text of a lesson's copy for JupyterLite: the lesson with ``note_text`` as a markdown cell before its
    first, whose id is derived from its text (the build stays the same from one run to the next), written as
    the lessons are (nbformat's layout, one space of indent); every other byte of the lesson as it is."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell_id = "lite-note-" + hashlib.sha256(note_text.encode("utf-8")).hexdigest()[:12]
    if any(cell.get("id") == cell_id for cell in nb["cells"]):
        raise LiteError(f"{notebook.name} has a cell with the id of the note, {cell_id}")
    nb["cells"].insert(0, {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": note_text})
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def build(cache: Path, out: Path) -> dict:
    """Write the JupyterLite site into ``out`` from the cache, with no network."""
    cache, out = cache.resolve(), out.resolve()
    stamp = cache / STAMP
    if not (stamp.is_file() and stamp.read_text() == _fetched(cache)):
        raise LiteError(f"nothing fetched in {cache} for these pins: run `python tools/lite.py fetch {cache}` first")
    with tempfile.TemporaryDirectory() as tmp:  # a build of its own, whatever else runs
        stage = Path(tmp)
        runtime = stage / "static" / "pyodide"
        runtime.mkdir(parents=True)
        for name in RUNTIME:
            shutil.copy2(cache / "pyodide" / name, runtime / name)
        for whl in [*(cache / "wheels").glob("*.whl"), *_kernel_wheels(cache).glob("*.whl")]:
            if whl.name.startswith("widgetsnbextension-3."):
                continue  # ipywidgets 8 takes the 4.x stand-in
            shutil.copy2(whl, runtime / whl.name)
        _own_wheel(cache, runtime)
        lock = write_lock(runtime, cache / "pyodide" / "pyodide-lock.json", own="smtpteach")
        for lang in ("en", "vi"):
            (stage / "files" / lang).mkdir(parents=True)
            note_text = note(lang)
            for nb in lessons(lang):
                (stage / "files" / lang / nb.name).write_text(lite_copy(nb, note_text), encoding="utf-8")
        shutil.rmtree(out, ignore_errors=True)
        _run(_bin(cache, "jupyter"), "lite", "build", "--lite-dir", stage, "--output-dir", out,
             "--contents", stage / "files", "--no-sourcemaps", "--no-unused-shared-packages",
             "--apps", "lab", "--apps", "notebooks", "--apps", "tree", cwd=stage)  # its doit state goes there
    _configure(out / "jupyter-lite.json", lock)
    add_app_files(out, [f"{lang}/{nb.name}" for lang in ("en", "vi") for nb in lessons(lang)])
    return lock


def _texts() -> dict[str, dict[str, str]]:
    """The words of smtpteach-lite.js in each language: ui.yaml's ``lite``, less the note's."""
    from smtpteach import default_catalogue

    return {lang: {k: v for k, v in default_catalogue().ui(lang=lang)["lite"].items() if not k.startswith(("note_", "left_"))}
            for lang in ("en", "vi")}


def add_app_files(out: Path, lesson_paths: list[str]) -> list[Path]:
    """Put smtpteach-lite.js and its style at the root of the JupyterLite site in ``out``, with a ``<script src>``
    and a ``<link>`` to them and a ``<meta>`` with their words and the lessons' paths in every app page (an
    ``index.html`` that loads a JupyterLite app), and write the page that opens a lesson as published. Returns
    the app pages; raises LiteError where JupyterLite's pages are not as expected.

    Nothing inline: the site keeps to ``script-src 'self'``. The files' URLs carry a digest of their content, as
    JupyterLite's own do (``?_=...``), so that a browser that has an older one does not keep it."""
    meta = html.escape(json.dumps({"lessons": lesson_paths, "texts": _texts()}, ensure_ascii=False,
                                  sort_keys=True, separators=(",", ":")), quote=True)
    stamps = {}
    for name in (APP_SCRIPT, APP_STYLE):
        data = (APP_FILES / name).read_bytes()
        (out / name).write_bytes(data)
        stamps[name] = hashlib.sha256(data).hexdigest()[:8]

    def head(root: str) -> str:
        prefix = "" if root in ("", ".") else root.rstrip("/") + "/"
        return (f'<meta name="smtpteach-lite" content="{meta}">\n'
                f'<link rel="stylesheet" href="{prefix}{APP_STYLE}?_={stamps[APP_STYLE]}">\n'
                f'<script defer src="{prefix}{APP_SCRIPT}?_={stamps[APP_SCRIPT]}"></script>\n')

    pages = []
    for page in sorted(out.rglob("index.html")):
        if page.relative_to(out).parts[0] in ("files", "static", "api"):
            continue  # the lessons' folder, and the kernel's and extensions' files
        text = page.read_text(encoding="utf-8")
        if 'id="jupyter-lite-main"' not in text:
            continue  # not an app: the root's page, which only sends the browser on to the lab
        root = re.search(r'data-jupyter-lite-root="([^"]*)"', text)
        if not root or text.count("</head>") != 1:
            raise LiteError(f"{page.relative_to(out)}: not a JupyterLite page as expected (its root, one </head>)")
        page.write_text(text.replace("</head>", head(root.group(1)) + "</head>"), encoding="utf-8")
        pages.append(page)
    if not {out / "notebooks" / "index.html", out / "lab" / "index.html"} <= set(pages):
        raise LiteError(f"no notebooks and lab app pages in {out}: {[str(p.relative_to(out)) for p in pages]}")
    (out / PUBLISHED_PAGE).write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>smtpteach</title>\n'
        + head(".") + "</head>\n<body>\n<main>\n<p id=\"smtpteach-lite-opening\" role=\"status\"></p>\n</main>\n"
        "<noscript><p>JupyterLite needs JavaScript.</p></noscript>\n</body>\n</html>\n", encoding="utf-8")
    return pages


def _configure(config: Path, lock: dict) -> None:
    """Point the kernel at the lock written here, preload what it needs to start,
    and turn off its fallback to PyPI; then check that nothing names a remote URL."""
    data = json.loads(config.read_text())
    settings = data["jupyter-config-data"].setdefault("litePluginSettings", {}).setdefault(KERNEL_PLUGIN, {})
    missing = [p for p in STARTUP if p not in lock["packages"]]
    if missing:
        raise LiteError(f"the kernel's start-up packages have no wheel in the lite build: {missing}")
    settings["disablePyPIFallback"] = True
    settings["loadPyodideOptions"] = {"packages": STARTUP}
    if settings.get("pyodideUrl") != "./static/pyodide/pyodide.mjs":
        raise LiteError(f"{config}: the Pyodide runtime is not the one in the site: {settings.get('pyodideUrl')!r}")
    # smtpteach-lite.js finds the learner's saved lessons where JupyterLite keeps them by default
    named = sorted(k for k in data["jupyter-config-data"] if k.startswith("contentsStorage"))
    if named:
        raise LiteError(f"{config} names the contents' storage ({named}): smtpteach-lite.js looks for the default")
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    remote = sorted(set(re.findall(r'"(https?://[^"]*)"', text)))
    if remote:
        raise LiteError(f"{config} names remote URLs: {remote}")
    config.write_text(text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    usage = "usage: python tools/lite.py fetch CACHE | build CACHE OUT"
    if not args or args[0] not in ("fetch", "build") or len(args) != {"fetch": 2, "build": 3}[args[0]]:
        print(usage, file=sys.stderr)
        return 2
    try:
        if args[0] == "fetch":
            fetch(Path(args[1]))
        else:
            build(Path(args[1]), Path(args[2]))
    except LiteError as err:
        print(f"lite: {err}", file=sys.stderr)
        return 1
    except (OSError, subprocess.CalledProcessError) as err:  # a folder it cannot write, pip or npm failing
        print(f"lite: {args[0]} failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
