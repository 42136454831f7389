"""Names stay on one line: a line break or a control character in an agency's, a person's, a
review's or a section's name is refused with a message naming the field, nothing saved; a name
that holds one anyway (saved before) still gives an email with a one-line subject."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reports import document_services
from reports import services as report_services
from reviews import review_services, services
from reviews.models import Agency, Imr, Notification, Person, Review
from tests.conftest import World

BROKEN = ["Northshire\nPolice", "Northshire\r\nBcc: someone@example.org", "Northshire\u2028Police"]


@pytest.mark.parametrize("name", BROKEN)
def test_an_agency_name_with_a_line_break_is_refused_on_the_directory_form(client: Client, world: World, name: str):
    client.force_login(world.board_admin)
    response = client.post(
        reverse("reviews:partnership_detail", args=[world.review.partnership_id]), {"name": name, "kind": "police"}
    )
    assert response.status_code == 200
    assert "The agency&#x27;s name has a line break in it: write it on one line." in response.content.decode()
    assert not Agency.objects.filter(name__startswith="Northshire\n").exists()
    assert Agency.objects.filter(partnership=world.review.partnership).count() == 2


def test_a_new_agency_named_with_a_line_break_when_requesting_an_imr_is_refused(client: Client, world: World):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:imr_request", args=[world.review.pk]),
        {"new_agency_name": "Housing\nTrust", "new_agency_kind": "housing", "due_date": "2027-01-31"},
    )
    assert response.status_code == 200
    assert "The agency&#x27;s name has a line break in it" in response.content.decode()
    assert Imr.objects.filter(review=world.review).count() == 2


def test_the_agency_service_refuses_a_control_character_naming_it(world: World):
    with pytest.raises(ValidationError) as refused:
        services.agency_create(actor=world.board_admin, partnership=world.review.partnership, name="Police\x07")
    assert refused.value.message_dict == {
        "name": ["The agency's name has a control character (U+0007) in it: type it again without it."]
    }


def test_a_persons_name_with_a_line_break_is_refused_naming_the_field(client: Client, world: World):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:person_create", args=[world.review.pk]),
        {"real_name": "Paul\nMarsh", "designation": "the brother", "relationship": "family_member"},
    )
    assert response.status_code == 200
    assert "The real name has a line break in it: write it on one line." in response.content.decode()
    assert not Person.objects.filter(review=world.review, designation="the brother").exists()
    with pytest.raises(ValidationError, match="The designation has a control character"):
        services.person_update(
            actor=world.chair, person=world.person, real_name=world.person.real_name, designation="Mrs\x1bM",
            aliases=[], date_of_birth=None, relationship=world.person.relationship,
        )  # fmt: skip


def test_a_review_reference_with_a_line_break_is_refused(world: World):
    with pytest.raises(ValidationError) as refused:
        review_services.review_update(actor=world.chair, review=world.review, reference="NDHR\n01")
    assert "The reference has a line break in it" in refused.value.message_dict["reference"][0]
    assert Review.objects.get(pk=world.review.pk).reference == "NDHR-01"


def test_a_section_title_with_a_control_character_is_refused(world: World):
    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    section = document.sections.first()
    with pytest.raises(ValidationError, match="The section title has a control character"):
        report_services.section_rename(section=section, title="Intro\x00duction\x08", actor=world.chair)


def test_a_name_typed_with_a_line_break_when_accepting_an_invitation_is_refused(client: Client, world: World):
    from tests.test_permission_matrix import invitation_accept_data, invitation_args

    (token,) = invitation_args(world)
    response = client.post(
        reverse("invitation_accept", args=[token]), {**invitation_accept_data(world), "last_name": "Invited\nX"}
    )
    assert response.status_code == 200
    assert "Your last name has a line break in it" in response.content.decode()


def test_an_agency_name_saved_with_a_line_break_before_still_gets_its_email_out(
    world: World, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    agency = Agency.objects.create(partnership=world.review.partnership, name="Old\nHousing", kind="housing")
    services.membership_add(
        actor=world.chair, review=world.review, user=world.outsider, role="imr_author", agency=agency, notify=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.imr_request(actor=world.chair, review=world.review, agency=agency, due_date=None)
    notification = Notification.objects.get(recipient=world.outsider)
    assert notification.subject == "NDHR-01: an IMR is requested from Old Housing"
    assert [message.subject for message in mail.outbox] == ["casereview: NDHR-01: an IMR is requested from Old Housing"]
