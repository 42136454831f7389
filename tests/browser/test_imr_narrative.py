"""The IMR narrative as a document, in Chromium: the author writes an answer in the editor and the
autosave keeps it; an answer typed before an idle warning is kept once "Stay signed in" is chosen;
each agency is shown only its own key lines; and submitting is confirmed on a page of its own,
with the signing-off manager's name and role."""

from __future__ import annotations

import os
import re

import pytest

from reviews.imr_narrative_services import key_lines_for_agency
from reviews.models import Imr, ImrAnswer
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.browser.test_imr_journeys import EDITORS_MOUNTED, GOOD_CSV, police_imr  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "The force knew of two incidents; risk was assessed as medium each time."
SHOTS = os.environ.get("SCREENSHOTS")  # a folder: the pages are saved there at 1280 and 320 px


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    page.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)
    viewport = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    page.screenshot(path=f"{SHOTS}/{name}-320.png", full_page=True)
    page.set_viewport_size(viewport)


def _narrative(page, imr):
    page.goto(f"/reviews/{imr.review_id}/imrs/{imr.pk}/narrative/")
    page.wait_for_function(EDITORS_MOUNTED)
    return page.get_by_role("textbox", name="Answer to key line 1", exact=True)


def _first_line(imr):
    return key_lines_for_agency(imr.review_id, imr.agency_id).first()


def test_the_author_writes_an_answer_and_the_autosave_keeps_it(new_page, police_imr):  # noqa: F811
    page = new_page()
    sign_in(page, "police")
    editor = _narrative(page, police_imr)
    # The police are asked their own lines, and no other agency's.
    assert page.get_by_role("heading", name=re.compile(r"^Key line \d+: West Midlands Police:")).count() == 3
    assert page.get_by_role("heading", name=re.compile("Children's Social Care:")).count() == 0
    assert page.get_by_role("toolbar", name="Formatting of the answer to key line 1").is_visible()
    assert page.locator("textarea[name=body]").first.is_hidden()  # the editor is the text box now

    editor.click()
    page.keyboard.type("The force knew of ")
    page.keyboard.press("Control+b")
    page.keyboard.type("two")
    page.keyboard.press("Control+b")
    page.keyboard.type(" incidents.")
    line = page.locator("section.narrative-line").first
    line.get_by_role("status").filter(has_text=re.compile(r"Saved at .* \(version 1\)")).wait_for()
    answer = ImrAnswer.objects.get(imr=police_imr, key_line=_first_line(police_imr))
    assert answer.text == "<p>The force knew of <strong>two</strong> incidents.</p>"
    assert answer.revisions.get().autosave
    assert_accessible(page)
    _shoot(page, "narrative")

    # More typing makes a second version; the page read again holds it, formatted.
    editor.press("End")
    page.keyboard.type(" Both were assessed.")
    line.get_by_role("status").filter(has_text=re.compile(r"\(version 2\)")).wait_for()
    page.reload()
    editor = page.get_by_role("textbox", name="Answer to key line 1", exact=True)
    assert editor.inner_text().strip() == "The force knew of two incidents. Both were assessed."
    assert editor.locator("strong").inner_text() == "two"
    assert_reflows(page)

    # Its history compares the two versions.
    line.get_by_role("link", name="History of the answer to key line 1").click()
    page.get_by_role("heading", name=re.compile(r"^Version 1 .* → version 2")).wait_for()
    assert "Both were assessed." in page.locator(".diff").inner_text()
    assert_accessible(page)
    _shoot(page, "history")


def test_a_gp_author_is_never_asked_the_police_lines(new_page, demo):
    gp_imr = Imr.objects.get(review=demo, agency__name__startswith="Birmingham and Solihull NHS Cluster")
    Imr.objects.filter(pk=gp_imr.pk).update(status=Imr.Status.IN_PROGRESS)
    page = new_page()
    sign_in(page, "gp")
    page.goto(f"/reviews/{demo.pk}/imrs/{gp_imr.pk}/narrative/")
    headings = page.get_by_role("heading", name=re.compile(r"^Key line \d+:")).all_inner_texts()
    assert headings and not any("West Midlands Police" in heading for heading in headings)
    page.goto(f"/reviews/{demo.pk}/")
    assert "West Midlands Police: whether the perpetrator" not in page.content()


def test_text_typed_before_the_idle_warning_is_saved_once_stay_signed_in_is_chosen(
    new_page,
    police_imr,  # noqa: F811
    settings,
):
    # Sessions of seconds: the warning comes 3 s after the page's last request.
    settings.SESSION_COOKIE_AGE = 15
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 12
    page = new_page()
    sign_in(page, "police")
    editor = _narrative(page, police_imr)
    editor.click()
    page.keyboard.type(TEXT)

    warning = page.get_by_role("dialog", name="You’re about to be signed out")
    warning.wait_for()
    warning.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")
    # The focus is back in the answer, which is saved (by the autosave, or now by Ctrl+S).
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Answer to key line 1"
    page.keyboard.press("Control+s")
    line = page.locator("section.narrative-line").first
    line.get_by_role("status").filter(has_text=re.compile(r"Saved at ")).wait_for()
    assert ImrAnswer.objects.get(imr=police_imr, key_line=_first_line(police_imr)).text == f"<p>{TEXT}</p>"

    # Idle past the warning's end no longer: typing kept the page's session, and the text is there.
    page.reload()
    assert _narrative(page, police_imr).inner_text().strip() == TEXT


def test_submitting_asks_for_confirmation_and_the_signing_off_manager(new_page, police_imr):  # noqa: F811
    from chronology import services
    from chronology.importers import parse_chronology_file
    from reviews import imr_services

    services.chronology_import(
        actor=None, imr=police_imr, result=parse_chronology_file(GOOD_CSV.encode()), replace=True
    )
    imr_services.imr_narrative_save(
        actor=None,
        imr=police_imr,
        answers={line.pk: TEXT for line in key_lines_for_agency(police_imr.review_id, police_imr.agency_id)},
        recommendations=[],
    )
    Imr.objects.filter(pk=police_imr.pk).update(signing_off_manager="", signing_off_manager_role="")
    page = new_page()
    sign_in(page, "police")
    page.goto(police_imr.get_absolute_url())
    page.get_by_role("link", name="Submit the IMR").click()
    page.get_by_role("heading", name="Submit the IMR of West Midlands Police").wait_for()
    assert "The chronology: 2 entries." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the IMR").click()
    # Refused, with each problem at its field and in the error summary; nothing submitted.
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.wait_for()
    assert "Enter the name of the manager who signs off the IMR." in summary.inner_text()
    name = page.get_by_label("Signing-off manager's name")
    assert name.get_attribute("aria-invalid") == "true"
    police_imr.refresh_from_db()
    assert police_imr.status == Imr.Status.IN_PROGRESS
    assert_accessible(page)
    _shoot(page, "submit-refused")

    name.fill("Jane Hale")
    page.get_by_label("Their role").fill("Detective Superintendent, Public Protection")
    page.get_by_role("button", name="Submit the IMR").click()
    page.get_by_text("IMR submitted.").wait_for()
    police_imr.refresh_from_db()
    assert police_imr.status == Imr.Status.SUBMITTED
    assert police_imr.signing_off_manager_role == "Detective Superintendent, Public Protection"
    assert "Jane Hale, Detective Superintendent, Public Protection" in page.locator("main").inner_text()


def test_a_save_after_someone_elses_shows_both_texts_and_keeps_mine_on_request(new_page, police_imr):  # noqa: F811
    from reviews import imr_narrative_services

    page = new_page()
    sign_in(page, "police")
    editor = _narrative(page, police_imr)
    # Meanwhile a colleague saves the same answer.
    imr_narrative_services.imr_answer_save(
        actor=None, imr=police_imr, key_line=_first_line(police_imr), text="<p>Their answer.</p>", base_version=0
    )
    editor.click()
    page.keyboard.type("My answer.")
    conflict = page.get_by_role("alert").filter(has_text="Not saved: someone else saved this answer")
    conflict.wait_for()
    assert "Their answer." in conflict.inner_text() and "My answer." in conflict.inner_text()
    answer = ImrAnswer.objects.get(imr=police_imr, key_line=_first_line(police_imr))
    assert answer.text == "<p>Their answer.</p>"  # nothing overwritten
    assert_accessible(page)
    _shoot(page, "conflict")
    conflict.get_by_role("button", name="Save my text over theirs").click()
    conflict.wait_for(state="detached")
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("<p>My answer.</p>", 2)


def test_the_chair_chooses_who_is_asked_and_sees_what_changed_since_the_return(new_page, police_imr):  # noqa: F811
    from chronology import services
    from chronology.importers import parse_chronology_file
    from reviews import imr_narrative_services, imr_services

    services.chronology_import(
        actor=None, imr=police_imr, result=parse_chronology_file(GOOD_CSV.encode()), replace=True
    )
    lines = list(key_lines_for_agency(police_imr.review_id, police_imr.agency_id))
    imr_services.imr_narrative_save(
        actor=None, imr=police_imr, answers={line.pk: TEXT for line in lines}, recommendations=[]
    )
    imr_services.imr_submit(actor=None, imr=police_imr)
    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(police_imr.get_absolute_url())
    chair.get_by_role("link", name="Return for clarification").click()
    chair.get_by_label("A question about the IMR as a whole").fill("Was a referral made?")
    chair.get_by_role("button", name="Return for clarification").click()
    chair.get_by_text("IMR returned to West Midlands Police for clarification.").wait_for()

    # The agency answers, changes an entry and an answer, adds an entry and submits again.
    police_imr.refresh_from_db()
    imr_services.clarification_respond(actor=None, clarification=police_imr.clarifications.get(), response="Yes.")
    first = police_imr.entries.order_by("date_start").first()
    police_imr.entries.filter(pk=first.pk).update(details="Caution for assault, corrected.")
    answer = ImrAnswer.objects.get(imr=police_imr, key_line=lines[0])
    imr_narrative_services.imr_answer_save(
        actor=None,
        imr=police_imr,
        key_line=lines[0],
        text=f"<p>{TEXT}</p><p>A referral was made to MARAC.</p>",
        base_version=answer.version,
    )
    imr_services.imr_submit(actor=None, imr=police_imr)

    chair.reload()
    changes = chair.locator("#changes-since-return")
    assert "1 entry changed" in changes.inner_text()
    assert "Caution for assault, corrected." in changes.inner_text()
    assert "A referral was made to MARAC." in changes.inner_text()
    assert_accessible(chair)
    assert_reflows(chair)
    _shoot(chair, "changes")

    # Who is asked each key line: a police line to the police alone.
    chair.goto(f"/reviews/{police_imr.review_id}/")
    chair.get_by_role("link", name="Choose which agencies are asked each key line").click()
    group = chair.get_by_role("group", name=re.compile(r"^1\. What knowledge or information"))
    assert group.get_by_role("checkbox", checked=True).count() == 0  # every agency
    police_line = chair.get_by_role("group", name=re.compile(r"^5\. West Midlands Police:"))
    assert police_line.get_by_role("checkbox", name="West Midlands Police").is_checked()
    assert_accessible(chair)
    _shoot(chair, "key-lines")
    group.get_by_role("checkbox", name="West Midlands Police").check()
    chair.get_by_role("button", name="Save").click()
    chair.get_by_text("Saved who each key line of enquiry is asked of.").wait_for()
    assert list(lines[0].agencies.values_list("name", flat=True)) == ["West Midlands Police"]


def test_typing_in_an_answer_keeps_the_session_alive_past_the_idle_timeout(
    new_page,
    police_imr,  # noqa: F811
    settings,
):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 5
    settings.SESSION_KEEP_ALIVE_EVERY_SECONDS = 1
    page = new_page()
    sign_in(page, "police")
    editor = _narrative(page, police_imr)
    editor.click()
    typed = "Audit every case file. Audit every case file."
    # 0.3 s a key: about 14 s of typing in the editor, longer than the 8-second timeout.
    page.keyboard.type(typed, delay=300)
    assert editor.inner_text().strip() == typed
    assert not page.evaluate("() => document.getElementById('session-timeout').open")
    page.locator("section.narrative-line").first.get_by_role("status").filter(has_text="Saved at").wait_for()
    assert ImrAnswer.objects.get(imr=police_imr, key_line=_first_line(police_imr)).text == f"<p>{typed}</p>"


def test_without_javascript_the_answer_is_saved_by_its_form(browser, live_server, police_imr):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "police")
        page.goto(f"/reviews/{police_imr.review_id}/imrs/{police_imr.pk}/narrative/")
        box = page.get_by_role("textbox", name="Answer to key line 1", exact=True)
        box.fill("Two call-outs.\n\nA referral to MARAC.")
        page.get_by_role("button", name="Save the answer to key line 1").click()
        page.get_by_text("Answer to key line 1 saved (version 1).").wait_for()
        answer = ImrAnswer.objects.get(imr=police_imr, key_line=_first_line(police_imr))
        assert answer.text == "<p>Two call-outs.</p><p>A referral to MARAC.</p>"
        assert not answer.revisions.get().autosave
    finally:
        context.close()


def test_leaving_with_recommendations_not_saved_asks_first(new_page, police_imr):  # noqa: F811
    page = new_page()
    sign_in(page, "police")
    _narrative(page, police_imr)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("#recommendations-form textarea").first.fill("Train call handlers in DASH.")
    page.get_by_role("link", name="Back to the IMR").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url.endswith("/narrative/")  # stayed, the text still there
    assert page.locator("#recommendations-form textarea").first.input_value() == "Train call handlers in DASH."
    page.get_by_role("button", name="Save recommendations").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Back to the IMR").click()
    page.wait_for_url(re.compile(r"/imrs/\d+/$"))
    assert asked == ["beforeunload"]  # saved: nothing asked the second time
