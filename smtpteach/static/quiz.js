// QuizWidget: one question at a time; the reader picks a choice, gets the
// feedback and explanation, and the score. Python made the questions; this
// module only shows them and grades by index.

function render({ model, el }) {
  const uid = uniqueId(`smtpteach-quiz-${model.get("_uid")}`);
  const root = h("div", { class: "smtpteach-widget smtpteach-quiz-widget" });
  const status = h("p", { class: "smtpteach-quiz-status", "aria-live": "polite" });
  const body = h("div", { class: "smtpteach-quiz-body" });
  const nav = h("div", { class: "smtpteach-controls" });

  function grade(answers, questions) {
    return answers.reduce((n, a, i) => n + (a === questions[i].answer ? 1 : 0), 0);
  }

  function setAnswers(answers) {
    const questions = model.get("_data").quiz.questions;
    model.set("answers", answers);
    model.set("score", grade(answers, questions));
    model.save_changes();
  }

  function draw() {
    const data = model.get("_data");
    const w = data.ui.widgets;
    const questions = data.quiz.questions;
    const total = questions.length;
    let i = Math.min(Math.max(model.get("current"), 0), total - 1);
    const answers = model.get("answers").length === total ? model.get("answers") : questions.map(() => -1);
    const q = questions[i];
    const chosen = answers[i];
    const qid = `${uid}-q-${q.id}`;
    const fieldset = h("fieldset", { class: "smtpteach-question", id: qid, "data-kind": q.kind },
      h("legend", { text: `${fill(w.question, { number: String(i + 1), total: String(total) })}: ${q.prompt}` }));
    q.choices.forEach((choice, k) => {
      const id = `${qid}-c${k}`;
      const input = h("input", { type: "radio", name: qid, id, value: String(k), checked: chosen === k, disabled: chosen !== -1,
        onchange: () => { const next = answers.slice(); next[i] = k; setAnswers(next); draw(); } });
      const cls = chosen === -1 ? "" : k === q.answer ? "smtpteach-right" : k === chosen ? "smtpteach-wrong" : "";
      fieldset.append(h("div", { class: `smtpteach-choice ${cls}`.trim() }, input, h("label", { for: id, text: choice })));
    });
    const feedback = h("div", { class: "smtpteach-feedback", "aria-live": "polite" });
    if (chosen !== -1) {
      const right = chosen === q.answer;
      feedback.append(h("p", { class: right ? "smtpteach-right" : "smtpteach-wrong", text: right ? w.right : `${w.wrong} ${fill(w.answer_was, { answer: q.choices[q.answer] })}` }),
        h("p", { class: "smtpteach-explanation-text", text: q.explanation }));
    }
    body.replaceChildren(fieldset, feedback);
    status.textContent = fill(w.score, { score: String(grade(answers, questions)), total: String(total) });
    const go = (to) => { update(model, "current", to); draw(); };
    nav.replaceChildren(
      h("button", { type: "button", class: "smtpteach-button", disabled: i === 0, onclick: () => go(i - 1), text: w.previous }),
      h("button", { type: "button", class: "smtpteach-button", disabled: i === total - 1, onclick: () => go(i + 1), text: w.next }),
      h("button", { type: "button", class: "smtpteach-button", disabled: chosen === -1, onclick: () => { const next = answers.slice(); next[i] = -1; setAnswers(next); draw(); }, text: w.try_again }),
      h("button", { type: "button", class: "smtpteach-button", onclick: () => { setAnswers(questions.map(() => -1)); go(0); }, text: w.restart }),
    );
  }

  root.append(status, body, nav);
  el.replaceChildren(root);
  draw();
  for (const name of ["_data", "answers", "current"]) model.on(`change:${name}`, draw);
  return () => { for (const name of ["_data", "answers", "current"]) model.off(`change:${name}`, draw); };
}

export default { render };
