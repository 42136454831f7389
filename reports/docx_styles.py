"""The Word file's styles: one font family (Arial, the metric twin of the PDF's Liberation Sans)
in every style and in the theme, so no heading, list, table, header or footnote falls back to
the template's Calibri or Cambria; British English for proofing; the paragraph styles of the
report ("Numbered Paragraph", "Finding", "Learning Point", the contents' "TOC 1" and "TOC 2")."""

from __future__ import annotations

import re

from docx.document import Document as WordFile
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

from reports.docx_parts import FONT, NAVY, W_NS

LANGUAGE = "en-GB"
TEXT_INDENT = Mm(16)  # where a numbered paragraph's text starts: its number hangs in front
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")
_THEME_FONT_RE = re.compile(rb'(<a:(?:latin|ea|cs) typeface=")[^"]*(")')
# Block styles (contract item 2): the editor's data-style -> the Word paragraph style.
BLOCK_STYLES = {"finding": "Finding", "learning-point": "Learning Point"}


def styles(doc: WordFile, indent: int = TEXT_INDENT) -> None:
    """``indent``: where numbered paragraphs' text starts (reports.docx_numbering.text_indent)."""
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _headings(doc)
    _paragraph_styles(doc, indent)
    _contents_styles(doc)
    title = doc.styles["Title"]
    title.font.color.rgb = NAVY
    title.font.size = Pt(26)
    for name in ("Header", "Footer"):
        doc.styles[name].font.size = Pt(8.5)
        # The template's tab stops are for a portrait Letter page; each section sets its own.
        doc.styles[name].paragraph_format.tab_stops.clear_all()
    doc.styles["Quote"].paragraph_format.left_indent = indent
    one_font_and_language(doc)


def _headings(doc: WordFile) -> None:
    for level, size in ((1, 15), (2, 12.5), (3, 11.5), (4, 11), (5, 11)):
        style = doc.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.color.rgb = NAVY
        style.font.bold = True
        style.font.italic = False
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _paragraph_styles(doc: WordFile, indent: int) -> None:
    normal = doc.styles["Normal"]
    numbered = doc.styles.add_style("Numbered Paragraph", WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.paragraph_format.left_indent = Length(indent)
    numbered.paragraph_format.first_line_indent = Length(-indent)
    finding = doc.styles.add_style("Finding", WD_STYLE_TYPE.PARAGRAPH)
    finding.base_style = numbered
    _bordered(finding, "1D3557", "EEF1F5")
    learning = doc.styles.add_style("Learning Point", WD_STYLE_TYPE.PARAGRAPH)
    learning.base_style = numbered
    _bordered(learning, "00703C", "EEF6F1")
    learning.font.italic = False
    note = doc.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(8.5)
    note.paragraph_format.space_after = Pt(0)
    note.paragraph_format.line_spacing = 1.0
    caption = doc.styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor(0x38, 0x3F, 0x43)
    caption.font.bold = False
    for name in ("List Bullet", "List Number", "List Paragraph"):
        doc.styles[name].paragraph_format.space_after = Pt(3)


def _bordered(style: ParagraphStyle, colour: str, fill: str) -> None:
    """A paragraph with a bar down its left side and a pale ground, as the PDF prints it."""
    ppr = style.element.get_or_add_pPr()  # empty yet: pBdr then shd, in the schema's order
    ppr.append(parse_xml(f'<w:pBdr {W_NS}><w:left w:val="single" w:sz="18" w:space="6" w:color="{colour}"/></w:pBdr>'))
    ppr.append(parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _contents_styles(doc: WordFile) -> None:
    """Word's built-in "toc 1" and "toc 2" (the contents field's entries), with a right tab and dots
    for the page number."""
    for level in (1, 2):
        style = doc.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.name_val = f"toc {level}"  # Word's own name: its contents field uses it
        style.base_style = doc.styles["Normal"]
        style.paragraph_format.left_indent = Mm(0 if level == 1 else 8)
        style.paragraph_format.space_after = Pt(3 if level == 1 else 1)
        style.font.bold = level == 1
        style.paragraph_format.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    heading = doc.styles["TOC Heading"]
    heading.font.color.rgb = NAVY
    heading.font.size = Pt(15)


def one_font_and_language(doc: WordFile) -> None:
    """Arial named in every style and in the document defaults, with no theme font left to win
    over it; the defaults' language British English; the theme's fonts Arial too."""
    root = doc.styles.element
    defaults = root.find(qn("w:docDefaults"))
    assert defaults is not None  # python-docx's template has them
    rpr_default = defaults.find(qn("w:rPrDefault"))
    assert rpr_default is not None
    rpr = rpr_default.find(qn("w:rPr"))
    assert rpr is not None
    for fonts in root.iter(qn("w:rFonts")):
        _arial(fonts)
    if rpr.find(qn("w:rFonts")) is None:
        rpr.insert(0, parse_xml(f"<w:rFonts {W_NS}/>"))
        _arial(rpr.find(qn("w:rFonts")))
    for style in root.iter(qn("w:style")):
        style_rpr = style.get_or_add_rPr()  # in its place among the style's children
        if style_rpr.find(qn("w:rFonts")) is None:
            fonts = parse_xml(f"<w:rFonts {W_NS}/>")
            style_rpr.insert(0, fonts)
            _arial(fonts)
    for lang in root.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    if rpr.find(qn("w:lang")) is None:
        rpr.append(parse_xml(f'<w:lang {W_NS} w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>'))
    _theme_fonts(doc)


def _arial(fonts) -> None:
    for slot in _THEME_SLOTS:
        fonts.attrib.pop(qn(slot), None)
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), FONT)


def _theme_fonts(doc: WordFile) -> None:
    """The theme's heading and body fonts (Calibri Light, Calibri, Cambria...) made Arial, for a
    program that reads the theme before the styles, or a style the chair adds in Word."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            part = rel.target_part
            part._blob = _THEME_FONT_RE.sub(rb"\g<1>" + FONT.encode() + rb"\g<2>", part.blob)
