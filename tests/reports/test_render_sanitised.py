"""Nothing pasted into a section reaches a rendered file as markup or script: the HTML the PDF
is made from, the PDF itself and the Word file carry none of it."""

from __future__ import annotations

import io
import zipfile

import pytest

from casereview.pdf import html_to_pdf
from reports import document_services, render, services
from reports.docx_render import document_docx
from reports.models import Document
from tests.conftest import World
from tests.reports.test_richtext import XSS_PAYLOADS


@pytest.fixture
def poisoned(world: World) -> Document:
    document = document_services.document_create(review=world.review, kind=Document.Kind.OVERVIEW, actor=world.chair)
    section = document.sections.first()
    body = "".join(f"<p>Before {n}</p>{payload}" for n, payload in enumerate(XSS_PAYLOADS))
    services.section_save(section_id=section.pk, body=body, base_version=0, actor=world.chair)
    return Document.objects.select_related("review__partnership").get(pk=document.pk)


def test_no_script_handler_or_javascript_link_reaches_the_pdf_or_its_html(poisoned: Document):
    html = render.document_html(render.render_input(poisoned, publication=False)).lower()
    for forbidden in ("<script>alert", "onerror=", "onclick=", "onload=", "onmouseover=", "javascript:", "<iframe",
                      "<object", "<form", '<base href="https', "<meta http-equiv"):  # fmt: skip
        assert forbidden not in html, forbidden
    # (the <math> payload, 12th, swallows what follows it: the sanitiser drops the rest unread)
    assert "before 0" in html and "before 11" in html
    pdf = html_to_pdf(html).data
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"javascript:" not in pdf.lower()


def test_no_script_or_javascript_link_reaches_the_word_file(poisoned: Document):
    docx = document_docx(render.render_input(poisoned, publication=False))
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels"))).lower()
    assert b"javascript:" not in xml and b"<script" not in xml and b"alert(1)" not in xml
    assert b"before 11" in xml
