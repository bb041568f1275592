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


# The English of each error a learner meets, by key (the grammar's own are _replies._MESSAGES); ui.yaml's
# "errors" words each in every language, for SmtpTeachError.text. A test holds the English there to these.
MESSAGES = {
    "reply_code": "{code} is not an SMTP reply code: it needs three digits, the first 2 to 5",
    "enhanced_code": "{code} is not an enhanced status code: it needs class.subject.detail, the class 2, 4, 5 or X "
                     "(RFC 3463 §2)",
    "lookup_type": "{given} ({type}) is not a code: pass a string such as '550' or '5.1.1', or a number such as 550",
    "reply_code_type": "{given} ({type}) is not a reply code: pass a string such as '550' or a number such as 550",
    "enhanced_code_type": "{given} ({type}) is not an enhanced status code: pass a string such as '5.1.1'",
    "not_in_catalogue": "{code} is not in the catalogue",
    "not_a_code": "{given} is not a reply code (three digits, 2xx-5xx) or an enhanced status code (such as 5.1.1)",
    "not_in_registry": "{code} is not in the enhanced status code registry",
    "did_you_mean": "{message}; did you mean {codes}?",
    "compare_code": "{given} is not a reply code (such as 550) or an enhanced status code (such as 5.1.1)",
    "compare_kinds": "compare two basic codes or two enhanced codes, not {a} with {b}",
    "compare_same": "both codes are {code}; pick two different codes",
    "compare_generic": "{generic} is the generic form of {concrete} (the same code, with X for any class); pick two "
                       "different codes",
    "quiz_no_topics": "no topics given; choose one or more of: {topics}",
    "quiz_topic": "unknown topic {topic}; choose from: {topics}",
    "quiz_count": "count must be at least 1, got {count}",
    "quiz_too_many": "count {count} is more than the {available} questions available for topics {topics}",
    "quiz_questions_count": "count {count} is more than the {available} questions in {file}",
    "quiz_questions_lang": "the questions in {file} are written in {langs}, not {lang}",
    "quiz_questions_topics": "a quiz of your own questions takes no topics: its questions are those of {file}",
    # the widgets' own refusals, said after the trait's name ("a: give a concrete ...")
    "widget_generic": "give a concrete enhanced code such as {concrete}, not {code}",
    "widget_success": "the widget compares failures: use {code4} or {code5}",
    "widget_choice": "{trait} must be '' (any) or one of {allowed}, not {given}",
    "widget_answers": "answers needs {needed} entries (one per question, -1 for none), got {given}",
    "widget_answer": "answers[{index}] is {answer}; question {number} has choices 0 to {last} (-1 for none)",
    "mixed_records": "the text holds more than one record: a second one starts on line {line}. explain() reads one "
                     "record; explain them one at a time, or read them all with triage (smtpteach triage FILE, or "
                     "smtpteach.triage() in Python)",
}


class SmtpTeachError(Exception):
    """Root of every error smtpteach raises on purpose.

    The message is English. An error a learner meets (a code that is none or not in the catalogue, two codes that
    cannot be compared, a quiz that cannot be made, a reply that breaks RFC 5321's grammar, a text of two records
    given to explain()) also has ``key`` and ``values``, and :meth:`text` words it in another language.
    """

    key: str | None = None
    values: dict[str, str] = {}
    placed = False  # whether the message is said after the line at fault ("line 2: ...", ReplyParseError's)

    def __init__(self, message: str = "", *, key: str | None = None, values: dict[str, str] | None = None):
        super().__init__(message)
        self.key, self.values = key, dict(values or {})

    @classmethod
    def keyed(cls, key: str, /, *, values: dict[str, object] | None = None, near: tuple[str, ...] = (),
              **extra: object) -> SmtpTeachError:
        """The error worded by ``MESSAGES[key]`` with ``values`` (each made text), the codes the reader may have
        meant (``near``) after it; ``extra`` are the class's own keyword arguments (``code``, ``suggestions``).

        >>> err = InvalidArgumentError.keyed("quiz_count", values={"count": 0})
        >>> str(err), err.key, err.values
        ('count must be at least 1, got 0', 'quiz_count', {'count': '0'})
        """
        from ._templates import fill

        said = {k: str(v) for k, v in (values or {}).items()}
        message = fill(MESSAGES[key], said)
        if near:
            said["near"] = ", ".join(near)
            message = fill(MESSAGES["did_you_mean"], {"message": message, "codes": said["near"]})
        return cls(message, key=key, values=said, **extra)  # type: ignore[arg-type]

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
        if not isinstance(lang, str):
            raise InvalidTypeError(f"a language is a string such as 'en' or 'vi', not {type(lang).__name__}")
        if self.key is None or lang == "en":
            return str(self)
        from ._catalogue import default_catalogue
        from ._templates import fill

        errors = default_catalogue().ui(lang=lang).get("errors", {})
        if self.key not in errors:
            return str(self)
        message = fill(errors[self.key], self.values)
        if self.values.get("near"):
            message = fill(errors["did_you_mean"], {"message": message, "codes": self.values["near"]})
        line = getattr(self, "line", 0) if self.placed else 0
        return fill(errors["at_line"], {"line": str(line), "message": message}) if line else message


class InvalidCodeError(SmtpTeachError, ValueError):
    """A string is not a well-formed reply code or enhanced status code."""


class InvalidArgumentError(SmtpTeachError, ValueError):
    """An argument that is not a code has a value smtpteach cannot use.

    For example a quiz of 0 questions, an unknown quiz topic, or an answer
    that is not one of a question's choices. The message names the value.
    """


class InvalidTypeError(InvalidArgumentError, TypeError):
    """An argument has the wrong type, such as ``search(None)``, ``lookup([])`` or ``catalogue="x"``.

    A code is a string, or for a basic code also an int (``ReplyCode(550)``); a bool is no
    number here. The message names the type given.

    It is a :class:`TypeError`, as Python's own functions raise for a wrong
    type, and also an :class:`InvalidArgumentError` (so a :class:`ValueError`),
    as smtpteach raised for wrongly typed quiz arguments before it existed.
    """

    @classmethod
    def of(cls, key: str, given: object) -> InvalidTypeError:
        """The error worded by ``MESSAGES[key]`` for the value ``given``, named with its type.

        >>> str(InvalidTypeError.of("lookup_type", None))
        "None (NoneType) is not a code: pass a string such as '550' or '5.1.1', or a number such as 550"
        """
        import reprlib

        return cls.keyed(key, values={"given": reprlib.repr(given), "type": type(given).__name__})  # type: ignore[return-value]


class UnknownCodeError(SmtpTeachError, LookupError):
    """A well-formed code, or a string, that the catalogue does not hold.

    ``suggestions`` lists catalogue codes that are close to what was asked for.
    """

    def __init__(self, message: str, *, code: str = "", suggestions: tuple[str, ...] = (), key: str | None = None,
                 values: dict[str, str] | None = None):
        super().__init__(message, key=key, values=values)
        self.code = code
        self.suggestions = tuple(suggestions)


class ReplyParseError(SmtpTeachError, ValueError):
    """Text that is not an SMTP reply under the RFC 5321 §4.2 grammar.

    ``line`` is the 1-based line number at fault (0 when the whole input is at fault).
    """

    placed = True

    def __init__(self, message: str, *, line: int = 0, key: str | None = None, values: dict[str, str] | None = None):
        super().__init__(message, key=key, values=values)
        self.line = line


class MixedRecordsError(SmtpTeachError, ValueError):
    """Text given to :func:`smtpteach.explain` holds more than one record: two log
    lines with a delivery status, two replies, two recipient blocks of a DSN, or two
    addresses of a bounce in plain text (Exim's, qmail's).

    ``line`` is the 1-based line where the second record starts; ``kind`` is
    "log", "reply", "dsn" or "bounce". :func:`smtpteach.triage` reads such text record by record.
    """

    def __init__(self, message: str, *, line: int, kind: str):
        super().__init__(message, key="mixed_records", values={"line": str(line)})
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
