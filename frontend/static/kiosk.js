// SPPT kiosk: the on-screen keypad types into the booking code or NIK
// field (touch, click or the keyboard all work), and a kiosk left alone
// returns to its start screen so the next person never sees the last one's
// input or ticket. Everything works without this file, except those two.
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) return;

  var timer = null;
  function home() { window.location.replace(root.getAttribute("data-home") || "/kiosk"); }
  function touched() {
    clearTimeout(timer);
    timer = setTimeout(home, (Number(root.getAttribute("data-idle")) || 60) * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (ev) {
    document.addEventListener(ev, touched, {passive: true, capture: true});
  });
  touched();

  var print = document.querySelector("[data-print]");
  if (print) print.addEventListener("click", function () { window.print(); });

  var pad = document.getElementById("keypad");
  if (!pad) return;
  var fields = root.querySelectorAll("input[data-keys]");
  var target = fields[0];
  function choose(input) {
    target = input;
    // The NIK is digits only: the letter keys step aside for it.
    pad.setAttribute("data-mode", input.getAttribute("data-keys"));
    for (var i = 0; i < fields.length; i++) fields[i].classList.toggle("keypad-target", fields[i] === input);
  }
  for (var i = 0; i < fields.length; i++) {
    fields[i].addEventListener("focus", function (e) { choose(e.target); });
  }
  pad.hidden = false;
  choose(target);
  // pointerdown keeps focus in the field (no keyboard pops up on a touch
  // screen); click still types for keyboard users pressing Enter on a key.
  pad.addEventListener("pointerdown", function (e) { if (e.target.closest(".key")) e.preventDefault(); });
  pad.addEventListener("click", function (e) {
    var key = e.target.closest(".key");
    if (!key || !target) return;
    var k = key.getAttribute("data-key"), v = target.value;
    if (k === "back") v = v.slice(0, -1);
    else if (k === "clear") v = "";
    else if (v.length < Number(target.getAttribute("maxlength") || 24)) v += k;
    target.value = v;
    target.dispatchEvent(new Event("input", {bubbles: true}));
  });
})();
