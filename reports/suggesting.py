"""Suggesting: panel members change a section only by tracked changes, for the chair to accept
or reject in the editor. The rule every panel member's save is held to, the chairs told of new
suggestions (at most once an hour per person and section), and who made the changes in a text."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reports import richtext
from reports.models import Section
from reviews.audit import audit_record
from reviews.models import AuditEntry, ReviewMembership
from reviews.notifications import notify

# The sanitiser writes a change's attributes in this order (reports.richtext._change).
_CHANGE_RE = re.compile(r'\sdata-change="([A-Za-z0-9-]{8,36})" data-author="([0-9]{1,12})"')
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


def suggestion_check(*, old: str, new: str, actor: User) -> bool:
    """A panel member's save (sanitised text): refused with a ValidationError unless the text as
    accepted is unchanged (only tracked changes and comment anchors differ), every new change is
    theirs, and nobody else's change was taken out or given to someone else. Returns whether it
    adds a change of theirs."""
    if richtext.accepted_blocks(new) != richtext.accepted_blocks(old):
        where = _first_difference(richtext.accepted(old), richtext.accepted(new))
        raise ValidationError(
            f"Not saved: {where} outside a suggestion. As a panel member you suggest changes, which the chair "
            "accepts or rejects: reload the editor (it opens in suggesting mode) and make the change again."
        )
    before, after = changes(old), changes(new)
    for change, author in after.items():
        expected = before.get(change, actor.pk)
        if author != expected:
            raise ValidationError(
                f"Not saved: the suggested change {change} is marked as made by someone else. Reload the editor "
                "and make the change again."
            )
    removed = {author for change, author in before.items() if change not in after and author != actor.pk}
    if removed:
        names = ", ".join(sorted(user.display_name for user in User.objects.filter(pk__in=removed)))
        raise ValidationError(
            f"Not saved: it takes out a change suggested by {names or 'someone else'}. Only the chair accepts or "
            "rejects other people's suggestions."
        )
    return any(change not in before for change in after)


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
