"""A cell's printed output, the same at every build.

A kernel sends what a cell prints in chunks, cut wherever its output thread happens to
flush: ``print(x)`` writes ``x`` and then ``"\\n"``, and a flush can fall between the two.
myst-nb merges the chunks of a stream (``nb_merge_streams``) after stripping each one on
the right, so a chunk that starts with that ``"\\n"`` leaves an empty line in the page
that the next build may not have. Joining the chunks exactly as they came, before myst-nb
merges them, gives the text the cell printed, whatever the cuts.
"""

from __future__ import annotations

from typing import Any


def joined_chunks(outputs: list[Any]) -> list[Any]:
    """The outputs with every stream's chunks joined, in order, into its first chunk.

    >>> chunks = [{"output_type": "stream", "name": "stdout", "text": "a"},
    ...           {"output_type": "stream", "name": "stdout", "text": "\\nb\\n"},
    ...           {"output_type": "display_data", "data": {}},
    ...           {"output_type": "stream", "name": "stdout", "text": "c\\n"}]
    >>> [o.get("text") for o in joined_chunks(chunks)]
    ['a\\nb\\nc\\n', None]
    """
    first: dict[str, Any] = {}
    out = []
    for output in outputs:
        if output.get("output_type") == "stream":
            name = output.get("name")
            if name in first:
                first[name]["text"] += output.get("text", "")
                continue
            output = first[name] = type(output)(output)  # a copy: the notebook's own outputs stay
        out.append(output)
    return out


def setup(app: Any) -> None:
    try:
        from myst_nb.core import render
    except ImportError:
        return
    merge = render.coalesce_streams
    if getattr(merge, "__wrapped_by_smtpteach__", False):
        return

    def coalesce_streams(outputs: list[Any]) -> list[Any]:
        return merge(joined_chunks(outputs))

    coalesce_streams.__wrapped_by_smtpteach__ = True  # type: ignore[attr-defined]
    render.coalesce_streams = coalesce_streams
