"""Writes for the panel's discussion of a section: comment threads and their replies, and
suggested rewordings of a paragraph that the chair accepts (a new version of the section) or
rejects. Each owns its transaction, audits the change and tells those concerned by email
(naming the section, never its text)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reports import redactions, richtext
from reports.document_services import document_check_editable
from reports.models import Comment, Section, Suggestion
from reports.services import section_save
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


@transaction.atomic
def comment_add(*, section: Section, actor: User, text: str, quote: str = "", parent: Comment | None = None) -> Comment:
    text = _clean_comment(text)
    if parent is not None:
        if parent.section_id != section.pk:
            raise ValidationError("That comment belongs to another section.")
        parent = parent.parent or parent  # replies thread under the first comment
        quote = ""
    comment = Comment.objects.create(
        section=section, parent=parent, author=actor, text=text, quote=normalise(quote).strip()[:1000]
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


@transaction.atomic
def suggestion_add(*, section: Section, actor: User, paragraph: int, proposed: str, reason: str = "") -> Suggestion:
    """A proposed rewording of paragraph ``paragraph`` (0-based among the section's blocks)."""
    document_check_editable(section.document)
    blocks = richtext.blocks(section.body)
    if not 0 <= paragraph < len(blocks):
        raise ValidationError("That paragraph is no longer in the section: reload the page and try again.")
    proposed = normalise(proposed).strip()
    if not proposed:
        raise ValidationError("Write the wording you propose.")
    if len(proposed) > 20_000:
        raise ValidationError("A suggestion can be at most 20,000 characters.")
    paragraphs = [part.strip() for part in proposed.replace("\r\n", "\n").split("\n\n") if part.strip()]
    proposed_html = richtext.sanitise("".join(f"<p>{linebreaksbr(part, autoescape=True)}</p>" for part in paragraphs))
    if proposed_html == blocks[paragraph].html:
        raise ValidationError("The wording you propose is the same as the paragraph's.")
    suggestion = Suggestion.objects.create(
        section=section,
        author=actor,
        original=blocks[paragraph].html,
        proposed=proposed_html,
        reason=normalise(reason).strip()[:1000],
    )
    audit_record(actor=actor, action="suggestion.added", obj=suggestion, review=section.document.review)
    kind = section.document.get_kind_display().lower()
    body = f"{actor.display_name} suggested a new wording for a paragraph of “{section.title}” in the {kind}."
    _notify(section, _chairs(section.document.review), actor=actor, subject=f"a suggested edit to {section.title}",
            body=body + " Accept or reject it on the section's page.")  # fmt: skip
    return suggestion


def _proposed_with_redactions(suggestion: Suggestion) -> str:
    """The proposed wording (plain text) with the paragraph's redaction marks put back on every
    passage it still has; refused if a redacted passage is not in it any more."""
    redacted = redactions.passages(suggestion.original)
    proposed = redactions.redactions_apply(suggestion.proposed, redacted)
    missing = [passage for passage in redacted if not redactions.is_redacted_in(proposed, passage)]
    if missing:
        quoted = "; ".join(f"“{passage.quote}”" for passage in missing)
        raise ValidationError(
            f"This suggestion cannot be accepted as it is: the paragraph's redacted passage {quoted} is not in the "
            "wording proposed, so its redaction would be lost. Apply the wording by hand in the editor, keeping "
            "or removing the redaction as you mean to, then reject the suggestion."
        )
    return proposed


@transaction.atomic
def suggestion_decide(*, suggestion: Suggestion, actor: User, accept: bool) -> Suggestion:
    """Accepting replaces the paragraph (found by its text, wherever it now is) in a new
    version of the section. If the paragraph was changed meanwhile, the suggestion stays
    open and the chair is told to apply it by hand."""
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("section__document__review")
        .get(pk=suggestion.pk)
    )
    if suggestion.status != Suggestion.Status.OPEN:
        raise ValidationError(f"This suggestion was already {suggestion.get_status_display().lower()}.")
    section = suggestion.section
    if accept:
        blocks = richtext.blocks(section.body)
        index = next((i for i, block in enumerate(blocks) if block.html == suggestion.original), None)
        if index is None:
            raise ValidationError(
                "The paragraph this suggestion rewords has been changed since it was made: "
                "apply the wording by hand, then reject the suggestion."
            )
        proposed = _proposed_with_redactions(suggestion)
        body = "".join(proposed if i == index else block.html for i, block in enumerate(blocks))
        author = suggestion.author.display_name if suggestion.author else "a panel member"
        section_save(
            section_id=section.pk,
            body=body,
            base_version=section.version,
            actor=actor,
            note=f"Accepted a suggestion from {author}",
        )
    suggestion.status = Suggestion.Status.ACCEPTED if accept else Suggestion.Status.REJECTED
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = actor
    suggestion.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        actor=actor,
        action="suggestion.accepted" if accept else "suggestion.rejected",
        obj=suggestion,
        review=section.document.review,
    )
    if suggestion.author:
        decision = "accepted" if accept else "rejected"
        _notify(section, [suggestion.author], actor=actor, subject=f"your suggestion was {decision}",
                body=f"{actor.display_name} {decision} your suggested wording for “{section.title}”.")  # fmt: skip
    return suggestion
