"""The panel's comments as Word comments, in the panel version only: each open comment thread of a
section (reports.models.Comment) on the passage it is pinned to (the <span data-comment="UUID">
of its ``anchor`` in the section text), or on the section's heading when that passage is not in
the text any more (or the comment was never pinned to one). Replies follow in the comment, each
naming who wrote it. A publication version never carries them."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field

from docx.document import Document as WordFile
from docx.text.paragraph import Paragraph
from docx.text.run import Run


@dataclass(frozen=True)
class RenderComment:
    section_pk: int
    anchor: str  # the UUID of the passage it is pinned to, "" for the section as a whole
    author: str
    initials: str
    text: str
    created_at: datetime.datetime | None = None
    quote: str = ""
    passage: str = ""  # the words of its passage in the section text as it is now ("" when gone)
    replies: list[tuple[str, str]] = field(default_factory=list)  # (author, text)


def _name(user) -> tuple[str, str]:
    if user is None:
        return "Former member", "FM"
    name = user.get_full_name() or user.get_username()
    initials = "".join(part[0] for part in name.split()[:3] if part).upper()
    return name, initials or name[:2].upper()


def panel_comments(document) -> list[RenderComment]:
    """The document's open comment threads, in section order then as made (reads the database)."""
    from reports import richtext
    from reports.models import Comment

    threads = (
        Comment.objects.filter(section__document=document, parent__isnull=True, resolved_at__isnull=True)
        .select_related("author", "section")
        .prefetch_related("replies__author")
        .order_by("section__position", "section__pk", "created_at", "pk")
    )
    out = []
    passages: dict[int, dict[str, str]] = {}
    for thread in threads:
        if thread.section_id not in passages:
            passages[thread.section_id] = _passages(richtext.tokens(thread.section.body))
        author, initials = _name(thread.author)
        replies = [
            (_name(reply.author)[0], reply.text)
            for reply in sorted(thread.replies.all(), key=lambda r: (r.created_at, r.pk))
        ]
        out.append(
            RenderComment(
                section_pk=thread.section_id,
                anchor=str(thread.anchor) if thread.anchor else "",
                author=author,
                initials=initials,
                text=thread.text,
                created_at=thread.created_at,
                quote=thread.quote,
                # A comment from before pinning: its quoted words, where the text still has them.
                passage=passages[thread.section_id].get(str(thread.anchor), "") if thread.anchor else thread.quote,
                replies=replies,
            )
        )
    return out


def _passages(items) -> dict[str, str]:
    """The words of each passage a comment is pinned to (<span data-comment="UUID">), by UUID."""
    found: dict[str, list[str]] = {}
    spans: list[str] = []  # the UUID of each open span ("" for any other span)
    deleted = 0
    for token in items:
        if token.kind == "start" and token.tag == "span":
            spans.append(dict(token.attrs).get("data-comment") or "")
            if spans[-1]:
                found.setdefault(spans[-1], [])
        elif token.kind == "end" and token.tag == "span" and spans:
            spans.pop()
        elif token.tag == "del" and token.kind in ("start", "end"):
            deleted += 1 if token.kind == "start" else -1
        elif token.kind == "text" and not deleted:
            for anchor in spans:
                if anchor:
                    found[anchor].append(token.text)
    return {anchor: " ".join("".join(parts).split()) for anchor, parts in found.items()}


def comment_state(document) -> list:
    """What of the comments a panel file shows (for its fingerprint: a new comment, reply or
    resolution makes a new panel render)."""
    from reports.models import Comment

    return list(
        Comment.objects.filter(section__document=document)
        .order_by("pk")
        .values_list("pk", "parent_id", "anchor", "text", "resolved_at", "author_id")
    )


def write_comments(
    doc: WordFile,
    comments: list[RenderComment],
    anchored: dict[str, list[Run]],
    heading: list[Run],
    paragraphs: list[Paragraph],
) -> int:
    """One section's comments on their passages' runs (``anchored`` by UUID, else found by their
    words among the section's ``paragraphs``), else on the section heading's; how many were written."""
    written = 0
    for comment in comments:
        runs = anchored.get(comment.anchor) if comment.anchor else None
        if not runs and comment.passage:
            runs = passage_runs(paragraphs, comment.passage)
        text = comment.text
        if not runs:
            runs = heading
            if comment.quote:
                text = f"On \u201c{comment.quote}\u201d (no longer in the text): {text}"
        if not runs:
            continue
        made = doc.add_comment([runs[0], runs[-1]], text=text, author=comment.author, initials=comment.initials)
        _reference_at_paragraph_end(runs[-1])
        if comment.created_at is not None:  # when it was made, not when the file was
            made._comment_elm.date = comment.created_at.astimezone(datetime.UTC).replace(microsecond=0)
        for author, reply in comment.replies:
            made.add_paragraph(f"{author}: {reply}")
        written += 1
    return written


def passage_runs(paragraphs: list[Paragraph], passage: str) -> list[Run] | None:
    """The runs holding the first occurrence of ``passage`` in one of the paragraphs, runs split
    where the passage starts and ends inside one; None when no paragraph has it."""
    for paragraph in paragraphs:
        runs = paragraph.runs
        text = "".join(run.text for run in runs)
        start = text.find(passage)
        if start < 0:
            continue
        end = start + len(passage)
        covered = []
        offset = 0
        for run in runs:
            length = len(run.text)
            low, high = max(start, offset), min(end, offset + length)
            if low < high:
                covered.append(_split(run, low - offset, high - offset))
            offset += length
        return covered or None
    return None


def _split(run: Run, low: int, high: int) -> Run:
    """The part [low, high) of a run's text as a run of its own, with the same formatting."""
    text = run.text
    if low == 0 and high == len(text):
        return run
    middle = copy.deepcopy(run._r)
    run._r.addnext(middle)
    if high < len(text):
        after = copy.deepcopy(run._r)
        middle.addnext(after)
        Run(after, run._parent).text = text[high:]
    run.text = text[:low]
    made = Run(middle, run._parent)
    made.text = text[low:high]
    if not low:
        run._r.getparent().remove(run._r)
    return made


def _reference_at_paragraph_end(last: Run) -> None:
    """The comment's reference mark moved from just after its passage to the end of the
    paragraph: LibreOffice loses the page's footnotes when a comment's reference is followed by
    more of its paragraph (Word takes it anywhere after the passage)."""
    end = last._r.getnext()
    reference = end.getnext() if end is not None else None
    if reference is None or not reference.xpath("./w:commentReference"):
        return
    paragraph = reference.getparent()
    paragraph.remove(reference)
    paragraph.append(reference)
