// The printable BAP's print button (without JavaScript the browser's own
// print command does the same).
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
