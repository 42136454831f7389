// The IMR narrative: an editor per key line of enquiry (window.CaseReviewEditor, without
// tracked changes, comments or references), each answer autosaved on its own form
// (window.CaseReviewAutosave) with its own version, and a save refused because someone else
// saved first shown with both texts. Without the editor's script the form's text box is
// autosaved as it is; without any script the form saves as usual.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.narrative-form");
  if (!forms.length || !window.CaseReviewAutosave) return;

  var userData = document.getElementById("narrative-user");
  var user = userData ? JSON.parse(userData.textContent) : null;
  var instances = [];

  function setUp(form) {
    var textarea = form.querySelector("textarea[name=body]");
    var status = form.querySelector(".narrative-status");
    var section = form.closest(".narrative-line");
    var conflictBox = section ? section.querySelector(".narrative-conflict") : null;
    var base = form.querySelector("input[name=base_version]");
    var editor = null;
    var saver = null;
    var dirty = false;

    if (window.CaseReviewEditor) {
      var holder = form.querySelector(".narrative-editor");
      var toolbar = form.querySelector(".narrative-toolbar");
      holder.hidden = false;
      toolbar.hidden = false;
      editor = window.CaseReviewEditor.create({
        holder: holder,
        toolbar: toolbar,
        html: textarea.value,
        label: form.dataset.label,
        trackChanges: false,
        suggesting: false,
        forced: false,
        user: user,
        authors: {},
        referenceLabels: {},
        onChange: function () { changed(); },
        onStatus: function (text) { status.textContent = text; },
      });
      // An answer is shorter than a report's section: its box starts smaller and grows as it fills.
      if (editor.view && editor.view.dom) editor.view.dom.style.minHeight = "10rem";
      textarea.hidden = true;
      form.querySelectorAll(".narrative-fallback-label, .narrative-fallback-hint").forEach(function (element) {
        element.hidden = true;
      });
    } else {
      textarea.addEventListener("input", function () { changed(); });
    }

    function body() { return editor ? editor.getHTML() : textarea.value; }

    function changed() {
      dirty = true;
      if (saver) saver.changed();
    }

    function showConflict(payload) {
      if (!conflictBox) return;
      conflictBox.innerHTML = payload.conflict || "";
      status.textContent = "Not saved: someone else saved this answer first. Both texts are above: choose how to go on.";
      var actions = conflictBox.querySelector(".conflict-actions");
      var noScript = conflictBox.querySelector(".conflict-nojs");
      if (noScript) noScript.hidden = true;
      if (!actions) return;
      actions.hidden = false;
      actions.querySelector("[data-conflict=theirs]").addEventListener("click", function () {
        // Their version becomes the text to edit; this person's stays in the panel to copy from.
        base.value = payload.version;
        if (editor) editor.setHTML(payload.theirs || ""); else textarea.value = payload.theirs || "";
        actions.hidden = true;
        status.textContent = "Their version " + payload.version + " is in the editor. Your text is still shown above to copy from.";
        dirty = false;
        saver.resume();
        if (editor) editor.focus(); else textarea.focus();
      });
      actions.querySelector("[data-conflict=mine]").addEventListener("click", function () {
        base.value = payload.version;
        saver.saveNow().then(function (answer) {
          if (answer && answer.version !== undefined && !answer.conflict) conflictBox.innerHTML = "";
        });
      });
    }

    saver = window.CaseReviewAutosave.create({
      form: form,
      status: status,
      field: "body",
      delay: 2500,
      getBody: body,
      onSaved: function () {
        dirty = false;
        if (conflictBox && !conflictBox.querySelector(".conflict-actions:not([hidden])")) conflictBox.innerHTML = "";
      },
      onConflict: showConflict,
      onRefused: function () {},
    });

    instances.push({ form: form, saver: saver, isDirty: function () { return dirty; } });
  }

  forms.forEach(setUp);

  // The recommendations are saved by their own button: leaving with them changed and not saved
  // asks first, as leaving an answer not yet saved does.
  var recommendations = document.getElementById("recommendations-form");
  if (recommendations) {
    var recommendationsChanged = false;
    recommendations.addEventListener("input", function () { recommendationsChanged = true; });
    recommendations.addEventListener("submit", function () { recommendationsChanged = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!recommendationsChanged) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // Ctrl+S saves the answer being written (and any other with unsaved changes), not every
  // answer on the page: each form's save engine would otherwise save its own.
  window.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || (event.key !== "s" && event.key !== "S")) return;
    event.preventDefault();
    event.stopPropagation();
    instances.forEach(function (instance) {
      if (instance.form.contains(document.activeElement) || instance.isDirty()) instance.saver.saveNow();
    });
  }, true);
})();
