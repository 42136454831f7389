import io

from django.urls import reverse
from openpyxl import load_workbook

from actions import board_exports
from actions.models import BoardPlanExport
from actions.tasks import board_export_build_task
from tests.actions.conftest import Plan
from tests.conftest import World


def test_board_administrator_exports_every_reviews_plan_through_a_task(
    client, world: World, plan: Plan, django_capture_on_commit_callbacks
):
    client.force_login(world.board_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:board_export", args=[world.review.partnership_id]), {"format": "xlsx"})
    export = BoardPlanExport.objects.get()
    assert response.url == reverse("actions:board_export_status", args=[world.review.partnership_id, export.pk])
    assert (export.status, export.action_count) == ("ready", 2)
    assert "Download action-plans-" in client.get(response.url).content.decode()
    download = client.get(reverse("actions:board_export_download", args=[world.review.partnership_id, export.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="action-plans-')
    rows = list(load_workbook(io.BytesIO(download.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Review"
    assert {row[0] for row in rows[1:]} == {"NDHR-01"}


def test_a_board_export_task_delivered_twice_builds_once(world: World, plan: Plan):
    export = BoardPlanExport.objects.create(partnership=world.review.partnership, format="xlsx")
    assert board_export_build_task.apply(args=[export.pk]).get() == "ready"
    assert board_export_build_task.apply(args=[export.pk]).get() == "not queued"
    export.refresh_from_db()
    assert export.status == "ready"


def test_a_failed_board_export_says_why_and_can_be_retried(
    client, world: World, plan: Plan, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(plan, fmt):
        raise RuntimeError("the renderer ran out of memory")

    monkeypatch.setattr("actions.exports.plan_render", broken)
    export = BoardPlanExport.objects.create(partnership=world.review.partnership, format="pdf")
    assert board_export_build_task.apply(args=[export.pk]).get() == "failed"
    export.refresh_from_db()
    assert export.status == "failed"
    # The details are for the worker's log; the page says what to do.
    assert export.error.startswith("Something went wrong while doing this (RuntimeError). Try again")
    client.force_login(world.board_admin)
    url = reverse("actions:board_export_status", args=[world.review.partnership_id, export.pk])
    page = client.get(url).content.decode()
    assert "Something went wrong while doing this" in page and "ran out of memory" not in page
    assert "Try again" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        board_exports.board_export_retry(actor=world.board_admin, export=export)
    export.refresh_from_db()
    assert export.status == "ready"


def test_a_board_export_in_an_unknown_format_is_refused(client, world: World):
    client.force_login(world.board_admin)
    response = client.post(
        reverse("actions:board_export", args=[world.review.partnership_id]), {"format": "docx"}, follow=True
    )
    assert "&quot;docx&quot; is not an action plan format (xlsx or pdf)." in response.content.decode()
    assert not BoardPlanExport.objects.exists()
