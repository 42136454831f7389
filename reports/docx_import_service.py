"""A Word file imported into a document: read (reports.docx_import), matched to the document's
sections by title, shown as the changes it would make, and applied only when confirmed.

The imported text goes through the one sanitiser (which normalises it as publication does:
NFC, no invisible format characters). A paragraph the file has unchanged keeps the markup it has
in casereview (its references, glossary terms, redaction marks, comment anchors); a footnote
whose text is the footnote a reference of this document makes becomes that reference again,
any other footnote a bracketed note, "[Note: …]". Wording redacted in the document stays
redacted wherever the file has it. Applying saves each changed section as a new revision
through reports.services.section_save (versions, the lock and the audit trail hold), all or
nothing, and refuses when a section changed since the file was read, naming it."""

from __future__ import annotations

import datetime
import html as htmllib
import re
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from reports import data_blocks, redactions, richtext
from reports.compose import References
from reports.diff import DiffRow, diff_rows, has_changes
from reports.docx_import import NOTE_CLOSE, NOTE_OPEN, DocxError, ParsedDocx, parse_docx, title_key
from reports.models import Document, GlossaryTerm, PendingImport, Section
from reports.services import section_add, section_save, section_text_clean
from reviews.audit import audit_record

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PENDING_FOR = datetime.timedelta(hours=2)
_NOTE_RE = re.compile(f"{NOTE_OPEN}([0-9]+){NOTE_CLOSE}")
_WORD_RE = re.compile(r"\w+")
_RECOMMENDATIONS_TABLE_RE = re.compile(r"^No\.?\s+Recommendation\b")


@dataclass
class PlanItem:
    """One section the import writes: an existing one (``section``) or a new one (None)."""

    title: str
    body: str
    section: int | None = None
    base_version: int = 0
    old_body: str = ""

    @property
    def changed(self) -> bool:
        return self.section is None or self.body != self.old_body


@dataclass
class ImportPlan:
    items: list[PlanItem]
    not_kept: list[tuple[str, str, int]] = field(default_factory=list)  # (what, where, how many)
    skipped: list[str] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)  # sections the file does not have: left as they are
    notes: list[str] = field(default_factory=list)  # what became of footnotes, suggestions...

    def rows(self, item: PlanItem) -> list[DiffRow]:
        return diff_rows(item.old_body, item.body)

    @property
    def changed(self) -> list[PlanItem]:
        return [item for item in self.items if item.changed]


def _check_not_locked(document: Document) -> None:
    status = Document.objects.filter(pk=document.pk).values_list("status", flat=True).first()
    document.status = status or document.status
    if document.is_locked:
        raise ValidationError(
            f"The {document.get_kind_display().lower()} is {document.get_status_display().lower()}, so nothing can "
            "be imported into it: move it back to draft first."
        )


def check_upload_size(size: int, name: str) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"{name} is {size / 1024 / 1024:.1f} MB: a Word file to import can be at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Remove pictures from it (they are not imported) and try again."
        )


def import_plan(document: Document, data: bytes, *, name: str = "The file") -> ImportPlan:
    """What importing ``data`` into ``document`` would do; nothing is written. A ValidationError
    says why it cannot be imported."""
    _check_not_locked(document)
    check_upload_size(len(data), name)
    try:
        parsed = parse_docx(data)
    except DocxError as error:
        raise ValidationError(f"{name}: {error}") from error
    sections = list(document.sections.order_by("position", "pk"))
    by_key = {title_key(section.title): section for section in sections}
    footnotes = _reference_notes(document, sections)
    glossary = dict(GlossaryTerm.objects.filter(review=document.review).values_list("abbreviation", "expansion"))
    plan = ImportPlan(items=[], skipped=list(parsed.skipped))
    planned: dict[str, PlanItem] = {}
    notes = _Notes(parsed, footnotes)
    for imported in parsed.sections:
        key = title_key(imported.title) or imported.title
        body = notes.resolve(imported.html)
        if key in planned:  # the same heading twice: one section, its text joined
            planned[key].body += body
            continue
        section = by_key.get(key)
        if section is None:
            item = PlanItem(title=imported.title, body=body)
        else:
            item = PlanItem(title=section.title, body=body, section=section.pk, base_version=section.version,
                            old_body=section.body)  # fmt: skip
        planned[key] = item
        plan.items.append(item)
    by_pk = {section.pk: section for section in sections}
    blocks = data_blocks.DataBlocks(document.review, [])
    for item in plan.items:
        item.body = _clean(item, by_pk.get(item.section or 0), glossary, blocks)
    plan.untouched = [section.title for section in sections if title_key(section.title) not in planned]
    plan.not_kept = [(what, where, count) for (what, where), count in parsed.not_kept.items()]
    plan.notes = notes.summary() + _suggestions_note(plan, by_pk)
    return plan


class _Notes:
    """Footnotes back as references where the document makes the same footnote, else as notes."""

    def __init__(self, parsed: ParsedDocx, footnotes: dict[str, str]):
        self.parsed, self.footnotes = parsed, footnotes
        self.as_reference = self.as_note = 0

    def resolve(self, html: str) -> str:
        def one(match: re.Match[str]) -> str:
            text = " ".join(self.parsed.notes.get(int(match.group(1)), "").split())
            if text in self.footnotes:
                self.as_reference += 1
                return self.footnotes[text]
            self.as_note += 1
            return f" [Note: {richtext_escape(text)}]" if text else ""

        return _NOTE_RE.sub(one, html)

    def summary(self) -> list[str]:
        out = []
        if self.as_reference:
            out.append(f"{self.as_reference} footnote(s) are this document's references and stay references.")
        if self.as_note:
            out.append(f"{self.as_note} other footnote(s) are kept in the text as “[Note: …]” after their mark.")
        return out


def richtext_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _suggestions_note(plan: ImportPlan, by_pk: dict[int, Section]) -> list[str]:
    pending = [
        item.title
        for item in plan.changed
        if item.section and richtext.has_pending(by_pk[item.section].body) and richtext.has_pending(item.body) is False
    ]
    if not pending:
        return []
    return [f"Suggested changes not yet accepted in {', '.join(pending)} are replaced by the file's text."]


def _reference_notes(document: Document, sections: list[Section]) -> dict[str, str]:
    """The footnote text each reference of the document makes, to the reference itself."""
    glossary = dict(GlossaryTerm.objects.filter(review=document.review).values_list("abbreviation", "expansion"))
    refs = References(document.review, sections, glossary)
    out: dict[str, str] = {}
    for section in sections:
        for kind, value in richtext.references(richtext.accepted(section.body)):
            if kind == "term":
                continue
            token = f"[[{kind}:{value}]]"
            before = len(refs.footnotes)
            refs.replace(token, section.title)
            if len(refs.footnotes) > before:
                out.setdefault(" ".join(refs.footnotes[-1].text.split()), token)
    return out


def _clean(item: PlanItem, section: Section | None, glossary: dict[str, str], blocks: data_blocks.DataBlocks) -> str:
    """The imported text as it would be stored: sanitised; for a section of the document, its
    data blocks' contents as the data block again, the recommendations table casereview writes
    after a recommendations section left out, unchanged paragraphs as they are now, and
    redacted wording marked."""
    body = section_text_clean(item.body, title=item.title)
    if section is None:
        return body
    found = _data_blocks_back(richtext.blocks(body), section, blocks)
    if section.kind == Section.Kind.RECOMMENDATIONS:
        found = [b for b in found if not (b.tag == "table" and _RECOMMENDATIONS_TABLE_RE.match(b.text))]
    body = richtext.sanitise("".join(_keep_unchanged([b.html for b in found], section.body, glossary)))
    body = redactions.redactions_apply(body, redactions.passages(section.body))
    body = _comment_anchors_back(body, section.body)
    return section_text_clean(body, title=item.title)


_ANCHOR_RE = re.compile(r'<span data-comment="([0-9a-f-]{36})">([^<]{1,1000})</span>')


def _comment_anchors_back(body: str, old_body: str) -> str:
    """A comment's passage that the file still has word for word (in one piece of text) pinned
    to its comment again, as it was: Word's copy of it carries no anchor."""
    for anchor, quote in _ANCHOR_RE.findall(old_body):
        if f'data-comment="{anchor}"' in body:
            continue
        text = htmllib.unescape(quote)
        items = richtext.tokens(body)
        for index, token in enumerate(items):
            if token.kind == "text" and text in token.text:
                before, after = token.text.split(text, 1)
                items[index : index + 1] = [
                    richtext.Token("text", text=before),
                    richtext.Token("start", "span", (("data-comment", anchor),)),
                    richtext.Token("text", text=text),
                    richtext.Token("end", "span"),
                    richtext.Token("text", text=after),
                ]
                body = richtext.serialise(items)
                break
    return body


def _words(block: richtext.Block) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(block.text.casefold()))


def _data_blocks_back(
    found: list[richtext.Block], section: Section, blocks: data_blocks.DataBlocks
) -> list[richtext.Block]:
    """Where the file has what a data block of the section expands to (the panel's table, the
    contributors' list...), the data block's paragraph again, so it stays live."""
    for block in richtext.blocks(section.body):
        match = data_blocks.token_of(block)
        if match is None:
            continue
        expansion = tuple(word for b in richtext.blocks(blocks.html(match, section.title)) for word in _words(b))
        span = _run_of_words(found, expansion)
        if span is not None:
            found = [*found[: span[0]], block, *found[span[1] :]]
    return found


def _run_of_words(found: list[richtext.Block], words: tuple[str, ...]) -> tuple[int, int] | None:
    """The first run of consecutive blocks that reads as ``words``, whatever the blocks' shapes
    (Word gives a quotation's paragraphs back one by one, a list's items as paragraphs)."""
    if not words:
        return None
    for start in range(len(found)):
        run: tuple[str, ...] = ()
        for end in range(start, len(found)):
            run += _words(found[end])
            if run != words[: len(run)]:
                break
            if len(run) == len(words):
                return start, end + 1
    return None


def _keys(html: str, glossary: dict[str, str]) -> set[tuple[str, ...]]:
    """What a block reads as in Word, as words: references gone (they are footnote marks),
    glossary terms as the abbreviation, or with its expansion (the first use)."""
    text = richtext.blocks(richtext.accepted(html))[0].text if html else ""
    bare = richtext.REFERENCE_RE.sub(lambda m: m.group(2) if m.group(1) == "term" else "", text)
    keys = {tuple(_WORD_RE.findall(bare.casefold()))}
    expanded = richtext.REFERENCE_RE.sub(
        lambda m: f"{glossary.get(m.group(2), '')} {m.group(2)}" if m.group(1) == "term" else "", text
    )
    keys.add(tuple(_WORD_RE.findall(expanded.casefold())))
    return keys


def _keep_unchanged(new_blocks: list[str], old_body: str, glossary: dict[str, str]) -> list[str]:
    old = [(block.tag, block.html, _keys(block.html, glossary)) for block in richtext.blocks(old_body)]
    used: set[int] = set()
    out = []
    for html in new_blocks:
        tag = richtext.blocks(html)[0].tag
        keys = _keys(html, glossary)
        candidates = (i for i, (old_tag, _h, old_keys) in enumerate(old) if old_tag == tag and keys & old_keys)
        found = next((i for i in candidates if i not in used), None)
        if found is None:
            out.append(html)
        else:
            used.add(found)
            out.append(old[found][1])
    return out


# --- applying ---


@transaction.atomic
def import_apply(*, document: Document, items: list[PlanItem], actor: User | None, filename: str) -> list[str]:
    """Every changed section of the plan saved as a new revision, and the new sections added;
    all or nothing. Refused (ValidationError, nothing written) when the document is locked or a
    section changed (or went) since the file was read. Returns the titles written."""
    _check_not_locked(document)
    existing = {
        section.pk: section
        for section in Section.objects.select_for_update().filter(document=document, pk__in=[i.section for i in items])
    }
    moved = [
        item.title
        for item in items
        if item.section is not None
        and (item.section not in existing or existing[item.section].version != item.base_version)
    ]
    if moved:
        raise ValidationError(
            f"Not imported: {', '.join(moved)} changed since the file was read (someone saved or removed "
            f"{'it' if len(moved) == 1 else 'them'}). Upload the file again to see the changes it makes now."
        )
    note = f"Imported from Word ({filename})"[:300]
    # The audit trail records every save; an import has no person when run from the command line.
    who = cast(User, actor)
    written: list[str] = []
    last: Section | None = None  # a new section goes after the one before it in the file
    for item in items:
        try:
            last = _write(document, item, who, note, last)
        except ValidationError as error:  # RedactionDropped among them
            raise ValidationError(f"Not imported: {item.title}: {' '.join(error.messages)}") from error
        if item.changed:
            written.append(item.title)
    audit_record(
        actor=actor, action="document.imported", obj=document, review=document.review,
        detail={"file": filename[:200], "sections": written},
    )  # fmt: skip
    return written


def _write(document: Document, item: PlanItem, actor: User, note: str, last: Section | None) -> Section | None:
    if item.section is None:
        if last is not None:
            last.refresh_from_db(fields=["position"])
        section = section_add(document=document, title=item.title, actor=actor, after=last)
        return section_save(section_id=section.pk, body=item.body, base_version=0, actor=actor, note=note)
    if item.changed:
        return section_save(
            section_id=item.section, body=item.body, base_version=item.base_version, actor=actor, note=note
        )
    return Section.objects.filter(pk=item.section).first()


def pending_import_create(*, document: Document, plan: ImportPlan, actor: User, filename: str) -> PendingImport:
    """The plan kept for its confirmation by the person who uploaded it (their earlier pending
    import of this document goes); audited."""
    PendingImport.objects.filter(document=document, created_by=actor).delete()
    PendingImport.objects.filter(expires_at__lt=timezone.now()).delete()
    pending = PendingImport.objects.create(
        document=document,
        created_by=actor,
        expires_at=timezone.now() + PENDING_FOR,
        filename=filename[:255],
        plan=[item.__dict__ for item in plan.items],
        report={"not_kept": plan.not_kept, "skipped": plan.skipped, "untouched": plan.untouched, "notes": plan.notes},
    )
    audit_record(
        actor=actor, action="document.import_read", obj=document, review=document.review,
        detail={"file": filename[:200], "changes": [item.title for item in plan.changed]},
    )  # fmt: skip
    return pending


def pending_plan(pending: PendingImport) -> ImportPlan:
    report = pending.report or {}
    return ImportPlan(
        items=[PlanItem(**item) for item in pending.plan],
        not_kept=[(str(row[0]), str(row[1]), int(row[2])) for row in report.get("not_kept", [])],
        skipped=report.get("skipped", []),
        untouched=report.get("untouched", []),
        notes=report.get("notes", []),
    )


def pending_import_apply(*, pending: PendingImport, actor: User) -> list[str]:
    if pending.expires_at < timezone.now():
        pending.delete()
        raise ValidationError("This import was read more than two hours ago and has expired: upload the file again.")
    with transaction.atomic():
        written = import_apply(
            document=pending.document, items=pending_plan(pending).items, actor=actor, filename=pending.filename
        )
        pending.delete()
    return written


def pending_import_cancel(*, pending: PendingImport, actor: User) -> None:
    audit_record(
        actor=actor, action="document.import_cancelled", obj=pending.document, review=pending.document.review,
        detail={"file": pending.filename[:200]},
    )  # fmt: skip
    pending.delete()


__all__ = ["has_changes"]


def pending_import_for(*, document: Document, user: User, pk: int) -> PendingImport | None:
    """The user's own pending import into the document, or None (anyone else's is not theirs to see)."""
    return PendingImport.objects.filter(document=document, created_by=user, pk=pk).first()


def pending_import_exists(pk: int) -> bool:
    return PendingImport.objects.filter(pk=pk).exists()
