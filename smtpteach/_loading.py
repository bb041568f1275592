"""Reading and checking the catalogue's data files.

The files are YAML, read with the safe loader (the C loader where available)
and cached by checksum (``_read_yaml``). Every field is checked as it is read,
and every problem raises :class:`CatalogueError` naming the file, the entry and
the field. The functions here fill a :class:`~smtpteach._catalogue.Catalogue`'s
tables; the catalogue itself only answers questions about them.
"""

from __future__ import annotations

import functools
import os
import re
import reprlib
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing costs import time; annotations are strings here
    from typing import Any

    from ._catalogue import Catalogue

from ._codes import ENHANCED_CODE_RE, REPLY_CODE_RE, EnhancedStatusCode, ReplyCode
from ._entries import TEXT_FIELDS, BasicEntry, EnhancedEntry, Text, Topic
from ._errors import CatalogueError

SCHEMA = 1
STATUSES = ("core", "extension", "registry-only", "non-standard")
RETRY = ("not-needed", "continue", "retry", "fix-then-retry", "dont-retry")
# "depends": the basic code alone does not say who acts; the enhanced code and the text do (421, 550 ...).
ACTORS = ("nobody", "sender", "sender-admin", "recipient", "recipient-admin", "depends")
# the class RFC 3463 §3 says an enhanced detail is for, where it names one: 4 (transient), 5, or both
RFC3463_USE = ("transient", "permanent", "either")
# CONNECT is the opening of the connection; * is "any command" (RFC 5321 §4.3.2).
COMMANDS = (
    "CONNECT", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "VRFY", "EXPN",
    "HELP", "NOOP", "QUIT", "STARTTLS", "AUTH", "ETRN", "ATRN", "*",
)
TOPIC_KINDS = {
    # kind: allowed keys
    "classes": ("2", "3", "4", "5"),
    "categories": ("0", "1", "2", "3", "4", "5"),
    "enhanced_classes": ("2", "4", "5"),
    "subjects": ("0", "1", "2", "3", "4", "5", "6", "7"),
}
ENTRY_KINDS = ("basic", "enhanced")
_BUILTIN = "builtin"  # the source of entries from the package's own data
_REGISTRY_BASIC_RE = re.compile(r"[2-5][0-9][0-9]|[2-5]XX|Any")
_REFERENCE_RE = re.compile(r"(RFC [0-9]{3,5}( §[0-9A-Z][0-9.]*)?|IANA X\.[0-9]{1,3}\.[0-9]{1,3}|draft-[a-z0-9-]+)")


def _yaml_loader():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def mapping(loader, node, deep=False):
        loader.flatten_mapping(node)
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)  # a key whole, even a list one, to name it
            try:
                hash(key)
            except TypeError:  # a list or a mapping as a key ("? [a, b]"): no data file has one
                raise CatalogueError(
                    f"a key must be a plain value, not {type(key).__name__} {reprlib.repr(key)}, on line {key_node.start_mark.line + 1}",
                    entry=str(key),
                ) from None
            if key in out:
                raise CatalogueError(
                    f"duplicate key {key!r} on line {key_node.start_mark.line + 1}", entry=str(key)
                )
            out[key] = loader.construct_object(value_node, deep=deep)
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return yaml, Loader


def _cache_dir() -> str | None:
    """Where parsed data files are cached, keyed by their content's checksum.

    ``SMTPTEACH_CACHE_DIR`` overrides the place; setting it to an empty string
    turns the cache off. The cache only saves YAML parsing: every load is still
    validated, and a changed file has a new key, so a stale entry is never read.
    """
    configured = os.environ.get("SMTPTEACH_CACHE_DIR")
    if configured is not None:
        return configured or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "smtpteach")


@functools.lru_cache(maxsize=None)
def _parser_key() -> str:
    """A checksum of this module, which holds the parser: a cache entry written by
    another version of it (one that checked duplicate keys differently, say) is never read."""
    import zlib

    try:
        with open(__file__, "rb") as fh:
            return f"{zlib.crc32(fh.read()):08x}"
    except OSError:  # no source file (a frozen or zipped install): no cache then
        return ""


def _read_yaml(path: Any, name: str) -> Any:
    """Parse one data file (cached as marshal data, which holds only plain values)."""
    try:
        with open(os.fspath(path), "rb") as fh:
            raw = fh.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"cannot read the file: {exc}", file=name) from None
    import marshal
    import sys
    import zlib

    cache = _cache_dir()
    key = (f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}-{len(raw)}-py{sys.version_info[0]}{sys.version_info[1]}"
           f"-{_parser_key()}")
    target = os.path.join(cache, f"{key}.marshal") if cache and _parser_key() else ""
    if target:
        try:
            with open(target, "rb") as fh:
                return marshal.loads(fh.read())
        except (OSError, ValueError, EOFError, TypeError):
            pass
    data = _parse_yaml(text, name)
    if target:
        try:
            os.makedirs(cache, exist_ok=True)
            tmp = f"{target}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                fh.write(marshal.dumps(data))
            os.replace(tmp, target)
        except (OSError, ValueError):
            pass  # the cache is an optimisation only
    return data


def _parse_yaml(text: str, name: str) -> Any:
    yaml, loader = _yaml_loader()
    try:
        data = yaml.load(text, Loader=loader)
    except CatalogueError as exc:
        raise CatalogueError(exc.message, file=name, entry=exc.entry, field=exc.field) from None
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise CatalogueError(f"not valid YAML: {problem}", file=name) from None
    return _without_aliases(data, name) if isinstance(data, (dict, list)) else data


# More values than a data file written out holds (the package's largest holds about 5,000): only aliases make more
_MOST_VALUES = 1_000_000


def _without_aliases(data: Any, name: str) -> Any:
    """``data``, checked for what YAML aliases can make of a few lines. An alias ("*a") is a second reference to
    what an anchor ("&a") named, and ``yaml.safe_dump`` writes one for a list used twice; but a few lines of nested
    aliases stand for billions of values, which a check or an error message would then spell out, and an alias
    inside its own anchor makes a value that holds itself. Each list and mapping is counted once (with what it
    holds), so the count costs no more than the file."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size.get(id(c), 1) for c in children)
            if size[key] > _MOST_VALUES:
                raise CatalogueError(f"YAML aliases (*name) make more than {_MOST_VALUES:,} values of a few lines; "
                                     "write each value out instead", file=name)
            continue
        if key in size:
            continue
        if key in open_:
            raise CatalogueError("a YAML alias (*name) stands inside the value its anchor (&name) names, "
                                 "which would hold itself", file=name)
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (dict, list)) and id(c) not in size)
    return data


def _data_dir() -> str:
    """The package's data folder. importlib.resources is the general route, but it
    costs about 20 ms of imports, so a plain folder next to this file is used when
    the package is installed as files (the usual case)."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    if os.path.isdir(here):
        return here
    import atexit
    from contextlib import ExitStack
    from importlib.resources import as_file, files  # a zip import: extract it

    stack = ExitStack()
    atexit.register(stack.close)
    return os.fspath(stack.enter_context(as_file(files("smtpteach") / "data")))


# -- the facts ---------------------------------------------------------------

def load_facts(cat: Catalogue, facts: Any, name: str, source: str, *, user: bool = False) -> None:
    """The entries of a facts file (the package's, or with ``user`` a user's codes file) into ``cat``'s tables."""
    if not isinstance(facts, dict):
        raise CatalogueError("the file must hold a mapping at the top", file=name)
    schema = facts.get("schema")
    if schema != SCHEMA or type(schema) is not int:  # 1, not true or 1.0, which equal it
        raise CatalogueError(f"schema must be {SCHEMA}, found {schema!r}", file=name, field="schema")
    # a user's file adds codes; the languages, the topics and the confused pairs are the package's own
    known = {"schema", "basic", "enhanced"} if user else {"schema", "languages", "basic", "enhanced", "confused", *TOPIC_KINDS}
    for key in facts:
        if key not in known:
            raise CatalogueError(f"unknown top-level key {key!r}; expected one of {sorted(known)}", file=name)
    if not user:
        langs = facts.get("languages")
        if not (isinstance(langs, list) and langs and all(isinstance(x, str) and re.fullmatch(r"[a-z]{2,3}", x) for x in langs)):
            raise CatalogueError("languages must be a list of language codes such as [en, vi]", file=name, field="languages")
        cat.languages = tuple(langs)
        for kind, keys in TOPIC_KINDS.items():
            section = _section(facts, kind, name)
            if sorted(section) != sorted(keys):
                raise CatalogueError(f"must hold exactly the keys {list(keys)}, found {sorted(section)}", file=name, field=kind)
            cat.topics[kind] = {
                k: Topic(references=_references(v, name, k), source=source, _catalogue=cat, kind=kind, digit=k)
                for k, v in section.items()
            }
    for code, raw in _section(facts, "basic", name, required=not user).items():
        entry = _basic_entry(cat, code, raw, name, source)
        _add("basic", cat.basic, entry.key, entry, raw, name, user)
    for code, raw in _section(facts, "enhanced", name, required=not user).items():
        entry = _enhanced_entry(cat, code, raw, name, source)
        _add("enhanced", cat.enhanced, entry.key, entry, raw, name, user)
    if not user:
        cat.confused = _load_pairs(cat, facts.get("confused"), name)
    _check_related(cat, name, source)
    for entry in cat.enhanced.values():
        if entry.deprecated_by and entry.deprecated_by not in cat.enhanced:
            raise CatalogueError(f"names {entry.deprecated_by!r}, which is not in the catalogue", file=name, entry=entry.key, field="deprecated_by")


def _check_related(cat: Catalogue, name: str, source: str) -> None:
    """Each enhanced code a basic entry of this file lists (``enhanced: ["5.7.1"]``) is in the catalogue: the
    registry's, a file's read before, or this file's own (read after its basic section, so checked once both are
    in). A typo ("5.1.11") would otherwise be shown as a related code, and a Sphinx site would fail later in a
    page it generated, far from the line to fix."""
    for entry in cat.basic.values():
        if entry.source != source:
            continue
        for code in entry.enhanced:
            generic = EnhancedStatusCode(code).generic
            if generic not in cat.enhanced:
                raise CatalogueError(f"{code!r} is not in the catalogue: there is no enhanced entry {generic}",
                                     file=name, entry=entry.key, field="enhanced")


def _load_pairs(cat: Catalogue, raw: Any, name: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list):
        raise CatalogueError("must be a list of [code, code] pairs", file=name, field="confused")
    pairs = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(c, str) for c in item)):
            raise CatalogueError(f"{item!r} is not a [code, code] pair", file=name, field="confused")
        for c in item:
            if cat.get(c) is None:
                raise CatalogueError(f"{c!r} is not in the catalogue", file=name, entry="-vs-".join(item), field="confused")
        if ("." in item[0]) != ("." in item[1]) or item[0] == item[1]:
            raise CatalogueError("pair two different basic codes or two different enhanced codes", file=name, entry="-vs-".join(item), field="confused")
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def _add(kind: str, table: dict, key: str, entry: Any, raw: dict, name: str, user: bool) -> None:
    if key in table and not (user and raw.get("override") is True):
        source = table[key].source
        existing = f"the built-in {kind} code {key}" if source == _BUILTIN else f"the {kind} code {key} from {source}"
        raise CatalogueError(
            f"clashes with {existing}; add 'override: true' to the entry to replace it",
            file=name, entry=key, field="override",
        )
    table[key] = entry


def _basic_entry(cat: Catalogue, code: Any, raw: Any, name: str, source: str) -> BasicEntry:
    if not isinstance(code, str) or not REPLY_CODE_RE.fullmatch(code):
        raise CatalogueError("a basic code must be three digits, the first 2 to 5, written as a quoted string", file=name, entry=str(code), field="code")
    raw = _mapping(raw, name, code)
    _only(raw, {"status", "references", "commands", "retry", "actor", "enhanced", "class", "category", "override", "text"}, name, code)
    rc = ReplyCode(code)
    for fld, value in (("class", rc.reply_class), ("category", rc.category)):
        if fld in raw and raw[fld] != value:
            raise CatalogueError(f"is {raw[fld]!r} but the code's digits say {value}", file=name, entry=code, field=fld)
    status = _choice(raw, "status", STATUSES, name, code)
    if not rc.is_standard_grammar and status != "non-standard":
        raise CatalogueError(f"the second digit {rc.category} is outside RFC 5321's 0-5, so status must be 'non-standard'", file=name, entry=code, field="status")
    refs = _references(raw, name, code, required=status != "non-standard")
    commands = _str_list(raw, "commands", name, code)
    for c in commands:
        if c not in COMMANDS:
            raise CatalogueError(f"unknown command {c!r}; expected one of {', '.join(COMMANDS)}", file=name, entry=code, field="commands")
    enhanced = _str_list(raw, "enhanced", name, code, required=False)
    for e in enhanced:
        m = ENHANCED_CODE_RE.fullmatch(e)
        if not m or m.group(1) == "X":
            raise CatalogueError(f"{e!r} is not a concrete enhanced code such as '5.1.1'", file=name, entry=code, field="enhanced")
    return BasicEntry(
        references=refs, source=source, _catalogue=cat, code=rc, status=status,
        commands=tuple(commands), retry=_choice(raw, "retry", RETRY, name, code),
        actor=_choice(raw, "actor", ACTORS, name, code), enhanced=tuple(enhanced),
    )


def _enhanced_entry(cat: Catalogue, code: Any, raw: Any, name: str, source: str) -> EnhancedEntry:
    m = ENHANCED_CODE_RE.fullmatch(code) if isinstance(code, str) else None
    if not m or m.group(1) != "X":
        raise CatalogueError("an enhanced code must be written X.subject.detail, as the registry does", file=name, entry=str(code), field="code")
    raw = _mapping(raw, name, code)
    _only(raw, {"subject", "detail", "title", "basic_codes", "registry_basic_text", "references", "deprecated_by", "rfc3463_use",
                "override", "text"}, name, code)
    esc = EnhancedStatusCode(code)
    if esc.code != code:
        raise CatalogueError(f"write it without leading zeros, as {esc.code!r}", file=name, entry=code, field="code")
    for fld, value in (("subject", esc.subject), ("detail", esc.detail)):
        if raw.get(fld) != value:
            raise CatalogueError(f"is {raw.get(fld)!r} but the code says {value}", file=name, entry=code, field=fld)
    if str(esc.subject) not in TOPIC_KINDS["subjects"]:
        raise CatalogueError(f"subject {esc.subject} is not one of RFC 3463's 0 to 7", file=name, entry=code, field="subject")
    title = raw.get("title")
    deprecated_by = raw.get("deprecated_by", "")
    if not isinstance(title, str) or (not title.strip() and not deprecated_by):
        raise CatalogueError("must be the registry's sample text (empty only for a deprecated code)", file=name, entry=code, field="title")
    title = _prose(title, name, code, "title")
    basics = _str_list(raw, "basic_codes", name, code)
    for b in basics:
        if not _REGISTRY_BASIC_RE.fullmatch(b):
            raise CatalogueError(f"{b!r} is not a basic code, a class such as '5XX', or 'Any'", file=name, entry=code, field="basic_codes")
    return EnhancedEntry(
        references=_references(raw, name, code), source=source, _catalogue=cat, code=esc,
        title=title, basic_codes=tuple(basics),
        registry_basic_text=_prose(str(raw.get("registry_basic_text", "")), name, code, "registry_basic_text"),
        deprecated_by=str(deprecated_by),
        rfc3463_use=_choice(raw, "rfc3463_use", RFC3463_USE, name, code) if "rfc3463_use" in raw else "",
    )


# -- the prose of each language ----------------------------------------------

def load_language(cat: Catalogue, lang: str) -> tuple[dict[tuple[str, str], Text], dict[str, Any], dict[str, str]]:
    """One language's prose files, checked against the facts: its entries' texts, UI strings and pair reasons."""
    cat._require_language(lang)
    folder = os.path.join(cat._root, lang)
    texts: dict[tuple[str, str], Text] = {}
    where: dict[tuple[str, str], str] = {}
    ui: dict[str, Any] = {}
    pair_text: dict[str, str] = {}
    try:
        files = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
    except OSError:
        files = []
    if not files:
        raise CatalogueError("no prose files", file=f"{cat._root_name}/{lang}/")
    for filename in files:
        name = f"{cat._root_name}/{lang}/{filename}"
        data = _read_yaml(os.path.join(folder, filename), name)
        if not isinstance(data, dict):
            raise CatalogueError("the file must hold a mapping at the top", file=name)
        for kind, section in data.items():
            if kind == "pairs":
                for k, v in _mapping(section, name, "pairs").items():
                    ident = ("pairs", str(k))
                    if ident in where:
                        raise CatalogueError(f"also defined in {where[ident]}", file=name, entry=str(k), field="pairs")
                    if not isinstance(v, str) or not v.strip() or "{" in v or "}" in v:
                        raise CatalogueError("must be one non-empty sentence without { or }", file=name, entry=str(k), field="pairs")
                    where[ident] = name
                    pair_text[str(k)] = " ".join(v.split())
                continue
            if kind == "ui":
                for k, v in _mapping(section, name, "ui").items():
                    if k in ui:
                        raise CatalogueError("defined twice", file=name, entry=f"ui.{k}")
                    ui[k] = v
                continue
            if kind not in ENTRY_KINDS and kind not in TOPIC_KINDS:
                raise CatalogueError(f"unknown section {kind!r}", file=name)
            for key, raw in _mapping(section, name, kind).items():
                ident = (kind, str(key))
                if ident in where:
                    raise CatalogueError(f"also defined in {where[ident]}", file=name, entry=str(key), field=kind)
                where[ident] = name
                texts[ident] = _text(raw, name, str(key))
    # every language complete, and nothing that is not in the facts
    wanted = set(cat._builtin_keys)
    for ident in sorted(set(texts) - wanted):
        raise CatalogueError(f"there is no such {ident[0]} code in facts.yaml", file=where[ident], entry=ident[1], field=ident[0])
    for ident in sorted(wanted - set(texts)):
        raise CatalogueError(f"no {lang} prose for this {ident[0]} entry", file=f"{cat._root_name}/{lang}/", entry=ident[1])
    wanted_pairs = {f"{a}-vs-{b}" for a, b in cat.confused}
    for key in sorted(set(pair_text) - wanted_pairs):
        raise CatalogueError("no such pair in facts.yaml's confused list", file=where[("pairs", key)], entry=key, field="pairs")
    for key in sorted(wanted_pairs - set(pair_text)):
        raise CatalogueError(f"no {lang} reason for this confused pair", file=f"{cat._root_name}/{lang}/", entry=key, field="pairs")
    if lang != cat.languages[0]:
        _check_ui(cat, ui, lang)
    texts.update(cat._extra_texts.get(lang, {}))
    return texts, ui, pair_text


def _check_ui(cat: Catalogue, ui: dict[str, Any], lang: str) -> None:
    """Every language has the same UI strings as the first, with the same slots."""
    from ._templates import SLOT_RE

    first = cat.languages[0]
    base, mine = _leaves(cat.ui(lang=first)), _leaves(ui)
    where = f"{cat._root_name}/{lang}/"
    missing, extra = sorted(set(base) - set(mine)), sorted(set(mine) - set(base))
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"not in {first}: {', '.join(extra)}"] if extra else [])
        raise CatalogueError(f"UI strings differ from {first}: {'; '.join(parts)}", file=where, entry="ui")
    for path, value in base.items():
        if set(SLOT_RE.findall(str(value))) != set(SLOT_RE.findall(str(mine[path]))):
            raise CatalogueError(f"the template's slots differ from {first}'s: {value!r}", file=where, entry=f"ui.{path}")


def load_user_texts(cat: Catalogue, data: Any, name: str) -> None:
    """The prose of each entry of a user's codes file, in every language of ``cat``, into its extra texts."""
    for kind in ENTRY_KINDS:
        for key, raw in _section(data, kind, name, required=False).items():
            texts = _mapping(raw.get("text"), name, str(key), field="text")
            # an unknown language first: "vn:" for "vi:" is a misspelt language, not only a missing one
            missing = [lang for lang in cat.languages if lang not in texts]
            for lang in texts:
                if lang not in cat.languages:
                    also = f", and this entry has no {' or '.join(missing)} prose" if missing else ""
                    raise CatalogueError(f"unknown language {lang!r}; the catalogue has {', '.join(cat.languages)}{also}",
                                         file=name, entry=str(key), field=f"text.{lang}")
            for lang in cat.languages:
                if lang not in texts:
                    raise CatalogueError(f"no {lang} prose; every entry needs {', '.join(cat.languages)}", file=name, entry=str(key), field="text")
            for lang in texts:
                entry_key = (cat.basic if kind == "basic" else cat.enhanced)[
                    str(key) if kind == "basic" else EnhancedStatusCode(str(key)).code
                ].key
                cat._extra_texts.setdefault(lang, {})[(kind, entry_key)] = _text(
                    texts[lang], name, str(key), field=f"text.{lang}"
                )


# -- checking one field -------------------------------------------------------

def _leaves(tree: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(tree, dict):
        return {prefix: tree}
    out: dict[str, Any] = {}
    for key, value in tree.items():
        out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _section(data: Any, kind: str, name: str, *, required: bool = True) -> dict:
    if not isinstance(data, dict):
        raise CatalogueError("the file must hold a mapping at the top", file=name)
    if kind not in data:
        if required:
            raise CatalogueError(f"missing section {kind!r}", file=name, field=kind)
        return {}
    return _mapping(data[kind], name, kind)


def _mapping(raw: Any, name: str, entry: str, *, field: str = "") -> dict:
    if not isinstance(raw, dict):
        raise CatalogueError(f"must be a mapping, found {type(raw).__name__}", file=name, entry=entry, field=field)
    return raw


def _only(raw: dict, allowed: set[str], name: str, entry: str, *, prefix: str = "") -> None:
    for key in raw:
        if key not in allowed:
            raise CatalogueError(f"unknown field; expected one of {', '.join(sorted(allowed))}", file=name, entry=entry, field=f"{prefix}{key}")


def _choice(raw: dict, fld: str, allowed: tuple[str, ...], name: str, entry: str) -> str:
    value = raw.get(fld)
    if value not in allowed:
        raise CatalogueError(f"is {value!r}; expected one of {', '.join(allowed)}", file=name, entry=entry, field=fld)
    return value


def _str_list(raw: dict, fld: str, name: str, entry: str, *, required: bool = True) -> list[str]:
    if fld not in raw:
        if required:
            raise CatalogueError("is missing", file=name, entry=entry, field=fld)
        return []
    value = raw[fld]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"must be a list of strings, found {value!r}", file=name, entry=entry, field=fld)
    return value


def _references(raw: Any, name: str, entry: str, *, required: bool = True) -> tuple[str, ...]:
    raw = _mapping(raw, name, entry)
    refs = _str_list(raw, "references", name, entry, required=required)
    if required and not refs:
        raise CatalogueError("needs at least one reference", file=name, entry=entry, field="references")
    for r in refs:
        if not _REFERENCE_RE.fullmatch(r):
            raise CatalogueError(f"{r!r} is not a reference such as 'RFC 5321 §4.2.3'", file=name, entry=entry, field="references")
    return tuple(refs)


# control characters (what white space leaves after the line is joined): C0, DEL and C1
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _composed(text: str) -> str:
    """``text`` composed (NFC), as search composes what is typed: a file saved on macOS, or typed with some
    Vietnamese input methods, holds "ộ" as "o" and two combining marks (NFD), which a search for "lớp đầy" typed
    composed would never find, and which would show as two spellings of one word in a page's index."""
    return unicodedata.normalize("NFC", text)


def _text(raw: Any, name: str, entry: str, *, field: str = "") -> Text:
    """One entry's prose. ``field`` is where it sits in the entry ("text.vi" in a
    user's file), so errors name the language; a built-in file's path names it already."""
    raw = _mapping(raw, name, entry, field=field)
    prefix = f"{field}." if field else ""
    _only(raw, set(TEXT_FIELDS), name, entry, prefix=prefix)
    values = []
    for fld in TEXT_FIELDS:
        value = raw.get(fld)
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError("is missing or empty", file=name, entry=entry, field=prefix + fld)
        values.append(_prose(value, name, entry, prefix + fld))
    return Text(*values)


def _prose(value: str, name: str, entry: str, field: str) -> str:
    """A string a reader sees (a prose field, an enhanced code's registry title): white space folded to single
    spaces and composed (NFC), and refused with { or }, which mark the slots of the templates it is put into, or
    with a control character, which would go as it is into a terminal, a page or a file."""
    if "{" in value or "}" in value:
        raise CatalogueError("must not contain { or } (they mark template slots)", file=name, entry=entry, field=field)
    text = _composed(" ".join(value.split()))
    control = _CONTROL.search(text)
    if control:  # a NUL or an escape (ESC, or C1's CSI)
        raise CatalogueError(f"holds the control character U+{ord(control.group()):04X}", file=name, entry=entry,
                             field=field)
    return text
