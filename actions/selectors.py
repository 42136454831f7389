"""Reads for the action plan, the board dashboard and the agency view.

RAG and the effective status are worked out from the recorded status and today's date, in
Python for one action (``Action.rag``) and in SQL for counting thousands
(``rag_expression``): an open action past its target date is red and overdue the next day
without anyone touching it. ``test_rag_sql_matches_python`` keeps the two in step."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from actions import exports
from actions.models import Action, Milestone, ProgressUpdate, Recommendation, Theme
from actions.process_selectors import ReviewProcess, review_processes
from reviews import clocks
from reviews.models import Agency, ClockExtension, ClockMet, Imr, Partnership, Review, ReviewMembership
from reviews.publication import Publication, Where

OPEN = [str(s) for s in Action.OPEN_STATUSES]


def effective_status_expression(today: datetime.date) -> Case:
    return Case(
        When(Q(status__in=OPEN) & Q(target_date__lt=today), then=Value(Action.Status.OVERDUE.value)),
        default="status",
        output_field=CharField(),
    )


def rag_expression(today: datetime.date) -> Case:
    """The SQL twin of ``actions.models.rag_for``."""
    amber_from = today + datetime.timedelta(days=Action.AMBER_WINDOW_DAYS)
    return Case(
        When(status=Action.Status.ASSURED, then=Value(Action.Rag.BLUE.value)),
        When(status=Action.Status.COMPLETE, then=Value(Action.Rag.GREEN.value)),
        When(Q(status=Action.Status.OVERDUE) | Q(target_date__lt=today), then=Value(Action.Rag.RED.value)),
        When(status=Action.Status.AT_RISK, then=Value(Action.Rag.AMBER.value)),
        When(Q(status=Action.Status.NOT_STARTED) & Q(target_date__lte=amber_from), then=Value(Action.Rag.AMBER.value)),
        default=Value(Action.Rag.GREEN.value),
        output_field=CharField(),
    )


# --- One review's plan -----------------------------------------------------------------------


def plan_recommendations(review: Review, *, agency_ids: frozenset[int] | None = None) -> list[Recommendation]:
    """The review's recommendations with their actions; with ``agency_ids`` (an action owner),
    only those agencies' actions and the recommendations that hold them."""
    actions = Action.objects.select_related("lead_agency", "owner").prefetch_related("milestones")
    recommendations = review.recommendations.select_related("theme", "imr__agency").prefetch_related("agencies")
    if agency_ids is not None:
        actions = actions.filter(lead_agency_id__in=agency_ids)
        recommendations = recommendations.filter(actions__lead_agency_id__in=agency_ids).distinct()
    return list(recommendations.prefetch_related(Prefetch("actions", queryset=actions)))


def plan_for_export(reviews: QuerySet[Review] | list[Review]) -> QuerySet[Recommendation]:
    """The recommendations of these reviews with their actions, in action-plan order, for the
    exports (4 queries: recommendations, actions, milestones, nothing per row)."""
    actions = Action.objects.select_related("lead_agency").prefetch_related("milestones").order_by("target_date", "id")
    return (
        Recommendation.objects.filter(review__in=reviews)
        .select_related("review")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("review__reference", "number")
    )


def review_plan_export(review: Review, *, today: datetime.date, run: Publication | None = None) -> exports.PlanExport:
    """The review's plan as typed (the panel's), or with ``run`` its publication version: every
    text, the case name in the title too, through the publication pipeline."""
    case_name = review.case_name
    if run is not None:
        case_name = run.text(
            case_name, Where("Action plan, title (case name)", "review:case_name", group="Action plan")
        )
    return exports.PlanExport(
        title=f"{review.reference} {case_name}: action plan",
        partnership=review.partnership.name,
        generated=today,
        rows=exports.plan_rows(plan_for_export([review]), today=today, run=run),
        personal_data=run is None,
    )


def board_plan_export(partnership: Partnership, *, today: datetime.date) -> exports.PlanExport:
    return exports.PlanExport(
        title=f"{partnership.name}: action plans across all reviews",
        partnership=partnership.name,
        generated=today,
        rows=exports.plan_rows(plan_for_export(partnership.reviews.all()), today=today),
        across_reviews=True,
    )


# --- One action's page ------------------------------------------------------------------------


def action_milestones(action: Action) -> QuerySet[Milestone]:
    return action.milestones.all()


def action_updates(action: Action) -> QuerySet[ProgressUpdate]:
    """The action's progress reports with their evidence files."""
    return action.updates.prefetch_related("evidence")


# --- The agency view -------------------------------------------------------------------------


def actions_for_owner(user: User) -> list[Action]:
    """The actions of every agency the user owns actions for, in each review where they do,
    open ones first by target date ("what is due next"), then the finished ones."""
    pairs = list(
        ReviewMembership.objects.filter(user=user, role=ReviewMembership.Role.ACTION_OWNER).values_list(
            "review_id", "agency_id"
        )
    )
    if not pairs:
        return []
    where = Q()
    for review_id, agency_id in pairs:
        where |= Q(recommendation__review_id=review_id, lead_agency_id=agency_id)
    actions = list(
        Action.objects.filter(where)
        .select_related("recommendation__review", "lead_agency", "owner")
        .order_by("target_date", "recommendation__review__reference", "recommendation__number", "id")
    )
    done = [a for a in actions if a.status in Action.DONE_STATUSES]
    return [a for a in actions if a.status not in Action.DONE_STATUSES] + done


# --- The board dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    review_type: str = ""
    stage: str = ""
    agency_id: int | None = None
    theme_id: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.review_type or self.stage or self.agency_id or self.theme_id)


@dataclass(frozen=True)
class DashboardPages:
    """The page of each long table asked for, as the URL gives it: a page number that is not a
    number gives the first page, one past the end the last (Paginator.get_page)."""

    reviews: int | str | None = None
    imrs: int | str | None = None
    actions: int | str | None = None


# The reviews, overdue IMRs and overdue actions are shown this many at a time, each table with its
# count and pages: a county board's 200 reviews and 300 overdue IMRs on one page took most of the
# dashboard's time to draw.
DASHBOARD_PAGE_SIZE = 25


def _no_rows() -> Page[Any]:
    return Paginator([], DASHBOARD_PAGE_SIZE).page(1)


@dataclass
class Bar:
    label: str
    value: int
    key: str = ""

    def width(self, largest: int) -> float:
        return 0 if not largest else round(100 * self.value / largest, 1)


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    description: str = ""
    colour_by_key: bool = False

    @property
    def largest(self) -> int:
        return max((bar.value for bar in self.bars), default=0)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def rows(self) -> list[tuple[Bar, float]]:
        largest = self.largest
        return [(bar, bar.width(largest)) for bar in self.bars]


@dataclass
class ReviewRow:
    review: Review
    next_deadline: clocks.Milestone | None
    overdue_milestones: int
    process: ReviewProcess | None = None


@dataclass
class Dashboard:
    partnership: Partnership
    today: datetime.date
    filters: DashboardFilters
    now: datetime.datetime
    reviews: Page[ReviewRow] = field(default_factory=_no_rows)
    stage_chart: Chart | None = None
    status_chart: Chart | None = None
    rag_chart: Chart | None = None
    agency_chart: Chart | None = None
    themes: list[dict] = field(default_factory=list)
    overdue_imrs: Page[Imr] = field(default_factory=_no_rows)
    overdue_actions: Page[Action] = field(default_factory=_no_rows)
    action_total: int = 0


@dataclass(frozen=True)
class DashboardRows:
    """The rows the dashboard counts, narrowed by its filters (querysets, not yet run)."""

    reviews: QuerySet[Review]
    actions: QuerySet[Action]
    recommendations: QuerySet[Recommendation]


def _dashboard_rows(partnership: Partnership, filters: DashboardFilters) -> DashboardRows:
    reviews = Review.objects.filter(partnership=partnership)
    if filters.review_type:
        reviews = reviews.filter(review_type=filters.review_type)
    if filters.stage:
        reviews = reviews.filter(stage=filters.stage)
    actions = Action.objects.filter(recommendation__review__partnership=partnership)
    recommendations = Recommendation.objects.filter(review__partnership=partnership)
    if filters.review_type or filters.stage:
        actions = actions.filter(recommendation__review__in=reviews)
        recommendations = recommendations.filter(review__in=reviews)
    if filters.agency_id:
        actions = actions.filter(lead_agency_id=filters.agency_id)
        recommendations = recommendations.filter(actions__lead_agency_id=filters.agency_id)
    if filters.theme_id:
        actions = actions.filter(recommendation__theme_id=filters.theme_id)
        recommendations = recommendations.filter(theme_id=filters.theme_id)
    return DashboardRows(reviews=reviews, actions=actions, recommendations=recommendations)


# What the reviews' table, their clocks and the process view read of a review. Every review of the
# board is read, to sort them by their next deadline: these columns only, not the terms of reference.
REVIEW_ROW_FIELDS = (
    "partnership_id", "reference", "case_name", "review_type", "stage", "incident_date", "notification_date",
    "decision_date", "scoping__id", "scoping__review_id", "scoping__decision",
)  # fmt: skip


def _dashboard_reviews(dashboard: Dashboard, reviews: QuerySet[Review], number: int | str | None) -> None:
    """Reviews by stage, and a page of them, soonest statutory deadline first, with how each is
    running (7 queries: reviews with their scoping decisions, extensions and met dates to work out
    every review's next deadline, and the process view's 4 for the page's reviews alone)."""
    review_list = list(reviews.select_related("scoping").only(*REVIEW_ROW_FIELDS).order_by("reference"))
    extensions: dict[int, list[ClockExtension]] = {}
    for extension in ClockExtension.objects.filter(review__in=reviews):
        extensions.setdefault(extension.review_id, []).append(extension)
    met: dict[int, list[ClockMet]] = {}
    for row in ClockMet.objects.filter(review__in=reviews):
        met.setdefault(row.review_id, []).append(row)
    rows = []
    for review in review_list:
        milestones = clocks.review_clock(
            review, today=dashboard.today, extensions=extensions.get(review.pk, []), met=met.get(review.pk, [])
        )
        rows.append(ReviewRow(review, clocks.next_deadline(milestones), sum(m.state == "overdue" for m in milestones)))
    rows.sort(key=lambda row: (row.next_deadline is None, row.next_deadline and row.next_deadline.due))
    dashboard.reviews = Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(number)
    processes = review_processes([row.review for row in dashboard.reviews], now=dashboard.now, today=dashboard.today)
    for review_row in dashboard.reviews:
        review_row.process = processes[review_row.review.pk]
    stages = Counter(review.stage for review in review_list)
    dashboard.stage_chart = Chart(
        "Reviews by stage",
        [Bar(label, stages.get(value, 0), value) for value, label in Review.Stage.choices],
        "How many of the board's reviews are at each stage.",
    )


def _dashboard_overdue_imrs(dashboard: Dashboard, reviews: QuerySet[Review], number: int | str | None) -> None:
    """A page of the overdue IMRs, the most overdue first (2 queries: their count, the page's)."""
    overdue = (
        Imr.objects.filter(
            review__in=reviews, due_date__lt=dashboard.today, status__in=[str(s) for s in Imr.EDITABLE_STATUSES]
        )
        .select_related("review", "agency")
        .order_by("due_date", "review__reference", "agency__name", "pk")
    )
    dashboard.overdue_imrs = Paginator(overdue, DASHBOARD_PAGE_SIZE).get_page(number)


def _dashboard_action_charts(dashboard: Dashboard, actions: QuerySet[Action]) -> None:
    """Actions by effective status and RAG (1 query)."""
    today = dashboard.today
    counts = (
        # Read as values(), so the annotation `rag` never meets the model's property of that name.
        actions.annotate(effective=effective_status_expression(today), rag=rag_expression(today))  # type: ignore[no-redef]
        .values("effective", "rag")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_status: Counter[str] = Counter()
    by_rag: Counter[str] = Counter()
    for row in counts:
        by_status[row["effective"]] += row["n"]
        by_rag[row["rag"]] += row["n"]
    dashboard.action_total = sum(by_status.values())
    dashboard.status_chart = Chart(
        "Actions by status",
        [Bar(label, by_status.get(value, 0), value) for value, label in Action.Status.choices],
        "An open action past its target date counts as overdue.",
    )
    dashboard.rag_chart = Chart(
        "Actions by RAG rating",
        [Bar(label, by_rag.get(value, 0), value) for value, label in Action.Rag.choices],
        "Red: overdue. Amber: at risk, or not started with the target date within 30 days. "
        "Green: on track or complete. Blue: assured by the board.",
        colour_by_key=True,
    )


def _dashboard_overdue_actions(dashboard: Dashboard, actions: QuerySet[Action], number: int | str | None) -> None:
    """Overdue actions by lead agency (1 query), and a page of them, oldest first, to follow up
    (2 queries: their count, the page's)."""
    overdue = actions.filter(status__in=OPEN, target_date__lt=dashboard.today)
    per_agency = overdue.values("lead_agency__name").annotate(n=Count("id")).order_by("-n", "lead_agency__name")
    dashboard.agency_chart = Chart(
        "Overdue actions by lead agency",
        [Bar(row["lead_agency__name"], row["n"]) for row in per_agency],
        "Open actions past their target date, by the agency leading them.",
    )
    oldest_first = overdue.select_related("recommendation__review", "lead_agency", "owner").order_by(
        "target_date", "recommendation__review__reference", "recommendation__number", "id"
    )
    dashboard.overdue_actions = Paginator(oldest_first, DASHBOARD_PAGE_SIZE).get_page(number)


def _dashboard_themes(dashboard: Dashboard, recommendations: QuerySet[Recommendation]) -> None:
    """Themes across reviews (1 query)."""
    dashboard.themes = list(
        recommendations.values("theme__name")
        .annotate(
            recommendations=Count("id", distinct=True),
            reviews=Count("review", distinct=True),
            open_actions=Count("actions", filter=Q(actions__status__in=OPEN), distinct=True),
        )
        .order_by("-recommendations", "theme__name")
    )


def board_dashboard(
    partnership: Partnership,
    *,
    today: datetime.date,
    filters: DashboardFilters,
    pages: DashboardPages | None = None,
    now: datetime.datetime | None = None,
) -> Dashboard:
    """Everything on the board dashboard in a fixed number of queries, whatever the board's size,
    its long tables a page each (``pages``, default the first of each). ``now`` (default: the
    current time) is the moment the next panel meetings are counted from."""
    pages = pages or DashboardPages()
    dashboard = Dashboard(partnership=partnership, today=today, filters=filters, now=now or timezone.now())
    rows = _dashboard_rows(partnership, filters)
    _dashboard_reviews(dashboard, rows.reviews, pages.reviews)
    _dashboard_overdue_imrs(dashboard, rows.reviews, pages.imrs)
    _dashboard_action_charts(dashboard, rows.actions)
    _dashboard_overdue_actions(dashboard, rows.actions, pages.actions)
    _dashboard_themes(dashboard, rows.recommendations)
    return dashboard


def partnership_themes(partnership: Partnership) -> QuerySet[Theme]:
    return partnership.themes.all()


def dashboard_filter_options(partnership: Partnership) -> tuple[list[Agency], list[Theme]]:
    """The choices of the dashboard's filters (2 queries)."""
    return (
        list(Agency.objects.filter(partnership=partnership).order_by("name")),
        list(Theme.objects.filter(partnership=partnership).order_by("name")),
    )
