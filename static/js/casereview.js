// casereview: small progressive enhancements. Everything works without this file.
(function () {
  "use strict";
  // Ctrl+Enter (or Cmd+Enter) in a chronology entry form submits it, so a long chronology
  // can be typed without reaching for the mouse.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.closest && event.target.closest("form.entry-form");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
  });

  // A change made in place that the server refused (the IMR was submitted meanwhile, or
  // the entry deleted by someone else) must not fail silently.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var message = status === 403 || status === 404
      ? "That change was not saved: this chronology can no longer be changed by you (it may have been submitted, or the entry deleted). Reload the page to see it as it is now."
      : "That change was not saved: the server could not complete it. Reload the page and try again.";
    var main = document.getElementById("main");
    var alert = document.getElementById("htmx-error");
    if (!alert) {
      alert = document.createElement("div");
      alert.id = "htmx-error";
      alert.className = "alert alert-danger";
      alert.setAttribute("role", "alert");
      main.insertBefore(alert, main.firstChild);
    }
    alert.textContent = message;
    alert.scrollIntoView({block: "center"});
  });

  // Progress bars carry their value in data-progress: the Content-Security-Policy allows no
  // style attributes in the HTML, but a width set from script is allowed.
  function showProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = bar.getAttribute("data-progress") + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showProgress(document); });
  document.addEventListener("htmx:load", function (event) { showProgress(event.target); });
})();

// A page drawn again with form errors starts at its error summary (templates/snippets/error_summary.html),
// so the first thing read is what went wrong; each link in it moves to its field.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
