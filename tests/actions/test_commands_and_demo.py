import io
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from actions.models import Action, Recommendation
from reviews.demo import demo_load
from reviews.models import AuditEntry
from tests.actions.conftest import Plan
from tests.conftest import World


def test_export_action_plan_writes_a_pdf_with_the_home_office_columns(world: World, plan: Plan, tmp_path):
    output = tmp_path / "plan.pdf"
    out = io.StringIO()
    call_command("export_action_plan", "NDHR-01", "--format", "pdf", "--output", str(output), stdout=out)
    assert out.getvalue().strip() == f"Wrote NDHR-01 action plan (2 actions, designations) to {output}"
    text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True).stdout
    words = " ".join(text.split())
    for heading in ("Recommendation", "Scope", "Action", "Lead agency", "Key milestones", "Status", "RAG"):
        assert heading in words
    assert "Target" in words and "Date of completion" in words
    assert "Police brief call handlers on DASH." in words
    assert "OFFICIAL-SENSITIVE" in words
    assert AuditEntry.objects.filter(action="action_plan.exported", review=world.review).exists()


def test_export_action_plan_writes_xlsx(world: World, plan: Plan, tmp_path):
    output = tmp_path / "plan.xlsx"
    call_command("export_action_plan", "ndhr-01", "--format", "xlsx", "--output", str(output), stdout=io.StringIO())
    rows = list(load_workbook(output).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[1][2] == "Police brief call handlers on DASH."
    assert rows[1][7:] == ("On track", "Green")


def test_export_action_plan_refuses_an_unknown_format_and_review(world: World, tmp_path):
    with pytest.raises(CommandError, match='"docx" is not an action plan format'):
        call_command("export_action_plan", "NDHR-01", "--format", "docx", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match='no review with reference "NOPE"'):
        call_command("export_action_plan", "NOPE", "--format", "pdf", "--output", str(tmp_path / "x"))


@pytest.mark.django_db
def test_the_demo_has_the_seed_recommendations_with_actions_in_every_status():
    demo_load()
    counts = {
        reference: Recommendation.objects.filter(review__reference=reference).count()
        for reference in ("BPSCR-FamilyB", "BDHR2012/13-04")
    }
    assert counts == {"BPSCR-FamilyB": 14, "BDHR2012/13-04": 5}
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    assert {action.rag() for action in Action.objects.all()} == {"red", "amber", "green", "blue"}
    first = Recommendation.objects.get(review__reference="BPSCR-FamilyB", number=1)
    assert first.text.startswith("The Executive Summary should be fed into the Pan Dorset Adult Protection Group")
    # Loading again changes nothing.
    demo_load()
    assert Recommendation.objects.count() == 19
