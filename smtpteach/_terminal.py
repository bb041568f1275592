"""What a terminal is given of text that came from outside (a log line, a file's name, an argument): each character
it would obey rather than show, shown as its escape."""

from __future__ import annotations

import json as _json
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


# what may be a character a stream's encoding lacks (ASCII it never does)
_NON_ASCII = re.compile("[^\x00-\x7f]")


def encodable(text: str, encoding: str, *, json: bool = False) -> str:
    """``text`` as a stream in ``encoding`` takes it: a character the encoding lacks as its escape, as Python writes
    it (``\\xe0``, ``\\u1ed9``), or in JSON's own form (``\\u00e0``, and a pair ``\\ud83d\\udce7`` past U+FFFF)
    when ``text`` is JSON, where ``\\xe0`` is no escape at all and the whole output would not read back.

    >>> encodable("bà ộ 📧", "ascii")
    'b\\\\xe0 \\\\u1ed9 \\\\U0001f4e7'
    >>> encodable('{"a": "bà ộ 📧"}', "ascii", json=True)
    '{"a": "b\\\\u00e0 \\\\u1ed9 \\\\ud83d\\\\udce7"}'
    >>> encodable('{"a": "bà ộ"}', "latin-1", json=True)
    '{"a": "bà \\\\u1ed9"}'
    """
    if not json:
        return text.encode(encoding, "backslashreplace").decode(encoding)

    def escape(found: re.Match[str]) -> str:
        char = found.group()
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            return _json.dumps(char)[1:-1]  # ensure_ascii: \u00e0, or a surrogate pair
        return char

    return _NON_ASCII.sub(escape, text)
