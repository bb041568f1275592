// QuizWidget: one question at a time; the reader picks a choice, gets the
// feedback and explanation, and the score. Python made the questions; this
// module only shows them and grades by index.
//
// The choices are a native radio group, so the arrow keys move between them
// and that is all: moving is not answering. A click, Enter or Space on a
// choice, or the Check button, answers. An answer locks the question: the
// other choices are disabled and the chosen one keeps the focus.
//
// The score and the feedback are live regions made once and kept across
// redraws: a screen reader hears the verdict and the new score of each answer.

const MOVE_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);

function render({ model, el }) {
  const uid = uniqueId(`smtpteach-quiz-${model.get("_uid")}`);
  const root = h("div", { class: "smtpteach-widget smtpteach-quiz-widget" });
  const status = h("p", { class: "smtpteach-quiz-status", role: "status" });
  const body = h("div", { class: "smtpteach-quiz-body" });
  const feedback = h("div", { class: "smtpteach-feedback", "aria-live": "polite", "aria-atomic": "true" });
  const nav = h("div", { class: "smtpteach-controls" });
  let moving = false;  // an arrow key is moving the group's check: the change it fires is not an answer
  let picked = null;   // { id, choice }: the choice the arrow keys left checked, not answered yet

  function grade(answers, questions) {
    return answers.reduce((n, a, i) => n + (a === questions[i].answer ? 1 : 0), 0);
  }

  function current() {
    const questions = model.get("_data").quiz.questions;
    const answers = model.get("answers").length === questions.length ? model.get("answers") : questions.map(() => -1);
    return { questions, answers };
  }

  function setAnswers(answers) {
    const questions = model.get("_data").quiz.questions;
    picked = null;
    model.set("answers", answers);
    model.set("score", grade(answers, questions));
    model.save_changes();
  }

  function answer(i, k) {
    const { answers } = current();
    if (answers[i] !== -1) return;  // locked: only Try again or Start over unlock it
    const next = answers.slice();
    next[i] = k;
    setAnswers(next);
    draw();
  }

  function onChoiceKey(event, i, k) {
    if (MOVE_KEYS.has(event.key)) {
      // the browser moves the check (firing click and change) after this
      // listener, within the same task
      moving = true;
      setTimeout(() => { moving = false; });
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      answer(i, k);
    }
  }

  // Where the focus goes when its control is gone or disabled: Previous and
  // Next stand in for each other at the ends; otherwise the checked choice.
  function fallbacks(key) {
    const checked = body.querySelector("input[type=radio]:checked");
    const choice = checked ? checked.getAttribute("data-focus") : "choice-0";
    if (key === "previous") return ["next", choice];
    if (key === "next") return ["previous", choice];
    return [choice, "choice-0"];
  }

  function paint() {
    const data = model.get("_data");
    const w = data.ui.widgets;
    const { questions, answers } = current();
    const total = questions.length;
    const i = Math.min(Math.max(model.get("current"), 0), total - 1);
    const q = questions[i];
    const chosen = answers[i];
    const pick = chosen === -1 && picked && picked.id === q.id ? picked.choice : -1;
    const qid = `${uid}-q-${q.id}`;
    const fieldset = h("fieldset", { class: "smtpteach-question", id: qid, "data-kind": q.kind },
      h("legend", { text: `${fill(w.question, { number: String(i + 1), total: String(total) })}: ${q.prompt}` }));
    q.choices.forEach((choice, k) => {
      const id = `${qid}-c${k}`;
      const input = h("input", { type: "radio", name: qid, id, value: String(k), "data-focus": `choice-${k}`,
        checked: chosen === -1 ? pick === k : chosen === k, disabled: chosen !== -1 && chosen !== k,
        onkeydown: (event) => onChoiceKey(event, i, k),
        onchange: () => { if (moving) picked = { id: q.id, choice: k }; else answer(i, k); } });
      const cls = chosen === -1 ? "" : k === q.answer ? "smtpteach-right" : k === chosen ? "smtpteach-wrong" : "";
      fieldset.append(h("div", { class: `smtpteach-choice ${cls}`.trim() }, input, h("label", { for: id, text: choice })));
    });
    const verdict = chosen === -1 ? "" : chosen === q.answer ? w.right : `${w.wrong} ${fill(w.answer_was, { answer: q.choices[q.answer] })}`;
    const said = feedback.firstChild;
    if (!verdict) feedback.replaceChildren();
    else if (!said || said.textContent !== verdict || feedback.lastChild.textContent !== q.explanation) {
      feedback.replaceChildren(h("p", { class: chosen === q.answer ? "smtpteach-right" : "smtpteach-wrong", text: verdict }),
        h("p", { class: "smtpteach-explanation-text", text: q.explanation }));
    }
    body.replaceChildren(fieldset);
    say(status, fill(w.score, { score: String(grade(answers, questions)), total: String(total) }));
    const go = (to) => { update(model, "current", to); draw(); };
    const check = () => {
      const checked = fieldset.querySelector("input[type=radio]:checked");
      if (checked) answer(i, Number(checked.value));
      else {  // nothing picked yet: say so, and go and pick
        feedback.replaceChildren(h("p", { class: "smtpteach-hint", text: w.choose_first }));
        fieldset.querySelector("input[type=radio]").focus();
      }
    };
    nav.replaceChildren(
      h("button", { type: "button", class: "smtpteach-button", "data-focus": "check", disabled: chosen !== -1, onclick: check, text: w.check }),
      h("button", { type: "button", class: "smtpteach-button", "data-focus": "previous", disabled: i === 0, onclick: () => go(i - 1), text: w.previous }),
      h("button", { type: "button", class: "smtpteach-button", "data-focus": "next", disabled: i === total - 1, onclick: () => go(i + 1), text: w.next }),
      h("button", { type: "button", class: "smtpteach-button", "data-focus": "try-again", disabled: chosen === -1, onclick: () => { const next = answers.slice(); next[i] = -1; setAnswers(next); draw(); }, text: w.try_again }),
      h("button", { type: "button", class: "smtpteach-button", "data-focus": "restart", onclick: () => { setAnswers(questions.map(() => -1)); go(0); }, text: w.restart }),
    );
  }

  function draw() {
    // the widget's own language, which the page's need not be (a notebook's page is English): a screen reader reads the widget's words in it
    root.lang = model.get("lang");
    keepFocus(root, paint, fallbacks);
  }

  root.append(status, body, feedback, nav);
  draw();  // before the widget enters the page: the first score is not announced
  el.replaceChildren(root);
  for (const name of ["_data", "answers", "current"]) model.on(`change:${name}`, draw);
  return () => { for (const name of ["_data", "answers", "current"]) model.off(`change:${name}`, draw); };
}

export default { render };
