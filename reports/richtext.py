"""Section text: sanitised HTML, split into paragraphs, read as plain text and rewritten text
node by text node. Pure functions: strings in, strings out, no database.

Everything typed or pasted into the editor goes through ``sanitise`` on the server before it
is stored, so what reaches a page, a PDF or a Word file is only the markup listed here."""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from reviews.publication import normalise
from reviews.publication.characters import fold, fold_key

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote",
    "a", "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
# ``data-list`` only until the lists are normalised: the editor writes every list as <ol>, the
# kind of list on each item.
ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "li": {"data-list"}}
# The only class that survives: the mark on a redacted passage.
CLASSES = {"span": {"redaction"}}
URL_SCHEMES = {"http", "https", "mailto"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "table"}
VOID_TAGS = {"br"}
# Word and the editor both write <b>/<i>; keep them as their meaning.
_RENAMES = {"b": "strong", "i": "em", "h1": "h2", "h5": "h4", "h6": "h4", "strike": "s", "del": "s"}
_RENAME_RE = re.compile(r"<(/?)(b|i|h1|h5|h6|strike|del)(?=[\s>/])", re.IGNORECASE)
# The editor writes every space as &nbsp;; a report never needs one.
_NBSP_RE = re.compile(r"&nbsp;|&#160;|&#xa0;|\u00a0", re.IGNORECASE)

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
REDACTED = "[Redacted]"


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
    blocks_ = blocks(_normalise_lists(_unwrap_plain_spans(cleaned)))
    while blocks_ and not blocks_[0].text.strip() and blocks_[0].tag == "p":
        blocks_.pop(0)
    while blocks_ and not blocks_[-1].text.strip() and blocks_[-1].tag == "p":
        blocks_.pop()
    result = "".join(block.html for block in blocks_)
    if nesting_depth(result) > MAX_NESTING:
        raise TooDeeplyNested(
            f"The text is nested more than {MAX_NESTING} levels deep (lists inside lists, or formatting inside "
            "formatting)."
        )
    return result


@dataclass(frozen=True)
class Token:
    kind: str  # "start", "end", "startend" or "text"
    tag: str = ""
    attrs: tuple[tuple[str, str | None], ...] = ()
    text: str = ""

    def html(self) -> str:
        if self.kind == "text":
            return htmllib.escape(self.text, quote=False)
        if self.kind == "end":
            return f"</{self.tag}>"
        attrs = "".join(
            f' {name}="{htmllib.escape(value, quote=True)}"' if value is not None else f" {name}"
            for name, value in self.attrs
        )
        return f"<{self.tag}{attrs}>"


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(Token("startend" if tag in VOID_TAGS else "start", tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(Token("startend", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self.tokens.append(Token("end", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1].kind == "text":
            self.tokens[-1] = Token("text", text=self.tokens[-1].text + data)
        else:
            self.tokens.append(Token("text", text=data))


def tokens(value: str) -> list[Token]:
    tokenizer = _Tokenizer()
    tokenizer.feed(value or "")
    tokenizer.close()
    return tokenizer.tokens


def serialise(items: list[Token]) -> str:
    return "".join(token.html() for token in items)


def _unwrap_plain_spans(value: str) -> str:
    """A span means something only as a redaction mark; Word's other spans are dropped (their
    text kept), so they cannot pile up or carry an empty class."""
    out: list[Token] = []
    stack: list[bool] = []
    for token in tokens(value):
        if token.kind == "start" and token.tag == "span":
            keep = ("class", "redaction") in token.attrs
            stack.append(keep)
            if keep:
                out.append(Token("start", "span", (("class", "redaction"),)))
        elif token.kind == "end" and token.tag == "span":
            if stack and stack.pop():
                out.append(token)
        else:
            out.append(token)
    return serialise(out)


def _normalise_lists(value: str) -> str:
    """An <ol> whose items say data-list="bullet" is a bulleted list: <ul>. One pass over the
    tokens (a regular expression here took time growing with the square of unclosed lists)."""
    out: list[Token] = []
    open_lists: list[tuple[int, bool]] = []  # (index of its start tag in out, bulleted?)
    for token in tokens(value):
        if token.kind == "start" and token.tag in ("ol", "ul"):
            open_lists.append((len(out), False))
            out.append(Token("start", token.tag))
        elif token.kind == "start" and token.tag == "li":
            if open_lists and ("data-list", "bullet") in token.attrs:
                open_lists[-1] = (open_lists[-1][0], True)
            out.append(Token("start", "li"))
        elif token.kind == "end" and token.tag in ("ol", "ul") and open_lists:
            start, bulleted = open_lists.pop()
            tag = "ul" if bulleted or out[start].tag == "ul" else "ol"
            out[start] = Token("start", tag)
            out.append(Token("end", tag))
        else:
            out.append(token)
    return serialise(out)


@dataclass(frozen=True)
class Block:
    """One top-level element of a section: a paragraph, heading, list, quotation or table."""

    tag: str
    html: str
    text: str

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
        elif token.kind == "end" and token.tag in {"li", "td", "th", "tr"}:
            parts.append(" ")
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def blocks(value: str) -> list[Block]:
    """The top-level blocks of section HTML. Text outside any block becomes a paragraph."""
    result: list[Block] = []
    current: list[Token] = []
    depth = 0
    stray: list[Token] = []

    def flush_stray() -> None:
        if stray and _text_of(stray):
            items = [Token("start", "p"), *stray, Token("end", "p")]
            result.append(Block("p", serialise(items), _text_of(stray)))
        stray.clear()

    for token in tokens(value):
        if depth == 0 and not (token.kind == "start" and token.tag in BLOCK_TAGS):
            stray.append(token)
            continue
        if depth == 0:
            flush_stray()
        current.append(token)
        if token.kind == "start":
            depth += 1
        elif token.kind == "end":
            depth -= 1
        if depth == 0:
            result.append(Block(current[0].tag, serialise(current), _text_of(current)))
            current = []
    if current:  # unclosed markup at the end: close it rather than lose the text
        closing = [Token("end", token.tag) for token in reversed(current) if token.kind == "start"][:depth]
        current.extend(closing)
        result.append(Block(current[0].tag, serialise(current), _text_of(current)))
    flush_stray()
    return result


def plain_text(value: str) -> str:
    """The words of section HTML, a blank line between blocks: for diffs and the checks."""
    return "\n\n".join(block.text for block in blocks(value) if block.text)


def text_map(value: str, change: Callable[[str], str]) -> str:
    """Rewrite every text node, leaving the markup as it is (anonymising, for instance)."""
    return serialise([Token("text", text=change(t.text)) if t.kind == "text" else t for t in tokens(value)])


def _is_redaction(token: Token) -> bool:
    return token.kind == "start" and token.tag == "span" and ("class", "redaction") in token.attrs


def redactions_remove(value: str, marker: str = REDACTED) -> str:
    """Each redacted passage replaced by one marker: nothing of its text is kept. Passages
    split by formatting (part of it in bold) still give a single marker."""
    out: list[Token] = []
    depth = 0
    for token in tokens(value):
        if depth:
            if token.kind == "start" and token.tag == "span":
                depth += 1
            elif token.kind == "end" and token.tag == "span":
                depth -= 1
            continue
        if _is_redaction(token):
            depth = 1
            # Directly after another marker in the same block (only inline markup between
            # them, as when part of the passage is bold): one passage, one marker.
            last = max((i for i, t in enumerate(out) if t.kind == "text"), default=None)
            joined = (
                last is not None
                and out[last].text.endswith(marker)
                and not any(t.tag in BLOCK_TAGS | {"li", "td", "th", "tr"} for t in out[last + 1 :])
            )
            if not joined:
                out.append(Token("text", text=marker))
            continue
        out.append(token)
    return serialise(out)


def links_unwrapped_around(value: str, marker: str = REDACTED) -> str:
    """A link whose text holds a removed passage loses its address (its text stays): a link on
    a redacted passage would otherwise publish where it pointed (a street, a profile)."""
    items = tokens(value)
    opened: list[int] = []
    drop: set[int] = set()
    for index, token in enumerate(items):
        if token.kind == "start" and token.tag == "a":
            opened.append(index)
        elif token.kind == "end" and token.tag == "a" and opened:
            start = opened.pop()
            inner = "".join(t.text for t in items[start:index] if t.kind == "text")
            if marker in inner:
                drop.update((start, index))
    return serialise([token for index, token in enumerate(items) if index not in drop]) if drop else value


def redacted_passages(value: str) -> Iterator[str]:
    """The text of each redacted passage (for the panel's list of what publication removes)."""
    depth = 0
    passage: list[str] = []
    for token in tokens(value):
        if depth:
            if token.kind == "start" and token.tag == "span":
                depth += 1
            elif token.kind == "end" and token.tag == "span":
                depth -= 1
                if depth == 0:
                    yield "".join(passage)
                    passage = []
            elif token.kind == "text":
                passage.append(token.text)
        elif _is_redaction(token):
            depth = 1


def references(value: str) -> list[tuple[str, str]]:
    """The references cited in section text, in order: ("entry", "41"), ("term", "MARAC")..."""
    return [(m.group(1), m.group(2)) for m in REFERENCE_RE.finditer(value or "")]


# Redaction marks that hold. A passage is a run of redacted text in one block (a mark split by
# formatting, part of it bold, is one passage). Passages are matched on text folded as the
# publication check folds it (reviews.publication.characters.fold: format characters dropped,
# apostrophe look-alikes and dashes folded, diacritics and case folded), whitespace collapsed,
# so a passage cannot slip out of its mark by a zero-width space or a change of case.
_SEPARATOR = "\x00"  # between blocks, list items and cells: no passage runs across one
_SEPARATING_TAGS = BLOCK_TAGS | {"li", "td", "th", "tr"}
QUOTE_CHARS = 60


def redaction_key(text: str) -> str:
    """A passage as it is compared: folded, whitespace collapsed."""
    return fold_key(text)


@dataclass(frozen=True)
class _Marked:
    """Section text folded for matching; for each character, whether it is inside a redaction
    mark and where it came from (token index, offset in that token's text)."""

    text: str
    redacted: list[bool]
    origin: list[tuple[int, int] | None]


def _marked(items: list[Token]) -> _Marked:
    chars: list[str] = []
    redacted: list[bool] = []
    origin: list[tuple[int, int] | None] = []
    depth = 0

    def add(ch: str, is_redacted: bool, where: tuple[int, int] | None) -> None:
        if ch == " " and (not chars or chars[-1] in " " + _SEPARATOR):
            return
        if ch == _SEPARATOR and chars and chars[-1] == " ":
            chars.pop()
            redacted.pop()
            origin.pop()
        chars.append(ch)
        redacted.append(is_redacted)
        origin.append(where)

    for index, token in enumerate(items):
        if token.kind == "text":
            folded = fold(token.text)
            for position, ch in enumerate(folded.text):
                offset = folded.origin[position] if folded.origin is not None else position
                add(" " if ch.isspace() else ch, depth > 0, (index, offset))
        elif token.kind == "startend" and token.tag == "br":
            add(" ", depth > 0, None)
        elif token.tag == "span" and token.kind in ("start", "end"):
            if token.kind == "end":
                depth = max(depth - 1, 0)
            elif depth or _is_redaction(token):
                depth += 1
        elif token.tag in _SEPARATING_TAGS:
            add(_SEPARATOR, False, None)
    return _Marked("".join(chars), redacted, origin)


def _passage_runs(marked: _Marked) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of redacted characters, without the spaces at its ends."""
    start = None
    for i, is_redacted in enumerate([*marked.redacted, False]):
        if is_redacted and start is None:
            start = i
        elif not is_redacted and start is not None:
            text = marked.text[start:i]
            lead = len(text) - len(text.lstrip(" "))
            if text.strip(" "):
                yield start + lead, start + len(text.rstrip(" "))
            start = None


def _original(items: list[Token], marked: _Marked, start: int, end: int) -> str:
    """The wording of marked.text[start:end] as written, whitespace collapsed."""
    where = [w for w in marked.origin[start:end] if w is not None]
    if not where:
        return marked.text[start:end]
    (first_token, first_offset), (last_token, last_offset) = where[0], where[-1]
    parts: list[str] = []
    for index in range(first_token, last_token + 1):
        token = items[index]
        if token.kind == "text":
            begin = first_offset if index == first_token else 0
            stop = last_offset + 1 if index == last_token else len(token.text)
            parts.append(token.text[begin:stop])
        elif token.kind == "startend" and token.tag == "br":
            parts.append(" ")
    return " ".join("".join(parts).split())


@dataclass(frozen=True)
class Passage:
    """A redacted passage: its wording as written and its key for matching."""

    text: str
    key: str

    @property
    def quote(self) -> str:
        """Its first words (up to 60 characters), to name it in a message."""
        if len(self.text) <= QUOTE_CHARS:
            return self.text
        cut = self.text[: QUOTE_CHARS - 1]
        return (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"


def passages(value: str) -> list[Passage]:
    """The redacted passages of section HTML, each once, in order."""
    items = tokens(value)
    marked = _marked(items)
    found: dict[str, Passage] = {}
    for start, end in _passage_runs(marked):
        key = marked.text[start:end]
        found.setdefault(key, Passage(_original(items, marked, start, end), key))
    return list(found.values())


def _occurrences(marked: _Marked, key: str) -> Iterator[tuple[int, int]]:
    """Where ``key`` is in the text as whole words (a passage "Ann" is not in "Annual")."""
    before = r"(?<!\w)" if re.match(r"\w", key) else ""
    after = r"(?!\w)" if re.search(r"\w$", key) else ""
    for match in re.finditer(before + re.escape(key) + after, marked.text):
        yield match.span()


def _counts(marked: _Marked, key: str) -> tuple[int, int]:
    """(occurrences wholly inside a mark, occurrences with any of it outside one)."""
    covered = exposed = 0
    for start, end in _occurrences(marked, key):
        if all(marked.redacted[start:end]):
            covered += 1
        else:
            exposed += 1
    return covered, exposed


def redactions_dropped(old: str, new: str) -> list[Passage]:
    """The passages redacted in ``old`` whose wording ``new`` has outside a redaction mark, where
    ``old`` did not: a mark taken off (or a passage cut and pasted back without it). A passage
    deleted, or reworded inside its mark, is not dropped."""
    if "redaction" not in (old or ""):
        return []
    old_passages = passages(old)
    if not old_passages:
        return []
    old_marked, new_marked = _marked(tokens(old)), _marked(tokens(new))
    old_pairs, new_pairs = _exposed_pairs(old_marked), _exposed_pairs(new_marked)
    dropped: list[Passage] = []
    for passage in old_passages:
        covered_before, exposed_before = _counts(old_marked, passage.key)
        covered_after, exposed_after = _counts(new_marked, passage.key)
        # Fewer marked and some unmarked: the mark may have gone from one of them, so it is
        # refused too (a passage whose wording is also unmarked elsewhere is a leak already).
        if exposed_after and (exposed_after > exposed_before or covered_after < covered_before):
            dropped.append(passage)
        # The mark taken off and the wording touched in the same save ("12 Elm Road" left
        # unmarked as "12 Elm Rd"): two of its words side by side, one of them telling (a number,
        # or not an ordinary English word), now unmarked more often than before.
        elif any(new_pairs[pair] > old_pairs[pair] for pair in _telling_pairs(passage.key)):
            dropped.append(passage)
    return dropped


_WORDS_RE = re.compile(r"[^\W_]+")


def _telling_pairs(key: str) -> set[tuple[str, str]]:
    """Pairs of neighbouring words that point at the passage: one of them holds a digit or is
    not an ordinary English word ("12 elm", "road northtown"; not "the family")."""
    from reviews.publication.words import is_ordinary_english

    words = _WORDS_RE.findall(key)
    return {
        (a, b)
        for a, b in zip(words, words[1:], strict=False)
        if any(any(ch.isdigit() for ch in w) or (len(w) >= 3 and not is_ordinary_english(w)) for w in (a, b))
    }


def _exposed_pairs(marked: _Marked) -> Counter:
    """Each pair of neighbouring words outside any mark, counted."""
    exposed = "".join(ch if not hidden else "\x00" for ch, hidden in zip(marked.text, marked.redacted, strict=True))
    pairs: Counter = Counter()
    for run in exposed.split("\x00"):
        words = _WORDS_RE.findall(run)
        pairs.update(zip(words, words[1:], strict=False))
    return pairs


def is_redacted_in(value: str, passage: Passage) -> bool:
    """The passage's wording is in ``value``, wholly inside a redaction mark, at least once."""
    return _counts(_marked(tokens(value)), passage.key)[0] > 0


def redactions_apply(value: str, wanted: list[Passage]) -> str:
    """Every occurrence of each passage's wording (whole words) marked as redacted where it is
    not already: a text that lost its marks (plain text, an old version) gets them back."""
    if not wanted:
        return value
    items = tokens(value)
    marked = _marked(items)
    ranges: dict[int, list[tuple[int, int]]] = {}  # token index -> (start, end) in its text
    for passage in wanted:
        for start, end in _occurrences(marked, passage.key):
            per_token: dict[int, list[int]] = {}
            for i in range(start, end):
                where = marked.origin[i]
                if where is not None and not marked.redacted[i]:
                    per_token.setdefault(where[0], []).append(where[1])
            for index, offsets in per_token.items():
                ranges.setdefault(index, []).append((min(offsets), max(offsets) + 1))
    if not ranges:
        return value
    out: list[Token] = []
    for index, token in enumerate(items):
        if index not in ranges:
            out.append(token)
            continue
        cursor = 0
        for start, end in _merged(ranges[index]):
            if start > cursor:
                out.append(Token("text", text=token.text[cursor:start]))
            out += [Token("start", "span", (("class", "redaction"),)), Token("text", text=token.text[start:end])]
            out.append(Token("end", "span"))
            cursor = end
        if cursor < len(token.text):
            out.append(Token("text", text=token.text[cursor:]))
    return serialise(out)


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result
