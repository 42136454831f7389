"""The [[data:family]] block: the family involvement log as the overview report prints it, by
designation only, naming and quoting only those who agreed, through the publication pipeline."""

from __future__ import annotations

import datetime

import pytest

from reports import data_blocks, render, services
from reports.compose import document_compose
from reports.models import Section
from reports.publication_check import publication_check
from reports.submission_selectors import submission_checklist
from reviews.family_services import (
    ContactDetails,
    OfferDetails,
    family_contact_add,
    family_offer_add,
    family_pseudonym_agree,
)
from reviews.models import Person
from tests.conftest import World
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 2, 6)
REAL_NAMES = ("Zoe", "Hartley", "Susan", "Marsh", "Karen", "Doyle", "Paul")


def _save(section: Section, world: World, body: str) -> Section:
    return services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)


def _html(section: Section, *, publication: bool) -> str:
    composed = document_compose(section.document, publication=publication)
    return "".join(block.html for block in composed.sections[0].blocks)


def _family(world: World) -> dict[str, Person]:
    Person.objects.filter(pk=world.person.pk).update(relationship=Person.Relationship.FAMILY_MEMBER)
    victim = PersonFactory(review=world.review, real_name="Zoe Hartley", designation="the victim")
    aunt = PersonFactory(
        review=world.review, real_name="Karen Doyle", designation="the victim's aunt", relationship="family_member"
    )
    father = PersonFactory(
        review=world.review, real_name="Paul Hartley", designation="the victim's father", relationship="family_member"
    )
    mother = Person.objects.get(pk=world.person.pk)
    family_contact_add(
        actor=world.chair, review=world.review, person=mother,
        details=ContactDetails(
            contact_date=DAY, method="meeting", contacted_by=world.chair, advocate_organisation="AAFDA",
            advocate_name="Ruth Advocate", consent_to_be_named=True, consent_to_be_quoted=True,
            what_they_said="<p>Zoe Hartley was frightened of him; Susan Marsh told the social worker so.</p>",
            review_response="The panel asked children's social care how the report was handled.",
        ),
    )  # fmt: skip
    family_contact_add(
        actor=world.chair, review=world.review, person=aunt,
        details=ContactDetails(
            contact_date=DAY, method="meeting", contacted_by=world.chair,
            what_they_said="<p>Words said in confidence.</p>", review_response="Kept in confidence too.",
        ),
    )  # fmt: skip
    family_offer_add(
        actor=world.chair, review=world.review, person=father,
        offer=OfferDetails(kind="meet_panel", made_on=DAY, response="declined", response_date=DAY),
    )  # fmt: skip
    return {"victim": victim, "mother": mother, "aunt": aunt, "father": father}


def test_the_block_names_by_designation_and_quotes_only_with_consent(section: Section, world: World):
    _family(world)
    section = _save(section, world, "<p>The family took part.</p><p>[[data:family]]</p>")
    panel = _html(section, publication=False)
    assert "<td>February 2024</td><td>The victim's mother</td><td>Meeting in person</td><td>AAFDA</td>" in panel
    # The aunt agreed neither to be named nor quoted: "a family member", and nothing she said.
    assert "<td>A family member</td>" in panel
    assert "Words said in confidence" not in panel and "Kept in confidence" not in panel
    assert "The victim's mother told the review (meeting in person, February 2024):" in panel
    assert "<blockquote><p>Zoe Hartley was frightened of him; Susan Marsh told the social worker so.</p>" in panel
    assert "What the review did: The panel asked children's social care" in panel
    assert "In February 2024, a family member was invited to meet the panel: declined in February 2024." in panel
    assert "Ruth Advocate" not in panel  # the advocate by organisation only

    published = _html(section, publication=True)
    assert "<blockquote><p>The victim was frightened of him; the victim's mother told the social worker so.</p>" in (
        published
    )
    for name in REAL_NAMES:
        assert name not in published
    check = publication_check(section.document)
    assert check.passed, check.problems()


def test_a_name_left_in_what_was_said_stops_the_publication_as_any_text_does(section: Section, world: World):
    people = _family(world)
    contact = people["mother"].family_contacts.get()
    contact.what_they_said = "<p>Zoe was frightened.</p>"
    contact.save()
    section = _save(section, world, "<p>[[data:family]]</p>")
    check = publication_check(section.document)
    assert not check.passed
    assert any("Zoe" in problem for problem in check.problems())


def test_the_familys_pseudonym_is_what_the_publication_calls_the_subject(section: Section, world: World):
    people = _family(world)
    family_pseudonym_agree(
        actor=world.chair, review=world.review, subject=people["victim"], pseudonym="Ayesha",
        agreed_by=people["mother"], agreed_on=DAY,
    )  # fmt: skip
    section = _save(section, world, "<p>Zoe Hartley lived with her children.</p><p>[[data:family]]</p>")
    published = _html(section, publication=True)
    assert "Ayesha lived with her children." in published
    assert "The family chose the name “Ayesha”, which this report uses (the victim's mother agreed it" in published
    assert "<blockquote><p>Ayesha was frightened of him;" in published
    for name in REAL_NAMES:
        assert name not in published
    assert publication_check(section.document).passed


def test_an_empty_log_says_so(section: Section, world: World):
    section = _save(section, world, "<p>[[data:family]]</p>")
    assert "No contact with the family, friends, colleagues or neighbours is recorded yet." in _html(
        section, publication=False
    )
    assert any(choice.token == "[[data:family]]" for choice in data_blocks.choices(world.review))


def test_a_change_to_the_log_makes_the_rendered_files_out_of_date(section: Section, world: World):
    section = _save(section, world, "<p>[[data:family]]</p>")
    before = render.current_fingerprints(section.document, publication=False)["pdf"]
    _family(world)
    assert render.current_fingerprints(section.document, publication=False)["pdf"] != before


def test_the_checklist_item_flips_to_met_once_the_log_records_a_contact(world: World):
    def item():
        return {i.key: i for i in submission_checklist(world.review, today=datetime.date(2026, 9, 1))}[
            "family_involvement"
        ]

    assert item().met is False
    assert "No contact with the family, and no offer they declined, is recorded in the log." in item().evidence
    _family(world)
    answer = item()
    assert answer.met is True and answer.automatic
    assert answer.evidence[0] == "Family involvement log: 2 contacts, 1 offer (1 declined)."
    assert "6 February 2024: meeting in person with the victim's mother." in answer.evidence


def test_a_declined_offer_alone_meets_the_checklist_item(world: World):
    family_offer_add(
        actor=world.chair, review=world.review, person=world.person,
        offer=OfferDetails(kind="read_draft", made_on=DAY, response="declined", response_date=DAY),
    )  # fmt: skip
    items = {i.key: i for i in submission_checklist(world.review, today=datetime.date(2026, 9, 1))}
    assert items["family_involvement"].met is True
    assert "6 February 2024: offer to the victim's mother to read the draft report, declined on 6 February 2024." in (
        items["family_involvement"].evidence
    )


def test_consent_to_be_named_withdrawn_at_a_later_contact_is_respected(section: Section, world: World):
    people = _family(world)
    family_contact_add(
        actor=world.chair, review=world.review, person=people["mother"],
        details=ContactDetails(contact_date=datetime.date(2024, 3, 7), method="phone", contacted_by=world.chair),
    )  # fmt: skip
    section = _save(section, world, "<p>[[data:family]]</p>")
    panel = _html(section, publication=False)
    assert "The victim's mother" not in panel and "the victim's mother" not in panel
    # Her earlier words, which she agreed may be quoted, stay quoted: without her designation.
    assert "A family member told the review (meeting in person, February 2024):" in panel
