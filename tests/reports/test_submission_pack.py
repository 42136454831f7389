"""The submission pack: one zip of the publication versions, the action plan, the key dates and a
manifest giving each file's SHA-256 and source version; made by the job mechanism, reusing a ready
render of the document as it stands; refused with a reason when anything would publish a name."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import Action, Recommendation
from casereview.storage import file_bytes
from reports import render_service
from reports.models import Document, DocumentRender, SubmissionPack
from reports.submission_services import submission_pack_request
from reports.tasks import render_document_task, submission_pack_task
from reviews.models import AuditEntry, ClockExtension, Review
from reviews.publication.files import pdf_pages_text
from tests.conftest import World
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(world: World) -> World:
    """A DHR with both documents, an action plan and an extended clock."""
    Review.objects.filter(pk=world.review.pk).update(
        notification_date=datetime.date(2026, 1, 5), decision_date=datetime.date(2026, 1, 20)
    )
    world.review.refresh_from_db()
    make_document(world, sections=[("Introduction", paragraphs(2)), ("Equality and diversity", paragraphs(1))])
    make_document(world, sections=[("The review process", paragraphs(1))], kind=Document.Kind.EXECUTIVE_SUMMARY)
    recommendation = Recommendation.objects.create(review=world.review, number=1, text="Share risk assessments.")
    Action.objects.create(
        recommendation=recommendation, text="Write a protocol.", lead_agency=world.agency_a, owner=world.owner,
        target_date=datetime.date(2027, 3, 31),
    )  # fmt: skip
    ClockExtension.objects.create(
        review=world.review, milestone="completion", due_date=datetime.date(2026, 12, 31),
        reason="Susan Marsh's trial ends in November.", agreed_by=world.chair,
    )  # fmt: skip
    return world


def _made(world: World) -> SubmissionPack:
    pack = submission_pack_request(actor=world.chair, review=world.review)
    submission_pack_task.apply(args=(pack.pk,))
    pack.refresh_from_db()
    return pack


def test_a_dhr_pack_holds_the_files_the_home_office_expects_with_their_hashes(ready):
    pack = _made(ready)
    assert pack.status == SubmissionPack.Status.READY, pack.error
    archive = zipfile.ZipFile(io.BytesIO(file_bytes(pack.file)))
    names = archive.namelist()
    assert names == [
        "NDHR-01-overview-publication.pdf",
        "NDHR-01-executive-summary-publication.pdf",
        "NDHR-01-action-plan.pdf",
        "NDHR-01-action-plan.xlsx",
        "NDHR-01-key-dates.csv",
        "NDHR-01-key-dates.pdf",
        "manifest.json",
        "MANIFEST.txt",
    ]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["recipient"] == "the Home Office quality assurance panel"
    for item in manifest["files"]:
        assert hashlib.sha256(archive.read(item["name"])).hexdigest() == item["sha256"]
        assert item["description"] and item["source"]
    overview = manifest["files"][0]
    render = DocumentRender.objects.get(document__kind="overview", publication=True, format="pdf")
    assert overview["version"]["render"] == render.pk and overview["version"]["fingerprint"] == render.fingerprint
    assert overview["version"]["sections"] == render.revision["sections"]
    assert f"SHA-256: {overview['sha256']}" in archive.read("MANIFEST.txt").decode()
    # The key dates go through the publication pipeline: a name in an extension's reason is replaced.
    key_dates = archive.read("NDHR-01-key-dates.csv").decode("utf-8-sig")
    assert "The victim's mother's trial ends in November" in key_dates and "Marsh" not in key_dates
    assert "Review completed,,6 months from the decision to review,2026-01-20,2026-07-20,2026-12-31" in key_dates
    assert "Decision to review,2026-01-20," in key_dates
    assert "Key dates: NDHR-01" in "".join(pdf_pages_text(archive.read("NDHR-01-key-dates.pdf")))
    assert pack.sha256 == hashlib.sha256(file_bytes(pack.file)).hexdigest()


def test_a_ready_render_of_the_document_as_it_stands_is_reused_and_other_ready_formats_go_in(ready):
    overview = Document.objects.get(review=ready.review, kind="overview")
    row = render_service.render_request(actor=ready.chair, document=overview, fmt="pdf", publication=True)
    render_document_task.apply(args=(row.pk,))
    docx = render_service.render_request(actor=ready.chair, document=overview, fmt="docx", publication=True)
    render_document_task.apply(args=(docx.pk,))
    pack = _made(ready)
    files = {item["name"]: item for item in pack.files}
    assert files["NDHR-01-overview-publication.pdf"]["version"]["render"] == row.pk
    assert files["NDHR-01-overview-publication.docx"]["version"]["render"] == docx.pk
    assert DocumentRender.objects.filter(document=overview, format="pdf", publication=True).count() == 1


def test_a_name_left_in_the_report_fails_the_pack_with_where_it_is(ready):
    section = Document.objects.get(review=ready.review, kind="overview").sections.get(title="Introduction")
    section.body = "<p>Mrs Marsh spoke to the panel.</p>"
    section.save(update_fields=["body"])
    pack = _made(ready)
    assert pack.status == SubmissionPack.Status.FAILED and not file_bytes(pack.file)
    assert pack.error.startswith("The overview report could not be made as a publication version.")
    assert "Marsh" in pack.error and "1. Introduction" in pack.error


def test_a_dhr_without_an_executive_summary_is_refused_with_a_reason(ready):
    Document.objects.filter(review=ready.review, kind="executive_summary").delete()
    pack = _made(ready)
    assert pack.error == (
        "A Domestic Homicide Review is submitted with its executive summary: this review has none yet."
    )


def test_the_page_asks_for_a_pack_polls_it_and_downloads_it_audited(client, ready, django_capture_on_commit_callbacks):
    client.force_login(ready.chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:submission_pack_create", args=[ready.review.pk]))
    assert response.status_code == 302
    pack = SubmissionPack.objects.get(review=ready.review)
    assert pack.status == SubmissionPack.Status.READY, pack.error
    status = client.get(
        reverse("reports:submission_pack_status", args=[ready.review.pk, pack.pk]), HTTP_ACCEPT="application/json"
    )
    assert status.json()["status"] == "ready" and pack.filename in status.json()["html"]
    download = client.get(reverse("reports:submission_pack_download", args=[ready.review.pk, pack.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == f'attachment; filename="{pack.filename}"'
    assert download.getvalue() == file_bytes(pack.file)
    assert AuditEntry.objects.filter(action="submission.pack_downloaded", review=ready.review).count() == 1
    assert AuditEntry.objects.filter(action="submission.pack_requested", review=ready.review).count() == 1
    page = client.get(reverse("reports:submission", args=[ready.review.pk])).content.decode()
    assert "Superseded" not in page
    section = Document.objects.get(review=ready.review, kind="executive_summary").sections.get()
    section.body = "<p>The review process is set out in the overview report.</p>"
    section.version += 1
    section.save(update_fields=["body", "version"])
    page = client.get(reverse("reports:submission", args=[ready.review.pk])).content.decode()
    assert 'Superseded</span> <span class="text-body-secondary">A document has changed since' in page


def test_the_command_writes_the_pack_and_names_each_file(ready, tmp_path, capsys):
    output = tmp_path / "pack.zip"
    call_command("submission_pack", "NDHR-01", "--output", str(output))
    printed = capsys.readouterr().out
    assert "NDHR-01 submission pack written to" in printed and "6 files and a manifest" in printed
    assert zipfile.ZipFile(output).namelist()[-2:] == ["manifest.json", "MANIFEST.txt"]
    Document.objects.filter(review=ready.review, kind="executive_summary").delete()
    with pytest.raises(CommandError, match="this review has none yet"):
        call_command("submission_pack", "NDHR-01", "--output", str(tmp_path / "again.zip"))


def test_a_cspr_pack_goes_to_the_national_panel_with_the_overview_report_alone(ready):
    Review.objects.filter(pk=ready.review.pk).update(review_type=Review.Type.CSPR)
    Document.objects.filter(review=ready.review, kind="executive_summary").delete()
    pack = _made(ready)
    assert pack.status == SubmissionPack.Status.READY, pack.error
    assert pack.manifest["recipient"] == "the national Child Safeguarding Practice Review Panel"
    assert [item["name"] for item in pack.files][:2] == ["NDHR-01-overview-publication.pdf", "NDHR-01-action-plan.pdf"]
