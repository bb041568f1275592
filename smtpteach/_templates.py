"""Filling the sentence templates of the language data.

A template is plain text with ``{slot}`` markers. The browser fills the same
templates with the same rule (``static/core.js``), so keep this tiny.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

__all__ = ["fill", "join_list", "SLOT_RE"]

SLOT_RE = re.compile(r"\{([a-z_]+)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace every ``{slot}``; a slot with no value is a bug in the data.

    Templates hold no braces but their ``{slot}`` markers (the catalogue's loader
    checks that), so Python's own formatter does the work, in C.

    >>> fill("{a} vs {b}", {"a": "211", "b": "550"})
    '211 vs 550'
    """
    try:
        return template.format_map(values)
    except KeyError as exc:
        raise KeyError(f"template slot {{{exc.args[0]}}} has no value in: {template}") from None


def join_list(items: Sequence[str], ui: Mapping) -> str:
    """Join items the way the language does ("A, B and C" / "A, B và C").

    >>> join_list(["MAIL", "RCPT", "DATA"], {"list": {"pair": "{first} and {last}", "many": "{items} and {last}", "separator": ", "}})
    'MAIL, RCPT and DATA'
    """
    spec = ui["list"]
    if not items:
        return ui["labels"]["none"]
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return fill(spec["pair"], {"first": items[0], "last": items[1]})
    return fill(spec["many"], {"items": spec["separator"].join(items[:-1]), "last": items[-1]})
