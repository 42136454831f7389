// The toolbar's commands, the redaction mark and the link box.
import { setBlockType, wrapIn, lift, toggleMark } from "prosemirror-commands";
import { wrapInList, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { addRowAfter, addColumnAfter, deleteTable, isInTable } from "prosemirror-tables";
import { TextSelection, NodeSelection } from "prosemirror-state";

// Lists nest four deep at most (the outputs number and indent four levels).
export const MAX_LIST_DEPTH = 4;

export function quote(text) {
  text = text.replace(/\s+/g, " ").trim();
  if (text.length <= 60) return text;
  const cut = text.slice(0, 59);
  return (cut.indexOf(" ") !== -1 ? cut.slice(0, cut.lastIndexOf(" ")) : cut).replace(/[ ,;:]+$/, "") + "…";
}

// Every inline node of the range carries the mark (or, for a caret, the marks there do).
export function markActive(state, type) {
  const { from, to, empty, $from } = state.selection;
  if (empty) return Boolean(type.isInSet(state.storedMarks || $from.marks()));
  let all = true;
  let any = false;
  state.doc.nodesBetween(from, to, (node) => {
    if (!node.isInline) return true;
    any = true;
    if (!type.isInSet(node.marks)) all = false;
    return false;
  });
  return any && all;
}

export function blockActive(state, type, attrs) {
  const { $from } = state.selection;
  const node = $from.parent;
  return node.type === type && (!attrs || Object.keys(attrs).every((key) => node.attrs[key] === attrs[key]));
}

export function inNode(state, type) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) if ($from.node(depth).type === type) return true;
  return false;
}

function inList(state, type) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type.name === "bullet_list" || node.type.name === "ordered_list") return node.type === type;
  }
  return false;
}

// How many lists the selection is in.
export function listDepth(state) {
  const { $from } = state.selection;
  let depth = 0;
  for (let d = $from.depth; d > 0; d--) {
    const name = $from.node(d).type.name;
    if (name === "bullet_list" || name === "ordered_list") depth += 1;
  }
  return depth;
}

// The style every paragraph of the selection has ("" if they differ or have none).
export function paragraphStyle(state) {
  const { from, to } = state.selection;
  let style = null;
  state.doc.nodesBetween(from, to, (node) => {
    if (!node.isTextblock) return true;
    const own = node.type.name === "paragraph" ? node.attrs.style || "" : "";
    style = style === null ? own : style === own ? style : "";
    return false;
  });
  return style || "";
}

// The paragraphs (and headings, which become paragraphs) of the selection given the style, or
// their style taken off when they all have it already.
function styleToggle(schema, style) {
  return (state, dispatch) => {
    const off = paragraphStyle(state) === style;
    const { from, to } = state.selection;
    const tr = state.tr;
    state.doc.nodesBetween(from, to, (node, pos) => {
      if (!node.isTextblock) return true;
      if (node.type === schema.nodes.paragraph || node.type === schema.nodes.heading) {
        const attrs = { style: off ? null : style, change: node.attrs.change, author: node.attrs.author, time: node.attrs.time };
        tr.setNodeMarkup(pos, schema.nodes.paragraph, attrs);
      }
      return false;
    });
    if (!tr.docChanged) return false;
    if (dispatch) dispatch(tr);
    return true;
  };
}

// A data block (its token) after the block the cursor is in, or in place of an empty paragraph;
// then selected, so that Delete takes it out again.
export function insertDataBlock(schema, token) {
  return (state, dispatch) => {
    const node = schema.nodes.data_block.create({ token });
    const { $from } = state.selection;
    let tr = state.tr;
    let at;
    if ($from.depth === 0) {
      at = state.selection.to;
      tr.insert(at, node);
    } else {
      const top = $from.node(1);
      const start = $from.before(1);
      if (top.type === schema.nodes.paragraph && !top.content.size) {
        tr.replaceWith(start, start + top.nodeSize, node);
        at = start;
      } else {
        at = start + top.nodeSize;
        tr.insert(at, node);
      }
    }
    tr = tr.setSelection(NodeSelection.create(tr.doc, at));
    if (dispatch) dispatch(tr.scrollIntoView());
    return true;
  };
}

export function blockCommands(schema, say) {
  const { heading, paragraph, blockquote, bullet_list: bullet, ordered_list: ordered, list_item: item } = schema.nodes;
  const headingToggle = (level) => (state, dispatch) =>
    blockActive(state, heading, { level }) ? setBlockType(paragraph)(state, dispatch) : setBlockType(heading, { level })(state, dispatch);
  const listToggle = (type) => (state, dispatch) => {
    if (inList(state, type)) return liftListItem(item)(state, dispatch);
    if (inList(state, type === bullet ? ordered : bullet)) {
      // The other kind of list: the list itself changes kind.
      const { $from } = state.selection;
      for (let depth = $from.depth; depth > 0; depth--) {
        if ($from.node(depth).type === bullet || $from.node(depth).type === ordered) {
          if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(depth), type));
          return true;
        }
      }
    }
    return wrapInList(type)(state, dispatch);
  };
  function insertTable(state, dispatch) {
    const { table, table_row: row, table_cell: cell } = schema.nodes;
    const cells = () => [cell.createAndFill(), cell.createAndFill()];
    const node = table.create(null, [row.create(null, cells()), row.create(null, cells())]);
    if (dispatch) {
      const tr = state.tr.replaceSelectionWith(node);
      const at = tr.mapping.map(state.selection.from, -1);
      let inside = null;
      tr.doc.nodesBetween(at, tr.doc.content.size, (child, pos) => {
        if (inside === null && child.type === cell) inside = pos + 2;
        return inside === null;
      });
      if (inside !== null) tr.setSelection(TextSelection.create(tr.doc, inside));
      dispatch(tr.scrollIntoView());
    }
    return true;
  }
  function indent(state, dispatch) {
    if (!inNode(state, item)) return false;
    if (listDepth(state) >= MAX_LIST_DEPTH) {
      say("Lists go " + MAX_LIST_DEPTH + " levels deep at most.");
      return false;
    }
    return sinkListItem(item)(state, dispatch);
  }
  function outdent(state, dispatch) {
    return inNode(state, item) && liftListItem(item)(state, dispatch);
  }
  return {
    indent,
    outdent,
    style_finding: styleToggle(schema, "finding"),
    style_learning_point: styleToggle(schema, "learning-point"),
    h2: headingToggle(2),
    h3: headingToggle(3),
    paragraph: setBlockType(paragraph),
    bullet_list: listToggle(bullet),
    ordered_list: listToggle(ordered),
    blockquote: (state, dispatch) => (inNode(state, blockquote) ? lift(state, dispatch) : wrapIn(blockquote)(state, dispatch)),
    table_insert: insertTable,
    table_row: (state, dispatch) => isInTable(state) && addRowAfter(state, dispatch),
    table_column: (state, dispatch) => isInTable(state) && addColumnAfter(state, dispatch),
    table_delete: (state, dispatch) => isInTable(state) && deleteTable(state, dispatch),
    clear: (state, dispatch) => {
      const { from, to, empty } = state.selection;
      if (empty) return false;
      if (dispatch) {
        const tr = state.tr;
        ["strong", "em", "u", "s", "sub", "sup", "link"].forEach((name) => tr.removeMark(from, to, schema.marks[name]));
        dispatch(tr);
      }
      return true;
    },
  };
}

// The range of the link mark around the caret, if any.
function linkRange(state) {
  const type = state.schema.marks.link;
  const { $from, from, to, empty } = state.selection;
  if (!empty) return { from, to, mark: type.isInSet($from.marks()) || null };
  const mark = type.isInSet($from.marks()) || ($from.nodeBefore && type.isInSet($from.nodeBefore.marks));
  if (!mark) return { from, to, mark: null };
  let start = from;
  let end = from;
  const parent = $from.parent;
  const offset = $from.parentOffset;
  let pos = $from.start();
  parent.forEach((child) => {
    const next = pos + child.nodeSize;
    if (mark.isInSet(child.marks)) {
      if (pos <= from && next >= from) { start = Math.min(start, pos); end = Math.max(end, next); }
    }
    pos = next;
  });
  return offset >= 0 ? { from: start, to: end, mark } : { from, to, mark: null };
}

// The link box: a dialog with a named field; Escape (or Cancel) closes it; the focus goes back
// to the text.
let boxes = 0;

export function linkBox(getView, say) {
  boxes += 1;
  const id = boxes === 1 ? "editor-link" : "editor-link-" + boxes; // one page may hold several editors
  const dialog = document.createElement("dialog");
  dialog.className = "editor-link-box";
  dialog.setAttribute("aria-labelledby", id + "-heading");
  dialog.innerHTML =
    '<form method="dialog" class="editor-link-form">' +
    '<h2 class="h6" id="' + id + '-heading">Link</h2>' +
    '<label class="form-label" for="' + id + '-address">Enter link address</label>' +
    '<input class="form-control mb-2" type="url" id="' + id + '-address" autocomplete="off" placeholder="https://">' +
    '<div class="d-flex flex-wrap gap-2">' +
    '<button type="submit" class="btn btn-sm btn-primary" value="save">Save the link</button>' +
    '<button type="submit" class="btn btn-sm btn-outline-danger" value="remove" formnovalidate>Remove the link</button>' +
    '<button type="submit" class="btn btn-sm btn-outline-secondary" value="cancel" formnovalidate>Cancel</button>' +
    "</div></form>";
  document.body.append(dialog);
  const input = dialog.querySelector("input");
  let range = null;

  dialog.addEventListener("close", () => {
    const view = getView();
    const choice = dialog.returnValue;
    const type = view.state.schema.marks.link;
    if (range && (choice === "save" || choice === "remove")) {
      const href = input.value.trim();
      const tr = view.state.tr.removeMark(range.from, range.to, type);
      if (choice === "save" && href) {
        if (!/^(https?:\/\/|mailto:)/i.test(href)) {
          say("Not linked: a link starts with https://, http:// or mailto:.");
        } else {
          tr.addMark(range.from, range.to, type.create({ href }));
          say("Linked to " + href + ".");
        }
      }
      if (tr.docChanged) view.dispatch(tr);
    }
    range = null;
    view.focus();
  });

  return function open() {
    const view = getView();
    const found = linkRange(view.state);
    if (found.from === found.to) {
      say("Select the words first (hold Shift and use the arrow keys), then press Link or Ctrl+K.");
      return true;
    }
    range = found;
    input.value = found.mark ? found.mark.attrs.href : "";
    dialog.returnValue = "";
    dialog.showModal();
    input.focus();
    return true;
  };
}

// The data block box: a dialog listing the blocks the review offers (episodes by title); the
// chosen one goes in after the block the cursor is in. Escape (or Cancel) closes it.
export function dataBlockBox(getView, say, choices, insert) {
  boxes += 1;
  const id = "editor-data-block" + (boxes === 1 ? "" : "-" + boxes);
  const dialog = document.createElement("dialog");
  dialog.className = "editor-link-box editor-data-block-box";
  dialog.setAttribute("aria-labelledby", id + "-heading");
  const form = document.createElement("form");
  form.method = "dialog";
  form.innerHTML =
    '<h2 class="h6" id="' + id + '-heading">Insert a data block</h2>' +
    '<p class="small" id="' + id + '-help">A data block shows what the review holds, as it stands when the ' +
    "document is previewed or printed: nobody retypes it. It goes in after the paragraph the cursor is in.</p>" +
    '<label class="form-label" for="' + id + '-choice">Data block</label>' +
    '<select class="form-select mb-2" id="' + id + '-choice" aria-describedby="' + id + '-help"></select>' +
    '<div class="d-flex flex-wrap gap-2">' +
    '<button type="submit" class="btn btn-sm btn-primary" value="insert">Insert the data block</button>' +
    '<button type="submit" class="btn btn-sm btn-outline-secondary" value="cancel" formnovalidate>Cancel</button>' +
    "</div>";
  dialog.append(form);
  const select = form.querySelector("select");
  (choices || []).forEach((choice) => {
    const option = document.createElement("option");
    option.value = choice.token;
    option.textContent = choice.label;
    select.append(option);
  });
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    const view = getView();
    if (dialog.returnValue === "insert" && select.value) {
      insert(select.value);
      say("Inserted the data block “" + select.options[select.selectedIndex].textContent + "”. Changes not saved yet.");
    }
    view.focus();
  });
  return function open() {
    if (!select.options.length) {
      say("This review has no data blocks to insert.");
      return true;
    }
    dialog.returnValue = "";
    dialog.showModal();
    select.focus();
    return true;
  };
}

export { toggleMark };
