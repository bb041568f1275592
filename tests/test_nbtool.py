"""tools/nbtool.py, which runs the lessons and stores them with content-derived
ids and outputs that do not depend on timing."""

from __future__ import annotations

import nbformat

from ._tools import load_tool

nbtool = load_tool("nbtool")


def _stream(name: str, text: str):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_neighbouring_stream_chunks_are_joined_and_nothing_else():
    # the kernel may send "a" and "b\n" as two chunks or as one: the stored notebook must not care
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)", outputs=[
        _stream("stdout", "a"), _stream("stdout", "b\n"),
        _stream("stderr", "warning\n"),
        _stream("stdout", "c\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "x"}),
        _stream("stdout", "d"), _stream("stdout", "e\n"),
    ]), nbformat.v4.new_markdown_cell("no outputs here")])
    nbtool.coalesce_streams(nb)
    outputs = nb.cells[0].outputs
    assert [(o.output_type, o.get("name"), o.get("text")) for o in outputs] == [
        ("stream", "stdout", "ab\n"), ("stream", "stderr", "warning\n"), ("stream", "stdout", "c\n"),
        ("display_data", None, None), ("stream", "stdout", "de\n"),
    ]
    assert "outputs" not in nb.cells[1]
