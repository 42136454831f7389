"""The submission checklist: each item answered from the review's data flips from not met to met
when the data does, with the evidence named (section, count); items the data cannot answer are
the chair's to mark, audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from actions.models import Action, Recommendation
from reports import document_services, services
from reports.glossary_services import glossary_term_save
from reports.models import Document, Section
from reports.submission_selectors import submission_checklist
from reports.submission_services import submission_check_mark
from reviews import clocks
from reviews.models import AuditEntry, Imr, KeyLineOfEnquiry, Review
from tests.conftest import World

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 1)


def _item(world: World, key: str):
    items = {item.key: item for item in submission_checklist(world.review, today=TODAY)}
    return items[key]


def _overview(world: World) -> Document:
    document = Document.objects.filter(review=world.review, kind=Document.Kind.OVERVIEW).first()
    return document or document_services.document_create(
        review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair
    )


def _write(world: World, title: str, body: str) -> Section:
    section = _overview(world).sections.get(title=title)
    return services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)


def test_the_equality_and_diversity_section_is_met_once_it_has_text(world):
    _overview(world)
    item = _item(world, "equality_diversity")
    assert item.met is False and item.automatic
    assert item.evidence == ["Overview report, 11. Equality and diversity: empty."]
    _write(world, "Equality and diversity", "<p>The victim was a British Asian woman of 34.</p>")
    item = _item(world, "equality_diversity")
    assert item.met is True
    assert item.evidence == ["Overview report, 11. Equality and diversity: 9 words."]


def test_equality_and_diversity_is_the_chairs_to_mark_where_the_layout_has_no_such_section(world):
    Review.objects.filter(pk=world.review.pk).update(review_type=Review.Type.CSPR)
    world.review.refresh_from_db()
    _overview(world)
    item = _item(world, "equality_diversity")
    assert item.for_chair and item.met is None
    submission_check_mark(actor=world.chair, review=world.review, item="equality_diversity", met=True, note="In 5.")
    assert _item(world, "equality_diversity").met is True


def test_family_involvement_is_answered_from_the_log_not_from_the_sections_words(world):
    _overview(world)
    _write(world, "Involvement of family, friends, work colleagues and neighbours", "<p>The family met the chair.</p>")
    item = _item(world, "family_involvement")
    # Words in the section are shown, but only the family involvement log answers the item
    # (tests/reviews/test_family_log.py has it flip to met).
    assert item.met is False
    assert "6. Involvement of family, friends, work colleagues and neighbours: 5 words." in item.evidence[-1]


def test_terms_of_reference_are_met_when_each_key_line_is_set_out_in_a_section(world):
    KeyLineOfEnquiry.objects.create(review=world.review, position=1, text="What did each agency know of the abuse?")
    KeyLineOfEnquiry.objects.create(review=world.review, position=2, text="Were risk assessments shared?")
    _overview(world)
    item = _item(world, "terms_of_reference")
    assert item.met is False
    assert "Key line 2 is not set out in any section." in item.evidence
    _write(world, "Terms of reference", "<p>The panel agreed these.</p><p>[[data:terms-of-reference]]</p>")
    item = _item(world, "terms_of_reference")
    assert item.met is True
    assert item.evidence[0] == "2 of 2 key lines of enquiry are set out in a section."
    assert item.evidence[1] == "Key lines 1 and 2: Overview report, 4. Terms of reference."


def test_imrs_are_met_once_every_agency_has_an_accepted_imr_or_a_nil_return(world):
    item = _item(world, "imrs")
    assert item.met is False
    assert item.evidence[0] == "2 agencies: 0 IMRs accepted, 0 nil returns, 2 outstanding."
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    Imr.objects.filter(pk=world.imr_b.pk).update(status=Imr.Status.NIL_RETURN, nil_return_reason="No contact.")
    item = _item(world, "imrs")
    assert item.met is True
    assert item.evidence[0] == "2 agencies: 1 IMR accepted, 1 nil return, 0 outstanding."
    assert "Northshire Children's Social Care: nil return." in item.evidence


def test_the_action_plan_is_met_when_every_recommendation_has_actions_with_owners(world):
    assert _item(world, "action_plan").evidence == ["The action plan has no recommendations."]
    recommendation = Recommendation.objects.create(review=world.review, number=1, text="Share risk assessments.")
    assert "Recommendation 1 has no action." in _item(world, "action_plan").evidence
    action = Action.objects.create(
        recommendation=recommendation, text="Write a protocol.", lead_agency=world.agency_a,
        target_date=datetime.date(2027, 3, 31),
    )  # fmt: skip
    item = _item(world, "action_plan")
    assert item.met is False and "1 action has no owner." in item.evidence
    Action.objects.filter(pk=action.pk).update(owner=world.owner)
    item = _item(world, "action_plan")
    assert item.met is True
    assert item.evidence == ["1 recommendation, 1 action; 1 with an owner and a target date."]


def test_timescales_are_met_once_an_overdue_milestone_has_an_agreed_extension(world):
    Review.objects.filter(pk=world.review.pk).update(
        notification_date=datetime.date(2026, 1, 5), decision_date=datetime.date(2026, 1, 20)
    )
    world.review.refresh_from_db()
    item = _item(world, "timescales")
    assert item.met is False
    assert "Review completed: overdue (due 20 July 2026)." in item.evidence
    clocks.clock_extension_add(
        actor=world.chair, review=world.review, milestone="completion", due_date=datetime.date(2026, 12, 31),
        reason="The criminal trial ends in November.", today=TODAY,
    )  # fmt: skip
    item = _item(world, "timescales")
    assert item.met is True
    extended = "extended from 20 July 2026: The criminal trial ends in November."
    assert f"Review completed: due (due 31 December 2026, {extended})." in item.evidence


def test_the_glossary_is_complete_once_every_abbreviation_used_is_defined(world):
    _write(world, "Introduction", "<p>The case was heard at MARAC twice.</p>")
    item = _item(world, "glossary")
    assert item.met is False
    missing = '"MARAC" is not defined (used in Overview report, 1. Introduction'
    assert any(line.startswith(missing) for line in item.evidence)
    expansion = "Multi-Agency Risk Assessment Conference"
    glossary_term_save(review=world.review, abbreviation="MARAC", expansion=expansion, actor=world.chair)
    item = _item(world, "glossary")
    assert item.met is True and "Every abbreviation used in the documents is defined." in item.evidence


def test_the_publication_check_item_is_met_once_no_name_is_left(world):
    section = _write(world, "Introduction", "<p>Mrs Marsh spoke to the panel.</p>")
    item = _item(world, "publication_check")
    assert item.met is False and item.evidence[0].startswith("Overview report: 1 finding")
    services.section_save(
        section_id=section.pk, body="<p>The victim's mother spoke to the panel.</p>", base_version=section.version,
        actor=world.chair,
    )  # fmt: skip
    assert _item(world, "publication_check").evidence == ["Overview report: passed."]


def test_the_chair_marks_an_item_left_to_them_with_a_note_and_it_is_audited(world):
    item = _item(world, "family_read_report")
    assert item.for_chair and item.met is None and item.state_label == "Not marked yet"
    with pytest.raises(ValidationError) as refused:
        submission_check_mark(actor=world.chair, review=world.review, item="family_read_report", met=False, note=" ")
    assert refused.value.message_dict == {"note": ["Say what is missing: a note is needed when an item is not met."]}
    submission_check_mark(
        actor=world.chair, review=world.review, item="family_read_report", met=True, note="Read on 3 March 2027."
    )
    item = _item(world, "family_read_report")
    assert item.met is True and item.mark.note == "Read on 3 March 2027." and item.mark.marked_by == world.chair
    entry = AuditEntry.objects.get(action="submission.item_marked")
    assert entry.review == world.review and entry.detail["met"] is True


def test_an_item_answered_by_the_data_cannot_be_marked_by_hand(world):
    _overview(world)
    with pytest.raises(ValidationError) as refused:
        submission_check_mark(actor=world.chair, review=world.review, item="equality_diversity", met=True, note="")
    assert "is answered from the review's data" in refused.value.message_dict["item"][0]
    with pytest.raises(ValidationError):
        submission_check_mark(actor=world.chair, review=world.review, item="nonsense", met=True, note="")
    assert not AuditEntry.objects.filter(action="submission.item_marked").exists()
