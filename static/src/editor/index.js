// window.CaseReviewEditor: the rich-text editor of a report section (and of an IMR narrative),
// on ProseMirror. Built by `make vendor` into static/vendor/editor/casereview-editor.js.
// The API is described in notes/editor-contract.md.
import { EditorState, TextSelection, Selection } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { Slice, Fragment } from "prosemirror-model";
import { keymap } from "prosemirror-keymap";
import { baseKeymap, chainCommands } from "prosemirror-commands";
import { history, undo, redo } from "prosemirror-history";
import { splitListItem } from "prosemirror-schema-list";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { tableEditing } from "prosemirror-tables";
import { buildSchema, parseHTML, serialise, referenceLabel } from "./schema.js";
import { createTracker, suggestKey, LOAD } from "./suggest.js";
import { collectChanges, decide, changeAt, describeFormat } from "./changes.js";
import { blockCommands, linkBox, markActive, blockActive, inNode, quote, toggleMark, insertDataBlock, dataBlockBox, paragraphStyle } from "./commands.js";

const TOGGLES = ["bold", "italic", "underline", "h2", "h3", "bullet_list", "ordered_list", "blockquote", "redaction", "suggesting",
  "style_finding", "style_learning_point"];
const MARK_OF = { bold: "strong", italic: "em", underline: "u" };
// What may be done in suggesting mode besides typing and deleting.
const WHILE_SUGGESTING = ["bold", "italic", "underline", "comment", "suggesting", "undo", "redo"];

function untab(slice, schema) {
  function map(fragment) {
    const nodes = [];
    fragment.forEach((node) => {
      if (node.isText) nodes.push(node.text.indexOf("\t") === -1 ? node : schema.text(node.text.replace(/\t/g, " "), node.marks));
      else nodes.push(node.copy(map(node.content)));
    });
    return Fragment.from(nodes);
  }
  return new Slice(map(slice.content), slice.openStart, slice.openEnd);
}

function create(options) {
  const noop = () => {};
  const onChange = options.onChange || noop;
  const say = options.onStatus || noop;
  const user = options.user || { id: 0, name: "" };
  const authors = Object.assign({}, options.authors || {});
  const labels = Object.assign({}, options.referenceLabels || {});
  const trackChanges = Boolean(options.trackChanges);
  const toolbar = options.toolbar || null;
  const ctx = { user, on: trackChanges && Boolean(options.suggesting || options.forced), say };
  const forced = trackChanges && Boolean(options.forced);
  let editable = true;
  const unredacted = new Set(); // redacted passages the person took the mark off

  const authorName = (id) => authors[String(id)] || (String(id) === String(user.id) ? user.name : "Someone");
  const when = (time) => {
    const date = new Date(time);
    return isNaN(date) ? time : date.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  };
  const describe = (what, attrs) => what + " by " + authorName(attrs.author) + ", " + when(attrs.time);
  const dataBlocks = options.dataBlocks || [];
  const schema = buildSchema(labels, describe, dataBlocks);
  const tracker = createTracker(schema, ctx);
  const blocks = blockCommands(schema, say);
  let view = null;
  const openLink = linkBox(() => view, say);
  const openDataBlock = dataBlockBox(() => view, say, dataBlocks, (token) => insertDataBlock(schema, token)(view.state, view.dispatch));

  function suggestingRefusal(name) {
    say(forced
      ? "Your changes are suggestions for the chair: only typing, deleting, bold, italic, underline and comments can be suggested."
      : "Leave suggesting mode (the Suggesting button, or Ctrl+Shift+E) to use that; only text and bold, italic, underline can be suggested.");
    return true;
  }

  function selectionText(state) {
    const { from, to } = (state || view.state).selection;
    return (state || view.state).doc.textBetween(from, to, " ", (leaf) =>
      leaf.type.name === "reference" ? referenceLabel(labels, leaf.attrs.token) : leaf.type.name === "hard_break" ? " " : "");
  }

  // The whole redacted runs the selection touches (unmarking part of a passage unmarks it).
  function redactedRuns(doc, from, to) {
    const runs = [];
    let run = null;
    const type = schema.marks.redaction;
    doc.descendants((node, pos) => {
      if (!node.isInline) {
        if (run) { runs.push(run); run = null; }
        return true;
      }
      if (type.isInSet(node.marks)) {
        run = run || { from: pos, text: "" };
        run.text += node.isText ? node.text : node.type.name === "reference" ? node.attrs.token : "";
        run.to = pos + node.nodeSize;
      } else if (run) {
        runs.push(run);
        run = null;
      }
      return false;
    });
    if (run) runs.push(run);
    return runs.filter((r) => r.from < to && r.to > from);
  }

  function toggleRedaction() {
    const state = view.state;
    const { from, to, empty } = state.selection;
    if (empty) {
      say("Select the passage first (hold Shift and use the arrow keys), then press Redact or Ctrl+Shift+X.");
      return true;
    }
    if (ctx.on) return suggestingRefusal("redaction");
    const passage = quote(selectionText());
    const type = schema.marks.redaction;
    if (markActive(state, type)) {
      const runs = redactedRuns(state.doc, from, to);
      const tr = state.tr;
      runs.forEach((run) => { unredacted.add(run.text); tr.removeMark(run.from, run.to, type); });
      view.dispatch(tr);
      say("Redaction removed from “" + passage + "”: it will be published. Changes not saved yet.");
    } else {
      view.dispatch(state.tr.addMark(from, to, type.create()));
      redactedRuns(view.state.doc, from, to).forEach((run) => {
        unredacted.forEach((text) => { if (run.text.indexOf(text) !== -1) unredacted.delete(text); });
      });
      say("Redacted “" + passage + "”: it becomes “[Redacted]” in the publication version. Changes not saved yet.");
    }
    return true;
  }

  function setSuggesting(on) {
    if (!trackChanges || (forced && !on)) return false;
    ctx.on = on;
    say(on ? "Suggesting: what you type, delete or format is marked as a change for the chair to accept or reject."
      : "Editing: your changes go straight into the text.");
    view.dispatch(view.state.tr.setMeta(suggestKey, { mode: on }));
    return true;
  }

  function decideAt(accept) {
    if (!trackChanges || forced) return suggestingRefusal();
    const id = changeAt(view.state);
    if (!id) {
      say("There is no tracked change at the cursor.");
      return true;
    }
    const change = api.changes().find((c) => c.id === id);
    api[accept ? "accept" : "reject"](id);
    say((accept ? "Accepted " : "Rejected ") + (change ? change.authorName + "’s change" : "the change") + ". Changes not saved yet…");
    return true;
  }

  const commands = {
    bold: tracker.formatCommand("strong"),
    italic: tracker.formatCommand("em"),
    underline: tracker.formatCommand("u"),
    link: () => openLink(),
    data_block: () => openDataBlock(),
    redaction: () => toggleRedaction(),
    comment: () => { if (options.onComment) options.onComment(); return true; },
    suggesting: () => setSuggesting(!ctx.on),
    undo,
    redo,
  };
  Object.keys(blocks).forEach((name) => { commands[name] = blocks[name]; });

  function run(name) {
    const command = commands[name];
    if (!command || !editable) return false;
    if (ctx.on && WHILE_SUGGESTING.indexOf(name) === -1) return suggestingRefusal(name);
    const done = command(view.state, view.dispatch, view);
    if (!done && name.indexOf("table_") === 0) say("Put the cursor in a table first.");
    return true;
  }

  const keys = {
    "Mod-b": () => run("bold"),
    "Mod-i": () => run("italic"),
    "Mod-u": () => run("underline"),
    "Mod-k": () => run("link"),
    "Mod-z": () => run("undo"),
    "Mod-y": () => run("redo"),
    "Shift-Mod-z": () => run("redo"),
    // Ctrl+Shift+X (Cmd+Shift+X on a Mac): no browser shortcut of its own.
    "Mod-Shift-x": () => run("redaction"),
    "Mod-Shift-X": () => run("redaction"),
    // Ctrl+Alt+M: a comment on the selected passage, as in other editors.
    "Mod-Alt-m": () => run("comment"),
    // Ctrl+Shift+E: suggesting on or off (as Track Changes in Word); Ctrl+Alt+A / Ctrl+Alt+R:
    // accept or reject the change at the cursor.
    "Mod-Shift-e": () => (trackChanges && !forced ? setSuggesting(!ctx.on) : false),
    "Mod-Shift-E": () => (trackChanges && !forced ? setSuggesting(!ctx.on) : false),
    "Mod-Alt-a": () => (trackChanges ? decideAt(true) : false),
    "Mod-Alt-r": () => (trackChanges ? decideAt(false) : false),
    // In a list item Tab indents it (a list inside the item above), Shift+Tab brings it back out;
    // anywhere else (or where it cannot) they move between the page's controls as usual.
    Tab: (state, dispatch) => editable && !ctx.on && blocks.indent(state, dispatch),
    "Shift-Tab": (state, dispatch) => editable && !ctx.on && blocks.outdent(state, dispatch),
  };

  const plugins = [
    tracker.plugin,
    keymap(keys),
    keymap(tracker.keys),
    keymap({ Enter: splitListItem(schema.nodes.list_item), "Shift-Enter": chainCommands((state, dispatch) => {
      if (dispatch) dispatch(state.tr.replaceSelectionWith(schema.nodes.hard_break.create()).scrollIntoView());
      return true;
    }) }),
    keymap(baseKeymap),
    history(),
    dropCursor(),
    gapCursor(),
    tableEditing(),
  ];

  function newState(html) {
    return EditorState.create({ doc: parseHTML(schema, html), plugins });
  }

  function showState(state) {
    if (!toolbar) return;
    const pressed = {
      redaction: markActive(state, schema.marks.redaction),
      h2: blockActive(state, schema.nodes.heading, { level: 2 }),
      h3: blockActive(state, schema.nodes.heading, { level: 3 }),
      bullet_list: inNode(state, schema.nodes.bullet_list),
      ordered_list: inNode(state, schema.nodes.ordered_list),
      blockquote: inNode(state, schema.nodes.blockquote),
      style_finding: paragraphStyle(state) === "finding",
      style_learning_point: paragraphStyle(state) === "learning-point",
      suggesting: ctx.on,
    };
    Object.keys(MARK_OF).forEach((name) => { pressed[name] = markActive(state, schema.marks[MARK_OF[name]]); });
    toolbar.querySelectorAll("[data-command]").forEach((button) => {
      const name = button.dataset.command;
      if (TOGGLES.indexOf(name) !== -1) button.setAttribute("aria-pressed", pressed[name] ? "true" : "false");
      if (name === "suggesting" && forced) button.disabled = true;
    });
  }

  view = new EditorView(options.holder, {
    state: newState(options.html),
    editable: () => editable,
    attributes: {
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": options.label || "Text",
      class: "editor-text",
      spellcheck: "true",
    },
    transformPastedText: (text) => text.replace(/\t/g, " "),
    transformPasted: (slice) => untab(slice, schema),
    dispatchTransaction(tr) {
      const state = view.state.apply(tr);
      view.updateState(state);
      showState(state);
      if (tr.docChanged && !tr.getMeta(LOAD)) onChange();
    },
  });
  showState(view.state);

  if (toolbar) {
    // The buttons keep the text's selection: a click does not take the focus from the text.
    toolbar.addEventListener("mousedown", (event) => {
      if (event.target.closest("[data-command]")) event.preventDefault();
    });
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("[data-command]");
      if (!button) return;
      run(button.dataset.command);
      if (["link", "comment", "data_block"].indexOf(button.dataset.command) === -1) view.focus();
    });
  }

  const api = {
    view,
    getHTML: () => serialise(schema, view.state.doc),
    setHTML(html) {
      const doc = parseHTML(schema, html);
      const tr = view.state.tr.replaceWith(0, view.state.doc.content.size, doc.content).setMeta(LOAD, true);
      tr.setSelection(Selection.atStart(tr.doc));
      view.dispatch(tr);
    },
    focus: () => view.focus(),
    setEditable(on) {
      editable = Boolean(on);
      view.setProps({});
      toolbar && toolbar.querySelectorAll("[data-command]").forEach((button) => {
        button.disabled = !editable || (button.dataset.command === "suggesting" && forced);
      });
    },
    isSuggesting: () => ctx.on,
    setSuggesting: (on) => setSuggesting(Boolean(on)),
    insertReference(token, label) {
      if (label) labels[token.slice(2, -2)] = label;
      const node = schema.nodes.reference.create({ token });
      if (ctx.on) tracker.insertNode(view, node);
      else view.dispatch(view.state.tr.replaceSelectionWith(node, false).scrollIntoView());
      view.focus();
    },
    selectionText: () => selectionText(),
    anchorComment(uuid) {
      const { from, to, empty } = view.state.selection;
      if (empty) return false;
      const tr = view.state.tr.addMark(from, to, schema.marks.comment.create({ id: uuid }));
      view.dispatch(tr.setMeta(suggestKey, { tracked: true }));
      return true;
    },
    // Comment anchors in the text: {uuid: quoted text}.
    anchors() {
      const found = {};
      view.state.doc.descendants((node) => {
        node.marks.forEach((mark) => {
          if (mark.type.name === "comment") found[mark.attrs.id] = (found[mark.attrs.id] || "") + (node.text || "");
        });
      });
      return found;
    },
    changes: () => collectChanges(view.state.doc, (token) => referenceLabel(labels, token)).map((change) =>
      Object.assign(change, { authorName: authorName(change.author), when: when(change.time), formatText: change.format ? describeFormat(change.format) : "" })),
    accept: (id) => decideWith((cid) => cid === id, true),
    reject: (id) => decideWith((cid) => cid === id, false),
    acceptAll: (author) => decideWith((cid) => authorOf(cid) === String(author), true),
    rejectAll: (author) => decideWith((cid) => authorOf(cid) === String(author), false),
    // Redacted passages the person took the mark off (sent with the save), and forgetting them.
    unredacted: () => Array.from(unredacted),
    forgetUnredacted: (texts) => texts.forEach((text) => unredacted.delete(text)),
    // ?block=N: the cursor at the start of the Nth block of the text; false if there is none.
    caretToBlock(index) {
      const doc = view.state.doc;
      if (index < 0 || index >= doc.childCount) return false;
      let pos = 0;
      for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
      view.dispatch(view.state.tr.setSelection(Selection.near(doc.resolve(pos + 1))).setMeta(LOAD, true));
      view.focus();
      const dom = view.nodeDOM(pos);
      if (dom && dom.scrollIntoView) dom.scrollIntoView({ block: "center" });
      return true;
    },
  };

  function authorOf(id) {
    const change = collectChanges(view.state.doc, (t) => t).find((c) => c.id === id);
    return change ? change.author : null;
  }

  function decideWith(chosen, accept) {
    if (!trackChanges || !editable) return false;
    const tr = decide(view.state, chosen, accept);
    if (!tr) return false;
    view.dispatch(tr);
    return true;
  }

  return api;
}

window.CaseReviewEditor = { create, TextSelection };
