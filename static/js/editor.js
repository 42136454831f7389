// The section editor page: CaseReviewEditor (static/vendor/editor/, built from static/src/editor/)
// over the form's textarea, saved by CaseReviewAutosave (static/js/autosave.js), with the
// conflict panel and merge, redaction marks taken off on purpose, comments pinned to a passage,
// the list of tracked changes (accepted or rejected by the chair) and the reference picker.
// Without this file the textarea still works as a plain HTML field and the form saves as usual.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form || !window.CaseReviewEditor || !window.CaseReviewAutosave) return;

  var textarea = form.querySelector("textarea[name=body]");
  var baseInput = document.getElementById("base-version");
  var status = document.getElementById("save-status");
  var conflictBox = document.getElementById("conflict");
  var choices = document.getElementById("redaction-choices");
  var toolbar = document.getElementById("editor-toolbar");
  var holder = document.getElementById("editor");
  function csrf() { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }
  function say(text) { status.textContent = text; }
  function json(id) {
    var element = document.getElementById(id);
    try { return element ? JSON.parse(element.textContent) : {}; } catch (error) { return {}; }
  }

  var authors = json("change-authors");
  var userId = holder.dataset.userId;
  var canManage = holder.dataset.canManage === "true";
  var suggestOnly = holder.dataset.suggestOnly === "true";

  toolbar.hidden = false;
  holder.hidden = false;
  textarea.hidden = true;
  document.getElementById("body-label").hidden = true;

  var editor = window.CaseReviewEditor.create({
    holder: holder,
    toolbar: toolbar,
    html: textarea.value,
    label: holder.dataset.label || "Text of the section",
    trackChanges: true,
    suggesting: suggestOnly,
    forced: suggestOnly,
    user: { id: userId, name: authors[userId] || "" },
    authors: authors,
    referenceLabels: json("reference-labels"),
    dataBlocks: document.getElementById("data-blocks") ? json("data-blocks") : [],
    onChange: function () {
      saver.changed();
      showChanges();
    },
    onStatus: say,
    onComment: function () { openComment(); },
  });

  function quote(text) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= 60) return text;
    var cut = text.slice(0, 59);
    return (cut.indexOf(" ") !== -1 ? cut.slice(0, cut.lastIndexOf(" ")) : cut).replace(/[ ,;:]+$/, "") + "…";
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

  var sentUnredacted = [];
  var saves = 0; // answered saves, to tell whether one happened
  var saver = window.CaseReviewAutosave.create({
    form: form,
    status: status,
    field: "body",
    getBody: function () { return editor.getHTML(); },
    // The redaction marks the person took off with the Redact button: said to be on purpose.
    extra: function () {
      sentUnredacted = editor.unredacted();
      return sentUnredacted.map(function (text) { return ["unredacted", text]; });
    },
    onSaved: function () {
      saves += 1;
      editor.forgetUnredacted(sentUnredacted);
      choices.textContent = "";
    },
    onConflict: showConflict,
    onRefused: function (payload) {
      var offered = payload.unredacted && payload.unredacted.length;
      if (offered) offerUnredact(payload.unredacted);
      say("Not saved: " + (payload.error || "the server refused the change.") +
          (offered ? " To publish it, tick the box below; either way, press Ctrl+S to save." : ""));
    },
  });

  // Opened from a finding of the publication check (?block=N): the cursor goes to the start of
  // that paragraph (the Nth block of the section, as the check counts them) and it is shown.
  var block = parseInt(new URLSearchParams(window.location.search).get("block"), 10);
  if (!isNaN(block) && editor.caretToBlock(block)) {
    say("The cursor is at the start of the paragraph the publication check named.");
  }

  // Someone else saved first: nothing more is typed over the text the merge was made from
  // until the person chooses.
  function showConflict(payload) {
    editor.setEditable(false);
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
    editor.setEditable(true);
    if (button.dataset.conflict === "merge" && editor.getHTML() !== saver.lastSent()) {
      // Typed after that save was sent: ask again, so the merge holds every word.
      saver.saveNow();
      return;
    }
    baseInput.value = conflictBox.dataset.version || baseInput.value;
    if (button.dataset.conflict === "merge") {
      editor.setHTML(conflictBox.dataset.merged || "");
      showChanges();
      say("The merged text is in the editor, based on version " + baseInput.value + ". Check it, then save.");
    } else {
      say("Your text will replace theirs when you save.");
    }
    conflictBox.innerHTML = "";
    saver.resume();
    editor.focus();
  });

  // A full-page answer to a refused save (the form posted without this script's help)
  // already holds the merged text and the latest version.
  var pageConflict = conflictBox.querySelector(".conflict-actions");
  if (pageConflict) pageConflict.hidden = true;

  // A citation goes where the cursor is in the text (or replaces the selected words), as a chip.
  document.addEventListener("click", function (event) {
    var cite = event.target.closest("[data-cite]");
    if (!cite) return;
    editor.insertReference(cite.dataset.cite, cite.dataset.label || "");
    editor.focus(); // back to writing, after the citation
  });

  // A comment on a passage, by keyboard as well as by mouse: select it (Shift and the arrow
  // keys), then Ctrl+Alt+M or the Comment button. The passage is kept while the comment is
  // written and selected again afterwards; the comment is posted without leaving the editor
  // and pinned to the passage in the text (a comment anchor, saved with it).
  var commentBox = document.getElementById("passage-comment");
  var commentForm = document.getElementById("comment-form");
  var commentText = document.getElementById("comment-text");
  var commentRange = null;

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.from(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function restoreSelection() {
    if (!commentRange) return;
    var view = editor.view;
    var size = view.state.doc.content.size;
    if (commentRange.to > size) return;
    var selection = window.CaseReviewEditor.TextSelection.create(view.state.doc, commentRange.from, commentRange.to);
    view.dispatch(view.state.tr.setSelection(selection));
  }

  function openComment() {
    if (!commentBox) return;
    var passage = editor.selectionText().replace(/\s+/g, " ").trim();
    if (!passage) {
      say("Select the passage first (hold Shift and use the arrow keys), then press Comment or Ctrl+Alt+M.");
      editor.focus();
      return;
    }
    var selection = editor.view.state.selection;
    commentRange = { from: selection.from, to: selection.to };
    document.getElementById("comment-quote").value = passage.slice(0, 1000);
    document.getElementById("comment-quote-shown").textContent = "“" + passage.slice(0, 1000) + "”";
    commentBox.hidden = false;
    commentText.focus();
  }

  function closeComment() {
    commentBox.hidden = true;
    commentText.value = "";
    restoreSelection();
    editor.focus();
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
      var anchor = newUuid();
      document.getElementById("comment-anchor").value = anchor;
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
          var posted = "Comment posted on “" + quote(passage) + "”.";
          say(posted);
          // The passage is marked in the text and saved at once, so the comment stays pinned to it.
          if (editor.anchorComment(anchor)) {
            var before = saves;
            saver.saveNow().then(function () { if (saves > before) say(posted); });
          }
        });
      }, function () {
        say("Comment not posted: the connection was lost. Your comment is still here: post it again.");
      });
    });
  }

  // The tracked changes: each with who, when and what, and (for the chair) Accept and Reject,
  // one by one or all of one person's.
  var panel = document.getElementById("changes-panel");
  var list = document.getElementById("changes-list");
  var summary = document.getElementById("changes-summary");
  var byAuthor = document.getElementById("changes-authors");
  var changesTimer = null;

  function what(change) {
    var parts = [];
    if (change.block) parts.push("added a paragraph");
    if (change.inserted.trim()) parts.push("inserted “" + quote(change.inserted) + "”");
    if (change.deleted.trim()) parts.push("deleted “" + quote(change.deleted) + "”");
    if (change.format) parts.push("made “" + quote(change.formatted || "") + "” " + change.formatText);
    return parts.join("; ") || "a change";
  }

  function button(text, label, action, id, kind) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-sm " + (kind === "accept" ? "btn-outline-success" : "btn-outline-danger");
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.dataset.action = action;
    element.dataset.target = id;
    return element;
  }

  // Drawn again after every change; a button of the list that had the focus hands it to the
  // button now in its place (or to the list's heading).
  function renderChanges() {
    clearTimeout(changesTimer);
    var buttons = Array.prototype.slice.call(panel.querySelectorAll("button[data-action]"));
    var focusedAt = buttons.indexOf(document.activeElement);
    drawChanges();
    if (focusedAt === -1) return;
    buttons = panel.querySelectorAll("button[data-action]");
    var next = buttons[Math.min(focusedAt, buttons.length - 1)];
    if (next) {
      next.focus();
    } else {
      var heading = document.getElementById("changes-heading");
      heading.tabIndex = -1;
      heading.focus();
    }
  }

  function drawChanges() {
    var changes = editor.changes();
    list.textContent = "";
    byAuthor.textContent = "";
    summary.textContent = changes.length
      ? changes.length + " tracked change" + (changes.length === 1 ? "" : "s") + " in this section."
      : "No tracked changes in this section.";
    var counts = {};
    changes.forEach(function (change) {
      counts[change.author] = counts[change.author] || { name: change.authorName, count: 0 };
      counts[change.author].count += 1;
      var item = document.createElement("li");
      item.className = "change-item";
      var who = document.createElement("p");
      who.className = "mb-1";
      var name = document.createElement("strong");
      name.textContent = change.authorName;
      var time = document.createElement("time");
      time.dateTime = change.time;
      time.textContent = change.when;
      who.append(name, ", ", time, ": " + what(change));
      item.append(who);
      var actions = document.createElement("div");
      actions.className = "d-flex gap-2";
      if (canManage) {
        var said = change.authorName + "’s change: " + what(change);
        actions.append(button("Accept", "Accept " + said, "accept", change.id, "accept"),
          button("Reject", "Reject " + said, "reject", change.id, "reject"));
      } else if (change.author === String(userId)) {
        // A panel member takes back a suggestion of their own.
        actions.append(button("Withdraw", "Withdraw your change: " + what(change), "reject", change.id, "reject"));
      }
      if (actions.childNodes.length) item.append(actions);
      list.append(item);
    });
    if (canManage) {
      Object.keys(counts).forEach(function (author) {
        var row = document.createElement("div");
        row.className = "d-flex flex-wrap gap-2 mb-2";
        var name = counts[author].name;
        // The name starts with the words on the button (for speech input), then says how many.
        var many = " (" + counts[author].count + " change" + (counts[author].count === 1 ? "" : "s") + ")";
        row.append(button("Accept all by " + name, "Accept all by " + name + many, "acceptAll", author, "accept"),
          button("Reject all by " + name, "Reject all by " + name + many, "rejectAll", author, "reject"));
        byAuthor.append(row);
      });
    }
    panel.hidden = false;
  }

  function showChanges() {
    clearTimeout(changesTimer);
    changesTimer = setTimeout(renderChanges, 300);
  }

  panel.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-action]");
    if (!target) return;
    target.focus(); // a click by mouse: the focus goes on in the list all the same
    var done = editor[target.dataset.action](target.dataset.target);
    renderChanges();
    var verb = target.textContent === "Withdraw" ? "Withdrawn" : target.dataset.action.indexOf("accept") === 0 ? "Accepted" : "Rejected";
    say(done ? verb + ": " + target.getAttribute("aria-label").replace(/^(Accept|Reject|Withdraw) /, "") +
      ". Changes not saved yet…" : "That change is no longer in the text.");
  });

  renderChanges();
})();
