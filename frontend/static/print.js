// A page's print button, <button data-print> (the printable BAP, the desk's
// receipt): it prints the page. Without JavaScript the browser's own print
// command does the same.
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
