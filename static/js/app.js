// Portico's own script: small behaviours attached through data attributes, so the
// Content-Security-Policy can forbid inline script. Every page works without it.
(function () {
  "use strict";

  // Print buttons: <button data-print>.
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-print]");
    if (t) { e.preventDefault(); window.print(); }
  });

  // Selects that submit their form on change: <select data-autosubmit>.
  document.addEventListener("change", function (e) {
    var t = e.target.closest("[data-autosubmit]");
    if (t && t.form) { t.form.requestSubmit(); }
  });

  // Move focus to the error summary after a failed submission, so screen readers hear it.
  function focusErrors(root) {
    var s = (root || document).querySelector(".error-summary");
    if (s) { s.setAttribute("tabindex", "-1"); s.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });
  document.addEventListener("htmx:afterSwap", function (e) { focusErrors(e.detail.target); });
})();

// ---------- library: printing opens every accordion ----------
// Closed <details> would print as their summaries only; open them for the printout and
// close again afterwards.
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-print-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-print-opened");
    });
  });
})();
