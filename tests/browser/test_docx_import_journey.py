"""The chair exports the demo overview report to Word, changes it there, imports it back from the
document page, reads the changes, confirms, and finds the new version in the section's history;
in Chromium, each page checked with axe."""

import io
import os
import re
from pathlib import Path

import docx
import pytest
from django.urls import reverse

from reports.models import Document, Section
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set to a directory to keep the journey's screenshots.
SHOTS = os.environ.get("IMPORT_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _edited(data: bytes) -> bytes:
    """The chair's change in Word: one sentence added to the Analysis section's first paragraph."""
    word = docx.Document(io.BytesIO(data))
    in_analysis = False
    for paragraph in word.paragraphs:
        if paragraph.style.name == "Heading 1":
            in_analysis = paragraph.text.endswith("Analysis")
        elif in_analysis and paragraph.text.strip():
            paragraph.add_run(" The panel added this sentence in Word.")
            break
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_chair_exports_to_word_edits_imports_and_confirms(new_page, demo, tmp_path):
    document = Document.objects.get(review=demo, kind=Document.Kind.OVERVIEW)
    analysis = Section.objects.get(document=document, title="Analysis")
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("reports:document", args=[demo.pk, document.pk]))
    page.get_by_label("Word (DOCX)").check()
    page.get_by_label(re.compile("^Panel version")).check()
    page.get_by_role("button", name="Render", exact=True).click()
    link = page.get_by_role("link", name=re.compile(r"download BDHR2012-13-04-overview-panel-r\d+\.docx"))
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    edited = tmp_path / "overview-edited.docx"
    edited.write_bytes(_edited(Path(download.value.path()).read_bytes()))

    page.get_by_role("link", name="Import from Word").click()
    assert_accessible(page)
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"Typed notes, saved with the wrong name.")
    page.get_by_label("Word file (.docx)").set_input_files(str(notes))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("alert").get_by_text("notes.docx: The file is not a Word document (.docx)").wait_for()
    assert_accessible(page)
    _shot(page, "import-refused")
    page.get_by_label("Word file (.docx)").set_input_files(str(edited))
    page.get_by_role("button", name="Read the file").click()
    page.get_by_role("heading", name="Changes the Word file would make").wait_for()
    assert_accessible(page)
    _shot(page, "import-preview")
    change = page.locator("section", has=page.get_by_role("heading", name="Analysis", exact=True))
    assert "The panel added this sentence in Word." in change.locator("ins").inner_text()
    report = page.locator("section", has=page.get_by_role("heading", name="What is not imported")).inner_text()
    assert "Cover page" in report and "Glossary" in report
    page.get_by_role("button", name=re.compile(r"^Replace 1 section")).click()
    page.get_by_text("saved as new versions (Analysis)").wait_for()
    analysis.refresh_from_db()
    assert analysis.body.count("The panel added this sentence in Word.") == 1
    page.goto(reverse("reports:section_history", args=[demo.pk, document.pk, analysis.pk]))
    assert page.get_by_role("cell", name=re.compile(r"^Imported from Word \(")).count() == 1
    assert_accessible(page)
    _shot(page, "section-history")
