"""The Sphinx extension, built with Sphinx's own testing application into tmp_path."""

from __future__ import annotations

from pathlib import Path

from sphinx.testing.util import SphinxTestApp

CONF = '''
extensions = ["myst_parser", "smtpteach.sphinx"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
'''


def build(tmp_path: Path, pages: dict[str, str], conf: str = CONF, builder: str = "html") -> tuple[SphinxTestApp, str]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    app = SphinxTestApp(buildername=builder, srcdir=src, builddir=tmp_path / "out")
    try:
        app.build()
    finally:
        app.cleanup()
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


def test_role_links_to_generated_pages_and_unknown_codes_warn(tmp_path):
    conf = CONF + "smtpteach_generate_pages = True\n"
    index = "# Home\n\nSee {smtp}`550`.\n\n```{toctree}\nreference/index\ncompare/index\nvi/index\n```\n"
    app, warnings = build(tmp_path, {"index.md": index}, conf)
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


def test_extension_is_parallel_safe():
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
