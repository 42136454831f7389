"""Where the focus goes and what is read out once htmx has put a response in the page: one
header, HX-Trigger-After-Settle, that static/js/casereview.js acts on (its comment describes
the events). Any view answering htmx can use it; nothing per page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse


def after_settle(
    response: HttpResponse,
    *,
    focus: Sequence[str] = (),
    announce: str = "",
    region: str = "",
    link: tuple[str, str] | None = None,
) -> HttpResponse:
    """Ask the page to move the focus to the first of ``focus`` (CSS selectors) it finds and to
    read out ``announce`` in the live region ``region`` (a selector; without it the page's
    hidden one), followed by ``link`` (href, text) when given. Returns the response."""
    events: dict[str, Any] = {}
    if focus:
        events["casereview:focus"] = {"selectors": list(focus)}
    if announce:
        message: dict[str, str] = {"message": announce}
        if region:
            message["region"] = region
        if link:
            message["href"], message["link"] = link
        events["casereview:announce"] = message
    if events:
        # ASCII only (json escapes the rest): a header is Latin-1 at best, and htmx parses the JSON.
        response["HX-Trigger-After-Settle"] = json.dumps(events)
    return response
