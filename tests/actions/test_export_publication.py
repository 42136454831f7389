"""The action plan's publication version: every text through the publication pipeline (names
become designations, anything identifying left blocks the export naming the recommendation,
action and field), the finished file checked, the protective marking on every page and sheet;
the panel's real-names version says "Contains personal data"."""

from __future__ import annotations

import datetime
import html
import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from actions import exports, services
from actions.models import Action, BoardPlanExport
from actions.plan_export import review_plan_file
from casereview.storage import file_bytes
from reviews.models import PublicationDecision
from reviews.publication import PublicationBlocked, text_hash
from tests.actions.conftest import Plan
from tests.conftest import World
from tests.factories import PersonFactory
from tests.job_runs import run_job

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def named(world: World, plan: Plan) -> Plan:
    """The world's plan, its texts naming a registered person by full name and alias."""
    PersonFactory(review=world.review, real_name="Peter Grimes", aliases=["Pete"], designation="the victim",
                  date_of_birth=datetime.date(1990, 3, 14))  # fmt: skip
    services.recommendation_update(
        actor=world.chair, recommendation=plan.recommendation,
        data=services.RecommendationData(
            text="Agencies share what they know of Peter Grimes's risk.", multi_agency=True,
            agencies=[world.agency_a, world.agency_b], expected_outcome="Pete is known to every agency.",
        ),
    )  # fmt: skip
    services.milestone_add(actor=world.chair, action=plan.action_a, text="Briefing on Pete's case agreed",
                           due_date=None)  # fmt: skip
    services.action_update(
        actor=world.chair, action=plan.action_a, text="Police brief call handlers on Peter Grimes's case.",
        status=Action.Status.COMPLETE, completed_on=datetime.date(2026, 11, 2),
        outcome="Every call handler knows what happened to Peter Grimes.", today=TODAY,
    )  # fmt: skip
    return plan


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def xlsx_cells(data: bytes) -> tuple[list[str], object]:
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    return cells, sheet


def test_the_publication_version_names_people_by_designation_in_every_text(world: World, named: Plan, tmp_path):
    pdf = review_plan_file(world.review, fmt="pdf", names="designations", today=TODAY)
    xlsx = review_plan_file(world.review, fmt="xlsx", names="designations", today=TODAY)

    text = " ".join(pdf_pages(pdf.data, tmp_path))
    cells, _sheet = xlsx_cells(xlsx.data)
    for published in (text, " ".join(cells)):
        assert "Agencies share what they know of the victim's risk." in published
        assert "Police brief call handlers on the victim's case." in published
        assert "Briefing on the victim's case agreed" in published
        assert "Every call handler knows what happened to the victim." in published
        assert "Peter" not in published and "Grimes" not in published and "Pete" not in published


def test_the_publication_version_carries_the_marking_on_every_page_and_sheet_and_no_personal_data_warning(
    world: World, named: Plan, tmp_path
):
    services.recommendation_create(  # enough rows for several pages
        actor=world.chair, review=world.review,
        data=services.RecommendationData(text="A long recommendation. " * 120, agencies=[world.agency_a]),
    )  # fmt: skip
    pdf = review_plan_file(world.review, fmt="pdf", names="designations", today=TODAY)
    xlsx = review_plan_file(world.review, fmt="xlsx", names="designations", today=TODAY)

    pages = pdf_pages(pdf.data, tmp_path)
    assert len(pages) > 1
    for page in pages:
        assert "OFFICIAL-SENSITIVE" in page
        assert "Contains personal data" not in page
    _cells, sheet = xlsx_cells(xlsx.data)
    assert sheet.oddHeader.right.text == "OFFICIAL-SENSITIVE"
    assert not sheet.oddHeader.center.text
    assert sheet.parent.properties.subject == "OFFICIAL-SENSITIVE"


def test_the_real_names_version_is_the_text_as_typed_and_says_contains_personal_data_everywhere(
    world: World, named: Plan, tmp_path
):
    pdf = review_plan_file(world.review, fmt="pdf", names="real", today=TODAY)
    xlsx = review_plan_file(world.review, fmt="xlsx", names="real", today=TODAY)

    pages = pdf_pages(pdf.data, tmp_path)
    assert "Agencies share what they know of Peter Grimes's risk." in " ".join(pages)
    for page in pages:
        assert "OFFICIAL-SENSITIVE" in page and "Contains personal data" in page
    cells, sheet = xlsx_cells(xlsx.data)
    assert "1. Agencies share what they know of Peter Grimes's risk." in cells
    assert (sheet.oddHeader.center.text, sheet.oddHeader.right.text) == ("Contains personal data", "OFFICIAL-SENSITIVE")
    assert sheet.parent.properties.keywords == "Contains personal data"


def test_an_actions_owner_is_never_printed_only_its_lead_agency(world: World, named: Plan, tmp_path):
    owner = world.owner.get_full_name()
    assert named.action_a.owner == world.owner and owner
    for names in ("designations", "real"):
        pdf = review_plan_file(world.review, fmt="pdf", names=names, today=TODAY)
        text = " ".join(pdf_pages(pdf.data, tmp_path))
        assert owner not in text and world.owner.username not in text
        assert "Northshire Police" in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "Police ring Peter's school."}, "recommendation 1, action 1 (Northshire Police), text: forename"),
        ({"outcome": "Seen on 14/03/1990."}, "recommendation 1, action 1 (Northshire Police), outcome: date of birth"),
    ],
)
def test_anything_identifying_left_blocks_the_export_naming_recommendation_action_and_field(
    world: World, named: Plan, change, field
):
    fields = {"status": Action.Status.COMPLETE, "completed_on": datetime.date(2026, 11, 2), "outcome": "Done."}
    services.action_update(actor=world.chair, action=named.action_a, today=TODAY, **(fields | change))

    for fmt in ("pdf", "xlsx"):
        with pytest.raises(PublicationBlocked) as blocked:
            review_plan_file(world.review, fmt=fmt, names="designations", today=TODAY)
        assert f"{field} of the victim" in str(blocked.value)


def test_a_milestone_naming_someone_blocks_the_export(world: World, named: Plan):
    services.milestone_add(actor=world.chair, action=named.action_b, text="Audit sample includes Grimes", due_date=None)

    with pytest.raises(PublicationBlocked, match=r"recommendation 1, action 2 \(Northshire Children's Social Care\), "
                                                 r"milestone 1: surname of the victim"):  # fmt: skip
        review_plan_file(world.review, fmt="xlsx", names="designations", today=TODAY)


def test_the_command_writes_nothing_and_exits_with_the_reason_when_blocked(world: World, named: Plan, tmp_path):
    services.milestone_add(actor=world.chair, action=named.action_b, text="Grimes file audited", due_date=None)
    output = tmp_path / "plan.xlsx"

    with pytest.raises(CommandError) as refused:
        call_command("export_action_plan", "NDHR-01", "--format", "xlsx", "--output", str(output))

    message = str(refused.value)
    assert message.startswith("NDHR-01: Publication blocked, personal data found: recommendation 1, action 2")
    assert "(Northshire Children's Social Care), milestone 1: surname of the victim" in message
    assert "\n" not in message
    assert not output.exists() and list(tmp_path.iterdir()) == []
    # The panel's version is not checked: it is the text as typed.
    call_command("export_action_plan", "NDHR-01", "--format", "xlsx", "--output", str(output), "--names", "real",
                 stdout=io.StringIO())  # fmt: skip
    assert output.exists()


def test_the_command_says_which_version_it_wrote_and_refuses_an_unknown_names_choice(
    world: World, named: Plan, tmp_path
):
    out = io.StringIO()
    call_command("export_action_plan", "NDHR-01", "--format", "pdf", "--output", str(tmp_path / "a.pdf"), stdout=out)
    assert out.getvalue().strip() == f"Wrote NDHR-01 action plan (2 actions, designations) to {tmp_path / 'a.pdf'}"
    out = io.StringIO()
    call_command("export_action_plan", "NDHR-01", "--format", "pdf", "--output", str(tmp_path / "b.pdf"),
                 "--names", "real", stdout=out)  # fmt: skip
    assert "(2 actions, real names: contains personal data)" in out.getvalue()
    with pytest.raises(CommandError, match='--names: "initials" must be designations or real'):
        call_command("export_action_plan", "NDHR-01", "--format", "pdf", "--output", str(tmp_path / "c.pdf"),
                     "--names", "initials")  # fmt: skip


def test_an_acknowledged_finding_passes_into_the_file(world: World, named: Plan):
    PersonFactory(review=world.review, real_name="Will Hope", designation="the perpetrator")
    text = "Agencies refer to Hope House when a refuge is needed."
    services.recommendation_update(
        actor=world.chair, recommendation=named.recommendation,
        data=services.RecommendationData(text=text, multi_agency=True, agencies=[world.agency_a, world.agency_b]),
    )  # fmt: skip
    with pytest.raises(PublicationBlocked, match="recommendation 1, text: surname of the perpetrator"):
        review_plan_file(world.review, fmt="xlsx", names="designations", today=TODAY)

    PublicationDecision.objects.create(
        review=world.review, kind="acknowledge", scope=f"recommendation:{named.recommendation.pk}:text",
        text_hash=text_hash(text), term_key="hope|to|house", occurrence=1, reason="A refuge's name",
        decided_by=world.chair,
    )  # fmt: skip

    cells, _sheet = xlsx_cells(review_plan_file(world.review, fmt="xlsx", names="designations", today=TODAY).data)
    assert f"1. {text}" in cells


def test_the_page_offers_both_versions_and_a_blocked_export_says_why(client, world: World, named: Plan):
    client.force_login(world.chair)
    url = reverse("actions:export", args=[world.review.pk, "xlsx"])
    page = client.get(reverse("actions:plan", args=[world.review.pk])).content.decode()
    assert f'href="{url}"' in page and f'href="{url}?names=real"' in page

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="action-plan-NDHR-01.xlsx"'
    assert "Peter" not in " ".join(xlsx_cells(response.content)[0])

    services.milestone_add(actor=world.chair, action=named.action_b, text="Grimes file audited", due_date=None)
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("actions:plan", args=[world.review.pk]), 302)]
    assert (
        "The action plan was not exported. Publication blocked, personal data found: recommendation 1, action 2 "
        "(Northshire Children's Social Care), milestone 1: surname of the victim"
    ) in html.unescape(response.content.decode())

    real = client.get(f"{url}?names=real")
    assert real["Content-Disposition"] == 'attachment; filename="action-plan-NDHR-01-real-names.xlsx"'
    assert client.get(f"{url}?names=initials").status_code == 404


def test_the_boards_plan_across_reviews_is_internal_and_says_contains_personal_data(world: World, named: Plan):
    export = BoardPlanExport.objects.create(partnership=world.review.partnership, format="xlsx",
                                            requested_by=world.board_admin)  # fmt: skip
    run_job(export)
    cells, sheet = xlsx_cells(file_bytes(export.file))
    assert "1. Agencies share what they know of Peter Grimes's risk." in cells
    assert sheet.oddHeader.center.text == exports.PERSONAL_DATA
