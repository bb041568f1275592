"""Where the lines and messages come from: files, folders, Maildirs, mboxes and standard input, gzip-compressed
or not, each told apart by its first bytes; rotated logs read oldest first; a progress bar on a big file."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from .._records import text_encoding
from .._terminal import escaped
from ._base import LATIN1_FALLBACK, Record, _Explainer, _Note, _Problem, _problem_text
from ._bounces import _MessageReader
from ._lines import _LineReader

# An input file larger than this gets a progress bar, when standard error is a terminal.
PROGRESS_BYTES = 4 * 1024 * 1024
# A line longer than this many characters is read up to here, and the rest of it skipped (a file with no line break
# is no log, and is never held whole in memory).
MAX_LINE_CHARS = 1 << 20


# files that are no log and no message, known by their first bytes: named for what they are
# (each kind is worded in the UI files: triage.file_kinds)
_BINARY_MAGIC = ((b"\x89PNG\r\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"%PDF-", "pdf"),
                 (b"PK\x03\x04", "zip"), (b"\x7fELF", "elf"), *((b"BZh%d1AY&SY" % level, "bzip2") for level in range(1, 10)),
                 (b"\xfd7zXZ\x00", "xz"), (b"(\xb5/\xfd", "zstd"))
_BINARY_KINDS = tuple(magic for magic, _ in _BINARY_MAGIC)


# the first line of a message file: a header field (RFC 5322 §2.2), or an mbox's "From " line
_HEADER = re.compile(rb"[A-Za-z][A-Za-z0-9-]*[ \t]*:")
_MESSAGE_HEADERS = (b"\ncontent-type:", b"\nmime-version:", b"\nreceived:", b"\nreturn-path:", b"\nsubject:",
                    b"\nmessage-id:", b"\ndate:", b"\nfrom:", b"\nto:", b"\ndelivered-to:")


class _Gunzip(io.RawIOBase):
    """The bytes of a gzip file (RFC 1952; one member or several, one after another) as far as they go. A file cut
    short (a copy of a log still being written, a transfer that stopped) gives what it holds up to the cut, where
    gzip's own reader gives nothing of the block it was reading; so does a file damaged in its middle, up to the
    damage. ``problem`` then says what was wrong."""

    def __init__(self, raw: Any):
        self.raw = raw
        self.inflate = zlib.decompressobj(wbits=31)
        self.pending = b""
        self.at = 0  # how much of pending has been given out: a decompressed block is handed out without copying it again
        self.problem: tuple[str, dict[str, Any]] | None = None  # (the key of the problem's wording, its values)
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.at == len(self.pending):
            self.pending, self.at = b"", 0
        while not self.pending and not self.done:
            chunk = self.raw.read(1 << 16)
            try:
                if not chunk:
                    self.done = True
                    self.pending = self.inflate.flush()
                    if not self.inflate.eof:
                        self.problem = ("gzip_cut", {})
                    break
                before = self.inflate.copy()
                try:
                    self.pending = self.inflate.decompress(chunk)
                except zlib.error:
                    # damaged in this block: what it held before the damage, read in small steps from where it began
                    self.inflate, self.pending = before, b""
                    for at in range(0, len(chunk), 256):
                        self.pending += self.inflate.decompress(chunk[at:at + 256])  # raises at the damage
                while self.inflate.eof and self.inflate.unused_data:
                    rest = self.inflate.unused_data
                    if not rest.startswith(b"\x1f\x8b"):
                        self.done = True  # what follows the last member (zeros a tool padded it with) is not data
                        break
                    self.inflate = zlib.decompressobj(wbits=31)  # the next member
                    self.pending += self.inflate.decompress(rest)
            except zlib.error:  # said in the command line's words: zlib's ("Error -3 while decompressing data") are English
                self.done = True
                self.problem = ("gzip_damaged", {})
        n = min(len(buffer), len(self.pending) - self.at)
        buffer[:n] = memoryview(self.pending)[self.at:self.at + n]
        self.at += n
        return n


class _Progress:
    """A tqdm bar over the bytes of one input file, on standard error, only where a person watches it."""

    def __init__(self, path: str, size: int, raw: Any):
        self.bar = None
        self.raw = raw
        if size < PROGRESS_BYTES or not _watched():
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self.bar = tqdm(total=size, unit="B", unit_scale=True, desc=escaped(os.path.basename(path)), file=sys.stderr, leave=False)
        self.done = 0

    def update(self) -> None:
        if self.bar is not None:
            try:
                at = self.raw.tell()
            except (OSError, ValueError):
                return
            self.bar.update(at - self.done)
            self.done = at

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _watched() -> bool:
    """Standard error is a terminal, and this is no CI run."""
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _is_message(head: bytes) -> bool:
    """Whether a file's first bytes are a message's header (an .eml file) rather than log lines."""
    if not _HEADER.match(head):
        return False
    block = b"\n" + head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].lower()
    return any(h in block for h in _MESSAGE_HEADERS)


def _lines_of(text: io.TextIOWrapper) -> Iterator[str]:
    """The lines of ``text``, each cut at MAX_LINE_CHARS: the rest of a longer line is skipped, so that a file with no
    line break in it is never held whole in memory; without the NUL bytes a line holds."""
    read = text.readline
    while True:
        line = read(MAX_LINE_CHARS)
        if not line:
            return
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            rest = line
            while len(rest) == MAX_LINE_CHARS and rest[-1] not in "\r\n":
                rest = read(MAX_LINE_CHARS)
        if "\x00" in line:  # a run of NUL bytes where a crash cut the log: never text
            line = line.replace("\x00", "")
        yield line


def _iter_text_lines(stream: Any, progress: _Progress | None = None, encoding: str = "utf-8") -> Iterator[str]:
    # UTF-8, and a byte that is not UTF-8 as Latin-1 (_latin1); UTF-16 has no such fallback, its bytes are pairs
    errors = "replace" if encoding == "utf-16" else LATIN1_FALLBACK
    text = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline=None)
    try:
        if progress is None or progress.bar is None:
            yield from _lines_of(text)
            return
        for n, line in enumerate(_lines_of(text)):
            if not n & 0x3FFF:
                progress.update()
            yield line
    finally:
        try:
            text.detach()  # the stream stays open: it may be standard input, and its owner closes it
        except ValueError:
            pass


def _mbox_messages(stream: Any) -> Iterator[bytes]:
    """The messages of an mbox read as a stream (gzip or standard input): each starts at a "From " line."""
    current: list[bytes] = []
    for line in stream:
        if line.startswith(b"From ") and (not current or current[-1] in (b"\n", b"\r\n")):
            if current:
                yield b"".join(current)
            current = []
            continue
        current.append(line[1:] if line.startswith(b">From ") else line)
        if len(current) > 100_000:  # a runaway message: keep memory bounded
            yield b"".join(current)
            current = []
    if current:
        yield b"".join(current)



# A log and the bounces the same Postfix sent about it (a DSN names the message's queue ID in X-Postfix-Queue-ID) tell
# one failure twice: at most this many failures of each are remembered to find the pair (the oldest is forgotten
# first), so that memory stays flat on a log of millions of bounces
PAIRED_FAILURES = 50_000
_GIVEN_UP = ("bounced", "expired")


def _said(value: Any) -> dict[str, str]:
    """The values of a problem's or a note's wording as text; an operating system's error as its reason (its own
    words) and its errno name, by which the UI files word it in each language."""
    if isinstance(value, OSError):
        out = {"reason": str(value.strerror or value)}
        if value.errno in errno.errorcode:
            out["errno"] = errno.errorcode[value.errno]
        return out
    return {}


class _Reader:
    def __init__(self, lang: str, catalogue: Any):
        explainer = _Explainer(lang, catalogue)
        self.clock = explainer.clock  # a syslog time's year is read by each file's modification time
        self.lines = _LineReader(explainer, self._problem)
        self.messages = _MessageReader(explainer)
        self._english = catalogue.ui(lang="en")["triage"]
        # the files and folders read, by device and inode, each with the name it was first read by: a file named twice
        # (the same path, a link to it, a glob that overlaps a name) is read once
        self._read: dict[tuple[int, int], str] = {}

    def _problem(self, source: str, key: str, **values: Any) -> _Problem:
        """An input that could not be read, worded in English (its message) and keyed for the other languages; a
        ``reason`` that is an OSError is said by its errno where the UI files word it."""
        said = {k: str(v) for k, v in values.items()}
        if isinstance(values.get("reason"), OSError):
            said.update(_said(values["reason"]))
        return _Problem(source, _problem_text(self._english, key, said), key, tuple(sorted(said.items())))

    def _note(self, source: str, key: str, **values: Any) -> _Note:
        said = {k: str(v) for k, v in values.items()}
        return _Note(source, _problem_text(self._english, key, said, "note"), key, tuple(sorted(said.items())))

    def window(self, events: Iterator[Any], since: Any, until: Any) -> Iterator[Any]:
        """``events`` without the records whose timestamp is before ``since`` or not before ``until`` (datetimes, either
        None), nor those with no time that can be read, which a note at the end counts."""
        from ._times import _Window

        return _Window(since, until).filter(events, Record, self._note)

    def _once(self, path: str, st: os.stat_result) -> _Note | None:
        """None the first time the file or folder ``st`` is met; a note that says it was read already after that."""
        if not st.st_ino:  # a file system that numbers no inode: nothing to tell two names of one file apart by
            return None
        key = (st.st_dev, st.st_ino)
        first = self._read.get(key)
        if first is None:
            self._read[key] = path
            return None
        return self._note(path, "named_twice") if first == path else self._note(path, "same_input", first=first)

    def paths(self, paths: Iterable[str]) -> Iterator[Any]:
        """The events of each path, a failure that a Postfix log and a DSN the same Postfix sent both tell (the same
        queue ID and recipient, X-Postfix-Queue-ID) counted once, as whichever was read first tells it, with a note
        that says how many were."""
        # the hash of (queue ID, recipient) of each failure read in Postfix's log ..., and in its DSNs: a number, not
        # the two strings, so that 50,000 of them take a few megabytes (two failures that share a 64-bit hash by
        # chance, in one run, are as good as never)
        logged: dict[int, None] = {}
        reported: dict[int, None] = {}
        paired = 0
        paths = oldest_first(list(paths))
        # a log and bounces can both be among the inputs only when there are several, or a folder: one log file alone
        # remembers nothing (and its memory stays as flat as it was)
        if not (len(paths) > 1 or any(os.path.isdir(p) for p in paths)):
            for path in paths:
                yield from self.path(path)
            return
        for path in paths:
            for event in self.path(path):
                if event.__class__ is Record and event.queue_id is not None and \
                        event.status in _GIVEN_UP and (event.kind == "postfix" or event.kind == "dsn"):
                    key = hash((event.queue_id, (event.recipient or "").lower()))
                    own, other = (logged, reported) if event.kind == "postfix" else (reported, logged)
                    if key in other:  # its pair: the one failure is counted once, and pairs with no third telling
                        del other[key]
                        paired += 1
                        continue
                    if len(own) >= PAIRED_FAILURES:
                        del own[next(iter(own))]
                    own[key] = None
                yield event
        if paired:
            yield self._note("", "counted_once_one" if paired == 1 else "counted_once", count=paired)

    def path(self, path: str) -> Iterator[Any]:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                yield self._problem("-", "stdin_closed")
                return
            self.clock.refer_to(None)  # standard input: by the current date
            yield from self.stream(stdin, "-", None)
            return
        if not path:
            yield self._problem("''", "empty_path")
            return
        if os.path.isdir(path):
            yield from self.folder(path)
            return
        try:
            fh = open(path, "rb")  # closed below, once the generator is done
        except OSError as exc:
            yield self._unreadable(path, exc)
            return
        except ValueError:  # a NUL character in the path: no file can have that name
            yield self._problem(path, "nul_in_path")
            return
        with fh:
            try:
                st = os.fstat(fh.fileno())
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode):  # (a pipe, "<(zcat ...)", is read whatever its number)
                again = self._once(path, st)
                if again is not None:
                    yield again
                    return
            self.clock.refer_to(st.st_mtime if st is not None and stat.S_ISREG(st.st_mode) else None)
            yield from self.stream(fh, path, st.st_size if st is not None else 0, mbox_path=path)

    def _unreadable(self, path: str, exc: OSError) -> _Problem:
        """A file that cannot be opened: the operating system's reason, or a symbolic link that points nowhere."""
        if isinstance(exc, FileNotFoundError) and os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return self._problem(path, "broken_link", target=target)
        return self._problem(path, "cannot_read", reason=exc)

    def folder(self, path: str) -> Iterator[Any]:
        """A Maildir (the messages of its cur/ and new/ folders, and its Maildir++ folders, ".Sent", ".Bounces") or a
        plain folder of message or log files and of folders of them (a bounce archive sorted by year and month), read
        whole: the files of each folder in name order but for a rotated log's files, oldest first
        (:func:`oldest_first`), then its folders in name order. A Maildir's tmp/ holds messages still being written, and
        a name that starts with a dot is hidden (".git", an editor's file): neither is read, but for a Maildir++ folder.
        A folder met again (through a link to a folder above it, or named twice) is read once; a link that points
        nowhere is an input that could not be read, and a pipe, a socket or a device is left out, with a note."""
        try:
            again = self._once(path, os.stat(path))
        except OSError as exc:
            yield self._problem(path, "cannot_read_folder", reason=exc)
            return
        if again is not None:
            yield again
            return
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
            maildir = [e for e in entries if e.name in ("cur", "new") and e.is_dir()]
            files: list[str] = []
            for sub in maildir:
                with os.scandir(sub.path) as it:
                    files += sorted(e.path for e in it if not e.name.startswith(".") and not e.is_dir())
        except OSError as exc:
            yield self._problem(path, "cannot_read_folder", reason=exc)
            return
        folders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if maildir and entry.name in ("cur", "new", "tmp") or entry.name.startswith(".") and not (
                    is_dir and (os.path.isdir(os.path.join(entry.path, "cur")) or
                                os.path.isdir(os.path.join(entry.path, "new")))):
                continue  # a Maildir's own folders, or a hidden name that is no Maildir++ folder
            if is_dir:
                folders.append(entry.path)
            elif not maildir:  # (a Maildir's own files, dovecot-uidlist and the like, are no messages)
                files.append(entry.path)
        for name in oldest_first(files):
            yield from self.entry(name)
        for name in folders:
            yield from self.folder(name)

    def entry(self, path: str) -> Iterator[Any]:
        """A file found in a folder: read if it is a file, named as a problem if it is a link that points nowhere, and
        left out with a note if it is a pipe, a socket or a device (opening a pipe would wait for a writer)."""
        try:
            st = os.stat(path)
        except OSError as exc:
            yield self._unreadable(path, exc)
            return
        if stat.S_ISREG(st.st_mode):
            yield from self.path(path)
        else:
            yield self._note(path, "not_a_file")

    def stream(self, fh: Any, source: str, size: int | None, mbox_path: str | None = None) -> Iterator[Any]:
        buffered = fh if hasattr(fh, "peek") else io.BufferedReader(fh)
        try:
            head = buffered.peek(2)[:2]
            compressed = head == b"\x1f\x8b"
            gunzip = _Gunzip(buffered) if compressed else None
            stream = io.BufferedReader(gunzip, 1 << 16) if gunzip is not None else buffered
            if compressed:
                mbox_path = None  # the mailbox module reads plain files only
            first = stream.peek(4096)[:4096]
            if first.startswith(b"From "):
                yield from self.mbox(stream, source, mbox_path)
            elif _is_message(first.lstrip(b"\r\n")):
                yield from self.messages.read(stream, source, 1)
            elif first.startswith(_BINARY_KINDS):
                kind = next(name for magic, name in _BINARY_MAGIC if first.startswith(magic))
                yield self._problem(source, "not_text", kind=kind)
            elif b"\x00" in first.split(b"\n", 1)[0] and text_encoding(first) != "utf-16":
                # no log or reply starts with NUL bytes in its first line: a program, an image, or UTF-16 saved with
                # no byte order mark (a run of NUL bytes further on, where a crash cut a log, is read past)
                even, odd = first[0:64:2].count(0), first[1:64:2].count(0)  # UTF-16: every other byte NUL
                hint = "utf16" if max(even, odd) > 24 and min(even, odd) < 2 else ""
                yield self._problem(source, "nul_bytes", offset=first.index(0), hint=hint)
            else:
                progress = _Progress(source, size or 0, fh) if size else None
                try:
                    yield from self.lines.read(_iter_text_lines(stream, progress, text_encoding(first)), source)
                finally:
                    if progress is not None:
                        progress.close()
            if gunzip is not None and gunzip.problem:
                key, values = gunzip.problem
                yield self._problem(source, key, **values)
        except (EOFError, zlib.error):  # damaged compressed data, said in the command line's words, not zlib's
            yield self._problem(source, "bad_gzip")
        except OSError as exc:  # the operating system's reason, as it says it
            yield self._problem(source, "cannot_read", reason=exc)

    def mbox(self, stream: Any, source: str, path: str | None) -> Iterator[Any]:
        if path is not None:
            import mailbox

            box = mailbox.mbox(path, factory=None, create=False)
            try:
                for index, key in enumerate(box.iterkeys(), 1):
                    with box.get_file(key) as fh:
                        yield from self.messages.read(fh, source, index)
            finally:
                box.close()
            return
        for index, raw in enumerate(_mbox_messages(stream), 1):
            yield from self.messages.read(raw, source, index)


# A log that logrotate has rotated: mail.log.1, mail.log.2.gz (the higher the number, the older), or with dateext
# mail.log-20240312 and mail.log-20240312.gz (the earlier the date, the older); mail.log itself is the newest.
_ROTATED = re.compile(r"(?P<base>.+?)(?:\.(?P<number>[0-9]{1,4})|-(?P<date>[0-9]{8}(?:[0-9]{2})?))(?:\.gz)?")


def oldest_first(paths: list[str]) -> list[str]:
    """``paths`` with the rotations of each log in the order they were written, oldest first, so that a deferral
    in mail.log.1.gz is read before the expiry in mail.log that gives up on it; each log's rotations take the
    place of the first of them, and every other path keeps its place.

    >>> oldest_first(["mail.log", "mail.log.1.gz", "mail.log.2.gz", "other.eml", "mail.log.10"])
    ['mail.log.10', 'mail.log.2.gz', 'mail.log.1.gz', 'mail.log', 'other.eml']
    >>> oldest_first(["maillog", "maillog-20240310.gz", "maillog-20240303.gz"])
    ['maillog-20240303.gz', 'maillog-20240310.gz', 'maillog']
    """
    def base_and_age(path: str) -> tuple[str, tuple[int, int, str]]:
        m = _ROTATED.fullmatch(path)
        if m is None:
            return path, (2, 0, "")  # the live file, newest
        if m["number"] is not None:
            return m["base"], (0, -int(m["number"]), "")
        return m["base"], (1, 0, m["date"])

    keyed = [base_and_age(p) for p in paths]
    bases = Counter(base for base, _ in keyed)
    groups: dict[str, list[tuple[tuple[int, int, str], str]]] = {}
    out: list[str] = []
    for path, (base, age) in zip(paths, keyed):
        if bases[base] < 2 and age[0] == 2:
            out.append(path)
            continue
        if base not in groups:
            groups[base] = []
            out.append(base)  # the group's place, filled below
        groups[base].append((age, path))
    result: list[str] = []
    for item in out:
        if item in groups:
            result += [path for _, path in sorted(groups.pop(item))]
        else:
            result.append(item)
    return result
