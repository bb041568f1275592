"""Skips that never hide a missing tool in CI.

A local run without node or chromium may skip the tests that need them, and
says why (``make test`` prints skip reasons). Under CI (``CI`` set to a true
value, as CI services do), a missing tool fails those tests instead: a green
CI run then means the tests really ran.
"""

from __future__ import annotations

import os

import pytest

_TRUE = {"1", "true", "yes", "on"}


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``, ``CI=1``...)."""
    return os.environ.get("CI", "").strip().lower() in _TRUE


def require(present: bool, reason: str) -> None:
    """Skip with ``reason`` when a tool is missing, or fail under CI."""
    if present:
        return
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so a missing tool fails the run instead of skipping", pytrace=False)
    pytest.skip(reason)
