"""Query-string helpers shared by the paged lists of every app."""

from __future__ import annotations

from django.http import QueryDict


def query_without_page(params: QueryDict, name: str = "page") -> str:
    """The list's query string without its page number (``name``: a page with several paged
    tables names each one's), for the pager's links to add theirs."""
    query = params.copy()
    query.pop(name, None)
    return query.urlencode()
