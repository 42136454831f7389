"""The demo DHR's family involvement log (seed 002, section 2): loaded once, however often the
demo is loaded, and printed by the overview report's family block in its publication PDF by
designation only."""

from __future__ import annotations

import subprocess
from io import StringIO

import pytest
from django.core.management import call_command

from reviews.family_models import FamilyContact, FamilyOffer
from reviews.family_selectors import family_involvement_status_by_review
from reviews.models import Person, Review

pytestmark = pytest.mark.django_db
DHR = "BDHR2012/13-04"


def test_the_demo_dhr_has_a_family_log_loaded_once_and_published_by_designation(tmp_path):
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"{DHR}: the family involvement log is already loaded" in out.getvalue()
    review = Review.objects.get(reference=DHR)
    assert FamilyContact.objects.filter(review=review).count() == 4
    assert FamilyOffer.objects.filter(review=review).count() == 3
    assert family_involvement_status_by_review([review.pk]) == {review.pk: "contact made"}

    output = tmp_path / "overview.pdf"
    said = StringIO()
    call_command(
        "render_document", DHR, "overview", "--format", "pdf", "--output", str(output), "--publication", stdout=said
    )
    assert "written to" in said.getvalue()
    text = " ".join(subprocess.run(["pdftotext", str(output), "-"], capture_output=True, check=True, text=True)
                    .stdout.split())  # fmt: skip
    assert "The victim's mother told the review (meeting in person, February 2013):" in text
    assert "The victim would only say what the perpetrator allowed her to say" in text
    # The aunt agreed to be named but not quoted: her words are in the log, not in the report.
    assert "carrying a knife, and was told" not in text
    assert "In January 2013, the perpetrator was invited to contribute to the Review from prison: no response." in text
    for person in Person.objects.filter(review=review):
        for name in [person.real_name, *person.aliases]:
            assert name not in text, name
