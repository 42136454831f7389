/* Polls every background job on the page (templates/snippets/job.html) until it ends.
   While it runs, only the status text and the progress bar change: the status line is a live
   region that is updated, never replaced, so screen readers hear each change, and focus stays
   where it is. When the job ends, the same status line is given the ending's words (a live region
   put in afresh is often not read out), and the rest of the job's region is drawn once from the
   server's HTML around it. If focus was on something the drawing removed (Cancel), it moves to
   the status line, which says how the job ended; the next Tab reaches what it offers. A failed
   poll is tried again later, more slowly. */
(function () {
  "use strict";

  // The region's own status line: a direct child, so the rest of the region can be drawn around it.
  function statusLine(region) {
    return Array.prototype.find.call(region.children, function (child) {
      return child.getAttribute("role") === "status";
    });
  }

  function update(region, job) {
    var status = region.querySelector(".job-status-text");
    if (status && status.textContent !== job.text) status.textContent = job.text;
    var progress = region.querySelector(".job-progress");
    if (progress && String(progress.value) !== String(job.progress)) {
      progress.value = job.progress;
      progress.textContent = job.progress + "%";
    }
  }

  function redraw(region, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    // The kind's template draws more around the job; only the job's own region is taken.
    var drawn = holder.querySelector("#" + CSS.escape(region.id));
    if (!drawn) return;
    var hadFocus = region.contains(document.activeElement);
    var status = statusLine(region);
    var drawnStatus = statusLine(drawn);
    if (!status || !drawnStatus) {
      region.replaceWith(drawn);
      if (hadFocus) (drawn.querySelector("a[href], button") || drawn).focus();
      return;
    }
    Array.prototype.slice.call(region.childNodes).forEach(function (node) {
      if (node !== status) node.remove();
    });
    var before = [];
    var after = [];
    Array.prototype.slice.call(drawn.childNodes).forEach(function (node) {
      if (node === drawnStatus) before = after.splice(0);
      else after.push(node);
    });
    status.className = drawnStatus.className;
    status.replaceChildren.apply(status, Array.prototype.slice.call(drawnStatus.childNodes));
    status.before.apply(status, before);
    status.after.apply(status, after);
    region.className = drawn.className;
    region.removeAttribute("data-job-poll");
    if (hadFocus && !region.contains(document.activeElement)) status.focus();
  }

  function poll(region, delay) {
    window.setTimeout(function () {
      fetch(region.dataset.jobPoll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (job) {
          if (job.active) {
            update(region, job);
            poll(region, Math.min(delay * 1.2, 5000));
          } else {
            redraw(region, job.html);
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
