"""The Sphinx extension, built with Sphinx's own testing application into tmp_path."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

import smtpteach

CONF = '''
extensions = ["myst_parser", "smtpteach.sphinx"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
'''


@contextlib.contextmanager
def built(tmp_path: Path, pages: dict[str, str], conf: str = CONF, builder: str = "html") -> Iterator[SphinxTestApp]:
    """The pages built, the application still open (a test may render with it again); its
    warnings are in ``app.warning``."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    app = SphinxTestApp(buildername=builder, srcdir=src, builddir=tmp_path / "out")
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def _build_again(src: Path, out: Path) -> SphinxTestApp:
    """A build of the site in ``src`` into ``out``, kept between builds (an incremental build after the first), with
    no warning."""
    app = SphinxTestApp(buildername="html", srcdir=src, builddir=out)
    try:
        app.build()
    finally:
        app.cleanup()
    assert "WARNING" not in app.warning.getvalue(), app.warning.getvalue()
    return app


def build(tmp_path: Path, pages: dict[str, str], conf: str = CONF, builder: str = "html") -> tuple[SphinxTestApp, str]:
    with built(tmp_path, pages, conf, builder) as app:
        pass
    return app, app.warning.getvalue()


def test_role_and_directives_in_someone_elses_docs(tmp_path):
    index = """# Codes

Retry after {smtp}`421`, never after {smtp}`5.1.1`.

:::{smtp-entry} 550
:lang: vi
:::

:::{smtp-compare} 421 450
:::

:::{smtp-entry} class:4
:part: description
:::
"""
    app, warnings = build(tmp_path, {"index.md": index})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # no reference pages in this project: the code is shown with its name as a tooltip
    assert '<abbr class="smtp-code" title="Service Not Available"><code' in html
    import smtpteach

    assert smtpteach.lookup("550").name(lang="vi") in html and "Mô tả" in html
    assert "Both are 4xx Transient Negative Completion replies." in html
    assert '<ol class="arabic simple">' in html
    body = html.split('<div class="body"')[1].split('<div class="sphinxsidebar"')[0]
    assert "<script" not in body  # directives build nodes, never raw HTML


LISTED_HOME = "# Home\n\nSee {smtp}`550`.\n\n```{toctree}\nreference/index\ncompare/index\nvi/index\n```\n"


@pytest.fixture(scope="module")
def listed_site(tmp_path_factory) -> tuple[SphinxTestApp, str]:
    """The how-to's site: its own home, which uses the role and lists the generated indexes in a toctree, and the
    generated pages; built once for the tests that read it (a build of some 600 pages)."""
    return build(tmp_path_factory.mktemp("listed"), {"index.md": LISTED_HOME}, CONF + "smtpteach_generate_pages = True\n")


def test_role_links_to_generated_pages_and_unknown_codes_warn(listed_site, tmp_path):
    app, warnings = listed_site
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="reference/codes/550.html" title="550 Mailbox Unavailable"' in html
    page = (app.outdir / "vi" / "reference" / "codes" / "550.html").read_text(encoding="utf-8")
    assert '<html lang="vi"' in page or 'lang="vi"' in page.split(">")[0] + page.split(">")[1]
    assert "Khi bạn thấy mã này" in page
    assert 'href="../../../reference/codes/550.html"' in page  # the twin
    # and the head names both versions, for browsers, screen readers and search engines
    assert '<link rel="alternate" hreflang="en" href="../../../reference/codes/550.html" />' in page
    assert '<link rel="alternate" hreflang="vi" href="550.html" />' in page
    english = (app.outdir / "reference" / "codes" / "550.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="vi" href="../../vi/reference/codes/550.html" />' in english
    assert (app.outdir / "compare" / "211-vs-550.html").exists()
    assert (app.outdir / "reference" / "enhanced" / "X.1.1.html").exists()

    bad = tmp_path / "bad"
    bad.mkdir()
    _, warnings = build(bad, {"index.md": "# Bad\n\n{smtp}`599`\n"})
    assert "smtp role: '599' is not in the catalogue" in warnings


def test_directive_errors_name_the_problem(tmp_path):
    page = "# X\n\n:::{smtp-compare} 550 550\n:::\n\n:::{smtp-entry} 9.9.9\n:::\n"
    _, warnings = build(tmp_path, {"index.md": page})
    assert "smtp-compare: both codes are 550" in warnings
    assert "smtp-entry: '9.9.9' is not in the catalogue" in warnings


def test_the_extension_declares_itself_parallel_safe():
    # what it declares; that it is so, tests/_site.py shows: every site test reads a build made with -j 2
    from smtpteach.sphinx import setup

    class App:
        def __init__(self):
            self.calls = []

        def __getattr__(self, name):
            return lambda *a, **k: self.calls.append(name)

    meta = setup(App())
    assert meta["parallel_read_safe"] and meta["parallel_write_safe"]


def test_text_builder_works_too(tmp_path):
    app, warnings = build(tmp_path, {"index.md": "# T\n\n:::{smtp-compare} 211 550\n:::\n"}, builder="text")
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert warnings == "" and "211 is a 2xx Positive Completion reply" in text


def _perf_pages(tmp_path: Path, *variants: tuple[str | None, dict | None]) -> tuple[list[str], str]:
    """One build of a page per (lang, accuracy) variant, each reading a results.json of its own: each page's HTML, and
    the build's warnings. One Sphinx build for the variants a test compares (a build costs some 0.2 s each to start)."""
    import json
    import shutil

    root = Path(__file__).resolve().parent.parent
    conf = f"import sys\nsys.path.insert(0, {str(root / 'docs' / '_ext')!r})\n" + CONF.replace(
        '"smtpteach.sphinx"]', '"smtpteach.sphinx", "performance"]')
    tmp_path.mkdir(parents=True, exist_ok=True)
    pages = {"index.md": "# Pages\n"}
    for i, (lang, accuracy) in enumerate(variants):
        results = tmp_path / f"results-{i}.json"
        shutil.copy(root / "benchmarks" / "results.json", results)
        if accuracy is not None:
            report = json.loads(results.read_text())
            report["accuracy"] = accuracy
            results.write_text(json.dumps(report))
        option = f":lang: {lang}\n" if lang else ""
        pages[f"page-{i}.md"] = f"---\norphan: true\n---\n# P\n\n```{{benchmark-results}} ../{results.name}\n{option}```\n"
    app, warnings = build(tmp_path, pages, conf)
    html = [(tmp_path / "out" / "html" / f"page-{i}.html").read_text(encoding="utf-8") for i in range(len(variants))]
    return html, warnings


def _perf_build(tmp_path: Path, lang: str | None, accuracy: dict | None = None) -> tuple[str, str]:
    (page,), warnings = _perf_pages(tmp_path, (lang, accuracy))
    return page, warnings


def test_benchmark_table_speaks_the_page_language(tmp_path):
    (en, vi), warnings = _perf_pages(tmp_path, (None, None), ("vi", None))
    assert warnings == ""
    import re

    def header(page: str) -> list[str]:
        return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", page, re.DOTALL)]

    assert header(en)[:7] == ["figure", "ours", "baseline", "ratio", "budget", "result", "how"]
    assert header(vi)[:7] == ["hạng mục", "đo được", "mốc so sánh", "tỷ lệ", "ngưỡng", "kết quả", "cách đo"]
    assert "within budget" in en and "trong ngưỡng" in vi and "trong ngưỡng" not in en


def _performance_module():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "docs" / "_ext" / "performance.py"
    spec = importlib.util.spec_from_file_location("_performance_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_figure_the_benchmarks_committed_has_its_vietnamese_wording_with_the_same_figures():
    """The Vietnamese Performance page says each figure's name, budget and note in
    Vietnamese: every wording in results.json has one, and it carries every figure
    of the English (in the Vietnamese decimal mark), none twice, none added."""
    import json

    perf = _performance_module()
    root = Path(__file__).resolve().parent.parent
    report = json.loads((root / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    said = [r[k] for r in report["results"] for k in ("name", "budget", "note") if r.get(k)]
    missing = sorted({perf._FIGURE.sub("{}", v) for v in said} - set(perf.wording("vi")))
    assert not missing, f"performance.vi.yaml has no wording for: {missing}"
    for value in said:
        vi = perf.say(value, "vi")
        figures = perf._FIGURE.findall(value)
        assert vi != value or not re.search(r"[a-z]{3}", value), value
        rest = vi
        for figure in figures:  # each figure once, a number in the Vietnamese decimal mark
            local = figure.replace(".", ",") if perf._NUMBER.fullmatch(figure) else figure
            assert local in rest, (value, vi, local)
            rest = rest.replace(local, " ", 1)
        assert not re.search(r"\d", rest), (value, vi)  # and no figure the English does not have


def test_each_vietnamese_wording_puts_back_every_figure_of_its_english_once():
    perf = _performance_module()
    for en, vi in perf.wording("vi").items():
        n = en.count("{}")
        used = re.findall(r"\{(\d+)\}", vi)
        assert sorted(map(int, used)) == list(range(n)), (en, vi)
        assert re.sub(r"\{\d+\}", "", vi).count("{") == 0 and "}" not in re.sub(r"\{\d+\}", "", vi), vi
        assert not re.search(r"\b(the|of|and|with|from)\b", re.sub(r"`[^`]*`|\{\d+\}", "", vi)), (en, vi)


def test_a_figure_in_a_note_is_put_back_in_the_vietnamese_order_with_its_decimal_mark():
    perf = _performance_module()
    en = "4308 of 5319 real replies, from the sources rules may be written from"
    vi = perf.say(en, "vi")
    assert "4308 trong 5319 phản hồi thật" in vi and "real replies" not in vi
    held = ("1380 of 1773 real replies no rule was written from (95% interval over publishers: 75.1-80.8%); "
            "baseline: Sisimai::Reason->match on the same rows, 581 of 1773 (95% interval over publishers: 28.2-37.5%); "
            "of the 180 rows Sisimai's own tests label, explain() 144 and Sisimai 99")
    vi = perf.say(held, "vi")
    assert "75,1-80,8%" in vi and "28,2-37,5%" in vi and "75.1" not in vi
    assert "1380 trong 1773" in vi and "581 trong 1773" in vi and "explain() 144 và Sisimai 99" in vi
    # a wording the file does not know stays as measured, figures and all
    assert perf.say("a figure nobody has named yet 1.5", "vi") == "a figure nobody has named yet 1.5"
    assert perf.say("anything", "en") == "anything"


def test_benchmark_table_refuses_an_unknown_language_naming_those_there_are(tmp_path):
    _, warnings = _perf_build(tmp_path, "fr")
    assert "benchmark-results: unknown lang 'fr'; the languages are en, vi" in warnings


ACCURACY = {
    "sources": 21, "held_back_sources": 5,
    "development": {"rows": 3, "right": 2, "share": 0.67, "confusion": [],
                    "per_reason": {"userunknown": {"right": 2, "rows": 2}, "suspend": {"right": 0, "rows": 1}}},
    "held_back": {"rows": 2, "right": 1, "share": 0.5, "per_reason": {"suspend": {"right": 1, "rows": 2}},
                  "confusion": [{"label": "suspend", "answer": "userunknown", "rows": 1}]},
    "sisimai": {"rows": 2, "right": 0, "share": 0.0, "per_reason": {"suspend": {"right": 0, "rows": 2}}, "confusion": []},
}


def _cells(page: str) -> list[list[str]]:
    """The text of each row's cells, in the page's tables."""
    import re

    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.DOTALL)]


def test_the_accuracy_tables_per_reason_and_confusions_in_each_language(tmp_path):
    (en, vi), warnings = _perf_pages(tmp_path, (None, ACCURACY), ("vi", ACCURACY))
    assert warnings == ""
    assert ["reason", "development", "held back", "Sisimai, held back"] in _cells(en)
    assert ["suspend", "0/1", "1/2", "0/2"] in _cells(en) and ["userunknown", "2/2", "–", "–"] in _cells(en)
    assert ["=", "2/3", "1/2", "0/2"] in _cells(en)
    assert ["suspend", "userunknown", "1"] in _cells(en)
    assert "21 public sources, 5 of them held back" in en
    assert ["nguyên nhân", "phần phát triển", "phần giữ riêng", "Sisimai, phần giữ riêng"] in _cells(vi)
    assert ["suspend", "0/1", "1/2", "0/2"] in _cells(vi) and "21 nguồn công khai" in vi
    # no blind readers in this report: no table of them either
    assert "blind-readers.tsv" not in en


def test_the_held_back_interval_in_each_language(tmp_path):
    held = dict(ACCURACY["held_back"], interval=[0.7402, 0.7999], share=0.7693)
    sis = dict(ACCURACY["sisimai"], interval=[0.2658, 0.3566])
    report = dict(ACCURACY, held_back=held, sisimai=sis, interval_draws=1500)
    # and a report without an interval (an older results.json), in the same build
    (en, vi, plain), warnings = _perf_pages(tmp_path, (None, report), ("vi", report), (None, ACCURACY))
    assert warnings == ""
    assert "95% of the draws give explain() between 74.0 % and 80.0 % (76.9 % here). For Sisimai, between 26.6 % and 35.7 %." in en
    assert "Drawing the held-back publishers again 1,500 times" in en  # as many as the report says it drew
    assert ("kết quả của explain() nằm trong khoảng từ 74,0 % đến 80,0 % (con số đo được ở đây: 76,9 %). Với Sisimai, "
            "khoảng này là từ 26,6 % đến 35,7 %.") in vi
    assert "Lấy mẫu lại phần giữ riêng 1.500 lần theo từng dự án hay trang web" in vi
    # a report without an interval (an older results.json) says nothing of one
    assert "the draws" not in plain


def test_the_blind_readers_table_in_each_language(tmp_path):
    blind = {"development": {"rows": 140, "readers_agree": 134, "kappa": 0.9545, "label": 121, "answer": 114,
                             "sure": 98, "label_sure": 96, "answer_sure": 91},
             "held_back": {"rows": 260, "readers_agree": 249, "kappa": None, "label": 219, "answer": 182,
                           "sure": 159, "label_sure": 154, "answer_sure": 138}}
    report = dict(ACCURACY, blind_readers=blind)
    (en, vi), warnings = _perf_pages(tmp_path, (None, report), ("vi", report))
    assert warnings == ""
    assert "Two readers labelled 400 of these rows again" in en
    assert ["development", "140", "134 (0.955)", "121/134", "114/134", "96/98 · 91/98"] in _cells(en)
    assert ["held back", "260", "249 (–)", "219/249", "182/249", "154/159 · 138/159"] in _cells(en)
    assert "Hai người đọc đã gán nhãn lại 400 dòng" in vi
    # the Vietnamese page writes a decimal comma
    assert ["phần phát triển", "140", "134 (0,955)", "121/134", "114/134", "96/98 · 91/98"] in _cells(vi)


def test_the_second_reader_paragraph_in_each_language(tmp_path):
    second = {"rows": 165, "agree": 147, "answer": 110, "sure": 89, "answer_sure": 83, "answer_all": 115}
    report = dict(ACCURACY, second_reader=second)
    # and a results.json from before the second reader, in the same build
    (en, vi, old), warnings = _perf_pages(tmp_path, (None, report), ("vi", report), (None, ACCURACY))
    assert warnings == ""
    assert ("The two agree on 147 rows, and explain() names the reason they agree on for 110 of them; for 83 of the 89 "
            "the second reader was sure of. On the whole batch, explain() agrees with its label on 115 of 165.") in en
    assert ("Hai người chọn cùng một nguyên nhân ở 147 dòng, và explain() gọi đúng nguyên nhân đó ở 110 dòng; trong 89 "
            "dòng mà người đọc thứ hai chắc chắn thì đúng 83 dòng. Trên cả đợt, explain() trùng với nhãn ở 115 trên 165 "
            "dòng.") in vi
    # a results.json from before the second reader says nothing of one
    assert "second reader" not in old


def test_the_labellers_table_in_each_language(tmp_path):
    def part(**kinds):
        return {k: {"right": r, "rows": n} for k, (r, n) in kinds.items()}

    report = dict(ACCURACY, development=dict(ACCURACY["development"], by_label=part(project=(2, 2), sisimai=(0, 1))),
                  held_back=dict(ACCURACY["held_back"], by_label=part(sisimai=(1, 2))),
                  sisimai=dict(ACCURACY["sisimai"], by_label=part(sisimai=(0, 2))))
    # and a report from before the split by labeller, in the same build
    (en, vi, plain), warnings = _perf_pages(tmp_path, (None, report), ("vi", report), (None, ACCURACY))
    assert warnings == ""
    import html

    # the page's typography curls the apostrophe
    cells = [[html.unescape(c).replace("\u2019", "'") for c in row] for row in _cells(en)]
    assert ["labelled by", "development", "held back", "Sisimai, held back"] in cells
    assert ["Sisimai's tests", "0/1", "1/2", "0/2"] in cells
    assert ["this project", "2/2", "–", "–"] in cells
    assert ["kiểm thử của Sisimai", "0/1", "1/2", "0/2"] in _cells(vi) and ["dự án này", "2/2", "–", "–"] in _cells(vi)
    # a report from before the split by labeller has no such table
    assert "labelled by" not in plain


SIDEBAR_PAGES = {
    "index.md": "# Home\n\n```{toctree}\n:caption: Start\n:maxdepth: 1\na\nsub/index\nhttps://example.org/\n```\n\n"
                "```{toctree}\n:hidden:\nhidden\n```\n\n```{toctree}\n:hidden:\n:caption: Tiếng Việt\nvi/index\n```\n",
    "a.md": "# A\n\n## A's section\n\ntext\n",
    "hidden.md": "# Hidden\n",
    "sub/index.md": "# Sub\n\n```{toctree}\nb\ndeep/c\n```\n",
    "sub/b.md": "# B\n\n## One\n\n## Two\n",
    "sub/deep/c.md": "# C\n",
    "lone.md": "---\norphan: true\n---\n# Lone\n\nIn no tree.\n",
    "vi/index.md": "# Nhà\n\n```{toctree}\na\nsub/b\n```\n",
    "vi/a.md": "# A vi\n",
    "vi/sub/b.md": "# B vi\n\n## Một\n",
}


FURO_CONF = CONF.replace('"basic"', '"furo"')


def _sidebars(tmp_path: Path, per_folder: bool, monkeypatch) -> dict[str, str]:
    import re

    from smtpteach.sphinx import _sidebar

    monkeypatch.setattr(_sidebar, "PER_FOLDER", per_folder)
    tmp_path.mkdir()
    app, warnings = build(tmp_path, SIDEBAR_PAGES, FURO_CONF)
    assert warnings == ""
    found = {}
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        tree = re.search(r'<div class="sidebar-tree">(.*?)</div>\s*</div>', html, re.DOTALL)
        found[page.relative_to(app.outdir).as_posix()] = tree.group(1) if tree else ""
    return found


def test_the_sidebar_made_once_a_folder_is_the_one_sphinx_makes_for_each_page(tmp_path, monkeypatch):
    """The tree is worked out once a language and folder; each page must still get what Sphinx
    resolves for that page alone: links relative to its folder, and its own branch marked."""
    once = _sidebars(tmp_path / "once", True, monkeypatch)
    each = _sidebars(tmp_path / "each", False, monkeypatch)
    assert once == each
    deep, vi = once["sub/deep/c.html"], once["vi/sub/b.html"]
    assert '<li class="toctree-l2 current current-page"><a class="current reference internal" href="#">C</a>' in deep
    assert 'href="../../a.html"' in deep and 'href="../../hidden.html"' in deep and 'href="../../vi/a.html"' in deep
    # a Vietnamese page's tree is the Vietnamese home's, and marks the page in it
    assert 'href="../a.html">A vi</a>' in vi and "Hidden" not in vi and "current-page" in vi
    assert "current" not in once["lone.html"] and 'href="sub/deep/c.html"' in once["lone.html"]


@contextlib.contextmanager
def _sidebar_project(tmp_path: Path) -> Iterator[SphinxTestApp]:
    """SIDEBAR_PAGES built with furo, the application still open: a tree can be rendered again."""
    with built(tmp_path, SIDEBAR_PAGES, FURO_CONF) as app:
        assert app.warning.getvalue() == ""
        yield app


def test_the_tree_made_once_a_folder_keeps_each_pages_own_sections(tmp_path, monkeypatch):
    """A template may ask for sections too (furo does not): a link to a section of the page
    itself becomes a link within the page, as Sphinx makes it."""
    from smtpteach.sphinx import _sidebar

    with _sidebar_project(tmp_path) as app:
        options = dict(collapse=False, titles_only=False, maxdepth=-1, includehidden=True)
        for maxdepth in (-1, 0, 1):
            for doc in sorted(app.env.found_docs):
                home = "vi/index" if doc.startswith("vi/") else "index"
                once = _sidebar._tree(app, doc, home, **{**options, "maxdepth": maxdepth})
                monkeypatch.setattr(_sidebar, "PER_FOLDER", False)
                assert once == _sidebar._tree(app, doc, home, **{**options, "maxdepth": maxdepth}), (doc, maxdepth)
                monkeypatch.setattr(_sidebar, "PER_FOLDER", True)
        page = _sidebar._tree(app, "sub/b", "index", **options)
        # a template's maxdepth holds, as in Sphinx's own toctree(): no section of a page at depth 1
        shallow = _sidebar._tree(app, "sub/b", "index", **{**options, "maxdepth": 1})
    assert 'href="#one">One</a>' in page and 'href="../a.html#a-s-section">' in page
    assert 'href="../a.html">A</a>' in shallow and "#one" not in shallow and "#a-s-section" not in shallow


@pytest.mark.parametrize("options", [
    {},  # what a template gets when it asks for nothing: collapsed, the toctrees' own depths, no hidden ones
    {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True},  # what furo asks for
    {"collapse": False}, {"maxdepth": 2}, {"maxdepth": "1", "titles_only": True}, {"maxdepth": ""},
])
def test_a_page_of_the_first_language_gets_what_sphinx_s_own_toctree_gives(tmp_path, options):
    """The extension answers every template's toctree() on an English page, as Sphinx's own did."""
    import inspect

    from sphinx.environment.adapters.toctree import global_toctree_for_doc

    from smtpteach.sphinx import _sidebar

    with _sidebar_project(tmp_path) as app:
        # Sphinx's own toctree(): its defaults, and "" for no depth
        theirs = {"collapse": True, "includehidden": False, "maxdepth": 0, "titles_only": False, **options}
        theirs["maxdepth"] = int(theirs["maxdepth"] or 0)
        tags = {"tags": app.builder.tags} if "tags" in inspect.signature(global_toctree_for_doc).parameters else {}
        for doc in sorted(d for d in app.env.found_docs if not d.startswith("vi/")):
            node = global_toctree_for_doc(app.env, doc, app.builder, **tags, **theirs)
            expected = app.builder.render_partial(node)["fragment"] if node is not None else ""
            assert _sidebar._tree(app, doc, "index", **options) == expected, doc


def test_each_code_page_lists_the_codes_of_its_own_category(tmp_path):
    # the pages the extension writes, read as written (before Sphinx turns them into HTML): a learner on 452's page
    # follows "Other codes with the same first two digits" to 450, 451, ..., never to 421 or 552
    from types import SimpleNamespace

    from smtpteach.sphinx._pages import generate

    generate(SimpleNamespace(srcdir=str(tmp_path)))
    cat = smtpteach.default_catalogue()
    heading = {lang: cat.ui(lang=lang)["site"]["same_category"] for lang in cat.languages}
    for lang in cat.languages:
        folder = tmp_path / ("" if lang == cat.languages[0] else lang) / "reference" / "codes"
        for code in cat.basic:
            text = (folder / f"{code}.md").read_text(encoding="utf-8")
            sections = dict(re.findall(r"^## (.+)\n\n(.*)$", text, re.MULTILINE))
            listed = re.findall(r"\{smtp\}`([^`]+)`", sections.get(heading[lang], ""))
            want = [c for c in cat.basic if c != code and c[0] == code[0] and c[1] == code[1]]
            assert listed == want, (lang, code)
            assert all(c.startswith(code[:2]) for c in listed)
    assert re.findall(r"\{smtp\}`([^`]+)`", dict(re.findall(r"^## (.+)\n\n(.*)$", (
        tmp_path / "reference" / "codes" / "452.md").read_text(encoding="utf-8"), re.MULTILINE))[heading["en"]]) == [
        "450", "451", "453", "454", "455", "458", "459"]


def _body(app: SphinxTestApp, page: str = "index") -> str:
    """The page's body as text a reader sees: entities undone, and Sphinx's curly apostrophes straight again."""
    import html

    text = (app.outdir / f"{page}.html").read_text(encoding="utf-8")
    return html.unescape(text.split('<div class="body"')[1].split('<div class="sphinxsidebar"')[0]).replace("\u2019", "'")


def test_a_language_option_decides_on_a_page_of_another_language(tmp_path):
    # the docs use :lang: vi only on pages under vi/, where the page's language says the same (a test audit: both
    # directives ignoring :lang: passed); here on an English page
    page = ":::{smtp-compare} 421 450\n:lang: vi\n:::\n\n:::{smtp-entry} 550\n:lang: vi\n:part: when\n:::\n"
    app, warnings = build(tmp_path, {"index.md": "# Codes\n\n" + page})
    assert warnings == ""
    body = _body(app)
    vi, en = smtpteach.compare("421", "450", lang="vi"), smtpteach.compare("421", "450")
    assert vi.summary in body and en.summary not in body
    assert smtpteach.lookup("550").text(lang="vi").when in body
    assert smtpteach.lookup("550").text(lang="en").when not in body


@pytest.mark.parametrize("language, lang", [("vi", "vi"), ("vi_VN", "vi"), ("en", "en"), ("de", "en")])
def test_without_a_language_option_a_site_speaks_sphinx_s_language(tmp_path, language, lang):
    """The how-to: without :lang: the directives use the page's language. On a site written in Vietnamese (Sphinx's
    language "vi", no vi/ folder) that is Vietnamese, the role's tooltip too; a language the catalogue lacks is English."""
    page = "Full: {smtp}`552`.\n\n:::{smtp-compare} 421 450\n:part: summary\n:::\n\n:::{smtp-entry} 550\n:part: when\n:::\n"
    app, warnings = build(tmp_path, {"index.md": "# Codes\n\n" + page}, CONF + f"language = {language!r}\n")
    # docutils has no Vietnamese or German of its own words (its admonitions' titles): not ours to mend
    assert [w for w in warnings.splitlines() if "Docutils-generated text will be in English" not in w] == []
    body = _body(app)
    assert smtpteach.compare("421", "450", lang=lang).summary in body
    assert smtpteach.lookup("550").text(lang=lang).when in body
    assert f'title="{smtpteach.lookup("552").name(lang=lang)}"' in body
    assert app.config.smtpteach_language == lang


def test_a_vietnamese_site_with_generated_pages_builds_and_each_page_links_in_its_own_language(tmp_path):
    """A site written in Vietnamese (Sphinx's language "vi") with the generated pages: its hand-written pages speak
    Vietnamese and link the Vietnamese pages; the generated pages at the root are English, and link English pages with
    English names, whatever the site's language (they linked vi/ pages with Vietnamese names). The build used to stop:
    the generated pages' front matter made MyST ask docutils for its words in "vi", and docutils, which has none,
    imported the generated vi/ folder as a module of that name."""
    conf = CONF + 'language = "vi"\nsmtpteach_generate_pages = True\n'
    app, warnings = build(tmp_path, {"index.md": "# Mã\n\nHộp thư: {smtp}`550`.\n"}, conf)
    assert [w for w in warnings.splitlines() if "WARNING" in w and "Docutils-generated" not in w] == []
    links = lambda page: re.findall(r'<a class="smtp-code[^"]*" href="([^"]+)" title="([^"]+)"',  # noqa: E731
                                    (app.outdir / page).read_text(encoding="utf-8"))
    assert links("index.html") == [("vi/reference/codes/550.html", f"550 {smtpteach.lookup('550').name(lang='vi')}")]
    english = links("reference/codes/550.html")
    assert ("551.html", f"551 {smtpteach.lookup('551').name(lang='en')}") in english
    assert all(not href.startswith(("vi/", "../vi/", "../../vi/")) for href, _ in english), english
    assert ("551.html", f"551 {smtpteach.lookup('551').name(lang='vi')}") in links("vi/reference/codes/550.html")


def test_an_explicit_smtpteach_language_wins_over_sphinx_s(tmp_path):
    app, _ = build(tmp_path, {"index.md": "# Codes\n\n:::{smtp-entry} 550\n:part: when\n:::\n"},
                   CONF + 'language = "vi"\nsmtpteach_language = "en"\n')
    assert smtpteach.lookup("550").text(lang="en").when in _body(app)


def test_a_compare_in_an_unknown_language_is_an_error_naming_it(tmp_path):
    _, warnings = build(tmp_path, {"index.md": "# Codes\n\n:::{smtp-compare} 421 450\n:lang: fr\n:::\n"})
    assert "smtp-compare: unknown language 'fr'" in warnings


ENTRY_ONLY = {  # each part of an entry alone: what comes out, and no heading
    "summary": ["smtpteach-summary"], "facts": ["dl"], "description": ["smtpteach-description"],
    "when": ["smtpteach-when"], "fix": ["smtpteach-fix"],
}


@pytest.mark.parametrize("part", [p for p in ("summary", "facts", "description", "when", "fix")])
def test_each_part_of_an_entry_is_that_part_alone(tmp_path, part):
    app, warnings = build(tmp_path, {"index.md": f"# Codes\n\n:::{{smtp-entry}} 550\n:part: {part}\n:::\n"})
    assert warnings == ""
    box = _body(app).split('class="smtpteach-entry', 1)[1].split("</div>", 1)[0]
    assert "rubric" not in box  # no "When you see it" heading for one part
    for name in ("smtpteach-summary", "smtpteach-description", "smtpteach-when", "smtpteach-fix"):
        assert (name in box) == (name in ENTRY_ONLY[part]), (part, name)
    assert ("<dl" in box) == (part == "facts")
    text = smtpteach.lookup("550").text(lang="en")
    if part in ("description", "when", "fix"):
        assert getattr(text, part) in box and box.count("<p") == 1
    # and all of it: a heading before each of the three prose parts
    (tmp_path / "all").mkdir()
    app, _ = build(tmp_path / "all", {"index.md": "# Codes\n\n:::{smtp-entry} 550\n:::\n"})
    assert _body(app).count('class="rubric"') == 3


def test_the_registry_s_english_title_is_marked_english_on_a_page_of_another_language(tmp_path):
    # a site review: a Vietnamese screen reader spoke the registry's English titles as Vietnamese
    page = "# Codes\n\n:::{smtp-entry} X.7.1\n:lang: vi\n:::\n\n:::{smtp-entry} X.2.2\n:::\n"
    app, warnings = build(tmp_path, {"index.md": page})
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    title71, title22 = smtpteach.lookup("X.7.1").title, smtpteach.lookup("X.2.2").title
    assert f'<span lang="en">{title71}</span>' in html
    assert title22 in html and f'<span lang="en">{title22}</span>' not in html  # on an English page it is the page's
    # the text builder writes the title alone
    (tmp_path / "text").mkdir()
    app, _ = build(tmp_path / "text", {"index.md": page}, builder="text")
    assert title71 in (app.outdir / "index.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, page", [("en", "reference/codes/550"), ("vi", "vi/reference/codes/550"),
                                        ("en", "reference/enhanced/X.2.2")])
def test_the_search_words_of_a_code_page_hold_its_name_title_and_description_folded(lang, page):
    # the site's scorer ranks a code page by the words of its name, registry title and description, folded as the
    # reader's query is (smtpteach-code-words.js)
    from smtpteach.sphinx._search import code_words, fold

    entry = smtpteach.lookup(page.rsplit("/", 1)[1])
    t = entry.text(lang=lang)
    words = code_words(smtpteach.default_catalogue())[page]
    for text in (t.name, getattr(entry, "title", "") or "", t.description):
        assert " ".join(re.findall(r"\w+", fold(text))) in words, text


def test_a_cell_s_stdout_and_stderr_are_joined_each_into_its_own_stream():
    # a warning on stderr between two prints stays a stream of its own: the page shows the two apart
    from smtpteach.sphinx._streams import joined_chunks

    outputs = [{"output_type": "stream", "name": "stdout", "text": "a"},
               {"output_type": "stream", "name": "stderr", "text": "warning\n"},
               {"output_type": "stream", "name": "stdout", "text": "\nb\n"}]
    assert joined_chunks(outputs) == [{"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
                                      {"output_type": "stream", "name": "stderr", "text": "warning\n"}]
    assert outputs[0]["text"] == "a"  # the notebook's own outputs are left as they were


def test_why_sisimai_was_skipped_is_said_in_the_page_s_language(tmp_path):
    skipped = dict(ACCURACY, sisimai={"skipped": "perl is not installed"})
    (en, vi), warnings = _perf_pages(tmp_path, (None, skipped), ("vi", skipped))
    assert warnings == ""
    assert "Sisimai was skipped: perl is not installed." in en
    assert "Không chạy được Sisimai: chưa cài perl." in vi and "perl is not installed" not in vi


# -- a teacher's codes file, edited between two builds -------------------------------------------------------------------
def _own_code(name: str) -> str:
    from .conftest import own_codes_yaml

    return own_codes_yaml("559", {"name": name, "description": "Made up.", "when": "Never.", "fix": "Nothing."},
                          {"name": name + " (vi)", "description": "Bịa ra.", "when": "Không bao giờ.", "fix": "Không."})


def test_an_edited_codes_file_shows_in_every_page_that_uses_it_at_the_next_build(tmp_path):
    """The how-to promises that the next build shows a change of the data: an incremental build after an edit of the
    codes file rewrites a hand-written page (the role's tooltip, an entry) and a generated page's tooltip for the code,
    whose own source did not change."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF + 'smtpteach_codes_files = ["acme.yaml"]\nsmtpteach_generate_pages = True\n',
                                 encoding="utf-8")
    (src / "index.md").write_text("# Home\n\nAcme sends {smtp}`559`.\n\n:::{smtp-entry} 559\n:part: summary\n:::\n",
                                  encoding="utf-8")
    (src / "acme.yaml").write_text(_own_code("Acme Block"), encoding="utf-8")

    def build() -> tuple[str, str]:
        out = Path(_build_again(src, tmp_path / "out").outdir)
        return ((out / "index.html").read_text(encoding="utf-8"),
                (out / "reference" / "codes" / "550.html").read_text(encoding="utf-8"))

    index, page = build()
    assert "Acme Block" in index and 'title="559 Acme Block"' in page
    (src / "acme.yaml").write_text(_own_code("Acme Sender Block"), encoding="utf-8")
    index, page = build()
    assert "Acme Block" not in index and index.count("Acme Sender Block") == 2  # the role's tooltip and the summary
    assert 'title="559 Acme Sender Block"' in page


def test_a_process_that_builds_again_reads_an_edited_codes_file_again(tmp_path):
    """sphinx-autobuild keeps one process: the catalogue it keeps is that of the file as it is now."""
    from types import SimpleNamespace

    from smtpteach.sphinx._roles import catalogue

    (tmp_path / "acme.yaml").write_text(_own_code("Acme Block"), encoding="utf-8")
    env = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(smtpteach_codes_files=["acme.yaml"]), docname="")
    assert catalogue(env).lookup("559").name(lang="en") == "Acme Block"
    (tmp_path / "acme.yaml").write_text(_own_code("Acme Sender Block"), encoding="utf-8")
    assert catalogue(env).lookup("559").name(lang="en") == "Acme Sender Block"


def test_a_bad_codes_file_stops_the_build_with_one_line_naming_file_entry_and_field(tmp_path):
    """A teacher's mistake is a configuration error in their words, not a crash of an extension for Sphinx's
    developers: the message is the catalogue's one line, and no traceback of ours comes with it."""
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF + 'smtpteach_codes_files = ["acme.yaml"]\n', encoding="utf-8")
    (src / "index.md").write_text("# Home\n\n{smtp}`550`\n", encoding="utf-8")
    (src / "acme.yaml").write_text(_own_code("Acme Block").replace("retry: dont-retry", "retry: later"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    said = done.stderr
    line = f"{src / 'acme.yaml'}, entry '559', field 'retry': is 'later'; expected one of "
    assert "Configuration error!" in said and f"ConfigError: {line}" in said, said
    assert "Extension error" not in said and "threw an exception" not in said and "CatalogueError" not in said, said
    assert said.count("File ") <= 1, said  # at most the one frame Sphinx shows of a configuration error


def test_a_teacher_s_straight_quotes_stay_straight_as_everywhere_else(tmp_path):
    """Sphinx's smartquotes would curl them on these pages only; the CLI, the widgets and the HTML renderer keep them."""
    from .conftest import own_codes_yaml

    said = 'The "Acme" gateway\'s refusal'
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "acme.yaml").write_text(own_codes_yaml(
        "559", {"name": "Acme 'Block'", "description": said + ".", "when": "Never.", "fix": 'Say "please".'},
        {"name": "Acme 'Chặn'", "description": said + ".", "when": "Không.", "fix": 'Nói "xin".'}), encoding="utf-8")
    pages = {"index.md": "# Home\n\n:::{smtp-entry} 559\n:::\n\n:::{smtp-compare} 559 550\n:::\n"}
    conf = CONF + 'smtpteach_codes_files = ["acme.yaml"]\n'
    src = tmp_path / "src"
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "index.md").write_text(pages["index.md"], encoding="utf-8")
    app = SphinxTestApp(buildername="html", srcdir=src, builddir=tmp_path / "out")
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    import html

    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    body = html.unescape(page.split('<div class="body"')[1].split('<div class="sphinxsidebar"')[0])
    assert body.count(said) >= 2 and 'Say "please".' in body and "Acme 'Block'" in body  # the entry and the comparison
    # none of them curled (the comparison's own sentences quote a name with curly quotes: that is the catalogue's)
    curled = "[\u201c\u201d]Acme[\u201c\u201d]|gateway\u2019s|[\u2018\u2019]Block[\u2018\u2019]|[\u201c\u201d]please"
    assert not re.search(curled, body)


ENTITY_NAME = "R&amp;D <lab> &copy; 2026"  # 559, in codes/acme.yaml
QUOTED_NAME = 'The "Acme" gateway\'s block'  # 558, in quotes.yaml
OVERRIDE_NAME = "R&amp;D <lab> *draft*"  # the built-in 550 renamed, in override.yaml


@pytest.fixture(scope="module")
def teacher_site(tmp_path_factory) -> tuple[SphinxTestApp, str, Path]:
    """One teacher's site with the generated pages and three codes files of its own (a name with entity references,
    one with straight quotes, a built-in code renamed): its app, its warnings and its source folder. Built once for
    the tests below, each of which reads its own code's pages."""
    from .conftest import own_codes_yaml

    def codes(code: str, name: str, **kw: bool) -> str:
        return own_codes_yaml(code, {"name": name, "description": "Made up.", "when": "Never.", "fix": "Nothing."},
                              {"name": name, "description": "Bịa ra.", "when": "Không.", "fix": "Không."}, **kw)

    tmp_path = tmp_path_factory.mktemp("teacher")
    files = {"codes/acme.yaml": codes("559", ENTITY_NAME), "quotes.yaml": codes("558", QUOTED_NAME),
             "override.yaml": codes("550", OVERRIDE_NAME, override=True)}
    app, warnings = build(tmp_path, {**files, "index.md": '# Home\n\nA "hand-written" page.\n'},
                          CONF + f"smtpteach_codes_files = {list(files)!r}\nsmtpteach_generate_pages = True\n")
    return app, warnings, tmp_path / "src"


def test_a_teacher_s_code_page_shows_its_name_as_written_and_names_the_file_to_edit(teacher_site):
    """An entity reference in a name is text, as the directive body shows it: not decoded in the generated heading,
    title or index link. The page's first line sends the reader to the teacher's codes file, not to smtpteach/data."""
    import html

    name = ENTITY_NAME
    app, warnings, src = teacher_site
    assert "WARNING" not in warnings, warnings
    page = (app.outdir / "reference" / "codes" / "559.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1>(.*?)<a class=\"headerlink\"", page).group(1)
    assert html.unescape(h1) == f"SMTP 559 {name}"
    assert html.unescape(re.search(r"<title>(.*?)</title>", page).group(1)).startswith(f"SMTP 559 {name}")
    index = html.unescape((app.outdir / "reference" / "index.html").read_text(encoding="utf-8"))
    assert f">559 {name}</span></a>" in index
    # the teacher's code names the teacher's file; a built-in code the package's data
    first = (src / "reference" / "codes" / "559.md").read_text(encoding="utf-8").splitlines()[0]
    assert first == "<!-- generated by smtpteach.sphinx from the catalogue: edit codes/acme.yaml, not this file -->"
    assert "edit smtpteach/data, not this file" in (src / "reference" / "codes" / "551.md").read_text(encoding="utf-8")
    assert "edit override.yaml, not this file" in (src / "reference" / "codes" / "550.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("listed", [False, True])
def test_generated_pages_build_without_a_warning_whether_the_site_lists_their_indexes_or_not(listed, request):
    """The how-to's site (its own home, generated pages) builds clean under -W: the generated indexes and the second
    language's home are orphans where no toctree lists them (the teacher's site), and stay in the navigation where
    one does (the how-to's own)."""
    app, warnings = request.getfixturevalue("listed_site")[:2] if listed else request.getfixturevalue("teacher_site")[:2]
    assert "WARNING" not in warnings, warnings
    for doc in ("reference/index", "compare/index", "vi/index"):
        assert ("orphan" in app.env.metadata[doc]) is not listed, doc
    home = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert ('href="reference/index.html"' in home) is listed


def test_a_generated_page_keeps_the_straight_quotes_of_its_heading(teacher_site):
    """A teacher's name with straight quotes is the page's title: curled there, it would differ from the same name in
    the directive's summary under it, the CLI and the widgets. A hand-written page is Sphinx's to curl, as ever."""
    import html

    name = QUOTED_NAME
    app, _, _ = teacher_site
    page = (app.outdir / "reference" / "codes" / "558.html").read_text(encoding="utf-8")
    assert html.unescape(re.search(r"<h1>(.*?)<a class=\"headerlink\"", page).group(1)) == f"SMTP 558 {name}"
    assert "\u201chand-written\u201d" in (app.outdir / "index.html").read_text(encoding="utf-8")


# -- a test audit: mistakes the tests above let through ------------------------------------------------------------------
def test_a_second_codes_file_in_a_folder_is_watched_as_the_first_and_an_unchanged_site_reads_no_page_again(tmp_path):
    """A teacher keeps two codes files in a folder of the site. An edit of the second shows at the next build as an
    edit of the first does; a build with nothing edited reads no page again (a dependency noted under a name that is
    no file would have Sphinx read every page that uses the role at every build)."""
    from .conftest import own_codes_yaml

    src = tmp_path / "src"
    (src / "codes").mkdir(parents=True)
    (src / "conf.py").write_text(CONF + 'smtpteach_codes_files = ["codes/acme.yaml", "codes/beta.yaml"]\n',
                                 encoding="utf-8")
    (src / "index.md").write_text("# Home\n\nAcme sends {smtp}`559`, Beta {smtp}`558`.\n", encoding="utf-8")
    (src / "codes" / "acme.yaml").write_text(_own_code("Acme Block"), encoding="utf-8")

    def beta(name: str) -> str:
        return own_codes_yaml("558", {"name": name, "description": "Made up.", "when": "Never.", "fix": "Nothing."},
                              {"name": name, "description": "Bịa ra.", "when": "Không.", "fix": "Không."})

    (src / "codes" / "beta.yaml").write_text(beta("Beta Hold"), encoding="utf-8")

    def build() -> tuple[str, str]:
        app = _build_again(src, tmp_path / "out")
        return (app.outdir / "index.html").read_text(encoding="utf-8"), app.status.getvalue()

    index, _ = build()
    assert 'title="Beta Hold"' in index and 'title="Acme Block"' in index  # the role's tooltips
    _, said = build()
    assert "0 added, 0 changed, 0 removed" in said, said
    (src / "codes" / "beta.yaml").write_text(beta("Beta Long Hold"), encoding="utf-8")
    index, said = build()
    assert "0 added, 1 changed, 0 removed" in said, said
    assert 'title="Beta Long Hold"' in index and "Beta Hold" not in index


def test_a_process_that_builds_again_reads_a_codes_file_edited_to_the_same_size_or_with_its_time_kept(tmp_path):
    """sphinx-autobuild keeps one process. A one-letter fix keeps the file's size; a file copied over it with its time
    kept (cp -p, an unpacked archive) keeps its time: either way the catalogue is that of the file as it is now."""
    import os
    from types import SimpleNamespace

    from smtpteach.sphinx._roles import catalogue

    path = tmp_path / "acme.yaml"
    path.write_text(_own_code("Acme Blokc"), encoding="utf-8")
    env = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(smtpteach_codes_files=["acme.yaml"]), docname="")
    assert catalogue(env).lookup("559").name(lang="en") == "Acme Blokc"
    before = path.stat()
    path.write_text(_own_code("Acme Block"), encoding="utf-8")  # the same size, saved a second later
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert catalogue(env).lookup("559").name(lang="en") == "Acme Block"
    before = path.stat()
    path.write_text(_own_code("Acme Sender Block"), encoding="utf-8")  # another size, the same time
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert catalogue(env).lookup("559").name(lang="en") == "Acme Sender Block"


def test_a_bad_codes_file_stops_the_build_even_where_no_page_shows_a_code(tmp_path):
    """The codes file is read before any page, not when a page first uses the role: a site whose pages show no code
    (yet) still hears of the mistake, rather than building as if the file were right."""
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF + 'smtpteach_codes_files = ["acme.yaml"]\n', encoding="utf-8")
    (src / "index.md").write_text("# Home\n\nNo code on this page.\n", encoding="utf-8")
    (src / "acme.yaml").write_text(_own_code("Acme Block").replace("retry: dont-retry", "retry: later"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"ConfigError: {src / 'acme.yaml'}, entry '559', field 'retry': is 'later'" in done.stderr, done.stderr


def test_a_page_with_a_directive_curls_its_own_quotes_as_before(tmp_path):
    """Only the text a directive builds keeps its straight quotes: the teacher's own sentences around it are Sphinx's
    to curl, as on a page without one."""
    app, warnings = build(tmp_path, {"index.md": '# Home\n\nA "hand-written" line.\n\n:::{smtp-entry} 550\n'
                                                 ':part: summary\n:::\n\n:::{smtp-compare} 421 450\n:part: summary\n:::\n'})
    assert warnings == ""
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "\u201chand-written\u201d" in page, page


def test_a_teacher_s_code_page_follows_the_codes_file_as_it_is_edited(tmp_path):
    """The page generated for a teacher's code (which names their file, not smtpteach/data) is the generator's: it is
    written again when the code's name changes, and removed when the code leaves the file."""
    from types import SimpleNamespace

    from smtpteach.sphinx._pages import generate

    from .conftest import own_codes_yaml

    config = SimpleNamespace(smtpteach_codes_files=["acme.yaml"])
    app = SimpleNamespace(srcdir=str(tmp_path), env=SimpleNamespace(srcdir=str(tmp_path), config=config, docname=""))
    page = tmp_path / "reference" / "codes" / "559.md"
    (tmp_path / "acme.yaml").write_text(_own_code("Acme Block"), encoding="utf-8")
    generate(app)
    assert "# SMTP 559 Acme Block\n" in page.read_text(encoding="utf-8")
    (tmp_path / "acme.yaml").write_text(_own_code("Acme Sender Block"), encoding="utf-8")
    generate(app)
    assert "# SMTP 559 Acme Sender Block\n" in page.read_text(encoding="utf-8")
    (tmp_path / "acme.yaml").write_text(own_codes_yaml(
        "558", {"name": "Beta Hold", "description": "Made up.", "when": "Never.", "fix": "Nothing."},
        {"name": "Beta Hold", "description": "Bịa ra.", "when": "Không.", "fix": "Không."}), encoding="utf-8")
    generate(app)
    assert not page.exists() and not (tmp_path / "vi" / "reference" / "codes" / "559.md").exists()
    assert "# SMTP 558 Beta Hold\n" in (tmp_path / "reference" / "codes" / "558.md").read_text(encoding="utf-8")


def test_a_comparison_page_shows_a_teacher_s_name_for_a_code_as_written(teacher_site):
    """A teacher who renames a built-in code (override) sees the name as written in the title of its comparison pages
    too, as on its own page: not an entity decoded, nor a Markdown emphasis."""
    import html

    name = OVERRIDE_NAME
    app, warnings, src = teacher_site
    assert "WARNING" not in warnings, warnings
    title = smtpteach.compare("550", "553", catalogue=smtpteach.default_catalogue().with_file(src / "override.yaml")).title
    assert name in title
    page = (app.outdir / "compare" / "550-vs-553.html").read_text(encoding="utf-8")
    assert html.unescape(re.search(r"<h1>(.*?)<a class=\"headerlink\"", page).group(1)) == title
    assert html.unescape(re.search(r"<title>(.*?)</title>", page).group(1)).startswith(title)
