// Reading a section: selecting a passage of the text makes the next comment about that passage.
// By keyboard, the comment form offers the paragraphs: one chosen, its text is shown in a field
// that cannot be changed, where Shift and the arrow keys select the passage as in any other.
(function () {
  "use strict";
  var text = document.getElementById("section-text");
  var quote = document.getElementById("comment-quote");
  var shown = document.getElementById("comment-quote-shown");
  if (!text || !quote || !shown) return;
  var chooser = null;
  var passage = null;

  function plain(value) { return value.replace(/\s+/g, " ").trim(); }

  function show(value) {
    quote.value = value;
    shown.hidden = !value;
    shown.textContent = "";
    if (!value) return;
    shown.appendChild(document.createTextNode("On the passage: “" + value + "” "));
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "btn btn-link btn-sm p-0";
    clear.textContent = "Comment on the whole section instead";
    clear.addEventListener("click", function () {
      show("");
      if (chooser) {
        chooser.value = "";
        passage.hidden = true;
        passage.labels[0].hidden = true;
      }
    });
    shown.appendChild(clear);
  }

  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    var value = plain(selection.toString());
    if (value) show(value.slice(0, 1000));
  });

  var blocks = Array.prototype.filter.call(text.querySelectorAll(".section-block-text"), function (block) {
    return plain(block.textContent);
  });
  var label = quote.form && quote.form.querySelector("label[for=comment-text]");
  if (!blocks.length || !label) return;

  function field(tag, id, labelText) {
    var caption = document.createElement("label");
    caption.className = "form-label small";
    caption.htmlFor = id;
    caption.textContent = labelText;
    var control = document.createElement(tag);
    control.id = id;
    control.className = tag === "select" ? "form-select form-select-sm mb-2" : "form-control form-control-sm mb-2";
    label.parentNode.insertBefore(caption, label);
    label.parentNode.insertBefore(control, label);
    return control;
  }

  chooser = field("select", "comment-paragraph", "On a paragraph (optional)");
  chooser.append(new Option("No: the whole section, or the passage selected in the text", ""));
  blocks.forEach(function (block, i) {
    var number = block.parentNode.querySelector(".para-number");
    var words = plain(block.textContent);
    var start = words.length > 50 ? words.slice(0, 50).replace(/\s+\S*$/, "") + "…" : words;
    chooser.append(new Option((number ? "Paragraph " + number.textContent.trim() : "Heading") + ": " + start, i));
  });
  passage = field("textarea", "comment-passage", "Select the passage in it (Shift and the arrow keys), or leave it whole");
  // Not the readOnly property: Chromium moves no caret in a read-only field. Nothing typed,
  // pasted or cut changes it, and it is announced as read-only.
  passage.setAttribute("aria-readonly", "true");
  passage.addEventListener("beforeinput", function (event) { event.preventDefault(); });
  passage.rows = 4;
  passage.hidden = true;
  passage.labels[0].hidden = true;

  chooser.addEventListener("change", function () {
    var block = blocks[parseInt(chooser.value, 10)];
    passage.hidden = passage.labels[0].hidden = !block;
    passage.value = block ? plain(block.textContent) : "";
    show(passage.value.slice(0, 1000));
  });

  function chosen() {
    var part = plain(passage.value.slice(passage.selectionStart, passage.selectionEnd));
    show((part || passage.value).slice(0, 1000));
  }
  ["select", "keyup", "mouseup"].forEach(function (name) { passage.addEventListener(name, chosen); });
})();
