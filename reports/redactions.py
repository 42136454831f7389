"""Redaction marks in section text: the passages the chair marked, removed from a publication
version as one marker each, and kept marked through every save, restore, suggestion and merge.
Pure functions on sanitised section HTML (reports.richtext), no database.

Marks that hold: a passage is a run of redacted text in one block (a mark split by formatting,
part of it bold, is one passage). Passages are matched on text folded as the publication check
folds it (reviews.publication.characters.fold: format characters dropped, apostrophe look-alikes
and dashes folded, diacritics and case folded), whitespace collapsed, so a passage cannot slip
out of its mark by a zero-width space or a change of case."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from reports.richtext import BLOCK_TAGS, Token, blocks, serialise, tokens
from reviews.publication.characters import fold, fold_key
from reviews.publication.words import is_ordinary_english

REDACTED = "[Redacted]"


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


def _occurrences(marked: _Marked | _BlockMarks, key: str) -> Iterator[tuple[int, int]]:
    """Where ``key`` is in the text as whole words (a passage "Ann" is not in "Annual")."""
    before = r"(?<!\w)" if re.match(r"\w", key) else ""
    after = r"(?!\w)" if re.search(r"\w$", key) else ""
    for match in re.finditer(before + re.escape(key) + after, marked.text):
        yield match.span()


def _counts(marked: _Marked | _BlockMarks, key: str) -> tuple[int, int]:
    """(occurrences wholly inside a mark, occurrences with any of it outside one)."""
    covered = exposed = 0
    for start, end in _occurrences(marked, key):
        if all(marked.redacted[start:end]):
            covered += 1
        else:
            exposed += 1
    return covered, exposed


@dataclass(frozen=True)
class _BlockMarks:
    """One top-level block's folded text, which characters are redacted, its passages and its
    unmarked word pairs. Everything the guard counts adds up block by block (a passage, an
    occurrence and a pair of words never run across blocks), so a save is judged on the blocks
    it changed, and a block's marks are worked out once for every save that keeps it."""

    text: str
    redacted: bytes
    passages: tuple[Passage, ...]
    pairs: Counter


@functools.lru_cache(maxsize=4096)
def _block_marks(html: str) -> _BlockMarks:
    items = tokens(html)
    marked = _marked(items)
    found: dict[str, Passage] = {}
    for start, end in _passage_runs(marked):
        key = marked.text[start:end]
        found.setdefault(key, Passage(_original(items, marked, start, end), key))
    return _BlockMarks(marked.text, bytes(marked.redacted), tuple(found.values()), _exposed_pairs(marked))


def _total(blocks_: Counter, key: str) -> tuple[int, int]:
    """(covered, exposed) occurrences of ``key`` in these blocks, each as many times as it is there."""
    covered = exposed = 0
    for html, times in blocks_.items():
        inside, outside = _counts(_block_marks(html), key)
        covered += inside * times
        exposed += outside * times
    return covered, exposed


def _pairs_in(blocks_: Counter) -> Counter:
    """The unmarked word pairs of these blocks, each block as many times as it is there."""
    pairs: Counter = Counter()
    for html, times in blocks_.items():
        pairs.update({pair: count * times for pair, count in _block_marks(html).pairs.items()})
    return pairs


def redactions_dropped(old: str, new: str) -> list[Passage]:
    """The passages redacted in ``old`` whose wording ``new`` has outside a redaction mark, where
    ``old`` did not: a mark taken off (or a passage cut and pasted back without it). A passage
    deleted, or reworded inside its mark, is not dropped. Judged on the blocks the save removed
    and added (the rest is the same in both)."""
    if "redaction" not in (old or ""):
        return []
    old_blocks, new_blocks = Counter(b.html for b in blocks(old)), Counter(b.html for b in blocks(new))
    removed, added = old_blocks - new_blocks, new_blocks - old_blocks
    old_passages: dict[str, Passage] = {}
    for html in (html for html in old_blocks if "redaction" in html):  # only a marked block has passages
        for passage in _block_marks(html).passages:
            old_passages.setdefault(passage.key, passage)
    if not old_passages or not (removed or added):
        return []
    pairs_removed, pairs_added = _pairs_in(removed), _pairs_in(added)
    dropped: list[Passage] = []
    for passage in old_passages.values():
        covered_removed, exposed_removed = _total(removed, passage.key)
        covered_added, exposed_added = _total(added, passage.key)
        # More unmarked than before; or fewer marked and some unmarked (the mark may have gone
        # from one of them, so it is refused too: a passage whose wording is also unmarked
        # elsewhere is a leak already).
        if exposed_added > exposed_removed or (covered_added < covered_removed and _total(new_blocks, passage.key)[1]):
            dropped.append(passage)
        # The mark taken off and the wording touched in the same save ("12 Elm Road" left
        # unmarked as "12 Elm Rd"): two of its words side by side, one of them telling (a number,
        # or not an ordinary English word), now unmarked more often than before.
        elif any(pairs_added[pair] > pairs_removed[pair] for pair in _telling_pairs(passage.key)):
            dropped.append(passage)
    return dropped


_WORDS_RE = re.compile(r"[^\W_]+")


def _telling_pairs(key: str) -> set[tuple[str, str]]:
    """Pairs of neighbouring words that point at the passage: one of them holds a digit or is
    not an ordinary English word ("12 elm", "road northtown"; not "the family")."""
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
