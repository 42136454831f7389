// The tracked changes of a document, listed and decided: accepting an insertion keeps its text,
// rejecting it removes the text; accepting a deletion removes the text, rejecting it keeps it; a
// format change is applied or dropped; an inserted paragraph stays or goes.
import { suggestKey } from "./suggest.js";

const FORMAT_NAMES = { strong: "bold", em: "italic", u: "underline", s: "struck through", sub: "subscript", sup: "superscript" };

export function describeFormat(format) {
  return format.split(" ").map((token) => (token[0] === "+" ? "" : "not ") + FORMAT_NAMES[token.slice(1)]).join(", ");
}

function inlineText(node, labels) {
  if (node.isText) return node.text;
  if (node.type.name === "reference") return labels(node.attrs.token);
  return " ";
}

// [{id, author, time, inserted, deleted, format, block, pos}] in document order.
export function collectChanges(doc, labels) {
  const byId = new Map();
  function entry(attrs, pos) {
    let item = byId.get(attrs.change);
    if (!item) {
      item = { id: attrs.change, author: String(attrs.author), time: attrs.time, inserted: "", deleted: "", format: "", block: false, pos };
      byId.set(attrs.change, item);
    }
    return item;
  }
  doc.descendants((node, pos) => {
    if (!node.isInline) {
      if (node.attrs.change) entry(node.attrs, pos).block = true;
      return true;
    }
    node.marks.forEach((mark) => {
      const name = mark.type.name;
      if (name === "ins") entry(mark.attrs, pos).inserted += inlineText(node, labels);
      else if (name === "del") entry(mark.attrs, pos).deleted += inlineText(node, labels);
      else if (name === "format_change") {
        const item = entry(mark.attrs, pos);
        item.format = mark.attrs.format;
        item.formatted = (item.formatted || "") + inlineText(node, labels);
      }
    });
    return false;
  });
  return Array.from(byId.values()).sort((a, b) => a.pos - b.pos);
}

// A transaction deciding the changes whose id passes `chosen`; null if there are none.
export function decide(state, chosen, accept) {
  const schema = state.schema;
  const tr = state.tr;
  const deletions = [];
  const blocks = [];
  state.doc.descendants((node, pos, parent) => {
    if (!node.isInline) {
      if (node.attrs.change && chosen(node.attrs.change)) blocks.push({ node, pos, parent });
      return true;
    }
    const from = pos;
    const to = pos + node.nodeSize;
    node.marks.forEach((mark) => {
      const name = mark.type.name;
      if (!mark.attrs.change || !chosen(mark.attrs.change)) return;
      if (name === "ins") {
        if (accept) tr.removeMark(from, to, mark);
        else deletions.push([from, to]);
      } else if (name === "del") {
        if (accept) deletions.push([from, to]);
        else tr.removeMark(from, to, mark);
      } else if (name === "format_change") {
        tr.removeMark(from, to, mark);
        if (accept) {
          mark.attrs.format.split(" ").forEach((token) => {
            const type = schema.marks[token.slice(1)];
            if (token[0] === "+") tr.addMark(from, to, type.create());
            else tr.removeMark(from, to, type);
          });
        }
      }
    });
    return false;
  });
  blocks.forEach(({ node, pos, parent }) => {
    if (accept) {
      tr.setNodeMarkup(pos, null, Object.assign({}, node.attrs, { change: null, author: null, time: null }));
    } else if (node.type.name === "list_item" && parent.childCount === 1) {
      const $pos = state.doc.resolve(pos);
      deletions.push([$pos.before(), $pos.after()]);
    } else {
      deletions.push([pos, pos + node.nodeSize]);
    }
  });
  deletions.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  deletions.forEach(([from, to]) => {
    const start = tr.mapping.map(from, 1);
    const end = tr.mapping.map(to, -1);
    if (end > start) tr.delete(start, end);
  });
  if (!tr.steps.length) return null;
  // The document may not end empty of blocks.
  if (!tr.doc.childCount) tr.insert(0, schema.nodes.paragraph.create());
  return tr.setMeta(suggestKey, { tracked: true });
}

// The change at the caret (or the selection's start), if any.
export function changeAt(state) {
  const $pos = state.selection.$from;
  for (const node of [$pos.nodeAfter, $pos.nodeBefore]) {
    if (!node) continue;
    const mark = node.marks.find((m) => m.attrs && m.attrs.change);
    if (mark) return mark.attrs.change;
  }
  for (let depth = $pos.depth; depth > 0; depth--) {
    if ($pos.node(depth).attrs.change) return $pos.node(depth).attrs.change;
  }
  return null;
}
