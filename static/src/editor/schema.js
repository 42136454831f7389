// The document schema of a section's text, matching the stored HTML that
// reports.richtext.sanitise keeps (see notes/editor-contract.md), and the two ways through it:
// stored HTML -> document (references found in the text), document -> stored HTML.
import { Schema, DOMParser, DOMSerializer } from "prosemirror-model";
import { tableNodes } from "prosemirror-tables";

export const REFERENCE_RE = /\[\[(entry|imr|term):([^\[\]\s]{1,60})\]\]/g;
const CHANGE_ID_RE = /^[A-Za-z0-9-]{8,36}$/;
const AUTHOR_RE = /^\d+$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const FORMAT_MARKS = ["strong", "em", "u", "s", "sub", "sup"];
// A paragraph that is a data block: its whole text a token (reports.data_blocks on the server).
export const DATA_BLOCK_RE = /^\[\[data:[a-z][a-z-]{0,40}(?::[0-9]{1,12})?\]\]$/;
// A paragraph's style (reports.richtext.PARAGRAPH_STYLES): shown boxed, printed boxed.
export const PARAGRAPH_STYLES = { finding: "Finding", "learning-point": "Learning point" };
const DATA_BLOCK_NAMES = {
  "terms-of-reference": "Terms of reference and key lines of enquiry",
  panel: "Panel members",
  contributors: "Contributing agencies and IMR authors",
  "key-episodes": "Key episodes",
  "episode-chronology": "Chronology of a key episode",
  recommendations: "Recommendations table",
};

// The attributes of a change (a tracked insertion, deletion, format change or inserted block),
// read from an element only when all three are well formed.
function changeFrom(dom) {
  const change = dom.getAttribute("data-change") || "";
  const author = dom.getAttribute("data-author") || "";
  const time = dom.getAttribute("data-time") || "";
  if (!CHANGE_ID_RE.test(change) || !AUTHOR_RE.test(author) || !TIME_RE.test(time)) return null;
  return { change, author, time };
}

function changeDOM(attrs) {
  return { "data-change": attrs.change, "data-author": attrs.author, "data-time": attrs.time };
}

const changeAttrs = { change: { default: null }, author: { default: null }, time: { default: null } };

function blockChange(dom) {
  return changeFrom(dom) || {};
}

function withChange(attrs, rest) {
  return attrs.change ? Object.assign(changeDOM(attrs), rest || {}) : rest || {};
}

// choices: [{token, label}] offered for the review; a token not among them is named from its kind.
export function dataBlockLabel(choices, token) {
  const found = (choices || []).find((choice) => choice.token === token);
  if (found) return found.label;
  const name = token.slice(7, -2).split(":")[0];
  if (name === "episode-chronology") return "Chronology of an episode not in this review";
  return DATA_BLOCK_NAMES[name] || "Unknown data block " + token;
}

function paragraphAttrs(dom) {
  const style = dom.getAttribute("data-style");
  return Object.assign(blockChange(dom), style && PARAGRAPH_STYLES[style] ? { style } : {});
}

function dataBlockAttrs(dom) {
  const text = dom.textContent.trim();
  if (dom.attributes.length || dom.children.length || !DATA_BLOCK_RE.test(text)) return false;
  return { token: text };
}

export function referenceLabel(labels, token) {
  const key = token.slice(2, -2);
  return labels[key] ? labels[key] : token + " (not found)";
}

// labels: {"entry:KEY": "#72 · Police · 12 May 2012", ...}, read when a chip is drawn.
// choices: the data blocks offered (their labels name the cards).
export function buildSchema(labels, describe, choices) {
  const tables = tableNodes({ tableGroup: "block", cellContent: "block+", cellAttributes: {} });
  const nodes = {
    doc: { content: "block+" },
    paragraph: {
      content: "inline*",
      group: "block",
      attrs: Object.assign({ style: { default: null } }, changeAttrs),
      parseDOM: [{ tag: "p", getAttrs: paragraphAttrs }],
      toDOM: (node) => ["p", withChange(node.attrs, node.attrs.style ? { "data-style": node.attrs.style } : {}), 0],
    },
    // A data block: stored as the token paragraph <p>[[data:NAME]]</p>, shown as a card that is
    // not edited letter by letter (the server renders it from the review's data).
    data_block: {
      group: "block",
      atom: true,
      selectable: true,
      draggable: false,
      attrs: { token: {} },
      parseDOM: [
        { tag: "p", priority: 60, getAttrs: dataBlockAttrs },
        { tag: "div[data-data-block]", getAttrs: (dom) => (DATA_BLOCK_RE.test(dom.getAttribute("data-data-block") || "") ? { token: dom.getAttribute("data-data-block") } : false) },
      ],
      toDOM: (node) => ["div", { class: "data-block-card", "data-data-block": node.attrs.token, contenteditable: "false" },
        ["span", { class: "data-block-name" }, "Data block: " + dataBlockLabel(choices, node.attrs.token)],
        ["span", { class: "data-block-note" }, " — rendered from the review"]],
    },
    heading: {
      content: "inline*",
      group: "block",
      defining: true,
      attrs: Object.assign({ level: { default: 2 } }, changeAttrs),
      parseDOM: [2, 3, 4].map((level) => ({
        tag: "h" + level,
        getAttrs: (dom) => Object.assign({ level }, blockChange(dom)),
      })).concat([{ tag: "h1", getAttrs: (dom) => Object.assign({ level: 2 }, blockChange(dom)) },
        { tag: "h5", getAttrs: () => ({ level: 4 }) }, { tag: "h6", getAttrs: () => ({ level: 4 }) }]),
      toDOM: (node) => ["h" + node.attrs.level, withChange(node.attrs), 0],
    },
    blockquote: {
      content: "block+",
      group: "block",
      defining: true,
      parseDOM: [{ tag: "blockquote" }],
      toDOM: () => ["blockquote", 0],
    },
    bullet_list: {
      content: "list_item+",
      group: "block",
      parseDOM: [{ tag: "ul" }, { tag: "ol", priority: 60, getAttrs: (dom) => (dom.querySelector(":scope > li[data-list=bullet]") ? {} : false) }],
      toDOM: () => ["ul", 0],
    },
    ordered_list: {
      content: "list_item+",
      group: "block",
      parseDOM: [{ tag: "ol" }],
      toDOM: () => ["ol", 0],
    },
    list_item: {
      content: "paragraph block*",
      defining: true,
      attrs: changeAttrs,
      parseDOM: [{ tag: "li", getAttrs: blockChange }],
      toDOM: (node) => ["li", withChange(node.attrs), 0],
    },
    table: Object.assign({}, tables.table, { toDOM: () => ["table", 0] }),
    table_row: tables.table_row,
    table_cell: tables.table_cell,
    table_header: tables.table_header,
    text: { group: "inline" },
    hard_break: {
      inline: true,
      group: "inline",
      selectable: false,
      parseDOM: [{ tag: "br" }],
      toDOM: () => ["br"],
    },
    // A citation: stored as its text token [[kind:key]], shown as a chip with its label.
    reference: {
      inline: true,
      group: "inline",
      atom: true,
      selectable: true,
      attrs: { token: {} },
      parseDOM: [{ tag: "span[data-reference]", getAttrs: (dom) => ({ token: dom.getAttribute("data-reference") }) }],
      toDOM: (node) => {
        const label = referenceLabel(labels, node.attrs.token);
        return ["span", { class: "reference-chip", "data-reference": node.attrs.token, contenteditable: "false" },
          ["span", { class: "visually-hidden" }, "Reference: "], label];
      },
    },
  };
  const marks = {
    // The outermost mark: a passage partly in bold stays one mark (one "[Redacted]").
    redaction: {
      parseDOM: [{ tag: "span.redaction" }],
      toDOM: () => ["span", { class: "redaction" }, 0],
    },
    // A comment pinned to a passage; comments may overlap.
    comment: {
      attrs: { id: {} },
      excludes: "",
      inclusive: false,
      parseDOM: [{
        tag: "span[data-comment]",
        getAttrs: (dom) => (UUID_RE.test(dom.getAttribute("data-comment")) ? { id: dom.getAttribute("data-comment") } : false),
      }],
      toDOM: (mark) => ["span", { "data-comment": mark.attrs.id, class: "comment-anchor" }, 0],
    },
    ins: {
      attrs: changeAttrs,
      inclusive: false,
      parseDOM: [{ tag: "ins", getAttrs: (dom) => changeFrom(dom) || false }],
      toDOM: (mark) => ["ins", Object.assign(changeDOM(mark.attrs), describe ? { title: describe("Inserted", mark.attrs) } : {}), 0],
    },
    del: {
      attrs: changeAttrs,
      inclusive: false,
      parseDOM: [{ tag: "del", priority: 60, getAttrs: (dom) => changeFrom(dom) || false }],
      toDOM: (mark) => ["del", Object.assign(changeDOM(mark.attrs), describe ? { title: describe("Deleted", mark.attrs) } : {}), 0],
    },
    format_change: {
      attrs: Object.assign({ format: {} }, changeAttrs),
      inclusive: false,
      parseDOM: [{
        tag: "span[data-format]",
        getAttrs: (dom) => {
          const change = changeFrom(dom);
          const format = (dom.getAttribute("data-format") || "").trim();
          const valid = format.split(/\s+/).every((t) => /^[+-]/.test(t) && FORMAT_MARKS.includes(t.slice(1)));
          return change && format && valid ? Object.assign({ format }, change) : false;
        },
      }],
      toDOM: (mark) => ["span", Object.assign(changeDOM(mark.attrs), { "data-format": mark.attrs.format },
        describe ? { title: describe("Formatted", mark.attrs) } : {}), 0],
    },
    link: {
      attrs: { href: {} },
      inclusive: false,
      parseDOM: [{ tag: "a[href]", getAttrs: (dom) => ({ href: dom.getAttribute("href") }) }],
      toDOM: (mark) => ["a", { href: mark.attrs.href }, 0],
    },
    strong: {
      parseDOM: [{ tag: "strong" }, { tag: "b", getAttrs: (dom) => dom.style.fontWeight !== "normal" && null },
        { style: "font-weight", getAttrs: (value) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null }],
      toDOM: () => ["strong", 0],
    },
    em: {
      parseDOM: [{ tag: "em" }, { tag: "i" }, { style: "font-style=italic" }],
      toDOM: () => ["em", 0],
    },
    u: { parseDOM: [{ tag: "u" }], toDOM: () => ["u", 0] },
    s: { parseDOM: [{ tag: "s" }, { tag: "strike" }, { tag: "del" }], toDOM: () => ["s", 0] },
    sub: { excludes: "sup", parseDOM: [{ tag: "sub" }], toDOM: () => ["sub", 0] },
    sup: { excludes: "sub", parseDOM: [{ tag: "sup" }], toDOM: () => ["sup", 0] },
  };
  return new Schema({ nodes, marks });
}

// Stored HTML -> a DOM fragment the parser reads: reference tokens in the text become
// span[data-reference] elements.
function withReferences(html) {
  const holder = document.createElement("div");
  holder.innerHTML = html || "";
  const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  texts.forEach((text) => {
    const value = text.nodeValue;
    REFERENCE_RE.lastIndex = 0;
    if (!REFERENCE_RE.test(value)) return;
    REFERENCE_RE.lastIndex = 0;
    const parts = document.createDocumentFragment();
    let last = 0;
    let match;
    while ((match = REFERENCE_RE.exec(value))) {
      if (match.index > last) parts.append(value.slice(last, match.index));
      const chip = document.createElement("span");
      chip.setAttribute("data-reference", match[0]);
      parts.append(chip);
      last = match.index + match[0].length;
    }
    if (last < value.length) parts.append(value.slice(last));
    text.replaceWith(parts);
  });
  return holder;
}

export function parseHTML(schema, html) {
  return DOMParser.fromSchema(schema).parse(withReferences(html));
}

// The stored form: references as their tokens, no titles, <li>/<td>/<th>/<blockquote> holding one
// plain paragraph hold its text directly, table rows in <thead>/<tbody>.
export function serialise(schema, doc) {
  const base = DOMSerializer.fromSchema(schema);
  const nodes = Object.assign({}, base.nodes, {
    reference: (node) => ["span", { "data-token": "" }, node.attrs.token],
    data_block: (node) => ["p", node.attrs.token],
  });
  const marks = Object.assign({}, base.marks, {
    ins: (mark) => ["ins", changeDOM(mark.attrs), 0],
    del: (mark) => ["del", changeDOM(mark.attrs), 0],
    format_change: (mark) => ["span", Object.assign(changeDOM(mark.attrs), { "data-format": mark.attrs.format }), 0],
    comment: (mark) => ["span", { "data-comment": mark.attrs.id }, 0],
  });
  const holder = document.createElement("div");
  holder.append(new DOMSerializer(nodes, marks).serializeFragment(doc.content));
  holder.querySelectorAll("span[data-token]").forEach((span) => span.replaceWith(span.textContent));
  holder.normalize();
  holder.querySelectorAll("li, td, th, blockquote").forEach((el) => {
    const only = el.children.length === 1 && el.firstElementChild;
    if (only && only.tagName === "P" && !only.attributes.length && el.childNodes.length === 1) {
      only.replaceWith(...only.childNodes);
    }
  });
  holder.querySelectorAll("table").forEach((table) => {
    const rows = Array.from(table.children).filter((el) => el.tagName === "TR");
    if (!rows.length) return;
    const headed = Array.from(rows[0].children).every((cell) => cell.tagName === "TH");
    if (headed) {
      const thead = document.createElement("thead");
      thead.append(rows.shift());
      table.append(thead);
    }
    if (rows.length) {
      const tbody = document.createElement("tbody");
      tbody.append(...rows);
      table.append(tbody);
    }
  });
  const empty = !holder.textContent.trim() && !holder.querySelector("table");
  return empty ? "" : holder.innerHTML;
}
