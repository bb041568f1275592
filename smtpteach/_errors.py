"""The error hierarchy: one root, each subclass also a matching builtin."""

from __future__ import annotations

__all__ = [
    "SmtpTeachError",
    "InvalidCodeError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "UnknownCodeError",
    "ReplyParseError",
    "CatalogueError",
    "MixedRecordsError",
]


class SmtpTeachError(Exception):
    """Root of every error smtpteach raises on purpose.

    The message is English. An error a learner meets in the lessons (a reply code that is none, a reply that breaks
    RFC 5321's grammar) also has ``key`` and ``values``, and :meth:`text` words it in another language.
    """

    key: str | None = None
    values: dict[str, str] = {}

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, as the catalogue's UI files word it (``errors`` in ui.yaml); the English message
        where they have no wording for it.

        >>> from smtpteach import parse_reply
        >>> try:
        ...     parse_reply("250-mx.example.org")
        ... except ReplyParseError as err:
        ...     print(err.text(lang="vi"))
        dòng 1: '250-' báo còn dòng tiếp theo, nhưng dữ liệu đã hết; dòng cuối phải là '250 nội dung' hoặc '250'
        """
        if self.key is None or lang == "en":
            return str(self)
        from ._catalogue import default_catalogue
        from ._templates import fill

        errors = default_catalogue().ui(lang=lang).get("errors", {})
        if self.key not in errors:
            return str(self)
        message = fill(errors[self.key], self.values)
        line = getattr(self, "line", 0)
        return fill(errors["at_line"], {"line": str(line), "message": message}) if line else message


class InvalidCodeError(SmtpTeachError, ValueError):
    """A string is not a well-formed reply code or enhanced status code."""

    def __init__(self, message: str, *, key: str | None = None, values: dict[str, str] | None = None):
        super().__init__(message)
        self.key, self.values = key, dict(values or {})


class InvalidArgumentError(SmtpTeachError, ValueError):
    """An argument that is not a code has a value smtpteach cannot use.

    For example a quiz of 0 questions, an unknown quiz topic, or an answer
    that is not one of a question's choices. The message names the value.
    """


class InvalidTypeError(InvalidArgumentError, TypeError):
    """An argument has the wrong type, such as ``search(None)`` or ``catalogue="x"``.

    It is a :class:`TypeError`, as Python's own functions raise for a wrong
    type, and also an :class:`InvalidArgumentError` (so a :class:`ValueError`),
    as smtpteach raised for wrongly typed quiz arguments before it existed.
    """


class UnknownCodeError(SmtpTeachError, LookupError):
    """A well-formed code, or a string, that the catalogue does not hold.

    ``suggestions`` lists catalogue codes that are close to what was asked for.
    """

    def __init__(self, message: str, *, code: str = "", suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.code = code
        self.suggestions = tuple(suggestions)


class ReplyParseError(SmtpTeachError, ValueError):
    """Text that is not an SMTP reply under the RFC 5321 §4.2 grammar.

    ``line`` is the 1-based line number at fault (0 when the whole input is at fault).
    """

    def __init__(self, message: str, *, line: int = 0, key: str | None = None, values: dict[str, str] | None = None):
        super().__init__(message)
        self.line = line
        self.key, self.values = key, dict(values or {})


class MixedRecordsError(SmtpTeachError, ValueError):
    """Text given to :func:`smtpteach.explain` holds more than one record: two log
    lines with a delivery status, two replies, two recipient blocks of a DSN, or two
    addresses of a bounce in plain text (Exim's, qmail's).

    ``line`` is the 1-based line where the second record starts; ``kind`` is
    "log", "reply", "dsn" or "bounce". :func:`smtpteach.triage` reads such text record by record.
    """

    def __init__(self, message: str, *, line: int, kind: str):
        super().__init__(message)
        self.line = line
        self.kind = kind


class CatalogueError(SmtpTeachError, ValueError):
    """A data file is broken. The message names the file, the entry and the field."""

    def __init__(self, message: str, *, file: str = "", entry: str = "", field: str = ""):
        where = ", ".join(p for p in (file, f"entry {entry!r}" if entry else "", f"field {field!r}" if field else "") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message  # without the place, to be placed again (a key may hold ": " itself)
        self.file = file
        self.entry = entry
        self.field = field
