// Reading a section: selecting a passage of the text makes the next comment about that passage.
(function () {
  "use strict";
  var text = document.getElementById("section-text");
  var quote = document.getElementById("comment-quote");
  var shown = document.getElementById("comment-quote-shown");
  if (!text || !quote || !shown) return;

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
    clear.addEventListener("click", function () { show(""); });
    shown.appendChild(clear);
  }

  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return;
    var value = selection.toString().replace(/\s+/g, " ").trim();
    if (value) show(value.slice(0, 1000));
  });
})();
