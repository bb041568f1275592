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
