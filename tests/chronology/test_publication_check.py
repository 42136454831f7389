"""The integrated chronology's publication check: what blocks a designations export, entry by
entry and field by field, and the chair's decisions on it (an entry's date published to its
month, a field redacted, a name confirmed as the person), which hold across rebuilds."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chronology.exports.services import render_export
from reviews.models import AuditEntry, Imr, PublicationDecision
from reviews.publication import PublicationBlocked
from tests.chronology.integrated_world import build
from tests.factories import EntryFactory, PersonFactory

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 9, 2)


@pytest.fixture
def chronology(world):
    PersonFactory(review=world.review, real_name="Kai Rafiq", designation="Child 1", date_of_birth=BIRTH)
    PersonFactory(review=world.review, real_name="Jade Stone", aliases=["Jade"], designation="the victim")
    EntryFactory(imr=world.imr_a, date_start=BIRTH, date_end=BIRTH, date_display="2 Sep 2015", event="Birth",
                 details="Child 1 born at the hospital.", people=[])  # fmt: skip
    EntryFactory(imr=world.imr_a, date_start=datetime.date(2015, 9, 20), date_end=datetime.date(2015, 9, 20),
                 date_display="20 Sep 2015", event="Home visit", details="Jade seen at home with the baby.",
                 people=[])  # fmt: skip
    Imr.objects.filter(review=world.review).update(status=Imr.Status.ACCEPTED)
    return build(world.review)


def _page(client, chronology) -> str:
    return client.get(reverse("chronology:publication_check", args=[chronology.review_id, chronology.version]))


def _decide(client, chronology, finding, decision: str, reason: str):
    url = reverse("chronology:publication_decide", args=[chronology.review_id, chronology.version])
    return client.post(url, {"key": finding.key, "decision": decision, "reason": reason})


def test_the_chair_publishes_a_birth_date_to_its_month_and_confirms_a_name_and_the_export_passes(
    client, world, chronology
):
    from chronology.integrated.selectors import publication_check

    client.force_login(world.chair)
    page = _page(client, chronology).content.decode()
    assert "A designations export of this version is blocked: 2 findings" in page
    assert "Publish this entry's date to the month only" in page and "Replace with “the victim”" in page
    with pytest.raises(PublicationBlocked):
        render_export(chronology, fmt="csv", names="designations")

    date, name = publication_check(chronology).blocking
    assert (date.kind, date.where.label.endswith(", date")) == ("date of birth", True)
    _decide(client, chronology, date, "redact", "The day of a birth is a date of birth.")
    _decide(client, chronology, name, "replace", "The agency's record names the victim.")
    assert set(PublicationDecision.objects.values_list("kind", flat=True)) == {"redact", "replace"}
    assert AuditEntry.objects.filter(action__startswith="publication.", review=world.review).count() == 2

    csv = render_export(chronology, fmt="csv", names="designations").decode("utf-8-sig")
    assert "Sep 2015" in csv and "2 Sep 2015" not in csv and "2015-09-02" not in csv
    assert "The victim seen at home with the baby." in csv and "Jade" not in csv
    assert "The publication check passes" in _page(client, chronology).content.decode()

    # The decisions hold for the next version, built from the same agency entries.
    assert render_export(build(world.review), fmt="json", names="designations")


def test_the_panel_reads_the_check_but_decides_nothing(client, world, chronology):
    from chronology.integrated.selectors import publication_check

    client.force_login(world.panel)
    page = _page(client, chronology).content.decode()
    assert "blocked: 2 findings" in page and "Reason (required)" not in page
    finding = publication_check(chronology).blocking[0]
    assert _decide(client, chronology, finding, "redact", "No.").status_code == 403
    assert not PublicationDecision.objects.exists()


def test_a_posted_key_that_is_not_a_current_finding_decides_nothing(client, world, chronology):
    client.force_login(world.chair)
    url = reverse("chronology:publication_decide", args=[chronology.review_id, chronology.version])
    response = client.post(
        url, {"key": "entry:made-up:details|x|kai|1", "decision": "redact", "reason": "x"}, follow=True
    )
    assert "That finding is no longer there" in response.content.decode()
    assert not PublicationDecision.objects.exists()


def test_one_decision_on_an_entry_holds_where_a_document_cites_it_as_a_footnote(client, world, chronology):
    from chronology.integrated.selectors import publication_check
    from chronology.models import ChronologyEntry
    from reports.render import render_input
    from tests.reports.render_fixtures import make_document

    birth = ChronologyEntry.objects.get(imr__review=world.review, event="Birth")
    document = make_document(world, sections=[("Background", f"<p>Child 1 was born [[entry:{birth.pk}]].</p>")])
    [finding] = render_input(document, publication=True).composed.run.blocking
    assert finding.kind == "date of birth" and finding.where.label.endswith(", date)")

    client.force_login(world.chair)
    date = publication_check(chronology).blocking[0]
    _decide(client, chronology, date, "redact", "The day of a birth is a date of birth.")
    composed = render_input(document, publication=True).composed
    assert composed.run.blocking == []
    assert composed.footnotes[0].text.startswith("Chronology, Northshire Police, Sep 2015: Birth.")
