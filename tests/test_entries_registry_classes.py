"""The catalogue's entries (smtpteach/_entries.py): what an enhanced entry says about the classes it comes with.

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

import pytest

import smtpteach


@pytest.mark.parametrize("code, classes", [
    ("X.0.0", ("2", "4", "5")),  # "Any": every class an enhanced code can have
    ("X.1.5", ("2",)),           # only with 250: a success, asked and indexed as 2.1.5
    ("X.3.0", ("2", "4", "5")),  # 221 and 250, 421 and 451, 550 and 554
    ("X.7.17", ("5",)),          # "5XX"
    ("X.1.1", ("4", "5")),
    ("X.1.0", ()),               # the registry gives none
])
def test_registry_classes_are_the_classes_of_the_registry_s_basic_codes(code, classes):
    # with "Any" read as 4 and 5 only, or the 2xx codes left out, the site's page for X.1.5 was not found by
    # "2.1.5", and the quiz asked 5.1.5, a class the registry never pairs it with
    assert smtpteach.lookup(code).registry_classes == classes
