"""The chair's decisions on the publication check: a finding acknowledged as not identifying
(with a reason, audited, lapsing when its paragraph changes), an agency entry's field redacted
in every publication, and either withdrawn. The key a form posts is never trusted: the finding
is looked up again in a run made on the server."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reports import services
from reports.models import Section
from reports.publication_check import publication_check
from reviews import publication_services
from reviews.models import AuditEntry, PublicationDecision
from reviews.publication import finding_key, text_hash
from tests.conftest import World
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# "Marsh" is the surname of Susan Marsh, the world's victim's mother: here it names a street.
STREET = "<p>She was registered at the Marsh Lane surgery.</p>"


def _write(section: Section, body: str, world: World) -> Section:
    return services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)


def _preview(client: Client, section: Section) -> str:
    url = reverse("reports:document_preview", args=[section.document.review_id, section.document_id])
    return client.get(url, {"version": "publication"}).content.decode()


def _post(client: Client, name: str, section: Section, data: dict):
    return client.post(reverse(f"reports:{name}", args=[section.document.review_id, section.document_id]), data)


def _only_finding(section: Section):
    (finding,) = publication_check(section.document).blocking
    return finding


def test_the_chair_acknowledges_a_finding_with_a_reason_and_the_check_passes(
    client: Client, world: World, section: Section
):
    section = _write(section, STREET, world)
    finding = _only_finding(section)
    assert (finding.kind, finding.designation) == ("surname", "the victim's mother")
    client.force_login(world.chair)
    page = _preview(client, section)
    assert "Acknowledge as not identifying" in page and f'value="{finding.key}"' in page
    assert "Redact this field in publications" not in page  # a section's paragraph is changed in the editor

    response = _post(client, "publication_acknowledge", section, {"key": finding.key, "reason": "A street name."})
    assert response.status_code == 302 and response.url.endswith("?version=publication#publication-check")
    decision = PublicationDecision.objects.get(review=world.review)
    assert (decision.kind, decision.scope, decision.reason, decision.decided_by) == (
        "acknowledge", f"section:{section.pk}", "A street name.", world.chair
    )  # fmt: skip
    assert decision.text_hash == text_hash("She was registered at the Marsh Lane surgery.")
    assert publication_check(section.document).passed
    page = _preview(client, section)
    assert "The publication check passes" in page
    assert "Acknowledged as not identifying (1)" in page and "Reason: A street name." in page
    entry = AuditEntry.objects.get(action="publication.acknowledged")
    assert entry.review == world.review and entry.detail["reason"] == "A street name."
    assert "Marsh" not in str(entry.detail)  # where and whose, never the wording


def test_an_acknowledgement_lapses_when_its_paragraph_changes_and_returns_with_the_same_wording(
    world: World, section: Section
):
    section = _write(section, STREET, world)
    publication_services.publication_acknowledge(
        review=world.review, finding=_only_finding(section), reason="A street name.", actor=world.chair
    )
    assert publication_check(section.document).passed

    section = _write(section, "<p>She was registered at the Marsh Lane surgery in 2019.</p>", world)
    check = publication_check(section.document)
    assert not check.passed and check.acknowledgements == []
    (row,) = check.rows
    assert row.earlier is not None and row.earlier.reason == "A street name."  # shown: look at it again

    section = _write(section, STREET, world)
    assert publication_check(section.document).passed


def test_acknowledging_needs_a_reason_and_saves_nothing_without_one(client: Client, world: World, section: Section):
    section = _write(section, STREET, world)
    client.force_login(world.chair)
    response = _post(client, "publication_acknowledge", section, {"key": _only_finding(section).key, "reason": "  "})
    assert response.status_code == 302
    assert "Say why this is not identifying" in _preview(client, section)
    assert not PublicationDecision.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="publication.").exists()


def test_a_key_not_found_in_the_text_as_it_stands_decides_nothing(client: Client, world: World, section: Section):
    section = _write(section, STREET, world)
    client.force_login(world.chair)
    # A key made up for wording that is not there (the victim's mother's forename), and one for
    # a finding fixed since the page was loaded.
    forged = finding_key(f"section:{section.pk}", text_hash("Susan"), "susan", 1)
    stale = _only_finding(section).key
    section = _write(section, "<p>She was registered at the village surgery.</p>", world)
    for key in (forged, stale, ""):
        _post(client, "publication_acknowledge", section, {"key": key, "reason": "Not a name."})
        _post(client, "publication_redact", section, {"key": key, "reason": "Not a name."})
    assert not PublicationDecision.objects.exists()
    assert "That finding is no longer there" in _preview(client, section)


def test_asking_twice_makes_one_decision_and_one_audit_entry(world: World, section: Section):
    section = _write(section, STREET, world)
    finding = _only_finding(section)
    first = publication_services.publication_acknowledge(
        review=world.review, finding=finding, reason="A street name.", actor=world.chair
    )
    again = publication_services.publication_acknowledge(
        review=world.review, finding=finding, reason="Said again.", actor=world.board_admin
    )
    assert again.pk == first.pk and again.reason == "A street name."
    assert AuditEntry.objects.filter(action="publication.acknowledged").count() == 1


def test_a_date_of_birth_is_never_acknowledged(world: World, section: Section):
    PersonFactory(review=world.review, real_name="Danny Rafiq", designation="the perpetrator",
                  date_of_birth=datetime.date(1988, 3, 14))  # fmt: skip
    section = _write(section, "<p>He was born on 14 March 1988.</p>", world)
    finding = _only_finding(section)
    with pytest.raises(ValidationError, match="A date of birth is always identifying"):
        publication_services.publication_acknowledge(
            review=world.review, finding=finding, reason="Public record.", actor=world.chair
        )
    assert not PublicationDecision.objects.exists()


def test_a_name_in_a_cited_agency_entry_is_redacted_in_every_publication(
    client: Client, world: World, section: Section
):
    entry = world.entry_b  # agency B's IMR is submitted: the panel cites it
    entry.details = "Mrs Marsh rang the duty desk about the children."
    entry.save(update_fields=["details"])
    section = _write(section, f"<p>The duty desk took a call [[entry:{entry.pk}]].</p>", world)
    finding = _only_finding(section)
    assert finding.where.scope.startswith("entry:") and finding.where.scope.endswith(":details")
    client.force_login(world.chair)
    assert "Redact this field in publications" in _preview(client, section)

    _post(client, "publication_redact", section, {"key": finding.key, "reason": "The agency's own wording."})
    decision = PublicationDecision.objects.get(review=world.review)
    assert decision.kind == "redact" and decision.scope == finding.where.scope
    assert decision.text_hash == text_hash(entry.details)
    check = publication_check(section.document)
    assert check.passed and check.redactions == [decision]
    footnote = check.data.composed.footnotes[0].text
    assert footnote.endswith("Home visit. [Redacted]") and "Marsh" not in footnote
    assert AuditEntry.objects.filter(action="publication.redacted", review=world.review).count() == 1
    assert "The agency&#x27;s own wording." in _preview(client, section)

    # The agency corrects the entry: the redaction was of the old wording, so the check looks again.
    entry.details = "Mrs Marsh rang the duty desk about the eldest child."
    entry.save(update_fields=["details"])
    assert not publication_check(section.document).passed


def test_only_an_agency_entrys_field_is_redacted_here(world: World, section: Section):
    section = _write(section, STREET, world)
    with pytest.raises(ValidationError, match="redact a passage of a section in the editor"):
        publication_services.publication_redact_entry_field(
            review=world.review, finding=_only_finding(section), reason="Not a name.", actor=world.chair
        )


def test_withdrawing_an_acknowledgement_blocks_publication_again_and_is_audited(
    client: Client, world: World, section: Section
):
    section = _write(section, STREET, world)
    decision = publication_services.publication_acknowledge(
        review=world.review, finding=_only_finding(section), reason="A street name.", actor=world.chair
    )
    client.force_login(world.board_admin)
    url = reverse("reports:publication_decision_withdraw", args=[world.review.pk, section.document_id, decision.pk])
    assert client.post(url).status_code == 302
    assert not PublicationDecision.objects.exists()
    assert not publication_check(section.document).passed
    entry = AuditEntry.objects.get(action="publication.decision_withdrawn")
    assert entry.actor == world.board_admin and entry.detail["kind"] == "acknowledge"
    assert client.post(url).status_code == 404  # already withdrawn


def test_the_panel_sees_the_findings_but_decides_nothing(client: Client, world: World, section: Section):
    section = _write(section, STREET, world)
    client.force_login(world.panel)
    page = _preview(client, section)
    assert "Not ready to publish: 1 finding" in page
    assert "Acknowledge as not identifying" not in page and "Publication report" not in page
    response = _post(client, "publication_acknowledge", section, {"key": _only_finding(section).key, "reason": "x"})
    assert response.status_code == 403
    assert not PublicationDecision.objects.exists()


def test_another_reviews_decision_is_not_found_under_this_reviews_document(
    client: Client, world: World, section: Section
):
    foreign = PublicationDecision.objects.create(
        review=world.other_review, kind="acknowledge", scope="section:1", text_hash="0" * 24, reason="x"
    )
    client.force_login(world.chair)
    url = reverse("reports:publication_decision_withdraw", args=[world.review.pk, section.document_id, foreign.pk])
    assert client.post(url).status_code == 404
    assert PublicationDecision.objects.filter(pk=foreign.pk).exists()


def test_a_name_that_is_also_a_word_is_replaced_in_a_footnote_once_the_chair_confirms_it_is_the_person(
    client: Client, world: World, section: Section
):
    PersonFactory(review=world.review, real_name="Jade Louise Marsh", aliases=["Jade"], designation="the victim")
    entry = world.entry_b
    entry.details = "Jade seen at home; the jade ring was returned."
    entry.save(update_fields=["details"])
    section = _write(section, f"<p>The duty desk took a call [[entry:{entry.pk}]].</p>", world)
    finding = _only_finding(section)
    assert (finding.kind, finding.hit.found) == ("alias", "Jade")  # "jade" is a word: found, never replaced
    client.force_login(world.chair)
    assert "Replace with “the victim”" in _preview(client, section)

    _post(client, "publication_confirm_person", section, {"key": finding.key, "reason": "The victim's name."})
    decision = PublicationDecision.objects.get(review=world.review)
    assert (decision.kind, decision.term_key, decision.occurrence) == ("replace", "jade||seen", 1)
    check = publication_check(section.document)
    assert check.passed
    assert check.data.composed.footnotes[0].text.endswith("The victim seen at home; the jade ring was returned.")
    assert AuditEntry.objects.filter(action="publication.confirmed_person", review=world.review).count() == 1
    # Listed, with a way to withdraw it, on the preview and in the publication report.
    assert [item.decision for item in check.confirmations] == [decision]
    page = _preview(client, section)
    assert "Confirmed as the person and replaced (1)" in page and "the confirmation of footnote 1" in page
    report = client.get(reverse("reports:publication_report", args=[section.document.review_id, section.document_id]))
    assert "The victim&#x27;s name." in report.content.decode()


def test_a_paragraph_of_a_section_is_changed_in_the_editor_not_replaced_on_the_chairs_word(
    world: World, section: Section
):
    PersonFactory(review=world.review, real_name="Jade Louise Marsh", aliases=["Jade"], designation="the victim")
    section = _write(section, "<p>Jade rang.</p>", world)
    with pytest.raises(ValidationError, match="change a paragraph in the editor"):
        publication_services.publication_confirm_person(
            review=world.review, finding=_only_finding(section), reason="The victim.", actor=world.chair
        )
