"""A teacher's own quiz questions, read from a YAML file and asked as a seeded quiz.

The generated quiz (``_quiz``) asks what the catalogue knows. A teacher also asks
what the class did: the relay they set up in the lab, the bounce a student brought,
a question in the words of the week's reading. Such a question is written once, in
one language or in several, in a file like this::

    lang: [en, vi]          # or one language: "lang: vi", and every text a plain string
    questions:
      - prompt:
          en: "Our relay answered 421 to EHLO. What should the sending MTA do?"
          vi: "Relay của lớp trả lời 421 cho lệnh EHLO. MTA gửi nên làm gì?"
        answer:
          en: "Keep the message queued and try again later"
          vi: "Giữ thư trong hàng đợi và thử lại sau"
        wrong:
          - {en: "Bounce the message to its sender", vi: "Trả thư về cho người gửi"}
          - {en: "Drop the message", vi: "Bỏ thư đi"}
        explanation:
          en: "421 is transient: the server closes the session, and the queue retries."
          vi: "421 là lỗi tạm thời: máy chủ đóng phiên, hàng đợi sẽ tự thử lại."
        code: "421"         # optional: the code the question is about, checked against the catalogue

The right answer is written apart from the wrong ones, so no index can point at the
wrong choice; the seed decides where it sits. Questions and choices are drawn from
``random.Random(seed)`` by position, never by text, so the same seed gives the same
quiz, with the right answer in the same place, in every language the file has.

A file that cannot be read as such a file is refused with a
:class:`~smtpteach.CatalogueError` naming the file, the question and the field.
"""

from __future__ import annotations

import hashlib
import os
import random
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._catalogue import Catalogue, default_catalogue
from ._errors import CatalogueError, InvalidArgumentError, InvalidTypeError, SmtpTeachError

__all__ = ["QuestionBank", "load_questions"]

KIND = "own"  # Question.kind and Quiz.topics of a quiz made of a teacher's questions
_TOP_KEYS = frozenset({"lang", "questions"})
_QUESTION_KEYS = frozenset({"prompt", "answer", "wrong", "explanation", "code"})
_MOST_CHOICES = 8  # the right answer and up to seven wrong ones: more is a list, not a question


@dataclass(frozen=True)
class OwnQuestion:
    """One question of a teacher's file: each text by language, the wrong choices in the file's order."""

    prompt: Mapping[str, str]
    answer: Mapping[str, str]
    wrong: tuple[Mapping[str, str], ...]
    explanation: Mapping[str, str]
    code: str


@dataclass(frozen=True)
class QuestionBank:
    """A teacher's questions as :func:`load_questions` read them: ``name`` is the file's name (for messages),
    ``languages`` the languages every text is written in."""

    name: str
    languages: tuple[str, ...]
    questions: tuple[OwnQuestion, ...]

    def __repr__(self) -> str:
        n = len(self.questions)
        return f"QuestionBank({self.name!r}, {n} question{'' if n == 1 else 's'}, languages={list(self.languages)})"


def load_questions(path: str | os.PathLike[str], *, catalogue: Catalogue | None = None) -> QuestionBank:
    """Read a teacher's questions from a YAML file (the form is in this module's docstring). A ``code`` a question
    names must be in ``catalogue`` (the default catalogue, or one with the teacher's own codes).

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "week3.yaml").write_text('''lang: vi
    ... questions:
    ...   - prompt: "Mã nào báo hộp thư đầy?"
    ...     answer: "552"
    ...     wrong: ["550", "421"]
    ...     explanation: "552 báo vượt giới hạn dung lượng của hộp thư."
    ...     code: "552"
    ... ''', encoding="utf-8")
    >>> load_questions(folder / "week3.yaml")
    QuestionBank('week3.yaml', 1 question, languages=['vi'])
    >>> _ = (folder / "bad.yaml").write_text("lang: vi\\nquestions:\\n  - prompt: x\\n    answer: y\\n", encoding="utf-8")
    >>> load_questions(folder / "bad.yaml")
    Traceback (most recent call last):
    ...
    smtpteach._errors.CatalogueError: bad.yaml, entry 'question 1', field 'wrong': is missing: give one wrong choice or more
    """
    from ._loading import _read_yaml

    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        raise InvalidTypeError(f"questions must be the path of a YAML file, not {reprlib.repr(path)}")
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    return _bank(_read_yaml(path, name), name, catalogue or default_catalogue())


def _bank(data: Any, name: str, cat: Catalogue) -> QuestionBank:
    if not isinstance(data, dict):
        raise CatalogueError("must be a mapping with 'lang' and 'questions'", file=name)
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        raise CatalogueError(f"unknown key {unknown[0]!r}: a questions file holds 'lang' and 'questions'", file=name)
    languages = _languages(data.get("lang"), name, cat)
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise CatalogueError("must be a list of one question or more", file=name, field="questions")
    questions = tuple(_question(q, name, f"question {i}", languages, cat) for i, q in enumerate(raw, start=1))
    for lang in languages:  # in each language: two questions worded alike in one of them are one question to its readers
        seen: dict[str, int] = {}
        for i, q in enumerate(questions, start=1):
            prompt = q.prompt[lang].casefold()
            if prompt in seen:
                raise CatalogueError(f"asks what question {seen[prompt]} asks", file=name, entry=f"question {i}",
                                     field=_where("prompt", lang, languages))
            seen[prompt] = i
    return QuestionBank(name=name, languages=languages, questions=questions)


def _languages(raw: Any, name: str, cat: Catalogue) -> tuple[str, ...]:
    if raw is None:
        raise CatalogueError(f"is missing: say which language the questions are written in ({', '.join(cat.languages)}"
                             f", or a list of them)", file=name, field="lang")
    given = [raw] if isinstance(raw, str) else raw
    if not isinstance(given, list) or not given or not all(isinstance(x, str) for x in given):
        raise CatalogueError(f"must be a language or a list of them ({', '.join(cat.languages)}), not "
                             f"{reprlib.repr(raw)}", file=name, field="lang")
    for lang in given:
        if lang not in cat.languages:
            raise CatalogueError(f"unknown language {lang!r}; the catalogue has {', '.join(cat.languages)}", file=name,
                                 field="lang")
    if len(set(given)) != len(given):
        raise CatalogueError(f"names a language twice: {given}", file=name, field="lang")
    return tuple(given)


def _where(field: str, lang: str, languages: Sequence[str]) -> str:
    return f"{field}.{lang}" if len(languages) > 1 else field


def _texts(raw: Any, name: str, entry: str, field: str, languages: tuple[str, ...]) -> dict[str, str]:
    """One text of a question in each of the file's languages: a plain string in a file of one language, a mapping
    of each language to its string in a file of several."""
    from ._loading import _CONTROL, _composed

    if len(languages) == 1:
        by_lang = {languages[0]: raw}
    elif isinstance(raw, dict):
        extra = sorted(str(k) for k in raw if k not in languages)
        if extra:
            raise CatalogueError(f"language {extra[0]!r} is not one of the file's ({', '.join(languages)})", file=name,
                                 entry=entry, field=f"{field}.{extra[0]}")
        by_lang = {lang: raw.get(lang) for lang in languages}
    else:
        raise CatalogueError(f"must give the text in each of the file's languages ({', '.join(languages)}), as "
                             f"{languages[0]}: ..., {languages[1]}: ...", file=name, entry=entry, field=field)
    out = {}
    for lang, value in by_lang.items():
        where = _where(field, lang, languages)
        if isinstance(value, int) and not isinstance(value, bool) and field.startswith(("answer", "wrong")):
            value = str(value)  # a code written without quotes (answer: 552) is the text "552"
        elif isinstance(value, float):  # YAML's 5.10 is the number 5.1: what was written is lost, so say how to keep it
            raise CatalogueError(f"is the number {value!r}: put it in quotes to keep it as written (\"5.10\")", file=name,
                                 entry=entry, field=where)
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError("is missing or empty", file=name, entry=entry, field=where)
        text = _composed(" ".join(value.split()))
        control = _CONTROL.search(text)
        if control:
            raise CatalogueError(f"holds the control character U+{ord(control.group()):04X}", file=name, entry=entry,
                                 field=where)
        out[lang] = text
    return out


def _question(raw: Any, name: str, entry: str, languages: tuple[str, ...], cat: Catalogue) -> OwnQuestion:
    if not isinstance(raw, dict):
        raise CatalogueError("must be a mapping with prompt, answer, wrong and explanation", file=name, entry=entry)
    unknown = sorted(str(k) for k in raw if k not in _QUESTION_KEYS)
    if unknown:
        raise CatalogueError(f"unknown field {unknown[0]!r}: a question has {', '.join(sorted(_QUESTION_KEYS))}",
                             file=name, entry=entry, field=unknown[0])
    prompt = _texts(raw.get("prompt"), name, entry, "prompt", languages)
    answer = _texts(raw.get("answer"), name, entry, "answer", languages)
    wrong_raw = raw.get("wrong")
    if wrong_raw is None:
        raise CatalogueError("is missing: give one wrong choice or more", file=name, entry=entry, field="wrong")
    if not isinstance(wrong_raw, list) or not wrong_raw:
        raise CatalogueError("must be a list of one wrong choice or more", file=name, entry=entry, field="wrong")
    if len(wrong_raw) + 1 > _MOST_CHOICES:
        raise CatalogueError(f"gives {len(wrong_raw)} wrong choices; a question has at most {_MOST_CHOICES - 1} "
                             f"(and its answer)", file=name, entry=entry, field="wrong")
    wrong = tuple(_texts(w, name, entry, f"wrong[{i}]", languages) for i, w in enumerate(wrong_raw, start=1))
    for lang in languages:
        choices = [answer[lang], *(w[lang] for w in wrong)]
        folded = [c.casefold() for c in choices]
        for i, choice in enumerate(folded[1:], start=1):
            if choice in folded[:i]:
                said = "the answer" if folded.index(choice) == 0 else f"wrong[{folded.index(choice)}]"
                raise CatalogueError(f"is the same choice as {said}: {choices[i]!r}", file=name, entry=entry,
                                     field=_where(f"wrong[{i}]", lang, languages))
    explanation = _texts(raw.get("explanation"), name, entry, "explanation", languages)
    return OwnQuestion(prompt=prompt, answer=answer, wrong=wrong, explanation=explanation,
                       code=_code(raw.get("code"), name, entry, cat))


def _code(raw: Any, name: str, entry: str, cat: Catalogue) -> str:
    """The code a question is about ("" for none), as the catalogue writes it: it must be there."""
    if raw is None:
        return ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise CatalogueError(f"must be a reply code such as '550' or an enhanced code such as '5.1.1', not "
                             f"{reprlib.repr(raw)}", file=name, entry=entry, field="code")
    code = raw.strip()
    try:
        found = cat.lookup(code)
    except SmtpTeachError as exc:
        raise CatalogueError(str(exc), file=name, entry=entry, field="code") from None
    if str(found.code).startswith("X.") and not code.upper().startswith("X."):
        from ._codes import EnhancedStatusCode

        return str(EnhancedStatusCode(code))  # the concrete code as asked ("5.01.1" is 5.1.1), as a generated quiz has it
    return str(found.code)


def own_questions(bank: QuestionBank, count: int | None, *, seed: int, lang: str, cat: Catalogue) -> tuple[Any, ...]:
    """``count`` of the bank's questions (all of them for None) in ``lang``, in a seeded order, each with its
    choices in a seeded order: the same seed gives the same quiz in each of the bank's languages."""
    from ._quiz import Question

    if lang not in bank.languages:
        raise InvalidArgumentError.keyed("quiz_questions_lang", values={
            "file": bank.name, "langs": ", ".join(bank.languages), "lang": lang})
    available = len(bank.questions)
    if count is None:
        count = available
    if count > available:
        raise InvalidArgumentError.keyed("quiz_questions_count", values={
            "count": count, "available": available, "file": bank.name})
    for number, q in enumerate(bank.questions, start=1):
        if q.code:  # a bank read with another catalogue than the quiz's: its codes must be in this one too
            try:
                cat.lookup(q.code)
            except SmtpTeachError:
                raise CatalogueError(f"{q.code} is not in the quiz's catalogue", file=bank.name,
                                     entry=f"question {number}", field="code") from None
    rng = random.Random(seed)
    picked = rng.sample(range(available), count)
    questions = []
    for index in picked:
        q = bank.questions[index]
        order = list(range(len(q.wrong) + 1))  # 0 is the right answer, 1... the wrong ones in the file's order
        rng.shuffle(order)
        texts = [q.answer[lang], *(w[lang] for w in q.wrong)]
        prompt = q.prompt[lang]
        ident = hashlib.sha1(f"{KIND}\n{q.code}\n{prompt}".encode()).hexdigest()[:10]
        questions.append(Question(kind=KIND, prompt=prompt, choices=tuple(texts[i] for i in order),
                                  answer=order.index(0), explanation=q.explanation[lang], code=q.code, id=ident))
    return tuple(questions)
