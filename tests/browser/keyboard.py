"""Driving a page by keyboard alone, as someone who cannot use a mouse does: Tab, Shift+Tab,
Enter, Space, the arrow keys and typing into whatever has the focus. Every control the focus
reaches must show that it has it (an outline or a focus ring)."""

import re

from accounts.models import User
from tests.browser.conftest import DEMO_PASSWORD
from tests.conftest import totp_code

# The element with the focus, described by what a screen reader would announce for it, and
# whether it shows the focus. An element that is the active one without matching :focus has it
# on a part of its own that the browser draws (a date field's calendar button), ringed by the
# browser itself.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const labelled = el.labels && el.labels.length ? el.labels[0].textContent : "";
    const label = labelled || el.getAttribute("aria-label") || "";
    const style = getComputedStyle(el);
    const ringed = style.outlineStyle !== "none" && style.outlineWidth !== "0px" || style.boxShadow !== "none";
    return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(), label: label.trim(),
            name: el.getAttribute("name") || "", id: el.id, outlined: ringed || !el.matches(":focus")};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def _matches(wanted: re.Pattern, element: dict | None) -> bool:
    return bool(element) and bool(wanted.search(element["text"]) or wanted.search(element["label"]))


def tab_to(page, pattern: str, *, limit: int = 250, key: str = "Tab") -> dict:
    """Press Tab (or ``key``, e.g. Shift+Tab) until the focused control's text or label matches
    ``pattern``; it, and every control passed on the way, must show that it has the focus (an
    outline or a focus ring)."""
    wanted = re.compile(pattern)
    for _ in range(limit):
        page.keyboard.press(key)
        element = focused(page)
        assert not element or element["outlined"], f"{element} has the focus on {page.url} but shows no focus indicator"
        if _matches(wanted, element):
            return element
    raise AssertionError(f"{key} never reached a control matching {pattern!r} on {page.url}")


def shift_tab_to(page, pattern: str, *, limit: int = 250) -> dict:
    return tab_to(page, pattern, limit=limit, key="Shift+Tab")


def focus_is_on(page, pattern: str) -> dict:
    """The control that has the focus now matches ``pattern`` and shows its focus."""
    element = focused(page)
    assert _matches(re.compile(pattern), element), f"the focus is on {element} on {page.url}, not {pattern!r}"
    assert element["outlined"], f"{pattern!r} has the focus on {page.url} but shows no focus indicator"
    return element


def sign_in_by_keyboard(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Username, password, then the code from the user's authenticator, by keyboard."""
    page.goto("/accounts/login/")
    tab_to(page, r"^Username")
    page.keyboard.type(username)
    tab_to(page, r"^Password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/mfa/**")
    tab_to(page, r"^Code")
    page.keyboard.type(totp_code(User.objects.get(username=username)))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def follow(page, pattern: str, heading: str | re.Pattern) -> None:
    """Tab to the link or button matching ``pattern``, press Enter and wait for the next page."""
    tab_to(page, pattern)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=heading, level=1).wait_for()
