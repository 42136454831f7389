"""The web pages of a review's publication (reports.render_html, reports.web_pages): a folder a
partnership puts on its website. Made from the composed document the PDF prints, through the
one publication pipeline, by the one job mechanism and from the command line; every file of it
checked (reviews.publication.web_files)."""

from __future__ import annotations

import html as html_lib
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casereview.storage import file_bytes
from reports import render_service
from reports.models import DocumentRender
from reports.render import render_input
from reports.render_html import bundle_files, bundle_unzip, bundle_zip
from reports.tasks import render_document_task
from reviews.publication import publication_for_review
from reviews.publication.web_files import bundle_parts
from tests.reports import test_publication_corpus as corpus
from tests.reports.render_fixtures import make_document
from tests.reports.test_publication_corpus import NEVER, NEVER_CAPITALISED, NEVER_DATES, PASSES, _body, _folded

pytestmark = pytest.mark.django_db

register = corpus.register  # the corpus's registered people, as a fixture here


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
