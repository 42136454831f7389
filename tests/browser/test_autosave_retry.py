"""A save whose answer is lost (a 503 from a proxy, or the connection cut) after the server
committed it: the editor tries the same save again, the server recognises it, and the person
sees "Saved" — not a conflict with their own save, and not two versions of one save."""

import pytest
from django.core.management import call_command

from reports.models import Section
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conclusions(live_server) -> Section:
    call_command("load_demo", verbosity=0)
    return Section.objects.get(
        document__review__reference="BDHR2012/13-04", document__kind="overview", title="Conclusions"
    )


@pytest.mark.parametrize("lost", ["503", "connection cut"])
def test_a_save_whose_answer_is_lost_is_retried_and_saved_once_without_a_conflict(new_page, conclusions, lost):
    page = new_page()
    sign_in(page, "chair")
    document = conclusions.document
    edit_url = f"/reviews/{document.review_id}/documents/{document.pk}/sections/{conclusions.pk}/edit/"
    page.goto(edit_url)
    page.locator(".ProseMirror").wait_for()
    version = conclusions.version
    saves = []

    def answer_lost_once(route):
        if route.request.method != "POST":
            route.continue_()
            return
        saves.append(route.request.post_data)
        if len(saves) > 1:
            route.continue_()
            return
        route.fetch()  # the server commits the save; its answer never reaches the editor
        if lost == "503":
            route.fulfill(status=503, content_type="text/html", body="<h1>Service Unavailable</h1>")
        else:
            route.abort("connectionreset")

    page.route(f"**{edit_url}", answer_lost_once)
    page.locator(".ProseMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Written once, answered late.")
    page.keyboard.press("Control+s")

    page.get_by_text("Not saved yet — retrying in").wait_for()
    assert "Written once, answered late." in page.locator(".ProseMirror").inner_text()  # the text is kept
    page.get_by_text("Saved at").wait_for()

    assert len(saves) == 2
    status = page.locator("#save-status").inner_text()
    assert f"(version {version + 1})" in status
    assert page.locator("#conflict").inner_text().strip() == ""
    conclusions.refresh_from_db()
    assert conclusions.version == version + 1
    assert conclusions.body.count("Written once, answered late.") == 1
    assert conclusions.revisions.filter(version__gt=version).count() == 1
    assert conclusions.revisions.get(version=version + 1).save_id  # the editor's id for that save
