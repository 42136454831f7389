"""`query|query_fields`: a query string's names and values, in order, for a GET form's hidden
fields to keep them (the pager's "Go to page" box keeps the table's filters so)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django import template

register = template.Library()


@register.filter
def query_fields(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query or "", keep_blank_values=True)
