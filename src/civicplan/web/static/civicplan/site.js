// Small behaviours without inline scripts (a strict Content-Security-Policy stays possible).
// A form that takes a while (reading an uploaded plan book) shows its progress note while the page waits.
document.addEventListener("submit", function (event) {
  var note = event.target.querySelector(".indicator");
  if (note) { note.style.display = "inline"; }
  var button = event.target.querySelector("button[type=submit]");
  if (button && note) { button.disabled = true; }
});

// Inline validation (edit forms): the server's answer for the field that changed fills its `.field-errors` box;
// the field is marked invalid while the box says something.
document.addEventListener("htmx:afterSwap", function (event) {
  var box = event.detail.target;
  if (!box || !box.classList || !box.classList.contains("field-errors")) { return; }
  var field = box.closest(".field");
  var invalid = box.textContent.trim() !== "";
  if (field) { field.classList.toggle("invalid", invalid); }
  var input = box.id ? document.getElementById(box.id.replace(/-errors$/, "")) : null;
  if (input) {
    if (invalid) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
});
