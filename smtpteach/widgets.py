"""Notebook widgets: compare, explore, explain and quiz.

Each widget is an anywidget (an ipywidget) whose front-end module lives in
``smtpteach/static/`` and renders from synced data only. In a live kernel the
traits (``a``, ``b``, ``lang``, ``answers``, ``score`` ...) can be set and read
from Python; on a static page with no kernel, the same module does everything
a reader can change, from the data saved in the page.

>>> from smtpteach.widgets import CompareWidget
>>> CompareWidget("421", "450", lang="vi")
CompareWidget(421 vs 450, lang='vi')
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ._catalogue import Catalogue, _resolve, default_catalogue
from ._codes import EnhancedStatusCode
from ._compare import code_facts
from ._errors import InvalidArgumentError, SmtpTeachError, UnknownCodeError

__all__ = ["CompareWidget", "ExplorerWidget", "ExplainWidget", "QuizWidget"]

STATIC = Path(__file__).parent / "static"


@cache
def _module(name: str) -> str:
    """The front-end module of a widget: the shared core, then the widget's own code."""
    core = (STATIC / "core.js").read_text(encoding="utf-8")
    common = (STATIC / "widget-common.js").read_text(encoding="utf-8")
    own = (STATIC / f"{name}.js").read_text(encoding="utf-8")
    return f"{core}\n{common}\n{own}"


@cache
def _css() -> str:
    return (STATIC / "widgets.css").read_text(encoding="utf-8")


def _digest(*parts: Any) -> str:
    """A short id from content: the same widget state always gives the same DOM ids."""
    return hashlib.sha1(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:10]


def _check_lang(lang: str, cat: Catalogue) -> str:
    if lang not in cat.languages:
        raise traitlets.TraitError(f"lang must be one of {', '.join(cat.languages)}, not {lang!r}")
    return lang


class _Widget(anywidget.AnyWidget):
    lang = traitlets.Unicode("en").tag(sync=True)
    _data = traitlets.Dict().tag(sync=True)
    _uid = traitlets.Unicode("").tag(sync=True)

    def __init__(self, *, catalogue: Catalogue | None = None, **kwargs: Any):
        self._catalogue = _resolve(catalogue)  # anything but a Catalogue (or None) is an InvalidTypeError
        self._ready = False
        super().__init__(**kwargs)
        self._ready = True
        self._refresh()

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: dict) -> str:
        return _check_lang(proposal["value"], getattr(self, "_catalogue", None) or default_catalogue())

    @traitlets.observe("lang")
    def _on_lang(self, change: dict) -> None:
        if getattr(self, "_ready", False):
            self._refresh()

    def _refresh(self) -> None:  # pragma: no cover - every widget defines it
        raise NotImplementedError

    def _ui_for(self, *keys: str) -> dict[str, Any]:
        ui = self._catalogue.ui(lang=self.lang)
        return {k: ui[k] for k in keys}


def _code_texts(cat: Catalogue, lang: str) -> dict[str, dict[str, str]]:
    """The prose of every catalogue entry (its name, description, when you see it, how to fix it), by its key
    ("550", "X.1.1"). The compare and the explorer widgets carry the very same object, so the site's data file
    holds it once for both."""
    out = {}
    for entry in cat:
        t = entry.text(lang=lang)
        out[entry.key] = {"name": t.name, "description": t.description, "when": t.when, "fix": t.fix}
    return out


def _refused(what: str, key: str, lang: str, **values: object) -> traitlets.TraitError:
    """A widget's refusal of a value, worded in the widget's language by ``_errors.MESSAGES[key]`` and ui.yaml's
    "errors" (as the catalogue's own refusals are), after the trait's name when ``what`` gives it."""
    said = InvalidArgumentError.keyed(key, values=values).text(lang)
    return traitlets.TraitError(f"{what}: {said}" if what else said)


def _valid_code(value: str, cat: Catalogue, what: str, lang: str = "en") -> str:
    value = str(value).strip()
    try:
        entry = cat.lookup(value)
    except UnknownCodeError as exc:  # in the widget's language, as the CLI says it with --lang
        raise traitlets.TraitError(f"{what}: {exc.text(lang)}") from None
    if entry.kind == "enhanced":
        esc = EnhancedStatusCode(value)
        if esc.status_class is None:
            raise _refused(what, "widget_generic", lang, concrete=f"5{value[1:]}", code=value)
        if esc.status_class == 2:
            raise _refused(what, "widget_success", lang, code4=f"4{value[1:]}", code5=f"5{value[1:]}")
        return esc.code
    return value


class CompareWidget(_Widget):
    """Two pickers and the comparison of the two codes, as :func:`smtpteach.compare` gives it.

    ``a`` and ``b`` are synced; ``pair`` sets both at once.
    """

    _esm = _module("compare")
    _css = _css()
    a = traitlets.Unicode("211").tag(sync=True)
    b = traitlets.Unicode("550").tag(sync=True)

    def __init__(self, a: str = "211", b: str = "550", *, lang: str = "en", catalogue: Catalogue | None = None):
        super().__init__(a=a, b=b, lang=lang, catalogue=catalogue)

    @traitlets.validate("a", "b")
    def _valid(self, proposal: dict) -> str:
        cat = getattr(self, "_catalogue", None) or default_catalogue()
        return _valid_code(proposal["value"], cat, proposal["trait"].name, getattr(self, "lang", "en"))

    @property
    def pair(self) -> tuple[str, str]:
        """The two codes shown, ``(a, b)``; set it to change both in one step."""
        return (self.a, self.b)

    @pair.setter
    def pair(self, value: Sequence[str]) -> None:
        a, b = value
        with self.hold_sync():
            self.a, self.b = a, b

    @property
    def comparison(self):
        """The comparison now shown (None when the two codes cannot be compared)."""
        from ._compare import compare

        try:
            return compare(self.a, self.b, lang=self.lang, catalogue=self._catalogue)
        except ValueError:
            return None

    def _refresh(self) -> None:
        cat = self._catalogue
        basic = list(cat.basic)
        enhanced = [f"{c}.{e.subject}.{e.detail}" for e in cat.enhanced.values() for c in ("4", "5")]
        texts = _code_texts(cat, self.lang)
        facts: dict[str, dict[str, Any]] = {}
        for code in basic + enhanced:
            f = code_facts(code, lang=self.lang, catalogue=cat)
            key = f.get("generic", code)
            for k in ("name", "description", "when", "fix"):  # the entry's prose, held once in texts
                del f[k]
            f["text_key"] = key
            facts[code] = f
        self._data = {
            "ui": self._ui_for("templates", "headings", "labels", "list", "widgets"),
            "basic": basic, "enhanced": enhanced, "facts": facts, "texts": texts,
        }
        self._uid = _digest("compare", self.lang)

    def __repr__(self) -> str:
        return f"CompareWidget({self.a} vs {self.b}, lang={self.lang!r})"


class ExplorerWidget(_Widget):
    """Browse the catalogue by class, category, status and enhanced subject, with search.

    The filters (``reply_class``, ``category``, ``status``, ``subject``, ``query``)
    and ``selected`` are synced; ``results`` lists the codes the view shows.
    """

    _esm = _module("explorer")
    _css = _css()
    #: what ExplorerWidget(...) may be given (and set later): the filters, and the code shown
    FILTERS = ("kind", "reply_class", "category", "status", "subject", "query", "selected")
    reply_class = traitlets.Unicode("").tag(sync=True)
    category = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    subject = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("").tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    results = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, *, lang: str = "en", catalogue: Catalogue | None = None, **filters: str):
        unknown = sorted(set(filters) - set(self.FILTERS))
        if unknown:  # a misspelt filter would otherwise be dropped with only a hidden DeprecationWarning
            raise InvalidArgumentError(f"ExplorerWidget has no filter {', '.join(map(repr, unknown))}; "
                                       f"its filters are {', '.join(self.FILTERS)}")
        super().__init__(lang=lang, catalogue=catalogue, **filters)

    @traitlets.validate("reply_class")
    def _v_class(self, proposal: dict) -> str:
        return _choice(proposal, ("", "2", "3", "4", "5"), getattr(self, "lang", "en"))

    @traitlets.validate("category")
    def _v_category(self, proposal: dict) -> str:
        return _choice(proposal, ("", "0", "1", "2", "3", "4", "5"), getattr(self, "lang", "en"))

    @traitlets.validate("subject")
    def _v_subject(self, proposal: dict) -> str:
        return _choice(proposal, ("",) + tuple(str(i) for i in range(8)), getattr(self, "lang", "en"))

    @traitlets.validate("status")
    def _v_status(self, proposal: dict) -> str:
        from ._catalogue import STATUSES

        return _choice(proposal, ("",) + STATUSES, getattr(self, "lang", "en"))

    @traitlets.validate("kind")
    def _v_kind(self, proposal: dict) -> str:
        return _choice(proposal, ("", "basic", "enhanced"), getattr(self, "lang", "en"))

    @traitlets.validate("selected")
    def _v_selected(self, proposal: dict) -> str:
        value = str(proposal["value"]).strip()
        if not value:
            return ""
        cat = getattr(self, "_catalogue", None) or default_catalogue()
        try:
            return cat.lookup(value).key
        except UnknownCodeError as exc:
            raise traitlets.TraitError(f"selected: {exc.text(getattr(self, 'lang', 'en'))}") from None

    def _refresh(self) -> None:
        from .render import entry_facts

        cat = self._catalogue
        entries = []
        for entry in cat:
            # the entry's prose is in "texts", the object the compare widget carries too (_code_texts)
            row = {"code": entry.key, "kind": entry.kind, "facts": entry_facts(entry, lang=self.lang)}
            if entry.kind == "basic":
                row.update({"class": str(entry.reply_class), "category": str(entry.category), "status": entry.status})
            else:
                row.update({"subject": str(entry.subject), "title": entry.title})
            entries.append(row)
        topic_names = {
            kind: {k: cat.text(kind, k, lang=self.lang).name for k in table}
            for kind, table in cat.topics.items()
        }
        self._data = {"ui": self._ui_for("headings", "labels", "status_short", "widgets"), "entries": entries,
                      "texts": _code_texts(cat, self.lang), "topics": topic_names}
        self._uid = _digest("explorer", self.lang)

    def __repr__(self) -> str:
        filters = [f"{k}={getattr(self, k)!r}" for k in ("kind", "reply_class", "category", "status", "subject", "query") if getattr(self, k)]
        return f"ExplorerWidget({', '.join(filters + [f'lang={self.lang!r}'])})"


def _choice(proposal: dict, allowed: tuple[str, ...], lang: str) -> str:
    value = str(proposal["value"])
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed if a)
        raise _refused("", "widget_choice", lang, trait=proposal["trait"].name, allowed=shown, given=repr(value))
    return value


class ExplainWidget(_Widget):
    """Paste a reply, a bounce line or a log line and read what :func:`smtpteach.explain` says.

    ``text`` is synced; ``explanation`` gives the Python result for it.
    """

    _esm = _module("explain")
    _css = _css()
    text = traitlets.Unicode("").tag(sync=True)
    # The explanation of the text the kernel set, as the page shows it first ({"text", and the fields of
    # Explanation.as_dict(), or "mixed": the line where a second record starts, or "whole": a whole message, which
    # the page does not take apart}): the page draws it without
    # compiling the rules, and compiles them when the reader types (the browser's answer is the same, as the
    # parity tests check).
    _first = traitlets.Dict().tag(sync=True)

    def __init__(self, text: str = "", *, lang: str = "en", catalogue: Catalogue | None = None):
        super().__init__(text=text, lang=lang, catalogue=catalogue)

    @traitlets.observe("text")
    def _on_text(self, change: dict) -> None:
        if getattr(self, "_ready", False):
            self._first = self._first_explanation()

    def _first_explanation(self) -> dict[str, Any]:
        from ._errors import MixedRecordsError
        from ._records import is_whole_message

        if not self.text.strip():
            return {}
        if is_whole_message(self.text):  # the page reads no MIME, and says so whoever set the text (explain.js)
            return {"text": self.text, "whole": True}
        try:
            return {"text": self.text, **self.explanation.as_dict()}
        except MixedRecordsError as exc:
            return {"text": self.text, "mixed": exc.line}

    @property
    def explanation(self):
        """:func:`smtpteach.explain` of the text in the box, in the widget's language."""
        from ._explain import explain

        return explain(self.text, lang=self.lang, catalogue=self._catalogue)

    def _refresh(self) -> None:
        from ._explain import later_for_browser, rules_for_browser

        cat = self._catalogue
        names = {e.key: e.name(lang=self.lang) for e in cat}
        self._data = {
            "ui": self._ui_for("templates", "reasons", "reason_notes", "retry", "actor", "explain_labels", "labels", "widgets",
                               "triage"),
            # data/reasons.yaml; the families of data/reasons-known.yaml and the reason model apart ("later"): the
            # site loads them only when a reader types
            "rules": rules_for_browser(), "later": later_for_browser(), "names": names,
        }
        self._first = self._first_explanation()
        self._uid = _digest("explain", self.lang)

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"ExplainWidget({shown!r}, lang={self.lang!r})"


class QuizWidget(_Widget):
    """A multiple-choice quiz made by :func:`smtpteach.make_quiz`.

    ``answers`` (one choice index per question, -1 for none yet) and ``score``
    are synced both ways: answer in the page, or set ``answers`` from Python.
    ``questions`` asks a teacher's own questions (a YAML file, or what
    :func:`smtpteach.load_questions` read): all of them unless ``count`` says how many; without
    ``questions``, ``count`` is 10 unless given.
    """

    _esm = _module("quiz")
    _css = _css()
    seed = traitlets.Int(0).tag(sync=True)
    count = traitlets.Int(10).tag(sync=True)
    topics = traitlets.List(traitlets.Unicode(), allow_none=True, default_value=None).tag(sync=True)
    answers = traitlets.List(traitlets.Int()).tag(sync=True)
    score = traitlets.Int(0).tag(sync=True)
    current = traitlets.Int(0).tag(sync=True)

    def __init__(self, seed: int = 0, count: int | None = None, *, lang: str = "en", topics: Sequence[str] | None = None,
                 catalogue: Catalogue | None = None, questions: Any = None):
        self._quiz = None
        self._bank = None
        if questions is not None:
            from ._own_quiz import QuestionBank, load_questions

            self._bank = questions if isinstance(questions, QuestionBank) else load_questions(
                questions, catalogue=catalogue)
        if count is None:
            count = len(self._bank.questions) if self._bank is not None else 10
        if isinstance(topics, str):  # one topic's name, not the letters of it
            topics = [topics]
        super().__init__(seed=seed, count=count, lang=lang, topics=list(topics) if topics else None, catalogue=catalogue)

    @property
    def quiz(self):
        """The :class:`smtpteach.Quiz` being asked, remade when ``seed``, ``count`` or ``topics`` change."""
        return self._quiz

    @traitlets.observe("seed", "count", "topics")
    def _on_setup(self, change: dict) -> None:
        if getattr(self, "_ready", False):
            self._refresh()

    @traitlets.validate("seed", "count", "topics")
    def _v_setup(self, proposal: dict) -> Any:
        """A seed, count or topics that cannot make a quiz is refused before it is set."""
        if not getattr(self, "_ready", False):
            return proposal["value"]
        from ._quiz import make_quiz

        setup = {"seed": self.seed, "count": self.count, "topics": self.topics, proposal["trait"].name: proposal["value"]}
        try:
            make_quiz(setup["count"], seed=setup["seed"], lang=self.lang, topics=setup["topics"], catalogue=self._catalogue,
                      questions=self._bank)
        except (ValueError, TypeError) as exc:
            said = exc.text(self.lang) if isinstance(exc, SmtpTeachError) else str(exc)
            raise traitlets.TraitError(f"{proposal['trait'].name}: {said}") from None
        return proposal["value"]

    @traitlets.validate("lang")
    def _valid_lang(self, proposal: dict) -> str:
        """A language the teacher's questions are not written in is refused before it is set, as a seed or a count
        no quiz can have is: the widget keeps its language and its quiz."""
        lang = _check_lang(proposal["value"], getattr(self, "_catalogue", None) or default_catalogue())
        bank = getattr(self, "_bank", None)
        if getattr(self, "_ready", False) and bank is not None and lang not in bank.languages:
            said = InvalidArgumentError.keyed("quiz_questions_lang", values={
                "file": bank.name, "langs": ", ".join(bank.languages), "lang": lang}).text(self.lang)
            raise traitlets.TraitError(f"lang: {said}")
        return lang

    @traitlets.validate("answers")
    def _v_answers(self, proposal: dict) -> list[int]:
        value = list(proposal["value"])
        quiz = self._quiz
        if quiz is None:
            return value
        if len(value) != len(quiz.questions):
            raise _refused("", "widget_answers", self.lang, needed=len(quiz.questions), given=len(value))
        for i, (answer, question) in enumerate(zip(value, quiz.questions)):
            if not -1 <= answer < len(question.choices):
                raise _refused("", "widget_answer", self.lang, index=i, answer=answer, number=i + 1,
                               last=len(question.choices) - 1)
        return value

    @traitlets.observe("answers")
    def _on_answers(self, change: dict) -> None:
        if self._quiz is not None:
            self.score = sum(1 for a, q in zip(self.answers, self._quiz.questions) if a == q.answer)

    def _refresh(self) -> None:
        from ._quiz import make_quiz

        try:
            quiz = make_quiz(self.count, seed=self.seed, lang=self.lang, topics=self.topics, catalogue=self._catalogue,
                             questions=self._bank)
        except ValueError as exc:  # made with a count or topics no quiz can have: said as setting them later says it
            raise traitlets.TraitError(exc.text(self.lang) if isinstance(exc, SmtpTeachError) else str(exc)) from None
        self._quiz = quiz
        with self.hold_sync():
            self._data = {"ui": self._ui_for("widgets", "quiz"), "quiz": quiz.as_dict()}
            self.answers = [-1] * len(quiz.questions)
            self.current = 0
            self._uid = _digest("quiz", quiz.as_dict())

    def __repr__(self) -> str:
        n = len(self._quiz.questions) if self._quiz else self.count
        return f"QuizWidget({n} question{'' if n == 1 else 's'}, seed={self.seed}, score={self.score}/{n}, lang={self.lang!r})"
