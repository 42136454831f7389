"""Running a queued job here and now, as a worker would (casereview.jobs), for tests."""

from __future__ import annotations

from django.utils.module_loading import import_string

from casereview.jobs import Job


def run_job(row: Job) -> Job:
    """Run the row's task in this process and return the row as it ended."""
    import_string(type(row).task_name)(row.pk)
    row.refresh_from_db()
    return row
