"""The idle-timeout warning, in Chromium, with the timeout shortened to seconds: a dialog before
the session ends, "Stay signed in", typing that keeps the session alive, and what someone who
was signed out anyway sees (their text still on the page, and a way to save it)."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_imr_journeys import police_imr  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Supervisors will audit every domestic abuse case file each month."
FOCUS_IN_DIALOG = "() => document.getElementById('session-timeout').contains(document.activeElement)"
FOCUSED_NAME = "() => document.activeElement && document.activeElement.name"


@pytest.fixture
def short_sessions(settings):
    """Sessions of seconds: the warning comes 3 s after the last request."""
    settings.SESSION_COOKIE_AGE = 15
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 12
    return settings


def _narrative(page, imr):
    page.goto(f"/reviews/{imr.review_id}/imrs/{imr.pk}/narrative/")
    return page.get_by_label("Single-agency recommendations")


def _session_ends() -> datetime.datetime:
    return max(Session.objects.values_list("expire_date", flat=True))


def _sign_in_again_in_a_new_tab(page, settings) -> None:
    # The new session is long enough for the rest of the test; the page being tested still
    # counts the old timeout, and learns the new one from the server's answer.
    settings.SESSION_COOKIE_AGE = 120
    sign_in(page.context.new_page(), "police")
    signed_out = page.get_by_role("dialog", name="You have been signed out")
    if signed_out.is_visible():  # (coming back to the tab may already have found the new session)
        signed_out.get_by_role("button", name="I have signed in again").click()
    signed_out.wait_for(state="hidden")
    page.get_by_role("status").filter(has_text="You are signed in again").wait_for()


def test_the_warning_comes_before_the_end_and_staying_signed_in_keeps_the_typed_text(
    new_page,
    police_imr,  # noqa: F811
    short_sessions,
):
    page = new_page()
    sign_in(page, "police")
    field = _narrative(page, police_imr)
    field.fill(TEXT)

    warning = page.get_by_role("dialog", name="You’re about to be signed out")
    warning.wait_for()
    assert page.evaluate(FOCUS_IN_DIALOG)
    assert page.evaluate("() => document.activeElement.textContent") == "Stay signed in"
    assert warning.get_attribute("aria-modal") == "true"
    assert re.search(r"For your security, we will sign you out in \d+ seconds\.", warning.inner_text())
    assert_accessible(page)
    # Tab and Shift+Tab go round the dialog's controls, never behind it.
    for key in ("Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"):
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_IN_DIALOG), key

    ended_at = _session_ends()
    warning.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")
    assert _session_ends() > ended_at
    assert page.evaluate(FOCUSED_NAME) == "recommendations"
    assert field.input_value() == TEXT

    # Next time, Escape stays signed in too.
    warning.wait_for()
    ended_at = _session_ends()
    page.keyboard.press("Escape")
    warning.wait_for(state="hidden")
    assert _session_ends() > ended_at
    assert page.evaluate(FOCUSED_NAME) == "recommendations"

    page.get_by_role("button", name="Save recommendations").click()
    page.get_by_text("Recommendations saved.").wait_for()
    assert police_imr.recommendations.filter(text=TEXT).exists()


def test_typing_keeps_the_session_alive_past_the_idle_timeout(new_page, police_imr, settings):  # noqa: F811
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 5
    settings.SESSION_KEEP_ALIVE_EVERY_SECONDS = 1
    page = new_page()
    sign_in(page, "police")
    field = _narrative(page, police_imr)
    field.click()
    typed = "Audit every case file. Audit every case file."
    # 0.3 s a key: about 14 s of typing, longer than the 8-second timeout.
    page.keyboard.type(typed, delay=300)
    # Every key reached the field: no dialog took the focus, and none is open.
    assert field.input_value() == typed
    assert not page.evaluate("() => document.getElementById('session-timeout').open")
    page.get_by_role("button", name="Save recommendations").click()
    page.get_by_text("Recommendations saved.").wait_for()
    assert police_imr.recommendations.filter(text=typed).exists()


def test_once_signed_out_the_text_stays_on_the_page_and_is_saved_after_signing_in_again(
    new_page,
    police_imr,  # noqa: F811
    settings,
):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 5
    page = new_page()
    sign_in(page, "police")
    field = _narrative(page, police_imr)
    narrative_url = page.url
    field.fill(TEXT)

    signed_out = page.get_by_role("dialog", name="You have been signed out")
    signed_out.wait_for()
    assert "The text on this page has not been saved." in signed_out.inner_text()
    assert "after 8 seconds without activity" in signed_out.inner_text()
    assert page.evaluate(FOCUS_IN_DIALOG)
    assert page.url == narrative_url
    assert field.input_value() == TEXT
    assert_accessible(page)

    # Closed to copy the text; Save then does not send it to be lost, and says why.
    signed_out.get_by_role("button", name="Close and copy my text").click()
    signed_out.wait_for(state="hidden")
    assert page.evaluate(FOCUSED_NAME) == "recommendations"
    page.get_by_role("button", name="Save recommendations").click()
    signed_out.get_by_text("Not saved: you are still signed out.").wait_for()
    assert page.url == narrative_url
    assert field.input_value() == TEXT

    # Signed in again in a new tab, Save here works (the page took the new CSRF token).
    _sign_in_again_in_a_new_tab(page, settings)
    page.get_by_role("button", name="Save recommendations").click()
    page.get_by_text("Recommendations saved.").wait_for()
    assert police_imr.recommendations.filter(text=TEXT).exists()


def test_an_entry_added_after_the_session_ended_stays_on_the_page_to_be_added_again(
    new_page,
    police_imr,  # noqa: F811
    settings,
):
    settings.SESSION_COOKIE_AGE = 60
    page = new_page()
    sign_in(page, "police")
    page.goto(f"/reviews/{police_imr.review_id}/imrs/{police_imr.pk}/")
    page.get_by_role("link", name=re.compile(r"^Chronology \(0\)")).click()
    page.get_by_label(re.compile(r"^\s*Date")).fill("9 August 2010")
    page.get_by_label(re.compile(r"^\s*Details")).fill("Officers attended after a 999 call.")

    # The session ends on the server while the page still counts.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    page.get_by_role("button", name="Add entry").click()
    signed_out = page.get_by_role("dialog", name="You have been signed out")
    signed_out.wait_for()
    assert "The text on this page has not been saved." in signed_out.inner_text()
    assert page.get_by_label(re.compile(r"^\s*Details")).input_value() == "Officers attended after a 999 call."
    assert not police_imr.entries.exists()
    assert_accessible(page)

    _sign_in_again_in_a_new_tab(page, settings)
    page.get_by_role("button", name="Add entry").click()
    page.get_by_role("cell", name="9 Aug 2010", exact=True).wait_for()
    assert police_imr.entries.filter(details="Officers attended after a 999 call.").exists()
