"""A document's structure in its PDF, read back as a reader meets it (pdftotext, pdfinfo, pypdf):
numbered sub-headings in the contents (with their pages), in the text and in the bookmarks;
sub-headings tagged one level below the section titles; empty sections left out of a publication
version; footnote marks set at a readable size right after their word."""

from __future__ import annotations

import io
import re
import subprocess
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from casereview.pdf import html_to_pdf
from reports import render
from reports.models import Document
from reviews.models import Imr
from reviews.publication.files import pdf_pages_text
from tests.conftest import World
from tests.reports.render_fixtures import make_document, paragraphs
from tests.test_pdf_accessibility import elements, tree_of

pytestmark = pytest.mark.django_db

FACTS = (
    paragraphs(2)
    + "<h2>Key episodes</h2>"
    + paragraphs(6)
    + "<h3>The first key episode</h3>"
    + paragraphs(2)
    + "<h4>What the police knew</h4><p>The police knew of the earlier incidents.</p>"
    + '<h2>Summary and findings</h2><p data-style="finding">Agencies did not share the history.</p>'
    + "<ul><li>Police<ul><li>Before 2010<ul><li>Reported by neighbours</li></ul></li></ul></li></ul>"
)


def _pdf(document: Document, *, publication: bool = False) -> tuple[bytes, list[str]]:
    data = html_to_pdf(render.document_html(render.render_input(document, publication=publication))).data
    return data, pdf_pages_text(data)


def _structured(world: World, **kwargs) -> Document:
    sections = [("Introduction", paragraphs(3)), ("The facts", FACTS), ("Analysis", paragraphs(3))]
    return make_document(world, sections=sections, **kwargs)


def test_sub_headings_are_numbered_in_the_contents_with_their_pages_and_in_the_text(world: World):
    data, pages = _pdf(_structured(world))
    contents = pages[1]
    found = re.findall(r"^(2\.\d)\s+(Key episodes|Summary and findings)[\s.]*?(\d+)\s*$", contents, re.M)
    listed = {f"{number} {title}": page for number, title, page in found}
    assert set(listed) == {"2.3 Key episodes", "2.4 Summary and findings"}, contents
    assert "2.3.3" not in contents and "What the police knew" not in contents  # level 2 only
    for entry, page in listed.items():
        assert re.search(rf"^{re.escape(entry)}\s*$", pages[int(page) - 1], re.M), (entry, page)
    body = "\n".join(pages[2:])
    # Six paragraphs under 2.3 (2.3.1 to 2.3.6), so the sub-heading after them is 2.3.7.
    for heading in ["2.3 Key episodes", "2.3.7 The first key episode", "2.3.7.3 What the police knew"]:
        assert re.search(rf"^{re.escape(heading)}\s*$", body, re.M), heading
    # Paragraphs share the counters: 2.3.1 ... 2.3.6 under 2.3, 2.3.7.1 under 2.3.7, 2.3.7.3.1 under 2.3.7.3.
    for number in ["2.3.1", "2.3.6", "2.3.7.1", "2.3.7.2", "2.3.7.3.1", "2.4.1"]:
        assert re.search(rf"^{re.escape(number)}\s*$", body, re.M), number
    assert not re.search(r"^2\.3\.7\.4\s*$", body, re.M)
    assert re.search(r"^FINDING\s+Agencies did not share the history\.", body, re.M)


def test_bookmarks_go_to_the_third_level_and_sub_headings_are_tagged_below_section_titles(world: World):
    data, _pages = _pdf(_structured(world, numbering=Document.Numbering.CONTINUOUS))
    reader = PdfReader(io.BytesIO(data))

    def titles(outline, depth=1):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, " ".join(item.title.split())

    marks = list(titles(reader.outline))
    assert (1, "2. The facts") in marks
    assert (2, "2.1 Key episodes") in marks and (2, "2.2 Summary and findings") in marks
    assert (3, "2.1.1 The first key episode") in marks, marks
    assert not any(title.startswith("2.1.1.1") for _depth, title in marks)  # level 4: not a bookmark
    tree = tree_of(reader)
    texts = {kind: len(list(elements(tree, kind))) for kind in ("H2", "H3", "H4", "H5")}
    # The sections' titles (3) and Contents are <h2>; 2.1 and 2.2 are <h3>, 2.1.1 <h4>, 2.1.1.1 <h5>.
    assert texts["H3"] == 2 and texts["H4"] == 1 and texts["H5"] == 1, texts
    assert len(list(elements(tree, "L"))) >= 4  # the nested lists are lists in lists


def test_an_empty_section_has_no_heading_in_the_publication_version(world: World):
    sections = [("Introduction", paragraphs(2)), ("Parallel reviews", ""), ("Analysis", paragraphs(2))]
    document = make_document(world, sections=sections, status=Document.Status.APPROVED)
    _data, panel = _pdf(document)
    panel_text = "\n".join(panel)
    assert re.search(r"^2\. Parallel reviews\s*\nNo text yet\.", panel_text, re.M)
    _data, published = _pdf(document, publication=True)
    text = "\n".join(published)
    assert "Parallel reviews" not in text and "No text yet" not in text
    assert re.search(r"^2\. Analysis\s*$", text, re.M) and re.search(r"^2\.1\s", text, re.M)


def _words(data: bytes, page: int) -> list[tuple[str, float, float, float]]:
    """(word, left, right, height) of each word on a page: pdftotext's bounding boxes."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    words = []
    for word in ElementTree.fromstring(xhtml).iter("{http://www.w3.org/1999/xhtml}word"):
        box = {name: float(word.get(name) or 0) for name in ("xMin", "xMax", "yMin", "yMax")}
        words.append((word.text or "", box["xMin"], box["xMax"], box["yMax"] - box["yMin"]))
    return words


def test_a_footnote_mark_is_a_readable_superscript_right_after_its_word(world: World):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)  # only a submitted IMR is cited
    body = f"<p>The police attended the address [[entry:{world.entry_a.pk}]] and recorded it.</p>"
    data, pages = _pdf(make_document(world, sections=[("Background", body)]))
    page = next(index for index, text in enumerate(pages, start=1) if "The police attended" in text)
    words = _words(data, page)
    at = next(index for index, word in enumerate(words) if word[0] == "address")
    (_word, _left, right, height), (mark, mark_left, _right, mark_height) = words[at], words[at + 1]
    assert mark == "1", words[at : at + 3]
    assert mark_left - right < 0.5  # no space before it
    # About 8 pt beside 11 pt text (a box's height is the font's size times the same factor).
    assert 0.68 <= mark_height / height <= 0.78, (mark_height, height)
