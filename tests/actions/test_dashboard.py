import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Recommendation, rag_for
from actions.selectors import DashboardFilters, board_dashboard, effective_status_expression, rag_expression
from reviews.models import Imr, Review
from tests.actions.conftest import Plan
from tests.conftest import World
from tests.factories import AgencyFactory, ImrFactory, ReviewFactory

D = datetime.date
TODAY = D(2026, 6, 15)


def test_rag_is_red_once_an_open_action_passes_its_target_date():
    assert rag_for("on_track", D(2026, 6, 15), TODAY) == "green"
    assert rag_for("on_track", D(2026, 6, 14), TODAY) == "red"
    assert rag_for("not_started", D(2026, 7, 1), TODAY) == "amber"  # within 30 days, not started
    assert rag_for("not_started", D(2026, 9, 1), TODAY) == "green"
    assert rag_for("at_risk", D(2026, 9, 1), TODAY) == "amber"
    assert rag_for("overdue", D(2026, 9, 1), TODAY) == "red"
    assert rag_for("complete", D(2020, 1, 1), TODAY) == "green"
    assert rag_for("assured", D(2020, 1, 1), TODAY) == "blue"


def test_rag_sql_matches_python(world: World, plan: Plan):
    """Every status against target dates before, on, inside and beyond the amber window."""
    action = plan.action_a
    offsets = (-1, 0, 1, 30, 31)
    created = []
    for status, offset in itertools.product(Action.Status.values, offsets):
        done = status in Action.DONE_STATUSES
        created.append(
            Action(
                recommendation=action.recommendation,
                text=f"{status} {offset}",
                lead_agency=action.lead_agency,
                target_date=TODAY + datetime.timedelta(days=offset),
                status=status,
                completed_on=TODAY if done else None,
            )
        )
    Action.objects.bulk_create(created)
    rows = Action.objects.annotate(sql_rag=rag_expression(TODAY), sql_status=effective_status_expression(TODAY))
    for row in rows:
        assert row.sql_rag == row.rag(TODAY), row.text
        assert row.sql_status == row.effective_status(TODAY), row.text


def test_an_action_past_its_target_date_shows_red_the_next_day_untouched(client, world: World, plan: Plan, monkeypatch):
    Action.objects.filter(pk=plan.action_a.pk).update(target_date=D(2026, 7, 31), status="on_track")
    Action.objects.filter(pk=plan.action_b.pk).update(target_date=D(2026, 12, 31), status="on_track")
    client.force_login(world.board_admin)
    url = reverse("actions:dashboard", args=[world.review.partnership_id])

    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 7, 31))
    board = client.get(url).context["board"]
    assert {bar.key: bar.value for bar in board.rag_chart.bars}["red"] == 0
    assert list(board.overdue_actions) == []

    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 8, 1))
    response = client.get(url)
    board = response.context["board"]
    assert {bar.key: bar.value for bar in board.rag_chart.bars}["red"] == 1
    assert {bar.key: bar.value for bar in board.status_chart.bars}["overdue"] == 1
    assert [a.pk for a in board.overdue_actions] == [plan.action_a.pk]
    assert [(bar.label, bar.value) for bar in board.agency_chart.bars] == [("Northshire Police", 1)]
    assert "Red: 1." in response.content.decode()  # in the chart's text description
    plan.action_a.refresh_from_db()
    assert plan.action_a.status == "on_track"  # nothing was written


def test_dashboard_lists_reviews_by_next_statutory_deadline_and_overdue_imrs(world: World, plan: Plan):
    Review.objects.filter(pk=world.review.pk).update(notification_date=D(2026, 5, 1))
    Imr.objects.filter(pk=world.imr_a.pk).update(due_date=D(2026, 6, 1))
    board = board_dashboard(world.review.partnership, today=TODAY, filters=DashboardFilters())
    row = board.reviews[0]
    assert (row.review, row.next_deadline.label, row.next_deadline.due) == (
        world.review,
        "Decision to hold a review",
        D(2026, 6, 1),
    )
    assert row.overdue_milestones == 1
    assert list(board.overdue_imrs) == [Imr.objects.get(pk=world.imr_a.pk)]  # B's is submitted
    assert {bar.key: bar.value for bar in board.stage_chart.bars}["scoping"] == 1


def test_dashboard_shows_themes_across_reviews(world: World, plan: Plan):
    from actions import services

    services.themes_ensure_defaults(partnership=world.review.partnership)
    theme = world.review.partnership.themes.get(name="Information sharing")
    Recommendation.objects.update(theme=theme)
    second = ReviewFactory(partnership=world.review.partnership)
    services.recommendation_create(
        actor=world.chair, review=second, data=services.RecommendationData(text="Share records.", theme=theme)
    )
    board = board_dashboard(world.review.partnership, today=TODAY, filters=DashboardFilters())
    assert board.themes == [
        {"theme__name": "Information sharing", "recommendations": 2, "reviews": 2, "open_actions": 2}
    ]
    filtered = board_dashboard(world.review.partnership, today=TODAY, filters=DashboardFilters(theme_id=theme.pk))
    assert filtered.action_total == 2


def _grow(world: World, plan: Plan, reviews: int, actions_per_review: int) -> None:
    partnership = world.review.partnership
    agency = AgencyFactory(partnership=partnership)
    for _ in range(reviews):
        review = ReviewFactory(partnership=partnership, notification_date=D(2026, 1, 1))
        ImrFactory(review=review, agency=agency, due_date=D(2026, 1, 1))
        recommendation = Recommendation.objects.create(review=review, number=1, text="Do better.")
        Action.objects.bulk_create(
            Action(
                recommendation=recommendation,
                text=f"Action {i}",
                lead_agency=agency,
                target_date=TODAY + datetime.timedelta(days=i - actions_per_review // 2),
            )
            for i in range(actions_per_review)
        )


@pytest.mark.parametrize("grow", [False, True])
def test_dashboard_runs_a_fixed_number_of_queries(client, world: World, plan: Plan, django_assert_num_queries, grow):
    if grow:
        _grow(world, plan, reviews=8, actions_per_review=20)
    client.force_login(world.board_admin)
    url = reverse("actions:dashboard", args=[world.review.partnership_id])
    # 1. the session
    # 2. the signed-in user
    # 2a. the MFA device that verified the session
    # 3. the partnership, checked against the user's board administrator membership
    # 4. the partnership's agencies (the lead agency filter)
    # 5. the partnership's themes (the theme filter)
    # 6. the reviews with their scoping decisions (all of them: they are sorted by next deadline)
    # 7. their clock extensions
    # 8. their clock met dates
    # 9. the page's reviews' next panel meetings
    # 10. their open and overdue actions arising
    # 11. their family involvement
    # 12. their submissions (latest feedback and pack)
    # 13. overdue IMRs counted
    # 14. actions counted by effective status and RAG
    # 15. overdue actions counted by lead agency
    # 16. overdue actions counted
    # 17. recommendations counted by theme
    # 18. the page of overdue IMRs with their review and agency (read only when there are some)
    # 19. the page of overdue actions with their review and agency (likewise)
    # 20-22. the session saved again (SESSION_SAVE_EVERY_REQUEST), in a savepoint
    with django_assert_num_queries(23 if grow else 21):
        response = client.get(url, {"review_type": "dhr"})
    assert response.status_code == 200
