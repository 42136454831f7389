"""A document as a Word file (python-docx): the same content as the PDF, in Word's own terms,
so a partnership can take the approved text into its own publishing template.

Real Word structure, not lookalikes: sections are "Heading 1" (headings inside a section
"Heading 2" to "Heading 4"), so Word's navigation pane and contents work; the contents is a
TOC field (Word fills in the page numbers when the file is opened); references are Word
footnotes; tables are tables with a repeating header row; the running header and "Page X of
Y" footer use PAGE and NUMPAGES fields. Paragraph numbers are written as text in a hanging
indent, not as a Word list: they are cited by number ("see 4.2") and must be the numbers of
the PDF, which a Word list would renumber as soon as anyone edits the file.

Pure: a RenderInput in, bytes out."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor

from reports.docx_parts import FONT, NAVY, W_NS, Footnotes, field, simple_table, watermark
from reports.docx_text import SectionWriter
from reports.render import RenderInput
from reviews.labels import DRAFT

GREY = RGBColor(0x38, 0x3F, 0x43)
RED = RGBColor(0xA4, 0x00, 0x0F)
CHRONOLOGY_APPENDIX = "Integrated chronology"
ACTION_PLAN = "Action plan"


def _styles(doc: WordFile) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    # East Asian and complex-script slots too, or Word shows its theme font for some text.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for level, size in ((1, 15), (2, 12.5), (3, 11), (4, 11)):
        style = styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
        style.font.bold = True
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    numbered = styles.add_style("Numbered Paragraph", WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.paragraph_format.left_indent = Mm(12)
    numbered.paragraph_format.first_line_indent = Mm(-12)
    numbered.paragraph_format.tab_stops.add_tab_stop(Mm(12))
    note = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(8.5)
    note.paragraph_format.space_after = Pt(0)
    note.paragraph_format.line_spacing = 1.0
    styles["Title"].font.name = FONT
    styles["Title"].font.color.rgb = NAVY
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
        # The template's tab stops are for a portrait Letter page; each section sets its own.
        styles[name].paragraph_format.tab_stops.clear_all()
    quote = styles["Quote"]
    quote.paragraph_format.left_indent = Mm(16)


def _page_furniture(section: Section, data: RenderInput, *, first: bool) -> None:
    """Header: the reference, the marking and "Contains personal data"; footer: the marking and
    "Page X of Y". The cover page (``first``) has no page number."""
    page_width, left, right = section.page_width, section.left_margin, section.right_margin
    assert page_width is not None and left is not None and right is not None  # set on every section made here
    width = page_width - left - right
    headers = [(section.header, section.footer)]
    if first:
        section.different_first_page_header_footer = True
        headers.append((section.first_page_header, section.first_page_footer))
    for index, (header, footer) in enumerate(headers):
        cover = index == 1
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        top = header.paragraphs[0]
        top.text = ""
        top.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        top.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        top.add_run("" if cover else data.reference)
        top.add_run("\t")
        if data.watermarks:
            # Said in words too: not every program draws Word's watermark shapes.
            warning = top.add_run(" · ".join(data.watermarks))
            warning.bold = True
            warning.font.color.rgb = RED
        top.add_run("\t")
        top.add_run(data.marking).bold = True
        offset = 250
        for mark in data.watermarks:
            if mark == DRAFT:
                watermark(top, mark, size=110, top=offset)
                offset += 140
            else:
                watermark(top, mark, size=30, top=offset)
        bottom = footer.paragraphs[0]
        bottom.text = ""
        bottom.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        bottom.add_run(data.marking).bold = True
        if not cover:
            bottom.add_run("\tPage ")
            field(bottom, "PAGE", "1")
            bottom.add_run(" of ")
            field(bottom, "NUMPAGES", "1")


def _cover(doc: WordFile, data: RenderInput) -> None:
    def line(text: str, *, size: float, bold: bool = False, color: RGBColor | None = None, after: float = 4) -> None:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(after)
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if color is not None:
            run.font.color.rgb = color

    for _ in range(3):
        doc.add_paragraph()
    if data.marking:
        line(data.marking, size=10, bold=True, after=30)
    line(data.partnership, size=15, after=2)
    line(data.review_type_label, size=15, color=GREY, after=30)
    title = doc.add_paragraph(style="Title")
    title.add_run(data.case_name)
    line(data.kind_label, size=20, bold=True, after=50)
    version = (
        "Publication version: people are named by their designations"
        if data.publication
        else "Panel version: contains personal data, not for publication"
    )
    facts = [("Reference", data.reference), ("Date", f"{data.dated:%-d %B %Y}"), ("Status", data.status_label)]
    for label, value in [*facts, ("Version", version)]:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(30))
        paragraph.add_run(label).bold = True
        paragraph.add_run("\t" + value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(doc: WordFile, entries: list[str]) -> None:
    """A TOC field over Heading 1 and 2. Its result is filled in here with the headings (no page
    numbers: only a layout engine knows them); Word recomputes it when the file is opened."""
    heading = doc.add_paragraph(style="TOC Heading")
    heading.add_run("Contents")
    first = doc.add_paragraph()
    for xml in (
        f'<w:fldChar {W_NS} w:fldCharType="begin" w:dirty="true"/>',
        f'<w:instrText {W_NS} xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>',
        f'<w:fldChar {W_NS} w:fldCharType="separate"/>',
    ):
        first.add_run()._r.append(parse_xml(xml))
    for index, entry in enumerate(entries):
        paragraph = first if index == 0 else doc.add_paragraph()
        paragraph.add_run(entry)
    last = doc.add_paragraph()
    last.add_run()._r.append(parse_xml(f'<w:fldChar {W_NS} w:fldCharType="end"/>'))
    last.add_run().add_break(WD_BREAK.PAGE)
    # Ask Word to update the fields (the contents' page numbers) when the file is opened.
    doc.settings.element.append(parse_xml(f'<w:updateFields {W_NS} w:val="true"/>'))


def document_docx(data: RenderInput) -> bytes:
    doc = WordDocument()
    _styles(doc)
    _properties(doc, data)
    portrait = _first_pages(doc, data)
    appendices = _appendices(data)
    composed = data.composed
    entries = (["Glossary"] if composed.glossary else []) + [f"{s.number}. {s.title}" for s in composed.sections]
    entries += [f"Appendix {letter}: {name}" for letter, name in appendices]
    _contents(doc, entries)
    if composed.glossary:
        doc.add_heading("Glossary", level=1)
        simple_table(doc, ["Abbreviation", "Meaning"], [[a, e] for a, e in composed.glossary], [35, 135])
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _sections(doc, data)
    for letter, name in appendices:
        if name == CHRONOLOGY_APPENDIX:
            _chronology_appendix(doc, data, letter, portrait)
        else:
            _action_plan_appendix(doc, data, letter, portrait)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _properties(doc: WordFile, data: RenderInput) -> None:
    core = doc.core_properties
    core.title = data.title
    core.author = data.partnership
    core.subject = f"{data.reference} {data.kind_label}"
    core.keywords = ", ".join([data.reference, *([data.marking] if data.marking else []), *data.watermarks])
    core.comments = ""
    core.language = "en-GB"


def _first_pages(doc: WordFile, data: RenderInput) -> Section:
    """A4 portrait with its header and footer, and the cover; the portrait section, whose page the
    appendices come back to."""
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    _page_furniture(section, data, first=True)
    _cover(doc, data)
    return section


def _appendices(data: RenderInput) -> list[tuple[str, str]]:
    """(letter, name) of each appendix the document has: A, B... in order."""
    names = ([CHRONOLOGY_APPENDIX] if data.chronology is not None else []) + ([ACTION_PLAN] if data.actions else [])
    return [(chr(ord("A") + index), name) for index, name in enumerate(names)]


def _sections(doc: WordFile, data: RenderInput) -> None:
    """The document's sections, each a Heading 1 with its blocks and recommendations; then the
    footnotes part the references point into."""
    composed = data.composed
    footnotes = Footnotes(doc, {note.number: note.text for note in composed.footnotes})
    writer = SectionWriter(doc, footnotes)
    for composed_section in composed.sections:
        doc.add_heading(f"{composed_section.number}. {composed_section.title}", level=1)
        for block in composed_section.blocks:
            writer.block(block, block.number)
        if composed_section.recommendations:
            rows = [
                [str(r.number), r.text, r.agencies, r.scope, r.expected_outcome]
                for r in composed_section.recommendations
            ]
            simple_table(
                doc, ["No.", "Recommendation", "Agencies", "Scope", "Expected outcome"], rows, [10, 60, 35, 20, 45]
            )
    footnotes.write_part()


def _action_plan_appendix(doc: WordFile, data: RenderInput, letter: str, portrait: Section) -> None:
    """The action plan, on portrait pages again after the chronology's landscape ones."""
    if data.chronology is not None:
        _portrait_again(doc, data, portrait)
    else:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(f"Appendix {letter}: {ACTION_PLAN}", level=1)
    rows = [
        [str(a.recommendation), a.action, a.lead_agency, f"{a.target_date:%-d %b %Y}", a.status] for a in data.actions
    ]
    simple_table(doc, ["Rec.", "Action", "Lead agency", "Target date", "Status"], rows, [12, 80, 35, 22, 21])


def _chronology_appendix(doc: WordFile, data: RenderInput, letter: str, portrait: Section) -> None:
    """The integrated chronology on landscape pages of its own, then back to portrait."""
    landscape = doc.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = portrait.page_height, portrait.page_width
    landscape.left_margin = landscape.right_margin = Mm(14)
    landscape.top_margin, landscape.bottom_margin = Mm(18), Mm(16)
    _page_furniture(landscape, data, first=False)
    chronology = data.chronology
    assert chronology is not None  # this appendix is made only when there is a built chronology
    doc.add_heading(f"Appendix {letter}: Integrated chronology", level=1)
    note = doc.add_paragraph(
        f"Version {chronology.version} of the integrated chronology: {len(chronology.entries)} entries from "
        f"{len(chronology.agencies)} agencies."
    )
    note.alignment = WD_PARAGRAPH_ALIGNMENT.LEFT
    rows = []
    for entry in chronology.entries:
        date = entry.date_display + (f" {entry.time:%H:%M}" if entry.time else "")
        if entry.significant:
            date += " (significant)"
        if not entry.in_scope:
            date += " (outside the review period)"
        rows.append([str(entry.seq), date, entry.agency, entry.event, entry.details, entry.outcome])
    table = simple_table(
        doc, ["#", "Date", "Agency", "Event", "Details", "Action / Outcome"], rows, [12, 28, 38, 35, 90, 66]
    )
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)


def _portrait_again(doc: WordFile, data: RenderInput, portrait: Section) -> None:
    back = doc.add_section(WD_SECTION.NEW_PAGE)
    back.orientation = WD_ORIENT.PORTRAIT
    back.page_width, back.page_height = portrait.page_width, portrait.page_height
    back.left_margin = back.right_margin = Mm(20)
    back.top_margin, back.bottom_margin = Mm(22), Mm(20)
    _page_furniture(back, data, first=False)
