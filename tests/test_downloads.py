"""Every download: recorded in the audit trail each time, kept by no cache, never sniffed, and
named in a Content-Disposition header that any name survives (RFC 6266)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import reverse

from casereview.downloads import DownloadAudit, content_disposition, download_filename, download_response
from reports.models import Document, DocumentRender
from reviews.models import AuditEntry, Review
from tests.conftest import World

ROOT = Path(__file__).resolve().parent.parent


def test_a_plain_ascii_name_is_given_as_it_is():
    assert (
        content_disposition("NDHR-01-overview-panel-r3.pdf") == 'attachment; filename="NDHR-01-overview-panel-r3.pdf"'
    )
    assert download_filename("NDHR-01", "overview", "panel", "r3", ext="pdf") == "NDHR-01-overview-panel-r3.pdf"
    assert download_filename("action-plan", "DHR 2026/3", "", ext="xlsx") == "action-plan-DHR-2026-3.xlsx"


def test_a_non_ascii_reference_keeps_its_letters_where_the_browser_can():
    name = download_filename("DHR-Łódź-01", "overview", "panel", "r3", ext="pdf")
    assert name == "DHR-Łódź-01-overview-panel-r3.pdf"
    header = content_disposition(name)
    assert header.startswith("attachment; filename=\"DHR-_odz-01-overview-panel-r3.pdf\"; filename*=UTF-8''")
    assert unquote(header.split("UTF-8''", 1)[1]) == name
    header.encode("ascii")  # the header itself is plain ASCII


@pytest.mark.parametrize(
    "name",
    [
        'minutes "final".pdf',
        "two\r\nlines.pdf",
        "a; filename=evil.exe",
        "50% done.csv",
        "..\\..\\etc/passwd",
        "\u202etxt.pdf",
    ],
)
def test_quotes_newlines_semicolons_and_paths_cannot_break_the_header(name: str):
    header = content_disposition(name)
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert not set(fallback) & set('"\\/;%\r\n') and fallback.isascii()
    assert "\r" not in header and "\n" not in header and header.isascii()
    if "filename*=" in header:
        decoded = unquote(header.split("UTF-8''", 1)[1])
        assert not set(decoded) & set('"\\/\r\n\u202e')


def test_the_response_is_kept_by_no_cache_never_sniffed_and_recorded(world: World):
    request = RequestFactory().get("/")
    request.user = world.chair
    response = download_response(
        request, content=b"x", filename="a.csv", content_type="text/csv",
        audit=DownloadAudit(action="test.downloaded", obj=world.review, detail={"format": "csv"}),
    )  # fmt: skip
    assert response["Cache-Control"] == "private, no-store" and response["Pragma"] == "no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="test.downloaded")
    assert (entry.actor, entry.review, entry.partnership, entry.detail) == (
        world.chair,
        world.review,
        world.review.partnership,
        {"format": "csv"},
    )


def test_each_download_of_the_panels_rendered_report_is_recorded(client: Client, world: World):
    Review.objects.filter(pk=world.review.pk).update(reference="DHR-Łódź-01")
    document = Document.objects.create(review=world.review, kind="overview")
    row = DocumentRender.objects.create(
        document=document, format="pdf", fingerprint="x", status="ready", file=ContentFile(b"%PDF-", "r.pdf")
    )
    client.force_login(world.panel)
    url = reverse("reports:render_download", args=[world.review.pk, document.pk, row.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''DHR-%C5%81%C3%B3d%C5%BA-01-overview-panel" in response["Content-Disposition"]
    entries = AuditEntry.objects.filter(action="document_render.downloaded", actor=world.panel)
    assert entries.count() == 2  # every download, not once a window
    assert entries.first().detail == {"document": document.pk, "format": "pdf", "version": "panel"}


def test_no_view_builds_its_own_download_header():
    """One download helper: nothing else in the application writes a Content-Disposition."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("accounts", "actions", "casereview", "chronology", "reports", "reviews")
        for path in (ROOT / app).rglob("*.py")
        if '"Content-Disposition"]' in path.read_text(encoding="utf-8") and path.name != "downloads.py"
    ]
    assert offenders == []


def test_a_stored_file_is_streamed_from_the_storage_and_a_missing_one_is_404(client: Client, world: World):
    document = Document.objects.create(review=world.review, kind="overview")
    content = b"%PDF-1.7\n" + b"x" * (3 << 20)  # larger than one block
    row = DocumentRender.objects.create(
        document=document, format="pdf", fingerprint="x", status="ready", file=ContentFile(content, "r.pdf")
    )
    # Stored under a name that says nothing of the review or the case.
    assert re.fullmatch(r"reports/documentrender/\d{4}/[0-9a-f]{32}\.pdf", row.file.name)
    client.force_login(world.panel)
    url = reverse("reports:render_download", args=[world.review.pk, document.pk, row.pk])
    response = client.get(url)
    assert response.streaming and response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert response.getvalue() == content
    row.file.storage.delete(row.file.name)
    assert client.get(url).status_code == 404


def test_no_view_reads_a_stored_file_but_through_the_storage_module():
    """One way to read a stored file: casereview.storage (the download helper streams through it)."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("accounts", "actions", "casereview", "chronology", "reports", "reviews")
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\.file\.(open|read|path|url)\b|storage\.(open|save)\(", path.read_text(encoding="utf-8"))
        and path.name not in ("storage.py", "storage_migrations.py", "health.py")  # health writes a probe file
    ]
    assert offenders == []
