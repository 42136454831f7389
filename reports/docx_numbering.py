"""Word's own numbering for the report, so a chair who inserts a paragraph in Word sees the
numbers after it move on, and the numbers Word shows are the composed ones (reports.compose):

- one multilevel outline list ("%1.", "%1.%2", "%1.%2.%3" ...): a section's Heading 1 at level 0
  ("3."), sub-headings and per-section paragraphs at the level their number has dots ("3.2" at
  level 1, "3.2.1" at level 2), so a heading and the paragraphs beside it share a counter, as
  the composer counts them;
- continuous numbering: a list of its own ("%1"), never restarted, for the paragraphs;
- bullets whose marks stand where the numbered paragraphs' text starts, nested by level; each
  ordered list a list of its own, starting at 1.

Unnumbered headings (the glossary, the appendices) carry no numbering."""

from __future__ import annotations

from docx.document import Document as WordFile
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from reports.docx_parts import FONT, W_NS
from reports.docx_styles import TEXT_INDENT

OUTLINE, CONTINUOUS, BULLETS, ORDERED = 90, 91, 92, 93  # abstractNum ids (the template's are 0-8)
LEVELS = 5
_STEP = Mm(6)  # a list level's indent
_BULLET_MARKS = ("•", "–", "◦", "▪", "•")
_ORDERED_FORMATS = (
    ("decimal", "%1."),
    ("lowerLetter", "%2."),
    ("lowerRoman", "%3."),
    ("decimal", "%4."),
    ("lowerLetter", "%5."),
)


def _twips(length: int) -> int:
    return int(round(length / 635))  # EMU to twentieths of a point


def _level(ilvl: int, fmt: str, text: str, left: int, hanging: int, *, bold: bool = False, font: str = "") -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>' if font else ""
    weight = "<w:b/><w:bCs/>" if bold else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
        f'<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
        f"<w:rPr>{fonts}{weight}</w:rPr></w:lvl>"
    )


def _abstract(ident: int, kind: str, levels: list[str]) -> str:
    return (
        f'<w:abstractNum {W_NS} w:abstractNumId="{ident}"><w:nsid w:val="{0x4341_5300 + ident:08X}"/>'
        f'<w:multiLevelType w:val="{kind}"/>{"".join(levels)}</w:abstractNum>'
    )


def _definitions(text_indent: int) -> list[str]:
    indent = _twips(text_indent)
    step = _twips(_STEP)
    outline = [
        _level(
            i,
            "decimal",
            ".".join(f"%{n}" for n in range(1, i + 2)) + ("." if i == 0 else ""),
            indent,
            indent,
            bold=True,
        )
        for i in range(LEVELS)
    ]
    bullets = [_level(i, "bullet", _BULLET_MARKS[i], indent + step * (i + 1), step, font=FONT) for i in range(LEVELS)]
    ordered = [_level(i, fmt, text, indent + step * (i + 1), step) for i, (fmt, text) in enumerate(_ORDERED_FORMATS)]
    return [
        _abstract(OUTLINE, "multilevel", outline),
        _abstract(CONTINUOUS, "singleLevel", [_level(0, "decimal", "%1", indent, indent, bold=True)]),
        _abstract(BULLETS, "hybridMultilevel", bullets),
        _abstract(ORDERED, "hybridMultilevel", ordered),
    ]


def text_indent(numbers: list[str]) -> int:
    """Where numbered paragraphs' text starts (EMU), far enough for the longest number to hang in
    front of it ("13.2.1.4" needs more room than "3.2"): one indent for the whole document, so
    its text aligns."""
    longest = max((2 * len(number) - number.count(".") for number in numbers), default=0)  # in full stops' widths
    return max(TEXT_INDENT, Mm(1.3 * longest + 5))


class Numbering:
    """The numbering part's lists for one document, and numPr on the paragraphs that use them."""

    def __init__(self, doc: WordFile, indent: int = TEXT_INDENT):
        self.root = doc.part.numbering_part.element
        first_num = self.root.find(qn("w:num"))
        for xml in _definitions(indent):
            element = parse_xml(xml)
            if first_num is not None:
                first_num.addprevious(element)  # every abstractNum before the first num
            else:
                self.root.append(element)
        self.outline = self._num(OUTLINE)
        self.continuous = self._num(CONTINUOUS)
        self.bullets = self._num(BULLETS)
        self._heading_styles(doc)

    def _heading_styles(self, doc: WordFile) -> None:
        """The heading styles numbered by the outline list too, so a heading the chair adds in
        Word is numbered where it stands; the contents' heading (based on Heading 1) is not."""
        for level in range(4):
            numpr = doc.styles[f"Heading {level + 1}"].element.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = level
            numpr.get_or_add_numId().val = self.outline
        doc.styles["TOC Heading"].element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0

    @staticmethod
    def unnumbered(paragraph: Paragraph) -> None:
        """A heading its style would number that is not numbered (the glossary, an appendix)."""
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = 0

    def _num(self, abstract: int, *, restart: bool = False) -> int:
        ident = max([int(n.get(qn("w:numId"))) for n in self.root.findall(qn("w:num"))] + [99]) + 1
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>' for i in range(LEVELS)
        )
        self.root.append(
            parse_xml(
                f'<w:num {W_NS} w:numId="{ident}"><w:abstractNumId w:val="{abstract}"/>'
                f"{overrides if restart else ''}</w:num>"
            )
        )
        return ident

    def ordered_list(self) -> int:
        """A new ordered list: its own num, counting from 1."""
        return self._num(ORDERED, restart=True)

    @staticmethod
    def apply(paragraph: Paragraph, num: int, level: int) -> None:
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = max(0, min(level, LEVELS - 1))
        numpr.get_or_add_numId().val = num

    def number(self, paragraph: Paragraph, composed_number: str, *, heading: bool = False) -> None:
        """Number a paragraph or heading as the composer numbered it: "3.2.1" at level 2 of the
        outline; "41" (continuous numbering) in the continuous list; a section heading is
        numbered by ``section_heading``."""
        if not composed_number:
            if heading:
                self.unnumbered(paragraph)
            return
        if "." not in composed_number and not heading:
            self.apply(paragraph, self.continuous, 0)
        else:
            self.apply(paragraph, self.outline, composed_number.count("."))

    def section_heading(self, paragraph: Paragraph) -> None:
        self.apply(paragraph, self.outline, 0)
