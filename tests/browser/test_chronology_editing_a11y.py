"""The chronology page changed in place, as a screen-reader or keyboard user meets it: every
field of the Add form and of a row being edited has its own id and a name (with and without
errors); after each change the focus is on what changed and the page's live region (the same
element, never replaced) says what happened; a read-only chronology fits the window; a change
the server refuses says why."""

import re

import pytest

from accounts.models import User
from chronology import services
from chronology.importers import row_from_cells
from chronology.models import ChronologyEntry
from reviews.models import Imr
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_keyboard_journey import FOCUSED, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS = "#main input:not([type=hidden]), #main textarea, #main select"


@pytest.fixture
def police_chronology(demo):
    """The police IMR in progress with three entries: two on 1 May 2010 (which can change places)
    and one on 2 Jun 2010."""
    imr = Imr.objects.get(review=demo, agency__name="West Midlands Police")
    imr.entries.all().delete()
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS, submitted_at=None, accepted_at=None)
    imr.refresh_from_db()
    police = User.objects.get(username="police")
    entries = []
    for date, details in (
        ("1 May 2010", "First that day."),
        ("1 May 2010", "Second that day."),
        ("2 Jun 2010", "Later."),
    ):
        row, _issues = row_from_cells({"date": date, "details": details, "source": "Incident log"}, row=1)
        entries.append(services.entry_create(actor=police, imr=imr, row=row))
    return imr, entries


def _url(imr: Imr) -> str:
    return f"/reviews/{imr.review_id}/imrs/{imr.pk}/chronology/"


def _fields(page) -> list[dict]:
    """Every field in the page's content with the name, description and required state Chromium
    computes for it: what a screen reader announces."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        fields = []
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": FIELDS})["nodeIds"]:
            attributes = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
            ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"][0]
            properties = {p["name"]: p["value"].get("value") for p in ax.get("properties", [])}
            fields.append(
                {
                    "id": dict(zip(attributes[::2], attributes[1::2], strict=True)).get("id", ""),
                    "name": (ax.get("name") or {}).get("value", ""),
                    "description": (ax.get("description") or {}).get("value", ""),
                    "required": bool(properties.get("required")),
                }
            )
        return fields
    finally:
        cdp.detach()


def _assert_every_field_named(page, state: str) -> list[dict]:
    fields = _fields(page)
    ids = [field["id"] for field in fields]
    assert all(ids) and len(set(ids)) == len(ids), f"{state}: ids missing or repeated: {ids}"
    unnamed = [field["id"] for field in fields if not field["name"].strip()]
    assert not unnamed, f"{state}: fields without an accessible name: {unnamed}"
    # Date and Details are required: said to screen readers, and the "*" is explained on each form.
    required = sorted(re.sub(r"-\d+$", "", field["id"]) for field in fields if field["required"])
    forms = page.locator("form.entry-form")
    assert required == sorted(["id_date", "id_details"] * forms.count()), f"{state}: required fields {required}"
    for index in range(forms.count()):
        note = forms.nth(index).get_by_text("Fields marked * are required.")
        assert note.is_visible(), f"{state}: the '*' is not explained"
    assert_accessible(page)
    return fields


def _field(fields: list[dict], field_id: str) -> dict:
    return next(field for field in fields if field["id"] == field_id)


def _active_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_every_field_has_its_own_id_and_name_when_adding_and_editing_with_and_without_errors(
    new_page, police_chronology
):
    imr, (first, _second, _later) = police_chronology
    page = new_page()
    sign_in(page, "police")
    page.goto(_url(imr))
    fields = _assert_every_field_named(page, "add")
    assert _field(fields, "id_date")["name"] == "Date"

    page.get_by_role("link", name="Edit the entry for 1 May 2010").first.click()
    page.locator(f"#id_date-{first.pk}").wait_for()
    fields = _assert_every_field_named(page, "edit")
    assert _field(fields, f"id_date-{first.pk}")["name"] == "Date"
    assert _field(fields, f"id_details-{first.pk}")["name"] == "Details"
    # The edit row's label belongs to the edit row's field, not to the Add form's.
    page.locator(f"#entry-{first.pk} label", has_text="Date").click()
    assert _active_id(page) == f"id_date-{first.pk}"
    page.locator(f"#entry-{first.pk} label", has_text="Details").click()
    assert _active_id(page) == f"id_details-{first.pk}"

    page.locator(f"#id_date-{first.pk}").fill("31/02/2010")
    page.locator(f"#entry-{first.pk}").get_by_role("button", name="Save entry").click()
    page.locator(f"#id_date-{first.pk}_error").wait_for()
    fields = _assert_every_field_named(page, "edit with errors")
    assert "is not a real date" in _field(fields, f"id_date-{first.pk}")["description"]
    page.locator(f"#entry-{first.pk} label", has_text="Date").click()
    assert _active_id(page) == f"id_date-{first.pk}"

    page.locator("#id_date").fill("Someday")
    page.get_by_role("button", name="Add entry").click()
    page.locator("#id_details_error").wait_for()
    fields = _assert_every_field_named(page, "add with errors")
    assert "required" in _field(fields, "id_details")["description"]
    page.locator("#add-entry label", has_text="Details").click()
    assert _active_id(page) == "id_details"


def _before_change(page) -> None:
    """Keep the live region to compare with afterwards, and empty it so that the next text is new."""
    page.evaluate(
        "() => { window.statusBefore = document.getElementById('chronology-status');"
        " window.statusBefore.textContent = ''; }"
    )


def _announced(page, text: str) -> None:
    """The page's live region, the very element it was before the change, says ``text``."""
    page.wait_for_function(
        """(text) => {
            const status = document.getElementById('chronology-status');
            return status === window.statusBefore && status.textContent.includes(text);
        }""",
        arg=text,
    )


def _open_edit(page, entry) -> None:
    """Open the edit row of the entry of 1 May 2010 and wait until htmx has settled it (its buttons
    are wired up and the opening is read out), as a person would before pressing Save."""
    _before_change(page)
    page.locator(f"#edit-entry-{entry.pk}").click()
    _announced(page, "Editing the entry for 1 May 2010.")


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {id: el.id, value: el.value || "", row: (el.closest('tr') || {}).id || "",
                           text: (el.innerText || "").trim(), name: el.name || ""}; }"""
    )


def test_after_each_change_the_focus_is_on_what_changed_and_the_change_is_read_out(new_page, police_chronology):
    imr, (first, second, _later) = police_chronology
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "police")
    page.goto(_url(imr))

    _before_change(page)
    page.locator("#id_date").fill("31/02/2010")
    page.get_by_role("button", name="Add entry").click()
    _announced(page, "The entry was not added: 2 problems to correct.")
    assert _focused(page)["id"] == "id_date"  # the first field in error
    assert_accessible(page)

    _before_change(page)
    page.locator("#id_date").fill("3 Jul 2010")
    page.locator("#id_details").fill("Added.")
    page.get_by_role("button", name="Add entry").click()
    _announced(page, "Entry for 3 Jul 2010 added, on page 1.")
    assert _focused(page) == {"id": "id_date", "value": "", "row": "", "text": "", "name": "date"}
    assert_accessible(page)

    row = f"entry-{first.pk}"
    _before_change(page)
    page.locator(f"#edit-entry-{first.pk}").click()
    _announced(page, "Editing the entry for 1 May 2010.")
    assert _focused(page)["id"] == f"id_date-{first.pk}"
    assert_accessible(page)

    _before_change(page)
    page.locator(f"#{row}").get_by_role("link", name="Cancel").click()
    _announced(page, "Editing cancelled: the entry for 1 May 2010 is as it was.")
    assert _focused(page)["id"] == f"edit-entry-{first.pk}"

    _open_edit(page, first)
    page.locator(f"#id_details-{first.pk}").fill("First that day, corrected.")
    _before_change(page)
    page.locator(f"#{row}").get_by_role("button", name="Save entry").click()
    _announced(page, "Entry for 1 May 2010 saved.")
    assert _focused(page)["id"] == f"edit-entry-{first.pk}"
    assert_accessible(page)

    _open_edit(page, first)
    page.locator(f"#id_date-{first.pk}").fill("31/02/2010")
    _before_change(page)
    page.locator(f"#{row}").get_by_role("button", name="Save entry").click()
    _announced(page, "The entry was not saved: 1 problem to correct.")
    assert _focused(page)["id"] == f"id_date-{first.pk}"
    assert_accessible(page)
    page.locator(f"#{row}").get_by_role("link", name="Cancel").click()
    page.locator(f"#edit-entry-{first.pk}").wait_for()

    _before_change(page)
    page.locator(f"#{row} button[value='down']").click()
    _announced(page, "Entry for 1 May 2010 moved later on the same day.")
    assert _focused(page)["row"] == row and _focused(page)["name"] == "direction"
    assert page.evaluate(f"() => document.getElementById('{row}').previousElementSibling.id") == f"entry-{second.pk}"
    assert page.evaluate("() => document.activeElement.value") == "down"

    _before_change(page)
    page.locator(f"#{row} button[value='up']").click()
    _announced(page, "Entry for 1 May 2010 moved earlier on the same day.")
    assert _focused(page)["row"] == row and page.evaluate("() => document.activeElement.value") == "up"
    assert_accessible(page)

    _before_change(page)
    page.locator(f"#{row}").get_by_role("button", name=re.compile("^Delete")).click()
    _announced(page, "Entry for 1 May 2010 deleted.")
    # The row that took its place: the other entry of that day.
    assert _focused(page)["id"] == f"edit-entry-{second.pk}"
    assert not ChronologyEntry.objects.filter(pk=first.pk).exists()
    assert_accessible(page)


def test_the_chronology_is_changed_in_place_by_keyboard_alone(new_page, police_chronology):
    imr, (first, second, later) = police_chronology
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "police")
    page.goto(_url(imr))
    status = page.locator("#chronology-status")

    tab_to(page, r"^Date")
    page.keyboard.type("31/02/2010")
    page.keyboard.press("Control+Enter")
    status.get_by_text("The entry was not added").wait_for()
    focused = page.evaluate(FOCUSED)
    assert focused["name"] == "date" and focused["text"] == "31/02/2010"
    page.keyboard.press("Control+a")
    page.keyboard.type("4 Jul 2010")
    tab_to(page, r"^Details")
    page.keyboard.type("Typed by keyboard.")
    page.keyboard.press("Control+Enter")
    status.get_by_text("Entry for 4 Jul 2010 added").wait_for()
    assert page.evaluate(FOCUSED)["name"] == "date"

    tab_to(page, r"^Edit\s+the entry for 2 Jun 2010")
    page.keyboard.press("Enter")
    status.get_by_text("Editing the entry for 2 Jun 2010.").wait_for()
    assert page.evaluate(FOCUSED)["label"].startswith("Date")
    page.keyboard.press("Control+a")
    page.keyboard.type("3 Jun 2010")
    page.keyboard.press("Control+Enter")
    status.get_by_text("Entry for 3 Jun 2010 saved.").wait_for()
    assert " ".join(page.evaluate(FOCUSED)["text"].split()) == "Edit the entry for 3 Jun 2010"
    assert ChronologyEntry.objects.get(pk=later.pk).date_display == "3 Jun 2010"

    # Moving the first entry of 1 May later, then once more (refused: the next is another day).
    tab_to(page, r"^↓\s+Move the entry for 1 May 2010 later$")
    page.keyboard.press("Enter")
    status.get_by_text("moved later on the same day").wait_for()
    assert page.evaluate("() => document.activeElement.closest('tr').id") == f"entry-{first.pk}"
    page.keyboard.press("Enter")
    status.get_by_text("Not moved.").wait_for()
    assert page.evaluate("() => document.activeElement.closest('tr').id") == f"entry-{first.pk}"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    status.get_by_text("moved earlier on the same day").wait_for()
    assert page.evaluate("() => document.activeElement.value") == "up"

    tab_to(page, r"^Delete\s+the entry for 1 May 2010")
    page.keyboard.press("Enter")
    status.get_by_text("Entry for 1 May 2010 deleted.").wait_for()
    assert page.evaluate("() => document.activeElement.id") == f"edit-entry-{second.pk}"
    assert_accessible(page)


def _scroll_box(page):
    return page.locator(".table-responsive[role='region']")


def test_a_read_only_chronology_fits_the_window_with_nothing_to_scroll_sideways(new_page, demo):
    """At 1280 px the columns share the window's width; at 320 px each entry is a card. Either way
    the table's box has nothing to scroll, so it is no tab stop, and it keeps the table's name."""
    imr = Imr.objects.get(review=demo, agency__name="West Midlands Police")
    assert imr.status == Imr.Status.ACCEPTED  # read-only for everyone
    for username in ("chair", "police"):
        page = new_page()
        sign_in(page, username)
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(_url(imr))
            box = _scroll_box(page)
            assert box.count() == 1
            assert box.evaluate("(b) => b.scrollWidth <= b.clientWidth"), f"{username} at {width} px"
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), f"at {width} px"
            assert box.get_attribute("tabindex") is None
            assert page.get_by_role("region", name=re.compile("^Chronology of West Midlands Police")).count() == 1
            if width == 1280:
                assert_accessible(page)
        page.close()


def test_a_change_the_server_refuses_says_why(new_page, police_chronology):
    imr, (first, second, _later) = police_chronology
    page = new_page()
    sign_in(page, "police")
    page.goto(_url(imr))
    alert = page.locator("#htmx-error")

    page.locator(f"#entry-{first.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    page.locator(f"#id_date-{first.pk}").wait_for()
    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.SUBMITTED)
    page.locator(f"#entry-{first.pk}").get_by_role("button", name="Save entry").click()
    alert.wait_for()
    assert alert.inner_text().startswith(
        "That change was not saved: the IMR is now submitted, so its chronology can no longer be changed."
    )

    Imr.objects.filter(pk=imr.pk).update(status=Imr.Status.IN_PROGRESS)
    ChronologyEntry.objects.filter(pk=second.pk).delete()
    page.locator(f"#entry-{second.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    page.wait_for_function("() => document.getElementById('htmx-error').textContent.includes('deleted')")
    assert "the entry is no longer in the chronology (it may have been deleted)" in alert.inner_text()

    # A message the server gives in plain text (a session that has ended) is shown as it is.
    page.route(
        "**/chronology/new/",
        lambda route: route.fulfill(status=401, content_type="text/plain", body="Your session has ended."),
    )
    page.locator("#id_date").fill("5 Jul 2010")
    page.get_by_role("button", name="Add entry").click()
    page.wait_for_function("() => document.getElementById('htmx-error').textContent === 'Your session has ended.'")


@pytest.mark.parametrize("width", [320, 1280])
def test_an_entry_edited_in_place_fits_the_window(new_page, police_chronology, width):
    """Every field of the edited entry is within the window, even were the table's box scrolled
    (at 1280 px the table fits; at 320 px its entries are cards)."""
    imr, (first, _second, _later) = police_chronology
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "police")
    page.goto(_url(imr))
    page.locator(f"#entry-{first.pk} a", has_text="Edit").first.press("Enter")
    page.locator(f"#id_date-{first.pk}").wait_for()
    page.evaluate("() => { document.querySelector('#chronology .table-responsive').scrollLeft = 400; }")
    outside = page.evaluate(
        """(pk) => [...document.querySelectorAll(`#entry-${pk} input, #entry-${pk} textarea, #entry-${pk} button`)]
            .filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; })
            .map((el) => el.id || el.textContent.trim())""",
        first.pk,
    )
    assert not outside, f"at {width} px these run off the window: {outside}"
