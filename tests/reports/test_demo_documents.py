"""Every demo review's documents render from the command line, in both formats; the demo DHR's
overview report has its front matter on page 1; the SCR's executive summary is seed 000's text."""

from __future__ import annotations

import re
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Review, ReviewMembership

pytestmark = pytest.mark.django_db

DHR = "BDHR2012/13-04"
SCR = "BPSCR-FamilyB"


def _render(reference: str, kind: str, fmt: str, output, *publication: str) -> str:
    out = StringIO()
    call_command("render_document", reference, kind, "--format", fmt, "--output", str(output), *publication, stdout=out)
    return out.getvalue()


def _text(path, *pages: str) -> str:
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, check=True, text=True).stdout


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


@pytest.mark.slow  # every demo review's documents rendered to PDF and Word
def test_every_demo_review_renders_both_documents_in_both_formats(tmp_path):
    call_command("load_demo", stdout=StringIO())
    references = list(Review.objects.order_by("reference").values_list("reference", flat=True))
    assert set(references) == {DHR, SCR}
    for reference in references:
        for kind in ("overview", "executive-summary"):
            for fmt in ("pdf", "docx"):
                output = tmp_path / f"{reference.replace('/', '_')}-{kind}.{fmt}"
                said = _render(reference, kind, fmt, output)
                assert "written to" in said and output.stat().st_size > 5000, said

    # The DHR overview report's cover: the statutory line, chair, author, month and year.
    overview = tmp_path / f"{DHR.replace('/', '_')}-overview.pdf"
    cover = " ".join(_text(overview, "-f", "1", "-l", "1").split())
    dhr = Review.objects.get(reference=DHR)
    chair = ReviewMembership.objects.get(review=dhr, role="chair").user.display_name
    assert (
        "Report into the death of a woman under section 9 of the Domestic Violence, Crime and Victims Act 2004" in cover
    )
    assert f"Independent chair and author: {chair}" in cover  # seed 002: "Independent Chair and Author"
    assert re.search(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) "
                     r"20\d\d\b", cover)  # fmt: skip
    assert "Birmingham Community Safety Partnership" in cover
    assert 10 <= _pages(overview) <= 80
    # The action plan appendix (B after the integrated chronology, A while that is not built).
    body = _text(overview)
    assert re.search(r"Appendix [AB]: Action plan", body) and "Key milestones" in body

    # Short executive summaries: no contents page.
    for reference in references:
        summary = tmp_path / f"{reference.replace('/', '_')}-executive-summary.pdf"
        assert "Contents" not in _text(summary), reference
        assert 2 <= _pages(summary) <= 12

    # The SCR: the chair and its (other) author on the cover; its statute.
    scr_cover = " ".join(_text(tmp_path / f"{SCR}-overview.pdf", "-f", "1", "-l", "1").split())
    assert "under Regulation 5 of the Local Safeguarding Children Boards Regulations 2006" in scr_cover
    assert f"Independent chair: {chair}" in scr_cover and "Author: Ruth Ellery" in scr_cover
    # Panel roles as the seed lists the panel (read by the panel data block).
    roles = set(ReviewMembership.objects.filter(review__reference=SCR).values_list("panel_role", flat=True))
    assert "Detective Inspector, Public Protection, Dorset Police" in roles


def test_the_demo_scr_executive_summary_publishes_as_seed_000_reads(tmp_path):
    call_command("load_demo", stdout=StringIO())
    output = tmp_path / "scr-summary.pdf"
    _render(SCR, "executive-summary", "pdf", output, "--publication")
    text = " ".join(_text(output).split())
    # The draft names the people (the register's real names); the publication version has the seed's
    # designations back.
    assert "Child 1 aged seven and her sister Child 2 who were the children of Mrs B" in text
    assert "Linda Barlow" not in text and "Gary Bristow" not in text
    assert "1. Introduction" in text and "Summary of contact between professionals and the family" in text
    assert "In May 2007 Mrs B telephoned the police" in text  # "May" acknowledged as the month
