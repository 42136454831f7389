"""The integrated chronology's search matches the text as the page shows it: designations when
designations are shown (a real name finds nothing), real names when real names are shown, the
chair's redactions applied, the register's later changes followed; accents and case folded."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from chronology.integrated.rows import entry_fingerprint
from chronology.integrated.search import fold
from chronology.integrated.selectors import entries_filtered, entry_texts, publication_check
from chronology.integrated.timeline import timelines_redraw
from chronology.models import ChronologyEntry, IntegratedChronology
from reviews import publication_services
from reviews.models import PublicationDecision
from reviews.publication import text_hash
from tests.chronology.integrated_world import build

pytestmark = pytest.mark.django_db


def matches(chronology, q: str, names: str = "designations") -> list[int]:
    return list(entries_filtered(chronology, {"q": q, "names": names}).values_list("seq", flat=True))


def test_with_designations_shown_the_search_finds_designations_and_not_real_names(review):
    chronology = build(review)
    naming_jade = [e.seq for e in chronology.entries.order_by("seq") if "Jade Marsh" in e.people]
    assert len(naming_jade) == 6
    assert matches(chronology, "the victim") == naming_jade
    # "Danny's social worker", "Jade Marsh; Danny" and "Daniel Rafiq".
    assert len(matches(chronology, "perpetrator")) == 3
    for real in ("Jade", "Marsh", "jadey", "Danny", "Rafiq"):
        assert matches(chronology, real) == [], real
    # Words that are not names are found alike, and the agency's name and date as shown.
    assert len(matches(chronology, "core group")) == 3
    assert len(matches(chronology, "Northshire Police")) == 3


def test_with_real_names_shown_the_search_finds_real_names_only(review):
    chronology = build(review)
    assert len(matches(chronology, "Jade Marsh", names="real")) == 6
    assert len(matches(chronology, "Jadey", names="real")) == 1
    assert matches(chronology, "the victim", names="real") == []


def test_accents_and_case_are_folded_on_both_sides(review):
    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(
        details="Visited Jadey at the Café Zoë, rue Hélène."
    )
    chronology = build(review)
    home_visit = chronology.entries.get(event="Home visit").seq
    for names in ("designations", "real"):
        for q in ("cafe", "CAFÉ", "café zoe", "helene", "HÉLÈNE", "Zoë"):
            assert matches(chronology, q, names=names) == [home_visit], (q, names)
    assert matches(chronology, "the victim cafe") == [home_visit]
    assert matches(chronology, "jadey cafe") == []
    assert matches(chronology, "jadey cafe", names="real") == [home_visit]


def test_a_field_the_chair_redacted_is_not_searched_with_designations_shown(review, world):
    entry = ChronologyEntry.objects.get(imr__review=review, event="Home visit")
    fingerprint = entry_fingerprint(entry.imr.agency_id, entry.date_start, entry.date_end, entry.precision,
                                    entry.details)  # fmt: skip
    PublicationDecision.objects.create(
        review=review, kind="redact", scope=f"entry:{fingerprint}:details", text_hash=text_hash(entry.details),
        reason="Where she stayed", decided_by=world.chair,
    )  # fmt: skip
    chronology = build(review)
    seq = chronology.entries.get(event="Home visit").seq
    assert matches(chronology, "hostel") == []
    assert matches(chronology, "redacted") == [seq]
    assert matches(chronology, "hostel", names="real") == [seq]


def test_the_shown_text_follows_the_register_when_the_timeline_is_drawn_again(review):
    chronology = build(review)
    assert matches(chronology, "Adult A") == []
    review.people.filter(designation="the victim").update(designation="Adult A")
    IntegratedChronology.objects.filter(pk=chronology.pk).update(timeline_wanted_at=timezone.now())
    assert timelines_redraw(review.pk) == 1
    assert len(matches(chronology, "Adult")) == 6
    assert matches(chronology, "victim") == []
    assert matches(chronology, "Jade") == []


def test_the_searched_text_is_the_text_the_page_shows(review):
    ChronologyEntry.objects.filter(imr__review=review, event="Arrest").update(comment="Jade Marsh's partner then.")
    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited Zoë at the café.")
    chronology = build(review)
    shown = entry_texts(chronology, "designations")
    if connection.vendor == "postgresql":
        # The vector searched with designations shown holds the words of the text as shown.
        searched = "array_to_string(tsvector_to_array(COALESCE(shown_vector, search_vector)), ' ')"
    else:
        searched = "COALESCE(search_shown, search_text)"
    stored = dict(chronology.entries.extra(select={"searched": searched}).values_list("seq", "searched"))
    for entry in chronology.entries.order_by("seq"):
        page = shown(entry)
        on_page = fold(" ".join((entry.date_display, entry.agency_name, *page.people, page.event, page.details,
                                 page.outcome, page.comment)))  # fmt: skip
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [on_page])
                words = set(cursor.fetchone()[0])
            assert set(stored[entry.seq].split()) == words, entry.seq
        else:
            assert sorted(re.findall(r"\w+", stored[entry.seq])) == sorted(re.findall(r"\w+", on_page)), entry.seq


def test_the_page_searches_as_it_shows(client, review, world):
    build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    assert "6 entries match" in client.get(url, {"q": "the victim"}).content.decode()
    assert "No entries match" in client.get(url, {"q": "Jade"}).content.decode()
    assert "6 entries match" in client.get(url, {"q": "jade", "names": "real"}).content.decode()


def test_a_redaction_the_chair_makes_after_the_build_is_followed(client, review, world):
    # A forename alone is found, not replaced: the chair redacts the field it is in.
    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited Jade at the hostel.")
    chronology = build(review)
    seq = chronology.entries.get(event="Home visit").seq
    assert matches(chronology, "hostel") == [seq]
    finding = next(f for f in publication_check(chronology).blocking if f.where.label.endswith("details"))
    client.force_login(world.chair)
    url = reverse("chronology:publication_decide", args=[review.pk, chronology.version])
    client.post(url, {"decision": "redact", "key": finding.key, "reason": "Where she stayed"})
    chronology.refresh_from_db()
    assert chronology.timeline_wanted_at is not None  # the redraw, which writes the shown text again
    timelines_redraw(review.pk)
    assert matches(chronology, "hostel") == [] and matches(chronology, "redacted") == [seq]
    assert matches(chronology, "hostel", names="real") == [seq]


def test_a_decision_made_anywhere_is_followed(review, world):
    # The same redaction made from a document's publication preview, or withdrawn there: the
    # service asks for the redraw, whichever page called it.
    ChronologyEntry.objects.filter(imr__review=review, event="Home visit").update(details="Visited Jade at the hostel.")
    chronology = build(review)
    finding = next(f for f in publication_check(chronology).blocking if f.where.label.endswith("details"))
    decision = publication_services.publication_redact_entry_field(
        review=review, finding=finding, reason="Where she stayed", actor=world.chair
    )
    chronology.refresh_from_db()
    assert chronology.timeline_wanted_at is not None
    timelines_redraw(review.pk)
    assert matches(chronology, "hostel") == []
    IntegratedChronology.objects.filter(pk=chronology.pk).update(timeline_wanted_at=None)
    assert publication_services.publication_decision_withdraw(decision=decision, actor=world.chair)
    chronology.refresh_from_db()
    assert chronology.timeline_wanted_at is not None
    timelines_redraw(review.pk)
    assert matches(chronology, "hostel") == [chronology.entries.get(event="Home visit").seq]
