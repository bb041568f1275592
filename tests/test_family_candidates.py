"""tools/family_candidates.py: the runs of words it proposes for families (issue 16) are those one reason owns
across publishers among the rows explain() gets wrong; it reads rows as the rules read them; bad arguments exit 2."""

from __future__ import annotations

import pytest

from ._corpus import Row, Source
from ._tools import load_tool, usage_error


def _tool():
    return load_tool("family_candidates")


def _row(source_id: str, text: str, reason: str, number: int = 1) -> Row:
    return Row(text, reason, "project", Source(source_id, "t", "https://example.org/", "forum", ()), number)


def test_a_run_one_reason_owns_across_publishers_where_explain_is_wrong():
    tool = _tool()
    rows = [
        # explain() knows no "zorblax": three rows, two publishers, one label
        _row("alpha-forum", "550 zorblax frobnicated the mail", "policyviolation"),
        _row("alpha-issues", "550 zorblax frobnicated again", "policyviolation", 2),
        _row("beta-help", "554 zorblax frobnicated your message", "policyviolation"),
        # one publisher only (alpha-forum and alpha-issues are one publisher)
        _row("gamma-forum", "550 quuxly blorted", "contenterror"),
        _row("gamma-issues", "550 quuxly blorted twice", "contenterror", 2),
        # split between two labels: no reason owns it
        _row("delta-help", "550 wibbly wobbly", "blocked"),
        _row("epsilon-help", "550 wibbly wobbly", "rejected"),
        # explain() already right: nothing to propose
        _row("zeta-help", "550 5.1.1 User unknown here", "userunknown"),
        _row("eta-help", "550 User unknown there", "userunknown"),
    ]
    found = {c.run: c for c in tool.candidates(rows, (2,))}
    assert set(found) == {"zorblax frobnicated"}
    c = found["zorblax frobnicated"]
    assert (c.reason, c.misses, c.rows, c.total, c.publishers) == ("policyviolation", 3, 3, 3, 2)
    assert c.example == "alpha-forum:1"
    # one publisher is enough when asked for; a run split half and half between two labels never is
    assert {c.run for c in tool.candidates(rows, (2,), publishers=1)} == {"zorblax frobnicated", "quuxly blorted"}
    assert "wibbly wobbly" not in {c.run for c in tool.candidates(rows, (2,), share=0.51, publishers=1, misses=1)}
    # the most misses first
    assert [c.run for c in tool.candidates(rows, (2,), publishers=1)] == ["zorblax frobnicated", "quuxly blorted"]


def test_runs_are_read_as_the_rules_read_them():
    tool = _tool()
    # an address, a host with its IP and the numbers are not the server's words
    assert tool.runs("550 5.7.1 <ana@example.org>: Relay denied by mx.example.net[192.0.2.1]:25", (2,)) == {"relay denied", "denied by"}
    assert tool.runs("Mailbox Full", (1, 2)) == {"mailbox", "full", "mailbox full"}
    # a multi-line reply's continuation prefixes go, so a phrase spans its lines as the rules read it
    assert tool.runs("550-5.7.1 Relay\n550 5.7.1 denied", (2,)) == {"relay denied"}
    # the message explain() reads: smtplib's tuple without its byte-string prefix
    assert tool.runs("(550, b'5.1.1 no such user')", (2,)) == {"no such", "such user"}


@pytest.mark.parametrize("argv, message", [
    (["--share", "0.4"], "--share must be over 0.5 and at most 1, not 0.4"),
    (["--publishers", "0"], "--publishers must be 1 or more, not 0"),
    (["--misses", "-1"], "--misses must be 1 or more, not -1"),
    (["--words", "4"], "--words takes lengths 1 to 3, not 4"),
    (["--limit", "x"], "invalid int value: 'x'"),
])
def test_bad_arguments_exit_2_naming_what_was_wrong(argv, message, capsys):
    assert message in usage_error(_tool().main, argv, capsys)
