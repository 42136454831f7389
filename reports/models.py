"""The overview report and the executive summary: documents made of sections, each with its
revision history and comments (suggested edits are tracked changes in the text itself, reports.
suggesting); and the review's glossary of abbreviations."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casereview.downloads import download_filename
from casereview.jobs import Job
from casereview.storage import file_path, files_go_with_rows
from reviews.models import Review


class Document(models.Model):
    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview report"
        EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
        LEARNING_BRIEFING = "learning_briefing", "Learning briefing"

    class Numbering(models.TextChoices):
        CONTINUOUS = "continuous", "Continuous (1, 2, 3 …)"
        PER_SECTION = "per_section", "Per section (3.1, 3.2 …)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PANEL_REVIEW = "panel_review", "Panel review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    # The way a document moves: forward one step, or back to draft from review or approval; a
    # published document is withdrawn to draft, with a reason
    # (reports.document_services.document_status_change).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.PANEL_REVIEW,),
        Status.PANEL_REVIEW: (Status.APPROVED, Status.DRAFT),
        Status.APPROVED: (Status.PUBLISHED, Status.DRAFT),
        Status.PUBLISHED: (Status.DRAFT,),
    }

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class EmptySections(models.TextChoices):
        OMIT = "omit", "Leave empty sections out of the publication version"
        BLOCK = "block", "Refuse to publish while a section is empty"

    numbering = models.CharField(max_length=12, choices=Numbering.choices, default=Numbering.PER_SECTION)
    empty_sections = models.CharField(max_length=8, choices=EmptySections.choices, default=EmptySections.OMIT)
    # The integrated chronology's columns its appendix prints, in order (chronology.exports columns);
    # empty: the default set.
    chronology_columns = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            # One overview report and one executive summary per review.
            models.UniqueConstraint(fields=["review", "kind"], name="document_one_per_kind"),
        ]
        ordering = ["review", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.review.reference}"

    @property
    def is_locked(self) -> bool:
        """Approved and published documents are not edited; move them back to draft first."""
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    def next_statuses(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.status]


class DocumentStatusChange(models.Model):
    """Who moved the document from one status to another, and when."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Document.Status.choices)
    to_status = models.CharField(max_length=12, choices=Document.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document}: {self.from_status} to {self.to_status}"


class Section(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        # Its text introduces the review's recommendations, which follow it as a table.
        RECOMMENDATIONS = "recommendations", "Recommendations"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    position = models.PositiveIntegerField()
    # Sanitised HTML: the text of the latest revision.
    body = models.TextField(blank=True)
    # Goes up by one on every save; a save based on an older version is refused (optimistic
    # concurrency), so nobody overwrites a change they have not seen.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "position", "pk"]
        indexes = [
            # The document's sections in order: the document page and every render.
            models.Index(fields=["document", "position"], name="section_document_position"),
        ]

    def __str__(self) -> str:
        return self.title


class SectionRevision(models.Model):
    """Every save of a section is kept: the history, its diffs and the base of every merge."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    autosave = models.BooleanField(default=False)
    # Why this revision exists when it was not typed: "Restored version 3", "Merged with ...".
    note = models.CharField(max_length=300, blank=True)
    # The editor's id for one save attempt (a retry of the same text sends the same id), so a
    # save whose answer was lost is answered with this revision instead of a conflict.
    save_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="revision_one_per_version"),
            # A retried save: "has this save id already committed on this section?" (an index
            # lookup), and two copies of one save arriving at once cannot both commit.
            models.UniqueConstraint(
                fields=["section", "save_id"], condition=~models.Q(save_id=""), name="revision_one_per_save_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"


class Comment(models.Model):
    """A comment on a section, or on a passage of it (``quote``); replies thread under it. A
    comment made in the editor is pinned to its passage by ``anchor``: the same UUID marks the
    passage in the section's text (<span data-comment="…">), so it follows the passage through
    edits around it."""

    thread_replies: list[Comment]  # not a column: a thread's replies, loaded by reports.selectors.comment_threads
    passage_removed: bool  # not a column: pinned to a passage no longer in the text (comment_threads)

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    quote = models.CharField(max_length=1000, blank=True)
    anchor = models.UUIDField(null=True, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # A section's comment threads.
            models.Index(fields=["section", "parent"], name="comment_section_parent"),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.section}"


class GlossaryTerm(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="glossary_terms")
    abbreviation = models.CharField(max_length=30)
    expansion = models.CharField(max_length=300)

    class Meta:
        ordering = ["review", "abbreviation"]
        constraints = [
            models.UniqueConstraint(fields=["review", "abbreviation"], name="glossary_one_per_abbreviation"),
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation}: {self.expansion}"


# The kind of file a render's format is, for its name and content type (another format is its own).
FILE_TYPES: dict[str, str] = {"html": "zip", "slides": "pdf"}


class DocumentRender(Job):
    """A document rendered to PDF or Word: made by a task, kept as a row the page polls.

    ``fingerprint`` says which revision it is (the versions of every section, the numbering,
    the status, the glossary, the recommendations, the person register...): asking again for
    an unchanged document offers the file already made."""

    superseded: bool  # not a column: ready but of the document as it was (reports.selectors.renders_superseded)

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        HTML = "html", "Web pages (HTML, zip)"
        # A learning briefing's slides: landscape 16:9 PDF pages, a slide per section or learning
        # point (its "pdf" is the A4 two-page handout; reports.render_briefing).
        SLIDES = "slides", "PDF slides (16:9)"

    task_name = "reports.tasks.render_document_task"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="renders")
    format = models.CharField(max_length=8, choices=Format.choices)
    # A publication version: designations for names, "[Redacted]" for redactions, checked for leaks.
    publication = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64)
    # The (section, version) pairs and the document status it was made from, for people to read.
    revision = models.JSONField(default=dict, editable=False)
    # Written in the same UPDATE that marks the row ready: there is never a half-written file.
    file = models.FileField(upload_to=file_path, max_length=200, blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # A publication version made before publishing, as the document will read once published
    # (its marking and status): the files publishing freezes (reports.published_services).
    as_published = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # "Is there already a file for this revision?" on every request to render.
            models.Index(fields=["document", "fingerprint"], name="render_document_fingerprint"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def label(self) -> str:
        return f"{self.get_format_display()}, {'publication' if self.publication else 'panel'} version"

    @property
    def filename(self) -> str:
        """Each render its own name, "NDHR-01-overview-publication-r12.pdf" (r and its number), so
        a file saved from an older revision is never mistaken for a newer one."""
        kind = self.document.kind.replace("_", "-")
        version = "publication" if self.publication else "panel"
        form = "slides" if self.format == self.Format.SLIDES else ""
        return download_filename(
            self.document.review.reference, kind, form, version, f"r{self.pk}", ext=self.file_type(self.format)
        )

    @classmethod
    def formats_for(cls, kind: str) -> list[tuple[str, str]]:
        """The formats a document of this kind is rendered in, with their labels: slides are a
        learning briefing's, whose PDF is its A4 handout."""
        if kind != Document.Kind.LEARNING_BRIEFING:
            return [(fmt, label) for fmt, label in cls.Format.choices if fmt != cls.Format.SLIDES]
        labels: dict[str, str] = {"pdf": "PDF handout (A4, two pages)"}
        return [(fmt, labels.get(fmt, label)) for fmt, label in cls.Format.choices]

    @classmethod
    def file_type(cls, fmt: str) -> str:
        """What a file of this format is: "pdf" (slides too), "docx", "zip" (web pages)."""
        return FILE_TYPES.get(fmt, fmt)


files_go_with_rows(DocumentRender)


class PendingImport(models.Model):
    """A Word file read and shown to the person who uploaded it as the changes it would make,
    not applied yet (reports.docx_import_service): confirming applies exactly ``plan``, and
    only while every section it changes is still at the version it was read against."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pending_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    filename = models.CharField(max_length=255)
    # [{"section": pk or null (a new section), "title", "base_version", "body", "after": pk or null}]
    plan = models.JSONField(default=list)
    # What the file held that is not imported: {"not_kept": [[what, where, count]], "skipped": [...], ...}
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.document}"


class Publication(models.Model):
    """A document as it was published: its files frozen (``artefacts``), the publication report
    as it stood at that moment, and who published it when. Never deleted, even when the review's
    personal data is purged (the document may go; this stays). Withdrawing the document supersedes
    it, with the reason; publishing again makes a new one (reports.published_services)."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="publications")
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, related_name="publications")
    document_kind = models.CharField(max_length=20, choices=Document.Kind.choices)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The publication report at that moment (reports.published_services.report_snapshot): the
    # sections and versions published, the checks' result, the names replaced by designation,
    # and the chair's acknowledgements, confirmations and redactions. Designations only.
    report = models.JSONField(default=dict)
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            # A document has one publication in force; the earlier ones are superseded.
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(superseded_at__isnull=True, document__isnull=False),
                name="publication_one_in_force_per_document",
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_at__isnull=True) | ~models.Q(superseded_reason=""),
                name="publication_superseded_with_reason",
            ),
        ]
        indexes = [
            # A partnership's "Published reviews" page and a review's publications, newest first.
            models.Index(fields=["review", "-published_at"], name="publication_review_published"),
        ]

    def __str__(self) -> str:
        return f"{self.get_document_kind_display()}, {self.review.reference}, published {self.published_at:%-d %B %Y}"

    @property
    def in_force(self) -> bool:
        return self.superseded_at is None


class PublishedArtefact(models.Model):
    """One file of a publication, its bytes copied from the render at the moment of publishing
    with their SHA-256: never replaced, changed or deleted (on PostgreSQL a trigger refuses it,
    migration 0011). A later render of the document is another row of DocumentRender."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="artefacts")
    format = models.CharField(max_length=8, choices=DocumentRender.Format.choices)
    # The render it was copied from, while that row exists (a purge deletes the renders).
    render = models.ForeignKey(DocumentRender, on_delete=models.SET_NULL, null=True, related_name="+")
    fingerprint = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField(null=True, blank=True)
    filename = models.CharField(max_length=200)
    # Its own copy in the storage, never the render's: a render may be pruned or purged.
    file = models.FileField(upload_to=file_path, max_length=200, editable=False)

    class Meta:
        ordering = ["publication", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "filename"], name="published_artefact_one_per_name"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def label(self) -> str:
        return self.get_format_display()


files_go_with_rows(PublishedArtefact)


from reports.family_models import FamilyComment, FamilyReader, FamilyReaderVersion, FamilyResponse  # noqa: E402, F401
from reports.submission_models import SubmissionCheckMark, SubmissionFeedback, SubmissionPack  # noqa: E402, F401
