"""Loading and validating catalogue data: every problem fails loudly, naming the file,
the entry and the field (``tests/test_catalogue.py`` covers the built-in data and lookups).

The facts checks run on a small catalogue written from :func:`small_facts`, one change
per case; the prose checks break a copy of the package's own language files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import smtpteach
import yaml

from smtpteach import CatalogueError, InvalidArgumentError, UnknownCodeError
from smtpteach._catalogue import BasicEntry, Catalogue, EnhancedEntry, Text, Topic

class _Delete:
    def __repr__(self) -> str:  # a stable test id, the same in every pytest-xdist worker
        return "DELETE"


DELETE = _Delete()  # in a table of changes: remove the key


def _case_id(value: object) -> str:
    """A short test id of safe characters only: mutmut passes test ids on to pytest,
    which splits them at "/" and cannot find them again."""
    def safe(v: object) -> str:
        return re.sub(r"[^A-Za-z0-9_.=+-]+", "_", repr(v)).strip("_")[:40]

    if isinstance(value, list):  # a list of changes: (path, value)
        return "+".join(f"{path.replace('/', '.')}={safe(v)}" for path, v in value)
    return safe(value)


def small_facts() -> dict:
    """A complete facts file with few entries: two basic codes, four enhanced ones
    (one deprecated), every topic, one confused pair."""
    rfc5321 = {"references": ["RFC 5321 §4.2.1"]}
    rfc3463 = {"references": ["RFC 3463 §2"]}
    return {
        "schema": 1,
        "languages": ["en", "vi"],
        "confused": [["450", "550"]],
        "classes": {k: dict(rfc5321) for k in "2345"},
        "categories": {k: dict(rfc5321) for k in "012345"},
        "enhanced_classes": {k: dict(rfc3463) for k in "245"},
        "subjects": {k: dict(rfc3463) for k in "01234567"},
        "basic": {
            "550": {"status": "core", "references": ["RFC 5321 §4.2.2"], "commands": ["MAIL", "RCPT"],
                    "retry": "dont-retry", "actor": "depends", "enhanced": ["5.7.1"]},
            "450": {"status": "core", "references": ["RFC 5321 §4.2.2"], "commands": ["MAIL", "RCPT"],
                    "retry": "retry", "actor": "depends"},
        },
        "enhanced": {
            "X.6.10": {"subject": 6, "detail": 10, "title": "", "basic_codes": [],
                       "references": ["RFC 6531 §4.2"], "deprecated_by": "X.6.8"},
            "X.6.8": {"subject": 6, "detail": 8, "title": "Address cannot be transferred",
                      "basic_codes": ["553", "550"], "references": ["RFC 6531"]},
            "X.1.1": {"subject": 1, "detail": 1, "title": "Bad destination mailbox address",
                      "basic_codes": ["451", "550"], "references": ["RFC 3463 §3.2"],
                      "registry_basic_text": "451, 550"},
            # what 550's "enhanced" names must be in the catalogue; the registry pairs it with no code here
            "X.7.1": {"subject": 7, "detail": 1, "title": "Delivery not authorized, message refused", "basic_codes": [],
                      "references": ["RFC 3463 §3.8"]},
        },
    }


def _change(data: dict, path: str, value: object) -> None:
    """Set (or with DELETE remove) ``data[a][b]...`` for the path "a/b/..."."""
    *parents, last = path.split("/")
    for key in parents:
        data = data[key]
    if value is DELETE:
        del data[last]
    else:
        data[last] = value


def _facts_catalogue(tmp_path: Path, facts: object) -> Catalogue:
    (tmp_path / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    return Catalogue(tmp_path, root_name="data")


def _changed_facts(*changes: tuple[str, object]) -> dict:
    facts = small_facts()
    for path, value in changes:
        _change(facts, path, value)
    return facts


BASIC_560 = {"status": "non-standard", "commands": ["RCPT"], "retry": "dont-retry", "actor": "sender-admin"}

# (changes to small_facts(), the whole message of the CatalogueError)
BROKEN_FACTS = [
    # the top level
    ([("schema", DELETE)], "data/facts.yaml, field 'schema': schema must be 1, found None"),
    ([("schema", "1")], "data/facts.yaml, field 'schema': schema must be 1, found '1'"),
    ([("colour", "blue")],
     "data/facts.yaml: unknown top-level key 'colour'; expected one of ['basic', 'categories', 'classes', "
     "'confused', 'enhanced', 'enhanced_classes', 'languages', 'schema', 'subjects']"),
    # languages: a non-empty list of two- or three-letter lowercase codes
    *[([("languages", value)], "data/facts.yaml, field 'languages': languages must be a list of language codes such as [en, vi]")
      for value in (DELETE, "en", {"en": 1, "vi": 2}, [], ["en", 1], ["en", "EN"], ["en", "e"], ["en", "engl"])],
    # the topics: a section each, exactly the digits of its kind, each with references
    ([("subjects", DELETE)], "data/facts.yaml, field 'subjects': missing section 'subjects'"),
    ([("classes", ["2", "3", "4", "5"])], "data/facts.yaml, entry 'classes': must be a mapping, found list"),
    ([("classes/5", DELETE)], "data/facts.yaml, field 'classes': must hold exactly the keys ['2', '3', '4', '5'], found ['2', '3', '4']"),
    ([("enhanced_classes/3", {"references": ["RFC 3463 §2"]})],
     "data/facts.yaml, field 'enhanced_classes': must hold exactly the keys ['2', '4', '5'], found ['2', '3', '4', '5']"),
    ([("categories/1", "RFC 5321 §4.2.1")], "data/facts.yaml, entry '1': must be a mapping, found str"),
    ([("categories/1/references", DELETE)], "data/facts.yaml, entry '1', field 'references': is missing"),
    ([("categories/1/references", [])], "data/facts.yaml, entry '1', field 'references': needs at least one reference"),
    ([("categories/1/references", "RFC 5321 §4.2.1")],
     "data/facts.yaml, entry '1', field 'references': must be a list of strings, found 'RFC 5321 §4.2.1'"),
    ([("categories/1/references", ["RFC 5321", 5321])],
     "data/facts.yaml, entry '1', field 'references': must be a list of strings, found ['RFC 5321', 5321]"),
    ([("categories/1/references", ["RFC 5321 4.2.1"])],
     "data/facts.yaml, entry '1', field 'references': 'RFC 5321 4.2.1' is not a reference such as 'RFC 5321 §4.2.3'"),
    # the entries' sections
    ([("basic", DELETE)], "data/facts.yaml, field 'basic': missing section 'basic'"),
    ([("enhanced", DELETE)], "data/facts.yaml, field 'enhanced': missing section 'enhanced'"),
    ([("enhanced", [])], "data/facts.yaml, entry 'enhanced': must be a mapping, found list"),
    # basic entries
    ([("basic/5500", BASIC_560)],
     "data/facts.yaml, entry '5500', field 'code': a basic code must be three digits, the first 2 to 5, written as a quoted string"),
    ([("basic/650", BASIC_560)],
     "data/facts.yaml, entry '650', field 'code': a basic code must be three digits, the first 2 to 5, written as a quoted string"),
    ([("basic", {560: BASIC_560})],
     "data/facts.yaml, entry '560', field 'code': a basic code must be three digits, the first 2 to 5, written as a quoted string"),
    ([("basic/550", "core")], "data/facts.yaml, entry '550': must be a mapping, found str"),
    ([("basic/550/colour", "blue")],
     "data/facts.yaml, entry '550', field 'colour': unknown field; expected one of "
     "actor, category, class, commands, enhanced, override, references, retry, status, text"),
    ([("basic/550/class", 4)], "data/facts.yaml, entry '550', field 'class': is 4 but the code's digits say 5"),
    ([("basic/550/category", "5")], "data/facts.yaml, entry '550', field 'category': is '5' but the code's digits say 5"),
    ([("basic/550/status", DELETE)],
     "data/facts.yaml, entry '550', field 'status': is None; expected one of core, extension, registry-only, non-standard"),
    ([("basic/560", dict(BASIC_560, status="extension"))],
     "data/facts.yaml, entry '560', field 'status': the second digit 6 is outside RFC 5321's 0-5, so status must be 'non-standard'"),
    ([("basic/550/references", DELETE)], "data/facts.yaml, entry '550', field 'references': is missing"),
    ([("basic/550/references", [])], "data/facts.yaml, entry '550', field 'references': needs at least one reference"),
    ([("basic/550/references", ["RFC 5321 §4.2.2", "see RFC 5321"])],
     "data/facts.yaml, entry '550', field 'references': 'see RFC 5321' is not a reference such as 'RFC 5321 §4.2.3'"),
    ([("basic/560", dict(BASIC_560, references=["my blog"]))],
     "data/facts.yaml, entry '560', field 'references': 'my blog' is not a reference such as 'RFC 5321 §4.2.3'"),
    ([("basic/550/commands", DELETE)], "data/facts.yaml, entry '550', field 'commands': is missing"),
    ([("basic/550/commands", "RCPT")], "data/facts.yaml, entry '550', field 'commands': must be a list of strings, found 'RCPT'"),
    ([("basic/550/commands", ["MAIL", "rcpt"])],
     "data/facts.yaml, entry '550', field 'commands': unknown command 'rcpt'; expected one of "
     "CONNECT, EHLO, HELO, MAIL, RCPT, DATA, BDAT, RSET, VRFY, EXPN, HELP, NOOP, QUIT, STARTTLS, AUTH, ETRN, ATRN, *"),
    ([("basic/550/retry", "later")],
     "data/facts.yaml, entry '550', field 'retry': is 'later'; expected one of not-needed, continue, retry, fix-then-retry, dont-retry"),
    ([("basic/550/actor", "admin")],
     "data/facts.yaml, entry '550', field 'actor': is 'admin'; expected one of "
     "nobody, sender, sender-admin, recipient, recipient-admin, depends"),
    ([("basic/550/enhanced", "5.7.1")], "data/facts.yaml, entry '550', field 'enhanced': must be a list of strings, found '5.7.1'"),
    ([("basic/550/enhanced", ["5.7.1", "X.7.1"])],
     "data/facts.yaml, entry '550', field 'enhanced': 'X.7.1' is not a concrete enhanced code such as '5.1.1'"),
    ([("basic/550/enhanced", ["5.7"])],
     "data/facts.yaml, entry '550', field 'enhanced': '5.7' is not a concrete enhanced code such as '5.1.1'"),
    # what "enhanced" lists is an entry of the catalogue, in any class ("4.7.1" is X.7.1)
    ([("basic/550/enhanced", ["5.7.1", "5.1.11"])],
     "data/facts.yaml, entry '550', field 'enhanced': '5.1.11' is not in the catalogue: there is no enhanced entry X.1.11"),
    ([("basic/550/enhanced", ["4.7.1"]), ("enhanced/X.7.1", DELETE)],
     "data/facts.yaml, entry '550', field 'enhanced': '4.7.1' is not in the catalogue: there is no enhanced entry X.7.1"),
    ([("basic/450", DELETE)], "data/facts.yaml, entry '450-vs-550', field 'confused': '450' is not in the catalogue"),
    # enhanced entries
    *[([("enhanced", {code: {}})],
       f"data/facts.yaml, entry '{code}', field 'code': an enhanced code must be written X.subject.detail, as the registry does")
      for code in ("5.1.1", "X.1", "X.1.1.1", 511)],
    ([("enhanced/X.1.1", [1, 1])], "data/facts.yaml, entry 'X.1.1': must be a mapping, found list"),
    ([("enhanced/X.1.1/colour", "blue")],
     "data/facts.yaml, entry 'X.1.1', field 'colour': unknown field; expected one of "
     "basic_codes, deprecated_by, detail, override, references, registry_basic_text, rfc3463_use, subject, text, title"),
    # RFC 3463's intended class is one of three words, or absent; a class digit is not one of them
    *[([("enhanced/X.1.1/rfc3463_use", value)],
       f"data/facts.yaml, entry 'X.1.1', field 'rfc3463_use': is {value!r}; expected one of transient, permanent, either")
      for value in ("4", "Transient", None, "")],
    ([("enhanced/X.01.1", small_facts()["enhanced"]["X.1.1"])],
     "data/facts.yaml, entry 'X.01.1', field 'code': write it without leading zeros, as 'X.1.1'"),
    ([("enhanced/X.1.1/subject", 2)], "data/facts.yaml, entry 'X.1.1', field 'subject': is 2 but the code says 1"),
    ([("enhanced/X.1.1/subject", DELETE)], "data/facts.yaml, entry 'X.1.1', field 'subject': is None but the code says 1"),
    ([("enhanced/X.1.1/detail", "1")], "data/facts.yaml, entry 'X.1.1', field 'detail': is '1' but the code says 1"),
    ([("enhanced/X.8.1", {"subject": 8, "detail": 1, "title": "Other", "basic_codes": [], "references": ["RFC 3463 §2"]})],
     "data/facts.yaml, entry 'X.8.1', field 'subject': subject 8 is not one of RFC 3463's 0 to 7"),
    *[([("enhanced/X.1.1/title", value)],
       "data/facts.yaml, entry 'X.1.1', field 'title': must be the registry's sample text (empty only for a deprecated code)")
      for value in (DELETE, "", "  ", 7)],
    ([("enhanced/X.1.1/title", "Bad destination\x00 mailbox address")],
     "data/facts.yaml, entry 'X.1.1', field 'title': holds the control character U+0000"),
    ([("enhanced/X.6.10/title", None)],
     "data/facts.yaml, entry 'X.6.10', field 'title': must be the registry's sample text (empty only for a deprecated code)"),
    ([("enhanced/X.1.1/basic_codes", DELETE)], "data/facts.yaml, entry 'X.1.1', field 'basic_codes': is missing"),
    *[([("enhanced/X.1.1/basic_codes", ["550", value])],
       f"data/facts.yaml, entry 'X.1.1', field 'basic_codes': {value!r} is not a basic code, a class such as '5XX', or 'Any'")
      for value in ("55", "650", "5xx", "any", "Not given")],
    ([("enhanced/X.1.1/references", [])], "data/facts.yaml, entry 'X.1.1', field 'references': needs at least one reference"),
    ([("enhanced/X.6.10/deprecated_by", "X.6.9")],
     "data/facts.yaml, entry 'X.6.10', field 'deprecated_by': names 'X.6.9', which is not in the catalogue"),
    # the confused pairs
    *[([("confused", value)], "data/facts.yaml, field 'confused': must be a list of [code, code] pairs")
      for value in (DELETE, "450-vs-550", {"450": "550"})],
    *[([("confused", [["450", "550"], value])], f"data/facts.yaml, field 'confused': {value!r} is not a [code, code] pair")
      for value in ("450-vs-550", ["450"], ["450", "550", "X.1.1"], ["450", 550], [450, "550"])],
    ([("confused", [["450", "551"]])], "data/facts.yaml, entry '450-vs-551', field 'confused': '551' is not in the catalogue"),
    ([("confused", [["4.1.2", "5.1.1"]])], "data/facts.yaml, entry '4.1.2-vs-5.1.1', field 'confused': '4.1.2' is not in the catalogue"),
    *[([("confused", [pair])],
       f"data/facts.yaml, entry '{pair[0]}-vs-{pair[1]}', field 'confused': "
       "pair two different basic codes or two different enhanced codes")
      for pair in (["550", "550"], ["5.1.1", "5.1.1"], ["550", "5.1.1"], ["5.1.1", "550"])],
]


@pytest.mark.parametrize("changes, message", [pytest.param(*case, id=_case_id(case[0])) for case in BROKEN_FACTS])
def test_broken_facts_fail_naming_file_entry_and_field(tmp_path, changes, message):
    with pytest.raises(CatalogueError) as info:
        _facts_catalogue(tmp_path, _changed_facts(*changes))
    assert str(info.value) == message


@pytest.mark.parametrize("top", [["schema", 1], "schema: 1", None], ids=["list", "string", "empty"])
def test_facts_must_be_a_mapping(tmp_path, top):
    with pytest.raises(CatalogueError) as info:
        _facts_catalogue(tmp_path, top)
    assert str(info.value) == "data/facts.yaml: the file must hold a mapping at the top"
    assert (info.value.file, info.value.entry, info.value.field) == ("data/facts.yaml", "", "")


def test_the_error_keeps_file_entry_and_field_apart(tmp_path):
    with pytest.raises(CatalogueError) as info:
        _facts_catalogue(tmp_path, _changed_facts(("basic/550/retry", "later")))
    assert (info.value.file, info.value.entry, info.value.field) == ("data/facts.yaml", "550", "retry")


@pytest.mark.parametrize(
    "changes",
    [[("basic/550/class", 5), ("basic/550/category", 5)],  # stating the digits right is allowed
     [("basic/560", BASIC_560)],  # a non-standard code needs no reference
     [("basic/560", dict(BASIC_560, references=[]))],
     [("languages", ["en", "vi", "fil"])],
     [("enhanced/X.1.1/basic_codes", ["5XX", "Any", "250"])],
     [("enhanced/X.1.1/references", ["IANA X.1.1", "draft-ietf-smtp-foo", "RFC 3463"])],
     [("confused", [])]],
)
def test_valid_variations_load(tmp_path, changes):
    cat = _facts_catalogue(tmp_path, _changed_facts(*changes))
    assert set(cat.basic) >= {"450", "550"}


def test_a_small_catalogue_keeps_every_fact(tmp_path):
    cat = _facts_catalogue(tmp_path, small_facts())
    assert cat.languages == ("en", "vi")
    assert cat.confused == (("450", "550"),)
    assert list(cat.basic) == ["450", "550"]  # sorted by code
    assert list(cat.enhanced) == ["X.1.1", "X.6.8", "X.6.10", "X.7.1"]  # sorted by subject, then detail, as numbers
    b = cat.basic["550"]
    assert isinstance(b, BasicEntry) and repr(b) == "BasicEntry('550', status='core')"
    assert (b.key, b.kind, b.status, b.retry, b.actor, b.source) == ("550", "basic", "core", "dont-retry", "depends", "builtin")
    assert (b.references, b.commands, b.enhanced) == (("RFC 5321 §4.2.2",), ("MAIL", "RCPT"), ("5.7.1",))
    assert (b.reply_class, b.category) == (5, 5)
    assert cat.basic["450"].enhanced == ()  # "enhanced" is optional
    e = cat.enhanced["X.1.1"]
    assert isinstance(e, EnhancedEntry) and repr(e) == "EnhancedEntry('X.1.1')"
    assert (e.key, e.kind, e.subject, e.detail, e.title) == ("X.1.1", "enhanced", 1, 1, "Bad destination mailbox address")
    assert (e.basic_codes, e.registry_basic_text, e.deprecated_by, e.references) == (
        ("451", "550"), "451, 550", "", ("RFC 3463 §3.2",))
    assert e.registry_classes == ("4", "5")
    old = cat.enhanced["X.6.10"]
    assert (old.title, old.deprecated_by, old.basic_codes, old.registry_basic_text) == ("", "X.6.8", (), "")
    assert old.registry_classes == ()
    t = cat.topics["subjects"]["7"]
    assert isinstance(t, Topic) and repr(t) == "Topic('subjects', '7')"
    assert (t.kind, t.digit, t.key, t.references, t.source) == ("subjects", "7", "7", ("RFC 3463 §2",), "builtin")
    assert {kind: list(table) for kind, table in cat.topics.items()} == {
        "classes": ["2", "3", "4", "5"], "categories": ["0", "1", "2", "3", "4", "5"],
        "enhanced_classes": ["2", "4", "5"], "subjects": ["0", "1", "2", "3", "4", "5", "6", "7"]}


def test_related_enhanced_joins_practice_and_the_registry(tmp_path):
    cat = _facts_catalogue(tmp_path, small_facts())
    # 550: 5.7.1 from its own "enhanced", 5.1.1 and 5.6.8 from the registry; in code order
    assert cat.related_enhanced("550") == ("5.1.1", "5.6.8", "5.7.1")
    assert cat.related_enhanced("450") == ()  # no registry entry names 450 here
    assert cat.related_enhanced("451") == ()  # X.1.1 names 451, but the catalogue has no 451
    assert cat.related_enhanced("599") == ()
    # a code listed in both places appears once; 5.6.8 comes before 5.6.10
    listed_twice = _changed_facts(("basic/550/enhanced", ["5.6.10", "5.1.1", "4.1.1"]))
    assert _facts_catalogue(tmp_path, listed_twice).related_enhanced("550") == ("4.1.1", "5.1.1", "5.6.8", "5.6.10")


def test_errors_name_the_folder_given(data_copy):
    # a folder of one's own is named as given; the package's own data as the repository names it (no machine path)
    _edit(data_copy / "facts.yaml", "schema: 1", "schema: 2")
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy)
    assert str(info.value) == f"{data_copy}/facts.yaml, field 'schema': schema must be 1, found 2"
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data")
    assert str(info.value) == "data/facts.yaml, field 'schema': schema must be 1, found 2"
    assert Catalogue(Path(smtpteach.__file__).parent / "data")._root_name == "smtpteach/data"


def test_entries_are_immutable(tmp_path):
    cat = _facts_catalogue(tmp_path, small_facts())
    for entry in (cat.basic["550"], cat.enhanced["X.1.1"], cat.topics["classes"]["5"]):
        with pytest.raises(AttributeError, match=f"^{type(entry).__name__} is immutable$"):
            entry.references = ()
    with pytest.raises(TypeError, match=re.escape("unknown fields ['colour']")):
        BasicEntry(references=(), source="x", _catalogue=cat, colour="blue")


def test_entry_fields_left_out_take_their_defaults(tmp_path):
    cat = _facts_catalogue(tmp_path, small_facts())
    b = BasicEntry(references=(), source="x", _catalogue=cat, code=cat.basic["550"].code)
    assert (b.commands, b.enhanced, b.status, b.retry) == ((), (), None, None)
    e = EnhancedEntry(references=(), source="x", _catalogue=cat, code=cat.enhanced["X.1.1"].code)
    assert (e.title, e.basic_codes, e.registry_basic_text, e.deprecated_by) == ("", (), "", "")
    t = Topic(references=(), source="x", _catalogue=cat)
    assert (t.kind, t.digit) == ("", "")


def test_a_duplicate_key_holding_a_colon_is_named_in_full(tmp_path):
    (tmp_path / "facts.yaml").write_text('schema: 1\nbasic:\n  "a: b": {}\n  "a: b": {}\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(tmp_path, root_name="data")
    assert "duplicate key 'a: b' on line 4" in str(info.value)


def test_duplicate_keys_name_the_key_and_its_line(tmp_path):
    (tmp_path / "facts.yaml").write_text('schema: 1\nbasic:\n  "211": {}\n  "250": {}\n  "211": {}\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(tmp_path, root_name="data")
    assert str(info.value) == "data/facts.yaml, entry '211': duplicate key '211' on line 5"


def test_a_file_that_is_not_yaml_or_not_text_is_named(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("schema: 1\nbasic: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(tmp_path, root_name="data")
    # YAML's own words, on one line; the C loader's where PyYAML has it
    problem = ("did not find expected node content in \"<unicode string>\", line 3, column 1" if yaml.__with_libyaml__
               else "expected the node content, but found '<stream end>' in \"<unicode string>\", line 3, column 1: ^")
    assert str(info.value) == f"data/facts.yaml: not valid YAML: while parsing a flow node {problem}"
    facts.write_bytes(b"schema: 1\nlanguages: [\xff]\n")
    with pytest.raises(CatalogueError) as info:
        Catalogue(tmp_path, root_name="data")
    assert str(info.value) == ("data/facts.yaml: cannot read the file: 'utf-8' codec can't decode byte 0xff "
                               "in position 22: invalid start byte")
    facts.unlink()
    with pytest.raises(CatalogueError) as info:
        Catalogue(tmp_path, root_name="data")
    assert str(info.value) == f"data/facts.yaml: cannot read the file: [Errno 2] No such file or directory: '{facts}'"


# -- the prose of each language ---------------------------------------------------------

def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


PROSE = '{name: "N", description: "D.", when: "W.", fix: "F."}'

# (file, text to replace or None to append, the new text, the whole message)
BROKEN_PROSE = [
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "450-vs-550": "{a} ',
     "data/vi/pairs.yaml, entry '450-vs-550', field 'pairs': must be one non-empty sentence without { or }"),
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "450-vs-550": "{ ',
     "data/vi/pairs.yaml, entry '450-vs-550', field 'pairs': must be one non-empty sentence without { or }"),
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "450-vs-550": "a} ',
     "data/vi/pairs.yaml, entry '450-vs-550', field 'pairs': must be one non-empty sentence without { or }"),
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "450-vs-550": "  "\n  "x": "',
     "data/vi/pairs.yaml, entry '450-vs-550', field 'pairs': must be one non-empty sentence without { or }"),
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "450-vs-550": 7\n  "x": "',
     "data/vi/pairs.yaml, entry '450-vs-550', field 'pairs': must be one non-empty sentence without { or }"),
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "450-vs-551": "',
     "data/vi/pairs.yaml, entry '450-vs-551', field 'pairs': no such pair in facts.yaml's confused list"),
    ("vi/pairs.yaml", '  "450-vs-550": "', '  "550-vs-450": "',
     "data/vi/pairs.yaml, entry '550-vs-450', field 'pairs': no such pair in facts.yaml's confused list"),
    ("vi/pairs.yaml", "pairs:\n", "pairs: []\nnot_pairs:\n",
     "data/vi/pairs.yaml, entry 'pairs': must be a mapping, found list"),
    ("vi/ui.yaml", None, '\npairs:\n  "450-vs-550": "Again."\n',
     "data/vi/ui.yaml, entry '450-vs-550', field 'pairs': also defined in data/vi/pairs.yaml"),
    ("vi/pairs.yaml", None, '\nui:\n  language_name: "Tiếng Việt"\n',
     "data/vi/ui.yaml, entry 'ui.language_name': defined twice"),
    ("vi/pairs.yaml", None, "\nui: [language_name]\n", "data/vi/pairs.yaml, entry 'ui': must be a mapping, found list"),
    ("vi/pairs.yaml", None, "\ncolours: {}\n", "data/vi/pairs.yaml: unknown section 'colours'"),
    ("vi/pairs.yaml", None, "\nbasic: []\n", "data/vi/pairs.yaml, entry 'basic': must be a mapping, found list"),
    ("vi/ui.yaml", None, f'\nbasic:\n  "550": {PROSE}\n',
     "data/vi/ui.yaml, entry '550', field 'basic': also defined in data/vi/basic-5xx.yaml"),
    ("vi/ui.yaml", None, f'\nsubjects:\n  "7": {PROSE}\n',
     "data/vi/ui.yaml, entry '7', field 'subjects': also defined in data/vi/enhanced-0-4.yaml"),
    ("vi/ui.yaml", None, f'\nsubjects:\n  "8": {PROSE}\n',
     "data/vi/ui.yaml, entry '8', field 'subjects': there is no such subjects code in facts.yaml"),
    ("vi/ui.yaml", None, f'\nenhanced:\n  "X.1.99": {PROSE}\n',
     "data/vi/ui.yaml, entry 'X.1.99', field 'enhanced': there is no such enhanced code in facts.yaml"),
    ("vi/ui.yaml", None, f'\nbasic:\n  "599": {PROSE}\n  "598": {PROSE}\n',
     "data/vi/ui.yaml, entry '598', field 'basic': there is no such basic code in facts.yaml"),
    ("vi/ui.yaml", None, '\nbasic:\n  "599": "Lỗi"\n', "data/vi/ui.yaml, entry '599': must be a mapping, found str"),
    ("vi/ui.yaml", None, '\nbasic:\n  "599": {name: "N", description: "D.", when: "W.", fix: "F.", hint: "H."}\n',
     "data/vi/ui.yaml, entry '599', field 'hint': unknown field; expected one of description, fix, name, when"),
    ("vi/ui.yaml", None, '\nbasic:\n  "599": {name: "N", description: "D.", when: "W.", fix: 5}\n',
     "data/vi/ui.yaml, entry '599', field 'fix': is missing or empty"),
    ("vi/ui.yaml", None, '\nbasic:\n  "599": {name: "N", description: "D.", when: "W.{"}\n',
     "data/vi/ui.yaml, entry '599', field 'when': must not contain { or } (they mark template slots)"),
    ("vi/ui.yaml", None, '\nbasic:\n  "599": {name: "N", description: "D.}", when: "W."}\n',
     "data/vi/ui.yaml, entry '599', field 'description': must not contain { or } (they mark template slots)"),
    ("en/ui.yaml", "  language_name: ", "  language_name: x\n  nom: ",
     "data/vi/, entry 'ui': UI strings differ from en: missing nom"),
    ("vi/ui.yaml", "  language_name: ", "  language_name: x\n  nom: ",
     "data/vi/, entry 'ui': UI strings differ from en: not in en: nom"),
    ("vi/ui.yaml", "  language_name: ", "  language_name: x\n  nom: x\n  nam: ",
     "data/vi/, entry 'ui': UI strings differ from en: not in en: nam, nom"),
    ("en/ui.yaml", "  language_name: ", "  language_name: x\n  nom: x\n  nam: ",
     "data/vi/, entry 'ui': UI strings differ from en: missing nam, nom"),
]


@pytest.mark.parametrize("file, old, new, message", [pytest.param(*case, id=_case_id(case[3].split(", ", 1)[-1])) for case in BROKEN_PROSE])
def test_broken_prose_fails_naming_file_entry_and_field(data_copy, file, old, new, message):
    if old is None:
        _append(data_copy / file, new)
    else:
        _edit(data_copy / file, old, new)
    cat = Catalogue(data_copy, root_name="data")
    with pytest.raises(CatalogueError) as info:
        cat.check()
    assert str(info.value) == message


def test_missing_prose_and_pair_reasons_name_the_language_folder(data_copy):
    _edit(data_copy / "vi" / "pairs.yaml", '  "450-vs-550": "', '  "x": "')
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value) == "data/vi/pairs.yaml, entry 'x', field 'pairs': no such pair in facts.yaml's confused list"
    _edit(data_copy / "vi" / "pairs.yaml", '  "x": "', '# "x": "')
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value) == "data/vi/, entry '450-vs-550', field 'pairs': no vi reason for this confused pair"


def test_missing_prose_names_the_first_missing_entry(data_copy):
    basic = data_copy / "en" / "basic-5xx.yaml"
    data = yaml.safe_load(basic.read_text(encoding="utf-8"))
    del data["basic"]["553"], data["basic"]["552"]
    basic.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").text("basic", "550")
    assert str(info.value) == "data/en/, entry '552': no en prose for this basic entry"


@pytest.mark.parametrize("how", ["no-folder", "no-yaml-files"])
def test_a_language_without_files_fails(data_copy, how):
    folder = data_copy / "vi"
    for path in folder.iterdir():
        if how == "no-folder" or path.suffix == ".yaml":
            path.unlink()
    if how == "no-folder":
        folder.rmdir()
    else:
        (folder / "README.txt").write_text("translations go here", encoding="utf-8")
    cat = Catalogue(data_copy, root_name="data")
    assert cat.text("basic", "550").name == "Mailbox Unavailable"  # English still loads
    with pytest.raises(CatalogueError) as info:
        cat.text("basic", "550", lang="vi")
    assert str(info.value) == "data/vi/: no prose files"


def test_a_prose_file_that_is_not_yaml_is_named(data_copy):
    (data_copy / "vi" / "pairs.yaml").write_text("pairs: {}\npairs: {}\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value) == "data/vi/pairs.yaml, entry 'pairs': duplicate key 'pairs' on line 2"


def test_topics_have_prose_in_every_language(data_copy):
    topic = Catalogue(data_copy, root_name="data").topics["classes"]["5"]
    assert topic.name() == "Permanent Negative Completion" and topic.name(lang="vi") == "Thất bại vĩnh viễn"


def test_a_key_that_is_a_list_is_refused_by_name(tmp_path):
    (tmp_path / "facts.yaml").write_text("schema: 1\n? [a, b]\n: 1\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(tmp_path, root_name="data")
    assert str(info.value) == "data/facts.yaml, entry \"['a', 'b']\": a key must be a plain value, not list ['a', 'b'], on line 2"


def test_a_prose_file_must_hold_a_mapping(data_copy):
    (data_copy / "vi" / "pairs.yaml").write_text("- 450-vs-550\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value) == "data/vi/pairs.yaml: the file must hold a mapping at the top"


def test_the_first_language_is_the_model_for_the_ui_strings(data_copy):
    # the slots of a template must agree with the first language's, whichever side is wrong
    _edit(data_copy / "en" / "ui.yaml", 'title: "SMTP {a}', 'title: "SMTP {first}')
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value).startswith("data/vi/, entry 'ui.templates.title': the template's slots differ from en's: 'SMTP {first}")
    # with the languages the other way round, vi is the model and en is checked against it
    _edit(data_copy / "facts.yaml", "languages: [en, vi]", "languages: [vi, en]")
    with pytest.raises(CatalogueError) as info:
        Catalogue(data_copy, root_name="data").check()
    assert str(info.value).startswith("data/en/, entry 'ui.templates.title': the template's slots differ from vi's: 'SMTP {a}")


def test_prose_is_read_a_language_at_a_time_and_whitespace_is_folded(data_copy):
    _edit(data_copy / "vi" / "pairs.yaml", '  "450-vs-550": "', '  "450-vs-550": "  Hai   mã\n    ')
    cat = Catalogue(data_copy, root_name="data")
    assert cat.pair_reason("450", "550", lang="vi").startswith("Hai mã ")
    assert cat.pair_reason("550", "450", lang="vi") == ""  # a pair is keyed in the order of facts.yaml
    assert cat.pair_reason("211", "550") == (
        "Both can come back while you poke at a server by hand, yet one is a harmless status report and the other a hard rejection.")
    assert cat.ui(lang="vi")["language_name"] == "Tiếng Việt" and cat.ui()["language_name"] == "English"
    assert [e.key for e in cat.search("mailbox đầy", lang="vi")][:1] == ["X.2.2"]
    assert cat.text("classes", "5", lang="vi") == Text(**{f: getattr(cat.text("classes", "5", lang="vi"), f)
                                                          for f in ("name", "description", "when", "fix")})


def test_text_and_ui_need_a_known_language_and_entry(catalogue):
    for call in (lambda: catalogue.text("basic", "550", lang="fr"), lambda: catalogue.ui(lang="fr"),
                 lambda: catalogue.pair_reason("450", "550", lang="fr"), lambda: catalogue.lookup("550").name(lang="fr")):
        with pytest.raises(InvalidArgumentError) as info:
            call()
        assert str(info.value) == "unknown language 'fr'; the catalogue has en, vi"
    with pytest.raises(UnknownCodeError) as info:
        catalogue.text("basic", "599")
    assert str(info.value) == "no basic entry '599' in the catalogue" and info.value.code == "599"
    with pytest.raises(UnknownCodeError, match=re.escape("no subjects entry '8' in the catalogue")):
        catalogue.text("subjects", "8", lang="vi")


def test_text_value():
    t = Text("N", "D.", "W.", "F.")
    assert t.as_dict() == {"name": "N", "description": "D.", "when": "W.", "fix": "F."}
    assert repr(t) == "Text(name='N')"
    assert t == Text("N", "D.", "W.", "F.") and t != Text("N", "D.", "W.", "G.") and t != ("N", "D.", "W.", "F.")


# -- a user's own codes -------------------------------------------------------------------

EN = {"name": "Provider Block", "description": "The provider refuses mail.", "when": "After RCPT.", "fix": "Ask them."}
VI = {"name": "Nhà cung cấp chặn", "description": "Nhà cung cấp từ chối thư.", "when": "Sau RCPT.", "fix": "Hỏi họ."}


def own_codes() -> dict:
    return {
        "schema": 1,
        "basic": {"577": {"status": "non-standard", "commands": ["RCPT"], "retry": "dont-retry",
                          "actor": "sender-admin", "text": {"en": dict(EN), "vi": dict(VI)}}},
        "enhanced": {"X.7.99": {"subject": 7, "detail": 99, "title": "Provider policy", "basic_codes": ["550"],
                                "references": ["draft-provider-policy"],
                                "text": {"en": dict(EN, name="Provider Policy"), "vi": dict(VI, name="Chính sách")}}},
    }


def _own_file(tmp_path: Path, data: object, name: str = "provider.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


BROKEN_OWN = [
    ([("schema", 2)], "{path}, field 'schema': schema must be 1, found 2"),
    ([("schema", True)], "{path}, field 'schema': schema must be 1, found True"),
    ([("schema", 1.0)], "{path}, field 'schema': schema must be 1, found 1.0"),
    # what only the package's own facts hold is not quietly skipped in a user's file
    *[([(key, value)], f"{{path}}: unknown top-level key {key!r}; expected one of ['basic', 'enhanced', 'schema']")
      for key, value in (("confused", [["559", "550"]]), ("classes", {"2": {}}), ("languages", ["fr"]))],
    ([("basic/577/text", DELETE)], "{path}, entry '577', field 'text': must be a mapping, found NoneType"),
    ([("basic/577/text/vi", DELETE)], "{path}, entry '577', field 'text': no vi prose; every entry needs en, vi"),
    ([("basic/577/text/en", DELETE)], "{path}, entry '577', field 'text': no en prose; every entry needs en, vi"),
    ([("basic/577/text/fr", dict(EN))], "{path}, entry '577', field 'text.fr': unknown language 'fr'; the catalogue has en, vi"),
    # a misspelt language is named as such, not as the language it stands for missing (a teacher review)
    ([("basic/577/text/vn", dict(VI)), ("basic/577/text/vi", DELETE)],
     "{path}, entry '577', field 'text.vn': unknown language 'vn'; the catalogue has en, vi, and this entry has no vi prose"),
    # the registry title is checked as the prose is (a teacher review: ESC and "{code}" loaded)
    ([("enhanced/X.7.99/title", "Provider \x1b[31mpolicy")],
     "{path}, entry 'X.7.99', field 'title': holds the control character U+001B"),
    ([("enhanced/X.7.99/title", "Provider policy {code}")],
     "{path}, entry 'X.7.99', field 'title': must not contain {{ or }} (they mark template slots)"),
    ([("enhanced/X.7.99/registry_basic_text", "550\x9b2J")],
     "{path}, entry 'X.7.99', field 'registry_basic_text': holds the control character U+009B"),
    ([("enhanced/X.7.99/text/vi/name", "")], "{path}, entry 'X.7.99', field 'text.vi.name': is missing or empty"),
    ([("basic/577/text/en/name", "Acme\nblock\u0000")],
     "{path}, entry '577', field 'text.en.name': holds the control character U+0000"),
    ([("basic/577/text/vi/fix", "Xem \x1b[31mlog\x1b[0m")],
     "{path}, entry '577', field 'text.vi.fix': holds the control character U+001B"),
    ([("enhanced/X.7.99/basic_codes", ["5.7.1"])],
     "{path}, entry 'X.7.99', field 'basic_codes': '5.7.1' is not a basic code, a class such as '5XX', or 'Any'"),
    ([("basic/577/status", "core")],
     "{path}, entry '577', field 'status': the second digit 7 is outside RFC 5321's 0-5, so status must be 'non-standard'"),
    ([("basic/549", dict(own_codes()["basic"]["577"], status="core"))], "{path}, entry '549', field 'references': is missing"),
    ([("enhanced/X.1.1", own_codes()["enhanced"]["X.7.99"])], "{path}, entry 'X.1.1', field 'subject': is 7 but the code says 1"),
    ([("enhanced/X.1.1", dict(own_codes()["enhanced"]["X.7.99"], subject=1, detail=1))],
     "{path}, entry 'X.1.1', field 'override': clashes with the built-in enhanced code X.1.1; add 'override: true' to the entry to replace it"),
    ([("basic/550", dict(own_codes()["basic"]["577"], override="yes"))],
     "{path}, entry '550', field 'override': clashes with the built-in basic code 550; add 'override: true' to the entry to replace it"),
    # a typo in "enhanced" (a teacher review: "5.1.11" was shown as a related code, and broke a Sphinx build later)
    ([("basic/577/enhanced", ["5.7.1", "5.1.11"])],
     "{path}, entry '577', field 'enhanced': '5.1.11' is not in the catalogue: there is no enhanced entry X.1.11"),
    ([("basic/577/enhanced", ["5.7.98"])],
     "{path}, entry '577', field 'enhanced': '5.7.98' is not in the catalogue: there is no enhanced entry X.7.98"),
    ([("enhanced/X.7.99/deprecated_by", "X.7.98")],
     "{path}, entry 'X.7.99', field 'deprecated_by': names 'X.7.98', which is not in the catalogue"),
]


@pytest.mark.parametrize("changes, message", [pytest.param(*case, id=_case_id(case[0])) for case in BROKEN_OWN])
def test_broken_own_codes_fail_naming_the_users_file(tmp_path, catalogue, changes, message):
    data = own_codes()
    for path, value in changes:
        _change(data, path, value)
    path = _own_file(tmp_path, data)
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert str(info.value) == message.format(path=path)


@pytest.mark.parametrize("top", [["577"], None], ids=["list", "empty"])
def test_own_codes_file_must_be_a_mapping(tmp_path, catalogue, top):
    path = _own_file(tmp_path, top)
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert str(info.value) == f"{path}: the file must hold a mapping at the top"


@pytest.mark.parametrize("path", [None, 5, b"provider.yaml"])
def test_own_codes_file_named_by_something_else_than_a_path(catalogue, path):
    with pytest.raises(smtpteach.InvalidTypeError, match=f"^with_file\\(\\) reads a path to a YAML file, not {type(path).__name__}$"):
        catalogue.with_file(path)


def test_own_codes_file_that_cannot_be_read(tmp_path, catalogue):
    path = tmp_path / "missing.yaml"
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert str(info.value) == f"{path}: cannot read the file: [Errno 2] No such file or directory: '{path}'"


def test_own_codes_join_the_catalogue(tmp_path, catalogue):
    path = _own_file(tmp_path, own_codes())
    extended = catalogue.with_file(str(path))
    basic, enhanced = extended.lookup("577"), extended.lookup("5.7.99")
    assert (basic.source, basic.references, basic.status) == (str(path), (), "non-standard")
    assert enhanced is extended.enhanced["X.7.99"] and enhanced.source == str(path)
    assert basic.text(lang="vi") == Text(**VI)
    assert enhanced.name() == "Provider Policy" and enhanced.name(lang="vi") == "Chính sách"
    assert extended.search("Provider Policy")[:1] == [enhanced]
    # the new codes are indexed: sorted in, and the registry link from X.7.99 to 550 is followed
    assert list(extended.basic) == sorted(extended.basic) and list(extended.enhanced)[-1] == "X.7.99"
    assert "5.7.99" in extended.related_enhanced("550") and "5.7.99" not in catalogue.related_enhanced("550")
    assert len(extended) == len(catalogue) + 2
    # the built-in catalogue and its prose are untouched, and the rest is shared
    assert catalogue.get("577") is None and catalogue.get("X.7.99") is None
    assert extended.lookup("550") is catalogue.lookup("550")
    assert extended.ui(lang="vi") == catalogue.ui(lang="vi")
    assert extended.pair_reason("450", "550") == catalogue.pair_reason("450", "550") != ""
    assert extended.confused == catalogue.confused and extended.languages == catalogue.languages


def test_own_enhanced_codes_count_for_what_a_basic_entry_lists(tmp_path, catalogue):
    # a basic entry may list an enhanced code that its own file adds (below it), or that a file read before added
    codes = own_codes()
    codes["basic"]["577"]["enhanced"] = ["5.7.99", "5.7.1"]
    extended = catalogue.with_file(_own_file(tmp_path, codes, "first.yaml"))
    assert extended.lookup("577").enhanced == ("5.7.99", "5.7.1")
    later = {"schema": 1, "basic": {"578": dict(codes["basic"]["577"], enhanced=["4.7.99"])}}
    assert extended.with_file(_own_file(tmp_path, later, "second.yaml")).lookup("578").enhanced == ("4.7.99",)
    with pytest.raises(CatalogueError, match="entry '578', field 'enhanced': '4.7.99' is not in the catalogue"):
        catalogue.with_file(_own_file(tmp_path, later, "second.yaml"))


def test_an_enhanced_code_listed_with_a_leading_zero_is_the_entry_it_names(tmp_path, catalogue):
    # "5.07.1" is 5.7.1 (RFC 3463 reads the numbers as numbers), as lookup() reads it: it is in the catalogue, and
    # the entry it names is X.7.1 (an audit: checking "X." + the code's digits as written refused it)
    codes = own_codes()
    codes["basic"]["577"]["enhanced"] = ["5.07.1"]
    extended = catalogue.with_file(_own_file(tmp_path, codes))
    assert [extended.lookup(c).key for c in extended.lookup("577").enhanced] == ["X.7.1"]


def test_own_codes_files_add_up(tmp_path, catalogue):
    first = _own_file(tmp_path, own_codes(), "first.yaml")
    second_codes = own_codes()
    second_codes["basic"] = {"578": second_codes["basic"].pop("577")}
    second_codes["basic"]["578"]["text"]["en"]["name"] = "Second Block"
    del second_codes["enhanced"]
    extended = catalogue.with_file(first).with_file(_own_file(tmp_path, second_codes, "second.yaml"))
    assert [extended.lookup(c).name() for c in ("577", "578", "X.7.99")] == ["Provider Block", "Second Block", "Provider Policy"]
    assert extended.lookup("577").name(lang="vi") == "Nhà cung cấp chặn"


def test_an_override_replaces_an_entry_and_its_prose(tmp_path, catalogue):
    codes = {"schema": 1, "enhanced": {"X.1.1": dict(own_codes()["enhanced"]["X.7.99"], subject=1, detail=1, override=True)}}
    extended = catalogue.with_file(_own_file(tmp_path, codes))
    assert extended.lookup("5.1.1").title == "Provider policy"
    assert [e.key for e in extended.search("provider policy")][:1] == ["X.1.1"]
    assert extended.lookup("5.1.1").name(lang="vi") == "Chính sách"
    assert catalogue.lookup("5.1.1").title == "Bad destination mailbox address"


def test_own_codes_file_that_is_not_yaml(tmp_path, catalogue):
    path = tmp_path / "provider.yaml"
    path.write_text('schema: 1\nbasic:\n  "577": {}\n  "577": {}\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert str(info.value) == f"{path}, entry '577': duplicate key '577' on line 4"


ALIAS_BOMB = "".join(f", &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi"))


def test_own_codes_file_with_an_alias_that_yaml_safe_dump_writes(tmp_path, catalogue):
    # a list used twice is written once with an anchor and then as an alias: the file is read as it means
    codes = own_codes()
    codes["basic"]["578"] = dict(codes["basic"]["577"])  # its lists are those of 577
    path = _own_file(tmp_path, codes)
    assert "*id001" in path.read_text(encoding="utf-8")
    extended = catalogue.with_file(path)
    assert extended.lookup("577").commands == extended.lookup("578").commands == tuple(codes["basic"]["577"]["commands"])


@pytest.mark.parametrize(("text", "message"), [
    # 1.7 KB that stand for 9**9 values: an error message once tried to spell them out, and ran out of memory
    ('schema: 1\nbasic:\n  "577":\n    status: non-standard\n    commands: [RCPT]\n    retry: retry\n'
     f"    actor: [&a [l, l, l, l, l, l, l, l, l]{ALIAS_BOMB}]\n",
     "YAML aliases (*name) make more than 1,000,000 values of a few lines; write each value out instead"),
    ('schema: 1\nbasic:\n  "577": {status: non-standard, commands: &c [RCPT, *c], retry: retry, actor: sender}\n',
     "a YAML alias (*name) stands inside the value its anchor (&name) names, which would hold itself"),
], ids=["alias-bomb", "itself"])
def test_own_codes_file_with_yaml_aliases_that_cannot_be_meant(tmp_path, catalogue, text, message):
    path = tmp_path / "provider.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert str(info.value) == f"{path}: {message}"


def test_a_list_as_a_key_is_shown_short(tmp_path, catalogue):
    path = tmp_path / "provider.yaml"
    path.write_text("schema: 1\nbasic:\n  ? [" + ", ".join(map(str, range(500))) + "]\n  : {}\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        catalogue.with_file(path)
    assert "a key must be a plain value, not list [0, 1, 2, 3, 4, 5, ...], on line 3" in str(info.value)


def test_comparisons_made_before_an_override_are_not_reused(tmp_path, catalogue):
    from smtpteach import compare

    assert compare("550", "450", catalogue=catalogue).sections[0].name == "Mailbox Unavailable"
    codes = {"schema": 1, "basic": {"550": dict(own_codes()["basic"]["577"], override=True)}}
    extended = catalogue.with_file(_own_file(tmp_path, codes))
    assert compare("550", "450", catalogue=extended).sections[0].name == "Provider Block"
    assert compare("550", "450", catalogue=catalogue).sections[0].name == "Mailbox Unavailable"


def test_a_fresh_catalogue_reads_rfc3463_use_and_leaves_it_empty_where_the_rfc_is_silent():
    from smtpteach._loading import _data_dir

    cat = Catalogue(_data_dir())  # built here, not the cached default: the loading itself is what is tested
    assert [cat.lookup(c).rfc3463_use for c in ("X.2.2", "X.7.1", "X.3.2", "X.1.1", "X.4.7")] == [
        "transient", "permanent", "either", "", ""]
