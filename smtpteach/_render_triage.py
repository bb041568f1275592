"""The triage summary as text, as one self-contained HTML page, and as a bar chart (SVG, or on matplotlib's axes).

Presentation only: the counts come from :class:`smtpteach._triage.Summary`, the words
from the language data (``ui.triage``, ``ui.reasons``, ``ui.retry``, ``ui.actor``).
"""

from __future__ import annotations

import html as _html
from typing import Any

from ._explain import reason_words
from ._templates import fill
from ._terminal import escaped

__all__ = ["text", "html", "plot", "svg"]


def _labels(summary: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    ui = summary.ui()
    return ui, ui["triage"]


def _one(key: str, summary: Any) -> str:
    """The key of a title, in its form for one attempt when the summary counts one ("1 delivery attempt")."""
    return f"{key}_one" if summary.records == 1 else key


def _reason_label(ui: dict[str, Any], reason: str, note: str | None = None) -> str:
    """"Sending host blocked (blocked)", or a family's own name within its reason: "Greylisted (blocked)"."""
    return f"{reason_words(ui, reason, note)['name']} ({reason})"


def _n(t: dict[str, Any], count: int) -> str:
    """A count as the summary's language writes it, its thousands set apart (808,822 in English, 808.822 in
    Vietnamese): the table and the report are read by people; JSON and CSV keep the bare number for programs.

    >>> _n({"thousands": "."}, 808822), _n({"thousands": ","}, 999)
    ('808.822', '999')
    """
    return f"{count:,}".replace(",", t["thousands"]) if count >= 1000 else str(count)


# the words of each breakdown of the failing reasons' attempts (Summary.BREAKDOWNS): its heading, its column in the
# report, what stands for attempts that name none ("") and for those past the limit ("*")
_BREAKDOWN_WORDS = {"domain": ("domains_heading", "domain", "no_domain", "other_domains"),
                    "sender": ("senders_heading", "sender", "no_sender", "other_senders"),
                    "relay": ("relays_heading", "relay", "no_relay", "other_relays")}


def _name_label(t: dict[str, Any], by: str, name: str) -> str:
    """A name in a breakdown's rows, or the words for none (""), for the ones past the limit ("*") and, among the
    senders, for the null sender ("<>")."""
    _, _, none, other = _BREAKDOWN_WORDS[by]
    if name == "":
        return t[none]
    if name == "*":
        return t[other]
    return t["null_sender"] if by == "sender" and name == "<>" else name


def _breakdowns(summary: Any, by: Any) -> list[str]:
    """The breakdowns to show: those asked for (``by``, in the order of BREAKDOWNS), or by default the receiving
    domains always and the senders and remote hosts when a failing attempt names one (a file of replies names
    neither, and a section of "(no sender given)" rows alone would say nothing)."""
    from ._triage._summary import BREAKDOWNS, _check_breakdowns

    if by is not None:
        return _check_breakdowns(by)
    return [b for b in BREAKDOWNS if b == "domain" or summary._names(b)]


def _statuses(summary: Any, t: dict[str, Any]) -> str:
    parts = sorted(summary.by_status.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{t['status'].get(s, s)} {_n(t, n)}" for s, n in parts)


def _outcome_rows(summary: Any, t: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(outcome, its label, recipients) for each row of what became of the recipients: delivered in the end and of
    those after a delay, lost and still pending always; handed on and not known only when some were."""
    o = summary.outcomes
    return [(k, t["outcome"][k], o[k]) for k in ("delivered", "after_delay", "lost", "pending", "handed_on", "unknown")
            if o[k] or k not in ("handed_on", "unknown")]


def _outcomes_heading(summary: Any, t: dict[str, Any]) -> str:
    n = summary.outcomes["recipients"]
    return fill(t["outcomes_heading_one" if n == 1 else "outcomes_heading"], {"count": _n(t, n)})


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    """The rows in columns, each cell as a terminal shows it (a log's domain with an ESC in it as \\x1b, _terminal),
    so that the column after a cell the command line would escape still lines up.

    >>> _table([["ex\\x1bample.org", "1"], ["example.net", "12"]], {1})
    ['ex\\\\x1bample.org   1', 'example.net      12']
    """
    rows = [[escaped(cell) for cell in row] for row in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells).rstrip())
    return out


def text(summary: Any, top: int = 5, by: Any = None) -> str:
    """The summary as a plain-text table: what became of the recipients, attempts by reason, the top receiving
    domains, senders and remote hosts of each failing reason (``by``: which of them; see :func:`_breakdowns`), and
    what was not recognised."""
    ui, t = _labels(summary)
    shown = _breakdowns(summary, by)
    lines = [fill(t[_one("title", summary)], {"records": _n(t, summary.records)})]
    if summary.records:
        lines.append(f"{t['statuses']}: {_statuses(summary, t)}")
        lines += ["", _outcomes_heading(summary, t)]
        lines += _table([["  " + label if key == "after_delay" else label, _n(t, n)]
                         for key, label, n in _outcome_rows(summary, t)], {1})
        if summary.outcomes["without_queue_id"]:
            lines.append(fill(t["without_queue_id"], {"count": _n(t, summary.outcomes["without_queue_id"])}))
        lines += ["", t["reasons_heading"]]
        rows = [[t["reason"], t["attempts"], t["retry"], t["actor"]]]
        rows += [[_reason_label(ui, reason, note), _n(t, n), ui["retry"][retry], ui["actor"][actor]]
                 for reason, retry, actor, n, note in summary.reasons()]
        lines += _table(rows, {1})
        for b in shown:
            lines += ["", t[_BREAKDOWN_WORDS[b][0]]]
            families = summary._family_tops(b, top)
            if not families:
                lines.append(t["no_failures"])
            for reason, note, names in families:
                lines.append(_reason_label(ui, reason, note))
                lines += ["  " + line for line in _table([[_name_label(t, b, d), _n(t, n)] for d, n in names], {1})]
    else:
        lines.append(t["nothing"])
    lines += ["", fill(t["unrecognised"], {"count": _n(t, summary.unrecognised)}),
              fill(t["other_lines"], {"count": _n(t, summary.other_lines)})]
    if summary.refused_incoming:
        lines.append("  " + fill(t["refused_incoming"], {"count": _n(t, summary.refused_incoming)}))
    if summary.problems:
        lines.append(fill(t["problems"], {"count": _n(t, len(summary.problems))}))
        lines += ["  " + p for p in summary.problem_lines()]
    if summary.notes:
        lines.append(fill(t["notes"], {"count": _n(t, len(summary.notes))}))
        lines += ["  " + n for n in summary.note_lines()]
    return "\n".join(lines)


def _draw(summary: Any, ax: Any) -> Any:
    ui, t = _labels(summary)
    totals = summary.family_totals()  # greylisted apart from blocked: it passes on the next retry
    names = [_reason_label(ui, reason, note) for reason, note, _ in totals][::-1]
    counts = [n for _, _, n in totals][::-1]
    colours = ["#4c9a52" if reason == "delivered" else "#c4512d" for reason, _, _ in totals][::-1]
    bars = ax.barh(range(len(counts)), counts, color=colours)
    ax.set_yticks(range(len(counts)), names)
    ax.bar_label(bars, labels=[_n(t, c) for c in counts], padding=3)
    ax.set_xlabel(t["chart_label"])
    ax.set_title(t["chart_title"])
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    return ax


def plot(summary: Any, ax: Any = None) -> Any:
    """Draw the attempts by reason as horizontal bars on ``ax`` (a new figure when None); return the Axes."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 0.45 * max(len(summary.by_reason), 2) + 1.2), layout="constrained")
    return _draw(summary, ax)


SVG_CLASS = "smtpteach-triage-chart"
_INK, _MUTED, _RULE = "#1a1a1a", "#595959", "#8c8c8c"
_DELIVERED, _FAILED = "#4c9a52", "#c4512d"


def _step(top: int) -> int:
    """The gap between the axis's ticks: 1, 2 or 5 times a power of ten, for at most six steps up to ``top``.

    >>> [_step(n) for n in (1, 6, 7, 13, 40, 61, 1234)]
    [1, 1, 2, 5, 10, 20, 500]
    """
    power = 1
    while True:
        for k in (1, 2, 5):
            if top <= 6 * k * power:
                return k * power
        power *= 10


def svg(summary: Any) -> str:
    """The attempts by reason as horizontal bars, an SVG element to inline in a page or a notebook:
    the same bytes for the same summary, drawn with no plotting library, text kept as text (measured
    with DejaVu's widths), its style sheet scoped to the picture, named for screen readers by its
    title, and no reference outside itself."""
    from . import _svg

    ui, t = _labels(summary)
    totals = summary.family_totals()  # greylisted apart from blocked: it passes on the next retry
    names = [_reason_label(ui, reason, note) for reason, note, _ in totals]
    width, size, row = 540.0, 9.0, 24.0
    if not totals:  # no attempt: the chart says so, in the reader's language, instead of drawing no bar
        c = _svg.Canvas(width, 60, ink=_INK)
        c.text(width / 2, 20, t["chart_title"], size=12, weight="bold", ha="center")
        c.text(width / 2, 44, t["cli_nothing"], size=size, color=_MUTED, ha="center")
        return _svg.svg(c, css_class=SVG_CLASS, label=t["chart_title"])
    label_w = min(max(_svg.text_width(n, size) for n in names), width * 0.55)
    left, right = 12 + label_w + 8, width - 48
    top = 34.0
    height = top + row * max(len(totals), 2) + 44
    most = max(n for _, _, n in totals)
    step = _step(most)
    scale = (right - left) / (-(-most // step) * step)  # the last tick at the right end of the axis
    c = _svg.Canvas(width, height, ink=_INK)
    c.text(width / 2, 20, t["chart_title"], size=12, weight="bold", ha="center")
    for i, ((reason, _, n), name) in enumerate(zip(totals, names)):
        y = top + row * i
        c.rect(left, y + 4, n * scale, row - 8, fill=_DELIVERED if reason == "delivered" else _FAILED)
        c.text(left - 6, y + row / 2 + 3.2, _svg.fit(name, label_w, size), size=size, ha="right")
        c.text(left + n * scale + 3, y + row / 2 + 3.2, _n(t, n), size=8.5, color=_MUTED)
    axis = top + row * max(len(totals), 2)
    c.line([left, left], [top, axis], color=_RULE, lw=0.8)
    c.line([left, right], [axis, axis], color=_RULE, lw=0.8)
    for tick in range(0, -(-most // step) * step + 1, step):  # up to the first tick at or past the biggest count
        x = left + tick * scale
        c.line([x, x], [axis, axis + 4], color=_RULE, lw=0.8)
        c.text(x, axis + 14, _n(t, tick), size=8, color=_MUTED, ha="center")
    c.text((left + right) / 2, axis + 32, t["chart_label"], size=size, ha="center")
    return _svg.svg(c, css_class=SVG_CLASS, label=t["chart_title"])


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; max-width: 60rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.8rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 1.5rem; } figure svg { max-width: 100%; height: auto; }
"""


def html(summary: Any, top: int = 5, by: Any = None) -> str:
    """One self-contained HTML page: the summary tables and a bar chart of the reasons. No
    script, no style sheet, no font, no image that is not in the page (an empty icon, so that a
    browser does not ask the server for /favicon.ico); every string that the page did not write
    itself is escaped (a sender's address and a host's name are whatever the log says)."""
    e = _html.escape
    ui, t = _labels(summary)
    shown = _breakdowns(summary, by)
    title = fill(t[_one("html_title", summary)], {"records": _n(t, summary.records)})
    heading = fill(t[_one("title", summary)], {"records": _n(t, summary.records)})
    out = [f'<!DOCTYPE html>\n<html lang="{e(summary.lang)}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(title)}</title>\n'
           '<link rel="icon" href="data:,">\n'
           f"<style>{_STYLE}</style>\n</head>\n<body>\n<h1>{e(heading)}</h1>"]
    if summary.records:
        out.append(f"<p>{e(t['statuses'])}: {e(_statuses(summary, t))}</p>")
        out.append(f"<h2>{e(_outcomes_heading(summary, t))}</h2>\n<table>\n<thead><tr><th>{e(t['outcome_column'])}</th>"
                   f"<th>{e(t['recipients'])}</th></tr></thead>\n<tbody>")
        out += [f'<tr data-outcome="{key}"><td>{"&emsp;" if key == "after_delay" else ""}{e(label)}</td>'
                f'<td class="n">{_n(t, n)}</td></tr>' for key, label, n in _outcome_rows(summary, t)]
        out.append("</tbody>\n</table>")
        if summary.outcomes["without_queue_id"]:
            out.append(f"<p>{e(fill(t['without_queue_id'], {'count': _n(t, summary.outcomes['without_queue_id'])}))}</p>")
        out.append(f'<figure aria-label="{e(t["chart_title"])}">{svg(summary)}</figure>')
        out.append(f"<h2>{e(t['reasons_heading'])}</h2>\n<table>\n<thead><tr><th>{e(t['reason'])}</th>"
                   f"<th>{e(t['attempts'])}</th><th>{e(t['retry'])}</th><th>{e(t['actor'])}</th></tr></thead>\n<tbody>")
        for reason, retry, actor, n, note in summary.reasons():
            out.append(f'<tr data-reason="{e(reason)}"><td>{e(_reason_label(ui, reason, note))}</td><td class="n">{_n(t, n)}</td>'
                       f"<td>{e(ui['retry'][retry])}</td><td>{e(ui['actor'][actor])}</td></tr>")
        out.append("</tbody>\n</table>")
        for b in shown:
            heading, column, _, _ = _BREAKDOWN_WORDS[b]
            out.append(f"<h2>{e(t[heading])}</h2>")
            families = summary._family_tops(b, top)
            if not families:
                out.append(f"<p>{e(t['no_failures'])}</p>")
            for reason, note, names in families:
                out.append(f"<h3>{e(_reason_label(ui, reason, note))}</h3>\n<table>\n<thead><tr><th>{e(t[column])}</th>"
                           f"<th>{e(t['attempts'])}</th></tr></thead>\n<tbody>")
                out += [f'<tr><td>{e(_name_label(t, b, d))}</td><td class="n">{_n(t, n)}</td></tr>' for d, n in names]
                out.append("</tbody>\n</table>")
    else:
        out.append(f"<p>{e(t['nothing'])}</p>")
    out.append(f"<p>{e(fill(t['unrecognised'], {'count': _n(t, summary.unrecognised)}))}<br>\n"
               f"{e(fill(t['other_lines'], {'count': _n(t, summary.other_lines)}))}"
               + (f"<br>\n{e(fill(t['refused_incoming'], {'count': _n(t, summary.refused_incoming)}))}"
                  if summary.refused_incoming else "") + "</p>")
    if summary.problems:
        out.append(f"<p>{e(fill(t['problems'], {'count': _n(t, len(summary.problems))}))}</p>\n<ul>")
        out += [f"<li>{e(p)}</li>" for p in summary.problem_lines()]
        out.append("</ul>")
    if summary.notes:
        out.append(f"<p>{e(fill(t['notes'], {'count': _n(t, len(summary.notes))}))}</p>\n<ul>")
        out += [f"<li>{e(n)}</li>" for n in summary.note_lines()]
        out.append("</ul>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)
