"""Section text: sanitised HTML, split into paragraphs, read as plain text and rewritten text
node by text node, and the references it cites. Pure functions: strings in, strings out, no
database. Redaction marks in this text are reports.redactions.

Everything typed or pasted into the editor goes through ``sanitise`` on the server before it
is stored, so what reaches a page, a PDF or a Word file is only the markup listed here."""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

import nh3

# Token, tokens and serialise are read from here by the other modules as well.
from reports.markup import Token, serialise, tokens
from reviews.publication import normalise

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote",
    "a", "table", "thead", "tbody", "tr", "th", "td", "span", "ins", "del",
}  # fmt: skip
# Tracked changes (a suggested insertion, deletion, inserted block or format change) carry who
# made them and when; every value is checked (``_tracked_markup``) and dropped if it is not one.
CHANGE_ATTRIBUTES = ("data-change", "data-author", "data-time")
# The blocks a suggester may add with Enter: the block carries the change, its text is in <ins>.
CHANGE_BLOCKS = {"p", "h2", "h3", "h4", "li"}
# ``data-list`` only until the lists are normalised: the editor writes every list as <ol>, the
# kind of list on each item.
ATTRIBUTES = {
    "a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"},
    **{tag: set(CHANGE_ATTRIBUTES) for tag in CHANGE_BLOCKS | {"ins", "del"}},
    "li": {"data-list", *CHANGE_ATTRIBUTES},
    "p": {"data-style", *CHANGE_ATTRIBUTES},
    "span": {*CHANGE_ATTRIBUTES, "data-format", "data-comment"},
}  # fmt: skip
# A paragraph's style (the editor's block-type choice): printed boxed, a Word paragraph style.
PARAGRAPH_STYLES = ("finding", "learning-point")
CHANGE_ID_RE = re.compile(r"[A-Za-z0-9-]{8,36}")
AUTHOR_RE = re.compile(r"[0-9]{1,12}")
# A time that can be: month 01–12, day 01–31, hour 00–23 (never "9999-99-99T99:99:99Z").
TIME_RE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z")
FORMAT_RE = re.compile(r"[+-](?:strong|em|u|s|sub|sup)(?: [+-](?:strong|em|u|s|sub|sup))*")
COMMENT_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# The only class that survives: the mark on a redacted passage.
CLASSES = {"span": {"redaction"}}
URL_SCHEMES = {"http", "https", "mailto"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "table"}
# Word and the editor both write <b>/<i>; keep them as their meaning.
# A <del> is a tracked deletion only with its change's id, author and time; Word's is struck
# through (``_tracked_markup`` makes it <s>).
_RENAMES = {"b": "strong", "i": "em", "h1": "h2", "h5": "h4", "h6": "h4", "strike": "s"}
_RENAME_RE = re.compile(r"<(/?)(b|i|h1|h5|h6|strike)(?=[\s>/])", re.IGNORECASE)
# The editor writes every space as &nbsp;; a report never needs one. Nor a tab: Tab moves between
# controls, and one pasted in would be a tab stop in the Word file.
_NBSP_RE = re.compile(r"&nbsp;|&#160;|&#xa0;|\u00a0|&#9;|&#x9;|&Tab;|\t", re.IGNORECASE)

# Nesting deeper than any document needs. Before parsing, a generous bound on the text as sent
# (the HTML parser's time grows faster than the text with depth); after cleaning, the bound a
# document is held to: the renderers walk the markup level by level, and no report needs lists in
# lists or formatting in formatting forty deep.
MAX_DEPTH = 200
MAX_NESTING = 40
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]*)")
# Elements that close themselves (void) or are closed by the next of their kind (optional end
# tags): left open in pasted text, they do not nest, so they are not counted before parsing.
_NOT_NESTING = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup", "option", "optgroup",
    "rb", "rt", "rtc", "rp",
}  # fmt: skip


class TooDeeplyNested(ValueError):
    pass


def _check_depth(value: str) -> None:
    depth = 0
    for match in _TAG_RE.finditer(value):
        if match.group(2).lower() in _NOT_NESTING:
            continue
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        if depth > MAX_DEPTH:
            raise TooDeeplyNested(f"The text is nested more than {MAX_DEPTH} levels deep.")


def nesting_depth(value: str) -> int:
    """How deep the elements of clean (well-formed) section HTML nest; without recursion."""
    depth = deepest = 0
    for token in tokens(value):
        if token.kind == "start":
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "end":
            depth = max(depth - 1, 0)
    return deepest


REFERENCE_RE = re.compile(r"\[\[(entry|imr|term):([^\[\]\s]{1,60})\]\]")


def sanitise(value: str) -> str:
    """The stored form of section text: only the allowed markup, links with safe schemes,
    no scripts, event handlers, styles or comments; empty paragraphs at the ends dropped.
    Raises ``TooDeeplyNested`` for markup nested deeper than ``MAX_NESTING`` once cleaned (or
    ``MAX_DEPTH`` as sent, refused before it is parsed)."""
    value = _NBSP_RE.sub(" ", normalise(value or ""))  # NFC; no NUL or invisible format characters
    _check_depth(value)
    value = _RENAME_RE.sub(lambda m: f"<{m.group(1)}{_RENAMES[m.group(2).lower()]}", value)
    cleaned = nh3.clean(
        value,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    cleaned = normalise(cleaned)  # again: nh3 turns "&shy;" and "&#8203;" into the characters themselves
    blocks_ = _blocks_of(_normalise_lists(_tracked_markup(tokens(cleaned))))
    while blocks_ and not blocks_[0].text.strip() and blocks_[0].tag == "p":
        blocks_.pop(0)
    while blocks_ and not blocks_[-1].text.strip() and blocks_[-1].tag == "p":
        blocks_.pop()
    if max((block.depth for block in blocks_), default=0) > MAX_NESTING:
        raise TooDeeplyNested(
            f"The text is nested more than {MAX_NESTING} levels deep (lists inside lists, or formatting inside "
            "formatting)."
        )
    result = "".join(block.html for block in blocks_)
    _blocks_keep(result, blocks_)  # what the save, its checks and the next save read again
    return result


def _change(attrs: dict[str, str | None]) -> tuple[tuple[str, str], ...]:
    """A tracked change's id, author and time, each checked; none at all if any is not one."""
    change, author, time = (attrs.get(name) or "" for name in CHANGE_ATTRIBUTES)
    if CHANGE_ID_RE.fullmatch(change) and AUTHOR_RE.fullmatch(author) and TIME_RE.fullmatch(time):
        return (("data-change", change), ("data-author", author), ("data-time", time))
    return ()


def _span_attrs(attrs: dict[str, str | None], classes: str) -> tuple[tuple[str, str], ...]:
    kept: list[tuple[str, str]] = []
    change = _change(attrs)
    if change and FORMAT_RE.fullmatch(attrs.get("data-format") or ""):
        kept += [*change, ("data-format", attrs["data-format"] or "")]
    if COMMENT_RE.fullmatch(attrs.get("data-comment") or ""):
        kept.append(("data-comment", attrs["data-comment"] or ""))
    if "redaction" in classes.split():
        kept.append(("class", "redaction"))
    return tuple(kept)


def _block_attrs(attrs: tuple[tuple[str, str | None], ...]) -> tuple[tuple[str, str], ...]:
    """A block's change first (has_pending and reports.suggesting read it there), then its other
    attributes, a paragraph style only if it is one of PARAGRAPH_STYLES."""
    other = tuple(
        (name, value or "")
        for name, value in attrs
        if name not in CHANGE_ATTRIBUTES and (name != "data-style" or value in PARAGRAPH_STYLES)
    )
    return _change(dict(attrs)) + other


def _tracked_markup(items: list[Token]) -> list[Token]:
    """Every attribute value of the tracked-changes markup checked, and what is not valid
    dropped (the text kept): a span means something only as a redaction mark, a comment's anchor
    or a suggested format change (Word's other spans go, so they cannot pile up or carry an empty
    class); an <ins> without a valid change is plain text; a <del> without one is struck through."""
    out: list[Token] = []
    stack: list[str | None] = []  # the tag each open span, ins or del was written as (None: dropped)
    for token in items:
        if token.kind == "start" and token.tag in ("span", "ins", "del"):
            attrs = dict(token.attrs)
            if token.tag == "span":
                kept = _span_attrs(attrs, attrs.get("class") or "")
                tag: str | None = "span" if kept else None
            else:
                kept = _change(attrs)
                tag = token.tag if kept else ("s" if token.tag == "del" else None)
            stack.append(tag)
            if tag:
                out.append(Token("start", tag, kept))
        elif token.kind == "end" and token.tag in ("span", "ins", "del"):
            tag = stack.pop() if stack else None
            if tag:
                out.append(Token("end", tag))
        elif token.kind == "start" and token.tag in CHANGE_BLOCKS and token.attrs:
            out.append(Token("start", token.tag, _block_attrs(token.attrs)))
        else:
            out.append(token)
    return out


def _normalise_lists(items: list[Token]) -> list[Token]:
    """An <ol> whose items say data-list="bullet" is a bulleted list: <ul>. One pass over the
    tokens (a regular expression here took time growing with the square of unclosed lists)."""
    out: list[Token] = []
    open_lists: list[tuple[int, bool]] = []  # (index of its start tag in out, bulleted?)
    for token in items:
        if token.kind == "start" and token.tag in ("ol", "ul"):
            open_lists.append((len(out), False))
            out.append(Token("start", token.tag))
        elif token.kind == "start" and token.tag == "li":
            if open_lists and ("data-list", "bullet") in token.attrs:
                open_lists[-1] = (open_lists[-1][0], True)
            out.append(Token("start", "li", tuple(attr for attr in token.attrs if attr[0] != "data-list")))
        elif token.kind == "end" and token.tag in ("ol", "ul") and open_lists:
            start, bulleted = open_lists.pop()
            tag = "ul" if bulleted or out[start].tag == "ul" else "ol"
            out[start] = Token("start", tag)
            out.append(Token("end", tag))
        else:
            out.append(token)
    return out


@dataclass(frozen=True)
class Block:
    """One top-level element of a section: a paragraph, heading, list, quotation or table."""

    tag: str
    html: str
    text: str
    depth: int = 1  # how deep its elements nest, itself included

    @property
    def is_paragraph(self) -> bool:
        """Paragraphs are what get numbers on output; headings, lists and tables do not."""
        return self.tag == "p" and bool(self.text.strip())


def _text_of(items: list[Token]) -> str:
    parts: list[str] = []
    for token in items:
        if token.kind == "text":
            parts.append(token.text)
        elif token.kind == "startend" and token.tag == "br":
            parts.append("\n")
        elif token.kind == "end" and token.tag in {"li", "td", "th", "tr", "p"}:
            parts.append(" ")
        elif token.kind == "start" and token.tag in {"ul", "ol"}:
            parts.append(" ")  # a list nested in an item: "One" and "One a" are two words
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _blocks_of(items: list[Token]) -> list[Block]:
    """The top-level blocks of section markup. Text outside any block becomes a paragraph."""
    result: list[Block] = []
    current: list[Token] = []
    depth = deepest = 0
    stray: list[Token] = []

    def flush_stray() -> None:
        if stray and _text_of(stray):
            wrapped = [Token("start", "p"), *stray, Token("end", "p")]
            result.append(Block("p", serialise(wrapped), _text_of(stray), _depth(wrapped)))
        stray.clear()

    for token in items:
        if depth == 0 and not (token.kind == "start" and token.tag in BLOCK_TAGS):
            stray.append(token)
            continue
        if depth == 0:
            flush_stray()
        current.append(token)
        if token.kind == "start":
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "end":
            depth -= 1
        if depth == 0:
            result.append(Block(current[0].tag, serialise(current), _text_of(current), deepest))
            current, deepest = [], 0
    if current:  # unclosed markup at the end: close it rather than lose the text
        closing = [Token("end", token.tag) for token in reversed(current) if token.kind == "start"][:depth]
        current.extend(closing)
        result.append(Block(current[0].tag, serialise(current), _text_of(current), deepest))
    flush_stray()
    return result


def _depth(items: list[Token]) -> int:
    depth = deepest = 0
    for token in items:
        if token.kind == "start":
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "end":
            depth = max(depth - 1, 0)
    return deepest


# The blocks of the last few texts read: a save reads its text's blocks for the sanitiser, the
# redaction guard and the suggesting rule, and the next save reads the same text again as the old.
_BLOCKS: OrderedDict[str, tuple[Block, ...]] = OrderedDict()
_BLOCKS_KEPT = 8
_BLOCKS_LOCK = Lock()


def _blocks_keep(value: str, found: list[Block]) -> None:
    with _BLOCKS_LOCK:
        _BLOCKS[value] = tuple(found)
        _BLOCKS.move_to_end(value)
        while len(_BLOCKS) > _BLOCKS_KEPT:
            _BLOCKS.popitem(last=False)


def blocks(value: str) -> list[Block]:
    """The top-level blocks of section HTML. Text outside any block becomes a paragraph."""
    value = value or ""
    with _BLOCKS_LOCK:
        kept = _BLOCKS.get(value)
    if kept is not None:
        return list(kept)
    found = _blocks_of(tokens(value))
    if len(value) > 10_000:  # worth keeping: a long section
        _blocks_keep(value, found)
    return found


def plain_text(value: str) -> str:
    """The words of section HTML, a blank line between blocks: for diffs and the checks."""
    return "\n\n".join(block.text for block in blocks(value) if block.text)


def text_map(value: str, change: Callable[[str], str]) -> str:
    """Rewrite every text node, leaving the markup as it is (anonymising, for instance)."""
    return serialise([Token("text", text=change(t.text)) if t.kind == "text" else t for t in tokens(value)])


def references(value: str) -> list[tuple[str, str]]:
    """The references cited in section text, in order: ("entry", "41"), ("term", "MARAC")..."""
    return [(m.group(1), m.group(2)) for m in REFERENCE_RE.finditer(value or "")]


# Markup that ``accepted`` changes: without any of it, a text is already as accepted.
_PENDING_RE = re.compile(r"<ins[\s>]|<del[\s>]|\sdata-change=|\sdata-comment=")
# Never dropped for being left empty: a table keeps its shape.
_KEEP_EMPTY = {"table", "thead", "tbody", "tr", "th", "td"}


@dataclass
class _Open:
    tag: str
    start: int  # index of its start tag in the output; -1 when unwrapped (only its content kept)
    removed: bool = False  # something inside it was a pending insertion, now gone


class _Accepting:
    """One pass over clean section text, writing the accepted text (see ``accepted``)."""

    def __init__(self) -> None:
        self.out: list[Token] = []
        self.stack: list[_Open] = []
        self.skipping = 0  # depth inside an insertion being dropped

    def removed(self) -> None:
        if self.stack:
            self.stack[-1].removed = True

    def feed(self, token: Token) -> None:
        if self.skipping:
            self.skipping += {"start": 1, "end": -1}.get(token.kind, 0)
            if not self.skipping:
                self.removed()
        elif token.kind == "start":
            self.start(token)
        elif token.kind == "end":
            self.end(token)
        else:
            self.out.append(token)

    def start(self, token: Token) -> None:
        names = {name for name, _value in token.attrs}
        if token.tag == "ins" or (token.tag in CHANGE_BLOCKS and "data-change" in names):
            self.skipping = 1
        elif token.tag == "del":
            self.stack.append(_Open("del", -1))
        elif token.tag == "span" and names & {"data-change", "data-comment"}:
            redaction = ("class", "redaction") in token.attrs
            self.stack.append(_Open("span", len(self.out) if redaction else -1))
            if redaction:
                self.out.append(Token("start", "span", (("class", "redaction"),)))
        else:
            self.stack.append(_Open(token.tag, len(self.out)))
            self.out.append(token)

    def end(self, token: Token) -> None:
        if not any(item.tag == token.tag for item in self.stack):
            return  # an end tag with no start: markup not from the sanitiser
        while self.stack:
            item = self.stack.pop()
            if item.start < 0:
                if item.removed:
                    self.removed()
            elif item.removed and len(self.out) == item.start + 1 and item.tag not in _KEEP_EMPTY:
                del self.out[item.start]
                self.removed()
            else:
                self.out.append(Token("end", item.tag))
            if item.tag == token.tag:
                return


def accepted(value: str) -> str:
    """The text every output shows: pending suggestions not applied. A tracked insertion goes
    with its content, and so does a block a suggester added; a tracked deletion's text stays (its
    mark goes), a suggested format change leaves the text with the marks it had, and comment
    anchors go. An element left empty by what went is dropped (a table cell stays). Pure and
    idempotent; a text without tracked changes or anchors is returned as it is."""
    if not value or not _PENDING_RE.search(value):
        return value or ""
    accepting = _Accepting()
    for token in tokens(value):
        accepting.feed(token)
    return serialise(accepting.out)


_accepted_block = functools.lru_cache(maxsize=4096)(accepted)


def accepted_blocks(value: str) -> list[str]:
    """The accepted text block by block (blocks left with nothing out): what ``accepted`` gives,
    joined, with each block worked out once for every save that keeps it (a long section's
    saves change a block or two)."""
    return [html for html in (_accepted_block(block.html) for block in blocks(value)) if html]


# A change's id is the first attribute of its element (``_change``): words spelling one are not.
_PENDING_CHANGE_RE = re.compile(r'<[a-z][a-z0-9]* data-change="')


def has_pending(value: str) -> bool:
    """Whether section text holds suggested changes not yet accepted or rejected."""
    return bool(_PENDING_CHANGE_RE.search(value or ""))
