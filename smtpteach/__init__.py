"""smtpteach: learn SMTP reply codes.

A bilingual (English and Vietnamese) catalogue of every SMTP reply code and
enhanced status code, comparisons of any two codes, an explainer for real
server replies and bounces, quizzes, and notebook widgets.

>>> import smtpteach
>>> smtpteach.lookup("550").name(), smtpteach.lookup("550").name(lang="vi")
('Mailbox Unavailable', 'Hộp thư không khả dụng')

Importing the package is cheap: the data and the heavier modules load on
first use.
"""

from __future__ import annotations

from ._codes import EnhancedStatusCode, ReplyCode
from ._errors import (
    CatalogueError,
    InvalidArgumentError,
    InvalidCodeError,
    InvalidTypeError,
    MixedRecordsError,
    ReplyParseError,
    SmtpTeachError,
    UnknownCodeError,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "ReplyCode",
    "EnhancedStatusCode",
    "SmtpTeachError",
    "InvalidCodeError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "UnknownCodeError",
    "ReplyParseError",
    "CatalogueError",
    "MixedRecordsError",
    # catalogue
    "Catalogue",
    "BasicEntry",
    "EnhancedEntry",
    "Topic",
    "Text",
    "default_catalogue",
    "lookup",
    "get",
    "search",
    # compare
    "Comparison",
    "compare",
    "FREQUENTLY_CONFUSED",
    "confused_pairs",
    # replies and explanations
    "Reply",
    "parse_reply",
    "Explanation",
    "explain",
    # a whole log or folder of bounces, record by record
    "triage",
    "Triage",
    "Record",
    "Summary",
    # quizzes
    "Quiz",
    "Question",
    "make_quiz",
    "QuestionBank",
    "load_questions",
    # the sample files of the lessons and how-to guides
    "sample_path",
]

# name -> private module that defines it; imported on first attribute access
_LAZY = {
    "Catalogue": "_catalogue",
    "BasicEntry": "_catalogue",
    "EnhancedEntry": "_catalogue",
    "Topic": "_catalogue",
    "Text": "_catalogue",
    "default_catalogue": "_catalogue",
    "lookup": "_catalogue",
    "get": "_catalogue",
    "search": "_catalogue",
    "Comparison": "_compare",
    "compare": "_compare",
    "FREQUENTLY_CONFUSED": "_pairs",
    "confused_pairs": "_pairs",
    "Reply": "_replies",
    "parse_reply": "_replies",
    "Explanation": "_explain",
    "explain": "_explain",
    "triage": "_triage",
    "Triage": "_triage",
    "Record": "_triage",
    "Summary": "_triage",
    "Quiz": "_quiz",
    "Question": "_quiz",
    "make_quiz": "_quiz",
    "QuestionBank": "_own_quiz",
    "load_questions": "_own_quiz",
    "sample_path": "_samples",
}


# Submodules that ``import smtpteach`` makes reachable on first use, as
# ``smtpteach.render.markdown(...)``; widgets and lab need extras, so they stay explicit.
_SUBMODULES = ("render",)


def __getattr__(name: str):
    from importlib import import_module

    if name in _SUBMODULES:
        value = import_module(f"{__name__}.{name}")
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smtpteach' has no attribute {name!r}")

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
