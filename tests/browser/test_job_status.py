"""A job's status line as the person watching it meets it (templates/snippets/job.html,
static/js/jobs.js): while the job runs, the same live region is updated in place and focus stays
where it is; when the job ends, the same status line says so, the rest of the region is drawn once
more, focus on its Cancel button moves to the status line, and the page stops asking."""

import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from casereview.storage import file_store
from reports.models import Document, DocumentRender
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting_render(live_server) -> DocumentRender:
    call_command("load_demo", verbosity=0)
    document = Document.objects.get(review__reference="BDHR2012/13-04", kind="overview")
    # Asked for, and not yet taken up by a worker (none runs here): the page polls it.
    return DocumentRender.objects.create(
        document=document, format="pdf", fingerprint="f", requested_by=User.objects.get(username="chair")
    )


def test_the_status_line_is_updated_in_place_and_hands_focus_on_when_the_job_ends(new_page, waiting_render):
    row = waiting_render
    page = new_page()
    sign_in(page, "chair")
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/status/" in request.url else None)
    page.goto(f"/reviews/{row.document.review_id}/documents/{row.document_id}/")
    region = f"#job-documentrender-{row.pk}"
    status = page.locator(f"{region} .job-status-text")
    assert status.inner_text() == "Waiting to start."
    assert page.locator(f"{region} [role=status]").count() == 1
    page.evaluate(f"window.statusLine = document.querySelector('{region} [role=status]')")
    render_button = page.get_by_role("button", name="Render", exact=True)
    render_button.focus()

    DocumentRender.objects.filter(pk=row.pk).update(status="running", progress=40)
    expect(status).to_have_text("In progress: 40% done.")
    # The same live region, changed in place; the progress bar says 40; focus has not moved.
    assert page.evaluate(f"window.statusLine === document.querySelector('{region} [role=status]')")
    assert page.locator(f"{region} progress").get_attribute("value") == "40"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Render"
    assert_accessible(page)

    page.locator(f"{region} button", has_text="Cancel").focus()
    DocumentRender.objects.filter(pk=row.pk).update(
        status="ready",
        progress=100,
        file=file_store(DocumentRender, "file", b"%PDF-1.7\n%%EOF", ext="pdf"),
        page_count=1,
    )
    link = page.locator(f"{region} a", has_text=f"download {row.filename}")
    link.wait_for()
    # The same live region says the file is ready (a region put in afresh may not be read out);
    # the Cancel button is gone and focus went to that status line, not to the top of the page.
    assert page.evaluate(f"window.statusLine === document.querySelector('{region} [role=status]')")
    assert page.evaluate("window.statusLine === document.activeElement")
    assert "Ready: download" in page.evaluate("window.statusLine.textContent")
    asked = len(polls)
    time.sleep(6)  # longer than the slowest poll: none comes once the job has ended
    assert len(polls) == asked
    assert polls and all(url.endswith(f"/renders/{row.pk}/status/") for url in polls)
