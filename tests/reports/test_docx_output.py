"""The Word files a chair edits: each produced DOCX (overview and executive summary, panel and
publication versions) opened and read from its XML: a section, header and footer per appendix
(not the cover's), landscape where the appendix is, tables across the text width with rows that
do not split, Arial in every style, British English, Word's own numbering giving the composed
numbers (none typed), the comments in the panel version only, the watermark's shape type, the
timeline picture; and, where LibreOffice is installed, the numbers it lays out read back from
its PDF."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from lxml import etree

from actions.models import Action, Recommendation
from reports import render
from reports.docx_render import document_docx
from reports.models import Comment, Document, GlossaryTerm
from reviews.publication.files import docx_parts
from tests.reports.render_fixtures import SENTENCE, make_document, paragraphs

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "w": W[1:-1],
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
ANCHOR = str(uuid.UUID("1b4e28ba-2fa1-41d2-883f-0016d3cca427"))
PASSAGE = "the strategy discussion was not minuted"


def _body() -> str:
    return (
        paragraphs(2)
        + f'<p>Nobody noticed that <span data-comment="{ANCHOR}">{PASSAGE}</span>.</p>'
        + "<h2>Key episodes</h2>"
        + paragraphs(2)
        + '<p data-style="finding">Finding: the agencies did not share the risk.</p>'
        + "<ul><li>One point<ul><li>A point under it</li></ul></li><li>Another point</li></ul>"
        + "<h3>The first episode</h3>"
        + paragraphs(2)
        + '<p data-style="learning-point">Learning point: ask about the children.</p>'
        + "<ol><li>First</li><li>Second</li></ol>"
        + "<h2>Later contact</h2>"
        + paragraphs(1)
    )


def _world_document(world, *, kind: str, numbering: str = Document.Numbering.PER_SECTION) -> Document:
    from tests.test_permission_matrix import built

    built(world)
    GlossaryTerm.objects.create(review=world.review, abbreviation="MARAC", expansion="Multi-Agency Risk Assessment")
    recommendation = Recommendation.objects.create(review=world.review, number=1, text="Share the history.")
    Action.objects.create(
        recommendation=recommendation,
        text="Write the protocol",
        lead_agency=world.agency_a,
        target_date=datetime.date(2027, 3, 1),
    )
    sections = [
        ("Introduction", paragraphs(2) + "<p>The MARAC met.</p>"),
        ("Analysis", _body()),
        ("Summary", paragraphs(1)),
    ]
    document = make_document(world, sections=sections, kind=kind, numbering=numbering)
    analysis = document.sections.get(title="Analysis")
    Comment.objects.create(section=analysis, author=world.panel, anchor=ANCHOR, text="Was this ever minuted?")
    Comment.objects.create(section=analysis, author=world.chair, text="The section as a whole reads well.")
    return document


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _word_numbers(parts: dict[str, bytes]) -> list[str]:
    """The numbers Word shows, worked out as Word does from the numbering part and each
    paragraph's numPr (a level's counter restarts after any level above it), for the outline and
    continuous lists (bullets and ordered lists are not report numbers)."""
    numbering = etree.fromstring(parts["word/numbering.xml"])
    abstract = {a.get(f"{W}abstractNumId"): a for a in numbering.findall(f"{W}abstractNum")}
    nums = {n.get(f"{W}numId"): n.find(f"{W}abstractNumId").get(f"{W}val") for n in numbering.findall(f"{W}num")}
    body = etree.fromstring(parts["word/document.xml"])
    counters: dict[str, list[int]] = {}
    shown = []
    for numpr in body.iter(f"{W}numPr"):
        num, ilvl = numpr.find(f"{W}numId").get(f"{W}val"), int(numpr.find(f"{W}ilvl").get(f"{W}val"))
        if num == "0":  # numbering taken off (a heading its style would number)
            continue
        level = abstract[nums[num]].find(f'{W}lvl[@{W}ilvl="{ilvl}"]')
        if level.find(f"{W}numFmt").get(f"{W}val") != "decimal" or nums[num] not in ("90", "91"):
            continue
        count = counters.setdefault(num, [0] * 9)
        count[ilvl] += 1
        count[ilvl + 1 :] = [0] * (8 - ilvl)
        text = level.find(f"{W}lvlText").get(f"{W}val")
        shown.append(re.sub(r"%(\d)", lambda m, count=count: str(count[int(m.group(1)) - 1]), text))
    return shown


def _composed_numbers(data: render.RenderInput) -> list[str]:
    numbers = []
    for section in data.composed.sections:
        numbers.append(f"{section.number}.")
        numbers += [block.number for block in section.blocks if block.number]
    return numbers


def body_of(xml: str):
    return etree.fromstring(xml.encode())


@pytest.mark.parametrize("kind", [Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY])
@pytest.mark.parametrize("publication", [False, True])
def test_each_word_file_is_one_a_chair_edits(world, kind, publication):
    document = _world_document(world, kind=kind)
    data = render.render_input(document, publication=publication)
    produced = document_docx(data)
    parts = _parts(produced)
    word = WordDocument(io.BytesIO(produced))
    styles = parts["word/styles.xml"].decode()
    document_xml = parts["word/document.xml"].decode()

    # One font family: no theme font anywhere in the styles, Arial named in every heading style.
    assert "asciiTheme" not in styles and "majorHAnsi" not in styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "List Bullet", "Footer"):
        fonts = word.styles[name].element.rPr.rFonts
        assert fonts.get(f"{W}ascii") == "Arial", name
    assert "Calibri" not in parts["word/theme/theme1.xml"].decode()
    # British English for proofing.
    defaults = etree.fromstring(parts["word/styles.xml"]).find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(f"{W}val") == "en-GB"
    assert word.core_properties.language == "en-GB"

    # Word's own numbering: its numbers are the composed ones, and none is typed into the text.
    numbering = parts["word/numbering.xml"].decode()
    for text in ("%1.", "%1.%2", "%1.%2.%3", "%1.%2.%3.%4"):
        assert f'w:lvlText w:val="{text}"' in numbering
    assert _word_numbers(parts) == _composed_numbers(data)
    assert "3.2" in _composed_numbers(data) or "2.3" in _composed_numbers(data)  # sub-headings are numbered
    for paragraph in word.paragraphs:
        if paragraph.style.name.startswith(("Heading", "Numbered", "Finding", "Learning")):
            assert not re.match(r"\d+(\.\d+)*\.?\s", paragraph.text), paragraph.text
    # Heading styles are numbered by the outline list (a heading added in Word is numbered), so
    # every heading says its own numbering: the composed number, or none (numId 0).
    assert word.styles["Heading 1"].element.pPr.numPr is not None
    for paragraph in word.paragraphs:
        if paragraph.style.name.startswith(("Heading", "TOC Heading")):
            assert paragraph._p.pPr.numPr is not None or paragraph.style.name == "TOC Heading", paragraph.text
    unnumbered = {p.text for p in word.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
                  and p._p.pPr.numPr.numId.val == 0}  # fmt: skip
    assert unnumbered >= {f"Appendix {a.letter}: {a.title}" for a in data.appendices} | (
        {"Glossary"} if data.composed.glossary else set()
    )
    numbered = [p for p in word.paragraphs if p.style.name == "Numbered Paragraph"]
    assert numbered and all(p._p.pPr.numPr is not None for p in numbered)
    assert [p.style.name for p in word.paragraphs if p.text.startswith(("Finding:", "Learning point:"))] == [
        "Finding",
        "Learning Point",
    ]
    bullets = [p for p in word.paragraphs if p.style.name == "List Bullet"]
    assert [int(p._p.pPr.numPr.ilvl.val) for p in bullets] == [0, 1, 0]  # nested by level

    # Tables across their section's text width, header rows repeating, rows never split.
    body = etree.fromstring(parts["word/document.xml"])
    sect_prs = body.findall(f".//{W}sectPr")
    widths = set()
    for sect_pr in sect_prs:
        page, margins = sect_pr.find(f"{W}pgSz"), sect_pr.find(f"{W}pgMar")
        widths.add(int(page.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right")))
    tables = body.iter(f"{W}tbl")
    for table in tables:
        assert int(table.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) in {w - 1 for w in widths} | widths
        rows = table.findall(f"{W}tr")
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None

    # The watermark has its shape type (a draft), so LibreOffice draws it.
    headers = [name for name in parts if name.startswith("word/header")]
    assert all('id="_x0000_t136"' in parts[name].decode() for name in headers if b"_x0000_t136" in parts[name])
    assert any('v:shapetype id="_x0000_t136"' in parts[name].decode() for name in headers)

    # Comments: the panel version's, on the passage; never in the publication version.
    if publication:
        assert "word/comments.xml" not in parts
        assert "commentRangeStart" not in document_xml
    else:
        comments = parts["word/comments.xml"].decode()
        assert "Was this ever minuted?" in comments and "The section as a whole reads well." in comments
        made = Comment.objects.get(text="Was this ever minuted?").created_at.astimezone(datetime.UTC)
        assert f'w:date="{made:%Y-%m-%dT%H:%M:%S}Z"' in comments  # when it was made, not rendered
        ranges = re.findall(
            r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>', document_xml, re.S
        )
        texts = sorted("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", inside)) for _id, inside in ranges)
        assert texts == sorted([PASSAGE, "Analysis"])  # on its passage; the other on the heading
        # Each reference mark ends its paragraph (LibreOffice loses footnotes after one mid-paragraph).
        for reference in body_of(document_xml).iter(f"{W}commentReference"):
            run = reference.getparent()
            assert run.getnext() is None, "a comment's reference mark is not at its paragraph's end"
        # The publication check reads the comments part of a finished file.
        assert any("comments" in part.where and "Was this ever minuted?" in part.text for part in docx_parts(produced))

    # The contents is filled before Word updates it: numbered, linked to bookmarks on the headings.
    if data.show_contents:
        entries = [
            (link.get(f"{W}anchor"), "".join(link.itertext()))
            for link in body.iter(f"{W}hyperlink")
            if (link.get(f"{W}anchor") or "").startswith("_Toc")
        ]
        subs = [b for section in data.composed.sections for b in section.blocks if b.level == 2]
        expected = [f"{s.number}.\t{s.title}" for s in data.composed.sections] + [f"{b.number}\t{b.text}" for b in subs]
        assert {text for _anchor, text in entries} >= set(expected)
        assert ["Key episodes", "Later contact"] == [b.text for b in subs]
        bookmarks = {mark.get(f"{W}name") for mark in body.iter(f"{W}bookmarkStart")}
        assert {anchor for anchor, _text in entries} <= bookmarks  # every entry links to its heading
    else:  # a short executive summary opens with its text
        assert " TOC " not in document_xml

    _check_appendices(data, word, parts, body)


def _check_appendices(data, word, parts, body) -> None:
    cover = word.sections[0]
    assert cover.different_first_page_header_footer
    if not data.appendices:
        assert len(word.sections) == 1
        return
    appendix_sections = word.sections[1:]
    assert len(appendix_sections) == len(data.appendices)
    seen = {cover.header.part.partname, cover.first_page_header.part.partname}
    for section, appendix in zip(appendix_sections, data.appendices, strict=True):
        assert not section.different_first_page_header_footer  # its first page is not the cover's
        assert not section.header.is_linked_to_previous and not section.footer.is_linked_to_previous
        assert section.header.part.partname not in seen
        seen.add(section.header.part.partname)
        assert data.reference in section.header.paragraphs[0].text
        assert " PAGE " in section.footer._element.xml and " NUMPAGES " in section.footer._element.xml
        assert (section.page_width > section.page_height) == appendix.landscape
    titles = [p.text for p in word.paragraphs if p.style.name == "Heading 1" and p.text.startswith("Appendix")]
    assert titles == [f"Appendix {a.letter}: {a.title}" for a in data.appendices]
    chronology = [a for a in data.appendices if a.figure_svg]
    if chronology:
        picture = body.find(".//wp:inline", NS)
        assert picture is not None
        assert picture.find("wp:docPr", NS).get("descr")  # alternative text
        assert picture.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed")
        assert b"svgBlip" in parts["word/document.xml"]
        assert any(name.endswith(".png") for name in parts) and any(name.endswith(".svg") for name in parts)


def test_continuous_numbering_is_a_list_of_its_own_never_restarted(world):
    document = _world_document(world, kind=Document.Kind.OVERVIEW, numbering=Document.Numbering.CONTINUOUS)
    data = render.render_input(document, publication=False)
    parts = _parts(document_docx(data))
    composed = _composed_numbers(data)
    assert _word_numbers(parts) == composed
    assert [n for n in composed if "." not in n] == [str(n) for n in range(1, data.composed.paragraph_count + 1)]


def test_a_comment_whose_passage_is_gone_goes_on_the_section_heading(world):
    document = make_document(world, sections=[("Background", paragraphs(2))])
    section = document.sections.get()
    Comment.objects.create(section=section, author=world.panel, anchor=uuid.uuid4(), quote="gone", text="Where?")
    Comment.objects.create(
        section=section, author=world.panel, text="Resolved", resolved_at=datetime.datetime.now(datetime.UTC)
    )
    xml = _parts(document_docx(render.render_input(document, publication=False)))
    comments = xml["word/comments.xml"].decode()
    assert "Where?" in comments and "Resolved" not in comments
    heading = re.search(r"<w:p>(?:(?!</w:p>).)*Heading1(?:(?!</w:p>).)*</w:p>", xml["word/document.xml"].decode(), re.S)
    assert heading and "commentRangeStart" in heading.group(0)


def test_a_new_comment_supersedes_a_panel_render_not_a_publication_one(world):
    document = make_document(world, sections=[("Background", paragraphs(1))])

    def fingerprint(publication: bool) -> str:
        return render.document_fingerprint(document, fmt="docx", publication=publication)[0]

    panel, published = fingerprint(False), fingerprint(True)
    Comment.objects.create(section=document.sections.get(), author=world.panel, text="New")
    assert fingerprint(False) != panel
    assert fingerprint(True) == published


SOFFICE = Path("/usr/bin/soffice")


@pytest.mark.skipif(not SOFFICE.exists(), reason="LibreOffice is not installed")
def test_libreoffice_lays_out_the_composed_numbers(world, tmp_path):
    document = _world_document(world, kind=Document.Kind.EXECUTIVE_SUMMARY)
    data = render.render_input(document, publication=True)
    source = tmp_path / "summary.docx"
    source.write_bytes(document_docx(data))
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-layout", str(tmp_path / "summary.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    # Each numbered line as laid out: its number, then the paragraph's or heading's first words.
    shown = re.findall(r"^\s*(\d+(?:\.\d+)*\.?)\s{2,}\S", text, re.M)
    expected = _composed_numbers(data)
    assert [n for n in shown if n in expected or n.rstrip(".") in expected][: len(expected)] == expected
    assert SENTENCE.split()[0] in text


def test_the_cover_has_the_front_matter_and_the_partnership_logo(world):
    import dataclasses

    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (29, 53, 87)).save(logo, format="PNG")
    document = make_document(world, sections=[("Background", paragraphs(1))])
    data = dataclasses.replace(
        render.render_input(document, publication=False), logo=logo.getvalue(), logo_type="image/png"
    )
    word = WordDocument(io.BytesIO(document_docx(data)))
    cover = [p.text for p in word.paragraphs[: [p.style.name for p in word.paragraphs].index("TOC Heading")]]
    assert data.statutory_line and data.statutory_line in cover
    assert any(data.chair in line for line in cover) and data.month_year in cover
    assert len(word.inline_shapes) == 1  # the logo, on the cover
    assert word.inline_shapes[0]._inline.docPr.get("descr") == f"{data.partnership} logo"
