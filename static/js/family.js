// The family involvement log's contact form: "What they said" is written in the project's editor
// (window.CaseReviewEditor, without tracked changes, comments or references) in place of its
// text box, and the editor's HTML goes back into the text box when the form is sent; the server
// sanitises it as it does every rich text. Without the editor's script the text box is used as is.
(function () {
  "use strict";
  var textarea = document.querySelector("textarea.family-richtext");
  var form = textarea ? textarea.closest("form") : null;
  if (!form || !window.CaseReviewEditor) return;
  var holder = form.querySelector(".family-editor");
  var toolbar = form.querySelector(".family-toolbar");
  if (!holder || !toolbar) return;

  textarea.parentNode.insertBefore(toolbar, textarea);
  textarea.parentNode.insertBefore(holder, textarea);
  holder.hidden = false;
  toolbar.hidden = false;
  var editor = window.CaseReviewEditor.create({
    holder: holder,
    toolbar: toolbar,
    html: textarea.value,
    label: "What they said",
    trackChanges: false,
    suggesting: false,
    forced: false,
    user: null,
    authors: {},
    referenceLabels: {},
    onChange: function () {},
    onStatus: function () {},
  });
  if (editor.view && editor.view.dom) editor.view.dom.style.minHeight = "8rem";
  textarea.hidden = true;
  var label = form.querySelector("label[for='" + textarea.id + "']");
  if (label && editor.view && editor.view.dom) {
    // The visible label now names the editor.
    label.removeAttribute("for");
    label.id = textarea.id + "-label";
    editor.view.dom.setAttribute("aria-labelledby", label.id);
  }
  form.addEventListener("submit", function () {
    textarea.value = editor.getHTML();
  });
})();
