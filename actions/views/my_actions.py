"""The agency view: every action the signed-in owner's agencies lead, what is due next first, and the
actions arising from panel meetings that the signed-in person owns, until they are done."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from actions import selectors
from actions.models import Action
from reviews import meeting_selectors


@login_required
def my_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = selectors.actions_for_owner(request.user)
    open_actions = [a for a in actions if a.status not in Action.DONE_STATUSES]
    context = {
        "open_actions": open_actions,
        "done_actions": [a for a in actions if a.status in Action.DONE_STATUSES],
        "next_action": open_actions[0] if open_actions else None,
        "today": timezone.localdate(),
        # Actions arising from panel meetings: this person's own, until done.
        "actions_arising": meeting_selectors.actions_arising_for_owner(request.user),
    }
    return render(request, "actions/my_actions.html", context)
