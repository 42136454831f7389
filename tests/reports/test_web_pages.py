"""The web pages of a review's publication (reports.render_html, reports.web_pages): a folder a
partnership puts on its website. Made from the composed document the PDF prints, through the
one publication pipeline, by the one job mechanism and from the command line; every file of it
checked (reviews.publication.web_files)."""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from casereview.storage import file_bytes
from reports import render_service
from reports.models import Document, DocumentRender
from reports.render import render_input
from reports.render_html import bundle_files, bundle_unzip, bundle_zip, paragraph_id
from reports.tasks import render_document_task
from reviews.models import Review
from reviews.publication import publication_for_review
from reviews.publication.web_files import bundle_parts
from tests.reports import test_publication_corpus as corpus
from tests.reports.render_fixtures import make_document
from tests.reports.test_publication_corpus import NEVER, NEVER_CAPITALISED, NEVER_DATES, PASSES, _body, _folded

pytestmark = pytest.mark.django_db

DHR = "BDHR2012/13-04"
ID_RE = re.compile(r'\sid="([^"]+)"')
register = corpus.register  # the corpus's registered people, as a fixture here
HREF_RE = re.compile(r'\s(?:href|src)="([^"]*)"')


def _publish(tmp_path: Path) -> Path:
    call_command("load_demo", stdout=StringIO())
    folder = tmp_path / "site"
    out = StringIO()
    call_command("publish_html", DHR, "--output", str(folder), stdout=out)
    assert "written to" in out.getvalue()
    return folder


def _ids(page: str) -> set[str]:
    return set(ID_RE.findall(page))


def test_the_demo_dhr_folder_has_a_page_for_each_document_an_index_a_stylesheet_and_fonts(tmp_path):
    folder = _publish(tmp_path)
    names = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    assert {"index.html", "overview-report.html", "executive-summary.html", "style.css"} <= names
    assert "fonts/LiberationSans-Regular.ttf" in names and "fonts/LICENSE-LiberationSans.txt" in names
    index = (folder / "index.html").read_text()
    assert 'href="overview-report.html"' in index and 'href="executive-summary.html"' in index
    for page in folder.glob("*.html"):
        text = page.read_text()
        assert "<script" not in text.lower(), page.name
        assert not re.search(r"<[^>]+\son[a-z]+=", text), page.name  # no event handler either
        assert '<html lang="en-GB">' in text and "<title>" in text


def test_every_link_in_the_folder_resolves_to_a_file_and_an_id_in_it(tmp_path):
    folder = _publish(tmp_path)
    pages = {path.name: path.read_text() for path in folder.glob("*.html")}
    ids = {name: _ids(page) for name, page in pages.items()}
    checked = 0
    for name, page in pages.items():
        for address in HREF_RE.findall(page):
            address = html_lib.unescape(address)
            if address.startswith(("http://", "https://", "mailto:")):
                continue  # a link in the report's own text to a page elsewhere: not fetched
            target, _, anchor = address.partition("#")
            target = target or name
            assert (folder / target).is_file(), (name, address)
            if anchor:
                assert anchor in ids[target], (name, address)
            checked += 1
    assert checked > 100


def test_numbered_paragraphs_carry_ids_of_their_numbers_as_the_pdf_numbers_them(tmp_path):
    folder = _publish(tmp_path)
    review = Review.objects.get(reference=DHR)
    overview = Document.objects.get(review=review, kind=Document.Kind.OVERVIEW)
    composed = render_input(overview, publication=True, run=publication_for_review(review)).composed
    numbers = [b.number for s in composed.sections for b in s.blocks if b.number and not b.level]
    assert len(numbers) > 20
    page = (folder / "overview-report.html").read_text()
    for number in numbers:
        anchor = paragraph_id(number)
        assert re.search(
            rf'<p class="numbered" id="{anchor}"[^>]*><a class="para-number" href="#{anchor}">'
            rf'<span class="visually-hidden">Paragraph </span>{re.escape(number)}</a>',
            page,
        ), number
    assert paragraph_id("3.2") == "p3-2" and paragraph_id("41") == "p41"


def test_footnotes_link_to_their_notes_and_back(tmp_path):
    folder = _publish(tmp_path)
    page = (folder / "overview-report.html").read_text()
    marks = re.findall(r'<sup class="footnote-ref" id="(fnref-\d+(?:-\d+)?)"><a href="#fn-(\d+)">', page)
    assert marks
    for ref, number in marks:
        assert f'<li id="fn-{number}">' in page
        if ref == f"fnref-{number}":
            assert f'href="#fnref-{number}"' in page  # the note links back to its first mark


def test_the_contents_lists_every_section_and_headings_come_in_order(tmp_path):
    folder = _publish(tmp_path)
    page = (folder / "overview-report.html").read_text()
    contents = page.split('<nav class="contents"', 1)[1].split("</nav>", 1)[0]
    sections = re.findall(r'<h2 id="section-(\d+)">', page)
    assert sections and all(f'href="#section-{n}"' in contents for n in sections)
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False)), levels
    # Every table has column headers and a box of its own to scroll in at 320 px; the tables the
    # pages lay out (glossary, recommendations, appendices) a caption.
    tables = re.findall(r'(<div class="table-wrap"[^>]*>)?\s*(<table.*?</table>)', page, re.S)
    assert len(tables) > 3
    for wrap, table in tables:
        assert wrap and '<th scope="col">' in table, table[:200]
        assert "<caption" in table or table.startswith("<table>"), table[:200]
    assert page.count("<caption") >= 3


def test_the_command_writes_a_zip_and_refuses_a_folder_with_files_in_it(tmp_path):
    folder = _publish(tmp_path)
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("publish_html", DHR, "--output", str(folder), stdout=StringIO())
    target = tmp_path / "site.zip"
    call_command("publish_html", DHR, "--zip", str(target), stdout=StringIO())
    with zipfile.ZipFile(target) as archive:
        assert archive.read("overview-report.html") == (folder / "overview-report.html").read_bytes()


def test_no_file_of_the_bundle_holds_a_registered_name_alias_or_date_of_birth(register):
    sections = [(f"Case {n}", _body(html)) for n, (_case, html, _expected) in enumerate(PASSES, start=1)]
    document = make_document(register, sections=sections)
    row = render_service.render_request(actor=None, document=document, fmt="html", publication=True)
    render_document_task(row.pk)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.READY, row.error
    assert row.filename.endswith(".zip")
    files = bundle_unzip(file_bytes(row.file))
    # An independent search of every file as it is: not the pipeline's reader.
    for name, data in files.items():
        if name.endswith((".ttf", ".png", ".jpg")):
            continue
        text = html_lib.unescape(data.decode("utf-8"))
        assert not NEVER.search(_folded(text)), (name, NEVER.search(_folded(text)))
        assert not NEVER_CAPITALISED.search(re.sub(r"<[^>]+>", " ", text)), name
        assert not NEVER_DATES.search(text), name
    words = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", files["overview-report.html"].decode())).split())
    for case, _html, expected in PASSES:
        assert expected in words, case
    assert "acacia" not in b" ".join(files.values()).decode("utf-8", "replace").lower()


def test_web_pages_are_made_of_the_publication_version_only(world):
    document = make_document(world)
    with pytest.raises(ValidationError, match="publication version only"):
        render_service.render_request(actor=None, document=document, fmt="html", publication=False)


def _bundle_with(world, extra: dict[str, bytes]) -> bytes:
    document = make_document(world, sections=[("Intro", "<p>Opening.</p>")])
    data = render_input(document, publication=True, run=publication_for_review(world.review))
    return bundle_zip({**bundle_files([data]), **extra})


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("notes.css", b"/* written by Zo\xc3\xab O'Brien-Smith */ p { color: red }", "notes.css"),
        ("figure.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><text>Mark Stone</text></svg>', "figure.svg, text"),
        (
            "figure2.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" aria-label="Kai Rafiq"/>',
            "figure2.svg (aria-label)",
        ),
        ("page.html", b'<p><img src="a.png" alt="Kazzy at home"></p>', "page.html, <img alt>"),
        ("page2.html", b'<p><a href="https://example.org/kai-rafiq-case">case</a></p>', "page2.html, <a href>"),
        ("page3.html", b"<head><title>Hope Grimes</title></head>", "page3.html, text"),
        ("page4.html", b'<meta name="author" content="Mark Stone">', "page4.html, <meta content>"),
        ("page5.html", b"<!-- Zoe O'Brien-Smith born 14/03/1990 -->", "page5.html, comment"),
        ("zoe-obrien-smith.html", b"<p>Nothing.</p>", "zoe-obrien-smith.html (file name)"),
        (
            "logo.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x15tEXtAuthor\x00Kai Rafiq 02" + b"\x00\x00\x00\x00",
            "logo.png, tEXt chunk",
        ),
    ],
)
def test_the_check_of_the_bundle_reads_every_file_its_text_addresses_and_metadata(register, name, content, where):
    bundle = _bundle_with(register, {name: content})
    found = publication_for_review(register.review).check_file("html", bundle, "Web pages")
    assert found, name
    assert any(f"Web pages, Web pages, {where}" in f.where.label for f in found), [f.where.label for f in found]


def test_a_clean_bundle_passes_the_check_and_its_fonts_names_are_read(register):
    bundle = _bundle_with(register, {})
    assert publication_for_review(register.review).check_file("html", bundle, "Web pages") == []
    labels = {part.where for part in bundle_parts(bundle)}
    assert "Web pages, fonts/LiberationSans-Regular.ttf, name table" in labels
    assert "Web pages, style.css" in labels


def test_the_document_page_offers_web_pages_to_the_chair_and_downloads_a_zip(world, client):
    document = make_document(world)
    client.force_login(world.chair)
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert 'value="html"' in page and "publication version only" in page
    row = render_service.render_request(actor=world.chair, document=document, fmt="html", publication=True)
    render_document_task(row.pk)
    response = client.get(reverse("reports:render_download", args=[world.review.pk, document.pk, row.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert ".zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response))) as archive:
        assert "index.html" in archive.namelist() and "overview-report.html" in archive.namelist()


def test_a_figure_is_a_file_of_its_own_shown_with_its_text_alternative_and_read_by_the_check(world):
    """The timeline (an appendix picture): an SVG file beside the page, its alternative text on the
    image, and its text read by the check like every other file's."""
    from reports.render_appendix import Appendix

    document = make_document(world, sections=[("Intro", "<p>Opening.</p>")])
    data = render_input(document, publication=True, run=publication_for_review(world.review))
    svg = '<svg xmlns="http://www.w3.org/2000/svg" role="img"><title>Timeline</title><text>2012</text></svg>'
    alt = "Timeline of agency contact: 3 entries from 2 agencies"
    data.appendices.append(Appendix("A", "Timeline", "", ["Date"], [["2012"]], [1.0], False, [""], svg, alt))
    files = bundle_files([data])
    name = "overview-report-appendix-a.svg"
    assert files[name] == svg.encode()
    page = files["overview-report.html"].decode()
    assert f'<img src="{name}" alt="{alt}">' in page
    labels = {part.where for part in bundle_parts(bundle_zip(files))}
    assert f"Web pages, {name}, text" in labels


def test_no_file_of_the_demo_dhr_folder_holds_a_registered_name_alias_or_date_of_birth(tmp_path):
    """An independent search of every file as written (the demo DHR's register: real names,
    aliases, forenames and surnames, dates of birth in the common written forms)."""
    folder = _publish(tmp_path)
    review = Review.objects.get(reference=DHR)
    words: set[str] = set()
    dates = []
    for person in review.people.all():
        for name in [person.real_name, *person.aliases]:
            words.update(part for part in re.split(r"[\s-]+", name) if part not in ("Mr", "Mrs", "Ms"))
        if person.date_of_birth:
            day = person.date_of_birth
            dates += [f"{day:%d/%m/%Y}", f"{day:%Y-%m-%d}", f"{day.day} {day:%B %Y}", f"{day.day} {day:%b %Y}"]
    assert {"Rafiq", "Marsh", "Jade", "Leanne", "Danny"} <= words
    pattern = re.compile(r"(?<![a-z])(" + "|".join(re.escape(w.casefold()) for w in words) + r")(?![a-z])")
    checked = 0
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix == ".ttf":
            continue
        text = _folded(html_lib.unescape(path.read_text(encoding="utf-8")))
        assert not pattern.search(text), (path.name, pattern.search(text))
        assert not any(date.casefold() in text for date in dates), path.name
        assert not pattern.search(_folded(path.name))
        checked += 1
    assert checked >= 4
