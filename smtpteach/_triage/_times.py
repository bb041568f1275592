"""A record's time as ISO 8601 (Record.timestamp), whatever form its source writes it in, and the window of time
(``since``, ``until``) a triage keeps records in.

The forms read: syslog's (RFC 3164: "Mar 11 00:00:02", which has no year, with journalctl's microseconds, or its
month as a Vietnamese locale names it, "thg 3 11 00:00:02"), ISO 8601 and its near forms (rsyslog's and the
journal's "2024-03-11T00:00:02.123+07:00", Exim's "2024-03-11 00:00:02 +0700", log4j's "2024-03-12 09:15:02,962",
journalctl's "Tue 2024-03-05 10:12:01 +07"), seconds since the epoch (journalctl's short-unix), Kerio's
"12/Mar/2024 09:12:41", Zimbra's "12 Mar 2024 09:15:02,962", RFC 5322's date of a message ("Mon, 11 Mar 2024
00:00:02 +0100"), and the United States' "12/1/2026 9:15:02 AM" of an Exchange or Microsoft 365 export (a day and a
month with no AM or PM, "03/04/2024 10:00", are read only where one of them is over 12; otherwise the order is not
known and there is no timestamp).

A time with an offset keeps it ("+07:00"; "Z" and UTC are "+00:00"); one without is the local time of wherever it was
written, and stays without one. A syslog time has no year: it is the year of the reference time (the file's
modification time; now, for standard input and lines given in Python), or the year before for a day more than a day
after the reference (a rotated file written to last in January holds December's lines of the year before; the day
of grace is for the time zones of a central syslog host's senders).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

from .._errors import InvalidArgumentError, InvalidTypeError

_MONTHS = {name: n for n, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                             "Dec"), 1)}
_SYSLOG = re.compile(r"(?:(?P<mon>[A-Z][a-z]{2})|[Tt]hg ?(?P<num>[0-9]{1,2})) (?P<day>[ 0-9][0-9]) "
                     r"(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?P<frac>[0-9]{1,9}))?", re.ASCII)
_ISO = re.compile(r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ]"
                  r"(?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)(?:[.,](?P<frac>[0-9]{1,9}))?"
                  r" ?(?:(?P<z>Z)|(?P<sign>[+-])(?P<hh>[0-9]{2}):?(?P<mm>[0-9]{2})?|(?P<abbr>[A-Z]{2,5}))?", re.ASCII)
_UNIX = re.compile(r"[0-9]{9,11}\.[0-9]{6}", re.ASCII)
_KERIO = re.compile(r"(?P<day>[0-9]{1,2})[/ ](?P<mon>[A-Z][a-z]{2})[/ ](?P<year>[0-9]{4})[: ]"
                    r"(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:[.,](?P<frac>[0-9]{1,9}))?", re.ASCII)
_SLASHED = re.compile(r"(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<year>[0-9]{4}),? (?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})"
                      r"(?::(?P<s>[0-9]{2}))? ?(?P<ampm>[AaPp][Mm])?", re.ASCII)
_UTC_NAMES = ("UTC", "GMT", "UT")


def _offset(m: re.Match[str]) -> str:
    if m.group("z") or m.group("abbr") in _UTC_NAMES:
        return "+00:00"
    if m.group("sign"):
        return f"{m.group('sign')}{m.group('hh')}:{m.group('mm') or '00'}"
    return ""  # no offset, or a zone's abbreviation ("ICT", "CET") that names none for certain


def _frac(frac: str | None) -> str:
    return "." + frac[:6] if frac else ""


class _Clock:
    """Turns the times sources write into ISO 8601; ``reference`` is the time a syslog line's year is read by."""

    def __init__(self) -> None:
        self._reference: _dt.datetime | None = None
        self._days: dict[str, str | None] = {}  # a syslog time's "Mmm dd" -> its date, by the reference
        self._last: tuple[str | None, str | None] = (None, None)

    def refer_to(self, when: float | None) -> None:
        """Read a syslog line's year by ``when`` (a file's modification time, seconds since the epoch), or by now."""
        self._reference = _dt.datetime.fromtimestamp(when) if when is not None else None
        self._days = {}
        self._last = (None, None)

    def stamp(self, when: str | None) -> str | None:
        """``when`` as ISO 8601, or None where it is no time this reads.

        >>> c = _Clock(); c.refer_to(_dt.datetime(2025, 1, 2, 8, 0).timestamp())
        >>> [c.stamp(w) for w in ("Dec 31 23:59:58", "Jan  2 07:59:59.250", "2024-03-11 00:00:02 +0700",
        ...                       "2024-03-11T00:00:02.1234567Z", "Mon, 11 Mar 2024 00:00:02 +0100", "soon")]
        ['2024-12-31T23:59:58', '2025-01-02T07:59:59.250', '2024-03-11T00:00:02+07:00', '2024-03-11T00:00:02.123456+00:00', '2024-03-11T00:00:02+01:00', None]
        """
        if when is None:
            return None
        last, stamp = self._last
        if when == last:  # (a log's lines come many to a second)
            return stamp
        if len(when) == 15 and when[3] == " " and when[9] == ":":  # RFC 3164's "Mar 11 00:00:02", without a regex
            day = self._days.get(when[:7], "")
            if day:
                stamp = f"{day}T{when[7:]}"
                self._last = (when, stamp)
                return stamp
        stamp = self._read(when.strip())
        self._last = (when, stamp)
        return stamp

    def _read(self, when: str) -> str | None:
        m = _SYSLOG.fullmatch(when)
        if m is not None:
            key = when[:m.start("time")]
            day = self._days.get(key, "")
            if day == "":
                day = self._days[key] = self._date(m)
            return f"{day}T{m.group('time')}{_frac(m.group('frac'))}" if day else None
        m = _ISO.fullmatch(when)
        if m is not None:
            t = m.group("time")
            return f"{m.group('date')}T{t if len(t) == 8 else t + ':00'}{_frac(m.group('frac'))}{_offset(m)}"
        if _UNIX.fullmatch(when):
            return _dt.datetime.fromtimestamp(float(when), _dt.timezone.utc).isoformat()
        m = _KERIO.fullmatch(when)
        if m is not None and m.group("mon") in _MONTHS:
            return f"{m.group('year')}-{_MONTHS[m.group('mon')]:02d}-{int(m.group('day')):02d}T{m.group('time')}" \
                   f"{_frac(m.group('frac'))}"
        m = _SLASHED.fullmatch(when)
        if m is not None:
            return _slashed(m)
        if any(name in when for name in _MONTHS):
            import email.utils

            parsed = email.utils.parsedate_tz(when)
            if parsed is not None and parsed[0] > 1900:
                try:
                    return email.utils.parsedate_to_datetime(when).isoformat()
                except (ValueError, TypeError, OverflowError):
                    return None
        return None

    def _date(self, m: re.Match[str]) -> str | None:
        """The date of a syslog time's month and day: the reference's year, or the one before for a day more than a
        day after the reference (Feb 29 in the last leap year before)."""
        month = _MONTHS.get(m.group("mon")) if m.group("mon") else int(m.group("num"))
        if not month or not 1 <= month <= 12:
            return None
        day = int(m.group("day"))
        reference = self._reference or _dt.datetime.now()
        latest = reference.date() + _dt.timedelta(days=1)
        for year in range(reference.year, reference.year - 8, -1):
            try:
                date = _dt.date(year, month, day)
            except ValueError:
                if month != 2 or day != 29:
                    return None  # no such day in any year
                continue  # Feb 29 of a year that has none
            if date <= latest:
                return date.isoformat()
        return None


def _slashed(m: re.Match[str]) -> str | None:
    """A date written with slashes: month first with AM or PM (the United States' form, which writes them), otherwise
    day or month first only where one of them is over 12."""
    a, b, ampm = int(m.group("a")), int(m.group("b")), m.group("ampm")
    if ampm or a <= 12 < b:
        month, day = a, b
    elif b <= 12 < a:
        month, day = b, a
    else:
        return None
    hour = int(m.group("h"))
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        return _dt.datetime(int(m.group("year")), month, day, hour, int(m.group("m")), int(m.group("s") or 0)).isoformat()
    except ValueError:
        return None


# -- the window -----------------------------------------------------------------------------------------------------

_EXAMPLES = "2024-03-11, 2024-03-11T08:00 or 2024-03-11T08:00:00+07:00"


def bound(value: Any, name: str) -> _dt.datetime | None:
    """``since`` or ``until`` as a datetime: an ISO 8601 date (its first moment) or date and time, with an offset or
    without (local time), a datetime or a date; None for None.

    >>> bound("2024-03-11", "since"), bound("2024-03-11T08:00+07:00", "until").utcoffset()
    (datetime.datetime(2024, 3, 11, 0, 0), datetime.timedelta(seconds=25200))
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise InvalidTypeError(f"{name} must be an ISO 8601 date or date and time ({_EXAMPLES}), a datetime or a date, "
                               f"not {type(value).__name__}")
    text = value.strip()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.,]+(?:Z|[+-][0-9:]+)?)?", text, re.ASCII):
            raise ValueError
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgumentError(f"{name} must be an ISO 8601 date or date and time ({_EXAMPLES}), not {value!r}") \
            from None


class _Window:
    """The records whose timestamp is at ``since`` or after and before ``until`` (either may be None); a timestamp
    without an offset and a bound with one (or the other way round) are compared as the local time of this machine."""

    def __init__(self, since: _dt.datetime | None, until: _dt.datetime | None):
        self._bounds = [(b, b if b.tzinfo is None else b.astimezone().replace(tzinfo=None),
                         b if b.tzinfo is not None else b.astimezone()) if b is not None else None
                        for b in (since, until)]
        self.untimed = 0  # the records left out for a time that could not be read
        self.outside = 0  # ... and for a time outside the window

    def keeps(self, stamp: str | None) -> bool:
        if stamp is None:
            self.untimed += 1
            return False
        t = _dt.datetime.fromisoformat(stamp)
        since, until = self._bounds
        i = 1 if t.tzinfo is None else 2
        if (since is None or t >= since[i]) and (until is None or t < until[i]):
            return True
        self.outside += 1
        return False

    def filter(self, events: Iterator[Any], record_type: type, note: Any) -> Iterator[Any]:
        """``events`` without the records outside the window, and notes at the end that count them, and those with no
        time."""
        for event in events:
            if event.__class__ is record_type and not self.keeps(event.timestamp):
                continue
            yield event
        if self.outside:
            yield note("", "outside_one" if self.outside == 1 else "outside", count=self.outside)
        if self.untimed:
            yield note("", "no_time_one" if self.untimed == 1 else "no_time", count=self.untimed)
