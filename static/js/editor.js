// The section editor: Quill over the form's textarea, autosave with optimistic concurrency,
// the conflict panel, redaction marks and references. Without this file the textarea still
// works as a plain HTML field and the form saves as usual.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form || typeof Quill === "undefined") return;

  var textarea = form.querySelector("textarea[name=body]");
  var baseInput = document.getElementById("base-version");
  var status = document.getElementById("save-status");
  var conflictBox = document.getElementById("conflict");
  // Read at each request: after signing in again (static/js/timeout.js) the form holds the new token.
  function csrf() { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }
  var AUTOSAVE_DELAY = 2500;

  var Inline = Quill.import("blots/inline");
  // A redaction mark is <span class="redaction">. Parchment's InlineBlot.formats() answers
  // "no format" for any element with the plain inline blot's tag (SPAN), so without this
  // override Quill read every mark as unformatted: dropped when the text was loaded
  // (clipboard.convert) and unwrapped the moment the Redact button applied it.
  class Redaction extends Inline {
    static formats() { return true; }
  }
  Redaction.blotName = "redaction";
  Redaction.tagName = "span";
  Redaction.className = "redaction";
  // The outermost inline format: a passage partly in bold stays one mark (one "[Redacted]").
  Inline.order.push("redaction");
  Quill.register(Redaction, true);

  var toolbar = document.getElementById("editor-toolbar");
  var holder = document.getElementById("editor");
  toolbar.hidden = false;
  holder.hidden = false;
  textarea.hidden = true;
  document.getElementById("body-label").hidden = true;

  var quill = new Quill(holder, {
    theme: "snow",
    formats: ["header", "bold", "italic", "underline", "list", "blockquote", "link", "table", "redaction"],
    modules: {
      table: true,
      toolbar: {
        container: toolbar,
        handlers: {
          redaction: function () { toggleRedaction(); },
          "table-insert": function () { quill.getModule("table").insertTable(2, 2); },
          "table-row": function () { quill.getModule("table").insertRowBelow(); },
          "table-column": function () { quill.getModule("table").insertColumnRight(); },
          "table-delete": function () { quill.getModule("table").deleteTable(); },
          comment: function () { openComment(); },
        },
      },
      keyboard: {
        bindings: {
          // Tab and Shift+Tab move to the next and previous control, as everywhere else on the
          // page: Quill's own bindings would type a tab, indent a list or move between table
          // cells, and leave no way out of the text but Shift+Tab (WCAG 2.1.2). A report has
          // no nested lists; arrow keys move between table cells.
          tab: false,
          indent: false,
          outdent: false,
          "remove tab": false,
          "table tab": false,
          "indent code-block": false,
          "outdent code-block": false,
          // Ctrl+Alt+M (Cmd+Option+M on a Mac): a comment on the selected passage, as in other editors.
          comment: {
            key: ["m", "M"],
            shortKey: true,
            altKey: true,
            handler: function () { openComment(); return false; },
          },
          // Ctrl+Shift+X (Cmd+Shift+X on a Mac): no browser or Quill shortcut of its own.
          redaction: {
            key: ["x", "X"],
            shortKey: true,
            shiftKey: true,
            handler: function () { toggleRedaction(); return false; },
          },
        },
      },
    },
  });
  quill.root.setAttribute("aria-label", holder.dataset.label || "Text of the section");
  quill.root.setAttribute("role", "textbox");
  quill.root.setAttribute("aria-multiline", "true");
  // Reading the stored text turns any tab in it into a space (Quill collapses white space in HTML).
  quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
  quill.history.clear();

  // Opened from a finding of the publication check (?block=N): the cursor goes to the start of
  // that paragraph (the Nth block of the section, as the check counts them) and it is shown.
  var block = parseInt(new URLSearchParams(window.location.search).get("block"), 10);
  if (!isNaN(block) && block >= 0 && quill.root.children[block]) {
    var target = quill.root.children[block];
    var blot = Quill.find(target);
    if (blot) {
      quill.setSelection(quill.getIndex(blot), 0, "silent");
      target.scrollIntoView({ block: "center" });
      document.getElementById("save-status").textContent =
        "The cursor is at the start of the paragraph the publication check named.";
    }
  }

  var dirty = false; // typed since the text of the last save attempt was taken
  var timer = null;
  var inFlight = null; // the save under way, as a promise
  var stopped = false; // after a refused save: no autosave until the person chooses
  var sentHtml = null; // the text of the save under way (or refused last)
  // The save being attempted until the server answers it: its id, its text and its form. A
  // retry sends it unchanged (same id), so a save that committed while its answer was lost is
  // answered with the version it made instead of a conflict with oneself.
  var pending = null;
  var retries = 0;
  var retryTimer = null;
  var RETRY_FIRST = 1000;
  var RETRY_MOST = 30000;

  function say(text) { status.textContent = text; }

  // Redaction marks. A mark the person takes off is remembered and sent with the save: the
  // server refuses any save that leaves a redacted passage unmarked unless it is named so.
  var redactButton = toolbar.querySelector(".ql-redaction");
  var choices = document.getElementById("redaction-choices");
  var unredacted = new Set();

  function quote(text) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= 60) return text;
    var cut = text.slice(0, 59);
    return (cut.indexOf(" ") !== -1 ? cut.slice(0, cut.lastIndexOf(" ")) : cut).replace(/[ ,;:]+$/, "") + "…";
  }

  // The whole redacted runs that the range touches (unmarking part of a passage unmarks it).
  function redactedRuns(range) {
    var runs = [];
    var index = 0;
    var run = null;
    quill.getContents().ops.forEach(function (op) {
      var text = typeof op.insert === "string" ? op.insert : null;
      if (text !== null && op.attributes && op.attributes.redaction) {
        run = run || { index: index, text: "" };
        run.text += text;
      } else if (run) {
        run.end = index;
        runs.push(run);
        run = null;
      }
      index += text !== null ? text.length : 1;
    });
    if (run) {
      run.end = index;
      runs.push(run);
    }
    return runs.filter(function (r) { return r.index < range.index + range.length && r.end > range.index; });
  }

  function toggleRedaction() {
    var range = quill.getSelection(true);
    if (!range || !range.length) {
      say("Select the passage first (hold Shift and use the arrow keys), then press Redact or Ctrl+Shift+X.");
      return;
    }
    var passage = quote(quill.getText(range.index, range.length));
    if (quill.getFormat(range).redaction) {
      redactedRuns(range).forEach(function (run) { unredacted.add(run.text); });
      quill.formatText(range.index, range.length, "redaction", false, "user");
      say("Redaction removed from “" + passage + "”: it will be published. Changes not saved yet.");
    } else {
      quill.formatText(range.index, range.length, "redaction", true, "user");
      redactedRuns(range).forEach(function (run) {
        unredacted.forEach(function (text) { if (run.text.indexOf(text) !== -1) unredacted.delete(text); });
      });
      say("Redacted “" + passage + "”: it becomes “[Redacted]” in the publication version. Changes not saved yet.");
    }
    showPressed();
  }

  function showPressed() {
    var range = quill.getSelection();
    // As the toolbar shows it: the cursor or the whole selection is inside a mark.
    var on = Boolean(range && quill.getFormat(range).redaction);
    redactButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  // A save refused for a redaction taken off: a box per passage to say it was on purpose.
  function offerUnredact(passages) {
    choices.textContent = "";
    passages.forEach(function (text, i) {
      var row = document.createElement("div");
      row.className = "form-check";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "form-check-input";
      box.name = "unredacted";
      box.value = text;
      box.id = "unredact-js-" + i;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = box.id;
      label.textContent = "I took the redaction off “" + quote(text) + "” on purpose: it may be published.";
      row.append(box, label);
      choices.append(row);
    });
  }

  function html() { return quill.root.textContent.trim() || quill.root.querySelector("table") ? quill.getSemanticHTML() : ""; }
  function sync() { textarea.value = html(); }

  function saveId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12); // older browsers
  }

  // The one save of the editor, typed (Ctrl+S) or automatic. A save that did not reach the
  // server or met a server error is tried again, unchanged, after 1 s, 2 s, 4 s… (at most 30 s);
  // the text stays in the editor meanwhile, and anything typed is saved after it.
  function save(autosave) {
    if (autosave && stopped) return Promise.resolve(null);
    if (inFlight) return inFlight.then(function () { return dirty ? save(autosave) : null; });
    clearTimeout(retryTimer);
    if (!pending) {
      sync();
      // The body, the version and any "taken off on purpose" boxes the person ticked.
      var data = new FormData(form);
      var sentUnredacted = Array.from(unredacted);
      sentUnredacted.forEach(function (text) { data.append("unredacted", text); });
      data.set("autosave", autosave ? "1" : "0");
      data.set("save_id", saveId());
      pending = { data: data, html: textarea.value, unredacted: sentUnredacted };
      dirty = false;
    }
    var attempt = pending;
    sentHtml = attempt.html;
    say(retries ? "Trying to save again…" : "Saving…");
    inFlight = fetch(form.action, {
      method: "POST",
      body: attempt.data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    }).then(function (response) {
      if (response.status >= 500) return retryLater();
      pending = null;
      retries = 0;
      if (response.redirected || response.status === 401 || response.status === 403) {
        dirty = true;
        stopped = true;
        say("Not saved: you are signed out, or may no longer change this section. Copy your text, sign in again and reload.");
        return null;
      }
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
        dirty = true;
        say("Not saved: the server could not complete the save (" + response.status + "). Your text is still here: press Ctrl+S to try again.");
        return null;
      }
      return response.json().then(function (payload) {
        if (response.ok) {
          baseInput.value = payload.version;
          attempt.unredacted.forEach(function (text) { unredacted.delete(text); });
          choices.textContent = "";
          say("Saved at " + payload.saved_at + " (version " + payload.version + ")." +
              (dirty ? " Changes since then not saved yet…" : ""));
          if (dirty) schedule();
        } else if (response.status === 409) {
          dirty = true;
          stopped = true;
          showConflict(payload);
        } else {
          dirty = true;
          stopped = true;
          var offered = payload.unredacted && payload.unredacted.length;
          if (offered) offerUnredact(payload.unredacted);
          say("Not saved: " + (payload.error || "the server refused the change.") +
              (offered ? " To publish it, tick the box below; either way, press Ctrl+S to save." : ""));
        }
      });
    }, retryLater).finally(function () { inFlight = null; });
    return inFlight;
  }

  // The connection was lost or the server failed: the same save, later. Whether it committed
  // is unknown; its id lets the server say so.
  function retryLater() {
    var wait = Math.min(RETRY_MOST, RETRY_FIRST * Math.pow(2, retries));
    retries += 1;
    wait = Math.round(wait * (0.8 + Math.random() * 0.4)); // editors cut off together do not come back together
    say("Not saved yet — retrying in " + Math.max(1, Math.round(wait / 1000)) + " s. Your text is still here.");
    retryTimer = setTimeout(function () { if (!inFlight) save(false); }, wait);
    return null;
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    // While a save waits to be tried again, its retry comes first; what was typed follows it.
    timer = setTimeout(function () { if (dirty && !stopped && !pending) save(true); }, AUTOSAVE_DELAY);
  }

  function showConflict(payload) {
    // Nothing more is typed over the text the merge was made from until the person chooses.
    quill.disable();
    conflictBox.innerHTML = payload.conflict;
    var actions = conflictBox.querySelector(".conflict-actions");
    var note = conflictBox.querySelector(".conflict-nojs");
    if (actions) actions.hidden = false;
    if (note) note.hidden = true;
    say("Not saved: someone else saved this section first. Choose below how to go on.");
    conflictBox.dataset.merged = payload.merged;
    conflictBox.dataset.version = payload.version;
    conflictBox.scrollIntoView({ block: "start" });
  }

  conflictBox.addEventListener("click", function (event) {
    var button = event.target.closest("[data-conflict]");
    if (!button) return;
    quill.enable();
    if (button.dataset.conflict === "merge" && html() !== sentHtml) {
      // Typed after that save was sent: ask again, so the merge holds every word.
      stopped = false;
      dirty = true;
      save(false);
      return;
    }
    baseInput.value = conflictBox.dataset.version || baseInput.value;
    if (button.dataset.conflict === "merge") {
      quill.setContents(quill.clipboard.convert({ html: conflictBox.dataset.merged || "" }), "user");
      say("The merged text is in the editor, based on version " + baseInput.value + ". Check it, then save.");
    } else {
      say("Your text will replace theirs when you save.");
    }
    conflictBox.innerHTML = "";
    stopped = false;
    dirty = true;
    quill.focus();
  });

  // A full-page answer to a refused save (the form posted without this script's help)
  // already holds the merged text and the latest version.
  var pageConflict = conflictBox.querySelector(".conflict-actions");
  if (pageConflict) pageConflict.hidden = true;

  // A tab pasted as plain text becomes a space: a report has no tab stops (Word would jump to one).
  var Delta = Quill.import("delta");
  function untab(delta) {
    var pasted = delta.ops.some(function (op) { return typeof op.insert === "string" && op.insert.indexOf("\t") !== -1; });
    if (!pasted) return;
    var change = new Delta();
    var index = 0;
    var last = 0;
    quill.getContents().ops.forEach(function (op) {
      if (typeof op.insert !== "string") { index += 1; return; }
      for (var at = op.insert.indexOf("\t"); at !== -1; at = op.insert.indexOf("\t", at + 1)) {
        change = change.retain(index + at - last).insert(" ", op.attributes).delete(1);
        last = index + at + 1;
      }
      index += op.insert.length;
    });
    quill.updateContents(change, "api");
  }

  quill.on("text-change", function (delta, old, source) {
    if (source !== "user") return;
    untab(delta);
    dirty = true;
    if (!pending) say("Changes not saved yet…");
    schedule();
  });

  var lastRange = null;
  quill.on("selection-change", function (range) { if (range) lastRange = range; });
  quill.on("editor-change", showPressed);
  document.addEventListener("click", function (event) {
    var cite = event.target.closest("[data-cite]");
    if (!cite) return;
    var index = lastRange ? lastRange.index + lastRange.length : quill.getLength() - 1;
    quill.insertText(index, cite.dataset.cite, "user");
    quill.setSelection(index + cite.dataset.cite.length, 0, "user");
    quill.focus(); // back to writing, after the citation
  });

  // Quill's link box (Ctrl+K or the Link button): its field is named, not only by a placeholder;
  // its Edit, Save and Remove are buttons reached by Tab and worked by Enter or Space; Escape
  // closes it; whenever it closes from inside, the focus goes back to the text.
  var tooltip = quill.theme.tooltip;
  var linkAction = tooltip.root.querySelector("a.ql-action");
  var linkRemove = tooltip.root.querySelector("a.ql-remove");
  // Its name starts with the words the box shows ("Enter link:"), so speech input can name it too.
  tooltip.textbox.setAttribute("aria-label", "Enter link address");
  [linkAction, linkRemove].forEach(function (button) {
    button.setAttribute("role", "button");
    button.tabIndex = 0;
  });
  linkRemove.setAttribute("aria-label", "Remove the link");
  function nameLinkAction() {
    linkAction.setAttribute("aria-label", tooltip.root.classList.contains("ql-editing") ? "Save the link" : "Edit the link");
  }
  nameLinkAction();
  new MutationObserver(nameLinkAction).observe(tooltip.root, { attributes: true, attributeFilter: ["class"] });
  var hideTooltip = tooltip.hide;
  tooltip.hide = function () {
    var inside = tooltip.root.contains(document.activeElement);
    hideTooltip.call(tooltip);
    if (inside) quill.focus();
  };
  tooltip.root.addEventListener("keydown", function (event) {
    var button = event.target.closest("[role=button]");
    if (button && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      button.click();
    } else if (event.key === "Escape") {
      event.preventDefault();
      tooltip.hide();
      quill.focus();
    }
  });

  // A comment on a passage, by keyboard as well as by mouse: select it (Shift and the arrow
  // keys), then Ctrl+Alt+M or the Comment button. The passage is kept while the comment is
  // written and selected again afterwards; the comment is posted without leaving the editor.
  var commentBox = document.getElementById("passage-comment");
  var commentForm = document.getElementById("comment-form");
  var commentText = document.getElementById("comment-text");
  var commentRange = null;

  function openComment() {
    if (!commentBox) return;
    var range = quill.getSelection(true);
    var passage = range ? quill.getText(range.index, range.length).replace(/\s+/g, " ").trim() : "";
    if (!passage) {
      say("Select the passage first (hold Shift and use the arrow keys), then press Comment or Ctrl+Alt+M.");
      return;
    }
    commentRange = range;
    document.getElementById("comment-quote").value = passage.slice(0, 1000);
    document.getElementById("comment-quote-shown").textContent = "“" + passage.slice(0, 1000) + "”";
    commentBox.hidden = false;
    commentText.focus();
  }

  function closeComment() {
    commentBox.hidden = true;
    commentText.value = "";
    quill.focus();
    if (commentRange) quill.setSelection(commentRange.index, commentRange.length, "api");
  }

  if (commentBox) {
    document.getElementById("comment-cancel").addEventListener("click", closeComment);
    commentBox.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        closeComment();
      }
    });
    commentForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var passage = document.getElementById("comment-quote").value;
      fetch(commentForm.action, {
        method: "POST",
        body: new FormData(commentForm),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      }).then(function (response) {
        if (response.redirected || (response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
          say("Comment not posted: you may be signed out. Copy your comment, sign in again and reload.");
          return;
        }
        return response.json().then(function (payload) {
          if (!response.ok) {
            say("Comment not posted: " + (payload.error || "the server refused it."));
            return;
          }
          closeComment();
          say("Comment posted on “" + quote(passage) + "”.");
        });
      }, function () {
        say("Comment not posted: the connection was lost. Your comment is still here: post it again.");
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    clearTimeout(retryTimer);
    var waiting = inFlight || Promise.resolve();
    waiting.then(function () {
      sync();
      // The same text as a save not yet answered: the same save, so the server can tell.
      if (pending && pending.html === textarea.value) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "save_id";
        field.value = pending.data.get("save_id");
        form.append(field);
      }
      unredacted.forEach(function (text) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "unredacted";
        field.value = text;
        form.append(field);
      });
      pending = null; // the form carries it now
      form.submit();
    });
  });

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      clearTimeout(timer);
      stopped = false;
      dirty = true;
      save(false);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty || inFlight || pending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
})();
