"""What the submission page reads: the quality checklist, filled from the review's data where the
data answers an item (with the evidence: which section, which count) and left for the chair where
it does not; the packs made; the panel's feedback.

Each automatic item is one function of the review: ``(state, evidence)``, where state is "met",
"not_met", or "chair" when the data cannot answer it (a review type whose layout has no such
section, say) and the chair's mark answers it instead."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from actions.models import Action, Recommendation
from reports import richtext
from reports.data_blocks import TOKEN_RE
from reports.layouts import layout_for
from reports.models import Document, Section
from reports.publication_check import publication_check
from reports.render import current_fingerprints
from reports.selectors import abbreviations_missing
from reports.submission_models import SubmissionCheckMark, SubmissionFeedback, SubmissionPack
from reviews import clocks
from reviews.family_selectors import family_involvement_evidence
from reviews.models import Imr, Review

MET, NOT_MET, CHAIR = "met", "not_met", "chair"
Answer = tuple[str, list[str]]


@dataclass
class ChecklistItem:
    key: str
    label: str
    automatic: bool  # answered from the review's data (unless the data cannot answer it)
    state: str  # met, not_met or chair (for the chair to mark)
    evidence: list[str] = field(default_factory=list)
    mark: SubmissionCheckMark | None = None

    @property
    def for_chair(self) -> bool:
        return self.state == CHAIR

    @property
    def met(self) -> bool | None:
        """Met, not met, or None while the chair has not marked an item left to them."""
        if self.state == CHAIR:
            return self.mark.met if self.mark else None
        return self.state == MET

    @property
    def state_label(self) -> str:
        return {True: "Met", False: "Not met", None: "Not marked yet"}[self.met]


# --- reading the documents -------------------------------------------------------------------


SUBMITTED_KINDS = (Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY)


def checklist_sections(review: Review) -> list[Section]:
    """The overview report's and the executive summary's sections, in order."""
    sections = Section.objects.filter(document__review=review, document__kind__in=SUBMITTED_KINDS)
    return list(sections.select_related("document").order_by("document__kind", "position", "pk"))


def _numbers(noun: str, numbers: list[int]) -> str:
    """ "Key line 3", "Key lines 1 to 11" (a run) or "Key lines 1, 4 and 6"."""
    if len(numbers) == 1:
        return f"{noun} {numbers[0]}"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{noun}s {numbers[0]} to {numbers[-1]}"
    return f"{noun}s {', '.join(str(n) for n in numbers[:-1])} and {numbers[-1]}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _text(section: Section) -> str:
    return " ".join(richtext.plain_text(richtext.accepted(section.body)).split())


def _place(section: Section) -> str:
    return f"{section.document.get_kind_display()}, {section.position}. {section.title}"


def _words(section: Section) -> int:
    return len(_text(section).split())


def _titled(review: Review, sections: list[Section], word: str) -> tuple[list[str], list[Section]]:
    """The overview layout's section titles containing ``word`` for this type of review, and the
    overview report's sections with one of those titles (or, failing that, with ``word`` in theirs)."""
    titles = [title for title in layout_for(review.review_type, Document.Kind.OVERVIEW) if word in title.lower()]
    overview = [s for s in sections if s.document.kind == Document.Kind.OVERVIEW]
    found = [s for s in overview if s.title.strip().lower() in {t.lower() for t in titles}]
    return titles, found or [s for s in overview if word in s.title.lower()]


def _section_with_text(review: Review, sections: list[Section], word: str, what: str) -> Answer:
    titles, found = _titled(review, sections, word)
    if not found:
        if titles:
            return NOT_MET, [f'The overview report has no "{titles[0]}" section.']
        return CHAIR, [f"This review's layout has no section for {what}: the chair says whether it is covered."]
    evidence = [f"{_place(s)}: {_words(s)} words." if _words(s) else f"{_place(s)}: empty." for s in found]
    return (MET if any(_words(s) for s in found) else NOT_MET), evidence


# --- the automatic items -----------------------------------------------------------------------


def terms_of_reference(review: Review, sections: list[Section]) -> Answer:
    lines = list(review.key_lines.order_by("position").values_list("position", "text"))
    if not lines:
        return NOT_MET, ["No key lines of enquiry are recorded for this review."]
    listing = [s for s in sections if any(m.group(1) == "terms-of-reference" for m in TOKEN_RE.finditer(s.body))]
    texts = {s.pk: _text(s).lower() for s in sections}
    by_place: dict[str, list[int]] = {}
    missing = []
    for position, text in lines:
        wording = " ".join(text.split()).lower()
        where = [_place(s) for s in sections if s in listing or (wording and wording in texts[s.pk])]
        if where:
            by_place.setdefault(where[0], []).append(position)
        else:
            missing.append(position)
    evidence = [f"{len(lines) - len(missing)} of {len(lines)} key lines of enquiry are set out in a section."]
    evidence += [f"{_numbers('Key line', found)}: {place}." for place, found in by_place.items()]
    evidence += [f"{_numbers('Key line', [position])} is not set out in any section." for position in missing]
    return (NOT_MET if missing else MET), evidence


def family_involvement(review: Review, sections: list[Section]) -> Answer:
    """Answered from the family involvement log: met once it records a contact, or an offer the
    family declined; what the report's section holds is shown beside it."""
    recorded, evidence = family_involvement_evidence(review)
    _titles, found = _titled(review, sections, "family")
    evidence += [f"{_place(s)}: {_words(s)} words." if _words(s) else f"{_place(s)}: empty." for s in found]
    return (MET if recorded else NOT_MET), evidence


def equality_and_diversity(review: Review, sections: list[Section]) -> Answer:
    return _section_with_text(review, sections, "equality", "equality and diversity")


def imrs_listed(review: Review, sections: list[Section]) -> Answer:
    imrs = list(Imr.objects.filter(review=review).select_related("agency").order_by("agency__name"))
    if not imrs:
        return NOT_MET, ["No IMRs or nil returns are recorded."]
    done = (Imr.Status.ACCEPTED, Imr.Status.NIL_RETURN)
    outstanding = [imr for imr in imrs if imr.status not in done]
    nil = sum(imr.status == Imr.Status.NIL_RETURN for imr in imrs)
    accepted = len(imrs) - len(outstanding) - nil
    evidence = [
        f"{len(imrs)} agencies: {accepted} IMR{_s(accepted)} accepted, {nil} nil return{_s(nil)}, "
        f"{len(outstanding)} outstanding."
    ]
    evidence += [f"{imr.agency.name}: {imr.get_status_display().lower()}." for imr in imrs]
    return (NOT_MET if outstanding else MET), evidence


def action_plan(review: Review, sections: list[Section]) -> Answer:
    recommendations = Recommendation.objects.filter(review=review).annotate(actions_count=Count("actions"))
    total = len(recommendations)
    if not total:
        return NOT_MET, ["The action plan has no recommendations."]
    bare = [r.number for r in recommendations if not r.actions_count]
    actions = Action.objects.filter(recommendation__review=review)
    counts = actions.aggregate(all=Count("pk"), unowned=Count("pk", filter=Q(owner__isnull=True)))
    evidence = [
        f"{total} recommendation{_s(total)}, {counts['all']} action{_s(counts['all'])}; "
        f"{counts['all'] - counts['unowned']} with an owner and a target date."
    ]
    evidence += [f"Recommendation {number} has no action." for number in bare]
    if counts["unowned"]:
        evidence.append(f"{counts['unowned']} action{'s have' if counts['unowned'] != 1 else ' has'} no owner.")
    return (NOT_MET if bare or counts["unowned"] else MET), evidence


def timescales(review: Review, sections: list[Section], *, today: datetime.date) -> Answer:
    milestones = clocks.review_clock(review, today=today)
    if not milestones:
        return CHAIR, ["This type of review has no statutory clock: the chair says whether its timescales were met."]
    evidence, late = [], False
    for m in milestones:
        line = f"{m.label}: {m.state_label.lower()}"
        if m.met_on:
            line += f" on {m.met_on:%-d %B %Y}"
        if m.due:
            line += f" (due {m.due:%-d %B %Y}"
            line += f", extended from {m.statutory_due:%-d %B %Y}: {m.extensions[-1].reason})" if m.extended else ")"
        evidence.append(line + ".")
        late = late or m.state not in ("met", "due")
    return (NOT_MET if late else MET), evidence


def glossary(review: Review, sections: list[Section]) -> Answer:
    missing = abbreviations_missing(review)
    defined = review.glossary_terms.count()
    evidence = [f"{defined} term{'s' if defined != 1 else ''} in the glossary."]
    evidence += [f'"{item.abbreviation}" is not defined (used in {"; ".join(item.places[:2])}).' for item in missing]
    if not missing:
        evidence.append("Every abbreviation used in the documents is defined.")
    return (NOT_MET if missing else MET), evidence


def publication_checked(review: Review, sections: list[Section]) -> Answer:
    documents = list(
        Document.objects.filter(review=review, kind__in=[Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY])
        .select_related("review__partnership")
        .order_by("kind")
    )
    if not documents:
        return NOT_MET, ["There is no overview report or executive summary to check."]
    evidence, passed = [], True
    for document in documents:
        check = publication_check(document)
        problems = len(check.blocking) + len(check.unresolved)
        if check.passed:
            evidence.append(f"{document.get_kind_display()}: passed.")
        else:
            passed = False
            evidence.append(
                f"{document.get_kind_display()}: {problems} finding{'s' if problems != 1 else ''} to resolve."
            )
    return (MET if passed else NOT_MET), evidence


@dataclass(frozen=True)
class ItemRule:
    key: str
    label: str
    answer: Callable[..., Answer] | None  # None: the chair's to mark, always


ITEMS: tuple[ItemRule, ...] = (
    ItemRule("terms_of_reference", "Terms of reference addressed by the report's sections", terms_of_reference),
    ItemRule("family_involvement", "Family involvement recorded", family_involvement),
    ItemRule("equality_diversity", "Equality and diversity section written", equality_and_diversity),
    ItemRule("imrs", "IMRs and nil returns listed", imrs_listed),
    ItemRule("action_plan", "Action plan present, with owners and target dates", action_plan),
    ItemRule("timescales", "Statutory timescales met, or an extension recorded", timescales),
    ItemRule("glossary", "Glossary complete: every abbreviation used is defined", glossary),
    ItemRule("publication_check", "Publication check passed", publication_checked),
    ItemRule("family_read_report", "The family were offered the report to read before submission", None),
    ItemRule("chair_independence", "The chair's independence from the agencies involved is stated", None),
)


def item_rule(key: str) -> ItemRule | None:
    return next((rule for rule in ITEMS if rule.key == key), None)


def item_answer(review: Review, rule: ItemRule, *, sections: list[Section], today: datetime.date) -> Answer:
    """What the review's data says of one item (CHAIR: nothing, for the chair to mark)."""
    if rule.answer is None:
        return CHAIR, []
    if rule.answer is timescales:
        return timescales(review, sections, today=today)
    return rule.answer(review, sections)


def submission_checklist(review: Review, *, today: datetime.date) -> list[ChecklistItem]:
    sections = checklist_sections(review)
    marks = {mark.item: mark for mark in SubmissionCheckMark.objects.filter(review=review).select_related("marked_by")}
    items = []
    for rule in ITEMS:
        state, evidence = item_answer(review, rule, sections=sections, today=today)
        items.append(ChecklistItem(rule.key, rule.label, rule.answer is not None, state, evidence, marks.get(rule.key)))
    return items


def submission_packs(review: Review, *, limit: int = 5) -> list[SubmissionPack]:
    """The latest packs, each with ``superseded``: ready, but holding a document as it no longer
    stands (its fingerprint is not the document's now), so not the one to send."""
    packs = list(SubmissionPack.objects.filter(review=review).select_related("requested_by")[:limit])
    ready = [pack for pack in packs if pack.status == SubmissionPack.Status.READY]
    current: set[str] = set()
    if ready:
        for document in Document.objects.filter(review=review, kind__in=SUBMITTED_KINDS).select_related("review"):
            current |= set(current_fingerprints(document, publication=True).values())
    for pack in packs:
        made_from = [item["version"]["fingerprint"] for item in pack.files if "fingerprint" in item.get("version", {})]
        pack.superseded = pack in ready and any(fp not in current for fp in made_from)  # type: ignore[attr-defined]
    return packs


def submission_feedback(review: Review) -> QuerySet[SubmissionFeedback]:
    return SubmissionFeedback.objects.filter(review=review).select_related("recorded_by")
