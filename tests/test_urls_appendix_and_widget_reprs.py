"""Links to the RFCs (smtpteach/_urls.py) and the widgets' Python side (smtpteach/widgets.py).

Tests from a deliberate-bug audit: each one fails with a bug that the rest of the suite let through.
"""

from __future__ import annotations

import pytest

from smtpteach._urls import reference_url
from smtpteach.widgets import ExplainWidget


@pytest.mark.parametrize("reference, url", [
    ("RFC 5321 §D.1", "https://www.rfc-editor.org/rfc/rfc5321#section-D.1"),  # an appendix, as a codes file may cite
    ("RFC 3464 §A", "https://www.rfc-editor.org/rfc/rfc3464#section-A"),
    ("RFC 5321 §4.2.3", "https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3"),
])
def test_a_reference_to_an_appendix_links_to_that_appendix(reference, url):
    # the loader takes "RFC 5321 §D.1" (a section may start with a capital letter), but its link went to the IANA
    # registry instead of the RFC
    assert reference_url(reference) == url


def test_the_explain_widget_s_repr_shows_a_text_of_40_characters_whole():
    # a text of exactly 40 characters was cut to 39 and an ellipsis
    text = "550 5.1.1 " + "x" * 30
    assert len(text) == 40 and repr(ExplainWidget(text)) == f"ExplainWidget({text!r}, lang='en')"
    longer = text + "y"
    assert repr(ExplainWidget(longer)) == f"ExplainWidget({longer[:39] + '…'!r}, lang='en')"


def test_the_browser_links_an_appendix_as_python_does(tmp_path):
    # compare's "Learn more" in the widgets links each reference with core.js's referenceUrl
    from ._guards import require
    from .test_js_parity import NODE, run_node

    require(NODE is not None, "node is not installed: the JavaScript parity tests need it")
    refs = ["RFC 5321 §D.1", "RFC 3464 §A", "RFC 5321 §4.2.3", "RFC 5321", "draft-levine-mailbomb-header", "IANA X.7.1"]
    assert run_node({"urls": refs}, tmp_path)["urls"] == [reference_url(r) for r in refs]


@pytest.mark.parametrize("kind", ["topic", "enhanced-codes", "Basic", "classes"])
def test_the_explorer_refuses_a_kind_it_has_no_entries_of(kind):
    # a kind that is neither "basic" nor "enhanced" was taken, and the explorer showed no code and said why nowhere
    import traitlets

    from smtpteach.widgets import ExplorerWidget

    with pytest.raises(traitlets.TraitError, match=r"kind must be '' \(any\) or one of 'basic', 'enhanced', not"):
        ExplorerWidget(kind=kind)
    for good in ("", "basic", "enhanced"):
        assert ExplorerWidget(kind=good).kind == good
