"""Writes for the panel's discussion of a section: comment threads and their replies, a comment
pinned to a passage by its anchor. Each owns its transaction, audits the change and tells those
concerned by email (naming the section, never its text). Suggested changes to the text are
tracked changes in the editor (reports.suggesting)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reports import richtext
from reports.models import Comment, Section
from reviews.audit import audit_record
from reviews.models import Review, ReviewMembership
from reviews.notifications import notify
from reviews.publication import normalise


def _notify(section: Section, recipients, *, actor: User, subject: str, body: str) -> None:
    """Emails name the section and who did what, never the text itself (it may hold names)."""
    document = section.document
    review = document.review
    link = reverse("reports:section", args=[review.pk, document.pk, section.pk])
    notify(
        recipients=[user for user in recipients if user.pk != actor.pk],
        review=review,
        subject=f"{review.reference}: {subject}",
        body=body,
        link=link,
    )


def _chairs(review: Review):
    return [
        m.user
        for m in ReviewMembership.objects.filter(review=review, role=ReviewMembership.Role.CHAIR).select_related("user")
    ]


def _clean_comment(text: str) -> str:
    text = normalise(text).strip()
    if not text:
        raise ValidationError("Write the comment before posting it.")
    if len(text) > 10_000:
        raise ValidationError("A comment can be at most 10,000 characters.")
    return text


def _clean_anchor(anchor: str) -> uuid.UUID | None:
    """The passage's mark as the editor made it (a lowercase UUID4, as the sanitiser keeps it)."""
    anchor = anchor.strip()
    if not anchor:
        return None
    if not richtext.COMMENT_RE.fullmatch(anchor):
        raise ValidationError("The passage's mark the editor sent is not valid: select the passage and comment again.")
    return uuid.UUID(anchor)


@transaction.atomic
def comment_add(
    *, section: Section, actor: User, text: str, quote: str = "", parent: Comment | None = None, anchor: str = ""
) -> Comment:
    """``anchor``: the UUID the editor marked the passage with (the mark is saved with the text)."""
    text = _clean_comment(text)
    pinned = _clean_anchor(anchor)
    if parent is not None:
        if parent.section_id != section.pk:
            raise ValidationError("That comment belongs to another section.")
        parent = parent.parent or parent  # replies thread under the first comment
        quote, pinned = "", None
    elif pinned is not None and Comment.objects.filter(section=section, anchor=pinned).exists():
        raise ValidationError("That passage's mark is already another comment's: select the passage and comment again.")
    comment = Comment.objects.create(
        section=section, parent=parent, author=actor, text=text, quote=normalise(quote).strip()[:1000], anchor=pinned
    )
    audit_record(actor=actor, action="comment.added", obj=comment, review=section.document.review)
    where = f"“{section.title}” in the {section.document.get_kind_display().lower()}"
    if parent is None:
        _notify(section, _chairs(section.document.review), actor=actor, subject=f"a comment on {section.title}",
                body=f"{actor.display_name} commented on {where}.")  # fmt: skip
    else:
        thread = [parent.author, *(reply.author for reply in parent.replies.select_related("author"))]
        _notify(section, [user for user in thread if user], actor=actor, subject=f"a reply on {section.title}",
                body=f"{actor.display_name} replied to a comment on {where}.")  # fmt: skip
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, actor: User, resolved: bool) -> Comment:
    if comment.parent_id is not None:
        raise ValidationError("Resolve the thread, not a reply.")
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit_record(
        actor=actor,
        action="comment.resolved" if resolved else "comment.reopened",
        obj=comment,
        review=comment.section.document.review,
    )
    return comment
