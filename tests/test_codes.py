from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from smtpteach import EnhancedStatusCode, InvalidCodeError, InvalidTypeError, ReplyCode

PREDICATES = ("is_positive_completion", "is_positive_intermediate", "is_transient_negative", "is_permanent_negative")


@pytest.mark.parametrize("n", range(200, 600))
def test_every_three_digit_code_parses_with_exactly_one_class(n):
    code = ReplyCode(str(n))
    true = [p for p in PREDICATES if getattr(code, p)]
    assert true == [PREDICATES[n // 100 - 2]]
    assert code.reply_class == n // 100
    assert code.category == (n // 10) % 10
    assert code.is_standard_grammar == (code.category <= 5)


@pytest.mark.parametrize("bad", ["", "55", "5501", "150", "650", "abc", "5x0", " ", "550 ", 55, 650])
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


def test_a_code_is_not_less_than_itself():
    # a strict order: sorted() and bisect rely on a < a being False
    assert not ReplyCode("550") < ReplyCode("550")
    assert not ReplyCode("550") > ReplyCode("550")


@pytest.mark.parametrize("value, type_name", [(Decimal("550"), "Decimal"), (Path("550"), "PosixPath"),
                                              (bytearray(b"550"), "bytearray"), (b"550", "bytes"), (None, "NoneType"),
                                              (5.5, "float"), (550.0, "float"), (True, "bool"), (["550"], "list")],
                         ids=repr)
def test_only_text_and_integers_are_reply_codes(value, type_name):
    # a value whose str() happens to look like a code is still not one (Path("550") is a file name); a wrong type is
    # a TypeError, as the README promises (a review: None and 5.5 were InvalidCodeError, a ValueError only)
    with pytest.raises(InvalidTypeError) as info:
        ReplyCode(value)
    assert str(info.value) == (f"{value!r} ({type_name}) is not a reply code: pass a string such as '550' or a number "
                               "such as 550")
    assert isinstance(info.value, TypeError) and not isinstance(info.value, InvalidCodeError)


def test_distinct_codes_hash_apart():
    # codes are dictionary keys (the catalogue's index): equal codes share a hash, different ones spread out
    assert hash(ReplyCode("550")) == hash(ReplyCode(550)) == hash(ReplyCode(" 550 "))
    assert len({hash(ReplyCode(str(n))) for n in range(200, 600)}) == 400


@pytest.mark.parametrize("bad", ["3.1.1", "5.1", "", "5.1.1.1", "5-1-1"], ids=repr)
def test_bad_enhanced_codes_raise_naming_the_input(bad):
    with pytest.raises(InvalidCodeError) as info:
        EnhancedStatusCode(bad)
    assert str(info.value) == (f"{bad!r} is not an enhanced status code: it needs class.subject.detail, "
                               "the class 2, 4, 5 or X (RFC 3463 §2)")


@pytest.mark.parametrize("bad, type_name", [(None, "NoneType"), (511, "int"), (5.1, "float"), (b"5.1.1", "bytes"),
                                            (True, "bool"), (["5.1.1"], "list")], ids=repr)
def test_an_enhanced_code_of_the_wrong_type_is_a_type_error(bad, type_name):
    with pytest.raises(InvalidTypeError) as info:
        EnhancedStatusCode(bad)
    assert str(info.value) == f"{bad!r} ({type_name}) is not an enhanced status code: pass a string such as '5.1.1'"
    assert isinstance(info.value, TypeError)


def test_enhanced_code_value_semantics():
    # leading zeros and surrounding space are not part of the code: "5.01.1" is 5.1.1
    same = [EnhancedStatusCode("5.1.1"), EnhancedStatusCode(" 5.01.1 "), EnhancedStatusCode(EnhancedStatusCode("5.1.1"))]
    assert all(e == same[0] and hash(e) == hash(same[0]) for e in same)
    assert len({*same, EnhancedStatusCode("5.1.2"), EnhancedStatusCode("X.1.1")}) == 3
    assert {EnhancedStatusCode("5.1.1"): "bad mailbox"}[EnhancedStatusCode("5.01.1")] == "bad mailbox"
    assert EnhancedStatusCode("5.1.1") != "5.1.1" and EnhancedStatusCode("5.5.0") != ReplyCode("550")
    assert (repr(EnhancedStatusCode("5.01.1")), str(EnhancedStatusCode("5.01.1"))) == ("EnhancedStatusCode('5.1.1')", "5.1.1")
    every = {EnhancedStatusCode(f"{c}.{s}.{d}") for c in "245X" for s in range(8) for d in range(30)}
    assert len({hash(e) for e in every}) == len(every) == 4 * 8 * 30


@pytest.mark.parametrize("text, key", [("X.7.1", (0, 7, 1)), ("2.0.0", (2, 0, 0)), ("4.7.12", (4, 7, 12)),
                                       ("5.1.1", (5, 1, 1)), ("5.7.708", (5, 7, 708))])
def test_sort_key_is_class_subject_detail_with_x_as_zero(text, key):
    assert EnhancedStatusCode(text).sort_key() == key


def test_enhanced_codes_sort_by_class_then_subject_then_detail():
    # the registry's X codes first, then by number, not by text ("5.7.10" after "5.7.9")
    codes = ["5.7.10", "5.7.9", "2.1.5", "X.7.1", "4.7.1", "5.1.1", "X.1.1"]
    ordered = sorted((EnhancedStatusCode(c) for c in codes), key=EnhancedStatusCode.sort_key)
    assert [e.code for e in ordered] == ["X.1.1", "X.7.1", "2.1.5", "4.7.1", "5.1.1", "5.7.9", "5.7.10"]
