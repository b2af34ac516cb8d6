// SPPT progressive enhancement. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // <button data-confirm="Batalkan booking?"> or <form data-confirm="…">:
  // ask before a destructive action; without JS the action runs directly.
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM") return;
    if (!window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
  });
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.hasAttribute && f.hasAttribute("data-confirm") && !window.confirm(f.getAttribute("data-confirm"))) {
      e.preventDefault();
    }
  });
  // Home page: filter the offices as one types (the form's GET does the
  // same without JS). Every word must appear; provinces with a match open.
  var q = document.querySelector("[data-office-filter]");
  if (q) q.addEventListener("input", function () {
    var words = q.value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean);
    var any = false;
    document.querySelectorAll(".province").forEach(function (g) {
      var n = 0;
      g.querySelectorAll(".office-item").forEach(function (o) {
        var text = o.getAttribute("data-search");
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        o.hidden = !hit;
        if (hit) n++;
      });
      g.hidden = n === 0;
      if (words.length && n) g.open = true;
      any = any || n > 0;
    });
    var none = document.querySelector("[data-office-none]");
    if (none) none.hidden = any;
  });
})();