"""Writes for the IMR narrative: each answer to a key line of enquiry is rich text, saved with
optimistic concurrency (a save based on an old version is refused with both texts and nothing
written), safe to send twice (a retried save is answered with the version it made), and every
save is kept as a revision. The key lines an agency is asked are ``key_lines_for_agency``."""

from __future__ import annotations

import datetime
import html as htmllib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from chronology.services import imr_lock_for_change, imr_mark_started
from reports import richtext
from reviews.audit import audit_record
from reviews.models import Imr, ImrAnswer, ImrAnswerRevision, KeyLineOfEnquiry

MAX_ANSWER_CHARS = 1_000_000
# The editor's id for one save attempt: a UUID from the browser (crypto.randomUUID()).
SAVE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
_TAG = re.compile(r"</?[a-zA-Z]")


def key_lines_for_agency(review_id: int, agency_id: int) -> QuerySet[KeyLineOfEnquiry]:
    """The review's key lines asked of this agency: those addressed to it and those addressed to
    every agency (naming none), in order."""
    return (
        KeyLineOfEnquiry.objects.filter(review_id=review_id)
        .filter(Q(agencies__isnull=True) | Q(agencies=agency_id))
        .distinct()
        .order_by("position")
    )


def key_line_asks(key_line: KeyLineOfEnquiry, agency_id: int) -> bool:
    return key_lines_for_agency(key_line.review_id, agency_id).filter(pk=key_line.pk).exists()


def paragraphs_html(text: str) -> str:
    """Plain text as rich text: a paragraph per blank-line-separated part, line breaks kept,
    every character escaped."""
    parts = [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]
    return "".join("<p>" + "<br>".join(htmllib.escape(line) for line in part.split("\n")) + "</p>" for part in parts)


def answer_text_clean(text: str, *, key_line: KeyLineOfEnquiry) -> str:
    """An answer as it is stored: sanitised HTML, or empty when it has no words. Text with no
    markup at all (typed in the form without the editor) is taken as plain paragraphs."""
    text = text or ""
    where = f"The answer to key line {key_line.position}"
    if len(text) > MAX_ANSWER_CHARS:
        raise ValidationError(f"{where} is too long to save ({len(text):,} characters; the most is 1,000,000).")
    if not _TAG.search(text):
        text = paragraphs_html(text)
    try:
        clean = richtext.sanitise(text)
    except richtext.TooDeeplyNested as error:
        raise ValidationError(f"{where} was not saved: {error} Paste it as plain text and format it again.") from error
    return clean if richtext.plain_text(clean).strip() else ""


@dataclass
class StaleAnswer(Exception):
    """A save based on a version of the answer that has since been replaced: nothing was written.
    ``answer`` is the answer as saved since; ``mine`` the refused text (sanitised)."""

    answer: ImrAnswer
    base_version: int
    mine: str

    def __str__(self) -> str:
        who = self.answer.updated_by.display_name if self.answer.updated_by else "someone else"
        return (
            f"Not saved: the answer to key line {self.answer.key_line.position} was saved by {who} after you opened "
            f"it (version {self.base_version} is now version {self.answer.version}). Nothing was overwritten: "
            "both texts are below. Copy what you need into the latest version, then save again."
        )


@dataclass(frozen=True)
class SavedAnswer:
    version: int
    saved_at: datetime.datetime | None
    repeated: bool = False  # this save had already committed; nothing was written now


def _answer_locked(imr: Imr, key_line: KeyLineOfEnquiry) -> tuple[Imr, ImrAnswer]:
    imr = imr_lock_for_change(imr)  # the IMR's row lock also keeps two first saves apart
    if key_line.review_id != imr.review_id or not key_line_asks(key_line, imr.agency_id):
        raise ValidationError(f"Key line {key_line.position} is not asked of {imr.agency.name}.")
    answer, _ = ImrAnswer.objects.select_related("updated_by", "key_line").get_or_create(imr=imr, key_line=key_line)
    return imr, answer


@transaction.atomic
def imr_answer_save(
    *,
    actor: User | None,
    imr: Imr,
    key_line: KeyLineOfEnquiry,
    text: str,
    base_version: int | None,
    autosave: bool = False,
    save_id: str = "",
) -> ImrAnswer:
    """Store a new version of the agency's answer to ``key_line``, sanitised, as a revision.
    Refused with ``StaleAnswer`` (nothing written) when it has changed since ``base_version``;
    ``base_version`` None (a caller with no editor, the demo data) saves over whatever is there."""
    imr, answer = _answer_locked(imr, key_line)
    clean = answer_text_clean(text, key_line=key_line)
    if base_version is not None and answer.version != base_version:
        raise StaleAnswer(answer=answer, base_version=base_version, mine=clean)
    if clean == answer.text:
        return answer  # nothing changed: no new version, so nobody else's editor goes stale
    answer.text = clean
    answer.version += 1
    answer.updated_by = actor
    answer.save(update_fields=["text", "version", "updated_by", "updated_at"])
    ImrAnswerRevision.objects.create(
        answer=answer, version=answer.version, text=clean, author=actor, autosave=autosave, save_id=save_id
    )
    imr_mark_started(imr)
    if not autosave:  # autosaves are many; the trail keeps the typed saves
        audit_record(
            actor=actor,
            action="imr.answer_saved",
            obj=imr,
            object_repr=f"IMR: {imr.agency.name}",
            detail={"key_line": key_line.position, "version": answer.version},
        )
    return answer


def imr_answer_save_once(
    *,
    actor: User,
    imr: Imr,
    key_line: KeyLineOfEnquiry,
    text: str,
    base_version: int | None,
    save_id: str,
    autosave: bool = False,
) -> SavedAnswer:
    """The editor's save, safe to send again: a save whose id already committed is answered with
    the version it made rather than refused as based on an old version (see
    reports.services.section_save_once). Without a save id this is ``imr_answer_save``."""
    if save_id and not SAVE_ID.fullmatch(save_id):
        raise ValidationError("The editor sent a save id that is not valid: reload the page and save again.")
    try:
        answer = imr_answer_save(
            actor=actor, imr=imr, key_line=key_line, text=text, base_version=base_version, autosave=autosave,
            save_id=save_id,
        )  # fmt: skip
    except (StaleAnswer, IntegrityError):
        earlier = (
            ImrAnswerRevision.objects.filter(
                answer__imr=imr, answer__key_line=key_line, save_id=save_id, author=actor
            ).first()
            if save_id
            else None
        )
        if earlier is None:
            raise
        return SavedAnswer(version=earlier.version, saved_at=earlier.created_at, repeated=True)
    return SavedAnswer(version=answer.version, saved_at=answer.updated_at or timezone.now())
