// smtpteach's widget host for static pages: no kernel, no CDN, no network.
//
// myst-nb saves each page's widget state in a
// <script type="application/vnd.jupyter.widget-state+json"> tag and marks where
// each widget goes with <script type="application/vnd.jupyter.widget-view+json">.
// Every smtpteach widget is an anywidget, whose state carries its front-end
// module (_esm) and stylesheet (_css). This script gives each view a small
// model over the saved state (get/set/on/off/save_changes) and calls the
// module's render({model, el}): everything a reader can change then runs in
// the page, from the saved data. A classic script, so it also runs from file://.
// It marks "smtpteach:ready" in the page's performance timeline when every
// widget has rendered.
(function () {
  "use strict";
  var STATE = "application/vnd.jupyter.widget-state+json";
  var VIEW = "application/vnd.jupyter.widget-view+json";
  var modules = new Map();
  var styles = new Set();

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

  // Our modules have no imports and end in "export default {...}", so they can
  // run at once as a function body: no module loading, and it works from file://
  // pages too. Any other module is imported from a blob: URL.
  var SELF_CONTAINED = /^export default /m;
  var HAS_IMPORT = /^\s*import[\s{*]/m;

  function loadModule(source) {
    if (modules.has(source)) return modules.get(source);
    var promise;
    if (SELF_CONTAINED.test(source) && !HAS_IMPORT.test(source)) {
      promise = new Promise(function (resolve) {
        resolve({ default: new Function(source.replace(SELF_CONTAINED, "return "))() });
      });
    } else {
      var url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      promise = import(url).finally(function () { URL.revokeObjectURL(url); });
    }
    modules.set(source, promise);
    return promise;
  }

  function addStyle(css) {
    if (!css || styles.has(css)) return;
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
    if (!entry || entry.model_name !== "AnyModel" || !entry.state || !entry.state._esm) {
      el.textContent = "This output needs a running Python kernel.";
      el.className += " smtpteach-widget-missing";
      return Promise.resolve();
    }
    addStyle(entry.state._css);
    var model = makeModel(entry.state);
    return loadModule(entry.state._esm).then(function (mod) {
      mark("module");
      var widget = mod.default || mod;
      if (typeof widget === "function") widget = widget();
      return Promise.resolve(widget.initialize && widget.initialize({ model: model })).then(function () {
        return widget.render({ model: model, el: el });
      });
    }).catch(function (error) {
      el.textContent = "This widget could not start: " + error;
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
