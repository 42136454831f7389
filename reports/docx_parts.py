"""Building blocks of a Word file that python-docx has no call for: fields, a watermark behind
the page, footnotes, and tables with a shaded header row that repeats on every page."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document as WordFile
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Arial"  # Liberation Sans, shipped for the PDF, is metrically the same
NAVY = RGBColor(0x1D, 0x35, 0x57)  # headings and links, as in the PDF
W_NS = nsdecls("w", "r")
_VML_NS = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'


def field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC...) with ``shown`` as its result until Word updates it."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {W_NS} w:fldCharType="begin" w:dirty="true"/>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:instrText {W_NS} xml:space="preserve"> {escape(instruction)} </w:instrText>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {W_NS} w:fldCharType="separate"/>'))
    paragraph.add_run(shown)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {W_NS} w:fldCharType="end"/>'))


def watermark(paragraph: Paragraph, text: str, *, size: int, top: int) -> None:
    """Word's own watermark: pale text behind the page, from the header, on every page."""
    shape = (
        f'<w:r {nsdecls("w")} {_VML_NS}><w:pict><v:shape id="Watermark{top}" type="#_x0000_t136" '
        f'style="position:absolute;margin-left:0;margin-top:{top}pt;width:{len(text) * size * 0.62:.0f}pt;'
        f"height:{size}pt;z-index:-251654144;mso-position-horizontal:center;"
        f'mso-position-horizontal-relative:margin;mso-position-vertical-relative:margin" '
        f'o:allowincell="f" fillcolor="#f4dfe1" stroked="f"><v:textpath style="font-family:&quot;{FONT}&quot;;'
        f'font-size:{size}pt;font-weight:bold" string="{escape(text)}"/></v:shape></w:pict></w:r>'
    )
    paragraph._p.append(parse_xml(shape))


class Footnotes:
    """Word footnotes: the part holding them, and a reference run where each is first cited."""

    def __init__(self, doc: WordFile, notes: dict[int, str]):
        self.doc = doc
        self.notes = notes
        self.cited: set[int] = set()

    def reference(self, paragraph: Paragraph, number: int) -> None:
        run = paragraph.add_run()
        run.font.superscript = True
        if number in self.cited or number not in self.notes:
            # Word allows one reference per footnote: a second citation repeats its number.
            run.text = str(number)
            return
        self.cited.add(number)
        run._r.append(parse_xml(f'<w:footnoteReference {W_NS} w:id="{number}"/>'))

    def write_part(self) -> None:
        body = [
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            "<w:r><w:separator/></w:r></w:p></w:footnote>",
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>",
        ]
        for number in sorted(self.cited):
            body.append(
                f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {escape(self.notes[number])}</w:t></w:r></w:p></w:footnote>'
            )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W_NS}>{"".join(body)}</w:footnotes>'
        )
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        settings = self.doc.settings.element
        settings.append(parse_xml(f'<w:footnotePr {W_NS}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'))


def repeat_header(table: Table, rows: int) -> None:
    for row in table.rows[:rows]:
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {W_NS} w:val="true"/>'))


def simple_table(
    doc: WordFile,
    header: list[str],
    rows: list[list[str]],
    widths: list[float] | None = None,
    *,
    size: float | None = None,
) -> Table:
    # Row by row through add_row(): table.cell(r, c) walks the whole grid on every call.
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(cells, values: list[str], *, bold: bool = False) -> None:
        for c, (cell, text) in enumerate(zip(cells, values, strict=False)):
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
            if widths:
                cell.width = Mm(widths[c])

    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Mm(width)
    header_cells = table.rows[0].cells
    fill(header_cells, header, bold=True)
    for cell in header_cells:
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="DEE0E2"/>'))
    for values in rows:
        fill(table.add_row().cells, values)
    repeat_header(table, 1)
    return table
