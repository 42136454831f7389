"""Entry references by fingerprint: they keep pointing at the same entry when an agency's
chronology is imported again, old references by id still resolve, the editor's chips have
labels ("#72 · agency · date"), and the migrations turn suggestions and id references into the
new forms."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from chronology.models import ChronologyEntry, IntegratedChronology, IntegratedEntry
from reports import citations, document_services, glossary_services, richtext, selectors, services
from reports.compose import document_compose
from reports.models import Section
from tests.conftest import World
from tests.factories import EntryFactory


def _save(section: Section, world: World, body: str) -> Section:
    section.refresh_from_db()
    return services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)


def _footnotes(section: Section) -> list[str]:
    return [note.text for note in document_compose(section.document).footnotes]


def _reimport(entry: ChronologyEntry) -> ChronologyEntry:
    """The agency's chronology imported again: the same entry under a new id."""
    fields = {f.attname: getattr(entry, f.attname) for f in ChronologyEntry._meta.fields if f.name != "id"}
    entry.delete()
    return ChronologyEntry.objects.create(**fields)


def test_an_entry_cited_by_fingerprint_is_found_again_after_a_new_import(section: Section, world: World):
    key = citations.entry_key(world.entry_b)
    _save(section, world, f"<p>Seen [[entry:{key}]].</p>")
    assert _footnotes(section) == [
        f"Chronology, {world.agency_b.name}, 1 May 2021: Home visit. {world.entry_b.details}"
    ]
    again = _reimport(world.entry_b)
    assert again.pk != world.entry_b.pk and citations.entry_key(again) == key
    assert len(_footnotes(section)) == 1 and not document_compose(section.document).unresolved_references


def test_an_old_reference_by_id_still_resolves_and_both_forms_make_one_footnote(section: Section, world: World):
    key = citations.entry_key(world.entry_b)
    _save(section, world, f"<p>Seen [[entry:{world.entry_b.pk}]] and [[entry:{key}]].</p>")
    composed = document_compose(section.document)
    assert len(composed.footnotes) == 1 and not composed.unresolved_references
    assert composed.sections[0].blocks[0].html.count('href="#fn-1"') == 2


def test_a_fingerprint_of_no_citable_entry_is_not_found(section: Section, world: World):
    _save(section, world, f"<p>Seen [[entry:{citations.entry_key(world.entry_a)}]] and [[entry:{'0' * 32}]].</p>")
    assert len(document_compose(section.document).unresolved_references) == 2  # a draft IMR's entry; nothing


def _integrated(world: World, entry: ChronologyEntry, seq: int, *, source_id: int | None = None) -> None:
    chronology = IntegratedChronology.objects.create(
        review=world.review, version=1, status=IntegratedChronology.Status.READY
    )
    IntegratedEntry.objects.create(
        chronology=chronology, seq=seq, source_id=source_id or entry.pk, agency_id=entry.imr.agency_id,
        agency_name=entry.imr.agency.name, position=entry.position, date_start=entry.date_start,
        date_end=entry.date_end, precision=entry.precision, date_display=entry.date_display, details=entry.details,
    )  # fmt: skip


def test_the_editor_has_a_label_for_each_reference_it_cites(section: Section, world: World):
    glossary_services.glossary_term_save(
        review=world.review, abbreviation="DASH", expansion="Domestic Abuse, Stalking and Honour Based Violence",
        actor=world.chair,
    )  # fmt: skip
    key = citations.entry_key(world.entry_b)
    body = (
        f"<p>[[entry:{key}]] [[entry:{world.entry_b.pk}]] [[imr:{world.imr_b.pk}]] [[term:DASH]] "
        f"[[term:NOPE]] [[entry:{'0' * 32}]]</p>"
    )
    agency = world.agency_b.name
    assert selectors.reference_labels(world.review, body) == {
        f"entry:{key}": f"{agency} · 1 May 2021",  # no integrated chronology yet: no number
        f"entry:{world.entry_b.pk}": f"{agency} · 1 May 2021",
        f"imr:{world.imr_b.pk}": f"IMR: {agency}",
        "term:DASH": "DASH — Domestic Abuse, Stalking and Honour Based Violence",
    }
    _integrated(world, world.entry_b, 72)
    assert selectors.reference_labels(world.review, body)[f"entry:{key}"] == f"#72 · {agency} · 1 May 2021"


def test_an_entry_imported_again_since_the_build_keeps_its_number(section: Section, world: World):
    _integrated(world, world.entry_b, 9)
    again = _reimport(world.entry_b)
    labels = selectors.reference_labels(world.review, f"<p>[[entry:{citations.entry_key(again)}]]</p>")
    assert list(labels.values()) == [f"#9 · {world.agency_b.name} · 1 May 2021"]


def test_the_reference_search_offers_each_citation_with_its_label(client: Client, world: World):
    _integrated(world, world.entry_b, 72)
    client.force_login(world.chair)
    page = client.get(reverse("reports:reference_search", args=[world.review.pk]), {"q": "Visit"}).content.decode()
    key = citations.entry_key(world.entry_b)
    assert f'data-cite="[[entry:{key}]]" data-label="#72 · {world.agency_b.name} · 1 May 2021"' in page.replace(
        "&#x27;", "'"
    )


# --- the migrations ---


def _migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_migrations_make_suggestions_tracked_changes_and_references_fingerprints(world: World):
    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    section = document.sections.get(position=1)
    entry = EntryFactory(imr=world.imr_b, details="A strategy meeting.")
    body = f'<p>One <span class="redaction">Acacia Avenue</span> [[entry:{entry.pk}]].</p><p>Two.</p>'
    services.section_save(section_id=section.pk, body=body, base_version=0, actor=world.chair)
    old = _migrate([("reports", "0005_comment_anchor")])
    created = datetime.datetime(2026, 5, 1, 9, 30, tzinfo=datetime.UTC)
    Suggestion = old.get_model("reports", "Suggestion")
    suggestion = Suggestion.objects.create(
        section_id=section.pk, author_id=world.panel.pk, original=body.split("</p>")[0] + "</p>",
        proposed="<p>One at Acacia Avenue.</p><p>And more.</p>", reason="Clearer.",
    )  # fmt: skip
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=created)
    Suggestion.objects.create(section_id=section.pk, author_id=world.panel.pk, original="<p>Two.</p>",
                              proposed="<p>2.</p>", status="rejected")  # fmt: skip
    try:
        _migrate([("reports", "0007_entry_references_by_fingerprint")])
    finally:
        _migrate(executor_leaf())
    section.refresh_from_db()
    change = f'data-change="suggestion-{suggestion.pk}" data-author="{world.panel.pk}" data-time="2026-05-01T09:30:00Z"'
    key = citations.entry_key(entry)
    assert section.body == (
        f'<p><del {change}>One </del><span class="redaction"><del {change}>Acacia Avenue</del></span>'
        f"<del {change}> [[entry:{key}]].</del></p>"
        f'<p {change}><ins {change}>One at </ins><span class="redaction"><ins {change}>Acacia Avenue</ins></span>'
        f"<ins {change}>.</ins></p><p {change}><ins {change}>And more.</ins></p><p>Two.</p>"
    )
    assert section.version == 2 and section.revisions.first().note == "1 suggested edit made tracked changes"
    assert section.comments.get().text == "Clearer."
    assert richtext.sanitise(section.body) == section.body
    assert richtext.accepted(section.body) == body.replace(f"[[entry:{entry.pk}]]", f"[[entry:{key}]]")


def executor_leaf() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_a_file_citing_an_entry_by_fingerprint_is_superseded_when_the_entry_changes(section: Section, world: World):
    from reports.render import document_fingerprint

    _save(section, world, f"<p>Seen [[entry:{citations.entry_key(world.entry_b)}]].</p>")
    made = document_fingerprint(section.document, fmt="pdf", publication=False)[0]
    assert document_fingerprint(section.document, fmt="pdf", publication=False)[0] == made
    ChronologyEntry.objects.filter(pk=world.entry_b.pk).update(event="Telephone call")  # what the footnote prints
    assert document_fingerprint(section.document, fmt="pdf", publication=False)[0] != made
