"""The catalogue's entries: a basic code, an enhanced code, or a topic (a class,
category or subject), each immutable, with its prose in each language (:class:`Text`)
read through the catalogue that holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing costs import time; annotations are strings here
    from typing import Any

    from ._catalogue import Catalogue

TEXT_FIELDS = ("name", "description", "when", "fix")


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

        >>> from smtpteach import lookup
        >>> lookup("X.1.1").registry_classes
        ('4', '5')
        """
        if "Any" in self.basic_codes:
            return ("2", "4", "5")
        return tuple(sorted({b[0] for b in self.basic_codes if b[:1] in ("2", "4", "5")}))

    def __repr__(self) -> str:
        return f"EnhancedEntry({self.code.code!r})"
