"""The document page's choice of the chronology appendix's columns (reports.appendix_services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reports.appendix_services import document_chronology_columns_set
from reports.permissions import document_get_for_user
from reports.render_appendix import chosen_columns
from reports.view_helpers import refused


@login_required
@require_POST
def document_chronology_columns(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    _access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    try:
        document_chronology_columns_set(document=document, columns=request.POST.getlist("columns"), actor=request.user)
    except ValidationError as error:
        refused(request, error)
    else:
        headings = ", ".join(column.heading for column in chosen_columns(document.chronology_columns))
        messages.success(request, f"The chronology appendix prints these columns: {headings}.")
    return redirect("reports:document", pk, doc_pk)
