"""Old generated and uploaded files are freed (casereview.pruning, manage.py prune_files): the files
the latest versions need and every published file stay; replaced ones past their limit go; a dry
run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone

from actions.models import BoardPlanExport
from casereview.orphans import orphans_prune, stored_file_fields
from casereview.pruning import ORPHANS, files_prune
from casereview.storage import file_bytes, file_store
from chronology.models import ChronologyExport, ChronologyUpload, IntegratedChronology, IntegratedEntry
from reports.models import Document, DocumentRender, Publication, PublishedArtefact, SubmissionPack
from reviews.models import AuditEntry

pytestmark = pytest.mark.django_db

READY, FAILED = "ready", "failed"


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


def _render(document, *, days: int, status=READY, fmt="pdf", publication=False, data=b"%PDF old") -> DocumentRender:
    return DocumentRender.objects.create(
        document=document, format=fmt, publication=publication, fingerprint="f", status=status,
        requested_at=_ago(days), file=ContentFile(data, "r.pdf") if data else "",
    )  # fmt: skip


def _version(review, version: int, *, days: int, status=READY) -> IntegratedChronology:
    return IntegratedChronology.objects.create(
        review=review, version=version, status=status, requested_at=_ago(days), timeline_svg="<svg/>"
    )


def _export(chronology, *, days: int, fmt="csv", status=READY) -> ChronologyExport:
    return ChronologyExport.objects.create(
        chronology=chronology,
        format=fmt,
        status=status,
        requested_at=_ago(days),
        file=ContentFile(b"a,b\n" * 100, f"e.{fmt}"),
    )


def _pack(review, *, days: int, data: bytes) -> SubmissionPack:
    return SubmissionPack.objects.create(
        review=review, status=READY, requested_at=_ago(days), file=ContentFile(data, "p.zip")
    )


@pytest.fixture
def files(world):
    """A review with files of every kind: old replaced ones, the latest ones, and a published one."""
    document = Document.objects.create(review=world.review, kind="overview")
    renders = {
        "old": _render(document, days=90),
        "old_failed": _render(document, days=90, status=FAILED, data=b""),
        "published_from": _render(document, days=80, publication=True),
        "recent_replaced": _render(document, days=5),
        "latest": _render(document, days=60, fmt="docx", data=b"PK docx"),
        "latest_pdf": _render(document, days=1),
        "latest_publication": _render(document, days=70, publication=True),
    }
    publication = Publication.objects.create(
        review=world.review, document=document, document_kind="overview", published_at=_ago(80)
    )
    artefact = PublishedArtefact.objects.create(
        publication=publication, format="pdf", render=renders["published_from"], fingerprint="f",
        sha256="0" * 64, size=8, filename="NDHR-01-overview-published.pdf", file=ContentFile(b"%PDF old", "a.pdf"),
    )  # fmt: skip
    v1 = _version(world.review, 1, days=100)
    IntegratedEntry.objects.create(
        chronology=v1, seq=1, source_id=world.entry_a.pk, agency=world.agency_a, agency_name="Police", position=1,
        date_start=_ago(400).date(), date_end=_ago(400).date(), precision="day", date_display="x", details="x",
    )  # fmt: skip
    v2_failed = _version(world.review, 2, days=95, status=FAILED)
    v3 = _version(world.review, 3, days=90)
    v4_failed_highest = _version(world.review, 4, days=85, status=FAILED)
    exports = {
        "of_v1": _export(v1, days=99),
        "old_v3": _export(v3, days=89),
        "latest_v3": _export(v3, days=60),
        "latest_v3_json": _export(v3, days=70, fmt="json"),
    }
    uploads = {
        "imported_old": ChronologyUpload.objects.create(
            imr=world.imr_a,
            status=READY,
            outcome="imported",
            parse_file=ContentFile(b"parse", "a.bin"),
            original_name="a.csv",
        ),
        "imported_new": ChronologyUpload.objects.create(
            imr=world.imr_a,
            status=READY,
            outcome="imported",
            parse_file=ContentFile(b"parse", "b.bin"),
            original_name="b.csv",
        ),
    }
    ChronologyUpload.objects.filter(pk=uploads["imported_old"].pk).update(created_at=_ago(60))
    packs = {
        "old": _pack(world.review, days=90, data=b"zip1"),
        "latest": _pack(world.review, days=40, data=b"z2"),
        "other_review": _pack(world.other_review, days=90, data=b"zip"),
    }
    return {
        "renders": renders, "artefact": artefact, "versions": {"v1": v1, "v2": v2_failed, "v3": v3,
        "v4": v4_failed_highest}, "exports": exports, "uploads": uploads, "packs": packs,
    }  # fmt: skip


def _exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


def _bytes(row) -> bytes:
    name = "parse_file" if isinstance(row, ChronologyUpload) else "file"
    return file_bytes(getattr(type(row).objects.get(pk=row.pk), name))


def _stored(row) -> bool:
    """Whether the row's file (as it was when the test made it) is still in the storage."""
    name = "parse_file" if isinstance(row, ChronologyUpload) else "file"
    file = getattr(row, name)
    return file.storage.exists(file.name)


@pytest.fixture
def pruned(files, django_capture_on_commit_callbacks):
    """``files`` pruned once, with what is done on commit (the stored files' deletion) done."""
    with django_capture_on_commit_callbacks(execute=True):
        results = files_prune()
    return files, results


def test_the_latest_files_and_every_published_file_stay(pruned):
    files, _results = pruned
    renders, exports, versions, packs = files["renders"], files["exports"], files["versions"], files["packs"]
    for name in ("latest", "latest_pdf", "latest_publication", "recent_replaced"):
        assert _exists(renders[name]), name
    assert _bytes(renders["latest_pdf"]) == b"%PDF old"
    # The publication's frozen file and the render it names: the row stays, it keeps the artefact's link.
    artefact = PublishedArtefact.objects.get(pk=files["artefact"].pk)
    assert file_bytes(artefact.file) == b"%PDF old" and artefact.render_id == renders["published_from"].pk
    assert _exists(exports["latest_v3"]) and _exists(exports["latest_v3_json"])
    assert _bytes(exports["latest_v3"]).startswith(b"a,b")
    assert _exists(versions["v3"]) and _exists(versions["v4"])  # the latest ready, and the highest number
    assert _exists(packs["latest"]) and _bytes(packs["latest"]) == b"z2"
    assert _exists(packs["other_review"])  # its review's only pack
    assert _bytes(files["uploads"]["imported_new"]) == b"parse"
    # The stored files the latest versions need are all still there, the published copy too.
    kept = [renders[name] for name in ("latest", "latest_pdf", "latest_publication", "recent_replaced")]
    kept += [renders["published_from"], exports["latest_v3"], exports["latest_v3_json"], packs["latest"]]
    kept += [packs["other_review"], files["uploads"]["imported_new"]]
    assert all(_stored(row) for row in kept)
    assert _stored(files["artefact"])


def test_replaced_files_past_their_limit_go(pruned):
    files, pruned_results = pruned
    results = {freed.kind: freed for freed in pruned_results}
    renders, exports, versions = files["renders"], files["exports"], files["versions"]
    assert not _exists(renders["old"]) and not _exists(renders["old_failed"])
    # Referred to by a published file: kept whole (a ready render of the same revision is offered again).
    assert _bytes(renders["published_from"]) == b"%PDF old"
    assert not _exists(exports["of_v1"]) and not _exists(exports["old_v3"])
    assert not _exists(versions["v1"]) and not _exists(versions["v2"])
    assert not IntegratedEntry.objects.filter(chronology_id=versions["v1"].pk).exists()
    assert not _exists(files["packs"]["old"])
    upload = ChronologyUpload.objects.get(pk=files["uploads"]["imported_old"].pk)
    assert file_bytes(upload.parse_file) == b"" and upload.outcome == "imported"
    # Their stored files went with them.
    gone = [
        renders["old"],
        exports["of_v1"],
        exports["old_v3"],
        files["packs"]["old"],
        files["uploads"]["imported_old"],
    ]
    assert not any(_stored(row) for row in gone)
    assert results["Document renders"].deleted == 2 and results["Document renders"].cleared == 0
    assert results["Document renders"].bytes == len(b"%PDF old")
    assert results["Integrated chronology versions"].deleted == 2
    entry = AuditEntry.objects.get(action="files.pruned", review=files["renders"]["old"].document.review)
    assert entry.detail["Document renders"] == {"files": 2, "bytes": 8}
    assert "Old generated files freed" in entry.object_repr
    # Nothing is left to free: a second run finds nothing.
    assert all(freed.bytes == 0 and freed.deleted == 0 for freed in files_prune())


def test_a_longer_limit_keeps_more(files, settings):
    settings.PRUNE_RENDERS_AFTER_DAYS = 365
    settings.PRUNE_CHRONOLOGIES_AFTER_DAYS = 365
    files_prune()
    assert _exists(files["renders"]["old"])
    assert _exists(files["versions"]["v2"])
    assert not _exists(files["packs"]["old"])  # packs keep their 30 days


def test_the_dry_run_says_what_it_would_free_and_changes_nothing(files, django_capture_on_commit_callbacks):
    counts = {model: model.objects.count() for model in (DocumentRender, ChronologyExport, IntegratedChronology)}
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("prune_files", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Document renders: 2 to delete, 0 to clear, 8 bytes to free" in text
    assert "Integrated chronology versions: 2 to delete" in text
    assert "Would free" in text
    assert {model: model.objects.count() for model in counts} == counts
    assert _bytes(files["renders"]["published_from"]) == b"%PDF old"
    assert _bytes(files["uploads"]["imported_old"]) == b"parse"
    assert _stored(files["renders"]["old"]) and _stored(files["packs"]["old"])
    assert not AuditEntry.objects.filter(action="files.pruned").exists()
    out = StringIO()
    call_command("prune_files", stdout=out)
    assert "Document renders: 2 deleted, 0 cleared, 8 bytes freed" in out.getvalue()


def test_the_boards_old_plan_files_go_keeping_its_latest_of_each_format(world, django_capture_on_commit_callbacks):
    partnership = world.review.partnership

    def plan(days: int, fmt: str) -> BoardPlanExport:
        return BoardPlanExport.objects.create(
            partnership=partnership, format=fmt, status=READY, requested_at=_ago(days),
            file=ContentFile(b"plan", f"p.{fmt}"),
        )  # fmt: skip

    # The latest XLSX stays past the limit: it is the one the board's page offers.
    old, latest, old_pdf, recent_pdf = plan(90, "xlsx"), plan(40, "xlsx"), plan(85, "pdf"), plan(2, "pdf")
    with django_capture_on_commit_callbacks(execute=True):
        results = {freed.kind: freed for freed in files_prune()}
    assert results["Board action plan files"].deleted == 2
    assert not _exists(old) and not _exists(old_pdf) and not _stored(old) and not _stored(old_pdf)
    assert _exists(latest) and _exists(recent_pdf) and _stored(latest) and _stored(recent_pdf)
    entry = AuditEntry.objects.get(action="files.pruned", review=None, partnership=partnership)
    assert entry.detail == {"Board action plan files": {"files": 2, "bytes": 8}}


def test_an_upload_left_waiting_past_the_limit_is_discarded(world):
    upload = ChronologyUpload.objects.create(
        imr=world.imr_a, status=READY, parse_file=ContentFile(b"parse", "a.bin"), original_name="a.csv"
    )
    ChronologyUpload.objects.filter(pk=upload.pk).update(created_at=_ago(45))
    files_prune()
    upload.refresh_from_db()
    assert upload.outcome == "discarded" and file_bytes(upload.parse_file) == b""


def test_the_daily_schedule_prunes():
    entries = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["reviews.tasks.files_prune"]["schedule"] == 24 * 60 * 60


def _stored_then_rolled_back(model, field: str) -> str:
    """The name of a file stored by a transaction that then rolled back: no row names it."""
    names = []
    with pytest.raises(RuntimeError), transaction.atomic():
        names.append(file_store(model, field, b"%PDF left behind", ext="pdf"))
        raise RuntimeError("the row could not be saved")
    assert not DocumentRender.objects.filter(file=names[0]).exists()
    return names[0]


def test_a_file_no_row_names_goes_once_past_its_limit_and_every_named_file_stays(world, settings):
    stray = _stored_then_rolled_back(DocumentRender, "file")
    upload = ChronologyUpload.objects.create(
        imr=world.imr_a, status=READY, original_name="a.csv",
        upload_file=ContentFile(b"Date,Details\r\n", "a.csv"), parse_file=ContentFile(b"parse", "a.bin"),
    )  # fmt: skip
    render = _render(Document.objects.create(review=world.review, kind="overview"), days=0)
    elsewhere = default_storage.save("notes/readme.txt", ContentFile(b"not a file of casereview's"))
    named = [upload.upload_file.name, upload.parse_file.name, render.file.name, elsewhere]

    assert {freed.kind: freed for freed in files_prune()}[ORPHANS].deleted == 0  # stored just now
    assert default_storage.exists(stray)
    tomorrow = timezone.now() + timedelta(hours=25)
    settings.PRUNE_ORPHANS_AFTER_HOURS = 48
    assert orphans_prune(now=tomorrow) == (0, 0)
    settings.PRUNE_ORPHANS_AFTER_HOURS = 24
    count, size = orphans_prune(dry_run=True, now=tomorrow)
    assert count >= 1 and size >= len(b"%PDF left behind") and default_storage.exists(stray)

    results = {freed.kind: freed for freed in files_prune(now=tomorrow)}

    assert results[ORPHANS].deleted == count and results[ORPHANS].bytes == size
    assert not default_storage.exists(stray)
    assert all(default_storage.exists(name) for name in named)
    assert file_bytes(upload.upload_file) == b"Date,Details\r\n"


APPS = {"accounts", "reviews", "chronology", "reports", "actions"}


def test_every_folder_of_stored_files_is_compared_with_all_its_models_file_fields():
    folders = stored_file_fields()
    assert folders["chronology/chronologyupload"] == [
        (ChronologyUpload, "upload_file"),
        (ChronologyUpload, "parse_file"),
    ]
    assert {"reports/documentrender", "chronology/chronologyexport", "reports/submissionpack"} <= set(folders)
    # Every file field of casereview's models names its files by casereview.storage.file_path.
    assert sum(len(fields) for fields in folders.values()) == sum(
        1
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
        and model._meta.app_label in {"accounts", "reviews", "chronology", "reports", "actions"}
    )
