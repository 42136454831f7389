"""What the documents' pages share: a refusal shown as messages, and a section's address."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from reports.models import Section


def refused(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    """Each reason a form or service gave, as an error message on the next page."""
    for message in error.messages:
        messages.error(request, message)


def section_url(section: Section, anchor: str = "") -> str:
    document = section.document
    url = reverse("reports:section", args=[document.review_id, document.pk, section.pk])
    return f"{url}#{anchor}" if anchor else url
