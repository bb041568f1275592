"""A smoke run of every benchmark at tiny size: each figure is produced and well formed.

Budgets are judged by the full run (make bench), not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_runs_at_tiny_size(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    names = [r["name"] for r in report["results"]]
    assert len(names) == len(set(names)) >= 6
    for r in report["results"]:
        # tiny runs are noisy: an "added ms" can come out below zero; only the shape is checked
        assert isinstance(r["ours"], (int, float)), r
        assert r["passed"] is None and r["smoke"] is True
        assert r["budget"]
        assert r["name"] in proc.stdout
    assert report["machine"]["cores"] and report["machine"]["python"]
    held = report["accuracy"]["held_back"]  # the held-back share, with its interval over publishers around it
    assert held["interval"][0] <= held["share"] <= held["interval"][1]
    assert report["accuracy"]["interval_draws"] == _blind().INTERVAL_DRAWS  # what the Performance page says it drew


def test_instruction_counts_refuse_bad_rounds_and_a_missing_valgrind(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "benchmarks.instructions", "--rounds", "0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--rounds must be at least 1, not 0" in bad.stderr
    # a PATH with python but no valgrind: one line, exit status 2, no traceback
    (tmp_path / "python").symlink_to(sys.executable)
    none = subprocess.run([sys.executable, "-m", "benchmarks.instructions"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={"PATH": str(tmp_path)})
    assert none.returncode == 2
    assert none.stderr.strip() == "python -m benchmarks.instructions: valgrind is not installed (apt-get install valgrind)"


# -- the blind readers (benchmarks/blind-readers.tsv) ------------------------------------------------------

def _blind():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks import accuracy

    return accuracy


def test_every_blind_reading_names_a_corpus_row_whose_text_is_unchanged():
    from ._corpus import load

    accuracy = _blind()
    entries = accuracy.load_blind(load()[1])
    assert len(entries) == 400 and len({id(e.row) for e in entries}) == 400
    assert sum(e.row.source.held_back for e in entries) == 260
    # the readers disagree now and then, and are unsure more often: the file is no copy of one column
    assert 0 < sum(e.a != e.b for e in entries) < 40
    assert 100 < sum(not e.a_sure for e in entries) < 300


def test_every_second_reading_names_a_row_of_the_third_fresh_batch_whose_text_is_unchanged():
    from ._corpus import load

    accuracy = _blind()
    entries = accuracy.load_second_reader(load()[1])
    assert len(entries) == 165 and len({id(row) for row, *_ in entries}) == 165
    # the batch's 22 publishers, 59 of its rows held back
    assert len({row.source.id for row, *_ in entries}) == 22 and sum(row.source.held_back for row, *_ in entries) == 59
    # the reader disagrees with the batch's labeller now and then, and is unsure of many: no copy of the labels
    assert 0 < sum(reason != row.reason for row, reason, _ in entries) < 40
    assert 40 < sum(not sure for *_, sure in entries) < 120


def test_a_second_reading_with_two_readers_columns_fails_naming_the_file_and_line(tmp_path):
    import hashlib
    from types import SimpleNamespace

    row = SimpleNamespace(source=SimpleNamespace(id="s-src", held_back=False), number=1, text="550 No such user",
                          reason="userunknown")
    path = tmp_path / "second.tsv"
    digest = hashlib.sha256(b"550 No such user").hexdigest()[:12]
    path.write_text(f"s-src:1\t{digest}\tuserunknown\tsure\n", encoding="utf-8")
    assert _blind().load_second_reader([row], path) == [(row, "userunknown", True)]
    path.write_text(f"s-src:1\t{digest}\tuserunknown\tsure\tuserunknown\tsure\n", encoding="utf-8")
    with pytest.raises(ValueError) as error:
        _blind().load_second_reader([row], path)
    assert str(error.value) == "second.tsv, line 1: 6 tab-separated fields, expected 4"


@pytest.mark.parametrize("line, message", [
    ("x:1\tabc\tuserunknown\tsure\tuserunknown", "line 2: 5 tab-separated fields, expected 6"),
    ("nosuch-src:1\tabc\tuserunknown\tsure\tuserunknown\tsure", "line 2: no corpus row 'nosuch-src:1'"),
    ("s-src:1\t000000000000\tuserunknown\tsure\tuserunknown\tsure",
     "line 2: the text of s-src:1 is no longer the one the readers read"),
    ("s-src:1\t{digest}\tnobody\tsure\tuserunknown\tsure", "line 2: 'nobody' is not a reason of Sisimai 5's vocabulary"),
    ("s-src:1\t{digest}\tuserunknown\tsure\tuserunknown\tyes", "line 2: 'yes' is neither 'sure' nor 'unsure'"),
    ("s-src:1\t{digest}\tuserunknown\tsure\tuserunknown\tsure\ns-src:1\t{digest}\tmailboxfull\tsure\tuserunknown\tsure",
     "line 3: row 's-src:1' again"),
])
def test_a_bad_blind_reading_fails_naming_the_file_and_line(tmp_path, line, message):
    import hashlib
    from types import SimpleNamespace

    accuracy = _blind()
    row = SimpleNamespace(source=SimpleNamespace(id="s-src", held_back=False), number=1, text="550 No such user",
                          reason="userunknown")
    path = tmp_path / "readers.tsv"
    path.write_text("# a comment\n" + line.format(digest=hashlib.sha256(b"550 No such user").hexdigest()[:12]) + "\n")
    with pytest.raises(ValueError) as error:
        accuracy.load_blind([row], path)
    assert str(error.value) == f"readers.tsv, {message}"


@pytest.mark.parametrize("pairs, value", [
    ([("a", "a"), ("b", "b")], 1.0),
    ([("a", "b"), ("b", "a")], -1.0),
    # observed 3/4; by chance (2*1 + 2*3) / 16 = 1/2; kappa (3/4 - 1/2) / (1 - 1/2)
    ([("x", "x"), ("x", "y"), ("y", "y"), ("y", "y")], 0.5),
    ([("a", "a"), ("a", "a")], None), ([], None),
])
def test_cohens_kappa(pairs, value):
    assert _blind().kappa(pairs) == value


def test_agreement_counts_per_reason_per_labeller_and_confusions():
    from types import SimpleNamespace

    accuracy = _blind()
    rows = [SimpleNamespace(reason="blocked", label="sisimai"), SimpleNamespace(reason="blocked", label="project"),
            SimpleNamespace(reason="suspend", label="sisimai"), SimpleNamespace(reason="suspend", label="source")]
    got = accuracy.agreement(rows, ["blocked", "spamdetected", "suspend", "blocked"])
    assert (got["rows"], got["right"], got["share"]) == (4, 2, 0.5)
    assert got["per_reason"] == {"blocked": {"right": 1, "rows": 2}, "suspend": {"right": 1, "rows": 2}}
    assert got["by_label"] == {"project": {"right": 0, "rows": 1}, "sisimai": {"right": 2, "rows": 2},
                               "source": {"right": 0, "rows": 1}}
    assert got["confusion"] == [{"label": "blocked", "answer": "spamdetected", "rows": 1},
                                {"label": "suspend", "answer": "blocked", "rows": 1}]
    with pytest.raises(ValueError):  # one answer per row
        accuracy.agreement(rows, ["blocked"])


def test_blind_agreement_counts_the_rows_the_readers_agree_on():
    from types import SimpleNamespace

    accuracy = _blind()

    def entry(label, a, b, a_sure=True, b_sure=True):
        return accuracy.BlindRow(SimpleNamespace(reason=label), a, a_sure, b, b_sure)

    entries = [entry("blocked", "blocked", "blocked"),  # all agree
               entry("rejected", "blocked", "blocked", b_sure=False),  # the label differs; one reader unsure
               entry("blocked", "blocked", "rejected"),  # the readers differ: left out
               entry("suspend", "userunknown", "userunknown")]
    got = accuracy.blind_agreement(entries, ["blocked", "blocked", "blocked", "suspend"])
    assert got == {"rows": 4, "readers_agree": 3, "kappa": got["kappa"], "label": 1, "answer": 2,
                   "sure": 2, "label_sure": 1, "answer_sure": 1}
    with pytest.raises(ValueError):  # one answer per reading
        accuracy.blind_agreement(entries, ["blocked"])


def test_the_performance_page_gives_the_blind_readers_figures_the_file_gives():
    # the prose of "How good are the labels?" in both languages, against the readings and the corpus labels
    from ._corpus import load

    accuracy = _blind()
    held = [e for e in accuracy.load_blind(load()[1]) if e.row.source.held_back]
    got = accuracy.blind_agreement(held, [e.row.reason for e in held])  # the labels in place of explain()
    agree, label, sure, label_sure = got["readers_agree"], got["label"], got["sure"], got["label_sure"]
    assert (agree, label, sure, label_sure) == (249, 219, 159, 154)  # the file as read; changed on purpose only
    en = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    vi = (ROOT / "docs" / "vi" / "performance.md").read_text(encoding="utf-8")
    assert (f"On the {agree} held-back rows where the two\n  readers name one reason, the corpus label names it too "
            f"on {label} ({label / agree:.0%})") in en
    assert f"On the {sure} of those\n  where both readers were sure, it does on {label_sure} ({label_sure / sure:.0%})" in en
    assert f"Trong {agree} dòng của phần giữ riêng" in vi and f"ở {label} dòng\n  ({label / agree:.0%})" in vi
    assert f"Riêng {sure} dòng mà cả hai người đều chắc chắn, nhãn trùng ở {label_sure} dòng ({label_sure / sure:.0%})" in vi
    assert "400 dòng chọn ngẫu\nnhiên (260 dòng ở phần giữ riêng, 140 dòng ở phần phát triển)" in vi
    assert "Each read 400 rows drawn at random (260 held\nback, 140 from the development part)" in en


def test_the_performance_page_gives_the_size_of_sisimai_s_samples_the_corpus_holds():
    """The section on Sisimai's own samples, in both languages, against the corpus: how many rows came from Sisimai's
    collection besides the first 89 (set-of-emails-tests), and how the split put them."""
    from ._corpus import collector, load

    rows = [r for r in load()[1] if collector(r.source.id) == "sisimai" and r.source.id != "set-of-emails-tests"]
    held = sum(r.source.held_back for r in rows)
    added, dev = len(rows), len(rows) - held
    en = " ".join((ROOT / "docs" / "performance.md").read_text(encoding="utf-8").split())
    vi = " ".join((ROOT / "docs" / "vi" / "performance.md").read_text(encoding="utf-8").split())
    assert f"the corpus did not have: {added} more rows" in en and f"{dev} rows are development rows and {held} are held back" in en
    assert f"agreed with 210 of the {dev} development rows" in en and f"81 of the {held} held-back ones" in en
    assert f"chưa có: thêm {added} dòng" in vi and f"{dev} dòng thuộc phần phát triển, {held} dòng thuộc phần giữ riêng" in vi
    assert f"210 trong {dev} dòng của phần phát triển" in vi and f"81 trong {held} dòng của phần giữ riêng" in vi


def _rows(*spec):
    """Fake corpus rows: (source id, label) pairs."""
    from types import SimpleNamespace

    return [SimpleNamespace(source=SimpleNamespace(id=source), reason=label) for source, label in spec]


def test_the_interval_resamples_publishers_not_rows():
    accuracy = _blind()
    # twenty rows, half of them right. As two publishers (one always right, one always wrong), a sample holds both
    # (0.5) or one of them twice (0 or 1), so the middle 95% runs from 0 to 1; as twenty publishers of a row each, the
    # shares of the samples gather around 0.5
    answers = ["blocked"] * 10 + ["userunknown"] * 10
    together = _rows(*[("good-src" if i < 10 else "bad-issues", "blocked") for i in range(20)])
    assert accuracy.interval(together, answers) == (0.0, 1.0)
    apart = _rows(*[(f"p{i}-src", "blocked") for i in range(20)])
    low, high = accuracy.interval(apart, answers)
    assert 0.2 <= low < 0.5 < high <= 0.8


def test_the_interval_is_deterministic_and_brackets_the_share():
    accuracy = _blind()
    rows = _rows(*[(f"p{i % 7}-src", "blocked") for i in range(40)])
    answers = ["blocked" if i % 3 else "suspend" for i in range(40)]
    first = accuracy.interval(rows, answers)
    assert first == accuracy.interval(rows, answers)
    share = sum(a == r.reason for r, a in zip(rows, answers)) / len(rows)
    assert first[0] <= share <= first[1]
    # one publisher, or all right: every draw gives the same share
    assert accuracy.interval(_rows(("one-src", "blocked"), ("one-issues", "suspend")), ["blocked", "x"]) == (0.5, 0.5)
    assert accuracy.interval(rows, [r.reason for r in rows]) == (1.0, 1.0)
    assert accuracy.interval([], []) is None
    with pytest.raises(ValueError):  # one answer per row
        accuracy.interval(rows, answers[:-1])


def test_a_lesson_run_in_jupyterlite_is_compared_output_by_output():
    from benchmarks.lite import WIDGET_VIEW, _whole_figure, comparable

    # streams: one text whatever the parts (JupyterLite and nbformat cut them differently); an error by its name
    assert comparable([{"output_type": "stream", "name": "stdout", "text": ["S: 220 mx\n", "C: EHLO"]},
                       {"output_type": "stream", "name": "stdout", "text": "\nS: 250 ok\n"},
                       {"output_type": "error", "ename": "LabError", "evalue": "x", "traceback": []}]) == [
        {"stream": "S: 220 mx\nC: EHLO\nS: 250 ok\n"}, {"error": "LabError"}]
    # a picture's SVG is compared whole; a widget's view without its model's id, but with everything else
    svg = {"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<svg>", "</svg>"]}}
    assert comparable([svg]) == [{"data": {"text/html": "<svg></svg>"}}]
    view = {"model_id": "a1", "version_major": 2, "version_minor": 0}
    live = {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "Box()", WIDGET_VIEW: view}}
    stored = {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "Box()",
                                                                    WIDGET_VIEW: {**view, "model_id": "b2"}}}
    assert comparable([live]) == comparable([stored])
    assert comparable([live]) != comparable([{**stored, "data": {**stored["data"], "text/plain": "VBox()"}}])
    # the figure: every linked lesson must run whole, and the note names those that do not
    ok = _whole_figure([("en", "02", True, 9, 0, 11.0), ("vi", "02", True, 9, 0, 12.0)])
    assert (ok["ours"], ok["baseline"], ok["passed"]) == (2, 2, True) and ok["note"].endswith("all of them")
    bad = _whole_figure([("en", "02", True, 9, 0, 11.0), ("vi", "05", False, 13, 2, 30.0)])
    assert (bad["ours"], bad["passed"]) == (1, False) and bad["note"].endswith("not: vi/05 (2 of 13 cells differ)")


# -- the widget pages beside themselves without widgets (benchmarks/figures.py) --------------------------------------

def test_the_page_without_widgets_keeps_every_script_but_the_widgets_own(tmp_path):
    _blind()  # puts the repository on the path
    from benchmarks.figures import _without_widgets

    page = tmp_path / "lessons" / "06.html"
    page.parent.mkdir()
    page.write_text('<head><script src="../_static/jquery.js?v=1"></script>\n'
                    '<script defer="defer" src="../_static/smtpteach-widgets.js?v=2"></script>\n'
                    '<script defer="defer" src="../_static/smtpteach/data-en.28e4.js?v=3"></script>\n'
                    '<script defer="defer" src="../_static/smtpteach/explain.85e7.js?v=4"></script>\n'
                    '<script src="../_static/smtpteach/theme.8a85.js"></script>\n'
                    '<script type="application/vnd.jupyter.widget-state+json">{}</script></head><p>text</p>',
                    encoding="utf-8")
    copy = _without_widgets(tmp_path, "lessons/06.html")
    assert copy == "lessons/06.without-widgets.html" and page.read_text(encoding="utf-8").count("<script") == 6
    kept = (tmp_path / copy).read_text(encoding="utf-8")
    assert kept == ('<head><script src="../_static/jquery.js?v=1"></script>\n'
                    '<script src="../_static/smtpteach/theme.8a85.js"></script>\n'
                    '<script type="application/vnd.jupyter.widget-state+json">{}</script></head><p>text</p>')
    # a page that loads no widget is no widget page: measuring it against itself would say nothing
    plain = tmp_path / "plain.html"
    plain.write_text('<script src="_static/jquery.js"></script>', encoding="utf-8")
    with pytest.raises(RuntimeError, match="loads no widget script"):
        _without_widgets(tmp_path, "plain.html")
