"""The Render panel, downloads, retries, reuse of an unchanged revision, and the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports import render_service
from reports.models import DocumentRender, Section
from reports.tasks import render_document_task
from reviews.models import AuditEntry
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _ask(client, document, *, fmt: str = "pdf", version: str = "panel"):
    url = reverse("reports:render_request", args=[document.review_id, document.pk])
    return client.post(url, {"format": fmt, "version": version})


def test_the_chair_renders_a_pdf_and_downloads_it_as_an_attachment(client, world, django_capture_on_commit_callbacks):
    document = make_document(world, sections=[("Introduction", paragraphs(2))])
    client.force_login(world.chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, document)
    assert response.status_code == 302
    row = DocumentRender.objects.get(document=document)
    assert row.status == DocumentRender.Status.READY and row.page_count == 3
    assert row.revision["sections"] == [[s.pk, 1] for s in document.sections.all()]
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk]))
    assert f"download {row.filename}" in page.content.decode()
    download = client.get(reverse("reports:render_download", args=[world.review.pk, document.pk, row.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="NDHR-01-overview-panel-r{row.pk}.pdf"'
    assert download.getvalue().startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="document.render_requested").count() == 1


def test_an_unchanged_revision_reuses_the_file_and_a_changed_one_renders_again(
    world, django_capture_on_commit_callbacks
):
    document = make_document(world, sections=[("Introduction", paragraphs(2))])
    with django_capture_on_commit_callbacks(execute=True):
        first = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)
    again = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)
    assert again.pk == first.pk
    other = render_service.render_request(actor=world.chair, document=document, fmt="docx", publication=False)
    assert other.pk != first.pk
    Section.objects.filter(document=document).update(body=paragraphs(3), version=2)
    changed = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)
    assert changed.pk not in (first.pk, other.pk)
    document.status = "panel_review"
    document.save()
    assert render_service.render_request(actor=None, document=document, fmt="pdf", publication=False).pk != changed.pk


def test_the_page_polls_while_a_file_is_being_made_and_stops_when_it_is_ready(client, world):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    row = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)
    client.force_login(world.panel)
    page = reverse("reports:document", args=[world.review.pk, document.pk])
    status = reverse("reports:render_status", args=[world.review.pk, document.pk, row.pk])
    html = client.get(page).content.decode()
    assert f'data-job-poll="{status}"' in html and "Waiting to start." in html
    polled = client.get(status, HTTP_ACCEPT="application/json").json()
    assert polled == {"status": "queued", "text": "Waiting to start.", "progress": 0, "active": True}
    render_document_task(row.pk)
    polled = client.get(status, HTTP_ACCEPT="application/json").json()
    assert polled["active"] is False and f"download NDHR-01-overview-panel-r{row.pk}.pdf" in polled["html"]
    assert f'id="job-documentrender-{row.pk}"' in polled["html"]
    assert "data-job-poll" not in client.get(page).content.decode()


def test_a_failed_render_says_why_and_can_be_tried_again(client, world):
    # A registered full name would be replaced by the designation; a bare surname is left for a person to judge.
    document = make_document(world, sections=[("Background", "<p>Mrs Marsh rang.</p>")])
    row = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=True)
    render_document_task(row.pk)
    client.force_login(world.chair)
    html = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert "Failed: " in html and "section 1. Background, paragraph 1.1: surname of the victim&#x27;s mother" in html
    Section.objects.filter(document=document).update(body="<p>The victim's mother rang.</p>", version=2)
    response = client.post(reverse("reports:render_retry", args=[world.review.pk, document.pk, row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.QUEUED
    render_document_task(row.pk)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.READY
    assert row.revision["sections"][0][1] == 2  # the revision it was made from


def test_panel_members_neither_ask_for_nor_see_publication_versions(client, world):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    row = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=True)
    client.force_login(world.panel)
    assert _ask(client, document, version="publication").status_code == 403
    url = reverse("reports:render_download", args=[world.review.pk, document.pk, row.pk])
    assert client.get(url).status_code == 404
    html = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert "publication version</span>" not in html and 'value="publication"' not in html


# --- the command -------------------------------------------------------------------------------


def test_render_document_writes_the_file(world, tmp_path):
    make_document(world, sections=[("Introduction", paragraphs(2))])
    output = tmp_path / "report.pdf"
    call_command("render_document", "NDHR-01", "overview", "--format", "pdf", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE", "overview"], 'no review with reference "NOPE"'),
        (["NDHR-01", "executive-summary"], "NDHR-01 has no executive summary yet"),
        (
            ["NDHR-01", "overview", "--publication"],
            "Publication blocked, personal data found: Overview report, section 1. Background, paragraph 1.1",
        ),
    ],
)
def test_render_document_refuses_bad_input_and_writes_nothing(world, tmp_path, args, message):
    make_document(world, sections=[("Background", "<p>Mrs Marsh rang the duty desk.</p>")])
    output = tmp_path / "out.pdf"
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("render_document", *args, "--format", "pdf", "--output", str(output))
    assert not output.exists()


@pytest.mark.slow
def test_render_document_errors_are_one_line_on_stderr_with_a_non_zero_exit(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    for args in (
        ["NOPE", "overview", "--format", "pdf", "--output", str(tmp_path / "x.pdf")],
        ["NOPE", "appendix", "--format", "pdf", "--output", str(tmp_path / "x.pdf")],
        ["NOPE", "overview", "--format", "odt", "--output", str(tmp_path / "x.pdf")],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", "render_document", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
