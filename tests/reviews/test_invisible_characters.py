"""Invisible characters are never stored: a name typed or imported with a soft hyphen, a
zero-width space or joiner, a word joiner or a bidi override inside it (pasted from Word, from
an email, or put there to slip past the publication check) is stored without them, in NFC, in
every plain-text field people type or import, and in section text."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from actions import services as actions
from chronology.forms import EntryForm
from chronology.importers import parse_chronology_file
from chronology.integrated.services import episode_add
from reports import document_services, glossary_services, richtext
from reports import services as reports
from reports.models import Document
from reviews import review_services
from reviews import services as reviews
from reviews.models import Person

pytestmark = pytest.mark.django_db

# Soft hyphen, zero-width joiner, right-to-left override, word joiner, zero-width space; and a
# decomposed "e" with a diaeresis.
TYPED = "Pe\u00adter Gri\u200dmes \u202eand Zoe\u0308 O\u2060Bri\u200ben"
STORED = "Peter Grimes and Zoë OBrien"
INVISIBLE = ("\u00ad", "\u200d", "\u202e", "\u2060", "\u200b", "\u0308")


def assert_clean(value: str) -> None:
    assert STORED in value
    assert not any(character in value for character in INVISIBLE)


def test_a_reviews_case_name_terms_of_reference_and_key_lines(world):
    review = review_services.review_create(
        actor=world.chair, partnership=world.review.partnership, reference="NDHR-02", review_type="dhr",
        case_name=TYPED, scope_start=datetime.date(2020, 1, 1), scope_end=datetime.date(2021, 1, 1),
        terms_of_reference=f"Look at {TYPED}.", key_lines=[f"What did agencies know of {TYPED}?"],
    )  # fmt: skip
    review.refresh_from_db()
    assert_clean(review.case_name)
    assert_clean(review.terms_of_reference)
    assert_clean(review.key_lines.get().text)

    review_services.review_update(actor=world.chair, review=review, case_name=f"Case of {TYPED}", key_lines=[TYPED])
    review.refresh_from_db()
    assert_clean(review.case_name)
    assert_clean(review.key_lines.get().text)


def test_the_person_registers_name_aliases_and_designation(world):
    person = reviews.person_add(
        actor=world.chair, review=world.review, real_name=TYPED, aliases=[f"Pe\u00adte {TYPED}"],
        designation="Adult\u200b B",
    )  # fmt: skip
    person.refresh_from_db()
    assert_clean(person.real_name)
    assert_clean(person.aliases[0])
    assert person.designation == "Adult B"

    reviews.person_update(
        actor=world.chair, person=person, real_name=f"{TYPED} Jnr", aliases=[], designation="Adult\u2060 C",
        date_of_birth=None, relationship=Person.Relationship.VICTIM,
    )  # fmt: skip
    person.refresh_from_db()
    assert_clean(person.real_name)
    assert person.designation == "Adult C"


def test_recommendations_actions_milestones_and_progress(world):
    recommendation = actions.recommendation_create(
        actor=world.chair, review=world.review,
        data=actions.RecommendationData(text=TYPED, agencies=[world.agency_a], expected_outcome=TYPED),
    )  # fmt: skip
    action = actions.action_create(
        actor=world.chair, recommendation=recommendation, text=TYPED, lead_agency=world.agency_a,
        target_date=datetime.date(2027, 1, 1), milestones=[(TYPED, None)],
    )  # fmt: skip
    milestone = actions.milestone_add(actor=world.chair, action=action, text=TYPED, due_date=None)
    update = actions.progress_add(actor=world.chair, action=action, text=TYPED, status="complete", outcome=TYPED,
                                  today=datetime.date(2026, 12, 1))  # fmt: skip
    recommendation.refresh_from_db()
    action.refresh_from_db()
    for value in (recommendation.text, recommendation.expected_outcome, action.text, action.outcome, milestone.text,
                  update.text, *action.milestones.values_list("text", flat=True)):  # fmt: skip
        assert_clean(value)

    actions.action_update(actor=world.chair, action=action, text=f"Again {TYPED}", today=datetime.date(2026, 12, 1))
    action.refresh_from_db()
    assert_clean(action.text)


def test_glossary_terms_typed_and_imported(world):
    term = glossary_services.glossary_term_save(
        review=world.review, abbreviation="P\u200bG", expansion=TYPED, actor=world.chair
    )
    assert (term.abbreviation, term.expansion) == ("PG", STORED)

    glossary_services.glossary_terms_import(review=world.review, text=f"Z\u00adB: {TYPED}", actor=world.chair)
    term = world.review.glossary_terms.get(abbreviation="ZB")
    assert_clean(term.expansion)


def test_section_titles_and_section_text(world):
    document = document_services.document_create(review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair)
    section = reports.section_add(document=document, title=TYPED, actor=world.chair)
    assert_clean(section.title)
    section = reports.section_rename(section=section, title=f"About {TYPED}", actor=world.chair)
    assert_clean(section.title)

    # Typed, and written as HTML entities that the sanitiser would otherwise turn into the characters.
    body = richtext.sanitise(f"<p>{TYPED}</p><p>Pe&shy;ter Gri&#8205;mes and Zoe&#x308; O&#8288;Bri&#x200b;en</p>")
    assert body == f"<p>{STORED}</p><p>{STORED}</p>"


def test_chronology_entries_typed_in_the_browser(world):
    form = EntryForm(data={"date": "03/05/2011", "people": f"{TYPED}; Jade\u00ad Marsh", "details": TYPED,
                           "outcome": TYPED, "comment": TYPED, "event": TYPED, "source": TYPED})  # fmt: skip
    assert form.is_valid(), form.errors
    row = form.parsed_row
    for value in (row.details, row.outcome, row.comment, row.event, row.source, row.people[0]):
        assert_clean(value)
    assert row.people[1] == "Jade Marsh"


def test_chronology_entries_imported_from_csv_and_xlsx(world):
    header = ["Date", "Person(s)", "Source", "Event", "Details", "Action / Outcome", "Comment"]
    cells = ["03/05/2011", TYPED, TYPED, TYPED, TYPED, TYPED, TYPED]
    csv_file = (",".join(header) + "\n" + ",".join(cells) + "\n").encode()
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(cells)
    xlsx_file = io.BytesIO()
    workbook.save(xlsx_file)

    for data in (csv_file, xlsx_file.getvalue()):
        [row] = parse_chronology_file(data).rows
        for value in (row.details, row.outcome, row.comment, row.event, row.source, *row.people):
            assert_clean(value)


def test_key_episode_titles(world):
    episode = episode_add(actor=world.chair, review=world.review, title=TYPED, start=datetime.date(2011, 1, 1),
                          end=datetime.date(2011, 2, 1))  # fmt: skip
    assert_clean(episode.title)
