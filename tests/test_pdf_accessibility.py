"""Every kind of PDF casereview makes, read as assistive technology reads it: a tagged PDF/UA-1 file
(structure tree, language, title, XMP metadata), the page furniture (running header and footer,
"Page X of Y", the watermark, the contents page's dotted leaders) marked as artifacts and out of the
structure tree, table header cells with a scope, and a timeline figure whose alternative text says
what the picture shows. Read with pypdf and a small reader of the page content streams below."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from actions.plan_export import review_plan_file
from casereview.pdf import ResourceRefused, StaticFilesFetcher, html_to_pdf
from chronology.exports.services import render_export
from reports import render
from reports.models import GlossaryTerm
from reports.publication_check import publication_report, publication_report_html
from tests.actions.conftest import make_plan
from tests.conftest import World
from tests.reports.render_fixtures import make_document, paragraphs
from tests.test_permission_matrix import built

pytestmark = pytest.mark.django_db

KINDS = ["document-panel", "document-publication", "chronology", "action-plan", "publication-report"]
TITLES = {
    "document-panel": "Adult A: Domestic Homicide Review overview report",
    "document-publication": "Adult A: Domestic Homicide Review overview report",
    "chronology": "NDHR-01 integrated chronology",
    "action-plan": "NDHR-01 Adult A: action plan",
    "publication-report": "Publication report: Overview report, NDHR-01",
}


def _furniture(kind: str, page: int, pages: int) -> set[str]:
    """What the page shows that is not the document's text: margin boxes and watermarks."""
    numbered = kind != "document-panel" and kind != "document-publication" or page > 1  # no number on a cover
    texts = {"OFFICIAL-SENSITIVE", *([f"Page {page} of {pages}"] if numbered else [])}
    if kind.startswith("document"):
        texts |= {"DRAFT", *(["NDHR-01"] if page > 1 else [])}
    if kind in ("document-panel", "chronology", "action-plan"):
        texts.add("Contains personal data")
    texts |= {"chronology": {"NDHR-01"}, "action-plan": {"NDHR-01 Adult A: action plan"},
              "publication-report": {"NDHR-01 publication report"}}.get(kind, set())  # fmt: skip
    return texts


def _render(world: World, kind: str) -> bytes:
    if kind == "chronology":
        return render_export(built(world), fmt="pdf", names="real")
    if kind == "action-plan":
        make_plan(world)
        return review_plan_file(world.review, fmt="pdf", names="real", today=datetime.date(2026, 12, 1)).data
    built(world)  # the overview report's panel version carries the integrated chronology and its timeline
    GlossaryTerm.objects.create(review=world.review, abbreviation="MARAC", expansion="Multi-Agency Risk Assessment")
    # The MARAC is named, so the glossary (used terms only) and its header cells are printed; a numbered
    # sub-heading, a finding (its label generated) and lists in lists are tagged as the rest.
    structured = (
        '<h2>Key episodes</h2><p data-style="finding">The history was not shared.</p>'
        "<ul><li>Police<ul><li>Before 2010<ol><li>Neighbours</li></ol></li></ul></li></ul>"
    )
    introduction = "<p>The MARAC met.</p>" + paragraphs(3)
    background = paragraphs(10) + structured
    document = make_document(world, sections=[("Introduction", introduction), ("Background", background)])
    if kind == "publication-report":
        return html_to_pdf(publication_report_html(publication_report(document))).data
    data = render.render_input(document, publication=kind == "document-publication")
    return html_to_pdf(render.document_html(data)).data


# --- Reading a page as marked content ---------------------------------------------------------

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}  # the operators that paint a path
# Content stream tokens: dictionaries, hex strings, arrays, names, literal strings, numbers, operators.
_TOKEN = re.compile(
    rb"<<.*?>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>{}%]+|\((?:\\.|[^\\)])*\)|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+",
    re.S,
)


@dataclass
class Shown:
    """The text of one BT...ET block and the marked content it is drawn in."""

    text: str
    artifact: bool  # inside /Artifact BMC|BDC ... EMC
    mcid: int | None  # the innermost marked-content id, if any


@dataclass
class Page:
    shown: list[Shown] = field(default_factory=list)
    paths: list[bool] = field(default_factory=list)  # for each path painted (lines, dots, boxes): in an artifact?


def _unicode_map(font: DictionaryObject) -> dict[bytes, str]:
    """The font's ToUnicode map (WeasyPrint writes two-byte codes, bfchar entries)."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    pairs = re.findall(
        r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", "".join(re.findall(r"beginbfchar(.*?)endbfchar", data, re.S))
    )
    return {bytes.fromhex(code): bytes.fromhex(text).decode("utf-16-be") for code, text in pairs}


def _read(content: bytes, resources: DictionaryObject, page: Page, stack: list[tuple[str, int | None]]) -> None:
    """Walk a content stream (and the form XObjects it draws), noting where text and painted paths fall."""
    fonts = {name: _unicode_map(font.get_object()) for name, font in resources.get("/Font", {}).items()}
    operands: list[bytes] = []
    font: dict[bytes, str] = {}
    text: list[str] = []
    for token in (match.group() for match in _TOKEN.finditer(content)):
        if not (token[:1].isalpha() or token[:1] in (b"'", b'"')):
            operands.append(token)
            continue
        if token in (b"BDC", b"BMC"):
            mcid = re.search(rb"/MCID\s+(\d+)", operands[1]) if token == b"BDC" else None
            stack.append((operands[0].decode(), int(mcid.group(1)) if mcid else None))
        elif token == b"EMC":
            stack.pop()
        elif token == b"Tf":
            font = fonts[operands[0].decode()]
        elif token in (b"Tj", b"TJ"):
            codes = b"".join(bytes.fromhex(t[1:-1].decode()) for t in operands if t.startswith(b"<"))
            text += [font.get(codes[i : i + 2], "?") for i in range(0, len(codes), 2)]
        elif token == b"ET":
            mcids = [mcid for _tag, mcid in stack if mcid is not None]
            page.shown.append(Shown("".join(text), any(tag == "/Artifact" for tag, _ in stack), (mcids or [None])[-1]))
            text = []
        elif token in PAINT:
            page.paths.append(any(tag == "/Artifact" for tag, _ in stack))
        elif token == b"Do":
            form = resources["/XObject"][operands[0].decode()].get_object()
            if form.get("/Subtype") == "/Form":
                _read(form.get_data(), form.get("/Resources", resources).get_object(), page, stack)
        operands = []


def pages_of(reader: PdfReader) -> list[Page]:
    pages = []
    for pdf_page in reader.pages:
        page = Page()
        _read(pdf_page.get_contents().get_data(), pdf_page["/Resources"].get_object(), page, [])
        pages.append(page)
    return pages


# --- Reading the structure tree ---------------------------------------------------------------


@dataclass
class Tree:
    claimed: set[tuple[int, int]]  # (page index, marked-content id) of every piece of tagged content
    elements: list[DictionaryObject]


def tree_of(reader: PdfReader) -> Tree:
    page_index = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    tree = Tree(set(), [])
    seen: set[int] = set()
    stack: list[tuple[object, int | None]] = [(reader.trailer["/Root"]["/StructTreeRoot"].raw_get("/K"), None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, ArrayObject):
            stack += [(kid, page) for kid in node]
        elif isinstance(node, DictionaryObject):
            page = page_index[node.raw_get("/Pg").idnum] if "/Pg" in node else page
            if node.get("/Type") == "/StructElem":
                tree.elements.append(node)
            if "/MCID" in node:
                tree.claimed.add((page, int(node["/MCID"])))
            if "/K" in node:
                stack.append((node.raw_get("/K"), page))
        elif isinstance(node, int) and page is not None:
            tree.claimed.add((page, int(node)))
    return tree


def elements(tree: Tree, kind: str) -> Iterator[DictionaryObject]:
    return (element for element in tree.elements if element["/S"] == f"/{kind}")


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


@pytest.fixture(params=KINDS)
def rendered(request, world: World) -> tuple[str, bytes]:
    return request.param, _render(world, request.param)


def _assert_tagged_pdf_ua(kind: str, reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")  # its title, not its file name
    assert reader.metadata.title == TITLES[kind]
    packet = re.search(rb"<x:xmpmeta.*</x:xmpmeta>", root["/Metadata"].get_data(), re.S)
    assert packet, "no XMP metadata"
    xmp = ElementTree.fromstring(packet.group())
    titles = [li.text for title in xmp.iter(f"{DC}title") for li in title.iter(f"{RDF}li")]
    assert titles == [TITLES[kind]]
    assert "1" in {description.get(f"{PDFUAID}part") for description in xmp.iter(f"{RDF}Description")}


def _assert_furniture_is_artifact(kind: str, reader: PdfReader) -> None:
    tree = tree_of(reader)
    pages = pages_of(reader)
    for index, page in enumerate(pages):
        # Everything drawn is either tagged (claimed by the structure tree) or an artifact.
        unclaimed = [s.text for s in page.shown if not s.artifact and (index, s.mcid) not in tree.claimed]
        assert unclaimed == [], (kind, index + 1, unclaimed)
        artifacts = {s.text for s in page.shown if s.artifact}
        missing = _furniture(kind, index + 1, len(pages)) - artifacts
        assert not missing, (kind, index + 1, missing, artifacts)
        tagged = [s.text for s in page.shown if not s.artifact]
        assert not [text for text in tagged if text == "DRAFT" or re.fullmatch(r"Page \d+ of \d+", text)], tagged


def _assert_header_cells_scoped(reader: PdfReader) -> None:
    headers = list(elements(tree_of(reader), "TH"))
    assert headers
    scopes = [str(header["/A"].get("/Scope")) for header in headers]
    assert set(scopes) <= {"/Column", "/Row"}, scopes


def test_every_kind_of_pdf_is_pdf_ua_with_furniture_as_artifacts_and_scoped_header_cells(rendered):
    kind, data = rendered
    reader = _reader(data)
    _assert_tagged_pdf_ua(kind, reader)
    _assert_furniture_is_artifact(kind, reader)
    _assert_header_cells_scoped(reader)


def test_the_contents_leaders_are_drawn_as_artifacts_not_dots_of_text(world: World):
    reader = _reader(_render(world, "document-panel"))
    contents = pages_of(reader)[1]
    texts = [s.text for s in contents.shown]
    assert "Contents" in texts and "Introduction" in texts
    assert not [text for text in texts if re.fullmatch(r"[.\s]+", text)], texts
    # A leader for each of the four entries (glossary, two sections, the chronology appendix), and
    # every other line or box drawn, are artifacts.
    assert len(contents.paths) >= 4 and all(contents.paths)
    # The page numbers are still read, as the text of the links.
    assert {"3", "4"} <= {s.text for s in contents.shown if not s.artifact}


@pytest.mark.parametrize("kind", ["document-panel", "chronology"])
def test_the_timeline_figure_says_in_words_what_it_shows(world: World, kind: str):
    reader = _reader(_render(world, kind))
    (figure,) = elements(tree_of(reader), "Figure")
    alt = str(figure["/Alt"])
    agencies = "Northshire Children's Social Care, Northshire Police"
    assert alt.startswith(f"Timeline of agency contact: 2 entries from 2 agencies ({agencies}), from 1 May 2021"), alt
    assert "review period 1 January 2020 to 30 June 2023" in alt and "gap" in alt
    assert alt.endswith("Every entry is listed in the table that follows."), alt


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed; CI installs it")
def test_pdfinfo_reads_every_kind_of_pdf_as_tagged_with_xmp_metadata(rendered):
    kind, data = rendered
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.M), info
    assert re.search(rf"^Title:\s+{re.escape(TITLES[kind])}$", info, re.M), info


def test_the_fetcher_serves_svg_images_written_into_the_page_and_no_other_data_url():
    svg = StaticFilesFetcher()("data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A//www.w3.org/2000/svg%22/%3E")
    assert svg.content_type == "image/svg+xml"
    assert svg.read() == b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    # A logo written into a cover (reports.render) is served as what its first bytes say it is.
    png = StaticFilesFetcher()("data:image/png;base64,iVBORw0KGgo=")
    assert png.content_type == "image/png" and png.read() == b"\x89PNG\r\n\x1a\n"
    refused = ("data:image/png;base64,PHN2Zz4=", "data:image/gif;base64,R0lGODlh", "data:text/html,<p>x</p>")
    for url in (*refused, "data:,svg"):
        with pytest.raises(ResourceRefused):
            StaticFilesFetcher()(url)
