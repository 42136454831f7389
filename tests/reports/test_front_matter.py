"""The cover (statutory line, chair, author, month and year), the contents page or not, and the
appendices (the Home Office action-plan columns, the chronology columns the chair chooses)."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from actions import exports as plan_exports
from actions.models import Action, Milestone, Recommendation
from casereview.pdf import html_to_pdf
from reports import render, render_front
from reports.appendix_services import document_chronology_columns_set
from reports.models import Document
from reports.render_appendix import DEFAULT_CHRONOLOGY_COLUMNS, visible_columns
from reviews import services as review_services
from reviews.models import AuditEntry, PartnershipLogo, Review, ReviewMembership
from reviews.publication.files import pdf_pages_text
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db


def _pdf(document: Document, *, publication: bool = False) -> tuple[render.RenderInput, bytes, list[str]]:
    data = render.render_input(document, publication=publication)
    pdf = html_to_pdf(render.document_html(data))
    return data, pdf.data, pdf_pages_text(pdf.data)


def _plan(world) -> Action:
    recommendation = Recommendation.objects.create(
        review=world.review, number=1, text="Share the history.", expected_outcome="Histories are shared."
    )
    action = Action.objects.create(
        recommendation=recommendation,
        text="Write the information-sharing protocol",
        lead_agency=world.agency_a,
        target_date=datetime.date(2027, 3, 1),
    )
    Milestone.objects.create(action=action, text="Draft to the board", due_date=datetime.date(2026, 11, 1))
    return action


@pytest.mark.parametrize(
    ("review_type", "expected"),
    [
        (
            "dhr",
            "Report into the death of Adult A under section 9 of the Domestic Violence, Crime and Victims Act 2004",
        ),
        ("cspr", "Child Safeguarding Practice Review under section 16F of the Children Act 2004"),
        ("rapid", "notified under section 16C of the Children Act 2004"),
        ("sar", "Safeguarding Adults Review under section 44 of the Care Act 2014"),
        ("scr", "under Regulation 5 of the Local Safeguarding Children Boards Regulations 2006"),
    ],
)
def test_the_statutory_line_follows_the_review_type(review_type, expected):
    label = Review.Type(review_type).label
    line = render_front.statutory_line(review_type, label, "Adult A")
    assert expected in line
    # A DHR named for the death does not say "the death of" twice.
    assert render_front.statutory_line("dhr", "", "The death of a woman").startswith(
        "Report into the death of a woman "
    )


def test_the_cover_names_the_chair_the_author_and_the_month_and_year(world):
    world.review.report_author = "Jo Lake, independent author"
    world.review.save()
    document = make_document(world, sections=[("Introduction", paragraphs(2))])
    data, pdf, pages = _pdf(document)
    cover = " ".join(pages[0].split())  # lines as wrapped on the page, joined
    chair = world.chair.display_name
    assert data.chair == chair and data.author == "Jo Lake, independent author"
    assert data.month_year == f"{data.dated:%B %Y}"
    assert "under section 9 of the Domestic Violence, Crime" in cover
    assert f"Independent chair: {chair}" in cover
    assert "Author: Jo Lake, independent author" in cover
    assert data.month_year in cover
    # The author defaults to the chair, and the cover says it once.
    Review.objects.filter(pk=world.review.pk).update(report_author="")
    document = Document.objects.select_related("review__partnership").get(pk=document.pk)
    data, _pdf_data, pages = _pdf(document)
    assert data.author == chair and f"Independent chair and author: {chair}" in " ".join(pages[0].split())


def test_a_registered_persons_name_on_the_cover_goes_through_the_publication_pipeline(world):
    from reviews.publication import publication_for_review

    world.review.report_author = world.person.real_name
    world.review.save()
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    run = publication_for_review(world.review)
    data = render.render_input(document, publication=True, run=run)
    assert world.person.real_name not in data.author
    assert world.person.designation.lower() in data.author.lower()
    assert run.replacements[("Cover", world.person.designation)] >= 1


def test_a_short_executive_summary_has_no_contents_page_and_a_long_one_does(world):
    short = make_document(world, sections=[("Introduction", paragraphs(2)), ("Findings", paragraphs(3))],
                          kind=Document.Kind.EXECUTIVE_SUMMARY)  # fmt: skip
    data, pdf, pages = _pdf(short)
    assert not data.show_contents
    assert not any("Contents" in page for page in pages)
    # The text starts straight after the cover.
    assert "1. Introduction" in pages[1]
    long_sections = [(f"Part {n}", paragraphs(6)) for n in range(render_front.SHORT_SUMMARY_SECTIONS)]
    Document.objects.filter(pk=short.pk).delete()
    long = make_document(world, sections=long_sections, kind=Document.Kind.EXECUTIVE_SUMMARY)
    data, pdf, pages = _pdf(long)
    assert data.show_contents and "Contents" in pages[1]
    # An overview report always has one, however short.
    overview = make_document(world, sections=[("Introduction", paragraphs(1))])
    assert render.render_input(overview, publication=False).show_contents


def test_the_action_plan_appendix_has_the_home_office_columns_on_a_landscape_page(world):
    _plan(world)
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    data, pdf, pages = _pdf(document)
    plan = next(a for a in data.appendices if a.title == "Action plan")
    # The export's own columns, less its RAG colour (one definition: actions.exports.COLUMNS).
    assert plan.headers == [name for name, _width in plan_exports.COLUMNS if name != "RAG"]
    assert plan.landscape
    row = plan.rows[0]
    assert row[0] == "1. Share the history." and "Draft to the board (by 01/11/2026)" in row[4]
    page = [p for p in pages if f"Appendix {plan.letter}: Action plan" in p][-1]  # not the contents page
    words = " ".join(page.split())  # a heading may wrap in its cell
    for heading in ("Recommendation", "Scope", "Action", "Lead agency", "Key milestones", "Target date", "Status"):
        assert heading in words, heading
    # Landscape: the page is wider than it is tall.
    number = pages.index(page) + 1
    info = subprocess.run(
        ["pdfinfo", "-f", str(number), "-l", str(number), "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    size = next(line for line in info.splitlines() if line.startswith(f"Page {number:>4} size") or "size:" in line)
    width, height = (float(v) for v in size.split(":", 1)[1].split("pts")[0].split(" x "))
    assert width > height, size


def test_an_empty_column_is_left_out_of_the_pdf(world):
    _plan(world)  # nothing is complete: the completion column is empty
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    data, _pdf_data, pages = _pdf(document)
    plan = next(a for a in data.appendices if a.title == "Action plan")
    completion = plan.headers.index("Date of completion and outcome")
    assert completion not in visible_columns(plan)
    page = next(p for p in pages if "Action plan" in p and "Key milestones" in p)
    assert "Date of completion" not in page


def test_the_chronology_appendix_prints_the_columns_the_chair_chose(world):
    from tests.test_permission_matrix import built

    built(world)
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    data = render.render_input(document, publication=False)
    chronology = data.appendices[0]
    assert chronology.title == "Integrated chronology" and chronology.landscape
    assert chronology.headers[:3] == ["#", "Date", "Agency"] and "Person(s)" in chronology.headers
    assert len(chronology.headers) == len(DEFAULT_CHRONOLOGY_COLUMNS)
    before = render.document_fingerprint(document, fmt="pdf", publication=False)[0]

    document_chronology_columns_set(document=document, columns=["details", "seq", "practitioner"], actor=world.chair)
    document.refresh_from_db()
    assert document.chronology_columns == ["seq", "practitioner", "details"]  # the export's order
    assert AuditEntry.objects.filter(action="document.chronology_columns_changed").exists()
    assert render.document_fingerprint(document, fmt="pdf", publication=False)[0] != before
    data, _pdf_data, pages = _pdf(document)
    chronology = data.appendices[0]
    assert chronology.headers == ["#", "Practitioner", "Details"]
    page = [p for p in pages if "Appendix A: Integrated chronology" in p][-1]  # not the contents page
    assert "Details" in page and "Agency" not in page.split("Integrated chronology", 1)[1].split("Details")[0]


def test_a_bad_chronology_column_is_refused_with_a_message_naming_it(world):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    with pytest.raises(ValidationError, match='"postcode" is not a column of the integrated chronology'):
        document_chronology_columns_set(document=document, columns=["seq", "postcode"], actor=world.chair)
    with pytest.raises(ValidationError, match="choose at least one column"):
        document_chronology_columns_set(document=document, columns=[], actor=world.chair)
    document.refresh_from_db()
    assert document.chronology_columns == []
    client = Client()
    client.force_login(world.chair)
    url = reverse("reports:document_chronology_columns", args=[world.review.pk, document.pk])
    page = client.post(url, {"columns": ["seq", "postcode"]}, follow=True).content.decode()
    assert "is not a column of the integrated chronology" in page
    page = client.post(url, {"columns": ["seq", "date", "details"]}, follow=True).content.decode()
    assert "The chronology appendix prints these columns: #, Date, Details." in page
    document.refresh_from_db()
    assert document.chronology_columns == ["seq", "date", "details"]


def test_the_report_author_is_edited_on_the_review_form_and_audited(world):
    client = Client()
    client.force_login(world.chair)
    url = reverse("reviews:edit", args=[world.review.pk])
    form = client.get(url).content.decode()
    assert 'name="report_author"' in form
    data = {
        "reference": world.review.reference,
        "review_type": world.review.review_type,
        "case_name": world.review.case_name,
        "stage": world.review.stage,
        "scope_start": world.review.scope_start.isoformat(),
        "scope_end": world.review.scope_end.isoformat(),
        "report_author": "Jo Lake\nsecond line",
    }
    refused = client.post(url, data).content.decode()
    assert "The author has a line break in it" in refused
    world.review.refresh_from_db()
    assert world.review.report_author == ""
    client.post(url, {**data, "report_author": "Jo Lake, independent author"})
    world.review.refresh_from_db()
    assert world.review.report_author == "Jo Lake, independent author"
    entry = AuditEntry.objects.filter(action="review.updated").latest("pk")
    assert "report_author" in entry.detail


def test_a_panel_role_is_set_on_the_members_page_audited_and_supersedes_renders(world):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    before = render.document_fingerprint(document, fmt="docx", publication=False)[0]
    membership = world.review.memberships.get(user=world.panel)
    client = Client()
    client.force_login(world.chair)
    page = client.get(reverse("reviews:membership_list", args=[world.review.pk])).content.decode()
    assert "Role on the panel" in page
    url = reverse("reviews:membership_panel_role", args=[world.review.pk, membership.pk])
    client.post(url, {"panel_role": "Detective Inspector, Northshire Police"})
    membership.refresh_from_db()
    assert membership.panel_role == "Detective Inspector, Northshire Police"
    assert AuditEntry.objects.filter(action="membership.panel_role_changed").exists()
    assert render.document_fingerprint(document, fmt="docx", publication=False)[0] != before
    # An IMR author is not on the panel: refused, saying so.
    author = world.review.memberships.filter(role=ReviewMembership.Role.IMR_AUTHOR).first()
    assert author is not None
    with pytest.raises(ValidationError, match="is not on the panel"):
        review_services.membership_panel_role_set(actor=world.chair, membership=author, panel_role="Panel member")
    page = client.post(
        reverse("reviews:membership_panel_role", args=[world.review.pk, membership.pk]),
        {"panel_role": "x" * 201},
        follow=True,
    ).content.decode()
    assert "longer than 200 characters" in page


def _picture(fmt: str, size: tuple[int, int] = (120, 40)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (29, 53, 87)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_a_board_administrator_uploads_a_logo_checked_by_content_and_the_cover_shows_it(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    before = render.document_fingerprint(document, fmt="pdf", publication=True)[0]
    client = Client()
    client.force_login(world.board_admin)
    url = reverse("reviews:partnership_logo", args=[world.review.partnership_id])

    def upload(name: str, data: bytes, content_type: str = "image/png") -> str:
        file = SimpleUploadedFile(name, data, content_type=content_type)
        return client.post(url, {"logo": file}, follow=True).content.decode()

    # Judged by content, not by name or the browser's word.
    assert "must be a PNG or JPEG picture" in upload("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert "must be a PNG or JPEG picture" in upload("logo.png", _picture("GIF"))
    assert "could not be read" in upload("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert "256 KB" in upload("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (257 * 1024))
    assert not PartnershipLogo.objects.exists()

    assert "The logo is saved" in upload("logo.jpg", _picture("JPEG"), "image/jpeg")
    assert "The logo is saved" in upload("crest.png", _picture("PNG"))
    assert AuditEntry.objects.filter(action="partnership.logo_changed").count() == 2
    document = Document.objects.select_related("review__partnership").get(pk=document.pk)
    assert render.document_fingerprint(document, fmt="pdf", publication=True)[0] != before
    data, pdf, _pages = _pdf(document)
    assert data.logo_type == "image/png" and data.logo.startswith(b"\x89PNG")
    images = subprocess.run(
        ["pdfimages", "-f", "1", "-l", "1", "-list", "-"], input=pdf, capture_output=True, check=False
    )
    if images.returncode == 0:  # pdfimages reads a file name; "-" is stdin on newer poppler only
        listed = images.stdout.decode().splitlines()[2:]
        assert any(" 120 " in line and " 40 " in line for line in listed), images.stdout.decode()
    html = render.document_html(data)
    assert f'alt="{world.review.partnership.name} logo"' in html and 'src="data:image/png;base64,' in html
    # Another persona may not: a panel member gets a 404, as for anything of the board's.
    other = Client()
    other.force_login(world.chair)
    assert other.post(url, {"remove": "1"}).status_code == 404
    client.post(url, {"remove": "1"})
    assert not PartnershipLogo.objects.exists()
    assert AuditEntry.objects.filter(action="partnership.logo_removed").count() == 1
    document = Document.objects.select_related("review__partnership").get(pk=document.pk)
    assert render.render_input(document, publication=False).logo == b""
