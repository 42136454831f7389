"""A picture in the Word file drawn from the SVG the PDF prints (the timeline): rasterised to PNG
the way the PDF draws it (WeasyPrint lays the SVG out on a page of its own size, with the same
fonts; PDFium, a self-contained wheel, turns that page into pixels), the SVG itself embedded
beside it for Word 2016 and later (the asvg:svgBlip extension; other programs show the PNG),
with its alternative text."""

from __future__ import annotations

import io
import re
import urllib.parse

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no py.typed
from docx.document import Document as WordFile
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Length
from weasyprint import HTML

from casereview.pdf import PDF_BASE_URL, StaticFilesFetcher

_SIZE_RE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')
_VIEWBOX_RE = re.compile(r'<svg\b[^>]*?\bviewBox="[\d.\s-]*?\s([\d.]+)\s+([\d.]+)"')
_SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_SCALE = 2.5  # pixels per CSS pixel: about 240 dpi at the SVG's own size
CAPTION = "Timeline of agency contact"


def svg_size(svg: str) -> tuple[float, float]:
    """The SVG's width and height in CSS pixels (its attributes, else its viewBox)."""
    match = _SIZE_RE.search(svg) or _VIEWBOX_RE.search(svg)
    if not match:
        return 1000.0, 400.0
    return float(match.group(1)), float(match.group(2))


def svg_png(svg: str) -> bytes:
    """The SVG as a PNG, drawn by WeasyPrint (as in the PDF) and rasterised by PDFium."""
    width, height = svg_size(svg)
    html = (
        f"<!doctype html><html><head><style>@page {{ size: {width}px {height}px; margin: 0 }}"
        f"html, body {{ margin: 0 }} img {{ display: block; width: {width}px; height: {height}px }}</style></head>"
        f'<body><img alt="" src="data:image/svg+xml,{urllib.parse.quote(svg)}"></body></html>'
    )
    pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesFetcher()).write_pdf()
    document = pdfium.PdfDocument(pdf)
    try:
        # A transparent ground: the page's watermark shows through, as behind the PDF's picture.
        image = document[0].render(scale=_SCALE, fill_color=(255, 255, 255, 0)).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()


def figure(doc: WordFile, svg: str, alt: str, width: int, *, max_height: int) -> None:
    """The picture across ``width`` (no taller than ``max_height``), with the SVG behind the PNG,
    its alternative text, and a caption."""
    svg_width, svg_height = svg_size(svg)
    shown_width = width
    if width * svg_height / svg_width > max_height:
        shown_width = int(max_height * svg_width / svg_height)
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(io.BytesIO(svg_png(svg)), width=Length(shown_width))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt or CAPTION)
    doc_pr.set("title", CAPTION)
    _embed_svg(doc, shape._inline, svg)
    doc.add_paragraph(CAPTION, style="Caption")


def _embed_svg(doc: WordFile, inline, svg: str) -> None:
    part = doc.part
    existing = sum(1 for rel in part.rels.values() if rel.reltype == RT.IMAGE)
    svg_part = Part(PackURI(f"/word/media/timeline{existing}.svg"), "image/svg+xml", svg.encode(), part.package)
    rid = part.relate_to(svg_part, RT.IMAGE)
    blips = inline.xpath(".//a:blip")
    blips[0].append(
        parse_xml(
            f'<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<a:ext uri="{_SVG_EXTENSION}"><asvg:svgBlip xmlns:asvg="{_ASVG}" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="{rid}"/>'
            "</a:ext></a:extLst>"
        )
    )
