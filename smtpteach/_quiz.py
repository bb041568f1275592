"""Quizzes: seeded multiple-choice questions built from the catalogue.

A quiz is planned once, without words: which entry each question is about, the
keys of its choices (codes, class digits, reason names) and where the right one
sits. Only then is the plan put into a language. So the same seed gives the
same questions, choices and answers in English and in Vietnamese; only the text
differs. All randomness comes from ``random.Random(seed)``, and the catalogue
is walked in sorted order, so a seed always gives the same quiz.

Prompts, labels and messages are templates in the language data
(``data/<lang>/quiz.yaml``, under ``ui.quiz``); the sample server replies of
the ``reply`` questions are in ``data/quiz.yaml``.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from ._catalogue import Catalogue, EnhancedEntry, _resolve, default_catalogue
from ._errors import InvalidArgumentError, InvalidTypeError
from ._templates import fill

__all__ = ["Question", "Quiz", "TOPICS", "make_quiz", "run_in_terminal"]

TOPICS = ("class", "permanence", "scenario", "subject", "pair", "reply")
_REPLIES_NAME = "smtpteach/data/quiz.yaml"
# Reasons never offered as wrong choices: they are not failures, or say nothing.
_NOT_DISTRACTORS = frozenset({"undefined", "delivered", "feedback", "vacation", "onhold"})
_QUIZ_KEYS = ("seed", "lang", "topics", "questions")
_QUESTION_KEYS = ("kind", "prompt", "choices", "answer", "explanation", "code", "id")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question.

    ``answer`` is the index of the right choice; ``code`` is the code the
    question is about ("" if none); ``id`` is derived from the content
    (kind, code and prompt), so it is stable across runs.
    """

    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    code: str
    id: str

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready values.

        >>> make_quiz(1, seed=0, topics=["class"]).questions[0].as_dict()["kind"]
        'class'
        """
        return {"kind": self.kind, "prompt": self.prompt, "choices": list(self.choices), "answer": self.answer,
                "explanation": self.explanation, "code": self.code, "id": self.id}


@dataclass(frozen=True, repr=False)
class Quiz:
    """A seeded quiz in one language.

    >>> q = make_quiz(2, seed=7)
    >>> q
    Quiz(2 questions, seed=7, lang='en')
    >>> q.grade([x.answer for x in q.questions])
    2
    """

    seed: int
    lang: str
    topics: tuple[str, ...]
    questions: tuple[Question, ...]

    def grade(self, answers: Sequence[int | None]) -> int:
        """How many answers are right. ``None`` (or a missing answer) counts as wrong.

        >>> q = make_quiz(3, seed=0, topics=["permanence"])
        >>> q.grade([q.questions[0].answer, None])
        1
        >>> q.grade([5])
        Traceback (most recent call last):
        ...
        smtpteach._errors.InvalidArgumentError: answer 1 is 5, but question 1 has choices 0 to 1
        """
        if isinstance(answers, (str, bytes)) or not isinstance(answers, Iterable):
            raise InvalidTypeError(f"answers must be a list of choice indexes (or None), not {reprlib.repr(answers)}")
        answers = list(answers)
        if len(answers) > len(self.questions):
            raise InvalidArgumentError(f"got {len(answers)} answers for {len(self.questions)} questions")
        right = 0
        for position, (given, question) in enumerate(zip(answers, self.questions), start=1):
            if given is None:
                continue
            last = len(question.choices) - 1
            if isinstance(given, bool) or not isinstance(given, int):
                raise InvalidTypeError(f"answer {position} is {given!r}, not a choice index (0 to {last}) or None")
            if not 0 <= given <= last:
                raise InvalidArgumentError(f"answer {position} is {given}, but question {position} has choices 0 to {last}")
            right += given == question.answer
        return right

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``smtpteach quiz --format json``): plain values only.

        >>> sorted(make_quiz(1, seed=0).as_dict())
        ['lang', 'questions', 'seed', 'topics']
        """
        return {"seed": self.seed, "lang": self.lang, "topics": list(self.topics),
                "questions": [q.as_dict() for q in self.questions]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Quiz:
        """Rebuild a quiz from :meth:`as_dict`'s form (for example after JSON).

        >>> q = make_quiz(2, seed=3)
        >>> Quiz.from_dict(q.as_dict()) == q
        True
        >>> Quiz.from_dict({"seed": 3, "lang": "en"})
        Traceback (most recent call last):
        ...
        smtpteach._errors.InvalidArgumentError: the quiz is not in Quiz.as_dict()'s form: it has no 'topics', 'questions'
        """
        _require_keys(data, _QUIZ_KEYS, "the quiz")
        for name in ("topics", "questions"):
            if not isinstance(data[name], (list, tuple)):
                raise InvalidTypeError(f"the quiz's {name!r} must be a list, not {reprlib.repr(data[name])}")
        for position, q in enumerate(data["questions"], start=1):
            _require_keys(q, _QUESTION_KEYS, f"question {position}")
            if not isinstance(q["choices"], (list, tuple)):
                raise InvalidTypeError(f"question {position}'s 'choices' must be a list, not {reprlib.repr(q['choices'])}")
        questions = tuple(
            Question(kind=q["kind"], prompt=q["prompt"], choices=tuple(q["choices"]), answer=q["answer"],
                     explanation=q["explanation"], code=q["code"], id=q["id"])
            for q in data["questions"]
        )
        return cls(seed=data["seed"], lang=data["lang"], topics=tuple(data["topics"]), questions=questions)

    def __repr__(self) -> str:
        n = len(self.questions)
        return f"Quiz({n} question{'' if n == 1 else 's'}, seed={self.seed}, lang={self.lang!r})"


def _require_keys(data: Any, keys: Sequence[str], what: str) -> None:
    """``data`` must be a mapping holding every one of ``keys`` (the form :meth:`Quiz.as_dict` gives)."""
    if not isinstance(data, Mapping):
        raise InvalidTypeError(f"{what} must be a mapping in Quiz.as_dict()'s form, not {reprlib.repr(data)}")
    missing = [k for k in keys if k not in data]
    if missing:
        raise InvalidArgumentError(f"{what} is not in Quiz.as_dict()'s form: it has no {', '.join(map(repr, missing))}")


# -- planning: what each question is about, in no language --------------------

@dataclass(frozen=True)
class _Item:
    """A possible question: its kind, its code and what else identifies it."""

    kind: str
    code: str
    ref: tuple[str, ...] = ()  # kind-specific: the asked pair, or the sample reply


@dataclass(frozen=True)
class _Plan:
    item: _Item
    choices: tuple[str, ...]  # keys: class digits, "temporary"/"permanent", codes, subject digits, reasons
    answer: int


@cache
def _sample_replies() -> tuple[str, ...]:
    """The sample replies of data/quiz.yaml, checked: one non-empty line each, no repeats."""
    from ._catalogue import _data_dir, _read_yaml
    from ._errors import CatalogueError

    data = _read_yaml(os.path.join(_data_dir(), "quiz.yaml"), _REPLIES_NAME)
    if not isinstance(data, dict) or set(data) != {"replies"}:
        raise CatalogueError("the file must hold exactly one key, 'replies'", file=_REPLIES_NAME)
    replies = data["replies"]
    if not isinstance(replies, list) or not replies:
        raise CatalogueError("must be a non-empty list of replies", file=_REPLIES_NAME, field="replies")
    for index, reply in enumerate(replies):
        where = f"replies[{index}]"
        if not isinstance(reply, str) or not reply.strip() or "\n" in reply.strip():
            raise CatalogueError(f"must be one non-empty line of text, found {reply!r}", file=_REPLIES_NAME, entry=where)
        if reply in replies[:index]:
            raise CatalogueError(f"repeats an earlier reply: {reply!r}", file=_REPLIES_NAME, entry=where)
    return tuple(r.strip() for r in replies)


def _concrete_class(entry: EnhancedEntry) -> str:
    """The class digit a question gives an enhanced entry, from the registry's associated basic codes.

    A class is one the registry pairs the entry with (``basic_codes`` in
    facts.yaml: "250", "4XX", or "Any" for all three classes): X.1.5 comes only
    with 250, so it is asked as 2.1.5. Of several, 5 comes before 4 and 4
    before 2; with nothing recorded (or only 3xx codes: an enhanced code has
    no class 3, RFC 3463 §2) the class is 5.
    """
    classes = entry.registry_classes
    return next((digit for digit in "542" if digit in classes), "5")


def _pools(cat: Catalogue) -> dict[str, list[_Item]]:
    """Every possible question per topic, in a fixed order; memoised per catalogue."""
    # Catalogue.with_file copies the instance dict but builds new code tables,
    # so the memo is valid only while it was built from these very tables.
    memo = cat.__dict__.get("_quiz_pools")
    if memo is not None and memo[0] is cat.basic and memo[1] is cat.enhanced:
        return memo[2]
    from ._errors import CatalogueError
    from ._explain import explain

    basic = sorted(cat.basic)
    pools: dict[str, list[_Item]] = {t: [] for t in TOPICS}
    pools["class"] = [_Item("class", c) for c in basic]
    pools["permanence"] = [_Item("permanence", c) for c in basic if c[0] in "45"]
    pools["scenario"] = [_Item("scenario", c) for c in basic]
    for entry in sorted(cat.enhanced.values(), key=lambda e: (e.subject, e.detail)):
        if not entry.deprecated_by:
            pools["subject"].append(_Item("subject", f"{_concrete_class(entry)}.{entry.subject}.{entry.detail}"))
    for a, b in cat.confused:
        if cat.lookup(a) is cat.lookup(b):  # 4.2.2 vs 5.2.2: one entry, one "when" for both
            continue
        pools["pair"] += [_Item("pair", a, (a, b)), _Item("pair", b, (a, b))]
    for index, reply in enumerate(_sample_replies()):
        x = explain(reply, catalogue=cat)
        if x.reason == "undefined":
            raise CatalogueError("smtpteach.explain finds no reason for this reply; choose one whose cause it names",
                                 file=_REPLIES_NAME, entry=f"replies[{index}]")
        code = x.basic.code if x.basic else x.enhanced.code if x.enhanced else ""
        pools["reply"].append(_Item("reply", code, (reply, x.reason)))
    cat.__dict__["_quiz_pools"] = (cat.basic, cat.enhanced, pools)
    return pools


def _shuffled(items: Iterable[str], rng: random.Random) -> list[str]:
    out = sorted(items)
    rng.shuffle(out)
    return out


def _plan(item: _Item, cat: Catalogue, rng: random.Random) -> _Plan:
    """Pick the distractors and the order of the choices, all as language-free keys."""
    if item.kind == "class":
        right, choices = item.code[0], ["2", "3", "4", "5"]
    elif item.kind == "permanence":
        right, choices = ("temporary" if item.code[0] == "4" else "permanent"), ["temporary", "permanent"]
    elif item.kind == "scenario":
        right = item.code
        first = cat.languages[0]
        name = cat.basic[right].name(lang=first)
        others = [c for c in cat.basic if c != right and cat.basic[c].name(lang=first) != name]
        same_class = [c for c in others if c[0] == right[0]]
        same_category = [c for c in others if c[0] != right[0] and c[1] == right[1]]
        rest = [c for c in others if c[0] != right[0] and c[1] != right[1]]
        ranked = _shuffled(same_class, rng) + _shuffled(same_category, rng) + _shuffled(rest, rng)
        choices = [right] + ranked[:3]
    elif item.kind == "subject":
        right = item.code.split(".")[1]
        choices = [right] + rng.sample([d for d in sorted(cat.topics["subjects"]) if d != right], 3)
    elif item.kind == "pair":
        right, choices = item.code, list(item.ref)
    elif item.kind == "reply":
        right = item.ref[1]
        seen = sorted({i.ref[1] for i in _pools(cat)["reply"]} - {right})
        if len(seen) < 3:  # few sample reasons: fall back on the whole vocabulary
            from ._explain import REASONS

            seen = sorted(set(REASONS) - _NOT_DISTRACTORS - {right})
        choices = [right] + rng.sample(seen, 3)
    else:  # pragma: no cover - TOPICS and this function change together
        raise AssertionError(item.kind)
    rng.shuffle(choices)
    return _Plan(item, tuple(choices), choices.index(right))


# -- wording: the plan in one language ---------------------------------------

# the class digit of an enhanced code in running text: "5.1.1", "4.7.x"
_ENHANCED_CLASS = re.compile(r"(?<![\w.])[245]\.(?=(?:[0-9]{1,3}|x)\.(?:[0-9]{1,3}|x)(?![\w]|\.[0-9]))")


_A_BEFORE_X = re.compile(r"(?<![\w.])([Aa]) X\.")


def _masker(codes: Sequence[str]) -> re.Pattern[str]:
    """A pattern for the codes a prompt must not give away (5.1.1 also hides 4.1.1 and X.1.1)."""
    parts = []
    for code in codes:
        if "." in code:
            _, subject, detail = code.split(".")
            parts.append(rf"[245X]\.{subject}\.{detail}")
        else:
            parts.append(re.escape(code))
    return re.compile(rf"(?<![\w.])(?:{'|'.join(parts)})(?![\w]|\.\d)")


def _code_choice(code: str, cat: Catalogue, lang: str, t: Mapping[str, str]) -> str:
    return fill(t["choice_code"], {"code": code, "name": cat.lookup(code).name(lang=lang)})


def _word(plan: _Plan, cat: Catalogue, lang: str) -> Question:
    ui = cat.ui(lang=lang)
    t = ui["quiz"]
    item = plan.item
    code = item.code
    right = plan.choices[plan.answer]
    if item.kind == "class":
        klass = cat.text("classes", right, lang=lang)
        prompt = fill(t["prompt_class"], {"code": code})
        choices = [cat.text("classes", d, lang=lang).name for d in plan.choices]
        why = fill(t["explain_class"], {"code": code, "digit": right, "class_name": klass.name,
                                        "class_description": klass.description})
    elif item.kind == "permanence":
        prompt = fill(t["prompt_permanence"], {"code": code})
        choices = [t[k] for k in plan.choices]
        why = fill(t["explain_" + right], {"code": code, "name": cat.basic[code].name(lang=lang),
                                          "class_description": cat.text("classes", code[0], lang=lang).description})
    elif item.kind in ("scenario", "pair"):
        entry = cat.lookup(code)
        text = entry.text(lang=lang)
        hide = list(item.ref) if item.kind == "pair" else [code]
        # and the class of any enhanced code in the text ("with 5.1.1") would give
        # the first digit away: it is shown in its generic form (X.1.1)
        when = _ENHANCED_CLASS.sub("X.", _masker(hide).sub(t["blank"], text.when))
        when = _A_BEFORE_X.sub(r"\1n X.", when)  # English: "a 5.7.x code" becomes "an X.7.x code"
        choices = [_code_choice(c, cat, lang, t) for c in plan.choices]
        if item.kind == "scenario":
            prompt = fill(t["prompt_scenario"], {"when": when})
            why = fill(t["explain_scenario"], {"code": code, "name": text.name, "description": text.description})
        else:
            a, b = item.ref
            prompt = fill(t["prompt_pair"], {"a": a, "b": b, "when": when})
            why = fill(t["explain_pair"], {"code": code, "name": text.name, "reason": cat.pair_reason(a, b, lang=lang)})
    elif item.kind == "subject":
        entry = cat.lookup(code)
        subject = cat.text("subjects", right, lang=lang)
        prompt = fill(t["prompt_subject"], {"code": code})
        choices = [cat.text("subjects", d, lang=lang).name for d in plan.choices]
        why = fill(t["explain_subject"], {"code": code, "digit": right, "subject_name": subject.name,
                                          "subject_description": subject.description, "name": entry.name(lang=lang)})
    else:
        from ._explain import explain

        reply = item.ref[0]
        prompt = fill(t["prompt_reply"], {"reply": reply})
        choices = [ui["reasons"][r]["name"] for r in plan.choices]
        why = explain(reply, lang=lang, catalogue=cat).summary
    ident = hashlib.sha1(f"{item.kind}\n{code}\n{prompt}".encode()).hexdigest()[:10]
    return Question(kind=item.kind, prompt=prompt, choices=tuple(choices), answer=plan.answer,
                    explanation=why, code=code, id=ident)


def _topics(topics: Sequence[str] | str | None) -> tuple[str, ...]:
    if topics is None:
        return TOPICS
    valid = ", ".join(TOPICS)
    if isinstance(topics, str):
        topics = [topics]
    elif isinstance(topics, (bytes, bytearray)) or not isinstance(topics, Iterable):
        raise InvalidTypeError(f"topics must be a topic name or a list of them ({valid}), not {topics!r}")
    topics = list(topics)
    if not topics:
        raise InvalidArgumentError(f"no topics given; choose one or more of: {valid}")
    for topic in topics:
        if topic not in TOPICS:
            raise InvalidArgumentError(f"unknown topic {topic!r}; choose from: {valid}")
    return tuple(t for t in TOPICS if t in topics)


def make_quiz(count: int, *, seed: int, lang: str = "en", topics: Sequence[str] | None = None,
              catalogue: Catalogue | None = None) -> Quiz:
    """A quiz of ``count`` different questions, the same for the same seed.

    ``topics`` picks question kinds from :data:`TOPICS` (all of them by
    default); the kinds take turns in a seeded order. The choices are shuffled
    with the same seeded generator, so ``lang="vi"`` gives the same questions
    and answers as English, in Vietnamese.

    >>> q = make_quiz(4, seed=1, topics=["class", "subject"])
    >>> [x.kind for x in q.questions].count("class")
    2
    >>> make_quiz(4, seed=1, topics=["class", "subject"]) == q
    True
    >>> [x.answer for x in make_quiz(4, seed=1, lang="vi", topics=["class", "subject"]).questions] == [x.answer for x in q.questions]
    True
    >>> make_quiz(3, seed=1, topics=["colour"])
    Traceback (most recent call last):
    ...
    smtpteach._errors.InvalidArgumentError: unknown topic 'colour'; choose from: class, permanence, scenario, subject, pair, reply
    """
    cat = _resolve(catalogue)
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidTypeError(f"count must be a whole number, got {count!r}")
    if count < 1:
        raise InvalidArgumentError(f"count must be at least 1, got {count}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidTypeError(f"seed must be a whole number, got {seed!r}")
    cat._require_language(lang)
    chosen = _topics(topics)
    pools = _pools(cat)
    available = sum(len(pools[t]) for t in chosen)
    if count > available:
        raise InvalidArgumentError(
            f"count {count} is more than the {available} questions available for topics {', '.join(chosen)}"
        )

    rng = random.Random(seed)
    order = list(chosen)
    rng.shuffle(order)
    queues = {t: rng.sample(pools[t], len(pools[t])) for t in order}
    picked: list[_Item] = []
    while len(picked) < count:
        for topic in order:
            if queues[topic] and len(picked) < count:
                picked.append(queues[topic].pop())
    plans = [_plan(item, cat, rng) for item in picked]
    questions = tuple(_word(p, cat, lang) for p in plans)
    return Quiz(seed=seed, lang=lang, topics=chosen, questions=questions)


def _quiz_ui(lang: str) -> Mapping[str, str]:
    return default_catalogue().ui(lang=lang)["quiz"]


def run_in_terminal(quiz: Quiz, stdin: IO[str], stdout: IO[str]) -> str:
    """Ask the questions one by one on a terminal; return the final score line.

    Each answer is the number of a choice; anything else is asked again.
    End of input stops the quiz, and the score counts the answered questions.

    >>> import io
    >>> q = make_quiz(1, seed=0, topics=["permanence"])
    >>> out = io.StringIO()
    >>> run_in_terminal(q, io.StringIO(f"seven\\n{q.questions[0].answer + 1}\\n"), out)
    'Score: 1/1'
    >>> "Please type a number from 1 to 2" in out.getvalue()
    True
    """
    t = _quiz_ui(quiz.lang)
    total = len(quiz.questions)
    score = answered = 0

    def say(line: str = "") -> None:
        stdout.write(line + "\n")

    for number, question in enumerate(quiz.questions, start=1):
        last = len(question.choices)
        say(fill(t["question"], {"number": str(number), "total": str(total)}))
        say(question.prompt)
        for index, choice in enumerate(question.choices, start=1):
            say(f"  {index}. {choice}")
        given: int | None = None
        while given is None:
            stdout.write(fill(t["answer_prompt"], {"last": str(last)}))
            stdout.flush()
            line = stdin.readline()
            if not line:  # end of input
                say()
                say(fill(t["stopped"], {"answered": str(answered), "total": str(total)}))
                return fill(t["score"], {"score": str(score), "total": str(answered)})
            text = line.strip()
            if text.isdigit() and 1 <= int(text) <= last:
                given = int(text) - 1
            else:
                say(fill(t["invalid"], {"last": str(last)}))
        answered += 1
        if given == question.answer:
            score += 1
            say(t["right"])
        else:
            say(fill(t["wrong"], {"number": str(question.answer + 1), "choice": question.choices[question.answer]}))
        say(question.explanation)
        say()
    return fill(t["score"], {"score": str(score), "total": str(total)})
