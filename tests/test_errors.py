"""The error hierarchy (smtpteach/_errors.py): one root, each class also its builtin, all exported and documented."""

from __future__ import annotations

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
