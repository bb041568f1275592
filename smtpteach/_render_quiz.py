"""Text, Markdown and HTML for a Quiz (used by smtpteach.render).

Each format lists the numbered questions with lettered choices, then an answer
key with the explanations. HTML is a form without a script: one ``<fieldset>``
of radio buttons per question, ids derived from the question ids
(``smtpteach-q-<id>``), and every string escaped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from html import escape
from string import ascii_lowercase
from typing import Any

from .render import _md

__all__ = ["text", "markdown", "html"]


def _ui(lang: str) -> Mapping[str, str]:
    from ._catalogue import default_catalogue

    return default_catalogue().ui(lang=lang)["quiz"]


def _summary(q: Any, t: Mapping[str, str]) -> str:
    from ._templates import fill

    return fill(t["summary"], {"total": str(len(q.questions)), "seed": str(q.seed)})


def _letter(index: int) -> str:
    return ascii_lowercase[index] if index < len(ascii_lowercase) else str(index + 1)


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def text(q: Any, *, answers: bool = True) -> str:
    """Plain text: the questions, then the answers (none with ``answers=False``: a quiz to hand out).

    >>> from smtpteach._quiz import make_quiz
    >>> print(text(make_quiz(1, seed=0, topics=["class"])).splitlines()[4])
    1. What class is the reply code 421?
    """
    t = _ui(q.lang)
    out = [t["title"], "=" * len(t["title"]), _summary(q, t), ""]
    for number, question in enumerate(q.questions, start=1):
        head = f"{number}. "
        out.append(head + question.prompt)
        out += [f"{' ' * len(head)}{_letter(i)}) {choice}" for i, choice in enumerate(question.choices)]
        out.append("")
    if not answers:
        return "\n".join(out[:-1]) + "\n"
    out += [t["answers"], "-" * len(t["answers"])]
    for number, question in enumerate(q.questions, start=1):
        head = f"{number}. "
        out.append(f"{head}{_letter(question.answer)}) {question.choices[question.answer]}")
        out.append(" " * len(head) + question.explanation)
    return "\n".join(out) + "\n"


def markdown(q: Any, *, answers: bool = True) -> str:
    """Markdown: a numbered list of questions, then the answer key (none with ``answers=False``).

    >>> from smtpteach._quiz import make_quiz
    >>> print(markdown(make_quiz(1, seed=0, topics=["class"])).splitlines()[0])
    # SMTP reply code quiz
    """
    t = _ui(q.lang)
    out = [f"# {_md(t['title'])}", "", _md(_summary(q, t)), ""]
    for number, question in enumerate(q.questions, start=1):
        out.append(f"{number}. {_md(question.prompt)}")
        out.append("")
        out += [f"   - {_letter(i)}) {_md(choice)}" for i, choice in enumerate(question.choices)]
        out.append("")
    if not answers:
        return "\n".join(out[:-1]) + "\n"
    out += [f"## {_md(t['answers'])}", ""]
    for number, question in enumerate(q.questions, start=1):
        right = question.choices[question.answer]
        out.append(f"{number}. **{_letter(question.answer)}) {_md(right)}**: {_md(question.explanation)}")
    return "\n".join(out) + "\n"


def html(q: Any, *, answers: bool = True) -> str:
    """An HTML fragment: a form of fieldsets (no script), then the answer key (none with ``answers=False``).

    >>> from smtpteach._quiz import make_quiz
    >>> quiz = make_quiz(1, seed=0, topics=["class"])
    >>> f'id="smtpteach-q-{quiz.questions[0].id}"' in html(quiz)
    True
    """
    t = _ui(q.lang)
    digest = hashlib.sha1("\n".join(x.id for x in q.questions).encode("ascii")).hexdigest()[:10]
    ident = f"smtpteach-quiz-{digest}"
    out = [f'<article class="smtpteach-quiz" id="{ident}" lang="{_e(q.lang)}" data-seed="{_e(q.seed)}">',
           f"<h2>{_e(t['title'])}</h2>", f'<p class="smtpteach-quiz-summary">{_e(_summary(q, t))}</p>',
           '<ol class="smtpteach-questions">']
    for question in q.questions:
        qid = f"smtpteach-q-{question.id}"
        out.append(f'<li id="{qid}" class="smtpteach-question" data-kind="{_e(question.kind)}">')
        out.append(f"<fieldset><legend>{_e(question.prompt)}</legend>")
        out.append('<ol class="smtpteach-choices" type="a">')
        for i, choice in enumerate(question.choices):
            cid = f"{qid}-{i}"
            out.append(f'<li><input type="radio" name="{qid}" id="{cid}" value="{i}"> '
                       f'<label for="{cid}">{_e(choice)}</label></li>')
        out.append("</ol></fieldset></li>")
    out.append("</ol>")
    if not answers:
        return "\n".join([*out, "</article>"]) + "\n"
    out.append(f'<section class="smtpteach-quiz-answers" id="{ident}-answers"><h3>{_e(t["answers"])}</h3>')
    out.append("<ol>")
    for question in q.questions:
        right = question.choices[question.answer]
        out.append(f'<li id="smtpteach-a-{question.id}"><a href="#smtpteach-q-{question.id}">'
                   f"<strong>{_letter(question.answer)}) {_e(right)}</strong></a> "
                   f'<span class="smtpteach-explanation">{_e(question.explanation)}</span></li>')
    out.append("</ol></section></article>")
    return "\n".join(out) + "\n"
