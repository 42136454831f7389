import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, Evidence
from reviews.models import AuditEntry
from tests.actions.conftest import PDF, Plan
from tests.conftest import World


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_action_owner_sees_only_their_agencys_actions_on_the_plan(client, world: World, plan: Plan):
    response = login(client, world.owner).get(reverse("actions:plan", args=[world.review.pk]))
    assert response.status_code == 200
    assert "Police brief call handlers on DASH." in response.content.decode()
    assert "Social care audits referrals." not in response.content.decode()


def test_panel_member_sees_every_agencys_actions(client, world: World, plan: Plan):
    page = login(client, world.panel).get(reverse("actions:plan", args=[world.review.pk])).content.decode()
    assert "Police brief call handlers on DASH." in page
    assert "Social care audits referrals." in page


def test_another_agencys_action_and_evidence_are_not_found_for_an_owner(client, world: World, plan: Plan):
    login(client, world.owner)
    assert client.get(reverse("actions:action_detail", args=[world.review.pk, plan.action_b.pk])).status_code == 404
    url = reverse("actions:evidence_download", args=[world.review.pk, plan.action_b.pk, plan.evidence_b.pk])
    assert client.get(url).status_code == 404
    # Nor through their own action's address with the other agency's evidence id.
    url = reverse("actions:evidence_download", args=[world.review.pk, plan.action_a.pk, plan.evidence_b.pk])
    assert client.get(url).status_code == 404


def test_evidence_downloads_as_an_attachment_with_its_safe_name_and_is_audited(client, world: World, plan: Plan):
    url = reverse("actions:evidence_download", args=[world.review.pk, plan.action_a.pk, plan.evidence_a.pk])
    response = login(client, world.owner).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="briefing.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue() == PDF
    assert AuditEntry.objects.filter(action="evidence.downloaded", object_id=str(plan.evidence_a.pk)).exists()


def test_owner_reports_progress_with_evidence_through_the_page(client, world: World, plan: Plan):
    url = reverse("actions:action_progress", args=[world.review.pk, plan.action_a.pk])
    response = login(client, world.owner).post(
        url,
        {
            "text": "Briefing delivered to all call handlers.",
            "status": "complete",
            "outcome": "All 120 call handlers briefed.",
            "files": [
                SimpleUploadedFile("attendance.pdf", PDF),
                SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nxx"),
            ],
        },
    )
    assert response.status_code == 302
    plan.action_a.refresh_from_db()
    assert plan.action_a.status == Action.Status.COMPLETE
    assert plan.action_a.completed_on is not None
    assert sorted(plan.action_a.evidence.values_list("filename", flat=True)) == [
        "attendance.pdf",
        "briefing.pdf",
        "photo.png",
    ]


def test_a_disguised_file_is_refused_by_name_and_nothing_is_saved(client, world: World, plan: Plan):
    url = reverse("actions:action_progress", args=[world.review.pk, plan.action_a.pk])
    before = Evidence.objects.count()
    response = login(client, world.owner).post(
        url,
        {
            "text": "Attached the report.",
            "status": "at_risk",
            "files": [SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable"), SimpleUploadedFile("ok.pdf", PDF)],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "report.pdf: This file is not one of the accepted kinds" in page
    plan.action_a.refresh_from_db()
    assert plan.action_a.status == Action.Status.ON_TRACK
    assert Evidence.objects.count() == before


def test_owner_cannot_report_on_another_agencys_action(client, world: World, plan: Plan):
    url = reverse("actions:action_progress", args=[world.review.pk, plan.action_b.pk])
    response = login(client, world.owner).post(url, {"text": "x", "status": "on_track"})
    assert response.status_code == 404


def test_board_administrator_signs_off_a_complete_action(client, world: World, plan: Plan):
    Action.objects.filter(pk=plan.action_a.pk).update(
        status="complete", completed_on=datetime.date(2026, 5, 1), outcome="Done."
    )
    url = reverse("actions:action_assure", args=[world.review.pk, plan.action_a.pk])
    assert login(client, world.chair).post(url).status_code == 403
    response = login(client, world.board_admin).post(url, {"note": "Evidence seen at board."})
    assert response.status_code == 302
    plan.action_a.refresh_from_db()
    assert plan.action_a.status == Action.Status.ASSURED
    assert plan.action_a.assured_by == world.board_admin
    assert AuditEntry.objects.filter(action="action.assured", object_id=str(plan.action_a.pk)).exists()


def test_assuring_an_action_that_is_not_complete_says_why(client, world: World, plan: Plan):
    url = reverse("actions:action_assure", args=[world.review.pk, plan.action_a.pk])
    response = login(client, world.board_admin).post(url, follow=True)
    assert "Only a complete action can be assured; this one is on track." in response.content.decode()
    plan.action_a.refresh_from_db()
    assert plan.action_a.status == Action.Status.ON_TRACK


def test_chair_adds_a_recommendation_and_an_action_through_the_forms(client, world: World):
    login(client, world.chair)
    response = client.post(
        reverse("actions:recommendation_create", args=[world.review.pk]),
        {
            "text": "GPs record domestic abuse on the child's record.",
            "source": "overview_report",
            "scope": "local",
            "agencies": [world.agency_a.pk],
        },
    )
    assert response.status_code == 302
    recommendation = world.review.recommendations.get()
    assert recommendation.number == 1
    response = client.post(
        reverse("actions:action_create", args=[world.review.pk, recommendation.pk]),
        {
            "text": "Audit GP records.",
            "lead_agency": world.agency_a.pk,
            "target_date": "31/12/2026",
            "status": "not_started",
        },
    )
    assert response.status_code == 302
    assert recommendation.actions.get().target_date == datetime.date(2026, 12, 31)


def test_a_recommendation_form_with_mistakes_names_each_one(client, world: World):
    response = login(client, world.chair).post(
        reverse("actions:recommendation_create", args=[world.review.pk]),
        {"text": "Share more.", "source": "imr", "scope": "local", "agencies": [world.agency_a.pk, world.agency_b.pk]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the IMR this recommendation comes from." in page
    assert world.review.recommendations.count() == 0


def test_review_action_plan_exports_as_xlsx_with_formulas_defused(client, world: World, plan: Plan):
    plan.recommendation.text = '=HYPERLINK("http://example.org")'
    plan.recommendation.save()
    response = login(client, world.panel).get(reverse("actions:export", args=[world.review.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Recommendation",
        "Scope",
        "Action",
        "Lead agency",
        "Key milestones",
        "Target date",
        "Date of completion and outcome",
        "Status",
        "RAG",
    )
    assert rows[1][0].startswith("'1. =HYPERLINK") or rows[1][0].startswith("1. =HYPERLINK")
    assert {row[3] for row in rows[1:]} == {"Northshire Police", "Northshire Children's Social Care"}


def test_owner_cannot_export_the_whole_plan(client, world: World, plan: Plan):
    assert login(client, world.owner).get(reverse("actions:export", args=[world.review.pk, "xlsx"])).status_code == 404


def test_my_actions_lists_the_owners_agency_actions_across_reviews(client, world: World, plan: Plan):
    page = login(client, world.author_a_owner_b).get(reverse("actions:my_actions")).content.decode()
    assert "Social care audits referrals." in page
    assert "Police brief call handlers on DASH." not in page
    assert "Due next" in page


def test_dashboard_is_for_the_boards_administrators_only(client, world: World, plan: Plan):
    url = reverse("actions:dashboard", args=[world.review.partnership_id])
    assert login(client, world.chair).get(url).status_code == 404
    assert login(client, world.other_board_admin).get(url).status_code == 404
    response = login(client, world.board_admin).get(url)
    assert response.status_code == 200
    assert 'role="img"' in response.content.decode()


def test_dashboard_filters_come_from_the_url_and_a_bad_one_is_named(client, world: World, plan: Plan):
    url = reverse("actions:dashboard", args=[world.review.partnership_id])
    login(client, world.board_admin)
    response = client.get(url, {"agency": world.agency_b.pk})
    assert response.context["board"].action_total == 1
    response = client.get(url, {"agency": "999999"})
    assert response.context["board"].action_total == 2
    assert "Lead agency: Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("persona", ["panel", "owner", "author_a"])
def test_only_managers_see_the_add_recommendation_button(client, world: World, persona: str):
    response = login(client, world.persona(persona)).get(reverse("actions:plan", args=[world.review.pk]))
    if persona == "author_a":
        assert response.status_code == 404
    else:
        assert "Add a recommendation" not in response.content.decode()


PAYLOAD = '"><img src=x onerror=alert(1)><script>alert("xss")</script>'


def test_typed_text_never_reaches_an_action_page_as_markup(client, world: World, plan: Plan):
    from actions import services

    world.agency_a.name = f"Police {PAYLOAD}"
    world.agency_a.save()
    plan.recommendation.text = plan.recommendation.expected_outcome = f"Share {PAYLOAD}"
    plan.recommendation.save()
    Action.objects.filter(pk=plan.action_a.pk).update(text=f"Brief {PAYLOAD}")
    services.milestone_add(actor=world.chair, action=plan.action_a, text=f"Step {PAYLOAD}", due_date=None)
    services.themes_ensure_defaults(partnership=world.review.partnership)
    theme = services.theme_create(actor=world.board_admin, partnership=world.review.partnership, name=f"T {PAYLOAD}")
    plan.recommendation.theme = theme
    plan.recommendation.save()
    services.progress_add(actor=world.owner, action=plan.action_a, text=f"Note {PAYLOAD}", status="on_track")
    pages = [
        (world.chair, reverse("actions:plan", args=[world.review.pk])),
        (world.chair, reverse("actions:action_detail", args=[world.review.pk, plan.action_a.pk])),
        (world.board_admin, reverse("actions:dashboard", args=[world.review.partnership_id])),
        (world.board_admin, reverse("actions:themes", args=[world.review.partnership_id])),
        (world.owner, reverse("actions:my_actions")),
    ]
    for user, url in pages:
        client.force_login(user)
        content = client.get(url).content.decode()
        assert "<img src=x onerror" not in content, url
        assert '<script>alert("xss")' not in content, url


def test_an_evidence_file_over_the_limit_is_refused_by_its_size(client, world: World, plan: Plan, settings):
    settings.ACTION_EVIDENCE_MAX_BYTES = 1024
    url = reverse("actions:action_progress", args=[world.review.pk, plan.action_a.pk])
    response = login(client, world.owner).post(
        url,
        {"text": "Minutes attached.", "status": "on_track", "files": [SimpleUploadedFile("minutes.pdf", PDF * 100)]},
    )
    assert response.status_code == 400
    assert "minutes.pdf: The file is 0.1 MB; the limit is 0.1 MB." in response.content.decode()
    assert plan.action_a.evidence.count() == 1
