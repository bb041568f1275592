"""The error hierarchy (smtpteach/_errors.py): one root, each class also its builtin, all exported and documented."""

from __future__ import annotations

import reprlib
from pathlib import Path

import pytest

import smtpteach
from smtpteach import _errors


API = Path(__file__).parent.parent / "docs" / "reference" / "api.md"
BUILTINS = {
    "SmtpTeachError": (Exception,),
    "InvalidCodeError": (ValueError,),
    "InvalidArgumentError": (ValueError,),
    "InvalidTypeError": (TypeError, ValueError),
    "UnknownCodeError": (LookupError,),
    "ReplyParseError": (ValueError,),
    "CatalogueError": (ValueError,),
    "MixedRecordsError": (ValueError,),
}


def test_every_error_is_listed_here():
    assert sorted(_errors.__all__) == sorted(BUILTINS)


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_one_root_each_with_its_builtin(name):
    cls = getattr(smtpteach, name)
    assert cls is getattr(_errors, name) and name in smtpteach.__all__
    assert issubclass(cls, smtpteach.SmtpTeachError)
    for builtin in BUILTINS[name]:
        assert issubclass(cls, builtin), builtin
    assert f".. autoexception:: smtpteach.{name}\n" in API.read_text(encoding="utf-8")


def test_a_wrong_type_is_also_a_bad_argument():
    # so code that caught ValueError from make_quiz(count="3") before still does
    assert issubclass(smtpteach.InvalidTypeError, smtpteach.InvalidArgumentError)
    assert not issubclass(smtpteach.InvalidArgumentError, TypeError)


@pytest.mark.parametrize("call", [
    lambda: smtpteach.lookup("550").text(lang="fr"),
    lambda: smtpteach.lookup("550").name(lang="fr"),
    lambda: smtpteach.compare("450", "550", lang="fr"),
    lambda: smtpteach.explain("550 5.1.1 user unknown", lang="fr"),
    lambda: smtpteach.make_quiz(3, seed=0, lang="fr"),
    lambda: smtpteach.search("mailbox", lang="fr"),
], ids=["text", "name", "compare", "explain", "quiz", "search"])
def test_an_unknown_language_is_the_callers_mistake_not_a_broken_file(call):
    with pytest.raises(smtpteach.InvalidArgumentError, match="unknown language 'fr'; the catalogue has en, vi") as info:
        call()
    assert not isinstance(info.value, smtpteach.CatalogueError)


def test_render_submodule_is_reachable_from_the_package():
    import subprocess
    import sys

    code = "import smtpteach; print(smtpteach.render.text(smtpteach.lookup('550')).splitlines()[0])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("SMTP 550")


def test_every_member_the_api_page_lists_has_a_docstring():
    """autodoc leaves out a member with no docstring, silently: the page would promise it and not show it."""
    import importlib
    import inspect
    import re

    text = API.read_text(encoding="utf-8")
    blocks = re.findall(r"\.\. autoclass:: ([\w.]+)\n   :members: ([^\n]+)", text)
    assert len(blocks) >= 8
    missing = []
    for dotted, members in blocks:
        module, _, name = dotted.rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        for member in (m.strip() for m in members.split(",")):
            if not inspect.getdoc(inspect.getattr_static(cls, member)):
                missing.append(f"{dotted}.{member}")
    assert missing == []


def test_the_errors_defaults_and_where_a_catalogue_error_is_placed():
    from smtpteach import CatalogueError, ReplyParseError, UnknownCodeError

    e = UnknownCodeError("559 is not in the catalogue")
    assert (str(e), e.code, e.suggestions) == ("559 is not in the catalogue", "", ())
    assert UnknownCodeError("m", code="559", suggestions=["556", "555"]).suggestions == ("556", "555")
    assert (str(ReplyParseError("bad")), ReplyParseError("bad").line) == ("bad", 0)
    assert str(CatalogueError("must be a list")) == "must be a list"
    assert str(CatalogueError("must be a list", field="commands")) == "field 'commands': must be a list"
    assert str(CatalogueError("is missing", file="data/facts.yaml", entry="550")) == "data/facts.yaml, entry '550': is missing"
    e = CatalogueError("a: b", file="f.yaml", entry="k", field="x")
    assert (str(e), e.message, e.file, e.entry, e.field) == ("f.yaml, entry 'k', field 'x': a: b", "a: b", "f.yaml", "k", "x")
    assert (CatalogueError("m").file, CatalogueError("m").entry, CatalogueError("m").field) == ("", "", "")


# every error a learner meets by a mistake of their own, worded in Vietnamese: what to call, the key, and what the
# Vietnamese must say (the code or topic asked for, and the codes offered instead)
LEARNER_ERRORS = [
    (lambda: smtpteach.lookup("599"), "not_in_catalogue", ["không có mã 599 trong danh mục", "có phải ý bạn là 5"]),
    (lambda: smtpteach.lookup("5.9.9"), "not_in_registry", ["không có mã 5.9.9 trong registry"]),
    (lambda: smtpteach.lookup("5.1.99"), "not_in_registry", ["5.1.99", "có phải ý bạn là X.1.0, X.1.1"]),
    (lambda: smtpteach.lookup("abc"), "not_a_code", ["'abc' không phải mã phản hồi"]),
    (lambda: smtpteach.lookup(None), "lookup_type", ["None (kiểu NoneType) không phải mã: hãy truyền vào"]),
    (lambda: smtpteach.ReplyCode(5.5), "reply_code_type", ["5.5 (kiểu float) không phải mã phản hồi: hãy truyền vào"]),
    (lambda: smtpteach.EnhancedStatusCode(511), "enhanced_code_type", ["511 (kiểu int) không phải mã trạng thái mở rộng"]),
    (lambda: smtpteach.parse_reply(None), "not_text", ["nhưng lại nhận được kiểu NoneType"]),
    (lambda: smtpteach.EnhancedStatusCode("5.1"), "enhanced_code", ["'5.1' không phải mã trạng thái mở rộng", "RFC 3463 §2"]),
    (lambda: smtpteach.ReplyCode("650"), "reply_code", ["'650' không phải mã phản hồi SMTP", "từ 2 đến 5"]),
    (lambda: smtpteach.compare("250", "xyz"), "compare_code", ["'xyz' không phải mã phản hồi"]),
    (lambda: smtpteach.compare("250", "5.1.1"), "compare_kinds", ["không thể so 250 với 5.1.1"]),
    (lambda: smtpteach.compare("421", "421"), "compare_same", ["cả hai mã đều là 421"]),
    (lambda: smtpteach.compare("X.7.1", "5.7.1"), "compare_generic", ["X.7.1 là dạng chung của 5.7.1"]),
    (lambda: smtpteach.make_quiz(3, seed=1, topics=["colour"]), "quiz_topic", ["không có loại câu hỏi 'colour'", "class, permanence"]),
    (lambda: smtpteach.make_quiz(3, seed=1, topics=[]), "quiz_no_topics", ["chưa chọn loại câu hỏi nào"]),
    (lambda: smtpteach.make_quiz(0, seed=1), "quiz_count", ["từ 1 trở lên", "giá trị nhận được: 0"]),
    (lambda: smtpteach.explain("550 5.1.1 no such user\n452 4.2.2 mailbox full"), "mixed_records",
     ["đoạn văn bản chứa nhiều hơn một bản ghi", "bắt đầu ở dòng 2", "smtpteach triage"]),
    (lambda: smtpteach.make_quiz(10**4, seed=1, topics=["class"]), "quiz_too_many", ["số câu hỏi yêu cầu (10000)", "của loại câu hỏi: class"]),
]


@pytest.mark.parametrize("call, key, said", LEARNER_ERRORS, ids=[k for _, k, _ in LEARNER_ERRORS])
def test_a_learner_s_mistake_is_worded_in_vietnamese_naming_what_was_asked(call, key, said):
    with pytest.raises(smtpteach.SmtpTeachError) as caught:
        call()
    err = caught.value
    assert err.key == key
    vi = err.text(lang="vi")
    for part in said:
        assert part in vi, (part, vi)
    assert err.text(lang="en") == str(err) != vi
    # the same figures in both languages: what was asked and the codes offered
    import re

    number = re.compile(r"[0-9X]+(?:\.[0-9]+)*")
    assert sorted(number.findall(str(err))) == sorted(number.findall(vi)), (str(err), vi)


def test_the_command_line_says_a_code_not_in_the_catalogue_in_the_language_asked(capsys):
    from smtpteach.cli import main

    assert main(["show", "599", "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("smtpteach: không có mã 599 trong danh mục; có phải ý bạn là ") and "did you mean" not in err
    assert main(["compare", "421", "421", "--lang", "vi"]) == 2
    assert "cả hai mã đều là 421" in capsys.readouterr().err
    assert main(["show", "599"]) == 2
    assert capsys.readouterr().err.startswith("smtpteach: 599 is not in the catalogue; did you mean ")


def test_an_error_the_ui_files_have_no_wording_for_is_said_in_english_in_every_language():
    # a key with no wording in a language (a newer error, an older catalogue) falls back to the English message
    err = smtpteach.ReplyParseError("line 2: no such thing", line=2, key="no-such-wording", values={"x": "y"})
    assert err.text(lang="vi") == err.text(lang="en") == "line 2: no such thing"
    code = smtpteach.InvalidCodeError("'55' is not a reply code", key="no-such-wording")
    assert code.text("vi") == "'55' is not a reply code"


# -- a value of the wrong type ------------------------------------------------------------------------------------------
#
# The README promises InvalidTypeError (a TypeError) for an argument of the wrong type. A review found lookup(None),
# lookup([]) and lookup(5.5) raising UnknownCodeError (a miss), ReplyCode(None), EnhancedStatusCode([]) and
# parse_reply(None) raising ValueErrors only, and get(None) and get([]) saying None, as for a code the catalogue lacks.
# Each public function and constructor the README and docs/reference list, with each wrong value, and the exact message.

_CODE = "{r} ({t}) is not a code: pass a string such as '550' or '5.1.1', or a number such as 550"
_REPLY_CODE = "{r} ({t}) is not a reply code: pass a string such as '550' or a number such as 550"
_LANG = "a language is a string such as 'en' or 'vi', not {t}"
_WRONG = [None, [], 5.5, True]


def _entry_points():
    from smtpteach import render

    cat = smtpteach.default_catalogue()
    error = smtpteach.UnknownCodeError.keyed("not_in_catalogue", values={"code": "599"})
    return {
        "ReplyCode": (smtpteach.ReplyCode, _REPLY_CODE),
        "EnhancedStatusCode": (smtpteach.EnhancedStatusCode,
                               "{r} ({t}) is not an enhanced status code: pass a string such as '5.1.1'"),
        "lookup": (smtpteach.lookup, _CODE),
        "get": (smtpteach.get, _CODE),
        "Catalogue.lookup": (cat.lookup, _CODE),
        "Catalogue.get": (cat.get, _CODE),
        "Catalogue.related_enhanced": (cat.related_enhanced, _REPLY_CODE),
        "Catalogue.text": (lambda v: cat.text("basic", v), "text() takes the key as a string, not {t}"),
        "Catalogue.ui": (lambda v: cat.ui(lang=v), _LANG),
        "Catalogue.with_file": (cat.with_file, "with_file() reads a path to a YAML file, not {t}"),
        "Catalogue": (smtpteach.Catalogue, "a catalogue is read from a folder, given as a path, not {t}"),
        "search": (smtpteach.search, "search needs the words as a string, such as 'mailbox full', not {r}"),
        "search lang": (lambda v: smtpteach.search("mailbox", lang=v), _LANG),
        "lookup catalogue": (lambda v: smtpteach.lookup("550", catalogue=v),
                             "catalogue must be a smtpteach.Catalogue (or None for the built-in one), not {r}"),
        "compare a": (lambda v: smtpteach.compare(v, "550"), _CODE),
        "compare b": (lambda v: smtpteach.compare("450", v), _CODE),
        "compare lang": (lambda v: smtpteach.compare("450", "550", lang=v), _LANG),
        "parse_reply": (smtpteach.parse_reply, "expected the text of a reply, got {t}"),
        "explain": (smtpteach.explain, "expected text to explain, got {t}"),
        "explain lang": (lambda v: smtpteach.explain("550 5.1.1 x", lang=v), _LANG),
        "triage lang": (lambda v: smtpteach.triage(["x"], lang=v), _LANG),
        "sample_path": (smtpteach.sample_path, "a sample's name is a string such as 'mail.log', not {t}"),
        "make_quiz count": (lambda v: smtpteach.make_quiz(v, seed=1), "count must be a whole number, got {r}"),
        "make_quiz seed": (lambda v: smtpteach.make_quiz(2, seed=v), "seed must be a whole number, got {r}"),
        "confused_pairs lang": (lambda v: smtpteach.confused_pairs(lang=v), _LANG),
        "render.text": (render.text, "cannot render a {t}; pass a catalogue entry, a Comparison, an Explanation or a Quiz"),
        "render.markdown": (render.markdown,
                            "cannot render a {t}; pass a catalogue entry, a Comparison, an Explanation or a Quiz"),
        "render.html": (render.html, "cannot render a {t}; pass a catalogue entry, a Comparison, an Explanation or a Quiz"),
        "SmtpTeachError.text": (lambda v: error.text(lang=v), _LANG),
    }


@pytest.mark.parametrize("name", sorted(_entry_points()))
@pytest.mark.parametrize("value", _WRONG, ids=repr)
def test_every_entry_point_raises_invalid_type_error_naming_the_type(name, value):
    call, message = _entry_points()[name]
    if name == "lookup catalogue" and value is None:
        value = 0  # None is the built-in catalogue there
    with pytest.raises(smtpteach.InvalidTypeError) as caught:
        call(value)
    err = caught.value
    assert isinstance(err, TypeError) and isinstance(err, smtpteach.SmtpTeachError)
    assert not isinstance(err, (LookupError, smtpteach.InvalidCodeError, smtpteach.ReplyParseError))
    r = reprlib.repr(value)
    assert str(err) == message.format(r=r, t=type(value).__name__)


def test_an_int_is_a_basic_code_where_a_basic_code_is_asked_for_and_nowhere_else():
    # docs: "A basic code may be given as a number (550), as ReplyCode accepts it"; no enhanced code is a number
    cat = smtpteach.default_catalogue()
    assert smtpteach.ReplyCode(550) == smtpteach.ReplyCode("550")
    assert smtpteach.lookup(550) is smtpteach.get(550) is cat.lookup("550")
    assert cat.related_enhanced(550) == cat.related_enhanced("550") != ()
    assert smtpteach.compare(450, 550).title == smtpteach.compare("450", "550").title
    assert smtpteach.get(599) is None  # a number that is a code the catalogue lacks is a miss, not a wrong type
    with pytest.raises(smtpteach.InvalidCodeError):
        smtpteach.ReplyCode(55)  # the right type, the wrong value
    with pytest.raises(smtpteach.InvalidTypeError):
        smtpteach.EnhancedStatusCode(511)


def test_the_wrong_type_is_worded_in_vietnamese_too():
    with pytest.raises(smtpteach.InvalidTypeError) as caught:
        smtpteach.get([])
    assert caught.value.text(lang="vi") == ("[] (kiểu list) không phải mã: hãy truyền vào một chuỗi như '550' hay "
                                            "'5.1.1', hoặc một số như 550")
