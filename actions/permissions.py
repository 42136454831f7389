"""Who may see and change a review's action plan. One helper per object; anything the user
may not read answers 404, a change by someone who may only read answers 403.

- Board administrators and the chair read the whole plan and manage recommendations and actions.
- Panel members read the whole plan.
- Action owners (a review membership with an agency) see their agency's actions only, and
  report progress with evidence on them. Another agency's action or evidence is a 404.
- Only a board administrator signs an action off as assured.
- Once the review is archived nobody changes anything in its plan (403, saying so).
- IMR authors have no part in the action plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.models import User
from actions.models import Action, BoardPlanExport, Evidence, Milestone, Recommendation
from reviews.models import Partnership, ReviewMembership
from reviews.permissions import (
    BOARD_ADMIN,
    ReviewAccess,
    change_refused,
    partnership_get_for_user,
    review_get_for_user,
)


@dataclass(frozen=True)
class PlanAccess:
    """One user's access to one review's action plan."""

    review_access: ReviewAccess
    # The agencies whose actions this user owns in this review.
    owner_agency_ids: frozenset[int]

    @property
    def review(self):
        return self.review_access.review

    @property
    def reads_everything(self) -> bool:
        return self.review_access.is_panel

    @property
    def can_manage(self) -> bool:
        """Create and change recommendations and actions: chair and board administrator."""
        return self.review_access.can_manage

    @property
    def can_assure(self) -> bool:
        return BOARD_ADMIN in self.review_access.roles and not self.review_access.is_archived

    @property
    def can_manage_clocks(self) -> bool:
        return self.review_access.can_manage

    def can_read_action(self, action: Action) -> bool:
        return self.reads_everything or action.lead_agency_id in self.owner_agency_ids

    def can_report_progress(self, action: Action) -> bool:
        """Owners of the lead agency, and the managers on their behalf; never once assured, nor
        once the review is archived."""
        return (
            (self.can_manage or action.lead_agency_id in self.owner_agency_ids)
            and action.status != Action.Status.ASSURED
            and not self.review_access.is_archived
        )


def plan_get_for_user(user: User, review_pk: int, *, write: bool = False) -> PlanAccess:
    """The review's action plan: 404 for anyone with no part in it, 403 for a change by a reader."""
    review_access = review_get_for_user(user, review_pk)
    owner_agency_ids = frozenset(
        ReviewMembership.objects.filter(
            review=review_access.review, user=user, role=ReviewMembership.Role.ACTION_OWNER
        ).values_list("agency_id", flat=True)
    )
    access = PlanAccess(review_access=review_access, owner_agency_ids=owner_agency_ids)
    if not access.reads_everything and not owner_agency_ids:
        raise Http404("No such action plan")
    if write and not access.can_manage:
        raise change_refused(access.review_access)
    return access


def recommendation_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[PlanAccess, Recommendation]:
    """A recommendation: the whole plan's readers see every one; an action owner sees the ones
    that hold an action of their agency."""
    access = plan_get_for_user(user, review_pk)
    recommendation = Recommendation.objects.filter(review=access.review, pk=pk).first()
    if recommendation is None:
        raise Http404("No such recommendation")
    if (
        not access.reads_everything
        and not recommendation.actions.filter(lead_agency_id__in=access.owner_agency_ids).exists()
    ):
        raise Http404("No such recommendation")
    if write and not access.can_manage:
        raise change_refused(access.review_access)
    return access, recommendation


def action_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False, progress: bool = False, assure: bool = False
) -> tuple[PlanAccess, Action]:
    """An action. ``write``: change it (chair, board administrator); ``progress``: report
    progress on it (its agency's owners, or a manager); ``assure``: sign it off (board
    administrator)."""
    access = plan_get_for_user(user, review_pk)
    action = (
        Action.objects.select_related("recommendation", "lead_agency", "owner", "assured_by")
        .filter(recommendation__review=access.review, pk=pk)
        .first()
    )
    if action is None or not access.can_read_action(action):
        raise Http404("No such action")
    if write and not access.can_manage:
        raise change_refused(access.review_access)
    if progress and not access.can_report_progress(action):
        raise change_refused(access.review_access)
    if assure and not access.can_assure:
        raise change_refused(access.review_access)
    return access, action


def evidence_get_for_user(user: User, review_pk: int, action_pk: int, pk: int) -> tuple[PlanAccess, Evidence]:
    """An evidence file: readable exactly when its action is. Another agency's is a 404."""
    access, action = action_get_for_user(user, review_pk, action_pk)
    evidence = Evidence.objects.filter(action=action, pk=pk).first()
    if evidence is None:
        raise Http404("No such evidence")
    return access, evidence


def milestone_get_for_user(user: User, review_pk: int, action_pk: int, pk: int) -> tuple[PlanAccess, Action, Milestone]:
    """A milestone, to mark it done or not done: whoever may report progress on its action."""
    access, action = action_get_for_user(user, review_pk, action_pk, progress=True)
    milestone = Milestone.objects.filter(action=action, pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone")
    return access, action, milestone


def board_export_get_for_user(user: User, partnership_pk: int, pk: int) -> tuple[Partnership, BoardPlanExport]:
    """A file of the board's action plans (without its bytes): the board's administrators only."""
    partnership = partnership_get_for_user(user, partnership_pk)
    export = BoardPlanExport.objects.filter(partnership=partnership, pk=pk).first()
    if export is None:
        raise Http404("No such export")
    return partnership, export
