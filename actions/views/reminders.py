"""The partnership's choice of the hour its reminders are sent at (actions.reminder_schedule)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from actions import reminder_schedule
from actions.forms import ReminderHourForm
from reviews.permissions import partnership_get_for_user


@require_POST
@login_required
def reminder_hour(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    form = ReminderHourForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors["reminder_hour"]))
        hour = reminder_schedule.partnership_reminder_hour_set(
            actor=request.user, partnership=partnership, hour=form.cleaned_data["reminder_hour"]
        )
    except ValidationError as exc:
        messages.error(request, "Reminder hour not saved: " + " ".join(exc.messages))
    else:
        messages.success(request, f"Reminders for {partnership.name} are sent at {hour:02d}:15 from now on.")
    return redirect("reviews:partnership_detail", partnership_pk)
