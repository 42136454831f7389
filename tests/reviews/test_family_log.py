"""The family involvement log: contacts, offers and the family's pseudonym, recorded through the
services that check every field (saying which and why), keep to the person register, write
nothing when anything is wrong, refuse an archived review and audit every change by designation."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import services as register_services
from reviews.family_models import FamilyContact, FamilyOffer, FamilyPseudonym
from reviews.family_services import (
    ContactDetails,
    NewPerson,
    OfferDetails,
    family_contact_add,
    family_contact_remove,
    family_contact_update,
    family_offer_add,
    family_pseudonym_agree,
)
from reviews.models import AuditEntry, Person
from tests.conftest import World
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 2, 1)


def _details(world: World, **changes) -> ContactDetails:
    values = {"contact_date": DAY, "method": "meeting", "contacted_by": world.chair}
    return ContactDetails(**{**values, **changes})


def _errors(call) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return {field: " ".join(messages) for field, messages in caught.value.message_dict.items()}


def test_the_chair_records_a_contact_with_what_was_said_sanitised_and_audited_by_designation(world: World):
    contact = family_contact_add(
        actor=world.chair,
        review=world.review,
        person=world.person,
        details=_details(
            world,
            advocate_organisation="AAFDA",
            advocate_name="Ruth Advocate",
            consent_to_be_quoted=True,
            what_they_said='<p onclick="x()">Susan said <b>nobody listened</b>.</p><script>alert(1)</script>',
            review_response="Asked the police about the reporting route.",
        ),
    )
    contact.refresh_from_db()
    assert contact.what_they_said == "<p>Susan said <strong>nobody listened</strong>.</p>"
    assert contact.contacted_by_name == world.chair.display_name
    assert contact.advocate_involved
    entry = AuditEntry.objects.get(action="family_contact.added")
    assert entry.review_id == world.review.pk and entry.actor == world.chair
    assert entry.detail["designation"] == "the victim's mother"
    assert "Susan" not in str(entry.detail) + entry.object_repr  # by designation only


def test_plain_text_typed_without_the_editor_is_kept_as_paragraphs(world: World):
    contact = family_contact_add(
        actor=world.chair, review=world.review, person=world.person,
        details=_details(world, what_they_said="Fear & worry < anger\n\nSecond"),
    )  # fmt: skip
    assert contact.what_they_said == "<p>Fear &amp; worry &lt; anger</p><p>Second</p>"


def test_bad_contact_details_name_each_field_and_save_nothing(world: World):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = _errors(
        lambda: family_contact_add(
            actor=world.chair,
            review=world.review,
            person=None,
            details=_details(
                world, contact_date=tomorrow, method="pigeon", contacted_by=world.author_a,
                advocate_name="Ruth Advocate", advocate_organisation="",
            ),
        )
    )  # fmt: skip
    assert errors == {
        "person": "Choose someone from the person register, or add them below.",
        "contact_date": "The date of the contact is in the future.",
        "method": '"pigeon" is not a way of making contact; choose one from the list.',
        "contacted_by": "The contact must have been made by the review's chair or a panel member.",
        "advocate_organisation": "Name the advocate's organisation (for example AAFDA) as well.",
    }
    assert not FamilyContact.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="family_").exists()


def test_a_person_of_another_review_is_refused(world: World):
    stranger = PersonFactory(review=world.other_review, real_name="Paul Other", designation="the father")
    errors = _errors(
        lambda: family_contact_add(actor=world.chair, review=world.review, person=stranger, details=_details(world))
    )
    assert errors == {"person": "Choose someone from this review's person register."}


def test_a_contact_before_the_incident_is_refused(world: World):
    world.review.incident_date = datetime.date(2024, 6, 1)
    world.review.save()
    errors = _errors(
        lambda: family_contact_add(actor=world.chair, review=world.review, person=world.person, details=_details(world))
    )
    assert errors == {"contact_date": "The date of the contact is before the incident (1 June 2024)."}


def test_someone_new_is_added_to_the_register_with_the_contact(world: World):
    contact = family_contact_add(
        actor=world.chair,
        review=world.review,
        person=None,
        details=_details(world),
        new_person=NewPerson("Karen Doyle", "the victim's aunt", Person.Relationship.FAMILY_MEMBER),
    )
    assert contact.person.real_name == "Karen Doyle"
    assert contact.person.designation == "the victim's aunt"
    assert AuditEntry.objects.filter(action="person.added").count() == 1


def test_the_registers_own_checks_refuse_a_new_person_and_nothing_is_half_saved(world: World):
    # The designation holds part of the person's own name: the register refuses it.
    errors = _errors(
        lambda: family_contact_add(
            actor=world.chair,
            review=world.review,
            person=None,
            details=_details(world, method="smoke signal"),
            new_person=NewPerson("Karen Doyle", "Mrs Doyle", Person.Relationship.FAMILY_MEMBER),
        )
    )
    assert set(errors) == {"method", "new_person_designation"}
    assert "“Doyle”, part of the person's own name" in errors["new_person_designation"]
    # A good new person but a bad contact: the person is not kept either.
    _errors(
        lambda: family_contact_add(
            actor=world.chair,
            review=world.review,
            person=None,
            details=_details(world, method="smoke signal"),
            new_person=NewPerson("Karen Doyle", "the victim's aunt", Person.Relationship.FAMILY_MEMBER),
        )
    )
    assert not Person.objects.filter(real_name="Karen Doyle").exists()
    assert not FamilyContact.objects.exists()


def test_an_update_is_audited_and_a_removal_too(world: World):
    contact = family_contact_add(actor=world.chair, review=world.review, person=world.person, details=_details(world))
    family_contact_update(
        actor=world.chair, contact=contact, person=world.person, details=_details(world, method="phone")
    )
    assert FamilyContact.objects.get().method == "phone"
    family_contact_remove(actor=world.chair, contact=contact)
    assert not FamilyContact.objects.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="family_contact").order_by("pk").values_list("action", flat=True)
    ) == ["family_contact.added", "family_contact.updated", "family_contact.removed"]


def test_an_offer_needs_a_response_date_once_answered_and_not_before_it_was_made(world: World):
    offer = OfferDetails(kind="read_draft", made_on=DAY, response="declined")
    errors = _errors(lambda: family_offer_add(actor=world.chair, review=world.review, person=world.person, offer=offer))
    assert errors == {"response_date": "Give the date the offer was accepted or declined."}
    early = OfferDetails(kind="read_draft", made_on=DAY, response="declined", response_date=DAY - datetime.timedelta(1))
    errors = _errors(lambda: family_offer_add(actor=world.chair, review=world.review, person=world.person, offer=early))
    assert errors == {"response_date": "The response is dated before the offer was made."}
    other = OfferDetails(kind="other", made_on=DAY)
    errors = _errors(lambda: family_offer_add(actor=world.chair, review=world.review, person=world.person, offer=other))
    assert errors == {"description": "Say what was offered."}
    awaited = OfferDetails(kind="meet_panel", made_on=DAY, response_date=DAY)
    errors = _errors(
        lambda: family_offer_add(actor=world.chair, review=world.review, person=world.person, offer=awaited)
    )
    assert "still awaiting an answer" in errors["response_date"]
    assert not FamilyOffer.objects.exists()
    good = OfferDetails(kind="read_draft", made_on=DAY, response="declined", response_date=DAY)
    row = family_offer_add(actor=world.chair, review=world.review, person=world.person, offer=good)
    assert row.get_response_display() == "Declined"
    assert AuditEntry.objects.get(action="family_offer.added").detail["response"] == "declined"


def test_an_archived_review_refuses_every_change(world: World):
    contact = family_contact_add(actor=world.chair, review=world.review, person=world.person, details=_details(world))
    world.review.archived_at = timezone.now()
    world.review.save()
    with pytest.raises(ValidationError, match="archived"):
        family_contact_add(actor=world.chair, review=world.review, person=world.person, details=_details(world))
    with pytest.raises(ValidationError, match="archived"):
        family_contact_remove(actor=world.chair, contact=contact)
    offer = OfferDetails(kind="meet_panel", made_on=DAY)
    with pytest.raises(ValidationError, match="archived"):
        family_offer_add(actor=world.chair, review=world.review, person=world.person, offer=offer)


def _victim(world: World) -> Person:
    return PersonFactory(
        review=world.review, real_name="Zoe Hartley", designation="the victim", relationship=Person.Relationship.VICTIM
    )


def test_the_familys_pseudonym_becomes_the_subjects_designation_through_the_register(world: World):
    victim = _victim(world)
    row = family_pseudonym_agree(
        actor=world.chair, review=world.review, subject=victim, pseudonym=" Ayesha ", agreed_by=world.person,
        agreed_on=DAY,
    )  # fmt: skip
    victim.refresh_from_db()
    assert victim.designation == "Ayesha"
    assert row.previous_designation == "the victim"
    assert AuditEntry.objects.filter(action="person.updated", detail__changed=["designation"]).exists()
    assert AuditEntry.objects.get(action="family_pseudonym.agreed").detail["agreed_by"] == "the victim's mother"
    # Changed again: the designation it first replaced is still the one remembered.
    family_pseudonym_agree(
        actor=world.chair, review=world.review, subject=victim, pseudonym="Amira", agreed_by=world.person,
        agreed_on=DAY,
    )  # fmt: skip
    assert FamilyPseudonym.objects.get().previous_designation == "the victim"


def test_a_pseudonym_holding_a_registered_name_is_refused_and_nothing_changes(world: World):
    victim = _victim(world)
    # Part of the victim's own name: the register's own check.
    errors = _errors(
        lambda: family_pseudonym_agree(
            actor=world.chair, review=world.review, subject=victim, pseudonym="Zoe", agreed_by=world.person,
            agreed_on=DAY,
        )
    )  # fmt: skip
    assert "“Zoe”" in errors["pseudonym"]
    # Someone else's name in the register: publication would be blocked wherever it is used.
    errors = _errors(
        lambda: family_pseudonym_agree(
            actor=world.chair, review=world.review, subject=victim, pseudonym="Susan", agreed_by=world.person,
            agreed_on=DAY,
        )
    )  # fmt: skip
    assert "“Susan”, a name in this review's person register" in errors["pseudonym"]
    # Another person's designation: the register refuses two people with one designation.
    errors = _errors(
        lambda: family_pseudonym_agree(
            actor=world.chair, review=world.review, subject=victim, pseudonym="the victim's mother",
            agreed_by=world.person, agreed_on=DAY,
        )
    )  # fmt: skip
    assert errors == {"pseudonym": 'Another person in this review is already designated "the victim\'s mother".'}
    errors = _errors(
        lambda: family_pseudonym_agree(
            actor=world.chair, review=world.review, subject=victim, pseudonym="Ayesha", agreed_by=victim,
            agreed_on=None,
        )
    )  # fmt: skip
    assert set(errors) == {"agreed_by", "agreed_on"}
    victim.refresh_from_db()
    assert victim.designation == "the victim"
    assert not FamilyPseudonym.objects.exists()


def test_someone_the_log_names_cannot_leave_the_register(world: World, client: Client):
    family_contact_add(actor=world.chair, review=world.review, person=world.person, details=_details(world))
    with pytest.raises(ValidationError, match="named in the family involvement log"):
        register_services.person_remove(actor=world.chair, person=world.person)
    client.force_login(world.chair)
    response = client.post(reverse("reviews:person_delete", args=[world.review.pk, world.person.pk]), follow=True)
    assert "is named in the family involvement log" in response.content.decode()
    assert Person.objects.filter(pk=world.person.pk).exists()


def test_reading_the_log_is_recorded_and_shows_the_contact(world: World, client: Client):
    family_contact_add(
        actor=world.chair, review=world.review, person=world.person,
        details=_details(world, what_they_said="<p>Nobody listened.</p>"),
    )  # fmt: skip
    client.force_login(world.panel)
    response = client.get(reverse("reviews:family_log", args=[world.review.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody listened." in page and "Susan Marsh" in page
    assert "Record a contact" not in page  # a panel member reads it
    assert AuditEntry.objects.filter(actor=world.panel, action="family_log.viewed", review=world.review).exists()


def test_the_form_says_which_field_is_wrong(world: World, client: Client):
    client.force_login(world.chair)
    url = reverse("reviews:family_contact_create", args=[world.review.pk])
    response = client.post(url, {"contact_date": "2024-02-01", "method": "meeting", "contacted_by": world.chair.pk})
    assert response.status_code == 400
    assert "Choose someone from the person register, or add them below." in response.content.decode()
    assert not FamilyContact.objects.exists()
