"""What a terminal is given of text that came from outside (a log line, a file's name, an argument): each character
it would obey rather than show, shown as its escape."""

from __future__ import annotations

import re

# What a terminal obeys rather than shows, where a log line, a file's name or an argument would bring it: C0 but tab and
# line feed (a carriage return too, but for the CR of a CRLF), which move the cursor, retitle a window or clear the
# screen (ESC), DEL and C1, and Unicode's bidi embeddings, overrides and isolates, which make a line read backwards
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def escaped(text: str, *, json: bool = False) -> str:
    """``text`` with each character of _CONTROLS shown as its escape, as Python writes it (``\\x1b``, ``\\u202e``),
    or in JSON's own form (``\\u001b``) when ``text`` is JSON, which decodes back to the same character. Every text
    the command line writes goes through here (cli._write, cli._Stream, cli._say), and the name on triage's progress
    bar and the cells of its table (whose columns are measured on what the terminal shows): what they quote came from
    outside.

    >>> escaped("bob@ex\\x1b]0;PWN\\x07ample.org \\u202egro.elpmaxe\\tend\\r\\n")
    'bob@ex\\\\x1b]0;PWN\\\\x07ample.org \\\\u202egro.elpmaxe\\tend\\r\\n'
    >>> escaped('{"to": "a\\u0085\\x7f"}', json=True)
    '{"to": "a\\\\u0085\\\\u007f"}'
    """
    def escape(found: re.Match[str]) -> str:
        point = ord(found.group())
        return f"\\u{point:04x}" if json or point > 0xFF else f"\\x{point:02x}"

    return _CONTROLS.sub(escape, text)

