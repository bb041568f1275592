"""Open value types for basic reply codes and enhanced status codes.

Any well-formed code parses, whether or not an RFC defines it: real servers send
codes such as 571 that no RFC lists. Looking a code up in the catalogue is a
separate step (:func:`smtpteach.lookup`).

Grammar (RFC 5321 §4.2 and RFC 3463 §2)::

    Reply-code     = %x32-35 %x30-35 %x30-39      ; 2xx-5xx, second digit 0-5
    status-code    = class "." subject "." detail
    class          = "2" / "4" / "5"
    subject        = 1*3digit
    detail         = 1*3digit
"""

from __future__ import annotations

import re

from ._errors import InvalidCodeError, InvalidTypeError

__all__ = ["ReplyCode", "EnhancedStatusCode", "REPLY_CODE_RE", "ENHANCED_CODE_RE"]


# RFC 5321 §4.2: the first digit is 2 to 5. The second digit is 0 to 5 in the
# grammar of §4.2.1; servers in the wild send x6z to x9z too (for example 571's
# cousins), so the value type accepts any second digit and says so.
REPLY_CODE_RE = re.compile(r"[2-5][0-9][0-9]")
# RFC 3463 §2: subject and detail have one to three digits, without leading zeros
# in practice; "X" stands for any class when the registry lists a code.
ENHANCED_CODE_RE = re.compile(r"([245X])\.([0-9]{1,3})\.([0-9]{1,3})")


class ReplyCode:
    """A three-digit SMTP reply code (RFC 5321 §4.2).

    >>> c = ReplyCode("550")
    >>> c.reply_class, c.category, c.is_permanent_negative
    (5, 5, True)
    >>> ReplyCode("354").is_positive_intermediate
    True
    >>> ReplyCode("55")
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidCodeError: '55' is not an SMTP reply code: it needs three digits, the first 2 to 5
    >>> ReplyCode(None)
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidTypeError: None (NoneType) is not a reply code: pass a string such as '550' or a number such as 550
    """

    __slots__ = ("_code",)

    def __init__(self, code: str | int | ReplyCode):
        if isinstance(code, ReplyCode):
            code = code._code
        if not isinstance(code, (str, int)) or isinstance(code, bool):  # a bool is no number here
            raise InvalidTypeError.of("reply_code_type", code)
        text = str(code).strip()
        if not REPLY_CODE_RE.fullmatch(text):
            raise InvalidCodeError.keyed("reply_code", values={"code": repr(code)})
        self._code = text

    @classmethod
    def _trusted(cls, code: str) -> ReplyCode:
        """A code already matched by a grammar regex: skip the second check."""
        obj = object.__new__(cls)
        obj._code = code
        return obj

    @property
    def code(self) -> str:
        return self._code

    @property
    def reply_class(self) -> int:
        """The first digit (RFC 5321 §4.2.1): 2, 3, 4 or 5."""
        return int(self._code[0])

    @property
    def category(self) -> int:
        """The second digit (RFC 5321 §4.2.1): 0 syntax ... 5 mail system."""
        return int(self._code[1])

    @property
    def detail(self) -> int:
        """The third digit: the finest grade of the reply, with no meaning of its own in the RFC."""
        return int(self._code[2])

    @property
    def is_positive_completion(self) -> bool:
        """2xx: the command worked (RFC 5321 §4.2.1, "Positive Completion")."""
        return self._code[0] == "2"

    @property
    def is_positive_intermediate(self) -> bool:
        """3xx: accepted so far; the server waits for more, such as the message after DATA."""
        return self._code[0] == "3"

    @property
    def is_transient_negative(self) -> bool:
        """4xx: refused for now; the same command may work later, so the client retries."""
        return self._code[0] == "4"

    @property
    def is_permanent_negative(self) -> bool:
        """5xx: refused; the same command will fail again until something changes."""
        return self._code[0] == "5"

    @property
    def is_standard_grammar(self) -> bool:
        """Whether the second digit is within RFC 5321's 0 to 5."""
        return self._code[1] in "012345"

    def __str__(self) -> str:
        return self._code

    def __repr__(self) -> str:
        return f"ReplyCode({self._code!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReplyCode):
            return self._code == other._code
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, ReplyCode):
            return self._code < other._code
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("ReplyCode", self._code))


class EnhancedStatusCode:
    """An enhanced status code, class.subject.detail (RFC 3463 §2).

    ``X`` in place of the class means "any class", as the IANA registry writes codes.
    For lookups it is lenient with the leading zeros RFC 3463 §2 forbids: "5.01.1" is
    5.1.1 (:func:`smtpteach.parse_reply`, the strict parser, refuses "550 5.01.1").

    >>> e = EnhancedStatusCode("5.1.1")
    >>> e.status_class, e.subject, e.detail, e.generic
    (5, 1, 1, 'X.1.1')
    >>> EnhancedStatusCode("X.7.1").status_class is None
    True
    >>> EnhancedStatusCode("5.01.1")
    EnhancedStatusCode('5.1.1')
    """

    __slots__ = ("_code", "_class", "_subject", "_detail")

    def __init__(self, code: str | EnhancedStatusCode):
        if isinstance(code, EnhancedStatusCode):
            code = code._code
        if not isinstance(code, str):  # 5 or 5.1 is no class.subject.detail
            raise InvalidTypeError.of("enhanced_code_type", code)
        m = ENHANCED_CODE_RE.fullmatch(code.strip())
        if m is None:
            raise InvalidCodeError.keyed("enhanced_code", values={"code": repr(code)})
        cls, subject, detail = m.groups()
        self._class = None if cls == "X" else int(cls)
        self._subject = int(subject)
        self._detail = int(detail)
        self._code = f"{cls}.{self._subject}.{self._detail}"

    @classmethod
    def _trusted(cls, code: str) -> EnhancedStatusCode:
        """A concrete code already matched by a grammar regex (no leading zeros check needed)."""
        obj = object.__new__(cls)
        klass, subject, detail = code.split(".")
        obj._class, obj._subject, obj._detail = int(klass), int(subject), int(detail)
        obj._code = f"{klass}.{obj._subject}.{obj._detail}"
        return obj

    @property
    def code(self) -> str:
        return self._code

    @property
    def status_class(self) -> int | None:
        """2 success, 4 persistent transient failure, 5 permanent failure; None for X."""
        return self._class

    @property
    def subject(self) -> int:
        """The middle number (RFC 3463 §2): 0 other, 1 addressing ... 7 security or policy."""
        return self._subject

    @property
    def detail(self) -> int:
        """The last number: which status within the subject (1 in 5.1.1, bad mailbox address)."""
        return self._detail

    @property
    def generic(self) -> str:
        """The registry's form of this code, with X for the class."""
        return f"X.{self._subject}.{self._detail}"

    def with_class(self, status_class: int) -> EnhancedStatusCode:
        return EnhancedStatusCode(f"{status_class}.{self._subject}.{self._detail}")

    def __str__(self) -> str:
        return self._code

    def __repr__(self) -> str:
        return f"EnhancedStatusCode({self._code!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EnhancedStatusCode):
            return self._code == other._code
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("EnhancedStatusCode", self._code))

    def sort_key(self) -> tuple[int, int, int]:
        return (self._class or 0, self._subject, self._detail)


def code_text(code: object, type_key: str = "lookup_type") -> str:
    """A code as the lookups read it: a string as it is, a :class:`ReplyCode` or :class:`EnhancedStatusCode` as its
    text, a whole number as its digits (550); anything else (None, a list, a float, a bool) is an
    :class:`InvalidTypeError` worded by ``MESSAGES[type_key]``.

    >>> code_text(550), code_text(EnhancedStatusCode("5.1.1")), code_text(" 421 ")
    ('550', '5.1.1', ' 421 ')
    """
    if isinstance(code, (ReplyCode, EnhancedStatusCode)):
        return code.code
    if isinstance(code, int) and not isinstance(code, bool):  # a bool is no number here
        return str(code)
    if isinstance(code, str):
        return code
    raise InvalidTypeError.of(type_key, code)
