// SPPT lobby TV: live from the office's feed; the call chime and spoken
// number; the ticker at a constant speed. Config: the JSON of #tv-config
// (tv_display.html; a data block, as the CSP runs no inline script).
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("tv-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var tv = $("tv");
  var waiting = {}, quota = null, text = "", today = "", last = [];
  // TickerSpeed is pixels per second, whatever the text's length.
  var TickerSpeed = 100;
  function fmt(tpl, p) { return tpl.replace(/\{(\w+)\}/g, function (_, k) { return p[k] == null ? "" : p[k]; }); }

  function renderWaiting() {
    var total = 0, items = $("tv-waiting").querySelectorAll("li");
    for (var i = 0; i < items.length; i++) {
      var n = Math.max(0, waiting[items[i].getAttribute("data-service")] || 0);
      items[i].querySelector("strong").textContent = n;
      total += n;
    }
    $("tv-total").textContent = total;
  }
  // renderNext lists each group's next numbers, each with its expected
  // wait in minutes when the queue could forecast it.
  function renderNext(next, waits, fresh) {
    var items = $("tv-waiting").querySelectorAll("li");
    for (var i = 0; i < items.length; i++) {
      var svc = items[i].getAttribute("data-service");
      var list = next[svc] || [];
      var nw = items[i].querySelector(".tv-new-wait");
      if (nw) nw.textContent = fresh && fresh[svc] !== undefined ? cfg.newWait.replace("{minutes}", fresh[svc]) : "";
      var out = items[i].querySelector(".tv-next-list");
      out.textContent = list.length ? "" : cfg.noNext;
      for (var k = 0; k < list.length; k++) {
        var span = document.createElement("span");
        span.className = "tv-next-number";
        span.textContent = (k ? " " : "") + list[k];
        if (waits && waits[list[k]] !== undefined) {
          var small = document.createElement("small");
          small.textContent = " " + cfg.minutes.replace("{minutes}", waits[list[k]]);
          span.appendChild(small);
        }
        out.appendChild(span);
      }
    }
  }
  // The next numbers change with every call and ticket: fetch them once
  // things settle, not once per event.
  var nextTimer = null;
  function refreshNext() {
    clearTimeout(nextTimer);
    nextTimer = setTimeout(function () {
      fetch(cfg.next, {headers: {Accept: "application/json"}}).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (b) { if (b) renderNext(b.next || {}, b.waits || {}, b.new_wait || {}); }).catch(function () {});
    }, 300 + Math.random() * 700);
  }
  // pace sets the ticker's duration from its width: the same speed for a
  // short line and a long one.
  function pace() {
    var span = $("tv-ticker");
    var px = span.offsetWidth; // its padding (one screen width) plus the text
    if (px > 0) span.style.animationDuration = (px / TickerSpeed).toFixed(2) + "s";
  }
  function renderTicker() {
    var parts = [cfg.name, today];
    if (quota && (quota.online.capacity + quota.walkin.capacity) > 0) {
      parts.push(fmt(cfg.rtOnline, quota.online), fmt(cfg.rtWalkin, quota.walkin));
    }
    if (text) parts.push(text);
    $("tv-ticker").textContent = parts.join(" | ");
    pace();
  }
  function renderLast() {
    var body = $("tv-last"); body.textContent = "";
    last.slice(1, 8).forEach(function (c) {
      var tr = document.createElement("tr");
      [c.ticket, c.booth].forEach(function (v) { var td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
      body.appendChild(tr);
    });
  }
  function show(c) {
    $("tv-number").textContent = c.ticket;
    $("tv-booth").textContent = fmt(cfg.boothN, {booth: c.booth});
    var panel = $("tv-number").closest(".tv-panel");
    panel.classList.remove("tv-called"); void panel.offsetWidth; panel.classList.add("tv-called");
  }

  // Sound: a two-tone chime (Web Audio), then the spoken number. An enrolled
  // display whose browser lets it play (Chromium started with
  // --autoplay-policy=no-user-gesture-required) plays without a click;
  // otherwise a button switches sound on.
  var AC = window.AudioContext || window.webkitAudioContext;
  var audio = null, soundOn = false;
  try { if (AC) audio = new AC(); } catch (e) { audio = null; }
  var speech = window.speechSynthesis, spoken = [], speaking = false;
  function setSound(on) {
    soundOn = on;
    tv.setAttribute("data-sound", on ? "on" : "off");
  }
  function chime() {
    if (!audio) return;
    var t0 = audio.currentTime;
    [[659.25, 0], [523.25, 0.45]].forEach(function (n) {
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = n[0];
      g.gain.setValueAtTime(0.0001, t0 + n[1]);
      g.gain.exponentialRampToValueAtTime(0.4, t0 + n[1] + 0.03);
      g.gain.exponentialRampToValueAtTime(0.0001, t0 + n[1] + 0.9);
      o.connect(g); g.connect(audio.destination);
      o.start(t0 + n[1]); o.stop(t0 + n[1] + 1);
    });
    tv.setAttribute("data-chimes", String(Number(tv.getAttribute("data-chimes")) + 1));
  }
  function speakNext() {
    if (speaking || !spoken.length || !speech) return;
    var u = new SpeechSynthesisUtterance(spoken.shift());
    u.lang = cfg.lang === "en" ? "en-US" : "id-ID"; u.rate = 0.9;
    speaking = true;
    u.onend = u.onerror = function () { speaking = false; setTimeout(speakNext, 400); };
    speech.speak(u);
  }
  function announce(c) {
    if (!soundOn) return;
    chime();
    spoken.push(fmt(cfg.spoken, {ticket: c.ticket.split("").join(" "), booth: c.booth}));
    setTimeout(speakNext, 1200); // after the chime
  }
  var mayPlay = audio && audio.state === "running";
  if (cfg.enrolled && mayPlay) {
    setSound(true);
    $("tv-status").textContent = cfg.soundAuto;
  } else if (audio || speech) {
    var btn = $("tv-sound"); btn.hidden = false;
    btn.addEventListener("click", function () {
      setSound(!soundOn);
      if (soundOn && audio && audio.state === "suspended") audio.resume();
      btn.setAttribute("aria-pressed", soundOn ? "true" : "false");
      btn.textContent = soundOn ? cfg.soundOff : cfg.soundOn;
    });
  }
  // An enrolled display reports that it is alive; revoked, it becomes a public view.
  if (cfg.enrolled) {
    setInterval(function () {
      fetch("/tv/heartbeat", {method: "POST", credentials: "same-origin"}).then(function (r) {
        if (r.status === 401) location.reload();
      }).catch(function () {});
    }, 60000);
  }
  window.addEventListener("resize", pace);
  pace();

  if (!window.EventSource) return;
  // EventSource reconnects by itself; each connection starts with a snapshot.
  var es = new EventSource(cfg.feed);
  es.addEventListener("snapshot", function (e) {
    var s = JSON.parse(e.data);
    waiting = s.waiting_by_service || {}; quota = s.quota; text = s.running_text || ""; today = s.date;
    last = s.serving || [];
    if (last.length) show(last[0]);
    renderWaiting(); renderTicker(); renderLast(); refreshNext();
    if (!soundOn || !cfg.enrolled) $("tv-status").textContent = cfg.live;
  });
  es.addEventListener("call", function (e) {
    var c = JSON.parse(e.data);
    if (!c.recall) waiting[c.service] = (waiting[c.service] || 0) - 1;
    last = [c].concat(last.filter(function (x) { return x.ticket !== c.ticket; })).slice(0, 8);
    show(c); renderLast(); renderWaiting(); announce(c); refreshNext();
  });
  es.addEventListener("ticket", function (e) {
    var t = JSON.parse(e.data);
    if (t.action === "issued" || t.action === "transferred") { waiting[t.service] = (waiting[t.service] || 0) + 1; renderWaiting(); }
    refreshNext();
  });
  es.addEventListener("quota", function (e) { var q = JSON.parse(e.data); if (q.date === today) { quota = q; renderTicker(); } });
  es.addEventListener("text", function (e) { text = JSON.parse(e.data).text || ""; renderTicker(); });
  es.onerror = function () { $("tv-status").textContent = cfg.offline; };
})();
