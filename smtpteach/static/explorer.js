// ExplorerWidget: filter the catalogue by kind, class, category, status and
// enhanced subject, search it, and read one entry. Choosing a result redraws
// the list; the focus stays on that result, which a screen reader hears as
// pressed. The count of results is a status line: a reader hears it change
// as the filters and the search narrow the list.

function fold(text) {
  return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
}

// entry: one of _data.entries; text: its prose, _data.texts[entry.code] (the object the compare widget carries too)
function matches(entry, text, f) {
  if (f.kind && entry.kind !== f.kind) return false;
  if (f.reply_class && entry.class !== f.reply_class) return false;
  if (f.category && entry.category !== f.category) return false;
  if (f.status && entry.status !== f.status) return false;
  if (f.subject && entry.subject !== f.subject) return false;
  if (f.query) {
    const hay = fold([entry.code, text.name, entry.title || "", text.description, text.when, text.fix].join(" "));
    return fold(f.query).split(/\s+/).filter(Boolean).every((word) => hay.includes(word));
  }
  return true;
}

function render({ model, el }) {
  const uid = uniqueId(`smtpteach-exp-${model.get("_uid")}`);
  const root = h("div", { class: "smtpteach-widget smtpteach-explorer-widget" });
  const controls = h("div", { class: "smtpteach-controls", role: "search" });
  const count = h("p", { class: "smtpteach-count", id: `${uid}-count`, role: "status" });
  const list = h("ul", { class: "smtpteach-results", "aria-labelledby": `${uid}-count` });
  const detail = h("div", { class: "smtpteach-detail" });
  const fields = {};
  const FILTERS = ["kind", "reply_class", "category", "status", "subject"];

  function select(name) {
    const id = `${uid}-${name}`;
    const s = h("select", { id, "data-focus": name, onchange: () => { update(model, name, s.value); draw(); } });
    fields[name] = { input: s, label: h("label", { for: id }) };
    return h("div", { class: "smtpteach-field" }, fields[name].label, s);
  }

  function build() {
    const data = model.get("_data");
    const ui = data.ui, w = ui.widgets, L = ui.labels;
    const options = {
      kind: [["basic", w.kind_basic], ["enhanced", w.kind_enhanced]],
      reply_class: Object.entries(data.topics.classes).map(([d, n]) => [d, `${d}xx ${n}`]),
      category: Object.entries(data.topics.categories).map(([d, n]) => [d, `x${d}z ${n}`]),
      status: Object.entries(ui.status_short),
      subject: Object.entries(data.topics.subjects).map(([d, n]) => [d, `X.${d} ${n}`]),
    };
    const labels = { kind: w.kind, reply_class: L.class, category: L.category, status: L.status, subject: L.subject };
    for (const name of FILTERS) {
      fields[name].label.textContent = labels[name];
      fields[name].input.replaceChildren(h("option", { value: "", text: w.any }), ...options[name].map(([v, t]) => h("option", { value: v, text: t })));
      fields[name].input.value = model.get(name);
    }
    fields.query.label.textContent = w.search;
    fields.query.input.placeholder = w.search_placeholder;
    fields.query.input.value = model.get("query");
  }

  function showEntry(code) {
    const data = model.get("_data");
    const entry = data.entries.find((e) => e.code === code);
    if (!entry) { detail.replaceChildren(); return; }
    const text = data.texts[entry.code];
    // the registry's title is English whatever the widget's language: a screen reader speaks it so
    const foreign = model.get("lang") !== "en";
    const dl = h("dl", { class: "smtpteach-facts" }, entry.facts.map(([label, value]) => [h("dt", { text: label }),
      h("dd", foreign && label === data.ui.labels.title ? { lang: "en", text: value } : { text: value })]));
    const w = data.ui.widgets;
    const heading = fill(entry.code.includes(".") ? w.entry_enhanced : w.entry_basic, { code: entry.code, name: text.name });
    const parts = ["description", "when", "fix"].map((key) => h("section", { class: `smtpteach-${key}` }, h("h4", { text: data.ui.headings[key] }), h("p", { text: text[key] })));
    detail.replaceChildren(h("article", { class: "smtpteach-entry", id: uniqueId(`${uid}-entry-${slug(code)}`) }, h("h3", { text: heading }), dl, parts));
  }

  // a result the filters have hidden hands the focus to the selected one, the
  // first one, or the search field
  function fallbacks() {
    const first = list.querySelector("[data-focus]");
    return [`result-${model.get("selected")}`].concat(first ? [first.getAttribute("data-focus")] : [], ["query"]);
  }

  function paint() {
    const data = model.get("_data");
    const f = {};
    for (const name of FILTERS.concat(["query"])) f[name] = model.get(name);
    const shown = data.entries.filter((e) => matches(e, data.texts[e.code], f));
    say(count, shown.length ? fill(data.ui.widgets.results, { count: String(shown.length) }) : data.ui.widgets.no_results);
    const selected = model.get("selected");
    list.replaceChildren(...shown.map((e) => h("li", {},
      h("button", { type: "button", class: "smtpteach-result", "aria-pressed": e.code === selected ? "true" : "false", "data-code": e.code,
        "data-focus": `result-${e.code}`, onclick: () => { update(model, "selected", e.code); draw(); } },
        h("span", { class: "smtpteach-code-label", text: e.code }), " ", data.texts[e.code].name))));
    showEntry(selected);
    const codes = shown.map((e) => e.code);
    const old = model.get("results") || [];
    if (old.length !== codes.length || old.some((c, i) => c !== codes[i])) update(model, "results", codes);
  }

  function draw() {
    // the widget's own language, which the page's need not be (a notebook's page is English): a screen reader reads the widget's words in it
    root.lang = model.get("lang");
    keepFocus(root, paint, fallbacks);
  }

  for (const name of FILTERS) controls.append(select(name));
  const qid = `${uid}-query`;
  const query = h("input", { id: qid, type: "search", "data-focus": "query", oninput: () => { update(model, "query", query.value); draw(); } });
  fields.query = { input: query, label: h("label", { for: qid }) };
  controls.append(h("div", { class: "smtpteach-field smtpteach-field-wide" }, fields.query.label, query));
  root.append(controls, count, h("div", { class: "smtpteach-columns" }, list, detail));
  build();
  draw();  // before the widget enters the page: its first count is not announced
  el.replaceChildren(root);
  const rebuild = () => { build(); draw(); };
  const events = ["change:_data"];
  model.on("change:_data", rebuild);
  const redraw = () => { for (const name of FILTERS) fields[name].input.value = model.get(name); query.value = model.get("query"); draw(); };
  for (const name of FILTERS.concat(["query", "selected"])) model.on(`change:${name}`, redraw);
  return () => { model.off("change:_data", rebuild); for (const name of FILTERS.concat(["query", "selected"])) model.off(`change:${name}`, redraw); };
}

export default { render };
