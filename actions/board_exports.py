"""The board's action plans as one file: asked for on the page, built by a Celery task that
claims the row once (or again, when its worker was lost), failed with its reason, retried."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from actions.models import BoardPlanExport
from reviews.audit import audit_record
from reviews.models import Partnership


@transaction.atomic
def board_export_request(*, actor: User, partnership: Partnership, fmt: str) -> BoardPlanExport:
    """Queue a build of the board's action plans; the task starts once this commits."""
    from actions.tasks import board_export_build_task

    if fmt not in BoardPlanExport.Format.values:
        raise ValidationError({"format": f'"{fmt}" is not an action plan format (xlsx or pdf).'})
    export = BoardPlanExport.objects.create(partnership=partnership, format=fmt, requested_by=actor)
    audit_record(
        actor=actor,
        action="action_plan.board_export_requested",
        obj=export,
        partnership=partnership,
        detail={"format": fmt},
    )
    transaction.on_commit(partial(board_export_build_task.delay, export.pk))
    return export


def board_export_claim(export_id: int) -> bool:
    """Claim a queued build (or one lost with its worker) with one conditional UPDATE, so a
    second delivery of the same task finds nothing to do."""
    now = timezone.now()
    claimable = Q(status=BoardPlanExport.Status.QUEUED) | Q(
        status=BoardPlanExport.Status.BUILDING, started_at__lt=now - BoardPlanExport.STALE_AFTER
    )
    return bool(
        BoardPlanExport.objects.filter(claimable, pk=export_id).update(
            status=BoardPlanExport.Status.BUILDING, started_at=now, error=""
        )
    )


def board_export_build(export_id: int) -> BoardPlanExport:
    """Render a claimed export. The file and the ready status are written together."""
    from actions import exports, selectors

    export = BoardPlanExport.objects.select_related("partnership").get(pk=export_id)
    plan = selectors.board_plan_export(export.partnership, today=timezone.localdate())
    data, _content_type = exports.plan_render(plan, export.format)
    BoardPlanExport.objects.filter(pk=export_id).update(
        status=BoardPlanExport.Status.READY, data=data, action_count=len(plan.rows), finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def board_export_fail(export_id: int, reason: str) -> None:
    BoardPlanExport.objects.filter(pk=export_id).update(
        status=BoardPlanExport.Status.FAILED, error=reason[:1000], finished_at=timezone.now()
    )


@transaction.atomic
def board_export_retry(*, actor: User, export: BoardPlanExport) -> BoardPlanExport:
    from actions.tasks import board_export_build_task

    if export.status != BoardPlanExport.Status.FAILED:
        raise ValidationError("Only a failed export can be tried again.")
    BoardPlanExport.objects.filter(pk=export.pk).update(status=BoardPlanExport.Status.QUEUED, error="")
    audit_record(actor=actor, action="action_plan.board_export_retried", obj=export, partnership=export.partnership)
    transaction.on_commit(partial(board_export_build_task.delay, export.pk))
    export.refresh_from_db()
    return export
