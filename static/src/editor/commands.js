// The toolbar's commands, the redaction mark and the link box.
import { setBlockType, wrapIn, lift, toggleMark } from "prosemirror-commands";
import { wrapInList, liftListItem } from "prosemirror-schema-list";
import { addRowAfter, addColumnAfter, deleteTable, isInTable } from "prosemirror-tables";
import { TextSelection } from "prosemirror-state";

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

export function blockCommands(schema) {
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
  return {
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

export { toggleMark };
