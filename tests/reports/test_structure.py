"""A document's structure as composed (reports.compose, reports.compose_structure): numbered
sub-headings sharing the level counters with per-section paragraphs (or beside continuous
paragraph numbers), paragraph styles, empty sections (left out of a publication version or
refusing publication, the chair's choice), the glossary of the terms used, first-use expansion,
footnote marks without a space before them and tables without their empty columns."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Recommendation
from reports import document_services, render_service
from reports.compose import document_compose
from reports.compose_structure import without_empty_columns
from reports.models import Document, GlossaryTerm
from reviews.models import AuditEntry, Imr
from tests.conftest import World
from tests.reports.render_fixtures import make_document

pytestmark = pytest.mark.django_db

STRUCTURED = (
    "<p>Before any heading.</p><p>Second.</p>"
    "<h2>Key episodes</h2><p>Under key episodes.</p><p>And again.</p>"
    "<h3>The first episode</h3><p>In the first episode.</p>"
    "<h4>A detail</h4><p>In the detail.</p>"
    "<h3>The second episode</h3><p>In the second episode.</p>"
    "<h2>Summary</h2><p>Summing up.</p>"
)


def _numbers(document: Document, *, publication: bool = False) -> list[list[tuple[str, str, int]]]:
    composed = document_compose(document, publication=publication)
    return [[(block.text, block.number, block.level) for block in s.blocks] for s in composed.sections]


def test_per_section_headings_and_paragraphs_share_the_counter_of_their_level(world: World):
    document = make_document(world, sections=[("Introduction", "<p>One.</p>"), ("The facts", STRUCTURED)])
    assert _numbers(document)[1] == [
        ("Before any heading.", "2.1", 0),
        ("Second.", "2.2", 0),
        ("Key episodes", "2.3", 2),
        ("Under key episodes.", "2.3.1", 0),
        ("And again.", "2.3.2", 0),
        ("The first episode", "2.3.3", 3),
        ("In the first episode.", "2.3.3.1", 0),
        ("A detail", "2.3.3.2", 4),
        ("In the detail.", "2.3.3.2.1", 0),
        ("The second episode", "2.3.4", 3),
        ("In the second episode.", "2.3.4.1", 0),
        ("Summary", "2.4", 2),
        ("Summing up.", "2.4.1", 0),
    ]


def test_continuous_paragraphs_run_on_and_headings_keep_their_section_numbers(world: World):
    document = make_document(
        world,
        sections=[("Introduction", "<p>One.</p><p>Two.</p>"), ("The facts", STRUCTURED)],
        numbering=Document.Numbering.CONTINUOUS,
    )
    first, second = _numbers(document)
    assert [number for _text, number, _level in first] == ["1", "2"]
    assert [(number, level) for _text, number, level in second] == [
        ("3", 0), ("4", 0), ("2.1", 2), ("5", 0), ("6", 0), ("2.1.1", 3), ("7", 0), ("2.1.1.1", 4), ("8", 0),
        ("2.1.2", 3), ("9", 0), ("2.2", 2), ("10", 0),
    ]  # fmt: skip


def test_a_heading_never_skips_a_level_and_an_empty_heading_has_no_number(world: World):
    document = make_document(world, sections=[("Facts", "<h4>Straight down</h4><p>Text.</p><h2> </h2><p>More.</p>")])
    assert _numbers(document)[0] == [
        ("Straight down", "1.1", 2), ("Text.", "1.1.1", 0), ("", "", 0), ("More.", "1.1.2", 0),
    ]  # fmt: skip
    assert [block.heading_html for block in document_compose(document).sections[0].blocks if block.tag == "h2"] == [""]


def test_headings_of_one_tag_under_a_section_title_are_siblings_whatever_their_tag(world: World):
    body = "<p>Intro.</p><h3>First episode</h3><p>One.</p><h3>Second episode</h3><p>Two.</p><h4>Detail</h4><p>D.</p>"
    document = make_document(world, sections=[("Chronology", body)])
    assert [(text, number, level) for text, number, level in _numbers(document)[0] if level] == [
        ("First episode", "1.2", 2), ("Second episode", "1.3", 2), ("Detail", "1.3.2", 3),
    ]  # fmt: skip


def test_a_heading_prints_its_number_one_tag_below_a_section_title(world: World):
    document = make_document(world, sections=[("Facts", STRUCTURED)])
    blocks = document_compose(document).sections[0].blocks
    key = next(block for block in blocks if block.text == "Key episodes")
    assert key.heading_html == (
        '<h3 id="heading-1-3" class="sub-heading level-2"><span class="heading-number">1.3</span> Key episodes</h3>'
    )
    detail = next(block for block in blocks if block.text == "A detail")
    assert detail.heading_html.startswith('<h5 id="heading-1-3-3-2" class="sub-heading level-4">')
    assert [block.text for block in document_compose(document).sections[0].subheadings] == ["Key episodes", "Summary"]


def test_paragraph_styles_are_numbered_paragraphs_carrying_their_style(world: World):
    body = '<p data-style="finding">Not shared.</p><p data-style="learning-point">Check first.</p><p>Plain.</p>'
    blocks = document_compose(make_document(world, sections=[("Findings", body)])).sections[0].blocks
    assert [(block.number, block.style) for block in blocks] == [("1.1", "finding"), ("1.2", "learning-point"),
                                                                 ("1.3", "")]  # fmt: skip


def test_the_publication_check_names_headings_and_paragraphs_by_their_printed_numbers(world: World):
    """The world's register holds Susan Marsh: "Mr Marsh" is found, and said where."""
    body = (
        "<p>First.</p><h2>What Mr Marsh saw</h2><p>Under it.</p><p>Then Mr Marsh rang.</p>"
        "<ul><li>Mr Marsh again.</li></ul>"
    )
    document = make_document(world, sections=[("Introduction", "<p>One.</p>"), ("Facts", body)])
    run = document_compose(document, publication=True).run
    assert run is not None
    labels = [finding.where.label for finding in run.findings]
    assert any(label.endswith("section 2. Facts, heading 2.2") for label in labels), labels
    assert any(label.endswith("section 2. Facts, paragraph 2.2.2") for label in labels), labels
    assert any(label.endswith("section 2. Facts, ul after paragraph 2.2.2") for label in labels), labels


# --- Empty sections -------------------------------------------------------------------------------


def _with_empty(world: World, choice: str, status: str = Document.Status.DRAFT) -> Document:
    document = make_document(
        world,
        sections=[("Introduction", "<p>One.</p>"), ("Parallel reviews", "<p> </p>"),
                  ("Terms of reference", "<p>[[data:terms-of-reference]]</p>"), ("Analysis", "<p>Two.</p>")],
        status=status,
    )  # fmt: skip
    Document.objects.filter(pk=document.pk).update(empty_sections=choice)
    document.refresh_from_db()
    return document


def test_an_empty_section_is_left_out_of_the_publication_version_and_the_rest_renumbered(world: World):
    document = _with_empty(world, Document.EmptySections.OMIT)
    panel = document_compose(document)
    assert [(s.number, s.title, s.empty) for s in panel.sections] == [
        (1, "Introduction", False), (2, "Parallel reviews", True), (3, "Terms of reference", False),
        (4, "Analysis", False),
    ]  # fmt: skip
    published = document_compose(document, publication=True)
    assert [(s.number, s.title) for s in published.sections] == [
        (1, "Introduction"), (2, "Terms of reference"), (3, "Analysis"),
    ]  # fmt: skip
    assert published.sections[2].blocks[0].number == "3.1"
    assert [(s.number, s.title) for s in document_services.empty_sections(document)] == [(2, "Parallel reviews")]


def test_a_long_section_whose_only_words_are_a_suggestion_not_yet_accepted_is_empty(world: World):
    change = 'data-change="abcdefgh1" data-author="1" data-time="2026-01-01T00:00:00Z"'
    suggested = f"<p><ins {change}>{'Suggested words. ' * 40}</ins></p>"
    written = "<p>" + "Written words. " * 60 + "</p>"
    document = make_document(world, sections=[("Suggested", suggested), ("Written", written)])
    assert [s.title for s in document_services.empty_sections(document)] == ["Suggested"]
    assert [s.empty for s in document_compose(document).sections] == [True, False]


def test_a_recommendations_section_with_recommendations_is_not_empty(world: World):
    document = make_document(world, sections=[("Recommendations", "")])
    document.sections.update(kind="recommendations")
    assert [s.title for s in document_services.empty_sections(document)] == ["Recommendations"]
    Recommendation.objects.create(review=world.review, number=1, text="Share the history.")
    assert document_services.empty_sections(document) == []
    assert document_compose(document, publication=True).sections[0].recommendations


def test_block_refuses_approval_publication_and_a_publication_render_naming_the_section(world: World):
    document = _with_empty(world, Document.EmptySections.BLOCK, status=Document.Status.PANEL_REVIEW)
    with pytest.raises(ValidationError, match=r'no text yet: 2\. "Parallel reviews"'):
        document_services.document_status_change(
            document=document, to_status=Document.Status.APPROVED, actor=world.chair
        )
    with pytest.raises(ValidationError, match=r"rendered as a publication version: .*Parallel reviews"):
        render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=True)
    document.refresh_from_db()
    assert document.status == Document.Status.PANEL_REVIEW
    # The panel version is not refused: it shows the section headed, with a note.
    render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)
    Document.objects.filter(pk=document.pk).update(empty_sections=Document.EmptySections.OMIT)
    document.refresh_from_db()
    moved = document_services.document_status_change(
        document=document, to_status=Document.Status.APPROVED, actor=world.chair
    )
    assert moved.status == Document.Status.APPROVED


def test_the_chair_chooses_on_the_document_page_and_the_choice_is_audited(client, world: World):
    document = _with_empty(world, Document.EmptySections.OMIT)
    client.force_login(world.chair)
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert "no text yet" in page and "2. Parallel reviews" in page
    assert 'name="empty_sections" id="empty-sections-block" value="block"' in page
    url = reverse("reports:document_numbering", args=[world.review.pk, document.pk])
    response = client.post(url, {"numbering": document.numbering, "empty_sections": "block"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.empty_sections == Document.EmptySections.BLOCK
    assert AuditEntry.objects.filter(action="document.empty_sections_changed", object_id=str(document.pk)).exists()
    # Nonsense is refused with a message, and nothing is saved (not even a changed numbering).
    client.post(url, {"numbering": "continuous", "empty_sections": "maybe"})
    document.refresh_from_db()
    assert (document.numbering, document.empty_sections) == (Document.Numbering.PER_SECTION, "block")


def test_a_panel_member_cannot_choose(client, world: World):
    document = _with_empty(world, Document.EmptySections.OMIT)
    client.force_login(world.panel)
    url = reverse("reports:document_numbering", args=[world.review.pk, document.pk])
    assert client.post(url, {"numbering": document.numbering, "empty_sections": "block"}).status_code in (403, 404)
    document.refresh_from_db()
    assert document.empty_sections == Document.EmptySections.OMIT


# --- Glossary, first use, footnote marks ------------------------------------------------------------


def _terms(world: World) -> None:
    for abbreviation, expansion in [
        ("ICPC", "Initial child protection conference"),
        ("MARAC", "Multi-Agency Risk Assessment Conference"),
        ("GP", "General Practitioner"),
        ("CPS", "Crown Prosecution Service"),
    ]:
        GlossaryTerm.objects.create(review=world.review, abbreviation=abbreviation, expansion=expansion)


def test_the_glossary_lists_only_the_terms_the_document_uses(world: World):
    _terms(world)
    body = "<p>The [[term:MARAC]] met. Both GPs were told.</p><p>Not a CPSO, nor an ICPCX.</p>"
    composed = document_compose(make_document(world, sections=[("Introduction", body)]))
    assert [abbreviation for abbreviation, _expansion in composed.glossary] == ["GP", "MARAC"]


def test_a_term_is_spelt_out_where_first_used_and_abbreviated_after(world: World):
    _terms(world)
    body = (
        "<p>An initial child protection conference [[term:ICPC]] was held.</p>"
        "<p>The [[term:MARAC]] met; the [[term:MARAC]] met again.</p><p>A second [[term:ICPC]] followed.</p>"
    )
    texts = [b.text for b in document_compose(make_document(world, sections=[("Facts", body)])).sections[0].blocks]
    assert texts == [
        "An initial child protection conference (ICPC) was held.",
        "The Multi-Agency Risk Assessment Conference (MARAC) met; the MARAC met again.",
        "A second ICPC followed.",
    ]


def test_a_footnote_mark_follows_its_word_with_no_space(world: World):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)
    body = f"<p>The police attended [[entry:{world.entry_a.pk}]]. Twice <em>then</em> [[imr:{world.imr_a.pk}]]</p>"
    block = document_compose(make_document(world, sections=[("Facts", body)])).sections[0].blocks[0]
    assert 'attended<sup class="footnote-ref">' in block.html
    assert '</em><sup class="footnote-ref">' in block.html


# --- Tables -------------------------------------------------------------------------------------------


def test_a_table_column_with_nothing_in_its_body_rows_is_dropped():
    table = (
        "<table><thead><tr><th>Agency</th><th>Comment</th><th>Contacts</th></tr></thead>"
        "<tbody><tr><td>Police</td><td> </td><td>25</td></tr><tr><td>GP</td><td></td><td>12</td></tr></tbody></table>"
    )
    assert without_empty_columns(table) == (
        "<table><thead><tr><th>Agency</th><th>Contacts</th></tr></thead>"
        "<tbody><tr><td>Police</td><td>25</td></tr><tr><td>GP</td><td>12</td></tr></tbody></table>"
    )
    spanning = table.replace("<td>Police</td>", '<td colspan="2">Police</td>')
    assert without_empty_columns(spanning) == spanning


def test_the_recommendations_table_drops_a_column_no_recommendation_fills(world: World):
    Recommendation.objects.create(review=world.review, number=1, text="Share the history.")
    document = make_document(world, sections=[("Recommendations", "")])
    document.sections.update(kind="recommendations")
    section = document_compose(document).sections[0]
    assert section.recommendation_columns == {"agencies": False, "scope": True, "expected_outcome": False}


def test_the_preview_shows_the_same_numbers_and_boxes_as_the_pdf(client, world: World):
    body = STRUCTURED + '<p data-style="learning-point">Check the records first.</p>'
    document = make_document(world, sections=[("Facts", body), ("Parallel reviews", "")])
    client.force_login(world.chair)
    page = client.get(reverse("reports:document_preview", args=[world.review.pk, document.pk])).content.decode()
    assert (
        '<h3 id="heading-1-3" class="sub-heading level-2"><span class="heading-number">1.3</span> Key episodes</h3>'
        in page
    )
    assert '<h4 id="heading-1-3-3" class="sub-heading level-3">' in page
    assert '<div class="para para-learning-point"><span class="para-number">1.4.2</span>' in page
    assert "Learning point</span>" in page and "No text yet." in page
    published = client.get(
        reverse("reports:document_preview", args=[world.review.pk, document.pk]), {"version": "publication"}
    ).content.decode()
    assert "Parallel reviews" not in published and "No text yet." not in published
