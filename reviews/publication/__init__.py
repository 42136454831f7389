"""The publication pipeline (PRODUCT.md section 4): the one way anything leaves casereview
for publication. normalise -> replace -> check -> check the finished file.

- reviews.publication.characters: what is stored (normalised) and what is compared (folded);
- reviews.publication.text: replacing names, finding what remains;
- reviews.publication.dates: dates of birth in every common written form;
- reviews.publication.words: which names are also ordinary English;
- reviews.publication.files: every part of a finished PDF, DOCX, XLSX, CSV or JSON file;
- reviews.publication.pipeline: one run over an output's texts and files, with the chair's
  acknowledgements and redactions, its findings and its replacements.

Everything here is pure except ``publication_for_review``, which reads the register and the
chair's decisions for one review.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from reviews.publication.characters import fold_key, normalise
from reviews.publication.pipeline import (
    REDACTED,
    Decision,
    Finding,
    Publication,
    PublicationBlocked,
    Where,
    finding_key,
    text_hash,
)
from reviews.publication.text import Hit, Person, Register, name_parts

if TYPE_CHECKING:
    from reviews.models import Review

__all__ = [
    "REDACTED", "Decision", "Finding", "Hit", "Person", "Publication", "PublicationBlocked", "Register", "Where",
    "finding_key", "fold_key", "name_parts", "normalise", "publication_for_review", "publication_inputs",
    "register_for_review", "text_hash",
]  # fmt: skip


def publication_inputs(review: Review) -> str:
    """A fingerprint of what a publication run of the review reads besides its texts: the person
    register (with confirmed names), the chair's decisions and the pipeline's code. A publication
    file made with other inputs is superseded."""
    # The pure steps import no Django: the models are imported when a review is read.
    from casereview.code_version import publication_code_version
    from reviews.models import PublicationDecision

    state = {
        # The pipeline's code and word lists: a file made by an older pipeline is not current.
        "pipeline": publication_code_version(),
        "people": list(
            review.people.order_by("pk").values_list(
                "real_name", "aliases", "designation", "date_of_birth", "confirmed_names"
            )
        ),
        "decisions": list(
            PublicationDecision.objects.filter(review=review)
            .order_by("pk")
            .values_list("pk", "kind", "scope", "text_hash", "term_key", "occurrence")
        ),
    }
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


def register_for_review(review: Review) -> Register:
    return Register(
        Person(
            real_name=person.real_name,
            aliases=tuple(a for a in (person.aliases or ()) if isinstance(a, str)),
            designation=person.designation,
            date_of_birth=person.date_of_birth,
            confirmed=tuple(n for n in (getattr(person, "confirmed_names", None) or ()) if isinstance(n, str)),
        )
        for person in review.people.all()
    )


def publication_for_review(review: Review) -> Publication:
    """A publication run for the review: its register and the chair's standing decisions."""
    from reviews.models import PublicationDecision  # the pure steps import no Django

    decisions = [
        Decision(
            scope=row.scope,
            text_hash=row.text_hash,
            kind=row.kind,
            term_key=row.term_key,
            occurrence=row.occurrence,
            reason=row.reason,
            by=row.decided_by.get_full_name() or row.decided_by.username if row.decided_by else "",
            pk=row.pk,
        )  # fmt: skip
        for row in PublicationDecision.objects.filter(review=review).select_related("decided_by")
    ]
    return Publication(register_for_review(review), decisions)
