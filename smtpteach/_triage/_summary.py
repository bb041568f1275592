"""What a triage found, as counters: the summary's data, which the renderers (``_render_triage``) show."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .._errors import InvalidArgumentError, InvalidTypeError
from ._base import Record, _Note, _Problem

# Each failing reason keeps exact counts for at most this many receiving domains; attempts to
# further domains are counted together under "other domains" (so the totals stay exact).
DOMAINS_PER_REASON = 10_000


class Summary:
    """What a triage found, as counters: attempts by reason (with the retry advice and who
    acts), by status, the receiving domains of each failing reason, and what was not
    recognised. ``str(summary)`` is the plain-text table in the triage's language.
    """

    def __init__(self, lang: str, catalogue: Any):
        self.lang = lang
        self._catalogue = catalogue
        self.records = 0
        # (reason, retry, actor, note) -> attempts; a note (greylisting) is a row of its own, said in its own words
        self.by_reason: Counter[tuple[str, str, str, str | None]] = Counter()
        self.by_status: Counter[str] = Counter()
        self.by_kind: Counter[str] = Counter()
        # receiving domains by family: (reason, note), so that greylisting's domains are not a block's
        self._domains: dict[tuple[str, str | None], Counter[str]] = {}
        self._other_domains: Counter[tuple[str, str | None]] = Counter()
        self.unrecognised = 0
        self.other_lines = 0
        self.refused_incoming = 0  # of other_lines: this server's refusals of mail coming in
        self._problems: list[_Problem] = []  # the inputs that could not be read
        self._notes: list[_Note] = []  # what the reader did that changes the counts (an input named twice read once)

    def _add(self, r: Record) -> None:
        self.records += 1
        self.by_reason[(r.reason, r.retry, r.actor, r.note)] += 1
        self.by_status[r.status] += 1
        self.by_kind[r.kind] += 1
        if r.reason != "delivered" and r.status != "delivered":
            family = (r.reason, r.note)
            counts = self._domains.get(family)
            if counts is None:
                counts = self._domains[family] = Counter()
            domain = r.domain or ""
            if domain in counts or len(counts) < DOMAINS_PER_REASON:
                counts[domain] += 1
            else:
                self._other_domains[family] += 1

    def reasons(self) -> list[tuple[str, str, str, int, str | None]]:
        """(reason, retry, actor, attempts, note), most attempts first; ``note`` is None unless the replies
        name a family within the reason (greylisting within blocked)."""
        return [(reason, retry, actor, n, note) for (reason, retry, actor, note), n in
                sorted(self.by_reason.items(), key=lambda kv: (-kv[1], kv[0][:3], kv[0][3] or ""))]

    def reason_totals(self) -> list[tuple[str, int]]:
        """(reason, attempts) summed over the retry advice, most first."""
        totals: Counter[str] = Counter()
        for (reason, _, _, _), n in self.by_reason.items():
            totals[reason] += n
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))

    def family_totals(self) -> list[tuple[str, str | None, int]]:
        """(reason, note, attempts) summed over the retry advice, most first: a family a rule names within
        its reason (greylisting within blocked) counted apart from the rest of that reason, as the chart
        shows it, since a greylisted attempt passes on its next retry and a block does not."""
        totals: Counter[tuple[str, str]] = Counter()
        for (reason, _, _, note), n in self.by_reason.items():
            totals[(reason, note or "")] += n
        return [(reason, note or None, n) for (reason, note), n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def failing(self) -> int:
        """The attempts that did not deliver (a message relayed on, or expanded to a list's members, is no failure)."""
        return self.records - sum(self.by_status.get(s, 0) for s in ("delivered", "relayed", "expanded"))

    def top_domains(self, n: int = 5) -> dict[str, list[tuple[str, int]]]:
        """For each failing reason (most attempts first), its ``n`` receiving domains with the
        most attempts; "" stands for attempts with no domain, and "*" for the domains past
        the per-reason limit of tracked domains."""
        _check_top(n)
        out: dict[str, list[tuple[str, int]]] = {}
        for reason, _ in self.reason_totals():
            families = [family for family in self._domains if family[0] == reason]
            counts: Counter[str] = sum((self._domains[f] for f in families), Counter())
            if counts:
                out[reason] = self._top(counts, sum(self._other_domains[f] for f in families), n)
        return out

    def family_domains(self, n: int = 5) -> list[tuple[str, str | None, list[tuple[str, int]]]]:
        """As :meth:`top_domains`, for each family of a failing reason as :meth:`family_totals` counts them: the
        domains that greylist are not listed among those that block. (reason, note, domains), most attempts first."""
        _check_top(n)
        return [(reason, note, self._top(self._domains[(reason, note)], self._other_domains[(reason, note)], n))
                for reason, note, _ in self.family_totals() if self._domains.get((reason, note))]

    @staticmethod
    def _top(counts: Counter[str], other: int, n: int) -> list[tuple[str, int]]:
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
        return top + [("*", other)] if other else top

    def as_dict(self, top: int = 5) -> dict[str, Any]:
        """The summary as plain data (what ``--format html`` and the table show)."""
        return {
            "records": self.records, "failing": self.failing,
            "reasons": [{"reason": a, "note": note, "retry": b, "actor": c, "attempts": n}
                        for a, b, c, n, note in self.reasons()],
            "statuses": dict(sorted(self.by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
            "kinds": dict(sorted(self.by_kind.items())),
            "top_domains": {k: [{"domain": d, "attempts": n} for d, n in v] for k, v in self.top_domains(top).items()},
            "unrecognised": self.unrecognised, "other_lines": self.other_lines,
            "refused_incoming": self.refused_incoming, "problems": list(self.problems), "notes": list(self.notes),
        }

    def ui(self) -> dict[str, Any]:
        return self._catalogue.ui(lang=self.lang)

    @property
    def problems(self) -> list[str]:
        """The inputs that could not be read, "source: what was wrong", in English."""
        return [f"{p.source}: {p.message}" for p in self._problems]

    def problem_lines(self) -> list[str]:
        """The inputs that could not be read, "source: what was wrong", in the summary's language."""
        return [f"{p.source}: {p.text(self.lang, self._catalogue)}" for p in self._problems]

    @property
    def notes(self) -> list[str]:
        """What the reader did that changes the counts, "source: what it did" (or what it did, about no one input), in
        English: an input named twice and read once, a failure both a log and a bounce told and counted once."""
        return [f"{n.source}: {n.message}" if n.source else n.message for n in self._notes]

    def note_lines(self) -> list[str]:
        """:attr:`notes` in the summary's language."""
        return [f"{n.source}: {n.text(self.lang, self._catalogue)}" if n.source else n.text(self.lang, self._catalogue)
                for n in self._notes]

    def to_text(self, top: int = 5) -> str:
        """The plain-text table in the triage's language (``str(summary)`` with 5 domains)."""
        from .._render_triage import text

        return text(self, top=top)

    def __str__(self) -> str:
        return self.to_text()

    def to_html(self, top: int = 5) -> str:
        """One self-contained HTML page: the table and a bar chart of the reasons (inline SVG, no network)."""
        from .._render_triage import html

        return html(self, top=top)

    def svg(self) -> str:
        """The bar chart of the reasons as an inline SVG element (the one in :meth:`to_html`): the
        same bytes for the same summary, text kept as text, named for screen readers. In a
        notebook: ``IPython.display.HTML(summary.svg())``."""
        from .._render_triage import svg

        return svg(self)

    def plot(self, ax: Any = None) -> Any:
        """A horizontal bar chart of the attempts by reason, drawn with matplotlib; returns the Axes."""
        from .._render_triage import plot

        return plot(self, ax=ax)

    def __repr__(self) -> str:
        return f"Summary(records={self.records}, failing={self.failing}, unrecognised={self.unrecognised})"


def _check_top(n: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidTypeError(f"the number of domains shown per reason must be a whole number of at least 1, not {n!r}")
    if n < 1:
        raise InvalidArgumentError(f"the number of domains shown per reason must be a whole number of at least 1, not {n!r}")
