"""A learning briefing: written from the review's data and the overview report's findings and
learning points when it is made, rendered through the same pipeline as landscape 16:9 slides and an
A4 two-page handout, from the command line and the document page, its publication version passing
the publication check with no registered name in it."""

from __future__ import annotations

import datetime
import re
import subprocess
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actions.models import Action, Recommendation
from chronology.models import KeyEpisode
from reports import document_services, render_briefing, render_service, services
from reports.compose import document_compose
from reports.layouts import BRIEFING_PARTS, DHR_BRIEFING, layout_for
from reports.models import Document, DocumentRender, SectionRevision
from reports.publication_check import publication_report
from reviews.models import KeyLineOfEnquiry, Review
from tests.conftest import World

pytestmark = pytest.mark.django_db

DHR = "BDHR2012/13-04"


def _overview_with_findings(world: World) -> Document:
    overview = document_services.document_create(review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair)
    analysis = overview.sections.get(title="Analysis")
    body = (
        "<p>Ordinary analysis, not copied.</p>"
        '<p data-style="finding">The risk assessment read the incident alone. [[entry:abc123]]</p>'
        '<p data-style="learning-point">Ask about the children at every contact.</p>'
        '<p data-style="learning-point">Bring every agency to the strategy discussion.</p>'
    )
    services.section_save(section_id=analysis.pk, body=body, base_version=0, actor=world.chair)
    background = overview.sections.get(title="Background information (the facts)")
    services.section_save(
        section_id=background.pk,
        body="<p>Adult A was 40 and lived alone.</p><p>She had two sons.</p><p>Not copied: a third paragraph.</p>",
        base_version=0,
        actor=world.chair,
    )
    return overview


def test_every_review_type_has_a_briefing_layout_of_the_same_parts():
    for review_type in Review.Type.values:
        titles = layout_for(review_type, Document.Kind.LEARNING_BRIEFING)
        assert len(titles) == len(BRIEFING_PARTS) and titles[5] == "Recommendations", review_type


def test_a_new_briefing_is_written_from_the_review_data_and_the_overview_report(world: World):
    _overview_with_findings(world)
    KeyLineOfEnquiry.objects.create(review=world.review, position=1, text="How was risk assessed?")
    recommendation = Recommendation.objects.create(review=world.review, number=1, text="Audit strategy discussions.")
    Action.objects.create(
        recommendation=recommendation, text="Audit ten strategy discussions.", lead_agency=world.agency_a,
        target_date=datetime.date(2027, 3, 1),
    )  # fmt: skip

    briefing = document_services.document_create(
        review=world.review, kind=Document.Kind.LEARNING_BRIEFING, actor=world.chair
    )

    sections = {section.title: section for section in briefing.sections.order_by("position")}
    assert list(sections) == DHR_BRIEFING
    assert "Adult A was 40" in sections["Summary of the case"].body
    assert "She had two sons" in sections["Summary of the case"].body
    assert "third paragraph" not in sections["Summary of the case"].body
    assert "[[data:key-lines]]" in sections["Methodology and terms of reference"].body
    assert "[[data:key-episodes]]" in sections["Key episodes"].body
    findings = sections["Findings"].body
    assert 'data-style="finding"' in findings and "read the incident alone." in findings
    assert "[[entry:" not in findings and "Ordinary analysis" not in findings
    lessons = sections["Lessons to be learned"].body
    assert lessons.count('data-style="learning-point"') == 2
    assert "recommendations" in sections["Recommendations"].body
    assert "[[data:actions]]" in sections["The partnership's response"].body
    # The same history as any section: version 1, kept, saying where it came from.
    revision = SectionRevision.objects.get(section=sections["Findings"])
    assert revision.version == 1 and revision.note == "Written from the review's data and documents"

    composed = document_compose(briefing, publication=False)
    text = "\n".join(block.text for section in composed.sections for block in section.blocks)
    assert "How was risk assessed?" in text  # the live data block, expanded
    assert "Audit ten strategy discussions." in text and "Not started" in text
    assert composed.unresolved_references == []


def test_a_learning_point_has_a_slide_of_its_own(world: World):
    _overview_with_findings(world)
    briefing = document_services.document_create(
        review=world.review, kind=Document.Kind.LEARNING_BRIEFING, actor=world.chair
    )
    composed = document_compose(briefing, publication=False)
    lessons = next(section for section in composed.sections if section.title == "Lessons to be learned")
    slides = render_briefing.section_slides(lessons)
    assert [slide.point for slide in slides] == ["Learning point 1 of 2", "Learning point 2 of 2"]


def test_a_long_section_goes_on_to_more_slides_each_within_a_slides_worth(world: World):
    briefing = document_services.document_create(
        review=world.review, kind=Document.Kind.LEARNING_BRIEFING, actor=world.chair
    )
    section = briefing.sections.get(position=1)
    items = "".join(f"<li>Item {n}: {'words ' * 50}</li>" for n in range(12))
    services.section_save(
        section_id=section.pk, body=f"<p>Opening.</p><ul>{items}</ul>", base_version=section.version,
        actor=world.chair,
    )  # fmt: skip
    composed = document_compose(briefing, publication=False)
    slides = render_briefing.section_slides(composed.sections[0])
    assert len(slides) > 2 and [slide.continued for slide in slides][:2] == [False, True]
    for slide in slides:
        assert sum(piece.cost for piece in slide.pieces) <= render_briefing.SLIDE_BUDGET
    printed = "".join(block for slide in slides for block in slide.blocks)
    assert printed.count("<li>") == 12 and printed.count("<ul>") == len(slides)  # the opening shares the first


def test_a_table_row_takes_the_room_of_its_longest_cell_so_short_rows_share_a_slide(world: World):
    briefing = document_services.document_create(
        review=world.review, kind=Document.Kind.LEARNING_BRIEFING, actor=world.chair
    )
    section = briefing.sections.get(position=1)
    cell = "word " * 10
    rows = "".join(f"<tr>{f'<td>{cell}</td>' * 5}</tr>" for _ in range(6))
    services.section_save(
        section_id=section.pk, body=f"<table><tbody>{rows}</tbody></table>", base_version=section.version,
        actor=world.chair,
    )  # fmt: skip
    composed = document_compose(briefing, publication=False)
    slides = render_briefing.section_slides(composed.sections[0])
    assert len(slides) == 1
    assert "".join(slides[0].blocks).count("<tr>") == 6


def test_slides_are_a_learning_briefings_only(world: World):
    overview = document_services.document_create(review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair)
    with pytest.raises(ValidationError, match="Slides are made of a learning briefing only"):
        render_service.render_request(actor=world.chair, document=overview, fmt="slides", publication=False)


def test_the_document_page_offers_a_briefing_its_slides_and_handout(client: Client, world: World):
    briefing = document_services.document_create(
        review=world.review, kind=Document.Kind.LEARNING_BRIEFING, actor=world.chair
    )
    client.force_login(world.chair)
    page = client.get(reverse("reports:document", args=[world.review.pk, briefing.pk]))
    assert b'value="slides"' in page.content and b"PDF slides (16:9)" in page.content
    assert b"PDF handout (A4, two pages)" in page.content


def _pdfinfo(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return dict(re.findall(r"^([^:]+):\s+(.*)$", out, re.M))


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _render(*args: str) -> str:
    out = StringIO()
    call_command("render_document", DHR, "briefing", *args, stdout=out)
    return out.getvalue()


def test_the_demo_briefing_renders_as_slides_and_a_two_page_handout_and_publishes_clean(tmp_path):
    call_command("load_demo", stdout=StringIO())
    review = Review.objects.get(reference=DHR)
    briefing = Document.objects.get(review=review, kind=Document.Kind.LEARNING_BRIEFING)
    assert briefing.sections.exclude(body="").count() == len(BRIEFING_PARTS)
    assert KeyEpisode.objects.filter(review=review).exists()

    slides, handout = tmp_path / "slides.pdf", tmp_path / "handout.pdf"
    said = _render("--format", "slides", "--publication", "--output", str(slides))
    assert "written to" in said
    _render("--format", "handout", "--publication", "--output", str(handout))

    info = _pdfinfo(slides)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert width > height and abs(width / height - 16 / 9) < 0.01
    assert int(info["Pages"]) >= 8
    info = _pdfinfo(handout)
    assert "(A4)" in info["Page size"] and info["Pages"] == "2"

    # The publication version passes the publication check and prints no registered name.
    assert publication_report(briefing).check.passed
    for path in (slides, handout):
        text = " ".join(_text(path).split())
        assert "Improving the use of risk assessment tools" in text  # a learning point
        assert "the victim" in text.lower()
        for real_name, aliases in review.people.values_list("real_name", "aliases"):
            for name in [real_name, *aliases]:
                assert name not in text, (path.name, name)
    # The reference on every slide.
    pages = _text(slides).split("\f")
    assert all(DHR in page for page in pages if page.strip())

    # The panel version renders too (both forms), marked as holding personal data.
    _render("--format", "pdf", "--output", str(tmp_path / "panel.pdf"))
    assert "Contains personal data" in _text(tmp_path / "panel.pdf")
    row = DocumentRender.objects.filter(document=briefing, format="slides", publication=True).get()
    assert row.filename.startswith("BDHR2012-13-04-learning-briefing-slides-publication-r") and row.filename.endswith(
        ".pdf"
    )
