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
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Pt, RGBColor
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


# Word's own definition of a WordArt text shape (o:spt 136), as Word writes it before the first
# watermark of a header: LibreOffice draws a watermark shape only when its type is defined.
_TEXT_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles>'
    '<v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def watermark(paragraph: Paragraph, text: str, *, size: int, top: int, shapetype: bool, ident: int) -> None:
    """Word's own watermark: pale text behind the page, from the header, on every page.
    ``shapetype``: the header's first watermark carries the text shape's definition."""
    definition = _TEXT_SHAPETYPE if shapetype else ""
    shape = (
        f"<w:r {nsdecls('w')} {_VML_NS}><w:pict>{definition}"
        f'<v:shape id="Watermark{ident}" o:spid="_x0000_s{2049 + ident}" '
        f'type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:{top}pt;'
        f"width:{len(text) * size * 0.62:.0f}pt;height:{size}pt;z-index:-251654144;"
        f"mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        f'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#f4dfe1" stroked="f">'
        f'<v:fill opacity=".6"/><v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt;font-weight:bold" '
        f'string="{escape(text)}"/></v:shape></w:pict></w:r>'
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
        setting(
            self.doc, parse_xml(f'<w:footnotePr {W_NS}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
        )


def setting(doc: WordFile, element) -> None:
    """A child of the settings part in its place: the ones added here (updateFields, footnotePr)
    come just before w:compat, in that order."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(element)
    else:
        settings.append(element)


def repeat_header(table: Table, rows: int) -> None:
    for row in table.rows[:rows]:
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {W_NS} w:val="true"/>'))


def rows_kept_whole(table: Table) -> None:
    """No row split across two pages (a chronology entry is read whole)."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.insert(0, parse_xml(f'<w:cantSplit {W_NS} w:val="true"/>'))


def full_width(table: Table, text_width: int, widths: list[float] | None = None) -> None:
    """The table across the whole text width of its section (``text_width``, EMU), its columns
    in the proportions of ``widths`` (equal when None), with a fixed layout so Word and
    LibreOffice keep them."""
    columns = len(table.columns)
    shares = widths if widths and len(widths) == columns and sum(widths) > 0 else [1.0] * columns
    total = sum(shares)
    emus = [int(text_width * share / total) for share in shares]
    table.autofit = False
    tblw = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx's tables have one (type auto)
    if tblw is None:
        tblw = parse_xml(f"<w:tblW {W_NS}/>")
        style = table._tbl.tblPr.find(qn("w:tblStyle"))
        if style is not None:
            style.addnext(tblw)
        else:
            table._tbl.tblPr.insert(0, tblw)
    tblw.set(qn("w:w"), str(text_width // 635))
    tblw.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, emus, strict=False):
        column.width = Length(width)
    for row in table.rows:
        for cell, width in zip(row.cells, emus, strict=False):
            cell.width = Length(width)


def _longest_word(rows: list[list[str]], column: int) -> float:
    """The width of the column's longest word, in ems: the header row (``rows[0]``) is bold,
    wider letters, with room for a font that stands in for Arial."""
    longest = 0.62
    for index, row in enumerate(rows):
        if column < len(row):
            factor = 0.74 if index == 0 else 0.62
            longest = max([longest, *(len(word) * factor for word in row[column].split())])
    return longest


def fitted_widths(rows: list[list[str]], widths: list[float], text_width: int, size: float) -> list[float]:
    """The columns' shares widened where needed so that each column's longest word fits on a line
    ("Overdue", "Scope", a bold "No." in the header row: ``rows[0]``), the others narrowed in
    proportion; as given when they cannot all fit."""
    total = sum(widths) or 1.0
    point = 12700  # EMU
    margins = 2 * 68580  # Word's default cell margins (0.19 cm a side)
    needed = [
        (_longest_word(rows, column) * size * point + margins) / text_width * total for column in range(len(widths))
    ]
    if sum(needed) >= total:
        return widths
    shares = list(widths)
    for _ in range(len(shares)):
        short = [i for i, share in enumerate(shares) if share < needed[i] - 1e-9]
        if not short:
            break
        for i in short:
            shares[i] = needed[i]
        fixed = {i for i, share in enumerate(shares) if share <= needed[i] + 1e-9}
        spare = total - sum(shares[i] for i in fixed)
        free = sum(widths[i] for i in range(len(shares)) if i not in fixed)
        for i in range(len(shares)):
            if i not in fixed:
                shares[i] = widths[i] * spare / free if free else shares[i]
    return shares


def simple_table(
    doc: WordFile,
    header: list[str],
    rows: list[list[str]],
    widths: list[float] | None,
    text_width: int,
    *,
    size: float | None = None,
    shaded_rows: list[bool] | None = None,
) -> Table:
    """A table of plain text across the text width, with a shaded header row repeating on every
    page and rows that do not split; a cell's line breaks kept."""
    # Row by row through add_row(): table.cell(r, c) walks the whole grid on every call.
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(cells, values: list[str], *, bold: bool = False, shade: str = "") -> None:
        for cell, text in zip(cells, values, strict=False):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            for index, line in enumerate(text.split("\n")):
                if index:
                    paragraph.add_run().add_break()
                run = paragraph.add_run(line)
                run.bold = bold or None
                if size:
                    run.font.size = Pt(size)
            if shade:
                cell._tc.get_or_add_tcPr().append(
                    parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="{shade}"/>')
                )

    widths = fitted_widths([header, *rows], widths or [1.0] * len(header), text_width, size or 11)
    fill(table.rows[0].cells, header, bold=True, shade="DEE0E2")
    for index, values in enumerate(rows):
        shade = "F3F2F1" if shaded_rows and index < len(shaded_rows) and shaded_rows[index] else ""
        fill(table.add_row().cells, values, shade=shade)
    full_width(table, text_width, widths)
    repeat_header(table, 1)
    rows_kept_whole(table)
    return table


def bookmark(paragraph: Paragraph, name: str, ident: int) -> None:
    """A bookmark around a paragraph's text (a heading the contents links to)."""
    p = paragraph._p
    start = parse_xml(f'<w:bookmarkStart {W_NS} w:id="{ident}" w:name="{escape(name)}"/>')
    ppr = p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(parse_xml(f'<w:bookmarkEnd {W_NS} w:id="{ident}"/>'))
