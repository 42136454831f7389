"""What a page polls while a job runs (templates/snippets/job.html, static/js/jobs.js): the status
in a sentence and the progress while it is active; once it has ended, the job's region drawn
again by the kind's own template, once."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string

from casereview.jobs import Job


def job_status_response(request: HttpRequest, job: Job, *, template: str, context: dict[str, Any]) -> JsonResponse:
    """The job's status for the poller; ``template`` draws the kind's region (it includes
    snippets/job.html) from ``context``, and is sent only once the job has ended."""
    data: dict[str, Any] = {
        "status": job.status,
        "text": job.status_text,
        "progress": job.progress,
        "active": job.in_progress,
    }
    if not job.in_progress:
        data["html"] = render_to_string(template, context, request=request).strip()
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response
