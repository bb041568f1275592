"""The Sphinx extension (smtpteach/sphinx/) and sample_path(), as a reader of the site meets them.

A test audit planted bugs that tests/test_sphinx_ext.py, tests/test_sphinx_a11y.py and
tests/test_samples.py let through: a Vietnamese page whose code links and tooltips were
English, a link wrong from a page in a folder, a Vietnamese glossary with English notes, a
reference index listing codes under the wrong class, a hand-written page overwritten,
search that kept diacritics, English labels on Vietnamese pages, a previous/next link
into the other language, widget data whose bytes changed from build to build. One small
project is built here (the basic theme), and the page generator is run into a folder
without Sphinx.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.testing.util import SphinxTestApp

import smtpteach
from smtpteach import InvalidArgumentError

from ._guards import require

CAT = smtpteach.default_catalogue()
CONF = '''
extensions = ["myst_parser", "smtpteach.sphinx"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
'''
STUB = "---\norphan: true\n---\n# {title}\n"
PAGES = {
    "index.md": "# Home\n\nSee {smtp}`550`.\n\n```{toctree}\npage\nvi/index\n```\n",
    "page.md": "# Page\n\nSome words.\n",
    "vi/index.md": "# Nhà\n\nXem {smtp}`550` và {smtp}`5.1.1`.\n\n```{toctree}\npage\nlessons/x\n```\n",
    "vi/page.md": "# Trang\n\nVài chữ.\n",
    "vi/lessons/x.md": "# Bài\n\nXem {smtp}`550`.\n\n:::{smtp-compare} 421 450\n:part: learn-more\n:::\n",
    # the reference pages the role links to, in both languages (the project writes them itself here)
    **{f"{prefix}reference/codes/{code}.md": STUB.format(title=code)
       for prefix in ("", "vi/") for code in ("421", "450", "550")},
    **{f"{prefix}reference/enhanced/X.1.1.md": STUB.format(title="X.1.1") for prefix in ("", "vi/")},
    # a page in English only, as a notebook would be: the comparisons' and an entry's whole text, and widgets
    "solo.md": "---\norphan: true\n---\n# Solo\n\n"
               ":::{smtp-compare} 4.2.2 5.2.2\n:part: learn-more\n:::\n\n"
               ":::{smtp-compare} 5.1.1 5.7.1\n:part: learn-more\n:::\n\n"
               ":::{smtp-entry} 550\n:::\n\n:::{smtp-entry} X.2.2\n:lang: vi\n:::\n",
}
# The solo page gets a widget's saved state as myst-nb adds it to a notebook's page: an inline JSON script
SITE_CONF = CONF + '''
import pathlib
_STATE = (pathlib.Path(__file__).parent / "widget-state.json").read_text(encoding="utf-8")


def _widget_state(app, pagename, templatename, context, doctree):
    if pagename == "solo":
        app.add_js_file(None, type="application/vnd.jupyter.widget-state+json", body=_STATE)


def setup(app):
    app.connect("html-page-context", _widget_state)
'''


def _widget_state() -> dict:
    """The saved state of an ExplainWidget (and its layout), as a notebook that shows one holds it."""
    from ipywidgets.embed import dependency_state, embed_data

    from smtpteach import widgets

    widget = widgets.ExplainWidget(lang="en")
    try:
        # the state of this widget and what it depends on, not of every widget the process still holds (the other
        # tests' widgets, under pytest-xdist, would join in)
        state = dependency_state([widget], drop_defaults=False)
        return embed_data(views=[widget], drop_defaults=False, state=state)["manager_state"]
    finally:
        widget.layout.close()
        widget.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(SITE_CONF, encoding="utf-8")
    (src / "widget-state.json").write_text(json.dumps(_widget_state()), encoding="utf-8")
    for name, text in PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    app = SphinxTestApp(buildername="html", srcdir=src, builddir=root / "out")
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


def _read(site: Path, page: str) -> str:
    return (site / f"{page}.html").read_text(encoding="utf-8")


def _links(page_html: str) -> list[tuple[str, str]]:
    """(href, title) of each link to a code, as the role writes it."""
    return [(html.unescape(h), html.unescape(t)) for h, t in
            re.findall(r'<a class="smtp-code reference internal" href="([^"]*)" title="([^"]*)"', page_html)]


# -- the smtp role and the directives on a Vietnamese page -----------------------------------------------------
def test_the_role_on_a_vietnamese_page_links_the_vietnamese_page_with_the_vietnamese_name(site):
    vi = CAT.get("550").name(lang="vi")
    assert _links(_read(site, "vi/index")) == [
        ("reference/codes/550.html", f"550 {vi}"),
        ("reference/enhanced/X.1.1.html", f"5.1.1 {CAT.get('X.1.1').name(lang='vi')}"),
    ]
    assert _links(_read(site, "index")) == [("reference/codes/550.html", f"550 {CAT.get('550').name(lang='en')}")]


def test_a_link_from_a_page_in_a_folder_is_relative_to_that_page(site):
    page = _read(site, "vi/lessons/x")
    assert ("../reference/codes/550.html", f"550 {CAT.get('550').name(lang='vi')}") in _links(page)
    # a comparison's "learn more" on a Vietnamese page: each code's Vietnamese page
    assert ("../reference/codes/421.html", f"421 {CAT.get('421').name(lang='vi')}") in _links(page)
    assert ("../reference/codes/450.html", f"450 {CAT.get('450').name(lang='vi')}") in _links(page)
    assert "../../reference/codes/" not in page


def test_the_link_to_the_twin_page_is_worded_in_the_page_s_own_language(site):
    switch = re.compile(r'<p class="smtpteach-twin"><a class="reference internal" href="([^"]*)" hreflang="(\w+)" '
                        r'lang="(\w+)">([^<]*)</a></p>')
    en = switch.search(_read(site, "page")).groups()
    assert en == ("vi/page.html", "vi", "vi", "Tiếng Việt: Trang")
    vi = switch.search(_read(site, "vi/page")).groups()
    assert vi == ("../page.html", "en", "en", "English: Page")


def test_previous_and_next_stay_in_the_page_s_language(site):
    """The toctree runs index, page, vi/index, vi/page, vi/lessons/x: "page" has no next page in English, and
    the Vietnamese home no previous one in Vietnamese."""
    def relations(page: str) -> dict[str, str]:
        text = _read(site, page)
        return dict((kind, href) for href, kind in re.findall(r'<a href="([^"]*)"\s+title="(previous|next) chapter"', text))

    assert relations("page") == {"previous": "index.html"}
    assert relations("vi/index") == {"next": "page.html"}
    assert relations("vi/page") == {"previous": "index.html", "next": "lessons/x.html"}


@pytest.mark.parametrize("page, lang", [("index", "en"), ("vi/index", "vi"), ("vi/lessons/x", "vi")])
def test_the_labels_for_blocks_that_scroll_are_in_the_page_s_language(site, page, lang):
    meta = re.search(r'<meta name="smtpteach-scroll-labels" content="([^"]*)" />', _read(site, page)).group(1)
    assert json.loads(html.unescape(meta)) == CAT.ui(lang=lang)["site"]["scroll_labels"]


# -- the pages written from the catalogue ---------------------------------------------------------------------------
HAND_WRITTEN = "# Trang chủ của chúng tôi\n\nViết tay.\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    from smtpteach.sphinx._pages import generate

    src = tmp_path_factory.mktemp("generated")
    (src / "vi").mkdir()
    (src / "vi" / "index.md").write_text(HAND_WRITTEN, encoding="utf-8")  # a project's own Vietnamese home
    generate(SimpleNamespace(srcdir=str(src)))
    return src


def _md(src: Path, doc: str) -> str:
    return (src / f"{doc}.md").read_text(encoding="utf-8")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_a_hand_written_page_is_never_overwritten(generated):
    assert _md(generated, "vi/index") == HAND_WRITTEN


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_code_page_is_titled_in_its_own_language(generated, lang):
    folder = "" if lang == "en" else "vi/"
    for code, entry in CAT.basic.items():
        first = next(line for line in _md(generated, f"{folder}reference/codes/{code}").splitlines() if line.startswith("#"))
        assert _unescape(first) == f"# SMTP {code} {entry.name(lang=lang)}", (lang, code)


def test_an_enhanced_code_s_page_is_found_by_the_codes_a_reader_types(generated):
    """Sphinx's search finds a code page by its index entries: X.1.1's page must hold 4.1.1 and 5.1.1."""
    entries = {}
    for key in ("X.1.1", "X.7.1", "X.1.0"):
        text = _md(generated, f"reference/enhanced/{key}")
        entries[key] = re.search(r"^:::\{index\} (.*)$", text, re.M).group(1)
    assert entries == {"X.1.1": "X.1.1, 4.1.1, 5.1.1", "X.7.1": "X.7.1, 4.7.1, 5.7.1", "X.1.0": "X.1.0, 2.1.0, 4.1.0, 5.1.0"}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_reference_index_lists_each_code_under_its_class_linking_its_own_page(generated, lang):
    text = _md(generated, ("" if lang == "en" else "vi/") + "reference/index")
    basic = text.split("\n## ")[1]  # the reply codes, before the enhanced codes
    listed: dict[str, list[tuple[str, str]]] = {}
    for part in basic.split("\n### ")[1:]:
        digit = part[0]
        listed[digit] = re.findall(r"^- \[(\d{3}) [^\]]*\]\(codes/([^)]*)\.md\)$", part, re.M)
    for digit in "2345":
        want = [(code, code) for code in CAT.basic if code[0] == digit]
        assert listed[digit] == want, (lang, digit)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_reference_index_lists_each_enhanced_code_under_its_subject(generated, lang):
    text = _md(generated, ("" if lang == "en" else "vi/") + "reference/index")
    enhanced = text.split("\n## ")[2]
    listed = {}
    for part in enhanced.split("\n### ")[1:]:
        subject = re.match(r"X\\\.(\d+)", part).group(1)
        found = re.findall(r"^- \[(X[^ ]*) [^\]]*\]\(enhanced/([^)]*)\.md\)$", part, re.M)
        listed[subject] = [(_unescape(k), f) for k, f in found]
    for subject in CAT.topics["subjects"]:
        assert listed[subject] == [(k, k) for k, e in CAT.enhanced.items() if e.subject == int(subject)], (lang, subject)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_comparisons_index_links_every_pair_with_why_it_confuses(generated, lang):
    text = _md(generated, ("" if lang == "en" else "vi/") + "compare/index")
    items = re.findall(r"^- \[.*\]\(([^)]*)\): (.*)$", text, re.M)
    assert [(link, _unescape(why)) for link, why in items] == [
        (f"{a}-vs-{b}.md", CAT.pair_reason(a, b, lang=lang)) for a, b in CAT.confused]


def test_the_vietnamese_home_page_is_written_when_the_project_has_none(tmp_path):
    from smtpteach.sphinx._pages import generate

    generate(SimpleNamespace(srcdir=str(tmp_path)))
    text = _md(tmp_path, "vi/index")
    site = CAT.ui(lang="vi")["site"]
    assert _unescape(text.split("\n# ", 1)[1].split("\n", 1)[0]) == site["home_title"]
    assert "```{toctree}\n:maxdepth: 1\n:titlesonly:\n\nreference/index\ncompare/index\n```" in text
    assert not (tmp_path / "index.md").exists()  # the first language's home is the project's own


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_code_page_links_every_comparison_it_is_part_of(generated, lang):
    folder = "" if lang == "en" else "vi/"
    for a, b in CAT.confused:
        for code in (a, b):
            if code not in CAT.basic:
                continue
            doc = f"{folder}reference/codes/{code}"
            assert f"]({'../' * doc.count('/')}{folder}compare/{a}-vs-{b}.md)" in _md(generated, doc), (lang, code, a, b)
    # 550 is the second code of "211 vs 550"
    assert "- [211 vs 550](../../compare/211-vs-550.md): " in _md(generated, "reference/codes/550")


def test_the_vietnamese_glossary_gives_each_reason_in_vietnamese(generated):
    from smtpteach._glossary import glossary
    from smtpteach.sphinx._pages import esc

    text = _md(generated, "vi/reference/glossary")
    english = _md(generated, "reference/glossary")
    for term in glossary().terms:
        assert esc(term.note["vi"]) in text, term.en
        assert esc(term.note["en"]) in english, term.en
        if term.note["vi"] != term.note["en"]:
            assert esc(term.note["en"]) not in text, term.en


# -- the extension's hooks, called as Sphinx calls them -------------------------------------------------------------
def test_a_changed_package_or_codes_file_rebuilds_the_pages_that_run_or_show_its_code_and_only_once(tmp_path):
    from smtpteach.sphinx import _outdated, _remember_digest

    docs = ["index", "howto/triage", "lessons/01-anatomy-of-a-reply", "reference/codes/550", "compare/211-vs-550",
            "vi/index", "explanation/index"]
    app = SimpleNamespace(doctreedir=str(tmp_path), srcdir=str(tmp_path),
                          config=SimpleNamespace(smtpteach_codes_files=["acme.yaml"]))
    (tmp_path / "acme.yaml").write_text("schema: 1\n", encoding="utf-8")
    env = SimpleNamespace(found_docs=set(docs),
                          doc2path=lambda doc: tmp_path / f"{doc}{'.ipynb' if doc.startswith('lessons/') else '.md'}")
    first = _outdated(app, env, set(), set(), set())
    assert sorted(first) == ["compare/211-vs-550", "lessons/01-anatomy-of-a-reply", "reference/codes/550", "vi/index"]
    _remember_digest(app, None)
    assert _outdated(app, env, set(), set(), set()) == []  # nothing changed since
    (tmp_path / "smtpteach-package.digest").write_text("an older package", encoding="utf-8")
    assert sorted(_outdated(app, env, set(), set(), set())) == sorted(first)
    _remember_digest(app, RuntimeError("the build failed"))  # a failed build remembers nothing
    assert (tmp_path / "smtpteach-package.digest").read_text(encoding="utf-8") == "an older package"
    _remember_digest(app, None)
    # a teacher's codes file is data the notebooks may make their widgets from
    (tmp_path / "acme.yaml").write_text("schema: 1\nbasic: {}\n", encoding="utf-8")
    assert sorted(_outdated(app, env, set(), set(), set())) == sorted(first)
    _remember_digest(app, None)
    assert _outdated(app, env, set(), set(), set()) == []


def test_each_second_language_gets_its_own_search_page():
    from smtpteach.sphinx import _language_search_pages

    def app(found: set[str], search: bool = True):
        return SimpleNamespace(builder=SimpleNamespace(search=search), env=SimpleNamespace(found_docs=found),
                               config=SimpleNamespace(smtpteach_language="en", smtpteach_languages=["en", "vi"]))

    assert _language_search_pages(app({"index", "vi/index"})) == [("vi/search", {}, "search.html")]
    assert _language_search_pages(app({"index"})) == []  # no Vietnamese pages, no Vietnamese search page
    assert _language_search_pages(app({"index", "vi/index"}, search=False)) == []


def test_the_search_pages_get_the_words_of_every_code_page(tmp_path):
    from smtpteach.sphinx._search import CODE_WORDS, _write_code_words, code_words

    config = SimpleNamespace(smtpteach_search_scorer=True, smtpteach_generate_pages=True, smtpteach_codes_files=[])
    app = SimpleNamespace(builder=SimpleNamespace(format="html"), config=config, outdir=str(tmp_path),
                          env=SimpleNamespace(srcdir=str(tmp_path), config=config))
    _write_code_words(app, None)
    text = (tmp_path / "_static" / CODE_WORDS).read_text(encoding="utf-8")
    assert text.startswith("var SMTPTEACH_CODE_WORDS = ") and text.endswith(";\n")
    words = json.loads(text[len("var SMTPTEACH_CODE_WORDS = "):-2])
    assert words == code_words(CAT)
    assert "hop thu day" in words["vi/reference/enhanced/X.2.2"] and "reference/codes/550" in words


# -- search ------------------------------------------------------------------------------------------------------------
def test_the_search_index_keeps_vietnamese_words_without_their_diacritics():
    """A reader types "hop thu day" for "hộp thư đầy": the index must hold the words as the query folds them."""
    from smtpteach.sphinx._search import FoldingSearch

    search = FoldingSearch({})
    for word, folded in (("Hộp", "hop"), ("thư", "thu"), ("đầy", "day"), ("Đà", "da"), ("hàng", "hang")):
        assert search.stem(word) == search.stem(folded) == search.stemmer.stemWord(folded), word
    assert search.stem("mailboxes") == search.stem("mailbox")  # and English is still stemmed


@pytest.mark.parametrize("page", ["reference/enhanced/X.1.6", "vi/reference/enhanced/X.1.6"])
def test_a_code_page_is_found_by_the_words_of_its_registry_title(page):
    """X.1.6's registry title says "Destination mailbox has moved", words its name does not have: a reader who
    searches with the registry's words finds the page, in either language (the title is English in both)."""
    from smtpteach.sphinx._search import code_words

    lang = "vi" if page.startswith("vi/") else "en"
    assert "destination" not in CAT.get("X.1.6").text(lang=lang).name.lower()  # only the title has the words
    assert "destination mailbox has moved no forwarding address" in code_words(CAT)[page]


def test_the_vietnamese_search_page_counts_its_results_in_vietnamese():
    from smtpteach.sphinx import _search_translations

    wording = CAT.ui(lang="vi")["theme_wording"]
    script = _search_translations(wording, "vi")
    messages = json.loads(re.match(r"Object\.assign\(Documentation\.TRANSLATIONS, (.*)\);\n", script).group(1))
    many = "Search finished, found ${resultCount} pages matching the search query."
    # Sphinx asks for the message by its singular, and picks a form by the count: one form for every count
    assert messages["Search finished, found one page matching the search query."] == [wording[many]]
    assert messages["Search Results"] == wording["Search Results"] and "Documentation.PLURAL_EXPR = () => 0;" in script


# -- widgets on static pages: the same bytes every build ----------------------------------------------------------------
_SHARED = """
import json
from smtpteach.sphinx._widgets import SiteWidgets, model_ids
site = SiteWidgets()
print(json.dumps({"files": {lang: name for lang, (name, _) in site.data_files.items()},
                  "ids": model_ids("lessons/x", {"k1": {"state": {"a": 1}}, "k2": {"state": {"a": 1}}})}))
"""


def test_the_widget_data_files_and_model_ids_are_the_same_in_every_build(tmp_path):
    """Two builds of one commit (different hash seeds, different kernels' random model ids) name the shared
    data files and the models alike: a reader's cache and a reviewer's diff see nothing change."""
    import os

    runs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", _SHARED], capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]
    assert set(runs[0]["files"]) == {"en", "vi"}
    from smtpteach.sphinx._widgets import model_ids

    # the kernel's ids are random: they take no part in the new ones
    again = model_ids("lessons/x", {"z9": {"state": {"a": 1}}, "q3": {"state": {"a": 1}}})
    assert list(again.values()) == list(runs[0]["ids"].values())
    assert len(set(again.values())) == 2


_PAGE = """
import json, sys
from types import SimpleNamespace
from smtpteach import widgets
from smtpteach.sphinx._widgets import WIDGET_STATE, SiteWidgets, page_widgets
calls = []
app = SimpleNamespace(outdir=sys.argv[1], add_js_file=lambda name, **kw: calls.append(name),
                      add_css_file=lambda name, **kw: calls.append(name))
kinds = ("quiz", "compare", "explain", "explorer")
state = {f"kernel{i}": {"model_name": "AnyModel", "state": {"_esm": widgets._module(kind), "_css": f".w{i} {{}}",
                                                            "lang": "en", "_data": {}}} for i, kind in enumerate(kinds)}
tag = SimpleNamespace(attributes={"type": WIDGET_STATE, "body": json.dumps({"version_major": 2, "state": state})})
page_widgets(app, "lessons/x", {"script_files": [tag], "body": ""}, SiteWidgets())
print(json.dumps({"calls": calls, "state": tag.attributes["body"]}))
"""


def test_a_page_with_widgets_loads_their_files_in_page_order_in_every_build(tmp_path):
    """Four widgets on one page: each module's script and stylesheet is linked in the order the widgets come,
    whatever the hash seed, so two builds of one commit write the same page."""
    import os

    runs = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", _PAGE, str(tmp_path / seed)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == runs[2]
    calls = runs[0]["calls"]
    scripts = [c for c in calls if c.endswith(".js")]
    assert [re.match(r"smtpteach/(\w+)\.", c).group(1) for c in scripts] == ["quiz", "compare", "explain", "explorer"]
    import hashlib

    styles = [c for c in calls if c.endswith(".css")]
    assert styles == [f"smtpteach/widgets.{hashlib.sha1(f'.w{i} {{}}'.encode()).hexdigest()[:10]}.css" for i in range(4)]


def test_widget_state_in_a_page_cannot_open_a_comment_or_close_its_script():
    from smtpteach.sphinx import compact_script_json

    text = compact_script_json(json.dumps({"a": "<!-- x --> </script> <\u0021-- hộp"}))
    assert "<!--" not in text and "</" not in text and "hộp" in text
    assert json.loads(text) == {"a": "<!-- x --> </script> <!-- hộp"}


# -- sample_path --------------------------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["mail.log", "bounces", "SOURCES.yaml"])
def test_sample_path_finds_every_sample_the_docs_name(name):
    path = smtpteach.sample_path(name)
    assert isinstance(path, Path) and path.name == name and path.exists()
    assert path.resolve() == (ROOT / "smtpteach" / "data" / "samples" / name).resolve()


@pytest.mark.parametrize("name", ["mail.log/", "/bounces", "./mail.log", "MAIL.LOG", " mail.log", "samples/mail.log", ""])
def test_sample_path_refuses_a_name_that_is_only_like_a_sample(name):
    with pytest.raises(InvalidArgumentError) as caught:
        smtpteach.sample_path(name)
    assert str(caught.value) == f"no sample named {name!r}; the samples are mail.log, bounces, SOURCES.yaml"


# -- a second audit: the built site as a reader follows it --------------------------------------------------------------
# Links followed to the file they name, the page's parts in their order, and the scripts run under node as a browser
# runs them (the widget host's data, the search page's words, the stemmer, the theme's script).
NODE = shutil.which("node")
# Runs classic scripts one after another in one global scope, as a page does, then prints an expression as JSON.
# The job comes on stdin: {"setup": script, "files": [paths], "expr": expression}.
_RUNNER = r"""
const vm = require("node:vm"), fs = require("node:fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const ctx = vm.createContext({console});
vm.runInContext("var self = globalThis, window = globalThis;\n" + (job.setup || ""), ctx);
for (const f of job.files) vm.runInContext(fs.readFileSync(f, "utf8"), ctx, {filename: f});
process.stdout.write(JSON.stringify(vm.runInContext(job.expr, ctx)));
"""


def _node(files: list, expr: str, setup: str = "") -> object:
    require(NODE is not None, "node is not installed: running the site's scripts needs it")
    job = json.dumps({"setup": setup, "files": [str(f) for f in files], "expr": expr})
    done = subprocess.run([NODE, "-e", _RUNNER], input=job, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _pages(site: Path) -> dict[str, str]:
    """Every page of the built site but the general index, by its name ("vi/page")."""
    return {p.relative_to(site).with_suffix("").as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*.html")) if p.name not in ("genindex.html",)}


def _target(site: Path, page: str, href: str) -> Path:
    """The file a link on ``page`` leads to ("#" is the page itself)."""
    if href.startswith("#"):
        return (site / f"{page}.html").resolve()
    return (site / page).parent.joinpath(href.split("#")[0].split("?")[0]).resolve()


def _lang(page: str) -> str:
    return "vi" if page.startswith("vi/") else "en"


def test_every_link_to_the_page_in_the_other_language_leads_to_a_page(site):
    """The head's alternates and the switch under the title, on every page, name files that exist, in the language
    they say; a page in one language only (solo, vi/lessons/x) names no twin."""
    pages = _pages(site)
    seen = 0
    for page, text in pages.items():
        links = re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]*)" />', text)
        links += [(lang, href) for href, lang in
                  re.findall(r'<a class="reference internal" href="([^"]*)" hreflang="(\w+)"', text)]
        for lang, href in links:
            target = _target(site, page, href)
            assert target.is_file(), (page, href)
            name = target.relative_to(site.resolve()).as_posix()
            assert _lang(name) == lang, (page, href)
            seen += 1
    assert seen >= 12
    for page in ("solo", "vi/lessons/x", "search", "vi/search"):
        assert 'hreflang="' not in pages[page], page


def test_the_switch_to_the_other_language_follows_the_title(site):
    """The link to the twin is a paragraph of its own right after the page's <h1>, never inside it: the title a
    screen reader speaks (and the heading's permalink) is the title alone."""
    pages = {p: t for p, t in _pages(site).items() if "smtpteach-twin" in t}
    assert {"index", "page", "vi/index", "vi/page", "reference/codes/550", "vi/reference/codes/550"} <= set(pages)
    for page, text in pages.items():
        found = re.search(r'<h1>(.*?)</h1>\n<p class="smtpteach-twin">', text, re.S)
        assert found, page
        assert "smtpteach-twin" not in found.group(1) and "<p" not in found.group(1), page
        assert text.count('class="smtpteach-twin"') == 1


def test_the_home_link_and_the_search_box_stay_in_the_page_s_language(site):
    """On a Vietnamese page, the site name leads to the Vietnamese home and the search box searches on the Vietnamese
    search page (which exists); on an English page, to the English ones."""
    for page, text in _pages(site).items():
        home = "vi/index.html" if _lang(page) == "vi" else "index.html"
        search = "vi/search.html" if _lang(page) == "vi" else "search.html"
        homes = re.findall(r'<li class="nav-item nav-item-0"><a href="([^"]*)">', text)
        assert homes, page
        for href in homes:
            assert _target(site, page, href) == (site / home).resolve(), (page, href)
        forms = re.findall(r'<form class="search" action="([^"]*)"', text)
        forms += re.findall(r'<link rel="search" title="[^"]*" href="([^"]*)" />', text)
        assert forms, page
        for href in forms:
            assert _target(site, page, href) == (site / search).resolve(), (page, href)
    assert (site / "vi" / "search.html").is_file()


def test_the_vietnamese_search_page_says_every_message_of_sphinx_s_search_in_vietnamese(site):
    """Sphinx's search scripts say their messages through Documentation.gettext and ngettext: run on the Vietnamese
    search page, with the scripts that page loads, each of them is the Vietnamese wording."""
    import sphinx

    static = Path(sphinx.__file__).parent / "themes" / "basic" / "static"
    said = "\n".join((static / name).read_text(encoding="utf-8") for name in ("searchtools.js", "sphinx_highlight.js"))
    plain = re.findall(r'(?:\b_|Documentation\.gettext)\(\s*"((?:[^"\\]|\\.)*)"', said)
    counted = re.findall(r'Documentation\.ngettext\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"', said)
    assert "Preparing search..." in plain and len(plain) >= 6 and len(counted) == 1
    page = (site / "vi" / "search.html").read_text(encoding="utf-8")
    scripts = [_target(site, "vi/search", src) for src in re.findall(r'<script[^>]* src="([^"]*)"', page)]
    loaded = [f for f in scripts if f.name == "doctools.js" or f.parent.name == "smtpteach"]
    assert loaded[0].name == "doctools.js" and len(loaded) >= 2
    expr = "[%s, %s]" % (json.dumps(plain), json.dumps([list(c) for c in counted]))
    got = _node(loaded, f"(([plain, counted]) => [plain.map(m => Documentation.gettext(m)), "
                        f"counted.map(([one, many]) => Documentation.ngettext(one, many, 3))])({expr})",
                # the theme's search box script is among the page's files too
                setup="var document = {readyState: 'loading', addEventListener() {}, getElementById: () => ({style: {}})};")
    wording = CAT.ui(lang="vi")["theme_wording"]
    assert got == [[wording[m] for m in plain], [wording[many] for _, many in counted]]
    assert all(a != b for a, b in zip(got[0], plain))


def test_the_vietnamese_footer_names_the_theme_and_its_author_in_vietnamese_order():
    """Furo's footer says "@pradyunsg's Furo"; the Vietnamese wording puts the theme first ("giao diện Furo của
    @pradyunsg"), each name still its own link."""
    import furo

    from smtpteach.sphinx import translate_rendered

    template = (Path(furo.__file__).parent / "theme" / "furo" / "page.html").read_text(encoding="utf-8")
    author = '<a class="muted-link" href="https://pradyunsg.me">@pradyunsg</a>'
    theme = '<a href="https://github.com/pradyunsg/furo">Furo</a>'
    assert author + "'s" in template and theme in template  # as furo writes them
    wording = CAT.ui(lang="vi")["theme_wording"]
    html_text = translate_rendered(f"<div>Made with {author}'s\n            {theme}\n</div>", wording)
    words = " ".join(re.sub(r"<[^>]+>", "", html_text).split())
    from smtpteach._templates import fill

    assert fill(wording["{author}'s {theme}"], {"author": "@pradyunsg", "theme": "Furo"}) in words
    assert words.index("Furo") < words.index("@pradyunsg")  # "giao diện Furo của @pradyunsg"
    assert author in html_text and theme in html_text


def _list_items(box: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", html.unescape(li)).split()) for li in re.findall(r"<li>(.*?)</li>", box, re.S)]


@pytest.mark.parametrize("a, b", [("4.2.2", "5.2.2"), ("5.1.1", "5.7.1")])
def test_learn_more_lists_each_entry_then_every_reference(site, a, b):
    """After the entries' own pages (one for 4.2.2 and 5.2.2, which are one entry, X.2.2), every reference the
    comparison gives, RFC 3463 §3.3 included."""
    page = _read(site, "solo")
    c = smtpteach.compare(a, b)
    boxes = re.findall(r'<div class="smtpteach-compare smtpteach-part-learn-more[^"]*">(.*?)</div>', page, re.S)
    assert len(boxes) == 2
    box = boxes[[("4.2.2", "5.2.2"), ("5.1.1", "5.7.1")].index((a, b))]  # in the page's order
    items = _list_items(box)
    entries = [f"{s.code} {CAT.get(s.code).name(lang='en')}" for s in c.sections]
    references = [link for link in c.learn_more if link.url.startswith("https://")]
    assert len(c.learn_more) == len(c.sections) + len(references)
    assert items == entries + [link.label for link in references]
    assert re.findall(r'<a class="reference external" href="([^"]*)"', box) == [link.url for link in references]
    if (a, b) == ("4.2.2", "5.2.2"):
        assert [link.label for link in references] == ["RFC 3463 §3.3"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_entry_s_headings_each_come_before_their_own_words(site, lang):
    """smtp-entry's whole text: "Description", then the description; "When you see this code", then when; "How to
    fix", then the fix."""
    page = _read(site, "solo")
    key = "550" if lang == "en" else "X.2.2"
    boxes = re.findall(r'<div class="smtpteach-entry smtpteach-part-all[^"]*">(.*?)\n</div>', page, re.S)
    assert len(boxes) == 2
    box = boxes[0 if lang == "en" else 1]
    parts = re.findall(r'<p class="(rubric|smtpteach-description|smtpteach-when|smtpteach-fix)">(.*?)</p>', box, re.S)
    text = CAT.get(key).text(lang=lang)
    h = CAT.ui(lang=lang)["headings"]
    assert [(kind, html.unescape(words).replace("\u2019", "'")) for kind, words in parts] == [
        ("rubric", h["description"]), ("smtpteach-description", text.description),
        ("rubric", h["when"]), ("smtpteach-when", text.when), ("rubric", h["fix"]), ("smtpteach-fix", text.fix)]


# -- widgets in the built page, as the widget host reads them ------------------------------------------------------------
def _saved_state(site: Path) -> tuple[dict, dict]:
    """The widget state the page holds (parsed from its inline script), and the one the notebook had."""
    page = _read(site, "solo")
    inline = re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', page, re.S)
    assert len(inline) == 1, "the widget state must stay in the page, where the widget host reads it"
    original = json.loads((site.parent.parent / "src" / "widget-state.json").read_text(encoding="utf-8"))
    return json.loads(inline[0]), original


def test_the_widget_state_stays_inline_and_every_other_inline_script_moves_to_a_file(site):
    """The widget host reads the saved state from the page's own JSON script: that one stays in the page (ids
    renamed, nothing else), while the page's executable inline scripts move to files."""
    page = _read(site, "solo")
    saved, original = _saved_state(site)
    assert saved["version_major"] == original["version_major"]
    assert sorted(m["model_name"] for m in saved["state"].values()) == ["AnyModel", "LayoutModel"]
    # a page's own executable scripts are files (a strict Content-Security-Policy runs them); no file holds the state
    assert not re.search(r"<script>", page)
    for f in (site / "_static" / "smtpteach").glob("inline.*.js"):
        assert "version_major" not in f.read_text(encoding="utf-8"), f.name


@pytest.mark.parametrize("page", ["index", "vi/lessons/x"])
def test_the_theme_s_own_inline_script_runs_from_a_file_where_it_stood(site, page):
    """The basic theme shows its search box with a script of its template's own: under script-src 'self' it would be
    refused and the box stay hidden. It is a file now, loaded from the page's folder, at the same place."""
    text = _read(site, page)
    scripts = re.findall(r"<script(\s[^>]*)?>(.*?)</script>", text, re.S)
    # every script left in the page is a file or data
    assert [attrs for attrs, body in scripts if body.strip() and "application/" not in (attrs or "")] == []
    search = text.index('id="searchbox"')
    src = re.compile(r'<script src="([^"]+)"></script>').search(text, search).group(1)
    assert src.startswith("../" * page.count("/") + "_static/smtpteach/inline.")
    assert "document.getElementById('searchbox').style.display" in _target(site, page, src).read_text(encoding="utf-8")


def test_every_part_of_a_widget_s_data_reaches_the_browser_as_it_left_the_notebook(site):
    """The page's state refers to shared parts (in the data file the page loads) and to a part loaded later (a file of
    its own): run as the browser runs them, they give back the widget's data, every part of it."""
    from smtpteach.sphinx._widgets import LATER, MODULE, SHARED

    saved, original = _saved_state(site)
    model = next(m["state"] for m in saved["state"].values() if m["model_name"] == "AnyModel")
    before = next(m["state"] for m in original["state"].values() if m["model_name"] == "AnyModel")
    later = model["_data"]["later"][LATER]
    assert (site / "_static" / later).is_file(), f"the page's widget asks for {later}, which the build did not write"
    page = _read(site, "solo")
    linked = [_target(site, "solo", src) for src in re.findall(r'<script[^>]* src="([^"]*)"', page)]
    data = [f for f in linked if f.name.startswith("data-en.")]
    module = [f for f in linked if f.name.startswith(model["_esm"][MODULE] + ".js")]
    assert len(data) == 1 and len(module) == 1
    got = _node([*data, site / "_static" / later, *module],
                f"[self.smtpteachShared, self.smtpteachLater[{json.dumps(later)}], "
                f"typeof self.smtpteachModules[{json.dumps(model['_esm'][MODULE])}].render]")
    shared, later_part, render = got

    def back(value):
        return shared[value[SHARED]] if isinstance(value, dict) and set(value) == {SHARED} else value

    rebuilt = {}
    for key, value in model["_data"].items():
        if key == "later":
            rebuilt[key] = later_part
        elif key == "ui":
            rebuilt[key] = {section: back(v) for section, v in value.items()}
        else:
            rebuilt[key] = back(value)
    assert rebuilt == before["_data"]
    assert any("'" in json.dumps(v) for v in shared.values())  # words with apostrophes came through
    assert render == "function"


def test_a_page_opened_from_disk_is_marked_for_the_stylesheet_s_data_pictures(tmp_path):
    """Under furo the theme's first script is a file; run from file:// it marks <html> with the attribute the
    stylesheet's data: pictures are kept for, and served over https it does not."""
    from smtpteach.sphinx._widgets import _theme_script, without_data_pictures

    app = SimpleNamespace(config=SimpleNamespace(html_theme="furo"), outdir=str(tmp_path))
    name = _theme_script(app)
    assert name is not None, "furo's base.html no longer starts its body with the script this expects"
    script = tmp_path / "_static" / name
    css, _ = without_data_pictures('.x{--i:url("data:image/svg+xml,%3Csvg/%3E")}', tmp_path / "_static" / "s.css",
                                   tmp_path / "_static")
    selector = re.search(r"^html\[([\w-]+)\] \.x\{", css, re.M).group(1)
    setup = ("var marks = {}, theme = {}; var localStorage = {getItem: () => null};"
             "var document = {documentElement: {setAttribute: (k, v) => { marks[k] = v; }, dataset: {}},"
             " body: {dataset: theme}};")
    for protocol, marked in (("file:", {selector: ""}), ("https:", {})):
        got = _node([script], "[marks, theme]", setup=f"var location = {{protocol: {json.dumps(protocol)}}};" + setup)
        assert got == [marked, {"theme": "auto"}], protocol


def test_the_browser_folds_a_word_as_the_index_does(tmp_path):
    """The search page's stemmer, run as the browser runs it, gives each word the stem the index stored for it: đ as
    d, the diacritics dropped, English stemmed."""
    from smtpteach.sphinx._search import FoldingSearch, _stemmer_js

    words = ["Hộp", "thư", "đầy", "Đà", "ĐƯỜNG", "đến", "hàng", "mailboxes", "Bounced", "địa", "chỉ"]
    search = FoldingSearch({})
    path = tmp_path / "stemmer.js"
    path.write_text(_stemmer_js(), encoding="utf-8")
    got = _node([path], f"(() => {{ const s = new Stemmer(); return {json.dumps(words)}.map(w => s.stemWord(w)); }})()")
    assert got == [search.stem(w) for w in words]
    assert got[2] == "day" and got[3] == "da"


# -- the pages written from the catalogue: every kind ----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_enhanced_code_s_page_links_every_comparison_it_is_part_of(generated, lang):
    """X.1.1's page links "5.1.1 vs 5.7.1": a comparison of two enhanced codes is on the page of each code's entry."""
    from smtpteach.sphinx._pages import esc

    folder = "" if lang == "en" else "vi/"
    found = 0
    for a, b in CAT.confused:
        for code in (a, b):
            if code in CAT.basic:
                continue
            doc = f"{folder}reference/enhanced/{CAT.get(code).key}"
            text = _md(generated, doc)
            section = text.split(f"## {esc(CAT.ui(lang=lang)['site']['compare_with'])}\n", 1)
            assert len(section) == 2, (lang, code, doc)
            link = f"]({'../' * doc.count('/')}{folder}compare/{a}-vs-{b}.md): "
            assert link in section[1], (lang, code, a, b)
            found += 1
    assert found == 6  # 5.1.1, 5.7.1, 4.2.2, 5.2.2, 4.7.1, 5.7.1
    x11 = _md(generated, f"{folder}reference/enhanced/X.1.1")
    assert _unescape(x11).count(" vs ") == 1 and "[5\\.1\\.1 vs 5\\.7\\.1]" in x11


def test_every_link_of_every_generated_page_leads_to_a_generated_page(generated):
    """Follow each Markdown link of every page the generator wrote: it names a page it wrote, in the same language."""
    checked = 0
    for path in generated.rglob("*.md"):
        doc = path.relative_to(generated).with_suffix("").as_posix()
        for target in re.findall(r"\]\(([^)]+\.md)\)", path.read_text(encoding="utf-8")):
            followed = path.parent.joinpath(target).resolve()
            assert followed.is_file(), (doc, target)
            assert _lang(followed.relative_to(generated.resolve()).as_posix()) == _lang(doc), (doc, target)
            checked += 1
    assert checked > 300


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_classes_page_heads_each_kind_of_class_as_its_codes_are_written(generated, lang):
    """2xx for a reply class, x2z for a category, 2.x.x for an enhanced class, X.2 for a subject: each heading over
    the entry it introduces."""
    text = _unescape(_md(generated, ("" if lang == "en" else "vi/") + "reference/classes"))
    sections = re.findall(r"^## (.+)\n\n:::\{smtp-entry\} ([\w-]+):(\d+)\n", text, re.M)
    forms = {"class": "{}xx", "category": "x{}z", "enhanced-class": "{}.x.x", "subject": "X.{}"}
    kinds = {"class": "classes", "category": "categories", "enhanced-class": "enhanced_classes", "subject": "subjects"}
    want = [(f"{forms[label].format(d)}: {CAT.text(kinds[label], d, lang=lang).name}", label, d)
            for label in forms for d in CAT.topics[kinds[label]]]
    assert sections == want
    if lang == "en":
        assert ("2.x.x: Success", "enhanced-class", "2") in sections


@pytest.mark.parametrize("lang, english, vietnamese", [("en", "English", "Vietnamese"), ("vi", "Tiếng Anh", "Tiếng Việt")])
def test_the_glossary_gives_each_term_under_its_own_language_s_column(generated, lang, english, vietnamese):
    from smtpteach._glossary import glossary

    text = _md(generated, ("" if lang == "en" else "vi/") + "reference/glossary")
    rows = [[_unescape(c.strip()) for c in line.strip("|").split(" | ")] for line in text.splitlines()
            if line.startswith("| ")]
    header, body = rows[0], rows[1:]
    en, vi = header.index(english), header.index(vietnamese)
    terms = glossary().terms
    assert len(body) == len(terms)
    for row, term in zip(body, terms):
        assert (row[en], row[vi]) == (term.en, term.vi), row
    assert any(term.en != term.vi for term in terms)


@pytest.mark.parametrize("lang, heading", [("en", "Related enhanced codes"), ("vi", "Mã trạng thái mở rộng liên quan")])
def test_a_reply_code_s_page_lists_its_enhanced_codes_under_their_own_heading(generated, lang, heading):
    folder = "" if lang == "en" else "vi/"
    registry = CAT.ui(lang=lang)["site"]["registry_basic"]
    listed = 0
    for code in CAT.basic:
        text = _unescape(_md(generated, f"{folder}reference/codes/{code}"))
        sections = dict(re.findall(r"^## (.+)\n\n(.*)$", text, re.M))
        related = list(CAT.related_enhanced(code))
        assert re.findall(r"\{smtp\}`([^`]+)`", sections.get(heading, "")) == related, (lang, code)
        assert registry not in sections, (lang, code)
        listed += bool(related)
    assert listed > 20


# -- a project's own pages beside the generated ones ---------------------------------------------------------------------
OWN_PAGES = {  # a project's hand-written pages, some in the folders the generator writes and prunes
    "lessons/01-anatomy-of-a-reply.md": "# Lesson 1\n",
    "howto/index.md": "# How-to\n",
    "explanation/index.md": "# Explanation\n",
    "vi/lessons/ghi-chu.md": "# Ghi chú\n\nViết tay.\n",
    "vi/reference/codes/ghi-chu.md": "# Ghi chú về mã\n",
    "compare/our-notes.md": "# Our notes\n",
    "reference/enhanced/our-notes.md": "# Notes\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project with its own lessons and notes, and no Vietnamese home: the generator run over it, with the pages it
    wrote in an earlier build for codes the catalogue no longer has."""
    from smtpteach.sphinx._pages import MARKER, generate

    src = tmp_path_factory.mktemp("project")
    for name, text in OWN_PAGES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    for stale in ("reference/codes/299.md", "vi/reference/codes/299.md", "compare/299-vs-550.md"):
        (src / stale).parent.mkdir(parents=True, exist_ok=True)
        (src / stale).write_text(f"---\norphan: true\n---\n{MARKER}\n\n# SMTP 299\n", encoding="utf-8")
    generate(SimpleNamespace(srcdir=str(src)))
    return src


def test_a_project_s_own_pages_survive_and_only_stale_generated_ones_go(project):
    for name, text in OWN_PAGES.items():
        assert (project / name).is_file(), f"the generator deleted the project's own {name}"
        assert (project / name).read_text(encoding="utf-8") == text, name
    for stale in ("reference/codes/299.md", "vi/reference/codes/299.md", "compare/299-vs-550.md"):
        assert not (project / stale).exists(), stale
    assert (project / "reference" / "codes" / "550.md").is_file()


def test_the_generated_vietnamese_home_links_the_project_s_english_lessons_where_they_are(project):
    """The Vietnamese home names the lessons, guides and explanations (in English): each {doc} link, read as Sphinx
    reads it from vi/index, names the project's own page."""
    text = _md(project, "vi/index")
    site_words = CAT.ui(lang="vi")["site"]
    links = re.findall(r"\{doc\}`([^`<]*) <([^>]+)>`", text)
    assert [title.strip() for title, _ in links] == [site_words["first_lessons"], site_words["first_howto"],
                                                      site_words["first_explanation"]]
    for _, target in links:
        # an absolute name is from the source folder; any other from the page's own folder (vi/)
        followed = project / target.lstrip("/") if target.startswith("/") else project / "vi" / target
        assert followed.with_suffix(".md").is_file(), target


# -- a teacher's site without generated pages, with a comparison widget in a notebook --------------------------------------
def _notebook_site(tmp_path: Path, cells: list[str], pages: dict[str, str] | None = None) -> Path:
    """A teacher's myst-nb site: a notebook of ``cells`` (code run at build time) and ``pages`` of its own, built with
    -W in a process of its own, as a site is built (myst-nb after the myst-parser projects of this file, in one
    process, finds .md taken by their parser). The folder of the built site."""
    import nbformat

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_nb", "smtpteach.sphinx"]\nnb_execution_mode = "force"\n'
                                 'html_theme = "basic"\nexclude_patterns = ["_build"]\n'
                                 'html_favicon = "favicon.svg"\n', encoding="utf-8")  # or the browser asks for one
    (src / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    (src / "index.md").write_text("# Course\n\n```{toctree}\nwidgets\n```\n", encoding="utf-8")
    for name, text in (pages or {}).items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Widgets"), *map(nbformat.v4.new_code_cell, cells)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}),
        str(src / "widgets.ipynb"))
    site = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(site)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return site


def test_the_compare_widget_links_no_code_page_on_a_site_without_them(tmp_path, browser):
    """The how-to's site has no reference pages: the widget's "Learn more" keeps its references (RFCs) and links no
    code page, which would be a 404 there, as the role shows a code without a link. (On smtpteach's own site, which
    has them, tests/test_site.py follows every link the widget gives to a page.)"""
    from ._browser import serve

    site = _notebook_site(tmp_path, ['from smtpteach.widgets import CompareWidget\nCompareWidget("550", "553")'])
    assert '<meta name="smtpteach-pages" content="" />' in _read(site, "widgets")
    page = browser.tab()
    with serve(site) as base:
        try:
            page.goto(f"{base}/widgets.html")
            page.wait_for_function("document.documentElement.dataset.smtpteachWidgets === 'ready'", timeout=15000)
            hrefs = page.locator(".smtpteach-compare-widget .smtpteach-learn-more a[href]").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))")
        finally:
            browser.leave(page)
    assert hrefs and all(href.startswith("https://") for href in hrefs), hrefs
    assert browser.offsite == [] and browser.errors == []


# -- a test audit: mistakes the tests above let through ------------------------------------------------------------------
def test_a_page_with_widgets_names_the_code_page_folders_of_both_languages(site):
    """The site has code pages in English and in Vietnamese: a widget on a Vietnamese page links them as a widget on
    an English page does (its "Learn more")."""
    assert re.findall(r'<meta name="smtpteach-pages" content="([^"]*)" />', _read(site, "solo")) == [
        "reference/codes/ reference/enhanced/ vi/reference/codes/ vi/reference/enhanced/"]


def test_any_inline_script_a_teacher_s_template_writes_moves_to_a_file_with_its_attributes(tmp_path):
    """A teacher's own layout.html (as a theme's) may write a script over several lines, with attributes it reads
    back (document.currentScript.dataset): it is a file too, and keeps them. A module stays as written: its imports
    are read from the page's own address; and so does a data block."""
    src = tmp_path / "src"
    (src / "_templates").mkdir(parents=True)
    (src / "conf.py").write_text(CONF + 'templates_path = ["_templates"]\n', encoding="utf-8")
    (src / "_templates" / "layout.html").write_text(
        '{% extends "!layout.html" %}\n{% block extrahead %}{{ super() }}\n'
        '<script data-greeting="Xin chào">\n  const greeting = document.currentScript.dataset.greeting;\n'
        '  document.documentElement.dataset.greeting = greeting;\n</script>\n'
        '<script type="module">import { show } from "./_static/show.js";\nshow();\n</script>\n'
        '<script type=application/json id=greetings>{"vi": "Xin chào"}</script>\n{% endblock %}\n',
        encoding="utf-8")
    (src / "index.md").write_text("# Home\n", encoding="utf-8")
    app = SphinxTestApp(buildername="html", srcdir=src, builddir=tmp_path / "out")
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    page = _read(Path(app.outdir), "index")
    assert 'const greeting' not in page
    moved = re.search(r'<script data-greeting="Xin chào" src="(_static/smtpteach/inline\.[0-9a-f]+\.js)"></script>',
                     page)
    assert moved, page
    assert "document.currentScript.dataset.greeting" in (Path(app.outdir) / moved.group(1)).read_text(encoding="utf-8")
    assert '<script type="module">import { show } from "./_static/show.js";\nshow();\n</script>' in page
    # data, as a minified template writes it (its type unquoted), is read by id from the page: it stays there
    assert '<script type=application/json id=greetings>{"vi": "Xin chào"}</script>' in page


def test_the_compare_widget_links_only_the_kinds_of_code_page_the_site_has(tmp_path, browser):
    """A teacher's site with pages of its own for basic codes (reference/codes/) and none for enhanced codes: the
    widget's "Learn more" links the basic codes' pages, and for an enhanced code only its references (RFCs), as a link
    to reference/enhanced/ would be a 404 there."""
    from ._browser import serve

    site = _notebook_site(tmp_path, ['from smtpteach.widgets import CompareWidget\nCompareWidget("550", "553")',
                                     'CompareWidget("4.2.2", "5.2.2")'],
                          {f"reference/codes/{code}.md": STUB.format(title=code) for code in ("550", "553")})
    assert '<meta name="smtpteach-pages" content="reference/codes/" />' in _read(site, "widgets")
    page = browser.tab()
    with serve(site) as base:
        try:
            page.goto(f"{base}/widgets.html")
            page.wait_for_function("document.documentElement.dataset.smtpteachWidgets === 'ready'", timeout=15000)
            basic, enhanced = [widget.locator(".smtpteach-learn-more a[href]").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))")
                for widget in page.locator(".smtpteach-compare-widget").all()]
        finally:
            browser.leave(page)
    assert [href for href in basic if not href.startswith("https://")] == ["./reference/codes/550.html",
                                                                          "./reference/codes/553.html"], basic
    assert enhanced and all(href.startswith("https://") for href in enhanced), enhanced
    assert browser.offsite == [] and browser.errors == []
