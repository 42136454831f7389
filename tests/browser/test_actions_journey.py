"""An action owner reports an action complete with evidence, and the board administrator
follows it from the dashboard to assured, in Chromium, with axe-core on every page."""

import re

import pytest

from actions.models import Action
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACTION = "Examine the use of DASH and its training; set up quarterly quality assurance."


def test_owner_completes_an_action_and_the_board_administrator_assures_it(new_page, demo):
    owner = new_page()
    sign_in(owner, "owner")
    owner.get_by_role("link", name="My actions").click()
    owner.get_by_role("heading", name="My agency's actions").wait_for()
    assert "Review cross representation" not in owner.inner_text("main")  # another agency's action
    assert_accessible(owner)
    owner.get_by_role("link", name=ACTION).first.click()
    owner.get_by_role("heading", name="Report progress").wait_for()
    assert_accessible(owner)
    owner.get_by_role("textbox", name="Progress").fill(
        "Quality assurance panel met; DASH training refreshed for all officers."
    )
    owner.get_by_role("combobox", name="Status").select_option("complete")
    owner.get_by_role("textbox", name="Outcome").fill(
        "Quarterly DASH audits now run; first audit found 92% completion."
    )
    owner.get_by_label("Evidence").set_input_files(
        [{"name": "dash-audit.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    owner.get_by_role("button", name="Save progress").click()
    owner.get_by_text("Progress recorded.").wait_for()
    assert owner.get_by_role("link", name="dash-audit.pdf").is_visible()
    assert owner.locator("#action-status").inner_text() == "Complete"

    admin = new_page()
    sign_in(admin, "boardadmin")
    admin.get_by_role("link", name=re.compile("^board dashboard")).first.click()
    admin.get_by_role("heading", name="Board dashboard").wait_for()
    assert admin.locator("svg[role=img]").count() == 4
    assert_accessible(admin)
    admin.get_by_text("Actions by RAG rating as a table").click()
    assert admin.get_by_role("table").filter(has_text="Blue").is_visible()

    admin.goto(f"/reviews/{demo.pk}/action-plan/")
    admin.get_by_role("heading", name="Action plan").wait_for()
    assert_accessible(admin)
    admin.get_by_role("link", name=ACTION).click()
    admin.get_by_role("heading", name="Board sign-off").wait_for()
    with admin.expect_download() as download:
        admin.get_by_role("link", name="dash-audit.pdf").click()
    assert download.value.suggested_filename == "dash-audit.pdf"
    admin.get_by_role("textbox", name="Assurance note").fill("Audit results seen at the board meeting.")
    admin.get_by_role("button", name="Sign off as assured").click()
    admin.get_by_text("Action signed off as assured.").wait_for()
    assert admin.locator("#action-status").inner_text() == "Assured"
    assert_accessible(admin)
    assert Action.objects.get(text=ACTION).status == "assured"
