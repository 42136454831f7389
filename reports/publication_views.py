"""The chair's side of the publication check: acknowledge a finding on the publication preview
as not identifying, redact an agency entry's field, withdraw either; and the publication report
for the chair's sign-off, as a page and as a PDF (reports.publication_check)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import DownloadAudit, download_filename, download_response
from casereview.pdf import html_to_pdf
from reports.forms import PublicationDecisionForm, parsed
from reports.permissions import (
    document_get_for_user,
    publication_decision_get_for_user,
    publication_report_get_for_user,
)
from reports.publication_check import publication_check, publication_report, publication_report_html
from reports.view_helpers import refused
from reviews import publication_services
from reviews.audit import audit_view


def _preview_url(pk: int, doc_pk: int) -> str:
    return reverse("reports:document_preview", args=[pk, doc_pk]) + "?version=publication#publication-check"


def _decide(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, decision: str) -> HttpResponse:
    decide, done = publication_services.DECISIONS[decision]
    access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    # Never the key as posted: the finding is looked up again in a run of the document as it is now.
    posted = parsed(PublicationDecisionForm(request.POST))
    finding = publication_check(document).finding(posted["key"])
    if finding is None:
        messages.error(request, "That finding is no longer there: the text changed. This is the check as it stands.")
        return redirect(_preview_url(pk, doc_pk))
    try:
        decide(review=access.review, finding=finding, reason=posted["reason"], actor=request.user)
    except ValidationError as error:
        refused(request, error)
    else:
        messages.success(request, f"{done}: {finding.where.label}.")
    return redirect(_preview_url(pk, doc_pk))


@login_required
@require_POST
def publication_acknowledge(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    return _decide(request, pk, doc_pk, "acknowledge")


@login_required
@require_POST
def publication_confirm_person(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    return _decide(request, pk, doc_pk, "replace")


@login_required
@require_POST
def publication_redact(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    return _decide(request, pk, doc_pk, "redact")


@login_required
@require_POST
def publication_decision_withdraw(
    request: AuthenticatedHttpRequest, pk: int, doc_pk: int, decision_pk: int
) -> HttpResponse:
    _access, _document, decision = publication_decision_get_for_user(request.user, pk, doc_pk, decision_pk)
    publication_services.publication_decision_withdraw(decision=decision, actor=request.user)
    messages.success(request, f"{decision.get_kind_display()} withdrawn: {decision.where}.")
    return redirect(_preview_url(pk, doc_pk))


@login_required
@require_GET
def publication_report_page(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = publication_report_get_for_user(request.user, pk, doc_pk)
    report = publication_report(document)
    audit_view(actor=request.user, action="document.publication_report_viewed", obj=document, review=access.review)
    context = {"access": access, "review": access.review, "document": document, "report": report,
               "check": report.check}  # fmt: skip
    return render(request, "reports/publication_report.html", context)


@login_required
@require_GET
def publication_report_pdf(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = publication_report_get_for_user(request.user, pk, doc_pk)
    pdf = html_to_pdf(publication_report_html(publication_report(document)))
    kind = document.kind.replace("_", "-")
    filename = download_filename(access.review.reference, kind, "publication-report", ext="pdf")
    return download_response(
        request, content=pdf.data, filename=filename, content_type="application/pdf",
        audit=DownloadAudit(action="document.publication_report_downloaded", obj=document, review=access.review),
    )  # fmt: skip
