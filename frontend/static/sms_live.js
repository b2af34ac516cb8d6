// Backoffice SMS page: keeps the per-day counts and broadcast progress
// current without a reload. Numbers change in place and are never announced
// (a screen reader would hear them every 10 s); the polite status region
// speaks only when the page needs a reload or updates stop. Without this
// file the page is complete and has its Refresh link.
(function () {
  "use strict";
  var root = document.getElementById("sms-live");
  var status = document.getElementById("sms-live-status");
  if (!root || !status || !window.fetch) return;
  var url = root.getAttribute("data-url");
  var every = 10000;
  var timer = null, busy = false;

  function set(el, v) {
    v = String(v);
    if (el && el.textContent !== v) el.textContent = v;
  }
  // say changes the region only when the message changes: one announcement per event.
  function say(key) {
    var text = key ? root.getAttribute(key) : "";
    if (status.textContent === text) return;
    status.textContent = text;
    status.className = text ? "alert alert-info" : "";
  }

  function apply(f) {
    var unseen = false;
    (f.days || []).forEach(function (d) {
      var row = document.querySelector('#sms-days tr[data-day="' + d.day + '"]');
      if (!row) { unseen = true; return; }
      set(row.querySelector('[data-count="sent"]'), d.sent);
      set(row.querySelector('[data-count="failed"]'), d.failed);
      set(row.querySelector('[data-count="queued"]'), d.queued);
    });
    (f.broadcasts || []).forEach(function (b) {
      var item = document.getElementById("broadcast-" + b.id);
      if (!item) { unseen = true; return; }
      set(item.querySelector(".sms-cast-label"), b.label);
      set(item.querySelector(".sms-cast-detail"), b.detail);
      var bar = item.querySelector("progress");
      if (bar) {
        bar.max = b.total || 1;
        bar.value = b.total ? b.done : 1;
        set(bar, b.percent + "%");
      }
    });
    set(document.getElementById("sms-live-updated"), f.updated);
    say(unseen ? "data-new" : "");
  }

  function tick() {
    timer = null;
    if (document.hidden || busy) return; // a hidden page resumes on visibilitychange
    busy = true;
    fetch(url, {headers: {Accept: "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (r) {
        busy = false;
        if (r.status === 401 || r.status === 403) {
          say("data-signed-out");
          return null;
        }
        if (!r.ok) throw new Error(String(r.status));
        return r.json().then(function (f) { apply(f); schedule(); });
      })
      .catch(function () { busy = false; say("data-paused"); schedule(); });
  }
  function schedule() {
    if (timer === null) timer = setTimeout(tick, every);
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null) tick();
  });
  schedule();
})();
