import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from actions import services
from actions.evidence import EvidenceRefused, evidence_kind, safe_filename
from actions.models import Action, Evidence, ProgressUpdate, Theme
from reviews.models import AuditEntry
from tests.actions.conftest import PDF, PNG, Plan
from tests.conftest import World
from tests.factories import AgencyFactory, PartnershipFactory

D = datetime.date
LIMIT = 1_000_000


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def test_evidence_is_recognised_by_its_content():
    assert evidence_kind(PDF, max_bytes=LIMIT) == "pdf"
    assert evidence_kind(PNG, max_bytes=LIMIT) == "png"
    assert evidence_kind(b"\xff\xd8\xff\xe0" + b"\x00" * 10, max_bytes=LIMIT) == "jpeg"
    assert evidence_kind(b"GIF89a" + b"\x00" * 10, max_bytes=LIMIT) == "gif"
    assert evidence_kind(_xlsx(), max_bytes=LIMIT) == "xlsx"
    assert (
        evidence_kind(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), max_bytes=LIMIT) == "docx"
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty."),
        (
            b"MZ\x90\x00",
            "This file is not one of the accepted kinds (PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or GIF).",
        ),
        (b"<html><script>alert(1)</script></html>", "This file is not one of the accepted kinds"),
        (b"%PDF-1.4 but cut short", "This PDF is incomplete"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 10, "This is an Office 97-2003 file"),
        (_zip({"evil.sh": b"rm -rf /"}), "This is a zip archive, not a Word or Excel file."),
        (_zip({"[Content_Types].xml": b"", "word/vbaProject.bin": b""}), "This document contains macros"),
        (b"PK\x03\x04 not really a zip", "This zip archive is damaged"),
    ],
)
def test_evidence_that_is_not_an_accepted_kind_is_refused_with_a_reason(data: bytes, reason: str):
    with pytest.raises(EvidenceRefused) as caught:
        evidence_kind(data, max_bytes=LIMIT)
    assert str(caught.value).startswith(reason)


def test_evidence_over_the_size_limit_is_refused():
    with pytest.raises(EvidenceRefused, match=r"The file is 1.1 MB; the limit is 1 MB."):
        evidence_kind(PDF + b"\x00" * 1_100_000, max_bytes=1024 * 1024)


def test_an_evidence_filename_keeps_only_safe_characters_and_the_true_extension():
    assert safe_filename("../../etc/passwd", "pdf") == "passwd.pdf"
    assert safe_filename('minutes "final".exe', "pdf") == "minutes _final.pdf"
    assert safe_filename("C:\\Users\\x\\Réunion notes.docx", "docx") == "Reunion notes.docx"
    assert safe_filename("...", "png") == "evidence.png"


def test_progress_with_one_bad_file_saves_nothing(world: World, plan: Plan, settings):
    with pytest.raises(ValidationError) as caught:
        services.progress_add(
            actor=world.owner,
            action=plan.action_a,
            text="Done.",
            status="complete",
            files=[services.EvidenceUpload("ok.pdf", PDF), services.EvidenceUpload("bad.docx", b"plain text")],
        )
    assert caught.value.message_dict == {
        "outcome": ["Say what the outcome was: the board assures against it."],
        "files": [
            "bad.docx: This file is not one of the accepted kinds (PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or GIF)."
        ],
    }
    plan.action_a.refresh_from_db()
    assert plan.action_a.status == "on_track"
    assert plan.action_a.evidence.count() == 1
    assert plan.action_a.updates.count() == 1


def test_progress_respects_the_evidence_size_setting(world: World, plan: Plan, settings):
    settings.ACTION_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is 0.1 MB"):
        services.progress_add(
            actor=world.owner,
            action=plan.action_a,
            text="x",
            status="on_track",
            files=[services.EvidenceUpload("big.pdf", PDF + b" " * 200)],
        )


def test_completing_an_action_records_the_date_and_outcome_and_audits_it(world: World, plan: Plan):
    update = services.progress_add(
        actor=world.owner,
        action=plan.action_a,
        text="All briefed.",
        status="complete",
        outcome="Call handlers ask the DASH questions.",
        today=D(2026, 6, 15),
    )
    plan.action_a.refresh_from_db()
    assert (plan.action_a.status, plan.action_a.completed_on) == ("complete", D(2026, 6, 15))
    assert (update.status_before, update.status_after) == ("on_track", "complete")
    entry = AuditEntry.objects.filter(action="action.progress_reported", object_id=str(plan.action_a.pk)).first()
    assert entry.detail["status"] == ["on_track", "complete"]


def test_an_assured_action_takes_no_more_changes(world: World, plan: Plan):
    services.progress_add(actor=world.owner, action=plan.action_a, text="Done.", status="complete", outcome="Done.")
    services.action_assure(actor=world.board_admin, action=plan.action_a)
    with pytest.raises(ValidationError, match="assured by the board: it takes no more updates"):
        services.progress_add(actor=world.owner, action=plan.action_a, text="More.", status="on_track")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.action_update(actor=world.chair, action=plan.action_a, text="Changed.")


def test_an_action_owner_must_act_for_the_lead_agency(world: World, plan: Plan):
    with pytest.raises(ValidationError) as caught:
        services.action_update(actor=world.chair, action=plan.action_a, owner=world.author_a_owner_b)
    assert "is not an action owner for Northshire Police in this review" in caught.value.message_dict["owner"][0]


def test_an_action_cannot_be_created_assured_or_led_by_another_boards_agency(world: World, plan: Plan):
    stranger = AgencyFactory(partnership=PartnershipFactory())
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            actor=world.chair,
            recommendation=plan.recommendation,
            text=" ",
            lead_agency=stranger,
            target_date=D(2026, 1, 1),
            status="assured",
        )
    assert set(caught.value.message_dict) == {"text", "lead_agency", "status", "completed_on", "outcome"}
    assert Action.objects.count() == 2


def test_recommendation_numbers_follow_on_and_cannot_repeat(world: World, plan: Plan):
    second = services.recommendation_create(
        actor=world.chair, review=world.review, data=services.RecommendationData(text="Second.")
    )
    assert second.number == 2
    with pytest.raises(ValidationError, match="The review already has a recommendation 1."):
        services.recommendation_create(
            actor=world.chair, review=world.review, data=services.RecommendationData(text="Again.", number=1)
        )


def test_a_recommendation_from_an_imr_names_an_imr_of_its_review(world: World):
    other_imr = world.other_review.imrs.create(agency=AgencyFactory(partnership=world.other_review.partnership))
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(
            actor=world.chair,
            review=world.review,
            data=services.RecommendationData(text="From the IMR.", source="imr", imr=other_imr),
        )
    assert caught.value.message_dict == {"imr": ["That IMR belongs to another review."]}
    recommendation = services.recommendation_create(
        actor=world.chair,
        review=world.review,
        data=services.RecommendationData(
            text="From the IMR.", source="imr", imr=world.imr_a, agencies=[world.agency_a]
        ),
    )
    assert recommendation.imr == world.imr_a


def test_a_single_agency_recommendation_names_one_agency(world: World):
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(
            actor=world.chair,
            review=world.review,
            data=services.RecommendationData(text="x", agencies=[world.agency_a, world.agency_b]),
        )
    assert caught.value.message_dict == {
        "multi_agency": ["2 agencies are chosen: tick multi-agency, or choose one agency."]
    }


def test_a_recommendation_with_actions_is_not_deleted(world: World, plan: Plan):
    with pytest.raises(ValidationError, match="has 2 actions: remove or move them first"):
        services.recommendation_delete(actor=world.chair, recommendation=plan.recommendation)


def test_the_board_extends_its_themes_and_names_stay_unique(world: World):
    partnership = world.review.partnership
    assert services.themes_ensure_defaults(partnership=partnership) == 11
    assert services.themes_ensure_defaults(partnership=partnership) == 0
    services.theme_create(actor=world.board_admin, partnership=partnership, name="  Neglect  ")
    assert Theme.objects.filter(partnership=partnership, name="Neglect").exists()
    with pytest.raises(ValidationError, match='already has the theme "neglect"'):
        services.theme_create(actor=world.board_admin, partnership=partnership, name="neglect")


def test_assurance_is_recorded_as_a_progress_entry(world: World, plan: Plan):
    services.progress_add(actor=world.owner, action=plan.action_a, text="Done.", status="complete", outcome="Done.")
    services.action_assure(actor=world.board_admin, action=plan.action_a, note="Seen at board.")
    latest = ProgressUpdate.objects.filter(action=plan.action_a).first()
    assert (latest.status_after, latest.text, latest.author) == ("assured", "Seen at board.", world.board_admin)
    assert Evidence.objects.filter(action=plan.action_a).count() == 1
