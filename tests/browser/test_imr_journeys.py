"""An IMR author gets the agency's chronology in, fixes what the upload check finds, writes
the narrative and submits; the chair returns it with a question and then accepts it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from reviews.imr_narrative_services import key_lines_for_agency
from reviews.models import Imr, Review
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_CSV = (
    "Date of contact,Time,Person(s),Source,Practitioner,Event/contact,Details,Action taken,"
    "Comments/analysis,Significant\n"
    "09/08/2010,23:10,Jade Marsh; Danny Rafiq,Incident log 0912,Response officer,Domestic incident,"
    "Officers attended after a 999 call.,DASH completed: medium risk,No check of his history was made,Y\n"
    "31/02/2011,,Jade Marsh,Custody record,Custody sergeant,Arrest,Daniel Rafiq arrested for assault.,Bailed,,Y\n"
)
GOOD_CSV = BAD_CSV.replace("31/02/2011", "Feb 2011")
# The narrative page's editors are in place: no answer's text box is still shown.
EDITORS_MOUNTED = "() => !Array.from(document.querySelectorAll('textarea[name=body]')).some((box) => !box.hidden)"


@pytest.fixture
def police_imr(live_server):
    call_command("load_demo", verbosity=0)
    review = Review.objects.get(reference="BDHR2012/13-04")
    imr = Imr.objects.get(review=review, agency__name="West Midlands Police")
    imr.entries.all().delete()
    imr.answers.all().delete()
    imr.clarifications.all().delete()
    imr.status = Imr.Status.REQUESTED
    imr.submitted_at = imr.accepted_at = None
    imr.save()
    return imr


def _upload(page, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="cp1252")
    page.get_by_label("Chronology file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_imr_author_uploads_fixes_an_error_adds_an_entry_and_submits(new_page, police_imr, tmp_path):
    page = new_page()
    sign_in(page, "police")
    page.get_by_role("link", name="BDHR2012/13-04").click()
    page.get_by_role("link", name="West Midlands Police").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Chronology \(0\)")).click()
    page.get_by_role("link", name="Upload a CSV or XLSX file").click()
    assert_accessible(page)

    _upload(page, tmp_path, "police.csv", BAD_CSV)
    page.get_by_role("heading", name=re.compile("1 problem")).wait_for()
    problems = page.get_by_role("table", name="Problems, by row and column")
    assert "3" in problems.inner_text() and '"31/02/2011" is not a real date' in problems.inner_text()
    assert page.get_by_role("button", name=re.compile("^Import")).count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Upload the corrected file").click()
    _upload(page, tmp_path, "police-fixed.csv", GOOD_CSV)
    page.get_by_role("button", name="Import 2 entries").click()
    page.get_by_text("Imported 2 entries from police-fixed.csv.").wait_for()
    table = page.get_by_role("table", name="Chronology of West Midlands Police")
    assert "Feb 2011" in table.inner_text() and "9 Aug 2010" in table.inner_text()
    assert_accessible(page)

    # A typed entry, by keyboard alone: Ctrl+Enter adds it without reloading the page.
    page.get_by_label(re.compile(r"^\s*Date")).fill("c. 2005")
    page.get_by_label("Source", exact=True).fill("PNC record")
    page.get_by_label(re.compile(r"^\s*Details")).fill("Caution for common assault on a previous partner.")
    page.get_by_label(re.compile(r"^\s*Details")).press("Control+Enter")
    page.get_by_role("cell", name="c. 2005", exact=True).wait_for()
    assert page.get_by_text("3 entries, in date order.").is_visible()
    # The date box takes the focus for the next entry once htmx has settled the new content.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'date'", timeout=5000)

    page.get_by_role("link", name="Back to the IMR").click()
    page.get_by_role("link", name="Narrative and recommendations").click()
    # The editors take the text boxes' places once their script has run (a busy machine: not at once).
    page.wait_for_function(EDITORS_MOUNTED)
    editors = page.get_by_role("textbox", name=re.compile(r"^Answer to key line \d+$")).all()
    for editor in editors:
        editor.fill("The force knew of two incidents; risk was assessed as medium each time.")
    # Each answer is saved a few seconds after the typing stops.
    saved = page.locator(".narrative-status").filter(has_text="Saved at")
    try:
        saved.nth(len(editors) - 1).wait_for(timeout=90_000)
    except PlaywrightTimeoutError:  # say what each answer's status line said
        pytest.fail(f"Not every answer saved: {page.locator('.narrative-status').all_inner_texts()}")
    page.get_by_label("Single-agency recommendations").fill("Check previous history before every DASH.")
    assert_accessible(page)
    page.get_by_role("button", name="Save recommendations").click()
    page.get_by_text("Recommendations saved.").wait_for()
    page.get_by_role("link", name="Back to the IMR").click()
    page.get_by_role("link", name="Submit the IMR").click()
    page.get_by_role("button", name="Submit the IMR").click()
    page.get_by_text("IMR submitted.").wait_for()
    police_imr.refresh_from_db()
    assert police_imr.status == Imr.Status.SUBMITTED
    assert police_imr.entries.count() == 3
    assert_accessible(page)


def test_chair_returns_the_imr_with_a_question_and_accepts_the_answer(new_page, police_imr, tmp_path):
    from chronology import services
    from chronology.importers import parse_chronology_file
    from reviews import imr_services

    services.chronology_import(
        actor=None, imr=police_imr, result=parse_chronology_file(GOOD_CSV.encode()), replace=True
    )
    imr_services.imr_narrative_save(
        actor=None,
        imr=police_imr,
        answers={line.pk: "Answered." for line in key_lines_for_agency(police_imr.review_id, police_imr.agency_id)},
        recommendations=[],
    )
    imr_services.imr_submit(actor=None, imr=police_imr)

    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(police_imr.get_absolute_url())
    assert_accessible(chair)
    chair.get_by_role("link", name="Return for clarification").click()
    chair.get_by_label("Question about the entry for Feb 2011").fill(
        "Was the victim offered a referral to Women's Aid?"
    )
    assert_accessible(chair)
    chair.get_by_role("button", name="Return for clarification").click()
    chair.get_by_text("IMR returned to West Midlands Police for clarification.").wait_for()

    author = new_page()
    sign_in(author, "police")
    author.goto(police_imr.get_absolute_url())
    author.get_by_text("Was the victim offered a referral to Women's Aid?").wait_for()
    author.get_by_label("Your answer").fill("Yes: the officer gave her the Women's Aid helpline number.")
    author.get_by_role("button", name="Save answer").click()
    author.get_by_text("Answer saved.").wait_for()
    author.get_by_role("link", name="Submit the IMR").click()
    author.get_by_role("button", name="Submit the IMR").click()
    author.get_by_text("IMR submitted.").wait_for()

    chair.reload()
    chair.get_by_text("the officer gave her the Women's Aid helpline number").wait_for()
    assert (
        "Nothing: the chronology and the narrative are as they were when returned."
        in chair.locator("#changes-since-return").inner_text()
    )
    assert_accessible(chair)
    chair.get_by_role("button", name="Accept the IMR").click()
    chair.get_by_text("The IMR of West Midlands Police accepted.").wait_for()
    police_imr.refresh_from_db()
    assert police_imr.status == Imr.Status.ACCEPTED


def test_an_entry_added_after_the_imr_was_submitted_is_refused_visibly(new_page, police_imr):
    page = new_page()
    sign_in(page, "police")
    page.goto(f"/reviews/{police_imr.review_id}/imrs/{police_imr.pk}/chronology/")
    # Meanwhile, a colleague submits the IMR (a nil return here), locking it.
    Imr.objects.filter(pk=police_imr.pk).update(status=Imr.Status.NIL_RETURN)
    page.get_by_label(re.compile(r"^\s*Date")).fill("May 2012")
    page.get_by_label(re.compile(r"^\s*Details")).fill("Late entry.")
    page.get_by_role("button", name="Add entry").click()
    page.get_by_role("alert").filter(has_text="That change was not saved").wait_for()
    assert police_imr.entries.count() == 0
