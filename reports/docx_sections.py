"""The Word file's sections: page size and margins, the running header and footer of each, and the
appendices, each a Word section of its own (its own header and footer, not the cover's; landscape
where its table is), with its table across the whole text width of its pages."""

from __future__ import annotations

from docx.document import Document as WordFile
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.section import Section
from docx.shared import Mm, RGBColor

from reports.docx_figure import figure
from reports.docx_numbering import Numbering
from reports.docx_parts import bookmark, field, simple_table, watermark
from reports.render import RenderInput
from reports.render_appendix import Appendix, visible_columns
from reviews.labels import DRAFT

RED = RGBColor(0xA4, 0x00, 0x0F)
PORTRAIT = (Mm(210), Mm(297))
_MARGINS = {False: (Mm(20), Mm(20), Mm(22), Mm(20)), True: (Mm(14), Mm(14), Mm(18), Mm(16))}  # left right top bottom


def text_width(section: Section) -> int:
    page_width, left, right = section.page_width, section.left_margin, section.right_margin
    assert page_width is not None and left is not None and right is not None  # set on every section made here
    return page_width - left - right


def page_setup(section: Section, *, landscape: bool) -> None:
    width, height = PORTRAIT
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = _MARGINS[landscape]
    section.header_distance = section.footer_distance = Mm(10)


class Furniture:
    """The running header (reference, watermarks said in words, marking) and footer (marking,
    "Page X of Y") of each Word section, each section's own; the cover's first page has neither
    reference nor page number. Word's watermark shapes are numbered across the whole file."""

    def __init__(self, data: RenderInput):
        self.data = data
        self.shapes = 0

    def section(self, section: Section, *, cover: bool) -> None:
        section.different_first_page_header_footer = cover
        pairs = [(section.header, section.footer, False)]
        if cover:
            pairs.append((section.first_page_header, section.first_page_footer, True))
        for header, footer, first in pairs:
            header.is_linked_to_previous = False
            footer.is_linked_to_previous = False
            landscape = (section.page_width or 0) > (section.page_height or 0)
            self._header(header.paragraphs[0], text_width(section), first=first, offset=120 if landscape else 250)
            self._footer(footer.paragraphs[0], text_width(section), first=first)

    def _header(self, top, width: int, *, first: bool, offset: int) -> None:
        data = self.data
        top.text = ""
        top.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        top.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        top.add_run("" if first else data.reference)
        top.add_run("\t")
        if data.watermarks:
            # Said in words too: not every program draws Word's watermark shapes.
            warning = top.add_run(" · ".join(data.watermarks))
            warning.bold = True
            warning.font.color.rgb = RED
        top.add_run("\t")
        top.add_run(data.marking).bold = True
        for index, mark in enumerate(data.watermarks):
            self.shapes += 1
            large = mark == DRAFT
            watermark(top, mark, size=110 if large else 30, top=offset, shapetype=index == 0, ident=self.shapes)
            offset += 140 if large else 0

    def _footer(self, bottom, width: int, *, first: bool) -> None:
        bottom.text = ""
        bottom.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        bottom.add_run(self.data.marking).bold = True
        if not first:
            bottom.add_run("\tPage ")
            field(bottom, "PAGE", "1")
            bottom.add_run(" of ")
            field(bottom, "NUMPAGES", "1")


def appendix_bookmark(appendix: Appendix) -> str:
    return f"_Toc_appendix_{appendix.letter}"


def appendix_title(appendix: Appendix) -> str:
    return f"Appendix {appendix.letter}: {appendix.title}"


def appendices(doc: WordFile, data: RenderInput, furniture: Furniture, bookmark_ids: list[int]) -> None:
    """Each appendix a Word section of its own, starting on a new page."""
    for appendix in data.appendices:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        page_setup(section, landscape=appendix.landscape)
        furniture.section(section, cover=False)
        heading = doc.add_heading(appendix_title(appendix), level=1)
        Numbering.unnumbered(heading)
        bookmark_ids[0] += 1
        bookmark(heading, appendix_bookmark(appendix), bookmark_ids[0])
        if appendix.note:
            doc.add_paragraph(appendix.note)
        width = text_width(section)
        if appendix.figure_svg:
            figure(
                doc, appendix.figure_svg, appendix.figure_alt, width, max_height=Mm(125 if appendix.landscape else 150)
            )
        columns = visible_columns(appendix)
        rows = [[row[index] for index in columns] for row in appendix.rows]
        shaded = [
            "significant" in (appendix.row_classes[i] if i < len(appendix.row_classes) else "")
            for i in range(len(rows))
        ]
        simple_table(
            doc,
            [appendix.headers[index] for index in columns],
            rows,
            [appendix.widths[index] for index in columns],
            width,
            size=8 if appendix.landscape else 9,
            shaded_rows=shaded,
        )
