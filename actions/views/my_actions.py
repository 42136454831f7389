"""The agency view: every action the signed-in owner's agencies lead, what is due next first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from actions import selectors
from actions.models import Action


@login_required
def my_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = selectors.actions_for_owner(request.user)
    open_actions = [a for a in actions if a.status not in Action.DONE_STATUSES]
    context = {
        "open_actions": open_actions,
        "done_actions": [a for a in actions if a.status in Action.DONE_STATUSES],
        "next_action": open_actions[0] if open_actions else None,
        "today": timezone.localdate(),
    }
    return render(request, "actions/my_actions.html", context)
