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
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sphinx.testing.util import SphinxTestApp

import smtpteach
from smtpteach import InvalidArgumentError

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
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
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
def test_a_changed_package_rebuilds_the_pages_that_run_or_show_its_code_and_only_once(tmp_path):
    from smtpteach.sphinx import _outdated, _remember_digest

    docs = ["index", "howto/triage", "lessons/01-anatomy-of-a-reply", "reference/codes/550", "compare/211-vs-550",
            "vi/index", "explanation/index"]
    app = SimpleNamespace(doctreedir=str(tmp_path))
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
