"""A document as a Word file (python-docx): the same content as the PDF, in Word's own terms,
so a chair or partnership edits the approved text in Word or LibreOffice.

Real Word structure, not lookalikes: sections are "Heading 1" (headings inside a section
"Heading 2" to "Heading 4"), numbered by Word's own multilevel list as the composer numbered them,
and so are the paragraphs (reports.docx_numbering): inserting a paragraph renumbers the ones
after it. The contents is a TOC field, filled in here with the sections and sub-headings (linked
to bookmarks on them) and updated by Word when the file is opened; references are Word footnotes;
tables span their section's text width with a repeating header row and rows that do not split;
each appendix is a Word section of its own (reports.docx_sections); the timeline is a picture
(reports.docx_figure); one font family (Arial) and British English throughout
(reports.docx_styles); the panel's comments are Word comments in the panel version only
(reports.docx_comments).

Pure: a RenderInput in, bytes out."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from reports.compose import ComposedSection
from reports.docx_comments import write_comments
from reports.docx_numbering import Numbering, text_indent
from reports.docx_parts import W_NS, Footnotes, bookmark, setting, simple_table
from reports.docx_sections import Furniture, appendices, appendix_bookmark, appendix_title, page_setup, text_width
from reports.docx_styles import styles
from reports.docx_text import SectionWriter, heading_bookmark
from reports.render import RenderInput

GREY = RGBColor(0x38, 0x3F, 0x43)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def document_docx(data: RenderInput) -> bytes:
    doc = WordDocument()
    _drop_styles_with_effects(doc)
    indent = text_indent([block.number for section in data.composed.sections for block in section.blocks])
    styles(doc, indent)
    _properties(doc, data)
    furniture = Furniture(data)
    section = doc.sections[0]
    page_setup(section, landscape=False)
    furniture.section(section, cover=True)
    _cover(doc, data)
    if data.show_contents:
        _contents(doc, _contents_entries(data))
    bookmark_ids = [0]
    numbering = Numbering(doc, indent)
    if data.composed.glossary:
        heading = doc.add_heading("Glossary", level=1)
        numbering.unnumbered(heading)
        bookmark_ids[0] += 1
        bookmark(heading, "_Toc_glossary", bookmark_ids[0])
        rows = [[a, e] for a, e in data.composed.glossary]
        simple_table(doc, ["Abbreviation", "Meaning"], rows, [35, 135], text_width(section))
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _sections(doc, data, text_width(section), bookmark_ids, numbering)
    appendices(doc, data, furniture, bookmark_ids)
    # Ask Word to update the fields (the contents' page numbers) when the file is opened.
    updates = parse_xml(f'<w:updateFields {W_NS} w:val="true"/>')
    footnote_pr = doc.settings.element.find(qn("w:footnotePr"))
    if footnote_pr is not None:
        footnote_pr.addprevious(updates)
    else:
        setting(doc, updates)
    for lang in doc.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), "en-GB")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _drop_styles_with_effects(doc: WordFile) -> None:
    """The template's Word 2010 copy of its styles (Calibri throughout): Word 2013 and later
    ignore it; without it no program can read fonts from it. And the template's thumbnail, a
    picture of python-docx's blank page, which a file browser would show for the report."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rid)
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rid)


def _properties(doc: WordFile, data: RenderInput) -> None:
    core = doc.core_properties
    core.title = data.title
    core.author = data.partnership
    core.last_modified_by = data.partnership
    core.subject = f"{data.reference} {data.kind_label}"
    core.keywords = ", ".join([data.reference, *([data.marking] if data.marking else []), *data.watermarks])
    core.comments = ""
    core.language = "en-GB"


def _cover(doc: WordFile, data: RenderInput) -> None:
    def line(text: str, *, size: float, bold: bool = False, color: RGBColor | None = GREY, after: float = 4) -> None:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(after)
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if color is not None:
            run.font.color.rgb = color

    doc.add_paragraph()
    if data.marking:
        line(data.marking, size=10, bold=True, color=None, after=24)
    if data.logo and data.logo_type in ("image/png", "image/jpeg"):
        logo = doc.add_paragraph().add_run().add_picture(io.BytesIO(data.logo), height=Mm(22))
        logo._inline.docPr.set("descr", f"{data.partnership} logo")
    line(data.partnership, size=15, color=None, after=2)
    line(data.review_type_label, size=15, after=24)
    title = doc.add_paragraph(style="Title")
    title.add_run(data.case_name)
    line(data.kind_label, size=20, bold=True, color=None, after=12)
    if data.statutory_line:
        line(data.statutory_line, size=12, after=18)
    if data.chair and data.author == data.chair:
        line(f"Independent chair and author: {data.chair}", size=11, color=None)
    else:
        if data.chair:
            line(f"Independent chair: {data.chair}", size=11, color=None)
        if data.author:
            line(f"Author: {data.author}", size=11, color=None)
    if data.month_year:
        line(data.month_year, size=11, color=None, after=30)
    version = (
        "Publication version: people are named by their designations"
        if data.publication
        else "Panel version: contains personal data, not for publication"
    )
    facts = [("Reference", data.reference), ("Date", f"{data.dated:%-d %B %Y}"), ("Status", data.status_label)]
    for label, value in [*facts, ("Version", version)]:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(30))
        paragraph.add_run(label).bold = True
        paragraph.add_run("\t" + value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents_entries(data: RenderInput) -> list[tuple[int, str, str, str]]:
    """(level, number, title, bookmark) of each entry of the contents: the glossary, the sections
    and their level-2 sub-headings, the appendices."""
    composed = data.composed
    entries = [(1, "", "Glossary", "_Toc_glossary")] if composed.glossary else []
    for section in composed.sections:
        entries.append((1, f"{section.number}.", section.title, _section_bookmark(section)))
        for block in section.blocks:
            if getattr(block, "level", 0) == 2 and block.number:
                entries.append((2, block.number, block.text.strip(), heading_bookmark(block.number)))
    entries += [(1, "", appendix_title(a), appendix_bookmark(a)) for a in data.appendices]
    return entries


def _section_bookmark(section: ComposedSection) -> str:
    return f"_Toc_section_{section.number}"


def _contents(doc: WordFile, entries: list[tuple[int, str, str, str]]) -> None:
    """A TOC field over Heading 1 and 2 whose result is already the entries, each linked to its
    heading (no page numbers: only a layout engine knows them); Word recomputes the whole field,
    page numbers and all, when the file is opened."""
    doc.add_paragraph(style="TOC Heading").add_run("Contents")
    toc_styles = {style.style_id: style for style in doc.styles if style.style_id in ("TOC1", "TOC2")}
    for index, (level, number, title, mark) in enumerate(entries):
        paragraph = doc.add_paragraph(style=toc_styles[f"TOC{level}"])
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(10 if level == 1 else 22))
        if index == 0:
            for xml in (
                f'<w:r {W_NS}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>',
                f'<w:r {W_NS}><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>',
                f'<w:r {W_NS}><w:fldChar w:fldCharType="separate"/></w:r>',
            ):
                paragraph._p.append(parse_xml(xml))
        link = parse_xml(f'<w:hyperlink {W_NS} w:anchor="{mark}" w:history="1"/>')
        paragraph._p.append(link)
        text = f"{number}\t{title}" if number else title
        link.append(parse_xml(f'<w:r {W_NS}><w:t xml:space="preserve">{_escape(text)}</w:t></w:r>'))
    last = doc.add_paragraph()
    last.add_run()._r.append(parse_xml(f'<w:fldChar {W_NS} w:fldCharType="end"/>'))
    last.add_run().add_break(WD_BREAK.PAGE)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sections(doc: WordFile, data: RenderInput, width: int, bookmark_ids: list[int], numbering: Numbering) -> None:
    """The document's sections, each a numbered Heading 1 with its blocks and recommendations (and,
    in the panel version, its comments); then the footnotes part the references point into."""
    composed = data.composed
    footnotes = Footnotes(doc, {note.number: note.text for note in composed.footnotes})
    writer = SectionWriter(doc, footnotes, numbering, width)
    comments = [] if data.publication else list(getattr(data, "comments", []))
    for section in composed.sections:
        heading = doc.add_heading(section.title, level=1)
        writer.numbering.section_heading(heading)
        bookmark_ids[0] += 1
        bookmark(heading, _section_bookmark(section), bookmark_ids[0])
        writer.anchored = {}
        writer.headings = []
        first = len(doc.element.body)
        for block in section.blocks:
            writer.block(block, block.number)
        for mark, sub_heading in writer.headings:
            bookmark_ids[0] += 1
            bookmark(sub_heading, mark, bookmark_ids[0])
        if getattr(section, "empty", False) and not data.publication:
            doc.add_paragraph("No text yet.").runs[0].italic = True
        if section.recommendations:
            _recommendations(doc, section, width)
        mine = [c for c in comments if c.section_pk == section.pk]
        if mine:
            written = [Paragraph(p, doc._body) for p in doc.element.body[first - 1 :] if p.tag == qn("w:p")]
            write_comments(doc, mine, writer.anchored, heading.runs, written)
    footnotes.write_part()


def _recommendations(doc: WordFile, section: ComposedSection, width: int) -> None:
    shown = getattr(section, "recommendation_columns", None) or {}
    columns = [
        ("No.", None, 10),
        ("Recommendation", None, 60),
        ("Agencies", "agencies", 35),
        ("Scope", "scope", 20),
        ("Expected outcome", "expected_outcome", 45),
    ]
    kept = [(heading, name, share) for heading, name, share in columns if name is None or shown.get(name, True)]
    rows = []
    for r in section.recommendations:
        values = {"No.": str(r.number), "Recommendation": r.text, "Agencies": r.agencies, "Scope": r.scope,
                  "Expected outcome": r.expected_outcome}  # fmt: skip
        rows.append([values[heading] for heading, _name, _share in kept])
    simple_table(doc, [h for h, _n, _s in kept], rows, [float(s) for _h, _n, s in kept], width)
