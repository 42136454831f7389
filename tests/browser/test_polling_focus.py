"""Each kind of polled job panel on its own page, as someone who keeps the focus on a control in
or beside it meets it (templates/snippets/job.html, static/js/jobs.js).

While the job runs, every poll changes the text of the same status line (role=status) and the
focus stays on the control it was on. When the job ends, the same status line says how it ended
(so a screen reader announces it), the rest of the panel is drawn once more, and the focus moves
into the new panel only if it was inside the old one."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from actions.models import BoardPlanExport
from casereview.storage import file_store
from chronology.exports.selectors import export_fingerprint
from chronology.models import ChronologyExport, ChronologyUpload, IntegratedChronology
from reports.models import Document, DocumentRender
from reviews.models import Imr
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_imr_journeys import police_imr  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Remembers the panel's status line and the focused element, to compare them after each poll.
REMEMBER = """(region) => {
    window.statusLine = document.querySelector(region + ' [role=status]');
    window.focusedBefore = document.activeElement;
}"""
KEPT = r"""(region) => ({
    statusLine: !!window.statusLine && window.statusLine.isConnected
        && window.statusLine === document.querySelector(region + ' [role=status]'),
    focus: window.focusedBefore === document.activeElement,
    focusOnStatusLine: !!window.statusLine && window.statusLine === document.activeElement,
    focused: (document.activeElement.innerText || '').trim(),
    status: document.querySelector(region + ' [role=status]').textContent.replace(/\s+/g, ' ').trim(),
})"""


def _polls(page, status_url: str) -> list[str]:
    """The requests for ``status_url`` the page makes from now on."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if request.url.endswith(status_url) else None)
    return asked


def _runs_through_polls(page, job, region: str) -> None:
    """The job moves on three times while the page polls: each time the same status line says so
    and the focus has not moved."""
    page.evaluate(REMEMBER, region)
    text = page.locator(f"{region} .job-status-text")
    for progress in (20, 50, 80):
        type(job).objects.filter(pk=job.pk).update(status="running", progress=progress)
        expect(text).to_have_text(f"In progress: {progress}% done.")
        kept = page.evaluate(KEPT, region)
        assert kept["statusLine"], "the status line was replaced: a screen reader may not announce the change"
        assert kept["focus"], f"the focus moved to {kept['focused']!r} during a poll"
        assert page.locator(f"{region} progress").get_attribute("value") == str(progress)


def _ends(page, job, region: str, **fields) -> dict:
    """The job ends: the panel is drawn once more; returns what the status line and focus are then."""
    type(job).objects.filter(pk=job.pk).update(**fields)
    page.locator(f"{region}:not([data-job-poll])").wait_for(state="attached")
    kept = page.evaluate(KEPT, region)
    assert kept["statusLine"], "the status line was replaced when the job ended: its end may not be announced"
    return kept


def test_a_build_keeps_the_focus_on_the_build_button_and_says_when_it_failed(new_page, demo):
    build = IntegratedChronology.objects.create(review=demo, version=2, status="running", started_at=demo.created_at)
    region = f"#job-integratedchronology-{build.pk}"
    page = new_page()
    sign_in(page, "chair")
    polls = _polls(page, reverse("chronology:build_status", args=[demo.pk, build.pk]))
    page.goto(reverse("chronology:integrated", args=[demo.pk]))
    page.get_by_role("button", name="Build a new version").focus()

    _runs_through_polls(page, build, region)
    assert_accessible(page)
    kept = _ends(page, build, region, status="failed", error="An agency's chronology could not be read.")
    assert kept["status"] == "Version 2 of the integrated chronology: Failed: An agency's chronology could not be read."
    assert kept["focus"] and kept["focused"] == "Build a new version"
    assert page.locator(region).get_by_role("button", name="Try again").is_visible()
    assert len(polls) >= 4


def test_a_render_keeps_the_focus_on_render_and_says_when_it_is_ready(new_page, demo):
    document = Document.objects.get(review=demo, kind="overview")
    render = DocumentRender.objects.create(
        document=document, format="pdf", fingerprint="f", status="running",
        requested_by=User.objects.get(username="chair"),
    )  # fmt: skip
    region = f"#job-documentrender-{render.pk}"
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("reports:document", args=[demo.pk, document.pk]))
    page.get_by_role("button", name="Render", exact=True).focus()

    _runs_through_polls(page, render, region)
    assert_accessible(page)
    kept = _ends(
        page,
        render,
        region,
        status="ready",
        progress=100,
        file=file_store(render, "file", b"%PDF-1.7\n%%EOF", ext="pdf"),
        page_count=1,
    )
    assert kept["status"].startswith(f"{render.label}: Ready: download {render.filename}")
    assert kept["focus"] and kept["focused"] == "Render"
    assert page.locator(region).get_by_role("link", name=f"download {render.filename}").is_visible()
    assert_accessible(page)


def test_an_export_keeps_the_focus_on_its_cancel_button_then_hands_it_to_the_download(new_page, demo):
    chronology = IntegratedChronology.objects.get(review=demo)
    export = ChronologyExport.objects.create(
        chronology=chronology, format="csv", names="designations", status="running",
        fingerprint=export_fingerprint(chronology, fmt="csv", names="designations"),
        requested_by=User.objects.get(username="chair"),
    )  # fmt: skip
    region = f"#job-chronologyexport-{export.pk}"
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("chronology:integrated", args=[demo.pk]))
    page.locator(region).get_by_role("button", name="Cancel").focus()

    _runs_through_polls(page, export, region)
    assert_accessible(page)
    kept = _ends(
        page, export, region, status="ready", progress=100, file=file_store(export, "file", b"seq\n", ext="csv")
    )
    assert kept["status"] == f"{export.label}: Ready: download {export.filename}"
    # Cancel is gone: the focus went to the status line, which says how the export ended (and holds
    # the download link), not to the top of the page.
    assert kept["focusOnStatusLine"]
    assert page.locator(region).get_by_role("link", name=f"download {export.filename}").is_visible()
    assert_accessible(page)


def test_an_uploads_check_keeps_the_focus_beside_it_and_says_what_it_found(
    new_page,
    police_imr: Imr,  # noqa: F811
):
    upload = ChronologyUpload.objects.create(
        imr=police_imr, original_name="police.csv", status="running", requested_by=User.objects.get(username="police")
    )
    region = f"#job-chronologyupload-{upload.pk}"
    page = new_page()
    sign_in(page, "police")
    page.goto(reverse("chronology:upload_preview", args=[police_imr.review_id, police_imr.pk, upload.pk]))
    page.get_by_role("link", name="Upload a different file").focus()

    _runs_through_polls(page, upload, region)
    assert_accessible(page)
    kept = _ends(page, upload, region, status="ready", progress=100, row_count=2)
    assert kept["status"] == "police.csv has been checked: 2 rows read."
    assert kept["focus"] and kept["focused"] == "Upload a different file"
    assert page.locator(region).get_by_role("link", name="See what was found").is_visible()


def test_a_board_export_keeps_the_focus_on_the_way_back_and_says_when_it_is_ready(new_page, demo):
    export = BoardPlanExport.objects.create(
        partnership=demo.partnership,
        format="xlsx",
        status="running",
        requested_by=User.objects.get(username="boardadmin"),
    )
    region = f"#job-boardplanexport-{export.pk}"
    page = new_page()
    sign_in(page, "boardadmin")
    page.goto(reverse("actions:board_export_status", args=[demo.partnership_id, export.pk]))
    page.get_by_role("link", name="Dashboard").focus()

    _runs_through_polls(page, export, region)
    assert_accessible(page)
    kept = _ends(
        page,
        export,
        region,
        status="ready",
        progress=100,
        action_count=19,
        file=file_store(export, "file", b"PK", ext="xlsx"),
        finished_at=timezone.now(),
    )
    assert kept["status"].startswith("Ready: 19 rows")
    assert kept["focus"] and kept["focused"] == "Dashboard"
    assert page.locator(region).get_by_role("link", name=f"Download {export.filename}").is_visible()
