"""The focus indicator survives Bootstrap on every kind of control (WCAG 2.4.7 and 1.4.11): focused
from the keyboard, each shows a ring at least 2 px wide whose colour has at least 3:1 contrast with
what is around it, computed in the browser from the styles the app ships."""

import re

import pytest

pytestmark = [pytest.mark.browser]

# One of each kind of control the pages use, on a white page and in the dark header.
CONTROLS = """
<header class="navbar bg-primary-subtle-dark" data-bs-theme="dark"><a class="navbar-brand" href="#">casereview</a>
  <a class="nav-link" href="#">My reviews</a></header>
<main class="container bg-white">
  <a href="#">A link</a>
  <input class="form-control" aria-label="A field">
  <select class="form-select" aria-label="A choice"><option>One</option></select>
  <input class="form-check-input" type="checkbox" aria-label="A checkbox">
  <input class="form-check-input" type="radio" aria-label="A radio">
  <button class="btn btn-primary">Primary</button>
  <button class="btn btn-outline-secondary">Secondary</button>
  <ul class="nav nav-tabs"><li class="nav-item"><a class="nav-link active" href="#">A tab</a></li></ul>
  <textarea class="form-control" aria-label="A text box"></textarea>
  <input class="form-control" type="date" aria-label="A date">
</main>
"""

# The ring's colours (outline, then each box-shadow) and the background behind the control.
RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    let node = el.parentElement, background = "rgb(255, 255, 255)";
    while (node) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour && colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
        node = node.parentElement;
    }
    const shadows = style.boxShadow === "none" ? [] : (style.boxShadow.match(/rgba?\\([^)]*\\)/g) || []);
    return {
        name: el.getAttribute("aria-label") || el.textContent.trim(),
        outline: style.outlineStyle === "none" ? null : style.outlineColor,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        shadows: shadows,
        background: background,
    };
}"""


def _rgb(colour: str) -> tuple[float, ...]:
    parts = [float(part) for part in re.findall(r"[\d.]+", colour)]
    alpha = parts[3] if len(parts) > 3 else 1.0
    # A translucent colour is seen over white.
    return tuple(alpha * channel + (1 - alpha) * 255 for channel in parts[:3])


def _luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_every_control_shows_a_focus_ring_of_at_least_three_to_one(new_page, live_server):
    page = new_page()
    page.goto("/accounts/login/")
    page.set_content(
        f'<!doctype html><html lang="en"><head><title>Controls</title>'
        f'<link rel="stylesheet" href="{live_server.url}/static/vendor/bootstrap.min.css">'
        f'<link rel="stylesheet" href="{live_server.url}/static/css/casereview.css"></head>'
        f"<body>{CONTROLS}</body></html>"
    )
    page.wait_for_load_state("networkidle")
    weak = []
    # The date field is four stops: day, month, year and its calendar button (drawn by the browser).
    for _ in range(page.locator("a, input, select, button, textarea").count() + 3):
        page.keyboard.press("Tab")
        page.wait_for_timeout(250)  # Bootstrap eases the ring in over 0.15 s
        ring = page.evaluate(RING)
        colours = ([ring["outline"]] if ring["outline"] and ring["outlineWidth"] >= 2 else []) + ring["shadows"]
        best = max((contrast(colour, ring["background"]) for colour in colours), default=0)
        if best < 3:
            weak.append(f"{ring['name']}: best ring contrast {best:.2f}:1 ({ring})")
    assert not weak, "\n".join(weak)
