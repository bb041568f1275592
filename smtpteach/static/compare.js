// CompareWidget: two labelled pickers and the comparison, computed here from
// the synced catalogue data with the same templates as smtpteach.compare().
// A screen reader hears each new comparison's summary, or the message that
// asks for another pair, from one status line; the page's readers see the
// comparison itself.

function compareFacts(data, code) {
  const f = Object.assign({}, data.facts[code], data.texts[data.facts[code].text_key]);
  delete f.text_key;
  return f;
}

function render({ model, el }) {
  const uid = uniqueId(`smtpteach-cmp-${model.get("_uid")}`);
  const root = h("div", { class: "smtpteach-widget smtpteach-compare-widget" });
  const form = h("div", { class: "smtpteach-controls", role: "group" });
  const out = h("div", { class: "smtpteach-output" });
  const status = h("p", { class: "smtpteach-status smtpteach-sr-only", role: "status" });
  const pickers = {};
  let started = false;  // the status line stays empty until the reader changes something

  function picker(name, labelKey) {
    const id = `${uid}-${name}`;
    const select = h("select", { id, onchange: () => { update(model, name, select.value); draw(); } });
    pickers[name] = { select, label: h("label", { for: id }) };
    return h("div", { class: "smtpteach-field" }, pickers[name].label, select);
  }

  function fillOptions() {
    const data = model.get("_data");
    const w = data.ui.widgets;
    // the option list is built once, then cloned for the second picker
    const groups = [
      h("optgroup", { label: w.basic_codes }, data.basic.map((c) => h("option", { value: c, text: `${c} ${data.texts[c].name}` }))),
      h("optgroup", { label: w.enhanced_codes }, data.enhanced.map((c) => h("option", { value: c, text: `${c} ${data.texts[data.facts[c].text_key].name}` }))),
    ];
    for (const [name, key] of [["a", "code_a"], ["b", "code_b"]]) {
      const { select, label } = pickers[name];
      label.textContent = w[key];
      select.replaceChildren(...(name === "a" ? groups : groups.map((g) => g.cloneNode(true))));
      select.value = model.get(name);
    }
    swap.textContent = w.swap;
  }

  const swap = h("button", { type: "button", class: "smtpteach-button", onclick: () => {
    const a = model.get("a"), b = model.get("b");
    model.set("a", b); model.set("b", a); model.save_changes();
    pickers.a.select.value = b; pickers.b.select.value = a; draw();
  } });

  function draw() {
    // the widget's own language, which the page's need not be (a notebook's page is English): a screen reader reads the widget's words in it
    root.lang = model.get("lang");
    const data = model.get("_data");
    const a = model.get("a"), b = model.get("b");
    pickers.a.select.value = a; pickers.b.select.value = b;
    if (!data.facts[a] || !data.facts[b]) { out.replaceChildren(); say(status, ""); return; }
    let message = null;
    if (a === b) message = data.ui.widgets.same;
    else if (a.includes(".") !== b.includes(".")) message = data.ui.widgets.mixed;
    if (message) { out.replaceChildren(h("p", { class: "smtpteach-message", text: message })); say(status, started ? message : ""); return; }
    const c = assemble(compareFacts(data, a), compareFacts(data, b), data.ui, model.get("lang"));
    out.replaceChildren(renderComparison(c));
    say(status, started ? c.summary : "");
  }

  form.append(picker("a", "code_a"), swap, picker("b", "code_b"));
  root.append(form, status, out);
  fillOptions();
  draw();
  el.replaceChildren(root);
  started = true;
  const redraw = () => { fillOptions(); draw(); };
  model.on("change:_data", redraw);
  model.on("change:a", draw);
  model.on("change:b", draw);
  return () => { model.off("change:_data", redraw); model.off("change:a", draw); model.off("change:b", draw); };
}

export default { render };
