"""The corpus of real replies that measures whether explain() generalises.

``tests/data/corpus/<source-id>.yaml`` holds the rows of one independent public
source (a provider's help pages, an MTA's documentation or source, another
project's test suite, one project's issue threads): every row a reply text as a
server or MTA wrote it, with its reason in Sisimai 5's vocabulary and who gave
that label. The corpus is split **by source**, never by row: a source whose id
hashes into the first quarter is held back. Rules and data are written from the
development part only; the held-back part is for measuring (``make bench``).
The split depends on nothing but the id, so adding a source never moves another.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"

# Sisimai 5's reasons (lib/Sisimai/Reason/*.pm), the vocabulary of explain() too.
REASONS = frozenset("""
authfailure badreputation blocked contenterror delivered emailtoolarge expired failedstarttls feedback
filtered hasmoved hostunknown mailboxfull mailererror networkerror norelaying notaccept notcompliantrfc
onhold policyviolation ratelimited rejected requireptr securityerror spamdetected suppressed suspend
syntaxerror systemerror systemfull undefined userunknown vacation virusdetected
""".split())
# Sisimai 4's names for what Sisimai 5 calls otherwise
OLD_NAMES = {"speeding": "ratelimited", "toomanyconn": "ratelimited", "exceedlimit": "emailtoolarge",
             "mesgtoobig": "emailtoolarge"}
KINDS = frozenset({"provider-help", "mta-docs", "mta-source", "test-suite", "issue-thread", "corpus", "forum"})
LABELS = frozenset({"source", "sisimai", "project"})
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# libyaml's parser where PyYAML has it: the same data, ten times as fast over a thousand files
FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CorpusError(ValueError):
    """A malformed corpus file: names the file, the row and the field."""

    def __init__(self, path: Path, message: str, row: int | None = None, field: str | None = None):
        where = path.name + (f", row {row}" if row is not None else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    kind: str
    independent_of: tuple[str, ...]

    @property
    def held_back(self) -> bool:
        """A quarter of the sources, chosen by the id's hash alone."""
        return held_back(self.id)


@dataclass(frozen=True)
class Row:
    text: str
    reason: str
    label: str
    source: Source
    number: int  # 1-based, in its file


# the kinds of page a project publishes: one project's source, docs and issue threads
# are one publisher, and fall on the same side of the split
_PUBLISHER = re.compile(r"-(?:src|docs|issues|help|tests|forum)$")


def publisher(source_id: str) -> str:
    """The publisher of a source: its id without the kind of page.

    >>> publisher("haraka-src"), publisher("haraka-issues"), publisher("set-of-emails-tests")
    ('haraka', 'haraka', 'set-of-emails')
    """
    return _PUBLISHER.sub("", source_id)


# Sources whose rows one project gathered and labelled, split by the software that wrote them: Sisimai's
# sample bounces, one source for each MTA or provider (so each one's templates fall on one side of the split)
_SISIMAI = re.compile(r"^(?:sisimai-[a-z0-9-]+-tests|set-of-emails-tests)$")


def collector(source_id: str) -> str:
    """Who gathered a source's rows: the publisher, or the project whose collection it is part of.
    Placeholder names and test domains go with the collector ("kijitora", "nyaan" in Sisimai's samples),
    so whatever learns from words counts a word's users by collector, never by source.

    >>> collector("sisimai-postfix-tests"), collector("set-of-emails-tests"), collector("haraka-issues")
    ('sisimai', 'sisimai', 'haraka')
    """
    return "sisimai" if _SISIMAI.match(source_id) else publisher(source_id)


def held_back(source_id: str) -> bool:
    """Whether a source belongs to the held-back part: the first hex digit of the
    SHA-1 of its publisher is 0 to 3, a quarter of all publishers. A project's
    source code and its issue threads are held back together, or not at all.

    >>> held_back("gmail-help"), held_back("haraka-src") == held_back("haraka-issues")
    (False, True)
    """
    return hashlib.sha1(publisher(source_id).encode()).hexdigest()[0] in "0123"


def _need(cond: bool, path: Path, message: str, row: int | None = None, field: str | None = None) -> None:
    if not cond:
        raise CorpusError(path, message, row, field)


def load_file(path: Path) -> tuple[Source, list[Row]]:
    """One source's file, checked."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_YAML)
    except yaml.YAMLError as exc:
        raise CorpusError(path, f"not valid YAML: {exc}") from None
    _need(isinstance(data, dict) and set(data) == {"source", "rows"}, path, "the file holds exactly 'source' and 'rows'")
    meta = data["source"]
    _need(isinstance(meta, dict), path, "must be a mapping", field="source")
    for key in ("id", "title", "url", "kind"):
        _need(isinstance(meta.get(key), str) and meta[key].strip() != "", path, "must be a non-empty string", field=f"source.{key}")
    _need(meta["id"] == path.stem, path, f"the id {meta['id']!r} must equal the file name", field="source.id")
    _need(bool(ID_RE.match(meta["id"])), path, "lowercase letters, digits and hyphens only", field="source.id")
    _need(meta["kind"] in KINDS, path, f"{meta['kind']!r} is not one of {', '.join(sorted(KINDS))}", field="source.kind")
    _need(meta["url"].startswith(("https://", "http://")), path, "must be a web address", field="source.url")
    others = meta.get("independent_of", []) or []
    _need(isinstance(others, list) and all(isinstance(o, str) for o in others), path, "must be a list of source ids",
          field="source.independent_of")
    extra = set(meta) - {"id", "title", "url", "kind", "independent_of"}
    _need(not extra, path, f"unknown keys {sorted(extra)}", field="source")
    source = Source(meta["id"], meta["title"], meta["url"], meta["kind"], tuple(others))
    rows_data = data["rows"]
    _need(isinstance(rows_data, list) and rows_data, path, "must be a non-empty list", field="rows")
    rows = []
    for n, item in enumerate(rows_data, start=1):
        _need(isinstance(item, dict), path, "must be a mapping", row=n)
        extra = set(item) - {"text", "reason", "label", "where", "note"}
        _need(not extra, path, f"unknown keys {sorted(extra)}", row=n)
        _need(isinstance(item.get("text"), str) and item["text"].strip() != "", path, "must be a non-empty string", row=n, field="text")
        reason = item.get("reason")
        _need(isinstance(reason, str), path, "must be a string", row=n, field="reason")
        reason = OLD_NAMES.get(reason, reason)
        _need(reason in REASONS, path, f"{reason!r} is not a Sisimai 5 reason", row=n, field="reason")
        _need(item.get("label") in LABELS, path, f"{item.get('label')!r} is not one of {', '.join(sorted(LABELS))}",
              row=n, field="label")
        rows.append(Row(item["text"].strip(), reason, item["label"], source, n))
    return source, rows


def load(folder: Path = CORPUS) -> tuple[dict[str, Source], list[Row]]:
    """Every source and every row of the corpus (new containers each call; the project's own
    corpus is read once per process, since nothing changes it while the tests run)."""
    sources, rows = _load_project() if folder == CORPUS else _load(folder)
    return dict(sources), list(rows)


@functools.cache
def _load_project() -> tuple[dict[str, Source], tuple[Row, ...]]:
    return _load(CORPUS)


def _load(folder: Path) -> tuple[dict[str, Source], tuple[Row, ...]]:
    sources: dict[str, Source] = {}
    rows: list[Row] = []
    for path in sorted(folder.glob("*.yaml")):
        source, mine = load_file(path)
        sources[source.id] = source
        rows += mine
    return sources, tuple(rows)


def parts(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(development, held back)."""
    return [r for r in rows if not r.source.held_back], [r for r in rows if r.source.held_back]
