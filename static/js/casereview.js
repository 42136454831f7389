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
})();
