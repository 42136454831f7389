"""Writes for documents: sections, saves with optimistic concurrency, revisions, comments,
suggested edits, status and the glossary. Each owns its transaction and audits the change."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reports import richtext
from reports.layouts import RECOMMENDATIONS, layout_for
from reports.models import Comment, Document, DocumentStatusChange, GlossaryTerm, Section, SectionRevision, Suggestion
from reports.publication_check import publication_check
from reviews.audit import audit_record
from reviews.models import Review, ReviewMembership
from reviews.notifications import notify
from reviews.publication import normalise
from reviews.validators import one_line_problem

MAX_SECTION_CHARS = 2_000_000  # a whole report pasted into one section still fits
# The editor's id for one save attempt: a UUID from the browser (crypto.randomUUID()).
SAVE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


@dataclass
class StaleSection(Exception):
    """A save based on a version someone else has since replaced: nothing was written."""

    section: Section
    base_version: int

    def __str__(self) -> str:
        who = self.section.updated_by.display_name if self.section.updated_by else "someone else"
        return (
            f"{self.section.title} was saved by {who} after you opened it"
            f" (version {self.base_version} is now version {self.section.version})."
        )


class RedactionDropped(ValidationError):
    """A save that would leave a redacted passage's wording without its mark: nothing was
    written. ``passages`` are the ones refused, for the person to confirm or redact again."""

    def __init__(self, passages: list[richtext.Passage]):
        self.passages = passages
        super().__init__(
            [
                f"“{passage.quote}” is redacted, and this change leaves it without the redaction mark, so it "
                "would be published. Redact it again, or confirm that you removed the mark on purpose."
                for passage in passages
            ]
        )


def _redactions_check(*, old: str, new: str, unredacted: Collection[str]) -> list[richtext.Passage]:
    """The one guard on every write of section text: a passage redacted in ``old`` whose wording
    ``new`` has outside a mark is refused, unless the person said they removed that mark on
    purpose (``unredacted``: the passages they unmarked). Returns those removed on purpose."""
    dropped = richtext.redactions_dropped(old, new)
    meant = [key for key in (richtext.redaction_key(text) for text in unredacted) if key]
    # A passage inside one the person unmarked counts as unmarked with it.
    refused = [
        passage
        for passage in dropped
        if not any(re.search(rf"(?<!\w){re.escape(passage.key)}(?!\w)", key) for key in meant)
    ]
    if refused:
        raise RedactionDropped(refused)
    return dropped


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


def _check_editable(document: Document) -> None:
    # Read the status afresh: the caller's copy may be older than someone's approval.
    # Locked, so an approval cannot slip in between this check and the save.
    document.status = Document.objects.select_for_update().filter(pk=document.pk).values_list("status", flat=True).get()
    if document.is_locked:
        raise ValidationError(
            f"The {document.get_kind_display().lower()} is {document.get_status_display().lower()}: "
            "move it back to draft before changing it."
        )


def _check_publishable(document: Document) -> None:
    """Published only while its publication check passes: the same run the publication
    preview shows and every publication render makes (reports.publication_check)."""
    check = publication_check(document)
    if not check.passed:
        count = len(check.blocking) + len(check.unresolved)
        raise ValidationError(
            f"The {document.get_kind_display().lower()} cannot be published: the publication check finds "
            f"{count} problem{'s' if count != 1 else ''} (see the publication version). " + "; ".join(check.problems())
        )


def _clean_title(title: str) -> str:
    title = " ".join(normalise(title).split())
    if not title:
        raise ValidationError("Give the section a title.")
    if problem := one_line_problem(title, "The section title"):
        raise ValidationError(problem)
    if len(title) > 200:
        raise ValidationError("A section title can be at most 200 characters.")
    return title


@transaction.atomic
def document_create(*, review: Review, kind: str, actor: User) -> Document:
    """The document with the sections of the review type's layout, all empty."""
    if kind not in Document.Kind.values:
        raise ValidationError(f"Unknown document kind {kind!r}.")
    if Document.objects.filter(review=review, kind=kind).exists():
        raise ValidationError(f"This review already has an {Document.Kind(kind).label.lower()}.")
    document = Document.objects.create(review=review, kind=kind, created_by=actor)
    Section.objects.bulk_create(
        Section(
            document=document,
            title=title,
            position=position,
            kind=Section.Kind.RECOMMENDATIONS if title == RECOMMENDATIONS else Section.Kind.TEXT,
        )
        for position, title in enumerate(layout_for(review.review_type, kind), start=1)
    )
    audit_record(actor=actor, action="document.created", obj=document, review=review)
    return document


@transaction.atomic
def document_numbering_set(*, document: Document, numbering: str, actor: User) -> Document:
    if numbering not in Document.Numbering.values:
        raise ValidationError("Choose continuous or per-section paragraph numbering.")
    if document.numbering != numbering:
        document.numbering = numbering
        document.save(update_fields=["numbering"])
        audit_record(actor=actor, action="document.numbering_changed", obj=document, detail={"numbering": numbering})
    return document


@transaction.atomic
def document_status_change(*, document: Document, to_status: str, actor: User, note: str = "") -> Document:
    note = normalise(note)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if to_status not in document.next_statuses():
        wanted = Document.Status(to_status).label.lower() if to_status in Document.Status.values else repr(to_status)
        raise ValidationError(f"A {document.get_status_display().lower()} document cannot move to {wanted}.")
    withdrawn = document.status == Document.Status.PUBLISHED
    if withdrawn and not note.strip():
        raise ValidationError("Say why the document is withdrawn from publication: the reason is kept in its history.")
    if to_status == Document.Status.PUBLISHED:
        _check_publishable(document)
    DocumentStatusChange.objects.create(
        document=document,
        from_status=document.status,
        to_status=to_status,
        changed_by=actor,
        note=note[:500],
    )
    audit_record(
        actor=actor,
        action="document.publication_withdrawn" if withdrawn else "document.status_changed",
        obj=document,
        detail={"from": document.status, "to": to_status, "note": note[:500]},
    )
    document.status = to_status
    document.status_changed_at = timezone.now()
    document.status_changed_by = actor
    document.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    return document


@transaction.atomic
def section_add(*, document: Document, title: str, actor: User, after: Section | None = None) -> Section:
    _check_editable(document)
    title = _clean_title(title)
    if after is not None:
        position = after.position + 1
        Section.objects.filter(document=document, position__gte=position).update(position=F("position") + 1)
    else:
        position = (Section.objects.filter(document=document).aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(document=document, title=title, position=position)
    audit_record(actor=actor, action="section.added", obj=section, review=document.review)
    return section


@transaction.atomic
def section_rename(*, section: Section, title: str, actor: User) -> Section:
    _check_editable(section.document)
    title = _clean_title(title)
    old = section.title
    if title != old:
        section.title = title
        section.save(update_fields=["title"])
        audit_record(
            actor=actor, action="section.renamed", obj=section, review=section.document.review, detail={"from": old}
        )
    return section


@transaction.atomic
def section_move(*, section: Section, direction: str, actor: User) -> Section:
    """One place up or down; positions are renumbered 1..n so they stay dense."""
    _check_editable(section.document)
    ordered = list(Section.objects.select_for_update().filter(document=section.document_id).order_by("position", "pk"))
    index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    Section.objects.bulk_update(ordered, ["position"])
    audit_record(
        actor=actor, action="section.moved", obj=section, review=section.document.review, detail={"to": target + 1}
    )
    return next(item for item in ordered if item.pk == section.pk)


@transaction.atomic
def section_remove(*, section: Section, actor: User) -> None:
    """Removing a section keeps its last text in the audit trail, so nothing typed is lost."""
    _check_editable(section.document)
    audit_record(
        actor=actor,
        action="section.removed",
        obj=section,
        review=section.document.review,
        detail={"title": section.title, "version": section.version, "body": section.body},
    )
    section.delete()


def section_text_clean(body: str, *, title: str) -> str:
    """Section text as it is stored, or a ValidationError saying why it cannot be."""
    if len(body or "") > MAX_SECTION_CHARS:
        raise ValidationError(f"{title} is too long to save ({len(body):,} characters; the most is 2,000,000).")
    try:
        return richtext.sanitise(body)
    except richtext.TooDeeplyNested as error:
        raise ValidationError(f"{title} was not saved: {error} Paste it as plain text and format it again.") from error


@transaction.atomic
def section_save(
    *,
    section_id: int,
    body: str,
    base_version: int,
    actor: User,
    autosave: bool = False,
    note: str = "",
    unredacted: Collection[str] = (),
    save_id: str = "",
) -> Section:
    """Store a new version of the section text, sanitised. Refused with ``StaleSection``
    (and nothing written) when the section changed since ``base_version``, and with
    ``RedactionDropped`` when a redacted passage would lose its mark and ``unredacted`` (the
    passages the person unmarked on purpose) does not name it. ``save_id`` is kept on the new
    revision (see ``section_save_once``)."""
    section = (
        Section.objects.select_for_update(of=("self",))
        .select_related("document__review", "updated_by")
        .get(pk=section_id)
    )
    _check_editable(section.document)
    if section.version != base_version:
        raise StaleSection(section=section, base_version=base_version)
    clean = section_text_clean(body, title=section.title)
    if clean == section.body and not note:
        return section  # nothing changed: no new version, so nobody else's editor goes stale
    unmarked = _redactions_check(old=section.body, new=clean, unredacted=unredacted)
    section.body = clean
    section.version += 1
    section.updated_at = timezone.now()
    section.updated_by = actor
    section.save(update_fields=["body", "version", "updated_at", "updated_by"])
    SectionRevision.objects.create(
        section=section,
        version=section.version,
        title=section.title,
        body=clean,
        author=actor,
        autosave=autosave,
        note=note[:300],
        save_id=save_id,
    )
    # Autosaves are many; the audit trail keeps the typed saves and every restore or merge.
    if not autosave:
        audit_record(
            actor=actor,
            action="section.saved",
            obj=section,
            review=section.document.review,
            detail={"version": section.version, "note": note[:300]},
        )
    if unmarked:
        # Always audited, autosave or not: this passage will now be published.
        audit_record(
            actor=actor,
            action="section.redaction_removed",
            obj=section,
            review=section.document.review,
            detail={"version": section.version, "passages": len(unmarked)},
        )
    return section


@dataclass(frozen=True)
class SavedVersion:
    """The answer to an editor's save: the version its text is now, and when that was saved."""

    version: int
    saved_at: datetime.datetime | None
    repeated: bool = False  # this save had already committed; nothing was written now


def section_save_once(
    *,
    section_id: int,
    body: str,
    base_version: int,
    actor: User,
    save_id: str,
    autosave: bool = False,
    unredacted: Collection[str] = (),
) -> SavedVersion:
    """The editor's save, safe to send again. The editor gives each save attempt an id and
    sends the same id when it tries the same save again (after a lost answer or a server
    error). A save whose id already committed is answered with the version it made, as if it
    had just saved, instead of being refused as based on an old version: the conflict would be
    with the person's own save. Two copies of one save arriving at once are decided by the
    database (one revision per save id and section): one commits, the other is answered the same.
    Without a save id (the form posted without the editor's script) this is ``section_save``."""
    if save_id and not SAVE_ID.fullmatch(save_id):
        raise ValidationError("The editor sent a save id that is not valid: reload the page and save again.")
    try:
        section = section_save(
            section_id=section_id, body=body, base_version=base_version, actor=actor, autosave=autosave,
            unredacted=unredacted, save_id=save_id,
        )  # fmt: skip
    except (StaleSection, IntegrityError):
        earlier = _revision_saved_as(section_id=section_id, save_id=save_id, actor=actor)
        if earlier is None:
            raise
        return SavedVersion(version=earlier.version, saved_at=earlier.created_at, repeated=True)
    return SavedVersion(version=section.version, saved_at=section.updated_at)


def _revision_saved_as(*, section_id: int, save_id: str, actor: User) -> SectionRevision | None:
    if not save_id:
        return None
    return SectionRevision.objects.filter(section_id=section_id, save_id=save_id, author=actor).first()


@transaction.atomic
def section_restore(*, section: Section, revision: SectionRevision, base_version: int, actor: User) -> Section:
    """Restoring makes a new version with the old text: the history only ever grows. Passages
    redacted now stay redacted wherever the old text has them (an old version is no way to
    take a mark off)."""
    if revision.section_id != section.pk:
        raise ValidationError("That revision belongs to another section.")
    current = Section.objects.select_for_update(of=("self",)).get(pk=section.pk)
    body = richtext.redactions_apply(revision.body, richtext.passages(current.body))
    kept = " (redactions made since are kept)" if body != revision.body else ""
    return section_save(
        section_id=section.pk,
        body=body,
        base_version=base_version,
        actor=actor,
        note=f"Restored version {revision.version}{kept}",
    )


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
    _check_editable(section.document)
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
    redacted = richtext.passages(suggestion.original)
    proposed = richtext.redactions_apply(suggestion.proposed, redacted)
    missing = [passage for passage in redacted if not richtext.is_redacted_in(proposed, passage)]
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


def _clean_term(abbreviation: str, expansion: str) -> tuple[str, str]:
    abbreviation = " ".join(normalise(abbreviation).split())
    expansion = " ".join(normalise(expansion).split())
    if not abbreviation:
        raise ValidationError("Give the abbreviation.")
    if len(abbreviation) > 30:
        raise ValidationError(f'"{abbreviation[:40]}" is longer than 30 characters: is it an abbreviation?')
    if not expansion:
        raise ValidationError(f"Give what {abbreviation} stands for.")
    return abbreviation, expansion[:300]


@transaction.atomic
def glossary_term_save(*, review: Review, abbreviation: str, expansion: str, actor: User) -> GlossaryTerm:
    """Add a term, or change what an existing abbreviation stands for."""
    abbreviation, expansion = _clean_term(abbreviation, expansion)
    term, created = GlossaryTerm.objects.update_or_create(
        review=review, abbreviation=abbreviation, defaults={"expansion": expansion}
    )
    audit_record(actor=actor, action="glossary.added" if created else "glossary.changed", obj=term, review=review)
    return term


@transaction.atomic
def glossary_terms_import(*, review: Review, text: str, actor: User) -> int:
    """Lines of "ABBR: what it stands for" (or a tab or " - " between), as a glossary is
    usually kept in Word. Any bad line saves nothing and names the line."""
    parsed: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        for separator in (":", "\t", " – ", " - "):
            if separator in line:
                abbreviation, expansion = line.split(separator, 1)
                break
        else:
            errors.append(f'line {number}: "{line.strip()[:60]}" has no ":" between the abbreviation and its meaning')
            continue
        try:
            parsed.append(_clean_term(abbreviation, expansion))
        except ValidationError as error:
            errors.append(f"line {number}: {error.messages[0]}")
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError("Paste at least one line such as “MARAC: Multi-Agency Risk Assessment Conference”.")
    for abbreviation, expansion in parsed:
        GlossaryTerm.objects.update_or_create(
            review=review, abbreviation=abbreviation, defaults={"expansion": expansion}
        )
    audit_record(actor=actor, action="glossary.imported", obj=review, detail={"terms": len(parsed)})
    return len(parsed)


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, actor: User) -> None:
    audit_record(actor=actor, action="glossary.removed", obj=term, review=term.review)
    term.delete()
