/* The editor's desk, progressively enhanced: a Markdown toolbar, the live preview (the
   server renders the piece as its page will be, 500 ms after the last keystroke), autosave
   of drafts, the view-as switch and one-click decisions on the machine's reading without
   leaving the page. Without JavaScript every one of these is a plain form or link. */
(function () {
  "use strict";
  var editor = document.getElementById("editor");
  var FETCH = { "X-Requested-With": "fetch" };

  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  /* -- toolbar ------------------------------------------------------------------------ */
  var MARKS = {
    heading: ["\n## ", "", "Heading"], bold: ["**", "**", "bold"], italic: ["*", "*", "italic"],
    link: ["[", "](https://)", "link text"], quote: ["\n> ", "", "Quoted text"],
    list: ["\n- ", "", "Item"], figure: ["\n\n{{figure ", "}}\n\n", "map"]
  };
  function wrap(area, kind) {
    var m = MARKS[kind], start = area.selectionStart, end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || m[2];
    if (kind === "list" || kind === "quote") {
      chosen = chosen.split("\n").join("\n" + m[0].trim() + " ");
    }
    area.setRangeText(m[0] + chosen + m[1], start, end, "end");
    area.selectionStart = start + m[0].length;
    area.selectionEnd = area.selectionStart + chosen.length;
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  if (editor) {
    var area = editor.querySelector("textarea[name=body]");
    var toolbar = editor.querySelector(".desk-toolbar");
    if (toolbar && area) {
      toolbar.hidden = false;
      toolbar.addEventListener("click", function (e) {
        var b = e.target.closest("button[data-md]");
        if (b) { e.preventDefault(); wrap(area, b.dataset.md); }
      });
    }
    editor.querySelectorAll("[data-no-js]").forEach(function (b) { b.hidden = true; });

    /* -- live preview ----------------------------------------------------------------- */
    var pane = document.getElementById("preview");
    var words = editor.querySelector("[data-words]");
    var reading = editor.querySelector("[data-reading]");
    var saved = editor.querySelector("[data-saved]");
    var sent = 0;
    function refresh() {
      var n = ++sent;
      fetch(editor.dataset.preview, { method: "POST", body: new FormData(editor), headers: FETCH })
        .then(function (r) {
          return r.text().then(function (html) { return { r: r, html: html }; });
        })
        .then(function (x) {
          if (n !== sent) return; // a later keystroke's preview is on its way
          if (!x.r.ok) { pane.dataset.error = x.html; return; }
          delete pane.dataset.error;
          pane.innerHTML = x.html;
          var w = x.r.headers.get("X-Words");
          if (words && w !== null) words.textContent = w + " words";
          if (reading) reading.textContent = x.r.headers.get("X-Reading") || reading.textContent;
        });
    }
    var refreshSoon = debounce(refresh, 500);

    /* -- autosave (drafts only; the server refuses the rest) -------------------------- */
    var dirty = false;
    var saveSoon = debounce(function () {
      if (!editor.dataset.autosave) return;
      dirty = false;
      if (saved) saved.textContent = "Saving…";
      fetch(editor.dataset.autosave, { method: "POST", body: new FormData(editor), headers: FETCH })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!saved) return;
          saved.textContent = data.error ? "Not saved: " + data.error : "Saved " + data.saved;
          saved.classList.toggle("desk-saved-error", Boolean(data.error));
        })
        .catch(function () { if (saved) saved.textContent = "Not saved: the server did not answer"; });
    }, 2000);

    function changed() { dirty = true; refreshSoon(); saveSoon(); }
    editor.addEventListener("input", changed);
    editor.addEventListener("change", changed);
    editor.addEventListener("submit", function () { dirty = false; });
    // leaving within the autosave pause: the last words are sent anyway
    window.addEventListener("pagehide", function () {
      if (dirty && editor.dataset.autosave && navigator.sendBeacon) {
        navigator.sendBeacon(editor.dataset.autosave, new FormData(editor));
      }
    });

    /* -- view as: the switch re-renders the preview in place -------------------------- */
    var switcher = editor.querySelector(".desk-preview .view-as");
    if (switcher) {
      switcher.addEventListener("click", function (e) {
        var a = e.target.closest("a");
        if (!a) return;
        e.preventDefault();
        var as = new URL(a.href).searchParams.get("as") || "";
        editor.dataset.preview = editor.dataset.preview.split("?")[0] + (as ? "?as=" + as : "");
        switcher.querySelectorAll("a").forEach(function (el) {
          if (el === a) el.setAttribute("aria-current", "page");
          else el.removeAttribute("aria-current");
        });
        history.replaceState(null, "", a.href);
        refresh();
      });
    }
    document.addEventListener("desk:reading-changed", refresh);
  }

  /* -- map figure: the layers checked and the map drawn as they are typed ------------- */
  var mapForm = document.getElementById("map-form");
  if (mapForm && mapForm.dataset.check) {
    var list = mapForm.querySelector("[data-problems]");
    var ok = mapForm.querySelector("[data-ok]");
    var drawn = mapForm.querySelector("[data-map-preview]");
    var asked = 0;
    mapForm.querySelectorAll("[data-no-js]").forEach(function (b) { b.hidden = true; });
    var check = debounce(function () {
      var n = ++asked;
      fetch(mapForm.dataset.check, { method: "POST", body: new FormData(mapForm), headers: FETCH })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (n !== asked) return;
          list.innerHTML = "";
          data.problems.forEach(function (p) {
            var li = document.createElement("li");
            li.dataset.field = p.field;
            if (p.line) li.dataset.line = p.line;
            var b = document.createElement("strong");
            b.textContent = p.field;
            li.appendChild(b);
            if (p.line) {  // a button that puts the caret on that line of the layers
              li.appendChild(document.createTextNode(", "));
              var go = document.createElement("button");
              go.type = "button";
              go.className = "desk-goto-line";
              go.dataset.gotoLine = p.line;
              go.textContent = "line " + p.line;
              li.appendChild(go);
            }
            li.appendChild(document.createTextNode(": " + p.message));
            list.appendChild(li);
          });
          ok.hidden = data.problems.length > 0;
          ok.textContent = "No problems: the map below is what readers will see.";
          drawn.innerHTML = data.svg;
        });
    }, 400);
    mapForm.addEventListener("input", check);
    list.addEventListener("click", function (e) {
      var go = e.target.closest("[data-goto-line]");
      var area = mapForm.querySelector("textarea[name=layers]");
      if (!go || !area) return;
      var lines = area.value.split("\n").slice(0, Number(go.dataset.gotoLine) - 1);
      var at = lines.reduce(function (n, l) { return n + l.length + 1; }, 0);
      area.focus();
      area.setSelectionRange(at, at);
      var height = parseFloat(getComputedStyle(area).lineHeight) || 18;
      area.scrollTop = Math.max(0, (lines.length - 2) * height);
    });
  }

  /* -- the machine's reading: one click, the panel redrawn in place ------------------- */
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-desk-action]");
    if (!form) return;
    e.preventDefault();
    var panel = form.closest("[data-desk-panel]");
    fetch(form.action, { method: "POST", body: new FormData(form), headers: FETCH })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (!panel) { location.reload(); return; }
        var box = document.createElement("div");
        box.innerHTML = html;
        var fresh = box.firstElementChild;
        if (fresh) { panel.replaceWith(fresh); }
        document.dispatchEvent(new Event("desk:reading-changed"));
      });
  });

  function findInto(form) {
    var q = form.querySelector("input[name=q]").value.trim();
    var out = form.nextElementSibling;
    if (q.length < 2) { out.innerHTML = ""; return; }
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    fetch(url, { headers: FETCH }).then(function (r) { return r.text(); })
      .then(function (html) { out.innerHTML = html; });
  }
  var pickerTimers = new WeakMap();
  document.addEventListener("input", function (e) {
    var form = e.target.closest("form[data-desk-picker]");
    if (!form) return;
    clearTimeout(pickerTimers.get(form));
    pickerTimers.set(form, setTimeout(function () { findInto(form); }, 250));
  });
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-desk-picker]");
    if (!form) return;
    e.preventDefault();
    findInto(form);
  });
})();
