// Suggesting mode: what the person types, pastes, deletes or formats becomes a tracked change
// (an <ins>, a <del> or a format change) carrying their id and the time, instead of changing
// the text. Their own pending insertion, deleted again, goes for real.
import { Plugin, PluginKey, TextSelection } from "prosemirror-state";
import { Fragment } from "prosemirror-model";
import { toggleMark, joinBackward, joinForward } from "prosemirror-commands";
import { isHistoryTransaction } from "prosemirror-history";

export const suggestKey = new PluginKey("casereview-suggest");
export const LOAD = "casereview-load"; // a transaction the person did not make (a load, a merge)

export function now() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return (Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12)).slice(0, 36);
}

// ctx: {user: {id}, on: bool (read live), say(text)}
export function createTracker(schema, ctx) {
  const { ins, del, format_change: formatChange } = schema.marks;
  const me = () => String(ctx.user.id);
  const isMine = (attrs) => attrs && String(attrs.author) === me();
  const fresh = () => ({ change: newId(), author: me(), time: now() });

  function markOf(node, type) {
    return node ? type.isInSet(node.marks) : null;
  }

  // The change an insertion at pos joins: the person's insertion it touches, or the inserted
  // block it is in; otherwise a new one.
  function insertAttrs(doc, pos) {
    const $pos = doc.resolve(pos);
    for (const node of [$pos.nodeBefore, $pos.nodeAfter]) {
      const mark = markOf(node, ins);
      if (mark && isMine(mark.attrs)) return mark.attrs;
    }
    for (let depth = $pos.depth; depth > 0; depth--) {
      const attrs = $pos.node(depth).attrs;
      if (attrs.change && isMine(attrs)) return { change: attrs.change, author: attrs.author, time: attrs.time };
    }
    return fresh();
  }

  // Marks [from, to] deleted in tr: the person's own pending insertions go, the rest is struck
  // through (a deletion touching one of theirs joins it). Returns nothing; use tr.mapping.
  function markDeleted(tr, from, to) {
    const doc = tr.doc;
    let attrs = null;
    for (const node of [doc.resolve(to).nodeAfter, doc.resolve(from).nodeBefore]) {
      const mark = markOf(node, del);
      if (!attrs && mark && isMine(mark.attrs)) attrs = mark.attrs;
    }
    attrs = attrs || fresh();
    const strike = [];
    const remove = [];
    doc.nodesBetween(from, to, (node, pos) => {
      if (!node.isInline) return true;
      const start = Math.max(pos, from);
      const end = Math.min(pos + node.nodeSize, to);
      if (start >= end || markOf(node, del)) return false;
      const inserted = markOf(node, ins);
      (inserted && isMine(inserted.attrs) ? remove : strike).push([start, end]);
      return false;
    });
    strike.forEach(([start, end]) => tr.addMark(start, end, del.create(attrs)));
    remove.reverse().forEach(([start, end]) => tr.delete(tr.mapping.map(start), tr.mapping.map(end)));
  }

  function cleanMarks(marks) {
    return marks.filter((mark) => mark.type !== ins && mark.type !== del && mark.type !== formatChange);
  }

  // Inline content inserted at pos as the person's insertion.
  function insertInline(tr, pos, content, storedMarks) {
    const attrs = insertAttrs(tr.doc, pos);
    const around = cleanMarks(storedMarks || tr.doc.resolve(pos).marks());
    const nodes = [];
    content.forEach((node) => {
      const base = node.isText && node.marks.length ? cleanMarks(node.marks) : around;
      let marks = node.isText ? base : cleanMarks(around);
      marks = ins.create(attrs).addToSet(marks);
      nodes.push(node.mark(marks));
    });
    tr.insert(pos, Fragment.from(nodes));
    return pos + Fragment.from(nodes).size;
  }

  function finish(view, tr, caret) {
    tr.setSelection(TextSelection.create(tr.doc, caret));
    tr.setMeta(suggestKey, { tracked: true });
    view.dispatch(tr.scrollIntoView());
    return true;
  }

  // A data block selected (its card): nothing typed, pasted or inserted replaces it by suggestion.
  function onDataBlock(view) {
    const sel = view.state.selection;
    if (!(sel.node && sel.node.type.name === "data_block")) return false;
    ctx.say("A data block cannot be changed by a suggestion: move into a paragraph with the arrow keys first.");
    return true;
  }

  function typeText(view, from, to, text) {
    if (onDataBlock(view)) return true;
    const state = view.state;
    const tr = state.tr;
    let pos = from;
    if (from < to) {
      markDeleted(tr, from, to);
      pos = tr.mapping.map(to);
    }
    const caret = insertInline(tr, pos, Fragment.from(schema.text(text)), state.storedMarks);
    return finish(view, tr, caret);
  }

  // Not suggesting: typed inside someone's pending change, the words are not theirs (nor struck
  // through); a tab typed or pasted as text is a space.
  function typePlain(view, from, to, typed) {
    const state = view.state;
    const marks = state.storedMarks || state.doc.resolve(from).marks();
    const clean = cleanMarks(marks);
    const text = typed.replace(/\t/g, " ");
    if (clean.length === marks.length && text === typed) return false;
    const tr = state.tr.replaceWith(from, to, schema.text(text, clean));
    view.dispatch(tr.setSelection(TextSelection.create(tr.doc, from + text.length)).scrollIntoView());
    return true;
  }

  function insertNode(view, node) {
    if (onDataBlock(view)) return true;
    const state = view.state;
    const tr = state.tr;
    const { from, to } = state.selection;
    let pos = from;
    if (from < to) {
      markDeleted(tr, from, to);
      pos = tr.mapping.map(to);
    }
    return finish(view, tr, insertInline(tr, pos, Fragment.from(node)));
  }

  // An inserted paragraph of the person's own, empty or holding only their insertion.
  function ownBlock(node) {
    if (!node || !node.isTextblock || !node.attrs.change || !isMine(node.attrs)) return false;
    let onlyMine = true;
    node.descendants((child) => {
      const mark = markOf(child, ins);
      if (child.isInline && !(mark && isMine(mark.attrs))) onlyMine = false;
    });
    return onlyMine;
  }

  // Backspace (dir -1) or Delete (dir 1), by a character or (word) a word.
  function deleteKey(dir, word) {
    return (state, dispatch, view) => {
      if (!ctx.on) return false;
      const sel = state.selection;
      if (sel.node && sel.node.type.name === "data_block") {
        ctx.say("Taking out a data block cannot be suggested: ask the chair.");
        return true;
      }
      if (!sel.empty) {
        const tr = state.tr;
        markDeleted(tr, sel.from, sel.to);
        return finish(view, tr, dir < 0 ? tr.mapping.map(sel.from, -1) : tr.mapping.map(sel.to));
      }
      const $pos = sel.$head;
      let pos = sel.head;
      const parent = $pos.parent;
      const start = $pos.start();
      const end = $pos.end();
      // Over what is already struck through.
      const struck = (p) => {
        const node = dir < 0 ? state.doc.resolve(p).nodeBefore : state.doc.resolve(p).nodeAfter;
        return node && markOf(node, del);
      };
      while ((dir < 0 ? pos > start : pos < end) && struck(pos)) pos += dir;
      if (dir < 0 ? pos === start : pos === end) {
        // Joining the person's own inserted paragraph to its neighbour takes back their Enter.
        const tracked = (tr) => view.dispatch(tr.setMeta(suggestKey, { tracked: true }).scrollIntoView());
        if (pos === sel.head && dir < 0 && ownBlock($pos.parent)) {
          if (joinBackward(state, tracked, view)) return true;
        }
        if (pos === sel.head && dir > 0 && $pos.depth === 1 && ownBlock(state.doc.resolve($pos.after()).nodeAfter)) {
          if (joinForward(state, tracked, view)) return true;
        }
        if (pos !== sel.head) return finish(view, state.tr, pos);
        ctx.say("Joining two paragraphs cannot be suggested: delete the words instead, or ask the chair.");
        return true;
      }
      let size = 1;
      if (word) {
        const offset = pos - start;
        const text = parent.textBetween(0, parent.content.size, null, "\ufffc");
        const match = dir < 0 ? /\S*\s*$/.exec(text.slice(0, offset)) : /^\s*\S*/.exec(text.slice(offset));
        size = Math.max(1, match ? match[0].length : 1);
      }
      const from = dir < 0 ? pos - size : pos;
      const to = dir < 0 ? pos : pos + size;
      const tr = state.tr;
      markDeleted(tr, from, to);
      return finish(view, tr, dir < 0 ? tr.mapping.map(from, -1) : tr.mapping.map(to));
    };
  }

  // Enter: a tracked inserted paragraph (or list item) after the block, only at its end.
  function enter(state, dispatch, view) {
    if (!ctx.on) return false;
    const sel = state.selection;
    const $pos = sel.$head;
    if (!sel.empty || !$pos.parent.isTextblock || $pos.parentOffset !== $pos.parent.content.size) {
      ctx.say("In suggesting mode Enter adds a paragraph only at the end of one: move to the end of the paragraph (End), then press Enter.");
      return true;
    }
    const attrs = fresh();
    const tr = state.tr;
    const item = $pos.depth > 1 && $pos.node($pos.depth - 1).type === schema.nodes.list_item ? $pos.depth - 1 : null;
    let caret;
    if (item !== null && $pos.index(item) === $pos.node(item).childCount - 1) {
      const at = $pos.after(item);
      tr.insert(at, schema.nodes.list_item.create(attrs, schema.nodes.paragraph.create()));
      caret = at + 2;
    } else {
      const at = $pos.after();
      tr.insert(at, schema.nodes.paragraph.create(attrs));
      caret = at + 1;
    }
    return finish(view, tr, caret);
  }

  function hardBreak(state, dispatch, view) {
    if (!ctx.on) return false;
    return insertNode(view, schema.nodes.hard_break.create());
  }

  // Bold, italic, underline… on a selection: a format change (+mark / -mark), except on the
  // person's own pending insertion, which is simply formatted.
  function formatCommand(name) {
    const type = schema.marks[name];
    const plain = toggleMark(type);
    return (state, dispatch, view) => {
      if (!ctx.on || state.selection.empty) return plain(state, dispatch, view);
      const { from, to } = state.selection;
      const pieces = [];
      state.doc.nodesBetween(from, to, (node, pos) => {
        if (!node.isInline) return true;
        if (!node.isText || markOf(node, del)) return false;
        const start = Math.max(pos, from);
        const end = Math.min(pos + node.nodeSize, to);
        if (start < end) pieces.push({ node, start, end });
        return false;
      });
      if (!pieces.length) return false;
      const shown = (piece) => {
        const real = Boolean(type.isInSet(piece.node.marks));
        const change = markOf(piece.node, formatChange);
        const tokens = change ? change.attrs.format.split(" ") : [];
        return (real && !tokens.includes("-" + name)) || tokens.includes("+" + name);
      };
      const active = pieces.every(shown);
      const attrs = fresh();
      const tr = state.tr;
      pieces.forEach(({ node, start, end }) => {
        const inserted = markOf(node, ins);
        if (inserted && isMine(inserted.attrs)) {
          if (active) tr.removeMark(start, end, type);
          else tr.addMark(start, end, type.create());
          return;
        }
        const real = Boolean(type.isInSet(node.marks));
        const change = markOf(node, formatChange);
        let tokens = change ? change.attrs.format.split(" ") : [];
        if (active) {
          if (tokens.includes("+" + name)) tokens = tokens.filter((t) => t !== "+" + name);
          else if (real) tokens.push("-" + name);
        } else if (tokens.includes("-" + name)) {
          tokens = tokens.filter((t) => t !== "-" + name);
        } else if (!real) {
          tokens.push("+" + name);
        }
        if (change) tr.removeMark(start, end, change);
        if (tokens.length) {
          const keep = change && isMine(change.attrs) ? change.attrs : attrs;
          tr.addMark(start, end, formatChange.create(Object.assign({}, keep, { format: tokens.join(" ") })));
        }
      });
      tr.setMeta(suggestKey, { tracked: true });
      if (dispatch) dispatch(tr);
      return true;
    };
  }

  // Pasted in suggesting mode: inline content as an insertion; several paragraphs pasted at the
  // end of one become tracked inserted paragraphs, elsewhere one run of text.
  function paste(view, slice) {
    if (onDataBlock(view)) return true;
    const state = view.state;
    const tr = state.tr;
    const { from, to } = state.selection;
    let pos = from;
    if (from < to) {
      markDeleted(tr, from, to);
      pos = tr.mapping.map(to);
    }
    const blocks = [];
    let inline = [];
    slice.content.forEach(function walk(node) {
      if (node.isInline) inline.push(node);
      else if (node.isTextblock) {
        if (inline.length) blocks.push(Fragment.from(inline));
        inline = [];
        blocks.push(node.content);
      } else node.forEach(walk);
    });
    if (inline.length) blocks.push(Fragment.from(inline));
    if (!blocks.length) return true;
    const $pos = tr.doc.resolve(pos);
    const atEnd = $pos.parentOffset === $pos.parent.content.size;
    if (blocks.length === 1 || !atEnd) {
      let joined = [];
      blocks.forEach((content, i) => {
        if (i) joined.push(schema.text(" "));
        content.forEach((node) => joined.push(node));
      });
      return finish(view, tr, insertInline(tr, pos, Fragment.from(joined)));
    }
    let caret = insertInline(tr, pos, blocks[0]);
    const attrs = fresh();
    let at = tr.doc.resolve(caret).after();
    blocks.slice(1).forEach((content) => {
      const block = schema.nodes.paragraph.create(attrs);
      tr.insert(at, block);
      caret = insertInline(tr, at + 1, content);
      at = caret + 1;
    });
    return finish(view, tr, caret);
  }

  function cut(view, event) {
    const { from, to, empty } = view.state.selection;
    if (empty) return false;
    event.preventDefault();
    if (event.clipboardData) event.clipboardData.setData("text/plain", view.state.doc.textBetween(from, to, "\n\n"));
    const tr = view.state.tr;
    markDeleted(tr, from, to);
    return finish(view, tr, tr.mapping.map(from, -1));
  }

  // Anything inserted by another way (the browser's own editing) is still marked as inserted.
  function catchUp(transactions, oldState, newState) {
    let ranges = [];
    transactions.forEach((tr) => {
      if (!tr.docChanged) return;
      ranges = ranges.map(([from, to]) => [tr.mapping.map(from, 1), tr.mapping.map(to, -1)]);
      if (tr.getMeta(suggestKey) || tr.getMeta(LOAD) || isHistoryTransaction(tr)) return;
      tr.mapping.maps.forEach((map, index) => {
        const rest = tr.mapping.slice(index + 1);
        map.forEach((oldStart, oldEnd, newStart, newEnd) => {
          if (newEnd > newStart) ranges.push([rest.map(newStart, 1), rest.map(newEnd, -1)]);
        });
      });
    });
    if (!ranges.length) return null;
    const tr = newState.tr;
    ranges.forEach(([from, to]) => {
      newState.doc.nodesBetween(from, to, (node, pos) => {
        if (node.isInline && !markOf(node, ins)) {
          tr.addMark(Math.max(pos, from), Math.min(pos + node.nodeSize, to), ins.create(insertAttrs(newState.doc, from)));
        }
        return true;
      });
    });
    return tr.steps.length ? tr.setMeta(suggestKey, { tracked: true }) : null;
  }

  const plugin = new Plugin({
    key: suggestKey,
    props: {
      handleTextInput: (view, from, to, text) => (ctx.on ? typeText(view, from, to, text.replace(/\t/g, " ")) : typePlain(view, from, to, text)),
      handlePaste: (view, event, slice) => (ctx.on ? paste(view, slice) : false),
      handleDrop: () => {
        if (!ctx.on) return false;
        ctx.say("Moving text by dragging cannot be suggested: copy it and paste it instead.");
        return true;
      },
      handleDOMEvents: {
        cut: (view, event) => (ctx.on ? cut(view, event) : false),
      },
    },
    appendTransaction: (transactions, oldState, newState) => (ctx.on ? catchUp(transactions, oldState, newState) : null),
  });

  const keys = {
    Backspace: deleteKey(-1, false),
    Delete: deleteKey(1, false),
    "Mod-Backspace": deleteKey(-1, true),
    "Mod-Delete": deleteKey(1, true),
    "Shift-Backspace": deleteKey(-1, false),
    Enter: enter,
    "Shift-Enter": hardBreak,
  };
  // The Mac's own deleting keys (as prosemirror-commands' macBaseKeymap has them).
  if (typeof navigator !== "undefined" && /Mac|iP(hone|[oa]d)/.test(navigator.platform)) {
    Object.assign(keys, {
      "Ctrl-h": deleteKey(-1, false), "Alt-Backspace": deleteKey(-1, true), "Ctrl-d": deleteKey(1, false),
      "Ctrl-Alt-Backspace": deleteKey(1, true), "Alt-Delete": deleteKey(1, true), "Alt-d": deleteKey(1, true),
    });
  }
  return { plugin, keys, formatCommand, insertNode, markDeleted };
}
