// Small behaviours without inline scripts (a strict Content-Security-Policy stays possible).
// A form that takes a while (reading an uploaded plan book) shows its progress note while the page waits.
document.addEventListener("submit", function (event) {
  var note = event.target.querySelector(".indicator");
  if (note) { note.style.display = "inline"; }
  var button = event.target.querySelector("button[type=submit]");
  if (button && note) { button.disabled = true; }
});
