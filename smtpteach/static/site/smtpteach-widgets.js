// smtpteach's widget host for static pages: no kernel, no CDN, no network, and no code
// made from a string, so it runs under "script-src 'self'" and from file:// pages.
//
// myst-nb saves each page's widget state in a
// <script type="application/vnd.jupyter.widget-state+json"> tag and marks where
// each widget goes with <script type="application/vnd.jupyter.widget-view+json">.
// Every smtpteach widget is an anywidget. The docs build (smtpteach/sphinx/_widgets.py)
// has rewritten its state for the site:
// - _esm is {"smtpteach:module": key}: the module, made a static script that the page
//   loads before this one, registered itself as self.smtpteachModules[key];
// - _css is {"smtpteach:style": file}: a stylesheet the page links;
// - each part of _data that every page shares is {"smtpteach:shared": id}: the part
//   is self.smtpteachShared[id], from the language's data file, loaded once and cached;
// - a part that only some readers need is {"smtpteach:later": file}: loaded from its own
//   file the first time the widget asks for it (the explainer's second tier of rules).
// This script puts _data back together, gives each view a small model over the state
// (get/set/on/off/save_changes) and calls the module's render({model, el}):
// everything a reader can change then runs in the page, from the saved data.
// It marks "smtpteach:ready" in the page's performance timeline when every widget
// has rendered.
(function () {
  "use strict";
  var STATE = "application/vnd.jupyter.widget-state+json";
  var VIEW = "application/vnd.jupyter.widget-view+json";
  var SHARED = "smtpteach:shared";
  var MODULE = "smtpteach:module";
  var LATER = "smtpteach:later";
  var styles = new Set();
  // this script's own address: the files loaded later sit in the same folder (_static), whatever the page's
  var here = document.currentScript ? document.currentScript.src : location.href;
  var later = {};

  // A part of _data that only some readers need, {"smtpteach:later": file}: a classic script under _static
  // that adds it to self.smtpteachLater[file]. The widget gets a promise-like stand-in; the file is loaded
  // the first time the widget asks (with then), once per page.
  function loadLater(file) {
    if (!later[file]) {
      later[file] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL(file, here).href;
        tag.onload = function () {
          var parts = self.smtpteachLater || {};
          if (Object.prototype.hasOwnProperty.call(parts, file)) resolve(parts[file]);
          else reject(new Error("the widget data did not load (" + file + ")"));
        };
        tag.onerror = function () {
          delete later[file];  // the next ask tries again (a network error, a file a new deploy replaced)
          tag.remove();
          reject(new Error("the widget data did not load (" + file + ")"));
        };
        document.head.appendChild(tag);
      });
    }
    return later[file];
  }

  function makeModel(initial) {
    var values = Object.assign({}, initial);
    var handlers = {};
    return {
      get: function (name) { return values[name]; },
      set: function (name, value) {
        var old = values[name];
        values[name] = value;
        if (old !== value) (handlers["change:" + name] || []).slice().forEach(function (fn) { fn({ name: name, old: old, new: value }); });
      },
      on: function (event, fn) { (handlers[event] = handlers[event] || []).push(fn); },
      off: function (event, fn) {
        if (!event) { handlers = {}; return; }
        handlers[event] = (handlers[event] || []).filter(function (f) { return fn && f !== fn; });
      },
      save_changes: function () {},  // no kernel to save to
      send: function () {},
      widget_manager: {},
    };
  }

  function isRef(value, key) {
    return value !== null && typeof value === "object" && !Array.isArray(value) &&
      typeof value[key] === "string" && Object.keys(value).length === 1;
  }

  // The page's own _data with every shared part put back. References sit in objects
  // (a top-level part, or a section of "ui"), never in arrays.
  function joined(value) {
    if (isRef(value, LATER)) {
      var file = value[LATER];
      return { then: function (ok, fail) { return loadLater(file).then(ok, fail); } };
    }
    if (isRef(value, SHARED)) {
      var shared = self.smtpteachShared || {};
      if (!Object.prototype.hasOwnProperty.call(shared, value[SHARED])) {
        throw new Error("the shared widget data did not load (part " + value[SHARED] + ")");
      }
      return shared[value[SHARED]];
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    var out = {};
    Object.keys(value).forEach(function (key) { out[key] = joined(value[key]); });
    return out;
  }

  function addStyle(css) {
    // a stylesheet the page does not link (a widget that is not smtpteach's)
    if (typeof css !== "string" || !css || styles.has(css)) return;
    styles.add(css);
    var tag = document.createElement("style");
    tag.textContent = css;
    document.head.appendChild(tag);
  }

  function mount(viewTag, state) {
    var el = document.createElement("div");
    el.className = "smtpteach-widget-host";
    viewTag.replaceWith(el);
    var model_id;
    try { model_id = JSON.parse(viewTag.textContent).model_id; } catch (e) { return Promise.resolve(); }
    var entry = state[model_id];
    if (!entry || entry.model_name !== "AnyModel" || !entry.state || !isRef(entry.state._esm, MODULE)) {
      el.textContent = "This output needs a running Python kernel.";
      el.className += " smtpteach-widget-missing";
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      var widget = (self.smtpteachModules || {})[entry.state._esm[MODULE]];
      if (!widget) throw new Error("its module did not load (" + entry.state._esm[MODULE] + ")");
      addStyle(entry.state._css);
      var model = makeModel(Object.assign({}, entry.state, { _data: joined(entry.state._data) }));
      mark("module");
      if (typeof widget === "function") widget = widget();
      resolve(Promise.resolve(widget.initialize && widget.initialize({ model: model })).then(function () {
        return widget.render({ model: model, el: el });
      }));
    }).catch(function (error) {
      el.textContent = "This widget could not start: " + error.message;
      throw error;
    });
  }

  function mark(name) {
    if (window.performance && performance.mark) performance.mark("smtpteach:" + name);
  }

  function start() {
    mark("start");
    var tag = document.querySelector('script[type="' + STATE + '"]');
    if (!tag) return;
    var state;
    try { state = JSON.parse(tag.textContent).state || {}; } catch (e) { return; }
    mark("state");
    var views = Array.prototype.slice.call(document.querySelectorAll('script[type="' + VIEW + '"]'));
    Promise.all(views.map(function (view) { return mount(view, state); })).then(function () {
      mark("ready");
      document.documentElement.dataset.smtpteachWidgets = "ready";
    }, function () {
      document.documentElement.dataset.smtpteachWidgets = "error";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
