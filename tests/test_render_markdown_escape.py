"""Markdown output carries no markup it did not write (issue 18, item 4).

Every string that smtpteach's Markdown templates did not write themselves (catalogue
prose, a user's codes, labels, filled sentences, pasted text) is rendered through real
CommonMark renderers: markdown-it-py as CommonMark, with tables, GFM-like (tables,
strikethrough and linkify) and as the site's MyST reads Markdown. The HTML is read back
with html.parser and compared with the same template filled with a plain word: the
elements and attributes must be the same, in the same order, and the text a reader sees
must be the plain rendering with the word replaced by the string, whitespace runs shown
as one space (as HTML shows them). Pasted text, which sits in a fence, must come back
verbatim, line by line.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import io
import re
from contextlib import redirect_stdout
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from smtpteach import cli, compare, default_catalogue, explain, make_quiz, render
from smtpteach.render import _md, _md_url
from .test_render import foreign_markup, parse

# -- renderers and reading their HTML back -----------------------------------------

RENDERERS = {
    "commonmark": MarkdownIt("commonmark"),
    "tables": MarkdownIt("commonmark").enable("table"),
    "gfm-like": MarkdownIt("gfm-like"),  # tables, strikethrough, linkify (bare www., http://, example.com, a@b.c)
    # the extensions docs/conf.py enables, plus dollarmath: Markdown pasted into the site, or a notebook
    "myst": create_md_parser(MdParserConfig(enable_extensions={"colon_fence", "deflist", "attrs_block",
                                                               "attrs_inline", "dollarmath"}), RendererHTML),
}


class _Reading(HTMLParser):
    """The markup of an HTML fragment as a list (tags with their attributes, comments,
    declarations) and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markup: list[tuple] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.markup.append((tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.markup.append((tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.markup.append(("/" + tag,))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.markup.append(("<!--", data))

    def handle_decl(self, decl):
        self.markup.append(("<!", decl))

    def handle_pi(self, data):
        self.markup.append(("<?", data))

    def unknown_decl(self, data):
        self.markup.append(("<![", data))


def read(markdown: str, renderer: str) -> tuple[list[tuple], str]:
    reading = _Reading()
    reading.feed(RENDERERS[renderer].render(markdown))
    reading.close()
    return reading.markup, "".join(reading.text)


def shown(s: str) -> str:
    """What a reader sees of ``s`` in running text: whitespace runs as one space, the
    ends trimmed, and NUL as U+FFFD (CommonMark's own replacement)."""
    return " ".join(s.replace("\0", "\ufffd").split())


PLAIN = "Plainword"


def assert_only_template_markup(plain_md: str, hostile_md: str, s: str, *, where: str = "") -> None:
    """``hostile_md`` is ``plain_md`` with ``s`` wherever ``PLAIN`` was: through every
    renderer it has the same elements and attributes, and reads as ``s``."""
    assert PLAIN in plain_md
    for name in RENDERERS:
        plain_markup, plain_text = read(plain_md, name)
        markup, text = read(hostile_md, name)
        assert markup == plain_markup, f"{where} [{name}] {s!r} changed the markup:\n{hostile_md}"
        assert text == plain_text.replace(PLAIN, shown(s)), f"{where} [{name}] {s!r} reads differently:\n{hostile_md}"


# -- hostile strings -------------------------------------------------------------

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script> and <b onmouseover=alert(2)>bold</b>",
    '<a href="javascript:alert(3)">click</a>',
    "[x](javascript:alert(1))",
    "![i](x) and ![alt][ref] and [ref]",
    "*em* and __strong__ and _em_ and **strong** and ***both***",
    "`code` and ``two `ticks` `` and ```three```",
    "```\nfenced\n```",
    "~~~\nfenced\n~~~",
    "# heading",
    "###### small heading ###",
    "> quote",
    ">> nested quote",
    "1. list",
    "2) list",
    "123456789. list",
    "- item",
    "+ item",
    "* item",
    "---",
    "===",
    "***",
    "___",
    "- - -",
    "<http://evil.example/x>",
    "<mailto:bob@evil.example>",
    "<bob@evil.example>",
    "www.evil.example",
    "see http://evil.example/x and https://evil.example",
    "mail bob@evil.example or evil.example.",
    "&lt;script&gt; &amp; &#60;b&#62; &#x3C;i&#x3E; &copy;",
    "first line\n# heading\n> quote\n\n- item\n\n    indented code\n1. one",
    "a line  \nhard break and a backslash\\\nbreak",
    "a | b\n--|--\nc | d",
    "| a | b |\n|---|---|",
    "~~strike~~ and ~one~",
    "$x^2$ and $$math$$",
    "[ref]: http://evil.example",
    "footnote[^1]",
    ":::{raw} html\n<b>x</b>\n:::",
    "term\n: definition",
    "(target)=",
    "% a MyST comment",
    "{#id .cls}",
    "{.cls}",
    "{key=value}",
    "[link]{.cls}",
    "\\*not em\\* and \\\\ and a trailing backslash \\",
    "x <!-- comment --> y",
    "<?php echo 1; ?>",
    "<![CDATA[x]]>",
    "<!DOCTYPE html>",
    "</p></li></ul><div>",
    "1.5 million",
    "5.1.1 and X.7.x and 7.x",
    "-",
    "!",
    "a!",
    "trailing hash #",
    "=",
    "\t\u00a0 spaced \u3000 out \x0b",
    "nul\0byte",
]


def test_every_hostile_string_reads_as_written_and_adds_no_markup():
    # each string alone on a line (after a blank line, and right after a paragraph's line, where
    # blocks start), after a bold label in a list item, as ordered items, in a heading, in a table cell
    for s in HOSTILE:
        assert_only_template_markup(f"intro\n\n{PLAIN}\n", f"intro\n\n{_md(s)}\n", s)
        assert_only_template_markup(f"intro\n{PLAIN}\n", f"intro\n{_md(s)}\n", s)
        assert_only_template_markup(f"- **{PLAIN}:** {PLAIN}\n", f"- **{_md(s)}:** {_md(s)}\n", s)
        assert_only_template_markup(f"1. {PLAIN}\n2. {PLAIN}\n", f"1. {_md(s)}\n2. {_md(s)}\n", s)
        assert_only_template_markup(f"# SMTP {PLAIN} {PLAIN}\n", f"# SMTP {_md(s)} {_md(s)}\n", s)
        assert_only_template_markup(f"| h |\n|---|\n| {PLAIN} |\n", f"| h |\n|---|\n| {_md(s)} |\n", s)


# -- the escaping function, character by character ---------------------------------

@pytest.mark.parametrize("char", list("\\`*_[]<>&!~|$#"))
def test_each_markup_character_is_escaped_anywhere(char):
    assert _md(f"a{char}b") == f"a\\{char}b"
    assert _md(f"{char}{char}") == f"\\{char}\\{char}"


@pytest.mark.parametrize("char", list("-+=:%({"))
def test_each_block_start_character_is_escaped_at_the_start_only(char):
    assert _md(f"{char} x") == f"\\{char} x"
    assert _md(f"x {char} y") == f"x {char} y"
    assert _md(f"  \n{char}x") == f"\\{char}x"  # the start once whitespace is trimmed


@pytest.mark.parametrize("text, escaped", [
    ("1. one", "1\\. one"),
    ("1) one", "1\\) one"),
    ("12. twelve", "12\\. twelve"),
    ("1.", "1\\."),
    ("7)", "7\\)"),
    ("1.5 million", "1.5 million"),       # not a list marker: no space after the dot
    ("x 1. one", "x 1. one"),             # not at the start
    ("1x. one", "1x. one"),
    ("a) one", "a) one"),
])
def test_an_ordered_list_marker_is_escaped_at_the_start(text, escaped):
    assert _md(text) == escaped


@pytest.mark.parametrize("text, escaped", [
    ("www.example.com", "www\\.example\\.com"),
    ("http://x.example", "http\\://x\\.example"),
    ("a:/b", "a:/b"),                     # no "//" after the colon
    ("a: b", "a: b"),
    ("5.1.1", "5.1.1"),                   # a dot before a digit links nothing
    ("7.x", "7\\.x"),
    ("end. Next", "end. Next"),           # a sentence's full stop
    ("._x", ".\\_x"),                   # no letter before the dot
    ("a._b", "a.\\_b"),                   # no letter after it
    ("đ.ư", "đ\\.ư"),                     # letters beyond ASCII (IDN domains)
])
def test_the_dots_and_colons_of_bare_links_are_escaped(text, escaped):
    assert _md(text) == escaped


def test_whitespace_becomes_one_space_and_nul_the_replacement_character():
    assert _md("  a\n\n b\t\tc\r\nd \u00a0e  ") == "a b c d e"
    assert _md("a\0b") == "a\ufffdb"
    assert _md("") == ""
    assert _md(577) == "577"


def test_plain_prose_is_left_as_it_is():
    s = "Mailbox unavailable, (for example) 5.1.1; don't retry: \"quoted\" 'text' / 50% ? @ , ^ ' = + - ."
    assert _md(s) == s
    assert _md("Hộp thư không tồn tại (5.1.1).") == "Hộp thư không tồn tại (5.1.1)."


@pytest.mark.parametrize("url, written", [
    ("https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3", "https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3"),
    ("reference/codes/550.html", "reference/codes/550.html"),
    ("https://e.example/a b", "https://e.example/a%20b"),
    ("https://e.example/(x)", "https://e.example/%28x%29"),
    ("https://e.example/<x>", "https://e.example/%3Cx%3E"),
    ("https://e.example/[x]", "https://e.example/%5Bx%5D"),
    ("https://e.example/`x`", "https://e.example/%60x%60"),
    ("https://e.example/\\x", "https://e.example/%5Cx"),
    ('https://e.example/"x"', "https://e.example/%22x%22"),
    ("https://e.example/?a=1&lt;", "https://e.example/?a=1\\&lt;"),
    ("https://e.example/%41", "https://e.example/%41"),
    ("https://e.example/\nx", "https://e.example/%0Ax"),
    ("https://e.example/đ", "https://e.example/%C4%91"),
])
def test_a_link_target_is_written_so_it_cannot_end_early(url, written):
    assert _md_url(url) == written


@pytest.mark.parametrize("url", ["https://e.example/a b) [x](javascript:alert(1)) <b>",
                                 "https://e.example/?a=1&lt;script&gt;&amp;", "draft-x`y`z\\ (t) \"q\""])
@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_a_link_goes_where_its_url_says(url, renderer):
    from urllib.parse import unquote

    markup, text = read(f"- [{_md('label')}]({_md_url(url)})\n", renderer)
    anchors = [m for m in markup if m[0] == "a"]
    assert len(anchors) == 1 and text.strip() == "label"
    assert unquote(dict(anchors[0][1])["href"]) == url


# -- property: any string, in every template ------------------------------------------

# markup characters and the pieces of markup they make, mixed with any other character
_PIECES = list("\\`*_[]<>&!~|$#-+=:%(){}.;'\"/@ \n\t0123456789wxhtpamlo") + [
    "www.", "http://", "&lt;", "<b>", "](", "1. ", "\r\n", "    ", "e.com", "\0"]
TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), st.characters(codec="utf-8", exclude_categories=("Cs",))),
                max_size=30).map("".join)

# the places the templates put a string: alone on a line after a paragraph, in a list item
# after a bold label, as an ordered item, in a heading beside other words, in a table cell
# (no template writes a table today; a page that puts our text in one must stay safe)
TEMPLATES = [
    "intro\n\n{}\n",
    "intro\n{}\n",  # a line right after a paragraph's: where "===" or "---" would underline it
    "- **{0}:** {0}\n- **x:** y\n",
    "1. {0}\n2. {0}\n",
    "# SMTP {0} {0}\n\n{0}\n",
    "**a) {0}**: {0}\n",
    "- [{0}](https://e.example/)\n",
    "| h |\n|---|\n| {0} |\n",
    "{0}[more](https://e.example/)\n",  # a template's link right after the text: "!" must not make it an image
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example("\\")
@example("1. x")
@example("- x")
@example("www.e.com")
@example("a\n===")
@example("<http://e.example>")
@example("wow!")
def test_any_string_in_any_template_reads_as_written_and_adds_no_markup(s):
    if not shown(s):
        return  # nothing to show: an empty paragraph is no paragraph (the templates write one for every string)
    for template in TEMPLATES:
        assert_only_template_markup(template.format(PLAIN), template.format(_md(s)), s, where=template)


def _comparison(s: str, lang: str):
    """A real comparison with every string a template writes set to ``s``."""
    c = compare("421", "450", lang=lang)
    return dataclasses.replace(
        c, title=s, summary=s, headings={k: s for k in c.headings},
        sections=tuple(dataclasses.replace(x, code=s, name=s, description=s, when=s, fix=s) for x in c.sections),
        differences=tuple(dataclasses.replace(d, text=s) for d in c.differences), when_to_use=(s,) * len(c.when_to_use),
        learn_more=tuple(dataclasses.replace(link, label=s) for link in c.learn_more))


def _quiz(s: str, lang: str):
    """A real quiz with every question's prompt, choices and explanation set to ``s``."""
    q = make_quiz(3, seed=5, lang=lang)
    return dataclasses.replace(q, questions=tuple(
        dataclasses.replace(x, prompt=s, choices=(s,) * len(x.choices), explanation=s) for x in q.questions))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["en", "vi"]))
def test_any_string_in_a_comparison_or_a_quiz_reads_as_written_and_adds_no_markup(s, lang):
    if not shown(s):
        return
    assert_only_template_markup(render.markdown(_comparison(PLAIN, lang)), render.markdown(_comparison(s, lang)), s)
    assert_only_template_markup(render.markdown(_quiz(PLAIN, lang)), render.markdown(_quiz(s, lang)), s)


class _Worded:
    """A catalogue whose every word an explanation takes from the UI data (labels, reason
    names and texts, retry and actor advice) is ``s``; codes are looked up as usual."""

    def __init__(self, s: str):
        self.s, self.cat = s, default_catalogue()

    def ui(self, *, lang: str) -> dict:
        ui, s = dict(self.cat.ui(lang=lang)), self.s
        ui["explain_labels"] = {k: s for k in ui["explain_labels"]}
        ui["reasons"] = {k: {"name": s, "text": s} for k in ui["reasons"]}
        ui["retry"] = {k: s for k in ui["retry"]}
        ui["actor"] = {k: s for k in ui["actor"]}
        return ui

    def get(self, code):
        return self.cat.get(code)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT.map(shown), st.sampled_from(["en", "vi"]))
@example("1. *x* <b>", "en")
def test_any_words_in_an_explanation_read_as_written_and_add_no_markup(s, lang):
    if not s:
        return
    x = explain("550 5.1.1 <bob@example.org>: user unknown", lang=lang)

    def worded(words: str):
        y = copy.copy(x)
        y._catalogue, y._cache = _Worded(words), None
        return y

    assert PLAIN in worded(PLAIN).summary and s in worded(s).summary
    assert_only_template_markup(render.markdown(worded(PLAIN)), render.markdown(worded(s)), s)


@pytest.mark.parametrize("url", ["https://e.example/a b) [x](javascript:alert(1)) <b>", "draft-x`y`z\\ (t) \"q\"",
                                 "https://e.example/?a=1&lt;script&gt;&amp;", "https://e.example/\nx\n\n# h"])
def test_a_comparisons_links_go_where_their_urls_say(url):
    from urllib.parse import unquote

    c = compare("421", "450")
    plain = render.markdown(c)
    hostile = dataclasses.replace(c, learn_more=tuple(dataclasses.replace(link, url=url) for link in c.learn_more))
    for name in RENDERERS:
        markup, text = read(render.markdown(hostile), name)
        plain_markup, plain_text = read(plain, name)
        assert text == plain_text, name
        hrefs = [unquote(dict(m[1])["href"]) for m in markup if m[0] == "a"]
        assert hrefs == [url] * len(c.learn_more), name
        assert [m for m in markup if m[0] != "a"] == [m for m in plain_markup if m[0] != "a"], name


# -- pasted text: a fence it cannot leave --------------------------------------------

def _code_blocks(markdown: str, renderer: str) -> list[str]:
    """The text of each <pre><code> in the rendering."""
    class Pre(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.blocks, self.inside = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "code":
                self.blocks.append("")
                self.inside = True

        def handle_endtag(self, tag):
            if tag == "code":
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.blocks[-1] += data

    reading = Pre()
    reading.feed(RENDERERS[renderer].render(markdown))
    return reading.blocks


def _pasted_lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text.strip().replace("\0", "\ufffd"))


@settings(max_examples=60, deadline=None)
@given(TEXT)
@example("550 ```\n```\n# not a heading\n<img src=x onerror=alert(1)>")
@example("````` and ~~~\n~~~\n    indented")
@example("a\u2028b\x0cc\x85d")
def test_pasted_text_stays_in_its_fence_whatever_it_holds(s):
    if not s.strip():
        return  # explain() refuses empty text
    x = explain(s)
    md = render.markdown(x)
    for name in ("commonmark", "gfm-like", "myst"):
        blocks = _code_blocks(md, name)
        assert blocks == ["\n".join(_pasted_lines(x.text)) + "\n"], f"[{name}] the pasted text left its fence:\n{md}"
        # the one fence is the only code, and the rest reads as the same template with a plain paste
        markup, _ = read(md, name)
        plain, _ = read(render.markdown(explain("550 5.1.1 plain")), name)
        assert [m for m in markup if m[0] in {"pre", "/pre", "code", "/code"}] == \
            [m for m in plain if m[0] in {"pre", "/pre", "code", "/code"}]


@pytest.mark.parametrize("pasted, fence", [("no ticks", "```"), ("a `tick`", "```"), ("``two``", "```"),
                                           ("```", "````"), ("x ```` y ``", "`````"), ("`" * 9, "`" * 10)])
def test_the_fence_is_longer_than_any_run_of_backticks_in_the_paste(pasted, fence):
    lines = render.markdown(explain(f"550 {pasted}")).splitlines()
    assert lines[2] == fence + "text" and lines[4] == fence


def test_pasted_text_is_split_only_where_commonmark_ends_a_line():
    from smtpteach._render_explain import _fenced

    assert _fenced("a\u2028b\x0cc\x85d\r\ne\rf\ng") == ["```text", "a\u2028b\x0cc\x85d", "e", "f", "g", "```"]


# -- a user's own codes file, loaded the way the CLI loads it --------------------------

def codes_yaml(s: str) -> str:
    """A user's codes file whose every string is ``s``: a basic code 577 and an enhanced
    X.7.99 (name, description, when, fix in both languages, the registry title and the
    registry's wording of its basic codes)."""
    text = {lang: {"name": s, "description": s, "when": s, "fix": s} for lang in ("en", "vi")}
    data = {
        "schema": 1,
        "basic": {"577": {"status": "non-standard", "references": [], "commands": ["RCPT"], "retry": "dont-retry",
                          "actor": "sender-admin", "enhanced": ["5.7.99"], "text": text}},
        "enhanced": {"X.7.99": {"subject": 7, "detail": 99, "title": s, "basic_codes": ["577"], "registry_basic_text": s,
                                "references": ["RFC 3463 §3.8"], "text": text}},
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _codes_file(folder: Path, s: str) -> Path:
    path = folder / f"codes-{abs(hash(s))}.yaml"
    path.write_text(codes_yaml(s), encoding="utf-8")
    return path


def _catalogue(folder: Path, s: str):
    # what `--codes FILE` does (smtpteach.cli._catalogue)
    return default_catalogue().with_file(_codes_file(folder, s))


def _strings_of(obj) -> list[str]:
    """Every string of a comparison that the Markdown template writes."""
    out = [obj.title, obj.summary, *obj.when_to_use]
    out += [obj.headings[k] for k in ("description", "when", "fix", "differences", "which", "learn_more")]
    out += [v for x in obj.sections for v in (x.code, x.name, x.description, x.when, x.fix)]
    out += [d.text for d in obj.differences] + [link.label for link in obj.learn_more]
    return out


# prose for a codes file (the catalogue refuses "{" and "}", its templates' slot marks): each
# string is tried in every template position by the tests above; here they check that every
# field of every real template is escaped
FILE_HOSTILE = [
    "<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](x) *em* __strong__ `tick`",
    "# heading\n> quote",
    "1. list",
    "- item",
    "===",
    ":::raw html",
    "<http://evil.example> www.evil.example &lt;script&gt; | ~~s~~ $m$ trailing \\",
]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_hostile_codes_file_renders_as_written_with_no_markup_of_its_own(tmp_path, lang):
    plain = _catalogue(tmp_path, PLAIN)
    for s in FILE_HOSTILE:
        cat = _catalogue(tmp_path, s)
        for key in ("577", "X.7.99"):
            assert_only_template_markup(render.markdown(plain.lookup(key), lang=lang),
                                        render.markdown(cat.lookup(key), lang=lang), s, where=key)
        # a comparison works the prose into its sentences (the first sentence of a description,
        # say), so its text is checked string by string
        c = compare("577", "550", lang=lang, catalogue=cat)
        md = render.markdown(c)
        for name in RENDERERS:
            markup, text = read(md, name)
            assert markup == read(render.markdown(compare("577", "550", lang=lang, catalogue=plain)), name)[0], (name, s)
            missing = [x for x in _strings_of(c) if shown(x) not in text]
            assert not missing, f"[{name}] {s!r}: these do not read as written: {missing}"
        x = explain("577 5.7.99 refused", lang=lang, catalogue=cat)
        assert_only_template_markup(render.markdown(explain("577 5.7.99 refused", lang=lang, catalogue=plain)),
                                    render.markdown(x), s, where="explain")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(s=TEXT.filter(lambda s: "{" not in s and "}" not in s and s.strip()
                    # a control character is refused by the loader (tests/test_catalogue_loading.py)
                    and not re.search("[\x00-\x1f\x7f-\x9f]", " ".join(s.split()))))
def test_any_prose_in_a_codes_file_renders_as_written_with_no_markup_of_its_own(tmp_path, s):
    plain, cat = _catalogue(tmp_path, PLAIN), _catalogue(tmp_path, s)
    if not shown(cat.lookup("577").text(lang="en").name):
        return
    for lang in ("en", "vi"):
        for key in ("577", "X.7.99"):
            assert_only_template_markup(render.markdown(plain.lookup(key), lang=lang),
                                        render.markdown(cat.lookup(key), lang=lang), s, where=key)


# -- the command line ------------------------------------------------------------------

def _cli(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(list(argv)) == 0
    return out.getvalue()


HOSTILE_PROSE = ("<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](x) *em* __strong__ `tick` "
                 "<http://evil.example> www.evil.example &lt;script&gt; | ~~s~~ $m$")


def _api(command: tuple[str, ...], lang: str, cat) -> str:
    """What the Python API writes for the same command."""
    if command[0] == "show":
        return render.markdown(cat.lookup(command[1]), lang=lang)
    if command[0] == "compare":
        return render.markdown(compare(command[1], command[2], lang=lang, catalogue=cat))
    return render.markdown(explain(command[1], lang=lang, catalogue=cat))


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("command", [("show", "577"), ("show", "5.7.99"), ("compare", "577", "550"),
                                     ("explain", "577 5.7.99 refused")], ids=" ".join)
def test_the_cli_writes_a_codes_files_markup_as_text(tmp_path, lang, command):
    plain, hostile = _codes_file(tmp_path, PLAIN), _codes_file(tmp_path, HOSTILE_PROSE)
    got = _cli(*command, "--format", "markdown", "--lang", lang, "--codes", str(hostile))
    assert got == _api(command, lang, default_catalogue().with_file(hostile))
    want = _cli(*command, "--format", "markdown", "--lang", lang, "--codes", str(plain))
    for name in RENDERERS:
        markup, text = read(got, name)
        assert markup == read(want, name)[0], name
        assert HOSTILE_PROSE in text, name


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_cli_quiz_in_markdown_reads_as_the_api_writes_it(lang):
    got = _cli("quiz", "--count", "4", "--seed", "3", "--format", "markdown", "--lang", lang)
    assert got == render.markdown(make_quiz(4, seed=3, lang=lang))
    for name in RENDERERS:
        markup, text = read(got, name)
        assert {m[0] for m in markup} <= {"h1", "/h1", "h2", "/h2", "p", "/p", "ol", "/ol", "ul", "/ul", "li", "/li",
                                          "strong", "/strong"}, name


# -- HTML, with the same hostile prose ------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_html_of_the_same_hostile_prose_holds_only_the_renderers_markup(tmp_path, lang):
    # render.html escapes everything already (tests/test_render.py reads it element by element);
    # this checks it with the Markdown attacks too, read back with html.parser, no markdown-it
    for s in [*FILE_HOSTILE, HOSTILE_PROSE]:
        cat = _catalogue(tmp_path, s)
        stored = cat.lookup("577").text(lang=lang).name
        pages = {
            "577": render.html(cat.lookup("577"), lang=lang),
            "X.7.99": render.html(cat.lookup("X.7.99"), lang=lang),
            "compare": render.html(compare("577", "550", lang=lang, catalogue=cat)),
            "explain": render.html(explain(f"577 5.7.99 {s}", lang=lang, catalogue=cat)),
            "quiz": render.html(_quiz(stored, lang)),
        }
        for where, out in pages.items():
            assert foreign_markup(parse(out)) == [], (where, s)
            assert html.escape(stored, quote=True) in out, (where, s)
