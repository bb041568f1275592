"""Quizzes: seeded multiple-choice questions built from the catalogue.

A quiz is planned once, without words: which entry each question is about, the
keys of its choices (codes, class digits, reason names) and where the right one
sits. Only then is the plan put into a language. So the same seed gives the
same questions, choices and answers in English and in Vietnamese; only the text
differs. All randomness comes from ``random.Random(seed)``, and the catalogue
is walked in sorted order, so a seed always gives the same quiz.

How questions are drawn (the data is in ``data/quiz.yaml``):

- **Codes admins meet come first.** Each code has a weight (``frequency``,
  1 to 10): 550, 421 or 5.7.26 are asked far more often than 453 or 5.7.17.
- **Wrong answers are misconceptions,** never random: for a scenario, the codes
  the catalogue pairs with the answer as frequently confused, then its
  neighbours of the same class and category; for a real reply, the reasons of
  the same area listed in ``reason_neighbours``; for a subject, the subjects in
  ``subject_neighbours``; for the meaning of an enhanced code, codes of the
  same subject.
- **Nothing is asked twice:** no two questions share a code, a quoted
  situation, a confused pair or the reason of a sample reply, until a quiz asks
  for so many questions that nothing new is left.
- **Most questions need more than one digit:** class, permanence and subject
  questions share one turn, and a common enhanced code is asked for its whole
  meaning rather than its subject.

Prompts, labels and messages are templates in the language data
(``data/<lang>/quiz.yaml``, under ``ui.quiz``).
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
from typing import IO, TYPE_CHECKING, Any

from ._catalogue import Catalogue, EnhancedEntry, _resolve, default_catalogue
from ._errors import InvalidArgumentError, InvalidTypeError
from ._templates import fill

if TYPE_CHECKING:
    from ._own_quiz import QuestionBank

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
        if not _is_int(data["seed"]):
            raise InvalidTypeError(f"the quiz's 'seed' must be a whole number, not {reprlib.repr(data['seed'])}")
        for name in ("lang",):
            if not isinstance(data[name], str):
                raise InvalidTypeError(f"the quiz's {name!r} must be text, not {reprlib.repr(data[name])}")
        languages = default_catalogue().languages
        if data["lang"] not in languages:  # found now, not when the quiz is first shown
            raise InvalidArgumentError(f"the quiz's 'lang' is {reprlib.repr(data['lang'])}; the catalogue has "
                                       f"{', '.join(languages)}")
        if not all(isinstance(t, str) for t in data["topics"]):
            raise InvalidTypeError(f"the quiz's 'topics' must be a list of text, not {reprlib.repr(data['topics'])}")
        for position, q in enumerate(data["questions"], start=1):
            _require_keys(q, _QUESTION_KEYS, f"question {position}")
            if not isinstance(q["choices"], (list, tuple)):
                raise InvalidTypeError(f"question {position}'s 'choices' must be a list, not {reprlib.repr(q['choices'])}")
            for name in ("kind", "prompt", "explanation", "code", "id"):
                if not isinstance(q[name], str):
                    raise InvalidTypeError(f"question {position}'s {name!r} must be text, not {reprlib.repr(q[name])}")
            if len(q["choices"]) < 2 or not all(isinstance(c, str) for c in q["choices"]):
                raise InvalidArgumentError(f"question {position}'s 'choices' must be two or more texts, "
                                           f"not {reprlib.repr(q['choices'])}")
            if not _is_int(q["answer"]) or not 0 <= q["answer"] < len(q["choices"]):
                raise InvalidArgumentError(f"question {position}'s 'answer' must be the index of one of its "
                                           f"{len(q['choices'])} choices (0 to {len(q['choices']) - 1}), "
                                           f"not {reprlib.repr(q['answer'])}")
        questions = tuple(
            Question(kind=q["kind"], prompt=q["prompt"], choices=tuple(q["choices"]), answer=q["answer"],
                     explanation=q["explanation"], code=q["code"], id=q["id"])
            for q in data["questions"]
        )
        return cls(seed=data["seed"], lang=data["lang"], topics=tuple(data["topics"]), questions=questions)

    def __repr__(self) -> str:
        n = len(self.questions)
        return f"Quiz({n} question{'' if n == 1 else 's'}, seed={self.seed}, lang={self.lang!r})"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
    ref: tuple[str, ...] = ()  # kind-specific: the asked pair, or the sample reply and its reason
    weight: int = 1  # how often admins meet the code (data/quiz.yaml "frequency"): the draw favours heavy items

    @property
    def stems(self) -> frozenset[tuple[str, ...]]:
        """What a quiz asks no more than once: the code a question is about, the
        situation text it quotes (a scenario question and a pair question on 535
        both quote 535's "when"), the pair, and the reason of a sample reply."""
        if self.kind == "reply":
            return frozenset({("reason", self.ref[1]), ("reply", self.ref[0])})
        stems = {("code", self.code)}
        if self.kind in ("scenario", "pair"):
            stems.add(("when", self.code))
        if self.kind == "pair":
            stems.add(("pair", *self.ref))
        return frozenset(stems)


@dataclass(frozen=True)
class _Plan:
    item: _Item
    choices: tuple[str, ...]  # keys: class digits, "temporary"/"permanent", codes, subject digits, reasons
    answer: int
    variant: str = ""  # "detail" for a subject question that asks the whole meaning


@dataclass(frozen=True)
class _QuizData:
    replies: tuple[str, ...]
    frequency: Mapping[str, int]
    reason_neighbours: Mapping[str, tuple[str, ...]]
    subject_neighbours: Mapping[str, tuple[str, ...]]


@cache
def _quiz_data() -> _QuizData:
    """data/quiz.yaml, checked: the sample replies (one non-empty line each, no
    repeats), the code weights, and the neighbours that wrong answers are drawn from."""
    from ._loading import _data_dir, _read_yaml
    from ._codes import ENHANCED_CODE_RE, REPLY_CODE_RE
    from ._errors import CatalogueError
    from ._explain import REASONS

    name = _REPLIES_NAME
    data = _read_yaml(os.path.join(_data_dir(), "quiz.yaml"), name)
    keys = {"replies", "frequency", "reason_neighbours", "subject_neighbours"}
    if not isinstance(data, dict) or set(data) != keys:
        raise CatalogueError(f"the file must hold exactly the keys {', '.join(sorted(keys))}", file=name)
    replies = data["replies"]
    if not isinstance(replies, list) or not replies:
        raise CatalogueError("must be a non-empty list of replies", file=name, field="replies")
    for index, reply in enumerate(replies):
        where = f"replies[{index}]"
        if not isinstance(reply, str) or not reply.strip() or "\n" in reply.strip():
            raise CatalogueError(f"must be one non-empty line of text, found {reply!r}", file=name, entry=where)
        if reply in replies[:index]:
            raise CatalogueError(f"repeats an earlier reply: {reply!r}", file=name, entry=where)
    frequency = data["frequency"]
    if not isinstance(frequency, dict):
        raise CatalogueError("must map codes to weights", file=name, field="frequency")
    for code, weight in frequency.items():
        m = ENHANCED_CODE_RE.fullmatch(code) if isinstance(code, str) else None
        if not (isinstance(code, str) and (REPLY_CODE_RE.fullmatch(code) or (m and m.group(1) in "245"))):
            raise CatalogueError("write a basic code (550) or an enhanced code as it is sent (4.7.28)",
                                 file=name, entry=str(code), field="frequency")
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 10:
            raise CatalogueError(f"the weight must be a whole number from 1 to 10, found {weight!r}",
                                 file=name, entry=code, field="frequency")
    neighbours: dict[str, dict[str, tuple[str, ...]]] = {}
    for section, allowed in (("reason_neighbours", set(REASONS) - _NOT_DISTRACTORS),
                             ("subject_neighbours", set("01234567"))):
        table = data[section]
        if not isinstance(table, dict):
            raise CatalogueError("must map each key to a list", file=name, field=section)
        neighbours[section] = {}
        for key, values in table.items():
            key = str(key)
            if key not in allowed:
                raise CatalogueError(f"{key!r} is not one of {', '.join(sorted(allowed))}", file=name, entry=key, field=section)
            if (not isinstance(values, list) or len(values) < 3 or len(set(map(str, values))) != len(values)
                    or not {str(v) for v in values} <= allowed - {key}):
                raise CatalogueError(f"needs three or more different neighbours from {', '.join(sorted(allowed - {key}))}, "
                                     f"found {values!r}", file=name, entry=key, field=section)
            neighbours[section][key] = tuple(str(v) for v in values)
    if set(neighbours["subject_neighbours"]) != set("01234567"):
        raise CatalogueError("needs an entry for each subject, 0 to 7", file=name, field="subject_neighbours")
    return _QuizData(tuple(r.strip() for r in replies), dict(frequency), neighbours["reason_neighbours"],
                     neighbours["subject_neighbours"])


def _sample_replies() -> tuple[str, ...]:
    """The sample replies of data/quiz.yaml."""
    return _quiz_data().replies


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


def _weights(cat: Catalogue) -> dict[str, int]:
    """Each code's weight, with every listed code checked against ``cat``; memoised with the pools.

    A code the package's own entry does not support (one missing from the catalogue, or 2.1.1 where the registry
    pairs X.1.1 with classes 4 and 5) is an error in data/quiz.yaml. But a teacher's codes file may replace an entry
    (``override: true``, Catalogue.with_file) and pair it with other classes: X.7.28 with 550 only, say. The
    package's weight of 4.7.28 then weighs a code the teacher's catalogue no longer has, and is left out (the
    question asks 5.7.28, the class the teacher's entry gives), rather than failing every quiz with an error in a
    file the teacher cannot edit.
    """
    memo = cat.__dict__.get("_quiz_pools")
    if memo is not None and memo[0] is cat.basic and memo[1] is cat.enhanced:
        return memo[3]
    from ._errors import CatalogueError
    from ._loading import _BUILTIN

    weights = {}
    for code, weight in _quiz_data().frequency.items():
        entry = cat.get(code)
        if entry is None:
            raise CatalogueError("is not in the catalogue", file=_REPLIES_NAME, entry=code, field="frequency")
        if "." in code and entry.registry_classes and code[0] not in entry.registry_classes:
            if entry.source != _BUILTIN:  # a teacher's entry in place of the package's
                continue
            raise CatalogueError(f"the registry pairs {entry.key} with class {' or '.join(entry.registry_classes)} only",
                                 file=_REPLIES_NAME, entry=code, field="frequency")
        weights[code] = weight
    return weights


def _asked_form(entry: EnhancedEntry, weights: Mapping[str, int]) -> str:
    """The concrete code a subject question asks for an entry: the heaviest form the
    frequency table lists (4.7.28, as Gmail sends it), else the registry's class."""
    listed = [f"{d}.{entry.subject}.{entry.detail}" for d in "542"]
    listed = [c for c in listed if c in weights]
    if listed:
        return max(listed, key=lambda c: weights[c])  # max keeps the first (5 before 4) on a tie
    return f"{_concrete_class(entry)}.{entry.subject}.{entry.detail}"


def _pools(cat: Catalogue) -> dict[str, list[_Item]]:
    """Every possible question per topic, in a fixed order; memoised per catalogue."""
    # Catalogue.with_file copies the instance dict but builds new code tables,
    # so the memo is valid only while it was built from these very tables.
    memo = cat.__dict__.get("_quiz_pools")
    if memo is not None and memo[0] is cat.basic and memo[1] is cat.enhanced:
        return memo[2]
    from ._errors import CatalogueError
    from ._explain import explain

    data = _quiz_data()
    weights = _weights(cat)
    basic = sorted(cat.basic)
    pools: dict[str, list[_Item]] = {t: [] for t in TOPICS}
    pools["class"] = [_Item("class", c, weight=weights.get(c, 1)) for c in basic]
    pools["permanence"] = [_Item("permanence", c, weight=weights.get(c, 1)) for c in basic if c[0] in "45"]
    pools["scenario"] = [_Item("scenario", c, weight=weights.get(c, 1)) for c in basic]
    for entry in sorted(cat.enhanced.values(), key=lambda e: (e.subject, e.detail)):
        if not entry.deprecated_by:
            form = _asked_form(entry, weights)
            pools["subject"].append(_Item("subject", form, weight=weights.get(form, 1)))
    for a, b in cat.confused:
        if cat.lookup(a) is cat.lookup(b):  # 4.2.2 vs 5.2.2: one entry, one "when" for both
            continue
        pools["pair"] += [_Item("pair", a, (a, b), weights.get(a, 1)), _Item("pair", b, (a, b), weights.get(b, 1))]
    for index, reply in enumerate(data.replies):
        x = explain(reply, catalogue=cat)
        where = f"replies[{index}]"
        if x.reason == "undefined":
            raise CatalogueError("smtpteach.explain finds no reason for this reply; choose one whose cause it names",
                                 file=_REPLIES_NAME, entry=where)
        if x.reason not in data.reason_neighbours:
            raise CatalogueError(f"its reason, {x.reason}, has no entry in reason_neighbours to draw wrong answers from",
                                 file=_REPLIES_NAME, entry=where)
        code = x.basic.code if x.basic else x.enhanced.code if x.enhanced else ""
        # every sample is a real reply, so each weighs the same: the reasons vary, not the codes
        pools["reply"].append(_Item("reply", code, (reply, x.reason)))
    cat.__dict__["_quiz_pools"] = (cat.basic, cat.enhanced, pools, weights)
    return pools


def _weighted_order(items: Sequence[_Item], rng: random.Random) -> list[_Item]:
    """The items in a random order in which heavier items tend to come first.

    Each item is put in a bag as many times as its weight, the bag is shuffled,
    and each item takes the place of its first copy. An item of weight 10 is
    ten times as likely as one of weight 1 to be drawn first, and every item
    still comes out once, so a quiz can hold every question.
    """
    bag = [i for i, item in enumerate(items) for _ in range(item.weight)]
    rng.shuffle(bag)
    seen: dict[int, None] = {}
    for i in bag:
        seen.setdefault(i)
    return [items[i] for i in seen]


def _by_weight(codes: Iterable[str], weights: Mapping[str, int], rng: random.Random) -> list[str]:
    """Codes in a seeded order that puts the ones admins meet more often first."""
    items = [_Item("", c, weight=weights.get(c, 1)) for c in sorted(codes)]
    return [i.code for i in _weighted_order(items, rng)]


_SAME_OUTCOME = ({"2", "3"}, {"4", "5"})  # a success and a failure are no misconception of each other


def _scenario_distractors(right: str, cat: Catalogue, rng: random.Random) -> list[str]:
    """Three wrong codes for a scenario: first the codes learners confuse with it
    (the catalogue's confused pairs), then its neighbours of the same class and
    category (550: 551 to 556), then of the same class, then of the same category.
    Within each rank, codes admins meet more often come first. A code with the
    same name, or a success offered for a failure (211 for 550), is never offered."""
    first = cat.languages[0]
    name = cat.basic[right].name(lang=first)
    weights = _weights(cat)
    outcome = next(group for group in _SAME_OUTCOME if right[0] in group)
    others = {c for c in cat.basic if c != right and cat.basic[c].name(lang=first) != name}
    partners = {b if a == right else a for a, b in cat.confused if right in (a, b) and "." not in a}
    partners = {c for c in partners & others if c[0] in outcome}
    ranks = [partners,
             {c for c in others if c[0] == right[0] and c[1] == right[1]},
             {c for c in others if c[0] == right[0]},
             {c for c in others if c[1] == right[1]}]
    chosen: list[str] = []
    for rank in ranks:
        chosen += _by_weight(rank - set(chosen), weights, rng)
    return chosen[:3]


def _detail_distractors(code: str, cat: Catalogue, rng: random.Random) -> list[str]:
    """Three other enhanced codes of the same subject (5.7.23, 5.7.25 or 5.7.1 for
    5.7.26), the ones admins meet more often first; fewer if the subject has few."""
    entry = cat.lookup(code)
    first = cat.languages[0]
    weights = _weights(cat)
    klass = code[0]
    same = {f"{klass}.{e.subject}.{e.detail}" for e in cat.enhanced.values()
            if e.subject == entry.subject and e is not entry and not e.deprecated_by
            and e.name(lang=first) != entry.name(lang=first)}
    # weigh each neighbour by whichever sent form of it the table lists
    heaviest = {c: max(weights.get(f"{d}{c[1:]}", 1) for d in "245") for c in same}
    items = [_Item("", c, weight=heaviest[c]) for c in sorted(same)]
    return [i.code for i in _weighted_order(items, rng)][:3]


# A subject question on a code admins meet at least this often (data/quiz.yaml) asks
# for its whole meaning, which the subject digit alone does not give; a rarer code
# is asked for its subject, as RFC 3463 §2 tells a client to read a detail it does not know.
_DETAIL_WEIGHT = 4


def _plan(item: _Item, cat: Catalogue, rng: random.Random) -> _Plan:
    """Pick the distractors and the order of the choices, all as language-free keys."""
    variant = ""
    if item.kind == "class":
        right, choices = item.code[0], ["2", "3", "4", "5"]
    elif item.kind == "permanence":
        right, choices = ("temporary" if item.code[0] == "4" else "permanent"), ["temporary", "permanent"]
    elif item.kind == "scenario":
        right = item.code
        choices = [right] + _scenario_distractors(right, cat, rng)
    elif item.kind == "subject":
        others = _detail_distractors(item.code, cat, rng) if item.weight >= _DETAIL_WEIGHT else []
        if len(others) == 3:
            variant, right, choices = "detail", item.code, [item.code] + others
        else:
            right = item.code.split(".")[1]
            choices = [right] + list(_quiz_data().subject_neighbours[right])
    elif item.kind == "pair":
        right, choices = item.code, list(item.ref)
    elif item.kind == "reply":
        right = item.ref[1]
        choices = [right] + rng.sample(_quiz_data().reason_neighbours[right], 3)
    else:  # pragma: no cover - TOPICS and this function change together
        raise AssertionError(item.kind)
    rng.shuffle(choices)
    return _Plan(item, tuple(choices), choices.index(right), variant)


# The kinds a single digit answers (the class digit, or the subject) share one turn
# between them, so that most of a quiz asks for more than one digit.
_ONE_TURN = ("class", "permanence", "subject")


def _turns(chosen: Sequence[str], rng: random.Random) -> list[list[str]]:
    """The order in which the chosen kinds take turns: one turn each, except that
    class, permanence and subject share one (taking it in rotation) when any
    other kind is chosen too."""
    shared = [t for t in chosen if t in _ONE_TURN]
    if len(shared) == len(chosen):
        turns = [[t] for t in chosen]
    else:
        turns = [[t] for t in chosen if t not in _ONE_TURN] + ([shared] if shared else [])
    rng.shuffle(turns)
    for turn in turns:
        rng.shuffle(turn)
    return turns


def _pick(count: int, chosen: Sequence[str], pools: Mapping[str, list[_Item]], rng: random.Random) -> list[_Item]:
    """``count`` items, the kinds taking turns, none sharing a stem with an earlier one.

    Each kind's items are drawn in a weighted random order (:func:`_weighted_order`).
    On its turn a kind gives its next item whose stems are all new; a kind with no
    such item left passes. Only when no kind has a new item left (a quiz asking for
    nearly every question) do the remaining items come, in the same turns.
    """
    turns = _turns(chosen, rng)
    queues = {t: _weighted_order(pools[t], rng) for turn in turns for t in turn}
    rotation = [0] * len(turns)
    picked: list[_Item] = []
    used: set[tuple[str, ...]] = set()

    def take(k: int, fresh: bool) -> _Item | None:
        turn = turns[k]
        for step in range(len(turn)):
            queue = queues[turn[(rotation[k] + step) % len(turn)]]
            for index, item in enumerate(queue):
                if not fresh or not item.stems & used:
                    rotation[k] = (rotation[k] + step + 1) % len(turn)
                    return queue.pop(index)
        return None

    fresh = True
    while len(picked) < count:
        progress = False
        for k in range(len(turns)):
            if len(picked) == count:
                break
            item = take(k, fresh)
            if item is not None:
                picked.append(item)
                used |= item.stems
                progress = True
        if not progress:
            if not fresh:  # pragma: no cover - make_quiz checks the count first
                raise AssertionError(f"only {len(picked)} questions for {count}")
            fresh = False  # every new stem is used up: repeats are all that is left
    return picked


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


# The advice a reply class gives (RFC 5321 §4.2.1, as the class descriptions say it): a
# 4xx is retried unchanged, a 5xx is not repeated unchanged. A code whose catalogue
# advice is another (432: fix, then retry) is explained with its own advice.
_CLASS_ADVICE = {"2": {"not-needed"}, "3": {"continue"}, "4": {"retry"}, "5": {"dont-retry", "fix-then-retry"}}


def _code_choice(code: str, cat: Catalogue, lang: str, t: Mapping[str, str]) -> str:
    return fill(t["choice_code"], {"code": code, "name": cat.lookup(code).name(lang=lang)})


def _word(plan: _Plan, cat: Catalogue, lang: str) -> Question:
    ui = cat.ui(lang=lang)
    t = ui["quiz"]
    item = plan.item
    code = item.code
    right = plan.choices[plan.answer]
    if item.kind in ("class", "permanence"):
        entry = cat.basic[code]
        klass = cat.text("classes", code[0], lang=lang)
        # a code whose own advice is not its class's (432: fix, then retry) is explained by its own
        own = "" if entry.retry in _CLASS_ADVICE[code[0]] else "_own"
        values = {"code": code, "digit": code[0], "class_name": klass.name, "class_description": klass.description,
                  "name": entry.name(lang=lang), "retry": ui["retry"][entry.retry],
                  "description": entry.text(lang=lang).description}
        if item.kind == "class":
            prompt = fill(t["prompt_class"], {"code": code})
            choices = [cat.text("classes", d, lang=lang).name for d in plan.choices]
            why = fill(t["explain_class" + own], values)
        else:
            prompt = fill(t["prompt_permanence"], {"code": code})
            choices = [t[k] for k in plan.choices]
            why = fill(t["explain_" + right + own], values)
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
    elif item.kind == "subject" and plan.variant == "detail":
        entry = cat.lookup(code)
        digit = str(entry.subject)
        prompt = fill(t["prompt_detail"], {"code": code})
        choices = [cat.lookup(c).name(lang=lang) for c in plan.choices]
        why = fill(t["explain_detail"], {"code": code, "name": entry.name(lang=lang), "digit": digit,
                                         "subject_name": cat.text("subjects", digit, lang=lang).name,
                                         "detail": str(entry.detail), "description": entry.text(lang=lang).description})
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
        x = explain(reply, lang=lang, catalogue=cat)
        # the right choice is named as the explanation names it: a family said in its own words (greylisting
        # within blocked) is offered as such, not under its reason's name
        choices = [x.reason_name if r == x.reason else ui["reasons"][r]["name"] for r in plan.choices]
        why = x.summary
        note = t.get("reply_notes", {}).get(x.enhanced.code if x.enhanced else "")
        if note:  # a provider's use of a code that the registry defines otherwise (a site review)
            why = f"{why} {note}"
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
        raise InvalidArgumentError.keyed("quiz_no_topics", values={"topics": valid})
    for topic in topics:
        if topic not in TOPICS:
            raise InvalidArgumentError.keyed("quiz_topic", values={"topic": repr(topic), "topics": valid})
    return tuple(t for t in TOPICS if t in topics)


def make_quiz(count: int | None, *, seed: int, lang: str = "en", topics: Sequence[str] | None = None,
              catalogue: Catalogue | None = None, questions: QuestionBank | str | os.PathLike[str] | None = None) -> Quiz:
    """A quiz of ``count`` different questions, the same for the same seed.

    ``topics`` picks question kinds from :data:`TOPICS` (all of them by
    default); the kinds take turns in a seeded order, except that class,
    permanence and subject, which one digit can answer, share one turn when
    another kind is chosen too. Within a kind, codes admins meet more often are
    drawn first (weights in ``data/quiz.yaml``), and no two questions share a
    code, a quoted situation or a reply's reason while new ones are left. The
    choices are shuffled with the same seeded generator, so ``lang="vi"`` gives
    the same questions and answers as English, in Vietnamese.

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

    ``questions`` asks a teacher's own questions instead (a file, or what :func:`smtpteach.load_questions` read from
    one): ``count`` of them, or all of them for None, in a seeded order, each with its choices in a seeded order.
    """
    cat = _resolve(catalogue)
    if count is not None or questions is None:
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidTypeError(f"count must be a whole number, got {count!r}")
        if count < 1:
            raise InvalidArgumentError.keyed("quiz_count", values={"count": count})
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidTypeError(f"seed must be a whole number, got {seed!r}")
    cat._require_language(lang)
    if questions is not None:
        from ._own_quiz import KIND, QuestionBank, load_questions, own_questions

        bank = questions if isinstance(questions, QuestionBank) else load_questions(questions, catalogue=cat)
        if topics is not None:
            raise InvalidArgumentError.keyed("quiz_questions_topics", values={"file": bank.name})
        return Quiz(seed=seed, lang=lang, topics=(KIND,),
                    questions=own_questions(bank, count, seed=seed, lang=lang, cat=cat))
    chosen = _topics(topics)
    pools = _pools(cat)
    available = sum(len(pools[t]) for t in chosen)
    if count > available:
        raise InvalidArgumentError.keyed("quiz_too_many",
                                         values={"count": count, "available": available, "topics": ", ".join(chosen)})

    rng = random.Random(seed)
    picked = _pick(count, chosen, pools, rng)
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
