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

  // A change made in place that the server refused must not fail silently. The server says why
  // in a text/plain body when it knows (the session has ended, the IMR was submitted meanwhile,
  // the entry was deleted by someone else); otherwise a general reason is given.
  function refusal(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = type.indexOf("text/plain") === 0 ? (xhr.responseText || "").trim() : "";
    if (text) return text;
    if (xhr.status === 403 || xhr.status === 404) {
      return "That change was not saved: it can no longer be made from this page. Reload the page to see it as it is now.";
    }
    return "That change was not saved: the server could not complete it. Reload the page and try again.";
  }
  document.addEventListener("htmx:responseError", function (event) {
    var main = document.getElementById("main");
    var alert = document.getElementById("htmx-error");
    if (!alert) {
      alert = document.createElement("div");
      alert.id = "htmx-error";
      alert.className = "alert alert-danger";
      alert.setAttribute("role", "alert");
      main.insertBefore(alert, main.firstChild);
    }
    alert.textContent = refusal(event.detail.xhr);
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

// Focus and announcements after an htmx swap, for every page (one helper, no per-page code).
//
// A view that changes part of a page in place says where the focus goes and what is read out in
// the HX-Trigger-After-Settle response header (casereview/htmx_focus.py writes it):
//
//   HX-Trigger-After-Settle: {"casereview:focus": {"selectors": ["#edit-entry-12", "#chronology-status"]},
//                             "casereview:announce": {"message": "Entry saved.", "region": "#chronology-status",
//                                                     "href": "/…#entry-12", "link": "Show it in its place"}}
//
// - casereview:focus: the first selector that finds an element on the page (after the swap) gets
//   the focus; an element that cannot take it (a row, a message) is given tabindex="-1" until it
//   loses it. {"value": "#id"} (a plain string in the header) works too.
// - casereview:announce: the live region's text is changed, never the region itself (a role="status"
//   element swapped in or out is not reliably read). It is emptied first and filled a moment later,
//   so the same message twice is read twice. "region" is the page's own live region; without it,
//   a hidden one this file adds to every page. "href" and "link" add a link after the message.
(function () {
  "use strict";
  var pending = null;

  function focusable(element) {
    return element.matches("a[href], button, input, select, textarea, [tabindex]") && !element.disabled;
  }

  function focusFirst(selectors) {
    for (var i = 0; i < selectors.length; i++) {
      var element = document.querySelector(selectors[i]);
      if (!element || !element.getClientRects().length) continue;
      if (!focusable(element)) {
        element.setAttribute("tabindex", "-1");
        element.addEventListener("blur", function once(event) {
          event.target.removeAttribute("tabindex");
          event.target.removeEventListener("blur", once);
        });
      }
      element.focus();
      return element;
    }
    return null;
  }

  function defaultRegion() {
    var region = document.getElementById("casereview-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "casereview-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      (document.getElementById("main") || document.body).appendChild(region);
    }
    return region;
  }

  function announce(detail) {
    var region = (detail.region && document.querySelector(detail.region)) || defaultRegion();
    if (pending) window.clearTimeout(pending);
    region.textContent = "";
    pending = window.setTimeout(function () {
      pending = null;
      region.textContent = detail.message || "";
      if (detail.href) {
        var link = document.createElement("a");
        link.href = detail.href;
        link.textContent = detail.link || detail.href;
        region.append(" ", link);
      }
    }, 150);
  }

  document.addEventListener("casereview:focus", function (event) {
    var detail = event.detail || {};
    focusFirst(detail.selectors || [detail.value]);
  });
  document.addEventListener("casereview:announce", function (event) {
    announce(event.detail || {});
  });
  // The hidden region is on the page before anything is announced in it.
  document.addEventListener("DOMContentLoaded", defaultRegion);
})();

// A table wider than its box scrolls sideways inside it (.table-responsive). Keyboard users can
// scroll it only if the box takes the focus: every such box that overflows gets tabindex="0" (and
// loses it when it no longer overflows: a wider window, fewer columns). Templates give the box
// role="region" and aria-labelledby (the table's caption), so the stop has a name.
(function () {
  "use strict";
  var queued = false;

  function markScrollBoxes() {
    queued = false;
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  function queue() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(markScrollBoxes);
  }
  document.addEventListener("DOMContentLoaded", markScrollBoxes);
  document.addEventListener("htmx:load", queue);
  window.addEventListener("resize", queue);
})();

// A page drawn again with form errors starts at its error summary (templates/snippets/error_summary.html),
// so the first thing read is what went wrong; each link in it moves to its field.
// Following one of its links moves to the control and brings its label (or the group's legend)
// into view, without changing the address: a form sent again from there must open at its new
// summary, not at the field named in the address (GOV.UK's error summary does the same).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link) return;
    var control = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!control) return;
    event.preventDefault();
    var fieldset = control.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    var label = (control.labels && control.labels[0]) || legend || control;
    label.scrollIntoView();
    control.focus({preventScroll: true});
  });
});

// A page drawn after an action that succeeded (or was refused) starts at what it says, as GOV.UK's
// notification banner does: the message was already in the page when it loaded, so a live region
// alone would not be read out. An error summary, or a field the page focuses itself, comes first.
// Asked again once the page has loaded: a page reached at one of its parts (…/#renders) has the
// browser move there after the document is read, which takes the focus back to the page itself.
(function () {
  "use strict";
  function focusMessages() {
    var messages = document.querySelector("[data-page-messages]");
    if (!messages || document.querySelector("[data-error-summary]")) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    messages.focus();
  }
  document.addEventListener("DOMContentLoaded", focusMessages);
  window.addEventListener("load", function () { window.setTimeout(focusMessages, 0); });
})();
