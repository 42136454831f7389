"""Query-string helpers shared by the paged lists of every app."""

from __future__ import annotations

from django.http import QueryDict


def query_without_page(params: QueryDict) -> str:
    """The list's query string without its page number, for the pager's links to add theirs."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()
