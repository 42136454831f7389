"""Agency chronologies: the entries an agency records of its contact with the people in a
review, the files they were uploaded from, and the chair's clarification requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from casereview.downloads import download_filename
from casereview.jobs import Job
from casereview.storage import file_path, files_go_with_rows


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"
    YEAR = "year", "Year"
    APPROXIMATE = "approximate", "Approximate"
    RANGE = "range", "Range"


class ChronologyEntry(models.Model):
    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="entries")
    # The agency's own row order: the last tie-breaker when entries share a date and time.
    position = models.PositiveIntegerField()
    date_start = models.DateField()
    date_end = models.DateField(help_text="Inclusive.")
    precision = models.CharField(max_length=12, choices=Precision.choices)
    date_display = models.CharField("date", max_length=60, help_text="The date as the agency wrote it, normalised.")
    time = models.TimeField(null=True, blank=True)
    people = models.JSONField(default=list, blank=True, help_text="People involved, as named in the agency's records.")
    source = models.CharField(max_length=255, blank=True, help_text="The record this comes from.")
    practitioner = models.CharField(max_length=255, blank=True, help_text="The practitioner's role, never their name.")
    event = models.CharField("event type", max_length=255, blank=True)
    details = models.TextField(help_text="What happened: facts only.")
    outcome = models.TextField("action / outcome", blank=True)
    comment = models.TextField("IMR author's comment", blank=True, help_text="Analysis, kept apart from the facts.")
    significant = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["imr", "date_start", "position"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__gte=models.F("date_start")), name="entry_date_end_after_start"
            ),
            models.CheckConstraint(condition=Q(precision__in=Precision.values), name="entry_precision_valid"),
        ]
        indexes = [
            # An agency's chronology in its own order (the IMR pages and the merge).
            models.Index(fields=["imr", "position"], name="entry_imr_position"),
            # An agency's chronology page (chronology.selectors.ENTRY_ORDER): the page's ids are read
            # from the index alone, in order, skipping the pages before it. An ascending index puts
            # an entry without a time last on PostgreSQL, as the page's order does.
            models.Index(fields=["imr", "date_start", "time", "position", "id"], name="entry_imr_page_order"),
        ]

    def __str__(self) -> str:
        return f"{self.date_display}: {self.details[:60]}"


class ChronologyUpload(Job):
    """An uploaded chronology file, checked once by a job (casereview.jobs), then waiting for its
    author to import it.

    The file is kept in the file storage (casereview.storage) only until the job has read it: the
    job stores what it found (the rows and every issue, chronology.importers.result_dumps) and
    clears the file. The preview and the import read that stored parse, never the file. It is
    cleared in turn once imported or discarded."""

    task_name = "chronology.tasks.upload_parse_task"
    # A newer upload replaces one still being checked; there is nothing else to cancel.
    cancellable = False

    class Outcome(models.TextChoices):
        WAITING = "waiting", "Waiting for import"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="uploads")
    # The uploaded file, until its check has read it.
    upload_file = models.FileField(upload_to=file_path, max_length=200, blank=True, editable=False)
    # The uploaded bytes' SHA-256: the same file sent again while its check waits is that check.
    upload_sha256 = models.CharField(max_length=64, blank=True, default="")
    original_name = models.CharField(max_length=255)
    # The sheet asked for; once checked, the sheet that was read.
    sheet = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    # What the check found (the job's result, chronology.importers.result_dumps).
    parse_file = models.FileField(upload_to=file_path, max_length=200, blank=True, editable=False)
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The hourly clean-up: uploads left waiting.
            models.Index(fields=["outcome", "created_at"], name="upload_outcome_created"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def label(self) -> str:
        return f"The check of {self.original_name}"


files_go_with_rows(ChronologyUpload)


class Clarification(models.Model):
    """A question from the chair on a returned IMR, about one entry or the IMR as a whole,
    and the IMR author's answer."""

    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="clarifications")
    entry = models.ForeignKey(
        ChronologyEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="clarifications"
    )
    # Kept so the question still reads sensibly if the entry is later deleted.
    entry_label = models.CharField(max_length=200, blank=True)
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imr", "asked_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]


class KeyEpisode(models.Model):
    """A key practice episode the chair names: a date range the analysis looks at as one,
    such as "The first key episode: August to October 2010"."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="episodes")
    title = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "start", "end", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="episode_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class IntegratedChronology(Job):
    """One version of a review's integrated chronology: built by a job (casereview.jobs) from the
    agencies' chronologies, then read-only. Only a READY version is ever shown."""

    task_name = "chronology.tasks.integrated_build_task"
    cancellable = False

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="integrated_chronologies")
    version = models.PositiveIntegerField()
    include_submitted = models.BooleanField(
        default=False, help_text="Also take chronologies that are submitted but not yet accepted."
    )
    entry_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    conflict_count = models.PositiveIntegerField(default=0)
    gap_count = models.PositiveIntegerField(default=0)
    agency_names = models.JSONField(default=list, blank=True, help_text="The agencies merged, in name order.")
    timeline_svg = models.TextField(blank=True, help_text="The timeline picture, with designations.")
    # When a change to what the picture shows (episodes, the register) asked for it to be drawn
    # again; cleared once drawn. The sweeper asks again for a drawing wanted long ago.
    timeline_wanted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["review", "-version"]
        verbose_name_plural = "integrated chronologies"
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="integrated_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference} integrated chronology v{self.version}"

    @property
    def label(self) -> str:
        return f"Version {self.version} of the integrated chronology"


class IntegratedEntry(models.Model):
    """A copy of one agency entry in one version, so old versions read as they were built."""

    # Rows are written only by the build, in one INSERT ... SELECT that joins each to its agency,
    # and deleted with their version by Django's cascade. So the database neither checks each row
    # of a large version against its version and agency (that took longer than writing the rows)
    # nor keeps an index of either: the (chronology, seq) index below serves every query by version.
    chronology = models.ForeignKey(
        IntegratedChronology, on_delete=models.CASCADE, related_name="entries", db_index=False, db_constraint=False
    )
    seq = models.PositiveIntegerField()
    # The agency entry it was copied from: chair decisions on links are kept against it.
    source_id = models.BigIntegerField()
    # Only deleting an agency (rare, and refused while a version names it) looks entries up by agency.
    agency = models.ForeignKey(
        "reviews.Agency", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    agency_name = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    date_start = models.DateField()
    date_end = models.DateField()
    precision = models.CharField(max_length=12, choices=Precision.choices)
    date_display = models.CharField(max_length=60)
    time = models.TimeField(null=True, blank=True)
    people = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=255, blank=True)
    practitioner = models.CharField(max_length=255, blank=True)
    event = models.CharField(max_length=255, blank=True)
    details = models.TextField()
    outcome = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    significant = models.BooleanField(default=False)
    in_scope = models.BooleanField(default=True)
    # Has at least one suggested link (the "linked" filter, without a join per row).
    linked = models.BooleanField(default=False)
    # The searchable fields' text, lowered by the database (the filters lower what they look for
    # the same way): the person filter, and the text search on databases without full text.
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["chronology", "seq"]
        verbose_name_plural = "integrated entries"
        indexes = [
            # The chronology page: one version's entries in order, a page at a time.
            models.Index(fields=["chronology", "seq"], name="integrated_entry_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.date_display} {self.agency_name}"


class LinkKind(models.TextChoices):
    POSSIBLE_DUPLICATE = "possible_duplicate", "Possible duplicate"
    DATE_CONFLICT = "date_conflict", "Date conflict"


class SuggestedLink(models.Model):
    """Two entries from different agencies that may record the same event."""

    # As for IntegratedEntry: written only by the build, deleted with their version; the seq
    # indexes below begin with the version.
    chronology = models.ForeignKey(
        IntegratedChronology, on_delete=models.CASCADE, related_name="links", db_index=False, db_constraint=False
    )
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    seq_a = models.PositiveIntegerField()
    seq_b = models.PositiveIntegerField()
    source_a = models.BigIntegerField()
    source_b = models.BigIntegerField()
    # Each side's entry_fingerprint (chronology/integrated/rows.py), to find the chair's decision once a
    # re-import has given the entries new ids. Blank in versions built before fingerprints.
    fingerprint_a = models.CharField(max_length=32, blank=True, default="")
    fingerprint_b = models.CharField(max_length=32, blank=True, default="")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["chronology", "seq_a", "seq_b"]
        indexes = [
            models.Index(fields=["chronology", "seq_a"], name="link_seq_a"),
            models.Index(fields=["chronology", "seq_b"], name="link_seq_b"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.seq_a} and {self.seq_b}"


class LinkDecision(models.Model):
    """The chair's decision on a suggested link, kept against the agencies' own entries so it
    holds in every later version: by their ids, or by their fingerprints once the ids are gone."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="link_decisions")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    source_a = models.BigIntegerField()
    source_b = models.BigIntegerField()
    # The entries as they were when decided (entry_fingerprint, chronology/integrated/rows.py), in the order
    # of source_a and source_b: an agency that re-imports its chronology gives its entries new
    # ids, and the decision still applies to the same entries; not once an entry's details change.
    fingerprint_a = models.CharField(max_length=32, blank=True, default="")
    fingerprint_b = models.CharField(max_length=32, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "kind", "source_a", "source_b"], name="link_decision_once"),
            models.CheckConstraint(condition=Q(source_a__lt=models.F("source_b")), name="link_decision_ordered"),
        ]
        indexes = [
            # A decision found again by the two entries' fingerprints, either way round, for every link
            # of a version when the suggested-links page is filtered by decision (links_decided).
            models.Index(
                fields=["review", "kind", "fingerprint_a", "fingerprint_b"], name="link_decision_fingerprints"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.get_kind_display().lower()}"


class Gap(models.Model):
    """A stretch of the review period in which no agency recorded any contact."""

    chronology = models.ForeignKey(IntegratedChronology, on_delete=models.CASCADE, related_name="gaps")
    start = models.DateField()
    end = models.DateField()
    days = models.PositiveIntegerField()

    class Meta:
        ordering = ["chronology", "start"]

    def __str__(self) -> str:
        return f"{self.start} to {self.end} ({self.days} days)"


class ChronologyExport(Job):
    """A generated export of one version: made by a job (casereview.jobs), a row the page polls."""

    task_name = "chronology.tasks.chronology_export_task"
    # Not a column: set by chronology.exports.selectors on the rows it lists.
    superseded: bool

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        PDF = "pdf", "PDF"

    class Names(models.TextChoices):
        DESIGNATIONS = "designations", "Designations"
        REAL = "real", "Real names (panel only)"

    chronology = models.ForeignKey(IntegratedChronology, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=5, choices=Format.choices)
    names = models.CharField(max_length=13, choices=Names.choices, default=Names.DESIGNATIONS)
    file = models.FileField(upload_to=file_path, max_length=200, blank=True, editable=False)
    # What the file was made from (chronology.exports.selectors.export_fingerprint): a designations
    # export whose inputs have changed since (register, decisions, episodes, code) is superseded.
    fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def label(self) -> str:
        return f"{self.get_format_display()} export, {self.get_names_display().lower()}"

    @property
    def filename(self) -> str:
        # A panel file says what it holds even where its format has no page to say it on (CSV).
        names = "real-names-contains-personal-data" if self.names == self.Names.REAL else self.names
        return download_filename(
            self.chronology.review.reference, "integrated-chronology", f"v{self.chronology.version}", names,
            ext=self.format,
        )  # fmt: skip


files_go_with_rows(ChronologyExport)
