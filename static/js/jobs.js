/* Polls every background job on the page (templates/snippets/job.html) until it ends.
   While it runs, only the status text and the progress bar change (a live region that is updated,
   never replaced, so screen readers hear each change and focus stays where it is). When it ends,
   the job's region is drawn once from the server's HTML; if focus was inside it (on Cancel), it
   moves to the new status. A failed poll is tried again later, more slowly. */
(function () {
  "use strict";

  function poll(region, delay) {
    window.setTimeout(function () {
      fetch(region.dataset.jobPoll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (job) {
          var status = region.querySelector(".job-status-text");
          if (status && status.textContent !== job.text) status.textContent = job.text;
          var progress = region.querySelector(".job-progress");
          if (progress && String(progress.value) !== String(job.progress)) {
            progress.value = job.progress;
            progress.textContent = job.progress + "%";
          }
          if (job.active) {
            poll(region, Math.min(delay * 1.2, 5000));
            return;
          }
          var hadFocus = region.contains(document.activeElement);
          var holder = document.createElement("div");
          holder.innerHTML = job.html;
          // The kind's template draws more around the job; only the job's own region is taken.
          var replacement = holder.querySelector("#" + CSS.escape(region.id));
          if (!replacement) return;
          region.replaceWith(replacement);
          if (hadFocus) {
            var target = replacement.querySelector("a, button, .job-status") || replacement;
            target.focus();
          }
        })
        .catch(function () {
          poll(region, Math.min(delay * 2, 30000));
        });
    }, delay);
  }

  function start(root) {
    root.querySelectorAll("[data-job-poll]:not([data-job-polling])").forEach(function (region) {
      region.setAttribute("data-job-polling", "");
      poll(region, 2000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { start(document); });
  document.addEventListener("htmx:afterSettle", function (event) { start(event.target); });
})();
