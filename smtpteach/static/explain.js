// ExplainWidget: paste a reply and read the explanation, computed here with
// the same rules as smtpteach.explain() (data/reasons.yaml, data/reasons-known.yaml and the reason model, synced
// as data).
// The explanation follows the text as it is typed or pasted. Its summary is a
// status line, kept across redraws, so a screen reader hears each new verdict
// once, not every key.

function render({ model, el }) {
  const uid = uniqueId(`smtpteach-xpl-${model.get("_uid")}`);
  const root = h("div", { class: "smtpteach-widget smtpteach-explain-widget" });
  const label = h("label", { for: `${uid}-text` });
  const area = h("textarea", { id: `${uid}-text`, rows: 4, spellcheck: "false", oninput: () => { update(model, "text", area.value); draw(); } });
  const out = h("div", { class: "smtpteach-output" });
  const summary = h("p", { class: "smtpteach-summary", role: "status" });
  const facts = h("dl", { class: "smtpteach-facts" });
  const section = h("section", { class: "smtpteach-explanation" }, summary, facts);

  // The families of data/reasons-known.yaml and the reason model (_data.later): a kernel sends them with the
  // rest, a static page loads them when asked (its host gives a promise-like stand-in), after the page is ready.
  let later = null, laterFailed = false, loading = null, quiet = false;
  function laterPart(data) {
    if (!data.later || typeof data.later.then !== "function") return data.later;
    if (!loading && !quiet) {  // not while saying that the last try failed: the next text typed tries again
      laterFailed = false;
      loading = Promise.resolve(data.later).then((part) => { later = part; draw(); }, () => {
        laterFailed = true;
        loading = null;
        quiet = true;
        try { draw(); } finally { quiet = false; }
      });
    }
    return later;
  }

  function draw() {
    // the widget's own language, which the page's need not be (a notebook's page is English): a screen reader reads the widget's words in it
    root.lang = model.get("lang");
    const data = model.get("_data");
    const ui = data.ui, w = ui.widgets, lab = ui.explain_labels;
    label.textContent = w.paste;
    area.placeholder = w.paste_placeholder;
    const text = model.get("text");
    if (area.value !== text) area.value = text;
    summary.className = "smtpteach-summary";
    summary.removeAttribute("data-line");
    if (!text.trim()) { section.removeAttribute("data-reason"); say(summary, ""); facts.replaceChildren(); return; }
    // The text the kernel set comes with its explanation (ExplainWidget._first): the page shows it without
    // compiling the rules, and compiles them (once per page: core.js keeps them by the rules object) for the
    // first text the reader types.
    const first = model.get("_first");
    let x, mixed = null, whole = false;
    if (first && first.text === text) {
      if (first.mixed) mixed = first.mixed; else if (first.whole) whole = true; else x = first;
    } else {
      const more = laterPart(data);
      if (more === null) {  // not loaded yet, or it failed to load: say so rather than explain with part of the rules
        section.removeAttribute("data-reason");
        say(summary, laterFailed ? w.explain_failed : w.explain_loading);
        facts.replaceChildren();
        return;
      }
      try {
        x = explain(text, compileRules(data.rules, more), ui);
      } catch (e) {
        if (e.name === "WholeMessageError") whole = true;
        else if (e.name !== "MixedRecordsError") throw e;
        else mixed = e.line;
      }
    }
    if (whole) {  // a whole message, header and body: the page reads no MIME (Python's explain() reads it as triage does)
      summary.className = "smtpteach-summary smtpteach-mixed";
      section.removeAttribute("data-reason");
      say(summary, ui.triage.explain_message);
      facts.replaceChildren();
      return;
    }
    if (mixed !== null) {  // several records in the box (smtpteach.MixedRecordsError): say where the second starts
      summary.className = "smtpteach-summary smtpteach-mixed";
      summary.setAttribute("data-line", String(mixed));
      section.removeAttribute("data-reason");
      say(summary, fill(ui.triage.explain_mixed, { line: String(mixed) }));
      facts.replaceChildren();
      return;
    }
    let permanent = x.permanent === true ? lab.permanent_yes : x.permanent === false ? lab.permanent_no : lab.permanent_unknown;
    // a temporary class, and yet no retry comes (X.4.7, status=expired): say both, as Python does
    if (x.permanent === false && x.reason === "expired" && lab.permanent_no_expired) permanent = lab.permanent_no_expired;
    // a success or a step of the dialogue: no failure to be permanent (_render_explain._rows)
    if ((x.retry === "not-needed" || x.retry === "continue") && lab.permanent_no_failure) permanent = lab.permanent_no_failure;
    const rows = [
      [lab.basic, x.basic || lab.none], [lab.enhanced, x.enhanced || lab.none], [lab.permanent, permanent],
      [lab.reason, `${reasonWords(ui, x.reason, x.note).name} (${x.reason})`],
      // no rule or code named the reason: the reason model did, from these words (smtpteach/_render_explain.py)
      ...(x.evidence && x.evidence.length ? [[lab.evidence || "evidence", x.evidence.join(", ")]] : []),
      [lab.retry, ui.retry[x.retry]], [lab.actor, ui.actor[x.actor]],
    ];
    for (const code of [x.basic, x.enhanced]) {
      if (!code) continue;
      const key = code.includes(".") ? "X." + code.split(".").slice(1).join(".") : code;
      if (data.names[key]) rows.push([key, data.names[key]]);
    }
    section.setAttribute("data-reason", x.reason);
    say(summary, x.summary);
    facts.replaceChildren(...rows.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
  }

  out.append(section);
  root.append(h("div", { class: "smtpteach-field smtpteach-field-wide" }, label, area), out);
  draw();  // before the widget enters the page: its first explanation is not announced
  el.replaceChildren(root);
  // a static page loads the rest of the rules when a reader comes to the box, so that they are there as they type
  area.addEventListener("focus", () => laterPart(model.get("_data")));
  model.on("change:text", draw);
  model.on("change:_data", draw);
  model.on("change:_first", draw);
  return () => { model.off("change:text", draw); model.off("change:_data", draw); model.off("change:_first", draw); };
}

export default { render };
