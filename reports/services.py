"""Writes for the sections of a document: adding, renaming, moving and removing them, and their
text: saves with optimistic concurrency (a save based on an old version is refused, with what
the person needs to merge), saves safe to send twice, revisions and restores, and the guard that
no redaction mark is lost. Each owns its transaction and audits the change."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.models import User
from reports import redactions, richtext, suggesting
from reports.diff import DiffRow, MergeResult, diff_rows, merge
from reports.document_services import document_check_editable
from reports.models import Document, Section, SectionRevision
from reviews.audit import audit_record
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

    def __init__(self, passages: list[redactions.Passage]):
        self.passages = passages
        super().__init__(
            [
                f"“{passage.quote}” is redacted, and this change leaves it without the redaction mark, so it "
                "would be published. Redact it again, or confirm that you removed the mark on purpose."
                for passage in passages
            ]
        )


def _redactions_check(*, old: str, new: str, unredacted: Collection[str]) -> list[redactions.Passage]:
    """The one guard on every write of section text: a passage redacted in ``old`` whose wording
    ``new`` has outside a mark is refused, unless the person said they removed that mark on
    purpose (``unredacted``: the passages they unmarked). Returns those removed on purpose.

    Judged on the text as stored and on the text as accepted (what is published): redacted
    wording in a pending suggestion is not published yet, so accepting it is what exposes it."""
    dropped = redactions.redactions_dropped(old, new)
    if richtext.has_pending(old) or richtext.has_pending(new):
        seen = {passage.key for passage in dropped}
        accepted_old, accepted_new = ("".join(richtext.accepted_blocks(value)) for value in (old, new))
        dropped += [
            passage for passage in redactions.redactions_dropped(accepted_old, accepted_new) if passage.key not in seen
        ]
    meant = [key for key in (redactions.redaction_key(text) for text in unredacted) if key]
    # A passage inside one the person unmarked counts as unmarked with it.
    refused = [
        passage
        for passage in dropped
        if not any(re.search(rf"(?<!\w){re.escape(passage.key)}(?!\w)", key) for key in meant)
    ]
    if refused:
        raise RedactionDropped(refused)
    return dropped


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
def section_add(*, document: Document, title: str, actor: User, after: Section | None = None) -> Section:
    document_check_editable(document)
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
    document_check_editable(section.document)
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
    document_check_editable(section.document)
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
    document_check_editable(section.document)
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
    suggest_only: bool = False,
) -> Section:
    """Store a new version of the section text, sanitised. Refused with ``StaleSection``
    (and nothing written) when the section changed since ``base_version``, and with
    ``RedactionDropped`` when a redacted passage would lose its mark and ``unredacted`` (the
    passages the person unmarked on purpose) does not name it. ``save_id`` is kept on the new
    revision (see ``section_save_once``). ``suggest_only`` (a panel member): refused unless the
    save changes nothing but the person's own tracked changes and comment anchors
    (reports.suggesting)."""
    section = (
        Section.objects.select_for_update(of=("self",))
        .select_related("document__review", "updated_by")
        .get(pk=section_id)
    )
    document_check_editable(section.document)
    if section.version != base_version:
        raise StaleSection(section=section, base_version=base_version)
    clean = section_text_clean(body, title=section.title)
    if clean == section.body and not note:
        return section  # nothing changed: no new version, so nobody else's editor goes stale
    suggested = suggesting.suggestion_check(old=section.body, new=clean, actor=actor) if suggest_only else False
    # A panel member takes no mark off (the text as accepted keeps every mark): what they would
    # confirm is redacted wording in a suggestion of theirs, which the chair's accepting it would
    # publish without a word. They redact it again.
    unmarked = _redactions_check(old=section.body, new=clean, unredacted=() if suggest_only else unredacted)
    _version_write(section, body=clean, actor=actor, autosave=autosave, note=note[:300], save_id=save_id)
    _version_audit(section, actor=actor, autosave=autosave, note=note[:300], unmarked=len(unmarked))
    if suggested:
        suggesting.changes_suggested_notify(section, actor=actor)
    return section


def _version_write(section: Section, *, body: str, actor: User, autosave: bool, note: str, save_id: str) -> None:
    """The section's text as its next version, and that version kept as a revision."""
    section.body = body
    section.version += 1
    section.updated_at = timezone.now()
    section.updated_by = actor
    section.save(update_fields=["body", "version", "updated_at", "updated_by"])
    SectionRevision.objects.create(
        section=section,
        version=section.version,
        title=section.title,
        body=body,
        author=actor,
        autosave=autosave,
        note=note,
        save_id=save_id,
    )


def _version_audit(section: Section, *, actor: User, autosave: bool, note: str, unmarked: int) -> None:
    # Autosaves are many; the audit trail keeps the typed saves and every restore or merge.
    if not autosave:
        audit_record(
            actor=actor,
            action="section.saved",
            obj=section,
            review=section.document.review,
            detail={"version": section.version, "note": note},
        )
    if unmarked:
        # Always audited, autosave or not: this passage will now be published.
        audit_record(
            actor=actor,
            action="section.redaction_removed",
            obj=section,
            review=section.document.review,
            detail={"version": section.version, "passages": unmarked},
        )


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
    suggest_only: bool = False,
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
            unredacted=unredacted, save_id=save_id, suggest_only=suggest_only,
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
    body = redactions.redactions_apply(revision.body, redactions.passages(current.body))
    kept = " (redactions made since are kept)" if body != revision.body else ""
    return section_save(
        section_id=section.pk,
        body=body,
        base_version=base_version,
        actor=actor,
        note=f"Restored version {revision.version}{kept}",
    )


@dataclass(frozen=True)
class SectionConflict:
    """What the person whose save was refused (``StaleSection``) needs: what the other person
    changed, what they themselves changed, and the two merged (conflicting paragraphs kept
    twice, marked). ``section`` is the section as the other person saved it."""

    section: Section
    theirs_rows: list[DiffRow]
    mine_rows: list[DiffRow]
    merged: MergeResult
    mine: str
    # A panel member's suggestions on paragraphs the other person changed: they cannot be merged
    # as suggestions, so the merge is their version and the person suggests again on it.
    suggestions_not_merged: bool = False


def section_conflict(*, stale: StaleSection, body: str, suggest_only: bool = False) -> SectionConflict:
    """The conflict of a refused save of ``body``; a ValidationError when ``body`` itself could
    not be saved (too long, too deeply nested). ``suggest_only`` (a panel member): a merge that
    would change the text other than by suggestions (both versions of a paragraph kept) is not
    offered; their version is, with the person's changes listed to make again."""
    section = stale.section
    base = SectionRevision.objects.filter(section=section, version=stale.base_version).first()
    base_body = base.body if base else ""
    mine = section_text_clean(body, title=section.title)
    merged = merge(base_body, section.body, mine)
    not_merged = suggest_only and richtext.accepted_blocks(merged.html) != richtext.accepted_blocks(section.body)
    return SectionConflict(
        section=section,
        theirs_rows=diff_rows(base_body, section.body),
        mine_rows=diff_rows(base_body, mine),
        merged=MergeResult(section.body, merged.conflicts) if not_merged else merged,
        mine=mine,
        suggestions_not_merged=not_merged,
    )
