"""The ``smtpteach`` command line.

Every command prints to stdout; bad input prints one line to stderr and exits
with status 2, never a traceback. A search or a list that matches nothing says
so on stderr and exits with status 1, as grep does. Output that cannot be written (a
full disk, a closed standard output) is one line on stderr and status 74, sysexits.h's
EX_IOERR, which no script can take for "nothing found" or for a mistake.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from ._errors import InvalidArgumentError, SmtpTeachError
from ._terminal import encodable as _encodable
from ._terminal import escaped as _escaped

FORMATS = ("text", "markdown", "html", "json")
# the status of output that cannot be written: sysexits.h's EX_IOERR (os.EX_IOERR, which Windows lacks)
EX_IOERR = 74
LANGS = ("en", "vi")

# What each command and option is for, as --help shows it in English; data/<lang>/cli.yaml words each ("help") in
# every language, and a test holds the English there to these. argparse's own words (-h's help, "usage: ") are its.
_HELP = {
    "description": "Learn and look up SMTP reply codes.",
    "lang": "language of the prose (default en)",
    "format": "output format (default text)",
    "codes": "also load your own codes from this YAML file",
    "show": "show one code",
    "show_code": "a reply code (550) or an enhanced status code (5.1.1)",
    "list": "list codes",
    "list_class": "only this class",
    "list_enhanced": "list enhanced status codes instead",
    "list_subject": "with --enhanced: only this subject",
    "search": "search codes by words",
    "search_limit": "at most this many results (default 20)",
    "export": "export the whole catalogue",
    "compare": "compare two codes",
    "parse": "parse one reply strictly (RFC 5321 §4.2); '-' reads stdin",
    "parse_lang": "language of the error, when the reply breaks the grammar (default en)",
    "explain": "explain a reply, a bounce or a log line; '-' reads stdin",
    "triage": "explain a whole mail log or folder of bounces, record by record; '-' reads stdin",
    "triage_files": "log files, .eml files, mbox files, Maildirs or folders (gzip too); '-' or none reads stdin",
    "triage_format": "a summary table (default), one JSON record per line, CSV, or an HTML report with a chart",
    "triage_show_unrecognised": "print each line or message not recognised, on stderr",
    "triage_top": "receiving domains, senders and remote hosts shown per failing reason (default 5)",
    "triage_by": "show the top receiving domains, envelope senders or remote hosts of each failing reason; give it "
                 "again for more (default: domains, and senders and hosts where a failing attempt names one)",
    "triage_since": "keep the records at this time or after it: an ISO 8601 date or date and time (2024-03-11, "
                    "2024-03-11T08:00, 2024-03-11T08:00+07:00)",
    "triage_until": "keep the records before this time (a date alone: before its first moment)",
    "triage_excel": "with --format csv: for Excel, UTF-8 with a byte order mark, CRLF rows, cells cut at 32,767 characters",
    "triage_separator": "with --format csv: the column separator (default comma; semicolon where the regional settings "
                        "write decimals with a comma, as Vietnamese ones do)",
    "quiz": "take a quiz in the terminal",
    "quiz_count": "how many questions (default 5; with --questions, all of the file's)",
    "quiz_seed": "the same seed gives the same quiz (default 0)",
    "quiz_questions": "ask your own questions from this YAML file (all of them unless --count says how many)",
    "quiz_no_answers": "leave out the answer key (a quiz to hand out; text, markdown or html)",
}


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+[ \t]*")
# a quoted argument in an error message longer than this is cut, and says how long it was. It is quoted as repr()
# quotes it: a \' or \\ inside does not end it, and a value in double quotes ("it's ...") is taken whole, so that
# its apostrophe is not read as the start of a quotation that runs into the words after it
_QUOTED = re.compile(r"'((?:[^'\\\n]|\\.){80,})'" r'|"((?:[^"\\\n]|\\.)*)"')


# how _shorten says the length of what it cut, in English; data/<lang>/cli.yaml words it ("cut") in every language
_CUT = "{count} characters"

# The command line's own lines on standard error, in English, each after "smtpteach: " or "smtpteach COMMAND: ";
# data/<lang>/cli.yaml words each ("messages") in every language, and a test holds the English there to these
_MESSAGES = {
    # standard input or an argument that is no text (_read); {source} is one of _SOURCES
    "stdin_closed": "'-' reads standard input, but standard input is closed",
    "stdin_unreadable": "cannot read standard input: {reason}",
    "not_utf16": "{source} starts as UTF-16 but is not UTF-16",
    "nul_bytes": "{source} holds NUL bytes (at offset {offset}): it is not text",
    "not_utf8": "{source} is not UTF-8: byte 0x{byte} at offset {offset}",
    "list_filters": "--class and --status filter reply codes; with --enhanced, use --subject",
    "list_subject": "--subject filters enhanced status codes: add --enhanced",
    "list_nothing": "no code matches those filters",
    "search_no_words": "give at least one word to search for",
    "search_nothing": "nothing matches {words}",
    "explain_empty": "nothing to explain: the text is empty",
    "explain_path": "{name} is the name of a file or folder, not a reply: read a bounce with smtpteach explain - < FILE, "
                    "a log or a folder with smtpteach triage {name}",
    "triage_stdin_twice": "'-' (standard input) can be read once only",
    "triage_no_input": "give a log file, a mailbox or a folder of bounces, or pipe a log into it",
    "triage_csv_only": "--excel and --separator shape the CSV: use them with --format csv",
    "triage_window": "--since ({since}) must come before --until ({until})",
    "quiz_no_terminal": "an interactive quiz needs standard input and output; try --format text",
    "quiz_unreadable": "cannot read the answers from standard input: {reason}",
    "quiz_no_answers": "--no-answers prints a quiz to hand out: use it with --format text, markdown or html",
    "stdout_closed": "standard output is closed",
    "cannot_write": "cannot write the output: {reason}",
}
# what _read read, as {source} of a message above: standard input ("-"), or the text of an argument
_SOURCES = {"stdin": "standard input", "text": "the text"}


def _said(key: str, *, lang: str, **values: str) -> str:
    """The command line's own message ``key`` in ``lang``, its {slots} filled with ``values``; in English from
    _MESSAGES (no data file read), in another language from data/<lang>/cli.yaml.

    >>> _said("search_nothing", lang="en", words="'zzz'"), _said("search_nothing", lang="vi", words="'zzz'")
    ("nothing matches 'zzz'", "không có mã nào khớp với 'zzz'")
    """
    from ._templates import fill

    return fill(_MESSAGES[key] if lang == "en" else _cli_words(lang)["messages"][key], values)


def _source(key: str, *, lang: str) -> str:
    """What _read read (``stdin`` or ``text``), as the {source} of its messages in ``lang``."""
    return _SOURCES[key] if lang == "en" else _cli_words(lang)["sources"][key]


def _shorten(message: str, *, lang: str = "en") -> str:
    """An error message whose quoted argument is long (a 100 KB word on the command line) with that argument cut,
    and its length said in ``lang``, the language of the message.

    >>> _shorten("nothing matches '" + "a" * 200 + "'")
    "nothing matches 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' (200 characters)"
    >>> _shorten("giá trị '" + "a" * 90 + "' không hợp lệ", lang="vi").split("...")[1]
    "' (90 ký tự) không hợp lệ"
    """
    from ._templates import fill

    cut = _CUT if lang == "en" else _cli_words(lang)["cut"]

    def shortened(found: re.Match) -> str:
        quote, quoted = ("'", found[1]) if found[1] is not None else ('"', found[2])
        if len(quoted) < 80:
            return found[0]
        return f"{quote}{quoted[:60]}...{quote} ({fill(cut, {'count': str(len(quoted))})})"

    return _QUOTED.sub(shortened, message)


class _UsageError(Exception):
    """Bad input: one line on stderr, status 2. ``lang`` is the language the line is in."""

    status = 2

    def __init__(self, message: str, *, lang: str = "en") -> None:
        super().__init__(message)
        self.lang = lang

    @classmethod
    def keyed(cls, prog: str, key: str, *, lang: str, **values: str) -> _UsageError:
        """The command line's own message ``key`` (cli._MESSAGES) in ``lang``, after ``prog`` ("smtpteach list").

        >>> str(_NoMatch.keyed("smtpteach list", "list_nothing", lang="en"))
        'smtpteach list: no code matches those filters'
        """
        return cls(f"{prog}: {_said(key, lang=lang, **values)}", lang=lang)


class _NoMatch(_UsageError):
    """A valid search or filter that found nothing: status 1, as grep."""

    status = 1


class _NoOutput(_UsageError):
    """Standard output is closed: one line, status EX_IOERR, as when a command's whole output cannot be written."""

    status = EX_IOERR


class _CannotWrite(Exception):
    """Standard output refused what was written (a full disk, an I/O error): one line on stderr, status EX_IOERR."""


def _asked_lang(argv: Sequence[str]) -> str:
    """The language a command line asks for, read before argparse reads it: a usage error stops argparse before it
    reaches ``--lang``, and the help is made before it is shown. ``--lang vi``, ``--lang=vi`` and the abbreviations
    argparse takes (``--la vi``) count wherever they stand, the last one as for argparse; nothing after ``--`` is an
    option, and a language the command line does not have is English.

    >>> _asked_lang(["quiz", "--count", "x", "--lang", "vi"]), _asked_lang(["show", "--lang=vi", "--lang", "en"])
    ('vi', 'en')
    >>> _asked_lang(["explain", "--", "--lang", "vi"]), _asked_lang(["show", "--lang", "fr"])
    ('en', 'en')
    """
    lang = "en"
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        name, equals, value = arg.partition("=")
        if len(name) > 2 and "--lang".startswith(name):
            lang = value if equals else (argv[i + 1] if i + 1 < len(argv) else "")
    return lang if lang in LANGS else "en"


def _cli_words(lang: str) -> dict[str, Any]:
    """The command line's words in ``lang`` (``cli`` in data/<lang>/cli.yaml): help, argparse's own words, and the
    templates of its usage errors."""
    from ._catalogue import default_catalogue

    return default_catalogue().ui(lang=lang)["cli"]


# What argparse fills a slot with where that is typed on the command line, and so may hold any template's own words
# ("--format 'x (choose from y'"): {value} is a value as repr() quotes it (a number as it is, with its minus sign:
# --class -1), which ends at its closing quote; {option} is an option as typed, which runs to the template's last
# words (the option names argparse lists after it never hold them). Any other slot holds argparse's words or the
# command line's, as few as fit
_SLOTS = {"value": r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?[0-9]+""", "option": ".+"}


def _matched(message: str, templates: dict[str, str]) -> tuple[str, dict[str, str]] | None:
    """The key of the template that ``message`` was made from, and what it filled each {slot} with; None if none was.
    The template with the most words of its own is tried first ("invalid choice: {value}, maybe you meant ..."
    before "invalid choice: {value} (...)"), so that no slot takes in words another template has; a slot for what
    was typed takes it whole (_SLOTS), whatever words it holds.

    >>> _matched("unrecognized arguments: --bogus x", {"unrecognized": "unrecognized arguments: {arguments}"})
    ('unrecognized', {'arguments': '--bogus x'})
    >>> _matched("invalid choice: 'x (choose from y' (choose from 'text')",
    ...          {"choice": "invalid choice: {value} (choose from {choices})"})
    ('choice', {'value': "'x (choose from y'", 'choices': "'text'"})
    """
    from ._templates import SLOT_RE

    def own_words(template: str) -> int:
        return len(SLOT_RE.sub("", template))

    for key, template in sorted(templates.items(), key=lambda kv: -own_words(kv[1])):
        parts = SLOT_RE.split(template)  # words, slot, words, slot, ...
        pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_SLOTS.get(p, '.+?')})" for i, p in enumerate(parts))
        found = re.fullmatch(pattern, message, re.DOTALL)
        if found:
            return key, found.groupdict()
    return None


def _reworded(message: str, english: dict[str, Any], words: dict[str, Any]) -> str | None:
    """argparse's usage error ``message``, recognised by the English templates of ``english`` (``cli`` in
    en/cli.yaml) and said with the templates of the same keys in ``words``; the names and values argparse put in it
    stay as they are. None when a part of it has no template (another Python's wording, a message this command line
    never meant to give): the caller then says it in English, whole, rather than half in each language.

    >>> en = {"usage_errors": {"argument": "argument {argument}: {message}", "option": "argument {argument}: {message}"},
    ...       "argument_errors": {"expected_one": "expected one argument"}}
    >>> vi = {"usage_errors": {"argument": "đối số {argument}: {message}", "option": "tùy chọn {argument}: {message}"},
    ...       "argument_errors": {"expected_one": "cần một giá trị đi kèm"}}
    >>> _reworded("argument --count: expected one argument", en, vi)
    'tùy chọn --count: cần một giá trị đi kèm'
    >>> print(_reworded("argument --count: expected 2 arguments", en, vi))
    None
    """
    from ._templates import fill

    # "option" has argparse's "argument" template: it is what the other languages say when the argument is an option
    found = _matched(message, {k: v for k, v in english["usage_errors"].items() if k != "option"})
    if found is None:
        return None
    key, values = found
    if key == "argument":
        inner = _matched(values["message"], english["argument_errors"])
        if inner is None:
            return None
        values["message"] = fill(words["argument_errors"][inner[0]], inner[1])
        if values["argument"].startswith("-"):  # argparse names an option by its option strings (--count, -h/--help)
            key = "option"
    return fill(words["usage_errors"][key], values)


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with the usage line's prefix ("usage: ") in the language of the help."""

    def __init__(self, prog: str, *, usage: str, **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self._usage_prefix = usage

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self._usage_prefix if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are one line, and whose help and usage errors are in ``lang``.

    In English, everything argparse says is its own. In another language, the help page's headings, -h's help and
    argparse's usage errors are the language's, from data/<lang>/cli.yaml; a usage error it has no template for stays
    English.
    """

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        self.lang = lang
        words = None if lang == "en" else _cli_words(lang)["argparse"]
        if words is not None:
            kwargs.update(add_help=False, formatter_class=functools.partial(_Formatter, usage=words["usage"]))
        super().__init__(*args, **kwargs)
        if words is not None:
            # argparse titles its two groups in English as it makes them (attributes of every version since 3.2)
            self._positionals.title, self._optionals.title = words["positionals"], words["options"]
            self.add_argument("-h", "--help", action="help", help=words["help"])

    def error(self, message: str) -> None:  # one line, exit 2
        said = None if self.lang == "en" else _reworded(message, _cli_words("en"), _cli_words(self.lang))
        raise _UsageError(f"{self.prog}: {said or message}", lang=self.lang if said else "en")

    def _print_message(self, message: str, file: Any = None) -> None:
        # help and the version on standard output are the command's output: a failure to write them is said, as
        # for any other output (argparse itself says nothing, and exits 0); what goes to standard error stays its
        if message and file is sys.stdout and file is not None:
            file.write(message)
            file.flush()
        else:
            super()._print_message(message, file)


def _read(value: str, *, strict: bool, lang: str) -> str:
    """The text of an argument, or of standard input when it is "-".

    Text that is not UTF-8 (bytes on stdin, or an argument the shell passed as
    undecodable bytes) is an error when ``strict``, and otherwise has each bad
    byte replaced by U+FFFD. An error is said in ``lang``.
    """
    def refuse(key: str, **values: str) -> _UsageError:
        return _UsageError.keyed("smtpteach", key, lang=lang, **values)

    if value == "-":
        if sys.stdin is None:
            raise refuse("stdin_closed")
        try:
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        except OSError as exc:  # not open for reading, an I/O error
            raise refuse("stdin_unreadable", reason=str(exc.strerror or exc)) from None
        where = _source("stdin", lang=lang)
    else:
        raw, where = value, _source("text", lang=lang)
    if isinstance(raw, str):
        if raw.isascii():
            return raw
        raw = raw.encode("utf-8", "surrogateescape")  # undecodable argv bytes come back as they were
    else:
        from ._records import text_encoding

        encoding = text_encoding(raw[:3])
        if encoding == "utf-16":  # with its byte order mark, as Windows tools write text
            try:
                return raw.decode("utf-16")
            except UnicodeDecodeError:
                raise refuse("not_utf16", source=where) from None
        if encoding == "utf-8-sig":  # UTF-8's byte order mark is not text
            raw = raw[3:]
    if b"\x00" in raw:  # no reply, log or bounce holds one: a binary file, or UTF-16 without its byte order mark
        raise refuse("nul_bytes", source=where, offset=str(raw.index(0)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if strict:
            raise refuse("not_utf8", source=where, byte=f"{raw[exc.start]:02x}", offset=str(exc.start)) from None
        return raw.decode("utf-8", "replace")


def _moment(value: str) -> Any:
    """An argparse type: an ISO 8601 date, or date and time (triage's --since and --until)."""
    from ._triage._times import bound

    try:
        return bound(value, "TIME")
    except SmtpTeachError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO 8601 date or date and time (2024-03-11, "
                                         f"2024-03-11T08:00, 2024-03-11T08:00+07:00)") from None


def _whole_number(minimum: int | None) -> Any:
    """An argparse type: ASCII digits only (int() would take "٣" and "3_0"), at least ``minimum``."""
    def parse(value: str) -> int:
        text = value.strip()
        digits = text[1:] if text[:1] == "-" else text
        if not digits.isascii() or not digits.isdigit():
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number")
        number = int(text)
        if minimum is not None and number < minimum:
            raise argparse.ArgumentTypeError(f"{value!r} is too small: it must be at least {minimum}")
        return number
    return parse


def _render(obj: Any, fmt: str, lang: str | None = None) -> str:
    from . import render

    return getattr(render, fmt)(obj, lang=lang)


def _text_dict(entry: Any, catalogue: Any) -> dict[str, dict[str, str]]:
    return {lang: entry.text(lang=lang).as_dict() for lang in catalogue.languages}


def _topic_list(catalogue: Any, kind: str) -> list[dict[str, Any]]:
    return [
        {"digit": int(k), "references": list(t.references), "text": _text_dict(t, catalogue)}
        for k, t in catalogue.topics[kind].items()
    ]


def export_json(catalogue: Any) -> dict[str, Any]:
    """The documented export contract (``smtpteach export --format json``)."""
    catalogue.check()
    return {
        "schema": 1,
        "languages": list(catalogue.languages),
        "classes": _topic_list(catalogue, "classes"),
        "categories": _topic_list(catalogue, "categories"),
        "subjects": _topic_list(catalogue, "subjects"),
        "basic": [
            {
                "code": e.key, "class": e.reply_class, "category": e.category, "status": e.status,
                "references": list(e.references), "commands": list(e.commands),
                "enhanced": list(catalogue.related_enhanced(e.key)), "text": _text_dict(e, catalogue),
            }
            for e in catalogue.basic.values()
        ],
        "enhanced": [
            {
                "code": e.key, "subject": e.subject, "detail": e.detail, "basic_codes": list(e.basic_codes),
                "references": list(e.references), "text": _text_dict(e, catalogue),
            }
            for e in catalogue.enhanced.values()
        ],
    }


def _entry_json(entry: Any, lang: str) -> dict[str, Any]:
    cat = entry._catalogue
    out: dict[str, Any] = {"code": entry.key, "kind": entry.kind}
    if entry.kind == "basic":
        out.update(**{"class": entry.reply_class}, category=entry.category, status=entry.status,
                   commands=list(entry.commands), retry=entry.retry, actor=entry.actor,
                   enhanced=list(cat.related_enhanced(entry.key)))
    else:
        out.update(subject=entry.subject, detail=entry.detail, title=entry.title,
                   basic_codes=list(entry.basic_codes), deprecated_by=entry.deprecated_by or None)
    out["references"] = list(entry.references)
    out["text"] = {lang: entry.text(lang=lang).as_dict()}
    return out


def _catalogue(args: argparse.Namespace) -> Any:
    from ._catalogue import default_catalogue

    cat = default_catalogue()
    for path in args.codes or ():
        cat = cat.with_file(path)
    return cat


def cmd_show(args: argparse.Namespace) -> str:
    entry = _catalogue(args).lookup(args.code)
    if args.format == "json":
        return json.dumps(_entry_json(entry, args.lang), ensure_ascii=False, indent=2)
    return _render(entry, args.format, args.lang)


def cmd_list(args: argparse.Namespace) -> str:
    if args.enhanced and (args.reply_class is not None or args.status is not None):
        raise _UsageError.keyed("smtpteach list", "list_filters", lang=args.lang)
    if not args.enhanced and args.subject is not None:
        raise _UsageError.keyed("smtpteach list", "list_subject", lang=args.lang)
    cat = _catalogue(args)
    rows = []
    if args.enhanced:
        for e in cat.enhanced.values():
            if args.subject is None or e.subject == args.subject:
                rows.append(f"{e.key:8} {e.name(lang=args.lang)}")
    else:
        ui = cat.ui(lang=args.lang)
        listed = [(e.key, e.name(lang=args.lang), ui["status_short"][e.status]) for e in cat.basic.values()
                  if (args.reply_class is None or e.reply_class == args.reply_class)
                  and (args.status is None or e.status == args.status)]
        # the status in one column, however long the names of the language asked for
        width = max((len(name) for _, name, _ in listed), default=0)
        rows = [f"{key}  {name:{width}} {status}" for key, name, status in listed]
    if not rows:
        raise _NoMatch.keyed("smtpteach list", "list_nothing", lang=args.lang)
    return "\n".join(rows)


def cmd_search(args: argparse.Namespace) -> str:
    # bytes the shell passed undecoded are named, not searched
    words = _read(" ".join(args.words), strict=True, lang=args.lang)
    if not words.strip():
        raise _UsageError.keyed("smtpteach search", "search_no_words", lang=args.lang)
    found = _catalogue(args).search(words, lang=args.lang)
    if not found:
        raise _NoMatch.keyed("smtpteach search", "search_nothing", lang=args.lang, words=repr(words))
    return "\n".join(f"{e.key:8} {e.name(lang=args.lang)}" for e in found[: args.limit])


def cmd_export(args: argparse.Namespace) -> str:
    return json.dumps(export_json(_catalogue(args)), ensure_ascii=False, indent=1)


def cmd_compare(args: argparse.Namespace) -> str:
    from ._compare import compare

    result = compare(args.a, args.b, lang=args.lang, catalogue=_catalogue(args))
    if args.format == "json":
        return json.dumps(asdict(result), ensure_ascii=False, indent=2)
    return _render(result, args.format)


def cmd_parse(args: argparse.Namespace) -> str:
    from ._replies import parse_reply

    reply = parse_reply(_read(args.text, strict=True, lang=args.lang))
    if args.format == "json":
        return json.dumps({"code": reply.code.code, "enhanced": str(reply.enhanced) if reply.enhanced else None,
                           "lines": list(reply.lines), "text": reply.text}, ensure_ascii=False, indent=2)
    enhanced = f" {reply.enhanced}" if reply.enhanced else ""
    lines = [f"code: {reply.code}{enhanced}", f"lines: {len(reply.lines)}", "text:"]
    lines += [f"  {t}" for t in reply.text.split("\n")]
    return "\n".join(lines)


def cmd_explain(args: argparse.Namespace) -> str:
    from ._explain import explain

    text = _read(args.text, strict=False, lang=args.lang)
    if not text.strip():
        raise _UsageError.keyed("smtpteach explain", "explain_empty", lang=args.lang)
    result = explain(text, lang=args.lang, catalogue=_catalogue(args))
    if args.text != "-" and result.reason == "undefined" and result.basic is None and result.enhanced is None \
            and "\n" not in text and os.path.exists(text):
        # "smtpteach explain bounce.eml": the name of the file explained as if a server had said it, which names no
        # cause; a reply that happens to name a file ("550", with a file of that name here) is explained as it is
        raise _UsageError.keyed("smtpteach explain", "explain_path", lang=args.lang, name=text)
    if args.format == "json":
        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2)
    return _render(result, args.format)


class _PathArgument:
    """A command-line argument that is a path as typed: "" and "-" stay themselves (pathlib would make "" the current
    folder)."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __fspath__(self) -> str:
        return self._path


def cmd_triage(args: argparse.Namespace) -> str:
    """Read logs or bounce messages record by record; write the summary, or every record as it is read."""
    from ._triage import FIELDS, Record, _Note, _Problem, _Unrecognised, triage

    files = args.files or ["-"]
    lang = args.lang

    if files.count("-") > 1:
        raise _UsageError.keyed("smtpteach triage", "triage_stdin_twice", lang=lang)
    if "-" in files and (sys.stdin is None or getattr(sys.stdin, "buffer", None) is None):
        raise _UsageError.keyed("smtpteach triage", "stdin_closed", lang=lang)
    if not args.files and sys.stdin.isatty():
        raise _UsageError.keyed("smtpteach triage", "triage_no_input", lang=lang)
    if (args.excel or args.separator is not None) and args.format != "csv":
        raise _UsageError.keyed("smtpteach triage", "triage_csv_only", lang=lang)
    cat = _catalogue(args)
    # every argument is a path, never a line of a log: given as paths, a file that is missing and whose name holds a
    # space ("no such.log") is an input that cannot be read, not one unrecognised line (triage() reads a list of
    # strings with white space as lines)
    try:
        t = triage([_PathArgument(f) for f in files], lang=lang, catalogue=cat, since=args.since, until=args.until)
    except InvalidArgumentError:  # --since not before --until
        raise _UsageError.keyed("smtpteach triage", "triage_window", lang=lang, since=args.since.isoformat(),
                                until=args.until.isoformat()) from None
    out = _Stream(lang=lang, json=args.format == "jsonl")
    writer = None
    if args.format == "csv":
        import csv

        delimiter = _SEPARATORS[args.separator or "comma"]
        if args.excel:  # UTF-8 bytes after a byte order mark whatever the terminal's encoding, CRLF rows, as Excel reads
            out = _ExcelStream(lang=lang)
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if args.excel else "\n")
        writer.writerow(FIELDS)
    for event in t.events():
        if isinstance(event, Record):
            if args.format == "jsonl":
                out.write(json.dumps(event.as_dict(), ensure_ascii=False) + "\n")
                out.flush()
            elif writer is not None:
                row = event.as_dict()
                row["permanent"] = {True: "true", False: "false", None: ""}[row["permanent"]]
                cells = [_csv_cell(v) for v in row.values()]
                if args.excel:
                    cells = [_excel_cell(v) for v in cells]
                writer.writerow(cells)
        elif isinstance(event, _Problem):
            _say(f"smtpteach triage: {event.source}: {event.text(args.lang, cat)}")
        elif isinstance(event, _Note):  # no problem: the status stays what the records make it
            _say(f"smtpteach triage: {event.source}: {event.text(args.lang, cat)}" if event.source
                 else f"smtpteach triage: {event.text(args.lang, cat)}")
        elif isinstance(event, _Unrecognised) and args.show_unrecognised:
            first = event.text.split("\n", 1)[0]
            _say(f"{event.source}:{event.line}: unrecognised: {first[:300]}")
    summary = t.summary()
    if args.format == "table":
        out.write(summary.to_text(top=args.top, by=args.by) + "\n")
    elif args.format == "html":
        out.write(summary.to_html(top=args.top, by=args.by))
    out.flush()
    from ._templates import fill

    words = summary.ui()["triage"]
    if summary.problems:
        # as grep: what could be read is reported, and the status says that some input could not be. Each such input
        # has had its one line; a last line counts them only when there were several, which the lines of
        # --show-unrecognised may have scattered (for one, it would say again what the line above it said)
        n = len(summary.problems)
        raise _UsageError(f"smtpteach triage: {fill(words['cli_unread'], {'count': str(n)})}" if n > 1 else "", lang=lang)
    if not summary.records:
        raise _NoMatch(f"smtpteach triage: {words['cli_nothing']}", lang=lang)
    return ""


# A cell that a spreadsheet would run as a formula (OWASP's "CSV injection"): a recipient address or a reply's text is
# written by whoever sent the mail, and "=1+2@example.org" is a valid local part
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as the text it is: a text that starts like a formula gets a leading
    apostrophe, which spreadsheets hide and read as "this is text".

    >>> _csv_cell("=1+2@example.org"), _csv_cell("550 5.1.1 no such user"), _csv_cell(3)
    ("'=1+2@example.org", '550 5.1.1 no such user', 3)
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


# --separator's names for what Excel reads as the list separator of the regional settings: "," in English ones, ";"
# where a decimal is written with a comma (Vietnamese, German, French ones); a tab for a pasted table
_SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}
# the most characters Excel keeps in a cell: a longer one (a DSN's whole text, a reply of a megabyte) runs over into the
# rows below it, and the table is broken
EXCEL_CELL = 32_767


def _excel_cell(value: Any) -> Any:
    """A cell Excel keeps whole: a text longer than EXCEL_CELL cut there, its last character "…" to say so.

    >>> len(_excel_cell("x" * 40_000)), _excel_cell("x" * 40_000)[-2:], _excel_cell("550 ok")
    (32767, 'x…', '550 ok')
    """
    return value[:EXCEL_CELL - 1] + "…" if isinstance(value, str) and len(value) > EXCEL_CELL else value


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """Standard output written to: a closed pipe goes up as it is (main() leaves quietly), any other error of the
    system (a full disk, an I/O error) as _CannotWrite, which names it."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _CannotWrite(exc) from None


class _Stream:
    """Standard output for a command that writes as it goes: a character the terminal cannot
    show is written as an escape (\\u1ed9) rather than raising, and so is a control character (_escaped); ``json``
    when what is written is JSON, whose escapes are JSON's (_encodable). ``lang`` is the language of its error."""

    def __init__(self, *, lang: str, json: bool = False) -> None:
        self.lang = lang
        self.json = json

    def _stdout(self) -> Any:
        if sys.stdout is None:
            raise _NoOutput.keyed("smtpteach", "stdout_closed", lang=self.lang)
        return sys.stdout

    def write(self, text: str) -> int:
        stream = self._stdout()
        with _writing():
            _put(stream, text, json=self.json)
        return len(text)

    def flush(self) -> None:
        if sys.stdout is not None:
            with _writing():
                sys.stdout.flush()


class _ExcelStream(_Stream):
    """Standard output for --excel: UTF-8 bytes whatever the terminal's or the locale's encoding (Excel on Windows
    reads a CSV as UTF-8 only after a byte order mark, and a Windows console or redirect may encode in its ANSI code
    page), the byte order mark first; a control character still as its escape (_escaped)."""

    def __init__(self, *, lang: str) -> None:
        super().__init__(lang=lang)
        self.started = False

    def write(self, text: str) -> int:
        stream = self._stdout()
        data = _escaped(text).encode("utf-8", "backslashreplace")
        if not self.started:
            data = b"\xef\xbb\xbf" + data
            self.started = True
        with _writing():
            buffer = getattr(stream, "buffer", None)
            if buffer is None:  # a text stream with no bytes under it: as text, the byte order mark as its character
                stream.write(data.decode("utf-8"))
            else:
                stream.flush()
                buffer.write(data)
        return len(text)

    def flush(self) -> None:
        super().flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            with _writing():
                buffer.flush()


def cmd_quiz(args: argparse.Namespace) -> str:
    from ._quiz import make_quiz, run_in_terminal

    if args.no_answers and args.format not in ("text", "markdown", "html"):
        raise _UsageError.keyed("smtpteach quiz", "quiz_no_answers", lang=args.lang)
    # the generated quiz asks 5 questions unless told; a teacher's file, all of its own
    count = 5 if args.count is None and args.questions is None else args.count
    quiz = make_quiz(count, seed=args.seed, lang=args.lang, topics=args.topics, catalogue=_catalogue(args),
                     questions=args.questions)
    if args.format != "interactive":
        if args.format == "json":
            return json.dumps(quiz.as_dict(), ensure_ascii=False, indent=2)
        if args.no_answers:
            from . import _render_quiz

            return getattr(_render_quiz, args.format)(quiz, answers=False)
        return _render(quiz, args.format)
    if sys.stdin is None or sys.stdout is None:
        raise _UsageError.keyed("smtpteach quiz", "quiz_no_terminal", lang=args.lang)
    try:
        return run_in_terminal(quiz, sys.stdin, _Stream(lang=args.lang))
    except UnicodeDecodeError:
        raise
    except (BrokenPipeError, _CannotWrite):
        raise
    except OSError as exc:  # the answers cannot be read
        raise _UsageError.keyed("smtpteach quiz", "quiz_unreadable", lang=args.lang,
                                reason=str(exc.strerror or exc)) from None


def build_parser(*, lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, with its help and usage errors in ``lang`` (argparse's own in English)."""
    says = _HELP if lang == "en" else _cli_words(lang)["help"]
    p = _Parser(prog="smtpteach", description=says["description"], lang=lang)
    # argparse's own help of --version in English; the language's in another
    p.add_argument("--version", action="version", version="smtpteach 0.1.0",
                   **({} if lang == "en" else {"help": _cli_words(lang)["argparse"]["version"]}))
    # --lang before the command means what it means after it (which wins, being the later); hidden from the help, so
    # that the page lists the commands as before, each of which shows its --lang
    p.add_argument("--lang", choices=LANGS, default="en", help=argparse.SUPPRESS)
    sub = p.add_subparsers(metavar="COMMAND", parser_class=functools.partial(_Parser, lang=lang))

    def common(sp: argparse.ArgumentParser, *, formats: Sequence[str] | None = FORMATS) -> None:
        # no default of its own: a command's namespace would overwrite what --lang said before the command
        sp.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=says["lang"])
        if formats:
            sp.add_argument("--format", choices=formats, default="text", help=says["format"])
        sp.add_argument("--codes", action="append", metavar="FILE", help=says["codes"])

    sp = sub.add_parser("show", help=says["show"])
    sp.add_argument("code", help=says["show_code"])
    common(sp)
    sp.set_defaults(func=cmd_show)

    sp = sub.add_parser("list", help=says["list"])
    sp.add_argument("--class", dest="reply_class", type=_whole_number(None), choices=(2, 3, 4, 5), help=says["list_class"])
    sp.add_argument("--status", choices=("core", "extension", "registry-only", "non-standard"))
    sp.add_argument("--enhanced", action="store_true", help=says["list_enhanced"])
    sp.add_argument("--subject", type=_whole_number(None), choices=range(8), help=says["list_subject"])
    common(sp, formats=None)
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("search", help=says["search"])
    sp.add_argument("words", nargs="+")
    sp.add_argument("--limit", type=_whole_number(1), default=20, help=says["search_limit"])
    common(sp, formats=None)
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("export", help=says["export"])
    sp.add_argument("--format", choices=("json",), default="json")
    sp.add_argument("--codes", action="append", metavar="FILE")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("compare", help=says["compare"])
    sp.add_argument("a")
    sp.add_argument("b")
    common(sp)
    sp.set_defaults(func=cmd_compare)

    sp = sub.add_parser("parse", help=says["parse"])
    sp.add_argument("text")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help=says["parse_lang"])
    sp.set_defaults(func=cmd_parse)

    sp = sub.add_parser("explain", help=says["explain"])
    sp.add_argument("text")
    common(sp)
    sp.set_defaults(func=cmd_explain)

    sp = sub.add_parser("triage", help=says["triage"])
    sp.add_argument("files", nargs="*", metavar="FILE", help=says["triage_files"])
    sp.add_argument("--format", choices=("table", "jsonl", "csv", "html"), default="table", help=says["triage_format"])
    sp.add_argument("--show-unrecognised", action="store_true", help=says["triage_show_unrecognised"])
    sp.add_argument("--top", type=_whole_number(1), default=5, help=says["triage_top"])
    sp.add_argument("--by", action="append", choices=("domain", "sender", "relay"), help=says["triage_by"])
    sp.add_argument("--since", type=_moment, metavar="TIME", help=says["triage_since"])
    sp.add_argument("--until", type=_moment, metavar="TIME", help=says["triage_until"])
    sp.add_argument("--excel", action="store_true", help=says["triage_excel"])
    sp.add_argument("--separator", choices=tuple(_SEPARATORS), default=None, help=says["triage_separator"])
    common(sp, formats=None)
    sp.set_defaults(func=cmd_triage)

    sp = sub.add_parser("quiz", help=says["quiz"])
    sp.add_argument("--count", type=_whole_number(1), default=None, help=says["quiz_count"])
    sp.add_argument("--seed", type=_whole_number(None), default=0, help=says["quiz_seed"])
    sp.add_argument("--topics", nargs="*")
    sp.add_argument("--questions", metavar="FILE", help=says["quiz_questions"])
    sp.add_argument("--format", choices=("interactive", "text", "markdown", "html", "json"), default="interactive")
    sp.add_argument("--no-answers", action="store_true", help=says["quiz_no_answers"])
    common(sp, formats=None)
    sp.set_defaults(func=cmd_quiz)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = None
    # the language asked for, which argparse has not read yet: of argparse's help and usage errors, and of a failure
    # to write the output (the command's own messages take args.lang, the same)
    lang = _asked_lang(argv)
    try:
        parser = build_parser(lang=lang)
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help or --version, written out
            return done.code if isinstance(done.code, int) else 2
        except BrokenPipeError:
            return _quiet_broken_pipe()
        except OSError as exc:  # the help could not be written (> /dev/full)
            return _cannot_write(exc, lang=lang)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        out = args.func(args)
    except _UsageError as exc:
        # one line, as below: argparse quotes an argument as typed ("unrecognized arguments: a<line break>b"); none
        # where what went wrong has been said already (triage's one input that could not be read)
        if str(exc):
            _say(_shorten(_LINE_BREAKS.sub(" ", str(exc)), lang=exc.lang))
        return exc.status
    except (SmtpTeachError, LookupError, ValueError) as exc:
        # one line: a line break becomes a space, but runs of spaces stay (a code quoted as ' ' is not '   ')
        # in the language asked for, where the UI files word the error (SmtpTeachError.text)
        asked = getattr(args, "lang", "en")
        message = exc.text(asked) if isinstance(exc, SmtpTeachError) else str(exc)
        said_in = asked if message != str(exc) else "en"  # the English message where the UI files word it not
        _say(f"smtpteach: {_shorten(_LINE_BREAKS.sub(' ', message).strip(), lang=said_in)}")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except _CannotWrite as exc:
        return _cannot_write(exc.args[0], lang=lang)
    if out:
        try:
            return _write(out if out.endswith("\n") else out + "\n", lang=lang, json=getattr(args, "format", None) == "json")
        except KeyboardInterrupt:  # Ctrl-C while a long output goes into a slow pipe ("smtpteach export | less")
            return 130
    return 0


def _say(message: str) -> None:
    """One line on stderr, whatever the terminal can show: a line break in what it quotes (a file's name) is a space,
    and another control character its escape (_escaped)."""
    message = _escaped(_LINE_BREAKS.sub(" ", message))
    if sys.stderr is not None:
        encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
        try:
            print(message.encode(encoding, "backslashreplace").decode(encoding), file=sys.stderr)
        except OSError:  # standard error is full or gone: the exit status still says what happened
            pass


def _write(out: str, *, lang: str, json: bool = False) -> int:
    """Print the result. A terminal that cannot show a character gets it as an
    escape (\\u1ed9) rather than a traceback, and a control character its escape too (_escaped, _encodable; ``json``
    when ``out`` is JSON, whose escapes are JSON's); a reader that went away is fine. A failure is said in ``lang``."""
    stream = sys.stdout
    if stream is None:
        _say(f"smtpteach: {_said('stdout_closed', lang=lang)}")
        return EX_IOERR
    try:
        _put(stream, out, json=json)
        stream.flush()
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except OSError as exc:
        return _cannot_write(exc, lang=lang)
    return 0


def _put(stream: Any, text: str, *, json: bool) -> None:
    """Write ``text`` as a terminal should get it: a control character as its escape (_escaped), and a character
    the stream's encoding lacks as its escape too (_encodable), in JSON's form when ``text`` is JSON."""
    shown = _escaped(text, json=json)
    try:
        stream.write(shown)
    except UnicodeEncodeError:
        stream.write(_encodable(shown, stream.encoding or "ascii", json=json))


def _cannot_write(exc: OSError, *, lang: str) -> int:
    """Standard output failed (``> /dev/full``): say so in one line, in ``lang``, and point standard output at the
    null device, so that Python's own flush at exit does not fail a second time with a traceback."""
    _say(f"smtpteach: {_said('cannot_write', lang=lang, reason=str(exc.strerror or exc))}")
    _quiet_broken_pipe()
    return EX_IOERR


def _quiet_broken_pipe() -> int:
    """The reader (``| head -1``) has gone: stop quietly. Standard output is
    pointed at the null device so that Python's own flush at exit stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
