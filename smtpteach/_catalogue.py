"""The catalogue: facts stored once, prose per language, validated at load.

Data files ship inside the package (``smtpteach/data``) and are read with
YAML's safe loader (the C loader where available), then cached by checksum.
Facts are read on the first lookup; each language's prose is read the first time
that language is asked for. Every problem raises :class:`CatalogueError` naming
the file, the entry and the field.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing costs import time; annotations are strings here
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

from ._codes import ENHANCED_CODE_RE, REPLY_CODE_RE, EnhancedStatusCode, ReplyCode
from ._errors import CatalogueError, InvalidArgumentError, InvalidCodeError, InvalidTypeError, UnknownCodeError

__all__ = [
    "Text",
    "Topic",
    "BasicEntry",
    "EnhancedEntry",
    "Catalogue",
    "default_catalogue",
    "lookup",
    "get",
    "search",
    "STATUSES",
    "RETRY",
    "ACTORS",
    "COMMANDS",
    "TEXT_FIELDS",
]

SCHEMA = 1
TEXT_FIELDS = ("name", "description", "when", "fix")
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


class Text:
    """The four prose fields of one entry in one language."""

    __slots__ = TEXT_FIELDS

    def __init__(self, name: str, description: str, when: str, fix: str):
        self.name, self.description, self.when, self.fix = name, description, when, fix

    def as_dict(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in TEXT_FIELDS}

    def __repr__(self) -> str:
        return f"Text(name={self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and self.as_dict() == other.as_dict()


class _Entry:
    """Common ground of catalogue entries: immutable after construction."""

    __slots__ = ("references", "source", "_catalogue")
    kind = ""

    def __init__(self, *, references: tuple[str, ...], source: str, _catalogue: Catalogue, **fields: Any):
        setter = object.__setattr__
        setter(self, "references", references)
        setter(self, "source", source)
        setter(self, "_catalogue", _catalogue)
        for name in self.__slots__:
            if name in fields:
                setter(self, name, fields.pop(name))
            elif not hasattr(self, name):
                setter(self, name, self._defaults.get(name))  # type: ignore[attr-defined]
        if fields:
            raise TypeError(f"unknown fields {sorted(fields)}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def key(self) -> str:
        raise NotImplementedError

    def text(self, *, lang: str = "en") -> Text:
        """This entry's prose in ``lang``."""
        return self._catalogue.text(self.kind, self.key, lang=lang)

    def name(self, *, lang: str = "en") -> str:
        """This entry's name in ``lang`` ("Mailbox unavailable")."""
        return self.text(lang=lang).name


class Topic(_Entry):
    """A class, category, enhanced class or subject: a digit and its meaning."""

    __slots__ = ("kind", "digit")
    _defaults: dict[str, Any] = {"kind": "", "digit": ""}

    @property
    def key(self) -> str:
        return self.digit

    def __repr__(self) -> str:
        return f"Topic({self.kind!r}, {self.digit!r})"


class BasicEntry(_Entry):
    """A basic reply code in the catalogue (RFC 5321 §4.2).

    ``enhanced`` lists the enhanced codes seen with it in practice beyond the
    registry; :meth:`Catalogue.related_enhanced` gives the full list.
    """

    __slots__ = ("code", "status", "commands", "retry", "actor", "enhanced")
    _defaults: dict[str, Any] = {"commands": (), "enhanced": ()}
    kind = "basic"

    @property
    def key(self) -> str:
        return self.code.code

    @property
    def reply_class(self) -> int:
        return self.code.reply_class

    @property
    def category(self) -> int:
        return self.code.category

    def __repr__(self) -> str:
        return f"BasicEntry({self.code.code!r}, status={self.status!r})"


class EnhancedEntry(_Entry):
    """An enhanced status code of the IANA registry (RFC 3463, RFC 5248)."""

    __slots__ = ("code", "title", "basic_codes", "registry_basic_text", "deprecated_by", "rfc3463_use")
    _defaults: dict[str, Any] = {"title": "", "basic_codes": (), "registry_basic_text": "", "deprecated_by": "", "rfc3463_use": ""}
    kind = "enhanced"

    @property
    def key(self) -> str:
        return self.code.code

    @property
    def subject(self) -> int:
        return self.code.subject

    @property
    def detail(self) -> int:
        return self.code.detail

    @property
    def registry_classes(self) -> tuple[str, ...]:
        """The classes the registry pairs this code with, from its basic codes:
        "550" or "5XX" give 5, "Any" gives 2, 4 and 5; "Not given" gives none.

        >>> default_catalogue().lookup("X.1.1").registry_classes
        ('4', '5')
        """
        if "Any" in self.basic_codes:
            return ("2", "4", "5")
        return tuple(sorted({b[0] for b in self.basic_codes if b[:1] in ("2", "4", "5")}))

    def __repr__(self) -> str:
        return f"EnhancedEntry({self.code.code!r})"


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
                    f"a key must be a plain value, not {type(key).__name__} {key!r}, on line {key_node.start_mark.line + 1}",
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
        return yaml.load(text, Loader=loader)
    except CatalogueError as exc:
        raise CatalogueError(exc.message, file=name, entry=exc.entry, field=exc.field) from None
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())
        raise CatalogueError(f"not valid YAML: {problem}", file=name) from None


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for search ("Hộp thư" ~ "hop thu")."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Catalogue:
    """Every basic and enhanced code, with prose per language.

    Build one with :meth:`builtin` (cached as the default) or extend it with your
    own codes via :meth:`with_file`.
    """

    def __init__(self, root: Any, *, root_name: str = "smtpteach/data"):
        root = os.fspath(root)
        self._root = root
        self._root_name = root_name
        facts_name = f"{root_name}/facts.yaml"
        facts = _read_yaml(os.path.join(root, "facts.yaml"), facts_name)
        self.languages: tuple[str, ...] = ()
        self.basic: dict[str, BasicEntry] = {}
        self.enhanced: dict[str, EnhancedEntry] = {}
        self.topics: dict[str, dict[str, Topic]] = {}
        self._texts: dict[str, dict[tuple[str, str], Text]] = {}
        self._ui: dict[str, dict[str, Any]] = {}
        self._pair_text: dict[str, dict[str, str]] = {}
        self.confused: tuple[tuple[str, str], ...] = ()
        self._extra_texts: dict[str, dict[tuple[str, str], Text]] = {}
        self._search_index: dict[str, list[tuple[Any, tuple[_Field, ...]]]] = {}
        self._load_facts(facts, facts_name, _BUILTIN)
        self._builtin_keys = frozenset(
            [("basic", k) for k in self.basic] + [("enhanced", k) for k in self.enhanced]
            + [(kind, k) for kind, table in self.topics.items() for k in table]
        )
        self._index()

    # -- loading -----------------------------------------------------------
    def _load_facts(self, facts: Any, name: str, source: str, *, user: bool = False) -> None:
        if not isinstance(facts, dict):
            raise CatalogueError("the file must hold a mapping at the top", file=name)
        schema = facts.get("schema")
        if schema != SCHEMA:
            raise CatalogueError(f"schema must be {SCHEMA}, found {schema!r}", file=name, field="schema")
        known = {"schema", "languages", "basic", "enhanced", "confused", *TOPIC_KINDS}
        for key in facts:
            if key not in known:
                raise CatalogueError(f"unknown top-level key {key!r}; expected one of {sorted(known)}", file=name)
        if not user:
            langs = facts.get("languages")
            if not (isinstance(langs, list) and langs and all(isinstance(x, str) and re.fullmatch(r"[a-z]{2,3}", x) for x in langs)):
                raise CatalogueError("languages must be a list of language codes such as [en, vi]", file=name, field="languages")
            self.languages = tuple(langs)
            for kind, keys in TOPIC_KINDS.items():
                section = _section(facts, kind, name)
                if sorted(section) != sorted(keys):
                    raise CatalogueError(f"must hold exactly the keys {list(keys)}, found {sorted(section)}", file=name, field=kind)
                self.topics[kind] = {
                    k: Topic(references=_references(v, name, k), source=source, _catalogue=self, kind=kind, digit=k)
                    for k, v in section.items()
                }
        for code, raw in _section(facts, "basic", name, required=not user).items():
            entry = self._basic_entry(code, raw, name, source)
            self._add("basic", self.basic, entry.key, entry, raw, name, user)
        for code, raw in _section(facts, "enhanced", name, required=not user).items():
            entry = self._enhanced_entry(code, raw, name, source)
            self._add("enhanced", self.enhanced, entry.key, entry, raw, name, user)
        if not user:
            self.confused = self._load_pairs(facts.get("confused"), name)
        for entry in self.enhanced.values():
            if entry.deprecated_by and entry.deprecated_by not in self.enhanced:
                raise CatalogueError(f"names {entry.deprecated_by!r}, which is not in the catalogue", file=name, entry=entry.key, field="deprecated_by")

    def _load_pairs(self, raw: Any, name: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(raw, list):
            raise CatalogueError("must be a list of [code, code] pairs", file=name, field="confused")
        pairs = []
        for item in raw:
            if not (isinstance(item, list) and len(item) == 2 and all(isinstance(c, str) for c in item)):
                raise CatalogueError(f"{item!r} is not a [code, code] pair", file=name, field="confused")
            for c in item:
                if self.get(c) is None:
                    raise CatalogueError(f"{c!r} is not in the catalogue", file=name, entry="-vs-".join(item), field="confused")
            if ("." in item[0]) != ("." in item[1]) or item[0] == item[1]:
                raise CatalogueError("pair two different basic codes or two different enhanced codes", file=name, entry="-vs-".join(item), field="confused")
            pairs.append((item[0], item[1]))
        return tuple(pairs)

    def _add(self, kind: str, table: dict, key: str, entry: Any, raw: dict, name: str, user: bool) -> None:
        if key in table and not (user and raw.get("override") is True):
            source = table[key].source
            existing = f"the built-in {kind} code {key}" if source == _BUILTIN else f"the {kind} code {key} from {source}"
            raise CatalogueError(
                f"clashes with {existing}; add 'override: true' to the entry to replace it",
                file=name, entry=key, field="override",
            )
        table[key] = entry

    def _basic_entry(self, code: Any, raw: Any, name: str, source: str) -> BasicEntry:
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
            references=refs, source=source, _catalogue=self, code=rc, status=status,
            commands=tuple(commands), retry=_choice(raw, "retry", RETRY, name, code),
            actor=_choice(raw, "actor", ACTORS, name, code), enhanced=tuple(enhanced),
        )

    def _enhanced_entry(self, code: Any, raw: Any, name: str, source: str) -> EnhancedEntry:
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
        basics = _str_list(raw, "basic_codes", name, code)
        for b in basics:
            if not _REGISTRY_BASIC_RE.fullmatch(b):
                raise CatalogueError(f"{b!r} is not a basic code, a class such as '5XX', or 'Any'", file=name, entry=code, field="basic_codes")
        return EnhancedEntry(
            references=_references(raw, name, code), source=source, _catalogue=self, code=esc,
            title=title, basic_codes=tuple(basics),
            registry_basic_text=str(raw.get("registry_basic_text", "")), deprecated_by=str(deprecated_by),
            rfc3463_use=_choice(raw, "rfc3463_use", RFC3463_USE, name, code) if "rfc3463_use" in raw else "",
        )

    def _index(self) -> None:
        self.basic = dict(sorted(self.basic.items()))
        self.enhanced = dict(sorted(self.enhanced.items(), key=lambda kv: kv[1].code.sort_key()))
        related: dict[str, list[str]] = {k: list(e.enhanced) for k, e in self.basic.items()}
        for entry in self.enhanced.values():
            for b in entry.basic_codes:
                if b in related:
                    concrete = f"{b[0]}.{entry.subject}.{entry.detail}"
                    if concrete not in related[b]:
                        related[b].append(concrete)
        self._related = {
            k: tuple(sorted(v, key=lambda c: EnhancedStatusCode(c).sort_key())) for k, v in related.items()
        }

    def _require_language(self, lang: str) -> None:
        """Raise :class:`InvalidArgumentError` unless the catalogue has ``lang``: the
        caller asked for a language, no data file is broken."""
        if lang not in self.languages:
            raise InvalidArgumentError(f"unknown language {lang!r}; the catalogue has {', '.join(self.languages)}")

    def _load_language(self, lang: str) -> None:
        self._require_language(lang)
        folder = os.path.join(self._root, lang)
        texts: dict[tuple[str, str], Text] = {}
        where: dict[tuple[str, str], str] = {}
        ui: dict[str, Any] = {}
        pair_text: dict[str, str] = {}
        try:
            files = sorted(n for n in os.listdir(folder) if n.endswith(".yaml"))
        except OSError:
            files = []
        if not files:
            raise CatalogueError("no prose files", file=f"{self._root_name}/{lang}/")
        for filename in files:
            name = f"{self._root_name}/{lang}/{filename}"
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
        wanted = set(self._builtin_keys)
        for ident in sorted(set(texts) - wanted):
            raise CatalogueError(f"there is no such {ident[0]} code in facts.yaml", file=where[ident], entry=ident[1], field=ident[0])
        for ident in sorted(wanted - set(texts)):
            raise CatalogueError(f"no {lang} prose for this {ident[0]} entry", file=f"{self._root_name}/{lang}/", entry=ident[1])
        wanted_pairs = {f"{a}-vs-{b}" for a, b in self.confused}
        for key in sorted(set(pair_text) - wanted_pairs):
            raise CatalogueError("no such pair in facts.yaml's confused list", file=where[("pairs", key)], entry=key, field="pairs")
        for key in sorted(wanted_pairs - set(pair_text)):
            raise CatalogueError(f"no {lang} reason for this confused pair", file=f"{self._root_name}/{lang}/", entry=key, field="pairs")
        if lang != self.languages[0]:
            self._check_ui(ui, lang)
        texts.update(self._extra_texts.get(lang, {}))
        self._texts[lang] = texts
        self._ui[lang] = ui
        self._pair_text[lang] = pair_text

    def _check_ui(self, ui: dict[str, Any], lang: str) -> None:
        """Every language has the same UI strings as the first, with the same slots."""
        from ._templates import SLOT_RE

        first = self.languages[0]
        base, mine = _leaves(self.ui(lang=first)), _leaves(ui)
        where = f"{self._root_name}/{lang}/"
        missing, extra = sorted(set(base) - set(mine)), sorted(set(mine) - set(base))
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"not in {first}: {', '.join(extra)}"] if extra else [])
            raise CatalogueError(f"UI strings differ from {first}: {'; '.join(parts)}", file=where, entry="ui")
        for path, value in base.items():
            if set(SLOT_RE.findall(str(value))) != set(SLOT_RE.findall(str(mine[path]))):
                raise CatalogueError(f"the template's slots differ from {first}'s: {value!r}", file=where, entry=f"ui.{path}")

    # -- prose -------------------------------------------------------------
    def text(self, kind: str, key: str, *, lang: str = "en") -> Text:
        """The prose of one entry in ``lang``: ``kind`` is "basic", "enhanced", "classes",
        "categories", "subjects" or "enhanced_classes", and ``key`` the entry's key
        ("550", "X.1.1", "5")."""
        if lang not in self._texts:
            self._load_language(lang)
        try:
            return self._texts[lang][(kind, key)]
        except KeyError:
            raise UnknownCodeError(f"no {kind} entry {key!r} in the catalogue", code=key) from None

    def ui(self, *, lang: str = "en") -> dict[str, Any]:
        """The UI labels and sentence templates of ``lang``."""
        if lang not in self._texts:
            self._load_language(lang)
        return self._ui[lang]

    def pair_reason(self, a: str, b: str, *, lang: str = "en") -> str:
        """Why a frequently confused pair is confusing, or "" for other pairs."""
        self.ui(lang=lang)
        return self._pair_text[lang].get(f"{a}-vs-{b}", "")

    def check(self) -> None:
        """Load and validate every language now (otherwise done on first use)."""
        for lang in self.languages:
            if lang not in self._texts:
                self._load_language(lang)

    # -- extending ---------------------------------------------------------
    def with_file(self, path: str | Path) -> Catalogue:
        """A new catalogue: this one plus the codes in a user's YAML file.

        The file holds ``schema: 1`` and ``basic:``/``enhanced:`` entries with
        the same facts as the built-in ones plus ``text: {en: {...}, vi: {...}}``.
        A clash with a built-in code is an error unless the entry says
        ``override: true``.
        """
        name = os.fspath(path)
        data = _read_yaml(path, name)
        new = object.__new__(Catalogue)
        new.__dict__.update(self.__dict__)
        new.basic, new.enhanced = dict(self.basic), dict(self.enhanced)
        new._texts, new._ui, new._pair_text, new._search_index = {}, {}, {}, {}
        new.__dict__.pop("_compare_facts", None)  # memoised comparisons of the old catalogue
        new._extra_texts = {lang: dict(t) for lang, t in self._extra_texts.items()}
        new._load_facts(data, name, name, user=True)
        for kind in ENTRY_KINDS:
            for key, raw in _section(data, kind, name, required=False).items():
                texts = _mapping(raw.get("text"), name, str(key), field="text")
                for lang in self.languages:
                    if lang not in texts:
                        raise CatalogueError(f"no {lang} prose; every entry needs {', '.join(self.languages)}", file=name, entry=str(key), field="text")
                for lang in texts:
                    if lang not in self.languages:
                        raise CatalogueError(f"unknown language {lang!r}", file=name, entry=str(key), field="text")
                    entry_key = (new.basic if kind == "basic" else new.enhanced)[
                        str(key) if kind == "basic" else EnhancedStatusCode(str(key)).code
                    ].key
                    new._extra_texts.setdefault(lang, {})[(kind, entry_key)] = _text(
                        texts[lang], name, str(key), field=f"text.{lang}"
                    )
        new._index()
        return new

    # -- lookup ------------------------------------------------------------
    def get(self, code: str | int | ReplyCode | EnhancedStatusCode) -> BasicEntry | EnhancedEntry | None:
        """The entry for ``code``, or None. "5.1.1" and "X.1.1" both find X.1.1."""
        try:
            return self.lookup(code)
        except (UnknownCodeError, InvalidCodeError):
            return None

    def lookup(self, code: str | int | ReplyCode | EnhancedStatusCode) -> BasicEntry | EnhancedEntry:
        """The entry for ``code``; raises UnknownCodeError with suggestions.

        A basic code may be given as a number (550), as :class:`ReplyCode` accepts it.
        """
        if isinstance(code, (ReplyCode, EnhancedStatusCode)):
            code = code.code
        elif isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str):
            raise UnknownCodeError(
                f"{code!r} is not a code: pass a string such as '550' or '5.1.1', or a number such as 550",
                code=repr(code),
            )
        text = code.strip()
        if REPLY_CODE_RE.fullmatch(text):
            entry = self.basic.get(text)
            if entry is not None:
                return entry
            near = self._suggest_basic(text)
            raise UnknownCodeError(_miss(f"{text} is not in the catalogue", near), code=text, suggestions=near)
        try:
            esc = EnhancedStatusCode(text)
        except InvalidCodeError:
            near = self._suggest_text(text)
            raise UnknownCodeError(  # what was typed, not the stripped text: " " is not ''
                _miss(f"{code!r} is not a reply code (three digits, 2xx-5xx) or an enhanced status code (such as 5.1.1)", near),
                code=code, suggestions=near,
            ) from None
        entry = self.enhanced.get(esc.generic)
        if entry is not None:
            return entry
        near = tuple(k for k in self.enhanced if self.enhanced[k].subject == esc.subject)[:5]
        raise UnknownCodeError(_miss(f"{text} is not in the enhanced status code registry", near), code=text, suggestions=near)

    def related_enhanced(self, code: str) -> tuple[str, ...]:
        """Concrete enhanced codes related to a basic code (registry plus practice)."""
        return self._related.get(code, ())

    def _suggest_basic(self, code: str) -> tuple[str, ...]:
        def distance(other: str) -> tuple[int, int]:
            diff = sum(a != b for a, b in zip(code, other))
            return (diff, abs(int(code) - int(other)))
        ranked = sorted((k for k in self.basic if k[0] == code[0]), key=distance)
        return tuple(ranked[:3])

    def _suggest_text(self, text: str) -> tuple[str, ...]:
        digits = re.sub(r"[^0-9.]", "", text)
        found: list[str] = []
        if re.fullmatch(r"[0-9]{3,4}", digits):
            for cut in (digits[:3], digits[-3:]):
                if cut in self.basic and cut not in found:
                    found.append(cut)
        elif re.fullmatch(r"[0-9]{2}", digits):
            found.extend(k for k in self.basic if k.startswith(digits))
        return tuple(found[:5])

    # -- iteration and search ------------------------------------------------
    def __iter__(self) -> Iterator[BasicEntry | EnhancedEntry]:
        yield from self.basic.values()
        yield from self.enhanced.values()

    def __len__(self) -> int:
        return len(self.basic) + len(self.enhanced)

    def __contains__(self, code: object) -> bool:
        return (isinstance(code, (str, int, ReplyCode, EnhancedStatusCode)) and not isinstance(code, bool)
                and self.get(code) is not None)

    def search(self, words: str, *, lang: str = "en") -> list[BasicEntry | EnhancedEntry]:
        """Entries whose code or prose contains every word, best first.

        Entries holding two or more words as a phrase (whole words, in order) come
        first, then those holding every word in one field, then the rest; within each
        group the code outranks the name, which outranks the registry title,
        which outranks the description, which outranks the rest of the prose. In a
        language other than the first, the first language's name and description
        count too, below all of that language's own prose.
        """
        if not isinstance(words, str):
            raise InvalidTypeError(f"search needs the words as a string, such as 'mailbox full', not {words!r}")
        # A word typed with diacritics must match them ("hộp" is not "hợp");
        # a word typed without them matches either ("hop thu" finds "hộp thư").
        terms = [(w.casefold(), w.isascii()) for w in words.split()]
        if not terms:
            return []
        # Two or more words may form a phrase; one word ranks as it always has.
        phrase = [(t, t.isascii()) for t in _TOKEN_RE.findall(words.casefold())]
        if len(phrase) < 2:
            phrase = []
        scored = []
        for entry, fields in self._search_fields(lang):
            total = 0
            for term, plain in terms:
                best = max((f.weight for f in fields if f.holds(term, plain)), default=0)
                if best == 0:
                    break
                total += best
            else:
                together = max((f.weight for f in fields
                                if all(f.holds(term, plain) for term, plain in terms)), default=0)
                in_order = max((f.weight for f in fields if f.has_phrase(phrase)), default=0)
                scored.append((-in_order, -together, -total, entry.kind != "basic", entry.key, entry))
        scored.sort(key=lambda s: s[:5])
        return [s[5] for s in scored]

    def _search_fields(self, lang: str) -> list[tuple[Any, tuple[_Field, ...]]]:
        """Each entry's searchable fields in ``lang``, folded and split into words once."""
        index = self._search_index.get(lang)
        if index is None:
            index = []
            for entry in self:
                t = entry.text(lang=lang)
                fields = [(entry.key, 8), (t.name, 4), (getattr(entry, "title", ""), 3),
                          (t.description, 2), (t.when, 1), (t.fix, 1)]
                if lang != self.languages[0]:
                    # a reader of another language may still type the English words
                    # ("mailbox full"): the first language's prose counts, below the reader's own
                    first = entry.text(lang=self.languages[0])
                    fields += [(first.name, 0.5), (first.description, 0.25)]
                index.append((entry, tuple(_Field(text, weight) for text, weight in fields)))
            self._search_index[lang] = index
        return index


# Words, and the punctuation that ends a phrase; brackets, quotes and dashes are skipped,
# so "mailbox (hộp thư)" holds the phrase "hộp thư" and "mailbox hộp thư".
_TOKEN_RE = re.compile(r"\w+|[.,;:!?]")


class _Field:
    """One searchable field: casefolded, accent-folded, and as words of each."""

    __slots__ = ("weight", "raw", "folded", "words", "folded_words", "word_set")

    def __init__(self, text: str, weight: float):
        self.weight = weight
        self.raw = text.casefold()
        self.folded = _fold(text)
        self.words = _TOKEN_RE.findall(self.raw)
        self.folded_words = [_fold(w) for w in self.words]
        self.word_set = frozenset(self.words)

    def holds(self, term: str, plain: bool) -> bool:
        """Whether the field holds ``term``. A word typed without diacritics matches
        inside any word, accents folded ("block" in "blocked", "hop" in "hộp"); a
        word typed with them is a Vietnamese syllable, which never inflects, so it
        matches a whole word only ("chặn" is not in "chặng").

        >>> f = _Field("Chặng kế tiếp bị chặn", 1)
        >>> f.holds("chặn", False), f.holds("chặng", False), f.holds("chan", True), f.holds("chă", False)
        (True, True, True, False)
        """
        if plain:
            return term in self.folded
        return term in self.word_set if term.isalnum() else term in self.raw

    def has_phrase(self, phrase: list[tuple[str, bool]]) -> bool:
        """Whether ``phrase`` (words, each with "compare without accents") occurs as whole words in order."""
        n = len(phrase)
        return n > 0 and any(
            all((self.folded_words if plain else self.words)[i + j] == word for j, (word, plain) in enumerate(phrase))
            for i in range(len(self.words) - n + 1)
        )


def _leaves(tree: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(tree, dict):
        return {prefix: tree}
    out: dict[str, Any] = {}
    for key, value in tree.items():
        out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _miss(message: str, near: tuple[str, ...]) -> str:
    return f"{message}; did you mean {', '.join(near)}?" if near else message


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
        if "{" in value or "}" in value:
            raise CatalogueError("must not contain { or } (they mark template slots)", file=name, entry=entry, field=prefix + fld)
        values.append(" ".join(value.split()))
    return Text(*values)


_DEFAULT: Catalogue | None = None


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


def default_catalogue() -> Catalogue:
    """The built-in catalogue, loaded on first use and cached."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Catalogue(_data_dir())
    return _DEFAULT


def _resolve(catalogue: Catalogue | None) -> Catalogue:
    """``catalogue``, or the built-in one for None; anything else is an :class:`InvalidTypeError`."""
    if catalogue is None:
        return default_catalogue()
    if not isinstance(catalogue, Catalogue):
        raise InvalidTypeError(
            f"catalogue must be a smtpteach.Catalogue (or None for the built-in one), not {catalogue!r}"
        )
    return catalogue


def lookup(code: str | int, *, catalogue: Catalogue | None = None) -> BasicEntry | EnhancedEntry:
    """Look a code up; raise :class:`UnknownCodeError` on a miss.

    A basic code may also be a number, as :class:`ReplyCode` accepts.

    >>> lookup("550").status
    'core'
    >>> lookup(550) is lookup("550")
    True
    >>> lookup("5.1.1").title
    'Bad destination mailbox address'
    >>> lookup("559")
    Traceback (most recent call last):
    ...
    smtpteach._errors.UnknownCodeError: 559 is not in the catalogue; did you mean 556, 555, 554?
    """
    return _resolve(catalogue).lookup(code)


def get(code: str | int, *, catalogue: Catalogue | None = None) -> BasicEntry | EnhancedEntry | None:
    """Look a code up; return None on a miss.

    >>> get("571").status
    'non-standard'
    >>> get("599") is None
    True
    """
    return _resolve(catalogue).get(code)


def search(words: str, *, lang: str = "en", catalogue: Catalogue | None = None) -> list[BasicEntry | EnhancedEntry]:
    """Entries whose code or prose holds every word, best first.

    >>> lookup("552") in search("mailbox full")
    True
    >>> search(None)
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidTypeError: search needs the words as a string, such as 'mailbox full', not None
    """
    return _resolve(catalogue).search(words, lang=lang)
