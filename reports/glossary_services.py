"""Writes for a review's glossary: the abbreviations its documents use and what each stands
for, added one by one or pasted as lines. Each owns its transaction and audits the change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from reports.models import GlossaryTerm
from reviews.audit import audit_record
from reviews.models import Review
from reviews.publication import normalise


def _clean_term(abbreviation: str, expansion: str) -> tuple[str, str]:
    abbreviation = " ".join(normalise(abbreviation).split())
    expansion = " ".join(normalise(expansion).split())
    if not abbreviation:
        raise ValidationError("Give the abbreviation.")
    if len(abbreviation) > 30:
        raise ValidationError(f'"{abbreviation[:40]}" is longer than 30 characters: is it an abbreviation?')
    if not expansion:
        raise ValidationError(f"Give what {abbreviation} stands for.")
    return abbreviation, expansion[:300]


@transaction.atomic
def glossary_term_save(*, review: Review, abbreviation: str, expansion: str, actor: User) -> GlossaryTerm:
    """Add a term, or change what an existing abbreviation stands for."""
    abbreviation, expansion = _clean_term(abbreviation, expansion)
    term, created = GlossaryTerm.objects.update_or_create(
        review=review, abbreviation=abbreviation, defaults={"expansion": expansion}
    )
    audit_record(actor=actor, action="glossary.added" if created else "glossary.changed", obj=term, review=review)
    return term


@transaction.atomic
def glossary_terms_import(*, review: Review, text: str, actor: User) -> int:
    """Lines of "ABBR: what it stands for" (or a tab or " - " between), as a glossary is
    usually kept in Word. Any bad line saves nothing and names the line."""
    parsed: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        for separator in (":", "\t", " – ", " - "):
            if separator in line:
                abbreviation, expansion = line.split(separator, 1)
                break
        else:
            errors.append(f'line {number}: "{line.strip()[:60]}" has no ":" between the abbreviation and its meaning')
            continue
        try:
            parsed.append(_clean_term(abbreviation, expansion))
        except ValidationError as error:
            errors.append(f"line {number}: {error.messages[0]}")
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError("Paste at least one line such as “MARAC: Multi-Agency Risk Assessment Conference”.")
    for abbreviation, expansion in parsed:
        GlossaryTerm.objects.update_or_create(
            review=review, abbreviation=abbreviation, defaults={"expansion": expansion}
        )
    audit_record(actor=actor, action="glossary.imported", obj=review, detail={"terms": len(parsed)})
    return len(parsed)


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, actor: User) -> None:
    audit_record(actor=actor, action="glossary.removed", obj=term, review=term.review)
    term.delete()
