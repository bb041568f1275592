// smtpteach's additions to its JupyterLite copy of the lessons. tools/lite.py puts this file at the root of the
// JupyterLite folder (<site>/lite/) and a <script src> to it in each of JupyterLite's app pages, with the words
// and the list of lessons in a <meta name="smtpteach-lite"> tag. A static classic script, as the site's own:
// nothing inline.
//
// 1. Links to the site's pages. A lesson links a how-to page as MyST does, from the root of the docs
//    ("/howto/compare-codes.md"). The Sphinx site resolves that; JupyterLab leaves a link that starts with "/"
//    alone, so the browser went to the root of the host. Each such link, as JupyterLab draws the lesson's
//    markdown (lazily, cell by cell: hence a MutationObserver), goes instead to the page's HTML on the site this
//    JupyterLite is part of, found from this script's own URL (the site is <site>/lite/../), whatever path the
//    site is served under; it opens in a new tab, and the lesson stays open.
//
// 2. The learner's own copy. JupyterLite keeps a notebook saved in the browser (Ctrl+S, or its autosave) in
//    IndexedDB (localforage: the database "JupyterLite Storage - <lite path>", its store "files", keyed by the
//    notebook's path), and from then on opens that copy instead of the lesson the site serves. When the lesson
//    opened (?path=en/03-....ipynb) is such a copy, and its cells are not those of the lesson as the site
//    publishes it now (the learner's edits, or a newer lesson), a notice says so in the lesson's language, with
//    a link to the lesson as published: smtpteach-published.html renames the copy (its checkpoints with it) to
//    "03-... (my copy).ipynb" in the same folder, before any JupyterLite app has the lesson open, then opens
//    the lesson again, which now comes from the site; a notice there names the copy and links to it.
(function () {
  "use strict";
  var script = document.currentScript;
  var LITE = new URL("./", script.src);  // <site>/lite/
  var SITE = new URL("../", LITE);
  var DATABASE = "JupyterLite Storage - " + LITE.pathname;  // the contents drive's default name (services-extension)
  var KEPT = "smtpteach-lite-kept";  // sessionStorage: the copy just renamed, for the notice after it
  var config = readConfig();

  function readConfig() {
    var meta = document.querySelector('meta[name="smtpteach-lite"]');
    try { return JSON.parse(meta.getAttribute("content")); } catch (e) { return {lessons: [], texts: {}}; }
  }

  function fill(template, slots) {
    return template.replace(/\{([a-z_]+)\}/g, function (whole, name) { return name in slots ? slots[name] : whole; });
  }

  // -- 1. links to the site's pages ------------------------------------------------------------------------
  var ROOT_LINK = /^\/(?!\/)([^?#]*)\.(?:md|ipynb)(#.*)?$/;
  var IN_MARKDOWN = ".jp-RenderedHTMLCommon a[href^='/']";

  function mendLink(a) {
    var found = ROOT_LINK.exec(a.getAttribute("href"));
    if (!found) return;
    a.setAttribute("href", new URL(found[1] + ".html" + (found[2] || ""), SITE).href);
    a.target = "_blank";
    a.rel = "noopener";
  }

  function mendLinks(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(IN_MARKDOWN)) mendLink(node);
    var found = node.querySelectorAll(IN_MARKDOWN);
    for (var i = 0; i < found.length; i++) mendLink(found[i]);
  }

  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) mendLinks(added[j]);
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
  if (document.body) mendLinks(document.body);

  // -- 2. the learner's own copy ---------------------------------------------------------------------------
  function langOf(path) {
    var lang = path.split("/")[0];
    return config.texts[lang] ? lang : "en";
  }

  // The contents drive's database, or null where there is none (nothing was ever saved: none is made here).
  function openDatabase() {
    return new Promise(function (resolve, reject) {
      var request;
      try { request = indexedDB.open(DATABASE); } catch (e) { resolve(null); return; }
      request.onupgradeneeded = function () { request.transaction.abort(); };  // a new database: leave it unmade
      request.onerror = function (event) { event.preventDefault(); resolve(null); };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); };  // JupyterLite adds a store: let it
        if (db.objectStoreNames.contains("files")) { resolve(db); } else { db.close(); resolve(null); }
      };
    });
  }

  function ask(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // The saved copy of `path` (JupyterLite's model of it, or null) and the paths of everything saved, read at once.
  function saved(path) {
    return openDatabase().then(function (db) {
      if (!db) return {item: null, keys: []};
      var files = db.transaction("files").objectStore("files");
      return Promise.all([ask(files.get(path)), ask(files.getAllKeys())]).then(function (found) {
        db.close();
        return {item: found[0] || null, keys: found[1]};
      }, function (error) { db.close(); throw error; });
    });
  }

  // "en/03-x.ipynb" -> "en/03-x (my copy).ipynb", or "(my copy 2)" and on where that is taken.
  function freeName(path, taken, words) {
    var stem = path.replace(/\.ipynb$/, "");
    for (var n = 1; ; n++) {
      var candidate = stem + " (" + words + (n > 1 ? " " + n : "") + ").ipynb";
      if (taken.indexOf(candidate) < 0) return candidate;
    }
  }

  function baseName(path) { return path.split("/").pop(); }

  // Rename the saved copy of `path` in one transaction, as JupyterLite's own rename does, but keeping its
  // checkpoints (their names and paths follow); resolves with the new path, or null where there was no copy.
  function keepCopy(path, words) {
    return openDatabase().then(function (db) {
      if (!db) return null;
      var stores = db.objectStoreNames.contains("checkpoints") ? ["files", "checkpoints"] : ["files"];
      var tx = db.transaction(stores, "readwrite");
      var files = tx.objectStore("files");
      var kept = null;
      var done = new Promise(function (resolve, reject) {
        tx.oncomplete = function () { db.close(); resolve(kept); };
        tx.onabort = tx.onerror = function () { db.close(); reject(tx.error); };
      });
      ask(files.get(path)).then(function (item) {
        if (!item) return;
        return ask(files.getAllKeys()).then(function (keys) {
          kept = freeName(path, keys, words);
          var renamed = function (model) {
            return Object.assign({}, model, {name: baseName(kept), path: kept});
          };
          files.put(renamed(item), kept);
          files.delete(path);
          if (stores.length < 2) return;
          var checkpoints = tx.objectStore("checkpoints");
          return ask(checkpoints.get(path)).then(function (copies) {
            if (!copies) return;
            checkpoints.put(copies.filter(Boolean).map(renamed), kept);
            checkpoints.delete(path);
          });
        });
      });
      return done;
    });
  }

  // What a learner's edit changes and a run of the lesson does not: each cell's type and source, in order.
  function cellsOf(notebook) {
    if (typeof notebook === "string") {
      try { notebook = JSON.parse(notebook); } catch (e) { return null; }
    }
    if (!notebook || !Array.isArray(notebook.cells)) return null;
    return JSON.stringify(notebook.cells.map(function (cell) {
      return [cell.cell_type, Array.isArray(cell.source) ? cell.source.join("") : cell.source];
    }));
  }

  // Whether the saved copy has the cells of the lesson as the site publishes it now. JupyterLite saves a lesson
  // the learner has not changed too (once its kernel has started it counts the notebook as changed, and saves it
  // by itself two minutes later): such a copy hides nothing, and says nothing. Where the lesson cannot be
  // fetched, the copy is taken to differ.
  function samePublished(path, item) {
    var mine = cellsOf(item.content);
    return fetch(new URL("files/" + encodeURIComponent(path).replace(/%2F/g, "/"), LITE), {cache: "no-cache"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (published) { return mine !== null && mine === cellsOf(published); }, function () { return false; });
  }

  function appOf() {
    var here = location.pathname.slice(LITE.pathname.length).split("/")[0];
    return /^(notebooks|lab)$/.test(here) ? here : "notebooks";
  }

  function lessonUrl(app, path) {
    return new URL(app + "/?path=" + encodeURIComponent(path).replace(/%2F/g, "/"), LITE).href;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // A notice in the lesson's language, first in the page (so that the keyboard reaches it first), announced
  // politely once its words are in; resolves then.
  function notice(lang, title, paragraphs, link) {
    var words = config.texts[lang];
    var box = element("div", "smtpteach-lite-notice");
    box.setAttribute("role", "status");
    box.setAttribute("lang", lang);
    document.body.insertBefore(box, document.body.firstChild);
    return new Promise(function (resolve) { setTimeout(resolve, 50); }).then(function () {
      box.appendChild(element("p", "smtpteach-lite-notice-title", title));
      paragraphs.forEach(function (text) { box.appendChild(element("p", "", text)); });
      var actions = element("p", "smtpteach-lite-notice-actions");
      var a = element("a", "", link.text);
      a.href = link.href;
      actions.appendChild(a);
      var hide = element("button", "", words.hide);
      hide.type = "button";
      hide.addEventListener("click", function () { box.remove(); });
      actions.appendChild(hide);
      box.appendChild(actions);
    });
  }

  function when(iso, lang) {
    var date = new Date(iso);
    if (isNaN(date)) return {date: iso, time: ""};
    return {date: date.toLocaleDateString(lang, {day: "numeric", month: "long", year: "numeric"}),
            time: date.toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit"})};
  }

  function onLessonPage(path) {
    var lang = langOf(path);
    var words = config.texts[lang];
    var justKept = null;
    try { justKept = JSON.parse(sessionStorage.getItem(KEPT) || "null"); } catch (e) { /* none */ }
    return saved(path).then(function (found) {
      var app = appOf();
      if (found.item) {
        return samePublished(path, found.item).then(function (same) {
          if (same) return;  // their outputs on the lesson as published: nothing they could miss
          var kept = baseName(freeName(path, found.keys, words.copy_name));
          return notice(lang, words.copy_title,
                 [fill(words.copy_body, when(found.item.last_modified, lang)), fill(words.open_published_keeps, {name: kept})],
                 {text: words.open_published,
                  href: new URL("smtpteach-published.html?" + new URLSearchParams({path: path, app: app}), LITE).href});
        });
      } else if (justKept && justKept.path === path) {
        sessionStorage.removeItem(KEPT);
        return notice(lang, words.published_title, [fill(words.published_body, {name: baseName(justKept.kept)})],
               {text: words.open_copy, href: lessonUrl(app, justKept.kept)});
      }
    }).catch(function (error) { console.warn("smtpteach-lite: could not read the saved lessons:", error); });
  }

  // smtpteach-published.html?path=...&app=...: rename the learner's copy, then open the lesson from the site.
  function onPublishedPage(path, app) {
    var lang = langOf(path);
    var words = config.texts[lang];
    var said = document.getElementById("smtpteach-lite-opening");
    document.documentElement.lang = lang;
    document.title = words.opening;
    said.textContent = words.opening;
    keepCopy(path, words.copy_name).then(function (kept) {
      if (kept) sessionStorage.setItem(KEPT, JSON.stringify({path: path, kept: kept}));
      location.replace(lessonUrl(app, path));
    }, function (error) {
      said.textContent = fill(words.not_moved, {error: String(error && error.message || error)});
      var back = element("a", "", words.back);
      back.href = lessonUrl(app, path);
      said.parentNode.appendChild(element("p")).appendChild(back);
    });
  }

  // data-smtpteach-lite="ready" on <html> once the page has said what it has to say about a saved copy (its
  // notice in place, or none), as the site's widgets say data-smtpteach-widgets="ready"
  function ready() { document.documentElement.dataset.smtpteachLite = "ready"; }

  var params = new URLSearchParams(location.search);
  var path = params.get("path");
  if (!path || config.lessons.indexOf(path) < 0) {
    ready();
  } else if (document.getElementById("smtpteach-lite-opening")) {
    onPublishedPage(path, /^(notebooks|lab)$/.test(params.get("app")) ? params.get("app") : "notebooks");
  } else {
    onLessonPage(path).then(ready, ready);
  }
})();
