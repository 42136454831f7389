"""Importing a Word file into a document (reports.docx_import_service) and the import_document
command: a product DOCX round trip, matching sections, the changes shown before anything is
replaced, new revisions through the save path, refusals, references and redactions kept."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from reports import render, richtext, services
from reports.citations import entry_key
from reports.docx_import import parse_docx
from reports.docx_import_service import import_apply, import_plan
from reports.docx_render import document_docx
from reports.models import Document, Section
from reviews.models import AuditEntry
from tests.conftest import World
from tests.reports.docx_import_files import new_document, saved, words
from tests.reports.render_fixtures import make_document

REDACTED = '<span class="redaction">Flat 3, 12 Stone Road</span>'


def _docx(document: Document) -> bytes:
    return document_docx(render.render_input(document, publication=False))


def test_a_word_file_made_by_the_product_comes_back_with_every_section_and_no_change(world: World):
    document = _demo_like(world)
    data = _docx(document)
    assert "[[data:" not in parse_docx(data).sections[-1].html  # the panel's table is in the file
    plan = import_plan(document, data)
    sections = list(document.sections.order_by("position"))
    assert [item.section for item in plan.items] == [section.pk for section in sections]
    # At least 95% of each section's words land in it; here, all of them, and nothing changes.
    for item, section in zip(plan.items, sections, strict=True):
        expected = words(richtext.plain_text(richtext.REFERENCE_RE.sub("", section.body)))
        landed = words(richtext.plain_text(item.body)) & expected
        assert sum(landed.values()) / sum(expected.values()) >= 0.95
    assert plan.changed == []
    # The data block's table in the file is the data block again, live from the review.
    panel = next(item for item in plan.items if item.title == "Panel")
    assert "<p>[[data:panel]]</p>" in panel.body
    assert "2 footnote(s) are this document's references and stay references." in plan.notes


def test_a_chairs_change_in_word_is_shown_and_applied_as_a_new_revision_with_references_and_marks_kept(
    world: World,
):
    document = _demo_like(world)
    import docx

    word = docx.Document(io.BytesIO(_docx(document)))
    for paragraph in word.paragraphs:
        if "incident based" in paragraph.text:
            paragraph.add_run(" The panel agreed.")
        if "The family lived at" in paragraph.text:
            paragraph.add_run(" They moved in 2011.")
        if paragraph.text.endswith("Second paragraph."):
            paragraph.runs[-1].text = paragraph.runs[-1].text.replace("Second", "Changed second")
    word.add_heading("Lessons learned", level=1)
    word.add_paragraph("A new section written in Word.")
    plan = import_plan(document, saved(word))
    changed = {item.title: item for item in plan.changed}
    assert set(changed) == {"Introduction", "Analysis", "Lessons learned"}
    rows = plan.rows(changed["Analysis"])
    assert [row.change for row in rows].count("changed") == 2
    assert "<ins> The panel agreed.</ins>" in "".join(row.html for row in rows)
    introduction = document.sections.get(title="Introduction")
    analysis = document.sections.get(title="Analysis")
    written = import_apply(document=document, items=plan.items, actor=world.chair, filename="draft.docx")
    assert written == ["Introduction", "Analysis", "Lessons learned"]
    introduction.refresh_from_db()
    analysis.refresh_from_db()
    # The unchanged paragraph keeps its reference; the redacted wording stays marked in the changed one.
    assert introduction.body == (
        f"<p>The review was notified in August 2012 [[imr:{world.imr_b.pk}]].</p><p>Changed second paragraph.</p>"
    )
    assert REDACTED in analysis.body and "They moved in 2011." in analysis.body
    assert analysis.version == 2
    assert analysis.revisions.get(version=2).note == "Imported from Word (draft.docx)"
    new = document.sections.get(title="Lessons learned")
    assert new.position == 6 and new.body == "<p>A new section written in Word.</p>" and new.version == 1
    entry = AuditEntry.objects.get(action="document.imported")
    assert entry.detail["sections"] == written and entry.actor == world.chair


def test_a_section_saved_since_the_file_was_read_refuses_the_whole_import_naming_it(world: World):
    document = _demo_like(world)
    word = new_document()
    word.add_heading("1. Introduction", level=1)
    word.add_paragraph("Rewritten introduction.")
    word.add_heading("4. Conclusions", level=1)
    word.add_paragraph("Rewritten conclusions.")
    plan = import_plan(document, saved(word))
    conclusions = document.sections.get(title="Conclusions")
    services.section_save(section_id=conclusions.pk, body="<p>Meanwhile.</p>", base_version=1, actor=world.board_admin)
    with pytest.raises(ValidationError, match="Not imported: Conclusions changed since the file was read"):
        import_apply(document=document, items=plan.items, actor=world.chair, filename="x.docx")
    assert document.sections.get(title="Introduction").version == 1  # nothing half-saved


def test_an_approved_document_refuses_an_import(world: World):
    document = make_document(world, status=Document.Status.APPROVED)
    word = new_document()
    word.add_heading("Introduction", level=1)
    word.add_paragraph("Text.")
    with pytest.raises(ValidationError, match="overview report is approved, so nothing can be imported"):
        import_plan(document, saved(word))


def test_other_footnotes_are_kept_as_bracketed_notes(world: World):
    document = make_document(world, sections=[("Background", "<p>Old.</p>")])
    product = _docx(_demo_like(world, kind=Document.Kind.EXECUTIVE_SUMMARY))
    plan = import_plan(document, product)
    introduction = next(item for item in plan.items if item.title == "Introduction")
    assert introduction.section is None  # not a section of this document: added
    assert "[Note: Individual Management Review, Northshire Children" in introduction.body


def _demo_like(world: World, kind: str = Document.Kind.OVERVIEW) -> Document:
    fingerprint = entry_key(world.entry_b)
    sections = [
        (
            "Introduction",
            f"<p>The review was notified in August 2012 [[imr:{world.imr_b.pk}]].</p><p>Second paragraph.</p>",
        ),
        (
            "Terms of reference",
            "<p>The panel agreed these aims:</p><ul><li>Establish the lessons<ul><li>within agencies</li></ul>"
            "</li><li>Apply them</li></ul><h2>Key lines of enquiry</h2><p>What did each agency know?</p>"
            f"<h3>Scope</h3><p>From 2008 to 2012 [[entry:{fingerprint}]].</p>",
        ),
        (
            "Analysis",
            "<p>The <strong>risk assessments</strong> were <em>incident based</em>; see "
            '<a href="https://www.gov.uk/dhr">the guidance</a>.</p>'
            "<table><thead><tr><th>Agency</th><th>Contacts</th></tr></thead><tbody><tr><td>Police</td>"
            f"<td>25</td></tr></tbody></table><p>The family lived at {REDACTED}.</p>",
        ),
        ("Conclusions", "<p>The outcome might have been different.</p>"),
        ("Panel", "<p>The panel members were:</p><p>[[data:panel]]</p><p>They met six times.</p>"),
    ]
    # Stored as every save stores them: sanitised.
    return make_document(world, kind=kind, sections=[(title, richtext.sanitise(body)) for title, body in sections])


def test_the_command_prints_the_changes_and_changes_nothing_without_replace(world: World, tmp_path, capsys):
    document = _demo_like(world)
    word = new_document()
    word.add_heading("Conclusions", level=1)
    word.add_paragraph("Rewritten conclusions.")
    path = tmp_path / "draft.docx"
    path.write_bytes(saved(word))
    call_command("import_document", "NDHR-01", "overview", str(path))
    out = capsys.readouterr().out
    assert "~ Conclusions: 1 paragraph(s) changed" in out and "Nothing changed" in out
    assert "  Introduction: not in the file, left as it is" in out
    assert Section.objects.get(document=document, title="Conclusions").version == 1
    call_command("import_document", "NDHR-01", "overview", str(path), "--replace")
    assert "1 section(s) saved from draft.docx" in capsys.readouterr().out
    conclusions = Section.objects.get(document=document, title="Conclusions")
    assert conclusions.version == 2 and conclusions.body == "<p>Rewritten conclusions.</p>"


def test_the_command_refuses_with_one_line_reasons(world: World, tmp_path):
    _demo_like(world)
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"plain text, not a Word file")
    with pytest.raises(CommandError, match="notes.docx: The file is not a Word document"):
        call_command("import_document", "NDHR-01", "overview", str(bad))
    with pytest.raises(CommandError, match="no such file|No such file"):
        call_command("import_document", "NDHR-01", "overview", str(tmp_path / "missing.docx"))
    with pytest.raises(CommandError, match="has no executive summary yet"):
        call_command("import_document", "NDHR-01", "executive-summary", str(bad))


def test_a_changed_paragraph_keeps_its_comment_anchor_and_redaction_mark_where_the_wording_is_still_there(
    world: World,
):
    anchor = "0b6f3c1e-8a2d-4c55-9e71-3f0d2a9b7c10"
    body = f'<p>The victim was <span data-comment="{anchor}">at risk</span> at {REDACTED}.</p>'
    document = make_document(world, sections=[("Analysis", richtext.sanitise(body))])
    word = new_document()
    word.add_heading("Analysis", level=1)
    word.add_paragraph("In 2012 the victim was at risk at Flat 3, 12 Stone Road, and agencies knew it.")
    plan = import_plan(document, saved(word))
    assert plan.items[0].body == (
        f'<p>In 2012 the victim was <span data-comment="{anchor}">at risk</span> at {REDACTED}, and agencies knew '
        "it.</p>"
    )


def test_a_data_block_whose_quotations_word_gives_back_paragraph_by_paragraph_stays_live(world: World):
    """The family block prints each quotation as a blockquote of paragraphs, which come back from
    Word as separate paragraphs: read as words in a row, they are still the block."""
    from tests.reports.test_family_block import _family

    mother = _family(world)["mother"].family_contacts.get()
    mother.what_they_said = "<p>She was frightened of him.</p><p>We told the social worker so.</p>"
    mother.save()
    body = "<p>The family were approached by letter.</p><p>[[data:family]]</p><p>The panel thanked them.</p>"
    document = make_document(world, kind="overview", sections=[("Family", richtext.sanitise(body))])
    html = render.render_input(document, publication=False)
    assert "<blockquote>" in "".join(block.html for s in html.composed.sections for block in s.blocks)
    plan = import_plan(document, _docx(document))
    family = next(item for item in plan.items if item.title == "Family")
    assert "<p>[[data:family]]</p>" in family.body
    assert plan.changed == []
