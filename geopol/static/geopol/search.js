// Suggestions as you type, for every search box that names its endpoint in data-suggest.
// Without JavaScript the boxes are plain forms; this only adds a list of links under them.
(function () {
  "use strict";
  var KINDS = { region: "Region", country: "Country", actor: "Actor", place: "Place", topic: "Topic", author: "Analyst", article: "Analysis" };

  function attach(input) {
    var list = document.createElement("ul");
    var timer = null;
    var last = "";
    var active = -1;
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.style.position = "relative";
    input.parentNode.appendChild(list);

    function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); }

    function show(items) {
      while (list.firstChild) list.removeChild(list.firstChild);
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        var kind = document.createElement("span");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        a.href = item.url;
        a.textContent = item.label;
        kind.className = "kind";
        kind.textContent = KINDS[item.kind] || item.kind;
        a.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (q.length < 2) { close(); return; }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) show(data.suggestions || []); })
        .catch(close);
    }

    function move(step) {
      var options = list.querySelectorAll("li");
      if (!options.length) return;
      if (active >= 0) options[active].classList.remove("active");
      active = (active + step + options.length) % options.length;
      options[active].classList.add("active");
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
