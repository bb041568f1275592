// Shared helpers of smtpteach's widget modules: building DOM without
// innerHTML (every string is set as text, so nothing needs escaping), ids
// derived from content, keeping the keyboard focus across redraws, telling a
// screen reader what changed, and a model wrapper.

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {  // rows of [dt, dd] pairs nest two deep
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Page-wide counter so two identical widgets on one page still get unique ids;
// the order of widgets on a page is fixed, so the ids are too.
const SMTPTEACH_IDS = (globalThis.__smtpteachIds = globalThis.__smtpteachIds || {});
function uniqueId(base) {
  const n = (SMTPTEACH_IDS[base] = (SMTPTEACH_IDS[base] || 0) + 1);
  return n === 1 ? base : `${base}-${n}`;
}

function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

// Where the site's root is, on a Sphinx page (data-content_root), or null in Jupyter.
function contentRoot() {
  const root = typeof document !== "undefined" && document.documentElement.dataset.content_root;
  return root === undefined || root === null ? null : root;
}

// The folders of reference pages the site has ("reference/codes/ vi/reference/codes/ ..."), which the Sphinx
// extension names in a meta tag of each page with widgets: a site without generated pages has none, and a link
// to a code's page there would lead nowhere. No such tag (a page the extension did not write): no pages.
function sitePages() {
  const meta = typeof document !== "undefined" && document.querySelector('meta[name="smtpteach-pages"]');
  return meta ? meta.getAttribute("content").split(/\s+/).filter(Boolean) : [];
}

// Drawing again replaces elements, and when the focused element is removed the
// focus falls to <body>. So each control that can take focus carries a
// data-focus key naming the same control on every render ("next", "choice-2"),
// and keepFocus(root, draw, fallbacks) draws, then gives the focus back to the
// control with the key that had it, or, if that control is gone or disabled,
// to the first of fallbacks(key) that is there and enabled. Focus outside root
// is left alone.
function keepFocus(root, draw, fallbacks) {
  const before = document.activeElement;
  const key = before && root.contains(before) ? before.getAttribute("data-focus") : null;
  draw();
  if (key === null || (before.isConnected && !before.disabled)) return;
  const controls = Array.from(root.querySelectorAll("[data-focus]"));
  for (const wanted of [key].concat(fallbacks ? fallbacks(key) : [])) {
    const control = controls.find((c) => c.getAttribute("data-focus") === wanted && !c.disabled);
    if (control) { control.focus(); return; }
  }
}

// A live region (role="status", or aria-live="polite") is created once, empty or
// already filled before the widget enters the page, and then only its text
// changes: a screen reader reads the new text when the reader pauses. Writing
// the same text again could read it again, so say() writes only a change.
function say(region, text) {
  if (region.textContent !== text) region.textContent = text;
}

function update(model, name, value) {
  model.set(name, value);
  model.save_changes();
}

function renderComparison(c) {
  const base = `smtpteach-compare-${slug(c.a)}-vs-${slug(c.b)}-${c.lang}`;
  const root = contentRoot();
  const article = h("article", { class: "smtpteach-compare", lang: c.lang, "aria-label": c.title },
    h("h3", { text: c.title }),
    h("p", { class: "smtpteach-summary", text: c.summary }));
  for (const s of c.sections) {
    const dl = h("dl");
    for (const key of ["description", "when", "fix"]) {
      dl.append(h("dt", { class: `smtpteach-${key}`, text: c.headings[key] }), h("dd", { text: s[key] }));
    }
    article.append(h("section", { class: "smtpteach-code" }, h("h4", { text: `${s.code} ${s.name}` }), dl));
  }
  const ol = h("ol");
  for (const d of c.differences) {
    ol.append(h("li", { class: d.similarity ? "smtpteach-similarity" : "smtpteach-difference", "data-kind": d.kind, text: d.text }));
  }
  article.append(h("section", { class: "smtpteach-differences" }, h("h4", { text: c.headings.differences }), ol));
  article.append(h("section", { class: "smtpteach-which" }, h("h4", { text: c.headings.which }),
    h("ul", {}, c.when_to_use.map((w) => h("li", { text: w })))));
  const links = h("ul");
  const pages = root === null ? [] : sitePages();
  for (const link of c.learn_more) {
    const external = /^https?:/.test(link.url);
    // no site to link to inside Jupyter, and no page for the code on a site without reference pages
    if (!external && !pages.some((folder) => link.url.startsWith(folder))) continue;
    links.append(h("li", {}, h("a", { href: external ? link.url : root + link.url, text: link.label })));
  }
  article.append(h("section", { class: "smtpteach-learn-more" }, h("h4", { text: c.headings.learn_more }), links));
  article.dataset.pair = `${c.a}-vs-${c.b}`;
  article.id = uniqueId(base);
  return article;
}
