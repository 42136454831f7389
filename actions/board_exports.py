"""The board's action plans as one file: asked for on the page, made by a job (casereview.jobs):
claimed once, requeued when its worker is lost, failed with its reason, retried."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actions import exports, selectors
from actions.models import BoardPlanExport
from casereview import jobs
from casereview.storage import file_store
from reviews.audit import audit_record
from reviews.models import Partnership


@transaction.atomic
def board_export_request(*, actor: User, partnership: Partnership, fmt: str) -> BoardPlanExport:
    """Queue a file of the board's action plans; the same file already waiting or being made is
    the one returned."""
    if fmt not in BoardPlanExport.Format.values:
        raise ValidationError({"format": f'"{fmt}" is not an action plan format (xlsx or pdf).'})
    export, new = jobs.job_request(BoardPlanExport, actor=actor, same={"partnership": partnership, "format": fmt})
    if new:
        audit_record(
            actor=actor,
            action="action_plan.board_export_requested",
            obj=export,
            partnership=partnership,
            detail={"format": fmt},
        )
    return export


def board_export_make(export: BoardPlanExport, run: jobs.JobRun) -> dict:
    """Render a claimed export (the job's work); the file is written with the ready status."""
    plan = selectors.board_plan_export(export.partnership, today=timezone.localdate())
    run.progress(50)
    data, _content_type = exports.plan_render(plan, export.format)
    return {"file": file_store(BoardPlanExport, "file", data, ext=export.format), "action_count": len(plan.rows)}


@transaction.atomic
def board_export_retry(*, actor: User, export: BoardPlanExport) -> BoardPlanExport:
    if not jobs.job_retry_recorded(
        export, actor=actor, action="action_plan.board_export_retried", partnership=export.partnership
    ):
        raise ValidationError("Only a failed or cancelled export can be tried again.")
    return export
