from __future__ import annotations

import pytest

from smtpteach import EnhancedStatusCode, InvalidCodeError, ReplyCode

PREDICATES = ("is_positive_completion", "is_positive_intermediate", "is_transient_negative", "is_permanent_negative")


@pytest.mark.parametrize("n", range(200, 600))
def test_every_three_digit_code_parses_with_exactly_one_class(n):
    code = ReplyCode(str(n))
    true = [p for p in PREDICATES if getattr(code, p)]
    assert true == [PREDICATES[n // 100 - 2]]
    assert code.reply_class == n // 100
    assert code.category == (n // 10) % 10
    assert code.is_standard_grammar == (code.category <= 5)


@pytest.mark.parametrize("bad", ["", "55", "5501", "150", "650", "abc", "5x0", " ", "550 ", None, 5.5, True])
def test_bad_reply_codes_raise_naming_the_input(bad):
    if bad == "550 ":
        assert ReplyCode(bad).code == "550"  # surrounding space is trimmed
        return
    with pytest.raises(InvalidCodeError) as info:
        ReplyCode(bad)
    assert repr(bad) in str(info.value)


def test_reply_code_value_semantics():
    assert ReplyCode("550") == ReplyCode(550) == ReplyCode(ReplyCode("550"))
    assert len({ReplyCode("550"), ReplyCode("550"), ReplyCode("551")}) == 2
    assert sorted([ReplyCode("551"), ReplyCode("211")])[0].code == "211"
    assert repr(ReplyCode("421")) == "ReplyCode('421')"


@pytest.mark.parametrize("other", [5, "550", 550.0, None, EnhancedStatusCode("5.5.0")])
def test_reply_codes_order_only_among_themselves(other):
    # like other value types: NotImplemented, so Python raises its usual TypeError
    assert ReplyCode("550").__lt__(other) is NotImplemented
    for compare in (lambda: ReplyCode("550") < other, lambda: other < ReplyCode("550"), lambda: ReplyCode("550") > other):
        with pytest.raises(TypeError, match="not supported between instances of"):
            compare()
    assert ReplyCode("211") < ReplyCode("550") and ReplyCode("550") > ReplyCode("211")


@pytest.mark.parametrize(
    "text, cls, subject, detail, generic",
    [("5.1.1", 5, 1, 1, "X.1.1"), ("4.7.12", 4, 7, 12, "X.7.12"), ("X.7.1", None, 7, 1, "X.7.1"),
     ("2.0.0", 2, 0, 0, "X.0.0"), ("5.7.708", 5, 7, 708, "X.7.708"), ("5.01.1", 5, 1, 1, "X.1.1")],
)
def test_enhanced_codes(text, cls, subject, detail, generic):
    e = EnhancedStatusCode(text)
    assert (e.status_class, e.subject, e.detail, e.generic) == (cls, subject, detail, generic)
    assert EnhancedStatusCode(e) == e


@pytest.mark.parametrize("bad", ["3.1.1", "5.1", "5.1.1.1", "5.1000.1", "x.1.1", "551", "", "5..1"])
def test_bad_enhanced_codes(bad):
    with pytest.raises(InvalidCodeError, match="not an enhanced status code"):
        EnhancedStatusCode(bad)


def test_with_class():
    assert EnhancedStatusCode("X.2.2").with_class(4).code == "4.2.2"
