// smtpteach's pages: a code block, an output or a table that scrolls can be
// scrolled by keyboard. Each one that does scroll (and has no link or control
// inside to take the focus) becomes a tab stop, a group named in the page's
// language ("Code", "Output", "Table": the <meta name="smtpteach-scroll-labels">
// tag that smtpteach/sphinx/_a11y.py writes). A block that stops scrolling when
// the window grows is left as it was. A static classic script: it runs under
// script-src 'self' and from file:// pages.
(function () {
  "use strict";
  var BLOCKS = "pre, .table-wrapper";
  var MARK = "data-smtpteach-scroll";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var labels = null;

  function names() {
    if (labels) return labels;
    var meta = document.querySelector('meta[name="smtpteach-scroll-labels"]');
    try { labels = JSON.parse(meta ? meta.getAttribute("content") : "{}") || {}; } catch (e) { labels = {}; }
    return labels;
  }

  function scrolls(el) {
    var style = getComputedStyle(el);
    var x = /auto|scroll/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    var y = /auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return x || y;
  }

  function kind(el) {
    if (el.matches(".table-wrapper")) return "table";
    return el.closest(".cell_output, .output") ? "output" : "code";
  }

  function update() {
    var blocks = document.querySelectorAll(BLOCKS);
    for (var i = 0; i < blocks.length; i++) {
      var el = blocks[i];
      var ours = el.hasAttribute(MARK);
      if (!ours && el.hasAttribute("tabindex")) continue;  // someone else's: leave it
      if (scrolls(el) && !el.querySelector(FOCUSABLE)) {
        if (ours) continue;
        el.setAttribute(MARK, "");
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "group");  // not a landmark: a page has dozens
        el.setAttribute("aria-label", names()[kind(el)] || names().code || "");
      } else if (ours) {
        ["tabindex", "role", "aria-label", MARK].forEach(function (name) { el.removeAttribute(name); });
      }
    }
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; update(); });
  }

  // at DOMContentLoaded, after every deferred script (the widgets' host renders its widgets then): one
  // layout of the whole page with its widgets in it, rather than one before them that they then undo
  if (document.readyState === "complete") update();
  else document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("load", update);  // images and fonts can change what overflows
  window.addEventListener("resize", later);
})();
