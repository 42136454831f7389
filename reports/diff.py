"""Readable differences between two versions of a section, and the three-way merge offered
when a save is refused because someone else saved first. Pure functions on section HTML."""

from __future__ import annotations

import difflib
import html as htmllib
import re
from dataclasses import dataclass

from reports.redactions import passages, redactions_apply
from reports.richtext import blocks

# Words, spaces and punctuation apart: "One." to "One, changed." shows only what changed.
_WORD_RE = re.compile(r"\s+|\w+|[^\w\s]")

# difflib's matcher takes time in proportion to the product of the two lengths at worst (a long
# paragraph of common words, or many alike paragraphs): one suggestion on a 30,000-word paragraph
# would hold every reader's page for most of a minute. Past this many pairs, what is the same at
# each end is kept and the rest is compared as a whole.
MAX_COMPARISON = 250_000

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class DiffRow:
    """One paragraph of a comparison: unchanged, added, removed, or changed (with the words
    that changed marked in ``html``). ``whole``: too long to compare word by word, the changed
    part of the paragraph is shown removed and added as a whole."""

    change: str  # "same", "added", "removed" or "changed"
    html: str
    whole: bool = False


def _opcodes(a: list[str], b: list[str]) -> tuple[list[Opcode], bool]:
    """difflib's opcodes from ``a`` to ``b``, in bounded time; and whether the comparison was too
    large to make item by item (then the common start and end are kept and the middle between
    them is one replacement)."""
    if len(a) * len(b) <= MAX_COMPARISON:
        opcodes: list[Opcode] = list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
        return opcodes, False
    shortest = min(len(a), len(b))
    start = 0
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    a_end, b_end = len(a) - end, len(b) - end
    whole = (a_end - start) * (b_end - start) > MAX_COMPARISON
    if whole:
        kind = "replace" if a_end > start and b_end > start else "delete" if a_end > start else "insert"
        middle: list[Opcode] = [(kind, start, a_end, start, b_end)] if a_end > start or b_end > start else []
    else:
        matcher = difflib.SequenceMatcher(None, a[start:a_end], b[start:b_end], autojunk=False)
        middle = [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in matcher.get_opcodes()]
    head: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    tail: list[Opcode] = [("equal", a_end, len(a), b_end, len(b))] if end else []
    return [*head, *middle, *tail], whole


def _words_diff(old: str, new: str) -> tuple[str, bool]:
    a, b = _WORD_RE.findall(old), _WORD_RE.findall(new)
    out: list[str] = []
    opcodes, whole = _opcodes(a, b)
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out.append(htmllib.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{htmllib.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{htmllib.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out), whole


def diff_rows(old_html: str, new_html: str) -> list[DiffRow]:
    """Paragraph by paragraph; a changed paragraph shows its deleted and inserted words.
    Only text is shown (escaped), never the markup itself."""
    old, new = blocks(old_html), blocks(new_html)
    opcodes, whole = _opcodes([b.text for b in old], [b.text for b in new])
    rows: list[DiffRow] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            rows.extend(DiffRow("same", htmllib.escape(block.text)) for block in old[i1:i2])
            continue
        removed, added = old[i1:i2], new[j1:j2]
        # Too many paragraphs to pair up: the ones between the first and last change are shown
        # removed, then added.
        paired = min(len(removed), len(added)) if op == "replace" and not whole else 0
        for before, after in zip(removed[:paired], added[:paired], strict=True):
            html, whole_paragraph = _words_diff(before.text, after.text)
            rows.append(DiffRow("changed", html, whole=whole_paragraph))
        rows.extend(DiffRow("removed", htmllib.escape(block.text)) for block in removed[paired:])
        rows.extend(DiffRow("added", htmllib.escape(block.text)) for block in added[paired:])
    return rows


def has_changes(rows: list[DiffRow]) -> bool:
    return any(row.change != "same" for row in rows)


@dataclass(frozen=True)
class MergeResult:
    html: str
    conflicts: int


CONFLICT_SENTENCE = "[Both versions of the next paragraphs are kept: choose one and delete the other.]"
CONFLICT_NOTE = f"<p><strong>{CONFLICT_SENTENCE}</strong></p>"

# The note's words, whatever the chair left around them: bold taken off or another style put on,
# the brackets or the full stop deleted, spaces doubled or made non-breaking, other words typed
# before it, the paragraph joined to the one before by a backspace, or a changed letter case.
_CONFLICT_RE = re.compile(r"both\s+versions\s+of\s+the\s+next\s+paragraphs?\s+are\s+kept", re.IGNORECASE)


def conflict_markers(html: str) -> int:
    """How many merge notes (CONFLICT_NOTE) the section's HTML still holds: each is a place
    where both versions of the same paragraphs were kept for the person saving to choose, so the
    text holds two versions of them until the note and one version are deleted."""
    return sum(len(_CONFLICT_RE.findall(" ".join(block.text.split()))) for block in blocks(html or ""))


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """(base start, base end, replacement) for every change from ``base`` to ``other``."""
    opcodes, _whole = _opcodes(base, other)
    return [(i1, i2, other[j1:j2]) for op, i1, i2, j1, j2 in opcodes if op != "equal"]


def _overlaps(span: tuple[int, int], hunk: tuple[int, int, list[str], str]) -> bool:
    (gs, ge), (hs, he) = span, hunk[:2]
    if hs < ge and gs < he:  # the ranges share a paragraph, or one inserts inside the other
        return True
    return gs == ge == hs == he  # both insert at the same place


def _apply(base: list[str], start: int, end: int, hunks: list[tuple[int, int, list[str]]]) -> list[str]:
    result: list[str] = []
    cursor = start
    for h_start, h_end, replacement in hunks:
        result.extend(base[cursor:h_start])
        result.extend(replacement)
        cursor = h_end
    result.extend(base[cursor:end])
    return result


def merge(base_html: str, theirs_html: str, mine_html: str) -> MergeResult:
    """Three-way merge by paragraph. Changes to different paragraphs are both kept; where
    both people changed the same paragraphs, both versions are kept one after the other
    under a note, for the person saving to choose. Nothing either of them wrote is lost, and
    no redaction either: a passage redacted in theirs (saved, so it stands), or newly redacted
    in mine, is redacted wherever the merge has it, whichever side the paragraph came from."""
    base = [b.html for b in blocks(base_html)]
    tagged = [(*hunk, "theirs") for hunk in _hunks(base, [b.html for b in blocks(theirs_html)])] + [
        (*hunk, "mine") for hunk in _hunks(base, [b.html for b in blocks(mine_html)])
    ]
    # Insertions before changes that start at the same paragraph.
    tagged.sort(key=lambda hunk: (hunk[0], hunk[1]))
    groups: list[tuple[int, int, list[tuple]]] = []
    for hunk in tagged:
        if groups and _overlaps(groups[-1][:2], hunk):
            start, end, members = groups[-1]
            groups[-1] = (start, max(end, hunk[1]), [*members, hunk])
        else:
            groups.append((hunk[0], hunk[1], [hunk]))
    out: list[str] = []
    conflicts = 0
    position = 0
    for start, end, members in groups:
        out.extend(base[position:start])
        theirs = [hunk[:3] for hunk in members if hunk[3] == "theirs"]
        mine = [hunk[:3] for hunk in members if hunk[3] == "mine"]
        their_side = _apply(base, start, end, theirs)
        my_side = _apply(base, start, end, mine)
        if not mine or their_side == my_side:
            out.extend(their_side)
        elif not theirs:
            out.extend(my_side)
        else:
            conflicts += 1
            out.extend([CONFLICT_NOTE, *their_side, *my_side])
        position = end
    out.extend(base[position:])
    in_base = {passage.key for passage in passages(base_html)}
    redacted = passages(theirs_html) + [p for p in passages(mine_html) if p.key not in in_base]
    return MergeResult(redactions_apply("".join(out), redacted), conflicts)
