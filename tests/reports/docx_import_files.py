"""Word files for the import tests, made with python-docx (and, where it has no API, its XML)."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff7b7a9e0f0000000049454e44ae426082"
)
WORD_RE = re.compile(r"[^\W\d_]+")


def words(text: str) -> Counter[str]:
    """The words of a text (letters only: paragraph numbers and note marks are not words)."""
    return Counter(word.casefold() for word in WORD_RE.findall(text))


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def new_document():
    return docx.Document()


def add_numbered(document, text: str, *, ilvl: int = 0, num_id: int = 1, style: str | None = None):
    """A paragraph numbered by Word (numPr), not by typed text."""
    paragraph = document.add_paragraph(text, style=style)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def numbering_definitions(document, *, bullet_num: int = 7, decimal_num: int = 8) -> None:
    """Adds a bullet list (numId ``bullet_num``) and a decimal numbering (``decimal_num``)."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:numFmt w:val="{{fmt}}"/><w:lvlText w:val="{{text}}"/></w:lvl>' for i in range(4)
    )
    for abstract_id, fmt, text in ((70, "bullet", "•"), (80, "decimal", "%1.")):
        numbering.insert(
            0,
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                + levels.replace("{fmt}", fmt).replace("{text}", text)
                + "</w:abstractNum>"
            ),
        )
    for num_id, abstract_id in ((bullet_num, 70), (decimal_num, 80)):
        numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
        )


def add_link(paragraph, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True
    )
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:rPr><w:u w:val="single"/></w:rPr>'
            f"<w:t>{text}</w:t></w:r></w:hyperlink>"
        )
    )


def add_tracked(paragraph, inserted: str, deleted: str) -> None:
    attrs = 'w:id="{}" w:author="Reviewer" w:date="2026-01-01T10:00:00Z"'
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} {attrs.format(91)}><w:r><w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(f"<w:del {nsdecls('w')} {attrs.format(92)}><w:r><w:delText>{deleted}</w:delText></w:r></w:del>")
    )


def style(document, name: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out.getvalue()


__all__ = ["PNG", "qn"]
