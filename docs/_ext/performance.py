"""The Performance page: the latest benchmarks/results.json as a table and a chart.

``make bench`` writes the results; this directive reads them at build time.
The chart is a small inline SVG (every text in it escaped); the table is plain
docutils nodes. ``:lang: vi`` writes the headers, labels and sentences in
Vietnamese (default ``en``). The figures' names, budgets and notes are written
by the benchmarks, in English, with their figures in them; on a page in another
language each is looked up by its wording with every figure taken out (any run of
characters that holds a digit), in ``performance.<lang>.yaml`` beside this file,
and written with the same figures put back in that language's wording.
"""

from __future__ import annotations

import functools
import json
import re
from html import escape
from pathlib import Path

import yaml

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

# The words the directive writes, per language (``:lang:``). The figures' own
# names, budgets and notes come from results.json, in English; say() gives them
# in the page's language.
TEXT: dict[str, dict] = {
    "en": {
        "verdict": {True: "within budget", False: "over budget", None: "reported"},
        "header": ["figure", "ours", "baseline", "ratio", "budget", "result", "how"],
        "machine": {},
        "measured": "Measured on {where}.",
        "smoke": " (A smoke run: too small to judge budgets.)",
        "within": "{ok} of {judged} budgeted figures are within budget.",
        "chart_label": "Share of each budget used",
        "chart_title": "Share of each budget used (100 % is the budget)",
        "chart_budget": "budget",
        "thousands": ",",
        "decimal": ".",
        "acc_intro": ("Reason agreement on real replies: {sources} public sources, {held} of them held back "
                      "(no rule is written from them). Per reason, the rows explain() names as labelled:"),
        "acc_header": ["reason", "development", "held back", "Sisimai, held back"],
        "acc_confusion": "Most frequent disagreements on the held-back part (label → answer):",
        "acc_confusion_header": ["label", "explain() says", "rows"],
        "acc_skipped": "Sisimai was skipped: {why}.",
        "acc_interval": ("On other publishers like the held-back ones, the figure would move. Drawing the held-back "
                         "publishers again {draws} times (a project or a site is one publisher, and its rows go together), "
                         "95% of the draws give explain() between {lo} and {hi} ({share} here)."),
        "acc_interval_sisimai": " For Sisimai, between {lo} and {hi}.",
        "label_intro": ("The same agreement by who gave the label: Sisimai's own test tables (the issue measured its "
                        "first figures on such rows), the page the reply comes from, or this project's judgement:"),
        "label_header": ["labelled by", "development", "held back", "Sisimai, held back"],
        "label_kinds": {"sisimai": "Sisimai's tests", "source": "the source", "project": "this project"},
        "blind_intro": ("Two readers labelled {rows} of these rows again, each alone and from the reply's text only, "
                        "not knowing the label or explain()'s answer (benchmarks/blind-readers.tsv). On the rows where "
                        "the two agree, how many the corpus label and explain() name as they do:"),
        "blind_header": ["part", "rows read", "readers agree (kappa)", "corpus label", "explain()",
                         "both readers sure: label / explain()"],
        "blind_parts": {"development": "development", "held_back": "held back"},
        "second_reader": ("A fresh batch of {rows} replies from publishers nobody had read was labelled twice, each time "
                          "from the text alone: by the helper that gathered it, and again by a second reader "
                          "(benchmarks/second-reader.tsv). The two agree on {agree} rows, and explain() names the reason "
                          "they agree on for {answer} of them; for {answer_sure} of the {sure} the second reader was "
                          "sure of. On the whole batch, explain() agrees with its label on {answer_all} of {rows}."),
    },
    "vi": {
        "verdict": {True: "trong ngưỡng", False: "vượt ngưỡng", None: "chỉ để tham khảo"},
        "header": ["hạng mục", "đo được", "mốc so sánh", "tỷ lệ", "ngưỡng", "kết quả", "cách đo"],
        "machine": {"python": "Python", "implementation": "bản cài đặt", "system": "hệ thống",
                    "cpu": "CPU", "cores": "số nhân", "memory": "bộ nhớ"},
        "measured": "Môi trường đo: {where}.",
        "smoke": " (Đây chỉ là lượt chạy thử cỡ nhỏ, không đủ để đánh giá theo ngưỡng.)",
        "within": "Trong {judged} hạng mục có đặt ngưỡng, {ok} hạng mục nằm trong ngưỡng.",
        "chart_label": "Mức dùng ngưỡng của từng hạng mục",
        "chart_title": "Mức dùng ngưỡng của từng hạng mục (100 % là chạm ngưỡng)",
        "chart_budget": "ngưỡng",
        "thousands": ".",
        "decimal": ",",
        "acc_intro": ("Mức trùng khớp về nguyên nhân trên các phản hồi thật: {sources} nguồn công khai, trong đó "
                      "{held} nguồn được giữ riêng (không quy tắc nào được viết dựa trên chúng). Theo từng nguyên nhân, "
                      "số dòng mà explain() gọi đúng như nhãn:"),
        "acc_header": ["nguyên nhân", "phần phát triển", "phần giữ riêng", "Sisimai, phần giữ riêng"],
        "acc_confusion": "Những chỗ lệch hay gặp nhất ở phần giữ riêng (nhãn → câu trả lời):",
        "acc_confusion_header": ["nhãn", "explain() trả lời", "số dòng"],
        "acc_skipped": "Không chạy được Sisimai: {why}.",
        "acc_interval": ("Trên các phản hồi từ những dự án và trang web khác, cùng loại với phần giữ riêng, con số này sẽ "
                         "xê dịch. Lấy mẫu lại phần giữ riêng {draws} lần theo từng dự án hay trang web (mọi dòng của "
                         "cùng một dự án hay trang web được lấy cùng nhau), thì ở 95% số lần, kết quả của explain() nằm "
                         "trong khoảng từ {lo} đến {hi} (con số đo được ở đây: {share})."),
        "acc_interval_sisimai": " Với Sisimai, khoảng này là từ {lo} đến {hi}.",
        "label_intro": ("Mức trùng khớp trên, chia theo người gán nhãn: bảng kiểm thử của chính Sisimai (các con số "
                        "đầu tiên của issue được đo trên những dòng như vậy), trang đăng phản hồi đó, hoặc nhận "
                        "định của dự án này:"),
        "label_header": ["người gán nhãn", "phần phát triển", "phần giữ riêng", "Sisimai, phần giữ riêng"],
        "label_kinds": {"sisimai": "kiểm thử của Sisimai", "source": "trang nguồn", "project": "dự án này"},
        "blind_intro": ("Hai người đọc đã gán nhãn lại {rows} dòng trong số này, mỗi người làm riêng và chỉ dựa vào "
                        "nội dung phản hồi, không biết nhãn sẵn có cũng như câu trả lời của explain() "
                        "(benchmarks/blind-readers.tsv). Trên những dòng mà hai người chọn cùng một nguyên nhân, số dòng "
                        "mà nhãn của bộ dữ liệu và explain() gọi giống họ:"),
        "blind_header": ["phần", "số dòng đã đọc", "hai người trùng nhau (kappa)", "nhãn của bộ dữ liệu", "explain()",
                         "cả hai đều chắc chắn: nhãn / explain()"],
        "blind_parts": {"development": "phần phát triển", "held_back": "phần giữ riêng"},
        "second_reader": ("Một đợt {rows} phản hồi mới, lấy từ những nơi chưa ai trong dự án đọc qua, được gán nhãn hai "
                          "lần, mỗi lần chỉ dựa vào nội dung phản hồi: lần đầu do chính người thu thập, lần sau do một "
                          "người đọc thứ hai (benchmarks/second-reader.tsv). Hai người chọn cùng một nguyên nhân ở {agree} "
                          "dòng, và explain() gọi đúng nguyên nhân đó ở {answer} dòng; trong {sure} dòng mà người đọc "
                          "thứ hai chắc chắn thì đúng {answer_sure} dòng. Trên cả đợt, explain() trùng với nhãn ở "
                          "{answer_all} trên {rows} dòng."),
    },
}


# A figure inside a benchmark's own words: any run of characters holding a digit
# ("1383", "95%", "75.2-80.9%", "lessons/01-anatomy-of-a-reply.html", "1.15x").
_FIGURE = re.compile(r"[\w./:%^-]*\d[\w./:%^-]*")
# A figure that is a number (or a range of two) and not a version such as 4.2.5:
# written with the page's decimal mark.
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?[%x]?")


@functools.cache
def wording(lang: str) -> dict[str, str]:
    """The benchmarks' English wordings (figures as ``{}``) and each one's
    wording in ``lang`` (figures as ``{0}``, ``{1}``, ... in the English order)."""
    path = Path(__file__).with_name(f"performance.{lang}.yaml")
    return {item["en"]: item[lang] for item in yaml.safe_load(path.read_text(encoding="utf-8"))}


def say(value: str, lang: str) -> str:
    """A benchmark's name, budget or note in the page's language, its figures
    kept; as written (English) when ``performance.<lang>.yaml`` has no wording
    for it, which the tests do not let happen for the results committed."""
    if lang == "en" or not value:
        return value
    template = wording(lang).get(_FIGURE.sub("{}", value))
    if template is None:
        return value
    text = TEXT[lang]
    figures = [f.translate(str.maketrans({".": text["decimal"]})) if _NUMBER.fullmatch(f) else f
               for f in _FIGURE.findall(value)]
    return template.format(*figures)


def _fmt(value: float | None, unit: str, text: dict = TEXT["en"]) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        number = f"{value:,.0f}"
    else:
        number = f"{value:.3g}"
    if text["thousands"] != "," or text["decimal"] != ".":
        number = number.translate(str.maketrans({",": text["thousands"], ".": text["decimal"]}))
    return f"{number} {unit}"


def _ratio(value: float | None, text: dict = TEXT["en"]) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}x".replace(".", text["decimal"])


def _table(rows: list[list[str]], header: list[str]) -> nodes.table:
    table = nodes.table(classes=["smtpteach-benchmarks"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    thead = nodes.thead()
    group += thead
    tbody = nodes.tbody()
    group += tbody
    for target, cells in ((thead, [header]), (tbody, rows)):
        for cells_row in cells:
            row = nodes.row()
            for cell in cells_row:
                entry = nodes.entry()
                entry += nodes.paragraph(text=cell)
                row += entry
            target += row
    return table


def _chart(results: list[dict], text: dict = TEXT["en"], lang: str = "en") -> str:
    judged = [r for r in results if r.get("budget_used") is not None]
    bar_h, gap, left, width = 18, 6, 260, 360
    height = len(judged) * (bar_h + gap) + 30
    scale = width / 2.0  # 200 % of the budget fills the width
    parts = [f'<svg class="smtpteach-chart" role="img" viewBox="0 0 {left + width + 70} {height}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(text["chart_label"])}">',
             f"<title>{escape(text['chart_title'])}</title>"]
    for i, r in enumerate(judged):
        y = 10 + i * (bar_h + gap)
        used = max(0.0, r["budget_used"])
        colour = "#1a7f37" if r["passed"] else "#cf222e"
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" font-size="12" fill="currentColor">{escape(say(r["name"], lang))}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{min(used, 2.0) * scale:.1f}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{left + min(used, 2.0) * scale + 4:.1f}" y="{y + 13}" font-size="12" fill="currentColor">{used * 100:.0f} %</text>')
    x100 = left + scale
    parts.append(f'<line x1="{x100}" y1="0" x2="{x100}" y2="{height - 14}" stroke="currentColor" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x100}" y="{height - 2}" text-anchor="middle" font-size="11" fill="currentColor">{escape(text["chart_budget"])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


class BenchmarkResults(SphinxDirective):
    """``benchmark-results PATH`` with ``:lang:`` (default en) for the words around the figures."""

    required_arguments = 1  # path to results.json, relative to this document
    option_spec = {"lang": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        lang = self.options.get("lang", "en").strip() or "en"
        if lang not in TEXT:
            raise self.error(f"benchmark-results: unknown lang {lang!r}; the languages are {', '.join(TEXT)}")
        text = TEXT[lang]
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        if lang != "en":
            self.env.note_dependency(str(Path(__file__).with_name(f"performance.{lang}.yaml")))
        try:
            report = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self.error(f"benchmark-results: cannot read {self.arguments[0]}: {exc}") from None
        results = report["results"]
        machine = report.get("machine", {})
        out: list[nodes.Node] = []
        where = ", ".join(f"{text['machine'].get(k, k)}: {v}" for k, v in machine.items() if v)
        out.append(nodes.paragraph(text=text["measured"].format(where=where) + (text["smoke"] if report.get("smoke") else "")))
        judged = [r for r in results if r["passed"] is not None]
        out.append(nodes.paragraph(text=text["within"].format(ok=sum(1 for r in judged if r["passed"]), judged=len(judged))))
        out.append(nodes.raw("", _chart(results, text, lang), format="html"))
        rows = [[say(r["name"], lang), _fmt(r["ours"], r["unit"], text), _fmt(r["baseline"], r["unit"], text),
                 _ratio(r["ratio"], text), say(r["budget"], lang), text["verdict"][r["passed"]], say(r.get("note", ""), lang)]
                for r in results]
        out.append(_table(rows, text["header"]))
        if report.get("accuracy"):
            out += _accuracy(report["accuracy"], text, lang)
        return out


def _accuracy(acc: dict, text: dict, lang: str = "en") -> list[nodes.Node]:
    """Agreement per reason on both parts, beside Sisimai, and the held-back part's confusions."""
    def cell(part: dict, key: str, by: str = "per_reason") -> str:
        got = (part.get(by) or {}).get(key)
        return f"{got['right']}/{got['rows']}" if got else "–"

    dev, held, sis = acc["development"], acc["held_back"], acc.get("sisimai", {})
    out: list[nodes.Node] = [nodes.paragraph(text=text["acc_intro"].format(sources=acc["sources"], held=acc["held_back_sources"]))]
    reasons = sorted(set(dev.get("per_reason", {})) | set(held.get("per_reason", {})))
    rows = [[r, cell(dev, r), cell(held, r), cell(sis, r) if "per_reason" in sis else "–"] for r in reasons]
    rows.append(["=", f"{dev['right']}/{dev['rows']}", f"{held['right']}/{held['rows']}",
                 f"{sis['right']}/{sis['rows']}" if "right" in sis else "–"])
    out.append(_table(rows, text["acc_header"]))
    if held.get("interval") and acc.get("interval_draws"):  # a results.json older than the interval has neither
        def pct(share: float) -> str:  # one decimal, in the page's own decimal mark
            return f"{100 * share:.1f} %".replace(".", text["decimal"])

        said = text["acc_interval"].format(draws=_fmt(acc["interval_draws"], "", text).strip(), lo=pct(held["interval"][0]),
                                           hi=pct(held["interval"][1]), share=pct(held["share"]))
        if sis.get("interval"):
            said += text["acc_interval_sisimai"].format(lo=pct(sis["interval"][0]), hi=pct(sis["interval"][1]))
        out.append(nodes.paragraph(text=said))
    if "skipped" in sis:
        out.append(nodes.paragraph(text=text["acc_skipped"].format(why=say(sis["skipped"], lang))))
    if "by_label" in held:  # a results.json older than the labellers' split has none
        kinds = sorted(set(dev.get("by_label", {})) | set(held["by_label"]))
        out.append(nodes.paragraph(text=text["label_intro"]))
        out.append(_table([[text["label_kinds"].get(k, k), *(cell(part, k, "by_label") for part in (dev, held, sis))]
                           for k in kinds], text["label_header"]))
    confusion = held.get("confusion", [])[:15]
    if confusion:
        out.append(nodes.paragraph(text=text["acc_confusion"]))
        out.append(_table([[c["label"], c["answer"], str(c["rows"])] for c in confusion], text["acc_confusion_header"]))
    blind = acc.get("blind_readers")
    if blind:
        out.append(nodes.paragraph(text=text["blind_intro"].format(rows=sum(part["rows"] for part in blind.values()))))
        out.append(_table([[text["blind_parts"][name], str(part["rows"]),
                            f"{part['readers_agree']} ({_fmt(part['kappa'], '', text).strip()})",
                            f"{part['label']}/{part['readers_agree']}", f"{part['answer']}/{part['readers_agree']}",
                            f"{part['label_sure']}/{part['sure']} · {part['answer_sure']}/{part['sure']}"]
                           for name, part in blind.items()], text["blind_header"]))
    second = acc.get("second_reader")
    if second:  # a results.json older than the second reader has none
        out.append(nodes.paragraph(text=text["second_reader"].format(**second)))
    return out


def setup(app):
    app.add_directive("benchmark-results", BenchmarkResults)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
