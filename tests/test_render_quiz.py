"""smtpteach._render_quiz: a quiz as plain text, Markdown and HTML, written out whole.

The quizzes here are built by hand, so these tests pin what the renderers write
and nothing of what ``make_quiz`` draws (``tests/test_quiz.py`` pins that). The
HTML read back element by element, with hostile text, is in ``tests/test_render.py``.
"""

from __future__ import annotations

import hashlib

import pytest

from smtpteach import render
from smtpteach._quiz import Question, Quiz

CLASS_421 = Question(
    kind="class", prompt="What class is the reply code 421?",
    choices=("Positive Completion", "Transient Negative Completion", "Permanent Negative Completion"), answer=1,
    explanation="421 starts with 4.", code="421", id="a1b2c3d4e5")
PAIR_450 = Question(
    kind="pair", prompt="450 or 550: which reply?", choices=("450 Mailbox Unavailable", "550 Mailbox Unavailable"),
    answer=0, explanation="The answer is 450.", code="450", id="f6e5d4c3b2")
TWO = Quiz(seed=42, lang="en", topics=("class", "pair"), questions=(CLASS_421, PAIR_450))


def test_text_lists_the_questions_then_the_answer_key():
    assert render.text(TWO) == """\
SMTP reply code quiz
====================
Questions: 2. Seed: 42.

1. What class is the reply code 421?
   a) Positive Completion
   b) Transient Negative Completion
   c) Permanent Negative Completion

2. 450 or 550: which reply?
   a) 450 Mailbox Unavailable
   b) 550 Mailbox Unavailable

Answers
-------
1. b) Transient Negative Completion
   421 starts with 4.
2. a) 450 Mailbox Unavailable
   The answer is 450.
"""


def test_markdown_separates_each_block_by_one_blank_line():
    # a blank line after the summary, after each prompt and after each list, else CommonMark
    # runs a question's prompt and its choices, or the heading and the key, together
    assert render.markdown(TWO) == """\
# SMTP reply code quiz

Questions: 2. Seed: 42.

1. What class is the reply code 421?

   - a) Positive Completion
   - b) Transient Negative Completion
   - c) Permanent Negative Completion

2. 450 or 550: which reply?

   - a) 450 Mailbox Unavailable
   - b) 550 Mailbox Unavailable

## Answers

1. **b) Transient Negative Completion**: 421 starts with 4.
2. **a) 450 Mailbox Unavailable**: The answer is 450.
"""


def test_html_is_one_article_written_exactly():
    assert render.html(TWO) == """\
<article class="smtpteach-quiz" id="smtpteach-quiz-132eb60c11" lang="en" data-seed="42">
<h2>SMTP reply code quiz</h2>
<p class="smtpteach-quiz-summary">Questions: 2. Seed: 42.</p>
<ol class="smtpteach-questions">
<li id="smtpteach-q-a1b2c3d4e5" class="smtpteach-question" data-kind="class">
<fieldset><legend>What class is the reply code 421?</legend>
<ol class="smtpteach-choices" type="a">
<li><input type="radio" name="smtpteach-q-a1b2c3d4e5" id="smtpteach-q-a1b2c3d4e5-0" value="0"> \
<label for="smtpteach-q-a1b2c3d4e5-0">Positive Completion</label></li>
<li><input type="radio" name="smtpteach-q-a1b2c3d4e5" id="smtpteach-q-a1b2c3d4e5-1" value="1"> \
<label for="smtpteach-q-a1b2c3d4e5-1">Transient Negative Completion</label></li>
<li><input type="radio" name="smtpteach-q-a1b2c3d4e5" id="smtpteach-q-a1b2c3d4e5-2" value="2"> \
<label for="smtpteach-q-a1b2c3d4e5-2">Permanent Negative Completion</label></li>
</ol></fieldset></li>
<li id="smtpteach-q-f6e5d4c3b2" class="smtpteach-question" data-kind="pair">
<fieldset><legend>450 or 550: which reply?</legend>
<ol class="smtpteach-choices" type="a">
<li><input type="radio" name="smtpteach-q-f6e5d4c3b2" id="smtpteach-q-f6e5d4c3b2-0" value="0"> \
<label for="smtpteach-q-f6e5d4c3b2-0">450 Mailbox Unavailable</label></li>
<li><input type="radio" name="smtpteach-q-f6e5d4c3b2" id="smtpteach-q-f6e5d4c3b2-1" value="1"> \
<label for="smtpteach-q-f6e5d4c3b2-1">550 Mailbox Unavailable</label></li>
</ol></fieldset></li>
</ol>
<section class="smtpteach-quiz-answers" id="smtpteach-quiz-132eb60c11-answers"><h3>Answers</h3>
<ol>
<li id="smtpteach-a-a1b2c3d4e5"><a href="#smtpteach-q-a1b2c3d4e5"><strong>b) Transient Negative Completion</strong></a> \
<span class="smtpteach-explanation">421 starts with 4.</span></li>
<li id="smtpteach-a-f6e5d4c3b2"><a href="#smtpteach-q-f6e5d4c3b2"><strong>a) 450 Mailbox Unavailable</strong></a> \
<span class="smtpteach-explanation">The answer is 450.</span></li>
</ol></section></article>
"""


def _article_id(quiz: Quiz) -> str:
    return render.html(quiz).split('id="', 1)[1].split('"', 1)[0]


def test_the_article_id_is_derived_from_the_question_ids_alone():
    # sha1 of the question ids, one a line, cut to ten hex digits: the same quiz gets the same id
    # on every build, and two quizzes on one page get two ids
    assert _article_id(TWO) == "smtpteach-quiz-" + hashlib.sha1(b"a1b2c3d4e5\nf6e5d4c3b2").hexdigest()[:10]
    reworded = Quiz(seed=7, lang="vi", topics=("class",), questions=(
        Question(**{**CLASS_421.as_dict(), "choices": ("x", "y"), "prompt": "Mã 421 thuộc lớp nào?"}), PAIR_450))
    assert _article_id(reworded) == _article_id(TWO)
    swapped = Quiz(seed=42, lang="en", topics=("class", "pair"), questions=(PAIR_450, CLASS_421))
    assert _article_id(swapped) == "smtpteach-quiz-" + hashlib.sha1(b"f6e5d4c3b2\na1b2c3d4e5").hexdigest()[:10]
    assert _article_id(swapped) != _article_id(TWO)


# A quiz built by hand may offer more choices than the alphabet has letters: past z, choices are numbered.
MANY = Quiz(seed=0, lang="en", topics=("scenario",), questions=(
    Question(kind="scenario", prompt="Pick the last one.", choices=tuple(f"choice {n}" for n in range(1, 29)),
             answer=27, explanation="It is the 28th.", code="550", id="0000000000"),
))


@pytest.mark.parametrize("fmt, first, past_z, key", [
    ("text", "   a) choice 1", ["   z) choice 26", "   27) choice 27", "   28) choice 28"], "1. 28) choice 28"),
    ("markdown", "   - a) choice 1", ["   - z) choice 26", "   - 27) choice 27", "   - 28) choice 28"],
     "1. **28) choice 28**: It is the 28th."),
])
def test_choices_past_z_are_numbered(fmt, first, past_z, key):
    lines = getattr(render, fmt)(MANY).splitlines()
    assert first in lines
    at = lines.index(past_z[0])
    assert lines[at:at + 3] == past_z
    assert key in lines


def test_html_key_numbers_a_choice_past_z():
    assert "<strong>28) choice 28</strong>" in render.html(MANY)


@pytest.mark.parametrize("lang, title, summary, answers", [
    ("en", "SMTP reply code quiz", "Questions: 1. Seed: 0.", "Answers"),
    ("vi", "Trắc nghiệm mã phản hồi SMTP", "Số câu hỏi: 1. Seed: 0.", "Đáp án"),
])
def test_headings_are_in_the_quizs_own_language(lang, title, summary, answers):
    quiz = Quiz(seed=0, lang=lang, topics=("class",), questions=(CLASS_421,))
    assert render.text(quiz).splitlines()[:3] == [title, "=" * len(title), summary]
    assert render.text(quiz).splitlines()[9:11] == [answers, "-" * len(answers)]
    assert render.markdown(quiz).splitlines()[:3] == [f"# {title}", "", summary]
    assert f"## {answers}" in render.markdown(quiz).splitlines()
    assert render.html(quiz).splitlines()[:3] == [
        f'<article class="smtpteach-quiz" id="{_article_id(quiz)}" lang="{lang}" data-seed="0">',
        f"<h2>{title}</h2>", f'<p class="smtpteach-quiz-summary">{summary}</p>']
    assert f"<h3>{answers}</h3>" in render.html(quiz)
