// Booth screen (queue_booth.html): refreshes the waiting counts from the
// office's feed. The page works with its forms alone.
(function () {
  "use strict";
  var body = document.getElementById("booth-waiting");
  if (!body || !window.EventSource || !window.fetch) return;
  var office = encodeURIComponent(body.getAttribute("data-office"));
  var url = "/api/v1/offices/" + office + "/queue", pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    setTimeout(function () {
      fetch(url, {headers: {Accept: "application/json"}}).then(function (r) { return r.json(); }).then(function (s) {
        pending = false;
        var rows = body.querySelectorAll("tr");
        for (var i = 0; i < rows.length; i++) {
          rows[i].querySelector("td").textContent = (s.waiting_by_service || {})[rows[i].getAttribute("data-service")] || 0;
        }
      }).catch(function () { pending = false; });
    }, 300);
  }
  var es = new EventSource("/api/v1/offices/" + office + "/feed");
  ["call", "ticket"].forEach(function (t) { es.addEventListener(t, refresh); });
})();
