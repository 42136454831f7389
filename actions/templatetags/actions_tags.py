"""Small filters for the dashboard's SVG charts and the RAG of one action."""

from __future__ import annotations

import datetime

from django import template

from actions.models import Action

register = template.Library()

ROW_HEIGHT = 28
# The bar area's width in SVG units (the chart is 480 wide; labels take the first 184 and
# the figure after the longest bar needs room too).
BAR_AREA = 250
# Fill colours of the RAG bars, dark enough to stand against white (WCAG 1.4.11).
RAG_COLOURS = {"red": "#b02a37", "amber": "#b35c00", "green": "#146c43", "blue": "#0a58ca"}


@register.filter
def bar_height(count: int) -> int:
    return max(count, 1) * ROW_HEIGHT + 4


@register.filter
def bar_offset(index: int) -> int:
    return index * ROW_HEIGHT


@register.filter
def bar_width(percent: float) -> int:
    return round(BAR_AREA * percent / 100)


@register.filter
def rag_colour(key: str) -> str:
    return RAG_COLOURS.get(key, "#6c757d")


@register.filter
def rag_of(action: Action, today: datetime.date) -> str:
    return action.rag(today)


@register.filter
def effective_status(action: Action, today: datetime.date) -> str:
    return Action.Status(action.effective_status(today)).label
