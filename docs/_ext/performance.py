"""The Performance page: the latest benchmarks/results.json as a table and a chart.

``make bench`` writes the results; this directive reads them at build time.
The chart is a small inline SVG (every text in it escaped); the table is plain
docutils nodes.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

VERDICT = {True: "within budget", False: "over budget", None: "reported"}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"


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


def _chart(results: list[dict]) -> str:
    judged = [r for r in results if r.get("budget_used") is not None]
    bar_h, gap, left, width = 18, 6, 260, 360
    height = len(judged) * (bar_h + gap) + 30
    scale = width / 2.0  # 200 % of the budget fills the width
    parts = [f'<svg class="smtpteach-chart" role="img" viewBox="0 0 {left + width + 70} {height}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-label="Share of each budget used">',
             "<title>Share of each budget used (100 % is the budget)</title>"]
    for i, r in enumerate(judged):
        y = 10 + i * (bar_h + gap)
        used = max(0.0, r["budget_used"])
        colour = "#1a7f37" if r["passed"] else "#cf222e"
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" font-size="12" fill="currentColor">{escape(r["name"])}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{min(used, 2.0) * scale:.1f}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{left + min(used, 2.0) * scale + 4:.1f}" y="{y + 13}" font-size="12" fill="currentColor">{used * 100:.0f} %</text>')
    x100 = left + scale
    parts.append(f'<line x1="{x100}" y1="0" x2="{x100}" y2="{height - 14}" stroke="currentColor" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x100}" y="{height - 2}" text-anchor="middle" font-size="11" fill="currentColor">budget</text>')
    parts.append("</svg>")
    return "\n".join(parts)


class BenchmarkResults(SphinxDirective):
    required_arguments = 1  # path to results.json, relative to this document

    def run(self) -> list[nodes.Node]:
        rel, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(rel)
        try:
            report = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise self.error(f"benchmark-results: cannot read {self.arguments[0]}: {exc}") from None
        results = report["results"]
        machine = report.get("machine", {})
        out: list[nodes.Node] = []
        where = ", ".join(f"{k}: {v}" for k, v in machine.items() if v)
        out.append(nodes.paragraph(text=f"Measured on {where}." + (" (A smoke run: too small to judge budgets.)" if report.get("smoke") else "")))
        judged = [r for r in results if r["passed"] is not None]
        out.append(nodes.paragraph(text=f"{sum(1 for r in judged if r['passed'])} of {len(judged)} budgeted figures are within budget."))
        out.append(nodes.raw("", _chart(results), format="html"))
        rows = [[r["name"], _fmt(r["ours"], r["unit"]), _fmt(r["baseline"], r["unit"]),
                 "–" if r["ratio"] is None else f"{r['ratio']:.2f}x", r["budget"], VERDICT[r["passed"]], r.get("note", "")]
                for r in results]
        out.append(_table(rows, ["figure", "ours", "baseline", "ratio", "budget", "result", "how"]))
        return out


def setup(app):
    app.add_directive("benchmark-results", BenchmarkResults)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
