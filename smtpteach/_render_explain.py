"""Text, Markdown and HTML for an Explanation (used by smtpteach.render)."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from .render import _md


def _labels(x: Any) -> dict[str, str]:
    """The labels of the explanation's own catalogue (a user's catalogue may word them)."""
    return x._catalogue.ui(lang=x.lang)["explain_labels"]


def _rows(x: Any) -> list[tuple[str, str]]:
    lab = _labels(x)
    permanent = lab["permanent_yes"] if x.permanent else lab["permanent_no"] if x.permanent is False else lab["permanent_unknown"]
    if x.permanent is False and x.reason == "expired":  # a temporary class, and yet no retry comes: say both
        permanent = lab.get("permanent_no_expired", permanent)
    if x.retry in ("not-needed", "continue"):  # a success or a step of the dialogue: no failure to be permanent
        permanent = lab.get("permanent_no_failure", permanent)
    rows = [
        (lab["basic"], x.basic.code if x.basic else lab["none"]),
        (lab["enhanced"], x.enhanced.code if x.enhanced else lab["none"]),
        (lab["permanent"], permanent),
        (lab["reason"], f"{x.reason_name} ({x.reason})"),
        # no rule or code named the reason: the reason model did, from these words
        *([(lab.get("evidence", "evidence"), ", ".join(x.evidence))] if x.evidence else []),
        (lab["retry"], x.retry_text),
        (lab["actor"], x.actor_text),
    ]
    for entry in x.entries:
        rows.append((entry.key, entry.name(lang=x.lang)))
    return rows


def text(x: Any) -> str:
    out = [x.summary, ""]
    out += [f"{label}: {value}" for label, value in _rows(x)]
    return "\n".join(out) + "\n"


def markdown(x: Any) -> str:
    lab = _labels(x)
    out = [f"**{_md(lab['input'])}:**", "", *_fenced(x.text.strip()), "", _md(x.summary), ""]
    out += [f"- **{_md(label)}:** {_md(value)}" for label, value in _rows(x)]
    return "\n".join(out) + "\n"


def _fenced(text: str) -> list[str]:
    """The pasted text as a fenced code block, where Markdown reads nothing as
    markup, link or HTML. The fence is longer than any run of backticks inside,
    so no line of the text can close it, and the text is split only where
    CommonMark ends a line (not at U+2028 or a form feed, as str.splitlines would).

    >>> _fenced("550 <b>x</b> ```")
    ['````text', '550 <b>x</b> ```', '````']
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *re.split(r"\r\n|\r|\n", text), fence]


def html(x: Any) -> str:
    lab = _labels(x)
    e = lambda s: escape(str(s), quote=True)  # noqa: E731
    out = [f'<section class="smtpteach-explanation" data-reason="{e(x.reason)}" lang="{e(x.lang)}">',
           f'<p class="smtpteach-input-label">{e(lab["input"])}</p>',
           f'<pre class="smtpteach-input">{e(x.text)}</pre>',
           f'<p class="smtpteach-summary">{e(x.summary)}</p>', '<dl class="smtpteach-facts">']
    out += [f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in _rows(x)]
    out.append("</dl></section>")
    return "\n".join(out) + "\n"
