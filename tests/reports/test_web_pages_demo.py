"""The demo DHR's web pages (reports.render_html, reports.web_pages) as the command line writes
them: one folder, published once for the module from the loaded demo, read by every test here."""

from __future__ import annotations

import html as html_lib
import re
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.models import Document
from reports.render import render_input
from reports.render_html import paragraph_id
from reviews.models import Review
from reviews.publication import publication_for_review
from tests.conftest import module_transaction
from tests.reports.test_publication_corpus import _folded

pytestmark = pytest.mark.django_db

DHR = "BDHR2012/13-04"
ID_RE = re.compile(r'\sid="([^"]+)"')
HREF_RE = re.compile(r'\s(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded and its DHR published as web pages, once for the module."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo", stdout=StringIO())
            folder = tmp_path_factory.mktemp("demo") / "site"
            out = StringIO()
            call_command("publish_html", DHR, "--output", str(folder), stdout=out)
            assert "written to" in out.getvalue()
        yield folder


def _ids(page: str) -> set[str]:
    return set(ID_RE.findall(page))


def test_the_demo_dhr_folder_has_a_page_for_each_document_an_index_a_stylesheet_and_fonts(demo_site):
    folder = demo_site
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


def test_every_link_in_the_folder_resolves_to_a_file_and_an_id_in_it(demo_site):
    folder = demo_site
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


def test_numbered_paragraphs_carry_ids_of_their_numbers_as_the_pdf_numbers_them(demo_site):
    folder = demo_site
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


def test_footnotes_link_to_their_notes_and_back(demo_site):
    folder = demo_site
    page = (folder / "overview-report.html").read_text()
    marks = re.findall(r'<sup class="footnote-ref" id="(fnref-\d+(?:-\d+)?)"><a href="#fn-(\d+)">', page)
    assert marks
    for ref, number in marks:
        assert f'<li id="fn-{number}">' in page
        if ref == f"fnref-{number}":
            assert f'href="#fnref-{number}"' in page  # the note links back to its first mark


def test_the_contents_lists_every_section_and_headings_come_in_order(demo_site):
    folder = demo_site
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


def test_the_command_writes_a_zip_and_refuses_a_folder_with_files_in_it(demo_site, tmp_path):
    folder = demo_site
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("publish_html", DHR, "--output", str(folder), stdout=StringIO())
    target = tmp_path / "site.zip"
    call_command("publish_html", DHR, "--zip", str(target), stdout=StringIO())
    with zipfile.ZipFile(target) as archive:
        assert archive.read("overview-report.html") == (folder / "overview-report.html").read_bytes()


def test_no_file_of_the_demo_dhr_folder_holds_a_registered_name_alias_or_date_of_birth(demo_site):
    """An independent search of every file as written (the demo DHR's register: real names,
    aliases, forenames and surnames, dates of birth in the common written forms)."""
    folder = demo_site
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
