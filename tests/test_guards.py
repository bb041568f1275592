from __future__ import annotations

import pytest

from ._guards import in_ci, require


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("TRUE", True), (" yes ", True),
                                             ("", False), ("0", False), ("false", False), ("no", False)])
def test_in_ci_reads_the_ci_variable(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_a_present_tool_neither_skips_nor_fails(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert require(True, "never said") is None


def test_a_missing_tool_skips_locally_with_its_reason(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no node here"):
        require(False, "no node here")


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no node here; CI is set, so a missing tool fails the run"):
        require(False, "no node here")
