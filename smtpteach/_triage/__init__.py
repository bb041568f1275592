"""Triage: a whole mail log, or a folder of bounce messages, one delivery attempt at a time.

:func:`triage` reads, and recognises without being told:

- Postfix, Exim and Sendmail log lines that report a delivery attempt (delivered,
  deferred, bounced), in the syslog format (RFC 3164's, RFC 5424's, journalctl's) or Exim's own main log; Postfix's expiry of a
  message, one record for each recipient whose last attempt was a deferral;
- Haraka's outbound queue, Kerio Connect's mail and warning logs, Exchange's message tracking (its log or a CSV
  export of it), Microsoft 365's message trace (a CSV export);
- what mailbox servers did with the mail handed to them: Dovecot's own log (its LDA and LMTP server) and Zimbra's
  mailbox log;
- the session transcripts of MDaemon's and hMailServer's logs: the replies to RCPT TO, to the message's end, and
  the failures before them, each for its recipients (their inbound sessions are mail coming in, no attempt);
- bounce messages: delivery status notifications (RFC 3464, a ``multipart/report``
  with a ``message/delivery-status`` part, or RFC 6533's ``message/global-delivery-status``
  for addresses in UTF-8; base64 or quoted-printable too), one record per recipient block, as
  single ``.eml`` files, a Maildir (``cur/`` and ``new/``), an mbox, or a folder of
  message files;
- plain files with one reply per line (a multi-line reply, ``550-...`` then
  ``550 ...``, is one record, and so is a line with its folded continuation); a line
  is a reply when its code stands where a reply's does, or when its words speak of
  mail, so that an HTTP status or a version number in another program's log is not
  taken for one;
- any of these gzip-compressed (known by the magic bytes, whatever the name).

Each record is explained by :func:`smtpteach.explain`. Reading is a generator
pipeline: a file is never read whole, and the summary keeps counters only, so
memory stays flat whatever the size of the input.

The package's modules: ``_base`` (the record, the shared explainer), ``_lines`` (log lines and plain replies,
told apart by their framing) with ``_mta_lines``, ``_sessions``, ``_tracking``, ``_dovecot`` and ``_zimbra`` (the
families of logs), ``_bounces``
(bounce messages), ``_sources`` (files, folders and streams), ``_summary`` (the counters).
"""


from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from .._errors import InvalidArgumentError, InvalidTypeError
from ._base import _OTHER, _REFUSED, FIELDS, KINDS, STATUSES, Record, _Note, _Problem, _Unrecognised
from ._sources import _Reader, oldest_first
from ._summary import Summary

__all__ = ["Record", "Summary", "Triage", "triage", "KINDS", "STATUSES", "FIELDS", "oldest_first"]


class Triage:
    """The records of a log, of bounce messages or of lines, read lazily.

    Iterating yields :class:`Record` objects as they are read; iterating again reads the
    source again (a Triage over a one-shot iterator of lines can be read once).
    :meth:`summary` reads the whole source once and keeps only counters.
    """

    def __init__(self, paths: list[str] | None, lines: Iterable[str] | None, lang: str, catalogue: Any,
                 since: Any = None, until: Any = None):
        self._paths = paths
        self._window = (since, until) if since is not None or until is not None else None
        self._lines = lines
        self._one_shot = lines is not None and iter(lines) is lines
        self._used = False
        self.lang = lang
        self._catalogue = catalogue
        self._summary: Summary | None = None

    def _events(self) -> Iterator[Any]:
        """Records, and what is not one: _Unrecognised, _Problem, _Note and _OTHER, in reading order."""
        if self._one_shot:
            if self._used:
                raise InvalidArgumentError("this triage reads a one-shot iterator of lines, and it has been read: "
                                           "pass a list of lines or a path to read it again")
            self._used = True
        reader = _Reader(self.lang, self._catalogue)
        if self._paths is not None:
            events = reader.paths(self._paths)
        else:
            events = reader.lines.read(_split_lines(self._lines), "-")  # type: ignore[arg-type]
        return reader.window(events, *self._window) if self._window is not None else events

    def events(self) -> Iterator[Any]:
        """Every record and every other thing read, counted in a fresh summary as they go
        (:meth:`summary` afterwards gives that summary without reading again)."""
        summary = Summary(self.lang, self._catalogue)
        for event in self._events():
            if isinstance(event, Record):
                summary._add(event)
            elif event is _OTHER:
                summary.other_lines += 1
            elif event is _REFUSED:
                summary.other_lines += 1
                summary.refused_incoming += 1
            elif isinstance(event, _Unrecognised):
                summary.unrecognised += 1
            elif isinstance(event, _Problem):
                summary._problems.append(event)
            elif isinstance(event, _Note):
                summary._notes.append(event)
            yield event
        self._summary = summary

    def __iter__(self) -> Iterator[Record]:
        for event in self.events():
            if isinstance(event, Record):
                yield event

    def summary(self) -> Summary:
        """The counts of the whole source (read once; a later call gives the same summary)."""
        if self._summary is None:
            for _ in self.events():
                pass
        return self._summary  # type: ignore[return-value]

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame, one row per record (needs ``pip install 'smtpteach[pandas]'``)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("Triage.to_pandas() needs pandas, an optional extra: pip install 'smtpteach[pandas]'") from None
        return pandas.DataFrame.from_records((r.as_dict() for r in self), columns=list(FIELDS))

    def __repr__(self) -> str:
        what = f"{len(self._paths)} path(s)" if self._paths is not None else "lines"
        return f"Triage({what}, lang={self.lang!r})"


def _as_comparable(moment: Any) -> Any:
    """A datetime with an offset, the local time of this machine where it has none."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _split_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines given in Python, an item holding several lines cut into them."""
    for item in lines:
        if not isinstance(item, str):
            raise InvalidTypeError(f"triage() reads lines of text, not {type(item).__name__}")
        if "\n" in item.rstrip("\r\n") or "\r" in item.rstrip("\r\n"):
            yield from item.splitlines()
        else:
            yield item


def _as_paths(source: Any) -> list[str] | None:
    """The paths ``source`` names, or None when it is lines."""
    if isinstance(source, (str, os.PathLike)):
        return [os.fspath(source)]
    if isinstance(source, (list, tuple)):
        if any(isinstance(s, os.PathLike) for s in source):
            # a Path object is never a line of a log: a list holding one names paths, its strings among them
            bad = next((s for s in source if not isinstance(s, (str, os.PathLike))), None)
            if bad is not None:
                raise InvalidTypeError(f"triage() reads a list of paths (str or pathlib.Path), not {type(bad).__name__}")
            return [os.fspath(s) for s in source]
        if all(isinstance(s, str) for s in source) and source and all(
                s == "-" or os.path.exists(s) or not any(c.isspace() for c in s) for s in source):
            return list(source)
    return None


def triage(source: Any, *, lang: str = "en", catalogue: Any = None, since: Any = None, until: Any = None) -> Triage:
    """Read a mail log, bounce messages or reply lines record by record.

    ``source`` is a path (a file, a Maildir or a folder; ``"-"`` for standard input), a
    list of paths, or an iterable of text lines. A list that holds a :class:`pathlib.Path` (or another path-like
    object), or whose strings name existing files or hold no white space, is a list of paths; any other list holds
    lines. Each record is
    one delivery attempt, explained by :func:`smtpteach.explain`. An input that cannot be
    read (a missing file, a broken gzip file) stops nothing: it is listed in
    ``summary().problems``, and the other inputs are read. What the reader did that changes the counts (a file named
    twice read once, a failure told by a log and by a bounce counted once) is listed in ``summary().notes``.

    ``since`` and ``until`` keep the records of a window of time: those whose :attr:`Record.timestamp` is at ``since``
    or after it, and before ``until`` (an ISO 8601 date, its first moment, or date and time, with an offset or
    without, as "2024-03-11", "2024-03-11T08:00" or "2024-03-11T08:00+07:00"; or a datetime or a date). A time
    without an offset, a record's or a bound's, is the local time of this machine where the other has one. The
    records outside it are neither given nor counted in the summary; with a window, a record whose time cannot be
    read is left out too, and a note says how many were.

    >>> t = triage(["Dec  4 10:00:01 mx postfix/smtp[1]: A1: to=<a@example.org>, relay=x[192.0.2.1]:25, "
    ...             "status=bounced (host x[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command))",
    ...             "Dec  4 10:00:02 mx postfix/smtp[2]: B2: to=<b@example.net>, relay=y[192.0.2.2]:25, "
    ...             "status=deferred (host y[192.0.2.2] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))"])
    >>> [(r.queue_id, r.domain, r.basic, r.reason, r.status) for r in t]
    [('A1', 'example.org', '550', 'userunknown', 'bounced'), ('B2', 'example.net', '452', 'mailboxfull', 'deferred')]
    >>> t.summary().records
    2
    """
    from .._catalogue import _resolve, default_catalogue
    from ._times import bound

    window = bound(since, "since"), bound(until, "until")
    if window[0] is not None and window[1] is not None and _as_comparable(window[0]) >= _as_comparable(window[1]):
        raise InvalidArgumentError(f"since ({since!r}) must come before until ({until!r})")
    cat = default_catalogue() if catalogue is None else _resolve(catalogue)
    cat._require_language(lang)
    if isinstance(source, (bytes, bytearray)):
        raise InvalidTypeError("triage() reads a path, a list of paths or lines of text, not bytes")
    paths = _as_paths(source)
    if paths is not None:
        return Triage(paths, None, lang, cat, *window)
    if isinstance(source, Iterable):
        return Triage(None, source, lang, cat, *window)
    raise InvalidTypeError(f"triage() reads a path, a list of paths or lines of text, not {type(source).__name__}")
