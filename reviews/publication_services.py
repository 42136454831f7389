"""The chair's publication decisions (PRODUCT.md section 4, step 4): one finding of the
publication check acknowledged as not identifying ("The family hope that…") or confirmed as
the person and replaced by the designation ("Jade", where the name is also a word), an agency
entry's field redacted in every publication output, and any of them withdrawn.

A decision is kept against the text it was made on (reviews.publication.text_hash): an
acknowledgement lapses by itself when that paragraph or field changes. Each takes a Finding
from a publication run made on the server (never a key as posted), is audited in its own
transaction and is made once: asking again gives the decision already made.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from chronology.integrated.timeline import timelines_redraw_later
from reviews.audit import audit_record
from reviews.models import PublicationDecision, Review
from reviews.publication import Finding, normalise

REASON_MAX = 500


def decision_fields(finding: Finding) -> dict:
    """What a decision on this finding is kept against: the parts of its key
    (reviews.publication.finding_key, "scope|digest|term|occurrence"). The scope is the
    finding's own and the digest a fixed 24 characters, so a "|" in a scope or a term is no matter."""
    scope = finding.where.scope
    rest = finding.key.removeprefix(f"{scope}|")
    term_key, occurrence = rest[25:].rsplit("|", 1)
    return {"scope": scope, "text_hash": rest[:24], "term_key": term_key, "occurrence": int(occurrence)}


def _reason(reason: str, missing: str) -> str:
    reason = " ".join(normalise(reason or "").split())
    if not reason:
        raise ValidationError(missing)
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Keep the reason to {REASON_MAX} characters (it has {len(reason)}).")
    return reason


def _shown(finding: Finding, reason: str, actor: User) -> dict:
    """What the chair saw when deciding, for the publication report."""
    return {"where": finding.where.label[:300], "context": finding.context[:400], "reason": reason, "decided_by": actor}


def _detail(finding: Finding, reason: str) -> dict:
    # Whose and of what kind, and the place as a scope ("section:45", "entry:<fingerprint>:date"),
    # never the wording or a label (a title or an agency's name may hold a name): the audit
    # trail holds no real names.
    return {"scope": finding.where.scope, "kind": finding.kind, "designation": finding.designation,
            "reason": reason}  # fmt: skip


def _record(
    *, review: Review, kind: str, fields: dict, finding: Finding, reason: str, actor: User, action: str
) -> PublicationDecision:
    """The decision, made once: asking again gives the one already made, and one audit entry."""
    decision, created = PublicationDecision.objects.get_or_create(
        review=review, kind=kind, **fields, defaults=_shown(finding, reason, actor)
    )
    if created:
        audit_record(actor=actor, action=action, obj=decision, review=review, detail=_detail(finding, reason))
        # What the integrated chronology's search matches with designations shown follows the decisions.
        timelines_redraw_later(review)
    return decision


@transaction.atomic
def publication_acknowledge(*, review: Review, finding: Finding, reason: str, actor: User) -> PublicationDecision:
    """Acknowledge one finding as not identifying. It no longer blocks publication while the
    text it was found in stays as it is."""
    reason = _reason(reason, "Say why this is not identifying: the reason goes in the publication report.")
    if not finding.key:
        raise ValidationError(
            "A finding in a finished file cannot be acknowledged: acknowledge or change the text it came from."
        )
    if finding.kind == "date of birth":
        raise ValidationError("A date of birth is always identifying: take it out of the text, or redact it.")
    return _record(review=review, kind=PublicationDecision.Kind.ACKNOWLEDGE, fields=decision_fields(finding),
                   finding=finding, reason=reason, actor=actor, action="publication.acknowledged")  # fmt: skip


@transaction.atomic
def publication_confirm_person(*, review: Review, finding: Finding, reason: str, actor: User) -> PublicationDecision:
    """Confirm that a finding is the person after all ("Jade" rang: the victim, though "jade" is
    also a word), so the designation goes in its place. For texts the pipeline publishes as
    written (footnoted entry fields, titles, recommendations, actions, the case name); a
    paragraph of a section is changed in the editor instead."""
    reason = _reason(reason, "Say why this is the person: the reason goes in the publication report.")
    if not can_confirm_person(finding):
        raise ValidationError(
            "Only a name in a footnote, a title, a recommendation, an action or the case name is replaced here: "
            "change a paragraph in the editor."
        )
    return _record(review=review, kind=PublicationDecision.Kind.REPLACE, fields=decision_fields(finding),
                   finding=finding, reason=reason, actor=actor, action="publication.confirmed_person")  # fmt: skip


def can_acknowledge(finding: Finding) -> bool:
    """A finding in a text (not a finished file) that is not a date of birth."""
    return bool(finding.key) and finding.kind != "date of birth"


def can_redact_entry_field(finding: Finding) -> bool:
    """A finding in a field of an agency's chronology entry (a footnote, a designations export)."""
    return bool(finding.key) and finding.where.scope.startswith("entry:")


def can_confirm_person(finding: Finding) -> bool:
    """A name found in a text the pipeline writes out itself: not a section's paragraph (its
    scope is "section:<id>"), not a date of birth, not a finished file."""
    scope = finding.where.scope
    return bool(finding.key) and finding.kind != "date of birth" and not re.fullmatch(r"section:\d+", scope)


@transaction.atomic
def publication_redact_entry_field(
    *, review: Review, finding: Finding, reason: str, actor: User
) -> PublicationDecision:
    """Redact the field of an agency's chronology entry that a finding is in (cited as a
    footnote, or exported by designation): "[Redacted]" in every publication output, for as
    long as the field reads as it does now."""
    reason = _reason(reason, "Say why this field is redacted: the reason goes in the publication report.")
    if not can_redact_entry_field(finding):
        raise ValidationError(
            "Only a field of an agency's chronology entry is redacted here: "
            "redact a passage of a section in the editor."
        )
    # The whole field, whatever was found in it.
    fields = {**decision_fields(finding), "term_key": "", "occurrence": 0}
    return _record(review=review, kind=PublicationDecision.Kind.REDACT, fields=fields, finding=finding,
                   reason=reason, actor=actor, action="publication.redacted")  # fmt: skip


@transaction.atomic
def publication_decision_withdraw(*, decision: PublicationDecision, actor: User) -> bool:
    """Withdraw an acknowledgement or a redaction: what it covered is found (or published) again.
    False when it was already withdrawn."""
    deleted, _ = PublicationDecision.objects.filter(pk=decision.pk).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="publication.decision_withdrawn",
            obj=decision,
            review=decision.review,
            detail={"kind": decision.kind, "scope": decision.scope, "reason": decision.reason},
        )
        timelines_redraw_later(decision.review)
    return bool(deleted)


# The decisions a chair takes on a finding, by the name a form posts, with what to say once done.
DECISIONS = {
    "acknowledge": (publication_acknowledge, "Acknowledged as not identifying"),
    "replace": (publication_confirm_person, "Replaced by the designation"),
    "redact": (publication_redact_entry_field, "Redacted in every publication"),
}
