"""A review's published documents as one folder of web pages (reports.render_html): every
document of the review, each its publication version, through the one publication pipeline
(reviews.publication): one run over all their texts, then the check of every file in the zip."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from reports import render, render_html
from reports.document_services import empty_sections_refusal, merge_notes_refusal
from reports.models import Document
from reviews.audit import audit_record
from reviews.models import Review
from reviews.publication import PublicationBlocked, publication_for_review

KIND_ORDER = {kind: index for index, kind in enumerate(Document.Kind.values)}


def review_documents(review: Review) -> list[Document]:
    """The review's documents in the order of their kinds (overview report first)."""
    documents = Document.objects.filter(review=review).select_related("review__partnership")
    return sorted(documents, key=lambda document: (KIND_ORDER.get(document.kind, len(KIND_ORDER)), document.pk))


@transaction.atomic
def review_web_pages(*, review: Review, actor: User | None) -> bytes:
    """The zip of every document's publication version, or PublicationBlocked / ValidationError
    naming the document and where. Nothing is returned unless every file passes the check."""
    documents = review_documents(review)
    if not documents:
        raise ValidationError(f"{review.reference} has no documents yet.")
    run = publication_for_review(review)
    inputs = []
    for document in documents:
        merge_notes_refusal(document, "published as web pages")
        empty_sections_refusal(document, "published as web pages")
        data = render.render_input(document, publication=True, run=run)
        if data.composed.unresolved_references:
            raise ValidationError(
                f"{document.get_kind_display()}: references point at nothing: "
                + "; ".join(data.composed.unresolved_references)
            )
        inputs.append(data)
    if run.blocking:
        raise PublicationBlocked(run.blocking)
    content = render_html.bundle_zip(render_html.bundle_files(inputs))
    found = run.check_file("html", content, "Web pages")
    if found:
        raise PublicationBlocked(found)
    audit_record(
        actor=actor, action="review.web_pages_made", obj=review, review=review,
        detail={"documents": [document.kind for document in documents], "size": len(content)},
    )  # fmt: skip
    return content
