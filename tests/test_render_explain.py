"""The layout of an Explanation in text, Markdown and HTML (smtpteach/_render_explain.py).

tests/test_explain.py reads the fact rows back and checks what they say; this file
pins how they are laid out, line by line, and where their labels come from.
"""

from __future__ import annotations

import shutil
from html import escape

import pytest

from smtpteach import Catalogue, explain, render

from .conftest import DATA

PERMANENT = "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown"
TRANSIENT = "451 4.7.1 Greylisted, try again later"
NO_CODE = "connection timed out"

# (pasted text, the rows after Reason; the codes' rows and the Permanent? row: the parts that do not come
#  from the reason tables, which tests/test_explain.py checks)
CASES = {
    "permanent": (PERMANENT, [("Reply code", "550"), ("Enhanced status code", "5.1.1"), ("Permanent?", "yes")],
                  [("550", "Mailbox Unavailable"), ("X.1.1", "Bad Destination Mailbox Address")]),
    "transient": (TRANSIENT, [("Reply code", "451"), ("Enhanced status code", "4.7.1"), ("Permanent?", "no, temporary")],
                  [("451", "Local Error In Processing"), ("X.7.1", "Delivery Not Authorized, Message Refused")]),
    "no code": (NO_CODE, [("Reply code", "none found"), ("Enhanced status code", "none found"), ("Permanent?", "not known")], []),
}


def _rows(x, head, entries):
    return [*head, ("Reason", f"{x.reason_name} ({x.reason})"), ("Retry", x.retry_text), ("Who acts", x.actor_text), *entries]


@pytest.mark.parametrize("case", list(CASES))
def test_text_is_the_summary_a_blank_line_then_one_row_a_line(case):
    pasted, head, entries = CASES[case]
    x = explain(pasted)
    rows = [f"{label}: {value}" for label, value in _rows(x, head, entries)]
    assert render.text(x) == "\n".join([x.summary, "", *rows]) + "\n"


@pytest.mark.parametrize("case", list(CASES))
def test_markdown_is_the_pasted_text_fenced_the_summary_then_a_list_of_rows(case):
    pasted, head, entries = CASES[case]
    x = explain(pasted)
    rows = [f"- **{label}:** {value}" for label, value in _rows(x, head, entries)]
    expected = ["**What you pasted:**", "", "```text", pasted, "```", "", x.summary, "", *rows]
    assert render.markdown(x) == "\n".join(expected) + "\n"


def test_html_is_one_section_with_the_input_the_summary_and_a_definition_list():
    x = explain(PERMANENT)
    assert render.html(x) == "\n".join([
        '<section class="smtpteach-explanation" data-reason="userunknown" lang="en">',
        '<p class="smtpteach-input-label">What you pasted</p>',
        '<pre class="smtpteach-input">550 5.1.1 &lt;bob@example.org&gt;: Recipient address rejected: User unknown</pre>',
        f'<p class="smtpteach-summary">{escape(x.summary)}</p>',
        '<dl class="smtpteach-facts">',
        "<dt>Reply code</dt><dd>550</dd>",
        "<dt>Enhanced status code</dt><dd>5.1.1</dd>",
        "<dt>Permanent?</dt><dd>yes</dd>",
        f"<dt>Reason</dt><dd>{escape(x.reason_name)} (userunknown)</dd>",
        f"<dt>Retry</dt><dd>{escape(x.retry_text)}</dd>",
        f"<dt>Who acts</dt><dd>{escape(x.actor_text)}</dd>",
        "<dt>550</dt><dd>Mailbox Unavailable</dd>",
        "<dt>X.1.1</dt><dd>Bad Destination Mailbox Address</dd>",
        "</dl></section>",
    ]) + "\n"


def test_html_in_vietnamese_says_so_and_uses_the_vietnamese_labels():
    x = explain(NO_CODE, lang="vi")
    lines = render.html(x).splitlines()
    assert lines[:2] == ['<section class="smtpteach-explanation" data-reason="networkerror" lang="vi">',
                         '<p class="smtpteach-input-label">Nội dung bạn dán vào</p>']
    assert lines[4:8] == ['<dl class="smtpteach-facts">', "<dt>Mã phản hồi</dt><dd>không tìm thấy</dd>",
                          "<dt>Mã trạng thái mở rộng</dt><dd>không tìm thấy</dd>", "<dt>Vĩnh viễn?</dt><dd>chưa rõ</dd>"]
    assert lines[-1] == "</dl></section>"


# The pasted text sits in a fence longer than any run of backticks inside it (CommonMark §4.5),
# and at least three long.
FENCES = [
    ("550 no backticks", "```"),
    ("550 one `tick`", "```"),
    ("550 two ``ticks``", "```"),
    ("550 three ``` ticks", "````"),
    ("550 four ```` and ``` three", "`````"),
]


@pytest.mark.parametrize("pasted, fence", FENCES)
def test_markdown_fences_the_pasted_text_beyond_its_backticks(pasted, fence):
    lines = render.markdown(explain(pasted)).splitlines()
    assert lines[2:5] == [fence + "text", pasted, fence]


def test_markdown_keeps_each_pasted_line_and_trims_the_ends():
    pasted = "550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 Please try again.\r\n"
    lines = render.markdown(explain(pasted)).splitlines()
    assert lines[2:6] == ["```text", "550-5.1.1 The email account that you tried to reach does not exist.",
                          "550 5.1.1 Please try again.", "```"]


# -- the labels come from the explanation's catalogue --------------------------

@pytest.fixture(scope="module")
def relabelled(tmp_path_factory) -> Catalogue:
    """A catalogue built from its own data folder, whose English labels differ from the built-in ones."""
    root = tmp_path_factory.mktemp("relabelled") / "data"
    shutil.copytree(DATA, root)
    ui = root / "en" / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    for old, new in (('input: "What you pasted"', 'input: "Your text"'), ('permanent: "Permanent?"', 'permanent: "Final?"'),
                     ('none: "none found"', 'none: "nothing"')):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    ui.write_text(text, encoding="utf-8")
    return Catalogue(root)


def test_the_rows_use_the_labels_of_the_catalogue_that_explained(relabelled):
    x = explain(PERMANENT, catalogue=relabelled)
    assert render.text(x).splitlines()[2:5] == ["Reply code: 550", "Enhanced status code: 5.1.1", "Final?: yes"]


def test_the_labels_come_from_the_explanations_catalogue_with_no_code_found_too(relabelled):
    x = explain(NO_CODE, catalogue=relabelled)
    assert render.text(x).splitlines()[2:5] == ["Reply code: nothing", "Enhanced status code: nothing", "Final?: not known"]
    assert render.markdown(x).splitlines()[0] == "**Your text:**"


def test_a_catalogue_older_than_the_evidence_label_still_renders_a_guess(data_copy):
    # a user's catalogue copied before "Guessed from the words" existed: the reason model's words still show,
    # under the field's own name, and a reason a rule named renders as before
    for lang in ("en", "vi"):
        ui = data_copy / lang / "ui.yaml"
        lines = ui.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.lstrip().startswith("evidence:")]
        assert len(kept) == len(lines) - 1
        ui.write_text("".join(kept), encoding="utf-8")
    cat = Catalogue(data_copy, root_name="data")
    guessed = explain("451 recipient mailbox storage limit temporarily reached", catalogue=cat)
    assert guessed.evidence == ("mailbox", "storage")
    assert "\nevidence: mailbox, storage\n" in render.text(guessed)
    assert "<dt>evidence</dt><dd>mailbox, storage</dd>" in render.html(guessed)
    assert "evidence" not in render.text(explain("550 5.1.1 user unknown", catalogue=cat))


def test_a_catalogue_older_than_reason_notes_says_the_reason_s_own_words(data_copy):
    # a user's catalogue copied before the greylisting note existed: the reply still reads as greylisting to
    # explain() (note, nobody acts), and its name and text are the reason's own, in every rendering and in triage
    import smtpteach

    for lang in ("en", "vi"):
        ui = data_copy / lang / "ui.yaml"
        lines = ui.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("  reason_notes:"))
        ui.write_text("".join(lines[:start] + lines[start + 2:]), encoding="utf-8")
    cat = Catalogue(data_copy, root_name="data")
    reply = "450 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted, try again in 300 seconds"
    x = explain(reply, catalogue=cat)
    assert (x.reason, x.note, x.actor, x.reason_name) == ("blocked", "greylisting", "nobody", "Sending host blocked")
    assert "Reason: Sending host blocked (blocked)" in render.text(x).splitlines()
    summary = smtpteach.triage([reply], catalogue=cat).summary()
    assert "Sending host blocked (blocked)" in summary.to_text() and "Greylisted" not in summary.to_text()


def test_several_words_of_evidence_are_listed_with_commas():
    # the model's words, the strongest first, joined as a list in every rendering
    from smtpteach import default_catalogue
    from smtpteach._explain import Explanation

    x = Explanation("451 mailbox storage quota", "451", None, False, "mailboxfull", "retry", "recipient", "en",
                    default_catalogue(), ("storage", "quota"))
    assert "Guessed from the words: storage, quota" in render.text(x).splitlines()
    assert "<dd>storage, quota</dd>" in render.html(x)
