"""The person register helps the chair: a designation that holds part of the person's own name
is refused; a name or alias that is also ordinary English is registered with a warning; the
register page shows which forenames and surnames the publication check looks for."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reviews import services
from reviews.models import Person

pytestmark = pytest.mark.django_db


def test_a_designation_holding_part_of_the_persons_own_name_is_refused_naming_the_part(world):
    with pytest.raises(ValidationError) as refused:
        services.person_add(actor=world.chair, review=world.review, real_name="Peter Grimes", designation="Mr Grimes")

    [message] = refused.value.message_dict["designation"]
    assert message.startswith("The designation “Mr Grimes” contains “Grimes”, part of the person's own name")
    assert not Person.objects.filter(real_name="Peter Grimes").exists()


def test_the_same_designation_is_refused_on_an_edit_and_however_it_is_written(world):
    person = services.person_add(actor=world.chair, review=world.review, real_name="Zoë O'Brien", designation="Ms Z")

    for designation in ("Ms O’Brien", "ZOE's sister", "Mrs OBrien"):
        with pytest.raises(ValidationError, match="part of the person"):
            services.person_update(
                actor=world.chair, person=person, real_name="Zoë O'Brien", designation=designation, aliases=[],
                date_of_birth=None, relationship=Person.Relationship.VICTIM,
            )  # fmt: skip
    person.refresh_from_db()
    assert person.designation == "Ms Z"


def test_a_designation_by_initial_or_role_is_accepted(world):
    for real_name, designation in (("Peter Grimes", "Mr G"), ("Will Hope", "the family's friend")):
        person = services.person_add(actor=world.chair, review=world.review, real_name=real_name,
                                     designation=designation)  # fmt: skip
        assert person.designation == designation


def test_the_register_form_shows_the_refusal_beside_the_designation(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:person_create", args=[world.review.pk]),
        {"real_name": "Peter Grimes", "designation": "Mr Grimes", "relationship": "victim"},
    )
    assert response.status_code == 200
    assert "contains “Grimes”, part of the person&#x27;s own name" in response.content.decode()


def test_the_command_refuses_such_a_designation_on_one_line(world):
    with pytest.raises(CommandError, match="The designation “Mr Grimes” contains “Grimes”") as refused:
        call_command("add_person", "NDHR-01", "Peter Grimes", "--designation", "Mr Grimes")
    assert "\n" not in str(refused.value)


def test_a_name_that_is_also_english_is_added_with_a_warning_on_stderr_and_success(world):
    out, err = io.StringIO(), io.StringIO()

    call_command("add_person", "NDHR-01", "Will Hope", "--designation", "the perpetrator", "--alias", "Stone",
                 "--alias", "Danny", stdout=out, stderr=err)  # fmt: skip

    assert out.getvalue() == "Added the perpetrator to the person register of NDHR-01\n"
    warnings = err.getvalue().splitlines()
    assert warnings == [
        "Warning: In the name “Will Hope”, “Will” and “Hope” are also ordinary English words: publication checks find "
        "only capitalised uses, and never replace such a word on its own, so read each finding (or say below that "
        "it always means this person).",
        "Warning: In the alias “Stone”, “Stone” is also an ordinary English word: publication checks find only "
        "capitalised uses, and never replace such a word on its own, so read each finding (or say below that it "
        "always means this person).",
    ]
    assert Person.objects.filter(review=world.review, designation="the perpetrator").exists()


def test_a_name_that_is_not_english_adds_without_a_warning(world):
    err = io.StringIO()
    call_command("add_person", "NDHR-01", "Kian Rafiq", "--designation", "Child 2", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_the_register_page_warns_after_saving_a_name_that_is_also_english(client, world):
    client.force_login(world.chair)
    response = client.post(
        reverse("reviews:person_create", args=[world.review.pk]),
        {"real_name": "Will Hope", "designation": "the perpetrator", "relationship": "perpetrator"},
        follow=True,
    )
    page = response.content.decode()
    assert "the perpetrator added to the person register." in page
    assert "In the name “Will Hope”, “Will” and “Hope” are also ordinary English words" in page


def test_the_register_page_shows_each_forename_and_surname_checked_and_which_are_english(client, world):
    services.person_add(actor=world.chair, review=world.review, real_name="Mary-Jane Rafiq", designation="Adult B")
    client.force_login(world.chair)

    page = client.get(reverse("reviews:person_list", args=[world.review.pk])).content.decode()

    row = re.search(r"<th scope=\"row\">Adult B</th>.*?</tr>", page, re.S).group()
    checked = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    assert "Rafiq (surname)" in checked
    assert "Mary-Jane (forename; also an English word: capitalised uses only)" in checked
    assert "Mary (forename; also an English word: capitalised uses only)" in checked
    assert "Jane (forename; also an English word: capitalised uses only)" in checked
    # The world's Susan Marsh: "marsh" is a word, so only "Marsh" is found.
    assert "Marsh (surname; also an English word: capitalised uses only)" in " ".join(
        re.sub(r"<[^>]+>", " ", page).split()
    )


def test_an_english_alias_confirmed_as_always_this_person_is_kept_and_no_longer_warned_about(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("add_person", "NDHR-01", "Jade Rafiq", "--designation", "the victim", "--alias", "Jade",
                 "--always", "Jade", stdout=out, stderr=err)  # fmt: skip
    person = Person.objects.get(review=world.review, designation="the victim")
    assert person.confirmed_names == ["Jade"]
    assert "alias “Jade”" not in err.getvalue()


def test_only_the_persons_own_names_can_be_confirmed_as_always_meaning_them(world):
    with pytest.raises(ValidationError) as refused:
        services.person_add(
            actor=world.chair, review=world.review, real_name="Jade Rafiq", designation="the victim",
            aliases=["Jade"], confirmed_names=["Hope"],
        )  # fmt: skip
    assert refused.value.message_dict["confirmed_names"] == [
        "“Hope” is not the person's name, an alias or part of the name: only those can be confirmed as always "
        "meaning this person."
    ]
    assert not Person.objects.filter(real_name="Jade Rafiq").exists()
