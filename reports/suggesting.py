"""Suggesting: panel members change a section only by tracked changes, for the chair to accept
or reject in the editor. The rule every panel member's save is held to, the chairs told of new
suggestions (at most once an hour per person and section), and who made the changes in a text."""

from __future__ import annotations

import datetime
import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reports import richtext
from reports.models import Section
from reviews.audit import audit_record
from reviews.models import AuditEntry, ReviewMembership
from reviews.notifications import notify

# The sanitiser writes a change's attributes first on its element, in this order
# (reports.richtext._change); text spelling them out is not a change (its "<" is escaped).
_CHANGE_RE = re.compile(r'<[a-z][a-z0-9]* data-change="([A-Za-z0-9-]{8,36})" data-author="([0-9]{1,12})"')
NOTIFY_EVERY = datetime.timedelta(hours=1)
QUOTED = 60


def changes(value: str) -> dict[str, int]:
    """The tracked changes in section text: {change id: its author's pk}."""
    return {change: int(author) for change, author in _CHANGE_RE.findall(value or "")}


def change_authors(value: str) -> set[int]:
    """The pks of everyone whose suggestion is in the text."""
    return set(changes(value).values())


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:QUOTED]}…”" if len(text) > QUOTED else f"“{text}”"


def _first_difference(old: str, new: str) -> str:
    """Where the accepted texts first part, as the person sees it: "paragraph 3 (“…”) is changed"."""
    old_blocks, new_blocks = richtext.blocks(old), richtext.blocks(new)
    for index, (before, after) in enumerate(zip(old_blocks, new_blocks, strict=False), start=1):
        if before.html != after.html:
            return f"paragraph {index} ({_quoted(after.text or before.text)}) is changed"
    if len(new_blocks) > len(old_blocks):
        return f"paragraph {len(old_blocks) + 1} ({_quoted(new_blocks[len(old_blocks)].text)}) is added"
    return f"paragraph {len(new_blocks) + 1} ({_quoted(old_blocks[len(new_blocks)].text)}) is removed"


# White space as the browser's editor reads it: a run of spaces is one, none at a block's start or
# end. Text stored before the editor wrote it ("chronology,  Entry") reads back so once opened.
_SPACES_RE = re.compile(r"\s+")
_BLOCK_EDGE_RE = re.compile(r"(<(?:p|h[2-4]|li|td|th|blockquote)(?: [^>]*)?>) | (</(?:p|h[2-4]|li|td|th|blockquote)>)")


def _as_read(blocks: list[str]) -> list[str]:
    return [_BLOCK_EDGE_RE.sub(r"\1\2", _SPACES_RE.sub(" ", html)) for html in blocks]


def _accepted_changed(old: str, new: str) -> bool:
    """Whether the texts as accepted differ, white space as the editor reads it aside."""
    accepted_old, accepted_new = richtext.accepted_blocks(old), richtext.accepted_blocks(new)
    return accepted_new != accepted_old and _as_read(accepted_new) != _as_read(accepted_old)


def suggestion_check(*, old: str, new: str, actor: User) -> bool:
    """A panel member's save (sanitised text): refused with a ValidationError unless the text as
    accepted is unchanged (only tracked changes and comment anchors differ), every new change is
    theirs, and nobody else's change was taken out, given to someone else, or changed (its words,
    kind, time or format). Returns whether it adds a change of theirs."""
    if _accepted_changed(old, new):
        where = _first_difference(richtext.accepted(old), richtext.accepted(new))
        raise ValidationError(
            f"{where} outside a suggestion. As a panel member you suggest changes, which the chair "
            "accepts or rejects: reload the editor (it opens in suggesting mode) and make the change again."
        )
    before = changes(old)
    found = [(change, int(author)) for change, author in _CHANGE_RE.findall(new or "")]
    after = dict(found)
    for change, author in found:  # every element of a change, not only the last one read
        if author != before.get(change, actor.pk):
            raise ValidationError(
                f"The suggested change {change} is marked as made by someone else. Reload the editor "
                "and make the change again."
            )
    removed = {author for change, author in before.items() if change not in after and author != actor.pk}
    if removed:
        names = ", ".join(sorted(user.display_name for user in User.objects.filter(pk__in=removed)))
        raise ValidationError(
            f"It takes out a change suggested by {names or 'someone else'}. Only the chair accepts or "
            "rejects other people's suggestions."
        )
    others = {change for change, author in before.items() if author != actor.pk}
    if others and (altered := _others_altered(old, new, others)):
        names = ", ".join(
            sorted(user.display_name for user in User.objects.filter(pk__in={before[c] for c in altered}))
        )
        raise ValidationError(
            f"It changes the words or kind of a change suggested by {names or 'someone else'}. Only "
            "they can change their suggestion; suggest yours next to it (typing in it, or deleting from it, does)."
        )
    return any(change not in before for change in after)


def _others_altered(old: str, new: str, others: set[str]) -> set[str]:
    """The changes (of ``others``) whose elements' kinds, authors, times, formats, number of
    inserted blocks or words differ between the texts: read only in the blocks the save changed.
    Words inside another change's insertion (the panel member typing in it) are not its words;
    their deletions and comment anchors in it keep its words."""
    old_htmls = [block.html for block in richtext.blocks(old)]
    new_htmls = [block.html for block in richtext.blocks(new)]
    before = _signatures(_not_in(old_htmls, new_htmls), others)
    after = _signatures(_not_in(new_htmls, old_htmls), others)
    return {change for change in others if before.get(change) != after.get(change)}


def _not_in(htmls: list[str], other: list[str]) -> list[str]:
    """The blocks of ``htmls`` (in order) that ``other`` does not have as many times."""
    spare = Counter(other)
    kept = []
    for html in htmls:
        if spare[html]:
            spare[html] -= 1
        else:
            kept.append(html)
    return kept


def _signatures(htmls: list[str], others: set[str]) -> dict[str, tuple]:
    kinds: dict[str, set] = {}
    words: dict[str, list[str]] = {}
    blocks_: Counter = Counter()
    for html in htmls:
        stack: list[tuple[str, str | None]] = []  # (tag, change id) of each open element
        for token in richtext.tokens(html):
            if token.kind == "start":
                attrs = dict(token.attrs)
                change = attrs.get("data-change")
                stack.append((token.tag, change))
                if change in others:
                    kind = "block" if token.tag in richtext.CHANGE_BLOCKS else token.tag
                    seen = (kind, attrs.get("data-author"), attrs.get("data-time"), attrs.get("data-format"))
                    kinds.setdefault(change, set()).add(seen)
                    blocks_[change] += kind == "block"
            elif token.kind == "end" and stack:
                stack.pop()
            elif token.kind == "text":
                ids = {change for _tag, change in stack if change in others}
                inserted = {change for tag, change in stack if tag == "ins"}
                for change in ids:
                    if not inserted - {change}:
                        words.setdefault(change, []).append(token.text)
    return {change: (frozenset(kinds[change]), blocks_[change], "".join(words.get(change, []))) for change in kinds}


def changes_suggested_notify(section: Section, *, actor: User) -> None:
    """Tell the chairs that ``actor`` suggested changes to the section, at most once an hour for
    one person and section (the audit trail says when they were last told). The email names the
    section and the person, never the text."""
    review = section.document.review
    since = timezone.now() - NOTIFY_EVERY
    told = AuditEntry.objects.filter(
        review=review, action="section.changes_suggested", object_type="reports.section",
        object_id=str(section.pk), actor=actor, created_at__gte=since,
    )  # fmt: skip
    if told.exists():
        return
    audit_record(actor=actor, action="section.changes_suggested", obj=section, review=review)
    chairs = ReviewMembership.objects.filter(review=review, role=ReviewMembership.Role.CHAIR).select_related("user")
    kind = section.document.get_kind_display().lower()
    notify(
        recipients=[m.user for m in chairs if m.user_id != actor.pk],
        review=review,
        subject=f"{review.reference}: suggested changes to {section.title}",
        body=f"{actor.display_name} suggested changes to “{section.title}” in the {kind}. Accept or reject them "
        "in the section's editor.",
        link=reverse("reports:section_edit", args=[review.pk, section.document_id, section.pk]),
    )
