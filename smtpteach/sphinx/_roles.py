"""Roles and directives: link to a code's page, embed an entry or a comparison.

Filled in by the reference-site work; for now the ``smtp`` role links to a
code's reference page with its name as the tooltip.
"""

from __future__ import annotations

from typing import Any


def setup(app: Any) -> None:
    pass
