"""An agency's chronology fits the window: at 1280 px its columns share the width and long text
wraps, with nothing to scroll sideways; an entry opened for editing has its Date field and its
Save button in view. Narrower, each entry is a card of labelled lines, still without sideways
scrolling. The upload's preview fits too."""

import os
import re
from pathlib import Path

import pytest

from accounts.models import User
from chronology import services
from chronology.importers import row_from_cells
from reviews.models import Imr
from tests.browser.conftest import assert_accessible, sideways_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots for looking at, when asked for: CHRONOLOGY_SCREENSHOTS=/some/folder
SHOTS = os.environ.get("CHRONOLOGY_SCREENSHOTS")
LONG_WORD = "https://records.example.org/case/2010/05/01/incident-log-entry-0001234567890-attachment"


@pytest.fixture
def police_chronology(demo):
    """The police IMR in progress with a dozen entries, every column filled, some of them long."""
    imr = Imr.objects.get(review=demo, agency__name="West Midlands Police")
    imr.entries.all().delete()
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS, submitted_at=None, accepted_at=None)
    imr.refresh_from_db()
    police = User.objects.get(username="police")
    entries = []
    for number in range(12):
        cells = {
            "date": ["1 May 2010", "between 1 December 2011 and 15 January 2012", "Summer 2011"][number % 3],
            "time": "14:30" if number % 2 else "",
            "people": "Jade Louise Marsh; Daniel Rafiq; Child 1; Maternal grandmother",
            "source": f"Incident log {LONG_WORD}" if number == 1 else "Incident log 2010/1234",
            "practitioner": "Response officer (uniformed patrol)",
            "event": "Domestic incident call-out",
            "details": (
                "Neighbour reported shouting at the address. Officers attended; the mother said there had been an "
                "argument and that her partner had left before they arrived. " * (3 if number == 0 else 1)
            ).strip(),
            "outcome": "DASH risk assessment completed: standard risk. Referral to children's social care.",
            "comment": "No history was checked before attending; the previous two call-outs were not linked.",
            "significant": "Y" if number % 4 == 0 else "N",
        }
        row, issues = row_from_cells(cells, row=1)
        assert row is not None, issues
        entries.append(services.entry_create(actor=police, imr=imr, row=row))
    return imr, entries


def _url(imr: Imr) -> str:
    return f"/reviews/{imr.review_id}/imrs/{imr.pk}/chronology/"


def _shot(page, name: str, *, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def _in_view(page, selector: str) -> dict:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                    inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight}; }""",
        selector,
    )


def _page_fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("entry_index", [0, 11])
def test_at_1280_px_the_table_fits_and_an_entry_opened_for_editing_shows_its_date_and_save(
    new_page, police_chronology, entry_index
):
    imr, entries = police_chronology
    entry = entries[entry_index]
    page = new_page()
    sign_in(page, "police")
    page.goto(_url(imr))
    assert _page_fits(page), sideways_scroll(page)
    box = page.locator("#chronology .table-responsive")
    assert box.evaluate("(b) => b.scrollWidth <= b.clientWidth"), "the table is wider than its box"
    # Nothing to scroll, so the box is no tab stop; it is still the region named by the table's caption.
    assert box.get_attribute("tabindex") is None
    assert page.get_by_role("region", name=re.compile("^Chronology of West Midlands Police")).count() == 1
    # The long address wraps inside its cell rather than widening the table.
    assert page.locator(f"#entry-{entries[1].pk} td").nth(3).evaluate("(td) => td.scrollWidth <= td.clientWidth")
    _shot(page, f"table-1280-{entry_index}")
    assert_accessible(page)

    # The Edit button at the foot of the window, pressed from the keyboard (nothing scrolls it into view).
    page.evaluate(
        "(pk) => { const r = document.getElementById(`edit-entry-${pk}`).getBoundingClientRect();"
        " window.scrollBy(0, r.bottom - innerHeight + 8); }",
        entry.pk,
    )
    assert 0 < _in_view(page, f"#edit-entry-{entry.pk}")["bottom"] <= 900
    page.locator(f"#edit-entry-{entry.pk}").focus()
    page.keyboard.press("Enter")
    page.locator(f"#id_date-{entry.pk}").wait_for()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'id_date-{entry.pk}'")
    date = _in_view(page, f"#id_date-{entry.pk}")
    save = _in_view(page, f"#entry-{entry.pk} button[type=submit]")
    assert date["inside"], f"the Date field is out of view: {date}"
    assert save["inside"], f"the Save button is out of view: {save}"
    assert _page_fits(page), sideways_scroll(page)
    _shot(page, f"table-1280-edit-{entry_index}", full_page=False)
    assert_accessible(page)


def test_at_320_px_each_entry_is_a_card_of_labelled_lines_and_nothing_scrolls_sideways(new_page, police_chronology):
    imr, entries = police_chronology
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "police")
    page.goto(_url(imr))
    assert sideways_scroll(page) == ""
    row = page.locator(f"#entry-{entries[1].pk}")
    # The labels are seen, not read: the table's headings name the cells.
    assert row.locator(".cell-label", has_text="Source").is_visible()
    assert row.locator(".cell-label").first.get_attribute("aria-hidden") == "true"
    assert LONG_WORD in row.inner_text().replace("\n", ""), row.inner_text()
    _shot(page, "table-320")

    page.locator(f"#edit-entry-{entries[1].pk}").click()
    page.locator(f"#id_date-{entries[1].pk}").wait_for()
    # In view once htmx has settled and the field has the focus (it is scrolled to then).
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'id_date-{entries[1].pk}'")
    assert sideways_scroll(page) == ""
    assert _in_view(page, f"#id_date-{entries[1].pk}")["inside"]
    _shot(page, "table-320-edit", full_page=False)


def test_the_upload_preview_says_what_each_choice_would_do_and_fits(new_page, police_chronology, tmp_path):
    imr, _entries = police_chronology
    page = new_page()
    sign_in(page, "police")
    page.goto(_url(imr))
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download \(CSV\)")).click()
    path = tmp_path / "mine.csv"
    download.value.save_as(path)
    # One row more than the chronology has: a new one, then the file as downloaded.
    text = path.read_bytes().decode("utf-8-sig")
    header, rest = text.split("\r\n", 1)
    path.write_bytes((header + "\r\n" + "02/06/2010,09:00,,Incident log,,,A new call-out,,,N\r\n" + rest).encode())

    page.get_by_role("link", name="Upload a CSV or XLSX file").click()
    page.get_by_label("Chronology file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    choices = page.get_by_role("group", name=re.compile("already has 12 entries"))
    choices.wait_for()
    add = page.get_by_role("radio", name="Add these rows to the chronology")
    replace = page.get_by_role("radio", name="Replace the whole chronology")
    assert not add.is_checked() and not replace.is_checked()
    assert "1 entry will be added to the 12 there are." in page.inner_text("#id_mode_0_hint")
    assert "12 rows will be skipped as exact duplicates" in page.inner_text("#id_mode_0_hint")
    assert "The 12 entries now in it will be deleted and replaced by the 13 rows" in page.inner_text("#id_mode_1_hint")
    assert sideways_scroll(page) == ""
    _shot(page, "preview-1280")
    assert_accessible(page)

    # Nothing chosen: told at the field and in the summary, nothing imported.
    page.get_by_role("button", name="Import the file").click()
    page.locator("#id_mode_error").wait_for()
    assert page.title().startswith("Error: ")
    assert imr.entries.count() == 12
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert sideways_scroll(page) == ""
    _shot(page, "preview-320-error")

    page.set_viewport_size({"width": 1280, "height": 900})
    add.check()
    page.get_by_role("button", name="Import the file").click()
    page.get_by_text(re.compile(r"Imported 1 entry from mine\.csv; skipped 12 rows")).wait_for()
    assert imr.entries.count() == 13
