"""The demo DHR's scoping record (seed 002's introduction): the notification the day after the
death, three agencies asked, and the decision to hold a review in time; loaded once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import Review
from reviews.scoping_models import ScopingInformation, ScopingRecord

pytestmark = pytest.mark.django_db
DHR = "BDHR2012/13-04"


def test_the_demo_dhr_has_its_scoping_record_and_decision_loaded_once():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"{DHR}: the scoping record is already loaded" in out.getvalue()
    review = Review.objects.get(reference=DHR)
    record = ScopingRecord.objects.get(review=review)
    assert record.decision == ScopingRecord.Decision.PROCEED and "section 9" in record.reasons
    assert record.notifying_agency.name == "West Midlands Police" and record.decided_by.username == "chair"
    assert ScopingInformation.objects.filter(review=review, received_on__isnull=False).count() == 3
    # The dates are the review's own, as the clocks read them: nothing duplicated.
    assert (review.notification_date.isoformat(), review.decision_date.isoformat()) == ("2012-08-07", "2012-08-29")
